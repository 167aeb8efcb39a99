//! The fidelity coverage table: for every option of Docker's storage commands, the transcripts
//! that use it, or a written reason why none does. It is generated from sources, never from
//! memory: Docker's own `--help`, recorded on Docker 26.1.5 (docs/fidelity/recorded/
//! help-docker.txt), says which options exist; the command lines of tests/transcripts say which
//! are used; docs/fidelity/reasons.txt explains the rest. docs/fidelity.md must hold the
//! generated table; `STOWAGE_BLESS=1` rewrites it there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The commands whose every option must be checked by a transcript or have a written reason.
#[rustfmt::skip]
const STORAGE: &[&str] = &[
    "run", "create", "start", "exec", "cp", "diff", "export", "commit", "build", "rm", "ps", "inspect",
    "volume create", "volume ls", "volume inspect", "volume rm", "volume prune", "container prune",
    "image prune", "system df", "system prune", "builder prune", "images", "history", "rmi",
    "compose up", "compose down", "compose run", "compose volumes",
];

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const START: &str = "<!-- coverage:start -->";
const END: &str = "<!-- coverage:end -->";

struct Opt {
    long: String,
    short: Option<char>,
    takes_value: bool,
}

#[derive(Default)]
struct Command {
    name: String,
    /// Its other names (`container run`), from its help's Aliases section.
    aliases: Vec<String>,
    options: Vec<Opt>,
    /// Passing the rest of its line on (`run IMAGE COMMAND…`, `compose COMMAND`), it reads no options after its first argument.
    stops_at_first_argument: bool,
    /// Its `--help` failed: it is no command of this Docker, and this says so.
    refusal: Option<String>,
}

struct Sources {
    commands: Vec<Command>,
    /// Every name and alias → the command listed for it.
    names: BTreeMap<String, usize>,
    /// (command, option) → the stems of the transcripts that use it.
    used: BTreeMap<(usize, usize), BTreeSet<String>>,
    /// (command, `--option`) → its written reason.
    reasons: BTreeMap<(String, String), String>,
}

/// A file as text: recorded output may hold bytes that are not UTF-8; only command lines matter.
fn read(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).into_owned()
}

fn load() -> Sources {
    let (commands, names) = parse_help(&read(&Path::new(ROOT).join("docs/fidelity/recorded/help-docker.txt")));
    let reasons = parse_reasons(&read(&Path::new(ROOT).join("docs/fidelity/reasons.txt")));
    let mut s = Sources { commands, names, used: BTreeMap::new(), reasons };
    s.used = option_usage(&s, &Path::new(ROOT).join("crates/engine/tests/transcripts"));
    s
}

/// The blocks of a transcript: the `$ ` command line, the lines it printed, its exit status.
fn blocks(text: &str) -> Vec<(String, Vec<String>, i32)> {
    let (mut out, mut lines) = (Vec::new(), text.lines());
    while let Some(line) = lines.next() {
        let Some(command) = line.strip_prefix("$ ") else { continue };
        // A block runs to its `[exit N]`, as the replay reads it: a `$ ` line before that is
        // output (volume rm's help shows an example).
        let mut body = Vec::new();
        for l in lines.by_ref() {
            if let Some(code) = l.strip_prefix("[exit ").and_then(|l| l.strip_suffix(']')) {
                out.push((command.to_string(), std::mem::take(&mut body), code.trim().parse().unwrap_or(-1)));
                break;
            }
            body.push(l.to_string());
        }
    }
    out
}

