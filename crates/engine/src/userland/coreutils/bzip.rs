//! `bzip2`, `bunzip2` and `bzcat`: bzip2 1.0.8 on the host, busybox's applets in containers
//! (oracle-75). A file is replaced by its compressed form (or back) keeping its mode and time;
//! `-c` writes to stdout, `-k` keeps the input, `-t` tests.

use super::compress::MAX_INPUT;
use super::Proc;
use crate::fs::{Data, Errno, FileType};
use crate::userland::bzip2::{self, BzError};
use crate::vfs::WriteMode;

/// bzip2's words for a stream that stops before its end, reading stdin (GNU tar's `-j`).
pub(super) const CUT_SHORT_STDIN: &str = "bzip2: Compressed file ends unexpectedly;
\tperhaps it is corrupted?  *Possible* reason follows.
bzip2: Inappropriate ioctl for device
\tInput file = (stdin), output file = (stdout)

It is possible that the compressed file(s) have become corrupted.
You can use the -tvv option to test integrity of such files.

You can use the `bzip2recover' program to attempt to recover
data from undamaged sections of corrupted files.
";

/// The suffixes bunzip2 knows, and what each becomes.
const SUFFIXES: [(&str, &str); 4] = [(".bz2", ""), (".bz", ""), (".tbz2", ".tar"), (".tbz", ".tar")];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Compress,
    Decompress,
    Test,
}

pub(super) fn bzip2(p: &mut Proc, args: &[String]) -> i32 {
    let mut mode = match p.name.as_str() {
        "bunzip2" | "bzcat" => Mode::Decompress,
        _ => Mode::Compress,
    };
    let (mut stdout, mut keep, mut force, mut verbose) = (p.name == "bzcat", false, false, false);
    let mut level = 9;
    let mut files = Vec::new();
    let mut options_end = false;
    for a in args {
        match a.as_str() {
            _ if options_end => files.push(a.clone()),
            "--" => options_end = true,
            "--decompress" => mode = Mode::Decompress,
            "--compress" => mode = Mode::Compress,
            "--test" => mode = Mode::Test,
            "--stdout" => stdout = true,
            "--keep" => keep = true,
            "--force" => force = true,
            "--verbose" => verbose = true,
            "--quiet" | "--small" => {}
            "--fast" => level = 1,
            "--best" => level = 9,
            s if s.starts_with('-') && s.len() > 1 && !s.starts_with("--") => {
                for c in s.chars().skip(1) {
                    match c {
                        'd' => mode = Mode::Decompress,
                        'z' => mode = Mode::Compress,
                        't' => mode = Mode::Test,
                        'c' => stdout = true,
                        'k' => keep = true,
                        'f' => force = true,
                        'v' => verbose = true,
                        '1'..='9' => level = c.to_digit(10).unwrap_or(9),
                        _ => {}
                    }
                }
            }
            _ => files.push(a.clone()),
        }
    }
    if files.is_empty() {
        let input = std::mem::take(&mut p.io.stdin);
        return match mode {
            Mode::Compress => {
                p.io.write_out(&bzip2::compress(&input, level));
                0
            }
            Mode::Decompress | Mode::Test => match bzip2::decompress(&input) {
                Ok(data) => {
                    if mode == Mode::Decompress {
                        p.io.write_out(&data);
                    }
                    0
                }
                Err(e) => refuse(p, "(stdin)", e, mode),
            },
        };
    }
    // `-v` lines up its figures after the longest name (seven characters at least).
    let width = files.iter().map(|f| f.len()).max().unwrap_or(0).max(7);
    let verbose = verbose.then_some(width);
    let mut status = 0;
    for file in files {
        let outcome = match mode {
            Mode::Compress => compress_file(p, &file, level, stdout, keep, force, verbose),
            Mode::Decompress | Mode::Test => decompress_file(p, &file, mode, stdout, keep, force, verbose),
        };
        status = status.max(outcome);
    }
    status
}

/// A file's bytes, or its failure in the dialect's words (and the exit status).
fn input(p: &mut Proc, file: &str) -> Result<Vec<u8>, i32> {
    let st = p.world.stat(&p.ctx, file, true);
    if st.as_ref().is_ok_and(|st| st.ftype == FileType::Dir) {
        p.err_dialect(&format!("Input file {file} is a directory."), &format!("{file}: {}", Errno::IsDir));
        return Err(1);
    }
    if st.as_ref().is_ok_and(|st| st.size > MAX_INPUT) {
        p.err(&format!("{file}: {}", Errno::TooBig));
        return Err(1);
    }
    match p.world.read(&p.ctx, file) {
        Ok(d) => Ok(d.to_vec()),
        Err(e) => {
            p.err_dialect(&format!("Can't open input file {file}: {e}."), &format!("{file}: {e}"));
            Err(1)
        }
    }
}

/// Writes `data` as `out`, refused when it exists (unless forced); the original's mode and time.
fn output(p: &mut Proc, from: &str, out: &str, data: &[u8], force: bool) -> Result<(), i32> {
    if !force && p.world.stat(&p.ctx, out, false).is_ok() {
        p.err_dialect(&format!("Output file {out} already exists."), &format!("can't open '{out}': {}", Errno::Exists));
        return Err(1);
    }
    if let Err(e) = p.world.write_file(&p.ctx, out, &Data::from_bytes(data), WriteMode::Truncate) {
        p.err_dialect(&format!("Can't create output file {out}: {e}."), &format!("can't open '{out}': {e}"));
        return Err(1);
    }
    if let Ok(st) = p.world.stat(&p.ctx, from, true) {
        let _ = p.world.set_meta(&p.ctx, out, true, &mut |i| {
            i.mode = st.mode;
            i.mtime = st.mtime;
        });
    }
    Ok(())
}

fn compress_file(p: &mut Proc, file: &str, level: u32, stdout: bool, keep: bool, force: bool, verbose: Option<usize>) -> i32 {
    if !stdout && p.gnu && SUFFIXES.iter().any(|(s, _)| file.ends_with(s)) {
        let suffix = SUFFIXES.iter().find(|(s, _)| file.ends_with(s)).map_or(".bz2", |(s, _)| s);
        p.err(&format!("Input file {file} already has {suffix} suffix."));
        return 1;
    }
    let data = match input(p, file) {
        Ok(d) => d,
        Err(status) => return status,
    };
    let packed = bzip2::compress(&data, level);
    if let Some(width) = verbose.filter(|_| p.gnu) {
        let (inn, out) = (data.len() as f64, packed.len() as f64);
        let pad = " ".repeat(width - file.len().min(width));
        let line = if data.is_empty() {
            format!("  {file}: {pad} no data compressed.")
        } else {
            format!(
                "  {file}: {pad}{:6.3}:1, {:6.3} bits/byte, {:5.2}% saved, {} in, {} out.",
                inn / out,
                8.0 * out / inn,
                100.0 * (1.0 - out / inn),
                data.len(),
                packed.len()
            )
        };
        p.io.err_line(&line);
    }
    if stdout {
        p.io.write_out(&packed);
        return 0;
    }
    if let Err(status) = output(p, file, &format!("{file}.bz2"), &packed, force) {
        return status;
    }
    if !keep {
        let _ = p.world.remove(&p.ctx, file, false);
    }
    0
}

fn decompress_file(p: &mut Proc, file: &str, mode: Mode, stdout: bool, keep: bool, force: bool, verbose: Option<usize>) -> i32 {
    let original = SUFFIXES.iter().find(|(s, _)| file.ends_with(s)).map(|(s, to)| format!("{}{to}", file.strip_suffix(s).unwrap_or(file)));
    if original.is_none() && mode == Mode::Decompress && !stdout && !p.gnu {
        p.err(&format!("{file}: unknown suffix - ignored"));
        return 1;
    }
    let data = match input(p, file) {
        Ok(d) => d,
        Err(status) => return status,
    };
    if original.is_none() && mode == Mode::Decompress && !stdout && p.gnu && bzip2::is_bzip2(&data) {
        p.err(&format!("Can't guess original name for {file} -- using {file}.out"));
    }
    let plain = match bzip2::decompress(&data) {
        Ok(plain) => plain,
        Err(e) => {
            if original.is_none() && mode == Mode::Decompress && !stdout && p.gnu {
                p.err(&format!("Can't guess original name for {file} -- using {file}.out"));
            }
            return refuse(p, file, e, mode);
        }
    };
    let say = |p: &mut Proc, what: &str| {
        if let Some(width) = verbose.filter(|_| p.gnu) {
            let pad = " ".repeat(width - file.len().min(width));
            p.io.err_line(&format!("  {file}: {pad}{what}"));
        }
    };
    if mode == Mode::Test {
        say(p, "ok");
        return 0;
    }
    if stdout {
        p.io.write_out(&plain);
        return 0;
    }
    let out = original.unwrap_or_else(|| format!("{file}.out"));
    if let Err(status) = output(p, file, &out, &plain, force) {
        return status;
    }
    say(p, "done");
    if !keep {
        let _ = p.world.remove(&p.ctx, file, false);
    }
    0
}

/// Data that is not bzip2's, or is damaged: bzip2's words (exit 2), busybox's (exit 1).
fn refuse(p: &mut Proc, file: &str, e: BzError, mode: Mode) -> i32 {
    if !p.gnu {
        p.err(match e {
            BzError::NotBzip2 => "invalid magic",
            BzError::Damaged => "corrupted data",
        });
        return 1;
    }
    match (e, mode) {
        (BzError::NotBzip2, Mode::Test) => {
            p.err(&format!("{file}: bad magic number (file not created by bzip2)"));
            p.io.err_line("");
            p.io.err_line("You can use the `bzip2recover' program to attempt to recover");
            p.io.err_line("data from undamaged sections of corrupted files.");
            p.io.err_line("");
        }
        (BzError::NotBzip2, _) => p.err(&format!("{file} is not a bzip2 file.")),
        (BzError::Damaged, _) => {
            p.err(&format!("{file}: data integrity (CRC) error in data"));
            p.io.err_line("");
            p.io.err_line("You can use the `bzip2recover' program to attempt to recover");
            p.io.err_line("data from undamaged sections of corrupted files.");
            p.io.err_line("");
        }
    }
    2
}
