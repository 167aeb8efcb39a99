//! A small Python 3.9 front end: the statements and expressions learners' scripts use
//! (prints, assignments, files, logging, loops, functions, a Flask route or two).

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Str(String),
    /// An f-string: literal text and `{expression}` parts.
    FStr(Vec<FPart>),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    Name(String),
    Attr(Box<Expr>, String),
    Call(Box<Expr>, Vec<Expr>, Vec<(String, Expr)>),
    Index(Box<Expr>, Box<Expr>),
    List(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    Unary(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum FPart {
    Text(String),
    Expr(Expr),
}

/// A statement and the line it starts on (1-based).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub line: usize,
    pub stmt: Stmt,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Expr(Expr),
    Assign(Expr, Expr),
    AugAssign(Expr, &'static str, Expr),
    Import(Vec<(String, String)>),
    FromImport(String, Vec<(String, String)>),
    Pass,
    Break,
    Continue,
    Return(Option<Expr>),
    Global,
    If(Vec<(Expr, Vec<Node>)>, Vec<Node>),
    While(Expr, Vec<Node>),
    For(String, Expr, Vec<Node>),
    With(Expr, Option<String>, Vec<Node>),
    Def { name: String, params: Vec<String>, body: Vec<Node>, decorators: Vec<Expr> },
    Try(Vec<Node>, Vec<(Option<String>, Option<String>, Vec<Node>)>),
}

/// Where the source cannot be parsed: Python's SyntaxError.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub line: usize,
    /// 0-based column of the caret.
    pub column: usize,
    pub message: String,
}

// ---------------------------------------------------------------------------- tokens

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Name(String),
    Str(String),
    FStr(String),
    Int(i64),
    Float(f64),
    Op(&'static str),
}

const OPS: [&str; 28] = [
    "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "->", "+", "-", "*", "/", "%", "<", ">", "=", "(", ")", "[", "]", "{", "}",
    ",", ":", ".",
];

fn tokenize(text: &str, line: usize) -> Result<Vec<(Tok, usize)>, SyntaxError> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let err = |column: usize, message: &str| SyntaxError { line, column, message: message.into() };
    while i < chars.len() {
        let c = chars[i];
        if c == ' ' || c == '\t' {
            i += 1;
            continue;
        }
        if c == '#' {
            break;
        }
        let start = i;
        let prefix_f = (c == 'f' || c == 'F') && matches!(chars.get(i + 1), Some('\'' | '"'));
        let prefix_other = matches!(c, 'r' | 'b' | 'u' | 'R' | 'B' | 'U') && matches!(chars.get(i + 1), Some('\'' | '"'));
        if c == '\'' || c == '"' || prefix_f || prefix_other {
            if prefix_f || prefix_other {
                i += 1;
            }
            let quote = chars[i];
            i += 1;
            let mut s = String::new();
            loop {
                match chars.get(i) {
                    None => return Err(err(start, "EOL while scanning string literal")),
                    Some(&q) if q == quote => break,
                    Some('\\') if !(prefix_other && matches!(c, 'r' | 'R')) => {
                        i += 1;
                        match chars.get(i) {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some('\\') => s.push('\\'),
                            Some('\'') => s.push('\''),
                            Some('"') => s.push('"'),
                            Some('0') => s.push('\0'),
                            Some(o) => {
                                s.push('\\');
                                s.push(*o);
                            }
                            None => return Err(err(start, "EOL while scanning string literal")),
                        }
                    }
                    Some(ch) => s.push(*ch),
                }
                i += 1;
            }
            i += 1;
            toks.push((if prefix_f { Tok::FStr(s) } else { Tok::Str(s) }, start));
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.' || chars[i] == '_') {
                i += 1;
            }
            let text: String = chars[start..i].iter().filter(|c| **c != '_').collect();
            let tok = if text.contains('.') || text.contains('e') {
                text.parse().map(Tok::Float).map_err(|_| err(start, "invalid syntax"))?
            } else {
                text.parse().map(Tok::Int).map_err(|_| err(start, "invalid syntax"))?
            };
            toks.push((tok, start));
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            toks.push((Tok::Name(chars[start..i].iter().collect()), start));
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
        match OPS.iter().find(|op| rest.starts_with(**op)) {
            Some(op) => {
                toks.push((Tok::Op(op), start));
                i += op.len();
            }
            None if c == '@' => {
                toks.push((Tok::Op("@"), start));
                i += 1;
            }
            None => return Err(err(start, "invalid syntax")),
        }
    }
    Ok(toks)
}

