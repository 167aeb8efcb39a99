//! What tar's archive goes through: gzip (`-z`), bzip2 (`-j`), xz (`-J`), lzma (`--lzma`),
//! or, with `-a`, whatever the archive's name says (oracle-52, oracle-75, oracle-162).

use super::Proc;
use crate::userland::xz::{self, Format, XzError};

/// A compressor, by the program tar runs for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Codec {
    Gzip,
    Bzip2,
    Xz,
    Lzma,
    /// A compressor the machine does not have (`zstd`, `lzip`, `lzop`, `compress`).
    Missing(&'static str),
}

impl Codec {
    pub(super) fn program(self) -> &'static str {
        match self {
            Codec::Gzip => "gzip",
            Codec::Bzip2 => "bzip2",
            Codec::Xz => "xz",
            Codec::Lzma => "lzma",
            Codec::Missing(program) => program,
        }
    }

    /// How GNU tar asks for it when it finds compressed data on stdin.
    fn option(self) -> String {
        match self {
            Codec::Gzip => "-z".into(),
            Codec::Bzip2 => "-j".into(),
            Codec::Xz => "-J".into(),
            Codec::Lzma => "--lzma".into(),
            Codec::Missing(program) => format!("--{program}"),
        }
    }

    /// Which, if any, compressed these bytes.
    fn of(bytes: &[u8]) -> Option<Codec> {
        if crate::userland::gzip::is_gzip(bytes) {
            Some(Codec::Gzip)
        } else if crate::userland::bzip2::is_bzip2(bytes) {
            Some(Codec::Bzip2)
        } else if xz::is_xz(bytes) {
            Some(Codec::Xz)
        } else if xz::is_lzma(bytes) {
            Some(Codec::Lzma)
        } else {
            None
        }
    }

    /// `-a`: the compressor the archive's suffix names (GNU tar's table).
    pub(super) fn by_suffix(name: &str) -> Option<Codec> {
        const TABLE: [(&str, Codec); 19] = [
            (".gz", Codec::Gzip),
            (".tgz", Codec::Gzip),
            (".taz", Codec::Gzip),
            (".bz2", Codec::Bzip2),
            (".tbz", Codec::Bzip2),
            (".tbz2", Codec::Bzip2),
            (".tz2", Codec::Bzip2),
            (".tb2", Codec::Bzip2),
            (".xz", Codec::Xz),
            (".txz", Codec::Xz),
            (".lzma", Codec::Lzma),
            (".tlz", Codec::Lzma),
            (".zst", Codec::Missing("zstd")),
            (".tzst", Codec::Missing("zstd")),
            (".lz", Codec::Missing("lzip")),
            (".lzo", Codec::Missing("lzop")),
            (".Z", Codec::Missing("compress")),
            (".taZ", Codec::Missing("compress")),
            (".tZ", Codec::Missing("compress")),
        ];
        TABLE.iter().find(|(suffix, _)| name.ends_with(suffix)).map(|(_, c)| *c)
    }
}

/// What compressed data holds, whichever of the formats it is in, when it is whole (`file -z`).
pub(super) fn decompressed(bytes: &[u8]) -> Option<Vec<u8>> {
    match Codec::of(bytes)? {
        Codec::Gzip => crate::userland::gzip::decompress(bytes).ok().map(|d| d.data),
        Codec::Bzip2 => crate::userland::bzip2::decompress(bytes).ok(),
        Codec::Xz => Some(xz::decode(bytes, Some(Format::Xz))).filter(|d| d.result.is_ok()).map(|d| d.data),
        Codec::Lzma => Some(xz::decode(bytes, Some(Format::Lzma))).filter(|d| d.result.is_ok()).map(|d| d.data),
        Codec::Missing(_) => None,
    }
}

/// The archive's bytes through the compressor as GNU tar runs it (on a pipe: gzip keeps no name
/// or time; xz with its defaults), or the failure to run it (exit status 2).
pub(super) fn pack(p: &mut Proc, codec: Codec, bytes: Vec<u8>) -> Result<Vec<u8>, i32> {
    Ok(match codec {
        Codec::Gzip => crate::userland::gzip::compress(&bytes, 6, &crate::userland::gzip::Header::default(), true),
        Codec::Bzip2 => crate::userland::bzip2::compress(&bytes, 9),
        Codec::Xz => xz::compress(&bytes, Format::Xz, &super::xz_utils::tar_settings(p)),
        Codec::Lzma => xz::compress(&bytes, Format::Lzma, &super::xz_utils::tar_settings(p)),
        Codec::Missing(program) => {
            // tar runs it through `/bin/sh -c`, which does not find it.
            p.io.err_line(&format!("/bin/sh: 1: {program}: not found"));
            p.io.err_line("tar: Child returned status 127");
            p.io.err_line("tar: Error is not recoverable: exiting now");
            return Err(2);
        }
    })
}

