//! Expansion: a word's parameters (with their operators and `set -u`), command
//! substitutions and arithmetic, then field splitting and globbing.

use super::ast::*;
use super::parse::parse;
use super::process::{Flavor, Shell, MAX_DEPTH};
use crate::userland::{self, Io};
use crate::vfs::Ns;
use crate::world::World;

impl Shell {
    /// Expands a word into fields (splitting and globbing unquoted parts). `Err(status)` when
    /// a substitution asked the shell to stop.
    pub fn expand_word(&mut self, world: &mut World, word: &Word, io: &mut Io) -> Result<Vec<String>, i32> {
        // bash expands braces first (`file{a,b}.txt`, `{1..3}`); dash and busybox's ash do not.
        if self.flavor == Flavor::Bash {
            if let Some(words) = super::braces::expand_word(word) {
                let mut out = Vec::new();
                for w in &words {
                    out.extend(self.expand_word(world, w, io)?);
                }
                return Ok(out);
            }
        }
        let mut fields: Vec<Vec<(char, bool)>> = Vec::new();
        let mut cur: Vec<(char, bool)> = Vec::new();
        let mut forced = false;
        for part in word {
            match part {
                Part::Lit { text, quoted } => {
                    if *quoted {
                        forced = true;
                    }
                    cur.extend(text.chars().map(|c| (c, *quoted)));
                }
                Part::Tilde(user) => {
                    let home = self.tilde(user);
                    forced = true;
                    cur.extend(home.chars().map(|c| (c, true)));
                }
                // `"$@"`: each positional parameter its own field (none when there are none).
                Part::Param { name, quoted: true, .. } if name == "@" => {
                    for (k, p) in self.positional.clone().iter().enumerate() {
                        if k > 0 {
                            fields.push(std::mem::take(&mut cur));
                        }
                        cur.extend(p.chars().map(|c| (c, true)));
                        forced = true;
                    }
                }
                // `"${a[@]}"` (and `${!a[@]}`): each element its own field, sliced by `:from:count`.
                Part::Param { name, quoted: true, length: false, edit, .. }
                    if name.ends_with("[@]") && self.array_elements(name.trim_start_matches('!')).is_some() =>
                {
                    let all = self.sliced(name, edit.as_deref());
                    for (k, e) in all.iter().enumerate() {
                        if k > 0 {
                            fields.push(std::mem::take(&mut cur));
                        }
                        cur.extend(e.chars().map(|c| (c, true)));
                        forced = true;
                    }
                }
                Part::Param { name, quoted, op, length, trim, edit } => {
                    let value = self.param_value(world, name, op, *length, trim, io)?;
                    let value = self.edited(world, name, value, edit, io)?;
                    self.push_expansion(&mut fields, &mut cur, &mut forced, &value, *quoted);
                }
                Part::Command { source, quoted } => {
                    let value = self.command_substitution(world, source, io);
                    self.push_expansion(&mut fields, &mut cur, &mut forced, &value, *quoted);
                }
                Part::Arith { source } => {
                    let value = self.arith(world, source, io);
                    cur.extend(value.chars().map(|c| (c, true)));
                    forced = true;
                }
                Part::BadSubstitution(written) => return Err(self.bad_substitution(written, io)),
                Part::ProcSubst { source } => {
                    let path = self.process_substitution(world, source, io)?;
                    cur.extend(path.chars().map(|c| (c, true)));
                    forced = true;
                }
                Part::ProcSubstOut { source } => {
                    let path = self.output_substitution(world, source, io)?;
                    cur.extend(path.chars().map(|c| (c, true)));
                    forced = true;
                }
            }
        }
        if !cur.is_empty() || forced {
            fields.push(cur);
        }
        let mut out = Vec::new();
        for f in fields {
            let has_glob = f.iter().any(|(c, q)| !q && matches!(c, '*' | '?' | '['));
            let text: String = f.iter().map(|(c, _)| *c).collect();
            if has_glob {
                let matches = userland::glob::expand(world, &self.ctx, &f);
                if matches.is_empty() {
                    out.push(text);
                } else {
                    out.extend(matches);
                }
            } else {
                out.push(text);
            }
        }
        Ok(out)
    }

