//! The state of the simulated machine: one inode arena, the Docker objects that point into it.

use std::collections::BTreeMap;

use crate::build_cache::BuildCache;
use crate::clock::{Clock, Ids};
pub use crate::cred::Cred;
use crate::events::{Event, Measured, SizeAt};
use crate::fs::{Arena, InodeId};
pub use crate::host_config::{BoundPort, DeviceMapping, HostConfig, PortBinding, RestartPolicy};
use crate::http::{Request, Response};
pub use crate::ids::ContainerId;
pub use crate::image_store::{Healthcheck, HistoryEntry, Image, ImageConfig, Layer};

/// A server a container's main process runs (nginx, a Flask app). The machine keeps it with
/// its container without knowing what it is: the programs that run servers do.
pub trait RunningServer: std::fmt::Debug {
    /// Whether it accepts a connection on `port` at local address `ip`.
    fn accepts(&self, port: u16, ip: &str) -> bool;
    /// Answers a request that reached container `id` on `port` (logging as the server does).
    fn serve(&self, world: &mut World, id: &ContainerId, port: u16, req: &Request) -> Response;
    /// The server as its program knows it (`downcast_ref`).
    fn as_any(&self) -> &dyn std::any::Any;
    fn clone_box(&self) -> Box<dyn RunningServer>;
}

impl Clone for Box<dyn RunningServer> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// A main process asleep between the commands typed (a shell in `sleep` or `wait`). The machine
/// keeps it with its container and the shell wakes it when the clock reaches `wake_at`; what
/// the process is (its variables, what it runs next), only the shell knows.
#[derive(Clone, Debug)]
pub struct Sleeper {
    /// When its sleep ends, on the clock (nanoseconds).
    pub wake_at: i128,
    /// It waits for its children (`wait`): a signal it traps wakes it at once, where a
    /// foreground `sleep` runs to its end first.
    pub wakes_on_signal: bool,
    /// Signals sent to it and not handled yet (`TERM`, `HUP`…).
    pub pending: Vec<String>,
    pub process: Box<dyn SleepingProcess>,
}

impl Sleeper {
    /// It waits in `wait` and a signal it traps has come: it wakes now, whatever its time.
    pub fn signalled(&self) -> bool {
        self.wakes_on_signal && self.pending.iter().any(|p| self.process.handles(p))
    }
}

/// The state of a sleeping process, as the program that sleeps keeps it.
pub trait SleepingProcess: std::fmt::Debug {
    /// The process as its program knows it (`downcast_ref`).
    fn as_any(&self) -> &dyn std::any::Any;
    fn clone_box(&self) -> Box<dyn SleepingProcess>;
    /// Whether it runs an action on `signal` (a shell's `trap`); a namespace's init ignores
    /// the others.
    fn handles(&self, signal: &str) -> bool;
    /// The program it sleeps in (`sleep 100`), and whether that program took the process's
    /// place (the last command of `sh -c` runs in the shell's own process).
    fn asleep_in(&self) -> Option<(Vec<String>, bool)> {
        None
    }
}

impl Clone for Box<dyn SleepingProcess> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// The most simple commands one typed line may run (loops included).
pub const STEP_BUDGET: u64 = 20_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Volume {
    pub name: String,
    pub root: InodeId,
    pub created: i64,
    pub labels: BTreeMap<String, String>,
    pub options: Option<BTreeMap<String, String>>,
    pub anonymous: bool,
    /// `--opt type=tmpfs`: content lives in memory, per mount.
    pub tmpfs: bool,
}

