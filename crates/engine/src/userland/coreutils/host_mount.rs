//! util-linux `mount` and `umount` on the host: root mounts a tmpfs, binds a directory
//! elsewhere or mounts the ext4 file system of a loop device or a file, and takes them away again; anyone else is refused. The mounts live in the
//! world's host table (vfs/host_mounts.rs). oracle-174.

use super::loopdev::{attach_loop, detach_loop};
use super::mounts::host_table;
use super::{Cursor, Proc};
use crate::blockdev::extfs::FsKind;
use crate::blockdev::loop_number;
use crate::fs::FileType;
use crate::vfs::HostFs;

/// What util-linux adds under a failed mount(2): the kernel may have said more.
const DMESG: &str = "       dmesg(1) may have more information after failed mount system call.";

/// A mount request as the command line gives it.
struct Request {
    fstype: Option<String>,
    options: Vec<String>,
    bind: bool,
    read_only: bool,
    /// `-o loop`: a file, through a loop device.
    through_loop: bool,
    /// `-o remount`: new options for a mount in place.
    remount: bool,
    writable: bool,
    operands: Vec<String>,
}

fn parse(args: &[String]) -> Result<Request, String> {
    let mut r = Request {
        fstype: None,
        options: Vec::new(),
        bind: false,
        read_only: false,
        through_loop: false,
        remount: false,
        writable: false,
        operands: Vec::new(),
    };
    let mut cursor = Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-t" | "--types" => r.fstype = Some(cursor.value()),
            "-o" | "--options" => r.options.extend(cursor.value().split(',').filter(|o| !o.is_empty()).map(str::to_string)),
            "-B" | "--bind" | "-R" | "--rbind" => r.bind = true,
            "-r" | "--read-only" => r.read_only = true,
            "-w" | "--rw" | "--read-write" | "-v" | "--verbose" | "-n" | "--no-mtab" => {}
            s if s.starts_with("-t") && s.len() > 2 => r.fstype = s.strip_prefix("-t").map(str::to_string),
            s if s.starts_with("-o") && s.len() > 2 => {
                r.options.extend(s.strip_prefix("-o").unwrap_or("").split(',').filter(|o| !o.is_empty()).map(str::to_string))
            }
            s if s.starts_with('-') && s.len() > 1 => return Err(s.trim_start_matches('-').chars().next().unwrap_or('-').to_string()),
            _ => r.operands.push(a.clone()),
        }
    }
    // `-o bind` and `-o ro` are the same requests as the flags; the rest go to the file system.
    r.bind |= r.options.iter().any(|o| o == "bind" || o == "rbind");
    r.read_only |= r.options.iter().any(|o| o == "ro");
    r.through_loop = r.options.iter().any(|o| o == "loop");
    r.remount = r.options.iter().any(|o| o == "remount");
    // A remount names what changes: `rw` makes a read-only mount writable again.
    r.writable = r.options.iter().any(|o| o == "rw");
    r.options.retain(|o| !matches!(o.as_str(), "bind" | "rbind" | "ro" | "rw" | "defaults" | "loop" | "remount"));
    Ok(r)
}

