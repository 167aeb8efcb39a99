//! Shell builtins: `cd`, `pwd`, `echo`, `printf`, `test`, `exit`, `export`, `read`…

use crate::fs::normalize;
use crate::shell::{Flavor, Flow, Io, Shell};
use crate::userland::printf::{echo, printf};
use crate::world::World;

/// Runs `argv` if it is a builtin of the shell's dialect.
pub fn run(sh: &mut Shell, world: &mut World, argv: &[String], io: &mut Io) -> Option<Flow> {
    let args = &argv[1..];
    if let Some(status) = refused_option(sh, argv, io) {
        sh.status = status;
        return Some(Flow::Next);
    }
    let status = match argv[0].as_str() {
        "cd" => cd(sh, world, args, io),
        "pwd" => {
            io.out_str(&format!("{}\n", sh.ctx.cwd));
            0
        }
        "echo" => {
            io.write_out(&crate::userland::printf::to_bytes(&echo(args)));
            0
        }
        "printf" => printf_cmd(sh, args, io),
        "true" | ":" => 0,
        "false" => 1,
        "test" => test_cmd(sh, world, "test", args, io),
        "[" => {
            if args.last().map(String::as_str) != Some("]") {
                match sh.flavor {
                    Flavor::Bash => io.err_line(&format!("{}[: missing `]'", sh.err_prefix())),
                    Flavor::Ash => io.err_line("sh: missing ]"),
                    Flavor::Dash => io.err_line("sh: 1: [: missing ]"),
                }
                2
            } else {
                test_cmd(sh, world, "[", &args[..args.len() - 1], io)
            }
        }
        "return" => {
            let code = args.first().and_then(|a| a.parse::<i64>().ok()).map_or(sh.status, |n| (n & 255) as i32);
            if sh.calls == 0 {
                match sh.flavor {
                    Flavor::Bash => io.err_line(&format!("{}return: can only `return' from a function or sourced script", sh.err_prefix())),
                    Flavor::Ash | Flavor::Dash => {}
                }
                sh.status = 1;
                return Some(Flow::Next);
            }
            sh.status = code;
            return Some(Flow::Return(code));
        }
        "exit" => {
            let code = match args.first() {
                Some(a) => match a.parse::<i64>() {
                    Ok(n) => (n & 255) as i32,
                    Err(_) => {
                        match sh.flavor {
                            Flavor::Bash => io.err_line(&format!("{}exit: {a}: numeric argument required", sh.err_prefix())),
                            Flavor::Ash | Flavor::Dash => io.err_line(&format!("{}exit: Illegal number: {a}", sh.err_prefix())),
                        }
                        2
                    }
                },
                None => sh.status,
            };
            sh.status = code;
            return Some(Flow::Exit(code));
        }
        "export" => {
            let mut status = 0;
            for a in args {
                if sh.flavor == Flavor::Bash && !a.starts_with('-') && !is_name(a.split('=').next().unwrap_or_default()) {
                    io.err_line(&format!("{}export: `{a}': not a valid identifier", sh.err_prefix()));
                    status = 1;
                } else if let Some((k, v)) = a.split_once('=') {
                    sh.vars.insert(k.to_string(), v.to_string());
                    sh.exported.insert(k.to_string());
                } else if !a.starts_with('-') {
                    sh.exported.insert(a.clone());
                }
            }
            status
        }
        "unset" => {
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                sh.unset(a);
            }
            0
        }
        "set" => super::options::set(sh, args, io),
        "umask" => match args.first() {
            None => {
                io.out_str(&format!("{:04o}\n", sh.ctx.umask));
                0
            }
            Some(m) => match u32::from_str_radix(m, 8) {
                Ok(v) => {
                    sh.ctx.umask = v & 0o777;
                    0
                }
                Err(_) => 1,
            },
        },
        "read" => {
            let line_end = io.stdin.iter().position(|b| *b == b'\n');
            let (line, rest, ok) = match line_end {
                Some(i) => (io.stdin[..i].to_vec(), io.stdin[i + 1..].to_vec(), true),
                None => (io.stdin.clone(), Vec::new(), !io.stdin.is_empty()),
            };
            io.stdin = rest;
            let text = String::from_utf8_lossy(&line).into_owned();
            let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
            let mut words: Vec<&str> = text.split_whitespace().collect();
            for (i, n) in names.iter().enumerate() {
                let v = if i + 1 == names.len() {
                    std::mem::take(&mut words).join(" ")
                } else if words.is_empty() {
                    String::new()
                } else {
                    words.remove(0).to_string()
                };
                sh.vars.insert(n.to_string(), v);
            }
            if names.is_empty() {
                sh.vars.insert("REPLY".into(), text);
            }
            if ok {
                0
            } else {
                1
            }
        }
        "." => return Some(source(sh, world, argv, io)),
        "source" if sh.flavor == Flavor::Bash => return Some(source(sh, world, argv, io)),
        "alias" => alias(sh, args, io),
        "unalias" => unalias(sh, args, io),
        // A non-interactive bash keeps no history: `history` lists nothing.
        "history" if sh.flavor == Flavor::Bash => 0,
        "type" | "command" if argv[0] == "type" || args.first().map(String::as_str) == Some("-v") => {
            let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
            let mut st = 0;
            for n in names {
                if is_builtin(n) {
                    io.out_str(&if argv[0] == "type" { format!("{n} is a shell builtin\n") } else { format!("{n}\n") });
                } else if let Some(p) = super::process::which(world, sh, n) {
                    io.out_str(&if argv[0] == "type" { format!("{n} is {p}\n") } else { format!("{p}\n") });
                } else {
                    if argv[0] == "type" {
                        io.err_line(&format!("{}type: {n}: not found", sh.err_prefix()));
                    }
                    st = 1;
                }
            }
            st
        }
        _ => return None,
    };
    sh.status = status;
    Some(Flow::Next)
}

