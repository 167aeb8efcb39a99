//! `hardlink` (util-linux 2.38) on the host (oracle-173): identical files under the trees named
//! become hard links to the first of them — identical in content and, unless told to ignore
//! them, in mode (`-p`), owner (`-o`) and modification time (`-t`); `-n` only says what it would
//! do. Its summary ends with the time it took, which no two runs share (the simulation's is
//! the same each time).

use super::extents::util_linux_size;
use super::Proc;
use crate::fs::FileType;

#[derive(Default)]
struct Options {
    dry_run: bool,
    verbose: u8,
    quiet: bool,
    ignore_mode: bool,
    ignore_owner: bool,
    ignore_time: bool,
}

/// A regular file found: its path as named and absolute, and what must match.
struct Found {
    path: String,
    absolute: String,
    ino: u32,
    size: u64,
    mode: u32,
    owner: (u32, u32),
    mtime: i64,
}

pub(super) fn hardlink(p: &mut Proc, args: &[String]) -> i32 {
    let mut o = Options::default();
    let mut roots = Vec::new();
    for a in args {
        match a.as_str() {
            "--version" | "-V" => {
                p.out_line("hardlink from util-linux 2.38.1");
                return 0;
            }
            "--dry-run" => o.dry_run = true,
            "--verbose" => o.verbose += 1,
            "--quiet" => o.quiet = true,
            "--ignore-mode" => o.ignore_mode = true,
            "--ignore-owner" => o.ignore_owner = true,
            "--ignore-time" => o.ignore_time = true,
            s if s.starts_with('-') && s.len() > 1 && !s.starts_with("--") => {
                for c in s.chars().skip(1) {
                    match c {
                        'n' => o.dry_run = true,
                        'v' => o.verbose += 1,
                        'q' => o.quiet = true,
                        'p' => o.ignore_mode = true,
                        'o' => o.ignore_owner = true,
                        't' => o.ignore_time = true,
                        _ => {}
                    }
                }
            }
            _ => roots.push(a.clone()),
        }
    }
    if roots.is_empty() {
        p.err("no directory or file specified");
        return 1;
    }
    let mut found = Vec::new();
    for root in &roots {
        let absolute = crate::fs::normalize(&p.ctx.cwd, root);
        if p.world.stat(&p.ctx, root, false).is_err() {
            p.err(&format!("cannot get realpath: {root}: No such file or directory"));
            continue;
        }
        walk(p, root, &absolute, &mut found);
    }
    if o.verbose > 0 {
        // Debian's build has no kernel crypto API for sha256 and says so.
        p.out_line("cannot initialize sha256 method, use 'memcmp' fallback");
    }
    let (mut linked, mut compared, mut saved) = (0u64, 0u64, 0u64);
    // Each file is linked to the first identical one before it.
    let mut masters: Vec<usize> = Vec::new();
    for k in 0..found.len() {
        let f = &found[k];
        if f.size == 0 {
            continue;
        }
        let mut master = None;
        // Read once, when a first candidate needs comparing.
        let mut content: Option<Option<Vec<u8>>> = None;
        for &m in &masters {
            let candidate = &found[m];
            if candidate.ino == f.ino {
                master = Some(None);
                break;
            }
            let alike = candidate.size == f.size
                && (o.ignore_mode || candidate.mode == f.mode)
                && (o.ignore_owner || candidate.owner == f.owner)
                && (o.ignore_time || candidate.mtime == f.mtime);
            if !alike {
                continue;
            }
            compared += 1;
            let mine = content.get_or_insert_with(|| p.world.read(&p.ctx, &f.path).ok().map(|d| d.to_vec()));
            let same = mine.is_some() && p.world.read(&p.ctx, &candidate.path).ok().map(|d| d.to_vec()) == *mine;
            if same {
                master = Some(Some(m));
                break;
            }
        }
        match master {
            Some(Some(m)) => {
                linked += 1;
                saved += f.size;
                if o.verbose > 0 {
                    let line = format!("Linking {} to {} (-{})", found[m].absolute, f.absolute, util_linux_size(f.size, true, true));
                    p.out_line(&line);
                }
                if !o.dry_run {
                    let (from, to) = (found[m].path.clone(), f.path.clone());
                    let _ = p.world.remove(&p.ctx, &to, false);
                    let _ = p.world.hard_link(&p.ctx, &from, &to);
                }
            }
            Some(None) => {}
            None => masters.push(k),
        }
    }
    if !o.quiet {
        let rows = [
            ("Mode:", if o.dry_run { "dry-run".to_string() } else { "real".to_string() }),
            ("Method:", "memcmp".to_string()),
            ("Files:", found.len().to_string()),
            ("Linked:", format!("{linked} files")),
            ("Compared:", "0 xattrs".to_string()),
            ("Compared:", format!("{compared} files")),
            ("Saved:", util_linux_size(saved, true, true)),
            ("Duration:", "0.000100 seconds".to_string()),
        ];
        for (label, value) in rows {
            p.out_line(&format!("{label:<25} {value}"));
        }
    }
    0
}

/// The regular files under `path`, in the order the directories list them.
fn walk(p: &mut Proc, path: &str, absolute: &str, out: &mut Vec<Found>) {
    let Ok(st) = p.world.stat(&p.ctx, path, false) else { return };
    match st.ftype {
        FileType::File => out.push(Found {
            path: path.to_string(),
            absolute: absolute.to_string(),
            ino: st.ino.0,
            size: st.size,
            mode: st.mode,
            owner: (st.uid, st.gid),
            mtime: st.mtime,
        }),
        FileType::Dir => {
            let Ok(loc) = p.world.resolve(&p.ctx, path, false) else { return };
            for (name, _) in p.world.list(&p.ctx, &loc).unwrap_or_default() {
                walk(p, &format!("{}/{name}", path.trim_end_matches('/')), &format!("{}/{name}", absolute.trim_end_matches('/')), out);
            }
        }
        _ => {}
    }
}
