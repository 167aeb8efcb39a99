//! Template functions: Go's builtins (`text/template/funcs.go`, Go 1.21) and
//! Docker's additions (`docker/cli/templates`).

use std::borrow::Cow;
use std::rc::Rc;

use crate::gofmt::{is_print, sprint, sprint_verb, sprintf, sprintln};
use crate::json;
use crate::value::Val;

/// The Go parameter type a function declares; it decides how arguments are
/// checked and converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Param {
    /// `interface{}`
    Any,
    /// `reflect.Value`
    Value,
    /// `string`
    Str,
    /// `int`
    Int,
    /// `[]string`
    StrSlice,
}

impl Param {
    pub(crate) fn go_name(self) -> &'static str {
        match self {
            Param::Any => "interface {}",
            Param::Value => "reflect.Value",
            Param::Str => "string",
            Param::Int => "int",
            Param::StrSlice => "[]string",
        }
    }

    pub(crate) fn can_be_nil(self) -> bool {
        matches!(self, Param::Any | Param::Value | Param::StrSlice)
    }

    /// `reflect.Zero` of the type, as the template sees it.
    pub(crate) fn zero<'a>(self) -> Val<'a> {
        match self {
            Param::Any => Val::Nil,
            Param::StrSlice => Val::Strs(Rc::new(Vec::new())),
            _ => Val::Invalid,
        }
    }
}

pub(crate) struct Sig {
    pub fixed: &'static [Param],
    pub variadic: Option<Param>,
}

const fn sig(fixed: &'static [Param], variadic: Option<Param>) -> Sig {
    Sig { fixed, variadic }
}

use Param::{Any, Int, Str, StrSlice, Value};

/// Names of all functions a template may call.
pub(crate) fn is_function(name: &str) -> bool {
    signature(name, false).is_some()
}

/// The signature of a function; `header` selects Docker's
/// `HeaderFunctions` variants used to render table headers.
pub(crate) fn signature(name: &str, header: bool) -> Option<Sig> {
    Some(match name {
        "and" | "or" | "call" | "index" | "slice" | "eq" => sig(&[Value], Some(Value)),
        "ne" | "lt" | "le" | "gt" | "ge" => sig(&[Value, Value], None),
        "not" => sig(&[Value], None),
        "len" => sig(&[Any], None),
        "html" | "js" | "urlquery" | "print" | "println" => sig(&[], Some(Any)),
        "printf" => sig(&[Str], Some(Any)),
        "json" if header => sig(&[Str], None),
        "json" => sig(&[Any], None),
        "split" => sig(&[Str, Str], None),
        "join" if header => sig(&[Str, Str], None),
        "join" => sig(&[StrSlice, Str], None),
        "title" | "lower" | "upper" => sig(&[Str], None),
        "pad" => sig(&[Str, Int, Int], None),
        "truncate" => sig(&[Str, Int], None),
        _ => return None,
    })
}

fn as_str<'v>(v: &'v Val) -> &'v str {
    match v {
        Val::Str(s) => s,
        _ => "",
    }
}

fn as_int(v: &Val) -> i64 {
    match v {
        Val::Int(i) => *i,
        _ => 0,
    }
}

/// Calls a function on already checked arguments. `Err` carries the error
/// the Go function would return (or the panic it would raise).
pub(crate) fn call<'a>(name: &str, args: Vec<Val<'a>>, header: bool, omit_empty: &[String]) -> Result<Val<'a>, String> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::Invalid);
    match name {
        "index" => index(arg(0), &args[1.min(args.len())..]),
        "slice" => slice(arg(0), &args[1.min(args.len())..]),
        "len" => length(&arg(0)).map(|n| Val::Int(n as i64)),
        "not" => Ok(Val::Bool(!arg(0).is_true())),
        "call" => {
            let f = arg(0);
            if f.is_nilish() {
                Err("call of nil".to_string())
            } else {
                Err(format!("non-function of type {}", f.type_name()))
            }
        }
        "print" => Ok(Val::string(sprint(&args))),
        "println" => Ok(Val::string(sprintln(&args))),
        "printf" => Ok(Val::string(sprintf(as_str(&arg(0)), &args[1.min(args.len())..]))),
        "html" => Ok(Val::string(html_escape(&eval_args(&args)))),
        "js" => Ok(Val::string(js_escape(&eval_args(&args)))),
        "urlquery" => Ok(Val::string(query_escape(&eval_args(&args)))),
        "eq" => eq(&arg(0), &args[1.min(args.len())..]).map(Val::Bool),
        "ne" => eq(&arg(0), &args[1.min(args.len())..]).map(|b| Val::Bool(!b)),
        "lt" => lt(&arg(0), &arg(1)).map(Val::Bool),
        "le" => le(&arg(0), &arg(1)).map(Val::Bool),
        "gt" => le(&arg(0), &arg(1)).map(|b| Val::Bool(!b)),
        "ge" => lt(&arg(0), &arg(1)).map(|b| Val::Bool(!b)),
        // Docker's HeaderFunctions keep the header text as it is.
        "json" | "split" | "join" | "title" | "lower" | "upper" | "truncate" if header => Ok(arg(0)),
        "json" => Ok(Val::string(json::encode(&arg(0), omit_empty))),
        "split" => Ok(Val::Strs(Rc::new(split(as_str(&arg(0)), as_str(&arg(1)))))),
        "join" => match arg(0) {
            Val::Strs(s) => Ok(Val::string(s.join(as_str(&arg(1))))),
            _ => Ok(Val::string(String::new())),
        },
        "title" => Ok(Val::string(title(as_str(&arg(0))))),
        "lower" => Ok(Val::string(map_chars(as_str(&arg(0)), |c| c.to_lowercase()))),
        "upper" => Ok(Val::string(map_chars(as_str(&arg(0)), |c| c.to_uppercase()))),
        "pad" => pad(as_str(&arg(0)), as_int(&arg(1)), as_int(&arg(2))).map(Val::string),
        "truncate" => truncate(as_str(&arg(0)), as_int(&arg(1))).map(Val::string),
        _ => Err(format!("{} is not a defined function", name)),
    }
}

