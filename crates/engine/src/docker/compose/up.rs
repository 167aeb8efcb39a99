//! `docker compose up`: the images a service needs (built or pulled), the project's volumes,
//! and each service's container, created and started.

use super::{container_name, err, replica_name, service_hash, Project, Service, SvcVolume, COMPOSE_VERSION};
use crate::daemon::spec::ContainerSpec;
use crate::docker::flags::{self, flag, opt};
use crate::docker::mounts::{self, SpecError};
use crate::shell::{Io, Shell};
use crate::world::{ComposeRef, ContainerId, Status, World};

/// The image a service runs: its `image`, or the one compose builds for it (`PROJECT-SERVICE`).
pub(super) fn service_image(p: &Project, s: &Service) -> String {
    s.image.clone().unwrap_or_else(|| format!("{}-{}", p.name, s.name))
}

/// Builds the images of the services with a `build` section that are missing (all of them
/// with `--build`), as `up` does before it creates anything, printing BuildKit's progress with
/// the service's name.
pub(super) fn ensure_images(
    world: &mut World,
    sh: &Shell,
    p: &Project,
    services: &[&Service],
    rebuild: bool,
    io: &mut Io,
) -> Result<(), i32> {
    for s in services {
        let Some((ctx, df)) = &s.build else { continue };
        let tag = service_image(p, s);
        if super::find_image(world, &tag).is_some() && !rebuild {
            continue;
        }
        let context = crate::fs::normalize(&p.dir, ctx);
        let mut bargs = vec!["-t".to_string(), tag];
        for (k, v) in &s.build_args {
            bargs.push(format!("--build-arg={k}={v}"));
        }
        if let Some(n) = &s.build_network {
            bargs.push(format!("--network={n}"));
        }
        if let Some(df) = df {
            bargs.push("-f".into());
            bargs.push(crate::fs::normalize(&context, df));
        }
        bargs.push(context);
        if super::build::build_labeled(world, sh, &bargs, io, Some(&s.name)) != 0 {
            return Err(1);
        }
    }
    Ok(())
}

pub(super) fn ensure_volumes(world: &mut World, p: &Project, io: &mut Io) -> Result<(), i32> {
    for v in &p.volumes {
        if v.external && !world.volumes().contains_key(&v.name) {
            return Err(err(io, &format!("external volume \"{}\" not found", v.name)));
        }
    }
    for v in &p.volumes {
        if v.external || world.volumes().contains_key(&v.name) {
            continue;
        }
        io.err_line(&format!(" Volume \"{}\"  Creating", v.name));
        let mut labels = v.labels.clone();
        labels.insert("com.docker.compose.project".into(), p.name.clone());
        labels.insert("com.docker.compose.version".into(), COMPOSE_VERSION.into());
        labels.insert("com.docker.compose.volume".into(), v.key.clone());
        super::volume::create_volume(
            world,
            &v.name,
            labels,
            if v.driver_opts.is_empty() { None } else { Some(v.driver_opts.clone()) },
            false,
        );
        io.err_line(&format!(" Volume \"{}\"  Created", v.name));
    }
    Ok(())
}

