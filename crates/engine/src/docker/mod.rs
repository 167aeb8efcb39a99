//! The `docker` CLI and the engine behind it: containers, volumes, images.

pub mod build;
mod commit;
pub mod compose;
mod cp;
pub mod flags;
pub mod format;
pub mod image;
mod image_store;
pub mod info;
pub mod inspect;
pub mod mounts;
pub mod ports;
pub mod volume;

use crate::clock::human_duration;
use crate::daemon::{self, spec::ContainerSpec, DaemonError};
use crate::fs::InodeId;
use crate::shell::{Io, Shell};
use crate::userland;
use crate::world::{Container, ContainerId, Status, World};
use flags::{flag, opt, Spec};
use format::{ellipsis, human_size, tabwrite};
use mounts::SpecError;

// The daemon's container functions, where the CLI's commands use them.
pub(crate) use crate::daemon::container::stop_container;
pub use crate::daemon::container::{changes, host_dir, host_root_ctx, remove_container, MAX_CONTAINERS};
pub use crate::daemon::find_image;

/// The simulator's limits on objects (memory stays bounded whatever a learner types).
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
            Some("commit") => commit::commit(world, &rest[1..], io),
            Some("cp") => cp::cp(world, sh, &rest[1..], io),
            Some("export") => commit::export(world, &rest[1..], io),
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
            Some("tag") => commit::tag(world, &rest[1..], io),
            Some("build") => build::build(world, sh, &rest[1..], io),
            Some("pull") => image::pull(world, &rest[1..], io),
            Some("prune") => image::prune(world, &rest[1..], io),
            _ => unknown_command(io, "image", rest.first()),
        },
        "images" => inspect::images(world, rest, io),
        "pull" => image::pull(world, rest, io),
        "commit" => commit::commit(world, rest, io),
        "tag" => commit::tag(world, rest, io),
        "cp" => cp::cp(world, sh, rest, io),
        "export" => commit::export(world, rest, io),
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

impl From<DaemonError> for RunError {
    fn from(e: DaemonError) -> RunError {
        if e.at_start() {
            RunError::Start(e.to_string(), e.code())
        } else {
            RunError::Daemon(e.to_string())
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

pub(crate) fn normalized_ref(reference: &str) -> String {
    if reference.contains(':') || reference.contains('@') {
        reference.to_string()
    } else {
        format!("{reference}:latest")
    }
}

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
        let code = report_run_error(io, cmd, e.into());
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

/// `docker create` and `docker run`'s first half: the flags become a [`ContainerSpec`] (the
/// CLI's own errors first, and a pull when the image is missing), then the daemon creates it.
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
        daemon::container::check_name(n).map_err(|e| report_run_error(io, cmd, e.into()))?;
    }
    let mut spec = ContainerSpec { name, image: image_ref.to_string(), command: command.to_vec(), ..ContainerSpec::default() };
    // Mount specs are checked by the CLI before it talks to the daemon; what the daemon will
    // refuse waits in the spec, so its errors come after every CLI check passed.
    for v in parsed.all("volume") {
        match mounts::parse_volume_flag(&v, cwd, home) {
            Ok(r) => spec.volumes.push(r),
            Err(SpecError::Cli(m)) => return Err(report_run_error(io, cmd, RunError::Cli(m))),
            Err(SpecError::Daemon(m)) => spec.refused_volumes.push(m),
            Err(SpecError::Flag(m)) => return Err(flag_error(io, cmd, &m, 125)),
        }
    }
    for m in parsed.all("mount") {
        match mounts::parse_mount_flag(&m, cwd) {
            Ok(r) => spec.mounts.push(Ok(r)),
            Err(SpecError::Flag(msg)) => return Err(flag_error(io, cmd, &msg, 125)),
            Err(SpecError::Daemon(msg) | SpecError::Cli(msg)) => spec.mounts.push(Err(msg)),
        }
    }
    for p in parsed.all("publish") {
        match ports::parse_publish(&p) {
            Ok(b) => spec.port_bindings.push(b),
            Err(m) => return Err(report_run_error(io, cmd, RunError::Cli(m))),
        }
    }
    daemon::container::room_for_one_more(world).map_err(|e| report_run_error(io, cmd, e.into()))?;
    if find_image(world, image_ref).is_none() {
        io.err_line(&format!("Unable to find image '{}' locally", normalized_ref(image_ref)));
        let mut progress = Vec::new();
        let pulled = image::pull_into_store(world, image_ref, &mut |l| progress.push(l.to_string()));
        for l in progress {
            io.err_line(&l);
        }
        if let Err(e) = pulled {
            return Err(report_run_error(io, cmd, RunError::Daemon(e.message())));
        }
    }
    for t in parsed.all("tmpfs") {
        spec.tmpfs.push(mounts::parse_tmpfs_flag(&t).map_err(|(SpecError::Cli(m) | SpecError::Daemon(m) | SpecError::Flag(m))| m));
    }
    spec.entrypoint = parsed.get("entrypoint").map(str::to_string);
    spec.env = parsed.all("env");
    spec.labels = parsed
        .all("label")
        .into_iter()
        .map(|l| l.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).unwrap_or((l.clone(), String::new())))
        .collect();
    spec.user = parsed.get("user").map(str::to_string);
    spec.workdir = parsed.get("workdir").map(str::to_string);
    spec.hostname = parsed.get("hostname").map(str::to_string);
    spec.volumes_from = parsed.all("volumes-from");
    spec.read_only = parsed.has("read-only");
    spec.auto_remove = parsed.has("rm");
    spec.network_mode = parsed.get("network").or(parsed.get("net")).unwrap_or("bridge").to_string();
    spec.publish_all = parsed.has("publish-all");
    spec.tty = parsed.has("tty");
    spec.interactive = parsed.has("interactive");
    daemon::container::create(world, &spec).map_err(|e| report_run_error(io, cmd, e.into()))
}

pub use crate::userland::container_shell;

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

/// Docker refuses to start a process whose program is not found in the container (the
/// runtime's check, which the daemon asks for when it starts one).
fn missing_program(world: &World, id: &ContainerId) -> Option<DaemonError> {
    let c = world.container(id)?;
    let sh = container_shell(world, id, None, None, &[]).ok()?;
    match userland::find_program_kind(world, &sh, &c.path) {
        userland::ProgramKind::Found => None,
        userland::ProgramKind::Missing => {
            let what = if c.path.contains('/') {
                format!("stat {}: no such file or directory", c.path)
            } else {
                "executable file not found in $PATH".to_string()
            };
            Some(DaemonError::Start {
                message: format!("failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{}\": {what}: unknown", c.path),
                code: 127,
            })
        }
    }
}

/// Starts a container through the daemon, with the runtime's check that its program exists.
pub(crate) fn start_container(world: &mut World, id: &ContainerId) -> Result<(), DaemonError> {
    daemon::container::start_container(world, id, &|w| missing_program(w, id))
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
                io.err_line(&format!("Error response from daemon: {e}"));
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
                io.err_line(&format!("Error response from daemon: Cannot restart container {name}: {e}"));
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
