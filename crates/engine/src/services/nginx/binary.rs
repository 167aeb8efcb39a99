//! The nginx binary: its options, start-up (`-t`, `-s` signals, temp dirs, busy ports) and its
//! stop (its logs: `logs.rs`).

use crate::fs::Data;
use crate::services::net;
use crate::shell::{Io, Shell};
use crate::userland::Exit;
use crate::vfs::{Ctx, Ns, WriteMode};
use crate::world::{ContainerId, Cred, World};

use super::config::{build, running_nginx, Config, ErrorLog, Running, LEVELS, NOTICE};
use super::grammar::{absolute, Lexer, Loader, ReadFile, MAIN};
use super::logs::{append_logs, log_time, sink, Sink};
use super::{CONF_PATH, DEFAULT_ERROR_LOG, DEFAULT_PID, DEFAULT_USER, TEMP_DIRS, VERSION};

/// A log writer for one nginx process run: lines go to the process's streams or to files.
struct Logger<'a> {
    io: &'a mut Io,
    ctx: Ctx,
}

impl Logger<'_> {
    fn write(&mut self, world: &mut World, path: &str, line: &str) {
        match sink(world, &self.ctx, path) {
            Sink::Stdout => self.io.out_str(&format!("{line}\n")),
            Sink::Stderr => self.io.err_line(line),
            Sink::File(p) => {
                let _ = world.write_file(&self.ctx, &p, &Data::from_bytes(format!("{line}\n").as_bytes()), WriteMode::Append);
            }
        }
    }

    /// An error log entry; `[warn]` and worse are also written to stderr as `nginx: [level] …`.
    fn error(&mut self, world: &mut World, log: &ErrorLog, pid: u32, level: u8, msg: &str) {
        let name = LEVELS[level as usize];
        if level <= log.level {
            let line = format!("{} [{name}] {pid}#{pid}: {msg}", log_time(world.clock().secs()));
            self.write(world, &log.path, &line);
        }
        if level <= 4 {
            self.io.err_line(&format!("nginx: [{name}] {msg}"));
        }
    }
}

/// Command-line options of `nginx`.
struct Options {
    test: bool,
    dump: bool,
    signal: Option<String>,
    conf: String,
    directives: Option<String>,
}

fn options(argv: &[String], io: &mut Io) -> Result<Options, i32> {
    let mut o = Options { test: false, dump: false, signal: None, conf: CONF_PATH.into(), directives: None };
    let mut args = argv[1..].iter();
    while let Some(a) = args.next() {
        let flags = a.strip_prefix('-').filter(|f| !f.is_empty()).ok_or_else(|| {
            io.err_line(&format!("nginx: invalid option: \"{a}\""));
            1
        })?;
        let mut rest = flags.chars();
        while let Some(f) = rest.next() {
            // What follows the option in its cluster: an inline value.
            let inline = rest.as_str();
            let value = |args: &mut std::slice::Iter<String>, io: &mut Io| -> Result<String, i32> {
                if !inline.is_empty() {
                    return Ok(inline.to_string());
                }
                args.next().cloned().ok_or_else(|| {
                    io.err_line(&format!("nginx: option \"-{f}\" requires {}", if f == 's' { "signal name" } else { "file name" }));
                    1
                })
            };
            match f {
                'v' | 'V' => {
                    io.err_line(&format!("nginx version: nginx/{VERSION}"));
                    if f == 'V' {
                        io.err_line("built by gcc 12.2.0 (Debian 12.2.0-14)");
                        io.err_line("built with OpenSSL 3.0.11 19 Sep 2023 (running with OpenSSL 3.0.15 3 Sep 2024)");
                        io.err_line("TLS SNI support enabled");
                        io.err_line("configure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --modules-path=/usr/lib/nginx/modules --conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log --http-log-path=/var/log/nginx/access.log --pid-path=/var/run/nginx.pid --lock-path=/var/run/nginx.lock --user=nginx --group=nginx");
                    }
                    return Err(0);
                }
                't' => o.test = true,
                'T' => {
                    o.test = true;
                    o.dump = true;
                }
                'q' => {}
                's' => {
                    o.signal = Some(value(&mut args, io)?);
                    break;
                }
                'c' => {
                    o.conf = absolute(&value(&mut args, io)?);
                    break;
                }
                'g' => {
                    o.directives = Some(value(&mut args, io)?);
                    break;
                }
                'p' | 'e' => {
                    value(&mut args, io)?;
                    break;
                }
                _ => {
                    io.err_line(&format!("nginx: invalid option: \"{f}{inline}\""));
                    return Err(1);
                }
            }
        }
    }
    Ok(o)
}

