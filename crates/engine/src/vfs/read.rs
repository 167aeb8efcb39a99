//! Reading through a namespace: stat (with the file-system type a location is on), directory
//! listings and file contents, generated files included.

use super::{may, Access, Ctx, FsType, Loc, Node, Ns, Stat};
use crate::fs::{Data, Errno, Kind};
use crate::world::{MountKind, World};

impl World {
    fn fs_type(&self, ns: &Ns, loc: &Loc) -> FsType {
        match (ns, loc.mount) {
            (Ns::Host, None) => FsType::Ext4,
            (Ns::Host, Some(m)) => match self.host_mounts().get(m).map(|h| h.fstype) {
                Some("tmpfs") => FsType::Tmpfs,
                _ => FsType::Ext4,
            },
            (Ns::Container(_), None) => FsType::Overlay,
            (Ns::Container(_), Some(m)) => match self.ns_mount(ns, m).map(|m| &m.kind) {
                None => FsType::Overlay,
                Some(MountKind::Tmpfs) => FsType::Tmpfs,
                Some(MountKind::Volume { name }) => {
                    if self.volumes().get(name).map(|v| v.tmpfs).unwrap_or(false) {
                        FsType::Tmpfs
                    } else {
                        FsType::Ext4
                    }
                }
                Some(MountKind::System(s)) => match s {
                    crate::world::SystemMount::Proc => FsType::Proc,
                    crate::world::SystemMount::Sys => FsType::Sysfs,
                    crate::world::SystemMount::Dev
                    | crate::world::SystemMount::Shm
                    | crate::world::SystemMount::Mqueue
                    | crate::world::SystemMount::DevPts => FsType::Tmpfs,
                    _ => FsType::Ext4,
                },
                Some(MountKind::Bind { .. } | MountKind::Disk { .. }) => FsType::Ext4,
            },
        }
    }

    /// overlayfs makes one whiteout per mount and hard-links it for every delete (its work dir
    /// holds one more link): a container's whiteouts count its upper dir's whiteouts, plus one.
    /// A whiteout unpacked from an image layer's archive stands alone.
    fn whiteout_links(&self, loc: &Loc) -> u32 {
        let Some(c) = self.container_of_layer_path(&loc.path) else { return 1 };
        let mut count = 1;
        self.fs().walk(c.upper, "", &mut |_, _, inode| {
            if matches!(inode.kind, Kind::Whiteout) {
                count += 1;
            }
        });
        count
    }

    pub fn stat_loc(&self, ns: &Ns, loc: &Loc) -> Stat {
        let id = loc.top();
        let inode = self.fs().get(id);
        let fs = self.fs_type(ns, loc);
        let ftype = inode.file_type();
        let mut nlink = match &inode.kind {
            Kind::Dir { .. } => 2 + self.fs().subdir_count(id) as u32,
            _ => 1 + inode.links,
        };
        if let Node::Merged(s) = &loc.node {
            if inode.is_dir() && s.len() > 1 {
                nlink = 1;
            }
        }
        if matches!(inode.kind, Kind::Whiteout) {
            nlink = self.whiteout_links(loc);
        }
        let (size, blocks) = match (&inode.kind, fs) {
            (Kind::Dir { entries, .. }, FsType::Tmpfs) => (40 + 20 * entries.len() as u64, 0),
            (Kind::Dir { .. }, FsType::Proc | FsType::Sysfs) => (0, 0),
            (Kind::Dir { .. }, _) => match self.image_dir_size(ns, loc) {
                Some(size) => (size, size / 1024),
                None => (4096, if inode.xattr_block { 8 } else { 4 }),
            },
            (Kind::File(d), _) => match (*ns == Ns::Host).then(|| self.generated_host_file(loc)).flatten() {
                Some(text) => (text.len() as u64, crate::fs::allocated_kib(text.len() as u64, &[])),
                None => (d.len(), crate::fs::allocated_kib(d.len(), &inode.holes)),
            },
            // ext4 keeps a target of up to 59 bytes in the inode; a longer one takes a block.
            (Kind::Symlink(t), FsType::Ext4) if t.len() >= 60 => (t.len() as u64, 4),
            (Kind::Symlink(t), _) => (t.len() as u64, 0),
            _ => (0, 0),
        };
        let rdev = match inode.kind {
            Kind::CharDev { major, minor } | Kind::BlockDev { major, minor } => (major, minor),
            _ => (0, 0),
        };
        let symlink = match &inode.kind {
            Kind::Symlink(t) => Some(t.clone()),
            _ => None,
        };
        let mode = match inode.kind {
            Kind::Whiteout => 0,
            _ => inode.mode,
        };
        Stat {
            ino: id,
            ftype,
            mode,
            uid: inode.uid,
            gid: inode.gid,
            size,
            mtime: inode.mtime,
            ctime: inode.ctime,
            btime: inode.btime,
            nlink,
            blocks,
            rdev,
            fs,
            symlink,
            attrs: inode.attrs,
        }
    }

