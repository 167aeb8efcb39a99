//! Line tools that number, reverse and join: `nl`, `rev`, `paste`, and the pagers `more` and
//! `less` when they only copy, their output not being a terminal (oracle-47, oracle-69).

use super::{read_input, split_opts, Proc};

/// `nl [-ba] [FILE]`: lines numbered (six wide, a tab); by default empty lines are not.
pub(super) fn nl(p: &mut Proc, args: &[String]) -> i32 {
    // `-ba` (or `-b a`): number every line, empty ones too.
    let all = args.iter().any(|a| a == "-ba" || a == "--body-numbering=a") || args.windows(2).any(|w| w[0] == "-b" && w[1] == "a");
    let files: Vec<String> =
        args.iter().enumerate().filter(|(i, a)| !(a.starts_with('-') || (*i > 0 && args[i - 1] == "-b"))).map(|(_, a)| a.clone()).collect();
    let input = files.first().cloned().unwrap_or_else(|| "-".into());
    let Some(data) = read_input(p, &input) else { return 1 };
    let mut n = 0;
    let mut out = String::new();
    for line in String::from_utf8_lossy(&data).lines() {
        if line.is_empty() && !all {
            out.push_str("       \n");
        } else {
            n += 1;
            out.push_str(&format!("{n:>6}\t{line}\n"));
        }
    }
    p.out(&out);
    0
}

/// `rev [FILE…]`: each line's characters reversed.
pub(super) fn rev(p: &mut Proc, args: &[String]) -> i32 {
    per_input(p, args, |text| text.lines().map(|l| format!("{}\n", l.chars().rev().collect::<String>())).collect())
}

/// Each input (stdin when none is named) turned into output by `f`; 1 if one could not be read.
pub(super) fn per_input(p: &mut Proc, args: &[String], f: impl Fn(&str) -> String) -> i32 {
    let (_, files) = split_opts(args);
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut status = 0;
    for name in inputs {
        let Some(data) = read_input(p, &name) else {
            status = 1;
            continue;
        };
        let out = f(&String::from_utf8_lossy(&data));
        p.out(&out);
    }
    status
}

