//! Parser: a port of Go's `text/template/parse/parse.go` (Go 1.21 grammar)
//! and the node types of `node.go`.

use std::fmt;

use crate::gofmt::{quote, unquote, unquote_char};
use crate::lex::{Item, ItemType, Lexer};
use crate::{ErrorKind, TemplateError};

/// Maximum nesting of parenthesized pipelines and control structures
/// together. Go allows 10000 parenthesized levels (1000 on wasm) and does
/// not bound control structures; the bound here keeps any input within the
/// 1 MiB stack of a wasm32 module, debug builds included.
pub(crate) const MAX_STACK_DEPTH: usize = 100;

/// A number literal (Go's `NumberNode`).
#[derive(Clone, Debug)]
pub(crate) struct Number {
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub int: i64,
    pub uint: u64,
    pub float: f64,
    pub text: String,
}

/// An operand of a command.
#[derive(Debug)]
pub(crate) enum Arg {
    Field { pos: usize, ident: Vec<String> },
    Variable { pos: usize, ident: Vec<String> },
    Identifier { pos: usize, name: String },
    Dot { pos: usize },
    Nil { pos: usize },
    Bool { pos: usize, val: bool },
    Number { pos: usize, num: Number },
    String { pos: usize, quoted: String, text: String },
    Pipe(Box<Pipe>),
    Chain { pos: usize, node: Box<Arg>, field: Vec<String> },
}

impl Arg {
    pub(crate) fn pos(&self) -> usize {
        match self {
            Arg::Field { pos, .. }
            | Arg::Variable { pos, .. }
            | Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::Number { pos, .. }
            | Arg::String { pos, .. }
            | Arg::Chain { pos, .. } => *pos,
            Arg::Pipe(p) => p.pos,
        }
    }
}

impl fmt::Display for Arg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Arg::Field { ident, .. } => {
                for id in ident {
                    write!(f, ".{}", id)?;
                }
                Ok(())
            }
            Arg::Variable { ident, .. } => f.write_str(&ident.join(".")),
            Arg::Identifier { name, .. } => f.write_str(name),
            Arg::Dot { .. } => f.write_str("."),
            Arg::Nil { .. } => f.write_str("nil"),
            Arg::Bool { val, .. } => write!(f, "{}", val),
            Arg::Number { num, .. } => f.write_str(&num.text),
            Arg::String { quoted, .. } => f.write_str(quoted),
            Arg::Pipe(p) => write!(f, "{}", p),
            Arg::Chain { node, field, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    write!(f, "({})", p)?;
                } else {
                    write!(f, "{}", node)?;
                }
                for id in field {
                    write!(f, ".{}", id)?;
                }
                Ok(())
            }
        }
    }
}

/// A command: an operand followed by arguments.
#[derive(Debug)]
pub(crate) struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            if let Arg::Pipe(p) = a {
                write!(f, "({})", p)?;
            } else {
                write!(f, "{}", a)?;
            }
        }
        Ok(())
    }
}

/// A declared variable (`$x` in `$x := ...`).
#[derive(Debug)]
pub(crate) struct Decl {
    pub name: String,
}

/// A pipeline with optional declarations.
#[derive(Debug)]
pub(crate) struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<Decl>,
    pub cmds: Vec<Command>,
}

impl fmt::Display for Pipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.decl.is_empty() {
            for (i, d) in self.decl.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                f.write_str(&d.name)?;
            }
            f.write_str(if self.is_assign { " = " } else { " := " })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{}", c)?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BranchKind {
    If,
    Range,
    With,
}

/// An `if`, `range` or `with`.
#[derive(Debug)]
pub(crate) struct Branch {
    pub kind: BranchKind,
    pub pos: usize,
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

/// A node of a template body.
#[derive(Debug)]
pub(crate) enum Node {
    Text { pos: usize, text: String },
    Action { pos: usize, pipe: Box<Pipe> },
    Branch(Box<Branch>),
    Template { pos: usize, name: String, pipe: Option<Box<Pipe>> },
    Break { pos: usize },
    Continue { pos: usize },
}

impl Node {
    pub(crate) fn pos(&self) -> usize {
        match self {
            Node::Text { pos, .. }
            | Node::Action { pos, .. }
            | Node::Template { pos, .. }
            | Node::Break { pos }
            | Node::Continue { pos } => *pos,
            Node::Branch(b) => b.pos,
        }
    }

