//! GNU `csplit FILE PATTERN…`: a file cut into pieces `xx00`, `xx01`… before the lines the
//! patterns name (a line number, `/REGEXP/[OFFSET]`, `%REGEXP%[OFFSET]` to skip, `{N}` or
//! `{*}` to repeat), each piece's size printed (oracle-90). On an error the pieces made so far
//! are removed again, unless `-k`.

use super::regex::Regex;
use super::{read_input, Cursor, Proc};
use crate::fs::Data;
use crate::vfs::WriteMode;

/// One pattern as written, with how often it repeats (`{*}`: as long as it matches).
struct Pattern {
    text: String,
    kind: Kind,
    repeat: Repeat,
}

enum Kind {
    /// Split before this line (1-based); repeated, every so many lines.
    Line(usize),
    /// Split at the next line matching (`skip`: the lines before go nowhere), `offset` lines
    /// after it.
    Regexp { re: Regex, offset: i64, skip: bool },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeat {
    Times(usize),
    Forever,
}

/// Where the cutting stands: the first line not written yet, the lines searched so far (GNU's
/// `current_line`), the pieces made.
struct Cutter<'a> {
    lines: Vec<&'a str>,
    next: usize,
    searched: usize,
    prefix: String,
    digits: usize,
    quiet: bool,
    elide_empty: bool,
    made: Vec<String>,
}

pub(super) fn csplit(p: &mut Proc, args: &[String]) -> i32 {
    let (mut prefix, mut digits, mut quiet, mut elide, mut keep) = ("xx".to_string(), 2usize, false, false, false);
    let mut operands = Vec::new();
    let mut cursor = Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-f" | "--prefix" => prefix = cursor.value(),
            "-n" | "--digits" => digits = cursor.value().parse().unwrap_or(2),
            "-s" | "-q" | "--quiet" | "--silent" => quiet = true,
            "-z" | "--elide-empty-files" => elide = true,
            "-k" | "--keep-files" => keep = true,
            s if s.starts_with("--prefix=") => prefix = s.get(9..).unwrap_or_default().to_string(),
            s if s.starts_with("--digits=") => digits = s.get(9..).and_then(|d| d.parse().ok()).unwrap_or(2),
            s if s.starts_with("-f") && s.len() > 2 => prefix = s.get(2..).unwrap_or_default().to_string(),
            s if s.starts_with("-n") && s.len() > 2 => digits = s.get(2..).and_then(|d| d.parse().ok()).unwrap_or(2),
            _ => operands.push(a.clone()),
        }
    }
    let Some((file, specs)) = operands.split_first() else {
        return p.err_try("missing operand");
    };
    if specs.is_empty() {
        return p.err_try(&format!("missing operand after {}", p.lq(file)));
    }
    let patterns = match parse_patterns(p, specs) {
        Ok(patterns) => patterns,
        Err(()) => return 1,
    };
    let Some(data) = read_input(p, file) else { return 1 };
    let text = String::from_utf8_lossy(&data).into_owned();
    let mut cut = Cutter {
        lines: text.split_inclusive('\n').collect(),
        next: 0,
        searched: 0,
        prefix,
        digits,
        quiet,
        elide_empty: elide,
        made: Vec::new(),
    };
    match cut.run(p, &patterns) {
        Ok(()) => 0,
        Err(message) => {
            p.err(&message);
            if !keep {
                for name in std::mem::take(&mut cut.made) {
                    let _ = p.world.remove(&p.ctx, &name, false);
                }
            }
            1
        }
    }
}

fn parse_patterns(p: &mut Proc, specs: &[String]) -> Result<Vec<Pattern>, ()> {
    let mut patterns: Vec<Pattern> = Vec::new();
    let mut previous_line = 0;
    for spec in specs {
        if let Some(count) = spec.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let repeat = if count == "*" {
                Repeat::Forever
            } else if let Ok(n) = count.parse::<usize>() {
                Repeat::Times(n)
            } else {
                p.err(&format!("{}: integer expected after delimiter", p.lq(spec)));
                return Err(());
            };
            match patterns.last_mut() {
                Some(last) => last.repeat = repeat,
                None => {
                    p.err(&format!("{}: invalid pattern", p.lq(spec)));
                    return Err(());
                }
            }
            continue;
        }
        let kind = match spec.chars().next() {
            Some(delim @ ('/' | '%')) => {
                let body = spec.get(1..).unwrap_or_default();
                let Some(end) = body.rfind(delim) else {
                    p.err(&format!("{}: closing delimiter '{delim}' missing", p.lq(spec)));
                    return Err(());
                };
                let (source, rest) = (body.get(..end).unwrap_or_default(), body.get(end + 1..).unwrap_or_default());
                let offset = if rest.is_empty() { Some(0) } else { rest.strip_prefix('+').unwrap_or(rest).parse::<i64>().ok() };
                let Some(offset) = offset else {
                    p.err(&format!("{}: integer expected after delimiter", p.lq(spec)));
                    return Err(());
                };
                let Some(re) = Regex::basic(source, false) else {
                    p.err(&format!("{}: invalid regular expression", p.lq(spec)));
                    return Err(());
                };
                Kind::Regexp { re, offset, skip: delim == '%' }
            }
            _ => match spec.parse::<usize>() {
                Ok(0) => {
                    p.err(&format!("{}: line number must be greater than zero", p.lq(spec)));
                    return Err(());
                }
                Ok(n) if n < previous_line => {
                    p.err(&format!("line number {} is smaller than preceding line number, {previous_line}", p.lq(spec)));
                    return Err(());
                }
                Ok(n) => {
                    previous_line = n;
                    Kind::Line(n)
                }
                Err(_) => {
                    p.err(&format!("{}: invalid pattern", p.lq(spec)));
                    return Err(());
                }
            },
        };
        patterns.push(Pattern { text: spec.clone(), kind, repeat: Repeat::Times(0) });
    }
    Ok(patterns)
}

