//! Where a command name leads: the PATH search in a container, the host's programs (which
//! are the simulation's own, not files), busybox's applets that its sh runs by name, and the
//! `which` that reports it. Looks only; running is `launch`'s.

use super::builtins;
use super::{Flavor, Shell};
use crate::binaries::{self, Binary};
use crate::fs::{Data, Kind};
use crate::userland::{getopt, usage, Io, HOST_PROGRAMS};
use crate::vfs::{Access, Ns};
use crate::world::World;

/// Debian 12's `which [-a] NAME…`: the path of each program found on the PATH; exit 1 when one
/// is missing (it prints nothing for it), 2 on an unknown option (`-s` is one there). Busybox's
/// applet answers the same, with its usage for no name or a foreign option (oracle-69).
pub(super) fn which_program(world: &World, sh: &Shell, gnu: bool, argv: &[String], io: &mut Io) -> i32 {
    let mut names = Vec::new();
    let mut options_end = false;
    for arg in argv.iter().skip(1) {
        match arg.strip_prefix('-').filter(|flags| !flags.is_empty() && names.is_empty() && !options_end) {
            Some("-") => options_end = true,
            Some(flags) if flags.chars().all(|f| f == 'a') => {}
            Some(flags) if !gnu => {
                let bad = flags.chars().find(|&f| f != 'a').unwrap_or('-');
                io.err.extend(getopt::message("which", &getopt::Foreign::Short(getopt::first_byte(bad))));
                return busybox_which_usage(io);
            }
            Some(flags) => {
                // dash's getopts names the first letter that is not `a` (a byte of it: `-é`
                // names 0xC3), and `--x` as `-` (`--` alone would end the options).
                let bad = flags.chars().find(|&f| f != 'a').unwrap_or('-');
                io.out_str("Usage: /usr/bin/which [-a] args\n");
                io.err_str("Illegal option -");
                io.err.push(getopt::first_byte(bad));
                io.err_line("");
                return 2;
            }
            None => names.push(arg.as_str()),
        }
    }
    if names.is_empty() && !gnu {
        return busybox_which_usage(io);
    }
    let mut all_found = !names.is_empty();
    for name in names {
        let host_tool = |path: &str| {
            sh.ctx.ns == Ns::Host
                && path.rsplit_once('/').is_some_and(|(dir, tool)| matches!(dir, "/usr/bin" | "/bin") && HOST_PROGRAMS.contains(&tool))
        };
        let found = if name.contains('/') {
            let executable = world.stat(&sh.ctx, name, true).is_ok_and(|st| st.ftype == crate::fs::FileType::File && st.mode & 0o111 != 0);
            (executable || host_tool(name)).then(|| name.to_string())
        } else {
            super::process::which(world, sh, name)
        };
        match found {
            Some(path) => io.out_str(&format!("{path}\n")),
            None => all_found = false,
        }
    }
    if all_found {
        0
    } else {
        1
    }
}

fn busybox_which_usage(io: &mut Io) -> i32 {
    io.err_line("BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.");
    io.err_line(usage::busybox("which").unwrap_or_default());
    1
}

/// What a command name resolves to.
pub(super) enum Program {
    /// A program the simulation implements, and the name it was called by.
    Native(Binary, String),
    Script(String),
    NotFound,
    Denied,
    NotExecutable(crate::fs::Errno),
}

/// A program of the host by name: its tools, and the builtins that are programs there too.
fn host_tool(name: &str) -> Option<&'static str> {
    HOST_PROGRAMS.iter().chain(crate::userland::HOST_BUILTIN_PROGRAMS.iter()).find(|p| **p == name).copied()
}