/// Every `docker … --help` block of the recording but `docker --help`, whose global options
/// are the client's, not a command's; and every name and alias → the command listed for it.
fn parse_help(text: &str) -> (Vec<Command>, BTreeMap<String, usize>) {
    let mut commands = Vec::new();
    for (line, body, code) in blocks(text) {
        let Some(name) = line.strip_prefix("docker ").and_then(|l| l.strip_suffix("--help")).map(str::trim) else { continue };
        if name.is_empty() {
            continue;
        }
        let mut command = Command { name: name.to_string(), ..Command::default() };
        let mut in_options = false;
        // A failed help prints its parent's: those options are not this command's.
        for l in body.iter().filter(|_| code == 0) {
            in_options = (in_options && !l.is_empty()) || l == "Options:";
            command.options.extend(option_line(l).filter(|_| in_options));
        }
        let aliases = body.iter().skip_while(|l| *l != "Aliases:").nth(1).map(String::as_str).unwrap_or("");
        command.aliases = aliases.split(',').filter_map(|a| Some(a.trim().strip_prefix("docker ")?.into())).collect();
        let usage = body.iter().find_map(|l| l.strip_prefix("Usage:")).unwrap_or("").replace("[OPTIONS]", "");
        command.stops_at_first_argument = usage.contains("COMMAND") || usage.contains("OPTIONS");
        if code != 0 {
            let said = body.iter().filter_map(|l| l.strip_prefix("stderr| ")).collect::<Vec<_>>().join(" ");
            command.refusal = Some(format!("Not a command of this Docker: `docker {name} --help` answered `{said}` (exit {code})."));
        }
        commands.push(command);
    }
    // Docker prints some helps twice (`images` and `image ls`): a command and its aliases are
    // listed once, under the command name with the fewest words (`info`, not `system info`).
    let mut order: Vec<usize> = (0..commands.len()).collect();
    order.sort_by_key(|&i| (commands[i].name.split(' ').count(), i));
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for i in order {
        if !names.contains_key(&commands[i].name) {
            for n in std::iter::once(&commands[i].name).chain(&commands[i].aliases) {
                names.entry(n.clone()).or_insert(i);
            }
        }
    }
    (commands, names)
}

/// One line of an Options section: `  -v, --volume list   Bind…` or `      --rm   Automatically…`;
/// continuation lines are indented further. A value's type is one word (`list`, `string`):
/// compose exec's `-T, --no-TTY docker compose exec` is pflag quoting its usage text.
fn option_line(line: &str) -> Option<Opt> {
    let (short, rest) = match line.strip_prefix("      --") {
        Some(rest) => (None, rest),
        None => (line.chars().nth(3), line.strip_prefix("  -")?.get(1..)?.strip_prefix(", --")?),
    };
    let (long, after) = rest.split_once(' ').unwrap_or((rest, ""));
    let kind = if after.starts_with(' ') { "" } else { after.split("  ").next().unwrap_or("") };
    Some(Opt { long: long.to_string(), short, takes_value: !kind.is_empty() && !kind.contains(' ') })
}

/// Which transcripts use each option of each command.
fn option_usage(s: &Sources, dir: &Path) -> BTreeMap<(usize, usize), BTreeSet<String>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).expect("transcripts").map(|e| e.expect("entry").path()).collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "txt"));
    files.sort();
    let mut used: BTreeMap<(usize, usize), BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        for (line, _, _) in blocks(&read(&file)) {
            let mut commands = Vec::new();
            split_commands(&line.chars().collect::<Vec<_>>(), &mut 0, &mut commands);
            for words in commands {
                for (c, args) in docker_arguments(&words).map(|args| commands_invoked(s, args)).unwrap_or_default() {
                    for k in read_options(args, &s.commands[c]).0 {
                        used.entry((c, k)).or_default().insert(stem.clone());
                    }
                }
            }
        }
    }
    used
}

