//! PostgreSQL 15 as the postgres:15-alpine image runs it: `docker-entrypoint.sh` (directories,
//! `su-exec postgres`, initdb on an empty data directory, the temporary server, the final
//! server), the server's log, its fast shutdown on `docker stop`, and the client tools.
//!
//! The server keeps no state in the simulator: the cluster is files in its data directory
//! (see [`cluster`]), and a running server is its socket and lock file in /var/run/postgresql.

mod cluster;
mod psql;
mod sql;

use crate::catalog::PGDATA;
use crate::fs::{Errno, Kind};
use crate::shell::{Io, Shell};
use crate::userland::binaries::Binary;
use crate::userland::Exit;
use crate::vfs::{Ctx, Ns};
use crate::world::{ContainerId, Cred, World};
use cluster::{Control, DataDir, State};

pub const VERSION: &str = "15.10";
pub const VERSION_STRING: &str =
    "PostgreSQL 15.10 on x86_64-pc-linux-musl, compiled by gcc (Alpine 13.2.1_git20240309) 13.2.1 20240309, 64-bit";
pub const SOCKET_DIR: &str = "/var/run/postgresql";
pub const SOCKET: &str = "/var/run/postgresql/.s.PGSQL.5432";
const ENTRYPOINT: &str = "/usr/local/bin/docker-entrypoint.sh";
/// The image's `postgres` user.
const POSTGRES_UID: u32 = 70;

/// Process ids a server's log shows (the postmaster and the children that log).
struct Pids {
    postmaster: u32,
    checkpointer: u32,
    startup: u32,
    launcher: u32,
}

/// The entrypoint's temporary server during initialization.
const TEMP_SERVER: Pids = Pids { postmaster: 48, checkpointer: 49, startup: 51, launcher: 54 };
/// The final server right after initialization (initdb and psql used the pids before).
const SERVER_AFTER_INIT: Pids = Pids { postmaster: 1, checkpointer: 60, startup: 62, launcher: 65 };
const SERVER: Pids = Pids { postmaster: 1, checkpointer: 25, startup: 27, launcher: 30 };

pub fn run(world: &mut World, sh: &mut Shell, binary: Binary, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    match binary {
        Binary::PostgresEntrypoint => entrypoint(world, sh, argv, env, io),
        Binary::SuExec => su_exec(world, sh, argv, env, io),
        Binary::Postgres("postgres") => server(world, sh, &argv[1..], env, io),
        Binary::Postgres("psql") => psql::run(world, sh, argv, env, io),
        Binary::Postgres("pg_isready") => {
            let accepting = world.exists(&sh.ctx, SOCKET);
            io.out_str(&format!("{SOCKET_DIR}:5432 - {}\n", if accepting { "accepting connections" } else { "no response" }));
            Exit::Code(if accepting { 0 } else { 2 })
        }
        _ => {
            let name = argv.first().map(|a| a.rsplit('/').next().unwrap_or(a)).unwrap_or("");
            io.err_line(&format!("{name}: not simulated"));
            Exit::Code(126)
        }
    }
}

fn env_value<'e>(env: &'e [String], key: &str) -> Option<&'e str> {
    env.iter().rev().find_map(|e| e.strip_prefix(key)?.strip_prefix('='))
}

fn pgdata(env: &[String]) -> String {
    env_value(env, "PGDATA").filter(|p| !p.is_empty()).unwrap_or(PGDATA).to_string()
}

/// log_line_prefix's `%m`: `2024-11-30 04:02:03.123 UTC`.
pub fn log_time(nanos: i128) -> String {
    let secs = nanos.div_euclid(1_000_000_000) as i64;
    let millis = nanos.rem_euclid(1_000_000_000) / 1_000_000;
    format!("{}.{millis:03} UTC", plain_time(secs))
}

fn plain_time(secs: i64) -> String {
    let t = crate::clock::tm(secs);
    format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", t.year, t.month, t.day, t.hour, t.min, t.sec)
}

