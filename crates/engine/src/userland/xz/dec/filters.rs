//! The filter chain of a Block: Delta (delta/delta_decoder.c) and the x86 BCJ filter
//! (simple/simple_coder.c, simple/x86.c) in front of the LZ decoder.
//!
//! The BCJ coder holds back up to four bytes it can't convert yet; its buffering is ported
//! as is because it decides how much output xz has written when a later error stops it.

use super::lz::LzDecoder;
use super::{Status, XzError};

pub(crate) enum Filter {
    Delta(Box<Delta>),
    X86(Box<X86>),
}

pub(crate) struct Delta {
    distance: usize,
    pos: u8,
    history: [u8; 256],
}

impl Delta {
    pub(crate) fn new(distance: usize) -> Delta {
        Delta { distance, pos: 0, history: [0; 256] }
    }

    fn decode(&mut self, buf: &mut [u8]) {
        for b in buf {
            let i = usize::from(self.pos).wrapping_add(self.distance) & 0xFF;
            *b = b.wrapping_add(self.history.get(i).copied().unwrap_or(0));
            if let Some(h) = self.history.get_mut(usize::from(self.pos)) {
                *h = *b;
            }
            self.pos = self.pos.wrapping_sub(1);
        }
    }
}

/// The outermost filter first, the LZ decoder (LZMA2) last.
pub(crate) struct Chain {
    pub filters: Vec<Filter>,
    pub lz: LzDecoder,
}

impl Chain {
    pub(crate) fn code(&mut self, input: &[u8], in_pos: &mut usize, out: &mut Vec<u8>, out_size: usize) -> Result<Status, XzError> {
        code_at(&mut self.filters, &mut self.lz, input, in_pos, out, out_size)
    }
}

fn code_at(
    filters: &mut [Filter],
    lz: &mut LzDecoder,
    input: &[u8],
    in_pos: &mut usize,
    out: &mut Vec<u8>,
    out_size: usize,
) -> Result<Status, XzError> {
    match filters.split_first_mut() {
        None => lz.code(input, in_pos, out, out_size),
        Some((Filter::Delta(d), rest)) => {
            let start = out.len();
            let ret = code_at(rest, lz, input, in_pos, out, out_size);
            d.decode(out.get_mut(start..).unwrap_or(&mut []));
            ret
        }
        Some((Filter::X86(x), rest)) => {
            let mut next = Next { filters: rest, lz, input, in_pos };
            x.code(&mut next, out, out_size)
        }
    }
}

/// The rest of the chain as the BCJ coder's source of data.
struct Next<'a, 'b> {
    filters: &'a mut [Filter],
    lz: &'a mut LzDecoder,
    input: &'b [u8],
    in_pos: &'a mut usize,
}

impl Next<'_, '_> {
    fn code(&mut self, out: &mut Vec<u8>, out_size: usize) -> Result<Status, XzError> {
        code_at(self.filters, self.lz, self.input, self.in_pos, out, out_size)
    }
}

/// lzma_simple_coder with the x86 filter; `allocated` is 2 * 5 bytes.
pub(crate) struct X86 {
    buffer: [u8; 10],
    pos: usize,
    filtered: usize,
    size: usize,
    end_was_reached: bool,
    now_pos: u32,
    prev_mask: u32,
    prev_pos: u32,
}

impl X86 {
    pub(crate) fn new(start_offset: u32) -> X86 {
        X86 {
            buffer: [0; 10],
            pos: 0,
            filtered: 0,
            size: 0,
            end_was_reached: false,
            now_pos: start_offset,
            prev_mask: 0,
            prev_pos: 0u32.wrapping_sub(5),
        }
    }

    /// copy_or_code(): STREAM_END only marks the end.
    fn pull(&mut self, next: &mut Next, out: &mut Vec<u8>, out_size: usize) -> Result<(), XzError> {
        match next.code(out, out_size)? {
            Status::StreamEnd => self.end_was_reached = true,
            Status::Ok | Status::UnsupportedCheck => {}
        }
        Ok(())
    }

    /// Copies buffer[pos..filtered] to `out` as far as it fits.
    fn copy_out(&mut self, out: &mut Vec<u8>, out_size: usize) {
        let n = (self.filtered - self.pos).min(out_size.saturating_sub(out.len()));
        out.extend_from_slice(self.buffer.get(self.pos..self.pos + n).unwrap_or(&[]));
        self.pos += n;
    }

