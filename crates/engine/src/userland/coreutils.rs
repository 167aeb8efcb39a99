//! File tools in two dialects: GNU coreutils 9.1 on the host, busybox 1.35 applets in
//! containers. Same operations, each with its own messages and output format.

use crate::clock::{tm, MONTHS};
use crate::fs::{Data, Errno, FileType};
use crate::shell::Io;
use crate::sorting::{self, sort_by};
use crate::vfs::{Ctx, Loc, Stat, WriteMode};
use crate::world::World;

use super::{getopt, users};

/// A running program: the world, its credentials and streams, and its dialect.
pub struct Proc<'a> {
    pub world: &'a mut World,
    pub ctx: Ctx,
    pub io: &'a mut Io,
    /// GNU tools (host) rather than busybox (container).
    pub gnu: bool,
    pub name: String,
    pub env: Vec<String>,
}

impl Proc<'_> {
    fn err(&mut self, msg: &str) {
        let line = format!("{}: {msg}", self.name);
        self.io.err_line(&line);
    }
    fn out(&mut self, s: &str) {
        self.io.out_str(s);
    }
    /// The same failure in each dialect's words (GNU on the host, busybox in containers).
    fn err_dialect(&mut self, gnu: &str, busybox: &str) {
        let msg = if self.gnu { gnu } else { busybox };
        self.err(msg);
    }
    pub fn out_line(&mut self, s: &str) {
        self.io.out_str(s);
        self.io.out.push(b'\n');
    }
    /// GNU quotes file names like the shell would need them.
    fn q(&self, s: &str) -> String {
        if s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:,@%".contains(c)) {
            format!("'{s}'")
        } else {
            format!("'{}'", s.replace('\'', "'\\''"))
        }
    }
    /// GNU's `quote()` in a UTF-8 locale: ‘text’ (messages about a bad value; file names use
    /// the shell quoting of [`Proc::q`]).
    fn lq(&self, s: &str) -> String {
        format!("\u{2018}{s}\u{2019}")
    }
    /// A bad value as the tool quotes it: GNU in curly quotes, busybox in straight ones.
    fn vq(&self, s: &str) -> String {
        if self.gnu {
            self.lq(s)
        } else {
            format!("'{s}'")
        }
    }
    /// GNU's failure for a bad value: the message, then where to read more.
    fn err_try(&mut self, msg: &str) -> i32 {
        let name = self.name.clone();
        self.err(msg);
        self.io.err_line(&format!("Try '{name} --help' for more information."));
        1
    }
    fn usage(&mut self) -> i32 {
        if self.gnu {
            let n = self.name.clone();
            self.err("missing operand");
            self.io.err_line(&format!("Try '{n} --help' for more information."));
            1
        } else {
            self.busybox_usage()
        }
    }
    /// busybox's usage text (`bb_show_usage`), with the applet's exit status for it.
    fn busybox_usage(&mut self) -> i32 {
        self.io.err_line(BUSYBOX_BANNER);
        match super::usage::busybox(&self.name) {
            Some(text) => self.io.err_line(text),
            None => self.io.err_line(&format!("\nUsage: {} ...", self.name)),
        }
        getopt_rules(&self.name).map_or(1, |r| r.busybox_exit)
    }
    /// A refused option (see `getopt`), in the dialect's words; its exit status.
    fn refuse_option(&mut self, foreign: &getopt::Foreign, args: &[String]) -> i32 {
        let name = self.name.clone();
        let rules = getopt_rules(&name);
        if !self.gnu {
            self.io.err.extend(getopt::message(&name, foreign));
            return self.busybox_usage();
        }
        if name == "du" {
            for byte in getopt::all_foreign_bytes(args, rules.map_or("", |r| r.gnu_values)) {
                self.io.err.extend(getopt::message(&name, &getopt::Foreign::Short(byte)));
            }
        } else {
            self.io.err.extend(getopt::message(&name, foreign));
        }
        match name.as_str() {
            "grep" => self.io.err_line("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information."),
            "tar" => self.io.err_line("Try 'tar --help' or 'tar --usage' for more information."),
            "getent" => self.io.err_line("Try `getent --help' or `getent --usage' for more information."),
            "sed" => self.io.err_line(super::usage::GNU_SED),
            "hostname" => self.io.out_str(&format!("{}\n", super::usage::HOSTNAME)),
            _ => self.io.err_line(&format!("Try '{name} --help' for more information.")),
        }
        rules.map_or(1, |r| r.gnu_exit)
    }
}

/// Splits `-abc` style options from operands (`--` ends options). Long options are kept whole.
fn split_opts(args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut only_operands = false;
    for a in args {
        if only_operands {
            operands.push(a.clone());
        } else if a == "--" {
            only_operands = true;
        } else if a.starts_with("--") {
            opts.push(a.clone());
        } else if let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) {
            for c in cluster.chars() {
                opts.push(format!("-{c}"));
            }
        } else {
            operands.push(a.clone());
        }
    }
    (opts, operands)
}

fn has(opts: &[String], short: &str, long: &str) -> bool {
    opts.iter().any(|o| o == short || (!long.is_empty() && o == long))
}

const BUSYBOX_BANNER: &str = "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.";

/// What getopt needs to know of a program to refuse an option as it does.
struct GetoptRules {
    name: &'static str,
    /// Short options that take a value, in GNU's tool and in busybox's applet.
    gnu_values: &'static str,
    busybox_values: &'static str,
    /// Exit status after a refused option.
    gnu_exit: i32,
    busybox_exit: i32,
}

const fn rules(
    name: &'static str,
    gnu_values: &'static str,
    busybox_values: &'static str,
    gnu_exit: i32,
    busybox_exit: i32,
) -> GetoptRules {
    GetoptRules { name, gnu_values, busybox_values, gnu_exit, busybox_exit }
}

/// The programs that parse options with getopt (find and dd read operands; echo, printf,
/// test and true take none; chmod in busybox reads `-é` as a mode).
const GETOPT: &[GetoptRules] = &[
    rules("basename", "s", "", 1, 1),
    rules("cat", "", "", 1, 1),
    rules("chgrp", "", "", 1, 1),
    rules("chmod", "", "", 1, 1),
    rules("chown", "", "", 1, 1),
    rules("cp", "tS", "t", 1, 1),
    rules("cut", "bcdf", "bcdf", 1, 1),
    rules("date", "dfrI", "dDrI", 1, 1),
    rules("df", "BtxF", "Bt", 1, 1),
    rules("dirname", "", "", 1, 1),
    rules("du", "BdXt", "d", 1, 1),
    rules("env", "uCS", "u", 125, 125),
    rules("getent", "s", "", 64, 1),
    rules("grep", "efmABCdD", "mefABC", 2, 2),
    rules("head", "nc", "nc", 1, 1),
    rules("hostname", "F", "F", 255, 1),
    rules("id", "", "", 1, 1),
    rules("ln", "tS", "S", 1, 1),
    rules("ls", "wITF", "w", 2, 1),
    rules("mkdir", "m", "m", 1, 1),
    rules("mv", "tS", "t", 1, 1),
    rules("readlink", "", "", 1, 1),
    rules("rm", "", "", 1, 1),
    rules("rmdir", "", "", 1, 1),
    rules("sed", "efl", "ef", 1, 1),
    rules("seq", "fst", "s", 1, 1),
    rules("sleep", "", "", 1, 1),
    rules("sort", "kotST", "kot", 2, 2),
    rules("stat", "c", "c", 1, 1),
    rules("tail", "ncs", "nc", 1, 1),
    rules("tar", "fCbgHKLNTVX", "fCTX", 64, 1),
    rules("tee", "", "", 1, 1),
    rules("touch", "dtr", "dtr", 1, 1),
    rules("uname", "", "", 1, 1),
    rules("wc", "", "", 1, 1),
    rules("whoami", "", "", 1, 1),
];

fn getopt_rules(name: &str) -> Option<&'static GetoptRules> {
    GETOPT.iter().find(|r| r.name == name)
}

