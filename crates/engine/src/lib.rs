#![recursion_limit = "512"]
// User text is never sliced at a byte offset that may split a character (the web build aborts
// on a panic): every `&text[range]` is either rewritten (strip_prefix, split_once, get) or
// allowed where it is shown to fall on a character boundary.
#![deny(clippy::string_slice)]
//! Stowage's simulation core: a deterministic, sans-IO model of Docker 26 container storage.
//!
//! One door: [`Engine::run`] takes a line as a learner types it and returns what Docker and
//! the shell print, the exit status, and the typed [`Event`]s of every state change.

pub(crate) mod binaries;
pub(crate) mod blockdev;
pub(crate) mod build_cache;
pub(crate) mod caps;
pub(crate) mod catalog;
pub mod clock;
pub(crate) mod cred;
pub(crate) mod daemon;
pub(crate) mod docker;
pub mod events;
pub(crate) mod fs;
pub(crate) mod host_config;
pub(crate) mod http;
pub(crate) mod ids;
pub(crate) mod image_store;
pub(crate) mod images;
pub mod levels;
pub(crate) mod procfs;
pub mod query;
pub mod scenarios;
pub(crate) mod services;
pub(crate) mod shell;
pub mod sorting;
pub mod transcript;
pub(crate) mod userland;
pub(crate) mod users;
pub(crate) mod vfs;
pub mod view;
pub(crate) mod world;

pub use events::{ContainerState, DenyCause, Event, Measured, Place, SizeAt};
pub use shell::parse::needs_more;
pub use view::*;

use shell::{Flow, Io, Shell};
use world::World;

/// What one command line produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub events: Vec<Event>,
    /// The containers this line removed, as they were just before their removal (a `--rm`
    /// container is created and removed by the same line): what the map draws while its
    /// steps play.
    pub removed: Vec<ContainerView>,
    /// The volumes, writable layers and tmpfs mounts the line changed, measured after each
    /// run of events on one: with them a view shows their sizes at any step (a volume empty
    /// when created, full once populated).
    pub sizes: Vec<SizeAt>,
    /// The output as a terminal shows it: runs of stdout and stderr in the order written (a
    /// pull's progress before the container's id). Transcripts keep stdout then stderr.
    pub segments: Vec<OutputSegment>,
}

/// A run of output on one stream (see [`Outcome::segments`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSegment {
    pub stderr: bool,
    pub text: String,
}

/// The seed of the canonical world (ids are drawn from it).
pub const DEFAULT_SEED: u64 = 0x5707_A6E0;

/// The simulated machine: host, Docker engine, images, containers, volumes.
#[derive(Clone, Debug)]
pub struct Engine {
    world: World,
    cwd: String,
    /// Interactive shells inside containers, innermost last.
    sessions: Vec<Session>,
    /// A line whose `[y/N]` question waits for the next line (its answer), and how much it
    /// printed up to the question.
    question: Option<(String, usize)>,
}

/// A learner's interactive shell inside a container.
#[derive(Clone, Debug)]
struct Session {
    container_id: world::ContainerId,
    main_process: bool,
    shell: Shell,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    /// The canonical start state of `ENVIRONMENT.md`.
    pub fn new() -> Engine {
        Engine::with_seed(DEFAULT_SEED)
    }

    pub fn with_seed(seed: u64) -> Engine {
        let mut world = World::canonical(seed);
        // The shells wake the sleeping main processes through the machine (they sit below
        // the code that runs them).
        world.set_waker(shell::sleepers::catch_up);
        // A container's configuration files read as the CLI words the daemon's state.
        world.set_container_files(docker::container_file);
        Engine { world, cwd: "/home/student".into(), sessions: Vec::new(), question: None }
    }

    /// A fresh machine prepared for `scenario`: its setup lines have run, their output dropped.
    pub fn with_scenario(scenario: &scenarios::Scenario) -> Engine {
        let mut engine = Engine::new();
        for line in scenario.setup {
            engine.run(line);
        }
        engine
    }

    /// Whether a terminal is attached (interactive `-it` sessions are possible).
    pub fn set_tty(&mut self, tty: bool) {
        self.world.set_tty(tty);
    }