    fn is_empty_tree(&self) -> bool {
        match self {
            Node::Text { text, .. } => text.trim_matches(is_go_space).is_empty(),
            _ => false,
        }
    }
}

fn is_go_space(c: char) -> bool {
    c.is_whitespace()
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Text { text, .. } => f.write_str(text),
            Node::Action { pipe, .. } => write!(f, "{{{{{}}}}}", pipe),
            Node::Branch(b) => {
                let Branch { kind, pipe, list, else_list, .. } = b.as_ref();
                let name = match kind {
                    BranchKind::If => "if",
                    BranchKind::Range => "range",
                    BranchKind::With => "with",
                };
                write!(f, "{{{{{} {}}}}}{}", name, pipe, list)?;
                if let Some(e) = else_list {
                    write!(f, "{{{{else}}}}{}", e)?;
                }
                f.write_str("{{end}}")
            }
            Node::Template { name, pipe, .. } => match pipe {
                None => write!(f, "{{{{template {}}}}}", quote(name)),
                Some(p) => write!(f, "{{{{template {} {}}}}}", quote(name), p),
            },
            Node::Break { .. } => f.write_str("{{break}}"),
            Node::Continue { .. } => f.write_str("{{continue}}"),
        }
    }
}

/// A sequence of nodes.
#[derive(Debug, Default)]
pub(crate) struct List {
    pub pos: usize,
    pub nodes: Vec<Node>,
}

impl List {
    fn is_empty_tree(&self) -> bool {
        self.nodes.iter().all(Node::is_empty_tree)
    }
}

impl fmt::Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for n in &self.nodes {
            write!(f, "{}", n)?;
        }
        Ok(())
    }
}

/// What `textOrAction` yields: a node, or an `{{end}}` / `{{else}}`.
enum Parsed {
    Node(Node),
    End,
    Else { pos: usize },
}

impl fmt::Display for Parsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Parsed::Node(n) => write!(f, "{}", n),
            Parsed::End => f.write_str("{{end}}"),
            Parsed::Else { .. } => f.write_str("{{else}}"),
        }
    }
}

type PResult<T> = Result<T, TemplateError>;

pub(crate) struct Parser<'s> {
    lex: Lexer<'s>,
    token: [Item; 3],
    peek_count: usize,
    vars: Vec<String>,
    action_line: usize,
    range_depth: usize,
    stack_depth: usize,
    is_function: &'s dyn Fn(&str) -> bool,
    /// Templates by name; the top-level template is named "".
    pub trees: Trees,
}

/// Templates by name: a handful at most, so a list (a map would bring its own copy of the
/// B-tree code into the WebAssembly build).
#[derive(Debug, Default)]
pub struct Trees(Vec<(String, List)>);

impl Trees {
    pub fn get(&self, name: &str) -> Option<&List> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, tree)| tree)
    }

    /// Adds the template `name`, or replaces the one of that name.
    fn insert(&mut self, name: String, tree: List) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = tree,
            None => self.0.push((name, tree)),
        }
    }
}

fn eof_item() -> Item {
    Item { typ: ItemType::Eof, pos: 0, val: String::new(), line: 1 }
}

impl<'s> Parser<'s> {
    pub(crate) fn new(text: &'s str, is_function: &'s dyn Fn(&str) -> bool) -> Self {
        Parser {
            lex: Lexer::new(text),
            token: [eof_item(), eof_item(), eof_item()],
            peek_count: 0,
            vars: vec!["$".to_string()],
            action_line: 0,
            range_depth: 0,
            stack_depth: 0,
            is_function,
            trees: Trees::default(),
        }
    }