    /// A directory in an ext4 file system `mkfs.ext4` made: a block of that file system (the
    /// root's `lost+found` is made with room for entries: 12 KiB, 16 KiB with 4 KiB blocks).
    fn image_dir_size(&self, ns: &Ns, loc: &Loc) -> Option<u64> {
        let root = self.ns_mount(ns, loc.mount?)?.root;
        let g = &self.block_devices().image_by_root(root)?.geometry;
        Some(if loc.rel == "/lost+found" { g.lost_found_size } else { u64::from(g.block_size) })
    }

    pub fn stat(&self, ctx: &Ctx, path: &str, follow: bool) -> Result<Stat, Errno> {
        let loc = self.resolve(ctx, path, follow)?;
        Ok(self.stat_loc(&ctx.ns, &loc))
    }

    /// Entries of a directory (without `.` and `..`), sorted by name.
    pub fn list(&self, ctx: &Ctx, dir: &Loc) -> Result<Vec<(String, Loc)>, Errno> {
        if !self.is_dir_node(&dir.node) {
            return Err(Errno::NotDir);
        }
        let st = self.fs().get(dir.top());
        if !may(st.uid, st.gid, st.mode, true, &ctx.cred, Access::Read) {
            return Err(Errno::Access);
        }
        let names: Vec<String> = match &dir.node {
            Node::Plain(i) => self.fs().get(*i).entries().map(|e| e.keys().cloned().collect()).unwrap_or_default(),
            Node::Merged(s) => self.merged_entries(s).into_iter().map(|(n, _)| n).collect(),
        };
        Ok(names.into_iter().filter_map(|n| self.child_loc(&ctx.ns, dir, &n).map(|l| (n, l))).collect())
    }

    pub fn read_loc(&self, ctx: &Ctx, loc: &Loc) -> Result<Data, Errno> {
        let inode = self.fs().get(loc.top());
        match &inode.kind {
            Kind::File(d) => {
                if !may(inode.uid, inode.gid, inode.mode, false, &ctx.cred, Access::Read) {
                    return Err(Errno::Access);
                }
                if let Some(text) = self.special_file(ctx, loc) {
                    return Ok(Data::from_bytes(text.as_bytes()));
                }
                Ok(d.clone())
            }
            // open(2) checks read permission before read(2) finds a directory.
            Kind::Dir { .. } if !may(inode.uid, inode.gid, inode.mode, true, &ctx.cred, Access::Read) => Err(Errno::Access),
            Kind::Dir { .. } => Err(Errno::IsDir),
            Kind::CharDev { major: 1, minor: 3 } => Ok(Data::empty()),
            Kind::CharDev { major: 1, minor: 5 } => Ok(Data::Opaque(1 << 20)),
            _ => Err(Errno::Invalid),
        }
    }

    /// A file's holes (none for a path that is not a file).
    pub fn file_holes(&self, ctx: &Ctx, path: &str) -> Vec<(u64, u64)> {
        self.resolve(ctx, path, true).map(|loc| self.fs().get(loc.top()).holes.clone()).unwrap_or_default()
    }

