//! Bytes and sizes as text: `od` (the bytes of a file in octal, hex or characters) and
//! `numfmt` (sizes with K/M/G suffixes and back). oracle-55.

use super::{read_input, Proc};

/// One of od's output formats: how many bytes an item takes and how it is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Item {
    /// `-c`: a character, or its C escape, or three octal digits.
    Char,
    /// `-t oN`, `-b` (o1), the default (o2).
    Octal(usize),
    /// `-t xN`, `-x` (x2).
    Hex(usize),
    /// `-t uN`, `-d` (u2).
    Unsigned(usize),
}

impl Item {
    fn size(self) -> usize {
        match self {
            Item::Char => 1,
            Item::Octal(n) | Item::Hex(n) | Item::Unsigned(n) => n,
        }
    }
    /// Each item's field, a space included (GNU's widths).
    fn field(self, bytes: &[u8]) -> String {
        let mut v = 0u64;
        for (i, b) in bytes.iter().enumerate() {
            v |= u64::from(*b) << (8 * i);
        }
        match self {
            Item::Char => {
                let b = bytes.first().copied().unwrap_or(0);
                let shown = match b {
                    0 => "\\0".to_string(),
                    7 => "\\a".into(),
                    8 => "\\b".into(),
                    9 => "\\t".into(),
                    10 => "\\n".into(),
                    11 => "\\v".into(),
                    12 => "\\f".into(),
                    13 => "\\r".into(),
                    0x20..=0x7e => char::from(b).to_string(),
                    _ => format!("{b:03o}"),
                };
                format!("{shown:>4}")
            }
            Item::Octal(n) => {
                let w = (n * 8).div_ceil(3);
                format!(" {v:0w$o}")
            }
            Item::Hex(n) => format!(" {v:0w$x}", w = n * 2),
            Item::Unsigned(n) => {
                let w = match n {
                    1 => 3,
                    2 => 5,
                    4 => 10,
                    _ => 20,
                };
                format!(" {v:>w$}")
            }
        }
    }
}

fn parse_type(spec: &str) -> Option<Item> {
    let mut chars = spec.chars();
    let kind = chars.next()?;
    let size: String = chars.collect();
    let size = if size.is_empty() {
        match kind {
            'c' => 1,
            _ => 4,
        }
    } else {
        match size.as_str() {
            "C" => 1,
            "S" => 2,
            "I" => 4,
            "L" => 8,
            n => n.parse().ok().filter(|n| [1, 2, 4, 8].contains(n))?,
        }
    };
    match kind {
        'c' => Some(Item::Char),
        'o' => Some(Item::Octal(size)),
        'x' => Some(Item::Hex(size)),
        'u' | 'd' => Some(Item::Unsigned(size)),
        _ => None,
    }
}

