//! What a sleeping main process runs when it wakes. A shell that goes to sleep for longer
//! than the present (`while true; do date >> /data/log; sleep 1; done`) unwinds: each
//! construct it is inside leaves a [`Frame`] saying what comes after the sleep (the rest of a
//! list, the loop again, its redirections). Woken, the shell runs the frames outermost around
//! innermost, as the interpreter would have gone on; a new sleep unwinds into new frames.
//!
//! Architecture invariant: frames hold syntax and values only, never a place in the world: a
//! woken process looks everything up again, as a real one would after its sleep.

use super::ast::{Command, Redir, RedirOp};
use super::frames::Frame;
use super::process::{loop_step, Flow, Shell};
use crate::userland::Io;
use crate::world::World;

/// `cmd` without its redirections (kept by a [`Frame::Redirect`] beside it).
fn bare(cmd: &Command) -> Command {
    let mut cmd = cmd.clone();
    if let Command::While { redirs, .. } = &mut cmd {
        redirs.clear();
    }
    cmd
}

impl Shell {
    /// Records what follows a construct that slept; `None` where the simulation cannot go on
    /// from there (a pipeline, a subshell, a function): the process then sleeps for good.
    pub(super) fn unwound(&mut self, frame: Option<Frame>) {
        match frame {
            Some(f) => self.resume.push(f),
            None => self.resume_broken = true,
        }
    }

    /// The frames for a `while` loop that slept in its condition (`in_cond`) or body.
    pub(super) fn unwound_while(&mut self, cmd: &Command, in_cond: bool) {
        let frame = if in_cond { Frame::WhileCond(bare(cmd)) } else { Frame::While(bare(cmd)) };
        self.resume.push(frame);
    }

    /// The frame for the function call running now (its arguments `args`), which slept.
    pub(super) fn call_frame(&self, args: &[String]) -> Frame {
        let locals = self.locals.last().map_or_else(Vec::new, |shadowed| {
            shadowed.iter().map(|(name, old)| (name.clone(), old.clone(), self.vars.get(name).cloned())).collect()
        });
        Frame::Call { args: args.to_vec(), locals }
    }

    /// The frame for a compound command's redirections that slept: appending from now on;
    /// input redirections cannot be taken up again where they were read to.
    pub(super) fn unwound_redirs(&mut self, redirs: &[Redir]) {
        if redirs.iter().any(|r| matches!(r.op, RedirOp::In | RedirOp::HereDoc)) {
            self.resume_broken = true;
            return;
        }
        let appending = redirs
            .iter()
            .map(|r| {
                let op = match r.op {
                    RedirOp::Out => RedirOp::Append,
                    RedirOp::OutErr => RedirOp::AppendErr,
                    ref other => other.clone(),
                };
                Redir { fd: r.fd, op, target: r.target.clone() }
            })
            .collect();
        self.resume.push(Frame::Redirect(appending));
    }

    /// Goes on after a sleep: runs `frames` (innermost first), the outermost around the
    /// others. A new sleep leaves new frames in [`Shell::resume`].
    pub fn resume_frames(&mut self, world: &mut World, frames: &[Frame], io: &mut Io) -> Flow {
        let Some((outer, inner)) = frames.split_last() else { return Flow::Next };
        if let Frame::Redirect(redirs) = outer {
            let redirs = redirs.clone();
            return self.with_redirs(world, &redirs, io, &mut |sh, world, io| sh.resume_frames(world, inner, io));
        }
        if let Frame::Call { args, locals } = outer {
            // Back inside the call: its arguments and locals, as `dispatch` sets them up.
            let saved = std::mem::replace(&mut self.positional, args.clone());
            let loops = std::mem::take(&mut self.loops);
            self.calls += 1;
            self.locals.push(locals.iter().map(|(name, old, _)| (name.clone(), old.clone())).collect());
            for (name, _, value) in locals {
                match value {
                    Some(v) => self.vars.insert(name.clone(), v.clone()),
                    None => self.vars.remove(name),
                };
            }
            let flow = self.resume_frames(world, inner, io);
            if flow == Flow::Block {
                let frame = self.call_frame(args);
                self.resume.push(frame);
            }
            return self.end_call(saved, loops, flow);
        }
        // What runs inside a loop's frame is in that loop (`break` and `continue` there).
        let is_loop = matches!(outer, Frame::For { .. } | Frame::While(_) | Frame::WhileCond(_));
        self.loops += u32::from(is_loop);
        let flow = self.resume_frames(world, inner, io);
        self.loops -= u32::from(is_loop);
        if flow == Flow::Block {
            // The inner frames slept again: this one still comes after them.
            self.resume.push(outer.clone());
            return flow;
        }
        self.after_frame(world, outer, flow, io)
    }

