//! Busybox's `unxz`, `xzcat`, `xz -d`, `unlzma`, `lzcat` and `lzma -d` (oracle-162,
//! oracle-163): they only decompress. Busybox's xz decoder takes bytes without the .xz magic
//! for an empty stream — `unxz` of a text file named `x.xz` leaves an empty `x` and succeeds —
//! while its lzma decoder refuses them (`bad lzma header`); damaged data is `corrupted data`,
//! after what was decoded so far.

use super::Proc;
use crate::fs::{Data, Errno};
use crate::userland::xz::{self, Format};
use crate::vfs::WriteMode;

pub(super) fn unxz(p: &mut Proc, args: &[String]) -> i32 {
    let format = if ["lzma", "unlzma", "lzcat"].contains(&p.name.as_str()) { Format::Lzma } else { Format::Xz };
    if args.len() == 1 && args[0] == "--help" {
        p.busybox_usage();
        return 0;
    }
    let (mut decompress, mut stdout, mut force, mut keep, mut test) =
        (p.name.starts_with("un") || p.name.ends_with("cat"), p.name.ends_with("cat"), false, false, false);
    let mut files = Vec::new();
    let mut options_end = false;
    for a in args {
        if options_end || a == "-" || !a.starts_with('-') {
            files.push(a.clone());
            continue;
        }
        if a == "--" {
            options_end = true;
            continue;
        }
        for c in a.chars().skip(1) {
            match c {
                'd' => decompress = true,
                'c' => stdout = true,
                'f' => force = true,
                'k' => keep = true,
                't' => test = true,
                'v' | 'q' => {}
                c => {
                    p.err(&format!("invalid option -- '{c}'"));
                    return p.busybox_usage();
                }
            }
        }
    }
    // `xz` and `lzma` only decompress, and say so when not asked to.
    if !decompress && !test {
        return p.busybox_usage();
    }
    if files.is_empty() {
        let input = std::mem::take(&mut p.io.stdin);
        return to_stdout(p, format, &input, test);
    }
    let mut status = 0;
    for file in files {
        status = status.max(one(p, format, &file, stdout || test, test, force, keep));
    }
    status
}

/// One file: to stdout (or tested), or replaced by its decompressed form.
fn one(p: &mut Proc, format: Format, file: &str, stdout: bool, test: bool, force: bool, keep: bool) -> i32 {
    let suffix = if format == Format::Lzma { ".lzma" } else { ".xz" };
    let base = file.rsplit('/').next().unwrap_or(file);
    let out = match file.strip_suffix(suffix).filter(|_| base.len() > suffix.len()) {
        Some(stem) => Some(stem.to_string()),
        None if stdout => None,
        None => {
            p.err(&format!("{file}: unknown suffix - ignored"));
            return 1;
        }
    };
    let st = match p.world.stat(&p.ctx, file, true) {
        Ok(st) => st,
        Err(e) => {
            p.err(&format!("{file}: {e}"));
            return 1;
        }
    };
    let data = match p.world.read(&p.ctx, file) {
        Ok(d) if d.len() > super::compress::MAX_INPUT => {
            p.err(&format!("{file}: {}", Errno::TooBig));
            return 1;
        }
        Ok(d) => d.to_vec(),
        Err(e) => {
            p.err(&format!("{file}: {e}"));
            return 1;
        }
    };
    let out = match out.filter(|_| !stdout) {
        Some(out) => out,
        None => return to_stdout(p, format, &data, test),
    };
    if !force && p.world.stat(&p.ctx, &out, false).is_ok() {
        p.err(&format!("can't open '{out}': {}", Errno::Exists));
        return 1;
    }
    // The output is opened before the data is read; damaged data leaves no file behind.
    let plain = match decode(p, format, &data) {
        Ok(plain) => plain,
        Err(_) => return 1,
    };
    if let Err(e) = p.world.write_file(&p.ctx, &out, &Data::from_bytes(&plain), WriteMode::Truncate) {
        p.err(&format!("can't open '{out}': {e}"));
        return 1;
    }
    let _ = p.world.set_meta(&p.ctx, &out, true, &mut |i| {
        i.mode = (i.mode & !0o7777) | (st.mode & 0o7777);
        i.mtime = st.mtime;
    });
    if !keep {
        let _ = p.world.remove(&p.ctx, file, false);
    }
    0
}

/// `-c` (or stdin): what decodes goes to stdout (nothing with `-t`), what was decoded of damaged
/// data too.
fn to_stdout(p: &mut Proc, format: Format, data: &[u8], test: bool) -> i32 {
    let (written, status) = match decode(p, format, data) {
        Ok(plain) => (plain, 0),
        Err(partial) => (partial, 1),
    };
    if !test {
        p.io.write_out(&written);
    }
    status
}

/// Busybox's decoders: the data, or (after its complaint) what was decoded before the damage.
fn decode(p: &mut Proc, format: Format, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    if format == Format::Xz && !xz::is_xz(data) {
        return Ok(Vec::new());
    }
    let decoded = xz::decode_busybox(data, format);
    match decoded.result {
        Ok(()) => Ok(decoded.data),
        Err(xz::XzError::FormatNotRecognized) if format == Format::Lzma => {
            p.err("bad lzma header");
            Err(Vec::new())
        }
        Err(_) => {
            p.err("corrupted data");
            Err(decoded.data)
        }
    }
}
