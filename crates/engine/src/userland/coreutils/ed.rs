//! GNU `ed`, the line editor scripts feed through a pipe or a here-document (`printf '2d\nw\n'
//! | ed -s FILE`): addresses (`N . $ , ; /re/ ?re? +N -N`), the commands that edit (`a i c d
//! s m t j g v r u`), print (`p n l =`) and end (`w wq q Q`), `H` and `P`. An error prints `?`
//! (with `H`, why) and the editor goes on; the exit status says one happened (oracle-91).

use super::regex::Regex;
use super::sed::substitute;
use super::Proc;
use crate::fs::Data;
use crate::vfs::WriteMode;

/// Why a command failed, as `H` prints it.
type Failure = &'static str;

struct Ed {
    lines: Vec<String>,
    /// The current line, 1-based (0: before the first, in an empty buffer).
    current: usize,
    file: Option<String>,
    modified: bool,
    /// A `q` refused because of unsaved changes: the next one quits.
    warned: bool,
    silent: bool,
    /// `red`: no file outside the working directory, no shell command.
    restricted: bool,
    verbose: bool,
    prompt: bool,
    failed: bool,
    last_re: Option<Regex>,
    undo: Option<(Vec<String>, usize)>,
    /// Lines deleted, changed or yanked last, for `x`.
    cut: Vec<String>,
}

/// What the command loop does next.
enum Next {
    Go,
    Quit,
}

pub(super) fn ed(p: &mut Proc, args: &[String]) -> i32 {
    let silent = args.iter().any(|a| a == "-s" || a == "--quiet" || a == "--silent");
    let file = args.iter().find(|a| !a.starts_with('-')).cloned();
    let mut ed = Ed {
        lines: Vec::new(),
        current: 0,
        file: file.clone(),
        modified: false,
        warned: false,
        silent,
        restricted: p.name == "red",
        verbose: false,
        prompt: false,
        failed: false,
        last_re: None,
        undo: None,
        cut: Vec::new(),
    };
    if file.as_ref().is_some_and(|f| ed.restricted && f.contains('/')) {
        // `red` will not open a file outside the working directory.
        ed.failed = true;
        ed.file = None;
        p.out("?\n");
    } else if let Some(f) = &file {
        match p.world.read(&p.ctx, f) {
            Ok(d) => {
                let text = String::from_utf8_lossy(&d.to_vec()).into_owned();
                ed.lines = text.lines().map(str::to_string).collect();
                ed.current = ed.lines.len();
                if !silent {
                    p.out(&format!("{}\n", d.len()));
                }
            }
            Err(e) => p.io.err_line(&format!("{f}: {e}")),
        }
    }
    let input = String::from_utf8_lossy(&std::mem::take(&mut p.io.stdin)).into_owned();
    let mut script = input.lines();
    loop {
        if ed.prompt {
            p.out("*");
        }
        let Some(line) = script.next() else { break };
        match ed.command(p, line, &mut script) {
            Ok(Next::Go) => {}
            Ok(Next::Quit) => break,
            Err(why) => {
                ed.failed = true;
                p.out("?\n");
                if ed.verbose {
                    p.out(&format!("{why}\n"));
                }
            }
        }
    }
    i32::from(ed.failed)
}

/// Reads one address at `at` (`None`: there is none here).
fn address(ed: &mut Ed, chars: &[char], at: &mut usize) -> Result<Option<usize>, Failure> {
    let mut value: Option<i64> = None;
    loop {
        let c = chars.get(*at).copied();
        match c {
            Some('.') if value.is_none() => {
                value = Some(ed.current as i64);
                *at += 1;
            }
            Some('$') if value.is_none() => {
                value = Some(ed.lines.len() as i64);
                *at += 1;
            }
            Some(d) if d.is_ascii_digit() => {
                let n = number(chars, at);
                value = Some(match value {
                    Some(v) => v + n,
                    None => n,
                });
            }
            Some(delim @ ('/' | '?')) if value.is_none() => {
                *at += 1;
                let mut source = String::new();
                while let Some(&c) = chars.get(*at) {
                    *at += 1;
                    if c == delim {
                        break;
                    }
                    if c == '\\' && chars.get(*at) == Some(&delim) {
                        source.push(delim);
                        *at += 1;
                        continue;
                    }
                    source.push(c);
                }
                let re = ed.pattern(&source)?;
                value = Some(ed.search(&re, delim == '/')? as i64);
            }
            Some(sign @ ('+' | '-')) => {
                *at += 1;
                let n = if chars.get(*at).is_some_and(char::is_ascii_digit) { number(chars, at) } else { 1 };
                let base = value.unwrap_or(ed.current as i64);
                value = Some(if sign == '+' { base + n } else { base - n });
            }
            _ => break,
        }
    }
    match value {
        Some(v) if v < 0 || v > ed.lines.len() as i64 => Err("Invalid address"),
        Some(v) => Ok(Some(v as usize)),
        None => Ok(None),
    }
}

