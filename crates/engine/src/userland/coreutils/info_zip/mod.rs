//! Info-ZIP's `zip` 3.0 and `unzip` 6.00 (with `zipinfo`) on the host; the archive format is
//! `userland/zip.rs`, busybox's own `unzip` is `unzip_busybox.rs`.

mod archive;
mod listing;
mod unzip;
mod zip;

pub(crate) use unzip::unzip;
pub(crate) use zip::zip;