/// Loads the configuration named by the options: the parsed config and the files read.
fn load(world: &World, ctx: &Ctx, o: &Options) -> Result<(Config, Vec<ReadFile>), String> {
    let mut loader = Loader { world, ctx, files: Vec::new() };
    let mut main = Vec::new();
    loader.file(&o.conf, MAIN, 0, &mut main)?;
    if let Some(g) = &o.directives {
        let mut lexer = Lexer::new(g);
        loader.block(&mut lexer, "", MAIN, false, 0, &mut main)?;
    }
    Ok((build(&main)?, loader.files))
}

/// Runs `nginx`: `-v`, `-t`/`-T`, `-s SIGNAL`, or a server start.
pub fn run(world: &mut World, sh: &mut Shell, argv: &[String], io: &mut Io) -> Exit {
    let o = match options(argv, io) {
        Ok(o) => o,
        Err(code) => return Exit::Code(code),
    };
    let ctx = sh.ctx.clone();
    let pid = if sh.main_process { 1 } else { 40 };
    let default_log = ErrorLog { path: DEFAULT_ERROR_LOG.into(), level: NOTICE };
    if let Some(signal) = &o.signal {
        return Exit::Code(send_signal(world, sh, &o, signal, io));
    }
    let loaded = load(world, &ctx, &o);
    let mut log = Logger { io, ctx: ctx.clone() };
    let (config, files) = match loaded {
        Ok(x) => x,
        Err(msg) => {
            log.error(world, &default_log, pid, 0, &msg);
            if o.test {
                log.io.err_line(&format!("nginx: configuration file {} test failed", o.conf));
            }
            return Exit::Code(1);
        }
    };
    let root = ctx.cred.uid == 0;
    if !root && config.user != DEFAULT_USER {
        log.error(
            world,
            &config.error_log,
            pid,
            4,
            "the \"user\" directive makes sense only if the master process runs with super-user privileges, ignored",
        );
    }
    let worker = if root {
        crate::userland::users::resolve_user(world, &ctx, &config.user)
            .map(|(c, _)| c)
            .unwrap_or_else(|_| Cred::new(65534, 65534, vec![65534]))
    } else {
        ctx.cred.clone()
    };
    if let Err(msg) = create_temp_dirs(world, &ctx, &worker) {
        log.error(world, &config.error_log, pid, 0, &msg);
        return Exit::Code(1);
    }
    if o.test {
        if o.dump {
            for f in &files {
                log.io.out_str(&format!("# configuration file {}:\n{}\n", f.path, f.text));
            }
        }
        log.io.err_line(&format!("nginx: the configuration file {} syntax is ok", o.conf));
        log.io.err_line(&format!("nginx: configuration file {} test is successful", o.conf));
        return Exit::Code(0);
    }
    if let Some(busy) = busy_address(world, &ctx, &config) {
        for _ in 0..5 {
            for addr in &busy {
                log.error(world, &config.error_log, pid, 0, &format!("bind() to {addr} failed (98: Address already in use)"));
            }
            world.advance_clock(500);
        }
        log.error(world, &config.error_log, pid, 0, "still could not bind()");
        return Exit::Code(1);
    }
    let notice = |log: &mut Logger, world: &mut World, msg: &str| log.error(world, &config.error_log, pid, NOTICE, msg);
    notice(&mut log, world, "using the \"epoll\" event method");
    notice(&mut log, world, &format!("nginx/{VERSION}"));
    notice(&mut log, world, "built by gcc 12.2.0 (Debian 12.2.0-14)");
    notice(&mut log, world, "OS: Linux 6.18.44-fc-v669");
    notice(&mut log, world, "getrlimit(RLIMIT_NOFILE): 1048576:1048576");
    if let Err(e) = world.write_file(&ctx, &config.pid, &Data::from_bytes(format!("{pid}\n").as_bytes()), WriteMode::Truncate) {
        let msg = format!("open() \"{}\" failed ({}: {e})", config.pid, e.number());
        log.error(world, &config.error_log, pid, 0, &msg);
        return Exit::Code(1);
    }
    let first_worker = if pid == 1 { 29 } else { pid + 1 };
    let worker_pids: Vec<u32> = (0..config.workers.min(64)).map(|i| first_worker + i).collect();
    notice(&mut log, world, "start worker processes");
    for w in &worker_pids {
        notice(&mut log, world, &format!("start worker process {w}"));
    }
    let daemon = config.daemon;
    let main_process = sh.main_process && !daemon;
    if let Some(c) = world.ns_container(&ctx.ns).map(|c| c.id.clone()).and_then(|id| world.container_mut(&id)) {
        let running = Running { config, master_pid: pid, worker_pids, worker, main_process, connections: 0 };
        c.server = Some(Box::new(running));
    }
    if daemon {
        Exit::Code(0)
    } else {
        Exit::Block
    }
}

