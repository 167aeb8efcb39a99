//! Info-ZIP's `zip` 3.0 and `unzip` 6.00 (with `zipinfo`, and `funzip`, `zipnote` and
//! `zipgrep`) on the host; the archive format is
//! `userland/zip.rs`, busybox's own `unzip` is `unzip_busybox.rs`.

mod archive;
mod companions;
mod listing;
mod unzip;
mod zip;

pub(crate) use companions::{funzip, zipgrep, zipnote};
pub(crate) use unzip::unzip;
pub(crate) use zip::zip;