    fn next(&mut self) -> Item {
        if self.peek_count > 0 {
            self.peek_count -= 1;
        } else {
            self.token[0] = self.lex.next_item();
        }
        self.token[self.peek_count].clone()
    }

    fn backup(&mut self) {
        self.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item) {
        self.token[1] = t1;
        self.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item, t1: Item) {
        self.token[1] = t1;
        self.token[2] = t2;
        self.peek_count = 3;
    }

    fn peek(&mut self) -> Item {
        if self.peek_count > 0 {
            return self.token[self.peek_count - 1].clone();
        }
        self.peek_count = 1;
        self.token[0] = self.lex.next_item();
        self.token[0].clone()
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let t = self.next();
            if t.typ != ItemType::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let t = self.next_non_space();
        self.backup();
        t
    }

    fn errorf<T>(&self, msg: String) -> PResult<T> {
        Err(TemplateError::new(ErrorKind::Parse, format!("template: :{}: {}", self.token[0].line, msg)))
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> PResult<Item> {
        let t = self.next_non_space();
        if t.typ != expected {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn unexpected<T>(&self, token: &Item, context: &str) -> PResult<T> {
        if token.typ == ItemType::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != token.line {
                // "unclosed action started at :1", not "... action in action ...".
                let started = format!(" started at :{}", self.action_line);
                extra = if token.val.ends_with(" action") { started } else { format!(" in action{}", started) };
            }
            return self.errorf(format!("{}{}", token, extra));
        }
        self.errorf(format!("unexpected {} in {}", token, context))
    }

    /// Parses the whole input (Go's `Tree.Parse` + `parse`).
    pub(crate) fn parse(mut self) -> PResult<Trees> {
        let mut root = List { pos: self.peek().pos, nodes: Vec::new() };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                if self.next_non_space().typ == ItemType::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed::Node(n) => root.nodes.push(n),
                other => return self.errorf(format!("unexpected {}", other)),
            }
        }
        self.add(String::new(), root)?;
        Ok(self.trees)
    }

    fn add(&mut self, name: String, root: List) -> PResult<()> {
        match self.trees.get(&name) {
            Some(existing) if !existing.is_empty_tree() => {
                if !root.is_empty_tree() {
                    return self.errorf(format!("template: multiple definition of template {}", quote(&name)));
                }
            }
            _ => {
                self.trees.insert(name, root);
            }
        }
        Ok(())
    }

