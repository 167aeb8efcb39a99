//! Model of what Debian 12's `mke2fs 1.47.0` (`mkfs.ext4 FILE`, default
//! /etc/mke2fs.conf) does to a regular file of a given size.
//!
//! Features of the default ext4 profile: has_journal, ext_attr, resize_inode,
//! dir_index, filetype, extent, 64bit, flex_bg (16), sparse_super,
//! large_file, huge_file, dir_nlink, extra_isize, metadata_csum;
//! 256-byte inodes.  Size types: floppy (< 3 MiB: 1k blocks, 8192 bytes per
//! inode), small (< 512 MiB: 1k blocks, 4096), default (4k blocks, 16384),
//! big (>= 4 TiB, 32768), huge (>= 16 TiB, 65536).
//!
//! The image model assumes the host file system of the image file is ext4
//! with 4 KiB blocks (as /tmp on Debian 12): mke2fs punches the whole
//! device range (discard), then writes metadata blocks and uses
//! FALLOC_FL_ZERO_RANGE (unwritten extents, which still occupy space) for
//! the journal and for the last 64-128 KiB of the device.

//! ext2 (`mke2fs FILE`, `mkfs FILE`, `mkfs.ext2 FILE`) and ext3 (`mkfs.ext3 FILE`,
//! `mke2fs -t ext3 FILE`) use the [defaults] features only (sparse_super, large_file,
//! filetype, resize_inode, dir_index, ext_attr; ext3 adds has_journal): 32-byte group
//! descriptors, each group's bitmaps and inode table in the group itself, no
//! uninitialised groups (every bitmap is written), a block-mapped journal with indirect
//! blocks (counted as used by df), and no delayed-allocation reserve in df's available.
//! ext2 and ext3 were checked on 43 sizes each from 1 MiB to 64 GiB (every field, the
//! report byte for byte, `file` and `blkid`).
//!
//! Checked against the real mke2fs on 86 sizes from 1 MiB to 64 GiB (every field and the
//! report byte for byte); larger files are refused by `geometry` (see `LARGEST`).

mod layout;

use layout::{int_log10, plan};
use std::fmt::Write as _;

/// The largest file the model formats: the disk's size (it is checked to 64 GiB; the tables
/// it lays out grow with the size, and a browser's memory is not the machine's).
pub const LARGEST: u64 = 256 << 30;

/// The file system types of Debian's default /etc/mke2fs.conf.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FsKind {
    /// `mke2fs FILE`, `mkfs FILE`, `mkfs.ext2 FILE`: no journal.
    Ext2,
    /// `mkfs.ext3 FILE`, `mke2fs -t ext3 FILE`: a block-mapped journal.
    Ext3,
    /// `mkfs.ext4 FILE`, `mke2fs -t ext4 FILE`.
    Ext4,
}

impl FsKind {
    pub fn name(self) -> &'static str {
        match self {
            FsKind::Ext2 => "ext2",
            FsKind::Ext3 => "ext3",
            FsKind::Ext4 => "ext4",
        }
    }
    /// ext4's profile: extent, 64bit, flex_bg, metadata_csum (uninit groups), huge_file...
    pub(super) fn is_ext4(self) -> bool {
        self == FsKind::Ext4
    }
    pub(super) fn wants_journal(self) -> bool {
        self != FsKind::Ext2
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    pub block_size: u32,
    pub blocks: u64,
    pub inodes: u64,
    pub groups: u64,
    pub inodes_per_group: u64,
    pub journal_blocks: u64,
    pub backups: Vec<u64>,
    pub df_total_kib: u64,
    pub df_used_kib: u64,
    pub df_avail_kib: u64,
    pub image_kib: u64,
    pub lost_found_size: u64,
}

fn check_size(file_bytes: u64) -> Result<(), String> {
    if file_bytes > LARGEST {
        return Err("FILE: the simulation formats files of up to 256 GiB".to_string());
    }
    Ok(())
}

/// Geometry of the file system `mkfs.TYPE FILE` (`mke2fs -t TYPE FILE`) creates on a
/// regular file of `file_bytes` bytes.  `image_kib` is for a file made by `fallocate`.
pub fn geometry_of(kind: FsKind, file_bytes: u64) -> Result<Geometry, String> {
    check_size(file_bytes)?;
    plan(kind, file_bytes).map(|p| p.geo)
}

