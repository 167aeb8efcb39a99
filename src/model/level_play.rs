//! A level being played: which one, where it stands on the machine (recomputed after every
//! command from the engine's read-only query), the hints shown, and whether the reference
//! solution was shown (then it counts as shown, not as solved by the learner).

use std::rc::Rc;

use stowage_engine::levels::{Level, Standing};
use stowage_engine::Engine;

#[derive(Clone, Debug, PartialEq)]
pub struct LevelPlay {
    pub level: Rc<Level>,
    pub standing: Standing,
    /// How many hints are on show, in order.
    pub hints_shown: usize,
    /// The reference solution was played: a solve then is the solution's, not the learner's.
    pub solution_shown: bool,
    /// What the last command changed in the checklist, in words (announced to screen readers).
    pub change: Option<String>,
}

impl LevelPlay {
    pub fn new(level: Level, engine: &Engine) -> LevelPlay {
        let standing = level.standing(&engine.query());
        LevelPlay { level: Rc::new(level), standing, hints_shown: 0, solution_shown: false, change: None }
    }

    /// Where the level stands on `engine`'s machine now.
    pub fn refresh(&mut self, engine: &Engine) {
        let before = std::mem::replace(&mut self.standing, self.level.standing(&engine.query()));
        let mut words = Vec::new();
        for ((check, was), now) in self.level.goals.iter().zip(&before.met).zip(&self.standing.met) {
            match (was, now) {
                (false, true) => words.push(format!("Done: {}.", check.text)),
                (true, false) => words.push(format!("To do again: {}.", check.text)),
                _ => {}
            }
        }
        for i in self.standing.broken.iter().filter(|i| !before.broken.contains(i)) {
            words.push(self.level.guards.get(*i).map(|g| g.broken.clone()).unwrap_or_default());
        }
        self.change = (!words.is_empty()).then(|| words.join(" "));
    }

    pub fn show_hint(&mut self) {
        self.hints_shown = (self.hints_shown + 1).min(self.level.hints.len());
    }

    pub fn solved(&self) -> bool {
        self.standing.solved()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_stands_as_its_machine_does() {
        let level = stowage_engine::levels::find("stop-is-not-remove").expect("level");
        let mut engine = level.start();
        let mut play = LevelPlay::new(level, &engine);
        assert!(!play.solved());
        engine.run("docker stop app");
        play.refresh(&engine);
        assert!(play.solved());
        assert_eq!(play.change.as_deref(), Some("Done: app is stopped."));
        engine.run("docker start app");
        play.refresh(&engine);
        assert_eq!(play.change.as_deref(), Some("To do again: app is stopped."));
        engine.run("true");
        play.refresh(&engine);
        assert_eq!(play.change, None, "a command that changes no goal announces nothing");
        play.show_hint();
        play.show_hint();
        play.show_hint();
        assert_eq!(play.hints_shown, play.level.hints.len(), "no more hints than the level has");
    }
}
