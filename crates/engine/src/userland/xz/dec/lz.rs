//! The LZ layer (lz/lz_decoder.c) and the LZMA2 chunk parser (lzma/lzma2_decoder.c).
//!
//! liblzma decodes into a circular dictionary of the header's size and copies out. Here
//! the window is a growing `Vec`: the caller's output itself when LZMA2 is the only filter,
//! or a private buffer (trimmed to the dictionary size) when a filter rewrites the output.
//! Nothing is ever allocated from the header's dictionary size. What is kept of liblzma's
//! dictionary is its arithmetic: how far back matches may reach (`min(t, size)`), and the
//! points where liblzma's decoder returns (the end of the circular buffer), since the
//! callers' checks run at those returns.

use super::dict::Dict;
use super::lzma::{LzmaDecoder, Props};
use super::{Status, XzError};

pub(crate) enum LzCoder {
    /// Raw LZMA1 as in .lzma files.
    Lzma1(LzmaDecoder),
    Lzma2(Box<Lzma2Decoder>),
}

impl LzCoder {
    fn code(&mut self, d: &mut Dict, win: &mut Vec<u8>, limit: usize, input: &[u8], in_pos: &mut usize) -> Result<Status, XzError> {
        match self {
            LzCoder::Lzma1(l) => l.decode(d, win, limit, input, in_pos),
            LzCoder::Lzma2(l) => l.decode(d, win, limit, input, in_pos),
        }
    }
}

pub(crate) struct LzDecoder {
    dict: Dict,
    /// The private window, when the output isn't the window.
    own: Option<Vec<u8>>,
    coder: LzCoder,
}

impl LzDecoder {
    pub(crate) fn new(dict_size: u32, coder: LzCoder, own_window: bool) -> LzDecoder {
        LzDecoder { dict: Dict::new(dict_size), own: own_window.then(Vec::new), coder }
    }

