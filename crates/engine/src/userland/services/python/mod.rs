//! `python` of the python:3.9-slim image: runs learners' scripts with a small interpreter whose
//! side effects are real in the simulated machine (files and log files written with the process's
//! uid, stdout buffering as CPython does it when stdout is not a terminal, a Flask dev server that
//! keeps the container running), plus `pip`.

pub mod flask;
mod parse;
mod pip;

use std::collections::BTreeMap;

use parse::{Expr, FPart, Node, Stmt, SyntaxError};

use crate::clock::tm;
use crate::fs::{Data, Errno};
use crate::shell::{Io, Shell};
use crate::userland::Exit;
use crate::vfs::{Ctx, WriteMode};
use crate::world::World;

pub use flask::FlaskServer;
pub use pip::pip;

pub const SITE_PACKAGES: &str = "/usr/local/lib/python3.9/site-packages";
const VERSION_BANNER: &str = "3.9.20 (main, Nov 12 2024, 04:09:52) \n[GCC 12.2.0]";
/// Statements one run may execute before it counts as a process that never ends.
const STEP_LIMIT: u32 = 50_000;
/// Modules of the standard library the interpreter knows.
const STDLIB: [&str; 14] =
    ["os", "os.path", "sys", "time", "logging", "datetime", "json", "random", "math", "pathlib", "socket", "signal", "platform", "shutil"];

/// `python [-u] [-c CODE | FILE | -V] [ARGS…]`.
pub fn python(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let mut unbuffered = env.iter().any(|e| e.strip_prefix("PYTHONUNBUFFERED=").is_some_and(|v| !v.is_empty()));
    let mut args = &argv[1..];
    while let Some(a) = args.first() {
        match a.as_str() {
            "-u" => unbuffered = true,
            "-V" | "--version" => {
                io.out_str("Python 3.9.20\n");
                return Exit::Code(0);
            }
            "-B" | "-O" | "-E" | "-s" => {}
            _ => break,
        }
        args = &args[1..];
    }
    if let Some(c) = world.ns_container(&sh.ctx.ns) {
        unbuffered |= c.tty;
    }
    let (file, source, script_args) = match args.first().map(String::as_str) {
        Some("-c") => match args.get(1) {
            Some(code) => ("<string>".to_string(), code.clone(), args[1..].to_vec()),
            None => {
                io.err_line("Argument expected for the -c option");
                return Exit::Code(2);
            }
        },
        Some("-m") => {
            let module = args.get(1).cloned().unwrap_or_default();
            io.err_line(&format!("/usr/local/bin/python: No module named {module}"));
            return Exit::Code(1);
        }
        Some(path) => {
            let absolute = crate::fs::normalize(&sh.ctx.cwd, path);
            match world.read(&sh.ctx, path) {
                Ok(d) => (absolute, String::from_utf8_lossy(&d.to_vec()).into_owned(), args.to_vec()),
                Err(e) => {
                    io.err_line(&format!("python: can't open file '{absolute}': [Errno {}] {e}", errno_number(e)));
                    return Exit::Code(2);
                }
            }
        }
        // No script and no terminal: the program is read from stdin.
        None => ("<stdin>".to_string(), String::from_utf8_lossy(&std::mem::take(&mut io.stdin)).into_owned(), vec![String::new()]),
    };
    let app_name = file.rsplit('/').next().unwrap_or("app").trim_end_matches(".py").to_string();
    let mut interp = Interp::new(world, sh.ctx.clone(), env, &file, &source, script_args, app_name);
    interp.unbuffered = unbuffered;
    interp.main_process = sh.main_process;
    interp.scopes[0].insert("__name__".into(), Value::Str("__main__".into()));
    interp.scopes[0].insert("__file__".into(), Value::Str(file));
    let module = match parse::parse_module(&source) {
        Ok(module) => module,
        Err(e) => {
            interp.syntax_error(&e, io);
            return Exit::Code(1);
        }
    };
    let outcome = interp.exec_block(&module);
    // At exit CPython flushes stdout; a process that never ends keeps its buffer to itself.
    io.out_str(&interp.stdout_flushed);
    let exit = match &outcome {
        Ok(Flow::Block) => Exit::Block,
        Ok(_) => Exit::Code(0),
        Err(e) if e.kind == BLOCK => Exit::Block,
        Err(e) if e.kind == "SystemExit" => Exit::Code(e.message.parse().unwrap_or(1)),
        Err(_) => Exit::Code(1),
    };
    if exit != Exit::Block {
        io.out_str(&interp.stdout_buffer);
    }
    io.err_str(&interp.stderr);
    if let Err(e) = outcome {
        if e.kind != BLOCK && e.kind != "SystemExit" {
            interp.traceback(&e, io);
        }
    }
    exit
}

/// The pseudo-exception that unwinds a process which waits forever (a server, a long sleep).
const BLOCK: &str = "<blocks>";

fn errno_number(e: Errno) -> u32 {
    match e {
        Errno::NoEnt => 2,
        Errno::Access => 13,
        Errno::Perm => 1,
        Errno::ReadOnly => 30,
        Errno::NoSpace => 28,
        Errno::Exists => 17,
        Errno::NotDir => 20,
        Errno::IsDir => 21,
        Errno::NotEmpty => 39,
        _ => 5,
    }
}

/// The exception Python raises for a failed system call on `path`.
fn os_error(e: Errno, path: &str) -> Exception {
    let kind = match e {
        Errno::NoEnt => "FileNotFoundError",
        Errno::Access | Errno::Perm => "PermissionError",
        Errno::Exists => "FileExistsError",
        Errno::NotDir => "NotADirectoryError",
        Errno::IsDir => "IsADirectoryError",
        _ => "OSError",
    };
    Exception::new(kind, format!("[Errno {}] {e}: '{path}'", errno_number(e)))
}

// ---------------------------------------------------------------------------- values

#[derive(Clone, Debug, PartialEq)]
enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// A module, class or function of the library, by qualified name (`os.path.join`).
    Native(String),
    /// A method bound to its object.
    Bound(Box<Value>, String),
    /// An open file (index into the interpreter's file table).
    File(usize),
    /// A function defined by the script.
    Function(usize),
    DateTime(i128),
    Logger(String),
    FlaskApp,
    /// `@app.route(path)` before it is applied.
    Route(String),
}

