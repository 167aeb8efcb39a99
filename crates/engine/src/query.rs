//! Questions about the machine's state, answered without changing it: what a level's goals
//! check after every command ("the volume holds /data/notes.txt owned by 1000:1000", "the
//! container's writable layer has a whiteout for /etc/motd"), what a test asserts, what a map
//! step compares. Things are named as a learner names them (container and volume names, image
//! references, paths); files are read as root reads them, with no permission check.
//!
//! Architecture invariant: a `Query` borrows the world immutably; nothing here can change state
//! or emit an event.

use std::collections::BTreeMap;

use crate::fs::{components, normalize, Data, Kind};
use crate::vfs::{Ctx, Ns};
use crate::view::{origin, Origin};
use crate::world::{MountPointKind, Status, World};

/// Read-only answers about one engine's machine (see [`crate::Engine::query`]).
#[derive(Clone, Copy)]
pub struct Query<'a> {
    world: &'a World,
}

/// A container's state as `docker ps -a` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunState {
    Created,
    Running,
    /// Exited, with the main process's exit status.
    Exited(i32),
}

/// What a container is and how it is set up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerFacts {
    pub id: String,
    pub name: String,
    /// The image as the learner named it (`demo/app:1.0`).
    pub image: String,
    pub state: RunState,
    /// `--user`, empty for the image's default.
    pub user: String,
    /// `--read-only`.
    pub read_only_rootfs: bool,
    /// Its volumes, binds and tmpfs mounts, in the order configured.
    pub mounts: Vec<MountFacts>,
}

/// Where a mount's data comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MountSource {
    Volume { name: String, anonymous: bool },
    Bind { host_path: String },
    Tmpfs,
}

/// One mount of a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountFacts {
    pub target: String,
    pub source: MountSource,
    pub read_only: bool,
}

/// A volume and who uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeFacts {
    pub name: String,
    pub anonymous: bool,
    pub labels: BTreeMap<String, String>,
    /// Names of the containers (any state) that mount it.
    pub used_by: Vec<String>,
}

/// The kind of a file system entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    File,
    Dir,
    Symlink,
    Other,
}

/// A file as `stat` and `cat` see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFacts {
    pub kind: FileKind,
    pub uid: u32,
    pub gid: u32,
    /// Permission bits including setuid, setgid and sticky (`0o1777`).
    pub mode: u32,
    pub size: u64,
    /// A regular file's content (binaries and other opaque files have none).
    pub content: Option<Vec<u8>>,
}

impl FileFacts {
    /// Whether the content holds `text`.
    pub fn contains(&self, text: &str) -> bool {
        self.content.as_deref().is_some_and(|c| String::from_utf8_lossy(c).contains(text))
    }
}

/// What a container's writable (upper) layer holds at a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpperEntry {
    /// A file written or copied up.
    File {
        size: u64,
    },
    Dir {
        opaque: bool,
    },
    /// A deleted image file: the whiteout hides it, the image keeps it.
    Whiteout,
    Symlink,
}

/// An image and its layers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageFacts {
    pub id: String,
    pub tags: Vec<String>,
    pub layers: usize,
}

/// A layer of the layer store: its ids and a digest of its whole tree (paths, kinds, owners,
/// modes, mtimes, overlay attributes, content), so a test can tell that a layer never changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerFacts {
    pub diff_id: String,
    /// The layer's directory under `/var/lib/docker/overlay2`.
    pub cache_id: String,
    pub digest: u64,
}

