//! The inode arena: every file system of the simulated machine lives here.
//!
//! Like the kernel, names live in directories and point at inodes; an inode carries type,
//! owner, mode and times. Image layers, container upper dirs, volumes and the host's own
//! tree are all directories in one arena, so a bind mount can hold an inode the host later
//! unlinks (the rename-replace case) and `/var/lib/docker/volumes/x/_data` on the host *is*
//! the volume's root directory.

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// A typed index into the arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InodeId(pub u32);

/// File content. Zero-filled and binary files keep only their size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Data {
    Bytes(Rc<[u8]>),
    /// `size` bytes of unspecified content (zeros from `dd`, the busybox binary).
    Opaque(u64),
}

impl Data {
    pub fn empty() -> Data {
        Data::Bytes(Rc::from(&b""[..]))
    }
    pub fn from_bytes(bytes: &[u8]) -> Data {
        Data::Bytes(Rc::from(bytes))
    }
    pub fn len(&self) -> u64 {
        match self {
            Data::Bytes(b) => b.len() as u64,
            Data::Opaque(n) => *n,
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Bytes this content keeps in memory (opaque content keeps none).
    pub fn held_bytes(&self) -> u64 {
        match self {
            Data::Bytes(b) => b.len() as u64,
            Data::Opaque(_) => 0,
        }
    }
    /// The bytes, with opaque content read as zeros (capped by the caller's limits).
    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            Data::Bytes(b) => b.to_vec(),
            Data::Opaque(n) => vec![0; *n as usize],
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    File(Data),
    Dir {
        entries: BTreeMap<String, InodeId>,
        opaque: bool,
    },
    Symlink(String),
    /// An overlayfs whiteout (a 0/0 character device in an upper dir).
    Whiteout,
    CharDev {
        major: u32,
        minor: u32,
    },
    /// A block device node (`mknod NAME b MAJOR MINOR`); the simulation has no device behind it.
    BlockDev {
        major: u32,
        minor: u32,
    },
    Socket,
    /// A named pipe (`mkfifo`).
    Fifo,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inode {
    pub kind: Kind,
    pub uid: u32,
    pub gid: u32,
    /// Permission bits including setuid/setgid/sticky.
    pub mode: u32,
    /// Seconds since the epoch (UTC).
    pub mtime: i64,
    /// When the inode last changed (its content, owner, mode, names or times) and when it was
    /// made, as `stat` shows them (the access time is shown as the modification time).
    pub ctime: i64,
    pub btime: i64,
    /// Directories: overlayfs keeps extra attributes (origin + impure) that take a block.
    pub xattr_block: bool,
    /// A copied-up directory of an upper layer (overlayfs "origin").
    pub copied_up: bool,
    /// Names the inode has beyond its first (hard links made with `ln` or `link`).
    pub links: u32,
    /// A file's holes: ranges never written (`truncate`, `dd seek=`), sorted and apart. They
    /// read as zeros and take no blocks.
    pub holes: Vec<(u64, u64)>,
    /// The ext4 inode flags `chattr` sets and `lsattr` shows, numbered as `FS_IOC_GETFLAGS`
    /// numbers them: [`Inode::IMMUTABLE`] and [`Inode::APPEND`] are enforced.
    pub attrs: u32,
}

impl Inode {
    /// `chattr +i`: no write, name, link or attribute change, even by root.
    pub const IMMUTABLE: u32 = 0x10;
    /// `chattr +a`: written only at its end; not renamed, removed or relinked.
    pub const APPEND: u32 = 0x20;

    pub fn is_dir(&self) -> bool {
        matches!(self.kind, Kind::Dir { .. })
    }
    pub fn file_type(&self) -> FileType {
        match self.kind {
            Kind::File(_) => FileType::File,
            Kind::Dir { .. } => FileType::Dir,
            Kind::Symlink(_) => FileType::Symlink,
            Kind::Whiteout | Kind::CharDev { .. } => FileType::CharDev,
            Kind::BlockDev { .. } => FileType::BlockDev,
            Kind::Socket => FileType::Socket,
            Kind::Fifo => FileType::Fifo,
        }
    }
    pub fn size(&self) -> u64 {
        match &self.kind {
            Kind::File(d) => d.len(),
            Kind::Dir { .. } => 4096,
            Kind::Symlink(t) => t.len() as u64,
            _ => 0,
        }
    }
    pub fn entries(&self) -> Option<&BTreeMap<String, InodeId>> {
        match &self.kind {
            Kind::Dir { entries, .. } => Some(entries),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    File,
    Dir,
    Symlink,
    CharDev,
    BlockDev,
    Socket,
    Fifo,
}

/// Kernel error numbers the simulation can produce, printed with their strerror text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errno {
    NoEnt,
    Access,
    Perm,
    ReadOnly,
    NoSpace,
    Exists,
    NotDir,
    IsDir,
    NotEmpty,
    Busy,
    CrossDevice,
    Loop,
    Invalid,
    NameTooLong,
    /// The simulator's own resource limit (file or machine too large).
    TooBig,
    Io,
}

impl Errno {
    /// The kernel's number for it (what `errno` holds, and what filefrag exits with).
    pub fn number(self) -> u32 {
        match self {
            Errno::Perm => 1,
            Errno::NoEnt => 2,
            Errno::Io => 5,
            Errno::Access => 13,
            Errno::Busy => 16,
            Errno::Exists => 17,
            Errno::CrossDevice => 18,
            Errno::NotDir => 20,
            Errno::IsDir => 21,
            Errno::Invalid => 22,
            Errno::TooBig => 27,
            Errno::NoSpace => 28,
            Errno::ReadOnly => 30,
            Errno::NameTooLong => 36,
            Errno::NotEmpty => 39,
            Errno::Loop => 40,
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Errno::NoEnt => "No such file or directory",
            Errno::Access => "Permission denied",
            Errno::Perm => "Operation not permitted",
            Errno::ReadOnly => "Read-only file system",
            Errno::NoSpace => "No space left on device",
            Errno::Exists => "File exists",
            Errno::NotDir => "Not a directory",
            Errno::IsDir => "Is a directory",
            Errno::NotEmpty => "Directory not empty",
            Errno::Busy => "Device or resource busy",
            Errno::CrossDevice => "Invalid cross-device link",
            Errno::Loop => "Symbolic link loop",
            Errno::Invalid => "Invalid argument",
            Errno::NameTooLong => "File name too long",
            Errno::TooBig => "File too large",
            Errno::Io => "I/O error",
        })
    }
}

/// The arena. Freed slots are reused; unreachable inodes are collected by [`Arena::collect`].
#[derive(Clone, Debug, Default)]
pub struct Arena {
    slots: Vec<Option<Inode>>,
    free: Vec<u32>,
    allocated_since_collect: usize,
    /// Bytes of file content held by live inodes (approximate: shared data counts once per inode;
    /// opaque content holds none).
    pub data_bytes: u64,
}

impl Arena {
    pub fn alloc(&mut self, inode: Inode) -> InodeId {
        self.allocated_since_collect += 1;
        if let Kind::File(d) = &inode.kind {
            self.data_bytes += d.held_bytes();
        }
        if let Some(i) = self.free.pop() {
            self.slots[i as usize] = Some(inode);
            InodeId(i)
        } else {
            self.slots.push(Some(inode));
            InodeId(self.slots.len() as u32 - 1)
        }
    }

    pub fn get(&self, id: InodeId) -> &Inode {
        match self.slots.get(id.0 as usize) {
            Some(Some(i)) => i,
            _ => panic!("dangling inode {id:?}: a bug in the engine"),
        }
    }

    pub fn get_mut(&mut self, id: InodeId) -> &mut Inode {
        match self.slots.get_mut(id.0 as usize) {
            Some(Some(i)) => i,
            _ => panic!("dangling inode {id:?}: a bug in the engine"),
        }
    }

    pub fn set_data(&mut self, id: InodeId, data: Data) {
        let new_len = data.held_bytes();
        let inode = self.get_mut(id);
        let old_len = match &inode.kind {
            Kind::File(d) => d.held_bytes(),
            _ => 0,
        };
        inode.kind = Kind::File(data);
        self.data_bytes = self.data_bytes.saturating_sub(old_len) + new_len;
    }

    pub fn new_dir(&mut self, uid: u32, gid: u32, mode: u32, mtime: i64) -> InodeId {
        self.new_node(Kind::Dir { entries: BTreeMap::new(), opaque: false }, uid, gid, mode, mtime)
    }

    pub fn new_file(&mut self, data: Data, uid: u32, gid: u32, mode: u32, mtime: i64) -> InodeId {
        self.new_node(Kind::File(data), uid, gid, mode, mtime)
    }

    pub fn new_node(&mut self, kind: Kind, uid: u32, gid: u32, mode: u32, mtime: i64) -> InodeId {
        self.alloc(Inode {
            kind,
            uid,
            gid,
            mode,
            mtime,
            ctime: mtime,
            btime: mtime,
            xattr_block: false,
            copied_up: false,
            links: 0,
            holes: Vec::new(),
            attrs: 0,
        })
    }

    pub fn lookup(&self, dir: InodeId, name: &str) -> Option<InodeId> {
        self.get(dir).entries().and_then(|e| e.get(name).copied())
    }

    pub fn link(&mut self, dir: InodeId, name: &str, child: InodeId) {
        if let Kind::Dir { entries, .. } = &mut self.get_mut(dir).kind {
            entries.insert(name.to_string(), child);
        }
    }

    pub fn unlink(&mut self, dir: InodeId, name: &str) -> Option<InodeId> {
        if let Kind::Dir { entries, .. } = &mut self.get_mut(dir).kind {
            entries.remove(name)
        } else {
            None
        }
    }

    /// Deep copy of a subtree (file contents are shared, they are immutable).
    pub fn deep_copy(&mut self, id: InodeId) -> InodeId {
        let mut inode = self.get(id).clone();
        if let Kind::Dir { entries, .. } = &mut inode.kind {
            let children: Vec<(String, InodeId)> = entries.iter().map(|(k, v)| (k.clone(), *v)).collect();
            let mut copied = BTreeMap::new();
            for (name, child) in children {
                copied.insert(name, self.deep_copy(child));
            }
            *entries = copied;
        }
        self.alloc(inode)
    }

    /// Number of subdirectories (for link counts).
    pub fn subdir_count(&self, dir: InodeId) -> usize {
        self.get(dir).entries().map(|e| e.values().filter(|c| self.get(**c).is_dir()).count()).unwrap_or(0)
    }

    /// Walks a subtree and calls `f(path, inode)` for every entry below `root` (pre-order, sorted).
    /// A layer's tree as unpacked at `secs`: every inode under `root` changed and born then (its
    /// files keep their modification times, as a tar extraction leaves them).
    pub fn unpacked_at(&mut self, root: InodeId, secs: i64) {
        let mut ids = Vec::new();
        self.walk(root, "", &mut |_, id, _| ids.push(id));
        ids.push(root);
        for id in ids {
            let inode = self.get_mut(id);
            inode.ctime = secs;
            inode.btime = secs;
        }
    }

    pub fn walk(&self, root: InodeId, prefix: &str, f: &mut dyn FnMut(&str, InodeId, &Inode)) {
        if let Some(entries) = self.get(root).entries() {
            for (name, child) in entries {
                let path = if prefix.is_empty() || prefix == "/" { format!("/{name}") } else { format!("{prefix}/{name}") };
                let inode = self.get(*child);
                f(&path, *child, inode);
                if inode.is_dir() {
                    self.walk(*child, &path, f);
                }
            }
        }
    }

    /// Like [`Arena::walk`], but stops as soon as `f` returns `false`; `false` if it stopped.
    pub fn walk_while(&self, root: InodeId, prefix: &str, f: &mut dyn FnMut(&str, InodeId, &Inode) -> bool) -> bool {
        if let Some(entries) = self.get(root).entries() {
            for (name, child) in entries {
                let path = if prefix.is_empty() || prefix == "/" { format!("/{name}") } else { format!("{prefix}/{name}") };
                let inode = self.get(*child);
                if !f(&path, *child, inode) || (inode.is_dir() && !self.walk_while(*child, &path, f)) {
                    return false;
                }
            }
        }
        true
    }

    /// Total size of regular files below `root`, and how many entries there are. (No paths are
    /// built: this runs for every container after every command.)
    pub fn usage(&self, root: InodeId) -> (u64, usize) {
        let (mut bytes, mut count) = (0, 0);
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for child in self.get(dir).entries().into_iter().flat_map(|e| e.values()) {
                count += 1;
                let inode = self.get(*child);
                match &inode.kind {
                    Kind::File(d) => bytes += d.len(),
                    _ if inode.is_dir() => dirs.push(*child),
                    _ => {}
                }
            }
        }
        (bytes, count)
    }

    pub fn live(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Whether enough garbage may have built up to be worth a collection.
    pub fn wants_collect(&self) -> bool {
        self.allocated_since_collect > 4096.max(self.live() / 2)
    }

    /// Mark-and-sweep: frees every inode not reachable from `roots`.
    pub fn collect(&mut self, roots: &[InodeId]) {
        let mut marked = vec![false; self.slots.len()];
        let mut stack: Vec<InodeId> = roots.to_vec();
        while let Some(id) = stack.pop() {
            let i = id.0 as usize;
            if i >= marked.len() || marked[i] {
                continue;
            }
            marked[i] = true;
            if let Some(Some(inode)) = self.slots.get(i) {
                if let Some(entries) = inode.entries() {
                    stack.extend(entries.values().copied());
                }
            }
        }
        let mut bytes = 0;
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if !marked[i] && slot.is_some() {
                *slot = None;
                self.free.push(i as u32);
            } else if let Some(Inode { kind: Kind::File(d), .. }) = slot {
                bytes += d.held_bytes();
            }
        }
        self.data_bytes = bytes;
        self.allocated_since_collect = 0;
    }
}

/// Splits an absolute or relative path into its non-empty components.
pub fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty())
}

