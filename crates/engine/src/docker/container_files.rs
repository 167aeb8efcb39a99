//! A container's own configuration under `/var/lib/docker/containers/<id>`, as dockerd keeps
//! it: `hostconfig.json` (the HostConfig `docker inspect` shows) and `config.v2.json` (the
//! container itself: its state, config, network settings and mount points, where the data of
//! each volume and bind lives). dockerd rewrites them at each change; here they are generated
//! when read, from the state they would have been written from (oracle-156).

use serde_json::{json, Map, Value};

use crate::daemon::image_db::go_json;
use crate::world::{Container, MountPointKind, Status, World};

/// One mount point as `config.v2.json` keeps it: a volume's data dir (none for an anonymous
/// one), the spec it was asked with (`-v` or `--mount`).
fn mount_point(c: &Container, m: &crate::world::MountPoint) -> Value {
    let asked = c.host.mounts.iter().find(|s| s["Target"].as_str() == Some(m.destination.as_str()));
    let volume = m.kind == MountPointKind::Volume;
    let mut o = Map::new();
    let source = if volume && m.anonymous && asked.is_none() { String::new() } else { m.source.clone() };
    o.insert("Source".into(), source.into());
    o.insert("Destination".into(), m.destination.clone().into());
    o.insert("RW".into(), m.rw.into());
    o.insert("Name".into(), if volume { m.name.clone() } else { String::new() }.into());
    o.insert("Driver".into(), if volume { "local" } else { "" }.into());
    o.insert("Type".into(), m.kind.as_str().into());
    if !m.mode.is_empty() {
        o.insert("Relabel".into(), m.mode.clone().into());
    }
    if !m.propagation.is_empty() {
        o.insert("Propagation".into(), m.propagation.clone().into());
    }
    let spec = match asked {
        Some(spec) => {
            if volume {
                // A volume asked for by `--mount` keeps the id of its mount.
                let id = crate::ids::sha256_hex(format!("mount {} {}", c.id, m.destination).as_bytes());
                o.insert("ID".into(), id.into());
            }
            spec.clone()
        }
        None if volume && m.anonymous => json!({}),
        None => {
            let mut s = Map::new();
            s.insert("Type".into(), m.kind.as_str().into());
            s.insert("Source".into(), if volume { m.name.clone() } else { m.source.clone() }.into());
            s.insert("Target".into(), m.destination.clone().into());
            if !m.rw {
                s.insert("ReadOnly".into(), true.into());
            }
            s.into()
        }
    };
    o.insert("Spec".into(), spec);
    // A bind asked for by `--mount` is not made on the host when missing.
    o.insert("SkipMountpointCreation".into(), (asked.is_some() && !volume).into());
    o.into()
}

