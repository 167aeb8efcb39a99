//! Runs parsed lines: expansion, redirection, pipelines, builtins, and external programs.

use super::ast::*;
use super::frames::Frame;
use super::parse::{parse, ParseError};
use super::process::{loop_step, Flavor, Flow, Shell};
use crate::fs::{Data, Errno, Kind};
use crate::userland::{self, Io};
use crate::vfs::WriteMode;
use crate::world::World;

/// Function calls nest at most this deep: a recursion (`:(){ :|:& };:`) stops here as at the
/// step budget, before the stack runs out.
const MAX_CALLS: u32 = 64;

/// Where a command's stdout and stderr go, and its stdin when redirected (with the regular
/// file's modification time if it is one).
type Redirected = (Dest, Dest, Option<(Vec<u8>, Option<i64>)>);

/// A redirection target after setup.
#[derive(Clone, Debug, PartialEq)]
enum Dest {
    Out,
    Err,
    File(String),
    Null,
}

impl Shell {
    /// The status of a command whose redirection failed: dash's is 2.
    fn redirect_failure_status(&self) -> i32 {
        if self.flavor == Flavor::Dash {
            2
        } else {
            1
        }
    }

    /// Parses and runs a script; syntax errors are reported as the dialect does.
    pub fn run_script(&mut self, world: &mut World, src: &str, io: &mut Io) -> Flow {
        match parse(src) {
            Ok(list) if self.flavor != Flavor::Bash && super::compound::has_select(&list) => {
                self.report_syntax(src, ParseError::Unexpected("do".into()), io);
                self.status = 2;
                Flow::Exit(2)
            }
            Ok(list) => {
                let flow = self.run_items(world, &list, self.runs_tail_in_place, io);
                // The jobs left running end with the shell: what they wrote comes last (a shell
                // that sleeps on keeps them).
                if flow != Flow::Block {
                    super::jobs::flush(self, world, io, true);
                }
                flow
            }
            Err(e) => {
                self.report_syntax(src, e, io);
                self.status = 2;
                Flow::Exit(2)
            }
        }
    }

    /// Runs a script file as a shell reads one: a command at a time, each parsed when its
    /// lines are complete, so that what follows an `exit` is never read (a gzexe'd program
    /// carries its compressed bytes there).
    pub fn run_script_file(&mut self, world: &mut World, src: &str, io: &mut Io) -> Flow {
        let mut buffer = String::new();
        let mut flow = Flow::Next;
        let mut lines = src.split_inclusive('\n').peekable();
        while let Some(line) = lines.next() {
            buffer.push_str(line);
            let last = lines.peek().is_none();
            if !last && super::parse::needs_more(&buffer) {
                continue;
            }
            match parse(&buffer) {
                Ok(list) => {
                    buffer.clear();
                    flow = self.run_items(world, &list, false, io);
                    if flow != Flow::Next {
                        break;
                    }
                }
                Err(ParseError::UnexpectedEof | ParseError::UnterminatedQuote(_)) if !last => {}
                Err(e) => {
                    self.report_syntax(&buffer, e, io);
                    self.status = 2;
                    flow = Flow::Exit(2);
                    break;
                }
            }
        }
        if flow != Flow::Block {
            super::jobs::flush(self, world, io, true);
        }
        flow
    }

