//! busybox `cpio` in containers: `-o -H newc` writes an archive of the names read on stdin
//! (SVR4 "newc": a 110-byte hex header, the name and the data each padded to four bytes, a
//! `TRAILER!!!` entry; no padding to blocks), `-t` lists one, `-i` extracts it (`-d` makes the
//! directories, `-u` replaces files, `-m` keeps times). Reading one, it says on stderr how many
//! 512-byte blocks it read, as busybox does (oracle-85).

use super::Proc;
use crate::fs::{Data, FileType};
use crate::vfs::WriteMode;

const MAGIC: &str = "070701";

/// One entry of an archive.
struct Entry {
    name: String,
    mode: u32,
    uid: u32,
    gid: u32,
    mtime: i64,
    data: Vec<u8>,
}

const S_IFDIR: u32 = 0o040000;
const S_IFREG: u32 = 0o100000;
const S_IFLNK: u32 = 0o120000;

fn pad4(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

fn header(out: &mut Vec<u8>, ino: u32, e: &Entry, nlink: u32) {
    let fields = [ino, e.mode, e.uid, e.gid, nlink, e.mtime.max(0) as u32, e.data.len() as u32, 0, 0, 0, 0, e.name.len() as u32 + 1, 0];
    out.extend_from_slice(MAGIC.as_bytes());
    for f in fields {
        out.extend_from_slice(format!("{f:08x}").as_bytes());
    }
    out.extend_from_slice(e.name.as_bytes());
    out.push(0);
    pad4(out);
    out.extend_from_slice(&e.data);
    pad4(out);
}

fn parse(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut pos = 0;
    loop {
        let h = bytes.get(pos..pos + 110)?;
        if h.get(..6)? != MAGIC.as_bytes() {
            return None;
        }
        let field = |k: usize| -> Option<u32> { u32::from_str_radix(std::str::from_utf8(h.get(6 + 8 * k..14 + 8 * k)?).ok()?, 16).ok() };
        let (mode, uid, gid, mtime, size, namesize) = (field(1)?, field(2)?, field(3)?, field(5)?, field(6)? as usize, field(11)? as usize);
        let name_bytes = bytes.get(pos + 110..pos + 110 + namesize.saturating_sub(1))?;
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        pos = (pos + 110 + namesize).div_ceil(4) * 4;
        let data = bytes.get(pos..pos + size)?.to_vec();
        pos = (pos + size).div_ceil(4) * 4;
        if name == "TRAILER!!!" {
            return Some(entries);
        }
        entries.push(Entry { name, mode, uid, gid, mtime: i64::from(mtime), data });
    }
}

pub(super) fn cpio(p: &mut Proc, args: &[String]) -> i32 {
    let (mut mode, mut newc, mut make_dirs, mut replace, mut keep_time) = (None::<char>, false, false, false, false);
    let mut archive: Option<String> = None;
    let mut cursor = super::Cursor::new(args);
    let mut patterns = Vec::new();
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-H" => newc = cursor.value() == "newc",
            "-F" => archive = Some(cursor.value()),
            s if s.starts_with('-') && s.len() > 1 => {
                for c in s.chars().skip(1) {
                    match c {
                        'o' | 'i' | 't' => mode = Some(c),
                        'd' => make_dirs = true,
                        'u' => replace = true,
                        'm' => keep_time = true,
                        'v' | 'L' | '0' => {}
                        other => {
                            p.err(&format!("invalid option -- '{other}'"));
                            return p.busybox_usage();
                        }
                    }
                }
            }
            _ => patterns.push(a.clone()),
        }
    }
    match mode {
        Some('o') if newc => create(p, archive),
        Some('i') | Some('t') => {
            let bytes = match &archive {
                Some(f) => match p.world.read(&p.ctx, f) {
                    Ok(d) => d.to_vec(),
                    Err(e) => {
                        p.err(&format!("can't open '{f}': {e}"));
                        return 1;
                    }
                },
                None => std::mem::take(&mut p.io.stdin),
            };
            // An empty input is an archive of nothing.
            if bytes.is_empty() {
                return 0;
            }
            let Some(entries) = parse(&bytes) else {
                p.err("short read");
                return 1;
            };
            let wanted = |name: &str| {
                let name: Vec<char> = name.chars().collect();
                patterns.is_empty()
                    || patterns
                        .iter()
                        .any(|pat| crate::userland::glob::matches(&pat.chars().map(|c| (c, false)).collect::<Vec<_>>(), &name))
            };
            for e in entries.iter().filter(|e| wanted(&e.name)) {
                if mode == Some('t') {
                    p.out_line(&e.name);
                } else if let Err((msg, fatal)) = extract(p, e, make_dirs, replace, keep_time) {
                    p.err(&msg);
                    // busybox stops at a failure, before it counts the blocks.
                    if fatal {
                        return 1;
                    }
                }
            }
            // An archive of no entry says nothing of its blocks.
            if !entries.is_empty() {
                p.io.err_line(&format!("{} blocks", bytes.len().div_ceil(512)));
            }
            0
        }
        _ => p.busybox_usage(),
    }
}

