//! Changing files: `mkdir`, `rm`, `rmdir`, `touch`, `cp`, `mv` and `ln`.

use crate::fs::{Data, Errno, FileType};
use crate::vfs::WriteMode;

use super::perms::parse_mode;
use super::{has, split_opts, Proc};

pub(super) fn mkdir(p: &mut Proc, args: &[String]) -> i32 {
    let mut parents = false;
    let mut verbose = false;
    let mut mode: Option<u32> = None;
    let mut ops = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-p" || a == "--parents" {
            parents = true;
        } else if a == "-m" {
            let spec = args.get(i + 1).cloned().unwrap_or_default();
            mode = parse_mode(&spec, 0o777, true);
            if mode.is_none() {
                let q = p.vq(&spec);
                p.err(&format!("invalid mode {q}"));
                return 1;
            }
            i += 1;
        } else if a == "--verbose" {
            verbose = true;
        } else if a.strip_prefix('-').is_some_and(|c| !c.is_empty() && c.chars().all(|c| c == 'p' || c == 'v')) {
            parents = parents || a.contains('p');
            verbose = verbose || a.contains('v');
        } else {
            ops.push(a.clone());
        }
        i += 1;
    }
    if ops.is_empty() {
        return p.usage();
    }
    let mut status = 0;
    for op in ops {
        let res = if parents {
            let mut acc = if op.starts_with('/') { String::from("/") } else { String::new() };
            let mut r = Ok(());
            for c in crate::fs::components(&op) {
                if !acc.is_empty() && !acc.ends_with('/') {
                    acc.push('/');
                }
                acc.push_str(c);
                match p.world.stat(&p.ctx, &acc, true) {
                    Ok(st) if st.ftype == FileType::Dir => continue,
                    Ok(_) => {
                        r = Err(Errno::Exists);
                        break;
                    }
                    Err(Errno::NoEnt) => {
                        if let Err(e) = p.world.mkdir(&p.ctx, &acc, 0o777) {
                            r = Err(e);
                            break;
                        }
                        if verbose {
                            // busybox names a parent it made with the slash that follows it.
                            let last = acc.trim_end_matches('/') == op.trim_end_matches('/');
                            created(p, if last || p.gnu { acc.clone() } else { format!("{acc}/") });
                        }
                    }
                    Err(e) => {
                        r = Err(e);
                        break;
                    }
                }
            }
            r
        } else {
            let made = p.world.mkdir(&p.ctx, &op, 0o777);
            if made.is_ok() && verbose {
                created(p, op.clone());
            }
            made
        };
        match res {
            Ok(()) => {
                if let Some(m) = mode {
                    let _ = p.world.set_meta(&p.ctx, &op, true, &mut |i| i.mode = m);
                }
            }
            Err(e) => {
                // GNU mkdir quotes the name as a value (‘a/sub’), not as a file (oracle-77).
                let q = p.lq(&op);
                p.err_dialect(&format!("cannot create directory {q}: {e}"), &format!("can't create directory '{op}': {e}"));
                status = 1;
            }
        }
    }
    status
}

/// mkdir -v: a directory it made, in the dialect's words.
fn created(p: &mut Proc, dir: String) {
    let line = if p.gnu { format!("mkdir: created directory {}", p.q(&dir)) } else { format!("created directory: '{dir}'") };
    p.out_line(&line);
}

/// rm -v: what went, in the dialect's words (busybox puts a colon after "directory").
fn removed(p: &mut Proc, path: &str, dir: bool) {
    let line = match (p.gnu, dir) {
        (true, false) => format!("removed {}", p.q(path)),
        (true, true) => format!("removed directory {}", p.q(path)),
        (false, false) => format!("removed '{path}'"),
        (false, true) => format!("removed directory: '{path}'"),
    };
    p.out_line(&line);
}

