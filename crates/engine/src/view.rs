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
    /// The main process's exit status, once it has exited.
    pub exit_code: Option<i32>,
    /// The process's user as `uid:gid`.
    pub user: String,
    /// Image layers, bottom first.
    pub layers: Vec<LayerView>,
    /// Entries of the writable layer (files, dirs, whiteouts, opaque dirs), the first
    /// [`WRITABLE_LISTED`] in path order.
    pub writable: Vec<EntryView>,
    /// How many entries the writable layer has in all.
    pub writable_entries: usize,
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

// ------------------------------------------------------------------------ building views

use crate::events::{Event, Place};
use crate::vfs::{Ctx, Node, Ns};
use crate::world::{Container, MountPointKind, Status, World};

/// The most writable-layer entries a view lists: a container that wrote 10,000 files would
/// otherwise cost a walk and 10,000 entries after every command (the map shows a few and a count).
pub const WRITABLE_LISTED: usize = 256;

fn writable_entry(path: &str, inode: &crate::fs::Inode) -> EntryView {
    let kind = match &inode.kind {
        crate::fs::Kind::Whiteout => EntryKind::Whiteout,
        crate::fs::Kind::Dir { opaque: true, .. } => EntryKind::OpaqueDir,
        crate::fs::Kind::Dir { .. } => EntryKind::Dir,
        crate::fs::Kind::Symlink(_) => EntryKind::Symlink,
        _ => EntryKind::File,
    };
    EntryView {
        path: path.to_string(),
        kind,
        size: inode.size(),
        uid: inode.uid,
        gid: inode.gid,
        mode: inode.mode,
        origin: Origin::WritableLayer,
    }
}

/// The paths the last command changed in `container`'s writable layer.
fn changed_in_upper<'w>(world: &'w World, container: &'w str) -> impl Iterator<Item = &'w str> {
    world.events().iter().filter_map(move |event| match event {
        Event::CopyUp { container: c, path, .. } | Event::Whiteout { container: c, path } | Event::OpaqueDir { container: c, path }
            if c == container =>
        {
            Some(path.as_str())
        }
        Event::FileWritten { place: Place::WritableLayer { container: c }, path, .. } if c == container => Some(path.as_str()),
        _ => None,
    })
}

/// The inode at absolute `path` below `root`, following names only (no symlinks, no mounts).
fn lookup_path(world: &World, root: crate::fs::InodeId, path: &str) -> Option<crate::fs::InodeId> {
    path.split('/').filter(|part| !part.is_empty()).try_fold(root, |dir, name| world.fs().lookup(dir, name))
}

fn layer_views(world: &World, layers: &[usize]) -> Vec<LayerView> {
    layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let layer = &world.layers()[*l];
            let image = world.images().iter().find(|im| im.layers.contains(l));
            let created_by = image
                .map(|im| {
                    // The history rows that made layers, in order.
                    let rows: Vec<&String> = im.history.iter().filter(|h| !h.empty_layer).map(|h| &h.created_by).collect();
                    let pos = im.layers.iter().position(|x| x == l).unwrap_or(i);
                    rows.get(pos).map(|s| s.to_string()).unwrap_or_default()
                })
                .unwrap_or_default();
            let users = world.images().iter().filter(|im| im.layers.contains(l)).count();
            LayerView {
                diff_id_short: layer.diff_id.trim_start_matches("sha256:").chars().take(12).collect(),
                created_by,
                size: layer.size,
                shared: users > 1,
            }
        })
        .collect()
}

/// What the map shows of one container.
pub fn container_view(world: &World, c: &Container) -> ContainerView {
    let layers = world.image_of(c).map(|im| layer_views(world, &im.layers)).unwrap_or_default();
    let mut writable = Vec::new();
    world.fs().walk_while(c.upper, "", &mut |path, _, inode| {
        writable.push(writable_entry(path, inode));
        writable.len() < WRITABLE_LISTED
    });
    // What the last command changed is listed even past the limit (up to as many again):
    // the map shows it.
    for path in changed_in_upper(world, &c.name).take(WRITABLE_LISTED) {
        if !writable.iter().any(|e| e.path == path) {
            if let Some(inode) = lookup_path(world, c.upper, path) {
                writable.push(writable_entry(path, world.fs().get(inode)));
            }
        }
    }
    let (writable_bytes, writable_entries) = world.fs().usage(c.upper);
    let user = crate::userland::users::resolve_user(world, &Ctx::root(Ns::Container(c.id.clone())), &c.user)
        .map(|(cr, _)| format!("{}:{}", cr.uid, cr.gid))
        .unwrap_or_else(|_| c.user.clone());
    let mounts = c
        .mount_points
        .iter()
        .map(|m| MountView {
            target: m.destination.clone(),
            source: match m.kind {
                MountPointKind::Volume => MountSource::Volume {
                    name: m.name.clone(),
                    anonymous: world.volumes().get(&m.name).map(|v| v.anonymous).unwrap_or(m.anonymous),
                },
                MountPointKind::Bind => MountSource::Bind { host_path: m.source.clone() },
                MountPointKind::Tmpfs => {
                    let used = c.mounts.iter().find(|x| x.target == m.destination).map(|x| world.fs().usage(x.root).0).unwrap_or(0);
                    MountSource::Tmpfs {
                        size_limit: m
                            .tmpfs_size
                            .map(|s| s.div_ceil(4096) * 4096)
                            .or_else(|| crate::docker::mounts::tmpfs_options(&m.tmpfs_opts).ok().and_then(|t| t.size)),
                        used,
                    }
                }
            },
            read_only: !m.rw,
        })
        .collect();
    ContainerView {
        name: c.name.clone(),
        id_short: c.short_id().to_string(),
        image: c.image_ref.clone(),
        state: match c.status {
            Status::Created => ContainerState::Created,
            Status::Running if c.paused => ContainerState::Paused,
            Status::Running => ContainerState::Running,
            Status::Exited => ContainerState::Exited,
        },
        status: crate::docker::status_text(world, c),
        exit_code: (c.status == Status::Exited).then_some(c.exit_code),
        user,
        layers,
        writable_bytes,
        writable_entries,
        writable,
        mounts,
        read_only_root: c.host.readonly_rootfs,
    }
}

