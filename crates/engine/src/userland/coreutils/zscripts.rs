//! The helper scripts of GNU gzip, bzip2 and XZ Utils on the host: `zgrep`/`bzgrep`/`xzgrep`/
//! `lzgrep` (and their `-E` and `-F` kin), `zless`, `zmore`, `bzless`, `bzmore`, `xzless`,
//! `xzmore`, `zdiff`/`bzdiff`/`xzdiff`, `zcmp`/`bzcmp`/`xzcmp` (and `lz…`), and `zforce`. Each
//! decompresses what is compressed (a plain file passes as it is) and hands it to the tool it is
//! named after, as the scripts pipe `gzip -cdfq`, `bzip2 -cdfq` or `xz -cdfq` into it
//! (oracle-74, oracle-80, oracle-166).

use super::{bytes, diff, grep, Proc};

/// Whose script it is: gzip's (`z…`), bzip2's (`bz…`) or XZ Utils' (`xz…`, `lz…`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Gzip,
    Bzip2,
    Xz,
}

fn family(p: &Proc) -> Family {
    if p.name.starts_with("bz") {
        Family::Bzip2
    } else if p.name.starts_with("xz") || p.name.starts_with("lz") {
        Family::Xz
    } else {
        Family::Gzip
    }
}

/// What decompresses `file` in XZ Utils' scripts: chosen by its suffix, xz (which passes plain
/// data through) for the rest.
fn xz_script_tool(file: &str) -> Family {
    if [".gz", "-gz", ".z", "-z", "_z", ".Z", ".tgz"].iter().any(|s| file.ends_with(s)) {
        Family::Gzip
    } else if [".bz2", ".tbz", ".tbz2"].iter().any(|s| file.ends_with(s)) {
        Family::Bzip2
    } else {
        Family::Xz
    }
}

/// A file's bytes, decompressed when they are compressed, with the decompressor's own
/// complaint when it cannot read them.
fn plain(p: &mut Proc, file: &str, family: Family) -> Option<Vec<u8>> {
    let tool = if family == Family::Xz { xz_script_tool(file) } else { family };
    let data = match p.world.read(&p.ctx, file) {
        Ok(d) => super::limited(&d),
        Err(e) => {
            p.io.err_line(&match tool {
                Family::Bzip2 => format!("bzip2: Can't open input file {file}: {e}."),
                Family::Gzip => format!("gzip: {file}: {e}"),
                Family::Xz => format!("xz: {file}: {e}"),
            });
            return None;
        }
    };
    Some(plain_bytes(p, data))
}

/// `zgrep [GREP OPTION…] PATTERN [FILE…]`: grep through each file, named as itself when there
/// are several.
pub(super) fn zgrep(p: &mut Proc, args: &[String]) -> i32 {
    let family = family(p);
    let flag = match p.name.as_str() {
        "zegrep" | "bzegrep" | "xzegrep" | "lzegrep" => Some("-E"),
        "zfgrep" | "bzfgrep" | "xzfgrep" | "lzfgrep" => Some("-F"),
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
    if pattern.is_none() && family == Family::Xz {
        // The script stops in dash, which names its line.
        let name = p.name.clone();
        p.io.err_line(&format!("/usr/bin/{name}: 159: 1: Missing pattern; try `{name} --help' for help"));
        return 2;
    }
    p.name = "grep".into();
    let Some(pattern) = pattern else { return grep::grep(p, &options) };
    if files.is_empty() {
        let data = std::mem::take(&mut p.io.stdin);
        p.io.stdin = plain_bytes(p, data);
        return grep::grep(p, &[options, vec![pattern]].concat());
    }
    let named = files.len() > 1 && !options.iter().any(|o| o == "-h" || o == "--no-filename");
    let mut status = 1;
    for file in files {
        let Some(data) = plain(p, &file, family) else {
            status = if family == Family::Bzip2 { 1 } else { 2 };
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
    if crate::userland::xz::is_xz(&data) || crate::userland::xz::is_lzma(&data) {
        let decoded = crate::userland::xz::decode(&data, None);
        if let Err(e) = decoded.result {
            p.io.err_line(&format!("xz: (stdin): {}", e.message()));
        }
        return decoded.data;
    }
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
    let family = family(p);
    // bzip2's pagers and `xzmore` head each file with its name; `xzless` runs less, which does not.
    let named = family == Family::Bzip2 || p.name.ends_with("more");
    let mut status = 0;
    for file in args.iter().filter(|a| !a.starts_with('-')) {
        match plain(p, file, family) {
            Some(data) => {
                if named && family != Family::Gzip {
                    p.out_line(&format!("------> {file} <------"));
                }
                p.io.write_out(&data);
            }
            None => status = 1,
        }
    }
    status
}

/// The scripts' complaint, naming themselves by their path (`$0`); XZ Utils' capitalised and
/// pointing at the bare name.
fn no_operands(p: &mut Proc, status: i32) -> i32 {
    let name = format!("/usr/bin/{}", p.name);
    if family(p) == Family::Xz {
        p.io.err_line(&format!("{name}: Invalid number of operands; try `{} --help' for help", p.name));
    } else {
        p.io.err_line(&format!("{name}: invalid number of operands; try `{name} --help' for help"));
    }
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
/// XZ Utils' scripts name a first file they decompressed too `/dev/fd/5`, and a plain one as
/// itself.
pub(super) fn zcompare(p: &mut Proc, args: &[String]) -> i32 {
    let (options, files): (Vec<String>, Vec<String>) = args.iter().cloned().partition(|a| a.starts_with('-') && a.len() > 1);
    const SUFFIXES: [&str; 6] = [".gz", ".bz2", ".xz", ".lzma", ".txz", ".tlz"];
    let family = family(p);
    let compressed = |f: &str| SUFFIXES.iter().any(|s| f.ends_with(s));
    let (first, second, names) = match &files[..] {
        [one] => {
            let strips = if family == Family::Xz { &SUFFIXES[..] } else { &SUFFIXES[..2] };
            let stem = strips.iter().find_map(|s| one.strip_suffix(s)).unwrap_or(one).to_string();
            let names = if family == Family::Xz { ["-".to_string(), stem.clone()] } else { [one.clone(), "-".to_string()] };
            (one.clone(), stem, names)
        }
        [one, two] => {
            let names = match (family, compressed(one), compressed(two)) {
                (Family::Xz, true, true) => ["/dev/fd/5".to_string(), "-".to_string()],
                (Family::Xz, true, false) => ["-".to_string(), two.clone()],
                (Family::Xz, false, true) => [one.clone(), "-".to_string()],
                (Family::Xz, false, false) => [one.clone(), two.clone()],
                _ => [one.clone(), "-".to_string()],
            };
            (one.clone(), two.clone(), names)
        }
        _ => {
            return no_operands(p, 2);
        }
    };
    let (Some(left), Some(right)) = (plain(p, &first, family), plain(p, &second, family)) else { return 2 };
    let [name1, name2] = &names;
    if p.name.ends_with("diff") {
        p.name = "diff".into();
        let unified = options.iter().any(|o| o == "-u" || o.starts_with("-U") || o == "--unified");
        let (left, right) = (String::from_utf8_lossy(&left).into_owned(), String::from_utf8_lossy(&right).into_owned());
        diff::compare_texts(p, unified, [name1, name2], [&left, &right])
    } else {
        p.name = "cmp".into();
        let silent = options.iter().any(|o| o == "-s" || o == "--quiet" || o == "--silent");
        bytes::compare_bytes(p, silent, [name1, name2], [&left, &right])
    }
}