/// What a mount point in a container shows.
#[derive(Clone, Debug, PartialEq)]
pub enum MountKind {
    Volume {
        name: String,
    },
    Bind {
        source: String,
    },
    Tmpfs,
    /// A file system on a block device (a loop device's ext4): `device` names it.
    Disk {
        device: String,
    },
    /// Docker's own mounts: /dev, /dev/shm, /proc, /sys, /etc/hosts…
    System(SystemMount),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SystemMount {
    Proc,
    Dev,
    DevPts,
    Sys,
    Mqueue,
    Shm,
    ResolvConf,
    Hostname,
    Hosts,
}

/// An active mount in a namespace.
#[derive(Clone, Debug, PartialEq)]
pub struct Mount {
    pub target: String,
    pub root: InodeId,
    pub kind: MountKind,
    pub read_only: bool,
    /// Size limit in bytes (tmpfs).
    pub limit: Option<u64>,
    /// The mount options shown in /proc/mounts after the fs type.
    pub proc_opts: String,
}

/// A mount as configured on the container (its `Mounts` entry in `docker inspect`).
#[derive(Clone, Debug, PartialEq)]
pub struct MountPoint {
    pub kind: MountPointKind,
    /// Volume name, or the bind's host path.
    pub name: String,
    pub source: String,
    pub destination: String,
    pub mode: String,
    pub rw: bool,
    pub propagation: String,
    /// Tmpfs: size limit and mode from the spec.
    pub tmpfs_size: Option<u64>,
    pub tmpfs_mode: Option<u32>,
    pub tmpfs_opts: String,
    pub nocopy: bool,
    pub subpath: String,
    /// Part of `.Mounts` (`--tmpfs` mounts are not).
    pub listed: bool,
    /// Anonymous volume created for this container (removed by `rm -v`).
    pub anonymous: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MountPointKind {
    Volume,
    Bind,
    Tmpfs,
}

impl MountPointKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            MountPointKind::Volume => "volume",
            MountPointKind::Bind => "bind",
            MountPointKind::Tmpfs => "tmpfs",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Created,
    Running,
    Exited,
}

#[derive(Clone, Debug)]
pub struct Container {
    pub id: ContainerId,
    pub name: String,
    pub image_id: String,
    /// The image as the user named it (`demo/app:1.0`).
    pub image_ref: String,
    pub created: i128,
    pub path: String,
    pub args: Vec<String>,
    /// `Config.Entrypoint` and `Config.Cmd` as the daemon merged them: the line's, else the
    /// image's (an entrypoint given on the line drops the image's CMD).
    pub config_entrypoint: Option<Vec<String>>,
    pub config_cmd: Option<Vec<String>>,
    /// The credentials its main process runs with, once started (`/proc/1/status`).
    pub main_cred: Option<Cred>,
    pub env: Vec<String>,
    pub user: String,
    pub working_dir: String,
    pub config_volumes: Vec<String>,
    pub labels: BTreeMap<String, String>,
    /// `--stop-signal`, as given: what `docker stop` sends in place of TERM.
    pub stop_signal: Option<String>,
    /// `--stop-timeout`: the seconds `docker stop` waits by default (10 when not given).
    pub stop_timeout: Option<i64>,
    pub host: HostConfig,
    pub mount_points: Vec<MountPoint>,
    pub status: Status,
    /// Running with its processes frozen (`docker pause`).
    pub paused: bool,
    pub exit_code: i32,
    pub started_at: Option<i128>,
    pub finished_at: Option<i128>,
    pub pid: u32,
    /// The next pid of the container's own pid namespace (its main process is 1).
    pub next_pid: u32,
    pub restart_count: u32,
    /// The restart manager's last delay in milliseconds (doubled at each quick restart).
    pub restart_delay_ms: u64,
    /// `docker stop` is stopping it: however its main process ends, it is not restarted.
    pub stop_requested: bool,
    /// `docker stop` stopped it and nothing started it since (`HasBeenManuallyStopped`).
    pub manually_stopped: bool,

