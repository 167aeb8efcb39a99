//! `xz`, `unxz`, `xzcat`, `lzma`, `unlzma` and `lzcat` of XZ Utils 5.4.1 on the host
//! (oracle-161, oracle-162, oracle-163): a file is replaced by its compressed form (or back)
//! keeping its mode, group and time; `-c` writes to stdout, `-k` keeps the input, `-t` tests,
//! `-l` lists (`list.rs`). The bytes are liblzma's (`userland/xz`), so `ls -l`, `xz -l` and
//! `md5sum` show what a real machine shows. Busybox's applets are in `unxz.rs`.

mod files;
mod list;
mod lzmainfo;

pub(super) use lzmainfo::lzmainfo;

use super::Proc;
use crate::fs::{Data, Errno};
use crate::userland::xz::{self, Check, Decoded, Format, Settings, XzError};
use crate::vfs::WriteMode;
use files::{error, nice_size, open, warn, Mode, Options, Status};

pub(super) fn xz(p: &mut Proc, args: &[String]) -> i32 {
    let mut o = Options {
        mode: if ["unxz", "xzcat", "unlzma", "lzcat"].contains(&p.name.as_str()) { Mode::Decompress } else { Mode::Compress },
        format: ["lzma", "unlzma", "lzcat"].contains(&p.name.as_str()).then_some(Format::Lzma),
        stdout: p.name == "xzcat" || p.name == "lzcat",
        keep: false,
        force: false,
        settings: Settings::default(),
        suffix: None,
        verbosity: 0,
        no_warn: false,
    };
    // `XZ_OPT` comes before the command line.
    let mut all = xz_opt(p);
    all.extend(args.iter().cloned());
    let files = match parse(p, &mut o, &all) {
        Ok(Some(files)) => files,
        Ok(None) => return 0,
        Err(status) => return status,
    };
    if o.stdout || o.mode == Mode::Test {
        o.keep = true;
        o.stdout = true;
    }
    if o.mode == Mode::List && o.format == Some(Format::Lzma) {
        return fatal(p, "--list works only on .xz files (--format=xz or --format=auto)");
    }
    let from_stdin = files.is_empty() || files == ["-"];
    if o.mode == Mode::Compress && (o.stdout || from_stdin) && p.io.stdout_terminal {
        p.err("Compressed data cannot be written to a terminal");
        p.io.err_line("xz: Try `xz --help' for more information.");
        return 1;
    }
    let files = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut status = Status::Fine;
    let mut totals = list::Totals::default();
    let count = files.len();
    for (n, f) in files.iter().enumerate() {
        let s = if o.mode == Mode::List { list::list_file(p, &o, f, (n + 1, count), &mut totals) } else { treat(p, &o, f) };
        status = status.max(s);
    }
    if o.mode == Mode::List {
        list::print_totals(p, &o, &totals);
    }
    status.code(o.no_warn)
}

/// The words of `XZ_OPT` in the environment.
fn xz_opt(p: &Proc) -> Vec<String> {
    p.env.iter().find_map(|e| e.strip_prefix("XZ_OPT=")).map(|v| v.split_whitespace().map(str::to_string).collect()).unwrap_or_default()
}

/// What the xz that `tar -J` runs compresses with: its defaults and `XZ_OPT`
/// (`XZ_OPT=-9 tar cJf …`), read by the same rules as the command's own.
pub(crate) fn tar_settings(p: &mut Proc) -> Settings {
    let mut o = Options {
        mode: Mode::Compress,
        format: None,
        stdout: true,
        keep: true,
        force: false,
        settings: Settings::default(),
        suffix: None,
        verbosity: 0,
        no_warn: false,
    };
    // What xz would say of a bad XZ_OPT is not modelled: its words go nowhere, and tar's
    // archive keeps the defaults.
    let words = xz_opt(p);
    let mut nowhere = crate::userland::Io::default();
    let mut xz = Proc { world: &mut *p.world, ctx: p.ctx.clone(), io: &mut nowhere, gnu: true, name: "xz".into(), env: p.env.clone() };
    let parsed = parse(&mut xz, &mut o, &words);
    if parsed.is_ok() {
        o.settings
    } else {
        Settings::default()
    }
}

