//! What the kernel generates rather than stores: a container's `/proc/mounts` and
//! `/proc/PID/mountinfo`, from its overlay layers and its mount table, and the host's.
//!
//! Architecture invariant: reads the world, changes nothing; at the level of the vfs, which
//! serves these files.

use crate::world::{Container, MountKind, SystemMount, World};

/// The overlay options of a container's root: its layers' links, its upper and work dirs.
fn root_options(world: &World, c: &Container) -> String {
    let img = world.image_of(c);
    let mut lower = vec![format!("/var/lib/docker/overlay2/l/{}", c.init_link)];
    if let Some(img) = img {
        for l in img.layers.iter().rev() {
            lower.push(format!("/var/lib/docker/overlay2/l/{}", world.layers()[*l].link_id));
        }
    }
    format!(
        "lowerdir={},upperdir=/var/lib/docker/overlay2/{id}/diff,workdir=/var/lib/docker/overlay2/{id}/work",
        lower.join(":"),
        id = c.layer_id
    )
}

/// One mount as the kernel keeps it: which file system (its device, type and source), the
/// directory of it that is mounted (`root`: for a bind or a volume, the host path the data
/// lives in) and where, the mount's own flags, its propagation peer, and the file system's
/// options. `/proc/mounts` and `/proc/PID/mountinfo` are two views of the same rows.
struct MountRow {
    id: u32,
    parent: u32,
    dev: (u32, u32),
    root: String,
    target: String,
    mount_opts: String,
    peer: Option<String>,
    fstype: &'static str,
    source: String,
    super_opts: String,
}

impl MountRow {
    /// `/proc/mounts`: the mount's flags, then the file system's options but its `rw`/`ro`.
    fn mounts_line(&self) -> String {
        let fs_opts: String = self.super_opts.split(',').skip(1).map(|o| format!(",{o}")).collect();
        format!("{} {} {} {}{fs_opts} 0 0", self.source, self.target, self.fstype, self.mount_opts)
    }

    fn mountinfo_line(&self) -> String {
        let peer = self.peer.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
        format!(
            "{} {} {}:{} {} {} {}{peer} - {} {} {}",
            self.id,
            self.parent,
            self.dev.0,
            self.dev.1,
            self.root,
            self.target,
            self.mount_opts,
            self.fstype,
            self.source,
            self.super_opts
        )
    }
}

/// The host disk's options, as every bind and volume from it shows them.
const VDA_OPTS: &str = "rw,discard,resv_strict,resuid=65534,resgid=65534";
/// The host disk's device number.
const VDA: (u32, u32) = (254, 0);

/// The runtime's own mounts (the first of a container's table): the device of each file system,
/// the mount's flags, the file system's options, its type and source, as recorded.
const RUNTIME_MOUNTS: [(SystemMount, u32, &str, &str, &str, &str); 5] = [
    (SystemMount::Proc, 43, "rw,nosuid,nodev,noexec,relatime", "rw", "proc", "proc"),
    (SystemMount::Dev, 44, "rw,nosuid", "rw,size=65536k,mode=755", "tmpfs", "tmpfs"),
    (SystemMount::DevPts, 45, "rw,nosuid,noexec,relatime", "rw,gid=5,mode=620,ptmxmode=666", "devpts", "devpts"),
    (SystemMount::Sys, 46, "ro,nosuid,nodev,noexec,relatime", "ro", "sysfs", "sysfs"),
    (SystemMount::Mqueue, 42, "rw,nosuid,nodev,noexec,relatime", "rw", "mqueue", "mqueue"),
];

/// The cgroup v1 controllers, each the container's own cgroup of the host's hierarchy.
const CGROUPS: [&str; 9] = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd"];

impl MountRow {
    /// A row of the file system `fstype` from `source` (device `dev`) mounted at `target`;
    /// its root `/`, no propagation peer, its ids given when it is added.
    fn of(fstype: &'static str, source: &str, dev: (u32, u32), target: &str, mount_opts: &str, super_opts: &str) -> MountRow {
        MountRow {
            id: 0,
            parent: 0,
            dev,
            root: "/".into(),
            target: target.into(),
            mount_opts: mount_opts.into(),
            peer: None,
            fstype,
            source: source.into(),
            super_opts: super_opts.into(),
        }
    }

