//! The parts of Go's `fmt` and `strconv` that template output goes through:
//! `Sprint`, `Sprintln`, `Sprintf`, `%v` printing of values, float
//! formatting and string quoting.

use crate::value::{sorted_keys, Val};

// ---------------------------------------------------------------------------
// strconv

/// Go's `strconv.IsPrint`, approximated with the Unicode data Rust has.
pub(crate) fn is_print(c: char) -> bool {
    let u = c as u32;
    if u < 0x20 || u == 0x7f || (0x80..0xa0).contains(&u) {
        return false;
    }
    if c == ' ' {
        return true;
    }
    if c.is_whitespace() {
        return false;
    }
    !matches!(
        u,
        0xad | 0x600..=0x605
            | 0x61c
            | 0x6dd
            | 0x70f
            | 0x180e
            | 0x200b..=0x200f
            | 0x202a..=0x202e
            | 0x2060..=0x206f
            | 0xe000..=0xf8ff
            | 0xfeff
            | 0xfff9..=0xfffb
            | 0xfffe
            | 0xffff
            | 0xe0001
            | 0xe0020..=0xe007f
            | 0xf0000..=0x10ffff
    )
}

const LOWERHEX: &[u8; 16] = b"0123456789abcdef";

fn append_escaped(out: &mut String, c: char, quote: char, ascii_only: bool) {
    if c == quote || c == '\\' {
        out.push('\\');
        out.push(c);
        return;
    }
    if ascii_only {
        if c.is_ascii() && is_print(c) {
            out.push(c);
            return;
        }
    } else if is_print(c) {
        out.push(c);
        return;
    }
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        _ => {
            let u = c as u32;
            if u < 0x20 || u == 0x7f {
                out.push_str("\\x");
                out.push(LOWERHEX[(u >> 4) as usize] as char);
                out.push(LOWERHEX[(u & 0xf) as usize] as char);
            } else if u < 0x10000 {
                out.push_str("\\u");
                for s in (0..=12).rev().step_by(4) {
                    out.push(LOWERHEX[((u >> s) & 0xf) as usize] as char);
                }
            } else {
                out.push_str("\\U");
                for s in (0..=28).rev().step_by(4) {
                    out.push(LOWERHEX[((u >> s) & 0xf) as usize] as char);
                }
            }
        }
    }
}

fn quote_with(s: &str, quote: char, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        append_escaped(&mut out, c, quote, ascii_only);
    }
    out.push(quote);
    out
}

/// Go's `strconv.Quote`.
pub(crate) fn quote(s: &str) -> String {
    quote_with(s, '"', false)
}

/// Go's `strconv.QuoteToASCII`.
pub(crate) fn quote_ascii(s: &str) -> String {
    quote_with(s, '"', true)
}

/// Go's `strconv.QuoteRune` / `QuoteRuneToASCII`.
pub(crate) fn quote_rune(c: char, ascii_only: bool) -> String {
    let mut out = String::new();
    out.push('\'');
    append_escaped(&mut out, c, '\'', ascii_only);
    out.push('\'');
    out
}

/// Go's `strconv.CanBackquote`.
pub(crate) fn can_backquote(s: &str) -> bool {
    s.chars().all(|c| c != '`' && c != '\u{feff}' && (c == '\t' || !((c as u32) < 0x20 || c == '\x7f')))
}

/// Go's `fmt` `%.10q`-style truncation to `n` runes.
pub(crate) fn truncate_runes(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => s.split_at_checked(i).map_or(s, |(head, _)| head),
        None => s,
    }
}

/// Result of `strconv.UnquoteChar`.
pub(crate) struct UnquotedChar<'s> {
    pub value: u32,
    pub multibyte: bool,
    pub tail: &'s str,
}

