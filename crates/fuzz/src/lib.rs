//! Mutated learner input: command lines of the transcript tests with tokens swapped, inserted,
//! cut and garbled (non-ASCII flags and operands, stray quotes, `$(`, braces), replayed by the
//! engine to check that every line gets an answer and nothing panics.
//!
//! The same seeded generator drives the property test in `make test` (~20,000 lines) and
//! `make fuzz` (a million lines, not in CI). A line is replayed in a session: the transcript's
//! own lines run in order with mutants interleaved, so mutants meet the containers, volumes
//! and files the real commands made (and sometimes break them, which is fine).
//!
//! Architecture invariant: this crate uses only the engine's public door (`Engine::run`,
//! `view`, `complete`, `prompt`, `needs_more`) — what a front end can call, a learner can reach.

use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use stowage_engine::Engine;

/// The engine's own SplitMix64 (`clock::Ids`): seedable and the same on every platform (the
/// test must replay exactly).
#[derive(Clone, Debug)]
pub struct Rng(stowage_engine::clock::Ids);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(stowage_engine::clock::Ids::seeded(seed))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Tokens a learner's keyboard, paste buffer or typo may bring in, beyond the corpus's own.
const ODD_TOKENS: &[&str] = &[
    "-é",
    "-ü",
    "-ñ",
    "-ß",
    "--é",
    "--ü=1",
    "-lé",
    "-aé",
    "é",
    "ü",
    "ñ",
    "ß",
    "é=1",
    "ça",
    "naïve",
    "日本語",
    "🐳",
    "-🐳",
    "--🐳",
    "e\u{301}",
    "\u{200b}",
    "\u{feff}",
    "Ω",
    "'",
    "\"",
    "'é'",
    "\"ü\"",
    "$(",
    "$((",
    "${",
    "${é}",
    "$(echo é)",
    "`",
    "{",
    "}",
    "{a,b}",
    "{1..3}",
    "{é,ü}",
    "(",
    ")",
    "\\",
    "|",
    "||",
    "&&",
    ";",
    ";;",
    "&",
    "<",
    ">",
    ">>",
    "2>&1",
    "<<",
    "<<<",
    "<<EOF",
    "--",
    "-",
    "=",
    ":",
    "::",
    ":ro",
    ":rw,é",
    "/",
    "//",
    ".",
    "..",
    "~",
    "~é",
    "*",
    "?",
    "[",
    "[é]",
    "!",
    "#",
    "%",
    "-v",
    "--mount",
    "type=volume,é",
    "type=bind,source=/é,target=/é",
    "--tmpfs",
    "/é:size=1é",
    "--format",
    "{{",
    "}}",
    "{{.é}}",
    "{{json .}}",
    "{{.Names",
    "-u",
    "é:ü",
    "1000:é",
    "-w",
    "é/",
    "-e",
    "é=ü",
    "--name",
    "--rm",
    "-it",
    "-d",
    "0",
    "-1",
    "99999999999999999999",
    "0x10",
    "1e9",
    "-0",
    "--format={{é}}",
    "\t",
    "  ",
];

/// Characters slipped into a token at a random position (never between a character's bytes).
const ODD_CHARS: &[char] = &['é', 'ü', 'ß', 'ñ', '€', '日', '🐳', '\u{301}', '\'', '"', '$', '{', '}', '\\', '-', '=', ':', ',', ' '];

/// The command lines of every transcript in `dir` (`$ ` lines), grouped by file, in file order.
pub fn corpus_from_dir(dir: &Path) -> std::io::Result<Vec<Vec<String>>> {
    let mut files: Vec<_> =
        std::fs::read_dir(dir)?.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
    files.sort();
    let mut sessions = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f)?;
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<String> = stowage_engine::transcript::parse(&text)
            .into_iter()
            .filter_map(|item| match item {
                stowage_engine::transcript::Item::Command(c) => Some(c),
                stowage_engine::transcript::Item::Comment(_) => None,
            })
            .collect();
        if !lines.is_empty() {
            sessions.push(lines);
        }
    }
    Ok(sessions)
}

/// Makes mutants of corpus lines.
pub struct Mutator {
    rng: Rng,
    /// Every token of the corpus: mutants borrow from other lines.
    pool: Vec<String>,
}

impl Mutator {
    pub fn new(seed: u64, corpus: &[Vec<String>]) -> Mutator {
        let mut pool: Vec<String> = corpus.iter().flatten().flat_map(|l| l.split_whitespace().map(str::to_string)).collect();
        pool.sort();
        pool.dedup();
        Mutator { rng: Rng::new(seed), pool }
    }

    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    fn token(&mut self) -> String {
        if self.pool.is_empty() || self.rng.chance(55) {
            self.rng.pick(ODD_TOKENS).to_string()
        } else {
            self.rng.pick(&self.pool).clone()
        }
    }