// ---------------------------------------------------------------------------- expressions

/// A call's positional and keyword arguments.
type Arguments = (Vec<Expr>, Vec<(String, Expr)>);

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    line: usize,
    /// Column just past the end of the line, for errors at the end.
    end: usize,
}

impl Parser {
    fn new(text: &str, line: usize) -> Result<Parser, SyntaxError> {
        Ok(Parser { toks: tokenize(text, line)?, pos: 0, line, end: text.trim_end().chars().count() })
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn column(&self) -> usize {
        self.toks.get(self.pos).map(|(_, c)| *c).unwrap_or(self.end)
    }

    fn error(&self) -> SyntaxError {
        SyntaxError { line: self.line, column: self.column(), message: "invalid syntax".into() }
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    fn is_name(&self, name: &str) -> bool {
        matches!(self.peek(), Some(Tok::Name(n)) if n == name)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<(), SyntaxError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn name(&mut self) -> Result<String, SyntaxError> {
        match self.peek() {
            Some(Tok::Name(n)) if !is_keyword(n) => {
                let n = n.clone();
                self.pos += 1;
                Ok(n)
            }
            _ => Err(self.error()),
        }
    }

    fn done(&self) -> bool {
        self.pos >= self.toks.len()
    }

    fn expr(&mut self) -> Result<Expr, SyntaxError> {
        let e = self.or()?;
        if self.is_name("if") {
            // `a if cond else b`
            self.pos += 1;
            let cond = self.or()?;
            if !self.is_name("else") {
                return Err(self.error());
            }
            self.pos += 1;
            let other = self.expr()?;
            return Ok(Expr::Call(Box::new(Expr::Name("__ternary__".into())), vec![cond, e, other], Vec::new()));
        }
        Ok(e)
    }

    fn or(&mut self) -> Result<Expr, SyntaxError> {
        self.keyword_chain("or", Parser::and)
    }

    fn and(&mut self) -> Result<Expr, SyntaxError> {
        self.keyword_chain("and", Parser::not)
    }

    /// `operand (keyword operand)*`, left-associative (`a or b or c`).
    fn keyword_chain(&mut self, keyword: &'static str, operand: fn(&mut Parser) -> Result<Expr, SyntaxError>) -> Result<Expr, SyntaxError> {
        let mut e = operand(self)?;
        while self.is_name(keyword) {
            self.pos += 1;
            e = Expr::Binary(keyword, Box::new(e), Box::new(operand(self)?));
        }
        Ok(e)
    }

    fn not(&mut self) -> Result<Expr, SyntaxError> {
        if self.is_name("not") {
            self.pos += 1;
            return Ok(Expr::Unary("not", Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, SyntaxError> {
        let mut e = self.sum()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op(o)) if ["==", "!=", "<", ">", "<=", ">="].contains(o) => *o,
                Some(Tok::Name(n)) if n == "in" => "in",
                Some(Tok::Name(n)) if n == "is" => "is",
                Some(Tok::Name(n)) if n == "not" && matches!(self.toks.get(self.pos + 1), Some((Tok::Name(m), _)) if m == "in") => {
                    self.pos += 1;
                    "not in"
                }
                _ => return Ok(e),
            };
            self.pos += 1;
            let op = if op == "is" && self.is_name("not") {
                self.pos += 1;
                "is not"
            } else {
                op
            };
            e = Expr::Binary(op, Box::new(e), Box::new(self.sum()?));
        }
    }

    fn sum(&mut self) -> Result<Expr, SyntaxError> {
        let mut e = self.term()?;
        while let Some(Tok::Op(op @ ("+" | "-"))) = self.peek() {
            let op = *op;
            self.pos += 1;
            e = Expr::Binary(op, Box::new(e), Box::new(self.term()?));
        }
        Ok(e)
    }

    fn term(&mut self) -> Result<Expr, SyntaxError> {
        let mut e = self.unary()?;
        while let Some(Tok::Op(op @ ("*" | "/" | "//" | "%"))) = self.peek() {
            let op = *op;
            self.pos += 1;
            e = Expr::Binary(op, Box::new(e), Box::new(self.unary()?));
        }
        Ok(e)
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        if self.eat_op("-") {
            return Ok(Expr::Unary("-", Box::new(self.unary()?)));
        }
        if self.eat_op("+") {
            return self.unary();
        }
        let base = self.postfix()?;
        if self.eat_op("**") {
            return Ok(Expr::Binary("**", Box::new(base), Box::new(self.unary()?)));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> Result<Expr, SyntaxError> {
        let mut e = self.atom()?;
        loop {
            if self.eat_op(".") {
                let name = self.name()?;
                e = Expr::Attr(Box::new(e), name);
            } else if self.eat_op("(") {
                let (args, kwargs) = self.arguments()?;
                e = Expr::Call(Box::new(e), args, kwargs);
            } else if self.eat_op("[") {
                let index = self.expr()?;
                self.expect_op("]")?;
                e = Expr::Index(Box::new(e), Box::new(index));
            } else {
                return Ok(e);
            }
        }
    }

    fn arguments(&mut self) -> Result<Arguments, SyntaxError> {
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        while !self.eat_op(")") {
            if let (Some((Tok::Name(n), _)), Some((Tok::Op("="), _))) = (self.toks.get(self.pos), self.toks.get(self.pos + 1)) {
                let n = n.clone();
                self.pos += 2;
                kwargs.push((n, self.expr()?));
            } else {
                if !kwargs.is_empty() {
                    return Err(SyntaxError {
                        line: self.line,
                        column: self.column(),
                        message: "positional argument follows keyword argument".into(),
                    });
                }
                args.push(self.expr()?);
            }
            if !self.eat_op(",") {
                self.expect_op(")")?;
                break;
            }
        }
        Ok((args, kwargs))
    }

    fn atom(&mut self) -> Result<Expr, SyntaxError> {
        let Some((tok, column)) = self.toks.get(self.pos).cloned() else { return Err(self.error()) };
        self.pos += 1;
        match tok {
            Tok::Str(mut s) => {
                // Adjacent literals join.
                while let Some(Tok::Str(more)) = self.peek() {
                    s.push_str(more);
                    self.pos += 1;
                }
                Ok(Expr::Str(s))
            }
            Tok::FStr(s) => fstring(&s, self.line, column),
            Tok::Int(n) => Ok(Expr::Int(n)),
            Tok::Float(f) => Ok(Expr::Float(f)),
            Tok::Name(n) => match n.as_str() {
                "True" => Ok(Expr::Bool(true)),
                "False" => Ok(Expr::Bool(false)),
                "None" => Ok(Expr::None),
                _ if is_keyword(&n) => {
                    self.pos -= 1;
                    Err(self.error())
                }
                _ => Ok(Expr::Name(n)),
            },
            Tok::Op("(") => {
                let e = self.expr()?;
                self.expect_op(")")?;
                Ok(e)
            }
            Tok::Op("[") => {
                let mut items = Vec::new();
                while !self.eat_op("]") {
                    items.push(self.expr()?);
                    if !self.eat_op(",") {
                        self.expect_op("]")?;
                        break;
                    }
                }
                Ok(Expr::List(items))
            }
            Tok::Op("{") => {
                let mut items = Vec::new();
                while !self.eat_op("}") {
                    let k = self.expr()?;
                    self.expect_op(":")?;
                    items.push((k, self.expr()?));
                    if !self.eat_op(",") {
                        self.expect_op("}")?;
                        break;
                    }
                }
                Ok(Expr::Dict(items))
            }
            _ => {
                self.pos -= 1;
                Err(self.error())
            }
        }
    }
}

fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "and"
            | "as"
            | "assert"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

fn fstring(text: &str, line: usize, column: usize) -> Result<Expr, SyntaxError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut inner = String::new();
                let mut depth = 0;
                loop {
                    match chars.next() {
                        None => return Err(SyntaxError { line, column, message: "f-string: expecting '}'".into() }),
                        Some('}') if depth == 0 => break,
                        Some(ch) => {
                            if "([{".contains(ch) {
                                depth += 1;
                            } else if ")]}".contains(ch) {
                                depth -= 1;
                            }
                            inner.push(ch);
                        }
                    }
                }
                // Format specs and conversions (`:>5`, `!r`) are dropped: the value prints as str().
                let expr_text = inner.split(['!', ':']).next().unwrap_or("").to_string();
                if !literal.is_empty() {
                    parts.push(FPart::Text(std::mem::take(&mut literal)));
                }
                let mut p = Parser::new(&expr_text, line)?;
                let e = p.expr().map_err(|_| SyntaxError { line, column, message: "f-string: invalid syntax".into() })?;
                parts.push(FPart::Expr(e));
            }
            _ => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(FPart::Text(literal));
    }
    Ok(Expr::FStr(parts))
}

// ---------------------------------------------------------------------------- statements

/// A source line without its indentation and comment, with its number and indent.
struct Line {
    number: usize,
    indent: usize,
    text: String,
}

/// Parses a whole module (Python compiles everything before running anything).
pub fn parse_module(source: &str) -> Result<Vec<Node>, SyntaxError> {
    let mut lines: Vec<Line> = Vec::new();
    for (i, l) in source.lines().enumerate() {
        let trimmed = l.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = l.len() - trimmed.len();
        for statement in split_statements(trimmed.trim_end()) {
            lines.push(Line { number: i + 1, indent, text: statement });
        }
    }
    let mut pos = 0;
    if let Some(first) = lines.first() {
        if first.indent > 0 {
            return Err(SyntaxError { line: first.number, column: first.indent, message: "unexpected indent".into() });
        }
    }
    let body = block(&lines, &mut pos, 0)?;
    if let Some(l) = lines.get(pos) {
        return Err(SyntaxError {
            line: l.number,
            column: l.indent,
            message: "unindent does not match any outer indentation level".into(),
        });
    }
    Ok(body)
}

/// `a = 1; print(a)` → two statements (semicolons outside strings and brackets).
fn split_statements(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') => break,
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ';') if depth == 0 => {
                parts.push(text.get(start..i).unwrap_or_default().trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = text.get(start..).unwrap_or_default().trim();
    if !last.is_empty() || parts.is_empty() {
        parts.push(last.to_string());
    }
    parts.retain(|p| !p.is_empty());
    parts
}

fn block(lines: &[Line], pos: &mut usize, indent: usize) -> Result<Vec<Node>, SyntaxError> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut decorators = Vec::new();
    while let Some(l) = lines.get(*pos) {
        if l.indent < indent {
            break;
        }
        if l.indent > indent {
            return Err(SyntaxError { line: l.number, column: l.indent, message: "unexpected indent".into() });
        }
        *pos += 1;
        if let Some(rest) = l.text.strip_prefix('@') {
            let mut p = Parser::new(rest, l.number)?;
            decorators.push(p.expr()?);
            continue;
        }
        let (head, inline_body) = split_header(&l.text);
        if let Some(head) = head {
            let body = match inline_body {
                Some(simple) => vec![Node { line: l.number, stmt: simple_statement(&simple, l.number)? }],
                None => {
                    let inner = lines.get(*pos).filter(|n| n.indent > indent).map(|n| n.indent);
                    match inner {
                        Some(i) => block(lines, pos, i)?,
                        None => {
                            let (line, column) = lines.get(*pos).map(|n| (n.number, n.indent)).unwrap_or((l.number + 1, 0));
                            return Err(SyntaxError { line, column, message: "expected an indented block".into() });
                        }
                    }
                }
            };
            compound(&mut nodes, &head, body, l.number, std::mem::take(&mut decorators))?;
        } else {
            nodes.push(Node { line: l.number, stmt: simple_statement(&l.text, l.number)? });
        }
    }
    Ok(nodes)
}

/// `while x: body` → (`while x`, Some(`body`)); `while x:` → (`while x`, None); `x = 1` → (None, None).
fn split_header(text: &str) -> (Option<String>, Option<String>) {
    let keyword = text.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or("");
    if !matches!(keyword, "if" | "elif" | "else" | "while" | "for" | "with" | "def" | "try" | "except" | "finally" | "class") {
        return (None, None);
    }
    // The header's colon is the first one outside brackets and strings.
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ':') if depth == 0 => {
                let (head, colon_rest) = text.split_at_checked(i).unwrap_or((text, ""));
                let rest = colon_rest.strip_prefix(':').unwrap_or(colon_rest).trim();
                return (Some(head.to_string()), (!rest.is_empty()).then(|| rest.to_string()));
            }
            _ => {}
        }
    }
    (Some(text.to_string()), None)
}

