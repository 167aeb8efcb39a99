//! The LZMA encoder proper: probability models, symbol coding, length price tables and
//! the main loop. Follows liblzma's `lzma/lzma_encoder.c`, `lzma_encoder_private.h`,
//! `lzma_common.h` and `fastpos.h`. The parsers are in `optimum_fast.rs` and
//! `optimum_normal.rs`.

use super::lz::{Match, MatchFinder};
use super::price::{bit0_price, bit1_price, bittree_price};
use super::range_enc::{Prob, RangeEncoder, PROB_INIT};

pub(crate) const REPS: usize = 4;
pub(crate) const STATES: usize = 12;
const LIT_STATES: u32 = 7;
pub(crate) const POS_STATES_MAX: usize = 16;

pub(crate) const MATCH_LEN_MIN: u32 = 2;
const LEN_LOW_BITS: u32 = 3;
const LEN_LOW_SYMBOLS: u32 = 1 << LEN_LOW_BITS;
const LEN_MID_BITS: u32 = 3;
const LEN_MID_SYMBOLS: u32 = 1 << LEN_MID_BITS;
const LEN_HIGH_BITS: u32 = 8;
const LEN_HIGH_SYMBOLS: usize = 1 << LEN_HIGH_BITS;
const LEN_SYMBOLS: usize = (LEN_LOW_SYMBOLS + LEN_MID_SYMBOLS) as usize + LEN_HIGH_SYMBOLS;

pub(crate) const DIST_STATES: usize = 4;
pub(crate) const DIST_SLOT_BITS: u32 = 6;
pub(crate) const DIST_SLOTS: usize = 1 << DIST_SLOT_BITS;
pub(crate) const DIST_MODEL_START: u32 = 4;
pub(crate) const DIST_MODEL_END: u32 = 14;
pub(crate) const FULL_DISTANCES: u32 = 128;
pub(crate) const ALIGN_BITS: u32 = 4;
pub(crate) const ALIGN_SIZE: usize = 1 << ALIGN_BITS;
pub(crate) const ALIGN_MASK: u32 = ALIGN_SIZE as u32 - 1;
/// liblzma indexes `dist_special` from `base - slot - 1`, which can be -1 (the bit tree
/// then starts at index 1). One leading spare entry keeps every index non-negative.
const DIST_SPECIAL_SIZE: usize = 1 + (FULL_DISTANCES - DIST_MODEL_END) as usize;

pub(super) const LITERAL_CODER_SIZE: usize = 0x300;

/// Size of the normal-mode optimum table.
pub(crate) const OPTS: usize = 1 << 12;
/// Most input one step of the main loop can consume.
const LOOP_INPUT_MAX: u64 = OPTS as u64 + 1;
pub(crate) const LZMA2_CHUNK_MAX: u64 = 1 << 16;

// The state remembers the kinds of the last few symbols (see lzma_common.h).
pub(crate) fn update_literal(state: u32) -> u32 {
    if state <= 3 {
        0
    } else if state <= 9 {
        state - 3
    } else {
        state - 6
    }
}
pub(crate) fn update_match(state: u32) -> u32 {
    if state < LIT_STATES {
        7
    } else {
        10
    }
}
pub(crate) fn update_long_rep(state: u32) -> u32 {
    if state < LIT_STATES {
        8
    } else {
        11
    }
}
pub(crate) fn update_short_rep(state: u32) -> u32 {
    if state < LIT_STATES {
        9
    } else {
        11
    }
}
pub(crate) fn is_literal_state(state: u32) -> bool {
    state < LIT_STATES
}

/// Distance slot: the position of the highest set bit and the bit below it.
pub(crate) fn get_dist_slot(dist: u32) -> u32 {
    if dist < 4 {
        dist
    } else {
        let i = 31 - dist.leading_zeros();
        i + i + ((dist >> (i - 1)) & 1)
    }
}

pub(crate) fn get_dist_state(len: u32) -> usize {
    if len < DIST_STATES as u32 + MATCH_LEN_MIN {
        len.saturating_sub(MATCH_LEN_MIN) as usize
    } else {
        DIST_STATES - 1
    }
}

