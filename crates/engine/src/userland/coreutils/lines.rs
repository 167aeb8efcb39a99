//! Line and character tools: `tr`, `uniq`, `tac`, in GNU's and busybox's words (oracle-40).

use super::{read_input, split_opts, Proc};

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