/// Removes `path` and everything under it, saying what it could not remove: the entry itself,
/// not the directories above it that stay because of it (GNU rm's order: `cannot remove
/// 'tree/keep/a'`, then nothing for `tree`). Whether all of it went.
fn remove_tree(p: &mut Proc, path: &str, verbose: bool) -> bool {
    let refused = |p: &mut Proc, e: Errno| {
        let q = p.q(path);
        p.err_dialect(&format!("cannot remove {q}: {e}"), &format!("can't remove '{path}': {e}"));
        false
    };
    let loc = match p.world.resolve(&p.ctx, path, false) {
        Ok(l) => l,
        Err(e) => return refused(p, e),
    };
    let is_dir = p.world.is_dir_node(&loc.node) && p.world.stat_loc(&p.ctx.ns, &loc).ftype == FileType::Dir;
    if is_dir {
        let entries = match p.world.list(&p.ctx, &loc) {
            Ok(e) => e,
            Err(e) => return refused(p, e),
        };
        let mut all = true;
        for (n, _) in entries {
            let child = if path.ends_with('/') { format!("{path}{n}") } else { format!("{path}/{n}") };
            all &= remove_tree(p, &child, verbose);
        }
        if !all {
            return false;
        }
    }
    match p.world.remove(&p.ctx, path, is_dir) {
        Ok(()) => {
            if verbose {
                removed(p, path, is_dir);
            }
            true
        }
        Err(e) => refused(p, e),
    }
}

pub(super) fn rm(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let force = has(&opts, "-f", "--force");
    let recursive = has(&opts, "-r", "--recursive") || has(&opts, "-R", "");
    let verbose = has(&opts, "-v", "--verbose");
    if ops.is_empty() {
        if force {
            return 0;
        }
        return p.usage();
    }
    let mut status = 0;
    for op in ops {
        let st = p.world.stat(&p.ctx, &op, false);
        let res = match st {
            Err(Errno::NoEnt) if force => continue,
            Err(e) => Err(e),
            Ok(s) if s.ftype == FileType::Dir && !recursive => Err(Errno::IsDir),
            Ok(s) if s.ftype == FileType::Dir => {
                if !remove_tree(p, &op, verbose) {
                    status = 1;
                }
                continue;
            }
            Ok(_) => {
                let gone = p.world.remove(&p.ctx, &op, false);
                if gone.is_ok() && verbose {
                    removed(p, &op, false);
                }
                gone
            }
        };
        if let Err(e) = res {
            let q = p.q(&op);
            p.err_dialect(&format!("cannot remove {q}: {e}"), &format!("can't remove '{op}': {e}"));
            status = 1;
        }
    }
    status
}

/// `rmdir [-p] DIR…`: empty directories removed; `-p` then removes each parent named in the
/// operand, up to the first that fails (busybox goes on to `/`, which is busy: oracle-72).
pub(super) fn rmdir(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    if ops.is_empty() {
        return p.usage();
    }
    let parents = has(&opts, "-p", "--parents");
    let verbose = has(&opts, "-v", "--verbose");
    let mut status = 0;
    for op in ops {
        let mut dir = op.trim_end_matches('/').to_string();
        let mut parent = false;
        loop {
            if verbose {
                let q = if p.gnu { p.q(&dir) } else { format!("'{dir}'") };
                p.out_line(&format!("rmdir: removing directory, {q}"));
            }
            // The root itself cannot go: the vfs says it is busy, as the kernel does.
            if let Err(e) = p.world.remove(&p.ctx, &dir, true) {
                let q = p.q(&dir);
                let what = if parent { "directory " } else { "" };
                p.err_dialect(&format!("failed to remove {what}{q}: {e}"), &format!("'{dir}': {e}"));
                status = 1;
                break;
            }
            match dir.rsplit_once('/') {
                Some(("", _)) if parents && !p.gnu => dir = "/".into(),
                Some((up, _)) if parents && !up.is_empty() => dir = up.to_string(),
                _ => break,
            }
            parent = true;
        }
    }
    status
}

