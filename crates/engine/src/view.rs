//! Read-only snapshots of the world for front ends (storage map, explorer).
//!
//! Views are plain data, cheap to compare, so a UI can diff them between commands.

use crate::events::ContainerState;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorldView {
    pub images: Vec<ImageView>,
    pub containers: Vec<ContainerView>,
    pub volumes: Vec<VolumeView>,
    /// The host directories that are bind-mounted somewhere, with their users.
    pub binds: Vec<BindView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImageView {
    pub id_short: String,
    pub tags: Vec<String>,
    /// Bottom layer first.
    pub layers: Vec<LayerView>,
    pub size: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LayerView {
    /// The first 12 hex digits of the layer's diffID.
    pub diff_id_short: String,
    /// The instruction that made the layer, e.g. `RUN /bin/sh -c mkdir -p /etc/app …`.
    pub created_by: String,
    pub size: u64,
    /// Used by more than one image.
    pub shared: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContainerView {
    pub name: String,
    pub id_short: String,
    pub image: String,
    pub state: ContainerState,
    /// As `docker ps` prints it, e.g. `Up Less than a second`.
    pub status: String,
    /// The process's user as `uid:gid`.
    pub user: String,
    /// Image layers, bottom first.
    pub layers: Vec<LayerView>,
    /// Entries of the writable layer (files, dirs, whiteouts, opaque dirs).
    pub writable: Vec<EntryView>,
    pub writable_bytes: u64,
    pub mounts: Vec<MountView>,
    pub read_only_root: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MountSource {
    Volume { name: String, anonymous: bool },
    Bind { host_path: String },
    Tmpfs { size_limit: Option<u64>, used: u64 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct MountView {
    pub target: String,
    pub source: MountSource,
    pub read_only: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VolumeView {
    pub name: String,
    pub anonymous: bool,
    /// Names of the containers (running or not) that reference it.
    pub used_by: Vec<String>,
    pub files: usize,
    pub bytes: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BindView {
    pub host_path: String,
    pub used_by: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A deleted lower entry (overlayfs whiteout).
    Whiteout,
    /// A directory that hides everything below it (overlayfs opaque dir).
    OpaqueDir,
}

/// Where an entry of a merged view comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// Image layer, numbered from 1 at the bottom.
    ImageLayer(usize),
    WritableLayer,
    Volume(String),
    Bind(String),
    Tmpfs,
    /// Files Docker adds to every container (/etc/hosts, /dev, ...).
    Docker,
    Host,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EntryView {
    pub path: String,
    pub kind: EntryKind,
    pub size: u64,
    pub uid: u32,
    pub gid: u32,
    /// Permission bits including setuid/setgid/sticky (e.g. 0o1777).
    pub mode: u32,
    pub origin: Origin,
}

/// What the explorer looks at.
#[derive(Clone, Debug, PartialEq)]
pub enum ExplorerTarget {
    /// The merged view of a container (by name).
    Container(String),
    /// The host's file system (as root sees it).
    Host,
}
