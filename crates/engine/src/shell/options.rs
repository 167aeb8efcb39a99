//! `set`: the positional parameters and the shell's options (`-e`, `-u`, `-x`, `-o pipefail`,
//! oracle-50 and oracle-53), with bash's listings of them (`set -o`, `set +o`, `$-`), and how
//! `set -x` writes a command.

use super::process::Options;
use super::{Flavor, Io, Shell};

/// bash's options in the order `set -o` lists them.
const BASH_OPTIONS: [&str; 27] = [
    "allexport",
    "braceexpand",
    "emacs",
    "errexit",
    "errtrace",
    "functrace",
    "hashall",
    "histexpand",
    "history",
    "ignoreeof",
    "interactive-comments",
    "keyword",
    "monitor",
    "noclobber",
    "noexec",
    "noglob",
    "nolog",
    "notify",
    "nounset",
    "onecmd",
    "physical",
    "pipefail",
    "posix",
    "privileged",
    "verbose",
    "vi",
    "xtrace",
];

/// `set [-+euxo NAME…] [--] [ARG…]`.
pub(super) fn set(sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if a == "--" {
            sh.positional = args.get(i..).unwrap_or_default().to_vec();
            return 0;
        }
        let on = a.starts_with('-');
        if !a.starts_with(['-', '+']) || a.chars().count() < 2 {
            sh.positional = args.get(i - 1..).unwrap_or_default().to_vec();
            return 0;
        }
        for c in a.chars().skip(1) {
            match c {
                'e' => sh.options.errexit = on,
                'u' => sh.options.nounset = on,
                'x' => sh.options.xtrace = on,
                // `-o NAME` (also at the end of a cluster: `-euo pipefail`).
                'o' => match args.get(i) {
                    Some(name) => {
                        i += 1;
                        set_named(&mut sh.options, name, on);
                    }
                    None => {
                        list(sh, on, io);
                        return 0;
                    }
                },
                _ => {}
            }
        }
    }
    0
}

fn set_named(o: &mut Options, name: &str, on: bool) {
    match name {
        "errexit" => o.errexit = on,
        "nounset" => o.nounset = on,
        "xtrace" => o.xtrace = on,
        "pipefail" => o.pipefail = on,
        _ => {}
    }
}

/// Whether bash's option `name` is on in this shell.
fn bash_option(sh: &Shell, name: &str) -> bool {
    let o = &sh.options;
    match name {
        "braceexpand" | "hashall" | "interactive-comments" => true,
        "emacs" | "histexpand" | "history" | "monitor" => sh.interactive,
        "errexit" => o.errexit,
        "nounset" => o.nounset,
        "xtrace" => o.xtrace,
        "pipefail" => o.pipefail,
        _ => false,
    }
}

/// `set -o` (a table) and `set +o` (the commands that restore the options), as bash prints them.
fn list(sh: &Shell, table: bool, io: &mut Io) {
    if sh.flavor != Flavor::Bash {
        return;
    }
    for name in BASH_OPTIONS {
        let on = bash_option(sh, name);
        if table {
            io.out_str(&format!("{name:<15}\t{}\n", if on { "on" } else { "off" }));
        } else {
            io.out_str(&format!("set {}o {name}\n", if on { '-' } else { '+' }));
        }
    }
}

/// `$-`: bash's one-letter options in its order, then `c` for `bash -c` (an interactive shell
/// has `himBHs`).
pub(super) fn dollar_dash(sh: &Shell) -> Option<String> {
    if sh.flavor != Flavor::Bash {
        return None;
    }
    let o = &sh.options;
    let mut s = String::new();
    for (letter, on) in [
        ('e', o.errexit),
        ('h', true),
        ('i', sh.interactive),
        ('m', sh.interactive),
        ('u', o.nounset),
        ('x', o.xtrace),
        ('B', true),
        ('H', sh.interactive),
    ] {
        if on {
            s.push(letter);
        }
    }
    s.push(if sh.interactive { 's' } else { 'c' });
    Some(s)
}

/// A word as `set -x` shows it: as is when the shell would read it back so, else in single
/// quotes.
fn traced(word: &str) -> String {
    let plain = !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || "_./,:@%+=-".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

impl Shell {
    /// What `set -x` puts before a traced line: one `+` per shell, more inside `$(…)`.
    pub(super) fn trace_marks(&self) -> String {
        "+".repeat(self.subshells as usize + 1)
    }

    /// With `set -x`, writes a command (its assignments, then its words) to stderr, after
    /// expansion and before its redirections: one `+` per shell, more inside `$(…)`.
    pub(super) fn trace(&self, assigns: &[(String, String)], argv: &[String], io: &mut Io) {
        if !self.options.xtrace {
            return;
        }
        let marks = self.trace_marks();
        for (name, value) in assigns.iter().filter(|_| argv.is_empty()) {
            io.err_line(&format!("{marks} {name}={}", traced(value)));
        }
        if argv.is_empty() {
            return;
        }
        let mut line = marks;
        for (name, value) in assigns {
            line.push_str(&format!(" {name}={}", traced(value)));
        }
        for w in argv {
            line.push(' ');
            line.push_str(&traced(w));
        }
        io.err_line(&line);
    }
}
