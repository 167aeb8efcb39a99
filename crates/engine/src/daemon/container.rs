//! Containers, as dockerd keeps them: created from a spec (layers, mount points, volumes filled
//! from the image), started (the mount table), stopped (tmpfs content gone), removed (the
//! writable layer gone, anonymous volumes with it on request), and their changes for `diff`.
//!
//! Architecture invariant: every function here changes state through the world and emits the
//! event of each change; none prints, none runs a program.

use std::collections::BTreeMap;

pub use super::host::{host_dir, host_root_ctx};
use super::host::{mkdir_p, mkdir_p_host};
use super::spec::{tmpfs_options, ContainerSpec, Origin, Request, Source, TmpfsOptions};
use super::volume::{create_volume, delete_volume, validate_name};
use super::{find_image, DaemonError};
use crate::events::{ContainerState, Event};
use crate::fs::{Data, InodeId, Kind};
use crate::vfs::{Ctx, Ns};
use crate::world::{Container, ContainerId, HostConfig, Mount, MountKind, MountPoint, MountPointKind, Status, SystemMount, World};

/// The most containers the simulated machine holds.
pub const MAX_CONTAINERS: usize = 500;

fn valid_name(name: &str) -> bool {
    let mut c = name.chars();
    match c.next() {
        Some(f) if f.is_ascii_alphanumeric() => {}
        _ => return false,
    }
    name.len() >= 2 && c.all(|ch| ch.is_ascii_alphanumeric() || "_.-".contains(ch))
}

const ADJECTIVES: [&str; 16] = [
    "admiring",
    "brave",
    "clever",
    "dazzling",
    "eager",
    "focused",
    "gifted",
    "happy",
    "jolly",
    "keen",
    "lucid",
    "modest",
    "nifty",
    "optimistic",
    "quirky",
    "serene",
];

const SURNAMES: [&str; 16] = [
    "babbage", "curie", "darwin", "einstein", "feynman", "galileo", "hopper", "kepler", "lovelace", "meitner", "newton", "noether",
    "pascal", "ritchie", "turing", "wozniak",
];

/// Docker's rule for container names.
pub(crate) fn check_name(name: &str) -> Result<(), DaemonError> {
    if valid_name(name) {
        Ok(())
    } else {
        Err(DaemonError::InvalidContainerName(name.to_string()))
    }
}

/// The labels and driver options a `--mount` gives the volume it creates.
type VolumeSettings = (BTreeMap<String, String>, BTreeMap<String, String>);

/// `Config.Entrypoint` and `Config.Cmd` as moby merges the line's with the image's: an
/// entrypoint on the line (`[""]` when given empty) replaces the image's and drops its CMD;
/// otherwise the line's command, else the image's CMD.
fn merged_command(spec: &ContainerSpec, image: &crate::world::ImageConfig) -> (Option<Vec<String>>, Option<Vec<String>>) {
    let line_entrypoint = spec.entrypoint.as_ref().map(|e| vec![e.clone()]);
    let cmd = if !spec.command.is_empty() {
        Some(spec.command.clone())
    } else if line_entrypoint.is_some() {
        None
    } else {
        image.cmd.clone()
    };
    (line_entrypoint.or_else(|| image.entrypoint.clone()), cmd)
}

/// The simulation's own bound on containers (a loop of `docker run` must end).
pub(crate) fn room_for_one_more(world: &World) -> Result<(), DaemonError> {
    if world.containers().len() >= MAX_CONTAINERS {
        return Err(DaemonError::TooManyContainers(MAX_CONTAINERS));
    }
    Ok(())
}