/// `-o`: the names on stdin, one a line, each as the file (or directory, or link) it is.
fn create(p: &mut Proc, archive: Option<String>) -> i32 {
    let names = String::from_utf8_lossy(&std::mem::take(&mut p.io.stdin)).into_owned();
    let mut out = Vec::new();
    for (k, name) in names.lines().filter(|n| !n.is_empty()).enumerate() {
        // busybox stops at a name it cannot read, having written nothing.
        let st = match p.world.stat(&p.ctx, name, false) {
            Ok(st) => st,
            Err(e) => {
                p.err(&format!("{name}: {e}"));
                return 1;
            }
        };
        let (kind, data) = match st.ftype {
            FileType::Dir => (S_IFDIR, Vec::new()),
            FileType::Symlink => (S_IFLNK, st.symlink.clone().unwrap_or_default().into_bytes()),
            _ => (S_IFREG, p.world.read(&p.ctx, name).map(|d| d.to_vec()).unwrap_or_default()),
        };
        // busybox keeps a name as given, less a leading `./`.
        let stored = name.strip_prefix("./").unwrap_or(name).to_string();
        let entry = Entry { name: stored, mode: kind | (st.mode & 0o7777), uid: st.uid, gid: st.gid, mtime: st.mtime, data };
        header(&mut out, k as u32 + 1, &entry, st.nlink);
    }
    header(&mut out, 0, &Entry { name: "TRAILER!!!".into(), mode: 0, uid: 0, gid: 0, mtime: 0, data: Vec::new() }, 1);
    match archive {
        Some(f) => {
            if let Err(e) = p.world.write_file(&p.ctx, &f, &Data::from_bytes(&out), WriteMode::Truncate) {
                p.err(&format!("can't open '{f}': {e}"));
                return 1;
            }
        }
        None => p.io.write_out(&out),
    }
    0
}

/// `-i`: one entry written where its name says; an existing file is kept unless `-u` (a
/// warning, not a failure: the complaint and whether it fails the run).
fn extract(p: &mut Proc, e: &Entry, make_dirs: bool, replace: bool, keep_time: bool) -> Result<(), (String, bool)> {
    if make_dirs {
        if let Some((parent, _)) = e.name.rsplit_once('/') {
            let mut at = String::new();
            for part in parent.split('/').filter(|c| !c.is_empty()) {
                at = if at.is_empty() { part.to_string() } else { format!("{at}/{part}") };
                let _ = p.world.mkdir(&p.ctx, &at, 0o755);
            }
        }
    }
    let exists = p.world.stat(&p.ctx, &e.name, false);
    let kind = e.mode & 0o170000;
    if kind == S_IFDIR {
        if exists.is_err() {
            p.world.mkdir(&p.ctx, &e.name, e.mode & 0o7777).map_err(|err| (format!("can't make dir {}: {err}", e.name), true))?;
        }
    } else {
        if exists.is_ok() {
            if !replace {
                return Err((format!("{} not created: newer or same age file exists", e.name), false));
            }
            let _ = p.world.remove(&p.ctx, &e.name, false);
        }
        if kind == S_IFLNK {
            let target = String::from_utf8_lossy(&e.data).into_owned();
            p.world.symlink(&p.ctx, &target, &e.name).map_err(|err| (format!("can't create symlink '{}': {err}", e.name), true))?;
            return Ok(());
        }
        p.world
            .write_file(&p.ctx, &e.name, &Data::from_bytes(&e.data), WriteMode::Truncate)
            .map_err(|err| (format!("can't open '{}': {err}", e.name), true))?;
    }
    let root = p.ctx.cred.uid == 0;
    let _ = p.world.set_meta(&p.ctx, &e.name, false, &mut |i| {
        i.mode = e.mode & 0o7777;
        if root {
            i.uid = e.uid;
            i.gid = e.gid;
        }
        if keep_time {
            i.mtime = e.mtime;
        }
    });
    Ok(())
}