/// One server log line, `ms` after the previous one.
fn log_line(world: &mut World, ms: i64, pid: u32, level: &str, message: &str) -> String {
    world.advance_clock(ms);
    format!("{} [{pid}] {level}:  {message}", log_time(world.clock().nanos))
}

// ---------------------------------------------------------------------------- entrypoint

/// `docker-entrypoint.sh`: prepares the data directory and starts the server, or runs any
/// other command it is given.
fn entrypoint(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let mut args: Vec<String> = argv[1..].to_vec();
    if args.first().is_some_and(|a| a.starts_with('-')) {
        args.insert(0, "postgres".into());
    }
    let wants_help = args.iter().any(|a| matches!(a.as_str(), "-?" | "--help" | "--describe-config" | "-V" | "--version" | "-C"));
    if args.first().map(String::as_str) != Some("postgres") || wants_help {
        if args.is_empty() {
            return Exit::Code(0);
        }
        return crate::shell::exec(world, sh, &args, env, io);
    }
    let data = pgdata(env);
    let mut process = sh.clone();
    if let Err(code) = create_db_directories(world, &process.ctx, &data, io) {
        return Exit::Code(code);
    }
    if process.ctx.cred.uid == 0 {
        // `exec su-exec postgres "$BASH_SOURCE" "$@"`: the script runs again as postgres.
        process.ctx.cred = Cred::new(POSTGRES_UID, POSTGRES_UID, vec![POSTGRES_UID]);
        if let Err(code) = create_db_directories(world, &process.ctx, &data, io) {
            return Exit::Code(code);
        }
    }
    let has_database = world.read(&process.ctx, &format!("{data}/PG_VERSION")).is_ok_and(|d| !d.is_empty());
    let pids = if has_database {
        io.out_str("\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n");
        &SERVER
    } else {
        if let Err(code) = initialize(world, &process.ctx, &data, env, io) {
            return Exit::Code(code);
        }
        io.out_str("\nPostgreSQL init process complete; ready for start up.\n\n");
        &SERVER_AFTER_INIT
    };
    run_server(world, &process, &data, pids, io)
}

/// `docker_create_db_directories`: mkdir -p and chmod 700 the data directory, and as root give
/// what is not postgres's to postgres. A failed chmod is only reported (`|| :`).
fn create_db_directories(world: &mut World, ctx: &Ctx, data: &str, io: &mut Io) -> Result<(), i32> {
    mkdir_p(world, ctx, data, io)?;
    if let Err(e) = chmod(world, ctx, data, 0o700) {
        io.err_line(&format!("chmod: {data}: {e}"));
    }
    if let Err(e) = chmod(world, ctx, SOCKET_DIR, 0o3775) {
        io.err_line(&format!("chmod: {SOCKET_DIR}: {e}"));
    }
    if ctx.cred.uid == 0 {
        give_to_postgres(world, ctx, data);
        give_to_postgres(world, ctx, SOCKET_DIR);
    }
    Ok(())
}

/// busybox `mkdir -p`, with its message for the component that could not be made.
fn mkdir_p(world: &mut World, ctx: &Ctx, path: &str, io: &mut Io) -> Result<(), i32> {
    let mut prefix = String::new();
    for part in crate::fs::components(path) {
        prefix.push('/');
        prefix.push_str(part);
        match world.stat(ctx, &prefix, true) {
            Ok(_) => continue,
            Err(Errno::NoEnt) => {}
            Err(e) => {
                io.err_line(&format!("mkdir: can't create directory '{prefix}': {e}"));
                return Err(1);
            }
        }
        if let Err(e) = world.mkdir(ctx, &prefix, 0o777) {
            io.err_line(&format!("mkdir: can't create directory '{prefix}': {e}"));
            return Err(1);
        }
    }
    Ok(())
}

/// chmod(2): only the owner (or root) may change a file's mode.
fn chmod(world: &mut World, ctx: &Ctx, path: &str, mode: u32) -> Result<(), Errno> {
    let st = world.stat(ctx, path, true)?;
    if ctx.cred.uid != 0 && st.uid != ctx.cred.uid {
        return Err(Errno::Perm);
    }
    world.set_meta(ctx, path, true, &mut |i| i.mode = mode)
}

