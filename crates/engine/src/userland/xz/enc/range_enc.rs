//! The LZMA range encoder, following liblzma's `rangecoder/range_encoder.h` and
//! `range_common.h`.
//!
//! liblzma queues the bits of one symbol and encodes them later so that it can stop when
//! the output buffer is full. Here the output is a growable `Vec`, so bits are encoded at
//! once; the order of operations (normalise *before* each bit) is kept because it decides
//! `cache_size`, which LZMA2 reads to decide where a chunk ends.

/// An adaptive probability (of a 0 bit), out of `BIT_MODEL_TOTAL`.
pub(crate) type Prob = u16;

pub(crate) const BIT_MODEL_TOTAL_BITS: u32 = 11;
pub(crate) const BIT_MODEL_TOTAL: u32 = 1 << BIT_MODEL_TOTAL_BITS;
/// Every probability starts at one half.
pub(crate) const PROB_INIT: Prob = (BIT_MODEL_TOTAL / 2) as Prob;
const MOVE_BITS: u32 = 5;
const TOP_VALUE: u32 = 1 << 24;
const SHIFT_BITS: u32 = 8;

pub(crate) struct RangeEncoder {
    low: u64,
    cache_size: u64,
    range: u32,
    cache: u8,
    /// Everything written since the encoder was created (or `take_output` was called).
    pub(crate) out: Vec<u8>,
}

impl RangeEncoder {
    pub(crate) fn new() -> Self {
        RangeEncoder { low: 0, cache_size: 1, range: u32::MAX, cache: 0, out: Vec::new() }
    }

    /// Back to the initial state; the bytes already written are kept.
    pub(crate) fn reset(&mut self) {
        self.low = 0;
        self.cache_size = 1;
        self.range = u32::MAX;
        self.cache = 0;
    }

    /// Bytes that a flush would still write; LZMA2 adds this to the output size so far.
    pub(crate) fn pending(&self) -> u64 {
        self.cache_size + 5 - 1
    }

    fn shift_low(&mut self) {
        // A carry can still ripple into the cached byte and the run of 0xFF bytes after
        // it, so they are written only once the top byte of `low` is settled.
        if (self.low as u32) < 0xFF00_0000 || (self.low >> 32) != 0 {
            let carry = (self.low >> 32) as u8;
            loop {
                self.out.push(self.cache.wrapping_add(carry));
                self.cache = 0xFF;
                self.cache_size -= 1;
                if self.cache_size == 0 {
                    break;
                }
            }
            self.cache = (self.low >> 24) as u8;
        }
        self.cache_size += 1;
        self.low = (self.low & 0x00FF_FFFF) << SHIFT_BITS;
    }

    #[inline(always)]
    fn normalize(&mut self) {
        if self.range < TOP_VALUE {
            self.shift_low();
            self.range <<= SHIFT_BITS;
        }
    }

    #[inline(always)]
    pub(crate) fn bit(&mut self, prob: &mut Prob, bit: u32) {
        self.normalize();
        let p = u32::from(*prob);
        let bound = (self.range >> BIT_MODEL_TOTAL_BITS) * p;
        if bit == 0 {
            self.range = bound;
            *prob = (p + ((BIT_MODEL_TOTAL - p) >> MOVE_BITS)) as Prob;
        } else {
            self.low += u64::from(bound);
            self.range -= bound;
            *prob = (p - (p >> MOVE_BITS)) as Prob;
        }
    }

    /// `bit_count` bits of `symbol`, most significant first, through a binary tree of
    /// probabilities rooted at `probs[1]`.
    pub(crate) fn bittree(&mut self, probs: &mut [Prob], bit_count: u32, symbol: u32) {
        let mut index = 1usize;
        for shift in (0..bit_count).rev() {
            let bit = (symbol >> shift) & 1;
            if let Some(p) = probs.get_mut(index) {
                self.bit(p, bit);
            }
            index = (index << 1) + bit as usize;
        }
    }

    /// Like `bittree` but least significant bit first (distance footers, alignment bits).
    pub(crate) fn bittree_reverse(&mut self, probs: &mut [Prob], bit_count: u32, symbol: u32) {
        let mut index = 1usize;
        let mut symbol = symbol;
        for _ in 0..bit_count {
            let bit = symbol & 1;
            symbol >>= 1;
            if let Some(p) = probs.get_mut(index) {
                self.bit(p, bit);
            }
            index = (index << 1) + bit as usize;
        }
    }

    /// Bits with a fixed probability of one half.
    pub(crate) fn direct(&mut self, value: u32, bit_count: u32) {
        for shift in (0..bit_count).rev() {
            self.normalize();
            self.range >>= 1;
            if (value >> shift) & 1 != 0 {
                self.low += u64::from(self.range);
            }
        }
    }

    /// Writes out the last bytes and resets, ready for the next LZMA2 chunk.
    pub(crate) fn flush(&mut self) {
        self.normalize();
        self.range = u32::MAX;
        for _ in 0..5 {
            self.shift_low();
        }
        self.reset();
    }
}
