//! tar: real ustar archives (512-byte headers), written and read by busybox and GNU tar.

use super::tar_codec::{self, Codec};
use super::Proc;
use crate::fs::{Data, Errno, FileType, Kind};
use crate::userland::users;
use crate::vfs::{Ctx, WriteMode};
use crate::world::{Cred, World};

#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub name: String,
    pub kind: FileType,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub uname: String,
    pub gname: String,
    pub mtime: i64,
    pub data: Data,
    pub link: String,
}

fn octal(field: &mut [u8], v: u64) {
    let w = field.len() - 1;
    let s = format!("{v:0w$o}");
    let b = s.as_bytes();
    let start = b.len().saturating_sub(w);
    field[..w].copy_from_slice(&b[start..]);
    field[w] = 0;
}

fn put(field: &mut [u8], s: &str) {
    let b = s.as_bytes();
    let n = b.len().min(field.len());
    field[..n].copy_from_slice(&b[..n]);
}

/// How an archive's headers say what they are.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// POSIX ustar (`ustar\0` and version `00`): Docker's archives.
    Ustar,
    /// The GNU format's magic (`ustar  \0`), which GNU tar and busybox tar both write
    /// (recorded).
    Gnu,
}

/// Encodes members as a ustar archive ending with two zero blocks.
pub fn encode(members: &[Member]) -> Vec<u8> {
    encode_as(members, Format::Ustar)
}

/// Encodes members with the given format's magic.
pub fn encode_as(members: &[Member], format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    for m in members {
        let mut h = [0u8; 512];
        let (prefix, name) = if m.name.len() > 100 {
            // ustar's prefix field holds 155 bytes: split at the last `/` within them (a byte
            // count, so never by slicing at 155, which may fall inside a character).
            let split = m.name.match_indices('/').map(|(i, _)| i).take_while(|&i| i <= 155).last();
            match split.and_then(|i| m.name.split_at_checked(i)) {
                Some((prefix, slash_name)) => (prefix, slash_name.strip_prefix('/').unwrap_or(slash_name)),
                None => ("", m.name.as_str()),
            }
        } else {
            ("", m.name.as_str())
        };
        put(&mut h[0..100], name);
        octal(&mut h[100..108], (m.mode & 0o7777) as u64);
        octal(&mut h[108..116], m.uid as u64);
        octal(&mut h[116..124], m.gid as u64);
        let size = if m.kind == FileType::File { m.data.len() } else { 0 };
        octal(&mut h[124..136], size);
        octal(&mut h[136..148], m.mtime.max(0) as u64);
        h[156] = match m.kind {
            FileType::Dir => b'5',
            FileType::Symlink => b'2',
            FileType::CharDev => b'3',
            FileType::BlockDev => b'4',
            FileType::Fifo => b'6',
            _ => b'0',
        };
        put(&mut h[157..257], &m.link);
        match format {
            Format::Ustar => {
                put(&mut h[257..263], "ustar");
                put(&mut h[263..265], "00");
            }
            Format::Gnu => put(&mut h[257..265], "ustar  "),
        }
        put(&mut h[265..297], &m.uname);
        put(&mut h[297..329], &m.gname);
        put(&mut h[345..500], prefix);
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|b| *b as u32).sum();
        let cs = format!("{sum:06o}\0 ");
        h[148..156].copy_from_slice(cs.as_bytes());
        out.extend_from_slice(&h);
        if size > 0 {
            let bytes = m.data.to_vec();
            out.extend_from_slice(&bytes);
            let pad = (512 - bytes.len() % 512) % 512;
            out.extend(std::iter::repeat_n(0u8, pad));
        }
    }
    out.extend(std::iter::repeat_n(0u8, 1024));
    out
}

