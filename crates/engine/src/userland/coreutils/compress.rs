//! `gzip`, `gunzip` and `zcat`: GNU gzip 1.12 on the host, busybox's applets in containers
//! (oracle-51, oracle-52). A file is replaced by its compressed form (or back) keeping its
//! mode, owner and time; `-c` writes to stdout, `-k` keeps the input, `-l` lists, `-t` tests.

use super::Proc;
use crate::fs::{Data, Errno, FileType};
use crate::userland::gzip::{self, GzError, Header};
use crate::vfs::WriteMode;

/// Inputs past this are refused as too large: the simulation compresses in memory.
pub(super) const MAX_INPUT: u64 = 16 << 20;

/// Suffixes GNU gzip knows as compressed (`.tgz` and `.taz` stand for `.tar.gz`).
const KNOWN_SUFFIXES: [&str; 8] = [".gz", ".z", ".taz", ".tgz", "-gz", "-z", "_z", ".Z"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Compress,
    Decompress,
    Test,
    List,
}

struct Options {
    mode: Mode,
    stdout: bool,
    force: bool,
    keep: bool,
    no_name: bool,
    quiet: bool,
    recursive: bool,
    verbose: bool,
    level: u8,
    suffix: String,
}

/// One input's outcome for the totals of `gzip -l`.
struct Listed {
    compressed: u64,
    uncompressed: u64,
    overhead: u64,
}

pub(super) fn gzip(p: &mut Proc, args: &[String]) -> i32 {
    let program = p.name.clone();
    // GNU's gunzip and zcat are scripts that run gzip: its name is in their messages.
    if p.gnu {
        p.name = "gzip".into();
    }
    let status = run(p, &program, args);
    p.name = program;
    status
}

fn run(p: &mut Proc, program: &str, args: &[String]) -> i32 {
    let mut o = Options {
        mode: match program {
            "gunzip" | "zcat" => Mode::Decompress,
            _ => Mode::Compress,
        },
        stdout: program == "zcat",
        force: false,
        keep: false,
        no_name: false,
        quiet: false,
        recursive: false,
        verbose: false,
        level: 6,
        suffix: ".gz".into(),
    };
    let mut files = Vec::new();
    let mut i = 0;
    let mut operands_only = false;
    while let Some(a) = args.get(i) {
        i += 1;
        if operands_only || a == "-" || !a.starts_with('-') {
            files.push(a.clone());
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v.to_string())));
            match name {
                "" => operands_only = true,
                "stdout" | "to-stdout" => o.stdout = true,
                "decompress" | "uncompress" => o.mode = Mode::Decompress,
                "force" => o.force = true,
                "keep" => o.keep = true,
                "list" if p.gnu => o.mode = Mode::List,
                "no-name" => o.no_name = true,
                "name" => o.no_name = false,
                "quiet" => o.quiet = true,
                "recursive" if p.gnu => o.recursive = true,
                "test" => o.mode = Mode::Test,
                "verbose" => o.verbose = true,
                "fast" => o.level = 1,
                "best" => o.level = 9,
                "suffix" if p.gnu => match value.or_else(|| args.get(i).cloned().inspect(|_| i += 1)) {
                    Some(s) => o.suffix = s,
                    None => return refuse(p, "option '--suffix' requires an argument"),
                },
                _ => return refuse(p, &format!("unrecognized option '{a}'")),
            }
            continue;
        }
        let mut chars = a.chars().skip(1);
        while let Some(c) = chars.next() {
            match c {
                'c' => o.stdout = true,
                'd' => o.mode = Mode::Decompress,
                'f' => o.force = true,
                'k' => o.keep = true,
                'l' if p.gnu => o.mode = Mode::List,
                'n' => o.no_name = true,
                'N' if p.gnu => o.no_name = false,
                'q' => o.quiet = true,
                'r' if p.gnu => o.recursive = true,
                't' => o.mode = Mode::Test,
                'v' => o.verbose = true,
                '1'..='9' => o.level = c as u8 - b'0',
                'S' if p.gnu => {
                    let rest: String = chars.by_ref().collect();
                    let value = if rest.is_empty() { args.get(i).cloned().inspect(|_| i += 1) } else { Some(rest) };
                    match value {
                        Some(s) => o.suffix = s,
                        None => return refuse(p, "option requires an argument -- 'S'"),
                    }
                }
                c => return refuse(p, &format!("invalid option -- '{c}'")),
            }
        }
    }
    if o.mode == Mode::Compress && files.is_empty() && p.io.stdout_terminal && !o.force {
        p.err("compressed data not written to a terminal. Use -f to force compression.");
        if p.gnu {
            p.io.err_line("For help, type: gzip -h");
        }
        return 1;
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let mut status = 0;
    let mut listed = Vec::new();
    for f in files {
        let s = treat(p, &o, &f, &mut listed);
        status = worse(status, s);
    }
    if o.mode == Mode::List && listed.len() > 1 {
        let c: u64 = listed.iter().map(|l| l.compressed).sum();
        let u: u64 = listed.iter().map(|l| l.uncompressed).sum();
        let overhead = listed.last().map_or(0, |l| l.overhead);
        let line = list_line(c, u, overhead, "(totals)");
        p.out_line(&line);
    }
    status
}

