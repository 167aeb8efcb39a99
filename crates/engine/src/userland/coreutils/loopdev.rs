//! util-linux `losetup`: a file attached to a loop device, so that it can be mounted as a
//! disk. The devices and the file systems are the world's (blockdev/). oracle-175.

use super::mounts::print_table;
use super::{Cursor, Proc};
use crate::blockdev::{loop_number, LoopDevice};
use crate::events::Event;
use crate::fs::InodeId;

/// `losetup [-f [--show] FILE | DEVICE FILE | -a | -l | -d DEVICE… | -D]`.
pub(super) fn losetup(p: &mut Proc, args: &[String]) -> i32 {
    let (mut find, mut show, mut all, mut list, mut detach, mut detach_all) = (false, false, false, false, false, false);
    let mut operands = Vec::new();
    let mut cursor = Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-f" | "--find" => find = true,
            "--show" => show = true,
            "-a" | "--all" => all = true,
            "-l" | "--list" => list = true,
            "-d" | "--detach" => detach = true,
            "-D" | "--detach-all" => detach_all = true,
            "-fP" | "-Pf" => find = true,
            s if s.starts_with('-') && s.len() > 1 => {
                let bad = s.trim_start_matches('-').chars().next().unwrap_or('-');
                p.err(&format!("invalid option -- '{bad}'"));
                p.io.err_line("Try 'losetup --help' for more information.");
                return 1;
            }
            _ => operands.push(a.clone()),
        }
    }
    let root = p.ctx.cred.uid == 0;
    if detach_all {
        let attached: Vec<usize> = p.world.block_devices().attached().map(|(n, _)| n).collect();
        for n in attached.into_iter().filter(|_| root) {
            detach_loop(p, n);
        }
        return 0;
    }
    if detach {
        let mut status = 0;
        for dev in &operands {
            let attached = loop_number(dev).is_some_and(|n| p.world.block_devices().loop_device(n).is_some());
            let why = match (loop_number(dev), root) {
                (None, _) => "No such file or directory",
                (Some(_), false) => "Permission denied",
                (Some(_), true) if !attached => "No such device or address",
                (Some(n), true) => {
                    // A device in use is detached when its last mount goes (the kernel's autoclear).
                    let device = format!("/dev/loop{n}");
                    if p.world.host_mounts().iter().any(|m| m.source == device) {
                        p.world.block_devices_mut().set_autoclear(n);
                    } else {
                        detach_loop(p, n);
                    }
                    continue;
                }
            };
            p.err(&format!("{dev}: detach failed: {why}"));
            status = 1;
        }
        return status;
    }
    if find {
        let Some(free) = p.world.block_devices().first_free() else {
            p.err("cannot find an unused loop device");
            return 1;
        };
        let Some(file) = operands.first().cloned() else {
            p.out_line(&format!("/dev/loop{free}"));
            return 0;
        };
        return attach(p, free, &file, show);
    }
    match &operands[..] {
        [dev, file, ..] => match loop_number(dev) {
            Some(n) if p.world.block_devices().loop_device(n).is_some() && root => {
                p.err(&format!("{file}: failed to set up loop device: Device or resource busy"));
                1
            }
            Some(n) => attach(p, n, file, show),
            None => {
                p.err(&format!("{file}: failed to set up loop device: No such file or directory"));
                1
            }
        },
        [dev] => match loop_number(dev).and_then(|n| Some((n, p.world.block_devices().loop_device(n)?.clone()))) {
            Some((n, l)) => {
                let line = describe(p, n, &l);
                p.out_line(&line);
                0
            }
            None => {
                p.err(&format!("{dev}: No such device or address"));
                1
            }
        },
        [] if list => {
            let rows: Vec<Vec<String>> = p
                .world
                .block_devices()
                .attached()
                .map(|(n, l)| {
                    let fields = [
                        format!("/dev/loop{n}"),
                        "0".into(),
                        "0".into(),
                        u8::from(l.autoclear).to_string(),
                        "0".into(),
                        l.file.clone(),
                        "0".into(),
                        "512".into(),
                    ];
                    fields.to_vec()
                })
                .collect();
            if !rows.is_empty() {
                let columns: Vec<String> =
                    ["NAME", "SIZELIMIT", "OFFSET", "AUTOCLEAR", "RO", "BACK-FILE", "DIO", "LOG-SEC"].map(String::from).to_vec();
                print_table(p, &columns, true, rows, |c| c.len(), |c| !matches!(c, "NAME" | "BACK-FILE"));
            }
            0
        }
        _ => {
            let _ = all;
            let lines: Vec<String> = p.world.block_devices().attached().map(|(n, l)| describe(p, n, l)).collect();
            for line in lines {
                p.out_line(&line);
            }
            0
        }
    }
}

/// `losetup -a`'s line: root reads the backing file's device and inode; anyone else does not.
fn describe(p: &Proc, n: usize, l: &LoopDevice) -> String {
    let id = if p.ctx.cred.uid == 0 { format!("[65024]:{}", l.inode.0) } else { "[]".into() };
    format!("/dev/loop{n}: {id}: ({})", l.file)
}

/// Attaches `file` to loop device `n` (root only), printing the device when asked.
fn attach(p: &mut Proc, n: usize, file: &str, show: bool) -> i32 {
    let loc = match p.world.resolve(&p.ctx, file, true) {
        Ok(loc) => loc,
        Err(e) => {
            p.err(&format!("{file}: failed to set up loop device: {e}"));
            return 1;
        }
    };
    if p.ctx.cred.uid != 0 {
        p.err(&format!("{file}: failed to set up loop device: Permission denied"));
        return 1;
    }
    attach_loop(p, n, &loc.path, loc.top(), false);
    if show {
        p.out_line(&format!("/dev/loop{n}"));
    }
    0
}

/// Attaches the file at `path` (its inode `inode`) to loop device `n`, and tells it.
pub(super) fn attach_loop(p: &mut Proc, n: usize, path: &str, inode: InodeId, autoclear: bool) {
    p.world.block_devices_mut().attach(n, LoopDevice { file: path.to_string(), inode, autoclear });
    p.world.emit(Event::LoopAttached { device: format!("/dev/loop{n}"), file: path.to_string() });
}

/// Detaches loop device `n`, and tells it.
pub(super) fn detach_loop(p: &mut Proc, n: usize) {
    if p.world.block_devices_mut().detach(n) {
        p.world.emit(Event::LoopDetached { device: format!("/dev/loop{n}") });
    }
}

/// The inode of the file a path names: a loop device stands for its backing file.
pub(super) fn backing_inode(p: &Proc, path: &str) -> Option<InodeId> {
    if let Some(n) = loop_number(path) {
        return p.world.block_devices().loop_device(n).map(|l| l.inode);
    }
    p.world.resolve(&p.ctx, path, true).ok().map(|l| l.top())
}
