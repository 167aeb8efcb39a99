//! Names for files: `link` and `unlink` (the system calls as commands), `mkfifo`, and hard
//! links, which share one inode (its link count shows in `ls -l`; a write through one name is
//! seen through the other). oracle-55.

use crate::fs::Errno;

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
    let res = match p.world.stat(&p.ctx, target, false) {
        Ok(st) if st.ftype == crate::fs::FileType::Dir => Err(Errno::Perm),
        _ => p.world.hard_link(&p.ctx, target, link),
    };
    match res {
        Ok(()) => 0,
        Err(Errno::Perm) if p.gnu => {
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