    /// One to three edits of `line`'s tokens.
    pub fn mutate(&mut self, line: &str) -> String {
        let mut tokens: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        for _ in 0..=self.rng.below(3) {
            let n = tokens.len();
            match self.rng.below(8) {
                0 if n >= 2 => {
                    let (a, b) = (self.rng.below(n), self.rng.below(n));
                    tokens.swap(a, b);
                }
                1 | 2 => {
                    let t = self.token();
                    tokens.insert(self.rng.below(n + 1), t);
                }
                3 if n >= 1 => {
                    tokens.remove(self.rng.below(n));
                }
                4 if n >= 1 => {
                    // Cut a token short, at a character boundary.
                    let i = self.rng.below(n);
                    let keep = self.rng.below(tokens[i].chars().count() + 1);
                    tokens[i] = tokens[i].chars().take(keep).collect();
                }
                5 if n >= 1 => {
                    // A character slipped into a token (a flag cluster, a path, a format string).
                    let i = self.rng.below(n);
                    let at = self.rng.below(tokens[i].chars().count() + 1);
                    let c = *self.rng.pick(ODD_CHARS);
                    let mut chars: Vec<char> = tokens[i].chars().collect();
                    chars.insert(at, c);
                    tokens[i] = chars.into_iter().collect();
                }
                6 if n >= 1 => {
                    let i = self.rng.below(n);
                    tokens[i] = self.token();
                }
                _ => {
                    // The tail of another line spliced on (pipes, `&&`, here-documents).
                    let t = self.token();
                    tokens.push(t);
                }
            }
        }
        tokens.join(" ")
    }
}

/// A line whose handling panicked, and where.
#[derive(Clone, Debug)]
pub struct Panic {
    pub line: String,
    /// `run`, `complete` (with the cursor), `view`, `prompt` or `needs_more`.
    pub call: String,
    pub message: String,
}

/// What a campaign did.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Lines given to `Engine::run` (mutants and the corpus's own).
    pub lines: usize,
    pub mutants: usize,
    /// Exit statuses outside `0..=255` (a shell can't return them).
    pub bad_exit_codes: Vec<(String, i32)>,
    pub panics: Vec<Panic>,
}

thread_local! {
    /// Where the last panic happened (`file:line`), noted by the campaign's panic hook.
    static PANIC_AT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// A panic hook that prints nothing and notes where the panic happened.
fn note_location(info: &panic::PanicHookInfo<'_>) {
    let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
    PANIC_AT.with(|cell| *cell.borrow_mut() = at);
}

/// Runs `f`, catching a panic as its message and place (the caller installs `note_location`).
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|e| {
        let message = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
        let at = PANIC_AT.with(|cell| std::mem::take(&mut *cell.borrow_mut()));
        if at.is_empty() {
            message
        } else {
            format!("{message} (at {at})")
        }
    })
}

/// Replays about `lines` lines (the corpus's sessions in turn, each line followed by
/// mutants of it), calling `progress` after each session with the report so far.
pub fn campaign(corpus: &[Vec<String>], seed: u64, lines: usize, mut progress: impl FnMut(&Report)) -> Report {
    let mut mutator = Mutator::new(seed, corpus);
    let mut report = Report::default();
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(note_location));
    let mut session = 0usize;
    while report.lines < lines && !corpus.is_empty() {
        let originals = &corpus[session % corpus.len()];
        session += 1;
        let mut engine = Engine::new();
        // Half the sessions on a terminal: `docker run -it … sh` then opens a container's shell.
        engine.set_tty(mutator.rng().chance(50));
        for original in originals {
            let mutants = mutator.rng().below(4);
            let batch: Vec<String> = (0..mutants).map(|_| mutator.mutate(original)).collect();
            for line in batch.iter().chain(std::iter::once(original)) {
                if report.lines >= lines {
                    break;
                }
                report.lines += 1;
                let is_mutant = !std::ptr::eq(line, original);
                report.mutants += usize::from(is_mutant);
                let cursor = mutator.rng().below(line.len() + 2);
                let mut fail = |call: String, message: String| {
                    report.panics.push(Panic { line: line.clone(), call, message });
                };
                if let Err(m) = guarded(|| stowage_engine::needs_more(line)) {
                    fail("needs_more".into(), m);
                }
                if let Err(m) = guarded(|| engine.complete(line, cursor)) {
                    fail(format!("complete at byte {cursor}"), m);
                }
                match guarded(|| engine.run(line)) {
                    Ok(o) if !(0..=255).contains(&o.exit_code) => report.bad_exit_codes.push((line.clone(), o.exit_code)),
                    Ok(_) => {}
                    Err(m) => {
                        fail("run".into(), m);
                        // The machine may be half-changed: go on with a fresh one.
                        engine = Engine::new();
                        continue;
                    }
                }
                if let Err(m) = guarded(|| (engine.prompt(), engine.view())) {
                    fail("view and prompt".into(), m);
                    engine = Engine::new();
                }
            }
        }
        progress(&report);
    }
    panic::set_hook(previous_hook);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_seeded() {
        let line = "docker run --rm -v data:/data busybox ls -l /data";
        let corpus = vec![vec![line.to_string()]];
        let (mut first, mut second) = (Mutator::new(7, &corpus), Mutator::new(7, &corpus));
        let a: Vec<String> = (0..50).map(|_| first.mutate(line)).collect();
        let b: Vec<String> = (0..50).map(|_| second.mutate(line)).collect();
        assert_eq!(a, b);
        assert!(a.iter().any(|l| !l.is_ascii()), "some mutants carry non-ASCII characters");
        assert!(a.iter().filter(|l| *l != line).count() > 40, "mutants differ from the line");
    }

    #[test]
    fn a_panic_is_caught_and_reported_with_its_line() {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(note_location));
        let caught = guarded(|| -> usize { panic!("boom at {}", 3) });
        panic::set_hook(previous);
        let message = caught.expect_err("caught");
        assert!(message.starts_with("boom at 3 (at crates/fuzz/src/lib.rs:"), "{message}");
    }
}