fn number(chars: &[char], at: &mut usize) -> i64 {
    let mut n: i64 = 0;
    while let Some(d) = chars.get(*at).and_then(|c| c.to_digit(10)) {
        n = n.saturating_mul(10).saturating_add(i64::from(d));
        *at += 1;
    }
    n
}

impl Ed {
    /// A file name the command may use: in `red`, only one in the working directory.
    fn allowed(&self, name: &str) -> Result<(), Failure> {
        if self.restricted && name.contains('/') {
            return Err("Directory access restricted");
        }
        Ok(())
    }

    fn pattern(&mut self, source: &str) -> Result<Regex, Failure> {
        if source.is_empty() {
            return self.last_re.clone().ok_or("No previous pattern");
        }
        let re = Regex::basic(source, false).ok_or("Invalid regular expression")?;
        self.last_re = Some(re.clone());
        Ok(re)
    }

    /// The next line matching (or the one before, backwards), going round the buffer.
    fn search(&self, re: &Regex, forward: bool) -> Result<usize, Failure> {
        let n = self.lines.len();
        for step in 1..=n {
            let k = if forward { (self.current + step - 1) % n + 1 } else { (self.current + n - step % n - 1) % n + 1 };
            if self.lines.get(k - 1).is_some_and(|l| re.is_match(l)) {
                return Ok(k);
            }
        }
        Err("No match")
    }

    fn keep_undo(&mut self) {
        self.undo = Some((self.lines.clone(), self.current));
        self.modified = true;
    }

