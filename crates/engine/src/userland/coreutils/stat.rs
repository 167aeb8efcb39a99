//! `stat`: a file's details, in the default layout, `-t`'s terse line or a `-c` format; `-f`
//! for the file system it is on. busybox and GNU lay them out each their own way (oracle-111).

use crate::clock::tm;
use crate::fs::FileType;
use crate::userland::users;
use crate::vfs::{FsType, Ns, Stat};

use super::ls::mode_string;
use super::Proc;

/// The figures of the machine's one disk (as `df` gives them) in 4 KiB blocks, and its inodes.
const DISK_KIB: u64 = 263_174_212;
const DISK_USED_KIB: u64 = 11_534_336;
const DISK_INODES: u64 = 16_777_216;
const DISK_INODES_USED: u64 = 553_618;

pub(super) fn stat(p: &mut Proc, args: &[String]) -> i32 {
    let mut format: Option<String> = None;
    let mut files = Vec::new();
    let mut deref = false;
    let mut file_system = false;
    let mut terse = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-c" || a == "--format" {
            format = args.get(i + 1).cloned();
            i += 2;
            continue;
        } else if let Some(f) = a.strip_prefix("--format=") {
            format = Some(f.to_string());
        } else if a == "-L" || a == "--dereference" {
            deref = true;
        } else if a == "-f" || a == "--file-system" {
            file_system = true;
        } else if a == "-t" || a == "--terse" {
            terse = true;
        } else if a.len() > 2 && a.starts_with('-') && !a.starts_with("--") && a.chars().skip(1).all(|c| "Lft".contains(c)) {
            deref |= a.contains('L');
            file_system |= a.contains('f');
            terse |= a.contains('t');
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    if files.is_empty() {
        return p.usage();
    }
    let mut status = 0;
    for f in files {
        let st = match p.world.stat(&p.ctx, &f, deref) {
            Ok(s) => s,
            Err(e) => {
                let q = p.q(&f);
                p.err_dialect(&format!("cannot statx {q}: {e}"), &format!("can't stat '{f}': {e}"));
                status = 1;
                continue;
            }
        };
        if file_system {
            let text = file_system_text(p, &f, &st, format.as_deref(), terse);
            p.out_line(&text);
            continue;
        }
        let text = match (&format, terse) {
            (Some(fmt), _) => {
                let line = formatted(p, &f, &st, fmt);
                format!("{line}\n")
            }
            (None, true) => {
                // GNU adds the birth time before the block size.
                let birth = if p.gnu { format!(" {}", st.btime) } else { String::new() };
                let fmt = format!("%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z{birth} %o");
                format!("{}\n", formatted(p, &f, &st, &fmt))
            }
            (None, false) => layout(p, &f, &st),
        };
        p.out(&text);
    }
    status
}

fn type_name(st: &Stat) -> &'static str {
    match st.ftype {
        FileType::Dir => "directory",
        FileType::File if st.size == 0 => "regular empty file",
        FileType::File => "regular file",
        FileType::Symlink => "symbolic link",
        FileType::CharDev => "character special file",
        FileType::BlockDev => "block special file",
        FileType::Socket => "socket",
        FileType::Fifo => "fifo",
    }
}

/// The file type bits `%f` shows with the mode.
fn type_bits(st: &Stat) -> u32 {
    match st.ftype {
        FileType::Dir => 0o040000,
        FileType::File => 0o100000,
        FileType::Symlink => 0o120000,
        FileType::CharDev => 0o020000,
        FileType::BlockDev => 0o060000,
        FileType::Socket => 0o140000,
        FileType::Fifo => 0o010000,
    }
}

/// The device a file is on, as (major, minor): the machine's disk is 254,0; a container's
/// overlay root 0,48; its /dev tmpfs 0,52; the host's /dev (devtmpfs) 0,6.
fn device(p: &Proc, path: &str, st: &Stat) -> (u32, u32) {
    if p.ctx.ns == Ns::Host && crate::fs::normalize(&p.ctx.cwd, path).starts_with("/dev/") {
        return (0, 6);
    }
    match st.fs {
        FsType::Ext4 => (254, 0),
        FsType::Overlay => (0, 48),
        FsType::Tmpfs => (0, 52),
        FsType::Proc => (0, 50),
        FsType::Sysfs => (0, 51),
    }
}