/// Creates a container from `spec`: checks it in dockerd's order, then lays out its writable
/// and init layers, its mount points (creating volumes and missing bind sources) and fills
/// empty volumes from the image. Prints nothing; the image must be on the machine.
pub(crate) fn create(world: &mut World, spec: &ContainerSpec) -> Result<ContainerId, DaemonError> {
    if let Some(n) = &spec.name {
        check_name(n)?;
    }
    room_for_one_more(world)?;
    let img = find_image(world, &spec.image).ok_or_else(|| DaemonError::NoSuchImage(spec.image.clone()))?;
    // An image without CMD or ENTRYPOINT (an imported one) runs only what the line names;
    // `--entrypoint ""` clears the image's and runs the line's command alone (oracle-112).
    let (config_entrypoint, config_cmd) = merged_command(spec, &world.images()[img].config);
    let runs: Vec<String> =
        config_entrypoint.iter().flatten().chain(config_cmd.iter().flatten()).filter(|a| !a.is_empty()).cloned().collect();
    if runs.is_empty() {
        return Err(DaemonError::NoCommand);
    }
    if let Some(m) = spec.refused_volumes.first() {
        return Err(DaemonError::InvalidMount(m.clone()));
    }
    let mut mount_reqs: Vec<Request> = Vec::new();
    for r in &spec.mounts {
        match r {
            Ok(r) => mount_reqs.push(r.clone()),
            Err(m) => return Err(DaemonError::InvalidMount(m.clone())),
        }
    }
    for r in &mount_reqs {
        if let Source::Bind(src) = &r.source {
            if world.stat(&host_root_ctx(), src, true).is_err() {
                return Err(DaemonError::BindSourceMissing(src.clone()));
            }
        }
    }
    let mut tmpfs_reqs = Vec::new();
    for t in &spec.tmpfs {
        match t {
            Ok(r) => tmpfs_reqs.push(r.clone()),
            Err(m) => return Err(DaemonError::InvalidMount(m.clone())),
        }
    }
    // Duplicate mount points among -v, --mount and --tmpfs.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for r in spec.volumes.iter().chain(mount_reqs.iter()).chain(tmpfs_reqs.iter()) {
        let key = format!("{:?}|{}", r.source, r.read_only);
        if let Some(prev) = seen.get(&r.target) {
            if *prev != key || r.origin != Origin::Bind {
                return Err(DaemonError::DuplicateMountPoint(r.target.clone()));
            }
        }
        seen.insert(r.target.clone(), key);
    }
    // Named volumes from --mount are created (and their names checked) before -v ones.
    for r in mount_reqs.iter().chain(spec.volumes.iter()) {
        if let Source::Volume(Some(n)) = &r.source {
            validate_name(n).map_err(DaemonError::InvalidVolumeName)?;
        }
    }
    if let Some(n) = &spec.name {
        if let Some(other) = world.containers().iter().find(|c| c.name == *n) {
            return Err(DaemonError::NameConflict { name: n.clone(), id: other.id.clone() });
        }
    }
    let mut volumes_from = Vec::new();
    for vf in &spec.volumes_from {
        let (cname, mode) = match vf.split_once(':') {
            Some((c, m)) => (c.to_string(), m.to_string()),
            None => (vf.clone(), String::new()),
        };
        let src = world.find_container(&cname).ok_or(DaemonError::NoSuchContainer(cname))?;
        volumes_from.push((src, mode, vf.clone()));
    }
    let image = world.images()[img].clone();
    // The user must exist in the image (checked at create).
    let user = spec.user.clone().unwrap_or_else(|| image.config.user.clone());
    let id = ContainerId::new(&world.ids().hex64());
    let name = spec.name.clone().unwrap_or_else(|| {
        let a = ADJECTIVES[(world.ids().next_u64() % 16) as usize];
        let b = SURNAMES[(world.ids().next_u64() % 16) as usize];
        format!("{a}_{b}")
    });
    let layer_id = world.ids().hex64();
    let init_link = world.ids().chars(26, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    let now = world.clock().nanos;
    let secs = world.clock().secs();
    // The init layer and the (empty) upper dir, as directories on the host.
    let overlay = host_dir(world, "/var/lib/docker/overlay2");
    let upper_parent = world.fs_mut().new_dir(0, 0, 0o710, secs);
    world.fs_mut().link(overlay, &layer_id, upper_parent);
    let upper = world.fs_mut().new_dir(0, 0, 0o755, secs);
    world.fs_mut().link(upper_parent, "diff", upper);
    let init_parent = world.fs_mut().new_dir(0, 0, 0o710, secs);
    world.fs_mut().link(overlay, &format!("{layer_id}-init"), init_parent);
    let init = world.fs_mut().new_dir(0, 0, 0o755, secs);
    world.fs_mut().link(init_parent, "diff", init);
    {
        let mut b = crate::fs::TreeBuilder { fs: world.fs_mut(), root: init };
        b.file(".dockerenv", "", 0, 0, 0o755, secs);
        for d in ["dev", "dev/pts", "dev/shm", "etc"] {
            b.dir(d, 0, 0, 0o755, secs);
        }
        // The console runc binds a terminal onto; `docker export` lists it (oracle-109).
        b.file("dev/console", "", 0, 0, 0o755, secs);
        b.file("etc/hostname", "", 0, 0, 0o755, secs);
        b.file("etc/hosts", "", 0, 0, 0o755, secs);
        b.file("etc/resolv.conf", "", 0, 0, 0o755, secs);
        b.node("etc/mtab", Kind::Symlink("/proc/mounts".into()), 0, 0, 0o777, secs);
    }
    super::docker_root::container_dir(world, &id, secs);
    let (path, cmd_args) = match runs.split_first() {
        Some((path, args)) => (path.clone(), args.to_vec()),
        None => ("sh".to_string(), Vec::new()),
    };
    // dockerd's merge: the user's variables first, then the image's they do not set (oracle-141).
    let mut env: Vec<String> = Vec::new();
    for e in &spec.env {
        let kv = if e.contains('=') { e.clone() } else { format!("{e}=") };
        let k = kv.split('=').next().unwrap_or("").to_string();
        env.retain(|x| !x.starts_with(&format!("{k}=")));
        env.push(kv);
    }
    for e in &image.config.env {
        let k = e.split('=').next().unwrap_or("");
        if !env.iter().any(|x| x.split('=').next() == Some(k)) {
            env.push(e.clone());
        }
    }
    let labels = spec.labels.clone();
    let binds: Vec<String> = spec.volumes.iter().filter(|r| !matches!(r.source, Source::Volume(None))).map(|r| r.raw.clone()).collect();
    let mut config_volumes: Vec<String> = image.config.volumes.clone();
    for r in &spec.volumes {
        if matches!(r.source, Source::Volume(None)) && !config_volumes.contains(&r.target) {
            config_volumes.push(r.target.clone());
        }
    }
    crate::sorting::sort(&mut config_volumes);
    let mut tmpfs_map = BTreeMap::new();
    for t in &tmpfs_reqs {
        tmpfs_map.insert(t.target.clone(), t.tmpfs_opts.clone());
    }
    let host = HostConfig {
        binds: if binds.is_empty() { None } else { Some(binds) },
        mounts: mount_reqs.iter().filter_map(|r| r.mount_json.clone()).collect(),
        tmpfs: tmpfs_map,
        readonly_rootfs: spec.read_only,
        volumes_from: if volumes_from.is_empty() { None } else { Some(volumes_from.iter().map(|v| v.2.clone()).collect()) },
        auto_remove: spec.auto_remove,
        network_mode: spec.network_mode.clone(),
        port_bindings: spec.port_bindings.clone(),
        publish_all: spec.publish_all,
        group_add: spec.group_add.clone(),
        shm_size: spec.shm_size.unwrap_or(64 << 20),
        cap_add: spec.cap_add.clone(),
        cap_drop: spec.cap_drop.clone(),
        privileged: spec.privileged,
        extra_hosts: spec.extra_hosts.clone(),
        restart: spec.restart.clone(),
        log_driver: if spec.log_driver.is_empty() { "json-file".into() } else { spec.log_driver.clone() },
        ipc_mode: if spec.ipc_mode.is_empty() { "private".into() } else { spec.ipc_mode.clone() },
        devices: spec.devices.clone(),
        resources: {
            let mut resources = spec.resources.clone();
            super::resources::adapt_for_create(&mut resources);
            resources
        },
    };
    let container = Container {
        id: id.clone(),
        name: name.clone(),
        image_id: image.id.clone(),
        image_ref: spec.image.clone(),
        created: now,
        path,
        args: cmd_args,
        config_entrypoint,
        config_cmd,
        env,
        user: user.clone(),
        working_dir: spec.workdir.clone().unwrap_or(if image.config.working_dir.is_empty() {
            "/".into()
        } else {
            image.config.working_dir.clone()
        }),
        config_volumes,
        labels,
        // `--stop-signal`, or the image's STOPSIGNAL.
        stop_signal: spec.stop_signal.clone().or_else(|| image.config.stop_signal.clone()),
        stop_timeout: spec.stop_timeout,
        host,
        layer_id,
        init_link,
        tty: spec.tty,
        interactive: spec.interactive,
        attached: spec.attached,
        hostname: spec.hostname.clone().unwrap_or_else(|| id.short().to_string()),
        compose: spec.compose.clone(),
        ..Container::fresh(id.clone(), upper, init)
    };
    world.add_container(container);
    if let Some(c) = world.container(&id).cloned() {
        super::docker_root::register_container_dirs(world, &c, upper_parent, init_parent, secs);
        super::image_db::sync_part(world, super::image_db::Part::Mounts);
    }
    let events_before = world.events().len();
    world.emit(Event::ContainerCreated { container: name.clone(), image: spec.image.clone() });
    // The user must resolve against the image's passwd.
    if !user.is_empty() {
        let ctx = Ctx::root(Ns::Container(id.clone()));
        if let Err(m) = crate::users::resolve_user(world, &ctx, &user) {
            // Docker refuses before it creates anything: none of this container's events stand.
            remove_container(world, &id, false);
            world.rewind_events(events_before);
            return Err(DaemonError::Start { message: m, code: 125 });
        }
    }
    // Mount points: --volumes-from first, then the image's volumes, then -v, --mount, --tmpfs.
    let mut points: Vec<MountPoint> = Vec::new();
    for (src, mode, _) in &volumes_from {
        let src_points = world.container(src).map(|c| c.mount_points.clone()).unwrap_or_default();
        for mp in src_points {
            if mp.kind == MountPointKind::Tmpfs {
                continue;
            }
            let ro = match mode.as_str() {
                "ro" => true,
                "rw" => false,
                _ => !mp.rw,
            };
            let mut m = mp.clone();
            m.rw = !ro;
            m.mode = if mode == "ro" || mode == "rw" { mode.clone() } else { String::new() };
            m.anonymous = false;
            points.retain(|p| p.destination != m.destination);
            points.push(m);
        }
    }
    let mut all_reqs: Vec<Request> = Vec::new();
    for v in &image.config.volumes {
        all_reqs.push(Request::new(Source::Volume(None), v.clone(), Origin::Image, ""));
    }
    all_reqs.extend(spec.volumes.iter().cloned());
    all_reqs.append(&mut mount_reqs);
    all_reqs.extend(tmpfs_reqs);
    // What `--mount volume-label=`/`volume-opt=` give the volumes they create.
    let mut volume_settings: BTreeMap<String, VolumeSettings> = BTreeMap::new();
    for r in all_reqs {
        if let Source::Volume(Some(n)) = &r.source {
            if !r.volume_labels.is_empty() || !r.volume_opts.is_empty() {
                volume_settings.insert(n.clone(), (r.volume_labels.clone(), r.volume_opts.clone()));
            }
        }
        // Explicit mounts replace volumes-from and image volumes at the same destination.
        if r.origin == Origin::Image && points.iter().any(|p| p.destination == r.target) {
            continue;
        }
        points.retain(|p| p.destination != r.target);
        let (kind, vname, source, anonymous) = match &r.source {
            Source::Volume(Some(n)) => (MountPointKind::Volume, n.clone(), format!("/var/lib/docker/volumes/{n}/_data"), false),
            Source::Volume(None) => {
                let n = world.ids().hex64();
                // An anonymous volume takes its `volume-opt`s too (a device it mounts).
                if !r.volume_labels.is_empty() || !r.volume_opts.is_empty() {
                    volume_settings.insert(n.clone(), (r.volume_labels.clone(), r.volume_opts.clone()));
                }
                (MountPointKind::Volume, n.clone(), format!("/var/lib/docker/volumes/{n}/_data"), true)
            }
            Source::Bind(s) => (MountPointKind::Bind, String::new(), s.clone(), false),
            Source::Tmpfs => (MountPointKind::Tmpfs, String::new(), String::new(), false),
        };
        let mp = MountPoint {
            kind,
            name: vname,
            source,
            destination: r.target.clone(),
            mode: r.mode.clone(),
            rw: !r.read_only,
            propagation: if kind == MountPointKind::Bind {
                r.propagation.clone().unwrap_or_else(|| "rprivate".into())
            } else {
                String::new()
            },
            tmpfs_size: r.tmpfs_size,
            tmpfs_mode: r.tmpfs_mode,
            tmpfs_opts: r.tmpfs_opts.clone(),
            nocopy: r.nocopy,
            subpath: r.subpath.clone(),
            listed: r.origin != Origin::Tmpfs,
            anonymous,
        };
        points.push(mp);
    }
    // Create the volumes (named ones if missing, anonymous ones always) and bind sources.
    for mp in &points {
        match mp.kind {
            MountPointKind::Volume => {
                if !world.volumes().contains_key(&mp.name) {
                    let (labels, opts) = volume_settings.remove(&mp.name).unwrap_or_default();
                    let opts = if opts.is_empty() { None } else { Some(opts) };
                    create_volume(world, &mp.name, labels, opts, mp.anonymous);
                }
            }
            MountPointKind::Bind => {
                if world.stat(&host_root_ctx(), &mp.source, true).is_err() {
                    mkdir_p_host(world, &mp.source);
                    world.emit(Event::HostDirCreated { path: mp.source.clone() });
                }
            }
            MountPointKind::Tmpfs => {}
        }
    }
    if let Some(c) = world.container_mut(&id) {
        c.mount_points = points;
    }
    // The working directory is made at create, in the writable layer, as root (oracle-13).
    if let Some(dir) = spec.workdir.as_deref().filter(|d| d.starts_with('/')) {
        let ctx = Ctx::root(Ns::Container(id.clone()));
        if world.stat(&ctx, dir, true).is_err() {
            make_mount_point(world, &ctx, dir, true);
        }
    }
    // Empty volumes get the image's content at their mount point (at create, as Docker does).
    if let Err(e) = populate_volumes(world, &id) {
        remove_container(world, &id, false);
        return Err(e);
    }
    Ok(id)
}

