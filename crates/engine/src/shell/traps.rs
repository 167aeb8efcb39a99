//! `trap` (what the shell runs when it exits; other signals are kept and listed, and never
//! arrive) and `getopts` (options parsed one at a time, as scripts do). oracle-57.

use super::process::{Flavor, Shell};
use crate::userland::Io;
use crate::world::World;

/// The signals `trap` knows, with their numbers: bash lists traps in this order.
const SIGNALS: [(&str, u32); 15] = [
    ("EXIT", 0),
    ("HUP", 1),
    ("INT", 2),
    ("QUIT", 3),
    ("TRAP", 5),
    ("ABRT", 6),
    ("BUS", 7),
    ("KILL", 9),
    ("USR1", 10),
    ("USR2", 12),
    ("PIPE", 13),
    ("ALRM", 14),
    ("TERM", 15),
    ("CHLD", 17),
    ("ERR", 100),
];

/// A signal as written (`INT`, `SIGINT`, `2`, `EXIT`, `0`) to its name and number.
fn signal(spec: &str) -> Option<(&'static str, u32)> {
    let upper = spec.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    SIGNALS.iter().copied().find(|(name, number)| *name == bare || spec.parse::<u32>().ok() == Some(*number))
}

/// A real signal as `kill -s` takes it (`hup`, `SIGHUP`, `1`) to its name (`HUP`).
pub(super) fn signal_name(spec: &str) -> Option<&'static str> {
    signal(spec).map(|(name, _)| name).filter(|name| !matches!(*name, "EXIT" | "ERR"))
}

/// The number of signal `name` (`TERM`: 15), for a status of 128 + it.
pub(super) fn number(name: &str) -> Option<u32> {
    signal(name).map(|(_, n)| n)
}

/// How bash names a trapped signal in its listing: `EXIT` and `ERR` as they are, others with
/// `SIG`.
fn listed_name(name: &str) -> String {
    if matches!(name, "EXIT" | "ERR") {
        name.to_string()
    } else {
        format!("SIG{name}")
    }
}

fn quoted(action: &str) -> String {
    format!("'{}'", action.replace('\'', "'\\''"))
}

/// `trap [-p] [ACTION SIGNAL…]`, `trap - SIGNAL…`.
pub(super) fn trap(sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    let (print, rest) = match args.first().map(String::as_str) {
        Some("-p") => (true, &args[1..]),
        Some("--") => (false, &args[1..]),
        None => (true, args),
        _ => (false, args),
    };
    if print {
        let wanted: Vec<&str> = rest.iter().filter_map(|s| signal(s).map(|(n, _)| n)).collect();
        let mut listed: Vec<(&str, u32)> = SIGNALS.iter().copied().filter(|(n, _)| sh.traps.contains_key(*n)).collect();
        listed.retain(|(n, _)| wanted.is_empty() || wanted.contains(n));
        for (name, _) in listed {
            let action = sh.traps.get(name).cloned().unwrap_or_default();
            io.out_str(&format!("trap -- {} {}\n", quoted(&action), listed_name(name)));
        }
        return 0;
    }
    let Some((action, signals)) = rest.split_first() else { return 0 };
    // A lone signal number or `-` resets: `trap 2` is `trap - 2`.
    let (reset, signals) = if action == "-" {
        (true, signals)
    } else if signals.is_empty() && signal(action).is_some() {
        (true, rest)
    } else {
        (false, signals)
    };
    let mut status = 0;
    for spec in signals {
        match signal(spec) {
            Some((name, _)) if reset => {
                sh.traps.remove(name);
            }
            Some((name, _)) => {
                sh.traps.insert(name.to_string(), action.clone());
            }
            None => {
                match sh.flavor {
                    Flavor::Bash => io.err_line(&format!("{}trap: {spec}: invalid signal specification", sh.err_prefix())),
                    _ => io.err_line(&format!("{}trap: {spec}: bad trap", sh.err_prefix())),
                }
                status = 1;
            }
        }
    }
    status
}

