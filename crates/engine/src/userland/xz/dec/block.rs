//! Block Header (common/block_header_decoder.c, filter_flags_decoder.c) and the Block
//! decoder (common/block_decoder.c), with the integrity checks.

use sha2::{Digest, Sha256};

use super::filters::{Chain, Delta, Filter, X86};
use super::lz::{LzCoder, LzDecoder, Lzma2Decoder};
use super::{Status, XzError};
use crate::userland::crc::{crc32, crc64};

/// LZMA_VLI_MAX.
pub(crate) const VLI_MAX: u64 = u64::MAX / 2;
/// UNPADDED_SIZE_MAX.
pub(crate) const UNPADDED_MAX: u64 = VLI_MAX & !3;

pub(crate) const FILTER_DELTA: u64 = 0x03;
pub(crate) const FILTER_X86: u64 = 0x04;
pub(crate) const FILTER_ARM64: u64 = 0x0A;
pub(crate) const FILTER_LZMA2: u64 = 0x21;

/// Size of the Check field for each of the 16 check IDs.
pub(crate) fn check_size(id: u8) -> usize {
    const SIZES: [u8; 16] = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];
    usize::from(SIZES.get(usize::from(id)).copied().unwrap_or(0))
}

/// The checks this build (like xz's) can verify: None, CRC32, CRC64, SHA-256.
pub(crate) fn check_supported(id: u8) -> bool {
    matches!(id, 0 | 1 | 4 | 10)
}

/// lzma_vli_size().
pub(crate) fn vli_size(v: u64) -> u64 {
    let mut n = 1;
    let mut v = v >> 7;
    while v != 0 {
        n += 1;
        v >>= 7;
    }
    n
}

pub(crate) fn ceil4(v: u64) -> u64 {
    v.saturating_add(3) & !3
}

/// lzma_vli_decode() in single-call mode: DATA_ERROR on running out or a bad encoding.
pub(crate) fn vli_single(buf: &[u8], pos: &mut usize) -> Result<u64, XzError> {
    let mut v = 0u64;
    for i in 0..9 {
        let b = *buf.get(*pos).ok_or(XzError::Corrupt)?;
        *pos += 1;
        v |= u64::from(b & 0x7F) << (i * 7);
        if b & 0x80 == 0 {
            return if b == 0 && i > 0 { Err(XzError::Corrupt) } else { Ok(v) };
        }
    }
    Err(XzError::Corrupt)
}

/// One filter of a Block Header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FilterOpt {
    Lzma2 {
        dict_size: u32,
    },
    Delta {
        dist: u32,
    },
    /// The BCJ filters; only x86 (0x04) is implemented here.
    Bcj {
        id: u64,
        start_offset: u32,
    },
}

impl FilterOpt {
    /// Size of the filter's liblzma decoder, as lzma_raw_decoder_memusage() adds it up
    /// (x86-64 sizes, since xz -lvv prints them).
    fn memusage(&self) -> u64 {
        match self {
            FilterOpt::Lzma2 { dict_size } => 32824 + u64::from(*dict_size),
            FilterOpt::Delta { .. } => 352,
            FilterOpt::Bcj { .. } => 1024,
        }
    }

    /// The filter as lzma_str_from_filters(LZMA_STR_DECODER | LZMA_STR_GETOPT_LONG) writes it.
    fn to_option(&self) -> String {
        match self {
            FilterOpt::Lzma2 { dict_size } => format!("--lzma2=dict={}", size_suffix(*dict_size)),
            FilterOpt::Delta { dist } => format!("--delta=dist={dist}"),
            FilterOpt::Bcj { id, start_offset } => {
                let name = match id {
                    0x05 => "powerpc",
                    0x06 => "ia64",
                    0x07 => "arm",
                    0x08 => "armthumb",
                    0x09 => "sparc",
                    0x0A => "arm64",
                    _ => "x86",
                };
                if *start_offset == 0 {
                    format!("--{name}")
                } else {
                    format!("--{name}=start={}", size_suffix(*start_offset))
                }
            }
        }
    }
}

/// str_append_u32() with the byte suffixes.
fn size_suffix(v: u32) -> String {
    let mut v = v;
    let mut suf = 0;
    while v != 0 && v & 1023 == 0 && suf < 3 {
        v >>= 10;
        suf += 1;
    }
    format!("{v}{}", ["", "KiB", "MiB", "GiB"].get(suf).copied().unwrap_or(""))
}

#[derive(Clone, Debug)]
pub(crate) struct BlockHeader {
    pub header_size: usize,
    pub compressed: Option<u64>,
    pub uncompressed: Option<u64>,
    pub filters: Vec<FilterOpt>,
}

