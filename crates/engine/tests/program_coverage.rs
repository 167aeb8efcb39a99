//! The programs' coverage: every program of the recorded lists, the host's (`ls /usr/bin /bin
//! /usr/sbin /sbin`) and the images' busybox's (`busybox --list`), both in docs/fidelity/
//! recorded/help-programs.txt, is either run by the simulation and used by a transcript, or has
//! a written reason in docs/fidelity/program-reasons.txt. The engine itself says which it runs:
//! `which NAME` on the host, `busybox NAME` in a container. docs/fidelity.md holds the
//! generated table; `STOWAGE_BLESS=1` rewrites it there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use stowage_engine::Engine;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const START: &str = "<!-- programs:start -->";
const END: &str = "<!-- programs:end -->";

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Place {
    Host,
    Busybox,
}

fn read(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).into_owned()
}

/// The output lines of the block recorded for `command`.
fn recorded_list(text: &str, command: &str) -> Vec<String> {
    let mut lines = text.lines().skip_while(|l| *l != format!("$ {command}")).skip(1);
    let mut out = Vec::new();
    for l in lines.by_ref() {
        if l.starts_with("[exit ") {
            break;
        }
        // `ls` of several directories heads each with its name and parts them with a blank line.
        if !l.is_empty() && !l.ends_with(':') {
            out.push(l.to_string());
        }
    }
    assert!(!out.is_empty(), "help-programs.txt has no block for `{command}`");
    out
}

/// A reason line: its patterns and its text.
struct Reason {
    patterns: Vec<String>,
    text: String,
}

fn parse_reasons(text: &str) -> BTreeMap<Place, Vec<Reason>> {
    let mut out: BTreeMap<Place, Vec<Reason>> = BTreeMap::new();
    let mut place = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        match line {
            "[host]" => place = Some(Place::Host),
            "[busybox]" => place = Some(Place::Busybox),
            _ => {
                let (patterns, reason) = line.split_once(" : ").unwrap_or_else(|| panic!("program-reasons.txt: no ` : ` in {line:?}"));
                let place = place.expect("program-reasons.txt: a line before [host] or [busybox]");
                out.entry(place)
                    .or_default()
                    .push(Reason { patterns: patterns.split_whitespace().map(str::to_string).collect(), text: reason.trim().to_string() });
            }
        }
    }
    out
}

/// `*` matches any run of characters; everything else itself.
fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            let Some(rest) = name.strip_prefix(head) else { return false };
            (0..=rest.len()).filter(|&i| rest.is_char_boundary(i)).any(|i| glob(tail, &rest[i..]))
        }
    }
}

fn quote(name: &str) -> String {
    format!("'{}'", name.replace('\'', "'\\''"))
}

/// The names the engine runs: found by `which` on the host; not refused as `applet not found`
/// by busybox in a container.
fn simulated(place: Place, names: &[String]) -> BTreeSet<String> {
    let mut engine = Engine::new();
    if place == Place::Busybox {
        let started = engine.run("docker run -d --name probe busybox sleep 86400");
        assert_eq!(started.exit_code, 0, "{}", started.stderr);
    }
    names
        .iter()
        .filter(|name| match place {
            Place::Host => engine.run(&format!("which {} > /dev/null", quote(name))).exit_code == 0,
            Place::Busybox => !engine.run(&format!("docker exec probe busybox {}", quote(name))).stderr.contains("applet not found"),
        })
        .cloned()
        .collect()
}

/// The words of the transcripts' command lines, for the host (every line) and for busybox
/// (lines that run a container's command), each with the transcripts it is in.
fn words_used() -> BTreeMap<(Place, String), BTreeSet<String>> {
    let dir = Path::new(ROOT).join("crates/engine/tests/transcripts");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("transcripts").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let mut used: BTreeMap<(Place, String), BTreeSet<String>> = BTreeMap::new();
    for f in files.iter().filter(|p| p.extension().is_some_and(|x| x == "txt")) {
        let stem = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        for line in read(f).lines().filter_map(|l| l.strip_prefix("$ ")) {
            let in_container = line.contains("docker run") || line.contains("docker exec") || line.contains("compose run");
            let words = line.split(|c: char| !(c.is_alphanumeric() || "._+-[".contains(c))).filter(|w| !w.is_empty());
            for w in words {
                used.entry((Place::Host, w.to_string())).or_default().insert(stem.clone());
                if in_container {
                    used.entry((Place::Busybox, w.to_string())).or_default().insert(stem.clone());
                }
            }
        }
    }
    used
}

