//! Jobs sent to the background with `&`. The simulation runs a job at once, in a subshell, and
//! keeps what it wrote until something waits for it (`wait`) or the shell ends: the job is
//! taken to still be running until then, as a job of a real shell usually is while the next
//! commands run (`sleep 1 & echo started` prints `started` first). `$!` is its pid; `jobs`
//! lists the jobs; `fg` and `bg` need job control, which `bash -c` has not (oracle-83). A
//! job that can be taken up again lives in time: it runs to its first sleep past the present
//! and wakes as its shell sleeps or waits (oracle-103), or with the main process it belongs to
//! (`sleepers.rs`, oracle-101).

use super::ast::{AndOr, Command, List};
use super::process::{Flow, Job};
use super::Shell;
use crate::userland::Io;
use crate::vfs::Ns;
use crate::world::World;

/// How long a main process's job runs on its own before it is taken as sleeping for good.
const JOB_HORIZON: i128 = 10_000_000_000;

/// Runs `item` as a background job: in a subshell, with no input, its output kept.
pub(super) fn start(sh: &mut Shell, world: &mut World, item: &AndOr, text: &str, out: &mut Io) -> Flow {
    let mut sub = sh.clone();
    sub.jobs.clear();
    // A job runs in its own time; the shell goes on from the moment it was started. One that
    // can be taken up again sleeps from its first sleep past the present, and wakes with its
    // shell (`advance`) or its main process (`sleepers.rs`). Another (a pipeline) runs at once:
    // a main process's lives its first ten seconds so, then sleeps for good.
    sub.in_job = true;
    sub.main_process = sh.main_process && world.awake_until().is_some();
    let resumable = resumable(item);
    let started = world.clock().nanos;
    let horizon = if resumable { 0 } else { JOB_HORIZON };
    let awake = (sub.main_process || resumable).then(|| world.set_awake_until(Some(started + horizon)));
    let mut io = Io::default();
    let flow = sub.run_and_or(world, item, false, &mut io);
    if let Some(awake) = awake {
        world.set_awake_until(awake);
    }
    let status = match flow {
        Flow::Exit(code) | Flow::Return(code) => code,
        _ => sub.status,
    };
    let mut parked = None;
    let ends_at = match (flow, sub.wake) {
        // Its last act was the sleep: it ends with it.
        (Flow::Block, Some(wake)) if sub.resume.is_empty() && !sub.resume_broken => wake.at,
        (Flow::Block, Some(_)) if !sub.resume_broken => {
            parked = Some(Box::new(sub));
            i128::MAX
        }
        (Flow::Block, _) => i128::MAX,
        _ => world.clock().nanos,
    };
    world.set_clock(started);
    let pid = match &sh.ctx.ns {
        Ns::Container(id) => world.fork_pid(id),
        // The host's pids are its own: a job's follows the last job's, above the shell's (4242).
        Ns::Host => sh.last_background.map_or(4300, |pid| pid + 1),
    };
    let number = sh.jobs.last().map_or(1, |j| j.number + 1);
    // A job that lives on beside the main process writes where it does, as it goes.
    if parked.is_some() && sh.main_process {
        out.append(&io, |err| err);
        io = Io::default();
    }
    sh.jobs.push(Job { number, pid, text: text.to_string(), out: io.out, err: io.err, status, ends_at, parked });
    sh.last_background = Some(pid);
    // Starting a job succeeds.
    sh.status = 0;
    Flow::Next
}