    /// Run one line as the host user `student` types it (`bash -c LINE`, stdin empty).
    pub fn run(&mut self, line: &str) -> Outcome {
        self.run_with_stdin(line, Vec::new())
    }

    pub fn run_with_stdin(&mut self, line: &str, stdin: Vec<u8>) -> Outcome {
        // The answer to a waiting `[y/N]`: the asking line runs again with it as its input, and
        // what follows the question is this line's output (the question is on screen already).
        if let Some((asking, shown)) = self.question.take() {
            self.world.set_answering(true);
            let mut o = self.run_with_stdin(&asking, format!("{line}\n").into_bytes());
            self.world.set_answering(false);
            if o.stdout.is_char_boundary(shown) {
                o.stdout = o.stdout.split_off(shown);
                // The same bytes leave the terminal's runs: the first `shown` of stdout's.
                let mut left = shown;
                for s in o.segments.iter_mut().filter(|s| !s.stderr) {
                    let cut = left.min(s.text.len());
                    if !s.text.is_char_boundary(cut) {
                        break;
                    }
                    s.text = s.text.split_off(cut);
                    left -= cut;
                }
                o.segments.retain(|s| !s.text.is_empty());
            }
            return o;
        }
        let world = &mut self.world;
        world.start_line();
        world.reset_budget();
        world.advance_clock(50);
        let mut io = Io::with_stdin(stdin);
        io.stdout_terminal = world.tty();
        let exit_code = if let Some(mut session) = self.sessions.pop() {
            // Inside a container: the line runs in its shell, `exit` leaves it.
            // The shell's namespace names its container by id, which no removal shifts.
            match world.container(&session.container_id) {
                Some(c) if c.status == world::Status::Running => {
                    let flow = session.shell.run_script(world, line, &mut io);
                    match flow {
                        Flow::Exit(code) => {
                            let code = session.shell.exit_with_trap(world, code, &mut io);
                            docker::end_session(world, &session.container_id, session.main_process, code);
                            code
                        }
                        _ => {
                            let code = session.shell.status;
                            self.sessions.push(session);
                            code
                        }
                    }
                }
                _ => self.run_host(line, &mut io),
            }
        } else {
            self.run_host(line, &mut io)
        };
        let world = &mut self.world;
        if world.budget_exhausted() {
            io.err_line("stowage: this line ran too many commands and was stopped (the simulator's limit)");
        }
        if let Some(req) = world.take_session_request() {
            if let Ok(mut shell) = docker::container_shell(world, &req.container_id, req.user.as_deref(), req.workdir.as_deref(), &req.env)
            {
                shell.depth = 1;
                if crate::shell::identify_program(world, &shell, &req.program) == Some(userland::binaries::Binary::Bash) {
                    shell.flavor = shell::Flavor::Bash;
                }
                // A shell at the terminal's prompt: an interactive one, a process of the
                // container (pid 1 when it is the main process).
                shell.interactive = true;
                let pid = if req.main_process { 1 } else { world.exec_pid(&req.container_id) };
                let (uid, gid) = (shell.ctx.cred.uid, shell.ctx.cred.gid);
                shell.procs = vec![shell::process::ProcLine { pid, uid, gid, args: req.program.clone() }];
                self.sessions.push(Session { container_id: req.container_id, main_process: req.main_process, shell });
            }
        }
        if world.take_question() {
            self.question = Some((line.to_string(), io.out.len()));
        }
        let world = &mut self.world;
        // The main processes asleep in their containers live up to the line's end.
        shell::sleepers::catch_up(world);
        world.measure_open_place();
        world.maybe_collect();
        Outcome {
            stdout: String::from_utf8_lossy(&io.out).into_owned(),
            stderr: String::from_utf8_lossy(&io.err).into_owned(),
            exit_code,
            // Kept in the world too, until the next line: a view lists what they changed.
            events: world.events().to_vec(),
            removed: world.removed().iter().map(|c| view::container_view(world, c)).collect(),
            sizes: world.size_marks().to_vec(),
            segments: io
                .segments()
                .into_iter()
                .map(|s| OutputSegment { stderr: s.stderr, text: String::from_utf8_lossy(&s.bytes).into_owned() })
                .collect(),
        }
    }

