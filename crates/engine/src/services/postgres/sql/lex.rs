//! The tokens of a query: words (folded to lower case unless quoted), strings, numbers and
//! symbols, each with the character position psql's caret points at.

use super::SqlError;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    /// An identifier or key word, folded to lower case unless it was quoted.
    Word(String),
    Quoted(String),
    Str(String),
    Number(String),
    Symbol(String),
}

#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    /// 0-based character offset in the query text.
    pub(super) pos: usize,
    /// The token as written, for `syntax error at or near "…"`.
    pub(super) raw: String,
}

pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, SqlError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        let tok = if c == '\'' || c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        let what = if c == '\'' { "quoted string" } else { "quoted identifier" };
                        let rest: String = chars[start..].iter().collect();
                        return Err(SqlError::new(format!("unterminated {what} at or near \"{rest}\""), Some(start + 1)));
                    }
                    Some(&q) if q == c && chars.get(i + 1) == Some(&c) => {
                        s.push(c);
                        i += 2;
                    }
                    Some(&q) if q == c => {
                        i += 1;
                        break;
                    }
                    Some(&other) => {
                        s.push(other);
                        i += 1;
                    }
                }
            }
            if c == '\'' {
                Tok::Str(s)
            } else {
                Tok::Quoted(s)
            }
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            Tok::Number(chars[start..i].iter().collect())
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            Tok::Word(chars[start..i].iter().collect::<String>().to_lowercase())
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if matches!(two.as_str(), "<=" | ">=" | "<>" | "!=") {
                i += 2;
                Tok::Symbol(two)
            } else {
                i += 1;
                Tok::Symbol(c.to_string())
            }
        };
        tokens.push(Token { tok, pos: start, raw: chars[start..i].iter().collect() });
    }
    Ok(tokens)
}
