//! How a command name becomes a running program (found by `path`): scripts and `#!` shells,
//! the host's GNU tools and busybox's applets, `sudo`, `env`, `nohup`, `xargs`, `timeout`, and
//! the shell of a container's process. Programs above the shell (the `docker` CLI, the services) are run
//! through the hooks the shell was handed, never imported.

use super::builtins;
use super::path::{find_program, standalone_applet, which_program, Program};
pub use super::path::{find_program_kind, identify_program, ProgramKind};
use super::process::Service;
use super::{Flavor, Flow, Shell};
use crate::binaries::Binary;
use crate::fs::Data;
use crate::userland::{coreutils, getopt, usage, users, Exit, Io, HOST_PROGRAMS};
use crate::vfs::{Ctx, Ns};
use crate::world::{ContainerId, Cred, World};

/// GNU `nohup COMMAND…`: the command run immune to hangups. Its output goes where it was going,
/// unless that is the terminal: then nohup says so and appends it to `nohup.out` (mode 600).
fn nohup(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let command = match argv.get(1).map(String::as_str) {
        Some("--") => argv.get(2..).unwrap_or_default(),
        _ => argv.get(1..).unwrap_or_default(),
    };
    let Some(name) = command.first() else {
        io.err_line("nohup: missing operand");
        io.err_line("Try 'nohup --help' for more information.");
        return Exit::Code(125);
    };
    if matches!(find_program_kind(world, sh, name), ProgramKind::Missing)
        || builtins::is_builtin(name) && !HOST_PROGRAMS.contains(&name.as_str())
    {
        io.err_line(&format!("nohup: failed to run command '{name}': No such file or directory"));
        return Exit::Code(127);
    }
    if !io.stdout_terminal {
        return exec(world, sh, command, env, io);
    }
    io.err_line("nohup: ignoring input and appending output to 'nohup.out'");
    let mut inner = Io::default();
    let status = exec(world, sh, command, env, &mut inner);
    let fresh = world.stat(&sh.ctx, "nohup.out", true).is_err();
    let kept = world.write_file(&sh.ctx, "nohup.out", &Data::from_bytes(&inner.out), crate::vfs::WriteMode::Append);
    if kept.is_ok() && fresh {
        let _ = world.set_meta(&sh.ctx, "nohup.out", true, &mut |i| i.mode = 0o600);
    }
    io.err_str(&String::from_utf8_lossy(&inner.err));
    status
}

/// Where the command of `env [-i] [NAME=VALUE]… [--] COMMAND…` starts, if it has one.
fn env_command_at(argv: &[String]) -> Option<usize> {
    let mut i = 1;
    while let Some(arg) = argv.get(i) {
        match arg.as_str() {
            "-i" | "-" | "--ignore-environment" => {}
            "-u" | "--unset" => i += 1,
            "--" => return (i + 1 < argv.len()).then_some(i + 1),
            a if a.contains('=') && !a.starts_with('=') => {}
            a if a.starts_with('-') => return None,
            _ => return Some(i),
        }
        i += 1;
    }
    None
}

/// `env … COMMAND ARG…`: runs the program (never a shell builtin) with the environment changed.
fn env_run(world: &mut World, sh: &mut Shell, gnu: bool, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let Some(at) = env_command_at(argv) else { return Exit::Code(0) };
    let mut vars: Vec<String> = env.to_vec();
    let mut unset_next = false;
    for arg in &argv[1..at] {
        if std::mem::take(&mut unset_next) {
            vars.retain(|v| v.split_once('=').map(|(n, _)| n) != Some(arg.as_str()));
            continue;
        }
        if arg == "-u" || arg == "--unset" {
            unset_next = true;
            continue;
        }
        match arg.split_once('=') {
            Some((name, _)) => {
                vars.retain(|v| v.split_once('=').map(|(n, _)| n) != Some(name));
                vars.push(arg.clone());
            }
            None if arg != "--" => vars.clear(),
            None => {}
        }
    }
    let name = &argv[at];
    match find_program(world, sh, name) {
        Program::Native(binary, called) => run_binary(world, sh, binary, &called, &argv[at..], &vars, io),
        Program::Denied | Program::NotExecutable(_) => {
            io.err_line(&if gnu {
                format!("env: '{name}': Permission denied")
            } else {
                format!("env: can't execute '{name}': Permission denied")
            });
            Exit::Code(126)
        }
        _ => {
            io.err_line(&if gnu {
                format!("env: '{name}': No such file or directory")
            } else {
                format!("env: can't execute '{name}': No such file or directory")
            });
            Exit::Code(127)
        }
    }
}