/// `mode=` in `xz --lzma2=`: the greedy parser (presets 0-3) or the optimising one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Fast,
    Normal,
}

/// The LZMA options that reach the encoder (liblzma's `lzma_options_lzma` minus the
/// preset dictionary, which xz never uses).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LzmaOptions {
    pub dict_size: u32,
    pub lc: u32,
    pub lp: u32,
    pub pb: u32,
    pub mode: Mode,
    pub nice_len: u32,
    pub mf: super::lz::MatchFinderKind,
    /// 0 = liblzma's default for the match finder.
    pub depth: u32,
}

impl LzmaOptions {
    /// `nice_len` as the match finder sees it: never below the bytes it hashes.
    pub(crate) fn effective_nice_len(&self) -> u32 {
        self.nice_len.max(self.mf.hash_bytes())
    }

    /// The lc/lp/pb byte of the .lzma header and LZMA2 chunk headers.
    pub(crate) fn lclppb_byte(&self) -> u8 {
        ((self.pb * 5 + self.lp) * 9 + self.lc) as u8
    }
}

pub(crate) struct LengthEncoder {
    choice: Prob,
    choice2: Prob,
    low: [[Prob; LEN_LOW_SYMBOLS as usize]; POS_STATES_MAX],
    mid: [[Prob; LEN_MID_SYMBOLS as usize]; POS_STATES_MAX],
    high: [Prob; LEN_HIGH_SYMBOLS],
    prices: [[u32; LEN_SYMBOLS]; POS_STATES_MAX],
    table_size: u32,
    counters: [u32; POS_STATES_MAX],
}

impl LengthEncoder {
    fn new(table_size: u32) -> Self {
        LengthEncoder {
            choice: PROB_INIT,
            choice2: PROB_INIT,
            low: [[PROB_INIT; LEN_LOW_SYMBOLS as usize]; POS_STATES_MAX],
            mid: [[PROB_INIT; LEN_MID_SYMBOLS as usize]; POS_STATES_MAX],
            high: [PROB_INIT; LEN_HIGH_SYMBOLS],
            prices: [[0; LEN_SYMBOLS]; POS_STATES_MAX],
            table_size,
            counters: [0; POS_STATES_MAX],
        }
    }

    fn reset(&mut self, num_pos_states: usize, fast_mode: bool) {
        self.choice = PROB_INIT;
        self.choice2 = PROB_INIT;
        for ps in 0..num_pos_states {
            self.low[ps] = [PROB_INIT; LEN_LOW_SYMBOLS as usize];
            self.mid[ps] = [PROB_INIT; LEN_MID_SYMBOLS as usize];
        }
        self.high = [PROB_INIT; LEN_HIGH_SYMBOLS];
        if !fast_mode {
            for ps in 0..num_pos_states {
                self.update_prices(ps);
            }
        }
    }

    /// Recomputes the prices of the lengths up to `nice_len` for one position state.
    fn update_prices(&mut self, pos_state: usize) {
        let table_size = self.table_size as usize;
        self.counters[pos_state] = self.table_size;
        let a0 = bit0_price(self.choice);
        let a1 = bit1_price(self.choice);
        let b0 = a1 + bit0_price(self.choice2);
        let b1 = a1 + bit1_price(self.choice2);
        let low = &self.low[pos_state];
        let mid = &self.mid[pos_state];
        let prices = &mut self.prices[pos_state];
        for (i, price) in prices.iter_mut().enumerate().take(table_size.min(LEN_SYMBOLS)) {
            let i = i as u32;
            *price = if i < LEN_LOW_SYMBOLS {
                a0 + bittree_price(low, LEN_LOW_BITS, i)
            } else if i < LEN_LOW_SYMBOLS + LEN_MID_SYMBOLS {
                b0 + bittree_price(mid, LEN_MID_BITS, i - LEN_LOW_SYMBOLS)
            } else {
                b1 + bittree_price(&self.high, LEN_HIGH_BITS, i - LEN_LOW_SYMBOLS - LEN_MID_SYMBOLS)
            };
        }
    }

