//! The shells: bash on the host, busybox ash inside containers. One interpreter, two dialects
//! (their messages differ, their grammar here is the same POSIX subset).

pub mod ast;
mod braces;
pub mod exec;
mod io;
pub mod parse;

pub use exec::{Flavor, Flow, Io, Shell};