fn unhex(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// Go's `strconv.UnquoteChar`; `Err(())` is `strconv.ErrSyntax`.
pub(crate) fn unquote_char(s: &str, quote: u8) -> Result<UnquotedChar<'_>, ()> {
    let mut chars = s.chars();
    let first = chars.next().ok_or(())?;
    if first == quote as char && (quote == b'\'' || quote == b'"') {
        return Err(());
    }
    if !first.is_ascii() {
        return Ok(UnquotedChar { value: first as u32, multibyte: true, tail: chars.as_str() });
    }
    if first != '\\' {
        return Ok(UnquotedChar { value: first as u32, multibyte: false, tail: chars.as_str() });
    }
    // An escape: the char after the backslash must be ASCII.
    let c = match chars.next() {
        Some(c) if c.is_ascii() => c as u8,
        _ => return Err(()),
    };
    let rest = chars.as_str();
    fn simple(v: u8, tail: &str) -> Result<UnquotedChar<'_>, ()> {
        Ok(UnquotedChar { value: v as u32, multibyte: false, tail })
    }
    match c {
        b'a' => simple(0x07, rest),
        b'b' => simple(0x08, rest),
        b'f' => simple(0x0c, rest),
        b'n' => simple(b'\n', rest),
        b'r' => simple(b'\r', rest),
        b't' => simple(b'\t', rest),
        b'v' => simple(0x0b, rest),
        b'x' | b'u' | b'U' => {
            let n = match c {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            // `split_at_checked` fails on a short or non-ASCII run, which is
            // malformed either way.
            let (digits, tail) = rest.split_at_checked(n).ok_or(())?;
            let mut v: u32 = 0;
            for b in digits.bytes() {
                v = (v << 4) | unhex(b).ok_or(())?;
            }
            if c == b'x' {
                return Ok(UnquotedChar { value: v, multibyte: false, tail });
            }
            if char::from_u32(v).is_none() {
                return Err(());
            }
            Ok(UnquotedChar { value: v, multibyte: true, tail })
        }
        b'0'..=b'7' => {
            let (digits, tail) = rest.split_at_checked(2).ok_or(())?;
            let mut v = (c - b'0') as u32;
            for b in digits.bytes() {
                if !(b'0'..=b'7').contains(&b) {
                    return Err(());
                }
                v = (v << 3) | (b - b'0') as u32;
            }
            if v > 255 {
                return Err(());
            }
            Ok(UnquotedChar { value: v, multibyte: false, tail })
        }
        b'\\' => simple(b'\\', rest),
        b'\'' | b'"' => {
            if c != quote {
                return Err(());
            }
            simple(c, rest)
        }
        _ => Err(()),
    }
}

/// Go's `strconv.Unquote` for `"..."` and `` `...` `` literals.
pub(crate) fn unquote(s: &str) -> Result<String, ()> {
    let q = s.chars().next().ok_or(())?;
    // The same quote at both ends, and two of them (`"` alone is malformed).
    let inner = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)).ok_or(())?;
    match q {
        '`' => {
            if inner.contains('`') {
                return Err(());
            }
            Ok(inner.replace('\r', ""))
        }
        '"' => {
            let mut buf: Vec<u8> = Vec::with_capacity(inner.len());
            let mut rest = inner;
            while !rest.is_empty() {
                if rest.starts_with('\n') {
                    return Err(());
                }
                let u = unquote_char(rest, b'"')?;
                if u.value < 0x80 || !u.multibyte {
                    buf.push(u.value as u8);
                } else {
                    let ch = char::from_u32(u.value).ok_or(())?;
                    let mut tmp = [0u8; 4];
                    buf.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
                }
                rest = u.tail;
            }
            Ok(match String::from_utf8(buf) {
                Ok(s) => s,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            })
        }
        _ => Err(()),
    }
}

/// Decimal digits of a float: value = 0.d1d2d3... × 10^dp (Go's `decimalSlice`).
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

impl Digits {
    fn nd(&self) -> i32 {
        self.d.len() as i32
    }
}

fn parse_sci(s: &str) -> Digits {
    // s looks like "1.2345e-7" (Rust's `{:e}` output) for a non-negative value.
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
    while d.last() == Some(&b'0') {
        d.pop();
    }
    if d.is_empty() {
        return Digits { d, dp: 0 };
    }
    Digits { d, dp: exp + 1 }
}