pub fn run(p: &mut Proc, argv: &[String]) -> i32 {
    let args = &argv[1..];
    if let Some(rules) = getopt_rules(&p.name).filter(|r| p.gnu || r.name != "chmod") {
        let values = if p.gnu { rules.gnu_values } else { rules.busybox_values };
        // tar's first argument is a cluster of options even without its dash (`tar cf …`).
        let old_style: Vec<String>;
        let scanned = match args.first() {
            Some(first) if rules.name == "tar" && !first.starts_with('-') => {
                old_style = std::iter::once(format!("-{first}")).chain(args[1..].iter().cloned()).collect();
                &old_style[..]
            }
            _ => args,
        };
        if let Some(foreign) = getopt::first_foreign(scanned, values) {
            return p.refuse_option(&foreign, scanned);
        }
    }
    match p.name.as_str() {
        "cat" => cat(p, args),
        "ls" => ls(p, args),
        "mkdir" => mkdir(p, args),
        "rm" => rm(p, args),
        "rmdir" => rmdir(p, args),
        "touch" => touch(p, args),
        "mv" => mv(p, args),
        "cp" => cp(p, args),
        "chmod" => chmod(p, args),
        "chown" | "chgrp" => chown(p, args),
        "ln" => ln(p, args),
        "id" => id(p, args),
        "whoami" => whoami(p),
        "stat" => stat(p, args),
        "echo" => {
            let s = super::builtins::echo(args);
            p.out(&s);
            0
        }
        "printf" => {
            let Some(f) = args.first() else { return p.usage() };
            let (s, st) = super::builtins::printf(f, &args[1..]);
            p.out(&s);
            st
        }
        "pwd" => {
            let c = p.ctx.cwd.clone();
            p.out(&format!("{c}\n"));
            0
        }
        "true" => 0,
        "false" => 1,
        "test" | "[" => 0,
        "head" | "tail" => head_tail(p, args),
        "wc" => wc(p, args),
        "sort" => sort(p, args),
        "grep" => grep(p, args),
        "sed" => sed(p, args),
        "tee" => tee(p, args),
        "dd" => dd(p, args),
        "df" => df(p, args),
        "du" => du(p, args),
        "tar" => super::tar::run(p, args),
        "basename" => match args.first() {
            Some(a) => {
                let mut b = a.trim_end_matches('/').rsplit('/').next().unwrap_or("/").to_string();
                if b.is_empty() {
                    b = "/".into();
                }
                if let Some(suffix) = args.get(1) {
                    if b.ends_with(suffix.as_str()) && b != *suffix {
                        b.truncate(b.len() - suffix.len());
                    }
                }
                p.out(&format!("{b}\n"));
                0
            }
            None => p.usage(),
        },
        "dirname" => match args.first() {
            Some(a) => {
                let t = a.trim_end_matches('/');
                let d = match t.rsplit_once('/') {
                    Some(("", _)) => "/".to_string(),
                    Some((parent, _)) => parent.to_string(),
                    None => ".".to_string(),
                };
                p.out(&format!("{d}\n"));
                0
            }
            None => p.usage(),
        },
        "readlink" => {
            let (opts, ops) = split_opts(args);
            let Some(path) = ops.first() else { return p.usage() };
            if has(&opts, "-f", "") {
                match p.world.resolve(&p.ctx, path, true) {
                    Ok(l) => {
                        p.out(&format!("{}\n", l.path));
                        0
                    }
                    Err(_) => 1,
                }
            } else {
                match p.world.stat(&p.ctx, path, false) {
                    Ok(Stat { symlink: Some(t), .. }) => {
                        p.out(&format!("{t}\n"));
                        0
                    }
                    _ => 1,
                }
            }
        }
        "env" => {
            let mut env = p.env.clone();
            sorting::sort(&mut env);
            for e in env {
                p.out(&format!("{e}\n"));
            }
            0
        }
        "hostname" => {
            let h = p.world.ns_container(&p.ctx.ns).map_or_else(|| "vm".to_string(), |c| c.hostname.clone());
            p.out(&format!("{h}\n"));
            0
        }
        "uname" => {
            let (opts, _) = split_opts(args);
            let s = if has(&opts, "-a", "--all") {
                "Linux vm 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux".to_string()
            } else if has(&opts, "-r", "") {
                "6.18.44-fc-v669".into()
            } else if has(&opts, "-m", "") {
                "x86_64".into()
            } else {
                "Linux".into()
            };
            p.out(&format!("{s}\n"));
            0
        }
        "date" => {
            let t = tm(p.world.clock.secs());
            let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
            let wd = days[(p.world.clock.secs().div_euclid(86_400)).rem_euclid(7) as usize];
            let s = format!("{wd} {} {:>2} {:02}:{:02}:{:02} UTC {}", MONTHS[t.month as usize - 1], t.day, t.hour, t.min, t.sec, t.year);
            p.out(&format!("{s}\n"));
            0
        }
        "getent" => getent(p, args),
        "find" => find(p, args),
        "seq" => {
            if let Some(bad) = args.iter().find(|a| a.parse::<f64>().is_err()).filter(|_| p.gnu) {
                let q = p.lq(bad);
                return p.err_try(&format!("invalid floating point argument: {q}"));
            }
            let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
            let (a, b) = match nums.as_slice() {
                [b] => (1, *b),
                [a, b, ..] => (*a, *b),
                _ => return p.usage(),
            };
            let mut s = String::new();
            for i in a..=b.min(a + 100_000) {
                s.push_str(&format!("{i}\n"));
            }
            p.out(&s);
            0
        }
        "cut" => cut(p, args),
        "mount" if !p.gnu => mount(p, args),
        _ => {
            if p.gnu {
                let n = p.name.clone();
                p.io.err_line(&format!("bash: line 1: {n}: command not found"));
                127
            } else {
                let n = p.name.clone();
                p.io.err_line(&format!("{n}: applet not found"));
                127
            }
        }
    }
}

// ------------------------------------------------------------------------ reading

/// Reads an operand (`-` = stdin); reports errors in the dialect's words.
fn read_input(p: &mut Proc, path: &str) -> Option<Vec<u8>> {
    if path == "-" {
        return Some(std::mem::take(&mut p.io.stdin));
    }
    match p.world.read(&p.ctx, path) {
        Ok(d) => Some(limited(&d)),
        Err(Errno::IsDir) => {
            if p.gnu {
                p.err(&format!("{path}: Is a directory"));
            } else {
                p.err("read error: Is a directory");
            }
            None
        }
        Err(e) => {
            if p.gnu {
                p.err(&format!("{path}: {e}"));
            } else {
                p.err(&format!("can't open '{path}': {e}"));
            }
            None
        }
    }
}

/// Opaque (zero) content is materialized only up to a sane size.
fn limited(d: &Data) -> Vec<u8> {
    match d {
        Data::Opaque(n) => vec![0; (*n).min(1 << 20) as usize],
        d => d.to_vec(),
    }
}

fn cat(p: &mut Proc, args: &[String]) -> i32 {
    let (_, ops) = split_opts(args);
    let ops = if ops.is_empty() { vec!["-".to_string()] } else { ops };
    let mut status = 0;
    for f in ops {
        match read_input(p, &f) {
            Some(d) => p.io.out.extend_from_slice(&d),
            None => status = 1,
        }
    }
    status
}

fn head_tail(p: &mut Proc, args: &[String]) -> i32 {
    let mut lines: Option<usize> = Some(10);
    let mut bytes: Option<u64> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-n" || a == "-c" {
            let v = args.get(i + 1).cloned().unwrap_or_default();
            if a == "-n" {
                lines = v.trim_start_matches('+').parse().ok();
                if lines.is_none() && !v.is_empty() {
                    let q = p.vq(&v);
                    p.err(&if p.gnu { format!("invalid number of lines: {q}") } else { format!("invalid number {q}") });
                    return 1;
                }
            } else {
                bytes = v.parse().ok();
                lines = None;
            }
            i += 2;
            continue;
        } else if let Some(n) = a.strip_prefix("-n") {
            lines = n.trim_start_matches('+').parse().ok();
            if lines.is_none() {
                let q = p.vq(n);
                p.err(&if p.gnu { format!("invalid number of lines: {q}") } else { format!("invalid number {q}") });
                return 1;
            }
        } else if let Some(n) = a.strip_prefix("-c") {
            bytes = n.parse().ok();
            lines = None;
        } else if let Some(n) = a.strip_prefix('-').filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())) {
            lines = n.parse().ok();
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let head = p.name == "head";
    let mut status = 0;
    for f in files {
        // Large zero streams (head -c N /dev/zero) stay opaque.
        if let (Some(n), true) = (bytes, head) {
            if f != "-" {
                if let Ok(Data::Opaque(_)) = p.world.read(&p.ctx, &f) {
                    p.io.out.extend(std::iter::repeat_n(0u8, n.min(64 << 20) as usize));
                    continue;
                }
            }
        }
        let Some(d) = read_input(p, &f) else {
            status = 1;
            continue;
        };
        let out: Vec<u8> = if let Some(n) = bytes {
            let n = n as usize;
            if head {
                d[..n.min(d.len())].to_vec()
            } else {
                d[d.len().saturating_sub(n)..].to_vec()
            }
        } else {
            let n = lines.unwrap_or(10);
            let text = String::from_utf8_lossy(&d).into_owned();
            let ls: Vec<&str> = text.split_inclusive('\n').collect();
            let sel: Vec<&str> = if head { ls.iter().take(n).copied().collect() } else { ls[ls.len().saturating_sub(n)..].to_vec() };
            sel.concat().into_bytes()
        };
        p.io.out.extend_from_slice(&out);
    }
    status
}

fn wc(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let only: Vec<char> = opts.iter().filter_map(|o| o.chars().nth(1)).filter(|c| "lwc".contains(*c)).collect();
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files.clone() };
    let mut status = 0;
    for f in inputs {
        let opaque = if f == "-" { None } else { p.world.read(&p.ctx, &f).ok().filter(|d| matches!(d, Data::Opaque(_))).map(|d| d.len()) };
        let Some(d) = (if opaque.is_some() { Some(Vec::new()) } else { read_input(p, &f) }) else {
            status = 1;
            continue;
        };
        let l = d.iter().filter(|b| **b == b'\n').count();
        let w = String::from_utf8_lossy(&d).split_whitespace().count();
        let c = opaque.map(|n| n as usize).unwrap_or(d.len());
        let mut parts = Vec::new();
        for (k, v) in [('l', l), ('w', w), ('c', c)] {
            if only.is_empty() || only.contains(&k) {
                parts.push(v);
            }
        }
        let name = if f == "-" { String::new() } else { format!(" {f}") };
        let s = if parts.len() == 1 {
            format!("{}{name}", parts[0])
        } else if p.gnu {
            parts.iter().map(|v| format!("{v:>w$}", w = if files.is_empty() { 7 } else { 1 })).collect::<Vec<_>>().join(" ") + &name
        } else {
            parts.iter().map(|v| format!("{v:>7}")).collect::<Vec<_>>().join(" ") + &name
        };
        p.out(&format!("{s}\n"));
    }
    status
}

fn sort(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut lines: Vec<String> = Vec::new();
    for f in inputs {
        let Some(d) = read_input(p, &f) else { return 2 };
        lines.extend(String::from_utf8_lossy(&d).lines().map(str::to_string));
    }
    if has(&opts, "-n", "") {
        sort_by(&mut lines, |a, b| {
            let na: f64 = a.split_whitespace().next().and_then(|x| x.parse().ok()).unwrap_or(0.0);
            let nb: f64 = b.split_whitespace().next().and_then(|x| x.parse().ok()).unwrap_or(0.0);
            na.partial_cmp(&nb).unwrap_or(std::cmp::Ordering::Equal).then(a.cmp(b))
        });
    } else {
        sorting::sort(&mut lines);
    }
    if has(&opts, "-r", "") {
        lines.reverse();
    }
    if has(&opts, "-u", "") {
        lines.dedup();
    }
    for l in lines {
        p.out(&format!("{l}\n"));
    }
    0
}