    /// simple_code().
    fn code(&mut self, next: &mut Next, out: &mut Vec<u8>, out_size: usize) -> Result<Status, XzError> {
        if self.pos < self.filtered {
            self.copy_out(out, out_size);
            if self.pos < self.filtered {
                return Ok(Status::Ok);
            }
            if self.end_was_reached {
                return Ok(Status::StreamEnd);
            }
        }
        self.filtered = 0;
        let out_avail = out_size.saturating_sub(out.len());
        let buf_avail = self.size - self.pos;
        if out_avail > buf_avail || buf_avail == 0 {
            // Decode straight into `out`, then take back what can't be filtered yet.
            let out_start = out.len();
            out.extend_from_slice(self.buffer.get(self.pos..self.size).unwrap_or(&[]));
            self.pull(next, out, out_size)?;
            let filtered = self.filter(out.get_mut(out_start..).unwrap_or(&mut []));
            let unfiltered = out.len() - out_start - filtered;
            self.pos = 0;
            self.size = unfiltered;
            if self.end_was_reached {
                self.size = 0;
            } else if unfiltered > 0 {
                let keep = out.len() - unfiltered;
                if let (Some(dst), Some(src)) = (self.buffer.get_mut(..unfiltered), out.get(keep..)) {
                    dst.copy_from_slice(src);
                }
                out.truncate(keep);
            }
        } else if self.pos > 0 {
            self.buffer.copy_within(self.pos..self.size, 0);
            self.size -= self.pos;
            self.pos = 0;
        }
        if self.size > 0 {
            let mut tmp = self.buffer.get(..self.size).unwrap_or(&[]).to_vec();
            self.pull(next, &mut tmp, self.buffer.len())?;
            self.size = tmp.len().min(self.buffer.len());
            if let (Some(dst), Some(src)) = (self.buffer.get_mut(..self.size), tmp.get(..self.size)) {
                dst.copy_from_slice(src);
            }
            let mut buf = self.buffer;
            self.filtered = self.filter(buf.get_mut(..self.size).unwrap_or(&mut []));
            self.buffer = buf;
            if self.end_was_reached {
                self.filtered = self.size;
            }
            self.copy_out(out, out_size);
        }
        if self.end_was_reached && self.pos == self.size {
            return Ok(Status::StreamEnd);
        }
        Ok(Status::Ok)
    }

    /// call_filter() with x86_code() for decoding; returns how many bytes are final.
    fn filter(&mut self, buf: &mut [u8]) -> usize {
        const ALLOWED: [bool; 8] = [true, true, true, false, true, false, false, false];
        const BIT_NUMBER: [u32; 8] = [0, 1, 2, 2, 3, 3, 3, 3];
        let test = |b: u8| b == 0 || b == 0xFF;
        if buf.len() < 5 {
            return 0;
        }
        let now = self.now_pos;
        let mut prev_mask = self.prev_mask;
        let mut prev_pos = self.prev_pos;
        if now.wrapping_sub(prev_pos) > 5 {
            prev_pos = now.wrapping_sub(5);
        }
        let mut i = 0usize;
        while let Some(w) = buf.get_mut(i..i + 5) {
            if w[0] != 0xE8 && w[0] != 0xE9 {
                i += 1;
                continue;
            }
            let here = now.wrapping_add(i as u32);
            let offset = here.wrapping_sub(prev_pos);
            prev_pos = here;
            if offset > 5 {
                prev_mask = 0;
            } else {
                for _ in 0..offset {
                    prev_mask &= 0x77;
                    prev_mask <<= 1;
                }
            }
            let idx = ((prev_mask >> 1) & 7) as usize;
            if test(w[4]) && ALLOWED[idx] && (prev_mask >> 1) < 0x10 {
                let mut src = u32::from_le_bytes([w[1], w[2], w[3], w[4]]);
                let mut dest;
                loop {
                    dest = src.wrapping_sub(here.wrapping_add(5));
                    if prev_mask == 0 {
                        break;
                    }
                    let n = BIT_NUMBER.get((prev_mask >> 1) as usize).copied().unwrap_or(0);
                    if !test((dest >> (24 - n * 8)) as u8) {
                        break;
                    }
                    src = dest ^ 1u32.checked_shl(32 - n * 8).unwrap_or(0).wrapping_sub(1);
                }
                w[4] = !(((dest >> 24) & 1).wrapping_sub(1)) as u8;
                w[3] = (dest >> 16) as u8;
                w[2] = (dest >> 8) as u8;
                w[1] = dest as u8;
                i += 5;
                prev_mask = 0;
            } else {
                i += 1;
                prev_mask |= 1;
                if test(w[4]) {
                    prev_mask |= 0x10;
                }
            }
        }
        self.prev_mask = prev_mask;
        self.prev_pos = prev_pos;
        self.now_pos = now.wrapping_add(i as u32);
        i
    }
}
