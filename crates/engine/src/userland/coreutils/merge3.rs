//! GNU `diff3 MYFILE OLDFILE YOURFILE`: the changes of the two others against the older file,
//! in blocks (`====` where all three differ, `====N` where file N is the odd one out), or with
//! `-m` the merged file, conflicts bracketed with `<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`
//! (oracle-96). Exit 0, 1 when `-m` left conflicts, 2 on trouble.

use super::diff::{edit_script, Step, MAX_LINES};
use super::Proc;

/// A change of one file against the older one: lines `old` there became lines `new` here
/// (half-open ranges of indices).
#[derive(Clone, Copy)]
struct Hunk {
    old: (usize, usize),
    new: (usize, usize),
}

/// A block of the three-way comparison: each file's range (mine, older, yours).
struct Block {
    ranges: [(usize, usize); 3],
    /// Which file is the odd one out (0, 1, 2), or `None` when all three differ.
    odd: Option<usize>,
}

pub(super) fn diff3(p: &mut Proc, args: &[String]) -> i32 {
    let merge = args.iter().any(|a| a == "-m" || a == "--merge");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-') || a.as_str() == "-").collect();
    let [mine, older, yours] = files.as_slice() else {
        let msg = match files.len() {
            0..=2 => format!("missing operand after '{}'", files.last().map_or("diff3", |f| f.as_str())),
            _ => format!("extra operand '{}'", files[3]),
        };
        p.err(&msg);
        p.io.err_line("diff3: Try 'diff3 --help' for more information.");
        return 2;
    };
    let mut texts = Vec::new();
    for f in [mine, older, yours] {
        match p.world.read(&p.ctx, f) {
            Ok(d) => texts.push(String::from_utf8_lossy(&d.to_vec()).into_owned()),
            Err(e) => {
                p.err(&format!("{f}: {e}"));
                return 2;
            }
        }
    }
    let lines: Vec<Vec<&str>> = texts.iter().map(|t| t.lines().collect()).collect();
    if lines.iter().any(|l| l.len() > MAX_LINES) {
        p.err("files too large for the simulation to compare line by line");
        return 2;
    }
    let blocks = blocks(&lines);
    if merge {
        let labels = [mine.as_str(), older.as_str(), yours.as_str()];
        let (out, conflicts) = merged(&lines, &blocks, labels);
        p.out(&out);
        return i32::from(conflicts);
    }
    p.out(&normal(&lines, &blocks));
    0
}

/// The runs of changes of `new` against `old`.
fn hunks(old: &[&str], new: &[&str]) -> Vec<Hunk> {
    let mut out = Vec::new();
    let (mut at_old, mut at_new) = (0, 0);
    let mut open: Option<Hunk> = None;
    for step in edit_script(old, new) {
        match step {
            Step::Keep(i, j) => {
                out.extend(open.take());
                (at_old, at_new) = (i + 1, j + 1);
            }
            Step::Remove(_) => {
                let h = open.get_or_insert(Hunk { old: (at_old, at_old), new: (at_new, at_new) });
                h.old.1 += 1;
                at_old += 1;
            }
            Step::Add(_) => {
                let h = open.get_or_insert(Hunk { old: (at_old, at_old), new: (at_new, at_new) });
                h.new.1 += 1;
                at_new += 1;
            }
        }
    }
    out.extend(open);
    out
}