    /// Layer id (the container's overlay2 dir name) and the link name of its init layer.
    pub layer_id: String,
    pub init_link: String,
    /// The container's upper dir and init layer (both directories on the host).
    pub upper: InodeId,
    pub init: InodeId,
    /// Mounts of the running container (built at start; tmpfs content lives here).
    pub mounts: Vec<Mount>,
    /// Output of the main process, for `docker logs`.
    pub logs: Vec<(bool, String)>,
    /// When each line of `logs` was written (lines kept without a time: the start).
    pub log_times: Vec<i128>,
    /// The lines of `logs` written without their newline (a process's last `printf`):
    /// `docker logs` gives them back as written.
    pub log_unterminated: Vec<usize>,
    /// What the main process does after its script: keeps running (`sleep`), or has ended.
    pub tty: bool,
    pub interactive: bool,
    /// The client attached to its output when it was made (`docker create`, `docker run`
    /// without `-d`): `Config.AttachStdout` and `AttachStderr`.
    pub attached: bool,
    pub hostname: String,
    pub compose: Option<ComposeRef>,
    /// Host ports bound while the container runs.
    pub ports: Vec<BoundPort>,
    /// The network server the main process runs, once it listens.
    pub server: Option<Box<dyn RunningServer>>,
    /// The main process, asleep until its next step (a looping script, a shell in `sleep`).
    pub sleeper: Option<Sleeper>,
    /// Processes `docker exec -d` started that sleep, waking as the main process does; they
    /// end with the container.
    pub execs: Vec<Sleeper>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ComposeRef {
    pub project: String,
    pub service: String,
    pub config_hash: String,
}

impl Container {
    /// The main process's command line: the program that took its place when the last command
    /// of its `sh -c` runs in the shell's own process (busybox's exec), or as it was started.
    pub fn main_argv(&self) -> Vec<String> {
        match self.sleeper.as_ref().and_then(|s| s.process.asleep_in()) {
            Some((argv, true)) => argv,
            _ => std::iter::once(self.path.clone()).chain(self.args.iter().cloned()).collect(),
        }
    }

    /// A container as it is made, before its request fills it in: created, never started,
    /// nothing mounted, logged or bound; its writable layer `upper` and init layer `init`.
    pub fn fresh(id: ContainerId, upper: InodeId, init: InodeId) -> Container {
        Container {
            id,
            name: String::new(),
            image_id: String::new(),
            image_ref: String::new(),
            created: 0,
            path: String::new(),
            args: Vec::new(),
            config_entrypoint: None,
            config_cmd: None,
            main_cred: None,
            env: Vec::new(),
            user: String::new(),
            working_dir: String::new(),
            config_volumes: Vec::new(),
            labels: BTreeMap::new(),
            stop_signal: None,
            stop_timeout: None,
            host: HostConfig::default(),
            mount_points: Vec::new(),
            status: Status::Created,
            paused: false,
            exit_code: 0,
            started_at: None,
            finished_at: None,
            pid: 0,
            next_pid: 0,
            restart_count: 0,
            restart_delay_ms: 0,
            stop_requested: false,
            manually_stopped: false,
            layer_id: String::new(),
            init_link: String::new(),
            upper,
            init,
            mounts: Vec::new(),
            logs: Vec::new(),
            log_times: Vec::new(),
            log_unterminated: Vec::new(),
            tty: false,
            interactive: false,
            attached: false,
            hostname: String::new(),
            compose: None,
            ports: Vec::new(),
            server: None,
            sleeper: None,
            execs: Vec::new(),
        }
    }