/// Shortest digits that round-trip.
fn shortest_digits(a: f64) -> Digits {
    if a == 0.0 {
        return Digits { d: Vec::new(), dp: 0 };
    }
    parse_sci(&format!("{:e}", a))
}

/// Digits rounded to `n` significant digits (trailing zeros dropped).
fn rounded_digits(a: f64, n: i32) -> Digits {
    if a == 0.0 {
        return Digits { d: Vec::new(), dp: 0 };
    }
    // A double's exact decimal expansion ends within 1 100 digits: past them, zeros (and
    // Rust's formatting takes no precision above 65 535).
    let n = (n.max(1) as usize).min(1_100);
    parse_sci(&format!("{:.*e}", n - 1, a))
}

fn fmt_e(out: &mut String, d: &Digits, prec: i32, fmtc: char) {
    let nd = d.nd();
    out.push(if nd == 0 { '0' } else { d.d[0] as char });
    if prec > 0 {
        out.push('.');
        let mut i = 1;
        let m = nd.min(prec + 1);
        if i < m {
            for &c in &d.d[i as usize..m as usize] {
                out.push(c as char);
            }
            i = m;
        }
        while i <= prec {
            out.push('0');
            i += 1;
        }
    }
    out.push(fmtc);
    let mut exp = d.dp - 1;
    if nd == 0 {
        exp = 0;
    }
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

fn fmt_f(out: &mut String, d: &Digits, prec: i32) {
    let nd = d.nd();
    if d.dp > 0 {
        let m = nd.min(d.dp);
        for &c in &d.d[..m as usize] {
            out.push(c as char);
        }
        for _ in m..d.dp {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            let j = d.dp + i - 1;
            let ch = if 0 <= j && j < nd { d.d[j as usize] as char } else { '0' };
            out.push(ch);
        }
    }
}

/// Go's `strconv.FormatFloat(v, fmt, prec, 64)` for fmt in `eEfFgG`
/// (`prec < 0` means the shortest representation).
pub(crate) fn format_float(v: f64, fmt: char, prec: i32) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf" } else { "-Inf" }.to_string();
    }
    let mut out = String::new();
    if v.is_sign_negative() {
        out.push('-');
    }
    let a = v.abs();
    let shortest = prec < 0;
    match fmt {
        'e' | 'E' => {
            let d = if shortest { shortest_digits(a) } else { rounded_digits(a, prec + 1) };
            let p = if shortest { d.nd() - 1 } else { prec };
            fmt_e(&mut out, &d, p, fmt);
        }
        'f' | 'F' => {
            if shortest {
                let d = shortest_digits(a);
                let p = (d.nd() - d.dp).max(0);
                fmt_f(&mut out, &d, p);
            } else {
                // Past 1 100 decimals a double's expansion is zeros (see `rounded_digits`).
                let exact = (prec as usize).min(1_100);
                out.push_str(&format!("{:.*}", exact, a));
                out.push_str(&"0".repeat(prec as usize - exact));
            }
        }
        _ => {
            // 'g' / 'G'
            let (d, mut p) = if shortest {
                let d = shortest_digits(a);
                let n = d.nd();
                (d, n)
            } else {
                let p = if prec == 0 { 1 } else { prec };
                (rounded_digits(a, p), p)
            };
            let nd = d.nd();
            let mut eprec = p;
            if eprec > nd && nd >= d.dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = d.dp - 1;
            if exp < -4 || exp >= eprec {
                if p > nd {
                    p = nd;
                }
                fmt_e(&mut out, &d, p - 1, if fmt == 'G' { 'E' } else { 'e' });
            } else {
                if p > d.dp {
                    p = nd;
                }
                fmt_f(&mut out, &d, (p - d.dp).max(0));
            }
        }
    }
    out
}

/// Float encoding of Go's `encoding/json` (ES6 number formatting).
pub(crate) fn json_float(f: f64) -> String {
    let a = f.abs();
    let fmt = if a != 0.0 && !(1e-6..1e21).contains(&a) { 'e' } else { 'f' };
    let mut s = format_float(f, fmt, -1);
    if fmt == 'e' {
        // clean up e-09 to e-9
        let b = s.as_bytes();
        let n = b.len();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            let last = b[n - 1] as char;
            s.truncate(n - 2);
            s.push(last);
        }
    }
    s
}

