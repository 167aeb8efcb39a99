//! busybox's block-device applets in a container, which Docker gives no block device and no
//! CAP_SYS_ADMIN: each asks the kernel and is refused, or finds nothing, in busybox's words.
//! Nothing changes. oracle-178.

use super::Proc;

/// busybox's answer for one of these applets (`losetup`, `blockdev`, `fdisk`, `findfs`,
/// `fsfreeze`, `fstrim`, `partprobe`, `blkdiscard`, `swapon`, `swapoff`, `mke2fs`).
pub(super) fn applet(p: &mut Proc, args: &[String]) -> i32 {
    // An option the applet does not have: busybox's getopt names it, then the usage.
    if let Some(bad) = args.iter().find(|a| a.starts_with('-') && a.len() > 1 && !known(&p.name, a)) {
        let msg = match bad.strip_prefix("--") {
            Some(_) => format!("unrecognized option '{bad}'"),
            None => format!("invalid option -- '{}'", bad.chars().nth(1).unwrap_or('-')),
        };
        p.err(&msg);
        return p.busybox_usage();
    }
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    match p.name.as_str() {
        "losetup" => losetup(p, args, &operands),
        "blockdev" => match operands.last() {
            Some(dev) if args.len() > 1 => {
                let why = if p.world.exists(&p.ctx, dev) {
                    "Inappropriate ioctl for device".to_string()
                } else {
                    "No such file or directory".into()
                };
                let shown = if why.starts_with("No such") { format!("can't open '{dev}': {why}") } else { format!("{dev}: {why}") };
                p.err(&shown);
                1
            }
            _ => p.busybox_usage(),
        },
        // No partition the container may read: nothing to list.
        "fdisk" if has("-l") => 0,
        "fdisk" => match operands.first() {
            Some(disk) if p.world.exists(&p.ctx, disk) => {
                p.out("Device contains neither a valid DOS partition table, nor Sun, SGI, OSF or GPT disklabel\nBuilding a new DOS disklabel. Changes will remain in memory only,\nuntil you decide to write them. After that the previous content\nwon't be recoverable.\n\n\nCommand (m for help): ");
                // Its commands come from standard input; at its end, fdisk leaves.
                0
            }
            Some(disk) => {
                p.err(&format!("can't open '{disk}': No such file or directory"));
                1
            }
            None => p.busybox_usage(),
        },
        // No file system it may see carries a label or a UUID.
        "findfs" if operands.is_empty() => p.busybox_usage(),
        "findfs" => 1,
        "fsfreeze" if operands.is_empty() || !(has("--freeze") || has("--unfreeze")) => p.busybox_usage(),
        "fsfreeze" => {
            p.err("(opts & 1) ? FIFREEZE : FITHAW: Operation not permitted");
            1
        }
        "fstrim" if operands.is_empty() => p.busybox_usage(),
        "fstrim" => {
            p.err("FITRIM: Inappropriate ioctl for device");
            1
        }
        "partprobe" => 0,
        "blkdiscard" if operands.is_empty() => p.busybox_usage(),
        "blkdiscard" => {
            p.err("BLKGETSIZE64: Inappropriate ioctl for device");
            1
        }
        "swapon" | "swapoff" => match operands.first() {
            Some(dev) => {
                p.err(&format!("{dev}: Operation not permitted"));
                1
            }
            None if has("-a") => {
                p.err("can't open '/etc/fstab': No such file or directory");
                1
            }
            None => p.busybox_usage(),
        },
        // mke2fs: a file is not a block device; without one, busybox opens a null name.
        _ => match operands.first() {
            Some(dev) => {
                p.err(&format!("{dev}: not a block device"));
                1
            }
            None => {
                p.err("can't open '(null)': Bad address");
                1
            }
        },
    }
}

/// busybox `losetup`: a container has no loop device: `-a` lists none, `-f` names the first
/// one the kernel would give, and setting one up or taking it down fails.
fn losetup(p: &mut Proc, args: &[String], operands: &[&String]) -> i32 {
    let find = args.iter().any(|a| a == "-f");
    match (args.first().map(String::as_str), operands.first()) {
        (Some("-a"), _) => 0,
        (Some("-f"), None) => {
            p.out_line("/dev/loop0");
            0
        }
        (Some("-d"), Some(dev)) => {
            p.err(&format!("{dev}: No such file or directory"));
            1
        }
        (_, Some(file)) if find || operands.len() > 1 => {
            let file = operands.last().unwrap_or(file);
            p.err(&format!("{file}: No such file or directory"));
            1
        }
        _ => p.busybox_usage(),
    }
}

/// The options each applet takes (any other is refused before it runs).
fn known(applet: &str, arg: &str) -> bool {
    let flags: &[&str] = match applet {
        "losetup" => &["-a", "-f", "-d", "-c", "-r", "-P", "-o"],
        "blockdev" => &[
            "--setro",
            "--setrw",
            "--getro",
            "--getss",
            "--getbsz",
            "--setbsz",
            "--getsz",
            "--getsize64",
            "--getra",
            "--setra",
            "--flushbufs",
            "--rereadpt",
        ],
        "fdisk" => &["-u", "-l", "-C", "-H", "-S", "-b"],
        "fsfreeze" => &["--freeze", "--unfreeze"],
        "fstrim" => &["-o", "-l", "-m", "-v"],
        "blkdiscard" => &["-o", "-l", "-s"],
        "swapon" => &["-a", "-e", "-d"],
        "swapoff" => &["-a"],
        "mke2fs" => &["-F", "-n", "-b", "-i", "-I", "-m", "-L"],
        _ => &[],
    };
    flags.contains(&arg)
}