    #[inline(always)]
    pub(crate) fn price(&self, len: u32, pos_state: usize) -> u32 {
        self.prices[pos_state & (POS_STATES_MAX - 1)].get(len.wrapping_sub(MATCH_LEN_MIN) as usize).copied().unwrap_or(0)
    }

    fn encode(&mut self, rc: &mut RangeEncoder, pos_state: usize, len: u32, fast_mode: bool) {
        let ps = pos_state & (POS_STATES_MAX - 1);
        // Only the normal parser reads the prices. liblzma queues a symbol's bits and
        // applies them to the probabilities after the symbol, so a refresh triggered
        // by this length still sees the probabilities from before it: refresh first.
        if !fast_mode {
            self.counters[ps] = self.counters[ps].wrapping_sub(1);
            if self.counters[ps] == 0 {
                self.update_prices(ps);
            }
        }
        let len = len.wrapping_sub(MATCH_LEN_MIN);
        if len < LEN_LOW_SYMBOLS {
            rc.bit(&mut self.choice, 0);
            rc.bittree(&mut self.low[ps], LEN_LOW_BITS, len);
        } else {
            rc.bit(&mut self.choice, 1);
            let len = len - LEN_LOW_SYMBOLS;
            if len < LEN_MID_SYMBOLS {
                rc.bit(&mut self.choice2, 0);
                rc.bittree(&mut self.mid[ps], LEN_MID_BITS, len);
            } else {
                rc.bit(&mut self.choice2, 1);
                rc.bittree(&mut self.high, LEN_HIGH_BITS, len - LEN_MID_SYMBOLS);
            }
        }
    }
}

/// One entry of the normal parser's table: the cheapest known way to reach a position.
#[derive(Clone, Copy, Default)]
pub(crate) struct Optimal {
    pub(crate) state: u32,
    pub(crate) prev_1_is_literal: bool,
    pub(crate) prev_2: bool,
    pub(crate) pos_prev_2: u32,
    pub(crate) back_prev_2: u32,
    pub(crate) price: u32,
    pub(crate) pos_prev: u32,
    pub(crate) back_prev: u32,
    pub(crate) backs: [u32; REPS],
}

pub(crate) struct LzmaEncoder {
    pub(crate) rc: RangeEncoder,
    /// Bytes encoded so far; its low bits give the position state.
    pub(crate) uncomp_size: u64,
    pub(crate) state: u32,
    pub(crate) reps: [u32; REPS],
    /// The candidates of the last `find` made by a parser; `len()` is liblzma's
    /// `matches_count`.
    pub(crate) matches: Vec<Match>,
    pub(crate) longest_match_length: u32,
    pub(crate) fast_mode: bool,
    is_initialized: bool,
    use_eopm: bool,
    pub(crate) pos_mask: u32,
    pub(crate) lc: u32,
    pub(crate) lp_mask: u32,

    pub(crate) literal: Vec<Prob>,
    pub(crate) is_match: [[Prob; POS_STATES_MAX]; STATES],
    pub(crate) is_rep: [Prob; STATES],
    pub(crate) is_rep0: [Prob; STATES],
    pub(crate) is_rep1: [Prob; STATES],
    pub(crate) is_rep2: [Prob; STATES],
    pub(crate) is_rep0_long: [[Prob; POS_STATES_MAX]; STATES],
    pub(crate) dist_slot: [[Prob; DIST_SLOTS]; DIST_STATES],
    pub(crate) dist_special: [Prob; DIST_SPECIAL_SIZE],
    pub(crate) dist_align: [Prob; ALIGN_SIZE],
    pub(crate) match_len_encoder: LengthEncoder,
    pub(crate) rep_len_encoder: LengthEncoder,

    pub(crate) dist_slot_prices: [[u32; DIST_SLOTS]; DIST_STATES],
    pub(crate) dist_prices: [[u32; FULL_DISTANCES as usize]; DIST_STATES],
    pub(crate) dist_table_size: u32,
    pub(crate) match_price_count: u32,
    pub(crate) align_prices: [u32; ALIGN_SIZE],
    pub(crate) align_price_count: u32,