fn render(
    place: Place,
    names: &[String],
    runs: &BTreeSet<String>,
    used: &BTreeMap<(Place, String), BTreeSet<String>>,
    reasons: &[Reason],
) -> String {
    let title = match place {
        Place::Host => "Host programs (the recording machine's `/usr/bin`, `/bin`, `/usr/sbin`, `/sbin`)",
        Place::Busybox => "Busybox applets (`busybox --list` in the images)",
    };
    let mut out =
        format!("### {title}\n\n{} names: {} simulated, {} with a written reason.\n\n", names.len(), runs.len(), names.len() - runs.len());
    out.push_str("| simulated | transcripts |\n|---|---|\n");
    for name in names.iter().filter(|n| runs.contains(*n)) {
        let stems: Vec<&String> = used.get(&(place, name.clone())).map(|s| s.iter().collect()).unwrap_or_default();
        let shown: Vec<String> = stems.iter().take(4).map(|s| s.to_string()).collect();
        let more = if stems.len() > 4 { format!(" and {} more", stems.len() - 4) } else { String::new() };
        out.push_str(&format!("| `{name}` | {}{more} |\n", shown.join(", ")));
    }
    out.push_str("\nNot simulated, by reason:\n\n");
    for reason in reasons {
        let matched: Vec<&String> =
            names.iter().filter(|n| !runs.contains(*n) && first_reason(reasons, n).is_some_and(|r| std::ptr::eq(r, reason))).collect();
        if !matched.is_empty() {
            let list: Vec<String> = matched.iter().map(|n| format!("`{n}`")).collect();
            out.push_str(&format!("- {} {}\n", reason.text, list.join(" ")));
        }
    }
    out
}

fn first_reason<'a>(reasons: &'a [Reason], name: &str) -> Option<&'a Reason> {
    reasons.iter().find(|r| r.patterns.iter().any(|p| glob(p, name)))
}

#[test]
fn every_recorded_program_is_simulated_or_has_a_reason() {
    let recorded = read(&Path::new(ROOT).join("docs/fidelity/recorded/help-programs.txt"));
    let lists = [
        (Place::Host, recorded_list(&recorded, "ls /usr/bin /bin /usr/sbin /sbin | sort -u")),
        (Place::Busybox, recorded_list(&recorded, "docker run --rm busybox busybox --list")),
    ];
    let reasons = parse_reasons(&read(&Path::new(ROOT).join("docs/fidelity/program-reasons.txt")));
    let used = words_used();
    let mut problems = Vec::new();
    let mut table = String::new();
    for (place, names) in &lists {
        let runs = simulated(*place, names);
        let place_reasons = reasons.get(place).map(Vec::as_slice).unwrap_or_default();
        for name in names {
            if runs.contains(name) {
                if !used.contains_key(&(*place, name.clone())) {
                    problems.push(format!("{place:?} `{name}` is simulated but no transcript uses it"));
                }
                if place_reasons.iter().any(|r| r.patterns.iter().any(|p| p == name)) {
                    problems.push(format!("{place:?} `{name}` is simulated: program-reasons.txt must not name it"));
                }
            } else if first_reason(place_reasons, name).is_none() {
                problems.push(format!("{place:?} `{name}` is not simulated and has no reason in program-reasons.txt"));
            }
        }
        for pattern in place_reasons.iter().flat_map(|r| &r.patterns) {
            if !names.iter().any(|n| !runs.contains(n) && glob(pattern, n)) {
                problems.push(format!("{place:?} pattern `{pattern}` of program-reasons.txt matches no program left unsimulated"));
            }
        }
        table.push_str(&render(*place, names, &runs, &used, place_reasons));
        table.push('\n');
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));

    let path = Path::new(ROOT).join("docs/fidelity.md");
    let doc = read(&path);
    let (before, rest) = doc.split_once(START).unwrap_or_else(|| panic!("docs/fidelity.md has no line {START}"));
    let (current, after) = rest.split_once(END).unwrap_or_else(|| panic!("docs/fidelity.md has no line {END}"));
    let table = format!("\n{table}");
    if current != table && std::env::var("STOWAGE_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, format!("{before}{START}{table}{END}{after}")).expect("write docs/fidelity.md");
    } else {
        assert!(
            current == table,
            "docs/fidelity.md's program table is stale; regenerate it with STOWAGE_BLESS=1 cargo test -p stowage-engine --test program_coverage"
        );
    }
}
