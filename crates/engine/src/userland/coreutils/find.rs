//! `find`: walking trees with an expression of tests (`-name`, `-type`, `-size`, `-mtime`,
//! `-newer`, `-user`, `-perm`, `-empty` …), operators (`!`, `-a`, `-o`, parentheses) and
//! actions (`-print`, `-print0`, `-delete`, `-prune`, `-quit`, `-exec`). Running another
//! program is the shell's business: `-exec` is handed back as a [`Step`] for the shell to run
//! (`shell/launch.rs`), in order with what find printed; its status counts as true.

use crate::fs::FileType;
use crate::userland::{glob, users};
use crate::vfs::Stat;

use super::Proc;

/// What find does, in order: print, or have a command run.
pub enum Step {
    Out(Vec<u8>),
    /// A complaint, told in its place among the paths printed (oracle-139).
    Err(String),
    /// A command to run; `true` for `{} +`, whose failure fails find.
    Exec(Vec<String>, bool),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Less,
    Equal,
    More,
}

fn cmp_number(text: &str) -> Option<(Cmp, &str)> {
    Some(match text.chars().next()? {
        '+' => (Cmp::More, text.get(1..)?),
        '-' => (Cmp::Less, text.get(1..)?),
        _ => (Cmp::Equal, text),
    })
}

fn compare(cmp: Cmp, value: i64, n: i64) -> bool {
    match cmp {
        Cmp::Less => value < n,
        Cmp::Equal => value == n,
        Cmp::More => value > n,
    }
}

#[derive(Clone)]
enum Perm {
    Exact(u32),
    All(u32),
    Any(u32),
}

/// The time an age test reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum WhichTime {
    Modify,
    Change,
}

#[derive(Clone)]
enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Name(String, bool),
    Path(String),
    Type(char),
    Size(Cmp, i64, u64),
    Empty,
    Newer(i64),
    /// `-mtime`, `-mmin`, `-ctime`, `-cmin`, `-atime`, `-amin`: which time, compared in units.
    Age(Cmp, i64, i64, WhichTime),
    Uid(u32),
    Gid(u32),
    Perm(Perm),
    Links(Cmp, i64),
    True,
    Print(bool),
    Delete,
    Prune,
    Quit,
    Exec(Vec<String>, bool),
}

/// Why the command line is not an expression, in each dialect's words.
enum Bad {
    Unknown(String),
    Missing(String),
    Invalid(String, String),
}

