//! `$(( ))` arithmetic: integers, + - * / %, comparisons, parentheses, variables.

pub fn eval(src: &str, var: &dyn Fn(&str) -> Option<i64>) -> Option<i64> {
    let tokens = tokenize(src)?;
    // Deeply nested parentheses would exhaust the stack: refuse them.
    if tokens.iter().filter(|t| matches!(t, T::Op(o) if o == "(")).count() > 64 {
        return None;
    }
    let mut p = P { t: tokens, i: 0, var };
    let v = p.cmp()?;
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
            while i < c.len() && c[i].is_ascii_digit() {
                i += 1;
            }
            out.push(T::Num(c[st..i].iter().collect::<String>().parse().ok()?));
        } else if ch.is_ascii_alphabetic() || ch == '_' || ch == '$' {
            let st = if ch == '$' { i + 1 } else { i };
            i += 1;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(T::Name(c[st..i].iter().collect()));
        } else {
            let two: String = c[i..(i + 2).min(c.len())].iter().collect();
            if ["==", "!=", "<=", ">=", "&&", "||"].contains(&two.as_str()) {
                out.push(T::Op(two));
                i += 2;
            } else if "+-*/%()<>!".contains(ch) {
                out.push(T::Op(ch.to_string()));
                i += 1;
            } else {
                return None;
            }
        }
    }
    Some(out)
}

struct P<'a> {
    t: Vec<T>,
    i: usize,
    var: &'a dyn Fn(&str) -> Option<i64>,
}

impl P<'_> {
    fn op(&self) -> Option<&str> {
        match self.t.get(self.i) {
            Some(T::Op(o)) => Some(o),
            _ => None,
        }
    }
    fn cmp(&mut self) -> Option<i64> {
        let mut v = self.add()?;
        while let Some(o) = self.op().map(str::to_string) {
            let f: fn(i64, i64) -> bool = match o.as_str() {
                "==" => |a, b| a == b,
                "!=" => |a, b| a != b,
                "<" => |a, b| a < b,
                ">" => |a, b| a > b,
                "<=" => |a, b| a <= b,
                ">=" => |a, b| a >= b,
                _ => break,
            };
            self.i += 1;
            let r = self.add()?;
            v = f(v, r) as i64;
        }
        Some(v)
    }
    fn add(&mut self) -> Option<i64> {
        let mut v = self.mul()?;
        while let Some(o) = self.op().map(str::to_string) {
            match o.as_str() {
                "+" => {
                    self.i += 1;
                    v = v.wrapping_add(self.mul()?);
                }
                "-" => {
                    self.i += 1;
                    v = v.wrapping_sub(self.mul()?);
                }
                _ => break,
            }
        }
        Some(v)
    }
    fn mul(&mut self) -> Option<i64> {
        let mut v = self.unary()?;
        while let Some(o) = self.op().map(str::to_string) {
            match o.as_str() {
                "*" => {
                    self.i += 1;
                    v = v.wrapping_mul(self.unary()?);
                }
                "/" | "%" => {
                    self.i += 1;
                    let r = self.unary()?;
                    if r == 0 {
                        return None;
                    }
                    v = if o == "/" { v.wrapping_div(r) } else { v.wrapping_rem(r) };
                }
                _ => break,
            }
        }
        Some(v)
    }
    fn unary(&mut self) -> Option<i64> {
        match self.t.get(self.i).cloned() {
            Some(T::Op(o)) if o == "-" => {
                self.i += 1;
                Some(self.unary()?.wrapping_neg())
            }
            Some(T::Op(o)) if o == "+" => {
                self.i += 1;
                self.unary()
            }
            Some(T::Op(o)) if o == "!" => {
                self.i += 1;
                Some((self.unary()? == 0) as i64)
            }
            Some(T::Op(o)) if o == "(" => {
                self.i += 1;
                let v = self.cmp()?;
                if self.op() != Some(")") {
                    return None;
                }
                self.i += 1;
                Some(v)
            }
            Some(T::Num(n)) => {
                self.i += 1;
                Some(n)
            }
            Some(T::Name(n)) => {
                self.i += 1;
                Some((self.var)(&n).unwrap_or(0))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn arithmetic() {
        assert_eq!(super::eval("1 + 2 * 3", &|_| None), Some(7));
        assert_eq!(super::eval("(x + 1) % 4", &|n| (n == "x").then_some(6)), Some(3));
        assert_eq!(super::eval("1 / 0", &|_| None), None);
    }
}
