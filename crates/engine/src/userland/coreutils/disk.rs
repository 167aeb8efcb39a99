//! Disks and sizes: `dd`, `df` and `du`, with their human-readable sizes.

use crate::fs::{Data, Errno, FileType};

use crate::vfs::WriteMode;

use super::{has, split_opts, Proc};

pub(super) fn dd(p: &mut Proc, args: &[String]) -> i32 {
    let mut input = "-".to_string();
    let mut output = "-".to_string();
    let mut bs: u64 = 512;
    let mut count: Option<u64> = None;
    let mut seek = 0u64;
    let mut notrunc = false;
    let mut quiet = (false, false);
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            p.err(&format!("invalid argument '{a}'"));
            return 1;
        };
        if !matches!(k, "if" | "of" | "bs" | "ibs" | "obs" | "count" | "skip" | "seek" | "conv" | "iflag" | "oflag" | "status" | "cbs") {
            if !p.gnu {
                return p.busybox_usage();
            }
            let q = p.lq(a);
            return p.err_try(&format!("unrecognized operand {q}"));
        }
        let num = |v: &str| -> Option<u64> {
            let mut digits = v.chars();
            let mult = match digits.next_back()? {
                'k' | 'K' => 1024,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => 1,
            };
            let n = if mult == 1 { v } else { digits.as_str() };
            n.parse::<u64>().ok().map(|x| x.saturating_mul(mult))
        };
        match k {
            "if" => input = v.to_string(),
            "of" => output = v.to_string(),
            "bs" => match num(v) {
                Some(n) if n > 0 => bs = n,
                _ => {
                    p.err(&format!("invalid number '{v}'"));
                    return 1;
                }
            },
            "count" => match num(v) {
                Some(n) => count = Some(n),
                None => {
                    p.err(&format!("invalid number '{v}'"));
                    return 1;
                }
            },
            "seek" => match num(v) {
                Some(n) => seek = n,
                None => {
                    p.err(&format!("invalid number '{v}'"));
                    return 1;
                }
            },
            "conv" => notrunc = v.split(',').any(|c| c == "notrunc"),
            // `status=none` prints no figures; `status=noxfer` leaves out the bytes line.
            "status" => quiet = (v == "none", v == "noxfer" || v == "none"),
            _ => {}
        }
    }
    // The input: opaque zero streams have no end, files have their size.
    let (in_data, endless) = if input == "-" {
        (Data::from_bytes(&std::mem::take(&mut p.io.stdin)), false)
    } else {
        match p.world.read(&p.ctx, &input) {
            Ok(d) => {
                let endless = matches!(p.world.stat(&p.ctx, &input, true), Ok(s) if s.ftype == FileType::CharDev);
                (d, endless)
            }
            Err(e) => {
                p.err(&format!("can't open '{input}': {e}"));
                return 1;
            }
        }
    };
    let total_in = match (count, endless) {
        (Some(c), _) => c.saturating_mul(bs).min(if endless { u64::MAX } else { in_data.len() }),
        (None, true) => {
            p.err("refusing to copy an endless device without count=");
            return 1;
        }
        (None, false) => in_data.len(),
    };
    let payload = match &in_data {
        Data::Opaque(_) => Data::Opaque(total_in),
        Data::Bytes(b) => Data::from_bytes(&b[..(total_in as usize).min(b.len())]),
    };
    let records = |n: u64| (n / bs, if n.is_multiple_of(bs) { 0 } else { 1 });
    let mut status = 0;
    let written = if output == "-" {
        p.io.out.extend(payload.to_vec());
        total_in
    } else if seek > 0 || notrunc {
        match seek_write(p, &output, seek.saturating_mul(bs), &payload, notrunc) {
            Ok(()) => total_in,
            Err(e) => {
                p.err(&format!("can't open '{output}': {e}"));
                return 1;
            }
        }
    } else {
        match p.world.write_file(&p.ctx, &output, &payload, WriteMode::Truncate) {
            Ok(n) => n,
            Err(Errno::NoSpace) => {
                let n = p.world.stat(&p.ctx, &output, true).map(|s| s.size).unwrap_or(0);
                p.err(&format!("error writing '{output}': No space left on device"));
                status = 1;
                n
            }
            Err(e) => {
                p.err(&format!("can't open '{output}': {e}"));
                return 1;
            }
        }
    };
    let (full_out, part_out) = records(written);
    let read_bytes = if status == 1 { (written / bs + 1) * bs } else { total_in };
    let (full_in, part_in) = records(read_bytes.min(total_in));
    if quiet.0 {
        return status;
    }
    p.io.err_line(&format!("{full_in}+{part_in} records in"));
    p.io.err_line(&format!("{full_out}+{part_out} records out"));
    if p.gnu && status == 0 && !quiet.1 {
        p.io.err_line(&format!("{written} bytes copied"));
    }
    status
}