    /// The 12 hex digits `docker ps` shows (of the 64 of the id).
    pub fn short_id(&self) -> &str {
        self.id.short()
    }
    /// Exited, with the daemon about to start it again (its restart policy): Docker's
    /// `restarting` state.
    pub fn restarting(&self) -> bool {
        self.status == Status::Exited && self.sleeper.is_some()
    }
    pub fn command_line(&self) -> String {
        let mut parts = vec![self.path.clone()];
        parts.extend(self.args.iter().cloned());
        parts.join(" ")
    }
}

/// The whole machine.
#[derive(Clone, Debug)]
pub struct World {
    fs: Arena,
    host_root: InodeId,
    clock: Clock,
    ids: Ids,
    layers: Vec<Layer>,
    images: Vec<Image>,
    /// Images `docker rmi -f` deleted while stopped containers used them: gone from the store,
    /// kept for those containers' layers until the last of them goes.
    retired_images: Vec<Image>,
    containers: Vec<Container>,
    /// Containers the line being run removed, as they were just before: a `--rm` container
    /// lives and goes within one line, and the map shows it while its steps play.
    removed: Vec<Container>,
    volumes: BTreeMap<String, Volume>,
    /// Events of the command being run.
    events: Vec<Event>,
    /// The sizes of the places the line changed, at the end of each run of events on one.
    size_marks: Vec<SizeAt>,
    /// The place the latest events changed, not measured yet.
    open_place: Option<Measured>,
    /// Tty attached to the terminal (the REPL and the web app); replays have none.
    tty: bool,
    next_pid: u32,
    /// Simple commands the current line may still run (loops are bounded).
    budget: u64,
    /// Set once the budget ran out, so the line reports it once.
    budget_exhausted: bool,
    /// User-defined networks (compose's `<project>_default`).
    networks: Vec<String>,
    /// Set by `docker run -it … sh` / `docker exec -it … sh` on a terminal: the front end
    /// continues inside that container's shell.
    pending_session: Option<SessionRequest>,
    /// A `[y/N]` question was asked at the terminal with nothing typed ahead: the next line is
    /// its answer.
    question_pending: bool,
    /// The line being run is a question's answered replay: ask nothing.
    answering: bool,
    /// The daemon is making directories for its own purposes (mount points, bind sources):
    /// it tells them with its own events, not as writes.
    daemon_at_work: bool,
    /// While a detached main process runs (`docker run -d`, a sleeper woken), the time up to
    /// which its sleeps pass: one ending later puts it to sleep until then.
    awake_until: Option<i128>,
    /// What wakes the sleeping main processes whose time has come (the shell's, handed in by
    /// the engine: the machine keeps them, the programs run them).
    waker: Option<Waker>,
    /// How a container's configuration files read (see [`ContainerFiles`]).
    container_files: Option<ContainerFiles>,
    /// The program running now, as `/proc/self` names it: its command's name and pid.
    task: Option<(String, u32)>,
    /// BuildKit's cache records (`docker builder du`).
    build_cache: BuildCache,
    /// File systems mounted on the host after boot (`sudo mount`), oldest first.
    host_mounts: Vec<HostMount>,
    /// Loop devices and the file systems written into files.
    block_devices: crate::blockdev::BlockDevices,
}

/// A file system a learner mounted on the host (`sudo mount`): a tmpfs, a directory bound
/// elsewhere. Its `mount` is what path resolution enters; the rest is what the mount tables
/// say of it.
#[derive(Clone, Debug, PartialEq)]
pub struct HostMount {
    pub mount: Mount,
    /// The source `/proc/mounts` names: the tmpfs's name (`scratch`), the disk of a bind.
    pub source: String,
    pub fstype: &'static str,
    /// For a bind, the path bound, inside its file system (findmnt's `/dev/vda[/path]`).
    pub bound: Option<String>,
}

/// Wakes the sleepers that are due (see [`World::wake_sleepers`]).
pub type Waker = fn(&mut World);

/// Writes a container's own configuration file (`config.v2.json`, `hostconfig.json`) as the
/// daemon would have it now; `None` for another name. Handed in by the engine: the CLI's
/// code words the API's JSON, the vfs serves the files.
pub type ContainerFiles = fn(&World, &Container, &str) -> Option<String>;

/// An interactive shell the learner enters inside a container.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRequest {
    pub container_id: ContainerId,
    /// The shell program (`sh`, `bash`, `/bin/ash` …).
    pub program: String,
    /// The shell is the container's main process: leaving it stops the container.
    pub main_process: bool,
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub env: Vec<String>,
}

impl World {
    /// A machine with its file tree, clock, id generator, layers and images, and nothing else
    /// yet (no container, volume or event).
    pub fn new(fs: Arena, host_root: InodeId, clock: Clock, ids: Ids, layers: Vec<Layer>, images: Vec<Image>) -> World {
        World {
            fs,
            host_root,
            clock,
            ids,
            layers,
            images,
            retired_images: Vec::new(),
            containers: Vec::new(),
            removed: Vec::new(),
            volumes: BTreeMap::new(),
            events: Vec::new(),
            size_marks: Vec::new(),
            open_place: None,
            tty: false,
            next_pid: 1200,
            budget: STEP_BUDGET,
            budget_exhausted: false,
            networks: Vec::new(),
            pending_session: None,
            question_pending: false,
            answering: false,
            daemon_at_work: false,
            awake_until: None,
            waker: None,
            container_files: None,
            task: None,
            build_cache: BuildCache::default(),
            host_mounts: Vec::new(),
            block_devices: Default::default(),
        }
    }

