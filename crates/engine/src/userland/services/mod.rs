//! The long-running programs of the catalog images and their clients: nginx and curl/wget,
//! PostgreSQL and psql, Python and pip, and the package managers.

use super::binaries::Binary;
use super::Exit;
use crate::shell::{Io, Shell};
use crate::world::World;

/// Runs one of the simulated service binaries.
pub fn run(world: &mut World, sh: &mut Shell, binary: Binary, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let _ = (world, sh, env);
    let name = argv.first().map(|a| a.rsplit('/').next().unwrap_or(a)).unwrap_or("");
    match binary {
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