fn field_str(b: &[u8]) -> String {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

fn field_num(b: &[u8]) -> u64 {
    u64::from_str_radix(field_str(b).trim(), 8).unwrap_or(0)
}

/// Decodes a ustar archive; `None` when it is not one.
pub fn decode(bytes: &[u8]) -> Option<Vec<Member>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos + 512 <= bytes.len() {
        let h = &bytes[pos..pos + 512];
        if h.iter().all(|b| *b == 0) {
            return Some(out);
        }
        if &h[257..262] != b"ustar" {
            return None;
        }
        let prefix = field_str(&h[345..500]);
        let mut name = field_str(&h[0..100]);
        if !prefix.is_empty() {
            name = format!("{prefix}/{name}");
        }
        let size = field_num(&h[124..136]);
        let kind = match h[156] {
            b'5' => FileType::Dir,
            b'2' => FileType::Symlink,
            b'3' => FileType::CharDev,
            b'4' => FileType::BlockDev,
            b'6' => FileType::Fifo,
            _ => FileType::File,
        };
        pos += 512;
        let end = pos + size as usize;
        if end > bytes.len() {
            return None;
        }
        let content = &bytes[pos..end];
        // Opaque files (binaries, database pages) went in as zeros; they come back opaque.
        let data = if content.len() >= 4096 && content.iter().all(|b| *b == 0) {
            Data::Opaque(content.len() as u64)
        } else {
            Data::from_bytes(content)
        };
        pos = end + (512 - size as usize % 512) % 512;
        out.push(Member {
            name,
            kind,
            mode: field_num(&h[100..108]) as u32,
            uid: field_num(&h[108..116]) as u32,
            gid: field_num(&h[116..124]) as u32,
            uname: field_str(&h[265..297]),
            gname: field_str(&h[297..329]),
            mtime: field_num(&h[136..148]) as i64,
            data,
            link: field_str(&h[157..257]),
        });
    }
    Some(out)
}

/// Collects `path` (as seen by `ctx`) into members named `name`, recursively.
pub fn collect(world: &World, ctx: &Ctx, path: &str, name: &str, out: &mut Vec<Member>, errors: &mut Vec<(String, Errno)>) {
    let st = match world.stat(ctx, path, false) {
        Ok(s) => s,
        Err(e) => {
            errors.push((path.to_string(), e));
            return;
        }
    };
    let uname = users::user_name(world, ctx, st.uid).unwrap_or_default();
    let gname = users::group_name(world, ctx, st.gid).unwrap_or_default();
    let mut m = Member {
        name: name.to_string(),
        kind: st.ftype,
        mode: st.mode,
        uid: st.uid,
        gid: st.gid,
        uname,
        gname,
        mtime: st.mtime,
        data: Data::empty(),
        link: st.symlink.clone().unwrap_or_default(),
    };
    match st.ftype {
        FileType::Dir => {
            m.name = format!("{}/", name.trim_end_matches('/'));
            out.push(m);
            let Ok(loc) = world.resolve(ctx, path, false) else { return };
            match world.list(ctx, &loc) {
                Ok(entries) => {
                    for (n, _) in entries {
                        let child = format!("{}/{n}", path.trim_end_matches('/'));
                        let cname = format!("{}/{n}", name.trim_end_matches('/'));
                        collect(world, ctx, &child, &cname, out, errors);
                    }
                }
                Err(e) => errors.push((path.to_string(), e)),
            }
        }
        FileType::File => match world.read(ctx, path) {
            Ok(d) if d.len() > crate::vfs::MAX_FILE_BYTES * 4 => errors.push((path.to_string(), Errno::TooBig)),
            Ok(d) => {
                m.data = d;
                out.push(m);
            }
            Err(e) => errors.push((path.to_string(), e)),
        },
        _ => out.push(m),
    }
}