    /// Loop devices and formatted files (blockdev/): read by anyone, changed by their programs.
    pub fn block_devices(&self) -> &crate::blockdev::BlockDevices {
        &self.block_devices
    }
    pub(crate) fn block_devices_mut(&mut self) -> &mut crate::blockdev::BlockDevices {
        &mut self.block_devices
    }

    /// The host's own mounts beyond its disk, oldest first (changed by the vfs: vfs/host_mounts.rs).
    pub fn host_mounts(&self) -> &[HostMount] {
        &self.host_mounts
    }
    pub(crate) fn host_mounts_mut(&mut self) -> &mut Vec<HostMount> {
        &mut self.host_mounts
    }

    /// BuildKit's cache: read by anyone, changed by the daemon (daemon/build_cache.rs).
    pub fn build_cache(&self) -> &BuildCache {
        &self.build_cache
    }
    pub fn build_cache_mut(&mut self) -> &mut BuildCache {
        &mut self.build_cache
    }

    // The inode arena: read by everyone, written by the vfs (which tells each change as an
    // event) and by the daemon's layer store.
    pub fn fs(&self) -> &Arena {
        &self.fs
    }
    pub fn fs_mut(&mut self) -> &mut Arena {
        &mut self.fs
    }
    /// The host's root directory.
    pub fn host_root(&self) -> InodeId {
        self.host_root
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }
    /// Time passes (`sleep`, a pull, a build step).
    pub fn advance_clock(&mut self, millis: i64) {
        self.clock.advance_millis(millis);
    }
    /// The clock goes to `nanos` (a sleeper woken at its time, the present after it).
    pub fn set_clock(&mut self, nanos: i128) {
        self.clock.nanos = nanos;
    }
    pub fn set_waker(&mut self, waker: Waker) {
        self.waker = Some(waker);
    }
    pub fn set_container_files(&mut self, files: ContainerFiles) {
        self.container_files = Some(files);
    }
    /// A container's configuration file `name` as it reads now, if it is one.
    pub fn container_file(&self, c: &Container, name: &str) -> Option<String> {
        self.container_files.and_then(|f| f(self, c, name))
    }
    /// The sleeping main processes whose time has come live up to the present (before a
    /// command looks at anything).
    pub fn wake_sleepers(&mut self) {
        if let Some(wake) = self.waker {
            wake(self);
        }
    }
    /// Names the program that runs now (its command's name, its pid), or none.
    pub fn set_task(&mut self, task: Option<(String, u32)>) {
        self.task = task;
    }
    /// The program that runs now, as [`World::set_task`] named it.
    pub fn task(&self) -> Option<(&str, u32)> {
        self.task.as_ref().map(|(c, p)| (c.as_str(), *p))
    }
    /// See [`World::awake_until`]: `Some` while a detached main process runs.
    pub fn awake_until(&self) -> Option<i128> {
        self.awake_until
    }
    pub fn set_awake_until(&mut self, until: Option<i128>) -> Option<i128> {
        std::mem::replace(&mut self.awake_until, until)
    }
    /// The line's remaining steps, to be put back after a sleeper's own run (which has its own).
    pub fn swap_budget(&mut self, budget: (u64, bool)) -> (u64, bool) {
        let was = (self.budget, self.budget_exhausted);
        (self.budget, self.budget_exhausted) = budget;
        was
    }
    /// The seeded generator of ids and random names.
    pub fn ids(&mut self) -> &mut Ids {
        &mut self.ids
    }

