//! The .xz Stream decoder as xz 5.4.1 runs it: lzma_stream_decoder_mt() with one thread,
//! which always takes its single-threaded "direct mode" (common/stream_decoder_mt.c), plus
//! the Index check (common/index_hash.c) and Stream Header/Footer (stream_flags_decoder.c).
//! Also the .lzma decoder (common/alone_decoder.c).

use super::block::{ceil4, check_supported, vli_size, BlockDecoder, BlockHeader, VLI_MAX};
use super::lz::{LzCoder, LzDecoder};
use super::lzma::{LzmaDecoder, Props};
use super::{Status, XzError};
use crate::userland::crc::crc32;

pub(crate) const HEADER_MAGIC: [u8; 6] = [0xFD, b'7', b'z', b'X', b'Z', 0x00];
const FOOTER_MAGIC: [u8; 2] = [b'Y', b'Z'];
/// LZMA_BACKWARD_SIZE_MAX.
pub(crate) const BACKWARD_SIZE_MAX: u64 = 1 << 34;

/// Stream Flags: the check ID, or an error as lzma_stream_header_decode() gives it.
fn stream_flags(flags: &[u8]) -> Result<u8, XzError> {
    match flags {
        &[0, f] if f & 0xF0 == 0 => Ok(f),
        _ => Err(XzError::UnsupportedOptions),
    }
}

/// lzma_stream_header_decode(): magic, CRC32, flags, in that order.
pub(crate) fn decode_header(b: &[u8]) -> Result<u8, XzError> {
    if b.get(..6) != Some(&HEADER_MAGIC[..]) {
        return Err(XzError::FormatNotRecognized);
    }
    let flags = b.get(6..8).unwrap_or(&[]);
    if b.get(8..12) != Some(&crc32(flags, 0).to_le_bytes()[..]) {
        return Err(XzError::Corrupt);
    }
    stream_flags(flags)
}

/// lzma_stream_footer_decode(): (check ID, Backward Size).
pub(crate) fn decode_footer(b: &[u8]) -> Result<(u8, u64), XzError> {
    if b.get(10..12) != Some(&FOOTER_MAGIC[..]) {
        return Err(XzError::FormatNotRecognized);
    }
    let covered = b.get(4..10).unwrap_or(&[]);
    if b.get(..4) != Some(&crc32(covered, 0).to_le_bytes()[..]) {
        return Err(XzError::Corrupt);
    }
    let check = stream_flags(b.get(8..10).unwrap_or(&[]))?;
    let mut size = [0u8; 4];
    size.copy_from_slice(b.get(4..8).unwrap_or(&[0; 4]));
    Ok((check, (u64::from(u32::from_le_bytes(size)) + 1) * 4))
}

/// index_size(): the Index field's size from its record count and list size.
pub(crate) fn index_size(count: u64, list_size: u64) -> u64 {
    ceil4(index_size_unpadded(count, list_size))
}

fn index_size_unpadded(count: u64, list_size: u64) -> u64 {
    (1 + vli_size(count)).saturating_add(list_size).saturating_add(4)
}

/// lzma_vli_decode() in multi-call mode; the caller guarantees input is available.
fn vli_step(v: &mut u64, vpos: &mut u32, input: &[u8], in_pos: &mut usize) -> Result<bool, XzError> {
    if *vpos == 0 {
        *v = 0;
    }
    while let Some(&b) = input.get(*in_pos) {
        *in_pos += 1;
        *v |= u64::from(b & 0x7F) << (*vpos * 7);
        *vpos += 1;
        if b & 0x80 == 0 {
            if b == 0 && *vpos > 1 {
                return Err(XzError::Corrupt);
            }
            return Ok(true);
        }
        if *vpos == 9 {
            return Err(XzError::Corrupt);
        }
    }
    Ok(false)
}

/// Sums over a list of (Unpadded Size, Uncompressed Size) pairs. liblzma compares two
/// lists through SHA-256 hashes of them; keeping the pairs compares the same thing.
#[derive(Default, PartialEq, Eq)]
struct Info {
    blocks_size: u64,
    uncompressed: u64,
    count: u64,
    list_size: u64,
    pairs: Vec<(u64, u64)>,
}

