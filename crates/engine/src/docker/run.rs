//! `docker run` and `docker create`: the flags become a container spec, the daemon creates
//! and starts it, and its main process runs (or the learner's terminal attaches to its shell);
//! also starting, stopping and leaving a container the way the other commands share.

use super::flags::{self, flag, opt, Spec};
use super::messages::flag_error;
use super::mounts::{self, SpecError};
use super::{container_shell, find_image, image, ports, remove_container, stop_container};
use crate::daemon::{self, spec::ContainerSpec, DaemonError};
use crate::shell::{Io, Shell};
use crate::userland;
use crate::world::{ContainerId, World};

pub(crate) const RUN_FLAGS: &[Spec] = &[
    flag("detach", Some('d')),
    opt("name", None),
    opt("volume", Some('v')),
    opt("mount", None),
    opt("tmpfs", None),
    flag("rm", None),
    opt("user", Some('u')),
    opt("group-add", None),
    opt("workdir", Some('w')),
    opt("env", Some('e')),
    opt("env-file", None),
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
    // Accepted as Docker accepts them; none touches storage (docs/fidelity/reasons.txt):
    // resources, devices, namespaces, networking, health checks, logging.
    opt("add-host", None),
    opt("annotation", None),
    opt("attach", Some('a')),
    opt("blkio-weight", None),
    opt("blkio-weight-device", None),
    opt("cap-add", None),
    opt("cap-drop", None),
    opt("cgroup-parent", None),
    opt("cgroupns", None),
    opt("cidfile", None),
    opt("cpu-period", None),
    opt("cpu-quota", None),
    opt("cpu-rt-period", None),
    opt("cpu-rt-runtime", None),
    opt("cpu-shares", Some('c')),
    opt("cpuset-cpus", None),
    opt("cpuset-mems", None),
    opt("detach-keys", None),
    opt("device", None),
    opt("device-cgroup-rule", None),
    opt("device-read-bps", None),
    opt("device-read-iops", None),
    opt("device-write-bps", None),
    opt("device-write-iops", None),
    flag("disable-content-trust", None),
    opt("dns", None),
    opt("dns-option", None),
    opt("dns-search", None),
    opt("domainname", None),
    opt("expose", None),
    opt("gpus", None),
    opt("health-cmd", None),
    opt("health-interval", None),
    opt("health-retries", None),
    opt("health-start-interval", None),
    opt("health-start-period", None),
    opt("health-timeout", None),
    opt("ip", None),
    opt("ip6", None),
    opt("ipc", None),
    opt("isolation", None),
    opt("kernel-memory", None),
    opt("label-file", None),
    opt("link", None),
    opt("link-local-ip", None),
    opt("log-driver", None),
    opt("log-opt", None),
    opt("mac-address", None),
    opt("memory-reservation", None),
    opt("memory-swap", None),
    opt("memory-swappiness", None),
    opt("network-alias", None),
    flag("no-healthcheck", None),
    flag("oom-kill-disable", None),
    opt("oom-score-adj", None),
    opt("pid", None),
    opt("pids-limit", None),
    flag("quiet", Some('q')),
    opt("runtime", None),
    opt("security-opt", None),
    flag("sig-proxy", None),
    opt("stop-signal", None),
    opt("stop-timeout", None),
    opt("storage-opt", None),
    opt("sysctl", None),
    opt("ulimit", None),
    opt("userns", None),
    opt("uts", None),
];

