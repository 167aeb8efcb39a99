//! `chattr` and `lsattr` of e2fsprogs 1.47 on the host (oracle-170): the ext4 inode flags.
//! `+i` (immutable: no write, rename, link, removal or attribute change, root's included) and
//! `+a` (append only) are enforced by the file system (`vfs`), and need CAP_LINUX_IMMUTABLE to
//! set; ext4 shows its files' extents (`e`) and a big directory's index (`I`).

use super::Proc;
use crate::fs::{FileType, Inode};
use crate::vfs::{FsType, Stat};

/// The flags in `lsattr`'s order: letter, `FS_IOC_GETFLAGS` bit, `-l` name.
const FLAGS: [(char, u32, &str); 22] = [
    ('s', 0x1, "Secure_Deletion"),
    ('u', 0x2, "Undelete"),
    ('S', 0x8, "Synchronous_Updates"),
    ('D', 0x1_0000, "Synchronous_Directory_Updates"),
    ('i', Inode::IMMUTABLE, "Immutable"),
    ('a', Inode::APPEND, "Append_Only"),
    ('d', 0x40, "No_Dump"),
    ('A', 0x80, "No_Atime"),
    ('c', 0x4, "Compression_Requested"),
    ('E', 0x800, "Encrypted"),
    ('j', 0x4000, "Journaled_Data"),
    ('I', INDEX, "Indexed_directory"),
    ('t', 0x8000, "No_Tailmerging"),
    ('T', 0x2_0000, "Top_of_Directory_Hierarchies"),
    ('e', EXTENTS, "Extents"),
    ('C', 0x80_0000, "No_COW"),
    ('x', 0x200_0000, "DAX"),
    ('F', 0x4000_0000, "Casefold"),
    ('N', 0x1000_0000, "Inline_Data"),
    ('P', 0x2000_0000, "Project_Hierarchy"),
    ('V', 0x10_0000, "Verity"),
    ('m', 0x400, "Dont_Compress"),
];
const EXTENTS: u32 = 0x8_0000;
const INDEX: u32 = 0x1000;

/// What the kernel reports of a file's flags: those set, and what ext4 adds of its own; or
/// why they cannot be read.
fn flags_of(p: &mut Proc, path: &str, st: &Stat) -> Result<u32, &'static str> {
    if st.ftype == FileType::Symlink || matches!(st.fs, FsType::Proc | FsType::Sysfs | FsType::Overlay) {
        return Err("Operation not supported");
    }
    if !matches!(st.ftype, FileType::File | FileType::Dir) {
        return Err("Operation not supported");
    }
    // lsattr opens the file to ask.
    let readable =
        p.ctx.cred.uid == 0 || crate::vfs::may(st.uid, st.gid, st.mode, st.ftype == FileType::Dir, &p.ctx.cred, crate::vfs::Access::Read);
    if !readable {
        return Err("Permission denied");
    }
    let mut flags = st.attrs;
    if st.fs == FsType::Ext4 {
        flags |= EXTENTS;
        if st.ftype == FileType::Dir && directory_blocks(p, path) > 1 {
            flags |= INDEX;
        }
    }
    Ok(flags)
}

/// How many 4 KiB blocks ext4's entries of a directory take (an entry is 8 bytes and its name,
/// to four; `.` and `..` take 24): past one, ext4 indexes it.
fn directory_blocks(p: &Proc, path: &str) -> u64 {
    let Ok(loc) = p.world.resolve(&p.ctx, path, true) else { return 1 };
    let names = p.world.list(&p.ctx, &loc).unwrap_or_default();
    let bytes: u64 = 24 + names.iter().map(|(n, _)| 8 + (n.len() as u64).div_ceil(4) * 4).sum::<u64>();
    bytes.div_ceil(4096)
}

fn flag_string(flags: u32) -> String {
    FLAGS.iter().map(|(c, bit, _)| if flags & bit != 0 { *c } else { '-' }).collect()
}

fn long_names(flags: u32) -> String {
    let names: Vec<&str> = FLAGS.iter().filter(|(_, bit, _)| flags & bit != 0).map(|(_, _, n)| *n).collect();
    if names.is_empty() {
        "---".into()
    } else {
        names.join(", ")
    }
}

/// `lsattr [-adlv] [FILE…]`: each file's flags; a directory's entries unless `-d`.
pub(super) fn lsattr(p: &mut Proc, args: &[String]) -> i32 {
    let (mut all, mut dirs, mut long, mut version) = (false, false, false, false);
    let mut operands = Vec::new();
    for a in args {
        match a.strip_prefix('-').filter(|f| !f.is_empty()) {
            Some(flags) => {
                for c in flags.chars() {
                    match c {
                        'a' => all = true,
                        'd' => dirs = true,
                        'l' => long = true,
                        'v' => version = true,
                        'R' | 'V' | 'p' => {}
                        c => {
                            p.err(&format!("invalid option -- '{c}'"));
                            p.io.err_line("Usage: lsattr [-RVadlpv] [files...]");
                            return 1;
                        }
                    }
                }
            }
            None => operands.push(a.clone()),
        }
    }
    let listing_cwd = operands.is_empty();
    if listing_cwd {
        operands.push(".".into());
    }
    let mut status = 0;
    for op in operands {
        let st = match p.world.stat(&p.ctx, &op, false) {
            Ok(st) => st,
            Err(e) => {
                p.err(&format!("{e} while trying to stat {op}"));
                status = 1;
                continue;
            }
        };
        if st.ftype == FileType::Dir && !dirs {
            let Ok(loc) = p.world.resolve(&p.ctx, &op, true) else { continue };
            let mut names: Vec<String> = p.world.list(&p.ctx, &loc).unwrap_or_default().into_iter().map(|(n, _)| n).collect();
            if all {
                names.splice(0..0, [".".to_string(), "..".to_string()]);
            }
            for name in names.into_iter().filter(|n| all || !n.starts_with('.')) {
                let path = format!("{}/{name}", op.trim_end_matches('/'));
                let Ok(child) = p.world.stat(&p.ctx, &path, false) else { continue };
                status = status.max(show(p, &path, &child, long, version));
            }
        } else {
            status = status.max(show(p, &op, &st, long, version));
        }
    }
    status
}

