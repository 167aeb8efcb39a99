//! `echo` and `printf` as bash and busybox format them: the shells' builtins and the
//! programs (`/bin/echo`, `/usr/bin/printf`) share them.

/// `echo` as bash and busybox do it: `-n`, `-e`, `-E` options, no escapes by default.
pub fn echo(args: &[String]) -> String {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let flags = a.strip_prefix('-').filter(|f| !f.is_empty() && f.chars().all(|c| matches!(c, 'n' | 'e' | 'E')));
        if let Some(flags) = flags {
            for c in flags.chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let mut out = args[i..].join(" ");
    if escapes {
        let (s, stop) = unescape(&out, true);
        out = s;
        if stop {
            return out;
        }
    }
    if newline {
        out.push('\n');
    }
    out
}

/// Where a byte an escape asked for (`\\377`) waits in the text until it is written: bytes
/// outside ASCII are not characters, so they ride in a private-use block, one code point per
/// byte, and [`to_bytes`] puts them back.
const RAW_BYTES: u32 = 0xF700;

fn raw_byte(b: u8) -> char {
    if b.is_ascii() {
        char::from(b)
    } else {
        char::from_u32(RAW_BYTES + u32::from(b)).unwrap_or('?')
    }
}

/// The bytes `echo` or `printf` writes for their text.
pub fn to_bytes(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match u32::from(c).checked_sub(RAW_BYTES) {
            Some(b @ 0x80..=0xff) => out.push(b as u8),
            _ => out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
        }
    }
    out
}

/// Backslash escapes of `printf` formats and `echo -e`. Returns the text and whether `\c` stopped output.
pub fn unescape(s: &str, echo_style: bool) -> (String, bool) {
    let mut out = String::new();
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < c.len() {
        if c[i] == '\\' && i + 1 < c.len() {
            i += 1;
            match c[i] {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'a' => out.push('\x07'),
                'b' => out.push('\x08'),
                'f' => out.push('\x0c'),
                'v' => out.push('\x0b'),
                'e' => out.push('\x1b'),
                '\\' => out.push('\\'),
                'c' => return (out, true),
                // `\xHH`: a byte by one or two hex digits (`\x` alone stays as written).
                'x' if c.get(i + 1).is_some_and(char::is_ascii_hexdigit) => {
                    let mut v = 0u32;
                    i += 1;
                    let mut n = 0;
                    while n < 2 && i < c.len() && c[i].is_ascii_hexdigit() {
                        v = v * 16 + c[i].to_digit(16).unwrap_or(0);
                        i += 1;
                        n += 1;
                    }
                    out.push(raw_byte(v as u8));
                    continue;
                }
                '0'..='7' => {
                    let mut v = 0u32;
                    let mut n = 0;
                    let max = if echo_style && c[i] == '0' { 4 } else { 3 };
                    while n < max && i < c.len() && c[i].is_digit(8) {
                        v = v * 8 + c[i].to_digit(8).unwrap_or(0);
                        i += 1;
                        n += 1;
                    }
                    out.push(raw_byte((v & 0xff) as u8));
                    continue;
                }
                other => {
                    out.push('\\');
                    out.push(other);
                }
            }
            i += 1;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    (out, false)
}

/// C's `%e`: one digit, the decimals, and an exponent of at least two digits (`1.234500e+03`).
fn exponent(n: f64, prec: usize) -> String {
    let text = format!("{n:.prec$e}");
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exp.abs())
}

/// C's `%g`: `%e` for very small or large numbers, else `%f`; trailing zeros dropped.
fn general(n: f64, prec: usize) -> String {
    let prec = prec.max(1);
    let exp = if n == 0.0 { 0 } else { n.abs().log10().floor() as i32 };
    let trim = |s: String| if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s };
    if exp < -4 || exp >= prec as i32 {
        let e = exponent(n, prec - 1);
        let (m, rest) = e.split_once('e').unwrap_or((&e, ""));
        format!("{}e{rest}", trim(m.to_string()))
    } else {
        trim(format!("{:.*}", (prec as i32 - 1 - exp).max(0) as usize, n))
    }
}