fn grep(p: &mut Proc, args: &[String]) -> i32 {
    let mut pattern: Option<String> = None;
    let mut files = Vec::new();
    let (mut invert, mut count, mut quiet, mut ignore, mut only_names, mut number, mut fixed, mut extended) =
        (false, false, false, false, false, false, false, false);
    // Context lines: -A/-B/-C N (or -A3), --after-context=N and the like.
    let (mut after, mut before) = (0usize, 0usize);
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let short_context = ["-A", "-B", "-C"].iter().find_map(|flag| Some((flag.chars().nth(1)?, a.strip_prefix(flag)?)));
        let context = if let Some(value) = a.strip_prefix("--after-context=") {
            Some(('A', value.to_string(), 1))
        } else if let Some(value) = a.strip_prefix("--before-context=") {
            Some(('B', value.to_string(), 1))
        } else if let Some(value) = a.strip_prefix("--context=") {
            Some(('C', value.to_string(), 1))
        } else {
            match short_context {
                Some((kind, "")) => Some((kind, args.get(i + 1).cloned().unwrap_or_default(), 2)),
                Some((kind, value)) => Some((kind, value.to_string(), 1)),
                None => None,
            }
        };
        if let Some((kind, value, used)) = context {
            let Ok(n) = value.parse::<usize>() else {
                p.err(&format!("{value}: invalid context length argument"));
                return 2;
            };
            match kind {
                'A' => after = n,
                'B' => before = n,
                _ => (after, before) = (n, n),
            }
            i += used;
            continue;
        }
        if a == "-e" {
            pattern = args.get(i + 1).cloned();
            i += 2;
            continue;
        }
        if a.starts_with('-') && a.len() > 1 && pattern.is_none()
            || (a.starts_with('-')
                && a.len() > 1
                && files.is_empty()
                && pattern.is_some()
                && a.chars().skip(1).all(|c| "vcqilnFEsrwh".contains(c)))
        {
            for c in a.chars().skip(1) {
                match c {
                    'v' => invert = true,
                    'c' => count = true,
                    'q' => quiet = true,
                    'i' => ignore = true,
                    'l' => only_names = true,
                    'n' => number = true,
                    'F' => fixed = true,
                    'E' => extended = true,
                    _ => {}
                }
            }
        } else if pattern.is_none() {
            pattern = Some(a.clone());
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    let _ = extended;
    let Some(pattern) = pattern else { return p.usage() };
    let re = match crate::userland::coreutils::Regex::new(&pattern, fixed, ignore) {
        Some(r) => r,
        None => {
            p.err("invalid regular expression");
            return 2;
        }
    };
    let multi = files.len() > 1;
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    let mut found = false;
    let mut status_err = false;
    // With context, groups of lines that do not touch are separated by `--`, across files too.
    let mut printed_any = false;
    for f in inputs {
        let Some(d) = read_input(p, &f) else {
            status_err = true;
            continue;
        };
        let text = String::from_utf8_lossy(&d).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        let mut n = 0;
        let mut last_printed: Option<usize> = None;
        let mut after_left = 0;
        let listing = !count && !quiet && !only_names;
        let mut emit = |p: &mut Proc, k: usize, sep: char, last_printed: &mut Option<usize>| {
            if (after > 0 || before > 0) && printed_any && last_printed.is_none_or(|lp| k > lp + 1) {
                p.out("--\n");
            }
            let prefix = if multi { format!("{f}{sep}") } else { String::new() };
            let num = if number { format!("{}{sep}", k + 1) } else { String::new() };
            p.out(&format!("{prefix}{num}{}\n", lines[k]));
            *last_printed = Some(k);
            printed_any = true;
        };
        for (ln, line) in lines.iter().enumerate() {
            let is_match = re.is_match(line) != invert;
            if is_match {
                n += 1;
                found = true;
            }
            if !listing {
                continue;
            }
            if is_match {
                let first = last_printed.map_or(0, |lp| lp + 1).max(ln.saturating_sub(before));
                for k in first..ln {
                    emit(p, k, '-', &mut last_printed);
                }
                emit(p, ln, ':', &mut last_printed);
                after_left = after;
            } else if after_left > 0 {
                emit(p, ln, '-', &mut last_printed);
                after_left -= 1;
            }
        }
        if count {
            let prefix = if multi { format!("{f}:") } else { String::new() };
            p.out(&format!("{prefix}{n}\n"));
        }
        if only_names && n > 0 {
            p.out(&format!("{f}\n"));
        }
    }
    if status_err && !found {
        2
    } else if found {
        0
    } else {
        1
    }
}

/// A small regular-expression engine (POSIX ERE subset: `. * + ? | () [] ^ $ \`), enough
/// for the `grep -E` and `sed s///` lines learners type.
#[derive(Clone, Debug)]
pub struct Regex {
    alts: Vec<Vec<Atom>>,
    ignore_case: bool,
}

#[derive(Clone, Debug)]
enum AtomKind {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Group(Box<Regex>),
    Start,
    End,
}

#[derive(Clone, Debug)]
struct Atom {
    kind: AtomKind,
    min: usize,
    max: usize,
}

impl Regex {
    pub fn new(pattern: &str, fixed: bool, ignore_case: bool) -> Option<Regex> {
        let chars: Vec<char> = pattern.chars().collect();
        if fixed {
            let atoms = chars.iter().map(|c| Atom { kind: AtomKind::Char(*c), min: 1, max: 1 }).collect();
            return Some(Regex { alts: vec![atoms], ignore_case });
        }
        let mut pos = 0;
        let r = Self::parse_alts(&chars, &mut pos, ignore_case)?;
        if pos != chars.len() {
            return None;
        }
        Some(r)
    }

    fn parse_alts(c: &[char], pos: &mut usize, ic: bool) -> Option<Regex> {
        let mut alts = vec![Vec::new()];
        while *pos < c.len() {
            let ch = c[*pos];
            match ch {
                '|' => {
                    alts.push(Vec::new());
                    *pos += 1;
                    continue;
                }
                ')' => break,
                _ => {}
            }
            let kind = match ch {
                '.' => {
                    *pos += 1;
                    AtomKind::Any
                }
                '^' => {
                    *pos += 1;
                    AtomKind::Start
                }
                '$' => {
                    *pos += 1;
                    AtomKind::End
                }
                '(' => {
                    *pos += 1;
                    let inner = Self::parse_alts(c, pos, ic)?;
                    if *pos >= c.len() || c[*pos] != ')' {
                        return None;
                    }
                    *pos += 1;
                    AtomKind::Group(Box::new(inner))
                }
                '[' => {
                    *pos += 1;
                    let neg = *pos < c.len() && c[*pos] == '^';
                    if neg {
                        *pos += 1;
                    }
                    let mut ranges = Vec::new();
                    let mut first = true;
                    while *pos < c.len() && (c[*pos] != ']' || first) {
                        first = false;
                        let a = c[*pos];
                        if *pos + 2 < c.len() && c[*pos + 1] == '-' && c[*pos + 2] != ']' {
                            ranges.push((a, c[*pos + 2]));
                            *pos += 3;
                        } else {
                            ranges.push((a, a));
                            *pos += 1;
                        }
                    }
                    if *pos >= c.len() {
                        return None;
                    }
                    *pos += 1;
                    AtomKind::Class(ranges, neg)
                }
                '\\' => {
                    *pos += 1;
                    let e = *c.get(*pos)?;
                    *pos += 1;
                    match e {
                        'd' => AtomKind::Class(vec![('0', '9')], false),
                        's' => AtomKind::Class(vec![(' ', ' '), ('\t', '\t')], false),
                        'w' => AtomKind::Class(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')], false),
                        other => AtomKind::Char(other),
                    }
                }
                other => {
                    *pos += 1;
                    AtomKind::Char(other)
                }
            };
            let (mut min, mut max) = (1, 1);
            if *pos < c.len() {
                match c[*pos] {
                    '*' => {
                        min = 0;
                        max = usize::MAX;
                        *pos += 1;
                    }
                    '+' => {
                        max = usize::MAX;
                        *pos += 1;
                    }
                    '?' => {
                        min = 0;
                        *pos += 1;
                    }
                    _ => {}
                }
            }
            alts.last_mut()?.push(Atom { kind, min, max });
        }
        Some(Regex { alts, ignore_case: ic })
    }

    pub fn is_match(&self, s: &str) -> bool {
        self.find(s).is_some()
    }

    /// The first (leftmost, longest-ish) match as a char range.
    pub fn find(&self, s: &str) -> Option<(usize, usize)> {
        let chars: Vec<char> = s.chars().collect();
        for start in 0..=chars.len() {
            if let Some(end) = self.match_at(&chars, start) {
                return Some((start, end));
            }
        }
        None
    }

    fn match_at(&self, s: &[char], start: usize) -> Option<usize> {
        let mut best: Option<usize> = None;
        for alt in &self.alts {
            if let Some(e) = self.match_seq(alt, s, start) {
                best = Some(best.map_or(e, |b: usize| b.max(e)));
            }
        }
        best
    }

    fn match_seq(&self, atoms: &[Atom], s: &[char], i: usize) -> Option<usize> {
        let Some(atom) = atoms.first() else { return Some(i) };
        match &atom.kind {
            AtomKind::Start => return if i == 0 { self.match_seq(&atoms[1..], s, i) } else { None },
            AtomKind::End => return if i == s.len() { self.match_seq(&atoms[1..], s, i) } else { None },
            _ => {}
        }
        // Greedy: collect every position reachable after k repetitions.
        let mut positions = vec![i];
        let mut cur = vec![i];
        let mut k = 0;
        while k < atom.max && !cur.is_empty() {
            let mut next = Vec::new();
            for &p in &cur {
                for e in self.match_one(&atom.kind, s, p) {
                    if e != p && !next.contains(&e) {
                        next.push(e);
                    }
                }
            }
            k += 1;
            if k >= atom.min {
                positions.extend(next.iter().copied());
            }
            cur = next;
            if k > s.len() + 1 {
                break;
            }
        }
        if atom.min == 0 {
            // positions already holds i
        } else {
            positions.retain(|p| *p != i || atom.min == 0);
        }
        sorting::sort(&mut positions);
        positions.dedup();
        for &p in positions.iter().rev() {
            if let Some(e) = self.match_seq(&atoms[1..], s, p) {
                return Some(e);
            }
        }
        None
    }

    fn match_one(&self, kind: &AtomKind, s: &[char], i: usize) -> Vec<usize> {
        let eq = |a: char, b: char| if self.ignore_case { a.eq_ignore_ascii_case(&b) } else { a == b };
        match kind {
            AtomKind::Char(c) => {
                if i < s.len() && eq(s[i], *c) {
                    vec![i + 1]
                } else {
                    vec![]
                }
            }
            AtomKind::Any => {
                if i < s.len() {
                    vec![i + 1]
                } else {
                    vec![]
                }
            }
            AtomKind::Class(ranges, neg) => {
                if i >= s.len() {
                    return vec![];
                }
                let ch = s[i];
                let hit = ranges.iter().any(|(a, b)| {
                    (*a <= ch && ch <= *b) || (self.ignore_case && *a <= ch.to_ascii_lowercase() && ch.to_ascii_lowercase() <= *b)
                });
                if hit != *neg {
                    vec![i + 1]
                } else {
                    vec![]
                }
            }
            AtomKind::Group(r) => {
                let mut out = Vec::new();
                for alt in &r.alts {
                    if let Some(e) = r.match_seq(alt, s, i) {
                        out.push(e);
                    }
                }
                out
            }
            AtomKind::Start | AtomKind::End => vec![],
        }
    }
}

fn sed(p: &mut Proc, args: &[String]) -> i32 {
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

fn tee(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, files) = split_opts(args);
    let append = has(&opts, "-a", "--append");
    let data = std::mem::take(&mut p.io.stdin);
    p.io.out.extend_from_slice(&data);
    let mut status = 0;
    for f in files {
        let mode = if append { WriteMode::Append } else { WriteMode::Truncate };
        if let Err(e) = p.world.write_file(&p.ctx, &f, &Data::from_bytes(&data), mode) {
            if p.gnu {
                p.err(&format!("{f}: {e}"));
            } else {
                p.err(&format!("can't open '{f}': {e}"));
            }
            status = 1;
        }
    }
    status
}

/// busybox `mount`: without arguments it lists `/proc/mounts` as `DEV on DIR type TYPE (OPTS)`;
/// a container has no CAP_SYS_ADMIN, so mounting anything fails.
fn mount(p: &mut Proc, args: &[String]) -> i32 {
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if args.is_empty() {
        let text = p.world.read(&p.ctx, "/proc/mounts").map(|d| String::from_utf8_lossy(&d.to_vec()).into_owned()).unwrap_or_default();
        for line in text.lines() {
            let f: Vec<&str> = line.split(' ').collect();
            if let [dev, dir, fstype, opts, ..] = f[..] {
                p.io.out_str(&format!("{dev} on {dir} type {fstype} ({opts})\n"));
            }
        }
        return 0;
    }
    if p.ctx.cred.uid != 0 {
        p.err("permission denied (are you root?)");
        return 1;
    }
    match operands[..] {
        [src, dst, ..] => p.err(&format!("mounting {src} on {dst} failed: Permission denied")),
        _ => p.err(&format!("can't find {} in /etc/fstab", operands.first().map(|s| s.as_str()).unwrap_or(""))),
    }
    255
}

fn cut(p: &mut Proc, args: &[String]) -> i32 {
    let mut delim = '\t';
    let mut fields: Vec<usize> = Vec::new();
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let attached = ["-d", "-f"].iter().find_map(|flag| Some((*flag, a.strip_prefix(flag).filter(|v| !v.is_empty())?)));
        let (flag, val) = if let Some((flag, value)) = attached {
            (flag.to_string(), value.to_string())
        } else if a == "-d" || a == "-f" {
            i += 1;
            (a.clone(), args.get(i).cloned().unwrap_or_default())
        } else {
            files.push(a.clone());
            i += 1;
            continue;
        };
        if flag == "-d" {
            // GNU cut takes one byte; busybox one character.
            if p.gnu && val.len() != 1 {
                return p.err_try("the delimiter must be a single character");
            }
            delim = val.chars().next().unwrap_or('\t');
        } else {
            fields = val.split(',').filter_map(|x| x.parse().ok()).collect();
        }
        i += 1;
    }
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    for f in inputs {
        let Some(d) = read_input(p, &f) else { return 1 };
        for line in String::from_utf8_lossy(&d).lines() {
            let parts: Vec<&str> = line.split(delim).collect();
            let sel: Vec<&str> = fields.iter().filter_map(|n| parts.get(n.wrapping_sub(1)).copied()).collect();
            p.out(&format!("{}\n", sel.join(&delim.to_string())));
        }
    }
    0
}

// ------------------------------------------------------------------------ ls

/// `drwxr-xr-x` for a stat.
pub fn mode_string(st: &Stat) -> String {
    let t = match st.ftype {
        FileType::Dir => 'd',
        FileType::Symlink => 'l',
        FileType::CharDev => 'c',
        FileType::Socket => 's',
        FileType::File => '-',
    };
    let m = st.mode;
    let mut s = String::new();
    s.push(t);
    // Owner, group, other: rwx, with setuid/setgid/sticky shown in the x column.
    for (shift, special, mark) in [(6, 0o4000, 's'), (3, 0o2000, 's'), (0, 0o1000, 't')] {
        let bits = (m >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(match (bits & 1 != 0, m & special != 0) {
            (true, true) => mark,
            (false, true) => mark.to_ascii_uppercase(),
            (true, false) => 'x',
            _ => '-',
        });
    }
    s
}

/// `Nov 30 03:33` for recent times, `Jan  1  2024` for those over six months away.
pub fn ls_date(mtime: i64, now: i64) -> String {
    let t = tm(mtime);
    let m = MONTHS[t.month as usize - 1];
    if (now - mtime).abs() > 180 * 86_400 {
        format!("{m} {:>2}  {}", t.day, t.year)
    } else {
        format!("{m} {:>2} {:02}:{:02}", t.day, t.hour, t.min)
    }
}

/// mode, links, owner, group, size, date, name, owner is numeric, group is numeric.
type LsRow = (String, String, String, String, String, String, String, bool, bool);

struct LsEntry {
    name: String,
    st: Stat,
}

fn ls(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, mut ops) = split_opts(args);
    let long = has(&opts, "-l", "") || has(&opts, "-n", "") || has(&opts, "-g", "");
    let numeric = has(&opts, "-n", "--numeric-uid-gid");
    let all = has(&opts, "-a", "--all");
    let almost = has(&opts, "-A", "--almost-all");
    let dir_only = has(&opts, "-d", "--directory");
    let recursive = has(&opts, "-R", "--recursive");
    let one = has(&opts, "-1", "");
    let _ = one;
    if let Some(bad) = opts.iter().find(|o| !o.starts_with("--") && !"-l-n-a-A-d-R-1-h-g-o-F-t-r-S-i".contains(o.as_str())) {
        let c = bad.trim_start_matches('-').to_string();
        if p.gnu {
            p.err(&format!("invalid option -- '{c}'"));
            p.io.err_line("Try 'ls --help' for more information.");
            return 2;
        } else {
            p.err(&format!("invalid option -- '{c}'"));
            return 1;
        }
    }
    if ops.is_empty() {
        ops.push(".".into());
    }
    let mut status = 0;
    let mut files: Vec<LsEntry> = Vec::new();
    let mut dirs: Vec<(String, Loc)> = Vec::new();
    let fail = if p.gnu { 2 } else { 1 };
    for op in &ops {
        match p.world.resolve(&p.ctx, op, true) {
            Ok(loc) => {
                let lst = p.world.stat(&p.ctx, op, false).ok();
                let is_link = lst.as_ref().map(|s| s.ftype == FileType::Symlink).unwrap_or(false);
                if p.world.is_dir_node(&loc.node) && !dir_only && !(is_link && long && !op.ends_with('/')) {
                    dirs.push((op.clone(), loc));
                } else {
                    let st = if is_link && long {
                        lst.unwrap_or_else(|| p.world.stat_loc(&p.ctx.ns, &loc))
                    } else {
                        p.world.stat_loc(&p.ctx.ns, &loc)
                    };
                    files.push(LsEntry { name: op.clone(), st });
                }
            }
            Err(e) => {
                let q = p.q(op);
                p.err_dialect(&format!("cannot access {q}: {e}"), &format!("{op}: {e}"));
                status = fail;
            }
        }
    }
    sort_by(&mut files, |a, b| a.name.cmp(&b.name));
    sort_by(&mut dirs, |a, b| a.0.cmp(&b.0));
    let multi = ops.len() > 1 || recursive;
    let mut first_block = true;
    if !files.is_empty() {
        print_entries(p, &files, long, numeric, false);
        first_block = false;
    }
    let mut queue: Vec<(String, Loc)> = dirs;
    queue.reverse();
    while let Some((name, loc)) = queue.pop() {
        let entries = match p.world.list(&p.ctx, &loc) {
            Ok(e) => e,
            Err(e) => {
                let q = p.q(&name);
                p.err_dialect(&format!("cannot open directory {q}: {e}"), &format!("can't open '{name}': {e}"));
                status = fail;
                continue;
            }
        };
        if multi {
            if !first_block {
                p.out("\n");
            }
            p.out(&format!("{name}:\n"));
        }
        first_block = false;
        let mut list: Vec<LsEntry> = Vec::new();
        if all {
            list.push(LsEntry { name: ".".into(), st: p.world.stat_loc(&p.ctx.ns, &loc) });
            let parent = p.world.resolve(&p.ctx, &format!("{}/..", loc.path), true).unwrap_or(loc.clone());
            list.push(LsEntry { name: "..".into(), st: p.world.stat_loc(&p.ctx.ns, &parent) });
        }
        let mut subdirs = Vec::new();
        for (n, l) in entries {
            if n.starts_with('.') && !all && !almost {
                continue;
            }
            let st = p.world.stat_loc(&p.ctx.ns, &l);
            if recursive && st.ftype == FileType::Dir {
                let sub = if name.ends_with('/') { format!("{name}{n}") } else { format!("{name}/{n}") };
                subdirs.push((sub, l.clone()));
            }
            list.push(LsEntry { name: n, st });
        }
        if long {
            let total: u64 = list.iter().map(|e| e.st.blocks).sum();
            p.out(&format!("total {total}\n"));
        }
        print_entries(p, &list, long, numeric, true);
        for s in subdirs.into_iter().rev() {
            queue.push(s);
        }
    }
    status
}

fn print_entries(p: &mut Proc, list: &[LsEntry], long: bool, numeric: bool, _in_dir: bool) {
    if !long {
        for e in list {
            p.out(&format!("{}\n", e.name));
        }
        return;
    }
    let now = p.world.clock.secs();
    let owner = |w: &World, ctx: &Ctx, uid: u32| {
        if numeric {
            uid.to_string()
        } else {
            users::user_name(w, ctx, uid).unwrap_or_else(|| uid.to_string())
        }
    };
    let group = |w: &World, ctx: &Ctx, gid: u32| {
        if numeric {
            gid.to_string()
        } else {
            users::group_name(w, ctx, gid).unwrap_or_else(|| gid.to_string())
        }
    };
    let rows: Vec<LsRow> = list
        .iter()
        .map(|e| {
            let o = owner(p.world, &p.ctx, e.st.uid);
            let g = group(p.world, &p.ctx, e.st.gid);
            let o_num = o.chars().all(|c| c.is_ascii_digit());
            let g_num = g.chars().all(|c| c.is_ascii_digit());
            let size = if e.st.ftype == FileType::CharDev {
                if p.gnu {
                    format!("{}, {}", e.st.rdev.0, e.st.rdev.1)
                } else {
                    format!("{:>4}, {:>4}", e.st.rdev.0, e.st.rdev.1)
                }
            } else {
                e.st.size.to_string()
            };
            let mut name = e.name.clone();
            if let Some(t) = &e.st.symlink {
                name = format!("{name} -> {t}");
            }
            (mode_string(&e.st), e.st.nlink.to_string(), o, g, size, ls_date(e.st.mtime, now), name, o_num, g_num)
        })
        .collect();
    if p.gnu {
        let w = |f: &dyn Fn(&LsRow) -> usize| rows.iter().map(f).max().unwrap_or(0);
        let wl = w(&|r| r.1.len());
        let wo = w(&|r| r.2.chars().count());
        let wg = w(&|r| r.3.chars().count());
        let ws = w(&|r| r.4.len());
        for r in &rows {
            let o = if r.7 { format!("{:>wo$}", r.2) } else { format!("{:<wo$}", r.2) };
            let g = if r.8 { format!("{:>wg$}", r.3) } else { format!("{:<wg$}", r.3) };
            p.out(&format!("{} {:>wl$} {} {} {:>ws$} {} {}\n", r.0, r.1, o, g, r.4, r.5, r.6));
        }
    } else {
        for r in &rows {
            let size = if r.4.contains(',') { format!("{} ", r.4) } else { format!("{:>9} ", r.4) };
            p.out(&format!("{} {:>4} {:<8} {:<8} {}{} {}\n", r.0, r.1, r.2, r.3, size, r.5, r.6));
        }
    }
}

// ------------------------------------------------------------------------ changing files

fn mkdir(p: &mut Proc, args: &[String]) -> i32 {
    let mut parents = false;
    let mut mode: Option<u32> = None;
    let mut ops = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-p" || a == "--parents" {
            parents = true;
        } else if a == "-m" {
            let spec = args.get(i + 1).cloned().unwrap_or_default();
            mode = parse_mode(&spec, 0o777, true);
            if mode.is_none() {
                let q = p.vq(&spec);
                p.err(&format!("invalid mode {q}"));
                return 1;
            }
            i += 1;
        } else if a.strip_prefix('-').is_some_and(|c| !c.is_empty() && c.chars().all(|c| c == 'p' || c == 'v')) {
            parents = parents || a.contains('p');
        } else {
            ops.push(a.clone());
        }
        i += 1;
    }
    if ops.is_empty() {
        return p.usage();
    }
    let mut status = 0;
    for op in ops {
        let res = if parents {
            let mut acc = if op.starts_with('/') { String::from("/") } else { String::new() };
            let mut r = Ok(());
            for c in crate::fs::components(&op) {
                if !acc.is_empty() && !acc.ends_with('/') {
                    acc.push('/');
                }
                acc.push_str(c);
                match p.world.stat(&p.ctx, &acc, true) {
                    Ok(st) if st.ftype == FileType::Dir => continue,
                    Ok(_) => {
                        r = Err(Errno::Exists);
                        break;
                    }
                    Err(Errno::NoEnt) => {
                        if let Err(e) = p.world.mkdir(&p.ctx, &acc, 0o777) {
                            r = Err(e);
                            break;
                        }
                    }
                    Err(e) => {
                        r = Err(e);
                        break;
                    }
                }
            }
            r
        } else {
            p.world.mkdir(&p.ctx, &op, 0o777)
        };
        match res {
            Ok(()) => {
                if let Some(m) = mode {
                    let _ = p.world.set_meta(&p.ctx, &op, true, &mut |i| i.mode = m);
                }
            }
            Err(e) => {
                let q = p.q(&op);
                p.err_dialect(&format!("cannot create directory {q}: {e}"), &format!("can't create directory '{op}': {e}"));
                status = 1;
            }
        }
    }
    status
}

