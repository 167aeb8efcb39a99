//! `zip` (Info-ZIP's zip 3.0 on the host): files and trees (`-r`) added to an archive, made or
//! updated in place (`updating:` an entry it has, `-u` only when newer), `-d` deleting entries,
//! `-m` moving files in, `-j` dropping directories, `-0`…`-9`, `-X`, `-y`, `-D`, `-q`
//! (oracle-168). zip tells what it does on stdout, its warnings too; the reason a file could
//! not be read goes to stderr.

use crate::fs::{Data, Errno, FileType};
use crate::userland::coreutils::Proc;
use crate::userland::zip::{self, Entry, Source};
use crate::vfs::WriteMode;

/// zip's exit statuses.
const NOTHING_TO_DO: i32 = 12;
const NOT_ALL_READ: i32 = 18;
const BAD_OPTION: i32 = 16;

#[derive(Default)]
struct Options {
    recurse: bool,
    quiet: bool,
    junk_paths: bool,
    level: Option<u8>,
    update: bool,
    delete: bool,
    move_files: bool,
    bare: bool,
    links: bool,
    no_dirs: bool,
}

pub(crate) fn zip(p: &mut Proc, args: &[String]) -> i32 {
    let mut o = Options::default();
    let mut operands = Vec::new();
    for a in args {
        if let Some(long) = a.strip_prefix("--") {
            match long {
                "recurse-paths" => o.recurse = true,
                "quiet" => o.quiet = true,
                "junk-paths" => o.junk_paths = true,
                "update" => o.update = true,
                "delete" => o.delete = true,
                "move" => o.move_files = true,
                "no-extra" => o.bare = true,
                "symlinks" => o.links = true,
                "no-dir-entries" => o.no_dirs = true,
                "help" => return help(p),
                _ => {
                    p.out(&format!("\nzip error: Invalid command arguments (long option '{long}' not supported)\n"));
                    return BAD_OPTION;
                }
            }
        } else if a.len() > 1 && a.starts_with('-') {
            for c in a.chars().skip(1) {
                match c {
                    'r' => o.recurse = true,
                    'q' => o.quiet = true,
                    'j' => o.junk_paths = true,
                    'u' => o.update = true,
                    'd' => o.delete = true,
                    'm' => o.move_files = true,
                    'X' => o.bare = true,
                    'y' => o.links = true,
                    'D' => o.no_dirs = true,
                    'h' => return help(p),
                    '0'..='9' => o.level = Some(c as u8 - b'0'),
                    _ => {
                        p.out(&format!("\nzip error: Invalid command arguments (short option '{c}' not supported)\n"));
                        return BAD_OPTION;
                    }
                }
            }
        } else {
            operands.push(a.clone());
        }
    }
    let Some((archive, names)) = operands.split_first() else { return help(p) };
    // zip adds `.zip` to an archive named without a suffix.
    let archive =
        if archive.rsplit('/').next().is_some_and(|base| base.contains('.')) { archive.clone() } else { format!("{archive}.zip") };
    let mut entries = match p.world.read(&p.ctx, &archive) {
        Ok(bytes) => match zip::read(&bytes.to_vec()) {
            Ok(entries) => entries,
            Err(_) => {
                p.out(&format!("\nzip error: Zip file structure invalid ({archive})\n"));
                return 3;
            }
        },
        Err(_) => Vec::new(),
    };
    if o.delete {
        return delete(p, &o, &archive, &mut entries, names);
    }
    let mut items = Vec::new();
    let mut matched_any = false;
    for name in names {
        if gather(p, &o, name, &mut items) {
            matched_any = true;
        } else if !o.quiet {
            p.out(&format!("\tzip warning: name not matched: {name}\n"));
        }
    }
    if !matched_any {
        let hint = match names.first() {
            Some(n) if o.recurse => format!("try: zip -r {archive} . -i {n}"),
            _ => archive.clone(),
        };
        p.out(&format!("\nzip error: Nothing to do! ({hint})\n"));
        return NOTHING_TO_DO;
    }
    let mut changed = false;
    let mut moved = Vec::new();
    let mut skipped = (0, 0);
    let level = o.level.unwrap_or(6);
    for item in items {
        let (path, mut source) = match item {
            Item::Unreadable(path, e, size) => {
                if !o.quiet {
                    p.out(&format!("  adding: {}\n", stored_name(&o, &path, false)));
                }
                p.out(&format!("\tzip warning: could not open for reading: {path}\n"));
                p.io.err_line(&format!("zip warning: {e}"));
                skipped = (skipped.0 + 1, skipped.1 + size);
                continue;
            }
            Item::Source(path, source) => (path, source),
        };
        source.level = level;
        source.bare = o.bare;
        let existing = entries.iter().position(|e| e.name == source.name);
        if o.update && existing.is_some_and(|at| entries[at].mtime() >= source.mtime) {
            continue;
        }
        let entry = zip::entry(&source);
        if !o.quiet {
            let verb = if existing.is_some() { "updating" } else { "  adding" };
            p.out(&format!("{verb}: {} ({})\n", source.name, how(&entry)));
        }
        match existing {
            Some(at) => entries[at] = entry,
            None => entries.push(entry),
        }
        changed = true;
        moved.push(path);
    }
    if !changed && skipped.0 == 0 {
        // `-u` with nothing newer says nothing.
        if !o.update {
            p.out(&format!("\nzip error: Nothing to do! ({archive})\n"));
        }
        return NOTHING_TO_DO;
    }
    if let Err(e) = p.world.write_file(&p.ctx, &archive, &Data::from_bytes(&zip::write(&entries)), WriteMode::Truncate) {
        p.out(&format!("\nzip I/O error: {e}\n\nzip error: Could not create output file ({archive})\n"));
        return 15;
    }
    if o.move_files {
        // Files first, then the directories they emptied.
        moved.sort_by_key(|path| std::cmp::Reverse(path.len()));
        for path in moved {
            let dir = p.world.stat(&p.ctx, &path, false).is_ok_and(|s| s.ftype == FileType::Dir);
            let _ = p.world.remove(&p.ctx, &path, dir);
        }
    }
    if skipped.0 > 0 {
        let bytes: u64 = entries.iter().map(|e| e.size).sum();
        p.out("\nzip warning: Not all files were readable\n");
        p.out(&format!("  files/entries read:  {} ({})  skipped:  {} ({})\n", entries.len(), human(bytes), skipped.0, human(skipped.1)));
        return NOT_ALL_READ;
    }
    0
}