// ---------------------------------------------------------------------------
// fmt

#[derive(Clone, Copy, Default)]
struct Flags {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    sharp_v: bool,
    plus_v: bool,
    wid: usize,
    wid_present: bool,
    prec: usize,
    prec_present: bool,
}

struct Printer {
    buf: String,
    f: Flags,
}

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

/// Largest width or precision Go's fmt accepts.
const MAX_NUM: usize = 1_000_000;

impl Printer {
    fn new() -> Self {
        Printer { buf: String::new(), f: Flags::default() }
    }

    fn write_padding(&mut self, n: isize) {
        if n <= 0 {
            return;
        }
        let c = if self.f.zero { '0' } else { ' ' };
        for _ in 0..n {
            self.buf.push(c);
        }
    }

    fn pad(&mut self, s: &str) {
        if !self.f.wid_present || self.f.wid == 0 {
            self.buf.push_str(s);
            return;
        }
        let width = self.f.wid as isize - s.chars().count() as isize;
        if !self.f.minus {
            self.write_padding(width);
            self.buf.push_str(s);
        } else {
            self.buf.push_str(s);
            self.write_padding(width);
        }
    }

    fn truncate<'s>(&self, s: &'s str) -> &'s str {
        if self.f.prec_present {
            truncate_runes(s, self.f.prec)
        } else {
            s
        }
    }

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate(s);
        self.pad(s);
    }

    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate(s);
        if self.f.sharp && can_backquote(s) {
            let q = format!("`{}`", s);
            self.pad(&q);
        } else if self.f.plus {
            let q = quote_ascii(s);
            self.pad(&q);
        } else {
            let q = quote(s);
            self.pad(&q);
        }
    }

    fn fmt_sx(&mut self, s: &str, digits: &[u8; 17]) {
        let b = s.as_bytes();
        let mut length = b.len();
        if self.f.prec_present && self.f.prec < length {
            length = self.f.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                self.write_padding(self.f.wid as isize);
            }
            return;
        }
        if self.f.wid_present && self.f.wid > width && !self.f.minus {
            self.write_padding((self.f.wid - width) as isize);
        }
        if self.f.sharp {
            self.buf.push('0');
            self.buf.push(digits[16] as char);
        }
        for (i, &c) in b[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.push('0');
                    self.buf.push(digits[16] as char);
                }
            }
            self.buf.push(digits[(c >> 4) as usize] as char);
            self.buf.push(digits[(c & 0xf) as usize] as char);
        }
        if self.f.wid_present && self.f.wid > width && self.f.minus {
            self.write_padding((self.f.wid - width) as isize);
        }
    }

    fn fmt_integer(&mut self, mut u: u64, base: u64, is_signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = is_signed && (u as i64) < 0;
        if negative {
            u = (u as i64).wrapping_neg() as u64;
        }
        let mut prec = 0usize;
        if self.f.prec_present {
            prec = self.f.prec;
            if prec == 0 && u == 0 {
                let old = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.f.wid as isize);
                self.f.zero = old;
                return;
            }
        } else if self.f.zero && self.f.wid_present {
            prec = self.f.wid;
            if negative || self.f.plus || self.f.space {
                prec = prec.saturating_sub(1);
            }
        }
        let mut rev: Vec<u8> = Vec::new();
        loop {
            rev.push(digits[(u % base) as usize]);
            u /= base;
            if u == 0 {
                break;
            }
        }
        while rev.len() < prec {
            rev.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => {
                    rev.push(b'b');
                    rev.push(b'0');
                }
                8 if rev.last() != Some(&b'0') => rev.push(b'0'),
                16 => {
                    rev.push(digits[16]);
                    rev.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            rev.push(b'o');
            rev.push(b'0');
        }
        if negative {
            rev.push(b'-');
        } else if self.f.plus {
            rev.push(b'+');
        } else if self.f.space {
            rev.push(b' ');
        }
        rev.reverse();
        let s: String = rev.into_iter().map(|b| b as char).collect();
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old;
    }

    fn fmt_c(&mut self, u: u64) {
        let c = u32::try_from(u).ok().and_then(char::from_u32).unwrap_or('\u{fffd}');
        let s = c.to_string();
        self.pad(&s);
    }

    fn fmt_qc(&mut self, u: u64) {
        let c = u32::try_from(u).ok().and_then(char::from_u32).unwrap_or('\u{fffd}');
        let s = c.to_string();
        if self.f.sharp && can_backquote(&s) {
            let q = format!("`{}`", s);
            self.pad(&q);
        } else {
            let q = quote_rune(c, self.f.plus);
            self.pad(&q);
        }
    }

    fn fmt_unicode(&mut self, u: u64) {
        let mut hex = format!("{:X}", u);
        let min = if self.f.prec_present && self.f.prec > 4 { self.f.prec } else { 4 };
        while hex.len() < min {
            hex.insert(0, '0');
        }
        let mut s = format!("U+{}", hex);
        if self.f.sharp {
            if let Some(c) = u32::try_from(u).ok().and_then(char::from_u32) {
                if is_print(c) {
                    s.push_str(" '");
                    s.push(c);
                    s.push('\'');
                }
            }
        }
        let old = self.f.zero;
        self.f.zero = false;
        self.pad(&s);
        self.f.zero = old;
    }

    fn fmt_float(&mut self, v: f64, verb: char, prec: i32) {
        let prec = if self.f.prec_present { self.f.prec as i32 } else { prec };
        let num = format_float(v, verb, prec);
        let (mut sign, body) = if let Some(body) = num.strip_prefix('-') {
            ('-', body)
        } else if let Some(body) = num.strip_prefix('+') {
            ('+', body)
        } else {
            ('+', num.as_str())
        };
        if self.f.space && sign == '+' && !self.f.plus {
            sign = ' ';
        }
        if body.starts_with('I') || body.starts_with('N') {
            let old = self.f.zero;
            self.f.zero = false;
            let s = if body.starts_with('N') && !self.f.space && !self.f.plus { body.to_string() } else { format!("{}{}", sign, body) };
            self.pad(&s);
            self.f.zero = old;
            return;
        }
        if self.f.plus || sign != '+' {
            let len = body.len() + 1;
            if self.f.zero && self.f.wid_present && self.f.wid > len {
                self.buf.push(sign);
                self.write_padding((self.f.wid - len) as isize);
                self.buf.push_str(body);
                return;
            }
            let s = format!("{}{}", sign, body);
            self.pad(&s);
            return;
        }
        self.pad(body);
    }

    fn bad_verb(&mut self, verb: char, v: &Val) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        if v.is_nilish() {
            self.buf.push_str("<nil>");
        } else {
            self.buf.push_str(v.type_name());
            self.buf.push('=');
            self.print_value(v, 'v', 0);
        }
        self.buf.push(')');
    }

    fn fmt_bool(&mut self, b: bool, verb: char, v: &Val) {
        match verb {
            't' | 'v' => self.pad(if b { "true" } else { "false" }),
            _ => self.bad_verb(verb, v),
        }
    }

    fn fmt_int_verb(&mut self, u: u64, is_signed: bool, verb: char, v: &Val) {
        match verb {
            'v' => {
                if self.f.sharp_v && !is_signed {
                    let old = self.f.sharp;
                    self.f.sharp = true;
                    self.fmt_integer(u, 16, false, 'v', LDIGITS);
                    self.f.sharp = old;
                } else {
                    self.fmt_integer(u, 10, is_signed, verb, LDIGITS);
                }
            }
            'd' => self.fmt_integer(u, 10, is_signed, verb, LDIGITS),
            'b' => self.fmt_integer(u, 2, is_signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(u, 8, is_signed, verb, LDIGITS),
            'x' => self.fmt_integer(u, 16, is_signed, verb, LDIGITS),
            'X' => self.fmt_integer(u, 16, is_signed, verb, UDIGITS),
            'c' => self.fmt_c(u),
            'q' => self.fmt_qc(u),
            'U' => self.fmt_unicode(u),
            _ => self.bad_verb(verb, v),
        }
    }

    fn fmt_float_verb(&mut self, f: f64, verb: char, v: &Val) {
        match verb {
            'v' => self.fmt_float(f, 'g', -1),
            'g' | 'G' => self.fmt_float(f, verb, -1),
            'f' | 'F' => self.fmt_float(f, 'f', 6),
            'e' | 'E' => self.fmt_float(f, verb, 6),
            _ => self.bad_verb(verb, v),
        }
    }

    fn fmt_string(&mut self, s: &str, verb: char, v: &Val) {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.fmt_q(s)
                } else {
                    self.fmt_s(s)
                }
            }
            's' => self.fmt_s(s),
            'x' => self.fmt_sx(s, LDIGITS),
            'X' => self.fmt_sx(s, UDIGITS),
            'q' => self.fmt_q(s),
            _ => self.bad_verb(verb, v),
        }
    }

    /// Go's `printArg`: a top-level operand.
    fn print_arg(&mut self, v: &Val, verb: char) {
        if v.is_nilish() {
            match verb {
                'T' | 'v' => self.pad("<nil>"),
                _ => self.bad_verb(verb, v),
            }
            return;
        }
        match verb {
            'T' => {
                self.fmt_s(v.type_name());
                return;
            }
            'p' => {
                self.bad_verb(verb, v);
                return;
            }
            _ => {}
        }
        self.print_value(v, verb, 0);
    }

    /// Go's `printValue`; `depth > 0` for elements of maps and slices.
    fn print_value(&mut self, v: &Val, verb: char, depth: usize) {
        match v {
            Val::Invalid | Val::Nil => {
                if depth == 0 {
                    self.buf.push_str("<invalid reflect.Value>");
                } else if self.f.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.pad("<nil>");
                }
            }
            Val::Bool(b) => self.fmt_bool(*b, verb, v),
            Val::Int(i) => self.fmt_int_verb(*i as u64, true, verb, v),
            Val::Uint(u) => self.fmt_int_verb(*u, false, verb, v),
            Val::Byte(b) => self.fmt_int_verb(*b as u64, false, verb, v),
            Val::Float(f) => self.fmt_float_verb(*f, verb, v),
            Val::Str(s) => self.fmt_string(s, verb, v),
            Val::Obj(m) if m.contains_key(crate::NIL_MARKER) && !self.f.sharp_v => {
                let kind = m.get(crate::NIL_MARKER).and_then(|k| k.as_str()).unwrap_or("slice");
                self.buf.push_str(if kind == "map" { "map[]" } else { "[]" });
            }
            Val::Obj(m) if m.contains_key(crate::STRUCT_MARKER) && !self.f.sharp_v => {
                // A Go struct: its field values in declaration order, `{a b c}`.
                self.buf.push('{');
                for (i, (_, e)) in m.iter().filter(|(k, _)| k.as_str() != crate::STRUCT_MARKER).enumerate() {
                    if i > 0 {
                        self.buf.push(' ');
                    }
                    self.print_value(&Val::from_json(e), verb, depth + 1);
                }
                self.buf.push('}');
            }
            Val::Obj(m) => {
                if self.f.sharp_v {
                    self.buf.push_str("map[string]interface {}{");
                } else {
                    self.buf.push_str("map[");
                }
                for (i, k) in sorted_keys(m).into_iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.buf.push_str(", ");
                        } else {
                            self.buf.push(' ');
                        }
                    }
                    self.print_value(&Val::Str(k.as_str().into()), verb, depth + 1);
                    self.buf.push(':');
                    if let Some(e) = m.get(k.as_str()) {
                        self.print_value(&Val::from_json(e), verb, depth + 1);
                    }
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
            Val::Arr(a) => {
                self.buf.push_str(if self.f.sharp_v { "[]interface {}{" } else { "[" });
                for (i, e) in a.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(if self.f.sharp_v { ", " } else { " " });
                    }
                    self.print_value(&Val::from_json(e), verb, depth + 1);
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
            Val::Strs(s) => {
                self.buf.push_str(if self.f.sharp_v { "[]string{" } else { "[" });
                for (i, e) in s.iter().enumerate() {
                    if i > 0 {
                        self.buf.push_str(if self.f.sharp_v { ", " } else { " " });
                    }
                    self.print_value(&Val::Str(e.as_str().into()), verb, depth + 1);
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
        }
    }

    fn do_print(&mut self, args: &[Val]) {
        let mut prev_string = false;
        for (i, a) in args.iter().enumerate() {
            let is_string = matches!(a, Val::Str(_));
            if i > 0 && !is_string && !prev_string {
                self.buf.push(' ');
            }
            self.print_arg(a, 'v');
            prev_string = is_string;
        }
    }

    fn do_println(&mut self, args: &[Val]) {
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                self.buf.push(' ');
            }
            self.print_arg(a, 'v');
        }
        self.buf.push('\n');
    }

    fn do_printf(&mut self, format: &str, args: &[Val]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num = 0usize;
        let mut after_index;
        let mut reordered = false;
        let mut i = 0usize;
        while i < end {
            let mut good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                // `lasti` follows a whole verb char and `i` is at a '%', so
                // `get` always succeeds.
                self.buf.push_str(format.get(lasti..i).unwrap_or(""));
            }
            if i >= end {
                break;
            }
            i += 1; // skip %
            self.f = Flags::default();
            while i < end {
                match fb[i] {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = !self.f.minus,
                    b'+' => self.f.plus = true,
                    b'-' => {
                        self.f.minus = true;
                        self.f.zero = false;
                    }
                    b' ' => self.f.space = true,
                    _ => break,
                }
                i += 1;
            }
            // Argument index?
            let r = arg_number(arg_num, format, i, args.len());
            arg_num = r.0;
            i = r.1;
            after_index = r.2;
            if r.3 {
                reordered = true;
            }
            if !r.4 {
                good_arg_num = false;
            }
            // Width.
            if i < end && fb[i] == b'*' {
                i += 1;
                let (num, is_int, next) = int_from_arg(args, arg_num);
                arg_num = next;
                self.f.wid_present = is_int;
                if !is_int {
                    self.buf.push_str("%!(BADWIDTH)");
                }
                if num < 0 {
                    self.f.wid = num.unsigned_abs() as usize;
                    self.f.minus = true;
                    self.f.zero = false;
                } else {
                    self.f.wid = num as usize;
                }
                after_index = false;
            } else {
                let (num, is_num, newi) = parse_num(format, i, end);
                self.f.wid = num;
                self.f.wid_present = is_num;
                i = newi;
                if after_index && self.f.wid_present {
                    good_arg_num = false;
                }
            }
            // Precision.
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    good_arg_num = false;
                }
                let r = arg_number(arg_num, format, i, args.len());
                arg_num = r.0;
                i = r.1;
                after_index = r.2;
                if r.3 {
                    reordered = true;
                }
                if !r.4 {
                    good_arg_num = false;
                }
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let (num, is_int, next) = int_from_arg(args, arg_num);
                    arg_num = next;
                    self.f.prec_present = is_int;
                    if num < 0 {
                        self.f.prec = 0;
                        self.f.prec_present = false;
                    } else {
                        self.f.prec = num as usize;
                    }
                    if !self.f.prec_present {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let (num, is_num, newi) = parse_num(format, i, end);
                    i = newi;
                    self.f.prec = if is_num { num } else { 0 };
                    self.f.prec_present = true;
                }
            }
            if !after_index {
                let r = arg_number(arg_num, format, i, args.len());
                arg_num = r.0;
                i = r.1;
                if r.3 {
                    reordered = true;
                }
                if !r.4 {
                    good_arg_num = false;
                }
            }
            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }
            let verb = format.get(i..).and_then(|r| r.chars().next()).unwrap_or('%');
            i += verb.len_utf8();
            if verb == '%' {
                self.buf.push('%');
            } else if !good_arg_num {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(BADINDEX)");
            } else if arg_num >= args.len() {
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(MISSING)");
            } else if verb == 'w' {
                self.bad_verb('w', &args[arg_num]);
                arg_num += 1;
            } else {
                if verb == 'v' {
                    self.f.sharp_v = self.f.sharp;
                    self.f.sharp = false;
                    self.f.plus_v = self.f.plus;
                    self.f.plus = false;
                }
                self.print_arg(&args[arg_num], verb);
                arg_num += 1;
            }
        }
        if !reordered && arg_num < args.len() {
            self.f = Flags::default();
            self.buf.push_str("%!(EXTRA ");
            for (k, a) in args[arg_num..].iter().enumerate() {
                if k > 0 {
                    self.buf.push_str(", ");
                }
                if a.is_nilish() {
                    self.buf.push_str("<nil>");
                } else {
                    self.buf.push_str(a.type_name());
                    self.buf.push('=');
                    self.print_arg(a, 'v');
                }
            }
            self.buf.push(')');
        }
    }
}

