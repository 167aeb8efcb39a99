//! `file` (5.44, Debian 12's) on the host: what a file holds, by its type and its first bytes,
//! for the kinds a learner makes here: text, scripts, JSON, gzip, bzip2, xz, lzma and tar
//! archives (`-z` looks inside the compressed ones), special files, links and directories
//! (oracle-74, oracle-165).

use super::Proc;
use crate::fs::FileType;

/// What `file` says of one name: its description and its MIME type (`-i`).
fn classify(p: &Proc, name: &str, follow: bool, uncompress: bool) -> (String, String) {
    let st = match p.world.stat(&p.ctx, name, follow) {
        Ok(st) => st,
        Err(e) => return (format!("cannot open `{name}' ({e})"), format!("cannot open `{name}' ({e})")),
    };
    match st.ftype {
        FileType::Dir => return ("directory".into(), "inode/directory; charset=binary".into()),
        FileType::Symlink => {
            let target = st.symlink.unwrap_or_default();
            return (format!("symbolic link to {target}"), "inode/symlink; charset=binary".into());
        }
        FileType::CharDev => {
            return (format!("character special ({}/{})", st.rdev.0, st.rdev.1), "inode/chardevice; charset=binary".into())
        }
        FileType::BlockDev => return (format!("block special ({}/{})", st.rdev.0, st.rdev.1), "inode/blockdevice; charset=binary".into()),
        FileType::Fifo => return ("fifo (named pipe)".into(), "inode/fifo; charset=binary".into()),
        FileType::Socket => return ("socket".into(), "inode/socket; charset=binary".into()),
        FileType::File => {}
    }
    let data = match p.world.read(&p.ctx, name) {
        Ok(d) => super::limited(&d),
        // file 5.44 says so in every mode (`-i` and `--mime-type` too).
        Err(_) => {
            let what = "regular file, no read permission".to_string();
            return (what.clone(), what);
        }
    };
    // A file mkfs.ext4 formatted holds its superblock at byte 1024.
    if let Some(image) = p.world.block_devices().image(st.ino) {
        // A label is said right after the UUID: `, volume name "data"`.
        let label = image.label.as_ref().map(|l| format!(", volume name \"{l}\"")).unwrap_or_default();
        let what = crate::blockdev::extfs::file_description(image.kind, &image.geometry, &format!("{}{label}", image.uuid));
        return (what, "application/octet-stream; charset=binary".into());
    }
    if let Some(area) = p.world.block_devices().swap_area(st.ino) {
        let label = area.label.as_ref().map(|l| format!("LABEL={l}")).unwrap_or_else(|| "no label".into());
        let what = format!(
            "Linux swap file, 4k page size, little endian, version 1, size {} pages, 0 bad pages, {label}, UUID={}",
            area.pages - 1,
            area.uuid
        );
        return (what, "application/octet-stream; charset=binary".into());
    }
    let (description, mime) = by_bytes(&data);
    if !uncompress {
        return (description, mime);
    }
    // `-z`: what the compressed data holds, then what holds it.
    match super::tar_codec::decompressed(&data) {
        Some(inner) if !inner.is_empty() => {
            let (inside, _) = by_bytes(&inner);
            (format!("{inside} ({description})"), mime)
        }
        _ => (description, mime),
    }
}

/// What a regular file's bytes are.
fn by_bytes(data: &[u8]) -> (String, String) {
    if data.is_empty() {
        return ("empty".into(), "inode/x-empty; charset=binary".into());
    }
    if crate::userland::gzip::is_gzip(data) {
        return (gzip_description(data), "application/gzip; charset=binary".into());
    }
    if crate::userland::bzip2::is_bzip2(data) {
        let size = data.get(3).map_or('9', |&b| b as char);
        return (format!("bzip2 compressed data, block size = {size}00k"), "application/x-bzip2; charset=binary".into());
    }
    if crate::userland::xz::is_xz(data) {
        let check = match data.get(7) {
            Some(0) => "NONE",
            Some(1) => "CRC32",
            Some(4) => "CRC64",
            Some(10) => "SHA-256",
            _ => "unknown",
        };
        return (format!("XZ compressed data, checksum {check}"), "application/x-xz; charset=binary".into());
    }
    if crate::userland::xz::is_lzma(data) {
        // The size field is all ones when the length was not known (xz always writes so).
        let streamed = data.get(5..13).is_some_and(|size| size.iter().all(|&b| b == 0xff));
        let what = if streamed {
            "LZMA compressed data, streamed".to_string()
        } else {
            let size = data.get(5..13).map_or(0, |b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]));
            format!("LZMA compressed data, non-streamed, size {size}")
        };
        return (what, "application/x-lzma; charset=binary".into());
    }
    if let Some(tar) = data.get(257..265) {
        if tar == b"ustar  \0" {
            return ("POSIX tar archive (GNU)".into(), "application/x-tar; charset=binary".into());
        }
        if tar.starts_with(b"ustar\0") {
            return ("POSIX tar archive".into(), "application/x-tar; charset=binary".into());
        }
    }
    let Some(text) = text_kind(data) else { return ("data".into(), "application/octet-stream; charset=binary".into()) };
    let charset = if text.starts_with("ASCII") { "us-ascii" } else { "utf-8" };
    if let Some(first) = data.strip_prefix(b"#!") {
        let line = String::from_utf8_lossy(first.split(|&b| b == b'\n').next().unwrap_or_default()).trim().to_string();
        let mut words = line.split_whitespace();
        let program = words.next().unwrap_or_default();
        let program = if program.ends_with("/env") { words.next().unwrap_or_default() } else { program };
        let kind = match program.rsplit('/').next().unwrap_or_default() {
            "sh" | "dash" => "POSIX shell script".to_string(),
            "bash" => "Bourne-Again shell script".to_string(),
            p if p.starts_with("python") => "Python script".to_string(),
            _ => format!("a {line} script"),
        };
        let mime = if kind.contains("shell") { "text/x-shellscript" } else { "text/plain" };
        return (format!("{kind}, {text} executable"), format!("{mime}; charset={charset}"));
    }
    let trimmed = String::from_utf8_lossy(data);
    let trimmed = trimmed.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('[')) && serde_json::from_slice::<serde_json::Value>(data).is_ok() {
        return ("JSON text data".into(), format!("application/json; charset={charset}"));
    }
    (text, format!("text/plain; charset={charset}"))
}