/// GNU gzip's warning status (2) does not hide an error (1).
fn worse(a: i32, b: i32) -> i32 {
    match (a, b) {
        (1, _) | (_, 1) => 1,
        _ => a.max(b),
    }
}

fn refuse(p: &mut Proc, msg: &str) -> i32 {
    p.err(msg);
    if p.gnu {
        p.io.err_line("Try `gzip --help' for more information.");
        1
    } else {
        p.busybox_usage()
    }
}

fn basename(path: &str) -> &str {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or(path)
}

/// One operand: a file, a directory (with `-r`), or `-` for stdin.
fn treat(p: &mut Proc, o: &Options, f: &str, listed: &mut Vec<Listed>) -> i32 {
    if f == "-" {
        let input = std::mem::take(&mut p.io.stdin);
        let mtime = p.io.stdin_file.unwrap_or(0);
        return match o.mode {
            Mode::Compress => {
                let header = Header { name: None, mtime: if o.no_name { 0 } else { mtime as u32 } };
                let out = gzip::compress(&input, o.level, &header, p.gnu);
                p.io.out.extend_from_slice(&out);
                0
            }
            _ => decompress_to_stdout_or_test(p, o, "stdin", &input, listed),
        };
    }
    let st = match p.world.stat(&p.ctx, f, true) {
        Ok(st) => st,
        Err(Errno::NoEnt) if o.mode != Mode::Compress && p.gnu && !KNOWN_SUFFIXES.iter().any(|s| f.ends_with(s)) => {
            // gunzip NAME finds NAME.gz.
            let with = format!("{f}{}", o.suffix);
            if p.world.exists(&p.ctx, &with) {
                return treat(p, o, &with, listed);
            }
            p.err(&format!("{with}: {}", Errno::NoEnt));
            return 1;
        }
        Err(e) => {
            p.err(&format!("{f}: {e}"));
            return 1;
        }
    };
    if st.ftype == FileType::Dir {
        if o.recursive {
            return treat_dir(p, o, f, listed);
        }
        if !o.quiet {
            p.err(&format!("{f} is a directory -- ignored"));
        }
        return 2;
    }
    let data = match p.world.read(&p.ctx, f) {
        Ok(d) if d.len() > MAX_INPUT => {
            p.err(&format!("{f}: {}", Errno::TooBig));
            return 1;
        }
        Ok(d) => d.to_vec(),
        Err(e) => {
            p.err(&format!("{f}: {e}"));
            return 1;
        }
    };
    match o.mode {
        Mode::Compress => compress_file(p, o, f, &data, st.mtime),
        Mode::Decompress if !o.stdout => decompress_file(p, o, f, &data),
        _ => decompress_to_stdout_or_test(p, o, f, &data, listed),
    }
}

fn treat_dir(p: &mut Proc, o: &Options, dir: &str, listed: &mut Vec<Listed>) -> i32 {
    let Ok(loc) = p.world.resolve(&p.ctx, dir, true) else { return 1 };
    let entries = match p.world.list(&p.ctx, &loc) {
        Ok(e) => e,
        Err(e) => {
            p.err(&format!("{dir}: {e}"));
            return 1;
        }
    };
    let mut status = 0;
    for (name, _) in entries {
        let path = format!("{}/{name}", dir.trim_end_matches('/'));
        // In a tree, files that are already (or not yet) compressed are passed over quietly.
        let is_dir = p.world.stat(&p.ctx, &path, true).is_ok_and(|s| s.ftype == FileType::Dir);
        let compressed = has_suffix(o, &name).is_some();
        if !is_dir && ((o.mode == Mode::Compress && compressed) || (o.mode != Mode::Compress && !compressed)) {
            continue;
        }
        status = worse(status, treat(p, o, &path, listed));
    }
    status
}