fn compound(nodes: &mut Vec<Node>, head: &str, body: Vec<Node>, line: usize, decorators: Vec<Expr>) -> Result<(), SyntaxError> {
    let (keyword, rest) = head.split_once(char::is_whitespace).map(|(k, r)| (k, r.trim())).unwrap_or((head, ""));
    let err = |column: usize| SyntaxError { line, column, message: "invalid syntax".into() };
    if !head.ends_with(|c: char| c.is_alphanumeric() || ")]}'\"_".contains(c)) && keyword != "else" && keyword != "try" {
        return Err(err(head.len()));
    }
    let expr = |text: &str| -> Result<Expr, SyntaxError> {
        let mut p = Parser::new(text, line)?;
        let e = p.expr()?;
        if !p.done() {
            return Err(SyntaxError { line, column: keyword.len() + 1 + p.column(), message: "invalid syntax".into() });
        }
        Ok(e)
    };
    let stmt = match keyword {
        "if" => Stmt::If(vec![(expr(rest)?, body)], Vec::new()),
        "elif" | "else" => {
            let Some(Node { stmt: Stmt::If(branches, otherwise), .. }) = nodes.last_mut() else { return Err(err(0)) };
            if !otherwise.is_empty() {
                return Err(err(0));
            }
            if keyword == "elif" {
                branches.push((expr(rest)?, body));
            } else {
                *otherwise = body;
            }
            return Ok(());
        }
        "while" => Stmt::While(expr(rest)?, body),
        "for" => {
            let (var, iter) = rest.split_once(" in ").ok_or_else(|| err(head.len()))?;
            Stmt::For(var.trim().to_string(), expr(iter)?, body)
        }
        "with" => match rest.rsplit_once(" as ") {
            Some((e, name)) => Stmt::With(expr(e)?, Some(name.trim().to_string()), body),
            None => Stmt::With(expr(rest)?, None, body),
        },
        "def" => {
            let (name, params) = rest.split_once('(').ok_or_else(|| err(head.len()))?;
            let params = params.trim_end().strip_suffix(')').ok_or_else(|| err(head.len()))?;
            let params =
                params.split(',').map(|p| p.split(['=', ':']).next().unwrap_or("").trim().to_string()).filter(|p| !p.is_empty()).collect();
            Stmt::Def { name: name.trim().to_string(), params, body, decorators }
        }
        "try" => Stmt::Try(body, Vec::new()),
        "except" | "finally" => {
            let Some(Node { stmt: Stmt::Try(_, handlers), .. }) = nodes.last_mut() else { return Err(err(0)) };
            let (kind, name) = match rest.split_once(" as ") {
                Some((k, n)) => (Some(k.trim().to_string()), Some(n.trim().to_string())),
                None if rest.is_empty() => (None, None),
                None => (Some(rest.to_string()), None),
            };
            handlers.push((if keyword == "finally" { Some("finally".into()) } else { kind }, name, body));
            return Ok(());
        }
        _ => return Err(err(0)),
    };
    nodes.push(Node { line, stmt });
    Ok(())
}