impl Value {
    fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(n) => *n != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(v) => !v.is_empty(),
            Value::Dict(v) => !v.is_empty(),
            _ => true,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Dict(_) => "dict",
            Value::Native(_) => "module",
            Value::Bound(..) => "builtin_function_or_method",
            Value::File(_) => "_io.TextIOWrapper",
            Value::Function(_) => "function",
            Value::DateTime(_) => "datetime.datetime",
            Value::Logger(_) => "Logger",
            Value::FlaskApp => "Flask",
            Value::Route(_) => "function",
        }
    }

    /// `str(value)`.
    fn str(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            _ => self.repr(),
        }
    }

    fn repr(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(n) => n.to_string(),
            Value::Float(f) => float_repr(*f),
            Value::Str(s) => {
                if s.contains('\'') && !s.contains('"') {
                    format!("\"{s}\"")
                } else {
                    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'").replace('\n', "\\n"))
                }
            }
            Value::List(v) => format!("[{}]", v.iter().map(Value::repr).collect::<Vec<_>>().join(", ")),
            Value::Dict(v) => {
                format!("{{{}}}", v.iter().map(|(k, x)| format!("{}: {}", k.repr(), x.repr())).collect::<Vec<_>>().join(", "))
            }
            Value::Native(q) => format!("<module '{q}'>"),
            Value::DateTime(n) => datetime_str(*n),
            Value::Logger(name) => format!("<Logger {name} (WARNING)>"),
            Value::FlaskApp => "<Flask 'app'>".into(),
            other => format!("<{} object>", other.type_name()),
        }
    }
}

fn float_repr(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

fn datetime_str(nanos: i128) -> String {
    let secs = nanos.div_euclid(1_000_000_000) as i64;
    let micros = (nanos.rem_euclid(1_000_000_000) / 1000) as u32;
    let t = tm(secs);
    format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{micros:06}", t.year, t.month, t.day, t.hour, t.min, t.sec)
}

fn strftime(nanos: i128, format: &str) -> String {
    let secs = nanos.div_euclid(1_000_000_000) as i64;
    let t = tm(secs);
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&format!("{:04}", t.year)),
            Some('m') => out.push_str(&format!("{:02}", t.month)),
            Some('d') => out.push_str(&format!("{:02}", t.day)),
            Some('H') => out.push_str(&format!("{:02}", t.hour)),
            Some('M') => out.push_str(&format!("{:02}", t.min)),
            Some('S') => out.push_str(&format!("{:02}", t.sec)),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    kind: String,
    message: String,
    /// The frames (function, line) when it was raised, outermost first.
    frames: Vec<Frame>,
}

impl Exception {
    fn new(kind: &str, message: impl Into<String>) -> Exception {
        Exception { kind: kind.into(), message: message.into(), frames: Vec::new() }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Frame {
    function: String,
    line: usize,
}

/// How a statement ended.
#[derive(Clone, Debug, PartialEq)]
enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
    /// The process waits forever (a server, a sleep loop).
    Block,
}

struct Function {
    name: String,
    params: Vec<String>,
    body: Vec<Node>,
}

struct OpenFile {
    path: String,
    /// Read content and position (read mode only).
    content: String,
    writable: bool,
    closed: bool,
}

struct LogConfig {
    filename: Option<String>,
    level: i64,
    format: String,
}

struct Interp<'w> {
    world: &'w mut World,
    ctx: Ctx,
    env: Vec<String>,
    file: String,
    source: Vec<String>,
    scopes: Vec<BTreeMap<String, Value>>,
    functions: Vec<Function>,
    files: Vec<OpenFile>,
    /// What `print` wrote and stdout's buffer still holds.
    stdout_buffer: String,
    /// What left the buffer (flushed, or written unbuffered).
    stdout_flushed: String,
    stderr: String,
    unbuffered: bool,
    logging: Option<LogConfig>,
    steps: u32,
    /// `time.sleep` ran during the current loop iteration.
    slept: bool,
    frames: Vec<Frame>,
    argv: Vec<String>,
    app_name: String,
    main_process: bool,
    /// Flask views: URL rule and the function that answers it.
    routes: Vec<(String, String)>,
}

type Result<T> = std::result::Result<T, Exception>;