impl BlockHeader {
    /// lzma_block_header_decode() on the whole header (its first byte gives its size).
    pub(crate) fn decode(hdr: &[u8], check: u8) -> Result<BlockHeader, XzError> {
        let header_size = hdr.len();
        let body_len = header_size.checked_sub(4).ok_or(XzError::Corrupt)?;
        let (body, crc) = hdr.split_at(body_len);
        let stored = u32::from_le_bytes(crc.try_into().map_err(|_| XzError::Corrupt)?);
        if crc32(body, 0) != stored {
            return Err(XzError::Corrupt);
        }
        let flags = body.get(1).copied().unwrap_or(0);
        if flags & 0x3C != 0 {
            return Err(XzError::UnsupportedOptions);
        }
        let mut pos = 2;
        let compressed = if flags & 0x40 != 0 {
            let c = vli_single(body, &mut pos)?;
            let unpadded = c.saturating_add(header_size as u64 + check_size(check) as u64);
            if c == 0 || unpadded > UNPADDED_MAX {
                return Err(XzError::Corrupt);
            }
            Some(c)
        } else {
            None
        };
        let uncompressed = if flags & 0x80 != 0 { Some(vli_single(body, &mut pos)?) } else { None };
        let mut filters = Vec::new();
        for _ in 0..(flags & 3) + 1 {
            filters.push(filter_flags(body, &mut pos)?);
        }
        if body.get(pos..).unwrap_or(&[]).iter().any(|&b| b != 0) {
            return Err(XzError::UnsupportedOptions);
        }
        Ok(BlockHeader { header_size, compressed, uncompressed, filters })
    }

    /// lzma_raw_decoder_memusage(): `None` for a chain liblzma refuses (validate_chain).
    pub(crate) fn memusage(&self) -> Option<u64> {
        let n = self.filters.len();
        for (i, f) in self.filters.iter().enumerate() {
            let is_lzma = matches!(f, FilterOpt::Lzma2 { .. });
            // LZMA2 may only be last, the others anything but last.
            if is_lzma != (i + 1 == n) {
                return None;
            }
        }
        Some(self.filters.iter().map(FilterOpt::memusage).sum::<u64>() + 32768)
    }

    pub(crate) fn chain_string(&self) -> String {
        let v: Vec<String> = self.filters.iter().map(FilterOpt::to_option).collect();
        v.join(" ")
    }
}

/// lzma_filter_flags_decode() and lzma_properties_decode().
fn filter_flags(body: &[u8], pos: &mut usize) -> Result<FilterOpt, XzError> {
    let id = vli_single(body, pos)?;
    if id >= 1 << 62 {
        return Err(XzError::Corrupt);
    }
    let props_size = vli_single(body, pos)?;
    let rest = body.get(*pos..).unwrap_or(&[]);
    if (rest.len() as u64) < props_size {
        return Err(XzError::Corrupt);
    }
    let props = rest.get(..props_size as usize).unwrap_or(&[]);
    *pos += props.len();
    match (id, props) {
        (FILTER_LZMA2, &[p]) if p & 0xC0 == 0 && p <= 40 => {
            let dict_size = if p == 40 { u32::MAX } else { (2 | u32::from(p & 1)) << (p / 2 + 11) };
            Ok(FilterOpt::Lzma2 { dict_size })
        }
        (FILTER_DELTA, &[p]) => Ok(FilterOpt::Delta { dist: u32::from(p) + 1 }),
        (0x04..=0x0A, &[]) => Ok(FilterOpt::Bcj { id, start_offset: 0 }),
        (0x04..=0x0A, &[a, b, c, d]) => Ok(FilterOpt::Bcj { id, start_offset: u32::from_le_bytes([a, b, c, d]) }),
        _ => Err(XzError::UnsupportedOptions),
    }
}

/// lzma_check_state for the checks that are verified.
enum CheckState {
    None,
    Crc32(u32),
    Crc64(u64),
    Sha256(Box<Sha256>),
}

impl CheckState {
    fn new(id: u8) -> CheckState {
        match id {
            1 => CheckState::Crc32(0),
            4 => CheckState::Crc64(0),
            10 => CheckState::Sha256(Box::default()),
            _ => CheckState::None,
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            CheckState::None => {}
            CheckState::Crc32(c) => *c = crc32(data, *c),
            CheckState::Crc64(c) => *c = crc64(data, *c),
            CheckState::Sha256(h) => h.update(data),
        }
    }

