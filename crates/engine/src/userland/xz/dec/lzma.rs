//! The LZMA decoder (lzma/lzma_decoder.c and rangecoder/range_decoder.h).
//!
//! liblzma's decoder can stop in the middle of any bit when its input runs out, and then
//! `*in_pos` already counts the bytes that half-decoded symbol consumed. The callers look at
//! that position (LZMA2 compares it with the chunk's compressed size, the Block decoder with
//! its Compressed Size), so the exact consumption pattern decides which error xz reports and
//! how much output it writes first. Rather than a bit-level state machine, this port decodes
//! whole symbols: when fewer than [`MAX_SYMBOL_BYTES`] bytes are left, it first does a dry
//! run (probabilities untouched) to learn whether the symbol completes; if not, it keeps the
//! bytes that liblzma would have consumed in `stash` and reports them as consumed. On the
//! next call the symbol is decoded again from the stash plus the new input, which gives the
//! same bits and the same positions as liblzma's resumed state machine.

use super::dict::Dict;
use super::{Status, XzError};

const TOP: u32 = 1 << 24;
const BIT_TOTAL: u32 = 1 << 11;
const MOVE_BITS: u32 = 5;

/// Every byte a symbol reads is read by one normalisation and a symbol has fewer than 50 of
/// them (2 flags + 10 length + 6 slot + 26 direct + 4 align bits, plus the end checks), so
/// with this much input at hand the decoder cannot run out inside a symbol.
const MAX_SYMBOL_BYTES: usize = 64;

// Offsets into the flat probability array. A flat array lets one helper hand out the
// entries without any indexing that could panic.
const IS_MATCH: usize = 0; // [state][pos_state], 12 * 16
const IS_REP: usize = 192;
const IS_REP0: usize = 204;
const IS_REP1: usize = 216;
const IS_REP2: usize = 228;
const IS_REP0_LONG: usize = 240; // 12 * 16
const DIST_SLOT: usize = 432; // 4 * 64
const DIST_SPECIAL: usize = 688; // 128 - 14
const ALIGN: usize = 802; // 16
const MATCH_LEN: usize = 818;
const REP_LEN: usize = MATCH_LEN + LEN_SIZE;
const LITERAL: usize = REP_LEN + LEN_SIZE;
const LEN_SIZE: usize = 2 + 16 * 8 + 16 * 8 + 256;
const LEN_LOW: usize = 2;
const LEN_MID: usize = 2 + 16 * 8;
const LEN_HIGH: usize = 2 + 2 * 16 * 8;

/// State after a literal, indexed by the state before it.
const NEXT_STATE_LIT: [u8; 12] = [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 4, 5];

/// lc, lp and pb of an LZMA stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Props {
    pub lc: u32,
    pub lp: u32,
    pub pb: u32,
}

impl Props {
    /// Splits the lc/lp/pb byte; `None` where liblzma's lzma_lzma_lclppb_decode() fails
    /// (byte > 224, or lc + lp > 4 which liblzma refuses for LZMA1 too).
    pub(crate) fn from_byte(byte: u8) -> Option<Props> {
        if byte > (4 * 5 + 4) * 9 + 8 {
            return None;
        }
        let b = u32::from(byte);
        let pb = b / 45;
        let lp = (b - pb * 45) / 9;
        let lc = b - pb * 45 - lp * 9;
        (lc + lp <= 4).then_some(Props { lc, lp, pb })
    }
}

/// The part of the decoder a symbol changes besides the probabilities; copied for dry runs.
#[derive(Clone, Copy)]
struct Sx {
    range: u32,
    code: u32,
    state: usize,
    rep: [u32; 4],
}

/// A byte source over a contiguous slice; `None` means "out of input".
struct Rd<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Sx {
    #[inline(always)]
    fn normalize(&mut self, r: &mut Rd) -> Option<()> {
        if self.range < TOP {
            let b = *r.buf.get(r.pos)?;
            r.pos += 1;
            self.range <<= 8;
            self.code = (self.code << 8) | u32::from(b);
        }
        Some(())
    }
}

