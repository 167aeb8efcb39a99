//! `bc`: the arithmetic learners pipe into it — `echo 'scale=2; 10/3' | bc`, `seq 5 | paste
//! -sd+ | bc` — with numbers of any length and `scale` digits after the point, as GNU bc 1.07 on
//! the host and busybox's bc in containers print them (oracle-134). Variables, `+ - * / % ^`,
//! comparisons, `++`/`--`, `sqrt`, `length`, `scale`, `ibase`, `obase`, `print`, `quit`, `-l`'s
//! scale of 20. Not simulated: `define`, `if`/`while`/`for`, and `-l`'s functions (s, c, a, l,
//! e, j).

use std::cmp::Ordering;
use std::collections::HashMap;

use super::{read_input, Proc};

/// A decimal number: its digits (most significant first, no leading zeros), how many of them
/// are after the point, its sign.
#[derive(Clone, Debug, Default, PartialEq)]
struct Num {
    digits: Vec<u8>,
    scale: usize,
    negative: bool,
}

impl Num {
    fn int(n: u64) -> Num {
        Num::from_digits(n.to_string().bytes().map(|b| b - b'0').collect(), 0, false)
    }

    fn from_digits(mut digits: Vec<u8>, scale: usize, negative: bool) -> Num {
        while digits.len() > scale + 1 && digits.first() == Some(&0) {
            digits.remove(0);
        }
        while digits.len() < scale + 1 {
            digits.insert(0, 0);
        }
        let zero = digits.iter().all(|d| *d == 0);
        Num { digits, scale, negative: negative && !zero }
    }

    fn is_zero(&self) -> bool {
        self.digits.iter().all(|d| *d == 0)
    }

    /// The same value with `scale` digits after the point (cut, not rounded).
    fn rescale(&self, scale: usize) -> Num {
        let mut digits = self.digits.clone();
        if scale >= self.scale {
            digits.extend(std::iter::repeat_n(0, scale - self.scale));
        } else {
            digits.truncate(digits.len() - (self.scale - scale));
        }
        Num::from_digits(digits, scale, self.negative)
    }

    fn truncated(&self) -> u64 {
        let int = &self.digits[..self.digits.len() - self.scale];
        int.iter().fold(0u64, |acc, d| acc.saturating_mul(10).saturating_add(u64::from(*d)))
    }
}

/// Magnitudes (digit strings of one scale) compared.
fn cmp_mag(a: &[u8], b: &[u8]) -> Ordering {
    let (a, b) = (trim(a), trim(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn trim(d: &[u8]) -> &[u8] {
    let start = d.iter().position(|x| *x != 0).unwrap_or(d.len());
    &d[start..]
}

fn add_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut i, mut j, mut carry) = (a.len(), b.len(), 0);
    while i > 0 || j > 0 || carry > 0 {
        let x = if i > 0 {
            i -= 1;
            a[i]
        } else {
            0
        };
        let y = if j > 0 {
            j -= 1;
            b[j]
        } else {
            0
        };
        let s = x + y + carry;
        out.push(s % 10);
        carry = s / 10;
    }
    out.reverse();
    out
}

/// `a - b` for `a >= b`.
fn sub_mag(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut i, mut j, mut borrow) = (a.len(), b.len(), 0i8);
    while i > 0 {
        i -= 1;
        let y = if j > 0 {
            j -= 1;
            b[j] as i8
        } else {
            0
        };
        let mut d = a[i] as i8 - y - borrow;
        borrow = i8::from(d < 0);
        if d < 0 {
            d += 10;
        }
        out.push(d as u8);
    }
    out.reverse();
    out
}

fn add(a: &Num, b: &Num) -> Num {
    let scale = a.scale.max(b.scale);
    let (x, y) = (a.rescale(scale), b.rescale(scale));
    if x.negative == y.negative {
        return Num::from_digits(add_mag(&x.digits, &y.digits), scale, x.negative);
    }
    match cmp_mag(&x.digits, &y.digits) {
        Ordering::Less => Num::from_digits(sub_mag(&y.digits, &x.digits), scale, y.negative),
        _ => Num::from_digits(sub_mag(&x.digits, &y.digits), scale, x.negative),
    }
}

