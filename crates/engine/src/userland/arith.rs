//! Shell arithmetic (`$(( ))`, `(( ))`, `let`, `for (( ))`): 64-bit integers with C's
//! operators and bash's precedence — assignment (`=`, `+=` …), `?:`, `|| &&`, bitwise,
//! comparisons, shifts, `+ - * / %`, `**`, unary and `++`/`--` — numbers in decimal, `0x` hex,
//! `0` octal and `BASE#digits`, and variables (unset or not a number: 0).

/// Where arithmetic reads and writes variables.
pub trait Vars {
    fn get(&self, name: &str) -> Option<i64>;
    fn set(&mut self, name: &str, value: i64);
}

/// Evaluates `src`, its assignments written through `vars`.
pub fn eval_mut(src: &str, vars: &mut dyn Vars) -> Option<i64> {
    let tokens = tokenize(src)?;
    // Deeply nested parentheses would exhaust the stack: refuse them.
    if tokens.iter().filter(|t| matches!(t, T::Op(o) if o == "(")).count() > 64 {
        return None;
    }
    if tokens.is_empty() {
        return Some(0);
    }
    let mut p = P { t: tokens, i: 0, vars };
    let v = p.comma(true)?;
    if p.i != p.t.len() {
        return None;
    }
    Some(v)
}

#[derive(Clone, Debug, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(String),
}

const OPS: [&str; 32] = [
    "<<=", ">>=", "**", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "==", "!=", "<=", ">=", "&&", "||", "<<", ">>", "+",
    "-", "*", "/", "%", "(", ")", "<", ">", "!", "~",
];

/// A number as bash reads it: `0x1f`, `017`, `2#101`, `42`.
fn number(text: &str) -> Option<i64> {
    if let Some((base, digits)) = text.split_once('#') {
        let base: u32 = base.parse().ok().filter(|b| (2..=36).contains(b))?;
        return i64::from_str_radix(digits, base).ok();
    }
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(octal) = text.strip_prefix('0').filter(|o| !o.is_empty()) {
        return i64::from_str_radix(octal, 8).ok();
    }
    text.parse().ok()
}

fn tokenize(s: &str) -> Option<Vec<T>> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch.is_ascii_digit() {
            let st = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '#') {
                i += 1;
            }
            out.push(T::Num(number(&c[st..i].iter().collect::<String>())?));
        } else if ch.is_ascii_alphabetic() || ch == '_' || ch == '$' {
            let st = if ch == '$' { i + 1 } else { i };
            i += 1;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            // An array element (`a[i]`): the subscript goes with the name.
            if c.get(i) == Some(&'[') {
                if let Some(close) = c[i..].iter().position(|x| *x == ']') {
                    i += close + 1;
                }
            }
            out.push(T::Name(c[st..i].iter().collect()));
        } else {
            let rest: String = c[i..(i + 3).min(c.len())].iter().collect();
            let op = OPS.iter().chain(["=", "&", "|", "^", "?", ":", ","].iter()).find(|o| rest.starts_with(**o))?;
            out.push(T::Op(op.to_string()));
            i += op.chars().count();
        }
    }
    Some(out)
}

struct P<'a> {
    t: Vec<T>,
    i: usize,
    vars: &'a mut dyn Vars,
}

/// Binary operators by precedence level, lowest first (after `?:`).
const LEVELS: [&[&str]; 9] = [&["||"], &["&&"], &["|"], &["^"], &["&"], &["==", "!="], &["<", ">", "<=", ">="], &["<<", ">>"], &["+", "-"]];

fn apply(op: &str, a: i64, b: i64) -> Option<i64> {
    Some(match op {
        "||" => (a != 0 || b != 0) as i64,
        "&&" => (a != 0 && b != 0) as i64,
        "|" => a | b,
        "^" => a ^ b,
        "&" => a & b,
        "==" => (a == b) as i64,
        "!=" => (a != b) as i64,
        "<" => (a < b) as i64,
        ">" => (a > b) as i64,
        "<=" => (a <= b) as i64,
        ">=" => (a >= b) as i64,
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" if b == 0 => return None,
        "/" => a.wrapping_div(b),
        "%" if b == 0 => return None,
        "%" => a.wrapping_rem(b),
        "**" if b < 0 => return None,
        "**" => a.wrapping_pow(b.min(u32::MAX as i64) as u32),
        _ => return None,
    })
}

