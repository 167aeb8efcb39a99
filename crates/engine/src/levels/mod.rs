//! Levels: a goal to reach on a prepared machine, judged on the machine's state after every
//! command, never on the lines typed. One YAML file per level in `levels/` at the repository
//! root, compiled in; `docs/levels.md` teaches the format. (YAML because its parser is linked
//! already, for Compose files; read, as Compose files are, into `serde_json`'s value tree, so
//! levels add no parser and no second tree to the page.)
//!
//! Architecture invariant: goals read the machine through [`Query`] only; evaluating a level
//! changes nothing.

pub mod goal;
#[cfg(test)]
mod strip;

use serde_json::Value;

pub use goal::Goal;

use crate::query::Query;
use crate::Engine;

/// The three tracks, in the order a learner takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Track {
    Beginner,
    Intermediate,
    Expert,
}

/// A goal with the words the checklist shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub goal: Goal,
    pub text: String,
}

/// A state that must hold all along (the data the level is about); while it is broken the
/// level cannot be solved, and `broken` says what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guard {
    pub goal: Goal,
    pub broken: String,
}

/// A known trap of the level: while its state holds (every goal of `when`), the level says
/// what went wrong and how to go on, and offers Undo when `undo` is set. Traps are judged on
/// the machine, like goals: never on the lines typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap {
    pub when: Vec<Goal>,
    pub hint: String,
    pub undo: bool,
}

impl Trap {
    pub fn holds(&self, q: &Query) -> bool {
        self.when.iter().all(|g| g.met(q))
    }
}

/// One answer of a prediction, with the state that makes it the true one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub text: String,
    pub holds: Goal,
}

/// "Predict, then run": a question asked when `when` first holds, settled when `settle` first
/// holds; then the choice whose state holds is what happened (the engine decides, not the
/// lines typed), and `explain` says why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prediction {
    pub question: String,
    pub when: Goal,
    pub settle: Goal,
    pub choices: Vec<Choice>,
    /// The right choice, by index.
    pub right: usize,
    pub explain: String,
}

impl Prediction {
    /// The choice whose state holds, when exactly one does.
    pub fn outcome(&self, q: &Query) -> Option<usize> {
        let holding: Vec<usize> = self.choices.iter().enumerate().filter(|(_, c)| c.holds.met(q)).map(|(i, _)| i).collect();
        match holding.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

/// A plausible mistake, for the level's tests: its lines leave at least one goal unmet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrongAttempt {
    pub note: String,
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    pub id: String,
    pub track: Track,
    pub title: String,
    /// What the learner must achieve, in the learner's words.
    pub story: String,
    /// Lines run on a fresh machine before the learner starts (their output is not shown).
    pub setup: Vec<String>,
    pub goals: Vec<Check>,
    pub guards: Vec<Guard>,
    pub hints: Vec<String>,
    pub traps: Vec<Trap>,
    /// The reference solution; its line count is the level's par.
    pub solution: Vec<String>,
    pub wrong: Vec<WrongAttempt>,
    pub predictions: Vec<Prediction>,
}

/// Where a level stands on a machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// Each goal, met or not, in the level's order.
    pub met: Vec<bool>,
    /// The guards that are broken, by index.
    pub broken: Vec<usize>,
    /// The traps the machine is in, by index.
    pub traps: Vec<usize>,
}

impl Standing {
    pub fn solved(&self) -> bool {
        self.broken.is_empty() && self.met.iter().all(|m| *m)
    }
}

impl Level {
    /// The number of lines of the reference solution.
    pub fn par(&self) -> usize {
        self.solution.len()
    }

    /// A fresh machine with the level's setup run.
    pub fn start(&self) -> Engine {
        let mut engine = Engine::new();
        for line in &self.setup {
            engine.run(line);
        }
        engine
    }

    /// Where the level stands on `q`'s machine.
    pub fn standing(&self, q: &Query) -> Standing {
        Standing {
            met: self.goals.iter().map(|c| c.goal.met(q)).collect(),
            broken: self.guards.iter().enumerate().filter(|(_, g)| !g.goal.met(q)).map(|(i, _)| i).collect(),
            traps: self.traps.iter().enumerate().filter(|(_, t)| t.holds(q)).map(|(i, _)| i).collect(),
        }
    }
}

