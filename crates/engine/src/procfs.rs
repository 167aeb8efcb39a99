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
            lines.push("cgroup /sys/fs/cgroup tmpfs rw,nosuid,nodev,noexec,relatime,mode=755 0 0".into());
        }
    }
    for p in ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"] {
        lines.push(format!("proc {p} proc ro,nosuid,nodev,noexec,relatime 0 0"));
    }
    for p in ["/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/scsi"] {
        lines.push(format!("tmpfs {p} tmpfs ro,relatime 0 0"));
    }
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
