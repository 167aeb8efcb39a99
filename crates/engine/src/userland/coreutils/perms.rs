//! Permissions and ownership: `chmod` (octal and symbolic modes), `chown` and `chgrp`.

use crate::fs::{Errno, FileType};
use crate::userland::users;

use super::{has, split_opts, walk_paths, Proc};

pub(super) fn chmod(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let recursive = has(&opts, "-R", "--recursive");
    let verbose = has(&opts, "-v", "--verbose");
    let changes = has(&opts, "-c", "--changes");
    if ops.len() < 2 {
        return p.usage();
    }
    let spec = ops[0].clone();
    // GNU compiles the mode before it touches a file.
    if p.gnu && parse_mode(&spec, 0o644, false).is_none() {
        let q = p.lq(&spec);
        return p.err_try(&format!("invalid mode: {q}"));
    }
    let mut status = 0;
    for f in &ops[1..] {
        let mut targets = vec![f.clone()];
        if recursive {
            targets = walk_paths(p, f);
        }
        for (k, t) in targets.into_iter().enumerate() {
            // chmod never changes a link: one met while recursing is passed over.
            if k > 0 && p.world.stat(&p.ctx, &t, false).is_ok_and(|st| st.ftype == FileType::Symlink) {
                continue;
            }
            let st = match p.world.stat(&p.ctx, &t, true) {
                Ok(s) => s,
                Err(e) => {
                    let q = p.q(&t);
                    p.err_dialect(&format!("cannot access {q}: {e}"), &format!("{t}: {e}"));
                    if verbose && p.gnu {
                        p.out_line(&format!("{q} could not be accessed"));
                    }
                    status = 1;
                    continue;
                }
            };
            let Some(new_mode) = parse_mode(&spec, st.mode, st.ftype == FileType::Dir) else {
                if p.gnu {
                    let q = p.lq(&spec);
                    return p.err_try(&format!("invalid mode: {q}"));
                }
                p.err(&format!("invalid mode: {spec}"));
                return 1;
            };
            if !p.ctx.cred.owns_or_fowner(st.uid) {
                let q = p.q(&t);
                p.err_dialect(&format!("changing permissions of {q}: Operation not permitted"), &format!("{t}: Operation not permitted"));
                status = 1;
                continue;
            }
            // The set-group-ID bit stays only for a member of the file's group or with CAP_FSETID.
            let keeps_setgid = p.ctx.cred.in_group(st.gid) || p.ctx.cred.capable(crate::caps::Cap::FSETID);
            let new_mode = if keeps_setgid { new_mode } else { new_mode & !0o2000 };
            if let Err(e) = p.world.set_meta(&p.ctx, &t, true, &mut |i| i.mode = new_mode) {
                let q = p.q(&t);
                p.err_dialect(&format!("changing permissions of {q}: {e}"), &format!("{t}: {e}"));
                status = 1;
            } else if verbose || (changes && new_mode & 0o7777 != st.mode & 0o7777) {
                let line = mode_change(p, &t, st.mode, new_mode, verbose);
                p.out_line(&line);
            }
        }
    }
    status
}

/// chmod -v/-c: GNU's `changed from … to …` or `retained as …`; busybox's `changed to …`
/// (which -v says of a mode left as it was, too).
fn mode_change(p: &Proc, path: &str, old: u32, new: u32, verbose: bool) -> String {
    let shown = |m: u32| format!("{:04o} ({})", m & 0o7777, super::ls::permission_string(m));
    if !p.gnu {
        return format!("mode of '{path}' changed to {}", shown(new));
    }
    let q = p.q(path);
    if old & 0o7777 == new & 0o7777 && verbose {
        format!("mode of {q} retained as {}", shown(new))
    } else {
        format!("mode of {q} changed from {} to {}", shown(old), shown(new))
    }
}

/// GNU chown/chgrp -v: the owner (and group) a file kept or had changed, by name.
fn owner_change(p: &Proc, path: &str, old: (u32, u32), new: (Option<u32>, Option<u32>)) -> String {
    let user = |u: u32| users::user_name(p.world, &p.ctx, u).unwrap_or_else(|| u.to_string());
    let group = |g: u32| users::group_name(p.world, &p.ctx, g).unwrap_or_else(|| g.to_string());
    let (nu, ng) = (new.0.unwrap_or(old.0), new.1.unwrap_or(old.1));
    let (what, before, after) = match new {
        (Some(_), Some(_)) => ("ownership", format!("{}:{}", user(old.0), group(old.1)), format!("{}:{}", user(nu), group(ng))),
        (Some(_), None) => ("ownership", user(old.0), user(nu)),
        _ => ("group", group(old.1), group(ng)),
    };
    let q = p.q(path);
    if before == after {
        format!("{what} of {q} retained as {after}")
    } else {
        format!("changed {what} of {q} from {before} to {after}")
    }
}

