//! nginx's logs: where a log path leads (the process's stdout or stderr through the image's
//! symlinks, or a file), time stamps, and the error and access log lines of a running server.

use crate::clock::tm;
use crate::fs::Data;
use crate::vfs::{Ctx, Ns, WriteMode};
use crate::world::{ContainerId, World};

use super::config::{ErrorLog, Running, LEVELS};
use super::MAX_NESTING;

/// `2026/11/30 04:02:00` (error log time stamps).
pub(super) fn log_time(secs: i64) -> String {
    let t = tm(secs);
    format!("{:04}/{:02}/{:02} {:02}:{:02}:{:02}", t.year, t.month, t.day, t.hour, t.min, t.sec)
}

/// Where a log path leads: the process's stdout or stderr through the image's symlinks, or a file.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Sink {
    Stdout,
    Stderr,
    File(String),
}

pub(super) fn sink(world: &World, ctx: &Ctx, path: &str) -> Sink {
    let mut path = path.to_string();
    for _ in 0..MAX_NESTING {
        match world.stat(ctx, &path, false).ok().and_then(|s| s.symlink) {
            Some(target) => path = crate::fs::normalize(&crate::fs::parent_and_name(&path).0, &target),
            None => break,
        }
        match path.as_str() {
            "/dev/stdout" | "/proc/self/fd/1" => return Sink::Stdout,
            "/dev/stderr" | "/proc/self/fd/2" => return Sink::Stderr,
            _ => {}
        }
    }
    Sink::File(path)
}

/// Writes error log lines of a running nginx (the container's log when it is the main process).
pub(super) fn append_logs(world: &mut World, id: &ContainerId, running: &Running, log: &ErrorLog, lines: &[(u8, u32, String)]) {
    let time = log_time(world.clock().secs());
    for (level, pid, msg) in lines {
        if *level > log.level {
            continue;
        }
        let line = format!("{time} [{}] {pid}#{pid}: {msg}", LEVELS[*level as usize]);
        write_server_log(world, id, running, &log.path, &line);
    }
}

/// A log line of a running server: stdout/stderr are the container's log (if nginx is its main
/// process); files are appended to as root.
pub(super) fn write_server_log(world: &mut World, id: &ContainerId, running: &Running, path: &str, line: &str) {
    let ctx = Ctx::root(Ns::Container(id.clone()));
    match sink(world, &ctx, path) {
        stream @ (Sink::Stdout | Sink::Stderr) if running.main_process => {
            if let Some(c) = world.container_mut(id) {
                c.logs.push((matches!(stream, Sink::Stderr), line.to_string()));
            }
        }
        Sink::File(p) => {
            let _ = world.write_file(&ctx, &p, &Data::from_bytes(format!("{line}\n").as_bytes()), WriteMode::Append);
        }
        _ => {}
    }
}
