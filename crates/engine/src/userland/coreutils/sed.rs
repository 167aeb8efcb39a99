//! `sed`: scripts of commands (`s`, `d`, `p`, `q`, `a`, `i`, `c`, `y`, `=`, `n`, `N`, the hold
//! space `h H g G x`, blocks `{ }`, labels and branches `: b t`), each with its addresses
//! (line numbers, `$`, `/regex/`, ranges, `first~step`, `!`), on stdin, files or in place
//! (`-i`), with basic or extended (`-E`) expressions. GNU's messages on the host, busybox's in
//! containers.

use crate::fs::Data;
use crate::vfs::WriteMode;

use super::{read_input, Proc, Regex};

#[derive(Clone)]
enum Addr {
    Line(usize),
    Last,
    Re(Option<Regex>),
    Step(usize, usize),
}

#[derive(Clone)]
enum Cmd {
    Subst { re: Option<Regex>, rep: String, global: bool, nth: usize, print: bool },
    Delete,
    Print,
    Quit(i32, bool),
    Append(String),
    Insert(String),
    Change(String),
    LineNumber,
    Translate(Vec<char>, Vec<char>),
    Next,
    NextAppend,
    Hold,
    HoldAppend,
    Get,
    GetAppend,
    Exchange,
    Label,
    Branch(Option<String>),
    BranchIfSubst(Option<String>),
    BlockStart(usize),
    BlockEnd,
}

#[derive(Clone)]
struct Command {
    from: Option<Addr>,
    to: Option<Addr>,
    /// `addr1,+N`: the range ends N lines after it starts.
    to_plus: Option<usize>,
    negate: bool,
    cmd: Cmd,
    label: Option<String>,
}

struct ParseError {
    at: usize,
    message: String,
}

struct Parser<'a> {
    c: Vec<char>,
    i: usize,
    extended: bool,
    gnu: bool,
    blocks: Vec<usize>,
    out: &'a mut Vec<Command>,
}