fn remove_tree(p: &mut Proc, path: &str) -> Result<(), Errno> {
    let loc = p.world.resolve(&p.ctx, path, false)?;
    let is_dir = p.world.is_dir_node(&loc.node) && p.world.stat_loc(&p.ctx.ns, &loc).ftype == FileType::Dir;
    if is_dir {
        let entries = p.world.list(&p.ctx, &loc)?;
        let mut first_err = None;
        for (n, _) in entries {
            let child = if path.ends_with('/') { format!("{path}{n}") } else { format!("{path}/{n}") };
            if let Err(e) = remove_tree(p, &child) {
                first_err.get_or_insert(e);
            }
        }
        if let Some(e) = first_err {
            return Err(e);
        }
        p.world.remove(&p.ctx, path, true)
    } else {
        p.world.remove(&p.ctx, path, false)
    }
}

fn rm(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let force = has(&opts, "-f", "--force");
    let recursive = has(&opts, "-r", "--recursive") || has(&opts, "-R", "");
    if ops.is_empty() {
        if force {
            return 0;
        }
        return p.usage();
    }
    let mut status = 0;
    for op in ops {
        let st = p.world.stat(&p.ctx, &op, false);
        let res = match st {
            Err(Errno::NoEnt) if force => continue,
            Err(e) => Err(e),
            Ok(s) if s.ftype == FileType::Dir && !recursive => Err(Errno::IsDir),
            Ok(s) if s.ftype == FileType::Dir => remove_tree(p, &op),
            Ok(_) => p.world.remove(&p.ctx, &op, false),
        };
        if let Err(e) = res {
            let q = p.q(&op);
            p.err_dialect(&format!("cannot remove {q}: {e}"), &format!("can't remove '{op}': {e}"));
            status = 1;
        }
    }
    status
}

