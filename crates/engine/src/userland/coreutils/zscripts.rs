//! GNU gzip's helper scripts on the host: `zgrep` (and `zegrep`, `zfgrep`), `zless` and `zmore`,
//! `zdiff` and `zcmp`. Each decompresses what is gzip'd (a plain file passes as it is) and hands
//! it to the tool it is named after, as the scripts pipe `gzip -cdfq` into it (oracle-74).

use super::{bytes, diff, grep, read_input, Proc};

/// A file's bytes, decompressed when they are gzip's.
fn plain(p: &mut Proc, file: &str) -> Option<Vec<u8>> {
    let data = read_input(p, file)?;
    if !crate::userland::gzip::is_gzip(&data) {
        return Some(data);
    }
    match crate::userland::gzip::decompress(&data) {
        Ok(decoded) => Some(decoded.data),
        Err(_) => {
            p.io.err_line(&format!("gzip: {file}: invalid compressed data--format violated"));
            None
        }
    }
}

/// `zgrep [GREP OPTION…] PATTERN [FILE…]`: grep through each file, named as itself when there
/// are several.
pub(super) fn zgrep(p: &mut Proc, args: &[String]) -> i32 {
    let flag = match p.name.as_str() {
        "zegrep" => Some("-E"),
        "zfgrep" => Some("-F"),
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
        let Some(data) = plain(p, &file) else {
            status = 2;
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

/// `zless FILE…` and `zmore FILE…` into a pipe: the files' text.
pub(super) fn zpage(p: &mut Proc, args: &[String]) -> i32 {
    let mut status = 0;
    for file in args.iter().filter(|a| !a.starts_with('-')) {
        match plain(p, file) {
            Some(data) => p.io.write_out(&data),
            None => status = 1,
        }
    }
    status
}

/// `zdiff [OPTION…] FILE1 [FILE2]` and `zcmp`: diff or cmp of the two files' text (FILE2 is
/// FILE1 without its `.gz` when not given); the second is named `-`, as the scripts pipe it in.
pub(super) fn zcompare(p: &mut Proc, args: &[String]) -> i32 {
    let (options, files): (Vec<String>, Vec<String>) = args.iter().cloned().partition(|a| a.starts_with('-') && a.len() > 1);
    let (first, second) = match &files[..] {
        [one] => (one.clone(), one.strip_suffix(".gz").unwrap_or(one).to_string()),
        [one, two] => (one.clone(), two.clone()),
        _ => {
            let name = p.name.clone();
            p.io.err_line(&format!("{name}: invalid number of operands; try `{name} --help' for help"));
            return 2;
        }
    };
    let (Some(left), Some(right)) = (plain(p, &first), plain(p, &second)) else { return 2 };
    if p.name == "zdiff" {
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