    /// The same mount of the host disk's directory `root`.
    fn of_host_disk(root: String, target: &str, mount_opts: &str) -> MountRow {
        MountRow { root, ..MountRow::of("ext4", "/dev/vda", VDA, target, mount_opts, VDA_OPTS) }
    }
}

/// Adds `row` to a container's table: the next id, the latest mount above it as its parent.
fn push(rows: &mut Vec<MountRow>, mut row: MountRow) {
    row.parent = rows
        .iter()
        .rev()
        .find(|r| r.target == "/" || row.target.strip_prefix(r.target.as_str()).is_some_and(|rest| rest.starts_with('/')))
        .map_or(75, |r| r.id);
    row.id = 75 + rows.len() as u32;
    rows.push(row);
}

/// Rows of a running container's mount table, in the order the runtime mounted them. The
/// ids and device numbers are those of the recorded machine with one container running
/// (oracle-153); a volume is a slave of the host's `/var/lib/docker` (peer group 1), the root
/// of its container's `merged` mount.
fn container_rows(world: &World, c: &Container) -> Vec<MountRow> {
    let rw = |ro: bool| if ro { "ro" } else { "rw" };
    let running = world.containers().iter().filter(|o| o.status == crate::world::Status::Running);
    let root_peer = 2 + running.clone().take_while(|o| o.id != c.id).count() as u32;
    let mut next_peer = 2 + running.count() as u32;
    let root_opts = format!("{},relatime", rw(c.host.readonly_rootfs));
    let overlay = format!("rw,{}", root_options(world, c));
    let mut rows = vec![MountRow {
        id: 75,
        parent: 51,
        peer: Some(format!("master:{root_peer}")),
        ..MountRow::of("overlay", "overlay", (0, 40), "/", &root_opts, &overlay)
    }];
    let mut next_dev = 49;
    let strict = "nosuid,nodev,noexec,relatime";
    // The runtime's own mounts come first; then the container's, the shallowest first, a
    // tmpfs before binds and volumes (whose order dockerd leaves to a map: here by path).
    let runtime = |m: &crate::world::Mount| match m.kind {
        MountKind::System(kind) => RUNTIME_MOUNTS.iter().find(|r| r.0 == kind),
        _ => None,
    };
    let is_shm = |m: &&crate::world::Mount| m.kind == MountKind::System(SystemMount::Shm);
    let mut own: Vec<&crate::world::Mount> = c.mounts.iter().filter(|m| runtime(m).is_none() && !is_shm(m)).collect();
    crate::sorting::sort_by_key(&mut own, |m| {
        let etc_file = matches!(m.kind, MountKind::System(_));
        let by_path = if etc_file { String::new() } else { m.target.clone() };
        (m.target.split('/').filter(|p| !p.is_empty()).count(), m.kind != MountKind::Tmpfs, etc_file, by_path)
    });
    for m in c.mounts.iter().filter(|m| runtime(m).is_some() || is_shm(m)).chain(own) {
        let t = m.target.as_str();
        let mode = rw(m.read_only);
        if let Some(&(kind, minor, flags, options, fstype, source)) = runtime(m) {
            push(&mut rows, MountRow::of(fstype, source, (0, minor), t, flags, options));
            if kind == SystemMount::Sys {
                // cgroup v1: a tmpfs holding a read-only hierarchy per controller (oracle-136).
                push(&mut rows, MountRow::of("tmpfs", "tmpfs", (0, 47), "/sys/fs/cgroup", &format!("rw,{strict}"), "rw,mode=755"));
                for (i, controller) in CGROUPS.iter().enumerate() {
                    let target = format!("/sys/fs/cgroup/{}", controller.trim_start_matches("name="));
                    let row =
                        MountRow::of("cgroup", "cgroup", (0, 29 + i as u32), &target, &format!("ro,{strict}"), &format!("rw,{controller}"));
                    push(&mut rows, MountRow { root: format!("/docker/{}", c.id), ..row });
                }
            }
            continue;
        }
        // A volume on a block device (`--opt device=/dev/loop0`) is that device's file system.
        let volume_device = world.volume_device(m);
        let row = match &m.kind {
            MountKind::System(SystemMount::Shm) => {
                MountRow::of("tmpfs", "shm", (0, 48), t, &format!("rw,{strict}"), &format!("rw,size={}k", c.host.shm_size / 1024))
            }
            // resolv.conf, hostname, hosts: files of the container's own dir, bound in.
            MountKind::System(_) => {
                let file = t.rsplit('/').next().unwrap_or_default();
                MountRow::of_host_disk(format!("/var/lib/docker/containers/{}/{file}", c.id), t, &format!("{mode},relatime"))
            }
            MountKind::Tmpfs => {
                let extra = if m.proc_opts.is_empty() { String::new() } else { format!(",{}", m.proc_opts) };
                next_dev += 1;
                MountRow::of("tmpfs", "tmpfs", (0, next_dev - 1), t, &format!("{mode},{strict}"), &format!("rw{extra}"))
            }
            MountKind::Volume { .. } if m.proc_opts.starts_with("tmpfsvol:") => {
                let o = m.proc_opts.trim_start_matches("tmpfsvol:");
                let extra = if o.is_empty() { String::new() } else { format!(",{o}") };
                let peer = Some(format!("master:{next_peer}"));
                (next_peer, next_dev) = (next_peer + 1, next_dev + 1);
                MountRow {
                    peer,
                    ..MountRow::of("tmpfs", "tmpfs", (0, next_dev - 1), t, &format!("{mode},relatime"), &format!("rw{extra}"))
                }
            }
            MountKind::Volume { .. } if volume_device.is_some() => {
                let device = volume_device.as_deref().unwrap_or_default();
                MountRow {
                    peer: Some("master:1".into()),
                    ..MountRow::of(ext_type(world, m.root), device, loop_dev(device), t, &format!("{mode},relatime"), "rw")
                }
            }
            MountKind::Volume { name } if world.host_mounts().iter().any(|h| h.fstype == "tmpfs" && h.mount.root == m.root) => {
                // A tmpfs root mounted over the volume's `_data` on the host.
                let h = world.host_mounts().iter().rev().find(|h| h.mount.root == m.root);
                let (source, opts) = h.map_or((name.as_str(), ""), |h| (h.source.as_str(), h.mount.proc_opts.as_str()));
                let extra = if opts.is_empty() { String::new() } else { format!(",{opts}") };
                MountRow {
                    peer: Some("master:1".into()),
                    ..MountRow::of("tmpfs", source, (0, 70), t, &format!("{mode},relatime"), &format!("rw{extra}"))
                }
            }
            MountKind::Volume { name } => {
                let root = format!("/var/lib/docker/volumes/{name}/_data");
                MountRow { peer: Some("master:1".into()), ..MountRow::of_host_disk(root, t, &format!("{mode},relatime")) }
            }
            MountKind::Disk { device } => {
                MountRow::of(ext_type(world, m.root), device, loop_dev(device), t, &format!("{mode},relatime"), "rw")
            }
            MountKind::Bind { source } => {
                // A bind is private unless its propagation says otherwise.
                let propagation = c.mount_points.iter().find(|p| p.destination == m.target).map(|p| p.propagation.as_str());
                let peer = matches!(propagation, Some("slave" | "rslave")).then(|| "master:1".to_string());
                // A directory on a tmpfs the host mounted is that tmpfs's.
                let on = world.host_mount_at(source).map(|i| &world.host_mounts()[i]);
                match on.filter(|h| h.fstype == "tmpfs" || h.source.starts_with("/dev/loop")) {
                    Some(h) => {
                        let within = source.strip_prefix(h.mount.target.as_str()).filter(|r| !r.is_empty()).unwrap_or("/");
                        let row = if h.fstype == "tmpfs" {
                            let extra = if h.mount.proc_opts.is_empty() { String::new() } else { format!(",{}", h.mount.proc_opts) };
                            MountRow::of("tmpfs", &h.source, (0, 70), t, &format!("{mode},relatime"), &format!("rw{extra}"))
                        } else {
                            MountRow::of(h.fstype, &h.source, loop_dev(&h.source), t, &format!("{mode},relatime"), "rw")
                        };
                        MountRow { peer, root: within.to_string(), ..row }
                    }
                    None => MountRow { peer, ..MountRow::of_host_disk(source.clone(), t, &format!("{mode},relatime")) },
                }
            }
        };
        push(&mut rows, row);
    }
    // runc's read-only and masked paths, those this kernel has (oracle-136): a masked
    // directory is an empty read-only tmpfs, a masked file is /dev/null bound over it from the
    // /dev tmpfs. They take the lowest free mount ids.
    let id_of = |target: &str| rows.iter().find(|r| r.target == target).map_or(75, |r| r.id);
    let (proc_id, sys_id) = (id_of("/proc"), id_of("/sys"));
    let ro_strict = format!("ro,{strict}");
    let mut masks = Vec::new();
    for p in ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys"] {
        masks.push(MountRow {
            parent: proc_id,
            root: p.trim_start_matches("/proc").into(),
            ..MountRow::of("proc", "proc", (0, 43), p, &ro_strict, "rw")
        });
    }
    masks.push(MountRow { parent: proc_id, ..MountRow::of("tmpfs", "tmpfs", (0, next_dev), "/proc/acpi", "ro,relatime", "ro") });
    for p in ["/proc/keys", "/proc/timer_list"] {
        let row = MountRow::of("tmpfs", "tmpfs", (0, 44), p, "rw,nosuid", "rw,size=65536k,mode=755");
        masks.push(MountRow { parent: proc_id, root: "/null".into(), ..row });
    }
    masks.push(MountRow { parent: sys_id, ..MountRow::of("tmpfs", "tmpfs", (0, next_dev + 1), "/sys/firmware", "ro,relatime", "ro") });
    for (i, row) in masks.iter_mut().enumerate() {
        row.id = 52 + i as u32;
    }
    rows.extend(masks);
    rows
}

