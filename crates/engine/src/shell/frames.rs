//! What a sleeping shell keeps to go on with: the frames of the constructs it slept in and
//! when it wakes (`resume.rs` unwinds into them and runs them).

use super::ast::{AndOr, Command, List, Redir};

/// Where a sleeping shell goes on, innermost first in [`Shell::resume`].
#[derive(Clone, Debug)]
pub enum Frame {
    /// The items of a list after the one that slept.
    Items { list: List, from: usize },
    /// The pipelines of an and-or list after the one that slept (`rest[from..]`).
    AndOr { ao: AndOr, from: usize },
    /// The items of a `for` loop still to come.
    For { var: String, items: Vec<String>, body: List },
    /// A `while`/`until` loop whose body slept: after the body, the loop goes on. Its
    /// redirections are a [`Frame::Redirect`] of their own, so that they are not opened again.
    While(Command),
    /// A `while`/`until` loop whose condition slept: its test, then the body and the loop.
    WhileCond(Command),
    /// A compound command's redirections, reopened to append: what it wrote stays.
    Redirect(Vec<Redir>),
    /// `exec` put a program in the shell's place: when it ends, the process ends.
    Exec,
    /// A subshell `( … )` that slept: its own shell waits in [`Shell::subshells_asleep`].
    Subshell,
    /// A pipeline whose first stage slept: that stage's shell waits in
    /// [`Shell::producers_asleep`]; the filters after it (`rest`, taken up again appending)
    /// read what it writes as it wakes, or (`held`: what it wrote so far) the stages that read
    /// to the end read it all once it ended.
    Pipeline { rest: Vec<Command>, bang: bool, held: Option<Vec<u8>> },
    /// A function call that slept: its arguments, and each `local` with the caller's value
    /// (put back when the call ends) and the function's own.
    Call { args: Vec<String>, locals: Vec<(String, Option<String>, Option<String>)> },
}

/// A sleeping shell's wake-up time and how it sleeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wake {
    /// When the sleep ends (nanoseconds on the clock).
    pub at: i128,
    /// In `wait`: a trapped signal wakes it at once (in `sleep`, only when the sleep ends).
    pub waiting: bool,
}
