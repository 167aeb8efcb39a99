//! TCP and HTTP between the host and containers: name resolution, published ports, the server
//! a container runs, and the two HTTP clients (curl, busybox `wget`).
//!
//! The host reaches a container through a published port (Docker's proxy connects to the
//! container's address, so the client is the bridge gateway `172.17.0.1`); inside a container
//! `localhost` reaches the servers of its own network namespace (shared with `--network
//! container:NAME`).

use crate::clock::{tm, MONTHS};
use crate::fs::Data;
use crate::shell::{Io, Shell};
use crate::vfs::{Ns, WriteMode};
use crate::world::{Container, ContainerId, Status, World};

/// The address Docker's proxy connects from.
const BRIDGE_GATEWAY: &str = "172.17.0.1";
pub const CURL_VERSION: &str = "7.88.1";

pub use crate::world::RunningServer;

pub use crate::http::{Request, Response};

/// The reason phrase nginx sends with a status.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Not Allowed",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        _ => "",
    }
}

/// `Mon, 30 Nov 2026 04:02:00 GMT` (HTTP dates).
pub fn http_date(secs: i64) -> String {
    let t = tm(secs);
    let weekday = crate::clock::DAYS[t.weekday];
    format!("{weekday}, {:02} {} {} {:02}:{:02}:{:02} GMT", t.day, MONTHS[t.month as usize - 1], t.year, t.hour, t.min, t.sec)
}

/// Why a connection failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectError {
    /// The name does not resolve.
    Resolve,
    /// Nothing listens there.
    Refused,
    /// Docker's proxy accepted, but nothing listens in the container.
    Reset,
}

/// An established connection to a container's server.
pub struct Connection {
    pub container: ContainerId,
    pub port: u16,
    /// The address the client connected to (`127.0.0.1`).
    pub ip: String,
    /// The client address the server sees.
    pub client: String,
}

/// The addresses a name resolves to, in the order clients try them.
pub fn resolve(world: &World, from: &Ns, host: &str) -> Option<Vec<String>> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.parse::<std::net::IpAddr>().is_ok() {
        // Linux connects to the local host for the unspecified address.
        return Some(vec![if host == "0.0.0.0" { "127.0.0.1".into() } else { host.to_string() }]);
    }
    let host = host.to_ascii_lowercase();
    let own_name = match from {
        Ns::Host => host == "vm",
        Ns::Container(id) => world.container(id).is_some_and(|c| c.hostname == host),
    };
    (host == "localhost" || host == "ip6-localhost" || own_name).then(|| vec!["127.0.0.1".into(), "::1".into()])
}

fn is_loopback(ip: &str) -> bool {
    ip.starts_with("127.") || ip == "::1"
}

/// The container whose network namespace `c` uses (`--network container:NAME`).
fn netns_owner(world: &World, c: &Container) -> ContainerId {
    let mode = &c.host.network_mode;
    mode.strip_prefix("container:").and_then(|other| world.find_container(other)).unwrap_or_else(|| c.id.clone())
}

/// Connects from namespace `from` to `ip:port`.
pub fn connect(world: &World, from: &Ns, ip: &str, port: u16) -> Result<Connection, ConnectError> {
    if !is_loopback(ip) {
        return Err(ConnectError::Refused);
    }
    match from {
        Ns::Host => {
            let family_matches = |bound: &str| match bound {
                "0.0.0.0" => !ip.contains(':'),
                "::" => ip.contains(':'),
                other => other == ip,
            };
            let (c, bound) = world
                .containers()
                .iter()
                .filter(|c| c.status == Status::Running)
                .find_map(|c| {
                    c.ports.iter().find(|p| p.host_port == port && p.proto == "tcp" && family_matches(&p.host_ip)).map(|p| (c, p))
                })
                .ok_or(ConnectError::Refused)?;
            // The proxy connects to the container's bridge address, not its loopback.
            let server_ip = "172.17.0.2";
            match &c.server {
                Some(s) if s.accepts(bound.container_port, server_ip) => Ok(Connection {
                    container: c.id.clone(),
                    port: bound.container_port,
                    ip: ip.to_string(),
                    client: BRIDGE_GATEWAY.into(),
                }),
                _ => Err(ConnectError::Reset),
            }
        }
        Ns::Container(from) => {
            let from = world.container(from).ok_or(ConnectError::Refused)?;
            let netns = netns_owner(world, from);
            world
                .containers()
                .iter()
                .filter(|c| c.status == Status::Running && netns_owner(world, c) == netns)
                .find(|c| c.server.as_ref().is_some_and(|s| s.accepts(port, ip)))
                .map(|c| Connection { container: c.id.clone(), port, ip: ip.to_string(), client: ip.to_string() })
                .ok_or(ConnectError::Refused)
        }
    }
}

