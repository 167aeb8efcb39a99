//! Running bash's own compound commands: `(( ))`, `for (( ; ; ))` and `[[ ]]`.

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