pub(super) fn touch(p: &mut Proc, args: &[String]) -> i32 {
    let mut no_create = false;
    let mut ops = Vec::new();
    let mut stamp: Option<i64> = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        // The options that name a time take it from the next argument or after `=`.
        let (flag, inline) = super::long_value(a);
        let kind = match flag {
            "-d" | "--date" => 'd',
            "-t" => 't',
            "-r" | "--reference" => 'r',
            "-c" | "--no-create" => {
                no_create = true;
                continue;
            }
            "-a" | "-m" | "-h" | "--no-dereference" => continue,
            _ => {
                ops.push(a.clone());
                continue;
            }
        };
        let Some(value) = inline.or_else(|| args.get(i).cloned().inspect(|_| i += 1)) else { return p.usage() };
        let parsed = match kind {
            'd' => super::dates::parse_date(&value, p.world.clock().secs()),
            't' => parse_stamp(&value),
            _ => match p.world.stat(&p.ctx, &value, true) {
                Ok(st) => Some(st.mtime),
                Err(e) => {
                    let q = p.q(&value);
                    p.err_dialect(&format!("failed to get attributes of {q}: {e}"), &format!("{value}: {e}"));
                    return 1;
                }
            },
        };
        match parsed {
            Some(t) => stamp = Some(t),
            None => {
                let lq = p.lq(&value);
                p.err_dialect(&format!("invalid date format {lq}"), &format!("invalid date '{value}'"));
                return 1;
            }
        }
    }
    if ops.is_empty() {
        return p.usage();
    }
    let mut status = 0;
    let explicit = stamp.is_some();
    let now = stamp.unwrap_or_else(|| p.world.clock().secs());
    for op in ops {
        let res = match p.world.resolve(&p.ctx, &op, true) {
            Ok(loc) => {
                // utimensat(NOW) needs ownership, CAP_FOWNER or write permission; a given time,
                // ownership or CAP_FOWNER (EPERM without).
                let st = p.world.stat_loc(&p.ctx.ns, &loc);
                let writable = !explicit
                    && crate::vfs::may(st.uid, st.gid, st.mode, st.ftype == FileType::Dir, &p.ctx.cred, crate::vfs::Access::Write);
                if p.ctx.cred.owns_or_fowner(st.uid) || writable {
                    p.world.set_meta_loc(&p.ctx, &loc, &mut |i| i.mtime = now)
                } else if explicit {
                    Err(Errno::Perm)
                } else {
                    Err(Errno::Access)
                }
            }
            Err(Errno::NoEnt) if no_create => Ok(()),
            Err(Errno::NoEnt) => p.world.write_file(&p.ctx, &op, &Data::empty(), WriteMode::Append).and_then(|_| {
                if explicit {
                    p.world.set_meta(&p.ctx, &op, true, &mut |i| i.mtime = now)
                } else {
                    Ok(())
                }
            }),
            Err(e) => Err(e),
        };
        if let Err(e) = res {
            let q = p.q(&op);
            p.err_dialect(&format!("cannot touch {q}: {e}"), &format!("{op}: {e}"));
            status = 1;
        }
    }
    status
}

/// How `cp` copies: into directories, keeping owners and times, keeping holes.
#[derive(Clone, Copy)]
struct CopyHow {
    recursive: bool,
    preserve: bool,
    sparse: bool,
    /// `-v`: each copy told as `'SRC' -> 'DST'` (GNU before a directory's content, busybox
    /// after it).
    verbose: bool,
}

/// `-v`'s line for one copy.
fn tell_copy(p: &mut Proc, src: &str, dst: &str) {
    let (src, dst) = if p.gnu { (p.q(src), p.q(dst)) } else { (format!("'{src}'"), format!("'{dst}'")) };
    p.out(&format!("{src} -> {dst}\n"));
}