/// `config.v2.json`: the container as dockerd stores it, from what `docker inspect` shows.
fn config_v2(c: &Container, inspected: &Value) -> Value {
    let s = &inspected["State"];
    let mut state = Map::new();
    for key in ["Running", "Paused", "Restarting", "OOMKilled"] {
        state.insert(key.into(), s[key].clone());
    }
    state.insert("RemovalInProgress".into(), false.into());
    for key in ["Dead", "Pid", "ExitCode", "Error", "StartedAt", "FinishedAt"] {
        state.insert(key.into(), s[key].clone());
    }
    state.insert("Health".into(), Value::Null);
    let n = &inspected["NetworkSettings"];
    let mode = if c.host.network_mode == "default" { "bridge".to_string() } else { c.host.network_mode.clone() };
    let mut network = n["Networks"]["bridge"].clone();
    let running = c.status == Status::Running;
    if let Some(o) = network.as_object_mut() {
        // An endpoint on a network the daemon has (none, host) once it runs.
        if running && mode != "bridge" {
            o.insert("NetworkID".into(), crate::ids::sha256_hex(format!("network {mode}").as_bytes()).into());
            o.insert("EndpointID".into(), crate::ids::sha256_hex(format!("endpoint {}", c.id).as_bytes()).into());
        }
        o.insert("IPAMOperational".into(), false.into());
        o.insert("DesiredMacAddress".into(), "".into());
    }
    let mut networks = Map::new();
    networks.insert(mode, network);
    let mut settings = Map::new();
    for key in ["Bridge", "SandboxID", "SandboxKey", "HairpinMode", "LinkLocalIPv6Address", "LinkLocalIPv6PrefixLen"] {
        settings.insert(key.into(), n[key].clone());
    }
    settings.insert("Networks".into(), networks.into());
    settings.insert("Service".into(), Value::Null);
    settings.insert("Ports".into(), if running { n["Ports"].clone() } else { Value::Null });
    for key in ["SecondaryIPAddresses", "SecondaryIPv6Addresses"] {
        settings.insert(key.into(), Value::Null);
    }
    settings.insert("HasSwarmEndpoint".into(), false.into());
    let mut points: Vec<&crate::world::MountPoint> = c.mount_points.iter().filter(|m| m.kind != MountPointKind::Tmpfs).collect();
    points.sort_by(|a, b| a.destination.cmp(&b.destination));
    let mount_points: Map<String, Value> = points.iter().map(|m| (m.destination.clone(), mount_point(c, m))).collect();
    let mut doc = Map::new();
    doc.insert("StreamConfig".into(), json!({}));
    doc.insert("State".into(), state.into());
    doc.insert("ID".into(), inspected["Id"].clone());
    doc.insert("Created".into(), inspected["Created"].clone());
    doc.insert("Managed".into(), false.into());
    doc.insert("Path".into(), inspected["Path"].clone());
    doc.insert("Args".into(), inspected["Args"].clone());
    doc.insert("Config".into(), inspected["Config"].clone());
    doc.insert("Image".into(), inspected["Image"].clone());
    doc.insert("ImageManifest".into(), Value::Null);
    doc.insert("NetworkSettings".into(), settings.into());
    doc.insert("LogPath".into(), inspected["LogPath"].clone());
    doc.insert("Name".into(), inspected["Name"].clone());
    doc.insert("Driver".into(), "overlay2".into());
    doc.insert("OS".into(), "linux".into());
    doc.insert("RestartCount".into(), inspected["RestartCount"].clone());
    doc.insert("HasBeenStartedBefore".into(), c.started_at.is_some().into());
    doc.insert("HasBeenManuallyStopped".into(), c.manually_stopped.into());
    doc.insert("MountPoints".into(), mount_points.into());
    for key in ["SecretReferences", "ConfigReferences"] {
        doc.insert(key.into(), Value::Null);
    }
    for key in ["MountLabel", "ProcessLabel", "AppArmorProfile", "SeccompProfile"] {
        doc.insert(key.into(), "".into());
    }
    doc.insert("NoNewPrivileges".into(), false.into());
    doc.insert("HostnamePath".into(), inspected["HostnamePath"].clone());
    doc.insert("HostsPath".into(), inspected["HostsPath"].clone());
    doc.insert("ShmPath".into(), "".into());
    doc.insert("ResolvConfPath".into(), inspected["ResolvConfPath"].clone());
    doc.insert("LocalLogCacheMeta".into(), json!({"HaveNotifyEnabled": false}));
    doc.into()
}

/// A container's `config.v2.json` or `hostconfig.json` as dockerd would have written it by
/// now (each written by a JSON encoder: ending with a newline); `None` for another file.
pub fn container_file(world: &World, c: &Container, name: &str) -> Option<String> {
    let inspected = || super::inspect::container_json(world, c);
    match name {
        "config.v2.json" => Some(go_json(&config_v2(c, &inspected())) + "\n"),
        "hostconfig.json" => Some(go_json(&inspected()["HostConfig"]) + "\n"),
        _ => None,
    }
}
