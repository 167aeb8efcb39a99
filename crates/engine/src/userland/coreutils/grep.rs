//! `grep`: matching lines, with counts, names, numbers and context lines; whole words (`-w`),
//! and whole trees (`-r`).

use super::{read_input, Proc};
use crate::fs::FileType;

pub(super) fn grep(p: &mut Proc, args: &[String]) -> i32 {
    // `-e` may come more than once: a line matches if any pattern does.
    let mut patterns: Vec<String> = Vec::new();
    // -s: files that cannot be read are not named (the status still says so).
    let mut silent = false;
    let mut files = Vec::new();
    let (mut invert, mut count, mut quiet, mut ignore, mut only_names, mut number, mut fixed, mut extended) =
        (false, false, false, false, false, false, false, false);
    // -o: each match on its own line, not the line.
    let mut only_matching = false;
    // -w: a match must be a whole word; -r: directories are searched through; -h/-H: names
    // never or always shown.
    let (mut words, mut recursive, mut names_shown) = (false, false, None::<bool>);
    // --label=NAME: what standard input is called in the output (zgrep names its files so).
    let mut label = None::<String>;
    // Context lines: -A/-B/-C N (or -A3), --after-context=N and the like.
    let (mut after, mut before) = (0usize, 0usize);
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let short_context = ["-A", "-B", "-C"].iter().find_map(|flag| Some((flag.chars().nth(1)?, a.strip_prefix(flag)?)));
        let context = if let Some(value) = a.strip_prefix("--after-context=") {
            Some(('A', value.to_string(), 1))
        } else if let Some(value) = a.strip_prefix("--before-context=") {
            Some(('B', value.to_string(), 1))
        } else if let Some(value) = a.strip_prefix("--context=") {
            Some(('C', value.to_string(), 1))
        } else {
            match short_context {
                Some((kind, "")) => Some((kind, args.get(i + 1).cloned().unwrap_or_default(), 2)),
                Some((kind, value)) => Some((kind, value.to_string(), 1)),
                None => None,
            }
        };
        if let Some((kind, value, used)) = context {
            let Ok(n) = value.parse::<usize>() else {
                p.err(&format!("{value}: invalid context length argument"));
                return 2;
            };
            match kind {
                'A' => after = n,
                'B' => before = n,
                _ => (after, before) = (n, n),
            }
            i += used;
            continue;
        }
        if let Some(name) = a.strip_prefix("--label=") {
            label = Some(name.to_string());
            i += 1;
            continue;
        }
        // `--` ends the options: what follows is the pattern (unless -e gave one) and files.
        if a == "--" {
            let mut operands = args.iter().skip(i + 1).cloned();
            if patterns.is_empty() {
                patterns.extend(operands.next());
            }
            files.extend(operands);
            break;
        }
        if a == "-e" {
            patterns.extend(args.get(i + 1).cloned());
            i += 2;
            continue;
        }
        if a.starts_with('-') && a.len() > 1 && patterns.is_empty()
            || (a.starts_with('-')
                && a.len() > 1
                && files.is_empty()
                && !patterns.is_empty()
                && a.chars().skip(1).all(|c| "vcqilnFEsrRwhHo".contains(c)))
        {
            for c in a.chars().skip(1) {
                match c {
                    'v' => invert = true,
                    'c' => count = true,
                    'q' => quiet = true,
                    'i' => ignore = true,
                    'l' => only_names = true,
                    'n' => number = true,
                    'F' => fixed = true,
                    'E' => extended = true,
                    'o' => only_matching = true,
                    'w' => words = true,
                    'r' | 'R' => recursive = true,
                    's' => silent = true,
                    'h' => names_shown = Some(false),
                    'H' => names_shown = Some(true),
                    _ => {}
                }
            }
        } else if patterns.is_empty() {
            patterns.push(a.clone());
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    // A pattern of several lines is that many patterns.
    let patterns: Vec<String> = patterns.iter().flat_map(|p| p.split('\n').map(str::to_string).collect::<Vec<_>>()).collect();
    let Some(pattern) = patterns.first().cloned() else {
        if p.gnu {
            p.io.err_line("Usage: grep [OPTION]... PATTERNS [FILE]...");
            p.io.err_line("Try 'grep --help' for more information.");
            return 2;
        }
        return p.busybox_usage();
    };
    let compiled = crate::userland::coreutils::Regex::any_of(&patterns, !(extended || fixed), fixed, ignore);
    let re = match compiled {
        Some(r) => r,
        None => {
            let complaint = super::regex::complaint(&pattern, !(extended || fixed));
            p.err(complaint);
            return 2;
        }
    };
    // With -r, files found inside a directory are named; a lone file operand is not.
    let into_directory =
        |p: &Proc| files.is_empty() || files.iter().any(|f| p.world.stat(&p.ctx, f, true).is_ok_and(|st| st.ftype == FileType::Dir));
    let multi = names_shown.unwrap_or(files.len() > 1 || (recursive && into_directory(p)));
    let inputs = match (files.is_empty(), recursive) {
        // GNU searches the working directory and names its files without `./`.
        (true, true) if p.gnu => tree_files(p, ".").into_iter().map(|f| f.strip_prefix("./").unwrap_or(&f).to_string()).collect(),
        (true, _) => vec!["-".to_string()],
        (false, true) => files.iter().flat_map(|f| tree_files(p, f)).collect(),
        (false, false) => files,
    };
    let mut found = false;
    let mut status_err = false;
    // With context, groups of lines that do not touch are separated by `--`, across files too.
    let mut printed_any = false;
    for f in inputs {
        // -q stops at the first line found: the files after it are not opened.
        if quiet && found {
            break;
        }
        let data = if silent && f != "-" { p.world.read(&p.ctx, &f).ok().map(|d| super::limited(&d)) } else { read_input(p, &f) };
        let Some(d) = data else {
            status_err = true;
            continue;
        };
        let f = match &label {
            Some(name) if f == "-" => name.clone(),
            _ => f,
        };
        let text = String::from_utf8_lossy(&d).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        let mut n = 0;
        let mut last_printed: Option<usize> = None;
        let mut after_left = 0;
        let listing = !count && !quiet && !only_names;
        let mut emit = |p: &mut Proc, k: usize, sep: char, last_printed: &mut Option<usize>| {
            if (after > 0 || before > 0) && printed_any && last_printed.is_none_or(|lp| k > lp + 1) {
                p.out("--\n");
            }
            let prefix = if multi { format!("{f}{sep}") } else { String::new() };
            let num = if number { format!("{}{sep}", k + 1) } else { String::new() };
            p.out(&format!("{prefix}{num}{}\n", lines[k]));
            *last_printed = Some(k);
            printed_any = true;
        };
        for (ln, line) in lines.iter().enumerate() {
            let is_match = (if words { whole_word(&re, line) } else { re.is_match(line) }) != invert;
            if is_match {
                n += 1;
                found = true;
            }
            if !listing {
                continue;
            }
            if is_match && only_matching {
                if !invert {
                    let chars: Vec<char> = line.chars().collect();
                    let mut from = 0;
                    while from < chars.len() {
                        let rest: String = chars[from..].iter().collect();
                        let Some((a, b)) = re.find(&rest) else { break };
                        if b > a && (!words || stands_alone(&chars, from + a, from + b)) {
                            let prefix = if multi { format!("{f}:") } else { String::new() };
                            let num = if number { format!("{}:", ln + 1) } else { String::new() };
                            p.out(&format!("{prefix}{num}{}\n", chars[from + a..from + b].iter().collect::<String>()));
                        }
                        from += b.max(a + 1);
                    }
                }
                continue;
            }
            if is_match {
                let first = last_printed.map_or(0, |lp| lp + 1).max(ln.saturating_sub(before));
                for k in first..ln {
                    emit(p, k, '-', &mut last_printed);
                }
                emit(p, ln, ':', &mut last_printed);
                after_left = after;
            } else if after_left > 0 {
                emit(p, ln, '-', &mut last_printed);
                after_left -= 1;
            }
        }
        if count {
            let prefix = if multi { format!("{f}:") } else { String::new() };
            p.out(&format!("{prefix}{n}\n"));
        }
        if only_names && n > 0 {
            p.out(&format!("{f}\n"));
        }
    }
    // An unreadable file makes the status 2 even with lines found, unless -q found one.
    if status_err && !(quiet && found) {
        2
    } else if found {
        0
    } else {
        1
    }
}

/// `-r`: a directory operand stands for the files under it (in name order; symlinks met on
/// the way are not followed, so a link to `/` or `..` leads nowhere); any other operand for
/// itself.
fn tree_files(p: &mut Proc, root: &str) -> Vec<String> {
    let is_dir = p.world.stat(&p.ctx, root, true).is_ok_and(|st| st.ftype == FileType::Dir);
    if !is_dir {
        return vec![root.to_string()];
    }
    // A directory it may not read stays in the list: reading it says so (oracle-140).
    let unreadable = |p: &Proc, path: &str| p.world.resolve(&p.ctx, path, false).and_then(|l| p.world.list(&p.ctx, &l)).is_err();
    super::walk_paths(p, root)
        .into_iter()
        .filter(|path| match p.world.stat(&p.ctx, path, false) {
            Ok(st) if st.ftype == FileType::File => true,
            Ok(st) if st.ftype == FileType::Dir => unreadable(p, path),
            _ => false,
        })
        .collect()
}

/// Whether characters `start..end` of a line stand as a word of their own: no letter, digit
/// or `_` beside them.
fn stands_alone(chars: &[char], start: usize, end: usize) -> bool {
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || *c == '_');
    !word(start.checked_sub(1).and_then(|i| chars.get(i))) && !word(chars.get(end))
}

/// `-w`: some match of the line stands as a word of its own (no letter, digit or `_` beside it).
fn whole_word(re: &super::Regex, line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    let mut from = 0;
    while from <= chars.len() {
        let Some((start, end)) = re.captures_from(line, from).and_then(|groups| groups.first().copied().flatten()) else { return false };
        if end > start && stands_alone(&chars, start, end) {
            return true;
        }
        from = start + 1;
    }
    false
}