/// Runs an external program (anything that is not a builtin).
pub fn exec(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let name = argv[0].clone();
    let program = match find_program(world, sh, &name) {
        // Busybox's sh runs its own applets by name, linked on the PATH or not (oracle-09:
        // awk in the busybox image, which links 40 applets); a process started by Docker
        // does not find them.
        Program::NotFound if standalone_applet(world, sh, &name) => Program::Native(Binary::DebianBusybox, name.clone()),
        other => other,
    };
    match program {
        Program::Native(binary, called) => run_binary(world, sh, binary, &called, argv, env, io),
        Program::Script(text) => {
            if sh.depth >= super::process::MAX_DEPTH {
                io.err_line(&format!("{}{name}: nesting too deep", sh.err_prefix()));
                return Exit::Code(126);
            }
            let mut sub = Shell::new(sh.flavor, sh.ctx.clone(), env);
            sub.become_shell();
            sub.depth = sh.depth + 1;
            sub.docker = sh.docker;
            sub.services = sh.services;
            sub.main_process = sh.main_process;
            sub.in_job = sh.in_job;
            sub.positional = argv[1..].to_vec();
            sub.arg0 = Some(argv[0].clone());
            let body = text.split_once('\n').filter(|_| text.starts_with("#!")).map(|(_, b)| b.to_string()).unwrap_or(text);
            let code = match sub.run_script_file(world, &body, io) {
                Flow::Exit(c) | Flow::Return(c) => c,
                Flow::Block => {
                    super::resident::park(world, sub);
                    return Exit::Block;
                }
                Flow::Next | Flow::Break(_) | Flow::Continue(_) => sub.status,
            };
            Exit::Code(sub.exit_with_trap(world, code, io))
        }
        Program::NotFound => {
            match sh.flavor {
                Flavor::Bash if name.contains('/') => io.err_line(&format!("{}{name}: No such file or directory", sh.err_prefix())),
                Flavor::Bash => io.err_line(&format!("{}{name}: command not found", sh.err_prefix())),
                Flavor::Ash => io.err_line(&format!("sh: {name}: not found")),
                Flavor::Dash => io.err_line(&format!("sh: 1: {name}: not found")),
            }
            Exit::Code(127)
        }
        Program::Denied => {
            io.err_line(&format!("{}{name}: Permission denied", sh.err_prefix()));
            Exit::Code(126)
        }
        Program::NotExecutable(e) => {
            let code = if e == crate::fs::Errno::NoEnt { 127 } else { 126 };
            match sh.flavor {
                Flavor::Bash => io.err_line(&format!(
                    "{}{name}: {}",
                    sh.err_prefix(),
                    if e == crate::fs::Errno::Access { "Is a directory".to_string() } else { e.to_string() }
                )),
                Flavor::Ash | Flavor::Dash => io.err_line(&format!(
                    "{}{name}: {}",
                    sh.err_prefix(),
                    if e == crate::fs::Errno::NoEnt { "not found".to_string() } else { "Permission denied".to_string() }
                )),
            }
            Exit::Code(code)
        }
    }
}

/// Runs a binary the simulation implements; `called` is the name it was started by.
fn run_binary(world: &mut World, sh: &mut Shell, binary: Binary, called: &str, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    match binary {
        Binary::DebianBusybox | Binary::AlpineBusybox => run_program(world, sh, called, false, argv, env, io),
        Binary::Gnu(tool) => run_program(world, sh, tool, true, argv, env, io),
        Binary::Bash => run_shell(world, sh, Flavor::Bash, argv, env, io),
        Binary::Dash => run_shell(world, sh, Flavor::Dash, argv, env, io),
        Binary::Script(_) => Exit::Code(0),
        other => run_service(world, sh, Service::Binary(other), argv, env, io),
    }
}

