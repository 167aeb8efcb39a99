//! Typed events: every state change the engine makes is reported as one of these.
//!
//! The web app animates them and every event narrates itself in one plain sentence, so the
//! list is closed on purpose: a new kind of change means a new variant, handled everywhere.

use std::fmt;

/// Where a piece of data lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    /// The container's writable (upper) layer.
    WritableLayer { container: String },
    /// A read-only image layer, numbered from 1 at the bottom.
    ImageLayer { container: String, layer: usize },
    /// A named or anonymous volume.
    Volume { name: String },
    /// A directory or file of the host, bind-mounted.
    Bind { host_path: String },
    /// A tmpfs mount (memory).
    Tmpfs { container: String, target: String },
    /// The host's own file system.
    Host,
}

/// Why a write was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DenyCause {
    /// The mount (or the whole root file system) is read-only.
    ReadOnly { mount: String },
    /// The process's uid/gid has no permission by the owner and mode.
    Permission { uid: u32, gid: u32, owner_uid: u32, owner_gid: u32, mode: u32 },
    /// The tmpfs (or other size-limited mount) is full.
    NoSpace { mount: String, limit: u64 },
}

/// A container's lifecycle state as Docker reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerState {
    Created,
    Running,
    Exited,
    Removed,
    /// Running, its processes frozen (`docker pause`).
    Paused,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    ContainerCreated {
        container: String,
        image: String,
    },
    ContainerStateChanged {
        container: String,
        state: ContainerState,
        exit_code: Option<i32>,
    },
    /// Docker made a mount point (or the working directory) the image lacks, in the container's
    /// writable layer.
    MountPointCreated {
        container: String,
        path: String,
    },
    /// `docker rename`: the same container, layers and mounts, under a new name.
    ContainerRenamed {
        from: String,
        to: String,
    },
    /// `docker update`: limits or the restart policy changed (what changed, in words).
    ContainerUpdated {
        container: String,
        changed: Vec<String>,
    },
    /// `docker rm`: the writable layer is thrown away with everything in it.
    WritableLayerDiscarded {
        container: String,
        files: usize,
        bytes: u64,
    },
    /// First write to an image file: the whole file is copied into the writable layer.
    CopyUp {
        container: String,
        path: String,
        layer: usize,
        bytes: u64,
    },
    /// An image file was deleted: a whiteout hides it, the image keeps it.
    Whiteout {
        container: String,
        path: String,
    },
    /// A directory of the image was removed and created again: the new one is opaque.
    OpaqueDir {
        container: String,
        path: String,
    },
    /// Data was written somewhere.
    FileWritten {
        place: Place,
        path: String,
        bytes: u64,
    },
    /// Something was deleted somewhere other than through a whiteout.
    FileRemoved {
        place: Place,
        path: String,
    },
    VolumeCreated {
        name: String,
        anonymous: bool,
    },
    /// An empty volume got the image's content at its mount point on first mount.
    VolumePopulated {
        name: String,
        container: String,
        target: String,
        files: usize,
        uid: u32,
        gid: u32,
    },
    VolumeRemoved {
        name: String,
    },
    /// A mount hides whatever the image has at that path.
    MountShadowsImage {
        container: String,
        target: String,
        hidden: usize,
    },
    /// `-v` created a missing host directory (as root).
    HostDirCreated {
        path: String,
    },
    /// A file system was mounted on the host (`sudo mount`): a tmpfs (`source` is its name),
    /// a bind (`source` is the path bound).
    HostMounted {
        target: String,
        source: String,
        fstype: String,
    },
    /// A host mount changed in place (`mount -o remount`): read-only or not, a tmpfs's size.
    HostRemounted {
        target: String,
        fstype: String,
        read_only: bool,
    },
    /// A file was attached to a loop device (`losetup`, `mount -o loop`): it can be mounted as a disk.
    LoopAttached {
        device: String,
        file: String,
    },
    LoopDetached {
        device: String,
    },
    /// `mkfs.ext4` wrote a new, empty ext4 file system into a file or a loop device's file
    /// (`mkswap` a swap area: `fstype` is `swap`).
    FileSystemMade {
        path: String,
        fstype: String,
    },
    /// `wipefs` erased the signature of a file system or swap area: nothing recognises it now.
    SignatureErased {
        path: String,
        fstype: String,
    },
    /// `e2label` named (or unnamed: an empty label) the file system in a file.
    FileSystemLabelled {
        path: String,
        label: String,
    },
    /// `swapon`/`swapoff`: the kernel pages memory out to the swap area in a file, or stops.
    SwapTurnedOn {
        path: String,
    },
    SwapTurnedOff {
        path: String,
    },
    /// A host mount was taken away (`umount`): the directory under it shows again.
    HostUnmounted {
        target: String,
        fstype: String,
    },
    WriteDenied {
        place: Place,
        path: String,
        cause: DenyCause,
    },
    /// A tmpfs lost its content because its container stopped.
    TmpfsCleared {
        container: String,
        target: String,
        bytes: u64,
    },
    ImageCreated {
        reference: String,
        layers: usize,
    },
    ImageRemoved {
        reference: String,
    },
    /// `docker tag`: one more name for an image (no data copied); a tag another image had
    /// moves over.
    ImageTagged {
        tag: String,
        /// The image as first named (its first tag, or its short id).
        image: String,
        moved_from: Option<String>,
    },
    /// `docker rmi NAME` of an image that keeps other names or a container: only the name goes.
    ImageUntagged {
        tag: String,
        /// The image as still named (its first tag left, or its short id).
        image: String,
    },
    /// `docker pull` (or a `docker run` of a missing image) fetched an image from the registry.
    ImagePulled {
        reference: String,
        /// Layers downloaded now.
        new_layers: usize,
        /// Layers already on disk, shared with images pulled or built before.
        shared_layers: usize,
    },
    /// A build left records in BuildKit's cache: the sources it synced, the layers it started
    /// from and made, its cache mounts.
    BuildCacheRecorded {
        records: usize,
        /// What the new records take, as `builder du` counts it.
        bytes: u64,
    },
    /// `docker builder prune` (or `system prune`) removed build cache records.
    BuildCachePruned {
        records: usize,
        /// What the records took, as `builder du` counts it.
        bytes: u64,
        /// Layers no image used that only these records kept on disk, gone with them.
        layers_freed: usize,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::WritableLayer { container } => write!(f, "{container}'s writable layer"),
            Place::ImageLayer { container, layer } => write!(f, "image layer L{layer} of {container}"),
            Place::Volume { name } => write!(f, "volume {}", short_name(name)),
            Place::Bind { host_path } => write!(f, "the host folder {host_path}"),
            Place::Tmpfs { container, target } => write!(f, "the tmpfs at {target} in {container} (memory)"),
            Place::Host => write!(f, "the host"),
        }
    }
}

