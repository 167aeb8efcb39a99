//! A shell as a process: its dialect, its context (namespace, credentials, working
//! directory), its variables, and the hooks to the programs above it. The interpreter
//! (`exec.rs`), the builtins and the launcher all work on this value; a program that starts a
//! shell makes one and runs its script, which is how the shell's recursion goes without a
//! circle of imports.

use std::collections::{BTreeMap, BTreeSet};

use super::ast::Command;
use crate::userland::Io;
use crate::vfs::{Ctx, Ns};
use crate::world::World;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// GNU bash 5.2 on the host (`bash -c`, so errors say `bash: line 1:`).
    Bash,
    /// BusyBox 1.35 ash inside a container.
    Ash,
    /// Debian's dash 0.5.12, `/bin/sh` of the Debian-based images (`sh -c`, so errors say `sh: 1:`).
    Dash,
}

/// How a list of commands ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Next,
    /// `exit N`, or an error that ends the shell.
    Exit(i32),
    /// The container's main process went to sleep for good (it keeps running).
    Block,
    /// `return N` in a function: ends the call.
    Return(i32),
    /// `break N` / `continue N`: leaves N enclosing loops, or goes on with the Nth one.
    Break(u32),
    Continue(u32),
}

/// How deeply shells, substitutions and `docker run` may nest.
pub const MAX_DEPTH: u32 = 24;

/// The `docker` command. Programs run it but do not own it: the CLI sits above them, so the
/// engine hands it to the host's shell (and subshells inherit it); a container's shell has none.
pub type DockerCli = fn(&mut World, &mut Shell, &[String], &mut Io) -> i32;

/// A program of the services (nginx, PostgreSQL, Python and pip, curl and wget), which sit
/// above the shell: they run scripts and programs through it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// A service binary found on the PATH (`nginx`, `docker-entrypoint.sh`, `python3` …).
    Binary(crate::binaries::Binary),
    /// The host's curl.
    Curl,
    /// Busybox's wget applet.
    Wget,
}

/// The services, handed in like the `docker` CLI: by the engine to the host's shell, by the CLI
/// to a container's; subshells inherit them. A shell without them finds no such program.
pub type Services = fn(&mut World, &mut Shell, Service, &[String], &[String], &mut Io) -> crate::userland::Exit;

/// An array's elements by index or by key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShellArray {
    Indexed(BTreeMap<i64, String>),
    Assoc(BTreeMap<String, String>),
}

impl ShellArray {
    pub fn values(&self) -> Vec<String> {
        match self {
            ShellArray::Indexed(m) => m.values().cloned().collect(),
            ShellArray::Assoc(m) => m.values().cloned().collect(),
        }
    }
    pub fn keys(&self) -> Vec<String> {
        match self {
            ShellArray::Indexed(m) => m.keys().map(i64::to_string).collect(),
            ShellArray::Assoc(m) => m.keys().cloned().collect(),
        }
    }
}

/// The options of `set` the simulation honours (the others are accepted and change nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `-e`: a failing command ends the shell, unless its status is being tested.
    pub errexit: bool,
    /// `-u`: expanding an unset parameter is an error that ends the shell.
    pub nounset: bool,
    /// `-x`: each command is written to stderr, expanded, before it runs.
    pub xtrace: bool,
    /// `-o pipefail`: a pipeline fails with its last failing command's status.
    pub pipefail: bool,
}

/// A job sent to the background (`jobs.rs` runs it): its number, pid and text, what it wrote, how it ended.
#[derive(Clone, Debug)]
pub struct Job {
    pub number: usize,
    pub pid: u32,
    pub text: String,
    pub out: Vec<u8>,
    pub err: Vec<u8>,
    pub status: i32,
    /// When it ends on the clock: it ran at once, in its own time (its sleeps).
    pub ends_at: i128,
    /// A detached main process's job asleep (a loop with a sleep): its shell, taken up again
    /// at its wake-up with the main process (`sleepers.rs`).
    pub parked: Option<Box<Shell>>,
}

/// A process as a container's `ps` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcLine {
    pub pid: u32,
    pub uid: u32,
    pub gid: u32,
    /// Its command line, the arguments joined by spaces.
    pub args: String,
}