    fn report_syntax(&self, src: &str, e: ParseError, io: &mut Io) {
        match self.flavor {
            // Typed at a prompt, bash says only what is wrong (and waits for more on an open
            // quote: the terminal asks for the next line before it gets here).
            Flavor::Bash if self.interactive => match e {
                ParseError::Unexpected(tok) => io.err_line(&format!("bash: syntax error near unexpected token `{tok}'")),
                ParseError::UnterminatedQuote(q) => {
                    let q = if q == ')' { '(' } else { q };
                    io.err_line(&format!("bash: unexpected EOF while looking for matching `{q}'"));
                    io.err_line("bash: syntax error: unexpected end of file");
                }
                ParseError::UnexpectedEof => io.err_line("bash: syntax error: unexpected end of file"),
                ParseError::TooDeep => io.err_line("stowage: this line nests commands too deeply for the simulator"),
            },
            Flavor::Bash => {
                match e {
                    ParseError::Unexpected(tok) => io.err_line(&format!("bash: -c: line 1: syntax error near unexpected token `{tok}'")),
                    ParseError::UnterminatedQuote(q) => {
                        let q = if q == ')' { '(' } else { q };
                        io.err_line(&format!("bash: -c: line 1: unexpected EOF while looking for matching `{q}'"));
                    }
                    ParseError::UnexpectedEof => {
                        io.err_line("bash: -c: line 2: syntax error: unexpected end of file");
                        return;
                    }
                    ParseError::TooDeep => {
                        io.err_line("stowage: this line nests commands too deeply for the simulator");
                        return;
                    }
                }
                io.err_line(&format!("bash: -c: line 1: `{src}'"));
            }
            Flavor::Ash => match e {
                ParseError::Unexpected(tok) => io.err_line(&format!("sh: syntax error: unexpected \"{tok}\"")),
                ParseError::UnterminatedQuote(_) => io.err_line("sh: syntax error: unterminated quoted string"),
                ParseError::UnexpectedEof => io.err_line("sh: syntax error: unexpected end of file (expecting \"fi\")"),
                ParseError::TooDeep => io.err_line("stowage: this line nests commands too deeply for the simulator"),
            },
            Flavor::Dash => match e {
                ParseError::Unexpected(tok) => io.err_line(&format!("sh: 1: Syntax error: \"{tok}\" unexpected")),
                ParseError::UnterminatedQuote(_) => io.err_line("sh: 1: Syntax error: Unterminated quoted string"),
                ParseError::UnexpectedEof => io.err_line("sh: 1: Syntax error: end of file unexpected (expecting \"fi\")"),
                ParseError::TooDeep => io.err_line("stowage: this line nests commands too deeply for the simulator"),
            },
        }
    }

    pub fn run_list(&mut self, world: &mut World, list: &List, io: &mut Io) -> Flow {
        self.run_items(world, list, false, io)
    }

    /// A list's items in order, a background one as a job. For a `-c` script (`tail`), the last
    /// runs as the tail, so that its last simple command may run in the shell's own
    /// process (what `ps` shows).
    fn run_items(&mut self, world: &mut World, list: &List, tail: bool, io: &mut Io) -> Flow {
        self.items_from(world, list, 0, tail, io)
    }

    /// A list's items from the `from`th on (a sleeper woken in the middle of it).
    pub(super) fn run_items_from(&mut self, world: &mut World, list: &List, from: usize, io: &mut Io) -> Flow {
        self.items_from(world, list, from, false, io)
    }

    fn items_from(&mut self, world: &mut World, list: &List, from: usize, tail: bool, io: &mut Io) -> Flow {
        let count = list.items.len();
        for (k, (item, background)) in list.items.iter().enumerate().skip(from) {
            if *background {
                super::jobs::start(self, world, item, list.texts.get(k).map_or("", String::as_str), io);
                continue;
            }
            let flow = self.run_and_or(world, item, tail && k + 1 == count, io);
            if flow == Flow::Block && k + 1 < count {
                self.unwound(Some(Frame::Items { list: list.clone(), from: k + 1 }));
            }
            if flow != Flow::Next {
                return flow;
            }
        }
        Flow::Next
    }

    /// An and-or list; `tail_item`: the script's last, whose last simple command runs in place.
    pub(super) fn run_and_or(&mut self, world: &mut World, ao: &AndOr, tail_item: bool, io: &mut Io) -> Flow {
        // All but the last pipeline of `a && b || c` are tested: `set -e` lets them fail.
        let last = ao.rest.len();
        let tested = |sh: &mut Shell, k: usize, p: &Pipeline, world: &mut World, io: &mut Io| {
            let test = k < last;
            sh.testing += u32::from(test);
            sh.tail = tail_item && k == last && p.commands.len() == 1 && matches!(p.commands[0], Command::Simple(_));
            let flow = sh.run_pipeline(world, p, io);
            sh.tail = false;
            sh.testing -= u32::from(test);
            flow
        };
        let flow = tested(self, 0, &ao.first, world, io);
        if flow == Flow::Block && last > 0 {
            self.unwound(Some(Frame::AndOr { ao: ao.clone(), from: 0 }));
        }
        if flow != Flow::Next {
            return flow;
        }
        let mut failed_last = !ao.first.bang && last == 0;
        for (k, (op, p)) in ao.rest.iter().enumerate() {
            let run = match op {
                AndOrOp::And => self.status == 0,
                AndOrOp::Or => self.status != 0,
            };
            if run {
                let flow = tested(self, k + 1, p, world, io);
                if flow == Flow::Block && k + 1 < last {
                    self.unwound(Some(Frame::AndOr { ao: ao.clone(), from: k + 1 }));
                }
                if flow != Flow::Next {
                    return flow;
                }
                failed_last = k + 1 == last && !p.bang;
            }
        }
        if self.options.errexit && self.testing == 0 && failed_last && self.status != 0 {
            return Flow::Exit(self.status);
        }
        Flow::Next
    }

