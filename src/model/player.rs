//! The animation queue: after each command its events are shown one at a time, each with a
//! caption. Pure state; the narration component runs the timer that sends [`PlayerAction::Done`].

use std::collections::BTreeSet;

use stowage_engine::{ContainerState, Event, Place, SizeAt};

use super::focus::{focus_of, Focus};
use super::format::human_size;

/// Steps kept for going back; older ones are dropped.
const KEEP: usize = 200;
/// From this many file writes and removals in a row, they are told as one step (a database
/// initialising its data directory writes dozens of files, in its volume and in its container).
const GROUP_FROM: usize = 3;

/// The caption and focus of each step for a command's events.
#[cfg(test)]
fn narrate(events: &[Event]) -> Vec<(String, Focus)> {
    told(events).into_iter().map(|(caption, focus, _)| (caption, focus)).collect()
}

/// Each step for a command's events, in event order, with the number of events it tells: one
/// event a step, except two events that are one moment (see [`narrate_pair`]) and runs of file
/// writes and removals, which are told together. So a command is told in a few steps a learner
/// can read at 1× (`docker run … nginx`: four, not seven).
fn told(events: &[Event]) -> Vec<(String, Focus, usize)> {
    let is_file_change = |e: &Event| matches!(e, Event::FileWritten { .. } | Event::FileRemoved { .. });
    let mut steps = Vec::new();
    let mut i = 0;
    while i < events.len() {
        // Mount points Docker makes between a container's creation and its start belong to
        // that one moment ("created and started"); the layer's entries show them.
        let mount_points = events[i + 1..].iter().take_while(|e| matches!(e, Event::MountPointCreated { .. })).count();
        let next = i + 1 + mount_points;
        if let Some((caption, focus)) = events.get(next).and_then(|next| narrate_pair(&events[i], next)) {
            steps.push((caption, focus, next - i + 1));
            i = next + 1;
            continue;
        }
        let run = events[i..].iter().take_while(|e| is_file_change(e)).count().max(1);
        if run >= GROUP_FROM {
            let (caption, focus) = narrate_file_changes(&events[i..i + run]);
            steps.push((caption, focus, run));
        } else {
            steps.extend(events[i..i + run].iter().map(|e| (e.narrate(), focus_of(e), 1)));
        }
        i += run;
    }
    steps
}

/// A container's state as of a step: what its card says while the step is on show (the map
/// draws the world after the command; a step in the middle of it may be earlier).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateAt {
    pub container: String,
    pub state: ContainerState,
    pub exit_code: Option<i32>,
}

/// Applies a step's events to the states of the containers the command touched so far.
fn advance_states(states: &mut Vec<StateAt>, events: &[Event]) {
    for event in events {
        if let Event::ContainerRenamed { from, to } = event {
            if let Some(known) = states.iter_mut().find(|s| s.container == *from) {
                known.container = to.clone();
            }
            continue;
        }
        let (container, state, exit_code) = match event {
            Event::ContainerCreated { container, .. } => (container, ContainerState::Created, None),
            Event::ContainerStateChanged { container, state, exit_code } => (container, *state, *exit_code),
            _ => continue,
        };
        let at = StateAt { container: container.clone(), state, exit_code };
        match states.iter_mut().find(|s| s.container == *container) {
            Some(known) => *known = at,
            None => states.push(at),
        }
    }
}

/// One step for two events in a row that a learner sees as one moment: an image created by
/// its pull, a container created and started by `docker run`, a copy-up and the write it
/// was for, a writable layer thrown away by the `docker rm` that removes its container.
fn narrate_pair(first: &Event, second: &Event) -> Option<(String, Focus)> {
    match (first, second) {
        (Event::ImageCreated { reference, .. }, Event::ImagePulled { reference: pulled, .. }) if reference == pulled => {
            Some((second.narrate(), focus_of(second)))
        }
        (
            Event::ContainerCreated { container, image },
            Event::ContainerStateChanged { container: started, state: ContainerState::Running, .. },
        ) if container == started => Some((
            format!(
                "Container {container} is created from {image} and started: a new, empty writable layer on top of the \
                 image's read-only layers."
            ),
            focus_of(first),
        )),
        (
            Event::CopyUp { container, path, layer, bytes },
            Event::FileWritten { place: Place::WritableLayer { container: into }, path: written, bytes: now },
        ) if container == into && path == written => Some((
            format!(
                "copy-up: {path} ({bytes} B) is copied from image layer L{layer} up into {container}'s writable \
                 layer, then written there ({now} B). The image never changes."
            ),
            focus_of(first),
        )),
        (
            Event::WritableLayerDiscarded { container, files, bytes },
            Event::ContainerStateChanged { container: removed, state: ContainerState::Removed, .. },
        ) if container == removed => {
            let entries = if *files == 1 { "1 entry".to_string() } else { format!("{files} entries") };
            Some((
                format!(
                    "Container {container} is removed with its writable layer ({entries}, {bytes} B). Volumes and \
                     bind mounts are not touched."
                ),
                focus_of(first),
            ))
        }
        _ => None,
    }
}

