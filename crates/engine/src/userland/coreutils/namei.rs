//! util-linux `namei` on the host: a path taken apart, each component with its type (and with
//! `-l` its mode and owners), symlinks followed and drawn one level in, and the component
//! where the walk stopped with the reason: the tool that shows why a permission denies a path
//! (oracle-69).

use super::ls::mode_string;
use super::Proc;
use crate::fs::Errno;
use crate::users;
use crate::vfs::Stat;

/// One line of the walk.
struct Step {
    level: usize,
    name: String,
    found: Result<Stat, Errno>,
    /// The mode string's type letter becomes `D` on a mount point (`-x`).
    mount_point: bool,
}

/// Symlinks followed in one walk before it gives up, as the kernel does.
const MAX_LINKS: usize = 40;

pub(super) fn namei(p: &mut Proc, args: &[String]) -> i32 {
    let (mut modes, mut owners, mut vertical, mut mounts, mut follow) = (false, false, false, false, true);
    let mut paths = Vec::new();
    for a in args {
        match a.as_str() {
            "-l" | "--long" => (modes, owners, vertical) = (true, true, true),
            "-m" | "--modes" => modes = true,
            "-o" | "--owners" => owners = true,
            "-v" | "--vertical" => vertical = true,
            "-x" | "--mountpoints" => mounts = true,
            "-n" | "--nosymlinks" => follow = false,
            s if s.starts_with('-') && s.len() > 1 => {
                let bad = s.trim_start_matches('-').chars().next().unwrap_or('-');
                p.err(&format!("invalid option -- '{bad}'"));
                p.io.err_line("Try 'namei --help' for more information.");
                return 1;
            }
            _ => paths.push(a.clone()),
        }
    }
    if paths.is_empty() {
        p.err("pathname argument is missing");
        p.io.err_line("Try 'namei --help' for more information.");
        return 1;
    }
    // `-x` marks where the device changes: a bind of the disk on itself (`/var/lib/docker`)
    // is no such place.
    let mount_points: Vec<String> = if mounts {
        super::mounts::host_table(p).into_iter().filter(|m| m.source != "/dev/vda" || m.target == "/").map(|m| m.target).collect()
    } else {
        Vec::new()
    };
    let mut status = 0;
    for path in paths {
        let mut walk = Walk { p, follow, mount_points: &mount_points, links: 0, steps: Vec::new() };
        walk.path(&p.ctx.cwd, &path, 0);
        let steps = walk.steps;
        p.out_line(&format!("f: {path}"));
        let name_of = |p: &Proc, uid: u32, user: bool| {
            let name = if user { users::user_name(p.world, &p.ctx, uid) } else { users::group_name(p.world, &p.ctx, uid) };
            name.unwrap_or_else(|| uid.to_string())
        };
        let found: Vec<&Stat> = steps.iter().filter_map(|s| s.found.as_ref().ok()).collect();
        let user_width = found.iter().map(|st| name_of(p, st.uid, true).len()).max().unwrap_or(0);
        let group_width = found.iter().map(|st| name_of(p, st.gid, false).len()).max().unwrap_or(0);
        for step in &steps {
            let indent = "  ".repeat(step.level);
            let st = match &step.found {
                Ok(st) => st,
                Err(e) => {
                    let mut blanks = 1 + step.level * 2;
                    blanks += if modes { 9 } else { 0 } + if owners { user_width + group_width + 2 } else { 0 };
                    blanks += usize::from(!vertical);
                    p.out_line(&format!("{} {} - {e}", " ".repeat(blanks), step.name));
                    status = 1;
                    break;
                }
            };
            let mut line = if vertical { String::new() } else { format!("{indent} ") };
            let mut mode = mode_string(st);
            if step.mount_point {
                mode.replace_range(..1, "D");
            }
            line.push_str(if modes { &mode } else { mode.get(..1).unwrap_or_default() });
            if owners {
                line.push_str(&format!(" {:<user_width$} {:<group_width$}", name_of(p, st.uid, true), name_of(p, st.gid, false)));
            }
            if vertical {
                line.push_str(&indent);
            }
            match &st.symlink {
                Some(target) => line.push_str(&format!(" {} -> {target}", step.name)),
                None => line.push_str(&format!(" {}", step.name)),
            }
            p.out_line(&line);
        }
    }
    status
}

/// One walk of `namei`: what it is asked and what it found so far.
struct Walk<'a> {
    p: &'a Proc<'a>,
    follow: bool,
    mount_points: &'a [String],
    /// Symlinks followed so far.
    links: usize,
    steps: Vec<Step>,
}

impl Walk<'_> {
    /// Walks `path` from the directory `from`, one step per component (and `/` first for an
    /// absolute path), following symlinks one level deeper; the directory it ends in, or
    /// `None` where a component failed.
    fn path(&mut self, from: &str, path: &str, level: usize) -> Option<String> {
        let mut at = if path.starts_with('/') { "/".to_string() } else { from.to_string() };
        if path.starts_with('/') {
            self.step("/", "/", level).ok()?;
        }
        for name in path.split('/').filter(|c| !c.is_empty()) {
            let full = crate::fs::normalize(&at, name);
            let st = self.step(name, &full, level).ok()?;
            match st.symlink {
                Some(target) if self.follow && self.links < MAX_LINKS => {
                    self.links += 1;
                    at = self.path(&at, &target, level + 1)?;
                }
                _ => at = full,
            }
        }
        Some(at)
    }

    fn step(&mut self, name: &str, full: &str, level: usize) -> Result<Stat, Errno> {
        let found = self.p.world.stat(&self.p.ctx, full, false);
        let mount_point = self.mount_points.iter().any(|m| m == full);
        self.steps.push(Step { level, name: name.to_string(), found: found.clone(), mount_point });
        found
    }
}
