//! `docker inspect`, image listing and history, `rmi`, `system df`.

use serde_json::{json, Map, Value};

use super::flags::{self, flag, opt};
use super::format::{self, ellipsis, human_size, tabwrite};
use super::{arg_count_error, find_image, usage_error};
use crate::clock::{human_duration, rfc3339, rfc3339_nano};
use crate::shell::Io;
use crate::sorting::sort_by;
use crate::world::{Container, MountPointKind, Status, World};

pub use super::format::print_docs;

pub fn inspect_cmd(world: &mut World, args: &[String], io: &mut Io, kind: Option<&str>) -> i32 {
    let parsed = match flags::parse(args, &[opt("format", Some('f')), opt("type", None), flag("size", Some('s'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "inspect", &e),
    };
    if parsed.operands.is_empty() {
        return arg_count_error(
            io,
            "inspect",
            "at least 1 argument",
            "[OPTIONS] NAME|ID [NAME|ID...]",
            "Return low-level information on Docker objects",
        );
    }
    let kind = kind.or(parsed.get("type"));
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    let container_doc = |c: &Container| {
        let mut doc = container_json(world, c);
        if parsed.has("size") {
            // With -s: the writable layer's bytes, and the image's added (oracle-23).
            let rw = super::rw_size(world, c);
            let image = world.image_of(c).map_or(0, |im| im.size);
            if let Some(o) = doc.as_object_mut() {
                o.insert("SizeRw".into(), rw.into());
                o.insert("SizeRootFs".into(), (rw + image).into());
            }
        }
        doc
    };
    for name in &parsed.operands {
        let doc = match kind {
            Some("container") => world.named_container(name).map(container_doc),
            Some("image") => find_image(world, name).map(|i| image_json(world, i)),
            Some("volume") => world.volumes().get(name).map(super::volume::volume_json),
            _ => world
                .named_container(name)
                .map(container_doc)
                .or_else(|| find_image(world, name).map(|i| image_json(world, i)))
                .or_else(|| world.volumes().get(name).map(super::volume::volume_json)),
        };
        match doc {
            Some(d) => docs.push(d),
            None => errors.push(match kind {
                Some("image") => format!("Error response from daemon: No such image: {}", super::normalized_ref(name)),
                Some("container") => format!("Error response from daemon: No such container: {name}"),
                Some("volume") => format!("Error: No such volume: {name}"),
                _ => format!("Error: No such object: {name}"),
            }),
        }
    }
    // A template reads Docker's structs, where a field JSON omits when empty is still there.
    if parsed.get("format").is_some_and(|f| f != "json") {
        for doc in &mut docs {
            if let Some(config) = doc.get("State").is_some().then(|| doc.get_mut("Config").and_then(Value::as_object_mut)).flatten() {
                for (key, empty) in [("ExposedPorts", json!({})), ("StopSignal", json!("")), ("StopTimeout", Value::Null)] {
                    config.entry(key).or_insert(empty);
                }
            }
        }
    }
    if docs.is_empty() && parsed.get("format").is_some() {
        io.out_str("\n");
    } else if !print_docs(io, &docs, parsed.get("format"), None) {
        return 1;
    }
    for e in &errors {
        io.err_line(e);
    }
    if errors.is_empty() {
        0
    } else {
        1
    }
}

fn graph_driver(layer_dirs: &[String], top: &str) -> Value {
    json!({
        "Data": {
            "LowerDir": layer_dirs.iter().map(|d| format!("/var/lib/docker/overlay2/{d}/diff")).collect::<Vec<_>>().join(":"),
            "MergedDir": format!("/var/lib/docker/overlay2/{top}/merged"),
            "UpperDir": format!("/var/lib/docker/overlay2/{top}/diff"),
            "WorkDir": format!("/var/lib/docker/overlay2/{top}/work"),
        },
        "Name": "overlay2"
    })
}

pub fn mounts_json(c: &Container) -> Value {
    Value::Array(
        c.mount_points
            .iter()
            .filter(|m| m.listed)
            .map(|m| {
                let mut o = Map::new();
                o.insert("Type".into(), m.kind.as_str().into());
                if m.kind == MountPointKind::Volume {
                    o.insert("Name".into(), m.name.clone().into());
                }
                o.insert("Source".into(), m.source.clone().into());
                o.insert("Destination".into(), m.destination.clone().into());
                if m.kind == MountPointKind::Volume {
                    o.insert("Driver".into(), "local".into());
                }
                o.insert("Mode".into(), m.mode.clone().into());
                o.insert("RW".into(), m.rw.into());
                o.insert("Propagation".into(), m.propagation.clone().into());
                Value::Object(o)
            })
            .collect(),
    )
}

pub fn container_json(world: &World, c: &Container) -> Value {
    let img = world.image_of(c);
    let mut lower = vec![format!("{}-init", c.layer_id)];
    if let Some(img) = img {
        lower.extend(img.layers.iter().rev().map(|l| world.layers()[*l].cache_id.clone()));
    }
    let volumes: Value = if c.config_volumes.is_empty() {
        Value::Null
    } else {
        Value::Object(c.config_volumes.iter().map(|v| (v.clone(), json!({}))).collect())
    };
    let binds = match &c.host.binds {
        Some(b) => json!(b),
        None => Value::Null,
    };
    let tmpfs: Value = if c.host.tmpfs.is_empty() { Value::Null } else { json!(c.host.tmpfs) };
    let mut host = Map::new();
    host.insert("Binds".into(), binds);
    host.insert("ContainerIDFile".into(), "".into());
    host.insert("LogConfig".into(), json!({"Type": c.host.log_driver, "Config": {}}));
    host.insert("NetworkMode".into(), c.host.network_mode.clone().into());
    host.insert("PortBindings".into(), super::ports::port_bindings_json(c));
    host.insert("RestartPolicy".into(), json!({"Name": c.host.restart.name, "MaximumRetryCount": c.host.restart.max_retries}));
    host.insert("AutoRemove".into(), c.host.auto_remove.into());
    host.insert("VolumeDriver".into(), "".into());
    host.insert(
        "VolumesFrom".into(),
        match &c.host.volumes_from {
            Some(v) => json!(v),
            None => Value::Null,
        },
    );
    host.insert("ConsoleSize".into(), json!([0, 0]));
    for (k, v) in [
        ("CapAdd", if c.host.cap_add.is_empty() { Value::Null } else { json!(c.host.cap_add) }),
        ("CapDrop", if c.host.cap_drop.is_empty() { Value::Null } else { json!(c.host.cap_drop) }),
        ("CgroupnsMode", "host".into()),
        ("Dns", json!([])),
        ("DnsOptions", json!([])),
        ("DnsSearch", json!([])),
        ("ExtraHosts", if c.host.extra_hosts.is_empty() { Value::Null } else { json!(c.host.extra_hosts) }),
        ("GroupAdd", if c.host.group_add.is_empty() { Value::Null } else { json!(c.host.group_add) }),
        ("IpcMode", c.host.ipc_mode.clone().into()),
        ("Cgroup", "".into()),
        ("Links", Value::Null),
        ("OomScoreAdj", 0.into()),
        ("PidMode", "".into()),
        ("Privileged", c.host.privileged.into()),
        ("PublishAllPorts", c.host.publish_all.into()),
    ] {
        host.insert(k.into(), v);
    }
    host.insert("ReadonlyRootfs".into(), c.host.readonly_rootfs.into());
    host.insert("SecurityOpt".into(), Value::Null);
    if !c.host.tmpfs.is_empty() {
        host.insert("Tmpfs".into(), tmpfs);
    }
    for (k, v) in [
        ("UTSMode", Value::from("")),
        ("UsernsMode", "".into()),
        ("ShmSize", c.host.shm_size.into()),
        ("Runtime", "runc".into()),
        ("Isolation", "".into()),
        ("CpuShares", c.host.resources.cpu_shares.into()),
        ("Memory", c.host.resources.memory.into()),
        ("NanoCpus", c.host.resources.nano_cpus.into()),
        ("CgroupParent", "".into()),
        ("BlkioWeight", 0.into()),
        ("BlkioWeightDevice", json!([])),
        ("BlkioDeviceReadBps", json!([])),
        ("BlkioDeviceWriteBps", json!([])),
        ("BlkioDeviceReadIOps", json!([])),
        ("BlkioDeviceWriteIOps", json!([])),
        ("CpuPeriod", c.host.resources.cpu_period.into()),
        ("CpuQuota", c.host.resources.cpu_quota.into()),
        ("CpuRealtimePeriod", 0.into()),
        ("CpuRealtimeRuntime", 0.into()),
        ("CpusetCpus", c.host.resources.cpuset_cpus.clone().into()),
        ("CpusetMems", "".into()),
        (
            "Devices",
            json!(c
                .host
                .devices
                .iter()
                .map(|d| json!({"PathOnHost": d.host, "PathInContainer": d.container, "CgroupPermissions": d.permissions}))
                .collect::<Vec<_>>()),
        ),
        ("DeviceCgroupRules", Value::Null),
        ("DeviceRequests", Value::Null),
        ("MemoryReservation", c.host.resources.memory_reservation.into()),
        ("MemorySwap", c.host.resources.memory_swap.into()),
        ("MemorySwappiness", Value::Null),
        ("OomKillDisable", false.into()),
        ("PidsLimit", c.host.resources.pids_limit.map_or(Value::Null, Value::from)),
        ("Ulimits", json!([])),
        ("CpuCount", 0.into()),
        ("CpuPercent", 0.into()),
        ("IOMaximumIOps", 0.into()),
        ("IOMaximumBandwidth", 0.into()),
    ] {
        host.insert(k.into(), v);
    }
    if !c.host.mounts.is_empty() {
        host.insert("Mounts".into(), Value::Array(c.host.mounts.clone()));
    }
    host.insert(
        "MaskedPaths".into(),
        json!([
            "/proc/asound",
            "/proc/acpi",
            "/proc/kcore",
            "/proc/keys",
            "/proc/latency_stats",
            "/proc/timer_list",
            "/proc/timer_stats",
            "/proc/sched_debug",
            "/proc/scsi",
            "/sys/firmware",
            "/sys/devices/virtual/powercap"
        ]),
    );
    host.insert("ReadonlyPaths".into(), json!(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]));
    let status = match c.status {
        Status::Created => "created",
        Status::Running if c.paused => "paused",
        Status::Running => "running",
        Status::Exited if c.restarting() => "restarting",
        Status::Exited => "exited",
    };
    let labels: Value = json!(c.labels);
    let started = |path: String| if c.started_at.is_some() { path } else { String::new() };
    // A network sandbox id of its own (random on a real daemon).
    let sandbox = crate::ids::sha256_hex(format!("sandbox {}", c.layer_id).as_bytes());
    let mut doc = json!({
        "Id": c.id,
        "Created": rfc3339_nano(c.created),
        "Path": c.path,
        "Args": c.args,
        "State": {
            "Status": status,
            // Between its end and its restart, Docker counts it running.
            "Running": c.status == Status::Running || c.restarting(),
            "Paused": c.paused,
            "Restarting": c.restarting(),
            "OOMKilled": false,
            "Dead": false,
            "Pid": c.pid,
            "ExitCode": c.exit_code,
            "Error": "",
            "StartedAt": c.started_at.map(rfc3339_nano).unwrap_or_else(|| "0001-01-01T00:00:00Z".into()),
            "FinishedAt": c.finished_at.map(rfc3339_nano).unwrap_or_else(|| "0001-01-01T00:00:00Z".into()),
        },
        "Image": c.image_id,
        // The daemon names these files when the container first starts (oracle-115).
        "ResolvConfPath": started(format!("/var/lib/docker/containers/{}/resolv.conf", c.id)),
        "HostnamePath": started(format!("/var/lib/docker/containers/{}/hostname", c.id)),
        "HostsPath": started(format!("/var/lib/docker/containers/{}/hosts", c.id)),
        "LogPath": started(format!("/var/lib/docker/containers/{}/{}-json.log", c.id, c.id)),
        "Name": format!("/{}", c.name),
        "RestartCount": c.restart_count,
        "Driver": "overlay2",
        "Platform": "linux",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "",
        "ExecIDs": Value::Null,
        "HostConfig": Value::Object(host),
        "GraphDriver": graph_driver(&lower, &c.layer_id),
        "Mounts": mounts_json(c),
        "Config": {
            "Hostname": c.hostname,
            "Domainname": "",
            "User": c.user,
            "AttachStdin": c.attached && c.interactive,
            "AttachStdout": c.attached,
            "AttachStderr": c.attached,
            "Tty": c.tty,
            "OpenStdin": c.interactive,
            "StdinOnce": c.attached && c.interactive,
            "Env": c.env,
            "Cmd": json!(c.config_cmd),
            "Image": c.image_ref,
            "Volumes": volumes,
            "WorkingDir": c.working_dir,
            "Entrypoint": json!(c.config_entrypoint),
            "OnBuild": Value::Null,
            "Labels": labels,
        },
        "NetworkSettings": {
            "Bridge": "",
            // A network sandbox exists once the container has started.
            "SandboxID": started(sandbox.clone()),
            "SandboxKey": started(format!("/var/run/docker/netns/{}", sandbox.get(..12).unwrap_or_default())),
            "Ports": super::ports::network_ports_json(world, c),
            "HairpinMode": false,
            "LinkLocalIPv6Address": "",
            "LinkLocalIPv6PrefixLen": 0,
            "SecondaryIPAddresses": Value::Null,
            "SecondaryIPv6Addresses": Value::Null,
            "EndpointID": "",
            "Gateway": "",
            "GlobalIPv6Address": "",
            "GlobalIPv6PrefixLen": 0,
            "IPAddress": "",
            "IPPrefixLen": 0,
            "IPv6Gateway": "",
            "MacAddress": "",
            "Networks": {
                "bridge": {
                    "IPAMConfig": Value::Null,
                    "Links": Value::Null,
                    "Aliases": Value::Null,
                    "MacAddress": "",
                    "NetworkID": "",
                    "EndpointID": "",
                    "Gateway": "",
                    "IPAddress": "",
                    "IPPrefixLen": 0,
                    "IPv6Gateway": "",
                    "GlobalIPv6Address": "",
                    "GlobalIPv6PrefixLen": 0,
                    "DriverOpts": Value::Null,
                    "DNSNames": Value::Null,
                }
            }
        }
    });
    // `ExposedPorts` sits between `AttachStderr` and `Tty`, and only when there are some.
    if let Some(exposed) = super::ports::exposed_ports_json(world, c) {
        insert_after(&mut doc, "AttachStderr", "ExposedPorts", exposed);
    }
    // `StopSignal` follows the labels, when `--stop-signal` set one (oracle-88).
    if let (Some(signal), Some(config)) = (&c.stop_signal, doc.get_mut("Config").and_then(Value::as_object_mut)) {
        config.insert("StopSignal".into(), json!(signal));
    }
    // The image's HEALTHCHECK is the container's too (its ONBUILD and SHELL are not).
    if let Some(check) = world.image_of(c).and_then(|im| im.config.healthcheck.as_ref()) {
        insert_after(&mut doc, "Cmd", "Healthcheck", super::dockerfile_meta::healthcheck_json(check));
    }
    // Started on the default network, which this daemon runs without a bridge for, a
    // container has its network disabled: `NetworkDisabled` after `Entrypoint` (reference 08).
    let no_bridge = c.started_at.is_some() && c.host.network_mode == "bridge";
    if no_bridge {
        insert_after(&mut doc, "Entrypoint", "NetworkDisabled", true.into());
    }
    // `StopTimeout` after it, when `--stop-timeout` set one (oracle-108).
    if let (Some(secs), Some(config)) = (c.stop_timeout, doc.get_mut("Config").and_then(Value::as_object_mut)) {
        config.insert("StopTimeout".into(), json!(secs));
    }
    doc
}

pub fn image_json(world: &World, i: usize) -> Value {
    let im = &world.images()[i];
    let cfg = &im.config;
    let dirs: Vec<String> = im.layers.iter().rev().map(|l| world.layers()[*l].cache_id.clone()).collect();
    let (top, lower) = dirs.split_first().map(|(t, r)| (t.clone(), r.to_vec())).unwrap_or_default();
    let volumes: Value =
        if cfg.volumes.is_empty() { Value::Null } else { Value::Object(cfg.volumes.iter().map(|v| (v.clone(), json!({}))).collect()) };
    let labels: Value = if cfg.labels.is_empty() { Value::Null } else { json!(cfg.labels) };
    let mut gd = graph_driver(&lower, &top);
    if lower.is_empty() {
        if let Some(d) = gd.get_mut("Data").and_then(|d| d.as_object_mut()) {
            d.remove("LowerDir");
        }
    }
    let mut doc = json!({
        "Id": im.id,
        "RepoTags": im.tags,
        "RepoDigests": [],
        "Parent": im.parent,
        "Comment": im.comment,
        "Created": rfc3339(im.created),
        "DockerVersion": "",
        "Author": "",
        "Config": {
            "Hostname": "",
            "Domainname": "",
            "User": cfg.user,
            "AttachStdin": false,
            "AttachStdout": false,
            "AttachStderr": false,
            "Tty": false,
            "OpenStdin": false,
            "StdinOnce": false,
            "Env": cfg.env,
            "Cmd": cfg.cmd,
            "ArgsEscaped": cfg.args_escaped,
            "Image": "",
            "Volumes": volumes,
            "WorkingDir": cfg.working_dir,
            "Entrypoint": cfg.entrypoint,
            "OnBuild": Value::Null,
            "Labels": labels,
        },
        "Architecture": "amd64",
        "Os": "linux",
        "Size": im.size,
        "GraphDriver": gd,
        "RootFS": {
            "Type": "layers",
            "Layers": im.layers.iter().map(|l| world.layers()[*l].diff_id.clone()).collect::<Vec<_>>(),
        },
        "Metadata": {
            "LastTagTime": im.last_tag_time.map(rfc3339_nano).unwrap_or_else(|| "0001-01-01T00:00:00Z".into()),
        }
    });
    // An image's `ExposedPorts` sit where a container's do (oracle-106).
    if !cfg.exposed_ports.is_empty() {
        let exposed = Value::Object(cfg.exposed_ports.iter().map(|p| (p.clone(), json!({}))).collect());
        insert_after(&mut doc, "AttachStderr", "ExposedPorts", exposed);
    }
    if let (Some(signal), Some(config)) = (&cfg.stop_signal, doc.get_mut("Config").and_then(Value::as_object_mut)) {
        config.insert("StopSignal".into(), json!(signal));
    }
    config_from_image(&mut doc, cfg);
    doc
}

/// The fields HEALTHCHECK, ONBUILD and SHELL set, where Docker's `Config` struct has them:
/// `Healthcheck` after `Cmd`, `OnBuild` in its place, `Shell` last (oracle-131).
fn config_from_image(doc: &mut Value, cfg: &crate::world::ImageConfig) {
    if let Some(check) = &cfg.healthcheck {
        insert_after(doc, "Cmd", "Healthcheck", super::dockerfile_meta::healthcheck_json(check));
    }
    let Some(config) = doc.get_mut("Config").and_then(Value::as_object_mut) else { return };
    if !cfg.on_build.is_empty() {
        config.insert("OnBuild".into(), json!(cfg.on_build));
    }
    if let Some(shell) = &cfg.shell {
        config.insert("Shell".into(), json!(shell));
    }
}

/// Puts `key` into a document's `Config` right after `after`, where Docker's struct has the
/// field that JSON leaves out when empty.
fn insert_after(doc: &mut Value, after: &str, key: &str, value: Value) {
    let Some(config) = doc.get_mut("Config").and_then(Value::as_object_mut) else { return };
    for (k, v) in std::mem::take(config) {
        let here = k == after;
        config.insert(k, v);
        if here {
            config.insert(key.to_string(), value.clone());
        }
    }
}

pub(super) fn repo_tag(tag: &str) -> (String, String) {
    match tag.rsplit_once(':') {
        Some((r, t)) => (r.to_string(), t.to_string()),
        None => (tag.to_string(), "latest".to_string()),
    }
}

pub fn images(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[
            flag("all", Some('a')),
            flag("quiet", Some('q')),
            opt("format", None),
            opt("filter", Some('f')),
            flag("no-trunc", None),
            flag("digests", None),
        ],
        false,
    ) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "images", &e),
    };
    // --filter: reference=PATTERN (a glob on the name, with or without its tag), dangling=,
    // label=; anything else is the daemon's error (oracle-31).
    let mut references = Vec::new();
    let mut dangling = None;
    let mut labels = Vec::new();
    for f in parsed.all("filter") {
        let (key, value) = f.split_once('=').unwrap_or((&f, ""));
        match key {
            "reference" => references.push(value.chars().map(|c| (c, false)).collect::<Vec<_>>()),
            "dangling" => dangling = Some(value == "true" || value == "1"),
            "label" | "label!" => labels.push((key.to_string(), value.to_string())),
            _ => return super::daemon_error(io, &format!("invalid filter '{key}'")),
        }
    }
    let reference_ok = |t: &str| {
        let (repo, _) = repo_tag(t);
        let (name, full): (Vec<char>, Vec<char>) = (repo.chars().collect(), t.chars().collect());
        references.is_empty()
            || references.iter().any(|p| crate::userland::glob::matches(p, &name) || crate::userland::glob::matches(p, &full))
    };
    let now = world.clock().nanos;
    let mut order: Vec<usize> = (0..world.images().len()).collect();
    sort_by(&mut order, |a, b| world.images()[*b].created.cmp(&world.images()[*a].created).then(b.cmp(a)));
    let mut rows = Vec::new();
    for i in order {
        let im = &world.images()[i];
        if dangling.is_some_and(|d| d != im.tags.is_empty())
            || !labels.iter().all(|(k, v)| super::prune_filter::labels_match(&im.config.labels, k, v))
            || (!references.is_empty() && !im.tags.iter().any(|t| reference_ok(t)))
        {
            continue;
        }
        // An image without a name (dangling) is listed as <none>:<none>.
        let untagged = ["<none>:<none>".to_string()];
        let names: &[String] = if im.tags.is_empty() && parsed.operands.is_empty() { &untagged } else { &im.tags };
        for t in names.iter().filter(|t| im.tags.is_empty() || reference_ok(t)) {
            let (repo, tag) = repo_tag(t);
            // `REPOSITORY[:TAG]` is a reference filter: a pattern on the name, or the name and
            // tag (`acme/*`: cow1).
            if let Some(filter) = parsed.operands.first() {
                let pattern: Vec<(char, bool)> = filter.chars().map(|c| (c, false)).collect();
                let name: Vec<char> = repo.chars().collect();
                let full: Vec<char> = format!("{repo}:{tag}").chars().collect();
                if !crate::userland::glob::matches(&pattern, &name) && !crate::userland::glob::matches(&pattern, &full) {
                    continue;
                }
            }
            let age = (now - im.created as i128 * 1_000_000_000).max(0);
            let id = if parsed.has("no-trunc") { im.id.clone() } else { im.short_id().to_string() };
            // `CreatedAt` as Go prints a time; `VirtualSize` to four figures (oracle-115).
            let created_at = format!("{} +0000 UTC", rfc3339(im.created).replace('T', " ").trim_end_matches('Z'));
            rows.push((
                repo,
                tag,
                id,
                format!("{} ago", human_duration(age)),
                human_size(im.size as f64, 3),
                created_at,
                human_size(im.size as f64, 4),
            ));
        }
    }
    if parsed.has("quiet") {
        for r in rows {
            io.out_str(&format!("{}\n", r.2));
        }
        return 0;
    }
    if let Some(f) = parsed.get("format") {
        let data: Vec<Value> = rows.iter().map(|r| json!({"Repository": r.0, "Tag": r.1, "ID": r.2, "CreatedSince": r.3, "CreatedAt": r.5, "Size": r.4, "Digest": "<none>", "Containers": "N/A", "SharedSize": "N/A", "UniqueSize": "N/A", "VirtualSize": r.6})).collect();
        let headers = [
            ("Repository", "REPOSITORY"),
            ("Tag", "TAG"),
            ("ID", "IMAGE ID"),
            ("CreatedSince", "CREATED"),
            ("CreatedAt", "CREATED AT"),
            ("Size", "SIZE"),
            ("Digest", "DIGEST"),
        ];
        return format::print_list(io, f, &data, &headers);
    }
    // `--digests`: a DIGEST column; an image built or loaded here has none (RepoDigests is empty).
    let digests = parsed.has("digests");
    let mut text = String::from(if digests {
        "REPOSITORY\tTAG\tDIGEST\tIMAGE ID\tCREATED\tSIZE\n"
    } else {
        "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE\n"
    });
    for r in rows {
        let digest = if digests { "<none>\t" } else { "" };
        text.push_str(&format!("{}\t{}\t{digest}{}\t{}\t{}\n", r.0, r.1, r.2, r.3, r.4));
    }
    io.out_str(&tabwrite(&text));
    0
}

