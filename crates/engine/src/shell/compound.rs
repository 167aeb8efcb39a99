//! Running bash's own compound commands: `(( ))`, `for (( ; ; ))`, `[[ ]]` and `select`.

use super::ast::*;
use super::process::{Flow, Shell};
use crate::userland::{self, Io};
use crate::world::World;

impl Shell {
    /// Evaluates an arithmetic expression with its assignments; `None` (said on stderr) when
    /// it is not one.
    pub(super) fn arithmetic(&mut self, world: &mut World, source: &str, io: &mut Io) -> Option<i64> {
        let word = vec![Part::Lit { text: source.to_string(), quoted: true }];
        let expanded = self.expand_single(world, &word, io).unwrap_or_default();
        let value = userland::arith::eval_mut(&expanded, &mut super::process::ShellVars(self));
        if value.is_none() {
            io.err_line(&format!("{}((: {}: syntax error: invalid arithmetic operator", self.err_prefix(), expanded.trim()));
        }
        value
    }

    /// `(( expression ))`: status 0 when the value is not zero.
    pub(super) fn run_arith(&mut self, world: &mut World, source: &str, io: &mut Io) -> Flow {
        self.status = match self.arithmetic(world, source, io) {
            Some(0) | None => 1,
            Some(_) => 0,
        };
        Flow::Next
    }

    /// `for (( init; cond; step ))`: an empty condition is true.
    pub(super) fn run_arith_for(&mut self, world: &mut World, parts: [&str; 3], body: &List, io: &mut Io) -> Flow {
        let [init, cond, step] = parts;
        if !init.is_empty() && self.arithmetic(world, init, io).is_none() {
            self.status = 1;
            return Flow::Next;
        }
        self.status = 0;
        self.loops += 1;
        let flow = loop {
            if !world.take_step() {
                break Flow::Exit(self.status);
            }
            if !cond.is_empty() {
                match self.arithmetic(world, cond, io) {
                    Some(0) => break Flow::Next,
                    None => {
                        self.status = 1;
                        break Flow::Next;
                    }
                    Some(_) => {}
                }
            }
            match super::process::loop_step(self.run_list(world, body, io)) {
                Some(Flow::Next) => {}
                Some(f) => break f,
                None => break Flow::Next,
            }
            if !step.is_empty() && self.arithmetic(world, step, io).is_none() {
                self.status = 1;
                break Flow::Next;
            }
        };
        self.loops -= 1;
        flow
    }

    /// `select NAME in ITEMS; do BODY; done`: the numbered menu and the prompt (`$PS3`, `#? `)
    /// on stderr, a line read for each round into `REPLY` and NAME its item (empty when it
    /// names none); an empty line shows the menu again; at the input's end a newline, status 1
    /// (oracle-93).
    pub(super) fn run_select(&mut self, world: &mut World, var: &str, items: &[String], body: &List, io: &mut Io) -> Flow {
        self.status = 0;
        if items.is_empty() {
            return Flow::Next;
        }
        let columns = self.vars.get("COLUMNS").and_then(|c| c.parse().ok()).unwrap_or(80);
        let mut show_menu = true;
        self.loops += 1;
        let flow = loop {
            if !world.take_step() {
                break Flow::Exit(self.status);
            }
            if show_menu {
                io.write_err(select_menu(items, columns).as_bytes());
            }
            let prompt = self.vars.get("PS3").cloned().unwrap_or_else(|| "#? ".to_string());
            io.write_err(prompt.as_bytes());
            if io.stdin.is_empty() {
                io.write_out(b"\n");
                self.status = 1;
                break Flow::Next;
            }
            let end = io.stdin.iter().position(|b| *b == b'\n').map_or(io.stdin.len(), |k| k + 1);
            let line: Vec<u8> = io.stdin.drain(..end).collect();
            let reply = String::from_utf8_lossy(&line).trim_end_matches('\n').to_string();
            self.vars.insert("REPLY".into(), reply.clone());
            show_menu = reply.is_empty();
            if show_menu {
                continue;
            }
            let chosen = reply.trim().parse::<usize>().ok().and_then(|n| n.checked_sub(1)).and_then(|k| items.get(k));
            self.vars.insert(var.to_string(), chosen.cloned().unwrap_or_default());
            let f = self.run_list(world, body, io);
            if f == Flow::Block {
                self.unwound(None);
            }
            match super::process::loop_step(f) {
                Some(Flow::Next) => {}
                Some(f) => break f,
                None => break Flow::Next,
            }
        };
        self.loops -= 1;
        flow
    }