    pub(crate) opts_end_index: u32,
    pub(crate) opts_current_index: u32,
    /// Empty in fast mode. liblzma's table comes from a large malloc, which the C
    /// library maps fresh (zeroed); stale entries are read, so zeros matter here too.
    pub(crate) opts: Vec<Optimal>,
}

impl LzmaEncoder {
    /// `lzma_lzma_encoder_create` + reset. `use_eopm` is set for .lzma (LZMA1).
    pub(crate) fn new(opt: &LzmaOptions, use_eopm: bool) -> Box<Self> {
        let fast_mode = opt.mode == Mode::Fast;
        let mut dist_table_size = 0;
        let mut len_table_size = 0;
        if !fast_mode {
            let mut log_size = 0;
            while log_size < 32 && (1u64 << log_size) < u64::from(opt.dict_size) {
                log_size += 1;
            }
            dist_table_size = log_size * 2;
            len_table_size = opt.effective_nice_len() + 1 - MATCH_LEN_MIN;
        }
        let mut enc = Box::new(LzmaEncoder {
            rc: RangeEncoder::new(),
            uncomp_size: 0,
            state: 0,
            reps: [0; REPS],
            matches: Vec::with_capacity(MATCH_LEN_MAX_USIZE + 1),
            longest_match_length: 0,
            fast_mode,
            is_initialized: false,
            use_eopm,
            pos_mask: 0,
            lc: 0,
            lp_mask: 0,
            literal: Vec::new(),
            is_match: [[PROB_INIT; POS_STATES_MAX]; STATES],
            is_rep: [PROB_INIT; STATES],
            is_rep0: [PROB_INIT; STATES],
            is_rep1: [PROB_INIT; STATES],
            is_rep2: [PROB_INIT; STATES],
            is_rep0_long: [[PROB_INIT; POS_STATES_MAX]; STATES],
            dist_slot: [[PROB_INIT; DIST_SLOTS]; DIST_STATES],
            dist_special: [PROB_INIT; DIST_SPECIAL_SIZE],
            dist_align: [PROB_INIT; ALIGN_SIZE],
            match_len_encoder: LengthEncoder::new(len_table_size),
            rep_len_encoder: LengthEncoder::new(len_table_size),
            dist_slot_prices: [[0; DIST_SLOTS]; DIST_STATES],
            dist_prices: [[0; FULL_DISTANCES as usize]; DIST_STATES],
            dist_table_size,
            match_price_count: 0,
            align_prices: [0; ALIGN_SIZE],
            align_price_count: 0,
            opts_end_index: 0,
            opts_current_index: 0,
            opts: if fast_mode { Vec::new() } else { vec![Optimal::default(); OPTS] },
        });
        enc.reset(opt);
        enc
    }

    /// `lzma_lzma_encoder_reset`: fresh probabilities and state; LZMA2 calls it after an
    /// uncompressed chunk. The position (`uncomp_size`) is deliberately left alone.
    pub(crate) fn reset(&mut self, opt: &LzmaOptions) {
        self.pos_mask = (1 << opt.pb) - 1;
        self.lc = opt.lc;
        self.lp_mask = (1 << opt.lp) - 1;
        self.rc.reset();
        self.state = 0;
        self.reps = [0; REPS];
        self.literal.clear();
        self.literal.resize(LITERAL_CODER_SIZE << (opt.lc + opt.lp), PROB_INIT);
        self.is_match = [[PROB_INIT; POS_STATES_MAX]; STATES];
        self.is_rep = [PROB_INIT; STATES];
        self.is_rep0 = [PROB_INIT; STATES];
        self.is_rep1 = [PROB_INIT; STATES];
        self.is_rep2 = [PROB_INIT; STATES];
        self.is_rep0_long = [[PROB_INIT; POS_STATES_MAX]; STATES];
        self.dist_special = [PROB_INIT; DIST_SPECIAL_SIZE];
        self.dist_slot = [[PROB_INIT; DIST_SLOTS]; DIST_STATES];
        self.dist_align = [PROB_INIT; ALIGN_SIZE];
        let num_pos_states = 1usize << opt.pb;
        self.match_len_encoder.reset(num_pos_states, self.fast_mode);
        self.rep_len_encoder.reset(num_pos_states, self.fast_mode);
        // Big enough to force a price refresh before first use, small enough not to
        // overflow when incremented.
        self.match_price_count = u32::MAX / 2;
        self.align_price_count = u32::MAX / 2;
        self.opts_end_index = 0;
        self.opts_current_index = 0;
    }