pub fn run(p: &mut Proc, args: &[String]) -> i32 {
    let mut mode: Option<char> = None;
    let mut verbose = false;
    let mut file: Option<String> = None;
    let mut dir: Option<String> = None;
    let mut strip = 0usize;
    let mut ops = Vec::new();
    let mut i = 0;
    let mut first = true;
    // -z, -j, -J: the archive goes through gzip, bzip2 or xz; -a: as its name says.
    let mut codec: Option<Codec> = None;
    let mut auto_compress = false;
    // -O: extracted files go to stdout, not to the disk.
    let mut to_stdout = false;
    let mut excludes: Vec<String> = Vec::new();
    while i < args.len() {
        let a = args[i].clone();
        // Long options: the modes, the file and directory, exclusions, gzip, stdout.
        if let Some(long) = a.strip_prefix("--").filter(|l| !l.starts_with("strip")) {
            let (name, value) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v.to_string())));
            let mut take = || value.clone().or_else(|| args.get(i + 1).cloned().inspect(|_| i += 1));
            match name {
                "create" => mode = Some('c'),
                "extract" | "get" => mode = Some('x'),
                "list" => mode = Some('t'),
                "append" => mode = Some('r'),
                "verbose" => verbose = true,
                "gzip" | "gunzip" | "ungzip" => codec = Some(Codec::Gzip),
                "bzip2" => codec = Some(Codec::Bzip2),
                "xz" => codec = Some(Codec::Xz),
                "lzma" => codec = Some(Codec::Lzma),
                "zstd" | "lzip" | "lzop" => {
                    codec = Some(Codec::Missing(if name == "zstd" {
                        "zstd"
                    } else if name == "lzip" {
                        "lzip"
                    } else {
                        "lzop"
                    }))
                }
                "compress" | "uncompress" => codec = Some(Codec::Missing("compress")),
                "auto-compress" => auto_compress = true,
                "to-stdout" => to_stdout = true,
                "file" => file = take(),
                "directory" => dir = take(),
                "exclude" => excludes.extend(take()),
                _ => {}
            }
            first = false;
            i += 1;
            continue;
        }
        if let Some(v) = a.strip_prefix("--strip-components=").or_else(|| a.strip_prefix("--strip=")) {
            strip = v.parse().unwrap_or(0);
        } else if a == "--strip-components" || a == "--strip" {
            strip = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(0);
            i += 1;
        } else if a == "-C" || a == "--directory" {
            dir = args.get(i + 1).cloned();
            i += 1;
        } else if a.starts_with('-') || (first && !a.contains('/') && a.chars().all(|c| "cxtrvfzjJZapCO".contains(c))) {
            let flags: Vec<char> = a.trim_start_matches('-').chars().collect();
            let mut takes_file = false;
            for c in flags {
                match c {
                    'c' | 'x' | 't' | 'r' => mode = Some(c),
                    'v' => verbose = true,
                    'f' => takes_file = true,
                    'z' => codec = Some(Codec::Gzip),
                    'j' => codec = Some(Codec::Bzip2),
                    'J' => codec = Some(Codec::Xz),
                    'Z' => codec = Some(Codec::Missing("compress")),
                    'a' => auto_compress = true,
                    'O' => to_stdout = true,
                    _ => {}
                }
            }
            if takes_file {
                file = args.get(i + 1).cloned();
                i += 1;
            }
        } else {
            ops.push(a);
        }
        first = false;
        i += 1;
    }
    let Some(mode) = mode else {
        if p.gnu {
            p.io.err_line("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
            p.io.err_line("Try 'tar --help' or 'tar --usage' for more information.");
            return 2;
        }
        p.io.err_line("tar: need one of -c, -x, -t");
        return 1;
    };
    // `-a` names the compressor by the archive's suffix when creating (GNU tar only).
    if auto_compress && p.gnu && mode == 'c' && codec.is_none() {
        codec = file.as_deref().and_then(Codec::by_suffix);
    }
    // To compress, busybox tar runs `gzip` or `bzip2` from the PATH, which the busybox image
    // does not link (oracle-17, oracle-75); GNU tar's are on the host.
    if let Some(codec) = codec.filter(|_| mode == 'c' && !p.gnu) {
        let program = codec.program();
        if !["/bin", "/usr/bin", "/sbin", "/usr/sbin"].iter().any(|d| p.world.stat(&p.ctx, &format!("{d}/{program}"), true).is_ok()) {
            // The archive was opened (and emptied) before the compressor failed to start.
            if let Some(archive) = file.as_deref().filter(|f| *f != "-") {
                let _ = p.world.write_file(&p.ctx, archive, &crate::fs::Data::empty(), crate::vfs::WriteMode::Truncate);
            }
            p.io.err_line(&format!("tar: can't execute '{program}': No such file or directory"));
            return 1;
        }
    }
    let mut ctx = p.ctx.clone();
    if let Some(d) = &dir {
        ctx.cwd = crate::fs::normalize(&ctx.cwd, d);
    }
    match mode {
        'c' | 'r' => {
            if ops.is_empty() && p.gnu {
                p.io.err_line("tar: Cowardly refusing to create an empty archive");
                p.io.err_line("Try 'tar --help' or 'tar --usage' for more information.");
                return 2;
            }
            // `-r`: the archive's members first (GNU appends after them).
            let mut members = match (mode, file.as_deref()) {
                ('r', Some(f)) if f != "-" => p.world.read(&p.ctx, f).ok().and_then(|d| decode(&d.to_vec())).unwrap_or_default(),
                _ => Vec::new(),
            };
            let mut errors = Vec::new();
            let mut stripped = false;
            for op in &ops {
                let name = if let Some(rest) = op.strip_prefix('/') {
                    stripped = true;
                    rest.to_string()
                } else {
                    op.clone()
                };
                let before = members.len();
                collect(p.world, &ctx, op, &name, &mut members, &mut errors);
                // `--exclude=PATTERN`: a member whose name, or last part, matches is left out.
                if !excludes.is_empty() {
                    let mut added: Vec<Member> = members.split_off(before);
                    added.retain(|m| !excludes.iter().any(|x| excluded(x, &m.name)));
                    members.extend(added);
                }
            }
            let mut bytes = encode_as(&members, Format::Gnu);
            if p.gnu {
                // GNU tar writes whole records of 20 blocks.
                bytes.resize(bytes.len().div_ceil(10240) * 10240, 0);
            }
            if let Some(codec) = codec {
                bytes = match tar_codec::pack(p, codec, bytes) {
                    Ok(packed) => packed,
                    Err(status) => {
                        // The archive was opened (and emptied) before the compressor failed.
                        if let Some(archive) = file.as_deref().filter(|f| *f != "-") {
                            let _ = p.world.write_file(&p.ctx, archive, &Data::empty(), WriteMode::Truncate);
                        }
                        return status;
                    }
                };
            }
            if verbose {
                let names: String = members.iter().map(|m| format!("{}\n", m.name)).collect();
                if file.as_deref().is_none_or(|f| f == "-") {
                    p.io.write_err(names.as_bytes());
                } else {
                    p.io.write_out(names.as_bytes());
                }
            }
            // In the order tar says them: the names as it adds them, the leading-slash warning
            // at the first absolute name, what it could not add, then its verdict (oracle-139).
            if stripped {
                p.io.err_line(if p.gnu {
                    "tar: Removing leading `/' from member names"
                } else {
                    "tar: removing leading '/' from member names"
                });
            }
            for (path, e) in &errors {
                if p.gnu {
                    let verb = if p.world.stat(&p.ctx, path, false).is_err() { "Cannot stat" } else { "Cannot open" };
                    p.io.err_line(&format!("tar: {path}: {verb}: {e}"));
                } else {
                    p.io.err_line(&format!("tar: {path}: {e}"));
                }
            }
            if !errors.is_empty() {
                p.io.err_line(if p.gnu {
                    "tar: Exiting with failure status due to previous errors"
                } else {
                    "tar: error exit delayed from previous errors"
                });
            }
            match file.as_deref() {
                None | Some("-") => p.io.out.extend_from_slice(&bytes),
                Some(f) => {
                    if let Err(e) = p.world.write_file(&p.ctx, f, &Data::from_bytes(&bytes), WriteMode::Truncate) {
                        // Made but not filled: busybox tells the failed write (full1).
                        let what = if e == Errno::NoSpace { "write error".to_string() } else { format!("can't open '{f}'") };
                        p.io.err_line(&format!("tar: {what}: {e}"));
                        return if p.gnu { 2 } else { 1 };
                    }
                }
            }
            if errors.is_empty() {
                0
            } else if p.gnu {
                2
            } else {
                1
            }
        }
        't' | 'x' => {
            let _ = &excludes;
            let bytes = match file.as_deref() {
                None | Some("-") => std::mem::take(&mut p.io.stdin),
                Some(f) => match p.world.read(&p.ctx, f) {
                    Ok(d) => d.to_vec(),
                    Err(e) => {
                        if p.gnu {
                            p.io.err_line(&format!("tar: {f}: Cannot open: {e}"));
                            p.io.err_line("tar: Error is not recoverable: exiting now");
                            return 2;
                        }
                        p.io.err_line(&format!("tar: can't open '{f}': {e}"));
                        return 1;
                    }
                },
            };
            let from_stdin = file.as_deref().is_none_or(|f| f == "-");
            let bytes = match tar_codec::unpack(p, bytes, codec, from_stdin) {
                Ok(b) => b,
                Err(status) => return status,
            };
            // busybox reads a header's 512 bytes at once: fewer are a short read.
            if !p.gnu && !bytes.is_empty() && bytes.len() < 512 {
                p.io.err_line("tar: short read");
                return 1;
            }
            let Some(members) = decode(&bytes) else {
                if p.gnu {
                    p.io.err_line("tar: This does not look like a tar archive");
                    p.io.err_line("tar: Exiting with failure status due to previous errors");
                    return 2;
                }
                p.io.err_line("tar: invalid tar magic");
                return 1;
            };
            let mut status = 0;
            // Member operands: only those, and what is below them; each must be in the archive.
            let named = |m: &Member, op: &str| {
                let (name, op) = (m.name.trim_start_matches("./").trim_end_matches('/'), op.trim_start_matches("./").trim_end_matches('/'));
                name == op || name.strip_prefix(op).is_some_and(|rest| rest.starts_with('/'))
            };
            for op in ops.iter().filter(|op| !members.iter().any(|m| named(m, op))) {
                if p.gnu {
                    p.io.err_line(&format!("tar: {op}: Not found in archive"));
                } else {
                    p.io.err_line(&format!("tar: {op}: not found in archive"));
                }
                status = if p.gnu { 2 } else { 1 };
            }
            if status != 0 && p.gnu {
                p.io.err_line("tar: Exiting with failure status due to previous errors");
            }
            let members: Vec<Member> = members.into_iter().filter(|m| ops.is_empty() || ops.iter().any(|op| named(m, op))).collect();
            let mut ugswidth = 19;
            for m in members {
                if mode == 't' {
                    if verbose {
                        let t = crate::clock::tm(m.mtime);
                        let owner = format!(
                            "{}/{}",
                            if m.uname.is_empty() { m.uid.to_string() } else { m.uname.clone() },
                            if m.gname.is_empty() { m.gid.to_string() } else { m.gname.clone() }
                        );
                        let size = if m.kind == FileType::File { m.data.len() } else { 0 };
                        let st = crate::vfs::Stat {
                            ino: crate::fs::InodeId(0),
                            ftype: m.kind,
                            mode: m.mode,
                            uid: m.uid,
                            gid: m.gid,
                            size,
                            mtime: m.mtime,
                            ctime: m.mtime,
                            btime: m.mtime,
                            nlink: 1,
                            blocks: 0,
                            rdev: (0, 0),
                            fs: crate::vfs::FsType::Ext4,
                            symlink: None,
                            attrs: 0,
                        };
                        let sizestr = size.to_string();
                        // GNU tar widens the owner-and-size column as wider entries come and
                        // keeps it wide for the rest of the listing.
                        let used = owner.chars().count() + 1 + sizestr.len();
                        let link = if m.kind == FileType::Symlink { format!(" -> {}", m.link) } else { String::new() };
                        // busybox: the size in nine columns, the time to the second; GNU: the
                        // column as wide as the listing has needed so far, the time to the minute.
                        let (pad, seconds) = if p.gnu {
                            ugswidth = ugswidth.max(used);
                            (ugswidth - used + sizestr.len(), String::new())
                        } else {
                            (9, format!(":{:02}", t.sec))
                        };
                        p.out_line(&format!(
                            "{} {owner} {sizestr:>pad$} {:04}-{:02}-{:02} {:02}:{:02}{seconds} {}{link}",
                            super::mode_string(&st),
                            t.year,
                            t.month,
                            t.day,
                            t.hour,
                            t.min,
                            m.name
                        ));
                    } else {
                        p.out_line(&m.name);
                    }
                    continue;
                }
                if verbose {
                    p.out_line(&m.name);
                }
                if to_stdout {
                    if m.kind == FileType::File {
                        p.io.write_out(&m.data.to_vec());
                    }
                    continue;
                }
                let parts: Vec<&str> = m.name.split('/').filter(|s| !s.is_empty()).collect();
                if parts.len() <= strip {
                    continue;
                }
                let rel = parts[strip..].join("/");
                if let Err(e) = extract(p.world, &ctx, &rel, &m, p.gnu) {
                    p.io.err_line(&format!("tar: can't create '{rel}': {e}"));
                    status = if p.gnu { 2 } else { 1 };
                }
            }
            status
        }
        _ => 1,
    }
}

