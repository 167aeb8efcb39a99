//! The builtins scripts lean on: `break` and `continue`, `shift`, `local`, `eval`, `exec`,
//! `let`, `declare`/`typeset`/`readonly`, `wait` and `kill` (oracle-49); `trap` and `getopts`
//! (`traps.rs`, oracle-57).

use super::process::{Flavor, Flow, Shell};
use crate::userland::Io;
use crate::vfs::Ns;
use crate::world::World;

/// Runs `argv` if it is one of these builtins.
pub fn run(sh: &mut Shell, world: &mut World, argv: &[String], io: &mut Io) -> Option<Flow> {
    if !super::builtins::SCRIPT_BUILTINS.contains(&argv[0].as_str()) {
        return None;
    }
    let args = &argv[1..];
    let status = match argv[0].as_str() {
        "trap" => super::traps::trap(sh, args, io),
        "getopts" => super::traps::getopts(sh, args, io),
        name @ ("break" | "continue") => {
            let n = args.first().and_then(|a| a.parse::<u32>().ok()).unwrap_or(1).max(1);
            if sh.loops == 0 {
                if sh.flavor == Flavor::Bash {
                    io.err_line(&format!("{}{name}: only meaningful in a `for', `while', or `until' loop", sh.err_prefix()));
                }
                0
            } else {
                sh.status = 0;
                return Some(if name == "break" { Flow::Break(n) } else { Flow::Continue(n) });
            }
        }
        "shift" => {
            let n = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
            if n > sh.positional.len() {
                1
            } else {
                sh.positional.drain(..n);
                0
            }
        }
        "local" => {
            if sh.calls == 0 {
                io.err_line(&format!("{}local: can only be used in a function", sh.err_prefix()));
                1
            } else {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    let (name, value) = a.split_once('=').map_or((a.as_str(), None), |(n, v)| (n, Some(v.to_string())));
                    let old = sh.vars.get(name).cloned();
                    if let Some(frame) = sh.locals.last_mut() {
                        if !frame.iter().any(|(n, _)| n == name) {
                            frame.push((name.to_string(), old));
                        }
                    }
                    sh.vars.insert(name.to_string(), value.unwrap_or_default());
                }
                0
            }
        }
        "eval" => {
            let script = args.join(" ");
            return Some(sh.run_script(world, &script, io));
        }
        "exec" => {
            // The shell is replaced: the command's end is the shell's.
            if args.is_empty() {
                0
            } else {
                let env = sh.env_list();
                return Some(match super::launch::exec(world, sh, args, &env, io) {
                    crate::userland::Exit::Code(c) => {
                        sh.status = c;
                        Flow::Exit(c)
                    }
                    crate::userland::Exit::Block => {
                        // The program sleeps in the shell's place: when it ends, so does the shell.
                        sh.resume.push(super::frames::Frame::Exec);
                        Flow::Block
                    }
                });
            }
        }
        "let" => {
            let mut last = 0;
            for a in args {
                let Some(v) = crate::userland::arith::eval_mut(a, &mut super::process::ShellVars(sh)) else {
                    io.err_line(&format!("{}let: {a}: syntax error in expression", sh.err_prefix()));
                    return Some(status_flow(sh, 1));
                };
                last = v;
            }
            i32::from(last == 0)
        }
        "declare" | "typeset" | "readonly" => {
            let export = args.iter().any(|a| a.starts_with('-') && a.contains('x'));
            let array = args.iter().find(|a| a.starts_with('-') && (a.contains('a') || a.contains('A')));
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                if let Some(flags) = array {
                    sh.declare_array(a.split('=').next().unwrap_or(a), flags.contains('A'));
                    continue;
                }
                let (name, value) = a.split_once('=').map_or((a.as_str(), None), |(n, v)| (n, Some(v)));
                if let Some(v) = value {
                    sh.vars.insert(name.to_string(), v.to_string());
                } else {
                    sh.vars.entry(name.to_string()).or_default();
                }
                if export {
                    sh.exported.insert(name.to_string());
                }
            }
            0
        }
        "wait" => match super::jobs::wait(sh, world, args, io) {
            Some(status) => status,
            None => return Some(Flow::Block),
        },
        "jobs" => super::jobs::list(sh, args, io),
        "fg" | "bg" => super::jobs::no_job_control(sh, &argv[0], io),
        "kill" => kill(sh, world, args, io),
        _ => return None,
    };
    Some(status_flow(sh, status))
}

