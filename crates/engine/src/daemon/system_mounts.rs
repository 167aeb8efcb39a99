//! The file systems a container starts with beside its root and the mounts it was given:
//! `/proc`, `/dev` (its device nodes, `--device`), `/dev/pts`, `/sys`, `/dev/mqueue` and
//! `/dev/shm` (`--shm-size`, `--ipc`).

use super::host::host_root_ctx;
use super::DaemonError;
use crate::fs::Kind;
use crate::world::{Container, Mount, MountKind, SystemMount, World};

/// The system mounts of `c`, made at `secs`; a `--device` that is not there, or not a device,
/// stops the start.
pub(super) fn system_mounts(world: &mut World, c: &Container, secs: i64) -> Result<Vec<Mount>, DaemonError> {
    let ro_root = c.host.readonly_rootfs;
    // `--device`: each host node is looked up when the container starts (oracle-108).
    let mut device_nodes = Vec::new();
    for d in &c.host.devices {
        let kind = world.stat(&host_root_ctx(), &d.host, true).map(|st| (world.fs().get(st.ino).kind.clone(), st.mode & 0o777));
        // A missing node is told with status 127, a file that is none with 125 (oracle-108).
        let (why, code) = match kind {
            Ok((kind @ (Kind::CharDev { .. } | Kind::BlockDev { .. }), mode)) => {
                device_nodes.push((d.container.clone(), kind, mode));
                continue;
            }
            Ok(_) => ("not a device node", 125),
            Err(_) => ("no such file or directory", 127),
        };
        return Err(DaemonError::Start {
            message: format!("error gathering device information while adding custom device \"{}\": {why}", d.host),
            code,
        });
    }
    // `--ipc`: `none` gives no /dev/shm; `container:NAME` shares that container's.
    let ipc_none = c.host.ipc_mode == "none";
    let shared_shm = c.host.ipc_mode.strip_prefix("container:").and_then(|other| {
        let o = world.named_container(other)?;
        o.mounts.iter().find(|m| m.kind == MountKind::System(SystemMount::Shm)).map(|m| m.root)
    });
    let mut mounts: Vec<Mount> = Vec::new();
    let sys = |fs: &mut crate::fs::Arena, target: &str, kind: SystemMount, ro: bool, opts: &str| {
        let root = fs.new_dir(0, 0, 0o755, secs);
        Mount { target: target.into(), root, kind: MountKind::System(kind), read_only: ro, limit: None, proc_opts: opts.into() }
    };
    let proc_mount = sys(world.fs_mut(), "/proc", SystemMount::Proc, false, "");
    {
        world.fs_mut().get_mut(proc_mount.root).mode = 0o555;
        let mut b = crate::fs::TreeBuilder { fs: world.fs_mut(), root: proc_mount.root };
        b.file("mounts", "", 0, 0, 0o444, secs);
        b.dir("self", 0, 0, 0o555, secs);
        b.file("self/mounts", "", 0, 0, 0o444, secs);
        b.file("self/mountinfo", "", 0, 0, 0o444, secs);
        b.file("self/status", "", 0, 0, 0o444, secs);
        b.dir("1", 0, 0, 0o555, secs);
        for f in ["cmdline", "comm", "mountinfo", "mounts", "status"] {
            b.file(&format!("1/{f}"), "", 0, 0, 0o444, secs);
        }
        b.file("1/environ", "", 0, 0, 0o400, secs);
    }
    mounts.push(proc_mount);
    let dev = sys(world.fs_mut(), "/dev", SystemMount::Dev, false, "");
    {
        let mut b = crate::fs::TreeBuilder { fs: world.fs_mut(), root: dev.root };
        for d in ["pts", "mqueue"] {
            b.dir(d, 0, 0, 0o755, secs);
        }
        if !ipc_none {
            b.dir("shm", 0, 0, 0o1777, secs);
        }
        for (path, kind, mode) in &device_nodes {
            if let Some(rel) = path.strip_prefix("/dev/") {
                b.node(rel, kind.clone(), 0, 0, *mode, secs);
            }
        }
        for (n, maj, min) in
            [("full", 1, 7), ("null", 1, 3), ("random", 1, 8), ("tty", 5, 0), ("urandom", 1, 9), ("zero", 1, 5), ("ptmx", 5, 2)]
        {
            b.node(n, Kind::CharDev { major: maj, minor: min }, 0, 0, 0o666, secs);
        }
        for (n, t) in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")]
        {
            b.node(n, Kind::Symlink(t.into()), 0, 0, 0o777, secs);
        }
    }
    mounts.push(dev);
    mounts.push(sys(world.fs_mut(), "/dev/pts", SystemMount::DevPts, false, ""));
    let sysfs = sys(world.fs_mut(), "/sys", SystemMount::Sys, ro_root, "");
    world.fs_mut().get_mut(sysfs.root).mode = 0o555;
    mounts.push(sysfs);
    mounts.push(sys(world.fs_mut(), "/dev/mqueue", SystemMount::Mqueue, false, ""));
    if !ipc_none {
        let mut shm = sys(world.fs_mut(), "/dev/shm", SystemMount::Shm, false, "");
        world.fs_mut().get_mut(shm.root).mode = 0o1777;
        shm.limit = Some(c.host.shm_size);
        if let Some(root) = shared_shm {
            shm.root = root;
        }
        mounts.push(shm);
    }
    Ok(mounts)
}