fn populate_volumes(world: &mut World, id: &ContainerId) -> Result<(), DaemonError> {
    let Some(c) = world.container_mut(id) else { return Ok(()) };
    let (points, name, layer_id) = (c.mount_points.clone(), c.name.clone(), c.layer_id.clone());
    // Resolve in the container's root without mounts.
    let saved = std::mem::take(&mut c.mounts);
    // The image's own view of a path (what the container sees without its mounts).
    let ctx = Ctx::root(Ns::Container(id.clone()));
    let mut result = Ok(());
    for mp in points.iter().filter(|m| m.kind == MountPointKind::Volume) {
        let Some(vol) = world.volumes().get(&mp.name).cloned() else { continue };
        if vol.tmpfs {
            continue;
        }
        // A volume that binds a host directory is filled there (when it exists).
        let Ok(vol_root) = super::volume::volume_root(world, &vol) else { continue };
        let target_stat = world.stat(&ctx, &mp.destination, true);
        let Ok(st) = target_stat else { continue };
        if st.ftype != crate::fs::FileType::Dir {
            result = Err(DaemonError::MountOnFile { layer_id: layer_id.clone(), target: mp.destination.clone() });
            break;
        }
        if mp.nocopy || !mp.subpath.is_empty() {
            continue;
        }
        let empty = world.fs().get(vol_root).entries().map(|e| e.is_empty()).unwrap_or(true);
        if !empty {
            continue;
        }
        let Ok(src) = world.resolve(&ctx, &mp.destination, true) else { continue };
        let entries = world.list(&ctx, &src).unwrap_or_default();
        let mut count = 0;
        for (n, child) in entries {
            let copy = copy_merged(world, &child);
            world.fs_mut().link(vol_root, &n, copy);
            count += 1;
        }
        let (uid, gid, mode) = (st.uid, st.gid, st.mode);
        {
            let root = world.fs_mut().get_mut(vol_root);
            root.uid = uid;
            root.gid = gid;
            root.mode = mode;
        }
        if count > 0 || uid != 0 {
            world.emit(Event::VolumePopulated {
                name: mp.name.clone(),
                container: name.clone(),
                target: mp.destination.clone(),
                files: count,
                uid,
                gid,
            });
        }
    }
    if let Some(c) = world.container_mut(id) {
        c.mounts = saved;
    }
    result
}