/// Creates the service's container: the service becomes a [`ContainerSpec`] (its mounts read
/// with the CLI's own mount parsers, as its short and long volume syntax are `-v` and
/// `--mount` specs), and the daemon creates it.
///
/// `number` is the replica (`--scale`); `inherit` the anonymous volumes of the container this
/// one replaces, by mount point: Compose mounts them again, so their data stays (oracle-39).
pub(super) fn create_service(
    world: &mut World,
    sh: &Shell,
    p: &Project,
    s: &Service,
    number: u32,
    inherit: &[(String, String)],
    io: &mut Io,
) -> Result<ContainerId, i32> {
    let cwd = sh.ctx.cwd.as_str();
    let image = service_image(p, s);
    let mut spec = ContainerSpec { name: Some(replica_name(p, s, number)), image: image.clone(), ..ContainerSpec::default() };
    for v in &s.volumes {
        let added = match v {
            SvcVolume::Bind { source, target, read_only } => {
                let mode = if *read_only { "ro" } else { "rw" };
                mounts::parse_volume_flag(&format!("{source}:{target}:{mode}"), cwd, "/home/student").map(|r| spec.volumes.push(r))
            }
            SvcVolume::Volume { source, target, read_only, nocopy } => {
                let name = source
                    .as_ref()
                    .map(|src| p.volumes.iter().find(|tv| tv.key == *src).map(|tv| tv.name.clone()).unwrap_or_else(|| src.clone()));
                let mut m = String::from("type=volume");
                if let Some(n) = name {
                    m.push_str(&format!(",src={n}"));
                }
                m.push_str(&format!(",dst={target}"));
                if *read_only {
                    m.push_str(",readonly");
                }
                if *nocopy {
                    m.push_str(",volume-nocopy");
                }
                mounts::parse_mount_flag(&m, cwd).map(|r| spec.mounts.push(Ok(r)))
            }
            SvcVolume::Tmpfs { target, size } => {
                let m = match size {
                    Some(sz) => format!("type=tmpfs,dst={target},tmpfs-size={sz}"),
                    None => format!("type=tmpfs,dst={target}"),
                };
                mounts::parse_mount_flag(&m, cwd).map(|r| spec.mounts.push(Ok(r)))
            }
        };
        if let Err(e) = added {
            return Err(err(io, &spec_error_text(e)));
        }
    }
    for (target, name) in inherit {
        spec.volumes.retain(|r| r.target != *target);
        spec.mounts.retain(|m| m.as_ref().map_or(true, |r| r.target != *target));
        if let Ok(r) = mounts::parse_mount_flag(&format!("type=volume,src={name},dst={target}"), cwd) {
            spec.mounts.push(Ok(r));
        }
    }
    for t in &s.tmpfs {
        spec.tmpfs.push(mounts::parse_tmpfs_flag(t).map_err(|(SpecError::Cli(m) | SpecError::Daemon(m) | SpecError::Flag(m))| m));
    }
    for port in &s.ports {
        match super::ports::parse_publish(port) {
            Ok(b) => spec.port_bindings.push(b),
            Err(m) => return Err(err(io, &format!("{}.", m.trim_end_matches('.')))),
        }
    }
    spec.user = s.user.clone();
    spec.workdir = s.working_dir.clone();
    spec.env = s.environment.iter().map(|(k, v)| format!("{k}={v}")).collect();
    spec.entrypoint = s.entrypoint.as_ref().map(|e| e.join(" "));
    spec.read_only = s.read_only;
    spec.cap_add = s.cap_add.clone();
    spec.cap_drop = s.cap_drop.clone();
    spec.privileged = s.privileged;
    spec.network_mode = s.network_mode.clone().unwrap_or_else(|| format!("{}_default", p.name));
    spec.command = s.command.clone().unwrap_or_default();
    // `up` pulls first; a service created another way gets its image the same way, quietly.
    if super::find_image(world, &image).is_none() {
        if let Err(e) = super::image::pull_into_store(world, &image, &mut |_| {}) {
            return Err(err(io, &format!("Error response from daemon: {}.", e.message().trim_end_matches('.'))));
        }
    }
    let image_id = super::find_image(world, &image).map(|i| world.images()[i].id.clone()).unwrap_or_default();
    let hash = service_hash(p, s);
    spec.compose = Some(ComposeRef { project: p.name.clone(), service: s.name.clone(), config_hash: hash.clone() });
    spec.labels = [
        ("com.docker.compose.project", p.name.clone()),
        ("com.docker.compose.service", s.name.clone()),
        ("com.docker.compose.container-number", number.to_string()),
        ("com.docker.compose.oneoff", "False".into()),
        ("com.docker.compose.config-hash", hash),
        ("com.docker.compose.version", COMPOSE_VERSION.into()),
        ("com.docker.compose.project.config_files", p.file.clone()),
        ("com.docker.compose.project.working_dir", p.dir.clone()),
        ("com.docker.compose.image", image_id),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    crate::daemon::container::create(world, &spec)
        .map_err(|e| err(io, &format!("Error response from daemon: {}.", e.to_string().trim_end_matches('.'))))
}

/// A mount spec Compose could not use, as `docker compose` words it.
fn spec_error_text(e: SpecError) -> String {
    match e {
        SpecError::Cli(m) => format!("{}.", m.trim_end_matches('.')),
        SpecError::Daemon(m) => format!("Error response from daemon: {}.", m.trim_end_matches('.')),
        SpecError::Flag(m) => m,
    }
}

/// Compose pulls the images of services that have no `build` and are not present, first of all.
pub(super) fn pull_missing(world: &mut World, services: &[&Service], io: &mut Io) -> Result<(), i32> {
    for s in services {
        let Some(image) = s.image.as_ref().filter(|_| s.build.is_none()) else { continue };
        if super::find_image(world, image).is_some() {
            continue;
        }
        io.err_line(&format!(" {} Pulling ", s.name));
        match super::image::pull_into_store(world, image, &mut |_| {}) {
            Ok(_) => io.err_line(&format!(" {} Pulled ", s.name)),
            Err(e) => {
                io.err_line(&format!(" {} Error {}", s.name, e.message()));
                io.err_line(&format!("Error response from daemon: {}", e.message()));
                return Err(1);
            }
        }
    }
    Ok(())
}

pub(super) fn up(world: &mut World, sh: &mut Shell, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[
            flag("detach", Some('d')),
            flag("build", None),
            flag("force-recreate", None),
            flag("no-build", None),
            opt("timeout", Some('t')),
            flag("remove-orphans", None),
            flag("wait", None),
            // Accepted as Compose accepts them; they change how logs are shown, or what is
            // waited for, not what is stored (docs/fidelity/reasons.txt).
            flag("no-color", None),
            flag("no-log-prefix", None),
            flag("timestamps", None),
            flag("quiet-pull", None),
            opt("pull", None),
            opt("attach", None),
            flag("attach-dependencies", None),
            opt("no-attach", None),
            flag("no-deps", None),
            flag("always-recreate-deps", None),
            opt("wait-timeout", None),
            flag("no-start", None),
            flag("no-recreate", None),
            flag("renew-anon-volumes", Some('V')),
            flag("abort-on-container-exit", None),
            opt("exit-code-from", None),
            opt("scale", None),
            // Attached `up` already shows what it would show while watching; nothing waits.
            flag("watch", Some('w')),
        ],
        false,
    ) {
        Ok(x) => x,
        Err(e) => return err(io, &e),
    };
    let detach = parsed.has("detach");
    let exit_code_from = parsed.get("exit-code-from").map(str::to_string);
    let abort = parsed.has("abort-on-container-exit") || exit_code_from.is_some();
    if detach && (abort || parsed.has("attach") || parsed.has("attach-dependencies")) {
        return err(io, "--detach cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies");
    }
    if let Some(name) = exit_code_from.as_ref().filter(|n| !p.services.iter().any(|s| s.name == **n)) {
        return err(io, &format!("no such service: {name}: not found"));
    }
    let scale = match scales(p, &parsed.all("scale")) {
        Ok(s) => s,
        Err(m) => return err(io, &m),
    };
    let selected: Vec<&Service> = if parsed.operands.is_empty() {
        p.services.iter().collect()
    } else {
        let mut want: Vec<String> = parsed.operands.clone();
        let mut k = 0;
        while k < want.len() {
            if let Some(s) = p.services.iter().find(|s| s.name == want[k]) {
                for d in &s.depends_on {
                    if !want.contains(d) {
                        want.push(d.clone());
                    }
                }
            } else {
                return err(io, &format!("no such service: {}", want[k]));
            }
            k += 1;
        }
        p.services.iter().filter(|s| want.contains(&s.name)).collect()
    };
    if let Err(code) = pull_missing(world, &selected, io) {
        return code;
    }
    if let Err(code) = ensure_images(world, sh, p, &selected, parsed.has("build"), io) {
        return code;
    }
    if let Err(code) = ensure_volumes(world, p, io) {
        return code;
    }
    if p.services.iter().any(|s| s.network_mode.is_none()) && !world.networks_contains(&format!("{}_default", p.name)) {
        io.err_line(&format!(" Network {}_default  Creating", p.name));
        world.add_network(&format!("{}_default", p.name));
        io.err_line(&format!(" Network {}_default  Created", p.name));
    }
    let mut to_start: Vec<String> = Vec::new();
    let mut running: Vec<String> = Vec::new();
    for s in &selected {
        let replicas = scale.iter().find(|(n, _)| *n == s.name).map_or(1, |(_, r)| *r);
        for number in 1..=replicas {
            match converge(world, sh, p, s, number, &parsed, io) {
                Ok(Some((name, true))) => running.push(name),
                Ok(Some((name, false))) => to_start.push(name),
                Ok(None) => {}
                Err(c) => return c,
            }
        }
        scale_down(world, p, s, replicas, io);
    }
    for n in &running {
        io.err_line(&format!(" Container {n}  Running"));
    }
    // --no-start: the containers (and volumes) are made, nothing runs.
    if parsed.has("no-start") {
        return 0;
    }
    let mut logs = Vec::new();
    for n in &to_start {
        let Some(id) = world.find_container(n) else { continue };
        if detach {
            io.err_line(&format!(" Container {n}  Starting"));
        }
        if let Err(e) = super::start_container(world, &id) {
            io.err_line(&format!("Error response from daemon: {}.", e.to_string().trim_end_matches('.')));
            return 1;
        }
        let (output, code) = super::run_main_process(world, &id);
        logs.push((n.clone(), output.segments(), code));
        if detach {
            io.err_line(&format!(" Container {n}  Started"));
        }
    }
    if detach {
        return 0;
    }
    let short = |n: &str| n.strip_prefix(&format!("{}-", p.name)).unwrap_or(n).to_string();
    let attached: Vec<String> = selected.iter().map(|s| short(&container_name(p, s))).collect();
    io.out_str(&format!("Attaching to {}\n", attached.join(", ")));
    let width = attached.iter().map(|a| a.len()).max().unwrap_or(0);
    // Each line clears the terminal's line first; a line the service wrote to stderr goes to
    // compose's stderr, its clearing code still on stdout (oracle-121).
    let bare = parsed.has("no-log-prefix");
    for (n, segments, code) in &logs {
        let label = short(n);
        let prefix = if bare { String::new() } else { format!("{label:<width$}  | ") };
        for segment in segments {
            for line in String::from_utf8_lossy(&segment.bytes).lines() {
                io.out_str("\u{1b}[2K");
                if segment.stderr {
                    io.err_line(&format!("{prefix}{line}"));
                } else {
                    io.out_str(&format!("{prefix}{line}\n"));
                }
            }
        }
        if let Some(c) = code {
            io.out_str(&format!("{label} exited with code {c}\n"));
        }
    }
    // The first container to exit ends the others (`--abort-on-container-exit`); the status is
    // its own, or with `--exit-code-from` the named service's when it was that one (else 0).
    let first_exit = logs.iter().find_map(|(n, _, code)| code.map(|c| (n.clone(), c)));
    let Some((exited, code)) = first_exit.filter(|_| abort) else { return 0 };
    io.out_str("Aborting on container exit...\n");
    for s in &selected {
        let names: Vec<String> = super::project_containers(world, &p.name)
            .iter()
            .filter(|c| super::service_of(c) == Some(s.name.as_str()))
            .map(|c| c.name.clone())
            .collect();
        for n in names {
            let Some(id) = world.find_container(&n) else { continue };
            io.err_line(&format!(" Container {n}  Stopping"));
            if world.container(&id).is_some_and(|c| c.status == Status::Running) {
                super::graceful_stop(world, &id);
            }
            io.err_line(&format!(" Container {n}  Stopped"));
        }
    }
    match exit_code_from {
        Some(service) if world.named_container(&exited).and_then(super::service_of) != Some(service.as_str()) => 0,
        _ => code,
    }
}

