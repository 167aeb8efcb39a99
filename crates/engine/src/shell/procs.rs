//! The processes of a container as busybox's `ps` sees them: the main process (pid 1), the
//! shells a `docker exec` started and `ps` itself. A process `docker exec` starts takes a new
//! pid of the container's namespace (runc's init threads take the five after it); a shell's
//! child takes the next one; the last command of `sh -c` runs in the shell's own process, as
//! busybox sh runs it (oracle-81). Real pids past the first exec vary by one from run to run.

use super::process::ProcLine;
use super::Shell;
use crate::userland::{users, Io};
use crate::vfs::Ns;
use crate::world::World;

/// The processes a program started from `sh` with `argv` descends from, itself last: it takes
/// the pid the runtime gave (`launch_pid`), its shell's own when it is that shell's last
/// command, or a new one.
pub fn started(world: &mut World, sh: &mut Shell, argv: &[String]) -> Vec<ProcLine> {
    let Ns::Container(id) = sh.ctx.ns.clone() else { return Vec::new() };
    let mut chain = sh.procs.clone();
    let args = argv.join(" ");
    let pid = if let Some(pid) = sh.launch_pid.take() {
        pid
    } else if sh.tail {
        match chain.pop() {
            Some(line) => line.pid,
            None => world.fork_pid(&id),
        }
    } else {
        world.fork_pid(&id)
    };
    chain.push(ProcLine { pid, uid: sh.ctx.cred.uid, gid: sh.ctx.cred.gid, args });
    chain
}

/// The pid a program started from `sh` now would take (as [`started`] gives it, taking none).
pub fn pid_it_would_take(world: &World, sh: &Shell) -> u32 {
    let Ns::Container(id) = &sh.ctx.ns else { return 0 };
    let next = world.container(id).map_or(0, |c| c.next_pid);
    match (sh.launch_pid, sh.tail) {
        (Some(pid), _) => pid,
        (None, true) => sh.procs.last().map_or(next, |line| line.pid),
        (None, false) => next,
    }
}

/// The columns `ps -o` knows here, their headings and widths (0: the rest of the line).
/// busybox knows `vsz`, `rss`, `pgid` and `sid` too: memory and sessions the simulation does
/// not keep, so it refuses them as it refuses a column busybox does not know.
const COLUMNS: [(&str, &str, usize); 11] = [
    ("pid", "PID", 5),
    ("ppid", "PPID", 5),
    ("user", "USER", 8),
    ("ruser", "RUSER", 8),
    ("group", "GROUP", 8),
    ("rgroup", "RGROUP", 8),
    ("nice", "NI", 5),
    ("tty", "TT", 6),
    ("stat", "STAT", 4),
    ("comm", "COMMAND", 16),
    ("args", "COMMAND", 0),
];

