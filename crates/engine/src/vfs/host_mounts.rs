//! The host's mount table beyond its disk: what `sudo mount` adds and `umount` takes away.
//! A mount is entered by path resolution like a container's (vfs/resolve.rs); a container
//! that binds a directory gets the mounts under it too, as an rbind does.
//!
//! Architecture invariant: only root mounts; the program checks who asks and words the refusal.

use crate::blockdev::{ExtImage, ExtUsage};
use crate::events::Event;
use crate::fs::{InodeId, Kind};
use crate::world::{HostMount, Mount, MountKind, World};

/// A file system to mount on the host.
pub enum HostFs {
    /// A new, empty tmpfs named `name`, with the kernel's options already checked.
    Tmpfs { name: String, size: Option<u64>, mode: u32, uid: u32, gid: u32, shown: String },
    /// The directory at the host path `path` (its inode `root`), seen at a second place.
    Bind { path: String, root: InodeId },
    /// The ext file system in the file behind loop device `device`, whose root is `root`,
    /// mounted as `fstype` (ext2, ext3 or ext4).
    Disk { device: String, root: InodeId, fstype: &'static str },
}

impl World {
    /// Mounts `fs` on the host directory `target` (an absolute, resolved path), read-only if asked.
    pub fn mount_host(&mut self, target: &str, fs: HostFs, read_only: bool) {
        let secs = self.clock().secs();
        let (mount, source, fstype, bound) = match fs {
            HostFs::Tmpfs { name, size, mode, uid, gid, shown } => {
                let root = self.fs_mut().new_dir(uid, gid, mode, secs);
                let mount = Mount { target: target.to_string(), root, kind: MountKind::Tmpfs, read_only, limit: size, proc_opts: shown };
                (mount, name, "tmpfs", None)
            }
            HostFs::Disk { device, root, fstype } => {
                // Mounted read-write, a file system with a journal keeps its news there until unmounted.
                let journal = self.block_devices().image_by_root(root).is_some_and(|i| i.geometry.journal_blocks > 0);
                let counts = self.block_devices().image_by_root(root).map(|i| self.ext_usage(i));
                if let (Some(file), Some(u), false, true) = (self.block_devices().image_file_by_root(root), counts, read_only, journal) {
                    if let Some(image) = self.block_devices_mut().image_mut(file) {
                        image.needs_recovery = true;
                        image.superblock_counts = Some((u.inodes, u.blocks));
                    }
                }
                let kind = MountKind::Disk { device: device.clone() };
                let mount = Mount { target: target.to_string(), root, kind, read_only, limit: None, proc_opts: String::new() };
                (mount, device, fstype, None)
            }
            HostFs::Bind { path, root } => {
                // A bind of a path on another mount is that file system's, from that mount's root.
                let (source, fstype, limit, proc_opts, within) = match self.host_mount_at(&path) {
                    Some(i) => {
                        let on = &self.host_mounts()[i];
                        let inner = path.strip_prefix(&on.mount.target).unwrap_or("");
                        let base = on.bound.clone().unwrap_or_default();
                        let within = if inner.is_empty() && base.is_empty() { "/".to_string() } else { format!("{base}{inner}") };
                        (on.source.clone(), on.fstype, on.mount.limit, on.mount.proc_opts.clone(), within)
                    }
                    None => ("/dev/vda".to_string(), "ext4", None, String::new(), path.clone()),
                };
                let kind = MountKind::Bind { source: path };
                let mount = Mount { target: target.to_string(), root, kind, read_only, limit, proc_opts };
                (mount, source, fstype, Some(within))
            }
        };
        // The event names what was mounted: a bind by the path bound, the rest by their source.
        let what = match &mount.kind {
            MountKind::Bind { source: bound_path } => bound_path.clone(),
            _ => source.clone(),
        };
        self.emit(Event::HostMounted { target: target.to_string(), source: what, fstype: fstype.to_string() });
        self.host_mounts_mut().push(HostMount { mount, source, fstype, bound });
    }

    /// Changes mount `index` in place (`mount -o remount`): read-only or not, a tmpfs's new
    /// size and the options the kernel then shows.
    pub fn remount_host(&mut self, index: usize, read_only: Option<bool>, tmpfs: Option<(Option<u64>, String)>) {
        let Some(h) = self.host_mounts_mut().get_mut(index) else { return };
        if let Some(ro) = read_only {
            h.mount.read_only = ro;
        }
        if let Some((size, shown)) = tmpfs {
            // Only what the options name changes: a size given replaces the old one.
            if size.is_some() {
                h.mount.limit = size;
            }
            let mut kept: Vec<String> = h.mount.proc_opts.split(',').filter(|o| !o.is_empty()).map(str::to_string).collect();
            for new in shown.split(',').filter(|o| !o.is_empty()) {
                let key = new.split('=').next().unwrap_or(new);
                kept.retain(|o| o.split('=').next() != Some(key));
                kept.push(new.to_string());
            }
            kept.sort_by_key(|o| ["size", "nr_inodes", "mode", "uid", "gid"].iter().position(|k| o.starts_with(k)).unwrap_or(9));
            h.mount.proc_opts = kept.join(",");
        }
        let (target, fstype) = (h.mount.target.clone(), h.fstype.to_string());
        self.emit(Event::HostRemounted { target, fstype, read_only: self.host_mounts()[index].mount.read_only });
    }