/// `/proc/mounts` of a running container.
pub fn proc_mounts(world: &World, c: &Container) -> String {
    container_rows(world, c).iter().map(|r| r.mounts_line() + "\n").collect()
}

/// `/proc/PID/mountinfo` of a running container: where each mount's data comes from.
pub fn proc_mountinfo(world: &World, c: &Container) -> String {
    container_rows(world, c).iter().map(|r| r.mountinfo_line() + "\n").collect()
}

/// The host's mount table: its own file systems, Docker's data root (a shared mount: peer
/// group 1), and the `merged` overlay of each running container (peer groups from 2), with
/// the recorded machine's ids and devices (oracle-153).
fn host_rows(world: &World) -> Vec<MountRow> {
    let row = |id, parent, base: MountRow| MountRow { id, parent, ..base };
    let mut rows = vec![
        row(22, 27, MountRow::of("proc", "proc", (0, 21), "/proc", "rw,relatime", "rw")),
        row(23, 27, MountRow::of("sysfs", "sysfs", (0, 22), "/sys", "rw,relatime", "rw")),
        row(24, 27, MountRow::of("devtmpfs", "devtmpfs", (0, 6), "/dev", "rw,relatime", "rw,size=12334760k,nr_inodes=3083690,mode=755")),
        row(25, 24, MountRow::of("tmpfs", "tmpfs", (0, 23), "/dev/shm", "rw,relatime", "rw,size=24683772k")),
        row(26, 24, MountRow::of("devpts", "devpts", (0, 24), "/dev/pts", "rw,relatime", "rw,mode=600,ptmxmode=000")),
        row(27, 1, MountRow::of_host_disk("/".into(), "/", "rw,relatime")),
        row(31, 23, MountRow::of("tmpfs", "tmpfs", (0, 28), "/sys/fs/cgroup", "rw,relatime", "rw,mode=755")),
        row(41, 31, MountRow::of("cgroup2", "cgroup2", (0, 38), "/sys/fs/cgroup/unified", "rw,relatime", "rw")),
        MountRow {
            peer: Some("shared:1".into()),
            ..row(45, 27, MountRow::of_host_disk("/var/lib/docker".into(), "/var/lib/docker", "rw,relatime"))
        },
    ];
    for (i, c) in world.containers().iter().filter(|c| c.status == crate::world::Status::Running).enumerate() {
        let i = i as u32;
        let target = format!("/var/lib/docker/overlay2/{}/merged", c.layer_id);
        let overlay = format!("rw,{}", root_options(world, c));
        let merged = MountRow::of("overlay", "overlay", (0, 40 + i), &target, "rw,relatime", &overlay);
        rows.push(MountRow { peer: Some(format!("shared:{}", 2 + i)), ..row(49 + i, 45, merged) });
    }
    // What a learner mounted, each under the deepest mount above it.
    for (i, h) in world.host_mounts().iter().enumerate() {
        let i = i as u32;
        let mode = if h.mount.read_only { "ro,relatime" } else { "rw,relatime" };
        let extra = if h.mount.proc_opts.is_empty() { String::new() } else { format!(",{}", h.mount.proc_opts) };
        let mut r = match h.fstype {
            "tmpfs" => MountRow::of("tmpfs", &h.source, (0, 70 + i), &h.mount.target, mode, &format!("rw{extra}")),
            _ if h.source.starts_with("/dev/loop") => MountRow::of(h.fstype, &h.source, loop_dev(&h.source), &h.mount.target, mode, "rw"),
            _ => MountRow::of_host_disk(String::new(), &h.mount.target, mode),
        };
        r.root = h.bound.clone().unwrap_or_else(|| "/".into());
        r.parent = rows.iter().rev().find(|p| under(&h.mount.target, &p.target)).map_or(27, |p| p.id);
        r.id = 100 + i;
        rows.push(r);
    }
    rows
}

