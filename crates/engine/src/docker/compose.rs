//! `docker compose` (v2.26): a compose file on the simulated host becomes volumes and
//! containers with the project's names and labels.

mod config;
mod file;
mod interpolate;
mod manage;
mod up;

use std::collections::BTreeMap;

use serde_json::Value;

use super::flags::{self, flag, opt};
use crate::shell::{Io, Shell};
use crate::sorting::sort_by;
use crate::world::{Container, Status, World};
use file::load;
use up::{create_service, ensure_images, ensure_volumes, up};
// The docker module's items up.rs names as `super::…`.
use super::{build, find_image, graceful_stop, image, ports, remove_container, run_main_process, start_container, volume};

const COMPOSE_VERSION: &str = "2.26.1";

#[derive(Clone, Debug, PartialEq)]
enum SvcVolume {
    Volume { source: Option<String>, target: String, read_only: bool, nocopy: bool },
    Bind { source: String, target: String, read_only: bool },
    Tmpfs { target: String, size: Option<String> },
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Service {
    name: String,
    image: Option<String>,
    build: Option<(String, Option<String>)>,
    /// `build.args` (`--build-arg`s) and `build.network`.
    build_args: Vec<(String, String)>,
    build_network: Option<String>,
    command: Option<Vec<String>>,
    entrypoint: Option<Vec<String>>,
    environment: Vec<(String, String)>,
    volumes: Vec<SvcVolume>,
    user: Option<String>,
    working_dir: Option<String>,
    network_mode: Option<String>,
    ports: Vec<String>,
    depends_on: Vec<String>,
    container_name: Option<String>,
    read_only: bool,
    tmpfs: Vec<String>,
    cap_add: Vec<String>,
    cap_drop: Vec<String>,
    privileged: bool,
}

#[derive(Clone, Debug, PartialEq)]
struct TopVolume {
    key: String,
    name: String,
    external: bool,
    explicit_name: bool,
    driver_opts: BTreeMap<String, String>,
    labels: BTreeMap<String, String>,
}

#[derive(Clone, Debug)]
struct Project {
    name: String,
    dir: String,
    /// The compose file, and whether it still has the obsolete top-level `version`.
    file: String,
    has_version: bool,
    /// The variables interpolation met unset, in order (a warning each).
    unset_variables: Vec<String>,
    services: Vec<Service>,
    volumes: Vec<TopVolume>,
}

/// A logrus warning as compose prints it: `WARN[0000]` on a terminal, key=value otherwise.
fn warn(world: &World, io: &mut Io, msg: &str) {
    if world.tty() {
        io.err_line(&format!("WARN[0000] {msg:<44} "));
    } else {
        let quoted = msg.replace('\\', "\\\\").replace('"', "\\\"");
        io.err_line(&format!("time=\"{}\" level=warning msg=\"{quoted}\"", crate::clock::rfc3339(world.clock().secs())));
    }
}

fn err(io: &mut Io, msg: &str) -> i32 {
    io.err_line(msg);
    1
}

fn service_hash(p: &Project, s: &Service) -> String {
    let vols: Vec<&TopVolume> = p.volumes.iter().collect();
    crate::daemon::layers::sha256_hex(format!("{s:?}{vols:?}").as_bytes())
}

fn container_name(p: &Project, s: &Service) -> String {
    replica_name(p, s, 1)
}

/// The name of the service's container `number` (`--scale`): `PROJECT-SERVICE-N`.
fn replica_name(p: &Project, s: &Service, number: u32) -> String {
    s.container_name.clone().unwrap_or_else(|| format!("{}-{}-{number}", p.name, s.name))
}

/// The Compose service a container is.
fn service_of(c: &Container) -> Option<&str> {
    c.compose.as_ref().map(|r| r.service.as_str())
}

/// The project's containers, oldest first.
fn project_containers<'w>(world: &'w World, project: &str) -> Vec<&'w Container> {
    world.containers().iter().filter(|c| c.compose.as_ref().is_some_and(|c| c.project == project)).collect()
}