/// `getopts OPTSTRING NAME [ARG…]`: the next option of the positional parameters (or of the
/// ARGs) into NAME, its value into OPTARG, and OPTIND past them; false at the end.
pub(super) fn getopts(sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    let [optstring, name, given @ ..] = args else {
        let msg = if sh.flavor == Flavor::Bash {
            "getopts: usage: getopts optstring name [arg ...]"
        } else {
            "getopts: usage: getopts optstring var [arg]"
        };
        io.err_line(&format!("{}{msg}", sh.err_prefix()));
        return 2;
    };
    let words: Vec<String> = if given.is_empty() { sh.positional.clone() } else { given.to_vec() };
    let silent = optstring.starts_with(':');
    let mut optind = sh.vars.get("OPTIND").and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).max(1);
    // Within a cluster (`-ab`), where the next letter is; reset when OPTIND was changed.
    let mut pos = if sh.getopts_at.0 == optind { sh.getopts_at.1 } else { 0 };
    let end = |sh: &mut Shell, optind: usize| {
        sh.vars.insert(name.clone(), "?".into());
        sh.vars.insert("OPTIND".into(), optind.to_string());
        sh.getopts_at = (0, 0);
        1
    };
    let Some(word) = words.get(optind - 1) else { return end(sh, optind) };
    let letters: Vec<char> = word.chars().collect();
    if pos == 0 {
        if word == "--" {
            return end(sh, optind + 1);
        }
        if letters.len() < 2 || letters[0] != '-' {
            return end(sh, optind);
        }
        pos = 1;
    }
    let c = letters[pos];
    pos += 1;
    if pos >= letters.len() {
        optind += 1;
        pos = 0;
    }
    let spec: Vec<char> = optstring.chars().collect();
    let at = spec.iter().position(|s| *s == c).filter(|_| c != ':');
    let prog = sh.arg0.clone().unwrap_or_else(|| sh.name().to_string());
    let mut value = None;
    let mut shown = c.to_string();
    match at {
        None => {
            if silent {
                value = Some(c.to_string());
            } else if sh.flavor == Flavor::Bash {
                io.err_line(&format!("{prog}: illegal option -- {c}"));
            } else {
                io.err_line(&format!("Illegal option -{c}"));
            }
            shown = "?".into();
        }
        Some(i) if spec.get(i + 1) == Some(&':') => {
            if pos != 0 {
                value = Some(letters[pos..].iter().collect());
                optind += 1;
                pos = 0;
            } else if let Some(v) = words.get(optind - 1) {
                value = Some(v.clone());
                optind += 1;
            } else if silent {
                value = Some(c.to_string());
                shown = ":".into();
            } else {
                if sh.flavor == Flavor::Bash {
                    io.err_line(&format!("{prog}: option requires an argument -- {c}"));
                } else {
                    io.err_line(&format!("No arg for -{c} option"));
                }
                shown = "?".into();
            }
        }
        Some(_) => {}
    }
    match value {
        Some(v) => {
            sh.vars.insert("OPTARG".into(), v);
        }
        None => {
            sh.vars.remove("OPTARG");
        }
    }
    sh.vars.insert(name.clone(), shown);
    sh.vars.insert("OPTIND".into(), optind.to_string());
    sh.getopts_at = (optind, pos);
    0
}

impl Shell {
    /// Runs a trap's action in this shell (its jobs stay its own).
    pub(super) fn run_action(&mut self, world: &mut World, action: &str, io: &mut Io) -> super::Flow {
        match super::parse::parse(action) {
            Ok(list) => self.run_list(world, &list, io),
            Err(_) => super::Flow::Next,
        }
    }

    /// The shell ends with `code`: its EXIT trap runs first (once, with `$?` set to the code);
    /// an `exit` inside the trap decides the status.
    pub fn exit_with_trap(&mut self, world: &mut World, code: i32, io: &mut Io) -> i32 {
        let Some(action) = self.traps.remove("EXIT") else { return code };
        self.status = code;
        match self.run_script(world, &action, io) {
            super::Flow::Exit(c) => c,
            _ => code,
        }
    }
}
