//! Text laid out in columns: util-linux's `column` (a table with `-t`, filled columns without)
//! and GNU's `join` (two sorted files' lines joined on a field) (oracle-74).

use super::{read_input, Cursor, Proc};

/// `column [-t] [-s SEPARATORS] [-o SEPARATOR] [-x] [FILE…]`.
pub(super) fn column(p: &mut Proc, args: &[String]) -> i32 {
    let (mut table, mut across) = (false, false);
    let mut separators: Option<String> = None;
    let mut output = "  ".to_string();
    let mut files = Vec::new();
    let mut cursor = Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-t" | "--table" => table = true,
            "-x" | "--fillrows" => across = true,
            "-s" | "--separator" => separators = Some(cursor.value()),
            "-o" | "--output-separator" => output = cursor.value(),
            s if s.starts_with("-s") && s.len() > 2 => separators = s.get(2..).map(str::to_string),
            s if s.starts_with("-o") && s.len() > 2 => output = s.get(2..).unwrap_or_default().to_string(),
            _ => files.push(a.clone()),
        }
    }
    let mut text = String::new();
    let mut status = 0;
    for f in if files.is_empty() { vec!["-".to_string()] } else { files } {
        match read_input(p, &f) {
            Some(d) => text.push_str(&String::from_utf8_lossy(&d)),
            None => status = 1,
        }
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if table {
        let split = |l: &str| -> Vec<String> {
            match &separators {
                Some(seps) => l.split(|c| seps.contains(c)).map(str::to_string).collect(),
                None => l.split_whitespace().map(str::to_string).collect(),
            }
        };
        let rows: Vec<Vec<String>> = lines.iter().map(|l| split(l)).collect();
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> =
            (0..columns).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0)).collect();
        for row in rows {
            let last = row.len().saturating_sub(1);
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(c, s)| if c == last { s.clone() } else { format!("{s}{}", " ".repeat(widths[c] - s.chars().count())) })
                .collect();
            p.out_line(&cells.join(&output));
        }
        return status;
    }
    fill(p, &lines, across);
    status
}

/// Without `-t`: the entries in as many columns as 80 characters hold, each column as wide
/// as the longest entry rounded up to a tab stop, reached with tabs; down the columns first
/// (`-x`: across the rows).
fn fill(p: &mut Proc, entries: &[&str], across: bool) {
    const WIDTH: usize = 80;
    let longest = entries.iter().map(|e| e.chars().count()).max().unwrap_or(0);
    let column = (longest + 8) & !7;
    if column == 0 || entries.is_empty() {
        return;
    }
    let columns = (WIDTH / column).max(1);
    let rows = entries.len().div_ceil(columns);
    for r in 0..rows {
        let row: Vec<&str> = (0..columns)
            .filter_map(|c| {
                let k = if across { r * columns + c } else { c * rows + r };
                entries.get(k).copied()
            })
            .collect();
        let mut line = String::new();
        for (c, entry) in row.iter().enumerate() {
            line.push_str(entry);
            if c + 1 < row.len() {
                let len = entry.chars().count();
                line.push_str(&"\t".repeat((column - len).div_ceil(8)));
            }
        }
        p.out_line(&line);
    }
}