pub fn cli(world: &mut World, sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    let global = [
        opt("file", Some('f')),
        opt("project-name", Some('p')),
        opt("project-directory", None),
        opt("profile", None),
        opt("env-file", None),
        flag("version", Some('v')),
        flag("dry-run", None),
    ];
    // Global flags come before the subcommand (`--dry-run` may follow it too).
    if args.iter().any(|a| a == "--dry-run") {
        return dry_run(world, sh, args, io);
    }
    let mut i = 0;
    let mut gargs = Vec::new();
    while i < args.len() && args[i].starts_with('-') {
        gargs.push(args[i].clone());
        let takes = global
            .iter()
            .any(|s| s.takes_value && (args[i] == format!("--{}", s.long) || s.short.map(|c| args[i] == format!("-{c}")).unwrap_or(false)));
        if takes && !args[i].contains('=') {
            if let Some(v) = args.get(i + 1) {
                gargs.push(v.clone());
            }
            i += 1;
        }
        i += 1;
    }
    let g = match flags::parse(&gargs, &global, false) {
        Ok(p) => p,
        Err(e) => return err(io, &e),
    };
    if g.has("version") {
        io.out_str("Docker Compose version 2.26.1-4\n");
        return 0;
    }
    let Some(sub) = args.get(i).cloned() else {
        io.out_str("\nUsage:  docker compose [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Docker\n");
        return 0;
    };
    let rest = &args[i + 1..];
    if sub == "version" {
        io.out_str("Docker Compose version 2.26.1-4\n");
        return 0;
    }
    // `ls` needs no project; a subcommand Compose does not have is told before any file is read.
    if sub == "ls" {
        return manage::ls(world, rest, io);
    }
    if !manage::KNOWN.contains(&sub.as_str()) {
        return manage::unknown(io, &sub);
    }
    if let Some(why) = manage::not_simulated(&sub) {
        return super::messages::not_simulated(io, &format!("compose {sub}"), why);
    }
    let project = match load(world, sh, &g.all("file"), g.get("project-name"), g.get("env-file")) {
        Ok(p) => p,
        Err(file::LoadError::Refused(m, code)) => {
            io.err_line(&m);
            return code;
        }
        Err(file::LoadError::Other(m)) => return err(io, &m),
    };
    if project.has_version {
        warn(
            world,
            io,
            &format!(
                "{}: the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential confusion",
                project.file
            ),
        );
    }
    for name in &project.unset_variables {
        warn(world, io, &format!("The \"{name}\" variable is not set. Defaulting to a blank string."));
    }
    match sub.as_str() {
        "config" => config::config(&project, rest, io),
        "up" => up(world, sh, &project, rest, io),
        "down" => down(world, &project, rest, io),
        "ps" => ps(world, &project, rest, io),
        "exec" => exec(world, sh, &project, rest, io),
        "logs" => logs(world, &project, rest, io),
        "stop" | "start" | "restart" | "pause" | "unpause" | "kill" => manage::lifecycle(world, &project, &sub, rest, io),
        "build" | "pull" => {
            let named: Vec<String> = rest.iter().filter(|a| !a.starts_with('-')).cloned().collect();
            let services: Vec<&Service> = project.services.iter().filter(|s| named.is_empty() || named.contains(&s.name)).collect();
            let done = if sub == "build" {
                ensure_images(world, sh, &project, &services, true, io)
            } else {
                up::pull_missing(world, &services, io)
            };
            done.err().unwrap_or(0)
        }
        "images" => manage::images(world, &project, rest, io),
        "port" => manage::port(world, &project, rest, io),
        "top" => manage::top(world, &project, rest, io),
        "cp" => manage::cp(world, sh, &project, rest, io),
        "rm" => manage::rm(world, &project, rest, io),
        "create" => {
            let args: Vec<String> = std::iter::once("--no-start".to_string()).chain(rest.iter().cloned()).collect();
            up(world, sh, &project, &args, io)
        }
        "run" => run_oneoff(world, sh, &project, rest, io),
        other => manage::unknown(io, other),
    }
}

