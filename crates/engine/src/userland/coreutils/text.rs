//! Text tools: `cat`, `head`/`tail`, `wc`, `sort`, `tee` and `cut`.

use crate::fs::Data;

use crate::vfs::WriteMode;

use super::{has, read_input, split_opts, Proc};

/// `cat -v`: a control character as `^X`, DEL as `^?`, a byte above 127 as `M-` and the
/// byte below it shown the same way.
fn shown_byte(b: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let low = if b >= 128 {
        out.extend_from_slice(b"M-");
        b - 128
    } else {
        b
    };
    match low {
        0..=31 => out.extend_from_slice(&[b'^', low + 64]),
        127 => out.extend_from_slice(b"^?"),
        _ => out.push(low),
    }
    out
}

pub(super) fn cat(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let flag = |c: char, long: &str| opts.iter().any(|o| o == long || (!o.starts_with("--") && o.contains(c)));
    // -A is -vET; -e is -vE, -t is -vT.
    let (all, number, nonblank) = (flag('A', "--show-all"), flag('n', "--number"), flag('b', "--number-nonblank"));
    let ends = all || flag('E', "--show-ends") || flag('e', "");
    let tabs = all || flag('T', "--show-tabs") || flag('t', "");
    let squeeze = flag('s', "--squeeze-blank");
    let visible = all || flag('v', "--show-nonprinting") || flag('e', "") || flag('t', "");
    let ops = if ops.is_empty() { vec!["-".to_string()] } else { ops };
    let mut status = 0;
    let plain = !(number || nonblank || ends || tabs || squeeze || visible);
    let mut line_no = 0;
    let mut last_blank = false;
    for f in ops {
        let Some(d) = read_input(p, &f) else {
            status = 1;
            continue;
        };
        if plain {
            p.io.out.extend_from_slice(&d);
            continue;
        }
        let mut out = Vec::new();
        for line in d.split_inclusive(|b| *b == b'\n') {
            let (body, newline) = match line.strip_suffix(b"\n") {
                Some(b) => (b, true),
                None => (line, false),
            };
            let blank = body.is_empty() && newline;
            if squeeze && blank && last_blank {
                continue;
            }
            last_blank = blank;
            if (number && !nonblank) || (nonblank && !blank) {
                line_no += 1;
                out.extend_from_slice(format!("{line_no:>6}\t").as_bytes());
            }
            for b in body {
                match *b {
                    b'\t' if tabs => out.extend_from_slice(b"^I"),
                    b'\t' => out.push(b'\t'),
                    b if visible => out.extend_from_slice(&shown_byte(b)),
                    b => out.push(b),
                }
            }
            if ends && newline {
                out.push(b'$');
            }
            if newline {
                out.push(b'\n');
            }
        }
        p.io.write_out(&out);
    }
    status
}

