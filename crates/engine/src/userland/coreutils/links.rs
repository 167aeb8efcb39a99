//! Names for files: `link` and `unlink` (the system calls as commands), `mkfifo` and `mknod`
//! (special files), and hard links, which share one inode (its link count shows in `ls -l`; a
//! write through one name is seen through the other). oracle-55, oracle-69.

use crate::fs::{Errno, Kind};

use super::Proc;

/// `link FILE1 FILE2`: FILE2 becomes another name for FILE1.
pub(super) fn link(p: &mut Proc, args: &[String]) -> i32 {
    let [target, name] = args else { return p.usage() };
    match p.world.hard_link(&p.ctx, target, name) {
        Ok(()) => 0,
        Err(e) => {
            let (qn, qt) = (p.q(name), p.q(target));
            p.err_dialect(&format!("cannot create link {qn} to {qt}: {e}"), &format!("can't create hardlink '{name}' to '{target}': {e}"));
            1
        }
    }
}

/// `unlink FILE`: removes one name (never a directory).
pub(super) fn unlink(p: &mut Proc, args: &[String]) -> i32 {
    let [name] = args else { return p.usage() };
    match p.world.remove(&p.ctx, name, false) {
        Ok(()) => 0,
        Err(e) => {
            let q = p.q(name);
            p.err_dialect(&format!("cannot unlink {q}: {e}"), &format!("can't remove file '{name}': {e}"));
            1
        }
    }
}

/// `mkfifo [-m MODE] NAME…`: named pipes.
pub(super) fn mkfifo(p: &mut Proc, args: &[String]) -> i32 {
    let mut mode = 0o666;
    let mut names = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if a == "-m" || a == "--mode" {
            match args.get(i).and_then(|m| u32::from_str_radix(m, 8).ok()) {
                Some(m) => mode = m,
                None => return p.usage(),
            }
            i += 1;
        } else {
            names.push(a.clone());
        }
    }
    if names.is_empty() {
        return p.usage();
    }
    let mut status = 0;
    for name in names {
        let mut ctx = p.ctx.clone();
        if mode != 0o666 {
            // An explicit mode is not masked by the umask.
            ctx.umask = 0;
        }
        if let Err(e) = p.world.mkfifo(&ctx, &name, mode) {
            let q = p.q(&name);
            p.err_dialect(&format!("cannot create fifo {q}: {e}"), &format!("{name}: {e}"));
            status = 1;
        }
    }
    status
}

/// `ln TARGET LINK` without `-s`: a hard link.
pub(super) fn hard_ln(p: &mut Proc, target: &str, link: &str) -> i32 {
    let is_dir = p.world.stat(&p.ctx, target, false).is_ok_and(|st| st.ftype == crate::fs::FileType::Dir);
    let res = if is_dir { Err(Errno::Perm) } else { p.world.hard_link(&p.ctx, target, link) };
    match res {
        Ok(()) => 0,
        Err(Errno::Perm) if p.gnu && is_dir => {
            p.err(&format!("{target}: hard link not allowed for directory"));
            1
        }
        Err(e) => {
            let (ql, qt) = (p.q(link), p.q(target));
            // GNU names the source too, except for the failures that are the link's own.
            let gnu = match e {
                Errno::Exists | Errno::NoSpace | Errno::ReadOnly => format!("failed to create hard link {ql}: {e}"),
                _ => format!("failed to create hard link {ql} => {qt}: {e}"),
            };
            p.err_dialect(&gnu, &format!("{link}: {e}"));
            1
        }
    }
}

/// `mknod [-m MODE] NAME TYPE [MAJOR MINOR]`: a named pipe (`p`) or a device node (`b`, `c`,
/// `u`); devices need root (CAP_MKNOD), which a container's root keeps (oracle-69).
pub(super) fn mknod(p: &mut Proc, args: &[String]) -> i32 {
    let mut mode: Option<u32> = None;
    let mut operands = Vec::new();
    let mut cursor = super::Cursor::new(args);
    while let Some(a) = cursor.next() {
        let value = match a.as_str() {
            "-m" | "--mode" => cursor.next().cloned(),
            s if s.starts_with("--mode=") => s.strip_prefix("--mode=").map(str::to_string),
            s if s.starts_with("-m") && s.len() > 2 => s.get(2..).map(str::to_string),
            _ => {
                operands.push(a.clone());
                continue;
            }
        };
        match value.as_deref().and_then(|m| super::perms::parse_mode(m, 0o666, false)) {
            Some(m) => mode = Some(m),
            None if p.gnu => return p.err_try("invalid mode"),
            None => return p.busybox_usage(),
        }
    }
    let Some(kind) = special_kind(p, &operands) else { return 1 };
    let Some(name) = operands.first().cloned() else { return 1 };
    let mut ctx = p.ctx.clone();
    if mode.is_some() {
        // An explicit mode is not masked by the umask.
        ctx.umask = 0;
    }
    match p.world.mknod(&ctx, &name, kind, mode.unwrap_or(0o666)) {
        Ok(()) => 0,
        Err(e) => {
            p.err(&format!("{name}: {e}"));
            1
        }
    }
}

