//! Line and character tools: `tr`, `uniq`, `tac` (oracle-40); `comm`, `fold` and `split`
//! (oracle-55); in GNU's and busybox's words.

use super::{read_input, split_opts, Cursor, Proc};

/// `tr [-cds] SET1 [SET2]`: characters of stdin translated, deleted or squeezed.
pub(super) fn tr(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, sets) = split_opts(args);
    let flag = |c: char| opts.iter().any(|o| !o.starts_with("--") && o.contains(c));
    let (complement, delete, squeeze) = (flag('c') || flag('C'), flag('d'), flag('s'));
    let Some(set1) = sets.first() else {
        if p.gnu {
            return p.err_try("missing operand");
        }
        return p.busybox_usage();
    };
    let set1 = expand_set(set1);
    let set2 = sets.get(1).map(|s| expand_set(s)).unwrap_or_default();
    if !delete && !squeeze && set2.is_empty() {
        if p.gnu {
            let q = p.vq(&sets[0]);
            return p.err_try(&format!("missing operand after {q}\nTwo strings must be given when translating."));
        }
        return p.busybox_usage();
    }
    let input = String::from_utf8_lossy(&std::mem::take(&mut p.io.stdin)).into_owned();
    let in_set1 = |c: char| set1.contains(&c) != complement;
    let mut out = String::new();
    let mut last: Option<char> = None;
    for c in input.chars() {
        let mapped = if delete {
            if in_set1(c) {
                continue;
            }
            Some(c)
        } else if !set2.is_empty() && in_set1(c) {
            // A complement maps everything to SET2's last character; otherwise position by
            // position, SET2's last character repeated past its end.
            let at = if complement { set2.len() - 1 } else { set1.iter().position(|x| *x == c).unwrap_or(0).min(set2.len() - 1) };
            set2.get(at).copied()
        } else {
            Some(c)
        };
        let Some(m) = mapped else { continue };
        // `-s` squeezes repeats of the last set given.
        let squeeze_set = if delete || set2.is_empty() { &set1 } else { &set2 };
        let squeezable = squeeze && (squeeze_set.contains(&m) != (complement && set2.is_empty()));
        if squeezable && last == Some(m) {
            continue;
        }
        last = Some(m);
        out.push(m);
    }
    p.out(&out);
    0
}

/// A set of `tr`: characters, ranges (`a-z`), classes (`[:upper:]`) and escapes (`\n`).
fn expand_set(spec: &str) -> Vec<char> {
    type Class = (&'static str, fn(char) -> bool);
    const CLASSES: [Class; 8] = [
        ("[:upper:]", |c| c.is_ascii_uppercase()),
        ("[:lower:]", |c| c.is_ascii_lowercase()),
        ("[:digit:]", |c| c.is_ascii_digit()),
        ("[:alpha:]", |c| c.is_ascii_alphabetic()),
        ("[:alnum:]", |c| c.is_ascii_alphanumeric()),
        ("[:space:]", |c| c.is_ascii_whitespace()),
        ("[:punct:]", |c| c.is_ascii_punctuation()),
        ("[:blank:]", |c| c == ' ' || c == '\t'),
    ];
    let mut chars: Vec<char> = Vec::new();
    let mut rest = spec;
    while let Some(c) = rest.chars().next() {
        if let Some((class, test)) = CLASSES.iter().find(|(name, _)| rest.starts_with(name)) {
            chars.extend((0u8..128).map(char::from).filter(|c| test(*c)));
            rest = rest.get(class.len()..).unwrap_or_default();
            continue;
        }
        let (first, after) = if c == '\\' {
            let mut it = rest.chars();
            it.next();
            match it.next() {
                Some(e) => (unescape(e), it.as_str()),
                None => ('\\', it.as_str()),
            }
        } else {
            (c, rest.get(c.len_utf8()..).unwrap_or_default())
        };
        let mut it = after.chars();
        match (it.next(), it.next()) {
            (Some('-'), Some(end)) if end >= first => {
                chars.extend(first..=end);
                rest = it.as_str();
            }
            _ => {
                chars.push(first);
                rest = after;
            }
        }
    }
    chars
}

fn unescape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '0' => '\0',
        other => other,
    }
}

