//! Main processes that live on between the commands typed: the sleepers `resident.rs` parks
//! wake at their time and go on where they stopped (`resume.rs`), writing their log and their
//! files as they go. So a ticking logger keeps ticking into its volume, `docker stop` gives a
//! shell that traps TERM the moment its sleep ends, and one that does not the full timeout;
//! a main process that ends by itself may be started again by its restart policy (oracle-87,
//! oracle-88, oracle-89).
//!
//! Architecture invariant: time only moves forward for the learner: a sleeper woken runs at its
//! own times (so `date` in it tells them), and the clock is back at the present afterwards.

use super::process::{Flow, Services, Shell};
use super::resident::{note_signal, park, Signalled};
use crate::userland::{Exit, Io};
use crate::world::{ContainerId, Sleeper, SleepingProcess, Status, World, STEP_BUDGET};

/// A container about to be started again by its restart policy, with what its main process
/// needs to run (the services its programs may be).
#[derive(Clone, Debug)]
struct Restart {
    services: Option<Services>,
}

impl SleepingProcess for Restart {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn clone_box(&self) -> Box<dyn SleepingProcess> {
        Box::new(self.clone())
    }
    fn handles(&self, _signal: &str) -> bool {
        false
    }
}

/// Runs container `id`'s main process (the daemon has started the container): it runs until it
/// sleeps past the present, then lives on here. Returns what it wrote so far and `Some(exit)`
/// if it ended.
pub fn start_main(world: &mut World, id: &ContainerId, stdin: Vec<u8>, services: Option<Services>) -> (Io, Option<i32>) {
    let Some(argv) = world.container(id).map(|c| std::iter::once(c.path.clone()).chain(c.args.iter().cloned()).collect::<Vec<_>>()) else {
        return (Io::default(), Some(1));
    };
    let Ok(mut sh) = super::container_shell(world, id, None, None, &[]) else { return (Io::default(), Some(1)) };
    if let Some(c) = world.container_mut(id) {
        c.main_cred = Some(sh.ctx.cred.clone());
    }
    sh.services = services;
    sh.main_process = true;
    sh.depth = 1;
    sh.launch_pid = Some(1);
    let mut io = Io::with_stdin(stdin);
    let env = sh.env_list();
    let now = world.clock().nanos;
    let awake = world.set_awake_until(Some(now));
    let exit = super::exec(world, &mut sh, &argv, &env, &mut io);
    world.set_awake_until(awake);
    // The process may have removed its own container (`docker rm -f` from inside).
    if world.container(id).is_none() {
        return (io, Some(0));
    }
    let io = through_terminal(world, id, io);
    keep_log(world, id, &io, now);
    match exit {
        Exit::Block => {
            park(world, sh);
            (io, None)
        }
        Exit::Code(code) => {
            ended(world, id, code, services);
            (io, Some(code))
        }
    }
}

/// The main process ended by itself with `code`: the container stops, and its restart policy
/// may have the daemon start it again, after a delay that doubles at each quick restart (100 ms
/// first, and again once a run lasted ten seconds; a minute at most), counted in
/// `RestartCount` when it is decided (oracle-89).
fn ended(world: &mut World, id: &ContainerId, code: i32, services: Option<Services>) {
    crate::daemon::container::stop_container(world, id, code);
    let now = world.clock().nanos;
    let Some(c) = world.container_mut(id) else { return };
    if c.stop_requested || !c.host.restart.restarts(code, c.restart_count) {
        return;
    }
    let ran = now - c.started_at.unwrap_or(now);
    let delay = if ran >= 10_000_000_000 || c.restart_delay_ms == 0 { 100 } else { (c.restart_delay_ms * 2).min(60_000) };
    c.restart_delay_ms = delay;
    c.restart_count += 1;
    let wake_at = now + i128::from(delay) * 1_000_000;
    c.sleeper = Some(Sleeper { wake_at, wakes_on_signal: false, pending: Vec::new(), process: Box::new(Restart { services }) });
}

/// The restart policy's time has come: the daemon starts the container and its main process.
fn restart(world: &mut World, id: &ContainerId, services: Option<Services>) {
    if crate::daemon::container::start_container(world, id, &|_| None).is_ok() {
        start_main(world, id, Vec::new(), services);
    }
}

/// The most times one sleeper wakes for one step of the clock; past them, it misses the rest
/// (a loop of `sleep 0.01` over an hour of the learner's time).
const MOST_WAKES: u32 = 1000;

