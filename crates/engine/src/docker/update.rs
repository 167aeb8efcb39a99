//! `docker update`: a container's limits and restart policy changed while it lives (the daemon
//! checks and applies them: `daemon/resources.rs`). Each name that took the change is printed,
//! then dockerd's warnings; the refusals come last, on stderr (oracle-125).

use super::flags::{self, flag, opt};
use super::messages::{arg_count_error, usage_error};
use crate::daemon::resources::{update as update_container, Update};
use crate::shell::Io;
use crate::world::World;

const UPDATE_FLAGS: &[flags::Spec] = &[
    opt("blkio-weight", None),
    opt("cpu-period", None),
    opt("cpu-quota", None),
    opt("cpu-rt-period", None),
    opt("cpu-rt-runtime", None),
    opt("cpu-shares", Some('c')),
    opt("cpus", None),
    opt("cpuset-cpus", None),
    opt("cpuset-mems", None),
    opt("kernel-memory", None),
    opt("memory", Some('m')),
    opt("memory-reservation", None),
    opt("memory-swap", None),
    opt("pids-limit", None),
    opt("restart", None),
    // pflag's `--help=false`, which every command takes.
    flag("help", None),
];

pub(super) fn update(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, UPDATE_FLAGS, false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "update", &e),
    };
    if parsed.operands.is_empty() {
        return arg_count_error(
            io,
            "update",
            "at least 1 argument",
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Update configuration of one or more containers",
        );
    }
    let resources = match super::limits::read(&parsed) {
        Ok(r) => r,
        Err(message) => return usage_error(io, "update", &message),
    };
    let blkio_weight = match parsed.get("blkio-weight").map(str::parse::<u16>) {
        None => 0,
        Some(Ok(weight)) => weight,
        Some(Err(_)) => {
            let text = parsed.get("blkio-weight").unwrap_or_default();
            let message =
                format!("invalid argument \"{text}\" for \"--blkio-weight\" flag: strconv.ParseUint: parsing \"{text}\": invalid syntax");
            return usage_error(io, "update", &message);
        }
    };
    if parsed.values.iter().all(|(name, _)| name == "help") {
        io.err_line("you must provide one or more flags when using this command");
        return 1;
    }
    let restart = match parsed.get("restart").map(super::limits::restart).transpose() {
        Ok(restart) => restart,
        Err(why) => {
            io.err_line(&why);
            return 1;
        }
    };
    let request = Update { resources, restart, blkio_weight };
    let (mut warnings, mut errors) = (Vec::new(), Vec::new());
    for name in &parsed.operands {
        match update_container(world, name, &request) {
            Ok(said) => {
                io.out_str(&format!("{name}\n"));
                warnings.extend(said);
            }
            Err(e) => errors.push(format!("Error response from daemon: {e}")),
        }
    }
    if !warnings.is_empty() {
        io.out_str(&format!("{}\n", warnings.join("\n")));
    }
    if errors.is_empty() {
        return 0;
    }
    io.err_line(&errors.join("\n"));
    1
}