/// `uniq [-cdu] [INPUT [OUTPUT]]`: adjacent repeated lines once.
pub(super) fn uniq(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let flag = |c: char| opts.iter().any(|o| !o.starts_with("--") && o.contains(c));
    let (count, only_repeated, only_unique) = (flag('c') || opts.iter().any(|o| o == "--count"), flag('d'), flag('u'));
    let input = files.first().cloned().unwrap_or_else(|| "-".into());
    let Some(data) = read_input(p, &input) else { return 1 };
    let text = String::from_utf8_lossy(&data).into_owned();
    let mut groups: Vec<(usize, &str)> = Vec::new();
    for line in text.lines() {
        match groups.last_mut() {
            Some((n, l)) if *l == line => *n += 1,
            _ => groups.push((1, line)),
        }
    }
    let mut out = String::new();
    for (n, line) in groups {
        if (only_repeated && n < 2) || (only_unique && n > 1) {
            continue;
        }
        if count {
            out.push_str(&format!("{n:>7} {line}\n"));
        } else {
            out.push_str(&format!("{line}\n"));
        }
    }
    match files.get(1) {
        Some(target) => {
            match p.world.write_file(&p.ctx, target, &crate::fs::Data::from_bytes(out.as_bytes()), crate::vfs::WriteMode::Truncate) {
                Ok(_) => 0,
                Err(e) => {
                    p.err(&format!("{target}: {e}"));
                    1
                }
            }
        }
        None => {
            p.out(&out);
            0
        }
    }
}

/// `tac [FILE…]`: the lines of each file, last first.
pub(super) fn tac(p: &mut Proc, args: &[String]) -> i32 {
    super::columns::per_input(p, args, |text| text.lines().rev().map(|l| format!("{l}\n")).collect())
}

/// `comm [-123] FILE1 FILE2`: lines only in the first, only in the second, and in both, as
/// three columns indented by tabs (a suppressed column takes its tab with it).
pub(super) fn comm(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let hide = |c: char| opts.iter().any(|o| !o.starts_with("--") && o.contains(c));
    let (h1, h2, h3) = (hide('1'), hide('2'), hide('3'));
    let [a, b] = files.as_slice() else { return p.usage() };
    let Some(left) = read_input(p, a) else { return 1 };
    let Some(right) = read_input(p, b) else { return 1 };
    let (left, right) = (String::from_utf8_lossy(&left).into_owned(), String::from_utf8_lossy(&right).into_owned());
    let (left, right): (Vec<&str>, Vec<&str>) = (left.lines().collect(), right.lines().collect());
    let indent2 = if h1 { "" } else { "\t" };
    let indent3 = format!("{}{}", if h1 { "" } else { "\t" }, if h2 { "" } else { "\t" });
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < left.len() || j < right.len() {
        let order = match (left.get(i), right.get(j)) {
            (Some(l), Some(r)) => l.cmp(r),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                if !h1 {
                    out.push_str(&format!("{}\n", left[i]));
                }
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                if !h2 {
                    out.push_str(&format!("{indent2}{}\n", right[j]));
                }
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                if !h3 {
                    out.push_str(&format!("{indent3}{}\n", left[i]));
                }
                i += 1;
                j += 1;
            }
        }
    }
    p.out(&out);
    0
}

