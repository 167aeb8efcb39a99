//! `awk`: the part learners reach for — fields (`$3`, `$NF`, `-F`), patterns (`/re/`, `NF>3`,
//! `BEGIN`, `END`), `print` and `printf`, variables, arrays and `for (k in a)`, `if`/`while`/
//! `for`, and the string functions (`length`, `substr`, `index`, `split`, `sub`, `gsub`,
//! `match`, `sprintf`, `tolower`, `toupper`, `int`), `print > FILE` / `>> FILE`, `getline [VAR]
//! < FILE` and `close`. mawk on the host (Debian's `awk`), busybox awk in containers. Regular
//! expressions are the ERE subset of [`Regex`]. Not simulated: pipes to and from commands
//! (`print | "sort"`, `"cmd" | getline`, `system`) — running a command is the shell's business —
//! and a bare `getline` from the main input.

mod eval;
mod lex;
mod parse;
mod value;

use std::collections::HashMap;

use super::{read_input, Proc};
use eval::{Awk, Flow};
use lex::lex;
use parse::{Item, Parser, Pattern};
use value::Val;

/// `awk [-F SEP] [-v NAME=VALUE]… 'PROGRAM' [FILE|NAME=VALUE]…`
pub(super) fn awk(p: &mut Proc, args: &[String]) -> i32 {
    let mut fs = " ".to_string();
    let mut assigns = Vec::new();
    let mut i = 0;
    let mut program = None;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            break;
        }
        let (flag, rest) = match a.strip_prefix('-') {
            Some(r) if !r.is_empty() && program.is_none() => (r.chars().next().unwrap_or('-'), r.chars().skip(1).collect::<String>()),
            _ => {
                i -= 1;
                break;
            }
        };
        let value = if rest.is_empty() {
            i += 1;
            args.get(i - 1).cloned()
        } else {
            Some(rest)
        };
        let Some(value) = value else {
            return fail(p, &format!("option requires an argument -- {flag}"));
        };
        match flag {
            'F' => fs = if value == "t" { "\t".into() } else { unescape(&value) },
            'v' => assigns.push(value),
            'f' => {
                program = Some(p.world.read(&p.ctx, &value).map(|d| String::from_utf8_lossy(&d.to_vec()).into_owned()).unwrap_or_default())
            }
            _ => return fail(p, &format!("not an option: -{flag}")),
        }
    }
    let program = match program {
        Some(text) => text,
        None => match args.get(i) {
            Some(text) => {
                i += 1;
                text.clone()
            }
            None if p.gnu => {
                p.io.err_str(crate::userland::usage::MAWK);
                return 0;
            }
            None => return p.busybox_usage(),
        },
    };
    let parsed = lex(&program).and_then(|toks| Parser { toks, at: 0, in_print: false }.program());
    let items = match parsed {
        Ok(items) => items,
        Err(message) => {
            let line = if message == parse::MISSING_BRACE { program.lines().count() + 1 } else { 1 };
            return fail(p, &format!("line {line}: {message}"));
        }
    };
    let operands: Vec<String> = args[i..].to_vec();
    let mut awk = Awk {
        p,
        vars: HashMap::new(),
        arrays: HashMap::new(),
        fields: vec![String::new()],
        exit_code: 0,
        steps: 0,
        outputs: Default::default(),
        readers: Default::default(),
    };
    for (name, value) in [("FS", fs.as_str()), ("OFS", " "), ("ORS", "\n"), ("SUBSEP", "\u{1c}")] {
        awk.vars.insert(name.into(), Val::Str(value.into()));
    }
    awk.vars.insert("NR".into(), Val::Num(0.0));
    for a in &assigns {
        if let Some((n, v)) = a.split_once('=') {
            awk.vars.insert(n.to_string(), Val::Input(unescape(v)));
        }
    }
    match run_program(&mut awk, &items, &operands) {
        Ok(()) => awk.exit_code,
        Err(message) => fail(awk.p, &message),
    }
}