/// Whether a job's commands can all be taken up again after a sleep (no pipeline of several
/// commands, no `for (( ))` or `select`).
fn resumable(item: &AndOr) -> bool {
    fn list(l: &List) -> bool {
        l.items.iter().all(|(ao, _)| resumable(ao))
    }
    fn command(c: &Command) -> bool {
        match c {
            Command::Simple(_) | Command::Arith { .. } | Command::Cond { .. } | Command::Function { .. } => true,
            Command::If { branches, otherwise, .. } => {
                branches.iter().all(|(c, b)| list(c) && list(b)) && otherwise.as_ref().is_none_or(list)
            }
            Command::For { body, .. } | Command::Group { body, .. } | Command::Subshell { body, .. } => list(body),
            Command::While { cond, body, .. } => list(cond) && list(body),
            Command::Case { arms, .. } => arms.iter().all(|(_, b)| list(b)),
            Command::ArithFor { .. } | Command::Select { .. } => false,
        }
    }
    std::iter::once(&item.first).chain(item.rest.iter().map(|(_, p)| p)).all(|p| p.commands.len() == 1 && p.commands.iter().all(command))
}

/// The jobs asleep whose time has come (by `until`) go on, each until it sleeps past it or
/// ends. With `keep`, what they write waits in the job (a shell's, for `wait`); otherwise it is
/// returned (a main process's jobs write its log as they go). The clock ends at `until`.
pub(super) fn advance(world: &mut World, sh: &mut Shell, until: i128, keep: bool) -> Io {
    let mut written = Io::default();
    let awake = world.set_awake_until(Some(until));
    for k in 0..sh.jobs.len() {
        let Some(wake) = sh.jobs[k].parked.as_ref().and_then(|s| s.wake).filter(|w| w.at <= until) else { continue };
        let Some(mut job) = sh.jobs[k].parked.take() else { continue };
        world.set_clock(wake.at);
        job.wake = None;
        job.resume_broken = false;
        let frames = std::mem::take(&mut job.resume);
        let mut io = Io::default();
        let flow = job.resume_frames(world, &frames, &mut io);
        let entry = &mut sh.jobs[k];
        if keep {
            entry.out.extend_from_slice(&io.out);
            entry.err.extend_from_slice(&io.err);
        } else {
            written.append(&io, |err| err);
        }
        match flow {
            Flow::Block if job.wake.is_some() && !job.resume_broken => entry.parked = Some(job),
            // Asleep where it cannot be taken up again: for good.
            Flow::Block => {}
            Flow::Exit(code) | Flow::Return(code) => {
                entry.status = code;
                entry.ends_at = world.clock().nanos;
            }
            _ => {
                entry.status = job.status;
                entry.ends_at = world.clock().nanos;
            }
        }
    }
    world.set_awake_until(awake);
    world.set_clock(until.max(world.clock().nanos));
    written
}

/// A shell's jobs asleep live until they end (within the hour), time passing for them alone:
/// the clock is back where it was.
fn finish(world: &mut World, sh: &mut Shell, waited: &[usize]) -> i128 {
    let start = world.clock().nanos;
    let limit = start + 3_600_000_000_000;
    while let Some(next) = waited.iter().filter_map(|&k| sh.jobs.get(k)?.parked.as_ref()?.wake).map(|w| w.at).min() {
        if next > limit {
            break;
        }
        world.set_clock(next.max(world.clock().nanos));
        advance(world, sh, next, true);
    }
    let end = waited.iter().filter_map(|&k| sh.jobs.get(k)).filter(|j| j.parked.is_none()).map(|j| j.ends_at).max().unwrap_or(start);
    world.set_clock(start);
    end
}

/// What the jobs wrote, in the order they ended; they are done. A shell that is not a
/// container's main process lets its jobs asleep end first; when the shell itself ends
/// (`ending`), they go on without it: what they do still happens, what they write after its
/// end reaches no one (oracle-103).
pub(super) fn flush(sh: &mut Shell, world: &mut World, io: &mut Io, ending: bool) {
    // Every line on the host ends here: most have no job.
    if sh.jobs.is_empty() {
        return;
    }
    if !sh.main_process {
        let written: Vec<(usize, usize)> = sh.jobs.iter().map(|j| (j.out.len(), j.err.len())).collect();
        let all: Vec<usize> = (0..sh.jobs.len()).collect();
        finish(world, sh, &all);
        if ending {
            for (job, (out, err)) in sh.jobs.iter_mut().zip(written) {
                job.out.truncate(out);
                job.err.truncate(err);
            }
        }
    }
    let mut jobs = std::mem::take(&mut sh.jobs);
    jobs.sort_by_key(|j| j.ends_at);
    for job in jobs {
        io.write_out(&job.out);
        io.write_err(&job.err);
    }
}