/// `--scale SERVICE=NUM`, each service's number of containers.
fn scales(p: &Project, specs: &[String]) -> Result<Vec<(String, u32)>, String> {
    let mut out = Vec::new();
    for spec in specs {
        let (service, number) = spec.split_once('=').unwrap_or((spec, ""));
        let n: u32 = number.parse().map_err(|_| format!("strconv.Atoi: parsing \"{number}\": invalid syntax"))?;
        if !p.services.iter().any(|s| s.name == service) {
            return Err(format!("no such service: {service}: not found"));
        }
        out.push((service.to_string(), n));
    }
    Ok(out)
}

/// Brings container `number` of service `s` to its configuration: kept (an exited one is told
/// as `Created`), recreated or created. Its name and whether it runs already; `None` when
/// there is nothing to start.
fn converge(
    world: &mut World,
    sh: &Shell,
    p: &Project,
    s: &Service,
    number: u32,
    parsed: &flags::Parsed,
    io: &mut Io,
) -> Result<Option<(String, bool)>, i32> {
    let name = replica_name(p, s, number);
    let hash = service_hash(p, s);
    // A container whose image was rebuilt (`up --build`) diverged too.
    let image_now = super::find_image(world, &service_image(p, s)).map(|i| world.images()[i].id.clone());
    let existing = world.named_container(&name).map(|c| {
        let same_image = image_now.as_ref().is_none_or(|id| *id == c.image_id);
        (c.id.clone(), c.status, same_image && c.compose.as_ref().is_some_and(|c| c.config_hash == hash))
    });
    // --no-recreate keeps a container whose configuration changed.
    let kept = |same: bool| (same || parsed.has("no-recreate")) && !parsed.has("force-recreate");
    match existing {
        Some((_, Status::Running, same)) if kept(same) => Ok(Some((name, true))),
        Some((_, status, same)) if kept(same) => {
            if status == Status::Exited {
                io.err_line(&format!(" Container {name}  Created"));
            }
            Ok(Some((name, false)))
        }
        Some((id, status, _)) => {
            io.err_line(&format!(" Container {name}  Recreate"));
            // The new container mounts the old one's anonymous volumes, unless renewed (-V).
            let inherit: Vec<(String, String)> = if parsed.has("renew-anon-volumes") {
                Vec::new()
            } else {
                let anonymous = |m: &&crate::world::MountPoint| {
                    m.kind == crate::world::MountPointKind::Volume && world.volumes().get(&m.name).is_some_and(|v| v.anonymous)
                };
                let c = world.container(&id);
                c.map(|c| c.mount_points.iter().filter(anonymous).map(|m| (m.destination.clone(), m.name.clone())).collect())
                    .unwrap_or_default()
            };
            if status == Status::Running {
                super::graceful_stop(world, &id);
            }
            super::remove_container(world, &id, false);
            create_service(world, sh, p, s, number, &inherit, io)?;
            io.err_line(&format!(" Container {name}  Recreated"));
            Ok(Some((name, false)))
        }
        None => {
            io.err_line(&format!(" Container {name}  Creating"));
            create_service(world, sh, p, s, number, &[], io)?;
            io.err_line(&format!(" Container {name}  Created"));
            Ok(Some((name, false)))
        }
    }
}

/// The containers of `s` beyond its `replicas` go (`--scale` down).
fn scale_down(world: &mut World, p: &Project, s: &Service, replicas: u32, io: &mut Io) {
    let extra: Vec<(crate::world::ContainerId, String)> = super::project_containers(world, &p.name)
        .iter()
        .filter(|c| super::service_of(c) == Some(s.name.as_str()))
        .filter(|c| c.labels.get("com.docker.compose.container-number").and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n > replicas))
        .filter(|c| c.labels.get("com.docker.compose.oneoff").is_some_and(|o| o == "False"))
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    for (id, name) in extra {
        io.err_line(&format!(" Container {name}  Stopping"));
        if world.container(&id).is_some_and(|c| c.status == Status::Running) {
            super::graceful_stop(world, &id);
        }
        io.err_line(&format!(" Container {name}  Stopped"));
        io.err_line(&format!(" Container {name}  Removing"));
        super::remove_container(world, &id, false);
        io.err_line(&format!(" Container {name}  Removed"));
    }
}