/// How an entry was kept: `stored 0%` or `deflated 53%`.
fn how(e: &Entry) -> String {
    match e.method {
        zip::Method::Deflated => format!("deflated {}%", zip::percent(e.size, e.compressed)),
        _ => "stored 0%".to_string(),
    }
}

/// zip's byte counts in its summary: `2 bytes`, then K, M… with one decimal.
fn human(bytes: u64) -> String {
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut v = bytes as f64;
    for unit in ["K", "M", "G", "T"] {
        v /= 1024.0;
        if v < 1000.0 {
            return format!("{v:.1}{unit}");
        }
    }
    format!("{v:.1}P")
}

/// The name a path has in the archive: no leading `/` or `./`, no directories with `-j`.
fn stored_name(o: &Options, path: &str, dir: bool) -> String {
    let mut name = path.trim_start_matches('/');
    while let Some(rest) = name.strip_prefix("./") {
        name = rest;
    }
    let name = if o.junk_paths { name.rsplit('/').next().unwrap_or(name) } else { name };
    if dir {
        format!("{}/", name.trim_end_matches('/'))
    } else {
        name.to_string()
    }
}

/// What zip found to add, in the order it reads it.
enum Item {
    Source(String, Source),
    /// A file it could not read: its path, why, and its size.
    Unreadable(String, Errno, u64),
}