    /// Takes mount `index` of the host's table away; what a tmpfs held is gone with it.
    pub fn umount_host(&mut self, index: usize) {
        if index < self.host_mounts().len() {
            let gone = self.host_mounts_mut().remove(index);
            // The last mount of a file system in a file writes its superblock: clean again.
            let still = self.host_mounts().iter().any(|h| h.mount.root == gone.mount.root);
            if let Some(file) = self.block_devices().image_file_by_root(gone.mount.root).filter(|_| !still) {
                if let Some(image) = self.block_devices_mut().image_mut(file) {
                    image.needs_recovery = false;
                    image.superblock_counts = None;
                }
            }
            self.emit(Event::HostUnmounted { target: gone.mount.target, fstype: gone.fstype.to_string() });
        }
    }

    /// What the ext file system `image` holds now: its inodes and blocks in use (mke2fs's
    /// own, a block per directory, and a file's blocks with those that map them).
    pub fn ext_usage(&self, image: &ExtImage) -> ExtUsage {
        let g = &image.geometry;
        let block = u64::from(g.block_size);
        let (mut used_kib, mut inodes, mut noncontiguous) = (g.df_used_kib, 11, 0);
        let mut seen = std::collections::BTreeSet::new();
        self.fs().walk(image.root, "", &mut |path, id, inode| {
            // lost+found is one of the 11, its blocks among mke2fs's.
            if path == "/lost+found" || !seen.insert(id) {
                return;
            }
            inodes += 1;
            used_kib += match &inode.kind {
                Kind::File(d) => {
                    let data = d.len().div_ceil(block);
                    let mapping = crate::blockdev::extfs::mapping_blocks(image.kind, data, block / 4);
                    noncontiguous += u64::from(mapping > 0 && image.kind != crate::blockdev::extfs::FsKind::Ext4);
                    (data + mapping) * block / 1024
                }
                Kind::Dir { .. } => block / 1024,
                Kind::Symlink(t) if t.len() >= 60 => block / 1024,
                _ => 0,
            };
        });
        let free_blocks = (g.df_total_kib - used_kib.min(g.df_total_kib)) / (block / 1024);
        ExtUsage { inodes, blocks: g.blocks - free_blocks, used_kib, noncontiguous }
    }

    /// A copy of a file holds a copy of the file system in it (`cp disk.raw copy.raw`).
    pub fn copy_file_system(&mut self, from: InodeId, to: InodeId) {
        let Some(image) = self.block_devices().image(from).cloned() else { return };
        let root = self.fs_mut().deep_copy(image.root);
        self.block_devices_mut().set_image(to, ExtImage { root, ..image });
    }

    /// The block device a container's volume mount is a file system of (`--opt device=…`): the
    /// volume's own option, when the mount's root is an image's.
    pub fn volume_device(&self, mount: &Mount) -> Option<String> {
        let MountKind::Volume { name } = &mount.kind else { return None };
        self.block_devices().image_by_root(mount.root)?;
        self.volumes().get(name)?.options.as_ref()?.get("device").cloned()
    }

    /// The newest host mount whose tree holds the absolute path `path`.
    pub fn host_mount_at(&self, path: &str) -> Option<usize> {
        let under = |target: &str| path == target || target == "/" || path.strip_prefix(target).is_some_and(|r| r.starts_with('/'));
        let mut best: Option<usize> = None;
        for (i, m) in self.host_mounts().iter().enumerate() {
            let deeper = best.is_none_or(|b| m.mount.target.len() >= self.host_mounts()[b].mount.target.len());
            if under(&m.mount.target) && deeper {
                best = Some(i);
            }
        }
        best
    }

    /// The host mounts strictly below `dir` (a bind of `dir` takes them along), oldest first.
    pub fn host_mounts_below(&self, dir: &str) -> Vec<usize> {
        let dir = dir.trim_end_matches('/');
        (0..self.host_mounts().len())
            .filter(|&i| self.host_mounts()[i].mount.target.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
            .collect()
    }
}
