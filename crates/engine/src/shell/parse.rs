//! A recursive-descent parser for the shell lines learners type (bash on the host, busybox
//! ash in containers): quoting, expansions, pipelines, `&&`/`||`, redirections, `if`, `for`,
//! `while`, groups and subshells.

use super::ast::*;

mod ansi_c;
mod compound;
mod dollar;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// A token where it cannot stand (`;`, `)`, `fi`…).
    Unexpected(String),
    /// The line ended inside a quote (`'`, `"` or `` ` ``) or `$(`.
    UnterminatedQuote(char),
    /// The line ended inside `if`/`for`/… .
    UnexpectedEof,
    /// Compound commands nested deeper than the simulator allows.
    TooDeep,
}

/// How deeply `( )`, `{ }`, `if`, `for` and `while` may nest in one line.
pub const MAX_NESTING: usize = 64;

const RESERVED_STOP: [&str; 9] = ["then", "elif", "else", "fi", "do", "done", "}", "esac", "in"];

pub fn parse(src: &str) -> Result<List, ParseError> {
    let mut p = Parser::new(src, 0);
    let list = p.list(&[])?;
    p.blanks(true);
    if p.pos < p.s.len() {
        let tok = p.peek_token();
        return Err(ParseError::Unexpected(tok));
    }
    Ok(list)
}

/// Whether `src` waits for more lines before it can run: a here-document whose delimiter
/// has not come yet (the terminal then prompts with `> `, as bash does).
pub fn needs_more(src: &str) -> bool {
    let mut p = Parser::new(src, 0);
    let _ = p.list(&[]);
    p.open_heredoc.is_some()
}

struct Parser {
    s: Vec<char>,
    pos: usize,
    depth: usize,
    /// The delimiter of a here-document the source ended inside.
    open_heredoc: Option<String>,
}

/// An unquoted here-document's body: `$` expansions and backquotes apply, a backslash escapes
/// only `$`, `` ` ``, `\\` and a newline, and quotes are ordinary characters.
fn heredoc_parts(body: &str) -> Result<Word, ParseError> {
    let mut p = Parser::new(body, 0);
    let mut parts = Vec::new();
    while let Some(c) = p.peek() {
        match c {
            '\\' => match p.peek_at(1) {
                Some(n @ ('$' | '`' | '\\')) => {
                    push_lit(&mut parts, n, true);
                    p.pos += 2;
                }
                Some('\n') => p.pos += 2,
                _ => {
                    push_lit(&mut parts, '\\', true);
                    p.pos += 1;
                }
            },
            '$' => match p.dollar(true)? {
                Some(part) => parts.push(part),
                None => push_lit(&mut parts, '$', true),
            },
            '`' => {
                let source = p.backquote()?;
                parts.push(Part::Command { source, quoted: true });
            }
            _ => {
                push_lit(&mut parts, c, true);
                p.pos += 1;
            }
        }
    }
    if parts.is_empty() {
        parts.push(Part::Lit { text: String::new(), quoted: true });
    }
    Ok(parts)
}

/// Appends a character to the word, joining the last literal of the same quoting.
fn push_lit(parts: &mut Word, c: char, quoted: bool) {
    if let Some(Part::Lit { text, quoted: q }) = parts.last_mut() {
        if *q == quoted {
            text.push(c);
            return;
        }
    }
    parts.push(Part::Lit { text: c.to_string(), quoted });
}

fn is_meta(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')')
}

impl Parser {
    fn new(src: &str, depth: usize) -> Parser {
        Parser { s: src.chars().collect(), pos: 0, depth, open_heredoc: None }
    }

    fn peek(&self) -> Option<char> {
        self.s.get(self.pos).copied()
    }
    fn peek_at(&self, n: usize) -> Option<char> {
        self.s.get(self.pos + n).copied()
    }
    fn starts(&self, t: &str) -> bool {
        t.chars().enumerate().all(|(i, c)| self.peek_at(i) == Some(c))
    }