    // The layer store: layers are found by position, never removed (an image's removal empties
    // its layers' chain ids).
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }
    /// The arena and the layers, for the daemon storing a layer in both.
    pub fn layer_store(&mut self) -> (&mut Arena, &mut Vec<Layer>) {
        (&mut self.fs, &mut self.layers)
    }
    pub fn layer_mut(&mut self, at: usize) -> Option<&mut Layer> {
        self.layers.get_mut(at)
    }
    /// Stores a layer; its position.
    pub fn add_layer(&mut self, layer: Layer) -> usize {
        self.layers.push(layer);
        self.layers.len() - 1
    }

    pub fn images(&self) -> &[Image] {
        &self.images
    }
    pub fn image_mut(&mut self, at: usize) -> Option<&mut Image> {
        self.images.get_mut(at)
    }
    pub fn images_mut(&mut self) -> impl Iterator<Item = &mut Image> {
        self.images.iter_mut()
    }
    pub fn add_image(&mut self, image: Image) {
        self.images.push(image);
    }
    pub fn remove_image(&mut self, at: usize) -> Option<Image> {
        (at < self.images.len()).then(|| self.images.remove(at))
    }
    /// The image a container was made from: in the store, or deleted but kept for it.
    pub fn image_of(&self, c: &Container) -> Option<&Image> {
        self.images.iter().chain(&self.retired_images).find(|im| im.id == c.image_id)
    }
    /// Whether an image holds layer `l`: one in the store, or one deleted but kept for its
    /// containers.
    pub fn image_holds_layer(&self, l: usize) -> bool {
        self.images.iter().chain(&self.retired_images).any(|im| im.layers.contains(&l))
    }
    /// Keeps a deleted image for the containers that use it.
    pub fn retire_image(&mut self, image: Image) {
        self.retired_images.push(image);
    }
    /// The deleted images no container uses any more, taken out.
    pub fn take_unused_retired(&mut self) -> Vec<Image> {
        let (unused, kept): (Vec<Image>, Vec<Image>) =
            std::mem::take(&mut self.retired_images).into_iter().partition(|im| !self.containers.iter().any(|c| c.image_id == im.id));
        self.retired_images = kept;
        unused
    }

    pub fn containers(&self) -> &[Container] {
        &self.containers
    }
    pub fn containers_mut(&mut self) -> impl Iterator<Item = &mut Container> {
        self.containers.iter_mut()
    }
    pub fn add_container(&mut self, container: Container) {
        self.containers.push(container);
    }
    /// Takes container `id` out of the machine (its files are collected once nothing holds them).
    pub fn take_container(&mut self, id: &ContainerId) -> Option<Container> {
        let at = self.containers.iter().position(|c| c.id == *id)?;
        Some(self.containers.remove(at))
    }
    /// Containers the line being run removed, as they were just before.
    pub fn removed(&self) -> &[Container] {
        &self.removed
    }
    pub fn note_removed(&mut self, container: Container) {
        self.removed.push(container);
    }

    pub fn volumes(&self) -> &BTreeMap<String, Volume> {
        &self.volumes
    }
    pub fn volume_mut(&mut self, name: &str) -> Option<&mut Volume> {
        self.volumes.get_mut(name)
    }
    pub fn add_volume(&mut self, volume: Volume) {
        self.volumes.insert(volume.name.clone(), volume);
    }
    pub fn remove_volume(&mut self, name: &str) -> Option<Volume> {
        self.volumes.remove(name)
    }

