//! Where a file's data is: `filefrag` (e2fsprogs: its ext4 extents) and `fincore` (util-linux:
//! its pages in the page cache), on the host (oracle-171). A file's data is the ranges its holes
//! leave (`truncate`, `dd seek=` make holes); ext4 keeps each run of data in one extent (of at
//! most 128 MiB), and a file just written is all in the cache.

use super::Proc;
use crate::fs::FileType;
use crate::vfs::{FsType, Stat};

const PAGE: u64 = 4096;
/// An ext4 extent covers at most 32768 blocks.
const EXTENT_MAX: u64 = 32768 * PAGE;

/// The runs of a file's data: `[start, end)` between its holes.
fn data_runs(p: &Proc, path: &str, st: &Stat) -> Vec<(u64, u64)> {
    let holes = p.world.file_holes(&p.ctx, path);
    let mut runs = Vec::new();
    let mut at = 0;
    for (start, end) in holes {
        if start > at {
            runs.push((at, start.min(st.size)));
        }
        at = at.max(end);
    }
    if at < st.size {
        runs.push((at, st.size));
    }
    runs.retain(|(s, e)| e > s);
    runs
}

/// The 4 KiB pages the runs touch (a page holding any data counts once).
fn pages(runs: &[(u64, u64)]) -> u64 {
    let mut count = 0;
    let mut last_page: Option<u64> = None;
    for (start, end) in runs {
        let (first, last) = (start / PAGE, (end - 1) / PAGE);
        let first = match last_page {
            Some(l) if l >= first => l + 1,
            _ => first,
        };
        if last >= first {
            count += last - first + 1;
        }
        last_page = Some(last.max(last_page.unwrap_or(0)));
    }
    count
}

/// `filefrag [-bksx…] FILE…`: how many extents each file's data takes.
pub(super) fn filefrag(p: &mut Proc, args: &[String]) -> i32 {
    let (options, files): (Vec<&String>, Vec<&String>) = args.iter().partition(|a| a.starts_with('-') && a.len() > 1);
    if files.is_empty() {
        p.io.err_line("Usage: filefrag [-b{blocksize}[KMG]] [-BeEksvxX] file ...");
        return 1;
    }
    if options.iter().any(|o| *o == "-b") {
        p.io.err_line("filefrag: -b needs a blocksize option, assuming 1024-byte blocks.");
    }
    let mut status = 0;
    for f in files {
        let st = match p.world.stat(&p.ctx, f, true) {
            Ok(st) => st,
            Err(e) => {
                status = e.number() as i32;
                p.io.err_line(&format!("open: {e}"));
                continue;
            }
        };
        if let Err(e) = p.world.read(&p.ctx, f).map(|_| ()).or_else(|e| if st.ftype == FileType::Dir { Ok(()) } else { Err(e) }) {
            status = e.number() as i32;
            p.io.err_line(&format!("open: {e}"));
            continue;
        }
        let extents = match (st.ftype, st.fs) {
            (_, FsType::Proc | FsType::Sysfs) => 0,
            (FileType::Dir, _) => 1,
            _ => data_runs(p, f, &st).iter().map(|(s, e)| (e - s).div_ceil(EXTENT_MAX)).sum(),
        };
        let noun = if extents == 1 { "extent" } else { "extents" };
        p.out_line(&format!("{f}: {extents} {noun} found"));
    }
    status
}

/// util-linux's `size_to_human_string`: bytes under 1 KiB as they are, else in the largest
/// unit with a tenth (`575.1K`) or, for `two_digits`, hundredths (`23.33 KiB`), dropped when
/// they round to nothing; `long` units (`KiB`, after a space) or one letter (`K`).
pub(super) fn util_linux_size(bytes: u64, two_digits: bool, long: bool) -> String {
    const LETTERS: [&str; 6] = ["B", "K", "M", "G", "T", "P"];
    const LONG: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let units = if long { LONG } else { LETTERS };
    let space = if long { " " } else { "" };
    let mut exp = 0;
    while exp + 1 < units.len() && bytes >= 1 << (10 * (exp + 1)) {
        exp += 1;
    }
    if exp == 0 {
        return format!("{bytes}{space}B");
    }
    let shift = 10 * exp as u32;
    let mut whole = bytes >> shift;
    let thousandths = ((u128::from(bytes & ((1 << shift) - 1)) * 1000) >> shift) as u64;
    let (mut frac, full) = if two_digits { ((thousandths + 5) / 10, 100) } else { ((thousandths + 50) / 100, 10) };
    if frac >= full {
        whole += 1;
        frac = 0;
    }
    let unit = units[exp];
    match frac {
        0 => format!("{whole}{space}{unit}"),
        f if two_digits && f % 10 == 0 => format!("{whole}.{}{space}{unit}", f / 10),
        f if two_digits => format!("{whole}.{f:02}{space}{unit}"),
        f => format!("{whole}.{f}{space}{unit}"),
    }
}

