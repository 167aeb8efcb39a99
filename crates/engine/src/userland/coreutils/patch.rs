//! `patch`: GNU patch 2.7 on the host, busybox's applet in containers (oracle-82). A unified
//! diff (or a normal one, on the host) applied to a file: each hunk where its context stands,
//! or a few lines off; a hunk that does not fit is rejected (GNU keeps the original as
//! `FILE.orig` and the hunks as `FILE.rej`), one already applied is recognised as reversed.

use super::Proc;
use crate::fs::Data;
use crate::vfs::WriteMode;

/// One hunk: the lines it expects (context and removed) and the lines it leaves (context and
/// added), and where the old file had them (1-based).
#[derive(Clone, Debug)]
struct Hunk {
    old_start: usize,
    old: Vec<String>,
    new: Vec<String>,
    /// The hunk as written, for a reject file.
    text: Vec<String>,
}

/// A patch's hunks, with the file names its header gives and the header itself.
struct Parsed {
    names: Vec<String>,
    header: Vec<String>,
    hunks: Vec<Hunk>,
    unified: bool,
}

fn parse(text: &str) -> Option<Parsed> {
    let lines: Vec<&str> = text.lines().collect();
    let mut parsed = Parsed { names: Vec::new(), header: Vec::new(), hunks: Vec::new(), unified: false };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(name) = line.strip_prefix("--- ").or_else(|| line.strip_prefix("+++ ")) {
            parsed.names.push(name.split('\t').next().unwrap_or(name).trim().to_string());
            parsed.header.push(line.to_string());
            i += 1;
        } else if let Some(range) = line.strip_prefix("@@ -") {
            parsed.unified = true;
            let old_start: usize = range.split([',', ' ']).next()?.parse().ok()?;
            let mut hunk = Hunk { old_start, old: Vec::new(), new: Vec::new(), text: vec![line.to_string()] };
            i += 1;
            while let Some(l) = lines.get(i).filter(|l| l.starts_with([' ', '-', '+', '\\']) && !l.starts_with("--- ")) {
                match (l.get(..1).unwrap_or_default(), l.get(1..).unwrap_or_default()) {
                    (" ", rest) => {
                        hunk.old.push(rest.to_string());
                        hunk.new.push(rest.to_string());
                    }
                    ("-", rest) => hunk.old.push(rest.to_string()),
                    ("+", rest) => hunk.new.push(rest.to_string()),
                    _ => {}
                }
                hunk.text.push(l.to_string());
                i += 1;
            }
            parsed.hunks.push(hunk);
        } else if let Some(hunk) = normal_hunk(&lines, &mut i) {
            parsed.hunks.push(hunk);
        } else {
            i += 1;
        }
    }
    (!parsed.hunks.is_empty()).then_some(parsed)
}

/// A normal diff's change (`2c2`, `4a5`, `3d2`) at `i`, with its `<` and `>` lines.
fn normal_hunk(lines: &[&str], i: &mut usize) -> Option<Hunk> {
    let line = lines.get(*i)?;
    let at = line.find(['a', 'c', 'd'])?;
    let (left, right) = (line.get(..at)?, line.get(at + 1..)?);
    let number = |s: &str| s.split(',').next().and_then(|n| n.parse::<usize>().ok());
    let start = number(left)?;
    number(right)?;
    let op = line.as_bytes()[at];
    let mut hunk =
        Hunk { old_start: if op == b'a' { start + 1 } else { start }, old: Vec::new(), new: Vec::new(), text: vec![line.to_string()] };
    *i += 1;
    while let Some(l) = lines.get(*i).filter(|l| l.starts_with("< ") || l.starts_with("> ") || **l == "---") {
        if let Some(rest) = l.strip_prefix("< ") {
            hunk.old.push(rest.to_string());
        } else if let Some(rest) = l.strip_prefix("> ") {
            hunk.new.push(rest.to_string());
        }
        hunk.text.push(l.to_string());
        *i += 1;
    }
    Some(hunk)
}

/// Where `want` stands in `lines`, at `near` (0-based) or the closest place to it.
fn locate(lines: &[String], want: &[String], near: usize) -> Option<usize> {
    let fits = |at: usize| lines.get(at..at + want.len()).is_some_and(|s| s == want);
    (0..=lines.len()).flat_map(|d| [near.checked_add(d), near.checked_sub(d)]).flatten().find(|&at| fits(at))
}

