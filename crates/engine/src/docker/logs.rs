//! `docker logs`: what a container's main process wrote, each line with the time it was
//! written; `--tail`, `--since`, `--until`, `-t`, `--details` and `-f` (oracle-45, oracle-116).

use super::flags::{self, flag, opt};
use super::{arg_count_error, no_such_container, usage_error};
use crate::shell::Io;
use crate::world::{Status, World};

/// A log line's time as `-t` shows it: RFC 3339 with nine digits, then a space.
pub(super) fn log_stamp(at: i128) -> String {
    let secs = crate::clock::rfc3339((at / 1_000_000_000) as i64);
    format!("{}.{:09}Z ", secs.trim_end_matches('Z'), at.rem_euclid(1_000_000_000))
}

pub(super) fn logs(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let specs = [
        flag("follow", Some('f')),
        opt("tail", Some('n')),
        flag("timestamps", Some('t')),
        flag("details", None),
        opt("since", None),
        opt("until", None),
    ];
    let parsed = match flags::parse(args, &specs, false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "logs", &e),
    };
    let Some(name) = parsed.operands.first() else {
        return arg_count_error(io, "logs", "exactly 1 argument", "[OPTIONS] CONTAINER", "Fetch the logs of a container");
    };
    let now = world.clock().nanos;
    let mut window = [None, None];
    for (k, key) in ["since", "until"].into_iter().enumerate() {
        if let Some(v) = parsed.get(key) {
            match crate::clock::docker_time(v, now) {
                Some(t) => window[k] = Some(t),
                None => {
                    io.err_line(&format!("invalid value for \"{key}\": failed to parse value as time or duration: \"{v}\""));
                    return 1;
                }
            }
        }
    }
    // `-f`: the command follows a running container to its end, if its main process ends
    // within the hour (one that runs on would keep it waiting: what is logged so far).
    if let Some(id) = world.named_container(name).filter(|c| c.status == Status::Running && parsed.has("follow")).map(|c| c.id.clone()) {
        crate::shell::sleepers::run_to_end(world, &id, 3600);
    }
    let Some(c) = world.named_container(name) else {
        no_such_container(io, name);
        return 1;
    };
    if c.host.log_driver == "none" {
        io.err_line("Error response from daemon: configured logging driver does not support reading");
        return 1;
    }
    // Each line's time: when it was written, or the start for lines kept without one.
    let started = c.started_at.unwrap_or(c.created);
    let lines: Vec<(bool, String, i128, bool)> = c
        .logs
        .iter()
        .enumerate()
        .map(|(k, (is_err, line))| (*is_err, line.clone(), c.log_times.get(k).copied().unwrap_or(started), c.log_unterminated.contains(&k)))
        .filter(|(_, _, at, _)| window[0].is_none_or(|since| *at >= since) && window[1].is_none_or(|until| *at <= until))
        .collect();
    // `--tail N` (`-n`): the last N lines of both streams together; `all`, or a value that is
    // not a number, is every line (oracle-45).
    let skip = match parsed.get("tail").and_then(|t| t.parse::<usize>().ok()) {
        Some(n) => lines.len().saturating_sub(n),
        None => 0,
    };
    // `--details`: the line's extra attributes (none here) and a space before it.
    let details = if parsed.has("details") { " " } else { "" };
    for (is_err, line, at, unterminated) in lines.into_iter().skip(skip) {
        // `-t`: each line behind its time, in the fixed nine-digit form Docker prints.
        let stamp = if parsed.has("timestamps") { log_stamp(at) } else { String::new() };
        // A line written without its newline comes back without one.
        let text = format!("{stamp}{details}{line}{}", if unterminated { "" } else { "\n" });
        if is_err {
            io.err_str(&text);
        } else {
            io.out_str(&text);
        }
    }
    0
}
