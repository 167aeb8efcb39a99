//! `stat`: a file's details, in the default layout or a `-c` format.

use crate::clock::tm;
use crate::fs::FileType;
use crate::userland::users;

use super::ls::mode_string;
use super::Proc;

pub(super) fn stat(p: &mut Proc, args: &[String]) -> i32 {
    let mut format: Option<String> = None;
    let mut files = Vec::new();
    let mut deref = false;
    let mut file_system = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-c" || a == "--format" {
            format = args.get(i + 1).cloned();
            i += 2;
            continue;
        } else if let Some(f) = a.strip_prefix("--format=") {
            format = Some(f.to_string());
        } else if a == "-L" {
            deref = true;
        } else if a == "-f" || a == "--file-system" {
            file_system = true;
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
            let line = file_system_line(p, &f, &st, format.as_deref());
            p.out_line(&line);
            continue;
        }
        let user = users::user_name(p.world, &p.ctx, st.uid).unwrap_or_else(|| "UNKNOWN".into());
        let group = users::group_name(p.world, &p.ctx, st.gid).unwrap_or_else(|| "UNKNOWN".into());
        let t = tm(st.mtime);
        let ftype = match st.ftype {
            FileType::Dir => "directory",
            FileType::File if st.size == 0 => "regular empty file",
            FileType::File => "regular file",
            FileType::Symlink => "symbolic link",
            FileType::CharDev => "character special file",
            FileType::BlockDev => "block special file",
            FileType::Socket => "socket",
            FileType::Fifo => "fifo",
        };
        let ymd = format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.000000000 +0000", t.year, t.month, t.day, t.hour, t.min, t.sec);
        match &format {
            Some(fmt) => {
                let mut out = String::new();
                let c: Vec<char> = fmt.chars().collect();
                let mut j = 0;
                while j < c.len() {
                    if c[j] == '%' && j + 1 < c.len() {
                        j += 1;
                        let v = match c[j] {
                            'a' => format!("{:o}", st.mode & 0o7777),
                            'A' => mode_string(&st),
                            'U' => user.clone(),
                            'G' => group.clone(),
                            'u' => st.uid.to_string(),
                            'g' => st.gid.to_string(),
                            'F' => ftype.to_string(),
                            's' => st.size.to_string(),
                            'n' => f.clone(),
                            'N' => format!("'{f}'"),
                            'h' => st.nlink.to_string(),
                            'i' => st.ino.0.to_string(),
                            'y' => ymd.clone(),
                            'Y' => st.mtime.to_string(),
                            'b' => (st.blocks * 2).to_string(),
                            // A device node's numbers, in hex.
                            't' => format!("{:x}", st.rdev.0),
                            'T' => format!("{:x}", st.rdev.1),
                            '%' => "%".into(),
                            other => format!("?{other}"),
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
                p.out(&format!("{out}\n"));
            }
            None => {
                p.out(&format!("  File: {f}\n  Size: {:<15} Blocks: {:<10} IO Block: 4096   {ftype}\n", st.size, st.blocks * 2));
                p.out(&format!(
                    "Access: ({:04o}/{})  Uid: ({:>5}/{:>8})   Gid: ({:>5}/{:>8})\n",
                    st.mode & 0o7777,
                    mode_string(&st),
                    st.uid,
                    user,
                    st.gid,
                    group
                ));
                p.out(&format!("Modify: {ymd}\n"));
            }
        }
    }
    status
}

/// `stat -f`: the file system a path is on. `%T` names its type as each tool knows the magic
/// number (GNU calls ext4 `ext2/ext3`; busybox does not know overlayfs); without `-c`, the
/// path and the type.
fn file_system_line(p: &Proc, path: &str, st: &crate::vfs::Stat, format: Option<&str>) -> String {
    use crate::vfs::FsType;
    let (name, magic) = match st.fs {
        FsType::Ext4 => ("ext2/ext3", "ef53"),
        FsType::Overlay => (if p.gnu { "overlayfs" } else { "UNKNOWN" }, "794c7630"),
        FsType::Tmpfs => ("tmpfs", "1021994"),
        FsType::Proc => ("proc", "9fa0"),
        FsType::Sysfs => ("sysfs", "62656572"),
    };
    let Some(fmt) = format else { return format!("  File: \"{path}\"\n    Type: {name}") };
    super::percent(fmt, |k| {
        Some(match k {
            'T' => name.to_string(),
            't' => magic.to_string(),
            'n' => path.to_string(),
            's' | 'S' => "4096".to_string(),
            'l' => "255".to_string(),
            _ => return None,
        })
    })
}
