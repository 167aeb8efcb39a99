//! GNU `fmt`: paragraphs refilled to a width (75 by default) with GNU's cost of each break —
//! lines near the goal width (93 % of it), even line lengths, breaks after a sentence or a
//! punctuation mark rather than before a last word — chosen over the whole paragraph by
//! dynamic programming, as `fmt.c` does (oracle-91). `-s` splits long lines only, `-u`
//! makes the spacing one space between words and two after a sentence.

use super::{read_input, Proc};

type Cost = i64;

const fn equiv(n: i64) -> Cost {
    n * n
}
const fn short_cost(n: i64) -> Cost {
    equiv(n * 10)
}
const fn ragged_cost(n: i64) -> Cost {
    short_cost(n) / 2
}
const LINE_COST: Cost = equiv(70);
const SENTENCE_BONUS: Cost = equiv(50);
const NOBREAK_COST: Cost = equiv(600);
const PAREN_BONUS: Cost = equiv(40);
const PUNCT_BONUS: Cost = equiv(40);
const fn widow_cost(n: i64) -> Cost {
    equiv(200) / (n + 2)
}
const fn orphan_cost(n: i64) -> Cost {
    equiv(150) / (n + 2)
}

/// A word with what its neighbours and its end say about breaking around it.
struct Word {
    text: String,
    len: i64,
    /// The spaces after it on output.
    space: i64,
    paren: bool,
    punct: bool,
    period: bool,
    /// It ends a sentence (a period at a line's end or before two spaces).
    last_of_sentence: bool,
}

struct Settings {
    width: i64,
    goal: i64,
    split_only: bool,
    uniform: bool,
}

pub(super) fn fmt(p: &mut Proc, args: &[String]) -> i32 {
    let (mut width, mut goal): (Option<i64>, Option<i64>) = (None, None);
    let (mut split_only, mut uniform) = (false, false);
    let mut files = Vec::new();
    let mut k = 0;
    while let Some(a) = args.get(k) {
        match a.as_str() {
            "-w" | "--width" | "-g" | "--goal" => {
                k += 1;
                let value = args.get(k).and_then(|v| v.parse().ok());
                if a.contains('g') {
                    goal = value;
                } else {
                    width = value;
                }
            }
            "-s" | "--split-only" => split_only = true,
            "-u" | "--uniform-spacing" => uniform = true,
            s if s.starts_with("--width=") => width = s.get(8..).and_then(|v| v.parse().ok()),
            s if s.starts_with("-w") => width = s.get(2..).and_then(|v| v.parse().ok()),
            s if s.starts_with("-g") => goal = s.get(2..).and_then(|v| v.parse().ok()),
            s if s.len() > 1 && s.starts_with('-') && s.chars().skip(1).all(|c| c.is_ascii_digit()) => {
                width = s.get(1..).and_then(|v| v.parse().ok());
            }
            _ => files.push(a.clone()),
        }
        k += 1;
    }
    let width = width.unwrap_or_else(|| goal.map_or(75, |g| g + 10));
    let goal = goal.unwrap_or(width * 187 / 200);
    let settings = Settings { width, goal, split_only, uniform };
    let mut status = 0;
    for f in if files.is_empty() { vec!["-".to_string()] } else { files } {
        let Some(data) = read_input(p, &f) else {
            status = 1;
            continue;
        };
        let text = String::from_utf8_lossy(&data).into_owned();
        let out = format_text(&text, &settings);
        p.out(&out);
    }
    status
}

/// A line's indentation in columns (tabs to the next multiple of 8) and the rest of it.
fn indentation(line: &str) -> (i64, &str) {
    let mut col = 0;
    for (at, c) in line.char_indices() {
        match c {
            ' ' => col += 1,
            '\t' => col = (col / 8 + 1) * 8,
            _ => return (col, line.get(at..).unwrap_or_default()),
        }
    }
    (col, "")
}

fn format_text(text: &str, s: &Settings) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut k = 0;
    while k < lines.len() {
        let (indent, rest) = indentation(lines[k]);
        if rest.trim().is_empty() {
            out.push('\n');
            k += 1;
            continue;
        }
        // A paragraph: the following lines of the same indentation (one line with `-s`).
        let mut words = Vec::new();
        let mut end = k;
        while end < lines.len() {
            let (this_indent, this_rest) = indentation(lines[end]);
            if this_rest.trim().is_empty() || (end > k && (this_indent != indent || s.split_only)) {
                break;
            }
            read_words(this_rest, s.uniform, &mut words);
            end += 1;
        }
        // A paragraph's last word ends a sentence, as GNU counts it: a line holding only it
        // costs as an orphan does.
        if let Some(last) = words.last_mut() {
            last.period = true;
            last.last_of_sentence = true;
        }
        put_paragraph(&mut out, &words, indent, s);
        k = end;
    }
    out
}