fn timestamp(secs: i64) -> String {
    let t = tm(secs);
    format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.000000000 +0000", t.year, t.month, t.day, t.hour, t.min, t.sec)
}

/// `stat FILE` without a format.
fn layout(p: &Proc, f: &str, st: &Stat) -> String {
    let user = users::user_name(p.world, &p.ctx, st.uid).unwrap_or_else(|| "UNKNOWN".into());
    let group = users::group_name(p.world, &p.ctx, st.gid).unwrap_or_else(|| "UNKNOWN".into());
    let (major, minor) = device(p, f, st);
    let file = match (&st.symlink, p.gnu) {
        (Some(target), true) => format!("{f} -> {target}"),
        (Some(target), false) => format!("'{f}' -> '{target}'"),
        (None, _) => f.to_string(),
    };
    let mut out =
        format!("  File: {file}\n  Size: {:<10}\tBlocks: {:<10} IO Block: {:<6} {}\n", st.size, st.blocks * 2, 4096, type_name(st));
    let dev = if p.gnu { format!("{major},{minor}") } else { format!("{:x}h/{}d", major * 256 + minor, major * 256 + minor) };
    let inode = if p.gnu { format!("{:<11} ", st.ino.0) } else { format!("{:<10}  ", st.ino.0) };
    // busybox pads the link count (its line keeps the blanks); GNU only before a device type.
    let links = match (matches!(st.ftype, FileType::CharDev | FileType::BlockDev), p.gnu) {
        (true, true) => format!("{:<5} Device type: {},{}", st.nlink, st.rdev.0, st.rdev.1),
        (true, false) => format!("{:<5} Device type: {:x},{:x}", st.nlink, st.rdev.0, st.rdev.1),
        (false, true) => st.nlink.to_string(),
        (false, false) => format!("{:<5}", st.nlink),
    };
    out.push_str(&format!("Device: {dev}\tInode: {inode}Links: {links}\n"));
    out.push_str(&format!(
        "Access: ({:04o}/{})  Uid: ({:>5}/{:>8})   Gid: ({:>5}/{:>8})\n",
        st.mode & 0o7777,
        mode_string(st),
        st.uid,
        user,
        st.gid,
        group
    ));
    // The access time is shown as the modification time: reads are not tracked.
    out.push_str(&format!("Access: {}\nModify: {}\nChange: {}\n", timestamp(st.mtime), timestamp(st.mtime), timestamp(st.ctime)));
    if p.gnu {
        out.push_str(&format!(" Birth: {}\n", timestamp(st.btime)));
    }
    out
}