    /// The pipelines of an and-or list from `rest[from]` on, after a sleeper woke in the one
    /// before (tested as the first ones are).
    pub(super) fn and_or_rest(&mut self, world: &mut World, ao: &AndOr, from: usize, io: &mut Io) -> Flow {
        let last = ao.rest.len();
        for (k, (op, p)) in ao.rest.iter().enumerate().skip(from) {
            let run = match op {
                AndOrOp::And => self.status == 0,
                AndOrOp::Or => self.status != 0,
            };
            if run {
                let test = k + 1 < last;
                self.testing += u32::from(test);
                let flow = self.run_pipeline(world, p, io);
                self.testing -= u32::from(test);
                if flow == Flow::Block && k + 1 < last {
                    self.unwound(Some(Frame::AndOr { ao: ao.clone(), from: k + 1 }));
                }
                if flow != Flow::Next {
                    return flow;
                }
            }
        }
        Flow::Next
    }

    pub(super) fn run_command(&mut self, world: &mut World, cmd: &Command, io: &mut Io) -> Flow {
        if world.out_of_steps() {
            return Flow::Exit(self.status);
        }
        match cmd {
            Command::Simple(s) => self.run_simple(world, s, io),
            Command::If { branches, otherwise, redirs } => self.with_redirs(world, redirs, io, &mut |sh, world, io| {
                for (cond, body) in branches {
                    sh.testing += 1;
                    let f = sh.run_list(world, cond, io);
                    sh.testing -= 1;
                    if f == Flow::Block {
                        sh.unwound(None);
                    }
                    if f != Flow::Next {
                        return f;
                    }
                    if sh.status == 0 {
                        return sh.run_list(world, body, io);
                    }
                }
                match otherwise {
                    Some(body) => sh.run_list(world, body, io),
                    None => {
                        sh.status = 0;
                        Flow::Next
                    }
                }
            }),
            Command::For { var, words, body, redirs } => self.with_redirs(world, redirs, io, &mut |sh, world, io| {
                let items = match sh.loop_items(world, words.as_deref(), io) {
                    Ok(items) => items,
                    Err(code) => return Flow::Exit(code),
                };
                sh.status = 0;
                sh.for_items(world, var, &items, body, io)
            }),
            Command::Select { var, words, body, redirs } => {
                self.with_redirs(world, redirs, io, &mut |sh, world, io| match sh.loop_items(world, words.as_deref(), io) {
                    Ok(items) => sh.run_select(world, var, &items, body, io),
                    Err(code) => Flow::Exit(code),
                })
            }
            Command::While { cond, body, until, redirs } => self.with_redirs(world, redirs, io, &mut |sh, world, io| {
                let mut last = 0;
                sh.loops += 1;
                let flow = loop {
                    if !world.take_step() {
                        break Flow::Exit(last);
                    }
                    sh.testing += 1;
                    let f = sh.run_list(world, cond, io);
                    sh.testing -= 1;
                    if f == Flow::Block {
                        sh.unwound_while(cmd, true);
                    }
                    if f != Flow::Next {
                        break f;
                    }
                    if (sh.status == 0) == *until {
                        sh.status = last;
                        break Flow::Next;
                    }
                    let f = sh.run_list(world, body, io);
                    if f == Flow::Block {
                        sh.unwound_while(cmd, false);
                    }
                    last = sh.status;
                    match loop_step(f) {
                        Some(Flow::Next) => {}
                        Some(f) => break f,
                        None => {
                            sh.status = last;
                            break Flow::Next;
                        }
                    }
                };
                sh.loops -= 1;
                flow
            }),
            Command::Group { body, redirs } => self.with_redirs(world, redirs, io, &mut |sh, world, io| sh.run_list(world, body, io)),
            Command::Arith { source, redirs } => self.with_redirs(world, redirs, io, &mut |sh, world, io| sh.run_arith(world, source, io)),
            Command::ArithFor { init, cond, step, body, redirs } => self.with_redirs(world, redirs, io, &mut |sh, world, io| {
                sh.run_arith_for(world, [init.as_str(), cond.as_str(), step.as_str()], body, io)
            }),
            Command::Cond { tokens, redirs } => self.with_redirs(world, redirs, io, &mut |sh, world, io| sh.run_cond(world, tokens, io)),
            Command::Case { word, arms, redirs } => self.with_redirs(world, redirs, io, &mut |sh, world, io| {
                let Ok(value) = sh.expand_single(world, word, io) else { return Flow::Next };
                let value: Vec<char> = value.chars().collect();
                for (patterns, body) in arms {
                    for p in patterns {
                        let Ok(pattern) = sh.pattern(world, p, io) else { return Flow::Next };
                        if userland::glob::matches(&pattern, &value) {
                            return sh.run_list(world, body, io);
                        }
                    }
                }
                // No arm matched: the status is 0.
                sh.status = 0;
                Flow::Next
            }),
            Command::Function { name, body } => {
                self.functions.insert(name.clone(), (**body).clone());
                self.status = 0;
                Flow::Next
            }
            Command::Subshell { body, redirs } => self.with_redirs(world, redirs, io, &mut |sh, world, io| {
                let mut sub = sh.clone();
                sub.depth += 1;
                let f = sub.run_list(world, body, io);
                sh.status = match f {
                    Flow::Exit(c) => c,
                    _ => sub.status,
                };
                if f != Flow::Block {
                    return Flow::Next;
                }
                // It sleeps in its own shell: the parent goes on with it when it wakes.
                match sub.wake.filter(|_| !sub.resume_broken) {
                    Some(wake) => {
                        sh.wake = Some(wake);
                        sh.subshells_asleep.push(sub);
                        sh.unwound(Some(Frame::Subshell));
                    }
                    None => sh.unwound(None),
                }
                Flow::Block
            }),
        }
    }