/// What is wrong with a level as a level: the start already solved, a reference solution that
/// does not solve it, a wrong attempt that does, no wrong attempt that meets some goals but not
/// all. Empty when the level is sound. (`stowage levels check` and the tests ask this.)
pub fn verify(level: &Level) -> Vec<String> {
    let mut problems = Vec::new();
    let replay = |lines: &[String]| {
        let mut engine = level.start();
        for line in lines {
            engine.run(line);
        }
        level.standing(&engine.query())
    };
    let start = replay(&[]);
    if start.solved() {
        problems.push("the start state already meets every goal".to_string());
    }
    if !start.broken.is_empty() {
        problems.push("a guard is broken at the start".to_string());
    }
    if !start.traps.is_empty() {
        problems.push("a trap holds at the start".to_string());
    }
    // The reference solution's engine is kept: the predictions are judged on it below. It
    // never walks into a trap, after any of its lines.
    let mut engine = level.start();
    for line in &level.solution {
        engine.run(line);
        if let Some(t) = level.standing(&engine.query()).traps.first() {
            problems.push(format!("the reference solution walks into trap {} after `{line}`", t + 1));
        }
    }
    let solved = level.standing(&engine.query());
    if !solved.solved() {
        let unmet: Vec<&str> = level.goals.iter().zip(&solved.met).filter(|(_, m)| !**m).map(|(c, _)| c.text.as_str()).collect();
        problems.push(format!("the reference solution leaves goals unmet: {}", unmet.join("; ")));
    }
    if level.hints.len() < 2 {
        problems.push("a level gives at least two hints".to_string());
    }
    if level.wrong.is_empty() {
        problems.push("a level lists at least one wrong attempt".to_string());
    }
    let mut partly = false;
    let mut sprung = vec![false; level.traps.len()];
    for w in &level.wrong {
        let s = replay(&w.lines);
        if s.solved() {
            problems.push(format!("the wrong attempt \"{}\" solves the level", w.note));
        }
        partly |= s.met.iter().any(|m| *m);
        for t in s.traps {
            if let Some(hit) = sprung.get_mut(t) {
                *hit = true;
            }
        }
    }
    // Each trap is tested: some wrong attempt ends in it.
    for (i, _) in sprung.iter().enumerate().filter(|(_, s)| !**s) {
        problems.push(format!("no wrong attempt ends in trap {}", i + 1));
    }
    if !level.wrong.is_empty() && !partly {
        problems.push("no wrong attempt meets some goals but not all".to_string());
    }
    // After the reference solution every prediction has settled on its right choice.
    let after = engine.query();
    for p in &level.predictions {
        if !p.settle.met(&after) {
            problems.push(format!("the prediction \"{}\" never settles in the reference solution", p.question));
        }
        match p.outcome(&after) {
            Some(i) if i == p.right => {}
            Some(i) => problems.push(format!("the prediction \"{}\" comes true as choice {}, not the one marked right", p.question, i + 1)),
            None => problems.push(format!("after the reference solution, not exactly one choice of \"{}\" holds", p.question)),
        }
    }
    problems
}

/// A level file that cannot be read: which field, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for LevelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

fn error(field: &str, message: impl Into<String>) -> LevelError {
    LevelError { field: field.into(), message: message.into() }
}

fn text(doc: &Value, key: &str) -> Result<String, LevelError> {
    doc.get(key).and_then(Value::as_str).map(|s| s.trim_end().to_string()).ok_or_else(|| error(key, "missing, or not text"))
}

fn lines(doc: &Value, key: &str, required: bool) -> Result<Vec<String>, LevelError> {
    match doc.get(key) {
        None if !required => Ok(Vec::new()),
        None => Err(error(key, "missing")),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| item.as_str().map(str::to_string).ok_or_else(|| error(&format!("{key}[{}]", i + 1), "not text")))
            .collect(),
        Some(_) => Err(error(key, "a list of lines")),
    }
}

