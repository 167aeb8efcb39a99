#![recursion_limit = "512"]
//! Stowage's simulation core: a deterministic, sans-IO model of Docker 26 container storage.
//!
//! One door: [`Engine::run`] takes a line as a learner types it and returns what Docker and
//! the shell print, the exit status, and the typed [`Event`]s of every state change.

pub mod clock;
pub mod docker;
pub mod events;
pub mod fs;
pub mod images;
pub mod shell;
pub mod transcript;
pub mod userland;
pub mod vfs;
pub mod view;
pub mod world;

pub use events::{ContainerState, DenyCause, Event, Place};
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
}

/// The seed of the canonical world (ids are drawn from it).
pub const DEFAULT_SEED: u64 = 0x5707_A6E0;

/// The simulated machine: host, Docker engine, images, containers, volumes.
#[derive(Clone, Debug)]
pub struct Engine {
    world: World,
    cwd: String,
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
        Engine { world: World::canonical(seed), cwd: "/home/student".into() }
    }

    /// Whether a terminal is attached (interactive `-it` sessions are possible).
    pub fn set_tty(&mut self, tty: bool) {
        self.world.tty = tty;
    }

    /// Run one line as the host user `student` types it (`bash -c LINE`, stdin empty).
    pub fn run(&mut self, line: &str) -> Outcome {
        self.run_with_stdin(line, Vec::new())
    }

    pub fn run_with_stdin(&mut self, line: &str, stdin: Vec<u8>) -> Outcome {
        let world = &mut self.world;
        world.events.clear();
        world.budget = shell::exec::STEP_BUDGET;
        world.budget_exhausted = false;
        world.clock.advance_millis(50);
        let mut sh = Shell::host(&self.cwd);
        let mut io = Io::with_stdin(stdin);
        let flow = sh.run_script(world, line, &mut io);
        let exit_code = match flow {
            Flow::Exit(c) => c,
            _ => sh.status,
        };
        if world.budget_exhausted {
            io.err_line("stowage: this line ran too many commands and was stopped (the simulator's limit)");
        }
        self.cwd = sh.ctx.cwd.clone();
        world.maybe_collect();
        Outcome {
            stdout: String::from_utf8_lossy(&io.out).into_owned(),
            stderr: String::from_utf8_lossy(&io.err).into_owned(),
            exit_code,
            events: std::mem::take(&mut world.events),
        }
    }

    /// The prompt for the next line, e.g. `student@vm:~$ `.
    pub fn prompt(&self) -> String {
        let dir = match self.cwd.strip_prefix("/home/student") {
            Some(rest) => format!("~{rest}"),
            None => self.cwd.clone(),
        };
        format!("student@vm:{dir}$ ")
    }

    /// The working directory of the host shell.
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// The world, read-only (for tests and views).
    pub fn world(&self) -> &World {
        &self.world
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
        view::complete(&self.world, &self.cwd, line, cursor)
    }
}