fn show(p: &mut Proc, path: &str, st: &Stat, long: bool, version: bool) -> i32 {
    match flags_of(p, path, st) {
        Ok(flags) => {
            // The inode's generation, which ext4 draws at random: the simulation's is its number.
            let generation = if version { format!("{:>5} ", st.ino.0) } else { String::new() };
            if long {
                p.out_line(&format!("{generation}{path:<28} {}", long_names(flags)));
            } else {
                p.out_line(&format!("{generation}{} {path}", flag_string(flags)));
            }
            0
        }
        Err(why) => {
            p.err(&format!("{why} While reading flags on {path}"));
            1
        }
    }
}

/// `chattr [-Rf] [-+=FLAGS] FILE…`.
pub(super) fn chattr(p: &mut Proc, args: &[String]) -> i32 {
    let mut changes: Vec<(char, u32)> = Vec::new();
    let (mut quiet, mut recursive) = (false, false);
    let mut files = Vec::new();
    for a in args {
        let (sign, letters) = match a.split_at_checked(1) {
            Some((sign @ ("+" | "=" | "-"), letters)) if !letters.is_empty() => (sign, letters),
            _ => {
                files.push(a.clone());
                continue;
            }
        };
        // `-R`, `-V`, `-f` are options; any other `-…` takes flags away.
        if sign == "-" && letters.chars().all(|c| "RVf".contains(c)) {
            recursive |= letters.contains('R');
            quiet |= letters.contains('f');
            continue;
        }
        let mut bits = 0;
        for c in letters.chars() {
            match FLAGS.iter().find(|f| f.0 == c) {
                Some(f) => bits |= f.1,
                None => return usage(p),
            }
        }
        changes.push((sign.chars().next().unwrap_or('+'), bits));
    }
    if changes.is_empty() || files.is_empty() {
        return usage(p);
    }
    let mut status = 0;
    for f in files {
        status = status.max(change(p, &f, &changes, quiet, recursive));
    }
    status
}

/// One file's flags changed (and, with `-R`, everything below a directory's).
fn change(p: &mut Proc, f: &str, changes: &[(char, u32)], quiet: bool, recursive: bool) -> i32 {
    let st = match p.world.stat(&p.ctx, f, false) {
        Ok(st) => st,
        Err(e) => {
            if !quiet {
                p.err(&format!("{e} while trying to stat {f}"));
            }
            return 1;
        }
    };
    let old = match flags_of(p, f, &st) {
        Ok(flags) => flags,
        Err(why) => {
            if !quiet {
                p.err(&format!("{why} while reading flags on {f}"));
            }
            return 1;
        }
    };
    let mut new = old;
    for (sign, bits) in changes {
        new = match sign {
            '+' => new | bits,
            '-' => new & !bits,
            _ => *bits | (old & (EXTENTS | INDEX)),
        };
    }
    // Only the owner (or CAP_FOWNER) sets flags; `i` and `a` need CAP_LINUX_IMMUTABLE.
    let cred = &p.ctx.cred;
    let fixed = Inode::IMMUTABLE | Inode::APPEND;
    let allowed = (cred.uid == st.uid || cred.capable(crate::caps::Cap::FOWNER))
        && ((new ^ old) & fixed == 0 || cred.capable(crate::caps::Cap::LINUX_IMMUTABLE));
    let result = if allowed { p.world.set_attrs(&p.ctx, f, new & !(EXTENTS | INDEX)) } else { Err(crate::fs::Errno::Perm) };
    let mut status = 0;
    if let Err(e) = result {
        if !quiet {
            p.err(&format!("{e} while setting flags on {f}"));
        }
        status = 1;
    }
    if recursive && st.ftype == FileType::Dir {
        let Ok(loc) = p.world.resolve(&p.ctx, f, false) else { return status };
        for (name, _) in p.world.list(&p.ctx, &loc).unwrap_or_default() {
            let child = format!("{}/{name}", f.trim_end_matches('/'));
            status = status.max(change(p, &child, changes, quiet, recursive));
        }
    }
    status
}

fn usage(p: &mut Proc) -> i32 {
    p.io.err_line("Usage: chattr [-RVf] [-+=aAcCdDeijPsStTuFx] [-p project] [-v version] files...");
    1
}
