//! What the CLI asks the daemon for, typed: a container's whole configuration, and each mount
//! it wants. The CLI parses flags into these (`docker run`, `docker create`); Compose builds
//! them from its services. Nothing here is text to parse again.
//!
//! Architecture invariant: plain data; the daemon validates it, in Docker's order.

use std::collections::BTreeMap;

use crate::world::{ComposeRef, PortBinding};

/// A container to create, as `docker create` sends it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerSpec {
    pub name: Option<String>,
    /// The image as the learner named it; it must be on the machine (the CLI pulls first).
    pub image: String,
    /// `--entrypoint`, replacing the image's.
    pub entrypoint: Option<String>,
    /// The command after the image; empty for the image's `CMD`.
    pub command: Vec<String>,
    /// `-e`: `NAME=VALUE` (or a bare `NAME`, set empty).
    pub env: Vec<String>,
    pub labels: BTreeMap<String, String>,
    /// `--stop-signal`: what `docker stop` sends in place of TERM, as given.
    pub stop_signal: Option<String>,
    /// `--stop-timeout`.
    pub stop_timeout: Option<i64>,
    /// `--log-driver`, `--ipc` (empty: the defaults) and `--device`.
    pub log_driver: String,
    pub ipc_mode: String,
    pub devices: Vec<crate::world::DeviceMapping>,
    /// `--restart`, checked by the CLI (its form) and the daemon (its meaning).
    pub restart: crate::world::RestartPolicy,
    /// `--user`; `None` for the image's.
    pub user: Option<String>,
    pub workdir: Option<String>,
    pub hostname: Option<String>,
    /// `-v`, in order.
    pub volumes: Vec<Request>,
    /// `--mount`, in order; an entry the daemon will refuse carries its message.
    pub mounts: Vec<Result<Request, String>>,
    /// `--tmpfs`, in order, refused ones with their message.
    pub tmpfs: Vec<Result<Request, String>>,
    /// `-v` specs the daemon refuses (the CLI accepted their syntax), in order.
    pub refused_volumes: Vec<String>,
    /// `--volumes-from CONTAINER[:ro|rw]` as given.
    pub volumes_from: Vec<String>,
    pub read_only: bool,
    /// `--group-add`.
    pub group_add: Vec<String>,
    /// `--shm-size` in bytes.
    pub shm_size: Option<u64>,
    /// `--cap-add`, `--cap-drop` as given (checked by the daemon), `--privileged`.
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub privileged: bool,
    /// `--add-host`.
    pub extra_hosts: Vec<String>,
    /// `-m`, `--cpus`, `--pids-limit`, … (checked by [`crate::daemon::resources::verify`]).
    pub resources: crate::host_config::Resources,
    /// `--rm`.
    pub auto_remove: bool,
    pub network_mode: String,
    pub port_bindings: Vec<PortBinding>,
    /// `-P`.
    pub publish_all: bool,
    pub tty: bool,
    pub interactive: bool,
    /// Not `-d`: the client attaches to the output.
    pub attached: bool,
    /// The Compose service this container is, with its labels.
    pub compose: Option<ComposeRef>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `-v` / `--volume` (listed in `HostConfig.Binds`, or `Config.Volumes` when anonymous).
    Bind,
    /// `--mount`.
    Mount,
    /// `--tmpfs`.
    Tmpfs,
    /// The image's `VOLUME`.
    Image,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A named volume; `None` for a new anonymous one.
    Volume(Option<String>),
    /// A host path.
    Bind(String),
    Tmpfs,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub source: Source,
    pub target: String,
    pub read_only: bool,
    /// The `Mode` docker inspect shows.
    pub mode: String,
    pub nocopy: bool,
    pub subpath: String,
    pub tmpfs_size: Option<u64>,
    pub tmpfs_mode: Option<u32>,
    /// Raw `--tmpfs` options, or the `/proc/mounts` extras for `--mount type=tmpfs`.
    pub tmpfs_opts: String,
    pub origin: Origin,
    /// The spec as given (for `HostConfig.Binds`), with the host path made absolute.
    pub raw: String,
    /// `HostConfig.Mounts` entry for `--mount`.
    pub mount_json: Option<serde_json::Value>,
    /// A bind's propagation as given (`rshared`, `slave`, …; `rprivate` when not).
    pub propagation: Option<String>,
    /// `--mount volume-label=K=V` and `volume-opt=K=V`: what a volume it creates gets.
    pub volume_labels: BTreeMap<String, String>,
    pub volume_opts: BTreeMap<String, String>,
}

