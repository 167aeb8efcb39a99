//! `python` of the python:3.9-slim image: runs learners' scripts with a small interpreter whose
//! side effects are real in the simulated machine (files and log files written with the process's
//! uid, stdout buffering as CPython does it when stdout is not a terminal, a Flask dev server that
//! keeps the container running), plus `pip`.

mod eval;
pub mod flask;
mod library;
mod parse;
mod pip;
mod value;

use std::collections::BTreeMap;

use parse::{Expr, Node, Stmt, SyntaxError};
use value::{json, Value};

use crate::fs::Errno;
use crate::shell::{Io, Shell};
use crate::userland::Exit;
use crate::vfs::Ctx;
use crate::world::World;

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
                    io.err_line(&format!("python: can't open file '{absolute}': [Errno {}] {e}", e.number()));
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
    Exception::new(kind, format!("[Errno {}] {e}: '{path}'", e.number()))
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

    #[test]
    fn strftime_fills_its_conversions_and_leaves_unknown_ones() {
        // 2024-01-02 03:04:05 UTC.
        let nanos = 1_704_164_645 * 1_000_000_000;
        assert_eq!(value::strftime(nanos, "%Y-%m-%d %H:%M:%S %% %Q x%"), "2024-01-02 03:04:05 % %Q x%");
    }
}
