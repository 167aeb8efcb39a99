//! GNU `sdiff FILE1 FILE2` (and `diff -y`): the two files side by side, a gutter between them
//! saying `|` for a changed line, `<` for one only on the left, `>` for one only on the right;
//! columns as GNU lays them out for the width (`-w`, 130 by default), reached with tabs
//! (oracle-91). Exit 0 when alike, 1 when not, 2 on trouble.

use super::diff::{edit_script, Step, MAX_LINES};
use super::Proc;
use crate::userland::tabstops::pad_to;

const TAB: usize = 8;

pub(super) fn sdiff(p: &mut Proc, args: &[String]) -> i32 {
    let (mut width, mut suppress_common, mut left_only) = (130usize, false, false);
    let mut files = Vec::new();
    let mut k = 0;
    while let Some(a) = args.get(k) {
        match a.as_str() {
            "-w" | "-W" | "--width" => {
                k += 1;
                width = args.get(k).and_then(|w| w.parse().ok()).unwrap_or(width);
            }
            "-s" | "--suppress-common-lines" => suppress_common = true,
            "-l" | "--left-column" => left_only = true,
            "-y" | "--side-by-side" => {}
            s if s.starts_with("--width=") => width = s.get(8..).and_then(|w| w.parse().ok()).unwrap_or(width),
            s if (s.starts_with("-w") || s.starts_with("-W")) && s.len() > 2 => {
                width = s.get(2..).and_then(|w| w.parse().ok()).unwrap_or(width)
            }
            _ => files.push(a.clone()),
        }
        k += 1;
    }
    let [a, b] = files.as_slice() else {
        let msg = match files.len() {
            0 | 1 => format!("missing operand after '{}'", files.first().map_or(p.name.as_str(), String::as_str)),
            _ => format!("extra operand '{}'", files[2]),
        };
        p.err(&msg);
        let name = p.name.clone();
        p.io.err_line(&format!("{name}: Try '{name} --help' for more information."));
        return 2;
    };
    let mut texts = Vec::new();
    for f in [a, b] {
        match p.world.read(&p.ctx, f) {
            Ok(d) => texts.push(String::from_utf8_lossy(&d.to_vec()).into_owned()),
            Err(e) => {
                // sdiff runs diff, which names itself.
                p.io.err_line(&format!("diff: {f}: {e}"));
                return 2;
            }
        }
    }
    let left: Vec<&str> = texts[0].lines().collect();
    let right: Vec<&str> = texts[1].lines().collect();
    if left.len() > MAX_LINES || right.len() > MAX_LINES {
        p.err("files too large for the simulation to compare line by line");
        return 2;
    }
    let layout = Layout::for_width(width);
    let mut out = String::new();
    let steps = edit_script(&left, &right);
    let mut k = 0;
    while k < steps.len() {
        if let Step::Keep(i, j) = steps[k] {
            if !suppress_common {
                let sep = if left_only { '(' } else { ' ' };
                layout.line(&mut out, Some(left[i]), sep, (!left_only).then_some(right[j]));
            }
            k += 1;
            continue;
        }
        // A run of changes: removed and added lines paired in order, the rest alone.
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        while let Some(step) = steps.get(k).filter(|s| !matches!(s, Step::Keep(..))) {
            match step {
                Step::Remove(i) => removed.push(left[*i]),
                Step::Add(j) => added.push(right[*j]),
                Step::Keep(..) => {}
            }
            k += 1;
        }
        for n in 0..removed.len().max(added.len()) {
            match (removed.get(n), added.get(n)) {
                (Some(l), Some(r)) => layout.line(&mut out, Some(l), '|', Some(r)),
                (Some(l), None) => layout.line(&mut out, Some(l), '<', None),
                (None, Some(r)) => layout.line(&mut out, None, '>', Some(r)),
                (None, None) => {}
            }
        }
    }
    p.out(&out);
    i32::from(left != right)
}

/// GNU's columns for a width: each half's width and where the right one starts.
struct Layout {
    half: usize,
    right_at: usize,
}

impl Layout {
    fn for_width(width: usize) -> Layout {
        let off = (width + TAB + 3) / (2 * TAB) * TAB;
        let half = off.saturating_sub(3).min(width.saturating_sub(off));
        Layout { half, right_at: if half > 0 { off } else { width } }
    }

    /// One output line: the left text (cut to the half width), the gutter, the right text.
    fn line(&self, out: &mut String, left: Option<&str>, sep: char, right: Option<&str>) {
        let mut col = 0;
        if let Some(l) = left {
            col = half_line(out, l, self.half);
        }
        if sep != ' ' {
            col = pad_to(out, col, (self.half + self.right_at - 1) / 2) + 1;
            out.push(sep);
        }
        if let Some(r) = right.filter(|r| !r.is_empty()) {
            pad_to(out, col, self.right_at);
            half_line(out, r, self.half);
        }
        out.push('\n');
    }
}

/// As much of `text` as `width` columns hold (tabs kept, as stops within the half).
fn half_line(out: &mut String, text: &str, width: usize) -> usize {
    let mut col = 0;
    for c in text.chars() {
        let next = if c == '\t' { (col / TAB + 1) * TAB } else { col + 1 };
        if next > width {
            break;
        }
        out.push(c);
        col = next;
    }
    col
}
