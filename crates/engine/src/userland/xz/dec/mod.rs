//! The .xz and .lzma decoder: a port of XZ Utils 5.4.1's liblzma decoders, driven the
//! way the xz command line tool drives them.
//!
//! xz reads its input in 8 KiB pieces and writes its output through an 8 KiB buffer, and
//! several of liblzma's checks run only when a decoder returns to its caller, which happens
//! at those buffer edges. Which error a damaged file gets and how many bytes `xz -dc` writes
//! before it stops therefore depend on the buffering, so [`decode_auto`] and friends replay
//! xz's loop (src/xz/coder.c) over the in-memory input with the same buffer sizes, and the
//! decoders below are streaming ports that stop and resume where liblzma's do.

mod block;
mod dict;
mod filters;
mod list;
mod lz;
mod lzma;
mod stream;

pub use list::{list_xz, version_string, XzInfo};

use stream::{AloneDecoder, StreamDecoder, HEADER_MAGIC};

/// The integrity check of a .xz Stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    None,
    Crc32,
    Crc64,
    Sha256,
    /// A check ID this decoder (like xz) can't verify: 2-3, 5-9, 11-15.
    Other(u8),
}

impl Check {
    pub(crate) fn from_id(id: u8) -> Check {
        match id {
            0 => Check::None,
            1 => Check::Crc32,
            4 => Check::Crc64,
            10 => Check::Sha256,
            n => Check::Other(n),
        }
    }

    /// The bytes of the check's value after each block.
    pub(crate) fn size(self) -> usize {
        let id = match self {
            Check::None => 0,
            Check::Crc32 => 1,
            Check::Crc64 => 4,
            Check::Sha256 => 10,
            Check::Other(n) => n,
        };
        block::check_size(id)
    }

    /// The name `xz -l` prints: "None", "CRC32", "CRC64", "SHA-256" or "Unknown-N".
    pub fn name(self) -> String {
        match self {
            Check::None => "None".into(),
            Check::Crc32 => "CRC32".into(),
            Check::Crc64 => "CRC64".into(),
            Check::Sha256 => "SHA-256".into(),
            Check::Other(n) => format!("Unknown-{n}"),
        }
    }
}

/// The liblzma return codes xz turns into its messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XzError {
    /// LZMA_FORMAT_ERROR: "File format not recognized".
    FormatNotRecognized,
    /// LZMA_DATA_ERROR: "Compressed data is corrupt".
    Corrupt,
    /// LZMA_BUF_ERROR at the end of the file: "Unexpected end of input".
    Truncated,
    /// LZMA_OPTIONS_ERROR: "Unsupported options".
    UnsupportedOptions,
    /// Only from [`list_xz`]: xz -l's own "File is empty".
    FileEmpty,
    /// Only from [`list_xz`]: xz -l's own "Too small to be a valid .xz file".
    TooSmall,
}

impl XzError {
    /// The message xz prints after "xz: FILE: ".
    pub fn message(self) -> &'static str {
        match self {
            XzError::FormatNotRecognized => "File format not recognized",
            XzError::Corrupt => "Compressed data is corrupt",
            XzError::Truncated => "Unexpected end of input",
            XzError::UnsupportedOptions => "Unsupported options",
            XzError::FileEmpty => "File is empty",
            XzError::TooSmall => "Too small to be a valid .xz file",
        }
    }
}

/// What `xz -d` makes of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// Everything decoded before the end or the error: what `xz -dc` writes.
    pub data: Vec<u8>,
    pub result: Result<(), XzError>,
    /// A Stream had a check xz can't verify; xz warns "Unsupported type of integrity check;
    /// not verifying file integrity" (once per such Stream) and exits with status 2.
    pub unsupported_check: bool,
}

/// What a decoder call reports besides an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Ok,
    StreamEnd,
    /// LZMA_UNSUPPORTED_CHECK: a warning, decoding goes on.
    UnsupportedCheck,
}

/// Decodes a whole file the way `xz -d` does with its default --format=auto: .xz (several
/// concatenated Streams, Stream Padding) or .lzma. `data` holds what was decoded before an
/// error, as xz writes that much before it stops.
pub fn decode_auto(input: &[u8]) -> Decoded {
    run_xz(input, Format::Auto, 0)
}

/// `xz -d --format=xz`.
pub fn decode_xz(input: &[u8]) -> Decoded {
    run_xz(input, Format::Xz, 0)
}

/// What busybox's `unxz` decodes of a .xz file: XZ Embedded's, which stops short of the end
/// of a cut chunk (see `Lzma2Decoder::lookahead`).
pub fn decode_xz_embedded(input: &[u8]) -> Decoded {
    run_xz(input, Format::Xz, 20)
}

/// `xz -d --format=lzma` (`lzma -d`, `unlzma`).
pub fn decode_lzma_alone(input: &[u8]) -> Decoded {
    run_xz(input, Format::Lzma, 0)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Auto,
    Xz,
    Lzma,
}