/// Reads a level from its YAML text. Malformed text is an error naming the line (YAML's
/// syntax) or the field, never a panic.
pub fn parse(source: &str) -> Result<Level, LevelError> {
    let doc: Value = yaml_serde::from_str(source).map_err(|e| error("", format!("not YAML: {e}")))?;
    if !doc.is_object() {
        return Err(error("", "a level is a mapping of fields (id, track, title, story, …)"));
    }
    let id = text(&doc, "id")?;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(error("id", "lowercase letters, digits and dashes"));
    }
    let track = match text(&doc, "track")?.as_str() {
        "beginner" => Track::Beginner,
        "intermediate" => Track::Intermediate,
        "expert" => Track::Expert,
        other => return Err(error("track", format!("beginner, intermediate or expert, not `{other}`"))),
    };
    let mut goals = Vec::new();
    let Some(Value::Array(items)) = doc.get("goals") else { return Err(error("goals", "a list of goals is needed")) };
    for (i, item) in items.iter().enumerate() {
        let field = format!("goals[{}]", i + 1);
        let goal = goal::parse(item).map_err(|m| error(&field, m))?;
        let words = item.get("text").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| goal.describe());
        goals.push(Check { goal, text: words });
    }
    if goals.is_empty() {
        return Err(error("goals", "a level needs at least one goal"));
    }
    let mut guards = Vec::new();
    if let Some(Value::Array(items)) = doc.get("guards") {
        for (i, item) in items.iter().enumerate() {
            let field = format!("guards[{}]", i + 1);
            let goal = goal::parse(item).map_err(|m| error(&field, m))?;
            let broken = item.get("broken").and_then(Value::as_str).ok_or_else(|| error(&field, "`broken` says what happened"))?;
            guards.push(Guard { goal, broken: broken.trim_end().to_string() });
        }
    }
    let mut wrong = Vec::new();
    if let Some(Value::Array(items)) = doc.get("wrong") {
        for (i, item) in items.iter().enumerate() {
            let field = format!("wrong[{}]", i + 1);
            let note = item.get("note").and_then(Value::as_str).ok_or_else(|| error(&field, "`note` says what the mistake is"))?;
            let attempt = lines(item, "lines", true).map_err(|e| error(&format!("{field}.{}", e.field), e.message))?;
            wrong.push(WrongAttempt { note: note.trim_end().to_string(), lines: attempt });
        }
    }
    let mut traps = Vec::new();
    if let Some(Value::Array(items)) = doc.get("traps") {
        for (i, item) in items.iter().enumerate() {
            let field = format!("traps[{}]", i + 1);
            traps.push(parse_trap(item).map_err(|m| error(&field, m))?);
        }
    }
    let mut predictions = Vec::new();
    if let Some(Value::Array(items)) = doc.get("predictions") {
        for (i, item) in items.iter().enumerate() {
            let field = format!("predictions[{}]", i + 1);
            predictions.push(parse_prediction(item).map_err(|m| error(&field, m))?);
        }
    }
    Ok(Level {
        predictions,
        id,
        track,
        title: text(&doc, "title")?,
        story: text(&doc, "story")?,
        setup: lines(&doc, "setup", false)?,
        goals,
        guards,
        hints: lines(&doc, "hints", true)?,
        traps,
        solution: lines(&doc, "solution", true)?,
        wrong,
    })
}

fn parse_trap(item: &Value) -> Result<Trap, String> {
    let when = match item.get("when") {
        Some(Value::Array(goals)) => {
            goals.iter().enumerate().map(|(i, g)| goal::parse(g).map_err(|m| format!("when[{}]: {m}", i + 1))).collect::<Result<_, _>>()?
        }
        Some(g) => vec![goal::parse(g).map_err(|m| format!("when: {m}"))?],
        None => return Err("`when` (a goal, or a list of goals that all hold) is missing".into()),
    };
    let hint = item.get("hint").and_then(Value::as_str).ok_or("`hint` says what went wrong and how to go on")?;
    let undo = match item.get("undo") {
        None => false,
        Some(v) => v.as_bool().ok_or("`undo` is true or false")?,
    };
    Ok(Trap { when, hint: hint.trim_end().to_string(), undo })
}

