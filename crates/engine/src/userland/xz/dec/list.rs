//! `xz -l`: the Indexes read from the end of the file backwards
//! (common/file_info.c, common/index_decoder.c) and, for `xz -lvv`, each Block Header and
//! Check field (parse_block_header() and parse_check_value() of src/xz/list.c).

use super::block::{ceil4, check_size, vli_single, vli_size, BlockHeader, FilterOpt};
use super::block::{FILTER_ARM64, UNPADDED_MAX, VLI_MAX};
use super::stream::{decode_footer, decode_header, index_size, BACKWARD_SIZE_MAX};
use super::{Check, XzError};
use crate::userland::crc::crc32;

/// What `xz -l`, `-lv` and `-lvv` (and their --robot forms) print about a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XzInfo {
    /// "Compressed size" (the whole file, Stream Padding included).
    pub file_size: u64,
    pub uncompressed_size: u64,
    /// All Stream Padding in the file.
    pub stream_padding: u64,
    /// Bit `1 << id` for each check ID used (lzma_index_checks()).
    pub checks: u16,
    pub streams: Vec<StreamInfo>,
    /// All Blocks in file order.
    pub blocks: Vec<BlockInfo>,
    /// -lvv "Memory needed" in bytes (the --robot figure; the table rounds up to MiB):
    /// the largest Block's decoder memory usage, as liblzma on x86-64 computes it.
    pub memusage_max: u64,
    /// -lvv "Sizes in headers": every Block Header has both sizes.
    pub all_have_sizes: bool,
    /// -lvv "Minimum XZ Utils version" as xz encodes it (50000002 is 5.0.0).
    pub min_version: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamInfo {
    /// 1-based.
    pub number: u64,
    pub block_count: u64,
    pub compressed_offset: u64,
    pub uncompressed_offset: u64,
    /// The Stream without the padding after it.
    pub compressed_size: u64,
    pub uncompressed_size: u64,
    pub check: Check,
    /// Stream Padding after this Stream.
    pub padding: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockInfo {
    pub stream_number: u64,
    /// 1-based, within its Stream.
    pub number_in_stream: u64,
    /// 1-based, within the file.
    pub number_in_file: u64,
    pub compressed_file_offset: u64,
    pub uncompressed_file_offset: u64,
    /// Unpadded Size rounded up to four ("TotalSize").
    pub total_size: u64,
    pub unpadded_size: u64,
    pub uncompressed_size: u64,
    pub check: Check,
    /// What -lvv reads from the Block Header and Check field, or the error xz -lvv stops
    /// with when it reaches this Block (after printing the Blocks before it).
    pub details: Result<BlockDetails, XzError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockDetails {
    /// "CheckVal": lowercase hex, "---" without a check.
    pub check_value: String,
    /// "Header".
    pub header_size: u32,
    /// "Flags": 'c' and 'u' when the header stores Compressed/Uncompressed Size.
    pub flags: String,
    /// "CompSize".
    pub compressed_size: u64,
    /// "MemUsage" in bytes (u64::MAX for a filter chain liblzma would refuse).
    pub memusage: u64,
    /// "Filters", e.g. "--delta=dist=4 --lzma2=dict=8MiB".
    pub filters: String,
}

impl XzInfo {
    pub fn stream_count(&self) -> u64 {
        self.streams.len() as u64
    }

    pub fn block_count(&self) -> u64 {
        self.blocks.len() as u64
    }

    /// get_check_names(): the checks used, in ID order, joined by `sep` ("," in the table
    /// and --robot, ", " in -lv); "None" if there are none.
    pub fn check_names(&self, sep: &str) -> String {
        let mask = if self.checks == 0 { 1 } else { self.checks };
        let names: Vec<String> = (0u8..16).filter(|i| mask & (1 << i) != 0).map(|i| Check::from_id(i).name()).collect();
        names.join(sep)
    }

    /// xz_ver_to_str() of `min_version`, e.g. "5.0.0".
    pub fn min_version_string(&self) -> String {
        version_string(self.min_version)
    }
}

/// xz_ver_to_str(): XZ Utils' version number as xz spells it (50000002 is "5.0.0").
pub fn version_string(v: u32) -> String {
    let stability = match v % 10 {
        0 => "alpha",
        1 => "beta",
        _ => "",
    };
    format!("{}.{}.{}{}", v / 10_000_000, v / 10_000 % 1000, v / 10 % 1000, stability)
}

/// One Stream found while walking backwards.
struct RawStream {
    start: u64,
    size: u64,
    check: u8,
    padding: u64,
    records: Vec<(u64, u64)>,
}

/// Lists a .xz file as `xz -l` does; errors are the ones xz -l reports for the file.
pub fn list_xz(input: &[u8]) -> Result<XzInfo, XzError> {
    if input.is_empty() {
        return Err(XzError::FileEmpty);
    }
    if input.len() < 24 {
        return Err(XzError::TooSmall);
    }
    let streams = parse_indexes(input)?;
    Ok(build(input, streams))
}

/// file_info_decode() over an in-memory file.
fn parse_indexes(input: &[u8]) -> Result<Vec<RawStream>, XzError> {
    let file_size = input.len() as u64;
    let first_check = decode_header(input.get(..12).unwrap_or(&[]))?;
    if file_size > VLI_MAX || file_size & 3 != 0 {
        return Err(XzError::Corrupt);
    }
    let hide = |e: XzError| {
        if e == XzError::FormatNotRecognized {
            XzError::Corrupt
        } else {
            e
        }
    };
    let at = |from: u64, len: u64| input.get(from as usize..(from + len) as usize).unwrap_or(&[]);
    let mut streams: Vec<RawStream> = Vec::new();
    // Record count and list size of the Streams after the current one (for index_cat).
    let (mut later_count, mut later_list, mut later_unc) = (0u64, 0u64, 0u64);
    let mut target = file_size;
    loop {
        // Stream Padding, read backwards in pieces of up to 8 KiB that never reach into
        // the first 12 bytes.
        let mut padding = 0u64;
        loop {
            if target < 24 {
                return Err(XzError::Corrupt);
            }
            let chunk = (target - 12).min(8192);
            let zeros = at(target - chunk, chunk).iter().rev().take_while(|&&b| b == 0).count();
            padding += zeros as u64;
            target -= zeros as u64;
            if zeros as u64 != chunk {
                break;
            }
        }
        if padding & 3 != 0 || target < 24 {
            return Err(XzError::Corrupt);
        }
        target -= 12;
        let (check, backward) = decode_footer(at(target, 12)).map_err(hide)?;
        if target < backward + 12 {
            return Err(XzError::Corrupt);
        }
        target -= backward;
        let records = decode_index(at(target, backward))?;
        let total: u64 = records.iter().map(|r| ceil4(r.0)).sum();
        let seek = total + 12;
        if target < seek {
            return Err(XzError::Corrupt);
        }
        target -= seek;
        let header_check = if target == 0 { first_check } else { decode_header(at(target, 12)).map_err(hide)? };
        if header_check != check {
            return Err(XzError::Corrupt);
        }
        // lzma_index_cat()'s limits.
        let list: u64 = records.iter().map(|r| vli_size(r.0) + vli_size(r.1)).sum();
        let unc: u64 = records.iter().map(|r| r.1).fold(0, u64::saturating_add);
        let count = records.len() as u64;
        if !streams.is_empty() {
            let a = 1 + vli_size(count) + list + 4;
            let b = 1 + vli_size(later_count) + later_list + 4;
            if unc.saturating_add(later_unc) > VLI_MAX || ceil4(a + b) > BACKWARD_SIZE_MAX {
                return Err(XzError::Corrupt);
            }
        }
        later_count += count;
        later_list += list;
        later_unc = later_unc.saturating_add(unc);
        let size = 12 + total + backward + 12;
        streams.push(RawStream { start: target, size, check, padding, records });
        if target == 0 {
            streams.reverse();
            return Ok(streams);
        }
    }
}

/// index_decode() fed exactly Backward Size bytes: running short or ending early is
/// corruption. Returns the (Unpadded Size, Uncompressed Size) records.
fn decode_index(buf: &[u8]) -> Result<Vec<(u64, u64)>, XzError> {
    if buf.first() != Some(&0) {
        return Err(XzError::Corrupt);
    }
    let mut pos = 1;
    let count = vli_single(buf, &mut pos)?;
    let mut records = Vec::new();
    let (mut unpadded_sum, mut unc_sum, mut list) = (0u64, 0u64, 0u64);
    for _ in 0..count {
        let unpadded = vli_single(buf, &mut pos)?;
        if !(5..=UNPADDED_MAX).contains(&unpadded) {
            return Err(XzError::Corrupt);
        }
        let unc = vli_single(buf, &mut pos)?;
        // lzma_index_append()'s limits on the sizes of the file and of the Index.
        unc_sum = unc_sum.saturating_add(unc);
        unpadded_sum = ceil4(unpadded_sum).saturating_add(unpadded);
        list += vli_size(unpadded) + vli_size(unc);
        let n = records.len() as u64 + 1;
        let file = 24u64.saturating_add(ceil4(unpadded_sum)).saturating_add(index_size(n, list));
        if unc_sum > VLI_MAX || file > VLI_MAX || index_size(n, list) > BACKWARD_SIZE_MAX {
            return Err(XzError::Corrupt);
        }
        records.push((unpadded, unc));
    }
    let unpadded_len = 1 + vli_size(count) + list + 4;
    let pad = (4u64.wrapping_sub(unpadded_len) & 3) as usize;
    let padding = buf.get(pos..pos + pad).ok_or(XzError::Corrupt)?;
    if padding.iter().any(|&b| b != 0) {
        return Err(XzError::Corrupt);
    }
    pos += pad;
    let crc = crc32(buf.get(..pos).unwrap_or(&[]), 0).to_le_bytes();
    if buf.get(pos..pos + 4).ok_or(XzError::Corrupt)? != crc {
        return Err(XzError::Corrupt);
    }
    if pos + 4 != buf.len() {
        return Err(XzError::Corrupt);
    }
    Ok(records)
}

fn build(input: &[u8], raw: Vec<RawStream>) -> XzInfo {
    let mut info = XzInfo {
        file_size: input.len() as u64,
        uncompressed_size: 0,
        stream_padding: 0,
        checks: 0,
        streams: Vec::new(),
        blocks: Vec::new(),
        memusage_max: 0,
        all_have_sizes: true,
        min_version: 50_000_002,
    };
    for (i, s) in raw.into_iter().enumerate() {
        let check = Check::from_id(s.check);
        let mut off = s.start + 12;
        let stream_unc_start = info.uncompressed_size;
        for (j, &(unpadded, unc)) in s.records.iter().enumerate() {
            let mut b = BlockInfo {
                stream_number: i as u64 + 1,
                number_in_stream: j as u64 + 1,
                number_in_file: info.blocks.len() as u64 + 1,
                compressed_file_offset: off,
                uncompressed_file_offset: info.uncompressed_size,
                total_size: ceil4(unpadded),
                unpadded_size: unpadded,
                uncompressed_size: unc,
                check,
                details: Err(XzError::Corrupt),
            };
            b.details = block_details(input, &b, s.check, &mut info);
            off += b.total_size;
            info.uncompressed_size += unc;
            info.blocks.push(b);
        }
        info.checks |= 1 << s.check;
        info.stream_padding += s.padding;
        info.streams.push(StreamInfo {
            number: i as u64 + 1,
            block_count: s.records.len() as u64,
            compressed_offset: s.start,
            uncompressed_offset: stream_unc_start,
            compressed_size: s.size,
            uncompressed_size: info.uncompressed_size - stream_unc_start,
            check,
            padding: s.padding,
        });
    }
    info
}

/// parse_block_header() and parse_check_value(); also updates the -lvv summary.
fn block_details(input: &[u8], b: &BlockInfo, check_id: u8, info: &mut XzInfo) -> Result<BlockDetails, XzError> {
    let csize = check_size(check_id) as u64;
    // In C the subtraction wraps for a bogus tiny Block, which makes the read 1 KiB.
    let size = b.total_size.checked_sub(csize).map_or(1024, |n| n.min(1024));
    let off = b.compressed_file_offset as usize;
    let buf = input.get(off..off + size as usize).ok_or(XzError::Corrupt)?;
    let first = buf.first().copied().unwrap_or(0);
    let header_size = (u64::from(first) + 1) * 4;
    if first == 0 || header_size > size {
        return Err(XzError::Corrupt);
    }
    let h = BlockHeader::decode(buf.get(..header_size as usize).unwrap_or(&[]), check_id)?;
    let flags = format!("{}{}", if h.compressed.is_some() { 'c' } else { '-' }, if h.uncompressed.is_some() { 'u' } else { '-' });
    info.all_have_sizes &= h.compressed.is_some() && h.uncompressed.is_some();
    // lzma_block_compressed_size(), then the Uncompressed Size against the Index.
    let container = header_size + csize;
    if b.unpadded_size <= container {
        return Err(XzError::Corrupt);
    }
    let compressed_size = b.unpadded_size - container;
    if h.compressed.is_some_and(|c| c != compressed_size) || h.uncompressed.is_some_and(|u| u != b.uncompressed_size) {
        return Err(XzError::Corrupt);
    }
    let memusage = h.memusage().unwrap_or(u64::MAX);
    info.memusage_max = info.memusage_max.max(memusage);
    let has_arm64 = h.filters.iter().any(|f| matches!(f, FilterOpt::Bcj { id: FILTER_ARM64, .. }));
    if info.min_version < 50_040_002 && has_arm64 {
        info.min_version = 50_040_002;
    }
    let lzma2_last = matches!(h.filters.last(), Some(FilterOpt::Lzma2 { .. }));
    if info.min_version < 50_000_022 && lzma2_last && b.uncompressed_size == 0 {
        info.min_version = 50_000_022;
    }
    let check_off = (b.compressed_file_offset + b.total_size - csize) as usize;
    let raw = input.get(check_off..check_off + csize as usize).unwrap_or(&[]);
    let check_value = match *raw {
        [] => "---".to_string(),
        [a, b, c, d] => format!("{:08x}", u32::from_le_bytes([a, b, c, d])),
        [a, b, c, d, e, f, g, h] => {
            format!("{:016x}", u64::from_le_bytes([a, b, c, d, e, f, g, h]))
        }
        _ => raw.iter().map(|x| format!("{x:02x}")).collect(),
    };
    Ok(BlockDetails { check_value, header_size: header_size as u32, flags, compressed_size, memusage, filters: h.chain_string() })
}
