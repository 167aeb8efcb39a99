//! gzip's `gzexe FILE…`: each program replaced by a shell script that unpacks it and runs it
//! (a fixed header, then the program as `gzip -9` writes it), the original kept as `FILE~`;
//! `-d` unpacks again (oracle-104). The header is the text gzip 1.12's gzexe writes, as
//! recorded from it.

use super::compress::ratio;
use super::Proc;
use crate::fs::{Data, FileType};
use crate::userland::gzip::{self, Header};
use crate::vfs::WriteMode;

/// What gzexe puts before the compressed program (49 lines with it: `skip=49`).
const HEADER: &str = include_str!("gzexe_header.txt");

/// Programs whose packing could break the unpacking itself.
const NEEDED: [&str; 19] = [
    "basename", "bash", "cat", "chmod", "cp", "dirname", "expr", "gzip", "ln", "mkdir", "mktemp", "mv", "printf", "rm", "sed", "sh",
    "sleep", "test", "tail",
];

/// The script runs as `/usr/bin/gzexe`: that is how it names itself.
const ME: &str = "/usr/bin/gzexe";

pub(super) fn gzexe(p: &mut Proc, args: &[String]) -> i32 {
    let mut decompress = false;
    let mut files = args;
    while let Some(first) = files.first() {
        match first.as_str() {
            "-d" => decompress = true,
            "--" => {
                files = &files[1..];
                break;
            }
            _ => break,
        }
        files = &files[1..];
    }
    if files.is_empty() {
        p.io.err_line(&format!("{ME}: missing operand"));
        p.io.err_line(&format!("Try `{ME} --help' for more information."));
        return 1;
    }
    let mut status = 0;
    for given in files {
        let file = if given.starts_with('-') { format!("./{given}") } else { given.clone() };
        let readable = p.world.read(&p.ctx, &file).map(|d| d.to_vec());
        let (st, data) = match (p.world.stat(&p.ctx, &file, true), readable) {
            (Ok(st), Ok(data)) if st.ftype == FileType::File => (st, data),
            _ => {
                // The script keeps the status of the test that found it missing: 0.
                p.io.err_line(&format!("{ME}: {given} is not a readable regular file"));
                continue;
            }
        };
        let text = String::from_utf8_lossy(&data).into_owned();
        let skip = text
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix("skip="))
            .filter(|n| (1..=3).contains(&n.len()) && n.chars().all(|c| c.is_ascii_digit()));
        if !decompress && skip.is_some() {
            p.io.err_line(&format!("{ME}: {given} is already gzexe'd"));
            continue;
        }
        if st.mode & 0o4000 != 0 {
            p.io.err_line(&format!("{ME}: {given} has setuid permission, unchanged"));
            continue;
        }
        if st.mode & 0o2000 != 0 {
            p.io.err_line(&format!("{ME}: {given} has setgid permission, unchanged"));
            continue;
        }
        let base = file.rsplit('/').next().unwrap_or(&file).to_string();
        if NEEDED.contains(&base.as_str()) {
            p.io.err_line(&format!("{ME}: {given} might depend on itself"));
            continue;
        }
        let new = if decompress {
            // After the `skip=N` lines (44 in old files) comes the gzip data.
            let skip: usize = skip.and_then(|n| n.parse().ok()).unwrap_or(44);
            let body: Vec<u8> = data.split_inclusive(|b| *b == b'\n').skip(skip.saturating_sub(1)).flatten().copied().collect();
            match gzip::decompress(&body) {
                Ok(decoded) => decoded.data,
                Err(_) => {
                    p.io.err_line(&format!("{ME}: {given} probably not in gzexe format, file unchanged."));
                    status = 1;
                    continue;
                }
            }
        } else {
            let header = Header { name: Some(base.clone()), mtime: st.mtime as u32 };
            let gz = gzip::compress(&data, 9, &header, true);
            // gzip -v's line: its ratio leaves out the header (with the name) and the trailer.
            let overhead = 18 + base.len() as i64 + 1;
            let r = ratio(data.len() as i64 - (gz.len() as i64 - overhead), data.len() as u64);
            p.io.err_line(&format!("{file}:\t{r} -- replaced with stdout"));
            let mut packed = HEADER.as_bytes().to_vec();
            packed.extend_from_slice(&gz);
            packed
        };
        // The old file stays as FILE~ (a hard link to it); the new one takes its name and mode.
        let backup = format!("{file}~");
        let _ = p.world.remove(&p.ctx, &backup, false);
        let tmp = match file.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/gzexe.tmp"),
            None => "gzexe.tmp".to_string(),
        };
        let done = p
            .world
            .hard_link(&p.ctx, &file, &backup)
            .and_then(|()| p.world.write_file(&p.ctx, &tmp, &Data::from_bytes(&new), WriteMode::Truncate).map(|_| ()))
            .and_then(|()| p.world.set_meta(&p.ctx, &tmp, true, &mut |i| i.mode = st.mode & 0o7777))
            .and_then(|()| p.world.rename(&p.ctx, &tmp, &file));
        if let Err(e) = done {
            p.io.err_line(&format!("{ME}: cannot backup {given} as {given}~: {e}"));
            status = 1;
        }
    }
    status
}
