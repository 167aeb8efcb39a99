//! `docker ps` and `docker diff`: the container list with its status and size columns, and a
//! container's changes.

use super::flags::{self, flag, opt};
use super::format::{self, ellipsis, human_size, tabwrite};
use super::{arg_count_error, changes, find_image, no_such_container, ports, usage_error};
use crate::clock::human_duration;
use crate::shell::Io;
use crate::world::{Container, Status, World};

/// `Up 2 seconds`, `Exited (137) 3 seconds ago`, `Created`.
pub fn status_text(world: &World, c: &Container) -> String {
    let now = world.clock().nanos;
    match c.status {
        Status::Created => "Created".into(),
        Status::Running if c.paused => format!("Up {} (Paused)", human_duration(now - c.started_at.unwrap_or(now))),
        Status::Running => format!("Up {}", human_duration(now - c.started_at.unwrap_or(now))),
        Status::Exited => {
            let state = if c.restarting() { "Restarting" } else { "Exited" };
            format!("{state} ({}) {} ago", c.exit_code, human_duration(now - c.finished_at.unwrap_or(now)))
        }
    }
}

/// Size of the writable layer (regular files only).
pub fn rw_size(world: &World, c: &Container) -> u64 {
    world.fs().usage(c.upper).0
}

pub(super) fn ps(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let specs = [
        flag("all", Some('a')),
        flag("quiet", Some('q')),
        flag("size", Some('s')),
        opt("format", None),
        opt("filter", Some('f')),
        flag("no-trunc", None),
        flag("latest", Some('l')),
        opt("last", Some('n')),
    ];
    let parsed = match flags::parse(args, &specs, false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "ps", &e),
    };
    let all = parsed.has("all");
    let mut list: Vec<&Container> = world.containers().iter().filter(|c| all || c.status == Status::Running || c.restarting()).collect();
    // Filters of one key match when any of them does (`--filter name=a --filter name=b`),
    // labels when all do; different keys must all match (oracle-94).
    let filters = parsed.all("filter");
    let mut keys: Vec<&str> = filters.iter().map(|f| f.split_once('=').map_or(f.as_str(), |(k, _)| k)).collect();
    keys.sort_unstable();
    keys.dedup();
    let matches = |c: &Container, f: &str| -> bool {
        let (k, v) = f.split_once('=').unwrap_or((f, ""));
        match k {
            "name" => c.name.contains(v),
            "id" => c.id.starts_with(v),
            "status" => match v {
                "running" => c.status == Status::Running,
                "restarting" => c.restarting(),
                "exited" => c.status == Status::Exited && !c.restarting(),
                "created" => c.status == Status::Created,
                _ => false,
            },
            "volume" => c.mount_points.iter().any(|m| m.name == v || m.destination == v || m.source == v),
            "label" => {
                let (lk, lv) = v.split_once('=').unwrap_or((v, ""));
                c.labels.get(lk).map(|x| lv.is_empty() || x == lv).unwrap_or(false)
            }
            "ancestor" => find_image(world, v).map(|im| world.images()[im].id == c.image_id).unwrap_or(false),
            _ => true,
        }
    };
    for key in keys {
        let of_key: Vec<&String> = filters.iter().filter(|f| f.split_once('=').map_or(f.as_str(), |(k, _)| k) == key).collect();
        list.retain(|c| if key == "label" { of_key.iter().all(|f| matches(c, f)) } else { of_key.iter().any(|f| matches(c, f)) });
    }
    list.reverse();
    if parsed.has("quiet") {
        for c in list {
            io.out_str(&format!("{}\n", c.short_id()));
        }
        return 0;
    }
    let now = world.clock().nanos;
    let rows: Vec<serde_json::Value> = list
        .iter()
        .map(|&c| {
            let size = rw_size(world, c);
            let virt = size + world.image_of(c).map(|im| im.size).unwrap_or(0);
            let mounts: Vec<String> = c
                .mount_points
                .iter()
                .filter(|m| m.listed)
                .map(|m| ellipsis(if m.name.is_empty() { &m.source } else { &m.name }, 15))
                .collect();
            let labels: Vec<String> = c.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            serde_json::json!({
                "ID": c.short_id(),
                // The name it was made from while that still names its image, else the image id.
                "Image": if crate::daemon::find_image(world, &c.image_ref).is_some_and(|i| world.images()[i].id == c.image_id) {
                    c.image_ref.clone()
                } else {
                    c.image_id.trim_start_matches("sha256:").chars().take(12).collect()
                },
                "Command": format!("\"{}\"", ellipsis(&c.command_line(), 20)),
                "CreatedAt": crate::clock::rfc3339(c.created as i64 / 1_000_000_000).replace('T', " ").replace('Z', " +0000 UTC"),
                "RunningFor": format!("{} ago", human_duration(now - c.created)),
                "Ports": ports::ports_column(world, c),
                "Status": status_text(world, c),
                "State": match c.status { Status::Created => "created", Status::Running if c.paused => "paused", Status::Running => "running", Status::Exited if c.restarting() => "restarting", Status::Exited => "exited" },
                // Without `-s` (or a format naming .Size) the client asks for no sizes: 0B (oracle-115).
                "Size": if parsed.has("size") || parsed.get("format").is_some_and(|f| f.contains(".Size")) { format!("{} (virtual {})", human_size(size as f64, 3), human_size(virt as f64, 3)) } else { "0B".to_string() },
                "Names": c.name,
                "Labels": labels.join(","),
                "Label": super::format::label_lookup(&c.labels),
                "Mounts": mounts.join(","),
                "Networks": "bridge",
                "LocalVolumes": c.mount_points.iter().filter(|m| m.kind == crate::world::MountPointKind::Volume).count().to_string(),
            })
        })
        .collect();
    let size = parsed.has("size");
    match parsed.get("format") {
        Some(f) => {
            let headers = [
                ("ID", "CONTAINER ID"),
                ("Image", "IMAGE"),
                ("Command", "COMMAND"),
                ("CreatedAt", "CREATED AT"),
                ("RunningFor", "CREATED"),
                ("Ports", "PORTS"),
                ("Status", "STATUS"),
                ("State", "STATE"),
                ("Size", "SIZE"),
                ("Names", "NAMES"),
                ("Labels", "LABELS"),
                ("Mounts", "MOUNTS"),
                ("Networks", "NETWORKS"),
                ("LocalVolumes", "LOCAL VOLUMES"),
            ];
            format::print_list(io, f, &rows, &headers)
        }
        None => {
            let mut text = String::from("CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES");
            if size {
                text.push_str("\tSIZE");
            }
            text.push('\n');
            for r in &rows {
                let g = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
                text.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    g("ID"),
                    g("Image"),
                    g("Command"),
                    g("RunningFor"),
                    g("Status"),
                    g("Ports"),
                    g("Names")
                ));
                if size {
                    text.push_str(&format!("\t{}", g("Size")));
                }
                text.push('\n');
            }
            io.out_str(&tabwrite(&text));
            0
        }
    }
}

pub(super) fn diff(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let Some(name) = args.first() else {
        return arg_count_error(
            io,
            "diff",
            "exactly 1 argument",
            "CONTAINER",
            "Inspect changes to files or directories on a container's filesystem",
        );
    };
    let Some(c) = world.named_container(name) else {
        no_such_container(io, name);
        return 1;
    };
    for (kind, path) in changes(world, c) {
        io.out_str(&format!("{kind} {path}\n"));
    }
    0
}
