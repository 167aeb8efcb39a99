//! Tools over the blocks behind a file: `fallocate` reserves them (a hole in the range is
//! filled, the file grows to hold it), `shred` overwrites them where they are (oracle-69).

use super::bytes::{parse_size, resized, INLINE_ZEROS};
use super::Proc;
use crate::fs::{Data, Errno};
use crate::vfs::WriteMode;

/// `fallocate [-o OFFSET] -l LENGTH FILE`: the range's blocks allocated, the file created when
/// missing and grown to hold the range (`-n` keeps its size). `-d` (dig holes in runs of
/// zeros) is accepted and changes nothing.
pub(super) fn fallocate(p: &mut Proc, args: &[String]) -> i32 {
    let mut length: Option<String> = None;
    let mut offset: Option<String> = None;
    let mut keep_size = false;
    let mut dig = false;
    let mut files = Vec::new();
    let mut cursor = super::Cursor::new(args);
    while let Some(a) = cursor.next() {
        let (is_length, value) = match a.as_str() {
            "-l" | "--length" | "-o" | "--offset" => (a == "-l" || a == "--length", cursor.next().cloned()),
            // busybox knows only -l and -o.
            "-n" | "--keep-size" | "-d" | "--dig-holes" if !p.gnu => return p.busybox_usage(),
            "-n" | "--keep-size" => {
                keep_size = true;
                continue;
            }
            "-d" | "--dig-holes" => {
                dig = true;
                continue;
            }
            s => match (
                s.strip_prefix("--length=").or_else(|| s.strip_prefix("-l")),
                s.strip_prefix("--offset=").or_else(|| s.strip_prefix("-o")),
            ) {
                (Some(v), _) if !v.is_empty() => (true, Some(v.to_string())),
                (_, Some(v)) if !v.is_empty() => (false, Some(v.to_string())),
                _ => {
                    files.push(a.clone());
                    continue;
                }
            },
        };
        if is_length {
            length = value;
        } else {
            offset = value;
        }
    }
    let [file] = &files[..] else {
        if p.gnu {
            p.err(if files.is_empty() { "no filename specified" } else { "unexpected number of arguments" });
            return 1;
        }
        return p.busybox_usage();
    };
    if dig && p.gnu {
        return 0;
    }
    let number = |spec: &Option<String>| spec.as_deref().map(|s| parse_size(s).filter(|(relative, _)| relative.is_none()).map(|(_, n)| n));
    let (len, off) = match (number(&length), number(&offset).unwrap_or(Some(0))) {
        (Some(Some(len)), Some(off)) if len > 0 || !p.gnu => (len, off),
        (None, _) if p.gnu => {
            p.err("no length argument specified");
            return 1;
        }
        (None, _) => return p.busybox_usage(),
        (Some(_), Some(_)) | (Some(None), None) if p.gnu => {
            p.err("invalid length value specified");
            return 1;
        }
        (Some(Some(_)), None) if p.gnu => {
            p.err("invalid offset value specified");
            return 1;
        }
        _ => {
            let bad = if matches!(number(&length), Some(None)) { length } else { offset };
            p.err(&format!("invalid number '{}'", bad.unwrap_or_default()));
            return 1;
        }
    };
    // open(O_WRONLY|O_CREAT), then fallocate(2): a failure of the second leaves the file made.
    let current = match p.world.read(&p.ctx, file) {
        Ok(d) => d,
        Err(Errno::NoEnt) => Data::empty(),
        Err(e) => return open_failed(p, file, e),
    };
    if let Err(e) = p.world.write_file(&p.ctx, file, &Data::empty(), WriteMode::Append) {
        return open_failed(p, file, e);
    }
    if len == 0 {
        p.err(&format!("fallocate '{file}': {}", Errno::Invalid));
        return 1;
    }
    let old = current.len();
    let end = off.saturating_add(len);
    let new = if keep_size { old } else { old.max(end) };
    let holes = filled(&crate::fs::resized_holes(&p.world.file_holes(&p.ctx, file), old, new), off, end);
    // fallocate(2) reserves the whole range or nothing: a short write (No space) is undone.
    let written = p.world.write_file(&p.ctx, file, &resized(Some(&current), new), WriteMode::Truncate);
    if written == Err(Errno::NoSpace) {
        let _ = p.world.write_file(&p.ctx, file, &current, WriteMode::Truncate);
    }
    match written.and_then(|_| p.world.set_meta(&p.ctx, file, true, &mut |i| i.holes = holes.clone())) {
        Ok(()) => 0,
        Err(e) => {
            let msg = if p.gnu { format!("fallocate failed: {e}") } else { format!("fallocate '{file}': {e}") };
            p.err(&msg);
            1
        }
    }
}

fn open_failed(p: &mut Proc, file: &str, e: Errno) -> i32 {
    p.err_dialect(&format!("cannot open {file}: {e}"), &format!("can't open '{file}': {e}"));
    1
}

/// `holes` without the range `start..end`, which now has blocks.
fn filled(holes: &[(u64, u64)], start: u64, end: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    for &(s, e) in holes {
        if s < start {
            out.push((s, e.min(start)));
        }
        if e > end {
            out.push((s.max(end), e));
        }
    }
    out
}

