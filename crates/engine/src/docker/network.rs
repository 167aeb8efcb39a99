//! `docker network`: the machine has Docker's two built-in networks without a bridge (`host`
//! and `none`, as the recording machine runs dockerd with `--bridge=none`) and no custom ones.

use super::flags::{self, flag, opt};
use super::{prune::confirm, unknown_command, usage_error};
use crate::shell::Io;
use crate::world::World;

/// The built-in networks: name, driver, and an id fixed for the machine.
const NETWORKS: [(&str, &str, &str); 2] = [("host", "host", "7c0d6a1e2b4f"), ("none", "null", "3f9e8d2c1b0a")];

pub(super) fn cli(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("ls" | "list") => {
            let parsed = match flags::parse(
                rest,
                &[flag("quiet", Some('q')), opt("filter", Some('f')), opt("format", None), flag("no-trunc", None)],
                false,
            ) {
                Ok(p) => p,
                Err(e) => return usage_error(io, "network ls", &e),
            };
            if parsed.has("quiet") {
                for (_, _, id) in NETWORKS {
                    io.out_str(&format!("{id}\n"));
                }
                return 0;
            }
            let mut text = String::from("NETWORK ID\tNAME\tDRIVER\tSCOPE\n");
            for (name, driver, id) in NETWORKS {
                text.push_str(&format!("{id}\t{name}\t{driver}\tlocal\n"));
            }
            io.out_str(&super::format::tabwrite(&text));
            0
        }
        Some("prune") => {
            let parsed = match flags::parse(rest, &[flag("force", Some('f')), opt("filter", None)], false) {
                Ok(p) => p,
                Err(e) => return usage_error(io, "network prune", &e),
            };
            if !parsed.has("force")
                && !confirm(world, io, "WARNING! This will remove all custom networks not used by at least one container.")
            {
                return 0;
            }
            // No custom networks: nothing removed, nothing said (oracle-22).
            0
        }
        _ => unknown_command(io, "network", args.first()),
    }
}
