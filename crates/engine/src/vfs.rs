//! Path resolution and file operations through a mount namespace.
//!
//! The host sees one plain tree. A container sees an overlay root (its upper dir, its init
//! layer and the image layers, top down) with mounts on top. Writes into the overlay copy the
//! whole file up first; deletes of lower entries leave whiteouts; a directory created where a
//! whiteout stands is opaque — as overlayfs does it.

use crate::events::{DenyCause, Event, Place};
use crate::fs::{components, Data, Errno, FileType, InodeId, Kind};
use crate::world::{ContainerId, Cred, MountKind, World};

/// Which mount namespace an operation runs in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ns {
    Host,
    Container(ContainerId),
}

/// Who runs an operation, and where.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub ns: Ns,
    pub cred: Cred,
    pub cwd: String,
    pub umask: u32,
}

impl Ctx {
    /// Root at `/` in `ns`, umask 022: how the daemon and the views see a file system.
    pub fn root(ns: Ns) -> Ctx {
        Ctx { ns, cred: Cred::root(), cwd: "/".into(), umask: 0o022 }
    }
}

/// One layer's directory in a merged overlay directory: (position, inode); position 0 is the upper dir.
pub type Stack = Vec<(usize, InodeId)>;

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Plain(InodeId),
    /// Overlay: for a directory every layer that contributes, top first; otherwise one entry.
    Merged(Stack),
}

/// A resolved path.
#[derive(Clone, Debug, PartialEq)]
pub struct Loc {
    pub path: String,
    /// `None`: the namespace's root file system; `Some(i)`: mount `i` of the container.
    pub mount: Option<usize>,
    /// Path relative to the root of that file system.
    pub rel: String,
    pub node: Node,
}

