//! bash's brace expansion, the first of its expansions: `file{a,b}.txt` is two words,
//! `{1..3}` and `{a..e}` are sequences (with a step: `{1..10..3}`; zero-padded: `{01..03}`),
//! nested and repeated braces multiply. Only unquoted literal text takes part; `{a}` and an
//! unbalanced brace stay as they are.

use super::ast::{Part, Word};

/// The words `word` becomes, or `None` when it has no brace expression to expand.
pub fn expand_word(word: &Word) -> Option<Vec<Word>> {
    for (i, part) in word.iter().enumerate() {
        let Part::Lit { text, quoted: false } = part else { continue };
        let Some(texts) = expand(text) else { continue };
        let words = texts
            .into_iter()
            .map(|t| {
                let mut w = word.clone();
                w[i] = Part::Lit { text: t, quoted: false };
                w
            })
            .collect();
        return Some(words);
    }
    None
}

/// The expansions of one piece of text (all its braces), or `None` when it has none.
pub fn expand(text: &str) -> Option<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut open = 0;
    while let Some(start) = chars[open..].iter().position(|c| *c == '{').map(|p| p + open) {
        if let Some((end, alternatives)) = alternatives_at(&chars, start) {
            let prefix: String = chars[..start].iter().collect();
            let suffix: String = chars[end + 1..].iter().collect();
            let mut out = Vec::new();
            for alt in alternatives {
                let whole = format!("{prefix}{alt}{suffix}");
                match expand(&whole) {
                    Some(more) => out.extend(more),
                    None => out.push(whole),
                }
            }
            return Some(out);
        }
        open = start + 1;
    }
    None
}

/// The brace at `start`: where it closes and what it stands for, when it is an expression
/// (a comma at its own level, or a sequence).
fn alternatives_at(chars: &[char], start: usize) -> Option<(usize, Vec<String>)> {
    let mut depth = 0;
    let mut commas = Vec::new();
    let mut end = None;
    let mut i = start;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
            }
            ',' if depth == 1 => commas.push(i),
            _ => {}
        }
        i += 1;
    }
    let end = end?;
    let inner: String = chars[start + 1..end].iter().collect();
    if commas.is_empty() {
        return sequence(&inner).map(|s| (end, s));
    }
    let mut out = Vec::new();
    let mut from = start + 1;
    for c in commas.into_iter().chain(std::iter::once(end)) {
        out.push(chars[from..c].iter().collect());
        from = c + 1;
    }
    Some((end, out))
}

/// `a..e`, `1..3`, `3..1`, `1..10..3`, `01..03`.
fn sequence(inner: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    let (from, to, step) = match parts.as_slice() {
        [a, b] => (*a, *b, 1i64),
        [a, b, s] => (*a, *b, s.parse::<i64>().ok()?.unsigned_abs().max(1) as i64),
        _ => return None,
    };
    if let (Ok(x), Ok(y)) = (from.parse::<i64>(), to.parse::<i64>()) {
        let width = if [from, to].iter().any(|s| s.trim_start_matches('-').starts_with('0') && s.trim_start_matches('-').len() > 1) {
            from.len().max(to.len())
        } else {
            0
        };
        let count = (x - y).unsigned_abs() / step as u64 + 1;
        if count > 100_000 {
            return None;
        }
        let dir = if y >= x { step } else { -step };
        return Some((0..count as i64).map(|k| format!("{:0width$}", x + k * dir)).collect());
    }
    let (mut a, mut b) = (from.chars(), to.chars());
    match (a.next(), a.next(), b.next(), b.next()) {
        (Some(x), None, Some(y), None) if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() => {
            let (x, y) = (x as i64, y as i64);
            let dir = if y >= x { step } else { -step };
            let count = (x - y).abs() / step + 1;
            Some((0..count).filter_map(|k| char::from_u32((x + k * dir) as u32)).map(String::from).collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::expand;

    #[test]
    fn braces_expand_as_bash_expands_them() {
        let e = |s: &str| expand(s).map(|v| v.join(" "));
        assert_eq!(e("file{a,b,c}.txt").as_deref(), Some("filea.txt fileb.txt filec.txt"));
        assert_eq!(e("{1..3}").as_deref(), Some("1 2 3"));
        assert_eq!(e("{3..1}").as_deref(), Some("3 2 1"));
        assert_eq!(e("{a..e}").as_deref(), Some("a b c d e"));
        assert_eq!(e("{01..03}").as_deref(), Some("01 02 03"));
        assert_eq!(e("{1..10..4}").as_deref(), Some("1 5 9"));
        assert_eq!(e("pre{x,y}post{1,2}").as_deref(), Some("prexpost1 prexpost2 preypost1 preypost2"));
        assert_eq!(e("{a,{b,c}}").as_deref(), Some("a b c"));
        assert_eq!(e("{a}"), None);
        assert_eq!(e("{a,b"), None);
        assert_eq!(e("x{}y"), None);
    }
}