fn too_large(x: usize) -> bool {
    x > MAX_NUM
}

/// Go's `parsenum`: (number, found, new index).
fn parse_num(s: &str, start: usize, end: usize) -> (usize, bool, usize) {
    let b = s.as_bytes();
    if start >= end {
        return (0, false, end);
    }
    let mut num = 0usize;
    let mut is_num = false;
    let mut i = start;
    while i < end && b[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + (b[i] - b'0') as usize;
        is_num = true;
        i += 1;
    }
    (num, is_num, i)
}

/// Go's `argNumber`: (argNum, i, found, reordered, good).
fn arg_number(arg_num: usize, format: &str, i: usize, num_args: usize) -> (usize, usize, bool, bool, bool) {
    let b = format.as_bytes();
    if b.len() <= i || b[i] != b'[' {
        return (arg_num, i, false, false, true);
    }
    // parseArgNumber on format[i:]; `i` is at a '['.
    let sub = format.get(i..).unwrap_or("");
    let sb = sub.as_bytes();
    let (index, wid, ok) = if sb.len() < 3 {
        (0isize, 1usize, false)
    } else {
        let mut res = (0isize, 1usize, false);
        for (j, &c) in sb.iter().enumerate().skip(1) {
            if c == b']' {
                let (width, ok, newi) = parse_num(sub, 1, j);
                res = if !ok || newi != j { (0, j + 1, false) } else { (width as isize - 1, j + 1, true) };
                break;
            }
        }
        res
    };
    if ok && 0 <= index && (index as usize) < num_args {
        return (index as usize, i + wid, true, true, true);
    }
    (arg_num, i + wid, ok, true, false)
}