/// The simple commands of a bash line from `chars[*at]` to its end (or to the `)` that ends the
/// substitution they are in), each as its words with quotes removed: pipes, lists (`&&`, `||`,
/// `;`) and subshells split the line as bash runs it. A command substitution's commands are the
/// line's too; a placeholder keeps its place in its word (`-v $(pwd):/app`).
fn split_commands(chars: &[char], at: &mut usize, commands: &mut Vec<Vec<String>>) {
    let (mut words, mut word, mut quote, mut depth) = (Vec::new(), None::<String>, None, 0);
    while let Some(&c) = chars.get(*at) {
        *at += 1;
        // `2>&1` is a redirection, not a background `&`.
        let redirection = word.as_deref().is_some_and(|w| w.ends_with('>') || w.ends_with('<'));
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some('"') | None, '$') if chars.get(*at) == Some(&'(') => {
                *at += 1;
                split_commands(chars, at, commands);
                word.get_or_insert_with(String::new).push_str("$(...)");
            }
            (Some('"'), '\\') if matches!(chars.get(*at), Some('"' | '\\' | '$' | '`')) => {
                word.get_or_insert_with(String::new).push(chars[*at]);
                *at += 1;
            }
            (None, '\'' | '"') => {
                word = Some(word.unwrap_or_default());
                quote = Some(c);
            }
            (None, '\\') => {
                word.get_or_insert_with(String::new).extend(chars.get(*at));
                *at += 1;
            }
            (None, ' ' | '\t') => words.extend(word.take()),
            (None, ')') if depth == 0 => break,
            (None, '|' | ';' | '&' | '(' | ')' | '`' | '\n') if c != '&' || !redirection => {
                depth += i32::from(c == '(') - i32::from(c == ')');
                words.extend(word.take());
                commands.extend(Some(std::mem::take(&mut words)).filter(|w| !w.is_empty()));
            }
            (None, '#') if word.is_none() => *at = chars.len(),
            _ => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    commands.extend(Some(words).filter(|w| !w.is_empty()));
}

/// The words after `docker` when a simple command runs the docker client (also as `sudo docker`
/// or `NAME=value docker`, which sets the client's environment).
fn docker_arguments(words: &[String]) -> Option<&[String]> {
    let assignment =
        |w: &str| w.split_once('=').is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let skip = words.iter().take_while(|w| *w == "sudo" || assignment(w.as_str())).count();
    (words.get(skip)?.as_str() == "docker").then(|| &words[skip + 1..])
}

/// The commands one `docker …` runs, each with its arguments: `docker volume ls -q` is `volume
/// ls`; a parent's own options stand before its subcommand (`docker compose -f FILE up -d`: `-f`
/// is compose's, `-d` is `compose up`'s).
fn commands_invoked<'a>(s: &Sources, words: &'a [String]) -> Vec<(usize, &'a [String])> {
    let Some(first) = words.first() else { return Vec::new() };
    let subcommand = |w: &String| s.names.get(&format!("{first} {w}")).copied();
    if let Some(c) = words.get(1).and_then(subcommand) {
        return vec![(c, &words[2..])];
    }
    let Some(&parent) = s.names.get(first.as_str()) else { return Vec::new() };
    let at = 1 + read_options(&words[1..], &s.commands[parent]).1;
    match words.get(at).and_then(subcommand) {
        Some(c) => vec![(parent, &words[1..at]), (c, &words[at + 1..])],
        None => vec![(parent, &words[1..])],
    }
}

/// Reads `args` as Docker's CLI (pflag) reads a command's options: which are used (indices into
/// the command's options) and where its first argument is. An option with a value takes the
/// next word unless written `--name=value` or `-vVALUE`; `-abc` is `-a -b -c`.
fn read_options(args: &[String], command: &Command) -> (Vec<usize>, usize) {
    let (mut used, mut first_argument, mut i) = (Vec::new(), None, 0);
    let find = |f: &dyn Fn(&Opt) -> bool| command.options.iter().position(f);
    while let Some(arg) = args.get(i).map(String::as_str) {
        if arg == "--" {
            first_argument = first_argument.or(Some(i + 1));
            break;
        } else if let Some(body) = arg.strip_prefix("--") {
            let name = body.split('=').next().unwrap_or(body);
            if let Some(k) = find(&|o: &Opt| o.long == name) {
                used.push(k);
                i += usize::from(command.options[k].takes_value && !body.contains('='));
            }
        } else if let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) {
            for (at, c) in cluster.char_indices() {
                let Some(k) = find(&|o: &Opt| o.short == Some(c)) else { break };
                used.push(k);
                if command.options[k].takes_value {
                    i += usize::from(at + c.len_utf8() == cluster.len());
                    break;
                }
            }
        } else {
            first_argument = first_argument.or(Some(i));
            if command.stops_at_first_argument {
                break;
            }
        }
        i += 1;
    }
    (used, first_argument.unwrap_or(args.len()))
}