/// `dd seek=N` (and `conv=notrunc`): the output is cut at the offset (unless notrunc), the
/// payload written there; a gap between the old end and the offset is a hole.
fn seek_write(p: &mut Proc, output: &str, offset: u64, payload: &Data, notrunc: bool) -> Result<(), Errno> {
    let old = match p.world.read(&p.ctx, output) {
        Ok(d) => d,
        Err(Errno::NoEnt) => Data::empty(),
        Err(e) => return Err(e),
    };
    let old_len = old.len();
    let end = offset + payload.len();
    let total = if notrunc { end.max(old_len) } else { end };
    let zeros_only = matches!(payload, Data::Opaque(_)) && (old_len == 0 || matches!(old, Data::Opaque(_)));
    let data = if zeros_only {
        Data::Opaque(total)
    } else {
        if total > crate::vfs::MAX_FILE_BYTES {
            return Err(Errno::TooBig);
        }
        let mut bytes = old.to_vec();
        bytes.resize(total as usize, 0);
        let start = offset as usize;
        let add = payload.to_vec();
        bytes[start..start + add.len()].copy_from_slice(&add);
        Data::from_bytes(&bytes)
    };
    let kept = crate::fs::resized_holes(&p.world.file_holes(&p.ctx, output), old_len, old_len.min(offset));
    let mut holes = crate::fs::resized_holes(&kept, old_len.min(offset), offset);
    if notrunc && old_len > end {
        // The old bytes past the payload keep their holes, one the payload fell into too.
        holes.extend(p.world.file_holes(&p.ctx, output).into_iter().filter(|(_, e)| *e > end).map(|(s, e)| (s.max(end), e)));
    }
    p.world.write_file(&p.ctx, output, &data, WriteMode::Truncate)?;
    p.world.set_meta(&p.ctx, output, true, &mut |i| i.holes = holes.clone())
}

/// busybox's `make_human_readable_str`: divided by 1024 while it can be, the last remainder
/// as tenths (rounded), or without them rounded to the unit.
pub(super) fn busybox_human(bytes: u64, tenths: bool) -> String {
    let (mut val, mut frac, mut unit) = (bytes, 0, 0);
    while val >= 1024 && unit < 5 {
        frac = ((val % 1024) * 10 + 512) / 1024;
        val /= 1024;
        unit += 1;
    }
    if frac >= 10 {
        val += 1;
        frac = 0;
    }
    let u = ["", "K", "M", "G", "T", "P"][unit];
    if unit == 0 {
        return val.to_string();
    }
    if tenths {
        format!("{val}.{frac}{u}")
    } else {
        format!("{}{u}", if frac >= 5 { val + 1 } else { val })
    }
}