    fn push_expansion(
        &self,
        fields: &mut Vec<Vec<(char, bool)>>,
        cur: &mut Vec<(char, bool)>,
        forced: &mut bool,
        value: &str,
        quoted: bool,
    ) {
        if quoted {
            *forced = true;
            cur.extend(value.chars().map(|c| (c, true)));
            return;
        }
        // Unquoted: split on blanks; the pieces' own glob characters stay active.
        let starts_blank = value.starts_with([' ', '\t', '\n']);
        let ends_blank = value.ends_with([' ', '\t', '\n']);
        let pieces: Vec<&str> = value.split([' ', '\t', '\n']).filter(|p| !p.is_empty()).collect();
        if pieces.is_empty() {
            if starts_blank && (!cur.is_empty() || *forced) {
                fields.push(std::mem::take(cur));
                *forced = false;
            }
            return;
        }
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 || (starts_blank && (!cur.is_empty() || *forced)) {
                fields.push(std::mem::take(cur));
                *forced = false;
            }
            cur.extend(piece.chars().map(|c| (c, false)));
        }
        if ends_blank {
            fields.push(std::mem::take(cur));
            *forced = false;
        }
    }

    /// A parameter's value through its operator (`:-`, `:=`, `:+`, `:?` and their forms without
    /// the colon), its length (`#`) or a trimmed end (`%`, `#`).
    fn param_value(
        &mut self,
        world: &mut World,
        name: &str,
        op: &Option<Box<ParamOp>>,
        length: bool,
        trim: &Option<(Trim, Word)>,
        io: &mut Io,
    ) -> Result<String, i32> {
        let mut value = self.param(name);
        match op.as_deref() {
            Some(op) => {
                let missing = value.is_none() || (op.colon && value.as_deref() == Some(""));
                match op.kind {
                    ParamOpKind::Default if missing => value = Some(self.expand_single(world, &op.word, io)?),
                    ParamOpKind::Assign if missing => {
                        let v = self.expand_single(world, &op.word, io)?;
                        self.vars.insert(name.to_string(), v.clone());
                        value = Some(v);
                    }
                    ParamOpKind::Alternative => {
                        value = Some(if missing { String::new() } else { self.expand_single(world, &op.word, io)? });
                    }
                    ParamOpKind::Error if missing => {
                        let message = self.expand_single(world, &op.word, io)?;
                        return Err(self.parameter_error(name, Some(&message), io));
                    }
                    _ => {}
                }
            }
            None if value.is_none() && self.options.nounset && !matches!(name, "@" | "*") => {
                return Err(self.parameter_error(name, None, io));
            }
            None => {}
        }
        let value = value.unwrap_or_default();
        if length {
            // `${#a[@]}`: how many elements.
            if let Some(elements) = self.array_elements(name) {
                return Ok(elements.len().to_string());
            }
            return Ok(value.chars().count().to_string());
        }
        let Some((how, word)) = trim else { return Ok(value) };
        let pattern = self.pattern(world, word, io)?;
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        let fits = |range: std::ops::Range<usize>| chars.get(range).is_some_and(|part| userland::glob::matches(&pattern, part));
        let cut = match how {
            Trim::ShortSuffix => (0..=n).rev().find(|at| fits(*at..n)).map(|at| (0, at)),
            Trim::LongSuffix => (0..=n).find(|at| fits(*at..n)).map(|at| (0, at)),
            Trim::ShortPrefix => (0..=n).find(|at| fits(0..*at)).map(|at| (at, n)),
            Trim::LongPrefix => (0..=n).rev().find(|at| fits(0..*at)).map(|at| (at, n)),
        };
        Ok(match cut {
            Some((from, to)) => chars.get(from..to).unwrap_or_default().iter().collect(),
            None => value,
        })
    }

    /// An array's elements (`name[@]`), through `${a[@]:from:count}`: from the element whose
    /// index is `from` (negative: from the end), `count` of them.
    fn sliced(&mut self, name: &str, edit: Option<&Edit>) -> Vec<String> {
        let indexed = if name.starts_with('!') { self.array_keys(name) } else { self.array_elements(name) };
        let Some(Edit::Slice { offset, length }) = edit else { return indexed.unwrap_or_default() };
        let number = |sh: &mut Shell, e: &str| userland::arith::eval_mut(e.trim(), &mut super::process::ShellVars(sh)).unwrap_or(0);
        let from = number(self, offset);
        let count = length.as_deref().map(|l| number(self, l).max(0) as usize);
        self.array_from(name, from, count)
    }

    /// A value through bash's slice, replacement or case change.
    fn edited(&mut self, world: &mut World, name: &str, value: String, edit: &Option<Box<Edit>>, io: &mut Io) -> Result<String, i32> {
        let Some(edit) = edit.as_deref() else { return Ok(value) };
        if let (Edit::Slice { .. }, Some(_)) = (edit, self.array_elements(name)) {
            return Ok(self.sliced(name, Some(edit)).join(" "));
        }
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len() as i64;
        Ok(match edit {
            Edit::Slice { offset, length } => {
                let number = |sh: &mut Shell, e: &str| userland::arith::eval_mut(e.trim(), &mut super::process::ShellVars(sh));
                let start = number(self, offset).unwrap_or(0);
                let start = if start < 0 { (n + start).max(0) } else { start.min(n) };
                let end = match length {
                    Some(l) => {
                        let l = number(self, l).unwrap_or(0);
                        if l < 0 {
                            (n + l).max(start)
                        } else {
                            (start + l).min(n)
                        }
                    }
                    None => n,
                };
                chars[start as usize..end.max(start) as usize].iter().collect()
            }
            Edit::Case { upper, all } => {
                let change = |c: char| if *upper { c.to_uppercase().collect::<String>() } else { c.to_lowercase().collect() };
                chars.iter().enumerate().map(|(i, c)| if *all || i == 0 { change(*c) } else { c.to_string() }).collect()
            }
            Edit::Replace { all, anchor, pattern, with } => {
                let pattern = self.pattern(world, pattern, io)?;
                let with = self.expand_single(world, with, io)?;
                let fits = |a: usize, b: usize| chars.get(a..b).is_some_and(|part| userland::glob::matches(&pattern, part));
                let len = chars.len();
                match anchor {
                    Some('#') => match (0..=len).rev().find(|b| fits(0, *b)) {
                        Some(b) => format!("{with}{}", chars[b..].iter().collect::<String>()),
                        None => value,
                    },
                    Some(_) => match (0..=len).find(|a| fits(*a, len)) {
                        Some(a) => format!("{}{with}", chars[..a].iter().collect::<String>()),
                        None => value,
                    },
                    None => {
                        let mut out = String::new();
                        let mut i = 0;
                        let mut replaced = false;
                        while i < len {
                            // The longest match starting here.
                            match (!replaced || *all).then(|| (i + 1..=len).rev().find(|b| fits(i, *b))).flatten() {
                                Some(b) => {
                                    out.push_str(&with);
                                    i = b;
                                    replaced = true;
                                }
                                None => {
                                    out.push(chars[i]);
                                    i += 1;
                                }
                            }
                        }
                        out
                    }
                }
            }
        })
    }

    /// A word as a pattern (`case`, `${name%pattern}`): quoted characters match themselves.
    pub(super) fn pattern(&mut self, world: &mut World, word: &Word, io: &mut Io) -> Result<Vec<(char, bool)>, i32> {
        let mut out = Vec::new();
        for part in word {
            match part {
                Part::Lit { text, quoted } => out.extend(text.chars().map(|c| (c, *quoted))),
                Part::Param { quoted, .. } | Part::Command { quoted, .. } => {
                    let v = self.expand_single(world, &vec![part.clone()], io)?;
                    out.extend(v.chars().map(|c| (c, *quoted)));
                }
                other => {
                    let v = self.expand_single(world, &vec![other.clone()], io)?;
                    out.extend(v.chars().map(|c| (c, true)));
                }
            }
        }
        Ok(out)
    }

    /// Expands a word into one string (assignments, redirection targets).
    pub fn expand_single(&mut self, world: &mut World, word: &Word, io: &mut Io) -> Result<String, i32> {
        let mut s = String::new();
        for part in word {
            match part {
                Part::Lit { text, .. } => s.push_str(text),
                Part::Tilde(user) => s.push_str(&self.tilde(user)),
                Part::Param { name, op, length, trim, edit, .. } => {
                    let v = self.param_value(world, name, op, *length, trim, io)?;
                    let v = self.edited(world, name, v, edit, io)?;
                    s.push_str(&v);
                }
                Part::Command { source, .. } => s.push_str(&self.command_substitution(world, source, io)),
                Part::Arith { source } => s.push_str(&self.arith(world, source, io)),
                Part::BadSubstitution(written) => return Err(self.bad_substitution(written, io)),
                Part::ProcSubst { source } => s.push_str(&self.process_substitution(world, source, io)?),
                Part::ProcSubstOut { source } => s.push_str(&self.output_substitution(world, source, io)?),
            }
        }
        Ok(s)
    }

    /// A `${…}` that names no parameter: the shell says so and stops (non-interactive bash
    /// exits 1; busybox and dash reject it as syntax, 2).
    fn bad_substitution(&self, written: &str, io: &mut Io) -> i32 {
        match self.flavor {
            Flavor::Bash => {
                io.err_line(&format!("{}{written}: bad substitution", self.err_prefix()));
                1
            }
            Flavor::Ash => {
                io.err_line("sh: syntax error: bad substitution");
                2
            }
            Flavor::Dash => {
                io.err_line("sh: 1: Bad substitution");
                2
            }
        }
    }

    /// An unset parameter under `set -u`, or one `${name:?word}` requires: the shell says so
    /// and stops (oracle-53, oracle-54): bash -c exits 127, busybox sh and dash 2.
    fn parameter_error(&self, name: &str, message: Option<&str>, io: &mut Io) -> i32 {
        let shown = if name.chars().all(|c| c.is_ascii_digit()) { format!("${name}") } else { name.to_string() };
        match self.flavor {
            Flavor::Bash => {
                let text = match message {
                    None => "unbound variable",
                    Some("") => "parameter null or not set",
                    Some(m) => m,
                };
                // bash names a function's source `environment` when it ran from `bash -c`.
                let prefix = if self.calls > 0 && !self.interactive { "environment: line 1: ".to_string() } else { self.err_prefix() };
                io.err_line(&format!("{prefix}{shown}: {text}"));
                127
            }
            Flavor::Ash | Flavor::Dash => {
                let text = match message {
                    None | Some("") => "parameter not set",
                    Some(m) => m,
                };
                io.err_line(&format!("{}{shown}: {text}", self.err_prefix()));
                2
            }
        }
    }

    fn tilde(&self, user: &str) -> String {
        if user.is_empty() {
            return self.vars.get("HOME").cloned().unwrap_or_else(|| "/".into());
        }
        match crate::users::home_of(user) {
            Some(h) => h,
            None => format!("~{user}"),
        }
    }

    fn param(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some(match self.ctx.ns {
                Ns::Host => "4242".into(),
                // The shell's pid in the container's namespace (see `procs.rs`).
                Ns::Container(_) => self.procs.last().map_or(1, |p| p.pid).to_string(),
            }),
            "#" => Some(self.positional.len().to_string()),
            "!" => self.last_background.map(|pid| pid.to_string()),
            "-" => super::options::dollar_dash(self),
            "@" | "*" => Some(self.positional.join(" ")),
            "0" => Some(self.arg0.clone().unwrap_or_else(|| self.name().to_string())),
            n if n.chars().all(|c| c.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                self.positional.get(i.checked_sub(1)?).cloned()
            }
            n if n.starts_with('!') => self.array_keys(n).map(|k| k.join(" ")),
            n => self.array_elements(n).map(|e| e.join(" ")).or_else(|| self.scalar(n)),
        }
    }

    /// Runs `source` in a subshell (a copy of this shell, one level deeper): its output and
    /// status; what it says on stderr goes on.
    fn subshell(&mut self, world: &mut World, source: &str, io: &mut Io) -> (Vec<u8>, i32) {
        let mut sub = self.clone();
        sub.depth += 1;
        sub.subshells += 1;
        sub.main_process = false;
        // The files of this command's substitutions are not the inner command's to remove.
        sub.substituted.clear();
        sub.sinks.clear();
        let mut sio = Io::default();
        sub.run_script(world, source, &mut sio);
        io.err.extend_from_slice(&sio.err);
        (sio.out, sub.status)
    }

    fn command_substitution(&mut self, world: &mut World, source: &str, io: &mut Io) -> String {
        if self.depth >= MAX_DEPTH {
            io.err_line(&format!("{}maximum nesting depth exceeded", self.err_prefix()));
            return String::new();
        }
        let (out, status) = self.subshell(world, source, io);
        self.status = status;
        let mut s = String::from_utf8_lossy(&out).into_owned();
        while s.ends_with('\n') {
            s.pop();
        }
        s
    }

    /// `<(…)`: the command runs now; its output waits at `/dev/fd/63` (then 62 …) for the
    /// command that reads it, and goes when that command ends. bash and Debian's busybox sh
    /// have it (oracle-68); dash refuses the `(`.
    fn process_substitution(&mut self, world: &mut World, source: &str, io: &mut Io) -> Result<String, i32> {
        if self.flavor == Flavor::Dash {
            io.err_line(&format!("{}syntax error: unexpected \"(\"", self.err_prefix()));
            return Err(2);
        }
        if self.depth >= MAX_DEPTH {
            io.err_line(&format!("{}maximum nesting depth exceeded", self.err_prefix()));
            return Err(1);
        }
        let (out, _) = self.subshell(world, source, io);
        let path = self.next_fd_path();
        world.put_quiet_file(&self.ctx.ns, &path, &out, false);
        self.substituted.push(path.clone());
        Ok(path)
    }

    /// The next `/dev/fd/N` a process substitution takes: 63, then down.
    fn next_fd_path(&self) -> String {
        format!("/dev/fd/{}", 63 - self.substituted.len() - self.sinks.len())
    }

    /// `>(…)`: the command writes into `/dev/fd/63`; when it ends, the substituted command
    /// reads what it wrote, its output coming after the writer's (oracle-93).
    fn output_substitution(&mut self, world: &mut World, source: &str, io: &mut Io) -> Result<String, i32> {
        if self.flavor == Flavor::Dash {
            io.err_line(&format!("{}syntax error: unexpected \"(\"", self.err_prefix()));
            return Err(2);
        }
        let path = self.next_fd_path();
        world.put_quiet_file(&self.ctx.ns, &path, b"", true);
        self.sinks.push((path.clone(), source.to_string()));
        Ok(path)
    }

    /// The `>(…)` of the command that just ended: each reads what was written to it.
    pub(super) fn drain_sinks(&mut self, world: &mut World, io: &mut Io) {
        for (path, source) in std::mem::take(&mut self.sinks) {
            let root = crate::vfs::Ctx::root(self.ctx.ns.clone());
            let written = world.read(&root, &path).map(|d| d.to_vec()).unwrap_or_default();
            world.drop_quiet_file(&self.ctx.ns, &path);
            if self.depth >= MAX_DEPTH {
                continue;
            }
            let mut sub = self.clone();
            sub.depth += 1;
            sub.main_process = false;
            sub.substituted.clear();
            let mut sio = Io::with_stdin(written);
            sub.run_script(world, &source, &mut sio);
            io.write_out(&sio.out);
            io.write_err(&sio.err);
        }
    }

    fn arith(&mut self, world: &mut World, source: &str, io: &mut Io) -> String {
        let expanded = match parse(&format!("echo {source}")) {
            Ok(_) => {
                let word = vec![Part::Lit { text: source.to_string(), quoted: true }];
                self.expand_single(world, &word, io).unwrap_or_default()
            }
            Err(_) => source.to_string(),
        };
        match userland::arith::eval_mut(&expanded, &mut super::process::ShellVars(self)) {
            Some(v) => v.to_string(),
            None => {
                io.err_line(&format!("{}{}: syntax error: invalid arithmetic operator", self.err_prefix(), source.trim()));
                "0".into()
            }
        }
    }
}