    /// `[[ expression ]]`: status 0 when true, 1 when false, 2 when it cannot be read.
    pub(super) fn run_cond(&mut self, world: &mut World, tokens: &[CondToken], io: &mut Io) -> Flow {
        let mut at = 0;
        self.status = match self.cond_or(world, tokens, &mut at, io) {
            Some(_) if at != tokens.len() => {
                io.err_line(&format!("{}syntax error in conditional expression", self.err_prefix()));
                2
            }
            Some(true) => 0,
            Some(false) => 1,
            None => 2,
        };
        Flow::Next
    }

    fn cond_or(&mut self, world: &mut World, t: &[CondToken], at: &mut usize, io: &mut Io) -> Option<bool> {
        let mut v = self.cond_and(world, t, at, io)?;
        while matches!(t.get(*at), Some(CondToken::Op(o)) if o == "||") {
            *at += 1;
            let r = self.cond_and(world, t, at, io)?;
            v = v || r;
        }
        Some(v)
    }

    fn cond_and(&mut self, world: &mut World, t: &[CondToken], at: &mut usize, io: &mut Io) -> Option<bool> {
        let mut v = self.cond_not(world, t, at, io)?;
        while matches!(t.get(*at), Some(CondToken::Op(o)) if o == "&&") {
            *at += 1;
            let r = self.cond_not(world, t, at, io)?;
            v = v && r;
        }
        Some(v)
    }

    fn cond_not(&mut self, world: &mut World, t: &[CondToken], at: &mut usize, io: &mut Io) -> Option<bool> {
        match t.get(*at) {
            Some(CondToken::Op(o)) if o == "!" => {
                *at += 1;
                Some(!self.cond_not(world, t, at, io)?)
            }
            Some(CondToken::Op(o)) if o == "(" => {
                *at += 1;
                let v = self.cond_or(world, t, at, io)?;
                if !matches!(t.get(*at), Some(CondToken::Op(o)) if o == ")") {
                    return None;
                }
                *at += 1;
                Some(v)
            }
            _ => self.cond_primary(world, t, at, io),
        }
    }

    /// A test: `-f WORD` and its kin, `WORD OP WORD`, or a word (true when not empty).
    fn cond_primary(&mut self, world: &mut World, t: &[CondToken], at: &mut usize, io: &mut Io) -> Option<bool> {
        let word_at = |k: usize| match t.get(k) {
            Some(CondToken::Word(w)) => Some(w.clone()),
            _ => None,
        };
        let text = |w: &Word| {
            w.iter()
                .map(|p| match p {
                    Part::Lit { text, .. } => text.clone(),
                    Part::Tilde(user) => format!("~{user}"),
                    _ => String::new(),
                })
                .collect::<String>()
        };
        let first = word_at(*at)?;
        let first_text = text(&first);
        // A unary test: `-f FILE`, `-z STRING` …
        if first_text.starts_with('-') && first_text.chars().count() == 2 {
            if let Some(operand) = word_at(*at + 1) {
                let value = self.expand_single(world, &operand, io).ok()?;
                *at += 2;
                let args = [first_text, value];
                return Some(super::builtins::test_program_eval(self, world, &args));
            }
        }
        let left = self.expand_single(world, &first, io).ok()?;
        *at += 1;
        let op = match t.get(*at) {
            Some(CondToken::Op(o)) if o == "<" || o == ">" => o.clone(),
            Some(CondToken::Word(w))
                if matches!(
                    text(w).as_str(),
                    "==" | "=" | "!=" | "=~" | "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" | "-nt" | "-ot" | "-ef"
                ) =>
            {
                text(w)
            }
            _ => return Some(!left.is_empty()),
        };
        *at += 1;
        let right_word = word_at(*at)?;
        *at += 1;
        match op.as_str() {
            "==" | "=" | "!=" => {
                let pattern = self.pattern(world, &right_word, io).ok()?;
                let hit = userland::glob::matches(&pattern, &left.chars().collect::<Vec<_>>());
                Some(hit != (op == "!="))
            }
            "=~" => {
                // Quoted parts of the pattern match themselves.
                let mut source = String::new();
                for part in &right_word {
                    let piece = self.expand_single(world, &vec![part.clone()], io).ok()?;
                    match part {
                        Part::Lit { quoted: true, .. } | Part::Param { quoted: true, .. } => source.push_str(&regex_escape(&piece)),
                        _ => source.push_str(&piece),
                    }
                }
                let re = userland::coreutils::Regex::new(&source, false, false)?;
                let chars: Vec<char> = left.chars().collect();
                let groups: Option<Vec<String>> = re
                    .captures_from(&left, 0)
                    .map(|caps| caps.iter().map(|g| g.map(|(a, b)| chars[a..b].iter().collect()).unwrap_or_default()).collect());
                // BASH_REMATCH: the match, then each group.
                self.assign_array("BASH_REMATCH", groups.clone().unwrap_or_default(), false);
                Some(groups.is_some())
            }
            "<" => Some(left < self.expand_single(world, &right_word, io).ok()?),
            ">" => Some(left > self.expand_single(world, &right_word, io).ok()?),
            _ => {
                let right = self.expand_single(world, &right_word, io).ok()?;
                let args = [left, op, right];
                Some(super::builtins::test_program_eval(self, world, &args))
            }
        }
    }
}

