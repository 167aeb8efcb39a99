//! What unzip says of an archive without extracting it: `-l` (length, date, name), `-v` (with
//! method, compressed size, ratio and CRC) and zipinfo's `ls -l`-like lines (`unzip -Z`,
//! `zipinfo` with `-1`, `-l`, `-h`, `-t`), dates as Debian's UnZip prints them.

use super::archive::{find_archive, read_or_say, Options};
use crate::userland::coreutils::Proc;
use crate::userland::zip::{self, Entry};

/// `YYYY-MM-DD HH:MM` of an entry's DOS time.
fn date_time(e: &Entry) -> String {
    let (y, mo, d, h, mi) = zip::dos_parts(e.dos_time);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")
}

/// "1 file" or "N files".
fn files(n: usize) -> String {
    if n == 1 {
        "1 file".into()
    } else {
        format!("{n} files")
    }
}

/// unzip's ratio column: what compression saved, in whole percent (negative when it grew).
fn ratio(size: u64, compressed: u64) -> String {
    if size == 0 {
        return "0%".into();
    }
    let saved = 100.0 - 100.0 * compressed as f64 / size as f64;
    format!("{:.0}%", saved.round())
}

/// How an entry was compressed, as `-v` names it.
fn method(e: &Entry) -> String {
    match e.method {
        zip::Method::Stored => "Stored".into(),
        zip::Method::Deflated => format!("Defl:{}", level_letter(e)),
        zip::Method::Other(m) => format!("Unk:{m:03}"),
    }
}

/// The deflate level the flags record: Normal, maXimum, Fast, Superfast.
fn level_letter(e: &Entry) -> char {
    match (e.flags >> 1) & 3 {
        1 => 'X',
        2 => 'F',
        3 => 'S',
        _ => 'N',
    }
}

/// `unzip -l` and `unzip -v`.
pub(super) fn list(p: &mut Proc, o: &Options, name: &str, chosen: &[&Entry], _archive_len: u64) -> i32 {
    let mut out = String::new();
    if o.quiet < 2 {
        out.push_str(&format!("Archive:  {name}\n"));
    }
    let (size, compressed): (u64, u64) = (chosen.iter().map(|e| e.size).sum(), chosen.iter().map(|e| e.compressed).sum());
    if o.verbose {
        if o.quiet < 2 {
            out.push_str(" Length   Method    Size  Cmpr    Date    Time   CRC-32   Name\n");
            out.push_str("--------  ------  ------- ---- ---------- ----- --------  ----\n");
        }
        for e in chosen {
            out.push_str(&format!(
                "{:>8}  {:<6} {:>8} {:>4} {} {:08x}  {}\n",
                e.size,
                method(e),
                e.compressed,
                ratio(e.size, e.compressed),
                date_time(e),
                e.crc,
                e.name
            ));
        }
        if o.quiet < 2 {
            out.push_str("--------          -------  ---                            -------\n");
            out.push_str(&format!(
                "{size:>8}         {compressed:>8} {:>4}                            {}\n",
                ratio(size, compressed),
                files(chosen.len())
            ));
        }
    } else {
        if o.quiet < 2 {
            out.push_str("  Length      Date    Time    Name\n");
            out.push_str("---------  ---------- -----   ----\n");
        }
        for e in chosen {
            out.push_str(&format!("{:>9}  {}   {}\n", e.size, date_time(e), e.name));
        }
        if o.quiet < 2 {
            out.push_str("---------                     -------\n");
            out.push_str(&format!("{size:>9}                     {}\n", files(chosen.len())));
        }
    }
    p.out(&out);
    0
}

/// `ls -l`'s mode string of an entry's Unix mode.
fn mode_string(mode: u32) -> String {
    let kind = match mode & 0o170000 {
        0o040000 => 'd',
        0o120000 => 'l',
        _ => '-',
    };
    let mut s = String::from(kind);
    for (shift, special, set_char) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        let x = bits & 1 != 0;
        s.push(match (mode & special != 0, x) {
            (true, true) => set_char,
            (true, false) => set_char.to_ascii_uppercase(),
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    s
}

/// zipinfo's short date: `24-May-06 07:08`.
fn short_date(e: &Entry) -> String {
    let (y, mo, d, h, mi) = zip::dos_parts(e.dos_time);
    let month = crate::clock::MONTHS[(mo as usize).saturating_sub(1) % 12];
    format!("{:02}-{month}-{d:02} {h:02}:{mi:02}", y % 100)
}

/// `zipinfo [-1|-l|-h|-t] ARCHIVE`.
pub(super) fn zipinfo(p: &mut Proc, args: &[String]) -> i32 {
    let (mut names_only, mut long, mut header_only, mut totals_only) = (false, false, false, false);
    let mut operands = Vec::new();
    for a in args {
        match a.as_str() {
            "-1" => names_only = true,
            "-l" => long = true,
            "-h" => header_only = true,
            "-t" => totals_only = true,
            "-s" | "-m" => {}
            _ => operands.push(a.clone()),
        }
    }
    let Some(archive) = operands.first() else {
        p.out("ZipInfo 3.00 of 20 April 2009, by Greg Roelofs and the Info-ZIP group.\n");
        return 0;
    };
    let quiet = Options { quiet: u8::from(names_only) * 2, zipinfo: true, ..Options::default() };
    let Some((name, bytes)) = find_archive(p, archive, &quiet) else { return 9 };
    let entries = match read_or_say(p, &quiet, &name, &bytes) {
        Ok(entries) => entries,
        Err(status) => {
            if status == 1 && !names_only {
                p.out(&format!("Zip file size: {} bytes, number of entries: 0\nEmpty zipfile.\n", bytes.len()));
            }
            return status;
        }
    };
    let mut out = String::new();
    if names_only {
        for e in &entries {
            out.push_str(&format!("{}\n", e.name));
        }
        p.out(&out);
        return 0;
    }
    let whole = !(header_only || totals_only);
    if whole || header_only {
        out.push_str(&format!("Archive:  {name}\nZip file size: {} bytes, number of entries: {}\n", bytes.len(), entries.len()));
    }
    if whole {
        for e in &entries {
            let mode = e.mode.map_or_else(|| "----------".to_string(), mode_string);
            let kind = format!("{}{}", if e.text { 't' } else { 'b' }, if e.extra { 'x' } else { '-' });
            let how = match e.method {
                zip::Method::Stored => "stor".to_string(),
                zip::Method::Deflated => format!("def{}", level_letter(e)),
                zip::Method::Other(_) => "unkn".to_string(),
            };
            let compressed = if long { format!(" {:>8}", e.compressed) } else { String::new() };
            let version = format!("{}.{}", (e.made_by & 0xff) / 10, (e.made_by & 0xff) % 10);
            out.push_str(&format!("{mode}  {version} unx {:>8} {kind}{compressed} {how} {} {}\n", e.size, short_date(e), e.name));
        }
    }
    if whole || totals_only {
        let (size, compressed): (u64, u64) = (entries.iter().map(|e| e.size).sum(), entries.iter().map(|e| e.compressed).sum());
        let saved = if size == 0 { 0.0 } else { 100.0 * (1.0 - compressed as f64 / size as f64) };
        out.push_str(&format!("{}, {size} bytes uncompressed, {compressed} bytes compressed: {saved:5.1}%\n", files(entries.len())));
    }
    p.out(&out);
    0
}