/// Runs a known program by name: a GNU tool (`gnu`) or a busybox applet.
pub fn run_program(world: &mut World, sh: &mut Shell, applet: &str, gnu: bool, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    match applet {
        "sh" | "ash" if !gnu => run_shell(world, sh, Flavor::Ash, argv, env, io),
        "sh" | "bash" => run_shell(world, sh, Flavor::Bash, argv, env, io),
        "docker" if gnu => match sh.docker {
            Some(cli) => {
                // The client reads its own environment (`-e NAME` takes NAME's value from it):
                // the line's `NAME=value` prefixes are in it, for this command only.
                let (vars, exported) = (sh.vars.clone(), sh.exported.clone());
                for (k, v) in env.iter().filter_map(|kv| kv.split_once('=')) {
                    sh.vars.insert(k.to_string(), v.to_string());
                    sh.exported.insert(k.to_string());
                }
                let code = cli(world, sh, argv, io);
                (sh.vars, sh.exported) = (vars, exported);
                Exit::Code(code)
            }
            None => {
                io.err_line(&format!("{}docker: command not found", sh.err_prefix()));
                Exit::Code(127)
            }
        },
        "sudo" if gnu => sudo(world, sh, argv, env, io),
        // test and [ as programs (`/usr/bin/test`, `sudo test -f …`): the builtin's logic,
        // with the program's own credentials.
        "test" | "[" => Exit::Code(builtins::test_program(world, sh, applet, argv, io)),
        // busybox's `[[` applet is its `[` (oracle-72).
        "[[" if !gnu => Exit::Code(builtins::test_program(world, sh, "[[", argv, io)),
        "yes" => {
            // Endless in truth; it stops where a pipe's reader would have stopped reading:
            // what `head` takes, or a pipe buffer's worth (64 KiB) — 16 MiB at most.
            let word = if argv.len() > 1 { argv[1..].join(" ") } else { "y".to_string() };
            let line = format!("{word}\n");
            let len = line.len() as u64;
            let wanted = match io.reader_takes {
                Some((Some(lines), _)) => lines,
                Some((None, Some(bytes))) => bytes.div_ceil(len),
                _ => 0,
            };
            let times = (65_536 / len).max(wanted).min((16 << 20) / len).max(1) as usize;
            io.out_str(&line.repeat(times));
            Exit::Code(0)
        }
        "curl" if gnu => run_service(world, sh, Service::Curl, argv, env, io),
        "which" => Exit::Code(which_program(world, sh, gnu, argv, io)),
        "ps" if !gnu => Exit::Code(super::procs::ps(world, sh, argv, argv, io)),
        "pidof" if !gnu => Exit::Code(super::procs::pidof(world, sh, argv, io)),
        "killall" if !gnu => Exit::Code(super::procs::killall(world, sh, argv, io)),
        "nohup" if gnu => nohup(world, sh, argv, env, io),
        // `stdbuf -oL COMMAND`: buffering changes nothing a transcript or the terminal shows.
        "stdbuf" if gnu => {
            let at = argv.iter().skip(1).position(|a| !a.starts_with('-')).map_or(argv.len(), |k| k + 1);
            match argv.get(at..).filter(|c| !c.is_empty()) {
                Some(command) => exec(world, sh, command, env, io),
                None => {
                    io.err_line("stdbuf: missing operand");
                    io.err_line("Try 'stdbuf --help' for more information.");
                    Exit::Code(125)
                }
            }
        }
        "env" if env_command_at(argv).is_some() => env_run(world, sh, gnu, argv, env, io),
        "xargs" => xargs(world, sh, argv, env, io),
        // `tail -f` as a main process (`tail -f /dev/null` keeping a container alive) prints,
        // then waits for more for good; elsewhere it prints what there is (oracle-94).
        "tail" if sh.main_process && argv.iter().skip(1).any(|a| matches!(a.as_str(), "-f" | "-F" | "--follow")) => {
            let mut p = coreutils::Proc { world, ctx: sh.ctx.clone(), io, gnu, name: applet.to_string(), env: env.to_vec() };
            match coreutils::run(&mut p, argv) {
                0 => Exit::Block,
                code => Exit::Code(code),
            }
        }
        "find" if argv.iter().any(|a| a == "-exec" || a == "-execdir") => find_exec(world, sh, gnu, applet, argv, env, io),
        "timeout" => timeout(world, sh, gnu, argv, env, io),
        "su" if !gnu => su(world, sh, argv, env, io),
        "wget" if !gnu => run_service(world, sh, Service::Wget, argv, env, io),
        "busybox" if !gnu => {
            if argv.len() < 2 {
                io.out_str("BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n");
                return Exit::Code(0);
            }
            // `busybox ps` started by the runtime is a process of its own command line.
            if argv[1] == "ps" {
                return Exit::Code(super::procs::ps(world, sh, &argv[1..], argv, io));
            }
            run_program(world, sh, &argv[1].clone(), false, &argv[1..], env, io)
        }
        "sleep" => {
            let secs: f64 = argv.get(1).and_then(|a| a.trim_end_matches('s').parse().ok()).unwrap_or(-1.0);
            if secs < 0.0 {
                let a = argv.get(1).cloned().unwrap_or_default();
                // GNU sleep reads `-x` as an option (getopt), busybox as a bad number.
                let option = a.strip_prefix('-').and_then(|o| o.chars().next()).filter(|_| gnu);
                if let Some(o) = option {
                    io.err.extend(getopt::message("sleep", &getopt::Foreign::Short(getopt::first_byte(o))));
                    io.err_line("Try 'sleep --help' for more information.");
                } else if argv.len() < 2 {
                    io.err_line(if gnu {
                        "sleep: missing operand"
                    } else {
                        "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: sleep [N]..."
                    });
                } else if gnu {
                    io.err_line(&format!("sleep: invalid time interval \u{2018}{a}\u{2019}"));
                    io.err_line("Try 'sleep --help' for more information.");
                } else {
                    io.err_line(&format!("sleep: invalid number '{a}'"));
                }
                return Exit::Code(1);
            }
            let exit = super::resident::sleep(world, sh, secs);
            // Taken at once, the sleep moved the clock: what is written next is later. Put
            // off, the shell waits in it (`docker top` shows it).
            match exit {
                Exit::Code(0) => io.clock_moved(world.clock().nanos),
                Exit::Block => sh.asleep_in = Some(argv.to_vec()),
                _ => {}
            }
            exit
        }
        _ => {
            // A container's `/proc/self` names the program while it runs (the host's /proc
            // holds no such file).
            let in_container = sh.ctx.ns != crate::vfs::Ns::Host;
            if in_container {
                let pid = super::procs::pid_it_would_take(world, sh);
                world.set_task(Some((applet.to_string(), pid)));
            }
            let mut p = coreutils::Proc { world, ctx: sh.ctx.clone(), io, gnu, name: applet.to_string(), env: env.to_vec() };
            let code = coreutils::run(&mut p, argv);
            if in_container {
                p.world.set_task(None);
            }
            Exit::Code(code)
        }
    }
}

