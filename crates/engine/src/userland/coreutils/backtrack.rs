//! The expressions `regex-lite` cannot match: those with back-references (`\(a*\)b\1`), which
//! grep and sed take in basic and extended syntax. A small backtracking matcher over characters:
//! groups, alternatives, repetitions, bracket expressions and their `[:classes:]`, anchors and
//! GNU's word operators. It prefers the longest way for each repetition and the first of
//! alternatives (POSIX wants the longest match overall, which differs only for some
//! alternatives), and gives up on a match after a step budget: an expression that backtracks
//! without end matches nothing rather than stalling the page.

use std::cell::Cell;

/// Steps one search may take.
const BUDGET: u64 = 2_000_000;

#[derive(Clone, Debug)]
enum Node {
    Char(char),
    Any,
    Class {
        negated: bool,
        items: Vec<Item>,
    },
    Start,
    End,
    /// `\b` (true) or `\B` (false).
    Boundary(bool),
    /// `\<` (true) or `\>` (false).
    WordEdge(bool),
    Group(usize, Box<Node>),
    Alt(Vec<Node>),
    Seq(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
    Backref(usize),
}

#[derive(Clone, Debug)]
enum Item {
    Char(char),
    Range(char, char),
    Named(String),
}

/// A compiled expression with back-references.
#[derive(Clone, Debug)]
pub(super) struct Program {
    root: Node,
    groups: usize,
    ignore_case: bool,
}

type Caps = Vec<Option<(usize, usize)>>;

impl Program {
    /// A basic (`basic`) or extended expression; `None` when it is not a valid one.
    pub(super) fn compile(pattern: &str, basic: bool, ignore_case: bool) -> Option<Program> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser { c: &chars, i: 0, basic, groups: 0 };
        let root = parser.alternatives(0)?;
        if parser.i != chars.len() {
            return None;
        }
        // A back-reference names a group opened before it.
        if !valid_refs(&root, parser.groups) {
            return None;
        }
        Some(Program { root, groups: parser.groups, ignore_case })
    }

    /// The first match starting at or after character `from`: the match and each group.
    pub(super) fn captures_from(&self, s: &str, from: usize) -> Option<Caps> {
        let text: Vec<char> = s.chars().collect();
        let steps = Cell::new(0u64);
        let m = Matcher { text: &text, ignore_case: self.ignore_case, steps: &steps };
        for start in from..=text.len() {
            let mut found: Option<Caps> = None;
            m.node(&self.root, start, &mut vec![None; self.groups + 1], &mut |end, caps| {
                let mut groups = caps.clone();
                groups[0] = Some((start, end));
                found = Some(groups);
                true
            });
            if found.is_some() {
                return found;
            }
            if steps.get() > BUDGET {
                return None;
            }
        }
        None
    }
}

fn valid_refs(node: &Node, groups: usize) -> bool {
    match node {
        Node::Backref(n) => *n <= groups,
        Node::Group(_, inner) | Node::Repeat(inner, _, _) => valid_refs(inner, groups),
        Node::Alt(list) | Node::Seq(list) => list.iter().all(|n| valid_refs(n, groups)),
        _ => true,
    }
}