/// `join [-a N] [-v N] [-t CHAR] [-1 FIELD] [-2 FIELD] [-i] FILE1 FILE2`: for each pair of
/// lines with the same join field, the field, then the rest of each line. The files are read
/// as sorted on that field, as join requires.
pub(super) fn join(p: &mut Proc, args: &[String]) -> i32 {
    let (mut unpaired, mut only_unpaired) = ([false, false], [false, false]);
    let mut fields = [1usize, 1usize];
    let mut separator: Option<char> = None;
    let mut ignore_case = false;
    let mut files = Vec::new();
    let mut cursor = Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-a" => {
                let n = cursor.value();
                unpaired[usize::from(n == "2")] = true;
            }
            "-v" => {
                let n = cursor.value();
                only_unpaired[usize::from(n == "2")] = true;
            }
            "-t" => separator = cursor.value().chars().next(),
            "-1" => fields[0] = cursor.value().parse().unwrap_or(1),
            "-2" => fields[1] = cursor.value().parse().unwrap_or(1),
            "-j" => {
                let f = cursor.value().parse().unwrap_or(1);
                fields = [f, f];
            }
            "-i" | "--ignore-case" => ignore_case = true,
            s if s.starts_with("-t") && s.len() > 2 => separator = s.chars().nth(2),
            s if s.starts_with("-a") && s.len() > 2 => unpaired[usize::from(s.ends_with('2'))] = true,
            s if s.starts_with("-v") && s.len() > 2 => only_unpaired[usize::from(s.ends_with('2'))] = true,
            _ => files.push(a.clone()),
        }
    }
    let [left, right] = &files[..] else {
        let msg = if files.len() < 2 {
            format!("missing operand after {}", p.lq(files.last().map_or("join", String::as_str)))
        } else {
            format!("extra operand {}", p.lq(&files[2]))
        };
        return p.err_try(&msg);
    };
    let (Some(a), Some(b)) = (read_input(p, left), read_input(p, right)) else { return 1 };
    let (a, b) = (String::from_utf8_lossy(&a).into_owned(), String::from_utf8_lossy(&b).into_owned());
    let split = |line: &str| -> Vec<String> {
        match separator {
            Some(c) => line.split(c).map(str::to_string).collect(),
            None => line.split_whitespace().map(str::to_string).collect(),
        }
    };
    let rows = [a.lines().map(split).collect::<Vec<_>>(), b.lines().map(split).collect::<Vec<_>>()];
    let key = |row: &Vec<String>, side: usize| {
        let k = row.get(fields[side].saturating_sub(1)).cloned().unwrap_or_default();
        if ignore_case {
            k.to_lowercase()
        } else {
            k
        }
    };
    let glue = separator.map_or(" ".to_string(), String::from);
    let joined = |k: &str, x: Option<&Vec<String>>, y: Option<&Vec<String>>| {
        let mut out = vec![k.to_string()];
        for (side, row) in [(0, x), (1, y)] {
            if let Some(row) = row {
                out.extend(row.iter().enumerate().filter(|(f, _)| *f != fields[side] - 1).map(|(_, v)| v.clone()));
            }
        }
        out.join(&glue)
    };
    let pairs = !only_unpaired[0] && !only_unpaired[1];
    let (mut x, mut y) = (0, 0);
    while x < rows[0].len() || y < rows[1].len() {
        let kx = rows[0].get(x).map(|r| key(r, 0));
        let ky = rows[1].get(y).map(|r| key(r, 1));
        match (kx, ky) {
            (Some(kx), Some(ky)) if kx == ky => {
                // Every line of one side with this key meets every line of the other.
                let x_end = (x..rows[0].len()).find(|&k| key(&rows[0][k], 0) != kx).unwrap_or(rows[0].len());
                let y_end = (y..rows[1].len()).find(|&k| key(&rows[1][k], 1) != ky).unwrap_or(rows[1].len());
                if pairs {
                    for row_x in &rows[0][x..x_end] {
                        for row_y in &rows[1][y..y_end] {
                            let shown = row_x.get(fields[0] - 1).cloned().unwrap_or_default();
                            p.out_line(&joined(&shown, Some(row_x), Some(row_y)));
                        }
                    }
                }
                (x, y) = (x_end, y_end);
            }
            (Some(kx), ky) if ky.as_ref().is_none_or(|ky| kx < *ky) => {
                if unpaired[0] || only_unpaired[0] {
                    let row = &rows[0][x];
                    p.out_line(&joined(&row.get(fields[0] - 1).cloned().unwrap_or_default(), Some(row), None));
                }
                x += 1;
            }
            _ => {
                if unpaired[1] || only_unpaired[1] {
                    let row = &rows[1][y];
                    p.out_line(&joined(&row.get(fields[1] - 1).cloned().unwrap_or_default(), None, Some(row)));
                }
                y += 1;
            }
        }
    }
    0
}
