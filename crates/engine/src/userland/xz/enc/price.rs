//! Bit prices (costs in 1/16 bit) used by the normal-mode parser, following liblzma's
//! `rangecoder/price.h` and `price_tablegen.c`. The table is computed at compile time
//! with the same integer algorithm, so it equals liblzma's `lzma_rc_prices`.

use super::range_enc::{Prob, BIT_MODEL_TOTAL, BIT_MODEL_TOTAL_BITS};

const MOVE_REDUCING_BITS: u32 = 4;
const BIT_PRICE_SHIFT_BITS: u32 = 4;
const PRICE_TABLE_SIZE: usize = (BIT_MODEL_TOTAL >> MOVE_REDUCING_BITS) as usize;
/// Larger than any real price; marks an unreachable position in the optimum table.
pub(crate) const INFINITY_PRICE: u32 = 1 << 30;

const fn price_table() -> [u8; PRICE_TABLE_SIZE] {
    let mut table = [0u8; PRICE_TABLE_SIZE];
    let mut i = (1u32 << MOVE_REDUCING_BITS) / 2;
    while i < BIT_MODEL_TOTAL {
        // -log2(i / 2048) in fixed point, by repeated squaring.
        let mut w = i;
        let mut bit_count = 0u32;
        let mut j = 0;
        while j < BIT_PRICE_SHIFT_BITS {
            w *= w;
            bit_count <<= 1;
            while w >= (1 << 16) {
                w >>= 1;
                bit_count += 1;
            }
            j += 1;
        }
        table[(i >> MOVE_REDUCING_BITS) as usize] = ((BIT_MODEL_TOTAL_BITS << BIT_PRICE_SHIFT_BITS) - 15 - bit_count) as u8;
        i += 1 << MOVE_REDUCING_BITS;
    }
    table
}

static PRICES: [u8; PRICE_TABLE_SIZE] = price_table();

#[inline(always)]
fn lookup(index: u32) -> u32 {
    u32::from(PRICES[(index >> MOVE_REDUCING_BITS) as usize & (PRICE_TABLE_SIZE - 1)])
}

#[inline(always)]
pub(crate) fn bit_price(prob: Prob, bit: u32) -> u32 {
    lookup(u32::from(prob) ^ (0u32.wrapping_sub(bit) & (BIT_MODEL_TOTAL - 1)))
}

#[inline(always)]
pub(crate) fn bit0_price(prob: Prob) -> u32 {
    lookup(u32::from(prob))
}

#[inline(always)]
pub(crate) fn bit1_price(prob: Prob) -> u32 {
    lookup(u32::from(prob) ^ (BIT_MODEL_TOTAL - 1))
}

/// Price of `symbol` through a bit tree rooted at `probs[1]`.
pub(crate) fn bittree_price(probs: &[Prob], bit_levels: u32, symbol: u32) -> u32 {
    let mut price = 0;
    let mut symbol = symbol | (1 << bit_levels);
    while symbol != 1 {
        let bit = symbol & 1;
        symbol >>= 1;
        price += bit_price(probs.get(symbol as usize).copied().unwrap_or(0), bit);
    }
    price
}

pub(crate) fn bittree_reverse_price(probs: &[Prob], bit_levels: u32, symbol: u32) -> u32 {
    let mut price = 0;
    let mut index = 1usize;
    let mut symbol = symbol;
    for _ in 0..bit_levels {
        let bit = symbol & 1;
        symbol >>= 1;
        price += bit_price(probs.get(index).copied().unwrap_or(0), bit);
        index = (index << 1) + bit as usize;
    }
    price
}

pub(crate) fn direct_price(bits: u32) -> u32 {
    bits << BIT_PRICE_SHIFT_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_liblzma_ends() {
        // First and last rows of liblzma's generated price_table.c.
        assert_eq!(&PRICES[..8], &[128, 103, 91, 84, 78, 73, 69, 66]);
        assert_eq!(&PRICES[120..], &[2, 2, 2, 1, 1, 1, 1, 1]);
    }
}