/// The shell's builtins (the dialects share these names).
/// The builtins scripts lean on, run by `script_builtins.rs`.
pub const SCRIPT_BUILTINS: [&str; 17] = [
    "break", "continue", "shift", "local", "eval", "exec", "let", "declare", "typeset", "readonly", "wait", "kill", "trap", "getopts",
    "jobs", "fg", "bg",
];

pub const BUILTINS: [&str; 23] = [
    "cd", "pwd", "echo", "printf", "true", ":", "false", "test", "[", "exit", "return", "export", "unset", "set", "umask", "read", "type",
    "command", "alias", "unalias", "history", ".", "source",
];

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name) || SCRIPT_BUILTINS.contains(&name)
}

/// `. FILE [ARGS]` (bash also `source`): runs the file in this shell, so the variables it sets
/// stay. A name without a slash is looked up on the PATH, then (bash) in the working directory.
fn source(sh: &mut Shell, world: &mut World, argv: &[String], io: &mut Io) -> Flow {
    let cmd = argv[0].as_str();
    let Some(name) = argv.get(1) else {
        let status = match sh.flavor {
            Flavor::Bash => {
                io.err_line(&format!("{}{cmd}: filename argument required", sh.err_prefix()));
                io.err_line(&format!("{cmd}: usage: {cmd} filename [arguments]"));
                2
            }
            Flavor::Ash | Flavor::Dash => 0,
        };
        sh.status = status;
        return Flow::Next;
    };
    let mut candidates = Vec::new();
    if name.contains('/') {
        candidates.push(name.clone());
    } else {
        let path = sh.vars.get("PATH").cloned().unwrap_or_default();
        candidates.extend(path.split(':').filter(|d| !d.is_empty()).map(|d| format!("{d}/{name}")));
        if sh.flavor == Flavor::Bash {
            candidates.push(name.clone());
        }
    }
    // The first candidate that reads; otherwise the last one's error is the one reported.
    let mut found = Err(None);
    for path in &candidates {
        match world.read(&sh.ctx, path) {
            Ok(data) => {
                found = Ok(data);
                break;
            }
            Err(e) => found = Err(Some(e)),
        }
    }
    let Ok(text) = found else {
        let reason = found.err().flatten().map_or_else(|| "No such file or directory".to_string(), |e| e.to_string());
        match sh.flavor {
            Flavor::Bash => io.err_line(&format!("{}{name}: {reason}", sh.err_prefix())),
            Flavor::Ash => io.err_line(&format!("sh: .: line 1: can't open '{name}': {reason}")),
            Flavor::Dash => io.err_line(&format!("sh: 1: .: cannot open {name}: No such file")),
        }
        // bash -c carries on after a missing file; a POSIX shell stops there.
        return match sh.flavor {
            Flavor::Bash => {
                sh.status = 1;
                Flow::Next
            }
            Flavor::Ash | Flavor::Dash => Flow::Exit(2),
        };
    };
    if sh.depth >= super::process::MAX_DEPTH {
        io.err_line(&format!("{}{name}: nesting too deep", sh.err_prefix()));
        sh.status = 1;
        return Flow::Next;
    }
    let script = String::from_utf8_lossy(&text.to_vec()).into_owned();
    let saved = (argv.len() > 2).then(|| std::mem::replace(&mut sh.positional, argv[2..].to_vec()));
    sh.depth += 1;
    let flow = sh.run_script(world, &script, io);
    sh.depth -= 1;
    if let Some(positional) = saved {
        sh.positional = positional;
    }
    flow
}