/// The archive inside compressed data: busybox reads it with `-z`, `-j` or `-J` only; GNU tar
/// finds the compression of a file by itself, and on stdin asks for the option (oracle-52,
/// oracle-75, oracle-162).
pub(super) fn unpack(p: &mut Proc, bytes: Vec<u8>, asked: Option<Codec>, from_stdin: bool) -> Result<Vec<u8>, i32> {
    let found = Codec::of(&bytes);
    let codec = match (asked, found) {
        (Some(codec), _) => codec,
        (None, Some(found)) if p.gnu => {
            if from_stdin {
                p.io.err_line(&format!("tar: Archive is compressed. Use {} option", found.option()));
                p.io.err_line("tar: Error is not recoverable: exiting now");
                return Err(2);
            }
            found
        }
        (None, _) => return Ok(bytes),
    };
    match codec {
        Codec::Gzip => {
            let result =
                crate::userland::gzip::decompress(&bytes).map(|d| d.data).map_err(|e| e == crate::userland::gzip::GzError::NotGzip);
            classic(p, codec, result, ("gzip: stdin: not in gzip format", "gzip: stdin: unexpected end of file"))
        }
        Codec::Bzip2 => {
            let result = crate::userland::bzip2::decompress(&bytes).map_err(|e| e == crate::userland::bzip2::BzError::NotBzip2);
            classic(p, codec, result, ("bzip2: (stdin) is not a bzip2 file.", super::bzip::CUT_SHORT_STDIN))
        }
        Codec::Xz | Codec::Lzma => unpack_xz(p, codec, &bytes),
        Codec::Missing(program) => {
            p.io.err_line(&format!("tar (child): {program}: Cannot exec: No such file or directory"));
            p.io.err_line("tar (child): Error is not recoverable: exiting now");
            p.io.err_line("tar: Child returned status 2");
            p.io.err_line("tar: Error is not recoverable: exiting now");
            Err(2)
        }
    }
}

/// gzip's and bzip2's failures: `Err(true)` when the data is not theirs at all.
fn classic(p: &mut Proc, codec: Codec, result: Result<Vec<u8>, bool>, words: (&str, &str)) -> Result<Vec<u8>, i32> {
    let (not_format, cut_short) = words;
    match result {
        Ok(data) => Ok(data),
        Err(not_compressed) if p.gnu => {
            if codec == Codec::Gzip || !not_compressed {
                p.io.err_line("");
            }
            p.io.err_line(if not_compressed { not_format } else { cut_short });
            let status = if codec == Codec::Gzip { 1 } else { 2 };
            p.io.err_line(&format!("tar: Child returned status {status}"));
            p.io.err_line("tar: Error is not recoverable: exiting now");
            Err(2)
        }
        Err(true) => {
            p.io.err_line("tar: invalid magic");
            if codec == Codec::Bzip2 {
                p.io.err_line("tar: short read");
            }
            Err(1)
        }
        Err(false) => {
            p.io.err_line("tar: unexpected end of file");
            Err(1)
        }
    }
}

/// xz's failures in GNU tar (`xz: (stdin): …`, the child's status 1) and in busybox (its
/// decoder's `corrupted data`, then the short archive).
fn unpack_xz(p: &mut Proc, codec: Codec, bytes: &[u8]) -> Result<Vec<u8>, i32> {
    let format = if codec == Codec::Lzma { Format::Lzma } else { Format::Xz };
    if !p.gnu && format == Format::Xz && !xz::is_xz(bytes) {
        // Busybox's xz decoder takes data without the magic for an empty stream.
        return Ok(Vec::new());
    }
    let decoded = if p.gnu { xz::decode(bytes, Some(format)) } else { xz::decode_busybox(bytes, format) };
    match decoded.result {
        Ok(()) => Ok(decoded.data),
        Err(e) if p.gnu => {
            p.io.err_line(&format!("{}: (stdin): {}", codec.program(), e.message()));
            p.io.err_line("tar: Child returned status 1");
            p.io.err_line("tar: Error is not recoverable: exiting now");
            Err(2)
        }
        Err(XzError::FormatNotRecognized) => {
            p.io.err_line("tar: bad lzma header");
            Err(1)
        }
        Err(_) => {
            p.io.err_line("tar: corrupted data");
            p.io.err_line("tar: short read");
            Err(1)
        }
    }
}
