//! e2fsprogs' `mke2fs` (and util-linux's `mkfs` in front of it): a new ext2, ext3 or ext4 file
//! system written into a file (or the file behind a loop device). The geometry and the report
//! are mke2fs 1.47.0's (blockdev/extfs/); the file keeps its size, holds the blocks mke2fs
//! writes, and carries the new tree: a root directory and `lost+found`. oracle-175, oracle-182.

use super::loopdev::backing_inode;
use super::{Cursor, Proc};
use crate::blockdev::extfs::{self, FsKind};
use crate::blockdev::{loop_number, ExtImage};
use crate::events::Event;
use crate::fs::{Data, InodeId};
use crate::vfs::WriteMode;

const BANNER: &str = "mke2fs 1.47.0 (5-Feb-2023)";

/// mke2fs's usage, after the program's name.
const USAGE: &str = " [-c|-l filename] [-b block-size] [-C cluster-size]\n\t[-i bytes-per-inode] [-I inode-size] [-J journal-options]\n\t[-G flex-group-size] [-N number-of-inodes] [-d root-directory]\n\t[-m reserved-blocks-percentage] [-o creator-os]\n\t[-g blocks-per-group] [-L volume-label] [-M last-mounted-directory]\n\t[-O feature[,...]] [-r fs-revision] [-E extended-option[,...]]\n\t[-t fs-type] [-T usage-type ] [-U UUID] [-e errors_behavior][-z undo_file]\n\t[-jnqvDFSV] device [blocks-count]";

fn usage(p: &mut Proc) -> i32 {
    p.io.err_line(&format!("Usage: {}{USAGE}", p.name));
    1
}

/// The type a name makes: `mkfs.ext3` an ext3; `mke2fs` and `mkfs` an ext2 unless `-t` says.
fn kind_named(name: &str) -> Option<FsKind> {
    match name {
        "ext2" | "mkfs.ext2" | "mke2fs" | "mkfs" => Some(FsKind::Ext2),
        "ext3" | "mkfs.ext3" => Some(FsKind::Ext3),
        "ext4" | "mkfs.ext4" => Some(FsKind::Ext4),
        _ => None,
    }
}

/// util-linux `mkfs [-t TYPE] …`: runs `mkfs.TYPE` (ext2 by default) with the rest.
pub(super) fn mkfs(p: &mut Proc, args: &[String]) -> i32 {
    let mut rest = Vec::new();
    let mut fstype = "ext2".to_string();
    let mut at = 0;
    while let Some(a) = args.get(at) {
        match a.as_str() {
            "-t" | "--type" => {
                fstype = args.get(at + 1).cloned().unwrap_or_default();
                at += 1;
            }
            _ => rest.push(a.clone()),
        }
        at += 1;
    }
    if kind_named(&fstype).is_none() || fstype.starts_with("mk") {
        p.err(&format!("failed to execute mkfs.{fstype}: No such file or directory"));
        return 1;
    }
    p.name = format!("mkfs.{fstype}");
    mke2fs(p, &rest)
}