/// `find DIR \! -user postgres -exec chown postgres '{}' +` (the owner only, not the group).
fn give_to_postgres(world: &mut World, ctx: &Ctx, path: &str) {
    let Ok(loc) = world.resolve(ctx, path, false) else { return };
    if world.stat_loc(&ctx.ns, &loc).uid != POSTGRES_UID {
        let _ = world.set_meta_loc(ctx, &loc, &mut |i| i.uid = POSTGRES_UID);
    }
    if world.is_dir_node(&loc.node) {
        for (name, _) in world.list(ctx, &loc).unwrap_or_default() {
            give_to_postgres(world, ctx, &format!("{}/{name}", path.trim_end_matches('/')));
        }
    }
}

/// The entrypoint's first-start path: check the environment, initdb, then a temporary server
/// that creates POSTGRES_DB.
fn initialize(world: &mut World, ctx: &Ctx, data: &str, env: &[String], io: &mut Io) -> Result<(), i32> {
    let password = env_value(env, "POSTGRES_PASSWORD").unwrap_or("");
    let auth = env_value(env, "POSTGRES_HOST_AUTH_METHOD").unwrap_or("");
    if password.is_empty() && auth != "trust" {
        io.err.extend_from_slice(MISSING_PASSWORD.as_bytes());
        return Err(1);
    }
    if auth == "trust" {
        io.err.extend_from_slice(TRUST_WARNING.as_bytes());
    }
    let user = env_value(env, "POSTGRES_USER").filter(|u| !u.is_empty()).unwrap_or("postgres").to_string();
    let database = env_value(env, "POSTGRES_DB").filter(|d| !d.is_empty()).unwrap_or(&user).to_string();
    let dir = DataDir { path: data.to_string(), ctx: Ctx { umask: 0o077, ..ctx.clone() } };
    initdb(world, &dir, &user, io)?;
    let host_auth = if auth.is_empty() { "scram-sha-256" } else { auth };
    let trust_note = if host_auth == "trust" {
        "# warning trust is enabled for all connections\n# see https://www.postgresql.org/docs/15/auth-trust.html\n"
    } else {
        ""
    };
    let hba = dir.read(world, "pg_hba.conf").unwrap_or_default();
    let _ = dir.write(world, "pg_hba.conf", &format!("{hba}\n{trust_note}host all all all {host_auth}\n"));

    io.out_str("waiting for server to start....");
    let mut log = Vec::new();
    if start(world, &dir, &TEMP_SERVER, false, &mut log).is_err() {
        write_lines(io, &log);
        io.out_str(" stopped waiting\npg_ctl: could not start server\nExamine the log output.\n");
        return Err(1);
    }
    write_lines(io, &log);
    io.out_str(" done\nserver started\n");
    if database != "postgres" {
        create_database(world, &dir, &database, &user);
        io.out_str("CREATE DATABASE\n\n");
    }
    io.out_str(&format!("\n{ENTRYPOINT}: ignoring /docker-entrypoint-initdb.d/*\n\n"));
    io.out_str("waiting for server to shut down....");
    let mut log = Vec::new();
    shutdown(world, &dir, &TEMP_SERVER, &mut log);
    write_lines(io, &log);
    io.out_str(" done\nserver stopped\n");
    Ok(())
}

fn write_lines(io: &mut Io, lines: &[String]) {
    for line in lines {
        io.err_line(line);
    }
}

/// `CREATE DATABASE :"db"` through the temporary server.
fn create_database(world: &mut World, dir: &DataDir, name: &str, owner: &str) {
    let before = cluster::load_catalog(world, dir);
    let mut after = before.clone();
    let oid = after.next_oid;
    after.next_oid += 1;
    after.databases.push(sql::Database { oid, name: name.to_string(), owner: owner.to_string() });
    let _ = cluster::sync_databases(world, dir, &before, &after);
}