    /// decode_buffer(): runs the coder until it stops for a reason other than reaching the
    /// end of the circular dictionary.
    pub(crate) fn code(&mut self, input: &[u8], in_pos: &mut usize, out: &mut Vec<u8>, out_size: usize) -> Result<Status, XzError> {
        loop {
            let pos = self.dict.t % self.dict.size;
            let avail = out_size.saturating_sub(out.len()).min(self.dict.size - pos);
            let t0 = self.dict.t;
            let ret = match self.own.as_mut() {
                None => {
                    let limit = out.len() + avail;
                    self.coder.code(&mut self.dict, out, limit, input, in_pos)
                }
                Some(buf) => {
                    let start = buf.len();
                    let r = self.coder.code(&mut self.dict, buf, start + avail, input, in_pos);
                    out.extend_from_slice(buf.get(start..).unwrap_or(&[]));
                    // Keep a dictionary's worth of history; drop the rest now and then.
                    let keep = self.dict.size;
                    if buf.len() > 2 * keep + 65536 {
                        buf.drain(..buf.len() - keep);
                    }
                    r
                }
            };
            let end_pos = pos + (self.dict.t - t0);
            if self.dict.need_reset {
                self.dict.t = 0;
                self.dict.need_reset = false;
                if ret != Ok(Status::Ok) || out.len() >= out_size {
                    return ret;
                }
            } else if ret != Ok(Status::Ok) || out.len() >= out_size || end_pos < self.dict.size {
                return ret;
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Seq {
    Control,
    Uncompressed1,
    Uncompressed2,
    Compressed0,
    Compressed1,
    Properties,
    Lzma,
    Copy,
}

pub(crate) struct Lzma2Decoder {
    seq: Seq,
    next_seq: Seq,
    lzma: LzmaDecoder,
    uncompressed: usize,
    compressed: usize,
    need_properties: bool,
    need_dict_reset: bool,
    props: Props,
    /// Bytes of a chunk the decoder will not start a symbol in until the chunk's end is in
    /// the input: 0 for liblzma; 20 for busybox's decoder (XZ Embedded's
    /// `LZMA_IN_REQUIRED`), which is why busybox's `xzcat` of a cut file writes less.
    lookahead: usize,
}

impl Lzma2Decoder {
    pub(crate) fn new(lookahead: usize) -> Lzma2Decoder {
        let props = Props { lc: 0, lp: 0, pb: 0 };
        Lzma2Decoder {
            seq: Seq::Control,
            next_seq: Seq::Control,
            lzma: LzmaDecoder::new(props),
            uncompressed: 0,
            compressed: 0,
            need_properties: true,
            need_dict_reset: true,
            props,
            lookahead,
        }
    }

    fn decode(&mut self, d: &mut Dict, win: &mut Vec<u8>, limit: usize, input: &[u8], in_pos: &mut usize) -> Result<Status, XzError> {
        while *in_pos < input.len() || self.seq == Seq::Lzma {
            let byte = input.get(*in_pos).copied().unwrap_or(0);
            match self.seq {
                Seq::Control => {
                    *in_pos += 1;
                    if let Some(ret) = self.control(byte, d) {
                        return ret;
                    }
                }
                Seq::Uncompressed1 => {
                    *in_pos += 1;
                    self.uncompressed += usize::from(byte) << 8;
                    self.seq = Seq::Uncompressed2;
                }
                Seq::Uncompressed2 => {
                    *in_pos += 1;
                    self.uncompressed += usize::from(byte) + 1;
                    self.seq = Seq::Compressed0;
                    self.lzma.set_uncompressed(Some(self.uncompressed as u64), false);
                }
                Seq::Compressed0 => {
                    *in_pos += 1;
                    self.compressed = usize::from(byte) << 8;
                    self.seq = Seq::Compressed1;
                }
                Seq::Compressed1 => {
                    *in_pos += 1;
                    self.compressed += usize::from(byte) + 1;
                    self.seq = self.next_seq;
                }
                Seq::Properties => {
                    *in_pos += 1;
                    self.props = Props::from_byte(byte).ok_or(XzError::Corrupt)?;
                    self.lzma.reset(self.props);
                    self.seq = Seq::Lzma;
                }
                Seq::Lzma => {
                    // The LZMA decoder sees all the input, not just this chunk's; reading
                    // past the chunk is caught here, after the fact, as liblzma does.
                    let start = *in_pos;
                    let cut_short = input.len() - start < self.compressed;
                    let input = if cut_short && self.lookahead > 0 {
                        input.get(..input.len().saturating_sub(self.lookahead).max(start)).unwrap_or(input)
                    } else {
                        input
                    };
                    let ret = self.lzma.decode(d, win, limit, input, in_pos);
                    let used = *in_pos - start;
                    if used > self.compressed {
                        return Err(XzError::Corrupt);
                    }
                    self.compressed -= used;
                    if ret != Ok(Status::StreamEnd) {
                        return ret;
                    }
                    if self.compressed != 0 {
                        return Err(XzError::Corrupt);
                    }
                    self.seq = Seq::Control;
                }
                Seq::Copy => {
                    let rest = input.get(*in_pos..).unwrap_or(&[]);
                    let n = rest.len().min(self.compressed).min(limit.saturating_sub(win.len()));
                    win.extend_from_slice(rest.get(..n).unwrap_or(&[]));
                    *in_pos += n;
                    d.t += n;
                    self.compressed -= n;
                    if self.compressed != 0 {
                        return Ok(Status::Ok);
                    }
                    self.seq = Seq::Control;
                }
            }
        }
        Ok(Status::Ok)
    }

    /// A chunk's control byte; `Some` when decode() must return.
    fn control(&mut self, control: u8, d: &mut Dict) -> Option<Result<Status, XzError>> {
        if control == 0x00 {
            return Some(Ok(Status::StreamEnd));
        }
        if control >= 0xE0 || control == 1 {
            self.need_properties = true;
            self.need_dict_reset = true;
        } else if self.need_dict_reset {
            return Some(Err(XzError::Corrupt));
        }
        if control >= 0x80 {
            self.uncompressed = usize::from(control & 0x1F) << 16;
            self.seq = Seq::Uncompressed1;
            if control >= 0xC0 {
                self.need_properties = false;
                self.next_seq = Seq::Properties;
            } else if self.need_properties {
                return Some(Err(XzError::Corrupt));
            } else {
                self.next_seq = Seq::Lzma;
                if control >= 0xA0 {
                    self.lzma.reset(self.props);
                }
            }
        } else {
            if control > 2 {
                return Some(Err(XzError::Corrupt));
            }
            self.seq = Seq::Compressed0;
            self.next_seq = Seq::Copy;
        }
        if self.need_dict_reset {
            self.need_dict_reset = false;
            d.need_reset = true;
            return Some(Ok(Status::Ok));
        }
        None
    }
}
