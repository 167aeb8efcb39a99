//! `docker volume` and the volume store.

use std::collections::BTreeMap;

use super::flags::{self, flag, opt};
use super::format::{self, tabwrite};
use super::{arg_count_error, daemon_error, usage_error};
use crate::shell::{Io, Shell};
use crate::world::{ContainerId, Volume, World};

pub use crate::daemon::volume::{create_volume, delete_volume, users_of, validate_name};

pub fn volume_json(v: &Volume) -> serde_json::Value {
    let labels = if v.labels.is_empty() { serde_json::Value::Null } else { serde_json::to_value(&v.labels).unwrap_or_default() };
    let options = match &v.options {
        Some(o) if !o.is_empty() => serde_json::to_value(o).unwrap_or_default(),
        _ => serde_json::Value::Null,
    };
    serde_json::json!({
        "CreatedAt": crate::clock::rfc3339(v.created),
        "Driver": "local",
        "Labels": labels,
        "Mountpoint": format!("/var/lib/docker/volumes/{}/_data", v.name),
        "Name": v.name,
        "Options": options,
        "Scope": "local",
    })
}

pub fn cli(world: &mut World, _sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    // Without a subcommand, or with an unknown one, the usage goes to stderr; the unknown one
    // fails and lists `update` too (oracle-20).
    let usage = |io: &mut Io, update: bool| {
        io.err_str("\nUsage:  docker volume COMMAND\n\nManage volumes\n\nCommands:\n  create      Create a volume\n  inspect     Display detailed information on one or more volumes\n  ls          List volumes\n  prune       Remove unused local volumes\n  rm          Remove one or more volumes\n");
        if update {
            io.err_str("  update      Update a volume (cluster volumes only)\n");
        }
        io.err_str("\nRun 'docker volume COMMAND --help' for more information on a command.\n");
    };
    let Some(sub) = args.first() else {
        usage(io, false);
        return 0;
    };
    let rest = &args[1..];
    match sub.as_str() {
        "create" => create_cmd(world, rest, io),
        "ls" | "list" => ls(world, rest, io),
        "inspect" => inspect(world, rest, io),
        "rm" | "remove" => rm(world, rest, io),
        "prune" => prune(world, rest, io),
        _ => {
            usage(io, true);
            1
        }
    }
}

fn create_cmd(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[opt("driver", Some('d')), opt("opt", Some('o')), opt("label", None), opt("name", None)], false)
    {
        Ok(p) => p,
        Err(e) => return usage_error(io, "volume create", &e),
    };
    if parsed.operands.len() > 1 {
        return arg_count_error(io, "volume create", "at most 1 argument", "[OPTIONS] [VOLUME]", "Create a volume");
    }
    let given = parsed.operands.first().cloned().or(parsed.get("name").map(str::to_string));
    // A volume created without a name is anonymous: `volume prune` takes it (oracle-20).
    let anonymous = given.is_none();
    let name = given.unwrap_or_else(|| world.ids().hex64());
    if let Err(m) = validate_name(&name) {
        return daemon_error(io, &m);
    }
    let driver = parsed.get("driver").unwrap_or("local");
    if driver != "local" {
        return daemon_error(io, &format!("create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found"));
    }
    let mut options = BTreeMap::new();
    for o in parsed.all("opt") {
        let (k, v) = o.split_once('=').unwrap_or((&o, ""));
        if !matches!(k, "type" | "device" | "o" | "size") {
            return daemon_error(io, &format!("create {name}: invalid option: \"{k}\""));
        }
        options.insert(k.to_string(), v.to_string());
    }
    let mut labels = BTreeMap::new();
    for l in parsed.all("label") {
        let (k, v) = l.split_once('=').unwrap_or((&l, ""));
        labels.insert(k.to_string(), v.to_string());
    }
    if !world.volumes().contains_key(&name) {
        if world.volumes().len() >= super::MAX_VOLUMES {
            return daemon_error(
                io,
                &format!("create {name}: stowage: the simulated machine holds at most {} volumes; remove some first", super::MAX_VOLUMES),
            );
        }
        create_volume(world, &name, labels, if options.is_empty() { None } else { Some(options) }, anonymous);
    }
    io.out_str(&format!("{name}\n"));
    0
}