    /// A function call ends with `flow`: its locals give way to the caller's values, the
    /// caller's arguments and loops are back, and a `return` is the call's status.
    pub(super) fn end_call(&mut self, positional: Vec<String>, loops: u32, flow: Flow) -> Flow {
        for (name, old) in self.locals.pop().unwrap_or_default() {
            match old {
                Some(v) => self.vars.insert(name, v),
                None => self.vars.remove(&name),
            };
        }
        self.calls -= 1;
        self.loops = loops;
        self.positional = positional;
        match flow {
            Flow::Return(code) => {
                self.status = code;
                Flow::Next
            }
            other => other,
        }
    }

    /// The words of `for`/`select`, expanded; without `in`, the positional parameters.
    fn loop_items(&mut self, world: &mut World, words: Option<&[Word]>, io: &mut Io) -> Result<Vec<String>, i32> {
        let Some(words) = words else { return Ok(self.positional.clone()) };
        let mut items = Vec::new();
        for w in words {
            items.extend(self.expand_word(world, w, io)?);
        }
        Ok(items)
    }

    /// A `for` loop over `items` (expanded already), `var` taking each in turn.
    pub(super) fn for_items(&mut self, world: &mut World, var: &str, items: &[String], body: &List, io: &mut Io) -> Flow {
        self.loops += 1;
        let mut flow = Flow::Next;
        for (k, item) in items.iter().enumerate() {
            if !world.take_step() {
                flow = Flow::Exit(self.status);
                break;
            }
            if self.options.xtrace {
                io.err_line(&format!("{} for {var} in {}", self.trace_marks(), items.join(" ")));
            }
            self.vars.insert(var.to_string(), item.clone());
            let f = self.run_list(world, body, io);
            if f == Flow::Block {
                self.unwound(Some(Frame::For { var: var.to_string(), items: items[k + 1..].to_vec(), body: body.clone() }));
            }
            match loop_step(f) {
                Some(Flow::Next) => {}
                Some(f) => {
                    flow = f;
                    break;
                }
                None => break,
            }
        }
        self.loops -= 1;
        flow
    }