/// The node `mknod`'s operands ask for, or its complaint (usage, in busybox) and `None`.
fn special_kind(p: &mut Proc, operands: &[String]) -> Option<Kind> {
    let kind = operands.get(1).map(String::as_str);
    let numbers = operands.get(2..).unwrap_or_default();
    let fits = matches!((kind, numbers.len()), (Some("p"), 0) | (Some("b" | "c" | "u"), 2));
    if !fits {
        if !p.gnu {
            p.busybox_usage();
            return None;
        }
        match (kind, operands.len()) {
            (None, 0) => {
                p.usage();
            }
            (None, _) => {
                let q = p.lq(&operands[0]);
                p.err_try(&format!("missing operand after {q}"));
            }
            (Some("p"), _) => {
                let q = p.lq(&operands[2]);
                p.err(&format!("extra operand {q}"));
                p.io.err_line("Fifos do not have major and minor device numbers.");
                p.io.err_line("Try 'mknod --help' for more information.");
            }
            (Some(k), n) if n < 4 => {
                let last = p.lq(operands.last().map_or(k, String::as_str));
                p.err(&format!("missing operand after {last}"));
                if n == 2 {
                    p.io.err_line("Special files require major and minor device numbers.");
                }
                p.io.err_line("Try 'mknod --help' for more information.");
            }
            (Some(k), 4) => {
                let q = p.lq(k);
                p.err(&format!("invalid device type {q}"));
                p.io.err_line("Try 'mknod --help' for more information.");
            }
            _ => {
                let q = p.lq(&operands[4]);
                p.err_try(&format!("extra operand {q}"));
            }
        }
        return None;
    }
    let number = |s: &String| s.parse::<u32>().ok();
    match (kind, numbers) {
        (Some("p"), _) => Some(Kind::Fifo),
        (Some(k), [major, minor]) => match (number(major), number(minor)) {
            (Some(major), Some(minor)) if k == "b" => Some(Kind::BlockDev { major, minor }),
            (Some(major), Some(minor)) => Some(Kind::CharDev { major, minor }),
            (None, _) => {
                let q = p.vq(major);
                p.err(&format!("invalid major device number {q}"));
                None
            }
            (_, None) => {
                let q = p.vq(minor);
                p.err(&format!("invalid minor device number {q}"));
                None
            }
        },
        _ => None,
    }
}

/// `pathchk [-p] [-P] NAME…`: whether each name could be made: no component longer than 255
/// bytes, the whole within 4095; `-p` asks for POSIX's portable ones (14 bytes a component,
/// 255 in all, letters, digits, `.`, `_`, `-`); `-P` refuses empty names and leading `-`.
pub(super) fn pathchk(p: &mut Proc, args: &[String]) -> i32 {
    let (mut portable, mut extra, mut ended) = (false, false, false);
    let mut names = Vec::new();
    for a in args {
        match a.as_str() {
            _ if ended => names.push(a.clone()),
            "-p" => portable = true,
            "-P" => extra = true,
            "--portability" => (portable, extra) = (true, true),
            "--" => ended = true,
            s if s.starts_with('-') && s.len() > 1 => {
                let bad = s.chars().nth(1).unwrap_or('-');
                return p.err_try(&format!("invalid option -- '{bad}'"));
            }
            _ => names.push(a.clone()),
        }
    }
    if names.is_empty() {
        return p.usage();
    }
    let (component_max, path_max) = if portable { (14, 255) } else { (255, 4095) };
    let mut status = 0;
    for name in names {
        let q = p.q(&name);
        let problem = if let Some(bad) = name.chars().find(|c| portable && !(c.is_ascii_alphanumeric() || "._-/".contains(*c))) {
            Some(format!("nonportable character {} in file name {q}", p.lq(&bad.to_string())))
        } else if extra && name.is_empty() {
            Some("empty file name".to_string())
        } else if extra && name.split('/').any(|c| c.starts_with('-')) {
            Some(format!("leading '-' in a component of file name {q}"))
        } else if name.len() > path_max {
            Some(format!("limit {path_max} exceeded by length {} of file name {q}", name.len()))
        } else {
            name.split('/')
                .find(|c| c.len() > component_max)
                .map(|c| format!("limit {component_max} exceeded by length {} of file name component {}", c.len(), p.lq(c)))
        };
        if let Some(problem) = problem {
            p.err(&problem);
            status = 1;
        }
    }
    status
}
