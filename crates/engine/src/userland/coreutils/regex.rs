//! Regular expressions as grep, sed and awk read them: POSIX basic (BRE: `\(`, `\{`, `*`
//! literal at the start, GNU's `\+ \? \|`) and extended (ERE) syntax, with bracket expressions
//! and their `[:classes:]`, translated to the syntax of `regex-lite`, which matches; one with a
//! back-reference (`\(a\)\1`), which `regex-lite` cannot match, goes to the backtracking
//! matcher of `backtrack.rs`. Positions are counted in characters, as the tools count them.

use super::backtrack::Program;

/// A compiled expression.
#[derive(Clone, Debug)]
pub struct Regex {
    inner: Inner,
}

#[derive(Clone, Debug)]
enum Inner {
    Lite(regex_lite::Regex),
    Backtrack(Program),
}

impl Regex {
    /// An extended expression (`grep -E`, `sed -E`, awk), or a fixed string.
    pub fn new(pattern: &str, fixed: bool, ignore_case: bool) -> Option<Regex> {
        if !fixed && has_back_reference(pattern) {
            return Program::compile(pattern, false, ignore_case).map(|p| Regex { inner: Inner::Backtrack(p) });
        }
        let body = if fixed { regex_lite::escape(pattern) } else { translate(pattern, false)? };
        Self::compile(&body, ignore_case)
    }

    /// A basic expression (`grep`, `sed`).
    pub fn basic(pattern: &str, ignore_case: bool) -> Option<Regex> {
        if has_back_reference(pattern) {
            return Program::compile(pattern, true, ignore_case).map(|p| Regex { inner: Inner::Backtrack(p) });
        }
        Self::compile(&translate(pattern, true)?, ignore_case)
    }

    /// Any of several patterns (`grep -e A -e B`); one pattern is that pattern. Several with a
    /// back-reference among them are not matched (none of the tools' lines needs it).
    pub fn any_of(patterns: &[String], basic: bool, fixed: bool, ignore_case: bool) -> Option<Regex> {
        match patterns {
            [one] if basic => Self::basic(one, ignore_case),
            [one] => Self::new(one, fixed, ignore_case),
            many => {
                let mut bodies = Vec::new();
                for p in many {
                    if !fixed && has_back_reference(p) {
                        return None;
                    }
                    bodies.push(if fixed { regex_lite::escape(p) } else { translate(p, basic)? });
                }
                Self::compile(&bodies.iter().map(|b| format!("(?:{b})")).collect::<Vec<_>>().join("|"), ignore_case)
            }
        }
    }

    fn compile(body: &str, ignore_case: bool) -> Option<Regex> {
        let flags = if ignore_case { "(?i)" } else { "" };
        regex_lite::Regex::new(&format!("{flags}{body}")).ok().map(|inner| Regex { inner: Inner::Lite(inner) })
    }

    pub fn is_match(&self, s: &str) -> bool {
        match &self.inner {
            Inner::Lite(re) => re.is_match(s),
            Inner::Backtrack(p) => p.captures_from(s, 0).is_some(),
        }
    }

    /// The first match as a range of characters.
    pub fn find(&self, s: &str) -> Option<(usize, usize)> {
        match &self.inner {
            Inner::Lite(re) => {
                let m = re.find(s)?;
                Some((char_at(s, m.start()), char_at(s, m.end())))
            }
            Inner::Backtrack(p) => p.captures_from(s, 0)?.first().copied().flatten(),
        }
    }

    /// The first match starting at or after character `from` (anchors still see the whole
    /// text): the match and each group as ranges of characters.
    pub fn captures_from(&self, s: &str, from: usize) -> Option<Vec<Option<(usize, usize)>>> {
        match &self.inner {
            Inner::Lite(re) => {
                let start = s.char_indices().nth(from).map_or(s.len(), |(b, _)| b);
                let caps = re.captures_at(s, start)?;
                Some((0..caps.len()).map(|i| caps.get(i).map(|m| (char_at(s, m.start()), char_at(s, m.end())))).collect())
            }
            Inner::Backtrack(p) => p.captures_from(s, from),
        }
    }
}

/// What GNU's matcher says of an expression it cannot compile: a back-reference to a group
/// that does not come before it, or a fault of its own.
pub fn complaint(pattern: &str, basic: bool) -> &'static str {
    if has_back_reference(pattern)
        && Program::compile(pattern, basic, false).is_none()
        && Program::compile(&strip_references(pattern), basic, false).is_some()
    {
        "Invalid back reference"
    } else {
        "invalid regular expression"
    }
}

/// The expression with its back-references taken out (to tell their fault from others').
fn strip_references(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|d| ('1'..='9').contains(d)) {
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// Whether a POSIX expression holds a back-reference (`\1` … `\9` outside a bracket).
fn has_back_reference(pattern: &str) -> bool {
    let c: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '\\' if c.get(i + 1).is_some_and(|d| ('1'..='9').contains(d)) => return true,
            '\\' => i += 2,
            '[' => i = bracket(&c, i).map_or(i + 1, |(_, end)| end),
            _ => i += 1,
        }
    }
    false
}

/// The character index of byte offset `byte`.
fn char_at(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(0, |before| before.chars().count())
}