fn parse_prediction(item: &Value) -> Result<Prediction, String> {
    let text = |key: &str| {
        item.get(key).and_then(Value::as_str).map(|s| s.trim_end().to_string()).ok_or(format!("`{key}` is missing, or not text"))
    };
    let goal = |key: &str| {
        item.get(key).ok_or(format!("`{key}` (a goal) is missing")).and_then(|g| goal::parse(g).map_err(|m| format!("{key}: {m}")))
    };
    let Some(Value::Array(items)) = item.get("choices") else { return Err("`choices` is a list".into()) };
    let mut choices = Vec::new();
    for (i, c) in items.iter().enumerate() {
        let words = c.get("text").and_then(Value::as_str).ok_or(format!("choices[{}]: `text` is missing", i + 1))?;
        let holds = c.get("holds").ok_or(format!("choices[{}]: `holds` (a goal) is missing", i + 1))?;
        choices.push(Choice { text: words.to_string(), holds: goal::parse(holds).map_err(|m| format!("choices[{}]: {m}", i + 1))? });
    }
    if choices.len() < 2 {
        return Err("a prediction offers at least two choices".into());
    }
    let right = item
        .get("right")
        .and_then(Value::as_u64)
        .filter(|r| (1..=choices.len() as u64).contains(r))
        .ok_or("`right` is the number of the right choice")?;
    Ok(Prediction {
        question: text("question")?,
        when: goal("when")?,
        settle: goal("settle")?,
        choices,
        right: right as usize - 1,
        explain: text("explain")?,
    })
}

/// A shipped level: its file name (for messages) and its text; in the web build, the text
/// without its wrong attempts (test data the page never uses: see `strip.rs`).
#[cfg(not(target_arch = "wasm32"))]
macro_rules! shipped {
    ($name:literal) => {
        (concat!("levels/", $name, ".yaml"), include_str!(concat!("../../../../levels/", $name, ".yaml")))
    };
}
#[cfg(target_arch = "wasm32")]
macro_rules! shipped {
    ($name:literal) => {
        (concat!("levels/", $name, ".yaml"), include_str!(concat!(env!("OUT_DIR"), "/levels/", $name, ".yaml")))
    };
}

/// The levels that ship with Stowage, in `levels/` at the repository root.
/// In track order (beginner, intermediate, expert), as the Levels list shows them.
const SOURCES: &[(&str, &str)] = &[
    shipped!("writable-layer-dies"),
    shipped!("stop-is-not-remove"),
    shipped!("copy-up"),
    shipped!("whiteout"),
    shipped!("ro-config"),
    shipped!("bind-live-code"),
    shipped!("mount-hides-image"),
    shipped!("volume-outlives-container"),
    shipped!("prune-anonymous"),
    shipped!("compose-down-v"),
    shipped!("volume-in-use"),
    shipped!("empty-volume-filled"),
    shipped!("anonymous-rm-v"),
    shipped!("stale-volume"),
    shipped!("tmpfs-secret"),
    shipped!("uid-mismatch"),
    shipped!("backup-restore"),
    shipped!("read-only-root"),
    shipped!("debug-mountpoint"),
    shipped!("capstone"),
];

/// Every level that ships, in track order, read once. A shipped level that does not read is a
/// bug the tests catch; it is left out rather than taking the page down.
pub fn all() -> &'static [Level] {
    static LEVELS: std::sync::OnceLock<Vec<Level>> = std::sync::OnceLock::new();
    LEVELS.get_or_init(|| SOURCES.iter().filter_map(|(_, s)| parse(s).ok()).collect())
}

/// A shipped level by id.
pub fn find(id: &str) -> Option<Level> {
    all().iter().find(|l| l.id == id).cloned()
}

/// The shipped levels' file names and sources (for their tests).
pub fn sources() -> &'static [(&'static str, &'static str)] {
    SOURCES
}