fn ls(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("quiet", Some('q')), opt("filter", Some('f')), opt("format", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "volume ls", &e),
    };
    let mut names: Vec<String> = world.volumes().keys().cloned().collect();
    // Names given more than once match when any does (oracle-95); the other keys all must.
    let mut wanted_names = Vec::new();
    for f in parsed.all("filter") {
        let (k, v) = f.split_once('=').unwrap_or((&f, ""));
        match k {
            "dangling" => {
                let want = v == "true" || v == "1";
                names.retain(|n| users_of(world, n).is_empty() == want);
            }
            "name" => wanted_names.push(v.to_string()),
            "driver" => names.retain(|_| v == "local"),
            "label" | "label!" => names.retain(|n| super::prune_filter::labels_match(&world.volumes()[n].labels, k, v)),
            _ => return daemon_error(io, &format!("invalid filter '{k}'")),
        }
    }
    if !wanted_names.is_empty() {
        names.retain(|n| wanted_names.iter().any(|w| n.contains(w.as_str())));
    }
    if parsed.has("quiet") {
        for n in names {
            io.out_str(&format!("{n}\n"));
        }
        return 0;
    }
    if let Some(f) = parsed.get("format") {
        let rows: Vec<serde_json::Value> = names
            .iter()
            .map(|n| {
                let v = &world.volumes()[n];
                let labels: Vec<String> = v.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let lookup = super::format::label_lookup(&v.labels);
                serde_json::json!({"Name": v.name, "Driver": "local", "Scope": "local", "Mountpoint": format!("/var/lib/docker/volumes/{}/_data", v.name), "Labels": labels.join(","), "Label": lookup, "Links": "N/A", "Size": "N/A", "Availability": "N/A", "Group": "N/A", "Status": "N/A"})
            })
            .collect();
        let headers = [
            ("Name", "VOLUME NAME"),
            ("Driver", "DRIVER"),
            ("Scope", "SCOPE"),
            ("Mountpoint", "MOUNTPOINT"),
            ("Labels", "LABELS"),
            ("Links", "LINKS"),
            ("Size", "SIZE"),
        ];
        return format::print_list(io, f, &rows, &headers);
    }
    let mut text = String::from("DRIVER\tVOLUME NAME\n");
    for n in names {
        text.push_str(&format!("local\t{n}\n"));
    }
    io.out_str(&tabwrite(&text));
    0
}

fn inspect(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[opt("format", Some('f'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "volume inspect", &e),
    };
    if parsed.operands.is_empty() {
        return arg_count_error(
            io,
            "volume inspect",
            "at least 1 argument",
            "[OPTIONS] VOLUME [VOLUME...]",
            "Display detailed information on one or more volumes",
        );
    }
    let mut found = Vec::new();
    let mut status = 0;
    let mut errors = Vec::new();
    for n in &parsed.operands {
        match world.volumes().get(n) {
            Some(v) => found.push(volume_json(v)),
            None => {
                errors.push(format!("Error response from daemon: get {n}: no such volume"));
                status = 1;
            }
        }
    }
    if !super::format::print_docs(io, &found, parsed.get("format"), Some("volume.Volume")) {
        return 1;
    }
    for e in errors {
        io.err_line(&e);
    }
    status
}

fn rm(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("force", Some('f'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "volume rm", &e),
    };
    if parsed.operands.is_empty() {
        return arg_count_error(io, "volume rm", "at least 1 argument", "[OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes");
    }
    let mut status = 0;
    for n in &parsed.operands {
        if !world.volumes().contains_key(n) {
            if parsed.has("force") {
                io.out_str(&format!("{n}\n"));
            } else {
                io.err_line(&format!("Error response from daemon: get {n}: no such volume"));
                status = 1;
            }
            continue;
        }
        let users = users_of(world, n);
        if !users.is_empty() {
            io.err_line(&format!(
                "Error response from daemon: remove {n}: volume is in use - [{}]",
                users.iter().map(ContainerId::as_str).collect::<Vec<_>>().join(", ")
            ));
            status = 1;
            continue;
        }
        delete_volume(world, n);
        io.out_str(&format!("{n}\n"));
    }
    status
}

fn prune(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("all", Some('a')), flag("force", Some('f')), opt("filter", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "volume prune", &e),
    };
    let mut all = parsed.has("all");
    for f in parsed.all("filter") {
        if f == "all=true" || f == "all=1" {
            all = true;
        }
    }
    let warning = if all {
        "WARNING! This will remove all local volumes not used by at least one container."
    } else {
        "WARNING! This will remove anonymous local volumes not used by at least one container."
    };
    if !parsed.has("force") && !super::confirm(world, io, warning) {
        return 0;
    }
    let labels: Vec<(String, String)> = parsed
        .all("filter")
        .iter()
        .filter_map(|f| f.split_once('='))
        .filter(|(k, _)| matches!(*k, "label" | "label!"))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let (reclaimed, report) = prune_unused(world, all, &labels);
    super::print_prune_result(io, &[&report], reclaimed, 3);
    0
}

/// Removes the volumes no container uses (anonymous ones only, unless `all`; those the label
/// filters keep): their bytes, and
/// the report (`Deleted Volumes:` and the names; empty when none).
pub(super) fn prune_unused(world: &mut World, all: bool, labels: &[(String, String)]) -> (u64, String) {
    let victims: Vec<String> = world
        .volumes()
        .values()
        .filter(|v| (all || v.anonymous) && users_of(world, &v.name).is_empty())
        .filter(|v| labels.iter().all(|(k, f)| super::prune_filter::labels_match(&v.labels, k, f)))
        .map(|v| v.name.clone())
        .collect();
    let mut reclaimed = 0;
    let mut report = String::new();
    for v in &victims {
        if let Some(vol) = world.volumes().get(v) {
            reclaimed += world.fs().usage(vol.root).0;
        }
        delete_volume(world, v);
        if report.is_empty() {
            report.push_str("Deleted Volumes:\n");
        }
        report.push_str(&format!("{v}\n"));
    }
    (reclaimed, report)
}
