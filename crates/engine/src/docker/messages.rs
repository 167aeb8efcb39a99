//! The CLI's shared error messages: a daemon's refusal, a wrong flag, a wrong number of
//! arguments, a container that does not exist.

use crate::shell::Io;

/// Prints a daemon error the way `docker CMD` does (exit 1).
pub fn daemon_error(io: &mut Io, msg: &str) -> i32 {
    io.err_line(&format!("Error response from daemon: {msg}"));
    1
}

/// A flag the command does not have, or one missing its value: cobra's message, exit 125.
pub(crate) fn usage_error(io: &mut Io, cmd: &str, msg: &str) -> i32 {
    flag_error(io, cmd, msg, 125)
}

pub(super) fn flag_error(io: &mut Io, cmd: &str, msg: &str, code: i32) -> i32 {
    io.err_line(msg);
    io.err_line(&format!("See 'docker {cmd} --help'."));
    code
}

/// `"docker X" requires ...` with the usage lines.
pub(crate) fn arg_count_error(io: &mut Io, cmd: &str, requirement: &str, usage: &str, about: &str) -> i32 {
    io.err_line(&format!("\"docker {cmd}\" requires {requirement}."));
    io.err_line(&format!("See 'docker {cmd} --help'."));
    io.err_line("");
    io.err_line(&format!("Usage:  docker {cmd} {usage}"));
    io.err_line("");
    io.err_line(about);
    1
}

pub(crate) fn no_such_container(io: &mut Io, name: &str) {
    io.err_line(&format!("Error response from daemon: No such container: {name}"));
}

/// The container `name` names, or Docker's "No such container" said (the caller goes on with
/// the next name, or fails).
pub(super) fn find_or_say(world: &crate::world::World, io: &mut Io, name: &str) -> Option<crate::ids::ContainerId> {
    let id = world.find_container(name);
    if id.is_none() {
        no_such_container(io, name);
    }
    id
}

/// A command (or subcommand) the simulation does not run, said with why (exit 1).
pub(crate) fn not_simulated(io: &mut Io, what: &str, why: &str) -> i32 {
    io.err_line(&format!("stowage: docker {what} is not simulated: {why}."));
    1
}
