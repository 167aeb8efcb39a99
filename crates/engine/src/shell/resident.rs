//! A main process asleep in its container: a detached container's shell runs until its first
//! sleep past the present (`sleep`), then is kept with its container as a [`Sleeper`]
//! (`park`) until `sleepers.rs` wakes it; a signal sent meanwhile waits in it (`note_signal`).
//!
//! Architecture invariant: nothing here runs a shell: parking and noting only, so that the
//! interpreter's own files may use it.

use super::frames::Wake;
use super::process::Shell;
use crate::userland::Exit;
use crate::vfs::Ns;
use crate::world::{ContainerId, Sleeper, SleepingProcess, Status, World};

impl SleepingProcess for Shell {
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn clone_box(&self) -> Box<dyn SleepingProcess> {
        Box::new(self.clone())
    }
    fn handles(&self, signal: &str) -> bool {
        self.traps.contains_key(signal)
    }
    /// With nothing left to run after it, the program took the shell's place (busybox sh
    /// execs the last command of `sh -c`; a main process that is the program itself).
    fn asleep_in(&self) -> Option<(Vec<String>, bool)> {
        self.asleep_in.clone().map(|argv| (argv, self.resume.is_empty() && self.subshells_asleep.is_empty()))
    }
}

/// The longest a `sleep` moves the clock: `sleep infinity` is an hour.
const LONGEST_SLEEP_SECS: f64 = 3600.0;

/// `sleep SECS` in `sh`. A main process sleeping past the present blocks with its wake-up
/// time; any other sleep moves the clock on.
pub(super) fn sleep(world: &mut World, sh: &mut Shell, secs: f64) -> Exit {
    // A main process, or a background job, sleeps in its own time.
    let timed = (matches!(sh.ctx.ns, Ns::Container(_)) && sh.main_process) || sh.in_job;
    if let (true, Some(until)) = (timed, world.awake_until()) {
        // `sleep infinity` ends in a year: never, for a learner.
        let end = world.clock().nanos.saturating_add((secs.min(LONGEST_SLEEP_SECS * 24.0 * 365.0) * 1e9) as i128);
        if end > until {
            sh.wake = Some(Wake { at: end, waiting: false });
            return Exit::Block;
        }
        world.set_clock(end);
        return Exit::Code(0);
    }
    world.advance_clock((secs.min(LONGEST_SLEEP_SECS) * 1000.0) as i64);
    // The shell's own jobs asleep live meanwhile.
    let now = world.clock().nanos;
    super::jobs::advance(world, sh, now, true);
    Exit::Code(0)
}

/// A main process's shell that went to sleep: kept in its container until it wakes. Not one
/// that cannot go on (it sleeps for good), nor an inner one's outer shell (the first parked
/// is the one that sleeps).
pub(super) fn park(world: &mut World, sh: Shell) {
    let Ns::Container(id) = sh.ctx.ns.clone() else { return };
    let Some(wake) = sh.wake else { return };
    if !sh.main_process || sh.resume_broken || sh.in_job {
        return;
    }
    let Some(c) = world.container_mut(&id) else { return };
    // A process `docker exec -d` started waits beside the main process (oracle-120).
    if sh.detached_exec {
        if c.status == Status::Running {
            c.execs.push(Sleeper { wake_at: wake.at, wakes_on_signal: false, pending: Vec::new(), process: Box::new(sh) });
        }
        return;
    }
    if c.sleeper.is_some() || c.status != Status::Running {
        return;
    }
    // It wakes for itself or for the first of its jobs asleep beside it.
    let jobs = sh.jobs.iter().filter_map(|j| j.parked.as_ref().and_then(|s| s.wake)).map(|w| w.at);
    let wake_at = jobs.fold(wake.at, i128::min);
    c.sleeper = Some(Sleeper { wake_at, wakes_on_signal: wake.waiting, pending: Vec::new(), process: Box::new(sh) });
}

/// A signal as Docker takes it (`HUP`, `sighup`, `SIGHUP`, `1`) by its name, if it is one
/// the simulation knows.
pub fn signal_name(spec: &str) -> Option<&'static str> {
    super::traps::signal_name(spec)
}

/// How a signal sent to a container's main process was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signalled {
    /// A sleeping shell traps it: its action runs when the shell next runs.
    Trapped,
    /// A sleeping shell without a trap for it: as the namespace's init, it ignores it.
    Ignored,
    /// No sleeping shell: the caller decides (a server's own handling, or nothing).
    NoSleeper,
}

/// Notes `signal` (`TERM`, `HUP`…) for container `id`'s sleeping main process: one that traps
/// it runs the trap when it next runs (at once if it waits in `wait`: `sleepers.rs`).
pub fn note_signal(world: &mut World, id: &ContainerId, signal: &str) -> Signalled {
    let Some(s) = world.container_mut(id).and_then(|c| c.sleeper.as_mut()) else { return Signalled::NoSleeper };
    if !s.process.handles(signal) {
        return Signalled::Ignored;
    }
    s.pending.push(signal.to_string());
    Signalled::Trapped
}
