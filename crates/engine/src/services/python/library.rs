//! What a script calls beyond its own functions: the builtins, the standard library (`os`, `sys`,
//! `time`, `logging`, `json`), the methods of values and Flask's app, with the files and logs they write.

use super::value::{datetime_str, json, strftime};
use super::{flask, os_error, Exception, Interp, LogConfig, OpenFile, Result, Value, BLOCK};
use crate::fs::{Data, Errno};
use crate::vfs::WriteMode;

impl<'w> Interp<'w> {
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

    pub(super) fn call_native(&mut self, q: &str, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> Result<Value> {
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
                self.world.advance_clock((secs.clamp(0.0, 5.0) * 1000.0) as i64);
                Value::None
            }
            "time.time" => Value::Float(self.world.clock().nanos as f64 / 1e9),
            "time.strftime" => Value::Str(strftime(self.world.clock().nanos, &first.str())),
            "datetime.datetime.now" | "datetime.now" | "datetime.datetime.utcnow" | "datetime.utcnow" => {
                Value::DateTime(self.world.clock().nanos)
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

    pub(super) fn call_method(&mut self, obj: Value, method: &str, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> Result<Value> {
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
        let nanos = self.world.clock().nanos;
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
}

pub(super) const BUILTINS: [&str; 13] =
    ["print", "len", "str", "repr", "int", "float", "range", "list", "input", "open", "exit", "quit", "__ternary__"];
