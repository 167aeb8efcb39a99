//! `sort`: lines in byte order (the machine's C.UTF-8 locale), by keys (`-k`, `-t`) compared
//! as text, numbers (`-n`), human sizes (`-h`) or folded case (`-f`), reversed (`-r`), unique
//! by key (`-u`), to a file (`-o`), or checked (`-c`).

use std::cmp::Ordering;

use super::{read_input, Proc};
use crate::fs::Data;
use crate::vfs::WriteMode;

#[derive(Clone, Copy, Default)]
struct How {
    numeric: bool,
    human: bool,
    fold: bool,
    reverse: bool,
    blanks: bool,
    version: bool,
}

#[derive(Clone, Copy)]
struct Key {
    start: usize,
    end: Option<usize>,
    how: Option<How>,
}

fn parse_how(letters: &str, how: &mut How) -> bool {
    for c in letters.chars() {
        match c {
            'n' => how.numeric = true,
            'h' => how.human = true,
            'f' => how.fold = true,
            'r' => how.reverse = true,
            'b' => how.blanks = true,
            'V' => how.version = true,
            _ => return false,
        }
    }
    true
}

/// `-k N[.C][opts][,M[.C][opts]]` (the character offsets are not simulated).
fn parse_key(spec: &str) -> Option<Key> {
    let (start, end) = match spec.split_once(',') {
        Some((s, e)) => (s, Some(e)),
        None => (spec, None),
    };
    let field = |text: &str, how: &mut How| -> Option<usize> {
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        let rest = text.get(digits.len()..)?;
        let rest = rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
        if !parse_how(rest, how) {
            return None;
        }
        digits.parse().ok().filter(|n| *n > 0)
    };
    let mut how = How::default();
    let start = field(start, &mut how)?;
    let end = match end {
        Some(e) => Some(field(e, &mut how)?),
        None => None,
    };
    let any = how.numeric || how.human || how.fold || how.reverse || how.blanks || how.version;
    Some(Key { start, end, how: any.then_some(how) })
}

/// The text of fields `start..=end` (1-based): with a separator, split on it; without, a
/// field is its leading blanks and the non-blanks after them.
fn key_text<'a>(line: &'a str, key: &Key, sep: Option<char>) -> &'a str {
    let mut bounds = Vec::new();
    match sep {
        Some(s) => {
            let mut begin = 0;
            for (i, c) in line.char_indices() {
                if c == s {
                    bounds.push((begin, i));
                    begin = i + c.len_utf8();
                }
            }
            bounds.push((begin, line.len()));
        }
        None => {
            let mut i = 0;
            let chars: Vec<(usize, char)> = line.char_indices().collect();
            while i < chars.len() {
                let begin = chars[i].0;
                while i < chars.len() && chars[i].1.is_whitespace() {
                    i += 1;
                }
                while i < chars.len() && !chars[i].1.is_whitespace() {
                    i += 1;
                }
                let end = chars.get(i).map_or(line.len(), |c| c.0);
                bounds.push((begin, end));
            }
        }
    }
    let Some(&(from, _)) = bounds.get(key.start - 1) else { return "" };
    let to = match key.end {
        Some(e) => bounds.get(e - 1).map_or(line.len(), |b| b.1),
        None => line.len(),
    };
    line.get(from..to.max(from)).unwrap_or("")
}

fn number(text: &str, human: bool) -> f64 {
    let t = text.trim_start();
    let len = t
        .char_indices()
        .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-'))
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    let value: f64 = t.get(..len).and_then(|n| n.parse().ok()).unwrap_or(0.0);
    if !human {
        return value;
    }
    let power = t.get(len..).and_then(|s| s.chars().next()).and_then(|c| "KMGTPE".find(c.to_ascii_uppercase())).map_or(0, |p| p + 1);
    value * 1024f64.powi(power as i32)
}

fn compare(a: &str, b: &str, how: How) -> Ordering {
    let (a, b) = if how.blanks { (a.trim_start(), b.trim_start()) } else { (a, b) };
    let order = if how.version {
        version_cmp(a, b)
    } else if how.numeric || how.human {
        number(a, how.human).partial_cmp(&number(b, how.human)).unwrap_or(Ordering::Equal)
    } else if how.fold {
        a.to_uppercase().cmp(&b.to_uppercase())
    } else {
        a.cmp(b)
    };
    if how.reverse {
        order.reverse()
    } else {
        order
    }
}