    pub fn read(&self, ctx: &Ctx, path: &str) -> Result<Data, Errno> {
        // The host's mount table, as its `mount` shows it (the host's /proc holds no files).
        if ctx.ns == Ns::Host {
            match crate::fs::normalize(&ctx.cwd, path).as_str() {
                "/proc/mounts" | "/proc/self/mounts" => return Ok(Data::from_bytes(crate::procfs::host_mounts(self).as_bytes())),
                "/proc/self/mountinfo" => return Ok(Data::from_bytes(crate::procfs::host_mountinfo(self).as_bytes())),
                "/proc/swaps" => return Ok(Data::from_bytes(crate::procfs::swaps(self).as_bytes())),
                _ => {}
            }
        }
        let loc = self.resolve(ctx, path, true)?;
        self.read_loc(ctx, &loc)
    }

    /// dockerd's files on the host whose content is kept as state rather than stored: a
    /// container's json-file log (its output) and configuration, and the image store's tags.
    fn generated_host_file(&self, loc: &Loc) -> Option<String> {
        let rest = loc.path.strip_prefix("/var/lib/docker/")?;
        if rest == "image/overlay2/repositories.json" {
            return Some(crate::procfs::repositories_json(self));
        }
        let (id, file) = rest.strip_prefix("containers/")?.split_once('/')?;
        let c = self.containers().iter().find(|c| c.id.as_str() == id)?;
        if file.strip_suffix("-json.log") == Some(id) {
            return Some(crate::procfs::json_log(c));
        }
        self.container_file(c, file)
    }

    /// Generated files (`/proc/mounts`, a container's log on the host).
    fn special_file(&self, ctx: &Ctx, loc: &Loc) -> Option<String> {
        if ctx.ns == Ns::Host {
            return self.generated_host_file(loc);
        }
        let c = self.ns_container(&ctx.ns)?;
        let proc = c.mounts.get(loc.mount?)?.kind == MountKind::System(crate::world::SystemMount::Proc);
        if !proc {
            return None;
        }
        match loc.rel.as_str() {
            "/mounts" | "/self/mounts" | "/1/mounts" => Some(crate::procfs::proc_mounts(self, c)),
            "/self/mountinfo" | "/1/mountinfo" => Some(crate::procfs::proc_mountinfo(self, c)),
            // The main process: its command line and environment, each string ended by a NUL.
            "/1/cmdline" => Some(c.main_argv().iter().map(|a| format!("{a}\0")).collect()),
            "/1/environ" => {
                // What the runtime adds: the host name, and root's home for a root process.
                let mut env = c.env.clone();
                if !env.iter().any(|e| e.starts_with("HOSTNAME=")) {
                    env.push(format!("HOSTNAME={}", c.hostname));
                }
                if c.user.is_empty() && !env.iter().any(|e| e.starts_with("HOME=")) {
                    env.push("HOME=/root".into());
                }
                Some(env.iter().map(|e| format!("{e}\0")).collect())
            }
            "/1/comm" => {
                let program = c.main_argv().into_iter().next().unwrap_or_default();
                Some(format!("{}\n", program.rsplit('/').next().unwrap_or(&program)))
            }
            "/self/status" => {
                let (comm, pid) = self.task().unwrap_or(("sh", 1));
                Some(crate::procfs::status(&crate::procfs::StatusOf { comm, pid, cred: &ctx.cred, umask: ctx.umask, running: true }))
            }
            "/1/status" => {
                let cred = c.main_cred.clone().unwrap_or_else(crate::world::Cred::root);
                let program = c.main_argv().into_iter().next().unwrap_or_default();
                let comm = program.rsplit('/').next().unwrap_or(&program);
                let running = self.task().is_some_and(|(_, pid)| pid == 1);
                Some(crate::procfs::status(&crate::procfs::StatusOf { comm, pid: 1, cred: &cred, umask: 0o022, running }))
            }
            _ => None,
        }
    }
}