impl<'a> Query<'a> {
    pub(crate) fn new(world: &'a World) -> Query<'a> {
        Query { world }
    }

    /// A container by name or id (prefix), as `docker` finds it.
    pub fn container(&self, name: &str) -> Option<ContainerFacts> {
        self.world.named_container(name).map(facts)
    }

    /// Every container, oldest first.
    pub fn containers(&self) -> Vec<ContainerFacts> {
        self.world.containers().iter().map(facts).collect()
    }

    /// How many anonymous volumes there are (a goal asks after every command).
    pub fn anonymous_volumes(&self) -> usize {
        self.world.volumes().values().filter(|v| v.anonymous).count()
    }

    /// A volume by name.
    pub fn volume(&self, name: &str) -> Option<VolumeFacts> {
        let v = self.world.volumes().get(name)?;
        let used_by = self
            .world
            .containers()
            .iter()
            .filter(|c| c.mount_points.iter().any(|m| m.kind == MountPointKind::Volume && m.name == name))
            .map(|c| c.name.clone())
            .collect();
        Some(VolumeFacts { name: v.name.clone(), anonymous: v.anonymous, labels: v.labels.clone(), used_by })
    }

    /// Every volume, by name.
    pub fn volumes(&self) -> Vec<VolumeFacts> {
        self.world.volumes().keys().filter_map(|name| self.volume(name)).collect()
    }

    /// A file of the host, as root sees it (symlinks followed).
    pub fn host_file(&self, path: &str) -> Option<FileFacts> {
        self.file(Ns::Host, &normalize("/", path))
    }

    /// A file inside a volume's data (`path` is relative to the volume's root; it cannot
    /// climb out of it).
    pub fn volume_file(&self, volume: &str, path: &str) -> Option<FileFacts> {
        self.world.volumes().get(volume)?;
        let inside = normalize("/", path);
        self.host_file(&format!("/var/lib/docker/volumes/{volume}/_data{}", if inside == "/" { "" } else { &inside }))
    }

    /// A file as the container sees it, and where it comes from (an image layer, the writable
    /// layer, a volume, a bind, a tmpfs).
    pub fn container_file(&self, container: &str, path: &str) -> Option<(FileFacts, Origin)> {
        let ns = Ns::Container(self.world.find_container(container)?);
        let path = normalize("/", path);
        let facts = self.file(ns.clone(), &path)?;
        let loc = self.world.resolve(&Ctx::root(ns.clone()), &path, true).ok()?;
        Some((facts, origin(self.world, &ns, &loc)))
    }

    /// What the container's writable layer itself holds at `path` (not the merged view).
    pub fn upper_entry(&self, container: &str, path: &str) -> Option<UpperEntry> {
        let c = self.world.named_container(container)?;
        let path = normalize("/", path);
        let mut node = c.upper;
        for name in components(&path) {
            node = self.world.fs().lookup(node, name)?;
        }
        Some(match &self.world.fs().get(node).kind {
            Kind::File(data) => UpperEntry::File { size: data.len() },
            Kind::Dir { opaque, .. } => UpperEntry::Dir { opaque: *opaque },
            Kind::Whiteout => UpperEntry::Whiteout,
            Kind::Symlink(_) => UpperEntry::Symlink,
            Kind::CharDev { .. } | Kind::BlockDev { .. } | Kind::Socket | Kind::Fifo => UpperEntry::File { size: 0 },
        })
    }

    /// An image by reference (`name[:tag]`, id or id prefix).
    pub fn image(&self, reference: &str) -> Option<ImageFacts> {
        let im = self.world.images().get(crate::daemon::find_image(self.world, reference)?)?;
        Some(ImageFacts { id: im.id.clone(), tags: im.tags.clone(), layers: im.layers.len() })
    }

    /// Every layer of the store, in store order.
    pub fn layers(&self) -> Vec<LayerFacts> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let fs = self.world.fs();
        let layers = self.world.layers().iter().map(|layer| {
            let mut h = DefaultHasher::new();
            fs.walk(layer.root, "", &mut |path, _, inode| {
                path.hash(&mut h);
                match &inode.kind {
                    Kind::File(Data::Bytes(b)) => (0u8, &b[..]).hash(&mut h),
                    Kind::File(Data::Opaque(n)) => (1u8, n).hash(&mut h),
                    Kind::Dir { opaque, .. } => (2u8, opaque).hash(&mut h),
                    Kind::Symlink(t) => (3u8, t).hash(&mut h),
                    Kind::Whiteout => 4u8.hash(&mut h),
                    Kind::CharDev { major, minor } => (5u8, major, minor).hash(&mut h),
                    Kind::Socket => 6u8.hash(&mut h),
                    Kind::Fifo => 7u8.hash(&mut h),
                    Kind::BlockDev { major, minor } => (8u8, major, minor).hash(&mut h),
                }
                (inode.uid, inode.gid, inode.mode, inode.mtime, inode.xattr_block, inode.copied_up).hash(&mut h);
            });
            let root = fs.get(layer.root);
            (root.uid, root.gid, root.mode, root.mtime).hash(&mut h);
            LayerFacts { diff_id: layer.diff_id.clone(), cache_id: layer.cache_id.clone(), digest: h.finish() }
        });
        layers.collect()
    }