    /// Runs `body` with the redirections of a compound command.
    pub(super) fn with_redirs(
        &mut self,
        world: &mut World,
        redirs: &[Redir],
        io: &mut Io,
        body: &mut dyn FnMut(&mut Shell, &mut World, &mut Io) -> Flow,
    ) -> Flow {
        if redirs.is_empty() {
            return body(self, world, io);
        }
        let (out_dest, err_dest, stdin) = match self.setup_redirs(world, redirs, io) {
            Ok(x) => x,
            Err(()) => {
                self.status = self.redirect_failure_status();
                return Flow::Next;
            }
        };
        let mut inner = Io::default();
        (inner.stdin, inner.stdin_file) = stdin.unwrap_or_else(|| (std::mem::take(&mut io.stdin), io.stdin_file));
        inner.stdout_terminal = io.stdout_terminal && out_dest == Dest::Out;
        let flow = body(self, world, &mut inner);
        if flow == Flow::Block {
            self.unwound_redirs(redirs);
        }
        if out_dest == Dest::Out && err_dest == Dest::Err {
            io.append(&inner, |err| err);
            return flow;
        }
        // Both streams to one place: the commands' writes arrive in the order they ran.
        if out_dest == err_dest {
            self.route_in_order(world, "", &inner, &out_dest, io);
            return flow;
        }
        self.route(world, "", &inner.out, &out_dest, io);
        self.route(world, "", &inner.err, &err_dest, io);
        flow
    }

    // ---------------------------------------------------------------- simple commands

    fn run_simple(&mut self, world: &mut World, s: &Simple, io: &mut Io) -> Flow {
        if !world.take_step() {
            return Flow::Exit(self.status);
        }
        // Whatever this command looks at, the sleeping main processes have lived up to now.
        world.wake_sleepers();
        let mut argv = Vec::new();
        for w in &s.words {
            match self.expand_word(world, w, io) {
                Ok(fields) => argv.extend(fields),
                Err(code) => return Flow::Exit(code),
            }
        }
        let mut assigns = Vec::new();
        for (name, w) in &s.assigns {
            match self.expand_single(world, w, io) {
                Ok(v) => assigns.push((name.clone(), v)),
                Err(code) => return Flow::Exit(code),
            }
        }
        self.trace(&assigns, &argv, io);
        if self.flavor == Flavor::Bash {
            if let Some(last) = argv.last() {
                self.vars.insert("_".into(), last.clone());
            }
        }
        if argv.is_empty() {
            for (name, words) in &s.arrays {
                let mut values = Vec::new();
                for w in words {
                    match self.expand_word(world, w, io) {
                        Ok(fields) => values.extend(fields),
                        Err(code) => return Flow::Exit(code),
                    }
                }
                let (name, append) = name.strip_suffix('+').map_or((name.as_str(), false), |n| (n, true));
                self.assign_array(name, values, append);
            }
            for (k, v) in assigns {
                let (name, append) = k.strip_suffix('+').map_or((k.as_str(), false), |n| (n, true));
                self.assign(name, v, append);
            }
            if !s.redirs.is_empty() && self.setup_redirs(world, &s.redirs, io).is_err() {
                self.status = 1;
                return Flow::Next;
            }
            // A lone assignment keeps the status of its command substitution.
            if s.assigns.iter().all(|(_, w)| !w.iter().any(|p| matches!(p, Part::Command { .. }))) {
                self.status = 0;
            }
            return Flow::Next;
        }
        let (out_dest, err_dest, stdin) = match self.setup_redirs(world, &s.redirs, io) {
            Ok(x) => x,
            Err(()) => {
                self.status = self.redirect_failure_status();
                return Flow::Next;
            }
        };
        // `exec` with redirections only: they stand for the rest of the shell.
        if argv.len() == 1 && argv[0] == "exec" && !s.redirs.is_empty() {
            self.standing_redirs.extend(s.redirs.iter().filter(|r| r.op != RedirOp::HereDoc && r.op != RedirOp::In).map(|r| Redir {
                op: match r.op.clone() {
                    RedirOp::Out => RedirOp::Append,
                    RedirOp::OutErr => RedirOp::AppendErr,
                    other => other,
                },
                ..r.clone()
            }));
            self.status = 0;
            return Flow::Next;
        }
        let inherited = stdin.is_none();
        let mut cmd_io = Io::default();
        (cmd_io.stdin, cmd_io.stdin_file) = stdin.unwrap_or_else(|| (std::mem::take(&mut io.stdin), io.stdin_file));
        cmd_io.stdout_terminal = io.stdout_terminal && out_dest == Dest::Out;
        cmd_io.reader_takes = io.reader_takes.filter(|_| out_dest == Dest::Out);
        let flow = self.dispatch(world, &argv, &assigns, &mut cmd_io);
        for path in std::mem::take(&mut self.substituted) {
            world.drop_quiet_file(&self.ctx.ns, &path);
        }
        let flow = self.deliver(world, &argv, flow, (out_dest, err_dest), inherited, cmd_io, io);
        self.drain_sinks(world, io);
        flow
    }