impl P<'_> {
    fn op(&self) -> Option<&str> {
        match self.t.get(self.i) {
            Some(T::Op(o)) => Some(o),
            _ => None,
        }
    }
    fn eat(&mut self, o: &str) -> bool {
        if self.op() == Some(o) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn get(&self, name: &str) -> i64 {
        self.vars.get(name).unwrap_or(0)
    }
    /// `live`: false in a branch that is skipped (`0 && x++`): no assignment happens.
    fn comma(&mut self, live: bool) -> Option<i64> {
        let mut v = self.assign(live)?;
        while self.eat(",") {
            v = self.assign(live)?;
        }
        Some(v)
    }
    fn assign(&mut self, live: bool) -> Option<i64> {
        if let (Some(T::Name(name)), Some(T::Op(o))) = (self.t.get(self.i).cloned(), self.t.get(self.i + 1).cloned()) {
            if matches!(o.as_str(), "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "<<=" | ">>=" | "&=" | "^=" | "|=") {
                self.i += 2;
                let r = self.assign(live)?;
                let v = if o == "=" { r } else { apply(o.trim_end_matches('='), self.get(&name), r)? };
                if live {
                    self.vars.set(&name, v);
                }
                return Some(v);
            }
        }
        self.ternary(live)
    }
    fn ternary(&mut self, live: bool) -> Option<i64> {
        let c = self.binary(0, live)?;
        if !self.eat("?") {
            return Some(c);
        }
        let a = self.comma(live && c != 0)?;
        if !self.eat(":") {
            return None;
        }
        let b = self.assign(live && c == 0)?;
        Some(if c != 0 { a } else { b })
    }
    fn binary(&mut self, level: usize, live: bool) -> Option<i64> {
        let Some(ops) = LEVELS.get(level) else { return self.mul(live) };
        let mut v = self.binary(level + 1, live)?;
        while let Some(o) = self.op().filter(|o| ops.contains(o)).map(str::to_string) {
            self.i += 1;
            // `||` and `&&` do not evaluate (or assign in) what they do not need.
            let needed = match o.as_str() {
                "||" => v == 0,
                "&&" => v != 0,
                _ => true,
            };
            let r = self.binary(level + 1, live && needed)?;
            v = apply(&o, v, r)?;
        }
        Some(v)
    }
    fn mul(&mut self, live: bool) -> Option<i64> {
        let mut v = self.power(live)?;
        while let Some(o) = self.op().filter(|o| ["*", "/", "%"].contains(o)).map(str::to_string) {
            self.i += 1;
            let r = self.power(live)?;
            v = apply(&o, v, r)?;
        }
        Some(v)
    }
    fn power(&mut self, live: bool) -> Option<i64> {
        let base = self.unary(live)?;
        if self.eat("**") {
            let exp = self.power(live)?;
            return apply("**", base, exp);
        }
        Some(base)
    }
    fn unary(&mut self, live: bool) -> Option<i64> {
        match self.t.get(self.i).cloned() {
            Some(T::Op(o)) if o == "++" || o == "--" => {
                self.i += 1;
                let Some(T::Name(name)) = self.t.get(self.i).cloned() else { return None };
                self.i += 1;
                let v = self.get(&name) + if o == "++" { 1 } else { -1 };
                if live {
                    self.vars.set(&name, v);
                }
                Some(v)
            }
            Some(T::Op(o)) if o == "-" => {
                self.i += 1;
                Some(self.unary(live)?.wrapping_neg())
            }
            Some(T::Op(o)) if o == "+" => {
                self.i += 1;
                self.unary(live)
            }
            Some(T::Op(o)) if o == "!" => {
                self.i += 1;
                Some((self.unary(live)? == 0) as i64)
            }
            Some(T::Op(o)) if o == "~" => {
                self.i += 1;
                Some(!self.unary(live)?)
            }
            Some(T::Op(o)) if o == "(" => {
                self.i += 1;
                let v = self.comma(live)?;
                if !self.eat(")") {
                    return None;
                }
                Some(v)
            }
            Some(T::Num(n)) => {
                self.i += 1;
                Some(n)
            }
            Some(T::Name(name)) => {
                self.i += 1;
                let v = self.get(&name);
                // Postfix: the value before.
                if let Some(o) = self.op().filter(|o| *o == "++" || *o == "--").map(str::to_string) {
                    self.i += 1;
                    if live {
                        self.vars.set(&name, v + if o == "++" { 1 } else { -1 });
                    }
                }
                Some(v)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{eval_mut, Vars};
    use std::collections::BTreeMap;

    fn eval(src: &str, var: &dyn Fn(&str) -> Option<i64>) -> Option<i64> {
        let mut vars = BTreeMap::new();
        if let Some(x) = var("x") {
            vars.insert("x".to_string(), x);
        }
        eval_mut(src, &mut vars)
    }

    impl Vars for BTreeMap<String, i64> {
        fn get(&self, name: &str) -> Option<i64> {
            BTreeMap::get(self, name).copied()
        }
        fn set(&mut self, name: &str, value: i64) {
            self.insert(name.to_string(), value);
        }
    }

    #[test]
    fn arithmetic() {
        assert_eq!(eval("1 + 2 * 3", &|_| None), Some(7));
        assert_eq!(eval("(x + 1) % 4", &|n| (n == "x").then_some(6)), Some(3));
        assert_eq!(eval("1 / 0", &|_| None), None);
        assert_eq!(eval("2 ** 10 - 1", &|_| None), Some(1023));
        assert_eq!(eval("2 ** 3 ** 2", &|_| None), Some(512));
        assert_eq!(eval("1 < 2 && 3 > 4 || 5", &|_| None), Some(1));
        assert_eq!(eval("0x10 + 010 + 2#11", &|_| None), Some(27));
        assert_eq!(eval("1 ? 7 : 8", &|_| None), Some(7));
        assert_eq!(eval("6 & 3 | 8 ^ 1 << 2", &|_| None), Some(6 & 3 | 8 ^ (1 << 2)));
    }

    #[test]
    fn assignments_and_increments() {
        let mut v = BTreeMap::new();
        assert_eq!(eval_mut("i = 5, i += 2", &mut v), Some(7));
        assert_eq!(eval_mut("i++", &mut v), Some(7));
        assert_eq!(v["i"], 8);
        assert_eq!(eval_mut("--i", &mut v), Some(7));
        assert_eq!(eval_mut("0 && (i = 100)", &mut v), Some(0));
        assert_eq!(v["i"], 7);
    }
}
