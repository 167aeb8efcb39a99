//! The command line being typed: continuation lines, history, paste and Tab completion.
//!
//! Pure logic; the terminal component feeds it keys and turns its answers into DOM updates.

use super::history::History;

/// What the terminal asks the app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submit {
    /// Run a command: the lines as typed (continued by a trailing `\` or an open here-document).
    Run(Vec<String>),
    /// Ctrl+C: the lines are abandoned and `^C` is printed.
    Interrupt(Vec<String>),
    /// Ctrl+L: clear the screen.
    ClearScreen,
    /// Tab with several candidates and nothing more to insert: show them under the line.
    ShowCompletions { line: String, candidates: Vec<String> },
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Editor {
    /// The text in the input.
    pub input: String,
    /// Lines already entered of a command that goes on (a trailing backslash, a here-document).
    pub pending: Vec<String>,
    pub history: History,
    /// What Ctrl+U or Ctrl+K cut last, for Ctrl+Y (readline's kill ring, one entry deep).
    pub killed: String,
}

/// True when the line ends with an unescaped backslash: bash then reads another line.
pub fn continues(line: &str) -> bool {
    line.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1
}

/// The text bash executes: each backslash-newline pair is removed; other lines (a
/// here-document's) keep their newline.
pub fn logical_line(lines: &[String]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let last = i + 1 == lines.len();
        if !last && continues(line) {
            out.push_str(&line[..line.len() - 1]);
        } else {
            out.push_str(line);
            if !last {
                out.push('\n');
            }
        }
    }
    out
}

impl Editor {
    /// Enter: either the command is complete (returns it) or it continues on the next line.
    pub fn enter(&mut self) -> Option<Submit> {
        let line = std::mem::take(&mut self.input);
        let go_on = continues(&line);
        self.pending.push(line);
        // A here-document reads lines up to its delimiter, as bash does.
        if go_on || stowage_engine::needs_more(&logical_line(&self.pending)) {
            return None;
        }
        let lines = std::mem::take(&mut self.pending);
        self.history.push(&logical_line(&lines));
        Some(Submit::Run(lines))
    }

    /// Ctrl+C: abandons the pending lines and the input.
    pub fn interrupt(&mut self) -> Submit {
        let mut lines = std::mem::take(&mut self.pending);
        lines.push(std::mem::take(&mut self.input));
        self.history.end_walk();
        Submit::Interrupt(lines)
    }

    /// ↑: returns true when the input changed.
    pub fn history_up(&mut self) -> bool {
        match self.history.up(&self.input) {
            Some(line) => {
                self.input = line;
                true
            }
            None => false,
        }
    }

    /// ↓: returns true when the input changed.
    pub fn history_down(&mut self) -> bool {
        match self.history.down() {
            Some(line) => {
                self.input = line;
                true
            }
            None => false,
        }
    }