/// A failure while creating/starting: where it is reported decides its shape.
pub(crate) enum RunError {
    /// Printed as `docker: MSG.` + See line.
    Cli(String),
    /// `docker: Error response from daemon: MSG.` + See line (`docker create`: the bare
    /// `Error response from daemon: MSG`, status 1).
    Daemon(String),
    /// A start failure: `docker: Error response from daemon: MSG.` without the See line.
    Start(String, i32),
    /// A flag's value refused as the flag is parsed: `MSG` + See line.
    Flag(String),
    /// The client's own failure after parsing (its container ID file): `docker: MSG.` + See
    /// line and the status given from `docker run`, the bare message and status 1 from
    /// `docker create` (oracle-108).
    Client(String, i32),
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
        // `docker create` prints the daemon's refusal as it comes and returns 1 (oracle-105).
        RunError::Daemon(m) if cmd == "create" => {
            io.err_line(&format!("Error response from daemon: {m}"));
            1
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
        RunError::Flag(m) => flag_error(io, cmd, &m, 125),
        RunError::Client(m, _) if cmd == "create" => {
            io.err_line(&m);
            1
        }
        RunError::Client(m, code) => {
            report_run_error(io, cmd, RunError::Cli(m));
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

pub(super) fn run(world: &mut World, sh: &mut Shell, args: &[String], io: &mut Io, start: bool, cmd: &str) -> i32 {
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
        return 1;
    };
    let command: Vec<String> = parsed.operands[1..].to_vec();
    let detach = parsed.has("detach");
    let auto_remove = parsed.has("rm");
    if parsed.has("tty") && parsed.has("interactive") && !world.tty() && start && !detach {
        io.err_line("the input device is not a TTY");
        return 1;
    }
    let env = match client_env(world, sh, &parsed) {
        Ok(env) => env,
        Err(e) => return report_run_error(io, cmd, e),
    };
    let labels = match client_labels(world, sh, &parsed) {
        Ok(labels) => labels,
        Err(e) => return report_run_error(io, cmd, e),
    };
    // `--cidfile`: the client refuses a file that is there, and makes it before it asks for the
    // container; it writes the id once the container exists (removed again if none came).
    let cidfile = parsed.get("cidfile").map(str::to_string);
    if let Some(path) = &cidfile {
        if world.stat(&sh.ctx, path, false).is_ok() {
            let m = format!("container ID file found, make sure the other container isn't running or delete {path}");
            return report_run_error(io, cmd, RunError::Client(m, 125));
        }
        if let Err(e) = world.write_file(&sh.ctx, path, &crate::fs::Data::empty(), crate::vfs::WriteMode::Truncate) {
            // `docker run` gives the status of a container that could not start.
            let m = format!("failed to create the container ID file: open {path}: {}", e.to_string().to_lowercase());
            return report_run_error(io, cmd, RunError::Client(m, 127));
        }
    }
    let cwd = sh.ctx.cwd.clone();
    let home = sh.vars.get("HOME").cloned().unwrap_or_default();
    let created = create(world, &parsed, &image_ref, &command, &cwd, &home, (env, labels), io, cmd);
    if let Some(path) = &cidfile {
        let done = match &created {
            Ok(id) => world
                .write_file(&sh.ctx, path, &crate::fs::Data::from_bytes(id.as_str().as_bytes()), crate::vfs::WriteMode::Truncate)
                .map(|_| ()),
            Err(_) => world.remove(&sh.ctx, path, false),
        };
        // The file was made a moment ago by the same user: neither can fail here.
        let _ = done;
    }
    let id = match created {
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
    if let Some(program) = interactive_shell.filter(|_| world.tty() && parsed.has("tty") && parsed.has("interactive") && !detach) {
        attach_terminal(world, id, program);
        return 0;
    }
    // A shell with no script whose stdin stays open (`docker run -dit … sh`, `-di`) waits for
    // input: it runs on (oracle-05). Without `-i` its stdin is empty and it ends at once.
    let waits_on_stdin =
        detach && parsed.has("interactive") && world.container(&id).is_some_and(|c| c.args.is_empty() && is_shell(&c.path));
    let (output, status) = if waits_on_stdin {
        (Io::default(), None)
    } else if detach {
        run_main_process(world, &id)
    } else {
        // With `-i` (attached), the process reads the client's stdin (`docker run -i … < FILE`).
        let stdin = if parsed.has("interactive") { std::mem::take(&mut io.stdin) } else { Vec::new() };
        run_main_process_attached(world, &id, stdin)
    };
    if detach {
        io.out_str(&format!("{id}\n"));
        if status.is_some() && auto_remove {
            remove_container(world, &id, true);
        }
        return 0;
    }
    io.append(&output, |err| err);
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
    (env, labels): (Vec<String>, Vec<(String, String)>),
    io: &mut Io,
    cmd: &str,
) -> Result<ContainerId, i32> {
    let name = parsed.get("name").map(str::to_string);
    if let Some(n) = &name {
        daemon::container::check_name(n).map_err(|e| report_run_error(io, cmd, e.into()))?;
    }
    // `--restart NAME[:COUNT]`: the CLI reads the count and refuses `--rm` beside a policy; the
    // daemon judges the rest when it creates the container (oracle-89).
    let restart = match parsed.get("restart").map(super::limits::restart).transpose() {
        Ok(restart) => restart,
        Err(why) => return Err(report_run_error(io, cmd, RunError::Cli(why))),
    };
    if parsed.has("rm") && restart.as_ref().is_some_and(|(policy, _)| policy != "no") {
        return Err(report_run_error(io, cmd, RunError::Cli("Conflicting options: --restart and --rm".into())));
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
    // `--pull missing|always|never`: the client pulls first when told to (oracle-108).
    let pull = parsed.get("pull").unwrap_or("missing");
    if !matches!(pull, "missing" | "always" | "never") {
        let m = format!("invalid pull option: '{pull}': must be one of \"always\", \"missing\" or \"never\"");
        return Err(report_run_error(io, cmd, RunError::Cli(m)));
    }
    let stop_timeout = match parsed.get("stop-timeout").map(|t| (t, t.parse::<i64>())) {
        None => None,
        Some((_, Ok(secs))) => Some(secs),
        Some((t, Err(_))) => {
            let m = format!("invalid argument \"{t}\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"{t}\": invalid syntax");
            return Err(flag_error(io, cmd, &m, 125));
        }
    };
    daemon::container::room_for_one_more(world).map_err(|e| report_run_error(io, cmd, e.into()))?;
    if pull == "never" && find_image(world, image_ref).is_none() {
        let m = format!("No such image: {}", normalized_ref(image_ref));
        return Err(report_run_error(io, cmd, RunError::Daemon(m)));
    }
    if find_image(world, image_ref).is_none() || pull == "always" {
        if find_image(world, image_ref).is_none() {
            io.err_line(&format!("Unable to find image '{}' locally", normalized_ref(image_ref)));
        }
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
    spec.stop_signal = parsed.get("stop-signal").map(str::to_string);
    spec.stop_timeout = stop_timeout;
    spec.env = env;
    // `--label-file` lines, then `--label`s, which win.
    spec.labels = labels
        .into_iter()
        .chain(
            parsed
                .all("label")
                .into_iter()
                .map(|l| l.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).unwrap_or((l.clone(), String::new()))),
        )
        .collect();
    spec.user = parsed.get("user").map(str::to_string);
    spec.workdir = parsed.get("workdir").map(str::to_string);
    spec.hostname = parsed.get("hostname").map(str::to_string);
    spec.volumes_from = parsed.all("volumes-from");
    spec.read_only = parsed.has("read-only");
    spec.log_driver = parsed.get("log-driver").unwrap_or("").to_string();
    spec.ipc_mode = parsed.get("ipc").unwrap_or("").to_string();
    // `--device HOST[:CONTAINER[:PERMISSIONS]]`: the same path inside when none is given.
    spec.devices = parsed
        .all("device")
        .iter()
        .map(|d| {
            let mut parts = d.splitn(3, ':');
            let host = parts.next().unwrap_or("").to_string();
            let container = parts.next().filter(|c| !c.is_empty()).map_or_else(|| host.clone(), str::to_string);
            let permissions = parts.next().unwrap_or("rwm").to_string();
            crate::world::DeviceMapping { host, container, permissions }
        })
        .collect();
    spec.group_add = parsed.all("group-add");
    spec.cap_add = parsed.all("cap-add");
    spec.cap_drop = parsed.all("cap-drop");
    spec.privileged = parsed.has("privileged");
    spec.extra_hosts = parsed.all("add-host");
    spec.resources = match super::limits::read(parsed) {
        Ok(resources) => resources,
        Err(message) => return Err(flag_error(io, cmd, &message, 125)),
    };
    if let Some(size) = parsed.get("shm-size") {
        match crate::daemon::spec::parse_size(size) {
            Some(n) => spec.shm_size = Some(n),
            None => {
                return Err(flag_error(
                    io,
                    cmd,
                    &format!("invalid argument \"{size}\" for \"--shm-size\" flag: invalid size: '{size}'"),
                    125,
                ))
            }
        }
    }
    // The machine's storage cannot honour a size per container; its docker.io has no
    // docker-init (oracle-32).
    if !parsed.all("storage-opt").is_empty() {
        return Err(report_run_error(
            io,
            cmd,
            RunError::Daemon("--storage-opt is supported only for overlay over xfs with 'pquota' mount option".into()),
        ));
    }
    if parsed.has("init") {
        return Err(report_run_error(io, cmd, RunError::Start("exec: \"docker-init\": executable file not found in $PATH".into(), 127)));
    }
    spec.auto_remove = parsed.has("rm");
    spec.network_mode = parsed.get("network").or(parsed.get("net")).unwrap_or("bridge").to_string();
    spec.publish_all = parsed.has("publish-all");
    spec.tty = parsed.has("tty");
    spec.interactive = parsed.has("interactive");
    spec.attached = !parsed.has("detach");
    if let Some((policy, count)) = restart {
        match crate::daemon::spec::restart_policy(&policy, count) {
            Ok(policy) => spec.restart = policy,
            Err(why) => return Err(report_run_error(io, cmd, RunError::Daemon(why))),
        }
    }
    // A logging driver the daemon does not have is a plugin it cannot find (oracle-108).
    const LOG_DRIVERS: [&str; 11] =
        ["json-file", "local", "none", "syslog", "journald", "gelf", "fluentd", "awslogs", "splunk", "gcplogs", "logentries"];
    if !spec.log_driver.is_empty() && !LOG_DRIVERS.contains(&spec.log_driver.as_str()) {
        let m = format!("error looking up logging plugin {d}: plugin \"{d}\" not found", d = spec.log_driver);
        return Err(report_run_error(io, cmd, RunError::Daemon(m)));
    }
    // The daemon checks capability names after the restart policy (moby's validateHostConfig).
    for (field, list) in [("CapAdd", &spec.cap_add), ("CapDrop", &spec.cap_drop)] {
        if let Err(e) = crate::caps::normalize(list) {
            return Err(report_run_error(io, cmd, RunError::Daemon(format!("invalid {field}: {e}"))));
        }
    }
    // Then the limits (moby's verifyPlatformContainerResources).
    if let Err(why) = crate::daemon::resources::verify(&spec.resources, false) {
        return Err(report_run_error(io, cmd, RunError::Daemon(why)));
    }
    if let Some(dir) = spec.workdir.as_deref().filter(|d| !d.starts_with('/')) {
        let message = format!("the working directory '{dir}' is invalid, it needs to be an absolute path");
        return Err(report_run_error(io, cmd, RunError::Daemon(message)));
    }
    daemon::container::create(world, &spec).map_err(|e| report_run_error(io, cmd, e.into()))
}

/// `--label-file` labels as the client reads them: `KEY=VALUE` lines; comments, blank lines
/// and a bare `KEY` (even one the client's environment has) left out (oracle-108).
fn client_labels(world: &World, sh: &Shell, parsed: &flags::Parsed) -> Result<Vec<(String, String)>, RunError> {
    let mut labels = Vec::new();
    for file in parsed.all("label-file") {
        for line in file_lines(world, sh, &file)? {
            if let Some((k, v)) = line.split_once('=') {
                labels.push((k.to_string(), v.to_string()));
            }
        }
    }
    Ok(labels)
}

/// The lines of a `--env-file` or `--label-file` as the client reads it: leading blanks
/// trimmed, blank lines and `#` comments left out.
fn file_lines(world: &World, sh: &Shell, file: &str) -> Result<Vec<String>, RunError> {
    let Ok(data) = world.read(&sh.ctx, file) else {
        return Err(RunError::Cli(format!("open {file}: no such file or directory")));
    };
    Ok(String::from_utf8_lossy(&data.to_vec())
        .lines()
        .map(str::trim_start)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// The container's environment as the client sends it: `--env-file` lines, then `-e`; a bare
/// `NAME` takes its value from the client's own environment, or is left out.
pub(super) fn client_env(world: &World, sh: &Shell, parsed: &flags::Parsed) -> Result<Vec<String>, RunError> {
    let from_client = |name: &str| sh.exported.contains(name).then(|| sh.vars.get(name).map(|v| format!("{name}={v}"))).flatten();
    let mut env = Vec::new();
    for file in parsed.all("env-file") {
        for line in file_lines(world, sh, &file)? {
            let line = line.as_str();
            match line.split_once('=') {
                Some(_) => env.push(line.to_string()),
                None => env.extend(from_client(line.trim_end())),
            }
        }
    }
    for e in parsed.all("env") {
        if e.starts_with('=') {
            return Err(RunError::Flag(format!("invalid argument \"{e}\" for \"-e, --env\" flag: invalid environment variable: {e}")));
        }
        match e.split_once('=') {
            Some(_) => env.push(e),
            None => env.extend(from_client(&e)),
        }
    }
    Ok(env)
}

/// The shell a container's main process is, if it is one: its command itself, or the command an
/// image's entrypoint script hands over to (`docker run -it nginx bash`).
/// The learner's terminal is now attached to the container's main shell (`run -it`, `start -ai`).
pub(super) fn attach_terminal(world: &mut World, id: ContainerId, program: String) {
    world.request_session(crate::world::SessionRequest {
        container_id: id,
        program,
        main_process: true,
        user: None,
        workdir: None,
        env: Vec::new(),
    });
}

pub(super) fn interactive_shell(world: &World, id: &ContainerId) -> Option<String> {
    let c = world.container(id)?;
    if is_shell(&c.path) {
        return Some(c.path.clone());
    }
    let [program] = c.args.as_slice() else { return None };
    let sh = container_shell(world, id, None, None, &[]).ok()?;
    let passes_through = matches!(
        crate::shell::identify_program(world, &sh, &c.path),
        Some(userland::binaries::Binary::NginxEntrypoint | userland::binaries::Binary::PostgresEntrypoint)
    );
    (passes_through && is_shell(program)).then(|| program.clone())
}

pub(super) fn is_shell(program: &str) -> bool {
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
    match crate::shell::find_program_kind(world, &sh, &c.path) {
        crate::shell::ProgramKind::Found => None,
        crate::shell::ProgramKind::Missing => {
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

/// Starts the container's main process in the background (`run -d`, `start`, `restart`,
/// compose): it runs until it sleeps past the present, then lives on between the commands
/// typed (`shell/resident.rs`). Returns what it wrote so far and `Some(exit)` if it ended.
pub(crate) fn run_main_process(world: &mut World, id: &ContainerId) -> (Io, Option<i32>) {
    start_main_process(world, id, Vec::new())
}

/// The main process with a client attached (`docker run` in the foreground, `start -a`,
/// `start -ai` with its stdin): time passes while it runs, up to its end. One that would run
/// for more than an hour is followed for two seconds and left running (the real command would
/// stay attached).
pub(crate) fn run_main_process_attached(world: &mut World, id: &ContainerId, stdin: Vec<u8>) -> (Io, Option<i32>) {
    let (mut io, status) = start_main_process(world, id, stdin);
    if status.is_some() || world.container(id).is_none() {
        return (io, status);
    }
    let status = follow_into(world, id, &mut io);
    (io, status)
}

/// A running container's main process, followed by an attached client until it ends (its
/// lines into `io`, in their streams); `None` if it would not end within the hour (then two
/// seconds of it).
pub(crate) fn follow_into(world: &mut World, id: &ContainerId, io: &mut Io) -> Option<i32> {
    // A server, or a shell waiting on its terminal, does not sleep: nothing more comes now.
    if world.container(id).is_none_or(|c| c.sleeper.is_none()) {
        return None;
    }
    let (lines, status) = match crate::shell::sleepers::follow(world, id, 3600) {
        Some((lines, code)) => (lines, Some(code)),
        None => (crate::shell::sleepers::live_for(world, id, 2), None),
    };
    print_lines(io, lines);
    status
}

/// Log lines as an attached client prints them, each on its stream.
pub(crate) fn print_lines(io: &mut Io, lines: Vec<(bool, String)>) {
    for (stderr, line) in lines {
        if stderr {
            io.err_line(&line);
        } else {
            io.out_str(&format!("{line}\n"));
        }
    }
}

fn start_main_process(world: &mut World, id: &ContainerId, stdin: Vec<u8>) -> (Io, Option<i32>) {
    // Started by hand, the restart policy counts afresh (oracle-89).
    if let Some(c) = world.container_mut(id) {
        c.restart_count = 0;
        c.restart_delay_ms = 0;
    }
    crate::shell::sleepers::start_main(world, id, stdin, Some(crate::services::HOOK))
}

/// `docker stop`: the main process gets the image's stop signal. A simulated server shuts down
/// cleanly (its last log lines, its own exit status); a shell that traps TERM runs its trap
/// when its sleep ends; busybox `sleep` and `sh` as PID 1 otherwise ignore SIGTERM, so Docker
/// kills them after the timeout (137), the clock `timeout` seconds on (oracle-88).
pub(crate) fn graceful_stop(world: &mut World, id: &ContainerId) {
    let timeout = world.container(id).and_then(|c| c.stop_timeout).unwrap_or(10);
    graceful_stop_within(world, id, timeout, None);
}

/// How a simulated server ends on `signal`, if it does: TERM, INT and QUIT stop it as
/// `docker stop` does (its last log lines, its own status); it handles no other.
pub(crate) fn server_stop(world: &mut World, id: &ContainerId, signal: &str) -> Option<i32> {
    matches!(signal, "TERM" | "INT" | "QUIT").then(|| crate::services::on_stop(world, id)).flatten()
}

/// `docker stop -t TIMEOUT [-s SIGNAL]`: the signal given, else the container's
/// `--stop-signal`, else TERM.
pub(crate) fn graceful_stop_within(world: &mut World, id: &ContainerId, timeout: i64, signal: Option<&str>) {
    let configured = world.container(id).and_then(|c| c.stop_signal.clone());
    let signal = signal.or(configured.as_deref()).and_then(crate::shell::resident::signal_name).unwrap_or("TERM");
    match server_stop(world, id, signal) {
        Some(code) => stop_container(world, id, code),
        None => {
            crate::shell::sleepers::stop(world, id, timeout, signal);
        }
    }
}
