//! Running an awk program: records split into fields, variables and arrays, statements and
//! their control flow, the built-in functions.

use std::collections::HashMap;

use super::super::{Proc, Regex};
use super::parse::{Expr, Output, Stmt};
use super::value::{printf, Val};
use crate::fs::Data;
use crate::vfs::WriteMode;

pub(super) enum Flow {
    Normal,
    Next,
    Exit,
    Break,
    Continue,
}

pub(super) struct Awk<'p, 'a> {
    pub(super) p: &'p mut Proc<'a>,
    pub(super) vars: HashMap<String, Val>,
    pub(super) arrays: HashMap<String, Vec<(String, Val)>>,
    pub(super) fields: Vec<String>,
    pub(super) exit_code: i32,
    /// Steps taken, so that a runaway loop ends (the shell's step budget in spirit).
    pub(super) steps: u64,
    /// Files `print >` has opened (written on from then on, until `close`).
    pub(super) outputs: std::collections::HashSet<String>,
    /// Files `getline <` reads: their lines and how many were read.
    pub(super) readers: HashMap<String, (Vec<String>, usize)>,
}

pub(super) const STEP_LIMIT: u64 = 2_000_000;

/// Heads a run-time error that busybox reports as a system error (`awk: can't open …`), not
/// as a program error (`awk: cmd. line:1: …`).
pub(super) const PLAIN: &str = "\u{1}";

impl Awk<'_, '_> {
    pub(super) fn var(&self, name: &str) -> Val {
        match name {
            "NF" => Val::Num((self.fields.len().saturating_sub(1)) as f64),
            _ => self.vars.get(name).cloned().unwrap_or(Val::Str(String::new())),
        }
    }

    pub(super) fn set_record(&mut self, line: &str) {
        let fs = self.var("FS").text();
        let mut fields = vec![line.to_string()];
        fields.extend(split_fields(line, &fs));
        self.fields = fields;
    }

    pub(super) fn field(&self, i: usize) -> Val {
        Val::Input(self.fields.get(i).cloned().unwrap_or_default())
    }

    pub(super) fn set_field(&mut self, i: usize, v: String) {
        if i == 0 {
            self.set_record(&v);
            return;
        }
        if self.fields.len() <= i {
            self.fields.resize(i + 1, String::new());
        }
        self.fields[i] = v;
        let ofs = self.var("OFS").text();
        self.fields[0] = self.fields[1..].join(&ofs);
    }

    pub(super) fn set_nf(&mut self, n: usize) {
        self.fields.resize(n + 1, String::new());
        let ofs = self.var("OFS").text();
        self.fields[0] = self.fields[1..].join(&ofs);
    }

    pub(super) fn array_get(&mut self, name: &str, key: &str) -> Val {
        let arr = self.arrays.entry(name.to_string()).or_default();
        match arr.iter().find(|(k, _)| k == key) {
            Some((_, v)) => v.clone(),
            None => {
                arr.push((key.to_string(), Val::Str(String::new())));
                Val::Str(String::new())
            }
        }
    }