/// The type of the ext file system whose root is `root` (ext4 when it is none of the images).
fn ext_type(world: &World, root: crate::fs::InodeId) -> &'static str {
    world.block_devices().image_by_root(root).map_or("ext4", |i| i.kind.name())
}

/// The device number of a loop device (`/dev/loopN` is 7:N).
fn loop_dev(device: &str) -> (u32, u32) {
    (7, crate::blockdev::loop_number(device).unwrap_or(0) as u32)
}

/// Whether `path` lies inside the mount point `dir` (not `dir` itself).
fn under(path: &str, dir: &str) -> bool {
    dir == "/" && path != "/" || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// The host's mount table (`mount`, its `/proc/mounts`).
pub fn host_mounts(world: &World) -> String {
    host_rows(world).iter().map(|r| r.mounts_line() + "\n").collect()
}

/// The host's `/proc/swaps`: each swap area in use, its size and use in KiB.
pub fn swaps(world: &World) -> String {
    let mut out = String::from("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    for s in world.block_devices().active_swaps() {
        let kib = world.block_devices().swap_area(s.inode).map_or(0, |a| (a.pages - 1) * 4);
        out.push_str(&format!("{:<40}file\t\t{kib}\t\t0\t\t{}\n", s.path, s.priority));
    }
    out
}

/// The host's `/proc/self/mountinfo`.
pub fn host_mountinfo(world: &World) -> String {
    host_rows(world).iter().map(|r| r.mountinfo_line() + "\n").collect()
}

/// The process a `/proc/PID/status` describes: its name, pid, credentials and umask.
pub struct StatusOf<'a> {
    pub comm: &'a str,
    pub pid: u32,
    pub cred: &'a crate::world::Cred,
    pub umask: u32,
    /// Whether it runs now (it reads its own status) or waits (a main process asleep).
    pub running: bool,
}

