//! A mount namespace's view and path resolution in it: the root file system (plain, or the
//! overlay of a container's layers) with mounts on top, walking a path component by component,
//! and the names a location goes by in events.

use super::{may, Access, Ctx, Loc, Node, Ns};
use crate::events::Place;
use crate::fs::{components, Errno, InodeId, Kind};
use crate::world::{MountKind, World};

pub(super) struct RootFs {
    /// Overlay layers top-down (upper first), or a single plain root.
    pub(super) layers: Vec<InodeId>,
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

    /// Mount `m` of the namespace `ns`: a container's, or one a learner mounted on the host.
    pub(crate) fn ns_mount(&self, ns: &Ns, m: usize) -> Option<&crate::world::Mount> {
        match ns {
            Ns::Host => self.host_mounts().get(m).map(|h| &h.mount),
            Ns::Container(_) => self.ns_container(ns)?.mounts.get(m),
        }
    }

    pub(super) fn root_fs(&self, ns: &Ns) -> RootFs {
        match ns {
            Ns::Host => RootFs { layers: vec![self.host_root()], overlay: false },
            Ns::Container(id) => {
                let Some(c) = self.container(id) else { return RootFs { layers: vec![self.host_root()], overlay: false } };
                let mut layers = vec![c.upper, c.init];
                if let Some(img) = self.image_of(c) {
                    layers.extend(img.layers.iter().rev().map(|l| self.layers()[*l].root));
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
        } else if let Some((mi, m)) = self.host_mounts().iter().enumerate().rev().find(|(_, m)| m.mount.target == loc.path) {
            return Loc { path: loc.path, mount: Some(mi), rel: "/".into(), node: Node::Plain(m.mount.root) };
        } else if let Some(id) = self.merged_dir_of(&loc) {
            // The host sees a running container's overlay at its layer dir's `merged`: the
            // union of its layers, without the mounts of its own namespace.
            let root = self.root_fs(&Ns::Container(id));
            let node = Node::Merged(root.layers.iter().enumerate().map(|(p, i)| (p, *i)).collect());
            return Loc { path: loc.path, mount: None, rel: "/".into(), node };
        }
        loc
    }

    /// The container whose layer dir a host path lies in (`/var/lib/docker/overlay2/<layer>/…`).
    pub(super) fn container_of_layer_path(&self, path: &str) -> Option<&crate::world::Container> {
        let layer_id = path.strip_prefix("/var/lib/docker/overlay2/")?.split('/').next()?;
        self.containers().iter().find(|c| c.layer_id == layer_id)
    }

    /// The running container whose overlay is mounted at `loc` on the host, if any (its
    /// `merged` dir is there only while it runs).
    fn merged_dir_of(&self, loc: &Loc) -> Option<crate::world::ContainerId> {
        loc.path.strip_prefix("/var/lib/docker/overlay2/")?.strip_suffix("/merged").filter(|l| !l.contains('/'))?;
        let c = self.container_of_layer_path(&loc.path)?;
        (c.status == crate::world::Status::Running).then(|| c.id.clone())
    }

    /// On the host, the container whose overlay a path walks through its `merged` dir, and the
    /// path inside that overlay: a write there is the container's write (copied up into its
    /// upper dir). Its namespace's mounts still apply, which the host's view would not see.
    pub(super) fn through_merged(&self, ctx: &Ctx, path: &str) -> Option<(Ctx, String)> {
        // A cheap test first: every write on the host asks.
        if ctx.ns != Ns::Host || !(path.contains("merged") || ctx.cwd.contains("/merged")) {
            return None;
        }
        let (parent, name) = self.resolve_parent(ctx, path).ok()?;
        if !matches!(parent.node, Node::Merged(_)) {
            return None;
        }
        let c = self.container_of_layer_path(&parent.path)?;
        let inner = super::child_path(&parent.rel, &name);
        Some((Ctx { ns: Ns::Container(c.id.clone()), cred: ctx.cred.clone(), cwd: "/".into(), umask: ctx.umask }, inner))
    }

    pub fn is_dir_node(&self, node: &Node) -> bool {
        match node {
            Node::Plain(i) => self.fs().get(*i).is_dir(),
            Node::Merged(s) => self.fs().get(s[0].1).is_dir(),
        }
    }

    pub(super) fn child_loc(&self, ns: &Ns, parent: &Loc, name: &str) -> Option<Loc> {
        let path = parent.child_path(name);
        let rel = super::child_path(&parent.rel, name);
        let node = match &parent.node {
            Node::Plain(dir) => {
                // On the host a whiteout is just a character device: no merging here.
                Node::Plain(self.fs().lookup(*dir, name)?)
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
            let dir = self.fs().get(cur.top());
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
            if let Kind::Symlink(target) = &self.fs().get(child.top()).kind {
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
        // Looking a name up in a directory takes its search (x) permission, whatever is done
        // with the name after (oracle-77: `mkdir a/sub` in a directory of mode 640).
        let inode = self.fs().get(parent.top());
        if !super::may(inode.uid, inode.gid, inode.mode, true, &ctx.cred, super::Access::Exec) {
            return Err(Errno::Access);
        }
        Ok((parent, name.to_string()))
    }

    pub fn lookup_child(&self, ctx: &Ctx, parent: &Loc, name: &str) -> Option<Loc> {
        if name == "." {
            return Some(parent.clone());
        }
        self.child_loc(&ctx.ns, parent, name)
    }

    /// Where a change at `path` lands: on the host, a volume's `_data` is that volume (the
    /// learner writing it with `sudo` from outside).
    pub(super) fn place_at(&self, ctx: &Ctx, loc_mount: Option<usize>, path: &str) -> Place {
        if ctx.ns == Ns::Host {
            let volume = path.strip_prefix("/var/lib/docker/volumes/").and_then(|rest| rest.split_once("/_data"));
            if let Some((name, _)) = volume.filter(|(_, rest)| rest.is_empty() || rest.starts_with('/')) {
                if self.volumes().get(name).is_some() {
                    return Place::Volume { name: name.to_string() };
                }
            }
        }
        self.place_of(ctx, loc_mount)
    }

    pub(super) fn place_of(&self, ctx: &Ctx, loc_mount: Option<usize>) -> Place {
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

    pub(super) fn container_name(&self, ns: &Ns) -> String {
        self.ns_container(ns).map(|c| c.name.clone()).unwrap_or_default()
    }

    /// Whether `path` exists (without following a final symlink).
    pub fn exists(&self, ctx: &Ctx, path: &str) -> bool {
        self.resolve(ctx, path, false).is_ok()
    }
}