/// The compressed suffix `name` ends with, if any.
fn has_suffix<'a>(o: &'a Options, name: &str) -> Option<&'a str> {
    if name.ends_with(o.suffix.as_str()) && name.len() > o.suffix.len() {
        return Some(o.suffix.as_str());
    }
    KNOWN_SUFFIXES.iter().copied().find(|s| name.ends_with(s) && name.len() > s.len())
}

/// gzip's ratio: what compression saved, in percent of `whole`, to one decimal.
pub(super) fn ratio(saved: i64, whole: u64) -> String {
    let r = if whole == 0 { 0.0 } else { 100.0 * saved as f64 / whole as f64 };
    format!("{r:5.1}%")
}

/// Creates `out` for writing, unless it exists (and `-f` was not given).
fn claim_output(p: &mut Proc, o: &Options, out: &str) -> Result<(), i32> {
    if p.world.exists(&p.ctx, out) {
        if !o.force {
            if p.gnu {
                p.err(&format!("{out} already exists;\tnot overwritten"));
                return Err(2);
            }
            p.err(&format!("can't open '{out}': File exists"));
            return Err(1);
        }
        let _ = p.world.remove(&p.ctx, out, false);
    }
    Ok(())
}

/// Writes the output file with the input's mode, owner and time, then removes the input.
fn replace(p: &mut Proc, o: &Options, input: &str, out: &str, bytes: &[u8]) -> Result<(), i32> {
    let st = p.world.stat(&p.ctx, input, true).map_err(|_| 1)?;
    if let Err(e) = p.world.write_file(&p.ctx, out, &Data::from_bytes(bytes), WriteMode::Truncate) {
        p.err(&format!("{out}: {e}"));
        return Err(1);
    }
    let root = p.ctx.cred.uid == 0;
    let _ = p.world.set_meta(&p.ctx, out, true, &mut |i| {
        i.mode = st.mode & 0o7777;
        i.mtime = st.mtime;
        if root {
            i.uid = st.uid;
            i.gid = st.gid;
        }
    });
    if !o.keep {
        if let Err(e) = p.world.remove(&p.ctx, input, false) {
            p.err(&format!("{input}: {e}"));
            return Err(1);
        }
    }
    Ok(())
}

fn compress_file(p: &mut Proc, o: &Options, f: &str, data: &[u8], mtime: i64) -> i32 {
    if p.gnu && !o.stdout {
        if let Some(suffix) = has_suffix(o, basename(f)) {
            if !o.quiet && !o.recursive {
                p.err(&format!("{f} already has {suffix} suffix -- unchanged"));
            }
            return 0;
        }
    }
    let header =
        Header { name: (p.gnu && !o.no_name).then(|| basename(f).to_string()), mtime: if o.no_name && p.gnu { 0 } else { mtime as u32 } };
    let gz = gzip::compress(data, o.level, &header, p.gnu);
    // GNU's ratio leaves out the header (10 bytes and the name) and the 8-byte trailer.
    let overhead = 18 + header.name.as_ref().map_or(0, |n| n.len() + 1) as i64;
    let verbose = |p: &mut Proc, replaced: Option<&str>| {
        if o.verbose && p.gnu {
            let r = ratio(data.len() as i64 - (gz.len() as i64 - overhead), data.len() as u64);
            let tail = replaced.map(|out| format!(" -- replaced with {out}")).unwrap_or_default();
            p.io.err_line(&format!("{f}:\t{r}{tail}"));
        }
    };
    if o.stdout {
        p.io.out.extend_from_slice(&gz);
        verbose(p, Some("stdout"));
        return 0;
    }
    let out = format!("{f}{}", o.suffix);
    if let Err(s) = claim_output(p, o, &out) {
        return s;
    }
    if let Err(s) = replace(p, o, f, &out, &gz) {
        return s;
    }
    verbose(p, Some(&out));
    0
}

