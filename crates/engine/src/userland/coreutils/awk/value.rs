//! awk's values: numbers, strings, and input that looks like a number; how numbers print,
//! and `printf`'s formats.

/// A value: a number, a string, or a string that came from input and looks like a number
/// (compared as a number then, as awk does).
#[derive(Clone, Debug)]
pub(super) enum Val {
    Num(f64),
    Str(String),
    Input(String),
}

impl Val {
    pub(super) fn num(&self) -> f64 {
        match self {
            Val::Num(n) => *n,
            Val::Str(s) | Val::Input(s) => leading_number(s),
        }
    }
    pub(super) fn text(&self) -> String {
        match self {
            Val::Num(n) => number_text(*n),
            Val::Str(s) | Val::Input(s) => s.clone(),
        }
    }
    pub(super) fn numeric(&self) -> bool {
        match self {
            Val::Num(_) => true,
            Val::Str(_) => false,
            Val::Input(s) => looks_numeric(s),
        }
    }
    pub(super) fn truthy(&self) -> bool {
        match self {
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::Input(s) => {
                if looks_numeric(s) {
                    leading_number(s) != 0.0
                } else {
                    !s.is_empty()
                }
            }
        }
    }
}

pub(super) fn looks_numeric(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.parse::<f64>().is_ok() && !t.chars().any(|c| c.is_ascii_alphabetic() && !matches!(c, 'e' | 'E'))
}

/// The number at the start of `s` (`"3abc"` is 3, `"abc"` is 0).
pub(super) fn leading_number(s: &str) -> f64 {
    let mut number = String::new();
    for c in s.trim_start().chars() {
        let ok = c.is_ascii_digit() || (number.is_empty() && matches!(c, '+' | '-')) || (c == '.' && !number.contains('.'));
        if !ok {
            break;
        }
        number.push(c);
    }
    number.parse().unwrap_or(0.0)
}

/// A number as awk prints it: integers whole, others with `%.6g`.
pub(super) fn number_text(n: f64) -> String {
    if n == n.trunc() && n.abs() < 1e16 {
        format!("{}", n as i64)
    } else {
        format_g(n, 6, false)
    }
}

/// C's `%g` with `prec` significant digits (`alt`: keep trailing zeros).
pub(super) fn format_g(x: f64, prec: usize, alt: bool) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "nan".into()
        } else if x > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let p = prec.max(1);
    let sci = format!("{:.*e}", p - 1, x);
    let exp: i32 = sci.rsplit_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
    let strip = |s: String| if alt || !s.contains('.') { s } else { s.trim_end_matches('0').trim_end_matches('.').to_string() };
    if exp < -4 || exp >= p as i32 {
        let (mantissa, _) = sci.split_once('e').unwrap_or((&sci, ""));
        format!("{}e{}{:02}", strip(mantissa.to_string()), if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        strip(format!("{:.*}", (p as i32 - 1 - exp).max(0) as usize, x))
    }
}

/// `printf FORMAT, ARGS…`: `%d %i %o %x %X %u %c %s %e %f %g %%` with flags, width and
/// precision (`*` too).
pub(super) fn printf(vals: &[Val]) -> String {
    let Some(fmt) = vals.first().map(Val::text) else { return String::new() };
    let mut args = vals[1..].iter();
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(f) = chars.peek().copied().filter(|f| "-+ 0#".contains(*f)) {
            flags.push(f);
            chars.next();
        }
        let number = |chars: &mut std::iter::Peekable<std::str::Chars>, args: &mut std::slice::Iter<Val>| -> Option<usize> {
            if chars.peek() == Some(&'*') {
                chars.next();
                return Some(args.next().map_or(0.0, Val::num) as usize);
            }
            let mut d = String::new();
            while let Some(x) = chars.peek().copied().filter(char::is_ascii_digit) {
                d.push(x);
                chars.next();
            }
            d.parse().ok()
        };
        // Past a page's worth, widths and precisions are the simulator's limit.
        const MOST: usize = 65_535;
        let width = number(&mut chars, &mut args).map(|w| w.min(MOST));
        let precision = if chars.peek() == Some(&'.') {
            chars.next();
            Some(number(&mut chars, &mut args).unwrap_or(0).min(MOST))
        } else {
            None
        };
        let Some(conv) = chars.next() else {
            out.push('%');
            break;
        };
        let arg = if conv == '%' { None } else { args.next() };
        let num = arg.map_or(0.0, Val::num);
        let sign = |s: String| {
            if num >= 0.0 && flags.contains('+') {
                format!("+{s}")
            } else if num >= 0.0 && flags.contains(' ') {
                format!(" {s}")
            } else {
                s
            }
        };
        let body = match conv {
            '%' => "%".to_string(),
            'd' | 'i' => {
                let digits = format!("{}", num.trunc().abs() as i64);
                let digits = match precision {
                    Some(p) if digits.len() < p => format!("{}{digits}", "0".repeat(p - digits.len())),
                    _ => digits,
                };
                sign(if num < 0.0 && num.trunc() != 0.0 { format!("-{digits}") } else { digits })
            }
            'o' => format!("{:o}", num as i64),
            'x' => format!("{:x}", num as i64),
            'X' => format!("{:X}", num as i64),
            'u' => format!("{}", num.max(0.0) as u64),
            'c' => match arg {
                Some(v) if v.numeric() && matches!(v, Val::Num(_)) => char::from_u32(num as u32).map(String::from).unwrap_or_default(),
                Some(v) => v.text().chars().next().map(String::from).unwrap_or_default(),
                None => String::new(),
            },
            's' => {
                let s = arg.map(Val::text).unwrap_or_default();
                match precision {
                    Some(p) => s.chars().take(p).collect(),
                    None => s,
                }
            }
            'f' | 'F' => sign(format!("{:.*}", precision.unwrap_or(6), num)),
            'e' | 'E' => {
                let s = format!("{:.*e}", precision.unwrap_or(6), num);
                let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
                let e: i32 = e.parse().unwrap_or(0);
                let s = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
                sign(if conv == 'E' { s.to_uppercase() } else { s })
            }
            'g' | 'G' => {
                let s = format_g(num, precision.unwrap_or(6), flags.contains('#'));
                sign(if conv == 'G' { s.to_uppercase() } else { s })
            }
            other => format!("%{other}"),
        };
        let w = width.unwrap_or(0);
        let len = body.chars().count();
        if len >= w {
            out.push_str(&body);
        } else if flags.contains('-') {
            out.push_str(&body);
            out.push_str(&" ".repeat(w - len));
        } else if flags.contains('0') && !matches!(conv, 's' | 'c') {
            let (sign, digits) = if body.starts_with(['-', '+', ' ']) { body.split_at(1) } else { ("", body.as_str()) };
            out.push_str(sign);
            out.push_str(&"0".repeat(w - len));
            out.push_str(digits);
        } else {
            out.push_str(&" ".repeat(w - len));
            out.push_str(&body);
        }
    }
    out
}