impl Request {
    /// A request with Docker's defaults: read-write, no options.
    pub fn new(source: Source, target: String, origin: Origin, raw: &str) -> Request {
        Request {
            source,
            target,
            read_only: false,
            mode: String::new(),
            nocopy: false,
            subpath: String::new(),
            tmpfs_size: None,
            tmpfs_mode: None,
            tmpfs_opts: String::new(),
            origin,
            raw: raw.to_string(),
            mount_json: None,
            propagation: None,
            volume_labels: BTreeMap::new(),
            volume_opts: BTreeMap::new(),
        }
    }
}

/// Sizes like `64k`, `1m`, `65536`.
/// A restart policy as dockerd judges it (`NAME[:COUNT]`, the count already read by the CLI).
pub fn restart_policy(policy: &str, count: Option<i64>) -> Result<crate::world::RestartPolicy, String> {
    let refusal = if !matches!(policy, "no" | "always" | "unless-stopped" | "on-failure") {
        Some(format!("unknown policy '{policy}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'"))
    } else if count.is_some() && policy != "on-failure" {
        Some("maximum retry count can only be used with 'on-failure'".to_string())
    } else if count.is_some_and(|c| c < 0) {
        Some("maximum retry count cannot be negative".to_string())
    } else {
        None
    };
    match refusal {
        Some(why) => Err(format!("invalid restart policy: {why}")),
        None => Ok(crate::world::RestartPolicy { name: policy.to_string(), max_retries: count.map_or(0, |c| c as u32) }),
    }
}

pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let (num, mult) = if let Some(n) = lower.strip_suffix("kb").or_else(|| lower.strip_suffix('k')) {
        (n.to_string(), 1024u64)
    } else if let Some(n) = lower.strip_suffix("mb").or_else(|| lower.strip_suffix('m')) {
        (n.to_string(), 1 << 20)
    } else if let Some(n) = lower.strip_suffix("gb").or_else(|| lower.strip_suffix('g')) {
        (n.to_string(), 1 << 30)
    } else if let Some(n) = lower.strip_suffix('b') {
        (n.to_string(), 1)
    } else {
        (lower.clone(), 1)
    };
    let v: f64 = num.parse().ok()?;
    if v < 0.0 {
        return None;
    }
    Some((v * mult as f64) as u64)
}

/// Validated tmpfs options: the `/proc/mounts` extras, size limit and root mode/uid/gid.
pub struct TmpfsOptions {
    pub proc_opts: String,
    pub size: Option<u64>,
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub read_only: bool,
}

/// Checks `--tmpfs` options as the daemon and the kernel do. `Err((message, exit))`.
pub fn tmpfs_options(opts: &str) -> Result<TmpfsOptions, String> {
    let mut out = TmpfsOptions { proc_opts: String::new(), size: None, mode: None, uid: None, gid: None, read_only: false };
    let mut extras = Vec::new();
    for o in opts.split(',').filter(|o| !o.is_empty()) {
        let (k, v) = match o.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (o, None),
        };
        match (k, v) {
            // The kernel keeps whole pages: 1000000 bytes is 245 pages, `size=980k` (oracle-153).
            ("size", Some(v)) => match parse_size(v) {
                Some(n) => out.size = Some(n.div_ceil(4096) * 4096),
                None => return Err(format!("failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting \"tmpfs\" to rootfs at \"{{TARGET}}\": mount tmpfs:{{TARGET}} (via /proc/self/fd/6), flags: 0xe, data: size={v}: invalid argument: unknown")),
            },
            ("mode", Some(v)) => out.mode = u32::from_str_radix(v, 8).ok(),
            ("uid", Some(v)) => out.uid = v.parse().ok(),
            ("gid", Some(v)) => out.gid = v.parse().ok(),
            ("ro", None) => out.read_only = true,
            ("rw" | "noexec" | "exec" | "nosuid" | "suid" | "nodev" | "dev" | "sync" | "async" | "noatime" | "atime" | "relatime" | "norelatime" | "strictatime" | "nodiratime" | "diratime" | "mand" | "nomand" | "dirsync" | "remount" | "bind" | "rbind" | "private" | "rprivate" | "shared" | "rshared" | "slave" | "rslave" | "unbindable" | "runbindable" | "tmpcopyup" | "notmpcopyup" | "nr_inodes" | "nr_blocks", _) => {}
            _ => return Err(format!("invalid tmpfs option \"{o}\"")),
        }
    }
    if let Some(s) = out.size {
        extras.push(format!("size={}k", s / 1024));
    }
    // The kernel shows only what differs from a tmpfs's defaults (mode 1777, owner 0:0).
    if let Some(m) = out.mode.filter(|m| *m != 0o1777) {
        extras.push(format!("mode={m:o}"));
    }
    if let Some(u) = out.uid.filter(|u| *u != 0) {
        extras.push(format!("uid={u}"));
    }
    if let Some(g) = out.gid.filter(|g| *g != 0) {
        extras.push(format!("gid={g}"));
    }
    out.proc_opts = extras.join(",");
    Ok(out)
}