/// The operands, `None` when an option answered by itself (`--help`, `--version`), or the
/// status of a refused command line.
fn parse(p: &mut Proc, o: &mut Options, args: &[String]) -> Result<Option<Vec<String>>, i32> {
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
            if long.is_empty() {
                operands_only = true;
                continue;
            }
            let (name, value) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v.to_string())));
            let Some(option) = LONG.iter().find(|(l, _)| *l == name).or_else(|| unique_prefix(name)) else {
                return Err(try_help(p, &format!("unrecognized option '{a}'")));
            };
            let (full, short) = *option;
            let takes = TAKES_VALUE.contains(&short);
            let value = match (takes, value) {
                (true, Some(v)) => Some(v),
                (true, None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        Some(v.clone())
                    }
                    None => return Err(try_help(p, &format!("option '--{full}' requires an argument"))),
                },
                (false, Some(_)) => return Err(try_help(p, &format!("option '--{full}' doesn't allow an argument"))),
                (false, None) => None,
            };
            if apply(p, o, short, value.as_deref())? {
                return Ok(None);
            }
            continue;
        }
        for (at, c) in a.char_indices().skip(1) {
            if !"cCdefFhHlkMqQrStTvVz0123456789".contains(c) {
                return Err(try_help(p, &format!("invalid option -- '{c}'")));
            }
            let value = if "CFMST".contains(c) {
                let rest = a.get(at + c.len_utf8()..).unwrap_or("");
                let v = if rest.is_empty() {
                    match args.get(i) {
                        Some(v) => {
                            i += 1;
                            v.clone()
                        }
                        None => return Err(try_help(p, &format!("option requires an argument -- '{c}'"))),
                    }
                } else {
                    rest.to_string()
                };
                Some(v)
            } else {
                None
            };
            let takes = value.is_some();
            if apply(p, o, c, value.as_deref())? {
                return Ok(None);
            }
            if takes {
                break;
            }
        }
    }
    Ok(Some(files))
}

/// The machine's processors (`docker info`: CPUs 2): what `-T0` uses.
const CPUS: u32 = 2;

/// The long options xz 5.4.1 takes that the simulation follows, and their short letters.
const LONG: [(&str, char); 26] = [
    ("compress", 'z'),
    ("decompress", 'd'),
    ("uncompress", 'd'),
    ("test", 't'),
    ("list", 'l'),
    ("keep", 'k'),
    ("force", 'f'),
    ("stdout", 'c'),
    ("to-stdout", 'c'),
    ("suffix", 'S'),
    ("format", 'F'),
    ("check", 'C'),
    ("memlimit", 'M'),
    ("memory", 'M'),
    ("threads", 'T'),
    ("extreme", 'e'),
    ("fast", '0'),
    ("best", '9'),
    ("quiet", 'q'),
    ("verbose", 'v'),
    ("no-warn", 'Q'),
    ("help", 'h'),
    ("long-help", 'H'),
    ("version", 'V'),
    ("no-sparse", '_'),
    ("single-stream", '_'),
];

/// The letters that take a value.
const TAKES_VALUE: [char; 5] = ['C', 'F', 'M', 'S', 'T'];

/// getopt_long takes an unambiguous abbreviation of a long option.
fn unique_prefix(name: &str) -> Option<&'static (&'static str, char)> {
    let mut found = LONG.iter().filter(|(l, _)| l.starts_with(name));
    let first = found.next()?;
    found.all(|(_, c)| *c == first.1).then_some(first)
}

/// Applies one option; `true` when it answered the command by itself.
fn apply(p: &mut Proc, o: &mut Options, c: char, value: Option<&str>) -> Result<bool, i32> {
    let value = value.unwrap_or("");
    match c {
        'z' => o.mode = Mode::Compress,
        'd' => o.mode = Mode::Decompress,
        't' => o.mode = Mode::Test,
        'l' => o.mode = Mode::List,
        'k' => o.keep = true,
        'f' => o.force = true,
        'c' => o.stdout = true,
        'e' => o.settings.extreme = true,
        'q' => o.verbosity = (o.verbosity - 1).max(-2),
        'v' => o.verbosity = (o.verbosity + 1).min(3),
        'Q' => o.no_warn = true,
        '0'..='9' => {
            o.settings.level = c.to_digit(10).unwrap_or(6);
            o.settings.extreme = false;
        }
        'S' => {
            if value.contains('/') {
                return Err(fatal(p, &format!("{value}: Invalid filename suffix")));
            }
            o.suffix = Some(value.to_string());
        }
        'F' => {
            o.format = match value {
                "auto" => None,
                "xz" => Some(Format::Xz),
                "lzma" | "alone" => Some(Format::Lzma),
                _ => return Err(fatal(p, &format!("{value}: Unknown file format type"))),
            }
        }
        'C' => {
            o.settings.check = match value {
                "none" => Check::None,
                "crc32" => Check::Crc32,
                "crc64" => Check::Crc64,
                "sha256" => Check::Sha256,
                _ => return Err(fatal(p, &format!("{value}: Unsupported integrity check type"))),
            }
        }
        'T' => {
            let digits = value.strip_prefix('+').unwrap_or(value);
            match digits.parse::<u32>() {
                Ok(n) if n <= 16384 => o.settings.threads = if n == 0 { CPUS } else { n },
                Ok(_) => return Err(fatal(p, "Value of the option `threads' must be in the range [0, 16384]")),
                Err(_) => return Err(fatal(p, &format!("{value}: Value is not a non-negative decimal integer"))),
            }
        }
        // Memory limits leave the small files of a session as they are.
        'M' | '_' => {}
        'h' | 'H' => {
            let usage = crate::userland::usage::XZ.replace("Usage: xz", &format!("Usage: {}", p.name));
            p.out(&usage);
            return Ok(true);
        }
        'V' => {
            p.out("xz (XZ Utils) 5.4.1\nliblzma 5.4.1\n");
            return Ok(true);
        }
        _ => {}
    }
    Ok(false)
}