/// `find … -exec COMMAND {} ;` (or `{} +`): find walks and prints, then the commands it asked
/// for run, in order with its output.
fn find_exec(world: &mut World, sh: &mut Shell, gnu: bool, applet: &str, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let mut p = coreutils::Proc { world, ctx: sh.ctx.clone(), io, gnu, name: applet.to_string(), env: env.to_vec() };
    let (steps, mut status) = coreutils::find::find_steps(&mut p, &argv[1..]);
    for step in steps {
        match step {
            coreutils::find::Step::Out(bytes) => io.write_out(&bytes),
            coreutils::find::Step::Err(line) => io.err_line(&line),
            coreutils::find::Step::Exec(command, batch) => {
                if let Exit::Code(c) = exec(world, sh, &command, env, io) {
                    if c != 0 && batch {
                        status = 1;
                    }
                }
            }
        }
    }
    Exit::Code(status)
}

/// Runs a service through the hook the shell was handed.
fn run_service(world: &mut World, sh: &mut Shell, service: Service, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    match sh.services {
        Some(services) => services(world, sh, service, argv, env, io),
        None => {
            let name = argv.first().map_or("", |a| a.rsplit('/').next().unwrap_or(a));
            io.err_line(&format!("{}{name}: command not found", sh.err_prefix()));
            Exit::Code(127)
        }
    }
}

