//! Compose's commands on the containers a project has made: `ls`, `images`, `top`, `cp`,
//! `rm`, and `stop`/`start`/`restart`/`pause`/`unpause`/`kill` of some services or all; and
//! what an unknown subcommand prints (oracle-117).

use stowage_template::tabwriter::TabWriter;

use super::{err, project_containers, service_of, Project};
use crate::docker::flags::{self, flag, opt};
use crate::shell::{Io, Shell};
use crate::sorting::sort_by;
use crate::world::{Container, ContainerId, Status, World};

/// `docker compose --help`'s text, which an unknown subcommand prints before its complaint.
const USAGE: &str = include_str!("usage.txt");

/// The subcommands of Compose 2.26 (`docker compose --help`).
pub(super) const KNOWN: [&str; 30] = [
    "attach", "build", "config", "cp", "create", "down", "events", "exec", "images", "kill", "logs", "ls", "pause", "port", "ps", "pull",
    "push", "restart", "rm", "run", "scale", "start", "stats", "stop", "top", "unpause", "up", "version", "wait", "watch",
];

/// Why a subcommand of Compose goes no further here.
pub(super) fn not_simulated(sub: &str) -> Option<&'static str> {
    Some(match sub {
        "attach" | "events" | "stats" | "watch" => "it streams what happens live, which the simulation has no time for",
        "push" => "the simulated registry takes pulls only",
        "scale" => "use docker compose up --scale",
        "wait" => "use docker wait",
        _ => return None,
    })
}

/// An unknown subcommand: the usage on stdout, the complaint on stderr, status 16.
pub(super) fn unknown(io: &mut Io, sub: &str) -> i32 {
    io.out_str(&format!("\n{USAGE}"));
    io.err_line(&format!("unknown docker command: \"compose {sub}\""));
    16
}

/// Compose's own tables: columns at least twenty wide, three spaces apart.
fn table(text: &str) -> String {
    let mut w = TabWriter::new(20, 1, 3, ' ', 0);
    w.write(text);
    w.flush()
}

/// The project's containers of `services` (all when none is named), by name.
fn chosen<'w>(world: &'w World, p: &Project, services: &[String]) -> Vec<&'w Container> {
    let mut list: Vec<&Container> = project_containers(world, &p.name)
        .into_iter()
        .filter(|c| services.is_empty() || service_of(c).is_some_and(|s| services.iter().any(|w| w == s)))
        .collect();
    sort_by(&mut list, |a, b| a.name.cmp(&b.name));
    list
}

/// `docker compose ls [-a] [--format json]`: the projects with running containers (`-a`: all),
/// each with its containers counted by state and its compose file.
pub(super) fn ls(world: &World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("all", Some('a')), opt("format", None), flag("quiet", Some('q'))], false) {
        Ok(p) => p,
        Err(e) => return err(io, &e),
    };
    let mut projects: Vec<(String, String, Vec<&'static str>)> = Vec::new();
    for c in world.containers() {
        let Some(r) = &c.compose else { continue };
        let state = match c.status {
            Status::Running if c.paused => "paused",
            Status::Running => "running",
            Status::Exited => "exited",
            Status::Created => "created",
        };
        let file = c.labels.get("com.docker.compose.project.config_files").cloned().unwrap_or_default();
        match projects.iter_mut().find(|(name, _, _)| *name == r.project) {
            Some(entry) => entry.2.push(state),
            None => projects.push((r.project.clone(), file, vec![state])),
        }
    }
    sort_by(&mut projects, |a, b| a.0.cmp(&b.0));
    let all = parsed.has("all");
    let rows: Vec<(String, String, String)> = projects
        .into_iter()
        .filter_map(|(name, file, states)| {
            let mut kinds: Vec<&str> = states.iter().copied().filter(|s| all || *s == "running").collect();
            if kinds.is_empty() {
                return None;
            }
            kinds.sort_unstable();
            let mut counted: Vec<String> = Vec::new();
            for k in kinds.iter() {
                if counted.iter().any(|c| c.starts_with(&format!("{k}("))) {
                    continue;
                }
                counted.push(format!("{k}({})", kinds.iter().filter(|x| *x == k).count()));
            }
            Some((name, counted.join(", "), file))
        })
        .collect();
    if parsed.has("quiet") {
        for (name, _, _) in rows {
            io.out_str(&format!("{name}\n"));
        }
        return 0;
    }
    if parsed.get("format") == Some("json") {
        let list: Vec<serde_json::Value> =
            rows.iter().map(|(n, s, f)| serde_json::json!({"Name": n, "Status": s, "ConfigFiles": f})).collect();
        io.out_str(&format!("{}\n", serde_json::Value::Array(list)));
        return 0;
    }
    let mut text = String::from("NAME\tSTATUS\tCONFIG FILES\n");
    for (n, s, f) in rows {
        text.push_str(&format!("{n}\t{s}\t{f}\n"));
    }
    io.out_str(&table(&text));
    0
}

