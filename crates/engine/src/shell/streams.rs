//! Pipelines, and how they live in time: a main process's `while …; do date; sleep 1; done | tee -a
//! log` writes its log as it goes (oracle-114). When the stages after the first are filters
//! that pass each line on as it comes, running them again on what the first stage wrote since
//! its last sleep is what a real pipe would have done; taken up again, they append where they
//! wrote (`tee -a`, `>>`). When they read to the end before they write (`sort`, `wc`), they run
//! once, when the first stage ended, on all it wrote (oracle-122).

use super::ast::{Command, Part, Pipeline, RedirOp, Simple};
use super::frames::Frame;
use super::process::{Flow, Shell};
use crate::userland::Io;
use crate::world::World;

/// How far on a pipeline's stages may sleep at once (see `run_pipeline`).
const PIPELINE_HORIZON: i128 = 10_000_000_000;
/// A wake-up no learner waits for: a year on.
const SLEEPS_FOR_GOOD: i128 = 365 * 86_400 * 1_000_000_000;

impl Shell {
    /// `A | B | …`: each stage but the last in a subshell, each reading what the one before
    /// wrote; in a main process, in time (see the module's comment).
    pub(super) fn run_pipeline(&mut self, world: &mut World, p: &Pipeline, io: &mut Io) -> Flow {
        let mut flow = Flow::Next;
        if p.commands.len() == 1 {
            flow = self.run_command(world, &p.commands[0], io);
        } else {
            // A main process (or a job) cannot be taken up again inside a pipeline: its stages
            // run in their own time, their sleeps taken at once up to ten seconds on, and the
            // shell then sleeps until the pipeline ended (oracle-114). A stage still asleep
            // after that sleeps for good, and so does the shell.
            // One whose later stages are filters passing lines on as they come lives in time
            // instead: its first stage sleeps and wakes, the filters read what it writes.
            let main = self.main_process && !self.in_job && self.ctx.ns != crate::vfs::Ns::Host;
            let streaming = main && world.awake_until().is_some() && p.commands[1..].iter().all(is_filter);
            // One whose later stages read to the end before they write (`| wc -l`, `| sort`)
            // lives in time too: they read, once it ended, everything its first stage wrote.
            let collecting =
                main && !streaming && world.awake_until().is_some() && p.commands[1..].iter().all(|c| is_filter(c) || is_collector(c));
            let mut producer: Option<Shell> = None;
            let timed = world.awake_until().filter(|_| !streaming && !collecting && (self.in_job || main));
            let started = world.clock().nanos;
            let before = timed.map(|until| world.set_awake_until(Some(until.max(started) + PIPELINE_HORIZON)));
            let mut asleep = false;
            // The stages start together: the files the later ones write to are made (and
            // emptied) before the first one reads or lists anything (`cat f | sort > f`
            // empties f; `ls | cat > list` lists list).
            for cmd in &p.commands[1..] {
                self.open_outputs(world, cmd, io);
            }
            let mut input = std::mem::take(&mut io.stdin);
            let last = p.commands.len() - 1;
            // `set -o pipefail`: the last failing stage's status, if any failed.
            let mut failed = 0;
            // Every stage runs in a subshell in bash: `$_` stays what it was.
            let underscore = self.vars.get("_").cloned();
            for (i, cmd) in p.commands.iter().enumerate() {
                let mut stage = Io::with_stdin(std::mem::take(&mut input));
                // Only the last stage writes where the pipeline does.
                stage.stdout_terminal = i == last && io.stdout_terminal;
                stage.reader_takes = p.commands.get(i + 1).and_then(head_takes);
                // Every stage but the last runs in a subshell.
                let mut sub = self.clone();
                let f = if i == last { self.run_command(world, cmd, &mut stage) } else { sub.run_command(world, cmd, &mut stage) };
                if f == Flow::Block && i == 0 && (streaming || collecting) && sub.wake.is_some() && !sub.resume_broken {
                    producer = Some(sub.clone());
                    if collecting {
                        // The others wait for the end of what it writes.
                        io.write_err(&stage.err);
                        input = stage.out;
                        break;
                    }
                } else if f == Flow::Block {
                    // A stage that sleeps for good: the pipeline cannot be taken up again.
                    self.unwound(None);
                    asleep = true;
                }
                if i == last {
                    io.append(&stage, |err| err);
                    flow = if matches!(f, Flow::Exit(_)) && self.depth > 0 { f } else { Flow::Next };
                    if let Flow::Exit(code) = f {
                        self.status = code;
                    }
                    if self.options.pipefail && self.status == 0 {
                        self.status = failed;
                    }
                    if let Some(u) = &underscore {
                        self.vars.insert("_".into(), u.clone());
                    }
                } else {
                    io.write_err(&stage.err);
                    input = stage.out;
                    let status = if let Flow::Exit(code) = f { code } else { sub.status };
                    if status != 0 {
                        failed = status;
                    }
                }
            }
            if let Some(producer) = producer {
                self.wake = producer.wake;
                self.producers_asleep.push(producer);
                let (rest, held) = if collecting {
                    // Their processes started with the pipeline: the files they write to exist
                    // (made above).
                    (p.commands[1..].to_vec(), Some(input))
                } else {
                    (p.commands[1..].iter().map(continued).collect(), None)
                };
                self.resume.push(Frame::Pipeline { rest, bang: p.bang, held });
                return Flow::Block;
            }
            if let Some(before) = before {
                let until = world.set_awake_until(before).unwrap_or(started);
                let ended = world.clock().nanos;
                let present = before.unwrap_or(started);
                if p.bang {
                    self.status = if self.status == 0 { 1 } else { 0 };
                }
                if asleep || ended > present {
                    // Back at the present, the shell sleeps until the pipeline's end (for good
                    // when a stage still sleeps).
                    world.set_clock(started.max(ended.min(present)));
                    let at = if asleep { until.max(ended).saturating_add(SLEEPS_FOR_GOOD) } else { ended };
                    self.wake = Some(super::frames::Wake { at, waiting: false });
                    return Flow::Block;
                }
                return flow;
            }
        }
        if p.bang {
            self.status = if self.status == 0 { 1 } else { 0 };
        }
        flow
    }
}

