//! util-linux `getopt` on the host: a script's parameters parsed and written back in order,
//! options first, then `--` and the rest, each value quoted for `eval set --` (oracle-74).

use super::{Cursor, Proc};

/// An option the optstring or the long list knows: whether it takes a value, and if it must.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Takes {
    Nothing,
    Required,
    Optional,
}

/// `a`, `b:`, `c::` of a short optstring (after an optional `+` or `-`).
fn short_option(optstring: &str, c: char) -> Option<Takes> {
    let spec = optstring.trim_start_matches(['+', '-']);
    let at = spec.char_indices().find(|&(_, x)| x == c && x != ':')?.0;
    let after = spec.get(at + c.len_utf8()..).unwrap_or_default();
    Some(if after.starts_with("::") {
        Takes::Optional
    } else if after.starts_with(':') {
        Takes::Required
    } else {
        Takes::Nothing
    })
}

pub(super) fn getopt(p: &mut Proc, args: &[String]) -> i32 {
    let mut optstring: Option<String> = None;
    let mut longs: Vec<(String, Takes)> = Vec::new();
    let (mut name, mut quiet, mut quote) = ("getopt".to_string(), false, true);
    let mut cursor = Cursor::new(args);
    // The first form, `getopt OPTSTRING PARAMETER…`, is the old getopt's: nothing is quoted.
    if args.first().is_some_and(|a| !a.starts_with('-')) {
        optstring = cursor.next().cloned();
        quote = false;
    } else {
        while let Some(a) = cursor.next() {
            match a.as_str() {
                "-o" | "--options" => optstring = Some(cursor.value()),
                "-l" | "--longoptions" | "--long" => {
                    for spec in cursor.value().split(',').filter(|s| !s.is_empty()) {
                        let (n, takes) = match (spec.strip_suffix("::"), spec.strip_suffix(':')) {
                            (Some(n), _) => (n, Takes::Optional),
                            (None, Some(n)) => (n, Takes::Required),
                            _ => (spec, Takes::Nothing),
                        };
                        longs.push((n.to_string(), takes));
                    }
                }
                "-n" | "--name" => name = cursor.value(),
                "-q" | "--quiet" => quiet = true,
                "-u" | "--unquoted" => quote = false,
                "--" => break,
                _ => {
                    cursor.back();
                    break;
                }
            }
        }
        if optstring.is_none() {
            optstring = cursor.next().cloned();
        }
    }
    let Some(optstring) = optstring else {
        p.err("missing optstring argument");
        p.io.err_line("Try 'getopt --help' for more information.");
        return 2;
    };
    let shown = |s: &str| if quote { format!("'{}'", s.replace('\'', "'\\''")) } else { s.to_string() };
    let params = cursor.rest();
    let (mut out, mut rest) = (String::new(), Vec::new());
    let mut status = 0;
    let mut complain = |msg: String| {
        if !quiet {
            p.io.err_line(&format!("{name}: {msg}"));
        }
        status = 1;
    };
    let mut k = 0;
    while let Some(a) = params.get(k) {
        k += 1;
        if a == "--" {
            rest.extend(params[k..].iter().cloned());
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (n, attached) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            // A long option may be shortened while it stays unambiguous.
            let matches: Vec<&(String, Takes)> = longs.iter().filter(|(l, _)| l == n || l.starts_with(n)).collect();
            let found = longs.iter().find(|(l, _)| l == n).or(if matches.len() == 1 { Some(matches[0]) } else { None });
            match found {
                None if matches.len() > 1 => complain(format!("option '--{n}' is ambiguous")),
                None => complain(format!("unrecognized option '--{n}'")),
                Some((full, Takes::Nothing)) => match attached {
                    Some(_) => complain(format!("option '--{full}' doesn't allow an argument")),
                    None => out.push_str(&format!(" --{full}")),
                },
                Some((full, Takes::Optional)) => out.push_str(&format!(" --{full} {}", shown(&attached.unwrap_or_default()))),
                Some((full, Takes::Required)) => match attached.or_else(|| params.get(k).cloned().inspect(|_| k += 1)) {
                    Some(v) => out.push_str(&format!(" --{full} {}", shown(&v))),
                    None => complain(format!("option '--{full}' requires an argument")),
                },
            }
            continue;
        }
        let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) else {
            if optstring.starts_with('+') {
                rest.extend(params[k - 1..].iter().cloned());
                break;
            }
            rest.push(a.clone());
            continue;
        };
        for (at, c) in cluster.char_indices() {
            let tail = cluster.get(at + c.len_utf8()..).unwrap_or_default();
            match short_option(&optstring, c) {
                None => complain(format!("invalid option -- '{c}'")),
                Some(Takes::Nothing) => {
                    out.push_str(&format!(" -{c}"));
                    continue;
                }
                Some(Takes::Optional) => out.push_str(&format!(" -{c} {}", shown(tail))),
                Some(Takes::Required) if !tail.is_empty() => out.push_str(&format!(" -{c} {}", shown(tail))),
                Some(Takes::Required) => match params.get(k) {
                    Some(v) => {
                        out.push_str(&format!(" -{c} {}", shown(v)));
                        k += 1;
                    }
                    None => complain(format!("option requires an argument -- '{c}'")),
                },
            }
            if !matches!(short_option(&optstring, c), None | Some(Takes::Nothing)) {
                break;
            }
        }
    }
    out.push_str(" --");
    for r in rest {
        out.push(' ');
        out.push_str(&shown(&r));
    }
    p.out_line(&out);
    status
}
