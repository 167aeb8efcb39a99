//! awk's grammar, by precedence: assignment, `?:`, `||`, `&&`, `in`, `~`, comparison,
//! concatenation, `+ -`, `* / %`, unary, `^`, `++ --`, `$`.

use super::lex::Tok;
use super::value::number_text;

#[derive(Clone, Debug)]
pub(super) enum Expr {
    Num(f64),
    Str(String),
    /// `/re/` alone: matches `$0`.
    Re(String),
    Var(String),
    Field(Box<Expr>),
    Index(String, Box<Expr>),
    Assign(&'static str, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Cmp(&'static str, Box<Expr>, Box<Expr>),
    Match(bool, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    /// `++x` / `x--`: (delta, prefix).
    Step(f64, bool, Box<Expr>),
    Call(String, Vec<Expr>),
    In(Box<Expr>, String),
    /// `getline [LVALUE] < FILE`: the next line of FILE into LVALUE (or `$0`); 1, 0 at its
    /// end, -1 when it cannot be read.
    Getline(Option<Box<Expr>>, Box<Expr>),
}

/// Where `print` and `printf` write: `> FILE` (truncated when first opened), `>> FILE`.
#[derive(Clone, Debug)]
pub(super) struct Output {
    pub(super) append: bool,
    pub(super) target: Expr,
}

#[derive(Clone, Debug)]
pub(super) enum Stmt {
    Print(Vec<Expr>, Option<Output>),
    Printf(Vec<Expr>, Option<Output>),
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    For(Option<Expr>, Option<Expr>, Option<Expr>, Box<Stmt>),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Delete(String, Option<Expr>),
    Next,
    Exit(Option<Expr>),
    Break,
    Continue,
}

/// A pattern and its action (`None`: print the record).
pub(super) type Item = (Pattern, Option<Vec<Stmt>>);

pub(super) enum Pattern {
    Begin,
    End,
    All,
    When(Expr),
}

/// The error mawk gives for a block left open (the caller names the line after the last).
pub(super) const MISSING_BRACE: &str = "missing } near end of file";

pub(super) struct Parser {
    pub(super) toks: Vec<Tok>,
    pub(super) at: usize,
    /// In a `print` list outside parentheses, where `>` redirects rather than compares.
    pub(super) in_print: bool,
}

impl Parser {
    pub(super) fn peek(&self) -> &Tok {
        self.toks.get(self.at).unwrap_or(&Tok::End)
    }
    pub(super) fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        self.at += 1;
        t
    }
    pub(super) fn is(&self, p: &str) -> bool {
        matches!(self.peek(), Tok::P(q) if *q == p)
    }
    pub(super) fn eat(&mut self, p: &str) -> bool {
        let yes = self.is(p);
        if yes {
            self.at += 1;
        }
        yes
    }
    pub(super) fn expect(&mut self, p: &str) -> Result<(), String> {
        if self.eat(p) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }
    pub(super) fn unexpected(&self) -> String {
        let near = match self.peek() {
            Tok::Num(n) => number_text(*n),
            Tok::Str(s) => format!("\"{s}\""),
            Tok::Re(r) => format!("/{r}/"),
            Tok::Name(n) => n.clone(),
            Tok::P(p) => p.to_string(),
            Tok::Newline => "end of line".into(),
            Tok::End => "end of file".into(),
        };
        format!("syntax error at or near {near}")
    }
    pub(super) fn newlines(&mut self) {
        while matches!(self.peek(), Tok::Newline) || self.is(";") {
            self.at += 1;
        }
    }