/// `od [-A o|d|x|n] [-t TYPE] [-bcdox] [FILE…]`: 16 bytes a line after the offset, a repeated
/// line written once as `*`, the total offset last.
pub(super) fn od(p: &mut Proc, args: &[String]) -> i32 {
    let mut items = Vec::new();
    let mut radix = 'o';
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        let take = |i: &mut usize, rest: &str| -> Option<String> {
            if rest.is_empty() {
                let v = args.get(*i).cloned();
                *i += 1;
                v
            } else {
                Some(rest.to_string())
            }
        };
        if let Some(rest) = a.strip_prefix("-A") {
            match take(&mut i, rest).and_then(|v| v.chars().next()) {
                Some(r @ ('o' | 'd' | 'x' | 'n')) => radix = r,
                _ => return p.usage(),
            }
        } else if let Some(rest) = a.strip_prefix("-t") {
            match take(&mut i, rest).as_deref().and_then(parse_type) {
                Some(item) => items.push(item),
                None => return p.usage(),
            }
        } else if a.starts_with('-') && a.len() > 1 {
            for c in a.chars().skip(1) {
                items.push(match c {
                    'c' => Item::Char,
                    'b' => Item::Octal(1),
                    'o' => Item::Octal(2),
                    'x' => Item::Hex(2),
                    'd' => Item::Unsigned(2),
                    _ => return p.usage(),
                });
            }
        } else {
            files.push(a.clone());
        }
    }
    if items.is_empty() {
        items.push(Item::Octal(2));
    }
    let Some(data) = read_all(p, &files) else { return 1 };
    let address = |at: usize| match radix {
        'd' => format!("{at:07}"),
        'x' => format!("{at:06x}"),
        'n' => String::new(),
        _ => format!("{at:07o}"),
    };
    let mut out = String::new();
    for (k, line) in dump_lines(&data) {
        let Some(line) = line else {
            out.push_str("*\n");
            continue;
        };
        for (n, item) in items.iter().enumerate() {
            let lead = if n == 0 {
                address(k * 16)
            } else if radix == 'n' {
                String::new()
            } else {
                " ".repeat(7)
            };
            out.push_str(&lead);
            for chunk in line.chunks(item.size()) {
                let mut padded = chunk.to_vec();
                padded.resize(item.size(), 0);
                out.push_str(&item.field(&padded));
            }
            out.push('\n');
        }
    }
    if radix != 'n' {
        out.push_str(&format!("{}\n", address(data.len())));
    }
    p.out(&out);
    0
}

/// `numfmt [--from=UNIT] [--to=UNIT] NUMBER…`: sizes with suffixes (`si` powers of 1000, `iec`
/// of 1024, `iec-i` with an `i`), rounded away from zero to one decimal below 10.
pub(super) fn numfmt(p: &mut Proc, args: &[String]) -> i32 {
    let mut from = "none".to_string();
    let mut to = "none".to_string();
    let mut numbers = Vec::new();
    for a in args {
        if let Some(v) = a.strip_prefix("--from=") {
            from = v.to_string();
        } else if let Some(v) = a.strip_prefix("--to=") {
            to = v.to_string();
        } else {
            numbers.push(a.clone());
        }
    }
    let mut out = String::new();
    for n in &numbers {
        let Some(value) = parse_scaled(n, &from) else {
            p.out(&out);
            let q = p.lq(n);
            p.err(&format!("invalid number: {q}"));
            return 2;
        };
        out.push_str(&format!("{}\n", scaled(value, &to)));
    }
    p.out(&out);
    0
}

fn parse_scaled(text: &str, unit: &str) -> Option<f64> {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let value: f64 = digits.parse().ok()?;
    let suffix = text.get(digits.len()..)?;
    if suffix.is_empty() {
        return Some(value);
    }
    let base: f64 = match unit {
        "si" => 1000.0,
        "iec" | "iec-i" | "auto" => 1024.0,
        _ => return None,
    };
    let power = "KMGTPEZY".find(suffix.trim_end_matches('i').to_ascii_uppercase().as_str())?;
    Some(value * base.powi(power as i32 + 1))
}

fn scaled(value: f64, unit: &str) -> String {
    let (base, i) = match unit {
        "si" => (1000.0, ""),
        "iec" => (1024.0, ""),
        "iec-i" => (1024.0, "i"),
        _ => return format!("{}", value.round() as i64),
    };
    let mut v = value;
    let mut power = 0;
    while v.abs() >= base && power < 8 {
        v /= base;
        power += 1;
    }
    if power == 0 {
        return format!("{}", value.round() as i64);
    }
    let suffix = "KMGTPEZY".chars().nth(power - 1).unwrap_or('Y');
    // Rounded away from zero: one decimal below 10, whole numbers above.
    let shown = if v.abs() < 10.0 {
        let r = (v * 10.0).ceil() / 10.0;
        if r >= 10.0 {
            format!("{r:.0}")
        } else {
            format!("{r:.1}")
        }
    } else {
        format!("{:.0}", v.ceil())
    };
    format!("{shown}{suffix}{i}")
}