/// A refused command line: the complaint, then where help is (exit 1).
fn try_help(p: &mut Proc, msg: &str) -> i32 {
    p.err(msg);
    p.io.err_line(&format!("{}: Try `{} --help' for more information.", p.name, p.name));
    1
}

/// A refused setting: xz stops at once (exit 1).
fn fatal(p: &mut Proc, msg: &str) -> i32 {
    p.err(msg);
    1
}

/// The suffixes of a format, and what each becomes when it is taken off.
fn suffixes(format: Option<Format>) -> &'static [(&'static str, &'static str)] {
    match format {
        Some(Format::Xz) => &[(".xz", ""), (".txz", ".tar")],
        Some(Format::Lzma) => &[(".lzma", ""), (".tlz", ".tar")],
        None => &[(".xz", ""), (".txz", ".tar"), (".lzma", ""), (".tlz", ".tar")],
    }
}

/// One operand: a file, or `-` for stdin to stdout.
fn treat(p: &mut Proc, o: &Options, name: &str) -> Status {
    if name == "-" {
        let input = std::mem::take(&mut p.io.stdin);
        return code(p, o, "(stdin)", &input, None);
    }
    let (data, st) = match open(p, o, name) {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    code(p, o, name, &data, Some(&st))
}

/// Compresses, decompresses or tests what was read from `name`.
fn code(p: &mut Proc, o: &Options, name: &str, data: &[u8], st: Option<&crate::vfs::Stat>) -> Status {
    // xz opens the file it compresses into first: refused, it compresses nothing.
    let claimed = if st.is_some() && !o.stdout && o.mode == Mode::Compress {
        match claim(p, o, name) {
            Ok(dest) => Some(dest),
            Err(status) => return status,
        }
    } else {
        None
    };
    let (out, compressed, uncompressed, status) = match o.mode {
        Mode::Compress => {
            let format = o.format.unwrap_or(Format::Xz);
            let packed = xz::compress(data, format, &o.settings);
            let (c, u) = (packed.len() as u64, data.len() as u64);
            (packed, c, u, Status::Fine)
        }
        _ => {
            let decoded = decode(o, data);
            let Decoded { data: plain, result, unsupported_check } = decoded;
            let mut status = Status::Fine;
            if unsupported_check {
                warn(p, o, &format!("{name}: Unsupported type of integrity check; not verifying file integrity"));
                status = Status::Warned;
            }
            if let Err(e) = result {
                if o.stdout && o.mode == Mode::Decompress {
                    p.io.write_out(&plain);
                }
                error(p, o, &format!("{name}: {}", e.message()));
                return Status::Failed;
            }
            let (c, u) = (data.len() as u64, plain.len() as u64);
            (plain, c, u, status)
        }
    };
    if o.mode == Mode::Test {
        verbose_sizes(p, o, name, compressed, uncompressed);
        return status;
    }
    let (Some(st), false) = (st, o.stdout) else {
        p.io.write_out(&out);
        verbose_sizes(p, o, name, compressed, uncompressed);
        return status;
    };
    let dest = match claimed.map_or_else(|| claim(p, o, name), Ok) {
        Ok(dest) => dest,
        Err(status) => return status,
    };
    if let Err(e) = p.world.write_file(&p.ctx, &dest, &Data::from_bytes(&out), WriteMode::Truncate) {
        error(p, o, &format!("{dest}: {e}"));
        return Status::Failed;
    }
    let status = status.max(copy_attributes(p, o, &dest, st));
    verbose_sizes(p, o, name, compressed, uncompressed);
    if !o.keep {
        if let Err(e) = p.world.remove(&p.ctx, name, false) {
            warn(p, o, &format!("{name}: Cannot remove: {e}"));
            return status.max(Status::Warned);
        }
    }
    status
}

/// The file to write, free to be made (`-f` removes one in the way), or the status of the
/// refusal already said.
fn claim(p: &mut Proc, o: &Options, name: &str) -> Result<String, Status> {
    let Some(dest) = destination(p, o, name) else { return Err(Status::Warned) };
    if o.force {
        if let Err(e) = p.world.remove(&p.ctx, &dest, false).or_else(|e| if e == Errno::NoEnt { Ok(()) } else { Err(e) }) {
            error(p, o, &format!("{dest}: Cannot remove: {e}"));
            return Err(Status::Failed);
        }
    }
    if p.world.stat(&p.ctx, &dest, false).is_ok() {
        error(p, o, &format!("{dest}: {}", Errno::Exists));
        return Err(Status::Failed);
    }
    Ok(dest)
}

/// The decoder `--format` asks for; `-dcf` passes what is not compressed through.
fn decode(o: &Options, data: &[u8]) -> Decoded {
    let decoded = xz::decode(data, o.format);
    let passthrough = o.format.is_none() && o.mode == Mode::Decompress && o.stdout && o.force;
    if passthrough && decoded.result == Err(XzError::FormatNotRecognized) {
        return Decoded { data: data.to_vec(), result: Ok(()), unsupported_check: false };
    }
    decoded
}

/// `-v`: what went in and came out, and their ratio.
fn verbose_sizes(p: &mut Proc, o: &Options, name: &str, compressed: u64, uncompressed: u64) {
    if o.verbosity < 1 {
        return;
    }
    let ratio = if uncompressed == 0 { 16.0 } else { compressed as f64 / uncompressed as f64 };
    let ratio = if ratio > 9.999 { " > 9.999".to_string() } else { format!(" = {ratio:.3}") };
    let line = format!("{name}: {} / {}{ratio}", nice_size(compressed, false), nice_size(uncompressed, false));
    p.io.err_line(&line);
}

/// The name of the file to write, or the warning why there is none.
fn destination(p: &mut Proc, o: &Options, name: &str) -> Option<String> {
    let custom = o.suffix.as_deref().filter(|s| !s.is_empty());
    if o.mode == Mode::Compress {
        let format = Some(o.format.unwrap_or(Format::Xz));
        let own: Vec<&str> = suffixes(format).iter().map(|(s, _)| *s).chain(custom).collect();
        if let Some(has) = own.iter().find(|s| name.ends_with(*s) && name.len() > s.len()) {
            warn(p, o, &format!("{name}: File already has `{has}' suffix, skipping"));
            return None;
        }
        let suffix = custom.unwrap_or(if format == Some(Format::Lzma) { ".lzma" } else { ".xz" });
        return Some(format!("{name}{suffix}"));
    }
    let base = name.rsplit('/').next().unwrap_or(name);
    let custom_pair = custom.map(|s| (s, ""));
    let found = custom_pair.into_iter().chain(suffixes(o.format).iter().copied()).find(|(s, _)| base.ends_with(s) && base.len() > s.len());
    match found {
        Some((suffix, becomes)) => Some(format!("{}{becomes}", name.strip_suffix(suffix).unwrap_or(name))),
        None => {
            warn(p, o, &format!("{name}: Filename has an unknown suffix, skipping"));
            None
        }
    }
}

/// `io_copy_attrs`: the owner if allowed (silently), the group or a warning, then the mode —
/// narrowed so that the group is as strict as others when the group stayed — and the time.
fn copy_attributes(p: &mut Proc, o: &Options, dest: &str, st: &crate::vfs::Stat) -> Status {
    let cred = p.ctx.cred.clone();
    let may_chown = cred.capable(crate::caps::Cap::CHOWN);
    let created_gid = p.world.stat(&p.ctx, dest, false).map_or(cred.gid, |s| s.gid);
    let mut status = Status::Fine;
    let group_set = created_gid == st.gid || may_chown || cred.in_group(st.gid);
    let mode = if group_set {
        st.mode & 0o777
    } else {
        warn(p, o, &format!("{dest}: Cannot set the file group: {}", Errno::Perm));
        status = Status::Warned;
        let shared = ((st.mode & 0o070) >> 3) & (st.mode & 0o007);
        (st.mode & 0o700) | (shared << 3) | shared
    };
    let (uid, gid, mtime) = (st.uid, st.gid, st.mtime);
    let _ = p.world.set_meta(&p.ctx, dest, false, &mut |i| {
        if may_chown {
            i.uid = uid;
        }
        if group_set {
            i.gid = gid;
        }
        i.mode = (i.mode & !0o7777) | mode;
        i.mtime = mtime;
    });
    status
}