fn extract(world: &mut World, ctx: &Ctx, rel: &str, m: &Member, gnu: bool) -> Result<(), Errno> {
    // Directories the archive does not hold are made as needed, the extractor's own.
    let mut parent = String::new();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        parent = if parent.is_empty() { (*part).to_string() } else { format!("{parent}/{part}") };
        if !world.exists(ctx, &parent) {
            world.mkdir(ctx, &parent, 0o777)?;
        }
    }
    match m.kind {
        FileType::Dir => match world.stat(ctx, rel, true) {
            Ok(s) if s.ftype == FileType::Dir => {}
            Ok(_) => return Err(Errno::Exists),
            Err(_) => world.mkdir(ctx, rel, 0o777)?,
        },
        FileType::Symlink => {
            let _ = world.remove(ctx, rel, false);
            world.symlink(ctx, &m.link, rel)?;
            return Ok(());
        }
        FileType::Fifo => match world.stat(ctx, rel, false) {
            Ok(s) if s.ftype == FileType::Fifo => {}
            _ => world.mkfifo(ctx, rel, 0o666)?,
        },
        _ => {
            world.write_file(ctx, rel, &m.data, WriteMode::Truncate)?;
        }
    }
    // Owners are restored by name when the image knows the name (busybox: by name then id),
    // and only when extracting as root.
    let is_root = ctx.cred.uid == 0;
    let (uid, gid) = if is_root {
        let pw = users::passwd(world, &Ctx { cred: Cred::root(), ..ctx.clone() });
        let gr = users::groups(world, &Ctx { cred: Cred::root(), ..ctx.clone() });
        let uid = pw.iter().find(|e| e.name == m.uname).map(|e| e.uid).unwrap_or(m.uid);
        let gid = gr.iter().find(|e| e.name == m.gname).map(|e| e.gid).unwrap_or(m.gid);
        (Some(uid), Some(gid))
    } else {
        (None, None)
    };
    let mode = if is_root || gnu { m.mode } else { m.mode & !ctx.umask };
    let mtime = m.mtime;
    world.set_meta(ctx, rel, false, &mut |i| {
        if matches!(i.kind, Kind::Symlink(_)) {
            return;
        }
        i.mode = mode;
        i.mtime = mtime;
        if let Some(u) = uid {
            i.uid = u;
        }
        if let Some(g) = gid {
            i.gid = g;
        }
    })
}