/// `--dry-run`: the command runs on a copy of the machine, which is then thrown away; what it
/// told is told again behind `DRY-RUN MODE - `. An attached `up` stops after creating, and an
/// attached `run` is refused, as Compose does (oracle-39).
fn dry_run(world: &World, sh: &Shell, args: &[String], io: &mut Io) -> i32 {
    let mut args: Vec<String> = args.iter().filter(|a| *a != "--dry-run").cloned().collect();
    let sub = args.iter().find(|a| !a.starts_with('-')).cloned().unwrap_or_default();
    let detached = args.iter().any(|a| a == "--detach" || (a.starts_with('-') && !a.starts_with("--") && a.contains('d')));
    if sub == "run" && !detached {
        return err(io, "interactive run is not supported in dry-run mode");
    }
    let attached_up = sub == "up" && !detached;
    if attached_up {
        args.push("--no-start".into());
    }
    let (mut sandbox, mut shell, mut told) = (world.clone(), sh.clone(), Io::default());
    let code = cli(&mut sandbox, &mut shell, &args, &mut told);
    for line in String::from_utf8_lossy(&told.err).lines() {
        io.err_line(&format!(" DRY-RUN MODE - {line}"));
    }
    io.out.extend_from_slice(&told.out);
    if attached_up && code == 0 {
        io.out_str("end of 'compose up' output, interactive run is not supported in dry-run mode\n");
    }
    code
}

fn down(world: &mut World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[flag("volumes", Some('v')), opt("timeout", Some('t')), flag("remove-orphans", None), opt("rmi", None)],
        false,
    ) {
        Ok(x) => x,
        Err(e) => return err(io, &e),
    };
    // The containers `compose run` left stay: down takes the services' own (oracle-112).
    let names: Vec<String> = project_containers(world, &p.name)
        .iter()
        .filter(|c| c.labels.get("com.docker.compose.oneoff").is_none_or(|o| o != "True"))
        .map(|c| c.name.clone())
        .collect();
    let vols: Vec<String> = if parsed.has("volumes") {
        p.volumes.iter().filter(|v| !v.external && world.volumes().contains_key(&v.name)).map(|v| v.name.clone()).collect()
    } else {
        Vec::new()
    };
    if names.is_empty() && vols.is_empty() {
        io.err_line(&format!("Warning: No resource found to remove for project \"{}\".", p.name));
        return 0;
    }
    for n in &names {
        let Some(id) = world.find_container(n) else { continue };
        io.err_line(&format!(" Container {n}  Stopping"));
        if world.container(&id).is_some_and(|c| c.status == Status::Running) {
            super::graceful_stop(world, &id);
        }
        io.err_line(&format!(" Container {n}  Stopped"));
        io.err_line(&format!(" Container {n}  Removing"));
        super::remove_container(world, &id, parsed.has("volumes"));
        io.err_line(&format!(" Container {n}  Removed"));
    }
    for v in &vols {
        io.err_line(&format!(" Volume {v}  Removing"));
        if super::volume::users_of(world, v).is_empty() {
            super::volume::delete_volume(world, v);
        }
        io.err_line(&format!(" Volume {v}  Removed"));
    }
    let net = format!("{}_default", p.name);
    if world.networks_contains(&net) && project_containers(world, &p.name).is_empty() {
        io.err_line(&format!(" Network {net}  Removing"));
        world.remove_network(&net);
        io.err_line(&format!(" Network {net}  Removed"));
    }
    0
}

fn quoted_command(path: &str, args: &[String]) -> String {
    std::iter::once(path.to_string())
        .chain(args.iter().map(|a| if a.contains(' ') { format!("'{a}'") } else { a.clone() }))
        .collect::<Vec<_>>()
        .join(" ")
}

fn ps(world: &mut World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed =
        match flags::parse(args, &[flag("all", Some('a')), flag("quiet", Some('q')), opt("format", None), flag("services", None)], false) {
            Ok(x) => x,
            Err(e) => return err(io, &e),
        };
    let now = world.clock().nanos;
    let mut list: Vec<&Container> =
        project_containers(world, &p.name).into_iter().filter(|c| parsed.has("all") || c.status == Status::Running).collect();
    sort_by(&mut list, |a, b| a.name.cmp(&b.name));
    if parsed.has("quiet") {
        for c in list {
            io.out_str(&format!("{}\n", c.id));
        }
        return 0;
    }
    let rows: Vec<Value> = list
        .iter()
        .map(|&c| {
            let svc = c.compose.as_ref().map(|x| x.service.clone()).unwrap_or_default();
            serde_json::json!({
                "Name": c.name, "Image": c.image_ref, "Command": format!("\"{}\"", super::format::ellipsis(&quoted_command(&c.path, &c.args), 20)),
                "Service": svc, "CreatedAt": crate::clock::rfc3339(c.created as i64 / 1_000_000_000), "RunningFor": format!("{} ago", crate::clock::human_duration(now - c.created)),
                "Status": super::status_text(world, c), "State": match c.status { Status::Running if c.paused => "paused", Status::Running => "running", Status::Exited => "exited", Status::Created => "created" },
                "Ports": super::ports::ports_column(world, c), "ID": c.short_id(), "Project": p.name,
            })
        })
        .collect();
    if let Some(f) = parsed.get("format") {
        let lf = stowage_template::list_format(f);
        if !lf.table {
            for r in &rows {
                match super::format::render(&lf.template, r) {
                    Ok(s) => io.out_str(&format!("{s}\n")),
                    Err(e) => return err(io, &e),
                }
            }
            return 0;
        }
    }
    let mut text = String::from("NAME\tIMAGE\tCOMMAND\tSERVICE\tCREATED\tSTATUS\tPORTS\n");
    for r in &rows {
        let g = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            g("Name"),
            g("Image"),
            g("Command"),
            g("Service"),
            g("RunningFor"),
            g("Status"),
            g("Ports")
        ));
    }
    io.out_str(&super::format::tabwrite(&text));
    0
}