    /// What a simple command wrote goes where its redirections say; the input a builtin left
    /// stays for the next command.
    #[allow(clippy::too_many_arguments)]
    fn deliver(
        &mut self,
        world: &mut World,
        argv: &[String],
        flow: Flow,
        (out_dest, err_dest): (Dest, Dest),
        inherited: bool,
        mut cmd_io: Io,
        io: &mut Io,
    ) -> Flow {
        // A builtin reads no more than it needs (`read`: a line), and echo none: the rest is
        // left for the next command (`while read …; do echo …; done < FILE`). A program takes it,
        // unless it reads no input at all (`echo q | (sleep 1; cat)`: cat reads the line).
        let program = argv[0].rsplit('/').next().unwrap_or("");
        if inherited && (super::builtins::is_builtin(&argv[0]) || self.functions.contains_key(&argv[0]) || reads_no_input(program)) {
            io.stdin = std::mem::take(&mut cmd_io.stdin);
        }
        // Both streams to the terminal: as written. Redirected, stdout then stderr, as programs
        // that buffer a redirected stdout and not stderr show them.
        if out_dest == Dest::Out && err_dest == Dest::Err {
            io.append(&cmd_io, |err| err);
            return flow;
        }
        io.carry_times(&cmd_io);
        let name = argv[0].rsplit('/').next().unwrap_or("").to_string();
        // Both streams sent to one place (`2>&1`): the writes arrive in the order the program
        // made them (a shell's trace between its commands' output: oracle-53; GNU tools that
        // name a missing file between the others' lines: oracle-139). Not a container's own
        // two streams through `docker run`/`exec`/`start`: the daemon copies each on its own,
        // and the recordings show stdout's first (oracle-53).
        let container_streams = name == "docker" && matches!(argv.get(1).map(String::as_str), Some("run" | "exec" | "start" | "attach"));
        if out_dest == err_dest && !container_streams {
            self.route_in_order(world, &name, &cmd_io, &out_dest, io);
            return flow;
        }
        self.route(world, &name, &cmd_io.out, &out_dest, io);
        self.route(world, &name, &cmd_io.err, &err_dest, io);
        flow
    }

