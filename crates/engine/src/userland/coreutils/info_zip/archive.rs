//! What unzip and zipinfo share: their options, finding the archive (`NAME`, `NAME.zip`,
//! `NAME.ZIP`) and reading it, with unzip's words on what is missing, empty or not an archive.

use crate::userland::coreutils::Proc;
use crate::userland::zip::{self, Entry};

#[derive(Default)]
pub(super) struct Options {
    pub list: bool,
    pub verbose: bool,
    pub test: bool,
    pub pipe: bool,
    pub overwrite: Option<bool>,
    pub junk_paths: bool,
    pub quiet: u8,
    pub exdir: Option<String>,
    /// zipinfo's reading: an empty archive is said on its stdout.
    pub zipinfo: bool,
}

/// The archive as named, or with `.zip` or `.ZIP` added; unzip's complaint when none is there.
pub(super) fn find_archive(p: &mut Proc, name: &str, o: &Options) -> Option<(String, Vec<u8>)> {
    for candidate in [name.to_string(), format!("{name}.zip"), format!("{name}.ZIP")] {
        if let Ok(d) = p.world.read(&p.ctx, &candidate) {
            return Some((candidate, d.to_vec()));
        }
    }
    let text = format!("unzip:  cannot find or open {name}, {name}.zip or {name}.ZIP.\n");
    // `-t` says it on stdout; `-p` not at all.
    if o.test {
        p.out(&text);
    } else if !o.pipe {
        p.io.write_err(text.as_bytes());
    }
    None
}

/// The archive's entries, or unzip's words on what is not an archive (on stdout with `-t`).
pub(super) fn read_or_say(p: &mut Proc, o: &Options, name: &str, bytes: &[u8]) -> Result<Vec<Entry>, i32> {
    match zip::read(bytes) {
        Ok(entries) if entries.is_empty() => {
            if o.quiet < 2 {
                p.out(&format!("Archive:  {name}\n"));
            }
            if !o.zipinfo {
                p.io.err_line(&format!("warning [{name}]:  zipfile is empty"));
            }
            Err(1)
        }
        Ok(entries) => Ok(entries),
        Err(_) => {
            p.out(&format!("Archive:  {name}\n"));
            let text = format!(
                "  End-of-central-directory signature not found.  Either this file is not\n  a zipfile, or it constitutes one disk of a multi-part archive.  In the\n  latter case the central directory and zipfile comment will be found on\n  the last disk(s) of this archive.\nunzip:  cannot find zipfile directory in one of {name} or\n        {name}.zip, and cannot find {name}.ZIP, period.\n"
            );
            if o.test {
                p.out(&text);
            } else {
                p.io.write_err(text.as_bytes());
            }
            Err(9)
        }
    }
}