/// util-linux `mount` on the host with operands or a type (without any, it lists: mounts.rs).
pub(super) fn mount(p: &mut Proc, args: &[String]) -> i32 {
    let r = match parse(args) {
        Ok(r) => r,
        Err(bad) => {
            p.err(&format!("invalid option -- '{bad}'"));
            p.io.err_line("Try 'mount --help' for more information.");
            return 1;
        }
    };
    let (source, target) = match &r.operands[..] {
        [] => return list_type(p, r.fstype.as_deref().unwrap_or("")),
        [one] if r.remount => return remount(p, one, &r),
        [one] => {
            p.err(&format!("{one}: can't find in /etc/fstab."));
            return 1;
        }
        [source, target, ..] => (source.clone(), target.clone()),
    };
    let shown = canonical(p, &target);
    if p.ctx.cred.uid != 0 {
        return refuse(p, &format!("{shown}: must be superuser to use mount."));
    }
    let dir = match p.world.stat(&p.ctx, &target, true) {
        Ok(st) if st.ftype == FileType::Dir => shown,
        Ok(_) if !r.bind => return refuse(p, &format!("{shown}: mount point is not a directory.")),
        Ok(_) => shown,
        Err(_) => return refuse(p, &format!("{target}: mount point does not exist.")),
    };
    if r.bind {
        let Ok(loc) = p.world.resolve(&p.ctx, &source, true) else {
            return refuse(p, &format!("{dir}: special device {source} does not exist."));
        };
        p.world.mount_host(&dir, HostFs::Bind { path: loc.path.clone(), root: loc.top() }, r.read_only);
        return 0;
    }
    if matches!(r.fstype.as_deref(), None | Some("auto" | "ext2" | "ext3" | "ext4")) {
        if let Some(status) = mount_disk(p, (&source, &target), &dir, (r.read_only, r.through_loop), r.fstype.as_deref()) {
            return status;
        }
    }
    match r.fstype.as_deref() {
        Some("tmpfs") => match crate::daemon::spec::tmpfs_options(&r.options.join(",")) {
            Ok(t) => {
                let (uid, gid) = (t.uid.unwrap_or(0), t.gid.unwrap_or(0));
                let fs = HostFs::Tmpfs { name: source, size: t.size, mode: t.mode.unwrap_or(0o1777), uid, gid, shown: t.proc_opts };
                p.world.mount_host(&dir, fs, r.read_only || t.read_only);
                0
            }
            Err(_) => refuse(
                p,
                &format!(
                    "{dir}: wrong fs type, bad option, bad superblock on {source}, missing codepage or helper program, or other error."
                ),
            ),
        },
        fstype => {
            if !p.world.exists(&p.ctx, &source) {
                return refuse(p, &format!("{dir}: special device {source} does not exist."));
            }
            match fstype {
                Some(t) if t != "auto" => refuse(p, &format!("{dir}: unknown filesystem type '{t}'.")),
                _ => refuse(
                    p,
                    &format!(
                        "{dir}: wrong fs type, bad option, bad superblock on {source}, missing codepage or helper program, or other error."
                    ),
                ),
            }
        }
    }
}

/// Mounts the ext4 file system of a loop device, or of a file (through the first free loop
/// device, detached again when it is unmounted); `None` when `source` is neither.
fn mount_disk(
    p: &mut Proc,
    (source, given): (&str, &str),
    dir: &str,
    (read_only, through_loop): (bool, bool),
    asked: Option<&str>,
) -> Option<i32> {
    let (n, inode) = match loop_number(source) {
        Some(n) => match p.world.block_devices().loop_device(n) {
            Some(l) => (n, l.inode),
            None => return Some(refuse(p, &format!("{dir}: can't read superblock on {source}."))),
        },
        None => {
            let Ok(loc) = p.world.resolve(&p.ctx, source, true) else {
                // util-linux names the mount point as it was given here.
                if through_loop {
                    p.err(&format!("{given}: failed to setup loop device for {source}."));
                    return Some(32);
                }
                return None;
            };
            if p.world.fs().get(loc.top()).file_type() != FileType::File {
                return None;
            }
            let Some(n) = p.world.block_devices().first_free() else {
                return Some(refuse(p, &format!("{dir}: failed to setup loop device for {source}.")));
            };
            if p.world.block_devices().image(loc.top()).is_none() {
                return Some(refuse(p, &format!("{dir}: wrong fs type, bad option, bad superblock on /dev/loop{n}, missing codepage or helper program, or other error.")));
            }
            attach_loop(p, n, &loc.path, loc.top(), true);
            (n, loc.top())
        }
    };
    let device = format!("/dev/loop{n}");
    let wrong =
        format!("{dir}: wrong fs type, bad option, bad superblock on {device}, missing codepage or helper program, or other error.");
    let image = p.world.block_devices().image(inode).map(|i| (i.root, i.kind));
    // The ext4 driver mounts every type as ext4; as ext3 only a file system with a journal
    // and without ext4's extents; as ext2 one without extents (a journal left unused).
    let fstype = match (image, asked) {
        (Some(_), Some("ext4")) => Some("ext4"),
        (Some((_, FsKind::Ext3)), Some("ext3")) => Some("ext3"),
        (Some((_, FsKind::Ext2 | FsKind::Ext3)), Some("ext2")) => Some("ext2"),
        (Some(_), Some(_)) => None,
        (Some((_, kind)), None) => Some(kind.name()),
        (None, _) => None,
    };
    let (Some((root, _)), Some(fstype)) = (image, fstype) else {
        // A loop device set up for the mount goes again.
        if loop_number(source).is_none() {
            detach_loop(p, n);
        }
        return Some(refuse(p, &wrong));
    };
    p.world.mount_host(dir, HostFs::Disk { device, root, fstype }, read_only);
    Some(0)
}