#[derive(Clone, Debug)]
pub struct Shell {
    pub flavor: Flavor,
    pub ctx: Ctx,
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub status: i32,
    pub positional: Vec<String>,
    /// This shell is a container's main process: a long `sleep` keeps it running.
    pub main_process: bool,
    pub depth: u32,
    /// `$0`: the shell's name, or the first argument after `sh -c SCRIPT`.
    pub arg0: Option<String>,
    /// Defined with `alias`. Kept and listed, never expanded: `bash -c` does not expand
    /// aliases, and each line on the host is one `bash -c`.
    pub aliases: BTreeMap<String, String>,
    /// The `docker` CLI, where this shell can run it.
    pub docker: Option<DockerCli>,
    /// The services, where this shell can run them.
    pub services: Option<Services>,
    /// Functions defined in this shell, and how deep calls are nested now.
    pub functions: BTreeMap<String, Command>,
    pub calls: u32,
    /// Loops the running command is inside (`break` outside one does nothing).
    pub loops: u32,
    /// What `set` turned on.
    pub options: Options,
    /// Command substitutions the running command is inside: `set -x` marks its trace with
    /// one `+` more for each.
    pub subshells: u32,
    /// Conditions (`if`, `while`, all but the last of `&&`/`||`) the running command is inside.
    pub testing: u32,
    /// Per function call, the variables `local` shadows and their values before.
    pub locals: Vec<Vec<(String, Option<String>)>>,
    /// The host's shell at the web terminal's prompt (an interactive bash), not `bash -c`.
    pub interactive: bool,
    /// Arrays by name (bash).
    pub arrays: BTreeMap<String, ShellArray>,
    /// `trap` actions by signal name (`EXIT`, `INT`…).
    pub traps: BTreeMap<String, String>,
    /// The paths of `<(…)` the running command reads (removed when it ends).
    pub substituted: Vec<String>,
    /// The paths of `>(…)` the running command writes, with the command each feeds (run when
    /// the writer ends).
    pub(super) sinks: Vec<(String, String)>,
    /// Where `getopts` stands: the OPTIND it left and the letter within that argument.
    pub getopts_at: (usize, usize),
    /// In a container: this shell's process and the ones it descends from, outermost first.
    pub procs: Vec<ProcLine>,
    /// The pid the next program started here takes in place of forking: set where the runtime
    /// starts a process (a container's main process is 1, `docker exec` takes a new one).
    pub launch_pid: Option<u32>,
    /// The command running now is the last of a `-c` script: busybox sh runs it in place of
    /// itself, in its own process, as it does any last command.
    pub tail: bool,
    /// Started with `-c`: its last command may run in place (see `tail`).
    pub runs_tail_in_place: bool,
    /// The jobs sent to the background and not waited for yet (see `jobs.rs`).
    pub(super) jobs: Vec<Job>,
    /// `$!`: the pid of the last job sent to the background.
    pub(super) last_background: Option<u32>,
    /// A main process's sleep that outlasts the present: when it ends (see `resume.rs`).
    pub wake: Option<super::frames::Wake>,
    /// What the shell goes on with when it wakes, innermost first.
    pub(super) resume: Vec<super::frames::Frame>,
    /// It slept somewhere it cannot be taken up again from (a pipeline, a subshell): it
    /// sleeps for good.
    pub(super) resume_broken: bool,
    /// Runs in a background job: it never stands for the container's main process.
    pub(super) in_job: bool,
    /// The subshells that slept, innermost last (see `Frame::Subshell`).
    pub(super) subshells_asleep: Vec<Shell>,
    /// The first stages of pipelines that slept (see [`Frame::Pipeline`]).
    pub(super) producers_asleep: Vec<Shell>,
    /// A process `docker exec -d` started: asleep, it waits in its container's `execs`.
    pub(super) detached_exec: bool,
    /// The program a sleeping shell waits in (`sleep 1`).
    pub(super) asleep_in: Option<Vec<String>>,
    /// What `exec` without a command redirected for good (`exec 2>&1`): every command after
    /// it starts from them (a file it named is appended to, opened once by `exec`).
    pub(super) standing_redirs: Vec<super::ast::Redir>,
    /// Set where the runtime starts a process without a shell: the order it wrote the
    /// environment in, which that process gets as it is.
    pub environ_order: Option<Vec<String>>,
}

impl Shell {
    pub fn new(flavor: Flavor, ctx: Ctx, env: &[String]) -> Shell {
        let mut vars = BTreeMap::new();
        let mut exported = BTreeSet::new();
        for kv in env {
            if let Some((k, v)) = kv.split_once('=') {
                vars.insert(k.to_string(), v.to_string());
                exported.insert(k.to_string());
            }
        }
        // Only a shell process exports PWD (`become_shell`); a program Docker starts directly
        // has none (oracle-55).
        vars.insert("PWD".into(), ctx.cwd.clone());
        Shell {
            flavor,
            ctx,
            vars,
            exported,
            status: 0,
            positional: Vec::new(),
            main_process: false,
            depth: 0,
            arg0: None,
            aliases: BTreeMap::new(),
            docker: None,
            services: None,
            functions: BTreeMap::new(),
            calls: 0,
            loops: 0,
            options: Options::default(),
            subshells: 0,
            testing: 0,
            locals: Vec::new(),
            interactive: false,
            arrays: BTreeMap::new(),
            traps: BTreeMap::new(),
            getopts_at: (0, 0),
            substituted: Vec::new(),
            sinks: Vec::new(),
            procs: Vec::new(),
            launch_pid: None,
            tail: false,
            runs_tail_in_place: false,
            jobs: Vec::new(),
            last_background: None,
            wake: None,
            resume: Vec::new(),
            resume_broken: false,
            in_job: false,
            subshells_asleep: Vec::new(),
            producers_asleep: Vec::new(),
            asleep_in: None,
            detached_exec: false,
            standing_redirs: Vec::new(),
            environ_order: None,
        }
    }