/// One probability-coded bit; `W` says whether the probability is updated (false in dry
/// runs, which is sound because no symbol visits the same probability twice).
#[inline(always)]
fn bit<const W: bool>(s: &mut Sx, r: &mut Rd, p: &mut u16) -> Option<u32> {
    s.normalize(r)?;
    let prob = u32::from(*p);
    let bound = (s.range >> 11).wrapping_mul(prob);
    if s.code < bound {
        s.range = bound;
        if W {
            *p = prob.wrapping_add(BIT_TOTAL.wrapping_sub(prob) >> MOVE_BITS) as u16;
        }
        Some(0)
    } else {
        s.range = s.range.wrapping_sub(bound);
        s.code = s.code.wrapping_sub(bound);
        if W {
            *p = prob.wrapping_sub(prob >> MOVE_BITS) as u16;
        }
        Some(1)
    }
}

/// One bit without a probability (rc_direct).
#[inline(always)]
fn direct(s: &mut Sx, r: &mut Rd, dest: u32) -> Option<u32> {
    s.normalize(r)?;
    s.range >>= 1;
    s.code = s.code.wrapping_sub(s.range);
    let mask = 0u32.wrapping_sub(s.code >> 31);
    s.code = s.code.wrapping_add(s.range & mask);
    Some((dest << 1).wrapping_add(mask.wrapping_add(1)))
}

struct Probs {
    v: Vec<u16>,
    dummy: u16,
}

impl Probs {
    #[inline(always)]
    fn at(&mut self, i: usize) -> &mut u16 {
        match self.v.get_mut(i) {
            Some(p) => p,
            // Unreachable: every index is below the size allocated for these lc/lp.
            None => &mut self.dummy,
        }
    }
}

/// What a decoded symbol asks for.
enum Sym {
    Lit(u8),
    ShortRep,
    Match(u32),
    /// At the known end, the range coder is finished: the end without a marker.
    Finished,
    /// The end-of-payload marker.
    Eopm,
}

enum Fail {
    /// Out of input; `mid` is true once the is_match bit was decoded (liblzma then resumes
    /// mid-symbol and skips its end-of-data check, see [`Resume`]).
    Need {
        mid: bool,
    },
    Corrupt,
}

/// Everything a symbol decode reads besides the coder state.
struct Ctx {
    pos_state: usize,
    lit_base: usize,
    match_byte: u32,
    full: usize,
    /// Run liblzma's SEQ_NORMALIZE step: at the known end, normalise and see if it's over.
    finish_check: bool,
    allow_eopm: bool,
    /// Whether a marker is acceptable before the end check ran.
    eopm_valid: bool,
    /// Whether passing the end check makes a marker acceptable. False on a mid-symbol
    /// resume: liblzma recomputes its local `eopm_is_valid` on every call and only the
    /// skipped SEQ_NORMALIZE step would set it, so a marker split across two calls of a
    /// stream with a known size is rejected there; reproduced on purpose.
    eopm_from_check: bool,
}

macro_rules! need {
    ($e:expr, $mid:expr) => {
        match $e {
            Some(v) => v,
            None => return Err(Fail::Need { mid: $mid }),
        }
    };
}

/// A bittree of `n` bits rooted at `base`; returns the symbol without its leading 1.
#[inline(always)]
fn tree<const W: bool>(p: &mut Probs, s: &mut Sx, r: &mut Rd, base: usize, n: u32) -> Option<u32> {
    let mut sym = 1u32;
    for _ in 0..n {
        sym = (sym << 1) | bit::<W>(s, r, p.at(base + sym as usize))?;
    }
    Some(sym - (1 << n))
}

