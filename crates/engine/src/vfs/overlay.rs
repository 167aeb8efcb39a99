//! The overlay: merging a directory's layers (whiteouts and opaque directories hide what is
//! below), copying a lower file up whole before it changes, and linking new nodes over
//! whiteouts.

use super::{Ctx, Loc, Node, Ns, Stack};
use crate::events::Event;
use crate::fs::{components, Errno, InodeId, Kind};
use crate::world::World;

impl World {
    fn dir_is_opaque(&self, dir: InodeId) -> bool {
        matches!(self.fs().get(dir).kind, Kind::Dir { opaque: true, .. })
    }

    /// The child `name` of a merged directory.
    pub fn merged_child(&self, stack: &Stack, name: &str) -> Option<Stack> {
        let mut out: Stack = Vec::new();
        for &(pos, dir) in stack {
            if let Some(c) = self.fs().lookup(dir, name) {
                let inode = self.fs().get(c);
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
    pub(super) fn lower_has(&self, parent: &Loc, name: &str) -> bool {
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
            if let Some(e) = self.fs().get(dir).entries() {
                names.extend(e.keys().cloned());
            }
            if self.dir_is_opaque(dir) {
                break;
            }
        }
        names.into_iter().filter_map(|n| self.merged_child(stack, &n).map(|s| (n, s))).collect()
    }

    /// Image layer number (1 = bottom) of an overlay position (0 = upper, 1 = init).
    fn layer_number(&self, ns: &Ns, pos: usize) -> usize {
        match self.ns_container(ns) {
            Some(c) => {
                let n = self.image_of(c).map(|im| im.layers.len()).unwrap_or(0);
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
            let existing =
                self.fs().lookup(upper_dir, name).filter(|u| child[0].0 == 0 && !matches!(self.fs().get(*u).kind, Kind::Whiteout));
            let upper_child = match existing {
                Some(u) => u,
                None => {
                    let (pos, lower) = child[0];
                    let src = self.fs().get(lower).clone();
                    let kind = match &src.kind {
                        Kind::Dir { .. } => Kind::Dir { entries: Default::default(), opaque: false },
                        k => k.clone(),
                    };
                    let is_file = matches!(kind, Kind::File(_));
                    let bytes = src.size();
                    // A copy-up makes a new inode in the upper layer: changed and born now.
                    let now = self.clock().secs();
                    let id = self.fs_mut().alloc(crate::fs::Inode {
                        kind,
                        copied_up: src.is_dir(),
                        xattr_block: false,
                        ctime: now,
                        btime: now,
                        ..src
                    });
                    self.fs_mut().link(upper_dir, name, id);
                    // The parent now holds a copied-up entry: overlayfs marks it "impure".
                    self.mark_impure(&[upper_dir]);
                    if is_file || idx + 1 == parts.len() && !self.fs().get(id).is_dir() {
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
            let inode = self.fs_mut().get_mut(*id);
            if inode.copied_up {
                inode.xattr_block = true;
            }
        }
    }

    /// The writable directory inode behind `dir` (copying it up in an overlay).
    pub(super) fn writable_dir(&mut self, ctx: &Ctx, dir: &Loc) -> Result<InodeId, Errno> {
        match &dir.node {
            Node::Plain(i) => Ok(*i),
            Node::Merged(_) => self.copy_up(ctx, &dir.rel),
        }
    }

    /// Links a new node into a writable directory, replacing a whiteout (a new directory over
    /// a whiteout becomes opaque).
    pub(super) fn create_node(&mut self, ctx: &Ctx, dir: InodeId, name: &str, kind: Kind, mode: u32) -> InodeId {
        let now = self.clock().secs();
        let parent = self.fs().get(dir);
        // A setgid directory gives its group to what is created in it, and its setgid bit to
        // new directories.
        let setgid = parent.mode & 0o2000 != 0;
        let gid = if setgid { parent.gid } else { ctx.cred.gid };
        let mode = if setgid && matches!(kind, Kind::Dir { .. }) { mode | 0o2000 } else { mode };
        let over_whiteout = self.fs().lookup(dir, name).map(|c| matches!(self.fs().get(c).kind, Kind::Whiteout)).unwrap_or(false);
        let mut kind = kind;
        if over_whiteout {
            if let Kind::Dir { opaque, .. } = &mut kind {
                *opaque = true;
            }
        }
        let id = self.fs_mut().new_node(kind, ctx.cred.uid, gid, mode, now);
        self.fs_mut().link(dir, name, id);
        self.fs_mut().get_mut(dir).mtime = now;
        self.fs_mut().get_mut(dir).ctime = now;
        id
    }
}