    fn run_host(&mut self, line: &str, io: &mut Io) -> i32 {
        let mut sh = Shell::host(&self.cwd);
        // The one place the host's programs meet the services and the CLI above them.
        sh.docker = Some(docker::cli);
        sh.services = Some(services::HOOK);
        // At the web terminal's prompt the host's bash is interactive; replays are `bash -c`.
        sh.interactive = self.world.tty();
        let flow = sh.run_script(&mut self.world, line, io);
        self.cwd = sh.ctx.cwd.clone();
        let code = match flow {
            Flow::Exit(c) => c,
            _ => sh.status,
        };
        sh.exit_with_trap(&mut self.world, code, io)
    }

    /// Whether the last line asked a `[y/N]` question that the next line answers.
    pub fn awaiting_answer(&self) -> bool {
        self.question.is_some()
    }

    /// Whether the next line runs inside a container's shell (and which container).
    pub fn session_container(&self) -> Option<String> {
        let s = self.sessions.last()?;
        Some(self.world.container(&s.container_id)?.name.clone())
    }

    /// The prompt for the next line, e.g. `student@vm:~$ ` on the host, `/srv/web # `
    /// in a container's shell (busybox's `\w \$ `).
    pub fn prompt(&self) -> String {
        // A question waits for its answer on the question's own line.
        if self.question.is_some() {
            return String::new();
        }
        if let Some(s) = self.sessions.last() {
            let sign = if s.shell.ctx.cred.uid == 0 { '#' } else { '$' };
            if s.shell.flavor == shell::Flavor::Bash {
                // Debian's PS1: `\u@\h:\w\$ `, home shown as `~`.
                let ctx = &s.shell.ctx;
                let user = userland::users::user_name(&self.world, ctx, ctx.cred.uid).unwrap_or_else(|| "I have no name!".into());
                let host = self.session_hostname(&s.container_id);
                let home = s.shell.vars.get("HOME").cloned().unwrap_or_default();
                let dir = match ctx.cwd.strip_prefix(&home) {
                    Some(rest) if !home.is_empty() && home != "/" && (rest.is_empty() || rest.starts_with('/')) => format!("~{rest}"),
                    _ => ctx.cwd.clone(),
                };
                return format!("{user}@{host}:{dir}{sign} ");
            }
            return format!("{} {sign} ", s.shell.ctx.cwd);
        }
        let dir = match self.cwd.strip_prefix("/home/student") {
            Some(rest) => format!("~{rest}"),
            None => self.cwd.clone(),
        };
        format!("student@vm:{dir}$ ")
    }

    fn session_hostname(&self, container_id: &world::ContainerId) -> String {
        self.world.container(container_id).map(|c| c.hostname.clone()).unwrap_or_default()
    }

    /// The working directory of the host shell.
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// The world, read-only (for the crate's own tests).
    #[cfg(test)]
    pub(crate) fn world(&self) -> &World {
        &self.world
    }

    /// Read-only questions about the machine's state (levels' goals, tests): containers,
    /// volumes, files and where a container sees them from, writable-layer entries, images.
    pub fn query(&self) -> query::Query<'_> {
        query::Query::new(&self.world)
    }

    /// A snapshot of everything the storage map draws.
    pub fn view(&self) -> WorldView {
        view::snapshot(&self.world)
    }

    /// The entries of a directory in the explorer, sorted by name.
    pub fn list_dir(&self, target: &ExplorerTarget, path: &str) -> Vec<EntryView> {
        view::list_dir(&self.world, target, path)
    }

    /// Completions for the word before `cursor` (byte offset) in `line`.
    pub fn complete(&self, line: &str, cursor: usize) -> Vec<String> {
        match self.sessions.last() {
            Some(session) => {
                let ctx = session.shell.ctx.clone();
                let home = session.shell.vars.get("HOME").cloned().unwrap_or_else(|| "/".into());
                view::complete(&self.world, &ctx, &home, line, cursor)
            }
            None => {
                let ctx = vfs::Ctx { ns: vfs::Ns::Host, cred: world::Cred::student(), cwd: self.cwd.clone(), umask: 0o022 };
                view::complete(&self.world, &ctx, "/home/student", line, cursor)
            }
        }
    }
}