impl Parser<'_> {
    fn fail<T>(&self, message: &str) -> Result<T, ParseError> {
        // An unterminated command is reported at the script's last character.
        let at = if message.starts_with("unterminated") { self.c.len().saturating_sub(1) } else { self.i.min(self.c.len()) };
        Err(ParseError { at, message: message.to_string() })
    }
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }
    fn blanks(&mut self) {
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.i += 1;
        }
    }
    fn number(&mut self) -> Option<usize> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        self.c[start..self.i].iter().collect::<String>().parse().ok()
    }
    /// Text up to `delim` (a `\delim` is the character; `\n` a newline in replacements).
    fn delimited(&mut self, delim: char, keep_escapes: bool) -> Result<String, ParseError> {
        let mut s = String::new();
        loop {
            let Some(c) = self.peek() else { return self.fail("unterminated") };
            self.i += 1;
            if c == delim {
                return Ok(s);
            }
            if c == '\\' {
                let Some(n) = self.peek() else { return self.fail("unterminated") };
                self.i += 1;
                if n == delim {
                    s.push(n);
                } else if n == 'n' && !keep_escapes {
                    s.push('\n');
                } else {
                    s.push('\\');
                    s.push(n);
                }
                continue;
            }
            s.push(c);
        }
    }
    fn regex(&self, text: &str, icase: bool) -> Result<Option<Regex>, ParseError> {
        if text.is_empty() {
            return Ok(None);
        }
        let re = if self.extended { Regex::new(text, false, icase) } else { Regex::basic(text, icase) };
        match re {
            Some(r) => Ok(Some(r)),
            None => self.fail("Invalid preceding regular expression"),
        }
    }
    fn address(&mut self) -> Result<Option<Addr>, ParseError> {
        match self.peek() {
            Some(c) if c.is_ascii_digit() => {
                let n = self.number().unwrap_or(0);
                if self.peek() == Some('~') {
                    self.i += 1;
                    let step = self.number().unwrap_or(0);
                    return Ok(Some(Addr::Step(n, step)));
                }
                Ok(Some(Addr::Line(n)))
            }
            Some('$') => {
                self.i += 1;
                Ok(Some(Addr::Last))
            }
            Some('/') | Some('\\') => {
                let delim = if self.peek() == Some('\\') {
                    self.i += 1;
                    let Some(d) = self.peek() else { return self.fail("unexpected `,'") };
                    d
                } else {
                    '/'
                };
                self.i += 1;
                let text = self.delimited(delim, true)?;
                let icase = self.peek() == Some('I');
                if icase {
                    self.i += 1;
                }
                Ok(Some(Addr::Re(self.regex(&text, icase)?)))
            }
            _ => Ok(None),
        }
    }
    /// The text of `a`, `i`, `c`: GNU's one-liner (`a text`) or `a\` and the next line.
    fn text_arg(&mut self) -> String {
        self.blanks();
        if self.peek() == Some('\\') {
            self.i += 1;
            if self.peek() == Some('\n') {
                self.i += 1;
            }
        }
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c == '\n' {
                break;
            }
            self.i += 1;
            if c == '\\' {
                if let Some(n) = self.peek() {
                    self.i += 1;
                    s.push(n);
                }
                continue;
            }
            s.push(c);
        }
        s
    }
    fn label(&mut self) -> Option<String> {
        self.blanks();
        let mut s = String::new();
        while let Some(c) = self.peek().filter(|c| *c != ';' && *c != '\n' && *c != '}') {
            s.push(c);
            self.i += 1;
        }
        let s = s.trim_end().to_string();
        (!s.is_empty()).then_some(s)
    }
    fn script(&mut self) -> Result<(), ParseError> {
        loop {
            while self.peek().is_some_and(|c| c.is_whitespace() || c == ';') {
                self.i += 1;
            }
            if self.peek().is_none() {
                return Ok(());
            }
            let from = self.address()?;
            let (mut to, mut to_plus) = (None, None);
            if from.is_some() && self.peek() == Some(',') {
                self.i += 1;
                if self.peek() == Some('+') {
                    self.i += 1;
                    to_plus = self.number();
                } else {
                    to = self.address()?;
                    if to.is_none() {
                        return self.fail("unexpected `,'");
                    }
                }
            }
            self.blanks();
            let mut negate = false;
            while self.peek() == Some('!') {
                negate = true;
                self.i += 1;
                self.blanks();
            }
            let Some(c) = self.peek() else { return self.fail("missing command") };
            self.i += 1;
            let mut label = None;
            let cmd = match c {
                's' => {
                    let Some(delim) = self.peek() else { return self.fail("unterminated `s' command") };
                    self.i += 1;
                    let pattern = self.delimited(delim, true).or_else(|_| self.fail("unterminated `s' command"))?;
                    let rep = self.delimited(delim, true).or_else(|_| self.fail("unterminated `s' command"))?;
                    let (mut global, mut nth, mut print, mut icase) = (false, 1, false, false);
                    while let Some(f) = self.peek() {
                        match f {
                            'g' => global = true,
                            'p' => print = true,
                            'i' | 'I' => icase = true,
                            d if d.is_ascii_digit() => {
                                nth = self.number().unwrap_or(1);
                                continue;
                            }
                            _ => break,
                        }
                        self.i += 1;
                    }
                    Cmd::Subst { re: self.regex(&pattern, icase)?, rep, global, nth, print }
                }
                'd' => Cmd::Delete,
                'p' => Cmd::Print,
                'q' | 'Q' => {
                    self.blanks();
                    Cmd::Quit(self.number().unwrap_or(0) as i32, c == 'q')
                }
                'a' => Cmd::Append(self.text_arg()),
                'i' => Cmd::Insert(self.text_arg()),
                'c' => Cmd::Change(self.text_arg()),
                '=' => Cmd::LineNumber,
                'y' => {
                    let Some(delim) = self.peek() else { return self.fail("unterminated `y' command") };
                    self.i += 1;
                    let a: Vec<char> = self.delimited(delim, false)?.chars().collect();
                    let b: Vec<char> = self.delimited(delim, false)?.chars().collect();
                    if a.len() != b.len() {
                        return self.fail("strings for `y' command are different lengths");
                    }
                    Cmd::Translate(a, b)
                }
                'n' => Cmd::Next,
                'N' => Cmd::NextAppend,
                'h' => Cmd::Hold,
                'H' => Cmd::HoldAppend,
                'g' => Cmd::Get,
                'G' => Cmd::GetAppend,
                'x' => Cmd::Exchange,
                ':' => {
                    label = self.label();
                    if label.is_none() {
                        return self.fail("\":\" lacks a label");
                    }
                    Cmd::Label
                }
                'b' => Cmd::Branch(self.label()),
                't' => Cmd::BranchIfSubst(self.label()),
                '{' => {
                    self.blocks.push(self.out.len());
                    Cmd::BlockStart(0)
                }
                '}' => {
                    let Some(open) = self.blocks.pop() else { return self.fail("unexpected `}'") };
                    let end = self.out.len();
                    if let Cmd::BlockStart(target) = &mut self.out[open].cmd {
                        *target = end + 1;
                    }
                    Cmd::BlockEnd
                }
                other => {
                    self.i -= 1;
                    return self.fail(&format!("unknown command: `{other}'"));
                }
            };
            self.out.push(Command { from, to, to_plus, negate, cmd, label });
            self.blanks();
            if let Some(c) = self.peek() {
                if c != ';' && c != '\n' && c != '}' && !self.gnu {
                    return self.fail("extra characters after command");
                }
            }
        }
    }
}

