//! Execution: a port of Go's `text/template/exec.go` over JSON values.

use std::borrow::Cow;
use std::rc::Rc;

use serde_json::{Map, Value as Json};

use crate::funcs::{self, Param};
use crate::gofmt::{quote, sprint_verb};
use crate::parse::{Arg, Branch, BranchKind, Command, List, Node, Number, Pipe, Trees};
use crate::value::{sorted_keys, Val};
use crate::{ErrorKind, MissingKey, Options, TemplateError};

/// Maximum depth of nested `{{template}}` calls. Go allows 100000 (1000 on
/// wasm); this bound keeps recursion within a wasm32 module's 1 MiB stack.
pub(crate) const MAX_EXEC_DEPTH: usize = 100;

type EResult<T> = Result<T, TemplateError>;

/// The node execution is at, for error messages.
#[derive(Clone, Copy)]
enum At<'t> {
    None,
    Node(&'t Node),
    List(&'t List),
    Pipe(&'t Pipe),
    Cmd(&'t Command),
    Arg(&'t Arg),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::None => 0,
            At::Node(n) => n.pos(),
            At::List(l) => l.pos,
            At::Pipe(p) => p.pos,
            At::Cmd(c) => c.pos,
            At::Arg(a) => a.pos(),
        }
    }

    fn context(&self) -> String {
        match self {
            At::None => String::new(),
            At::Node(n) => n.to_string(),
            At::List(l) => l.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Arg(a) => a.to_string(),
        }
    }
}

enum Flow {
    Normal,
    Break,
    Continue,
}

pub(crate) struct State<'t, 'a> {
    /// The data's top-level object (for [`Options::root_type`]).
    root: Option<&'a Map<String, Json>>,
    text: &'t str,
    trees: &'t Trees,
    opts: &'t Options,
    /// Name of the template being executed.
    name: &'t str,
    at: At<'t>,
    vars: Vec<(&'t str, Val<'a>)>,
    depth: usize,
    steps: u64,
    out: String,
}

/// Executes the template named "" of `trees` on `data`.
pub(crate) fn execute(text: &str, trees: &Trees, data: &Json, opts: &Options) -> Result<String, TemplateError> {
    let dot = Val::from_json(data);
    let root = data.as_object();
    let mut s =
        State { root, text, trees, opts, name: "", at: At::None, vars: vec![("$", dot.clone())], depth: 0, steps: 0, out: String::new() };
    let Some(root) = trees.get("") else {
        return Err(s.err("\"\" is an incomplete or empty template".to_string()));
    };
    s.walk_list(&dot, root)?;
    Ok(s.out)
}

fn is_hex_int(s: &str) -> bool {
    s.len() > 2 && (s.starts_with("0x") || s.starts_with("0X")) && !s.contains(['p', 'P'])
}

impl<'t, 'a> State<'t, 'a> {
    fn err(&self, msg: String) -> TemplateError {
        let message = match self.at {
            At::None => format!("template: {}: {}", self.name, msg),
            at => {
                let pos = at.pos();
                let before = self.text.get(..pos).unwrap_or(self.text);
                let line = 1 + before.matches('\n').count();
                let col = match before.rfind('\n') {
                    // Saturating: should `get` above ever fall back, the
                    // newline could lie past `pos`.
                    Some(i) => pos.saturating_sub(i + 1),
                    None => pos,
                };
                format!("template: :{}:{}: executing {} at <{}>: {}", line, col, quote(self.name), at.context(), msg)
            }
        };
        TemplateError::new(ErrorKind::Exec, message)
    }

    fn fail<T>(&self, msg: String) -> EResult<T> {
        Err(self.err(msg))
    }

    fn step(&mut self) -> EResult<()> {
        self.steps += 1;
        if self.steps > self.opts.max_steps {
            return self.fail(format!("execution stopped after {} steps", self.opts.max_steps));
        }
        Ok(())
    }

    fn write(&mut self, s: &str) -> EResult<()> {
        if self.out.len() + s.len() > self.opts.max_output {
            return self.fail(format!("output exceeds {} bytes", self.opts.max_output));
        }
        self.out.push_str(s);
        Ok(())
    }

    // -- variables ----------------------------------------------------------

    fn push(&mut self, name: &'t str, value: Val<'a>) {
        self.vars.push((name, value));
    }

    fn set_var(&mut self, name: &str, value: Val<'a>) -> EResult<()> {
        for v in self.vars.iter_mut().rev() {
            if v.0 == name {
                v.1 = value;
                return Ok(());
            }
        }
        self.fail(format!("undefined variable: {}", name))
    }

    fn set_top_var(&mut self, n: usize, value: Val<'a>) {
        let len = self.vars.len();
        if let Some(v) = len.checked_sub(n).and_then(|i| self.vars.get_mut(i)) {
            v.1 = value;
        }
    }

    fn var_value(&self, name: &str) -> EResult<Val<'a>> {
        for v in self.vars.iter().rev() {
            if v.0 == name {
                return Ok(v.1.clone());
            }
        }
        self.fail(format!("undefined variable: {}", name))
    }

    // -- walking ------------------------------------------------------------

    fn walk_list(&mut self, dot: &Val<'a>, list: &'t List) -> EResult<Flow> {
        self.at = At::List(list);
        for n in &list.nodes {
            match self.walk(dot, n)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Val<'a>, node: &'t Node) -> EResult<Flow> {
        self.step()?;
        self.at = At::Node(node);
        match node {
            Node::Text { text, .. } => self.write(text)?,
            Node::Action { pipe, .. } => {
                let val = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at = At::Node(node);
                    let s = match val {
                        Val::Invalid => "<no value>".to_string(),
                        v => sprint_verb(&v, 'v'),
                    };
                    self.write(&s)?;
                }
            }
            Node::Branch(b) if b.kind == BranchKind::Range => return self.walk_range(dot, node, &b.pipe, &b.list, b.else_list.as_ref()),
            Node::Branch(b) => {
                let Branch { kind, pipe, list, else_list, .. } = b.as_ref();
                let mark = self.vars.len();
                let val = self.eval_pipeline(dot, pipe)?;
                let r = if val.is_true() {
                    if *kind == BranchKind::With {
                        self.walk_list(&val, list)
                    } else {
                        self.walk_list(dot, list)
                    }
                } else if let Some(e) = else_list {
                    self.walk_list(dot, e)
                } else {
                    Ok(Flow::Normal)
                };
                self.vars.truncate(mark);
                return r;
            }
            Node::Template { name, pipe, .. } => self.walk_template(dot, node, name, pipe.as_deref())?,
            Node::Break { .. } => return Ok(Flow::Break),
            Node::Continue { .. } => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn one_iteration(&mut self, pipe: &'t Pipe, list: &'t List, mark: usize, index: Val<'a>, elem: Val<'a>) -> EResult<Flow> {
        self.step()?;
        if let Some(first) = pipe.decl.first() {
            if pipe.is_assign {
                // With two variables, index comes first. With one, we use the element.
                if pipe.decl.len() > 1 {
                    self.set_var(&first.name, index.clone())?;
                } else {
                    self.set_var(&first.name, elem.clone())?;
                }
            } else {
                // Set top var (lexically the second if there are two) to the element.
                self.set_top_var(1, elem.clone());
            }
        }
        if let Some(second) = pipe.decl.get(1) {
            if pipe.is_assign {
                self.set_var(&second.name, elem.clone())?;
            } else {
                // Set next var (lexically the first if there are two) to the index.
                self.set_top_var(2, index);
            }
        }
        let r = self.walk_list(&elem, list);
        self.vars.truncate(mark);
        r
    }

    fn walk_range(&mut self, dot: &Val<'a>, node: &'t Node, pipe: &'t Pipe, list: &'t List, else_list: Option<&'t List>) -> EResult<Flow> {
        self.at = At::Node(node);
        let mark0 = self.vars.len();
        let val = self.eval_pipeline(dot, pipe)?;
        let mark = self.vars.len();
        let mut ran = false;
        match &val {
            Val::Arr(a) => {
                for (i, e) in a.iter().enumerate() {
                    ran = true;
                    if let Flow::Break = self.one_iteration(pipe, list, mark, Val::Int(i as i64), Val::from_json(e))? {
                        break;
                    }
                }
            }
            Val::Strs(s) => {
                for (i, e) in s.iter().enumerate() {
                    ran = true;
                    let elem = Val::Str(Cow::Owned(e.clone()));
                    if let Flow::Break = self.one_iteration(pipe, list, mark, Val::Int(i as i64), elem)? {
                        break;
                    }
                }
            }
            Val::Obj(m) => {
                for k in sorted_keys(m) {
                    ran = true;
                    let elem = m.get(k.as_str()).map(Val::from_json).unwrap_or(Val::Invalid);
                    let key = Val::Str(Cow::Borrowed(k.as_str()));
                    if let Flow::Break = self.one_iteration(pipe, list, mark, key, elem)? {
                        break;
                    }
                }
            }
            // A nil value acts like an empty collection.
            Val::Invalid | Val::Nil => {}
            other => {
                return self.fail(format!("range can't iterate over {}", sprint_verb(other, 'v')));
            }
        }
        let r = if ran {
            Ok(Flow::Normal)
        } else if let Some(e) = else_list {
            self.walk_list(dot, e)
        } else {
            Ok(Flow::Normal)
        };
        self.vars.truncate(mark0);
        r
    }

    fn walk_template(&mut self, dot: &Val<'a>, node: &'t Node, name: &'t str, pipe: Option<&'t Pipe>) -> EResult<()> {
        self.at = At::Node(node);
        let Some(tree) = self.trees.get(name) else {
            return self.fail(format!("template {} not defined", quote(name)));
        };
        if self.depth >= MAX_EXEC_DEPTH {
            return self.fail(format!("exceeded maximum template depth ({})", MAX_EXEC_DEPTH));
        }
        let dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Val::Invalid,
        };
        let vars = std::mem::replace(&mut self.vars, vec![("$", dot.clone())]);
        let old_name = std::mem::replace(&mut self.name, name);
        self.depth += 1;
        let r = self.walk_list(&dot, tree);
        self.depth -= 1;
        self.name = old_name;
        self.vars = vars;
        r.map(|_| ())
    }

    // -- evaluation ---------------------------------------------------------

    fn eval_pipeline(&mut self, dot: &Val<'a>, pipe: &'t Pipe) -> EResult<Val<'a>> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Val<'a>> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(dot, cmd, value)?);
        }
        let value = value.unwrap_or(Val::Invalid);
        for d in &pipe.decl {
            if pipe.is_assign {
                self.set_var(&d.name, value.clone())?;
            } else {
                self.push(&d.name, value.clone());
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: Option<&'t [Arg]>, fin: &Option<Val<'a>>) -> EResult<()> {
        let args = args.unwrap_or(&[]);
        if args.len() > 1 || fin.is_some() {
            if let Some(first) = args.first() {
                return self.fail(format!("can't give argument to non-function {}", first));
            }
            return self.fail("can't give argument to non-function".to_string());
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Val<'a>, cmd: &'t Command, fin: Option<Val<'a>>) -> EResult<Val<'a>> {
        self.step()?;
        let Some(first) = cmd.args.first() else {
            return self.fail("empty command".to_string());
        };
        let args = Some(cmd.args.as_slice());
        match first {
            Arg::Field { ident, .. } => return self.eval_field_node(dot, first, ident, args, fin),
            Arg::Chain { .. } => return self.eval_chain_node(dot, first, args, fin),
            Arg::Identifier { name, .. } => {
                return self.eval_function(dot, first, name, At::Cmd(cmd), args, fin);
            }
            Arg::Pipe(p) => {
                self.not_a_function(args, &fin)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable { ident, .. } => return self.eval_variable_node(dot, first, ident, args, fin),
            _ => {}
        }
        self.at = At::Arg(first);
        self.not_a_function(args, &fin)?;
        match first {
            Arg::Bool { val, .. } => Ok(Val::Bool(*val)),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => self.fail("nil is not a command".to_string()),
            Arg::Number { num, .. } => self.ideal_constant(first, num),
            Arg::String { text, .. } => Ok(Val::string(text.clone())),
            _ => self.fail(format!("can't evaluate command {}", quote(&first.to_string()))),
        }
    }

    fn ideal_constant(&mut self, node: &'t Arg, num: &Number) -> EResult<Val<'a>> {
        self.at = At::Arg(node);
        let t = &num.text;
        if num.is_float && !is_hex_int(t) && !t.starts_with('\'') && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Val::Float(num.float));
        }
        if num.is_int {
            return Ok(Val::Int(num.int));
        }
        if num.is_uint {
            return self.fail(format!("{} overflows int", t));
        }
        Ok(Val::Invalid)
    }

    fn eval_field_node(
        &mut self,
        dot: &Val<'a>,
        node: &'t Arg,
        ident: &'t [String],
        args: Option<&'t [Arg]>,
        fin: Option<Val<'a>>,
    ) -> EResult<Val<'a>> {
        self.at = At::Arg(node);
        self.eval_field_chain(dot, dot.clone(), ident, args, fin)
    }

    fn eval_chain_node(&mut self, dot: &Val<'a>, node: &'t Arg, args: Option<&'t [Arg]>, fin: Option<Val<'a>>) -> EResult<Val<'a>> {
        self.at = At::Arg(node);
        let Arg::Chain { node: inner, field, .. } = node else {
            return self.fail("internal error: not a chain".to_string());
        };
        if field.is_empty() {
            return self.fail("internal error: no fields in evalChainNode".to_string());
        }
        if let Arg::Nil { .. } = inner.as_ref() {
            return self.fail(format!("indirection through explicit nil in {}", node));
        }
        // (pipe).Field1.Field2 has pipe as .Node, fields as .Field. Eval the
        // pipeline, then the fields.
        let pipe = self.eval_arg(dot, None, inner)?;
        self.eval_field_chain(dot, pipe, field, args, fin)
    }

    fn eval_variable_node(
        &mut self,
        dot: &Val<'a>,
        node: &'t Arg,
        ident: &'t [String],
        args: Option<&'t [Arg]>,
        fin: Option<Val<'a>>,
    ) -> EResult<Val<'a>> {
        self.at = At::Arg(node);
        let value = self.var_value(ident.first().map(String::as_str).unwrap_or("$"))?;
        if ident.len() <= 1 {
            self.not_a_function(args, &fin)?;
            return Ok(value);
        }
        self.eval_field_chain(dot, value, &ident[1..], args, fin)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Val<'a>,
        receiver: Val<'a>,
        ident: &'t [String],
        args: Option<&'t [Arg]>,
        fin: Option<Val<'a>>,
    ) -> EResult<Val<'a>> {
        let n = ident.len();
        let mut receiver = receiver;
        for id in &ident[..n.saturating_sub(1)] {
            receiver = self.eval_field(dot, id, None, None, receiver)?;
        }
        match ident.last() {
            Some(last) => self.eval_field(dot, last, args, fin, receiver),
            None => Ok(receiver),
        }
    }

    fn eval_field(
        &mut self,
        dot: &Val<'a>,
        name: &str,
        args: Option<&'t [Arg]>,
        fin: Option<Val<'a>>,
        receiver: Val<'a>,
    ) -> EResult<Val<'a>> {
        match receiver {
            Val::Invalid => {
                if self.opts.missing_key == MissingKey::Error {
                    return self.fail(format!("nil data; no entry for key {}", quote(name)));
                }
                Ok(Val::Invalid)
            }
            Val::Nil => self.fail(format!("nil pointer evaluating interface {{}}.{}", name)),
            Val::Obj(m) => {
                // A lookup method such as Docker's `.Label "key"`.
                if let Some(Json::Object(table)) = m.get(name).filter(|v| v.get(crate::LOOKUP_MARKER).is_some()) {
                    let params: &'t [Arg] = match args {
                        Some(a) if !a.is_empty() => &a[1..],
                        _ => &[],
                    };
                    let given = params.len() + usize::from(fin.is_some());
                    if given != 1 {
                        return self.fail(format!("wrong number of args for {}: want 1 got {}", name, given));
                    }
                    let key = match (params.first(), fin) {
                        (Some(p), _) => self.eval_arg(dot, Some(Param::Str), p)?,
                        (None, Some(f)) => self.validate_type(f, Some(Param::Str))?,
                        (None, None) => Val::Invalid,
                    };
                    let Val::Str(key) = key else { return Ok(Val::string(String::new())) };
                    let found = table.get(key.as_ref()).and_then(Json::as_str).unwrap_or_default();
                    return Ok(Val::string(found.to_string()));
                }
                let has_args = args.map_or(0, <[Arg]>::len) > 1 || fin.is_some();
                if has_args {
                    return self.fail(format!("{} is not a method but has arguments", name));
                }
                match m.get(name) {
                    Some(v) => Ok(Val::from_json(v)),
                    None => match (&self.opts.root_type, self.opts.missing_key) {
                        (Some(t), _) if self.root.is_some_and(|r| std::ptr::eq(r, m)) => {
                            Err(self.err(format!("can't evaluate field {name} in type {t}")).with_missing_key(name))
                        }
                        (_, MissingKey::Error) => Err(self.err(format!("map has no entry for key {}", quote(name))).with_missing_key(name)),
                        (_, MissingKey::Default) => Ok(Val::Invalid),
                    },
                }
            }
            // Docker's raw retry runs on values taken out of `map[string]interface {}`: Go
            // names their static type.
            other if self.opts.missing_key == MissingKey::Error && !matches!(other, Val::Nil) => {
                self.fail(format!("can't evaluate field {} in type interface {{}}", name))
            }
            other => self.fail(format!("can't evaluate field {} in type {}", name, other.type_name())),
        }
    }

    fn eval_function(
        &mut self,
        dot: &Val<'a>,
        node: &'t Arg,
        name: &'t str,
        call_node: At<'t>,
        args: Option<&'t [Arg]>,
        fin: Option<Val<'a>>,
    ) -> EResult<Val<'a>> {
        self.at = At::Arg(node);
        let Some(sig) = funcs::signature(name, self.opts.header_functions) else {
            return self.fail(format!("{} is not a defined function", quote(name)));
        };
        let args: &'t [Arg] = match args {
            Some(a) if !a.is_empty() => &a[1..],
            _ => &[],
        };
        let num_in = args.len() + usize::from(fin.is_some());
        let mut num_fixed = args.len();
        if sig.variadic.is_some() {
            num_fixed = sig.fixed.len();
            if num_in < num_fixed {
                return self.fail(format!("wrong number of args for {}: want at least {} got {}", name, sig.fixed.len(), args.len()));
            }
        } else if num_in != sig.fixed.len() {
            return self.fail(format!("wrong number of args for {}: want {} got {}", name, sig.fixed.len(), num_in));
        }

        // Special case for builtin and/or, which short-circuit.
        if name == "and" || name == "or" {
            let mut v = Val::Invalid;
            for arg in args {
                v = self.eval_arg(dot, Some(Param::Value), arg)?;
                if v.is_true() == (name == "or") {
                    return Ok(v);
                }
            }
            if let Some(f) = fin {
                v = self.validate_type(f, Some(Param::Value))?;
            }
            return Ok(v);
        }

        let mut argv: Vec<Val<'a>> = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            let t = sig.fixed.get(i).copied().unwrap_or(Param::Any);
            argv.push(self.eval_arg(dot, Some(t), &args[i])?);
            i += 1;
        }
        if let Some(var) = sig.variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, Some(var), &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = fin {
            let t = match sig.variadic {
                Some(var) => {
                    if num_in - 1 < num_fixed {
                        sig.fixed.get(num_in - 1).copied().unwrap_or(var)
                    } else {
                        var
                    }
                }
                None => sig.fixed.last().copied().unwrap_or(Param::Any),
            };
            argv.push(self.validate_type(f, Some(t))?);
        }
        match funcs::call(name, argv, self.opts.header_functions, &self.opts.omit_empty) {
            Ok(v) => Ok(v),
            Err(e) => {
                self.at = call_node;
                self.fail(format!("error calling {}: {}", name, e))
            }
        }
    }

    fn validate_type(&self, value: Val<'a>, typ: Option<Param>) -> EResult<Val<'a>> {
        let Some(t) = typ else {
            return Ok(value);
        };
        if let Val::Invalid = value {
            if t.can_be_nil() {
                return Ok(t.zero());
            }
            return self.fail(format!("invalid value; expected {}", t.go_name()));
        }
        match t {
            Param::Any | Param::Value => Ok(value),
            Param::Str => match value {
                Val::Str(_) => Ok(value),
                other => self.fail(format!("wrong type for value; expected string; got {}", other.type_name())),
            },
            Param::Int => match value {
                Val::Int(_) => Ok(value),
                other => self.fail(format!("wrong type for value; expected int; got {}", other.type_name())),
            },
            Param::StrSlice => match value {
                Val::Strs(_) => Ok(value),
                // A JSON array of strings stands for a Go []string field.
                Val::Arr(a) if a.iter().all(Json::is_string) => {
                    Ok(Val::Strs(Rc::new(a.iter().filter_map(|e| e.as_str().map(str::to_string)).collect())))
                }
                other => self.fail(format!("wrong type for value; expected []string; got {}", other.type_name())),
            },
        }
    }

    fn eval_arg(&mut self, dot: &Val<'a>, typ: Option<Param>, n: &'t Arg) -> EResult<Val<'a>> {
        self.at = At::Arg(n);
        match n {
            Arg::Dot { .. } => return self.validate_type(dot.clone(), typ),
            Arg::Nil { .. } => {
                return match typ {
                    Some(t) if t.can_be_nil() => Ok(t.zero()),
                    Some(t) => self.fail(format!("cannot assign nil to {}", t.go_name())),
                    None => Ok(Val::Invalid),
                };
            }
            Arg::Field { ident, .. } => {
                let v = self.eval_field_node(dot, n, ident, None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Variable { ident, .. } => {
                let v = self.eval_variable_node(dot, n, ident, None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate_type(v, typ);
            }
            Arg::Identifier { name, .. } => {
                let v = self.eval_function(dot, n, name, At::Arg(n), None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Chain { .. } => {
                let v = self.eval_chain_node(dot, n, None, None)?;
                return self.validate_type(v, typ);
            }
            _ => {}
        }
        match typ {
            Some(Param::Str) => match n {
                Arg::String { text, .. } => Ok(Val::string(text.clone())),
                _ => self.fail(format!("expected string; found {}", n)),
            },
            Some(Param::Int) => match n {
                Arg::Number { num, .. } if num.is_int => Ok(Val::Int(num.int)),
                _ => self.fail(format!("expected integer; found {}", n)),
            },
            Some(Param::Any | Param::Value) => match n {
                Arg::Bool { val, .. } => Ok(Val::Bool(*val)),
                Arg::Number { num, .. } => self.ideal_constant(n, num),
                Arg::String { text, .. } => Ok(Val::string(text.clone())),
                _ => self.fail(format!("can't handle assignment of {} to empty interface argument", n)),
            },
            Some(t @ Param::StrSlice) => self.fail(format!("can't handle {} for arg of type {}", n, t.go_name())),
            None => self.fail(format!("can't handle {} for arg of type <nil>", n)),
        }
    }
}
