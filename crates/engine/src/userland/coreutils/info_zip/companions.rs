//! unzip 6.00's and zip 3.0's small companions: `funzip` (the first member of a zip archive,
//! or a gzip file, to stdout), `zipnote` (the comments, as a file to edit) and `zipgrep`
//! (egrep through each member, each line named by its member). oracle-181.

use crate::userland::coreutils::regex::Regex;
use crate::userland::coreutils::Proc;
use crate::userland::zip::{self, Entry};

/// `funzip [FILE]`: the first member of the zip archive FILE (stdin without one) on stdout;
/// gzip data is decompressed. The others are left with a warning.
pub(crate) fn funzip(p: &mut Proc, args: &[String]) -> i32 {
    let bytes = match args.first() {
        Some(name) => match p.world.read(&p.ctx, name) {
            Ok(d) => d.to_vec(),
            Err(_) => {
                p.io.err_line("funzip error: cannot find input file");
                return 2;
            }
        },
        None => p.io.stdin.clone(),
    };
    if crate::userland::gzip::is_gzip(&bytes) {
        return match crate::userland::gzip::decompress(&bytes) {
            Ok(decoded) => {
                p.io.out.extend_from_slice(&decoded.data);
                0
            }
            Err(_) => {
                p.io.err_line("funzip error: invalid compressed data--format violated");
                3
            }
        };
    }
    let entries = match zip::read(&bytes) {
        Ok(e) if bytes.starts_with(b"PK\x03\x04") && !e.is_empty() => e,
        _ => {
            p.io.err_line("funzip error: input not a zip or gzip file");
            return 3;
        }
    };
    match entries[0].contents() {
        Ok(data) => p.io.out.extend_from_slice(&data),
        Err(_) => {
            p.io.err_line("funzip error: invalid compressed data--format violated");
            return 3;
        }
    }
    if entries.len() > 1 {
        p.io.err_line("funzip warning: zipfile has more than one entry--rest ignored");
    }
    0
}

/// `zipnote ZIPFILE`: each entry's name and comment, then the archive's comment.
pub(crate) fn zipnote(p: &mut Proc, args: &[String]) -> i32 {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        p.io.err_line("zipnote error: Nothing to do!");
        return 16;
    };
    let Some(entries) = read(p, name) else {
        // What zipnote says of an archive it cannot open.
        p.io.err_line("");
        p.io.err_line("zipnote error: Interrupted (aborting)");
        return 9;
    };
    for e in &entries {
        p.out(&format!("@ {}\n@ (comment above this line)\n", e.name));
    }
    p.out("@ (zip file comment below this line)\n");
    0
}

/// `zipgrep [egrep options] PATTERN ZIPFILE [MEMBER…]`: each matching line as `MEMBER:LINE`
/// (`-n` numbers them, `-c` counts, `-l` names the members, `-v` inverts, `-i` ignores case).
pub(crate) fn zipgrep(p: &mut Proc, args: &[String]) -> i32 {
    let (mut opts, mut rest) = (Vec::new(), Vec::new());
    for a in args {
        if rest.is_empty() && a.starts_with('-') && a.len() > 1 {
            opts.extend(a.chars().skip(1));
        } else {
            rest.push(a.clone());
        }
    }
    let [pattern, archive, members @ ..] = &rest[..] else {
        p.io.err_line("usage: zipgrep [egrep_options] pattern zipfile [members...]");
        return 2;
    };
    let Some(entries) = read(p, archive) else {
        p.io.err_line(&format!("zipinfo:  cannot find or open {archive}, {archive}.zip or {archive}.ZIP."));
        return 1;
    };
    let Some(re) = Regex::new(pattern, false, opts.contains(&'i')) else {
        p.io.err_line("grep: Unmatched ( or \\(");
        return 2;
    };
    let mut matched = false;
    for e in zip::select(&entries, members, &[]) {
        if e.is_dir() {
            continue;
        }
        let text = e.contents().unwrap_or_default();
        let text = String::from_utf8_lossy(&text);
        let hits: Vec<(usize, &str)> = text.lines().enumerate().filter(|(_, l)| re.is_match(l) != opts.contains(&'v')).collect();
        matched |= !hits.is_empty();
        if opts.contains(&'l') {
            if !hits.is_empty() {
                p.out_line(&e.name);
            }
        } else if opts.contains(&'c') {
            p.out_line(&format!("{}:{}", e.name, hits.len()));
        } else {
            for (n, line) in hits {
                let number = if opts.contains(&'n') { format!("{}:", n + 1) } else { String::new() };
                p.out_line(&format!("{}:{number}{line}", e.name));
            }
        }
    }
    if matched {
        0
    } else {
        1
    }
}

/// The entries of the archive `name`, if it is one.
fn read(p: &Proc, name: &str) -> Option<Vec<Entry>> {
    let bytes = [name.to_string(), format!("{name}.zip")].iter().find_map(|n| p.world.read(&p.ctx, n).ok())?;
    zip::read(&bytes.to_vec()).ok()
}