fn simple_statement(text: &str, line: usize) -> Result<Stmt, SyntaxError> {
    let first = text.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or("");
    // What follows the first word (`return x` → ` x`).
    let after_first = text.strip_prefix(first).unwrap_or_default();
    match first {
        "pass" if text == "pass" => return Ok(Stmt::Pass),
        "break" if text == "break" => return Ok(Stmt::Break),
        "continue" if text == "continue" => return Ok(Stmt::Continue),
        "global" | "nonlocal" => return Ok(Stmt::Global),
        "return" => {
            let rest = after_first.trim();
            if rest.is_empty() {
                return Ok(Stmt::Return(None));
            }
            let mut p = Parser::new(rest, line)?;
            return Ok(Stmt::Return(Some(p.expr()?)));
        }
        "import" => {
            let names = after_first.split(',').map(alias).collect::<Option<Vec<_>>>();
            return names.map(Stmt::Import).ok_or(SyntaxError { line, column: text.len(), message: "invalid syntax".into() });
        }
        "from" => {
            let rest = after_first.trim();
            if let Some((module, names)) = rest.split_once(" import ") {
                let names = names.trim().trim_start_matches('(').trim_end_matches(')');
                if let Some(names) = names.split(',').map(alias).collect::<Option<Vec<_>>>() {
                    return Ok(Stmt::FromImport(module.trim().to_string(), names));
                }
            }
            return Err(SyntaxError { line, column: text.len(), message: "invalid syntax".into() });
        }
        "print" if !after_first.trim_start().starts_with('(') && !after_first.is_empty() && !after_first.trim_start().starts_with('=') => {
            let arg = after_first.trim();
            return Err(SyntaxError {
                line,
                column: 6,
                message: format!("Missing parentheses in call to 'print'. Did you mean print({arg})?"),
            });
        }
        _ => {}
    }
    let mut p = Parser::new(text, line)?;
    let target = p.expr()?;
    if p.done() {
        return Ok(Stmt::Expr(target));
    }
    for op in ["=", "+=", "-=", "*=", "/="] {
        if p.eat_op(op) {
            if !matches!(target, Expr::Name(_) | Expr::Attr(..) | Expr::Index(..)) {
                return Err(SyntaxError { line, column: 0, message: "cannot assign to expression".into() });
            }
            let value = p.expr()?;
            if !p.done() {
                return Err(p.error());
            }
            return Ok(match op {
                "=" => Stmt::Assign(target, value),
                "+=" => Stmt::AugAssign(target, "+", value),
                "-=" => Stmt::AugAssign(target, "-", value),
                "*=" => Stmt::AugAssign(target, "*", value),
                _ => Stmt::AugAssign(target, "/", value),
            });
        }
    }
    Err(p.error())
}