/// initdb: the header, the checks on the directory, then the cluster, step by step.
fn initdb(world: &mut World, dir: &DataDir, superuser: &str, io: &mut Io) -> Result<(), i32> {
    io.out_str(INITDB_HEADER);
    let path = dir.path.clone();
    let fail = |io: &mut Io, message: String| {
        io.err_line(&format!("initdb: error: {message}"));
        Err(1)
    };
    match world.stat(&dir.ctx, &path, true) {
        Err(Errno::NoEnt) => {
            io.out_str(&format!("creating directory {path} ... "));
            if let Err(e) = world.mkdir(&dir.ctx, &path, 0o700) {
                return fail(io, format!("could not create directory \"{path}\": {e}"));
            }
        }
        Err(e) => return fail(io, format!("could not access directory \"{path}\": {e}")),
        Ok(_) => {
            let entries = world.resolve(&dir.ctx, &path, true).and_then(|loc| world.list(&dir.ctx, &loc));
            match entries {
                Err(e) => return fail(io, format!("could not access directory \"{path}\": {e}")),
                Ok(list) if !list.is_empty() => {
                    io.err_line(&format!("initdb: error: directory \"{path}\" exists but is not empty"));
                    io.err_line(&format!("initdb: hint: If you want to create a new database system, either remove or empty the directory \"{path}\" or run initdb with an argument other than \"{path}\"."));
                    return Err(1);
                }
                Ok(_) => {}
            }
            io.out_str(&format!("fixing permissions on existing directory {path} ... "));
            if let Err(e) = chmod(world, &dir.ctx, &path, 0o700) {
                return fail(io, format!("could not change permissions of directory \"{path}\": {e}"));
            }
        }
    }
    io.out_str("ok\ncreating subdirectories ... ");
    if let Err(e) = cluster::create_subdirectories(world, dir) {
        return fail(io, format!("could not create directory \"{path}/base\": {e}"));
    }
    world.advance_clock(20);
    io.out_str("ok\nselecting dynamic shared memory implementation ... posix\nselecting default max_connections ... 100\nselecting default shared_buffers ... 128MB\nselecting default time zone ... UTC\ncreating configuration files ... ");
    if let Err(e) = cluster::write_configuration(world, dir) {
        return fail(io, format!("could not write file \"{path}/postgresql.conf\": {e}"));
    }
    world.advance_clock(150);
    io.out_str("ok\nrunning bootstrap script ... ok\nperforming post-bootstrap initialization ... ");
    // musl has no `locale` program: initdb's collation import finds none.
    io.err_line("sh: locale: not found");
    let warning = log_line(world, 420, 35, "WARNING", "no usable system locales were found");
    io.err_line(&warning);
    world.advance_clock(500);
    if let Err(e) = cluster::bootstrap(world, dir, superuser, world.clock().secs()) {
        return fail(io, format!("could not write to file \"{path}/global/pg_control\": {e}"));
    }
    io.out_str("ok\nsyncing data to disk ... ok\n\n");
    io.err_line("initdb: warning: enabling \"trust\" authentication for local connections");
    io.err_line("initdb: hint: You can change this by editing pg_hba.conf or using the option -A, or --auth-local and --auth-host, the next time you run initdb.");
    io.out_str(&format!("\nSuccess. You can now start the database server using:\n\n    pg_ctl -D {path} -l logfile start\n\n"));
    Ok(())
}

// ---------------------------------------------------------------------------- server

/// `postgres` run directly: refuses root, then runs the server on PGDATA.
fn server(world: &mut World, sh: &mut Shell, args: &[String], env: &[String], io: &mut Io) -> Exit {
    if args.iter().any(|a| a == "-V" || a == "--version") {
        io.out_str(&format!("postgres (PostgreSQL) {VERSION}\n"));
        return Exit::Code(0);
    }
    if sh.ctx.cred.uid == 0 {
        io.err.extend_from_slice(ROOT_REFUSED.as_bytes());
        return Exit::Code(1);
    }
    run_server(world, sh, &pgdata(env), &SERVER, io)
}