    /// Opens the redirection targets (creating/truncating files now, as the shell does).
    /// Returns where stdout and stderr go and the replaced stdin, or reports the error.
    fn setup_redirs(&mut self, world: &mut World, redirs: &[Redir], io: &mut Io) -> Result<Redirected, ()> {
        let mut out = Dest::Out;
        let mut err = Dest::Err;
        let mut stdin = None;
        let standing = self.standing_redirs.clone();
        for r in standing.iter().chain(redirs) {
            if r.op == RedirOp::HereDoc {
                // The text is one word: it is not split or globbed.
                match self.expand_single(world, &r.target, io) {
                    Ok(text) => stdin = Some((text.into_bytes(), None)),
                    Err(_) => return Err(()),
                }
                continue;
            }
            let target = match self.expand_word(world, &r.target, io) {
                Ok(mut f) if f.len() == 1 => f.remove(0),
                Ok(f) if f.is_empty() => String::new(),
                Ok(_) => {
                    let raw = self.expand_single(world, &r.target, io).unwrap_or_default();
                    io.err_line(&format!("{}{raw}: ambiguous redirect", self.err_prefix()));
                    return Err(());
                }
                Err(_) => return Err(()),
            };
            match r.op {
                RedirOp::HereDoc => {}
                RedirOp::In => match world.read(&self.ctx, &target) {
                    Ok(d) => {
                        let mtime = world.stat(&self.ctx, &target, true).map_or(0, |st| st.mtime);
                        stdin = Some((d.to_vec(), Some(mtime)));
                    }
                    Err(e) => {
                        match self.flavor {
                            Flavor::Bash => io.err_line(&format!("{}{target}: {e}", self.err_prefix())),
                            Flavor::Ash => io.err_line(&format!("sh: can't open '{target}': {e}")),
                            Flavor::Dash => io.err_line(&format!("sh: 1: cannot open {target}: {}", dash_errmsg(e, "No such file"))),
                        }
                        return Err(());
                    }
                },
                RedirOp::DupOut => {
                    let d = match target.as_str() {
                        "1" => out.clone(),
                        "2" => err.clone(),
                        "-" => Dest::Null,
                        _ => {
                            io.err_line(&format!("{}{target}: ambiguous redirect", self.err_prefix()));
                            return Err(());
                        }
                    };
                    match r.fd {
                        1 => out = d,
                        2 => err = d,
                        _ => {}
                    }
                }
                RedirOp::Out | RedirOp::Append | RedirOp::OutErr | RedirOp::AppendErr => {
                    let append = matches!(r.op, RedirOp::Append | RedirOp::AppendErr);
                    let dest = if target == "/dev/null" {
                        Dest::Null
                    } else {
                        if let Err(e) = self.open_for_write(world, &target, append) {
                            match self.flavor {
                                Flavor::Bash => io.err_line(&format!("{}{target}: {e}", self.err_prefix())),
                                Flavor::Ash => {
                                    let msg = if e == Errno::NoEnt { "nonexistent directory".to_string() } else { e.to_string() };
                                    io.err_line(&format!("sh: can't create {target}: {msg}"));
                                }
                                Flavor::Dash => {
                                    io.err_line(&format!("sh: 1: cannot create {target}: {}", dash_errmsg(e, "Directory nonexistent")))
                                }
                            }
                            return Err(());
                        }
                        Dest::File(target.clone())
                    };
                    if matches!(r.op, RedirOp::OutErr | RedirOp::AppendErr) {
                        out = dest.clone();
                        err = dest;
                    } else if r.fd == 2 {
                        err = dest;
                    } else if r.fd == 1 {
                        out = dest;
                    }
                }
            }
        }
        Ok((out, err, stdin))
    }

    fn open_for_write(&mut self, world: &mut World, path: &str, append: bool) -> Result<(), Errno> {
        if path.is_empty() {
            return Err(Errno::NoEnt);
        }
        if let Ok(loc) = world.resolve(&self.ctx, path, true) {
            if let Kind::CharDev { .. } = world.fs().get(loc.top()).kind {
                // A device opens as a file does, its mode deciding (`> /dev/null` always can);
                // nothing is written to the file system.
                return world.write_file(&self.ctx, path, &Data::empty(), WriteMode::Append).map(|_| ());
            }
            if world.is_dir_node(&loc.node) {
                return Err(Errno::IsDir);
            }
        }
        let mode = if append { WriteMode::Append } else { WriteMode::Truncate };
        let before = world.events().len();
        let result = world.write_file(&self.ctx, path, &Data::empty(), mode).map(|_| ());
        // Opening for the redirection is part of the write that follows: one event, not two.
        if matches!(world.events().last(), Some(crate::events::Event::FileWritten { bytes: 0, .. })) && world.events().len() > before {
            world.rewind_events(world.events().len() - 1);
        }
        result
    }

    /// Delivers both streams of captured output to one destination, in the order written; a
    /// program stops at its first failed write.
    fn route_in_order(&mut self, world: &mut World, program: &str, from: &Io, dest: &Dest, io: &mut Io) {
        for segment in from.segments() {
            if !self.route(world, program, &segment.bytes, dest, io) {
                break;
            }
        }
    }