pub fn history(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed =
        match flags::parse(args, &[flag("no-trunc", None), flag("quiet", Some('q')), flag("human", Some('H')), opt("format", None)], false)
        {
            Ok(p) => p,
            Err(e) => return usage_error(io, "history", &e),
        };
    let Some(name) = parsed.operands.first() else {
        return arg_count_error(io, "history", "exactly 1 argument", "[OPTIONS] IMAGE", "Show the history of an image");
    };
    let Some(i) = find_image(world, name) else {
        io.err_line(&format!("Error response from daemon: No such image: {}", super::normalized_ref(name)));
        return 1;
    };
    let now = world.clock().nanos;
    let im = world.images()[i].clone();
    // `-H=false` (`--human=false`): sizes in bytes, creation times in RFC 3339 (oracle-110).
    let human = parsed.get("human") != Some("false");
    let mut layer_iter = im.layers.iter();
    let mut rows: Vec<(String, String, String, String, i64)> = Vec::new();
    for h in &im.history {
        let size = if h.empty_layer { 0 } else { layer_iter.next().map(|l| world.layers()[*l].size).unwrap_or(0) };
        let by = if parsed.has("no-trunc") { h.created_by.clone() } else { ellipsis(&h.created_by, 45) };
        rows.push((
            if human { format!("{} ago", human_duration((now - h.created as i128 * 1_000_000_000).max(0))) } else { rfc3339(h.created) },
            by,
            if human { human_size(size as f64, 3) } else { size.to_string() },
            h.comment.clone(),
            h.created,
        ));
    }
    rows.reverse();
    // The IMAGE column names this image and its committed parents where their history starts.
    let mut ids = vec!["<missing>".to_string(); rows.len()];
    if !ids.is_empty() {
        ids[0] = im.short_id().to_string();
    }
    let mut parent = im.parent.clone();
    while !parent.is_empty() {
        let Some(p) = world.images().iter().find(|x| x.id == parent) else { break };
        let idx = rows.len() - p.history.len();
        if idx < ids.len() {
            ids[idx] = p.short_id().to_string();
        }
        parent = p.parent.clone();
    }
    if parsed.has("quiet") {
        for id in &ids {
            io.out_str(&format!("{id}\n"));
        }
        return 0;
    }
    if let Some(f) = parsed.get("format") {
        // The fields of Docker's history formatter (oracle-07).
        let docs: Vec<Value> = rows
            .iter()
            .zip(&ids)
            .map(|(r, id)| json!({"ID": id, "CreatedSince": r.0, "CreatedAt": rfc3339(r.4), "CreatedBy": r.1, "Size": r.2, "Comment": r.3}))
            .collect();
        let headers = [
            ("ID", "IMAGE"),
            ("CreatedSince", "CREATED"),
            ("CreatedAt", "CREATED AT"),
            ("CreatedBy", "CREATED BY"),
            ("Size", "SIZE"),
            ("Comment", "COMMENT"),
        ];
        return format::print_list(io, f, &docs, &headers);
    }
    let mut text =
        String::from(if human { "IMAGE\tCREATED\tCREATED BY\tSIZE\tCOMMENT\n" } else { "IMAGE\tCREATED AT\tCREATED BY\tSIZE\tCOMMENT\n" });
    for (r, id) in rows.iter().zip(ids) {
        text.push_str(&format!("{id}\t{}\t{}\t{}\t{}\n", r.0, r.1, r.2, r.3));
    }
    io.out_str(&tabwrite(&text));
    0
}