/// The server as a container's main process: its checks, its start, and it keeps running.
fn run_server(world: &mut World, process: &Shell, data: &str, pids: &Pids, io: &mut Io) -> Exit {
    let dir = DataDir { path: data.to_string(), ctx: Ctx { umask: 0o077, ..process.ctx.clone() } };
    let st = match world.stat(&dir.ctx, data, true) {
        Ok(st) => st,
        Err(e) => {
            io.err_line(&format!("postgres: could not access directory \"{data}\": {e}"));
            if e == Errno::NoEnt {
                io.err_line("Run initdb or pg_basebackup to initialize a PostgreSQL data directory.");
            }
            return Exit::Code(1);
        }
    };
    if !dir.exists(world, "postgresql.conf") {
        io.err_line(&format!(
            "postgres: could not access the server configuration file \"{data}/postgresql.conf\": No such file or directory"
        ));
        return Exit::Code(1);
    }
    let fatal = |world: &mut World, io: &mut Io, message: String, extra: (&str, &str)| {
        let line = log_line(world, 1, pids.postmaster, "FATAL", &message);
        io.err_line(&line);
        let line = log_line(world, 0, pids.postmaster, extra.0, extra.1);
        io.err_line(&line);
        Exit::Code(1)
    };
    if st.uid != dir.ctx.cred.uid {
        let hint = ("HINT", "The server must be started by the user that owns the data directory.");
        return fatal(world, io, format!("data directory \"{data}\" has wrong ownership"), hint);
    }
    if st.mode & 0o027 != 0 {
        let detail = ("DETAIL", "Permissions should be u=rwx (0700) or u=rwx,g=rx (0750).");
        return fatal(world, io, format!("data directory \"{data}\" has invalid permissions"), detail);
    }
    if !process.main_process && dir.exists(world, "postmaster.pid") {
        let hint = format!("Is another postmaster (PID 1) running in data directory \"{data}\"?");
        return fatal(world, io, "lock file \"postmaster.pid\" already exists".into(), ("HINT", &hint));
    }
    let mut log = Vec::new();
    let started = start(world, &dir, pids, true, &mut log);
    write_lines(io, &log);
    match started {
        Ok(()) => Exit::Block,
        Err(()) => Exit::Code(1),
    }
}

/// A server start: lock files and socket, the startup process (crash recovery when the last
/// server did not shut down), ready for connections.
fn start(world: &mut World, dir: &DataDir, pids: &Pids, tcp: bool, log: &mut Vec<String>) -> Result<(), ()> {
    let pm = pids.postmaster;
    log.push(log_line(world, 40, pm, "LOG", &format!("starting {VERSION_STRING}")));
    if tcp {
        log.push(log_line(world, 1, pm, "LOG", "listening on IPv4 address \"0.0.0.0\", port 5432"));
        log.push(log_line(world, 0, pm, "LOG", "listening on IPv6 address \"::\", port 5432"));
    }
    let now = world.clock().secs();
    let pid_file =
        format!("{pm}\n{}\n{now}\n5432\n{SOCKET_DIR}\n{}\n  5432001         0\nready   \n", dir.path, if tcp { "*" } else { "" });
    if let Err(e) = dir.write(world, "postmaster.pid", &pid_file) {
        log.push(log_line(world, 1, pm, "FATAL", &format!("could not create lock file \"postmaster.pid\": {e}")));
        return Err(());
    }
    let _ = dir.write(world, "postmaster.opts", "/usr/local/bin/postgres\n");
    if let Err(e) = create_socket(world, dir, pm, now) {
        log.push(log_line(world, 1, pm, "FATAL", &format!("could not create lock file \"{SOCKET}.lock\": {e}")));
        dir.remove(world, "postmaster.pid");
        return Err(());
    }
    log.push(log_line(world, 3, pm, "LOG", &format!("listening on Unix socket \"{SOCKET}\"")));
    let control = cluster::read_control(world, dir);
    let since = plain_time(control.modified);
    match control.state {
        State::ShutDown => log.push(log_line(world, 6, pids.startup, "LOG", &format!("database system was shut down at {since} UTC"))),
        State::InProduction => recover(world, pids, &since, log),
    }
    let _ = cluster::write_control(world, dir, &Control { state: State::InProduction, modified: world.clock().secs(), ..control });
    log.push(log_line(world, 5, pm, "LOG", "database system is ready to accept connections"));
    Ok(())
}

