//! Users and groups as a namespace's `/etc/passwd` and `/etc/group` define them.
//!
//! Architecture invariant: reads files through the vfs as root; the daemon (`--user`) and the
//! programs (`id`, `ls -l`, `chown`) both ask here.

use crate::vfs::Ctx;
use crate::world::{Cred, World};

#[derive(Clone, Debug, PartialEq)]
pub struct PwEntry {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
    /// The login shell (`/bin/sh`, `/usr/sbin/nologin`, `/bin/false` …).
    pub shell: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GrEntry {
    pub name: String,
    pub gid: u32,
    pub members: Vec<String>,
}

fn read_as_root(world: &World, ctx: &Ctx, path: &str) -> String {
    let root = Ctx { cred: Cred::root(), ..ctx.clone() };
    world.read(&root, path).map(|d| String::from_utf8_lossy(&d.to_vec()).into_owned()).unwrap_or_default()
}

pub fn passwd(world: &World, ctx: &Ctx) -> Vec<PwEntry> {
    read_as_root(world, ctx, "/etc/passwd")
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 {
                return None;
            }
            Some(PwEntry { name: f[0].into(), uid: f[2].parse().ok()?, gid: f[3].parse().ok()?, home: f[5].into(), shell: f[6].into() })
        })
        .collect()
}

pub fn groups(world: &World, ctx: &Ctx) -> Vec<GrEntry> {
    read_as_root(world, ctx, "/etc/group")
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 4 {
                return None;
            }
            Some(GrEntry {
                name: f[0].into(),
                gid: f[2].parse().ok()?,
                members: f[3].split(',').filter(|m| !m.is_empty()).map(str::to_string).collect(),
            })
        })
        .collect()
}

pub fn user_name(world: &World, ctx: &Ctx, uid: u32) -> Option<String> {
    passwd(world, ctx).into_iter().find(|p| p.uid == uid).map(|p| p.name)
}

pub fn group_name(world: &World, ctx: &Ctx, gid: u32) -> Option<String> {
    groups(world, ctx).into_iter().find(|g| g.gid == gid).map(|g| g.name)
}

/// A user as `chown` and `find -user` take one: a number, else a name from `/etc/passwd`.
pub fn uid_of(world: &World, ctx: &Ctx, spec: &str) -> Option<u32> {
    spec.parse().ok().or_else(|| passwd(world, ctx).into_iter().find(|e| e.name == spec).map(|e| e.uid))
}

/// A group as `chgrp` and `find -group` take one: a number, else a name from `/etc/group`.
pub fn gid_of(world: &World, ctx: &Ctx, spec: &str) -> Option<u32> {
    spec.parse().ok().or_else(|| groups(world, ctx).into_iter().find(|e| e.name == spec).map(|e| e.gid))
}

/// `~user` on the host.
pub fn home_of(user: &str) -> Option<String> {
    match user {
        "student" => Some("/home/student".into()),
        "root" => Some("/root".into()),
        _ => None,
    }
}

/// Resolves Docker's `--user` value against the image's passwd/group files.
/// `Err(message)` carries the daemon's error text.
pub fn resolve_user(world: &World, ctx: &Ctx, spec: &str) -> Result<(Cred, String), String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let pw = passwd(world, ctx);
    let grs = groups(world, ctx);
    let (uid, mut gid, name, home) = if user.is_empty() {
        (0, 0, Some("root".to_string()), "/root".to_string())
    } else if let Ok(uid) = user.parse::<u32>() {
        match pw.iter().find(|p| p.uid == uid) {
            Some(p) => (uid, p.gid, Some(p.name.clone()), p.home.clone()),
            None => (uid, 0, None, "/".to_string()),
        }
    } else {
        match pw.iter().find(|p| p.name == user) {
            Some(p) => (p.uid, p.gid, Some(p.name.clone()), p.home.clone()),
            None => return Err(format!("unable to find user {user}: no matching entries in passwd file")),
        }
    };
    let mut explicit_group = false;
    if let Some(g) = group {
        explicit_group = true;
        gid = match g.parse::<u32>() {
            Ok(n) => n,
            Err(_) => match grs.iter().find(|e| e.name == g) {
                Some(e) => e.gid,
                None => return Err(format!("unable to find group {g}: no matching entries in group file")),
            },
        };
    }
    let mut groups_list = vec![gid];
    if !explicit_group {
        if let Some(n) = &name {
            for g in &grs {
                if g.members.contains(n) && !groups_list.contains(&g.gid) {
                    groups_list.push(g.gid);
                }
            }
        }
    }
    Ok((Cred { uid, gid, groups: groups_list, bounding: ctx.cred.bounding }, home))
}
