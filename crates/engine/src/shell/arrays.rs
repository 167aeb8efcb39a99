//! bash's arrays: indexed (`a=(x y)`, `a[5]=z`, sparse) and associative (`declare -A m`),
//! read as `${a[i]}`, `${a[@]}` (one field each when quoted), `${a[*]}`, `${#a[@]}`, `${!a[@]}`
//! and `${a[@]:from:count}`; `$a` is the element at 0. A name with a subscript is kept as
//! written (`a[$i]`) and resolved here. oracle-63.

use std::collections::BTreeMap;

use super::process::{Shell, ShellArray};
use crate::userland::arith::{self, Vars};

/// `name[subscript]` split in two (`None` for a plain name).
pub fn subscripted(name: &str) -> Option<(&str, &str)> {
    let (base, rest) = name.split_once('[')?;
    let sub = rest.strip_suffix(']')?;
    (!base.is_empty() && base.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some((base, sub))
}

/// The shell's variables read-only, for a subscript's arithmetic.
struct Reading<'a>(&'a Shell);

impl Vars for Reading<'_> {
    fn get(&self, name: &str) -> Option<i64> {
        self.0.scalar(name).and_then(|v| v.trim().parse().ok())
    }
    fn set(&mut self, _: &str, _: i64) {}
}

impl Shell {
    /// A scalar's value, or the element a subscripted name (or an array's name: index 0) stands for.
    pub fn scalar(&self, name: &str) -> Option<String> {
        match subscripted(name) {
            Some((base, sub)) => {
                let array = self.arrays.get(base)?;
                match array {
                    ShellArray::Indexed(m) => m.get(&self.index(sub)).cloned(),
                    ShellArray::Assoc(m) => m.get(&self.key(sub)).cloned(),
                }
            }
            None => match self.arrays.get(name) {
                Some(ShellArray::Indexed(m)) => m.get(&0).cloned(),
                Some(ShellArray::Assoc(m)) => m.get("0").cloned(),
                None => self.vars.get(name).cloned(),
            },
        }
    }

    /// An indexed subscript: arithmetic, negative from the end.
    fn index(&self, sub: &str) -> i64 {
        arith::eval_mut(sub, &mut Reading(self)).unwrap_or(0)
    }

    /// An associative key: its `$name` and `${name}` replaced.
    fn key(&self, sub: &str) -> String {
        let sub = sub.trim_matches('"');
        if let Some(name) = sub.strip_prefix("${").and_then(|s| s.strip_suffix('}')).or_else(|| sub.strip_prefix('$')) {
            return self.scalar(name).unwrap_or_default();
        }
        sub.to_string()
    }

    /// The elements `name[@]` or `name[*]` stand for (`None` when `name` has no such subscript).
    pub fn array_elements(&self, name: &str) -> Option<Vec<String>> {
        let (base, sub) = subscripted(name)?;
        if sub != "@" && sub != "*" {
            return None;
        }
        Some(match self.arrays.get(base) {
            Some(a) => a.values(),
            None => self.vars.get(base).cloned().into_iter().collect(),
        })
    }

    /// `${name[@]:from:count}`: an indexed array's elements from index `from` on (negative:
    /// from one past the last index), at most `count`; others by position.
    pub fn array_from(&self, name: &str, from: i64, count: Option<usize>) -> Vec<String> {
        let base = subscripted(name).map_or(name, |(b, _)| b);
        let take = |v: Vec<String>| match count {
            Some(n) => v.into_iter().take(n).collect(),
            None => v,
        };
        match self.arrays.get(base) {
            Some(ShellArray::Indexed(m)) => {
                let end = m.keys().next_back().map_or(0, |k| k + 1);
                let from = if from < 0 { end + from } else { from };
                take(m.range(from..).map(|(_, v)| v.clone()).collect())
            }
            Some(ShellArray::Assoc(m)) => take(m.values().skip(from.max(0) as usize).cloned().collect()),
            None => take(self.vars.get(base).cloned().into_iter().skip(from.max(0) as usize).collect()),
        }
    }

    /// `${!name[@]}`: the indices or keys.
    pub fn array_keys(&self, name: &str) -> Option<Vec<String>> {
        let (base, sub) = subscripted(name.strip_prefix('!')?)?;
        (sub == "@" || sub == "*").then(|| self.arrays.get(base).map(ShellArray::keys).unwrap_or_default())
    }

    /// `name=(…)` (or `name+=(…)`, appending).
    pub fn assign_array(&mut self, name: &str, values: Vec<String>, append: bool) {
        self.vars.remove(name);
        let array = self.arrays.entry(name.to_string()).or_insert_with(|| ShellArray::Indexed(BTreeMap::new()));
        match array {
            ShellArray::Indexed(m) => {
                if !append {
                    m.clear();
                }
                let next = m.keys().next_back().map_or(0, |k| k + 1);
                for (at, v) in (next..).zip(values) {
                    m.insert(at, v);
                }
            }
            ShellArray::Assoc(m) => {
                if !append {
                    m.clear();
                }
                // `m=([k]=v …)` is not read; plain words pair up as keys and values.
                for pair in values.chunks(2) {
                    m.insert(pair[0].clone(), pair.get(1).cloned().unwrap_or_default());
                }
            }
        }
    }

    /// An assignment to `name` or `name[subscript]` (`append`: `+=`).
    pub fn assign(&mut self, name: &str, value: String, append: bool) {
        let Some((base, sub)) = subscripted(name) else {
            let value = if append { format!("{}{value}", self.scalar(name).unwrap_or_default()) } else { value };
            if let Some(array) = self.arrays.get_mut(name) {
                match array {
                    ShellArray::Indexed(m) => m.insert(0, value),
                    ShellArray::Assoc(m) => m.insert("0".into(), value),
                };
            } else {
                self.vars.insert(name.to_string(), value);
            }
            return;
        };
        let (index, key) = (self.index(sub), self.key(sub));
        let old = self.scalar(name).unwrap_or_default();
        let value = if append { format!("{old}{value}") } else { value };
        let array = self.arrays.entry(base.to_string()).or_insert_with(|| ShellArray::Indexed(BTreeMap::new()));
        match array {
            ShellArray::Indexed(m) => {
                let at = if index < 0 { m.keys().next_back().map_or(0, |k| k + 1) + index } else { index };
                m.insert(at, value);
            }
            ShellArray::Assoc(m) => {
                m.insert(key, value);
            }
        }
    }

    /// `unset name` or `unset 'name[subscript]'`.
    pub fn unset(&mut self, name: &str) {
        match subscripted(name) {
            Some((base, sub)) => {
                let (index, key) = (self.index(sub), self.key(sub));
                match self.arrays.get_mut(base) {
                    Some(ShellArray::Indexed(m)) => {
                        m.remove(&index);
                    }
                    Some(ShellArray::Assoc(m)) => {
                        m.remove(&key);
                    }
                    None => {}
                }
            }
            None => {
                self.vars.remove(name);
                self.arrays.remove(name);
                self.exported.remove(name);
            }
        }
    }

    /// `declare -a NAME` / `declare -A NAME`: an empty array of that kind.
    pub fn declare_array(&mut self, name: &str, associative: bool) {
        let kind = if associative { ShellArray::Assoc(BTreeMap::new()) } else { ShellArray::Indexed(BTreeMap::new()) };
        self.arrays.entry(name.to_string()).or_insert(kind);
    }
}