fn run_program(awk: &mut Awk, items: &[Item], operands: &[String]) -> Result<(), String> {
    let mut exiting = false;
    for (pattern, action) in items {
        if matches!(pattern, Pattern::Begin) {
            if let (Some(a), false) = (action, exiting) {
                exiting = matches!(awk.exec(a)?, Flow::Exit);
            }
        }
    }
    let has_main = items.iter().any(|(p, _)| matches!(p, Pattern::All | Pattern::When(_)));
    let has_end = items.iter().any(|(p, _)| matches!(p, Pattern::End));
    if !exiting && (has_main || has_end) {
        let mut inputs: Vec<String> = Vec::new();
        for op in operands {
            match op.split_once('=') {
                Some((n, _)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {}
                _ => inputs.push(op.clone()),
            }
        }
        if inputs.is_empty() {
            inputs.push("-".into());
        }
        let mut nr = 0.0;
        'files: for f in inputs {
            if f != "-" && awk.p.world.stat(&awk.p.ctx, &f, true).is_err() {
                let gnu = awk.p.gnu;
                awk.p.io.err_line(&if gnu {
                    format!("awk: cannot open {f} (No such file or directory)")
                } else {
                    format!("awk: {f}: No such file or directory")
                });
                awk.exit_code = 2;
                continue;
            }
            let Some(data) = read_input(awk.p, &f) else { continue };
            let text = String::from_utf8_lossy(&data).into_owned();
            for line in text.lines() {
                nr += 1.0;
                awk.vars.insert("NR".into(), Val::Num(nr));
                awk.set_record(line);
                for (pattern, action) in items {
                    let selected = match pattern {
                        Pattern::All => true,
                        Pattern::When(e) => awk.eval(e)?.truthy(),
                        _ => false,
                    };
                    if !selected {
                        continue;
                    }
                    let flow = match action {
                        Some(a) => awk.exec(a)?,
                        None => {
                            let line = format!("{}{}", awk.fields[0], awk.var("ORS").text());
                            awk.p.out(&line);
                            Flow::Normal
                        }
                    };
                    match flow {
                        Flow::Next => break,
                        Flow::Exit => {
                            exiting = true;
                            break 'files;
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    let _ = exiting;
    for (pattern, action) in items {
        if let (Pattern::End, Some(a)) = (pattern, action) {
            if matches!(awk.exec(a)?, Flow::Exit) {
                break;
            }
        }
    }
    Ok(())
}

fn unescape(s: &str) -> String {
    s.replace("\\t", "\t").replace("\\n", "\n")
}

fn fail(p: &mut Proc, message: &str) -> i32 {
    if let Some(plain) = message.strip_prefix(eval::PLAIN) {
        p.io.err_line(&format!("awk: {plain}"));
        return if p.gnu { 2 } else { 1 };
    }
    if p.gnu {
        p.io.err_line(&format!("awk: {message}"));
        2
    } else {
        p.io.err_line(&format!("awk: cmd. {message}"));
        1
    }
}

#[cfg(test)]
mod tests {
    use super::eval::split_fields;
    use super::value::{format_g, printf, Val};

    #[test]
    fn numbers_print_as_awk_prints_them() {
        assert_eq!(format_g(1.23456789, 6, false), "1.23457");
        assert_eq!(format_g(1e20, 6, false), "1e+20");
        assert_eq!(format_g(0.0001, 6, false), "0.0001");
        assert_eq!(format_g(2.5, 6, false), "2.5");
        let v = |s: &str| Val::Str(s.into());
        assert_eq!(
            printf(&[v("%5s|%-4d|%05.1f|%x|%%\n"), v("ab"), Val::Num(7.0), Val::Num(1.25), Val::Num(255.0)]),
            "   ab|7   |001.2|ff|%\n"
        );
        assert_eq!(split_fields("  a  b\tc ", " "), ["a", "b", "c"]);
        assert_eq!(split_fields("a:b::c", ":"), ["a", "b", "", "c"]);
    }
}
