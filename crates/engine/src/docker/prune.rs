//! Pruning: the `[y/N]` question and the total every prune prints, `docker container prune`
//! and `docker system prune`.

use super::flags::{self, flag, opt};
use super::format::human_size;
use super::prune_filter::PruneFilter;
use super::{image, remove_container, usage_error, volume};
use crate::daemon::build_cache::{self, PruneRules, RecordFilter, Usage};
use crate::fs::InodeId;
use crate::shell::Io;
use crate::world::{ContainerId, Status, World};

/// A prune's question: the warning, `[y/N]`, and the answer from stdin (an empty stdin is "no",
/// which prints an empty line as Docker does). At a terminal with nothing typed ahead the
/// question waits: the engine takes the next line as the answer (see `Engine::run`).
pub(crate) fn confirm(world: &mut World, io: &mut Io, warning: &str) -> bool {
    io.out_str(&format!("{warning}\nAre you sure you want to continue? [y/N] "));
    if world.tty() && io.stdin.is_empty() && !world.answering() {
        world.ask_question();
        return false;
    }
    let answer = String::from_utf8_lossy(&io.stdin).lines().next().unwrap_or("").trim().to_ascii_lowercase();
    io.stdin.clear();
    let yes = answer == "y" || answer == "yes";
    // Piped, Docker's line ends after the question; typed, the terminal ended it already.
    if !yes && !world.answering() {
        io.out_str("\n");
    }
    yes
}

pub(super) fn container_prune(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("force", Some('f')), opt("filter", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "container prune", &e),
    };
    let filter = match PruneFilter::parse(world, &parsed.all("filter"), &["label", "label!", "until"]) {
        Ok(f) => f,
        Err(e) => return super::daemon_error(io, &e),
    };
    if !parsed.has("force") && !confirm(world, io, "WARNING! This will remove all stopped containers.") {
        return 0;
    }
    let (reclaimed, report) = prune_stopped_containers(world, &filter);
    print_prune_result(io, &[&report], reclaimed, 3);
    0
}

/// Removes every container that is not running (and that the filters take): the bytes of
/// their writable layers, and the report (`Deleted Containers:` and the ids; empty when none).
fn prune_stopped_containers(world: &mut World, filter: &PruneFilter) -> (u64, String) {
    let mut report = String::new();
    let mut reclaimed = 0;
    let stopped: Vec<(ContainerId, InodeId)> = world
        .containers()
        .iter()
        .filter(|c| c.status != Status::Running && filter.takes(&c.labels, c.created))
        .map(|c| (c.id.clone(), c.upper))
        .collect();
    for (id, upper) in stopped {
        let (bytes, _) = world.fs().usage(upper);
        reclaimed += bytes;
        if report.is_empty() {
            report.push_str("Deleted Containers:\n");
        }
        report.push_str(&format!("{id}\n"));
        remove_container(world, &id, false);
    }
    (reclaimed, report)
}

/// The end of a prune: each non-empty report as the CLI prints it (`Println`: one more
/// newline), then the total at `precision` significant digits (as each command rounds it).
pub(crate) fn print_prune_result(io: &mut Io, reports: &[&str], reclaimed: u64, precision: usize) {
    for report in reports.iter().filter(|r| !r.is_empty()) {
        io.out_str(report);
        io.out_str("\n");
    }
    io.out_str(&format!("Total reclaimed space: {}\n", human_size(reclaimed as f64, precision)));
}

/// `docker system prune [-a] [-f] [--volumes]`: stopped containers, (anonymous volumes), dangling
/// or unused images, the build cache, in that order, then the total. There are no networks to
/// remove in the simulation.
pub(super) fn system_prune(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let specs = [flag("all", Some('a')), flag("force", Some('f')), flag("volumes", None), opt("filter", None)];
    let parsed = match flags::parse(args, &specs, false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "system prune", &e),
    };
    if !parsed.operands.is_empty() {
        io.err_line("\"docker system prune\" accepts no arguments.");
        io.err_line("See 'docker system prune --help'.");
        io.err_line("");
        io.err_line("Usage:  docker system prune [OPTIONS]");
        io.err_line("");
        io.err_line("Remove unused data");
        return 1;
    }
    let (all, volumes) = (parsed.has("all"), parsed.has("volumes"));
    let filter = match PruneFilter::parse(world, &parsed.all("filter"), &["label", "label!", "until"]) {
        Ok(f) => f,
        Err(e) => return super::daemon_error(io, &e),
    };
    if !parsed.has("force") {
        let mut warning =
            String::from("WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n");
        if volumes {
            warning.push_str("  - all anonymous volumes not used by at least one container\n");
        }
        warning.push_str(if all {
            "  - all images without at least one container associated to them\n  - all build cache\n"
        } else {
            "  - all dangling images\n  - unused build cache\n"
        });
        if !confirm(world, io, &warning) {
            return 0;
        }
    }
    let (containers_bytes, containers) = prune_stopped_containers(world, &filter);
    let (volumes_bytes, volumes) = if volumes { volume::prune_unused(world, false, filter.label_pairs()) } else { (0, String::new()) };
    let (images_bytes, images) = image::prune_images(world, all, &filter);
    // Then the build cache: what no image shares, or all of it with `-a` (bc2, oracle-151).
    let (cache_bytes, cache) = prune_build_cache(world, all, &parsed.all("filter"));
    print_prune_result(io, &[&containers, &volumes, &images, &cache], containers_bytes + volumes_bytes + images_bytes + cache_bytes, 4);
    0
}

/// The build cache's part of `docker system prune`: unshared records (all of them with
/// `all`); a `label` filter does not hold them back (oracle-151). The bytes, and the report
/// (`Deleted build cache objects:` and the ids; empty when none).
fn prune_build_cache(world: &mut World, all: bool, filters: &[String]) -> (u64, String) {
    // Labels are for containers, images and volumes: the cache's records are taken all the same.
    let filters: Vec<String> = filters.iter().filter(|f| !f.starts_with("label=") && !f.starts_with("label!=")).cloned().collect();
    let filter = RecordFilter::parse(&filters);
    let now = world.clock().nanos;
    let takes = |u: &Usage| filter.takes(u, now);
    let removed = build_cache::prune(world, &PruneRules { all, keep_bytes: 0, takes: &takes });
    if removed.is_empty() {
        return (0, String::new());
    }
    let mut report = String::from("Deleted build cache objects:\n");
    for u in &removed {
        report.push_str(&format!("{}\n", u.record.id.0));
    }
    (removed.iter().map(|u| u.record.size).sum(), report)
}