/// Wakes every sleeper whose time has come, each up to the present, in the order the
/// containers were made. Not while one is running (its own commands come here too).
/// `docker exec -d`: `argv` runs in `sh` to its first sleep past the present; asleep, it
/// waits in its container's `execs` for [`catch_up`].
pub fn start_exec(world: &mut World, mut sh: Shell, argv: &[String], env: &[String]) {
    sh.main_process = true;
    sh.detached_exec = true;
    let now = world.clock().nanos;
    let awake = world.set_awake_until(Some(now));
    let mut io = Io::default();
    let exit = super::exec(world, &mut sh, argv, env, &mut io);
    world.set_awake_until(awake);
    if exit == Exit::Block {
        park(world, sh);
    }
}

/// Container `id`'s exec'd processes asleep wake, each at its own time, until `until`.
fn run_execs_until(world: &mut World, id: &ContainerId, until: i128) {
    for _ in 0..MOST_WAKES {
        let Some(c) = world.container_mut(id) else { return };
        let Some(k) = (0..c.execs.len()).filter(|k| c.execs[*k].wake_at <= until).min_by_key(|k| c.execs[*k].wake_at) else { return };
        let sleeper = c.execs.remove(k);
        let Some(mut sh) = sleeper.process.as_any().downcast_ref::<Shell>().cloned() else { continue };
        world.set_clock(sleeper.wake_at);
        let awake = world.set_awake_until(Some(until));
        let budget = world.swap_budget((STEP_BUDGET, false));
        sh.wake = None;
        sh.resume_broken = false;
        let frames = std::mem::take(&mut sh.resume);
        let flow = sh.resume_frames(world, &frames, &mut Io::default());
        world.swap_budget(budget);
        world.set_awake_until(awake);
        if flow == Flow::Block {
            park(world, sh);
        }
    }
}

pub fn catch_up(world: &mut World) {
    if world.awake_until().is_some() {
        return;
    }
    let now = world.clock().nanos;
    // The processes `docker exec -d` left asleep go on too.
    let with_execs: Vec<ContainerId> =
        world.containers().iter().filter(|c| c.execs.iter().any(|s| s.wake_at <= now)).map(|c| c.id.clone()).collect();
    for id in with_execs {
        run_execs_until(world, &id, now);
    }
    world.set_clock(now.max(world.clock().nanos));
    let due_now = |s: &Sleeper| s.wake_at <= now || s.signalled();
    let due: Vec<ContainerId> =
        world.containers().iter().filter(|c| c.sleeper.as_ref().is_some_and(due_now)).map(|c| c.id.clone()).collect();
    if due.is_empty() {
        return;
    }
    for id in due {
        run_until(world, &id, now);
    }
    world.set_clock(now.max(world.clock().nanos));
}

/// Container `id`'s main process lives on until `until`: it wakes each time its sleep ends
/// (or at once, waiting in `wait`, for a signal it traps). The clock is left at its last
/// wake-up, or where it ended.
pub fn run_until(world: &mut World, id: &ContainerId, until: i128) {
    for _ in 0..MOST_WAKES {
        let Some(c) = world.container(id).filter(|c| (c.status == Status::Running && !c.paused) || c.restarting()) else { return };
        let Some(s) = &c.sleeper else { return };
        let signalled = s.signalled();
        if s.wake_at > until && !signalled {
            return;
        }
        let at = if signalled { world.clock().nanos } else { s.wake_at };
        let Some(sleeper) = world.container_mut(id).and_then(|c| c.sleeper.take()) else { return };
        world.set_clock(at);
        wake(world, id, sleeper, signalled, until);
    }
    // Woken too often: the rest of the time goes by without it.
    if let Some(s) = world.container_mut(id).and_then(|c| c.sleeper.as_mut()) {
        s.wake_at = s.wake_at.max(until);
    }
}

