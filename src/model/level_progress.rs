//! What the learner did with each level, remembered in local storage (see `app.rs`): solved by
//! the learner (and whether within par), or solved by the shown solution only. Versioned: a
//! value of another version, or one that does not read, is dropped with a notice, never trusted.

/// How a level was finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Solved by the learner; `par` when in no more lines than the reference solution.
    Solved { par: bool },
    /// Only the reference solution was played.
    SolutionShown,
}

/// Every level finished so far, by id, in the order they were first finished.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress(Vec<(String, Outcome)>);

/// The prefix of the stored value: the format's version.
const VERSION: &str = "v1;";

impl Progress {
    /// Reads what local storage kept: `Ok` for this version's value, `Err` (with a fresh
    /// progress) for anything else.
    pub fn parse(stored: &str) -> Result<Progress, Progress> {
        let Some(body) = stored.strip_prefix(VERSION) else { return Err(Progress::default()) };
        let mut out = Vec::new();
        for entry in body.split(',').filter(|e| !e.is_empty()) {
            let outcome = match entry.split_once('=') {
                Some((id, "par")) => (id, Outcome::Solved { par: true }),
                Some((id, "solved")) => (id, Outcome::Solved { par: false }),
                Some((id, "shown")) => (id, Outcome::SolutionShown),
                _ => return Err(Progress::default()),
            };
            if !outcome.0.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(Progress::default());
            }
            out.push((outcome.0.to_string(), outcome.1));
        }
        Ok(Progress(out))
    }

    pub fn serialize(&self) -> String {
        let entries: Vec<String> = self
            .0
            .iter()
            .map(|(id, o)| {
                let word = match o {
                    Outcome::Solved { par: true } => "par",
                    Outcome::Solved { par: false } => "solved",
                    Outcome::SolutionShown => "shown",
                };
                format!("{id}={word}")
            })
            .collect();
        format!("{VERSION}{}", entries.join(","))
    }

    pub fn get(&self, id: &str) -> Option<Outcome> {
        self.0.iter().find(|(i, _)| i == id).map(|(_, o)| *o)
    }

    /// Notes an outcome; a better one replaces a worse (solved beats shown, par beats solved).
    /// `false` when nothing changed.
    pub fn record(&mut self, id: &str, outcome: Outcome) -> bool {
        let rank = |o: Outcome| match o {
            Outcome::SolutionShown => 0,
            Outcome::Solved { par: false } => 1,
            Outcome::Solved { par: true } => 2,
        };
        match self.0.iter_mut().find(|(i, _)| i == id) {
            Some((_, old)) if rank(*old) >= rank(outcome) => false,
            Some((_, old)) => {
                *old = outcome;
                true
            }
            None => {
                self.0.push((id.to_string(), outcome));
                true
            }
        }
    }

    /// Levels solved by the learner.
    pub fn solved(&self) -> usize {
        self.0.iter().filter(|(_, o)| matches!(o, Outcome::Solved { .. })).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_round_trips_and_keeps_the_best_outcome() {
        let mut p = Progress::default();
        assert!(p.record("copy-up", Outcome::SolutionShown));
        assert!(p.record("copy-up", Outcome::Solved { par: false }));
        assert!(!p.record("copy-up", Outcome::SolutionShown), "shown never replaces solved");
        assert!(p.record("whiteout", Outcome::Solved { par: true }));
        assert_eq!(p.serialize(), "v1;copy-up=solved,whiteout=par");
        assert_eq!(Progress::parse(&p.serialize()), Ok(p.clone()));
        assert_eq!(p.solved(), 2);
        assert_eq!(p.get("whiteout"), Some(Outcome::Solved { par: true }));
    }

    #[test]
    fn an_old_or_corrupt_value_is_reset_never_trusted() {
        assert_eq!(Progress::parse(""), Err(Progress::default()));
        assert_eq!(Progress::parse("copy-up=par"), Err(Progress::default()), "no version");
        assert_eq!(Progress::parse("v0;copy-up=par"), Err(Progress::default()));
        assert_eq!(Progress::parse("v1;copy-up=wizard"), Err(Progress::default()));
        assert_eq!(Progress::parse("v1;<script>=par"), Err(Progress::default()));
        assert_eq!(Progress::parse("v1;"), Ok(Progress::default()));
    }
}