/// `docker compose images`: each container's image.
pub(super) fn images(world: &World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    // Compose's own formats only: a table or JSON.
    let format = args.iter().position(|a| a == "--format").and_then(|at| args.get(at + 1)).map(String::as_str);
    if let Some(format) = format.filter(|f| !matches!(*f, "table" | "json")) {
        return err(io, &format!("format value \"{format}\" could not be parsed: parsing failed"));
    }
    let mut text = String::from("CONTAINER\tREPOSITORY\tTAG\tIMAGE ID\tSIZE\n");
    for c in chosen(world, p, args) {
        let Some(im) = world.image_of(c) else { continue };
        let reference = crate::docker::normalized_ref(&c.image_ref);
        let (repo, tag) = reference.rsplit_once(':').unwrap_or((&reference, "latest"));
        let size = crate::docker::format::human_size(im.size as f64, 3);
        text.push_str(&format!("{}\t{repo}\t{tag}\t{}\t{size}\n", c.name, im.short_id()));
    }
    io.out_str(&table(&text));
    0
}

/// `docker compose port SERVICE PORT[/PROTO]`: where the service's first container publishes
/// that port (oracle-137).
pub(super) fn port(world: &World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let [service, wanted] = operands.as_slice() else { return err(io, "\"docker compose port\" requires 2 arguments") };
    let proto_flag = args.iter().position(|a| a == "--protocol").and_then(|at| args.get(at + 1)).map_or("tcp", String::as_str);
    let (port, proto) = wanted.split_once('/').unwrap_or((wanted.as_str(), proto_flag));
    let Some(c) = chosen(world, p, std::slice::from_ref(service)).into_iter().next() else {
        return err(io, &format!("service \"{service}\" is not running"));
    };
    match c.ports.iter().find(|b| b.container_port.to_string() == port && b.proto == proto) {
        Some(b) => {
            let ip = if b.host_ip.is_empty() || b.host_ip == "::" { "0.0.0.0" } else { &b.host_ip };
            io.out_str(&format!("{ip}:{}\n", b.host_port));
            0
        }
        None => err(io, &format!("no port {port}/{proto} for container {}: ", c.name)),
    }
}

/// `docker compose top`: `docker top` for each running container, behind its name.
pub(super) fn top(world: &mut World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let names: Vec<String> = chosen(world, p, args).iter().filter(|c| c.status == Status::Running).map(|c| c.name.clone()).collect();
    for n in names {
        let mut shown = Io::default();
        crate::docker::control::top(world, std::slice::from_ref(&n), &mut shown);
        io.out_str(&format!("{n}\n"));
        io.out.extend_from_slice(&shown.out);
        io.out_str("\n");
    }
    0
}

/// `docker compose cp SERVICE:SRC DEST` (or the other way): `docker cp` with the service's
/// container, between Compose's progress lines.
pub(super) fn cp(world: &mut World, sh: &Shell, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let [src, dst] = operands.as_slice() else { return err(io, "\"docker compose cp\" requires 2 arguments") };
    let service_of_arg = |a: &str| a.split_once(':').map(|(s, path)| (s.to_string(), path.to_string()));
    // The side that names a service: its container.
    let Some((name, id)) = [src.as_str(), dst.as_str()].into_iter().find_map(|a| {
        let (s, _) = service_of_arg(a)?;
        chosen(world, p, std::slice::from_ref(&s)).first().map(|c| (c.name.clone(), c.id.clone()))
    }) else {
        return err(io, "no container found");
    };
    let rewrite = |a: &str| match service_of_arg(a) {
        Some((_, path)) => (format!("{name}:{path}"), format!("{id}:{path}")),
        None => (a.to_string(), a.to_string()),
    };
    let (src_shown, src_real) = rewrite(src);
    let (dst_shown, dst_real) = rewrite(dst);
    io.err_line(&format!(" {name} copy {src_shown} to {dst_shown} Copying"));
    let mut copied = Io::default();
    let code = crate::docker::cp::cp(world, sh, &[src_real, dst_real], &mut copied);
    if code != 0 {
        io.err.extend_from_slice(&copied.err);
        return code;
    }
    io.err_line(&format!(" {name} copy {src_shown} to {dst_shown} Copied"));
    0
}