/// Deep-copies a merged (overlay) entry into plain inodes.
fn copy_merged(world: &mut World, loc: &crate::vfs::Loc) -> InodeId {
    let top = world.fs().get(loc.top()).clone();
    match &loc.node {
        crate::vfs::Node::Merged(stack) if top.is_dir() => {
            let children = world.merged_entries(stack);
            let dir = world.fs_mut().alloc(crate::fs::Inode {
                kind: Kind::Dir { entries: BTreeMap::new(), opaque: false },
                xattr_block: false,
                copied_up: false,
                holes: Vec::new(),
                attrs: 0,
                ..top
            });
            for (n, st) in children {
                let l = crate::vfs::Loc { path: String::new(), mount: None, rel: String::new(), node: crate::vfs::Node::Merged(st) };
                let c = copy_merged(world, &l);
                world.fs_mut().link(dir, &n, c);
            }
            dir
        }
        _ => world.fs_mut().deep_copy(loc.top()),
    }
}

/// Whether the runtime can start the container's process, asked once its mount table is set
/// up (the program may come from a mount). The daemon does not run programs: its caller knows.
pub(crate) type Runnable<'a> = &'a dyn Fn(&World) -> Option<DaemonError>;

/// Builds the mount table and starts the container (without running its process). When
/// `runnable` refuses, the container stays created, with the refusal's exit status.
pub(crate) fn start_container(world: &mut World, id: &ContainerId, runnable: Runnable) -> Result<(), DaemonError> {
    // The network is set up before the runtime creates the task, and released if that fails.
    super::ports::bind_ports(world, id)?;
    let started = start_task(world, id, runnable);
    if let (Err(_), Some(c)) = (&started, world.container_mut(id)) {
        c.ports.clear();
    }
    started
}

