//! `unzip` (Info-ZIP's UnZip 6.00, Debian's) on the host: extracting (`creating:`,
//! `inflating:`, `extracting:`; an existing file asks, and an empty stdin answers "None"),
//! `-o`, `-n`, `-j`, `-d DIR`, `-p`, `-t`, `-q`, `-l`, `-v`, `-Z` (zipinfo), names to pick and
//! `-x` names to leave (oracle-168, oracle-169).

use super::archive::{find_archive, read_or_say, Options};
use super::listing;
use crate::fs::{Data, FileType};
use crate::userland::coreutils::Proc;
use crate::userland::zip::{self, Entry};
use crate::vfs::WriteMode;

pub(crate) fn unzip(p: &mut Proc, args: &[String]) -> i32 {
    if p.name == "zipinfo" {
        return listing::zipinfo(p, args);
    }
    // `unzip -Z…` is zipinfo: `-Z1` is its `-1`.
    if let Some(first) = args.first().filter(|a| a.starts_with("-Z")) {
        let mut rest: Vec<String> = first.get(2..).filter(|r| !r.is_empty()).map(|r| format!("-{r}")).into_iter().collect();
        rest.extend(args.iter().skip(1).cloned());
        return listing::zipinfo(p, &rest);
    }
    let mut o = Options::default();
    let mut operands = Vec::new();
    let mut excluded = Vec::new();
    let mut i = 0;
    let mut excluding = false;
    while let Some(a) = args.get(i) {
        i += 1;
        if a.len() > 1 && a.starts_with('-') && !excluding || a == "-x" {
            for (k, c) in a.char_indices().skip(1) {
                match c {
                    'l' => o.list = true,
                    'v' => o.verbose = true,
                    't' => o.test = true,
                    'p' => o.pipe = true,
                    'o' => o.overwrite = Some(true),
                    'n' => o.overwrite = Some(false),
                    'j' => o.junk_paths = true,
                    'q' => o.quiet += 1,
                    'x' => excluding = true,
                    'd' => {
                        let rest = a.get(k + 1..).unwrap_or("");
                        o.exdir = if rest.is_empty() { args.get(i).cloned().inspect(|_| i += 1) } else { Some(rest.to_string()) };
                        break;
                    }
                    _ => {}
                }
            }
            continue;
        }
        if excluding && !operands.is_empty() {
            excluded.push(a.clone());
        } else {
            operands.push(a.clone());
        }
    }
    let Some((archive, wanted)) = operands.split_first() else {
        p.out(USAGE);
        return 0;
    };
    if o.pipe {
        // Extracting to a pipe is quiet: nothing but the data reaches stdout.
        o.quiet = 2;
    }
    let Some((name, bytes)) = find_archive(p, archive, &o) else { return 9 };
    let entries = match read_or_say(p, &o, &name, &bytes) {
        Ok(entries) => entries,
        Err(status) => return status,
    };
    let chosen = zip::select(&entries, wanted, &excluded);
    let unmatched: Vec<&String> = wanted.iter().filter(|w| !entries.iter().any(|e| zip::name_matches(w, &e.name))).collect();
    let status = if o.list || o.verbose {
        listing::list(p, &o, &name, &chosen, bytes.len() as u64)
    } else if o.test {
        test(p, &o, &name, &chosen)
    } else if o.pipe {
        for e in &chosen {
            if let Ok(data) = e.contents() {
                p.io.write_out(&data);
            }
        }
        0
    } else {
        extract(p, &o, &name, &chosen)
    };
    for w in &unmatched {
        p.io.err_line(&format!("caution: filename not matched:  {w}"));
    }
    if !unmatched.is_empty() {
        return 11;
    }
    status
}

/// `-t`: each entry decompressed and checked against its CRC.
fn test(p: &mut Proc, o: &Options, name: &str, chosen: &[&Entry]) -> i32 {
    if o.quiet < 2 {
        p.out(&format!("Archive:  {name}\n"));
    }
    let mut bad = 0;
    for e in chosen {
        let verdict = match e.contents() {
            Ok(_) => "OK".to_string(),
            Err(zip::DataError::Crc) => format!("bad CRC {:08x}  (should be {:08x})", 0, e.crc),
            Err(_) => "bad".to_string(),
        };
        if verdict != "OK" {
            bad += 1;
        }
        if o.quiet == 0 {
            p.out(&format!("    testing: {:<24} {verdict}\n", e.name));
        }
    }
    if bad == 0 {
        if o.quiet < 2 {
            p.out(&format!("No errors detected in compressed data of {name}.\n"));
        }
        0
    } else {
        p.out(&format!("At least one error was detected in {name}.\n"));
        2
    }
}