    /// How many inodes the machine holds (files, directories, … of the host, the layers, the
    /// containers and the volumes): the size of a world, for benchmarks.
    pub fn inodes(&self) -> usize {
        self.world.fs().live()
    }

    fn file(&self, ns: Ns, path: &str) -> Option<FileFacts> {
        let ctx = Ctx::root(ns);
        let st = self.world.stat(&ctx, path, true).ok()?;
        let kind = match st.ftype {
            crate::fs::FileType::File => FileKind::File,
            crate::fs::FileType::Dir => FileKind::Dir,
            crate::fs::FileType::Symlink => FileKind::Symlink,
            _ => FileKind::Other,
        };
        let content = match (kind, self.world.read(&ctx, path)) {
            (FileKind::File, Ok(Data::Bytes(bytes))) => Some(bytes.to_vec()),
            _ => None,
        };
        Some(FileFacts { kind, uid: st.uid, gid: st.gid, mode: st.mode, size: st.size, content })
    }
}

/// What a level's goals may ask of one container.
fn facts(c: &crate::world::Container) -> ContainerFacts {
    let state = match c.status {
        Status::Created => RunState::Created,
        Status::Running => RunState::Running,
        Status::Exited => RunState::Exited(c.exit_code),
    };
    let mounts = c
        .mount_points
        .iter()
        .map(|m| MountFacts {
            target: m.destination.clone(),
            source: match m.kind {
                MountPointKind::Volume => MountSource::Volume { name: m.name.clone(), anonymous: m.anonymous },
                MountPointKind::Bind => MountSource::Bind { host_path: m.source.clone() },
                MountPointKind::Tmpfs => MountSource::Tmpfs,
            },
            read_only: !m.rw,
        })
        .collect();
    ContainerFacts {
        id: c.id.to_string(),
        name: c.name.clone(),
        image: c.image_ref.clone(),
        state,
        user: c.user.clone(),
        read_only_rootfs: c.host.readonly_rootfs,
        mounts,
    }
}

#[cfg(test)]
mod tests {
    use crate::query::{FileKind, MountSource, RunState, UpperEntry};
    use crate::view::Origin;
    use crate::Engine;

    fn engine_after(lines: &[&str]) -> Engine {
        let mut e = Engine::new();
        for line in lines {
            let o = e.run(line);
            assert_eq!(o.exit_code, 0, "{line}: {}", o.stderr);
        }
        e
    }

