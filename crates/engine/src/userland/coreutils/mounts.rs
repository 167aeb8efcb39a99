//! Mounts: `mount` lists them (host_mount.rs mounts on the host), `umount` takes one away, `mountpoint` and `findmnt`
//! (util-linux, on the host) say where one is. The tables come from `procfs`: the host's own
//! file systems and an overlay for each running container; a container's `/proc/mounts`.
//! oracle-69.

use super::{has, split_opts, Cursor, Proc};
use crate::fs::Errno;

/// busybox `mount`: without arguments it lists `/proc/mounts` as `DEV on DIR type TYPE (OPTS)`;
/// a container has no CAP_SYS_ADMIN, so mounting anything fails, even as root (oracle-178).
pub(super) fn mount(p: &mut Proc, args: &[String]) -> i32 {
    // The values of -o and -t are not operands.
    let mut operands: Vec<&String> = Vec::new();
    let mut options: Vec<&str> = Vec::new();
    let mut args_left = args.iter();
    while let Some(a) = args_left.next() {
        match a.as_str() {
            "-o" => options.extend(args_left.next().map(|o| o.split(',')).into_iter().flatten()),
            "-t" => {
                args_left.next();
            }
            s if s.starts_with('-') => {}
            _ => operands.push(a),
        }
    }
    if args.is_empty() {
        let text = if p.gnu {
            crate::procfs::host_mounts(p.world)
        } else {
            p.world.read(&p.ctx, "/proc/mounts").map(|d| String::from_utf8_lossy(&d.to_vec()).into_owned()).unwrap_or_default()
        };
        for line in text.lines() {
            let f: Vec<&str> = line.split(' ').collect();
            if let [dev, dir, fstype, opts, ..] = f[..] {
                p.io.out_str(&format!("{dev} on {dir} type {fstype} ({opts})\n"));
            }
        }
        return 0;
    }
    match operands[..] {
        [_] => {
            p.err("can't read '/etc/fstab': No such file or directory");
            1
        }
        [source, ..] => {
            p.err("permission denied (are you root?)");
            // A loop device for a file that exists fails further on.
            if options.contains(&"loop") && p.world.exists(&p.ctx, source) {
                255
            } else {
                1
            }
        }
        [] => {
            p.err("permission denied (are you root?)");
            1
        }
    }
}

/// One line of a mount table.
pub(super) struct Mount {
    pub(super) source: String,
    pub(super) target: String,
    pub(super) fstype: String,
    pub(super) options: String,
    /// The directory of its file system that is mounted (`/` for a whole one).
    root: String,
}

/// The host's mounts, in the kernel's order: `/proc/mounts`, with each mount's root from
/// `/proc/self/mountinfo` (the same rows).
pub(super) fn host_table(p: &Proc) -> Vec<Mount> {
    let info = crate::procfs::host_mountinfo(p.world);
    let roots = info.lines().map(|l| l.split(' ').nth(3).unwrap_or("/").to_string());
    crate::procfs::host_mounts(p.world)
        .lines()
        .zip(roots)
        .filter_map(|(line, root)| match line.split(' ').collect::<Vec<_>>()[..] {
            [source, target, fstype, options, ..] => Some(Mount {
                source: source.to_string(),
                target: target.to_string(),
                fstype: fstype.to_string(),
                options: options.to_string(),
                root,
            }),
            _ => None,
        })
        .collect()
}

/// The device numbers (`mountpoint -d`) of the host's file systems, as the recording machine
/// has them: the disk is 254:0, each virtual file system an anonymous device of its own.
fn device_of(m: &Mount, index: usize) -> String {
    let known = [
        ("/proc", "0:21"),
        ("/sys", "0:22"),
        ("/dev", "0:6"),
        ("/dev/shm", "0:27"),
        ("/dev/pts", "0:26"),
        ("/sys/fs/cgroup", "0:28"),
        ("/sys/fs/cgroup/unified", "0:38"),
    ];
    if m.source == "/dev/vda" {
        return "254:0".to_string();
    }
    match known.iter().find(|(t, _)| *t == m.target) {
        Some((_, dev)) => dev.to_string(),
        None => format!("0:{}", 40 + index),
    }
}