/// The temp directories nginx creates at start, owned by the worker user.
fn create_temp_dirs(world: &mut World, ctx: &Ctx, worker: &Cred) -> Result<(), String> {
    for name in TEMP_DIRS {
        let path = format!("/var/cache/nginx/{name}");
        if world.exists(ctx, &path) {
            continue;
        }
        if let Err(e) = world.mkdir(ctx, &path, 0o700) {
            return Err(format!("mkdir() \"{path}\" failed ({}: {e})", e.number()));
        }
        if ctx.cred.uid == 0 {
            let (uid, gid) = (worker.uid, worker.gid);
            let _ = world.set_meta(ctx, &path, true, &mut |i| {
                i.uid = uid;
                i.gid = gid;
            });
        }
    }
    Ok(())
}

/// The listen addresses another server of the same network namespace already holds.
fn busy_address(world: &World, ctx: &Ctx, config: &Config) -> Option<Vec<String>> {
    let Ns::Container(id) = &ctx.ns else { return None };
    let mut busy = Vec::new();
    for l in config.servers.iter().flat_map(|s| s.listens.iter()) {
        let ip = if l.addr == "::" {
            "::1"
        } else if l.addr == "0.0.0.0" {
            "127.0.0.1"
        } else {
            l.addr.as_str()
        };
        if net::connect(world, &Ns::Container(id.clone()), ip, l.port).is_ok() {
            let shown = if l.addr.contains(':') { format!("[{}]:{}", l.addr, l.port) } else { format!("{}:{}", l.addr, l.port) };
            if !busy.contains(&shown) {
                busy.push(shown);
            }
        }
    }
    (!busy.is_empty()).then_some(busy)
}

