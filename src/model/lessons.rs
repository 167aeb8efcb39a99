//! Lessons: the scenarios with steps, and which of them the learner has finished. The finished
//! ones are remembered in local storage as their ids, comma-separated (see `app.rs`).

use stowage_engine::scenarios::{Scenario, SCENARIOS};

/// Where the learner stands with one lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    NotStarted,
    /// The lesson on the machine now, with this many of its steps run.
    Current {
        done: usize,
    },
    Finished,
}

/// The ids of the finished lessons, in the order of [`SCENARIOS`] (so comparisons are cheap).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Finished(Vec<&'static str>);

impl Finished {
    /// Reads what local storage kept; unknown ids (a lesson since renamed) are dropped.
    pub fn parse(stored: &str) -> Finished {
        let ids: Vec<&str> = stored.split(',').map(str::trim).collect();
        Finished(lessons().filter(|s| ids.contains(&s.id)).map(|s| s.id).collect())
    }

    pub fn serialize(&self) -> String {
        self.0.join(",")
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.contains(&id)
    }

    /// Notes the lesson `id` as finished; `false` if it already was, or is no lesson.
    pub fn insert(&mut self, id: &str) -> bool {
        if self.contains(id) || !lessons().any(|s| s.id == id) {
            return false;
        }
        self.0 = lessons().filter(|s| s.id == id || self.0.contains(&s.id)).map(|s| s.id).collect();
        true
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The scenarios that teach something step by step (the sandbox has no steps).
pub fn lessons() -> impl Iterator<Item = &'static Scenario> {
    SCENARIOS.iter().filter(|s| !s.steps.is_empty())
}

/// The lesson after `id` in the list, if any.
pub fn next_after(id: &str) -> Option<&'static Scenario> {
    lessons().skip_while(|s| s.id != id).nth(1)
}

/// A lesson is finished once its last step has run.
pub fn is_complete(scenario: &Scenario, next_step: usize) -> bool {
    !scenario.steps.is_empty() && next_step >= scenario.steps.len()
}

/// Where the learner stands with `lesson`, given the scenario on the machine and its progress.
pub fn standing(lesson: &Scenario, finished: &Finished, current: &Scenario, next_step: usize) -> Standing {
    if lesson.id == current.id && !is_complete(current, next_step) {
        Standing::Current { done: next_step }
    } else if finished.contains(lesson.id) || (lesson.id == current.id && is_complete(current, next_step)) {
        Standing::Finished
    } else {
        Standing::NotStarted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stowage_engine::scenarios::find;

    #[test]
    fn lessons_are_the_scenarios_with_steps() {
        let ids: Vec<&str> = lessons().map(|s| s.id).collect();
        assert!(!ids.contains(&"sandbox"));
        assert_eq!(ids.len(), SCENARIOS.len() - 1);
    }

    #[test]
    fn the_next_lesson_follows_the_list_and_the_last_has_none() {
        let ids: Vec<&str> = lessons().map(|s| s.id).collect();
        assert_eq!(next_after(ids[0]).map(|s| s.id), Some(ids[1]));
        assert_eq!(next_after(ids[ids.len() - 1]), None);
        assert_eq!(next_after("sandbox"), None);
    }

    #[test]
    fn finished_lessons_round_trip_through_storage_in_lesson_order() {
        let mut f = Finished::parse(" postgres ,no-such-lesson,,live-code");
        assert_eq!(f.serialize(), "live-code,postgres");
        assert!(f.insert("read-only"));
        assert!(!f.insert("read-only"), "already finished");
        assert!(!f.insert("sandbox"), "the sandbox is no lesson");
        assert_eq!(Finished::parse(&f.serialize()), f);
        assert_eq!(f.len(), 3);
        assert!(Finished::parse("").is_empty());
    }

    #[test]
    fn standing_follows_the_machine_and_what_was_finished() {
        let postgres = find("postgres").unwrap();
        let live = find("live-code").unwrap();
        let sandbox = find("sandbox").unwrap();
        let mut finished = Finished::default();
        assert_eq!(standing(postgres, &finished, sandbox, 0), Standing::NotStarted);
        assert_eq!(standing(postgres, &finished, postgres, 3), Standing::Current { done: 3 });
        assert_eq!(standing(postgres, &finished, postgres, postgres.steps.len()), Standing::Finished);
        finished.insert("live-code");
        assert_eq!(standing(live, &finished, postgres, 0), Standing::Finished);
        // Started again: it is the current lesson once more, with its progress.
        assert_eq!(standing(live, &finished, live, 1), Standing::Current { done: 1 });
        assert!(is_complete(live, live.steps.len()) && !is_complete(sandbox, 0));
    }
}