/// busybox's `umount` in a container, which lacks CAP_SYS_ADMIN; util-linux's without
/// operands (host_mount.rs takes the rest).
pub(super) fn umount(p: &mut Proc, args: &[String]) -> i32 {
    let (_, targets) = split_opts(args);
    if targets.is_empty() {
        if !p.gnu {
            return p.busybox_usage();
        }
        p.err("bad usage");
        p.io.err_line("Try 'umount --help' for more information.");
        return 1;
    }
    for t in &targets {
        p.err(&format!("can't unmount {t}: {}", Errno::Perm));
    }
    1
}

/// `mountpoint [-q] [-d] DIR`: whether DIR is where a file system is mounted (0) or not (32).
pub(super) fn mountpoint(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, operands) = split_opts(args);
    let [dir] = &operands[..] else {
        p.err("bad usage");
        p.io.err_line("Try 'mountpoint --help' for more information.");
        return 1;
    };
    let quiet = has(&opts, "-q", "--quiet");
    let resolved = match p.world.resolve(&p.ctx, dir, true) {
        Ok(loc) => loc.path,
        Err(e) => {
            if !quiet {
                p.err(&format!("{dir}: {e}"));
            }
            return 1;
        }
    };
    let table = host_table(p);
    match table.iter().enumerate().rev().find(|(_, m)| m.target == resolved) {
        Some((index, m)) => {
            if has(&opts, "-d", "--fs-devno") {
                let dev = device_of(m, index);
                p.out_line(&dev);
            } else if !quiet {
                p.out_line(&format!("{dir} is a mountpoint"));
            }
            0
        }
        None => {
            if !quiet {
                p.out_line(&format!("{dir} is not a mountpoint"));
            }
            32
        }
    }
}

/// The columns `findmnt -o` knows here.
const COLUMNS: [&str; 4] = ["TARGET", "SOURCE", "FSTYPE", "OPTIONS"];

/// `findmnt [-l] [-n] [-o COLUMNS] [-t TYPES] [-T PATH | TARGET|SOURCE]`: the host's mounts
/// as a tree under `/` (a list when asked, or when it looks for something).
pub(super) fn findmnt(p: &mut Proc, args: &[String]) -> i32 {
    let mut columns: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    let (mut list, mut headings, mut types, mut contains, mut wanted) = (false, true, None::<Vec<String>>, None, None);
    let mut cursor = Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-l" | "--list" => list = true,
            "-n" | "--noheadings" => headings = false,
            "-o" | "--output" => columns = cursor.value().split(',').map(str::to_string).collect(),
            "-t" | "--types" => types = Some(cursor.value().split(',').map(str::to_string).collect()),
            "-T" | "--target" => contains = Some(cursor.value()),
            s if s.starts_with('-') && s.len() > 1 => {
                let bad = s.trim_start_matches('-').chars().next().unwrap_or('-');
                p.err(&format!("invalid option -- '{bad}'"));
                p.io.err_line("Try 'findmnt --help' for more information.");
                return 1;
            }
            _ => wanted = Some(a.clone()),
        }
    }
    if let Some(bad) = columns.iter().find(|c| !COLUMNS.contains(&c.as_str())) {
        let msg = format!("unknown column: {bad}");
        p.err(&msg);
        return 1;
    }
    let table = host_table(p);
    let mut picked: Vec<usize> = (0..table.len()).filter(|&k| types.as_ref().is_none_or(|t| t.contains(&table[k].fstype))).collect();
    if let Some(path) = &contains {
        // The mount that holds the path: the deepest mount point above it.
        let Ok(loc) = p.world.resolve(&p.ctx, path, true) else { return 1 };
        let holder = picked.iter().copied().filter(|&k| under(&loc.path, &table[k].target)).max_by_key(|&k| table[k].target.len());
        picked = holder.into_iter().collect();
    } else if let Some(w) = &wanted {
        let norm = crate::fs::normalize(&p.ctx.cwd, w);
        picked.retain(|&k| table[k].target == norm || table[k].source == *w);
    }
    if picked.is_empty() {
        return 1;
    }
    let tree = !list && types.is_none() && contains.is_none() && wanted.is_none();
    let rows: Vec<(String, usize)> = if tree { tree_order(&table) } else { picked.into_iter().map(|k| (String::new(), k)).collect() };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|(prefix, k)| {
            let m = &table[*k];
            columns
                .iter()
                .map(|c| match c.as_str() {
                    "TARGET" => format!("{prefix}{}", m.target),
                    "SOURCE" if m.root != "/" => format!("{}[{}]", m.source, m.root),
                    "SOURCE" => m.source.clone(),
                    "FSTYPE" => m.fstype.clone(),
                    _ => m.options.clone(),
                })
                .collect()
        })
        .collect();
    print_table(p, &columns, headings, cells, |c| c.len(), |_| false);
    0
}

