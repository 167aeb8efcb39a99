//! `diff FILE1 FILE2`: GNU's normal format (`2c2`, `< a`, `---`, `> b`) or unified with `-u`;
//! busybox writes unified always (oracle-40). Exit 0 when alike, 1 when not, 2 on trouble.

use super::{split_opts, Proc};

/// Lines beyond this make the comparison too big for the simulation (its table is n × m).
pub(super) const MAX_LINES: usize = 4000;

/// One step of an edit script: a line kept, removed from the first file or added from the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    Keep(usize, usize),
    Remove(usize),
    Add(usize),
}

pub(super) fn diff(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let unified = !p.gnu || opts.iter().any(|o| o == "-u" || o.starts_with("-U") || o == "--unified");
    let [a, b] = files.as_slice() else {
        if p.gnu {
            let msg = match files.len() {
                0 | 1 => format!("missing operand after '{}'", files.first().map_or("diff", String::as_str)),
                _ => format!("extra operand '{}'", files[2]),
            };
            p.err(&msg);
            p.io.err_line("diff: Try 'diff --help' for more information.");
            return 2;
        }
        return p.busybox_usage().max(2);
    };
    let mut texts = Vec::new();
    for f in [a, b] {
        let data = if f == "-" { Ok(crate::fs::Data::from_bytes(&std::mem::take(&mut p.io.stdin))) } else { p.world.read(&p.ctx, f) };
        match data {
            Ok(d) => texts.push(String::from_utf8_lossy(&d.to_vec()).into_owned()),
            Err(e) => {
                let msg = if p.gnu { format!("{f}: {e}") } else { format!("can't stat '{f}': {e}") };
                p.err(&msg);
                return 2;
            }
        }
    }
    compare_texts(p, unified, [a, b], [&texts[0], &texts[1]])
}

/// The comparison itself, of two texts read already (`zdiff` hands it decompressed ones).
pub(super) fn compare_texts(p: &mut Proc, unified: bool, [a, b]: [&str; 2], texts: [&str; 2]) -> i32 {
    let left: Vec<&str> = texts[0].lines().collect();
    let right: Vec<&str> = texts[1].lines().collect();
    if left == right {
        return 0;
    }
    if left.len() > MAX_LINES || right.len() > MAX_LINES {
        p.err("files too large for the simulation to compare line by line");
        return 2;
    }
    let steps = edit_script(&left, &right);
    // GNU's unified headers carry each file's time; Debian's busybox gives the names alone.
    let header = |p: &mut Proc, f: &str| match p.world.stat(&p.ctx, f, true) {
        Ok(st) if p.gnu => {
            let t = crate::clock::tm(st.mtime);
            format!("{f}\t{}-{:02}-{:02} {:02}:{:02}:{:02}.000000000 +0000", t.year, t.month, t.day, t.hour, t.min, t.sec)
        }
        _ => f.to_string(),
    };
    let (head_a, head_b) = (header(p, a), header(p, b));
    let out = if unified { unified_format(&head_a, &head_b, &left, &right, &steps) } else { normal_format(&left, &right, &steps) };
    p.out(&out);
    1
}

/// A shortest edit script by the longest common subsequence (removals before additions).
pub(super) fn edit_script(a: &[&str], b: &[&str]) -> Vec<Step> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the common subsequence's length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut steps = Vec::new();
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            steps.push(Step::Keep(i, j));
            i += 1;
            j += 1;
        } else if j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            steps.push(Step::Remove(i));
            i += 1;
        } else {
            steps.push(Step::Add(j));
            j += 1;
        }
    }
    steps
}

/// A range as the normal format writes it: `3` or `3,5` (1-based).
fn range(from: usize, count: usize) -> String {
    if count <= 1 {
        format!("{}", from + 1)
    } else {
        format!("{},{}", from + 1, from + count)
    }
}

fn normal_format(a: &[&str], b: &[&str], steps: &[Step]) -> String {
    let mut out = String::new();
    let mut k = 0;
    // Where each side stands: the lines before the next change.
    let (mut at_a, mut at_b) = (0, 0);
    while k < steps.len() {
        if let Step::Keep(i, j) = steps[k] {
            (at_a, at_b) = (i + 1, j + 1);
            k += 1;
            continue;
        }
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        while let Some(step) = steps.get(k).filter(|s| !matches!(s, Step::Keep(..))) {
            match step {
                Step::Remove(i) => removed.push(*i),
                Step::Add(j) => added.push(*j),
                Step::Keep(..) => {}
            }
            k += 1;
        }
        let head = match (removed.is_empty(), added.is_empty()) {
            (false, true) => format!("{}d{}", range(at_a, removed.len()), at_b),
            (true, false) => format!("{}a{}", at_a, range(at_b, added.len())),
            _ => format!("{}c{}", range(at_a, removed.len()), range(at_b, added.len())),
        };
        out.push_str(&head);
        out.push('\n');
        for i in &removed {
            out.push_str(&format!("< {}\n", a[*i]));
        }
        if !removed.is_empty() && !added.is_empty() {
            out.push_str("---\n");
        }
        for j in &added {
            out.push_str(&format!("> {}\n", b[*j]));
        }
        at_a += removed.len();
        at_b += added.len();
    }
    out
}

/// Unified format with three lines of context; hunks closer than that join.
fn unified_format(name_a: &str, name_b: &str, a: &[&str], b: &[&str], steps: &[Step]) -> String {
    const CONTEXT: usize = 3;
    let changed: Vec<usize> = steps.iter().enumerate().filter(|(_, s)| !matches!(s, Step::Keep(..))).map(|(k, _)| k).collect();
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for k in changed {
        let (start, end) = (k.saturating_sub(CONTEXT), (k + CONTEXT + 1).min(steps.len()));
        match hunks.last_mut() {
            Some((_, e)) if start <= *e => *e = end,
            _ => hunks.push((start, end)),
        }
    }
    let mut out = format!("--- {name_a}\n+++ {name_b}\n");
    for (start, end) in hunks {
        let part = &steps[start..end];
        // Each side's first line in the hunk, and how many of its lines the hunk shows.
        let first_a = part.iter().find_map(|s| match s {
            Step::Keep(i, _) | Step::Remove(i) => Some(*i),
            Step::Add(_) => None,
        });
        let first_b = part.iter().find_map(|s| match s {
            Step::Keep(_, j) | Step::Add(j) => Some(*j),
            Step::Remove(_) => None,
        });
        let count_a = part.iter().filter(|s| !matches!(s, Step::Add(_))).count();
        let count_b = part.iter().filter(|s| !matches!(s, Step::Remove(_))).count();
        let side = |first: Option<usize>, count: usize| match (first, count) {
            (_, 0) => format!("{},0", first.unwrap_or(0)),
            (Some(f), 1) => format!("{}", f + 1),
            (Some(f), c) => format!("{},{c}", f + 1),
            (None, c) => format!("0,{c}"),
        };
        out.push_str(&format!("@@ -{} +{} @@\n", side(first_a, count_a), side(first_b, count_b)));
        for s in part {
            match s {
                Step::Keep(i, _) => out.push_str(&format!(" {}\n", a[*i])),
                Step::Remove(i) => out.push_str(&format!("-{}\n", a[*i])),
                Step::Add(j) => out.push_str(&format!("+{}\n", b[*j])),
            }
        }
    }
    out
}
