//! A container's limits as dockerd checks and changes them: `run`'s `-m`, `--memory-swap`,
//! `--cpus`, `--cpuset-cpus`, `--pids-limit`, … and `docker update` (moby's
//! `verifyPlatformContainerResources` and `Container.UpdateContainer`, on this machine's
//! cgroup v1 with 2 CPUs, recorded in oracle-125). Limits live in the container's cgroup and its
//! `HostConfig`, never in its layers: an update touches no file.

use crate::events::Event;
use crate::host_config::{Resources, RestartPolicy};
use crate::ids::ContainerId;
use crate::world::{Status, World};

use super::DaemonError;

/// The machine's CPUs (`docker info`'s NCPU).
pub const NCPU: i64 = 2;
/// The machine's memory in bytes (`docker info`'s Total Memory, 23.54GiB).
pub const MEM_TOTAL: u64 = 25_276_063_744;

/// The smallest memory limit dockerd accepts.
const MIN_MEMORY: i64 = 6 * 1024 * 1024;

/// Checks limits as given (`update`: a `docker update` request, where 0 leaves a limit as it
/// is). The message is dockerd's.
pub fn verify(r: &Resources, update: bool) -> Result<(), String> {
    if r.memory != 0 && r.memory < MIN_MEMORY {
        return Err("Minimum memory limit allowed is 6MB".into());
    }
    if r.memory == 0 && r.memory_swap > 0 && !update {
        return Err("You should always set the Memory limit when using Memoryswap limit, see usage".into());
    }
    if r.memory > 0 && r.memory_swap > 0 && r.memory_swap < r.memory {
        return Err("Minimum memoryswap limit should be larger than memory limit, see usage".into());
    }
    if r.memory > 0 && r.memory_reservation > 0 && r.memory < r.memory_reservation {
        return Err("Minimum memory limit can not be less than memory reservation limit, see usage".into());
    }
    if r.nano_cpus > 0 && r.cpu_period > 0 {
        return Err("Conflicting options: Nano CPUs and CPU Period cannot both be set".into());
    }
    if r.nano_cpus > 0 && r.cpu_quota > 0 {
        return Err("Conflicting options: Nano CPUs and CPU Quota cannot both be set".into());
    }
    if r.nano_cpus < 0 || r.nano_cpus > NCPU * 1_000_000_000 {
        return Err(format!("Range of CPUs is from 0.01 to {NCPU}.00, as there are only {NCPU} CPUs available"));
    }
    if !r.cpuset_cpus.is_empty() {
        let Some(cpus) = cpu_list(&r.cpuset_cpus) else {
            return Err(format!("Invalid value {0} for cpuset cpus: invalid format: {0}", r.cpuset_cpus));
        };
        if cpus.iter().any(|c| *c >= NCPU) {
            return Err(format!("Requested CPUs are not available - requested {}, available: 0-{}", r.cpuset_cpus, NCPU - 1));
        }
    }
    Ok(())
}

/// The CPUs a cpuset names (`0`, `0-1`, `0,1`); `None` when it is no list.
fn cpu_list(text: &str) -> Option<Vec<i64>> {
    let mut cpus = Vec::new();
    for part in text.split(',') {
        let (low, high) = part.split_once('-').unwrap_or((part, part));
        let (low, high): (i64, i64) = (low.parse().ok()?, high.parse().ok()?);
        if low > high {
            return None;
        }
        cpus.extend(low..=high);
    }
    Some(cpus)
}

/// What dockerd fills in at create: swap twice the memory when only memory is limited, no
/// process limit for one that is not positive.
pub fn adapt_for_create(r: &mut Resources) {
    if r.memory > 0 && r.memory_swap == 0 {
        r.memory_swap = 2 * r.memory;
    }
    if r.pids_limit.is_some_and(|n| n <= 0) {
        r.pids_limit = None;
    }
}

/// A `docker update` request: limits to change (0, an empty cpuset, `None`: unchanged), a
/// restart policy, a block I/O weight.
#[derive(Clone, Debug, Default)]
pub struct Update {
    pub resources: Resources,
    /// `--restart NAME[:COUNT]`, the count as the CLI read it.
    pub restart: Option<(String, Option<i64>)>,
    pub blkio_weight: u16,
}

/// What an update may answer besides success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateError {
    /// The request itself is refused (before any container is looked at).
    Invalid(String),
    NoSuchContainer(String),
    /// The container refuses it: `Cannot update container ID: …`.
    Refused {
        id: ContainerId,
        why: String,
    },
}

impl std::fmt::Display for UpdateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UpdateError::Invalid(why) => f.write_str(why),
            UpdateError::NoSuchContainer(name) => write!(f, "{}", DaemonError::NoSuchContainer(name.clone())),
            UpdateError::Refused { id, why } => write!(f, "Cannot update container {id}: {why}"),
        }
    }
}