/// What a run of file writes and removals did to each place it touched.
#[derive(Default)]
struct Changes<'a> {
    written: BTreeSet<&'a str>,
    removed: BTreeSet<&'a str>,
    /// The first files written, then removed, in order (the caption names two).
    first_written: Vec<&'a str>,
    first_removed: Vec<&'a str>,
    bytes: u64,
}

/// One caption for a run of file writes and removals: per place, how many files and bytes;
/// in a single place, also which files. (A loop may write thousands of files: sets, not lists.)
fn narrate_file_changes(run: &[Event]) -> (String, Focus) {
    // Each place with what changed there and its first event (which gives the map's keys).
    let mut places: Vec<(&Place, Changes, &Event)> = Vec::new();
    for e in run {
        let (place, path, bytes) = match e {
            Event::FileWritten { place, path, bytes } => (place, path.as_str(), Some(*bytes)),
            Event::FileRemoved { place, path } => (place, path.as_str(), None),
            _ => continue,
        };
        let at = match places.iter().position(|(p, _, _)| *p == place) {
            Some(at) => at,
            None => {
                places.push((place, Changes::default(), e));
                places.len() - 1
            }
        };
        let changes = &mut places[at].1;
        let (set, first) = match bytes {
            Some(_) => (&mut changes.written, &mut changes.first_written),
            None => (&mut changes.removed, &mut changes.first_removed),
        };
        if set.insert(path) && first.len() < 2 {
            first.push(path);
        }
        changes.bytes += bytes.unwrap_or(0);
    }
    let files = |n: usize| if n == 1 { "1 file".to_string() } else { format!("{n} files") };
    let are = |n: usize| if n == 1 { "is" } else { "are" };
    // The first two files, written ones first, and how many more.
    let named = |c: &Changes| {
        let total = c.written.len() + c.removed.len();
        let mut shown: Vec<&str> = Vec::new();
        for path in c.first_written.iter().chain(&c.first_removed) {
            if shown.len() < 2 && !shown.contains(path) {
                shown.push(path);
            }
        }
        match (shown.as_slice(), total) {
            ([one], _) => one.to_string(),
            ([first, second], 2) => format!("{first} and {second}"),
            ([first, second], _) => format!("{first}, {second} and {} more", total - 2),
            _ => String::new(),
        }
    };
    let caption = match places.as_slice() {
        [(place, c, _)] => {
            let all = named(c);
            match (c.written.len(), c.removed.len()) {
                (w, 0) => format!("{} {} written in {place} ({} in all): {}.", files(w), are(w), human_size(c.bytes), all),
                (0, r) => format!("{} {} removed from {place}: {}.", files(r), are(r), all),
                (w, r) => {
                    format!(
                        "In {place}, {} {} written ({} in all) and {} removed: {}.",
                        files(w),
                        are(w),
                        human_size(c.bytes),
                        files(r),
                        all
                    )
                }
            }
        }
        _ => {
            let parts: Vec<String> = places
                .iter()
                .map(|(place, c, _)| match (c.written.len(), c.removed.len()) {
                    (w, 0) => format!("{place}: {} written ({})", files(w), human_size(c.bytes)),
                    (0, r) => format!("{place}: {} removed", files(r)),
                    (w, r) => format!("{place}: {} written ({}) and {} removed", files(w), human_size(c.bytes), files(r)),
                })
                .collect();
            format!("Files change in {} places: {}.", places.len(), parts.join("; "))
        }
    };
    let wrote = places.iter().any(|(_, c, _)| !c.written.is_empty());
    let mut focus = Focus { kind: if wrote { "write" } else { "remove" }, ..Focus::default() };
    for (_, _, first) in &places {
        for key in focus_of(first).keys {
            if !focus.keys.contains(&key) {
                focus.keys.push(key);
            }
        }
    }
    (caption, focus)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Unique and increasing: tells a timer which step it was started for.
    pub seq: u64,
    /// The terminal block (command) whose events these are.
    pub block: usize,
    /// 1-based position in that command's events, and their number.
    pub index: usize,
    pub total: usize,
    pub caption: String,
    pub focus: Focus,
    /// The containers this command created, started, stopped or removed by the end of this
    /// step, each with its state then.
    pub states: Vec<StateAt>,
    /// The volumes, writable layers and tmpfs mounts this command changed by the end of this
    /// step, each with its size then, and those it changes only later (as they were before).
    pub sizes: Vec<SizeAt>,
    pub sizes_later: Vec<stowage_engine::Measured>,
    /// The volumes this command creates after this step (not there yet at it).
    pub unborn: Vec<String>,
    /// The containers this command creates after this step (no card yet at it).
    pub unborn_containers: Vec<String>,
    /// The writable-layer paths this command writes by the end of this step, and later.
    pub layer_paths: LayerPaths,
}