/// `nginx -s reload|quit|stop|reopen`: signals the master of this container.
fn send_signal(world: &mut World, sh: &Shell, o: &Options, signal: &str, io: &mut Io) -> i32 {
    let number = match signal {
        "stop" => 15,
        "quit" => 3,
        "reopen" => 10,
        "reload" => 1,
        other => {
            io.err_line(&format!("nginx: invalid option: \"-s {other}\""));
            return 1;
        }
    };
    let pid = 45;
    let id = match &sh.ctx.ns {
        Ns::Container(id) => id.clone(),
        Ns::Host => return 1,
    };
    let id = &id;
    let Some(running) = running_nginx(world, id) else {
        io.err_line(&format!("nginx: [error] open() \"{DEFAULT_PID}\" failed (2: No such file or directory)"));
        return 1;
    };
    let log = running.config.error_log.clone();
    io.err_line(&format!("{} [notice] {pid}#{pid}: signal process started", log_time(world.clock().secs())));
    let master = running.master_pid;
    let mut lines: Vec<(u8, u32, String)> = Vec::new();
    match number {
        1 => {
            lines.push((NOTICE, master, format!("signal 1 (SIGHUP) received from {pid}, reconfiguring")));
            lines.push((NOTICE, master, "reconfiguring".into()));
            match load(world, &sh.ctx, o) {
                Err(msg) => lines.push((0, master, msg)),
                Ok((config, _)) => {
                    let first = running.worker_pids.last().copied().unwrap_or(master) + 1;
                    let workers: Vec<u32> = (0..config.workers.min(64)).map(|i| first + i).collect();
                    lines.push((NOTICE, master, "using the \"epoll\" event method".into()));
                    lines.push((NOTICE, master, "start worker processes".into()));
                    lines.extend(workers.iter().map(|w| (NOTICE, master, format!("start worker process {w}"))));
                    for old in &running.worker_pids {
                        lines.push((NOTICE, *old, "gracefully shutting down".into()));
                        lines.push((NOTICE, *old, "exiting".into()));
                        lines.push((NOTICE, *old, "exit".into()));
                    }
                    for old in &running.worker_pids {
                        lines.push((NOTICE, master, format!("signal 17 (SIGCHLD) received from {old}")));
                        lines.push((NOTICE, master, format!("worker process {old} exited with code 0")));
                    }
                    let next = Running { config, worker_pids: workers, ..(*running).clone() };
                    if let Some(c) = world.container_mut(id) {
                        c.server = Some(Box::new(next));
                    }
                }
            }
        }
        10 => lines.push((NOTICE, master, format!("signal 10 (SIGUSR1) received from {pid}, reopening logs"))),
        _ => {
            let name = if number == 3 { "SIGQUIT" } else { "SIGTERM" };
            lines.push((NOTICE, master, format!("signal {number} ({name}) received from {pid}, exiting")));
            lines.extend(shutdown_lines(&running).into_iter().skip(1));
            append_logs(world, id, &running, &log, &lines);
            if running.main_process {
                crate::daemon::container::stop_container(world, id, 0);
            } else if let Some(c) = world.container_mut(id) {
                c.server = None;
            }
            return 0;
        }
    }
    append_logs(world, id, &running, &log, &lines);
    0
}

/// The log of a graceful shutdown (SIGQUIT), master line first.
fn shutdown_lines(running: &Running) -> Vec<(u8, u32, String)> {
    let master = running.master_pid;
    let mut lines = vec![(NOTICE, master, "signal 3 (SIGQUIT) received, shutting down".to_string())];
    for w in &running.worker_pids {
        lines.push((NOTICE, *w, "gracefully shutting down".into()));
        lines.push((NOTICE, *w, "exiting".into()));
        lines.push((NOTICE, *w, "exit".into()));
    }
    for (k, w) in running.worker_pids.iter().rev().enumerate() {
        lines.push((NOTICE, master, format!("signal 17 (SIGCHLD) received from {w}")));
        lines.push((NOTICE, master, format!("worker process {w} exited with code 0")));
        if k + 1 < running.worker_pids.len() {
            lines.push((NOTICE, master, "signal 29 (SIGIO) received".into()));
        }
    }
    lines.push((NOTICE, master, "exit".into()));
    lines
}

/// `docker stop` sends the image's STOPSIGNAL (SIGQUIT): nginx shuts down gracefully, exit 0.
pub fn on_stop(world: &mut World, id: &ContainerId) -> Option<i32> {
    let running = running_nginx(world, id)?;
    if !running.main_process {
        return None;
    }
    let log = running.config.error_log.clone();
    append_logs(world, id, &running, &log, &shutdown_lines(&running));
    let ctx = Ctx::root(Ns::Container(id.clone()));
    let _ = world.remove(&ctx, &running.config.pid, false);
    Some(0)
}
