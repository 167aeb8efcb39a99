//! busybox `uuencode [-m] [FILE] NAME` and `uudecode [-o FILE] [FILE]`: a file as printable
//! text, in the classic uu lines (a length character, four characters for each three bytes,
//! `` ` `` for a zero) or base64 with `-m`, between `begin MODE NAME` and `end` (`====`), and
//! back to a file of that name and mode (oracle-98).

use super::bytes::{decode_base64, encode_base64};
use super::{read_input, Proc};
use crate::fs::Data;
use crate::vfs::WriteMode;

/// One uu character: six bits, a zero written as a backquote.
fn uu_char(bits: u32) -> char {
    match bits & 63 {
        0 => '`',
        b => char::from(32 + b as u8),
    }
}

pub(super) fn uuencode(p: &mut Proc, args: &[String]) -> i32 {
    let base64 = args.iter().any(|a| a == "-m");
    let operands: Vec<&String> = args.iter().filter(|a| a.as_str() != "-m").collect();
    let (file, name) = match operands.as_slice() {
        [name] => (None, name.as_str()),
        [file, name] => (Some(file.as_str()), name.as_str()),
        _ => return p.busybox_usage(),
    };
    // The file's permission bits, or a new file's (the umask's) for stdin.
    let mode = match file {
        Some(f) => match p.world.stat(&p.ctx, f, true) {
            Ok(st) => st.mode & 0o777,
            Err(e) => {
                p.err(&format!("can't open '{f}': {e}"));
                return 1;
            }
        },
        None => 0o666 & !p.ctx.umask,
    };
    let Some(data) = read_input(p, file.unwrap_or("-")) else { return 1 };
    let mut out = String::new();
    if base64 {
        out.push_str(&format!("begin-base64 {mode:o} {name}\n"));
        // Busybox writes 45 bytes a line in base64 too: 60 characters.
        for line in encode_base64(&data).as_bytes().chunks(60) {
            out.push_str(&String::from_utf8_lossy(line));
            out.push('\n');
        }
        out.push_str("====\n");
    } else {
        out.push_str(&format!("begin {mode:o} {name}\n"));
        for line in data.chunks(45) {
            out.push(uu_char(line.len() as u32));
            for group in line.chunks(3) {
                let n = group.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
                for k in 0..4 {
                    out.push(uu_char(n >> (18 - 6 * k)));
                }
            }
            out.push('\n');
        }
        out.push_str("`\nend\n");
    }
    p.out(&out);
    0
}

pub(super) fn uudecode(p: &mut Proc, args: &[String]) -> i32 {
    let (mut output, mut file) = (None, None);
    let mut k = 0;
    while let Some(a) = args.get(k) {
        if a == "-o" {
            k += 1;
            output = args.get(k).cloned();
        } else {
            file = Some(a.clone());
        }
        k += 1;
    }
    let data = match file.as_deref() {
        None | Some("-") => std::mem::take(&mut p.io.stdin),
        Some(f) => match p.world.read(&p.ctx, f) {
            Ok(d) => d.to_vec(),
            Err(e) => {
                p.err(&format!("{f}: {e}"));
                return 1;
            }
        },
    };
    let text = String::from_utf8_lossy(&data).into_owned();
    let mut lines = text.lines();
    // The header: `begin MODE NAME` or `begin-base64 MODE NAME`.
    let Some((base64, mode, name)) = lines.by_ref().find_map(|l| {
        let (base64, rest) = match l.strip_prefix("begin-base64 ") {
            Some(rest) => (true, rest),
            None => (false, l.strip_prefix("begin ")?),
        };
        let (mode, name) = rest.split_once(' ')?;
        Some((base64, u32::from_str_radix(mode, 8).ok()?, name.to_string()))
    }) else {
        p.err("no 'begin' line");
        return 1;
    };
    let mut bytes = Vec::new();
    let mut ended = false;
    if base64 {
        let mut body = String::new();
        for l in lines.by_ref() {
            if l == "====" {
                ended = true;
                break;
            }
            body.push_str(l);
        }
        match decode_base64(body.as_bytes()) {
            Some(b) => bytes = b,
            None => {
                p.err("bad base64 encoding");
                return 1;
            }
        }
    } else {
        for l in lines.by_ref() {
            let chars: Vec<u32> = l.chars().map(|c| (c as u32).wrapping_sub(32) & 63).collect();
            let Some(&count) = chars.first() else { continue };
            if count == 0 {
                ended = lines.next() == Some("end");
                break;
            }
            let mut decoded = Vec::new();
            for quad in chars[1..].chunks(4) {
                let n = quad.iter().enumerate().fold(0u32, |acc, (i, v)| acc | (v << (18 - 6 * i)));
                decoded.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]);
            }
            decoded.truncate(count as usize);
            bytes.extend(decoded);
        }
    }
    if !ended {
        p.err("short file");
        return 1;
    }
    let target = output.unwrap_or(name);
    if target == "-" || target == "/dev/stdout" {
        p.io.write_out(&bytes);
        return 0;
    }
    let written = p.world.write_file(&p.ctx, &target, &Data::from_bytes(&bytes), WriteMode::Truncate);
    if let Err(e) = written.and_then(|_| p.world.set_meta(&p.ctx, &target, true, &mut |i| i.mode = mode & 0o7777)) {
        p.err(&format!("can't open '{target}': {e}"));
        return 1;
    }
    0
}
