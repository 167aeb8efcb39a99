//! The small regular-expression engine behind `grep` and `sed s///`.

use crate::sorting;

/// A small regular-expression engine (POSIX ERE subset: `. * + ? | () [] ^ $ \`), enough
/// for the `grep -E` and `sed s///` lines learners type.
#[derive(Clone, Debug)]
pub struct Regex {
    alts: Vec<Vec<Atom>>,
    ignore_case: bool,
}

#[derive(Clone, Debug)]
enum AtomKind {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Group(Box<Regex>),
    Start,
    End,
}

#[derive(Clone, Debug)]
struct Atom {
    kind: AtomKind,
    min: usize,
    max: usize,
}

impl Regex {
    pub fn new(pattern: &str, fixed: bool, ignore_case: bool) -> Option<Regex> {
        let chars: Vec<char> = pattern.chars().collect();
        if fixed {
            let atoms = chars.iter().map(|c| Atom { kind: AtomKind::Char(*c), min: 1, max: 1 }).collect();
            return Some(Regex { alts: vec![atoms], ignore_case });
        }
        let mut pos = 0;
        let r = Self::parse_alts(&chars, &mut pos, ignore_case)?;
        if pos != chars.len() {
            return None;
        }
        Some(r)
    }

    fn parse_alts(c: &[char], pos: &mut usize, ic: bool) -> Option<Regex> {
        let mut alts = vec![Vec::new()];
        while *pos < c.len() {
            let ch = c[*pos];
            match ch {
                '|' => {
                    alts.push(Vec::new());
                    *pos += 1;
                    continue;
                }
                ')' => break,
                _ => {}
            }
            let kind = match ch {
                '.' => {
                    *pos += 1;
                    AtomKind::Any
                }
                '^' => {
                    *pos += 1;
                    AtomKind::Start
                }
                '$' => {
                    *pos += 1;
                    AtomKind::End
                }
                '(' => {
                    *pos += 1;
                    let inner = Self::parse_alts(c, pos, ic)?;
                    if *pos >= c.len() || c[*pos] != ')' {
                        return None;
                    }
                    *pos += 1;
                    AtomKind::Group(Box::new(inner))
                }
                '[' => {
                    *pos += 1;
                    let neg = *pos < c.len() && c[*pos] == '^';
                    if neg {
                        *pos += 1;
                    }
                    let mut ranges = Vec::new();
                    let mut first = true;
                    while *pos < c.len() && (c[*pos] != ']' || first) {
                        first = false;
                        let a = c[*pos];
                        if *pos + 2 < c.len() && c[*pos + 1] == '-' && c[*pos + 2] != ']' {
                            ranges.push((a, c[*pos + 2]));
                            *pos += 3;
                        } else {
                            ranges.push((a, a));
                            *pos += 1;
                        }
                    }
                    if *pos >= c.len() {
                        return None;
                    }
                    *pos += 1;
                    AtomKind::Class(ranges, neg)
                }
                '\\' => {
                    *pos += 1;
                    let e = *c.get(*pos)?;
                    *pos += 1;
                    match e {
                        'd' => AtomKind::Class(vec![('0', '9')], false),
                        's' => AtomKind::Class(vec![(' ', ' '), ('\t', '\t')], false),
                        'w' => AtomKind::Class(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')], false),
                        other => AtomKind::Char(other),
                    }
                }
                other => {
                    *pos += 1;
                    AtomKind::Char(other)
                }
            };
            let (mut min, mut max) = (1, 1);
            if *pos < c.len() {
                match c[*pos] {
                    '*' => {
                        min = 0;
                        max = usize::MAX;
                        *pos += 1;
                    }
                    '+' => {
                        max = usize::MAX;
                        *pos += 1;
                    }
                    '?' => {
                        min = 0;
                        *pos += 1;
                    }
                    _ => {
                        if let Some((lo, hi, end)) = Self::interval(c, *pos) {
                            (min, max) = (lo, hi);
                            *pos = end;
                        }
                    }
                }
            }
            alts.last_mut()?.push(Atom { kind, min, max });
        }
        Some(Regex { alts, ignore_case: ic })
    }

    /// An interval at `at`: `{n}`, `{n,}`, `{n,m}` (ERE) or the same between `\{` and `\}`
    /// (BRE): its bounds and where it ends.
    fn interval(c: &[char], at: usize) -> Option<(usize, usize, usize)> {
        let bre = c.get(at) == Some(&'\\');
        let open = if bre { at + 1 } else { at };
        if c.get(open) != Some(&'{') {
            return None;
        }
        let mut i = open + 1;
        let mut text = String::new();
        while let Some(ch) = c.get(i).filter(|ch| ch.is_ascii_digit() || **ch == ',') {
            text.push(*ch);
            i += 1;
        }
        if bre {
            if c.get(i) != Some(&'\\') {
                return None;
            }
            i += 1;
        }
        if c.get(i) != Some(&'}') {
            return None;
        }
        let (lo, hi) = match text.split_once(',') {
            Some((a, "")) => (a.parse().ok()?, usize::MAX),
            Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
            None => (text.parse().ok()?, text.parse().ok()?),
        };
        (lo <= hi && lo <= 1000).then_some((lo, hi, i + 1))
    }

    pub fn is_match(&self, s: &str) -> bool {
        self.find(s).is_some()
    }

    /// The first (leftmost, longest-ish) match as a char range.
    pub fn find(&self, s: &str) -> Option<(usize, usize)> {
        let chars: Vec<char> = s.chars().collect();
        for start in 0..=chars.len() {
            if let Some(end) = self.match_at(&chars, start) {
                return Some((start, end));
            }
        }
        None
    }

    fn match_at(&self, s: &[char], start: usize) -> Option<usize> {
        let mut best: Option<usize> = None;
        for alt in &self.alts {
            if let Some(e) = self.match_seq(alt, s, start) {
                best = Some(best.map_or(e, |b: usize| b.max(e)));
            }
        }
        best
    }

    fn match_seq(&self, atoms: &[Atom], s: &[char], i: usize) -> Option<usize> {
        let Some(atom) = atoms.first() else { return Some(i) };
        match &atom.kind {
            AtomKind::Start => return if i == 0 { self.match_seq(&atoms[1..], s, i) } else { None },
            AtomKind::End => return if i == s.len() { self.match_seq(&atoms[1..], s, i) } else { None },
            _ => {}
        }
        // Greedy: collect every position reachable after k repetitions.
        let mut positions = vec![i];
        let mut cur = vec![i];
        let mut k = 0;
        while k < atom.max && !cur.is_empty() {
            let mut next = Vec::new();
            for &p in &cur {
                for e in self.match_one(&atom.kind, s, p) {
                    if e != p && !next.contains(&e) {
                        next.push(e);
                    }
                }
            }
            k += 1;
            if k >= atom.min {
                positions.extend(next.iter().copied());
            }
            cur = next;
            if k > s.len() + 1 {
                break;
            }
        }
        if atom.min == 0 {
            // positions already holds i
        } else {
            positions.retain(|p| *p != i || atom.min == 0);
        }
        sorting::sort(&mut positions);
        positions.dedup();
        for &p in positions.iter().rev() {
            if let Some(e) = self.match_seq(&atoms[1..], s, p) {
                return Some(e);
            }
        }
        None
    }

    fn match_one(&self, kind: &AtomKind, s: &[char], i: usize) -> Vec<usize> {
        let eq = |a: char, b: char| if self.ignore_case { a.eq_ignore_ascii_case(&b) } else { a == b };
        match kind {
            AtomKind::Char(c) => {
                if i < s.len() && eq(s[i], *c) {
                    vec![i + 1]
                } else {
                    vec![]
                }
            }
            AtomKind::Any => {
                if i < s.len() {
                    vec![i + 1]
                } else {
                    vec![]
                }
            }
            AtomKind::Class(ranges, neg) => {
                if i >= s.len() {
                    return vec![];
                }
                let ch = s[i];
                let hit = ranges.iter().any(|(a, b)| {
                    (*a <= ch && ch <= *b) || (self.ignore_case && *a <= ch.to_ascii_lowercase() && ch.to_ascii_lowercase() <= *b)
                });
                if hit != *neg {
                    vec![i + 1]
                } else {
                    vec![]
                }
            }
            AtomKind::Group(r) => {
                let mut out = Vec::new();
                for alt in &r.alts {
                    if let Some(e) = r.match_seq(alt, s, i) {
                        out.push(e);
                    }
                }
                out
            }
            AtomKind::Start | AtomKind::End => vec![],
        }
    }
}
