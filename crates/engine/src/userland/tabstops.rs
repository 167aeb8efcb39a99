//! Reaching a column the way the layout tools of the era do: a tab while the next stop (every
//! eight columns) is not past the column, then spaces (GNU's `tab_from_to`, bash's `indent`).

/// Pads `out` from column `from` to column `to`; returns `to`.
pub fn pad_to(out: &mut String, from: usize, to: usize) -> usize {
    let mut col = from;
    while (col / 8 + 1) * 8 <= to {
        out.push('\t');
        col = (col / 8 + 1) * 8;
    }
    while col < to {
        out.push(' ');
        col += 1;
    }
    to
}
