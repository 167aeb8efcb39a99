//! The zip format as Info-ZIP's zip 3.0 writes it on Linux and unzip 6.0 reads it: a local
//! header, the data (stored, or deflated by the same deflate as gzip's, so the bytes are zip's)
//! and, at the end, the central directory. Each entry carries Info-ZIP's two extra fields, the
//! times (`UT`) and the owner (`ux`), and in the central directory its Unix mode (oracle-168).

use crate::userland::gzip;

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
/// Made by: zip 3.0 (30) on Unix (3).
const MADE_BY: u16 = 0x031e;

/// How an entry's data is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Stored,
    Deflated,
    Other(u16),
}

/// What is put into an archive: one file, directory or symbolic link (`-y`) as zip reads it.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    /// The name in the archive (a directory's ends with `/`).
    pub name: String,
    /// The contents (a link's target with `-y`).
    pub data: Vec<u8>,
    /// `st_mode`, the file's type bits included.
    pub mode: u32,
    pub mtime: i64,
    pub atime: i64,
    pub uid: u32,
    pub gid: u32,
    /// 0 stores; 1–9 deflate at that level (and store when that does not make it smaller).
    pub level: u8,
    /// `-X`: no extra fields.
    pub bare: bool,
}

/// One entry of an archive, as its central directory and local header say.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub name: String,
    pub method: Method,
    pub flags: u16,
    pub crc: u32,
    pub compressed: u64,
    pub size: u64,
    /// The DOS date and time (local time, two-second steps).
    pub dos_time: u32,
    /// `st_mode` when the archive was made on Unix.
    pub mode: Option<u32>,
    /// Info-ZIP's text flag (the internal attributes' first bit).
    pub text: bool,
    pub made_by: u16,
    /// Whether the central directory carries extra fields.
    pub extra: bool,
    /// The whole local record (header, name, extra field and data), kept to be written again
    /// as it is when the archive is updated.
    pub local: Vec<u8>,
    /// Where the data starts in `local`.
    pub data_at: usize,
    /// The central record's extra field.
    pub central_extra: Vec<u8>,
}

/// Why bytes are not a readable archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ZipError {
    /// No end-of-central-directory record.
    NoDirectory,
    /// The directory or a header points outside the file, or its signature is wrong.
    Damaged,
}

/// Why an entry's data could not be read back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DataError {
    /// A method other than stored and deflated.
    Unsupported,
    /// The deflate stream is broken.
    Invalid,
    /// The data does not match its CRC.
    Crc,
}

/// zip's DOS time: the local date and time in two-second steps, odd seconds rounded up.
pub(crate) fn dos_time(mtime: i64) -> u32 {
    let t = crate::clock::tm((mtime + 1) & !1);
    let year = (t.year - 1980).clamp(0, 127) as u32;
    let date = (year << 9) | (t.month << 5) | t.day;
    let time = (t.hour << 11) | (t.min << 5) | (t.sec / 2);
    (date << 16) | time
}

/// The date and time a DOS time stands for: year, month, day, hour, minute.
pub(crate) fn dos_parts(dos: u32) -> (u32, u32, u32, u32, u32) {
    let (date, time) = (dos >> 16, dos & 0xffff);
    (1980 + (date >> 9), (date >> 5) & 15, date & 31, time >> 11, (time >> 5) & 63)
}