/// The words of one input line, with GNU's flags and spacing.
fn read_words(line: &str, uniform: bool, words: &mut Vec<Word>) {
    let chars: Vec<char> = line.trim_end().chars().collect();
    let mut at = 0;
    while at < chars.len() {
        let start = at;
        while at < chars.len() && !chars[at].is_whitespace() {
            at += 1;
        }
        let text: String = chars[start..at].iter().collect();
        let mut spaces = 0;
        while at < chars.len() && chars[at].is_whitespace() {
            spaces += if chars[at] == '\t' { 8 - (at as i64 % 8) } else { 1 };
            at += 1;
        }
        let at_end = at >= chars.len();
        let first = text.chars().next().unwrap_or(' ');
        let mut letters: Vec<char> = text.chars().collect();
        let punct = letters.last().is_some_and(char::is_ascii_punctuation);
        while letters.len() > 1 && letters.last().is_some_and(|c| ")]'\"".contains(*c)) {
            letters.pop();
        }
        let period = letters.last().is_some_and(|c| ".?!".contains(*c));
        let last_of_sentence = period && (at_end || spaces > 1);
        let space = if at_end || uniform {
            if last_of_sentence {
                2
            } else {
                1
            }
        } else {
            spaces
        };
        words.push(Word {
            len: text.chars().count() as i64,
            text,
            space,
            paren: "(['`\"".contains(first),
            punct,
            period,
            last_of_sentence,
        });
    }
}

/// The constant part of the cost of a break before word `k`.
fn base_cost(words: &[Word], k: usize) -> Cost {
    let mut cost = LINE_COST;
    if k > 0 {
        let before = &words[k - 1];
        if before.period {
            cost += if before.last_of_sentence { -SENTENCE_BONUS } else { NOBREAK_COST };
        } else if before.punct {
            cost -= PUNCT_BONUS;
        } else if k > 1 && words[k - 2].last_of_sentence {
            cost += widow_cost(before.len);
        }
    }
    if let Some(w) = words.get(k) {
        if w.paren {
            cost -= PAREN_BONUS;
        } else if w.last_of_sentence {
            cost += orphan_cost(w.len);
        }
    }
    cost
}

/// The breaks of the paragraph, least costly over all: for each word, where its line ends.
fn breaks(words: &[Word], indent: i64, s: &Settings) -> Vec<usize> {
    let n = words.len();
    let mut best_cost = vec![0 as Cost; n + 1];
    let mut next_break = vec![n; n + 1];
    let mut line_length = vec![0i64; n + 1];
    for start in (0..n).rev() {
        let mut best = Cost::MAX;
        let mut len = indent + words[start].len;
        let mut w = start;
        loop {
            w += 1;
            // The cost of a break before `w`, the line `start..w` being `len` long.
            let line_cost = if w == n {
                0
            } else {
                let mut cost = short_cost(s.goal - len);
                if next_break[w] != n {
                    cost += ragged_cost(len - line_length[w]);
                }
                cost
            };
            let cost = line_cost.saturating_add(best_cost[w]);
            if cost < best {
                best = cost;
                next_break[start] = w;
                line_length[start] = len;
            }
            if w == n {
                break;
            }
            len += words[w - 1].space + words[w].len;
            if len >= s.width {
                break;
            }
        }
        best_cost[start] = best.saturating_add(base_cost(words, start));
    }
    next_break
}

fn put_paragraph(out: &mut String, words: &[Word], indent: i64, s: &Settings) {
    if words.is_empty() {
        return;
    }
    let next_break = breaks(words, indent, s);
    let mut start = 0;
    while start < words.len() {
        let end = next_break[start].max(start + 1);
        out.push_str(&" ".repeat(indent as usize));
        let line = &words[start..end];
        for (k, word) in line.iter().enumerate() {
            out.push_str(&word.text);
            if k + 1 < line.len() {
                out.push_str(&" ".repeat(word.space as usize));
            }
        }
        out.push('\n');
        start = end;
    }
}
