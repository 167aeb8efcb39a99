//! `docker stats`: one reading of each container's cgroup counters. The simulation has no
//! scheduler nor memory accounting, so what it shows is what this machine shows for an idle
//! container (oracle-125): no CPU, no network or block I/O (no bridge, no blkio accounting),
//! the limit as `-m` or the machine's memory set it, its processes counted; the memory in use
//! is a fixed stand-in for a small process's (Docker's own figure varies from run to run).
//! Without `--no-stream` Docker redraws the table every second until interrupted: a
//! simulation that cannot be interrupted mid-command prints the first reading.

use serde_json::{json, Value};

use super::flags::{self, flag, opt};
use super::format::{self, tabwrite};
use super::messages::usage_error;
use crate::daemon::resources::MEM_TOTAL;
use crate::shell::Io;
use crate::world::{Container, Status, World};

/// The memory one idle process of the images holds, in bytes (what `sleep` shows).
const MEMORY_PER_PROCESS: u64 = 488 * 1024;

pub(super) fn stats(world: &World, args: &[String], io: &mut Io) -> i32 {
    let specs = [flag("all", Some('a')), opt("format", None), flag("no-stream", None), flag("no-trunc", None), flag("help", None)];
    let parsed = match flags::parse(args, &specs, false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "stats", &e),
    };
    // Named containers are shown whatever their state, each under the name it was given.
    let mut chosen: Vec<(&Container, String)> = Vec::new();
    for name in &parsed.operands {
        match world.find_container(name).and_then(|id| world.container(&id)) {
            Some(c) => chosen.push((c, name.clone())),
            None => {
                io.err_line(&format!("Error response from daemon: No such container: {name}"));
                return 1;
            }
        }
    }
    if parsed.operands.is_empty() {
        let all = parsed.has("all");
        chosen =
            world.containers().iter().rev().filter(|c| all || c.status == Status::Running).map(|c| (c, c.id.short().to_string())).collect();
    }
    let no_trunc = parsed.has("no-trunc");
    let rows: Vec<Value> = chosen.iter().map(|(c, given)| row(c, given, no_trunc)).collect();
    let headers = [
        ("Container", "CONTAINER"),
        ("ID", "CONTAINER ID"),
        ("Name", "NAME"),
        ("CPUPerc", "CPU %"),
        ("MemUsage", "MEM USAGE / LIMIT"),
        ("MemPerc", "MEM %"),
        ("NetIO", "NET I/O"),
        ("BlockIO", "BLOCK I/O"),
        ("PIDs", "PIDS"),
    ];
    match parsed.get("format") {
        Some(f) if f != "table" => format::print_list(io, f, &rows, &headers),
        _ => {
            let mut text = String::from("CONTAINER ID\tNAME\tCPU %\tMEM USAGE / LIMIT\tMEM %\tNET I/O\tBLOCK I/O\tPIDS\n");
            for r in &rows {
                let cell = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                let cells: Vec<String> = ["ID", "Name", "CPUPerc", "MemUsage", "MemPerc", "NetIO", "BlockIO", "PIDs"].map(cell).into();
                text.push_str(&format!("{}\n", cells.join("\t")));
            }
            io.out_str(&tabwrite(&text));
            0
        }
    }
}

/// One container's reading, as the CLI's stats context names its fields.
fn row(c: &Container, given: &str, no_trunc: bool) -> Value {
    let running = c.status == Status::Running && !c.paused;
    let id = if no_trunc { c.id.to_string() } else { c.id.short().to_string() };
    let (usage, limit, pids) = if running {
        let pids = super::control::processes(c).len() as u64;
        let limit = if c.host.resources.memory > 0 { c.host.resources.memory as u64 } else { MEM_TOTAL };
        (MEMORY_PER_PROCESS * pids, limit, pids)
    } else {
        (0, 0, 0)
    };
    let percent = if limit == 0 { 0.0 } else { usage as f64 * 100.0 / limit as f64 };
    json!({
        "Container": given,
        "ID": id,
        "Name": c.name,
        "CPUPerc": "0.00%",
        "MemUsage": format!("{} / {}", format::bytes_size(usage as f64), format::bytes_size(limit as f64)),
        "MemPerc": format!("{percent:.2}%"),
        "NetIO": "0B / 0B",
        "BlockIO": "0B / 0B",
        "PIDs": pids.to_string(),
    })
}

#[cfg(test)]
mod tests {
    fn bytes_size(n: u64) -> String {
        super::format::bytes_size(n as f64)
    }

    #[test]
    fn sizes_are_written_as_go_units_writes_them() {
        assert_eq!(bytes_size(0), "0B");
        assert_eq!(bytes_size(476 * 1024), "476KiB");
        assert_eq!(bytes_size(100 << 20), "100MiB");
        assert_eq!(bytes_size(25_276_063_744), "23.54GiB");
    }
}