pub fn rmi(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("force", Some('f')), flag("no-prune", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "rmi", &e),
    };
    if parsed.operands.is_empty() {
        return arg_count_error(io, "rmi", "at least 1 argument", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images");
    }
    let mut status = 0;
    for name in &parsed.operands {
        let Some(i) = find_image(world, name) else {
            io.err_line(&format!("Error response from daemon: No such image: {}", super::normalized_ref(name)));
            status = 1;
            continue;
        };
        let full = super::normalized_ref(name);
        let im = world.images()[i].clone();
        if let Some(c) = world.containers().iter().find(|c| c.image_id == im.id) {
            if !parsed.has("force") {
                io.err_line(&format!("Error response from daemon: conflict: unable to remove repository reference \"{name}\" (must force) - container {} is using its referenced image {}", c.short_id(), im.short_id()));
                status = 1;
                continue;
            }
        }
        let by_tag = im.tags.contains(&full);
        // An image a running container uses loses only the name (`-f`): it stays, as
        // `<none>:<none>` when that was its last tag (oracle-21). One that only stopped
        // containers use is deleted, its layers kept for them (oracle-159).
        let users: Vec<bool> = world.containers().iter().filter(|c| c.image_id == im.id).map(|c| c.status == Status::Running).collect();
        let running = users.iter().any(|r| *r);
        if by_tag && (im.tags.len() > 1 || running) {
            crate::daemon::images::untag(world, i, &full);
            io.out_str(&format!("Untagged: {full}\n"));
            continue;
        }
        if !users.is_empty() {
            let Some(retired) = crate::daemon::images::retire(world, i, full.clone()) else { continue };
            for t in &retired.tags {
                io.out_str(&format!("Untagged: {t}\n"));
            }
            io.out_str(&format!("Deleted: {}\n", retired.id));
            continue;
        }
        let Some(removed) = crate::daemon::images::remove(world, i, full.clone()) else { continue };
        for t in &removed.image.tags {
            io.out_str(&format!("Untagged: {t}\n"));
        }
        io.out_str(&format!("Deleted: {}\n", removed.image.id));
        for layer in removed.released {
            io.out_str(&format!("Deleted: {}\n", layer.chain_id));
        }
    }
    status
}
