//! The `docker` CLI and the engine behind it: containers, volumes, images.

pub mod build;
pub mod compose;
pub mod flags;
pub mod format;
pub mod image;
pub mod info;
pub mod inspect;
pub mod mounts;
pub mod ports;
pub mod volume;

use std::collections::BTreeMap;

use crate::clock::human_duration;
use crate::events::{ContainerState, Event};
use crate::fs::{Data, InodeId, Kind};
use crate::shell::{Flavor, Io, Shell};
use crate::userland;
use crate::vfs::{Ctx, Ns};
use crate::world::{Container, ContainerId, Cred, HostConfig, Mount, MountKind, MountPoint, MountPointKind, Status, SystemMount, World};
use flags::{flag, opt, Spec};
use format::{ellipsis, human_size, tabwrite};
use mounts::{Origin, Request, Source, SpecError};

/// The simulator's limits on objects (memory stays bounded whatever a learner types).
pub const MAX_CONTAINERS: usize = 500;
pub const MAX_VOLUMES: usize = 2000;

/// Prints a daemon error the way `docker CMD` does (exit 1).
pub fn daemon_error(io: &mut Io, msg: &str) -> i32 {
    io.err_line(&format!("Error response from daemon: {msg}"));
    1
}

/// A prune's question: the warning, `[y/N]`, and the answer from stdin (an empty stdin is "no",
/// which prints an empty line as Docker does).
pub(crate) fn confirm(io: &mut Io, warning: &str) -> bool {
    io.out_str(&format!("{warning}\nAre you sure you want to continue? [y/N] "));
    let answer = String::from_utf8_lossy(&io.stdin).lines().next().unwrap_or("").trim().to_ascii_lowercase();
    io.stdin.clear();
    let yes = answer == "y" || answer == "yes";
    if !yes {
        io.out_str("\n");
    }
    yes
}

/// A flag the command does not have, or one missing its value: cobra's message, exit 125.
pub(crate) fn usage_error(io: &mut Io, cmd: &str, msg: &str) -> i32 {
    flag_error(io, cmd, msg, 125)
}

fn flag_error(io: &mut Io, cmd: &str, msg: &str, code: i32) -> i32 {
    io.err_line(msg);
    io.err_line(&format!("See 'docker {cmd} --help'."));
    code
}

/// `"docker X" requires ...` with the usage lines.
pub(crate) fn arg_count_error(io: &mut Io, cmd: &str, requirement: &str, usage: &str, about: &str) -> i32 {
    io.err_line(&format!("\"docker {cmd}\" requires {requirement}."));
    io.err_line(&format!("See 'docker {cmd} --help'."));
    io.err_line("");
    io.err_line(&format!("Usage:  docker {cmd} {usage}"));
    io.err_line("");
    io.err_line(about);
    1
}

pub fn cli(world: &mut World, sh: &mut Shell, argv: &[String], io: &mut Io) -> i32 {
    let args = &argv[1..];
    let Some(cmd) = args.first() else {
        io.out_str("\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n");
        return 0;
    };
    let rest = &args[1..];
    match cmd.as_str() {
        "run" => run(world, sh, rest, io, true, "run"),
        "create" => run(world, sh, rest, io, false, "create"),
        "container" => match rest.first().map(String::as_str) {
            Some("run") => run(world, sh, &rest[1..], io, true, "container run"),
            Some("create") => run(world, sh, &rest[1..], io, false, "container create"),
            Some("ls" | "list" | "ps") => ps(world, &rest[1..], io),
            Some("rm" | "remove") => rm(world, &rest[1..], io),
            Some("start") => start_cmd(world, &rest[1..], io),
            Some("stop") => stop_cmd(world, &rest[1..], io, false),
            Some("restart") => stop_cmd(world, &rest[1..], io, true),
            Some("kill") => stop_cmd(world, &rest[1..], io, false),
            Some("exec") => exec(world, &rest[1..], io),
            Some("inspect") => inspect::inspect_cmd(world, &rest[1..], io, Some("container")),
            Some("diff") => diff(world, &rest[1..], io),
            Some("logs") => logs(world, &rest[1..], io),
            Some("prune") => container_prune(world, &rest[1..], io),
            Some("commit") => build::commit(world, &rest[1..], io),
            Some("cp") => build::cp(world, sh, &rest[1..], io),
            Some("export") => build::export(world, &rest[1..], io),
            Some("port") => ports::port_cmd(world, &rest[1..], io),
            _ => unknown_command(io, "container", rest.first()),
        },
        "ps" => ps(world, rest, io),
        "rm" => rm(world, rest, io),
        "start" => start_cmd(world, rest, io),
        "stop" | "kill" => stop_cmd(world, rest, io, false),
        "restart" => stop_cmd(world, rest, io, true),
        "exec" => exec(world, rest, io),
        "inspect" => inspect::inspect_cmd(world, rest, io, None),
        "diff" => diff(world, rest, io),
        "logs" => logs(world, rest, io),
        "port" => ports::port_cmd(world, rest, io),
        "volume" => volume::cli(world, sh, rest, io),
        "image" => match rest.first().map(String::as_str) {
            Some("ls" | "list") => inspect::images(world, &rest[1..], io),
            Some("history") => inspect::history(world, &rest[1..], io),
            Some("inspect") => inspect::inspect_cmd(world, &rest[1..], io, Some("image")),
            Some("rm" | "remove") => inspect::rmi(world, &rest[1..], io),
            Some("tag") => build::tag(world, &rest[1..], io),
            Some("build") => build::build(world, sh, &rest[1..], io),
            Some("pull") => image::pull(world, &rest[1..], io),
            Some("prune") => image::prune(world, &rest[1..], io),
            _ => unknown_command(io, "image", rest.first()),
        },
        "images" => inspect::images(world, rest, io),
        "pull" => image::pull(world, rest, io),
        "commit" => build::commit(world, rest, io),
        "tag" => build::tag(world, rest, io),
        "cp" => build::cp(world, sh, rest, io),
        "export" => build::export(world, rest, io),
        "build" => build::build(world, sh, rest, io),
        "buildx" if rest.first().map(String::as_str) == Some("build") => build::build(world, sh, &rest[1..], io),
        "history" => inspect::history(world, rest, io),
        "rmi" => inspect::rmi(world, rest, io),
        "system" => match rest.first().map(String::as_str) {
            Some("df") => inspect::system_df(world, &rest[1..], io),
            Some("prune") => system_prune(world, &rest[1..], io),
            Some("info") => info::info(world, &rest[1..], io, "system info"),
            _ => unknown_command(io, "system", rest.first()),
        },
        "info" => info::info(world, rest, io, "info"),
        "version" | "--version" | "-v" => {
            if cmd == "version" {
                io.out_str("Client:\n Version:           26.1.5+dfsg1\n API version:       1.45\n Go version:        go1.24.4\n Git commit:        a72d7cd\n Built:             Thu Aug 13 05:35:48 2026\n OS/Arch:           linux/amd64\n Context:           default\n\nServer:\n Engine:\n  Version:          26.1.5+dfsg1\n  API version:      1.45 (minimum version 1.24)\n  Go version:       go1.24.4\n  Git commit:       411e817\n  Built:            Thu Aug 13 05:35:48 2026\n  OS/Arch:          linux/amd64\n  Experimental:     false\n containerd:\n  Version:          1.7.24~ds1\n  GitCommit:        1.7.24~ds1-6+deb13u1\n runc:\n  Version:          1.1.5+ds1\n  GitCommit:        1.1.5+ds1-1+deb12u1\n docker-init:\n  Version:          0.19.0\n  GitCommit:        \n");
            } else {
                io.out_str("Docker version 26.1.5+dfsg1, build a72d7cd\n");
            }
            0
        }
        "compose" => compose::cli(world, sh, rest, io),
        _ => {
            io.err_line(&format!("docker: '{cmd}' is not a docker command."));
            io.err_line("See 'docker --help'");
            1
        }
    }
}

fn unknown_command(io: &mut Io, group: &str, sub: Option<&String>) -> i32 {
    match sub {
        Some(s) => {
            io.err_line(&format!("docker: '{group} {s}' is not a docker command."));
            io.err_line("See 'docker --help'");
        }
        None => io.out_str(&format!("\nUsage:  docker {group} COMMAND\n")),
    }
    1
}

// ---------------------------------------------------------------------------- run / create

