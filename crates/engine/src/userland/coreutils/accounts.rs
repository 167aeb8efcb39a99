//! `groupadd` and `useradd` on the host (Debian's shadow tools, as root): new lines in
//! `/etc/group` and `/etc/passwd`, so a file's owner number gets a name (oracle-42).

use super::Proc;
use crate::fs::Data;
use crate::userland::users;
use crate::vfs::WriteMode;

/// Options (each letter with its value, empty for a flag) and the names after them.
type Parsed = (Vec<(char, String)>, Vec<String>);

/// The options with a value, and the flags, of either tool.
fn parse(args: &[String], with_value: &str) -> Result<Parsed, String> {
    let mut opts = Vec::new();
    let mut names = Vec::new();
    let mut at = 0;
    while let Some(a) = args.get(at) {
        match a.strip_prefix('-').and_then(|o| o.chars().next()) {
            Some(o) if with_value.contains(o) => {
                let inline = a.get(2..).filter(|v| !v.is_empty());
                let value = match inline {
                    Some(v) => v.to_string(),
                    None => {
                        at += 1;
                        args.get(at).cloned().ok_or_else(|| format!("option requires an argument -- '{o}'"))?
                    }
                };
                opts.push((o, value));
            }
            Some(o) => opts.push((o, String::new())),
            None => names.push(a.clone()),
        }
        at += 1;
    }
    Ok((opts, names))
}

/// Appends a line to an account file, as root.
fn append(p: &mut Proc, path: &str, line: &str) -> bool {
    let root = crate::vfs::Ctx { cred: crate::world::Cred::root(), ..p.ctx.clone() };
    p.world.write_file(&root, path, &Data::from_bytes(format!("{line}\n").as_bytes()), WriteMode::Append).is_ok()
}

/// Only root changes the account files; anyone else cannot lock them.
fn refused(p: &mut Proc) -> Option<i32> {
    if p.ctx.cred.uid == 0 {
        return None;
    }
    let n = p.name.clone();
    p.io.err_line(&format!("{n}: Permission denied."));
    p.io.err_line(&format!("{n}: cannot lock /etc/{}; try again later.", if n == "groupadd" { "group" } else { "passwd" }));
    Some(1)
}

/// The options and the one name of either tool, run as root; `Err`: its exit status, said.
fn prepare(p: &mut Proc, args: &[String], with_value: &str, usage: &str) -> Result<(Vec<(char, String)>, String), i32> {
    let (opts, names) = parse(args, with_value).map_err(|m| {
        p.err(&m);
        2
    })?;
    let [name] = names.as_slice() else {
        p.io.err_line(usage);
        return Err(2);
    };
    match refused(p) {
        Some(code) => Err(code),
        None => Ok((opts, name.clone())),
    }
}

/// A new id: the one given (refused when `taken` or not a number, with `message`'s words and
/// shadow's statuses), or the first free one from 1000.
fn new_id(p: &mut Proc, given: Option<&str>, taken: impl Fn(u32) -> bool, message: impl Fn(&str, bool) -> String) -> Result<u32, i32> {
    match given.map(|v| (v, v.parse::<u32>())) {
        Some((_, Ok(id))) if taken(id) => {
            p.err(&message(&id.to_string(), true));
            Err(4)
        }
        Some((_, Ok(id))) => Ok(id),
        Some((v, Err(_))) => {
            p.err(&message(v, false));
            Err(3)
        }
        None => Ok((1000..60000).find(|id| !taken(*id)).unwrap_or(60000)),
    }
}

pub(super) fn groupadd(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, name) = match prepare(p, args, "gK", "Usage: groupadd [options] GROUP") {
        Ok(x) => x,
        Err(code) => return code,
    };
    let groups = users::groups(p.world, &p.ctx);
    if groups.iter().any(|g| g.name == *name) {
        p.err(&format!("group '{name}' already exists"));
        return 9;
    }
    let given = opts.iter().find(|(o, _)| *o == 'g').map(|(_, v)| v.as_str());
    let message = |v: &str, taken: bool| if taken { format!("GID '{v}' already exists") } else { format!("invalid group ID '{v}'") };
    let gid = match new_id(p, given, |g| groups.iter().any(|e| e.gid == g), message) {
        Ok(g) => g,
        Err(code) => return code,
    };
    if append(p, "/etc/group", &format!("{name}:x:{gid}:")) {
        0
    } else {
        10
    }
}

pub(super) fn useradd(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, name) = match prepare(p, args, "ugGdsckKe", "Usage: useradd [options] LOGIN") {
        Ok(x) => x,
        Err(code) => return code,
    };
    let value = |o: char| opts.iter().find(|(k, _)| *k == o).map(|(_, v)| v.clone());
    let passwd = users::passwd(p.world, &p.ctx);
    let groups = users::groups(p.world, &p.ctx);
    if passwd.iter().any(|e| e.name == *name) {
        p.err(&format!("user '{name}' already exists"));
        return 9;
    }
    let message = |v: &str, taken: bool| if taken { format!("UID {v} is not unique") } else { format!("invalid user ID '{v}'") };
    let uid = match new_id(p, value('u').as_deref(), |u| passwd.iter().any(|e| e.uid == u), message) {
        Ok(u) => u,
        Err(code) => return code,
    };
    // `-g GROUP` by name or number; without it, a group of the user's own name (Debian's
    // USERGROUPS_ENAB), numbered as the user when that number is free.
    let gid = match value('g') {
        Some(g) => match groups.iter().find(|e| e.name == g || e.gid.to_string() == g) {
            Some(e) => e.gid,
            None => {
                p.err(&format!("group '{g}' does not exist"));
                return 6;
            }
        },
        None => {
            let gid = if groups.iter().any(|e| e.gid == uid) {
                (1000..60000).find(|g| !groups.iter().any(|e| e.gid == *g)).unwrap_or(uid)
            } else {
                uid
            };
            if !append(p, "/etc/group", &format!("{name}:x:{gid}:")) {
                return 10;
            }
            gid
        }
    };
    let home = value('d').unwrap_or_else(|| format!("/home/{name}"));
    let shell = value('s').unwrap_or_else(|| "/bin/sh".into());
    if !append(p, "/etc/passwd", &format!("{name}:x:{uid}:{gid}::{home}:{shell}")) {
        return 10;
    }
    // `-m` makes the home directory, owned by the new user.
    if opts.iter().any(|(o, _)| *o == 'm') && p.world.stat(&p.ctx, &home, true).is_err() && p.world.mkdir(&p.ctx, &home, 0o755).is_ok() {
        let _ = p.world.set_meta(&p.ctx, &home, true, &mut |i| {
            i.uid = uid;
            i.gid = gid;
        });
    }
    0
}