/// `xargs [-n N] [-I R] [COMMAND [ARG…]]`: COMMAND (`echo` when none) with the words of stdin
/// as more arguments, N at a time, or once per input line with R replaced by it; 123 when a run
/// failed, 127 when the command is missing (oracle-40, oracle-41).
fn xargs(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let mut per: Option<usize> = None;
    let mut replace: Option<String> = None;
    let mut at = 1;
    let mut nul = false;
    while let Some(a) = argv.get(at) {
        match a.as_str() {
            "-n" => {
                per = argv.get(at + 1).and_then(|v| v.parse().ok()).filter(|n| *n > 0);
                at += 2;
            }
            // `-0`: items end with a NUL, taken as they are (`find -print0 | xargs -0`).
            "-0" | "--null" => {
                nul = true;
                at += 1;
            }
            "--" => {
                at += 1;
                break;
            }
            "-I" => {
                replace = argv.get(at + 1).cloned();
                at += 2;
            }
            a if a.starts_with("-I") => {
                replace = a.get(2..).map(str::to_string);
                at += 1;
            }
            a if a.starts_with("-n") => {
                per = a.get(2..).and_then(|v| v.parse().ok()).filter(|n| *n > 0);
                at += 1;
            }
            // Other options (-r, -t, …) change nothing the simulation shows.
            a if a.starts_with('-') && a.len() > 1 => at += 1,
            _ => break,
        }
    }
    let command: Vec<String> = match argv.get(at..) {
        Some(rest) if !rest.is_empty() => rest.to_vec(),
        _ => vec!["echo".to_string()],
    };
    if matches!(find_program_kind(world, sh, &command[0]), ProgramKind::Missing) {
        io.err_line(&format!("xargs: {}: No such file or directory", command[0]));
        return Exit::Code(127);
    }
    let input = String::from_utf8_lossy(&std::mem::take(&mut io.stdin)).into_owned();
    let runs: Vec<Vec<String>> = match &replace {
        // One run per non-blank line, the line put where the mark is.
        Some(mark) => input
            .lines()
            .map(str::trim_start)
            .filter(|l| !l.is_empty())
            .map(|line| command.iter().map(|a| a.replace(mark.as_str(), line)).collect())
            .collect(),
        None => {
            let words = if nul { input.split('\0').filter(|w| !w.is_empty()).map(str::to_string).collect() } else { xargs_words(&input) };
            let batches: Vec<&[String]> = match per {
                Some(n) if !words.is_empty() => words.chunks(n).collect(),
                _ => vec![&words[..]],
            };
            batches.into_iter().map(|b| command.iter().chain(b).cloned().collect()).collect()
        }
    };
    let mut status = 0;
    for full in runs {
        if !world.take_step() {
            break;
        }
        let mut child = Io::default();
        let code = match exec(world, sh, &full, env, &mut child) {
            Exit::Code(c) => c,
            Exit::Block => 0,
        };
        io.append(&child, |err| err);
        if code != 0 {
            status = 123;
        }
    }
    Exit::Code(status)
}

