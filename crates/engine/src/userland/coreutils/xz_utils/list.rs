//! `xz -l`: a table line a file (`-l`), or each file's streams and blocks (`-lv`), with the
//! block headers' details (`-lvv`), and the totals of several files — laid out as XZ Utils
//! 5.4.1's `list.c` lays them out (oracle-161).

use super::files::{error, nice_size, open, Mode, Options, Status};
use crate::userland::coreutils::Proc;
use crate::userland::xz::{self, XzInfo};

/// What the files listed so far add up to.
#[derive(Default)]
pub(super) struct Totals {
    files: u64,
    streams: u64,
    blocks: u64,
    compressed: u64,
    uncompressed: u64,
    padding: u64,
    /// The check ids seen, a bit each.
    checks: u16,
    memory: u64,
    all_have_sizes: bool,
    min_version: u32,
    /// The basic table's heading is printed once, above the first file listed.
    heading_printed: bool,
}

fn ratio(compressed: u64, uncompressed: u64) -> String {
    if uncompressed == 0 {
        return "---".into();
    }
    let r = compressed as f64 / uncompressed as f64;
    if r > 9.999 {
        "---".into()
    } else {
        format!("{r:.3}")
    }
}

/// A MiB figure, rounded up.
fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

/// Lists one file; `position` is its number and the number of files (`-lv`'s "(1/2)").
pub(super) fn list_file(p: &mut Proc, o: &Options, name: &str, position: (usize, usize), totals: &mut Totals) -> Status {
    if o.verbosity >= 1 {
        let blank = if position.0 > 1 { "\n" } else { "" };
        p.out(&format!("{blank}{name} ({}/{})\n", position.0, position.1));
    }
    if name == "-" {
        error(p, o, "--list does not support reading from standard input");
        return Status::Failed;
    }
    let listing_options = Options { mode: Mode::List, stdout: false, force: true, suffix: None, ..o.clone() };
    let (data, _) = match open(p, &listing_options, name) {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    let listing = match xz::list(&data) {
        Ok(l) => l,
        Err(e) => {
            error(p, o, &format!("{name}: {}", e.message()));
            return Status::Failed;
        }
    };
    if o.verbosity >= 1 {
        print_advanced(p, o, &listing);
    } else {
        if !totals.heading_printed {
            p.out("Strms  Blocks   Compressed Uncompressed  Ratio  Check   Filename\n");
            totals.heading_printed = true;
        }
        let (c, u) = (listing.file_size, listing.uncompressed_size);
        p.out(&format!(
            "{:>5} {:>7}  {:>11}  {:>11}  {:>5}  {:<7} {name}\n",
            listing.stream_count(),
            listing.block_count(),
            nice_size(c, false),
            nice_size(u, false),
            ratio(c, u),
            listing.check_names(",")
        ));
    }
    if let Some(Err(e)) = listing.blocks.iter().map(|b| &b.details).find(|d| d.is_err()).filter(|_| o.verbosity >= 2) {
        error(p, o, &format!("{name}: {}", e.message()));
        return Status::Failed;
    }
    add(totals, &listing);
    Status::Fine
}

fn add(totals: &mut Totals, l: &XzInfo) {
    if totals.files == 0 {
        totals.all_have_sizes = true;
        totals.min_version = 50_000_002;
    }
    totals.files += 1;
    totals.streams += l.stream_count();
    totals.blocks += l.block_count();
    totals.compressed += l.file_size;
    totals.uncompressed += l.uncompressed_size;
    totals.padding += l.stream_padding;
    totals.checks |= l.checks;
    totals.memory = totals.memory.max(l.memusage_max);
    totals.all_have_sizes &= l.all_have_sizes;
    totals.min_version = totals.min_version.max(l.min_version);
}

/// The checks of a set of ids: "CRC64" or "None,CRC32" (", " between them in `-v`).
fn check_names(checks: u16, separator: &str) -> String {
    let checks = if checks == 0 { 1 } else { checks };
    (0..16u8).filter(|i| checks & (1 << i) != 0).map(|i| xz::StoredCheck::from_id(i).name()).collect::<Vec<_>>().join(separator)
}

/// The `-v` summary lines, their labels padded to the longest.
fn summary(out: &mut String, counts: (u64, u64), sizes: (u64, u64), checks: u16, padding: u64) {
    out.push_str(&format!("  Streams:           {}\n", counts.0));
    out.push_str(&format!("  Blocks:            {}\n", counts.1));
    out.push_str(&format!("  Compressed size:   {}\n", nice_size(sizes.0, true)));
    out.push_str(&format!("  Uncompressed size: {}\n", nice_size(sizes.1, true)));
    out.push_str(&format!("  Ratio:             {}\n", ratio(sizes.0, sizes.1)));
    out.push_str(&format!("  Check:             {}\n", check_names(checks, ", ")));
    out.push_str(&format!("  Stream Padding:    {}\n", nice_size(padding, true)));
}

/// `-lv`: the summary, the streams, the blocks; `-lvv`: each block's header and check too,
/// up to a block whose header cannot be read (the error follows the table).
fn print_advanced(p: &mut Proc, o: &Options, l: &XzInfo) {
    let detailed = o.verbosity >= 2;
    let mut out = String::new();
    summary(&mut out, (l.stream_count(), l.block_count()), (l.file_size, l.uncompressed_size), l.checks, l.stream_padding);
    out.push_str("  Streams:\n");
    out.push_str("    Stream    Blocks      CompOffset    UncompOffset        CompSize      UncompSize  Ratio  Check      Padding\n");
    for s in &l.streams {
        out.push_str(&format!(
            "    {:>6} {:>9} {:>15} {:>15} {:>15} {:>15}  {:>5}  {:<10} {:>7}\n",
            s.number,
            s.block_count,
            s.compressed_offset,
            s.uncompressed_offset,
            s.compressed_size,
            s.uncompressed_size,
            ratio(s.compressed_size, s.uncompressed_size),
            s.check.name(),
            s.padding
        ));
    }
    if !l.blocks.is_empty() {
        let check_width = l.streams.iter().map(|s| 2 * s.check.size()).max().unwrap_or(0).max(1);
        out.push_str("  Blocks:\n    Stream     Block      CompOffset    UncompOffset       TotalSize      UncompSize  Ratio  ");
        if detailed {
            out.push_str(&format!("{:<10} {:<check_width$}  Header  Flags        CompSize    MemUsage  Filters", "Check", "CheckVal"));
        } else {
            out.push_str("Check");
        }
        out.push('\n');
        for b in &l.blocks {
            let details = match (&b.details, detailed) {
                (Err(_), true) => break,
                (Ok(d), true) => Some(d),
                _ => None,
            };
            out.push_str(&format!(
                "    {:>6} {:>9} {:>15} {:>15} {:>15} {:>15}  {:>5}  ",
                b.stream_number,
                b.number_in_stream,
                b.compressed_file_offset,
                b.uncompressed_file_offset,
                b.total_size,
                b.uncompressed_size,
                ratio(b.total_size, b.uncompressed_size)
            ));
            match details {
                Some(d) => out.push_str(&format!(
                    "{:<10} {:<check_width$}  {:>6}  {:<5} {:>15} {:>7} MiB  {}",
                    b.check.name(),
                    d.check_value,
                    d.header_size,
                    d.flags,
                    d.compressed_size,
                    mib(d.memusage),
                    d.filters
                )),
                None => out.push_str(&b.check.name()),
            }
            out.push('\n');
        }
    }
    if detailed && l.blocks.iter().all(|b| b.details.is_ok()) {
        out.push_str(&format!("  Memory needed:     {} MiB\n", mib(l.memusage_max)));
        out.push_str(&format!("  Sizes in headers:  {}\n", if l.all_have_sizes { "Yes" } else { "No" }));
        out.push_str(&format!("  Minimum XZ Utils version: {}\n", l.min_version_string()));
    }
    p.out(&out);
}

/// After several files, what they add up to.
pub(super) fn print_totals(p: &mut Proc, o: &Options, t: &Totals) {
    if t.files < 2 {
        return;
    }
    let mut out = String::new();
    if o.verbosity < 1 {
        out.push_str(&"-".repeat(79));
        out.push('\n');
        out.push_str(&format!(
            "{:>5} {:>7}  {:>11}  {:>11}  {:>5}  {:<7} {} files\n",
            t.streams,
            t.blocks,
            nice_size(t.compressed, false),
            nice_size(t.uncompressed, false),
            ratio(t.compressed, t.uncompressed),
            check_names(t.checks, ","),
            t.files
        ));
    } else {
        out.push_str("\nTotals:\n");
        out.push_str(&format!("  Number of files:   {}\n", t.files));
        summary(&mut out, (t.streams, t.blocks), (t.compressed, t.uncompressed), t.checks, t.padding);
        if o.verbosity >= 2 {
            out.push_str(&format!("  Memory needed:     {} MiB\n", mib(t.memory)));
            out.push_str(&format!("  Sizes in headers:  {}\n", if t.all_have_sizes { "Yes" } else { "No" }));
            out.push_str(&format!("  Minimum XZ Utils version: {}\n", crate::userland::xz::version_string(t.min_version)));
        }
    }
    p.out(&out);
}