// ---------------------------------------------------------------------------
// index, slice, len

/// Go's `indexArg`.
fn index_arg(index: &Val, cap: usize) -> Result<usize, String> {
    let x: i128 = match index {
        Val::Int(i) => *i as i128,
        Val::Uint(u) => *u as i128,
        Val::Byte(b) => *b as i128,
        Val::Invalid | Val::Nil => return Err("cannot index slice/array with nil".to_string()),
        other => return Err(format!("cannot index slice/array with type {}", other.type_name())),
    };
    if x < 0 || x > cap as i128 {
        return Err(format!("index out of range: {}", x));
    }
    Ok(x as usize)
}

fn index<'a>(item: Val<'a>, indexes: &[Val<'a>]) -> Result<Val<'a>, String> {
    let mut item = match item {
        Val::Nil => Val::Invalid,
        v => v,
    };
    if matches!(item, Val::Invalid) {
        return Err("index of untyped nil".to_string());
    }
    for i in indexes {
        let i = match i {
            Val::Nil => &Val::Invalid,
            v => v,
        };
        item = match &item {
            Val::Nil | Val::Invalid => return Err("index of nil pointer".to_string()),
            Val::Arr(a) => {
                let x = index_arg(i, a.len())?;
                match a.get(x) {
                    Some(e) => Val::from_json(e),
                    None => return Err("reflect: slice index out of range".to_string()),
                }
            }
            Val::Strs(s) => {
                let x = index_arg(i, s.len())?;
                match s.get(x) {
                    Some(e) => Val::string(e.clone()),
                    None => return Err("reflect: slice index out of range".to_string()),
                }
            }
            Val::Str(s) => {
                let x = index_arg(i, s.len())?;
                match s.as_bytes().get(x) {
                    Some(b) => Val::Byte(*b),
                    None => return Err("reflect: string index out of range".to_string()),
                }
            }
            Val::Obj(m) => {
                let key = match i {
                    Val::Str(k) => k,
                    Val::Invalid => return Err("value is nil; should be of type string".to_string()),
                    other => return Err(format!("value has type {}; should be string", other.type_name())),
                };
                match m.get(key.as_ref()) {
                    Some(e) => Val::from_json(e),
                    // The zero value of the element type. A map whose values
                    // are all strings stands for Docker's map[string]string
                    // (labels, options), whose zero value is "".
                    None if m.values().all(|v| v.is_string()) => Val::Str(Cow::Borrowed("")),
                    None => Val::Invalid,
                }
            }
            other => return Err(format!("can't index item of type {}", other.type_name())),
        };
    }
    Ok(item)
}

fn slice<'a>(item: Val<'a>, indexes: &[Val<'a>]) -> Result<Val<'a>, String> {
    if item.is_nilish() {
        return Err("slice of untyped nil".to_string());
    }
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let len = match &item {
        Val::Str(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".to_string());
            }
            s.len()
        }
        Val::Arr(a) => a.len(),
        Val::Strs(s) => s.len(),
        other => return Err(format!("can't slice item of type {}", other.type_name())),
    };
    let mut idx = [0usize, len, 0];
    for (k, index) in indexes.iter().enumerate() {
        let index = if matches!(index, Val::Nil) { &Val::Invalid } else { index };
        idx[k] = index_arg(index, len)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    let (i, j) = (idx[0], idx[1]);
    Ok(match item {
        Val::Str(s) => Val::string(bytes_to_string(&s.as_bytes()[i..j])),
        Val::Arr(a) => Val::Arr(&a[i..j]),
        Val::Strs(s) => Val::Strs(Rc::new(s[i..j].to_vec())),
        _ => Val::Invalid,
    })
}

fn length(item: &Val) -> Result<usize, String> {
    match item {
        Val::Invalid | Val::Nil => Err("len of untyped nil".to_string()),
        Val::Str(s) => Ok(s.len()),
        Val::Arr(a) => Ok(a.len()),
        Val::Obj(m) => Ok(m.keys().filter(|k| !k.starts_with('\u{0}')).count()),
        Val::Strs(s) => Ok(s.len()),
        other => Err(format!("len of type {}", other.type_name())),
    }
}

fn bytes_to_string(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

// ---------------------------------------------------------------------------
// Comparison

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    String,
    Uint,
}

fn basic_kind(v: &Val) -> Kind {
    match v {
        Val::Bool(_) => Kind::Bool,
        Val::Int(_) => Kind::Int,
        Val::Uint(_) | Val::Byte(_) => Kind::Uint,
        Val::Float(_) => Kind::Float,
        Val::Str(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

fn int_of(v: &Val) -> i64 {
    match v {
        Val::Int(i) => *i,
        _ => 0,
    }
}

fn uint_of(v: &Val) -> u64 {
    match v {
        Val::Uint(u) => *u,
        Val::Byte(b) => *b as u64,
        _ => 0,
    }
}

fn float_of(v: &Val) -> f64 {
    match v {
        Val::Float(f) => *f,
        _ => 0.0,
    }
}

/// Go's `reflect.Kind` name class used by `canCompare`.
fn reflect_kind(v: &Val) -> u8 {
    match v {
        Val::Invalid | Val::Nil => 0,
        Val::Arr(_) | Val::Strs(_) => 1,
        Val::Obj(_) => 2,
        _ => 3,
    }
}

const ERR_BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const ERR_BAD_COMPARISON: &str = "incompatible types for comparison";
const ERR_NO_COMPARISON: &str = "missing argument for comparison";

fn indirect<'v, 'a>(v: &'v Val<'a>) -> &'v Val<'a> {
    if matches!(v, Val::Nil) {
        &Val::Invalid
    } else {
        v
    }
}

fn eq(arg1: &Val, rest: &[Val]) -> Result<bool, String> {
    let arg1 = indirect(arg1);
    if rest.is_empty() {
        return Err(ERR_NO_COMPARISON.to_string());
    }
    let k1 = basic_kind(arg1);
    for arg in rest {
        let arg = indirect(arg);
        let k2 = basic_kind(arg);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (Kind::Int, Kind::Uint) => int_of(arg1) >= 0 && int_of(arg1) as u64 == uint_of(arg),
                (Kind::Uint, Kind::Int) => int_of(arg) >= 0 && uint_of(arg1) == int_of(arg) as u64,
                _ => {
                    if !matches!(arg1, Val::Invalid) && !matches!(arg, Val::Invalid) {
                        return Err(ERR_BAD_COMPARISON.to_string());
                    }
                    false
                }
            }
        } else {
            match k1 {
                Kind::Bool => matches!((arg1, arg), (Val::Bool(a), Val::Bool(b)) if a == b),
                Kind::Float => float_of(arg1) == float_of(arg),
                Kind::Int => int_of(arg1) == int_of(arg),
                Kind::Uint => uint_of(arg1) == uint_of(arg),
                Kind::String => matches!((arg1, arg), (Val::Str(a), Val::Str(b)) if a == b),
                Kind::Invalid => {
                    let (r1, r2) = (reflect_kind(arg1), reflect_kind(arg));
                    if r1 != r2 && r1 != 0 && r2 != 0 {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            sprint_verb(arg1, 's'),
                            arg1.type_name(),
                            arg.type_name(),
                            sprint_verb(arg, 'v')
                        ));
                    }
                    let (n1, n2) = (matches!(arg1, Val::Invalid), matches!(arg, Val::Invalid));
                    if n1 || n2 {
                        n1 == n2
                    } else {
                        return Err(format!("non-comparable type {}: {}", sprint_verb(arg, 's'), arg.type_name()));
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(arg1: &Val, arg2: &Val) -> Result<bool, String> {
    let arg1 = indirect(arg1);
    let arg2 = indirect(arg2);
    let k1 = basic_kind(arg1);
    if k1 == Kind::Invalid {
        return Err(ERR_BAD_COMPARISON_TYPE.to_string());
    }
    let k2 = basic_kind(arg2);
    if k2 == Kind::Invalid {
        return Err(ERR_BAD_COMPARISON_TYPE.to_string());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) => Ok(int_of(arg1) < 0 || (int_of(arg1) as u64) < uint_of(arg2)),
            (Kind::Uint, Kind::Int) => Ok(int_of(arg2) >= 0 && uint_of(arg1) < int_of(arg2) as u64),
            _ => Err(ERR_BAD_COMPARISON.to_string()),
        };
    }
    Ok(match k1 {
        Kind::Bool | Kind::Invalid => return Err(ERR_BAD_COMPARISON_TYPE.to_string()),
        Kind::Float => float_of(arg1) < float_of(arg2),
        Kind::Int => int_of(arg1) < int_of(arg2),
        Kind::Uint => uint_of(arg1) < uint_of(arg2),
        Kind::String => match (arg1, arg2) {
            (Val::Str(a), Val::Str(b)) => a < b,
            _ => false,
        },
    })
}

fn le(arg1: &Val, arg2: &Val) -> Result<bool, String> {
    if lt(arg1, arg2)? {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}

// ---------------------------------------------------------------------------
// Escapers

fn eval_args(args: &[Val]) -> String {
    if let [Val::Str(s)] = args {
        return s.to_string();
    }
    sprint(args)
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{fffd}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c if c.is_ascii() || is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{:02X}", b)),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Docker's functions

/// Go's `strings.Split`.
fn split(s: &str, sep: &str) -> Vec<String> {
    if sep.is_empty() {
        return s.chars().map(|c| c.to_string()).collect();
    }
    s.split(sep).map(str::to_string).collect()
}

/// Go's per-rune case mapping: runes whose mapping is not a single rune are
/// left alone.
fn map_chars<I: Iterator<Item = char>>(s: &str, f: impl Fn(char) -> I) -> String {
    s.chars()
        .map(|c| {
            let mut m = f(c);
            match (m.next(), m.next()) {
                (Some(one), None) => one,
                _ => c,
            }
        })
        .collect()
}

fn is_separator(r: char) -> bool {
    if r.is_ascii() {
        return !(r.is_ascii_alphanumeric() || r == '_');
    }
    if r.is_alphabetic() || r.is_numeric() {
        return false;
    }
    r.is_whitespace()
}

/// Go's `strings.Title`.
fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|r| {
            let out = if is_separator(prev) {
                let mut m = r.to_uppercase();
                match (m.next(), m.next()) {
                    (Some(one), None) => one,
                    _ => r,
                }
            } else {
                r
            };
            prev = r;
            out
        })
        .collect()
}

/// Longest output `pad` produces before failing like Go's `strings.Repeat`
/// on an absurd count.
const MAX_REPEAT: i64 = 1 << 24;

fn pad(s: &str, prefix: i64, suffix: i64) -> Result<String, String> {
    if s.is_empty() {
        return Ok(String::new());
    }
    if prefix < 0 || suffix < 0 {
        return Err("strings: negative Repeat count".to_string());
    }
    if prefix > MAX_REPEAT || suffix > MAX_REPEAT {
        return Err("strings: Repeat output length overflow".to_string());
    }
    let mut out = String::with_capacity(s.len() + (prefix + suffix) as usize);
    out.extend(std::iter::repeat_n(' ', prefix as usize));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', suffix as usize));
    Ok(out)
}

fn truncate(s: &str, n: i64) -> Result<String, String> {
    if n < 0 {
        return Err(format!("runtime error: slice bounds out of range [:{}]", n));
    }
    if (s.len() as i64) < n {
        return Ok(s.to_string());
    }
    Ok(bytes_to_string(&s.as_bytes()[..n as usize]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_title() {
        assert_eq!(title("hello wORLD foo_bar x-y"), "Hello WORLD Foo_bar X-Y");
    }

    #[test]
    fn go_split() {
        assert_eq!(split("a,b,,c", ","), vec!["a", "b", "", "c"]);
        assert_eq!(split("", ","), vec![""]);
        assert_eq!(split("abc", ""), vec!["a", "b", "c"]);
        assert!(split("", "").is_empty());
    }

    #[test]
    fn escapers() {
        assert_eq!(html_escape("<a href=\"x\">'&'</a>"), "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(js_escape("a'b\"c<d>=&\n"), "a\\'b\\\"c\\u003Cd\\u003E\\u003D\\u0026\\u000A");
        assert_eq!(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn docker_truncate_and_pad() {
        assert_eq!(truncate("abcdef", 3).as_deref(), Ok("abc"));
        assert_eq!(truncate("ab", 3).as_deref(), Ok("ab"));
        assert_eq!(truncate("abc", 3).as_deref(), Ok("abc"));
        assert_eq!(truncate("abc", -1), Err("runtime error: slice bounds out of range [:-1]".to_string()));
        assert_eq!(pad("x", 2, 1).as_deref(), Ok("  x "));
        assert_eq!(pad("", 2, 1).as_deref(), Ok(""));
        assert_eq!(pad("x", -1, 0), Err("strings: negative Repeat count".to_string()));
    }
}
