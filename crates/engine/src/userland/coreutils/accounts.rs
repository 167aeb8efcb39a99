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

pub(super) fn groupadd(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, names) = match parse(args, "gK") {
        Ok(x) => x,
        Err(m) => {
            p.err(&m);
            return 2;
        }
    };
    let [name] = names.as_slice() else {
        p.io.err_line("Usage: groupadd [options] GROUP");
        return 2;
    };
    if let Some(code) = refused(p) {
        return code;
    }
    let groups = users::groups(p.world, &p.ctx);
    if groups.iter().any(|g| g.name == *name) {
        p.err(&format!("group '{name}' already exists"));
        return 9;
    }
    let gid = match opts.iter().find(|(o, _)| *o == 'g') {
        Some((_, v)) => match v.parse::<u32>() {
            Ok(g) if groups.iter().any(|e| e.gid == g) => {
                p.err(&format!("GID '{g}' already exists"));
                return 4;
            }
            Ok(g) => g,
            Err(_) => {
                p.err(&format!("invalid group ID '{v}'"));
                return 3;
            }
        },
        None => (1000..60000).find(|g| !groups.iter().any(|e| e.gid == *g)).unwrap_or(60000),
    };
    if append(p, "/etc/group", &format!("{name}:x:{gid}:")) {
        0
    } else {
        10
    }
}

pub(super) fn useradd(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, names) = match parse(args, "ugGdsckKe") {
        Ok(x) => x,
        Err(m) => {
            p.err(&m);
            return 2;
        }
    };
    let [name] = names.as_slice() else {
        p.io.err_line("Usage: useradd [options] LOGIN");
        return 2;
    };
    if let Some(code) = refused(p) {
        return code;
    }
    let value = |o: char| opts.iter().find(|(k, _)| *k == o).map(|(_, v)| v.clone());
    let passwd = users::passwd(p.world, &p.ctx);
    let groups = users::groups(p.world, &p.ctx);
    if passwd.iter().any(|e| e.name == *name) {
        p.err(&format!("user '{name}' already exists"));
        return 9;
    }
    let uid = match value('u') {
        Some(v) => match v.parse::<u32>() {
            Ok(u) if passwd.iter().any(|e| e.uid == u) => {
                p.err(&format!("UID {u} is not unique"));
                return 4;
            }
            Ok(u) => u,
            Err(_) => {
                p.err(&format!("invalid user ID '{v}'"));
                return 3;
            }
        },
        None => (1000..60000).find(|u| !passwd.iter().any(|e| e.uid == *u)).unwrap_or(60000),
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
