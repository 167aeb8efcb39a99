//! What the kernel generates rather than stores: a container's `/proc/mounts`, from its
//! overlay layers and its mount table.
//!
//! Architecture invariant: reads the world, changes nothing; at the level of the vfs, which
//! serves these files.

use crate::world::{Container, MountKind, SystemMount, World};

/// The options of a container's overlay root: its layers' links, its upper and work dirs.
fn root_options(world: &World, c: &Container) -> String {
    let img = world.images().iter().find(|im| im.id == c.image_id);
    let mut lower = vec![format!("/var/lib/docker/overlay2/l/{}", c.init_link)];
    if let Some(img) = img {
        for l in img.layers.iter().rev() {
            lower.push(format!("/var/lib/docker/overlay2/l/{}", world.layers()[*l].link_id));
        }
    }
    let ro = if c.host.readonly_rootfs { "ro" } else { "rw" };
    format!(
        "{ro},relatime,lowerdir={},upperdir=/var/lib/docker/overlay2/{id}/diff,workdir=/var/lib/docker/overlay2/{id}/work",
        lower.join(":"),
        id = c.layer_id
    )
}

/// `/proc/mounts` of a running container.
pub fn proc_mounts(world: &World, c: &Container) -> String {
    let mut lines = vec![format!("overlay / overlay {} 0 0", root_options(world, c))];
    let vda = |ro: bool| format!("ext4 {},relatime,discard,resv_strict,resuid=65534,resgid=65534 0 0", if ro { "ro" } else { "rw" });
    for m in &c.mounts {
        let line = match &m.kind {
            MountKind::System(SystemMount::Proc) => "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0".to_string(),
            MountKind::System(SystemMount::Dev) => "tmpfs /dev tmpfs rw,nosuid,size=65536k,mode=755 0 0".to_string(),
            MountKind::System(SystemMount::DevPts) => {
                "devpts /dev/pts devpts rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666 0 0".to_string()
            }
            MountKind::System(SystemMount::Sys) => "sysfs /sys sysfs ro,nosuid,nodev,noexec,relatime 0 0".to_string(),
            MountKind::System(SystemMount::Mqueue) => "mqueue /dev/mqueue mqueue rw,nosuid,nodev,noexec,relatime 0 0".to_string(),
            MountKind::System(SystemMount::Shm) => {
                format!("shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size={}k 0 0", c.host.shm_size / 1024)
            }
            MountKind::System(_) => format!("/dev/vda {} {}", m.target, vda(m.read_only)),
            MountKind::Tmpfs => {
                let extra = if m.proc_opts.is_empty() { String::new() } else { format!(",{}", m.proc_opts) };
                format!("tmpfs {} tmpfs {},nosuid,nodev,noexec,relatime{extra} 0 0", m.target, if m.read_only { "ro" } else { "rw" })
            }
            MountKind::Volume { .. } if m.proc_opts.starts_with("tmpfsvol:") => {
                let o = m.proc_opts.trim_start_matches("tmpfsvol:");
                let extra = if o.is_empty() { String::new() } else { format!(",{o}") };
                format!("tmpfs {} tmpfs {},relatime{extra} 0 0", m.target, if m.read_only { "ro" } else { "rw" })
            }
            MountKind::Volume { .. } | MountKind::Bind { .. } => format!("/dev/vda {} {}", m.target, vda(m.read_only)),
        };
        lines.push(line);
        if m.kind == MountKind::System(SystemMount::Sys) {
            // cgroup v1: a tmpfs holding a read-only hierarchy per controller (oracle-136).
            lines.push("tmpfs /sys/fs/cgroup tmpfs rw,nosuid,nodev,noexec,relatime,mode=755 0 0".into());
            for controller in ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd"] {
                let dir = controller.trim_start_matches("name=");
                lines.push(format!("cgroup /sys/fs/cgroup/{dir} cgroup ro,nosuid,nodev,noexec,relatime,{controller} 0 0"));
            }
        }
    }
    // runc's read-only and masked paths, those this kernel has (oracle-136): a masked
    // directory is an empty read-only tmpfs, a masked file is /dev/null bound over it (from
    // the /dev tmpfs, whose options it shows).
    for p in ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys"] {
        lines.push(format!("proc {p} proc ro,nosuid,nodev,noexec,relatime 0 0"));
    }
    lines.push("tmpfs /proc/acpi tmpfs ro,relatime 0 0".into());
    for p in ["/proc/keys", "/proc/timer_list"] {
        lines.push(format!("tmpfs {p} tmpfs rw,nosuid,size=65536k,mode=755 0 0"));
    }
    lines.push("tmpfs /sys/firmware tmpfs ro,relatime 0 0".into());
    lines.push(String::new());
    lines.join("\n")
}

/// The host's mount table (`mount`): its own file systems, Docker's data root, and an overlay
/// for each running container.
pub fn host_mounts(world: &World) -> String {
    let disk = "ext4 rw,relatime,discard,resv_strict,resuid=65534,resgid=65534 0 0";
    let mut lines = vec![
        "proc /proc proc rw,relatime 0 0".to_string(),
        "sysfs /sys sysfs rw,relatime 0 0".to_string(),
        "devtmpfs /dev devtmpfs rw,relatime,size=12334760k,nr_inodes=3083690,mode=755 0 0".to_string(),
        "tmpfs /dev/shm tmpfs rw,relatime,size=24683772k 0 0".to_string(),
        "devpts /dev/pts devpts rw,relatime,mode=600,ptmxmode=000 0 0".to_string(),
        format!("/dev/vda / {disk}"),
        "tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0".to_string(),
        "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0".to_string(),
        format!("/dev/vda /var/lib/docker {disk}"),
    ];
    for c in world.containers().iter().filter(|c| c.status == crate::world::Status::Running) {
        lines.push(format!("overlay /var/lib/docker/overlay2/{}/merged overlay {} 0 0", c.layer_id, root_options(world, c)));
    }
    lines.join("\n") + "\n"
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