fn rmdir(p: &mut Proc, args: &[String]) -> i32 {
    let (_, ops) = split_opts(args);
    if ops.is_empty() {
        return p.usage();
    }
    let mut status = 0;
    for op in ops {
        if let Err(e) = p.world.remove(&p.ctx, &op, true) {
            let q = p.q(&op);
            p.err_dialect(&format!("failed to remove {q}: {e}"), &format!("'{op}': {e}"));
            status = 1;
        }
    }
    status
}

fn touch(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let no_create = has(&opts, "-c", "--no-create");
    if ops.is_empty() {
        return p.usage();
    }
    let mut status = 0;
    let now = p.world.clock.secs();
    for op in ops {
        let res = match p.world.resolve(&p.ctx, &op, true) {
            Ok(loc) => {
                // utimensat(NOW) needs ownership or write permission.
                let st = p.world.stat_loc(&p.ctx.ns, &loc);
                if p.ctx.cred.uid != 0
                    && st.uid != p.ctx.cred.uid
                    && !crate::vfs::may(st.uid, st.gid, st.mode, st.ftype == FileType::Dir, &p.ctx.cred, crate::vfs::Access::Write)
                {
                    Err(Errno::Access)
                } else {
                    p.world.set_meta_loc(&p.ctx, &loc, &mut |i| i.mtime = now)
                }
            }
            Err(Errno::NoEnt) if no_create => Ok(()),
            Err(Errno::NoEnt) => p.world.write_file(&p.ctx, &op, &Data::empty(), WriteMode::Append).map(|_| ()),
            Err(e) => Err(e),
        };
        if let Err(e) = res {
            let q = p.q(&op);
            p.err_dialect(&format!("cannot touch {q}: {e}"), &format!("{op}: {e}"));
            status = 1;
        }
    }
    status
}

fn copy_path(p: &mut Proc, src: &str, dst: &str, recursive: bool, preserve: bool) -> Result<(), Errno> {
    let st = p.world.stat(&p.ctx, src, true)?;
    match st.ftype {
        FileType::Dir => {
            if !recursive {
                return Err(Errno::IsDir);
            }
            match p.world.stat(&p.ctx, dst, true) {
                Ok(d) if d.ftype == FileType::Dir => {}
                Ok(_) => return Err(Errno::NotDir),
                Err(_) => p.world.mkdir(&p.ctx, dst, st.mode)?,
            }
            let loc = p.world.resolve(&p.ctx, src, true)?;
            for (n, _) in p.world.list(&p.ctx, &loc)? {
                copy_path(p, &format!("{src}/{n}"), &format!("{dst}/{n}"), recursive, preserve)?;
            }
            if preserve {
                let (uid, gid, mode, mtime) = (st.uid, st.gid, st.mode, st.mtime);
                p.world.set_meta(&p.ctx, dst, true, &mut |i| {
                    i.uid = uid;
                    i.gid = gid;
                    i.mode = mode;
                    i.mtime = mtime;
                })?;
            }
            Ok(())
        }
        _ => {
            let data = p.world.read(&p.ctx, src)?;
            let existed = p.world.exists(&p.ctx, dst);
            p.world.write_file(&p.ctx, dst, &data, WriteMode::Truncate)?;
            if !existed || preserve {
                let mode = st.mode;
                let (uid, gid, mtime) = (st.uid, st.gid, st.mtime);
                let me = p.ctx.cred.clone();
                p.world.set_meta(&p.ctx, dst, true, &mut |i| {
                    i.mode = mode & if preserve { 0o7777 } else { 0o777 };
                    if preserve {
                        if me.uid == 0 {
                            i.uid = uid;
                            i.gid = gid;
                        }
                        i.mtime = mtime;
                    }
                })?;
            }
            Ok(())
        }
    }
}