/// The socket and its lock file (the lock names the data directory, as psql's connection
/// to the right cluster relies on).
fn create_socket(world: &mut World, dir: &DataDir, pid: u32, now: i64) -> Result<(), Errno> {
    let lock = format!("{pid}\n{}\n{now}\n5432\n{SOCKET_DIR}\n", dir.path);
    let ctx = &dir.ctx;
    world.write_file(ctx, &format!("{SOCKET}.lock"), &crate::fs::Data::from_bytes(lock.as_bytes()), crate::vfs::WriteMode::Truncate)?;
    world.write_file(ctx, SOCKET, &crate::fs::Data::empty(), crate::vfs::WriteMode::Truncate)?;
    world.set_meta(ctx, SOCKET, false, &mut |i| {
        i.kind = Kind::Socket;
        i.mode = 0o777;
    })
}

/// The startup process replays the WAL after a server that was killed.
fn recover(world: &mut World, pids: &Pids, since: &str, log: &mut Vec<String>) {
    let s = pids.startup;
    log.push(log_line(world, 6, s, "LOG", &format!("database system was interrupted; last known up at {since} UTC")));
    log.push(log_line(world, 30, s, "LOG", "database system was not properly shut down; automatic recovery in progress"));
    log.push(log_line(world, 2, s, "LOG", "redo starts at 0/1954CF8"));
    log.push(log_line(world, 1, s, "LOG", "invalid record length at 0/1966B10: wanted 24, got 0"));
    log.push(log_line(world, 0, s, "LOG", "redo done at 0/1966AD8 system usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.00 s"));
    let c = pids.checkpointer;
    log.push(log_line(world, 3, c, "LOG", "checkpoint starting: end-of-recovery immediate wait"));
    log.push(log_line(world, 12, c, "LOG", "checkpoint complete: wrote 23 buffers (0.1%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.004 s, sync=0.003 s, total=0.012 s; sync files=19, longest=0.001 s, average=0.001 s; distance=71 kB, estimate=71 kB"));
}

/// A fast shutdown (SIGINT, or `pg_ctl -m fast stop`): the shutdown checkpoint, then the
/// lock files go and pg_control says the cluster was shut down.
fn shutdown(world: &mut World, dir: &DataDir, pids: &Pids, log: &mut Vec<String>) {
    let (pm, c) = (pids.postmaster, pids.checkpointer);
    let temp = pm != 1;
    log.push(log_line(world, 60, pm, "LOG", "received fast shutdown request"));
    log.push(log_line(world, 2, pm, "LOG", "aborting any active transactions"));
    log.push(log_line(
        world,
        2,
        pm,
        "LOG",
        &format!("background worker \"logical replication launcher\" (PID {}) exited with exit code 1", pids.launcher),
    ));
    log.push(log_line(world, 1, c, "LOG", "shutting down"));
    log.push(log_line(world, 2, c, "LOG", "checkpoint starting: shutdown immediate"));
    let stats = if temp {
        "wrote 918 buffers (5.6%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.029 s, sync=0.231 s, total=0.269 s; sync files=301, longest=0.006 s, average=0.001 s; distance=4222 kB, estimate=4222 kB"
    } else {
        "wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.003 s, sync=0.001 s, total=0.010 s; sync files=2, longest=0.001 s, average=0.001 s; distance=0 kB, estimate=0 kB"
    };
    log.push(log_line(world, if temp { 270 } else { 10 }, c, "LOG", &format!("checkpoint complete: {stats}")));
    let control = cluster::read_control(world, dir);
    let _ = cluster::write_control(world, dir, &Control { state: State::ShutDown, modified: world.clock().secs(), ..control });
    dir.remove(world, "postmaster.pid");
    let socket_dir = DataDir { path: SOCKET_DIR.into(), ctx: dir.ctx.clone() };
    socket_dir.remove(world, ".s.PGSQL.5432");
    socket_dir.remove(world, ".s.PGSQL.5432.lock");
    log.push(log_line(world, 5, pm, "LOG", "database system is shut down"));
}

