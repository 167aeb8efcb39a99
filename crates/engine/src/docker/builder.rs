//! `docker builder du` and `docker builder prune` (buildx's commands, as `docker builder`
//! runs them): BuildKit's cache records in buildx's tab-padded columns, and the build cache's
//! part of `docker system prune`.

use stowage_template::tabwriter::TabWriter;

use super::flags::{self, flag, opt};
use super::format::human_size;
use super::prune::confirm;
use super::usage_error;
use crate::clock::{human_duration, rfc3339_nano};
use crate::daemon::build_cache::{self, PruneRules, RecordFilter, Usage};
use crate::shell::Io;
use crate::world::World;

/// buildx's writer: cells padded with tabs of width 8.
fn tab_writer() -> TabWriter {
    TabWriter::new(1, 8, 1, '\t', 0)
}

fn ago(world: &World, nanos: i128) -> String {
    format!("{} ago", human_duration((world.clock().nanos - nanos).max(0)))
}

fn table_row(world: &World, u: &Usage) -> String {
    let r = &u.record;
    let id = if r.mutable() { format!("{}*", r.id.0) } else { r.id.0.clone() };
    let size = format!("{}{}", human_size(r.size as f64, 4), if u.shared { "*" } else { "" });
    format!("{id:<40}\t{:<5}\t{size:<10}\t{}\n", "true", ago(world, r.last_used))
}

const TABLE_HEADER: &str = "ID\tRECLAIMABLE\tSIZE\tLAST ACCESSED\n";

/// One record as `--verbose` prints it; `typed`: with its record type (`du`, not `prune`).
fn verbose_block(world: &World, u: &Usage, typed: bool) -> String {
    let r = &u.record;
    let created = rfc3339_nano(r.created).replace('T', " ").replace('Z', " +0000 UTC");
    let mut text = format!("ID:\t{}\n", r.id.0);
    if let Some(p) = &r.parent {
        text.push_str(&format!("Parent:\t{}\n", p.0));
    }
    text.push_str(&format!(
        "Created at:\t{created}\nMutable:\t{}\nReclaimable:\ttrue\nShared:\t{}\nSize:\t{}\n",
        r.mutable(),
        u.shared,
        human_size(r.size as f64, 4)
    ));
    if !r.description.is_empty() {
        text.push_str(&format!("Description:\t{}\n", r.description));
    }
    text.push_str(&format!("Usage count:\t{}\nLast used:\t{}\n", r.usage_count, ago(world, r.last_used)));
    if typed {
        text.push_str(&format!("Type:\t{}\n", r.record_type()));
    }
    text.push('\n');
    text
}

/// `docker builder du [--filter F] [--verbose]`.
pub(super) fn du(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[opt("filter", None), flag("verbose", None), opt("builder", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "buildx du", &e),
    };
    let filter = RecordFilter::parse(&parsed.all("filter"));
    if let Some(e) = filter.syntax_error() {
        io.err_line(&format!("ERROR: failed to call diskusage: failed to parse diskusage filters {e}"));
        return 1;
    }
    let now = world.clock().nanos;
    let records: Vec<Usage> = build_cache::usage(world).into_iter().filter(|u| filter.takes(u, now)).collect();
    let mut tw = tab_writer();
    if parsed.has("verbose") {
        for u in &records {
            tw.write(&verbose_block(world, u, true));
        }
    } else if !records.is_empty() {
        tw.write(TABLE_HEADER);
        for u in &records {
            tw.write(&table_row(world, u));
        }
    }
    let mut text = tw.flush();
    // Filtered, buildx leaves the totals out.
    if filter.is_empty() {
        let total: u64 = records.iter().map(|u| u.record.size).sum();
        let shared: u64 = records.iter().filter(|u| u.shared).map(|u| u.record.size).sum();
        let mut tw = tab_writer();
        if shared > 0 {
            tw.write(&format!("Shared:\t{}\nPrivate:\t{}\n", human_size(shared as f64, 4), human_size((total - shared) as f64, 4)));
        }
        tw.write(&format!("Reclaimable:\t{}\nTotal:\t{}\n", human_size(total as f64, 4), human_size(total as f64, 4)));
        text.push_str(&tw.flush());
    }
    io.out_str(&text);
    0
}

/// `docker builder prune [-a] [-f] [--filter F] [--keep-storage SIZE] [--verbose]`: the records
/// removed as they go (the header with the first), then the total.
pub(super) fn prune(world: &mut World, args: &[String], io: &mut Io) -> i32 {
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
    let keep_bytes = match parsed.get("keep-storage") {
        None => 0,
        Some(v) => match crate::daemon::spec::parse_size(v) {
            Some(n) => n,
            None => {
                io.err_line(&format!("invalid argument \"{v}\" for \"--keep-storage\" flag: invalid size: '{v}'"));
                io.err_line("See 'docker buildx prune --help'.");
                return 125;
            }
        },
    };
    let warning = if parsed.has("all") {
        "WARNING! This will remove all build cache."
    } else {
        "WARNING! This will remove all dangling build cache."
    };
    if !parsed.has("force") && !confirm(world, io, warning) {
        return 0;
    }
    let filter = RecordFilter::parse(&parsed.all("filter"));
    let now = world.clock().nanos;
    let takes = |u: &Usage| filter.takes(u, now);
    let removed = build_cache::prune(world, &PruneRules { all: parsed.has("all"), keep_bytes, takes: &takes });
    let mut text = String::new();
    for (n, removed) in removed.iter().enumerate() {
        // BuildKit's prune answers leave out whether a record was shared (and its type).
        let u = &Usage { shared: false, ..removed.clone() };
        // buildx flushes its writer after each record: the header lines up with the first only.
        let mut tw = tab_writer();
        if parsed.has("verbose") {
            tw.write(&verbose_block(world, u, false));
        } else {
            if n == 0 {
                tw.write(TABLE_HEADER);
            }
            tw.write(&table_row(world, u));
        }
        text.push_str(&tw.flush());
    }
    let total: u64 = removed.iter().map(|u| u.record.size).sum();
    let mut tw = tab_writer();
    tw.write(&format!("Total:\t{}\n", human_size(total as f64, 4)));
    text.push_str(&tw.flush());
    io.out_str(&text);
    0
}
