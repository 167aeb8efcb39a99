//! A command's standard streams: what it reads, and what it writes to stdout and stderr, in
//! the order it wrote them. Transcripts keep stdout then stderr; a terminal shows the writes
//! as they came (the pull's progress before the container's id, an error between two lines).

/// Standard streams of a command.
#[derive(Clone, Debug, Default)]
pub struct Io {
    pub stdin: Vec<u8>,
    /// Stdin is a regular file (`< FILE`), not a pipe or a terminal: its modification time.
    /// GNU wc sizes its columns by such a file; gzip stores its time.
    pub stdin_file: Option<i64>,
    /// Stdout is the terminal (not a pipe or a file): `docker save` and `docker export` refuse
    /// to write an archive there.
    pub stdout_terminal: bool,
    /// Stdout is a pipe into `head`, which reads these lines or bytes and then stops reading.
    pub reader_takes: Option<(Option<u64>, Option<u64>)>,
    pub out: Vec<u8>,
    pub err: Vec<u8>,
    /// The order of the writes: each is the stream (`true`: stderr) and that stream's length
    /// once written. Bytes pushed onto `out` or `err` directly are placed at the next write
    /// made through a method (stdout's before stderr's).
    order: Vec<(bool, usize)>,
    /// When the clock moved on while writing (a `sleep` taken at once): the bytes written on
    /// both streams by then, and the new time. A container's log dates its lines by them.
    times: Vec<(usize, i128)>,
}

/// A run of output on one stream, in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub stderr: bool,
    pub bytes: Vec<u8>,
}

impl Io {
    pub fn with_stdin(stdin: Vec<u8>) -> Io {
        Io { stdin, ..Io::default() }
    }

    /// How much of each stream the order accounts for.
    fn noted(&self) -> (usize, usize) {
        let last = |err: bool| self.order.iter().rev().find(|(e, _)| *e == err).map_or(0, |(_, len)| *len);
        (last(false), last(true))
    }

    /// Places what was pushed directly since the last noted write.
    fn sync(&mut self) {
        let (out, err) = self.noted();
        if self.out.len() > out {
            self.mark(false);
        }
        if self.err.len() > err {
            self.mark(true);
        }
    }

    /// Notes a write on one stream: one more entry, or the last one grown.
    fn mark(&mut self, err: bool) {
        let len = if err { self.err.len() } else { self.out.len() };
        match self.order.last_mut() {
            Some((e, l)) if *e == err => *l = len,
            _ => self.order.push((err, len)),
        }
    }

    pub fn write_out(&mut self, bytes: &[u8]) {
        self.sync();
        self.out.extend_from_slice(bytes);
        self.mark(false);
    }

    pub fn write_err(&mut self, bytes: &[u8]) {
        self.sync();
        self.err.extend_from_slice(bytes);
        self.mark(true);
    }

    pub fn err_line(&mut self, line: &str) {
        self.sync();
        self.err.extend_from_slice(line.as_bytes());
        self.err.push(b'\n');
        self.mark(true);
    }

    pub fn out_str(&mut self, s: &str) {
        self.write_out(s.as_bytes());
    }

    pub fn err_str(&mut self, s: &str) {
        self.write_err(s.as_bytes());
    }

    /// The output as written: runs of one stream, in order.
    pub fn segments(&self) -> Vec<Segment> {
        let mut order = self.order.clone();
        let (out, err) = self.noted();
        if self.out.len() > out {
            order.push((false, self.out.len()));
        }
        if self.err.len() > err {
            order.push((true, self.err.len()));
        }
        let mut segments: Vec<Segment> = Vec::new();
        let (mut at_out, mut at_err) = (0, 0);
        for (stderr, end) in order {
            let (stream, at) = if stderr { (&self.err, &mut at_err) } else { (&self.out, &mut at_out) };
            let bytes = stream.get(*at..end).unwrap_or_default();
            *at = end.max(*at);
            if bytes.is_empty() {
                continue;
            }
            match segments.last_mut() {
                Some(last) if last.stderr == stderr => last.bytes.extend_from_slice(bytes),
                _ => segments.push(Segment { stderr, bytes: bytes.to_vec() }),
            }
        }
        segments
    }

    /// Takes in what a child wrote, in its order, each stream where `to_err` sends it (a
    /// command's `2>&1` sends stderr to stdout).
    /// The clock moved on to `at` here (see `times`).
    pub fn clock_moved(&mut self, at: i128) {
        self.times.push((self.out.len() + self.err.len(), at));
    }

    /// When the clock moved while this was written: bytes written by then, and the time.
    pub fn times(&self) -> &[(usize, i128)] {
        &self.times
    }

    /// The clock moves of `child`, whose output went elsewhere: as of now, here.
    pub fn carry_times(&mut self, child: &Io) {
        let here = self.out.len() + self.err.len();
        self.times.extend(child.times.iter().map(|(_, at)| (here, *at)));
    }

    pub fn append(&mut self, child: &Io, to_err: impl Fn(bool) -> bool) {
        let base = self.out.len() + self.err.len();
        self.times.extend(child.times.iter().map(|(at_byte, at)| (base + at_byte, *at)));
        for s in child.segments() {
            if to_err(s.stderr) {
                self.write_err(&s.bytes);
            } else {
                self.write_out(&s.bytes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(io: &Io) -> Vec<(bool, String)> {
        io.segments().into_iter().map(|s| (s.stderr, String::from_utf8_lossy(&s.bytes).into_owned())).collect()
    }

    #[test]
    fn writes_keep_their_order_and_runs_of_one_stream_merge() {
        let mut io = Io::default();
        io.err_line("Unable to find image 'alpine:latest' locally");
        io.err_line("latest: Pulling from library/alpine");
        io.out_str("3f1a…\n");
        io.err_line("late");
        assert_eq!(
            texts(&io),
            [
                (true, "Unable to find image 'alpine:latest' locally\nlatest: Pulling from library/alpine\n".to_string()),
                (false, "3f1a…\n".to_string()),
                (true, "late\n".to_string()),
            ]
        );
    }

    #[test]
    fn bytes_pushed_directly_are_placed_at_the_next_write() {
        let mut io = Io::default();
        io.out.extend_from_slice(b"a\n");
        io.err_line("e");
        io.out.extend_from_slice(b"b\n");
        assert_eq!(texts(&io), [(false, "a\n".to_string()), (true, "e\n".to_string()), (false, "b\n".to_string())]);
    }

    #[test]
    fn a_child_is_taken_in_its_order_with_stderr_sent_where_asked() {
        let mut child = Io::default();
        child.out_str("1\n");
        child.err_line("2");
        child.out_str("3\n");
        let mut parent = Io::default();
        parent.append(&child, |err| err);
        assert_eq!(texts(&parent), texts(&child));
        // `2>&1`: everything on stdout, in the order written.
        let mut merged = Io::default();
        merged.append(&child, |_| false);
        assert_eq!(merged.out, b"1\n2\n3\n");
        assert!(merged.err.is_empty());
    }
}