/// `fold [-s] [-w WIDTH] [FILE…]`: lines cut at WIDTH characters (`-s`: after the last blank
/// that fits).
pub(super) fn fold(p: &mut Proc, args: &[String]) -> i32 {
    let mut width = 80usize;
    let mut spaces = false;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if a == "-w" || a == "--width" {
            match args.get(i).and_then(|w| w.parse().ok()) {
                Some(w) => width = w,
                None => return p.usage(),
            }
            i += 1;
        } else if let Some(w) = a.strip_prefix("--width=").or_else(|| a.strip_prefix("-w")) {
            match w.parse() {
                Ok(w) => width = w,
                Err(_) => return p.usage(),
            }
        } else if a.starts_with('-') && a.len() > 1 {
            spaces |= a.contains('s');
        } else {
            files.push(a.clone());
        }
    }
    let width = width.max(1);
    if files.is_empty() {
        files.push("-".into());
    }
    let mut out = String::new();
    for f in files {
        let Some(data) = read_input(p, &f) else { return 1 };
        let text = String::from_utf8_lossy(&data).into_owned();
        for piece in text.split_inclusive('\n') {
            let (line, newline) = match piece.strip_suffix('\n') {
                Some(l) => (l, "\n"),
                None => (piece, ""),
            };
            let mut rest: Vec<char> = line.chars().collect();
            while rest.len() > width {
                let cut =
                    if spaces { rest[..width].iter().rposition(|c| *c == ' ' || *c == '\t').map_or(width, |at| at + 1) } else { width };
                out.extend(rest.drain(..cut));
                out.push('\n');
            }
            out.extend(rest);
            out.push_str(newline);
        }
    }
    p.out(&out);
    0
}

/// `split [-l LINES | -b BYTES] [FILE [PREFIX]]`: pieces named PREFIXaa, PREFIXab, …
pub(super) fn split(p: &mut Proc, args: &[String]) -> i32 {
    let mut lines: Option<usize> = None;
    let mut bytes: Option<usize> = None;
    let mut operands = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let (flag, inline) = match a.as_str() {
            "-l" | "-b" => (a.as_str(), None),
            s if s.starts_with("-l") || s.starts_with("-b") => (s.get(..2).unwrap_or(s), s.get(2..)),
            _ => {
                operands.push(a.clone());
                continue;
            }
        };
        let value = match inline {
            Some(v) => v.to_string(),
            None => {
                let Some(v) = args.get(i) else { return p.usage() };
                i += 1;
                v.clone()
            }
        };
        let Some(n) = parse_count(&value).filter(|n| *n > 0) else {
            let q = p.lq(&value);
            let what = if flag == "-l" { "number of lines" } else { "number of bytes" };
            return p.err_try(&format!("invalid {what}: {q}"));
        };
        if flag == "-l" {
            lines = Some(n);
        } else {
            bytes = Some(n);
        }
    }
    let input = operands.first().cloned().unwrap_or_else(|| "-".into());
    let prefix = operands.get(1).cloned().unwrap_or_else(|| "x".into());
    let Some(data) = read_input(p, &input) else { return 1 };
    let pieces: Vec<&[u8]> = match bytes {
        Some(n) => data.chunks(n).collect(),
        None => {
            let per = lines.unwrap_or(1000);
            let mut out = Vec::new();
            let (mut start, mut count) = (0, 0);
            for (at, b) in data.iter().enumerate() {
                if *b == b'\n' {
                    count += 1;
                    if count == per {
                        out.push(&data[start..=at]);
                        start = at + 1;
                        count = 0;
                    }
                }
            }
            if start < data.len() {
                out.push(&data[start..]);
            }
            out
        }
    };
    for (k, piece) in pieces.iter().enumerate() {
        let suffix: String = [b'a' + (k / 26 % 26) as u8, b'a' + (k % 26) as u8].iter().map(|b| char::from(*b)).collect();
        let name = format!("{prefix}{suffix}");
        if let Err(e) = p.world.write_file(&p.ctx, &name, &crate::fs::Data::from_bytes(piece), crate::vfs::WriteMode::Truncate) {
            let q = p.q(&name);
            p.err(&format!("{q}: {e}"));
            return 1;
        }
    }
    0
}

/// A count with an optional size suffix (`K`, `M`, `G`: powers of 1024; `KB`…: of 1000).
fn parse_count(text: &str) -> Option<usize> {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n: usize = digits.parse().ok()?;
    let unit = match text.get(digits.len()..)? {
        "" => 1,
        "K" | "k" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "KB" | "kB" => 1000,
        "MB" => 1_000_000,
        _ => return None,
    };
    n.checked_mul(unit)
}