impl Loc {
    pub fn top(&self) -> InodeId {
        match &self.node {
            Node::Plain(i) => *i,
            Node::Merged(s) => s[0].1,
        }
    }
    pub fn is_mount_root(&self) -> bool {
        self.mount.is_some() && self.rel == "/"
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsType {
    Ext4,
    Overlay,
    Tmpfs,
    Proc,
    Sysfs,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stat {
    pub ino: InodeId,
    pub ftype: FileType,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub mtime: i64,
    pub nlink: u32,
    /// 1 KiB blocks, as `ls -s` and `total` count them.
    pub blocks: u64,
    pub rdev: (u32, u32),
    pub fs: FsType,
    pub symlink: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    Exec,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    Truncate,
    Append,
}

/// The largest file content the simulator keeps byte by byte.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// The most file content the whole machine holds byte by byte.
pub const MAX_TOTAL_BYTES: u64 = 128 << 20;

pub fn may(stat_uid: u32, stat_gid: u32, mode: u32, is_dir: bool, cred: &Cred, want: Access) -> bool {
    let bit = match want {
        Access::Read => 4,
        Access::Write => 2,
        Access::Exec => 1,
    };
    if cred.uid == 0 {
        return want != Access::Exec || is_dir || mode & 0o111 != 0;
    }
    let bits = if cred.uid == stat_uid {
        (mode >> 6) & 7
    } else if cred.in_group(stat_gid) {
        (mode >> 3) & 7
    } else {
        mode & 7
    };
    bits & bit != 0
}

struct RootFs {
    /// Overlay layers top-down (upper first), or a single plain root.
    layers: Vec<InodeId>,
    overlay: bool,
}

impl World {
    /// The container whose namespace `ns` is (none for the host's, or one since removed).
    pub(crate) fn ns_container(&self, ns: &Ns) -> Option<&crate::world::Container> {
        match ns {
            Ns::Container(id) => self.container(id),
            Ns::Host => None,
        }
    }

    /// Mount `m` of the container whose namespace `ns` is.
    fn ns_mount(&self, ns: &Ns, m: usize) -> Option<&crate::world::Mount> {
        self.ns_container(ns)?.mounts.get(m)
    }

    fn root_fs(&self, ns: &Ns) -> RootFs {
        match ns {
            Ns::Host => RootFs { layers: vec![self.host_root], overlay: false },
            Ns::Container(id) => {
                let Some(c) = self.container(id) else { return RootFs { layers: vec![self.host_root], overlay: false } };
                let mut layers = vec![c.upper, c.init];
                if let Some(img) = self.images.iter().find(|im| im.id == c.image_id) {
                    layers.extend(img.layers.iter().rev().map(|l| self.layers[*l].root));
                }
                RootFs { layers, overlay: true }
            }
        }
    }

    fn root_loc(&self, ns: &Ns) -> Loc {
        let root = self.root_fs(ns);
        let node = if root.overlay {
            Node::Merged(root.layers.iter().enumerate().map(|(p, i)| (p, *i)).collect())
        } else {
            Node::Plain(root.layers[0])
        };
        let loc = Loc { path: "/".into(), mount: None, rel: "/".into(), node };
        self.enter_mount(ns, loc)
    }

    /// If a mount sits on `loc.path`, the mount's root replaces it (the last mount wins).
    fn enter_mount(&self, ns: &Ns, loc: Loc) -> Loc {
        if let Some(c) = self.ns_container(ns) {
            if let Some((mi, m)) = c.mounts.iter().enumerate().rev().find(|(_, m)| m.target == loc.path) {
                return Loc { path: loc.path, mount: Some(mi), rel: "/".into(), node: Node::Plain(m.root) };
            }
        }
        loc
    }

    pub fn is_dir_node(&self, node: &Node) -> bool {
        match node {
            Node::Plain(i) => self.fs.get(*i).is_dir(),
            Node::Merged(s) => self.fs.get(s[0].1).is_dir(),
        }
    }

    fn dir_is_opaque(&self, dir: InodeId) -> bool {
        matches!(self.fs.get(dir).kind, Kind::Dir { opaque: true, .. })
    }

    /// The child `name` of a merged directory.
    pub fn merged_child(&self, stack: &Stack, name: &str) -> Option<Stack> {
        let mut out: Stack = Vec::new();
        for &(pos, dir) in stack {
            if let Some(c) = self.fs.lookup(dir, name) {
                let inode = self.fs.get(c);
                match inode.kind {
                    Kind::Whiteout => break,
                    Kind::Dir { opaque, .. } => {
                        out.push((pos, c));
                        if opaque {
                            break;
                        }
                    }
                    _ => {
                        if out.is_empty() {
                            out.push((pos, c));
                        }
                        break;
                    }
                }
            }
            if self.dir_is_opaque(dir) {
                break;
            }
        }
        if out.is_empty() {
            None
        } else {
            Some(out)
        }
    }

    /// Whether a lower layer (an image layer or the init layer) has `name` under the merged
    /// directory `parent`, whatever the upper layer holds: removing or renaming it away then
    /// needs a whiteout, or the lower file shows through again.
    fn lower_has(&self, parent: &Loc, name: &str) -> bool {
        match &parent.node {
            Node::Merged(stack) => {
                let lower: Stack = stack.iter().filter(|(pos, _)| *pos != 0).cloned().collect();
                self.merged_child(&lower, name).is_some()
            }
            Node::Plain(_) => false,
        }
    }

    /// The names of a merged directory, sorted, with the child stacks.
    pub fn merged_entries(&self, stack: &Stack) -> Vec<(String, Stack)> {
        let mut names: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for &(_, dir) in stack {
            if let Some(e) = self.fs.get(dir).entries() {
                names.extend(e.keys().cloned());
            }
            if self.dir_is_opaque(dir) {
                break;
            }
        }
        names.into_iter().filter_map(|n| self.merged_child(stack, &n).map(|s| (n, s))).collect()
    }

    fn child_loc(&self, ns: &Ns, parent: &Loc, name: &str) -> Option<Loc> {
        let path = if parent.path == "/" { format!("/{name}") } else { format!("{}/{name}", parent.path) };
        let rel = if parent.rel == "/" { format!("/{name}") } else { format!("{}/{name}", parent.rel) };
        let node = match &parent.node {
            Node::Plain(dir) => {
                // On the host a whiteout is just a character device: no merging here.
                Node::Plain(self.fs.lookup(*dir, name)?)
            }
            Node::Merged(stack) => Node::Merged(self.merged_child(stack, name)?),
        };
        Some(self.enter_mount(ns, Loc { path, mount: parent.mount, rel, node }))
    }

    /// Resolves `path` (relative to `ctx.cwd`) component by component, following symlinks
    /// (the last one only when `follow`), checking search permission on every directory.
    /// A trailing slash asks for a directory (following a final symlink to one): a file there
    /// is ENOTDIR, as in the kernel's path walk.
    pub fn resolve(&self, ctx: &Ctx, path: &str, follow: bool) -> Result<Loc, Errno> {
        if path.len() > 1 && path.ends_with('/') {
            let loc = self.resolve_components(ctx, path, true)?;
            return if self.is_dir_node(&loc.node) { Ok(loc) } else { Err(Errno::NotDir) };
        }
        self.resolve_components(ctx, path, follow)
    }

    fn resolve_components(&self, ctx: &Ctx, path: &str, follow: bool) -> Result<Loc, Errno> {
        if path.is_empty() {
            return Err(Errno::NoEnt);
        }
        if path.len() > 4096 {
            return Err(Errno::NameTooLong);
        }
        let full = if path.starts_with('/') { path.to_string() } else { format!("{}/{}", ctx.cwd, path) };
        let mut todo: Vec<String> = components(&full).rev().map(str::to_string).collect();
        let mut stack: Vec<Loc> = vec![self.root_loc(&ctx.ns)];
        let mut links = 0;
        while let Some(name) = todo.pop() {
            let cur = stack.last().cloned().ok_or(Errno::NoEnt)?;
            if name.len() > 255 {
                return Err(Errno::NameTooLong);
            }
            if !self.is_dir_node(&cur.node) {
                return Err(Errno::NotDir);
            }
            // Search permission needs only owner and mode: no full stat (link counts walk the directory).
            let dir = self.fs.get(cur.top());
            if !may(dir.uid, dir.gid, dir.mode, true, &ctx.cred, Access::Exec) {
                return Err(Errno::Access);
            }
            match name.as_str() {
                "." => continue,
                ".." => {
                    if stack.len() > 1 {
                        stack.pop();
                    }
                    continue;
                }
                _ => {}
            }
            let child = self.child_loc(&ctx.ns, &cur, &name).ok_or(Errno::NoEnt)?;
            let is_last = todo.is_empty();
            if let Kind::Symlink(target) = &self.fs.get(child.top()).kind {
                if !is_last || follow {
                    links += 1;
                    if links > 40 {
                        return Err(Errno::Loop);
                    }
                    if target.starts_with('/') {
                        stack.truncate(1);
                    }
                    todo.extend(components(target).rev().map(str::to_string));
                    continue;
                }
            }
            stack.push(child);
        }
        stack.pop().ok_or(Errno::NoEnt)
    }

    /// Resolves the parent of `path` and returns it with the last name (which may not exist).
    pub fn resolve_parent(&self, ctx: &Ctx, path: &str) -> Result<(Loc, String), Errno> {
        let trimmed = path.trim_end_matches('/');
        let (dir, name) = match trimmed.rsplit_once('/') {
            Some(("", name)) => ("/", name),
            Some((dir, name)) => (dir, name),
            None => (".", trimmed),
        };
        if name.is_empty() {
            // The root itself.
            return Err(Errno::Busy);
        }
        let parent = self.resolve(ctx, dir, true)?;
        if !self.is_dir_node(&parent.node) {
            return Err(Errno::NotDir);
        }
        Ok((parent, name.to_string()))
    }

    pub fn lookup_child(&self, ctx: &Ctx, parent: &Loc, name: &str) -> Option<Loc> {
        if name == "." {
            return Some(parent.clone());
        }
        self.child_loc(&ctx.ns, parent, name)
    }

    fn fs_type(&self, ns: &Ns, loc: &Loc) -> FsType {
        match (ns, loc.mount) {
            (Ns::Host, _) => FsType::Ext4,
            (Ns::Container(_), None) => FsType::Overlay,
            (Ns::Container(_), Some(m)) => match self.ns_mount(ns, m).map(|m| &m.kind) {
                None => FsType::Overlay,
                Some(MountKind::Tmpfs) => FsType::Tmpfs,
                Some(MountKind::Volume { name }) => {
                    if self.volumes.get(name).map(|v| v.tmpfs).unwrap_or(false) {
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
                Some(MountKind::Bind { .. }) => FsType::Ext4,
            },
        }
    }

    pub fn stat_loc(&self, ns: &Ns, loc: &Loc) -> Stat {
        let id = loc.top();
        let inode = self.fs.get(id);
        let fs = self.fs_type(ns, loc);
        let ftype = inode.file_type();
        let mut nlink = match &inode.kind {
            Kind::Dir { .. } => 2 + self.fs.subdir_count(id) as u32,
            _ => 1,
        };
        if let Node::Merged(s) = &loc.node {
            if inode.is_dir() && s.len() > 1 {
                nlink = 1;
            }
        }
        if matches!(inode.kind, Kind::Whiteout) {
            nlink = 3;
        }
        let (size, blocks) = match (&inode.kind, fs) {
            (Kind::Dir { entries, .. }, FsType::Tmpfs) => (40 + 20 * entries.len() as u64, 0),
            (Kind::Dir { .. }, FsType::Proc | FsType::Sysfs) => (0, 0),
            (Kind::Dir { .. }, _) => (4096, if inode.xattr_block { 8 } else { 4 }),
            (Kind::File(d), _) => (d.len(), d.len().div_ceil(4096) * 4),
            (Kind::Symlink(t), _) => (t.len() as u64, 0),
            _ => (0, 0),
        };
        let rdev = match inode.kind {
            Kind::CharDev { major, minor } => (major, minor),
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
        Stat { ino: id, ftype, mode, uid: inode.uid, gid: inode.gid, size, mtime: inode.mtime, nlink, blocks, rdev, fs, symlink }
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
        let st = self.fs.get(dir.top());
        if !may(st.uid, st.gid, st.mode, true, &ctx.cred, Access::Read) {
            return Err(Errno::Access);
        }
        let names: Vec<String> = match &dir.node {
            Node::Plain(i) => self.fs.get(*i).entries().map(|e| e.keys().cloned().collect()).unwrap_or_default(),
            Node::Merged(s) => self.merged_entries(s).into_iter().map(|(n, _)| n).collect(),
        };
        Ok(names.into_iter().filter_map(|n| self.child_loc(&ctx.ns, dir, &n).map(|l| (n, l))).collect())
    }

    pub fn read_loc(&self, ctx: &Ctx, loc: &Loc) -> Result<Data, Errno> {
        let inode = self.fs.get(loc.top());
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
            Kind::Dir { .. } => Err(Errno::IsDir),
            Kind::CharDev { major: 1, minor: 3 } => Ok(Data::empty()),
            Kind::CharDev { major: 1, minor: 5 } => Ok(Data::Opaque(1 << 20)),
            _ => Err(Errno::Invalid),
        }
    }

    pub fn read(&self, ctx: &Ctx, path: &str) -> Result<Data, Errno> {
        let loc = self.resolve(ctx, path, true)?;
        self.read_loc(ctx, &loc)
    }

    /// Generated files (`/proc/mounts`).
    fn special_file(&self, ctx: &Ctx, loc: &Loc) -> Option<String> {
        let c = self.ns_container(&ctx.ns)?;
        let proc = c.mounts.get(loc.mount?)?.kind == MountKind::System(crate::world::SystemMount::Proc);
        (proc && (loc.rel == "/mounts" || loc.rel == "/self/mounts")).then(|| crate::procfs::proc_mounts(self, c))
    }

    // ------------------------------------------------------------------ writes

    fn place_of(&self, ctx: &Ctx, loc_mount: Option<usize>) -> Place {
        match (&ctx.ns, loc_mount) {
            (Ns::Host, _) => Place::Host,
            (Ns::Container(_), None) => Place::WritableLayer { container: self.container_name(&ctx.ns) },
            (Ns::Container(_), Some(m)) => match self.ns_mount(&ctx.ns, m) {
                Some(mount) => match &mount.kind {
                    MountKind::Volume { name } => Place::Volume { name: name.clone() },
                    MountKind::Bind { source } => Place::Bind { host_path: source.clone() },
                    _ => Place::Tmpfs { container: self.container_name(&ctx.ns), target: mount.target.clone() },
                },
                None => Place::WritableLayer { container: self.container_name(&ctx.ns) },
            },
        }
    }

    /// Fails with EROFS when the file system at `loc_mount` is read-only.
    fn check_writable_fs(&mut self, ctx: &Ctx, loc_mount: Option<usize>, path: &str) -> Result<(), Errno> {
        let ro = match (&ctx.ns, loc_mount) {
            (Ns::Host, _) => false,
            (Ns::Container(_), None) => self.ns_container(&ctx.ns).is_some_and(|c| c.host.readonly_rootfs),
            (Ns::Container(_), Some(m)) => self.ns_mount(&ctx.ns, m).is_some_and(|mount| {
                mount.read_only || matches!(mount.kind, MountKind::System(crate::world::SystemMount::Proc | crate::world::SystemMount::Sys))
            }),
        };
        if ro {
            let mount = match (&ctx.ns, loc_mount) {
                (Ns::Container(_), Some(m)) => self.ns_mount(&ctx.ns, m).map_or_else(|| "/".into(), |mount| mount.target.clone()),
                _ => "/".into(),
            };
            let place = self.place_of(ctx, loc_mount);
            self.emit(Event::WriteDenied { place, path: path.to_string(), cause: DenyCause::ReadOnly { mount } });
            return Err(Errno::ReadOnly);
        }
        Ok(())
    }

    fn deny_permission(&mut self, ctx: &Ctx, loc: &Loc, path: &str) -> Errno {
        let inode = self.fs.get(loc.top());
        let cause =
            DenyCause::Permission { uid: ctx.cred.uid, gid: ctx.cred.gid, owner_uid: inode.uid, owner_gid: inode.gid, mode: inode.mode };
        let place = self.place_of(ctx, loc.mount);
        self.emit(Event::WriteDenied { place, path: path.to_string(), cause });
        Errno::Access
    }

    /// Checks that `ctx` may create or delete entries in the directory `dir`.
    fn check_dir_writable(&mut self, ctx: &Ctx, dir: &Loc, path: &str) -> Result<(), Errno> {
        self.check_writable_fs(ctx, dir.mount, path)?;
        let st = self.fs.get(dir.top());
        if !may(st.uid, st.gid, st.mode, true, &ctx.cred, Access::Write) {
            return Err(self.deny_permission(ctx, dir, path));
        }
        Ok(())
    }

    fn container_name(&self, ns: &Ns) -> String {
        self.ns_container(ns).map(|c| c.name.clone()).unwrap_or_default()
    }

    /// Image layer number (1 = bottom) of an overlay position (0 = upper, 1 = init).
    fn layer_number(&self, ns: &Ns, pos: usize) -> usize {
        match self.ns_container(ns) {
            Some(c) => {
                let n = self.images.iter().find(|im| im.id == c.image_id).map(|im| im.layers.len()).unwrap_or(0);
                (n + 2).saturating_sub(pos)
            }
            None => 0,
        }
    }

    /// Makes sure `rel` (a path in the container's overlay) exists in the upper dir, copying
    /// it and its parents up. Returns the upper inode.
    pub fn copy_up(&mut self, ctx: &Ctx, rel: &str) -> Result<InodeId, Errno> {
        let Some(mut upper_dir) = self.ns_container(&ctx.ns).map(|c| c.upper) else { return Err(Errno::Invalid) };
        let root = self.root_fs(&ctx.ns);
        let mut stack: Stack = root.layers.iter().enumerate().map(|(p, i)| (p, *i)).collect();
        let mut path = String::new();
        let parts: Vec<&str> = components(rel).collect();
        for (idx, name) in parts.iter().enumerate() {
            path.push('/');
            path.push_str(name);
            let child = self.merged_child(&stack, name).ok_or(Errno::NoEnt)?;
            let existing = self.fs.lookup(upper_dir, name).filter(|u| child[0].0 == 0 && !matches!(self.fs.get(*u).kind, Kind::Whiteout));
            let upper_child = match existing {
                Some(u) => u,
                None => {
                    let (pos, lower) = child[0];
                    let src = self.fs.get(lower).clone();
                    let kind = match &src.kind {
                        Kind::Dir { .. } => Kind::Dir { entries: Default::default(), opaque: false },
                        k => k.clone(),
                    };
                    let is_file = matches!(kind, Kind::File(_));
                    let bytes = src.size();
                    let id = self.fs.alloc(crate::fs::Inode { kind, copied_up: src.is_dir(), xattr_block: false, ..src });
                    self.fs.link(upper_dir, name, id);
                    // The parent now holds a copied-up entry: overlayfs marks it "impure".
                    self.mark_impure(&[upper_dir]);
                    if is_file || idx + 1 == parts.len() && !self.fs.get(id).is_dir() {
                        let layer = self.layer_number(&ctx.ns, pos);
                        let container = self.container_name(&ctx.ns);
                        self.emit(Event::CopyUp { container, path: path.clone(), layer, bytes });
                    }
                    id
                }
            };
            let mut next_stack = child;
            if next_stack[0].0 != 0 {
                next_stack.insert(0, (0, upper_child));
            }
            stack = next_stack;
            upper_dir = upper_child;
        }
        Ok(upper_dir)
    }

    /// Copied-up directories that now hold copied-up entries or whiteouts carry extra
    /// overlayfs attributes (they then take one more block).
    fn mark_impure(&mut self, chain: &[InodeId]) {
        for id in chain {
            let inode = self.fs.get_mut(*id);
            if inode.copied_up {
                inode.xattr_block = true;
            }
        }
    }

    /// The writable directory inode behind `dir` (copying it up in an overlay).
    fn writable_dir(&mut self, ctx: &Ctx, dir: &Loc) -> Result<InodeId, Errno> {
        match &dir.node {
            Node::Plain(i) => Ok(*i),
            Node::Merged(_) => self.copy_up(ctx, &dir.rel),
        }
    }

    /// Bytes used in the tmpfs-like mount `m` (in 4 KiB pages) and its limit.
    fn space_left(&self, ctx: &Ctx, mount: Option<usize>) -> Option<u64> {
        if let Some(mnt) = mount.and_then(|m| self.ns_mount(&ctx.ns, m)) {
            if let Some(limit) = mnt.limit {
                let mut used = 0;
                self.fs.walk(mnt.root, "", &mut |_, _, inode| {
                    if let Kind::File(d) = &inode.kind {
                        used += d.len().div_ceil(4096) * 4096;
                    }
                });
                return Some(limit.saturating_sub(used));
            }
        }
        None
    }

    fn check_total(&self, adding: u64) -> Result<(), Errno> {
        if adding > MAX_FILE_BYTES || self.fs.data_bytes + adding > MAX_TOTAL_BYTES {
            return Err(Errno::TooBig);
        }
        Ok(())
    }

    /// Creates or opens `path` for writing and stores `data` (truncating or appending).
    /// Returns how many bytes were written; a full tmpfs writes what fits and fails with ENOSPC.
    pub fn write_file(&mut self, ctx: &Ctx, path: &str, data: &Data, mode: WriteMode) -> Result<u64, Errno> {
        let (parent, name) = self.resolve_parent(ctx, path)?;
        let existing = self.lookup_child(ctx, &parent, &name);
        let existing = match existing {
            Some(l) if matches!(self.fs.get(l.top()).kind, Kind::Symlink(_)) => Some(self.resolve(ctx, path, true)?),
            other => other,
        };
        match existing {
            Some(loc) => {
                let inode = self.fs.get(loc.top()).clone();
                if inode.is_dir() {
                    return Err(Errno::IsDir);
                }
                self.check_writable_fs(ctx, loc.mount, path)?;
                if !may(inode.uid, inode.gid, inode.mode, false, &ctx.cred, Access::Write) {
                    return Err(self.deny_permission(ctx, &loc, path));
                }
                if let Kind::CharDev { .. } = inode.kind {
                    return Ok(data.len());
                }
                let old = match &inode.kind {
                    Kind::File(d) => d.clone(),
                    _ => return Err(Errno::Invalid),
                };
                let (new_data, written, full) = self.fit(ctx, loc.mount, &old, data, mode)?;
                let target = match &loc.node {
                    Node::Plain(i) => *i,
                    Node::Merged(s) if s[0].0 == 0 => s[0].1,
                    Node::Merged(_) => self.copy_up(ctx, &loc.rel)?,
                };
                self.fs.set_data(target, new_data);
                self.fs.get_mut(target).mtime = self.clock.secs();
                let place = self.place_of(ctx, loc.mount);
                self.emit(Event::FileWritten { place, path: loc.path.clone(), bytes: written });
                if full {
                    return Err(self.deny_no_space(ctx, loc.mount, &loc.path));
                }
                Ok(written)
            }
            None => {
                self.check_dir_writable(ctx, &parent, path)?;
                let (new_data, written, full) = self.fit(ctx, parent.mount, &Data::empty(), data, WriteMode::Truncate)?;
                let dir = self.writable_dir(ctx, &parent)?;
                self.create_node(ctx, dir, &name, Kind::File(new_data), 0o666 & !ctx.umask);
                let place = self.place_of(ctx, parent.mount);
                let full_path = if parent.path == "/" { format!("/{name}") } else { format!("{}/{name}", parent.path) };
                self.emit(Event::FileWritten { place, path: full_path.clone(), bytes: written });
                if full {
                    return Err(self.deny_no_space(ctx, parent.mount, &full_path));
                }
                Ok(written)
            }
        }
    }

    /// A size-limited mount is full: the rest of the write is refused.
    fn deny_no_space(&mut self, ctx: &Ctx, mount: Option<usize>, path: &str) -> Errno {
        if let Some(mnt) = mount.and_then(|m| self.ns_mount(&ctx.ns, m)) {
            let cause = DenyCause::NoSpace { mount: mnt.target.clone(), limit: mnt.limit.unwrap_or(0) };
            let place = self.place_of(ctx, mount);
            self.emit(Event::WriteDenied { place, path: path.to_string(), cause });
        }
        Errno::NoSpace
    }

    /// Computes new content after a write, honouring the mount's size limit.
    fn fit(&self, ctx: &Ctx, mount: Option<usize>, old: &Data, data: &Data, mode: WriteMode) -> Result<(Data, u64, bool), Errno> {
        let base = if mode == WriteMode::Append { old.len() } else { 0 };
        let mut add = data.len();
        let mut full = false;
        if let Some(left) = self.space_left(ctx, mount) {
            let old_pages = if mode == WriteMode::Append { old.len().div_ceil(4096) * 4096 } else { 0 };
            let room = (left + old_pages).saturating_sub(base);
            if add > room {
                add = room;
                full = true;
            }
        }
        let total = base + add;
        let all_opaque = matches!(data, Data::Opaque(_)) && (base == 0 || matches!(old, Data::Opaque(_)));
        let new_data = if all_opaque {
            Data::Opaque(total)
        } else {
            self.check_total(total)?;
            let mut bytes = if mode == WriteMode::Append { old.to_vec() } else { Vec::new() };
            let mut add_bytes = data.to_vec();
            add_bytes.truncate(add as usize);
            bytes.extend_from_slice(&add_bytes);
            Data::from_bytes(&bytes)
        };
        Ok((new_data, add, full))
    }

    /// Links a new node into a writable directory, replacing a whiteout (a new directory over
    /// a whiteout becomes opaque).
    fn create_node(&mut self, ctx: &Ctx, dir: InodeId, name: &str, kind: Kind, mode: u32) -> InodeId {
        let now = self.clock.secs();
        let parent = self.fs.get(dir);
        // A setgid directory gives its group to what is created in it, and its setgid bit to
        // new directories.
        let setgid = parent.mode & 0o2000 != 0;
        let gid = if setgid { parent.gid } else { ctx.cred.gid };
        let mode = if setgid && matches!(kind, Kind::Dir { .. }) { mode | 0o2000 } else { mode };
        let over_whiteout = self.fs.lookup(dir, name).map(|c| matches!(self.fs.get(c).kind, Kind::Whiteout)).unwrap_or(false);
        let mut kind = kind;
        if over_whiteout {
            if let Kind::Dir { opaque, .. } = &mut kind {
                *opaque = true;
            }
        }
        let id = self.fs.new_node(kind, ctx.cred.uid, gid, mode, now);
        self.fs.link(dir, name, id);
        self.fs.get_mut(dir).mtime = now;
        id
    }

    pub fn mkdir(&mut self, ctx: &Ctx, path: &str, mode: u32) -> Result<(), Errno> {
        let (parent, name) = self.resolve_parent(ctx, path)?;
        if self.lookup_child(ctx, &parent, &name).is_some() {
            return Err(Errno::Exists);
        }
        self.check_dir_writable(ctx, &parent, path)?;
        let dir = self.writable_dir(ctx, &parent)?;
        let id = self.create_node(ctx, dir, &name, Kind::Dir { entries: Default::default(), opaque: false }, mode & !ctx.umask);
        if matches!(self.fs.get(id).kind, Kind::Dir { opaque: true, .. }) {
            let container = self.container_name(&ctx.ns);
            let p = if parent.path == "/" { format!("/{name}") } else { format!("{}/{name}", parent.path) };
            self.emit(Event::OpaqueDir { container, path: p });
        }
        Ok(())
    }

    pub fn symlink(&mut self, ctx: &Ctx, target: &str, path: &str) -> Result<(), Errno> {
        let (parent, name) = self.resolve_parent(ctx, path)?;
        if self.lookup_child(ctx, &parent, &name).is_some() {
            return Err(Errno::Exists);
        }
        self.check_dir_writable(ctx, &parent, path)?;
        let dir = self.writable_dir(ctx, &parent)?;
        self.create_node(ctx, dir, &name, Kind::Symlink(target.to_string()), 0o777);
        Ok(())
    }

    /// Removes a non-directory (`dir == false`) or an empty directory (`dir == true`).
    pub fn remove(&mut self, ctx: &Ctx, path: &str, dir: bool) -> Result<(), Errno> {
        let (parent, name) = self.resolve_parent(ctx, path)?;
        let loc = self.lookup_child(ctx, &parent, &name).ok_or(Errno::NoEnt)?;
        let is_dir = self.is_dir_node(&loc.node) && !matches!(self.fs.get(loc.top()).kind, Kind::Symlink(_));
        if dir && !is_dir {
            return Err(Errno::NotDir);
        }
        if !dir && is_dir {
            return Err(Errno::IsDir);
        }
        if loc.is_mount_root() || (parent.mount != loc.mount) {
            return Err(Errno::Busy);
        }
        self.check_dir_writable(ctx, &parent, path)?;
        let pst = self.stat_loc(&ctx.ns, &parent);
        if pst.mode & 0o1000 != 0 && ctx.cred.uid != 0 {
            let st = self.stat_loc(&ctx.ns, &loc);
            if st.uid != ctx.cred.uid && pst.uid != ctx.cred.uid {
                return Err(Errno::Perm);
            }
        }
        if dir {
            let entries = self.list(&Ctx { cred: Cred::root(), ..ctx.clone() }, &loc)?;
            if !entries.is_empty() {
                return Err(Errno::NotEmpty);
            }
        }
        let place = self.place_of(ctx, loc.mount);
        match &loc.node {
            Node::Plain(_) => {
                let pdir = parent.top();
                self.fs.unlink(pdir, &name);
                self.fs.get_mut(pdir).mtime = self.clock.secs();
                self.emit(Event::FileRemoved { place, path: loc.path.clone() });
            }
            Node::Merged(_) => {
                // Even a copied-up file hides one below: removing it needs a whiteout.
                let in_lower = self.lower_has(&parent, &name);
                let updir = self.copy_up(ctx, &parent.rel)?;
                let now = self.clock.secs();
                if in_lower {
                    let wh = self.fs.new_node(Kind::Whiteout, 0, 0, 0, now);
                    self.fs.link(updir, &name, wh);
                    let container = self.container_name(&ctx.ns);
                    self.emit(Event::Whiteout { container, path: loc.path.clone() });
                } else {
                    self.fs.unlink(updir, &name);
                    self.emit(Event::FileRemoved { place, path: loc.path.clone() });
                }
                self.fs.get_mut(updir).mtime = now;
            }
        }
        Ok(())
    }

    /// rename(2): same file system only (EXDEV otherwise, and for lower directories of an
    /// overlay, as overlayfs without redirect_dir does).
    pub fn rename(&mut self, ctx: &Ctx, from: &str, to: &str) -> Result<(), Errno> {
        let (sp, sname) = self.resolve_parent(ctx, from)?;
        let src = self.lookup_child(ctx, &sp, &sname).ok_or(Errno::NoEnt)?;
        let (dp, dname) = self.resolve_parent(ctx, to)?;
        if src.is_mount_root() {
            return Err(Errno::Busy);
        }
        if sp.mount != dp.mount {
            return Err(Errno::CrossDevice);
        }
        let dst = self.lookup_child(ctx, &dp, &dname);
        if let Some(d) = &dst {
            if d.is_mount_root() {
                return Err(Errno::Busy);
            }
            if self.is_dir_node(&d.node) && !self.is_dir_node(&src.node) {
                return Err(Errno::IsDir);
            }
            if !self.is_dir_node(&d.node) && self.is_dir_node(&src.node) {
                return Err(Errno::NotDir);
            }
        }
        if src.path == to || (dst.as_ref().map(|d| d.top()) == Some(src.top())) {
            return Ok(());
        }
        self.check_dir_writable(ctx, &sp, from)?;
        self.check_dir_writable(ctx, &dp, to)?;
        match &src.node {
            Node::Plain(id) => {
                let id = *id;
                if let Some(d) = &dst {
                    if self.is_dir_node(&d.node) && !self.list(&Ctx { cred: Cred::root(), ..ctx.clone() }, d)?.is_empty() {
                        return Err(Errno::NotEmpty);
                    }
                }
                self.fs.unlink(sp.top(), &sname);
                self.fs.link(dp.top(), &dname, id);
                let now = self.clock.secs();
                self.fs.get_mut(sp.top()).mtime = now;
                self.fs.get_mut(dp.top()).mtime = now;
                Ok(())
            }
            Node::Merged(stack) => {
                let lower_dir = self.is_dir_node(&src.node) && stack.iter().any(|(p, _)| *p != 0);
                if lower_dir {
                    return Err(Errno::CrossDevice);
                }
                let id = self.copy_up(ctx, &src.rel)?;
                let in_lower = self.lower_has(&sp, &sname);
                let sdir = self.copy_up(ctx, &sp.rel)?;
                let ddir = self.copy_up(ctx, &dp.rel)?;
                self.fs.unlink(sdir, &sname);
                if in_lower {
                    let now = self.clock.secs();
                    let wh = self.fs.new_node(Kind::Whiteout, 0, 0, 0, now);
                    self.fs.link(sdir, &sname, wh);
                }
                self.fs.link(ddir, &dname, id);
                Ok(())
            }
        }
    }

    /// chmod/chown/utimes: metadata changes (a lower file is copied up whole first).
    pub fn set_meta(&mut self, ctx: &Ctx, path: &str, follow: bool, f: &mut dyn FnMut(&mut crate::fs::Inode)) -> Result<(), Errno> {
        let loc = self.resolve(ctx, path, follow)?;
        self.set_meta_loc(ctx, &loc, f)
    }

    pub fn set_meta_loc(&mut self, ctx: &Ctx, loc: &Loc, f: &mut dyn FnMut(&mut crate::fs::Inode)) -> Result<(), Errno> {
        self.check_writable_fs(ctx, loc.mount, &loc.path)?;
        let id = match &loc.node {
            Node::Plain(i) => *i,
            Node::Merged(s) if s[0].0 == 0 => s[0].1,
            Node::Merged(_) => self.copy_up(ctx, &loc.rel)?,
        };
        f(self.fs.get_mut(id));
        Ok(())
    }

    /// Whether `path` exists (without following a final symlink).
    pub fn exists(&self, ctx: &Ctx, path: &str) -> bool {
        self.resolve(ctx, path, false).is_ok()
    }
}

#[cfg(test)]
#[path = "vfs_tests.rs"]
mod tests;
