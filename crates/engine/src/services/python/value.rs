//! The values a script computes with, and how Python prints them (`str`, `repr`, JSON, dates).

use crate::clock::tm;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
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
    pub(super) fn truthy(&self) -> bool {
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

    pub(super) fn type_name(&self) -> &'static str {
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
    pub(super) fn str(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            _ => self.repr(),
        }
    }

    pub(super) fn repr(&self) -> String {
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

pub(super) fn datetime_str(nanos: i128) -> String {
    let secs = nanos.div_euclid(1_000_000_000) as i64;
    let micros = (nanos.rem_euclid(1_000_000_000) / 1000) as u32;
    let t = tm(secs);
    format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{micros:06}", t.year, t.month, t.day, t.hour, t.min, t.sec)
}

pub(super) fn strftime(nanos: i128, format: &str) -> String {
    let secs = nanos.div_euclid(1_000_000_000) as i64;
    let t = tm(secs);
    crate::userland::coreutils::percent(format, |k| match k {
        'Y' => Some(format!("{:04}", t.year)),
        'm' => Some(format!("{:02}", t.month)),
        'd' => Some(format!("{:02}", t.day)),
        'H' => Some(format!("{:02}", t.hour)),
        'M' => Some(format!("{:02}", t.min)),
        'S' => Some(format!("{:02}", t.sec)),
        _ => None,
    })
}

pub(super) fn json(v: &Value) -> String {
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
