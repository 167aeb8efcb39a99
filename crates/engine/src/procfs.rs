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

/// Rows of a running container's mount table, in the order the runtime mounted them. The
/// ids and device numbers are those of the recorded machine with one container running
/// (oracle-153); a volume is a slave of the host's `/var/lib/docker` (peer group 1), the root
/// of its container's `merged` mount.
fn container_rows(world: &World, c: &Container) -> Vec<MountRow> {
    let rw = |ro: bool| if ro { "ro" } else { "rw" };
    let running = world.containers().iter().filter(|o| o.status == crate::world::Status::Running);
    let root_peer = 2 + running.clone().take_while(|o| o.id != c.id).count() as u32;
    let mut next_peer = 2 + running.count() as u32;
    let mut rows = vec![MountRow {
        id: 75,
        parent: 51,
        dev: (0, 40),
        root: "/".into(),
        target: "/".into(),
        mount_opts: format!("{},relatime", rw(c.host.readonly_rootfs)),
        peer: Some(format!("master:{root_peer}")),
        fstype: "overlay",
        source: "overlay".into(),
        super_opts: format!("rw,{}", root_options(world, c)),
    }];
    let mut next_dev = 49;
    let add = |rows: &mut Vec<MountRow>,
               dev: (u32, u32),
               root: String,
               target: &str,
               opts: (String, String),
               peer: Option<String>,
               fs: (&'static str, String)| {
        // Its parent is the latest mount above its mount point.
        let parent = rows
            .iter()
            .rev()
            .find(|r| r.target == "/" || target.strip_prefix(r.target.as_str()).is_some_and(|rest| rest.starts_with('/')))
            .map_or(75, |r| r.id);
        let id = 75 + rows.len() as u32;
        rows.push(MountRow {
            id,
            parent,
            dev,
            root,
            target: target.into(),
            mount_opts: opts.0,
            peer,
            fstype: fs.0,
            source: fs.1,
            super_opts: opts.1,
        });
    };
    let strict = "nosuid,nodev,noexec,relatime";
    // The runtime's own mounts come first; then the container's, the shallowest first, a
    // tmpfs before binds and volumes (whose order dockerd leaves to a map: here by path).
    let system = |m: &&crate::world::Mount| {
        matches!(
            m.kind,
            MountKind::System(
                SystemMount::Proc | SystemMount::Dev | SystemMount::DevPts | SystemMount::Sys | SystemMount::Mqueue | SystemMount::Shm
            )
        )
    };
    let mut own: Vec<&crate::world::Mount> = c.mounts.iter().filter(|m| !system(m)).collect();
    crate::sorting::sort_by_key(&mut own, |m| {
        let etc_file = matches!(m.kind, MountKind::System(_));
        let by_path = if etc_file { String::new() } else { m.target.clone() };
        (m.target.split('/').filter(|p| !p.is_empty()).count(), m.kind != MountKind::Tmpfs, etc_file, by_path)
    });
    for m in c.mounts.iter().filter(system).chain(own) {
        let t = m.target.as_str();
        let mode = rw(m.read_only);
        match &m.kind {
            MountKind::System(SystemMount::Proc) => {
                add(&mut rows, (0, 43), "/".into(), t, (format!("rw,{strict}"), "rw".into()), None, ("proc", "proc".into()))
            }
            MountKind::System(SystemMount::Dev) => add(
                &mut rows,
                (0, 44),
                "/".into(),
                t,
                ("rw,nosuid".into(), "rw,size=65536k,mode=755".into()),
                None,
                ("tmpfs", "tmpfs".into()),
            ),
            MountKind::System(SystemMount::DevPts) => add(
                &mut rows,
                (0, 45),
                "/".into(),
                t,
                ("rw,nosuid,noexec,relatime".into(), "rw,gid=5,mode=620,ptmxmode=666".into()),
                None,
                ("devpts", "devpts".into()),
            ),
            MountKind::System(SystemMount::Sys) => {
                add(&mut rows, (0, 46), "/".into(), t, (format!("ro,{strict}"), "ro".into()), None, ("sysfs", "sysfs".into()));
                // cgroup v1: a tmpfs holding a read-only hierarchy per controller (oracle-136),
                // each the container's own cgroup of the host's hierarchy.
                add(
                    &mut rows,
                    (0, 47),
                    "/".into(),
                    "/sys/fs/cgroup",
                    (format!("rw,{strict}"), "rw,mode=755".into()),
                    None,
                    ("tmpfs", "tmpfs".into()),
                );
                for (i, controller) in
                    ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd"].iter().enumerate()
                {
                    let dir = controller.trim_start_matches("name=");
                    add(
                        &mut rows,
                        (0, 29 + i as u32),
                        format!("/docker/{}", c.id),
                        &format!("/sys/fs/cgroup/{dir}"),
                        (format!("ro,{strict}"), format!("rw,{controller}")),
                        None,
                        ("cgroup", "cgroup".into()),
                    );
                }
            }
            MountKind::System(SystemMount::Mqueue) => {
                add(&mut rows, (0, 42), "/".into(), t, (format!("rw,{strict}"), "rw".into()), None, ("mqueue", "mqueue".into()))
            }
            MountKind::System(SystemMount::Shm) => add(
                &mut rows,
                (0, 48),
                "/".into(),
                t,
                (format!("rw,{strict}"), format!("rw,size={}k", c.host.shm_size / 1024)),
                None,
                ("tmpfs", "shm".into()),
            ),
            // resolv.conf, hostname, hosts: files of the container's own dir, bound in.
            MountKind::System(_) => {
                let file = t.rsplit('/').next().unwrap_or_default();
                let root = format!("/var/lib/docker/containers/{}/{file}", c.id);
                add(&mut rows, VDA, root, t, (format!("{mode},relatime"), VDA_OPTS.into()), None, ("ext4", "/dev/vda".into()))
            }
            MountKind::Tmpfs => {
                let extra = if m.proc_opts.is_empty() { String::new() } else { format!(",{}", m.proc_opts) };
                next_dev += 1;
                add(
                    &mut rows,
                    (0, next_dev - 1),
                    "/".into(),
                    t,
                    (format!("{mode},{strict}"), format!("rw{extra}")),
                    None,
                    ("tmpfs", "tmpfs".into()),
                )
            }
            MountKind::Volume { .. } if m.proc_opts.starts_with("tmpfsvol:") => {
                let o = m.proc_opts.trim_start_matches("tmpfsvol:");
                let extra = if o.is_empty() { String::new() } else { format!(",{o}") };
                let peer = format!("master:{next_peer}");
                next_peer += 1;
                next_dev += 1;
                add(
                    &mut rows,
                    (0, next_dev - 1),
                    "/".into(),
                    t,
                    (format!("{mode},relatime"), format!("rw{extra}")),
                    Some(peer),
                    ("tmpfs", "tmpfs".into()),
                )
            }
            MountKind::Volume { name } => {
                let root = format!("/var/lib/docker/volumes/{name}/_data");
                let opts = (format!("{mode},relatime"), VDA_OPTS.to_string());
                add(&mut rows, VDA, root, t, opts, Some("master:1".into()), ("ext4", "/dev/vda".into()))
            }
            MountKind::Bind { source } => {
                // A bind is private unless its propagation says otherwise.
                let propagation = c.mount_points.iter().find(|p| p.destination == m.target).map(|p| p.propagation.as_str());
                let peer = matches!(propagation, Some("slave" | "rslave")).then(|| "master:1".to_string());
                add(&mut rows, VDA, source.clone(), t, (format!("{mode},relatime"), VDA_OPTS.into()), peer, ("ext4", "/dev/vda".into()))
            }
        }
    }
    // runc's read-only and masked paths, those this kernel has (oracle-136): a masked
    // directory is an empty read-only tmpfs, a masked file is /dev/null bound over it from the
    // /dev tmpfs. They take the lowest free mount ids.
    let id_of = |rows: &[MountRow], target: &str| rows.iter().find(|r| r.target == target).map_or(75, |r| r.id);
    let (proc_id, sys_id) = (id_of(&rows, "/proc"), id_of(&rows, "/sys"));
    let mut masks = Vec::new();
    let mut mask = |parent: u32, dev: (u32, u32), root: &str, target: &str, opts: (&str, &str), fs: (&'static str, &str)| {
        let id = 52 + masks.len() as u32;
        masks.push(MountRow {
            id,
            parent,
            dev,
            root: root.into(),
            target: target.into(),
            mount_opts: opts.0.into(),
            peer: None,
            fstype: fs.0,
            source: fs.1.into(),
            super_opts: opts.1.into(),
        });
    };
    let ro_strict = format!("ro,{strict}");
    for p in ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys"] {
        mask(proc_id, (0, 43), p.trim_start_matches("/proc"), p, (&ro_strict, "rw"), ("proc", "proc"));
    }
    mask(proc_id, (0, next_dev), "/", "/proc/acpi", ("ro,relatime", "ro"), ("tmpfs", "tmpfs"));
    for p in ["/proc/keys", "/proc/timer_list"] {
        mask(proc_id, (0, 44), "/null", p, ("rw,nosuid", "rw,size=65536k,mode=755"), ("tmpfs", "tmpfs"));
    }
    mask(sys_id, (0, next_dev + 1), "/", "/sys/firmware", ("ro,relatime", "ro"), ("tmpfs", "tmpfs"));
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
    let row = |id, parent, dev, root: &str, target: &str, opts: (&str, &str), peer: Option<&str>, fs: (&'static str, &str)| MountRow {
        id,
        parent,
        dev,
        root: root.into(),
        target: target.into(),
        mount_opts: opts.0.into(),
        peer: peer.map(str::to_string),
        fstype: fs.0,
        source: fs.1.into(),
        super_opts: opts.1.into(),
    };
    let mut rows = vec![
        row(22, 27, (0, 21), "/", "/proc", ("rw,relatime", "rw"), None, ("proc", "proc")),
        row(23, 27, (0, 22), "/", "/sys", ("rw,relatime", "rw"), None, ("sysfs", "sysfs")),
        row(24, 27, (0, 6), "/", "/dev", ("rw,relatime", "rw,size=12334760k,nr_inodes=3083690,mode=755"), None, ("devtmpfs", "devtmpfs")),
        row(25, 24, (0, 23), "/", "/dev/shm", ("rw,relatime", "rw,size=24683772k"), None, ("tmpfs", "tmpfs")),
        row(26, 24, (0, 24), "/", "/dev/pts", ("rw,relatime", "rw,mode=600,ptmxmode=000"), None, ("devpts", "devpts")),
        row(27, 1, VDA, "/", "/", ("rw,relatime", VDA_OPTS), None, ("ext4", "/dev/vda")),
        row(31, 23, (0, 28), "/", "/sys/fs/cgroup", ("rw,relatime", "rw,mode=755"), None, ("tmpfs", "tmpfs")),
        row(41, 31, (0, 38), "/", "/sys/fs/cgroup/unified", ("rw,relatime", "rw"), None, ("cgroup2", "cgroup2")),
        row(45, 27, VDA, "/var/lib/docker", "/var/lib/docker", ("rw,relatime", VDA_OPTS), Some("shared:1"), ("ext4", "/dev/vda")),
    ];
    for (i, c) in world.containers().iter().filter(|c| c.status == crate::world::Status::Running).enumerate() {
        let i = i as u32;
        rows.push(MountRow {
            id: 49 + i,
            parent: 45,
            dev: (0, 40 + i),
            root: "/".into(),
            target: format!("/var/lib/docker/overlay2/{}/merged", c.layer_id),
            mount_opts: "rw,relatime".into(),
            peer: Some(format!("shared:{}", 2 + i)),
            fstype: "overlay",
            source: "overlay".into(),
            super_opts: format!("rw,{}", root_options(world, c)),
        });
    }
    rows
}

/// The host's mount table (`mount`, its `/proc/mounts`).
pub fn host_mounts(world: &World) -> String {
    host_rows(world).iter().map(|r| r.mounts_line() + "\n").collect()
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