pub(crate) const RUN_FLAGS: &[Spec] = &[
    flag("detach", Some('d')),
    opt("name", None),
    opt("volume", Some('v')),
    opt("mount", None),
    opt("tmpfs", None),
    flag("rm", None),
    opt("user", Some('u')),
    opt("workdir", Some('w')),
    opt("env", Some('e')),
    opt("entrypoint", None),
    flag("interactive", Some('i')),
    flag("tty", Some('t')),
    flag("read-only", None),
    opt("volumes-from", None),
    opt("network", None),
    opt("net", None),
    opt("publish", Some('p')),
    flag("publish-all", Some('P')),
    opt("label", Some('l')),
    opt("hostname", Some('h')),
    flag("init", None),
    flag("privileged", None),
    opt("restart", None),
    opt("pull", None),
    opt("platform", None),
    opt("memory", Some('m')),
    opt("cpus", None),
    opt("shm-size", None),
    opt("volume-driver", None),
    flag("help", None),
];

/// A failure while creating/starting: where it is reported decides its shape.
pub(crate) enum RunError {
    /// Printed as `docker: MSG.` + See line.
    Cli(String),
    /// `docker: Error response from daemon: MSG.` + See line.
    Daemon(String),
    /// A start failure: `docker: Error response from daemon: MSG.` without the See line.
    Start(String, i32),
}

impl RunError {
    fn message(self) -> String {
        match self {
            RunError::Cli(m) | RunError::Daemon(m) | RunError::Start(m, _) => m,
        }
    }
}

pub(crate) fn report_run_error(io: &mut Io, cmd: &str, e: RunError) -> i32 {
    let dot = |m: &str| format!("{}.", m.trim_end_matches('.'));
    match e {
        RunError::Cli(m) => {
            io.err_line(&format!("docker: {}", dot(&m)));
            io.err_line(&format!("See 'docker {cmd} --help'."));
            125
        }
        RunError::Daemon(m) => {
            io.err_line(&format!("docker: Error response from daemon: {}", dot(&m)));
            io.err_line(&format!("See 'docker {cmd} --help'."));
            125
        }
        RunError::Start(m, code) => {
            io.err_line(&format!("docker: Error response from daemon: {}", dot(&m)));
            code
        }
    }
}

fn valid_name(name: &str) -> bool {
    let mut c = name.chars();
    match c.next() {
        Some(f) if f.is_ascii_alphanumeric() => {}
        _ => return false,
    }
    name.len() >= 2 && c.all(|ch| ch.is_ascii_alphanumeric() || "_.-".contains(ch))
}

/// Finds an image by reference (`name[:tag]`, id or id prefix).
pub fn find_image(world: &World, reference: &str) -> Option<usize> {
    let full =
        if reference.contains(':') || reference.starts_with("sha256:") { reference.to_string() } else { format!("{reference}:latest") };
    if let Some(i) = world.images.iter().position(|im| im.tags.contains(&full)) {
        return Some(i);
    }
    let id = reference.strip_prefix("sha256:").unwrap_or(reference);
    if id.len() >= 4 && id.chars().all(|c| c.is_ascii_hexdigit()) {
        let hits: Vec<usize> = world
            .images
            .iter()
            .enumerate()
            .filter(|(_, im)| im.id.strip_prefix("sha256:").is_some_and(|hex| hex.starts_with(id)))
            .map(|(i, _)| i)
            .collect();
        if hits.len() == 1 {
            return Some(hits[0]);
        }
    }
    None
}