    /// The Check field's bytes as the file stores them.
    fn finish(&mut self) -> Vec<u8> {
        match self {
            CheckState::None => Vec::new(),
            CheckState::Crc32(c) => c.to_le_bytes().to_vec(),
            CheckState::Crc64(c) => c.to_le_bytes().to_vec(),
            CheckState::Sha256(h) => std::mem::take(h.as_mut()).finalize().to_vec(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Seq {
    Code,
    Padding,
    Check,
}

pub(crate) struct BlockDecoder {
    seq: Seq,
    chain: Chain,
    hdr_compressed: Option<u64>,
    hdr_uncompressed: Option<u64>,
    header_size: u64,
    check_id: u8,
    /// Compressed bytes so far (Block Padding included once past the data).
    compressed: u64,
    uncompressed: u64,
    compressed_limit: u64,
    uncompressed_limit: u64,
    /// The final Compressed Size, for the Index.
    final_compressed: u64,
    check: CheckState,
    expected: Vec<u8>,
    raw_check: Vec<u8>,
}

impl BlockDecoder {
    /// lzma_block_decoder_init() with the raw decoder chain. Chains with BCJ filters other
    /// than x86 are refused with LZMA_OPTIONS_ERROR as if liblzma were built without them.
    pub(crate) fn new(h: &BlockHeader, check_id: u8, lookahead: usize) -> Result<BlockDecoder, XzError> {
        let (last, front) = h.filters.split_last().ok_or(XzError::UnsupportedOptions)?;
        let FilterOpt::Lzma2 { dict_size } = last else {
            return Err(XzError::UnsupportedOptions);
        };
        let mut filters = Vec::new();
        for f in front {
            filters.push(match f {
                FilterOpt::Delta { dist } => Filter::Delta(Box::new(Delta::new(*dist as usize))),
                FilterOpt::Bcj { id: FILTER_X86, start_offset } => Filter::X86(Box::new(X86::new(*start_offset))),
                _ => return Err(XzError::UnsupportedOptions),
            });
        }
        let coder = LzCoder::Lzma2(Box::new(Lzma2Decoder::new(lookahead)));
        let lz = LzDecoder::new(*dict_size, coder, !filters.is_empty());
        let header_size = h.header_size as u64;
        let csize = check_size(check_id) as u64;
        Ok(BlockDecoder {
            seq: Seq::Code,
            chain: Chain { filters, lz },
            hdr_compressed: h.compressed,
            hdr_uncompressed: h.uncompressed,
            header_size,
            check_id,
            compressed: 0,
            uncompressed: 0,
            compressed_limit: h.compressed.unwrap_or((VLI_MAX & !3) - header_size - csize),
            uncompressed_limit: h.uncompressed.unwrap_or(VLI_MAX),
            final_compressed: 0,
            check: CheckState::new(check_id),
            expected: Vec::new(),
            raw_check: Vec::new(),
        })
    }

    /// Unpadded Size and Uncompressed Size once the Block has been decoded.
    pub(crate) fn sizes(&self) -> (u64, u64) {
        let unpadded = self.final_compressed + self.header_size + check_size(self.check_id) as u64;
        (unpadded, self.uncompressed)
    }

    /// block_decode().
    pub(crate) fn code(&mut self, input: &[u8], in_pos: &mut usize, out: &mut Vec<u8>, out_size: usize) -> Result<Status, XzError> {
        if self.seq == Seq::Code {
            let in_start = *in_pos;
            let out_start = out.len();
            let in_room = self.compressed_limit - self.compressed;
            let in_stop = in_start + (input.len() - in_start).min(in_room.min(usize::MAX as u64) as usize);
            let out_room = self.uncompressed_limit - self.uncompressed;
            let out_stop = out_start + out_size.saturating_sub(out_start).min(out_room.min(usize::MAX as u64) as usize);
            let limited = input.get(..in_stop).unwrap_or(input);
            let ret = self.chain.code(limited, in_pos, out, out_stop);
            self.compressed += (*in_pos - in_start) as u64;
            self.uncompressed += (out.len() - out_start) as u64;
            if ret == Ok(Status::Ok) {
                let comp_done = Some(self.compressed) == self.hdr_compressed;
                let uncomp_done = Some(self.uncompressed) == self.hdr_uncompressed;
                // All the input and output the header promised, yet no end: broken.
                if (comp_done && (uncomp_done || out.len() < out_size)) || (uncomp_done && *in_pos < input.len()) {
                    return Err(XzError::Corrupt);
                }
            }
            self.check.update(out.get(out_start..).unwrap_or(&[]));
            if ret? != Status::StreamEnd {
                return Ok(Status::Ok);
            }
            let valid = |size: u64, hdr: Option<u64>| hdr.is_none_or(|h| h == size);
            if !valid(self.compressed, self.hdr_compressed) || !valid(self.uncompressed, self.hdr_uncompressed) {
                return Err(XzError::Corrupt);
            }
            self.final_compressed = self.compressed;
            self.seq = Seq::Padding;
        }
        if self.seq == Seq::Padding {
            while self.compressed & 3 != 0 {
                let Some(&b) = input.get(*in_pos) else {
                    return Ok(Status::Ok);
                };
                *in_pos += 1;
                self.compressed += 1;
                if b != 0 {
                    return Err(XzError::Corrupt);
                }
            }
            if self.check_id == 0 {
                return Ok(Status::StreamEnd);
            }
            self.expected = self.check.finish();
            self.seq = Seq::Check;
        }
        let want = check_size(self.check_id);
        let rest = input.get(*in_pos..).unwrap_or(&[]);
        let n = rest.len().min(want - self.raw_check.len());
        self.raw_check.extend_from_slice(rest.get(..n).unwrap_or(&[]));
        *in_pos += n;
        if self.raw_check.len() < want {
            return Ok(Status::Ok);
        }
        if check_supported(self.check_id) && self.raw_check != self.expected {
            return Err(XzError::Corrupt);
        }
        Ok(Status::StreamEnd)
    }
}