/// docs/fidelity/reasons.txt: `command | --option | reason` lines; `#` comments.
fn parse_reasons(text: &str) -> BTreeMap<(String, String), String> {
    let mut reasons = BTreeMap::new();
    for (n, line) in text.lines().enumerate().map(|(n, l)| (n + 1, l.trim())) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, '|').map(str::trim).collect();
        let [command, option, reason] = parts[..] else { panic!("reasons.txt:{n}: not `command | --option | reason`: {line}") };
        assert!(option.starts_with("--") && !reason.is_empty(), "reasons.txt:{n}: not `command | --option | reason`: {line}");
        let previous = reasons.insert((command.to_string(), option.to_string()), reason.to_string());
        assert!(previous.is_none(), "reasons.txt:{n}: a second reason for docker {command} {option}");
    }
    reasons
}

/// Every (command, option) of the storage commands, in the table's order.
fn storage_options(s: &Sources) -> Vec<(usize, usize)> {
    let storage = STORAGE.iter().map(|name| match s.names.get(*name) {
        Some(&c) if s.commands[c].name == *name => c,
        _ => panic!("storage command `docker {name}` has no help of its own in help-docker.txt"),
    });
    storage.flat_map(|c| (0..s.commands[c].options.len()).map(move |k| (c, k))).collect()
}

fn reason_for(s: &Sources, c: usize, k: usize) -> Option<&String> {
    s.reasons.get(&(s.commands[c].name.clone(), format!("--{}", s.commands[c].options[k].long)))
}

/// The cell for the transcripts that use an option: recorded ones first, then the project's own.
fn transcripts_cell(stems: &BTreeSet<String>) -> String {
    let (recorded, own): (Vec<&str>, Vec<&str>) = stems.iter().map(String::as_str).partition(|s| s.starts_with("oracle-"));
    match (recorded.is_empty(), own.is_empty()) {
        (_, true) => recorded.join(", "),
        (true, false) => format!("own: {}", own.join(", ")),
        (false, false) => format!("{}; own: {}", recorded.join(", "), own.join(", ")),
    }
}

fn command_section(out: &mut String, s: &Sources, c: usize, heading: &str) {
    let command = &s.commands[c];
    out.push_str(&format!("\n{heading} docker {}\n\n", command.name));
    let aliases: Vec<String> = command.aliases.iter().filter(|a| **a != command.name).map(|a| format!("`docker {a}`")).collect();
    if !aliases.is_empty() {
        out.push_str(&format!("Also {}.\n\n", aliases.join(", ")));
    }
    // A refused help has no options: its section says why.
    match &command.refusal {
        Some(refusal) => out.push_str(&format!("{refusal}\n")),
        None if command.options.is_empty() => out.push_str("No options.\n"),
        None => out.push_str("| option | transcripts |\n|---|---|\n"),
    }
    for (k, o) in command.options.iter().enumerate() {
        let short = o.short.map(|c| format!("-{c}, ")).unwrap_or_default();
        let cell = match (s.used.get(&(c, k)), reason_for(s, c, k)) {
            (Some(stems), _) => transcripts_cell(stems),
            (None, Some(reason)) => format!("— {}", reason.replace('|', "\\|")),
            (None, None) => "—".to_string(),
        };
        out.push_str(&format!("| `{short}--{}` | {cell} |\n", o.long));
    }
}