    /// Runs `f` as the parse of a separate tree (`define`, `block`).
    fn in_new_tree<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let vars = std::mem::replace(&mut self.vars, vec!["$".to_string()]);
        let action_line = std::mem::replace(&mut self.action_line, 0);
        let range_depth = std::mem::replace(&mut self.range_depth, 0);
        let r = f(self);
        self.vars = vars;
        self.action_line = action_line;
        self.range_depth = range_depth;
        r
    }

    fn parse_definition(&mut self) -> PResult<()> {
        self.in_new_tree(|p| {
            let context = "define clause";
            let name = p.next_non_space();
            if name.typ != ItemType::String && name.typ != ItemType::RawString {
                return p.unexpected(&name, context);
            }
            let Ok(name) = unquote(&name.val) else {
                return p.errorf("invalid syntax".to_string());
            };
            p.expect(ItemType::RightDelim, context)?;
            let (list, end) = p.item_list()?;
            if !matches!(end, Parsed::End) {
                return p.errorf(format!("unexpected {} in {}", end, context));
            }
            p.add(name, list)
        })
    }

    fn item_list(&mut self) -> PResult<(List, Parsed)> {
        let mut list = List { pos: self.peek_non_space().pos, nodes: Vec::new() };
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                n @ (Parsed::End | Parsed::Else { .. }) => return Ok((list, n)),
                Parsed::Node(n) => list.nodes.push(n),
            }
        }
        self.errorf("unexpected EOF".to_string())
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Parsed::Node(Node::Text { pos: token.pos, text: token.val })),
            ItemType::LeftDelim => {
                if self.stack_depth >= MAX_STACK_DEPTH {
                    return self.errorf("max expression depth exceeded".to_string());
                }
                self.stack_depth += 1;
                self.action_line = token.line;
                let r = self.action();
                self.action_line = 0;
                self.stack_depth -= 1;
                r
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => return self.block_control().map(Parsed::Node),
            ItemType::Break => return self.break_control(token.pos, true),
            ItemType::Continue => return self.break_control(token.pos, false),
            ItemType::Else => return self.else_control(),
            ItemType::End => return self.end_control(),
            ItemType::If => return self.branch_control(BranchKind::If).map(Parsed::Node),
            ItemType::Range => return self.branch_control(BranchKind::Range).map(Parsed::Node),
            ItemType::Template => return self.template_control().map(Parsed::Node),
            ItemType::With => return self.branch_control(BranchKind::With).map(Parsed::Node),
            _ => {}
        }
        self.backup();
        let token = self.peek();
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Parsed::Node(Node::Action { pos: token.pos, pipe: Box::new(pipe) }))
    }

    fn break_control(&mut self, pos: usize, is_break: bool) -> PResult<Parsed> {
        let name = if is_break { "{{break}}" } else { "{{continue}}" };
        let token = self.next_non_space();
        if token.typ != ItemType::RightDelim {
            return self.unexpected(&token, name);
        }
        if self.range_depth == 0 {
            return self.errorf(format!("{} outside {{{{range}}}}", name));
        }
        Ok(Parsed::Node(if is_break { Node::Break { pos } } else { Node::Continue { pos } }))
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<Pipe> {
        let token = self.peek_non_space();
        let mut pipe = Pipe { pos: token.pos, is_assign: false, decl: Vec::new(), cmds: Vec::new() };
        // Are there declarations or assignments?
        loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            self.next();
            // Since space is a token, we need 3-token look-ahead here in the
            // worst case: in "$x foo" we need to read "foo" (as opposed to
            // ":=") to know that $x is an argument variable rather than a
            // declaration.
            let token_after_variable = self.peek();
            let next = self.peek_non_space();
            if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                pipe.is_assign = next.typ == ItemType::Assign;
                self.next_non_space();
                pipe.decl.push(Decl { name: v.val.clone() });
                self.vars.push(v.val);
            } else if next.typ == ItemType::Char && next.val == "," {
                self.next_non_space();
                pipe.decl.push(Decl { name: v.val.clone() });
                self.vars.push(v.val);
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().typ {
                        ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                            // second initialized variable in a range pipeline
                            continue;
                        }
                        _ => return self.errorf("range can only initialize variables".to_string()),
                    }
                }
                return self.errorf(format!("too many declarations in {}", context));
            } else if token_after_variable.typ == ItemType::Space {
                self.backup3(v, token_after_variable);
            } else {
                self.backup2(v);
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            if token.typ == end {
                self.check_pipeline(&pipe, context)?;
                return Ok(pipe);
            }
            match token.typ {
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {}", context));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if let Some(Arg::Bool { .. } | Arg::Dot { .. } | Arg::Nil { .. } | Arg::Number { .. } | Arg::String { .. }) = c.args.first() {
                return self.errorf(format!("non executable command in pipeline stage {}", i + 1));
            }
        }
        Ok(())
    }

    fn branch_control(&mut self, kind: BranchKind) -> PResult<Node> {
        let context = match kind {
            BranchKind::If => "if",
            BranchKind::Range => "range",
            BranchKind::With => "with",
        };
        let vars_len = self.vars.len();
        let r = self.parse_control(kind, context);
        self.vars.truncate(vars_len);
        Ok(Node::Branch(r?))
    }

    fn parse_control(&mut self, kind: BranchKind, context: &str) -> PResult<Box<Branch>> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if kind == BranchKind::Range {
            self.range_depth += 1;
        }
        let r = self.item_list();
        if kind == BranchKind::Range {
            self.range_depth -= 1;
        }
        let (list, next) = r?;
        let mut else_list = None;
        match next {
            Parsed::End => {}
            Parsed::Else { pos } => {
                // Special case for "else if": treat
                //	{{if a}}_{{else if b}}_{{end}}
                // as
                //	{{if a}}_{{else}}{{if b}}_{{end}}{{end}}.
                if kind == BranchKind::If && self.peek().typ == ItemType::If {
                    self.next(); // Consume the "if" token.
                    let inner = self.branch_control(BranchKind::If)?;
                    else_list = Some(List { pos, nodes: vec![inner] });
                } else {
                    let (l, next) = self.item_list()?;
                    if !matches!(next, Parsed::End) {
                        return self.errorf(format!("expected end; found {}", next));
                    }
                    else_list = Some(l);
                }
            }
            Parsed::Node(_) => {}
        }
        Ok(Box::new(Branch { kind, pos: pipe.pos, pipe, list, else_list }))
    }

    fn end_control(&mut self) -> PResult<Parsed> {
        self.expect(ItemType::RightDelim, "end")?;
        Ok(Parsed::End)
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        // Special case for "else if".
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If {
            // We see "{{else if ... " but in effect rewrite it to {{else}}{{if ... ".
            return Ok(Parsed::Else { pos: peek.pos });
        }
        let t = self.expect(ItemType::RightDelim, "else")?;
        Ok(Parsed::Else { pos: t.pos })
    }

    fn block_control(&mut self) -> PResult<Node> {
        let context = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, context)?;
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        let block_name = name.clone();
        self.in_new_tree(|p| {
            let (list, end) = p.item_list()?;
            if !matches!(end, Parsed::End) {
                return p.errorf(format!("unexpected {} in {}", end, context));
            }
            p.add(block_name, list)
        })?;
        Ok(Node::Template { pos: token.pos, name, pipe: Some(Box::new(pipe)) })
    }

    fn template_control(&mut self) -> PResult<Node> {
        let context = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, context)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(Box::new(self.pipeline(context, ItemType::RightDelim)?));
        }
        Ok(Node::Template { pos: token.pos, name, pipe })
    }

    fn parse_template_name(&self, token: &Item, context: &str) -> PResult<String> {
        match token.typ {
            ItemType::String | ItemType::RawString => match unquote(&token.val) {
                Ok(s) => Ok(s),
                Err(()) => self.errorf("invalid syntax".to_string()),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn command(&mut self) -> PResult<Command> {
        let mut cmd = Command { pos: self.peek_non_space().pos, args: Vec::new() };
        loop {
            self.peek_non_space(); // skip leading spaces.
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.errorf("empty command".to_string());
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let pos = self.peek().pos;
        let mut field = Vec::new();
        while self.peek().typ == ItemType::Field {
            let t = self.next();
            field.push(field_name(&t.val));
        }
        // Compatibility with Go's API: a field or variable followed by more
        // fields is extended; literals cannot be followed by fields.
        Ok(Some(match node {
            Arg::Field { mut ident, .. } => {
                ident.extend(field);
                Arg::Field { pos, ident }
            }
            Arg::Variable { mut ident, .. } => {
                ident.extend(field);
                Arg::Variable { pos, ident }
            }
            Arg::Bool { .. } | Arg::String { .. } | Arg::Number { .. } | Arg::Nil { .. } | Arg::Dot { .. } => {
                return self.errorf(format!("unexpected . after term {}", quote(&node.to_string())));
            }
            node => Arg::Chain { pos, node: Box::new(node), field },
        }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        let pos = token.pos;
        Ok(Some(match token.typ {
            ItemType::Identifier => {
                if !(self.is_function)(&token.val) {
                    return self.errorf(format!("function {} not defined", quote(&token.val)));
                }
                Arg::Identifier { pos, name: token.val }
            }
            ItemType::Dot => Arg::Dot { pos },
            ItemType::Nil => Arg::Nil { pos },
            ItemType::Variable => {
                if !self.vars.contains(&token.val) {
                    return self.errorf(format!("undefined variable {}", quote(&token.val)));
                }
                Arg::Variable { pos, ident: vec![token.val] }
            }
            ItemType::Field => Arg::Field { pos, ident: vec![field_name(&token.val)] },
            ItemType::Bool => Arg::Bool { pos, val: token.val == "true" },
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => match new_number(&token.val, token.typ) {
                Ok(num) => Arg::Number { pos, num },
                Err(msg) => return self.errorf(msg),
            },
            ItemType::LeftParen => {
                if self.stack_depth >= MAX_STACK_DEPTH {
                    return self.errorf("max expression depth exceeded".to_string());
                }
                self.stack_depth += 1;
                let r = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.stack_depth -= 1;
                Arg::Pipe(Box::new(r?))
            }
            ItemType::String | ItemType::RawString => match unquote(&token.val) {
                Ok(text) => Arg::String { pos, quoted: token.val, text },
                Err(()) => return self.errorf("invalid syntax".to_string()),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

/// The name of a field token: `.Name` without its dot.
fn field_name(token: &str) -> String {
    token.strip_prefix('.').unwrap_or(token).to_string()
}

// ---------------------------------------------------------------------------
// Numbers (Go's `newNumber` and the strconv parsing it relies on).

fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let b = if !b.is_empty() && (b[0] == b'-' || b[0] == b'+') { &b[1..] } else { b };
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1] | 0x20, b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = (b[1] | 0x20) == b'x';
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && (c | 0x20).is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `strconv.ParseUint(s, 0, 64)` (`signed == false`) or the magnitude part
/// of `strconv.ParseInt(s, 0, 64)`. Returns (negative, magnitude).
fn parse_integer(s: &str, signed: bool) -> Option<(bool, u64)> {
    let mut t = s;
    let mut neg = false;
    if signed {
        if let Some(r) = t.strip_prefix('+') {
            t = r;
        } else if let Some(r) = t.strip_prefix('-') {
            t = r;
            neg = true;
        }
    }
    if t.is_empty() {
        return None;
    }
    let (base, digits) = match t.strip_prefix('0') {
        Some(after0) if !after0.is_empty() => {
            let mut chars = after0.chars();
            match chars.next().map(|c| c.to_ascii_lowercase()) {
                Some('x') => (16, chars.as_str()),
                Some('o') => (8, chars.as_str()),
                Some('b') => (2, chars.as_str()),
                _ => (8, after0),
            }
        }
        _ => (10, t),
    };
    if digits.is_empty() && base != 8 {
        return None;
    }
    if t.contains('_') && !underscore_ok(t) {
        return None;
    }
    let mut v: u64 = 0;
    let mut any = false;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(base)? as u64;
        v = v.checked_mul(base as u64)?.checked_add(d)?;
        any = true;
    }
    if !any {
        return None;
    }
    Some((neg, v))
}

fn parse_int(s: &str) -> Option<i64> {
    let (neg, mag) = parse_integer(s, true)?;
    if neg {
        if mag <= i64::MAX as u64 + 1 {
            Some((mag as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else {
        i64::try_from(mag).ok()
    }
}

fn parse_uint(s: &str) -> Option<u64> {
    parse_integer(s, false).map(|(_, v)| v)
}

/// `strconv.ParseFloat(s, 64)` for the forms the lexer lets through.
fn parse_float(s: &str) -> Option<f64> {
    if s.contains('_') && !underscore_ok(s) {
        return None;
    }
    let clean: String = s.chars().filter(|&c| c != '_').collect();
    let (neg, body) = match clean.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, clean.strip_prefix('+').unwrap_or(&clean).to_string()),
    };
    let lower = body.to_ascii_lowercase();
    let v = if let Some(hex) = lower.strip_prefix("0x") {
        // Hexadecimal floating point: mantissa p exponent.
        let (mant, exp) = hex.split_once('p')?;
        let exp: i32 = exp.parse().ok()?;
        let (int_part, frac_part) = mant.split_once('.').unwrap_or((mant, ""));
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let mut m: f64 = 0.0;
        for c in int_part.chars().chain(frac_part.chars()) {
            m = m * 16.0 + c.to_digit(16)? as f64;
        }
        m * 2f64.powi(exp - 4 * frac_part.len() as i32)
    } else {
        if lower.is_empty() || !lower.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'+' | b'-')) {
            return None;
        }
        lower.parse::<f64>().ok()?
    };
    if !v.is_finite() {
        return None;
    }
    Some(if neg { -v } else { v })
}

/// Go's `parse.newNumber`. Complex constants are not supported.
fn new_number(text: &str, typ: ItemType) -> Result<Number, String> {
    let mut n = Number { is_int: false, is_uint: false, is_float: false, int: 0, uint: 0, float: 0.0, text: text.to_string() };
    match typ {
        ItemType::CharConstant => {
            let body = text.strip_prefix('\'').ok_or_else(|| "invalid syntax".to_string())?;
            let u = unquote_char(body, b'\'').map_err(|_| "invalid syntax".to_string())?;
            if u.tail != "'" {
                return Err(format!("malformed character constant: {}", text));
            }
            n.int = u.value as i64;
            n.is_int = true;
            n.uint = u.value as u64;
            n.is_uint = true;
            n.float = u.value as f64;
            n.is_float = true;
            return Ok(n);
        }
        ItemType::Complex => return Err(format!("illegal number syntax: {}", quote(text))),
        _ => {}
    }
    if text.ends_with('i') {
        return Err(format!("illegal number syntax: {}", quote(text)));
    }
    let u = parse_uint(text);
    if let Some(u) = u {
        n.is_uint = true;
        n.uint = u;
    }
    if let Some(i) = parse_int(text) {
        n.is_int = true;
        n.int = i;
        if i == 0 {
            n.is_uint = true;
            n.uint = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = n.uint as f64;
    } else if let Some(f) = parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", quote(text)));
        }
        n.is_float = true;
        n.float = f;
        const TWO63: f64 = 9_223_372_036_854_775_808.0;
        if !n.is_int && (-TWO63..TWO63).contains(&f) && (f as i64) as f64 == f {
            n.is_int = true;
            n.int = f as i64;
        }
        if !n.is_uint && (0.0..2.0 * TWO63).contains(&f) && (f as u64) as f64 == f {
            n.is_uint = true;
            n.uint = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", quote(text)));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Number {
        new_number(s, ItemType::Number).expect("number")
    }

    #[test]
    fn integer_forms() {
        assert_eq!(num("42").int, 42);
        assert_eq!(num("-7").int, -7);
        assert_eq!(num("0x1F").int, 31);
        assert_eq!(num("0o17").int, 15);
        assert_eq!(num("017").int, 15);
        assert_eq!(num("0b101").int, 5);
        assert_eq!(num("1_000").int, 1000);
        assert!(num("0").is_uint);
        assert!(!num("-1").is_uint);
    }

    #[test]
    fn float_forms() {
        let n = num("1.5");
        assert!(n.is_float && !n.is_int);
        assert_eq!(n.float, 1.5);
        let n = num("1e3");
        assert!(n.is_float && n.is_int);
        assert_eq!(n.int, 1000);
        assert_eq!(num("0x1p-2").float, 0.25);
        assert_eq!(num(".5").float, 0.5);
    }

    #[test]
    fn number_errors() {
        assert_eq!(
            new_number("99999999999999999999", ItemType::Number).err().as_deref(),
            Some("integer overflow: \"99999999999999999999\"")
        );
        assert_eq!(new_number("1_", ItemType::Number).err().as_deref(), Some("illegal number syntax: \"1_\""));
        assert_eq!(new_number(".", ItemType::Number).err().as_deref(), Some("illegal number syntax: \".\""));
    }

    #[test]
    fn char_constants() {
        assert_eq!(new_number("'a'", ItemType::CharConstant).map(|n| n.int).ok(), Some(97));
        assert_eq!(new_number("'\\n'", ItemType::CharConstant).map(|n| n.int).ok(), Some(10));
        assert_eq!(new_number("'ab'", ItemType::CharConstant).err().as_deref(), Some("malformed character constant: 'ab'"));
    }
}