/// A POSIX expression in `regex-lite`'s syntax; `None` when it is not a valid one.
fn translate(pattern: &str, basic: bool) -> Option<String> {
    let c: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    // Where an atom may not start (so `*` is literal): the start, after `(` or `|`, after `^`.
    let mut at_start = true;
    while i < c.len() {
        let ch = c[i];
        let was_start = at_start;
        at_start = false;
        match ch {
            '\\' => {
                i += 1;
                let &e = c.get(i)?;
                match e {
                    '(' | ')' | '{' | '}' | '|' | '+' | '?' if basic => {
                        if e == '{' {
                            let end = interval_end(&c, i + 1, true)?;
                            let body: String = c[i + 1..end - 2].iter().collect();
                            out.push('{');
                            out.push_str(&body);
                            out.push('}');
                            i = end;
                            continue;
                        }
                        out.push(e);
                        at_start = e == '(' || e == '|';
                    }
                    '<' | '>' => out.push_str("\\b"),
                    'n' => out.push_str("\\n"),
                    't' => out.push_str("\\t"),
                    'w' | 'W' | 's' | 'S' | 'b' | 'B' | 'd' | 'D' => {
                        out.push('\\');
                        out.push(e);
                    }
                    '1'..='9' => return None,
                    other => out.push_str(&regex_lite::escape(&other.to_string())),
                }
                i += 1;
            }
            '[' => {
                let (class, end) = bracket(&c, i)?;
                out.push_str(&class);
                i = end;
            }
            '*' if was_start => {
                out.push_str("\\*");
                at_start = false;
                i += 1;
            }
            '^' => {
                // An anchor at the start (of the expression or a group); literal elsewhere in
                // a basic expression.
                if basic && !was_start {
                    out.push_str("\\^");
                } else {
                    out.push('^');
                    at_start = true;
                }
                i += 1;
            }
            '$' => {
                let at_end = i + 1 == c.len()
                    || (basic && c.get(i + 1) == Some(&'\\') && c.get(i + 2) == Some(&')'))
                    || (!basic && c.get(i + 1) == Some(&')'));
                out.push_str(if at_end || !basic { "$" } else { "\\$" });
                i += 1;
            }
            '(' | ')' | '|' | '+' | '?' if basic => {
                out.push('\\');
                out.push(ch);
                i += 1;
            }
            '{' if basic => {
                out.push_str("\\{");
                i += 1;
            }
            '}' if basic => {
                out.push_str("\\}");
                i += 1;
            }
            '{' => match interval_end(&c, i + 1, false) {
                Some(end) => {
                    out.extend(&c[i..end]);
                    i = end;
                }
                None => {
                    out.push_str("\\{");
                    i += 1;
                }
            },
            '}' => {
                out.push_str("\\}");
                i += 1;
            }
            '(' | '|' => {
                out.push(ch);
                at_start = true;
                i += 1;
            }
            _ => {
                out.push(ch);
                i += 1;
            }
        }
    }
    Some(out)
}

/// The end (exclusive) of an interval's body starting at `from` (`2}`, `2,}`, `2,5}`; `\}` in
/// a basic expression).
fn interval_end(c: &[char], from: usize, basic: bool) -> Option<usize> {
    let mut i = from;
    while c.get(i).is_some_and(|x| x.is_ascii_digit() || *x == ',') {
        i += 1;
    }
    if i == from {
        return None;
    }
    if basic {
        (c.get(i) == Some(&'\\') && c.get(i + 1) == Some(&'}')).then_some(i + 2)
    } else {
        (c.get(i) == Some(&'}')).then_some(i + 1)
    }
}

/// A bracket expression at `at`: its translation and where it ends. Inside, a backslash is
/// itself and `]` first is literal; `[:alpha:]` and its kin are kept.
fn bracket(c: &[char], at: usize) -> Option<(String, usize)> {
    let mut i = at + 1;
    let mut out = String::from("[");
    if c.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let ch = *c.get(i)?;
        if ch == ']' && !first {
            out.push(']');
            return Some((out, i + 1));
        }
        first = false;
        if ch == '[' && c.get(i + 1) == Some(&':') {
            let close = (i + 2..c.len().saturating_sub(1)).find(|&k| c[k] == ':' && c[k + 1] == ']')?;
            out.extend(&c[i..close + 2]);
            i = close + 2;
            continue;
        }
        match ch {
            '\\' | '[' | ']' | '&' | '~' => {
                out.push('\\');
                out.push(ch);
            }
            // A `-` first or last is itself.
            '-' if out.ends_with('[') || out.ends_with("[^") || c.get(i + 1) == Some(&']') => out.push_str("\\-"),
            _ => out.push(ch),
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    #[test]
    fn basic_and_extended_read_their_own_syntax() {
        let b = |p: &str, s: &str| Regex::basic(p, false).unwrap().find(s);
        let e = |p: &str, s: &str| Regex::new(p, false, false).unwrap().find(s);
        assert_eq!(b("a+b", "xa+b"), Some((1, 4)));
        assert_eq!(b("a\\+b", "xaab"), Some((1, 4)));
        assert_eq!(e("a+b", "xaab"), Some((1, 4)));
        assert_eq!(b("\\(ab\\)*c", "ababc"), Some((0, 5)));
        assert_eq!(b("*a", "x*a"), Some((1, 3)));
        assert_eq!(b("a\\{2\\}", "caaa"), Some((1, 3)));
        assert_eq!(e("a{2}", "caaa"), Some((1, 3)));
        assert_eq!(b("[[:digit:]]\\+", "ab12c"), Some((2, 4)));
        assert_eq!(b("[\\]", "a\\b"), Some((1, 2)));
        assert_eq!(b("[]a]", "x]"), Some((1, 2)));
        assert_eq!(b("a|b", "a|b"), Some((0, 3)));
        assert_eq!(b("x$y", "x$y"), Some((0, 3)));
        assert_eq!(b("é.", "aéb"), Some((1, 3)));
    }

    #[test]
    fn groups_are_found_from_a_position() {
        let r = Regex::basic("\\([a-z]*\\)=\\([0-9]*\\)", false).unwrap();
        let caps = r.captures_from("k=1 v=22", 3).unwrap();
        assert_eq!(caps, vec![Some((4, 8)), Some((4, 5)), Some((6, 8))]);
    }
}
