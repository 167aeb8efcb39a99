//! Stowage's simulation core: a deterministic, sans-IO model of Docker 26 container storage.
//!
//! One door: [`Engine::run`] takes a line as a learner types it and returns what Docker and
//! the shell print, the exit status, and the typed [`Event`]s of every state change.

pub mod events;
pub mod view;

pub use events::{ContainerState, DenyCause, Event, Place};
pub use view::*;

/// What one command line produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub events: Vec<Event>,
}

/// The simulated machine: host, Docker engine, images, containers, volumes.
#[derive(Clone, Debug, Default)]
pub struct Engine {
    cwd: String,
}

impl Engine {
    /// The canonical start state of `ENVIRONMENT.md`.
    pub fn new() -> Engine {
        Engine { cwd: "/home/student".into() }
    }

    /// Run one line as the host user `student` types it.
    pub fn run(&mut self, line: &str) -> Outcome {
        Outcome { stdout: String::new(), stderr: format!("bash: line 1: {line}: command not found\n"), exit_code: 127, events: vec![] }
    }

    /// The prompt for the next line, e.g. `student@vm:~$ `.
    pub fn prompt(&self) -> String {
        let dir = match self.cwd.strip_prefix("/home/student") {
            Some(rest) => format!("~{rest}"),
            None => self.cwd.clone(),
        };
        format!("student@vm:{dir}$ ")
    }

    /// A snapshot of everything the storage map draws.
    pub fn view(&self) -> WorldView {
        WorldView::default()
    }

    /// The entries of a directory in the explorer, sorted by name.
    pub fn list_dir(&self, _target: &ExplorerTarget, _path: &str) -> Vec<EntryView> {
        Vec::new()
    }

    /// Completions for the word before `cursor` (byte offset) in `line`.
    pub fn complete(&self, _line: &str, _cursor: usize) -> Vec<String> {
        Vec::new()
    }
}
