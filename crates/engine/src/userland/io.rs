//! A command's standard streams: what it reads, and what it writes to stdout and stderr.

/// Standard streams of a command.
#[derive(Clone, Debug, Default)]
pub struct Io {
    pub stdin: Vec<u8>,
    pub out: Vec<u8>,
    pub err: Vec<u8>,
    /// Which stream was written first (`true`: stderr), as far as the writes show it: a
    /// terminal shows that one first ("Unable to find image…" and the pull before the id).
    first_err: Option<bool>,
}

impl Io {
    pub fn with_stdin(stdin: Vec<u8>) -> Io {
        Io { stdin, ..Io::default() }
    }
    /// Notes which stream went first, before a write to `err` (or stdout).
    fn note(&mut self, err: bool) {
        if self.first_err.is_none() {
            self.first_err = if !self.out.is_empty() {
                Some(false)
            } else if !self.err.is_empty() {
                Some(true)
            } else {
                Some(err)
            };
        }
    }
    pub fn err_line(&mut self, line: &str) {
        self.note(true);
        self.err.extend_from_slice(line.as_bytes());
        self.err.push(b'\n');
    }
    pub fn out_str(&mut self, s: &str) {
        self.note(false);
        self.out.extend_from_slice(s.as_bytes());
    }
    pub fn err_str(&mut self, s: &str) {
        self.note(true);
        self.err.extend_from_slice(s.as_bytes());
    }
    /// Whether stderr came first (a terminal's order; transcripts keep stdout then stderr).
    pub fn stderr_first(&self) -> bool {
        match self.first_err {
            Some(first) => first && !self.err.is_empty(),
            None => self.out.is_empty() && !self.err.is_empty(),
        }
    }
    /// Takes in what a command wrote to the terminal, keeping which stream came first.
    pub fn take_from(&mut self, child: &Io) {
        if self.out.is_empty() && self.err.is_empty() && self.first_err.is_none() && (!child.out.is_empty() || !child.err.is_empty()) {
            self.first_err = Some(child.stderr_first());
        }
    }
}
