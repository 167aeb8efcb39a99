//! The dynamic values a template works on.
//!
//! Go templates run over reflected Go values. Here the data is JSON, so each
//! JSON value is given the Go type it would have after `encoding/json`
//! decoding into typed fields: strings are `string`, integral numbers `int`,
//! other numbers `float64`, arrays `[]interface {}`, objects
//! `map[string]interface {}`. `null` plays the part of a nil pointer.

use std::borrow::Cow;
use std::rc::Rc;

use serde_json::{Map, Value as Json};

/// A value during execution.
#[derive(Clone, Debug)]
pub(crate) enum Val<'a> {
    /// Go's zero `reflect.Value`: what a missing map key yields.
    Invalid,
    /// A nil value (JSON `null`, the `nil` keyword passed to a function).
    Nil,
    Bool(bool),
    /// Go `int`.
    Int(i64),
    /// Go `uint64` (JSON integers above `i64::MAX`).
    Uint(u64),
    /// Go `uint8` (what indexing a string yields).
    Byte(u8),
    /// Go `float64`.
    Float(f64),
    Str(Cow<'a, str>),
    /// Go `[]interface {}` (a JSON array, or a slice of one).
    Arr(&'a [Json]),
    /// Go `map[string]interface {}` (a JSON object).
    Obj(&'a Map<String, Json>),
    /// Go `[]string` (what `split` returns).
    Strs(Rc<Vec<String>>),
}

impl<'a> Val<'a> {
    pub(crate) fn from_json(j: &'a Json) -> Val<'a> {
        match j {
            Json::Null => Val::Nil,
            Json::Bool(b) => Val::Bool(*b),
            Json::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Val::Int(i)
                } else if let Some(u) = n.as_u64() {
                    Val::Uint(u)
                } else {
                    Val::Float(n.as_f64().unwrap_or(0.0))
                }
            }
            Json::String(s) => Val::Str(Cow::Borrowed(s.as_str())),
            Json::Array(a) => Val::Arr(a.as_slice()),
            Json::Object(m) => Val::Obj(m),
        }
    }

    pub(crate) fn string(s: String) -> Val<'a> {
        Val::Str(Cow::Owned(s))
    }

    /// Invalid or nil: what Go's `indirectInterface` turns into an invalid value.
    pub(crate) fn is_nilish(&self) -> bool {
        matches!(self, Val::Invalid | Val::Nil)
    }

    /// The Go type name, as `reflect.Type.String()` spells it.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Val::Invalid => "<nil>",
            Val::Nil => "interface {}",
            Val::Bool(_) => "bool",
            Val::Int(_) => "int",
            Val::Uint(_) => "uint64",
            Val::Byte(_) => "uint8",
            Val::Float(_) => "float64",
            Val::Str(_) => "string",
            Val::Arr(_) => "[]interface {}",
            Val::Obj(_) => "map[string]interface {}",
            Val::Strs(_) => "[]string",
        }
    }

    /// Go's `isTrue`: the zero value of a type and empty collections are false.
    pub(crate) fn is_true(&self) -> bool {
        match self {
            Val::Invalid | Val::Nil => false,
            Val::Bool(b) => *b,
            Val::Int(i) => *i != 0,
            Val::Uint(u) => *u != 0,
            Val::Byte(b) => *b != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::Arr(a) => !a.is_empty(),
            Val::Obj(m) => m.keys().any(|k| !k.starts_with('\u{0}')),
            Val::Strs(s) => !s.is_empty(),
        }
    }
}

/// Map keys in the order Go prints and ranges over them (sorted bytewise).
pub(crate) fn sorted_keys(m: &Map<String, Json>) -> Vec<&String> {
    // Markers (see `STRUCT_MARKER`, `NIL_MARKER`) are not members of the Go value.
    let mut keys: Vec<&String> = m.keys().filter(|k| !k.starts_with('\u{0}')).collect();
    keys.sort();
    keys
}