/// `mke2fs [-t TYPE] [-q] [-F] [-U UUID] [-L LABEL] FILE`, as `mke2fs` or `mkfs.TYPE`.
pub(super) fn mke2fs(p: &mut Proc, args: &[String]) -> i32 {
    let (mut quiet, mut uuid, mut label, mut operands) = (false, None, None, Vec::new());
    let mut kind = kind_named(&p.name).unwrap_or(FsKind::Ext2);
    let mut unknown_type = None;
    let mut cursor = Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-q" => quiet = true,
            "-F" | "-FF" => {}
            "-U" => uuid = Some(cursor.value()),
            "-L" => label = Some(cursor.value()),
            "-t" => {
                let asked = cursor.value();
                match kind_named(&asked).filter(|_| asked.starts_with("ext")) {
                    Some(k) => kind = k,
                    None => unknown_type = Some(asked),
                }
            }
            "-T" => {
                cursor.value();
            }
            s if s.starts_with('-') && s.len() > 1 => {
                let bad = s.trim_start_matches('-').chars().next().unwrap_or('-');
                p.io.err_line(&format!("{}: invalid option -- '{bad}'", p.name));
                return usage(p);
            }
            _ => operands.push(a.clone()),
        }
    }
    let Some(target) = operands.first().cloned() else { return usage(p) };
    if !quiet {
        p.io.err_line(BANNER);
    }
    if let Some(asked) = unknown_type {
        p.out(&format!("\nYour mke2fs.conf file does not define the {asked} filesystem type.\nAborting...\n"));
        return 1;
    }
    let Some(inode) = backing_inode(p, &target) else {
        if loop_number(&target).is_some() {
            p.err("Device size reported to be zero.  Invalid partition specified, or\n\tpartition table wasn't reread after running fdisk, due to\n\ta modified partition being busy and in use.  You may need to reboot\n\tto re-read your partition table.\n");
        } else {
            p.io.err_line(&format!("The file {target} does not exist and no size was specified."));
        }
        return 1;
    };
    let path = match loop_number(&target).and_then(|n| p.world.block_devices().loop_device(n)) {
        Some(l) => l.file.clone(),
        None => target.clone(),
    };
    let root_ctx = crate::vfs::Ctx { cred: crate::world::Cred::root(), ..p.ctx.clone() };
    let writable = if loop_number(&target).is_some() {
        p.ctx.cred.uid == 0
    } else {
        p.world
            .stat(&p.ctx, &path, true)
            .is_ok_and(|s| crate::vfs::may(s.uid, s.gid, s.mode, false, &p.ctx.cred, crate::vfs::Access::Write))
    };
    if !writable {
        p.err("Permission denied while trying to determine filesystem size");
        return 1;
    }
    if let Some(h) = p.world.host_mounts().iter().find(|h| p.world.block_devices().image_file_by_root(h.mount.root) == Some(inode)) {
        let device = h.source.clone();
        p.io.err_line(&format!("{device} is mounted; will not make a filesystem here!"));
        return 1;
    }
    let size = p.world.fs().get(inode).size();
    let geometry = match extfs::geometry_of(kind, size) {
        Ok(g) => g,
        Err(msg) => {
            let msg = msg.replacen("FILE", &target, 1).replacen(&format!("mkfs.{}:", kind.name()), &format!("{}:", p.name), 1);
            p.io.err_line(msg.trim_end());
            return 1;
        }
    };
    // A sparse file (truncate) and an allocated one (fallocate) differ past the file
    // system's end: mke2fs punches and writes only its own range.
    let sparse = !p.world.fs().get(inode).holes.is_empty();
    let written_kib = if sparse { extfs::image_kib_truncated_of(kind, size).unwrap_or(geometry.image_kib) } else { geometry.image_kib };
    let uuid = uuid.unwrap_or_else(|| new_uuid(p));
    // Below 2048 blocks there is no room for the journal an ext3 or ext4 would have.
    if kind != FsKind::Ext2 && geometry.journal_blocks == 0 {
        p.io.err_line("\nFilesystem too small for a journal");
    }
    if !quiet {
        p.out(&extfs::report(&geometry, &uuid));
    }
    // The file keeps its size; it holds what mke2fs wrote (its tables, the journal's blocks),
    // the rest a hole.
    let ctx = if loop_number(&target).is_some() { root_ctx } else { p.ctx.clone() };
    if p.world.write_file(&ctx, &path, &Data::Opaque(size), WriteMode::Truncate).is_err() {
        p.err("Permission denied while trying to determine filesystem size");
        return 1;
    }
    let written = (written_kib * 1024).min(size);
    let _ = p.world.set_meta(&ctx, &path, true, &mut |i| i.holes = if written < size { vec![(written, size)] } else { Vec::new() });
    let now = p.world.clock().secs();
    let root = new_tree(p.world, now);
    // Too small for a journal, an ext3 is an ext2.
    let kind = extfs::made_kind(kind, &geometry);
    p.world
        .block_devices_mut()
        .set_image(inode, ExtImage { uuid, label, kind, geometry, root, needs_recovery: false, superblock_counts: None });
    p.world.emit(Event::FileSystemMade { path, fstype: kind.name().into() });
    0
}

/// A fresh file system's tree: the root directory and `lost+found`, both root's.
fn new_tree(world: &mut crate::world::World, now: i64) -> InodeId {
    let root = world.fs_mut().new_dir(0, 0, 0o755, now);
    let lost = world.fs_mut().new_dir(0, 0, 0o700, now);
    world.fs_mut().link(root, "lost+found", lost);
    root
}

/// A random (version 4) UUID, from the machine's deterministic generator.
pub(super) fn new_uuid(p: &mut Proc) -> String {
    let hex: Vec<char> = p.world.ids().hex64().chars().take(32).collect();
    let mut h = hex;
    h[12] = '4';
    h[16] = ['8', '9', 'a', 'b'][h[16].to_digit(16).unwrap_or(0) as usize % 4];
    let s: String = h.into_iter().collect();
    let part = |a: usize, b: usize| s.get(a..b).unwrap_or("").to_string();
    format!("{}-{}-{}-{}-{}", part(0, 8), part(8, 12), part(12, 16), part(16, 20), part(20, 32))
}
