//! Which program an executable file is.
//!
//! Image files do not carry machine code: a program is an opaque file whose size names it, so a
//! binary copied or bind-mounted elsewhere still runs as itself, and a file of any other size is
//! just data. Busybox picks its applet from the name it was called by; every other binary is one
//! program whatever its name.
//!
//! Architecture invariant: pure data, below the registry that writes these files and the
//! programs that run them.

/// Size of `/bin/busybox`: how the simulation recognizes the binary wherever it is.
pub const BUSYBOX_SIZE: u64 = 1_982_256;

/// A program the simulation implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    /// Debian's static busybox 1.35 (the `busybox` image).
    DebianBusybox,
    /// Alpine's busybox 1.36 (`alpine`, `postgres:15-alpine`).
    AlpineBusybox,
    Bash,
    /// Debian's `/bin/sh`.
    Dash,
    /// One GNU tool (coreutils, grep, sed, tar, findutils, getent …).
    Gnu(&'static str),
    Apk,
    AptGet,
    Dpkg,
    Nginx,
    /// nginx image's `/docker-entrypoint.sh`.
    NginxEntrypoint,
    Curl,
    /// A PostgreSQL server tool by name (`postgres`, `initdb`, `psql`, …).
    Postgres(&'static str),
    /// postgres image's `docker-entrypoint.sh`.
    PostgresEntrypoint,
    /// Alpine's `su-exec` (the postgres entrypoint drops to uid 70 with it).
    SuExec,
    Python,
    Pip,
    /// A helper script of an image the simulation does not run line by line (its size).
    Script(u64),
}

/// GNU tools of a Debian image's /usr/bin, with their sizes in bookworm.
const GNU_TOOLS: [(&str, u64); 43] = [
    ("basename", 35_456),
    ("cat", 44_016),
    ("chgrp", 68_448),
    ("chmod", 64_448),
    ("chown", 72_672),
    ("cp", 153_104),
    ("cut", 48_320),
    ("date", 104_960),
    ("dd", 76_000),
    ("df", 93_936),
    ("dirname", 35_424),
    ("du", 110_464),
    ("echo", 35_552),
    ("env", 48_448),
    ("false", 27_232),
    ("find", 224_848),
    ("getent", 35_776),
    ("grep", 194_000),
    ("head", 48_256),
    ("hostname", 22_760),
    ("id", 48_224),
    ("ln", 68_480),
    ("ls", 151_344),
    ("mkdir", 72_608),
    ("mv", 145_168),
    ("printf", 56_656),
    ("pwd", 35_584),
    ("readlink", 48_288),
    ("rm", 72_704),
    ("rmdir", 52_544),
    ("sed", 121_944),
    ("seq", 52_640),
    ("sleep", 35_336),
    ("sort", 113_184),
    ("stat", 84_800),
    ("tail", 64_736),
    ("tar", 502_464),
    ("tee", 39_552),
    ("touch", 93_568),
    ("true", 27_264),
    ("uname", 35_488),
    ("wc", 48_384),
    ("whoami", 35_480),
];

/// Sizes of the other binaries (each unique: the size is the identity).
const OTHERS: [(Binary, u64); 19] = [
    (Binary::DebianBusybox, BUSYBOX_SIZE),
    (Binary::AlpineBusybox, 808_712),
    (Binary::Bash, 1_265_648),
    (Binary::Dash, 125_640),
    (Binary::Apk, 68_976),
    (Binary::AptGet, 18_824),
    (Binary::Dpkg, 318_808),
    (Binary::Nginx, 1_518_680),
    (Binary::NginxEntrypoint, 1_620),
    (Binary::Curl, 289_008),
    (Binary::PostgresEntrypoint, 12_390),
    (Binary::SuExec, 10_248),
    (Binary::Python, 14_488),
    (Binary::Pip, 221),
    (Binary::Postgres("postgres"), 9_781_232),
    (Binary::Postgres("initdb"), 165_464),
    (Binary::Postgres("pg_ctl"), 68_840),
    (Binary::Postgres("psql"), 720_776),
    (Binary::Postgres("pg_isready"), 30_832),
];

/// PostgreSQL client tools not listed above share one size per name.
const MORE_POSTGRES: [(&str, u64); 3] = [("pg_dump", 465_608), ("pg_dumpall", 134_304), ("createdb", 39_112)];

/// The GNU tools a Debian image installs.
pub fn gnu_tools() -> impl Iterator<Item = (&'static str, Binary)> {
    GNU_TOOLS.iter().map(|(name, _)| (*name, Binary::Gnu(name)))
}

/// The file size that makes `binary`.
pub fn size_of(binary: Binary) -> u64 {
    match binary {
        Binary::Gnu(name) => GNU_TOOLS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s).unwrap_or(40_000),
        Binary::Script(size) => size,
        Binary::Postgres(name) if !OTHERS.iter().any(|(b, _)| *b == binary) => {
            MORE_POSTGRES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s).unwrap_or(100_000)
        }
        _ => OTHERS.iter().find(|(b, _)| *b == binary).map(|(_, s)| *s).unwrap_or(0),
    }
}

/// The program an executable file of this size is, if any.
pub fn identify(size: u64) -> Option<Binary> {
    OTHERS
        .iter()
        .find(|(_, s)| *s == size)
        .map(|(b, _)| *b)
        .or_else(|| GNU_TOOLS.iter().find(|(_, s)| *s == size).map(|(n, _)| Binary::Gnu(n)))
        .or_else(|| MORE_POSTGRES.iter().find(|(_, s)| *s == size).map(|(n, _)| Binary::Postgres(n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_binary_size_names_one_program() {
        let mut sizes: Vec<u64> = GNU_TOOLS.iter().map(|(_, s)| *s).collect();
        sizes.extend(OTHERS.iter().map(|(_, s)| *s));
        sizes.extend(MORE_POSTGRES.iter().map(|(_, s)| *s));
        let mut unique = sizes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), sizes.len());
        for (name, _) in GNU_TOOLS {
            assert_eq!(identify(size_of(Binary::Gnu(name))), Some(Binary::Gnu(name)));
        }
        assert_eq!(identify(size_of(Binary::Postgres("pg_dump"))), Some(Binary::Postgres("pg_dump")));
        assert_eq!(identify(size_of(Binary::Nginx)), Some(Binary::Nginx));
    }
}
