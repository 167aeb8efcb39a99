//! Tools that make files and directories: `mktemp` (names drawn from the machine's seeded
//! generator) and GNU's `install` (oracle-47).

use super::{split_opts, Proc};
use crate::fs::Data;
use crate::vfs::WriteMode;

/// `mktemp [-d] [TEMPLATE]`: a new file (0600) or directory (0700) under /tmp, its name printed.
pub(super) fn mktemp(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, names) = split_opts(args);
    let dir = opts.iter().any(|o| o == "-d" || o == "--directory");
    // GNU draws ten characters for its default name, busybox six (oracle-111).
    let template = names.first().cloned().unwrap_or_else(|| if p.gnu { "tmp.XXXXXXXXXX" } else { "tmp.XXXXXX" }.into());
    let xs = template.chars().rev().take_while(|c| *c == 'X').count();
    if xs < 3 {
        // busybox's own message names no template: its libc is handed a null (oracle-111).
        if p.gnu {
            let q = p.lq(&template);
            p.err(&format!("too few X's in template {q}"));
        } else {
            p.err("(null): Invalid argument");
        }
        return 1;
    }
    let random = p.world.ids().chars(xs, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    let stem: String = template.chars().take(template.chars().count() - xs).collect();
    let name = format!("{stem}{random}");
    let path = if name.starts_with('/') || names.first().is_some_and(|n| n.contains('/')) { name } else { format!("/tmp/{name}") };
    let made = if dir {
        p.world.mkdir(&p.ctx, &path, 0o700).map(|_| ())
    } else {
        p.world
            .write_file(&p.ctx, &path, &Data::empty(), WriteMode::Truncate)
            .map(|_| ())
            .and_then(|()| p.world.set_meta(&p.ctx, &path, true, &mut |i| i.mode = 0o600))
    };
    match made {
        Ok(()) => {
            p.out(&format!("{path}\n"));
            0
        }
        Err(e) => {
            let what = if dir { "directory" } else { "file" };
            p.err(&format!("failed to create {what} via template {}: {e}", p.lq(&path)));
            1
        }
    }
}

/// GNU `install [-d] [-m MODE] SOURCE… DEST`: directories made with their parents, or files
/// copied, each given MODE (755 by default) and owned by who runs it.
pub(super) fn install(p: &mut Proc, args: &[String]) -> i32 {
    let mut mode = 0o755;
    let mut dirs = false;
    let mut operands = Vec::new();
    let mut at = 0;
    while let Some(a) = args.get(at) {
        match a.as_str() {
            "-d" | "--directory" => dirs = true,
            "-m" | "--mode" => {
                let Some(m) = args.get(at + 1).and_then(|m| u32::from_str_radix(m, 8).ok()) else {
                    let v = args.get(at + 1).cloned().unwrap_or_default();
                    let q = p.lq(&v);
                    p.err(&format!("invalid mode {q}"));
                    return 1;
                };
                mode = m;
                at += 1;
            }
            _ => operands.push(a.clone()),
        }
        at += 1;
    }
    if operands.is_empty() {
        return p.usage();
    }
    let set_mode = |p: &mut Proc, path: &str| p.world.set_meta(&p.ctx, path, true, &mut |i| i.mode = mode);
    if dirs {
        for d in operands {
            let mut acc = String::new();
            let absolute = d.starts_with('/');
            for (k, part) in d.split('/').filter(|s| !s.is_empty()).enumerate() {
                if k > 0 || absolute {
                    acc.push('/');
                }
                acc.push_str(part);
                if p.world.stat(&p.ctx, &acc, true).is_err() {
                    if let Err(e) = p.world.mkdir(&p.ctx, &acc, 0o755) {
                        let q = p.q(&acc);
                        p.err(&format!("cannot create directory {q}: {e}"));
                        return 1;
                    }
                }
            }
            let _ = set_mode(p, &d);
        }
        return 0;
    }
    let Some((dest, sources)) = operands.split_last() else { return p.usage() };
    let into_dir = p.world.stat(&p.ctx, dest, true).is_ok_and(|st| st.ftype == crate::fs::FileType::Dir);
    let mut status = 0;
    for s in sources {
        let target = if into_dir { format!("{}/{}", dest.trim_end_matches('/'), s.rsplit('/').next().unwrap_or(s)) } else { dest.clone() };
        let copied = p.world.read(&p.ctx, s).and_then(|d| p.world.write_file(&p.ctx, &target, &d, WriteMode::Truncate).map(|_| ()));
        match copied.and_then(|()| set_mode(p, &target)) {
            Ok(()) => {}
            Err(e) => {
                let q = p.q(s);
                p.err(&format!("cannot stat {q}: {e}"));
                status = 1;
            }
        }
    }
    status
}