    /// The events of the line being run, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }
    /// Forgets the events after the first `len`: a step that failed and was rolled back (a
    /// build's RUN) tells nothing.
    pub fn rewind_events(&mut self, len: usize) {
        self.events.truncate(len);
        self.size_marks.retain(|m| m.after < len);
    }
    /// The sizes of the places the line changed (see [`World::emit`]).
    pub fn size_marks(&self) -> &[SizeAt] {
        &self.size_marks
    }

    /// Whether a terminal is attached (the REPL and the web app); replays have none.
    pub fn tty(&self) -> bool {
        self.tty
    }
    pub fn set_tty(&mut self, tty: bool) {
        self.tty = tty;
    }
    /// The pid of a new container's main process (the host's pids advance as processes start).
    pub fn next_pid(&mut self) -> u32 {
        let pid = self.next_pid;
        self.next_pid += 7;
        pid
    }
    /// A pid in container `id`'s namespace for a process `docker exec` starts: runc's init
    /// takes it and its threads the next five (the first exec after a start gets 7).
    pub fn exec_pid(&mut self, id: &ContainerId) -> u32 {
        self.container_mut(id).map_or(0, |c| {
            let pid = c.next_pid;
            c.next_pid += 6;
            pid
        })
    }
    /// A pid in container `id`'s namespace for a process a shell there forks.
    pub fn fork_pid(&mut self, id: &ContainerId) -> u32 {
        self.container_mut(id).map_or(0, |c| {
            let pid = c.next_pid;
            c.next_pid += 1;
            pid
        })
    }
    /// A new line may run [`STEP_BUDGET`] simple commands.
    pub fn reset_budget(&mut self) {
        self.budget = STEP_BUDGET;
        self.budget_exhausted = false;
    }
    /// Whether the line's steps are used up (it then stops, and says so once).
    pub fn out_of_steps(&mut self) -> bool {
        if self.budget == 0 {
            self.budget_exhausted = true;
        }
        self.budget == 0
    }
    /// The line ran out of steps (or of nested calls): it stops and says so once.
    pub fn exhaust_budget(&mut self) {
        self.budget_exhausted = true;
    }
    pub fn budget_exhausted(&self) -> bool {
        self.budget_exhausted
    }
    /// `docker run -it`/`exec -it` at a terminal: the front end continues in that shell.
    pub fn request_session(&mut self, request: SessionRequest) {
        self.pending_session = Some(request);
    }
    pub fn take_session_request(&mut self) -> Option<SessionRequest> {
        self.pending_session.take()
    }
    /// A `[y/N]` question was asked with nothing typed ahead: the next line answers it.
    pub fn ask_question(&mut self) {
        self.question_pending = true;
    }
    pub fn take_question(&mut self) -> bool {
        std::mem::take(&mut self.question_pending)
    }
    /// Whether the line being run is an answered question's replay (ask nothing).
    pub fn answering(&self) -> bool {
        self.answering
    }
    pub fn set_answering(&mut self, answering: bool) {
        self.answering = answering;
    }
    /// Whether the daemon is making directories for its own purposes (its own events tell them).
    pub fn daemon_at_work(&self) -> bool {
        self.daemon_at_work
    }
    /// Runs `work` as the daemon's own (mount points, bind sources): no write events.
    pub fn as_daemon<T>(&mut self, work: impl FnOnce(&mut World) -> T) -> T {
        let was = std::mem::replace(&mut self.daemon_at_work, true);
        let out = work(self);
        self.daemon_at_work = was;
        out
    }

    /// Spends one step of the line's budget; false once it is used up.
    pub fn take_step(&mut self) -> bool {
        if self.budget == 0 {
            self.budget_exhausted = true;
            return false;
        }
        self.budget -= 1;
        true
    }

    pub fn networks_contains(&self, name: &str) -> bool {
        self.networks.iter().any(|n| n == name)
    }

    pub fn add_network(&mut self, name: &str) {
        self.networks.push(name.to_string());
    }

    pub fn remove_network(&mut self, name: &str) {
        self.networks.retain(|n| n != name);
    }