    pub(super) fn array_set(&mut self, name: &str, key: String, v: Val) {
        let arr = self.arrays.entry(name.to_string()).or_default();
        match arr.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = v,
            None => arr.push((key, v)),
        }
    }

    pub(super) fn assign(&mut self, target: &Expr, v: Val) -> Result<Val, String> {
        match target {
            Expr::Var(n) if n == "NF" => self.set_nf(v.num().max(0.0) as usize),
            Expr::Var(n) => {
                self.vars.insert(n.clone(), v.clone());
            }
            Expr::Field(i) => {
                let i = self.eval(i)?.num();
                if i < 0.0 {
                    return Err(format!("trying to access out of range field {}", i as i64));
                }
                self.set_field(i as usize, v.text());
            }
            Expr::Index(n, k) => {
                let key = self.eval(k)?.text();
                self.array_set(n, key, v.clone());
            }
            _ => {}
        }
        Ok(v)
    }

    pub(super) fn regex(&mut self, e: &Expr) -> Result<Regex, String> {
        let pattern = match e {
            Expr::Re(r) => r.clone(),
            other => self.eval(other)?.text(),
        };
        Regex::new(&pattern, false, false).ok_or_else(|| format!("regular expression compile failed (missing operand)\n{pattern}"))
    }

    pub(super) fn eval(&mut self, e: &Expr) -> Result<Val, String> {
        self.steps += 1;
        if self.steps > STEP_LIMIT {
            return Err("program too long".into());
        }
        Ok(match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Re(r) => {
                let re = Regex::new(r, false, false).ok_or_else(|| format!("regular expression compile failed\n{r}"))?;
                Val::Num(if re.is_match(&self.fields[0]) { 1.0 } else { 0.0 })
            }
            Expr::Var(n) => self.var(n),
            Expr::Field(i) => {
                let i = self.eval(i)?.num();
                if i < 0.0 {
                    return Err(format!("trying to access out of range field {}", i as i64));
                }
                self.field(i as usize)
            }
            Expr::Index(n, k) => {
                let key = self.eval(k)?.text();
                self.array_get(n, &key)
            }
            Expr::Assign(op, target, value) => {
                let v = self.eval(value)?;
                let v = if *op == "=" {
                    v
                } else {
                    let old = self.eval(target)?.num();
                    Val::Num(arith(op.trim_end_matches('='), old, v.num()))
                };
                self.assign(target, v)?
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(a, b) => Val::Num((self.eval(a)?.truthy() && self.eval(b)?.truthy()) as u8 as f64),
            Expr::Or(a, b) => Val::Num((self.eval(a)?.truthy() || self.eval(b)?.truthy()) as u8 as f64),
            Expr::Not(a) => Val::Num(!self.eval(a)?.truthy() as u8 as f64),
            Expr::Neg(a) => Val::Num(-self.eval(a)?.num()),
            Expr::Bin(op, a, b) => {
                let (x, y) = (self.eval(a)?.num(), self.eval(b)?.num());
                if matches!(*op, "/" | "%") && y == 0.0 {
                    return Err(if *op == "/" { "division by zero".into() } else { "division by zero in %".into() });
                }
                Val::Num(arith(op, x, y))
            }
            Expr::Cmp(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                let ord = if x.numeric() && y.numeric() {
                    x.num().partial_cmp(&y.num()).unwrap_or(std::cmp::Ordering::Equal)
                } else {
                    x.text().cmp(&y.text())
                };
                use std::cmp::Ordering::*;
                let yes = match *op {
                    "<" => ord == Less,
                    "<=" => ord != Greater,
                    ">" => ord == Greater,
                    ">=" => ord != Less,
                    "==" => ord == Equal,
                    _ => ord != Equal,
                };
                Val::Num(yes as u8 as f64)
            }
            Expr::Match(negate, a, re) => {
                let s = self.eval(a)?.text();
                let re = self.regex(re)?;
                Val::Num((re.is_match(&s) != *negate) as u8 as f64)
            }
            Expr::Concat(a, b) => Val::Str(self.eval(a)?.text() + &self.eval(b)?.text()),
            Expr::Step(delta, prefix, target) => {
                let old = self.eval(target)?.num();
                self.assign(target, Val::Num(old + delta))?;
                Val::Num(if *prefix { old + delta } else { old })
            }
            Expr::In(key, arr) => {
                let key = self.eval(key)?.text();
                Val::Num(self.arrays.get(arr).is_some_and(|a| a.iter().any(|(k, _)| *k == key)) as u8 as f64)
            }
            Expr::Call(name, args) => self.call(name, args)?,
            Expr::Getline(into, file) => self.getline(into.as_deref(), file)?,
        })
    }

    /// Writes what `print` made where it goes: standard output, or a file (truncated when
    /// first opened, then written on until `close`).
    fn emit(&mut self, text: &str, output: Option<&Output>) -> Result<(), String> {
        let Some(output) = output else {
            self.p.out(text);
            return Ok(());
        };
        let name = self.eval(&output.target)?.text();
        match name.as_str() {
            "/dev/stdout" | "-" => self.p.out(text),
            "/dev/stderr" => self.p.io.err_str(text),
            _ => {
                let mode = if output.append || self.outputs.contains(&name) { WriteMode::Append } else { WriteMode::Truncate };
                let (ctx, gnu) = (self.p.ctx.clone(), self.p.gnu);
                self.p.world.write_file(&ctx, &name, &Data::from_bytes(text.as_bytes()), mode).map_err(|e| match gnu {
                    true => format!("cannot open \"{name}\" for output ({e})"),
                    false => format!("{PLAIN}can't open '{name}': {e}"),
                })?;
                self.outputs.insert(name);
            }
        }
        Ok(())
    }

    /// `getline [into] < file`.
    fn getline(&mut self, into: Option<&Expr>, file: &Expr) -> Result<Val, String> {
        let name = self.eval(file)?.text();
        if !self.readers.contains_key(&name) {
            let read = if name == "-" || name == "/dev/stdin" {
                Ok(std::mem::take(&mut self.p.io.stdin))
            } else {
                self.p.world.read(&self.p.ctx, &name).map(|d| d.to_vec())
            };
            let Ok(bytes) = read else { return Ok(Val::Num(-1.0)) };
            let lines = String::from_utf8_lossy(&bytes).lines().map(String::from).collect();
            self.readers.insert(name.clone(), (lines, 0));
        }
        let line = match self.readers.get_mut(&name) {
            Some((lines, read)) if *read < lines.len() => {
                *read += 1;
                lines[*read - 1].clone()
            }
            _ => return Ok(Val::Num(0.0)),
        };
        match into {
            Some(target) => {
                self.assign(target, Val::Input(line))?;
            }
            None => self.set_record(&line),
        }
        Ok(Val::Num(1.0))
    }

    pub(super) fn call(&mut self, name: &str, args: &[Expr]) -> Result<Val, String> {
        let text = |this: &mut Self, i: usize| -> Result<String, String> {
            match args.get(i) {
                Some(e) => Ok(this.eval(e)?.text()),
                None => Ok(String::new()),
            }
        };
        Ok(match name {
            "length" => Val::Num(match args.first() {
                None => self.fields[0].chars().count(),
                Some(Expr::Var(n)) if self.arrays.contains_key(n) => self.arrays[n].len(),
                Some(_) => text(self, 0)?.chars().count(),
            } as f64),
            "substr" => {
                let s: Vec<char> = text(self, 0)?.chars().collect();
                let m = match args.get(1) {
                    Some(e) => self.eval(e)?.num().round(),
                    None => 1.0,
                };
                let n = match args.get(2) {
                    Some(e) => self.eval(e)?.num().round(),
                    None => f64::INFINITY,
                };
                let start = m.max(1.0);
                let end = (m + n).min(s.len() as f64 + 1.0);
                if end <= start {
                    Val::Str(String::new())
                } else {
                    Val::Str(s[(start as usize - 1)..(end as usize - 1)].iter().collect())
                }
            }
            "index" => {
                let (s, t) = (text(self, 0)?, text(self, 1)?);
                Val::Num(s.find(&t).and_then(|b| s.get(..b)).map_or(0, |before| before.chars().count() + 1) as f64)
            }
            "split" => {
                let s = text(self, 0)?;
                let Some(Expr::Var(arr)) = args.get(1) else { return Err("split: second argument is not an array".into()) };
                let fs = match args.get(2) {
                    Some(e) => self.eval(e)?.text(),
                    None => self.var("FS").text(),
                };
                let parts = split_fields(&s, &fs);
                self.arrays
                    .insert(arr.clone(), parts.iter().enumerate().map(|(i, p)| ((i + 1).to_string(), Val::Input(p.clone()))).collect());
                Val::Num(parts.len() as f64)
            }
            "sub" | "gsub" => {
                let re = match args.first() {
                    Some(e) => self.regex(e)?,
                    None => return Err(format!("{name}: not enough arguments")),
                };
                let repl = text(self, 1)?;
                let target = args.get(2).cloned().unwrap_or(Expr::Field(Box::new(Expr::Num(0.0))));
                let s = self.eval(&target)?.text();
                let (out, n) = substitute(&re, &s, &repl, name == "gsub");
                if n > 0 {
                    self.assign(&target, Val::Str(out))?;
                }
                Val::Num(n as f64)
            }
            "match" => {
                let s = text(self, 0)?;
                let re = match args.get(1) {
                    Some(e) => self.regex(e)?,
                    None => return Err("match: not enough arguments".into()),
                };
                let (start, len) = re.find(&s).map_or((0, -1), |(a, b)| (a + 1, (b - a) as i64));
                self.vars.insert("RSTART".into(), Val::Num(start as f64));
                self.vars.insert("RLENGTH".into(), Val::Num(len as f64));
                Val::Num(start as f64)
            }
            "sprintf" => {
                let vals = args.iter().map(|a| self.eval(a)).collect::<Result<Vec<_>, _>>()?;
                Val::Str(printf(&vals))
            }
            "close" => {
                let name = text(self, 0)?;
                let was_open = self.outputs.remove(&name) | self.readers.remove(&name).is_some();
                Val::Num(if was_open { 0.0 } else { -1.0 })
            }
            "tolower" => Val::Str(text(self, 0)?.to_lowercase()),
            "toupper" => Val::Str(text(self, 0)?.to_uppercase()),
            _ => Val::Num(match args.first() {
                Some(e) => self.eval(e)?.num().trunc(),
                None => 0.0,
            }),
        })
    }

    pub(super) fn exec(&mut self, stmts: &[Stmt]) -> Result<Flow, String> {
        for s in stmts {
            let flow = self.exec_one(s)?;
            if !matches!(flow, Flow::Normal) {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    pub(super) fn exec_one(&mut self, s: &Stmt) -> Result<Flow, String> {
        match s {
            Stmt::Print(args, output) => {
                let line = if args.is_empty() {
                    self.fields[0].clone()
                } else {
                    let vals = args.iter().map(|a| self.eval(a)).collect::<Result<Vec<_>, _>>()?;
                    let ofs = self.var("OFS").text();
                    vals.iter().map(Val::text).collect::<Vec<_>>().join(&ofs)
                };
                let ors = self.var("ORS").text();
                self.emit(&format!("{line}{ors}"), output.as_ref())?;
            }
            Stmt::Printf(args, output) => {
                let vals = args.iter().map(|a| self.eval(a)).collect::<Result<Vec<_>, _>>()?;
                let text = printf(&vals);
                self.emit(&text, output.as_ref())?;
            }
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::If(c, then, otherwise) => {
                if self.eval(c)?.truthy() {
                    return self.exec_one(then);
                } else if let Some(o) = otherwise {
                    return self.exec_one(o);
                }
            }
            Stmt::While(c, body) => {
                while self.eval(c)?.truthy() {
                    match self.exec_one(body)? {
                        Flow::Break => break,
                        leaving @ (Flow::Next | Flow::Exit) => return Ok(leaving),
                        Flow::Normal | Flow::Continue => {}
                    }
                }
            }
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.eval(i)?;
                }
                while match cond {
                    Some(c) => self.eval(c)?.truthy(),
                    None => true,
                } {
                    match self.exec_one(body)? {
                        Flow::Break => break,
                        leaving @ (Flow::Next | Flow::Exit) => return Ok(leaving),
                        Flow::Normal | Flow::Continue => {}
                    }
                    if let Some(st) = step {
                        self.eval(st)?;
                    }
                }
            }
            Stmt::ForIn(var, arr, body) => {
                let keys: Vec<String> = self.arrays.get(arr).map(|a| a.iter().map(|(k, _)| k.clone()).collect()).unwrap_or_default();
                for k in keys {
                    self.vars.insert(var.clone(), Val::Input(k));
                    match self.exec_one(body)? {
                        Flow::Break => break,
                        leaving @ (Flow::Next | Flow::Exit) => return Ok(leaving),
                        Flow::Normal | Flow::Continue => {}
                    }
                }
            }
            Stmt::Block(b) => return self.exec(b),
            Stmt::Delete(arr, key) => match key {
                Some(k) => {
                    let k = self.eval(k)?.text();
                    if let Some(a) = self.arrays.get_mut(arr) {
                        a.retain(|(x, _)| *x != k);
                    }
                }
                None => {
                    self.arrays.remove(arr);
                }
            },
            Stmt::Next => return Ok(Flow::Next),
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Exit(code) => {
                if let Some(c) = code {
                    self.exit_code = self.eval(c)?.num() as i32;
                }
                return Ok(Flow::Exit);
            }
        }
        Ok(Flow::Normal)
    }
}