pub(super) fn patch(p: &mut Proc, args: &[String]) -> i32 {
    let (mut strip, mut reverse, mut dry_run, mut input) = (None::<usize>, false, false, None::<String>);
    let mut operands = Vec::new();
    let mut cursor = super::Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-R" | "--reverse" => reverse = true,
            "--dry-run" => dry_run = true,
            "-i" | "--input" => input = Some(cursor.value()),
            s if s.starts_with("-p") => strip = s.get(2..).and_then(|n| n.parse().ok()).or(Some(0)),
            s if s.starts_with("--strip=") => strip = s.get(8..).and_then(|n| n.parse().ok()),
            _ => operands.push(a.clone()),
        }
    }
    let patch_file = input.or_else(|| operands.get(1).cloned());
    let text = match &patch_file {
        Some(f) => match p.world.read(&p.ctx, f) {
            Ok(d) => String::from_utf8_lossy(&d.to_vec()).into_owned(),
            Err(e) => {
                p.err(&format!("**** Can't open patch file {f} : {e}"));
                return 2;
            }
        },
        None => String::from_utf8_lossy(&std::mem::take(&mut p.io.stdin)).into_owned(),
    };
    let Some(parsed) = parse(&text) else {
        // An empty patch changes nothing and says nothing; anything else without a hunk is
        // garbage to GNU patch.
        if p.gnu && !text.trim().is_empty() {
            p.err("**** Only garbage was found in the patch input.");
            return 2;
        }
        return 0;
    };
    let target = match operands.first() {
        Some(t) => t.clone(),
        None => {
            // The header's names, stripped of `strip` leading directories: the first that exists.
            let strip_dirs = |n: &str| n.splitn(strip.unwrap_or(0) + 1, '/').last().unwrap_or(n).to_string();
            let names: Vec<String> = parsed.names.iter().map(|n| strip_dirs(n)).collect();
            match names.iter().find(|n| p.world.stat(&p.ctx, n, true).is_ok()) {
                Some(n) => n.clone(),
                None => {
                    p.err("**** Can't find file to patch at input line 3");
                    return 1;
                }
            }
        }
    };
    let original = match p.world.read(&p.ctx, &target) {
        Ok(d) => String::from_utf8_lossy(&d.to_vec()).into_owned(),
        Err(e) => {
            p.err_dialect(&format!("**** Can't open file {target} : {e}"), &format!("can't open '{target}': {e}"));
            return if p.gnu { 2 } else { 1 };
        }
    };
    let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
    if parsed.unified || !p.gnu {
        p.out_line(&format!("{} file {target}", if dry_run { "checking" } else { "patching" }));
    }
    let (mut failed, mut ignored) = (Vec::new(), 0);
    // How far the lines have moved from the old file's numbering, by the hunks applied.
    let mut shift: isize = 0;
    for (n, hunk) in parsed.hunks.iter().enumerate() {
        let (from, to) = if reverse { (&hunk.new, &hunk.old) } else { (&hunk.old, &hunk.new) };
        let near = (hunk.old_start as isize - 1 + shift).max(0) as usize;
        match locate(&lines, from, near) {
            Some(at) => {
                lines.splice(at..at + from.len(), to.iter().cloned());
                shift += to.len() as isize - from.len() as isize;
                if at != near && p.gnu {
                    let offset = at as isize - near as isize;
                    let s = if offset.abs() == 1 { "" } else { "s" };
                    p.out_line(&format!("Hunk #{} succeeded at {} (offset {offset} line{s}).", n + 1, at + 1));
                }
            }
            None if p.gnu && !reverse && locate(&lines, to, near).is_some() => {
                // Its result is there already: the questions go to a terminal there is not.
                p.out_line("Reversed (or previously applied) patch detected!  Assume -R? [n] ");
                p.out_line("Apply anyway? [n] ");
                p.out_line("Skipping patch.");
                ignored += 1;
                failed.push(hunk.clone());
            }
            None => {
                if p.gnu {
                    p.out_line(&format!("Hunk #{} FAILED at {}.", n + 1, hunk.old_start));
                } else {
                    p.io.err_line(&format!("Hunk {} FAILED {}/{}.", n + 1, hunk.old_start, hunk.old_start));
                    for l in hunk.text.iter().skip(1) {
                        p.io.err_line(l);
                    }
                }
                failed.push(hunk.clone());
            }
        }
    }
    let total = parsed.hunks.len();
    if !failed.is_empty() && p.gnu {
        let rejects = format!("{target}.rej");
        let what = if ignored == failed.len() { "ignored" } else { "FAILED" };
        let tail = if dry_run { String::new() } else { format!(" -- saving rejects to file {rejects}") };
        p.out_line(&format!("{} out of {total} hunk{} {what}{tail}", failed.len(), if total == 1 { "" } else { "s" }));
        if !dry_run {
            let mut rej: Vec<String> = parsed.header.clone();
            for h in &failed {
                rej.extend(h.text.iter().cloned());
            }
            let _ =
                p.world.write_file(&p.ctx, &rejects, &Data::from_bytes(format!("{}\n", rej.join("\n")).as_bytes()), WriteMode::Truncate);
            if ignored < failed.len() {
                let _ = p.world.write_file(&p.ctx, &format!("{target}.orig"), &Data::from_bytes(original.as_bytes()), WriteMode::Truncate);
            }
        }
    }
    if !dry_run && failed.len() < total {
        let mut text = lines.join("\n");
        if !lines.is_empty() {
            text.push('\n');
        }
        if let Err(e) = p.world.write_file(&p.ctx, &target, &Data::from_bytes(text.as_bytes()), WriteMode::Truncate) {
            p.err_dialect(&format!("**** Can't create file {target} : {e}"), &format!("can't open '{target}': {e}"));
            return 2;
        }
    }
    i32::from(!failed.is_empty())
}