fn exec(world: &mut World, sh: &Shell, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[
            flag("no-TTY", Some('T')),
            flag("detach", Some('d')),
            opt("user", Some('u')),
            opt("workdir", Some('w')),
            opt("env", Some('e')),
            flag("interactive", Some('i')),
            flag("privileged", None),
            opt("index", None),
        ],
        true,
    ) {
        Ok(x) => x,
        Err(e) => return err(io, &e),
    };
    let Some(svc) = parsed.operands.first() else {
        return err(io, "\"docker compose exec\" requires at least 2 arguments.");
    };
    let Some(s) = p.services.iter().find(|s| s.name == *svc) else {
        return err(io, &format!("service \"{svc}\" is not running"));
    };
    let name = container_name(p, s);
    if world.named_container(&name).is_none_or(|c| c.status != Status::Running) {
        return err(io, &format!("service \"{svc}\" is not running"));
    }
    let mut a: Vec<String> = Vec::new();
    for k in ["user", "workdir"] {
        if let Some(v) = parsed.get(k) {
            a.push(format!("--{k}"));
            a.push(v.to_string());
        }
    }
    for e in parsed.all("env") {
        a.push("-e".into());
        a.push(e);
    }
    a.push(name);
    a.extend(parsed.operands[1..].iter().cloned());
    super::exec(world, sh, &a, io)
}

/// `docker compose logs [SERVICE…]`: each container's lines behind its service's name (`-t`:
/// and their time; `--no-log-prefix`: bare), each started with the erase-line escape Compose
/// writes even into a pipe (oracle-100).
fn logs(world: &mut World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[
            flag("follow", Some('f')),
            opt("index", None),
            flag("no-color", None),
            flag("no-log-prefix", None),
            opt("since", None),
            opt("tail", Some('n')),
            flag("timestamps", Some('t')),
            opt("until", None),
        ],
        false,
    ) {
        Ok(x) => x,
        Err(e) => return err(io, &e),
    };
    let wanted = &parsed.operands;
    if let Some(unknown) = wanted.iter().find(|w| !p.services.iter().any(|s| s.name == **w)) {
        io.err_line(&format!("no such service: {unknown}"));
        return 1;
    }
    let bare = parsed.has("no-log-prefix");
    let timed = parsed.has("timestamps");
    // `--tail N`: each container's last N lines; `all` or none, every one.
    let tail: Option<usize> = parsed.get("tail").and_then(|t| t.parse().ok());
    let mut list = project_containers(world, &p.name);
    sort_by(&mut list, |a, b| a.name.cmp(&b.name));
    let labels: Vec<String> = list.iter().map(|c| c.name.strip_prefix(&format!("{}-", p.name)).unwrap_or(&c.name).to_string()).collect();
    let width = labels.iter().map(|l| l.len()).max().unwrap_or(0);
    for (c, label) in list.iter().zip(labels) {
        if !wanted.is_empty() && !wanted.iter().any(|w| c.compose.as_ref().is_some_and(|x| x.service == *w)) {
            continue;
        }
        let prefix = if bare { String::new() } else { format!("{label:<width$}  | ") };
        // `-t`: each line behind the time it was written.
        let started = c.started_at.unwrap_or(c.created);
        let skip = tail.map_or(0, |n| c.logs.len().saturating_sub(n));
        for (k, (_, line)) in c.logs.iter().enumerate().skip(skip) {
            let stamp = if timed { super::logs::log_stamp(c.log_times.get(k).copied().unwrap_or(started)) } else { String::new() };
            io.out_str(&format!("\u{1b}[2K{prefix}{stamp}{line}\n"));
        }
    }
    0
}

