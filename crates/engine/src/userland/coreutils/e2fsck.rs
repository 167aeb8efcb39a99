//! e2fsprogs' `e2fsck` (also run as `fsck.ext2`, `fsck.ext3` and `fsck.ext4`) and `e2label` on an ext4 file system in a
//! file: the check finds what mkfs.ext4 and the files since made (it repairs nothing: the
//! simulation writes no damage), the label is read and set. oracle-179.

use super::loopdev::backing_inode;
use super::{Cursor, Proc};
use crate::blockdev::ExtImage;
use crate::fs::InodeId;

const BANNER: &str = "e2fsck 1.47.0 (5-Feb-2023)";

/// After `Usage: ` and the program's name.
const USAGE: &str = " [-panyrcdfktvDFV] [-b superblock] [-B blocksize]\n\t\t[-l|-L bad_blocks_file] [-C fd] [-j external_journal]\n\t\t[-E extended-options] [-z undo_file] device\n\nEmergency help:\n -p                   Automatic repair (no questions)\n -n                   Make no changes to the filesystem\n -y                   Assume \"yes\" to all questions\n -c                   Check for bad blocks and add them to the badblock list\n -f                   Force checking even if filesystem is marked clean\n -v                   Be verbose\n -b superblock        Use alternative superblock\n -B blocksize         Force blocksize when looking for superblock\n -j external_journal  Set location of the external journal\n -l bad_blocks_file   Add to badblocks list\n -L bad_blocks_file   Set badblocks list\n -z undo_file         Create an undo file";

/// What e2fsck says when the superblock is not one (after trying the backups).
const NOT_EXT: &str = "ext2fs_open2: Bad magic number in super-block\ne2fsck: Superblock invalid, trying backup blocks...\n\nThe superblock could not be read or does not describe a valid ext2/ext3/ext4\nfilesystem.  If the device is valid and it really contains an ext2/ext3/ext4\nfilesystem (and not swap or ufs or something else), then the superblock\nis corrupt, and you might try running e2fsck with an alternate superblock:\n    e2fsck -b 8193 <device>\n or\n    e2fsck -b 32768 <device>\n\n";

const PASSES: &str = "Pass 1: Checking inodes, blocks, and sizes\nPass 2: Checking directory structure\nPass 3: Checking directory connectivity\nPass 4: Checking reference counts\nPass 5: Checking group summary information\n";

/// How e2fsck may change the file system.
#[derive(PartialEq)]
enum Mode {
    /// Without -n, -p or -y it would ask, and needs a terminal to.
    Ask,
    ReadOnly,
    Preen,
    Yes,
}

