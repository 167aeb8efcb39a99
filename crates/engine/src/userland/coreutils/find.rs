//! `find`: walking trees, by `-name` and `-type`.

use crate::fs::FileType;
use crate::userland::glob;

use super::{walk_paths, Proc};

pub(super) fn find(p: &mut Proc, args: &[String]) -> i32 {
    let mut roots = Vec::new();
    let mut i = 0;
    while i < args.len() && !args[i].starts_with('-') {
        roots.push(args[i].clone());
        i += 1;
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    let mut name: Option<String> = None;
    let mut ftype: Option<char> = None;
    while i < args.len() {
        match args[i].as_str() {
            "-name" => {
                name = args.get(i + 1).cloned();
                i += 1;
            }
            "-type" => {
                ftype = args.get(i + 1).and_then(|t| t.chars().next());
                i += 1;
            }
            // No predicate is named outside ASCII (the ASCII ones not simulated are ignored).
            predicate if predicate.starts_with('-') && !predicate.is_ascii() => {
                if p.gnu {
                    p.err(&format!("unknown predicate `{predicate}'"));
                    return 1;
                }
                p.err(&format!("unrecognized: {predicate}"));
                return p.busybox_usage();
            }
            _ => {}
        }
        i += 1;
    }
    let mut status = 0;
    for r in roots {
        if !p.world.exists(&p.ctx, &r) {
            let msg = if p.gnu { format!("{}: No such file or directory", p.q(&r)) } else { format!("{r}: No such file or directory") };
            p.err(&msg);
            status = 1;
            continue;
        }
        for path in walk_paths(p, &r) {
            let Ok(st) = p.world.stat(&p.ctx, &path, false) else { continue };
            if let Some(t) = ftype {
                let ok = match t {
                    'f' => st.ftype == FileType::File,
                    'd' => st.ftype == FileType::Dir,
                    'l' => st.ftype == FileType::Symlink,
                    _ => true,
                };
                if !ok {
                    continue;
                }
            }
            if let Some(n) = &name {
                let base: Vec<char> = path.rsplit('/').next().unwrap_or(&path).chars().collect();
                let pat: Vec<(char, bool)> = n.chars().map(|c| (c, false)).collect();
                if !glob::matches(&pat, &base) {
                    continue;
                }
            }
            p.out(&format!("{path}\n"));
        }
    }
    status
}