/// busybox `ps [-o COLUMN,…]` in a container; `started_as` is the command line that started
/// it (`busybox ps …` when the runtime did).
pub fn ps(world: &mut World, sh: &mut Shell, argv: &[String], started_as: &[String], io: &mut Io) -> i32 {
    let Ns::Container(id) = sh.ctx.ns.clone() else { return 127 };
    let mut columns: Vec<&str> = vec!["pid", "user", "args"];
    let mut k = 1;
    while let Some(a) = argv.get(k) {
        k += 1;
        let spec = match a.as_str() {
            "-o" => {
                k += 1;
                argv.get(k - 1).cloned().unwrap_or_default()
            }
            s if s.starts_with("-o") => s.get(2..).unwrap_or_default().to_string(),
            // busybox takes the BSD and System V letters (`aux`, `-ef`) and lists the same.
            _ => continue,
        };
        columns.clear();
        for c in spec.split(',') {
            match COLUMNS.iter().find(|(name, _, _)| *name == c) {
                Some((name, _, _)) => columns.push(name),
                None => {
                    io.err_line(&format!(
                        "ps: bad -o argument '{c}', supported arguments: user,group,comm,args,pid,ppid,pgid,nice,rgroup,ruser,tty,vsz,sid,stat,rss"
                    ));
                    return 1;
                }
            }
        }
    }
    // ps itself: in the shell's own process when it is the shell's last command; a process of
    // its own command line when the runtime started it (no shell: `docker exec C busybox ps`).
    let direct = sh.procs.is_empty();
    let me = started(world, sh, started_as).pop();
    let shell_args = sh.procs.last().map(|l| l.args.clone()).unwrap_or_else(|| started_as.join(" "));
    let mut lines: Vec<(ProcLine, u32, bool)> = Vec::new();
    let chain: Vec<ProcLine> = sh.procs.iter().filter(|l| me.as_ref().is_none_or(|m| m.pid != l.pid)).cloned().collect();
    if !chain.iter().any(|l| l.pid == 1) && me.as_ref().is_none_or(|m| m.pid != 1) {
        lines.extend(main_line(world, &id).map(|l| (l, 0, false)));
    }
    // The first process of an exec is the runtime's child (0 inside the namespace).
    let mut parent = 0;
    for l in chain {
        let pid = l.pid;
        lines.push((l, parent, false));
        parent = pid;
    }
    if let Some(me) = me {
        lines.push((ProcLine { args: shell_args, ..me }, parent, !direct));
    }
    lines.sort_by_key(|(l, _, _)| l.pid);
    let ctx = sh.ctx.clone();
    // Each cell padded to its column's width, but the last.
    let padded = |n: usize, c: &str, cell: String| {
        let width = COLUMNS.iter().find(|(name, _, _)| *name == c).map_or(0, |col| col.2);
        if n + 1 == columns.len() || width == 0 {
            cell
        } else {
            format!("{cell:<width$}")
        }
    };
    let header: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(n, c)| padded(n, c, COLUMNS.iter().find(|(name, _, _)| name == c).map_or("", |col| col.1).to_string()))
        .collect();
    io.out_str(&format!("{}\n", header.join(" ")));
    for (line, ppid, is_ps) in lines {
        let name = |uid: u32, user: bool| {
            let found = if user { users::user_name(world, &ctx, uid) } else { users::group_name(world, &ctx, uid) };
            found.unwrap_or_else(|| uid.to_string())
        };
        let cells: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(n, c)| {
                let cell = match *c {
                    "pid" => return format!("{:>5}", line.pid),
                    "ppid" => return format!("{ppid:>5}"),
                    "user" | "ruser" => name(line.uid, true),
                    "group" | "rgroup" => name(line.gid, false),
                    "nice" => return format!("{:>5}", 0),
                    "tty" => "?".to_string(),
                    // ps runs; the others wait (a sleep, a shell waiting for its child).
                    "stat" => (if is_ps { "R" } else { "S" }).to_string(),
                    "comm" if is_ps => "ps".to_string(),
                    "comm" => program_of(&line).to_string(),
                    _ if is_ps => format!("{{ps}} {}", line.args),
                    _ => line.args.clone(),
                };
                padded(n, c, cell)
            })
            .collect();
        io.out_str(&format!("{}\n", cells.join(" ")));
    }
    0
}

/// The processes a program in container `id` can see besides itself: the main process (pid 1)
/// and the shells it was started from.
pub fn visible(world: &World, sh: &Shell) -> Vec<ProcLine> {
    let Ns::Container(id) = &sh.ctx.ns else { return Vec::new() };
    let mut lines = sh.procs.clone();
    if !lines.iter().any(|l| l.pid == 1) {
        lines.splice(0..0, main_line(world, id));
    }
    lines
}

/// Container `id`'s main process: pid 1, its command line, the user it runs as.
fn main_line(world: &World, id: &crate::world::ContainerId) -> Option<ProcLine> {
    let c = world.container(id)?;
    let args = std::iter::once(c.path.clone()).chain(c.args.iter().cloned()).collect::<Vec<_>>().join(" ");
    let (uid, gid) = if c.user.is_empty() {
        (0, 0)
    } else {
        users::resolve_user(world, &crate::vfs::Ctx::root(Ns::Container(id.clone())), &c.user)
            .map_or((0, 0), |(cred, _)| (cred.uid, cred.gid))
    };
    Some(ProcLine { pid: 1, uid, gid, args })
}

/// The name a process goes by (`pidof`, `killall`): its program's, without the directory.
fn program_of(line: &ProcLine) -> &str {
    line.args.split(' ').next().unwrap_or_default().rsplit('/').next().unwrap_or_default()
}

/// busybox `pidof NAME…`: the pids of the processes of those names (1 when none is found).
pub fn pidof(world: &World, sh: &Shell, argv: &[String], io: &mut Io) -> i32 {
    let procs = visible(world, sh);
    let pids: Vec<String> =
        procs.iter().filter(|l| argv.iter().skip(1).any(|n| n == program_of(l))).map(|l| l.pid.to_string()).rev().collect();
    if pids.is_empty() {
        return 1;
    }
    io.out_str(&format!("{}\n", pids.join(" ")));
    0
}

/// busybox `killall [-SIGNAL] NAME…`: a signal to each process of those names. Pid 1 ignores
/// the signals it has no handler for (the kernel does so for a namespace's init), so the
/// container's main process goes on; what else it finds are the shells running this.
pub fn killall(world: &World, sh: &Shell, argv: &[String], io: &mut Io) -> i32 {
    let procs = visible(world, sh);
    let mut status = 0;
    for name in argv.iter().skip(1).filter(|a| !a.starts_with('-')) {
        if !procs.iter().any(|l| program_of(l) == name) {
            io.err_line(&format!("killall: {name}: no process killed"));
            status = 1;
        }
    }
    status
}