    /// Lines typed after `a`, `i` or `c`, up to a lone `.`.
    fn text<'a>(script: &mut impl Iterator<Item = &'a str>) -> Vec<String> {
        script.take_while(|l| *l != ".").map(str::to_string).collect()
    }

    fn command<'a>(&mut self, p: &mut Proc, line: &str, script: &mut impl Iterator<Item = &'a str>) -> Result<Next, Failure> {
        let chars: Vec<char> = line.chars().collect();
        let mut at = 0;
        // The addresses: none, one, or two (`,` alone is the whole buffer, `;` the rest).
        let (first, second) = match chars.first() {
            Some(',') if !chars.get(1).is_some_and(|c| c.is_ascii_digit() || "$./?'+-".contains(*c)) => {
                at = 1;
                (Some(1.min(self.lines.len())), Some(self.lines.len()))
            }
            Some(';') => {
                at = 1;
                (Some(self.current), Some(self.lines.len()))
            }
            _ => {
                let a = address(self, &chars, &mut at)?;
                if matches!(chars.get(at), Some(',' | ';')) {
                    if chars.get(at) == Some(&';') {
                        self.current = a.unwrap_or(self.current);
                    }
                    at += 1;
                    let b = address(self, &chars, &mut at)?;
                    (a.or(Some(1)), b.or(Some(self.lines.len())))
                } else {
                    (a, a)
                }
            }
        };
        let command = chars.get(at).copied();
        let suffix: String = chars.get(at + 1..).unwrap_or_default().iter().collect();
        let range = |ed: &Ed, default: usize| -> Result<(usize, usize), Failure> {
            let (a, b) = (first.unwrap_or(default), second.unwrap_or(default));
            if a == 0 || b == 0 || a > b || b > ed.lines.len() {
                return Err("Invalid address");
            }
            Ok((a, b))
        };
        let no_suffix = |s: &str| if s.trim().is_empty() { Ok(()) } else { Err("Unexpected command suffix") };
        let current = self.current;
        match command {
            None => {
                // An address alone goes to that line and prints it; nothing at all, the next.
                let target = match second {
                    Some(n) => n,
                    None => current + 1,
                };
                if target == 0 || target > self.lines.len() {
                    return Err("Invalid address");
                }
                self.current = target;
                p.out(&format!("{}\n", self.lines[target - 1]));
            }
            Some('p' | 'n' | 'l') => {
                no_suffix(&suffix)?;
                let (a, b) = range(self, current)?;
                for k in a..=b {
                    let text = &self.lines[k - 1];
                    match command {
                        Some('n') => p.out(&format!("{k}\t{text}\n")),
                        Some('l') => p.out(&format!("{text}$\n")),
                        _ => p.out(&format!("{text}\n")),
                    }
                }
                self.current = b;
            }
            Some('=') => {
                no_suffix(&suffix)?;
                p.out(&format!("{}\n", second.unwrap_or(self.lines.len())));
            }
            Some('a' | 'i' | 'c') => {
                no_suffix(&suffix)?;
                let changed = if command == Some('c') { Some(range(self, current)?) } else { None };
                let text = Self::text(script);
                self.keep_undo();
                let at_line = second.unwrap_or(current);
                let index = match (command, changed) {
                    (_, Some((a, b))) => {
                        self.cut = self.lines.drain(a - 1..b).collect();
                        a - 1
                    }
                    (Some('a'), _) => at_line,
                    _ => at_line.saturating_sub(1),
                };
                let count = text.len();
                for (k, l) in text.into_iter().enumerate() {
                    self.lines.insert(index + k, l);
                }
                self.current = if count == 0 { index.max(1).min(self.lines.len()) } else { index + count };
            }
            Some('d') => {
                no_suffix(&suffix)?;
                let (a, b) = range(self, current)?;
                self.keep_undo();
                self.cut = self.lines.drain(a - 1..b).collect();
                self.current = if a <= self.lines.len() { a } else { self.lines.len() };
            }
            Some('y') => {
                no_suffix(&suffix)?;
                let (a, b) = range(self, current)?;
                self.cut = self.lines[a - 1..b].to_vec();
            }
            Some('x') => {
                no_suffix(&suffix)?;
                if self.cut.is_empty() {
                    return Err("Nothing to put");
                }
                let at_line = second.unwrap_or(current);
                self.keep_undo();
                let cut = self.cut.clone();
                for (k, l) in cut.iter().enumerate() {
                    self.lines.insert(at_line + k, l.clone());
                }
                self.current = at_line + cut.len();
            }
            Some('j') => {
                no_suffix(&suffix)?;
                let (a, b) = (first.unwrap_or(current), second.unwrap_or(current + 1));
                if a == 0 || b > self.lines.len() || a > b {
                    return Err("Invalid address");
                }
                if a < b {
                    self.keep_undo();
                    let joined: String = self.lines.drain(a - 1..b).collect();
                    self.lines.insert(a - 1, joined);
                }
                self.current = a;
            }
            Some('m' | 't') => {
                let (a, b) = range(self, current)?;
                let dest_chars: Vec<char> = suffix.chars().collect();
                let mut k = 0;
                let dest = address(self, &dest_chars, &mut k)?.ok_or("Invalid destination")?;
                no_suffix(&dest_chars.get(k..).unwrap_or_default().iter().collect::<String>())?;
                let block: Vec<String> = self.lines[a - 1..b].to_vec();
                if command == Some('m') {
                    if dest >= a && dest < b {
                        return Err("Invalid destination");
                    }
                    self.keep_undo();
                    self.lines.drain(a - 1..b);
                    let at = if dest >= b { dest - (b - a + 1) } else { dest };
                    for (k, l) in block.iter().enumerate() {
                        self.lines.insert(at + k, l.clone());
                    }
                    self.current = at + block.len();
                } else {
                    self.keep_undo();
                    for (k, l) in block.iter().enumerate() {
                        self.lines.insert(dest + k, l.clone());
                    }
                    self.current = dest + block.len();
                }
            }
            Some('s') => self.substitute(p, &suffix, range(self, current)?)?,
            Some(g @ ('g' | 'v')) => {
                let (a, b) = if first.is_none() { (1, self.lines.len()) } else { range(self, current)? };
                let body: Vec<char> = suffix.chars().collect();
                let delim = *body.first().ok_or("Invalid pattern delimiter")?;
                let end = body.iter().skip(1).position(|c| *c == delim).ok_or("Missing pattern delimiter")? + 1;
                let re = self.pattern(&body[1..end].iter().collect::<String>())?;
                let rest: String = body.get(end + 1..).unwrap_or_default().iter().collect();
                let rest = if rest.is_empty() { "p".to_string() } else { rest };
                // The lines are marked first, then the command runs on each still there.
                let marked: Vec<String> =
                    (a..=b).filter(|k| re.is_match(&self.lines[k - 1]) == (g == 'g')).map(|k| self.lines[k - 1].clone()).collect();
                let undo = (self.lines.clone(), self.current);
                let mut seen = 0;
                for text in marked {
                    let Some(k) = self.lines.iter().enumerate().skip(seen).find(|(_, l)| **l == text).map(|(k, _)| k + 1) else { continue };
                    seen = k - 1;
                    self.current = k;
                    self.command(p, &rest, &mut std::iter::empty())?;
                }
                self.undo = Some(undo);
            }
            Some('r') => {
                let name = suffix.trim();
                let name = if name.is_empty() { self.file.clone().ok_or("No current filename")? } else { name.to_string() };
                self.allowed(&name)?;
                let data = p.world.read(&p.ctx, &name).map_err(|e| {
                    p.io.err_line(&format!("{name}: {e}"));
                    "Cannot open input file"
                })?;
                let text = String::from_utf8_lossy(&data.to_vec()).into_owned();
                let at_line = second.unwrap_or(self.lines.len());
                self.keep_undo();
                let new: Vec<String> = text.lines().map(str::to_string).collect();
                let count = new.len();
                for (k, l) in new.into_iter().enumerate() {
                    self.lines.insert(at_line + k, l);
                }
                self.current = at_line + count;
                if !self.silent {
                    p.out(&format!("{}\n", data.len()));
                }
            }
            Some('w') => {
                let (quit, name) = match suffix.strip_prefix('q') {
                    Some(rest) => (true, rest.trim().to_string()),
                    None => (false, suffix.trim().to_string()),
                };
                let name = if name.is_empty() { self.file.clone().ok_or("No current filename")? } else { name };
                self.allowed(&name)?;
                let (a, b) = if first.is_none() { (1, self.lines.len()) } else { range(self, current)? };
                let mut text = String::new();
                for l in self.lines.get(a.max(1) - 1..b).unwrap_or_default() {
                    text.push_str(l);
                    text.push('\n');
                }
                if let Err(e) = p.world.write_file(&p.ctx, &name, &Data::from_bytes(text.as_bytes()), WriteMode::Truncate) {
                    p.io.err_line(&format!("{name}: {e}"));
                    return Err("Cannot open output file");
                }
                if self.file.is_none() {
                    self.file = Some(name);
                }
                self.modified = false;
                if !self.silent {
                    p.out(&format!("{}\n", text.len()));
                }
                if quit {
                    return Ok(Next::Quit);
                }
            }
            Some('q') => {
                no_suffix(&suffix)?;
                if self.modified && !self.warned {
                    self.warned = true;
                    return Err("Warning: buffer modified");
                }
                return Ok(Next::Quit);
            }
            Some('Q') => {
                no_suffix(&suffix)?;
                return Ok(Next::Quit);
            }
            Some('u') => {
                no_suffix(&suffix)?;
                let (lines, current) = self.undo.take().ok_or("Nothing to undo")?;
                self.undo = Some((std::mem::replace(&mut self.lines, lines), self.current));
                self.current = current;
            }
            Some('H') => {
                no_suffix(&suffix)?;
                self.verbose = !self.verbose;
            }
            Some('P') => {
                no_suffix(&suffix)?;
                self.prompt = !self.prompt;
            }
            Some('f') => {
                let name = suffix.trim();
                if !suffix.is_empty() && !suffix.starts_with(' ') {
                    return Err("Unexpected command suffix");
                }
                if !name.is_empty() {
                    self.allowed(name)?;
                    self.file = Some(name.to_string());
                }
                p.out(&format!("{}\n", self.file.clone().ok_or("No current filename")?));
            }
            Some('!') if self.restricted => return Err("Shell access restricted"),
            _ => return Err("Unknown command"),
        }
        if command != Some('q') {
            self.warned = false;
        }
        Ok(Next::Go)
    }

    /// `s/RE/REPLACEMENT/[g][N][p]` on each line of `a..b`; an error when none matched.
    fn substitute(&mut self, p: &mut Proc, suffix: &str, (a, b): (usize, usize)) -> Result<(), Failure> {
        let body: Vec<char> = suffix.chars().collect();
        let delim = *body.first().ok_or("Missing pattern delimiter")?;
        let mut parts = vec![String::new()];
        let mut k = 1;
        while k < body.len() && parts.len() < 3 {
            let c = body[k];
            if c == '\\' && body.get(k + 1) == Some(&delim) {
                parts.last_mut().ok_or("Missing pattern delimiter")?.push(delim);
                k += 2;
                continue;
            }
            if c == '\\' {
                if let (Some(last), Some(next)) = (parts.last_mut(), body.get(k + 1)) {
                    last.push('\\');
                    last.push(*next);
                }
                k += 2;
                continue;
            }
            if c == delim {
                parts.push(String::new());
            } else if let Some(last) = parts.last_mut() {
                last.push(c);
            }
            k += 1;
        }
        let flags: String = body.get(k..).unwrap_or_default().iter().collect();
        let [source, replacement, ..] = parts.as_slice() else { return Err("Missing pattern delimiter") };
        let re = self.pattern(source)?;
        let global = flags.contains('g');
        let nth = flags.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(1);
        let print = flags.contains('p');
        let undo = (self.lines.clone(), self.current);
        let mut last = None;
        for k in a..=b {
            let mut text = self.lines[k - 1].clone();
            if substitute(&mut text, &re, replacement, global, nth) {
                self.lines[k - 1] = text;
                last = Some(k);
            }
        }
        let Some(k) = last else { return Err("No match") };
        self.undo = Some(undo);
        self.modified = true;
        self.current = k;
        if print {
            p.out(&format!("{}\n", self.lines[k - 1]));
        }
        Ok(())
    }
}
