//! The parser's reading of `$…` and backquotes: parameters (`${name:-word}`, `${#name}`,
//! `${name%pattern}` …), command substitutions and arithmetic.

use super::super::ast::*;
use super::{ParseError, Parser};

impl Parser {
    pub(super) fn backquote(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let mut src = String::new();
        loop {
            match self.peek() {
                None => return Err(ParseError::UnterminatedQuote('`')),
                Some('`') => {
                    self.pos += 1;
                    return Ok(src);
                }
                Some('\\') if matches!(self.peek_at(1), Some('`' | '\\' | '$')) => {
                    src.push(self.peek_at(1).unwrap_or('\\'));
                    self.pos += 2;
                }
                Some(c) => {
                    src.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// `$...` at the cursor; `None` for a lone dollar sign.
    pub(super) fn dollar(&mut self, quoted: bool) -> Result<Option<Part>, ParseError> {
        let next = self.peek_at(1);
        match next {
            Some('(') => {
                if self.peek_at(2) == Some('(') {
                    self.pos += 3;
                    let src = self.balanced(2)?;
                    return Ok(Some(Part::Arith { source: src.trim_end_matches(')').to_string() }));
                }
                self.pos += 2;
                let src = self.balanced(1)?;
                Ok(Some(Part::Command { source: src, quoted }))
            }
            Some('{') => {
                self.pos += 2;
                let mut inner = String::new();
                let mut depth = 1;
                loop {
                    match self.peek() {
                        None => return Err(ParseError::UnterminatedQuote('}')),
                        Some('}') => {
                            depth -= 1;
                            self.pos += 1;
                            if depth == 0 {
                                break;
                            }
                            inner.push('}');
                        }
                        Some('{') => {
                            depth += 1;
                            inner.push('{');
                            self.pos += 1;
                        }
                        Some(c) => {
                            inner.push(c);
                            self.pos += 1;
                        }
                    }
                }
                let written = format!("${{{inner}}}");
                let (length, body) = match inner.strip_prefix('#') {
                    Some(rest) if !rest.is_empty() => (true, rest.to_string()),
                    _ => (false, inner),
                };
                // A special parameter is one character (`${#}`, `${?}`); a name runs on.
                let ident_end = |from: usize| {
                    body.get(from..)
                        .and_then(|b| b.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')))
                        .map_or(body.len(), |e| from + e)
                };
                let mut name_end = match body.chars().next() {
                    // `${!name[@]}`: an array's keys.
                    Some('!') if body.chars().nth(1).is_some_and(|c| c.is_ascii_alphabetic() || c == '_') => ident_end(1),
                    Some('?' | '@' | '*' | '#' | '$' | '!' | '-') => 1,
                    _ => ident_end(0),
                };
                // An array's subscript belongs to the name (`${a[1]}`, `${a[@]}`, `${m[$k]}`).
                if name_end > 0 && body.get(name_end..).is_some_and(|r| r.starts_with('[')) {
                    if let Some(close) = body.get(name_end..).and_then(|r| r.find(']')) {
                        name_end += close + 1;
                    }
                }
                let (name, rest) = body.split_at_checked(name_end).unwrap_or((&body, ""));
                if name.is_empty() && !body.starts_with('!') {
                    return Ok(Some(Part::BadSubstitution(written)));
                }
                let name = name.to_string();
                // The operand runs to the closing brace, blanks and all (`${x:?is required}`).
                let operand = |p: &Parser, w: &str| -> Result<Word, ParseError> {
                    let mut inner = Parser::new(w, p.depth);
                    let mut word = Word::new();
                    loop {
                        while let Some(c) = inner.peek().filter(|c| matches!(c, ' ' | '\t')) {
                            word.push(Part::Lit { text: c.to_string(), quoted: false });
                            inner.pos += 1;
                        }
                        match inner.word()? {
                            Some((w, _)) => word.extend(w),
                            None => {
                                let rest: String = inner.s.get(inner.pos..).unwrap_or_default().iter().collect();
                                if !rest.is_empty() {
                                    word.push(Part::Lit { text: rest, quoted: false });
                                }
                                break;
                            }
                        }
                    }
                    Ok(word)
                };
                // bash's slices, replacements and case changes.
                let edit = if let Some(after) = rest.strip_prefix(':').filter(|a| !a.starts_with(['-', '=', '+', '?'])) {
                    let (offset, length) = match after.split_once(':') {
                        Some((o, l)) => (o.to_string(), Some(l.to_string())),
                        None => (after.to_string(), None),
                    };
                    Some(Box::new(Edit::Slice { offset, length }))
                } else if let Some(after) = rest.strip_prefix('/') {
                    let (all, anchor, body) = match after.chars().next() {
                        Some('/') => (true, None, after.get(1..).unwrap_or("")),
                        Some(a @ ('#' | '%')) => (false, Some(a), after.get(1..).unwrap_or("")),
                        _ => (false, None, after),
                    };
                    // The pattern ends at the first `/` not escaped.
                    let mut escaped = false;
                    let cut = body.char_indices().find(|(_, c)| {
                        let end = *c == '/' && !escaped;
                        escaped = *c == '\\' && !escaped;
                        end
                    });
                    let (pattern, with) = match cut {
                        Some((at, _)) => (body.get(..at).unwrap_or(body), body.get(at + 1..).unwrap_or("")),
                        None => (body, ""),
                    };
                    Some(Box::new(Edit::Replace { all, anchor, pattern: operand(self, pattern)?, with: operand(self, with)? }))
                } else if rest.starts_with('^') || rest.starts_with(',') {
                    Some(Box::new(Edit::Case { upper: rest.starts_with('^'), all: rest.len() > 1 }))
                } else {
                    None
                };
                let rest = if edit.is_some() { "" } else { rest };
                let ops =
                    [("-", ParamOpKind::Default), ("=", ParamOpKind::Assign), ("+", ParamOpKind::Alternative), ("?", ParamOpKind::Error)];
                let (colon, after) = match rest.strip_prefix(':') {
                    Some(after) => (true, after),
                    None => (false, rest),
                };
                let op = match ops.iter().find_map(|(sign, kind)| after.strip_prefix(sign).map(|w| (*kind, w))) {
                    Some((kind, w)) => Some(Box::new(ParamOp { kind, colon, word: operand(self, w)? })),
                    None => None,
                };
                let trims = [("%%", Trim::LongSuffix), ("%", Trim::ShortSuffix), ("##", Trim::LongPrefix), ("#", Trim::ShortPrefix)];
                let trim = match trims.iter().find_map(|(op, t)| rest.strip_prefix(op).map(|w| (*t, w))) {
                    Some((t, w)) => Some((t, operand(self, w)?)),
                    None => None,
                };
                Ok(Some(Part::Param { name, quoted, op, length, trim, edit }))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                self.pos += 1;
                let mut name = String::new();
                while let Some(ch) = self.peek() {
                    if ch.is_ascii_alphanumeric() || ch == '_' {
                        name.push(ch);
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                Ok(Some(Part::Param { name, quoted, op: None, length: false, trim: None, edit: None }))
            }
            Some(c @ ('?' | '$' | '#' | '@' | '*' | '!' | '-' | '0'..='9')) => {
                self.pos += 2;
                Ok(Some(Part::Param { name: c.to_string(), quoted, op: None, length: false, trim: None, edit: None }))
            }
            _ => {
                self.pos += 1;
                Ok(None)
            }
        }
    }

    /// Reads up to the `)` that closes `depth` open parentheses, honouring quotes.
    pub(super) fn balanced(&mut self, depth: usize) -> Result<String, ParseError> {
        let mut depth = depth;
        let mut src = String::new();
        loop {
            match self.peek() {
                None => return Err(ParseError::UnterminatedQuote(')')),
                Some('(') => {
                    depth += 1;
                    src.push('(');
                    self.pos += 1;
                }
                Some(')') => {
                    depth -= 1;
                    self.pos += 1;
                    if depth == 0 {
                        return Ok(src);
                    }
                    src.push(')');
                }
                Some(q @ ('\'' | '"')) => {
                    src.push(q);
                    self.pos += 1;
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::UnterminatedQuote(q)),
                            Some(c) if c == q => {
                                src.push(c);
                                self.pos += 1;
                                break;
                            }
                            Some('\\') if q == '"' => {
                                src.push('\\');
                                if let Some(n) = self.peek_at(1) {
                                    src.push(n);
                                }
                                self.pos += 2;
                            }
                            Some(c) => {
                                src.push(c);
                                self.pos += 1;
                            }
                        }
                    }
                }
                Some(c) => {
                    src.push(c);
                    self.pos += 1;
                }
            }
        }
    }
}