/// `du -k FILE` after `mkfs.TYPE` on a file made by `truncate -s SIZE` (sparse): equal
/// to `image_kib` unless the file extends beyond the file system (size not a multiple of
/// 4 KiB, or a dropped last group).
pub fn image_kib_truncated_of(kind: FsKind, file_bytes: u64) -> Result<u64, String> {
    check_size(file_bytes)?;
    plan(kind, file_bytes).map(|p| p.image_kib_truncate)
}

/// The type the made file system really has: mke2fs drops has_journal when the file
/// system is too small for one (< 2048 blocks), so `mkfs.ext3` then makes an ext2.
/// (`mkfs.ext4` keeps its other ext4 features and stays ext4.)
pub fn made_kind(kind: FsKind, g: &Geometry) -> FsKind {
    if kind == FsKind::Ext3 && g.journal_blocks == 0 {
        FsKind::Ext2
    } else {
        kind
    }
}

/// What `file FILE` prints after the file name and ": ".  `file` names a file system
/// without a journal "ext2" whatever its other features (a journal-less ext4 below 2048
/// blocks is "ext2 ... (extents) (64bit) ..."), while blkid still calls it ext4.
pub fn file_description(kind: FsKind, g: &Geometry, uuid: &str) -> String {
    let (name, suffix) = match made_kind(kind, g) {
        FsKind::Ext2 => ("ext2", " (large files)"),
        FsKind::Ext3 => ("ext3", " (large files)"),
        FsKind::Ext4 => (if g.journal_blocks == 0 { "ext2" } else { "ext4" }, " (extents) (64bit) (large files) (huge files)"),
    };
    format!("Linux rev 1.0 {} filesystem data, UUID={}{}", name, uuid, suffix)
}

/// The blocks a file of `data` blocks needs beyond them to find them: ext4's extents fit in
/// the inode (four of up to 32768 blocks each, contiguous as the simulation writes), ext2 and
/// ext3 map the blocks past the first twelve through indirect blocks of `per_block` numbers.
pub fn mapping_blocks(kind: FsKind, data: u64, per_block: u64) -> u64 {
    if kind == FsKind::Ext4 {
        return u64::from(data > 4 * 32768);
    }
    let Some(mut rest) = data.checked_sub(12).filter(|r| *r > 0) else { return 0 };
    let mut extra = 1;
    if rest <= per_block {
        return extra;
    }
    rest -= per_block;
    let double = per_block * per_block;
    extra += 1 + rest.min(double).div_ceil(per_block);
    if rest <= double {
        return extra;
    }
    rest -= double;
    extra + 1 + rest.div_ceil(double) + rest.div_ceil(per_block)
}

fn progress(out: &mut String, max: u64) {
    let l = int_log10(max);
    let w = 2 * l + 1;
    let _ = write!(out, "{:>l$}/{:>l$}", 0, max, l = l);
    out.push_str(&"\x08".repeat(w));
    out.push_str(&" ".repeat(w));
    out.push_str(&"\x08".repeat(w));
}

/// Exact stdout of `mkfs.TYPE -U UUID FILE` / `mke2fs -t TYPE -U UUID FILE`: the same
/// for every type but for the journal line, which ext2 (and a journal-less ext3/ext4
/// below 2048 blocks) lacks.
pub fn report(g: &Geometry, uuid: &str) -> String {
    let mut o = String::new();
    o.push_str("Discarding device blocks: ");
    progress(&mut o, g.blocks);
    o.push_str("done                            \n");
    let _ = writeln!(o, "Creating filesystem with {} {}k blocks and {} inodes", g.blocks, g.block_size / 1024, g.inodes);
    if g.groups == 1 {
        o.push('\n');
    } else {
        let _ = writeln!(o, "Filesystem UUID: {}", uuid);
        o.push_str("Superblock backups stored on blocks: ");
        let mut col_left: i64 = 0;
        for (i, b) in g.backups.iter().enumerate() {
            if i != 0 {
                o.push_str(", ");
            }
            let need = int_log10(*b) as i64 + 2;
            if need > col_left {
                o.push_str("\n\t");
                col_left = 72;
            }
            col_left -= need;
            let _ = write!(o, "{}", b);
        }
        o.push_str("\n\n");
    }
    o.push_str("Allocating group tables: ");
    progress(&mut o, g.groups);
    o.push_str("done                            \n");
    o.push_str("Writing inode tables: ");
    progress(&mut o, g.groups);
    o.push_str("done                            \n");
    if g.journal_blocks > 0 {
        let _ = writeln!(o, "Creating journal ({} blocks): done", g.journal_blocks);
    }
    o.push_str("Writing superblocks and filesystem accounting information: ");
    progress(&mut o, g.groups);
    o.push_str("done\n\n");
    o
}
