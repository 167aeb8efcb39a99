//! The loaded configuration: servers, locations and logs built from the parsed directives, and
//! the running nginx that holds them.

use std::collections::BTreeMap;

use crate::world::{ContainerId, Cred, World};

use super::grammar::{absolute, Directive};
use super::{COMBINED, CPUS, DEFAULT_ERROR_LOG, DEFAULT_PID, DEFAULT_USER};

/// Settings a `location` inherits from its `server`, and a `server` from `http`.
#[derive(Clone, Debug, Default)]
pub(super) struct Scope {
    pub(super) root: Option<String>,
    pub(super) index: Option<Vec<String>>,
    pub(super) default_type: Option<String>,
    /// (path or `off`, format name).
    pub(super) access_log: Option<Vec<(String, String)>>,
    pub(super) error_pages: Vec<(u16, String)>,
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
    pub(super) fn under(&self, outer: &Scope) -> Scope {
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
pub(super) enum Match {
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
pub(super) struct Location {
    pub(super) kind: Match,
    pub(super) path: String,
    pub(super) scope: Scope,
    pub(super) alias: Option<String>,
    pub(super) try_files: Option<Vec<String>>,
    pub(super) ret: Option<(u16, Option<String>)>,
    pub(super) proxy_pass: Option<String>,
}

#[derive(Clone, Debug)]
pub(super) struct Listen {
    pub(super) addr: String,
    pub(super) port: u16,
    pub(super) default_server: bool,
}

#[derive(Clone, Debug)]
pub(super) struct VirtualServer {
    pub(super) listens: Vec<Listen>,
    pub(super) names: Vec<String>,
    pub(super) scope: Scope,
    pub(super) ret: Option<(u16, Option<String>)>,
    pub(super) locations: Vec<Location>,
}

/// A log destination and the lowest level it records.
#[derive(Clone, Debug)]
pub(super) struct ErrorLog {
    pub(super) path: String,
    pub(super) level: u8,
}

pub(super) const LEVELS: [&str; 8] = ["emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"];
pub(super) const NOTICE: u8 = 5;
pub(super) const ERROR: u8 = 3;

/// What `nginx` loaded from its configuration.
#[derive(Clone, Debug)]
pub(super) struct Config {
    pub(super) user: String,
    pub(super) workers: u32,
    pub(super) daemon: bool,
    pub(super) pid: String,
    pub(super) error_log: ErrorLog,
    pub(super) servers: Vec<VirtualServer>,
    pub(super) formats: BTreeMap<String, String>,
    pub(super) types: BTreeMap<String, String>,
    pub(super) http_scope: Scope,
}

/// A running nginx: its configuration and processes.
#[derive(Clone, Debug)]
pub struct Running {
    pub(super) config: Config,
    pub(super) master_pid: u32,
    pub(super) worker_pids: Vec<u32>,
    /// The worker processes' credentials (they read the files they serve).
    pub(super) worker: Cred,
    /// The master is the container's main process (`docker stop` signals it).
    pub(super) main_process: bool,
    /// Connections accepted so far (error log lines name theirs: `*3`).
    pub(super) connections: u32,
}

/// The nginx container `id` runs, if it runs one.
pub(super) fn running_nginx(world: &World, id: &ContainerId) -> Option<Box<Running>> {
    let server = world.container(id)?.server.as_ref()?;
    server.as_any().downcast_ref::<Running>().map(|r| Box::new(r.clone()))
}

/// Builds the configuration from the parsed directives (the handlers' checks).
pub(super) fn build(main: &[Directive]) -> Result<Config, String> {
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