/// `docker compose rm [-f] [-s] [-v] [SERVICE…]`: the stopped containers (`-s`: stopping
/// the others first), told before and as they go.
pub(super) fn rm(world: &mut World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("force", Some('f')), flag("stop", Some('s')), flag("volumes", Some('v'))], false) {
        Ok(p) => p,
        Err(e) => return err(io, &e),
    };
    let list: Vec<(String, ContainerId, bool)> =
        chosen(world, p, &parsed.operands).iter().map(|c| (c.name.clone(), c.id.clone(), c.status == Status::Running)).collect();
    if parsed.has("stop") {
        for (n, id, running) in &list {
            if *running {
                io.err_line(&format!(" Container {n}  Stopping"));
                crate::docker::graceful_stop(world, id);
                io.err_line(&format!(" Container {n}  Stopped"));
            }
        }
    }
    let gone: Vec<(String, ContainerId)> = list
        .into_iter()
        .filter(|(_, id, _)| world.container(id).is_some_and(|c| c.status != Status::Running))
        .map(|(n, id, _)| (n, id))
        .collect();
    if gone.is_empty() {
        io.err_line("No stopped containers");
        return 0;
    }
    let names: Vec<&str> = gone.iter().map(|(n, _)| n.as_str()).collect();
    io.out_str(&format!("Going to remove {}\n", names.join(", ")));
    for (n, id) in &gone {
        io.err_line(&format!(" Container {n}  Removing"));
        crate::docker::remove_container(world, id, parsed.has("volumes"));
        io.err_line(&format!(" Container {n}  Removed"));
    }
    0
}

/// `stop`, `start`, `restart`, `pause`, `unpause`, `kill` of the named services (all when
/// none is named), each container told as it goes.
pub(super) fn lifecycle(world: &mut World, p: &Project, sub: &str, args: &[String], io: &mut Io) -> i32 {
    let services: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).cloned().collect();
    let list: Vec<(String, ContainerId)> = chosen(world, p, &services).iter().map(|c| (c.name.clone(), c.id.clone())).collect();
    for (n, id) in list {
        let Some(c) = world.container(&id) else { continue };
        let (running, paused) = (c.status == Status::Running, c.paused);
        let (before, after) = match sub {
            "stop" => ("Stopping", "Stopped"),
            "start" => ("Starting", "Started"),
            "restart" => ("Restarting", "Started"),
            "kill" => ("Killing", "Killed"),
            "pause" => ("", "Paused"),
            _ => ("", "Unpaused"),
        };
        // stop, start and restart tell every container; kill, pause and unpause pass over
        // those there is nothing to do for.
        let due = match sub {
            "kill" => running,
            "pause" => running && !paused,
            "unpause" => paused,
            _ => true,
        };
        if !due {
            continue;
        }
        if !before.is_empty() {
            io.err_line(&format!(" Container {n}  {before}"));
        }
        let mut quiet = Io::default();
        let name = std::slice::from_ref(&n);
        let code = match sub {
            "stop" => {
                if running {
                    crate::docker::graceful_stop(world, &id);
                }
                0
            }
            "kill" => crate::docker::control::kill(world, name, &mut quiet),
            "pause" => crate::docker::control::pause(world, name, &mut quiet, true),
            "unpause" => crate::docker::control::pause(world, name, &mut quiet, false),
            _ => {
                if sub == "restart" && running {
                    crate::docker::graceful_stop(world, &id);
                }
                if sub == "restart" || !running {
                    if let Err(e) = crate::docker::lifecycle::start_detached(world, &id) {
                        return err(io, &format!("Error response from daemon: {e}"));
                    }
                }
                0
            }
        };
        if code != 0 {
            io.err.extend_from_slice(&quiet.err);
            return code;
        }
        io.err_line(&format!(" Container {n}  {after}"));
    }
    0
}