/// `timeout DURATION COMMAND…`: the command, stopped when it would outlast DURATION. Only
/// `sleep` takes simulated time, so a longer sleep is what times out: GNU's status is 124,
/// busybox's shell reports the TERM signal, 143 (oracle-47).
fn timeout(world: &mut World, sh: &mut Shell, gnu: bool, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let seconds = |s: &str| -> Option<f64> {
        let (number, unit) = match s.char_indices().last() {
            Some((at, c @ ('s' | 'm' | 'h' | 'd'))) => (s.get(..at)?, c),
            _ => (s, 's'),
        };
        let n: f64 = number.parse().ok()?;
        Some(
            n * match unit {
                'm' => 60.0,
                'h' => 3600.0,
                'd' => 86400.0,
                _ => 1.0,
            },
        )
    };
    let mut at = 1;
    while argv.get(at).is_some_and(|a| a.starts_with('-') && a.len() > 1) {
        // -s SIGNAL and -k DURATION take a value; other options none.
        at += if matches!(argv[at].as_str(), "-s" | "-k") { 2 } else { 1 };
    }
    let Some(limit) = argv.get(at).and_then(|d| seconds(d)) else {
        let d = argv.get(at).cloned().unwrap_or_default();
        if gnu {
            io.err_line(&format!("timeout: invalid time interval \u{2018}{d}\u{2019}"));
            io.err_line("Try 'timeout --help' for more information.");
            return Exit::Code(125);
        }
        io.err_line(&format!("timeout: invalid number '{d}'"));
        return Exit::Code(1);
    };
    let command = argv.get(at + 1..).unwrap_or_default();
    if command.is_empty() {
        io.err_line("timeout: missing operand");
        return Exit::Code(125);
    }
    let sleeps = command.first().is_some_and(|c| c == "sleep") && command.get(1).and_then(|s| seconds(s)).is_some_and(|s| s > limit);
    if sleeps {
        world.advance_clock((limit.min(5.0) * 1000.0) as i64);
        if gnu {
            return Exit::Code(124);
        }
        io.err_line("Terminated");
        return Exit::Code(143);
    }
    exec(world, sh, command, env, io)
}

/// Busybox's `su [-] [USER] [-c COMMAND]`, as root: COMMAND run by the user's login shell
/// (`/bin/false` and nologin accounts run nothing), with the user's credentials (oracle-42).
fn su(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let mut user = "root".to_string();
    let mut command = None;
    let mut at = 1;
    while let Some(a) = argv.get(at) {
        match a.as_str() {
            "-" | "-l" | "--login" | "-m" | "-p" => {}
            "-c" => {
                command = argv.get(at + 1).cloned();
                at += 1;
            }
            other => user = other.to_string(),
        }
        at += 1;
    }
    let Some(entry) = users::passwd(world, &sh.ctx).into_iter().find(|e| e.name == user) else {
        io.err_line(&format!("su: unknown user {user}"));
        return Exit::Code(1);
    };
    if sh.ctx.cred.uid != 0 {
        io.err_line("su: incorrect password");
        return Exit::Code(1);
    }
    let Ok((cred, home)) = users::resolve_user(world, &sh.ctx, &user) else { return Exit::Code(1) };
    let mut child = sh.clone();
    child.ctx.cred = cred;
    child.vars.insert("HOME".into(), home);
    match entry.shell.rsplit('/').next().unwrap_or("") {
        "sh" | "ash" | "bash" | "dash" => {
            let argv: Vec<String> = match command {
                Some(c) => vec!["sh".into(), "-c".into(), c],
                None => vec!["sh".into()],
            };
            run_shell(world, &mut child, Flavor::Ash, &argv, env, io)
        }
        "nologin" => {
            io.out_str("This account is not available\n");
            Exit::Code(1)
        }
        _ => Exit::Code(1),
    }
}

