//! Serving a request: the virtual server and location, static files, `index`, `try_files`,
//! `return`, `proxy_pass`, error pages and the access log.

use crate::clock::{tm, MONTHS};
use crate::fs::{Errno, FileType};
use crate::services::net::{self, http_date, reason, Request, Response, RunningServer};
use crate::vfs::{Ctx, Ns};
use crate::world::{ContainerId, World};

use super::config::{running_nginx, Location, Match, Running, Scope, VirtualServer, ERROR};
use super::grammar::absolute;
use super::logs::{append_logs, write_server_log};
use super::{COMBINED, DEFAULT_ACCESS_LOG, MAX_NESTING, VERSION};

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
pub(super) fn normalize_uri(path: &str) -> Option<String> {
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
                request_error(world, id, running, Some(server), req, ERROR, &format!("\"{path}\" is forbidden ({}: {e})", e.number()));
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
        request_error(world, id, running, Some(server), req, ERROR, &format!("open() \"{path}\" failed ({}: {e})", e.number()));
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
    let now = world.clock().secs();
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
    let t = tm(world.clock().secs());
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

/// A running nginx answers the requests that reach its container's ports.
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