impl Info {
    fn append(&mut self, unpadded: u64, uncompressed: u64) {
        self.blocks_size = self.blocks_size.saturating_add(ceil4(unpadded));
        self.uncompressed = self.uncompressed.saturating_add(uncompressed);
        self.list_size += vli_size(unpadded) + vli_size(uncompressed);
        self.count += 1;
        self.pairs.push((unpadded, uncompressed));
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ISeq {
    Indicator,
    Count,
    Unpadded,
    Uncompressed,
    PaddingInit,
    Padding,
    Crc32,
}

/// lzma_index_hash: the decoded Blocks against the Index that follows them.
struct IndexHash {
    seq: ISeq,
    blocks: Info,
    records: Info,
    remaining: u64,
    unpadded: u64,
    uncompressed: u64,
    pos: u32,
    crc: u32,
}

impl IndexHash {
    fn new() -> IndexHash {
        IndexHash {
            seq: ISeq::Indicator,
            blocks: Info::default(),
            records: Info::default(),
            remaining: 0,
            unpadded: 0,
            uncompressed: 0,
            pos: 0,
            crc: 0,
        }
    }

    /// lzma_index_hash_append().
    fn append(&mut self, unpadded: u64, uncompressed: u64) -> Result<(), XzError> {
        let b = &mut self.blocks;
        b.append(unpadded, uncompressed);
        let isize = index_size(b.count, b.list_size);
        let stream = 24u64.saturating_add(b.blocks_size).saturating_add(isize);
        if b.blocks_size > VLI_MAX || b.uncompressed > VLI_MAX || isize > BACKWARD_SIZE_MAX || stream > VLI_MAX {
            return Err(XzError::Corrupt);
        }
        Ok(())
    }

    /// lzma_index_hash_size().
    fn size(&self) -> u64 {
        index_size(self.blocks.count, self.blocks.list_size)
    }

    /// lzma_index_hash_decode().
    fn decode(&mut self, input: &[u8], in_pos: &mut usize) -> Result<Status, XzError> {
        let start = *in_pos;
        let ret = self.decode_fields(input, in_pos);
        if !matches!(self.seq, ISeq::Crc32) {
            self.crc = crc32(input.get(start..*in_pos).unwrap_or(&[]), self.crc);
        }
        ret
    }

    fn decode_fields(&mut self, input: &[u8], in_pos: &mut usize) -> Result<Status, XzError> {
        let start = *in_pos;
        while let Some(&byte) = input.get(*in_pos) {
            match self.seq {
                ISeq::Indicator => {
                    *in_pos += 1;
                    if byte != 0 {
                        return Err(XzError::Corrupt);
                    }
                    self.seq = ISeq::Count;
                }
                ISeq::Count => {
                    if !vli_step(&mut self.remaining, &mut self.pos, input, in_pos)? {
                        return Ok(Status::Ok);
                    }
                    if self.remaining != self.blocks.count {
                        return Err(XzError::Corrupt);
                    }
                    self.pos = 0;
                    self.seq = if self.remaining == 0 { ISeq::PaddingInit } else { ISeq::Unpadded };
                }
                ISeq::Unpadded | ISeq::Uncompressed => {
                    let unp = self.seq == ISeq::Unpadded;
                    let v = if unp { &mut self.unpadded } else { &mut self.uncompressed };
                    if !vli_step(v, &mut self.pos, input, in_pos)? {
                        return Ok(Status::Ok);
                    }
                    self.pos = 0;
                    if unp {
                        if !(5..=super::block::UNPADDED_MAX).contains(&self.unpadded) {
                            return Err(XzError::Corrupt);
                        }
                        self.seq = ISeq::Uncompressed;
                    } else {
                        self.records.append(self.unpadded, self.uncompressed);
                        let (b, r) = (&self.blocks, &self.records);
                        if b.blocks_size < r.blocks_size || b.uncompressed < r.uncompressed || b.list_size < r.list_size {
                            return Err(XzError::Corrupt);
                        }
                        self.remaining -= 1;
                        self.seq = if self.remaining == 0 { ISeq::PaddingInit } else { ISeq::Unpadded };
                    }
                }
                ISeq::PaddingInit => {
                    let n = index_size_unpadded(self.records.count, self.records.list_size);
                    self.pos = (4u64.wrapping_sub(n) & 3) as u32;
                    self.seq = ISeq::Padding;
                }
                ISeq::Padding => {
                    if self.pos > 0 {
                        self.pos -= 1;
                        *in_pos += 1;
                        if byte != 0 {
                            return Err(XzError::Corrupt);
                        }
                        continue;
                    }
                    if self.blocks != self.records {
                        return Err(XzError::Corrupt);
                    }
                    self.crc = crc32(input.get(start..*in_pos).unwrap_or(&[]), self.crc);
                    self.seq = ISeq::Crc32;
                }
                ISeq::Crc32 => {
                    while self.pos < 4 {
                        let Some(&b) = input.get(*in_pos) else {
                            return Ok(Status::Ok);
                        };
                        *in_pos += 1;
                        if (self.crc >> (self.pos * 8)) as u8 != b {
                            return Err(XzError::Corrupt);
                        }
                        self.pos += 1;
                    }
                    return Ok(Status::StreamEnd);
                }
            }
        }
        Ok(Status::Ok)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Seq {
    StreamHeader,
    BlockHeader,
    Block,
    Index,
    StreamFooter,
    StreamPadding,
}

pub(crate) struct StreamDecoder {
    seq: Seq,
    buf: Vec<u8>,
    /// Bytes wanted in `buf` (Stream Header/Footer or Block Header size).
    want: usize,
    /// Stream Padding bytes modulo 4.
    padding: u8,
    first_stream: bool,
    check: u8,
    block: Option<BlockDecoder>,
    index: IndexHash,
    /// Input the LZMA decoder leaves unread at the end of a chunk it has not whole (see
    /// `Lzma2Decoder::lookahead`).
    lookahead: usize,
}

impl StreamDecoder {
    pub(crate) fn new(lookahead: usize) -> StreamDecoder {
        StreamDecoder {
            lookahead,
            seq: Seq::StreamHeader,
            buf: Vec::new(),
            want: 12,
            padding: 0,
            first_stream: true,
            check: 0,
            block: None,
            index: IndexHash::new(),
        }
    }

    /// Copies into `buf` until it holds `want` bytes; returns whether it does.
    fn fill(&mut self, input: &[u8], in_pos: &mut usize) -> bool {
        let rest = input.get(*in_pos..).unwrap_or(&[]);
        let n = rest.len().min(self.want.saturating_sub(self.buf.len()));
        self.buf.extend_from_slice(rest.get(..n).unwrap_or(&[]));
        *in_pos += n;
        self.buf.len() >= self.want
    }

    /// stream_decode_mt() in direct mode with LZMA_CONCATENATED and
    /// LZMA_TELL_UNSUPPORTED_CHECK, the flags xz uses.
    pub(crate) fn code(
        &mut self,
        input: &[u8],
        in_pos: &mut usize,
        out: &mut Vec<u8>,
        out_size: usize,
        finish: bool,
    ) -> Result<Status, XzError> {
        loop {
            match self.seq {
                Seq::StreamHeader => {
                    if !self.fill(input, in_pos) {
                        return Ok(Status::Ok);
                    }
                    let hdr = std::mem::take(&mut self.buf);
                    self.check = match decode_header(&hdr) {
                        // Later Streams with bad magic are corruption, not another format.
                        Err(XzError::FormatNotRecognized) if !self.first_stream => return Err(XzError::Corrupt),
                        r => r?,
                    };
                    self.first_stream = false;
                    self.seq = Seq::BlockHeader;
                    self.want = 0;
                    if !check_supported(self.check) {
                        return Ok(Status::UnsupportedCheck);
                    }
                }
                Seq::BlockHeader => {
                    let Some(&first) = input.get(*in_pos) else {
                        return Ok(Status::Ok);
                    };
                    if self.buf.is_empty() {
                        if first == 0 {
                            self.seq = Seq::Index;
                            continue;
                        }
                        self.want = (usize::from(first) + 1) * 4;
                    }
                    if !self.fill(input, in_pos) {
                        return Ok(Status::Ok);
                    }
                    let raw = std::mem::take(&mut self.buf);
                    let h = BlockHeader::decode(&raw, self.check)?;
                    h.memusage().ok_or(XzError::UnsupportedOptions)?;
                    self.block = Some(BlockDecoder::new(&h, self.check, self.lookahead)?);
                    self.seq = Seq::Block;
                }
                Seq::Block => {
                    let Some(block) = self.block.as_mut() else {
                        return Err(XzError::Corrupt);
                    };
                    if block.code(input, in_pos, out, out_size)? != Status::StreamEnd {
                        return Ok(Status::Ok);
                    }
                    let (unpadded, uncompressed) = block.sizes();
                    self.block = None;
                    self.index.append(unpadded, uncompressed)?;
                    self.seq = Seq::BlockHeader;
                }
                Seq::Index => {
                    if *in_pos >= input.len() {
                        return Ok(Status::Ok);
                    }
                    if self.index.decode(input, in_pos)? != Status::StreamEnd {
                        return Ok(Status::Ok);
                    }
                    self.seq = Seq::StreamFooter;
                    self.want = 12;
                }
                Seq::StreamFooter => {
                    if !self.fill(input, in_pos) {
                        return Ok(Status::Ok);
                    }
                    let footer = std::mem::take(&mut self.buf);
                    let (check, backward) = decode_footer(&footer).map_err(|e| match e {
                        XzError::FormatNotRecognized => XzError::Corrupt,
                        e => e,
                    })?;
                    if self.index.size() != backward || check != self.check {
                        return Err(XzError::Corrupt);
                    }
                    self.seq = Seq::StreamPadding;
                    self.padding = 0;
                }
                Seq::StreamPadding => {
                    loop {
                        let Some(&b) = input.get(*in_pos) else {
                            if !finish {
                                return Ok(Status::Ok);
                            }
                            return if self.padding == 0 { Ok(Status::StreamEnd) } else { Err(XzError::Corrupt) };
                        };
                        if b != 0 {
                            break;
                        }
                        *in_pos += 1;
                        self.padding = (self.padding + 1) & 3;
                    }
                    if self.padding != 0 {
                        *in_pos += 1;
                        return Err(XzError::Corrupt);
                    }
                    self.index = IndexHash::new();
                    self.seq = Seq::StreamHeader;
                    self.want = 12;
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ASeq {
    Properties,
    DictSize,
    UncompressedSize,
    Code,
}

/// lzma_alone_decoder() (not picky: xz checks the header itself before using it).
pub(crate) struct AloneDecoder {
    seq: ASeq,
    pos: u32,
    props: Props,
    dict_size: u32,
    uncompressed: u64,
    lz: Option<LzDecoder>,
}

impl AloneDecoder {
    pub(crate) fn new() -> AloneDecoder {
        AloneDecoder { seq: ASeq::Properties, pos: 0, props: Props { lc: 0, lp: 0, pb: 0 }, dict_size: 0, uncompressed: 0, lz: None }
    }

    pub(crate) fn code(&mut self, input: &[u8], in_pos: &mut usize, out: &mut Vec<u8>, out_size: usize) -> Result<Status, XzError> {
        while out.len() < out_size && (self.seq == ASeq::Code || *in_pos < input.len()) {
            let byte = input.get(*in_pos).copied().unwrap_or(0);
            match self.seq {
                ASeq::Properties => {
                    self.props = Props::from_byte(byte).ok_or(XzError::FormatNotRecognized)?;
                    self.seq = ASeq::DictSize;
                    *in_pos += 1;
                }
                ASeq::DictSize => {
                    self.dict_size |= u32::from(byte) << (self.pos * 8);
                    self.pos += 1;
                    if self.pos == 4 {
                        self.pos = 0;
                        self.seq = ASeq::UncompressedSize;
                    }
                    *in_pos += 1;
                }
                ASeq::UncompressedSize => {
                    self.uncompressed |= u64::from(byte) << (self.pos * 8);
                    *in_pos += 1;
                    self.pos += 1;
                    if self.pos < 8 {
                        continue;
                    }
                    let size = (self.uncompressed != u64::MAX).then_some(self.uncompressed);
                    let mut lzma = LzmaDecoder::new(self.props);
                    lzma.set_uncompressed(size, true);
                    self.lz = Some(LzDecoder::new(self.dict_size, LzCoder::Lzma1(lzma), false));
                    self.seq = ASeq::Code;
                }
                ASeq::Code => {
                    let Some(lz) = self.lz.as_mut() else {
                        return Err(XzError::Corrupt);
                    };
                    return lz.code(input, in_pos, out, out_size);
                }
            }
        }
        Ok(Status::Ok)
    }
}
