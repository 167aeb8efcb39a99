//! Expressions: evaluation, operators, attributes, and calls into the script's own functions.

use std::collections::BTreeMap;

use super::library::BUILTINS;
use super::parse::{Expr, FPart};
use super::{Exception, Flow, Frame, Interp, Result, Value, VERSION_BANNER};

impl<'w> Interp<'w> {
    pub(super) fn eval(&mut self, e: &Expr) -> Result<Value> {
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

    pub(super) fn binary(&self, op: &str, a: Value, b: Value) -> Result<Value> {
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

    pub(super) fn call(&mut self, f: Value, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> Result<Value> {
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
}