/// A reverse bittree of `n` bits whose node 1 is at `base` + 1.
#[inline(always)]
fn rev_tree<const W: bool>(p: &mut Probs, s: &mut Sx, r: &mut Rd, base: usize, n: u32) -> Option<u32> {
    let mut sym = 1usize;
    let mut out = 0u32;
    for i in 0..n {
        let b = bit::<W>(s, r, p.at(base.wrapping_add(sym)))?;
        sym = (sym << 1) | b as usize;
        out |= b << i;
    }
    Some(out)
}

#[inline(always)]
fn length<const W: bool>(p: &mut Probs, s: &mut Sx, r: &mut Rd, base: usize, pos_state: usize) -> Option<u32> {
    if bit::<W>(s, r, p.at(base))? == 0 {
        return Some(2 + tree::<W>(p, s, r, base + LEN_LOW + pos_state * 8, 3)?);
    }
    if bit::<W>(s, r, p.at(base + 1))? == 0 {
        return Some(2 + 8 + tree::<W>(p, s, r, base + LEN_MID + pos_state * 8, 3)?);
    }
    Some(2 + 16 + tree::<W>(p, s, r, base + LEN_HIGH, 8)?)
}

/// Decodes one symbol in liblzma's order of steps and checks.
fn decode_sym<const W: bool>(p: &mut Probs, s: &mut Sx, r: &mut Rd, c: &Ctx) -> Result<Sym, Fail> {
    let mut eopm_valid = c.eopm_valid;
    if c.finish_check {
        need!(s.normalize(r), false);
        if s.code == 0 {
            return Ok(Sym::Finished);
        }
        if !c.allow_eopm {
            return Err(Fail::Corrupt);
        }
        eopm_valid |= c.eopm_from_check;
    }
    let st = s.state;
    if need!(bit::<W>(s, r, p.at(IS_MATCH + st * 16 + c.pos_state)), false) == 0 {
        let mut sym = 1u32;
        if st < 7 {
            while sym < 0x100 {
                let b = need!(bit::<W>(s, r, p.at(c.lit_base + sym as usize)), true);
                sym = (sym << 1) | b;
            }
        } else {
            // Matched literal: follow the byte at rep0 while the bits agree.
            let mut m = c.match_byte << 1;
            let mut offset = 0x100u32;
            while sym < 0x100 {
                let match_bit = m & offset;
                let idx = c.lit_base + (offset + match_bit + sym) as usize;
                let b = need!(bit::<W>(s, r, p.at(idx)), true);
                sym = (sym << 1) | b;
                offset &= if b == 0 { !match_bit } else { match_bit };
                m <<= 1;
            }
        }
        s.state = usize::from(NEXT_STATE_LIT.get(st).copied().unwrap_or(0));
        return Ok(Sym::Lit(sym as u8));
    }
    if need!(bit::<W>(s, r, p.at(IS_REP + st)), true) == 0 {
        s.state = if st < 7 { 7 } else { 10 };
        s.rep = [s.rep[0], s.rep[0], s.rep[1], s.rep[2]];
        let len = need!(length::<W>(p, s, r, MATCH_LEN, c.pos_state), true);
        let dist_state = (len as usize - 2).min(3);
        let slot = need!(tree::<W>(p, s, r, DIST_SLOT + dist_state * 64, 6), true);
        let dist = if slot < 4 {
            slot
        } else {
            let limit = (slot >> 1) - 1;
            let base = (2 + (slot & 1)) << limit;
            if slot < 14 {
                let probs = (DIST_SPECIAL + base as usize).wrapping_sub(slot as usize + 1);
                base + need!(rev_tree::<W>(p, s, r, probs, limit), true)
            } else {
                let mut d = 2 + (slot & 1);
                for _ in 0..limit - 4 {
                    d = need!(direct(s, r, d), true);
                }
                d = (d << 4) + need!(rev_tree::<W>(p, s, r, ALIGN, 4), true);
                if d == u32::MAX {
                    if !eopm_valid {
                        return Err(Fail::Corrupt);
                    }
                    need!(s.normalize(r), true);
                    return if s.code == 0 { Ok(Sym::Eopm) } else { Err(Fail::Corrupt) };
                }
                d
            }
        };
        s.rep[0] = dist;
        if dist as usize >= c.full {
            return Err(Fail::Corrupt);
        }
        return Ok(Sym::Match(len));
    }
    // A repeated match: there must be something to repeat.
    if c.full == 0 {
        return Err(Fail::Corrupt);
    }
    if need!(bit::<W>(s, r, p.at(IS_REP0 + st)), true) == 0 {
        let long = IS_REP0_LONG + st * 16 + c.pos_state;
        if need!(bit::<W>(s, r, p.at(long)), true) == 0 {
            s.state = if st < 7 { 9 } else { 11 };
            return Ok(Sym::ShortRep);
        }
    } else if need!(bit::<W>(s, r, p.at(IS_REP1 + st)), true) == 0 {
        s.rep = [s.rep[1], s.rep[0], s.rep[2], s.rep[3]];
    } else if need!(bit::<W>(s, r, p.at(IS_REP2 + st)), true) == 0 {
        s.rep = [s.rep[2], s.rep[0], s.rep[1], s.rep[3]];
    } else {
        s.rep = [s.rep[3], s.rep[0], s.rep[1], s.rep[2]];
    }
    s.state = if st < 7 { 8 } else { 11 };
    let len = need!(length::<W>(p, s, r, REP_LEN, c.pos_state), true);
    Ok(Sym::Match(len))
}