/// Extraction: directories made, files written with the archive's mode and time; a file that
/// exists is asked about, and an empty stdin answers "None" for the rest.
fn extract(p: &mut Proc, o: &Options, name: &str, chosen: &[&Entry]) -> i32 {
    if o.quiet == 0 {
        p.out(&format!("Archive:  {name}\n"));
    }
    let base = o.exdir.clone().map(|d| format!("{}/", d.trim_end_matches('/'))).unwrap_or_default();
    if let Some(dir) = &o.exdir {
        crate::userland::coreutils::files::make_dirs(p, dir);
    }
    let mut skip_existing = o.overwrite == Some(false);
    let mut status = 0;
    for e in chosen {
        let relative =
            if o.junk_paths { e.name.rsplit('/').find(|s| !s.is_empty()).unwrap_or(&e.name).to_string() } else { e.name.clone() };
        let path = format!("{base}{relative}");
        if e.is_dir() {
            if o.junk_paths {
                continue;
            }
            if !p.world.exists(&p.ctx, &path) {
                crate::userland::coreutils::files::make_dirs(p, path.trim_end_matches('/'));
                if o.quiet == 0 {
                    p.out(&format!("   creating: {path}\n"));
                }
            }
            continue;
        }
        if p.world.stat(&p.ctx, &path, false).is_ok() && o.overwrite != Some(true) {
            if skip_existing {
                continue;
            }
            p.io.err_line(&format!("replace {path}? [y]es, [n]o, [A]ll, [N]one, [r]ename:  NULL"));
            p.io.err_line("(EOF or read error, treating as \"[N]one\" ...)");
            skip_existing = true;
            status = 1;
            continue;
        }
        let Ok(data) = e.contents() else {
            p.out(&format!("  error:  invalid compressed data to inflate {path}\n"));
            status = 2;
            continue;
        };
        if let Some(parent) = path.rsplit_once('/').map(|(d, _)| d).filter(|d| !d.is_empty()) {
            if !p.world.exists(&p.ctx, parent) {
                crate::userland::coreutils::files::make_dirs(p, parent);
            }
        }
        if o.quiet == 0 {
            let verb = if e.method == zip::Method::Stored { " extracting" } else { "  inflating" };
            p.out(&format!("{verb}: {path:<23} \n"));
        }
        let _ = p.world.remove(&p.ctx, &path, false);
        if let Err(err) = p.world.write_file(&p.ctx, &path, &Data::from_bytes(&data), WriteMode::Truncate) {
            p.io.err_line(&format!("error:  cannot create {path}\n        {err}"));
            status = 50;
            continue;
        }
        let (mode, mtime) = (e.mode.filter(|m| m & 0o170000 == 0o100000 || m & 0o170000 == 0).map(|m| m & 0o7777), e.mtime());
        let _ = p.world.set_meta(&p.ctx, &path, false, &mut |i| {
            if let Some(mode) = mode {
                i.mode = (i.mode & !0o7777) | mode;
            }
            i.mtime = mtime;
        });
    }
    // Directories get their times last, once their files are in.
    for e in chosen.iter().filter(|e| e.is_dir() && !o.junk_paths) {
        let path = format!("{base}{}", e.name.trim_end_matches('/'));
        let mtime = e.mtime();
        if p.world.stat(&p.ctx, &path, false).is_ok_and(|s| s.ftype == FileType::Dir) {
            let _ = p.world.set_meta(&p.ctx, &path, false, &mut |i| i.mtime = mtime);
        }
    }
    status
}

const USAGE: &str = r#"UnZip 6.00 of 20 April 2009, by Debian. Original by Info-ZIP.

Usage: unzip [-Z] [-opts[modifiers]] file[.zip] [list] [-x xlist] [-d exdir]
  Default action is to extract files in list, except those in xlist, to exdir;
  file[.zip] may be a wildcard.  -Z => ZipInfo mode ("unzip -Z" for usage).

  -p  extract files to pipe, no messages     -l  list files (short format)
  -f  freshen existing files, create none    -t  test compressed archive data
  -u  update files, create if necessary      -z  display archive comment only
  -v  list verbosely/show version info       -T  timestamp archive to latest
  -x  exclude files that follow (in xlist)   -d  extract files into exdir
modifiers:
  -n  never overwrite existing files         -q  quiet mode (-qq => quieter)
  -o  overwrite files WITHOUT prompting      -a  auto-convert any text files
  -j  junk paths (do not make directories)   -aa treat ALL files as text
  -U  use escapes for all non-ASCII Unicode  -UU ignore any Unicode fields
  -C  match filenames case-insensitively     -L  make (some) names lowercase
  -X  restore UID/GID info                   -V  retain VMS version numbers
  -K  keep setuid/setgid/tacky permissions   -M  pipe through "more" pager
See "unzip -hh" or unzip.txt for more help.  Examples:
  unzip data1 -x joe   => extract all files except joe from zipfile data1.zip
  unzip -p foo | more  => send contents of foo.zip via pipe into program more
  unzip -fo foo ReadMe => quietly replace existing ReadMe if archive file newer
"#;