/// GNU's `-h` sizes: powers of 1024, rounded up, one decimal below 10 (`4.0K`, `64M`, `251G`).
pub(super) fn gnu_human(bytes: u64) -> String {
    const UNITS: [char; 6] = ['K', 'M', 'G', 'T', 'P', 'E'];
    if bytes < 1024 {
        return bytes.to_string();
    }
    let mut unit = 0;
    let mut scale: u128 = 1024;
    while unit + 1 < UNITS.len() && u128::from(bytes) >= scale * 1024 {
        scale *= 1024;
        unit += 1;
    }
    let tenths = (u128::from(bytes) * 10).div_ceil(scale);
    if tenths < 100 {
        format!("{}.{}{}", tenths / 10, tenths % 10, UNITS[unit])
    } else {
        format!("{}{}", u128::from(bytes).div_ceil(scale), UNITS[unit])
    }
}

/// A file system a learner mounted on the host: its source, size, use and reserve in KiB.
fn learner_mount_usage(world: &crate::world::World, h: &crate::world::HostMount) -> (String, u64, u64, u64) {
    if h.fstype == "tmpfs" {
        let used = tmpfs_used_kib(world, h.mount.root);
        return (h.source.clone(), h.mount.limit.map_or(12_341_828, |l| l / 1024), used, 0);
    }
    let on_loop = crate::blockdev::loop_number(&h.source).and_then(|n| world.block_devices().loop_device(n));
    match on_loop.and_then(|l| world.block_devices().image(l.inode)) {
        Some(image) => {
            let (total, used, reserved) = ext_usage(world, image);
            (h.source.clone(), total, used, reserved)
        }
        None => ("/dev/vda".to_string(), 263_174_212, 11_534_336, 0),
    }
}

/// An ext4 file system in a file: its size, what is used and what is kept from users (root's
/// 5%, ext4's reserved clusters), in KiB.
fn ext_usage(world: &crate::world::World, image: &crate::blockdev::ExtImage) -> (u64, u64, u64) {
    let g = &image.geometry;
    (g.df_total_kib, world.ext_usage(image).used_kib, g.df_total_kib - g.df_used_kib - g.df_avail_kib)
}

/// KiB held by the files under `root`, as a tmpfs counts them (holes take nothing).
fn tmpfs_used_kib(world: &crate::world::World, root: crate::fs::InodeId) -> u64 {
    let mut used = 0;
    world.fs().walk(root, "", &mut |_, _, inode| {
        if let crate::fs::Kind::File(d) = &inode.kind {
            used += crate::fs::allocated_kib(d.len(), &inode.holes);
        }
    });
    used
}

/// One line of `df`: the file system, its size and use in KiB, where it is mounted.
#[derive(Clone)]
struct DfRow {
    source: String,
    /// The file system's type, for `df -T`.
    fstype: &'static str,
    total: u64,
    used: u64,
    /// Blocks kept from users (ext4's reserve): neither used nor available.
    reserved: u64,
    target: String,
}