/// zip's percentage saved (`deflated 53%`), in whole numbers as zip rounds them.
pub(crate) fn percent(size: u64, compressed: u64) -> u64 {
    let (mut n, mut m) = (size, compressed);
    if n > 0xff_ffff {
        n = (n + 0x80) >> 8;
        m = (m + 0x80) >> 8;
    }
    if n > m {
        1 + (200 * (n - m) / n).saturating_sub(1) / 2
    } else {
        0
    }
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Info-ZIP's local extra fields: both times, then the owner; the central one keeps the
/// modification time only.
fn extra_fields(s: &Source, central: bool) -> Vec<u8> {
    if s.bare {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(28);
    out.extend_from_slice(b"UT");
    put16(&mut out, if central { 5 } else { 9 });
    out.push(3);
    put32(&mut out, s.mtime as u32);
    if !central {
        put32(&mut out, s.atime as u32);
    }
    out.extend_from_slice(b"ux");
    put16(&mut out, 11);
    out.extend_from_slice(&[1, 4]);
    put32(&mut out, s.uid);
    out.push(4);
    put32(&mut out, s.gid);
    out
}

/// One source made into an entry: its data stored or deflated, its local record written.
pub(crate) fn entry(s: &Source) -> Entry {
    let is_dir = s.name.ends_with('/');
    let crc = gzip::crc32(&s.data);
    let (mut method, mut payload, mut text) = (Method::Stored, s.data.clone(), false);
    if s.level > 0 && !is_dir && !s.data.is_empty() {
        let (deflated, is_text) = gzip::deflate_typed(&s.data, s.level);
        text = is_text;
        if deflated.len() < s.data.len() {
            method = Method::Deflated;
            payload = deflated;
        }
    }
    // The level shows in the flags of a deflated entry (maximum, fast, super fast).
    let flags = match (method, s.level) {
        (Method::Deflated, 8 | 9) => 2,
        (Method::Deflated, 2) => 4,
        (Method::Deflated, 1) => 6,
        _ => 0,
    };
    let needed: u16 = if method == Method::Deflated { 20 } else { 10 };
    let dos = dos_time(s.mtime);
    let extra = extra_fields(s, false);
    let mut local = Vec::with_capacity(30 + s.name.len() + extra.len() + payload.len());
    put32(&mut local, LOCAL);
    put16(&mut local, needed);
    put16(&mut local, flags);
    put16(&mut local, if method == Method::Deflated { 8 } else { 0 });
    put32(&mut local, dos);
    put32(&mut local, crc);
    put32(&mut local, payload.len() as u32);
    put32(&mut local, s.data.len() as u32);
    put16(&mut local, s.name.len() as u16);
    put16(&mut local, extra.len() as u16);
    local.extend_from_slice(s.name.as_bytes());
    local.extend_from_slice(&extra);
    let data_at = local.len();
    local.extend_from_slice(&payload);
    Entry {
        name: s.name.clone(),
        method,
        flags,
        crc,
        compressed: payload.len() as u64,
        size: s.data.len() as u64,
        dos_time: dos,
        mode: Some(s.mode),
        text,
        made_by: MADE_BY,
        extra: !s.bare,
        local,
        data_at,
        central_extra: extra_fields(s, true),
    }
}

/// The archive of these entries: their local records, then the central directory.
pub(crate) fn write(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::with_capacity(entries.len());
    for e in entries {
        offsets.push(out.len() as u32);
        out.extend_from_slice(&e.local);
    }
    let directory_at = out.len();
    for (e, offset) in entries.iter().zip(offsets) {
        let needed = e.local.get(4..6).map_or(10, |b| u16::from_le_bytes([b[0], b[1]]));
        put32(&mut out, CENTRAL);
        put16(&mut out, e.made_by);
        put16(&mut out, needed);
        put16(&mut out, e.flags);
        put16(
            &mut out,
            match e.method {
                Method::Stored => 0,
                Method::Deflated => 8,
                Method::Other(m) => m,
            },
        );
        put32(&mut out, e.dos_time);
        put32(&mut out, e.crc);
        put32(&mut out, e.compressed as u32);
        put32(&mut out, e.size as u32);
        put16(&mut out, e.name.len() as u16);
        put16(&mut out, e.central_extra.len() as u16);
        put16(&mut out, 0);
        put16(&mut out, 0);
        put16(&mut out, u16::from(e.text));
        put32(&mut out, e.mode.unwrap_or(0) << 16);
        put32(&mut out, offset);
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.central_extra);
    }
    let directory_len = out.len() - directory_at;
    put32(&mut out, END);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, entries.len() as u16);
    put16(&mut out, entries.len() as u16);
    put32(&mut out, directory_len as u32);
    put32(&mut out, directory_at as u32);
    put16(&mut out, 0);
    out
}