fn copy_path(p: &mut Proc, src: &str, dst: &str, how: CopyHow) -> Result<(), Errno> {
    let CopyHow { recursive, preserve, sparse, verbose } = how;
    let st = p.world.stat(&p.ctx, src, true)?;
    match st.ftype {
        FileType::Dir => {
            if !recursive {
                return Err(Errno::IsDir);
            }
            match p.world.stat(&p.ctx, dst, true) {
                Ok(d) if d.ftype == FileType::Dir => {}
                Ok(_) => return Err(Errno::NotDir),
                Err(_) => p.world.mkdir(&p.ctx, dst, st.mode)?,
            }
            if verbose && p.gnu {
                tell_copy(p, src, dst);
            }
            let loc = p.world.resolve(&p.ctx, src, true)?;
            for (n, _) in p.world.list(&p.ctx, &loc)? {
                copy_path(p, &format!("{src}/{n}"), &format!("{dst}/{n}"), how)?;
            }
            if verbose && !p.gnu {
                tell_copy(p, src, dst);
            }
            if preserve {
                let (uid, gid, mode, mtime) = (st.uid, st.gid, st.mode, st.mtime);
                p.world.set_meta(&p.ctx, dst, true, &mut |i| {
                    i.uid = uid;
                    i.gid = gid;
                    i.mode = mode;
                    i.mtime = mtime;
                })?;
            }
            Ok(())
        }
        _ => {
            let data = p.world.read(&p.ctx, src)?;
            let existed = p.world.exists(&p.ctx, dst);
            p.world.write_file(&p.ctx, dst, &data, WriteMode::Truncate)?;
            // The bytes of a file mkfs.ext4 formatted are its file system.
            if let (Ok(from), Ok(to)) = (p.world.resolve(&p.ctx, src, true), p.world.resolve(&p.ctx, dst, true)) {
                p.world.copy_file_system(from.top(), to.top());
            }
            // GNU cp finds the source's holes and leaves them holes (`--sparse=auto`).
            let holes = p.world.file_holes(&p.ctx, src);
            if p.gnu && !holes.is_empty() && sparse {
                p.world.set_meta(&p.ctx, dst, true, &mut |i| i.holes = holes.clone())?;
            }
            if verbose {
                tell_copy(p, src, dst);
            }
            if !existed || preserve {
                let mode = st.mode;
                let (uid, gid, mtime) = (st.uid, st.gid, st.mtime);
                let me = p.ctx.cred.clone();
                p.world.set_meta(&p.ctx, dst, true, &mut |i| {
                    i.mode = mode & if preserve { 0o7777 } else { 0o777 };
                    if preserve {
                        if me.capable(crate::caps::Cap::CHOWN) {
                            i.uid = uid;
                            i.gid = gid;
                        }
                        i.mtime = mtime;
                    }
                })?;
            }
            Ok(())
        }
    }
}

pub(super) fn cp(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let recursive = has(&opts, "-r", "--recursive") || has(&opts, "-R", "") || has(&opts, "-a", "--archive");
    let preserve = has(&opts, "-p", "") || has(&opts, "-a", "--archive");
    let verbose = has(&opts, "-v", "--verbose");
    let how = CopyHow { recursive, preserve, sparse: !has(&opts, "--sparse=never", ""), verbose };
    if ops.len() < 2 {
        return p.usage();
    }
    let (pairs, mut status) = allowed_targets(
        p,
        &ops,
        |qs, qt| format!("cannot copy a directory, {qs}, into itself, {qt}"),
        |s| format!("can't copy a directory into itself: '{s}'"),
    );
    for (s, target) in pairs {
        let s = &s;
        if let Err(e) = copy_path(p, s, &target, how) {
            if e == Errno::NoSpace {
                // The file is made (a full tmpfs has inodes left); its data is what fails (full1).
                let q = p.q(&target);
                p.err_dialect(&format!("error writing {q}: {e}"), &format!("write error: {e}"));
            } else if p.gnu {
                if e == Errno::IsDir {
                    let q = p.q(s);
                    p.err(&format!("-r not specified; omitting directory {q}"));
                } else if p.world.exists(&p.ctx, s) {
                    let q = p.q(&target);
                    p.err(&format!("cannot create regular file {q}: {e}"));
                } else {
                    let q = p.q(s);
                    p.err(&format!("cannot stat {q}: {e}"));
                }
            } else if e == Errno::IsDir {
                p.err(&format!("omitting directory '{s}'"));
            } else if p.world.exists(&p.ctx, s) {
                p.err(&format!("can't create '{target}': {e}"));
            } else {
                p.err(&format!("can't stat '{s}': {e}"));
            }
            status = 1;
        }
    }
    status
}

