//! `--format` templates and Docker's tables (Go text/tabwriter with minwidth 10, padding 3).

use serde_json::Value;

/// Renders one value with a user template; `Err` carries Docker's message.
pub fn render(template: &str, data: &Value) -> Result<String, String> {
    let opts = stowage_template::Options::default().omit_empty(&["Name", "Driver"]);
    stowage_template::render_with(template, &with_go_zero_values(data), &opts).map_err(|e| e.to_string())
}

/// Docker runs templates on Go structs: a mount's `Name` and `Driver` exist (as `""`) even
/// where the JSON leaves them out (`omitempty`). Fills them in, in the struct's field order.
fn with_go_zero_values(data: &Value) -> Value {
    let mut data = data.clone();
    if let Some(Value::Array(mounts)) = data.get_mut("Mounts") {
        for m in mounts.iter_mut() {
            if let Value::Object(o) = m {
                if o.contains_key("Destination") && !o.contains_key("Name") {
                    let mut full = serde_json::Map::new();
                    for key in ["Type", "Name", "Source", "Destination", "Driver", "Mode", "RW", "Propagation"] {
                        full.insert(key.into(), o.get(key).cloned().unwrap_or_else(|| Value::String(String::new())));
                    }
                    *o = full;
                }
            }
        }
    }
    data
}

/// Docker turns the two characters `\t` and `\n` of a `--format` into a tab and a newline.
pub fn unescape(format: &str) -> String {
    format.replace("\\t", "\t").replace("\\n", "\n")
}

/// Aligns tab-separated cells like Go's tabwriter (minwidth 10, tabwidth 1, padding 3):
/// the text after a line's last tab is not part of a column.
pub fn tabwrite(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let mut out = String::new();
    // Columns are aligned over consecutive lines that have that column (a "block").
    let ncols = lines.iter().map(|l| l.len().saturating_sub(1)).max().unwrap_or(0);
    let mut widths = vec![vec![0usize; ncols]; lines.len()];
    for col in 0..ncols {
        let mut start = 0;
        while start < lines.len() {
            if lines[start].len() <= col + 1 {
                start += 1;
                continue;
            }
            let mut end = start;
            while end < lines.len() && lines[end].len() > col + 1 {
                end += 1;
            }
            let w = lines[start..end].iter().map(|l| l[col].chars().count()).max().unwrap_or(0) + 3;
            let w = w.max(10);
            for row in widths.iter_mut().take(end).skip(start) {
                row[col] = w;
            }
            start = end;
        }
    }
    for (i, cells) in lines.iter().enumerate() {
        let mut line = String::new();
        for (j, cell) in cells.iter().enumerate() {
            if j + 1 < cells.len() {
                line.push_str(cell);
                let pad = widths[i][j].saturating_sub(cell.chars().count());
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `stringutils.Ellipsis`: at most `max` characters, the last one `…` when cut.
pub fn ellipsis(s: &str, max: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= max {
        s.to_string()
    } else {
        let mut t: String = chars[..max - 1].iter().collect();
        t.push('…');
        t
    }
}

/// go-units `HumanSizeWithPrecision`: decimal units and Go's `%.*g`.
pub fn human_size(size: f64, precision: usize) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut s = size;
    let mut i = 0;
    while s >= 1000.0 && i < units.len() - 1 {
        s /= 1000.0;
        i += 1;
    }
    format!("{}{}", go_g(s, precision), units[i])
}

/// Go's `%.{p}g` formatting.
pub fn go_g(v: f64, p: usize) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let e = format!("{:.*e}", p.saturating_sub(1), v);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let mant = if mant.contains('.') { mant.trim_end_matches('0').trim_end_matches('.') } else { mant };
        format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let f = format!("{v:.decimals$}");
        if f.contains('.') {
            f.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            f
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_go_units() {
        assert_eq!(human_size(1_982_541.0, 3), "1.98MB");
        assert_eq!(human_size(1_982_573.0, 4), "1.983MB");
        assert_eq!(human_size(52.0, 3), "52B");
        assert_eq!(human_size(0.0, 3), "0B");
        assert_eq!(human_size(999_600.0, 3), "1e+03kB");
    }

    #[test]
    fn tables_align_like_docker() {
        let t = tabwrite("DRIVER\tVOLUME NAME\nlocal\tmydata\n");
        assert_eq!(t, "DRIVER    VOLUME NAME\nlocal     mydata\n");
    }

    #[test]
    fn ellipsis_cuts() {
        assert_eq!(ellipsis("2424aa069dab3d73bc0c", 15), "2424aa069dab3d…");
    }
}
