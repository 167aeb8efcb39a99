//! Docker's help: `docker COMMAND --help`, `-h`, `docker help COMMAND`, `docker --help COMMAND`.
//! Every page is Docker 26.1.5's own, recorded on the oracle (`help_pages.txt`: every command
//! and subcommand of `docker --help` and of each management command, compose and buildx
//! included); this module only finds which page a line asks for.

use crate::docker::flags::{self, Spec};
use crate::shell::Io;

/// The recording: one `$ docker PATH --help` block per command path.
const PAGES: &str = include_str!("help_pages.txt");

/// What pflag prints before the page when `-h` asks for it.
const SHORTHAND_DEPRECATED: &str = "Flag shorthand -h has been deprecated, please use --help";

/// Answers `args` (what follows `docker`) when they ask for help; `None` when they do not.
pub(super) fn answer(args: &[String], io: &mut Io) -> Option<i32> {
    let first = args.first()?;
    // Most lines ask for no help: they pass without a look at the pages.
    if first != "help" && !args.iter().any(|a| a.starts_with("--help") || a == "-h") {
        return None;
    }
    match first.as_str() {
        // The root's own help flag: the page of the command named after it, if any.
        "--help" | "-h" => {
            if first == "-h" {
                io.err_line(SHORTHAND_DEPRECATED);
            }
            let (path, _) = walk(&args[1..]);
            io.out_str(page(&path).unwrap_or_default());
            Some(0)
        }
        "help" => {
            let (path, left) = walk(&args[1..]);
            match left.first() {
                Some(topic) => {
                    io.err_line(&format!("unknown help topic: {topic}"));
                    Some(1)
                }
                None => {
                    io.out_str(page(&path).unwrap_or_default());
                    Some(0)
                }
            }
        }
        _ => {
            let (path, end, _) = split(args);
            let text = page(&path)?;
            let specs = specs_of(text);
            let h_is_help = !specs.iter().any(|s| s.short == Some('h'));
            let mut asked = args[..end].iter().find_map(|a| help_word(a, h_is_help));
            let after = &args[end..];
            let mut with_help = specs.clone();
            with_help.push(flags::flag("help", if h_is_help { Some('h') } else { None }));
            match flags::parse(after, &with_help, STOPS_AT_OPERAND.contains(&path.as_str())) {
                Ok(parsed) if parsed.has("help") => {
                    let shorthand = after.iter().take_while(|a| *a != "--").any(|a| a == "-h");
                    asked = asked.or(Some(if shorthand && h_is_help { Asked::Shorthand } else { Asked::Flag }));
                }
                Ok(_) => {}
                // A wrong flag beside the help flag is what cobra reports; without one, the
                // command itself reports it.
                Err(e) if asked.is_some() || after.iter().any(|a| help_word(a, h_is_help).is_some()) => {
                    io.err_line(&e);
                    if path.starts_with("compose ") {
                        return Some(16);
                    }
                    io.err_line(&format!("See 'docker {path} --help'."));
                    return Some(125);
                }
                Err(_) => return None,
            }
            if asked? == Asked::Shorthand {
                io.out_str(&format!("{SHORTHAND_DEPRECATED}\n"));
            }
            io.out_str(text);
            Some(0)
        }
    }
}

/// Commands whose flags end at their first operand (`run IMAGE --help` runs `--help`).
const STOPS_AT_OPERAND: &[&str] =
    &["run", "create", "exec", "container run", "container create", "container exec", "compose run", "compose exec"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Asked {
    Flag,
    Shorthand,
}

/// Whether one word asks for help (`-h` does unless the command has a `-h` of its own, as
/// `run`'s `--hostname`).
fn help_word(word: &str, h_is_help: bool) -> Option<Asked> {
    match word {
        "--help" | "--help=true" | "--help=1" => Some(Asked::Flag),
        "-h" if h_is_help => Some(Asked::Shorthand),
        _ => None,
    }
}

/// The command path `args` name (canonical names: `container list` is `container ls`), where
/// in `args` it ends, and the words left that name no command. Flags on the way are passed
/// over, as cobra does (`docker volume --help ls` is `volume ls`).
fn split(args: &[String]) -> (String, usize, Vec<String>) {
    let mut path = String::new();
    let mut end = 0;
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        if word.starts_with('-') {
            // Compose's project flags carry a value that is no subcommand.
            if path == "compose" && COMPOSE_VALUE_FLAGS.contains(&word.as_str()) {
                i += 1;
            }
            continue;
        }
        if !(path.is_empty() || is_group(&path)) {
            break;
        }
        let found = [word.as_str(), canonical(&path, word)].into_iter().find_map(|name| {
            let candidate = if path.is_empty() { name.to_string() } else { format!("{path} {name}") };
            page_start(&candidate).map(|_| candidate)
        });
        match found {
            Some(candidate) => {
                path = candidate;
                end = i;
            }
            None => break,
        }
    }
    let left = args[end..].iter().filter(|w| !w.starts_with('-')).cloned().collect();
    (path, end, left)
}

fn walk(args: &[String]) -> (String, Vec<String>) {
    let (path, _, left) = split(args);
    (path, left)
}

/// Compose's global flags that take the next word as their value.
const COMPOSE_VALUE_FLAGS: &[&str] =
    &["-f", "--file", "-p", "--project-name", "--env-file", "--project-directory", "--profile", "--ansi", "--progress", "--parallel"];

/// A subcommand's alias as its canonical name (`list` → `ls`; `container ps` → `container ls`).
fn canonical<'a>(path: &str, word: &'a str) -> &'a str {
    match (path, word) {
        ("", _) => word,
        (_, "list") => "ls",
        (_, "remove") => "rm",
        ("container", "ps") => "ls",
        _ => word,
    }
}

