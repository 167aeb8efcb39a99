//! Pruning: the `[y/N]` question and the total every prune prints, `docker container prune`
//! and `docker system prune`.

use super::flags::{self, flag, opt};
use super::format::human_size;
use super::prune_filter::PruneFilter;
use super::{image, remove_container, usage_error, volume};
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
/// or unused images, in that order, then the total. There are no networks or build cache records
/// to remove in the simulation.
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
    // The build cache goes too, its cache mounts with it.
    world.forget_build_cache_mounts();
    print_prune_result(io, &[&containers, &volumes, &images], containers_bytes + volumes_bytes + images_bytes, 4);
    0
}

/// `docker builder prune`: the simulation keeps no build cache records to remove.
pub(super) fn builder_prune(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let specs = [
        flag("all", Some('a')),
        flag("force", Some('f')),
        opt("filter", None),
        opt("keep-storage", None),
        opt("builder", None),
        flag("verbose", None),
    ];
    let parsed = match flags::parse(args, &specs, false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "builder prune", &e),
    };
    let warning = if parsed.has("all") {
        "WARNING! This will remove all build cache."
    } else {
        "WARNING! This will remove all dangling build cache."
    };
    if !parsed.has("force") && !confirm(world, io, warning) {
        return 0;
    }
    // The cache forgets its RUN steps: all of them, or (dangling ones) those of layers no
    // image uses.
    let used: Vec<usize> = world.images().iter().flat_map(|im| im.layers.iter().copied()).collect();
    for at in 0..world.layers().len() {
        if parsed.has("all") || !used.contains(&at) {
            if let Some(layer) = world.layer_mut(at) {
                layer.build_steps.clear();
            }
        }
    }
    world.forget_build_cache_mounts();
    io.out_str("Total:\t0B\n");
    0
}
