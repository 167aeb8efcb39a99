//! The `docker` CLI and the engine behind it: containers, volumes, images.

pub mod build;
mod build_output;
mod build_step;
mod builder;
mod buildkit;
mod commit;
pub mod compose;
mod container_files;
mod control;
mod cp;
mod dockerfile;
pub(crate) mod dockerfile_meta;
mod dockerfile_vars;
pub mod flags;
pub mod format;
mod help;
pub mod image;
mod image_archive;
pub mod info;
pub mod inspect;
mod lifecycle;
mod limits;
mod logs;
mod messages;
pub mod mounts;
mod network;
mod other_commands;
pub mod ports;
mod prune;
mod prune_filter;
mod ps;
mod run;
mod run_mounts;
mod stats;
mod system_df;
mod update;
mod usage;
mod version;
pub mod volume;

use crate::shell::{Io, Shell};
use crate::world::World;
use lifecycle::{rm, start_cmd, stop_cmd};
use logs::logs;
use prune::{container_prune, system_prune};
use ps::{diff, ps};
use run::run;

// The daemon's container functions, where the CLI's commands use them.
pub(crate) use crate::daemon::container::stop_container;
pub use crate::daemon::container::{changes, remove_container};
pub use crate::daemon::find_image;

// The CLI's shared pieces, where its commands (and the engine) name them.
pub use container_files::container_file;
pub(crate) use lifecycle::exec;
pub use messages::daemon_error;
pub(crate) use messages::{arg_count_error, no_such_container, usage_error};
pub(crate) use prune::{confirm, print_prune_result};
pub use ps::{rw_size, status_text};
pub use run::end_session;
pub(crate) use run::{graceful_stop, normalized_ref, report_run_error, run_main_process, start_container};

/// The simulator's limits on objects (memory stays bounded whatever a learner types).
pub const MAX_VOLUMES: usize = 2000;

