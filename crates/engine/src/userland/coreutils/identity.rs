//! Who one is: `id`, `whoami`, `groups`, `logname` and `getent` (passwd and group).

use crate::userland::users;
use crate::vfs::Ctx;
use crate::world::World;

use super::{has, split_opts, Proc};

pub(super) fn id(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, operands) = split_opts(args);
    let mut c = p.ctx.cred.clone();
    if let Some(user) = operands.first() {
        let known = users::passwd(p.world, &p.ctx).iter().any(|e| e.name == *user || e.uid.to_string() == *user);
        match users::resolve_user(p.world, &p.ctx, user).ok().filter(|_| known && !user.contains(':')) {
            Some((cred, _)) => c = cred,
            None => {
                let q = p.vq(user);
                p.err(&format!("{q}: no such user"));
                return 1;
            }
        }
    }
    if has(&opts, "-G", "--groups") {
        let mut gids = vec![c.gid];
        gids.extend(c.groups.iter().filter(|g| **g != c.gid));
        let names = has(&opts, "-n", "--name");
        let shown: Vec<String> = gids
            .iter()
            .map(|g| if names { users::group_name(p.world, &p.ctx, *g).unwrap_or(g.to_string()) } else { g.to_string() })
            .collect();
        p.out(&format!("{}\n", shown.join(" ")));
        return 0;
    }
    if has(&opts, "-u", "") {
        let s =
            if has(&opts, "-n", "") { users::user_name(p.world, &p.ctx, c.uid).unwrap_or(c.uid.to_string()) } else { c.uid.to_string() };
        p.out(&format!("{s}\n"));
        return 0;
    }
    if has(&opts, "-g", "") {
        let s =
            if has(&opts, "-n", "") { users::group_name(p.world, &p.ctx, c.gid).unwrap_or(c.gid.to_string()) } else { c.gid.to_string() };
        p.out(&format!("{s}\n"));
        return 0;
    }
    let fmt_u = |w: &World, ctx: &Ctx, uid: u32| match users::user_name(w, ctx, uid) {
        Some(n) => format!("{uid}({n})"),
        None => uid.to_string(),
    };
    let fmt_g = |w: &World, ctx: &Ctx, gid: u32| match users::group_name(w, ctx, gid) {
        Some(n) => format!("{gid}({n})"),
        None => gid.to_string(),
    };
    // busybox lists its own process's groups as the kernel keeps them: sorted (oracle-112).
    let mut gids = c.groups.clone();
    if !p.gnu && operands.is_empty() {
        gids.sort_unstable();
        gids.dedup();
    }
    let groups: Vec<String> = gids.iter().map(|g| fmt_g(p.world, &p.ctx, *g)).collect();
    let s = format!("uid={} gid={} groups={}", fmt_u(p.world, &p.ctx, c.uid), fmt_g(p.world, &p.ctx, c.gid), groups.join(","));
    p.out(&format!("{s}\n"));
    0
}

/// `groups [USER…]`: the names of one's groups (the process's), or of each user's as
/// `USER : GROUPS` (GNU; busybox's applet prints the caller's only). oracle-55.
pub(super) fn groups(p: &mut Proc, args: &[String]) -> i32 {
    let names = |p: &Proc, gids: &[u32]| -> String {
        gids.iter().map(|g| users::group_name(p.world, &p.ctx, *g).unwrap_or_else(|| g.to_string())).collect::<Vec<_>>().join(" ")
    };
    if args.is_empty() || !p.gnu {
        let mut gids = vec![p.ctx.cred.gid];
        gids.extend(p.ctx.cred.groups.iter().filter(|g| **g != p.ctx.cred.gid));
        let line = names(p, &gids);
        p.out_line(&line);
        return 0;
    }
    let mut status = 0;
    for user in args {
        let entry = users::passwd(p.world, &p.ctx).into_iter().find(|e| e.name == *user);
        match entry.and_then(|e| users::resolve_user(p.world, &p.ctx, &e.name).ok()) {
            Some((cred, _)) => {
                let mut gids = vec![cred.gid];
                gids.extend(cred.groups.iter().filter(|g| **g != cred.gid));
                let line = format!("{user} : {}", names(p, &gids));
                p.out_line(&line);
            }
            None => {
                let q = p.lq(user);
                p.err(&format!("{q}: no such user"));
                status = 1;
            }
        }
    }
    status
}

/// `logname`: the login name of the terminal's session, which a replay has none of.
pub(super) fn logname(p: &mut Proc) -> i32 {
    p.err("no login name");
    1
}

pub(super) fn whoami(p: &mut Proc) -> i32 {
    let uid = p.ctx.cred.uid;
    match users::user_name(p.world, &p.ctx, uid) {
        Some(n) => {
            p.out(&format!("{n}\n"));
            0
        }
        None => {
            if p.gnu {
                p.err(&format!("cannot find name for user ID {uid}"));
            } else {
                p.err(&format!("unknown uid {uid}"));
            }
            1
        }
    }
}

pub(super) fn getent(p: &mut Proc, args: &[String]) -> i32 {
    let Some(db) = args.first() else {
        p.io.err_line("Usage: getent [OPTION...] database [key ...]");
        return 1;
    };
    let file = match db.as_str() {
        "passwd" => "/etc/passwd",
        "group" => "/etc/group",
        other => {
            p.io.err_line(&format!("Unknown database: {other}"));
            return 1;
        }
    };
    let text = p.world.read(&p.ctx, file).map(|d| String::from_utf8_lossy(&d.to_vec()).into_owned()).unwrap_or_default();
    let keys = &args[1..];
    let mut found = false;
    for line in text.lines() {
        let f: Vec<&str> = line.split(':').collect();
        if keys.is_empty() || keys.iter().any(|k| f.first() == Some(&k.as_str()) || f.get(2) == Some(&k.as_str())) {
            p.out(&format!("{line}\n"));
            found = true;
        }
    }
    if found {
        0
    } else {
        2
    }
}