/// The flags a page lists under `Options:` (`  -a, --all`, `      --format string`): a word
/// after the name, one space away, is the type of the value it takes.
fn specs_of(page: &'static str) -> Vec<Spec> {
    let mut specs = Vec::new();
    for line in page.lines() {
        let text = line.trim_start();
        let indent = line.len() - text.len();
        let (short, rest) = match (indent, text.strip_prefix('-')) {
            (2, Some(after)) if !after.starts_with('-') => {
                let mut chars = after.chars();
                let short = chars.next();
                (short, chars.as_str().strip_prefix(", "))
            }
            (6, Some(_)) => (None, Some(text)),
            _ => continue,
        };
        let Some(long_and_rest) = rest.and_then(|r| r.strip_prefix("--")) else { continue };
        let name_len = long_and_rest.find(' ').unwrap_or(long_and_rest.len());
        let Some(long) = long_and_rest.get(..name_len) else { continue };
        let after_name = long_and_rest.get(name_len..).unwrap_or("");
        let takes_value = after_name.strip_prefix(' ').is_some_and(|t| t.starts_with(|c: char| c.is_ascii_alphanumeric()));
        specs.push(Spec { long, short, takes_value });
    }
    specs
}

/// `docker` alone: the root's page, on stderr (exit 0).
pub(super) fn root_usage(io: &mut Io) -> i32 {
    io.err_str(page("").unwrap_or_default());
    0
}

/// Where `$ docker PATH --help` begins in the recording.
fn page_start(path: &str) -> Option<usize> {
    let line = if path.is_empty() { "$ docker --help\n".to_string() } else { format!("$ docker {path} --help\n") };
    PAGES.find(&line).map(|at| at + line.len())
}

/// Whether `path` has subcommands of its own (a page `docker PATH SUB --help` exists).
fn is_group(path: &str) -> bool {
    let prefix = format!("\n$ docker {path} ");
    PAGES
        .match_indices(&prefix)
        .any(|(at, _)| PAGES.get(at + prefix.len()..).and_then(|rest| rest.lines().next()).is_some_and(|l| l != "--help"))
}

/// The page Docker prints for `path` (empty: the root's), for a command that prints it
/// itself too (`docker context`, `swarm update`).
pub(super) fn page(path: &str) -> Option<&'static str> {
    let start = page_start(path)?;
    let body = PAGES.get(start..)?;
    let len = body.find("\n[exit ").map_or(body.len(), |at| at + 1);
    body.get(..len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn paths_are_found_through_flags_and_aliases() {
        assert_eq!(walk(&words("volume --help ls")).0, "volume ls");
        assert_eq!(walk(&words("container list -a")).0, "container ls");
        assert_eq!(walk(&words("compose -f x.yml up --help")).0, "compose up");
        assert_eq!(walk(&words("ps extra")), ("ps".to_string(), vec!["extra".to_string()]));
        assert_eq!(walk(&words("nope")), (String::new(), vec!["nope".to_string()]));
    }

    fn ask(line: &str) -> (Option<i32>, String, String) {
        let mut io = Io::default();
        let code = answer(&words(line), &mut io);
        (code, String::from_utf8_lossy(&io.out).into_owned(), String::from_utf8_lossy(&io.err).into_owned())
    }

    #[test]
    fn run_keeps_h_for_its_hostname_and_its_operands_for_the_container() {
        assert_eq!(ask("run -h x busybox true").0, None);
        assert_eq!(ask("run busybox --help").0, None);
        assert_eq!(ask("exec box --help").0, None);
        let (code, out, _) = ask("run -v /a:/b --help busybox");
        assert_eq!(code, Some(0));
        assert!(out.starts_with("\nUsage:  docker run [OPTIONS] IMAGE"), "{out}");
        let (code, out, _) = ask("exec -h");
        assert_eq!(code, Some(0));
        assert!(out.starts_with("Flag shorthand -h has been deprecated, please use --help\n\nUsage:  docker exec"), "{out}");
        assert_eq!(ask("ps --help=false").0, None);
        assert_eq!(ask("ps -a").0, None);
    }

    #[test]
    fn a_wrong_flag_beside_help_is_named() {
        assert_eq!(ask("ps --bogus --help"), (Some(125), String::new(), "unknown flag: --bogus\nSee 'docker ps --help'.\n".into()));
        assert_eq!(ask("compose up --bogus --help"), (Some(16), String::new(), "unknown flag: --bogus\n".into()));
        assert_eq!(ask("ps --bogus").0, None);
    }

    #[test]
    fn pages_list_their_flags() {
        let specs = specs_of(page("ps").unwrap_or_default());
        let all = specs.iter().find(|s| s.long == "all");
        assert!(all.is_some_and(|s| s.short == Some('a') && !s.takes_value));
        assert!(specs.iter().any(|s| s.long == "format" && s.takes_value && s.short.is_none()));
        assert!(specs.iter().any(|s| s.long == "last" && s.takes_value && s.short == Some('n')));
    }

    #[test]
    fn every_group_and_page_is_found() {
        assert!(is_group("volume") && is_group("compose") && !is_group("volume ls") && !is_group("ps"));
        let root = page("").unwrap_or_default();
        assert!(root.contains("Usage:  docker [OPTIONS] COMMAND"), "{root}");
        let ls = page("container ls").unwrap_or_default();
        assert!(ls.contains("Usage:  docker container ls [OPTIONS]"), "{ls}");
    }
}