/// Creates a missing mount point as runc does, parents included (as root, mode 755): a
/// directory, or an empty file for a file mounted. A read-only root file system does not stop
/// it: runc makes its mount points before the root is remounted read-only.
fn make_mount_point(world: &mut World, ctx: &Ctx, target: &str, dir: bool) {
    let Ns::Container(id) = &ctx.ns else { return };
    if dir {
        mkdir_p(world, ctx, target);
    } else {
        mkdir_p(world, ctx, &crate::fs::parent_and_name(target).0);
        world.as_daemon(|world| {
            let _ = world.write_file(ctx, target, &Data::empty(), crate::vfs::WriteMode::Truncate);
            let _ = world.set_meta(ctx, target, true, &mut |i| i.mode = 0o755);
        });
    }
    let container = world.container(id).map(|c| c.name.clone()).unwrap_or_default();
    world.emit(Event::MountPointCreated { container, path: target.to_string() });
}

fn start_task(world: &mut World, id: &ContainerId, runnable: Runnable) -> Result<(), DaemonError> {
    let secs = world.clock().secs();
    let Some(c) = world.container(id).cloned() else { return Err(DaemonError::NoSuchContainer(id.to_string())) };
    let ro_root = c.host.readonly_rootfs;
    let mut mounts = super::system_mounts::system_mounts(world, &c, secs)?;
    // User mounts, shallow first (Docker sorts by path depth).
    let mut points: Vec<&MountPoint> = c.mount_points.iter().collect();
    crate::sorting::sort_by_key(&mut points, |m| m.destination.matches('/').count());
    let ctx = Ctx::root(Ns::Container(id.clone()));
    // A shared or slave bind needs its source on a mount of that kind: the host's `/` is
    // private (oracle-109).
    for mp in points.iter().filter(|m| m.kind == MountPointKind::Bind) {
        let needs = match mp.propagation.as_str() {
            "shared" | "rshared" => "a shared mount",
            "slave" | "rslave" => "a shared or slave mount",
            _ => continue,
        };
        return Err(DaemonError::Start { message: format!("path {} is mounted on / but it is not {needs}", mp.source), code: 125 });
    }
    let mut new_mounts = Vec::new();
    for mp in points {
        let (root, kind, limit, proc_opts) = match mp.kind {
            MountPointKind::Volume => {
                let Some(v) = world.volumes().get(&mp.name).cloned() else { continue };
                if v.tmpfs {
                    let (size, uid, gid, mode, shown) = super::volume::tmpfs_volume_options(&v);
                    let root = world.fs_mut().new_dir(uid, gid, mode, secs);
                    (root, MountKind::Volume { name: mp.name.clone() }, size, format!("tmpfsvol:{shown}"))
                } else if let Some(disk) = super::volume::disk_volume(world, &v) {
                    let root = disk.map_err(|message| DaemonError::Start { message, code: 125 })?;
                    (root, MountKind::Volume { name: mp.name.clone() }, None, String::new())
                } else if !mp.subpath.is_empty() {
                    let vctx = Ctx::root(Ns::Host);
                    let p = format!("/var/lib/docker/volumes/{}/_data/{}", mp.name, mp.subpath);
                    match world.resolve(&vctx, &p, true) {
                        Ok(l) => (l.top(), MountKind::Volume { name: mp.name.clone() }, None, String::new()),
                        Err(_) => {
                            return Err(DaemonError::Start {
                                message: format!("cannot access path {p}: lstat {p}: no such file or directory"),
                                code: 127,
                            })
                        }
                    }
                } else {
                    // A missing directory fails the mount as the runtime does: status 127.
                    let root = super::volume::volume_root(world, &v).map_err(|message| DaemonError::Start { message, code: 127 })?;
                    (root, MountKind::Volume { name: mp.name.clone() }, None, String::new())
                }
            }
            MountPointKind::Bind => {
                // A source removed since create is made again, as root, as at create (oracle-17).
                if world.stat(&host_root_ctx(), &mp.source, true).is_err() {
                    mkdir_p_host(world, &mp.source);
                    world.emit(Event::HostDirCreated { path: mp.source.clone() });
                }
                match world.resolve(&host_root_ctx(), &mp.source, true) {
                    Ok(l) => {
                        // The root of a tmpfs mounted on the host keeps that tmpfs's size.
                        let limit = l.mount.filter(|_| l.is_mount_root()).and_then(|m| world.host_mounts().get(m)?.mount.limit);
                        (l.top(), MountKind::Bind { source: mp.source.clone() }, limit, String::new())
                    }
                    Err(_) => continue,
                }
            }
            MountPointKind::Tmpfs => {
                let opts = mp.tmpfs_opts.clone();
                let parsed = if mp.listed {
                    Ok(TmpfsOptions {
                        proc_opts: mp.tmpfs_opts.clone(),
                        size: mp.tmpfs_size.map(|s| s.div_ceil(4096) * 4096),
                        mode: mp.tmpfs_mode,
                        uid: None,
                        gid: None,
                        read_only: !mp.rw,
                    })
                } else {
                    tmpfs_options(&opts)
                };
                let t = match parsed {
                    Ok(t) => t,
                    Err(m) => return Err(DaemonError::Start { message: m.replace("{TARGET}", &mp.destination), code: 125 }),
                };
                // A tmpfs takes the mode and owner of an existing mount point directory.
                let existing = world.stat(&ctx, &mp.destination, true).ok().filter(|s| s.ftype == crate::fs::FileType::Dir);
                let mode = t.mode.unwrap_or(existing.as_ref().map(|s| s.mode).unwrap_or(0o1777));
                let uid = t.uid.unwrap_or(existing.as_ref().map(|s| s.uid).unwrap_or(0));
                let gid = t.gid.unwrap_or(existing.as_ref().map(|s| s.gid).unwrap_or(0));
                let root = world.fs_mut().new_dir(uid, gid, mode, secs);
                (root, MountKind::Tmpfs, t.size, t.proc_opts)
            }
        };
        // The mount point must exist in the root file system (created as root if missing).
        let src_is_dir = world.fs().get(root).is_dir();
        match world.stat(&ctx, &mp.destination, true) {
            Ok(st) => {
                let dst_is_dir = st.ftype == crate::fs::FileType::Dir;
                if mp.kind == MountPointKind::Bind && src_is_dir != dst_is_dir {
                    return Err(DaemonError::Start { code: 125, message: format!(
                        "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting \"{}\" to rootfs at \"{}\": mount {}:{} (via /proc/self/fd/6), flags: 0x5000: not a directory: unknown: Are you trying to mount a directory onto a file (or vice-versa)? Check if the specified host path exists and is the expected type",
                        mp.source, mp.destination, mp.source, mp.destination
                    ) });
                }
                if dst_is_dir {
                    let hidden = world
                        .resolve(&ctx, &mp.destination, true)
                        .ok()
                        .and_then(|l| world.list(&ctx, &l).ok())
                        .map(|e| e.len())
                        .unwrap_or(0);
                    if hidden > 0 && mp.kind != MountPointKind::Volume {
                        world.emit(Event::MountShadowsImage { container: c.name.clone(), target: mp.destination.clone(), hidden });
                    }
                }
            }
            Err(_) => make_mount_point(world, &ctx, &mp.destination, src_is_dir),
        }
        // A bind of a directory on a read-only host mount is read-only too.
        let on_read_only = mp.kind == MountPointKind::Bind
            && world
                .resolve(&host_root_ctx(), &mp.source, true)
                .ok()
                .and_then(|l| world.host_mounts().get(l.mount?))
                .is_some_and(|h| h.mount.read_only);
        new_mounts.push(Mount { target: mp.destination.clone(), root, kind, read_only: !mp.rw || on_read_only, limit, proc_opts });
        if mp.kind == MountPointKind::Bind {
            // Docker binds recursively: what the host mounted below the source comes along.
            let source = world.resolve(&host_root_ctx(), &mp.source, true).map(|l| l.path).unwrap_or_default();
            for i in world.host_mounts_below(&source) {
                let h = &world.host_mounts()[i].mount;
                let Some(rest) = h.target.strip_prefix(source.as_str()) else { continue };
                let target = format!("{}{rest}", mp.destination.trim_end_matches('/'));
                let kind = MountKind::Bind { source: h.target.clone() };
                new_mounts.push(Mount { target, root: h.root, kind, read_only: !mp.rw, limit: h.limit, proc_opts: String::new() });
            }
        }
        // Later mounts resolve through earlier ones.
        if let Some(c) = world.container_mut(id) {
            c.mounts = mounts.iter().chain(new_mounts.iter()).cloned().collect();
        }
    }
    mounts.extend(new_mounts);
    let secs = world.clock().secs();
    super::docker_root::container_runtime_files(world, &c, secs);
    let own = format!("/var/lib/docker/containers/{}", c.id);
    for (file, kind) in [("resolv.conf", SystemMount::ResolvConf), ("hostname", SystemMount::Hostname), ("hosts", SystemMount::Hosts)] {
        // Their mount points too: in a tmpfs mounted at /etc, the three files appear.
        let target = format!("/etc/{file}");
        if world.stat(&ctx, &target, true).is_err() {
            make_mount_point(world, &ctx, &target, false);
        }
        let root = host_dir(world, &format!("{own}/{file}"));
        mounts.push(Mount {
            target: format!("/etc/{file}"),
            root,
            kind: MountKind::System(kind),
            read_only: ro_root,
            limit: None,
            proc_opts: String::new(),
        });
    }
    let now = world.clock().nanos;
    let pid = world.next_pid();
    let Some(cm) = world.container_mut(id) else { return Err(DaemonError::NoSuchContainer(id.to_string())) };
    cm.mounts = mounts;
    if let Some(refused) = runnable(world) {
        if let Some(c) = world.container_mut(id) {
            c.mounts.clear();
            c.exit_code = refused.code();
        }
        return Err(refused);
    }
    let Some(cm) = world.container_mut(id) else { return Err(DaemonError::NoSuchContainer(id.to_string())) };
    cm.status = Status::Running;
    cm.started_at = Some(now);
    cm.manually_stopped = false;
    cm.pid = pid;
    // The main process is 1; runc's init threads took the pids up to 6.
    cm.next_pid = 7;
    cm.sleeper = None;
    cm.execs.clear();
    cm.exit_code = 0;
    let name = cm.name.clone();
    let layer_id = cm.layer_id.clone();
    super::docker_root::set_merged(world, &layer_id, true);
    world.emit(Event::ContainerStateChanged { container: name, state: ContainerState::Running, exit_code: None });
    Ok(())
}

