//! The parser's reading of bash's ANSI-C quoting, `$'…'` (oracle-92).

use super::{ParseError, Parser};

impl Parser {
    /// The rest of bash's `$'…'` (the opening taken): its backslash escapes (`\n`, `\t`,
    /// `\xHH`, `\NNN` octal, `\uHHHH`, `\cX`…) made the characters they stand for.
    pub(super) fn ansi_c_quoted(&mut self) -> Result<String, ParseError> {
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else { return Err(ParseError::UnterminatedQuote('\'')) };
            self.pos += 1;
            match c {
                '\'' => return Ok(text),
                '\\' => {
                    let Some(e) = self.peek() else { return Err(ParseError::UnterminatedQuote('\'')) };
                    self.pos += 1;
                    let simple = match e {
                        'n' => Some('\n'),
                        't' => Some('\t'),
                        'r' => Some('\r'),
                        'a' => Some('\u{7}'),
                        'b' => Some('\u{8}'),
                        'e' | 'E' => Some('\u{1b}'),
                        'f' => Some('\u{c}'),
                        'v' => Some('\u{b}'),
                        '\\' | '\'' | '"' | '?' => Some(e),
                        _ => None,
                    };
                    if let Some(ch) = simple {
                        text.push(ch);
                        continue;
                    }
                    let code = match e {
                        '0'..='7' => {
                            self.pos -= 1;
                            self.escaped_number(8, 3)
                        }
                        'x' => self.escaped_number(16, 2),
                        'u' => self.escaped_number(16, 4),
                        'U' => self.escaped_number(16, 8),
                        'c' => {
                            let ch = self.peek();
                            self.pos += usize::from(ch.is_some());
                            ch.map(|c| u32::from(c.to_ascii_uppercase()) ^ 0x40)
                        }
                        _ => {
                            text.push('\\');
                            text.push(e);
                            continue;
                        }
                    };
                    match code.and_then(char::from_u32) {
                        Some(ch) => text.push(ch),
                        // `\x` with no digit stays as written.
                        None => {
                            text.push('\\');
                            text.push(e);
                        }
                    }
                }
                other => text.push(other),
            }
        }
    }

    /// Up to `most` digits in `base` (`$'\x41'`), if there is one.
    fn escaped_number(&mut self, base: u32, most: usize) -> Option<u32> {
        let mut value: Option<u32> = None;
        for _ in 0..most {
            let Some(d) = self.peek().and_then(|c| c.to_digit(base)) else { break };
            value = Some(value.unwrap_or(0) * base + d);
            self.pos += 1;
        }
        value
    }
}
