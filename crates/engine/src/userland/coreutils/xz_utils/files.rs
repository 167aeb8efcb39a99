//! What the xz command shares between its modes: the options, its statuses, its messages
//! (`-q` silences warnings, `-qq` errors too), its sizes, and which files it opens.

use crate::fs::{Errno, FileType};
use crate::userland::coreutils::compress::MAX_INPUT;
use crate::userland::coreutils::Proc;
use crate::userland::xz::{Format, Settings};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Compress,
    Decompress,
    Test,
    List,
}

/// What the command line asked for.
#[derive(Clone)]
pub(crate) struct Options {
    pub mode: Mode,
    /// `--format`: `None` is `auto` (xz when compressing).
    pub format: Option<Format>,
    pub stdout: bool,
    pub keep: bool,
    pub force: bool,
    pub settings: Settings,
    /// `-S`: a suffix of the user's instead of `.xz` / `.lzma`.
    pub suffix: Option<String>,
    /// −2 for `-qq` … 2 for `-vv`.
    pub verbosity: i32,
    /// `-Q`: warnings leave the exit status 0.
    pub no_warn: bool,
}

/// xz's exit statuses: an error (1) outranks a warning (2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    #[default]
    Fine,
    Warned,
    Failed,
}

impl Status {
    pub(crate) fn code(self, no_warn: bool) -> i32 {
        match self {
            Status::Fine => 0,
            Status::Warned if no_warn => 0,
            Status::Warned => 2,
            Status::Failed => 1,
        }
    }
}

/// What `io_open_src` allows: a readable regular file (a link only with `-c` or `-f`), and
/// with a file to replace, none with setuid, sticky bits or other names.
pub(crate) fn open(p: &mut Proc, o: &Options, name: &str) -> Result<(Vec<u8>, crate::vfs::Stat), Status> {
    let follow = o.stdout || o.force;
    let lst = match p.world.stat(&p.ctx, name, false) {
        Ok(st) => st,
        Err(e) => {
            error(p, o, &format!("{name}: {e}"));
            return Err(Status::Failed);
        }
    };
    if lst.ftype == FileType::Symlink && !follow {
        warn(p, o, &format!("{name}: Is a symbolic link, skipping"));
        return Err(Status::Warned);
    }
    let st = match p.world.stat(&p.ctx, name, true) {
        Ok(st) => st,
        Err(e) => {
            error(p, o, &format!("{name}: {e}"));
            return Err(Status::Failed);
        }
    };
    if st.ftype == FileType::Dir {
        // A directory opens (read permission allowing) before its kind is seen.
        let listed = p.world.resolve(&p.ctx, name, true).and_then(|loc| p.world.list(&p.ctx, &loc));
        if let Err(Errno::Access) = listed {
            error(p, o, &format!("{name}: {}", Errno::Access));
            return Err(Status::Failed);
        }
        warn(p, o, &format!("{name}: Is a directory, skipping"));
        return Err(Status::Warned);
    }
    let data = match p.world.read(&p.ctx, name) {
        Ok(d) if d.len() > MAX_INPUT => {
            error(p, o, &format!("{name}: {}", Errno::TooBig));
            return Err(Status::Failed);
        }
        Ok(d) => d.to_vec(),
        Err(e) => {
            error(p, o, &format!("{name}: {e}"));
            return Err(Status::Failed);
        }
    };
    let regular_only = !o.stdout;
    if regular_only && st.ftype != FileType::File {
        warn(p, o, &format!("{name}: Not a regular file, skipping"));
        return Err(Status::Warned);
    }
    if regular_only && !o.force && !o.keep {
        let why = if st.mode & 0o6000 != 0 {
            Some("File has setuid or setgid bit set, skipping")
        } else if st.mode & 0o1000 != 0 {
            Some("File has sticky bit set, skipping")
        } else if st.nlink > 1 {
            Some("Input file has more than one hard link, skipping")
        } else {
            None
        };
        if let Some(why) = why {
            warn(p, o, &format!("{name}: {why}"));
            return Err(Status::Warned);
        }
    }
    Ok((data, st))
}

/// A warning, unless `-q` silenced it.
pub(crate) fn warn(p: &mut Proc, o: &Options, msg: &str) {
    if o.verbosity >= 0 {
        p.err(msg);
    }
}

/// An error, unless `-qq` silenced it.
pub(crate) fn error(p: &mut Proc, o: &Options, msg: &str) {
    if o.verbosity >= -1 {
        p.err(msg);
    }
}

/// xz's sizes: bytes under 10000, else KiB, MiB… with one decimal (and the bytes after, if
/// asked).
pub(crate) fn nice_size(value: u64, also_bytes: bool) -> String {
    let mut s = if value < 10_000 {
        format!("{value} B")
    } else {
        let units = ["KiB", "MiB", "GiB", "TiB"];
        let mut d = value as f64 / 1024.0;
        let mut unit = 0;
        while d > 9999.9 && unit < units.len() - 1 {
            d /= 1024.0;
            unit += 1;
        }
        format!("{d:.1} {}", units[unit])
    };
    if also_bytes && value >= 10_000 {
        s.push_str(&format!(" ({value} B)"));
    }
    s
}