fn regex_escape(s: &str) -> String {
    s.chars().flat_map(|c| if "\\.+*?()|[]{}^$".contains(c) { vec!['\\', c] } else { vec![c] }).collect()
}

/// bash's menu for `select`: as many columns as `columns` hold, filled down first; each entry
/// `N) ITEM`, its number right-aligned (the first column's to the rows' count), the columns
/// reached with tabs (`print_select_list`).
fn select_menu(items: &[String], columns: usize) -> String {
    let digits = |n: usize| n.to_string().len();
    let widest = items.iter().map(|i| i.chars().count()).max().unwrap_or(0);
    let number_width = digits(items.len());
    let cell = widest + number_width + 2 + 2;
    let rows = items.len().div_ceil((columns / cell).max(1));
    // One row would be all across: bash lists them down instead.
    let rows = if rows == 1 { items.len() } else { rows };
    let first_width = digits(rows);
    let mut out = String::new();
    for row in 0..rows {
        let (mut k, mut pos) = (row, 0);
        loop {
            let width = if pos == 0 { first_width } else { number_width };
            let item = &items[k];
            out.push_str(&format!("{:>width$}) {item}", k + 1));
            let used = item.chars().count() + width + 2;
            k += rows;
            if k >= items.len() {
                break;
            }
            // bash's `indent`: tabs while a stop is on the way, then spaces.
            crate::userland::tabstops::pad_to(&mut out, pos + used, pos + cell);
            pos += cell;
        }
        out.push('\n');
    }
    out
}

/// Whether a script holds a `select` loop, which busybox sh and dash do not know: theirs is
/// a syntax error at its `do`.
pub(super) fn has_select(list: &List) -> bool {
    fn in_command(c: &Command) -> bool {
        match c {
            Command::Select { .. } => true,
            Command::Simple(_) | Command::Arith { .. } | Command::Cond { .. } => false,
            Command::If { branches, otherwise, .. } => {
                branches.iter().any(|(c, b)| has_select(c) || has_select(b)) || otherwise.as_ref().is_some_and(has_select)
            }
            Command::For { body, .. } | Command::ArithFor { body, .. } | Command::Group { body, .. } | Command::Subshell { body, .. } => {
                has_select(body)
            }
            Command::While { cond, body, .. } => has_select(cond) || has_select(body),
            Command::Case { arms, .. } => arms.iter().any(|(_, b)| has_select(b)),
            Command::Function { body, .. } => in_command(body),
        }
    }
    list.items
        .iter()
        .any(|(ao, _)| std::iter::once(&ao.first).chain(ao.rest.iter().map(|(_, p)| p)).any(|p| p.commands.iter().any(in_command)))
}
