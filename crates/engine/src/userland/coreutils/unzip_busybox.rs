//! Busybox's `unzip` in containers (oracle-169): it reads the local headers one after the
//! other, says `inflating:` of every file, keeps no times, lists dates as `MM-DD-YYYY` (counting
//! every entry in its total however few it listed), and asks on its stdout before replacing a
//! file, which an empty stdin cannot answer.

use super::Proc;
use crate::fs::Data;
use crate::userland::zip;
use crate::vfs::WriteMode;

pub(super) fn unzip(p: &mut Proc, args: &[String]) -> i32 {
    let (mut list, mut pipe, mut quiet, mut junk, mut test) = (false, false, false, false, false);
    let mut overwrite: Option<bool> = None;
    let mut exdir: Option<String> = None;
    let mut operands: Vec<String> = Vec::new();
    let mut excluded: Vec<String> = Vec::new();
    let mut excluding = false;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        if a.len() > 1 && a.starts_with('-') {
            for c in a.chars().skip(1) {
                match c {
                    'l' => list = true,
                    'p' => pipe = true,
                    'q' => quiet = true,
                    'j' => junk = true,
                    'o' => overwrite = Some(true),
                    'n' => overwrite = Some(false),
                    't' => test = true,
                    'v' => {}
                    'x' => excluding = true,
                    'd' => {
                        exdir = args.get(i).cloned();
                        i += 1;
                    }
                    c => {
                        p.err(&format!("invalid option -- '{c}'"));
                        return p.busybox_usage();
                    }
                }
            }
        } else if excluding && !operands.is_empty() {
            excluded.push(a.clone());
        } else {
            operands.push(a.clone());
        }
    }
    let Some((archive, wanted)) = operands.split_first() else { return p.busybox_usage() };
    let (name, bytes) = match [archive.clone(), format!("{archive}.zip")]
        .into_iter()
        .find_map(|n| p.world.read(&p.ctx, &n).ok().map(|d| (n, d.to_vec())))
    {
        Some(found) => found,
        None => {
            p.err(&format!("can't open {archive}[.zip]"));
            return 1;
        }
    };
    // `-t` tests quietly: only damage would be said.
    if !(quiet || pipe || test) {
        p.out(&format!("Archive:  {name}\n"));
    }
    let entries = match zip::read(&bytes) {
        Ok(entries) => entries,
        Err(_) => {
            // It reads local headers until the end: what is not one is cut short.
            p.err("short read");
            return 1;
        }
    };
    if test {
        if entries.iter().any(|e| e.contents().is_err()) {
            p.err("corrupted data");
            return 1;
        }
        return 0;
    }
    let chosen = zip::select(&entries, wanted, &excluded);
    if list {
        // `-q` leaves out only the archive's name.
        let mut out = String::from("  Length      Date    Time    Name\n---------  ---------- -----   ----\n");
        for e in &chosen {
            let (y, mo, d, h, mi) = zip::dos_parts(e.dos_time);
            out.push_str(&format!("{:>9}  {mo:02}-{d:02}-{y:04} {h:02}:{mi:02}   {}\n", e.size, e.name));
        }
        let total: u64 = chosen.iter().map(|e| e.size).sum();
        out.push_str(&format!(" --------                     -------\n{total:>9}                     {} files\n", entries.len()));
        p.out(&out);
        return 0;
    }
    // It works from inside `-d DIR` (made if missing), and names the files from there.
    let base = exdir.map(|d| format!("{}/", d.trim_end_matches('/'))).unwrap_or_default();
    if !base.is_empty() {
        super::files::make_dirs(p, base.trim_end_matches('/'));
    }
    for e in chosen {
        let relative = if junk { e.name.rsplit('/').find(|s| !s.is_empty()).unwrap_or(&e.name).to_string() } else { e.name.clone() };
        let path = format!("{base}{relative}");
        if pipe {
            if let Ok(data) = e.contents() {
                p.io.write_out(&data);
            }
            continue;
        }
        if e.is_dir() {
            if !junk && !p.world.exists(&p.ctx, &path) {
                if !quiet {
                    p.out(&format!("   creating: {relative}\n"));
                }
                super::files::make_dirs(p, path.trim_end_matches('/'));
            }
            continue;
        }
        if p.world.stat(&p.ctx, &path, false).is_ok() {
            match overwrite {
                Some(false) => continue,
                Some(true) => {}
                None => {
                    p.out(&format!("replace {relative}? [y]es, [n]o, [A]ll, [N]one, [r]ename: "));
                    p.err("can't read standard input");
                    return 1;
                }
            }
        }
        let Ok(data) = e.contents() else {
            p.err("corrupted data");
            return 1;
        };
        if let Some((parent, _)) = path.rsplit_once('/').filter(|(d, _)| !d.is_empty()) {
            super::files::make_dirs(p, parent);
        }
        if !quiet {
            p.out(&format!("  inflating: {relative}\n"));
        }
        let _ = p.world.remove(&p.ctx, &path, false);
        if let Err(err) = p.world.write_file(&p.ctx, &path, &Data::from_bytes(&data), WriteMode::Truncate) {
            p.err(&format!("can't open '{path}': {err}"));
            return 1;
        }
        if let Some(mode) = e.mode.filter(|m| m & 0o170000 == 0o100000).map(|m| m & 0o777) {
            let _ = p.world.set_meta(&p.ctx, &path, false, &mut |i| i.mode = (i.mode & !0o7777) | mode);
        }
    }
    0
}
