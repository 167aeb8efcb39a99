//! The host's mount table beyond its disk: what `sudo mount` adds and `umount` takes away.
//! A mount is entered by path resolution like a container's (vfs/resolve.rs); a container
//! that binds a directory gets the mounts under it too, as an rbind does.
//!
//! Architecture invariant: only root mounts; the program checks who asks and words the refusal.

use crate::events::Event;
use crate::fs::InodeId;
use crate::world::{HostMount, Mount, MountKind, World};

/// A file system to mount on the host.
pub enum HostFs {
    /// A new, empty tmpfs named `name`, with the kernel's options already checked.
    Tmpfs { name: String, size: Option<u64>, mode: u32, uid: u32, gid: u32, shown: String },
    /// The directory at the host path `path` (its inode `root`), seen at a second place.
    Bind { path: String, root: InodeId },
    /// The ext4 file system in the file behind loop device `device`, whose root is `root`.
    Ext4 { device: String, root: InodeId },
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
            HostFs::Ext4 { device, root } => {
                let kind = MountKind::Disk { device: device.clone() };
                let mount = Mount { target: target.to_string(), root, kind, read_only, limit: None, proc_opts: String::new() };
                (mount, device, "ext4", None)
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
        // The event names what was mounted: a tmpfs by its name, a bind by the path bound.
        let what = match &mount.kind {
            MountKind::Bind { source } => source.clone(),
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
            self.emit(Event::HostUnmounted { target: gone.mount.target, fstype: gone.fstype.to_string() });
        }
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