/// The programs that pass their input on line by line without keeping anything across lines.
const FILTERS: [&str; 10] = ["cat", "tee", "grep", "egrep", "fgrep", "sed", "cut", "tr", "ts", "stdbuf"];

/// Whether `cmd` is such a filter: a simple command naming one, without the options that make
/// it wait for the end of its input (`grep -c`, `-l`, `-L`, `-q`; sed's `$` address or `q`).
pub(super) fn is_filter(cmd: &Command) -> bool {
    let Command::Simple(s) = cmd else { return false };
    let words: Vec<String> = s.words.iter().map(|w| literal(w).unwrap_or_default()).collect();
    let Some(program) = words.first().map(|w| w.rsplit('/').next().unwrap_or("").to_string()) else { return false };
    if !FILTERS.contains(&program.as_str()) || s.words.iter().any(|w| literal(w).is_none()) {
        return false;
    }
    let options: Vec<&String> = words[1..].iter().filter(|w| w.starts_with('-')).collect();
    match program.as_str() {
        "grep" | "egrep" | "fgrep" => !options.iter().any(|o| o.chars().skip(1).any(|c| matches!(c, 'c' | 'l' | 'L' | 'q' | 'm'))),
        "sed" => !words[1..].iter().any(|w| w.contains('$') || w.contains('q') || w.starts_with("-i")),
        _ => true,
    }
}

impl Shell {
    /// The files a waiting stage's output redirections name, made (or emptied) as its
    /// process started: it writes to them only when it has read to the end.
    fn open_outputs(&mut self, world: &mut World, cmd: &Command, io: &mut Io) {
        let Command::Simple(s) = cmd else { return };
        for r in &s.redirs {
            let mode = match r.op {
                RedirOp::Out | RedirOp::OutErr => crate::vfs::WriteMode::Truncate,
                RedirOp::Append | RedirOp::AppendErr => crate::vfs::WriteMode::Append,
                _ => continue,
            };
            let Ok(path) = self.expand_single(world, &r.target, io) else { continue };
            // A redirection that fails is told when the stage runs.
            let _ = world.write_file(&self.ctx, &path, &crate::fs::Data::empty(), mode);
        }
    }
}