/// The `(source, target)` pairs of cp and mv that do not put a directory into itself (those are
/// refused with the dialect's message), and the status so far (1 after a refusal).
fn allowed_targets(
    p: &mut Proc,
    ops: &[String],
    gnu: impl Fn(&str, &str) -> String + Copy,
    busybox: impl Fn(&str) -> String + Copy,
) -> (Vec<(String, String)>, i32) {
    let mut status = 0;
    let mut pairs = Vec::new();
    // Several sources need a directory to go into: GNU refuses before it starts (oracle-139);
    // busybox tries each in turn, under the name given.
    let dst = &ops[ops.len() - 1];
    if ops.len() > 2 && p.gnu && !p.world.stat(&p.ctx, dst, true).is_ok_and(|st| st.ftype == FileType::Dir) {
        let q = p.q(dst);
        match p.world.stat(&p.ctx, dst, true) {
            Ok(_) => p.err(&format!("target {q} is not a directory")),
            Err(e) => p.err(&format!("target {q}: {e}")),
        }
        return (pairs, 1);
    }
    for (s, target) in copy_targets(p, ops) {
        if refused_into_itself(p, &s, &target, gnu, busybox) {
            status = 1;
        } else {
            pairs.push((s, target));
        }
    }
    (pairs, status)
}

/// `SRC... DST` of cp and mv: each source with where it goes (into DST when it is a directory).
fn copy_targets(p: &Proc, ops: &[String]) -> Vec<(String, String)> {
    let (srcs, dst) = ops.split_at(ops.len() - 1);
    let dst = &dst[0];
    let dst_is_dir = p.world.stat(&p.ctx, dst, true).map(|s| s.ftype == FileType::Dir).unwrap_or(false);
    srcs.iter()
        .map(|s| {
            let target = if dst_is_dir || srcs.len() > 1 {
                format!("{}/{}", dst.trim_end_matches('/'), s.trim_end_matches('/').rsplit('/').next().unwrap_or(s))
            } else {
                dst.clone()
            };
            (s.clone(), target)
        })
        .collect()
}

/// Whether the directory `src` would end up inside itself at `target`.
/// Refuses to copy or move a directory into itself, in GNU's words (`gnu` gets the quoted
/// source and target) or busybox's (`busybox` the source). True when refused.
fn refused_into_itself(
    p: &mut Proc,
    src: &str,
    target: &str,
    gnu: impl Fn(&str, &str) -> String,
    busybox: impl Fn(&str) -> String,
) -> bool {
    if !dir_into_itself(p, src, target) {
        return false;
    }
    let message = if p.gnu { gnu(&p.q(src), &p.q(target)) } else { busybox(src) };
    p.err(&message);
    true
}

fn dir_into_itself(p: &Proc, src: &str, target: &str) -> bool {
    let s = crate::fs::normalize(&p.ctx.cwd, src);
    let t = crate::fs::normalize(&p.ctx.cwd, target);
    let inside = t == s || t.starts_with(&format!("{}/", s.trim_end_matches('/')));
    inside && p.world.stat(&p.ctx, src, false).map(|st| st.ftype == FileType::Dir).unwrap_or(false)
}

