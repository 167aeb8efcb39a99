//! `sed`: the `s/re/rep/[g]` command, on stdin, files or in place (`-i`).

use crate::fs::Data;
use crate::vfs::WriteMode;

use super::{has, read_input, split_opts, Proc, Regex};

pub(super) fn sed(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let in_place = has(&opts, "-i", "");
    let quiet = has(&opts, "-n", "");
    let Some(script) = ops.first().cloned() else { return p.usage() };
    let files: Vec<String> = ops[1..].to_vec();
    // s/re/rep/[g]
    let parsed = (|| {
        let rest = script.strip_prefix('s')?;
        let delim = rest.chars().next()?;
        let parts: Vec<&str> = rest.strip_prefix(delim)?.split(delim).collect();
        if parts.len() < 3 {
            return None;
        }
        Some((parts[0].to_string(), parts[1].to_string(), parts[2].contains('g')))
    })();
    if p.gnu && script.strip_prefix('s').and_then(|rest| rest.chars().next()).is_some_and(|d| !d.is_ascii()) {
        p.err("-e expression #1, char 2: delimiter character is not a single-byte character");
        return 1;
    }
    let Some((re, rep, global)) = parsed else {
        p.err(&format!("-e expression #1, char {}: unknown command: `{}'", script.len().min(1), script.chars().next().unwrap_or(' ')));
        return 1;
    };
    let Some(regex) = Regex::new(&re, false, false) else {
        p.err("bad regex");
        return 1;
    };
    let subst = |line: &str| -> String {
        let mut out = String::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        loop {
            let rest: String = chars[i..].iter().collect();
            match regex.find(&rest) {
                Some((a, b)) if i + a <= chars.len() => {
                    out.extend(&chars[i..i + a]);
                    let matched: String = chars[i + a..i + b].iter().collect();
                    out.push_str(&rep.replace('&', &matched));
                    i = if b == a { i + b + 1 } else { i + b };
                    if b == a && i - 1 < chars.len() {
                        out.push(chars[i - 1]);
                    }
                    if !global || i >= chars.len() {
                        if i < chars.len() {
                            out.extend(&chars[i..]);
                        }
                        break;
                    }
                }
                _ => {
                    out.extend(&chars[i.min(chars.len())..]);
                    break;
                }
            }
        }
        out
    };
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    for f in inputs {
        let Some(d) = read_input(p, &f) else { return 2 };
        let text = String::from_utf8_lossy(&d).into_owned();
        let mut out = String::new();
        for line in text.lines() {
            if !quiet {
                out.push_str(&subst(line));
                out.push('\n');
            }
        }
        if in_place && f != "-" {
            if let Err(e) = p.world.write_file(&p.ctx, &f, &Data::from_bytes(out.as_bytes()), WriteMode::Truncate) {
                p.err(&format!("couldn't open temporary file {f}: {e}"));
                return 4;
            }
        } else {
            p.out(&out);
        }
    }
    0
}