fn get16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|x| u16::from_le_bytes([x[0], x[1]]))
}

fn get32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

/// The entries of an archive, in the central directory's order.
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<Entry>, ZipError> {
    // The end record is within the last 22 bytes and a comment of up to 64 KiB.
    let last = bytes.len().checked_sub(22).ok_or(ZipError::NoDirectory)?;
    let earliest = last.saturating_sub(0xffff);
    let end = (earliest..=last).rev().find(|&at| get32(bytes, at) == Some(END)).ok_or(ZipError::NoDirectory)?;
    let count = get16(bytes, end + 10).ok_or(ZipError::Damaged)? as usize;
    let mut at = get32(bytes, end + 16).ok_or(ZipError::Damaged)? as usize;
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        if get32(bytes, at) != Some(CENTRAL) {
            return Err(ZipError::Damaged);
        }
        let field = |off: usize| get16(bytes, at + off).ok_or(ZipError::Damaged);
        let field32 = |off: usize| get32(bytes, at + off).ok_or(ZipError::Damaged);
        let (made_by, flags, method) = (field(4)?, field(8)?, field(10)?);
        let (dos_time, crc, compressed, size) = (field32(12)?, field32(16)?, field32(20)?, field32(24)?);
        let (name_len, extra_len, comment_len) = (field(28)? as usize, field(30)? as usize, field(32)? as usize);
        let (internal, external, offset) = (field(36)?, field32(38)?, field32(42)? as usize);
        let name_bytes = bytes.get(at + 46..at + 46 + name_len).ok_or(ZipError::Damaged)?;
        let central_extra = bytes.get(at + 46 + name_len..at + 46 + name_len + extra_len).ok_or(ZipError::Damaged)?.to_vec();
        at += 46 + name_len + extra_len + comment_len;
        if get32(bytes, offset) != Some(LOCAL) {
            return Err(ZipError::Damaged);
        }
        let local_name = get16(bytes, offset + 26).ok_or(ZipError::Damaged)? as usize;
        let local_extra = get16(bytes, offset + 28).ok_or(ZipError::Damaged)? as usize;
        let data_at = 30 + local_name + local_extra;
        // A size field may say anything: the sum is checked (a 32-bit usize in the browser).
        let local_end = offset.checked_add(data_at).and_then(|x| x.checked_add(compressed as usize)).ok_or(ZipError::Damaged)?;
        let local = bytes.get(offset..local_end).ok_or(ZipError::Damaged)?.to_vec();
        entries.push(Entry {
            name: String::from_utf8_lossy(name_bytes).into_owned(),
            method: match method {
                0 => Method::Stored,
                8 => Method::Deflated,
                m => Method::Other(m),
            },
            flags,
            crc,
            compressed: u64::from(compressed),
            size: u64::from(size),
            dos_time,
            mode: (made_by >> 8 == 3).then_some(external >> 16),
            text: internal & 1 == 1,
            made_by,
            extra: !central_extra.is_empty(),
            local,
            data_at,
            central_extra,
        });
    }
    Ok(entries)
}

/// Whether an archive's entry name matches a name given on the command line (a glob).
pub(crate) fn name_matches(pattern: &str, name: &str) -> bool {
    let chars: Vec<(char, bool)> = pattern.chars().map(|c| (c, false)).collect();
    crate::userland::glob::matches(&chars, &name.chars().collect::<Vec<_>>())
}