    /// Start of the literal coder for a byte at `pos` that follows `prev_byte`.
    #[inline(always)]
    pub(crate) fn literal_base(&self, pos: u32, prev_byte: u8) -> usize {
        let index = ((pos & self.lp_mask) << self.lc) + (u32::from(prev_byte) >> (8 - self.lc));
        index as usize * LITERAL_CODER_SIZE
    }

    fn literal(&mut self, mf: &MatchFinder, position: u32) {
        let back = mf.read_ahead as usize;
        let cur_byte = mf.byte_back(back);
        let base = self.literal_base(position, mf.byte_back(back + 1));
        let Some(probs) = self.literal.get_mut(base..base + LITERAL_CODER_SIZE) else {
            return;
        };
        if is_literal_state(self.state) {
            self.rc.bittree(probs, 8, u32::from(cur_byte));
        } else {
            // After a match, the byte at rep0 predicts this one bit by bit until they differ.
            let match_byte = mf.byte_back(back + self.reps[0] as usize + 1);
            for (index, bit) in matched_literal_bits(match_byte, cur_byte) {
                if let Some(p) = probs.get_mut(index) {
                    self.rc.bit(p, bit);
                }
            }
        }
        self.state = update_literal(self.state);
    }

    fn encode_match(&mut self, pos_state: usize, distance: u32, len: u32) {
        self.state = update_match(self.state);
        self.match_len_encoder.encode(&mut self.rc, pos_state, len, self.fast_mode);
        let dist_slot = get_dist_slot(distance);
        let dist_state = get_dist_state(len);
        self.rc.bittree(&mut self.dist_slot[dist_state], DIST_SLOT_BITS, dist_slot);
        if dist_slot >= DIST_MODEL_START {
            let footer_bits = (dist_slot >> 1) - 1;
            let base = (2 | (dist_slot & 1)) << footer_bits;
            let dist_reduced = distance.wrapping_sub(base);
            if dist_slot < DIST_MODEL_END {
                let start = (base - dist_slot) as usize;
                if let Some(probs) = self.dist_special.get_mut(start..) {
                    self.rc.bittree_reverse(probs, footer_bits, dist_reduced);
                }
            } else {
                self.rc.direct(dist_reduced >> ALIGN_BITS, footer_bits - ALIGN_BITS);
                self.rc.bittree_reverse(&mut self.dist_align, ALIGN_BITS, dist_reduced & ALIGN_MASK);
                self.align_price_count = self.align_price_count.wrapping_add(1);
            }
        }
        self.reps = [distance, self.reps[0], self.reps[1], self.reps[2]];
        self.match_price_count = self.match_price_count.wrapping_add(1);
    }

    fn encode_rep_match(&mut self, pos_state: usize, rep: u32, len: u32) {
        let s = self.state as usize;
        if rep == 0 {
            self.rc.bit(&mut self.is_rep0[s], 0);
            self.rc.bit(&mut self.is_rep0_long[s][pos_state], u32::from(len != 1));
        } else {
            let distance = self.reps[rep as usize & 3];
            self.rc.bit(&mut self.is_rep0[s], 1);
            if rep == 1 {
                self.rc.bit(&mut self.is_rep1[s], 0);
            } else {
                self.rc.bit(&mut self.is_rep1[s], 1);
                self.rc.bit(&mut self.is_rep2[s], rep - 2);
                if rep == 3 {
                    self.reps[3] = self.reps[2];
                }
                self.reps[2] = self.reps[1];
            }
            self.reps[1] = self.reps[0];
            self.reps[0] = distance;
        }
        if len == 1 {
            self.state = update_short_rep(self.state);
        } else {
            self.rep_len_encoder.encode(&mut self.rc, pos_state, len, self.fast_mode);
            self.state = update_long_rep(self.state);
        }
    }