/// The words xargs reads: split at blanks and newlines, with quotes and backslashes as the
/// shell reads them.
fn xargs_words(input: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let (mut quote, mut started, mut escaped) = (None, false, false);
    for c in input.chars() {
        match (quote, c) {
            _ if escaped => {
                word.push(c);
                escaped = false;
            }
            (None, '\\') => {
                escaped = true;
                started = true;
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (Some(q), _) if c == q => quote = None,
            (None, _) if c.is_whitespace() => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            _ => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

fn run_shell(world: &mut World, sh: &mut Shell, flavor: Flavor, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    if sh.depth >= super::process::MAX_DEPTH {
        io.err_line(&format!("{}nesting too deep", sh.err_prefix()));
        return Exit::Code(126);
    }
    let mut sub = Shell::new(flavor, sh.ctx.clone(), env);
    sub.become_shell();
    sub.depth = sh.depth + 1;
    sub.docker = sh.docker;
    sub.services = sh.services;
    sub.main_process = sh.main_process;
    sub.detached_exec = sh.detached_exec;
    sub.in_job = sh.in_job;
    sub.procs = super::procs::started(world, sh, argv);
    let args = &argv[1..];
    let script = if args.first().map(String::as_str) == Some("-c") {
        match args.get(1) {
            Some(s) => {
                // `$0` is the name the shell was started by (`ash`, `dash`, `/bin/sh`), unless
                // `-c` was given one.
                sub.arg0 = args.get(2).cloned().or_else(|| argv.first().filter(|a| a.as_str() != sub.name()).cloned());
                sub.positional = args.iter().skip(3).cloned().collect();
                sub.runs_tail_in_place = true;
                s.clone()
            }
            None => {
                io.err_line(&format!("{}-c: option requires an argument", sub.name()));
                return Exit::Code(2);
            }
        }
    } else if let Some(file) = args.first() {
        // `sh FILE ARG…`: `$0` is the file as named, the rest its arguments.
        sub.arg0 = Some(file.clone());
        sub.positional = args[1..].to_vec();
        match world.read(&sh.ctx, file) {
            Ok(d) => String::from_utf8_lossy(&d.to_vec()).into_owned(),
            Err(e) => {
                io.err_line(&format!("{}: can't open '{file}': {e}", sub.name()));
                return Exit::Code(2);
            }
        }
    } else {
        String::from_utf8_lossy(&std::mem::take(&mut io.stdin)).into_owned()
    };
    let flow = if sub.runs_tail_in_place { sub.run_script(world, &script, io) } else { sub.run_script_file(world, &script, io) };
    let code = match flow {
        Flow::Exit(c) | Flow::Return(c) => c,
        Flow::Block => {
            super::resident::park(world, sub);
            return Exit::Block;
        }
        Flow::Next | Flow::Break(_) | Flow::Continue(_) => sub.status,
    };
    Exit::Code(sub.exit_with_trap(world, code, io))
}

fn sudo(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let Some((how, args)) = sudo_options(&argv[1..], io) else { return Exit::Code(1) };
    let args = &args[..];
    if args.is_empty() {
        // `sudo -k` and `sudo -v` (no password is kept, none is asked for) do nothing more.
        if how.alone_ok {
            return Exit::Code(0);
        }
        io.err_line("usage: sudo -h | -K | -k | -V");
        return Exit::Code(1);
    }
    let mut root = sh.clone();
    root.ctx.cred = Cred::root();
    if how.user.is_some() || how.group.is_some() {
        // `-g` alone keeps the user who asked.
        let own = sh.ctx.cred.uid.to_string();
        let spec = how.user.as_deref().unwrap_or(&own);
        let spec = spec.strip_prefix('#').unwrap_or(spec);
        let Ok((mut cred, home)) = crate::users::resolve_user(world, &root.ctx, spec) else {
            io.err_line(&format!("sudo: unknown user {spec}"));
            io.err_line("sudo: error initializing audit plugin sudoers_audit");
            return Exit::Code(1);
        };
        if let Some(g) = &how.group {
            let Some(gid) = crate::users::gid_of(world, &root.ctx, g) else {
                io.err_line(&format!("sudo: unknown group {g}"));
                io.err_line("sudo: error initializing audit plugin sudoers_audit");
                return Exit::Code(1);
            };
            let rest: Vec<u32> = cred.groups.iter().copied().filter(|x| *x != gid).collect();
            cred.gid = gid;
            cred.groups = std::iter::once(gid).chain(rest).collect();
        }
        root.ctx.cred = cred;
        root.vars.insert("HOME".into(), home);
    }
    // `-i`: a login shell of the target user, in its home; `-s`: a shell, where it is.
    if how.login {
        let home = if root.ctx.cred.uid == 0 { "/root".to_string() } else { root.vars.get("HOME").cloned().unwrap_or_default() };
        root.ctx.cwd = home;
    }
    let name = args[0].clone();
    if builtins::is_builtin(&name) && !matches!(name.as_str(), "echo" | "printf" | "pwd" | "true" | "false" | "test" | "[") {
        io.err_line(&format!("sudo: {name}: command not found"));
        return Exit::Code(1);
    }
    match find_program(world, &root, &name) {
        Program::Native(binary, called) => run_binary(world, &mut root, binary, &called, args, env, io),
        _ => {
            io.err_line(&format!("sudo: {name}: command not found"));
            Exit::Code(1)
        }
    }
}

/// What sudo's options ask for.
#[derive(Default)]
struct SudoHow {
    user: Option<String>,
    group: Option<String>,
    login: bool,
    /// `-k`, `-K` or `-v`: nothing to run is fine.
    alone_ok: bool,
}

/// sudo's options (`-u USER`, `-g GROUP`, `-i`, `-s`, and those that change nothing here:
/// `-H -E -n -k -v -S -P -b`), and the command after them; a wrong one refused with sudo's
/// words and usage.
fn sudo_options(args: &[String], io: &mut Io) -> Option<(SudoHow, Vec<String>)> {
    let mut how = SudoHow::default();
    let mut i = 0;
    let refuse = |io: &mut Io, first: String| {
        io.err_line(&first);
        io.err_line(usage::SUDO);
    };
    while let Some(a) = args.get(i) {
        i += 1;
        if a == "--" {
            break;
        }
        if let Some(v) = a.strip_prefix("--user=") {
            how.user = Some(v.to_string());
            continue;
        }
        if let Some(v) = a.strip_prefix("--group=") {
            how.group = Some(v.to_string());
            continue;
        }
        let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty() && !a.starts_with("--")) else {
            i -= 1;
            break;
        };
        for (at, c) in cluster.char_indices() {
            match c {
                'u' | 'g' => {
                    let inline = cluster.get(at + 1..).unwrap_or_default();
                    let value = if inline.is_empty() {
                        i += 1;
                        args.get(i - 1).cloned()
                    } else {
                        Some(inline.to_string())
                    };
                    let Some(value) = value else {
                        refuse(io, format!("sudo: option requires an argument -- '{c}'"));
                        return None;
                    };
                    if c == 'u' {
                        how.user = Some(value);
                    } else {
                        how.group = Some(value);
                    }
                    break;
                }
                'i' => how.login = true,
                'k' | 'K' | 'v' => how.alone_ok = true,
                's' | 'H' | 'E' | 'n' | 'S' | 'P' | 'b' | 'A' | 'B' | 'N' => {}
                other => {
                    // getopt walks bytes: a non-ASCII letter is refused by its first byte.
                    io.err.extend(getopt::message("sudo", &getopt::Foreign::Short(getopt::first_byte(other))));
                    io.err_line(usage::SUDO);
                    return None;
                }
            }
        }
    }
    Some((how, args.get(i..).unwrap_or_default().to_vec()))
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
    let root_ctx = Ctx::root(Ns::Container(id.clone()));
    let user = user.unwrap_or(&c.user);
    let (mut cred, home) = if user.is_empty() { (Cred::root(), "/root".to_string()) } else { users::resolve_user(world, &root_ctx, user)? };
    cred.bounding = c.host.caps();
    // `--group-add`: by number, or by a name in the image's /etc/group.
    for g in &c.host.group_add {
        let gid = g.parse::<u32>().ok().or_else(|| users::groups(world, &root_ctx).iter().find(|e| e.name == *g).map(|e| e.gid));
        if let Some(gid) = gid.filter(|gid| !cred.groups.contains(gid)) {
            cred.groups.push(gid);
        }
    }
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
    let mut sh = Shell::new(Flavor::Ash, ctx, &env);
    sh.environ_order = Some(env.iter().map(|e| e.split('=').next().unwrap_or_default().to_string()).collect());
    Ok(sh)
}