/// Why data did not decompress, in each dialect's words.
fn report(p: &mut Proc, name: &str, e: &GzError) -> i32 {
    if p.gnu {
        match e {
            // GNU gzip starts these on a line of their own (`read_error` writes a newline first).
            GzError::NotGzip => {
                p.io.err_line("");
                p.err(&format!("{name}: not in gzip format"));
            }
            GzError::Truncated => {
                p.io.err_line("");
                p.err(&format!("{name}: unexpected end of file"));
            }
            GzError::Crc => p.err(&format!("{name}: invalid compressed data--crc error")),
            GzError::Length => p.err(&format!("{name}: invalid compressed data--length error")),
            GzError::Invalid => p.err(&format!("{name}: invalid compressed data--format violated")),
        }
    } else {
        match e {
            GzError::NotGzip => p.err("invalid magic"),
            GzError::Truncated => p.err("unexpected end of file"),
            GzError::Crc => p.err("crc error"),
            GzError::Length => p.err("incorrect length"),
            GzError::Invalid => p.err("corrupted data"),
        }
    }
    1
}

fn decompress_file(p: &mut Proc, o: &Options, f: &str, data: &[u8]) -> i32 {
    let base = basename(f);
    let Some(suffix) = has_suffix(o, base) else {
        if p.gnu {
            if !o.quiet {
                p.err(&format!("{f}: unknown suffix -- ignored"));
            }
            return 2;
        }
        p.err(&format!("{f}: unknown suffix - ignored"));
        return 1;
    };
    let decoded = match gzip::decompress(data) {
        Ok(d) => d,
        Err(e) => return report(p, f, &e),
    };
    let stem = f.strip_suffix(suffix).unwrap_or(f);
    let out = if suffix == ".tgz" || suffix == ".taz" { format!("{stem}.tar") } else { stem.to_string() };
    if let Err(s) = claim_output(p, o, &out) {
        return s;
    }
    if let Err(s) = replace(p, o, f, &out, &decoded.data) {
        return s;
    }
    if o.verbose && p.gnu {
        let r = ratio(decoded.data.len() as i64 - (data.len() as i64 - decoded.overhead as i64), decoded.data.len() as u64);
        p.io.err_line(&format!("{f}:\t{r} -- replaced with {out}"));
    }
    trailing(p, f, &decoded)
}

/// GNU gzip's warning for bytes after the last member that are not zeros.
fn trailing(p: &mut Proc, name: &str, decoded: &gzip::Decoded) -> i32 {
    if decoded.trailing > 0 && p.gnu {
        p.err(&format!("{name}: decompression OK, trailing garbage ignored"));
        return 2;
    }
    0
}

fn decompress_to_stdout_or_test(p: &mut Proc, o: &Options, name: &str, data: &[u8], listed: &mut Vec<Listed>) -> i32 {
    let decoded = match gzip::decompress(data) {
        Ok(d) => d,
        Err(e) => return report(p, name, &e),
    };
    match o.mode {
        Mode::Test => {
            if o.verbose && p.gnu {
                p.io.err_line(&format!("{name}:\t OK"));
            }
        }
        Mode::List => {
            if listed.is_empty() {
                p.out_line("         compressed        uncompressed  ratio uncompressed_name");
            }
            // A file of several members: the ratio counts their headers as compressed data.
            let overhead = if decoded.members == 1 { decoded.overhead as u64 } else { 0 };
            let base = basename(name);
            let shown = match has_suffix(o, base) {
                Some(s @ (".tgz" | ".taz")) => format!("{}.tar", name.strip_suffix(s).unwrap_or(name)),
                Some(s) => name.strip_suffix(s).unwrap_or(name).to_string(),
                None => name.to_string(),
            };
            let entry = Listed { compressed: data.len() as u64, uncompressed: u64::from(decoded.last_size), overhead };
            let line = list_line(entry.compressed, entry.uncompressed, entry.overhead, &shown);
            p.out_line(&line);
            listed.push(entry);
        }
        _ => {
            p.io.out.extend_from_slice(&decoded.data);
            if o.verbose && p.gnu {
                let r = ratio(decoded.data.len() as i64 - (data.len() as i64 - decoded.overhead as i64), decoded.data.len() as u64);
                p.io.err_line(&format!("{name}:\t{r} -- replaced with stdout"));
            }
        }
    }
    trailing(p, name, &decoded)
}

fn list_line(compressed: u64, uncompressed: u64, overhead: u64, name: &str) -> String {
    let saved = uncompressed as i64 - (compressed as i64 - overhead as i64);
    format!("{compressed:>19} {uncompressed:>19} {} {name}", ratio(saved, uncompressed))
}