/// Output a decoded symbol still owes because the window limit was reached.
#[derive(Clone, Copy)]
enum Pending {
    Byte(u8),
    Copy { dist: u32, len: u32 },
}

/// How a symbol interrupted after its first bit was started (see [`Ctx::eopm_from_check`]).
#[derive(Clone, Copy)]
struct Resume {
    finish_check: bool,
}

pub(crate) struct LzmaDecoder {
    probs: Probs,
    props: Props,
    sx: Sx,
    init_left: u8,
    /// Uncompressed bytes still expected; `None` when unknown (.lzma with size -1).
    remaining: Option<u64>,
    allow_eopm: bool,
    pending: Option<Pending>,
    stash: [u8; MAX_SYMBOL_BYTES],
    stash_len: usize,
    resume: Option<Resume>,
}

impl LzmaDecoder {
    pub(crate) fn new(props: Props) -> LzmaDecoder {
        let mut d = LzmaDecoder {
            probs: Probs { v: Vec::new(), dummy: 0 },
            props,
            sx: Sx { range: u32::MAX, code: 0, state: 0, rep: [0; 4] },
            init_left: 5,
            remaining: None,
            allow_eopm: true,
            pending: None,
            stash: [0; MAX_SYMBOL_BYTES],
            stash_len: 0,
            resume: None,
        };
        d.reset(props);
        d
    }

    /// lzma_decoder_reset(): new properties, fresh probabilities and state.
    pub(crate) fn reset(&mut self, props: Props) {
        self.props = props;
        let size = LITERAL + (0x300usize << (props.lc + props.lp));
        self.probs.v.clear();
        self.probs.v.resize(size, (BIT_TOTAL / 2) as u16);
        self.sx = Sx { range: u32::MAX, code: 0, state: 0, rep: [0; 4] };
        self.rc_reset();
    }

    fn rc_reset(&mut self) {
        self.sx.range = u32::MAX;
        self.sx.code = 0;
        self.init_left = 5;
        self.pending = None;
        self.stash_len = 0;
        self.resume = None;
    }

    /// lzma_decoder_uncompressed().
    pub(crate) fn set_uncompressed(&mut self, size: Option<u64>, allow_eopm: bool) {
        self.remaining = size;
        self.allow_eopm = allow_eopm;
    }

