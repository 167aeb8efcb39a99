//! Type-ahead: what was typed on the start-up screen before the simulator was ready.
//!
//! `index.html` draws a command line with the first paint and keeps the lines entered there.
//! Once the app is up, they run in order, as a terminal runs what was typed while a program
//! was still loading; the unfinished line stays in the input with its cursor.

use super::editor::{Editor, Submit};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TypeAhead {
    /// The lines entered with Enter, oldest first.
    pub lines: Vec<String>,
    /// The text left in the input.
    pub draft: String,
    /// The cursor in the draft, a byte offset.
    pub cursor: usize,
    /// Whether the start-up command line had the keyboard focus (the app's then takes it).
    pub focused: bool,
}

impl TypeAhead {
    /// Gives the entered lines to `editor` as if typed now: returns the commands to run, in
    /// order (a line continued by `\` or an open here-document waits for the next one), and
    /// leaves the draft in the input.
    pub fn replay_into(&self, editor: &mut Editor) -> Vec<Submit> {
        let mut commands = Vec::new();
        for line in &self.lines {
            editor.input = line.clone();
            commands.extend(editor.enter());
        }
        editor.input = self.draft.clone();
        commands
    }

    /// The cursor, kept inside the draft.
    pub fn cursor(&self) -> usize {
        self.cursor.min(self.draft.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn entered_lines_run_in_order_and_join_the_history() {
        let typed = TypeAhead { lines: strings(&["docker ps", "ls"]), draft: "echo hi".into(), cursor: 4, focused: true };
        let mut editor = Editor::default();
        let commands = typed.replay_into(&mut editor);
        assert_eq!(commands, vec![Submit::Run(strings(&["docker ps"])), Submit::Run(strings(&["ls"]))]);
        assert_eq!(editor.input, "echo hi");
        assert!(editor.pending.is_empty());
        // ↑ recalls what was typed ahead, newest first.
        assert!(editor.history_up());
        assert_eq!(editor.input, "ls");
    }

    #[test]
    fn a_continued_line_waits_for_the_rest() {
        let typed = TypeAhead { lines: strings(&["echo one \\", "two", "cat <<EOF"]), ..TypeAhead::default() };
        let mut editor = Editor::default();
        let commands = typed.replay_into(&mut editor);
        assert_eq!(commands, vec![Submit::Run(strings(&["echo one \\", "two"]))]);
        // The here-document is still open: its line waits in the editor, as typed.
        assert_eq!(editor.pending, strings(&["cat <<EOF"]));
        assert_eq!(editor.input, "");
    }

    #[test]
    fn nothing_typed_changes_nothing() {
        let mut editor = Editor::default();
        assert!(TypeAhead::default().replay_into(&mut editor).is_empty());
        assert_eq!(editor, Editor::default());
    }

    #[test]
    fn the_cursor_stays_inside_the_draft() {
        let typed = TypeAhead { draft: "ls".into(), cursor: 99, ..TypeAhead::default() };
        assert_eq!(typed.cursor(), 2);
    }
}
