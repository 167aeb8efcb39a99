//! nginx 1.27.3 and the official image's `/docker-entrypoint.sh`.
//!
//! The entrypoint runs the image's configuration scripts (10-listen-on-ipv6-by-default.sh
//! really edits `/etc/nginx/conf.d/default.conf`) and execs its command. nginx reads its
//! configuration with the grammar and directive contexts of the real parser, refuses a bad one
//! with nginx's own messages, and once running serves static files from the container's file
//! system at request time, as its worker user.

use std::collections::BTreeMap;

use super::net::{self, http_date, reason, Request, Response, RunningServer};
use crate::catalog::NGINX_DEFAULT_CONF;
use crate::clock::{tm, MONTHS};
use crate::fs::{Data, Errno, FileType};
use crate::shell::{Io, Shell};
use crate::userland::Exit;
use crate::vfs::{Access, Ctx, Ns, WriteMode};
use crate::world::{ContainerId, Cred, World};

pub const VERSION: &str = "1.27.3";
const CONF_PATH: &str = "/etc/nginx/nginx.conf";
/// `--prefix`: relative paths in the configuration start here.
const PREFIX: &str = "/etc/nginx/";
const DEFAULT_ERROR_LOG: &str = "/var/log/nginx/error.log";
const DEFAULT_ACCESS_LOG: &str = "/var/log/nginx/access.log";
const DEFAULT_PID: &str = "/var/run/nginx.pid";
const DEFAULT_USER: &str = "nginx";
const TEMP_DIRS: [&str; 5] = ["client_temp", "proxy_temp", "fastcgi_temp", "uwsgi_temp", "scgi_temp"];
const IPV6_SCRIPT: &str = "10-listen-on-ipv6-by-default.sh";
/// Size of the image's 10-listen-on-ipv6-by-default.sh (the script the simulation runs).
const IPV6_SCRIPT_SIZE: u64 = 2125;
/// `worker_processes auto` on the simulated machine's 2 CPUs.
const CPUS: u32 = 2;
/// nginx's predefined access log format.
const COMBINED: &str =
    "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"";
/// How deeply includes and internal redirects may nest.
const MAX_NESTING: usize = 10;

// ---------------------------------------------------------------------------- the entrypoint

/// `/docker-entrypoint.sh`: configuration scripts when the command is nginx, then `exec "$@"`.
pub fn entrypoint(world: &mut World, sh: &mut Shell, argv: &[String], env: &[String], io: &mut Io) -> Exit {
    let args = &argv[1..];
    let Some(command) = args.first() else { return Exit::Code(0) };
    if command == "nginx" || command == "nginx-debug" {
        configure(world, sh, env, io);
    }
    if matches!(crate::userland::find_program_kind(world, sh, command), crate::userland::ProgramKind::Missing) {
        io.err_line(&format!("/docker-entrypoint.sh: 47: exec: {command}: not found"));
        return Exit::Code(127);
    }
    crate::userland::exec(world, sh, args, env, io)
}

fn configure(world: &mut World, sh: &mut Shell, env: &[String], io: &mut Io) {
    let say = |io: &mut Io, line: &str| io.out_str(&format!("{line}\n"));
    let dir = "/docker-entrypoint.d";
    let mut files: Vec<(String, u64, bool)> = Vec::new();
    if let Ok(loc) = world.resolve(&sh.ctx, dir, true) {
        for (name, _) in world.list(&sh.ctx, &loc).unwrap_or_default() {
            let path = format!("{dir}/{name}");
            let Ok(st) = world.stat(&sh.ctx, &path, true) else { continue };
            if st.ftype == FileType::File {
                let executable = crate::vfs::may(st.uid, st.gid, st.mode, false, &sh.ctx.cred, Access::Exec);
                files.push((path, st.size, executable));
            }
        }
    }
    if files.is_empty() {
        say(io, "/docker-entrypoint.sh: No files found in /docker-entrypoint.d/, skipping configuration");
        return;
    }
    say(io, "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration");
    say(io, "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/");
    crate::sorting::sort(&mut files);
    for (path, size, executable) in files {
        let kind = if path.ends_with(".envsh") {
            "Sourcing"
        } else if path.ends_with(".sh") {
            "Launching"
        } else {
            say(io, &format!("/docker-entrypoint.sh: Ignoring {path}"));
            continue;
        };
        if !executable {
            say(io, &format!("/docker-entrypoint.sh: Ignoring {path}, not executable"));
            continue;
        }
        say(io, &format!("/docker-entrypoint.sh: {kind} {path}"));
        if size == IPV6_SCRIPT_SIZE && path.ends_with(IPV6_SCRIPT) {
            listen_on_ipv6(world, &sh.ctx, io);
        } else if kind == "Launching" && matches!(world.read(&sh.ctx, &path), Ok(Data::Bytes(_))) {
            // A learner's own script runs for real; the image's other scripts do nothing by default.
            let mut sub = sh.clone();
            sub.main_process = false;
            let _ = crate::userland::exec(world, &mut sub, std::slice::from_ref(&path), env, io);
        }
    }
    say(io, "/docker-entrypoint.sh: Configuration complete; ready for start up");
}

/// 10-listen-on-ipv6-by-default.sh: adds `listen [::]:80;` to the packaged default.conf.
fn listen_on_ipv6(world: &mut World, ctx: &Ctx, io: &mut Io) {
    const CONF: &str = "/etc/nginx/conf.d/default.conf";
    let info = |io: &mut Io, msg: &str| io.out_str(&format!("{IPV6_SCRIPT}: info: {msg}\n"));
    let is_file = world.stat(ctx, CONF, true).map(|s| s.ftype == FileType::File).unwrap_or(false);
    if !is_file {
        return info(io, &format!("{CONF} is not a file or does not exist"));
    }
    // `touch` first: it fails on a read-only file system or without write permission.
    let now = world.clock.secs();
    let touched = world.resolve(ctx, CONF, true).and_then(|loc| {
        let st = world.stat_loc(&ctx.ns, &loc);
        if st.uid != ctx.cred.uid && !crate::vfs::may(st.uid, st.gid, st.mode, false, &ctx.cred, Access::Write) {
            return Err(Errno::Access);
        }
        world.set_meta_loc(ctx, &loc, &mut |i| i.mtime = now)
    });
    if touched.is_err() {
        return info(io, &format!("can not modify {CONF} (read-only file system?)"));
    }
    let text = world.read(ctx, CONF).map(|d| String::from_utf8_lossy(&d.to_vec()).into_owned()).unwrap_or_default();
    if text.contains("listen  [::]:80;") {
        return info(io, "IPv6 listen already enabled");
    }
    info(io, &format!("Getting the checksum of {CONF}"));
    if text != NGINX_DEFAULT_CONF {
        return info(io, &format!("{CONF} differs from the packaged version"));
    }
    let edited = text.replacen("listen       80;", "listen       80;\n    listen  [::]:80;", 1);
    if world.write_file(ctx, CONF, &Data::from_bytes(edited.as_bytes()), WriteMode::Truncate).is_ok() {
        info(io, &format!("Enabled listen on IPv6 in {CONF}"));
    }
}

// ---------------------------------------------------------------------------- configuration grammar

/// One directive of a configuration file, with its block if it has one.
#[derive(Clone, Debug)]
struct Directive {
    name: String,
    args: Vec<String>,
    file: String,
    line: usize,
    block: Option<Vec<Directive>>,
}