/// Joins `path` onto `base` and removes `.`, `..` and duplicate slashes lexically.
pub fn normalize(base: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let full: Vec<&str> =
        if path.starts_with('/') { components(path).collect() } else { components(base).chain(components(path)).collect() };
    for c in full {
        match c {
            "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    if parts.is_empty() {
        "/".to_string()
    } else {
        format!("/{}", parts.join("/"))
    }
}

pub fn parent_and_name(path: &str) -> (String, String) {
    let norm = normalize("/", path);
    match norm.rsplit_once('/') {
        Some(("", name)) => ("/".into(), name.to_string()),
        Some((parent, name)) => (parent.to_string(), name.to_string()),
        None => ("/".into(), norm),
    }
}

/// The 1 KiB blocks a file of `size` bytes takes when `holes` were never written: each 4 KiB
/// page holding a written byte is allocated, a page wholly inside a hole is not.
pub fn allocated_kib(size: u64, holes: &[(u64, u64)]) -> u64 {
    const PAGE: u64 = 4096;
    let pages = size.div_ceil(PAGE);
    let empty: u64 = holes
        .iter()
        .map(|&(start, end)| {
            let first = start.div_ceil(PAGE);
            let last = if end >= size { pages } else { end / PAGE };
            last.saturating_sub(first)
        })
        .sum();
    pages.saturating_sub(empty) * 4
}

/// Holes as they stand after a file of `old` bytes is cut or grown to `new` (the part grown is
/// a hole), merged with the ones before.
pub fn resized_holes(holes: &[(u64, u64)], old: u64, new: u64) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = holes.iter().filter(|(s, _)| *s < new).map(|&(s, e)| (s, e.min(new))).collect();
    if new > old {
        match out.last_mut() {
            Some(last) if last.1 == old => last.1 = new,
            _ => out.push((old, new)),
        }
    }
    out
}