/// The sleeper goes on: a `wait` ends (its jobs done, or a trapped signal: 128 + its number),
/// the traps of the signals sent run, then what comes after the sleep, until it sleeps
/// past `until` or ends.
fn wake(world: &mut World, id: &ContainerId, sleeper: Sleeper, signalled: bool, until: i128) {
    if let Some(r) = sleeper.process.as_any().downcast_ref::<Restart>() {
        let awake = world.set_awake_until(Some(until));
        restart(world, id, r.services);
        world.set_awake_until(awake);
        return;
    }
    let Some(mut sh) = sleeper.process.as_any().downcast_ref::<Shell>().cloned() else { return };
    let at = world.clock().nanos;
    let awake = world.set_awake_until(Some(until));
    let budget = world.swap_budget((STEP_BUDGET, false));
    // Its jobs due now go on first; the main process itself may not be due yet.
    advance_jobs(world, id, &mut sh, at);
    world.set_clock(at);
    let jobs_done = sh.jobs.iter().all(|j| j.parked.is_none() && j.ends_at <= at);
    let due = signalled || sh.wake.is_some_and(|w| w.at <= at) || (sleeper.wakes_on_signal && jobs_done);
    if !due {
        world.swap_budget(budget);
        world.set_awake_until(awake);
        let pending = sleeper.pending;
        park(world, sh);
        if let Some(s) = world.container_mut(id).and_then(|c| c.sleeper.as_mut()) {
            s.pending = pending;
        }
        return;
    }
    sh.wake = None;
    let frames = std::mem::take(&mut sh.resume);
    sh.resume_broken = false;
    let mut io = Io::default();
    if sleeper.wakes_on_signal {
        if signalled {
            let number = sleeper.pending.iter().find_map(|p| super::traps::number(p).filter(|_| sh.traps.contains_key(p)));
            sh.status = 128 + number.unwrap_or(0) as i32;
        } else {
            sh.status = super::jobs::wait_now(&mut sh, world, &[], &mut io);
        }
    }
    let mut flow = Flow::Next;
    for signal in &sleeper.pending {
        if let Some(action) = sh.traps.get(signal).cloned() {
            let status = sh.status;
            match sh.run_action(world, &action, &mut io) {
                Flow::Exit(code) => {
                    flow = Flow::Exit(code);
                    break;
                }
                _ => sh.status = status,
            }
        }
    }
    if flow == Flow::Next {
        flow = sh.resume_frames(world, &frames, &mut io);
    }
    let end = match flow {
        Flow::Block => None,
        Flow::Exit(code) | Flow::Return(code) => Some(code),
        Flow::Next | Flow::Break(_) | Flow::Continue(_) => Some(sh.status),
    };
    let code = end.map(|code| {
        super::jobs::flush(&mut sh, world, &mut io, true);
        sh.exit_with_trap(world, code, &mut io)
    });
    world.swap_budget(budget);
    world.set_awake_until(awake);
    let io = through_terminal(world, id, io);
    keep_log(world, id, &io, at);
    match code {
        None => park(world, sh),
        Some(code) => {
            ended(world, id, code, sh.services);
            if world.container(id).is_some_and(|c| c.host.auto_remove) {
                crate::daemon::container::remove_container(world, id, true);
            }
        }
    }
}

/// The main process's jobs asleep whose time has come go on (`while …; sleep 1; done &`),
/// writing the container's log.
fn advance_jobs(world: &mut World, id: &ContainerId, sh: &mut Shell, at: i128) {
    let written = super::jobs::advance(world, sh, at, false);
    let written = through_terminal(world, id, written);
    keep_log(world, id, &written, at);
}

/// A container with a terminal (`-t`): its process writes both streams to the pty, whose
/// line discipline ends each line with a carriage return (oracle-144).
fn through_terminal(world: &World, id: &ContainerId, io: Io) -> Io {
    if !world.container(id).is_some_and(|c| c.tty) {
        return io;
    }
    let mut out = Io::default();
    for segment in io.segments() {
        let text = String::from_utf8_lossy(&segment.bytes).replace('\n', "\r\n");
        out.write_out(text.as_bytes());
    }
    out
}

/// What a main process wrote goes to its container's log, line by line in the order the
/// lines ended, each with its stream: a line written in parts is one line, placed where its
/// newline came (as the log driver does).
pub fn keep_log(world: &mut World, id: &ContainerId, io: &Io, since: i128) {
    let Some(c) = world.container_mut(id) else { return };
    // Lines kept before without a time were written at the start.
    let started = c.started_at.unwrap_or(c.created);
    c.log_times.resize(c.logs.len(), started);
    // Each line is dated by the last clock move before its end (`sleep`s taken at once).
    let times = io.times();
    let time_at = |written: usize| times.iter().filter(|(at_byte, _)| *at_byte < written).map(|(_, at)| *at).next_back().unwrap_or(since);
    let mut written = 0;
    let mut partial = [String::new(), String::new()];
    for segment in io.segments() {
        let open = &mut partial[usize::from(segment.stderr)];
        let mut taken = 0;
        let text = String::from_utf8_lossy(&segment.bytes).into_owned();
        for piece in text.split_inclusive('\n') {
            taken += piece.len();
            open.push_str(piece);
            if let Some(line) = open.strip_suffix('\n') {
                c.logs.push((segment.stderr, line.to_string()));
                c.log_times.push(time_at(written + taken));
                open.clear();
            }
        }
        written += segment.bytes.len();
    }
    for (stderr, rest) in [false, true].into_iter().zip(partial) {
        if !rest.is_empty() {
            c.log_unterminated.push(c.logs.len());
            c.logs.push((stderr, rest));
            c.log_times.push(time_at(written));
        }
    }
}