pub(super) fn df(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let human = has(&opts, "-h", "--human-readable");
    let typed = has(&opts, "-T", "--print-type");
    let ops = if ops.is_empty() { vec!["/".to_string()] } else { ops };
    let mut rows = Vec::new();
    let mut status = 0;
    for op in ops {
        let loc = match p.world.resolve(&p.ctx, &op, true) {
            Ok(l) => l,
            Err(e) => {
                p.err(&format!("{op}: {e}"));
                status = 1;
                continue;
            }
        };
        let mount = loc.mount.and_then(|m| p.world.ns_container(&p.ctx.ns)?.mounts.get(m));
        let mut reserved = 0;
        let (source, total, used, target) = match (&p.ctx.ns, mount) {
            (crate::vfs::Ns::Container(_), Some(mnt)) => {
                let used = tmpfs_used_kib(p.world, mnt.root);
                let device = p.world.volume_device(mnt);
                let disk = device.as_deref().zip(p.world.block_devices().image_by_root(mnt.root));
                let on_host_mount = match &mnt.kind {
                    crate::world::MountKind::Bind { source } => p.world.host_mount_at(source),
                    _ => None,
                };
                match (mnt.limit, &mnt.kind) {
                    _ if disk.is_some() => {
                        let Some((device, image)) = disk else { continue };
                        let (total, used, kept) = ext_usage(p.world, image);
                        reserved = kept;
                        (device.to_string(), total, used, mnt.target.clone())
                    }
                    // A bind of a directory on a file system the host mounted is that one's.
                    _ if on_host_mount.is_some() => {
                        let Some(h) = on_host_mount.map(|i| &p.world.host_mounts()[i]) else { continue };
                        let (source, total, used, kept) = learner_mount_usage(p.world, h);
                        reserved = kept;
                        (source, total, used, mnt.target.clone())
                    }
                    // Docker names /dev/shm's file system `shm` (oracle-32).
                    (Some(l), crate::world::MountKind::System(crate::world::SystemMount::Shm)) => {
                        ("shm".to_string(), l / 1024, used, mnt.target.clone())
                    }
                    (Some(l), _) => ("tmpfs".to_string(), l / 1024, used, mnt.target.clone()),
                    // A tmpfs without a size gets half the memory (23.54 GiB on the machine), a
                    // tmpfs volume too (oracle-119).
                    (None, crate::world::MountKind::Tmpfs) => ("tmpfs".to_string(), 12_341_828, used, mnt.target.clone()),
                    (None, crate::world::MountKind::Volume { .. }) if mnt.proc_opts.starts_with("tmpfsvol:") => {
                        ("tmpfs".to_string(), 12_341_828, used, mnt.target.clone())
                    }
                    (None, _) => ("/dev/vda".to_string(), 263_174_212, 11_534_336 + used, mnt.target.clone()),
                }
            }
            (crate::vfs::Ns::Container(_), None) => ("overlay".to_string(), 263_174_212, 11_534_336, "/".to_string()),
            // On the host: Docker's data root is a mount of its own (the same disk), and a
            // running container's overlay is mounted at its layer dir's `merged`.
            (crate::vfs::Ns::Host, _) if loc.mount.is_some_and(|m| m < p.world.host_mounts().len()) => {
                let h = &p.world.host_mounts()[loc.mount.unwrap_or_default()];
                let (source, total, used, kept) = learner_mount_usage(p.world, h);
                reserved = kept;
                (source, total, used, h.mount.target.clone())
            }
            (crate::vfs::Ns::Host, _) => {
                let merged = loc.path.strip_prefix("/var/lib/docker/overlay2/").and_then(|rest| {
                    let (layer, after) = rest.split_once("/merged")?;
                    (after.is_empty() || after.starts_with('/')).then(|| format!("/var/lib/docker/overlay2/{layer}/merged"))
                });
                match merged {
                    Some(target) if matches!(loc.node, crate::vfs::Node::Merged(_)) => {
                        ("overlay".to_string(), 263_174_212, 11_534_336, target)
                    }
                    _ if loc.path == "/var/lib/docker" || loc.path.starts_with("/var/lib/docker/") => {
                        ("/dev/vda".to_string(), 263_174_212, 11_534_336, "/var/lib/docker".to_string())
                    }
                    _ => ("/dev/vda".to_string(), 263_174_212, 11_534_336, "/".to_string()),
                }
            }
        };
        let fstype = match source.as_str() {
            "overlay" => "overlay",
            s if s.starts_with("/dev/loop") => loc
                .mount
                .and_then(|m| p.world.ns_mount(&p.ctx.ns, m))
                .and_then(|m| p.world.block_devices().image_by_root(m.root))
                .map_or("ext4", |i| i.kind.name()),
            s if s.starts_with("/dev/") => "ext4",
            _ => "tmpfs",
        };
        rows.push(DfRow { source, fstype, total, used, reserved, target });
    }
    // GNU df prints nothing more when no operand could be read; busybox still prints its header.
    if p.gnu && rows.is_empty() {
        return status;
    }
    let out = if p.gnu { gnu_df_table(&rows, human, typed) } else { busybox_df_table(&rows, human, typed) };
    p.out(&out);
    status
}