/// Changes the limits of container `name`: dockerd's checks, then the change of its
/// `HostConfig`, then (running) of its cgroup, whose refusal undoes the change. The warnings
/// dockerd returns on success.
pub fn update(world: &mut World, name: &str, request: &Update) -> Result<Vec<String>, UpdateError> {
    verify(&request.resources, true).map_err(UpdateError::Invalid)?;
    let restart: Option<RestartPolicy> = match &request.restart {
        Some((name, count)) => Some(super::spec::restart_policy(name, *count).map_err(UpdateError::Invalid)?),
        None => None,
    };
    let mut warnings = Vec::new();
    if request.blkio_weight > 0 {
        // This kernel's cgroups have no blkio weight: dockerd drops it and says so.
        warnings.push("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.".to_string());
    }
    let id = world.find_container(name).ok_or_else(|| UpdateError::NoSuchContainer(name.to_string()))?;
    let Some(c) = world.container(&id) else { return Err(UpdateError::NoSuchContainer(name.to_string())) };
    let refused = |why: &str| UpdateError::Refused { id: id.clone(), why: why.to_string() };
    let (mut now, want) = (c.host.resources.clone(), &request.resources);
    if want.nano_cpus != 0 && now.cpu_period != 0 {
        return Err(refused("Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set"));
    }
    if want.cpu_period != 0 && now.nano_cpus > 0 {
        return Err(refused("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set"));
    }
    for (field, value) in [
        (&mut now.cpu_shares, want.cpu_shares),
        (&mut now.nano_cpus, want.nano_cpus),
        (&mut now.cpu_period, want.cpu_period),
        (&mut now.cpu_quota, want.cpu_quota),
        (&mut now.memory_reservation, want.memory_reservation),
    ] {
        if value != 0 {
            *field = value;
        }
    }
    if !want.cpuset_cpus.is_empty() {
        now.cpuset_cpus = want.cpuset_cpus.clone();
    }
    if want.memory != 0 {
        if want.memory > now.memory_swap && want.memory_swap == 0 {
            return Err(refused(
                "Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time",
            ));
        }
        now.memory = want.memory;
    }
    if want.memory_swap != 0 {
        now.memory_swap = want.memory_swap;
    }
    if let Some(limit) = want.pids_limit {
        now.pids_limit = Some(limit.max(0));
    }
    let restart = match restart {
        Some(policy) if c.host.auto_remove && policy.name != "no" => {
            return Err(refused("Restart policy cannot be updated because AutoRemove is enabled for the container"));
        }
        Some(policy) => policy,
        None => c.host.restart.clone(),
    };
    // A running container's cgroup takes the new limits, or refuses them (runc's words).
    if c.status == Status::Running {
        if let Some(why) = cgroup_refusal(&id, &now, want) {
            return Err(refused(&why));
        }
    }
    let mut changed = Vec::new();
    if now != c.host.resources {
        changed.push("limits".to_string());
    }
    if restart != c.host.restart {
        changed.push(format!("restart policy {}", restart.name));
    }
    let container = c.name.clone();
    if let Some(c) = world.container_mut(&id) {
        c.host.resources = now;
        c.host.restart = restart;
    }
    if !changed.is_empty() {
        world.emit(Event::ContainerUpdated { container, changed });
    }
    Ok(warnings)
}

/// What runc's cgroup v1 writes refuse: a CFS quota under 1 ms, a memory+swap limit below
/// the memory limit (or set while memory is unlimited).
fn cgroup_refusal(id: &ContainerId, now: &Resources, want: &Resources) -> Option<String> {
    let runc = |value: i64, file: &str| {
        format!(
            "runc did not terminate successfully: exit status 1: failed to write \"{value}\": write /sys/fs/cgroup/{file}: invalid argument\n: unknown"
        )
    };
    let quota = want.nano_cpus * 100_000 / 1_000_000_000;
    if want.nano_cpus != 0 && quota < 1000 {
        return Some(runc(quota, &format!("cpu/docker/{id}/cpu.cfs_quota_us")));
    }
    let swap_changed = want.memory != 0 || want.memory_swap != 0;
    if swap_changed && now.memory_swap > 0 && (now.memory == 0 || now.memory_swap < now.memory) {
        return Some(runc(now.memory_swap, &format!("memory/docker/{id}/memory.memsw.limit_in_bytes")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked_as_dockerd_checks_them() {
        let r = |f: fn(&mut Resources)| {
            let mut r = Resources::default();
            f(&mut r);
            r
        };
        assert_eq!(verify(&r(|r| r.memory = 1024), false), Err("Minimum memory limit allowed is 6MB".into()));
        assert!(verify(&r(|r| r.memory_swap = 10 << 20), false).is_err());
        assert!(verify(&r(|r| r.memory_swap = 10 << 20), true).is_ok());
        assert!(verify(&r(|r| r.nano_cpus = 3_000_000_000), false).is_err_and(|e| e.starts_with("Range of CPUs is from 0.01 to 2.00")));
        assert_eq!(
            verify(&r(|r| r.cpuset_cpus = "5".into()), false),
            Err("Requested CPUs are not available - requested 5, available: 0-1".into())
        );
        assert_eq!(verify(&r(|r| r.cpuset_cpus = "x".into()), false), Err("Invalid value x for cpuset cpus: invalid format: x".into()));
        assert!(verify(&r(|r| r.cpuset_cpus = "0-1".into()), false).is_ok());
        let mut created = r(|r| {
            r.memory = 64 << 20;
            r.pids_limit = Some(-1);
        });
        adapt_for_create(&mut created);
        assert_eq!((created.memory_swap, created.pids_limit), (128 << 20, None));
    }
}