/// Marks the container exited and drops its tmpfs content (told in that order: the memory
/// goes because the container stopped).
pub(crate) fn stop_container(world: &mut World, id: &ContainerId, code: i32) {
    let now = world.clock().nanos;
    let Some(c) = world.container_mut(id) else { return };
    let name = c.name.clone();
    let mounts = std::mem::take(&mut c.mounts);
    let mut cleared = Vec::new();
    for m in &mounts {
        if m.kind == MountKind::Tmpfs
            || matches!(&m.kind, MountKind::Volume { name } if world.volumes().get(name).map(|v| v.tmpfs).unwrap_or(false))
        {
            let (bytes, files) = world.fs().usage(m.root);
            if files > 0 {
                cleared.push(Event::TmpfsCleared { container: name.clone(), target: m.target.clone(), bytes });
            }
        }
    }
    let Some(c) = world.container_mut(id) else { return };
    c.status = Status::Exited;
    c.paused = false;
    c.exit_code = code;
    c.finished_at = Some(now);
    c.pid = 0;
    c.ports.clear();
    c.server = None;
    c.sleeper = None;
    c.execs.clear();
    let layer_id = c.layer_id.clone();
    super::docker_root::set_merged(world, &layer_id, false);
    world.emit(Event::ContainerStateChanged { container: name, state: ContainerState::Exited, exit_code: Some(code) });
    for event in cleared {
        world.emit(event);
    }
}