/// The markdown that stands between the markers in docs/fidelity.md.
fn coverage_markdown(s: &Sources) -> String {
    let mut counts = [0usize; 4]; // recorded, own only, reasoned, neither
    for (c, k) in storage_options(s) {
        match s.used.get(&(c, k)) {
            Some(stems) if stems.iter().any(|t| t.starts_with("oracle-")) => counts[0] += 1,
            Some(_) => counts[1] += 1,
            None if reason_for(s, c, k).is_some() => counts[2] += 1,
            None => counts[3] += 1,
        }
    }
    let [recorded, own, reasoned, neither] = counts;
    let neither = if neither > 0 { format!(", {neither} with neither") } else { String::new() };
    let mut out = format!("{} options of the storage commands: {recorded} checked by a recorded transcript, {own} by the project's own transcripts only, {reasoned} with a written reason{neither}.\n", counts.iter().sum::<usize>());
    for name in STORAGE {
        command_section(&mut out, s, s.names[*name], "###");
    }
    out.push_str("\n### Other commands\n\nThe recorded help's other commands: their options need no transcript nor reason.\n");
    for (c, command) in s.commands.iter().enumerate() {
        if s.names.get(&command.name) == Some(&c) && !STORAGE.contains(&command.name.as_str()) {
            command_section(&mut out, s, c, "####");
        }
    }
    out.push('\n');
    out
}

#[test]
fn every_storage_option_is_checked_by_a_transcript_or_has_a_reason() {
    let s = load();
    let mut problems = Vec::new();
    for (c, k) in storage_options(&s) {
        if !s.used.contains_key(&(c, k)) && reason_for(&s, c, k).is_none() {
            let (command, option) = (&s.commands[c].name, &s.commands[c].options[k].long);
            problems.push(format!("docker {command} --{option}: no transcript uses it and reasons.txt gives no reason"));
        }
    }
    // A reason must explain an option that exists and that no transcript uses yet.
    for (name, option) in s.reasons.keys() {
        let c = s.names.get(name).copied().filter(|&c| s.commands[c].name == *name);
        let k = c.and_then(|c| s.commands[c].options.iter().position(|o| format!("--{}", o.long) == *option));
        match (c, k) {
            (Some(c), Some(k)) => problems
                .extend(s.used.get(&(c, k)).map(|t| format!("stale reason: docker {name} {option} is used by {}", transcripts_cell(t)))),
            _ => problems.push(format!("stale reason: docker {name} {option} is not an option in Docker 26.1.5's help")),
        }
    }
    assert!(problems.is_empty(), "docs/fidelity/reasons.txt needs attention:\n{}", problems.join("\n"));
}

#[test]
fn docs_fidelity_md_holds_the_current_coverage_table() {
    let table = coverage_markdown(&load());
    let path = Path::new(ROOT).join("docs/fidelity.md");
    let doc = read(&path);
    let start = format!("\n{START}\n");
    let (before, rest) = doc.split_once(&start).unwrap_or_else(|| panic!("docs/fidelity.md has no line {START}"));
    let end = if rest.starts_with(END) { 0 } else { 1 + rest.find(&format!("\n{END}")).expect("docs/fidelity.md's end marker") };
    let (current, after) = rest.split_at(end);
    if current != table && std::env::var("STOWAGE_BLESS").as_deref() == Ok("1") {
        std::fs::write(path, format!("{before}{start}{table}{after}")).expect("write docs/fidelity.md");
    } else if current != table {
        let first = current.lines().zip(table.lines()).find(|(a, b)| a != b);
        panic!(
            "docs/fidelity.md's coverage table is not the one the sources give (first different line, written vs generated: \
             {first:?}); regenerate it with STOWAGE_BLESS=1 cargo test -p stowage-engine --test fidelity_coverage"
        );
    }
}

#[test]
fn docs_fidelity_md_lists_every_recorded_session() {
    let doc = read(&Path::new(ROOT).join("docs/fidelity.md"));
    let dir = Path::new(ROOT).join("crates/engine/tests/transcripts");
    let mut missing: Vec<String> = std::fs::read_dir(&dir)
        .expect("transcripts")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".txt")).map(str::to_string))
        .filter(|stem| stem.starts_with("oracle-") && !doc.contains(&format!("- `{stem}`: ")))
        .collect();
    missing.sort();
    assert!(missing.is_empty(), "docs/fidelity.md's \"Recorded sessions\" does not list: {}", missing.join(", "));
}
