//! How a transcript recorded on a real Docker is compared with the engine's replay: after the
//! normalization `compare.py` (the reference's scorer) applies to both sides — ids, times and
//! durations stand for themselves only, and the lines of commands whose order Docker does not
//! fix (`docker diff`, `volume ls`, prunes, `/proc/mounts`, tar listings, …) compare as sets.
//!
//! Ids are bound one to one: the first time an expected id meets an actual one at the same
//! place they are paired, and every later line must keep that pairing both ways (so a replay
//! that prints the wrong container's id still fails).

use std::collections::HashMap;

use regex_lite::Regex;

/// One `$ command` block: the command and its output lines, ending with `[exit N]`.
pub struct Block {
    pub command: String,
    pub lines: Vec<String>,
}

pub fn blocks(text: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    for line in text.split('\n') {
        if open {
            let block = out.last_mut().expect("an open block");
            block.lines.push(line.to_string());
            open = !(line.starts_with("[exit ") && line.ends_with(']'));
        } else if let Some(command) = line.strip_prefix("$ ") {
            out.push(Block { command: command.to_string(), lines: Vec::new() });
            open = true;
        }
    }
    out
}

struct Rules {
    ansi: Regex,
    times: Vec<(Regex, &'static str)>,
    spaces: Regex,
    id: Regex,
    unordered: Vec<Regex>,
    substitution: Regex,
}

impl Rules {
    fn new() -> Rules {
        let units = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)";
        let dur = format!(r"(?:Less than a second|About an? (?:second|minute|hour|day|week|month|year)|\d+ {units})");
        let re = |s: &str| Regex::new(s).expect("a valid pattern");
        Rules {
            ansi: re(r"\x1b\[[0-9;?]*[A-Za-z]"),
            times: vec![
                (re(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})"), "<time>"),
                (re(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: [+-]\d{4})?\b"), "<time>"),
                (re(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} {1,2}(?:\d{1,2}:\d{2}|\d{4})\b"), "<date>"),
                (re(&format!(r"\bUp {dur}")), "Up <dur>"),
                (re(&format!(r"{dur} ago")), "<ago>"),
                (re(r#""Pid": \d+"#), "\"Pid\": <pid>"),
            ],
            spaces: re(r" {2,}"),
            // A hex id of 12 to 64 digits, or an overlay2 directory or link name.
            id: re(r"/overlay2/l/[A-Z0-9]{26}\b|/overlay2/[a-z0-9]{25}\b|\b[0-9a-f]{12,64}\b"),
            unordered: [
                r"\bdocker (?:container )?diff\b",
                r"\bdocker volume (?:ls|list)\b",
                r"\bdocker (?:container |volume |image |system |network |builder )?prune\b",
                r"\bdocker system df\b.*\s-v\b",
                r"\bdocker compose(?:\s+(?:-f|-p|--file|--project-name)\s+\S+)*\s+(?:up|down|start|stop|restart|rm|create|kill|run)\b",
                r"/proc/mounts",
                r"(?:^|[\s;|&(])tar\s+-?[A-Za-z]*[tv]",
                r"\{\{\s*range \.Mounts",
            ]
            .iter()
            .map(|p| re(p))
            .collect(),
            substitution: re(r"\$\([^()]*\)"),
        }
    }

    fn basic(&self, line: &str) -> String {
        let mut s = self.ansi.replace_all(line, "").trim_end().to_string();
        for (pattern, with) in &self.times {
            s = pattern.replace_all(&s, *with).into_owned();
        }
        self.spaces.replace_all(&s, "  ").into_owned()
    }

    fn unordered(&self, command: &str) -> bool {
        // Only the command itself counts, not what a `$(...)` inside it runs.
        let mut cmd = command.to_string();
        loop {
            let next = self.substitution.replace_all(&cmd, "$$()").into_owned();
            if next == cmd {
                break;
            }
            cmd = next;
        }
        self.unordered.iter().any(|r| r.is_match(&cmd))
    }

    /// The line with each id replaced by a mark, and the ids' keys in order (a hex id is known
    /// by its first 12 digits, so a short id equals its full id).
    fn template(&self, line: &str) -> (String, Vec<String>) {
        let keys = self
            .id
            .find_iter(line)
            .map(|m| m.as_str().get(..12).filter(|_| !m.as_str().starts_with('/')).unwrap_or(m.as_str()).to_string())
            .collect();
        (self.id.replace_all(line, "<id>").into_owned(), keys)
    }
}

/// Ids paired so far, both ways.
#[derive(Default)]
struct Binder {
    expected_to_actual: HashMap<String, String>,
    actual_to_expected: HashMap<String, String>,
}

impl Binder {
    fn bind(&mut self, expected: &[String], actual: &[String]) -> bool {
        if expected.len() != actual.len() {
            return false;
        }
        let mut trial_e = self.expected_to_actual.clone();
        let mut trial_a = self.actual_to_expected.clone();
        for (e, a) in expected.iter().zip(actual) {
            if trial_e.get(e).is_some_and(|x| x != a) || trial_a.get(a).is_some_and(|x| x != e) {
                return false;
            }
            trial_e.insert(e.clone(), a.clone());
            trial_a.insert(a.clone(), e.clone());
        }
        self.expected_to_actual = trial_e;
        self.actual_to_expected = trial_a;
        true
    }
}

/// `None` when `actual` replays `expected` after normalization; otherwise the first difference.
pub fn difference(expected: &str, actual: &str) -> Option<String> {
    let rules = Rules::new();
    let (want, got) = (blocks(expected), blocks(actual));
    if want.len() != got.len() {
        return Some(format!("{} blocks expected, {} replayed", want.len(), got.len()));
    }
    let mut binder = Binder::default();
    for (w, g) in want.iter().zip(&got) {
        let norm = |b: &Block| b.lines.iter().map(|l| rules.template(&rules.basic(l))).collect::<Vec<_>>();
        let (mut wl, mut gl) = (norm(w), norm(g));
        if rules.unordered(&w.command) {
            // As sets: ids are not paired here (which of two new volumes is which is not fixed).
            wl.sort();
            gl.sort();
            let strip = |v: &[(String, Vec<String>)]| v.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>();
            if strip(&wl) != strip(&gl) {
                return Some(format!("$ {}\n  expected (as a set) {:?}\n  replayed {:?}", w.command, strip(&wl), strip(&gl)));
            }
            continue;
        }
        if wl.len() != gl.len() {
            return Some(format!("$ {}\n  expected {:?}\n  replayed {:?}", w.command, w.lines, g.lines));
        }
        for (i, ((wt, wk), (gt, gk))) in wl.iter().zip(&gl).enumerate() {
            if wt != gt || !binder.bind(wk, gk) {
                return Some(format!(
                    "$ {}\n  line {}: expected {:?}\n            replayed {:?}",
                    w.command,
                    i + 1,
                    w.lines[i],
                    g.lines[i]
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::difference;

    #[test]
    fn ids_times_and_unordered_lines_are_normalized_but_pairings_are_kept() {
        let want = "$ docker run -d busybox\naaaaaaaaaaaa1111\n[exit 0]\n\n$ docker ps\naaaaaaaaaaaa  Up 3 seconds\n[exit 0]\n\n$ docker diff x\nA /a\nC /b\n[exit 0]\n";
        let same = "$ docker run -d busybox\nbbbbbbbbbbbb2222\n[exit 0]\n\n$ docker ps\nbbbbbbbbbbbb      Up Less than a second\n[exit 0]\n\n$ docker diff x\nC /b\nA /a\n[exit 0]\n";
        assert_eq!(difference(want, same), None);
        let other_id = same.replace("bbbbbbbbbbbb  ", "cccccccccccc  ").replace("bbbbbbbbbbbb      ", "cccccccccccc      ");
        assert!(difference(want, &other_id).is_some(), "a different container's id");
        assert!(difference(want, &same.replace("[exit 0]\n\n$ docker diff", "[exit 1]\n\n$ docker diff")).is_some());
        assert!(difference(want, &same.replace("C /b", "C /c")).is_some());
    }
}
