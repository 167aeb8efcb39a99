//! The programs that run as a process and run no other: GNU tools on the host and busybox
//! applets in containers (`coreutils/`), `tar`, `echo`/`printf` formatting, and what they share
//! with the shell above them: the standard streams ([`Io`]), how a program ends ([`Exit`]),
//! globbing and arithmetic.
//!
//! Architecture invariant: nothing here names the shell, the services or the `docker` CLI; a
//! program that starts another (`sudo`, `env`, a `#!` script) lives with the shell
//! (`shell/launch.rs`).

pub mod arith;
pub(crate) use crate::binaries;
pub mod coreutils;
pub mod getopt;
pub mod glob;
pub(crate) mod gzip;
mod io;
pub mod printf;

pub mod usage;
pub(crate) use crate::users;
pub use coreutils::tar;
pub use io::Io;

/// How a program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    /// The program sleeps for good as a container's main process.
    Block,
}

/// Programs installed on the host (GNU coreutils, tar, grep, getent, sudo, docker, curl, and
/// Debian's `which`).
pub const HOST_PROGRAMS: [&str; 76] = [
    "awk",
    "base64",
    "basename",
    "cat",
    "chgrp",
    "chmod",
    "chown",
    "cmp",
    "cp",
    "curl",
    "cut",
    "date",
    "dd",
    "df",
    "diff",
    "dirname",
    "docker",
    "du",
    "echo",
    "env",
    "expr",
    "false",
    "find",
    "getent",
    "grep",
    "groupadd",
    "gunzip",
    "gzip",
    "head",
    "hostname",
    "id",
    "install",
    "ln",
    "ls",
    "md5sum",
    "mkdir",
    "mktemp",
    "more",
    "mount",
    "mv",
    "nl",
    "paste",
    "printf",
    "pwd",
    "readlink",
    "realpath",
    "rev",
    "rm",
    "rmdir",
    "sed",
    "seq",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "sleep",
    "sort",
    "stat",
    "sudo",
    "tac",
    "tail",
    "tar",
    "tee",
    "timeout",
    "touch",
    "tr",
    "true",
    "truncate",
    "uname",
    "uniq",
    "useradd",
    "wc",
    "which",
    "whoami",
    "xargs",
    "yes",
    "zcat",
];
