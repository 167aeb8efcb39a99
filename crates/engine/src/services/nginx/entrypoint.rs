//! `/docker-entrypoint.sh`: the image's configuration scripts (the IPv6 one edits
//! `default.conf`), then `exec` of the command.

use crate::catalog::NGINX_DEFAULT_CONF;
use crate::fs::{Data, Errno, FileType};
use crate::shell::{Io, Shell};
use crate::userland::Exit;
use crate::vfs::{Access, Ctx, WriteMode};
use crate::world::World;

use super::{IPV6_SCRIPT, IPV6_SCRIPT_SIZE};

/// `/docker-entrypoint.sh`: configuration scripts when the command is nginx, then `exec "$@"`.
pub fn entrypoint(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let args = &argv[1..];
    let Some(command) = args.first() else { return Exit::Code(0) };
    if command == "nginx" || command == "nginx-debug" {
        configure(world, sh, env, io);
    }
    if matches!(crate::shell::find_program_kind(world, sh, command), crate::shell::ProgramKind::Missing) {
        io.err_line(&format!("/docker-entrypoint.sh: 47: exec: {command}: not found"));
        return Exit::Code(127);
    }
    crate::shell::exec(world, sh, args, env, io)
}

fn configure(world: &mut World, sh: &mut Shell, env: &[String], io: &mut Io) {
    let say = |io: &mut Io, line: &str| io.out_str(&format!("{line}\n"));
    let dir = "/docker-entrypoint.d";
    let mut files: Vec<(String, u64, bool)> = Vec::new();
    if let Ok(loc) = world.resolve(&sh.ctx, dir, true) {
        for (name, _) in world.list(&sh.ctx, &loc).unwrap_or_default() {
            let path = format!("{dir}/{name}");
            let Ok(st) = world.stat(&sh.ctx, &path, true) else { continue };
            if st.ftype == FileType::File {
                let executable = crate::vfs::may(st.uid, st.gid, st.mode, false, &sh.ctx.cred, Access::Exec);
                files.push((path, st.size, executable));
            }
        }
    }
    if files.is_empty() {
        say(io, "/docker-entrypoint.sh: No files found in /docker-entrypoint.d/, skipping configuration");
        return;
    }
    say(io, "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration");
    say(io, "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/");
    crate::sorting::sort(&mut files);
    for (path, size, executable) in files {
        let kind = if path.ends_with(".envsh") {
            "Sourcing"
        } else if path.ends_with(".sh") {
            "Launching"
        } else {
            say(io, &format!("/docker-entrypoint.sh: Ignoring {path}"));
            continue;
        };
        if !executable {
            say(io, &format!("/docker-entrypoint.sh: Ignoring {path}, not executable"));
            continue;
        }
        say(io, &format!("/docker-entrypoint.sh: {kind} {path}"));
        if size == IPV6_SCRIPT_SIZE && path.ends_with(IPV6_SCRIPT) {
            listen_on_ipv6(world, &sh.ctx, io);
        } else if kind == "Launching" && matches!(world.read(&sh.ctx, &path), Ok(Data::Bytes(_))) {
            // A learner's own script runs for real; the image's other scripts do nothing by default.
            let mut sub = sh.clone();
            sub.main_process = false;
            let _ = crate::shell::exec(world, &mut sub, std::slice::from_ref(&path), env, io);
        }
    }
    say(io, "/docker-entrypoint.sh: Configuration complete; ready for start up");
}

/// 10-listen-on-ipv6-by-default.sh: adds `listen [::]:80;` to the packaged default.conf.
fn listen_on_ipv6(world: &mut World, ctx: &Ctx, io: &mut Io) {
    const CONF: &str = "/etc/nginx/conf.d/default.conf";
    let info = |io: &mut Io, msg: &str| io.out_str(&format!("{IPV6_SCRIPT}: info: {msg}\n"));
    let is_file = world.stat(ctx, CONF, true).map(|s| s.ftype == FileType::File).unwrap_or(false);
    if !is_file {
        return info(io, &format!("{CONF} is not a file or does not exist"));
    }
    // `touch` first: it fails on a read-only file system or without write permission.
    let now = world.clock().secs();
    let touched = world.resolve(ctx, CONF, true).and_then(|loc| {
        let st = world.stat_loc(&ctx.ns, &loc);
        if st.uid != ctx.cred.uid && !crate::vfs::may(st.uid, st.gid, st.mode, false, &ctx.cred, Access::Write) {
            return Err(Errno::Access);
        }
        world.set_meta_loc(ctx, &loc, &mut |i| i.mtime = now)
    });
    if touched.is_err() {
        return info(io, &format!("can not modify {CONF} (read-only file system?)"));
    }
    let text = world.read(ctx, CONF).map(|d| String::from_utf8_lossy(&d.to_vec()).into_owned()).unwrap_or_default();
    if text.contains("listen  [::]:80;") {
        return info(io, "IPv6 listen already enabled");
    }
    info(io, &format!("Getting the checksum of {CONF}"));
    if text != NGINX_DEFAULT_CONF {
        return info(io, &format!("{CONF} differs from the packaged version"));
    }
    let edited = text.replacen("listen       80;", "listen       80;\n    listen  [::]:80;", 1);
    if world.write_file(ctx, CONF, &Data::from_bytes(edited.as_bytes()), WriteMode::Truncate).is_ok() {
        info(io, &format!("Enabled listen on IPv6 in {CONF}"));
    }
}