impl<'w> Interp<'w> {
    fn new(world: &'w mut World, ctx: Ctx, env: &[String], file: &str, source: &str, argv: Vec<String>, app_name: String) -> Interp<'w> {
        Interp {
            world,
            ctx,
            env: env.to_vec(),
            file: file.to_string(),
            source: source.lines().map(str::to_string).collect(),
            scopes: vec![BTreeMap::new()],
            functions: Vec::new(),
            files: Vec::new(),
            stdout_buffer: String::new(),
            stdout_flushed: String::new(),
            stderr: String::new(),
            unbuffered: false,
            logging: None,
            steps: 0,
            slept: false,
            frames: vec![Frame { function: "<module>".into(), line: 0 }],
            argv,
            app_name,
            main_process: false,
            routes: Vec::new(),
        }
    }

    fn exec_block(&mut self, nodes: &[Node]) -> Result<Flow> {
        for node in nodes {
            let flow = self.exec(node)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn raise<T>(&self, mut e: Exception) -> Result<T> {
        if e.frames.is_empty() {
            e.frames = self.frames.clone();
        }
        Err(e)
    }

    fn exec(&mut self, node: &Node) -> Result<Flow> {
        if let Some(f) = self.frames.last_mut() {
            f.line = node.line;
        }
        self.steps += 1;
        if self.steps > STEP_LIMIT {
            return Ok(Flow::Block);
        }
        match &node.stmt {
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::Assign(target, value) => {
                let v = self.eval(value)?;
                self.assign(target, v)?;
            }
            Stmt::AugAssign(target, op, value) => {
                let current = self.eval(target)?;
                let v = self.eval(value)?;
                let result = self.binary(op, current, v)?;
                self.assign(target, result)?;
            }
            Stmt::Import(names) => {
                for (module, alias) in names {
                    self.check_module(module)?;
                    let bound = if alias == module.split('.').next().unwrap_or(module) { alias.clone() } else { module.clone() };
                    self.set(alias, Value::Native(bound));
                }
            }
            Stmt::FromImport(module, names) => {
                self.check_module(module)?;
                for (name, alias) in names {
                    self.set(alias, Value::Native(format!("{module}.{name}")));
                }
            }
            Stmt::Pass | Stmt::Global => {}
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::None,
                };
                return Ok(Flow::Return(v));
            }
            Stmt::If(branches, otherwise) => {
                for (cond, body) in branches {
                    if self.eval(cond)?.truthy() {
                        return self.exec_block(body);
                    }
                }
                return self.exec_block(otherwise);
            }
            Stmt::While(cond, body) => {
                while self.eval(cond)?.truthy() {
                    self.slept = false;
                    match self.exec_block(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return Ok(other),
                    }
                    if self.steps > STEP_LIMIT {
                        return Ok(Flow::Block);
                    }
                    // A loop that sleeps each turn is a process that runs until it is stopped.
                    if self.slept {
                        return Ok(Flow::Block);
                    }
                }
            }
            Stmt::For(var, iter, body) => {
                let items = match self.eval(iter)? {
                    Value::List(v) => v,
                    Value::Str(s) => s.chars().map(|c| Value::Str(c.to_string())).collect(),
                    Value::Dict(v) => v.into_iter().map(|(k, _)| k).collect(),
                    Value::File(i) => {
                        let text = std::mem::take(&mut self.files[i].content);
                        text.split_inclusive('\n').map(|l| Value::Str(l.to_string())).collect()
                    }
                    other => return self.raise(Exception::new("TypeError", format!("'{}' object is not iterable", other.type_name()))),
                };
                for item in items {
                    self.set(var, item);
                    match self.exec_block(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return Ok(other),
                    }
                }
            }
            Stmt::With(e, name, body) => {
                let v = self.eval(e)?;
                if let Some(name) = name {
                    self.set(name, v.clone());
                }
                let flow = self.exec_block(body);
                if let Value::File(i) = v {
                    self.files[i].closed = true;
                }
                return flow;
            }
            Stmt::Def { name, params, body, decorators } => {
                self.functions.push(Function { name: name.clone(), params: params.clone(), body: body.clone() });
                let mut f = Value::Function(self.functions.len() - 1);
                for d in decorators.iter().rev() {
                    match self.eval(d)? {
                        // `@app.route(path)` registers the view and returns it unchanged.
                        Value::Route(rule) => self.routes.push((rule, name.clone())),
                        decorator => f = self.call(decorator, vec![f], Vec::new())?,
                    }
                }
                self.set(name, f);
            }
            Stmt::Try(body, handlers) => match self.exec_block(body) {
                Ok(flow) => {
                    if let Some((_, _, fin)) = handlers.iter().find(|(k, _, _)| k.as_deref() == Some("finally")) {
                        self.exec_block(fin)?;
                    }
                    return Ok(flow);
                }
                Err(e) => {
                    let handler = handlers.iter().find(|(kind, _, _)| match kind.as_deref() {
                        None | Some("Exception") | Some("BaseException") => true,
                        Some("finally") => false,
                        Some("OSError" | "IOError") => e.kind.ends_with("Error") && e.kind != "NameError" && e.kind != "TypeError",
                        Some(k) => k.trim_matches(|c| c == '(' || c == ')').split(',').any(|k| k.trim() == e.kind),
                    });
                    let Some((_, name, body)) = handler else { return Err(e) };
                    if let Some(name) = name {
                        self.set(name, Value::Str(e.message.clone()));
                    }
                    return self.exec_block(body);
                }
            },
        }
        Ok(Flow::Normal)
    }

    fn set(&mut self, name: &str, v: Value) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_string(), v);
        }
    }

    fn assign(&mut self, target: &Expr, v: Value) -> Result<()> {
        match target {
            Expr::Name(n) => self.set(n, v),
            Expr::Index(obj, key) => {
                let key = self.eval(key)?;
                if let Expr::Name(n) = obj.as_ref() {
                    let Some(Value::Dict(mut d)) = self.lookup(n) else { return Ok(()) };
                    match d.iter_mut().find(|(k, _)| *k == key) {
                        Some(entry) => entry.1 = v,
                        None => d.push((key, v)),
                    }
                    self.set(n, Value::Dict(d));
                }
            }
            // Attributes of library objects (`app.config`, `logger.level`) change nothing visible.
            _ => {}
        }
        Ok(())
    }

    fn lookup(&self, name: &str) -> Option<Value> {
        self.scopes.last().and_then(|s| s.get(name)).or_else(|| self.scopes[0].get(name)).cloned()
    }

    fn check_module(&mut self, module: &str) -> Result<()> {
        let top = module.split('.').next().unwrap_or(module);
        if STDLIB.contains(&module) || STDLIB.contains(&top) {
            return Ok(());
        }
        let installed = self.world.stat(&self.ctx, &format!("{SITE_PACKAGES}/{top}"), true).is_ok()
            || self.world.stat(&self.ctx, &format!("{top}.py"), true).is_ok();
        if installed {
            return Ok(());
        }
        self.raise(Exception::new("ModuleNotFoundError", format!("No module named '{top}'")))
    }

    // ------------------------------------------------------------------------ expressions

    fn eval(&mut self, e: &Expr) -> Result<Value> {
        Ok(match e {
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::FStr(parts) => {
                let mut s = String::new();
                for p in parts {
                    match p {
                        FPart::Text(t) => s.push_str(t),
                        FPart::Expr(e) => s.push_str(&self.eval(e)?.str()),
                    }
                }
                Value::Str(s)
            }
            Expr::Int(n) => Value::Int(*n),
            Expr::Float(f) => Value::Float(*f),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::None => Value::None,
            Expr::Name(n) => match self.lookup(n) {
                Some(v) => v,
                None if BUILTINS.contains(&n.as_str()) => Value::Native(n.clone()),
                None => return self.raise(Exception::new("NameError", format!("name '{n}' is not defined"))),
            },
            Expr::Attr(obj, name) => {
                let obj = self.eval(obj)?;
                self.attribute(obj, name)?
            }
            Expr::Call(f, args, kwargs) => {
                let f = self.eval(f)?;
                let mut values = Vec::new();
                for a in args {
                    values.push(self.eval(a)?);
                }
                let mut named = Vec::new();
                for (k, v) in kwargs {
                    named.push((k.clone(), self.eval(v)?));
                }
                self.call(f, values, named)?
            }
            Expr::Index(obj, key) => {
                let obj = self.eval(obj)?;
                let key = self.eval(key)?;
                match (&obj, &key) {
                    (Value::List(v), Value::Int(i)) => {
                        let idx = if *i < 0 { v.len() as i64 + i } else { *i };
                        match v.get(idx as usize).filter(|_| idx >= 0) {
                            Some(x) => x.clone(),
                            None => return self.raise(Exception::new("IndexError", "list index out of range")),
                        }
                    }
                    (Value::Str(s), Value::Int(i)) => {
                        let chars: Vec<char> = s.chars().collect();
                        let idx = if *i < 0 { chars.len() as i64 + i } else { *i };
                        match chars.get(idx as usize).filter(|_| idx >= 0) {
                            Some(c) => Value::Str(c.to_string()),
                            None => return self.raise(Exception::new("IndexError", "string index out of range")),
                        }
                    }
                    (Value::Dict(d), k) => match d.iter().find(|(x, _)| x == k) {
                        Some((_, v)) => v.clone(),
                        None => return self.raise(Exception::new("KeyError", k.repr())),
                    },
                    _ => return self.raise(Exception::new("TypeError", format!("'{}' object is not subscriptable", obj.type_name()))),
                }
            }
            Expr::List(items) => {
                let mut v = Vec::new();
                for i in items {
                    v.push(self.eval(i)?);
                }
                Value::List(v)
            }
            Expr::Dict(items) => {
                let mut v = Vec::new();
                for (k, x) in items {
                    v.push((self.eval(k)?, self.eval(x)?));
                }
                Value::Dict(v)
            }
            Expr::Unary("not", x) => Value::Bool(!self.eval(x)?.truthy()),
            Expr::Unary(_, x) => match self.eval(x)? {
                Value::Int(n) => Value::Int(-n),
                Value::Float(f) => Value::Float(-f),
                other => return self.raise(Exception::new("TypeError", format!("bad operand type for unary -: '{}'", other.type_name()))),
            },
            Expr::Binary("and", a, b) => {
                let a = self.eval(a)?;
                if !a.truthy() {
                    a
                } else {
                    self.eval(b)?
                }
            }
            Expr::Binary("or", a, b) => {
                let a = self.eval(a)?;
                if a.truthy() {
                    a
                } else {
                    self.eval(b)?
                }
            }
            Expr::Binary(op, a, b) => {
                let a = self.eval(a)?;
                let b = self.eval(b)?;
                self.binary(op, a, b)?
            }
        })
    }

    fn binary(&self, op: &str, a: Value, b: Value) -> Result<Value> {
        use Value::*;
        let type_error = |a: &Value, b: &Value| {
            let message = match (op, a, b) {
                ("+", Str(_), _) => format!("can only concatenate str (not \"{}\") to str", b.type_name()),
                _ => format!("unsupported operand type(s) for {op}: '{}' and '{}'", a.type_name(), b.type_name()),
            };
            Exception::new("TypeError", message)
        };
        let as_f = |v: &Value| match v {
            Int(n) => Some(*n as f64),
            Float(f) => Some(*f),
            Bool(b) => Some(*b as i64 as f64),
            _ => Option::None,
        };
        Ok(match (op, &a, &b) {
            ("==", _, _) => Bool(a == b || as_f(&a).is_some() && as_f(&a) == as_f(&b)),
            ("!=", _, _) => Bool(!(a == b || as_f(&a).is_some() && as_f(&a) == as_f(&b))),
            ("is", _, _) => Bool(a == b),
            ("is not", _, _) => Bool(a != b),
            ("in" | "not in", _, _) => {
                let found = match &b {
                    Str(s) => s.contains(&a.str()),
                    List(v) => v.contains(&a),
                    Dict(v) => v.iter().any(|(k, _)| *k == a),
                    _ => return self.raise(Exception::new("TypeError", format!("argument of type '{}' is not iterable", b.type_name()))),
                };
                Bool(found == (op == "in"))
            }
            ("+", Str(x), Str(y)) => Str(format!("{x}{y}")),
            ("+", List(x), List(y)) => List(x.iter().chain(y).cloned().collect()),
            ("*", Str(s), Int(n)) | ("*", Int(n), Str(s)) => Str(s.repeat((*n).max(0) as usize)),
            ("%", Str(s), _) => {
                let args = match &b {
                    List(v) => v.clone(),
                    other => vec![other.clone()],
                };
                let mut out = s.clone();
                for v in args {
                    for spec in ["%s", "%d", "%i"] {
                        if let Some(pos) = out.find(spec) {
                            out.replace_range(pos..pos + 2, &v.str());
                            break;
                        }
                    }
                }
                Str(out)
            }
            ("<" | ">" | "<=" | ">=", Str(x), Str(y)) => Bool(match op {
                "<" => x < y,
                ">" => x > y,
                "<=" => x <= y,
                _ => x >= y,
            }),
            (_, Int(x), Int(y)) => match op {
                "+" => Int(x.wrapping_add(*y)),
                "-" => Int(x.wrapping_sub(*y)),
                "*" => Int(x.wrapping_mul(*y)),
                "/" if *y == 0 => return self.raise(Exception::new("ZeroDivisionError", "division by zero")),
                "//" | "%" if *y == 0 => return self.raise(Exception::new("ZeroDivisionError", "integer division or modulo by zero")),
                "/" => Float(*x as f64 / *y as f64),
                "//" => Int(x.div_euclid(*y)),
                "%" => Int(x.rem_euclid(*y)),
                "**" => Int(x.wrapping_pow((*y).clamp(0, 63) as u32)),
                "<" => Bool(x < y),
                ">" => Bool(x > y),
                "<=" => Bool(x <= y),
                ">=" => Bool(x >= y),
                _ => return self.raise(type_error(&a, &b)),
            },
            _ => match (as_f(&a), as_f(&b)) {
                (Some(x), Some(y)) => match op {
                    "+" => Float(x + y),
                    "-" => Float(x - y),
                    "*" => Float(x * y),
                    "/" if y == 0.0 => return self.raise(Exception::new("ZeroDivisionError", "float division by zero")),
                    "/" => Float(x / y),
                    "**" => Float(x.powf(y)),
                    "<" => Bool(x < y),
                    ">" => Bool(x > y),
                    "<=" => Bool(x <= y),
                    ">=" => Bool(x >= y),
                    _ => return self.raise(type_error(&a, &b)),
                },
                _ => return self.raise(type_error(&a, &b)),
            },
        })
    }

    fn attribute(&mut self, obj: Value, name: &str) -> Result<Value> {
        match &obj {
            Value::Native(q) => {
                let full = format!("{q}.{name}");
                Ok(match full.as_str() {
                    "sys.version" => Value::Str(VERSION_BANNER.into()),
                    "sys.platform" => Value::Str("linux".into()),
                    "sys.argv" => Value::List(self.argv.iter().map(|a| Value::Str(a.clone())).collect()),
                    "os.environ" => Value::Dict(
                        self.env
                            .iter()
                            .filter_map(|e| e.split_once('='))
                            .map(|(k, v)| (Value::Str(k.into()), Value::Str(v.into())))
                            .collect(),
                    ),
                    "os.sep" => Value::Str("/".into()),
                    "os.name" => Value::Str("posix".into()),
                    "logging.DEBUG" => Value::Int(10),
                    "logging.INFO" => Value::Int(20),
                    "logging.WARNING" => Value::Int(30),
                    "logging.ERROR" => Value::Int(40),
                    "logging.CRITICAL" => Value::Int(50),
                    _ => Value::Native(full),
                })
            }
            Value::Dict(_) if name == "get" || name == "keys" || name == "items" || name == "values" => {
                Ok(Value::Bound(Box::new(obj.clone()), name.to_string()))
            }
            Value::Str(_) | Value::List(_) | Value::File(_) | Value::DateTime(_) | Value::Logger(_) | Value::FlaskApp => {
                Ok(Value::Bound(Box::new(obj.clone()), name.to_string()))
            }
            _ => self.raise(Exception::new("AttributeError", format!("'{}' object has no attribute '{name}'", obj.type_name()))),
        }
    }

    fn call(&mut self, f: Value, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> Result<Value> {
        match f {
            Value::Function(i) => self.call_function(i, args),
            Value::Native(q) => self.call_native(&q, args, kwargs),
            Value::Bound(obj, method) => self.call_method(*obj, &method, args, kwargs),
            other => self.raise(Exception::new("TypeError", format!("'{}' object is not callable", other.type_name()))),
        }
    }

    fn call_function(&mut self, i: usize, args: Vec<Value>) -> Result<Value> {
        let (name, params, body) = {
            let f = &self.functions[i];
            (f.name.clone(), f.params.clone(), f.body.clone())
        };
        if args.len() > params.len() {
            return self.raise(Exception::new(
                "TypeError",
                format!(
                    "{name}() takes {} positional argument{} but {} were given",
                    params.len(),
                    if params.len() == 1 { "" } else { "s" },
                    args.len()
                ),
            ));
        }
        if self.frames.len() > 100 {
            return self.raise(Exception::new("RecursionError", "maximum recursion depth exceeded"));
        }
        let mut scope = BTreeMap::new();
        for (p, a) in params.iter().zip(args) {
            scope.insert(p.clone(), a);
        }
        self.scopes.push(scope);
        self.frames.push(Frame { function: name, line: 0 });
        let flow = self.exec_block(&body);
        self.frames.pop();
        self.scopes.pop();
        match flow? {
            Flow::Return(v) => Ok(v),
            Flow::Block => Ok(Value::None),
            _ => Ok(Value::None),
        }
    }

    fn kwarg<'a>(kwargs: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
        kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    fn path_arg(&self, args: &[Value], i: usize) -> Result<String> {
        match args.get(i) {
            Some(Value::Str(s)) => Ok(s.clone()),
            Some(other) => {
                self.raise(Exception::new("TypeError", format!("expected str, bytes or os.PathLike object, not {}", other.type_name())))
            }
            None => self.raise(Exception::new("TypeError", "missing required argument: 'path'")),
        }
    }

    fn call_native(&mut self, q: &str, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> Result<Value> {
        let first = args.first().cloned().unwrap_or(Value::None);
        Ok(match q {
            "print" => {
                let sep = Self::kwarg(&kwargs, "sep").map(Value::str).unwrap_or_else(|| " ".into());
                let end = Self::kwarg(&kwargs, "end").map(Value::str).unwrap_or_else(|| "\n".into());
                let text = format!("{}{end}", args.iter().map(Value::str).collect::<Vec<_>>().join(&sep));
                match Self::kwarg(&kwargs, "file") {
                    Some(Value::File(i)) => self.write_file(*i, &text)?,
                    Some(Value::Native(s)) if s == "sys.stderr" => self.stderr.push_str(&text),
                    _ => {
                        self.stdout_buffer.push_str(&text);
                        if self.unbuffered || Self::kwarg(&kwargs, "flush").is_some_and(Value::truthy) {
                            self.flush_stdout();
                        }
                    }
                }
                Value::None
            }
            "len" => match &first {
                Value::Str(s) => Value::Int(s.chars().count() as i64),
                Value::List(v) => Value::Int(v.len() as i64),
                Value::Dict(v) => Value::Int(v.len() as i64),
                other => return self.raise(Exception::new("TypeError", format!("object of type '{}' has no len()", other.type_name()))),
            },
            "str" => Value::Str(first.str()),
            "repr" => Value::Str(first.repr()),
            "int" => match &first {
                Value::Int(n) => Value::Int(*n),
                Value::Float(f) => Value::Int(*f as i64),
                Value::Bool(b) => Value::Int(*b as i64),
                Value::Str(s) => match s.trim().parse() {
                    Ok(n) => Value::Int(n),
                    Err(_) => {
                        return self
                            .raise(Exception::new("ValueError", format!("invalid literal for int() with base 10: {}", first.repr())))
                    }
                },
                _ => Value::Int(0),
            },
            "float" => match &first {
                Value::Int(n) => Value::Float(*n as f64),
                Value::Float(f) => Value::Float(*f),
                Value::Str(s) => match s.trim().parse() {
                    Ok(f) => Value::Float(f),
                    Err(_) => {
                        return self.raise(Exception::new("ValueError", format!("could not convert string to float: {}", first.repr())))
                    }
                },
                _ => Value::Float(0.0),
            },
            "range" => {
                let n = |v: Option<&Value>| match v {
                    Some(Value::Int(n)) => *n,
                    _ => 0,
                };
                let (start, stop) = if args.len() >= 2 { (n(args.first()), n(args.get(1))) } else { (0, n(args.first())) };
                Value::List((start..stop.min(start + 10_000)).map(Value::Int).collect())
            }
            "list" => match first {
                Value::List(v) => Value::List(v),
                Value::Str(s) => Value::List(s.chars().map(|c| Value::Str(c.to_string())).collect()),
                _ => Value::List(Vec::new()),
            },
            "input" => return self.raise(Exception::new("EOFError", "EOF when reading a line")),
            "__ternary__" => {
                if first.truthy() {
                    args.get(1).cloned().unwrap_or(Value::None)
                } else {
                    args.get(2).cloned().unwrap_or(Value::None)
                }
            }
            "open" => self.open(&args, &kwargs)?,
            "exit" | "quit" | "sys.exit" => {
                let code = match &first {
                    Value::Int(n) => *n as i32,
                    Value::None => 0,
                    other => {
                        self.stderr.push_str(&format!("{}\n", other.str()));
                        1
                    }
                };
                return self.raise(Exception::new("SystemExit", code.to_string()));
            }
            "sys.stdout.write" => {
                let s = first.str();
                self.stdout_buffer.push_str(&s);
                if self.unbuffered {
                    self.flush_stdout();
                }
                Value::Int(s.chars().count() as i64)
            }
            "sys.stdout.flush" => {
                self.flush_stdout();
                Value::None
            }
            "sys.stderr.write" => {
                let s = first.str();
                self.stderr.push_str(&s);
                Value::Int(s.chars().count() as i64)
            }
            "os.getenv" | "os.environ.get" => {
                let key = first.str();
                self.env
                    .iter()
                    .find_map(|e| e.strip_prefix(&format!("{key}=")).map(|v| Value::Str(v.to_string())))
                    .unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None))
            }
            "os.getcwd" => Value::Str(self.ctx.cwd.clone()),
            "os.getpid" => Value::Int(1),
            "os.getuid" => Value::Int(self.ctx.cred.uid as i64),
            "os.getgid" => Value::Int(self.ctx.cred.gid as i64),
            "os.makedirs" | "os.mkdir" => {
                let path = self.path_arg(&args, 0)?;
                let exist_ok = Self::kwarg(&kwargs, "exist_ok").is_some_and(Value::truthy);
                self.makedirs(&path, q == "os.makedirs", exist_ok)?;
                Value::None
            }
            "os.listdir" => {
                let path = if args.is_empty() { ".".to_string() } else { self.path_arg(&args, 0)? };
                let listing = self.world.resolve(&self.ctx, &path, true).and_then(|loc| self.world.list(&self.ctx, &loc));
                match listing {
                    Ok(entries) => Value::List(entries.into_iter().map(|(name, _)| Value::Str(name)).collect()),
                    Err(e) => return self.raise(os_error(e, &path)),
                }
            }
            "os.remove" | "os.unlink" => {
                let path = self.path_arg(&args, 0)?;
                if let Err(e) = self.world.remove(&self.ctx, &path, false) {
                    return self.raise(os_error(e, &path));
                }
                Value::None
            }
            "os.path.exists" | "os.path.isfile" | "os.path.isdir" => {
                let path = self.path_arg(&args, 0)?;
                let st = self.world.stat(&self.ctx, &path, true);
                Value::Bool(match q {
                    "os.path.isfile" => st.is_ok_and(|s| s.ftype == crate::fs::FileType::File),
                    "os.path.isdir" => st.is_ok_and(|s| s.ftype == crate::fs::FileType::Dir),
                    _ => st.is_ok(),
                })
            }
            "os.path.join" => {
                let mut out = String::new();
                for a in &args {
                    let s = a.str();
                    if s.starts_with('/') || out.is_empty() {
                        out = s;
                    } else if out.ends_with('/') {
                        out.push_str(&s);
                    } else {
                        out = format!("{out}/{s}");
                    }
                }
                Value::Str(out)
            }
            "os.path.basename" => Value::Str(first.str().rsplit('/').next().unwrap_or("").to_string()),
            "os.path.dirname" => Value::Str(first.str().rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default()),
            "os.path.abspath" => Value::Str(crate::fs::normalize(&self.ctx.cwd, &first.str())),
            "time.sleep" => {
                let secs = match first {
                    Value::Int(n) => n as f64,
                    Value::Float(f) => f,
                    _ => 0.0,
                };
                self.slept = true;
                if secs >= 60.0 && self.main_process {
                    return self.raise(Exception::new(BLOCK, ""));
                }
                self.world.clock.advance_millis((secs.clamp(0.0, 5.0) * 1000.0) as i64);
                Value::None
            }
            "time.time" => Value::Float(self.world.clock.nanos as f64 / 1e9),
            "time.strftime" => Value::Str(strftime(self.world.clock.nanos, &first.str())),
            "datetime.datetime.now" | "datetime.now" | "datetime.datetime.utcnow" | "datetime.utcnow" => {
                Value::DateTime(self.world.clock.nanos)
            }
            "logging.basicConfig" => {
                let filename = Self::kwarg(&kwargs, "filename").map(Value::str);
                if let Some(f) = &filename {
                    // FileHandler opens its file at once (append mode).
                    if let Err(e) = self.world.write_file(&self.ctx, f, &Data::empty(), WriteMode::Append) {
                        return self.raise(os_error(e, &crate::fs::normalize(&self.ctx.cwd, f)));
                    }
                }
                if self.logging.is_none() {
                    self.logging = Some(LogConfig {
                        filename,
                        level: match Self::kwarg(&kwargs, "level") {
                            Some(Value::Int(n)) => *n,
                            _ => 30,
                        },
                        format: Self::kwarg(&kwargs, "format")
                            .map(Value::str)
                            .unwrap_or_else(|| "%(levelname)s:%(name)s:%(message)s".into()),
                    });
                }
                Value::None
            }
            "logging.getLogger" => Value::Logger(if first == Value::None { "root".into() } else { first.str() }),
            "logging.debug" | "logging.info" | "logging.warning" | "logging.error" | "logging.critical" => {
                let level = q.trim_start_matches("logging.");
                self.log("root", level, &first.str())?;
                Value::None
            }
            "json.dumps" => Value::Str(json(&first)),
            "flask.Flask" => Value::FlaskApp,
            _ => {
                let (module, attr) = q.rsplit_once('.').unwrap_or(("builtins", q));
                let message = if module == "builtins" {
                    format!("name '{attr}' is not defined")
                } else {
                    format!("module '{module}' has no attribute '{attr}'")
                };
                return self.raise(Exception::new(if module == "builtins" { "NameError" } else { "AttributeError" }, message));
            }
        })
    }

    fn call_method(&mut self, obj: Value, method: &str, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> Result<Value> {
        let first = args.first().cloned().unwrap_or(Value::None);
        let no_attribute =
            |obj: &Value| Exception::new("AttributeError", format!("'{}' object has no attribute '{method}'", obj.type_name()));
        Ok(match (&obj, method) {
            (Value::Str(s), "upper") => Value::Str(s.to_uppercase()),
            (Value::Str(s), "lower") => Value::Str(s.to_lowercase()),
            (Value::Str(s), "strip") => Value::Str(s.trim().to_string()),
            (Value::Str(s), "rstrip") => Value::Str(s.trim_end().to_string()),
            (Value::Str(s), "lstrip") => Value::Str(s.trim_start().to_string()),
            (Value::Str(s), "split") => Value::List(match &first {
                Value::Str(sep) => s.split(sep.as_str()).map(|p| Value::Str(p.to_string())).collect(),
                _ => s.split_whitespace().map(|p| Value::Str(p.to_string())).collect(),
            }),
            (Value::Str(s), "splitlines") => Value::List(s.lines().map(|p| Value::Str(p.to_string())).collect()),
            (Value::Str(s), "join") => match &first {
                Value::List(v) => Value::Str(v.iter().map(Value::str).collect::<Vec<_>>().join(s)),
                _ => Value::Str(String::new()),
            },
            (Value::Str(s), "replace") => Value::Str(s.replace(&first.str(), &args.get(1).map(Value::str).unwrap_or_default())),
            (Value::Str(s), "startswith") => Value::Bool(s.starts_with(&first.str())),
            (Value::Str(s), "endswith") => Value::Bool(s.ends_with(&first.str())),
            (Value::Str(s), "format") => {
                let mut out = s.clone();
                for (k, v) in &kwargs {
                    out = out.replace(&format!("{{{k}}}"), &v.str());
                }
                for v in &args {
                    if let Some(pos) = out.find("{}") {
                        out.replace_range(pos..pos + 2, &v.str());
                    }
                }
                Value::Str(out)
            }
            (Value::List(_), "append") => {
                // Lists are values here: `append` cannot reach the variable, so it is refused loudly.
                return self.raise(Exception::new("NotImplementedError", "list.append is not simulated; build the list with + instead"));
            }
            (Value::Dict(d), "get") => {
                d.iter().find(|(k, _)| *k == first).map(|(_, v)| v.clone()).unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None))
            }
            (Value::Dict(d), "keys") => Value::List(d.iter().map(|(k, _)| k.clone()).collect()),
            (Value::Dict(d), "values") => Value::List(d.iter().map(|(_, v)| v.clone()).collect()),
            (Value::Dict(d), "items") => Value::List(d.iter().map(|(k, v)| Value::List(vec![k.clone(), v.clone()])).collect()),
            (Value::File(i), "write") => {
                let s = first.str();
                self.write_file(*i, &s)?;
                Value::Int(s.chars().count() as i64)
            }
            (Value::File(i), "read") => Value::Str(std::mem::take(&mut self.files[*i].content)),
            (Value::File(i), "readlines") => {
                let text = std::mem::take(&mut self.files[*i].content);
                Value::List(text.split_inclusive('\n').map(|l| Value::Str(l.to_string())).collect())
            }
            (Value::File(i), "close") => {
                self.files[*i].closed = true;
                Value::None
            }
            (Value::File(_), "flush") => Value::None,
            (Value::DateTime(n), "strftime") => Value::Str(strftime(*n, &first.str())),
            (Value::DateTime(n), "isoformat") => Value::Str(datetime_str(*n).replacen(' ', "T", 1)),
            (Value::Logger(name), level @ ("debug" | "info" | "warning" | "error" | "critical")) => {
                let name = name.clone();
                self.log(&name, level, &first.str())?;
                Value::None
            }
            (Value::Logger(_), "setLevel" | "addHandler") => Value::None,
            (Value::FlaskApp, "route") => Value::Route(first.str()),
            (Value::FlaskApp, "run") => {
                let host = Self::kwarg(&kwargs, "host").map(Value::str).unwrap_or_else(|| "127.0.0.1".into());
                let port = match Self::kwarg(&kwargs, "port") {
                    Some(Value::Int(n)) => u16::try_from(*n).unwrap_or(5000),
                    Some(other) => other.str().parse().unwrap_or(5000),
                    None => 5000,
                };
                let debug = Self::kwarg(&kwargs, "debug").is_some_and(Value::truthy);
                self.stderr.push_str(&flask::banner(&self.app_name, &host, port, debug));
                flask::listen(self, host, port);
                return self.raise(Exception::new(BLOCK, ""));
            }
            _ => return self.raise(no_attribute(&obj)),
        })
    }

    fn flush_stdout(&mut self) {
        let text = std::mem::take(&mut self.stdout_buffer);
        self.stdout_flushed.push_str(&text);
    }

    fn open(&mut self, args: &[Value], kwargs: &[(String, Value)]) -> Result<Value> {
        let path = self.path_arg(args, 0)?;
        let mode = args.get(1).or_else(|| Self::kwarg(kwargs, "mode")).map(Value::str).unwrap_or_else(|| "r".into());
        let shown = path.clone();
        if mode.contains('w') || mode.contains('a') || mode.contains('x') {
            let write_mode = if mode.contains('a') { WriteMode::Append } else { WriteMode::Truncate };
            if let Err(e) = self.world.write_file(&self.ctx, &path, &Data::empty(), write_mode) {
                return self.raise(os_error(e, &shown));
            }
            self.files.push(OpenFile { path, content: String::new(), writable: true, closed: false });
        } else {
            let content = match self.world.read(&self.ctx, &path) {
                Ok(d) => String::from_utf8_lossy(&d.to_vec()).into_owned(),
                Err(e) => return self.raise(os_error(e, &shown)),
            };
            self.files.push(OpenFile { path, content, writable: false, closed: false });
        }
        Ok(Value::File(self.files.len() - 1))
    }

    fn write_file(&mut self, i: usize, text: &str) -> Result<()> {
        let f = &self.files[i];
        if f.closed {
            return self.raise(Exception::new("ValueError", "I/O operation on closed file."));
        }
        if !f.writable {
            return self.raise(Exception::new("io.UnsupportedOperation", "not writable"));
        }
        let path = f.path.clone();
        if let Err(e) = self.world.write_file(&self.ctx, &path, &Data::from_bytes(text.as_bytes()), WriteMode::Append) {
            return self.raise(os_error(e, &path));
        }
        Ok(())
    }

    fn makedirs(&mut self, path: &str, parents: bool, exist_ok: bool) -> Result<()> {
        let absolute = crate::fs::normalize(&self.ctx.cwd, path);
        if self.world.stat(&self.ctx, &absolute, true).is_ok() {
            if exist_ok {
                return Ok(());
            }
            return self.raise(os_error(Errno::Exists, path));
        }
        let mut built = String::new();
        let parts: Vec<&str> = absolute.split('/').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            built.push('/');
            built.push_str(part);
            let last = i + 1 == parts.len();
            if !last && (!parents || self.world.stat(&self.ctx, &built, true).is_ok()) {
                continue;
            }
            if let Err(e) = self.world.mkdir(&self.ctx, &built, 0o777) {
                return self.raise(os_error(e, if last { path } else { &built }));
            }
        }
        Ok(())
    }

    fn log(&mut self, logger: &str, level: &str, message: &str) -> Result<()> {
        let number = match level {
            "debug" => 10,
            "info" => 20,
            "warning" => 30,
            "error" => 40,
            _ => 50,
        };
        let (threshold, filename, format) = match &self.logging {
            Some(c) => (c.level, c.filename.clone(), c.format.clone()),
            None => (30, None, "%(levelname)s:%(name)s:%(message)s".to_string()),
        };
        if number < threshold {
            return Ok(());
        }
        let nanos = self.world.clock.nanos;
        let millis = (nanos.rem_euclid(1_000_000_000) / 1_000_000) as u32;
        let asctime = format!("{},{millis:03}", strftime(nanos, "%Y-%m-%d %H:%M:%S"));
        let line = format
            .replace("%(asctime)s", &asctime)
            .replace("%(levelname)s", &level.to_uppercase())
            .replace("%(name)s", logger)
            .replace("%(message)s", message)
            + "\n";
        match filename {
            Some(f) => {
                if let Err(e) = self.world.write_file(&self.ctx, &f, &Data::from_bytes(line.as_bytes()), WriteMode::Append) {
                    return self.raise(os_error(e, &f));
                }
            }
            None => self.stderr.push_str(&line),
        }
        Ok(())
    }

    fn source_line(&self, line: usize) -> Option<String> {
        if self.file.starts_with('<') {
            return None;
        }
        self.source.get(line.wrapping_sub(1)).map(|l| l.trim().to_string())
    }

    fn syntax_error(&mut self, e: &SyntaxError, io: &mut Io) {
        io.err_line(&format!("  File \"{}\", line {}", self.file, e.line));
        if let Some(text) = self.source.get(e.line.wrapping_sub(1)) {
            let trimmed = text.trim_start();
            let indent = text.len() - trimmed.len();
            io.err_line(&format!("    {}", trimmed.trim_end()));
            io.err_line(&format!("    {}^", " ".repeat(e.column.saturating_sub(indent))));
        }
        let kind = if e.message.contains("indent") { "IndentationError" } else { "SyntaxError" };
        io.err_line(&format!("{kind}: {}", e.message));
    }

    fn traceback(&self, e: &Exception, io: &mut Io) {
        io.err_line("Traceback (most recent call last):");
        for f in &e.frames {
            io.err_line(&format!("  File \"{}\", line {}, in {}", self.file, f.line, f.function));
            if let Some(text) = self.source_line(f.line) {
                io.err_line(&format!("    {text}"));
            }
        }
        if e.message.is_empty() {
            io.err_line(&e.kind);
        } else {
            io.err_line(&format!("{}: {}", e.kind, e.message));
        }
    }
}

const BUILTINS: [&str; 13] =
    ["print", "len", "str", "repr", "int", "float", "range", "list", "input", "open", "exit", "quit", "__ternary__"];

fn json(v: &Value) -> String {
    match v {
        Value::None => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Str(s) => serde_json::Value::String(s.clone()).to_string(),
        Value::List(items) => format!("[{}]", items.iter().map(json).collect::<Vec<_>>().join(", ")),
        Value::Dict(items) => format!(
            "{{{}}}",
            items.iter().map(|(k, v)| format!("{}: {}", json(&Value::Str(k.str())), json(v))).collect::<Vec<_>>().join(", ")
        ),
        other => other.str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_as_python_prints_them() {
        assert_eq!(Value::Float(3.0).str(), "3.0");
        assert_eq!(Value::Float(0.5).str(), "0.5");
        assert_eq!(Value::List(vec![Value::Str("a".into()), Value::Int(1), Value::None]).str(), "['a', 1, None]");
        assert_eq!(Value::Str("it's".into()).repr(), "\"it's\"");
    }
}