/// Anonymous volume names are 64 hex digits: show the start and the end.
pub fn short_name(name: &str) -> String {
    if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        let (start, end) = (name.get(..4).unwrap_or_default(), name.get(62..).unwrap_or_default());
        format!("{start}…{end}")
    } else {
        name.to_string()
    }
}

/// A place whose size a view shows: a volume, a container's writable layer, a tmpfs mount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Measured {
    Volume(String),
    WritableLayer { container: String },
    Tmpfs { container: String, target: String },
}

/// A place's size right after the event `after` (an index into the line's events): the engine
/// notes it at the end of each run of events that changed the place, so a view can show it as
/// it was at any step of the line, not only after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SizeAt {
    pub after: usize,
    pub of: Measured,
    pub bytes: u64,
    pub files: usize,
}

impl Event {
    /// The place whose content (or, for a volume, existence) this event changes. A removal
    /// is told by the event itself: nothing is left to measure.
    pub fn changed_place(&self) -> Option<Measured> {
        let of_place = |place: &Place| match place {
            Place::Volume { name } => Some(Measured::Volume(name.clone())),
            Place::WritableLayer { container } => Some(Measured::WritableLayer { container: container.clone() }),
            Place::Tmpfs { container, target } => Some(Measured::Tmpfs { container: container.clone(), target: target.clone() }),
            Place::ImageLayer { .. } | Place::Bind { .. } | Place::Host => None,
        };
        match self {
            Event::VolumeCreated { name, .. } | Event::VolumePopulated { name, .. } => Some(Measured::Volume(name.clone())),
            Event::FileWritten { place, .. } | Event::FileRemoved { place, .. } => of_place(place),
            Event::CopyUp { container, .. }
            | Event::Whiteout { container, .. }
            | Event::OpaqueDir { container, .. }
            | Event::MountPointCreated { container, .. } => Some(Measured::WritableLayer { container: container.clone() }),
            Event::TmpfsCleared { container, target, .. } => Some(Measured::Tmpfs { container: container.clone(), target: target.clone() }),
            _ => None,
        }
    }

