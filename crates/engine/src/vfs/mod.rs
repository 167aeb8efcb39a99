//! Path resolution and file operations through a mount namespace.
//!
//! The host sees one plain tree. A container sees an overlay root (its upper dir, its init
//! layer and the image layers, top down) with mounts on top. Writes into the overlay copy the
//! whole file up first; deletes of lower entries leave whiteouts; a directory created where a
//! whiteout stands is opaque — as overlayfs does it.

mod host_mounts;
mod overlay;
mod perms;
mod read;
mod resolve;
mod write;

use crate::fs::{FileType, InodeId};
use crate::world::{ContainerId, Cred};

pub use host_mounts::HostFs;
pub use perms::may;

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

    /// The path of the entry `name` in this directory.
    pub fn child_path(&self, name: &str) -> String {
        child_path(&self.path, name)
    }
}

/// `dir/name`, without doubling the slash of the root.
fn child_path(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
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
    pub ctime: i64,
    pub btime: i64,
    pub nlink: u32,
    /// 1 KiB blocks, as `ls -s` and `total` count them.
    pub blocks: u64,
    pub rdev: (u32, u32),
    pub fs: FsType,
    pub symlink: Option<String>,
    /// chattr's flags (`Inode::attrs`).
    pub attrs: u32,
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

// What the unit tests name through `use super::*`.
#[cfg(test)]
use crate::events::{DenyCause, Event, Place};
#[cfg(test)]
use crate::fs::{components, Data, Errno, Kind};
#[cfg(test)]
use crate::world::{MountKind, World};

#[cfg(test)]
#[path = "../vfs_tests.rs"]
mod tests;
