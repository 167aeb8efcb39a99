//! `docker kill`, `docker attach`, `docker wait` and `docker rename`: commands that act on a
//! container by name without creating or removing it.

use super::flags::{self, flag, opt};
use super::messages::find_or_say;
use super::{arg_count_error, usage_error};
use crate::shell::Io;
use crate::shell::{resident, sleepers};
use crate::world::{ContainerId, Status, World};

/// `docker kill`: SIGKILL, so the container ends with 137; a missing one is said Docker's way.
pub(super) fn kill(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[opt("signal", Some('s'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "kill", &e),
    };
    if parsed.operands.is_empty() {
        return arg_count_error(
            io,
            "kill",
            "at least 1 argument",
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Kill one or more running containers",
        );
    }
    let mut status = 0;
    for name in &parsed.operands {
        let Some(id) = world.find_container(name) else {
            io.err_line(&format!("Error response from daemon: cannot kill container: {name}: No such container: {name}"));
            status = 1;
            continue;
        };
        if world.container(&id).is_some_and(|c| c.status != Status::Running) {
            io.err_line(&format!("Error response from daemon: cannot kill container: {name}: container {id} is not running"));
            status = 1;
            continue;
        }
        deliver(world, &id, parsed.get("signal").unwrap_or("KILL"));
        io.out_str(&format!("{name}\n"));
    }
    status
}

/// A signal to a container's main process: KILL ends it (137); a shell asleep runs its trap
/// for the signal or ignores it (PID 1 has no default action); a server ends on TERM, INT or
/// QUIT as it does on `docker stop`; other processes ignore what they do not handle (oracle-88).
fn deliver(world: &mut World, id: &ContainerId, spec: &str) {
    let signal = resident::signal_name(spec).unwrap_or("KILL");
    if signal == "KILL" {
        crate::daemon::container::stop_container(world, id, 137);
        return;
    }
    if sleepers::signal(world, id, signal) != resident::Signalled::NoSleeper {
        return;
    }
    if let Some(code) = super::run::server_stop(world, id, signal) {
        crate::daemon::container::stop_container(world, id, code);
    }
}

/// `docker attach CONTAINER`: the client follows the container's main process, printing what
/// it writes from now on, and ends with its status (oracle-89). At a terminal, a shell started
/// with `-it` takes the prompt. A process that would run on for more than an hour would keep
/// the command attached: the simulation says so instead of hanging.
pub(super) fn attach(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let specs = [opt("detach-keys", None), flag("no-stdin", None), opt("sig-proxy", None)];
    let parsed = match flags::parse(args, &specs, false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "attach", &e),
    };
    let [name] = parsed.operands.as_slice() else {
        return arg_count_error(
            io,
            "attach",
            "exactly 1 argument",
            "[OPTIONS] CONTAINER",
            "Attach local standard input, output, and error streams to a running container",
        );
    };
    let Some(c) = world.named_container(name) else {
        io.err_line(&format!("Error response from daemon: No such container: {name}"));
        return 1;
    };
    let (id, running, paused, terminal) = (c.id.clone(), c.status == Status::Running, c.paused, c.tty && c.interactive);
    if !running {
        io.err_line("You cannot attach to a stopped container, start it first");
        return 1;
    }
    if paused {
        io.err_line("You cannot attach to a paused container, unpause it first");
        return 1;
    }
    if terminal && world.tty() {
        if let Some(program) = super::run::interactive_shell(world, &id) {
            super::run::attach_terminal(world, id, program);
            return 0;
        }
    }
    match sleepers::follow(world, &id, 3600) {
        Some((lines, code)) => {
            super::run::print_lines(io, lines);
            if world.container(&id).is_some_and(|c| c.host.auto_remove) {
                crate::daemon::container::remove_container(world, &id, true);
            }
            code
        }
        None => {
            io.err_line(&format!(
                "stowage: {name} runs on: docker attach would stay attached to it until it ends (docker logs shows what it wrote)"
            ));
            1
        }
    }
}

/// `docker wait`: each container's exit status once it has stopped. A running container's
/// main process would keep the command waiting: the simulation says so instead of hanging.
pub(super) fn wait(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    if args.is_empty() {
        return arg_count_error(
            io,
            "wait",
            "at least 1 argument",
            "CONTAINER [CONTAINER...]",
            "Block until one or more containers stop, then print their exit codes",
        );
    }
    let mut status = 0;
    for name in args {
        match world.named_container(name) {
            None => {
                io.err_line(&format!("Error response from daemon: No such container: {name}"));
                status = 1;
            }
            Some(c) if c.status == Status::Running => {
                // Time passes while its main process runs to its end, if it ends within the
                // hour; one that never does would keep the command waiting.
                let id = c.id.clone();
                if sleepers::run_to_end(world, &id, 3600) {
                    let code = world.container(&id).map_or(0, |c| c.exit_code);
                    io.out_str(&format!("{code}\n"));
                } else {
                    io.err_line(&format!("stowage: {name} is still running: docker wait would wait until it stops"));
                    status = 1;
                }
            }
            Some(c) => io.out_str(&format!("{}\n", c.exit_code)),
        }
    }
    status
}