    /// Delivers captured output to its destination; whether it all got there.
    fn route(&mut self, world: &mut World, program: &str, data: &[u8], dest: &Dest, io: &mut Io) -> bool {
        if data.is_empty() {
            return true;
        }
        match dest {
            Dest::Out => io.write_out(data),
            Dest::Err => io.write_err(data),
            Dest::Null => {}
            Dest::File(path) => {
                if let Err(e) = world.write_file(&self.ctx, path, &Data::from_bytes(data), WriteMode::Append) {
                    if super::builtins::is_builtin(program) {
                        // Busybox's printf flushes stdio and fails quietly (full1).
                        if !(self.flavor == Flavor::Ash && program == "printf") {
                            io.err_line(&format!("{}write error: {e}", self.err_prefix()));
                        }
                        self.status = 1;
                    } else if self.flavor == Flavor::Ash {
                        let (message, status) = super::write_errors::failed_write(program, data.len(), e, self.status);
                        if let Some(m) = message {
                            io.err_line(&m);
                        }
                        self.status = status;
                    } else {
                        io.err_line(&format!("{program}: standard output: I/O error"));
                        self.status = 1;
                    }
                    return false;
                }
            }
        }
        true
    }

    /// Runs one command: a builtin, or a program found on the PATH.
    fn dispatch(&mut self, world: &mut World, argv: &[String], assigns: &[(String, String)], io: &mut Io) -> Flow {
        if let Some(body) = self.functions.get(&argv[0]).cloned() {
            if self.calls >= MAX_CALLS {
                world.exhaust_budget();
                return Flow::Exit(self.status);
            }
            let saved = std::mem::replace(&mut self.positional, argv[1..].to_vec());
            // A function is not inside its caller's loops; its `local`s end with it.
            let loops = std::mem::take(&mut self.loops);
            self.calls += 1;
            self.locals.push(Vec::new());
            let flow = self.run_command(world, &body, io);
            if flow == Flow::Block {
                let frame = self.call_frame(&argv[1..]);
                self.unwound(Some(frame));
            }
            return self.end_call(saved, loops, flow);
        }
        if let Some(flow) = super::script_builtins::run(self, world, argv, io) {
            return flow;
        }
        if let Some(flow) = super::builtins::run(self, world, argv, io) {
            return flow;
        }
        let mut env = self.env_list();
        for (k, v) in assigns {
            env.retain(|e| !e.starts_with(&format!("{k}=")));
            env.push(format!("{k}={v}"));
        }
        // bash hands a program its own path as `_`.
        if self.flavor == Flavor::Bash {
            if let Some(path) = super::process::which(world, self, &argv[0]).or_else(|| argv[0].contains('/').then(|| argv[0].clone())) {
                env.push(format!("_={path}"));
            }
        }
        let outcome = super::launch::exec(world, self, argv, &env, io);
        match outcome {
            userland::Exit::Code(c) => {
                self.status = c;
                Flow::Next
            }
            userland::Exit::Block => {
                self.status = 0;
                Flow::Block
            }
        }
    }
}

/// dash's wording of a failed open: its own text for a missing file or directory, strerror otherwise.
fn dash_errmsg(e: Errno, missing: &str) -> String {
    if matches!(e, Errno::NoEnt | Errno::NotDir) {
        missing.to_string()
    } else {
        e.to_string()
    }
}

/// Programs that never read their standard input: what is piped to them stays for the next
/// command of the list.
fn reads_no_input(program: &str) -> bool {
    matches!(
        program,
        "sleep"
            | "usleep"
            | "touch"
            | "mkdir"
            | "rmdir"
            | "ls"
            | "date"
            | "id"
            | "hostname"
            | "chmod"
            | "chown"
            | "chgrp"
            | "cp"
            | "mv"
            | "rm"
            | "ln"
            | "uname"
            | "whoami"
            | "mknod"
            | "mkfifo"
            | "stat"
            | "df"
            | "du"
            | "sync"
            | "seq"
            | "basename"
            | "dirname"
            | "realpath"
            | "readlink"
            | "truncate"
            | "which"
            | "mktemp"
            | "nproc"
            | "printenv"
    )
}
