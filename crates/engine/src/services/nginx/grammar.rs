//! The configuration grammar: the lexer, the directives and the contexts they may appear in,
//! `include` files, each refused with nginx's own messages.

use crate::vfs::Ctx;
use crate::world::World;

use super::{MAX_NESTING, PREFIX};

/// One directive of a configuration file, with its block if it has one.
#[derive(Clone, Debug)]
pub(super) struct Directive {
    pub(super) name: String,
    pub(super) args: Vec<String>,
    file: String,
    line: usize,
    pub(super) block: Option<Vec<Directive>>,
}

impl Directive {
    pub(super) fn at(&self) -> String {
        location(&self.file, self.line)
    }
}

/// ` in FILE:LINE`, or ` in command line` for `-g`.
fn location(file: &str, line: usize) -> String {
    if file.is_empty() {
        " in command line".into()
    } else {
        format!(" in {file}:{line}")
    }
}

/// How a directive ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    Semicolon,
    BlockStart,
    CloseBrace,
    Eof,
}

/// nginx's tokenizer (`ngx_conf_read_token`).
pub(super) struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: usize,
}

impl Lexer {
    pub(super) fn new(text: &str) -> Lexer {
        Lexer { chars: text.chars().collect(), pos: 0, line: 1 }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    /// The words of the next directive and what ended it; errors are nginx's messages.
    fn directive(&mut self) -> Result<(Vec<String>, End), String> {
        let mut words: Vec<String> = Vec::new();
        loop {
            let Some(c) = self.bump() else {
                return if words.is_empty() {
                    Ok((words, End::Eof))
                } else {
                    Err("unexpected end of file, expecting \";\" or \"}\"".into())
                };
            };
            match c {
                ' ' | '\t' | '\r' | '\n' => {}
                '#' => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                ';' | '{' => {
                    if words.is_empty() {
                        return Err(format!("unexpected \"{c}\""));
                    }
                    return Ok((words, if c == ';' { End::Semicolon } else { End::BlockStart }));
                }
                '}' => {
                    if !words.is_empty() {
                        return Err("unexpected \"}\"".into());
                    }
                    return Ok((words, End::CloseBrace));
                }
                '"' | '\'' => {
                    let mut word = String::new();
                    loop {
                        match self.bump() {
                            None => return Err("unexpected end of file, expecting \";\" or \"}\"".into()),
                            Some('\\') => match self.bump() {
                                Some('n') => word.push('\n'),
                                Some('t') => word.push('\t'),
                                Some('r') => word.push('\r'),
                                Some(q) if q == c || q == '\\' => word.push(q),
                                Some(other) => {
                                    word.push('\\');
                                    word.push(other);
                                }
                                None => return Err("unexpected end of file, expecting \";\" or \"}\"".into()),
                            },
                            Some(q) if q == c => break,
                            Some(other) => word.push(other),
                        }
                    }
                    words.push(word);
                    // A quoted word must be followed by a space, `;` or `{`.
                    match self.chars.get(self.pos).copied() {
                        None | Some(' ' | '\t' | '\r' | '\n' | ';' | '{') => {}
                        Some(other) => {
                            self.bump();
                            return Err(format!("unexpected \"{other}\""));
                        }
                    }
                }
                _ => {
                    let mut word = String::from(c);
                    while let Some(&n) = self.chars.get(self.pos) {
                        if matches!(n, ' ' | '\t' | '\r' | '\n' | ';' | '{' | '}') {
                            break;
                        }
                        self.bump();
                        if n == '\\' {
                            if let Some(escaped) = self.bump() {
                                word.push(escaped);
                            }
                            continue;
                        }
                        word.push(n);
                    }
                    words.push(word);
                }
            }
        }
    }
}

/// Contexts a directive may appear in (nginx's `NGX_*_CONF` bits).
pub(super) const MAIN: u32 = 1;
const EVENTS: u32 = 1 << 1;
const HTTP: u32 = 1 << 2;
const SRV: u32 = 1 << 3;
const LOC: u32 = 1 << 4;
const UPS: u32 = 1 << 5;
const SIF: u32 = 1 << 6;
const LIF: u32 = 1 << 7;
const LMT: u32 = 1 << 8;
/// Blocks whose lines are data, not directives (`types`, `map`).
const DATA: u32 = 1 << 9;
const ANY: u32 = MAIN | EVENTS | HTTP | SRV | LOC | UPS | SIF | LIF | LMT;
const MANY: usize = usize::MAX;

/// How a directive is written: block or not, argument count, or an on/off flag.
#[derive(Clone, Copy)]
enum Shape {
    Args(usize, usize),
    Flag,
    Block(usize, usize),
}

/// The directives the simulated nginx knows (the modules of the official image).
const DIRECTIVES: &[(&str, u32, Shape)] = &[
    ("include", ANY, Shape::Args(1, 1)),
    ("user", MAIN, Shape::Args(1, 2)),
    ("worker_processes", MAIN, Shape::Args(1, 1)),
    ("error_log", MAIN | HTTP | SRV | LOC, Shape::Args(1, MANY)),
    ("pid", MAIN, Shape::Args(1, 1)),
    ("daemon", MAIN, Shape::Flag),
    ("master_process", MAIN, Shape::Flag),
    ("worker_rlimit_nofile", MAIN, Shape::Args(1, 1)),
    ("worker_cpu_affinity", MAIN, Shape::Args(1, MANY)),
    ("worker_priority", MAIN, Shape::Args(1, 1)),
    ("worker_shutdown_timeout", MAIN, Shape::Args(1, 1)),
    ("load_module", MAIN, Shape::Args(1, 1)),
    ("env", MAIN, Shape::Args(1, 1)),
    ("pcre_jit", MAIN, Shape::Flag),
    ("timer_resolution", MAIN, Shape::Args(1, 1)),
    ("events", MAIN, Shape::Block(0, 0)),
    ("http", MAIN, Shape::Block(0, 0)),
    ("worker_connections", EVENTS, Shape::Args(1, 1)),
    ("use", EVENTS, Shape::Args(1, 1)),
    ("multi_accept", EVENTS, Shape::Flag),
    ("accept_mutex", EVENTS, Shape::Flag),
    ("accept_mutex_delay", EVENTS, Shape::Args(1, 1)),
    ("server", HTTP, Shape::Block(0, 0)),
    ("server", UPS, Shape::Args(1, MANY)),
    ("upstream", HTTP, Shape::Block(1, 1)),
    ("map", HTTP, Shape::Block(2, 2)),
    ("geo", HTTP, Shape::Block(1, 2)),
    ("split_clients", HTTP, Shape::Block(2, 2)),
    ("types", HTTP | SRV | LOC, Shape::Block(0, 0)),
    ("default_type", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("log_format", HTTP, Shape::Args(2, MANY)),
    ("access_log", HTTP | SRV | LOC | LIF | LMT, Shape::Args(1, MANY)),
    ("sendfile", HTTP | SRV | LOC | LIF, Shape::Flag),
    ("tcp_nopush", HTTP | SRV | LOC, Shape::Flag),
    ("tcp_nodelay", HTTP | SRV | LOC, Shape::Flag),
    ("keepalive_timeout", HTTP | SRV | LOC, Shape::Args(1, 2)),
    ("keepalive_requests", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("client_max_body_size", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("client_body_buffer_size", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("client_body_timeout", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("client_header_timeout", HTTP | SRV, Shape::Args(1, 1)),
    ("send_timeout", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("large_client_header_buffers", HTTP | SRV, Shape::Args(2, 2)),
    ("server_tokens", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("types_hash_max_size", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("types_hash_bucket_size", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("server_names_hash_bucket_size", HTTP, Shape::Args(1, 1)),
    ("server_names_hash_max_size", HTTP, Shape::Args(1, 1)),
    ("charset", HTTP | SRV | LOC | LIF, Shape::Args(1, 1)),
    ("resolver", HTTP | SRV | LOC, Shape::Args(1, MANY)),
    ("gzip", HTTP | SRV | LOC | LIF, Shape::Flag),
    ("gzip_types", HTTP | SRV | LOC, Shape::Args(1, MANY)),
    ("gzip_vary", HTTP | SRV | LOC, Shape::Flag),
    ("gzip_proxied", HTTP | SRV | LOC, Shape::Args(1, MANY)),
    ("gzip_comp_level", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("gzip_min_length", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("gzip_http_version", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("gzip_disable", HTTP | SRV | LOC, Shape::Args(1, MANY)),
    ("gzip_buffers", HTTP | SRV | LOC, Shape::Args(2, 2)),
    ("listen", SRV, Shape::Args(1, MANY)),
    ("server_name", SRV, Shape::Args(1, MANY)),
    ("location", SRV | LOC, Shape::Block(1, 2)),
    ("root", HTTP | SRV | LOC | LIF, Shape::Args(1, 1)),
    ("alias", LOC, Shape::Args(1, 1)),
    ("index", HTTP | SRV | LOC, Shape::Args(1, MANY)),
    ("autoindex", HTTP | SRV | LOC, Shape::Flag),
    ("error_page", HTTP | SRV | LOC | LIF, Shape::Args(2, MANY)),
    ("try_files", SRV | LOC, Shape::Args(2, MANY)),
    ("return", SRV | SIF | LOC | LIF, Shape::Args(1, 2)),
    ("rewrite", SRV | SIF | LOC | LIF, Shape::Args(2, 3)),
    ("set", SRV | SIF | LOC | LIF, Shape::Args(2, 2)),
    ("break", SRV | SIF | LOC | LIF, Shape::Args(0, 0)),
    ("if", SRV | LOC, Shape::Block(1, MANY)),
    ("internal", LOC, Shape::Args(0, 0)),
    ("allow", HTTP | SRV | LOC | LMT, Shape::Args(1, 1)),
    ("deny", HTTP | SRV | LOC | LMT, Shape::Args(1, 1)),
    ("limit_except", LOC, Shape::Block(1, MANY)),
    ("expires", HTTP | SRV | LOC | LIF, Shape::Args(1, 2)),
    ("add_header", HTTP | SRV | LOC | LIF, Shape::Args(2, 3)),
    ("etag", HTTP | SRV | LOC, Shape::Flag),
    ("absolute_redirect", HTTP | SRV | LOC, Shape::Flag),
    ("port_in_redirect", HTTP | SRV | LOC, Shape::Flag),
    ("log_not_found", HTTP | SRV | LOC, Shape::Flag),
    ("open_file_cache", HTTP | SRV | LOC, Shape::Args(1, 2)),
    ("proxy_pass", LOC | LIF | LMT, Shape::Args(1, 1)),
    ("proxy_set_header", HTTP | SRV | LOC, Shape::Args(2, 2)),
    ("proxy_http_version", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("proxy_redirect", HTTP | SRV | LOC, Shape::Args(1, 2)),
    ("proxy_buffering", HTTP | SRV | LOC, Shape::Flag),
    ("proxy_read_timeout", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("proxy_connect_timeout", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("fastcgi_pass", LOC | LIF, Shape::Args(1, 1)),
    ("fastcgi_param", HTTP | SRV | LOC, Shape::Args(2, 3)),
    ("fastcgi_index", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("ssl_certificate", HTTP | SRV, Shape::Args(1, 1)),
    ("ssl_certificate_key", HTTP | SRV, Shape::Args(1, 1)),
    ("ssl_protocols", HTTP | SRV, Shape::Args(1, MANY)),
    ("ssl_ciphers", HTTP | SRV, Shape::Args(1, 1)),
    ("ssl_prefer_server_ciphers", HTTP | SRV, Shape::Flag),
    ("ssl_session_cache", HTTP | SRV, Shape::Args(1, 2)),
    ("ssl_session_timeout", HTTP | SRV, Shape::Args(1, 1)),
    ("stub_status", SRV | LOC, Shape::Args(0, 1)),
    ("limit_req_zone", HTTP, Shape::Args(3, MANY)),
    ("limit_req", HTTP | SRV | LOC, Shape::Args(1, 3)),
    ("real_ip_header", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("set_real_ip_from", HTTP | SRV | LOC, Shape::Args(1, 1)),
    ("sub_filter", HTTP | SRV | LOC, Shape::Args(2, 2)),
    ("sub_filter_once", HTTP | SRV | LOC, Shape::Flag),
    ("keepalive", UPS, Shape::Args(1, 1)),
    ("least_conn", UPS, Shape::Args(0, 0)),
    ("ip_hash", UPS, Shape::Args(0, 0)),
];

/// The context inside a block directive.
fn inner_context(name: &str, outer: u32) -> u32 {
    match name {
        "events" => EVENTS,
        "http" => HTTP,
        "server" => SRV,
        "location" => LOC,
        "upstream" => UPS,
        "if" if outer == SRV => SIF,
        "if" => LIF,
        "limit_except" => LMT,
        _ => DATA,
    }
}

/// A file nginx read while loading its configuration (for `nginx -T`).
pub(super) struct ReadFile {
    pub(super) path: String,
    pub(super) text: String,
}

/// Reads configuration files as the master process.
pub(super) struct Loader<'w> {
    pub(super) world: &'w World,
    pub(super) ctx: &'w Ctx,
    pub(super) files: Vec<ReadFile>,
}

impl Loader<'_> {
    /// Parses one file in `context`; an `include` error names the including directive.
    pub(super) fn file(&mut self, path: &str, context: u32, depth: usize, out: &mut Vec<Directive>) -> Result<(), String> {
        let text = match self.world.read(self.ctx, path) {
            Ok(d) => String::from_utf8_lossy(&d.to_vec()).into_owned(),
            Err(e) => return Err(format!("open() \"{path}\" failed ({}: {e})", e.number())),
        };
        self.files.push(ReadFile { path: path.to_string(), text: text.clone() });
        let mut lexer = Lexer::new(&text);
        self.block(&mut lexer, path, context, false, depth, out)
    }

    pub(super) fn block(
        &mut self,
        lexer: &mut Lexer,
        file: &str,
        context: u32,
        inside: bool,
        depth: usize,
        out: &mut Vec<Directive>,
    ) -> Result<(), String> {
        loop {
            let (words, end) = lexer.directive().map_err(|m| format!("{m}{}", location(file, lexer.line)))?;
            let line = lexer.line;
            match end {
                End::CloseBrace if inside => return Ok(()),
                End::CloseBrace => return Err(format!("unexpected \"}}\"{}", location(file, line))),
                End::Eof if inside => return Err(format!("unexpected end of file, expecting \"}}\"{}", location(file, line))),
                End::Eof => return Ok(()),
                End::Semicolon | End::BlockStart => {}
            }
            let mut d = Directive { name: words[0].clone(), args: words[1..].to_vec(), file: file.to_string(), line, block: None };
            if context == DATA {
                if end == End::BlockStart {
                    return Err(format!("unexpected \"{{\"{}", d.at()));
                }
                out.push(d);
                continue;
            }
            let shape = check_directive(&d, context, end)?;
            if d.name == "include" {
                if depth >= MAX_NESTING {
                    return Err(format!("include nesting too deep{}", d.at()));
                }
                self.include(&d, context, depth, out)?;
                continue;
            }
            if let Shape::Block(..) = shape {
                let mut inner = Vec::new();
                self.block(lexer, file, inner_context(&d.name, context), true, depth, &mut inner)?;
                d.block = Some(inner);
            }
            out.push(d);
        }
    }

    fn include(&mut self, d: &Directive, context: u32, depth: usize, out: &mut Vec<Directive>) -> Result<(), String> {
        let pattern = absolute(&d.args[0]);
        if !pattern.contains(['*', '?', '[']) {
            return self.file(&pattern, context, depth + 1, out).map_err(|e| {
                if e.starts_with("open()") {
                    format!("{e}{}", d.at())
                } else {
                    e
                }
            });
        }
        let (dir, name_pattern) = crate::fs::parent_and_name(&pattern);
        let mut matches: Vec<String> = self
            .world
            .resolve(self.ctx, &dir, true)
            .ok()
            .and_then(|loc| self.world.list(self.ctx, &loc).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| !name.starts_with('.') && glob_matches(&name_pattern, name))
            .collect();
        crate::sorting::sort(&mut matches);
        for name in matches {
            self.file(&format!("{}/{name}", dir.trim_end_matches('/')), context, depth + 1, out)?;
        }
        Ok(())
    }
}

/// Shell-style matching of an `include` pattern's file name.
fn glob_matches(pattern: &str, name: &str) -> bool {
    let pattern: Vec<(char, bool)> = pattern.chars().map(|c| (c, false)).collect();
    let name: Vec<char> = name.chars().collect();
    crate::userland::glob::matches(&pattern, &name)
}

/// Checks a directive's context, terminator and argument count (`ngx_conf_handler`).
fn check_directive(d: &Directive, context: u32, end: End) -> Result<Shape, String> {
    let mut known = false;
    for (name, contexts, shape) in DIRECTIVES {
        if *name != d.name {
            continue;
        }
        known = true;
        if contexts & context == 0 {
            continue;
        }
        let is_block = matches!(shape, Shape::Block(..));
        if !is_block && end != End::Semicolon {
            return Err(format!("directive \"{}\" is not terminated by \";\"{}", d.name, d.at()));
        }
        if is_block && end != End::BlockStart {
            return Err(format!("directive \"{}\" has no opening \"{{\"{}", d.name, d.at()));
        }
        let (min, max) = match shape {
            Shape::Args(a, b) | Shape::Block(a, b) => (*a, *b),
            Shape::Flag => (1, 1),
        };
        if d.args.len() < min || d.args.len() > max {
            return Err(format!("invalid number of arguments in \"{}\" directive{}", d.name, d.at()));
        }
        if matches!(shape, Shape::Flag) && d.args[0] != "on" && d.args[0] != "off" {
            return Err(format!("invalid value \"{}\" in \"{}\" directive, it must be \"on\" or \"off\"{}", d.args[0], d.name, d.at()));
        }
        return Ok(*shape);
    }
    if known {
        Err(format!("\"{}\" directive is not allowed here{}", d.name, d.at()))
    } else {
        Err(format!("unknown directive \"{}\"{}", d.name, d.at()))
    }
}

/// A path relative to nginx's prefix.
pub(super) fn absolute(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{PREFIX}{path}")
    }
}