struct Parser<'a> {
    c: &'a [char],
    i: usize,
    basic: bool,
    groups: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }
    fn peek2(&self) -> Option<char> {
        self.c.get(self.i + 1).copied()
    }
    /// At `|` (ERE) or `\|` (BRE).
    fn at_bar(&self) -> bool {
        if self.basic {
            self.peek() == Some('\\') && self.peek2() == Some('|')
        } else {
            self.peek() == Some('|')
        }
    }
    /// At `)` (ERE) or `\)` (BRE).
    fn at_close(&self) -> bool {
        if self.basic {
            self.peek() == Some('\\') && self.peek2() == Some(')')
        } else {
            self.peek() == Some(')')
        }
    }

    fn alternatives(&mut self, depth: usize) -> Option<Node> {
        let mut alts = vec![self.sequence(depth)?];
        while self.at_bar() {
            self.i += if self.basic { 2 } else { 1 };
            alts.push(self.sequence(depth)?);
        }
        Some(if alts.len() == 1 { alts.pop()? } else { Node::Alt(alts) })
    }

    fn sequence(&mut self, depth: usize) -> Option<Node> {
        let mut seq = Vec::new();
        let mut at_start = true;
        while self.i < self.c.len() && !self.at_bar() && !(depth > 0 && self.at_close()) {
            if self.at_close() {
                // An unmatched `)` is itself in ERE; `\)` alone is an error in BRE.
                if self.basic {
                    return None;
                }
                seq.push(Node::Char(')'));
                self.i += 1;
                continue;
            }
            let atom = self.atom(at_start, depth)?;
            at_start = matches!(atom, Node::Start);
            let atom = self.quantifiers(atom)?;
            seq.push(atom);
        }
        Some(Node::Seq(seq))
    }

    fn atom(&mut self, at_start: bool, depth: usize) -> Option<Node> {
        let ch = self.peek()?;
        self.i += 1;
        Some(match ch {
            '.' => Node::Any,
            '[' => {
                self.i -= 1;
                self.bracket()?
            }
            '^' if at_start || !self.basic => Node::Start,
            '$' if !self.basic || self.i == self.c.len() || self.at_close() || self.at_bar() => Node::End,
            '*' if at_start => Node::Char('*'),
            '(' if !self.basic => self.group(depth)?,
            '\\' => {
                let e = self.peek()?;
                self.i += 1;
                match e {
                    '(' if self.basic => self.group(depth)?,
                    '1'..='9' => Node::Backref(e.to_digit(10)? as usize),
                    'w' => Node::Class { negated: false, items: vec![Item::Named("alnum".into()), Item::Char('_')] },
                    'W' => Node::Class { negated: true, items: vec![Item::Named("alnum".into()), Item::Char('_')] },
                    's' => Node::Class { negated: false, items: vec![Item::Named("space".into())] },
                    'S' => Node::Class { negated: true, items: vec![Item::Named("space".into())] },
                    'b' => Node::Boundary(true),
                    'B' => Node::Boundary(false),
                    '<' => Node::WordEdge(true),
                    '>' => Node::WordEdge(false),
                    'n' => Node::Char('\n'),
                    't' => Node::Char('\t'),
                    other => Node::Char(other),
                }
            }
            other => Node::Char(other),
        })
    }

    fn group(&mut self, depth: usize) -> Option<Node> {
        self.groups += 1;
        let n = self.groups;
        let inner = self.alternatives(depth + 1)?;
        if !self.at_close() {
            return None;
        }
        self.i += if self.basic { 2 } else { 1 };
        Some(Node::Group(n, Box::new(inner)))
    }

    fn quantifiers(&mut self, mut atom: Node) -> Option<Node> {
        loop {
            let (min, max, used) = match (self.peek(), self.peek2()) {
                (Some('*'), _) => (0, None, 1),
                (Some('+'), _) if !self.basic => (1, None, 1),
                (Some('?'), _) if !self.basic => (0, Some(1), 1),
                (Some('\\'), Some('+')) if self.basic => (1, None, 2),
                (Some('\\'), Some('?')) if self.basic => (0, Some(1), 2),
                (Some('{'), _) if !self.basic => match self.interval(1) {
                    Some(found) => found,
                    None => return Some(atom),
                },
                (Some('\\'), Some('{')) if self.basic => self.interval(2)?,
                _ => return Some(atom),
            };
            self.i += used;
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    /// `{m}`, `{m,}`, `{m,n}` after `skip` characters (`{` or `\{`): bounds and its length.
    fn interval(&self, skip: usize) -> Option<(u32, Option<u32>, usize)> {
        let mut k = self.i + skip;
        let digits = |k: &mut usize| {
            let from = *k;
            while self.c.get(*k).is_some_and(char::is_ascii_digit) {
                *k += 1;
            }
            self.c[from..*k].iter().collect::<String>()
        };
        let low = digits(&mut k);
        let (min, max) = if self.c.get(k) == Some(&',') {
            k += 1;
            let high = digits(&mut k);
            (low.parse().ok()?, if high.is_empty() { None } else { Some(high.parse().ok()?) })
        } else {
            let n: u32 = low.parse().ok()?;
            (n, Some(n))
        };
        let close: &[char] = if self.basic { &['\\', '}'] } else { &['}'] };
        if self.c.get(k..k + close.len())? != close || max.is_some_and(|m| m < min) || min > 32_767 {
            return None;
        }
        Some((min, max, k + close.len() - self.i))
    }

    fn bracket(&mut self) -> Option<Node> {
        self.i += 1;
        let negated = self.peek() == Some('^');
        if negated {
            self.i += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let ch = self.peek()?;
            if ch == ']' && !first {
                self.i += 1;
                return Some(Node::Class { negated, items });
            }
            first = false;
            if ch == '[' && self.peek2() == Some(':') {
                let close = (self.i + 2..self.c.len().saturating_sub(1)).find(|&k| self.c[k] == ':' && self.c[k + 1] == ']')?;
                items.push(Item::Named(self.c[self.i + 2..close].iter().collect()));
                self.i = close + 2;
                continue;
            }
            self.i += 1;
            if self.peek() == Some('-') && self.peek2().is_some_and(|n| n != ']') {
                let high = self.peek2()?;
                self.i += 2;
                items.push(Item::Range(ch, high));
            } else {
                items.push(Item::Char(ch));
            }
        }
    }
}

struct Matcher<'a> {
    text: &'a [char],
    ignore_case: bool,
    steps: &'a Cell<u64>,
}