    /// Skips blanks and comments; with `newlines`, newlines too.
    fn blanks(&mut self, newlines: bool) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || (newlines && c == '\n') {
                self.pos += 1;
            } else if c == '\\' && self.peek_at(1) == Some('\n') {
                self.pos += 2;
            } else if c == '#' {
                while let Some(c) = self.peek() {
                    if c == '\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token's text, for error messages.
    fn peek_token(&self) -> String {
        for op in ["&&", "||", ";;", ">>", "&>", ";", "&", "|", "(", ")", "<", ">"] {
            if self.starts(op) {
                return op.to_string();
            }
        }
        if self.peek() == Some('\n') {
            return "newline".into();
        }
        let mut t = String::new();
        let mut i = self.pos;
        while let Some(&c) = self.s.get(i) {
            if is_meta(c) {
                break;
            }
            t.push(c);
            i += 1;
        }
        t
    }

    /// The next word if it is an unquoted reserved word.
    fn peek_reserved(&self) -> Option<String> {
        let mut t = String::new();
        let mut i = self.pos;
        while let Some(&c) = self.s.get(i) {
            if is_meta(c) {
                break;
            }
            if !(c.is_ascii_alphabetic() || c == '{' || c == '}' || c == '!') {
                return None;
            }
            t.push(c);
            i += 1;
        }
        match t.as_str() {
            "if" | "then" | "elif" | "else" | "fi" | "for" | "select" | "in" | "do" | "done" | "while" | "until" | "{" | "}" | "!"
            | "case" | "esac" => Some(t),
            _ => None,
        }
    }

    fn eat_reserved(&mut self, word: &str) -> bool {
        if self.peek_reserved().as_deref() == Some(word) {
            self.pos += word.chars().count();
            true
        } else {
            false
        }
    }

    fn expect_reserved(&mut self, word: &str) -> Result<(), ParseError> {
        self.blanks(true);
        if self.eat_reserved(word) {
            Ok(())
        } else if self.pos >= self.s.len() {
            Err(ParseError::UnexpectedEof)
        } else {
            Err(ParseError::Unexpected(self.peek_token()))
        }
    }

    fn list(&mut self, stop: &[&str]) -> Result<List, ParseError> {
        let mut list = List::default();
        loop {
            self.blanks(true);
            match self.peek() {
                None => break,
                Some(')') => break,
                // `;;` ends a case arm's list.
                Some(';') if self.starts(";;") => break,
                _ => {}
            }
            if let Some(r) = self.peek_reserved() {
                if stop.contains(&r.as_str()) || RESERVED_STOP.contains(&r.as_str()) {
                    break;
                }
            }
            if matches!(self.peek(), Some(';' | '&' | '|')) {
                return Err(ParseError::Unexpected(self.peek_token()));
            }
            let start = self.pos;
            let item = self.and_or()?;
            let end = self.pos;
            self.blanks(false);
            let background = if self.peek() == Some('&') && !self.starts("&&") && !self.starts("&>") {
                self.pos += 1;
                true
            } else {
                if self.peek() == Some(';') && !self.starts(";;") {
                    self.pos += 1;
                }
                false
            };
            // Only a background job's text is ever shown (`jobs`).
            let text: String = if background { self.s.get(start..end).unwrap_or_default().iter().collect() } else { String::new() };
            list.texts.push(text.trim_end().to_string());
            list.items.push((item, background));
            self.blanks(false);
            if self.peek() == Some('\n') {
                self.pos += 1;
            }
        }
        Ok(list)
    }

    fn and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            self.blanks(false);
            let op = if self.starts("&&") {
                AndOrOp::And
            } else if self.starts("||") {
                AndOrOp::Or
            } else {
                break;
            };
            self.pos += 2;
            self.blanks(true);
            if self.peek().is_none() {
                return Err(ParseError::UnexpectedEof);
            }
            rest.push((op, self.pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn pipeline(&mut self) -> Result<Pipeline, ParseError> {
        self.blanks(false);
        let bang = self.eat_reserved("!");
        let mut commands = vec![self.command()?];
        loop {
            self.blanks(false);
            if self.peek() == Some('|') && !self.starts("||") {
                self.pos += 1;
                self.blanks(true);
                if self.peek().is_none() {
                    return Err(ParseError::UnexpectedEof);
                }
                commands.push(self.command()?);
            } else {
                break;
            }
        }
        Ok(Pipeline { bang, commands })
    }

    fn command(&mut self) -> Result<Command, ParseError> {
        self.depth += 1;
        let result = if self.depth > MAX_NESTING { Err(ParseError::TooDeep) } else { self.command_inner() };
        self.depth -= 1;
        result
    }

    fn command_inner(&mut self) -> Result<Command, ParseError> {
        self.blanks(false);
        if self.starts("((") {
            return self.arith_command();
        }
        if self.starts("[[") && matches!(self.peek_at(2), Some(' ' | '\t' | '\n')) {
            return self.cond_command();
        }
        if self.peek() == Some('(') {
            self.pos += 1;
            let body = self.list(&[])?;
            self.blanks(true);
            if self.peek() != Some(')') {
                return Err(if self.pos >= self.s.len() { ParseError::UnexpectedEof } else { ParseError::Unexpected(self.peek_token()) });
            }
            self.pos += 1;
            let redirs = self.redirs()?;
            return Ok(Command::Subshell { body, redirs });
        }
        match self.peek_reserved().as_deref() {
            Some("if") => {
                self.eat_reserved("if");
                let mut branches = Vec::new();
                let cond = self.list(&[])?;
                self.expect_reserved("then")?;
                let body = self.list(&[])?;
                branches.push((cond, body));
                let mut otherwise = None;
                loop {
                    self.blanks(true);
                    if self.eat_reserved("elif") {
                        let c = self.list(&[])?;
                        self.expect_reserved("then")?;
                        let b = self.list(&[])?;
                        branches.push((c, b));
                    } else if self.eat_reserved("else") {
                        otherwise = Some(self.list(&[])?);
                    } else {
                        self.expect_reserved("fi")?;
                        break;
                    }
                }
                let redirs = self.redirs()?;
                Ok(Command::If { branches, otherwise, redirs })
            }
            Some(kw @ ("for" | "select")) => {
                let select = kw == "select";
                self.eat_reserved(kw);
                self.blanks(false);
                if self.starts("((") && !select {
                    return self.arith_for();
                }
                let (w, raw) = self.word()?.ok_or(ParseError::UnexpectedEof)?;
                let _ = w;
                self.blanks(false);
                let words = if self.eat_reserved("in") {
                    let mut ws = Vec::new();
                    loop {
                        self.blanks(false);
                        if matches!(self.peek(), Some(';' | '\n') | None) {
                            break;
                        }
                        match self.word()? {
                            Some((w, _)) => ws.push(w),
                            None => break,
                        }
                    }
                    Some(ws)
                } else {
                    None
                };
                let (body, redirs) = self.loop_body()?;
                if select {
                    return Ok(Command::Select { var: raw, words, body, redirs });
                }
                Ok(Command::For { var: raw, words, body, redirs })
            }
            Some(kw @ ("while" | "until")) => {
                let until = kw == "until";
                self.eat_reserved(kw);
                let cond = self.list(&[])?;
                self.expect_reserved("do")?;
                let body = self.list(&[])?;
                self.expect_reserved("done")?;
                let redirs = self.redirs()?;
                Ok(Command::While { cond, body, until, redirs })
            }
            Some("case") => self.case(),
            Some("{") => {
                self.eat_reserved("{");
                let body = self.list(&[])?;
                self.expect_reserved("}")?;
                let redirs = self.redirs()?;
                Ok(Command::Group { body, redirs })
            }
            Some(r @ ("then" | "elif" | "else" | "fi" | "do" | "done" | "}" | "in" | "esac")) => Err(ParseError::Unexpected(r.to_string())),
            _ => self.simple(),
        }
    }

    /// A `for` loop's end: an optional `;` or newline, `do LIST done`, its redirections.
    fn loop_body(&mut self) -> Result<(List, Vec<Redir>), ParseError> {
        self.blanks(false);
        if matches!(self.peek(), Some(';' | '\n')) {
            self.pos += 1;
        }
        self.expect_reserved("do")?;
        let body = self.list(&[])?;
        self.expect_reserved("done")?;
        let redirs = self.redirs()?;
        Ok((body, redirs))
    }

    /// `case WORD in [(]PATTERN[|PATTERN]…) LIST ;; … esac`.
    fn case(&mut self) -> Result<Command, ParseError> {
        self.eat_reserved("case");
        self.blanks(false);
        let (word, _) = self.word()?.ok_or(ParseError::UnexpectedEof)?;
        self.blanks(true);
        self.expect_reserved("in")?;
        let mut arms = Vec::new();
        loop {
            self.blanks(true);
            if self.eat_reserved("esac") {
                break;
            }
            if self.peek() == Some('(') {
                self.pos += 1;
            }
            let mut patterns = Vec::new();
            loop {
                self.blanks(false);
                let (pattern, _) = self.word()?.ok_or_else(|| self.unexpected())?;
                patterns.push(pattern);
                self.blanks(false);
                match self.peek() {
                    Some('|') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected()),
                }
            }
            let body = self.list(&["esac"])?;
            self.blanks(true);
            if self.starts(";;") {
                self.pos += 2;
            }
            arms.push((patterns, body));
        }
        let redirs = self.redirs()?;
        Ok(Command::Case { word, arms, redirs })
    }

    /// The token here as an unexpected one, or the end of the input.
    fn unexpected(&self) -> ParseError {
        match self.peek() {
            None => ParseError::UnexpectedEof,
            Some(_) => ParseError::Unexpected(self.peek_token()),
        }
    }

    fn redirs(&mut self) -> Result<Vec<Redir>, ParseError> {
        let mut out = Vec::new();
        loop {
            self.blanks(false);
            match self.redir()? {
                Some(r) => out.push(r),
                None => break,
            }
        }
        Ok(out)
    }

    /// A redirection at the cursor, if there is one.
    fn redir(&mut self) -> Result<Option<Redir>, ParseError> {
        let start = self.pos;
        let mut fd: Option<u32> = None;
        let mut i = self.pos;
        while let Some(c) = self.s.get(i).filter(|c| c.is_ascii_digit()) {
            fd = Some(fd.unwrap_or(0).saturating_mul(10).saturating_add(c.to_digit(10).unwrap_or(0)));
            i += 1;
        }
        if !(matches!(self.s.get(i), Some('<' | '>')) || fd.is_none() && self.starts("&>")) {
            return Ok(None);
        }
        // `<(…)` and `>(…)` are words (process substitutions), not redirections.
        if fd.is_none() && (self.starts("<(") || self.starts(">(")) {
            return Ok(None);
        }
        self.pos = i;
        if self.starts("<<") {
            return self.here_document(fd.unwrap_or(0)).map(Some);
        }
        let op = if self.starts("&>>") {
            self.pos += 3;
            RedirOp::AppendErr
        } else if self.starts("&>") {
            self.pos += 2;
            RedirOp::OutErr
        } else if self.starts(">>") {
            self.pos += 2;
            RedirOp::Append
        } else if self.starts(">&") || self.starts("<&") {
            self.pos += 2;
            RedirOp::DupOut
        } else if self.starts(">|") {
            self.pos += 2;
            RedirOp::Out
        } else if self.starts(">") {
            self.pos += 1;
            RedirOp::Out
        } else {
            self.pos += 1;
            RedirOp::In
        };
        let default_fd = if matches!(op, RedirOp::In) || (self.s.get(start) == Some(&'<')) { 0 } else { 1 };
        self.blanks(false);
        let target = match self.word()? {
            Some((w, _)) => w,
            None => {
                return Err(if self.pos >= self.s.len() {
                    ParseError::Unexpected("newline".into())
                } else {
                    ParseError::Unexpected(self.peek_token())
                });
            }
        };
        Ok(Some(Redir { fd: fd.unwrap_or(default_fd), op, target }))
    }

    /// `<<<word`, `<<WORD` or `<<-WORD`, at the cursor. A here-document's body is the lines
    /// after the current one, up to the delimiter line; they are taken out of the source.
    fn here_document(&mut self, fd: u32) -> Result<Redir, ParseError> {
        if self.starts("<<<") {
            self.pos += 3;
            self.blanks(false);
            let Some((mut word, _)) = self.word()? else { return Err(ParseError::Unexpected("newline".into())) };
            word.push(Part::Lit { text: "\n".into(), quoted: true });
            return Ok(Redir { fd, op: RedirOp::HereDoc, target: word });
        }
        self.pos += 2;
        let strip_tabs = self.peek() == Some('-');
        if strip_tabs {
            self.pos += 1;
        }
        self.blanks(false);
        let Some((delimiter, _)) = self.word()? else { return Err(ParseError::Unexpected("newline".into())) };
        // A quoted delimiter (`'EOF'`, `"EOF"`, `\EOF`) keeps the body literal.
        let literal = delimiter.iter().any(|p| matches!(p, Part::Lit { quoted: true, .. }));
        let delimiter: String = delimiter
            .iter()
            .map(|p| match p {
                Part::Lit { text, .. } => text.clone(),
                Part::Param { name, .. } => format!("${name}"),
                Part::Tilde(user) => format!("~{user}"),
                Part::Command { source, .. } => format!("$({source})"),
                Part::Arith { source } => format!("$(({source}))"),
                Part::BadSubstitution(written) => written.clone(),
                Part::ProcSubst { source } => format!("<({source})"),
                Part::ProcSubstOut { source } => format!(">({source})"),
            })
            .collect();
        let line_end = (self.pos..self.s.len()).find(|&i| self.s[i] == '\n');
        let mut body = String::new();
        let mut closed = false;
        let mut consumed = 0;
        if let Some(line_end) = line_end {
            let rest: String = self.s[line_end + 1..].iter().collect();
            for line in rest.split_inclusive('\n') {
                consumed += line.chars().count();
                let text = line.strip_suffix('\n').unwrap_or(line);
                let text = if strip_tabs { text.trim_start_matches('\t') } else { text };
                if text == delimiter {
                    closed = true;
                    break;
                }
                body.push_str(text);
                body.push('\n');
            }
            self.s.drain(line_end + 1..line_end + 1 + consumed);
        }
        if !closed {
            self.open_heredoc = Some(delimiter);
        }
        let target = if literal { vec![Part::Lit { text: body, quoted: true }] } else { heredoc_parts(&body)? };
        Ok(Redir { fd, op: RedirOp::HereDoc, target })
    }

    fn simple(&mut self) -> Result<Command, ParseError> {
        let mut cmd = Simple { assigns: Vec::new(), arrays: Vec::new(), words: Vec::new(), redirs: Vec::new() };
        loop {
            self.blanks(false);
            if let Some(r) = self.redir()? {
                cmd.redirs.push(r);
                continue;
            }
            match self.peek() {
                None => break,
                Some(c) if is_meta(c) && !self.starts("<(") && !self.starts(">(") => {
                    if c == '(' {
                        // `name() compound-command`: a function definition.
                        if let ([name], true, true) = (cmd.words.as_slice(), cmd.assigns.is_empty(), cmd.redirs.is_empty()) {
                            if let [Part::Lit { text, quoted: false }] = name.as_slice() {
                                let name = text.clone();
                                self.pos += 1;
                                self.blanks(false);
                                if self.peek() != Some(')') {
                                    let token = if self.pos >= self.s.len() { "newline".to_string() } else { self.peek_token() };
                                    return Err(ParseError::Unexpected(token));
                                }
                                self.pos += 1;
                                self.blanks(true);
                                let body = Box::new(self.command()?);
                                return Ok(Command::Function { name, body });
                            }
                        }
                        return Err(ParseError::Unexpected("(".into()));
                    }
                    break;
                }
                _ => {}
            }
            let Some((word, raw)) = self.word()? else { break };
            if cmd.words.is_empty() {
                if let Some((name, _)) = raw.split_once('=') {
                    if is_assignment_name(name) {
                        if let Some(Part::Lit { quoted: false, .. }) = word.first() {
                            // `name=(…)`: an array's words, up to the closing parenthesis.
                            if raw.ends_with('=') && self.peek() == Some('(') {
                                self.pos += 1;
                                let mut words = Vec::new();
                                loop {
                                    self.blanks(true);
                                    if self.peek() == Some(')') {
                                        self.pos += 1;
                                        break;
                                    }
                                    match self.word()? {
                                        Some((w, _)) => words.push(w),
                                        None => {
                                            return Err(if self.pos >= self.s.len() {
                                                ParseError::UnexpectedEof
                                            } else {
                                                ParseError::Unexpected(self.peek_token())
                                            })
                                        }
                                    }
                                }
                                cmd.arrays.push((name.to_string(), words));
                                continue;
                            }
                            let value = strip_prefix_chars(&word, name.chars().count() + 1);
                            cmd.assigns.push((name.to_string(), value));
                            continue;
                        }
                    }
                }
            }
            cmd.words.push(word);
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.arrays.is_empty() && cmd.redirs.is_empty() {
            return Err(if self.pos >= self.s.len() { ParseError::UnexpectedEof } else { ParseError::Unexpected(self.peek_token()) });
        }
        Ok(Command::Simple(cmd))
    }

    /// Reads one word; returns it with its raw source text.
    fn word(&mut self) -> Result<Option<(Word, String)>, ParseError> {
        let start = self.pos;
        let mut parts: Word = Vec::new();
        while let Some(c) = self.peek() {
            if self.starts("<(") || self.starts(">(") {
                let output = self.starts(">(");
                self.pos += 2;
                let source = self.balanced(1)?;
                parts.push(if output { Part::ProcSubstOut { source } } else { Part::ProcSubst { source } });
                continue;
            }
            if is_meta(c) {
                break;
            }
            match c {
                '\'' => {
                    self.pos += 1;
                    let mut text = String::new();
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::UnterminatedQuote('\'')),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(ch) => {
                                text.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                    if text.is_empty() {
                        parts.push(Part::Lit { text, quoted: true });
                    } else {
                        for ch in text.chars() {
                            push_lit(&mut parts, ch, true);
                        }
                    }
                }
                '"' => {
                    self.pos += 1;
                    let mut any = false;
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::UnterminatedQuote('"')),
                            Some('"') => {
                                self.pos += 1;
                                break;
                            }
                            Some('\\') => {
                                let next = self.peek_at(1);
                                match next {
                                    Some(n @ ('$' | '`' | '"' | '\\')) => {
                                        push_lit(&mut parts, n, true);
                                        self.pos += 2;
                                    }
                                    Some('\n') => self.pos += 2,
                                    _ => {
                                        push_lit(&mut parts, '\\', true);
                                        self.pos += 1;
                                    }
                                }
                                any = true;
                            }
                            Some('$') => {
                                if let Some(p) = self.dollar(true)? {
                                    parts.push(p);
                                } else {
                                    push_lit(&mut parts, '$', true);
                                }
                                any = true;
                            }
                            Some('`') => {
                                let src = self.backquote()?;
                                parts.push(Part::Command { source: src, quoted: true });
                                any = true;
                            }
                            Some(ch) => {
                                push_lit(&mut parts, ch, true);
                                self.pos += 1;
                                any = true;
                            }
                        }
                    }
                    if !any {
                        parts.push(Part::Lit { text: String::new(), quoted: true });
                    }
                }
                '\\' => match self.peek_at(1) {
                    Some('\n') => self.pos += 2,
                    Some(n) => {
                        push_lit(&mut parts, n, true);
                        self.pos += 2;
                    }
                    None => {
                        push_lit(&mut parts, '\\', false);
                        self.pos += 1;
                    }
                },
                '$' if self.peek_at(1) == Some('\'') => {
                    self.pos += 2;
                    let text = self.ansi_c_quoted()?;
                    if text.is_empty() {
                        parts.push(Part::Lit { text: String::new(), quoted: true });
                    }
                    for ch in text.chars() {
                        push_lit(&mut parts, ch, true);
                    }
                }
                '$' => {
                    if let Some(p) = self.dollar(false)? {
                        parts.push(p);
                    } else {
                        push_lit(&mut parts, '$', false);
                    }
                }
                '`' => {
                    let src = self.backquote()?;
                    parts.push(Part::Command { source: src, quoted: false });
                }
                '~' if self.pos == start => {
                    self.pos += 1;
                    let mut user = String::new();
                    while let Some(ch) = self.peek() {
                        if ch == '/' || is_meta(ch) || ch == ':' {
                            break;
                        }
                        if !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '-' || ch == '.') {
                            // Not a tilde prefix after all.
                            for u in format!("~{user}").chars() {
                                push_lit(&mut parts, u, false);
                            }
                            user.clear();
                            break;
                        }
                        user.push(ch);
                        self.pos += 1;
                    }
                    if parts.is_empty() {
                        parts.push(Part::Tilde(user));
                    }
                }
                _ => {
                    push_lit(&mut parts, c, false);
                    self.pos += 1;
                }
            }
        }
        if self.pos == start {
            return Ok(None);
        }
        let raw: String = self.s[start..self.pos].iter().collect();
        Ok(Some((parts, raw)))
    }
}

