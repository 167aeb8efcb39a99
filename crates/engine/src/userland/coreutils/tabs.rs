//! Blanks and line ends: `expand` and `unexpand` (tabs to spaces and back, at stops every 8
//! columns or where `-t` puts them), busybox's `dos2unix` and `unix2dos` (oracle-69).

use super::{read_input, Proc};
use crate::fs::Data;
use crate::vfs::WriteMode;

/// Where `-t` puts the tab stops: every N columns, or at a list of columns.
enum Stops {
    Every(usize),
    At(Vec<usize>),
}

impl Stops {
    /// The first stop past `column`.
    fn next(&self, column: usize) -> usize {
        match self {
            Stops::Every(n) => (column / n + 1) * n,
            Stops::At(list) => list.iter().copied().find(|&s| s > column).unwrap_or(column + 1),
        }
    }
}

/// The options both tools read: `-t N` / `-t LIST` and `-a` / `-i` (each tool takes its own);
/// the files, or `None` after a complaint.
fn parse(p: &mut Proc, args: &[String]) -> Option<(Stops, bool, Vec<String>)> {
    let mut stops = Stops::Every(8);
    let mut flag = false;
    let mut files = Vec::new();
    let mut cursor = super::Cursor::new(args);
    while let Some(a) = cursor.next() {
        let spec = match a.as_str() {
            "-t" | "--tabs" => cursor.next().cloned(),
            "-a" | "--all" | "-i" | "--initial" => {
                flag = true;
                continue;
            }
            s if s.starts_with("--tabs=") => s.get(7..).map(str::to_string),
            s if s.starts_with("-t") => s.get(2..).map(str::to_string),
            _ => {
                files.push(a.clone());
                continue;
            }
        };
        let list: Option<Vec<usize>> =
            spec.as_deref().map(|s| s.split([',', ' ']).filter(|x| !x.is_empty()).map(|x| x.parse().ok()).collect()).and_then(|l| l);
        stops = match list {
            Some(l) if l.len() == 1 && l[0] > 0 => Stops::Every(l[0]),
            Some(l) if l.len() > 1 && l.windows(2).all(|w| w[0] < w[1]) => Stops::At(l),
            _ => {
                let v = spec.unwrap_or_default();
                let q = p.vq(&v);
                if p.gnu && matches!(list.as_deref(), Some([0])) {
                    p.err("tab size cannot be 0");
                } else if p.gnu {
                    p.err(&format!("tab size contains invalid character(s): {q}"));
                } else {
                    p.err(&format!("invalid number {q}"));
                }
                return None;
            }
        };
    }
    if files.is_empty() {
        files.push("-".to_string());
    }
    Some((stops, flag, files))
}

/// `expand [-t N|LIST] [-i] [FILE…]`: each tab as the spaces up to the next stop (with `-i`
/// only the tabs before a line's first other character).
pub(super) fn expand(p: &mut Proc, args: &[String]) -> i32 {
    let Some((stops, initial, files)) = parse(p, args) else { return 1 };
    each_line(p, &files, |line| {
        let mut out = Vec::new();
        let mut column = 0;
        let mut leading = true;
        for &b in line {
            if b == b'\t' && (leading || !initial) {
                let next = stops.next(column);
                out.resize(out.len() + (next - column), b' ');
                column = next;
                continue;
            }
            leading &= b == b' ' || b == b'\t';
            out.push(b);
            column = if b == b'\x08' { column.saturating_sub(1) } else { column + usize::from(b & 0xC0 != 0x80) };
        }
        out
    })
}

/// `unexpand [-a] [-t N|LIST] [FILE…]`: runs of blanks that reach a tab stop as tabs; by
/// default only at the start of a line (`-a`, or `-t`, everywhere). A single space before a
/// stop stays a space.
pub(super) fn unexpand(p: &mut Proc, args: &[String]) -> i32 {
    let explicit_stops = args.iter().any(|a| a.starts_with("-t") || a.starts_with("--tabs"));
    let Some((stops, all, files)) = parse(p, args) else { return 1 };
    let everywhere = all || explicit_stops;
    each_line(p, &files, |line| {
        let mut out = Vec::new();
        let mut column = 0;
        let mut pending: Vec<u8> = Vec::new();
        let mut leading = true;
        for &b in line {
            let blank = b == b' ' || b == b'\t';
            if blank && (leading || everywhere) {
                pending.push(b);
                let next = if b == b'\t' { stops.next(column) } else { column + 1 };
                if next >= stops.next(column) || b == b'\t' {
                    // The run reached a stop: a tab, unless it is one lone space.
                    if pending.len() > 1 || b == b'\t' {
                        out.push(b'\t');
                    } else {
                        out.push(b' ');
                    }
                    pending.clear();
                }
                column = next;
                continue;
            }
            out.append(&mut pending);
            leading = false;
            out.push(b);
            column += usize::from(b & 0xC0 != 0x80);
        }
        out.append(&mut pending);
        out
    })
}

/// Runs `change` over each line of the inputs (without its newline), writing what it makes.
fn each_line(p: &mut Proc, files: &[String], mut change: impl FnMut(&[u8]) -> Vec<u8>) -> i32 {
    let mut status = 0;
    for f in files {
        let Some(data) = read_input(p, f) else {
            status = 1;
            continue;
        };
        let mut out = Vec::new();
        for (n, line) in data.split(|&b| b == b'\n').enumerate() {
            if n > 0 {
                out.push(b'\n');
            }
            out.extend(change(line));
        }
        p.io.write_out(&out);
    }
    status
}

/// busybox `dos2unix [-ud] [FILE…]` and `unix2dos [-ud] [FILE…]`: line ends as `\n` (`-u`) or
/// `\r\n` (`-d`); stdin to stdout, or each file rewritten in place.
pub(super) fn line_ends(p: &mut Proc, args: &[String]) -> i32 {
    let mut to_dos = p.name == "unix2dos";
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "-u" => to_dos = false,
            "-d" => to_dos = true,
            s if s.starts_with('-') && s.len() > 1 => return p.busybox_usage(),
            _ => files.push(a.clone()),
        }
    }
    let convert = |data: &[u8]| {
        let mut out = Vec::with_capacity(data.len());
        for &b in data {
            match b {
                b'\r' => {}
                b'\n' if to_dos => out.extend_from_slice(b"\r\n"),
                _ => out.push(b),
            }
        }
        out
    };
    if files.is_empty() {
        let data = std::mem::take(&mut p.io.stdin);
        p.io.write_out(&convert(&data));
        return 0;
    }
    for f in files {
        let Some(data) = read_input(p, &f) else { return 1 };
        if let Err(e) = p.world.write_file(&p.ctx, &f, &Data::from_bytes(&convert(&data)), WriteMode::Truncate) {
            p.err(&format!("can't open '{f}': {e}"));
            return 1;
        }
    }
    0
}