/// `docker stop`: `stop_signal` (TERM, or the container's own), then up to `timeout` seconds
/// for the main process to end (a trap that exits) before SIGKILL. The clock moves on to the
/// end. Returns the status it ended with.
pub fn stop(world: &mut World, id: &ContainerId, timeout: i64, stop_signal: &str) -> i32 {
    let deadline = world.clock().nanos + i128::from(timeout.max(0)) * 1_000_000_000;
    // Stopped by hand, it is not restarted however it ends (oracle-89).
    if let Some(c) = world.container_mut(id) {
        c.stop_requested = true;
        c.manually_stopped = true;
    }
    if signal(world, id, stop_signal) != Signalled::NoSleeper {
        run_until(world, id, deadline);
    }
    if let Some(c) = world.container_mut(id) {
        c.stop_requested = false;
    }
    if let Some(c) = world.container(id).filter(|c| c.status != Status::Running) {
        return c.exit_code;
    }
    world.set_clock(deadline.max(world.clock().nanos));
    crate::daemon::container::stop_container(world, id, 137);
    137
}

/// `docker wait` on a running container: its main process lives on until it ends, if it ends
/// within `horizon` seconds; `false` (and nothing changed) if it would not.
pub fn run_to_end(world: &mut World, id: &ContainerId, horizon: i64) -> bool {
    follow(world, id, horizon).is_some()
}

/// A client attached to container `id` (`docker run` in the foreground, `attach`, `logs -f`)
/// follows its main process to its end, if it ends within `horizon` seconds: the lines it
/// logged meanwhile (with their streams) and its status; the clock is where it ended. `None`,
/// and nothing changed, if it would run on.
pub fn follow(world: &mut World, id: &ContainerId, horizon: i64) -> Option<(Vec<(bool, String)>, i32)> {
    // Only a main process that sleeps has more to come.
    world.container(id)?.sleeper.as_ref()?;
    let saved = world.clone();
    let limit = world.clock().nanos + i128::from(horizon) * 1_000_000_000;
    let (logged, auto_remove) = world.container_mut(id).map(|c| (c.logs.len(), std::mem::replace(&mut c.host.auto_remove, false)))?;
    while let Some(at) = world.container(id).filter(|c| c.status == Status::Running).and_then(|c| c.sleeper.as_ref()).map(|s| s.wake_at) {
        if at > limit {
            break;
        }
        run_until(world, id, at);
    }
    match world.container_mut(id) {
        Some(c) if c.status != Status::Running => {
            // `--rm` removes it once the client has what it wrote.
            c.host.auto_remove = auto_remove;
            Some((c.logs.get(logged..).unwrap_or_default().to_vec(), c.exit_code))
        }
        _ => {
            *world = saved;
            None
        }
    }
}

/// Container `id`'s main process lives `secs` seconds on (the clock too): the lines it logged.
pub fn live_for(world: &mut World, id: &ContainerId, secs: i64) -> Vec<(bool, String)> {
    let logged = world.container(id).map_or(0, |c| c.logs.len());
    let until = world.clock().nanos + i128::from(secs) * 1_000_000_000;
    run_until(world, id, until);
    world.set_clock(until.max(world.clock().nanos));
    world.container(id).and_then(|c| c.logs.get(logged..)).unwrap_or_default().to_vec()
}

/// `docker unpause`: a sleep that ended while frozen ends now; what it missed is not made up.
pub fn unpaused(world: &mut World, id: &ContainerId) {
    let now = world.clock().nanos;
    if let Some(s) = world.container_mut(id).and_then(|c| c.sleeper.as_mut()) {
        s.wake_at = s.wake_at.max(now);
    }
}

/// Sends `signal` to container `id`'s sleeping main process (`docker kill -s`, `docker stop`):
/// a shell in `wait` runs its trap at once; one in `sleep`, when the sleep ends.
pub fn signal(world: &mut World, id: &ContainerId, signal: &str) -> Signalled {
    let taken = note_signal(world, id, signal);
    if taken == Signalled::Trapped {
        let now = world.clock().nanos;
        run_until(world, id, now);
        world.set_clock(now.max(world.clock().nanos));
    }
    taken
}