    /// Pasted text replacing bytes `sel` of the input: every complete line runs, in order; the
    /// text after the last newline stays in the input. Returns the commands and the new cursor.
    pub fn paste(&mut self, sel: (usize, usize), text: &str) -> (Vec<Submit>, usize) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let (start, end) = (sel.0.min(self.input.len()), sel.1.min(self.input.len()));
        let after = self.input[end.max(start)..].to_string();
        let mut whole = self.input[..start].to_string();
        whole.push_str(&text);
        let mut parts: Vec<&str> = whole.split('\n').collect();
        let last = parts.pop().unwrap_or_default().to_string();
        let mut out = Vec::new();
        for part in parts {
            self.input = part.to_string();
            out.extend(self.enter());
        }
        self.input = format!("{last}{after}");
        (out, last.len())
    }

    /// Ctrl+U: cuts the text before the cursor (a byte offset); the cursor goes to the start.
    pub fn kill_to_start(&mut self, cursor: usize) -> usize {
        let cursor = floor_char_boundary(&self.input, cursor);
        if cursor > 0 {
            self.killed = self.input[..cursor].to_string();
            self.input.replace_range(..cursor, "");
        }
        0
    }

    /// Ctrl+K: cuts the text from the cursor to the end; the cursor stays.
    pub fn kill_to_end(&mut self, cursor: usize) -> usize {
        let cursor = floor_char_boundary(&self.input, cursor);
        if cursor < self.input.len() {
            self.killed = self.input[cursor..].to_string();
            self.input.truncate(cursor);
        }
        cursor
    }

    /// Ctrl+Y: puts back what was cut last, at the cursor; returns the cursor after it.
    pub fn yank(&mut self, cursor: usize) -> usize {
        let cursor = floor_char_boundary(&self.input, cursor);
        self.input.insert_str(cursor, &self.killed);
        cursor + self.killed.len()
    }

    /// Tab: `candidates` are the engine's completions of the word before `cursor` (a byte
    /// offset). One candidate replaces the word (a space follows unless it names a directory);
    /// several insert their common prefix, or are listed when there is none to add.
    pub fn complete(&mut self, cursor: usize, candidates: &[String]) -> Completion {
        let cursor = floor_char_boundary(&self.input, cursor);
        let start = word_start(&self.input, cursor);
        let word = &self.input[start..cursor];
        let insert = match candidates {
            [] => return Completion::Nothing,
            [only] if only.ends_with('/') => only.clone(),
            [only] => format!("{only} "),
            many => {
                let prefix = common_prefix(many);
                if prefix.len() <= word.len() {
                    return Completion::Show(Submit::ShowCompletions { line: self.input.clone(), candidates: many.to_vec() });
                }
                prefix.to_string()
            }
        };
        self.input.replace_range(start..cursor, &insert);
        Completion::Edited { cursor: start + insert.len() }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Completion {
    Nothing,
    /// The input changed; the cursor goes to this byte offset.
    Edited {
        cursor: usize,
    },
    Show(Submit),
}

/// Byte offset where the word before `cursor` starts.
pub fn word_start(line: &str, cursor: usize) -> usize {
    line[..cursor].rfind(char::is_whitespace).map_or(0, |i| i + 1)
}

fn common_prefix(words: &[String]) -> &str {
    let first = &words[0];
    let mut len = first.len();
    for w in &words[1..] {
        len = first.bytes().zip(w.bytes()).take(len).take_while(|(a, b)| a == b).count();
    }
    &first[..floor_char_boundary(first, len)]
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The byte offset of a UTF-16 offset (what the DOM's selection APIs count).
pub fn utf16_to_byte(s: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    s.len()
}

/// The UTF-16 offset of a byte offset.
pub fn byte_to_utf16(s: &str, byte: usize) -> usize {
    s[..floor_char_boundary(s, byte)].encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn enter_runs_the_line_and_records_it() {
        let mut e = Editor { input: "docker ps".into(), ..Default::default() };
        assert_eq!(e.enter(), Some(Submit::Run(lines(&["docker ps"]))));
        assert_eq!(e.input, "");
        assert_eq!(e.history.entries(), ["docker ps"]);
    }

    #[test]
    fn a_trailing_backslash_continues_the_command() {
        let mut e = Editor { input: "docker run -d \\".into(), ..Default::default() };
        assert_eq!(e.enter(), None);
        assert_eq!(e.pending, lines(&["docker run -d \\"]));
        e.input = "  busybox".into();
        assert_eq!(e.enter(), Some(Submit::Run(lines(&["docker run -d \\", "  busybox"]))));
        assert_eq!(e.history.entries(), ["docker run -d   busybox"]);
        assert!(!continues("echo a\\\\"));
    }

    #[test]
    fn ctrl_c_abandons_everything_pending() {
        let mut e = Editor { input: "b".into(), pending: lines(&["a \\"]), ..Default::default() };
        assert_eq!(e.interrupt(), Submit::Interrupt(lines(&["a \\", "b"])));
        assert!(e.pending.is_empty() && e.input.is_empty());
    }

    #[test]
    fn a_here_document_reads_lines_up_to_its_delimiter() {
        let mut e = Editor::default();
        let (runs, _) = e.paste((0, 0), "cat > compose.yaml <<'EOF'\nservices:\n  web:\nEOF\necho next\n");
        let lines: Vec<String> = ["cat > compose.yaml <<'EOF'", "services:", "  web:", "EOF"].iter().map(|s| s.to_string()).collect();
        assert_eq!(runs, vec![Submit::Run(lines.clone()), Submit::Run(vec!["echo next".into()])]);
        assert_eq!(logical_line(&lines), "cat > compose.yaml <<'EOF'\nservices:\n  web:\nEOF");
    }

    #[test]
    fn paste_runs_each_complete_line_and_keeps_the_rest() {
        let mut e = Editor { input: "echo X".into(), ..Default::default() };
        // The selection "X" is replaced by the pasted text.
        let (runs, cursor) = e.paste((5, 6), "one\r\ndocker ps\nls -l \\\n /tmp\npart");
        assert_eq!(
            runs,
            vec![Submit::Run(lines(&["echo one"])), Submit::Run(lines(&["docker ps"])), Submit::Run(lines(&["ls -l \\", " /tmp"])),]
        );
        assert_eq!(e.input, "part");
        assert_eq!(cursor, 4);
    }

    #[test]
    fn completion_of_one_candidate_replaces_the_word() {
        let mut e = Editor { input: "docker ins x".into(), ..Default::default() };
        assert_eq!(e.complete(10, &lines(&["inspect"])), Completion::Edited { cursor: 15 });
        assert_eq!(e.input, "docker inspect  x");
        let mut e = Editor { input: "ls /et".into(), ..Default::default() };
        e.complete(6, &lines(&["/etc/"]));
        assert_eq!(e.input, "ls /etc/");
    }

    #[test]
    fn completion_of_several_inserts_the_common_prefix_or_lists_them() {
        let mut e = Editor { input: "docker vo".into(), ..Default::default() };
        assert_eq!(e.complete(9, &lines(&["volume-a", "volume-b"])), Completion::Edited { cursor: 14 });
        assert_eq!(e.input, "docker volume-");
        let shown = e.complete(14, &lines(&["volume-a", "volume-b"]));
        assert_eq!(
            shown,
            Completion::Show(Submit::ShowCompletions { line: "docker volume-".into(), candidates: lines(&["volume-a", "volume-b"]) })
        );
        assert_eq!(e.complete(3, &[]), Completion::Nothing);
    }

    #[test]
    fn utf16_offsets_convert_to_bytes() {
        let s = "é€😀x";
        assert_eq!(utf16_to_byte(s, 0), 0);
        assert_eq!(utf16_to_byte(s, 2), 5);
        assert_eq!(utf16_to_byte(s, 4), 9);
        assert_eq!(utf16_to_byte(s, 99), s.len());
        assert_eq!(byte_to_utf16(s, 9), 4);
    }

    #[test]
    fn ctrl_u_and_ctrl_k_cut_and_ctrl_y_puts_back() {
        let mut e = Editor { input: "docker volume ls".into(), ..Editor::default() };
        assert_eq!(e.kill_to_start(7), 0);
        assert_eq!((e.input.as_str(), e.killed.as_str()), ("volume ls", "docker "));
        assert_eq!(e.yank(0), 7);
        assert_eq!(e.input, "docker volume ls");
        assert_eq!(e.kill_to_end(13), 13);
        assert_eq!((e.input.as_str(), e.killed.as_str()), ("docker volume", " ls"));
        // Nothing to cut keeps what was cut before.
        assert_eq!(e.kill_to_end(13), 13);
        assert_eq!(e.killed, " ls");
        // A cursor inside a character is moved to its start.
        let mut e = Editor { input: "é".into(), ..Editor::default() };
        assert_eq!(e.kill_to_start(1), 0);
        assert_eq!(e.input, "é");
    }
}
