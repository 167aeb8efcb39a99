//! The bzip2 format through `libbz2-rs-sys`, a Rust port of libbzip2 1.0.8 (Debian 12's
//! bzip2 and busybox's applet write the same bytes): what `bzip2`, `bunzip2`, `bzcat` and
//! `tar -j` write and read (oracle-75).

use std::io::{Read, Write};

/// Why bytes are not a bzip2 stream's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BzError {
    /// No `BZh1`…`BZh9` at the start.
    NotBzip2,
    /// The stream is cut short or its data is damaged.
    Damaged,
}

/// `BZh` and a block size digit.
pub(crate) fn is_bzip2(data: &[u8]) -> bool {
    data.len() >= 4 && data.starts_with(b"BZh") && (b'1'..=b'9').contains(&data[3])
}

/// One bzip2 stream of `data`, blocks of `level` × 100 kB (9, bzip2's default, unless asked).
pub(crate) fn compress(data: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = bzip2::write::BzEncoder::new(Vec::with_capacity(data.len() / 2 + 64), bzip2::Compression::new(level.clamp(1, 9)));
    // Writing to a Vec cannot fail; should the codec refuse, the stream is the empty one's.
    if encoder.write_all(data).is_err() {
        return Vec::new();
    }
    encoder.finish().unwrap_or_default()
}

/// Every stream of `data`, one after the other (bzip2 reads concatenated files whole).
pub(crate) fn decompress(data: &[u8]) -> Result<Vec<u8>, BzError> {
    if !is_bzip2(data) {
        return Err(BzError::NotBzip2);
    }
    let mut out = Vec::new();
    bzip2::read::MultiBzDecoder::new(data).read_to_end(&mut out).map_err(|_| BzError::Damaged)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes real bzip2 1.0.8 wrote for the same input (oracle-75): 54 bytes, this md5.
    #[test]
    fn compresses_as_bzip2_does() {
        use md5::{Digest, Md5};
        let out = compress(b"hello world\nabc\n", 9);
        assert_eq!(out.len(), 54);
        let hex = crate::ids::hex(&Md5::digest(&out));
        assert_eq!(hex, "ee669f8b2b54359fe35fe6078b8171dc");
        assert_eq!(decompress(&out), Ok(b"hello world\nabc\n".to_vec()));
        assert_eq!(decompress(b"junk\n"), Err(BzError::NotBzip2));
    }
}