/// IO_BUFFER_SIZE of src/xz/file_io.h.
const IO_BUFFER_SIZE: usize = 8192;

fn is_format_xz(first: &[u8]) -> bool {
    first.starts_with(&HEADER_MAGIC)
}

/// Whether `data` starts with a header xz takes for the .lzma format's.
pub(crate) fn looks_like_lzma(data: &[u8]) -> bool {
    is_format_lzma(data)
}

/// is_format_lzma() of src/xz/coder.c: valid properties, a dictionary size of 2^n or
/// 2^n + 2^(n-1) (or -1), and a known size below 256 GiB.
fn is_format_lzma(first: &[u8]) -> bool {
    let Some(h) = first.get(..13) else {
        return false;
    };
    if lzma::Props::from_byte(h[0]).is_none() {
        return false;
    }
    let dict = u32::from_le_bytes([h[1], h[2], h[3], h[4]]);
    if dict != u32::MAX {
        let mut d = dict.wrapping_sub(1);
        d |= d >> 2;
        d |= d >> 3;
        d |= d >> 4;
        d |= d >> 8;
        d |= d >> 16;
        if d.wrapping_add(1) != dict || dict == 0 {
            return false;
        }
    }
    let mut size = [0u8; 8];
    size.copy_from_slice(&h[5..13]);
    let size = u64::from_le_bytes(size);
    size == u64::MAX || size <= 1 << 38
}

enum Coder {
    Xz(Box<StreamDecoder>),
    Alone(Box<AloneDecoder>),
}

/// lzma_code(): turns the second call in a row without progress into LZMA_BUF_ERROR.
struct Strm {
    coder: Coder,
    allow_buf_error: bool,
}

impl Strm {
    fn code(&mut self, input: &[u8], in_pos: &mut usize, out: &mut Vec<u8>, out_size: usize, finish: bool) -> Result<Status, XzError> {
        let (in0, out0) = (*in_pos, out.len());
        let ret = match &mut self.coder {
            Coder::Xz(c) => c.code(input, in_pos, out, out_size, finish),
            Coder::Alone(c) => c.code(input, in_pos, out, out_size),
        };
        if ret == Ok(Status::Ok) && *in_pos == in0 && out.len() == out0 {
            if self.allow_buf_error {
                return Err(XzError::Truncated);
            }
            self.allow_buf_error = true;
        } else {
            self.allow_buf_error = false;
        }
        ret
    }
}

/// coder_run(), coder_init() and coder_normal() of src/xz/coder.c for one input file.
fn run_xz(input: &[u8], format: Format, lookahead: usize) -> Decoded {
    let mut d = Decoded { data: Vec::new(), result: Ok(()), unsupported_check: false };
    // The input xz has read so far is input[..end]; a short read means end of file.
    let mut end = input.len().min(IO_BUFFER_SIZE);
    let mut eof = end < IO_BUFFER_SIZE;
    let first = &input[..end];
    let coder = match format {
        Format::Auto | Format::Xz if is_format_xz(first) => Coder::Xz(Box::new(StreamDecoder::new(lookahead))),
        Format::Auto | Format::Lzma if is_format_lzma(first) => Coder::Alone(Box::new(AloneDecoder::new())),
        _ => {
            d.result = Err(XzError::FormatNotRecognized);
            return d;
        }
    };
    let mut strm = Strm { coder, allow_buf_error: false };
    let mut pos = 0;
    // The first call has no output space: it decodes the headers so that errors there
    // are reported before an output file is created.
    loop {
        match strm.code(&input[..end], &mut pos, &mut d.data, 0, false) {
            Ok(Status::UnsupportedCheck) => d.unsupported_check = true,
            Ok(_) => break,
            Err(e) => {
                d.result = Err(e);
                return d;
            }
        }
    }
    let mut finish = eof;
    loop {
        if pos == end && !finish {
            let start = end;
            end = input.len().min(start + IO_BUFFER_SIZE);
            eof = end - start < IO_BUFFER_SIZE;
            finish = eof;
        }
        // The output buffer is written out whenever it is full.
        let out_size = (d.data.len() / IO_BUFFER_SIZE + 1) * IO_BUFFER_SIZE;
        match strm.code(&input[..end], &mut pos, &mut d.data, out_size, finish) {
            Ok(Status::Ok) => {}
            Ok(Status::UnsupportedCheck) => d.unsupported_check = true,
            Ok(Status::StreamEnd) => {
                // Trailing garbage after a .lzma stream: xz reads one more byte to see.
                if pos == end && !eof && end < input.len() {
                    end += 1;
                }
                if pos != end {
                    d.result = Err(XzError::Corrupt);
                }
                return d;
            }
            Err(e) => {
                d.result = Err(e);
                return d;
            }
        }
    }
}