fn int_from_arg(args: &[Val], arg_num: usize) -> (i64, bool, usize) {
    if arg_num >= args.len() {
        return (0, false, arg_num);
    }
    let (mut num, mut is_int) = match &args[arg_num] {
        Val::Int(i) => (*i, true),
        Val::Byte(b) => (*b as i64, true),
        Val::Uint(u) => match i64::try_from(*u) {
            Ok(i) => (i, true),
            Err(_) => (0, false),
        },
        _ => (0, false),
    };
    if num.unsigned_abs() > MAX_NUM as u64 {
        num = 0;
        is_int = false;
    }
    (num, is_int, arg_num + 1)
}

/// `fmt.Sprint(args...)`.
pub(crate) fn sprint(args: &[Val]) -> String {
    let mut p = Printer::new();
    p.do_print(args);
    p.buf
}

/// `fmt.Sprintln(args...)`.
pub(crate) fn sprintln(args: &[Val]) -> String {
    let mut p = Printer::new();
    p.do_println(args);
    p.buf
}

/// `fmt.Sprintf(format, args...)`.
pub(crate) fn sprintf(format: &str, args: &[Val]) -> String {
    let mut p = Printer::new();
    p.do_printf(format, args);
    p.buf
}

/// `fmt.Sprintf("%s", v)` with the operand formatted at depth 0.
pub(crate) fn sprint_verb(v: &Val, verb: char) -> String {
    let mut p = Printer::new();
    p.print_arg(v, verb);
    p.buf
}