pub(super) fn sort(p: &mut Proc, args: &[String]) -> i32 {
    let mut how = How::default();
    let mut keys = Vec::new();
    let mut sep = None;
    let mut unique = false;
    let mut stable = false;
    let mut check = false;
    let mut output = None;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let value = |inline: &str, i: &mut usize| -> Option<String> {
            if inline.is_empty() {
                let v = args.get(*i).cloned();
                *i += 1;
                v
            } else {
                Some(inline.to_string())
            }
        };
        if let Some(long) = a.strip_prefix("--") {
            match long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v))) {
                ("numeric-sort", _) => how.numeric = true,
                ("human-numeric-sort", _) => how.human = true,
                ("reverse", _) => how.reverse = true,
                ("unique", _) => unique = true,
                ("ignore-case", _) => how.fold = true,
                ("stable", _) => stable = true,
                ("version-sort", _) => how.version = true,
                ("key", Some(k)) => match parse_key(k) {
                    Some(k) => keys.push(k),
                    None => return p.err_try(&format!("invalid number at field start: invalid count at start of {}", p.lq(k))),
                },
                ("field-separator", Some(t)) => sep = t.chars().next(),
                ("output", Some(o)) => output = Some(o.to_string()),
                _ => {}
            }
            continue;
        }
        let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) else {
            files.push(a.clone());
            continue;
        };
        for (at, c) in cluster.char_indices() {
            let rest = cluster.get(at + c.len_utf8()..).unwrap_or("");
            match c {
                'n' => how.numeric = true,
                'h' => how.human = true,
                'r' => how.reverse = true,
                'u' => unique = true,
                'f' => how.fold = true,
                'b' => how.blanks = true,
                'V' => how.version = true,
                's' => stable = true,
                'c' => check = true,
                'k' | 't' | 'o' => {
                    let Some(v) = value(rest, &mut i) else { return p.usage() };
                    match c {
                        'k' => match parse_key(&v) {
                            Some(k) => keys.push(k),
                            None => {
                                let q = p.lq(&v);
                                return p.err_try(&format!("invalid number at field start: invalid count at start of {q}"));
                            }
                        },
                        't' => sep = v.chars().next(),
                        _ => output = Some(v),
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let mut lines: Vec<String> = Vec::new();
    for f in &files {
        let Some(d) = read_input(p, f) else { return 2 };
        lines.extend(String::from_utf8_lossy(&d).lines().map(str::to_string));
    }
    let by_keys = |a: &str, b: &str| -> Ordering {
        if keys.is_empty() {
            return compare(a, b, How { reverse: false, ..how });
        }
        for k in &keys {
            let key_how = k.how.unwrap_or(How { reverse: false, ..how });
            let o = compare(key_text(a, k, sep), key_text(b, k, sep), key_how);
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    };
    let full = |a: &str, b: &str| -> Ordering {
        let o = by_keys(a, b);
        // Equal keys: the whole lines decide, byte by byte (not with -s or -u).
        let o = if o == Ordering::Equal && !stable && !unique { a.cmp(b) } else { o };
        if how.reverse {
            o.reverse()
        } else {
            o
        }
    };
    if check {
        for (n, pair) in lines.windows(2).enumerate() {
            if full(&pair[0], &pair[1]) == Ordering::Greater {
                let name = files.first().cloned().unwrap_or_else(|| "-".into());
                p.err(&format!("{name}:{}: disorder: {}", n + 2, pair[1]));
                return 1;
            }
        }
        return 0;
    }
    crate::sorting::sort_by(&mut lines, |a, b| full(a, b));
    if unique {
        lines.dedup_by(|b, a| by_keys(a, b) == Ordering::Equal);
    }
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    match output {
        Some(o) => {
            if let Err(e) = p.world.write_file(&p.ctx, &o, &Data::from_bytes(text.as_bytes()), WriteMode::Truncate) {
                p.err(&format!("open failed: {o}: {e}"));
                return 2;
            }
        }
        None => p.out(&text),
    }
    0
}

/// `sort -V`: runs of digits compare as numbers, the rest as text.
fn version_cmp(a: &str, b: &str) -> Ordering {
    let runs = |s: &str| {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, run)) if *d == digit => run.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    };
    let (ra, rb) = (runs(a), runs(b));
    for (x, y) in ra.iter().zip(rb.iter()) {
        let o = match (x, y) {
            ((true, p), (true, q)) => {
                let (p, q) = (p.trim_start_matches('0'), q.trim_start_matches('0'));
                p.len().cmp(&q.len()).then(p.cmp(q))
            }
            ((_, p), (_, q)) => p.cmp(q),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    ra.len().cmp(&rb.len())
}