struct Parser<'a> {
    args: &'a [String],
    at: usize,
    maxdepth: Option<usize>,
    mindepth: usize,
    depth_first: bool,
    has_action: bool,
    seen_test: Option<String>,
    warnings: Vec<String>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.at).map(String::as_str)
    }
    fn value(&mut self, name: &str) -> Result<String, Bad> {
        let v = self.args.get(self.at).cloned().ok_or_else(|| Bad::Missing(name.to_string()))?;
        self.at += 1;
        Ok(v)
    }
    fn or(&mut self, p: &Proc) -> Result<Expr, Bad> {
        let mut left = self.and(p)?;
        while matches!(self.peek(), Some("-o" | "-or")) {
            self.at += 1;
            let right = self.and(p)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn and(&mut self, p: &Proc) -> Result<Expr, Bad> {
        let mut left = self.not(p)?;
        loop {
            match self.peek() {
                Some("-a" | "-and") => self.at += 1,
                Some("-o" | "-or" | ")") | None => return Ok(left),
                _ => {}
            }
            let right = self.not(p)?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
    }
    fn not(&mut self, p: &Proc) -> Result<Expr, Bad> {
        if matches!(self.peek(), Some("!" | "-not")) {
            self.at += 1;
            return Ok(Expr::Not(Box::new(self.not(p)?)));
        }
        self.primary(p)
    }
    fn primary(&mut self, p: &Proc) -> Result<Expr, Bad> {
        let Some(word) = self.peek().map(str::to_string) else { return Err(Bad::Missing(String::new())) };
        self.at += 1;
        if word == "(" {
            let inner = self.or(p)?;
            if self.peek() == Some(")") {
                self.at += 1;
            }
            return Ok(inner);
        }
        let test = |parser: &mut Self, e: Expr| {
            parser.seen_test.get_or_insert(word.clone());
            Ok(e)
        };
        match word.as_str() {
            "-name" | "-iname" => {
                let v = self.value(&word)?;
                test(self, Expr::Name(v, word == "-iname"))
            }
            "-path" | "-wholename" => {
                let v = self.value(&word)?;
                test(self, Expr::Path(v))
            }
            "-type" => {
                let v = self.value(&word)?;
                match v.chars().next().filter(|c| "fdlcpsb".contains(*c) && v.chars().count() == 1) {
                    Some(c) => test(self, Expr::Type(c)),
                    None => Err(Bad::Invalid(word.clone(), v)),
                }
            }
            "-size" => {
                let v = self.value(&word)?;
                let (cmp, rest) = cmp_number(&v).ok_or_else(|| Bad::Invalid(word.clone(), v.clone()))?;
                let digits = rest.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                let unit = match rest.get(digits.len()..) {
                    Some("") | Some("b") => 512,
                    Some("c") => 1,
                    Some("w") => 2,
                    Some("k") => 1024,
                    Some("M") => 1 << 20,
                    Some("G") => 1 << 30,
                    _ => return Err(Bad::Invalid(word.clone(), v.clone())),
                };
                let n = digits.parse().map_err(|_| Bad::Invalid(word.clone(), v.clone()))?;
                test(self, Expr::Size(cmp, n, unit))
            }
            "-empty" => test(self, Expr::Empty),
            "-newer" => {
                let v = self.value(&word)?;
                let t = p.world.stat(&p.ctx, &v, true).map_err(|_| Bad::Invalid(word.clone(), v.clone()))?.mtime;
                test(self, Expr::Newer(t))
            }
            "-mtime" | "-mmin" | "-ctime" | "-cmin" | "-atime" | "-amin" => {
                let v = self.value(&word)?;
                let (cmp, rest) = cmp_number(&v).ok_or_else(|| Bad::Invalid(word.clone(), v.clone()))?;
                let n = rest.parse().map_err(|_| Bad::Invalid(word.clone(), v.clone()))?;
                let unit = if word.ends_with("time") { 86_400 } else { 60 };
                // The access time is the modification time here: reads are not tracked.
                let which = if word.starts_with("-c") { WhichTime::Change } else { WhichTime::Modify };
                test(self, Expr::Age(cmp, n, unit, which))
            }
            "-user" | "-uid" => {
                let v = self.value(&word)?;
                let uid = users::uid_of(p.world, &p.ctx, &v).ok_or_else(|| Bad::Invalid(word.clone(), v.clone()))?;
                test(self, Expr::Uid(uid))
            }
            "-group" | "-gid" => {
                let v = self.value(&word)?;
                let gid = users::gid_of(p.world, &p.ctx, &v).ok_or_else(|| Bad::Invalid(word.clone(), v.clone()))?;
                test(self, Expr::Gid(gid))
            }
            "-perm" => {
                let v = self.value(&word)?;
                let (kind, mode) = match v.chars().next() {
                    Some('-') => ('-', v.get(1..).unwrap_or_default()),
                    Some('/') => ('/', v.get(1..).unwrap_or_default()),
                    _ => ('=', v.as_str()),
                };
                let bits = perm_bits(mode).ok_or_else(|| Bad::Invalid(word.clone(), v.clone()))?;
                let perm = match kind {
                    '-' => Perm::All(bits),
                    '/' => Perm::Any(bits),
                    _ => Perm::Exact(bits),
                };
                test(self, Expr::Perm(perm))
            }
            "-links" => {
                let v = self.value(&word)?;
                let (cmp, rest) = cmp_number(&v).ok_or_else(|| Bad::Invalid(word.clone(), v.clone()))?;
                let n = rest.parse().map_err(|_| Bad::Invalid(word.clone(), v.clone()))?;
                test(self, Expr::Links(cmp, n))
            }
            "-maxdepth" | "-mindepth" => {
                let v = self.value(&word)?;
                let n: usize = v.parse().map_err(|_| Bad::Invalid(word.clone(), v.clone()))?;
                if let Some(after) = &self.seen_test {
                    if p.gnu {
                        self.warnings.push(format!("find: warning: you have specified the global option {word} after the argument {after}, but global options are not positional, i.e., {word} affects tests specified before it as well as those specified after it.  Please specify global options before other arguments."));
                    }
                }
                if word == "-maxdepth" {
                    self.maxdepth = Some(n);
                } else {
                    self.mindepth = n;
                }
                Ok(Expr::True)
            }
            "-depth" => {
                self.depth_first = true;
                Ok(Expr::True)
            }
            "-true" => Ok(Expr::True),
            "-false" => Ok(Expr::Not(Box::new(Expr::True))),
            "-print" | "-print0" => {
                self.has_action = true;
                Ok(Expr::Print(word == "-print0"))
            }
            "-delete" => {
                self.has_action = true;
                self.depth_first = true;
                Ok(Expr::Delete)
            }
            "-prune" => Ok(Expr::Prune),
            "-quit" => Ok(Expr::Quit),
            "-exec" | "-execdir" => {
                self.has_action = true;
                let mut command = Vec::new();
                loop {
                    let Some(a) = self.args.get(self.at).cloned() else { return Err(Bad::Missing(word.clone())) };
                    self.at += 1;
                    if a == ";" {
                        return Ok(Expr::Exec(command, false));
                    }
                    if a == "+" && command.last().map(String::as_str) == Some("{}") {
                        command.pop();
                        return Ok(Expr::Exec(command, true));
                    }
                    command.push(a);
                }
            }
            _ => Err(Bad::Unknown(word)),
        }
    }
}

/// `-perm`'s mode: octal, or symbolic (`u+x`, `g=w`, `a+r`, …, joined with `,`).
fn perm_bits(mode: &str) -> Option<u32> {
    if let Ok(m) = u32::from_str_radix(mode, 8) {
        return Some(m & 0o7777);
    }
    let mut bits = 0;
    for clause in mode.split(',') {
        let at = clause.find(['+', '-', '='])?;
        let (who, perms) = (clause.get(..at)?, clause.get(at + 1..)?);
        let who_mask = if who.is_empty() || who.contains('a') {
            0o777
        } else {
            who.chars()
                .map(|c| match c {
                    'u' => 0o700,
                    'g' => 0o070,
                    'o' => 0o007,
                    _ => 0,
                })
                .sum()
        };
        let what: u32 = perms
            .chars()
            .map(|c| match c {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                _ => 0,
            })
            .sum();
        bits |= who_mask & what;
    }
    Some(bits)
}

/// One walk: what has been printed and asked for, and whether `-quit` stopped it.
struct Walk {
    steps: Vec<Step>,
    pending: Vec<(Vec<String>, Vec<String>)>,
    quit: bool,
    status: i32,
}

fn push_out(walk: &mut Walk, bytes: &[u8]) {
    if let Some(Step::Out(out)) = walk.steps.last_mut() {
        out.extend_from_slice(bytes);
    } else {
        walk.steps.push(Step::Out(bytes.to_vec()));
    }
}

fn eval(p: &mut Proc, e: &Expr, path: &str, st: &Stat, prune: &mut bool, walk: &mut Walk) -> bool {
    if walk.quit {
        return false;
    }
    match e {
        Expr::And(a, b) => eval(p, a, path, st, prune, walk) && eval(p, b, path, st, prune, walk),
        Expr::Or(a, b) => eval(p, a, path, st, prune, walk) || eval(p, b, path, st, prune, walk),
        Expr::Not(a) => !eval(p, a, path, st, prune, walk),
        Expr::Name(pattern, icase) => {
            let base = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
            let base = if base.is_empty() { path } else { base };
            let (base, pattern) = if *icase { (base.to_lowercase(), pattern.to_lowercase()) } else { (base.to_string(), pattern.clone()) };
            glob::matches(&pattern.chars().map(|c| (c, false)).collect::<Vec<_>>(), &base.chars().collect::<Vec<_>>())
        }
        Expr::Path(pattern) => glob::matches(&pattern.chars().map(|c| (c, false)).collect::<Vec<_>>(), &path.chars().collect::<Vec<_>>()),
        Expr::Type(t) => matches!(
            (t, st.ftype),
            ('f', FileType::File)
                | ('d', FileType::Dir)
                | ('l', FileType::Symlink)
                | ('c', FileType::CharDev)
                | ('b', FileType::BlockDev)
                | ('p', FileType::Fifo)
                | ('s', FileType::Socket)
        ),
        Expr::Size(cmp, n, unit) => compare(*cmp, st.size.div_ceil(*unit) as i64, *n),
        Expr::Empty => match st.ftype {
            FileType::File => st.size == 0,
            FileType::Dir => {
                p.world.resolve(&p.ctx, path, false).ok().and_then(|l| p.world.list(&p.ctx, &l).ok()).is_some_and(|e| e.is_empty())
            }
            _ => false,
        },
        Expr::Newer(t) => st.mtime > *t,
        Expr::Age(cmp, n, unit, which) => {
            let t = if *which == WhichTime::Change { st.ctime } else { st.mtime };
            compare(*cmp, (p.world.clock().secs() - t).div_euclid(*unit), *n)
        }
        Expr::Uid(uid) => st.uid == *uid,
        Expr::Gid(gid) => st.gid == *gid,
        Expr::Perm(Perm::Exact(m)) => st.mode & 0o7777 == *m,
        Expr::Perm(Perm::All(m)) => st.mode & m == *m,
        Expr::Perm(Perm::Any(m)) => *m == 0 || st.mode & m != 0,
        Expr::Links(cmp, n) => compare(*cmp, i64::from(st.nlink), *n),
        Expr::True => true,
        Expr::Print(nul) => {
            let mut bytes = path.as_bytes().to_vec();
            bytes.push(if *nul { 0 } else { b'\n' });
            push_out(walk, &bytes);
            true
        }
        Expr::Delete => {
            let dir = st.ftype == FileType::Dir;
            match p.world.remove(&p.ctx, path, dir) {
                Ok(()) => true,
                Err(err) => {
                    let msg = if p.gnu { format!("cannot delete {}: {err}", p.lq(path)) } else { format!("{path}: {err}") };
                    walk.steps.push(Step::Err(format!("{}: {msg}", p.name)));
                    walk.status = 1;
                    false
                }
            }
        }
        Expr::Prune => {
            *prune = true;
            true
        }
        Expr::Quit => {
            walk.quit = true;
            true
        }
        Expr::Exec(command, batch) => {
            if *batch {
                match walk.pending.iter_mut().find(|(c, _)| c == command) {
                    Some((_, paths)) => paths.push(path.to_string()),
                    None => walk.pending.push((command.clone(), vec![path.to_string()])),
                }
            } else {
                let argv = command.iter().map(|a| a.replace("{}", path)).collect();
                walk.steps.push(Step::Exec(argv, false));
            }
            true
        }
    }
}

fn visit(p: &mut Proc, e: &Expr, path: &str, depth: usize, limits: (Option<usize>, usize, bool), walk: &mut Walk) {
    let (maxdepth, mindepth, depth_first) = limits;
    let Ok(st) = p.world.stat(&p.ctx, path, false) else { return };
    let mut prune = false;
    let applies = depth >= mindepth;
    if applies && !depth_first {
        eval(p, e, path, &st, &mut prune, walk);
    }
    if st.ftype == FileType::Dir && !prune && !walk.quit && maxdepth.is_none_or(|m| depth < m) {
        match p.world.resolve(&p.ctx, path, false).and_then(|l| p.world.list(&p.ctx, &l)) {
            Ok(entries) => {
                for (name, _) in entries {
                    let child = if path.ends_with('/') { format!("{path}{name}") } else { format!("{path}/{name}") };
                    visit(p, e, &child, depth + 1, limits, walk);
                }
            }
            Err(err) => {
                let msg = if p.gnu { format!("{}: {err}", p.lq(path)) } else { format!("{path}: {err}") };
                walk.steps.push(Step::Err(format!("{}: {msg}", p.name)));
                walk.status = 1;
            }
        }
    }
    if applies && depth_first {
        eval(p, e, path, &st, &mut prune, walk);
    }
}

/// Walks the roots; returns what to print and run, in order, and the status.
pub fn find_steps(p: &mut Proc, args: &[String]) -> (Vec<Step>, i32) {
    let roots_end = args.iter().position(|a| a.starts_with('-') || a == "!" || a == "(").unwrap_or(args.len());
    let mut roots: Vec<String> = args[..roots_end].to_vec();
    if roots.is_empty() {
        roots.push(".".into());
    }
    let mut parser = Parser {
        args: &args[roots_end..],
        at: 0,
        maxdepth: None,
        mindepth: 0,
        depth_first: false,
        has_action: false,
        seen_test: None,
        warnings: Vec::new(),
    };
    let parsed = if parser.args.is_empty() { Ok(Expr::True) } else { parser.or(p) };
    let expr = match parsed {
        Ok(_) if parser.at < parser.args.len() => Err(Bad::Unknown(parser.args[parser.at].clone())),
        other => other,
    };
    let expr = match expr {
        Ok(e) => e,
        Err(bad) => {
            if let (Bad::Unknown(w), false) = (&bad, p.gnu) {
                // busybox names what it did not recognize, then shows its usage.
                p.err(&format!("unrecognized: {w}"));
                return (Vec::new(), p.busybox_usage());
            }
            let (gnu, busybox) = match bad {
                Bad::Unknown(w) if w.starts_with('-') => (format!("unknown predicate `{w}'"), format!("unrecognized: {w}")),
                Bad::Unknown(w) => (format!("paths must precede expression: `{w}'"), format!("unrecognized: {w}")),
                Bad::Missing(w) => (format!("missing argument to `{w}'"), format!("{w}: requires an argument")),
                Bad::Invalid(w, v) => (format!("invalid argument `{v}' to `{w}'"), format!("invalid argument '{v}' to '{w}'")),
            };
            p.err_dialect(&gnu, &busybox);
            return (Vec::new(), 1);
        }
    };
    for w in &parser.warnings {
        p.io.err_line(w);
    }
    let expr = if parser.has_action { expr } else { Expr::And(Box::new(expr), Box::new(Expr::Print(false))) };
    let limits = (parser.maxdepth, parser.mindepth, parser.depth_first);
    let mut walk = Walk { steps: Vec::new(), pending: Vec::new(), quit: false, status: 0 };
    for root in roots {
        if !p.world.exists(&p.ctx, &root) && p.world.stat(&p.ctx, &root, false).is_err() {
            // GNU quotes the path as a value, in curly quotes.
            let msg =
                if p.gnu { format!("{}: No such file or directory", p.lq(&root)) } else { format!("{root}: No such file or directory") };
            walk.steps.push(Step::Err(format!("{}: {msg}", p.name)));
            walk.status = 1;
            continue;
        }
        visit(p, &expr, &root, 0, limits, &mut walk);
    }
    for (command, paths) in std::mem::take(&mut walk.pending) {
        let mut argv = command;
        argv.extend(paths);
        walk.steps.push(Step::Exec(argv, true));
    }
    (walk.steps, walk.status)
}

/// `find` without `-exec`: what it prints.
pub(super) fn find(p: &mut Proc, args: &[String]) -> i32 {
    let (steps, status) = find_steps(p, args);
    for step in steps {
        match step {
            Step::Out(bytes) => p.io.write_out(&bytes),
            Step::Err(line) => p.io.err_line(&line),
            Step::Exec(..) => {}
        }
    }
    status
}