/// Removes a container: its writable layer goes; anonymous volumes too with `volumes`.
pub fn remove_container(world: &mut World, id: &ContainerId, volumes: bool) {
    let Some(c) = world.take_container(id) else { return };
    let (bytes, files) = world.fs().usage(c.upper);
    world.emit(Event::WritableLayerDiscarded { container: c.name.clone(), files, bytes });
    let overlay = host_dir(world, "/var/lib/docker/overlay2");
    world.fs_mut().unlink(overlay, &c.layer_id);
    world.fs_mut().unlink(overlay, &format!("{}-init", c.layer_id));
    super::docker_root::unregister_container_dirs(world, &c);
    let cdir = host_dir(world, "/var/lib/docker/containers");
    world.fs_mut().unlink(cdir, c.id.as_str());
    super::images::release_retired(world);
    super::image_db::sync_part(world, super::image_db::Part::Mounts);
    if volumes {
        for mp in &c.mount_points {
            let anonymous = world.volumes().get(&mp.name).map(|v| v.anonymous).unwrap_or(false);
            if mp.kind == MountPointKind::Volume && anonymous {
                let still_used =
                    world.containers().iter().any(|o| o.mount_points.iter().any(|m| m.kind == MountPointKind::Volume && m.name == mp.name));
                if !still_used {
                    delete_volume(world, &mp.name);
                }
            }
        }
    }
    world.emit(Event::ContainerStateChanged { container: c.name.clone(), state: ContainerState::Removed, exit_code: None });
    world.note_removed(c);
}