    #[test]
    fn containers_and_their_mounts() {
        let e = engine_after(&[
            "docker volume create data",
            "mkdir -p ~/site",
            "docker run -d --name web -v data:/data -v ~/site:/srv/web:ro --tmpfs /cache demo/app:1.0 sleep 3600",
            "docker create --name idle demo/app:1.0",
        ]);
        let mut e = e;
        assert_eq!(e.run("docker run --name done demo/app:1.0 sh -c 'exit 3'").exit_code, 3);
        let q = e.query();
        let web = q.container("web").expect("web");
        assert_eq!((web.image.as_str(), &web.state), ("demo/app:1.0", &RunState::Running));
        assert_eq!(web.mounts.len(), 3);
        assert_eq!(web.mounts[0].source, MountSource::Volume { name: "data".into(), anonymous: false });
        assert_eq!((web.mounts[1].target.as_str(), web.mounts[1].read_only), ("/srv/web", true));
        assert_eq!(web.mounts[1].source, MountSource::Bind { host_path: "/home/student/site".into() });
        assert_eq!(web.mounts[2].source, MountSource::Tmpfs);
        assert_eq!(q.container("idle").map(|c| c.state), Some(RunState::Created));
        assert_eq!(q.container("done").map(|c| c.state), Some(RunState::Exited(3)));
        // By id prefix too, as docker finds them.
        assert_eq!(q.container(web.id.get(..12).expect("an id")).map(|c| c.name), Some("web".to_string()));
        assert!(q.container("nosuch").is_none());
        assert_eq!(q.containers().iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["web", "idle", "done"]);
    }

    #[test]
    fn a_volume_outlives_its_container_with_its_files_and_owner() {
        let e = engine_after(&[
            "docker run --name writer -v notes:/data demo/app:1.0 sh -c 'echo remember > /data/notes.txt && chown 1000:1000 /data/notes.txt'",
            "docker rm writer",
        ]);
        let q = e.query();
        assert!(q.container("writer").is_none());
        let notes = q.volume("notes").expect("the volume stays");
        assert!(notes.used_by.is_empty() && !notes.anonymous);
        let file = q.volume_file("notes", "/notes.txt").expect("the file stays");
        assert_eq!((file.kind, file.uid, file.gid, file.mode), (FileKind::File, 1000, 1000, 0o644));
        assert!(file.contains("remember") && !file.contains("forget"));
        assert_eq!(q.volume_file("notes", "notes.txt"), Some(file));
        // A path cannot climb out of the volume.
        assert!(q.volume_file("notes", "../../../../../etc/passwd").is_none());
        assert!(q.volume_file("nosuch", "notes.txt").is_none());
    }

    #[test]
    fn a_container_sees_files_from_layers_its_writable_layer_and_mounts() {
        let e = engine_after(&[
            "docker run -d --name box -v data:/data demo/app:1.0 sleep 3600",
            "docker exec box sh -c 'echo changed >> /etc/app/app.conf && rm /srv/web/index.html && echo v > /data/v'",
        ]);
        let q = e.query();
        let (conf, from) = q.container_file("box", "/etc/app/app.conf").expect("app.conf");
        assert_eq!(from, Origin::WritableLayer);
        assert!(conf.contains("changed"));
        assert_eq!(q.upper_entry("box", "/etc/app/app.conf").map(|u| matches!(u, UpperEntry::File { .. })), Some(true));
        // The deleted image file: gone from the container, a whiteout in its layer.
        assert!(q.container_file("box", "/srv/web/index.html").is_none());
        assert_eq!(q.upper_entry("box", "/srv/web/index.html"), Some(UpperEntry::Whiteout));
        assert_eq!(q.container_file("box", "/data/v").map(|(_, o)| o), Some(Origin::Volume("data".into())));
        assert!(matches!(q.container_file("box", "/bin/sh").map(|(_, o)| o), Some(Origin::ImageLayer(_))));
        assert!(q.upper_entry("box", "/bin/sh").is_none());
    }

    #[test]
    fn host_files_and_images() {
        let e = engine_after(&["sudo mkdir -p /srv/owned", "docker tag demo/app:1.0 mine:1"]);
        let q = e.query();
        let dir = q.host_file("/srv/owned").expect("created");
        assert_eq!((dir.kind, dir.uid, dir.mode), (FileKind::Dir, 0, 0o755));
        assert!(q.host_file("/nope").is_none());
        let image = q.image("mine:1").expect("tagged");
        assert!(image.tags.contains(&"demo/app:1.0".to_string()) && image.layers > 0);
        assert_eq!(q.image(&image.id).map(|i| i.tags), Some(image.tags));
    }
}
