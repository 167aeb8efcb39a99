//! Block devices of the host below Docker's storage: the loop devices that make a file a
//! disk (`losetup`, `mount -o loop`), the ext2, ext3 and ext4 file systems `mke2fs` writes into files, and
//! the swap areas `mkswap` writes (`swapon` turns them on).
//! A formatted file keeps its file system as a tree of inodes of its own, found by the file's
//! inode: mounting the file (through a loop device) enters that tree.
//!
//! Architecture invariant: state and arithmetic only; the vfs enters the trees, the programs
//! word what happens.

pub mod extfs;
#[cfg(test)]
mod extfs_tests;

use crate::fs::InodeId;
use std::collections::BTreeMap;

/// The loop devices the machine has (`/dev/loop0` … `/dev/loop7`).
pub const LOOP_DEVICES: usize = 8;

/// A loop device attached to a file.
#[derive(Clone, Debug, PartialEq)]
pub struct LoopDevice {
    /// The backing file's absolute path, as `losetup -a` shows it.
    pub file: String,
    pub inode: InodeId,
    /// Detached by itself when its last mount goes (`mount -o loop`).
    pub autoclear: bool,
}

/// An ext2, ext3 or ext4 file system written into a file.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtImage {
    pub uuid: String,
    /// What it is (blkid's TYPE, the type a mount shows).
    pub kind: extfs::FsKind,
    /// `mkfs.ext4 -L`: the volume's name.
    pub label: Option<String>,
    pub geometry: extfs::Geometry,
    /// Its root directory.
    pub root: InodeId,
    /// Mounted read-write since its last clean unmount: the journal holds what the
    /// superblock does not say yet.
    pub needs_recovery: bool,
    /// While so, the superblock's counts (inodes and blocks in use) as of the mount.
    pub superblock_counts: Option<(u64, u64)>,
}

/// What an ext2, ext3 or ext4 file system holds now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtUsage {
    /// Inodes in use: the 11 mke2fs reserves, and one per file, directory or link target.
    pub inodes: u64,
    /// Blocks in use, its tables and journal included.
    pub blocks: u64,
    /// KiB in use as `df` counts them.
    pub used_kib: u64,
    /// Files whose blocks do not follow each other (e2fsck's "non-contiguous"): on ext2 and
    /// ext3, those long enough for an indirect block, which sits among their data.
    pub noncontiguous: u64,
}

/// A swap area `mkswap` wrote into a file.
#[derive(Clone, Debug, PartialEq)]
pub struct SwapArea {
    pub uuid: String,
    pub label: Option<String>,
    /// Its size in pages of 4 KiB (the first one holds the header).
    pub pages: u64,
}

/// A swap area in use (`swapon`).
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveSwap {
    /// The file's absolute path, as `/proc/swaps` shows it.
    pub path: String,
    pub inode: InodeId,
    pub priority: i32,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockDevices {
    loops: [Option<LoopDevice>; LOOP_DEVICES],
    images: BTreeMap<InodeId, ExtImage>,
    swap_areas: BTreeMap<InodeId, SwapArea>,
    active_swaps: Vec<ActiveSwap>,
}

impl BlockDevices {
    /// Loop device `n`, if attached.
    pub fn loop_device(&self, n: usize) -> Option<&LoopDevice> {
        self.loops.get(n)?.as_ref()
    }
    /// The attached loop devices, by number.
    pub fn attached(&self) -> impl Iterator<Item = (usize, &LoopDevice)> {
        self.loops.iter().enumerate().filter_map(|(n, l)| Some((n, l.as_ref()?)))
    }
    /// The first loop device not attached (`losetup -f`).
    pub fn first_free(&self) -> Option<usize> {
        self.loops.iter().position(Option::is_none)
    }
    pub fn attach(&mut self, n: usize, device: LoopDevice) {
        if let Some(slot) = self.loops.get_mut(n) {
            *slot = Some(device);
        }
    }
    /// Loop device `n` goes with its last mount (`losetup -d` of a device in use).
    pub fn set_autoclear(&mut self, n: usize) {
        if let Some(Some(l)) = self.loops.get_mut(n) {
            l.autoclear = true;
        }
    }
    /// Detaches loop device `n`; false when it was not attached.
    pub fn detach(&mut self, n: usize) -> bool {
        self.loops.get_mut(n).and_then(Option::take).is_some()
    }
    /// The file system written into the file `inode`, if any.
    pub fn image(&self, inode: InodeId) -> Option<&ExtImage> {
        self.images.get(&inode)
    }
    /// The file system whose root directory is `root`.
    pub fn image_by_root(&self, root: InodeId) -> Option<&ExtImage> {
        self.images.values().find(|i| i.root == root)
    }
    pub fn set_image(&mut self, inode: InodeId, image: ExtImage) {
        self.images.insert(inode, image);
    }
    /// The file `inode` no longer holds a file system (rewritten, truncated).
    pub fn forget_image(&mut self, inode: InodeId) {
        self.images.remove(&inode);
    }
    pub fn image_mut(&mut self, inode: InodeId) -> Option<&mut ExtImage> {
        self.images.get_mut(&inode)
    }
    /// The file (inode) whose file system has the root `root`.
    pub fn image_file_by_root(&self, root: InodeId) -> Option<InodeId> {
        self.images.iter().find(|(_, i)| i.root == root).map(|(f, _)| *f)
    }
    /// The swap area written into the file `inode`, if any.
    pub fn swap_area(&self, inode: InodeId) -> Option<&SwapArea> {
        self.swap_areas.get(&inode)
    }
    pub fn set_swap_area(&mut self, inode: InodeId, area: SwapArea) {
        self.swap_areas.insert(inode, area);
    }
    pub fn forget_swap_area(&mut self, inode: InodeId) {
        self.swap_areas.remove(&inode);
    }
    /// The swap areas in use, in the order they were turned on.
    pub fn active_swaps(&self) -> &[ActiveSwap] {
        &self.active_swaps
    }
    /// Turns the swap area in `inode` on: the kernel gives each a lower priority, from -2.
    pub fn swap_on(&mut self, path: &str, inode: InodeId) {
        let priority = -2 - self.active_swaps.len() as i32;
        self.active_swaps.push(ActiveSwap { path: path.to_string(), inode, priority });
    }
    /// Turns the swap area in `inode` off; false when it was not on.
    pub fn swap_off(&mut self, inode: InodeId) -> bool {
        let before = self.active_swaps.len();
        self.active_swaps.retain(|s| s.inode != inode);
        before != self.active_swaps.len()
    }
    /// Every inode the file systems keep alive: their trees, and the files they are in (a
    /// file removed keeps its number, which a new file must not take over with its file
    /// system).
    pub fn roots(&self) -> impl Iterator<Item = InodeId> + '_ {
        let files = self.loops.iter().flatten().map(|l| l.inode).chain(self.active_swaps.iter().map(|s| s.inode));
        let formatted = self.images.keys().chain(self.swap_areas.keys()).copied();
        self.images.values().map(|i| i.root).chain(files).chain(formatted)
    }
}

/// `/dev/loopN` → N.
pub fn loop_number(device: &str) -> Option<usize> {
    device.strip_prefix("/dev/loop")?.parse().ok().filter(|n| *n < LOOP_DEVICES)
}