pub(super) fn find_program(world: &World, sh: &Shell, name: &str) -> Program {
    let candidates: Vec<String> = if name.contains('/') {
        // The host's programs by their full path (`/usr/bin/test`), though the simulated
        // /usr/bin does not list them.
        let full = crate::fs::normalize(&sh.ctx.cwd, name);
        let tool = full.strip_prefix("/usr/bin/").or_else(|| full.strip_prefix("/bin/"));
        if let Some(tool) = tool.filter(|_| sh.ctx.ns == Ns::Host) {
            if let Some(known) = host_tool(tool) {
                return Program::Native(Binary::Gnu(known), tool.to_string());
            }
        }
        vec![name.to_string()]
    } else if sh.ctx.ns == Ns::Host {
        return match host_tool(name) {
            Some(tool) => Program::Native(Binary::Gnu(tool), name.to_string()),
            None if name == "bash" => Program::Native(Binary::Bash, name.to_string()),
            // Debian's /bin/sh is dash.
            None if matches!(name, "sh" | "dash") => Program::Native(Binary::Dash, name.to_string()),
            None => Program::NotFound,
        };
    } else {
        let path = sh.vars.get("PATH").cloned().unwrap_or_default();
        path.split(':').filter(|d| !d.is_empty()).map(|d| format!("{d}/{name}")).collect()
    };
    let mut denied = false;
    for cand in &candidates {
        let Ok(loc) = world.resolve(&sh.ctx, cand, true) else {
            if name.contains('/') {
                return match world.resolve(&sh.ctx, cand, true) {
                    Err(e) => Program::NotExecutable(e),
                    Ok(_) => Program::NotFound,
                };
            }
            continue;
        };
        let st = world.stat_loc(&sh.ctx.ns, &loc);
        if st.ftype != crate::fs::FileType::File {
            if name.contains('/') {
                return Program::NotExecutable(crate::fs::Errno::Access);
            }
            continue;
        }
        if !crate::vfs::may(st.uid, st.gid, st.mode, false, &sh.ctx.cred, Access::Exec) {
            denied = true;
            continue;
        }
        let base = name.rsplit('/').next().unwrap_or(name).to_string();
        if sh.ctx.ns == Ns::Host && (cand.starts_with("/usr/bin/") || cand.starts_with("/bin/")) {
            return find_program(world, sh, &base);
        }
        match &world.fs().get(loc.top()).kind {
            Kind::File(Data::Opaque(n)) => {
                // A file of no known size runs as the applet its name says, as a busybox link would.
                let binary = binaries::identify(*n).unwrap_or(Binary::DebianBusybox);
                return Program::Native(binary, base);
            }
            Kind::File(Data::Bytes(b)) => {
                let text = String::from_utf8_lossy(b).into_owned();
                return Program::Script(text);
            }
            _ => {}
        }
    }
    if denied {
        Program::Denied
    } else {
        Program::NotFound
    }
}

/// Applets of busybox 1.35 (`busybox --list`) the simulation implements beyond the links the
/// images have.
const STANDALONE_APPLETS: [&str; 92] = [
    "arch",
    "ash",
    "awk",
    "base64",
    "bc",
    "blkdiscard",
    "blockdev",
    "bunzip2",
    "bzcat",
    "bzip2",
    "chgrp",
    "cmp",
    "cpio",
    "crc32",
    "cut",
    "diff",
    "dos2unix",
    "egrep",
    "expand",
    "expr",
    "fallocate",
    "fdisk",
    "fgrep",
    "findfs",
    "fold",
    "fsfreeze",
    "fstrim",
    "groups",
    "gunzip",
    "gzip",
    "hexdump",
    "killall",
    "less",
    "link",
    "logname",
    "losetup",
    "lzcat",
    "lzma",
    "md5sum",
    "mke2fs",
    "mkfifo",
    "mknod",
    "mktemp",
    "more",
    "mount",
    "nl",
    "nproc",
    "od",
    "partprobe",
    "paste",
    "patch",
    "pidof",
    "ps",
    "realpath",
    "rev",
    "seq",
    "sha1sum",
    "sha256sum",
    "sha3sum",
    "sha512sum",
    "shred",
    "shuf",
    "strings",
    "su",
    "swapoff",
    "swapon",
    "sync",
    "tac",
    "tee",
    "timeout",
    "tr",
    "truncate",
    "tty",
    "umount",
    "unexpand",
    "uniq",
    "unix2dos",
    "unlink",
    "unlzma",
    "unxz",
    "unzip",
    "usleep",
    "uudecode",
    "uuencode",
    "wget",
    "which",
    "xargs",
    "xxd",
    "xz",
    "xzcat",
    "yes",
    "zcat",
];

/// Debian's busybox sh prefers its own applets: it runs one by name whether or not a link to
/// it is on the PATH, even one deleted from /bin (oracle-21: `ls` after `rm /bin/ls`).
pub(super) fn standalone_applet(world: &World, sh: &Shell, name: &str) -> bool {
    sh.flavor == Flavor::Ash
        && (STANDALONE_APPLETS.contains(&name) || crate::images::BUSYBOX_APPLETS.contains(&name))
        && world.stat(&sh.ctx, "/bin/busybox", true).is_ok_and(|st| st.size == binaries::size_of(Binary::DebianBusybox))
}

/// The simulated binary a command name runs, if it is one.
pub fn identify_program(world: &World, sh: &Shell, name: &str) -> Option<Binary> {
    match find_program(world, sh, name) {
        Program::Native(binary, _) => Some(binary),
        _ => None,
    }
}

/// Whether a command name can be started at all (Docker checks before it runs a process).
pub enum ProgramKind {
    Found,
    Missing,
}

pub fn find_program_kind(world: &World, sh: &Shell, name: &str) -> ProgramKind {
    if builtins::is_builtin(name) && sh.ctx.ns == Ns::Host {
        return ProgramKind::Found;
    }
    match find_program(world, sh, name) {
        Program::NotFound | Program::NotExecutable(_) => ProgramKind::Missing,
        _ => ProgramKind::Found,
    }
}
