//! The .xz and .lzma formats as XZ Utils 5.4.1 writes and reads them: what `xz`, `unxz`,
//! `xzcat`, `lzma`, `tar -J` and busybox's `unxz` use. The compressor (`enc`) is liblzma's
//! encoder rewritten in Rust — its match finders, its optimal parsing, its price tables and its
//! LZMA2 chunking — so that the bytes are the real ones to the bit: `ls -l`, `xz -l` and
//! `md5sum` of an archive show what they show on a real machine (oracle-161). The decoder
//! (`dec`) reads what any xz writes, with liblzma's verdicts on damaged data, and the indexes
//! `xz -l` prints.

mod dec;
mod enc;

pub(crate) use dec::{version_string, Check as StoredCheck, Decoded, XzError, XzInfo};

/// Which container: `.xz` (xz's own), or `.lzma` (LZMA Utils' "alone" format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Xz,
    Lzma,
}

/// The integrity check a .xz stream carries (`--check`).
pub(crate) use enc::Check;

/// What `xz` is asked to compress with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Settings {
    /// The preset, 0–9 (`-6` unless asked).
    pub level: u32,
    /// `-e`.
    pub extreme: bool,
    pub check: Check,
    /// `-T`: more than one thread makes xz's multi-threaded encoder, whose blocks carry their
    /// sizes in their headers.
    pub threads: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { level: 6, extreme: false, check: Check::Crc64, threads: 1 }
    }
}

/// `data` compressed as xz writes it with these settings.
pub(crate) fn compress(data: &[u8], format: Format, settings: &Settings) -> Vec<u8> {
    let preset = enc::Preset { level: settings.level, extreme: settings.extreme };
    match format {
        Format::Lzma => enc::lzma_alone(data, preset),
        Format::Xz if settings.threads > 1 => enc::xz_threaded(data, preset, settings.check),
        Format::Xz => enc::xz(data, preset, settings.check),
    }
}

/// Decodes `data` as `--format` says (`None`: xz or lzma, as its first bytes show).
pub(crate) fn decode(data: &[u8], format: Option<Format>) -> Decoded {
    match format {
        None => dec::decode_auto(data),
        Some(Format::Xz) => dec::decode_xz(data),
        Some(Format::Lzma) => dec::decode_lzma_alone(data),
    }
}

/// What busybox's decoders make of `data`: XZ Embedded's for .xz, which writes less of a cut
/// file than liblzma does.
pub(crate) fn decode_busybox(data: &[u8], format: Format) -> Decoded {
    match format {
        Format::Xz => dec::decode_xz_embedded(data),
        Format::Lzma => dec::decode_lzma_alone(data),
    }
}

/// What `xz -l` reads of a file: its streams, blocks and checks.
pub(crate) fn list(data: &[u8]) -> Result<XzInfo, XzError> {
    dec::list_xz(data)
}

/// Whether `data` starts as a .xz stream does.
pub(crate) fn is_xz(data: &[u8]) -> bool {
    data.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0])
}

/// Whether `data` starts with a header liblzma's .lzma decoder accepts.
pub(crate) fn is_lzma(data: &[u8]) -> bool {
    dec::looks_like_lzma(data)
}

#[cfg(test)]
mod tests;
