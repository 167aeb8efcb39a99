//! Tools over a file's bytes: `truncate`, `cmp`, `base64` (oracle-42).

use super::{read_input, split_opts, Proc};
use crate::fs::{Data, Errno};
use crate::vfs::WriteMode;

/// Beyond this a file of zeros is kept as its size alone, as big files of zeros are.
pub(super) const INLINE_ZEROS: u64 = 1 << 20;

/// `current` (`None`: a new file) cut or grown with zeros to `new` bytes (`truncate`,
/// `fallocate`). What was written stays readable while the simulation keeps it byte by byte;
/// zeros past [`INLINE_ZEROS`] are kept as a size alone.
pub(super) fn resized(current: Option<&Data>, new: u64) -> Data {
    match current {
        Some(Data::Bytes(b)) if new <= b.len() as u64 => Data::from_bytes(b.get(..new as usize).unwrap_or_default()),
        Some(Data::Bytes(b)) if new <= INLINE_ZEROS || (new <= crate::vfs::MAX_FILE_BYTES && b.iter().any(|&x| x != 0)) => {
            let mut v = b.to_vec();
            v.resize(new as usize, 0);
            Data::Bytes(v.into())
        }
        Some(Data::Opaque(_)) => Data::Opaque(new),
        _ if new <= INLINE_ZEROS => Data::Bytes(vec![0; new as usize].into()),
        _ => Data::Opaque(new),
    }
}

/// `truncate -s [+|-]SIZE[K|M|G] FILE…`: each file made that long (created when missing, cut
/// or grown with zeros).
pub(super) fn truncate(p: &mut Proc, args: &[String]) -> i32 {
    let mut size: Option<String> = None;
    let mut no_create = false;
    let mut files = Vec::new();
    let mut at = 0;
    while let Some(a) = args.get(at) {
        match a.as_str() {
            "-s" | "--size" => {
                size = args.get(at + 1).cloned();
                at += 1;
            }
            "-c" | "--no-create" => no_create = true,
            s if s.starts_with("--size=") => size = s.strip_prefix("--size=").map(str::to_string),
            s if s.starts_with("-s") => size = s.get(2..).map(str::to_string),
            _ => files.push(a.clone()),
        }
        at += 1;
    }
    let Some(spec) = size else {
        if p.gnu {
            return p.err_try("you must specify either '--size' or '--reference'");
        }
        return p.busybox_usage();
    };
    let Some((relative, bytes)) = parse_size(&spec) else {
        let q = p.lq(&spec);
        if p.gnu {
            return p.err_try(&format!("Invalid number: {q}"));
        }
        p.err(&format!("invalid number '{spec}'"));
        return 1;
    };
    if files.is_empty() {
        return p.usage();
    }
    let mut status = 0;
    for f in files {
        let current = match p.world.read(&p.ctx, &f) {
            Ok(d) => Some(d),
            Err(Errno::NoEnt) if no_create => continue,
            Err(Errno::NoEnt) => None,
            Err(e) => {
                let msg = if p.gnu { format!("cannot open {} for writing: {e}", p.q(&f)) } else { format!("{f}: {e}") };
                p.err(&msg);
                status = 1;
                continue;
            }
        };
        let old = current.as_ref().map_or(0, Data::len);
        let new = match relative {
            Some(true) => old.saturating_add(bytes),
            Some(false) => old.saturating_sub(bytes),
            None => bytes,
        };
        let data = resized(current.as_ref(), new);
        // ftruncate(2): what grows is a hole, what is cut takes its holes with it.
        let holes = crate::fs::resized_holes(&p.world.file_holes(&p.ctx, &f), old, new);
        let written = p.world.write_file(&p.ctx, &f, &data, WriteMode::Truncate);
        if let Err(e) = written.and_then(|_| p.world.set_meta(&p.ctx, &f, true, &mut |i| i.holes = holes.clone())) {
            let msg = if p.gnu { format!("cannot open {} for writing: {e}", p.q(&f)) } else { format!("{f}: {e}") };
            p.err(&msg);
            status = 1;
        }
    }
    status
}

