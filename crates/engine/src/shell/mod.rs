//! The shells: bash on the host, busybox ash inside containers. One interpreter, two dialects
//! (their messages differ, their grammar here is the same POSIX subset).

mod arrays;
pub mod ast;
mod braces;
pub mod builtins;
mod compound;
pub mod exec;
mod expand;
mod frames;
mod jobs;
pub mod launch;
mod options;
pub mod parse;
mod path;
pub mod process;
mod procs;
pub mod resident;
mod resume;
mod script_builtins;
pub mod sleepers;
mod streams;
mod traps;
mod write_errors;

pub use crate::userland::{Exit, Io};
pub use launch::{container_shell, exec, find_program_kind, identify_program, ProgramKind};
pub use process::{Flavor, Flow, Shell};