/// The running script's state: the pattern and hold spaces, where each range stands.
struct Run<'a> {
    program: &'a [Command],
    hold: String,
    last_re: Option<Regex>,
    ranges: Vec<Option<usize>>,
    line_no: usize,
}

fn expand_replacement(rep: &str, text: &str, caps: &[Option<(usize, usize)>]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let group = |n: usize| -> String { caps.get(n).copied().flatten().map(|(a, b)| chars[a..b].iter().collect()).unwrap_or_default() };
    let mut out = String::new();
    let mut case: Option<bool> = None;
    let mut one: Option<bool> = None;
    let push = |out: &mut String, s: &str, case: Option<bool>, one: &mut Option<bool>| {
        for ch in s.chars() {
            let upper = one.take().or(case);
            match upper {
                Some(true) => out.extend(ch.to_uppercase()),
                Some(false) => out.extend(ch.to_lowercase()),
                None => out.push(ch),
            }
        }
    };
    let r: Vec<char> = rep.chars().collect();
    let mut i = 0;
    while i < r.len() {
        match r[i] {
            '&' => push(&mut out, &group(0), case, &mut one),
            '\\' if i + 1 < r.len() => {
                i += 1;
                match r[i] {
                    d @ '0'..='9' => push(&mut out, &group(d as usize - '0' as usize), case, &mut one),
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'U' => case = Some(true),
                    'L' => case = Some(false),
                    'E' => case = None,
                    'u' => one = Some(true),
                    'l' => one = Some(false),
                    other => push(&mut out, &other.to_string(), case, &mut one),
                }
            }
            other => push(&mut out, &other.to_string(), case, &mut one),
        }
        i += 1;
    }
    out
}

/// `s///` on the pattern space; whether it replaced anything.
pub(super) fn substitute(space: &mut String, re: &Regex, rep: &str, global: bool, nth: usize) -> bool {
    let mut out = String::new();
    let chars: Vec<char> = space.chars().collect();
    let (mut pos, mut copied, mut count, mut done) = (0, 0, 0, false);
    while pos <= chars.len() {
        let Some(caps) = re.captures_from(space, pos) else { break };
        let Some((a, b)) = caps[0] else { break };
        count += 1;
        if count >= nth {
            out.extend(&chars[copied..a]);
            out.push_str(&expand_replacement(rep, space, &caps));
            copied = b;
            done = true;
            if !global {
                break;
            }
        }
        pos = if b == a { b + 1 } else { b };
    }
    if done {
        out.extend(&chars[copied.min(chars.len())..]);
        *space = out;
    }
    done
}

impl Run<'_> {
    fn matches(&mut self, addr: &Addr, space: &str, last: bool) -> bool {
        match addr {
            Addr::Line(n) => self.line_no == *n,
            Addr::Last => last,
            Addr::Step(first, step) => {
                if *step == 0 {
                    self.line_no == *first
                } else {
                    self.line_no >= *first && (self.line_no - first).is_multiple_of(*step)
                }
            }
            Addr::Re(re) => {
                if let Some(r) = re {
                    self.last_re = Some(r.clone());
                }
                self.last_re.as_ref().is_some_and(|r| r.is_match(space))
            }
        }
    }

    /// Whether command `k` applies to this line (ranges remember where they started).
    fn selected(&mut self, k: usize, space: &str, last: bool) -> bool {
        let program = self.program;
        let c = &program[k];
        let hit = match (&c.from, &c.to, c.to_plus) {
            (None, _, _) => true,
            (Some(from), None, None) => self.matches(from, space, last),
            (Some(from), to, plus) => {
                let state = self.ranges[k];
                match state {
                    Some(start) => {
                        let ends = match (to, plus) {
                            (Some(Addr::Line(n)), _) => self.line_no >= *n,
                            (Some(to), _) => self.matches(to, space, last),
                            (None, Some(p)) => self.line_no >= start + p,
                            (None, None) => true,
                        };
                        if ends {
                            self.ranges[k] = None;
                        }
                        true
                    }
                    None if self.matches(from, space, last) => {
                        // A range whose end is a line already passed covers its first line only.
                        let single = match (to, plus) {
                            (Some(Addr::Line(n)), _) => *n <= self.line_no,
                            (None, Some(0)) => true,
                            _ => false,
                        };
                        if !single {
                            self.ranges[k] = Some(self.line_no);
                        }
                        true
                    }
                    None => false,
                }
            }
        };
        hit != c.negate
    }
}