fn cp(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let recursive = has(&opts, "-r", "--recursive") || has(&opts, "-R", "") || has(&opts, "-a", "--archive");
    let preserve = has(&opts, "-p", "") || has(&opts, "-a", "--archive");
    if ops.len() < 2 {
        return p.usage();
    }
    let mut status = 0;
    for (s, target) in copy_targets(p, &ops) {
        let s = &s;
        if dir_into_itself(p, s, &target) {
            if p.gnu {
                let (qs, qt) = (p.q(s), p.q(&target));
                p.err(&format!("cannot copy a directory, {qs}, into itself, {qt}"));
            } else {
                p.err(&format!("can't copy a directory into itself: '{s}'"));
            }
            status = 1;
            continue;
        }
        if let Err(e) = copy_path(p, s, &target, recursive, preserve) {
            if p.gnu {
                if e == Errno::IsDir {
                    let q = p.q(s);
                    p.err(&format!("-r not specified; omitting directory {q}"));
                } else if p.world.exists(&p.ctx, s) {
                    let q = p.q(&target);
                    p.err(&format!("cannot create regular file {q}: {e}"));
                } else {
                    let q = p.q(s);
                    p.err(&format!("cannot stat {q}: {e}"));
                }
            } else if e == Errno::IsDir {
                p.err(&format!("omitting directory '{s}'"));
            } else if p.world.exists(&p.ctx, s) {
                p.err(&format!("can't create '{target}': {e}"));
            } else {
                p.err(&format!("can't stat '{s}': {e}"));
            }
            status = 1;
        }
    }
    status
}

/// `SRC... DST` of cp and mv: each source with where it goes (into DST when it is a directory).
fn copy_targets(p: &Proc, ops: &[String]) -> Vec<(String, String)> {
    let (srcs, dst) = ops.split_at(ops.len() - 1);
    let dst = &dst[0];
    let dst_is_dir = p.world.stat(&p.ctx, dst, true).map(|s| s.ftype == FileType::Dir).unwrap_or(false);
    srcs.iter()
        .map(|s| {
            let target = if dst_is_dir {
                format!("{}/{}", dst.trim_end_matches('/'), s.trim_end_matches('/').rsplit('/').next().unwrap_or(s))
            } else {
                dst.clone()
            };
            (s.clone(), target)
        })
        .collect()
}

/// Whether the directory `src` would end up inside itself at `target`.
fn dir_into_itself(p: &Proc, src: &str, target: &str) -> bool {
    let s = crate::fs::normalize(&p.ctx.cwd, src);
    let t = crate::fs::normalize(&p.ctx.cwd, target);
    let inside = t == s || t.starts_with(&format!("{}/", s.trim_end_matches('/')));
    inside && p.world.stat(&p.ctx, src, false).map(|st| st.ftype == FileType::Dir).unwrap_or(false)
}

fn mv(p: &mut Proc, args: &[String]) -> i32 {
    let (_, ops) = split_opts(args);
    if ops.len() < 2 {
        return p.usage();
    }
    let mut status = 0;
    for (s, target) in copy_targets(p, &ops) {
        let s = &s;
        if dir_into_itself(p, s, &target) {
            if p.gnu {
                let (qs, qt) = (p.q(s), p.q(&target));
                p.err(&format!("cannot move {qs} to a subdirectory of itself, {qt}"));
            } else {
                p.err(&format!("can't rename '{s}': Invalid argument"));
            }
            status = 1;
            continue;
        }
        let mut res = p.world.rename(&p.ctx, s, &target);
        if res == Err(Errno::CrossDevice) {
            // Like mv(1): copy, then remove the source.
            res = copy_path(p, s, &target, true, true).and_then(|_| remove_tree(p, s));
        }
        if let Err(e) = res {
            if p.gnu {
                let (qs, qt) = (p.q(s), p.q(&target));
                if e == Errno::NoEnt && !p.world.exists(&p.ctx, s) {
                    p.err(&format!("cannot stat {qs}: {e}"));
                } else {
                    p.err(&format!("cannot move {qs} to {qt}: {e}"));
                }
            } else if e == Errno::NoEnt && !p.world.exists(&p.ctx, s) {
                p.err(&format!("can't stat '{s}': {e}"));
            } else {
                p.err(&format!("can't rename '{s}': {e}"));
            }
            status = 1;
        }
    }
    status
}

fn chmod(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let recursive = has(&opts, "-R", "--recursive");
    if ops.len() < 2 {
        return p.usage();
    }
    let spec = ops[0].clone();
    // GNU compiles the mode before it touches a file.
    if p.gnu && parse_mode(&spec, 0o644, false).is_none() {
        let q = p.lq(&spec);
        return p.err_try(&format!("invalid mode: {q}"));
    }
    let mut status = 0;
    for f in &ops[1..] {
        let mut targets = vec![f.clone()];
        if recursive {
            targets = walk_paths(p, f);
        }
        for t in targets {
            let st = match p.world.stat(&p.ctx, &t, true) {
                Ok(s) => s,
                Err(e) => {
                    let q = p.q(&t);
                    p.err_dialect(&format!("cannot access {q}: {e}"), &format!("{t}: {e}"));
                    status = 1;
                    continue;
                }
            };
            let Some(new_mode) = parse_mode(&spec, st.mode, st.ftype == FileType::Dir) else {
                if p.gnu {
                    let q = p.lq(&spec);
                    return p.err_try(&format!("invalid mode: {q}"));
                }
                p.err(&format!("invalid mode: {spec}"));
                return 1;
            };
            if p.ctx.cred.uid != 0 && st.uid != p.ctx.cred.uid {
                let q = p.q(&t);
                p.err_dialect(&format!("changing permissions of {q}: Operation not permitted"), &format!("{t}: Operation not permitted"));
                status = 1;
                continue;
            }
            if let Err(e) = p.world.set_meta(&p.ctx, &t, true, &mut |i| i.mode = new_mode) {
                let q = p.q(&t);
                p.err_dialect(&format!("changing permissions of {q}: {e}"), &format!("{t}: {e}"));
                status = 1;
            }
        }
    }
    status
}

/// Octal or symbolic (`u+x`, `go-w`, `a=r`) modes.
pub fn parse_mode(spec: &str, current: u32, is_dir: bool) -> Option<u32> {
    if !spec.is_empty() && spec.chars().all(|c| c.is_digit(8)) {
        return u32::from_str_radix(spec, 8).ok().map(|m| m & 0o7777);
    }
    let mut mode = current;
    for clause in spec.split(',') {
        let op_pos = clause.find(['+', '-', '='])?;
        let (who, op_and_perms) = clause.split_at_checked(op_pos)?;
        let mut op_and_perms = op_and_perms.chars();
        let op = op_and_perms.next()?;
        let perms = op_and_perms.as_str();
        let who_mask = if who.is_empty() || who.contains('a') {
            0o7777
        } else {
            let mut m = 0;
            if who.contains('u') {
                m |= 0o4700;
            }
            if who.contains('g') {
                m |= 0o2070;
            }
            if who.contains('o') {
                m |= 0o1007;
            }
            m
        };
        let mut bits = 0;
        for c in perms.chars() {
            bits |= match c {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                'X' if is_dir || current & 0o111 != 0 => 0o111,
                'X' => 0,
                's' => 0o6000,
                't' => 0o1000,
                _ => return None,
            };
        }
        let bits = bits & who_mask;
        match op {
            '+' => mode |= bits,
            '-' => mode &= !bits,
            _ => mode = (mode & !(who_mask & 0o777)) | bits,
        }
    }
    Some(mode)
}

fn walk_paths(p: &mut Proc, root: &str) -> Vec<String> {
    let mut out = vec![root.to_string()];
    if let Ok(loc) = p.world.resolve(&p.ctx, root, true) {
        if p.world.is_dir_node(&loc.node) {
            if let Ok(entries) = p.world.list(&p.ctx, &loc) {
                for (n, _) in entries {
                    out.extend(walk_paths(p, &format!("{}/{n}", root.trim_end_matches('/'))));
                }
            }
        }
    }
    out
}

fn chown(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let recursive = has(&opts, "-R", "--recursive");
    if ops.len() < 2 {
        return p.usage();
    }
    let spec = if p.name == "chgrp" { format!(":{}", ops[0]) } else { ops[0].clone() };
    let (u, g) = match spec.split_once([':', '.']) {
        Some((u, g)) => (u.to_string(), Some(g.to_string())),
        None => (spec.clone(), None),
    };
    let pw = users::passwd(p.world, &p.ctx);
    let gr = users::groups(p.world, &p.ctx);
    let uid = if u.is_empty() {
        None
    } else {
        match u.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => match pw.iter().find(|e| e.name == u) {
                Some(e) => Some(e.uid),
                None => {
                    p.err(&format!("invalid user: {}", p.vq(&spec)));
                    return 1;
                }
            },
        }
    };
    let gid = match &g {
        None => None,
        Some(g) if g.is_empty() => None,
        Some(g) => match g.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => match gr.iter().find(|e| e.name == *g) {
                Some(e) => Some(e.gid),
                None => {
                    p.err(&format!("invalid group: {}", if p.gnu { p.q(&spec) } else { format!("'{spec}'") }));
                    return 1;
                }
            },
        },
    };
    let mut status = 0;
    for f in &ops[1..] {
        let targets = if recursive { walk_paths(p, f) } else { vec![f.clone()] };
        for t in targets {
            let res = match p.world.stat(&p.ctx, &t, true) {
                Ok(st) => {
                    let allowed = p.ctx.cred.uid == 0
                        || (uid.is_none_or(|u| u == st.uid) && st.uid == p.ctx.cred.uid && gid.is_none_or(|g| p.ctx.cred.in_group(g)));
                    if !allowed {
                        Err(Errno::Perm)
                    } else {
                        p.world.set_meta(&p.ctx, &t, true, &mut |i| {
                            if let Some(u) = uid {
                                i.uid = u;
                            }
                            if let Some(g) = gid {
                                i.gid = g;
                            }
                        })
                    }
                }
                Err(e) => Err(e),
            };
            if let Err(e) = res {
                if p.gnu {
                    let q = p.q(&t);
                    if e == Errno::NoEnt {
                        p.err(&format!("cannot access {q}: {e}"));
                    } else {
                        p.err(&format!("changing ownership of {q}: {e}"));
                    }
                } else {
                    p.err(&format!("{t}: {e}"));
                }
                status = 1;
            }
        }
    }
    status
}