/// `SIZE[K|M|G]` with an optional `+`/`-` (`Some(true)`: grow by, `Some(false)`: shrink by).
pub(super) fn parse_size(spec: &str) -> Option<(Option<bool>, u64)> {
    let (relative, rest) = match spec.chars().next()? {
        '+' => (Some(true), spec.get(1..)?),
        '-' => (Some(false), spec.get(1..)?),
        _ => (None, spec),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let number: u64 = digits.parse().ok()?;
    let unit = match rest.get(digits.len()..)? {
        "" => 1,
        "K" | "k" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "KB" => 1000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => return None,
    };
    Some((relative, number.checked_mul(unit)?))
}

/// `cmp FILE1 FILE2`: silent and 0 when alike; the first differing byte and line, and 1, when
/// not; 2 on trouble.
pub(super) fn cmp(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let silent = opts.iter().any(|o| o == "-s" || o == "--quiet" || o == "--silent");
    let [a, b] = files.as_slice() else { return p.usage().max(2) };
    let mut data = Vec::new();
    for f in [a, b] {
        if f == "-" {
            data.push(std::mem::take(&mut p.io.stdin));
            continue;
        }
        match p.world.read(&p.ctx, f) {
            Ok(d) => data.push(d.to_vec()),
            Err(e) => {
                let msg = if p.gnu { format!("{f}: {e}") } else { format!("can't open '{f}': {e}") };
                p.err(&msg);
                return 2;
            }
        }
    }
    compare_bytes(p, silent, [a, b], [&data[0], &data[1]])
}

/// The comparison itself, of two files' bytes read already (`zcmp` hands it decompressed ones).
pub(super) fn compare_bytes(p: &mut Proc, silent: bool, [a, b]: [&str; 2], [x, y]: [&[u8]; 2]) -> i32 {
    let first = x.iter().zip(y.iter()).position(|(l, r)| l != r);
    match first {
        Some(at) => {
            if !silent {
                let line = x.iter().take(at).filter(|c| **c == b'\n').count() + 1;
                let what = if p.gnu { "byte" } else { "char" };
                p.out(&format!("{a} {b} differ: {what} {}, line {line}\n", at + 1));
            }
            1
        }
        None if x.len() != y.len() => {
            let (shorter, common) = if x.len() < y.len() { (a, x) } else { (b, y) };
            if !p.gnu {
                p.err(&format!("EOF on {shorter}"));
            } else if common.is_empty() {
                p.err(&format!("EOF on {shorter} which is empty"));
            } else {
                // GNU cmp 3.8 counts the lines the shorter file ended, or the one it ended in.
                let lines = common.iter().filter(|c| **c == b'\n').count();
                let at = if common.ends_with(b"\n") { format!("line {lines}") } else { format!("in line {}", lines + 1) };
                p.err(&format!("EOF on {shorter} after byte {}, {at}", common.len()));
            }
            1
        }
        None => 0,
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `base64 [-d] [FILE]`: encoded in lines of 76 characters, or decoded.
pub(super) fn base64(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let decode = opts.iter().any(|o| o == "-d" || o == "--decode");
    let input = files.first().cloned().unwrap_or_else(|| "-".into());
    let Some(data) = read_input(p, &input) else { return 1 };
    if decode {
        match decode_base64(&data) {
            Some(bytes) => {
                p.io.write_out(&bytes);
                0
            }
            None => {
                p.err("invalid input");
                1
            }
        }
    } else {
        let text = encode_base64(&data);
        let lines: Vec<String> = text.as_bytes().chunks(76).map(|l| String::from_utf8_lossy(l).into_owned()).collect();
        let out: String = lines.iter().map(|l| format!("{l}\n")).collect();
        p.out(&out);
        0
    }
}

/// RFC 4648's base64 of `data`, padded, on one line.
pub(super) fn encode_base64(data: &[u8]) -> String {
    let mut text = String::new();
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for k in 0..4 {
            let c = if k <= chunk.len() { char::from(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]) } else { '=' };
            text.push(c);
        }
    }
    text
}

pub(super) fn decode_base64(data: &[u8]) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = data.iter().copied().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::new();
    for quad in symbols.chunks(4) {
        let mut n = 0u32;
        let mut valid = 0usize;
        for (i, c) in quad.iter().enumerate() {
            if *c == b'=' {
                continue;
            }
            let v = ALPHABET.iter().position(|a| a == c)? as u32;
            n |= v << (18 - 6 * i);
            valid += 1;
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(bytes.get(..valid.saturating_sub(1))?);
    }
    Some(out)
}

const ALPHABET32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// `base32 [-d] [FILE]`: RFC 4648's alphabet, in lines of 76 characters, or decoded.
pub(super) fn base32(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let decode = opts.iter().any(|o| o == "-d" || o == "--decode");
    let input = files.first().cloned().unwrap_or_else(|| "-".into());
    let Some(data) = read_input(p, &input) else { return 1 };
    if decode {
        let symbols: Vec<u8> = data.iter().copied().filter(|c| !c.is_ascii_whitespace() && *c != b'=').collect();
        let mut out = Vec::new();
        let (mut acc, mut bits) = (0u64, 0u32);
        for c in symbols {
            let Some(v) = ALPHABET32.iter().position(|a| *a == c) else {
                p.err("invalid input");
                return 1;
            };
            acc = (acc << 5) | v as u64;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
        p.io.write_out(&out);
        return 0;
    }
    let mut text = String::new();
    for chunk in data.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let n = block.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let symbols = (chunk.len() * 8).div_ceil(5);
        for k in 0..8 {
            text.push(if k < symbols { char::from(ALPHABET32[((n >> (35 - 5 * k)) & 31) as usize]) } else { '=' });
        }
    }
    let out: String = text.as_bytes().chunks(76).map(|l| format!("{}\n", String::from_utf8_lossy(l))).collect();
    p.out(&out);
    0
}

/// GNU `basenc --ENCODING [-d] [FILE]`: `--base64` and `--base32` as their own tools write
/// them, `--base16` as upper-case hex in lines of 76 (oracle-74).
pub(super) fn basenc(p: &mut Proc, args: &[String]) -> i32 {
    let encoding = args.iter().find(|a| matches!(a.as_str(), "--base64" | "--base32" | "--base16"));
    let rest: Vec<String> = args.iter().filter(|a| Some(*a) != encoding).cloned().collect();
    match encoding.map(String::as_str) {
        Some("--base64") => base64(p, &rest),
        Some("--base32") => base32(p, &rest),
        Some(_) => base16(p, &rest),
        None => p.err_try("missing encoding type"),
    }
}

fn base16(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let decode = opts.iter().any(|o| o == "-d" || o == "--decode");
    let input = files.first().cloned().unwrap_or_else(|| "-".into());
    let Some(data) = read_input(p, &input) else { return 1 };
    if decode {
        let digits: Vec<u8> = data.iter().copied().filter(|c| !c.is_ascii_whitespace()).collect();
        let decoded: Option<Vec<u8>> = digits
            .chunks(2)
            .map(|pair| std::str::from_utf8(pair).ok().filter(|s| s.len() == 2).and_then(|s| u8::from_str_radix(s, 16).ok()))
            .collect();
        return match decoded {
            Some(bytes) => {
                p.io.write_out(&bytes);
                0
            }
            None => {
                p.err("invalid input");
                1
            }
        };
    }
    let text: String = data.iter().map(|b| format!("{b:02X}")).collect();
    let out: String = text.as_bytes().chunks(76).map(|l| format!("{}\n", String::from_utf8_lossy(l))).collect();
    p.out(&out);
    0
}
