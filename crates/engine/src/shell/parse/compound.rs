//! bash's own compound commands: `(( expression ))`, `for (( init; cond; step ))` and
//! `[[ expression ]]`.

use super::super::ast::*;
use super::{ParseError, Parser};

impl Parser {
    /// The text between `((` (at the current position) and its `))`, nested parentheses
    /// allowed; the position ends after it.
    fn double_parens(&mut self) -> Result<String, ParseError> {
        self.pos += 2;
        let mut depth = 0usize;
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else { return Err(ParseError::UnexpectedEof) };
            if c == ')' && depth == 0 && self.peek_at(1) == Some(')') {
                self.pos += 2;
                return Ok(text);
            }
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
            text.push(c);
            self.pos += 1;
        }
    }

    /// `(( expression ))`.
    pub(super) fn arith_command(&mut self) -> Result<Command, ParseError> {
        let source = self.double_parens()?;
        let redirs = self.redirs()?;
        Ok(Command::Arith { source, redirs })
    }

    /// `for (( init; cond; step )) do … done`, after `for`.
    pub(super) fn arith_for(&mut self) -> Result<Command, ParseError> {
        let text = self.double_parens()?;
        let parts: Vec<&str> = text.split(';').collect();
        let [init, cond, step] = parts.as_slice() else { return Err(ParseError::Unexpected("))".into())) };
        let (body, redirs) = self.loop_body()?;
        Ok(Command::ArithFor { init: init.trim().into(), cond: cond.trim().into(), step: step.trim().into(), body, redirs })
    }

    /// `[[ … ]]`: words and operators up to `]]`.
    pub(super) fn cond_command(&mut self) -> Result<Command, ParseError> {
        self.pos += 2;
        let mut tokens = Vec::new();
        let mut last_raw = String::new();
        loop {
            self.blanks(true);
            if self.starts("]]") {
                self.pos += 2;
                break;
            }
            if self.peek().is_none() {
                return Err(ParseError::UnexpectedEof);
            }
            if let Some(op) = ["&&", "||", "(", ")", "<", ">"].iter().find(|op| self.starts(op)) {
                tokens.push(CondToken::Op(op.to_string()));
                self.pos += op.chars().count();
                continue;
            }
            // A regular expression after `=~` runs to the next blank, parentheses and all.
            if last_raw == "=~" {
                last_raw.clear();
                let mut raw = String::new();
                while let Some(c) = self.peek().filter(|c| !c.is_whitespace()) {
                    raw.push(c);
                    self.pos += 1;
                }
                // Plain text (a `$` only as the end anchor) is taken as it is.
                let expands = raw.contains(['"', '\'', '\\'])
                    || raw.chars().zip(raw.chars().skip(1)).any(|(a, b)| a == '$' && (b.is_alphanumeric() || "_{(".contains(b)));
                if !expands {
                    tokens.push(CondToken::Word(vec![Part::Lit { text: raw, quoted: false }]));
                    continue;
                }
                self.pos -= raw.chars().count();
            }
            match self.word()? {
                Some((w, raw)) if raw == "!" => {
                    let _ = w;
                    tokens.push(CondToken::Op("!".into()));
                }
                Some((w, raw)) => {
                    last_raw = raw;
                    tokens.push(CondToken::Word(w));
                }
                None => return Err(ParseError::Unexpected(self.peek_token())),
            }
        }
        let redirs = self.redirs()?;
        Ok(Command::Cond { tokens, redirs })
    }
}
