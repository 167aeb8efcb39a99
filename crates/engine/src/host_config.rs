//! A container's host configuration (`HostConfig` in `docker inspect`): how the daemon runs
//! it (mounts it was given, read-only root, capabilities, restart policy, ports, shm size, …).

use std::collections::BTreeMap;

use crate::caps::Caps;

#[derive(Clone, Debug, Default)]
pub struct HostConfig {
    pub binds: Option<Vec<String>>,
    /// `--mount` specs as `HostConfig.Mounts` shows them (JSON objects).
    pub mounts: Vec<serde_json::Value>,
    pub tmpfs: BTreeMap<String, String>,
    pub readonly_rootfs: bool,
    pub volumes_from: Option<Vec<String>>,
    pub auto_remove: bool,
    pub network_mode: String,
    /// `-p`: ports to publish, in the order given (`HostConfig.PortBindings`).
    pub port_bindings: Vec<PortBinding>,
    /// `-P`: publish every exposed port on an ephemeral host port.
    pub publish_all: bool,
    /// `--group-add`: more groups for the container's processes (numbers or the image's names).
    pub group_add: Vec<String>,
    /// `--shm-size` in bytes (64 MiB when not given).
    pub shm_size: u64,
    /// `--cap-drop`: capabilities root loses (`CHOWN`, `ALL`, …), upper case without `CAP_`.
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub privileged: bool,
    /// `--add-host NAME:IP`, as given.
    pub extra_hosts: Vec<String>,
    /// Memory, CPU and process limits (`-m`, `--cpus`, `--pids-limit`, … and `docker update`).
    pub resources: Resources,
    /// `--restart`: what the daemon does when the main process ends by itself.
    pub restart: RestartPolicy,
    /// `--log-driver` (`json-file` unless given): `none` keeps nothing `docker logs` could read.
    pub log_driver: String,
    /// `--ipc`: `private` (a /dev/shm of its own), `shareable`, `container:NAME` (that one's
    /// /dev/shm), `none` (no /dev/shm), `host`.
    pub ipc_mode: String,
    /// `--device HOST[:CONTAINER[:PERMISSIONS]]`: host device nodes made in the container.
    pub devices: Vec<DeviceMapping>,
}

/// A container's limits as `HostConfig` holds them; 0 (and an empty cpuset) is no limit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    /// `-m` in bytes.
    pub memory: i64,
    /// `--memory-swap`: memory and swap together, in bytes; -1 is unlimited swap.
    pub memory_swap: i64,
    pub memory_reservation: i64,
    /// `--cpus` in billionths of a CPU.
    pub nano_cpus: i64,
    pub cpu_shares: i64,
    pub cpu_period: i64,
    pub cpu_quota: i64,
    /// `--cpuset-cpus` (`0`, `0-1`, `0,1`).
    pub cpuset_cpus: String,
    /// `--pids-limit`; `None` shows as `null`.
    pub pids_limit: Option<i64>,
}

/// One `--device`: the host's node, where it appears in the container, and its cgroup
/// permissions (`rwm`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceMapping {
    pub host: String,
    pub container: String,
    pub permissions: String,
}

/// A container's restart policy (`--restart no|always|unless-stopped|on-failure[:N]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestartPolicy {
    pub name: String,
    /// `on-failure:N`: at most N restarts (0: no limit).
    pub max_retries: u32,
}

impl Default for RestartPolicy {
    fn default() -> Self {
        RestartPolicy { name: "no".into(), max_retries: 0 }
    }
}

impl RestartPolicy {
    /// Whether a main process that ended by itself with `code`, after `count` restarts, is
    /// started again (a container stopped by `docker stop` or `kill` never is).
    pub fn restarts(&self, code: i32, count: u32) -> bool {
        match self.name.as_str() {
            "always" | "unless-stopped" => true,
            "on-failure" => code != 0 && (self.max_retries == 0 || count < self.max_retries),
            _ => false,
        }
    }
}

impl HostConfig {
    /// The capabilities the container's root holds (`--cap-add`, `--cap-drop`, `--privileged`).
    pub fn caps(&self) -> Caps {
        Caps::tweak(&self.cap_add, &self.cap_drop, self.privileged)
    }
}

/// One `-p [IP:][HOST_PORT:]CONTAINER_PORT[/PROTO]` as configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortBinding {
    pub container_port: u16,
    pub proto: String,
    /// Empty: every address.
    pub host_ip: String,
    /// `None`: an ephemeral port chosen at start.
    pub host_port: Option<u16>,
}

/// A host port a running container holds (what `docker ps` and `docker port` show).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundPort {
    pub container_port: u16,
    pub proto: String,
    /// `0.0.0.0`, `::` or the address given with `-p`.
    pub host_ip: String,
    pub host_port: u16,
}