    /// What `frame` does once what it was waiting for ended with `flow`.
    fn after_frame(&mut self, world: &mut World, frame: &Frame, flow: Flow, io: &mut Io) -> Flow {
        match frame {
            Frame::Exec => match flow {
                Flow::Next => Flow::Exit(self.status),
                other => other,
            },
            Frame::Items { list, from } => match flow {
                Flow::Next => self.run_items_from(world, list, *from, io),
                other => other,
            },
            Frame::AndOr { ao, from } => match flow {
                Flow::Next => self.and_or_rest(world, ao, *from, io),
                other => other,
            },
            Frame::For { var, items, body } => match loop_step(flow) {
                Some(Flow::Next) => self.for_items(world, var, items, body, io),
                Some(other) => other,
                None => Flow::Next,
            },
            Frame::While(cmd) => match loop_step(flow) {
                Some(Flow::Next) => self.run_command(world, cmd, io),
                Some(other) => other,
                None => Flow::Next,
            },
            Frame::WhileCond(cmd) => match flow {
                Flow::Next => self.while_after_cond(world, cmd, io),
                other => other,
            },
            Frame::Subshell => match flow {
                Flow::Next => self.wake_subshell(world, io),
                other => other,
            },
            Frame::Pipeline { rest, bang, held } => match flow {
                Flow::Next => self.wake_pipeline(world, rest, *bang, held.clone(), io),
                other => other,
            },
            // Redirections and calls are taken care of around the frames inside them.
            Frame::Redirect(_) | Frame::Call { .. } => flow,
        }
    }

    /// The subshell that slept goes on in its own shell; its end is a status here.
    fn wake_subshell(&mut self, world: &mut World, io: &mut Io) -> Flow {
        let Some(mut sub) = self.subshells_asleep.pop() else { return Flow::Next };
        sub.wake = None;
        sub.resume_broken = false;
        let frames = std::mem::take(&mut sub.resume);
        let f = sub.resume_frames(world, &frames, io);
        if f == Flow::Block {
            match sub.wake.filter(|_| !sub.resume_broken) {
                Some(wake) => {
                    self.wake = Some(wake);
                    self.subshells_asleep.push(sub);
                    self.resume.push(Frame::Subshell);
                }
                None => self.resume_broken = true,
            }
            return Flow::Block;
        }
        self.status = match f {
            Flow::Exit(c) => c,
            _ => sub.status,
        };
        Flow::Next
    }

    /// The first stage of a pipeline that slept goes on in its own shell; what it writes until
    /// it sleeps again (or ends) passes through the filters after it.
    fn wake_pipeline(&mut self, world: &mut World, rest: &[Command], bang: bool, held: Option<Vec<u8>>, io: &mut Io) -> Flow {
        let Some(mut producer) = self.producers_asleep.pop() else { return Flow::Next };
        producer.wake = None;
        producer.resume_broken = false;
        let frames = std::mem::take(&mut producer.resume);
        let mut written = Io::default();
        let f = producer.resume_frames(world, &frames, &mut written);
        io.write_err(&written.err);
        // Stages that read to the end wait on, holding what it wrote, while it sleeps again.
        if let (Some(mut kept), Flow::Block) = (held.clone(), f) {
            kept.extend_from_slice(&written.out);
            match producer.wake.filter(|_| !producer.resume_broken) {
                Some(wake) => {
                    self.wake = Some(wake);
                    self.producers_asleep.push(producer);
                    self.resume.push(Frame::Pipeline { rest: rest.to_vec(), bang, held: Some(kept) });
                }
                None => self.resume_broken = true,
            }
            return Flow::Block;
        }
        let mut input = match held {
            Some(mut kept) => {
                kept.extend_from_slice(&written.out);
                kept
            }
            None => written.out,
        };
        let last = rest.len().saturating_sub(1);
        for (i, cmd) in rest.iter().enumerate() {
            let mut stage = Io::with_stdin(std::mem::take(&mut input));
            stage.stdout_terminal = i == last && io.stdout_terminal;
            let flow = if i == last { self.run_command(world, cmd, &mut stage) } else { self.clone().run_command(world, cmd, &mut stage) };
            if let Flow::Exit(code) = flow {
                self.status = code;
            }
            if i == last {
                io.append(&stage, |err| err);
            } else {
                io.write_err(&stage.err);
                input = stage.out;
            }
        }
        if f == Flow::Block {
            match producer.wake.filter(|_| !producer.resume_broken) {
                Some(wake) => {
                    self.wake = Some(wake);
                    self.producers_asleep.push(producer);
                    self.resume.push(Frame::Pipeline { rest: rest.to_vec(), bang, held: None });
                }
                None => self.resume_broken = true,
            }
            return Flow::Block;
        }
        if bang {
            self.status = if self.status == 0 { 1 } else { 0 };
        }
        Flow::Next
    }

    /// A `while` loop whose condition just ended: its test, and the loop on from there.
    fn while_after_cond(&mut self, world: &mut World, cmd: &Command, io: &mut Io) -> Flow {
        let Command::While { body, until, .. } = cmd else { return Flow::Next };
        if (self.status == 0) == *until {
            self.status = 0;
            return Flow::Next;
        }
        self.loops += 1;
        let flow = self.run_list(world, body, io);
        self.loops -= 1;
        if flow == Flow::Block {
            self.resume.push(Frame::While(cmd.clone()));
            return flow;
        }
        match loop_step(flow) {
            Some(Flow::Next) => self.run_command(world, cmd, io),
            Some(other) => other,
            None => Flow::Next,
        }
    }
}