/// `wait [%N | PID]…`: every job, or those named; the status of the last named. Time passes
/// until they end; a container's main process sleeps until then (`None`: see `resume.rs`),
/// where a signal it traps can wake it.
pub(super) fn wait(sh: &mut Shell, world: &mut World, args: &[String], io: &mut Io) -> Option<i32> {
    let waited: Vec<usize> = if args.is_empty() { (0..sh.jobs.len()).collect() } else { args.iter().filter_map(|a| find(sh, a)).collect() };
    // A shell's jobs asleep live to their end while it waits (its clock with them).
    if !sh.main_process {
        let end = finish(world, sh, &waited);
        world.set_clock(end.max(world.clock().nanos));
    }
    let ends_at = waited.iter().filter_map(|&k| sh.jobs.get(k)).map(|j| j.ends_at).max().unwrap_or(i128::MIN);
    if ends_at > world.clock().nanos {
        if sh.main_process && matches!(sh.ctx.ns, Ns::Container(_)) && world.awake_until().is_some_and(|until| ends_at > until) {
            sh.wake = Some(super::frames::Wake { at: ends_at, waiting: true });
            return None;
        }
        world.set_clock(ends_at);
    }
    Some(wait_now(sh, world, args, io))
}

/// `wait` once the jobs it waits for have ended: what they wrote, their status.
pub(super) fn wait_now(sh: &mut Shell, world: &mut World, args: &[String], io: &mut Io) -> i32 {
    if args.is_empty() {
        flush(sh, world, io, false);
        return 0;
    }
    let mut status = 0;
    for a in args {
        match find(sh, a) {
            Some(k) => {
                let job = sh.jobs.remove(k);
                io.write_out(&job.out);
                io.write_err(&job.err);
                status = job.status;
            }
            None if a.starts_with('%') => {
                io.err_line(&format!("{}wait: {a}: no such job", sh.err_prefix()));
                status = 127;
            }
            None => {
                io.err_line(&format!("{}wait: pid {a} is not a child of this shell", sh.err_prefix()));
                status = 127;
            }
        }
    }
    status
}

/// The job `%N` (`%%` and `%+`: the current one, the last started) or the pid names, if it is
/// one.
pub(super) fn find(sh: &Shell, target: &str) -> Option<usize> {
    match target.strip_prefix('%') {
        Some("%" | "+") => sh.jobs.len().checked_sub(1),
        Some(n) => sh.jobs.iter().position(|j| n.parse::<usize>().ok() == Some(j.number)),
        None => sh.jobs.iter().position(|j| target.parse::<u32>().ok() == Some(j.pid)),
    }
}

/// `jobs [-l]`: each job, `+` on the last started and `-` on the one before.
pub(super) fn list(sh: &Shell, args: &[String], io: &mut Io) -> i32 {
    let long = args.iter().any(|a| a == "-l");
    let count = sh.jobs.len();
    for (k, job) in sh.jobs.iter().enumerate() {
        let mark = if k + 1 == count {
            '+'
        } else if k + 2 == count {
            '-'
        } else {
            ' '
        };
        let pid = if long { format!("{} ", job.pid) } else { String::new() };
        io.out_str(&format!("[{}]{mark}  {pid}{:<24}{} &\n", job.number, "Running", job.text));
    }
    0
}

/// `fg` and `bg`: a shell without job control (`bash -c`, a script) refuses them.
pub(super) fn no_job_control(sh: &Shell, name: &str, io: &mut Io) -> i32 {
    io.err_line(&format!("{}{name}: no job control", sh.err_prefix()));
    1
}