pub(super) fn head_tail(p: &mut Proc, args: &[String]) -> i32 {
    let mut lines: Option<usize> = Some(10);
    let mut bytes: Option<u64> = None;
    // `tail -n +N`: from line N on, not the last N; `head -n -N`: all but the last N.
    let mut from_start = false;
    let mut all_but = false;
    // `-q` never names the files, `-v` always does; by default, when there are several.
    let mut headers: Option<bool> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-n" || a == "-c" {
            let v = args.get(i + 1).cloned().unwrap_or_default();
            if a == "-n" {
                from_start = v.starts_with('+');
                all_but = v.starts_with('-') && p.name == "head";
                lines = v.trim_start_matches(['+', '-']).parse().ok().filter(|_| !v.starts_with('-') || all_but);
                if lines.is_none() && !v.is_empty() {
                    let q = p.vq(&v);
                    p.err(&if p.gnu { format!("invalid number of lines: {q}") } else { format!("invalid number {q}") });
                    return 1;
                }
            } else {
                bytes = v.parse().ok();
                lines = None;
            }
            i += 2;
            continue;
        } else if let Some(n) = a.strip_prefix("-n") {
            from_start = n.starts_with('+');
            lines = n.trim_start_matches('+').parse().ok();
            if lines.is_none() {
                let q = p.vq(n);
                p.err(&if p.gnu { format!("invalid number of lines: {q}") } else { format!("invalid number {q}") });
                return 1;
            }
        } else if let Some(n) = a.strip_prefix("-c") {
            bytes = n.parse().ok();
            lines = None;
        } else if let Some(n) = a.strip_prefix('-').filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())) {
            lines = n.parse().ok();
        } else if matches!(a.as_str(), "-f" | "-F" | "--follow" | "--retry") {
            // Following: what there is now is printed (the caller decides whether to wait on).
        } else if matches!(a.as_str(), "-q" | "--quiet" | "--silent") {
            headers = Some(false);
        } else if matches!(a.as_str(), "-v" | "--verbose") {
            headers = Some(true);
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let head = p.name == "head";
    let mut status = 0;
    // busybox tail opens every file first, saying which it cannot, and heads the rest only
    // when more than one opened (oracle-139).
    if !p.gnu && !head {
        let mut opened = Vec::new();
        for f in files {
            if f == "-" || p.world.read(&p.ctx, &f).is_ok() {
                opened.push(f);
            } else {
                let _ = read_input(p, &f);
                status = 1;
            }
        }
        files = opened;
    }
    let headers = headers.unwrap_or(files.len() > 1);
    let mut named = 0;
    for f in files {
        // `==> NAME <==` above each file's lines, a blank line between them.
        let mut header = |p: &mut Proc| {
            if headers {
                let name = if f == "-" { "standard input" } else { f.as_str() };
                let gap = if named > 0 { "\n" } else { "" };
                p.out(&format!("{gap}==> {name} <==\n"));
                named += 1;
            }
        };
        // Large zero streams (head -c N /dev/zero) stay opaque.
        if let (Some(n), true) = (bytes, head) {
            if f != "-" {
                if let Ok(Data::Opaque(_)) = p.world.read(&p.ctx, &f) {
                    header(p);
                    p.io.out.extend(std::iter::repeat_n(0u8, n.min(64 << 20) as usize));
                    continue;
                }
            }
        }
        let Some(d) = read_input(p, &f) else {
            status = 1;
            continue;
        };
        header(p);
        let out: Vec<u8> = if let Some(n) = bytes {
            let n = n as usize;
            if head {
                d[..n.min(d.len())].to_vec()
            } else {
                d[d.len().saturating_sub(n)..].to_vec()
            }
        } else {
            let n = lines.unwrap_or(10);
            // Lines of bytes: what is not text passes as it is.
            let ls: Vec<&[u8]> = d.split_inclusive(|b| *b == b'\n').collect();
            let sel: Vec<&[u8]> = if head && all_but {
                ls.iter().take(ls.len().saturating_sub(n)).copied().collect()
            } else if head {
                ls.iter().take(n).copied().collect()
            } else if from_start {
                ls.iter().skip(n.saturating_sub(1)).copied().collect()
            } else {
                ls[ls.len().saturating_sub(n)..].to_vec()
            };
            sel.concat()
        };
        p.io.out.extend_from_slice(&out);
    }
    status
}

pub(super) fn wc(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let only: Vec<char> = opts.iter().filter_map(|o| o.chars().nth(1)).filter(|c| "lwc".contains(*c)).collect();
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files.clone() };
    let columns = if only.is_empty() { 3 } else { ['l', 'w', 'c'].iter().filter(|k| only.contains(k)).count() };
    // GNU sizes its columns by the files' total size, known before it reads any (7 wide when
    // one input is stdin), except a single count of a single input; busybox uses fixed widths
    // (oracle-40). Each file's line is written once it is counted (oracle-139).
    let single = columns == 1 && inputs.len() == 1;
    let width = if !p.gnu {
        9
    } else if single {
        1
    } else {
        let mut regular_bytes = 0u64;
        for f in &inputs {
            if f != "-" {
                regular_bytes += p.world.stat(&p.ctx, f, true).map(|st| st.size).unwrap_or(0);
            } else if p.io.stdin_file.is_some() {
                regular_bytes += p.io.stdin.len() as u64;
            }
        }
        let digits = regular_bytes.max(1).to_string().len();
        if inputs.iter().any(|f| f == "-") && p.io.stdin_file.is_none() {
            digits.max(7)
        } else {
            digits
        }
    };
    let line = |counts: &[usize], name: &str| {
        if single {
            format!("{}{name}\n", counts[0])
        } else {
            counts.iter().map(|v| format!("{v:>width$}")).collect::<Vec<_>>().join(" ") + name + "\n"
        }
    };
    let mut status = 0;
    let mut totals = vec![0usize; columns];
    for f in &inputs {
        let opaque = if f == "-" { None } else { p.world.read(&p.ctx, f).ok().filter(|d| matches!(d, Data::Opaque(_))).map(|d| d.len()) };
        let Some(d) = (if opaque.is_some() { Some(Vec::new()) } else { read_input(p, f) }) else {
            status = 1;
            // GNU counts a directory it could open but not read as empty.
            if p.gnu && p.world.read(&p.ctx, f).err() == Some(crate::fs::Errno::IsDir) {
                let zeros = vec![0; columns];
                let text = line(&zeros, &format!(" {f}"));
                p.out(&text);
            }
            continue;
        };
        let l = d.iter().filter(|b| **b == b'\n').count();
        let w = String::from_utf8_lossy(&d).split_whitespace().count();
        let c = opaque.map(|n| n as usize).unwrap_or(d.len());
        let counts: Vec<usize> =
            [('l', l), ('w', w), ('c', c)].into_iter().filter(|(k, _)| only.is_empty() || only.contains(k)).map(|(_, v)| v).collect();
        for (t, v) in totals.iter_mut().zip(&counts) {
            *t += v;
        }
        // Stdin named on the line is listed as `-`; read by default, it has no name.
        let text = line(&counts, &if files.is_empty() { String::new() } else { format!(" {f}") });
        p.out(&text);
    }
    if inputs.len() > 1 {
        let text = line(&totals, " total");
        p.out(&text);
    }
    status
}

