//! util-linux's `mkswap`, `swapon` and `swapoff` on the host: a swap area written into a file,
//! turned on by root and listed (`swapon --show`, `-s`, `/proc/swaps`), turned off again.
//! The areas and what is on are the world's (blockdev/). oracle-180.

use super::extents::util_linux_size;
use super::loopdev::backing_inode;
use super::mounts::print_table;
use super::Proc;
use crate::blockdev::SwapArea;

/// `mkswap [-q] [-L LABEL] [-U UUID] FILE`.
pub(super) fn mkswap(p: &mut Proc, args: &[String]) -> i32 {
    let (mut label, mut uuid, mut file, mut quiet) = (None, None, None, false);
    let mut at = 0;
    while let Some(a) = args.get(at) {
        at += 1;
        match a.as_str() {
            "-L" | "--label" => label = args.get(at).cloned(),
            "-U" | "--uuid" => uuid = args.get(at).cloned(),
            "-f" | "--force" | "-c" | "--check" => continue,
            "-q" | "--quiet" => {
                quiet = true;
                continue;
            }
            s if s.starts_with('-') && s.len() > 1 => {
                let bad = s.trim_start_matches('-').chars().next().unwrap_or('-');
                p.err(&format!("invalid option -- '{bad}'"));
                p.io.err_line("Try 'mkswap --help' for more information.");
                return 1;
            }
            _ => {
                file = Some(a.clone());
                continue;
            }
        }
        at += 1;
    }
    let Some(file) = file else {
        p.err("error: Nowhere to set up swap on?");
        p.io.err_line("Try 'mkswap --help' for more information.");
        return 1;
    };
    let st = match p.world.stat(&p.ctx, &file, true) {
        Ok(st) => st,
        Err(e) => {
            p.err(&format!("cannot open {file}: {e}"));
            return 1;
        }
    };
    if !crate::vfs::may(st.uid, st.gid, st.mode, false, &p.ctx.cred, crate::vfs::Access::Write) {
        p.err(&format!("cannot open {file}: Permission denied"));
        return 1;
    }
    let pages = st.size / 4096;
    if st.size < 40 * 1024 {
        p.err("error: swap area needs to be at least 40 KiB");
        return 1;
    }
    if st.mode & 0o077 != 0 {
        p.err(&format!("{file}: insecure permissions {:04o}, fix with: chmod 0600 {file}", st.mode & 0o7777));
    }
    let inode = st.ino;
    if p.world.block_devices().swap_area(inode).is_some() {
        p.err(&format!("{file}: warning: wiping old swap signature."));
    }
    let uuid = uuid.unwrap_or_else(|| super::mke2fs::new_uuid(p));
    let bytes = (pages - 1) * 4096;
    if !quiet {
        p.out_line(&format!("Setting up swapspace version 1, size = {} ({bytes} bytes)", util_linux_size(bytes, false, true)));
        let named = label.as_ref().map(|l| format!("LABEL={l}")).unwrap_or_else(|| "no label".into());
        p.out_line(&format!("{named}, UUID={uuid}"));
    }
    p.world.block_devices_mut().forget_image(inode);
    p.world.block_devices_mut().set_swap_area(inode, SwapArea { uuid, label, pages });
    let path = p.world.resolve(&p.ctx, &file, true).map(|l| l.path).unwrap_or(file);
    p.world.emit(crate::events::Event::FileSystemMade { path, fstype: "swap".into() });
    0
}