/// A `-c` format: each `%` directive replaced; busybox writes a letter it does not know as
/// itself, GNU as `?`.
fn formatted(p: &mut Proc, f: &str, st: &Stat, fmt: &str) -> String {
    let user = users::user_name(p.world, &p.ctx, st.uid).unwrap_or_else(|| "UNKNOWN".into());
    let group = users::group_name(p.world, &p.ctx, st.gid).unwrap_or_else(|| "UNKNOWN".into());
    let (major, minor) = device(p, f, st);
    let dev = major * 256 + minor;
    let mut out = String::new();
    let mut no_context = false;
    let c: Vec<char> = fmt.chars().collect();
    let mut j = 0;
    while j < c.len() {
        if c[j] == '%' && j + 1 < c.len() {
            j += 1;
            let v = match c[j] {
                'a' => format!("{:o}", st.mode & 0o7777),
                'A' => mode_string(st),
                'U' => user.clone(),
                'G' => group.clone(),
                'u' => st.uid.to_string(),
                'g' => st.gid.to_string(),
                'F' => type_name(st).to_string(),
                'f' => format!("{:x}", type_bits(st) | (st.mode & 0o7777)),
                's' => st.size.to_string(),
                'n' => f.to_string(),
                'N' => match (&st.symlink, p.gnu) {
                    (Some(t), true) => format!("'{f}' -> '{t}'"),
                    (None, true) => format!("'{f}'"),
                    (Some(t), false) => format!("'{f}' -> '{t}'"),
                    (None, false) => f.to_string(),
                },
                'h' => st.nlink.to_string(),
                'i' => st.ino.0.to_string(),
                'd' => dev.to_string(),
                'D' => format!("{dev:x}"),
                'o' => "4096".to_string(),
                'x' | 'y' => timestamp(st.mtime),
                'X' | 'Y' => st.mtime.to_string(),
                'z' => timestamp(st.ctime),
                'Z' => st.ctime.to_string(),
                'w' if p.gnu => timestamp(st.btime),
                'W' if p.gnu => st.btime.to_string(),
                'm' if p.gnu => "/".to_string(),
                'C' if p.gnu => {
                    no_context = true;
                    "?".to_string()
                }
                'b' => (st.blocks * 2).to_string(),
                // The unit %b counts in.
                'B' => "512".to_string(),
                // A device node's numbers, in hex.
                't' => format!("{:x}", st.rdev.0),
                'T' => format!("{:x}", st.rdev.1),
                '%' => "%".into(),
                _ if p.gnu => "?".to_string(),
                other => other.to_string(),
            };
            out.push_str(&v);
        } else if c[j] == '\\' && j + 1 < c.len() && c[j + 1] == 'n' {
            out.push('\n');
            j += 1;
        } else {
            out.push(c[j]);
        }
        j += 1;
    }
    if no_context {
        p.err(&format!("failed to get security context of '{f}': No data available"));
    }
    out
}

/// `stat -f`: the file system a path is on. `%T` names its type as each tool knows the magic
/// number (GNU calls ext4 `ext2/ext3`; busybox does not know overlayfs); its blocks and inodes
/// are the machine disk's (a tmpfs: its size).
fn file_system_text(p: &Proc, path: &str, st: &Stat, format: Option<&str>, terse: bool) -> String {
    let (name, magic) = match st.fs {
        FsType::Ext4 => ("ext2/ext3", "ef53"),
        FsType::Overlay => (if p.gnu { "overlayfs" } else { "UNKNOWN" }, "794c7630"),
        FsType::Tmpfs => ("tmpfs", "1021994"),
        FsType::Proc => ("proc", "9fa0"),
        FsType::Sysfs => ("sysfs", "62656572"),
    };
    let (total, free) = match st.fs {
        FsType::Ext4 | FsType::Overlay => (DISK_KIB / 4, (DISK_KIB - DISK_USED_KIB) / 4),
        _ => (0, 0),
    };
    let (inodes, inodes_free) = match st.fs {
        FsType::Ext4 | FsType::Overlay => (DISK_INODES, DISK_INODES - DISK_INODES_USED),
        _ => (0, 0),
    };
    // The file system's id (statfs's f_fsid), one per kind of mount here.
    let id = match st.fs {
        FsType::Overlay => "4bca88a2b190dc7f",
        FsType::Ext4 => "11e0410cf8206c9e",
        FsType::Tmpfs => "0",
        FsType::Proc | FsType::Sysfs => "0",
    }
    .to_string();
    let fmt = match (format, terse) {
        (Some(f), _) => f.to_string(),
        (None, true) => "%n %i %l %t %s %b %f %a %c %d".to_string(),
        (None, false) => {
            return format!(
                "  File: \"{path}\"\n    ID: {id:<16} Namelen: {:<7} Type: {name}\nBlock size: {:<10}\nBlocks: Total: {total:<10} Free: {free:<10} Available: {free}\nInodes: Total: {inodes:<10} Free: {inodes_free}",
                255, 4096
            )
        }
    };
    super::percent(&fmt, |k| {
        Some(match k {
            'T' => name.to_string(),
            't' => magic.to_string(),
            'n' => path.to_string(),
            's' | 'S' => "4096".to_string(),
            'l' => "255".to_string(),
            'b' => total.to_string(),
            'f' | 'a' => free.to_string(),
            'c' => inodes.to_string(),
            'd' => inodes_free.to_string(),
            'i' => id.clone(),
            _ => return None,
        })
    })
}
