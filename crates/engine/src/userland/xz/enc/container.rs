//! The .xz container around one LZMA2 block, and the .lzma header. Follows liblzma's
//! `common/stream_encoder.c`, `block_encoder.c`, `block_header_encoder.c`,
//! `filter_flags_encoder.c`, `index_encoder.c`, `index.c`, `vli_encoder.c`,
//! `stream_flags_encoder.c` and `alone_encoder.c`.
//!
//! Single-threaded xz writes one block holding all the input, with no sizes in the
//! block header, or no block at all for empty input.

use sha2::{Digest, Sha256};

use crate::userland::crc::{crc32, crc64};

const HEADER_MAGIC: [u8; 6] = [0xFD, b'7', b'z', b'X', b'Z', 0x00];
const FOOTER_MAGIC: [u8; 2] = [b'Y', b'Z'];
const FILTER_LZMA2: u8 = 0x21;

/// The integrity check stored after the block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Check {
    None,
    Crc32,
    Crc64,
    Sha256,
}

impl Check {
    fn id(self) -> u8 {
        match self {
            Check::None => 0x00,
            Check::Crc32 => 0x01,
            Check::Crc64 => 0x04,
            Check::Sha256 => 0x0A,
        }
    }

    fn compute(self, data: &[u8]) -> Vec<u8> {
        match self {
            Check::None => Vec::new(),
            Check::Crc32 => crc32(data, 0).to_le_bytes().to_vec(),
            Check::Crc64 => crc64(data, 0).to_le_bytes().to_vec(),
            Check::Sha256 => Sha256::digest(data).to_vec(),
        }
    }
}

/// xz's variable-length integers: 7 bits a byte, low bits first.
fn put_vli(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn pad_to_4(out: &mut Vec<u8>, from: usize) {
    while !(out.len() - from).is_multiple_of(4) {
        out.push(0);
    }
}

fn stream_flags(check: Check) -> [u8; 2] {
    [0x00, check.id()]
}

/// A whole .xz stream with one block, as single-threaded xz writes it. `lzma2` is the
/// compressed block data for `data`.
pub(crate) fn xz_stream(data: &[u8], lzma2: &[u8], dict_byte: u8, check: Check) -> Vec<u8> {
    let blocks: Vec<(&[u8], &[u8])> = if data.is_empty() { Vec::new() } else { vec![(data, lzma2)] };
    xz_stream_of_blocks(&blocks, dict_byte, check, None)
}

/// The number of bytes a VLI takes.
fn vli_len(value: u64) -> usize {
    let mut v = Vec::new();
    put_vli(&mut v, value);
    v.len()
}

/// A whole .xz stream of blocks, each its data and that data compressed on its own. The
/// multi-threaded encoder writes each block's sizes into its header, which it sized before
/// compressing for the largest sizes a block could have (`sizes_up_to`: compressed,
/// uncompressed), padding what the real sizes leave.
pub(crate) fn xz_stream_of_blocks(blocks: &[(&[u8], &[u8])], dict_byte: u8, check: Check, sizes_up_to: Option<(u64, u64)>) -> Vec<u8> {
    let sizes = sizes_up_to.is_some();
    // Size byte, flags, the sizes, the LZMA2 filter flags; to a multiple of four; the CRC32.
    let header_size = sizes_up_to.map(|(c, u)| (2 + vli_len(c) + vli_len(u) + 3).div_ceil(4) * 4 + 4);
    let mut out = Vec::with_capacity(blocks.iter().map(|(_, z)| z.len() + 64).sum::<usize>() + 64);

    out.extend_from_slice(&HEADER_MAGIC);
    out.extend_from_slice(&stream_flags(check));
    out.extend_from_slice(&crc32(&stream_flags(check), 0).to_le_bytes());

    // (unpadded size, uncompressed size) of each block.
    let mut records = Vec::with_capacity(blocks.len());
    for (data, lzma2) in blocks {
        let check_bytes = check.compute(data);
        let block_start = out.len();
        // Block header: size, flags (one filter; the sizes if told), LZMA2 filter flags.
        out.extend_from_slice(&[0, if sizes { 0xC0 } else { 0x00 }]);
        if sizes {
            put_vli(&mut out, lzma2.len() as u64);
            put_vli(&mut out, data.len() as u64);
        }
        out.extend_from_slice(&[FILTER_LZMA2, 0x01, dict_byte]);
        pad_to_4(&mut out, block_start);
        if let Some(size) = header_size {
            out.resize(block_start + size - 4, 0);
        }
        out.extend_from_slice(&[0; 4]);
        let header_size = out.len() - block_start;
        out[block_start] = ((header_size - 4) / 4) as u8;
        let header_crc = crc32(&out[block_start..block_start + header_size - 4], 0);
        let crc_at = block_start + header_size - 4;
        out[crc_at..crc_at + 4].copy_from_slice(&header_crc.to_le_bytes());

        out.extend_from_slice(lzma2);
        let unpadded = header_size + lzma2.len() + check_bytes.len();
        pad_to_4(&mut out, block_start);
        out.extend_from_slice(&check_bytes);
        records.push((unpadded as u64, data.len() as u64));
    }

    let index_start = out.len();
    out.push(0x00);
    put_vli(&mut out, records.len() as u64);
    for (unpadded, uncompressed) in records {
        put_vli(&mut out, unpadded);
        put_vli(&mut out, uncompressed);
    }
    pad_to_4(&mut out, index_start);
    let index_crc = crc32(&out[index_start..], 0);
    out.extend_from_slice(&index_crc.to_le_bytes());
    let index_size = out.len() - index_start;

    let mut footer_fields = Vec::with_capacity(6);
    footer_fields.extend_from_slice(&((index_size / 4 - 1) as u32).to_le_bytes());
    footer_fields.extend_from_slice(&stream_flags(check));
    out.extend_from_slice(&crc32(&footer_fields, 0).to_le_bytes());
    out.extend_from_slice(&footer_fields);
    out.extend_from_slice(&FOOTER_MAGIC);
    out
}

/// The 13-byte .lzma header: properties, dictionary size, unknown uncompressed size.
pub(crate) fn lzma_alone_header(lclppb: u8, dict_size: u32) -> [u8; 13] {
    // Rounded up to 2^n or 2^n + 2^(n-1), which liblzma's decoder insists on.
    let mut d = dict_size.max(1) - 1;
    d |= d >> 2;
    d |= d >> 3;
    d |= d >> 4;
    d |= d >> 8;
    d |= d >> 16;
    d = d.saturating_add(1);
    let mut header = [0xFF; 13];
    header[0] = lclppb;
    header[1..5].copy_from_slice(&d.to_le_bytes());
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vli() {
        let mut v = Vec::new();
        put_vli(&mut v, 0x7F);
        put_vli(&mut v, 0x80);
        put_vli(&mut v, 300);
        assert_eq!(v, [0x7F, 0x80, 0x01, 0xAC, 0x02]);
    }

    #[test]
    fn alone_header_rounds_dictionary() {
        assert_eq!(lzma_alone_header(0x5D, 1 << 23)[1..5], (1u32 << 23).to_le_bytes());
        assert_eq!(lzma_alone_header(0x5D, 5000)[1..5], 6144u32.to_le_bytes());
    }
}