/// `e2fsck [-n|-p|-y] [-f] FILE`.
pub(super) fn e2fsck(p: &mut Proc, args: &[String]) -> i32 {
    let (mut mode, mut force, mut device) = (Mode::Ask, false, None);
    let mut cursor = Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.strip_prefix('-') {
            Some(flags) if !flags.is_empty() => {
                for flag in flags.chars() {
                    match flag {
                        // Options with a value (a superblock, a journal, a bad-blocks file…).
                        'b' | 'B' | 'j' | 'l' | 'L' | 'C' | 'E' | 'z' => {
                            cursor.value();
                        }
                        'n' => mode = Mode::ReadOnly,
                        'p' | 'a' => mode = Mode::Preen,
                        'y' => mode = Mode::Yes,
                        'f' => force = true,
                        'v' | 't' | 'k' | 'D' | 'F' | 'V' | 'd' | 'r' | 'c' => {}
                        bad => {
                            p.io.err_line(&format!("{}: invalid option -- '{bad}'", p.name));
                            p.io.err_line(&format!("Usage: {}{USAGE}", p.name));
                            return 16;
                        }
                    }
                }
            }
            _ => device = Some(a.clone()),
        }
    }
    let Some(device) = device else {
        p.io.err_line(&format!("Usage: {}{USAGE}", p.name));
        return 16;
    };
    if mode != Mode::Preen {
        p.io.err_line(BANNER);
    }
    if mode == Mode::Ask {
        // stdin is not a terminal in a transcript or a script.
        p.io.err_line("e2fsck: need terminal for interactive repairs");
        return 8;
    }
    let (file, image) = match open(p, &device, mode != Mode::ReadOnly) {
        Ok(opened) => opened,
        Err(Refusal::Missing) => {
            p.io.err_line(&format!("e2fsck: No such file or directory while trying to open {device}"));
            p.out("Possibly non-existent device?\n");
            return 8;
        }
        Err(Refusal::Denied) => {
            p.io.err_line(&format!("e2fsck: Permission denied while trying to open {device}"));
            p.out("You must have r/w access to the filesystem or be root\n");
            return 8;
        }
        Err(Refusal::NotExt) => {
            p.io.err_line(&format!("e2fsck: Bad magic number in super-block while trying to open {device}"));
            p.out(NOT_EXT);
            return 8;
        }
    };
    // The file system is named by its label when it has one.
    let name = image.label.clone().filter(|l| !l.is_empty()).unwrap_or(device.clone());
    let now = p.world.ext_usage(&image);
    let g = &image.geometry;
    let mut counts = image.superblock_counts.unwrap_or((now.inodes, now.blocks));
    if image.needs_recovery {
        if mode == Mode::ReadOnly {
            p.out("Warning: skipping journal recovery because doing a read-only filesystem check.\n");
        } else {
            p.out(&format!("{name}: recovering journal\n"));
            counts = (now.inodes, now.blocks);
            if let Some(i) = p.world.block_devices_mut().image_mut(file) {
                i.needs_recovery = false;
                i.superblock_counts = Some(counts);
            }
        }
    }
    let (files, blocks) = counts;
    if !force {
        p.out(&format!("{name}: clean, {files}/{} files, {blocks}/{} blocks\n", g.inodes, g.blocks));
        return 0;
    }
    if mode != Mode::Preen {
        p.out(PASSES);
    }
    // e2fsck's share of non-contiguous files, in tenths of a percent, rounded.
    let tenths = (10_000 * now.noncontiguous / files.max(1) + 5) / 10;
    let share = format!("{}.{}", tenths / 10, tenths % 10);
    p.out(&format!("{name}: {files}/{} files ({share}% non-contiguous), {blocks}/{} blocks\n", g.inodes, g.blocks));
    0
}

enum Refusal {
    Missing,
    Denied,
    NotExt,
}

/// The file system in the file (or loop device) `device`, opened to read, or to write too.
/// With the image, the inode of the file it is in.
fn open(p: &Proc, device: &str, write: bool) -> Result<(InodeId, ExtImage), Refusal> {
    let Some(inode) = backing_inode(p, device) else { return Err(Refusal::Missing) };
    let st = p.world.stat(&p.ctx, device, true).map_err(|_| Refusal::Missing)?;
    let want = if write { crate::vfs::Access::Write } else { crate::vfs::Access::Read };
    if !crate::vfs::may(st.uid, st.gid, st.mode, false, &p.ctx.cred, want) {
        return Err(Refusal::Denied);
    }
    p.world.block_devices().image(inode).cloned().map(|image| (inode, image)).ok_or(Refusal::NotExt)
}

/// `e2label DEVICE [NEWLABEL]`: the file system's name, or a new one (16 bytes at most).
pub(super) fn e2label(p: &mut Proc, args: &[String]) -> i32 {
    let (device, new) = match args {
        [device] => (device, None),
        [device, label] => (device, Some(label)),
        _ => {
            p.io.err_line("Usage: e2label device [newlabel]");
            return 1;
        }
    };
    let (file, image) = match open(p, device, new.is_some()) {
        Ok(opened) => opened,
        Err(Refusal::NotExt) => {
            p.io.err_line(&format!("e2label: Bad magic number in super-block while trying to open {device}"));
            return 1;
        }
        Err(why) => {
            let why = if matches!(why, Refusal::Missing) { "No such file or directory" } else { "Permission denied" };
            p.io.err_line(&format!("e2label: {why} while trying to open {device}"));
            p.io.err_line("Couldn't find valid filesystem superblock.");
            return 1;
        }
    };
    match new {
        None => {
            p.out_line(image.label.as_deref().unwrap_or(""));
        }
        Some(label) => {
            let mut kept = String::new();
            for ch in label.chars() {
                if kept.len() + ch.len_utf8() > 16 {
                    p.io.err_line("Warning: label too long, truncating.");
                    break;
                }
                kept.push(ch);
            }
            if let Some(i) = p.world.block_devices_mut().image_mut(file) {
                i.label = (!kept.is_empty()).then_some(kept.clone());
            }
            let path = p.world.resolve(&p.ctx, device, true).map(|l| l.path).unwrap_or_else(|_| device.clone());
            p.world.emit(crate::events::Event::FileSystemLabelled { path, label: kept });
        }
    }
    0
}