/// The entries unzip works on: those the names pick (all without names), less the excluded.
pub(crate) fn select<'a>(entries: &'a [Entry], wanted: &[String], excluded: &[String]) -> Vec<&'a Entry> {
    entries
        .iter()
        .filter(|e| wanted.is_empty() || wanted.iter().any(|w| name_matches(w, &e.name)))
        .filter(|e| !excluded.iter().any(|x| name_matches(x, &e.name)))
        .collect()
}

impl Entry {
    /// The entry's data, checked against its CRC.
    pub(crate) fn contents(&self) -> Result<Vec<u8>, DataError> {
        let raw = self.local.get(self.data_at..).unwrap_or_default();
        let data = match self.method {
            Method::Stored => raw.to_vec(),
            Method::Deflated => gzip::inflate(raw).map_err(|_| DataError::Invalid)?.0,
            Method::Other(_) => return Err(DataError::Unsupported),
        };
        if gzip::crc32(&data) != self.crc {
            return Err(DataError::Crc);
        }
        Ok(data)
    }

    /// The modification time the `UT` field keeps, or the DOS time's.
    pub(crate) fn mtime(&self) -> i64 {
        let extra = self.local.get(30 + self.name.len()..self.data_at).unwrap_or_default();
        let mut at = 0;
        while let (Some(id), Some(len)) = (get16(extra, at), get16(extra, at + 2)) {
            if id == 0x5455 && extra.get(at + 4).is_some_and(|flags| flags & 1 == 1) {
                if let Some(t) = get32(extra, at + 5) {
                    return i64::from(t);
                }
            }
            at += 4 + len as usize;
        }
        let (y, mo, d, h, mi) = dos_parts(self.dos_time);
        let sec = (self.dos_time & 31) * 2;
        crate::clock::epoch(i64::from(y), mo, d, h, mi, sec)
    }

    pub(crate) fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes zip 3.0 wrote for a 12-byte file of 2024-05-06 07:08:09, owned by root.
    #[test]
    fn a_small_file_is_stored_as_zip_writes_it() {
        let source = Source {
            name: "i.html".into(),
            data: b"<h1>hi</h1>\n".to_vec(),
            mode: 0o100644,
            mtime: 1_714_979_289,
            atime: 1_714_979_289,
            uid: 0,
            gid: 0,
            level: 6,
            bare: false,
        };
        let archive = write(&[entry(&source)]);
        let expected = concat!(
            "504b03040a00000000000539a658c25701b60c0000000c00000006001c00692e68746d6c5554090003d981",
            "3866d981386675780b0001040000000004000000003c68313e68693c2f68313e0a504b01021e030a0000",
            "0000000539a658c25701b60c0000000c000000060018000000000001000000a48100000000692e68746d",
            "6c5554050003d981386675780b000104000000000400000000504b050600000000010001004c0000004c",
            "0000000000"
        );
        assert_eq!(crate::ids::hex(&archive), expected);
        let back = read(&archive).expect("a readable archive");
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].contents(), Ok(b"<h1>hi</h1>\n".to_vec()));
        assert_eq!(back[0].mtime(), 1_714_979_289);
    }

    #[test]
    fn a_size_field_that_lies_is_damage_not_a_panic() {
        let source =
            Source { name: "f".into(), data: b"x".to_vec(), mode: 0o100644, mtime: 0, atime: 0, uid: 0, gid: 0, level: 0, bare: true };
        let mut archive = write(&[entry(&source)]);
        // The central record's compressed size (offset 20 in it) made 4 GiB − 1.
        let central = archive.len() - 22 - 47;
        archive[central + 20..central + 24].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(read(&archive).err(), Some(ZipError::Damaged));
        assert_eq!(read(b"PK\x05\x06").err(), Some(ZipError::NoDirectory));
    }

    #[test]
    fn percentages_round_as_zip_does() {
        assert_eq!(percent(8893, 4200), 53);
        assert_eq!(percent(3000, 20), 99);
        assert_eq!(percent(12, 12), 0);
    }
}