/// `/proc/PID/status` of a process in a container, as the recorded kernel writes it: the
/// identity, credentials and capabilities are the process's own; the memory, signal and
/// scheduling figures are those of a small busybox program on that machine (oracle-105).
pub fn status(p: &StatusOf) -> String {
    // The kernel keeps 15 bytes of a command's name.
    let mut name = String::new();
    for ch in p.comm.chars() {
        if name.len() + ch.len_utf8() > 15 {
            break;
        }
        name.push(ch);
    }
    let ids = |n: u32| format!("{n}\t{n}\t{n}\t{n}");
    // The kernel keeps the supplementary groups sorted.
    let mut sorted = p.cred.groups.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let groups: String = sorted.iter().map(|g| format!("{g} ")).collect();
    let eff = p.cred.effective().hex();
    let pid = p.pid;
    let mems = format!("{}00000001", "00000000,".repeat(31));
    format!(
        "Name:\t{name}\nUmask:\t{umask:04o}\nState:\t{state}\nTgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\nPPid:\t0\nTracerPid:\t0\n\
         Uid:\t{uid}\nGid:\t{gid}\nFDSize:\t64\nGroups:\t{groups}\nNStgid:\t{pid}\nNSpid:\t{pid}\nNSpgid:\t1\nNSsid:\t1\nKthread:\t0\n\
         VmPeak:\t    2332 kB\nVmSize:\t    2332 kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\nVmHWM:\t    1468 kB\nVmRSS:\t    1468 kB\n\
         RssAnon:\t      56 kB\nRssFile:\t    1412 kB\nRssShmem:\t       0 kB\nVmData:\t     240 kB\nVmStk:\t     132 kB\nVmExe:\t    1552 kB\n\
         VmLib:\t       8 kB\nVmPTE:\t      40 kB\nVmSwap:\t       0 kB\nHugetlbPages:\t       0 kB\nCoreDumping:\t0\nTHP_enabled:\t1\n\
         untag_mask:\t0xffffffffffffffff\nThreads:\t1\nSigQ:\t1/96367\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n\
         SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\nCapInh:\t0000000000000000\nCapPrm:\t{eff}\n\
         CapEff:\t{eff}\nCapBnd:\t{bnd}\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t2\nSeccomp_filters:\t1\n\
         Speculation_Store_Bypass:\tvulnerable\nSpeculationIndirectBranch:\talways enabled\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n\
         Mems_allowed:\t{mems}\nMems_allowed_list:\t0\nvoluntary_ctxt_switches:\t14\nnonvoluntary_ctxt_switches:\t12\n",
        umask = p.umask,
        state = if p.running { "R (running)" } else { "S (sleeping)" },
        uid = ids(p.cred.uid),
        gid = ids(p.cred.gid),
        bnd = p.cred.bounding.hex(),
    )
}