/// A table as util-linux's tools print it (libsmartcols): each column as wide as its widest
/// cell, its heading or its least width; cells apart by one space, right-aligned in the
/// columns `right` names; the last column left as it is unless aligned right.
pub(super) fn print_table(
    p: &mut Proc,
    columns: &[String],
    headings: bool,
    rows: Vec<Vec<String>>,
    least: impl Fn(&str) -> usize,
    right: impl Fn(&str) -> bool,
) {
    let widths: Vec<usize> =
        columns.iter().enumerate().map(|(k, c)| rows.iter().map(|r| r[k].chars().count()).chain([least(c)]).max().unwrap_or(0)).collect();
    let mut lines = Vec::new();
    if headings {
        lines.push(columns.to_vec());
    }
    lines.extend(rows);
    for line in lines {
        let last = line.len().saturating_sub(1);
        let text: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let pad = " ".repeat(widths[k] - v.chars().count().min(widths[k]));
                match k {
                    k if right(&columns[k]) => format!("{pad}{v}"),
                    k if k == last => v.clone(),
                    _ => format!("{v}{pad}"),
                }
            })
            .collect();
        p.out_line(&text.join(" "));
    }
}

/// Whether `path` is `dir` or inside it.
fn under(path: &str, dir: &str) -> bool {
    dir == "/" || path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// The mounts as findmnt draws them: `/` first, each mount under the deepest mount point
/// above it, in the kernel's order; each with the tree's lines before its target.
fn tree_order(table: &[Mount]) -> Vec<(String, usize)> {
    let parent = |k: usize| {
        (0..table.len())
            .filter(|&q| q != k && table[q].target != table[k].target && under(&table[k].target, &table[q].target))
            .max_by_key(|&q| table[q].target.len())
    };
    let parents: Vec<Option<usize>> = (0..table.len()).map(parent).collect();
    let mut out = Vec::new();
    if let Some(root) = table.iter().position(|m| m.target == "/") {
        out.push((String::new(), root));
        draw(table, &parents, root, "", &mut out);
    }
    out
}

fn draw(table: &[Mount], parents: &[Option<usize>], at: usize, indent: &str, out: &mut Vec<(String, usize)>) {
    let children: Vec<usize> = (0..table.len()).filter(|&k| parents[k] == Some(at)).collect();
    for (n, &child) in children.iter().enumerate() {
        let last = n + 1 == children.len();
        out.push((format!("{indent}{}", if last { "└─" } else { "├─" }), child));
        draw(table, parents, child, &format!("{indent}{}", if last { "  " } else { "│ " }), out);
    }
}

/// util-linux `lsblk [-n] [-o COLUMNS]`: the machine's block devices, the disk with each place
/// it is mounted (newest first) and the empty zram device of the recording machine.
pub(super) fn lsblk(p: &mut Proc, args: &[String]) -> i32 {
    const KNOWN: [&str; 8] = ["NAME", "MAJ:MIN", "RM", "SIZE", "RO", "TYPE", "MOUNTPOINT", "MOUNTPOINTS"];
    let mut columns: Vec<String> = ["NAME", "MAJ:MIN", "RM", "SIZE", "RO", "TYPE", "MOUNTPOINTS"].iter().map(|c| c.to_string()).collect();
    let mut headings = true;
    let mut cursor = Cursor::new(args);
    while let Some(a) = cursor.next() {
        match a.as_str() {
            "-n" | "--noheadings" => headings = false,
            "-o" | "--output" => columns = cursor.value().split(',').filter(|c| !c.is_empty()).map(str::to_uppercase).collect(),
            s => {
                let bad = s.trim_start_matches('-').chars().next().unwrap_or('-');
                if s.starts_with('-') {
                    p.err(&format!("invalid option -- '{bad}'"));
                } else {
                    p.err(&format!("{s}: not a block device"));
                }
                p.io.err_line("Try 'lsblk --help' for more information.");
                return if s.starts_with('-') { 1 } else { 32 };
            }
        }
    }
    if let Some(bad) = columns.iter().find(|c| !KNOWN.contains(&c.as_str())) {
        let msg = format!("unknown column: {bad}");
        p.err(&msg);
        return 1;
    }
    let table = host_table(p);
    // Where a device is mounted, newest first.
    let mounts_of = |device: &str| -> Vec<String> { table.iter().rev().filter(|m| m.source == device).map(|m| m.target.clone()).collect() };
    // (name, major, minor, size, mount points): the attached loop devices, the zram device and the disk.
    let mut listed: Vec<(String, u32, usize, String, Vec<String>)> = p
        .world
        .block_devices()
        .attached()
        .map(|(n, l)| {
            (
                format!("loop{n}"),
                7,
                n,
                super::extents::util_linux_size(p.world.fs().get(l.inode).size(), false, false),
                mounts_of(&format!("/dev/loop{n}")),
            )
        })
        .collect();
    listed.push(("zram0".into(), 253, 0, "0B".into(), Vec::new()));
    listed.push(("vda".into(), 254, 0, "256G".into(), mounts_of("/dev/vda")));
    // lsblk lines the majors up on their colon.
    let major_width = listed.iter().map(|d| d.1.to_string().len()).max().unwrap_or(1);
    let numbers: Vec<String> = listed.iter().map(|d| format!("{:>major_width$}:{}", d.1, d.2)).collect();
    let devices: Vec<(&str, &str, &str, Vec<String>)> =
        listed.iter().zip(&numbers).map(|(d, number)| (d.0.as_str(), number.as_str(), d.3.as_str(), d.4.clone())).collect();
    // Right-aligned columns, and the widths libsmartcols gives them at least.
    let right = |c: &str| matches!(c, "RM" | "SIZE" | "RO");
    let least = |c: &str| if c == "SIZE" { 5 } else { c.len() };
    let cell = |c: &str, d: &(&str, &str, &str, Vec<String>), line: usize| -> String {
        match (c, line) {
            ("MOUNTPOINTS", _) => d.3.get(line).cloned().unwrap_or_default(),
            (_, 0) => match c {
                "NAME" => d.0.to_string(),
                "MAJ:MIN" => d.1.to_string(),
                "SIZE" => d.2.to_string(),
                "TYPE" => if d.0.starts_with("loop") { "loop" } else { "disk" }.to_string(),
                // One mount point only: the first the disk was mounted on.
                "MOUNTPOINT" => d.3.last().cloned().unwrap_or_default(),
                _ => "0".to_string(),
            },
            _ => String::new(),
        }
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    for d in &devices {
        let lines = if columns.iter().any(|c| c == "MOUNTPOINTS") { d.3.len().max(1) } else { 1 };
        for line in 0..lines {
            rows.push(columns.iter().map(|c| cell(c, d, line)).collect());
        }
    }
    print_table(p, &columns, headings, rows, least, right);
    0
}