/// busybox: fixed columns, sizes to one decimal, the percentage rounded to the nearest.
fn busybox_df_table(rows: &[DfRow], human: bool, typed: bool) -> String {
    let header = if human {
        "Filesystem                Size      Used Available Use% Mounted on\n"
    } else {
        "Filesystem           1K-blocks      Used Available Use% Mounted on\n"
    };
    // `-T`: the type in a column of ten after the file system.
    let mut out = if typed { header.replacen("Filesystem          ", "Filesystem           Type      ", 1) } else { header.to_string() };
    for r in rows {
        let source = if typed { format!("{:<20} {:<9}", r.source, r.fstype) } else { r.source.clone() };
        let r = &DfRow { source, ..r.clone() };
        let avail = r.total.saturating_sub(r.used + r.reserved);
        let pct = (r.used * 100 + (r.used + avail) / 2).checked_div(r.used + avail).unwrap_or(0);
        if human {
            out.push_str(&format!(
                "{:<20} {:>9} {:>9} {:>9} {pct:>3}% {}\n",
                r.source,
                busybox_human(r.total * 1024, true),
                busybox_human(r.used * 1024, true),
                busybox_human(avail * 1024, true),
                r.target
            ));
        } else {
            out.push_str(&format!("{:<20} {:>9} {:>9} {:>9} {pct:>3}% {}\n", r.source, r.total, r.used, avail, r.target));
        }
    }
    out
}

/// GNU coreutils: each column as wide as its widest cell (with df's minimum widths), one
/// space apart, the percentage rounded up.
fn gnu_df_table(rows: &[DfRow], human: bool, typed: bool) -> String {
    let size = |kib: u64| if human { gnu_human(kib * 1024) } else { kib.to_string() };
    let mut table: Vec<[String; 7]> = vec![[
        "Filesystem".into(),
        "Type".into(),
        if human { "Size" } else { "1K-blocks" }.into(),
        "Used".into(),
        if human { "Avail" } else { "Available" }.into(),
        "Use%".into(),
        "Mounted on".into(),
    ]];
    for r in rows {
        let avail = r.total.saturating_sub(r.used + r.reserved);
        let pct = if r.total == 0 { "-".to_string() } else { format!("{}%", (r.used * 100).div_ceil(r.used + avail)) };
        table.push([r.source.clone(), r.fstype.to_string(), size(r.total), size(r.used), size(avail), pct, r.target.clone()]);
    }
    let mut widths = [14, 4, 5, 5, 5, 4, 0];
    for row in &table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &table {
        // `-T`: the type, left-aligned, after the file system.
        let first = if typed {
            format!("{:<w0$} {:<wt$}", row[0], row[1], w0 = widths[0], wt = widths[1])
        } else {
            format!("{:<w0$}", row[0], w0 = widths[0])
        };
        out.push_str(&format!(
            "{first} {:>w2$} {:>w3$} {:>w4$} {:>w5$} {}\n",
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4],
            w5 = widths[5]
        ));
    }
    out
}

