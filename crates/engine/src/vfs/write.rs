//! Changes through a namespace: writing files, mkdir, symlink, remove (leaving whiteouts in an
//! overlay), rename and metadata changes.

use super::{may, Access, Ctx, Loc, Node, WriteMode};
use crate::events::Event;
use crate::fs::{Data, Errno, Kind};
use crate::world::{Cred, World};

impl World {
    /// Creates or opens `path` for writing and stores `data` (truncating or appending).
    /// Returns how many bytes were written; a full tmpfs writes what fits and fails with ENOSPC.
    pub fn write_file(&mut self, ctx: &Ctx, path: &str, data: &Data, mode: WriteMode) -> Result<u64, Errno> {
        if let Some((ctx, path)) = self.through_merged(ctx, path) {
            return self.write_file(&ctx, &path, data, mode);
        }
        let (parent, name) = self.resolve_parent(ctx, path)?;
        let existing = self.lookup_child(ctx, &parent, &name);
        let existing = match existing {
            Some(l) if matches!(self.fs().get(l.top()).kind, Kind::Symlink(_)) => Some(self.resolve(ctx, path, true)?),
            other => other,
        };
        match existing {
            Some(loc) => {
                let inode = self.fs().get(loc.top()).clone();
                if inode.is_dir() {
                    return Err(Errno::IsDir);
                }
                self.check_writable_fs(ctx, loc.mount, path)?;
                // chattr's flags: an immutable file takes no write, an append-only one only
                // what goes at its end.
                let append_only = inode.attrs & crate::fs::Inode::APPEND != 0;
                if inode.attrs & crate::fs::Inode::IMMUTABLE != 0 || (append_only && mode != WriteMode::Append) {
                    return Err(Errno::Perm);
                }
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
                self.fs_mut().set_data(target, new_data);
                let now = self.clock().secs();
                let inode = self.fs_mut().get_mut(target);
                inode.mtime = now;
                inode.ctime = now;
                // Rewritten from the start, the file has no holes left (and no file system in
                // it any more); appended to, it keeps them.
                if mode != WriteMode::Append {
                    inode.holes.clear();
                    self.block_devices_mut().forget_image(target);
                    self.block_devices_mut().forget_swap_area(target);
                }
                let place = self.place_at(ctx, loc.mount, &loc.path);
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
                let full_path = parent.child_path(&name);
                let place = self.place_at(ctx, parent.mount, &full_path);
                self.emit(Event::FileWritten { place, path: full_path.clone(), bytes: written });
                if full {
                    return Err(self.deny_no_space(ctx, parent.mount, &full_path));
                }
                Ok(written)
            }
        }
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

    pub fn mkdir(&mut self, ctx: &Ctx, path: &str, mode: u32) -> Result<(), Errno> {
        if let Some((ctx, path)) = self.through_merged(ctx, path) {
            return self.mkdir(&ctx, &path, mode);
        }
        let (parent, name) = self.resolve_parent(ctx, path)?;
        if self.lookup_child(ctx, &parent, &name).is_some() {
            return Err(Errno::Exists);
        }
        self.check_dir_writable(ctx, &parent, path)?;
        let dir = self.writable_dir(ctx, &parent)?;
        let id = self.create_node(ctx, dir, &name, Kind::Dir { entries: Default::default(), opaque: false }, mode & !ctx.umask);
        if matches!(self.fs().get(id).kind, Kind::Dir { opaque: true, .. }) {
            let container = self.container_name(&ctx.ns);
            self.emit(Event::OpaqueDir { container, path: parent.child_path(&name) });
        } else if !self.daemon_at_work() {
            self.emit_new_entry(ctx, &parent, &name);
        }
        Ok(())
    }

    pub fn symlink(&mut self, ctx: &Ctx, target: &str, path: &str) -> Result<(), Errno> {
        if let Some((ctx, path)) = self.through_merged(ctx, path) {
            return self.symlink(&ctx, target, &path);
        }
        let (parent, name) = self.resolve_parent(ctx, path)?;
        if self.lookup_child(ctx, &parent, &name).is_some() {
            return Err(Errno::Exists);
        }
        self.check_dir_writable(ctx, &parent, path)?;
        let dir = self.writable_dir(ctx, &parent)?;
        self.create_node(ctx, dir, &name, Kind::Symlink(target.to_string()), 0o777);
        if !self.daemon_at_work() {
            self.emit_new_entry(ctx, &parent, &name);
        }
        Ok(())
    }

    /// link(2): a second name for a file, on the same file system (a file of a lower layer is
    /// copied up first, as overlayfs does). The link itself is not followed.
    pub fn hard_link(&mut self, ctx: &Ctx, target: &str, path: &str) -> Result<(), Errno> {
        let src = self.resolve(ctx, target, false)?;
        if self.is_dir_node(&src.node) {
            return Err(Errno::Perm);
        }
        let (parent, name) = self.resolve_parent(ctx, path)?;
        if self.lookup_child(ctx, &parent, &name).is_some() {
            return Err(Errno::Exists);
        }
        if src.mount != parent.mount {
            return Err(Errno::CrossDevice);
        }
        self.check_not_fixed(&src)?;
        self.check_dir_writable(ctx, &parent, path)?;
        let id = match &src.node {
            Node::Plain(i) => *i,
            Node::Merged(s) if s[0].0 == 0 => s[0].1,
            Node::Merged(_) => self.copy_up(ctx, &src.rel)?,
        };
        let dir = self.writable_dir(ctx, &parent)?;
        self.fs_mut().link(dir, &name, id);
        self.fs_mut().get_mut(id).links += 1;
        self.touch_dir(dir);
        self.emit_new_entry(ctx, &parent, &name);
        Ok(())
    }

    /// A new entry changes what its place holds: told as a write of nothing.
    fn emit_new_entry(&mut self, ctx: &Ctx, parent: &Loc, name: &str) {
        let place = self.place_at(ctx, parent.mount, &parent.child_path(name));
        self.emit(Event::FileWritten { place, path: parent.child_path(name), bytes: 0 });
    }

    /// mkfifo(3): a named pipe.
    pub fn mkfifo(&mut self, ctx: &Ctx, path: &str, mode: u32) -> Result<(), Errno> {
        self.mknod(ctx, path, Kind::Fifo, mode)
    }

    /// mknod(2): a named pipe, or a device node, which needs CAP_MKNOD (root on the host
    /// and in a container, whose default capabilities keep it unless dropped).
    pub fn mknod(&mut self, ctx: &Ctx, path: &str, kind: Kind, mode: u32) -> Result<(), Errno> {
        if let Some((ctx, path)) = self.through_merged(ctx, path) {
            return self.mknod(&ctx, &path, kind, mode);
        }
        let (parent, name) = self.resolve_parent(ctx, path)?;
        if self.lookup_child(ctx, &parent, &name).is_some() {
            return Err(Errno::Exists);
        }
        // vfs_mknod: the directory's permissions first, then the capability.
        self.check_dir_writable(ctx, &parent, path)?;
        if matches!(kind, Kind::CharDev { .. } | Kind::BlockDev { .. }) && !ctx.cred.capable(crate::caps::Cap::MKNOD) {
            return Err(Errno::Perm);
        }
        let dir = self.writable_dir(ctx, &parent)?;
        self.create_node(ctx, dir, &name, kind, mode & !ctx.umask);
        self.emit_new_entry(ctx, &parent, &name);
        Ok(())
    }

    /// Removes a non-directory (`dir == false`) or an empty directory (`dir == true`).
    pub fn remove(&mut self, ctx: &Ctx, path: &str, dir: bool) -> Result<(), Errno> {
        if let Some((ctx, path)) = self.through_merged(ctx, path) {
            return self.remove(&ctx, &path, dir);
        }
        let (parent, name) = self.resolve_parent(ctx, path)?;
        let loc = self.lookup_child(ctx, &parent, &name).ok_or(Errno::NoEnt)?;
        let is_dir = self.is_dir_node(&loc.node) && !matches!(self.fs().get(loc.top()).kind, Kind::Symlink(_));
        if dir && !is_dir {
            return Err(Errno::NotDir);
        }
        if !dir && is_dir {
            return Err(Errno::IsDir);
        }
        if loc.is_mount_root() || (parent.mount != loc.mount) {
            return Err(Errno::Busy);
        }
        self.check_not_fixed(&loc)?;
        self.check_not_fixed(&parent)?;
        self.check_dir_writable(ctx, &parent, path)?;
        let pst = self.stat_loc(&ctx.ns, &parent);
        // A sticky directory: the file's owner, the directory's, or a holder of CAP_FOWNER.
        if pst.mode & 0o1000 != 0 && !ctx.cred.capable(crate::caps::Cap::FOWNER) {
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
        let place = self.place_at(ctx, loc.mount, &loc.path);
        match &loc.node {
            Node::Plain(_) => {
                let pdir = parent.top();
                if let Some(id) = self.fs_mut().unlink(pdir, &name) {
                    let inode = self.fs_mut().get_mut(id);
                    inode.links = inode.links.saturating_sub(1);
                }
                self.touch_dir(pdir);
                self.emit(Event::FileRemoved { place, path: loc.path.clone() });
            }
            Node::Merged(_) => {
                // Even a copied-up file hides one below: removing it needs a whiteout.
                let in_lower = self.lower_has(&parent, &name);
                let updir = self.copy_up(ctx, &parent.rel)?;
                let now = self.clock().secs();
                if in_lower {
                    let wh = self.fs_mut().new_node(Kind::Whiteout, 0, 0, 0, now);
                    self.fs_mut().link(updir, &name, wh);
                    let container = self.container_name(&ctx.ns);
                    self.emit(Event::Whiteout { container, path: loc.path.clone() });
                } else {
                    if let Some(id) = self.fs_mut().unlink(updir, &name) {
                        let inode = self.fs_mut().get_mut(id);
                        inode.links = inode.links.saturating_sub(1);
                    }
                    self.emit(Event::FileRemoved { place, path: loc.path.clone() });
                }
                self.touch_dir(updir);
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
        self.check_not_fixed(&src)?;
        if let Some(d) = &dst {
            self.check_not_fixed(d)?;
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
                self.fs_mut().unlink(sp.top(), &sname);
                self.fs_mut().link(dp.top(), &dname, id);
                // A renamed inode is changed too.
                let now = self.clock().secs();
                self.fs_mut().get_mut(id).ctime = now;
                self.touch_dir(sp.top());
                self.touch_dir(dp.top());
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
                self.fs_mut().unlink(sdir, &sname);
                if in_lower {
                    let now = self.clock().secs();
                    let wh = self.fs_mut().new_node(Kind::Whiteout, 0, 0, 0, now);
                    self.fs_mut().link(sdir, &sname, wh);
                }
                self.fs_mut().link(ddir, &dname, id);
                Ok(())
            }
        }
    }

    /// chmod/chown/utimes: metadata changes (a lower file is copied up whole first).
    pub fn set_meta(&mut self, ctx: &Ctx, path: &str, follow: bool, f: &mut dyn FnMut(&mut crate::fs::Inode)) -> Result<(), Errno> {
        if let Some((ctx, path)) = self.through_merged(ctx, path) {
            return self.set_meta(&ctx, &path, follow, f);
        }
        let loc = self.resolve(ctx, path, follow)?;
        self.set_meta_loc(ctx, &loc, f)
    }

    pub fn set_meta_loc(&mut self, ctx: &Ctx, loc: &Loc, f: &mut dyn FnMut(&mut crate::fs::Inode)) -> Result<(), Errno> {
        self.check_writable_fs(ctx, loc.mount, &loc.path)?;
        self.check_not_fixed(loc)?;
        let id = match &loc.node {
            Node::Plain(i) => *i,
            Node::Merged(s) if s[0].0 == 0 => s[0].1,
            Node::Merged(_) => self.copy_up(ctx, &loc.rel)?,
        };
        f(self.fs_mut().get_mut(id));
        // Any change of an inode's attributes is a change (ctime), `touch -d` too.
        let now = self.clock().secs();
        self.fs_mut().get_mut(id).ctime = now;
        Ok(())
    }

    /// `chattr`: the inode's flags set (by the caller's rights, which it checked), whatever
    /// flags it had.
    pub fn set_attrs(&mut self, ctx: &Ctx, path: &str, attrs: u32) -> Result<(), Errno> {
        let loc = self.resolve(ctx, path, true)?;
        self.check_writable_fs(ctx, loc.mount, path)?;
        let id = match &loc.node {
            Node::Plain(i) => *i,
            Node::Merged(s) if s[0].0 == 0 => s[0].1,
            Node::Merged(_) => self.copy_up(ctx, &loc.rel)?,
        };
        let now = self.clock().secs();
        let inode = self.fs_mut().get_mut(id);
        inode.attrs = attrs;
        inode.ctime = now;
        Ok(())
    }

    /// A directory whose entries changed: modified and changed now.
    pub(super) fn touch_dir(&mut self, dir: crate::fs::InodeId) {
        let now = self.clock().secs();
        let inode = self.fs_mut().get_mut(dir);
        inode.mtime = now;
        inode.ctime = now;
    }
}

impl World {
    /// A file a shell keeps for the length of one command (`<(…)` at `/dev/fd/63`), put
    /// straight into its namespace's tree: no event, since nothing a learner did touched storage.
    /// `writable`: a pipe the command writes into (`>(…)`), open to anyone as a pipe is.
    pub fn put_quiet_file(&mut self, ns: &super::Ns, path: &str, bytes: &[u8], writable: bool) {
        let root = Ctx::root(ns.clone());
        let (dir, name) = crate::fs::parent_and_name(path);
        let now = self.clock().secs();
        let dir_id = match self.resolve(&root, &dir, true) {
            Ok(l) => l.top(),
            Err(_) => {
                // The directory is made, where its link points if it is one (a container's
                // `/dev/fd` is `/proc/self/fd`).
                let target = match self.stat(&root, &dir, false).ok().and_then(|st| st.symlink) {
                    Some(t) => crate::fs::normalize(&crate::fs::parent_and_name(&dir).0, &t),
                    None => dir.clone(),
                };
                let (grand, dir_name) = crate::fs::parent_and_name(&target);
                let Ok(up) = self.resolve(&root, &grand, true) else { return };
                let id = self.fs_mut().new_dir(0, 0, 0o755, now);
                self.fs_mut().link(up.top(), &dir_name, id);
                id
            }
        };
        let file = self.fs_mut().new_file(Data::from_bytes(bytes), 0, 0, if writable { 0o666 } else { 0o444 }, now);
        self.fs_mut().link(dir_id, &name, file);
    }

    /// Takes back a file of [`World::put_quiet_file`].
    pub fn drop_quiet_file(&mut self, ns: &super::Ns, path: &str) {
        let root = Ctx::root(ns.clone());
        let (dir, name) = crate::fs::parent_and_name(path);
        if let Ok(d) = self.resolve(&root, &dir, true) {
            self.fs_mut().unlink(d.top(), &name);
        }
    }
}