impl Directive {
    fn at(&self) -> String {
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
struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: usize,
}

impl Lexer {
    fn new(text: &str) -> Lexer {
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
const MAIN: u32 = 1;
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
struct ReadFile {
    path: String,
    text: String,
}

/// Reads configuration files as the master process.
struct Loader<'w> {
    world: &'w World,
    ctx: &'w Ctx,
    files: Vec<ReadFile>,
}

impl Loader<'_> {
    /// Parses one file in `context`; an `include` error names the including directive.
    fn file(&mut self, path: &str, context: u32, depth: usize, out: &mut Vec<Directive>) -> Result<(), String> {
        let text = match self.world.read(self.ctx, path) {
            Ok(d) => String::from_utf8_lossy(&d.to_vec()).into_owned(),
            Err(e) => return Err(format!("open() \"{path}\" failed ({}: {e})", errno_number(e))),
        };
        self.files.push(ReadFile { path: path.to_string(), text: text.clone() });
        let mut lexer = Lexer::new(&text);
        self.block(&mut lexer, path, context, false, depth, out)
    }

    fn block(
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
fn absolute(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{PREFIX}{path}")
    }
}

fn errno_number(e: Errno) -> u32 {
    match e {
        Errno::Perm => 1,
        Errno::NoEnt => 2,
        Errno::Io => 5,
        Errno::Access => 13,
        Errno::Busy => 16,
        Errno::Exists => 17,
        Errno::CrossDevice => 18,
        Errno::NotDir => 20,
        Errno::IsDir => 21,
        Errno::Invalid => 22,
        Errno::TooBig => 27,
        Errno::NoSpace => 28,
        Errno::ReadOnly => 30,
        Errno::NameTooLong => 36,
        Errno::NotEmpty => 39,
        Errno::Loop => 40,
    }
}

// ---------------------------------------------------------------------------- the loaded configuration

/// Settings a `location` inherits from its `server`, and a `server` from `http`.
#[derive(Clone, Debug, Default)]
struct Scope {
    root: Option<String>,
    index: Option<Vec<String>>,
    default_type: Option<String>,
    /// (path or `off`, format name).
    access_log: Option<Vec<(String, String)>>,
    error_pages: Vec<(u16, String)>,
}

impl Scope {
    fn read(&mut self, d: &Directive) {
        match d.name.as_str() {
            "root" => self.root = Some(d.args[0].clone()),
            "index" => self.index = Some(d.args.clone()),
            "default_type" => self.default_type = Some(d.args[0].clone()),
            "access_log" => {
                let format = d.args.get(1).cloned().unwrap_or_else(|| "combined".into());
                self.access_log.get_or_insert_with(Vec::new).push((d.args[0].clone(), format));
            }
            "error_page" => {
                if let Some((target, codes)) = d.args.split_last() {
                    for code in codes {
                        if let Ok(c) = code.parse() {
                            self.error_pages.push((c, target.clone()));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// This scope with unset settings taken from `outer`.
    fn under(&self, outer: &Scope) -> Scope {
        Scope {
            root: self.root.clone().or_else(|| outer.root.clone()),
            index: self.index.clone().or_else(|| outer.index.clone()),
            default_type: self.default_type.clone().or_else(|| outer.default_type.clone()),
            access_log: self.access_log.clone().or_else(|| outer.access_log.clone()),
            error_pages: if self.error_pages.is_empty() { outer.error_pages.clone() } else { self.error_pages.clone() },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Match {
    Exact,
    Prefix,
    /// `^~`: a prefix that stops the regex search.
    PrefixNoRegex,
    Regex {
        caseless: bool,
    },
    Named,
}

#[derive(Clone, Debug)]
struct Location {
    kind: Match,
    path: String,
    scope: Scope,
    alias: Option<String>,
    try_files: Option<Vec<String>>,
    ret: Option<(u16, Option<String>)>,
    proxy_pass: Option<String>,
}

#[derive(Clone, Debug)]
struct Listen {
    addr: String,
    port: u16,
    default_server: bool,
}

#[derive(Clone, Debug)]
struct VirtualServer {
    listens: Vec<Listen>,
    names: Vec<String>,
    scope: Scope,
    ret: Option<(u16, Option<String>)>,
    locations: Vec<Location>,
}

/// A log destination and the lowest level it records.
#[derive(Clone, Debug)]
struct ErrorLog {
    path: String,
    level: u8,
}

const LEVELS: [&str; 8] = ["emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"];
const NOTICE: u8 = 5;
const ERROR: u8 = 3;

/// What `nginx` loaded from its configuration.
#[derive(Clone, Debug)]
struct Config {
    user: String,
    workers: u32,
    daemon: bool,
    pid: String,
    error_log: ErrorLog,
    servers: Vec<VirtualServer>,
    formats: BTreeMap<String, String>,
    types: BTreeMap<String, String>,
    http_scope: Scope,
}

/// A running nginx: its configuration and processes.
#[derive(Clone, Debug)]
pub struct Running {
    config: Config,
    master_pid: u32,
    worker_pids: Vec<u32>,
    /// The worker processes' credentials (they read the files they serve).
    worker: Cred,
    /// The master is the container's main process (`docker stop` signals it).
    main_process: bool,
    /// Connections accepted so far (error log lines name theirs: `*3`).
    connections: u32,
}

/// The nginx container `id` runs, if it runs one.
fn running_nginx(world: &World, id: &ContainerId) -> Option<Box<Running>> {
    let server = world.container(id)?.server.as_ref()?;
    server.as_any().downcast_ref::<Running>().map(|r| Box::new(r.clone()))
}

impl RunningServer for Running {
    /// Whether a server block listens on `port` at local address `ip`.
    fn accepts(&self, port: u16, ip: &str) -> bool {
        self.config.servers.iter().flat_map(|s| s.listens.iter()).any(|l| {
            l.port == port
                && match l.addr.as_str() {
                    "0.0.0.0" => !ip.contains(':'),
                    "::" => ip.contains(':'),
                    other => other == ip,
                }
        })
    }
    fn serve(&self, world: &mut World, id: &ContainerId, port: u16, req: &Request) -> Response {
        serve(world, id, self, port, req)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn clone_box(&self) -> Box<dyn RunningServer> {
        Box::new(self.clone())
    }
}

/// Builds the configuration from the parsed directives (the handlers' checks).
fn build(main: &[Directive]) -> Result<Config, String> {
    let mut config = Config {
        user: DEFAULT_USER.into(),
        workers: 1,
        daemon: true,
        pid: DEFAULT_PID.into(),
        error_log: ErrorLog { path: DEFAULT_ERROR_LOG.into(), level: ERROR },
        servers: Vec::new(),
        formats: BTreeMap::from([("combined".to_string(), COMBINED.to_string())]),
        types: BTreeMap::new(),
        http_scope: Scope::default(),
    };
    let mut events = false;
    for d in main {
        match d.name.as_str() {
            "user" => config.user = d.args[0].clone(),
            "worker_processes" => {
                config.workers = match d.args[0].as_str() {
                    "auto" => CPUS,
                    n => n.parse().map_err(|_| format!("invalid value \"{n}\" in \"worker_processes\" directive{}", d.at()))?,
                }
            }
            "daemon" => config.daemon = d.args[0] == "on",
            "pid" => config.pid = absolute(&d.args[0]),
            "error_log" => config.error_log = error_log(d)?,
            "events" => events = true,
            "http" => build_http(&mut config, d.block.as_deref().unwrap_or_default())?,
            _ => {}
        }
    }
    if !events {
        return Err("no \"events\" section in configuration".into());
    }
    Ok(config)
}

fn error_log(d: &Directive) -> Result<ErrorLog, String> {
    let level = match d.args.get(1) {
        None => ERROR,
        Some(l) => LEVELS.iter().position(|x| x == l).ok_or_else(|| format!("invalid log level \"{l}\"{}", d.at()))? as u8,
    };
    Ok(ErrorLog { path: absolute(&d.args[0]), level })
}

fn build_http(config: &mut Config, block: &[Directive]) -> Result<(), String> {
    for d in block {
        match d.name.as_str() {
            "log_format" => {
                let name = d.args[0].clone();
                let format = d.args[1..].iter().skip_while(|a| a.starts_with("escape=")).cloned().collect::<String>();
                if config.formats.insert(name.clone(), format).is_some() {
                    return Err(format!("duplicate \"log_format\" name \"{name}\"{}", d.at()));
                }
            }
            "types" => read_types(&mut config.types, d),
            _ => config.http_scope.read(d),
        }
    }
    for d in block.iter().filter(|d| d.name == "server") {
        let server = build_server(config, d.block.as_deref().unwrap_or_default())?;
        config.servers.push(server);
    }
    for (path, format) in config.http_scope.access_log.iter().flatten() {
        check_log_format(config, path, format, block)?;
    }
    Ok(())
}

fn check_log_format(config: &Config, path: &str, format: &str, block: &[Directive]) -> Result<(), String> {
    if path != "off" && !config.formats.contains_key(format) {
        let at = block
            .iter()
            .find(|d| d.name == "access_log" && d.args.get(1).map(String::as_str) == Some(format))
            .map(Directive::at)
            .unwrap_or_default();
        return Err(format!("unknown log format \"{format}\"{at}"));
    }
    Ok(())
}

fn read_types(types: &mut BTreeMap<String, String>, d: &Directive) {
    for entry in d.block.iter().flatten() {
        for ext in &entry.args {
            types.insert(ext.to_ascii_lowercase(), entry.name.clone());
        }
    }
}

fn build_server(config: &Config, block: &[Directive]) -> Result<VirtualServer, String> {
    let mut server = VirtualServer { listens: Vec::new(), names: Vec::new(), scope: Scope::default(), ret: None, locations: Vec::new() };
    for d in block {
        match d.name.as_str() {
            "listen" => server.listens.push(listen(d)?),
            "server_name" => server.names.extend(d.args.iter().cloned()),
            "return" => server.ret = Some(return_args(d)?),
            "location" => {
                let loc = build_location(d)?;
                if server.locations.iter().any(|l| l.kind == loc.kind && l.path == loc.path) {
                    return Err(format!("duplicate location \"{}\"{}", loc.path, d.at()));
                }
                server.locations.push(loc);
            }
            "root" if server.scope.root.is_some() => return Err(format!("\"root\" directive is duplicate{}", d.at())),
            _ => server.scope.read(d),
        }
    }
    if server.listens.is_empty() {
        server.listens.push(Listen { addr: "0.0.0.0".into(), port: 80, default_server: false });
    }
    for (path, format) in server.scope.access_log.iter().flatten() {
        check_log_format(config, path, format, block)?;
    }
    Ok(server)
}

fn listen(d: &Directive) -> Result<Listen, String> {
    let spec = &d.args[0];
    let (addr, port) = if let Some(rest) = spec.strip_prefix('[') {
        let (ip, port) = rest.split_once(']').unwrap_or((rest, ""));
        (ip.to_string(), port.trim_start_matches(':').to_string())
    } else if let Some((host, port)) = spec.rsplit_once(':') {
        (host.to_string(), port.to_string())
    } else if spec.chars().all(|c| c.is_ascii_digit()) {
        ("0.0.0.0".to_string(), spec.clone())
    } else {
        (spec.clone(), "80".to_string())
    };
    let addr = match addr.as_str() {
        "*" | "" => "0.0.0.0".to_string(),
        "localhost" => "127.0.0.1".to_string(),
        a if a.parse::<std::net::IpAddr>().is_ok() => a.to_string(),
        other => return Err(format!("host not found in \"{other}\" of the \"listen\" directive{}", d.at())),
    };
    let port = if port.is_empty() {
        80
    } else {
        port.parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| format!("invalid port in \"{spec}\" of the \"listen\" directive{}", d.at()))?
    };
    Ok(Listen { addr, port, default_server: d.args.iter().any(|a| a == "default_server" || a == "default") })
}

fn return_args(d: &Directive) -> Result<(u16, Option<String>), String> {
    match d.args[0].parse::<u16>() {
        Ok(code) if code <= 999 => Ok((code, d.args.get(1).cloned())),
        Ok(_) => Err(format!("invalid return code \"{}\"{}", d.args[0], d.at())),
        // `return URL;` is a 302 redirect.
        Err(_)
            if d.args.len() == 1
                && (d.args[0].starts_with("http://") || d.args[0].starts_with("https://") || d.args[0].starts_with('$')) =>
        {
            Ok((302, Some(d.args[0].clone())))
        }
        Err(_) => Err(format!("invalid return code \"{}\"{}", d.args[0], d.at())),
    }
}

fn build_location(d: &Directive) -> Result<Location, String> {
    let (kind, path) = match d.args.as_slice() {
        [m, p] => (
            match m.as_str() {
                "=" => Match::Exact,
                "^~" => Match::PrefixNoRegex,
                "~" => Match::Regex { caseless: false },
                "~*" => Match::Regex { caseless: true },
                other => return Err(format!("invalid location modifier \"{other}\"{}", d.at())),
            },
            p.clone(),
        ),
        [p] if p.starts_with('@') => (Match::Named, p.clone()),
        [p] => match p.strip_prefix('=') {
            Some(rest) if !rest.is_empty() => (Match::Exact, rest.to_string()),
            _ => (Match::Prefix, p.clone()),
        },
        _ => return Err(format!("invalid number of arguments in \"location\" directive{}", d.at())),
    };
    let mut loc = Location { kind, path, scope: Scope::default(), alias: None, try_files: None, ret: None, proxy_pass: None };
    for inner in d.block.iter().flatten() {
        match inner.name.as_str() {
            "alias" if loc.scope.root.is_some() => {
                return Err(format!("\"alias\" directive is duplicate, \"root\" directive was specified earlier{}", inner.at()))
            }
            "root" if loc.alias.is_some() => {
                return Err(format!("\"root\" directive is duplicate, \"alias\" directive was specified earlier{}", inner.at()))
            }
            "root" if loc.scope.root.is_some() => return Err(format!("\"root\" directive is duplicate{}", inner.at())),
            "alias" => loc.alias = Some(inner.args[0].clone()),
            "try_files" => loc.try_files = Some(inner.args.clone()),
            "return" => loc.ret = Some(return_args(inner)?),
            "proxy_pass" => loc.proxy_pass = Some(proxy_target(inner)?),
            _ => loc.scope.read(inner),
        }
    }
    Ok(loc)
}

/// `proxy_pass http://HOST:PORT`: the host must resolve when nginx starts.
fn proxy_target(d: &Directive) -> Result<String, String> {
    let url = &d.args[0];
    let Some(rest) = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")) else {
        return Err(format!("invalid URL prefix in \"{url}\"{}", d.at()));
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.rsplit_once(':').map(|(h, _)| h).unwrap_or(authority);
    let resolvable = host == "localhost" || host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok();
    if !resolvable {
        return Err(format!("host not found in upstream \"{authority}\"{}", d.at()));
    }
    Ok(url.clone())
}

// ---------------------------------------------------------------------------- the nginx binary

/// `2026/11/30 04:02:00` (error log time stamps).
fn log_time(secs: i64) -> String {
    let t = tm(secs);
    format!("{:04}/{:02}/{:02} {:02}:{:02}:{:02}", t.year, t.month, t.day, t.hour, t.min, t.sec)
}

/// Where a log path leads: the process's stdout or stderr through the image's symlinks, or a file.
#[derive(Clone, Debug, PartialEq)]
enum Sink {
    Stdout,
    Stderr,
    File(String),
}

fn sink(world: &World, ctx: &Ctx, path: &str) -> Sink {
    let mut path = path.to_string();
    for _ in 0..MAX_NESTING {
        match world.stat(ctx, &path, false).ok().and_then(|s| s.symlink) {
            Some(target) => path = crate::fs::normalize(&crate::fs::parent_and_name(&path).0, &target),
            None => break,
        }
        match path.as_str() {
            "/dev/stdout" | "/proc/self/fd/1" => return Sink::Stdout,
            "/dev/stderr" | "/proc/self/fd/2" => return Sink::Stderr,
            _ => {}
        }
    }
    Sink::File(path)
}

/// A log writer for one nginx process run: lines go to the process's streams or to files.
struct Logger<'a> {
    io: &'a mut Io,
    ctx: Ctx,
}

impl Logger<'_> {
    fn write(&mut self, world: &mut World, path: &str, line: &str) {
        match sink(world, &self.ctx, path) {
            Sink::Stdout => self.io.out_str(&format!("{line}\n")),
            Sink::Stderr => self.io.err_line(line),
            Sink::File(p) => {
                let _ = world.write_file(&self.ctx, &p, &Data::from_bytes(format!("{line}\n").as_bytes()), WriteMode::Append);
            }
        }
    }

    /// An error log entry; `[warn]` and worse are also written to stderr as `nginx: [level] …`.
    fn error(&mut self, world: &mut World, log: &ErrorLog, pid: u32, level: u8, msg: &str) {
        let name = LEVELS[level as usize];
        if level <= log.level {
            let line = format!("{} [{name}] {pid}#{pid}: {msg}", log_time(world.clock.secs()));
            self.write(world, &log.path, &line);
        }
        if level <= 4 {
            self.io.err_line(&format!("nginx: [{name}] {msg}"));
        }
    }
}

/// Command-line options of `nginx`.
struct Options {
    test: bool,
    dump: bool,
    signal: Option<String>,
    conf: String,
    directives: Option<String>,
}

fn options(argv: &[String], io: &mut Io) -> Result<Options, i32> {
    let mut o = Options { test: false, dump: false, signal: None, conf: CONF_PATH.into(), directives: None };
    let mut args = argv[1..].iter();
    while let Some(a) = args.next() {
        let flags = a.strip_prefix('-').filter(|f| !f.is_empty()).ok_or_else(|| {
            io.err_line(&format!("nginx: invalid option: \"{a}\""));
            1
        })?;
        let mut rest = flags.chars();
        while let Some(f) = rest.next() {
            // What follows the option in its cluster: an inline value.
            let inline = rest.as_str();
            let value = |args: &mut std::slice::Iter<String>, io: &mut Io| -> Result<String, i32> {
                if !inline.is_empty() {
                    return Ok(inline.to_string());
                }
                args.next().cloned().ok_or_else(|| {
                    io.err_line(&format!("nginx: option \"-{f}\" requires {}", if f == 's' { "signal name" } else { "file name" }));
                    1
                })
            };
            match f {
                'v' | 'V' => {
                    io.err_line(&format!("nginx version: nginx/{VERSION}"));
                    if f == 'V' {
                        io.err_line("built by gcc 12.2.0 (Debian 12.2.0-14)");
                        io.err_line("built with OpenSSL 3.0.11 19 Sep 2023 (running with OpenSSL 3.0.15 3 Sep 2024)");
                        io.err_line("TLS SNI support enabled");
                        io.err_line("configure arguments: --prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --modules-path=/usr/lib/nginx/modules --conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log --http-log-path=/var/log/nginx/access.log --pid-path=/var/run/nginx.pid --lock-path=/var/run/nginx.lock --user=nginx --group=nginx");
                    }
                    return Err(0);
                }
                't' => o.test = true,
                'T' => {
                    o.test = true;
                    o.dump = true;
                }
                'q' => {}
                's' => {
                    o.signal = Some(value(&mut args, io)?);
                    break;
                }
                'c' => {
                    o.conf = absolute(&value(&mut args, io)?);
                    break;
                }
                'g' => {
                    o.directives = Some(value(&mut args, io)?);
                    break;
                }
                'p' | 'e' => {
                    value(&mut args, io)?;
                    break;
                }
                _ => {
                    io.err_line(&format!("nginx: invalid option: \"{f}{inline}\""));
                    return Err(1);
                }
            }
        }
    }
    Ok(o)
}

/// Loads the configuration named by the options: the parsed config and the files read.
fn load(world: &World, ctx: &Ctx, o: &Options) -> Result<(Config, Vec<ReadFile>), String> {
    let mut loader = Loader { world, ctx, files: Vec::new() };
    let mut main = Vec::new();
    loader.file(&o.conf, MAIN, 0, &mut main)?;
    if let Some(g) = &o.directives {
        let mut lexer = Lexer::new(g);
        loader.block(&mut lexer, "", MAIN, false, 0, &mut main)?;
    }
    Ok((build(&main)?, loader.files))
}

/// Runs `nginx`: `-v`, `-t`/`-T`, `-s SIGNAL`, or a server start.
pub fn run(world: &mut World, sh: &mut Shell, argv: &[String], io: &mut Io) -> Exit {
    let o = match options(argv, io) {
        Ok(o) => o,
        Err(code) => return Exit::Code(code),
    };
    let ctx = sh.ctx.clone();
    let pid = if sh.main_process { 1 } else { 40 };
    let default_log = ErrorLog { path: DEFAULT_ERROR_LOG.into(), level: NOTICE };
    if let Some(signal) = &o.signal {
        return Exit::Code(send_signal(world, sh, &o, signal, io));
    }
    let loaded = load(world, &ctx, &o);
    let mut log = Logger { io, ctx: ctx.clone() };
    let (config, files) = match loaded {
        Ok(x) => x,
        Err(msg) => {
            log.error(world, &default_log, pid, 0, &msg);
            if o.test {
                log.io.err_line(&format!("nginx: configuration file {} test failed", o.conf));
            }
            return Exit::Code(1);
        }
    };
    let root = ctx.cred.uid == 0;
    if !root && config.user != DEFAULT_USER {
        log.error(
            world,
            &config.error_log,
            pid,
            4,
            "the \"user\" directive makes sense only if the master process runs with super-user privileges, ignored",
        );
    }
    let worker = if root {
        crate::userland::users::resolve_user(world, &ctx, &config.user).map(|(c, _)| c).unwrap_or_else(|_| Cred {
            uid: 65534,
            gid: 65534,
            groups: vec![65534],
        })
    } else {
        ctx.cred.clone()
    };
    if let Err(msg) = create_temp_dirs(world, &ctx, &worker) {
        log.error(world, &config.error_log, pid, 0, &msg);
        return Exit::Code(1);
    }
    if o.test {
        if o.dump {
            for f in &files {
                log.io.out_str(&format!("# configuration file {}:\n{}\n", f.path, f.text));
            }
        }
        log.io.err_line(&format!("nginx: the configuration file {} syntax is ok", o.conf));
        log.io.err_line(&format!("nginx: configuration file {} test is successful", o.conf));
        return Exit::Code(0);
    }
    if let Some(busy) = busy_address(world, &ctx, &config) {
        for _ in 0..5 {
            for addr in &busy {
                log.error(world, &config.error_log, pid, 0, &format!("bind() to {addr} failed (98: Address already in use)"));
            }
            world.clock.advance_millis(500);
        }
        log.error(world, &config.error_log, pid, 0, "still could not bind()");
        return Exit::Code(1);
    }
    let notice = |log: &mut Logger, world: &mut World, msg: &str| log.error(world, &config.error_log, pid, NOTICE, msg);
    notice(&mut log, world, "using the \"epoll\" event method");
    notice(&mut log, world, &format!("nginx/{VERSION}"));
    notice(&mut log, world, "built by gcc 12.2.0 (Debian 12.2.0-14)");
    notice(&mut log, world, "OS: Linux 6.18.44-fc-v669");
    notice(&mut log, world, "getrlimit(RLIMIT_NOFILE): 1048576:1048576");
    if let Err(e) = world.write_file(&ctx, &config.pid, &Data::from_bytes(format!("{pid}\n").as_bytes()), WriteMode::Truncate) {
        let msg = format!("open() \"{}\" failed ({}: {e})", config.pid, errno_number(e));
        log.error(world, &config.error_log, pid, 0, &msg);
        return Exit::Code(1);
    }
    let first_worker = if pid == 1 { 29 } else { pid + 1 };
    let worker_pids: Vec<u32> = (0..config.workers.min(64)).map(|i| first_worker + i).collect();
    notice(&mut log, world, "start worker processes");
    for w in &worker_pids {
        notice(&mut log, world, &format!("start worker process {w}"));
    }
    let daemon = config.daemon;
    let main_process = sh.main_process && !daemon;
    if let Some(c) = world.ns_container(&ctx.ns).map(|c| c.id.clone()).and_then(|id| world.container_mut(&id)) {
        let running = Running { config, master_pid: pid, worker_pids, worker, main_process, connections: 0 };
        c.server = Some(Box::new(running));
    }
    if daemon {
        Exit::Code(0)
    } else {
        Exit::Block
    }
}

/// The temp directories nginx creates at start, owned by the worker user.
fn create_temp_dirs(world: &mut World, ctx: &Ctx, worker: &Cred) -> Result<(), String> {
    for name in TEMP_DIRS {
        let path = format!("/var/cache/nginx/{name}");
        if world.exists(ctx, &path) {
            continue;
        }
        if let Err(e) = world.mkdir(ctx, &path, 0o700) {
            return Err(format!("mkdir() \"{path}\" failed ({}: {e})", errno_number(e)));
        }
        if ctx.cred.uid == 0 {
            let (uid, gid) = (worker.uid, worker.gid);
            let _ = world.set_meta(ctx, &path, true, &mut |i| {
                i.uid = uid;
                i.gid = gid;
            });
        }
    }
    Ok(())
}

/// The listen addresses another server of the same network namespace already holds.
fn busy_address(world: &World, ctx: &Ctx, config: &Config) -> Option<Vec<String>> {
    let Ns::Container(id) = &ctx.ns else { return None };
    let mut busy = Vec::new();
    for l in config.servers.iter().flat_map(|s| s.listens.iter()) {
        let ip = if l.addr == "::" {
            "::1"
        } else if l.addr == "0.0.0.0" {
            "127.0.0.1"
        } else {
            l.addr.as_str()
        };
        if net::connect(world, &Ns::Container(id.clone()), ip, l.port).is_ok() {
            let shown = if l.addr.contains(':') { format!("[{}]:{}", l.addr, l.port) } else { format!("{}:{}", l.addr, l.port) };
            if !busy.contains(&shown) {
                busy.push(shown);
            }
        }
    }
    (!busy.is_empty()).then_some(busy)
}

/// `nginx -s reload|quit|stop|reopen`: signals the master of this container.
fn send_signal(world: &mut World, sh: &Shell, o: &Options, signal: &str, io: &mut Io) -> i32 {
    let number = match signal {
        "stop" => 15,
        "quit" => 3,
        "reopen" => 10,
        "reload" => 1,
        other => {
            io.err_line(&format!("nginx: invalid option: \"-s {other}\""));
            return 1;
        }
    };
    let pid = 45;
    let id = match &sh.ctx.ns {
        Ns::Container(id) => id.clone(),
        Ns::Host => return 1,
    };
    let id = &id;
    let Some(running) = running_nginx(world, id) else {
        io.err_line(&format!("nginx: [error] open() \"{DEFAULT_PID}\" failed (2: No such file or directory)"));
        return 1;
    };
    let log = running.config.error_log.clone();
    io.err_line(&format!("{} [notice] {pid}#{pid}: signal process started", log_time(world.clock.secs())));
    let master = running.master_pid;
    let mut lines: Vec<(u8, u32, String)> = Vec::new();
    match number {
        1 => {
            lines.push((NOTICE, master, format!("signal 1 (SIGHUP) received from {pid}, reconfiguring")));
            lines.push((NOTICE, master, "reconfiguring".into()));
            match load(world, &sh.ctx, o) {
                Err(msg) => lines.push((0, master, msg)),
                Ok((config, _)) => {
                    let first = running.worker_pids.last().copied().unwrap_or(master) + 1;
                    let workers: Vec<u32> = (0..config.workers.min(64)).map(|i| first + i).collect();
                    lines.push((NOTICE, master, "using the \"epoll\" event method".into()));
                    lines.push((NOTICE, master, "start worker processes".into()));
                    lines.extend(workers.iter().map(|w| (NOTICE, master, format!("start worker process {w}"))));
                    for old in &running.worker_pids {
                        lines.push((NOTICE, *old, "gracefully shutting down".into()));
                        lines.push((NOTICE, *old, "exiting".into()));
                        lines.push((NOTICE, *old, "exit".into()));
                    }
                    for old in &running.worker_pids {
                        lines.push((NOTICE, master, format!("signal 17 (SIGCHLD) received from {old}")));
                        lines.push((NOTICE, master, format!("worker process {old} exited with code 0")));
                    }
                    let next = Running { config, worker_pids: workers, ..(*running).clone() };
                    if let Some(c) = world.container_mut(id) {
                        c.server = Some(Box::new(next));
                    }
                }
            }
        }
        10 => lines.push((NOTICE, master, format!("signal 10 (SIGUSR1) received from {pid}, reopening logs"))),
        _ => {
            let name = if number == 3 { "SIGQUIT" } else { "SIGTERM" };
            lines.push((NOTICE, master, format!("signal {number} ({name}) received from {pid}, exiting")));
            lines.extend(shutdown_lines(&running).into_iter().skip(1));
            append_logs(world, id, &running, &log, &lines);
            if running.main_process {
                crate::daemon::container::stop_container(world, id, 0);
            } else if let Some(c) = world.container_mut(id) {
                c.server = None;
            }
            return 0;
        }
    }
    append_logs(world, id, &running, &log, &lines);
    0
}

/// Writes error log lines of a running nginx (the container's log when it is the main process).
fn append_logs(world: &mut World, id: &ContainerId, running: &Running, log: &ErrorLog, lines: &[(u8, u32, String)]) {
    let time = log_time(world.clock.secs());
    for (level, pid, msg) in lines {
        if *level > log.level {
            continue;
        }
        let line = format!("{time} [{}] {pid}#{pid}: {msg}", LEVELS[*level as usize]);
        write_server_log(world, id, running, &log.path, &line);
    }
}

/// A log line of a running server: stdout/stderr are the container's log (if nginx is its main
/// process); files are appended to as root.
fn write_server_log(world: &mut World, id: &ContainerId, running: &Running, path: &str, line: &str) {
    let ctx = Ctx::root(Ns::Container(id.clone()));
    match sink(world, &ctx, path) {
        stream @ (Sink::Stdout | Sink::Stderr) if running.main_process => {
            if let Some(c) = world.container_mut(id) {
                c.logs.push((matches!(stream, Sink::Stderr), line.to_string()));
            }
        }
        Sink::File(p) => {
            let _ = world.write_file(&ctx, &p, &Data::from_bytes(format!("{line}\n").as_bytes()), WriteMode::Append);
        }
        _ => {}
    }
}

/// The log of a graceful shutdown (SIGQUIT), master line first.
fn shutdown_lines(running: &Running) -> Vec<(u8, u32, String)> {
    let master = running.master_pid;
    let mut lines = vec![(NOTICE, master, "signal 3 (SIGQUIT) received, shutting down".to_string())];
    for w in &running.worker_pids {
        lines.push((NOTICE, *w, "gracefully shutting down".into()));
        lines.push((NOTICE, *w, "exiting".into()));
        lines.push((NOTICE, *w, "exit".into()));
    }
    for (k, w) in running.worker_pids.iter().rev().enumerate() {
        lines.push((NOTICE, master, format!("signal 17 (SIGCHLD) received from {w}")));
        lines.push((NOTICE, master, format!("worker process {w} exited with code 0")));
        if k + 1 < running.worker_pids.len() {
            lines.push((NOTICE, master, "signal 29 (SIGIO) received".into()));
        }
    }
    lines.push((NOTICE, master, "exit".into()));
    lines
}

/// `docker stop` sends the image's STOPSIGNAL (SIGQUIT): nginx shuts down gracefully, exit 0.
pub fn on_stop(world: &mut World, id: &ContainerId) -> Option<i32> {
    let running = running_nginx(world, id)?;
    if !running.main_process {
        return None;
    }
    let log = running.config.error_log.clone();
    append_logs(world, id, &running, &log, &shutdown_lines(&running));
    let ctx = Ctx::root(Ns::Container(id.clone()));
    let _ = world.remove(&ctx, &running.config.pid, false);
    Some(0)
}

// ---------------------------------------------------------------------------- serving

/// nginx's built-in error page for a status.
fn error_page(status: u16) -> Vec<u8> {
    let title = format!("{status} {}", reason(status));
    format!("<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx/{VERSION}</center>\r\n</body>\r\n</html>\r\n").into_bytes()
}

/// What handling a request came to before the response is built.
enum Outcome {
    File { path: String, data: Vec<u8>, mtime: i64 },
    Status(u16),
    Text(u16, String),
    Redirect(u16, String),
    Proxied(Response),
}

/// Serves one request on `port` of container `id`.
pub fn serve(world: &mut World, id: &ContainerId, running: &Running, port: u16, req: &Request) -> Response {
    let running = &Running { connections: running.connections + 1, ..running.clone() };
    if let Some(c) = world.container_mut(id) {
        c.server = Some(Box::new(running.clone()));
    }
    let config = &running.config;
    let host = req
        .host
        .rsplit_once(':')
        .filter(|(h, _)| !h.ends_with(']') || h.starts_with('['))
        .map(|(h, _)| h)
        .unwrap_or(&req.host)
        .to_ascii_lowercase();
    let candidates: Vec<&VirtualServer> = config.servers.iter().filter(|s| s.listens.iter().any(|l| l.port == port)).collect();
    let server = candidates
        .iter()
        .find(|s| s.names.iter().any(|n| name_matches(n, &host)))
        .or_else(|| candidates.iter().find(|s| s.listens.iter().any(|l| l.port == port && l.default_server)))
        .or_else(|| candidates.first())
        .copied();
    let Some(server) = server else {
        return finish(world, id, running, None, req, Outcome::Status(400));
    };
    let path = req.target.split('?').next().unwrap_or("/");
    let outcome = match normalize_uri(path) {
        None => Outcome::Status(400),
        Some(uri) => handle(world, id, running, server, &uri, req, 0),
    };
    finish(world, id, running, Some(server), req, outcome)
}

fn name_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    if let Some(suffix) = pattern.strip_prefix("*.") {
        host.ends_with(&format!(".{suffix}"))
    } else if let Some(suffix) = pattern.strip_prefix('.') {
        host == suffix || host.ends_with(&pattern)
    } else if let Some(prefix) = pattern.strip_suffix(".*") {
        host.starts_with(&format!("{prefix}."))
    } else {
        pattern == host
    }
}

/// Decodes `%XX` and resolves `.`/`..`; `None` when the path climbs above `/` (400).
fn normalize_uri(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut decoded = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                decoded.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    let decoded = String::from_utf8_lossy(&decoded).into_owned();
    let mut parts: Vec<&str> = Vec::new();
    for part in decoded.split('/').skip(1) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let trailing = decoded.ends_with('/') || decoded.ends_with("/.") || decoded.ends_with("/..");
    let mut uri = format!("/{}", parts.join("/"));
    if trailing && uri != "/" {
        uri.push('/');
    }
    Some(uri)
}

/// The location for `uri`: an exact match, else the longest prefix.
fn find_location<'s>(server: &'s VirtualServer, uri: &str) -> Option<&'s Location> {
    if let Some(exact) = server.locations.iter().find(|l| l.kind == Match::Exact && l.path == uri) {
        return Some(exact);
    }
    server
        .locations
        .iter()
        .filter(|l| matches!(l.kind, Match::Prefix | Match::PrefixNoRegex) && uri.starts_with(&l.path))
        .max_by_key(|l| l.path.len())
}

fn handle(
    world: &mut World,
    id: &ContainerId,
    running: &Running,
    server: &VirtualServer,
    uri: &str,
    req: &Request,
    depth: usize,
) -> Outcome {
    if depth > MAX_NESTING {
        return Outcome::Status(500);
    }
    if let Some((code, arg)) = &server.ret {
        return returned(*code, arg.as_deref(), req);
    }
    let location = find_location(server, uri);
    let scope = location.map(|l| l.scope.under(&server.scope)).unwrap_or_else(|| server.scope.clone()).under(&running.config.http_scope);
    if let Some(loc) = location {
        if let Some((code, arg)) = &loc.ret {
            return returned(*code, arg.as_deref(), req);
        }
        if let Some(target) = &loc.proxy_pass {
            return proxy(world, id, target, uri, req, depth);
        }
    }
    let file_path = |u: &str| -> String {
        match location.and_then(|l| l.alias.as_ref().map(|a| (l, a))) {
            Some((l, alias)) => format!("{alias}{}", u.strip_prefix(l.path.as_str()).unwrap_or(u)),
            None => format!("{}{u}", absolute(scope.root.as_deref().unwrap_or("html")).trim_end_matches('/')),
        }
    };
    let ctx = Ctx { ns: Ns::Container(id.clone()), cred: running.worker.clone(), cwd: "/".into(), umask: 0o022 };
    if let Some(files) = location.and_then(|l| l.try_files.as_ref()) {
        let (fallback, tries) = files.split_last().unwrap_or((&files[0], &[]));
        for t in tries {
            let candidate = t.replace("$uri", uri);
            let path = file_path(&candidate);
            let found = world.stat(&ctx, &path, true).map(|s| (s.ftype == FileType::Dir) == candidate.ends_with('/')).unwrap_or(false);
            if found {
                return if candidate.ends_with('/') {
                    index(world, id, running, server, &scope, &path, &candidate, req, depth)
                } else {
                    static_file(world, id, running, server, &path, uri, req)
                };
            }
        }
        if let Some(code) = fallback.strip_prefix('=').and_then(|c| c.parse().ok()) {
            return Outcome::Status(code);
        }
        return handle(world, id, running, server, &fallback.replace("$uri", uri), req, depth + 1);
    }
    if !matches!(req.method.as_str(), "GET" | "HEAD") {
        return Outcome::Status(405);
    }
    let path = file_path(uri);
    if uri.ends_with('/') {
        return index(world, id, running, server, &scope, &path, uri, req, depth);
    }
    static_file(world, id, running, server, &path, uri, req)
}

/// `return CODE [TEXT|URL]`.
fn returned(code: u16, arg: Option<&str>, req: &Request) -> Outcome {
    let arg = arg.map(|a| {
        a.replace("$host", req.host.split(':').next().unwrap_or(""))
            .replace("$request_uri", &req.target)
            .replace("$uri", req.target.split('?').next().unwrap_or("/"))
    });
    match (code, arg) {
        (301 | 302 | 303 | 307 | 308, Some(url)) => Outcome::Redirect(code, url),
        (_, Some(text)) => Outcome::Text(code, text),
        (_, None) => Outcome::Status(code),
    }
}

#[allow(clippy::too_many_arguments)]
fn index(
    world: &mut World,
    id: &ContainerId,
    running: &Running,
    server: &VirtualServer,
    scope: &Scope,
    dir: &str,
    uri: &str,
    req: &Request,
    depth: usize,
) -> Outcome {
    let ctx = Ctx { ns: Ns::Container(id.clone()), cred: running.worker.clone(), cwd: "/".into(), umask: 0o022 };
    let names = scope.index.clone().unwrap_or_else(|| vec!["index.html".into()]);
    for name in &names {
        let path = format!("{dir}{name}");
        match world.resolve(&ctx, &path, true) {
            Ok(_) => return handle(world, id, running, server, &format!("{uri}{name}"), req, depth + 1),
            Err(Errno::NoEnt) => continue,
            Err(e) => {
                request_error(world, id, running, Some(server), req, ERROR, &format!("\"{path}\" is forbidden ({}: {e})", errno_number(e)));
                return Outcome::Status(403);
            }
        }
    }
    match world.stat(&ctx, dir, true) {
        Ok(st) if st.ftype == FileType::Dir => {
            request_error(world, id, running, Some(server), req, ERROR, &format!("directory index of \"{dir}\" is forbidden"));
            Outcome::Status(403)
        }
        _ => {
            let first = names.first().cloned().unwrap_or_default();
            request_error(
                world,
                id,
                running,
                Some(server),
                req,
                ERROR,
                &format!("\"{dir}{first}\" is not found (2: No such file or directory)"),
            );
            Outcome::Status(404)
        }
    }
}

fn static_file(
    world: &mut World,
    id: &ContainerId,
    running: &Running,
    server: &VirtualServer,
    path: &str,
    uri: &str,
    req: &Request,
) -> Outcome {
    let ctx = &Ctx { ns: Ns::Container(id.clone()), cred: running.worker.clone(), cwd: "/".into(), umask: 0o022 };
    let failed = |world: &mut World, e: Errno| {
        request_error(world, id, running, Some(server), req, ERROR, &format!("open() \"{path}\" failed ({}: {e})", errno_number(e)));
        Outcome::Status(if e == Errno::Access { 403 } else { 404 })
    };
    let loc = match world.resolve(ctx, path, true) {
        Ok(l) => l,
        Err(e) => return failed(world, e),
    };
    let st = world.stat_loc(&ctx.ns, &loc);
    if st.ftype == FileType::Dir {
        let host = req.host.split(':').next().unwrap_or("localhost");
        return Outcome::Redirect(301, format!("http://{host}{uri}/"));
    }
    match world.read_loc(ctx, &loc) {
        Ok(data) => Outcome::File { path: path.to_string(), data: data.to_vec(), mtime: st.mtime },
        Err(e) => failed(world, e),
    }
}

/// `proxy_pass` to a server reachable from the container (its own namespace).
fn proxy(world: &mut World, id: &ContainerId, target: &str, uri: &str, req: &Request, depth: usize) -> Outcome {
    let rest = target.split_once("://").map(|(_, r)| r).unwrap_or(target);
    let (authority, base) = match rest.find('/').and_then(|i| rest.split_at_checked(i)) {
        Some((authority, base)) => (authority, Some(base)),
        None => (rest, None),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().unwrap_or(80)),
        None => (authority, 80),
    };
    let ip = if host == "localhost" { "127.0.0.1" } else { host.trim_start_matches('[').trim_end_matches(']') };
    let conn = match net::connect(world, &Ns::Container(id.clone()), ip, port) {
        Ok(c) if depth < MAX_NESTING => c,
        _ => {
            let msg = format!("connect() failed (111: Connection refused) while connecting to upstream, client: {}, server: , request: \"{} {} HTTP/1.1\", upstream: \"http://{ip}:{port}{uri}\", host: \"{}\"", req.client, req.method, req.target, req.host);
            if let Some(running) = running_nginx(world, id) {
                let log = running.config.error_log.clone();
                append_logs(
                    world,
                    id,
                    &running,
                    &log,
                    &[(ERROR, running.worker_pids.first().copied().unwrap_or(1), format!("*{} {msg}", running.connections))],
                );
            }
            return Outcome::Status(502);
        }
    };
    let target = match base {
        Some(b) => format!("{}{}", b.trim_end_matches('/'), req.target),
        None => req.target.clone(),
    };
    let forwarded = Request { target, host: authority.to_string(), client: "127.0.0.1".into(), ..req.clone() };
    Outcome::Proxied(net::exchange(world, &conn, &forwarded))
}

/// An `[error]` entry about a request, with nginx's request context.
fn request_error(
    world: &mut World,
    id: &ContainerId,
    running: &Running,
    server: Option<&VirtualServer>,
    req: &Request,
    level: u8,
    msg: &str,
) {
    let server_name = server.and_then(|s| s.names.first()).cloned().unwrap_or_default();
    let worker = running.worker_pids.first().copied().unwrap_or(running.master_pid);
    let line = format!(
        "*{} {msg}, client: {}, server: {server_name}, request: \"{} {} HTTP/1.1\", host: \"{}\"",
        running.connections, req.client, req.method, req.target, req.host
    );
    let log = running.config.error_log.clone();
    append_logs(world, id, running, &log, &[(level, worker, line)]);
}

/// Builds the response (error pages included) and writes the access log line.
fn finish(
    world: &mut World,
    id: &ContainerId,
    running: &Running,
    server: Option<&VirtualServer>,
    req: &Request,
    outcome: Outcome,
) -> Response {
    let now = world.clock.secs();
    let config = &running.config;
    let mut headers: Vec<(String, String)> = vec![("Server".into(), format!("nginx/{VERSION}")), ("Date".into(), http_date(now))];
    let scope = server.map(|s| s.scope.under(&config.http_scope)).unwrap_or_else(|| config.http_scope.clone());
    let (status, body) = match outcome {
        Outcome::File { path, data, mtime } => {
            let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
            let mime = config.types.get(&ext).cloned().or_else(|| scope.default_type.clone()).unwrap_or_else(|| "text/plain".into());
            headers.push(("Content-Type".into(), mime));
            headers.push(("Content-Length".into(), data.len().to_string()));
            headers.push(("Last-Modified".into(), http_date(mtime)));
            headers.push(("Connection".into(), "keep-alive".into()));
            headers.push(("ETag".into(), format!("\"{:x}-{:x}\"", mtime, data.len())));
            headers.push(("Accept-Ranges".into(), "bytes".into()));
            (200, data)
        }
        Outcome::Proxied(resp) => {
            headers.extend(resp.headers.iter().filter(|(k, _)| k != "Server" && k != "Date").cloned());
            (resp.status, resp.body)
        }
        Outcome::Text(code, text) => {
            let mime = scope.default_type.clone().unwrap_or_else(|| "text/plain".into());
            headers.push(("Content-Type".into(), mime));
            headers.push(("Content-Length".into(), text.len().to_string()));
            headers.push(("Connection".into(), "keep-alive".into()));
            (code, text.into_bytes())
        }
        Outcome::Redirect(code, url) => {
            let body = error_page(code);
            headers.push(("Content-Type".into(), "text/html".into()));
            headers.push(("Content-Length".into(), body.len().to_string()));
            headers.push(("Location".into(), url));
            headers.push(("Connection".into(), "keep-alive".into()));
            (code, body)
        }
        Outcome::Status(code) => {
            let page = server.and_then(|s| custom_error_page(world, id, running, s, &scope, code, req));
            let body = page.unwrap_or_else(|| error_page(code));
            headers.push(("Content-Type".into(), "text/html".into()));
            headers.push(("Content-Length".into(), body.len().to_string()));
            headers.push(("Connection".into(), if code == 400 { "close".into() } else { "keep-alive".into() }));
            (code, body)
        }
    };
    let sent = if req.method == "HEAD" { 0 } else { body.len() };
    access_log(world, id, running, &scope, req, status, sent);
    Response { status, headers, body: if req.method == "HEAD" { Vec::new() } else { body } }
}

/// `error_page CODE URI`: the page's content, served with the original status.
fn custom_error_page(
    world: &mut World,
    id: &ContainerId,
    running: &Running,
    server: &VirtualServer,
    scope: &Scope,
    code: u16,
    req: &Request,
) -> Option<Vec<u8>> {
    let uri = scope.error_pages.iter().find(|(c, _)| *c == code).map(|(_, u)| u.clone())?;
    let get = Request { method: "GET".into(), target: uri.clone(), ..req.clone() };
    match handle(world, id, running, server, &uri, &get, 1) {
        Outcome::File { data, .. } => Some(data),
        _ => None,
    }
}

/// Appends the access log line in the scope's format (`combined` unless named).
fn access_log(world: &mut World, id: &ContainerId, running: &Running, scope: &Scope, req: &Request, status: u16, sent: usize) {
    let logs = scope.access_log.clone().unwrap_or_else(|| vec![(DEFAULT_ACCESS_LOG.into(), "combined".into())]);
    let t = tm(world.clock.secs());
    let time_local = format!("{:02}/{}/{}:{:02}:{:02}:{:02} +0000", t.day, MONTHS[t.month as usize - 1], t.year, t.hour, t.min, t.sec);
    for (path, format) in logs {
        if path == "off" {
            continue;
        }
        let template = running.config.formats.get(&format).cloned().unwrap_or_else(|| COMBINED.into());
        let line = render_log(
            &template,
            &[
                ("remote_addr", req.client.clone()),
                ("remote_user", "-".into()),
                ("time_local", time_local.clone()),
                ("request", format!("{} {} HTTP/1.1", req.method, req.target)),
                ("status", status.to_string()),
                ("body_bytes_sent", sent.to_string()),
                ("bytes_sent", sent.to_string()),
                ("http_referer", "-".into()),
                ("http_user_agent", req.user_agent.clone()),
                ("http_x_forwarded_for", "-".into()),
                ("request_method", req.method.clone()),
                ("request_uri", req.target.clone()),
                ("uri", req.target.split('?').next().unwrap_or("/").to_string()),
                ("host", req.host.split(':').next().unwrap_or("").to_string()),
                ("http_host", req.host.clone()),
            ],
        );
        write_server_log(world, id, running, &absolute(&path), &line);
    }
}

/// Substitutes `$name` and `${name}` variables (unknown ones become `-`).
fn render_log(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::new();
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '$' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let braced = chars.get(i + 1) == Some(&'{');
        let start = if braced { i + 2 } else { i + 1 };
        let mut end = start;
        while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '_') {
            end += 1;
        }
        let name: String = chars[start..end].iter().collect();
        out.push_str(vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str()).unwrap_or("-"));
        i = if braced && chars.get(end) == Some(&'}') { end + 1 } else { end };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Directive>, String> {
        let world = World::canonical(1);
        let ctx = crate::daemon::container::host_root_ctx();
        let mut loader = Loader { world: &world, ctx: &ctx, files: Vec::new() };
        let mut out = Vec::new();
        loader.block(&mut Lexer::new(text), CONF_PATH, MAIN, false, 0, &mut out)?;
        Ok(out)
    }

    #[test]
    fn directives_outside_their_context_are_refused() {
        let e = parse("server { listen 80; location / { root /usr/share/nginx/html; index index.html; } }\n").unwrap_err();
        assert_eq!(e, "\"server\" directive is not allowed here in /etc/nginx/nginx.conf:1");
        assert_eq!(parse("foo bar;\n").unwrap_err(), "unknown directive \"foo\" in /etc/nginx/nginx.conf:1");
        assert_eq!(parse("events {}\n}\n").unwrap_err(), "unexpected \"}\" in /etc/nginx/nginx.conf:2");
        assert_eq!(parse("http {\n").unwrap_err(), "unexpected end of file, expecting \"}\" in /etc/nginx/nginx.conf:2");
        assert_eq!(
            parse("http { server { listen 80 { } } }").unwrap_err(),
            "directive \"listen\" is not terminated by \";\" in /etc/nginx/nginx.conf:1"
        );
        assert_eq!(parse("pid;").unwrap_err(), "invalid number of arguments in \"pid\" directive in /etc/nginx/nginx.conf:1");
    }

    #[test]
    fn a_configuration_needs_events() {
        let d = parse("http { server { listen 8080; } }").expect("parses");
        assert_eq!(build(&d).unwrap_err(), "no \"events\" section in configuration");
        let config = build(&parse("events {} http { server { listen [::]:81; } }").expect("parses")).expect("builds");
        assert_eq!((config.servers[0].listens[0].addr.as_str(), config.servers[0].listens[0].port), ("::", 81));
    }

    #[test]
    fn uris_are_normalized() {
        assert_eq!(normalize_uri("/a/./b/../c%20d").as_deref(), Some("/a/c d"));
        assert_eq!(normalize_uri("/../x"), None);
        assert_eq!(normalize_uri("/dir/").as_deref(), Some("/dir/"));
    }
}