/// `mount -o remount,OPTIONS TARGET`: a tmpfs resized, a mount made read-only or writable
/// again, its files kept.
fn remount(p: &mut Proc, target: &str, r: &Request) -> i32 {
    let shown = canonical(p, target);
    if p.ctx.cred.uid != 0 {
        return refuse(p, &format!("{shown}: must be superuser to use mount."));
    }
    let Some(i) = p.world.host_mounts().iter().rposition(|m| m.mount.target == shown) else {
        return refuse(p, &format!("{shown}: mount point not mounted or bad option."));
    };
    let tmpfs = p.world.host_mounts()[i].fstype == "tmpfs";
    let resized = if tmpfs && !r.options.is_empty() {
        match crate::daemon::spec::tmpfs_options(&r.options.join(",")) {
            Ok(t) => Some(t),
            Err(_) => return refuse(p, &format!("{shown}: mount point not mounted or bad option.")),
        }
    } else {
        None
    };
    let read_only = if r.read_only { Some(true) } else { r.writable.then_some(false) };
    p.world.remount_host(i, read_only, resized.map(|t| (t.size, t.proc_opts)));
    0
}

/// A failed mount: util-linux's message, the hint about the kernel's log, status 32.
fn refuse(p: &mut Proc, msg: &str) -> i32 {
    p.err(msg);
    p.io.err_line(DMESG);
    32
}

/// `mount -t TYPE`: the mounts of that type, as `mount` lists them.
fn list_type(p: &mut Proc, fstype: &str) -> i32 {
    for m in host_table(p).iter().filter(|m| fstype.is_empty() || m.fstype == fstype) {
        p.io.out_str(&format!("{} on {} type {} ({})\n", m.source, m.target, m.fstype, m.options));
    }
    0
}

/// The absolute, resolved path util-linux names a target by (as given when it does not resolve).
fn canonical(p: &Proc, path: &str) -> String {
    p.world.resolve(&p.ctx, path, true).map(|l| l.path).unwrap_or_else(|_| path.to_string())
}

/// util-linux `umount TARGET|SOURCE…` on the host.
pub(super) fn umount(p: &mut Proc, targets: &[String]) -> i32 {
    let root = p.ctx.cred.uid == 0;
    let failed = if root { 32 } else { 1 };
    let mut status = 0;
    for target in targets {
        let resolved = match p.world.resolve(&p.ctx, target, true) {
            Ok(loc) => Some(loc.path),
            Err(e) => {
                // A mounted file system may be named by its source too (`umount scratch`).
                if !p.world.host_mounts().iter().any(|m| m.source == *target) {
                    p.err(&if root { format!("{target}: no mount point specified.") } else { format!("{target}: {e}") });
                    status = failed;
                    continue;
                }
                None
            }
        };
        let mine = p.world.host_mounts().iter().rposition(|m| Some(&m.mount.target) == resolved.as_ref() || m.source == *target);
        let shown = resolved.clone().unwrap_or_else(|| target.clone());
        match mine {
            Some(i) if root => {
                if p.world.host_mounts_below(&p.world.host_mounts()[i].mount.target).is_empty() {
                    let device = p.world.host_mounts()[i].source.clone();
                    p.world.umount_host(i);
                    // A loop device `mount -o loop` set up goes with its last mount.
                    let autoclear = loop_number(&device).filter(|&n| p.world.block_devices().loop_device(n).is_some_and(|l| l.autoclear));
                    if let Some(n) = autoclear.filter(|_| !p.world.host_mounts().iter().any(|m| m.source == device)) {
                        detach_loop(p, n);
                    }
                } else {
                    p.err(&format!("{shown}: target is busy."));
                    status = 32;
                }
            }
            Some(_) => {
                p.err(&format!("{shown}: must be superuser to unmount."));
                status = 32;
            }
            None if !host_table(p).iter().any(|m| Some(&m.target) == resolved.as_ref()) => {
                p.err(&format!("{target}: not mounted."));
                status = failed;
            }
            // The host's own file systems and Docker's are in use while the machine runs.
            None if root => {
                p.err(&format!("{shown}: target is busy."));
                status = 32;
            }
            None => {
                p.err(&format!("{shown}: must be superuser to unmount."));
                status = 32;
            }
        }
    }
    status
}