/// Builds directories and files into a layer or tree.
pub struct TreeBuilder<'a> {
    pub fs: &'a mut Arena,
    pub root: InodeId,
}

impl TreeBuilder<'_> {
    /// Adds a directory (and missing parents with the same owner and time).
    pub fn dir(&mut self, path: &str, uid: u32, gid: u32, mode: u32, mtime: i64) -> InodeId {
        let mut cur = self.root;
        for c in components(path) {
            cur = match self.fs.lookup(cur, c) {
                Some(id) => id,
                None => {
                    let id = self.fs.new_dir(uid, gid, mode, mtime);
                    self.fs.link(cur, c, id);
                    id
                }
            };
        }
        let inode = self.fs.get_mut(cur);
        inode.uid = uid;
        inode.gid = gid;
        inode.mode = mode;
        inode.mtime = mtime;
        cur
    }

    pub fn node(&mut self, path: &str, kind: Kind, uid: u32, gid: u32, mode: u32, mtime: i64) -> InodeId {
        let (parent, name) = parent_and_name(path);
        let mut cur = self.root;
        for c in components(&parent) {
            cur = match self.fs.lookup(cur, c) {
                Some(id) => id,
                None => {
                    let id = self.fs.new_dir(0, 0, 0o755, mtime);
                    self.fs.link(cur, c, id);
                    id
                }
            };
        }
        let id = self.fs.new_node(kind, uid, gid, mode, mtime);
        self.fs.link(cur, &name, id);
        id
    }

    pub fn file(&mut self, path: &str, content: &str, uid: u32, gid: u32, mode: u32, mtime: i64) -> InodeId {
        self.node(path, Kind::File(Data::from_bytes(content.as_bytes())), uid, gid, mode, mtime)
    }
}
