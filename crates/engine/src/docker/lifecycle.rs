//! The container lifecycle commands: `docker start`, `stop`/`restart`/`kill`, `rm`, `exec`
//! and `logs`.

use super::flags::{self, flag, opt};
use super::messages::{find_or_say, flag_error};
use super::run::is_shell;
use super::{
    arg_count_error, container_shell, no_such_container, remove_container, run_main_process, start_container, stop_container, usage_error,
};
use crate::daemon::DaemonError;
use crate::shell::Io;
use crate::userland;
use crate::world::{ContainerId, Status, World};

pub(super) fn start_cmd(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    // --detach-keys changes only a terminal's key sequence: accepted.
    let specs = [flag("attach", Some('a')), flag("interactive", Some('i')), opt("detach-keys", None)];
    let parsed = match flags::parse(args, &specs, false) {
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
        let Some(id) = find_or_say(world, io, name) else {
            status = 1;
            continue;
        };
        if world.container(&id).is_some_and(|c| c.status != Status::Running) {
            if let Err(e) = start_container(world, &id) {
                io.err_line(&format!("Error response from daemon: {e}"));
                io.err_line(&format!("Error: failed to start containers: {name}"));
                return 1;
            }
            // A shell created with -i waits on its stdin (-it: on its terminal). `start -ai`
            // attaches: the learner's terminal (-t), or this command's stdin (oracle-34); a
            // plain `start` leaves it running.
            let shell = super::run::interactive_shell(world, &id)
                .filter(|_| world.container(&id).is_some_and(|c| c.interactive && c.args.is_empty()));
            let tty = world.container(&id).is_some_and(|c| c.tty);
            if let Some(program) = shell {
                if parsed.has("attach") && parsed.has("interactive") && !tty {
                    let stdin = std::mem::take(&mut io.stdin);
                    let (output, code) = super::run::run_main_process_attached(world, &id, stdin);
                    io.append(&output, |err| err);
                    status = code.unwrap_or(status);
                    continue;
                }
                if parsed.has("attach") && parsed.has("interactive") && world.tty() {
                    super::run::attach_terminal(world, id, program);
                    return status;
                }
                if !parsed.has("attach") {
                    io.out_str(&format!("{name}\n"));
                }
                continue;
            }
            let (output, code) = if parsed.has("attach") {
                super::run::run_main_process_attached(world, &id, Vec::new())
            } else {
                run_main_process(world, &id)
            };
            if parsed.has("attach") {
                io.append(&output, |err| err);
                // Attached, the command ends with the container's status (oracle-17).
                status = code.unwrap_or(status);
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

/// Starts container `id` as `docker start` does without `-a`: its main process runs (a shell
/// made with `-i` waits on its stdin, running), and a `--rm` container that ended goes.
pub(super) fn start_detached(world: &mut World, id: &ContainerId) -> Result<(), DaemonError> {
    if world.container(id).is_some_and(|c| c.status == Status::Running) {
        return Ok(());
    }
    start_container(world, id)?;
    let waits =
        super::run::interactive_shell(world, id).is_some() && world.container(id).is_some_and(|c| c.interactive && c.args.is_empty());
    if !waits {
        let (_, code) = run_main_process(world, id);
        if code.is_some() && world.container(id).is_some_and(|c| c.host.auto_remove) {
            remove_container(world, id, true);
        }
    }
    Ok(())
}

pub(super) fn stop_cmd(world: &mut World, args: &[String], io: &mut Io, restart: bool) -> i32 {
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
    // `-t N`: seconds to wait before SIGKILL (a value that is no number: the container's
    // `--stop-timeout`, else Docker's 10).
    let given = parsed.get("time").or(parsed.get("timeout")).and_then(|t| t.parse::<i64>().ok());
    let mut status = 0;
    for name in &parsed.operands {
        let Some(id) = find_or_say(world, io, name) else {
            status = 1;
            continue;
        };
        // A container waiting for its restart stays stopped.
        if let Some(c) = world.container_mut(&id).filter(|c| c.restarting()) {
            c.sleeper = None;
        }
        if world.container(&id).is_some_and(|c| c.status == Status::Running) {
            let timeout = given.or(world.container(&id).and_then(|c| c.stop_timeout)).unwrap_or(10);
            super::run::graceful_stop_within(world, &id, timeout, parsed.get("signal"));
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

pub(super) fn rm(world: &mut World, args: &[String], io: &mut Io) -> i32 {
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
            // With -f, a container that is not there is said, yet no failure (oracle-129).
            no_such_container(io, name);
            if !parsed.has("force") {
                status = 1;
            }
            continue;
        };
        let (id, running, n) = (c.id.clone(), c.status == Status::Running || c.restarting(), c.name.clone());
        let state = if c.restarting() { "restarting" } else { "running" };
        if running {
            if !parsed.has("force") {
                io.err_line(&format!("Error response from daemon: cannot remove container \"/{n}\": container is {state}: stop the container before removing or force remove"));
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

/// `docker exec`'s flags (they stop at the container's name).
pub(super) const EXEC_FLAGS: &[flags::Spec] = &[
    flag("detach", Some('d')),
    flag("interactive", Some('i')),
    flag("tty", Some('t')),
    opt("user", Some('u')),
    opt("workdir", Some('w')),
    opt("env", Some('e')),
    opt("env-file", None),
    flag("privileged", None),
    opt("detach-keys", None),
];

pub(crate) fn exec(world: &mut World, client: &crate::shell::Shell, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, EXEC_FLAGS, true) {
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
    let (id, running, paused) = (c.id.clone(), c.status == Status::Running, c.paused);
    if parsed.has("tty") && parsed.has("interactive") && !world.tty() {
        io.err_line("the input device is not a TTY");
        return 1;
    }
    if !running {
        io.err_line(&format!("Error response from daemon: container {id} is not running"));
        return 1;
    }
    if paused {
        io.err_line(&format!("Error response from daemon: Container {name} is paused, unpause the container before exec"));
        return 1;
    }
    // As for docker run: --env-file, then -e; a bare NAME from the client's environment.
    let env = match super::run::client_env(world, client, &parsed) {
        Ok(env) => env,
        // exec says it plainly (oracle-31).
        Err(super::run::RunError::Cli(m)) => {
            io.err_line(&m);
            return 1;
        }
        Err(e) => return super::run::report_run_error(io, "exec", e),
    };
    let mut sh = match container_shell(world, &id, parsed.get("user"), parsed.get("workdir"), &env) {
        Ok(s) => s,
        // The exec's own failures come back through the attached stream: stdout, CR LF (oracle-28).
        Err(m) => {
            io.out_str(&format!("{m}\r\n"));
            return 126;
        }
    };
    sh.depth = 1;
    // `exec --privileged`: this process alone holds every capability (its root does).
    if parsed.has("privileged") {
        sh.ctx.cred.bounding = crate::caps::Caps::MACHINE;
    }
    sh.launch_pid = Some(world.exec_pid(&id));
    let argv: Vec<String> = parsed.operands[1..].to_vec();
    let oci = |io: &mut Io, why: String| {
        io.out_str(&format!("OCI runtime exec failed: exec failed: unable to start container process: {why}: unknown\r\n"));
        126
    };
    // runc refuses a relative `-w` before it tries to go there (oracle-116).
    if !sh.ctx.cwd.starts_with('/') {
        io.out_str("OCI runtime exec failed: exec failed: Cwd must be an absolute path: unknown\r\n");
        return 126;
    }
    if world.stat(&sh.ctx, &sh.ctx.cwd.clone(), true).is_err() {
        return oci(io, format!("chdir to cwd (\"{}\") set in config.json failed: no such file or directory", sh.ctx.cwd));
    }
    if world.tty() && parsed.has("tty") && parsed.has("interactive") && argv.len() == 1 && is_shell(&argv[0]) {
        world.request_session(crate::world::SessionRequest {
            container_id: id,
            program: argv[0].clone(),
            main_process: false,
            user: parsed.get("user").map(str::to_string),
            workdir: parsed.get("workdir").map(str::to_string),
            env,
        });
        return 0;
    }
    if matches!(crate::shell::find_program_kind(world, &sh, &argv[0]), crate::shell::ProgramKind::Missing) {
        // A path is looked up as it is; a name on the PATH (oracle-15, oracle-28).
        let why = if argv[0].contains('/') {
            format!("exec: \"{0}\": stat {0}: no such file or directory", argv[0])
        } else {
            format!("exec: \"{}\": executable file not found in $PATH", argv[0])
        };
        // Detached, the daemon's refusal comes back as an error, not through the stream.
        if parsed.has("detach") {
            io.err_line(&format!(
                "Error response from daemon: OCI runtime exec failed: exec failed: unable to start container process: {why}: unknown"
            ));
            return 1;
        }
        return oci(io, why);
    }
    let envl = sh.env_list();
    // `-d`: the process runs on its own, its output going nowhere; one that sleeps lives on in
    // time beside the main process (oracle-120).
    if parsed.has("detach") {
        crate::shell::sleepers::start_exec(world, sh, &argv, &envl);
        return 0;
    }
    let mut cio = Io::with_stdin(if parsed.has("interactive") { std::mem::take(&mut io.stdin) } else { Vec::new() });
    let exit = crate::shell::exec(world, &mut sh, &argv, &envl, &mut cio);
    io.append(&cio, |err| err);
    match exit {
        userland::Exit::Code(c) => c,
        userland::Exit::Block => 0,
    }
}