/// `fincore [-bnr] [-o COLUMNS] FILE…`: each file's pages in the page cache.
pub(super) fn fincore(p: &mut Proc, args: &[String]) -> i32 {
    let (mut bytes, mut no_heading, mut raw) = (false, false, false);
    let mut columns: Vec<String> = ["RES", "PAGES", "SIZE", "FILE"].map(String::from).to_vec();
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "-b" | "--bytes" => bytes = true,
            "-n" | "--noheadings" => no_heading = true,
            "-r" | "--raw" => raw = true,
            "-o" | "--output" => {
                columns = args.get(i).map(|c| c.split(',').map(|s| s.to_ascii_uppercase()).collect()).unwrap_or_default();
                i += 1;
            }
            _ => files.push(a.clone()),
        }
    }
    if files.is_empty() {
        p.io.err_line("fincore: no file specified");
        p.io.err_line("Try 'fincore --help' for more information.");
        return 1;
    }
    let size = |n: u64| if bytes { n.to_string() } else { util_linux_size(n, false, false) };
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut status = 0;
    for f in &files {
        let st = match p.world.stat(&p.ctx, f, true) {
            Ok(st) => st,
            Err(e) => {
                p.io.err_line(&format!("fincore: failed to open: {f}: {e}"));
                status = 1;
                continue;
            }
        };
        if st.ftype == FileType::Dir {
            continue;
        }
        if let Err(e) = p.world.read(&p.ctx, f) {
            p.io.err_line(&format!("fincore: failed to open: {f}: {e}"));
            status = 1;
            continue;
        }
        let resident = if matches!(st.fs, FsType::Proc | FsType::Sysfs) { 0 } else { pages(&data_runs(p, f, &st)) };
        let row = columns
            .iter()
            .map(|c| match c.as_str() {
                "RES" => size(resident * PAGE),
                "PAGES" => resident.to_string(),
                "SIZE" => size(st.size),
                _ => f.clone(),
            })
            .collect();
        rows.push(row);
    }
    if rows.is_empty() {
        return status;
    }
    p.out(&table(&columns, &rows, !no_heading, raw));
    status
}

/// libsmartcols' table: numbers right-aligned in columns as wide as their widest cell or
/// heading, or as their width hint when the cells outgrow the heading but not the hint; the
/// file name last, as it is.
fn table(columns: &[String], rows: &[Vec<String>], heading: bool, raw: bool) -> String {
    let hint = |c: &str| match c {
        "RES" | "SIZE" => 5,
        _ => 1,
    };
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let data = rows.iter().map(|r| r.get(k).map_or(0, |s| s.chars().count())).max().unwrap_or(0);
            if data < c.len() {
                c.len()
            } else if data < hint(c) && c.len() < hint(c) {
                hint(c)
            } else {
                data
            }
        })
        .collect();
    let line = |cells: &[String]| {
        let last = cells.len().saturating_sub(1);
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(k, cell)| {
                let file_last = k == last && columns.get(k).is_some_and(|c| c == "FILE");
                if raw || file_last {
                    cell.clone()
                } else if columns.get(k).is_some_and(|c| c == "FILE") {
                    format!("{cell:<w$}", w = widths[k])
                } else {
                    format!("{cell:>w$}", w = widths[k])
                }
            })
            .collect();
        format!("{}\n", parts.join(" "))
    };
    let mut out = String::new();
    if heading {
        out.push_str(&line(columns));
    }
    for r in rows {
        out.push_str(&line(r));
    }
    out
}