/// The operands' bytes one after the other (stdin when there are none).
fn read_all(p: &mut Proc, files: &[String]) -> Option<Vec<u8>> {
    if files.is_empty() {
        return read_input(p, "-");
    }
    let mut data = Vec::new();
    for f in files {
        data.extend(read_input(p, f)?);
    }
    Some(data)
}

/// A dump's lines of 16 bytes by number; a run of lines like the one before them is one
/// `None` (printed `*`), as od and hexdump write it.
fn dump_lines(data: &[u8]) -> Vec<(usize, Option<&[u8]>)> {
    let mut lines = Vec::new();
    let mut previous: Option<&[u8]> = None;
    let mut starred = false;
    for (k, line) in data.chunks(16).enumerate() {
        if previous == Some(line) && line.len() == 16 {
            if !starred {
                lines.push((k, None));
                starred = true;
            }
            continue;
        }
        starred = false;
        previous = Some(line);
        lines.push((k, Some(line)));
    }
    lines
}

/// The printable ASCII of a run of bytes, others as `.`.
fn printable(bytes: &[u8]) -> String {
    bytes.iter().map(|b| if (0x20..0x7f).contains(b) { char::from(*b) } else { '.' }).collect()
}

/// busybox `hexdump [-C] [-n N] [FILE…]`: canonical (`-C`: hex bytes and their text) or
/// 16-bit words; a line like the one before it written once as `*`.
pub(super) fn hexdump(p: &mut Proc, args: &[String]) -> i32 {
    let mut canonical = false;
    let mut limit: Option<usize> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "-C" => canonical = true,
            "-n" => {
                limit = args.get(i).and_then(|n| n.parse().ok());
                i += 1;
            }
            s if s.starts_with("-n") => limit = s.get(2..).and_then(|n| n.parse().ok()),
            _ => files.push(a.clone()),
        }
    }
    let Some(mut data) = read_all(p, &files) else { return 1 };
    if let Some(n) = limit {
        data.truncate(n);
    }
    let mut out = String::new();
    for (k, line) in dump_lines(&data) {
        let Some(line) = line else {
            out.push_str("*\n");
            continue;
        };
        if canonical {
            let mut hex = String::new();
            for i in 0..16 {
                hex.push_str(&line.get(i).map_or("   ".to_string(), |b| format!("{b:02x} ")));
                if i == 7 {
                    hex.push(' ');
                }
            }
            out.push_str(&format!("{:08x}  {hex} |{}|\n", k * 16, printable(line)));
        } else {
            let words: String = (0..8)
                .map(|w| match (line.get(2 * w), line.get(2 * w + 1)) {
                    (Some(a), b) => format!(" {:04x}", u16::from(*a) | u16::from(b.copied().unwrap_or(0)) << 8),
                    _ => "     ".to_string(),
                })
                .collect();
            out.push_str(&format!("{:07x}{words}\n", k * 16));
        }
    }
    out.push_str(&if canonical { format!("{:08x}\n", data.len()) } else { format!("{:07x}\n", data.len()) });
    p.out(&out);
    0
}