/// What ends a cycle early.
enum Flow {
    Continue,
    Delete,
    Quit(i32, bool),
}

pub(super) fn sed(p: &mut Proc, args: &[String]) -> i32 {
    let (mut scripts, mut files) = (Vec::new(), Vec::new());
    let (mut quiet, mut in_place, mut extended, mut separate) = (false, false, false, false);
    let mut i = 0;
    while let Some(a) = args.get(i) {
        i += 1;
        match a.as_str() {
            "-e" | "--expression" => match args.get(i) {
                Some(s) => {
                    scripts.push(s.clone());
                    i += 1;
                }
                None => return p.usage(),
            },
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-s" | "--separate" => separate = true,
            s if s.starts_with("-i") || s.starts_with("--in-place") => in_place = true,
            s if s.starts_with("--expression=") => scripts.push(s.trim_start_matches("--expression=").to_string()),
            s if s.starts_with('-') && s.len() > 1 && s.chars().skip(1).all(|c| "nErsi".contains(c)) => {
                quiet |= s.contains('n');
                extended |= s.contains('E') || s.contains('r');
                in_place |= s.contains('i');
            }
            _ => files.push(a.clone()),
        }
    }
    if scripts.is_empty() {
        if files.is_empty() {
            return p.usage();
        }
        scripts.push(files.remove(0));
    }
    let mut program = Vec::new();
    for (n, script) in scripts.iter().enumerate() {
        if p.gnu && script.starts_with('s') && script.chars().nth(1).is_some_and(|d| !d.is_ascii()) {
            p.err(&format!("-e expression #{}, char 2: delimiter character is not a single-byte character", n + 1));
            return 1;
        }
        let mut parser = Parser { c: script.chars().collect(), i: 0, extended, gnu: p.gnu, blocks: Vec::new(), out: &mut program };
        let parsed = parser.script().and_then(|()| if parser.blocks.is_empty() { Ok(()) } else { parser.fail("unmatched `{'") });
        if let Err(e) = parsed {
            if p.gnu {
                p.err(&format!("-e expression #{}, char {}: {}", n + 1, e.at + 1, e.message));
            } else {
                p.err(&format!("bad command: {}", e.message));
            }
            return 1;
        }
    }
    let inputs = if files.is_empty() { vec!["-".to_string()] } else { files };
    let separate = separate || in_place;
    let mut texts = Vec::new();
    // A file that cannot be read is told and skipped; the status says so at the end.
    let mut unread = false;
    for f in &inputs {
        let Some(d) = read_input(p, f) else {
            unread = true;
            continue;
        };
        texts.push((f.clone(), String::from_utf8_lossy(&d).into_owned()));
    }
    let mut run = Run { program: &program, hold: String::new(), last_re: None, ranges: vec![None; program.len()], line_no: 0 };
    let mut status = 0;
    let mut out = Output::default();
    let mut lines: Vec<(usize, String)> = Vec::new();
    // The last line of the input when no newline ends it: printed without one (GNU's and
    // busybox's sed both keep a file's missing newline).
    let mut unterminated = None;
    for (k, (_, text)) in texts.iter().enumerate() {
        lines.extend(text.lines().map(|l| (k, l.to_string())));
        unterminated = (!text.is_empty() && !text.ends_with('\n')).then(|| lines.len() - 1);
    }
    let mut at = 0;
    let mut quit = false;
    while at < lines.len() && !quit {
        let file = lines[at].0;
        let is_last = |at: usize| if separate { lines.get(at + 1).is_none_or(|(f, _)| *f != file) } else { at + 1 == lines.len() };
        let mut space = lines[at].1.clone();
        run.line_no += 1;
        let chomped = |at: usize| unterminated != Some(at);
        let mut appended = Vec::new();
        let mut substituted = false;
        let mut pc = 0;
        let mut flow = Flow::Continue;
        while pc < program.len() {
            let last = is_last(at);
            if !run.selected(pc, &space, last) {
                pc = match program[pc].cmd {
                    Cmd::BlockStart(end) => end,
                    _ => pc + 1,
                };
                continue;
            }
            let mut next = pc + 1;
            match &program[pc].cmd {
                Cmd::Subst { re, rep, global, nth, print } => {
                    if let Some(r) = re {
                        run.last_re = Some(r.clone());
                    }
                    if let Some(r) = run.last_re.clone() {
                        if substitute(&mut space, &r, rep, *global, *nth) {
                            substituted = true;
                            if *print {
                                out.line(&space, chomped(at));
                            }
                        }
                    }
                }
                Cmd::Delete => {
                    flow = Flow::Delete;
                    break;
                }
                Cmd::Print => out.line(&space, chomped(at)),
                Cmd::Quit(code, print) => {
                    flow = Flow::Quit(*code, *print);
                    break;
                }
                Cmd::Append(t) => appended.push(t.clone()),
                Cmd::Insert(t) => out.line(t, true),
                Cmd::Change(t) => {
                    // In a range, the text replaces the range: it comes at its last line.
                    if run.ranges[pc].is_none() || program[pc].to.is_none() && program[pc].to_plus.is_none() {
                        out.line(t, true);
                    }
                    flow = Flow::Delete;
                    break;
                }
                Cmd::LineNumber => out.line(&run.line_no.to_string(), true),
                Cmd::Translate(a, b) => {
                    space = space.chars().map(|c| a.iter().position(|x| *x == c).map_or(c, |k| b[k])).collect();
                }
                Cmd::Next | Cmd::NextAppend => {
                    if at + 1 >= lines.len() || (separate && is_last(at)) {
                        // No next line: GNU prints the pattern space and ends.
                        if matches!(program[pc].cmd, Cmd::Next) || p.gnu {
                            flow = Flow::Quit(0, true);
                        } else {
                            flow = Flow::Delete;
                        }
                        break;
                    }
                    if matches!(program[pc].cmd, Cmd::Next) {
                        if !quiet {
                            out.line(&space, chomped(at));
                        }
                        for t in appended.drain(..) {
                            out.line(&t, true);
                        }
                        at += 1;
                        space = lines[at].1.clone();
                    } else {
                        at += 1;
                        space = format!("{space}\n{}", lines[at].1);
                    }
                    run.line_no += 1;
                }
                Cmd::Hold => run.hold = space.clone(),
                Cmd::HoldAppend => run.hold = format!("{}\n{space}", run.hold),
                Cmd::Get => space = run.hold.clone(),
                Cmd::GetAppend => space = format!("{space}\n{}", run.hold),
                Cmd::Exchange => std::mem::swap(&mut space, &mut run.hold),
                Cmd::Label | Cmd::BlockEnd | Cmd::BlockStart(_) => {}
                Cmd::Branch(label) | Cmd::BranchIfSubst(label) => {
                    let taken = matches!(program[pc].cmd, Cmd::Branch(_)) || std::mem::take(&mut substituted);
                    // A loop that never ends (`:a;ba`) stops at the step budget, as a shell loop does.
                    if taken && !p.world.take_step() {
                        quit = true;
                        flow = Flow::Delete;
                        break;
                    }
                    if taken {
                        next = match label {
                            Some(l) => match program.iter().position(|c| c.label.as_deref() == Some(l.as_str())) {
                                Some(k) => k,
                                None => {
                                    p.err(&format!("can't find label for jump to `{l}'"));
                                    return 1;
                                }
                            },
                            None => program.len(),
                        };
                    }
                }
            }
            pc = next;
        }
        match flow {
            Flow::Delete => {}
            Flow::Continue => {
                if !quiet {
                    out.line(&space, chomped(at));
                }
            }
            Flow::Quit(code, print) => {
                if print && !quiet {
                    out.line(&space, chomped(at));
                }
                status = code;
                quit = true;
            }
        }
        for t in appended {
            out.line(&t, true);
        }
        // In place, each file gets its own output when its last line is done.
        if in_place && (is_last(at) || quit) {
            let name = texts[file].0.clone();
            if name != "-" {
                if let Err(e) = p.world.write_file(&p.ctx, &name, &Data::from_bytes(out.text.as_bytes()), WriteMode::Truncate) {
                    p.err(&format!("couldn't open temporary file {name}: {e}"));
                    return 4;
                }
                out = Output::default();
            }
            run.line_no = 0;
        }
        at += 1;
    }
    p.out(&out.text);
    match (unread, status) {
        (true, 0) if p.gnu => 2,
        (true, 0) => 1,
        _ => status,
    }
}

/// sed's output: a line printed without its newline (the input's unterminated last line)
/// gets one only when more output follows.
#[derive(Default)]
struct Output {
    text: String,
    missing_newline: bool,
}

impl Output {
    fn line(&mut self, line: &str, newline: bool) {
        if std::mem::take(&mut self.missing_newline) {
            self.text.push('\n');
        }
        self.text.push_str(line);
        if newline {
            self.text.push('\n');
        } else {
            self.missing_newline = true;
        }
    }
}