pub(super) fn du(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let human = has(&opts, "-h", "--human-readable");
    // `--apparent-size`: what the files hold, not the blocks they take (a hole counts).
    let apparent = has(&opts, "--apparent-size", "");
    let all = has(&opts, "-a", "--all");
    let grand = has(&opts, "-c", "--total");
    // `-s` is a depth of 0; `-d N`/`--max-depth=N` prints down to N.
    let mut max_depth = if has(&opts, "-s", "--summarize") { Some(0) } else { None };
    for (k, o) in opts.iter().enumerate() {
        if let Some(n) = o.strip_prefix("--max-depth=").and_then(|n| n.parse().ok()) {
            max_depth = Some(n);
        } else if o == "-d" {
            // split_opts leaves the value among the operands: taken below.
            let _ = k;
            max_depth = max_depth.or(Some(usize::MAX));
        }
    }
    let mut ops = ops;
    if max_depth == Some(usize::MAX) {
        max_depth = if ops.is_empty() { None } else { Some(ops.remove(0).parse().unwrap_or(0)) };
    }
    let ops = if ops.is_empty() { vec![".".to_string()] } else { ops };
    let gnu = p.gnu;
    let fmt = |bytes: u64| {
        let k = bytes.div_ceil(1024);
        if human && gnu {
            gnu_human(k * 1024)
        } else if human {
            // Busybox keeps the tenths: `24.0K` (oracle-153).
            busybox_human(k * 1024, true)
        } else {
            k.to_string()
        }
    };
    let mut status = 0;
    let mut total = 0u64;
    let mut seen = std::collections::BTreeSet::new();
    let how = DuHow { apparent, all, max_depth, every_inode_once: ops.len() > 1, failed: std::cell::Cell::new(false) };
    for op in ops {
        if p.world.stat(&p.ctx, &op, false).is_err() {
            p.err(&format!("{}: No such file or directory", if p.gnu { format!("cannot access {}", p.q(&op)) } else { op.clone() }));
            status = 1;
            continue;
        }
        let mut lines = Vec::new();
        let size = du_tree(p, &op, 0, &how, &mut seen, &mut lines);
        total += size;
        for (path, bytes) in lines {
            p.out(&format!("{}\t{path}\n", fmt(bytes)));
        }
    }
    if grand {
        p.out(&format!("{}\ttotal\n", fmt(total)));
    }
    if how.failed.get() {
        status = 1;
    }
    status
}

struct DuHow {
    apparent: bool,
    all: bool,
    max_depth: Option<usize>,
    /// Several operands: every inode counts once across them all, not only hard links.
    every_inode_once: bool,
    /// A directory could not be read (the exit status is 1).
    failed: std::cell::Cell<bool>,
}

/// A tree's size (counting each inode once), with the lines du prints for it: its contents
/// before it, files only with `-a`, nothing below the depth limit.
fn du_tree(
    p: &mut Proc,
    path: &str,
    depth: usize,
    how: &DuHow,
    seen: &mut std::collections::BTreeSet<u32>,
    lines: &mut Vec<(String, u64)>,
) -> u64 {
    let Ok(st) = p.world.stat(&p.ctx, path, false) else { return 0 };
    // An operand met before (the same file named twice, or a hard link of one counted) is
    // passed over: not counted, not printed (oracle-139).
    if depth == 0 && !seen.insert(st.ino.0) {
        return 0;
    }
    let tracked = (st.nlink > 1 && st.ftype != FileType::Dir) || how.every_inode_once;
    let own = if depth > 0 && tracked && !seen.insert(st.ino.0) {
        0
    } else if how.apparent {
        st.size
    } else {
        st.blocks * 1024
    };
    let mut size = own;
    let shown = how.max_depth.is_none_or(|m| depth <= m);
    if st.ftype == FileType::Dir {
        match p.world.resolve(&p.ctx, path, false).and_then(|l| p.world.list(&p.ctx, &l)) {
            Ok(entries) => {
                for (name, _) in entries {
                    let child = if path.ends_with('/') { format!("{path}{name}") } else { format!("{path}/{name}") };
                    size += du_tree(p, &child, depth + 1, how, seen, lines);
                }
            }
            Err(e @ crate::fs::Errno::Access) => {
                let shown = p.q(path);
                p.err_dialect(&format!("cannot read directory {shown}: {e}"), &format!("can't open '{path}': {e}"));
                how.failed.set(true);
            }
            Err(_) => {}
        }
        if shown {
            lines.push((path.to_string(), size));
        }
    } else if shown && (how.all || depth == 0) {
        lines.push((path.to_string(), size));
    }
    size
}