/// The programs that read all their input before they write what they make of it: in a
/// pipeline that lives in time they run once, when its first stage ended (not `head`, which
/// would end the pipeline early).
const COLLECTORS: [&str; 18] = [
    "wc",
    "sort",
    "uniq",
    "tac",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "cksum",
    "gzip",
    "bzip2",
    "xz",
    "lzma",
    "od",
    "base64",
    "nl",
    "awk",
    "xxd",
];

/// Whether `cmd` is a simple command naming one of [`COLLECTORS`].
pub(super) fn is_collector(cmd: &Command) -> bool {
    let Command::Simple(s) = cmd else { return false };
    let program = s.words.first().and_then(|w| literal(w)).map(|w| w.rsplit('/').next().unwrap_or("").to_string());
    program.is_some_and(|p| COLLECTORS.contains(&p.as_str()))
}

/// What `head` after a stage will read of it: `Some((lines, bytes))`, one of them set, when
/// the stage is piped into `head -n N`, `head -N` or `head -c N` with a plain number. An
/// endless writer (`yes`) writes that much, not just a pipe's worth.
pub(super) fn head_takes(cmd: &Command) -> Option<(Option<u64>, Option<u64>)> {
    let Command::Simple(s) = cmd else { return None };
    let words: Vec<String> = s.words.iter().map(|w| literal(w)).collect::<Option<_>>()?;
    if words.first().map(|w| w.rsplit('/').next().unwrap_or("")) != Some("head") {
        return None;
    }
    let mut taken = (Some(10), None);
    let mut i = 1;
    while let Some(w) = words.get(i) {
        let next = words.get(i + 1).and_then(|v| v.parse().ok());
        if w == "-n" || w == "--lines" {
            taken = (Some(next?), None);
            i += 1;
        } else if w == "-c" || w == "--bytes" {
            taken = (None, Some(next?));
            i += 1;
        } else if let Some(n) = w.strip_prefix("--lines=").or_else(|| w.strip_prefix("-n")) {
            taken = (Some(n.parse().ok()?), None);
        } else if let Some(n) = w.strip_prefix("--bytes=").or_else(|| w.strip_prefix("-c")) {
            taken = (None, Some(n.parse().ok()?));
        } else if let Some(n) = w.strip_prefix('-').filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
            taken = (Some(n.parse().ok()?), None);
        } else if w.starts_with('-') {
            return None;
        }
        i += 1;
    }
    Some(taken)
}

/// A filter as it is taken up again after a sleep: `tee` appending, `>` as `>>`.
pub(super) fn continued(cmd: &Command) -> Command {
    let Command::Simple(s) = cmd else { return cmd.clone() };
    let mut s: Simple = s.clone();
    let words: Vec<String> = s.words.iter().map(|w| literal(w).unwrap_or_default()).collect();
    let is_tee = words.first().is_some_and(|w| w.rsplit('/').next() == Some("tee"));
    if is_tee && !words.iter().any(|w| w == "-a" || w == "--append" || (w.starts_with('-') && !w.starts_with("--") && w.contains('a'))) {
        s.words.insert(1, vec![Part::Lit { text: "-a".into(), quoted: false }]);
    }
    for r in &mut s.redirs {
        r.op = match r.op {
            RedirOp::Out => RedirOp::Append,
            RedirOp::OutErr => RedirOp::AppendErr,
            ref other => other.clone(),
        };
    }
    Command::Simple(s)
}

/// A word's text when it is plain literal text (no expansion to run).
fn literal(word: &[Part]) -> Option<String> {
    let mut text = String::new();
    for part in word {
        match part {
            Part::Lit { text: t, .. } => text.push_str(t),
            _ => return None,
        }
    }
    Some(text)
}