    /// lzma_decode(): decodes into `win` (the bytes since the dictionary reset end it) up
    /// to `limit` bytes of window length.
    pub(crate) fn decode(
        &mut self,
        d: &mut Dict,
        win: &mut Vec<u8>,
        limit: usize,
        input: &[u8],
        in_pos: &mut usize,
    ) -> Result<Status, XzError> {
        while self.init_left > 0 {
            let Some(&b) = input.get(*in_pos) else {
                return Ok(Status::Ok);
            };
            // The first byte of a range coder stream is always zero.
            if self.init_left == 5 && b != 0 {
                return Err(XzError::Corrupt);
            }
            self.sx.code = (self.sx.code << 8) | u32::from(b);
            *in_pos += 1;
            self.init_left -= 1;
        }
        let start = win.len();
        let space = limit.saturating_sub(start) as u64;
        let (limit, might_finish) = match self.remaining {
            Some(rem) if rem <= space => (start + rem as usize, true),
            _ => (limit, false),
        };
        let mut ret = self.run(d, win, limit, might_finish, input, in_pos);
        if let Some(rem) = self.remaining.as_mut() {
            *rem = rem.saturating_sub((win.len() - start) as u64);
            // All output is out but the last symbol wanted to write more.
            if *rem == 0 && ret == Ok(Status::Ok) && self.pending.is_some() {
                ret = Err(XzError::Corrupt);
            }
        }
        if ret == Ok(Status::StreamEnd) {
            // Ready for the next LZMA2 chunk's range coder.
            self.rc_reset();
        }
        ret
    }

    fn run(
        &mut self,
        d: &mut Dict,
        win: &mut Vec<u8>,
        limit: usize,
        might_finish: bool,
        input: &[u8],
        in_pos: &mut usize,
    ) -> Result<Status, XzError> {
        let pos_mask = (1usize << self.props.pb) - 1;
        let lp_mask = (1usize << self.props.lp) - 1;
        let lc = self.props.lc;
        loop {
            if let Some(p) = self.pending.take() {
                if !flush(p, &mut self.pending, d, win, limit)? {
                    return Ok(Status::Ok);
                }
            }
            let full = d.t.min(d.size);
            let prev = if d.t == 0 { 0 } else { last_byte(win, 0) };
            let lit_ctx = ((d.t & lp_mask) << lc) + (usize::from(prev) >> (8 - lc));
            let resume = self.resume;
            let c = Ctx {
                pos_state: d.t & pos_mask,
                lit_base: LITERAL + 0x300 * lit_ctx,
                match_byte: if self.sx.state < 7 { 0 } else { u32::from(last_byte(win, self.sx.rep[0] as usize)) },
                full,
                finish_check: match resume {
                    Some(r) => r.finish_check,
                    None => might_finish && win.len() == limit,
                },
                allow_eopm: self.allow_eopm,
                eopm_valid: self.remaining.is_none(),
                eopm_from_check: resume.is_none(),
            };
            let sym = match self.next_symbol(&c, input, in_pos) {
                Ok(Some(sym)) => sym,
                Ok(None) => return Ok(Status::Ok),
                Err(e) => return Err(e),
            };
            let p = match sym {
                Sym::Finished | Sym::Eopm => return Ok(Status::StreamEnd),
                Sym::Lit(b) => Pending::Byte(b),
                Sym::ShortRep => Pending::Byte(last_byte(win, self.sx.rep[0] as usize)),
                Sym::Match(len) => Pending::Copy { dist: self.sx.rep[0], len },
            };
            if !flush(p, &mut self.pending, d, win, limit)? {
                return Ok(Status::Ok);
            }
        }
    }