fn ln(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let force = has(&opts, "-f", "--force");
    if ops.len() < 2 {
        return p.usage();
    }
    let (target, link) = (&ops[0], &ops[1]);
    let link = match p.world.stat(&p.ctx, link, true) {
        Ok(s) if s.ftype == FileType::Dir => format!("{}/{}", link.trim_end_matches('/'), target.rsplit('/').next().unwrap_or(target)),
        _ => link.clone(),
    };
    if force && p.world.exists(&p.ctx, &link) {
        let _ = p.world.remove(&p.ctx, &link, false);
    }
    let res = if has(&opts, "-s", "--symbolic") {
        p.world.symlink(&p.ctx, target, &link)
    } else {
        match p.world.read(&p.ctx, target) {
            Ok(d) => p.world.write_file(&p.ctx, &link, &d, WriteMode::Truncate).map(|_| ()),
            Err(e) => Err(e),
        }
    };
    if let Err(e) = res {
        let q = p.q(&link);
        p.err_dialect(&format!("failed to create symbolic link {q}: {e}"), &format!("{link}: {e}"));
        return 1;
    }
    0
}

// ------------------------------------------------------------------------ identity

fn id(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, operands) = split_opts(args);
    let mut c = p.ctx.cred.clone();
    if let Some(user) = operands.first() {
        let known = users::passwd(p.world, &p.ctx).iter().any(|e| e.name == *user || e.uid.to_string() == *user);
        match users::resolve_user(p.world, &p.ctx, user).ok().filter(|_| known && !user.contains(':')) {
            Some((cred, _)) => c = cred,
            None => {
                let q = p.vq(user);
                p.err(&format!("{q}: no such user"));
                return 1;
            }
        }
    }
    if has(&opts, "-u", "") {
        let s =
            if has(&opts, "-n", "") { users::user_name(p.world, &p.ctx, c.uid).unwrap_or(c.uid.to_string()) } else { c.uid.to_string() };
        p.out(&format!("{s}\n"));
        return 0;
    }
    if has(&opts, "-g", "") {
        let s =
            if has(&opts, "-n", "") { users::group_name(p.world, &p.ctx, c.gid).unwrap_or(c.gid.to_string()) } else { c.gid.to_string() };
        p.out(&format!("{s}\n"));
        return 0;
    }
    let fmt_u = |w: &World, ctx: &Ctx, uid: u32| match users::user_name(w, ctx, uid) {
        Some(n) => format!("{uid}({n})"),
        None => uid.to_string(),
    };
    let fmt_g = |w: &World, ctx: &Ctx, gid: u32| match users::group_name(w, ctx, gid) {
        Some(n) => format!("{gid}({n})"),
        None => gid.to_string(),
    };
    let groups: Vec<String> = c.groups.iter().map(|g| fmt_g(p.world, &p.ctx, *g)).collect();
    let s = format!("uid={} gid={} groups={}", fmt_u(p.world, &p.ctx, c.uid), fmt_g(p.world, &p.ctx, c.gid), groups.join(","));
    p.out(&format!("{s}\n"));
    0
}

fn whoami(p: &mut Proc) -> i32 {
    let uid = p.ctx.cred.uid;
    match users::user_name(p.world, &p.ctx, uid) {
        Some(n) => {
            p.out(&format!("{n}\n"));
            0
        }
        None => {
            if p.gnu {
                p.err(&format!("cannot find name for user ID {uid}"));
            } else {
                p.err(&format!("unknown uid {uid}"));
            }
            1
        }
    }
}

fn getent(p: &mut Proc, args: &[String]) -> i32 {
    let Some(db) = args.first() else {
        p.io.err_line("Usage: getent [OPTION...] database [key ...]");
        return 1;
    };
    let file = match db.as_str() {
        "passwd" => "/etc/passwd",
        "group" => "/etc/group",
        other => {
            p.io.err_line(&format!("Unknown database: {other}"));
            return 1;
        }
    };
    let text = p.world.read(&p.ctx, file).map(|d| String::from_utf8_lossy(&d.to_vec()).into_owned()).unwrap_or_default();
    let keys = &args[1..];
    let mut found = false;
    for line in text.lines() {
        let f: Vec<&str> = line.split(':').collect();
        if keys.is_empty() || keys.iter().any(|k| f.first() == Some(&k.as_str()) || f.get(2) == Some(&k.as_str())) {
            p.out(&format!("{line}\n"));
            found = true;
        }
    }
    if found {
        0
    } else {
        2
    }
}

fn stat(p: &mut Proc, args: &[String]) -> i32 {
    let mut format: Option<String> = None;
    let mut files = Vec::new();
    let mut deref = false;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "-c" || a == "--format" {
            format = args.get(i + 1).cloned();
            i += 2;
            continue;
        } else if let Some(f) = a.strip_prefix("--format=") {
            format = Some(f.to_string());
        } else if a == "-L" {
            deref = true;
        } else {
            files.push(a.clone());
        }
        i += 1;
    }
    if files.is_empty() {
        return p.usage();
    }
    let mut status = 0;
    for f in files {
        let st = match p.world.stat(&p.ctx, &f, deref) {
            Ok(s) => s,
            Err(e) => {
                let q = p.q(&f);
                p.err_dialect(&format!("cannot statx {q}: {e}"), &format!("can't stat '{f}': {e}"));
                status = 1;
                continue;
            }
        };
        let user = users::user_name(p.world, &p.ctx, st.uid).unwrap_or_else(|| "UNKNOWN".into());
        let group = users::group_name(p.world, &p.ctx, st.gid).unwrap_or_else(|| "UNKNOWN".into());
        let t = tm(st.mtime);
        let ftype = match st.ftype {
            FileType::Dir => "directory",
            FileType::File if st.size == 0 => "regular empty file",
            FileType::File => "regular file",
            FileType::Symlink => "symbolic link",
            FileType::CharDev => "character special file",
            FileType::Socket => "socket",
        };
        let ymd = format!("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.000000000 +0000", t.year, t.month, t.day, t.hour, t.min, t.sec);
        match &format {
            Some(fmt) => {
                let mut out = String::new();
                let c: Vec<char> = fmt.chars().collect();
                let mut j = 0;
                while j < c.len() {
                    if c[j] == '%' && j + 1 < c.len() {
                        j += 1;
                        let v = match c[j] {
                            'a' => format!("{:o}", st.mode & 0o7777),
                            'A' => mode_string(&st),
                            'U' => user.clone(),
                            'G' => group.clone(),
                            'u' => st.uid.to_string(),
                            'g' => st.gid.to_string(),
                            'F' => ftype.to_string(),
                            's' => st.size.to_string(),
                            'n' => f.clone(),
                            'N' => format!("'{f}'"),
                            'h' => st.nlink.to_string(),
                            'i' => st.ino.0.to_string(),
                            'y' => ymd.clone(),
                            'Y' => st.mtime.to_string(),
                            'b' => (st.blocks * 2).to_string(),
                            '%' => "%".into(),
                            other => format!("?{other}"),
                        };
                        out.push_str(&v);
                    } else if c[j] == '\\' && j + 1 < c.len() && c[j + 1] == 'n' {
                        out.push('\n');
                        j += 1;
                    } else {
                        out.push(c[j]);
                    }
                    j += 1;
                }
                p.out(&format!("{out}\n"));
            }
            None => {
                p.out(&format!("  File: {f}\n  Size: {:<15} Blocks: {:<10} IO Block: 4096   {ftype}\n", st.size, st.blocks * 2));
                p.out(&format!(
                    "Access: ({:04o}/{})  Uid: ({:>5}/{:>8})   Gid: ({:>5}/{:>8})\n",
                    st.mode & 0o7777,
                    mode_string(&st),
                    st.uid,
                    user,
                    st.gid,
                    group
                ));
                p.out(&format!("Modify: {ymd}\n"));
            }
        }
    }
    status
}

// ------------------------------------------------------------------------ dd, df, du, find

fn dd(p: &mut Proc, args: &[String]) -> i32 {
    let mut input = "-".to_string();
    let mut output = "-".to_string();
    let mut bs: u64 = 512;
    let mut count: Option<u64> = None;
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            p.err(&format!("invalid argument '{a}'"));
            return 1;
        };
        if !matches!(k, "if" | "of" | "bs" | "ibs" | "obs" | "count" | "skip" | "seek" | "conv" | "iflag" | "oflag" | "status" | "cbs") {
            if !p.gnu {
                return p.busybox_usage();
            }
            let q = p.lq(a);
            return p.err_try(&format!("unrecognized operand {q}"));
        }
        let num = |v: &str| -> Option<u64> {
            let mut digits = v.chars();
            let mult = match digits.next_back()? {
                'k' | 'K' => 1024,
                'M' => 1 << 20,
                'G' => 1 << 30,
                _ => 1,
            };
            let n = if mult == 1 { v } else { digits.as_str() };
            n.parse::<u64>().ok().map(|x| x.saturating_mul(mult))
        };
        match k {
            "if" => input = v.to_string(),
            "of" => output = v.to_string(),
            "bs" => match num(v) {
                Some(n) if n > 0 => bs = n,
                _ => {
                    p.err(&format!("invalid number '{v}'"));
                    return 1;
                }
            },
            "count" => match num(v) {
                Some(n) => count = Some(n),
                None => {
                    p.err(&format!("invalid number '{v}'"));
                    return 1;
                }
            },
            _ => {}
        }
    }
    // The input: opaque zero streams have no end, files have their size.
    let (in_data, endless) = if input == "-" {
        (Data::from_bytes(&std::mem::take(&mut p.io.stdin)), false)
    } else {
        match p.world.read(&p.ctx, &input) {
            Ok(d) => {
                let endless = matches!(p.world.stat(&p.ctx, &input, true), Ok(s) if s.ftype == FileType::CharDev);
                (d, endless)
            }
            Err(e) => {
                p.err(&format!("can't open '{input}': {e}"));
                return 1;
            }
        }
    };
    let total_in = match (count, endless) {
        (Some(c), _) => c.saturating_mul(bs).min(if endless { u64::MAX } else { in_data.len() }),
        (None, true) => {
            p.err("refusing to copy an endless device without count=");
            return 1;
        }
        (None, false) => in_data.len(),
    };
    let payload = match &in_data {
        Data::Opaque(_) => Data::Opaque(total_in),
        Data::Bytes(b) => Data::from_bytes(&b[..(total_in as usize).min(b.len())]),
    };
    let records = |n: u64| (n / bs, if n.is_multiple_of(bs) { 0 } else { 1 });
    let mut status = 0;
    let written = if output == "-" {
        p.io.out.extend(payload.to_vec());
        total_in
    } else {
        match p.world.write_file(&p.ctx, &output, &payload, WriteMode::Truncate) {
            Ok(n) => n,
            Err(Errno::NoSpace) => {
                let n = p.world.stat(&p.ctx, &output, true).map(|s| s.size).unwrap_or(0);
                p.err(&format!("error writing '{output}': No space left on device"));
                status = 1;
                n
            }
            Err(e) => {
                p.err(&format!("can't open '{output}': {e}"));
                return 1;
            }
        }
    };
    let (full_out, part_out) = records(written);
    let read_bytes = if status == 1 { (written / bs + 1) * bs } else { total_in };
    let (full_in, part_in) = records(read_bytes.min(total_in));
    p.io.err_line(&format!("{full_in}+{part_in} records in"));
    p.io.err_line(&format!("{full_out}+{part_out} records out"));
    if p.gnu && status == 0 {
        p.io.err_line(&format!("{written} bytes copied"));
    }
    status
}

