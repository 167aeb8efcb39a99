//! util-linux's `rename` (`rename.ul` on Debian): the first occurrence of an expression in each
//! file's last name component replaced, or with `-s` in a symlink's target (oracle-90).

use super::Proc;
use crate::vfs::Stat;

/// What one file came to: left as it was, renamed, or an error (util-linux adds these up).
const UNCHANGED: u8 = 0;
const RENAMED: u8 = 1;
const FAILED: u8 = 2;

/// Which occurrences of the expression are replaced.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    First,
    Last,
    All,
}

const HELP: &str = "
Usage:
 rename.ul [options] <expression> <replacement> <file>...

Rename files.

Options:
 -v, --verbose       explain what is being done
 -s, --symlink       act on the target of symlinks
 -n, --no-act        do not make any changes
 -a, --all           replace all occurrences
 -l, --last          replace only the last occurrence
 -o, --no-overwrite  don't overwrite existing files
 -i, --interactive   prompt before overwrite

 -h, --help          display this help
 -V, --version       display version

For more details see rename(1).
";

struct Options {
    which: Which,
    verbose: bool,
    no_act: bool,
    no_overwrite: bool,
    symlink: bool,
}

/// `rename.ul [-v] [-n] [-o] [-s] EXPRESSION REPLACEMENT FILE…`: exit 0 when every file was
/// renamed, 4 when none was, 1 when all failed, 2 when some did.
pub(super) fn rename(p: &mut Proc, args: &[String]) -> i32 {
    let mut o = Options { which: Which::First, verbose: false, no_act: false, no_overwrite: false, symlink: false };
    let mut operands = Vec::new();
    let mut options_end = false;
    for a in args {
        if options_end || !a.starts_with('-') || a == "-" {
            operands.push(a.clone());
            continue;
        }
        let letters: Vec<char> = match a.as_str() {
            "--" => {
                options_end = true;
                continue;
            }
            "--verbose" => vec!['v'],
            "--no-act" => vec!['n'],
            "--no-overwrite" => vec!['o'],
            "--symlink" => vec!['s'],
            "--all" => vec!['a'],
            "--last" => vec!['l'],
            "--help" => vec!['h'],
            "--version" => vec!['V'],
            long if long.starts_with("--") => {
                return p.err_try(&format!("unrecognized option '{long}'"));
            }
            short => short.chars().skip(1).collect(),
        };
        for c in letters {
            match c {
                'v' => o.verbose = true,
                'n' => o.no_act = true,
                'o' => o.no_overwrite = true,
                's' => o.symlink = true,
                'a' => o.which = Which::All,
                'l' => o.which = Which::Last,
                'h' => {
                    p.out(HELP);
                    return 0;
                }
                'V' => {
                    p.out("rename.ul from util-linux 2.38.1\n");
                    return 0;
                }
                other => return p.err_try(&format!("invalid option -- '{other}'")),
            }
        }
    }
    let [from, to, files @ ..] = operands.as_slice() else { return not_enough(p) };
    if files.is_empty() {
        return not_enough(p);
    }
    let mut outcome = 0;
    for file in files {
        outcome |= if o.symlink { retarget(p, &o, from, to, file) } else { rename_one(p, &o, from, to, file) };
    }
    match outcome {
        UNCHANGED => 4,
        RENAMED => 0,
        FAILED => 1,
        _ => 2,
    }
}

fn not_enough(p: &mut Proc) -> i32 {
    p.err_try("not enough arguments")
}

/// `text` with `from` made `to` (the first, the last or every one); `None` without one.
fn substituted(text: &str, from: &str, to: &str, which: Which) -> Option<String> {
    let at = match which {
        Which::First => text.find(from)?,
        Which::Last => text.rfind(from)?,
        Which::All => {
            text.find(from)?;
            return Some(text.replace(from, to));
        }
    };
    Some(format!("{}{to}{}", text.get(..at)?, text.get(at + from.len()..)?))
}

/// `path` with `from` made `to` in its last component only.
fn replaced(path: &str, from: &str, to: &str, which: Which) -> Option<String> {
    let start = path.rfind('/').map_or(0, |k| k + 1);
    let name = substituted(path.get(start..)?, from, to, which)?;
    Some(format!("{}{name}", path.get(..start)?))
}

fn accessible(p: &mut Proc, file: &str) -> Option<Stat> {
    match p.world.stat(&p.ctx, file, false) {
        Ok(st) => Some(st),
        Err(e) => {
            p.err(&format!("{file}: not accessible: {e}"));
            None
        }
    }
}

fn rename_one(p: &mut Proc, o: &Options, from: &str, to: &str, file: &str) -> u8 {
    if accessible(p, file).is_none() {
        return FAILED;
    }
    let Some(new) = replaced(file, from, to, o.which) else { return UNCHANGED };
    if o.no_overwrite && p.world.stat(&p.ctx, &new, false).is_ok() {
        if o.verbose {
            p.out(&format!("Skipping existing file: `{new}'\n"));
        }
        return UNCHANGED;
    }
    if !o.no_act {
        if let Err(e) = p.world.rename(&p.ctx, file, &new) {
            p.err(&format!("{file}: rename to {new} failed: {e}"));
            return FAILED;
        }
    }
    if o.verbose {
        p.out(&format!("`{file}' -> `{new}'\n"));
    }
    RENAMED
}

/// `-s`: the link keeps its name and points where its target, so changed, leads.
fn retarget(p: &mut Proc, o: &Options, from: &str, to: &str, file: &str) -> u8 {
    let Some(st) = accessible(p, file) else { return FAILED };
    let Some(target) = st.symlink else {
        p.err(&format!("{file}: not a symbolic link"));
        return FAILED;
    };
    let Some(new) = substituted(&target, from, to, o.which) else { return UNCHANGED };
    if !o.no_act {
        let done = p.world.remove(&p.ctx, file, false).and_then(|()| p.world.symlink(&p.ctx, &new, file));
        if let Err(e) = done {
            p.err(&format!("{file}: unable to create symlink {new}: {e}"));
            return FAILED;
        }
    }
    if o.verbose {
        p.out(&format!("{file}: `{target}' -> `{new}'\n"));
    }
    RENAMED
}