/// `printf FORMAT ARGS...`: the format is reused while arguments remain.
pub fn printf(fmt: &str, args: &[String]) -> (String, i32) {
    let f: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut ai = 0;
    let mut status = 0;
    loop {
        let mut i = 0;
        let mut consumed = false;
        while i < f.len() {
            match f[i] {
                '\\' => {
                    let mut j = i + 1;
                    if j < f.len() && f[j].is_digit(8) {
                        while j < f.len() && j < i + 4 && f[j].is_digit(8) {
                            j += 1;
                        }
                    } else if j < f.len() && f[j] == 'x' {
                        j += 1;
                        while j < f.len() && j < i + 4 && f[j].is_ascii_hexdigit() {
                            j += 1;
                        }
                    } else {
                        j = (i + 2).min(f.len());
                    }
                    let seg: String = f[i..j].iter().collect();
                    let (s, stop) = unescape(&seg, false);
                    out.push_str(&s);
                    if stop {
                        return (out, status);
                    }
                    i = j;
                }
                '%' => {
                    let mut j = i + 1;
                    if j < f.len() && f[j] == '%' {
                        out.push('%');
                        i = j + 1;
                        continue;
                    }
                    while j < f.len() && "-+ #0".contains(f[j]) {
                        j += 1;
                    }
                    while j < f.len() && (f[j].is_ascii_digit() || f[j] == '.') {
                        j += 1;
                    }
                    if j >= f.len() {
                        out.extend(&f[i..]);
                        break;
                    }
                    let spec: String = f[i + 1..j].iter().collect();
                    let conv = f[j];
                    let arg = args.get(ai).cloned();
                    if arg.is_some() {
                        consumed = true;
                    }
                    ai += 1;
                    let arg = arg.unwrap_or_default();
                    let left = spec.contains('-');
                    let zero = spec.starts_with('0') || spec.contains("+0") || spec.contains("-0");
                    let width_prec: Vec<&str> = spec.trim_start_matches(['-', '+', ' ', '#', '0']).split('.').collect();
                    // Widths and precisions past a page's worth are the simulator's limit: a
                    // gigabyte of padding would stop the page.
                    const MOST: usize = 65_535;
                    let width: usize = width_prec.first().and_then(|w| w.parse().ok()).unwrap_or(0).min(MOST);
                    let prec: Option<usize> = width_prec.get(1).map(|p| p.parse().unwrap_or(0).min(MOST));
                    let body = match conv {
                        's' => match prec {
                            Some(p) => arg.chars().take(p).collect(),
                            None => arg,
                        },
                        'b' => unescape(&arg, true).0,
                        // bash's `%q`: quoted so the shell reads it back.
                        'q' if arg.is_empty() => "''".to_string(),
                        'q' => arg.chars().fold(String::new(), |mut s, c| {
                            if !(c.is_alphanumeric() || "_-./,:@%+=".contains(c)) {
                                s.push('\\');
                            }
                            s.push(c);
                            s
                        }),
                        'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                        'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                            let n: i64 = if arg.is_empty() {
                                0
                            } else {
                                match arg.trim().parse() {
                                    Ok(n) => n,
                                    Err(_) => {
                                        status = 1;
                                        0
                                    }
                                }
                            };
                            match conv {
                                'x' => format!("{n:x}"),
                                'X' => format!("{n:X}"),
                                'o' => format!("{n:o}"),
                                _ => n.to_string(),
                            }
                        }
                        'f' | 'F' => {
                            let n: f64 = arg.trim().parse().unwrap_or(0.0);
                            format!("{:.*}", prec.unwrap_or(6), n)
                        }
                        'e' | 'E' => {
                            let n: f64 = arg.trim().parse().unwrap_or(0.0);
                            let s = exponent(n, prec.unwrap_or(6));
                            if conv == 'E' {
                                s.to_uppercase()
                            } else {
                                s
                            }
                        }
                        'g' | 'G' => {
                            let n: f64 = arg.trim().parse().unwrap_or(0.0);
                            general(n, prec.unwrap_or(6))
                        }
                        other => format!("%{spec}{other}"),
                    };
                    let len = body.chars().count();
                    if len < width {
                        let pad = width - len;
                        if left {
                            out.push_str(&body);
                            out.push_str(&" ".repeat(pad));
                        } else if zero && "diuxXof".contains(conv) {
                            out.push_str(&"0".repeat(pad));
                            out.push_str(&body);
                        } else {
                            out.push_str(&" ".repeat(pad));
                            out.push_str(&body);
                        }
                    } else {
                        out.push_str(&body);
                    }
                    i = j + 1;
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        if !consumed || ai >= args.len() {
            break;
        }
    }
    (out, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_reuses_format() {
        let args: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        assert_eq!(printf("%s\\n", &args).0, "a\nb\n");
        assert_eq!(printf("FROM x\\nRUN y\\n", &[]).0, "FROM x\nRUN y\n");
        assert_eq!(printf("%-5s|%3d", &["ab".into(), "7".into()]).0, "ab   |  7");
    }

    #[test]
    fn echo_options() {
        assert_eq!(echo(&["-n".into(), "x".into()]), "x");
        assert_eq!(echo(&["-e".into(), "a\\tb".into()]), "a\tb\n");
        assert_eq!(echo(&["a\\tb".into()]), "a\\tb\n");
    }
}