/// Octal or symbolic (`u+x`, `go-w`, `a=r`) modes.
pub fn parse_mode(spec: &str, current: u32, is_dir: bool) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).ok().map(|m| m & 0o7777);
    }
    let mut mode = current;
    for clause in spec.split(',') {
        let op_pos = clause.find(['+', '-', '='])?;
        let (who, op_and_perms) = clause.split_at_checked(op_pos)?;
        let mut op_and_perms = op_and_perms.chars();
        let op = op_and_perms.next()?;
        let perms = op_and_perms.as_str();
        let who_mask = if who.is_empty() || who.contains('a') {
            0o7777
        } else {
            let mut m = 0;
            if who.contains('u') {
                m |= 0o4700;
            }
            if who.contains('g') {
                m |= 0o2070;
            }
            if who.contains('o') {
                m |= 0o1007;
            }
            m
        };
        let mut bits = 0;
        for c in perms.chars() {
            bits |= match c {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                'X' if is_dir || current & 0o111 != 0 => 0o111,
                'X' => 0,
                's' => 0o6000,
                't' => 0o1000,
                _ => return None,
            };
        }
        let bits = bits & who_mask;
        match op {
            '+' => mode |= bits,
            '-' => mode &= !bits,
            _ => mode = (mode & !(who_mask & 0o777)) | bits,
        }
    }
    Some(mode)
}

pub(super) fn chown(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let recursive = has(&opts, "-R", "--recursive");
    let verbose = has(&opts, "-v", "--verbose") && p.gnu;
    if ops.len() < 2 {
        return p.usage();
    }
    let spec = if p.name == "chgrp" { format!(":{}", ops[0]) } else { ops[0].clone() };
    let (u, g) = match spec.split_once([':', '.']) {
        Some((u, g)) => (u.to_string(), Some(g.to_string())),
        None => (spec.clone(), None),
    };
    let uid = if u.is_empty() {
        None
    } else {
        match users::uid_of(p.world, &p.ctx, &u) {
            Some(n) => Some(n),
            None => {
                p.err(&format!("invalid user: {}", p.vq(&spec)));
                return 1;
            }
        }
    };
    let gid = match g.as_deref() {
        None | Some("") => None,
        Some(g) => match users::gid_of(p.world, &p.ctx, g) {
            Some(n) => Some(n),
            None if !p.gnu && p.name == "chgrp" => {
                p.err(&format!("unknown group {g}"));
                return 1;
            }
            None => {
                p.err(&format!("invalid group: {}", if p.gnu { p.q(&spec) } else { format!("'{spec}'") }));
                return 1;
            }
        },
    };
    let mut status = 0;
    for f in &ops[1..] {
        let targets = if recursive { walk_paths(p, f) } else { vec![f.clone()] };
        for (k, t) in targets.into_iter().enumerate() {
            // With -R (and -P, the default), a link met on the way is changed itself.
            let follow = k == 0;
            let res = match p.world.stat(&p.ctx, &t, follow) {
                Ok(st) => {
                    // Root changes owners with CAP_CHOWN, which `--cap-drop` can take away; the
                    // owner may keep the owner and give the file a group of their own.
                    let allowed = p.ctx.cred.capable(crate::caps::Cap::CHOWN)
                        || (uid.is_none_or(|u| u == st.uid) && st.uid == p.ctx.cred.uid && gid.is_none_or(|g| p.ctx.cred.in_group(g)));
                    if !allowed {
                        Err(Errno::Perm)
                    } else {
                        let done = p.world.set_meta(&p.ctx, &t, follow, &mut |i| {
                            if let Some(u) = uid {
                                i.uid = u;
                            }
                            if let Some(g) = gid {
                                i.gid = g;
                            }
                        });
                        if done.is_ok() && verbose {
                            let line = owner_change(p, &t, (st.uid, st.gid), (uid, gid));
                            p.out_line(&line);
                        }
                        done
                    }
                }
                Err(e) => Err(e),
            };
            if let Err(e) = res {
                if p.gnu {
                    let q = p.q(&t);
                    if e == Errno::NoEnt {
                        p.err(&format!("cannot access {q}: {e}"));
                    } else {
                        p.err(&format!("changing ownership of {q}: {e}"));
                    }
                } else {
                    p.err(&format!("{t}: {e}"));
                }
                status = 1;
            }
        }
    }
    status
}