/// `shred [-n N] [-z] [-u] [-v] [-x] FILE…`: each file overwritten in place, N times with
/// noise (then once with zeros for `-z`), and removed for `-u`. GNU writes whole 4 KiB blocks
/// (a 7-byte file becomes 4096 bytes of noise) unless `-x`; busybox keeps the size.
pub(super) fn shred(p: &mut Proc, args: &[String]) -> i32 {
    let (mut passes, mut zero, mut remove, mut verbose, mut exact) = (3u64, false, false, false, false);
    let mut files = Vec::new();
    let mut cursor = super::Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-n" | "--iterations" => {
                let value = cursor.next();
                match value.and_then(|n| n.parse().ok()) {
                    Some(n) => passes = n,
                    None => return bad_passes(p, value),
                }
            }
            s if s.starts_with("--iterations=") || (s.starts_with("-n") && s.len() > 2) => {
                let n = s.strip_prefix("--iterations=").or_else(|| s.get(2..)).unwrap_or_default();
                match n.parse() {
                    Ok(n) => passes = n,
                    Err(_) => return bad_passes(p, Some(&n.to_string())),
                }
            }
            "--zero" => zero = true,
            "--remove" => remove = true,
            "--verbose" => verbose = true,
            "--exact" => exact = true,
            "--force" => {}
            s if s.starts_with('-') && s.len() > 1 && s.chars().skip(1).all(|c| "zuvxf".contains(c)) => {
                zero |= s.contains('z');
                remove |= s.contains('u');
                verbose |= s.contains('v');
                exact |= s.contains('x');
            }
            _ => files.push(a.clone()),
        }
    }
    if files.is_empty() {
        if p.gnu {
            return p.err_try("missing file operand");
        }
        return p.busybox_usage();
    }
    let mut status = 0;
    for file in files {
        let data = match p.world.read(&p.ctx, &file) {
            Ok(d) => d,
            Err(e) => {
                p.err_dialect(&format!("{file}: failed to open for writing: {e}"), &format!("can't open '{file}': {e}"));
                status = 1;
                continue;
            }
        };
        let size = if p.gnu && !exact { data.len().div_ceil(4096) * 4096 } else { data.len() };
        let total = passes + u64::from(zero);
        if verbose && p.gnu {
            for pass in 1..=total {
                let what = pass_pattern(pass, passes, zero && pass == total);
                p.err(&format!("{file}: pass {pass}/{total} ({what})..."));
            }
        }
        // Zeros, or noise while it fits byte by byte (past that, the size alone: the file never
        // changes length as real shred's does not).
        let last =
            if zero || size > INLINE_ZEROS { Data::Opaque(size) } else { Data::Bytes(noise(size, file.len() as u64 ^ passes).into()) };
        if let Err(e) = p.world.write_file(&p.ctx, &file, &last, WriteMode::Truncate) {
            p.err_dialect(&format!("{file}: failed to open for writing: {e}"), &format!("can't open '{file}': {e}"));
            status = 1;
            continue;
        }
        if remove {
            status |= shred_remove(p, &file, verbose);
        }
    }
    status
}

/// What GNU shred's pass `pass` of `passes` writes, as `-v` names it: noise first and last;
/// from four passes on, fixed patterns between (in an order GNU shuffles at random: here the
/// order a four-pass run was recorded with), and zeros for `-z`'s extra pass.
fn pass_pattern(pass: u64, passes: u64, zeros: bool) -> &'static str {
    const BETWEEN: [&str; 6] = ["000000", "ffffff", "555555", "aaaaaa", "249249", "492492"];
    if zeros {
        "000000"
    } else if passes < 4 || pass == 1 || pass == passes {
        "random"
    } else {
        BETWEEN[((pass - 2) % BETWEEN.len() as u64) as usize]
    }
}

fn bad_passes(p: &mut Proc, value: Option<&String>) -> i32 {
    let v = value.cloned().unwrap_or_default();
    if p.gnu {
        let q = p.lq(&v);
        p.err(&format!("invalid number of passes: {q}"));
        return 1;
    }
    p.err(&format!("invalid number '{v}'"));
    1
}

/// `-u`: GNU renames the file to ever shorter names of zeros before it unlinks it, so that
/// the name is overwritten too; busybox unlinks it.
fn shred_remove(p: &mut Proc, file: &str, verbose: bool) -> i32 {
    let mut current = file.to_string();
    if p.gnu {
        if verbose {
            p.err(&format!("{file}: removing"));
        }
        let (dir, name) = match file.rsplit_once('/') {
            Some((dir, name)) => (format!("{dir}/"), name.to_string()),
            None => (String::new(), file.to_string()),
        };
        for len in (1..=name.chars().count()).rev() {
            let next = format!("{dir}{}", "0".repeat(len));
            if next == current || p.world.stat(&p.ctx, &next, false).is_ok() {
                continue;
            }
            if p.world.rename(&p.ctx, &current, &next).is_ok() {
                if verbose {
                    p.err(&format!("{current}: renamed to {next}"));
                }
                current = next;
            }
        }
    }
    match p.world.remove(&p.ctx, &current, false) {
        Ok(()) => {
            if verbose && p.gnu {
                p.err(&format!("{file}: removed"));
            }
            0
        }
        Err(e) => {
            p.err_dialect(&format!("{file}: failed to remove: {e}"), &format!("can't remove '{file}': {e}"));
            1
        }
    }
}

/// Bytes that look like noise, the same for the same seed: shred's random passes without a
/// random source (the engine has none).
fn noise(len: u64, seed: u64) -> Vec<u8> {
    let mut state = super::seeded(seed);
    (0..len).map(|_| (super::xorshift(&mut state) >> 24) as u8).collect()
}
