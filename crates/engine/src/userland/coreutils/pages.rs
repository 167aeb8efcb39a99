//! GNU `pr`: text laid out in pages of 66 lines — a five-line header (the file's time, its
//! name or `-h`'s title centred, the page number), the body, a five-line trailer — in one or
//! more columns (`-2`, `-3`…), numbered with `-n`, bare with `-t` (oracle-91).

use super::Proc;
use crate::userland::tabstops::pad_to;

struct Layout {
    page_length: usize,
    width: usize,
    columns: usize,
    numbered: bool,
    bare: bool,
    title: Option<String>,
}

pub(super) fn pr(p: &mut Proc, args: &[String]) -> i32 {
    let mut l = Layout { page_length: 66, width: 72, columns: 1, numbered: false, bare: false, title: None };
    let mut files = Vec::new();
    let mut k = 0;
    while let Some(a) = args.get(k) {
        let value = |k: &mut usize, attached: Option<&str>| -> Option<String> {
            match attached.filter(|v| !v.is_empty()) {
                Some(v) => Some(v.to_string()),
                None => {
                    *k += 1;
                    args.get(*k).cloned()
                }
            }
        };
        match a.as_str() {
            "-t" | "--omit-header" => l.bare = true,
            "-n" | "--number-lines" => l.numbered = true,
            s if s.starts_with("-h") => l.title = value(&mut k, s.get(2..)),
            s if s.starts_with("--header=") => l.title = s.get(9..).map(str::to_string),
            s if s.starts_with("-l") => l.page_length = value(&mut k, s.get(2..)).and_then(|v| v.parse().ok()).unwrap_or(66),
            s if s.starts_with("-w") => l.width = value(&mut k, s.get(2..)).and_then(|v| v.parse().ok()).unwrap_or(72),
            s if s.len() > 1 && s.starts_with('-') && s.chars().skip(1).all(|c| c.is_ascii_digit()) => {
                l.columns = s.get(1..).and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
            }
            _ => files.push(a.clone()),
        }
        k += 1;
    }
    // A page too short for its header and trailer has neither.
    if l.page_length <= 10 {
        l.bare = true;
    }
    let mut status = 0;
    for f in if files.is_empty() { vec!["-".to_string()] } else { files } {
        let (data, mtime) = if f == "-" {
            (std::mem::take(&mut p.io.stdin), p.world.clock().secs())
        } else {
            match (p.world.read(&p.ctx, &f), p.world.stat(&p.ctx, &f, true)) {
                (Ok(d), Ok(st)) => (d.to_vec(), st.mtime),
                (Err(e), _) | (_, Err(e)) => {
                    p.err(&format!("{f}: {e}"));
                    status = 1;
                    continue;
                }
            }
        };
        let text = String::from_utf8_lossy(&data).into_owned();
        let name = l.title.clone().unwrap_or_else(|| if f == "-" { String::new() } else { f.clone() });
        let out = paginate(&text, &l, &name, mtime);
        p.out(&out);
    }
    status
}

fn paginate(text: &str, l: &Layout, name: &str, mtime: i64) -> String {
    let lines: Vec<String> =
        text.lines().enumerate().map(|(k, line)| if l.numbered { format!("{:>5}\t{line}", k + 1) } else { line.to_string() }).collect();
    let body = if l.bare { usize::MAX } else { l.page_length - 10 };
    let per_page = body.saturating_mul(l.columns);
    let t = crate::clock::tm(mtime);
    let date = format!("{}-{:02}-{:02} {:02}:{:02}", t.year, t.month, t.day, t.hour, t.min);
    let column_width = (l.width.saturating_sub(l.columns - 1)) / l.columns;
    let mut out = String::new();
    let pages: Vec<&[String]> = if lines.is_empty() { vec![&[][..]] } else { lines.chunks(per_page.max(1)).collect() };
    for (number, page) in pages.into_iter().enumerate() {
        if !l.bare {
            let page_text = format!("Page {}", number + 1);
            let available = l.width.saturating_sub(date.chars().count() + name.chars().count() + page_text.len());
            let (left, right) = (available / 2, available - available / 2);
            out.push_str(&format!("\n\n{date}{:>w1$}{name}{:>w2$}{page_text}\n\n\n", " ", " ", w1 = left.max(1), w2 = right.max(1)));
        }
        // Down the columns first, balanced: the first ones take a line more when they do not
        // come out even.
        let rows = page.len().div_ceil(l.columns);
        let (long, short_len) = (page.len() % l.columns, page.len() / l.columns);
        let starts: Vec<usize> = (0..l.columns).map(|c| if long == 0 { c * rows } else { c * short_len + c.min(long) }).collect();
        let lengths: Vec<usize> = (0..l.columns).map(|c| if long == 0 { rows } else { short_len + usize::from(c < long) }).collect();
        for row in 0..rows {
            let mut line = String::new();
            let mut col = 0;
            for c in 0..l.columns {
                if row >= lengths[c] {
                    break;
                }
                let Some(text) = page.get(starts[c] + row) else { break };
                if c > 0 {
                    col = pad_to(&mut line, col, c * (column_width + 1));
                }
                let cut: String = if l.columns > 1 { text.chars().take(column_width).collect() } else { text.clone() };
                col += cut.chars().count();
                line.push_str(&cut);
            }
            out.push_str(&line);
            out.push('\n');
        }
        if !l.bare {
            // The page is filled up, then its trailer.
            out.push_str(&"\n".repeat(body - rows + 5));
        }
    }
    out
}