/// The word without its first `n` characters (for `NAME=value` words).
/// `name`, `name+` (for `+=`), `name[subscript]`: what may stand before `=` in an assignment.
fn is_assignment_name(name: &str) -> bool {
    let name = name.strip_suffix('+').unwrap_or(name);
    let base = match name.split_once('[') {
        Some((base, rest)) if rest.ends_with(']') => base,
        Some(_) => return false,
        None => name,
    };
    !base.is_empty() && base.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !base.starts_with(|c: char| c.is_ascii_digit())
}

fn strip_prefix_chars(word: &Word, n: usize) -> Word {
    let mut out = Vec::new();
    let mut skip = n;
    for p in word {
        if skip == 0 {
            out.push(p.clone());
            continue;
        }
        if let Part::Lit { text, quoted } = p {
            let len = text.chars().count();
            if len <= skip {
                skip -= len;
            } else {
                out.push(Part::Lit { text: text.chars().skip(skip).collect(), quoted: *quoted });
                skip = 0;
            }
        }
    }
    if out.is_empty() {
        out.push(Part::Lit { text: String::new(), quoted: true });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn simple_words(src: &str) -> Vec<Word> {
        let List { items, .. } = parse(src).expect("parses");
        match &items[0].0.first.commands[0] {
            Command::Simple(s) => s.words.clone(),
            other => panic!("not simple: {other:?}"),
        }
    }

    #[test]
    fn quotes_and_escapes() {
        let w = simple_words(r#"echo 'a b' "c $HOME" d\ e"#);
        assert_eq!(w.len(), 4);
        assert_eq!(w[1], vec![Part::Lit { text: "a b".into(), quoted: true }]);
        assert!(matches!(&w[2][1], Part::Param { name, quoted: true, .. } if name == "HOME"));
        assert_eq!(
            w[3],
            vec![
                Part::Lit { text: "d".into(), quoted: false },
                Part::Lit { text: " ".into(), quoted: true },
                Part::Lit { text: "e".into(), quoted: false }
            ]
        );
    }

    #[test]
    fn operators_and_redirections() {
        let l = parse("mkdir x && cd x; echo hi > f 2>&1 || true").expect("parses");
        assert_eq!(l.items.len(), 2);
        let Command::Simple(s) = &l.items[1].0.first.commands[0] else { panic!() };
        assert_eq!(s.redirs.len(), 2);
        assert_eq!(s.redirs[1].fd, 2);
        assert_eq!(s.redirs[1].op, RedirOp::DupOut);
    }

    #[test]
    fn command_substitution_nests() {
        let w = simple_words("ls $(docker inspect --format '{{.GraphDriver.Data.UpperDir}}' web)/etc");
        assert!(
            matches!(&w[1][0], Part::Command { source, .. } if source == "docker inspect --format '{{.GraphDriver.Data.UpperDir}}' web")
        );
    }

    #[test]
    fn compound_commands() {
        assert!(parse("if true; then echo a; else echo b; fi").is_ok());
        assert!(parse("for f in a b; do echo $f; done").is_ok());
        assert_eq!(parse("if true; then echo"), Err(ParseError::UnexpectedEof));
        assert_eq!(parse("echo 'oops"), Err(ParseError::UnterminatedQuote('\'')));
        assert_eq!(parse("; ls"), Err(ParseError::Unexpected(";".into())));
    }
}
