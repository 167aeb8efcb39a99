//! The volume store: `/var/lib/docker/volumes/NAME/_data` on the host, and who uses each.

use std::collections::BTreeMap;

use super::host::host_dir;
use crate::events::Event;
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