/// busybox `xxd [-l N] [-c COLS] [-p] [-r] [FILE]`: offset, pairs of hex bytes, the text; `-p`
/// plain hex; `-r -p` back to bytes.
pub(super) fn xxd(p: &mut Proc, args: &[String]) -> i32 {
    let (mut plain, mut reverse) = (false, false);
    let mut limit: Option<usize> = None;
    let mut cols = 16usize;
    let mut files = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "-p" | "-ps" | "-plain" => plain = true,
            "-r" | "-revert" => reverse = true,
            "-l" | "-len" | "-c" | "-cols" => {
                let n = args.get(i).and_then(|n| n.parse().ok());
                i += 1;
                if a.starts_with("-l") {
                    limit = n;
                } else {
                    cols = n.unwrap_or(16).max(1);
                }
            }
            _ => files.push(a.clone()),
        }
    }
    let input = files.first().cloned().unwrap_or_else(|| "-".into());
    let Some(mut data) = read_input(p, &input) else { return 1 };
    if reverse {
        let digits: Vec<u8> = data.iter().copied().filter(u8::is_ascii_hexdigit).collect();
        let bytes: Vec<u8> = digits
            .chunks(2)
            .filter(|pair| pair.len() == 2)
            .filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap_or("00"), 16).ok())
            .collect();
        p.io.write_out(&bytes);
        return 0;
    }
    if let Some(n) = limit {
        data.truncate(n);
    }
    let mut out = String::new();
    if plain {
        for line in data.chunks(30) {
            out.push_str(&line.iter().map(|b| format!("{b:02x}")).collect::<String>());
            out.push('\n');
        }
    } else {
        let width = cols.div_ceil(2) * 5;
        for (k, line) in data.chunks(cols).enumerate() {
            let hex: Vec<String> = line.chunks(2).map(|pair| pair.iter().map(|b| format!("{b:02x}")).collect()).collect();
            out.push_str(&format!("{:08x}: {:<width$} {}\n", k * cols, hex.join(" "), printable(line)));
        }
    }
    p.out(&out);
    0
}

/// `seq [-s SEP] [-w] [FIRST [STEP]] LAST`: integers, or decimals printed with the most
/// decimals an argument has.
pub(super) fn seq(p: &mut Proc, args: &[String]) -> i32 {
    let mut sep = "\n".to_string();
    let mut equal_width = false;
    let mut numbers = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if a == "-w" || a == "--equal-width" {
            equal_width = true;
        } else if a == "-s" {
            sep = args.get(i).cloned().unwrap_or_default();
            i += 1;
        } else if let Some(s) = a.strip_prefix("-s").or_else(|| a.strip_prefix("--separator=")) {
            sep = s.to_string();
        } else {
            numbers.push(a.clone());
        }
    }
    if let Some(bad) = numbers.iter().find(|a| a.parse::<f64>().is_err()).filter(|_| p.gnu) {
        let q = p.lq(bad);
        return p.err_try(&format!("invalid floating point argument: {q}"));
    }
    let values: Vec<f64> = numbers.iter().filter_map(|a| a.parse().ok()).collect();
    let (first, step, last) = match values.as_slice() {
        [l] => (1.0, 1.0, *l),
        [f, l] => (*f, 1.0, *l),
        [f, s, l] => (*f, *s, *l),
        _ => return p.usage(),
    };
    if step == 0.0 {
        return p.err_try("invalid Zero increment value: \u{2018}0\u{2019}");
    }
    // (Decimals past a hundred are the simulator's limit: formatting takes no more than 65 535.)
    let decimals = numbers.iter().map(|n| n.split_once('.').map_or(0, |(_, d)| d.len())).max().unwrap_or(0).min(100);
    let render = |v: f64| format!("{v:.decimals$}");
    let width = if equal_width { render(first).len().max(render(last).len()) } else { 0 };
    // Endless in truth past the largest file the simulation keeps (64 MiB): it stops there.
    let mut text = String::new();
    let mut k = 0u32;
    loop {
        let v = first + step * f64::from(k);
        if (step > 0.0 && v > last + 1e-9) || (step < 0.0 && v < last - 1e-9) || text.len() as u64 > crate::vfs::MAX_FILE_BYTES {
            break;
        }
        if k > 0 {
            text.push_str(&sep);
        }
        let shown = render(v);
        if equal_width && !shown.starts_with('-') {
            text.push_str(&format!("{shown:0>width$}"));
        } else {
            text.push_str(&shown);
        }
        k = k.saturating_add(1);
    }
    if !text.is_empty() {
        text.push('\n');
        p.out(&text);
    }
    0
}
