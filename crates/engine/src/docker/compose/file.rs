//! Reading the compose file: the project's services and top-level volumes, their
//! command strings, environments and volume entries, resolved against the project directory.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Project, Service, SvcVolume, TopVolume};
use crate::shell::Shell;
use crate::sorting::sort_by;
use crate::world::World;

/// Splits a command string like a shell would (quotes and backslashes).
pub(super) fn shell_split(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut has = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                has = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                has = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                cur.push(e);
                            }
                        }
                        d => cur.push(d),
                    }
                }
            }
            '\\' => {
                if let Some(e) = chars.next() {
                    cur.push(e);
                    has = true;
                }
            }
            c if c.is_whitespace() => {
                if has || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
            c => cur.push(c),
        }
    }
    if has || !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(shell_split(s)),
        Value::Array(a) => Some(a.iter().filter_map(as_string).collect()),
        _ => None,
    }
}

fn project_name_from_dir(dir: &str) -> String {
    let base = dir.rsplit('/').find(|s| !s.is_empty()).unwrap_or("default");
    base.to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// Why a compose file could not be read.
pub(super) enum LoadError {
    /// Compose refused it with its own status: 15 for interpolation, 14 for a missing env file.
    Refused(String, i32),
    Other(String),
}

impl From<String> for LoadError {
    fn from(m: String) -> LoadError {
        LoadError::Other(m)
    }
}

impl From<&str> for LoadError {
    fn from(m: &str) -> LoadError {
        LoadError::Other(m.to_string())
    }
}

/// `env_file: FILE` or a list of them, relative to the project: their variables in order, a
/// later file's value winning (oracle-107).
fn env_files(world: &World, sh: &Shell, dir: &str, spec: Option<&Value>) -> Result<Vec<(String, String)>, LoadError> {
    let files = match spec {
        Some(Value::String(f)) => vec![f.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(as_string).collect(),
        _ => Vec::new(),
    };
    let mut vars: Vec<(String, String)> = Vec::new();
    for f in files {
        let path = crate::fs::normalize(dir, &f);
        let Ok(data) = world.read(&sh.ctx, &path) else {
            return Err(LoadError::Refused(format!("env file {path} not found: stat {path}: no such file or directory"), 14));
        };
        for (k, v) in super::interpolate::dotenv(&String::from_utf8_lossy(&data.to_vec())) {
            vars.retain(|(name, _)| *name != k);
            vars.push((k, v));
        }
    }
    Ok(vars)
}

/// Reads the project from its file; `env_file` replaces the project's `.env` (`--env-file`).
pub(super) fn load(
    world: &World,
    sh: &Shell,
    files: &[String],
    project: Option<&str>,
    env_file: Option<&str>,
) -> Result<Project, LoadError> {
    let cwd = sh.ctx.cwd.clone();
    let candidates = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
    let file = if let Some(f) = files.first() {
        crate::fs::normalize(&cwd, f)
    } else {
        let mut dir = cwd.clone();
        loop {
            if let Some(c) =
                candidates.iter().map(|c| format!("{}/{c}", dir.trim_end_matches('/'))).find(|p| world.stat(&sh.ctx, p, true).is_ok())
            {
                break c;
            }
            if dir == "/" {
                return Err(LoadError::Refused("no configuration file provided: not found".into(), 14));
            }
            dir = crate::fs::parent_and_name(&dir).0;
        }
    };
    let text = match world.read(&sh.ctx, &file) {
        Ok(d) => String::from_utf8_lossy(&d.to_vec()).into_owned(),
        Err(_) => return Err(LoadError::Refused(format!("open {file}: no such file or directory"), 14)),
    };
    let mut doc: Value = yaml_serde::from_str(&text).map_err(|e| LoadError::Refused(format!("yaml: {e}"), 15))?;
    validate(&doc, &file)?;
    let dir = crate::fs::parent_and_name(&file).0;
    // The client's environment first, then the project's `.env`.
    let dotenv_path = match env_file {
        Some(f) => crate::fs::normalize(&sh.ctx.cwd, f),
        None => format!("{}/.env", dir.trim_end_matches('/')),
    };
    let dotenv =
        world.read(&sh.ctx, &dotenv_path).map(|d| super::interpolate::dotenv(&String::from_utf8_lossy(&d.to_vec()))).unwrap_or_default();
    let lookup = |n: &str| {
        let from_client = sh.exported.contains(n).then(|| sh.vars.get(n).cloned()).flatten();
        from_client.or_else(|| dotenv.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
    };
    let unset_variables = super::interpolate::interpolate(&mut doc, &lookup).map_err(|e| LoadError::Refused(e.to_string(), 15))?;
    // A name from the file is made valid (as a directory's is); one given with -p is checked.
    let name = project
        .map(str::to_string)
        .or_else(|| doc.get("name").and_then(as_string).map(|n| project_name_from_dir(&n)))
        .unwrap_or_else(|| project_name_from_dir(&dir));
    let valid_name = name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid_name {
        return Err(LoadError::Refused(format!("invalid project name \"{name}\": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number"), 1));
    }
    let mut volumes = Vec::new();
    if let Some(Value::Object(vs)) = doc.get("volumes") {
        for (key, spec) in vs {
            let explicit = spec.get("name").and_then(as_string);
            let external = spec.get("external").map(|e| e.as_bool().unwrap_or(true)).unwrap_or(false);
            let vname = explicit.clone().unwrap_or_else(|| if external { key.clone() } else { format!("{name}_{key}") });
            let opts = string_entries(spec, "driver_opts");
            let labels = string_entries(spec, "labels");
            volumes.push(TopVolume {
                key: key.clone(),
                name: vname,
                external,
                explicit_name: explicit.is_some(),
                driver_opts: opts,
                labels,
            });
        }
    }
    let mut services = Vec::new();
    let Some(Value::Object(svcs)) = doc.get("services") else {
        return Err("no service selected".into());
    };
    for (sname, spec) in svcs {
        let mut s = Service { name: sname.clone(), ..Service::default() };
        s.image = spec.get("image").and_then(as_string);
        s.build = match spec.get("build") {
            Some(Value::String(c)) => Some((c.clone(), None)),
            Some(Value::Object(o)) => {
                Some((o.get("context").and_then(as_string).unwrap_or_else(|| ".".into()), o.get("dockerfile").and_then(as_string)))
            }
            _ => None,
        };
        if let Some(Value::Object(b)) = spec.get("build") {
            s.build_args = match b.get("args") {
                Some(Value::Object(o)) => o.iter().map(|(k, v)| (k.clone(), as_string(v).unwrap_or_default())).collect(),
                Some(Value::Array(a)) => {
                    a.iter().filter_map(as_string).filter_map(|e| e.split_once('=').map(|(k, v)| (k.to_string(), v.to_string()))).collect()
                }
                _ => Vec::new(),
            };
            s.build_network = b.get("network").and_then(as_string);
        }
        s.command = spec.get("command").and_then(string_list);
        s.entrypoint = spec.get("entrypoint").and_then(string_list);
        let listed: Vec<(String, String)> = match spec.get("environment") {
            Some(Value::Object(o)) => o.iter().map(|(k, v)| (k.clone(), as_string(v).unwrap_or_default())).collect(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(as_string)
                .map(|e| e.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).unwrap_or((e.clone(), String::new())))
                .collect(),
            _ => Vec::new(),
        };
        // `env_file`'s variables, then `environment`'s, which win.
        s.environment = env_files(world, sh, &dir, spec.get("env_file"))?;
        for (k, v) in listed {
            s.environment.retain(|(name, _)| *name != k);
            s.environment.push((k, v));
        }
        s.user = spec.get("user").and_then(as_string);
        s.working_dir = spec.get("working_dir").and_then(as_string);
        s.network_mode = spec.get("network_mode").and_then(as_string);
        s.container_name = spec.get("container_name").and_then(as_string);
        s.read_only = spec.get("read_only").and_then(|v| v.as_bool()).unwrap_or(false);
        s.ports = spec.get("ports").and_then(|p| p.as_array()).map(|a| a.iter().filter_map(as_string).collect()).unwrap_or_default();
        s.tmpfs = spec.get("tmpfs").and_then(string_list_plain).unwrap_or_default();
        s.cap_add = spec.get("cap_add").and_then(string_list_plain).unwrap_or_default();
        s.cap_drop = spec.get("cap_drop").and_then(string_list_plain).unwrap_or_default();
        s.privileged = spec.get("privileged").and_then(|v| v.as_bool()).unwrap_or(false);
        s.depends_on = match spec.get("depends_on") {
            Some(Value::Array(a)) => a.iter().filter_map(as_string).collect(),
            Some(Value::Object(o)) => o.keys().cloned().collect(),
            _ => Vec::new(),
        };
        if let Some(Value::Array(vs)) = spec.get("volumes") {
            for v in vs {
                s.volumes.push(parse_service_volume(v, &dir)?);
            }
        }
        // A named volume must be declared at the top level.
        for v in &s.volumes {
            if let SvcVolume::Volume { source: Some(src), .. } = v {
                if !volumes.iter().any(|t| t.key == *src) {
                    return Err(LoadError::Refused(
                        format!("service \"{sname}\" refers to undefined volume {src}: invalid compose project"),
                        15,
                    ));
                }
            }
        }
        if s.image.is_none() && s.build.is_none() {
            return Err(format!("service {sname} has neither an image nor a build context specified: invalid compose project").into());
        }
        services.push(s);
    }
    sort_by(&mut services, |a, b| a.name.cmp(&b.name));
    // Compose drops the volumes no service mounts: never created, checked nor listed.
    volumes.retain(|t| {
        services.iter().flat_map(|s| &s.volumes).any(|v| matches!(v, SvcVolume::Volume { source: Some(src), .. } if *src == t.key))
    });
    let has_version = doc.get("version").is_some();
    Ok(Project { name, dir, file, has_version, unset_variables, services, volumes })
}

/// The string members of the mapping `spec[key]` (none if it is missing or not a mapping).
fn string_entries(spec: &Value, key: &str) -> BTreeMap<String, String> {
    // Inserted one by one: collecting into a map would bring its own copy of a sort.
    let mut entries = BTreeMap::new();
    for (k, v) in spec.get(key).and_then(Value::as_object).into_iter().flatten() {
        if let Some(v) = as_string(v) {
            entries.insert(k.clone(), v);
        }
    }
    entries
}

fn string_list_plain(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(a) => Some(a.iter().filter_map(as_string).collect()),
        _ => None,
    }
}

pub(super) fn parse_service_volume(v: &Value, dir: &str) -> Result<SvcVolume, String> {
    let abs = |p: &str| {
        if p.starts_with('/') {
            p.to_string()
        } else if let Some(rest) = p.strip_prefix('~') {
            format!("/home/student{rest}")
        } else {
            crate::fs::normalize(dir, p)
        }
    };
    match v {
        Value::String(s) => {
            let parts: Vec<&str> = s.split(':').collect();
            match parts.as_slice() {
                [t] => Ok(SvcVolume::Volume { source: None, target: t.to_string(), read_only: false, nocopy: false }),
                [src, t, rest @ ..] => {
                    let mode = rest.first().copied().unwrap_or("");
                    let ro = mode.split(',').any(|m| m == "ro");
                    if src.starts_with('.') || src.starts_with('/') || src.starts_with('~') {
                        Ok(SvcVolume::Bind { source: abs(src), target: t.to_string(), read_only: ro })
                    } else {
                        Ok(SvcVolume::Volume {
                            source: Some(src.to_string()),
                            target: t.to_string(),
                            read_only: ro,
                            nocopy: mode.contains("nocopy"),
                        })
                    }
                }
                _ => Err(format!("invalid volume specification: {s}")),
            }
        }
        Value::Object(o) => {
            let kind = o.get("type").and_then(as_string).unwrap_or_else(|| "volume".into());
            let target = o.get("target").and_then(as_string).unwrap_or_default();
            let read_only = o.get("read_only").and_then(|b| b.as_bool()).unwrap_or(false);
            let source = o.get("source").and_then(as_string);
            match kind.as_str() {
                "bind" => Ok(SvcVolume::Bind { source: abs(&source.unwrap_or_default()), target, read_only }),
                "tmpfs" => Ok(SvcVolume::Tmpfs { target, size: o.get("tmpfs").and_then(|t| t.get("size")).and_then(as_string) }),
                _ => Ok(SvcVolume::Volume {
                    source,
                    target,
                    read_only,
                    nocopy: o.get("volume").and_then(|v| v.get("nocopy")).and_then(|b| b.as_bool()).unwrap_or(false),
                }),
            }
        }
        _ => Err("invalid volume specification".into()),
    }
}

/// The top-level keys and a service's keys the Compose specification allows (`x-` extensions
/// aside): anything else fails the schema check, as Compose 2.26 words it (oracle-143).
const TOP_LEVEL_KEYS: &[&str] = &["version", "name", "include", "services", "networks", "volumes", "secrets", "configs"];
const SERVICE_KEYS: &[&str] = &[
    "annotations",
    "attach",
    "build",
    "blkio_config",
    "cap_add",
    "cap_drop",
    "cgroup",
    "cgroup_parent",
    "command",
    "configs",
    "container_name",
    "cpu_count",
    "cpu_percent",
    "cpu_shares",
    "cpu_quota",
    "cpu_period",
    "cpu_rt_period",
    "cpu_rt_runtime",
    "cpus",
    "cpuset",
    "credential_spec",
    "depends_on",
    "deploy",
    "develop",
    "device_cgroup_rules",
    "devices",
    "dns",
    "dns_opt",
    "dns_search",
    "domainname",
    "entrypoint",
    "env_file",
    "environment",
    "expose",
    "extends",
    "external_links",
    "extra_hosts",
    "group_add",
    "healthcheck",
    "hostname",
    "image",
    "init",
    "ipc",
    "isolation",
    "labels",
    "links",
    "logging",
    "mac_address",
    "mem_limit",
    "mem_reservation",
    "mem_swappiness",
    "memswap_limit",
    "network_mode",
    "networks",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "ports",
    "privileged",
    "profiles",
    "pull_policy",
    "read_only",
    "restart",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "shm_size",
    "stdin_open",
    "stop_grace_period",
    "stop_signal",
    "storage_opt",
    "sysctls",
    "tmpfs",
    "tty",
    "ulimits",
    "user",
    "userns_mode",
    "uts",
    "volumes",
    "volumes_from",
    "working_dir",
];

fn validate(doc: &Value, file: &str) -> Result<(), LoadError> {
    let refuse = |at: &str, key: &str| LoadError::Refused(format!("validating {file}: {at} Additional property {key} is not allowed"), 15);
    let allowed = |keys: &[&str], k: &str| keys.contains(&k) || k.starts_with("x-");
    let Value::Object(top) = doc else { return Ok(()) };
    if let Some(k) = top.keys().find(|k| !allowed(TOP_LEVEL_KEYS, k)) {
        return Err(refuse("(root)", k));
    }
    if let Some(Value::Object(services)) = top.get("services") {
        for (name, spec) in services {
            if let Some(k) = spec.as_object().and_then(|o| o.keys().find(|k| !allowed(SERVICE_KEYS, k))) {
                return Err(refuse(&format!("services.{name}"), k));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_strings_split_like_a_shell() {
        assert_eq!(
            shell_split(r#"sh -c "echo started >> /appdata/log.txt; sleep 3600""#),
            vec!["sh", "-c", "echo started >> /appdata/log.txt; sleep 3600"]
        );
    }
}