pub fn cli(world: &mut World, sh: &mut Shell, argv: &[String], io: &mut Io) -> i32 {
    let args = &argv[1..];
    let Some(cmd) = args.first() else {
        return help::root_usage(io);
    };
    if let Some(code) = help::answer(args, io) {
        return code;
    }
    let rest = &args[1..];
    match cmd.as_str() {
        "run" => run(world, sh, rest, io, true, "run"),
        "create" => run(world, sh, rest, io, false, "create"),
        "container" => match rest.first().map(String::as_str) {
            Some("run") => run(world, sh, &rest[1..], io, true, "container run"),
            Some("create") => run(world, sh, &rest[1..], io, false, "container create"),
            Some("ls" | "list" | "ps") => ps(world, &rest[1..], io),
            Some("rm" | "remove") => rm(world, &rest[1..], io),
            Some("start") => start_cmd(world, &rest[1..], io),
            Some("stop") => stop_cmd(world, &rest[1..], io, false),
            Some("restart") => stop_cmd(world, &rest[1..], io, true),
            Some("kill") => control::kill(world, &rest[1..], io),
            Some("attach") => control::attach(world, &rest[1..], io),
            Some("wait") => control::wait(world, &rest[1..], io),
            Some("rename") => control::rename(world, &rest[1..], io),
            Some("exec") => exec(world, sh, &rest[1..], io),
            Some("inspect") => inspect::inspect_cmd(world, &rest[1..], io, Some("container")),
            Some("diff") => diff(world, &rest[1..], io),
            Some("logs") => logs(world, &rest[1..], io),
            Some("prune") => container_prune(world, &rest[1..], io),
            Some("commit") => commit::commit(world, &rest[1..], io),
            Some("cp") => cp::cp(world, sh, &rest[1..], io),
            Some("export") => commit::export(world, sh, &rest[1..], io),
            Some("port") => ports::port_cmd(world, &rest[1..], io),
            Some("update") => update::update(world, &rest[1..], io),
            Some("stats") => stats::stats(world, &rest[1..], io),
            _ => unknown_command(io, "container", rest.first()),
        },
        "ps" => ps(world, rest, io),
        "rm" => rm(world, rest, io),
        "start" => start_cmd(world, rest, io),
        "stop" => stop_cmd(world, rest, io, false),
        "kill" => control::kill(world, rest, io),
        "attach" => control::attach(world, rest, io),
        "wait" => control::wait(world, rest, io),
        "rename" => control::rename(world, rest, io),
        "pause" => control::pause(world, rest, io, true),
        "unpause" => control::pause(world, rest, io, false),
        "restart" => stop_cmd(world, rest, io, true),
        "exec" => exec(world, sh, rest, io),
        "inspect" => inspect::inspect_cmd(world, rest, io, None),
        "diff" => diff(world, rest, io),
        "logs" => logs(world, rest, io),
        "port" => ports::port_cmd(world, rest, io),
        "update" => update::update(world, rest, io),
        "stats" => stats::stats(world, rest, io),
        "volume" => volume::cli(world, sh, rest, io),
        "image" => match rest.first().map(String::as_str) {
            Some("ls" | "list") => inspect::images(world, &rest[1..], io),
            Some("history") => inspect::history(world, &rest[1..], io),
            Some("inspect") => inspect::inspect_cmd(world, &rest[1..], io, Some("image")),
            Some("rm" | "remove") => inspect::rmi(world, &rest[1..], io),
            Some("tag") => commit::tag(world, &rest[1..], io),
            Some("build") => build::build(world, sh, &rest[1..], io),
            Some("pull") => image::pull(world, &rest[1..], io),
            Some("prune") => image::prune(world, &rest[1..], io),
            Some("save") => image_archive::save(world, sh, &rest[1..], io),
            Some("load") => image_archive::load(world, sh, &rest[1..], io),
            Some("import") => image_archive::import(world, sh, &rest[1..], io),
            _ => unknown_command(io, "image", rest.first()),
        },
        "images" => inspect::images(world, rest, io),
        "pull" => image::pull(world, rest, io),
        "commit" => commit::commit(world, rest, io),
        "save" => image_archive::save(world, sh, rest, io),
        "load" => image_archive::load(world, sh, rest, io),
        "import" => image_archive::import(world, sh, rest, io),
        "tag" => commit::tag(world, rest, io),
        "cp" => cp::cp(world, sh, rest, io),
        "export" => commit::export(world, sh, rest, io),
        "build" => build::build(world, sh, rest, io),
        "history" => inspect::history(world, rest, io),
        "rmi" => inspect::rmi(world, rest, io),
        "system" => match rest.first().map(String::as_str) {
            Some("df") => system_df::system_df(world, &rest[1..], io),
            Some("prune") => system_prune(world, &rest[1..], io),
            Some("info") => info::info(world, &rest[1..], io, "system info"),
            _ => unknown_command(io, "system", rest.first()),
        },
        // This Docker's `builder` is buildx under another name.
        "builder" | "buildx" => other_commands::buildx(world, sh, cmd, rest, io),
        "context" => other_commands::context(sh, rest, io),
        "plugin" => other_commands::plugin(rest, io),
        "swarm" | "node" | "service" | "secret" | "config" | "stack" => other_commands::swarm_mode(world, sh, cmd, rest, io),
        "trust" => other_commands::trust(rest, io),
        "checkpoint" => other_commands::checkpoint(rest, io),
        "network" => network::cli(world, rest, io),
        "info" => info::info(world, rest, io, "info"),
        "version" => version::version(rest, io),
        "--version" | "-v" => version::short(io),
        "compose" => compose::cli(world, sh, rest, io),
        "top" => control::top(world, rest, io),
        "push" => image::push(world, rest, io),
        "logout" => {
            io.out_str("Removing login credentials for https://index.docker.io/v1/\n");
            0
        }
        "login" if !world.tty() => {
            io.err_line("Error: Cannot perform an interactive login from a non TTY device");
            1
        }
        _ => {
            match usage::not_simulated(cmd) {
                Some(why) => return messages::not_simulated(io, cmd, why),
                None => {
                    io.err_line(&format!("docker: '{cmd}' is not a docker command."));
                    io.err_line("See 'docker --help'");
                }
            }
            1
        }
    }
}

/// A management command without a subcommand, or with one it does not have: its usage on
/// stderr, and a failure only for the unknown one (oracle-29).
fn unknown_command(io: &mut Io, group: &str, sub: Option<&String>) -> i32 {
    match usage::MANAGEMENT.iter().find(|(g, _)| *g == group) {
        Some((_, text)) => io.err_str(text),
        None => io.err_str(&format!("\nUsage:  docker {group} COMMAND\n")),
    }
    i32::from(sub.is_some())
}

/// The shell of a process in container `id`, able to run the services (nginx, PostgreSQL,
/// Python …) the image has.
pub fn container_shell(
    world: &World,
    id: &crate::ids::ContainerId,
    user: Option<&str>,
    workdir: Option<&str>,
    env: &[String],
) -> Result<Shell, String> {
    let mut sh = crate::shell::container_shell(world, id, user, workdir, env)?;
    sh.services = Some(crate::services::HOOK);
    Ok(sh)
}