    /// `back`: `u32::MAX` = literal, 0..4 = repeated match, else match at `back - 4`.
    fn encode_symbol(&mut self, mf: &mut MatchFinder, back: u32, len: u32, position: u32) {
        let pos_state = (position & self.pos_mask) as usize;
        let s = self.state as usize;
        if back == u32::MAX {
            self.rc.bit(&mut self.is_match[s][pos_state], 0);
            self.literal(mf, position);
        } else {
            self.rc.bit(&mut self.is_match[s][pos_state], 1);
            if back < REPS as u32 {
                self.rc.bit(&mut self.is_rep[s], 1);
                self.encode_rep_match(pos_state, back, len);
            } else {
                self.rc.bit(&mut self.is_rep[s], 0);
                self.encode_match(pos_state, back - REPS as u32, len);
            }
        }
        mf.read_ahead = mf.read_ahead.saturating_sub(len);
    }

    /// The first symbol of a stream is always a literal with position 0 and previous
    /// byte 0.
    fn encode_init(&mut self, mf: &mut MatchFinder) {
        if mf.read_pos < mf.data.len() {
            mf.skip(1);
            mf.read_ahead = 0;
            self.rc.bit(&mut self.is_match[0][0], 0);
            let first = u32::from(mf.data[0]);
            if let Some(probs) = self.literal.get_mut(..LITERAL_CODER_SIZE) {
                self.rc.bittree(probs, 8, first);
            }
            self.uncomp_size += 1;
        }
        self.is_initialized = true;
    }

    fn encode_eopm(&mut self, position: u32) {
        let pos_state = (position & self.pos_mask) as usize;
        let s = self.state as usize;
        self.rc.bit(&mut self.is_match[s][pos_state], 1);
        self.rc.bit(&mut self.is_rep[s], 0);
        self.encode_match(pos_state, u32::MAX, MATCH_LEN_MIN);
    }

    /// `lzma_lzma_encode` with all input present: encodes until the input runs out or,
    /// with `limit` (LZMA2), until the chunk is full, then flushes the range coder.
    /// `limit` is the input position the chunk must not pass.
    pub(crate) fn encode(&mut self, mf: &mut MatchFinder, limit: Option<usize>) {
        if !self.is_initialized {
            self.encode_init(mf);
        }
        loop {
            let encoded_to = mf.read_pos - mf.read_ahead as usize;
            if let Some(limit) = limit {
                if encoded_to >= limit || self.rc.out.len() as u64 + self.rc.pending() >= LZMA2_CHUNK_MAX - LOOP_INPUT_MAX {
                    break;
                }
            }
            if mf.read_pos >= mf.data.len() && mf.read_ahead == 0 {
                break;
            }
            let position = self.uncomp_size as u32;
            let (back, len) = if self.fast_mode { self.optimum_fast(mf) } else { self.optimum_normal(mf, position) };
            self.encode_symbol(mf, back, len, position);
            self.uncomp_size += u64::from(len);
        }
        if self.use_eopm {
            self.encode_eopm(self.uncomp_size as u32);
        }
        self.rc.flush();
    }
}

const MATCH_LEN_MAX_USIZE: usize = 273;

/// A literal coded after a match, bit by bit, each bit with the probability it takes: the byte
/// at rep0 predicts the bits until the first that differs (liblzma's `literal_matched`, which
/// the encoder writes and the optimal parser prices).
pub(super) fn matched_literal_bits(match_byte: u8, symbol: u8) -> impl Iterator<Item = (usize, u32)> {
    let mut match_byte = u32::from(match_byte);
    let mut symbol = u32::from(symbol) | 0x100;
    let mut offset = 0x100;
    std::iter::from_fn(move || {
        if symbol >= 0x10000 {
            return None;
        }
        match_byte <<= 1;
        let match_bit = match_byte & offset;
        let index = (offset + match_bit + (symbol >> 8)) as usize;
        let bit = (symbol >> 7) & 1;
        symbol <<= 1;
        offset &= !(match_byte ^ symbol);
        Some((index, bit))
    })
}