/// `ASCII text` or `Unicode text, UTF-8 text`, with what is unusual about its lines; `None`
/// for bytes that are not text.
fn text_kind(data: &[u8]) -> Option<String> {
    let printable = |b: u8| b >= 0x20 && b != 0x7f || matches!(b, b'\n' | b'\t' | b'\r' | 0x0c | 0x1b | 0x08);
    let ascii = data.iter().all(|&b| b < 0x80 && printable(b));
    let utf8 = !ascii && std::str::from_utf8(data).is_ok_and(|s| s.chars().all(|c| !c.is_control() || "\n\t\r\x0c\x1b\x08".contains(c)));
    if !ascii && !utf8 {
        return None;
    }
    let mut text = if ascii { "ASCII text".to_string() } else { "Unicode text, UTF-8 text".to_string() };
    let longest = data.split(|&b| b == b'\n').map(<[u8]>::len).max().unwrap_or(0);
    if longest > 300 {
        text.push_str(&format!(", with very long lines ({longest})"));
    }
    if data.windows(2).any(|w| w == b"\r\n") {
        text.push_str(", with CRLF line terminators");
    } else if !data.contains(&b'\n') {
        text.push_str(", with no line terminators");
    }
    Some(text)
}

/// What the gzip header says: the name and time it keeps, the system, the size modulo 2^32.
fn gzip_description(data: &[u8]) -> String {
    let mut out = "gzip compressed data".to_string();
    let flags = data.get(3).copied().unwrap_or(0);
    if flags & 0x08 != 0 {
        let name: Vec<u8> = data.iter().skip(10).take_while(|&&b| b != 0).copied().collect();
        out.push_str(&format!(", was \"{}\"", String::from_utf8_lossy(&name)));
    }
    let mtime = data.get(4..8).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    if mtime != 0 {
        let t = crate::clock::tm(i64::from(mtime));
        let day = crate::clock::DAYS[t.weekday];
        let month = crate::clock::MONTHS[(t.month as usize).saturating_sub(1) % 12];
        out.push_str(&format!(", last modified: {day} {month} {:2} {:02}:{:02}:{:02} {}", t.day, t.hour, t.min, t.sec, t.year));
    }
    match data.get(8) {
        Some(2) => out.push_str(", max compression"),
        Some(4) => out.push_str(", max speed"),
        _ => {}
    }
    if data.get(9) == Some(&3) {
        out.push_str(", from Unix");
    }
    if let Some(size) = data.len().checked_sub(4).and_then(|at| data.get(at..)) {
        out.push_str(&format!(", original size modulo 2^32 {}", u32::from_le_bytes([size[0], size[1], size[2], size[3]])));
    }
    out
}

/// `file [-b] [-i] [-L] FILE…`: each file named, its kind after a colon, the kinds aligned.
pub(super) fn file(p: &mut Proc, args: &[String]) -> i32 {
    let (mut brief, mut mime, mut follow, mut uncompress, mut type_only) = (false, false, false, false, false);
    let mut names = Vec::new();
    for a in args {
        match a.as_str() {
            "-b" | "--brief" => brief = true,
            "-i" | "--mime" => mime = true,
            "--mime-type" => {
                mime = true;
                type_only = true;
            }
            "-z" | "--uncompress" => uncompress = true,
            "-L" | "--dereference" => follow = true,
            "-h" | "--no-dereference" => follow = false,
            s if s.starts_with('-') && s.len() > 1 && s.chars().skip(1).all(|c| "biLhz".contains(c)) => {
                brief |= s.contains('b');
                uncompress |= s.contains('z');
                mime |= s.contains('i');
                follow |= s.contains('L');
            }
            _ => names.push(a.clone()),
        }
    }
    if names.is_empty() {
        p.io.err_line("Usage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]");
        p.io.err_line("            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]");
        p.io.err_line("            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]");
        p.io.err_line("            <file> ...");
        p.io.err_line("       file -C [-m <magicfiles>]");
        p.io.err_line("       file [--help]");
        return 1;
    }
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0) + 1;
    for name in &names {
        let (description, mime_type) = classify(p, name, follow, uncompress);
        let mime_type = if type_only { mime_type.split(';').next().unwrap_or_default().to_string() } else { mime_type };
        let what = if mime { mime_type } else { description };
        if brief {
            p.out_line(&what);
        } else {
            let label = format!("{name}:");
            let pad = " ".repeat(width.saturating_sub(label.chars().count()));
            p.out_line(&format!("{label}{pad} {what}"));
        }
    }
    0
}