/// The writable-layer paths (container, path) a command writes by a step and only after it: a
/// layer's entry shows once something at or under it is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayerPaths {
    pub written: Vec<(String, String)>,
    pub later: Vec<(String, String)>,
}

impl LayerPaths {
    /// Whether the entry `path` of `container`'s layer is not written yet at the step (an
    /// entry the layer had before the command is never hidden: ask that first).
    pub fn unwritten(&self, container: &str, path: &str) -> bool {
        let covers =
            |(c, p): &(String, String)| c == container && (p == path || p.strip_prefix(path).is_some_and(|rest| rest.starts_with('/')));
        self.later.iter().any(covers) && !self.written.iter().any(covers)
    }
}

/// The machine as of the first `told` events of a command, beside its container states.
struct AsOf {
    /// The latest measure of each place measured by then.
    sizes: Vec<SizeAt>,
    /// Places measured only later (still as before the command).
    sizes_later: Vec<stowage_engine::Measured>,
    /// Volumes and containers created only later.
    unborn: Vec<String>,
    unborn_containers: Vec<String>,
    layer_paths: LayerPaths,
}

fn as_of(events: &[Event], marks: &[SizeAt], told: usize) -> AsOf {
    let mut sizes: Vec<SizeAt> = Vec::new();
    for mark in marks.iter().filter(|m| m.after < told) {
        match sizes.iter_mut().find(|s| s.of == mark.of) {
            Some(known) => *known = mark.clone(),
            None => sizes.push(mark.clone()),
        }
    }
    let mut sizes_later: Vec<stowage_engine::Measured> = Vec::new();
    for mark in marks.iter().filter(|m| m.after >= told && !sizes.iter().any(|s| s.of == m.of)) {
        if !sizes_later.contains(&mark.of) {
            sizes_later.push(mark.of.clone());
        }
    }
    let (mut unborn, mut unborn_containers) = (Vec::new(), Vec::new());
    for e in events.iter().skip(told) {
        match e {
            Event::VolumeCreated { name, .. } => unborn.push(name.clone()),
            Event::ContainerCreated { container, .. } => unborn_containers.push(container.clone()),
            _ => {}
        }
    }
    let layer_path = |e: &Event| match e {
        Event::CopyUp { container, path, .. }
        | Event::Whiteout { container, path }
        | Event::OpaqueDir { container, path }
        | Event::MountPointCreated { container, path } => Some((container.clone(), path.clone())),
        Event::FileWritten { place: Place::WritableLayer { container }, path, .. } => Some((container.clone(), path.clone())),
        _ => None,
    };
    let layer_paths = LayerPaths {
        written: events.iter().take(told).filter_map(layer_path).collect(),
        later: events.iter().skip(told).filter_map(layer_path).collect(),
    };
    AsOf { sizes, sizes_later, unborn, unborn_containers, layer_paths }
}

impl Step {
    /// "Step 1 of 2"
    pub fn heading(&self) -> String {
        format!("Step {} of {}", self.index, self.total)
    }

    /// How long the step stays at 1× speed: long enough to read its caption (a second to
    /// look at the map, then about 350 words a minute; Pause holds a step for longer).
    pub fn base_millis(&self) -> u32 {
        let words = self.caption.split_whitespace().count() as u32;
        (1000 + words * 170).min(9000)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    Half,
    One,
    Two,
    Four,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::Half, Speed::One, Speed::Two, Speed::Four];