/// The json-file log driver's file (`/var/lib/docker/containers/<id>/<id>-json.log`): a JSON
/// object a line, the line's text with its newline, its stream and when it was written
/// (a log driver of `none` writes no file content).
pub fn json_log(c: &Container) -> String {
    if c.host.log_driver == "none" {
        return String::new();
    }
    let started = c.started_at.unwrap_or(c.created);
    let mut out = String::new();
    for (k, (stderr, line)) in c.logs.iter().enumerate() {
        let at = c.log_times.get(k).copied().unwrap_or(started);
        let stream = if *stderr { "stderr" } else { "stdout" };
        let newline = if c.log_unterminated.contains(&k) { "" } else { "\\n" };
        out.push_str(&format!(
            "{{\"log\":\"{}{newline}\",\"stream\":\"{stream}\",\"time\":\"{}\"}}\n",
            json_log_escape(line),
            crate::clock::rfc3339_nano(at)
        ));
    }
    out
}

/// The driver's string escaping: JSON's, with `<`, `>` and `&` as `\u003c`… (safe in HTML).
fn json_log_escape(text: &str) -> String {
    let mut s = String::new();
    for ch in text.chars() {
        match ch {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => s.push_str(&format!("\\u{:04x}", ch as u32)),
            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s
}

/// The image store's tags (`/var/lib/docker/image/overlay2/repositories.json`): each
/// repository's tags and the image each names, keys in order as Go writes a map.
pub fn repositories_json(world: &World) -> String {
    let mut repos: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> = Default::default();
    for im in world.images() {
        for tag in &im.tags {
            let repo = tag.rsplit_once(':').map(|(r, _)| r).unwrap_or(tag);
            repos.entry(repo.to_string()).or_default().insert(tag.clone(), im.id.clone());
        }
    }
    let body: Vec<String> = repos
        .iter()
        .map(|(repo, tags)| {
            let inner: Vec<String> = tags.iter().map(|(t, id)| format!("\"{t}\":\"{id}\"")).collect();
            format!("\"{repo}\":{{{}}}", inner.join(","))
        })
        .collect();
    format!("{{\"Repositories\":{{{}}}}}", body.join(","))
}