    /// Records a state change. A run of events on one place (a volume, a writable layer, a
    /// tmpfs) is measured when it ends, so a tar of 10,000 files costs one walk, not one per
    /// file; a volume's creation is measured at once (its own moment: empty, before any
    /// population).
    pub fn emit(&mut self, event: Event) {
        let changed = event.changed_place();
        if self.open_place.is_some() && self.open_place != changed {
            self.measure_open_place();
        }
        let created = matches!(event, Event::VolumeCreated { .. });
        self.events.push(event);
        self.open_place = changed;
        if created {
            self.measure_open_place();
        }
    }

    /// Notes the size of the place the latest events changed, as it is now (a place gone
    /// since, such as a removed container's layer, is not measured).
    pub fn measure_open_place(&mut self) {
        let Some(of) = self.open_place.take() else { return };
        let container = |name: &str| self.containers.iter().find(|c| c.name == name);
        let size = match &of {
            Measured::Volume(name) => self.volumes.get(name).map(|v| self.fs.usage(v.root)),
            Measured::WritableLayer { container: name } => container(name).map(|c| self.fs.usage(c.upper)),
            // A stopped container's tmpfs is unmounted: empty.
            Measured::Tmpfs { container: name, target } => {
                container(name).map(|c| c.mounts.iter().find(|m| m.target == *target).map_or((0, 0), |m| self.fs.usage(m.root)))
            }
        };
        let (Some((bytes, files)), Some(after)) = (size, self.events.len().checked_sub(1)) else { return };
        self.size_marks.push(SizeAt { after, of, bytes, files });
    }

    /// Forgets the last line's events (a new line starts).
    pub fn start_line(&mut self) {
        self.events.clear();
        self.removed.clear();
        self.size_marks.clear();
        self.open_place = None;
    }

    /// The container `docker` means by `name_or_id`: its name (a leading `/` allowed), its id,
    /// or a prefix of exactly one id.
    pub fn find_container(&self, name_or_id: &str) -> Option<ContainerId> {
        self.named_container(name_or_id).map(|c| c.id.clone())
    }

    /// A container by id.
    pub fn container(&self, id: &ContainerId) -> Option<&Container> {
        self.containers.iter().find(|c| c.id == *id)
    }

    pub fn container_mut(&mut self, id: &ContainerId) -> Option<&mut Container> {
        self.containers.iter_mut().find(|c| c.id == *id)
    }

    /// The container `name_or_id` names (see [`World::find_container`]).
    pub fn named_container(&self, name_or_id: &str) -> Option<&Container> {
        let key = name_or_id.strip_prefix('/').unwrap_or(name_or_id);
        if key.is_empty() {
            return None;
        }
        if let Some(c) = self.containers.iter().find(|c| c.id == key || c.name == key) {
            return Some(c);
        }
        let mut matches = self.containers.iter().filter(|c| c.id.starts_with(key));
        match (matches.next(), matches.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    }

    /// Every inode that must survive a collection.
    pub fn gc_roots(&self) -> Vec<InodeId> {
        let mut roots = vec![self.host_root];
        for c in self.containers.iter().chain(&self.removed) {
            roots.push(c.upper);
            roots.push(c.init);
            roots.extend(c.mounts.iter().map(|m| m.root));
        }
        roots.extend(self.layers.iter().map(|l| l.root));
        roots.extend(self.volumes.values().map(|v| v.root));
        roots.extend(self.host_mounts.iter().map(|m| m.mount.root));
        roots.extend(self.block_devices.roots());
        // The build cache's mounts live on between builds.
        roots.extend(self.build_cache.records().iter().filter_map(|r| match r.origin {
            crate::build_cache::Origin::CacheMount { dir, .. } => Some(dir),
            _ => None,
        }));
        roots
    }

    pub fn maybe_collect(&mut self) {
        if self.fs.wants_collect() {
            let roots = self.gc_roots();
            self.fs.collect(&roots);
        }
    }
}