pub(super) fn tee(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let append = has(&opts, "-a", "--append");
    let data = std::mem::take(&mut p.io.stdin);
    p.io.out.extend_from_slice(&data);
    let mut status = 0;
    for f in files {
        let mode = if append { WriteMode::Append } else { WriteMode::Truncate };
        if let Err(e) = p.world.write_file(&p.ctx, &f, &Data::from_bytes(&data), mode) {
            if p.gnu {
                p.err(&format!("{f}: {e}"));
            } else {
                p.err(&format!("can't open '{f}': {e}"));
            }
            status = 1;
        }
    }
    status
}

/// `cut -f LIST [-d C] [-s]`, `cut -c LIST`, `cut -b LIST`: LIST is ranges (`N`, `N-M`, `N-`,
/// `-M`) joined by commas.
pub(super) fn cut(p: &mut Proc, args: &[String]) -> i32 {
    let mut delim = '\t';
    let mut list: Option<(char, Vec<(usize, usize)>)> = None;
    let mut only_delimited = false;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "-s" {
            only_delimited = true;
            continue;
        }
        let Some(flag) = ['d', 'f', 'c', 'b'].into_iter().find(|f| a.strip_prefix('-').is_some_and(|r| r.starts_with(*f))) else {
            files.push(a.clone());
            continue;
        };
        let mut val = a.chars().skip(2).collect::<String>();
        if val.is_empty() {
            val = args.get(i).cloned().unwrap_or_default();
            i += 1;
        }
        if flag == 'd' {
            // GNU cut takes one byte; busybox one character.
            if p.gnu && val.len() != 1 {
                return p.err_try("the delimiter must be a single character");
            }
            delim = val.chars().next().unwrap_or('\t');
            continue;
        }
        let mut ranges = Vec::new();
        for part in val.split(',') {
            let (from, to) = match part.split_once('-') {
                Some((a, b)) => {
                    (if a.is_empty() { Some(1) } else { a.parse().ok() }, if b.is_empty() { Some(usize::MAX) } else { b.parse().ok() })
                }
                None => (part.parse().ok(), part.parse().ok()),
            };
            match (from, to) {
                (Some(f), Some(t)) if f >= 1 && f <= t => ranges.push((f, t)),
                _ => return p.err_try(&format!("invalid field value '{part}'")),
            }
        }
        list = Some((flag, ranges));
    }
    let Some((kind, ranges)) = list else {
        return p.err_try("you must specify a list of bytes, characters, or fields");
    };
    let wanted = |n: usize| ranges.iter().any(|(f, t)| (*f..=*t).contains(&n));
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut status = 0;
    for f in inputs {
        let Some(d) = read_input(p, &f) else {
            status = 1;
            continue;
        };
        for line in String::from_utf8_lossy(&d).lines() {
            if kind != 'f' {
                let picked: String = line.chars().enumerate().filter(|(n, _)| wanted(n + 1)).map(|(_, c)| c).collect();
                p.out(&format!("{picked}\n"));
            } else if !line.contains(delim) {
                if !only_delimited {
                    p.out(&format!("{line}\n"));
                }
            } else {
                let sel: Vec<&str> = line.split(delim).enumerate().filter(|(n, _)| wanted(n + 1)).map(|(_, f)| f).collect();
                p.out(&format!("{}\n", sel.join(&delim.to_string())));
            }
        }
    }
    status
}
