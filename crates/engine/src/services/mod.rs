//! The long-running programs of the catalog images and their clients: nginx and curl/wget,
//! PostgreSQL and psql, Python and pip, and the package managers.
//!
//! Architecture invariant: the services sit above the shell and below the `docker` CLI. The
//! shell runs them through the [`HOOK`] it is handed (it never names this module), so a build
//! could leave them out; they run scripts and programs through the shell.

pub mod net;
pub mod nginx;
pub mod postgres;
pub mod python;

use crate::binaries::Binary;
use crate::shell::process::{Service, Services};
use crate::shell::{Exit, Io, Shell};
use crate::world::{ContainerId, World};

/// The simulated binary a running container's main process is, if any (after the entrypoint).
pub fn main_binary(world: &World, id: &ContainerId) -> Option<Binary> {
    let c = world.container(id)?;
    let sh = crate::shell::container_shell(world, id, None, None, &[]).ok()?;
    crate::shell::identify_program(world, &sh, &c.path)
}

/// Docker stops container `id`: a simulated server writes its shutdown log lines and returns its
/// exit status. `None`: the process does not handle the stop signal and is killed (137).
pub fn on_stop(world: &mut World, id: &ContainerId) -> Option<i32> {
    if let Some(code) = nginx::on_stop(world, id) {
        return Some(code);
    }
    match main_binary(world, id)? {
        Binary::PostgresEntrypoint | Binary::Postgres("postgres") => postgres::on_stop(world, id),
        _ => None,
    }
}

/// What the engine and the CLI hand to the shells they make.
pub const HOOK: Services = serve;

fn serve(world: &mut World, sh: &mut Shell, service: Service, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    match service {
        Service::Binary(binary) => run(world, sh, binary, argv, env, io),
        Service::Curl => Exit::Code(net::curl(world, sh, argv, io)),
        Service::Wget => Exit::Code(net::wget(world, sh, argv, io)),
    }
}

/// Runs one of the simulated service binaries.
fn run(world: &mut World, sh: &mut Shell, binary: Binary, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let name = argv.first().map(|a| a.rsplit('/').next().unwrap_or(a)).unwrap_or("");
    match binary {
        Binary::Python => python::python(world, sh, argv, env, io),
        Binary::Pip => python::pip(world, sh, argv, env, io),
        Binary::NginxEntrypoint => nginx::entrypoint(world, sh, argv, env, io),
        Binary::Nginx => nginx::run(world, sh, argv, io),
        Binary::Curl => Exit::Code(net::curl(world, sh, argv, io)),
        Binary::PostgresEntrypoint | Binary::Postgres(_) | Binary::SuExec => postgres::run(world, sh, binary, argv, env, io),
        Binary::Apk => {
            // No network in the simulated machine: the index cannot be fetched.
            io.err_line("WARNING: fetching https://dl-cdn.alpinelinux.org/alpine/v3.20/main: DNS lookup error");
            io.err_line("WARNING: fetching https://dl-cdn.alpinelinux.org/alpine/v3.20/community: DNS lookup error");
            Exit::Code(1)
        }
        Binary::AptGet | Binary::Dpkg => {
            io.err_line(&format!("E: {name}: package downloads are not simulated (the machine has no network)"));
            Exit::Code(100)
        }
        _ => {
            io.err_line(&format!("{name}: not simulated"));
            Exit::Code(126)
        }
    }
}
