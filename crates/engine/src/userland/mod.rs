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
pub const HOST_PROGRAMS: [&str; 115] = [
    "arch",
    "awk",
    "base32",
    "base64",
    "basename",
    "cat",
    "chgrp",
    "chmod",
    "chown",
    "cksum",
    "cmp",
    "comm",
    "cp",
    "curl",
    "cut",
    "date",
    "dd",
    "df",
    "diff",
    "dir",
    "dirname",
    "docker",
    "du",
    "echo",
    "egrep",
    "env",
    "expand",
    "expr",
    "fallocate",
    "false",
    "fgrep",
    "find",
    "findmnt",
    "fold",
    "getent",
    "grep",
    "groupadd",
    "groups",
    "gunzip",
    "gzip",
    "head",
    "hostname",
    "id",
    "install",
    "less",
    "link",
    "ln",
    "logname",
    "ls",
    "lsblk",
    "mawk",
    "md5sum",
    "mkdir",
    "mkfifo",
    "mknod",
    "mktemp",
    "more",
    "mount",
    "mountpoint",
    "mv",
    "namei",
    "nawk",
    "nl",
    "nohup",
    "nproc",
    "numfmt",
    "od",
    "paste",
    "printenv",
    "printf",
    "pwd",
    "readlink",
    "realpath",
    "rev",
    "rgrep",
    "rm",
    "rmdir",
    "sed",
    "seq",
    "sha1sum",
    "sha224sum",
    "sha256sum",
    "sha384sum",
    "sha512sum",
    "shred",
    "sleep",
    "sort",
    "split",
    "stat",
    "sudo",
    "sum",
    "sync",
    "tac",
    "tail",
    "tar",
    "tee",
    "timeout",
    "touch",
    "tr",
    "true",
    "truncate",
    "tty",
    "umount",
    "uname",
    "unexpand",
    "uniq",
    "unlink",
    "useradd",
    "vdir",
    "wc",
    "which",
    "whoami",
    "xargs",
    "yes",
    "zcat",
];
