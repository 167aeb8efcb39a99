//! A level being played: which one, where it stands on the machine (recomputed after every
//! command from the engine's read-only query), the hints shown, and whether the reference
//! solution was shown (then it counts as shown, not as solved by the learner).

use std::rc::Rc;

use stowage_engine::levels::{Level, Standing};
use stowage_engine::Engine;

#[derive(Clone, Debug)]
pub struct LevelPlay {
    pub level: Rc<Level>,
    pub standing: Standing,
    /// How many hints are on show, in order.
    pub hints_shown: usize,
    /// The reference solution was played: a solve then is the solution's, not the learner's.
    pub solution_shown: bool,
    /// What the last command changed in the checklist, in words (announced to screen readers).
    pub change: Option<String>,
    /// Each of the level's predictions: asked yet, answered, settled.
    pub predictions: Vec<PredictionState>,
    /// A teacher's level that came in the address (`#level-text=`), as it came: the session's
    /// own link carries it on. `None` for a shipped level (progress is kept for those only).
    pub from_link: Option<Rc<str>>,
}

/// A level read once is never changed: the same level is the same `Rc`, so the panel's props
/// compare by pointer rather than walk every goal of the level on each render.
impl PartialEq for LevelPlay {
    fn eq(&self, other: &LevelPlay) -> bool {
        Rc::ptr_eq(&self.level, &other.level)
            && self.standing == other.standing
            && self.hints_shown == other.hints_shown
            && self.solution_shown == other.solution_shown
            && self.change == other.change
            && self.predictions == other.predictions
            && self.from_link == other.from_link
    }
}

/// Where one prediction stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PredictionState {
    /// Its trigger state has held: the question is on show.
    pub asked: bool,
    /// The learner's choice, by index.
    pub answer: Option<usize>,
    /// Its decisive state has held: the choice that came true (`None` if none, or several).
    pub settled: Option<Option<usize>>,
}

impl LevelPlay {
    pub fn new(level: Level, engine: &Engine) -> LevelPlay {
        let standing = level.standing(&engine.query());
        let predictions = vec![PredictionState::default(); level.predictions.len()];
        let mut play = LevelPlay {
            level: Rc::new(level),
            standing,
            hints_shown: 0,
            solution_shown: false,
            change: None,
            predictions,
            from_link: None,
        };
        play.follow_predictions(engine);
        play
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
        // A trap the machine has just walked into is announced once; it stays on show while
        // its state holds.
        for i in self.standing.traps.iter().filter(|i| !before.traps.contains(i)) {
            words.push(self.level.traps.get(*i).map(|t| t.hint.clone()).unwrap_or_default());
        }
        self.change = (!words.is_empty()).then(|| words.join(" "));
        self.follow_predictions(engine);
    }

    /// Asks a prediction once its trigger holds, and settles it once its decisive state does
    /// (an unanswered question is settled too: the moment has passed).
    fn follow_predictions(&mut self, engine: &Engine) {
        let q = engine.query();
        for (p, state) in self.level.predictions.iter().zip(self.predictions.iter_mut()) {
            if !state.asked && p.when.met(&q) {
                state.asked = true;
            }
            if state.asked && state.settled.is_none() && p.settle.met(&q) {
                state.settled = Some(p.outcome(&q));
            }
        }
    }

    /// The learner's answer to prediction `i` (until it settles).
    pub fn predict(&mut self, i: usize, choice: usize) {
        if let (Some(state), Some(p)) = (self.predictions.get_mut(i), self.level.predictions.get(i)) {
            if state.asked && state.settled.is_none() && choice < p.choices.len() {
                state.answer = Some(choice);
            }
        }
    }

    /// Predictions answered right, of those settled.
    pub fn predictions_right(&self) -> (usize, usize) {
        let settled = self.predictions.iter().filter(|s| s.settled.is_some()).count();
        let right =
            self.level.predictions.iter().zip(&self.predictions).filter(|(p, s)| s.answer == Some(p.right) && s.settled.is_some()).count();
        (right, settled)
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
    }

    #[test]
    fn a_trap_is_announced_when_walked_into_and_shown_while_it_holds() {
        let level = stowage_engine::levels::find("stop-is-not-remove").expect("level");
        let mut engine = level.start();
        let mut play = LevelPlay::new(level, &engine);
        engine.run("docker rm -f app");
        play.refresh(&engine);
        assert_eq!(play.standing.traps, [0]);
        assert!(
            play.change.as_deref().is_some_and(|c| c.contains(". The container that wrote state.txt was removed")),
            "{:?}",
            play.change
        );
        engine.run("docker ps -a");
        play.refresh(&engine);
        assert_eq!((play.standing.traps.as_slice(), play.change.as_deref()), ([0].as_slice(), None), "shown, not announced again");
    }

    #[test]
    fn a_prediction_is_asked_answered_and_settled_by_the_machine() {
        let level = stowage_engine::levels::find("volume-outlives-container").expect("level");
        let solution = level.solution.clone();
        let mut engine = level.start();
        let mut play = LevelPlay::new(level, &engine);
        assert!(!play.predictions[0].asked);
        engine.run(&solution[0]);
        play.refresh(&engine);
        assert!(play.predictions[0].asked && play.predictions[0].settled.is_none());
        play.predict(0, 1);
        play.predict(0, 0);
        engine.run(&solution[1]);
        play.refresh(&engine);
        assert_eq!(play.predictions[0].settled, Some(Some(0)));
        play.predict(0, 1);
        assert_eq!(play.predictions[0].answer, Some(0), "an answer is final once the moment passed");
        assert_eq!(play.predictions_right(), (1, 1));
        play.show_hint();
        play.show_hint();
        play.show_hint();
        assert_eq!(play.hints_shown, play.level.hints.len(), "no more hints than the level has");
    }
}