fn run_oneoff(world: &mut World, sh: &mut Shell, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[
            flag("rm", None),
            flag("detach", Some('d')),
            flag("no-TTY", Some('T')),
            opt("user", Some('u')),
            opt("entrypoint", None),
            opt("env", Some('e')),
            opt("volume", Some('v')),
            opt("name", None),
            flag("no-deps", None),
            opt("workdir", Some('w')),
            // Accepted as Compose accepts them, without a storage effect here.
            flag("interactive", Some('i')),
            opt("label", Some('l')),
            opt("publish", Some('p')),
            flag("service-ports", None),
            flag("use-aliases", None),
            flag("quiet-pull", None),
            flag("remove-orphans", None),
            opt("cap-add", None),
            opt("cap-drop", None),
            flag("build", None),
        ],
        true,
    ) {
        Ok(x) => x,
        Err(e) => return err(io, &e),
    };
    let Some(svc) = parsed.operands.first() else {
        return err(io, "\"docker compose run\" requires at least 1 argument.");
    };
    let Some(s) = p.services.iter().find(|s| s.name == *svc) else {
        return err(io, &format!("no such service: {svc}"));
    };
    if let Err(code) = ensure_images(world, sh, p, &[s], parsed.has("build"), io) {
        return code;
    }
    if let Err(code) = ensure_volumes(world, p, io) {
        return code;
    }
    let mut s2 = s.clone();
    let suffix = world.ids().chars(12, b"0123456789abcdef");
    s2.container_name = Some(parsed.get("name").map(str::to_string).unwrap_or_else(|| format!("{}-{}-run-{suffix}", p.name, s.name)));
    if parsed.operands.len() > 1 {
        s2.command = Some(parsed.operands[1..].to_vec());
    }
    if let Some(u) = parsed.get("user") {
        s2.user = Some(u.to_string());
    }
    if let Some(w) = parsed.get("workdir") {
        s2.working_dir = Some(w.to_string());
    }
    s2.cap_add.extend(parsed.all("cap-add"));
    s2.cap_drop.extend(parsed.all("cap-drop"));
    // The one-off container's own -e, --entrypoint and -v, over the service's.
    for e in parsed.all("env") {
        let (k, v) = match e.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (e.clone(), sh.vars.get(&e).cloned().unwrap_or_default()),
        };
        s2.environment.retain(|(name, _)| *name != k);
        s2.environment.push((k, v));
    }
    if let Some(e) = parsed.get("entrypoint") {
        s2.entrypoint = Some(file::shell_split(e));
    }
    for v in parsed.all("volume") {
        // Compose passes run's -v to the daemon as written: a relative source is taken for a
        // volume name, which it cannot be (oracle-33).
        let source = v.split(':').next().unwrap_or("");
        if !source.starts_with('/') && source.contains('/') {
            io.err_line(&format!(
                "Error response from daemon: create {source}: \"{source}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path"
            ));
            return 1;
        }
        match file::parse_service_volume(&serde_json::Value::String(v), &p.dir) {
            Ok(vol) => s2.volumes.push(vol),
            Err(e) => return err(io, &e),
        }
    }
    let id = match create_service(world, sh, p, &s2, 1, &[], io) {
        Ok(id) => id,
        Err(c) => return c,
    };
    if let Some(oneoff) = world.container_mut(&id).and_then(|c| c.labels.get_mut("com.docker.compose.oneoff")) {
        *oneoff = "True".into();
    }
    if let Err(e) = super::start_container(world, &id) {
        return super::report_run_error(io, "compose run", e.into());
    }
    let (output, code) = super::run_main_process(world, &id);
    io.append(&output, |err| err);
    if parsed.has("rm") {
        if world.container(&id).is_some_and(|c| c.status == Status::Running) {
            super::stop_container(world, &id, 137);
        }
        super::remove_container(world, &id, true);
    }
    code.unwrap_or(0)
}
