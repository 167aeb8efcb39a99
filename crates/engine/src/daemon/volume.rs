//! The volume store: `/var/lib/docker/volumes/NAME/_data` on the host, and who uses each.

use std::collections::BTreeMap;

use super::host::host_dir;
use crate::events::Event;
use crate::fs::InodeId;
use crate::vfs::{Ctx, Ns};
use crate::world::{ContainerId, MountPointKind, Volume, World};

/// Docker's rule for local volume names.
pub fn validate_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars.next().map(|c| c.is_ascii_alphanumeric()).unwrap_or(false);
    let rest_ok = name.chars().skip(1).all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if !first_ok || !rest_ok {
        return Err(format!("create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"));
    }
    if name.len() < 2 {
        return Err(format!("create {name}: volume name is too short, names should be at least two alphanumeric characters"));
    }
    Ok(())
}

/// Creates `/var/lib/docker/volumes/NAME/_data` and records the volume.
pub fn create_volume(
    world: &mut World,
    name: &str,
    labels: BTreeMap<String, String>,
    options: Option<BTreeMap<String, String>>,
    anonymous: bool,
) {
    let secs = world.clock().secs();
    let vols = host_dir(world, "/var/lib/docker/volumes");
    let dir = world.fs_mut().new_dir(0, 0, 0o701, secs);
    world.fs_mut().link(vols, name, dir);
    let data = world.fs_mut().new_dir(0, 0, 0o755, secs);
    world.fs_mut().link(dir, "_data", data);
    let mut labels = labels;
    if anonymous {
        labels.insert("com.docker.volume.anonymous".into(), String::new());
    }
    let tmpfs = options.as_ref().map(|o| o.get("type").map(String::as_str) == Some("tmpfs")).unwrap_or(false);
    world.add_volume(Volume { name: name.to_string(), root: data, created: secs, labels, options, anonymous, tmpfs });
    world.emit(Event::VolumeCreated { name: name.to_string(), anonymous });
}

pub fn delete_volume(world: &mut World, name: &str) {
    if world.remove_volume(name).is_some() {
        let vols = host_dir(world, "/var/lib/docker/volumes");
        world.fs_mut().unlink(vols, name);
        world.emit(Event::VolumeRemoved { name: name.to_string() });
    }
}

/// Ids of the containers (any state) that reference the volume.
pub fn users_of(world: &World, name: &str) -> Vec<ContainerId> {
    world
        .containers()
        .iter()
        .filter(|c| c.mount_points.iter().any(|m| m.kind == MountPointKind::Volume && m.name == name))
        .map(|c| c.id.clone())
        .collect()
}

/// The host directory a local volume binds (`--opt type=none --opt o=bind --opt device=PATH`).
pub fn bind_device(vol: &Volume) -> Option<String> {
    let o = vol.options.as_ref()?;
    let binds = o.get("o").is_some_and(|v| v.split(',').any(|x| x == "bind" || x == "rbind"));
    o.get("device").filter(|_| binds).cloned()
}

/// Where a volume's files are: its `_data` directory, or the host directory it binds (which
/// must exist when a container mounts it).
pub fn volume_root(world: &World, vol: &Volume) -> Result<InodeId, String> {
    let data = format!("/var/lib/docker/volumes/{}/_data", vol.name);
    let Some(device) = bind_device(vol) else {
        // Docker binds the `_data` path: what root mounted over it is what a container gets.
        return Ok(world.host_mounts().iter().rev().find(|h| h.mount.target == data).map_or(vol.root, |h| h.mount.root));
    };
    world.resolve(&Ctx::root(Ns::Host), &device, true).map(|l| l.top()).map_err(|_| {
        format!("error while mounting volume '{data}': failed to mount local volume: mount {device}:{data}, flags: 0x1000: no such file or directory")
    })
}

/// A local volume on a block device (`--opt type=ext4 --opt device=/dev/loop0`): the root of
/// the file system the device's file holds; `None` for any other volume.
pub fn disk_volume(world: &World, vol: &Volume) -> Option<Result<InodeId, String>> {
    let o = vol.options.as_ref()?;
    let device = o.get("device")?.clone();
    if vol.tmpfs || bind_device(vol).is_some() {
        return None;
    }
    let data = format!("/var/lib/docker/volumes/{}/_data", vol.name);
    let fail = |why: &str| format!("error while mounting volume '{data}': failed to mount local volume: mount {device}:{data}: {why}");
    let attached = crate::blockdev::loop_number(&device).map(|n| world.block_devices().loop_device(n));
    Some(match attached {
        Some(Some(l)) => match world.block_devices().image(l.inode) {
            Some(image) => Ok(image.root),
            None => Err(fail("invalid argument")),
        },
        // A loop device with no file behind it cannot be read.
        Some(None) => Err(fail("input/output error")),
        None => Err(fail("no such file or directory")),
    })
}

/// A tmpfs volume's mount options (`--opt o=size=10m,uid=1000,mode=770`): its size limit, the
/// root's owner and mode, and the options as the kernel lists them (size, mode, uid, gid; the
/// defaults left out).
pub fn tmpfs_volume_options(vol: &Volume) -> (Option<u64>, u32, u32, u32, String) {
    let o = vol.options.as_ref().and_then(|o| o.get("o")).cloned().unwrap_or_default();
    let field = |key: &str| o.split(',').find_map(|x| x.strip_prefix(key)).map(str::to_string);
    let size = field("size=").and_then(|s| super::spec::parse_size(&s));
    let uid = field("uid=").and_then(|v| v.parse().ok()).unwrap_or(0);
    let gid = field("gid=").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mode = field("mode=").and_then(|v| u32::from_str_radix(&v, 8).ok()).unwrap_or(0o1777);
    let mut shown = Vec::new();
    if let Some(s) = size {
        shown.push(format!("size={}k", s / 1024));
    }
    if mode != 0o1777 {
        shown.push(format!("mode={mode:o}"));
    }
    if uid != 0 {
        shown.push(format!("uid={uid}"));
    }
    if gid != 0 {
        shown.push(format!("gid={gid}"));
    }
    (size, uid, gid, mode, shown.join(","))
}