fn neg(a: &Num) -> Num {
    Num::from_digits(a.digits.clone(), a.scale, !a.negative)
}

fn mul(a: &Num, b: &Num, scale: usize) -> Num {
    let mut out = vec![0u32; a.digits.len() + b.digits.len()];
    for (i, x) in a.digits.iter().enumerate().rev() {
        for (j, y) in b.digits.iter().enumerate().rev() {
            out[i + j + 1] += u32::from(*x) * u32::from(*y);
        }
    }
    for k in (1..out.len()).rev() {
        let carry = out[k] / 10;
        out[k] %= 10;
        out[k - 1] += carry;
    }
    let full = Num::from_digits(out.into_iter().map(|d| d as u8).collect(), a.scale + b.scale, a.negative != b.negative);
    full.rescale((a.scale + b.scale).min(scale.max(a.scale).max(b.scale)))
}

/// `a / b` with `scale` digits after the point; `None` for a division by zero.
fn div(a: &Num, b: &Num, scale: usize) -> Option<Num> {
    if b.is_zero() {
        return None;
    }
    // a/b = (a·10^(scale + b.scale)) / (b·10^a.scale), both integers.
    let mut dividend = a.digits.clone();
    dividend.extend(std::iter::repeat_n(0, scale + b.scale));
    let mut divisor = b.digits.clone();
    divisor.extend(std::iter::repeat_n(0, a.scale));
    let divisor = trim(&divisor).to_vec();
    let mut quotient = Vec::new();
    let mut rest: Vec<u8> = Vec::new();
    for d in dividend {
        rest.push(d);
        let mut q = 0;
        while cmp_mag(&rest, &divisor) != Ordering::Less {
            rest = sub_mag(&rest, &divisor);
            q += 1;
        }
        quotient.push(q);
    }
    Some(Num::from_digits(quotient, scale, a.negative != b.negative))
}

fn pow(a: &Num, e: &Num, scale: usize) -> Option<Num> {
    let n = e.truncated().min(100_000);
    let mut result = Num::int(1);
    for _ in 0..n {
        result = mul(&result, a, usize::MAX);
    }
    if e.negative {
        return div(&Num::int(1), &result, scale);
    }
    Some(result.rescale((a.scale * n as usize).min(scale.max(a.scale))))
}

fn sqrt(a: &Num, scale: usize) -> Option<Num> {
    if a.negative {
        return None;
    }
    let scale = scale.max(a.scale);
    let mut x = if a.is_zero() { return Some(Num::int(0).rescale(scale)) } else { add(a, &Num::int(1)) };
    let two = Num::int(2);
    for _ in 0..400 {
        let next = div(&add(&x, &div(a, &x, scale + 2)?), &two, scale + 2)?;
        if next.rescale(scale) == x.rescale(scale) {
            break;
        }
        x = next;
    }
    Some(x.rescale(scale))
}

/// The number as bc prints it: no `0` before the point, in `obase`, lines of 68 digits and a
/// backslash.
fn show(n: &Num, obase: u64) -> String {
    let int = &n.digits[..n.digits.len() - n.scale];
    let frac = &n.digits[n.digits.len() - n.scale..];
    let mut text = String::new();
    if n.negative {
        text.push('-');
    }
    if obase == 10 {
        let int: String = trim(int).iter().map(|d| char::from(b'0' + d)).collect();
        text.push_str(if int.is_empty() && n.scale == 0 { "0" } else { &int });
        if n.scale > 0 {
            text.push('.');
            text.extend(frac.iter().map(|d| char::from(b'0' + d)));
        }
    } else {
        // Other bases: the integer part, digit by digit (hex digits above ten).
        let mut value = n.truncated();
        let mut digits = Vec::new();
        while value > 0 {
            digits.push((value % obase) as u32);
            value /= obase;
        }
        if digits.is_empty() {
            digits.push(0);
        }
        for d in digits.iter().rev() {
            text.push(char::from_digit(*d, obase.min(36) as u32).unwrap_or('0').to_ascii_uppercase());
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, chunk) in chars.chunks(68).enumerate() {
        if i > 0 {
            out.push_str("\\\n");
        }
        out.extend(chunk);
    }
    out
}

/// One statement's failure: a syntax error, or one found while running.
enum Fault {
    Syntax,
    DivideByZero,
    SquareRootOfNegative,
}

struct Bc {
    vars: HashMap<String, Num>,
    scale: usize,
    ibase: u64,
    obase: u64,
    out: String,
}

struct Parser<'a> {
    chars: Vec<char>,
    at: usize,
    bc: &'a mut Bc,
}