pub(super) fn mv(p: &mut Proc, args: &[String]) -> i32 {
    let (_, ops) = split_opts(args);
    if ops.len() < 2 {
        return p.usage();
    }
    let (pairs, mut status) = allowed_targets(
        p,
        &ops,
        |qs, qt| format!("cannot move {qs} to a subdirectory of itself, {qt}"),
        |s| format!("can't rename '{s}': Invalid argument"),
    );
    for (s, target) in pairs {
        let s = &s;
        let mut res = p.world.rename(&p.ctx, s, &target);
        if res == Err(Errno::CrossDevice) {
            // Like mv(1): copy, then remove the source.
            res = copy_path(p, s, &target, CopyHow { recursive: true, preserve: true, sparse: true, verbose: false });
            // What cannot be removed from the source is said by remove_tree.
            if res.is_ok() && !remove_tree(p, s, false) {
                status = 1;
                continue;
            }
        }
        if let Err(e) = res {
            if p.gnu {
                let (qs, qt) = (p.q(s), p.q(&target));
                if e == Errno::NoEnt && !p.world.exists(&p.ctx, s) {
                    p.err(&format!("cannot stat {qs}: {e}"));
                } else {
                    p.err(&format!("cannot move {qs} to {qt}: {e}"));
                }
            } else if e == Errno::NoEnt && !p.world.exists(&p.ctx, s) {
                p.err(&format!("can't stat '{s}': {e}"));
            } else {
                p.err(&format!("can't rename '{s}': {e}"));
            }
            status = 1;
        }
    }
    status
}

pub(super) fn ln(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let force = has(&opts, "-f", "--force");
    if ops.len() < 2 {
        return p.usage();
    }
    let (target, link) = (&ops[0], &ops[1]);
    let link = match p.world.stat(&p.ctx, link, true) {
        Ok(s) if s.ftype == FileType::Dir => format!("{}/{}", link.trim_end_matches('/'), target.rsplit('/').next().unwrap_or(target)),
        _ => link.clone(),
    };
    if force && p.world.exists(&p.ctx, &link) {
        let _ = p.world.remove(&p.ctx, &link, false);
    }
    if !has(&opts, "-s", "--symbolic") {
        return super::links::hard_ln(p, target, &link);
    }
    let res = p.world.symlink(&p.ctx, target, &link);
    if let Err(e) = res {
        let q = p.q(&link);
        p.err_dialect(&format!("failed to create symbolic link {q}: {e}"), &format!("{link}: {e}"));
        return 1;
    }
    0
}

/// `touch -t [[CC]YY]MMDDhhmm[.ss]`.
fn parse_stamp(text: &str) -> Option<i64> {
    let (main, sec) = match text.split_once('.') {
        Some((m, s)) => (m, s.parse::<u32>().ok()?),
        None => (text, 0),
    };
    if !main.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits: Vec<u32> = main.bytes().map(|b| u32::from(b - b'0')).collect();
    let num = |ds: &[u32]| ds.iter().fold(0, |acc, d| acc * 10 + d);
    let (year, rest) = match digits.len() {
        12 => (num(&digits[..4]), &digits[4..]),
        10 => {
            let yy = num(&digits[..2]);
            (if yy < 69 { 2000 + yy } else { 1900 + yy }, &digits[2..])
        }
        8 => (1970, &digits[..]),
        _ => return None,
    };
    let (m, d, h, min) = (num(&rest[..2]), num(&rest[2..4]), num(&rest[4..6]), num(&rest[6..8]));
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || min > 59 || sec > 60 {
        return None;
    }
    Some(crate::clock::epoch(i64::from(year), m, d, h, min, sec))
}

/// `mkdir -p` for the archivers: each missing directory of `path`, made with the umask's mode
/// (failures show when the files inside cannot be written).
pub(super) fn make_dirs(p: &mut Proc, path: &str) {
    let mut at = String::new();
    for part in path.split('/') {
        if part.is_empty() {
            if at.is_empty() {
                at.push('/');
            }
            continue;
        }
        if !at.is_empty() && !at.ends_with('/') {
            at.push('/');
        }
        at.push_str(part);
        if !p.world.exists(&p.ctx, &at) {
            let _ = p.world.mkdir(&p.ctx, &at, 0o777);
        }
    }
}