fn is_word(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

fn named(class: &str, c: char) -> bool {
    match class {
        "alpha" => c.is_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_alphanumeric(),
        "upper" => c.is_uppercase(),
        "lower" => c.is_lowercase(),
        "space" => c.is_whitespace(),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "print" => !c.is_control(),
        "graph" => !c.is_control() && !c.is_whitespace(),
        "cntrl" => c.is_control(),
        "xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

impl Matcher<'_> {
    fn same(&self, a: char, b: char) -> bool {
        a == b || (self.ignore_case && a.to_lowercase().eq(b.to_lowercase()))
    }

    fn class(&self, negated: bool, items: &[Item], c: char) -> bool {
        let folded: Vec<char> = if self.ignore_case { c.to_lowercase().chain(c.to_uppercase()).collect() } else { vec![c] };
        let hit = folded.iter().any(|&c| {
            items.iter().any(|item| match item {
                Item::Char(x) => *x == c,
                Item::Range(a, b) => (*a..=*b).contains(&c),
                Item::Named(n) => named(n, c),
            })
        });
        hit != negated
    }

    /// Matches `node` at `pos`, then asks `k` whether the rest matches from where it ended.
    fn node(&self, node: &Node, pos: usize, caps: &mut Caps, k: &mut dyn FnMut(usize, &mut Caps) -> bool) -> bool {
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > BUDGET {
            return false;
        }
        let here = self.text.get(pos).copied();
        match node {
            Node::Char(c) => here.is_some_and(|h| self.same(h, *c)) && k(pos + 1, caps),
            Node::Any => here.is_some_and(|h| h != '\n') && k(pos + 1, caps),
            Node::Class { negated, items } => here.is_some_and(|h| self.class(*negated, items, h)) && k(pos + 1, caps),
            Node::Start => pos == 0 && k(pos, caps),
            Node::End => pos == self.text.len() && k(pos, caps),
            Node::Boundary(at) => {
                let edge = is_word(pos.checked_sub(1).and_then(|p| self.text.get(p))) != is_word(self.text.get(pos));
                edge == *at && k(pos, caps)
            }
            Node::WordEdge(start) => {
                let (before, after) = (is_word(pos.checked_sub(1).and_then(|p| self.text.get(p))), is_word(self.text.get(pos)));
                (if *start { !before && after } else { before && !after }) && k(pos, caps)
            }
            Node::Group(n, inner) => {
                let saved = caps[*n];
                let n = *n;
                if self.node(inner, pos, caps, &mut |end, c| {
                    let before = c[n];
                    c[n] = Some((pos, end));
                    if k(end, c) {
                        return true;
                    }
                    c[n] = before;
                    false
                }) {
                    return true;
                }
                caps[n] = saved;
                false
            }
            Node::Alt(list) => list.iter().any(|alt| self.node(alt, pos, caps, k)),
            Node::Seq(list) => self.seq(list, pos, caps, k),
            Node::Repeat(inner, min, max) => self.repeat(inner, *min, *max, 0, pos, caps, k),
            Node::Backref(n) => match caps.get(*n).copied().flatten() {
                Some((a, b)) => {
                    let len = b - a;
                    let fits = pos + len <= self.text.len() && (0..len).all(|i| self.same(self.text[pos + i], self.text[a + i]));
                    fits && k(pos + len, caps)
                }
                None => false,
            },
        }
    }

    fn seq(&self, list: &[Node], pos: usize, caps: &mut Caps, k: &mut dyn FnMut(usize, &mut Caps) -> bool) -> bool {
        match list.split_first() {
            None => k(pos, caps),
            Some((first, rest)) => self.node(first, pos, caps, &mut |p, c| self.seq(rest, p, c, k)),
        }
    }

    /// Greedy: one more of `inner` first, then the rest with what was taken.
    #[allow(clippy::too_many_arguments)]
    fn repeat(
        &self,
        inner: &Node,
        min: u32,
        max: Option<u32>,
        count: u32,
        pos: usize,
        caps: &mut Caps,
        k: &mut dyn FnMut(usize, &mut Caps) -> bool,
    ) -> bool {
        if max.is_none_or(|m| count < m)
            && self.node(inner, pos, caps, &mut |p, c| {
                // An empty pass adds nothing: stop repeating it.
                (p != pos || count < min) && self.repeat(inner, min, max, count + 1, p, c, k)
            })
        {
            return true;
        }
        count >= min && k(pos, caps)
    }
}

#[cfg(test)]
mod tests {
    use super::Program;

    fn find(p: &str, basic: bool, s: &str) -> Option<(usize, usize)> {
        Program::compile(p, basic, false)?.captures_from(s, 0)?.first().copied().flatten()
    }

    #[test]
    fn back_references_match_what_their_group_matched() {
        assert_eq!(find("\\(ab\\)\\1", true, "xababy"), Some((1, 5)));
        assert_eq!(find("\\([a-z]\\)\\1", true, "abcdde"), Some((3, 5)));
        assert_eq!(find("(a+)b\\1", false, "aaabaa"), Some((1, 6)));
        assert_eq!(find("^\\(.*\\),\\1$", true, "x,x"), Some((0, 3)));
        assert_eq!(find("^\\(.*\\),\\1$", true, "x,y"), None);
        assert_eq!(find("\\(a\\|b\\)\\1", true, "abba"), Some((1, 3)));
        assert!(Program::compile("\\(a\\)\\2", true, false).is_none());
        assert_eq!(find("\\<\\(\\w\\+\\) \\1\\>", true, "it is is here"), Some((3, 8)));
        let groups = Program::compile("\\([0-9]*\\)-\\1", true, false).unwrap().captures_from("12-12", 0).unwrap();
        assert_eq!(groups, vec![Some((0, 5)), Some((0, 2))]);
    }

    #[test]
    fn a_runaway_expression_gives_up() {
        let p = Program::compile("\\(a*\\)*b\\1", true, false).unwrap();
        assert_eq!(p.captures_from(&"a".repeat(40), 0), None);
    }
}