    /// One plain-language sentence about what happened.
    pub fn narrate(&self) -> String {
        match self {
            Event::MountPointCreated { container, path } => {
                format!("The image has no {path}: Docker makes it in {container}'s writable layer (owned by root) before it mounts there.")
            }
            Event::ContainerUpdated { container, changed } => format!(
                "Container {container}'s {} changed: they live in its cgroup and configuration, not in its layers, so no file moved.",
                changed.join(" and ")
            ),
            Event::ContainerRenamed { from, to } => {
                format!("The container {from} is now called {to}: its writable layer and mounts are the same.")
            }
            Event::ContainerCreated { container, image } => format!(
                "Container {container} is created from {image}: a new, empty writable layer is stacked on the image's read-only layers."
            ),
            Event::ContainerStateChanged { container, state, exit_code } => match state {
                ContainerState::Created => format!("Container {container} is created but not running."),
                ContainerState::Running => format!("Container {container} is running. Its writable layer is kept while it exists."),
                ContainerState::Exited => format!(
                    "Container {container} stopped (exit code {}). Its writable layer is still there until the container is removed.",
                    exit_code.unwrap_or(0)
                ),
                ContainerState::Removed => format!("Container {container} is removed."),
                ContainerState::Paused => format!("Container {container} is paused: its processes are frozen, its files and mounts stay."),
            },
            Event::WritableLayerDiscarded { container, files, bytes } => format!(
                "docker rm throws away {container}'s writable layer ({files} entr{}, {bytes} B). Volumes and bind mounts are not touched.",
                if *files == 1 { "y" } else { "ies" }
            ),
            Event::CopyUp { container, path, layer, bytes } => format!(
                "copy-up: {path} ({bytes} B) is copied from image layer L{layer} into {container}'s writable layer before it is changed. The image itself never changes."
            ),
            Event::Whiteout { container, path } => format!(
                "{path} is deleted in {container}: a whiteout in the writable layer hides it; the image layer still holds the file."
            ),
            Event::OpaqueDir { container, path } => format!(
                "{path} is an opaque directory in {container}'s writable layer: nothing from the image shows through it any more."
            ),
            Event::FileWritten { place, path, bytes } => format!("{path} is written ({bytes} B) in {place}."),
            Event::FileRemoved { place, path } => format!("{path} is removed from {place}."),
            Event::VolumeCreated { name, anonymous: true } => format!(
                "Docker creates the anonymous volume {} under /var/lib/docker/volumes.", short_name(name)
            ),
            Event::VolumeCreated { name, anonymous: false } => format!(
                "Docker creates the named volume {name} under /var/lib/docker/volumes/{name}/_data."
            ),
            Event::VolumePopulated { name, container, target, files, uid, gid } => format!(
                "The volume {} was empty, so Docker copies the image's {target} into it ({files} entr{}, owner {uid}:{gid}) when {container} mounts it.",
                short_name(name),
                if *files == 1 { "y" } else { "ies" }
            ),
            Event::VolumeRemoved { name } => format!("The volume {} and all its data are deleted.", short_name(name)),
            Event::MountShadowsImage { container, target, hidden } => format!(
                "In {container}, the mount on {target} hides {hidden} entr{} of the image underneath; they are still in the image.",
                if *hidden == 1 { "y" } else { "ies" }
            ),
            Event::HostDirCreated { path } => format!(
                "The host path {path} did not exist, so Docker creates it as an empty directory owned by root."
            ),
            Event::HostMounted { target, source, fstype } => match fstype.as_str() {
                "tmpfs" => format!("A tmpfs named {source} is mounted on the host at {target}: its files live in memory, and what the directory held is hidden until it is unmounted."),
                _ if source.starts_with('/') && !source.starts_with("/dev/") => format!("{source} is bound at {target} on the host: the same files, seen at a second place."),
                _ => format!("{source} ({fstype}) is mounted on the host at {target}."),
            },
            Event::HostRemounted { target, read_only, .. } => format!(
                "{target} is remounted in place, {}: its files stay.",
                if *read_only { "read-only" } else { "writable" }
            ),
            Event::LoopAttached { device, file } => format!("{file} is attached to {device}: the file can now be used as a disk."),
            Event::LoopDetached { device } => format!("{device} is detached: the file is just a file again."),
            Event::FileSystemMade { path, fstype } if fstype == "swap" => format!("A swap area is written into {path}: memory can be paged out to it once swapon turns it on."),
            Event::FileSystemMade { path, fstype } => format!("An empty {fstype} file system is written into {path}: a root directory and lost+found; whatever it held before is gone."),
            Event::SignatureErased { path, fstype } => format!("The {fstype} signature of {path} is erased: its bytes stay, but nothing recognises them as {fstype} any more."),
            Event::FileSystemLabelled { path, label } if label.is_empty() => format!("The file system in {path} has no name now."),
            Event::FileSystemLabelled { path, label } => format!("The file system in {path} is named {label}."),
            Event::SwapTurnedOn { path } => format!("{path} is swap now: the kernel may move memory pages out to it."),
            Event::SwapTurnedOff { path } => format!("{path} is no longer used as swap."),
            Event::HostUnmounted { target, fstype } => match fstype.as_str() {
                "tmpfs" => format!("The tmpfs at {target} is unmounted: its files are gone, and the directory shows what it held before."),
                _ => format!("{target} is unmounted: the directory shows its own files again."),
            },
            Event::WriteDenied { place, path, cause } => match cause {
                DenyCause::ReadOnly { mount } => format!("Writing {path} is refused: {mount} is mounted read-only ({place})."),
                DenyCause::Permission { uid, gid, owner_uid, owner_gid, mode } => format!(
                    "Writing {path} is refused: the process runs as uid {uid} gid {gid}, but the directory or file is owned by {owner_uid}:{owner_gid} with mode {mode:o}."
                ),
                DenyCause::NoSpace { mount, limit } => format!("{mount} is full: its size limit is {limit} bytes."),
            },
            Event::TmpfsCleared { container, target, bytes } => format!(
                "{container} stopped, so the tmpfs at {target} is emptied ({bytes} B were only ever in memory)."
            ),
            Event::ImageCreated { reference, layers } => format!("The image {reference} is created with {layers} layer(s)."),
            Event::ImageRemoved { reference } => format!("The image {reference} is removed."),
            Event::ImageTagged { tag, image, moved_from: None } => {
                format!("{tag} is a new name for the image {image}: the same layers, nothing copied.")
            }
            Event::ImageTagged { tag, image, moved_from: Some(old) } => {
                format!("{tag} now names the image {image} (same layers, nothing copied); the image {old} loses that name.")
            }
            Event::ImageUntagged { tag, image } => {
                format!("{tag} no longer names the image {image}; the image and its layers stay.")
            }
            Event::ImagePulled { reference, new_layers, shared_layers: 0 } => {
                format!("{reference} is pulled from the registry: {new_layers} layer(s) downloaded.")
            }
            Event::ImagePulled { reference, new_layers, shared_layers } => format!(
                "{reference} is pulled from the registry: {new_layers} layer(s) downloaded, {shared_layers} already on disk and shared with other images."
            ),
            Event::BuildCacheRecorded { records, bytes } => format!(
                "The build leaves {records} record(s) ({bytes} B) in BuildKit's cache: a later build of the same steps is CACHED, and its layers stay on disk even after the image goes."
            ),
            Event::BuildCachePruned { records, bytes, layers_freed: 0 } => format!(
                "The build cache drops {records} record(s) ({bytes} B): the next build runs those steps again. Image layers stay while an image uses them."
            ),
            Event::BuildCachePruned { records, bytes, layers_freed } => format!(
                "The build cache drops {records} record(s) ({bytes} B), and with them {layers_freed} layer(s) that only the cache still kept on disk."
            ),
        }
    }
}