/// Busybox's human-readable sizes: `0`, `4.0K`, `64.0M`.
fn human_1k(kib: u64) -> String {
    if kib == 0 {
        return "0".into();
    }
    let units = ['K', 'M', 'G', 'T', 'P'];
    let mut v = kib as f64;
    let mut i = 0;
    while v >= 1024.0 && i < units.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    format!("{v:.1}{}", units[i])
}

/// GNU's `-h` sizes: powers of 1024, rounded up, one decimal below 10 (`4.0K`, `64M`, `251G`).
fn gnu_human(bytes: u64) -> String {
    const UNITS: [char; 6] = ['K', 'M', 'G', 'T', 'P', 'E'];
    if bytes < 1024 {
        return bytes.to_string();
    }
    let mut unit = 0;
    let mut scale: u128 = 1024;
    while unit + 1 < UNITS.len() && u128::from(bytes) >= scale * 1024 {
        scale *= 1024;
        unit += 1;
    }
    let tenths = (u128::from(bytes) * 10).div_ceil(scale);
    if tenths < 100 {
        format!("{}.{}{}", tenths / 10, tenths % 10, UNITS[unit])
    } else {
        format!("{}{}", u128::from(bytes).div_ceil(scale), UNITS[unit])
    }
}

/// One line of `df`: the file system, its size and use in KiB, where it is mounted.
struct DfRow {
    source: String,
    total: u64,
    used: u64,
    target: String,
}

fn df(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let human = has(&opts, "-h", "--human-readable");
    let ops = if ops.is_empty() { vec!["/".to_string()] } else { ops };
    let mut rows = Vec::new();
    let mut status = 0;
    for op in ops {
        let loc = match p.world.resolve(&p.ctx, &op, true) {
            Ok(l) => l,
            Err(e) => {
                p.err(&format!("{op}: {e}"));
                status = 1;
                continue;
            }
        };
        let mount = loc.mount.and_then(|m| p.world.ns_container(&p.ctx.ns)?.mounts.get(m));
        let (source, total, used, target) = match (&p.ctx.ns, mount) {
            (crate::vfs::Ns::Container(_), Some(mnt)) => {
                let mut used = 0;
                p.world.fs.walk(mnt.root, "", &mut |_, _, inode| {
                    if let crate::fs::Kind::File(d) = &inode.kind {
                        used += d.len().div_ceil(4096) * 4;
                    }
                });
                match mnt.limit {
                    Some(l) => ("tmpfs".to_string(), l / 1024, used, mnt.target.clone()),
                    None => ("/dev/vda".to_string(), 263_174_212, 11_534_336 + used, mnt.target.clone()),
                }
            }
            (crate::vfs::Ns::Container(_), None) => ("overlay".to_string(), 263_174_212, 11_534_336, "/".to_string()),
            (crate::vfs::Ns::Host, _) => ("/dev/vda".to_string(), 263_174_212, 11_534_336, "/".to_string()),
        };
        rows.push(DfRow { source, total, used, target });
    }
    // GNU df prints nothing more when no operand could be read; busybox still prints its header.
    if p.gnu && rows.is_empty() {
        return status;
    }
    let out = if p.gnu { gnu_df_table(&rows, human) } else { busybox_df_table(&rows, human) };
    p.out(&out);
    status
}

/// busybox: fixed columns, sizes to one decimal, the percentage rounded to the nearest.
fn busybox_df_table(rows: &[DfRow], human: bool) -> String {
    let mut out = String::from(if human {
        "Filesystem                Size      Used Available Use% Mounted on\n"
    } else {
        "Filesystem           1K-blocks      Used Available Use% Mounted on\n"
    });
    for r in rows {
        let avail = r.total.saturating_sub(r.used);
        let pct = (r.used * 100 + r.total / 2).checked_div(r.total).unwrap_or(0);
        if human {
            out.push_str(&format!(
                "{:<20} {:>9} {:>9} {:>9} {pct:>3}% {}\n",
                r.source,
                human_1k(r.total),
                human_1k(r.used),
                human_1k(avail),
                r.target
            ));
        } else {
            out.push_str(&format!("{:<20} {:>9} {:>9} {:>9} {pct:>3}% {}\n", r.source, r.total, r.used, avail, r.target));
        }
    }
    out
}

/// GNU coreutils: each column as wide as its widest cell (with df's minimum widths), one
/// space apart, the percentage rounded up.
fn gnu_df_table(rows: &[DfRow], human: bool) -> String {
    let size = |kib: u64| if human { gnu_human(kib * 1024) } else { kib.to_string() };
    let mut table: Vec<[String; 6]> = vec![[
        "Filesystem".into(),
        if human { "Size" } else { "1K-blocks" }.into(),
        "Used".into(),
        if human { "Avail" } else { "Available" }.into(),
        "Use%".into(),
        "Mounted on".into(),
    ]];
    for r in rows {
        let pct = if r.total == 0 { "-".to_string() } else { format!("{}%", (r.used * 100).div_ceil(r.total)) };
        table.push([r.source.clone(), size(r.total), size(r.used), size(r.total.saturating_sub(r.used)), pct, r.target.clone()]);
    }
    let mut widths = [14, 5, 5, 5, 4, 0];
    for row in &table {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &table {
        out.push_str(&format!(
            "{:<w0$} {:>w1$} {:>w2$} {:>w3$} {:>w4$} {}\n",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
            w4 = widths[4]
        ));
    }
    out
}

fn du(p: &mut Proc, args: &[String]) -> i32 {
    let (opts, ops) = split_opts(args);
    let summary = has(&opts, "-s", "--summarize");
    let human = has(&opts, "-h", "--human-readable");
    let ops = if ops.is_empty() { vec![".".to_string()] } else { ops };
    let mut status = 0;
    for op in ops {
        let paths = walk_paths(p, &op);
        let mut total = 0u64;
        let mut per_dir: Vec<(String, u64)> = Vec::new();
        for path in paths.iter().rev() {
            let Ok(st) = p.world.stat(&p.ctx, path, false) else { continue };
            let blocks = st.blocks;
            total += blocks;
            if st.ftype == FileType::Dir && !summary {
                let sub: u64 = paths
                    .iter()
                    .filter(|q| q.starts_with(&format!("{path}/")) || *q == path)
                    .filter_map(|q| p.world.stat(&p.ctx, q, false).ok())
                    .map(|s| s.blocks)
                    .sum();
                per_dir.push((path.clone(), sub));
            }
        }
        if !p.world.exists(&p.ctx, &op) {
            p.err(&format!("{}: No such file or directory", if p.gnu { format!("cannot access {}", p.q(&op)) } else { op.clone() }));
            status = 1;
            continue;
        }
        let fmt = |k: u64| if human { human_k(k) } else { k.to_string() };
        if summary {
            p.out(&format!("{}\t{op}\n", fmt(total)));
        } else {
            per_dir.reverse();
            sort_by(&mut per_dir, |a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
            for (d, k) in per_dir {
                p.out(&format!("{}\t{d}\n", fmt(k)));
            }
        }
    }
    status
}

fn human_k(k: u64) -> String {
    if k < 1024 {
        format!("{k}.0K").replace(".0K", "K")
    } else {
        format!("{:.1}M", k as f64 / 1024.0)
    }
}

fn find(p: &mut Proc, args: &[String]) -> i32 {
    let mut roots = Vec::new();
    let mut i = 0;
    while i < args.len() && !args[i].starts_with('-') {
        roots.push(args[i].clone());
        i += 1;
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    let mut name: Option<String> = None;
    let mut ftype: Option<char> = None;
    while i < args.len() {
        match args[i].as_str() {
            "-name" => {
                name = args.get(i + 1).cloned();
                i += 1;
            }
            "-type" => {
                ftype = args.get(i + 1).and_then(|t| t.chars().next());
                i += 1;
            }
            // No predicate is named outside ASCII (the ASCII ones not simulated are ignored).
            predicate if predicate.starts_with('-') && !predicate.is_ascii() => {
                if p.gnu {
                    p.err(&format!("unknown predicate `{predicate}'"));
                    return 1;
                }
                p.err(&format!("unrecognized: {predicate}"));
                return p.busybox_usage();
            }
            _ => {}
        }
        i += 1;
    }
    let mut status = 0;
    for r in roots {
        if !p.world.exists(&p.ctx, &r) {
            let msg = if p.gnu { format!("{}: No such file or directory", p.q(&r)) } else { format!("{r}: No such file or directory") };
            p.err(&msg);
            status = 1;
            continue;
        }
        for path in walk_paths(p, &r) {
            let Ok(st) = p.world.stat(&p.ctx, &path, false) else { continue };
            if let Some(t) = ftype {
                let ok = match t {
                    'f' => st.ftype == FileType::File,
                    'd' => st.ftype == FileType::Dir,
                    'l' => st.ftype == FileType::Symlink,
                    _ => true,
                };
                if !ok {
                    continue;
                }
            }
            if let Some(n) = &name {
                let base: Vec<char> = path.rsplit('/').next().unwrap_or(&path).chars().collect();
                let pat: Vec<(char, bool)> = n.chars().map(|c| (c, false)).collect();
                if !super::glob::matches(&pat, &base) {
                    continue;
                }
            }
            p.out(&format!("{path}\n"));
        }
    }
    status
}