pub(crate) fn normalized_ref(reference: &str) -> String {
    if reference.contains(':') || reference.contains('@') {
        reference.to_string()
    } else {
        format!("{reference}:latest")
    }
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

fn run(world: &mut World, sh: &mut Shell, args: &[String], io: &mut Io, start: bool, cmd: &str) -> i32 {
    let parsed = match flags::parse(args, RUN_FLAGS, true) {
        Ok(p) => p,
        Err(e) => return flag_error(io, cmd, &e, 125),
    };
    let Some(image_ref) = parsed.operands.first().cloned() else {
        io.err_line(&format!("\"docker {cmd}\" requires at least 1 argument."));
        io.err_line(&format!("See 'docker {cmd} --help'."));
        io.err_line("");
        io.err_line(&format!("Usage:  docker {cmd} [OPTIONS] IMAGE [COMMAND] [ARG...]"));
        io.err_line("");
        io.err_line(if start { "Create and run a new container from an image" } else { "Create a new container" });
        return 125;
    };
    let command: Vec<String> = parsed.operands[1..].to_vec();
    let detach = parsed.has("detach");
    let auto_remove = parsed.has("rm");
    if parsed.has("tty") && parsed.has("interactive") && !world.tty && start && !detach {
        io.err_line("the input device is not a TTY");
        return 1;
    }
    let cwd = sh.ctx.cwd.clone();
    let home = sh.vars.get("HOME").cloned().unwrap_or_default();
    let id = match create(world, &parsed, &image_ref, &command, &cwd, &home, io, cmd) {
        Ok(id) => id,
        Err(code) => return code,
    };
    if !start {
        io.out_str(&format!("{id}\n"));
        return 0;
    }
    if let Err(e) = start_container(world, &id) {
        // The CLI prints the id of a detached container before it asks the daemon to start it.
        if detach {
            io.out_str(&format!("{id}\n"));
        }
        let code = report_run_error(io, cmd, e);
        if auto_remove {
            remove_container(world, &id, true);
        }
        return code;
    }
    let interactive_shell = interactive_shell(world, &id);
    if let Some(program) = interactive_shell.filter(|_| world.tty && parsed.has("tty") && parsed.has("interactive") && !detach) {
        // The learner's terminal is now attached to the container's shell.
        world.pending_session = Some(crate::world::SessionRequest {
            container_id: id,
            program,
            main_process: true,
            user: None,
            workdir: None,
            env: Vec::new(),
        });
        return 0;
    }
    if let Some(err) = missing_program(world, &id) {
        let code = report_run_error(io, cmd, err);
        if let Some(c) = world.container_mut(&id) {
            c.status = Status::Created;
            c.exit_code = 127;
        }
        if auto_remove {
            remove_container(world, &id, true);
        }
        return code;
    }
    let (out, err, status) = run_main_process(world, &id);
    if detach {
        io.out_str(&format!("{id}\n"));
        if status.is_some() && auto_remove {
            remove_container(world, &id, true);
        }
        return 0;
    }
    io.out.extend_from_slice(&out);
    io.err.extend_from_slice(&err);
    match status {
        Some(code) => {
            if auto_remove {
                remove_container(world, &id, true);
            }
            code
        }
        None => 0,
    }
}

#[allow(clippy::too_many_arguments)]
fn create(
    world: &mut World,
    parsed: &flags::Parsed,
    image_ref: &str,
    command: &[String],
    cwd: &str,
    home: &str,
    io: &mut Io,
    cmd: &str,
) -> Result<ContainerId, i32> {
    let name = parsed.get("name").map(str::to_string);
    if let Some(n) = &name {
        if !valid_name(n) {
            return Err(report_run_error(
                io,
                cmd,
                RunError::Daemon(format!("Invalid container name ({n}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")),
            ));
        }
    }
    // Mount specs are checked by the CLI before it talks to the daemon.
    let mut requests: Vec<Request> = Vec::new();
    // The daemon validates after the CLI: its errors wait until every CLI check passed.
    let mut daemon_errors: Vec<String> = Vec::new();
    for v in parsed.all("volume") {
        match mounts::parse_volume_flag(&v, cwd, home) {
            Ok(r) => requests.push(r),
            Err(SpecError::Cli(m)) => return Err(report_run_error(io, cmd, RunError::Cli(m))),
            Err(SpecError::Daemon(m)) => daemon_errors.push(m),
            Err(SpecError::Flag(m)) => return Err(flag_error(io, cmd, &m, 125)),
        }
    }
    let mut mount_reqs = Vec::new();
    for m in parsed.all("mount") {
        match mounts::parse_mount_flag(&m, cwd) {
            Ok(r) => mount_reqs.push(Ok(r)),
            Err(SpecError::Flag(msg)) => return Err(flag_error(io, cmd, &msg, 125)),
            Err(e) => mount_reqs.push(Err(e)),
        }
    }
    let mut port_bindings = Vec::new();
    for spec in parsed.all("publish") {
        match ports::parse_publish(&spec) {
            Ok(b) => port_bindings.push(b),
            Err(m) => return Err(report_run_error(io, cmd, RunError::Cli(m))),
        }
    }
    if world.containers.len() >= MAX_CONTAINERS {
        return Err(report_run_error(
            io,
            cmd,
            RunError::Daemon(format!("stowage: the simulated machine holds at most {MAX_CONTAINERS} containers; remove some first")),
        ));
    }
    let img = match find_image(world, image_ref) {
        Some(i) => i,
        None => {
            io.err_line(&format!("Unable to find image '{}' locally", normalized_ref(image_ref)));
            let mut progress = Vec::new();
            let pulled = image::pull_into_store(world, image_ref, &mut |l| progress.push(l.to_string()));
            for l in progress {
                io.err_line(&l);
            }
            match pulled {
                Ok(i) => i,
                Err(e) => return Err(report_run_error(io, cmd, RunError::Daemon(e.message()))),
            }
        }
    };
    // Daemon-side validation, in Docker's order.
    if let Some(m) = daemon_errors.into_iter().next() {
        return Err(report_run_error(io, cmd, RunError::Daemon(m)));
    }
    for r in mount_reqs.iter() {
        if let Err(SpecError::Daemon(m)) = r {
            return Err(report_run_error(io, cmd, RunError::Daemon(m.clone())));
        }
    }
    let mut mount_reqs: Vec<Request> = mount_reqs.into_iter().filter_map(Result::ok).collect();
    for r in &mount_reqs {
        if let Source::Bind(src) = &r.source {
            if world.stat(&host_root_ctx(), src, true).is_err() {
                return Err(report_run_error(
                    io,
                    cmd,
                    RunError::Daemon(format!("invalid mount config for type \"bind\": bind source path does not exist: {src}")),
                ));
            }
        }
    }
    let mut tmpfs_reqs = Vec::new();
    for t in parsed.all("tmpfs") {
        match mounts::parse_tmpfs_flag(&t) {
            Ok(r) => tmpfs_reqs.push(r),
            Err(SpecError::Daemon(m)) => return Err(report_run_error(io, cmd, RunError::Daemon(m))),
            Err(_) => return Err(125),
        }
    }
    // Duplicate mount points among -v, --mount and --tmpfs.
    {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for r in requests.iter().chain(mount_reqs.iter()).chain(tmpfs_reqs.iter()) {
            let key = format!("{:?}|{}", r.source, r.read_only);
            if let Some(prev) = seen.get(&r.target) {
                if *prev != key || r.origin != Origin::Bind {
                    return Err(report_run_error(io, cmd, RunError::Daemon(format!("Duplicate mount point: {}", r.target))));
                }
            }
            seen.insert(r.target.clone(), key);
        }
    }
    // Named volumes from --mount are created (and their names checked) before -v ones.
    for r in &mount_reqs {
        if let Source::Volume(Some(n)) = &r.source {
            if let Err(m) = volume::validate_name(n) {
                return Err(report_run_error(io, cmd, RunError::Daemon(m)));
            }
        }
    }
    for r in &requests {
        if let Source::Volume(Some(n)) = &r.source {
            if let Err(m) = volume::validate_name(n) {
                return Err(report_run_error(io, cmd, RunError::Daemon(m)));
            }
        }
    }
    if let Some(n) = &name {
        if let Some(other) = world.containers.iter().find(|c| c.name == *n) {
            return Err(report_run_error(io, cmd, RunError::Daemon(format!("Conflict. The container name \"/{n}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name", other.id))));
        }
    }
    let mut volumes_from = Vec::new();
    for vf in parsed.all("volumes-from") {
        let (cname, mode) = match vf.split_once(':') {
            Some((c, m)) => (c.to_string(), m.to_string()),
            None => (vf.clone(), String::new()),
        };
        let Some(src) = world.find_container(&cname) else {
            return Err(report_run_error(io, cmd, RunError::Daemon(format!("No such container: {cname}"))));
        };
        volumes_from.push((src, mode, vf.clone()));
    }
    let image = world.images[img].clone();
    // The user must exist in the image (checked at create).
    let user = parsed.get("user").unwrap_or(&image.config.user).to_string();
    let id = ContainerId::new(&world.ids.hex64());
    let name = name.unwrap_or_else(|| {
        let a = ADJECTIVES[(world.ids.next_u64() % 16) as usize];
        let b = SURNAMES[(world.ids.next_u64() % 16) as usize];
        format!("{a}_{b}")
    });
    let layer_id = world.ids.hex64();
    let init_link = world.ids.chars(26, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    let now = world.clock.nanos;
    let secs = world.clock.secs();
    // The init layer and the (empty) upper dir, as directories on the host.
    let overlay = host_dir(world, "/var/lib/docker/overlay2");
    let upper_parent = world.fs.new_dir(0, 0, 0o710, secs);
    world.fs.link(overlay, &layer_id, upper_parent);
    let upper = world.fs.new_dir(0, 0, 0o755, secs);
    world.fs.link(upper_parent, "diff", upper);
    let work = world.fs.new_dir(0, 0, 0o700, secs);
    world.fs.link(upper_parent, "work", work);
    let init_parent = world.fs.new_dir(0, 0, 0o710, secs);
    world.fs.link(overlay, &format!("{layer_id}-init"), init_parent);
    let init = world.fs.new_dir(0, 0, 0o755, secs);
    world.fs.link(init_parent, "diff", init);
    {
        let mut b = crate::images::TreeBuilder { fs: &mut world.fs, root: init };
        b.file(".dockerenv", "", 0, 0, 0o755, secs);
        for d in ["dev", "dev/pts", "dev/shm", "etc", "proc", "sys"] {
            b.dir(d, 0, 0, 0o755, secs);
        }
        b.file("etc/hostname", "", 0, 0, 0o755, secs);
        b.file("etc/hosts", "", 0, 0, 0o755, secs);
        b.file("etc/resolv.conf", "", 0, 0, 0o755, secs);
        b.node("etc/mtab", Kind::Symlink("/proc/mounts".into()), 0, 0, 0o777, secs);
    }
    // /var/lib/docker/containers/<id>: hostname, hosts, resolv.conf (bind-mounted into the container).
    let cdir = host_dir(world, "/var/lib/docker/containers");
    let own = world.fs.new_dir(0, 0, 0o710, secs);
    world.fs.link(cdir, id.as_str(), own);
    {
        let mut b = crate::images::TreeBuilder { fs: &mut world.fs, root: own };
        b.file("hostname", &format!("{}\n", id.short()), 0, 0, 0o644, secs);
        b.file("hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n", 0, 0, 0o644, secs);
        b.file("resolv.conf", "# Generated by Docker Engine.\n# This file can be edited; Docker Engine will not make further changes once it\n# has been modified.\n\nnameserver 10.255.255.53\n\n# Based on host file: '/etc/resolv.conf'\n# Overrides: []\n", 0, 0, 0o644, secs);
    }
    let (path, cmd_args) = {
        let entry = parsed.get("entrypoint").map(|e| vec![e.to_string()]).or(image.config.entrypoint.clone()).unwrap_or_default();
        let cmdv = if command.is_empty() { image.config.cmd.clone().unwrap_or_default() } else { command.to_vec() };
        let mut all = entry;
        all.extend(cmdv);
        if all.is_empty() {
            all.push("sh".into());
        }
        (all[0].clone(), all[1..].to_vec())
    };
    let mut env = image.config.env.clone();
    for e in parsed.all("env") {
        let kv = if e.contains('=') { e.clone() } else { format!("{e}=") };
        let k = kv.split('=').next().unwrap_or("").to_string();
        env.retain(|x| !x.starts_with(&format!("{k}=")));
        env.push(kv);
    }
    let mut labels = BTreeMap::new();
    for l in parsed.all("label") {
        let (k, v) = l.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).unwrap_or((l.clone(), String::new()));
        labels.insert(k, v);
    }
    let binds: Vec<String> = requests.iter().filter(|r| !matches!(r.source, Source::Volume(None))).map(|r| r.raw.clone()).collect();
    let mut config_volumes: Vec<String> = image.config.volumes.clone();
    for r in &requests {
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
        readonly_rootfs: parsed.has("read-only"),
        volumes_from: if volumes_from.is_empty() { None } else { Some(volumes_from.iter().map(|v| v.2.clone()).collect()) },
        auto_remove: parsed.has("rm"),
        network_mode: parsed.get("network").or(parsed.get("net")).unwrap_or("bridge").to_string(),
        port_bindings,
        publish_all: parsed.has("publish-all"),
    };
    let container = Container {
        id: id.clone(),
        name: name.clone(),
        image_id: image.id.clone(),
        image_ref: image_ref.to_string(),
        created: now,
        path,
        args: cmd_args,
        env,
        user: user.clone(),
        working_dir: parsed.get("workdir").map(str::to_string).unwrap_or(if image.config.working_dir.is_empty() {
            "/".into()
        } else {
            image.config.working_dir.clone()
        }),
        config_volumes,
        labels,
        host,
        mount_points: Vec::new(),
        status: Status::Created,
        exit_code: 0,
        started_at: None,
        finished_at: None,
        pid: 0,
        restart_count: 0,
        layer_id,
        init_link,
        upper,
        init,
        mounts: Vec::new(),
        logs: Vec::new(),
        tty: parsed.has("tty"),
        interactive: parsed.has("interactive"),
        hostname: parsed.get("hostname").map(str::to_string).unwrap_or_else(|| id.short().to_string()),
        compose: None,
        ports: Vec::new(),
        server: None,
    };
    world.containers.push(container);
    let events_before = world.events.len();
    world.emit(Event::ContainerCreated { container: name.clone(), image: image_ref.to_string() });
    // The user must resolve against the image's passwd.
    if !user.is_empty() {
        let ctx = Ctx { ns: Ns::Container(id.clone()), cred: Cred::root(), cwd: "/".into(), umask: 0o022 };
        if let Err(m) = userland::users::resolve_user(world, &ctx, &user) {
            // Docker refuses before it creates anything: none of this container's events stand.
            remove_container(world, &id, false);
            world.events.truncate(events_before);
            return Err(report_run_error(io, cmd, RunError::Start(m, 125)));
        }
    }
    // Mount points: --volumes-from first, then the image's volumes, then -v, --mount, --tmpfs.
    let mut points: Vec<(MountPoint, Option<String>)> = Vec::new();
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
            points.retain(|(p, _)| p.destination != m.destination);
            points.push((m, None));
        }
    }
    let mut all_reqs: Vec<Request> = Vec::new();
    for v in &image.config.volumes {
        all_reqs.push(Request::new(Source::Volume(None), v.clone(), Origin::Image, ""));
    }
    all_reqs.extend(requests);
    all_reqs.append(&mut mount_reqs);
    all_reqs.extend(tmpfs_reqs);
    for r in all_reqs {
        // Explicit mounts replace volumes-from and image volumes at the same destination.
        if r.origin == Origin::Image && points.iter().any(|(p, _)| p.destination == r.target) {
            continue;
        }
        points.retain(|(p, _)| p.destination != r.target);
        let (kind, vname, source, anonymous) = match &r.source {
            Source::Volume(Some(n)) => (MountPointKind::Volume, n.clone(), format!("/var/lib/docker/volumes/{n}/_data"), false),
            Source::Volume(None) => {
                let n = world.ids.hex64();
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
            propagation: if kind == MountPointKind::Bind { "rprivate".into() } else { String::new() },
            tmpfs_size: r.tmpfs_size,
            tmpfs_mode: r.tmpfs_mode,
            tmpfs_opts: r.tmpfs_opts.clone(),
            nocopy: r.nocopy,
            subpath: r.subpath.clone(),
            listed: r.origin != Origin::Tmpfs,
            anonymous,
        };
        points.push((mp, None));
    }
    // Create the volumes (named ones if missing, anonymous ones always) and bind sources.
    for (mp, _) in &points {
        match mp.kind {
            MountPointKind::Volume => {
                if !world.volumes.contains_key(&mp.name) {
                    volume::create_volume(world, &mp.name, BTreeMap::new(), None, mp.anonymous);
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
        c.mount_points = points.into_iter().map(|(m, _)| m).collect();
    }
    // Empty volumes get the image's content at their mount point (at create, as Docker does).
    if let Err(e) = populate_volumes(world, &id) {
        remove_container(world, &id, false);
        return Err(report_run_error(io, cmd, e));
    }
    Ok(id)
}

pub fn host_root_ctx() -> Ctx {
    Ctx { ns: Ns::Host, cred: Cred::root(), cwd: "/".into(), umask: 0o022 }
}

/// A host directory's inode (it must exist).
pub fn host_dir(world: &World, path: &str) -> InodeId {
    world.resolve(&host_root_ctx(), path, true).map(|l| l.top()).unwrap_or(world.host_root)
}

fn mkdir_p_host(world: &mut World, path: &str) {
    let ctx = host_root_ctx();
    let mut acc = String::new();
    for c in crate::fs::components(path) {
        acc.push('/');
        acc.push_str(c);
        if world.stat(&ctx, &acc, true).is_err() {
            let _ = world.mkdir(&ctx, &acc, 0o755);
        }
    }
}

/// The image's own view of a path (what a container would see without mounts).
fn image_view_ctx(id: &ContainerId) -> Ctx {
    Ctx { ns: Ns::Container(id.clone()), cred: Cred::root(), cwd: "/".into(), umask: 0o022 }
}

fn populate_volumes(world: &mut World, id: &ContainerId) -> Result<(), RunError> {
    let Some(c) = world.container_mut(id) else { return Ok(()) };
    let (points, name, layer_id) = (c.mount_points.clone(), c.name.clone(), c.layer_id.clone());
    // Resolve in the container's root without mounts.
    let saved = std::mem::take(&mut c.mounts);
    let ctx = image_view_ctx(id);
    let mut result = Ok(());
    for mp in points.iter().filter(|m| m.kind == MountPointKind::Volume) {
        let Some(vol) = world.volumes.get(&mp.name).cloned() else { continue };
        if vol.tmpfs {
            continue;
        }
        let target_stat = world.stat(&ctx, &mp.destination, true);
        let Ok(st) = target_stat else { continue };
        if st.ftype != crate::fs::FileType::Dir {
            result = Err(RunError::Daemon(format!("source /var/lib/docker/overlay2/{layer_id}/merged{} is not directory", mp.destination)));
            break;
        }
        if mp.nocopy || !mp.subpath.is_empty() {
            continue;
        }
        let empty = world.fs.get(vol.root).entries().map(|e| e.is_empty()).unwrap_or(true);
        if !empty {
            continue;
        }
        let Ok(src) = world.resolve(&ctx, &mp.destination, true) else { continue };
        let entries = world.list(&ctx, &src).unwrap_or_default();
        let mut count = 0;
        for (n, child) in entries {
            let copy = copy_merged(world, &child);
            world.fs.link(vol.root, &n, copy);
            count += 1;
        }
        let (uid, gid, mode) = (st.uid, st.gid, st.mode);
        {
            let root = world.fs.get_mut(vol.root);
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
    let top = world.fs.get(loc.top()).clone();
    match &loc.node {
        crate::vfs::Node::Merged(stack) if top.is_dir() => {
            let children = world.merged_entries(stack);
            let dir = world.fs.alloc(crate::fs::Inode {
                kind: Kind::Dir { entries: BTreeMap::new(), opaque: false },
                xattr_block: false,
                copied_up: false,
                ..top
            });
            for (n, st) in children {
                let l = crate::vfs::Loc { path: String::new(), mount: None, rel: String::new(), node: crate::vfs::Node::Merged(st) };
                let c = copy_merged(world, &l);
                world.fs.link(dir, &n, c);
            }
            dir
        }
        _ => world.fs.deep_copy(loc.top()),
    }
}

/// Builds the mount table and starts the container (without running its process).
pub(crate) fn start_container(world: &mut World, id: &ContainerId) -> Result<(), RunError> {
    // The network is set up before the runtime creates the task, and released if that fails.
    ports::bind_ports(world, id)?;
    let started = start_task(world, id);
    if let (Err(_), Some(c)) = (&started, world.container_mut(id)) {
        c.ports.clear();
    }
    started
}

fn start_task(world: &mut World, id: &ContainerId) -> Result<(), RunError> {
    let secs = world.clock.secs();
    let Some(c) = world.container(id).cloned() else { return Err(RunError::Daemon(format!("No such container: {id}"))) };
    let ro_root = c.host.readonly_rootfs;
    let mut mounts: Vec<Mount> = Vec::new();
    let sys = |fs: &mut crate::fs::Arena, target: &str, kind: SystemMount, ro: bool, opts: &str| {
        let root = fs.new_dir(0, 0, 0o755, secs);
        Mount { target: target.into(), root, kind: MountKind::System(kind), read_only: ro, limit: None, proc_opts: opts.into() }
    };
    let proc_mount = sys(&mut world.fs, "/proc", SystemMount::Proc, false, "");
    {
        world.fs.get_mut(proc_mount.root).mode = 0o555;
        let mut b = crate::images::TreeBuilder { fs: &mut world.fs, root: proc_mount.root };
        b.file("mounts", "", 0, 0, 0o444, secs);
        b.dir("self", 0, 0, 0o555, secs);
        b.file("self/mounts", "", 0, 0, 0o444, secs);
    }
    mounts.push(proc_mount);
    let dev = sys(&mut world.fs, "/dev", SystemMount::Dev, false, "");
    {
        let mut b = crate::images::TreeBuilder { fs: &mut world.fs, root: dev.root };
        for d in ["pts", "mqueue", "shm"] {
            b.dir(d, 0, 0, 0o755, secs);
        }
        b.dir("shm", 0, 0, 0o1777, secs);
        for (n, maj, min) in
            [("full", 1, 7), ("null", 1, 3), ("random", 1, 8), ("tty", 5, 0), ("urandom", 1, 9), ("zero", 1, 5), ("ptmx", 5, 2)]
        {
            b.node(n, Kind::CharDev { major: maj, minor: min }, 0, 0, 0o666, secs);
        }
        for (n, t) in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")]
        {
            b.node(n, Kind::Symlink(t.into()), 0, 0, 0o777, secs);
        }
    }
    mounts.push(dev);
    mounts.push(sys(&mut world.fs, "/dev/pts", SystemMount::DevPts, false, ""));
    let sysfs = sys(&mut world.fs, "/sys", SystemMount::Sys, ro_root, "");
    world.fs.get_mut(sysfs.root).mode = 0o555;
    mounts.push(sysfs);
    mounts.push(sys(&mut world.fs, "/dev/mqueue", SystemMount::Mqueue, false, ""));
    let mut shm = sys(&mut world.fs, "/dev/shm", SystemMount::Shm, false, "");
    world.fs.get_mut(shm.root).mode = 0o1777;
    shm.limit = Some(64 << 20);
    mounts.push(shm);
    // User mounts, shallow first (Docker sorts by path depth).
    let mut points: Vec<&MountPoint> = c.mount_points.iter().collect();
    crate::sorting::sort_by_key(&mut points, |m| m.destination.matches('/').count());
    let ctx = Ctx { ns: Ns::Container(id.clone()), cred: Cred::root(), cwd: "/".into(), umask: 0o022 };
    let mut new_mounts = Vec::new();
    for mp in points {
        let (root, kind, limit, proc_opts) = match mp.kind {
            MountPointKind::Volume => {
                let Some(v) = world.volumes.get(&mp.name).cloned() else { continue };
                if v.tmpfs {
                    let root = world.fs.new_dir(0, 0, 0o1777, secs);
                    let size = v
                        .options
                        .as_ref()
                        .and_then(|o| o.get("o"))
                        .and_then(|o| o.split(',').find_map(|x| x.strip_prefix("size=")))
                        .and_then(mounts::parse_size);
                    (
                        root,
                        MountKind::Volume { name: mp.name.clone() },
                        size,
                        format!("tmpfsvol:{}", size.map(|s| format!("size={}k", s / 1024)).unwrap_or_default()),
                    )
                } else if !mp.subpath.is_empty() {
                    let vctx = Ctx { ns: Ns::Host, cred: Cred::root(), cwd: "/".into(), umask: 0o022 };
                    let p = format!("/var/lib/docker/volumes/{}/_data/{}", mp.name, mp.subpath);
                    match world.resolve(&vctx, &p, true) {
                        Ok(l) => (l.top(), MountKind::Volume { name: mp.name.clone() }, None, String::new()),
                        Err(_) => {
                            return Err(RunError::Start(format!("cannot access path {p}: lstat {p}: no such file or directory"), 127))
                        }
                    }
                } else {
                    (v.root, MountKind::Volume { name: mp.name.clone() }, None, String::new())
                }
            }
            MountPointKind::Bind => match world.resolve(&host_root_ctx(), &mp.source, true) {
                Ok(l) => (l.top(), MountKind::Bind { source: mp.source.clone() }, None, String::new()),
                Err(_) => continue,
            },
            MountPointKind::Tmpfs => {
                let opts = mp.tmpfs_opts.clone();
                let parsed = if mp.listed {
                    Ok(mounts::TmpfsOptions {
                        proc_opts: mp.tmpfs_opts.clone(),
                        size: mp.tmpfs_size,
                        mode: mp.tmpfs_mode,
                        uid: None,
                        gid: None,
                        read_only: !mp.rw,
                    })
                } else {
                    mounts::tmpfs_options(&opts)
                };
                let t = match parsed {
                    Ok(t) => t,
                    Err(m) => return Err(RunError::Start(m.replace("{TARGET}", &mp.destination), 125)),
                };
                // A tmpfs takes the mode and owner of an existing mount point directory.
                let existing = world.stat(&ctx, &mp.destination, true).ok().filter(|s| s.ftype == crate::fs::FileType::Dir);
                let mode = t.mode.unwrap_or(existing.as_ref().map(|s| s.mode).unwrap_or(0o1777));
                let uid = t.uid.unwrap_or(existing.as_ref().map(|s| s.uid).unwrap_or(0));
                let gid = t.gid.unwrap_or(existing.as_ref().map(|s| s.gid).unwrap_or(0));
                let root = world.fs.new_dir(uid, gid, mode, secs);
                (root, MountKind::Tmpfs, t.size, t.proc_opts)
            }
        };
        // The mount point must exist in the root file system (created as root if missing).
        let src_is_dir = world.fs.get(root).is_dir();
        match world.stat(&ctx, &mp.destination, true) {
            Ok(st) => {
                let dst_is_dir = st.ftype == crate::fs::FileType::Dir;
                if mp.kind == MountPointKind::Bind && src_is_dir != dst_is_dir {
                    return Err(RunError::Start(format!(
                        "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting \"{}\" to rootfs at \"{}\": mount {}:{} (via /proc/self/fd/6), flags: 0x5000: not a directory: unknown: Are you trying to mount a directory onto a file (or vice-versa)? Check if the specified host path exists and is the expected type",
                        mp.source, mp.destination, mp.source, mp.destination
                    ), 125));
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
            Err(_) => {
                let (parent, _) = crate::fs::parent_and_name(&mp.destination);
                let mut acc = String::new();
                for comp in crate::fs::components(&parent) {
                    acc.push('/');
                    acc.push_str(comp);
                    if world.stat(&ctx, &acc, true).is_err() {
                        let _ = world.mkdir(&ctx, &acc, 0o755);
                    }
                }
                if src_is_dir {
                    let _ = world.mkdir(&ctx, &mp.destination, 0o755);
                } else {
                    let _ = world.write_file(&ctx, &mp.destination, &Data::empty(), crate::vfs::WriteMode::Truncate);
                    let _ = world.set_meta(&ctx, &mp.destination, true, &mut |i| i.mode = 0o755);
                }
            }
        }
        new_mounts.push(Mount { target: mp.destination.clone(), root, kind, read_only: !mp.rw, limit, proc_opts });
        // Later mounts resolve through earlier ones.
        if let Some(c) = world.container_mut(id) {
            c.mounts = mounts.iter().chain(new_mounts.iter()).cloned().collect();
        }
    }
    mounts.extend(new_mounts);
    let own = format!("/var/lib/docker/containers/{}", c.id);
    for (file, kind) in [("resolv.conf", SystemMount::ResolvConf), ("hostname", SystemMount::Hostname), ("hosts", SystemMount::Hosts)] {
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
    let now = world.clock.nanos;
    let pid = world.next_pid;
    world.next_pid += 7;
    let Some(cm) = world.container_mut(id) else { return Err(RunError::Daemon(format!("No such container: {id}"))) };
    cm.mounts = mounts;
    cm.status = Status::Running;
    cm.started_at = Some(now);
    cm.pid = pid;
    cm.exit_code = 0;
    let name = cm.name.clone();
    world.emit(Event::ContainerStateChanged { container: name, state: ContainerState::Running, exit_code: None });
    Ok(())
}

/// The main process's shell context inside container `id`.
pub fn container_shell(
    world: &World,
    id: &ContainerId,
    user: Option<&str>,
    workdir: Option<&str>,
    extra_env: &[String],
) -> Result<Shell, String> {
    let c = world.container(id).ok_or_else(|| format!("No such container: {id}"))?;
    let root_ctx = Ctx { ns: Ns::Container(id.clone()), cred: Cred::root(), cwd: "/".into(), umask: 0o022 };
    let user = user.unwrap_or(&c.user);
    let (cred, home) =
        if user.is_empty() { (Cred::root(), "/root".to_string()) } else { userland::users::resolve_user(world, &root_ctx, user)? };
    let mut env = vec![
        c.env.iter().find(|e| e.starts_with("PATH=")).cloned().unwrap_or_else(|| crate::images::PATH_ENV.to_string()),
        format!("HOSTNAME={}", c.hostname),
    ];
    for e in &c.env {
        if !e.starts_with("PATH=") {
            env.push(e.clone());
        }
    }
    env.extend(extra_env.iter().cloned());
    if !env.iter().any(|e| e.starts_with("HOME=")) {
        env.push(format!("HOME={home}"));
    }
    let cwd = workdir.map(str::to_string).unwrap_or_else(|| c.working_dir.clone());
    let ctx = Ctx { ns: Ns::Container(id.clone()), cred, cwd, umask: 0o022 };
    Ok(Shell::new(Flavor::Ash, ctx, &env))
}

/// The shell a container's main process is, if it is one: its command itself, or the command an
/// image's entrypoint script hands over to (`docker run -it nginx bash`).
fn interactive_shell(world: &World, id: &ContainerId) -> Option<String> {
    let c = world.container(id)?;
    if is_shell(&c.path) {
        return Some(c.path.clone());
    }
    let [program] = c.args.as_slice() else { return None };
    let sh = container_shell(world, id, None, None, &[]).ok()?;
    let passes_through = matches!(
        userland::identify_program(world, &sh, &c.path),
        Some(userland::binaries::Binary::NginxEntrypoint | userland::binaries::Binary::PostgresEntrypoint)
    );
    (passes_through && is_shell(program)).then(|| program.clone())
}

fn is_shell(program: &str) -> bool {
    matches!(program.rsplit('/').next().unwrap_or(program), "sh" | "ash" | "bash")
}

/// Leaves an interactive session: a main-process shell ends its container.
pub fn end_session(world: &mut World, id: &ContainerId, main_process: bool, code: i32) {
    if !main_process {
        return;
    }
    stop_container(world, id, code);
    if world.container(id).is_some_and(|c| c.host.auto_remove) {
        remove_container(world, id, true);
    }
}

/// Docker refuses to start a process whose program is not found in the container.
fn missing_program(world: &World, id: &ContainerId) -> Option<RunError> {
    let c = world.container(id)?;
    let sh = container_shell(world, id, None, None, &[]).ok()?;
    match userland::find_program_kind(world, &sh, &c.path) {
        userland::ProgramKind::Found => None,
        userland::ProgramKind::Missing => {
            let what = if c.path.contains('/') { "no such file or directory" } else { "executable file not found in $PATH" };
            Some(RunError::Start(
                format!("failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{}\": {what}: unknown", c.path),
                127,
            ))
        }
    }
}

/// Runs the container's main process. Returns its output and `Some(exit)` if it ended.
pub(crate) fn run_main_process(world: &mut World, id: &ContainerId) -> (Vec<u8>, Vec<u8>, Option<i32>) {
    let Some(argv) = world.container(id).map(|c| std::iter::once(c.path.clone()).chain(c.args.iter().cloned()).collect::<Vec<_>>()) else {
        return (Vec::new(), Vec::new(), Some(1));
    };
    let mut sh = match container_shell(world, id, None, None, &[]) {
        Ok(s) => s,
        Err(_) => return (Vec::new(), Vec::new(), Some(1)),
    };
    sh.main_process = true;
    sh.depth = 1;
    let mut io = Io::default();
    let env = sh.env_list();
    let exit = userland::exec(world, &mut sh, &argv, &env, &mut io);
    // The process may have removed its own container (`docker rm -f` from inside).
    let Some(c) = world.container_mut(id) else { return (io.out, io.err, Some(0)) };
    for line in String::from_utf8_lossy(&io.out).lines() {
        c.logs.push((false, line.to_string()));
    }
    for line in String::from_utf8_lossy(&io.err).lines() {
        c.logs.push((true, line.to_string()));
    }
    match exit {
        userland::Exit::Block => (io.out, io.err, None),
        userland::Exit::Code(code) => {
            stop_container(world, id, code);
            (io.out, io.err, Some(code))
        }
    }
}

/// `docker stop`: the main process gets the image's stop signal. A simulated server shuts down
/// cleanly (its last log lines, its own exit status); busybox `sleep` and `sh` as PID 1 ignore
/// SIGTERM, so Docker kills them after the timeout (137).
pub(crate) fn graceful_stop(world: &mut World, id: &ContainerId) {
    let code = userland::services::on_stop(world, id).unwrap_or(137);
    stop_container(world, id, code);
}

/// Marks the container exited and drops its tmpfs content (told in that order: the memory
/// goes because the container stopped).
pub(crate) fn stop_container(world: &mut World, id: &ContainerId, code: i32) {
    let now = world.clock.nanos;
    let Some(c) = world.container_mut(id) else { return };
    let name = c.name.clone();
    let mounts = std::mem::take(&mut c.mounts);
    let mut cleared = Vec::new();
    for m in &mounts {
        if m.kind == MountKind::Tmpfs
            || matches!(&m.kind, MountKind::Volume { name } if world.volumes.get(name).map(|v| v.tmpfs).unwrap_or(false))
        {
            let (bytes, files) = world.fs.usage(m.root);
            if files > 0 {
                cleared.push(Event::TmpfsCleared { container: name.clone(), target: m.target.clone(), bytes });
            }
        }
    }
    let Some(c) = world.container_mut(id) else { return };
    c.status = Status::Exited;
    c.exit_code = code;
    c.finished_at = Some(now);
    c.pid = 0;
    c.ports.clear();
    c.server = None;
    world.emit(Event::ContainerStateChanged { container: name, state: ContainerState::Exited, exit_code: Some(code) });
    for event in cleared {
        world.emit(event);
    }
}

/// Removes a container: its writable layer goes; anonymous volumes too with `volumes`.
pub fn remove_container(world: &mut World, id: &ContainerId, volumes: bool) {
    let Some(at) = world.containers.iter().position(|c| c.id == *id) else { return };
    let c = world.containers.remove(at);
    let (bytes, files) = world.fs.usage(c.upper);
    world.emit(Event::WritableLayerDiscarded { container: c.name.clone(), files, bytes });
    let overlay = host_dir(world, "/var/lib/docker/overlay2");
    world.fs.unlink(overlay, &c.layer_id);
    world.fs.unlink(overlay, &format!("{}-init", c.layer_id));
    let cdir = host_dir(world, "/var/lib/docker/containers");
    world.fs.unlink(cdir, c.id.as_str());
    if volumes {
        for mp in &c.mount_points {
            let anonymous = world.volumes.get(&mp.name).map(|v| v.anonymous).unwrap_or(false);
            if mp.kind == MountPointKind::Volume && anonymous {
                let still_used =
                    world.containers.iter().any(|o| o.mount_points.iter().any(|m| m.kind == MountPointKind::Volume && m.name == mp.name));
                if !still_used {
                    volume::delete_volume(world, &mp.name);
                }
            }
        }
    }
    world.emit(Event::ContainerStateChanged { container: c.name, state: ContainerState::Removed, exit_code: None });
}

// ---------------------------------------------------------------------------- lifecycle commands

pub(crate) fn no_such_container(io: &mut Io, name: &str) {
    io.err_line(&format!("Error response from daemon: No such container: {name}"));
}

fn start_cmd(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("attach", Some('a')), flag("interactive", Some('i'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "start", &e),
    };
    if parsed.operands.is_empty() {
        return arg_count_error(
            io,
            "start",
            "at least 1 argument",
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Start one or more stopped containers",
        );
    }
    let mut status = 0;
    for name in &parsed.operands {
        let Some(id) = world.find_container(name) else {
            no_such_container(io, name);
            status = 1;
            continue;
        };
        if world.container(&id).is_some_and(|c| c.status != Status::Running) {
            if let Err(e) = start_container(world, &id) {
                let msg = e.message();
                io.err_line(&format!("Error response from daemon: {msg}"));
                io.err_line(&format!("Error: failed to start containers: {name}"));
                return 1;
            }
            let (out, err, code) = run_main_process(world, &id);
            if parsed.has("attach") {
                io.out.extend_from_slice(&out);
                io.err.extend_from_slice(&err);
            }
            if code.is_some() && world.container(&id).is_some_and(|c| c.host.auto_remove) {
                remove_container(world, &id, true);
            }
        }
        if !parsed.has("attach") {
            io.out_str(&format!("{name}\n"));
        }
    }
    status
}

fn stop_cmd(world: &mut World, args: &[String], io: &mut Io, restart: bool) -> i32 {
    let cmd = if restart { "restart" } else { "stop" };
    let parsed = match flags::parse(args, &[opt("time", Some('t')), opt("timeout", None), opt("signal", Some('s'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, cmd, &e),
    };
    if parsed.operands.is_empty() {
        return arg_count_error(
            io,
            cmd,
            "at least 1 argument",
            "[OPTIONS] CONTAINER [CONTAINER...]",
            if restart { "Restart one or more containers" } else { "Stop one or more running containers" },
        );
    }
    let mut status = 0;
    for name in &parsed.operands {
        let Some(id) = world.find_container(name) else {
            no_such_container(io, name);
            status = 1;
            continue;
        };
        if world.container(&id).is_some_and(|c| c.status == Status::Running) {
            graceful_stop(world, &id);
        }
        if restart {
            if let Err(e) = start_container(world, &id) {
                let msg = e.message();
                io.err_line(&format!("Error response from daemon: Cannot restart container {name}: {msg}"));
                status = 1;
                continue;
            }
            let _ = run_main_process(world, &id);
        }
        io.out_str(&format!("{name}\n"));
    }
    status
}

fn rm(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("force", Some('f')), flag("volumes", Some('v')), flag("link", Some('l'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "rm", &e),
    };
    if parsed.operands.is_empty() {
        return arg_count_error(io, "rm", "at least 1 argument", "[OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers");
    }
    let mut status = 0;
    for name in &parsed.operands {
        let Some(c) = world.named_container(name) else {
            no_such_container(io, name);
            status = 1;
            continue;
        };
        let (id, running, n) = (c.id.clone(), c.status == Status::Running, c.name.clone());
        if running {
            if !parsed.has("force") {
                io.err_line(&format!("Error response from daemon: cannot remove container \"/{n}\": container is running: stop the container before removing or force remove"));
                status = 1;
                continue;
            }
            stop_container(world, &id, 137);
        }
        remove_container(world, &id, parsed.has("volumes"));
        io.out_str(&format!("{name}\n"));
    }
    status
}

fn container_prune(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("force", Some('f')), opt("filter", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "container prune", &e),
    };
    if !parsed.has("force") && !confirm(io, "WARNING! This will remove all stopped containers.") {
        return 0;
    }
    let (reclaimed, report) = prune_stopped_containers(world);
    print_prune_result(io, &[&report], reclaimed, 3);
    0
}

/// Removes every container that is not running: the bytes of their writable layers, and the
/// report (`Deleted Containers:` and the ids; empty when none).
fn prune_stopped_containers(world: &mut World) -> (u64, String) {
    let mut report = String::new();
    let mut reclaimed = 0;
    let stopped: Vec<(ContainerId, InodeId)> =
        world.containers.iter().filter(|c| c.status != Status::Running).map(|c| (c.id.clone(), c.upper)).collect();
    for (id, upper) in stopped {
        let (bytes, _) = world.fs.usage(upper);
        reclaimed += bytes;
        if report.is_empty() {
            report.push_str("Deleted Containers:\n");
        }
        report.push_str(&format!("{id}\n"));
        remove_container(world, &id, false);
    }
    (reclaimed, report)
}

/// The end of a prune: each non-empty report as the CLI prints it (`Println`: one more
/// newline), then the total at `precision` significant digits (as each command rounds it).
pub(crate) fn print_prune_result(io: &mut Io, reports: &[&str], reclaimed: u64, precision: usize) {
    for report in reports.iter().filter(|r| !r.is_empty()) {
        io.out_str(report);
        io.out_str("\n");
    }
    io.out_str(&format!("Total reclaimed space: {}\n", human_size(reclaimed as f64, precision)));
}

/// `docker system prune [-a] [-f] [--volumes]`: stopped containers, (anonymous volumes), dangling
/// or unused images, in that order, then the total. There are no networks or build cache records
/// to remove in the simulation.
fn system_prune(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let specs = [flag("all", Some('a')), flag("force", Some('f')), flag("volumes", None), opt("filter", None)];
    let parsed = match flags::parse(args, &specs, false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "system prune", &e),
    };
    if !parsed.operands.is_empty() {
        io.err_line("\"docker system prune\" accepts no arguments.");
        io.err_line("See 'docker system prune --help'.");
        io.err_line("");
        io.err_line("Usage:  docker system prune [OPTIONS]");
        io.err_line("");
        io.err_line("Remove unused data");
        return 1;
    }
    let (all, volumes) = (parsed.has("all"), parsed.has("volumes"));
    if !parsed.has("force") {
        let mut warning =
            String::from("WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n");
        if volumes {
            warning.push_str("  - all anonymous volumes not used by at least one container\n");
        }
        warning.push_str(if all {
            "  - all images without at least one container associated to them\n  - all build cache\n"
        } else {
            "  - all dangling images\n  - unused build cache\n"
        });
        if !confirm(io, &warning) {
            return 0;
        }
    }
    let (containers_bytes, containers) = prune_stopped_containers(world);
    let (volumes_bytes, volumes) = if volumes { volume::prune_unused(world, false) } else { (0, String::new()) };
    let (images_bytes, images) = image::prune_images(world, all);
    print_prune_result(io, &[&containers, &volumes, &images], containers_bytes + volumes_bytes + images_bytes, 4);
    0
}

pub(crate) fn exec(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let specs = [
        flag("detach", Some('d')),
        flag("interactive", Some('i')),
        flag("tty", Some('t')),
        opt("user", Some('u')),
        opt("workdir", Some('w')),
        opt("env", Some('e')),
        flag("privileged", None),
    ];
    let parsed = match flags::parse(args, &specs, true) {
        Ok(p) => p,
        Err(e) => return flag_error(io, "exec", &e, 125),
    };
    if parsed.operands.len() < 2 {
        io.err_line("\"docker exec\" requires at least 2 arguments.");
        io.err_line("See 'docker exec --help'.");
        io.err_line("");
        io.err_line("Usage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]");
        io.err_line("");
        io.err_line("Execute a command in a running container");
        return 1;
    }
    let name = &parsed.operands[0];
    let Some(c) = world.named_container(name) else {
        no_such_container(io, name);
        return 1;
    };
    let (id, running) = (c.id.clone(), c.status == Status::Running);
    if parsed.has("tty") && parsed.has("interactive") && !world.tty {
        io.err_line("the input device is not a TTY");
        return 1;
    }
    if !running {
        io.err_line(&format!("Error response from daemon: container {id} is not running"));
        return 1;
    }
    let env: Vec<String> = parsed.all("env");
    let mut sh = match container_shell(world, &id, parsed.get("user"), parsed.get("workdir"), &env) {
        Ok(s) => s,
        Err(m) => {
            io.err_line(&format!("Error response from daemon: {m}"));
            return 126;
        }
    };
    sh.depth = 1;
    let argv: Vec<String> = parsed.operands[1..].to_vec();
    if world.tty && parsed.has("tty") && parsed.has("interactive") && argv.len() == 1 && is_shell(&argv[0]) {
        world.pending_session = Some(crate::world::SessionRequest {
            container_id: id,
            program: argv[0].clone(),
            main_process: false,
            user: parsed.get("user").map(str::to_string),
            workdir: parsed.get("workdir").map(str::to_string),
            env,
        });
        return 0;
    }
    if matches!(userland::find_program_kind(world, &sh, &argv[0]), userland::ProgramKind::Missing) {
        io.err_line(&format!("OCI runtime exec failed: exec failed: unable to start container process: exec: \"{}\": executable file not found in $PATH: unknown", argv[0]));
        return 126;
    }
    let mut cio = Io::with_stdin(if parsed.has("interactive") { std::mem::take(&mut io.stdin) } else { Vec::new() });
    let envl = sh.env_list();
    let exit = userland::exec(world, &mut sh, &argv, &envl, &mut cio);
    io.out.extend_from_slice(&cio.out);
    io.err.extend_from_slice(&cio.err);
    match exit {
        userland::Exit::Code(c) => c,
        userland::Exit::Block => 0,
    }
}

fn logs(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("follow", Some('f')), opt("tail", Some('n')), flag("timestamps", Some('t'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "logs", &e),
    };
    let Some(name) = parsed.operands.first() else {
        return arg_count_error(io, "logs", "exactly 1 argument", "[OPTIONS] CONTAINER", "Fetch the logs of a container");
    };
    let Some(c) = world.named_container(name) else {
        no_such_container(io, name);
        return 1;
    };
    for (is_err, line) in c.logs.clone() {
        if is_err {
            io.err_line(&line);
        } else {
            io.out_str(&format!("{line}\n"));
        }
    }
    0
}

// ---------------------------------------------------------------------------- ps, diff

/// `Up 2 seconds`, `Exited (137) 3 seconds ago`, `Created`.
pub fn status_text(world: &World, c: &Container) -> String {
    let now = world.clock.nanos;
    match c.status {
        Status::Created => "Created".into(),
        Status::Running => format!("Up {}", human_duration(now - c.started_at.unwrap_or(now))),
        Status::Exited => format!("Exited ({}) {} ago", c.exit_code, human_duration(now - c.finished_at.unwrap_or(now))),
    }
}

/// Size of the writable layer (regular files only).
pub fn rw_size(world: &World, c: &Container) -> u64 {
    world.fs.usage(c.upper).0
}

fn ps(world: &mut World, args: &[String], io: &mut Io) -> i32 {
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
    let mut list: Vec<&Container> = world.containers.iter().filter(|c| all || c.status == Status::Running).collect();
    for f in parsed.all("filter") {
        let (k, v) = f.split_once('=').unwrap_or((&f, ""));
        list.retain(|c| match k {
            "name" => c.name.contains(v),
            "id" => c.id.starts_with(v),
            "status" => match v {
                "running" => c.status == Status::Running,
                "exited" => c.status == Status::Exited,
                "created" => c.status == Status::Created,
                _ => false,
            },
            "volume" => c.mount_points.iter().any(|m| m.name == v || m.destination == v || m.source == v),
            "label" => {
                let (lk, lv) = v.split_once('=').unwrap_or((v, ""));
                c.labels.get(lk).map(|x| lv.is_empty() || x == lv).unwrap_or(false)
            }
            "ancestor" => find_image(world, v).map(|im| world.images[im].id == c.image_id).unwrap_or(false),
            _ => true,
        });
    }
    list.reverse();
    if parsed.has("quiet") {
        for c in list {
            io.out_str(&format!("{}\n", c.short_id()));
        }
        return 0;
    }
    let now = world.clock.nanos;
    let rows: Vec<serde_json::Value> = list
        .iter()
        .map(|&c| {
            let size = rw_size(world, c);
            let virt = size + world.images.iter().find(|im| im.id == c.image_id).map(|im| im.size).unwrap_or(0);
            let mounts: Vec<String> = c
                .mount_points
                .iter()
                .filter(|m| m.listed)
                .map(|m| ellipsis(if m.name.is_empty() { &m.source } else { &m.name }, 15))
                .collect();
            let labels: Vec<String> = c.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            serde_json::json!({
                "ID": c.short_id(),
                "Image": c.image_ref,
                "Command": format!("\"{}\"", ellipsis(&c.command_line(), 20)),
                "CreatedAt": crate::clock::rfc3339(c.created as i64 / 1_000_000_000).replace('T', " ").replace('Z', " +0000 UTC"),
                "RunningFor": format!("{} ago", human_duration(now - c.created)),
                "Ports": ports::ports_column(world, c),
                "Status": status_text(world, c),
                "State": match c.status { Status::Created => "created", Status::Running => "running", Status::Exited => "exited" },
                "Size": format!("{} (virtual {})", human_size(size as f64, 3), human_size(virt as f64, 3)),
                "Names": c.name,
                "Labels": labels.join(","),
                "Mounts": mounts.join(","),
                "Networks": "bridge",
                "LocalVolumes": c.mount_points.iter().filter(|m| m.kind == MountPointKind::Volume).count().to_string(),
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

fn diff(world: &mut World, args: &[String], io: &mut Io) -> i32 {
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

/// The writable layer's changes against the image: A(dded), C(hanged), D(eleted).
pub fn changes(world: &World, c: &Container) -> Vec<(char, String)> {
    let mut lowers: Vec<InodeId> = Vec::new();
    if let Some(img) = world.images.iter().find(|im| im.id == c.image_id) {
        lowers.extend(img.layers.iter().rev().map(|l| world.layers[*l].root));
    }
    let mut out = Vec::new();
    fn walk(world: &World, upper: InodeId, lowers: &[InodeId], prefix: &str, out: &mut Vec<(char, String)>) {
        let Some(entries) = world.fs.get(upper).entries() else { return };
        for (name, child) in entries {
            let path = format!("{prefix}/{name}");
            let lower_children: Vec<InodeId> = lowers
                .iter()
                .filter_map(|d| world.fs.lookup(*d, name))
                .filter(|i| !matches!(world.fs.get(*i).kind, Kind::Whiteout))
                .collect();
            let inode = world.fs.get(*child);
            match inode.kind {
                Kind::Whiteout => out.push(('D', path)),
                Kind::Dir { opaque, .. } => {
                    let existed = !lower_children.is_empty();
                    out.push((if existed { 'C' } else { 'A' }, path.clone()));
                    let sub: Vec<InodeId> =
                        if opaque { Vec::new() } else { lower_children.into_iter().filter(|i| world.fs.get(*i).is_dir()).collect() };
                    walk(world, *child, &sub, &path, out);
                }
                _ => out.push((if lower_children.is_empty() { 'A' } else { 'C' }, path)),
            }
        }
    }
    walk(world, c.upper, &lowers, "", &mut out);
    out
}

/// `/proc/mounts` of a running container.
pub fn proc_mounts(world: &World, c: &Container) -> String {
    let mut lines = Vec::new();
    let img = world.images.iter().find(|im| im.id == c.image_id);
    let mut lower = vec![format!("/var/lib/docker/overlay2/l/{}", c.init_link)];
    if let Some(img) = img {
        for l in img.layers.iter().rev() {
            lower.push(format!("/var/lib/docker/overlay2/l/{}", world.layers[*l].link_id));
        }
    }
    let ro = if c.host.readonly_rootfs { "ro" } else { "rw" };
    lines.push(format!(
        "overlay / overlay {ro},relatime,lowerdir={},upperdir=/var/lib/docker/overlay2/{id}/diff,workdir=/var/lib/docker/overlay2/{id}/work 0 0",
        lower.join(":"),
        id = c.layer_id
    ));
    let vda = |ro: bool| format!("ext4 {},relatime,discard,resv_strict,resuid=65534,resgid=65534 0 0", if ro { "ro" } else { "rw" });
    for m in &c.mounts {
        let line = match &m.kind {
            MountKind::System(SystemMount::Proc) => "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0".to_string(),
            MountKind::System(SystemMount::Dev) => "tmpfs /dev tmpfs rw,nosuid,size=65536k,mode=755 0 0".to_string(),
            MountKind::System(SystemMount::DevPts) => {
                "devpts /dev/pts devpts rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666 0 0".to_string()
            }
            MountKind::System(SystemMount::Sys) => "sysfs /sys sysfs ro,nosuid,nodev,noexec,relatime 0 0".to_string(),
            MountKind::System(SystemMount::Mqueue) => "mqueue /dev/mqueue mqueue rw,nosuid,nodev,noexec,relatime 0 0".to_string(),
            MountKind::System(SystemMount::Shm) => "shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0".to_string(),
            MountKind::System(_) => format!("/dev/vda {} {}", m.target, vda(m.read_only)),
            MountKind::Tmpfs => {
                let extra = if m.proc_opts.is_empty() { String::new() } else { format!(",{}", m.proc_opts) };
                format!("tmpfs {} tmpfs {},nosuid,nodev,noexec,relatime{extra} 0 0", m.target, if m.read_only { "ro" } else { "rw" })
            }
            MountKind::Volume { .. } if m.proc_opts.starts_with("tmpfsvol:") => {
                let o = m.proc_opts.trim_start_matches("tmpfsvol:");
                let extra = if o.is_empty() { String::new() } else { format!(",{o}") };
                format!("tmpfs {} tmpfs {},relatime{extra} 0 0", m.target, if m.read_only { "ro" } else { "rw" })
            }
            MountKind::Volume { .. } | MountKind::Bind { .. } => format!("/dev/vda {} {}", m.target, vda(m.read_only)),
        };
        lines.push(line);
        if m.kind == MountKind::System(SystemMount::Sys) {
            lines.push("cgroup /sys/fs/cgroup tmpfs rw,nosuid,nodev,noexec,relatime,mode=755 0 0".into());
        }
    }
    for p in ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"] {
        lines.push(format!("proc {p} proc ro,nosuid,nodev,noexec,relatime 0 0"));
    }
    for p in ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/scsi"] {
        lines.push(format!("tmpfs {p} tmpfs ro,relatime 0 0"));
    }
    lines.push(String::new());
    lines.join("\n")
}