impl Cutter<'_> {
    fn run(&mut self, p: &mut Proc, patterns: &[Pattern]) -> Result<(), String> {
        for pattern in patterns {
            let mut repetition = 0;
            loop {
                let more = self.apply(p, pattern, repetition)?;
                repetition += 1;
                let again = match pattern.repeat {
                    Repeat::Forever => more,
                    Repeat::Times(n) => repetition <= n,
                };
                if !again {
                    break;
                }
            }
            if !self.lines_left() && pattern.repeat == Repeat::Forever {
                return Ok(());
            }
        }
        // What follows the last split is the last piece.
        let rest = self.lines.get(self.next..).unwrap_or_default().concat();
        self.write_piece(p, &rest)?;
        Ok(())
    }

    fn lines_left(&self) -> bool {
        self.next < self.lines.len()
    }

    /// One pattern's cut; `false` once `{*}` has nothing more to match (the rest is written).
    fn apply(&mut self, p: &mut Proc, pattern: &Pattern, repetition: usize) -> Result<bool, String> {
        let on = |repetition: usize| if repetition > 0 { format!(" on repetition {repetition}") } else { String::new() };
        match &pattern.kind {
            Kind::Line(n) => {
                let message = format!("{}: line number out of range{}", p.lq(&pattern.text), on(repetition));
                let end = n * (repetition + 1) - 1;
                if !self.lines_left() {
                    if pattern.repeat == Repeat::Forever {
                        return Ok(false);
                    }
                    self.write_piece(p, "")?;
                    return Err(message);
                }
                let piece = self.lines.get(self.next..end.min(self.lines.len())).unwrap_or_default().concat();
                self.write_piece(p, &piece)?;
                if end > self.lines.len() || end == self.lines.len() {
                    self.next = self.lines.len();
                    return Err(message);
                }
                self.next = end;
                self.searched = end;
                Ok(true)
            }
            Kind::Regexp { re, offset, skip } => {
                let found = (self.searched..self.lines.len()).find(|&k| re.is_match(self.lines[k].trim_end_matches('\n')));
                let Some(k) = found else {
                    let rest = self.lines.get(self.next..).unwrap_or_default().concat();
                    self.next = self.lines.len();
                    if pattern.repeat == Repeat::Forever && repetition > 0 {
                        if !skip {
                            self.write_piece(p, &rest)?;
                        }
                        return Ok(false);
                    }
                    if !skip {
                        self.write_piece(p, &rest)?;
                    }
                    return Err(format!("{}: match not found{}", p.lq(&pattern.text), on(repetition)));
                };
                let end = k as i64 + offset;
                if end < self.next as i64 || end > self.lines.len() as i64 {
                    return Err(format!("{}: line number out of range{}", p.lq(&pattern.text), on(repetition)));
                }
                let end = end as usize;
                if !skip {
                    let piece = self.lines.get(self.next..end).unwrap_or_default().concat();
                    self.write_piece(p, &piece)?;
                }
                self.next = end;
                self.searched = if *offset > 0 { end } else { k + 1 };
                Ok(true)
            }
        }
    }

    /// The next piece, `xx00` and on; its size printed (an empty one left out with `-z`).
    fn write_piece(&mut self, p: &mut Proc, text: &str) -> Result<(), String> {
        if text.is_empty() && self.elide_empty {
            return Ok(());
        }
        let name = format!("{}{:0width$}", self.prefix, self.made.len(), width = self.digits);
        if let Err(e) = p.world.write_file(&p.ctx, &name, &Data::from_bytes(text.as_bytes()), WriteMode::Truncate) {
            return Err(format!("{name}: {e}"));
        }
        self.made.push(name);
        if !self.quiet {
            p.out(&format!("{}\n", text.len()));
        }
        Ok(())
    }
}
