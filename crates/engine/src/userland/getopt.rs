//! The options no program has: a character outside ASCII in a cluster of short options
//! (`-é`, `-lü`) or in a long option's name (`--é`). Every GNU tool and busybox applet refuses
//! them through getopt, which reads bytes: `ls -ü` answers `ls: invalid option -- '\xc3'`, the
//! character's first byte alone (a terminal shows it as �). Unknown ASCII options are each
//! program's own business; these can never be valid, so refusing them is always right.
//!
//! Architecture invariant: user text is walked by characters here, never sliced at a byte
//! offset; the one byte printed is taken from a whole character's encoding.

/// The first option getopt would refuse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Foreign {
    /// A short option: the first byte of its character.
    Short(u8),
    /// A long option, as written (`--é=1` whole).
    Long(String),
}

/// The first byte of `c`'s UTF-8 encoding.
pub(crate) fn first_byte(c: char) -> u8 {
    let mut buf = [0u8; 4];
    c.encode_utf8(&mut buf).as_bytes()[0]
}

/// An option getopt refuses, as the walk meets it.
enum Refused<'a> {
    /// A character outside ASCII in a cluster of short options.
    Short(char),
    /// A long option, as written.
    Long(&'a str),
}

/// Walks `args` as GNU getopt does (options may follow operands; `--` ends them), where the
/// short options in `with_value` take the rest of their cluster or the next argument. Calls
/// `found` for each refused option in order; stops when it returns false.
fn scan<'a>(args: &'a [String], with_value: &str, mut found: impl FnMut(Refused<'a>) -> bool) {
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            return;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or_default();
            if !name.is_ascii() && !found(Refused::Long(arg)) {
                return;
            }
            continue;
        }
        let Some(cluster) = arg.strip_prefix('-').filter(|c| !c.is_empty()) else { continue };
        let mut chars = cluster.chars();
        while let Some(c) = chars.next() {
            if !c.is_ascii() {
                if !found(Refused::Short(c)) {
                    return;
                }
                continue;
            }
            if with_value.contains(c) {
                // The value is the rest of the cluster, or else the next argument.
                if chars.as_str().is_empty() {
                    i += 1;
                }
                break;
            }
        }
    }
}

/// The first option in `args` that getopt refuses, if any.
pub(crate) fn first_foreign(args: &[String], with_value: &str) -> Option<Foreign> {
    let mut first = None;
    scan(args, with_value, |refused| {
        first = Some(match refused {
            Refused::Short(c) => Foreign::Short(first_byte(c)),
            Refused::Long(arg) => Foreign::Long(arg.to_string()),
        });
        false
    });
    first
}

/// Every refused short option's bytes, for the programs that report them all before giving
/// up (GNU du): each byte of a multi-byte character is an option of its own to getopt.
pub(crate) fn all_foreign_bytes(args: &[String], with_value: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    scan(args, with_value, |refused| {
        if let Refused::Short(c) = refused {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        true
    });
    bytes
}

/// How a program's getopt names the refused option: `invalid option -- 'X'` (X one raw
/// byte) or `unrecognized option '--name'`.
pub(crate) fn message(program: &str, foreign: &Foreign) -> Vec<u8> {
    match foreign {
        Foreign::Short(byte) => {
            let mut line = format!("{program}: invalid option -- '").into_bytes();
            line.push(*byte);
            line.extend_from_slice(b"'\n");
            line
        }
        Foreign::Long(arg) => format!("{program}: unrecognized option '{arg}'\n").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_non_ascii_short_option_is_its_first_byte() {
        assert_eq!(first_foreign(&args(&["-é", "x"]), ""), Some(Foreign::Short(0xC3)));
        assert_eq!(first_foreign(&args(&["-l€"]), ""), Some(Foreign::Short(0xE2)));
        // getopt permutes: an option after the operands still counts; `--` ends options.
        assert_eq!(first_foreign(&args(&["x", "/etc/passwd", "-ü"]), ""), Some(Foreign::Short(0xC3)));
        assert_eq!(first_foreign(&args(&["--", "-é"]), ""), None);
        assert_eq!(first_foreign(&args(&["é", "-"]), ""), None);
    }

    #[test]
    fn an_options_value_is_not_an_option() {
        assert_eq!(first_foreign(&args(&["-e", "-é", "f"]), "e"), None);
        assert_eq!(first_foreign(&args(&["-Aé"]), "A"), None);
        assert_eq!(first_foreign(&args(&["-ié"]), "e"), Some(Foreign::Short(0xC3)));
    }

    #[test]
    fn a_long_option_is_named_whole() {
        assert_eq!(first_foreign(&args(&["--é=1"]), ""), Some(Foreign::Long("--é=1".into())));
        assert_eq!(first_foreign(&args(&["--color=é"]), ""), None);
        assert_eq!(message("ls", &Foreign::Long("--ü".into())), "ls: unrecognized option '--ü'\n".as_bytes());
        assert_eq!(message("ls", &Foreign::Short(0xC3)), b"ls: invalid option -- '\xC3'\n");
    }

    #[test]
    fn du_reports_every_byte() {
        assert_eq!(all_foreign_bytes(&args(&["-é", "-aü"]), ""), vec![0xC3, 0xA9, 0xC3, 0xBC]);
    }
}