/// `swapon [--show[=COLUMNS]] | -s | [-a] FILE…`.
pub(super) fn swapon(p: &mut Proc, args: &[String]) -> i32 {
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "-s" | "--summary" => {
                let text = crate::procfs::swaps(p.world);
                p.out(&text);
                return 0;
            }
            "--show" => return show(p, &["NAME", "TYPE", "SIZE", "USED", "PRIO"]),
            s if s.starts_with("--show=") => {
                let columns: Vec<String> = s.trim_start_matches("--show=").split(',').map(str::to_uppercase).collect();
                let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
                return show(p, &columns);
            }
            // No swap in /etc/fstab.
            "-a" | "--all" => {}
            _ => files.push(a.clone()),
        }
    }
    if files.is_empty() {
        return if args.is_empty() { show(p, &["NAME", "TYPE", "SIZE", "USED", "PRIO"]) } else { 0 };
    }
    let mut status = 0;
    for file in files {
        let Ok(loc) = p.world.resolve(&p.ctx, &file, true) else {
            p.err(&format!("cannot open {file}: No such file or directory"));
            status = 255;
            continue;
        };
        let inode = p.world.fs().get(loc.top());
        let (mode, uid, holes) = (inode.mode & 0o7777, inode.uid, !inode.holes.is_empty());
        let path = loc.path.clone();
        if mode & 0o077 != 0 {
            p.err(&format!("{path}: insecure permissions {mode:04o}, 0600 suggested."));
        }
        if uid != 0 {
            p.err(&format!("{path}: insecure file owner {uid}, 0 (root) suggested."));
        }
        let failure = if p.ctx.cred.uid != 0 {
            Some("swapon failed: Operation not permitted")
        } else if holes {
            Some("skipping - it appears to have holes.")
        } else if p.world.block_devices().swap_area(loc.top()).is_none() {
            Some("read swap header failed")
        } else if p.world.block_devices().active_swaps().iter().any(|s| s.inode == loc.top()) {
            Some("swapon failed: Device or resource busy")
        } else {
            None
        };
        match failure {
            Some(why) => {
                p.err(&format!("{path}: {why}"));
                status = 255;
            }
            None => {
                p.world.block_devices_mut().swap_on(&path, loc.top());
                p.world.emit(crate::events::Event::SwapTurnedOn { path });
            }
        }
    }
    status
}

/// `swapon --show`: a table of the swap areas in use.
fn show(p: &mut Proc, columns: &[&str]) -> i32 {
    let rows: Vec<Vec<String>> = p
        .world
        .block_devices()
        .active_swaps()
        .iter()
        .map(|s| {
            let pages = p.world.block_devices().swap_area(s.inode).map_or(1, |a| a.pages);
            columns
                .iter()
                .map(|c| match *c {
                    "NAME" => s.path.clone(),
                    "TYPE" => "file".into(),
                    "SIZE" => util_linux_size((pages - 1) * 4096, false, false),
                    "USED" => util_linux_size(0, false, false),
                    _ => s.priority.to_string(),
                })
                .collect()
        })
        .collect();
    if !rows.is_empty() {
        let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        print_table(p, &columns, true, rows, |c| c.len(), |c| matches!(c, "SIZE" | "USED" | "PRIO"));
    }
    0
}

/// `swapoff [-a] FILE…`.
pub(super) fn swapoff(p: &mut Proc, args: &[String]) -> i32 {
    if p.ctx.cred.uid != 0 {
        p.err("Not superuser.");
        return 16;
    }
    if args.iter().any(|a| a == "-a" || a == "--all") {
        let all: Vec<_> = p.world.block_devices().active_swaps().iter().map(|s| (s.inode, s.path.clone())).collect();
        for (inode, path) in all {
            p.world.block_devices_mut().swap_off(inode);
            p.world.emit(crate::events::Event::SwapTurnedOff { path });
        }
        return 0;
    }
    let mut status = 0;
    for file in args.iter().filter(|a| !a.starts_with('-')) {
        let active = backing_inode(p, file).and_then(|i| p.world.block_devices().active_swaps().iter().find(|s| s.inode == i).cloned());
        match active {
            Some(swap) => {
                p.world.block_devices_mut().swap_off(swap.inode);
                p.world.emit(crate::events::Event::SwapTurnedOff { path: swap.path });
            }
            None => {
                p.err(&format!("{file}: swapoff failed: Invalid argument"));
                status = 4;
            }
        }
    }
    status
}
