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
pub(crate) mod bzip2;
pub mod coreutils;
pub mod getopt;
pub mod glob;
pub(crate) mod gzip;
mod io;
pub mod printf;
pub mod tabstops;
pub(crate) mod xz;

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

/// Programs of the host that are bash builtins too (the programs run by full path or `sudo`).
pub const HOST_BUILTIN_PROGRAMS: [&str; 2] = ["test", "["];

/// The host's shells as programs (`sh` is dash on Debian; the simulation runs it as bash).
pub const HOST_SHELLS: [&str; 3] = ["bash", "sh", "dash"];

/// Programs installed on the host (GNU coreutils, tar, grep, getent, sudo, docker, curl, and
/// Debian's `which`).
pub const HOST_PROGRAMS: [&str; 161] = [
    "arch",
    "awk",
    "bc",
    "b2sum",
    "base32",
    "base64",
    "basename",
    "basenc",
    "bunzip2",
    "bzcat",
    "bzcmp",
    "bzdiff",
    "bzegrep",
    "bzfgrep",
    "bzgrep",
    "bzip2",
    "bzless",
    "bzmore",
    "cat",
    "chgrp",
    "chmod",
    "chown",
    "cksum",
    "cmp",
    "column",
    "comm",
    "cp",
    "csplit",
    "curl",
    "cut",
    "date",
    "dd",
    "df",
    "diff",
    "diff3",
    "dir",
    "dirname",
    "docker",
    "du",
    "echo",
    "ed",
    "egrep",
    "env",
    "expand",
    "expr",
    "fallocate",
    "false",
    "fgrep",
    "file",
    "find",
    "findmnt",
    "fmt",
    "fold",
    "getent",
    "getopt",
    "grep",
    "groupadd",
    "groups",
    "gzexe",
    "gunzip",
    "gzip",
    "hd",
    "head",
    "hexdump",
    "hostname",
    "id",
    "install",
    "join",
    "less",
    "link",
    "ln",
    "logname",
    "ls",
    "lsblk",
    "lzcat",
    "lzma",
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
    "patch",
    "pathchk",
    "pr",
    "printenv",
    "printf",
    "pwd",
    "readlink",
    "realpath",
    "red",
    "rename.ul",
    "rev",
    "rgrep",
    "rm",
    "rmdir",
    "sdiff",
    "sed",
    "seq",
    "sha1sum",
    "sha224sum",
    "sha256sum",
    "sha384sum",
    "sha512sum",
    "shred",
    "shuf",
    "sleep",
    "sort",
    "split",
    "stat",
    "stdbuf",
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
    "unlzma",
    "unxz",
    "useradd",
    "vdir",
    "wc",
    "which",
    "whoami",
    "xargs",
    "xz",
    "xzcat",
    "yes",
    "zcat",
    "zcmp",
    "zdiff",
    "zegrep",
    "zfgrep",
    "zforce",
    "zgrep",
    "zless",
    "zmore",
];