/// `docker rename OLD NEW`: the same container (its layers and mounts) under a new name.
pub(super) fn rename(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let [old, new] = args else {
        return arg_count_error(io, "rename", "exactly 2 arguments", "CONTAINER NEW_NAME", "Rename a container");
    };
    let refused = |io: &mut Io, message: String| {
        io.err_line(&format!("Error response from daemon: {message}"));
        io.err_line(&format!("Error: failed to rename container named {old}"));
        1
    };
    let Some(id) = world.find_container(old) else {
        return refused(io, format!("No such container: {old}"));
    };
    let new = new.strip_prefix('/').unwrap_or(new);
    if let Err(e) = crate::daemon::container::check_name(new) {
        return refused(io, e.to_string());
    }
    let current = world.container(&id).map(|c| c.name.clone()).unwrap_or_default();
    if current == new {
        return refused(io, "Renaming a container with the same name as its current name".into());
    }
    if let Some(other) = world.containers().iter().find(|c| c.name == new) {
        let message = format!(
            "Error when allocating new name: Conflict. The container name \"/{new}\" is already in use by container \"{}\". You have to remove (or rename) that container to be able to reuse that name.",
            other.id
        );
        return refused(io, message);
    }
    crate::daemon::container::rename(world, &id, new);
    0
}

/// `docker pause` / `unpause CONTAINER…`: each running container's processes frozen or thawed
/// (oracle-45); its files and mounts stay as they are.
pub(super) fn pause(world: &mut World, args: &[String], io: &mut Io, paused: bool) -> i32 {
    let cmd = if paused { "pause" } else { "unpause" };
    if args.is_empty() {
        let what = if paused {
            "Pause all processes within one or more containers"
        } else {
            "Unpause all processes within one or more containers"
        };
        return arg_count_error(io, cmd, "at least 1 argument", "CONTAINER [CONTAINER...]", what);
    }
    let mut status = 0;
    for name in args {
        let Some(id) = find_or_say(world, io, name) else {
            status = 1;
            continue;
        };
        match crate::daemon::container::set_paused(world, &id, paused) {
            Ok(()) => {
                if !paused {
                    sleepers::unpaused(world, &id);
                }
                io.out_str(&format!("{name}\n"));
            }
            Err(e) => {
                io.err_line(&format!("Error response from daemon: {e}"));
                status = 1;
            }
        }
    }
    status
}

/// `docker top CONTAINER [ps OPTIONS]`: the container's main process as the host's ps sees it
/// (its pid on the host; no CPU figure). `-o` picks columns among pid, ppid, user, comm, args.
/// A running container's processes (pid, parent pid, command line): the main process, or the
/// program it became, and the one it waits in, a child of it.
pub(super) fn processes(c: &crate::world::Container) -> Vec<(u32, u32, Vec<String>)> {
    let main = c.main_argv();
    match c.sleeper.as_ref().and_then(|s| s.process.asleep_in()) {
        Some((argv, false)) => vec![(c.pid, c.pid.saturating_sub(22), main), (c.pid + 7, c.pid, argv)],
        _ => vec![(c.pid, c.pid.saturating_sub(22), main)],
    }
}

pub(super) fn top(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let Some(name) = args.first() else {
        return arg_count_error(io, "top", "at least 1 argument", "CONTAINER [ps OPTIONS]", "Display the running processes of a container");
    };
    let Some(id) = find_or_say(world, io, name) else { return 1 };
    let Some(c) = world.container(&id) else { return 1 };
    if c.status != Status::Running {
        io.err_line(&format!("Error response from daemon: container {} is not running", c.id));
        return 1;
    }
    let started = crate::clock::tm((c.started_at.unwrap_or(c.created) / 1_000_000_000) as i64);
    let processes = processes(c);
    let cell = |column: &str, (pid, ppid, argv): &(u32, u32, Vec<String>)| match column {
        "uid" | "user" => "root".to_string(),
        "pid" => pid.to_string(),
        "ppid" => ppid.to_string(),
        "c" => "0".into(),
        "stime" => format!("{:02}:{:02}", started.hour, started.min),
        "tty" => {
            if c.tty {
                "pts/0".into()
            } else {
                "?".into()
            }
        }
        "time" => "00:00:00".into(),
        "comm" => argv.first().map(|p| p.rsplit('/').next().unwrap_or(p).to_string()).unwrap_or_default(),
        _ => argv.join(" "),
    };
    let header = |column: &str| match column {
        "comm" | "args" => "COMMAND".to_string(),
        "cmd" => "CMD".to_string(),
        other => other.to_uppercase(),
    };
    let columns: Vec<String> = match args.iter().position(|a| a == "-o") {
        Some(at) => args.get(at + 1).map(|o| o.split(',').map(str::to_string).collect()).unwrap_or_default(),
        None => ["uid", "pid", "ppid", "c", "stime", "tty", "time", "cmd"].iter().map(|s| s.to_string()).collect(),
    };
    // Docker finds the processes by their pid column.
    if !columns.iter().any(|c| c == "pid") {
        io.err_line("Error response from daemon: Couldn't find PID field in ps output");
        return 1;
    }
    // Columns of twenty, as Docker's table writes them; the last one unpadded.
    let row = |cells: Vec<String>| {
        let last = cells.len().saturating_sub(1);
        cells.iter().enumerate().map(|(i, t)| if i == last { t.clone() } else { format!("{t:<20}") }).collect::<String>()
    };
    let mut text = format!("{}\n", row(columns.iter().map(|c| header(c)).collect()));
    for p in &processes {
        text.push_str(&format!("{}\n", row(columns.iter().map(|c| cell(c, p)).collect())));
    }
    io.out_str(&text);
    0
}