    pub(super) fn program(&mut self) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        self.newlines();
        while *self.peek() != Tok::End {
            let pattern = match self.peek() {
                Tok::Name(n) if n == "BEGIN" => {
                    self.at += 1;
                    Pattern::Begin
                }
                Tok::Name(n) if n == "END" => {
                    self.at += 1;
                    Pattern::End
                }
                Tok::P("{") => Pattern::All,
                _ => Pattern::When(self.expr()?),
            };
            let action = if self.is("{") { Some(self.block()?) } else { None };
            if action.is_none() && matches!(pattern, Pattern::Begin | Pattern::End) {
                return Err(self.unexpected());
            }
            items.push((pattern, action));
            self.newlines();
        }
        Ok(items)
    }

    pub(super) fn block(&mut self) -> Result<Vec<Stmt>, String> {
        self.expect("{")?;
        let mut out = Vec::new();
        self.newlines();
        while !self.is("}") {
            if *self.peek() == Tok::End {
                return Err(MISSING_BRACE.into());
            }
            out.push(self.stmt()?);
            self.newlines();
        }
        self.at += 1;
        Ok(out)
    }

    pub(super) fn simple_end(&mut self) -> Result<(), String> {
        if self.eat(";") || matches!(self.peek(), Tok::Newline) || self.is("}") || *self.peek() == Tok::End {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    pub(super) fn body(&mut self) -> Result<Box<Stmt>, String> {
        while matches!(self.peek(), Tok::Newline) {
            self.at += 1;
        }
        Ok(Box::new(self.stmt()?))
    }

    pub(super) fn stmt(&mut self) -> Result<Stmt, String> {
        if self.is("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        let Tok::Name(word) = self.peek().clone() else {
            let e = self.expr()?;
            self.simple_end()?;
            return Ok(Stmt::Expr(e));
        };
        let s = match word.as_str() {
            "print" | "printf" => {
                self.at += 1;
                let mut args = Vec::new();
                let grouped = self.is("(");
                let start = self.at;
                if !self.ends_print() {
                    if grouped {
                        // `print (a, b)`: the list in parentheses.
                        self.at += 1;
                        args.push(self.expr()?);
                        while self.eat(",") {
                            args.push(self.expr()?);
                        }
                        self.expect(")")?;
                        // `print (a) b` and `print (a) ? b : c` go on as one expression:
                        // read again as a list whose first term is `(a)`.
                        if args.len() == 1 && !self.ends_print() {
                            args.clear();
                            self.at = start;
                            self.print_list(&mut args)?;
                        }
                    } else {
                        self.print_list(&mut args)?;
                    }
                }
                // The file's name is an expression of its own (`> 0 ? "a" : "b"` names "b").
                let append = self.is(">>");
                let output = if self.eat(">") || self.eat(">>") {
                    Some(Output { append, target: self.in_print_context(Self::ternary)? })
                } else {
                    None
                };
                if word == "print" {
                    Stmt::Print(args, output)
                } else if args.is_empty() {
                    return Err(self.unexpected());
                } else {
                    Stmt::Printf(args, output)
                }
            }
            "if" => {
                self.at += 1;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                let then = self.body()?;
                let save = self.at;
                self.newlines();
                if matches!(self.peek(), Tok::Name(n) if n == "else") {
                    self.at += 1;
                    return Ok(Stmt::If(c, then, Some(self.body()?)));
                }
                self.at = save;
                return Ok(Stmt::If(c, then, None));
            }
            "while" => {
                self.at += 1;
                self.expect("(")?;
                let c = self.expr()?;
                self.expect(")")?;
                return Ok(Stmt::While(c, self.body()?));
            }
            "for" => {
                self.at += 1;
                self.expect("(")?;
                if let (Tok::Name(var), Tok::Name(kw), Tok::Name(arr), Tok::P(")")) = (
                    self.peek().clone(),
                    self.toks.get(self.at + 1).cloned().unwrap_or(Tok::End),
                    self.toks.get(self.at + 2).cloned().unwrap_or(Tok::End),
                    self.toks.get(self.at + 3).cloned().unwrap_or(Tok::End),
                ) {
                    if kw == "in" {
                        self.at += 4;
                        return Ok(Stmt::ForIn(var, arr, self.body()?));
                    }
                }
                let init = if self.is(";") { None } else { Some(self.expr()?) };
                self.expect(";")?;
                let cond = if self.is(";") { None } else { Some(self.expr()?) };
                self.expect(";")?;
                let step = if self.is(")") { None } else { Some(self.expr()?) };
                self.expect(")")?;
                return Ok(Stmt::For(init, cond, step, self.body()?));
            }
            "delete" => {
                self.at += 1;
                let Tok::Name(arr) = self.next() else { return Err(self.unexpected()) };
                let key = if self.eat("[") {
                    let k = self.subscript()?;
                    Some(k)
                } else {
                    None
                };
                Stmt::Delete(arr, key)
            }
            "next" => {
                self.at += 1;
                Stmt::Next
            }
            "break" => {
                self.at += 1;
                Stmt::Break
            }
            "continue" => {
                self.at += 1;
                Stmt::Continue
            }
            "exit" => {
                self.at += 1;
                let code =
                    if self.is(";") || self.is("}") || matches!(self.peek(), Tok::Newline | Tok::End) { None } else { Some(self.expr()?) };
                Stmt::Exit(code)
            }
            _ => Stmt::Expr(self.expr()?),
        };
        self.simple_end()?;
        Ok(s)
    }

    /// `[a, b]`: the keys joined by SUBSEP (after the `[`).
    pub(super) fn subscript(&mut self) -> Result<Expr, String> {
        let mut key = self.expr()?;
        while self.eat(",") {
            let next = self.expr()?;
            key = Expr::Concat(Box::new(Expr::Concat(Box::new(key), Box::new(Expr::Var("SUBSEP".into())))), Box::new(next));
        }
        self.expect("]")?;
        Ok(key)
    }

    pub(super) fn expr(&mut self) -> Result<Expr, String> {
        let left = self.ternary()?;
        for op in ["=", "+=", "-=", "*=", "/=", "%=", "^="] {
            if self.is(op) {
                if !matches!(left, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                    return Err(self.unexpected());
                }
                self.at += 1;
                let right = self.expr()?;
                return Ok(Expr::Assign(op, Box::new(left), Box::new(right)));
            }
        }
        Ok(left)
    }

    pub(super) fn ternary(&mut self) -> Result<Expr, String> {
        let c = self.or()?;
        if self.eat("?") {
            let a = self.ternary()?;
            self.expect(":")?;
            let b = self.ternary()?;
            return Ok(Expr::Cond(Box::new(c), Box::new(a), Box::new(b)));
        }
        Ok(c)
    }

    pub(super) fn or(&mut self) -> Result<Expr, String> {
        let mut l = self.and()?;
        while self.eat("||") {
            l = Expr::Or(Box::new(l), Box::new(self.and()?));
        }
        Ok(l)
    }

    pub(super) fn and(&mut self) -> Result<Expr, String> {
        let mut l = self.in_array()?;
        while self.eat("&&") {
            l = Expr::And(Box::new(l), Box::new(self.in_array()?));
        }
        Ok(l)
    }

    pub(super) fn in_array(&mut self) -> Result<Expr, String> {
        let mut l = self.matching()?;
        while matches!(self.peek(), Tok::Name(n) if n == "in") {
            self.at += 1;
            let Tok::Name(arr) = self.next() else { return Err(self.unexpected()) };
            l = Expr::In(Box::new(l), arr);
        }
        Ok(l)
    }

    pub(super) fn matching(&mut self) -> Result<Expr, String> {
        let mut l = self.comparison()?;
        loop {
            let negate = if self.eat("~") {
                false
            } else if self.eat("!~") {
                true
            } else {
                return Ok(l);
            };
            l = Expr::Match(negate, Box::new(l), Box::new(self.comparison()?));
        }
    }

    /// Whether a `print` statement's list ends here (the statement does, or its redirection
    /// begins).
    fn ends_print(&self) -> bool {
        self.is(";") || self.is("}") || self.is(">") || self.is(">>") || matches!(self.peek(), Tok::Newline | Tok::End)
    }

    /// A `print` list's expressions, separated by commas.
    fn print_list(&mut self, args: &mut Vec<Expr>) -> Result<(), String> {
        self.in_print_context(|this| {
            args.push(this.ternary()?);
            while this.eat(",") {
                args.push(this.ternary()?);
            }
            Ok(Expr::Num(0.0))
        })
        .map(|_| ())
    }

    /// Parses with `>` read as a redirection, not a comparison.
    fn in_print_context(&mut self, parse: impl FnOnce(&mut Self) -> Result<Expr, String>) -> Result<Expr, String> {
        let outer = std::mem::replace(&mut self.in_print, true);
        let parsed = parse(self);
        self.in_print = outer;
        parsed
    }

    pub(super) fn comparison(&mut self) -> Result<Expr, String> {
        let l = self.concatenation()?;
        for op in ["<=", ">=", "==", "!=", "<", ">"] {
            if op == ">" && self.in_print {
                continue;
            }
            if self.eat(op) {
                return Ok(Expr::Cmp(op, Box::new(l), Box::new(self.concatenation()?)));
            }
        }
        Ok(l)
    }

    pub(super) fn concatenation(&mut self) -> Result<Expr, String> {
        let first = self.additive()?;
        self.concat_from(first)
    }

    pub(super) fn concat_from(&mut self, mut l: Expr) -> Result<Expr, String> {
        // Juxtaposition: another operand follows (not `in`, not an operator).
        while match self.peek() {
            Tok::Num(_) | Tok::Str(_) | Tok::Re(_) => true,
            Tok::Name(n) => n != "in",
            Tok::P(p) => matches!(*p, "$" | "("),
            _ => false,
        } {
            l = Expr::Concat(Box::new(l), Box::new(self.additive()?));
        }
        Ok(l)
    }

    pub(super) fn additive(&mut self) -> Result<Expr, String> {
        let mut l = self.multiplicative()?;
        loop {
            let op = if self.eat("+") {
                "+"
            } else if self.eat("-") {
                "-"
            } else {
                return Ok(l);
            };
            l = Expr::Bin(op, Box::new(l), Box::new(self.multiplicative()?));
        }
    }

    pub(super) fn multiplicative(&mut self) -> Result<Expr, String> {
        let mut l = self.unary()?;
        loop {
            let op = if self.eat("*") {
                "*"
            } else if self.eat("/") {
                "/"
            } else if self.eat("%") {
                "%"
            } else {
                return Ok(l);
            };
            l = Expr::Bin(op, Box::new(l), Box::new(self.unary()?));
        }
    }

    pub(super) fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat("+") {
            return Ok(Expr::Bin("+", Box::new(Expr::Num(0.0)), Box::new(self.unary()?)));
        }
        self.power()
    }

    pub(super) fn power(&mut self) -> Result<Expr, String> {
        let base = self.postfix()?;
        if self.eat("^") {
            return Ok(Expr::Bin("^", Box::new(base), Box::new(self.unary()?)));
        }
        Ok(base)
    }

    pub(super) fn postfix(&mut self) -> Result<Expr, String> {
        for (op, delta) in [("++", 1.0), ("--", -1.0)] {
            if self.eat(op) {
                return Ok(Expr::Step(delta, true, Box::new(self.primary()?)));
            }
        }
        let e = self.primary()?;
        if matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            for (op, delta) in [("++", 1.0), ("--", -1.0)] {
                if self.eat(op) {
                    return Ok(Expr::Step(delta, false, Box::new(e)));
                }
            }
        }
        Ok(e)
    }

    pub(super) fn primary(&mut self) -> Result<Expr, String> {
        match self.next() {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Re(r) => Ok(Expr::Re(r)),
            Tok::P("$") => Ok(Expr::Field(Box::new(self.postfix_operand()?))),
            Tok::P("(") => {
                let in_print = std::mem::replace(&mut self.in_print, false);
                let e = self.expr();
                self.in_print = in_print;
                let e = e?;
                self.expect(")")?;
                Ok(e)
            }
            Tok::Name(n) if n == "getline" => {
                let into = match self.peek() {
                    Tok::Name(_) | Tok::P("$") => Some(Box::new(self.primary()?)),
                    _ => None,
                };
                if !self.eat("<") {
                    // Reading the main input from inside an action is not simulated.
                    return Err(self.unexpected());
                }
                Ok(Expr::Getline(into, Box::new(self.primary()?)))
            }
            Tok::Name(n) => {
                if self.is("(") && is_builtin(&n) {
                    self.at += 1;
                    let mut args = Vec::new();
                    if !self.is(")") {
                        args.push(self.expr()?);
                        while self.eat(",") {
                            args.push(self.expr()?);
                        }
                    }
                    self.expect(")")?;
                    return Ok(Expr::Call(n, args));
                }
                if n == "length" {
                    return Ok(Expr::Call(n, Vec::new()));
                }
                if self.eat("[") {
                    return Ok(Expr::Index(n, Box::new(self.subscript()?)));
                }
                Ok(Expr::Var(n))
            }
            _ => {
                self.at -= 1;
                Err(self.unexpected())
            }
        }
    }

    /// What `$` applies to: a number, a name, a parenthesized expression, or `$` again.
    pub(super) fn postfix_operand(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Tok::P("-") => {
                self.at += 1;
                Ok(Expr::Neg(Box::new(self.primary()?)))
            }
            Tok::P("++") | Tok::P("--") => self.postfix(),
            _ => self.primary(),
        }
    }
}

pub(super) fn is_builtin(name: &str) -> bool {
    matches!(name, "length" | "substr" | "index" | "split" | "sub" | "gsub" | "match" | "sprintf" | "tolower" | "toupper" | "int" | "close")
}