/// `docker stop` sends the image's STOPSIGNAL, SIGINT: a fast shutdown, exit status 0. `None`
/// when no server is running in the container (the entrypoint ran another command).
pub fn on_stop(world: &mut World, id: &ContainerId) -> Option<i32> {
    let root = Ctx::root(Ns::Container(id.clone()));
    let lock = format!("{SOCKET}.lock");
    let st = world.stat(&root, &lock, true).ok()?;
    let text = String::from_utf8_lossy(&world.read(&root, &lock).ok()?.to_vec()).into_owned();
    let path = text.lines().nth(1)?.to_string();
    let server = Cred::new(st.uid, st.gid, vec![st.gid]);
    let dir = DataDir { path, ctx: Ctx { cred: server, umask: 0o077, ..root } };
    // The children's pids depend on whether initdb ran first: the startup process's last
    // log line tells which server this is.
    let after_init = format!(" [{}] LOG:  ", SERVER_AFTER_INIT.startup);
    let plain = format!(" [{}] LOG:  ", SERVER.startup);
    let logs = &world.container(id)?.logs;
    let last_start = logs.iter().rev().find(|(_, l)| l.contains(&after_init) || l.contains(&plain));
    let pids = if last_start.is_some_and(|(_, l)| l.contains(&after_init)) { &SERVER_AFTER_INIT } else { &SERVER };
    let mut log = Vec::new();
    shutdown(world, &dir, pids, &mut log);
    world.container_mut(id)?.logs.extend(log.into_iter().map(|line| (true, line)));
    Some(0)
}

/// `su-exec USER COMMAND…`: runs the command as USER (root only).
fn su_exec(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    if argv.len() < 3 {
        io.err_line("Usage: su-exec user-spec command [args]");
        return Exit::Code(1);
    }
    if sh.ctx.cred.uid != 0 {
        io.err_line("su-exec: setgroups: Operation not permitted");
        return Exit::Code(1);
    }
    match crate::userland::users::resolve_user(world, &sh.ctx, &argv[1]) {
        Ok((cred, _)) => {
            let mut child = sh.clone();
            child.ctx.cred = cred;
            crate::shell::exec(world, &mut child, &argv[2..], env, io)
        }
        Err(_) => {
            io.err_line(&format!("su-exec: getpwnam({}): No such file or directory", argv[1]));
            Exit::Code(1)
        }
    }
}

const INITDB_HEADER: &str = "The files belonging to this database system will be owned by user \"postgres\".
This user must also own the server process.

The database cluster will be initialized with locale \"en_US.utf8\".
The default database encoding has accordingly been set to \"UTF8\".
The default text search configuration will be set to \"english\".

Data page checksums are disabled.

";

const MISSING_PASSWORD: &str = "Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".

       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all
       connections without a password. This is *not* recommended.

       See PostgreSQL documentation about \"Trust Authentication\":
       https://www.postgresql.org/docs/current/auth-trust.html
";

const TRUST_WARNING: &str = "********************************************************************************
WARNING: POSTGRES_HOST_AUTH_METHOD has been set to \"trust\". This will allow
         anyone with access to the Postgres port to access your database without
         a password, even if POSTGRES_PASSWORD is set. See PostgreSQL
         documentation about \"trust\":
         https://www.postgresql.org/docs/current/auth-trust.html
         In Docker's default configuration, this is effectively any other
         container on the same system.

         It is not recommended to use POSTGRES_HOST_AUTH_METHOD=trust. Replace
         it with \"-e POSTGRES_PASSWORD=password\" instead to set a password in
         \"docker run\".
********************************************************************************
";

const ROOT_REFUSED: &str = "\"root\" execution of the PostgreSQL server is not permitted.
The server must be started under an unprivileged user ID to prevent
possible system security compromise.  See the documentation for
more information on how to properly start the server.
";
