//! Command history, as ↑/↓ walk it in bash.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
    /// The entry shown while walking; `None` when editing a fresh line.
    pos: Option<usize>,
    /// The line being edited before the walk started, given back by ↓ past the newest entry.
    draft: String,
}

impl History {
    /// Records a line (blank lines and immediate repeats are not kept) and ends any walk.
    pub fn push(&mut self, line: &str) {
        if !line.trim().is_empty() && self.entries.last().map(String::as_str) != Some(line) {
            self.entries.push(line.to_string());
        }
        self.end_walk();
    }

    /// Forgets the walk: the next ↑ starts from the newest entry again.
    pub fn end_walk(&mut self) {
        self.pos = None;
        self.draft.clear();
    }

    /// ↑: the previous entry, or `None` when there is nothing older.
    pub fn up(&mut self, current: &str) -> Option<String> {
        let pos = match self.pos {
            None if self.entries.is_empty() => return None,
            None => {
                self.draft = current.to_string();
                self.entries.len() - 1
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.pos = Some(pos);
        Some(self.entries[pos].clone())
    }

    /// ↓: the next entry, then the line that was being edited; `None` when not walking.
    pub fn down(&mut self) -> Option<String> {
        let i = self.pos?;
        if i + 1 < self.entries.len() {
            self.pos = Some(i + 1);
            Some(self.entries[i + 1].clone())
        } else {
            self.pos = None;
            Some(std::mem::take(&mut self.draft))
        }
    }

    pub fn entries(&self) -> &[String] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_back_and_forth_and_restores_the_draft() {
        let mut h = History::default();
        h.push("docker ps");
        h.push("docker images");
        assert_eq!(h.up("dock").as_deref(), Some("docker images"));
        assert_eq!(h.up("ignored").as_deref(), Some("docker ps"));
        assert_eq!(h.up("ignored"), None);
        assert_eq!(h.down().as_deref(), Some("docker images"));
        assert_eq!(h.down().as_deref(), Some("dock"));
        assert_eq!(h.down(), None);
    }

    #[test]
    fn skips_blank_lines_and_immediate_repeats() {
        let mut h = History::default();
        h.push("ls");
        h.push("ls");
        h.push("   ");
        h.push("pwd");
        h.push("ls");
        assert_eq!(h.entries(), ["ls", "pwd", "ls"]);
    }

    #[test]
    fn up_on_empty_history_does_nothing() {
        let mut h = History::default();
        assert_eq!(h.up("x"), None);
        assert_eq!(h.down(), None);
    }
}
