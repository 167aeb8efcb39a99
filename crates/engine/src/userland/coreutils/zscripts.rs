//! The helper scripts of GNU gzip and of bzip2 on the host: `zgrep`/`bzgrep` (and their `-E`
//! and `-F` kin), `zless`, `zmore`, `bzless`, `bzmore`, `zdiff`/`bzdiff`, `zcmp`/`bzcmp`, and
//! `zforce`. Each decompresses what is compressed (a plain file passes as it is) and hands it to
//! the tool it is named after, as the scripts pipe `gzip -cdfq` or `bzip2 -cdfq` into it
//! (oracle-74, oracle-80).

use super::{bytes, diff, grep, Proc};

/// Whether the script is bzip2's (`bz…`) rather than gzip's (`z…`).
fn is_bzip2_script(p: &Proc) -> bool {
    p.name.starts_with("bz")
}

/// A file's bytes, decompressed when they are gzip's or bzip2's, with the decompressor's own
/// complaint when it cannot read them.
fn plain(p: &mut Proc, file: &str, bz: bool) -> Option<Vec<u8>> {
    let data = match p.world.read(&p.ctx, file) {
        Ok(d) => super::limited(&d),
        Err(e) if bz => {
            p.io.err_line(&format!("bzip2: Can't open input file {file}: {e}."));
            return None;
        }
        Err(e) => {
            p.io.err_line(&format!("gzip: {file}: {e}"));
            return None;
        }
    };
    Some(plain_bytes(p, data))
}

/// `zgrep [GREP OPTION…] PATTERN [FILE…]`: grep through each file, named as itself when there
/// are several.
pub(super) fn zgrep(p: &mut Proc, args: &[String]) -> i32 {
    let bz = is_bzip2_script(p);
    let flag = match p.name.as_str() {
        "zegrep" | "bzegrep" => Some("-E"),
        "zfgrep" | "bzfgrep" => Some("-F"),
        _ => None,
    };
    let mut options: Vec<String> = flag.map(str::to_string).into_iter().collect();
    let mut rest = args.iter();
    let mut pattern = None;
    for a in rest.by_ref() {
        if a.starts_with('-') && a.len() > 1 {
            options.push(a.clone());
        } else {
            pattern = Some(a.clone());
            break;
        }
    }
    let files: Vec<String> = rest.cloned().collect();
    p.name = "grep".into();
    let Some(pattern) = pattern else { return grep::grep(p, &options) };
    if files.is_empty() {
        let data = std::mem::take(&mut p.io.stdin);
        p.io.stdin = plain_bytes(p, data);
        return grep::grep(p, &[options, vec![pattern]].concat());
    }
    let named = files.len() > 1;
    let mut status = 1;
    for file in files {
        let Some(data) = plain(p, &file, bz) else {
            status = if bz { 1 } else { 2 };
            continue;
        };
        p.io.stdin = data;
        let mut with = options.clone();
        with.push(format!("--label={file}"));
        if named {
            with.push("-H".into());
        }
        with.extend([pattern.clone(), "-".to_string()]);
        match grep::grep(p, &with) {
            0 => status = 0,
            2 if status != 0 => status = 2,
            _ => {}
        }
    }
    status
}

fn plain_bytes(p: &mut Proc, data: Vec<u8>) -> Vec<u8> {
    if crate::userland::bzip2::is_bzip2(&data) {
        return crate::userland::bzip2::decompress(&data).unwrap_or_else(|_| {
            p.io.err_line("bzip2: Data integrity error when decompressing.");
            Vec::new()
        });
    }
    if !crate::userland::gzip::is_gzip(&data) {
        return data;
    }
    match crate::userland::gzip::decompress(&data) {
        Ok(decoded) => decoded.data,
        Err(_) => {
            p.io.err_line("gzip: stdin: invalid compressed data--format violated");
            Vec::new()
        }
    }
}

/// `zless FILE…` and `zmore FILE…` into a pipe: the files' text; bzip2's `bzless` and `bzmore`
/// head each with its name.
pub(super) fn zpage(p: &mut Proc, args: &[String]) -> i32 {
    let bz = is_bzip2_script(p);
    let mut status = 0;
    for file in args.iter().filter(|a| !a.starts_with('-')) {
        match plain(p, file, bz) {
            Some(data) => {
                if bz {
                    p.out_line(&format!("------> {file} <------"));
                }
                p.io.write_out(&data);
            }
            None => status = 1,
        }
    }
    status
}

/// The scripts' complaint, naming themselves by their path (`$0`).
fn no_operands(p: &mut Proc, status: i32) -> i32 {
    let name = format!("/usr/bin/{}", p.name);
    p.io.err_line(&format!("{name}: invalid number of operands; try `{name} --help' for help"));
    status
}

/// `zforce FILE…`: each gzip'd file without a gzip suffix gets `.gz`, and says so.
pub(super) fn zforce(p: &mut Proc, args: &[String]) -> i32 {
    if args.is_empty() {
        return no_operands(p, 1);
    }
    for file in args {
        if [".gz", ".tgz", "-gz", ".z", "_z", ".Z"].iter().any(|s| file.ends_with(s)) {
            continue;
        }
        let gzipped = p.world.read(&p.ctx, file).is_ok_and(|d| crate::userland::gzip::is_gzip(&super::limited(&d)));
        if gzipped && p.world.rename(&p.ctx, file, &format!("{file}.gz")).is_ok() {
            p.out_line(&format!("{file} -- replaced with {file}.gz"));
        }
    }
    0
}

/// `zdiff [OPTION…] FILE1 [FILE2]` and `zcmp`: diff or cmp of the two files' text (FILE2 is
/// FILE1 without its `.gz` when not given); the second is named `-`, as the scripts pipe it in.
pub(super) fn zcompare(p: &mut Proc, args: &[String]) -> i32 {
    let (options, files): (Vec<String>, Vec<String>) = args.iter().cloned().partition(|a| a.starts_with('-') && a.len() > 1);
    let (first, second) = match &files[..] {
        [one] => (one.clone(), one.strip_suffix(".gz").or_else(|| one.strip_suffix(".bz2")).unwrap_or(one).to_string()),
        [one, two] => (one.clone(), two.clone()),
        _ => {
            return no_operands(p, 2);
        }
    };
    let bz = is_bzip2_script(p);
    let (Some(left), Some(right)) = (plain(p, &first, bz), plain(p, &second, bz)) else { return 2 };
    if p.name.ends_with("diff") {
        p.name = "diff".into();
        let unified = options.iter().any(|o| o == "-u" || o.starts_with("-U") || o == "--unified");
        let (left, right) = (String::from_utf8_lossy(&left).into_owned(), String::from_utf8_lossy(&right).into_owned());
        diff::compare_texts(p, unified, [&first, "-"], [&left, &right])
    } else {
        p.name = "cmp".into();
        let silent = options.iter().any(|o| o == "-s" || o == "--quiet" || o == "--silent");
        bytes::compare_bytes(p, silent, [&first, "-"], [&left, &right])
    }
}