impl Parser<'_> {
    fn skip_blanks(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| *c == ' ' || *c == '\t') {
            self.at += 1;
        }
    }
    fn peek(&mut self) -> Option<char> {
        self.skip_blanks();
        self.chars.get(self.at).copied()
    }
    fn eat(&mut self, text: &str) -> bool {
        self.skip_blanks();
        let n = text.chars().count();
        if self.chars.get(self.at..self.at + n).is_some_and(|s| s.iter().copied().eq(text.chars())) {
            self.at += n;
            return true;
        }
        false
    }
    fn name(&mut self) -> Option<String> {
        self.skip_blanks();
        let start = self.at;
        while self.chars.get(self.at).is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_') {
            self.at += 1;
        }
        (self.at > start).then(|| self.chars[start..self.at].iter().collect())
    }

    fn get(&self, name: &str) -> Num {
        match name {
            "scale" => Num::int(self.bc.scale as u64),
            "ibase" => Num::int(self.bc.ibase),
            "obase" => Num::int(self.bc.obase),
            _ => self.bc.vars.get(name).cloned().unwrap_or_default(),
        }
    }
    fn set(&mut self, name: &str, value: Num) {
        match name {
            "scale" => self.bc.scale = value.truncated().min(1000) as usize,
            "ibase" => self.bc.ibase = value.truncated().clamp(2, 16),
            "obase" => self.bc.obase = value.truncated().clamp(2, 16),
            _ => {
                self.bc.vars.insert(name.to_string(), value);
            }
        }
    }

    /// An expression; `true` with it when it assigned (bc then prints nothing).
    fn expr(&mut self) -> Result<(Num, bool), Fault> {
        let save = self.at;
        if let Some(name) = self.name() {
            for op in ["+=", "-=", "*=", "/=", "%=", "^=", "="] {
                if self.eat(op) && !(op == "=" && self.peek() == Some('=')) {
                    let (value, _) = self.expr()?;
                    let old = self.get(&name);
                    let new = match op {
                        "=" => value,
                        _ => self.binary(&old, op.trim_end_matches('='), &value)?,
                    };
                    self.set(&name, new.clone());
                    return Ok((new, true));
                }
            }
        }
        self.at = save;
        Ok((self.comparison()?, false))
    }

    fn binary(&self, a: &Num, op: &str, b: &Num) -> Result<Num, Fault> {
        let scale = self.bc.scale;
        Ok(match op {
            "+" => add(a, b),
            "-" => add(a, &neg(b)),
            "*" => mul(a, b, scale),
            "/" => div(a, b, scale).ok_or(Fault::DivideByZero)?,
            "%" => {
                let q = div(a, b, scale).ok_or(Fault::DivideByZero)?;
                let r = add(a, &neg(&mul(&q, b, usize::MAX)));
                r.rescale((scale + b.scale).max(a.scale))
            }
            _ => pow(a, b, scale).ok_or(Fault::DivideByZero)?,
        })
    }

    fn comparison(&mut self) -> Result<Num, Fault> {
        let left = self.additive()?;
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.eat(op) {
                let right = self.additive()?;
                let d = add(&left, &neg(&right));
                let order = if d.is_zero() {
                    Ordering::Equal
                } else if d.negative {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
                let holds = match op {
                    "==" => order == Ordering::Equal,
                    "!=" => order != Ordering::Equal,
                    "<=" => order != Ordering::Greater,
                    ">=" => order != Ordering::Less,
                    "<" => order == Ordering::Less,
                    _ => order == Ordering::Greater,
                };
                return Ok(Num::int(u64::from(holds)));
            }
        }
        Ok(left)
    }

    fn additive(&mut self) -> Result<Num, Fault> {
        let mut left = self.term()?;
        loop {
            let op = match self.peek() {
                Some('+') => "+",
                Some('-') => "-",
                _ => break,
            };
            self.at += 1;
            let right = self.term()?;
            left = self.binary(&left, op, &right)?;
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Num, Fault> {
        let mut left = self.power()?;
        while let Some(op) = self.peek().filter(|c| "*/%".contains(*c)) {
            self.at += 1;
            let right = self.power()?;
            left = self.binary(&left, &op.to_string(), &right)?;
        }
        Ok(left)
    }

    fn power(&mut self) -> Result<Num, Fault> {
        let base = self.unary()?;
        if self.eat("^") {
            let exponent = self.power()?;
            return self.binary(&base, "^", &exponent);
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<Num, Fault> {
        if self.eat("-") {
            return Ok(neg(&self.unary()?));
        }
        for (op, delta) in [("++", 1), ("--", -1)] {
            if self.eat(op) {
                let name = self.name().ok_or(Fault::Syntax)?;
                let new = add(&self.get(&name), &if delta > 0 { Num::int(1) } else { neg(&Num::int(1)) });
                self.set(&name, new.clone());
                return Ok(new);
            }
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Num, Fault> {
        match self.peek() {
            Some('(') => {
                self.at += 1;
                let (value, _) = self.expr()?;
                if !self.eat(")") {
                    return Err(Fault::Syntax);
                }
                Ok(value)
            }
            Some(c) if c.is_ascii_digit() || c == '.' || c.is_ascii_uppercase() => Ok(self.number()),
            Some(c) if c.is_ascii_lowercase() => {
                let name = self.name().ok_or(Fault::Syntax)?;
                if self.eat("(") {
                    let (arg, _) = self.expr()?;
                    if !self.eat(")") {
                        return Err(Fault::Syntax);
                    }
                    return match name.as_str() {
                        "sqrt" => sqrt(&arg, self.bc.scale).ok_or(Fault::SquareRootOfNegative),
                        "length" => Ok(Num::int(trim(&arg.digits).len().max(1) as u64)),
                        "scale" => Ok(Num::int(arg.scale as u64)),
                        _ => Err(Fault::Syntax),
                    };
                }
                for (op, delta) in [("++", 1), ("--", -1)] {
                    if self.eat(op) {
                        let old = self.get(&name);
                        self.set(&name, add(&old, &if delta > 0 { Num::int(1) } else { neg(&Num::int(1)) }));
                        return Ok(old);
                    }
                }
                Ok(self.get(&name))
            }
            _ => Err(Fault::Syntax),
        }
    }

    fn number(&mut self) -> Num {
        let ibase = self.bc.ibase;
        let (mut int, mut frac) = (Vec::new(), Vec::new());
        let mut seen_point = false;
        while let Some(c) = self.chars.get(self.at).copied() {
            match c {
                '.' if !seen_point => seen_point = true,
                c if c.is_ascii_digit() || c.is_ascii_uppercase() => {
                    let d = c.to_digit(16).unwrap_or(15) as u8;
                    if seen_point {
                        frac.push(d);
                    } else {
                        int.push(d);
                    }
                }
                _ => break,
            }
            self.at += 1;
        }
        if ibase == 10 {
            let scale = frac.len();
            int.extend(frac);
            return Num::from_digits(int, scale, false);
        }
        let value = int.iter().fold(0u64, |acc, d| acc.saturating_mul(ibase).saturating_add(u64::from(*d)));
        Num::int(value)
    }
}

pub(super) fn bc(p: &mut Proc, args: &[String]) -> i32 {
    let mut bc = Bc { vars: HashMap::new(), scale: 0, ibase: 10, obase: 10, out: String::new() };
    let mut files = Vec::new();
    for a in args {
        match a.as_str() {
            "-l" | "--mathlib" => bc.scale = 20,
            "-q" | "--quiet" | "-s" | "-w" => {}
            _ => files.push(a.clone()),
        }
    }
    let mut text = String::new();
    for f in files.iter().map(String::as_str).chain(std::iter::once("-")) {
        if let Some(d) = read_input(p, f) {
            text.push_str(&String::from_utf8_lossy(&d));
            if !text.ends_with('\n') && !text.is_empty() {
                text.push('\n');
            }
        }
    }
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("");
        for statement in line.split(';') {
            let statement = statement.trim();
            if statement.is_empty() {
                continue;
            }
            if statement == "quit" {
                p.out(&std::mem::take(&mut bc.out));
                return 0;
            }
            if let Some(text) = statement.strip_prefix("print") {
                let shown = text.trim().trim_matches('"').replace("\\n", "\n").replace("\\t", "\t");
                bc.out.push_str(&shown);
                continue;
            }
            let mut parser = Parser { chars: statement.chars().collect(), at: 0, bc: &mut bc };
            let result = parser.expr().and_then(|r| if parser.peek().is_none() { Ok(r) } else { Err(Fault::Syntax) });
            // A statement cut short is found wanting on the next line.
            let at_end = parser.at >= parser.chars.len();
            match result {
                Ok((value, false)) => {
                    let shown = show(&value, bc.obase);
                    bc.out.push_str(&shown);
                    bc.out.push('\n');
                    bc.vars.insert("last".into(), value);
                }
                Ok((_, true)) => {}
                Err(fault) => {
                    p.out(&std::mem::take(&mut bc.out));
                    let said = match (p.gnu, fault) {
                        (true, Fault::Syntax) => format!("(standard_in) {}: syntax error", n + 1 + usize::from(at_end)),
                        (true, Fault::DivideByZero) => "Runtime error (func=(main), adr=3): Divide by zero".into(),
                        (true, Fault::SquareRootOfNegative) => {
                            "Runtime error (func=(main), adr=3): Square root of a negative number".into()
                        }
                        (false, Fault::Syntax) => "bc: bad expression at ''".into(),
                        (false, Fault::DivideByZero) => "bc: divide by zero".into(),
                        (false, Fault::SquareRootOfNegative) => "bc: negative number".into(),
                    };
                    p.io.err_line(&said);
                    // GNU bc goes on (status 0); busybox's stops.
                    if !p.gnu {
                        return 1;
                    }
                }
            }
        }
    }
    p.out(&bc.out);
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(text: &str, scale: usize) -> String {
        let mut bc = Bc { vars: HashMap::new(), scale, ibase: 10, obase: 10, out: String::new() };
        let mut parser = Parser { chars: text.chars().collect(), at: 0, bc: &mut bc };
        match parser.expr() {
            Ok((n, _)) => show(&n, 10),
            Err(_) => "error".into(),
        }
    }

    #[test]
    fn arithmetic_is_decimal_and_exact() {
        assert_eq!(eval("10/3", 2), "3.33");
        assert_eq!(eval("1/3", 3), ".333");
        assert_eq!(eval("2^100", 0), "1267650600228229401496703205376");
        assert_eq!(eval("-7 % 3", 0), "-1");
        assert_eq!(eval("7.5 * 2", 0), "15.0");
        assert_eq!(eval("0.5 + 0.25", 0), ".75");
        assert_eq!(eval("1 - 1.5", 0), "-.5");
        assert_eq!(eval("sqrt(2)", 4), "1.4142");
        assert_eq!(eval("sqrt(16)", 0), "4");
        assert_eq!(eval("3 > 2", 0), "1");
        assert_eq!(eval("1/0", 0), "error");
    }
}