/// `os.path as p` → (`os.path`, `p`); `os` → (`os`, `os`).
fn alias(part: &str) -> Option<(String, String)> {
    let part = part.trim();
    if part.is_empty() {
        return None;
    }
    Some(match part.split_once(" as ") {
        Some((name, alias)) => (name.trim().to_string(), alias.trim().to_string()),
        None => (part.to_string(), part.split('.').next().unwrap_or(part).to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shapes_of_a_small_app() {
        let src = "import os\nfrom flask import Flask\napp = Flask(__name__)\n\n@app.route('/')\ndef hello():\n    return f'Hi {os.getenv(\"USER\", \"x\")}'\n\nif __name__ == '__main__':\n    app.run(host='0.0.0.0', port=5000)\nelse:\n    pass\n";
        let m = parse_module(src).expect("parses");
        assert_eq!(m.len(), 5);
        assert!(matches!(&m[3].stmt, Stmt::Def { name, decorators, .. } if name == "hello" && decorators.len() == 1));
        assert!(matches!(&m[4].stmt, Stmt::If(branches, otherwise) if branches.len() == 1 && otherwise.len() == 1));
    }

    #[test]
    fn python2_print_is_a_syntax_error_with_a_hint() {
        let e = parse_module("print 'hi'\n").unwrap_err();
        assert_eq!(e.message, "Missing parentheses in call to 'print'. Did you mean print('hi')?");
        assert_eq!(parse_module("x = (1,\n").unwrap_err().line, 1);
        assert_eq!(parse_module("if True:\nprint(1)\n").unwrap_err().message, "expected an indented block");
    }
}