fn status_flow(sh: &mut Shell, status: i32) -> Flow {
    sh.status = status;
    Flow::Next
}

/// `kill [-SIGNAL] PID…`: the only processes are containers' main processes, which belong to
/// root (or the container's user): others may not signal them.
fn kill(sh: &mut Shell, world: &mut World, args: &[String], io: &mut Io) -> i32 {
    // The signal comes first (`-9`, `-TERM`, `-s TERM`, `-n 9`); the rest are targets.
    let (skip, spec) = match args.first().map(String::as_str) {
        Some("-s" | "-n") => (2, args.get(1).map(String::as_str)),
        Some(a) if a.starts_with('-') && a.len() > 1 => (1, a.get(1..)),
        _ => (0, None),
    };
    let signal = spec.map_or(Some("TERM"), super::resident::signal_name);
    let targets: Vec<&String> = args.iter().skip(skip).collect();
    if targets.is_empty() {
        io.err_line(&format!(
            "{}kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]",
            sh.err_prefix()
        ));
        return 2;
    }
    let mut status = 0;
    let in_container = matches!(sh.ctx.ns, crate::vfs::Ns::Container(_));
    let visible = super::procs::visible(world, sh);
    for t in targets {
        // A job: it is done already here; killing it ends its wait.
        if let Some(job) = super::jobs::find(sh, t) {
            sh.jobs.remove(job);
            continue;
        }
        if let (true, Ns::Container(id)) = (in_container, &sh.ctx.ns) {
            match t.parse::<u32>() {
                // Pid 1 ignores what it has no handler for (KILL too, from inside); a main
                // process asleep runs its trap for the signal when it wakes (oracle-88). The
                // shells running this end with it.
                Ok(1) if visible.iter().any(|l| l.pid == 1) => {
                    if let Some(signal) = signal.filter(|s| *s != "KILL") {
                        super::resident::note_signal(world, &id.clone(), signal);
                    }
                }
                Ok(pid) if visible.iter().any(|l| l.pid == pid) => {}
                Ok(pid) => {
                    let prefix = if sh.flavor == super::Flavor::Ash { "sh: ".to_string() } else { sh.err_prefix() };
                    io.err_line(&format!("{prefix}can't kill pid {pid}: No such process"));
                    status = 1;
                }
                Err(_) => {
                    io.err_line(&format!("{}kill: {t}: arguments must be process or job IDs", sh.err_prefix()));
                    status = 1;
                }
            }
            continue;
        }
        let found = t
            .parse::<u32>()
            .ok()
            .filter(|pid| *pid > 0)
            .and_then(|pid| world.containers().iter().find(|c| c.pid == pid && c.status == crate::world::Status::Running));
        let why = match (t.starts_with('%'), found) {
            (true, _) => format!("{t}: no such job"),
            (false, Some(_)) if sh.ctx.cred.uid != 0 => format!("({t}) - Operation not permitted"),
            (false, Some(_)) => format!("({t}) - the simulation does not signal a container's process; use docker stop or docker kill"),
            (false, None) if t.parse::<u32>().is_ok() => format!("({t}) - No such process"),
            (false, None) => format!("{t}: arguments must be process or job IDs"),
        };
        io.err_line(&format!("{}kill: {why}", sh.err_prefix()));
        status = 1;
    }
    status
}
