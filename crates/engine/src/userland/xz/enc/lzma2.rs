//! LZMA2 chunking, following liblzma's `lzma/lzma2_encoder.c`, and raw LZMA1 for the
//! .lzma format.
//!
//! LZMA2 cuts the LZMA stream into chunks of at most 2 MiB of input and 64 KiB of
//! output. A chunk that did not shrink is stored as is instead, and the LZMA state is
//! reset after it.

use super::lz::{LzOptions, MatchFinder};
use super::lzma::{LzmaEncoder, LzmaOptions};

const UNCOMPRESSED_MAX: usize = 1 << 21;

pub(crate) fn lz_options(opt: &LzmaOptions) -> LzOptions {
    LzOptions { dict_size: opt.dict_size, nice_len: opt.effective_nice_len(), kind: opt.mf, depth: opt.depth }
}

/// The dictionary-size byte of the LZMA2 filter properties: the size rounded up to
/// 2^n or 2^n + 2^(n-1).
pub(crate) fn dict_size_byte(dict_size: u32) -> u8 {
    let mut d = dict_size.max(4096) - 1;
    d |= d >> 2;
    d |= d >> 3;
    d |= d >> 4;
    d |= d >> 8;
    d |= d >> 16;
    if d == u32::MAX {
        40
    } else {
        (super::lzma::get_dist_slot(d + 1) - 24) as u8
    }
}

/// Raw LZMA2 data (the contents of an .xz block), ending with the 0x00 end marker.
/// `opt` must be valid (`LzmaOptions::is_valid`).
pub(crate) fn encode_lzma2(data: &[u8], opt: &LzmaOptions) -> Vec<u8> {
    encode_lzma2_with(MatchFinder::new(data, &lz_options(opt)), opt)
}

/// `encode_lzma2` with a prepared match finder (tests start it at other offsets).
pub(crate) fn encode_lzma2_with(mut mf: MatchFinder, opt: &LzmaOptions) -> Vec<u8> {
    let data = mf.data;
    let mut lzma = LzmaEncoder::new(opt, false);
    let mut out = Vec::with_capacity(data.len() / 4 + 16);
    let mut need_properties = true;
    let mut need_state_reset = false;
    let mut need_dictionary_reset = true;

    loop {
        if mf.unencoded() == 0 {
            out.push(0x00);
            return out;
        }
        if need_state_reset {
            lzma.reset(opt);
        }

        // Stop early enough that the next symbol cannot push the chunk past 2 MiB.
        let read_start = mf.read_pos - mf.read_ahead as usize;
        let limit = read_start + UNCOMPRESSED_MAX - mf.match_len_max as usize;
        lzma.encode(&mut mf, Some(limit));
        let mut uncompressed_size = mf.read_pos - mf.read_ahead as usize - read_start;
        let compressed = std::mem::take(&mut lzma.rc.out);

        if compressed.len() >= uncompressed_size {
            // Stored chunk. The bytes the parser had looked ahead at go in too; the
            // LZMA position does not advance for them (liblzma does the same).
            uncompressed_size += mf.read_ahead as usize;
            mf.read_ahead = 0;
            let size = uncompressed_size.wrapping_sub(1);
            out.push(if need_dictionary_reset { 1 } else { 2 });
            out.push((size >> 8) as u8);
            out.push(size as u8);
            need_dictionary_reset = false;
            let end = mf.read_pos.min(data.len());
            let start = end.saturating_sub(uncompressed_size);
            out.extend_from_slice(&data[start..end]);
            need_state_reset = true;
        } else {
            let control: u8 = if need_properties {
                if need_dictionary_reset {
                    0xE0
                } else {
                    0xC0
                }
            } else if need_state_reset {
                0xA0
            } else {
                0x80
            };
            let usize_m1 = uncompressed_size.wrapping_sub(1);
            let csize_m1 = compressed.len().wrapping_sub(1);
            out.push(control.wrapping_add((usize_m1 >> 16) as u8));
            out.push((usize_m1 >> 8) as u8);
            out.push(usize_m1 as u8);
            out.push((csize_m1 >> 8) as u8);
            out.push(csize_m1 as u8);
            if need_properties {
                out.push(opt.lclppb_byte());
            }
            need_properties = false;
            need_state_reset = false;
            need_dictionary_reset = false;
            out.extend_from_slice(&compressed);
        }
    }
}

/// Raw LZMA1 data with an end-of-payload marker, as in .lzma files.
pub(crate) fn encode_lzma1(data: &[u8], opt: &LzmaOptions) -> Vec<u8> {
    let mut mf = MatchFinder::new(data, &lz_options(opt));
    let mut lzma = LzmaEncoder::new(opt, true);
    lzma.rc.out.reserve(data.len() / 4 + 16);
    lzma.encode(&mut mf, None);
    std::mem::take(&mut lzma.rc.out)
}