/// `paste [-s] [-d LIST] FILE…`: the files' lines side by side (or each file on one line with
/// `-s`), joined by tabs or the delimiters given. Busybox leaves out the delimiter before a
/// line whose earlier files have run out.
pub(super) fn paste(p: &mut Proc, args: &[String]) -> i32 {
    let mut serial = false;
    let mut delims = vec!['\t'];
    let mut files = Vec::new();
    let mut at = 0;
    while let Some(a) = args.get(at) {
        match a.as_str() {
            "-s" | "--serial" => serial = true,
            "-d" => {
                delims = args.get(at + 1).map(|d| d.chars().collect()).unwrap_or_default();
                at += 1;
            }
            d if d.starts_with("-d") => delims = d.chars().skip(2).collect(),
            // `-sd,`: both in one cluster.
            d if d.starts_with("-s") && d.len() > 2 => {
                serial = true;
                if let Some(rest) = d.strip_prefix("-sd") {
                    delims = rest.chars().collect();
                    if delims.is_empty() {
                        delims = args.get(at + 1).map(|d| d.chars().collect()).unwrap_or_default();
                        at += 1;
                    }
                }
            }
            f => files.push(f.to_string()),
        }
        at += 1;
    }
    if delims.is_empty() {
        delims.push('\t');
    }
    // No file: standard input.
    if files.is_empty() {
        files.push("-".to_string());
    }
    let mut columns: Vec<Vec<String>> = Vec::new();
    // Several `-`: each takes the next line of standard input in turn (`paste - -`).
    let dashes = files.iter().filter(|f| *f == "-").count();
    let mut stdin_lines: Option<Vec<String>> = None;
    let mut dash_at = 0;
    for f in &files {
        if f == "-" && dashes > 1 {
            let lines = match &stdin_lines {
                Some(lines) => lines,
                None => {
                    let Some(data) = read_input(p, "-") else { return 1 };
                    stdin_lines.insert(String::from_utf8_lossy(&data).lines().map(str::to_string).collect())
                }
            };
            columns.push(lines.iter().skip(dash_at).step_by(dashes).cloned().collect());
            dash_at += 1;
            continue;
        }
        let Some(data) = read_input(p, f) else { return 1 };
        columns.push(String::from_utf8_lossy(&data).lines().map(str::to_string).collect());
    }
    let join = |cells: &[String]| {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                line.push(delims[(i - 1) % delims.len()]);
            }
            line.push_str(cell);
        }
        line
    };
    let mut out = String::new();
    if serial {
        for column in &columns {
            out.push_str(&join(column));
            out.push('\n');
        }
    } else {
        let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
        for r in 0..rows {
            let cells: Vec<String> = columns.iter().map(|c| c.get(r).cloned().unwrap_or_default()).collect();
            let mut line = join(&cells);
            if !p.gnu {
                // Busybox writes nothing, not even the delimiter, for a file that has ended first.
                let ended = columns.iter().take_while(|c| c.get(r).is_none()).count();
                let skip: usize = (0..ended).map(|i| delims[i % delims.len()].len_utf8()).sum();
                line = line.get(skip..).unwrap_or_default().to_string();
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    p.out(&out);
    0
}

/// `more FILE…` that only copies: at a terminal the files as they are (short files need no
/// pager); elsewhere util-linux's more puts each file's name between rows of colons.
pub(super) fn more(p: &mut Proc, args: &[String]) -> i32 {
    let (_, files) = split_opts(args);
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    let headers = p.gnu && !p.io.stdout_terminal && inputs.iter().any(|f| f != "-");
    let mut status = 0;
    for f in inputs {
        let Some(data) = read_input(p, &f) else {
            status = 1;
            continue;
        };
        if headers {
            p.out(&format!("::::::::::::::\n{f}\n::::::::::::::\n"));
        }
        p.io.write_out(&data);
    }
    status
}

/// `less FILE…` into a pipe or file: the files copied. GNU less says a missing file on
/// stdout and still ends with 0; busybox's complains as its tools do (oracle-69).
pub(super) fn less(p: &mut Proc, args: &[String]) -> i32 {
    let (_, files) = split_opts(args);
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut status = 0;
    for f in inputs {
        if p.gnu && f != "-" {
            match p.world.read(&p.ctx, &f) {
                Ok(d) => p.io.write_out(&super::limited(&d)),
                Err(e) => p.out_line(&format!("{f}: {e}")),
            }
            continue;
        }
        match read_input(p, &f) {
            Some(data) => p.io.write_out(&data),
            None => status = 1,
        }
    }
    status
}

/// busybox `strings [-n N] [-f] [FILE…]`: the runs of at least N (4) printable characters, a
/// line each, with the file's name before each with `-f` (oracle-74).
pub(super) fn strings(p: &mut Proc, args: &[String]) -> i32 {
    let mut least = 4usize;
    let mut named = false;
    let mut files = Vec::new();
    let mut cursor = super::Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-n" => match cursor.next().and_then(|n| n.parse().ok()) {
                Some(n) => least = n,
                None => return p.busybox_usage(),
            },
            "-f" => named = true,
            "-a" => {}
            _ => files.push(a.clone()),
        }
    }
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut status = 0;
    for f in inputs {
        let Some(data) = read_input(p, &f) else {
            status = 1;
            continue;
        };
        let mut out = Vec::new();
        for run in data.split(|&b| !(b == b'\t' || (0x20..0x7f).contains(&b))) {
            if run.len() >= least {
                if named {
                    out.extend_from_slice(format!("{f}: ").as_bytes());
                }
                out.extend_from_slice(run);
                out.push(b'\n');
            }
        }
        p.io.write_out(&out);
    }
    status
}