/// The writable layer's changes against the image: A(dded), C(hanged), D(eleted).
pub fn changes(world: &World, c: &Container) -> Vec<(char, String)> {
    let mut lowers: Vec<InodeId> = Vec::new();
    if let Some(img) = world.image_of(c) {
        lowers.extend(img.layers.iter().rev().map(|l| world.layers()[*l].root));
    }
    let mut out = Vec::new();
    fn walk(world: &World, upper: InodeId, lowers: &[InodeId], prefix: &str, out: &mut Vec<(char, String)>) {
        let Some(entries) = world.fs().get(upper).entries() else { return };
        for (name, child) in entries {
            let path = format!("{prefix}/{name}");
            let lower_children: Vec<InodeId> = lowers
                .iter()
                .filter_map(|d| world.fs().lookup(*d, name))
                .filter(|i| !matches!(world.fs().get(*i).kind, Kind::Whiteout))
                .collect();
            let inode = world.fs().get(*child);
            match inode.kind {
                Kind::Whiteout => out.push(('D', path)),
                Kind::Dir { opaque, .. } => {
                    let existed = !lower_children.is_empty();
                    out.push((if existed { 'C' } else { 'A' }, path.clone()));
                    let sub: Vec<InodeId> = lower_children.into_iter().filter(|i| world.fs().get(*i).is_dir()).collect();
                    walk(world, *child, &sub, &path, out);
                    // An opaque directory (deleted, then made again) hides the image's entries:
                    // Docker lists each as deleted.
                    if opaque {
                        let mut hidden: Vec<&String> = sub
                            .iter()
                            .filter_map(|d| world.fs().get(*d).entries())
                            .flat_map(|e| e.iter())
                            .filter(|(n, i)| !matches!(world.fs().get(**i).kind, Kind::Whiteout) && world.fs().lookup(*child, n).is_none())
                            .map(|(n, _)| n)
                            .collect();
                        hidden.sort();
                        hidden.dedup();
                        out.extend(hidden.into_iter().map(|n| ('D', format!("{path}/{n}"))));
                    }
                }
                _ => out.push((if lower_children.is_empty() { 'A' } else { 'C' }, path)),
            }
        }
    }
    walk(world, c.upper, &lowers, "", &mut out);
    out
}

/// Container `id` takes the name `name` (the CLI has checked it is valid and free).
pub fn rename(world: &mut World, id: &ContainerId, name: &str) {
    let Some(c) = world.container_mut(id) else { return };
    let from = std::mem::replace(&mut c.name, name.to_string());
    world.emit(Event::ContainerRenamed { from, to: name.to_string() });
}

/// `docker pause` (`true`) and `unpause`: a running container's processes frozen or thawed.
pub fn set_paused(world: &mut World, id: &ContainerId, paused: bool) -> Result<(), DaemonError> {
    let Some(c) = world.container_mut(id) else { return Err(DaemonError::NoSuchContainer(id.to_string())) };
    if c.status != Status::Running {
        return Err(DaemonError::State(format!("container {} is not running", c.id)));
    }
    if c.paused == paused {
        let what = if paused { "already paused" } else { "not paused" };
        return Err(DaemonError::State(format!("Container {} is {what}", c.id)));
    }
    c.paused = paused;
    let container = c.name.clone();
    let state = if paused { ContainerState::Paused } else { ContainerState::Running };
    world.emit(Event::ContainerStateChanged { container, state, exit_code: None });
    Ok(())
}