/// A value as `alias` prints it: in single quotes, a quote inside written `'\''`.
fn single_quoted(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

/// `alias [-p] [NAME[=VALUE]]…`: defines, or prints (bash with `alias ` in front, sorted).
fn alias(sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    let print = |sh: &Shell, name: &str, value: &str, io: &mut Io| {
        let prefix = if sh.flavor == Flavor::Bash { "alias " } else { "" };
        io.out_str(&format!("{prefix}{name}={}\n", single_quoted(value)));
    };
    let names: Vec<&String> = args.iter().filter(|a| !(sh.flavor == Flavor::Bash && a.as_str() == "-p")).collect();
    if names.is_empty() {
        for (name, value) in &sh.aliases {
            print(sh, name, value, io);
        }
        return 0;
    }
    let mut status = 0;
    for arg in names {
        match arg.split_once('=') {
            Some((name, value)) => {
                sh.aliases.insert(name.to_string(), value.to_string());
            }
            None => match sh.aliases.get(arg.as_str()) {
                Some(value) => print(sh, arg, value, io),
                None => {
                    match sh.flavor {
                        Flavor::Bash => io.err_line(&format!("{}alias: {arg}: not found", sh.err_prefix())),
                        Flavor::Ash | Flavor::Dash => io.err_line(&format!("alias: {arg} not found")),
                    }
                    status = 1;
                }
            },
        }
    }
    status
}

/// `unalias [-a] NAME…`
fn unalias(sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    if args.first().map(String::as_str) == Some("-a") {
        sh.aliases.clear();
        return 0;
    }
    if args.is_empty() {
        if sh.flavor == Flavor::Bash {
            io.err_line(&format!("{}unalias: usage: unalias [-a] name [name ...]", sh.err_prefix()));
            return 2;
        }
        return 0;
    }
    let mut status = 0;
    for name in args {
        if sh.aliases.remove(name).is_none() {
            match sh.flavor {
                Flavor::Bash => io.err_line(&format!("{}unalias: {name}: not found", sh.err_prefix())),
                Flavor::Ash | Flavor::Dash => io.err_line(&format!("unalias: {name} not found")),
            }
            status = 1;
        }
    }
    status
}

fn cd(sh: &mut Shell, world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let target = match args.first().map(String::as_str) {
        None => sh.vars.get("HOME").cloned().unwrap_or_else(|| "/".into()),
        Some("-") => match sh.vars.get("OLDPWD").cloned() {
            Some(o) => {
                io.out_str(&format!("{o}\n"));
                o
            }
            None => {
                io.err_line(&format!("{}cd: OLDPWD not set", sh.err_prefix()));
                return 1;
            }
        },
        Some(t) => t.to_string(),
    };
    let new = normalize(&sh.ctx.cwd, &target);
    let result = world.resolve(&sh.ctx, &new, true).and_then(|loc| {
        if !world.is_dir_node(&loc.node) {
            return Err(crate::fs::Errno::NotDir);
        }
        let st = world.stat_loc(&sh.ctx.ns, &loc);
        if !crate::vfs::may(st.uid, st.gid, st.mode, true, &sh.ctx.cred, crate::vfs::Access::Exec) {
            return Err(crate::fs::Errno::Access);
        }
        Ok(())
    });
    match result {
        Ok(()) => {
            let old = std::mem::replace(&mut sh.ctx.cwd, new.clone());
            sh.vars.insert("OLDPWD".into(), old);
            sh.exported.insert("OLDPWD".into());
            sh.vars.insert("PWD".into(), new);
            0
        }
        Err(e) => {
            match sh.flavor {
                Flavor::Bash => io.err_line(&format!("{}cd: {target}: {e}", sh.err_prefix())),
                // busybox raises an error: `sh -c` names its line (0), as for `set` (oracle-105).
                Flavor::Ash if sh.interactive => io.err_line(&format!("sh: cd: can't cd to {target}: {e}")),
                Flavor::Ash => io.err_line(&format!("sh: cd: line 0: can't cd to {target}: {e}")),
                Flavor::Dash => io.err_line(&format!("sh: 1: cd: can't cd to {target}")),
            }
            if sh.flavor == Flavor::Bash {
                1
            } else {
                2
            }
        }
    }
}

/// A shell variable's name: a letter or `_`, then letters, digits and `_`.
fn is_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// bash's usage line for the builtins that take options.
const BASH_USAGE: &[(&str, &str)] = &[
    ("cd", "cd [-L|[-P [-e]] [-@]] [dir]"),
    ("pwd", "pwd [-LP]"),
    ("printf", "printf [-v var] format [arguments]"),
    ("set", "set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]"),
    ("export", "export [-fn] [name[=value] ...] or export -p"),
];

/// A builtin's option that no shell has (a character outside ASCII): bash names its first
/// byte with the builtin's usage (status 2); busybox's `set` says it is illegal.
fn refused_option(sh: &Shell, argv: &[String], io: &mut Io) -> Option<i32> {
    let name = argv.first()?.as_str();
    let first = argv.get(1..2)?;
    let Some(crate::userland::getopt::Foreign::Short(byte)) = crate::userland::getopt::first_foreign(first, "") else { return None };
    match sh.flavor {
        Flavor::Bash => {
            let (_, usage) = BASH_USAGE.iter().find(|(n, _)| *n == name)?;
            io.err_str(&format!("{}{name}: -", sh.err_prefix()));
            io.err.push(byte);
            io.err_line(": invalid option");
            io.err_line(&format!("{name}: usage: {usage}"));
            Some(2)
        }
        Flavor::Ash if name == "set" => {
            io.err_str("sh: set: line 0: illegal option -");
            io.err.push(byte);
            io.err_line("");
            Some(2)
        }
        _ => None,
    }
}

fn printf_cmd(sh: &Shell, args: &[String], io: &mut Io) -> i32 {
    let Some(fmt) = args.first() else {
        match sh.flavor {
            Flavor::Bash => io.err_line(&format!("{}printf: usage: printf [-v var] format [arguments]", sh.err_prefix())),
            Flavor::Ash => io.err_line("printf: usage: printf FORMAT [ARGUMENT...]"),
            Flavor::Dash => io.err_line("sh: 1: printf: usage: printf format [arg ...]"),
        }
        return if sh.flavor == Flavor::Ash { 1 } else { 2 };
    };
    let (text, status) = printf(fmt, &args[1..]);
    io.write_out(&crate::userland::printf::to_bytes(&text));
    status
}

fn test_cmd(sh: &Shell, world: &World, name: &str, args: &[String], io: &mut Io) -> i32 {
    match eval_test(sh, world, args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(msg) => {
            match sh.flavor {
                Flavor::Bash => io.err_line(&format!("{}{name}: {msg}", sh.err_prefix())),
                Flavor::Ash => io.err_line(&format!("sh: {msg}")),
                Flavor::Dash => io.err_line(&format!("sh: 1: {name}: {msg}")),
            }
            2
        }
    }
}

/// `test`, `[` or busybox's `[[` run as a program: `[` wants its closing `]`, `[[` its `]]`;
/// errors name the program.
pub fn test_program(world: &World, sh: &Shell, name: &str, argv: &[String], io: &mut Io) -> i32 {
    let mut args = argv.get(1..).unwrap_or_default().to_vec();
    let closing = match name {
        "[" => Some("]"),
        "[[" => Some("]]"),
        _ => None,
    };
    if let Some(closing) = closing {
        if args.last().map(String::as_str) != Some(closing) {
            io.err_line(&format!("{name}: missing '{closing}'"));
            return 2;
        }
        args.pop();
    }
    match eval_test(sh, world, &args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(msg) => {
            io.err_line(&format!("{name}: {msg}"));
            2
        }
    }
}

/// A test's truth for `[[ ]]` (an unreadable one is false).
pub(super) fn test_program_eval(sh: &Shell, world: &World, args: &[String]) -> bool {
    eval_test(sh, world, args).unwrap_or(false)
}

fn eval_test(sh: &Shell, world: &World, args: &[String]) -> Result<bool, String> {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    if let Some(i) = a.iter().position(|x| *x == "-o") {
        return Ok(eval_test(sh, world, &args[..i])? || eval_test(sh, world, &args[i + 1..])?);
    }
    if let Some(i) = a.iter().position(|x| *x == "-a") {
        if i > 0 {
            return Ok(eval_test(sh, world, &args[..i])? && eval_test(sh, world, &args[i + 1..])?);
        }
    }
    match a.as_slice() {
        [] => Ok(false),
        ["!", rest @ ..] => Ok(!eval_test(sh, world, &rest.iter().map(|s| s.to_string()).collect::<Vec<_>>())?),
        [s] => Ok(!s.is_empty()),
        [op, x] => {
            let stat = || world.stat(&sh.ctx, x, true);
            Ok(match *op {
                "-n" => !x.is_empty(),
                "-z" => x.is_empty(),
                "-e" => stat().is_ok(),
                "-f" => stat().map(|s| s.ftype == crate::fs::FileType::File).unwrap_or(false),
                "-d" => stat().map(|s| s.ftype == crate::fs::FileType::Dir).unwrap_or(false),
                "-s" => stat().map(|s| s.size > 0).unwrap_or(false),
                "-L" | "-h" => world.stat(&sh.ctx, x, false).map(|s| s.ftype == crate::fs::FileType::Symlink).unwrap_or(false),
                "-r" | "-w" | "-x" => stat()
                    .map(|s| {
                        let want = match *op {
                            "-r" => crate::vfs::Access::Read,
                            "-w" => crate::vfs::Access::Write,
                            _ => crate::vfs::Access::Exec,
                        };
                        crate::vfs::may(s.uid, s.gid, s.mode, s.ftype == crate::fs::FileType::Dir, &sh.ctx.cred, want)
                    })
                    .unwrap_or(false),
                _ => return Err(format!("{op}: unary operator expected")),
            })
        }
        [x, op, y] => {
            let num = |s: &str| s.trim().parse::<i64>().map_err(|_| format!("{s}: integer expression expected"));
            Ok(match *op {
                "=" | "==" => x == y,
                "!=" => x != y,
                "<" => x < y,
                ">" => x > y,
                "-eq" => num(x)? == num(y)?,
                "-ne" => num(x)? != num(y)?,
                "-lt" => num(x)? < num(y)?,
                "-le" => num(x)? <= num(y)?,
                "-gt" => num(x)? > num(y)?,
                "-ge" => num(x)? >= num(y)?,
                _ => return Err(format!("{op}: binary operator expected")),
            })
        }
        _ => Err("too many arguments".into()),
    }
}