/// `shuf [-n COUNT] [-r] [-z] [-o FILE] [-i LO-HI | -e ARG… | FILE]`: the lines in another
/// order. The engine has no randomness of its own: the order is a fixed shuffle of the input
/// (a real one differs at each run, so recordings only check what any order keeps) (oracle-79).
pub(super) fn shuf(p: &mut Proc, args: &[String]) -> i32 {
    let (mut count, mut repeat, mut zero) = (None::<usize>, false, false);
    let (mut range, mut output, mut echo) = (None::<String>, None::<String>, false);
    let mut operands = Vec::new();
    let mut cursor = Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-n" | "--head-count" => {
                let v = cursor.value();
                match v.parse() {
                    Ok(n) => count = Some(n),
                    Err(_) => {
                        let q = p.vq(&v);
                        p.err_dialect(&format!("invalid line count: {q}"), &format!("invalid number {q}"));
                        return 1;
                    }
                }
            }
            "-i" | "--input-range" => range = Some(cursor.value()),
            "-o" | "--output" => output = Some(cursor.value()),
            "-r" | "--repeat" => repeat = true,
            "-z" | "--zero-terminated" => zero = true,
            "-e" | "--echo" => echo = true,
            _ => operands.push(a.clone()),
        }
    }
    let sep = if zero { b'\0' } else { b'\n' };
    let items: Vec<Vec<u8>> = if let Some(r) = range {
        let bounds = r.split_once('-').and_then(|(lo, hi)| Some((lo.parse::<u64>().ok()?, hi.parse::<u64>().ok()?)));
        match bounds.filter(|(lo, hi)| lo <= hi && hi - lo < 1 << 20) {
            Some((lo, hi)) => (lo..=hi).map(|n| n.to_string().into_bytes()).collect(),
            None => {
                let q = p.vq(&r);
                p.err_dialect(&format!("invalid input range: {q}"), &format!("bad range {q}"));
                return 1;
            }
        }
    } else if echo {
        operands.iter().map(|o| o.clone().into_bytes()).collect()
    } else {
        let file = operands.first().cloned().unwrap_or_else(|| "-".into());
        let data = if file == "-" {
            std::mem::take(&mut p.io.stdin)
        } else {
            match p.world.read(&p.ctx, &file) {
                Ok(d) => super::limited(&d),
                Err(e) => {
                    p.err(&format!("{file}: {e}"));
                    return 1;
                }
            }
        };
        let mut lines: Vec<Vec<u8>> = data.split(|&b| b == sep).map(<[u8]>::to_vec).collect();
        if data.last() == Some(&sep) || data.is_empty() {
            lines.pop();
        }
        lines
    };
    // A fixed xorshift, seeded by how many there are: the same input, the same order.
    let mut state = super::seeded(items.len() as u64);
    let mut next = |bound: usize| (super::xorshift(&mut state) % bound.max(1) as u64) as usize;
    let chosen: Vec<Vec<u8>> = if repeat {
        if items.is_empty() {
            p.err("no lines to repeat");
            return 1;
        }
        (0..count.unwrap_or(1 << 16)).map(|_| items[next(items.len())].clone()).collect()
    } else {
        let mut order = items;
        for k in (1..order.len()).rev() {
            order.swap(k, next(k + 1));
        }
        order.truncate(count.unwrap_or(usize::MAX));
        order
    };
    let mut out = Vec::new();
    for item in chosen {
        out.extend(item);
        out.push(sep);
    }
    match output {
        Some(file) => match p.world.write_file(&p.ctx, &file, &crate::fs::Data::from_bytes(&out), crate::vfs::WriteMode::Truncate) {
            Ok(_) => 0,
            Err(e) => {
                p.err(&format!("{file}: {e}"));
                1
            }
        },
        None => {
            p.io.write_out(&out);
            0
        }
    }
}