/// Sends a request over an established connection.
pub fn exchange(world: &mut World, conn: &Connection, req: &Request) -> Response {
    match world.container(&conn.container).and_then(|c| c.server.clone()) {
        Some(server) => server.serve(world, &conn.container, conn.port, req),
        None => Response { status: 502, headers: Vec::new(), body: Vec::new() },
    }
}

/// The parts of an `http://host:port/path` URL.
struct Url {
    scheme: String,
    host: String,
    port: u16,
    target: String,
}

impl Url {
    fn parse(raw: &str) -> Result<Url, String> {
        let (scheme, rest) = match raw.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => ("http".to_string(), raw),
        };
        let (authority, path) = match rest.find(['/', '?']).and_then(|i| rest.split_at_checked(i)) {
            Some((authority, path)) => (authority, path.to_string()),
            None => (rest, "/".to_string()),
        };
        let target = if path.starts_with('?') { format!("/{path}") } else { path };
        let default_port = if scheme == "https" { 443 } else { 80 };
        let (host, port) = if let Some(r) = authority.strip_prefix('[') {
            match r.split_once(']') {
                Some((h, p)) => (format!("[{h}]"), p.strip_prefix(':').unwrap_or("")),
                None => return Err(authority.to_string()),
            }
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), p),
                None => (authority.to_string(), ""),
            }
        };
        let port = if port.is_empty() { default_port } else { port.parse().map_err(|_| authority.to_string())? };
        Ok(Url { scheme, host, port, target })
    }

    fn host_header(&self) -> String {
        if self.port == 80 {
            self.host.clone()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// What opening a connection came to.
enum Fetched {
    Connected(Connection),
    Failed(ConnectError, Vec<String>),
}

/// Resolves and connects, trying each address in turn.
fn open(world: &World, from: &Ns, url: &Url) -> Fetched {
    let Some(ips) = resolve(world, from, &url.host) else { return Fetched::Failed(ConnectError::Resolve, Vec::new()) };
    let mut tried = Vec::new();
    for ip in ips {
        match connect(world, from, &ip, url.port) {
            Ok(conn) => return Fetched::Connected(conn),
            Err(ConnectError::Reset) => return Fetched::Failed(ConnectError::Reset, vec![ip]),
            Err(_) => tried.push(ip),
        }
    }
    Fetched::Failed(ConnectError::Refused, tried)
}

/// The status line and headers as a server sends them (CRLF line ends).
fn head_lines(resp: &Response) -> Vec<String> {
    let mut lines = vec![format!("HTTP/1.1 {} {}", resp.status, reason(resp.status))];
    lines.extend(resp.headers.iter().map(|(k, v)| format!("{k}: {v}")));
    lines
}

fn curl_usage_hint(io: &mut Io) {
    io.err_line("curl: try 'curl --help' or 'curl --manual' for more information");
}

/// curl 7.88.1 (Debian bookworm), on the host and in the nginx image.
pub fn curl(world: &mut World, sh: &Shell, argv: &[String], io: &mut Io) -> i32 {
    let mut silent = false;
    let mut show_error = false;
    let mut include = false;
    let mut head = false;
    let mut fail = false;
    let mut verbose = false;
    let mut follow = false;
    let mut output: Option<String> = None;
    let mut method: Option<String> = None;
    let mut user_agent = format!("curl/{CURL_VERSION}");
    let mut write_out: Option<String> = None;
    let mut host_header: Option<String> = None;
    let mut urls: Vec<String> = Vec::new();
    let mut args = argv[1..].iter();
    while let Some(a) = args.next() {
        let long = match a.as_str() {
            "--silent" => "s",
            "--show-error" => "S",
            "--include" => "i",
            "--head" => "I",
            "--fail" => "f",
            "--verbose" => "v",
            "--location" => "L",
            "--insecure" => "k",
            "--output" => "o",
            "--request" => "X",
            "--user-agent" => "A",
            "--write-out" => "w",
            "--header" => "H",
            "--max-time" | "--connect-timeout" | "--retry" => "m",
            "--url" => "url",
            _ if a.starts_with("--") => {
                io.err_line(&format!("curl: option {a}: is unknown"));
                curl_usage_hint(io);
                return 2;
            }
            _ => "",
        };
        let shorts: Vec<char> = if !long.is_empty() {
            vec![]
        } else if let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) {
            cluster.chars().collect()
        } else {
            urls.push(a.clone());
            continue;
        };
        let flags: Vec<String> = if long.is_empty() { shorts.iter().map(|c| c.to_string()).collect() } else { vec![long.to_string()] };
        for (k, flag) in flags.iter().enumerate() {
            let needs_value = matches!(flag.as_str(), "o" | "X" | "A" | "w" | "H" | "m" | "url");
            if needs_value {
                // A value may follow in the same word (`-ofile`) or be the next argument.
                let inline: String = if long.is_empty() { shorts[k + 1..].iter().collect() } else { String::new() };
                let value = if !inline.is_empty() {
                    inline
                } else if let Some(v) = args.next() {
                    v.clone()
                } else {
                    io.err_line(&format!("curl: option {a}: requires parameter"));
                    curl_usage_hint(io);
                    return 2;
                };
                match flag.as_str() {
                    "o" => output = Some(value),
                    "X" => method = Some(value),
                    "A" => user_agent = value,
                    "w" => write_out = Some(value),
                    "H" => {
                        if let Some((k, v)) = value.split_once(':') {
                            if k.trim().eq_ignore_ascii_case("host") {
                                host_header = Some(v.trim().to_string());
                            }
                        }
                    }
                    "url" => urls.push(value),
                    _ => {}
                }
                break;
            }
            match flag.as_str() {
                "s" => silent = true,
                "S" => show_error = true,
                "i" => include = true,
                "I" => head = true,
                "f" => fail = true,
                "v" => verbose = true,
                "L" => follow = true,
                "k" => {}
                other => {
                    io.err_line(&format!("curl: option -{other}: is unknown"));
                    curl_usage_hint(io);
                    return 2;
                }
            }
        }
    }
    let Some(raw) = urls.first().cloned() else {
        io.err_line("curl: no URL specified!");
        curl_usage_hint(io);
        return 2;
    };
    let report = |io: &mut Io, code: i32, msg: &str| {
        if !silent || show_error {
            io.err_line(&format!("curl: ({code}) {msg}"));
        }
        code
    };
    let mut url = match Url::parse(&raw) {
        Ok(u) => u,
        Err(_) => return report(io, 3, "URL using bad/illegal format or missing URL"),
    };
    let method = method.unwrap_or_else(|| if head { "HEAD".into() } else { "GET".into() });
    let mut redirects = 0;
    loop {
        if url.scheme != "http" && url.scheme != "https" {
            return report(io, 1, &format!("Protocol \"{}\" not supported or disabled in libcurl", url.scheme));
        }
        let bare_host = url.host.trim_start_matches('[').trim_end_matches(']').to_string();
        let conn = match open(world, &sh.ctx.ns, &url) {
            Fetched::Connected(conn) => conn,
            Fetched::Failed(ConnectError::Resolve, _) => {
                if verbose {
                    io.err_line(&format!("* Could not resolve host: {bare_host}"));
                    io.err_line("* Closing connection 0");
                }
                return report(io, 6, &format!("Could not resolve host: {bare_host}"));
            }
            Fetched::Failed(ConnectError::Reset, ips) => {
                if verbose {
                    let ip = ips.first().cloned().unwrap_or_default();
                    io.err_line(&format!("*   Trying {}...", bracket(&ip, url.port)));
                    io.err_line(&format!("* Connected to {bare_host} ({ip}) port {} (#0)", url.port));
                    verbose_request(io, &method, &url, host_header.as_deref(), &user_agent);
                    io.err_line("* Recv failure: Connection reset by peer");
                    io.err_line("* Closing connection 0");
                }
                return report(io, 56, "Recv failure: Connection reset by peer");
            }
            Fetched::Failed(_, ips) => {
                if verbose {
                    for ip in &ips {
                        io.err_line(&format!("*   Trying {}...", bracket(ip, url.port)));
                        io.err_line(&format!("* connect to {ip} port {} failed: Connection refused", url.port));
                    }
                    io.err_line(&format!("* Failed to connect to {bare_host} port {} after 0 ms: Couldn't connect to server", url.port));
                    io.err_line("* Closing connection 0");
                }
                return report(
                    io,
                    7,
                    &format!("Failed to connect to {bare_host} port {} after 0 ms: Couldn't connect to server", url.port),
                );
            }
        };
        if verbose {
            io.err_line(&format!("*   Trying {}...", bracket(&conn.ip, url.port)));
            io.err_line(&format!("* Connected to {bare_host} ({}) port {} (#0)", conn.ip, url.port));
        }
        if url.scheme == "https" {
            // A plain-HTTP server answers the TLS handshake with an HTTP error.
            return report(io, 35, "error:0A00010B:SSL routines::wrong version number");
        }
        if verbose {
            verbose_request(io, &method, &url, host_header.as_deref(), &user_agent);
        }
        let req = Request {
            method: method.clone(),
            target: url.target.clone(),
            host: host_header.clone().unwrap_or_else(|| url.host_header()),
            user_agent: user_agent.clone(),
            client: conn.client.clone(),
        };
        let resp = exchange(world, &conn, &req);
        let head_text: String = head_lines(&resp).iter().map(|l| format!("{l}\r\n")).collect::<String>() + "\r\n";
        if verbose {
            for l in head_lines(&resp) {
                io.err.extend_from_slice(format!("< {l}\r\n").as_bytes());
            }
            io.err.extend_from_slice(b"< \r\n");
        }
        if follow && matches!(resp.status, 301 | 302 | 303 | 307 | 308) && redirects < 50 {
            if let Some(next) = resp.header("Location").and_then(|l| Url::parse(l).ok()) {
                if include || head {
                    io.out.extend_from_slice(head_text.as_bytes());
                }
                url = next;
                redirects += 1;
                continue;
            }
        }
        if fail && resp.status >= 400 {
            if verbose {
                io.err_line(&format!("* The requested URL returned error: {}", resp.status));
                io.err_line("* Closing connection 0");
            }
            return report(io, 22, &format!("The requested URL returned error: {}", resp.status));
        }
        let mut out = Vec::new();
        if include || head {
            out.extend_from_slice(head_text.as_bytes());
        }
        if method != "HEAD" {
            out.extend_from_slice(&resp.body);
        }
        match &output {
            Some(file) if file == "/dev/null" => {}
            Some(file) if file != "-" => {
                if let Err(e) = world.write_file(&sh.ctx, file, &Data::from_bytes(&out), WriteMode::Truncate) {
                    if !silent || show_error {
                        io.err_line(&format!("Warning: Failed to open the file {file}: {e}"));
                    }
                    return report(io, 23, "Failure writing output to destination");
                }
            }
            _ => io.out.extend_from_slice(&out),
        }
        if verbose {
            io.err_line(&format!("* Connection #0 to host {bare_host} left intact"));
        }
        if let Some(w) = &write_out {
            let text = w
                .replace("%{http_code}", &format!("{:03}", resp.status))
                .replace("%{response_code}", &format!("{:03}", resp.status))
                .replace("\\n", "\n");
            io.out_str(&text);
        }
        return 0;
    }
}

fn bracket(ip: &str, port: u16) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

fn verbose_request(io: &mut Io, method: &str, url: &Url, host: Option<&str>, user_agent: &str) {
    let host = host.map(str::to_string).unwrap_or_else(|| url.host_header());
    for l in
        [format!("{method} {} HTTP/1.1", url.target), format!("Host: {host}"), format!("User-Agent: {user_agent}"), "Accept: */*".into()]
    {
        io.err.extend_from_slice(format!("> {l}\r\n").as_bytes());
    }
    io.err.extend_from_slice(b"> \r\n");
}

/// Busybox `wget` (Alpine's 1.36): `-q`, `-O FILE` (`-` for stdout), `-S`, `--spider`.
pub fn wget(world: &mut World, sh: &Shell, argv: &[String], io: &mut Io) -> i32 {
    let mut quiet = false;
    let mut output: Option<String> = None;
    let mut spider = false;
    let mut server_response = false;
    let mut user_agent = "Wget".to_string();
    let mut urls = Vec::new();
    let mut args = argv[1..].iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--spider" => spider = true,
            "-q" | "--quiet" => quiet = true,
            "-S" | "--server-response" => server_response = true,
            "-O" | "--output-document" | "-U" | "--user-agent" | "-T" => {
                let Some(v) = args.next() else {
                    io.err_line(&format!("wget: option requires an argument -- '{}'", a.trim_start_matches('-')));
                    return 1;
                };
                match a.as_str() {
                    "-O" | "--output-document" => output = Some(v.clone()),
                    "-U" | "--user-agent" => user_agent = v.clone(),
                    _ => {}
                }
            }
            s if s.starts_with('-') && s.len() > 1 => {
                // Bundled short options: -qO- or -qO file.
                let chars: Vec<char> = s.chars().skip(1).collect();
                for (k, c) in chars.iter().enumerate() {
                    match c {
                        'q' => quiet = true,
                        'S' => server_response = true,
                        'O' => {
                            let rest: String = chars[k + 1..].iter().collect();
                            output = if rest.is_empty() { args.next().cloned() } else { Some(rest) };
                            break;
                        }
                        _ => {
                            io.err_line(&format!("wget: unrecognized option: {c}"));
                            io.err_line("BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.");
                            return 1;
                        }
                    }
                }
            }
            _ => urls.push(a.clone()),
        }
    }
    let Some(raw) = urls.first() else {
        io.err_line("BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.");
        io.err_line("");
        io.err_line("Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...");
        return 1;
    };
    let url = match Url::parse(raw) {
        Ok(u) if u.scheme == "http" => u,
        _ => {
            io.err_line(&format!("wget: not an http or ftp url: {raw}"));
            return 1;
        }
    };
    let bare_host = url.host.trim_start_matches('[').trim_end_matches(']').to_string();
    let conn = match open(world, &sh.ctx.ns, &url) {
        Fetched::Connected(conn) => conn,
        Fetched::Failed(ConnectError::Resolve, _) => {
            io.err_line(&format!("wget: bad address '{bare_host}'"));
            return 1;
        }
        Fetched::Failed(e, ips) => {
            let ip = ips.first().cloned().unwrap_or_default();
            if !quiet {
                io.err_line(&format!("Connecting to {} ({})", url.host_header_with_port(), bracket(&ip, url.port)));
            }
            if e == ConnectError::Reset {
                io.err_line("wget: error getting response: Connection reset by peer");
            } else {
                io.err_line(&format!("wget: can't connect to remote host ({ip}): Connection refused"));
            }
            return 1;
        }
    };
    if !quiet {
        io.err_line(&format!("Connecting to {} ({})", url.host_header_with_port(), bracket(&conn.ip, url.port)));
    }
    let req = Request {
        method: if spider { "HEAD".into() } else { "GET".into() },
        target: url.target.clone(),
        host: url.host_header(),
        user_agent,
        client: conn.client.clone(),
    };
    let resp = exchange(world, &conn, &req);
    if server_response {
        for l in head_lines(&resp) {
            io.err_line(&format!("  {l}"));
        }
    }
    if resp.status >= 400 {
        io.err_line(&format!("wget: server returned error: HTTP/1.1 {} {}", resp.status, reason(resp.status)));
        return 1;
    }
    if spider {
        if !quiet {
            io.err_line("remote file exists");
        }
        return 0;
    }
    let name = output.clone().unwrap_or_else(|| {
        let path = url.target.split('?').next().unwrap_or("/");
        match path.rsplit('/').next() {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => "index.html".into(),
        }
    });
    if name == "-" {
        if !quiet {
            io.err_line("writing to stdout");
        }
        io.out.extend_from_slice(&resp.body);
        if !quiet {
            io.err_line(&format!("-                    100% |********************************|   {:>3}  0:00:00 ETA", resp.body.len()));
            io.err_line("written to stdout");
        }
        return 0;
    }
    // Without -O, busybox refuses to overwrite a file.
    if output.is_none() && world.exists(&sh.ctx, &name) {
        io.err_line(&format!("wget: can't open '{name}': File exists"));
        return 1;
    }
    if !quiet {
        io.err_line(&format!("saving to '{name}'"));
    }
    if let Err(e) = world.write_file(&sh.ctx, &name, &Data::from_bytes(&resp.body), WriteMode::Truncate) {
        io.err_line(&format!("wget: can't open '{name}': {e}"));
        return 1;
    }
    if !quiet {
        io.err_line(&format!("{:<20} 100% |********************************|   {:>3}  0:00:00 ETA", truncate(&name, 20), resp.body.len()));
        io.err_line(&format!("'{name}' saved"));
    }
    0
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

impl Url {
    /// `host:port` as busybox prints it (the port always shown).
    fn host_header_with_port(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_default_scheme_port_and_path() {
        let u = Url::parse("localhost:8080").expect("valid");
        assert_eq!((u.scheme.as_str(), u.host.as_str(), u.port, u.target.as_str()), ("http", "localhost", 8080, "/"));
        let u = Url::parse("http://[::1]/a?b=1").expect("valid");
        assert_eq!((u.host.as_str(), u.port, u.target.as_str()), ("[::1]", 80, "/a?b=1"));
    }

    #[test]
    fn http_dates_name_the_weekday() {
        assert_eq!(http_date(crate::clock::epoch(2026, 11, 30, 4, 2, 0)), "Mon, 30 Nov 2026 04:02:00 GMT");
    }
}