    pub fn label(self) -> &'static str {
        match self {
            Speed::Half => "0.5×",
            Speed::One => "1×",
            Speed::Two => "2×",
            Speed::Four => "4×",
        }
    }

    pub fn scale(self, millis: u32) -> u32 {
        match self {
            Speed::Half => millis * 2,
            Speed::One => millis,
            Speed::Two => millis / 2,
            Speed::Four => millis / 4,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlayerAction {
    /// A command ran: queue its events.
    Enqueue {
        block: usize,
        events: Vec<Event>,
        /// The engine's measures of the places the command changed ([`stowage_engine::Outcome::sizes`]).
        sizes: Vec<SizeAt>,
    },
    /// The timer of step `seq` ran out.
    Done {
        seq: u64,
    },
    TogglePause,
    Previous,
    Next,
    /// Jump to the last queued step and stop there.
    Skip,
    SetSpeed(Speed),
    /// The screen was cleared: nothing refers to the old commands any more.
    Reset,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Player {
    steps: Vec<Step>,
    /// The step on show.
    pos: Option<usize>,
    /// True while the step on show is playing (its timer runs unless paused).
    playing: bool,
    pub paused: bool,
    pub speed: Speed,
    next_seq: u64,
}

impl Default for Player {
    fn default() -> Self {
        Player { steps: Vec::new(), pos: None, playing: false, paused: false, speed: Speed::One, next_seq: 1 }
    }
}

impl Player {
    /// The step on show (playing or finished), if any.
    pub fn current(&self) -> Option<&Step> {
        self.pos.map(|i| &self.steps[i])
    }

    /// The step whose timer should run now.
    pub fn running(&self) -> Option<&Step> {
        if self.playing && !self.paused {
            self.current()
        } else {
            None
        }
    }

    pub fn is_playing(&self) -> bool {
        self.playing
    }

    /// How long `step` stays on show at the current speed.
    pub fn millis(&self, step: &Step) -> u32 {
        self.speed.scale(step.base_millis())
    }

    /// Steps queued after the one on show.
    pub fn pending(&self) -> usize {
        self.pos.map_or(self.steps.len(), |i| self.steps.len() - i - 1)
    }

    pub fn has_previous(&self) -> bool {
        self.pos.is_some_and(|i| i > 0)
    }

    pub fn has_next(&self) -> bool {
        self.pending() > 0
    }

    pub fn apply(&mut self, action: PlayerAction) {
        match action {
            PlayerAction::Enqueue { block, events, sizes: marks } => {
                let told = told(&events);
                let total = told.len();
                if total == 0 {
                    return;
                }
                let first_new = self.steps.len();
                let (mut states, mut from) = (Vec::new(), 0);
                for (i, (caption, focus, count)) in told.into_iter().enumerate() {
                    advance_states(&mut states, &events[from..from + count]);
                    from += count;
                    let states = states.clone();
                    let AsOf { sizes, sizes_later, unborn, unborn_containers, layer_paths } = as_of(&events, &marks, from);
                    self.steps.push(Step {
                        seq: self.next_seq,
                        block,
                        index: i + 1,
                        total,
                        caption,
                        focus,
                        states,
                        sizes,
                        sizes_later,
                        unborn,
                        unborn_containers,
                        layer_paths,
                    });
                    self.next_seq += 1;
                }
                // The map draws the world after the newest command (and its ghosts of what that
                // command removed), so its steps take over from any earlier ones still playing;
                // those stay reachable with Previous. A paused step stays on show: the learner is
                // reading it.
                if !self.playing || !self.paused {
                    self.pos = Some(first_new);
                    self.playing = true;
                }
                self.trim();
            }
            PlayerAction::Done { seq } => {
                if self.running().is_some_and(|s| s.seq == seq) {
                    self.forward();
                }
            }
            PlayerAction::TogglePause => self.paused = !self.paused,
            PlayerAction::Next => self.forward(),
            PlayerAction::Previous => {
                if let Some(i) = self.pos.filter(|&i| i > 0) {
                    self.pos = Some(i - 1);
                    self.playing = true;
                }
            }
            PlayerAction::Skip => {
                if !self.steps.is_empty() {
                    self.pos = Some(self.steps.len() - 1);
                }
                self.playing = false;
            }
            PlayerAction::SetSpeed(speed) => self.speed = speed,
            PlayerAction::Reset => *self = Player { speed: self.speed, paused: self.paused, next_seq: self.next_seq, ..Player::default() },
        }
    }

    fn forward(&mut self) {
        match self.pos {
            Some(i) if i + 1 < self.steps.len() => {
                self.pos = Some(i + 1);
                self.playing = true;
            }
            None if !self.steps.is_empty() => {
                self.pos = Some(0);
                self.playing = true;
            }
            _ => self.playing = false,
        }
    }

    fn trim(&mut self) {
        if self.steps.len() > KEEP {
            let drop = (self.steps.len() - KEEP).min(self.pos.unwrap_or(0));
            self.steps.drain(..drop);
            self.pos = self.pos.map(|i| i - drop);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn created(name: &str) -> Event {
        Event::VolumeCreated { name: name.into(), anonymous: false }
    }

    fn enqueue(p: &mut Player, block: usize, names: &[&str]) {
        p.apply(PlayerAction::Enqueue { block, events: names.iter().map(|n| created(n)).collect(), sizes: Vec::new() });
    }

    fn shown(p: &Player) -> Option<(usize, usize, bool)> {
        p.current().map(|s| (s.block, s.index, p.is_playing()))
    }

    #[test]
    fn plays_one_event_at_a_time_then_stops_on_the_last() {
        let mut p = Player::default();
        enqueue(&mut p, 7, &["a", "b"]);
        let first = p.running().unwrap().clone();
        assert_eq!((first.heading().as_str(), first.block), ("Step 1 of 2", 7));
        assert!(first.caption.contains("named volume a"));
        p.apply(PlayerAction::Done { seq: first.seq });
        assert_eq!(shown(&p), Some((7, 2, true)));
        let second = p.running().unwrap().seq;
        p.apply(PlayerAction::Done { seq: second });
        assert_eq!(shown(&p), Some((7, 2, false)));
        assert!(p.running().is_none());
    }

    #[test]
    fn a_stale_timer_does_nothing() {
        let mut p = Player::default();
        enqueue(&mut p, 1, &["a", "b", "c"]);
        let first = p.running().unwrap().seq;
        p.apply(PlayerAction::Next);
        p.apply(PlayerAction::Done { seq: first });
        assert_eq!(shown(&p), Some((1, 2, true)));
    }

    #[test]
    fn a_new_command_takes_over_from_the_one_playing() {
        let mut p = Player::default();
        enqueue(&mut p, 1, &["a", "b", "c"]);
        assert_eq!(shown(&p), Some((1, 1, true)));
        enqueue(&mut p, 2, &["d", "e"]);
        assert_eq!(shown(&p), Some((2, 1, true)));
        assert_eq!(p.pending(), 1, "only the new command's steps are ahead");
        // The steps it cut short are still there to go back to.
        p.apply(PlayerAction::Previous);
        assert_eq!(shown(&p), Some((1, 3, true)));
        // After the queue ran out, a new command starts playing at once too.
        p.apply(PlayerAction::Skip);
        assert_eq!(shown(&p), Some((2, 2, false)));
        enqueue(&mut p, 3, &["f"]);
        assert_eq!(shown(&p), Some((3, 1, true)));
    }

    #[test]
    fn while_paused_new_commands_wait_behind_the_step_on_show() {
        let mut p = Player::default();
        enqueue(&mut p, 1, &["a", "b"]);
        p.apply(PlayerAction::TogglePause);
        enqueue(&mut p, 2, &["c"]);
        assert_eq!(shown(&p), Some((1, 1, true)));
        assert_eq!(p.pending(), 2);
        p.apply(PlayerAction::Next);
        p.apply(PlayerAction::Next);
        assert_eq!(shown(&p), Some((2, 1, true)));
    }

    #[test]
    fn pause_stops_the_timer_but_steps_still_move() {
        let mut p = Player::default();
        enqueue(&mut p, 1, &["a", "b"]);
        p.apply(PlayerAction::TogglePause);
        assert!(p.running().is_none());
        p.apply(PlayerAction::Next);
        assert_eq!(shown(&p), Some((1, 2, true)));
        assert!(p.running().is_none());
        p.apply(PlayerAction::Previous);
        assert_eq!(shown(&p), Some((1, 1, true)));
        assert!(!p.has_previous() && p.has_next());
        p.apply(PlayerAction::TogglePause);
        assert!(p.running().is_some());
    }

    fn written(place: Place, path: &str, bytes: u64) -> Event {
        Event::FileWritten { place, path: path.into(), bytes }
    }

    #[test]
    fn runs_of_file_changes_are_told_as_one_step() {
        let volume = || Place::Volume { name: "db-data".into() };
        let layer = || Place::WritableLayer { container: "db".into() };
        let events = vec![
            created("db-data"),
            written(volume(), "/data/PG_VERSION", 3),
            written(volume(), "/data/postgresql.conf", 816),
            written(volume(), "/data/base/1/1255", 7000),
            written(volume(), "/data/postgresql.conf", 820),
            created("logs"),
            written(layer(), "/run/lock", 64),
            written(layer(), "/run/sock", 0),
            created("cache"),
        ];
        let mut p = Player::default();
        p.apply(PlayerAction::Enqueue { block: 1, events, sizes: Vec::new() });
        let captions: Vec<String> = p.steps.iter().map(|s| s.caption.clone()).collect();
        assert_eq!(captions.len(), 6, "{captions:?}");
        assert_eq!(
            captions[1],
            "3 files are written in volume db-data (8.64 kB in all): /data/PG_VERSION, /data/postgresql.conf and 1 more."
        );
        // Two writes are too few to group; they are told one by one.
        assert_eq!(captions[3], "/run/lock is written (64 B) in db's writable layer.");
        assert!(p.steps.iter().all(|s| s.total == 6));
        let grouped = &p.steps[1].focus;
        assert_eq!((grouped.kind, grouped.path.as_deref()), ("write", None));
        assert!(grouped.has("volume:db-data"));
    }

    #[test]
    fn a_run_across_places_says_what_changed_in_each() {
        let tmp = || Place::Tmpfs { container: "web".into(), target: "/cache".into() };
        let layer = || Place::WritableLayer { container: "web".into() };
        let one_place = vec![
            written(tmp(), "/cache/a", 10),
            Event::FileRemoved { place: tmp(), path: "/cache/b".into() },
            written(tmp(), "/cache/a", 5),
        ];
        let (caption, focus) = narrate(&one_place).remove(0);
        assert_eq!(
            caption,
            "In the tmpfs at /cache in web (memory), 1 file is written (15 B in all) and 1 file removed: /cache/a and /cache/b."
        );
        assert!(focus.has("tmpfs:web:/cache"));
        let two_places = vec![
            written(tmp(), "/cache/a", 10),
            written(layer(), "/run/x", 1),
            Event::FileRemoved { place: layer(), path: "/run/y".into() },
        ];
        let (caption, focus) = narrate(&two_places).remove(0);
        assert_eq!(
            caption,
            "Files change in 2 places: the tmpfs at /cache in web (memory): 1 file written (10 B); web's writable layer: 1 file written (1 B) and 1 file removed."
        );
        assert!(focus.has("tmpfs:web:/cache") && focus.has("writable:web"));
        assert_eq!(focus.kind, "write");
    }

    #[test]
    fn a_loop_writing_ten_thousand_files_is_one_step() {
        let layer = || Place::WritableLayer { container: "big".into() };
        let events: Vec<Event> = (0..10_000).map(|i| written(layer(), &format!("/many/f{i:04}"), 0)).collect();
        let told = narrate(&events);
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].0, "10000 files are written in big's writable layer (0 B in all): /many/f0000, /many/f0001 and 9998 more.");
    }

    #[test]
    fn commands_without_events_change_nothing() {
        let mut p = Player::default();
        enqueue(&mut p, 1, &[]);
        assert_eq!(p, Player::default());
    }

    #[test]
    fn speed_scales_the_duration_and_reset_keeps_settings() {
        let mut p = Player::default();
        enqueue(&mut p, 1, &["a"]);
        let ms = p.current().unwrap().base_millis();
        assert!((1000..=9000).contains(&ms));
        assert_eq!(Speed::Two.scale(ms), ms / 2);
        p.apply(PlayerAction::SetSpeed(Speed::Four));
        p.apply(PlayerAction::Reset);
        assert_eq!(p.speed, Speed::Four);
        assert!(p.current().is_none());
    }

    #[test]
    fn old_steps_are_dropped_but_the_one_on_show_stays() {
        let mut p = Player::default();
        for b in 0..(KEEP + 50) {
            enqueue(&mut p, b, &["x"]);
            p.apply(PlayerAction::Skip);
        }
        assert!(p.steps.len() <= KEEP + 1);
        assert_eq!(p.current().unwrap().block, KEEP + 49);
    }

    fn step(caption: &str) -> Step {
        Step {
            seq: 1,
            block: 1,
            index: 1,
            total: 1,
            caption: caption.into(),
            focus: Focus::default(),
            states: Vec::new(),
            sizes: Vec::new(),
            sizes_later: Vec::new(),
            unborn: Vec::new(),
            unborn_containers: Vec::new(),
            layer_paths: Default::default(),
        }
    }

    /// The steps of each line run on a fresh machine, as (line, captions).
    fn captions(lines: &[&str]) -> Vec<(String, Vec<String>)> {
        let mut engine = stowage_engine::Engine::new();
        lines.iter().map(|line| (line.to_string(), narrate(&engine.run(line).events).into_iter().map(|(c, _)| c).collect())).collect()
    }

    #[test]
    fn a_command_is_told_in_a_few_steps_in_event_order() {
        let all = captions(&[
            "docker run -d --name web -p 8080:80 nginx",
            "docker volume create ro-vol",
            "docker pull alpine",
            "docker run --rm -v ro-vol:/data:ro alpine touch /data/x",
            "docker rm -f web",
        ]);
        let nginx = &all[0].1;
        assert_eq!(nginx.len(), 4, "{nginx:#?}");
        assert!(nginx[0].starts_with("nginx:latest is pulled from the registry"), "{}", nginx[0]);
        assert!(nginx[1].starts_with("Container web is created from nginx and started"), "{}", nginx[1]);
        assert!(nginx[2].starts_with("copy-up: /etc/nginx/conf.d/default.conf (1072 B) is copied from image layer L"), "{}", nginx[2]);
        assert!(nginx[2].contains("then written there (1093 B)"), "{}", nginx[2]);
        // nginx makes its cache directories and writes its pid file: one step for the six.
        assert!(nginx[3].starts_with("6 files are written in web's writable layer"), "{}", nginx[3]);
        let at_one_x: u32 = nginx.iter().map(|caption| step(caption).base_millis()).sum();
        // (16 s since the start's directories are told too: nginx makes five at start.)
        assert!(at_one_x <= 16_000, "docker run … nginx plays in {at_one_x} ms at 1×");

        // The refusal keeps its own step, between the start and the end of the short-lived container.
        let refused = &all[3].1;
        assert_eq!(refused.len(), 4, "{refused:#?}");
        assert!(refused[1].starts_with("Writing /data/x is refused"), "{}", refused[1]);
        assert!(refused[2].contains("stopped (exit code 1)"), "{}", refused[2]);
        assert!(refused[3].contains("is removed with its writable layer (1 entry, 0 B)"), "{}", refused[3]);

        // `docker rm -f`: the stop is a step of its own (the card says exited (137)), then the removal.
        let removed = &all[4].1;
        assert_eq!(removed.len(), 2, "{removed:#?}");
        assert!(removed[0].starts_with("Container web stopped (exit code 137)"), "{}", removed[0]);
        assert!(removed[1].starts_with("Container web is removed with its writable layer (14 entries"), "{}", removed[1]);
    }

    #[test]
    fn each_step_knows_the_state_of_the_containers_the_command_touched() {
        let mut engine = stowage_engine::Engine::new();
        engine.run("docker pull alpine");
        engine.run("docker volume create ro-vol");
        let mut p = Player::default();
        let events = engine.run("docker run --rm -v ro-vol:/data:ro alpine touch /data/x").events;
        p.apply(PlayerAction::Enqueue { block: 1, events, sizes: Vec::new() });
        let mut said = Vec::new();
        while let Some(step) = p.current().cloned() {
            let [state] = step.states.as_slice() else { panic!("one container: {:?}", step.states) };
            said.push((state.state, state.exit_code));
            if !p.has_next() {
                break;
            }
            p.apply(PlayerAction::Next);
        }
        use ContainerState::*;
        // created and started, the write refused (still running), stopped, removed.
        assert_eq!(said, [(Running, None), (Running, None), (Exited, Some(1)), (Removed, None)]);
    }

    /// Every command of every transcript test: each event is told once, in order, and the
    /// container states its last step leaves are exactly the engine's after the command, so a
    /// card can never say a state the engine did not have. Every change of a container's state
    /// is told by a step.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_steps_states_end_at_the_engines_view_for_every_transcript_command() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/engine/tests/transcripts");
        let mut files: Vec<_> = std::fs::read_dir(&dir).expect("transcripts").filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        let (mut commands, mut failures) = (0, Vec::new());
        for file in files.iter().filter(|f| f.extension().is_some_and(|x| x == "txt")) {
            let text = String::from_utf8_lossy(&std::fs::read(file).expect("readable")).into_owned();
            let mut engine = stowage_engine::Engine::new();
            let mut before = engine.view();
            for item in stowage_engine::transcript::parse(&text) {
                let stowage_engine::transcript::Item::Command(line) = item else { continue };
                commands += 1;
                let outcome = engine.run(&line);
                let (events, marks) = (outcome.events, outcome.sizes);
                let after = engine.view();
                let steps = told(&events);
                let where_ = format!("{}: `{line}`", file.file_name().unwrap_or_default().to_string_lossy());
                if steps.iter().map(|(_, _, n)| n).sum::<usize>() != events.len() {
                    failures.push(format!("{where_}: not every event is told once"));
                }
                let mut states = Vec::new();
                advance_states(&mut states, &events);
                for s in &states {
                    let now = after.containers.iter().find(|c| c.name == s.container);
                    let agrees = match (s.state, now) {
                        (ContainerState::Removed, None) => true,
                        (state, Some(c)) => c.state == state && (state != ContainerState::Exited || c.exit_code == s.exit_code),
                        _ => false,
                    };
                    if !agrees {
                        failures
                            .push(format!("{where_}: the steps end with {s:?}, the engine has {:?}", now.map(|c| (c.state, c.exit_code))));
                    }
                }
                // The sizes the steps leave are the engine's, and no volume is still to come.
                let AsOf { sizes, unborn, .. } = as_of(&events, &marks, events.len());
                if !unborn.is_empty() {
                    failures.push(format!("{where_}: volumes {unborn:?} unborn after the last step"));
                }
                use stowage_engine::Measured;
                let measured = |of: &Measured| sizes.iter().find(|s| s.of == *of).map(|s| (s.bytes, s.files));
                // Each place: what the engine has now, and had before the command.
                type Size = (u64, usize);
                let mut places: Vec<(Measured, Size, Option<Size>)> = Vec::new();
                for v in &after.volumes {
                    let was = before.volumes.iter().find(|b| b.name == v.name).map(|b| (b.bytes, b.files));
                    places.push((Measured::Volume(v.name.clone()), (v.bytes, v.files), was));
                }
                // A container removed and made again under its name (`compose rm` then `create`)
                // starts a writable layer of its own.
                let removed = |name: &str| {
                    events.iter().any(|e| matches!(e, Event::ContainerStateChanged { container, state: ContainerState::Removed, .. } if container == name))
                };
                for c in &after.containers {
                    let old = before.containers.iter().find(|b| b.name == c.name).filter(|_| !removed(&c.name));
                    let of = Measured::WritableLayer { container: c.name.clone() };
                    places.push((of, (c.writable_bytes, c.writable_entries), old.map(|b| (b.writable_bytes, b.writable_entries))));
                    for m in &c.mounts {
                        let used = |m: &stowage_engine::MountView| match m.source {
                            stowage_engine::MountSource::Tmpfs { used, .. } => Some(used),
                            _ => None,
                        };
                        let (Some(now), of) = (used(m), Measured::Tmpfs { container: c.name.clone(), target: m.target.clone() }) else {
                            continue;
                        };
                        let was = old.and_then(|b| b.mounts.iter().find(|x| x.target == m.target)).and_then(used);
                        // A tmpfs's file count is not shown: its bytes are what the map says.
                        places.push((
                            of.clone(),
                            (now, measured(&of).map_or(0, |s| s.1)),
                            was.map(|w| (w, measured(&of).map_or(0, |s| s.1))),
                        ));
                    }
                }
                for (of, now, was) in places {
                    match measured(&of) {
                        Some(told) if told != now => {
                            failures.push(format!("{where_}: the steps end with {of:?} at {told:?}, the engine has {now:?}"))
                        }
                        None if was.is_some_and(|w| w != now) || (was.is_none() && now.0 > 0 && matches!(of, Measured::Volume(_))) => {
                            failures.push(format!("{where_}: {of:?} changed to {now:?} untold"))
                        }
                        _ => {}
                    }
                }
                // A rename is told by its own event, under both names.
                let renamed: Vec<&String> = events
                    .iter()
                    .flat_map(|e| match e {
                        Event::ContainerRenamed { from, to } => vec![from, to],
                        _ => Vec::new(),
                    })
                    .collect();
                let told_of = |name: &str| states.iter().any(|s| s.container == name) || renamed.iter().any(|n| *n == name);
                for c in &after.containers {
                    let was = before.containers.iter().find(|b| b.name == c.name);
                    if was.is_none_or(|b| (b.state, b.exit_code) != (c.state, c.exit_code)) && !told_of(&c.name) {
                        failures.push(format!("{where_}: {} became {:?} {:?} untold", c.name, c.state, c.exit_code));
                    }
                }
                for b in before.containers.iter().filter(|b| !after.containers.iter().any(|c| c.name == b.name)) {
                    if !told_of(&b.name) {
                        failures.push(format!("{where_}: {} was removed untold", b.name));
                    }
                }
                before = after;
            }
        }
        assert!(commands > 500, "only {commands} commands replayed");
        assert!(failures.is_empty(), "{} of {commands} commands:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn a_layer_entry_shows_once_something_at_or_under_it_is_written() {
        let at = |c: &str, p: &str| (c.to_string(), p.to_string());
        let paths = LayerPaths { written: vec![at("w", "/etc/app/app.conf")], later: vec![at("w", "/srv/web/a.txt"), at("w", "/etc/x")] };
        assert!(paths.unwritten("w", "/srv/web/a.txt") && paths.unwritten("w", "/srv/web") && paths.unwritten("w", "/srv"));
        assert!(!paths.unwritten("w", "/etc"), "/etc holds a file written by now");
        assert!(!paths.unwritten("w", "/etc/app/app.conf") && !paths.unwritten("v", "/srv/web/a.txt"));
        assert!(!paths.unwritten("w", "/sr"), "a prefix of a name is not a parent");
    }

    #[test]
    fn events_that_only_look_alike_stay_separate_steps() {
        // A container created but not started, and a copy-up whose write went elsewhere.
        let events = [
            Event::ContainerCreated { container: "a".into(), image: "alpine".into() },
            Event::ContainerStateChanged { container: "b".into(), state: ContainerState::Running, exit_code: None },
            Event::CopyUp { container: "a".into(), path: "/etc/x".into(), layer: 1, bytes: 3 },
            Event::FileWritten { place: Place::WritableLayer { container: "a".into() }, path: "/etc/y".into(), bytes: 4 },
        ];
        let steps = narrate(&events);
        assert_eq!(steps.len(), 4);
        for (step, event) in steps.iter().zip(&events) {
            assert_eq!(step.0, event.narrate());
        }
    }
}