pub fn snapshot(world: &World) -> WorldView {
    let images = world
        .images()
        .iter()
        .map(|im| ImageView {
            id_short: im.short_id().to_string(),
            tags: im.tags.clone(),
            layers: layer_views(world, &im.layers),
            size: im.size,
        })
        .collect();
    let containers = world.containers().iter().map(|c| container_view(world, c)).collect();
    let volumes = world
        .volumes()
        .values()
        .map(|v| {
            let (bytes, files) = world.fs().usage(v.root);
            let used_by = world
                .containers()
                .iter()
                .filter(|c| c.mount_points.iter().any(|m| m.kind == MountPointKind::Volume && m.name == v.name))
                .map(|c| c.name.clone())
                .collect();
            VolumeView { name: v.name.clone(), anonymous: v.anonymous, used_by, files, bytes }
        })
        .collect();
    let mut binds: Vec<BindView> = Vec::new();
    for c in world.containers() {
        for m in c.mount_points.iter().filter(|m| m.kind == MountPointKind::Bind) {
            match binds.iter_mut().find(|b| b.host_path == m.source) {
                Some(b) => b.used_by.push(c.name.clone()),
                None => binds.push(BindView { host_path: m.source.clone(), used_by: vec![c.name.clone()] }),
            }
        }
    }
    WorldView { images, containers, volumes, binds }
}

/// Where the entry at `loc` comes from, in the namespace `ns`.
pub(crate) fn origin(world: &World, ns: &Ns, loc: &crate::vfs::Loc) -> Origin {
    match (world.ns_container(ns), loc.mount, &loc.node) {
        (None, _, _) => Origin::Host,
        (Some(c), Some(m), _) => match c.mounts.get(m).map(|m| &m.kind) {
            Some(crate::world::MountKind::Volume { name }) => Origin::Volume(name.clone()),
            Some(crate::world::MountKind::Bind { source }) => Origin::Bind(source.clone()),
            Some(crate::world::MountKind::Tmpfs) => Origin::Tmpfs,
            Some(crate::world::MountKind::System(_) | crate::world::MountKind::Disk { .. }) | None => Origin::Docker,
        },
        (Some(c), None, Node::Merged(stack)) => {
            let layer_count = world.image_of(c).map_or(0, |im| im.layers.len());
            match stack.first().map_or(0, |top| top.0) {
                0 => Origin::WritableLayer,
                1 => Origin::Docker,
                pos => Origin::ImageLayer((layer_count + 2).saturating_sub(pos)),
            }
        }
        _ => Origin::Host,
    }
}

pub fn list_dir(world: &World, target: &ExplorerTarget, path: &str) -> Vec<EntryView> {
    let ns = match target {
        ExplorerTarget::Host => Ns::Host,
        ExplorerTarget::Container(name) => match world.find_container(name) {
            Some(id) => Ns::Container(id),
            None => return Vec::new(),
        },
    };
    let ctx = Ctx::root(ns.clone());
    let Ok(dir) = world.resolve(&ctx, path, true) else { return Vec::new() };
    let Ok(entries) = world.list(&ctx, &dir) else { return Vec::new() };
    entries
        .into_iter()
        .map(|(name, loc)| {
            let st = world.stat_loc(&ns, &loc);
            let origin = origin(world, &ns, &loc);
            let kind = match st.ftype {
                crate::fs::FileType::Dir => EntryKind::Dir,
                crate::fs::FileType::Symlink => EntryKind::Symlink,
                _ => EntryKind::File,
            };
            let p = if path.ends_with('/') { format!("{path}{name}") } else { format!("{path}/{name}") };
            EntryView { path: p, kind, size: st.size, uid: st.uid, gid: st.gid, mode: st.mode, origin }
        })
        .collect()
}