/// Adds what `path` names (its tree with `-r`); false when there is nothing by that name.
fn gather(p: &mut Proc, o: &Options, path: &str, out: &mut Vec<Item>) -> bool {
    let follow = !o.links;
    let Ok(st) = p.world.stat(&p.ctx, path, follow) else { return false };
    let source = |name: String, data: Vec<u8>| Source {
        name,
        data,
        mode: st.mode | file_type_bits(st.ftype),
        mtime: st.mtime,
        atime: st.mtime,
        uid: st.uid,
        gid: st.gid,
        level: 6,
        bare: false,
    };
    match st.ftype {
        FileType::Dir => {
            if !(o.no_dirs || o.junk_paths) && path != "." {
                out.push(Item::Source(path.to_string(), source(stored_name(o, path, true), Vec::new())));
            }
            if !o.recurse {
                return true;
            }
            let Ok(loc) = p.world.resolve(&p.ctx, path, true) else { return true };
            let children = p.world.list(&p.ctx, &loc).unwrap_or_default();
            for (child, _) in children {
                let child_path = if path == "." { child } else { format!("{}/{child}", path.trim_end_matches('/')) };
                gather(p, o, &child_path, out);
            }
            true
        }
        FileType::Symlink => {
            let target = st.symlink.clone().unwrap_or_default();
            out.push(Item::Source(path.to_string(), source(stored_name(o, path, false), target.into_bytes())));
            true
        }
        _ => {
            match p.world.read(&p.ctx, path) {
                Ok(d) => out.push(Item::Source(path.to_string(), source(stored_name(o, path, false), d.to_vec()))),
                Err(e) => out.push(Item::Unreadable(path.to_string(), e, st.size)),
            }
            true
        }
    }
}

/// The file-type bits of `st_mode` for a kind of file.
fn file_type_bits(kind: FileType) -> u32 {
    match kind {
        FileType::Dir => 0o040000,
        FileType::Symlink => 0o120000,
        _ => 0o100000,
    }
}

/// `zip -d ARCHIVE PATTERN…`: the entries the patterns match leave the archive.
fn delete(p: &mut Proc, o: &Options, archive: &str, entries: &mut Vec<Entry>, patterns: &[String]) -> i32 {
    let mut any = false;
    for pattern in patterns {
        if !entries.iter().any(|e| zip::name_matches(pattern, &e.name)) {
            p.out(&format!("\tzip warning: name not matched: {pattern}\n"));
        } else {
            any = true;
        }
    }
    if !any {
        p.out(&format!("\nzip error: Nothing to do! ({archive})\n"));
        return NOTHING_TO_DO;
    }
    let (gone, kept): (Vec<Entry>, Vec<Entry>) =
        std::mem::take(entries).into_iter().partition(|e| patterns.iter().any(|pat| zip::name_matches(pat, &e.name)));
    if !o.quiet {
        for e in &gone {
            p.out(&format!("deleting: {}\n", e.name));
        }
    }
    if kept.is_empty() {
        p.out("\tzip warning: zip file empty\n");
    }
    *entries = kept;
    let _ = p.world.write_file(&p.ctx, archive, &Data::from_bytes(&zip::write(entries)), WriteMode::Truncate);
    0
}

/// `zip -h` (and `zip` alone on a terminal): the first lines of its help.
fn help(p: &mut Proc) -> i32 {
    p.out(HELP);
    0
}

const HELP: &str = "Copyright (c) 1990-2008 Info-ZIP - Type 'zip \"-L\"' for software license.
Zip 3.0 (July 5th 2008). Usage:
zip [-options] [-b path] [-t mmddyyyy] [-n suffixes] [zipfile list] [-xi list]
  The default action is to add or replace zipfile entries from list, which
  can include the special name - to compress standard input.
  If zipfile and list are omitted, zip compresses stdin to stdout.
  -f   freshen: only changed files  -u   update: only changed or new files
  -d   delete entries in zipfile    -m   move into zipfile (delete OS files)
  -r   recurse into directories     -j   junk (don't record) directory names
  -0   store only                   -l   convert LF to CR LF (-ll CR LF to LF)
  -1   compress faster              -9   compress better
  -q   quiet operation              -v   verbose operation/print version info
  -c   add one-line comments        -z   add zipfile comment
  -@   read names from stdin        -o   make zipfile as old as latest entry
  -x   exclude the following names  -i   include only the following names
  -F   fix zipfile (-FF try harder) -D   do not add directory entries
  -A   adjust self-extracting exe   -J   junk zipfile prefix (unzipsfx)
  -T   test zipfile integrity       -X   eXclude eXtra file attributes
  -y   store symbolic links as the link instead of the referenced file
  -e   encrypt                      -n   don't compress these suffixes
  -h2  show more help
  \n";