/// Whether `--exclude=PATTERN` leaves `name` out: the pattern matches the whole name, or its
/// last part.
fn excluded(pattern: &str, name: &str) -> bool {
    let pat: Vec<(char, bool)> = pattern.chars().map(|c| (c, false)).collect();
    let name = name.trim_end_matches('/');
    let last = name.rsplit('/').next().unwrap_or(name);
    [name, last].iter().any(|n| crate::userland::glob::matches(&pat, &n.chars().collect::<Vec<_>>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_name_splits_at_a_slash_within_the_prefix_field_not_inside_a_character() {
        // A slash at byte 101, then `é` across bytes 154–155: slicing at 155 would split it.
        let name = format!("/{}/{}é/f", "p".repeat(100), "q".repeat(52));
        assert!(name.len() > 155 && !name.is_char_boundary(155));
        let member = Member {
            name: name.clone(),
            kind: FileType::File,
            mode: 0o644,
            uid: 0,
            gid: 0,
            uname: "root".into(),
            gname: "root".into(),
            mtime: 0,
            data: Data::Bytes(b"hi\n".to_vec().into()),
            link: String::new(),
        };
        let decoded = decode(&encode(&[member])).expect("a readable archive");
        assert_eq!(decoded.len(), 1);
        assert_eq!(decoded[0].name, name);
    }
}