const DOCKER_WORDS: [&str; 25] = [
    "run",
    "create",
    "start",
    "stop",
    "restart",
    "rm",
    "exec",
    "ps",
    "inspect",
    "diff",
    "logs",
    "volume",
    "image",
    "images",
    "history",
    "rmi",
    "system",
    "container",
    "commit",
    "cp",
    "export",
    "build",
    "compose",
    "info",
    "version",
];

/// Completions for the word before `cursor`; paths complete in the file system `ctx` sees (the
/// host's, or a container's inside an interactive session).
pub fn complete(world: &World, ctx: &Ctx, home: &str, line: &str, cursor: usize) -> Vec<String> {
    let before = line.get(..cursor.min(line.len())).unwrap_or(line);
    let (earlier, word) = before.rsplit_once(' ').unwrap_or(("", before));
    let words: Vec<&str> = earlier.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    if words.is_empty() {
        // A command name, as bash completes one: the builtins, then the programs on the PATH.
        out.extend(crate::shell::builtins::BUILTINS.iter().filter(|b| b.len() > 1).map(|b| b.to_string()));
        match ctx.ns {
            Ns::Host => out.extend(crate::userland::HOST_PROGRAMS.iter().map(|p| p.to_string())),
            Ns::Container(_) => {
                for dir in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
                    let Ok(loc) = world.resolve(ctx, dir, true) else { continue };
                    let Ok(entries) = world.list(ctx, &loc) else { continue };
                    out.extend(entries.into_iter().filter(|(n, l)| n.starts_with(word) && !world.is_dir_node(&l.node)).map(|(n, _)| n));
                }
            }
        }
    } else if words == ["docker"] {
        out.extend(DOCKER_WORDS.iter().map(|s| s.to_string()));
    } else if words.first() == Some(&"docker") {
        if words.get(1) == Some(&"volume") && words.len() == 2 {
            out.extend(["create", "ls", "inspect", "rm", "prune"].iter().map(|s| s.to_string()));
        } else if words.get(1) == Some(&"system") && words.len() == 2 {
            out.extend(["df", "info", "prune"].iter().map(|s| s.to_string()));
        } else {
            out.extend(world.containers().iter().map(|c| c.name.clone()));
            out.extend(world.volumes().keys().cloned());
            out.extend(world.images().iter().flat_map(|im| im.tags.clone()));
        }
    }
    let path_like = word.contains('/') || word.starts_with('.') || word.starts_with('~');
    // Arguments of commands other than docker are paths, as in bash; docker's are names.
    if path_like || (!words.is_empty() && words.first() != Some(&"docker")) {
        // The directory part keeps its `/` (`~/my-app/` + `a` → `~/my-app/app.py`).
        let (dir, prefix) = match word.rfind('/').and_then(|i| word.split_at_checked(i + 1)) {
            Some((dir, prefix)) => (dir, prefix),
            None => ("", word),
        };
        let dir_path = match dir {
            "" => ".".to_string(),
            // `~/x` completes in the home directory and keeps the `~` the learner typed.
            d if d.starts_with("~/") => format!("{home}{}", d.strip_prefix('~').unwrap_or(d)),
            d => d.to_string(),
        };
        if let Ok(loc) = world.resolve(ctx, &dir_path, true) {
            if let Ok(entries) = world.list(ctx, &loc) {
                for (n, l) in entries {
                    if n.starts_with(prefix) {
                        let slash = if world.is_dir_node(&l.node) { "/" } else { "" };
                        out.push(format!("{dir}{n}{slash}"));
                    }
                }
            }
        }
    }
    out.retain(|c| c.starts_with(word));
    crate::sorting::sort(&mut out);
    out.dedup();
    out
}

#[cfg(test)]
mod writable_listing_tests {
    use crate::Engine;

    #[test]
    fn a_writable_layer_of_many_files_is_listed_in_part_and_counted_in_full() {
        let mut e = Engine::new();
        let out = e.run("docker run -d --name big busybox sh -c 'mkdir /many && cd /many && for a in 0 1 2 3 4 5 6 7 8 9; do for b in 0 1 2 3 4 5 6 7 8 9; do for c in 0 1 2 3 4 5 6 7 8 9; do echo x > f$a$b$c; done; done; done; sleep 3600'");
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        // Right after, what the command changed is listed too (up to the limit again).
        assert!(e.view().containers[0].writable.len() <= 2 * super::WRITABLE_LISTED);
        e.run("true");
        let view = e.view();
        let big = &view.containers[0];
        assert_eq!(big.writable.len(), super::WRITABLE_LISTED);
        assert_eq!(big.writable_entries, 1001, "/many and its 1,000 files");
        assert_eq!(big.writable_bytes, 2000);
        assert_eq!((big.writable[0].path.as_str(), big.writable[1].path.as_str()), ("/many", "/many/f000"));

        // A change far down the list is listed too, for the map to show it.
        let out = e.run("docker exec big sh -c 'echo more >> /many/f999'");
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        let big = &e.view().containers[0];
        assert_eq!(big.writable.len(), super::WRITABLE_LISTED + 1);
        let last = big.writable.last().unwrap();
        assert_eq!((last.path.as_str(), last.size), ("/many/f999", 7));
    }
}
