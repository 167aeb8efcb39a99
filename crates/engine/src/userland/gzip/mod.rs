//! The gzip format (RFC 1952) around gzip's own deflate: what `gzip`, `gunzip`, `zcat` and
//! `tar -z` write and read. The compressed bytes are gzip's to the bit (`deflate.rs`,
//! `trees.rs`), so `ls -l`, `gzip -l` and `md5sum` of an archive show what they show on a real
//! machine.

mod deflate;
mod inflate;
mod trees;

pub(crate) use deflate::{deflate, deflate_typed};
pub(crate) use inflate::inflate;

const MAGIC: [u8; 2] = [0x1f, 0x8b];
const DEFLATED: u8 = 8;
const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;
/// The operating system byte: Unix.
const OS_UNIX: u8 = 3;

/// What a gzip member's header says besides its data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Header {
    /// The original file's name (gzip stores it when compressing a named file).
    pub name: Option<String>,
    /// The original file's modification time; 0 for a pipe.
    pub mtime: u32,
}

/// Compresses `data` into one gzip member at `level`. GNU gzip marks the fastest and the best
/// levels in the header's extra-flags byte; busybox (`gnu` false) compresses at level 6 whatever
/// it is asked (Debian builds it without levels: oracle-52) and leaves the byte 0.
pub(crate) fn compress(data: &[u8], level: u8, header: &Header, gnu: bool) -> Vec<u8> {
    let level = if gnu { level } else { 6 };
    let mut out = Vec::with_capacity(data.len() / 2 + 32);
    out.extend_from_slice(&MAGIC);
    out.push(DEFLATED);
    out.push(if header.name.is_some() { FNAME } else { 0 });
    out.extend_from_slice(&header.mtime.to_le_bytes());
    out.push(match level {
        1 if gnu => 4,
        9 if gnu => 2,
        _ => 0,
    });
    out.push(OS_UNIX);
    if let Some(name) = &header.name {
        out.extend_from_slice(name.as_bytes());
        out.push(0);
    }
    out.extend_from_slice(&deflate(data, level));
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// Why gzip data could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum GzError {
    /// The data does not start with gzip's magic number.
    NotGzip,
    /// The data ends inside a member.
    Truncated,
    /// A member's stream breaks the format.
    Invalid,
    /// The data decompressed, but not to what the trailer's checksum says.
    Crc,
    /// The data decompressed, but not to the length the trailer says.
    Length,
}

/// A whole gzip file read: its members' data one after the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub data: Vec<u8>,
    pub members: usize,
    /// The first member's header and trailer, in bytes (what `gzip -l` leaves out of a
    /// single member's ratio).
    pub overhead: usize,
    /// The last member's stated length (`gzip -l`'s "uncompressed").
    pub last_size: u32,
    pub first: Header,
    /// Bytes after the last member that are not another member.
    pub trailing: usize,
}

/// Whether `data` starts as gzip data does.
pub(crate) fn is_gzip(data: &[u8]) -> bool {
    data.starts_with(&MAGIC)
}

/// Reads every member of a gzip file.
pub(crate) fn decompress(data: &[u8]) -> Result<Decoded, GzError> {
    // An empty file, or one that stops inside the magic number, ends too soon.
    if data.len() < MAGIC.len() && MAGIC.starts_with(data) {
        return Err(GzError::Truncated);
    }
    if !is_gzip(data) {
        return Err(GzError::NotGzip);
    }
    let mut decoded = Decoded { data: Vec::new(), members: 0, overhead: 0, last_size: 0, first: Header::default(), trailing: 0 };
    let mut pos = 0;
    while pos < data.len() {
        let rest = &data[pos..];
        if !is_gzip(rest) {
            decoded.trailing = rest.len();
            break;
        }
        let (header, header_len) = parse_header(rest)?;
        let (bytes, used) = inflate(&rest[header_len..]).map_err(|e| match e {
            inflate::InflateError::Truncated => GzError::Truncated,
            inflate::InflateError::Invalid => GzError::Invalid,
        })?;
        let trailer = rest.get(header_len + used..header_len + used + 8).ok_or(GzError::Truncated)?;
        let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
        if crc != crc32(&bytes) {
            return Err(GzError::Crc);
        }
        if size != bytes.len() as u32 {
            return Err(GzError::Length);
        }
        if decoded.members == 0 {
            decoded.first = header;
            decoded.overhead = header_len + 8;
        }
        decoded.members += 1;
        decoded.last_size = size;
        decoded.data.extend_from_slice(&bytes);
        pos += header_len + used + 8;
    }
    Ok(decoded)
}

/// A member's header and its length in bytes.
fn parse_header(data: &[u8]) -> Result<(Header, usize), GzError> {
    let fixed = data.get(..10).ok_or(GzError::Truncated)?;
    if fixed[2] != DEFLATED {
        return Err(GzError::Invalid);
    }
    let flags = fixed[3];
    let mtime = u32::from_le_bytes([fixed[4], fixed[5], fixed[6], fixed[7]]);
    let mut pos = 10;
    if flags & FEXTRA != 0 {
        let len = data.get(pos..pos + 2).ok_or(GzError::Truncated)?;
        pos += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    let zero_terminated = |pos: &mut usize| -> Result<String, GzError> {
        let rest = data.get(*pos..).ok_or(GzError::Truncated)?;
        let end = rest.iter().position(|&b| b == 0).ok_or(GzError::Truncated)?;
        *pos += end + 1;
        Ok(String::from_utf8_lossy(&rest[..end]).into_owned())
    };
    let name = if flags & FNAME != 0 { Some(zero_terminated(&mut pos)?) } else { None };
    if flags & FCOMMENT != 0 {
        zero_terminated(&mut pos)?;
    }
    if flags & FHCRC != 0 {
        pos += 2;
    }
    if pos > data.len() {
        return Err(GzError::Truncated);
    }
    Ok((Header { name, mtime }, pos))
}

/// CRC-32 (IEEE 802.3, reflected), as gzip's trailer holds it.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    crate::userland::crc::crc32(data, 0)
}

#[cfg(test)]
mod tests;