    /// Decodes the next symbol, or returns `None` after stashing the input of a symbol
    /// that doesn't complete with the input at hand.
    fn next_symbol(&mut self, c: &Ctx, input: &[u8], in_pos: &mut usize) -> Result<Option<Sym>, XzError> {
        let rest = input.get(*in_pos..).unwrap_or(&[]);
        if self.stash_len == 0 && rest.len() >= MAX_SYMBOL_BYTES {
            // A resume without stashed bytes ends here too (its Ctx was already built).
            self.resume = None;
            let mut r = Rd { buf: rest, pos: 0 };
            return match decode_sym::<true>(&mut self.probs, &mut self.sx, &mut r, c) {
                Ok(sym) => {
                    *in_pos += r.pos;
                    Ok(Some(sym))
                }
                // Running out is impossible here (see MAX_SYMBOL_BYTES).
                Err(_) => Err(XzError::Corrupt),
            };
        }
        let mut tmp = [0u8; 2 * MAX_SYMBOL_BYTES];
        let stashed = self.stash_len;
        let take = rest.len().min(MAX_SYMBOL_BYTES);
        let n = stashed + take;
        if let (Some(dst), Some(src)) = (tmp.get_mut(..stashed), self.stash.get(..stashed)) {
            dst.copy_from_slice(src);
        }
        if let (Some(dst), Some(src)) = (tmp.get_mut(stashed..n), rest.get(..take)) {
            dst.copy_from_slice(src);
        }
        let buf = tmp.get(..n).unwrap_or(&[]);
        // Only with less than a symbol's worth of bytes can the symbol be cut short.
        // (Failing before the is_match bit means nothing was read, so `mid` false
        // always comes with an empty stash.)
        if n < MAX_SYMBOL_BYTES {
            let mut s = self.sx;
            let mut r = Rd { buf, pos: 0 };
            if let Err(Fail::Need { mid }) = decode_sym::<false>(&mut self.probs, &mut s, &mut r, c) {
                // liblzma has consumed all of it and waits mid-symbol for more.
                if let Some(dst) = self.stash.get_mut(..n) {
                    dst.copy_from_slice(buf);
                }
                self.stash_len = n;
                self.resume = mid.then_some(Resume { finish_check: c.finish_check });
                *in_pos = input.len();
                return Ok(None);
            }
        }
        let mut r = Rd { buf, pos: 0 };
        let res = decode_sym::<true>(&mut self.probs, &mut self.sx, &mut r, c);
        self.stash_len = 0;
        self.resume = None;
        match res {
            Ok(sym) => {
                *in_pos += r.pos.saturating_sub(stashed);
                Ok(Some(sym))
            }
            Err(_) => Err(XzError::Corrupt),
        }
    }
}

/// The byte `dist` positions back from the end of the window (0 = the last one).
fn last_byte(win: &[u8], dist: usize) -> u8 {
    win.len().checked_sub(dist + 1).and_then(|i| win.get(i)).copied().unwrap_or(0)
}

/// Writes as much of `p` as fits below `limit`; what doesn't fit goes back to `pending`.
/// Returns whether it was written completely.
fn flush(p: Pending, pending: &mut Option<Pending>, d: &mut Dict, win: &mut Vec<u8>, limit: usize) -> Result<bool, XzError> {
    let room = limit.saturating_sub(win.len());
    match p {
        Pending::Byte(b) => {
            if room == 0 {
                *pending = Some(p);
                return Ok(false);
            }
            win.push(b);
            d.t += 1;
            Ok(true)
        }
        Pending::Copy { dist, len } => {
            let n = room.min(len as usize);
            repeat(win, dist as usize, n)?;
            d.t += n;
            let left = len - n as u32;
            if left > 0 {
                *pending = Some(Pending::Copy { dist, len: left });
                return Ok(false);
            }
            Ok(true)
        }
    }
}

/// Appends `n` bytes copied from `dist` + 1 bytes back; the source may overlap the output.
pub(crate) fn repeat(win: &mut Vec<u8>, dist: usize, n: usize) -> Result<(), XzError> {
    let start = win.len().checked_sub(dist + 1).ok_or(XzError::Corrupt)?;
    let mut left = n;
    while left > 0 {
        let chunk = left.min(win.len() - start);
        win.extend_from_within(start..start + chunk);
        left -= chunk;
    }
    Ok(())
}