/// The blocks: the changes of mine and of yours against the older file, those that overlap or
/// touch there taken together.
fn blocks(lines: &[Vec<&str>]) -> Vec<Block> {
    let sides = [hunks(&lines[1], &lines[0]), hunks(&lines[1], &lines[2])];
    let mut all: Vec<(usize, Hunk)> = sides.iter().enumerate().flat_map(|(s, hs)| hs.iter().map(move |h| (s, *h))).collect();
    all.sort_by_key(|(s, h)| (h.old.0, *s));
    let mut out = Vec::new();
    let mut k = 0;
    while k < all.len() {
        let (lo, mut hi) = (all[k].1.old.0, all[k].1.old.1);
        let mut members = vec![all[k]];
        k += 1;
        while let Some(next) = all.get(k).filter(|(_, h)| h.old.0 <= hi) {
            hi = hi.max(next.1.old.1);
            members.push(*next);
            k += 1;
        }
        // Each side's range: from its hunks in the block, else where the older lines fall.
        let range = |side: usize| -> (usize, usize) {
            let mine: Vec<&Hunk> = members.iter().filter(|(s, _)| *s == side).map(|(_, h)| h).collect();
            match (mine.first(), mine.last()) {
                (Some(first), Some(last)) => (first.new.0 + lo - first.old.0, last.new.1 + hi - last.old.1),
                _ => {
                    let shift = sides[side]
                        .iter()
                        .filter(|h| h.old.1 <= lo)
                        .map(|h| (h.new.1 - h.new.0) as isize - (h.old.1 - h.old.0) as isize)
                        .sum::<isize>();
                    ((lo as isize + shift) as usize, (hi as isize + shift) as usize)
                }
            }
        };
        let ranges = [range(0), (lo, hi), range(1)];
        let text = |f: usize| &lines[f][ranges[f].0..ranges[f].1];
        let changed = |side: usize| members.iter().any(|(s, _)| *s == side);
        let odd = if !changed(1) {
            Some(0)
        } else if !changed(0) {
            Some(2)
        } else if text(0) == text(2) {
            Some(1)
        } else {
            None
        };
        out.push(Block { ranges, odd });
    }
    out
}

/// GNU's range: `Na` after line N when empty, `Nc` one line, `N,Mc` several.
fn range_text((lo, hi): (usize, usize)) -> String {
    match hi - lo {
        0 => format!("{lo}a"),
        1 => format!("{}c", lo + 1),
        _ => format!("{},{hi}c", lo + 1),
    }
}

fn normal(lines: &[Vec<&str>], blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        out.push_str(&format!("===={}\n", b.odd.map_or(String::new(), |f| (f + 1).to_string())));
        // Two files alike show their lines once: the first of them says its range alone.
        let (order, silent): ([usize; 3], Option<usize>) = match b.odd {
            None => ([0, 1, 2], None),
            Some(0) => ([0, 1, 2], Some(1)),
            Some(1) => ([0, 2, 1], Some(0)),
            Some(_) => ([0, 1, 2], Some(0)),
        };
        for f in order {
            out.push_str(&format!("{}:{}\n", f + 1, range_text(b.ranges[f])));
            if silent != Some(f) {
                for l in &lines[f][b.ranges[f].0..b.ranges[f].1] {
                    out.push_str(&format!("  {l}\n"));
                }
            }
        }
    }
    out
}

/// `-m`: mine, with yours' changes taken in; where both changed, both bracketed (with the
/// older lines between when they differ, as `-A` shows them).
fn merged(lines: &[Vec<&str>], blocks: &[Block], labels: [&str; 3]) -> (String, bool) {
    let mut out = String::new();
    let mut conflicts = false;
    let mut at = 0;
    let push = |out: &mut String, ls: &[&str]| {
        for l in ls {
            out.push_str(l);
            out.push('\n');
        }
    };
    for b in blocks {
        push(&mut out, &lines[0][at..b.ranges[0].0]);
        let text = |f: usize| &lines[f][b.ranges[f].0..b.ranges[f].1];
        match b.odd {
            Some(0) => push(&mut out, text(0)),
            Some(2) => push(&mut out, text(2)),
            Some(_) => {
                conflicts = true;
                out.push_str(&format!("<<<<<<< {}\n", labels[1]));
                push(&mut out, text(1));
                out.push_str("=======\n");
                push(&mut out, text(2));
                out.push_str(&format!(">>>>>>> {}\n", labels[2]));
            }
            None => {
                conflicts = true;
                out.push_str(&format!("<<<<<<< {}\n", labels[0]));
                push(&mut out, text(0));
                out.push_str(&format!("||||||| {}\n", labels[1]));
                push(&mut out, text(1));
                out.push_str("=======\n");
                push(&mut out, text(2));
                out.push_str(&format!(">>>>>>> {}\n", labels[2]));
            }
        }
        at = b.ranges[0].1;
    }
    push(&mut out, &lines[0][at..]);
    (out, conflicts)
}