    /// What a shell process does to its environment when it starts: it exports PWD and (bash
    /// and busybox ash, not dash) one more SHLVL than it was given.
    pub fn become_shell(&mut self) {
        if self.flavor != Flavor::Dash {
            let level = self.vars.get("SHLVL").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0) + 1;
            self.vars.insert("SHLVL".into(), level.to_string());
            self.exported.insert("SHLVL".into());
        }
        self.exported.insert("PWD".into());
        // bash's `$_` starts as the path it was run by, then follows each command's last word.
        if self.flavor == Flavor::Bash {
            self.vars.insert("_".into(), "/usr/bin/bash".into());
        }
    }

    /// The host shell of `student`, as in `ENVIRONMENT.md` §1.
    pub fn host(cwd: &str) -> Shell {
        let env: Vec<String> = [
            "HOME=/home/student",
            "USER=student",
            "LOGNAME=student",
            "SHELL=/bin/bash",
            "LANG=C.UTF-8",
            "TZ=UTC",
            "TERM=dumb",
            crate::images::PATH_ENV,
            "DOCKER_HOST=unix:///var/run/docker.sock",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut sh =
            Shell::new(Flavor::Bash, Ctx { ns: Ns::Host, cred: crate::world::Cred::student(), cwd: cwd.into(), umask: 0o022 }, &env);
        sh.become_shell();
        sh
    }

    pub fn name(&self) -> &'static str {
        match self.flavor {
            Flavor::Bash => "bash",
            Flavor::Ash | Flavor::Dash => "sh",
        }
    }

    /// The prefix of the shell's own error messages.
    pub fn err_prefix(&self) -> String {
        match self.flavor {
            // An interactive bash names no line; `bash -c` says `line 1`.
            Flavor::Bash if self.interactive => "bash: ".into(),
            Flavor::Bash => "bash: line 1: ".into(),
            Flavor::Ash => "sh: ".into(),
            Flavor::Dash => "sh: 1: ".into(),
        }
    }

    pub fn env_list(&self) -> Vec<String> {
        // Each name's place, worked out once.
        let place = |n: &str| -> (usize, u32) {
            match (&self.environ_order, self.flavor) {
                (Some(order), _) => (order.iter().position(|o| o == n).unwrap_or(usize::MAX), 0),
                (None, Flavor::Ash | Flavor::Dash) => {
                    let first = u32::from(n.bytes().next().unwrap_or(0)) << 4;
                    // The shell's own variables (PATH among them) stand first in their buckets.
                    ((first + n.bytes().map(u32::from).sum::<u32>()) as usize % 39, u32::from(n != "PATH"))
                }
                (None, Flavor::Bash) => {
                    let fnv = n.bytes().fold(2_166_136_261u32, |h, b| h.wrapping_mul(16_777_619) ^ u32::from(b)) & 1023;
                    (usize::from(n == "_"), fnv)
                }
            }
        };
        let mut keyed: Vec<((usize, u32), &String)> = self.exported.iter().map(|n| (place(n), n)).collect();
        crate::sorting::sort_by_key(&mut keyed, |(k, _)| *k);
        keyed.into_iter().filter_map(|(_, k)| self.vars.get(k).map(|v| format!("{k}={v}"))).collect()
    }
}

/// Where `name` is found on the PATH (for `type` and `command -v`).
pub fn which(world: &World, sh: &Shell, name: &str) -> Option<String> {
    match sh.ctx.ns {
        // The shells and `test` are programs there too, beside the builtins of the same names.
        Ns::Host => (crate::userland::HOST_PROGRAMS.contains(&name)
            || crate::userland::HOST_BUILTIN_PROGRAMS.contains(&name)
            || crate::userland::HOST_SHELLS.contains(&name))
        .then(|| format!("/usr/bin/{name}")),
        Ns::Container(_) => {
            let path = sh.vars.get("PATH").cloned().unwrap_or_default();
            path.split(':')
                .map(|d| format!("{d}/{name}"))
                .find(|p| world.stat(&sh.ctx, p, true).map(|s| s.ftype == crate::fs::FileType::File).unwrap_or(false))
        }
    }
}

/// The shell's variables as arithmetic sees them (not a number: 0).
pub struct ShellVars<'a>(pub &'a mut Shell);

impl crate::userland::arith::Vars for ShellVars<'_> {
    fn get(&self, name: &str) -> Option<i64> {
        self.0.scalar(name).and_then(|v| v.trim().parse().ok())
    }
    fn set(&mut self, name: &str, value: i64) {
        self.0.assign(name, value.to_string(), false);
    }
}

/// What a loop does after its body's flow: go on (`Some(Next)`, also for `continue` of this
/// loop), stop here (`None`: `break` of this loop), or pass a flow up (an outer loop's `break N`,
/// `exit`, `return`).
pub fn loop_step(flow: Flow) -> Option<Flow> {
    match flow {
        Flow::Next | Flow::Continue(1) => Some(Flow::Next),
        Flow::Break(1) => None,
        Flow::Break(n) => Some(Flow::Break(n - 1)),
        Flow::Continue(n) => Some(Flow::Continue(n - 1)),
        other => Some(other),
    }
}