pub(super) fn arith(op: &str, x: f64, y: f64) -> f64 {
    match op {
        "+" => x + y,
        "-" => x - y,
        "*" => x * y,
        "/" => x / y,
        "%" => x % y,
        _ => x.powf(y),
    }
}

/// Splits a record: a single space splits on runs of blanks (leading ones ignored), one other
/// character on itself, anything longer is a regular expression.
pub(super) fn split_fields(line: &str, fs: &str) -> Vec<String> {
    if line.is_empty() {
        return Vec::new();
    }
    if fs == " " {
        return line.split([' ', '\t', '\n']).filter(|f| !f.is_empty()).map(str::to_string).collect();
    }
    let mut chars = fs.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return line.split(c).map(str::to_string).collect();
    }
    let Some(re) = Regex::new(fs, false, false) else { return vec![line.to_string()] };
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut from = 0;
    while from <= chars.len() {
        let rest: String = chars[from..].iter().collect();
        match re.find(&rest) {
            Some((a, b)) if b > a => {
                out.push(chars[start..from + a].iter().collect());
                start = from + b;
                from = start;
            }
            _ => break,
        }
    }
    out.push(chars[start..].iter().collect());
    out
}

/// `sub`/`gsub`: `&` in the replacement is the match, `\&` a literal `&`.
pub(super) fn substitute(re: &Regex, s: &str, repl: &str, global: bool) -> (String, usize) {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    let mut n = 0;
    while at <= chars.len() {
        let rest: String = chars[at..].iter().collect();
        let Some((a, b)) = re.find(&rest) else { break };
        let matched: String = chars[at + a..at + b].iter().collect();
        out.extend(&chars[at..at + a]);
        let mut r = repl.chars().peekable();
        while let Some(c) = r.next() {
            match c {
                '\\' if r.peek() == Some(&'&') => {
                    out.push('&');
                    r.next();
                }
                '&' => out.push_str(&matched),
                _ => out.push(c),
            }
        }
        n += 1;
        if b == a {
            if let Some(c) = chars.get(at + a) {
                out.push(*c);
            }
            at += a + 1;
        } else {
            at += b;
        }
        if !global {
            break;
        }
    }
    if at <= chars.len() {
        out.extend(&chars[at.min(chars.len())..]);
    }
    (out, n)
}
