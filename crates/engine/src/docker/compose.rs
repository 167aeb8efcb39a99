//! `docker compose` (v2.26): a compose file on the simulated host becomes volumes and
//! containers with the project's names and labels.

use std::collections::BTreeMap;

use serde_json::Value;

use super::flags::{self, flag, opt};
use super::mounts::{self, SpecError};
use crate::daemon::spec::ContainerSpec;
use crate::shell::{Io, Shell};
use crate::sorting::{sort, sort_by};
use crate::world::{ComposeRef, Container, ContainerId, Status, World};

const COMPOSE_VERSION: &str = "2.26.1";

#[derive(Clone, Debug, PartialEq)]
enum SvcVolume {
    Volume { source: Option<String>, target: String, read_only: bool, nocopy: bool },
    Bind { source: String, target: String, read_only: bool },
    Tmpfs { target: String, size: Option<String> },
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Service {
    name: String,
    image: Option<String>,
    build: Option<(String, Option<String>)>,
    command: Option<Vec<String>>,
    entrypoint: Option<Vec<String>>,
    environment: Vec<(String, String)>,
    volumes: Vec<SvcVolume>,
    user: Option<String>,
    working_dir: Option<String>,
    network_mode: Option<String>,
    ports: Vec<String>,
    depends_on: Vec<String>,
    container_name: Option<String>,
    read_only: bool,
    tmpfs: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct TopVolume {
    key: String,
    name: String,
    external: bool,
    explicit_name: bool,
    driver_opts: BTreeMap<String, String>,
    labels: BTreeMap<String, String>,
}

#[derive(Clone, Debug)]
struct Project {
    name: String,
    dir: String,
    /// The compose file, and whether it still has the obsolete top-level `version`.
    file: String,
    has_version: bool,
    services: Vec<Service>,
    volumes: Vec<TopVolume>,
}

/// A logrus warning as compose prints it: `WARN[0000]` on a terminal, key=value otherwise.
fn warn(world: &World, io: &mut Io, msg: &str) {
    if world.tty {
        io.err_line(&format!("WARN[0000] {msg:<44} "));
    } else {
        let quoted = msg.replace('\\', "\\\\").replace('"', "\\\"");
        io.err_line(&format!("time=\"{}\" level=warning msg=\"{quoted}\"", crate::clock::rfc3339(world.clock.secs())));
    }
}

fn err(io: &mut Io, msg: &str) -> i32 {
    io.err_line(msg);
    1
}

/// Splits a command string like a shell would (quotes and backslashes).
fn shell_split(s: &str) -> Vec<String> {
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

fn load(world: &World, sh: &Shell, files: &[String], project: Option<&str>) -> Result<Project, String> {
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
                return Err("no configuration file provided: not found".into());
            }
            dir = crate::fs::parent_and_name(&dir).0;
        }
    };
    let text = match world.read(&sh.ctx, &file) {
        Ok(d) => String::from_utf8_lossy(&d.to_vec()).into_owned(),
        Err(_) => return Err(format!("open {file}: no such file or directory")),
    };
    let doc: Value = yaml_serde::from_str(&text).map_err(|e| format!("yaml: {e}"))?;
    let dir = crate::fs::parent_and_name(&file).0;
    let name = project.map(str::to_string).or_else(|| doc.get("name").and_then(as_string)).unwrap_or_else(|| project_name_from_dir(&dir));
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
        s.command = spec.get("command").and_then(string_list);
        s.entrypoint = spec.get("entrypoint").and_then(string_list);
        match spec.get("environment") {
            Some(Value::Object(o)) => s.environment = o.iter().map(|(k, v)| (k.clone(), as_string(v).unwrap_or_default())).collect(),
            Some(Value::Array(a)) => {
                s.environment = a
                    .iter()
                    .filter_map(as_string)
                    .map(|e| e.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())).unwrap_or((e.clone(), String::new())))
                    .collect()
            }
            _ => {}
        }
        s.user = spec.get("user").and_then(as_string);
        s.working_dir = spec.get("working_dir").and_then(as_string);
        s.network_mode = spec.get("network_mode").and_then(as_string);
        s.container_name = spec.get("container_name").and_then(as_string);
        s.read_only = spec.get("read_only").and_then(|v| v.as_bool()).unwrap_or(false);
        s.ports = spec.get("ports").and_then(|p| p.as_array()).map(|a| a.iter().filter_map(as_string).collect()).unwrap_or_default();
        s.tmpfs = spec.get("tmpfs").and_then(string_list_plain).unwrap_or_default();
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
        if s.image.is_none() && s.build.is_none() {
            return Err(format!("service {sname} has neither an image nor a build context specified: invalid compose project"));
        }
        services.push(s);
    }
    sort_by(&mut services, |a, b| a.name.cmp(&b.name));
    let has_version = doc.get("version").is_some();
    Ok(Project { name, dir, file, has_version, services, volumes })
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

fn parse_service_volume(v: &Value, dir: &str) -> Result<SvcVolume, String> {
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

/// YAML scalars as compose-go writes them (quoted when they would read as something else).
fn yaml_scalar(s: &str) -> String {
    let special = s.is_empty()
        || s.parse::<f64>().is_ok()
        || matches!(s, "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~" | "True" | "False" | "Null" | "NULL")
        || s.starts_with(['-', '?', ':', '[', ']', '{', '}', '!', '*', '&', '#', '|', '>', '\'', '"', '%', '@', '`', ',', ' '])
        || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':');
    let needs = special && !(s.starts_with('-') && s.len() > 1 && !s.starts_with("- ") && s.parse::<f64>().is_err());
    if needs {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

fn config_yaml(p: &Project) -> String {
    let mut y = format!("name: {}\nservices:\n", yaml_scalar(&p.name));
    for s in &p.services {
        y.push_str(&format!("  {}:\n", s.name));
        if let Some((ctx, df)) = &s.build {
            y.push_str(&format!(
                "    build:\n      context: {}\n      dockerfile: {}\n",
                crate::fs::normalize(&p.dir, ctx),
                df.clone().unwrap_or_else(|| "Dockerfile".into())
            ));
        }
        if let Some(c) = &s.command {
            y.push_str("    command:\n");
            for a in c {
                y.push_str(&format!("      - {}\n", yaml_scalar(a)));
            }
        }
        if let Some(n) = &s.container_name {
            y.push_str(&format!("    container_name: {}\n", yaml_scalar(n)));
        }
        if !s.depends_on.is_empty() {
            y.push_str("    depends_on:\n");
            for d in &s.depends_on {
                y.push_str(&format!("      {d}:\n        condition: service_started\n        required: true\n"));
            }
        }
        if let Some(e) = &s.entrypoint {
            y.push_str("    entrypoint:\n");
            for a in e {
                y.push_str(&format!("      - {}\n", yaml_scalar(a)));
            }
        }
        if !s.environment.is_empty() {
            y.push_str("    environment:\n");
            let mut env = s.environment.clone();
            sort(&mut env);
            for (k, v) in env {
                y.push_str(&format!("      {k}: {}\n", yaml_scalar(&v)));
            }
        }
        if let Some(i) = &s.image {
            y.push_str(&format!("    image: {}\n", yaml_scalar(i)));
        } else if s.build.is_some() {
            y.push_str(&format!("    image: {}-{}\n", p.name, s.name));
        }
        if let Some(n) = &s.network_mode {
            y.push_str(&format!("    network_mode: {}\n", yaml_scalar(n)));
        } else {
            y.push_str("    networks:\n      default: null\n");
        }
        if !s.ports.is_empty() {
            y.push_str("    ports:\n");
            for port in &s.ports {
                let (host, cont) = port.rsplit_once(':').unwrap_or(("", port));
                y.push_str(&format!("      - mode: ingress\n        target: {cont}\n"));
                if !host.is_empty() {
                    y.push_str(&format!("        published: \"{host}\"\n"));
                }
                y.push_str("        protocol: tcp\n");
            }
        }
        if let Some(u) = &s.user {
            y.push_str(&format!("    user: {}\n", yaml_scalar(u)));
        }
        if !s.volumes.is_empty() {
            y.push_str("    volumes:\n");
            for v in &s.volumes {
                match v {
                    SvcVolume::Volume { source, target, read_only, nocopy } => {
                        y.push_str("      - type: volume\n");
                        if let Some(src) = source {
                            y.push_str(&format!("        source: {src}\n"));
                        }
                        y.push_str(&format!("        target: {target}\n"));
                        if *read_only {
                            y.push_str("        read_only: true\n");
                        }
                        if *nocopy {
                            y.push_str("        volume:\n          nocopy: true\n");
                        } else {
                            y.push_str("        volume: {}\n");
                        }
                    }
                    SvcVolume::Bind { source, target, read_only } => {
                        y.push_str(&format!("      - type: bind\n        source: {source}\n        target: {target}\n"));
                        if *read_only {
                            y.push_str("        read_only: true\n");
                        }
                        y.push_str("        bind:\n          create_host_path: true\n");
                    }
                    SvcVolume::Tmpfs { target, size } => {
                        y.push_str(&format!("      - type: tmpfs\n        target: {target}\n"));
                        if let Some(sz) = size {
                            y.push_str(&format!("        tmpfs:\n          size: \"{sz}\"\n"));
                        }
                    }
                }
            }
        }
        if let Some(w) = &s.working_dir {
            y.push_str(&format!("    working_dir: {w}\n"));
        }
    }
    if p.services.iter().any(|s| s.network_mode.is_none()) {
        y.push_str(&format!("networks:\n  default:\n    name: {}_default\n", p.name));
    }
    if !p.volumes.is_empty() {
        y.push_str("volumes:\n");
        for v in &p.volumes {
            y.push_str(&format!("  {}:\n    name: {}\n", v.key, v.name));
            if v.external {
                y.push_str("    external: true\n");
            }
        }
    }
    y
}

fn service_hash(p: &Project, s: &Service) -> String {
    let vols: Vec<&TopVolume> = p.volumes.iter().collect();
    super::build::sha256_hex(format!("{s:?}{vols:?}").as_bytes())
}

fn container_name(p: &Project, s: &Service) -> String {
    s.container_name.clone().unwrap_or_else(|| format!("{}-{}-1", p.name, s.name))
}

/// The project's containers, oldest first.
fn project_containers<'w>(world: &'w World, project: &str) -> Vec<&'w Container> {
    world.containers.iter().filter(|c| c.compose.as_ref().is_some_and(|c| c.project == project)).collect()
}

pub fn cli(world: &mut World, sh: &mut Shell, args: &[String], io: &mut Io) -> i32 {
    let global = [
        opt("file", Some('f')),
        opt("project-name", Some('p')),
        opt("project-directory", None),
        opt("profile", None),
        opt("env-file", None),
        flag("version", Some('v')),
    ];
    // Global flags come before the subcommand.
    let mut i = 0;
    let mut gargs = Vec::new();
    while i < args.len() && args[i].starts_with('-') {
        gargs.push(args[i].clone());
        let takes = global
            .iter()
            .any(|s| s.takes_value && (args[i] == format!("--{}", s.long) || s.short.map(|c| args[i] == format!("-{c}")).unwrap_or(false)));
        if takes && !args[i].contains('=') {
            if let Some(v) = args.get(i + 1) {
                gargs.push(v.clone());
            }
            i += 1;
        }
        i += 1;
    }
    let g = match flags::parse(&gargs, &global, false) {
        Ok(p) => p,
        Err(e) => return err(io, &e),
    };
    if g.has("version") {
        io.out_str("Docker Compose version 2.26.1-4\n");
        return 0;
    }
    let Some(sub) = args.get(i).cloned() else {
        io.out_str("\nUsage:  docker compose [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Docker\n");
        return 0;
    };
    let rest = &args[i + 1..];
    if sub == "version" {
        io.out_str("Docker Compose version 2.26.1-4\n");
        return 0;
    }
    let project = match load(world, sh, &g.all("file"), g.get("project-name")) {
        Ok(p) => p,
        Err(m) => return err(io, &m),
    };
    if project.has_version {
        warn(world, io, &format!("{}: `version` is obsolete", project.file));
    }
    match sub.as_str() {
        "config" => {
            io.out_str(&config_yaml(&project));
            0
        }
        "up" => up(world, sh, &project, rest, io),
        "down" => down(world, &project, rest, io),
        "ps" => ps(world, &project, rest, io),
        "exec" => exec(world, &project, rest, io),
        "logs" => logs(world, &project, rest, io),
        "stop" | "start" | "restart" => {
            let names: Vec<String> = project_containers(world, &project.name).iter().map(|c| c.name.clone()).collect();
            for n in names {
                let verb = match sub.as_str() {
                    "stop" => ("Stopping", "Stopped"),
                    "start" => ("Starting", "Started"),
                    _ => ("Restarting", "Started"),
                };
                io.err_line(&format!(" Container {n}  {}", verb.0));
                let mut sink = Io::default();
                let cmd = if sub == "start" {
                    "start"
                } else if sub == "stop" {
                    "stop"
                } else {
                    "restart"
                };
                super::cli(world, sh, &["docker".into(), cmd.into(), n.clone()], &mut sink);
                io.err_line(&format!(" Container {n}  {}", verb.1));
            }
            0
        }
        "run" => run_oneoff(world, sh, &project, rest, io),
        other => err(io, &format!("unknown docker command: \"compose {other}\"")),
    }
}

/// The image a service runs: its `image`, or the one compose builds for it (`PROJECT-SERVICE`).
fn service_image(p: &Project, s: &Service) -> String {
    s.image.clone().unwrap_or_else(|| format!("{}-{}", p.name, s.name))
}

/// Builds the images of the services with a `build` section that are missing, as `up` does
/// before it creates anything, printing BuildKit's progress with the service's name.
fn ensure_images(world: &mut World, sh: &Shell, p: &Project, services: &[&Service], io: &mut Io) -> Result<(), i32> {
    for s in services {
        let Some((ctx, df)) = &s.build else { continue };
        let tag = service_image(p, s);
        if super::find_image(world, &tag).is_some() {
            continue;
        }
        let context = crate::fs::normalize(&p.dir, ctx);
        let mut bargs = vec!["-t".to_string(), tag];
        if let Some(df) = df {
            bargs.push("-f".into());
            bargs.push(crate::fs::normalize(&context, df));
        }
        bargs.push(context);
        if super::build::build_labeled(world, sh, &bargs, io, Some(&s.name)) != 0 {
            return Err(1);
        }
    }
    Ok(())
}

fn ensure_volumes(world: &mut World, p: &Project, io: &mut Io) -> Result<(), i32> {
    for v in &p.volumes {
        if v.external && !world.volumes.contains_key(&v.name) {
            return Err(err(io, &format!("external volume \"{}\" not found", v.name)));
        }
    }
    for v in &p.volumes {
        if v.external || world.volumes.contains_key(&v.name) {
            continue;
        }
        io.err_line(&format!(" Volume \"{}\"  Creating", v.name));
        let mut labels = v.labels.clone();
        labels.insert("com.docker.compose.project".into(), p.name.clone());
        labels.insert("com.docker.compose.version".into(), COMPOSE_VERSION.into());
        labels.insert("com.docker.compose.volume".into(), v.key.clone());
        super::volume::create_volume(
            world,
            &v.name,
            labels,
            if v.driver_opts.is_empty() { None } else { Some(v.driver_opts.clone()) },
            false,
        );
        io.err_line(&format!(" Volume \"{}\"  Created", v.name));
    }
    Ok(())
}

/// Creates the service's container: the service becomes a [`ContainerSpec`] (its mounts read
/// with the CLI's own mount parsers, as its short and long volume syntax are `-v` and
/// `--mount` specs), and the daemon creates it.
fn create_service(world: &mut World, sh: &Shell, p: &Project, s: &Service, io: &mut Io) -> Result<ContainerId, i32> {
    let cwd = sh.ctx.cwd.as_str();
    let image = service_image(p, s);
    let mut spec = ContainerSpec { name: Some(container_name(p, s)), image: image.clone(), ..ContainerSpec::default() };
    for v in &s.volumes {
        let added = match v {
            SvcVolume::Bind { source, target, read_only } => {
                let mode = if *read_only { "ro" } else { "rw" };
                mounts::parse_volume_flag(&format!("{source}:{target}:{mode}"), cwd, "/home/student").map(|r| spec.volumes.push(r))
            }
            SvcVolume::Volume { source, target, read_only, nocopy } => {
                let name = source
                    .as_ref()
                    .map(|src| p.volumes.iter().find(|tv| tv.key == *src).map(|tv| tv.name.clone()).unwrap_or_else(|| src.clone()));
                let mut m = String::from("type=volume");
                if let Some(n) = name {
                    m.push_str(&format!(",src={n}"));
                }
                m.push_str(&format!(",dst={target}"));
                if *read_only {
                    m.push_str(",readonly");
                }
                if *nocopy {
                    m.push_str(",volume-nocopy");
                }
                mounts::parse_mount_flag(&m, cwd).map(|r| spec.mounts.push(Ok(r)))
            }
            SvcVolume::Tmpfs { target, size } => {
                let m = match size {
                    Some(sz) => format!("type=tmpfs,dst={target},tmpfs-size={sz}"),
                    None => format!("type=tmpfs,dst={target}"),
                };
                mounts::parse_mount_flag(&m, cwd).map(|r| spec.mounts.push(Ok(r)))
            }
        };
        if let Err(e) = added {
            return Err(err(io, &spec_error_text(e)));
        }
    }
    for t in &s.tmpfs {
        spec.tmpfs.push(mounts::parse_tmpfs_flag(t).map_err(|(SpecError::Cli(m) | SpecError::Daemon(m) | SpecError::Flag(m))| m));
    }
    for port in &s.ports {
        match super::ports::parse_publish(port) {
            Ok(b) => spec.port_bindings.push(b),
            Err(m) => return Err(err(io, &format!("{}.", m.trim_end_matches('.')))),
        }
    }
    spec.user = s.user.clone();
    spec.workdir = s.working_dir.clone();
    spec.env = s.environment.iter().map(|(k, v)| format!("{k}={v}")).collect();
    spec.entrypoint = s.entrypoint.as_ref().map(|e| e.join(" "));
    spec.read_only = s.read_only;
    spec.network_mode = s.network_mode.clone().unwrap_or_else(|| format!("{}_default", p.name));
    spec.command = s.command.clone().unwrap_or_default();
    // `up` pulls first; a service created another way gets its image the same way, quietly.
    if super::find_image(world, &image).is_none() {
        if let Err(e) = super::image::pull_into_store(world, &image, &mut |_| {}) {
            return Err(err(io, &format!("Error response from daemon: {}.", e.message().trim_end_matches('.'))));
        }
    }
    let image_id = super::find_image(world, &image).map(|i| world.images[i].id.clone()).unwrap_or_default();
    let hash = service_hash(p, s);
    spec.compose = Some(ComposeRef { project: p.name.clone(), service: s.name.clone(), config_hash: hash.clone() });
    spec.labels = [
        ("com.docker.compose.project", p.name.clone()),
        ("com.docker.compose.service", s.name.clone()),
        ("com.docker.compose.container-number", "1".into()),
        ("com.docker.compose.oneoff", "False".into()),
        ("com.docker.compose.config-hash", hash),
        ("com.docker.compose.version", COMPOSE_VERSION.into()),
        ("com.docker.compose.project.working_dir", p.dir.clone()),
        ("com.docker.compose.image", image_id),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    crate::daemon::container::create(world, &spec)
        .map_err(|e| err(io, &format!("Error response from daemon: {}.", e.to_string().trim_end_matches('.'))))
}

/// A mount spec Compose could not use, as `docker compose` words it.
fn spec_error_text(e: SpecError) -> String {
    match e {
        SpecError::Cli(m) => format!("{}.", m.trim_end_matches('.')),
        SpecError::Daemon(m) => format!("Error response from daemon: {}.", m.trim_end_matches('.')),
        SpecError::Flag(m) => m,
    }
}

/// Compose pulls the images of services that have no `build` and are not present, first of all.
fn pull_missing(world: &mut World, services: &[&Service], io: &mut Io) -> Result<(), i32> {
    for s in services {
        let Some(image) = s.image.as_ref().filter(|_| s.build.is_none()) else { continue };
        if super::find_image(world, image).is_some() {
            continue;
        }
        io.err_line(&format!(" {} Pulling ", s.name));
        match super::image::pull_into_store(world, image, &mut |_| {}) {
            Ok(_) => io.err_line(&format!(" {} Pulled ", s.name)),
            Err(e) => {
                io.err_line(&format!(" {} Error {}", s.name, e.message()));
                io.err_line(&format!("Error response from daemon: {}", e.message()));
                return Err(1);
            }
        }
    }
    Ok(())
}

fn up(world: &mut World, sh: &mut Shell, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[
            flag("detach", Some('d')),
            flag("build", None),
            flag("force-recreate", None),
            flag("no-build", None),
            opt("timeout", Some('t')),
            flag("remove-orphans", None),
            flag("wait", None),
        ],
        false,
    ) {
        Ok(x) => x,
        Err(e) => return err(io, &e),
    };
    let detach = parsed.has("detach");
    let selected: Vec<&Service> = if parsed.operands.is_empty() {
        p.services.iter().collect()
    } else {
        let mut want: Vec<String> = parsed.operands.clone();
        let mut k = 0;
        while k < want.len() {
            if let Some(s) = p.services.iter().find(|s| s.name == want[k]) {
                for d in &s.depends_on {
                    if !want.contains(d) {
                        want.push(d.clone());
                    }
                }
            } else {
                return err(io, &format!("no such service: {}", want[k]));
            }
            k += 1;
        }
        p.services.iter().filter(|s| want.contains(&s.name)).collect()
    };
    if let Err(code) = pull_missing(world, &selected, io) {
        return code;
    }
    if let Err(code) = ensure_images(world, sh, p, &selected, io) {
        return code;
    }
    if let Err(code) = ensure_volumes(world, p, io) {
        return code;
    }
    if p.services.iter().any(|s| s.network_mode.is_none()) && !world.networks_contains(&format!("{}_default", p.name)) {
        io.err_line(&format!(" Network {}_default  Creating", p.name));
        world.add_network(&format!("{}_default", p.name));
        io.err_line(&format!(" Network {}_default  Created", p.name));
    }
    let mut to_start: Vec<String> = Vec::new();
    let mut running: Vec<String> = Vec::new();
    for s in &selected {
        let name = container_name(p, s);
        let hash = service_hash(p, s);
        let existing =
            world.named_container(&name).map(|c| (c.id.clone(), c.status, c.compose.as_ref().is_some_and(|c| c.config_hash == hash)));
        match existing {
            Some((_, status, true)) if !parsed.has("force-recreate") => {
                if status == Status::Running {
                    running.push(name);
                } else {
                    to_start.push(name);
                }
            }
            Some((id, status, _)) => {
                io.err_line(&format!(" Container {name}  Recreate"));
                if status == Status::Running {
                    super::graceful_stop(world, &id);
                }
                super::remove_container(world, &id, false);
                match create_service(world, sh, p, s, io) {
                    Ok(_) => {}
                    Err(c) => return c,
                }
                io.err_line(&format!(" Container {name}  Recreated"));
                to_start.push(name);
            }
            None => {
                io.err_line(&format!(" Container {name}  Creating"));
                match create_service(world, sh, p, s, io) {
                    Ok(_) => {}
                    Err(c) => return c,
                }
                io.err_line(&format!(" Container {name}  Created"));
                to_start.push(name);
            }
        }
    }
    for n in &running {
        io.err_line(&format!(" Container {n}  Running"));
    }
    let mut logs: Vec<(String, Vec<u8>, Option<i32>)> = Vec::new();
    for n in &to_start {
        let Some(id) = world.find_container(n) else { continue };
        if detach {
            io.err_line(&format!(" Container {n}  Starting"));
        }
        if let Err(e) = super::start_container(world, &id) {
            io.err_line(&format!("Error response from daemon: {}.", e.to_string().trim_end_matches('.')));
            return 1;
        }
        let (out, errb, code) = super::run_main_process(world, &id);
        let mut all = out;
        all.extend(errb);
        logs.push((n.clone(), all, code));
        if detach {
            io.err_line(&format!(" Container {n}  Started"));
        }
    }
    if !detach {
        let short = |n: &str| n.strip_prefix(&format!("{}-", p.name)).unwrap_or(n).to_string();
        let attached: Vec<String> = selected.iter().map(|s| short(&container_name(p, s))).collect();
        io.out_str(&format!("Attaching to {}\n", attached.join(", ")));
        let width = attached.iter().map(|a| a.len()).max().unwrap_or(0);
        for (n, out, code) in &logs {
            let label = short(n);
            for line in String::from_utf8_lossy(out).lines() {
                io.out_str(&format!("\u{1b}[2K{label:<width$}  | {line}\n"));
            }
            if let Some(c) = code {
                io.out_str(&format!("{label} exited with code {c}\n"));
            }
        }
    }
    0
}

fn down(world: &mut World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[flag("volumes", Some('v')), opt("timeout", Some('t')), flag("remove-orphans", None), opt("rmi", None)],
        false,
    ) {
        Ok(x) => x,
        Err(e) => return err(io, &e),
    };
    let names: Vec<String> = project_containers(world, &p.name).iter().map(|c| c.name.clone()).collect();
    let vols: Vec<String> = if parsed.has("volumes") {
        p.volumes.iter().filter(|v| !v.external && world.volumes.contains_key(&v.name)).map(|v| v.name.clone()).collect()
    } else {
        Vec::new()
    };
    if names.is_empty() && vols.is_empty() {
        io.err_line(&format!("Warning: No resource found to remove for project \"{}\".", p.name));
        return 0;
    }
    for n in &names {
        let Some(id) = world.find_container(n) else { continue };
        io.err_line(&format!(" Container {n}  Stopping"));
        if world.container(&id).is_some_and(|c| c.status == Status::Running) {
            super::graceful_stop(world, &id);
        }
        io.err_line(&format!(" Container {n}  Stopped"));
        io.err_line(&format!(" Container {n}  Removing"));
        super::remove_container(world, &id, parsed.has("volumes"));
        io.err_line(&format!(" Container {n}  Removed"));
    }
    for v in &vols {
        io.err_line(&format!(" Volume {v}  Removing"));
        if super::volume::users_of(world, v).is_empty() {
            super::volume::delete_volume(world, v);
        }
        io.err_line(&format!(" Volume {v}  Removed"));
    }
    let net = format!("{}_default", p.name);
    if world.networks_contains(&net) && project_containers(world, &p.name).is_empty() {
        io.err_line(&format!(" Network {net}  Removing"));
        world.remove_network(&net);
        io.err_line(&format!(" Network {net}  Removed"));
    }
    0
}

fn quoted_command(path: &str, args: &[String]) -> String {
    std::iter::once(path.to_string())
        .chain(args.iter().map(|a| if a.contains(' ') { format!("'{a}'") } else { a.clone() }))
        .collect::<Vec<_>>()
        .join(" ")
}

fn ps(world: &mut World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed =
        match flags::parse(args, &[flag("all", Some('a')), flag("quiet", Some('q')), opt("format", None), flag("services", None)], false) {
            Ok(x) => x,
            Err(e) => return err(io, &e),
        };
    let now = world.clock.nanos;
    let mut list: Vec<&Container> =
        project_containers(world, &p.name).into_iter().filter(|c| parsed.has("all") || c.status == Status::Running).collect();
    sort_by(&mut list, |a, b| a.name.cmp(&b.name));
    if parsed.has("quiet") {
        for c in list {
            io.out_str(&format!("{}\n", c.id));
        }
        return 0;
    }
    let rows: Vec<Value> = list
        .iter()
        .map(|&c| {
            let svc = c.compose.as_ref().map(|x| x.service.clone()).unwrap_or_default();
            serde_json::json!({
                "Name": c.name, "Image": c.image_ref, "Command": format!("\"{}\"", super::format::ellipsis(&quoted_command(&c.path, &c.args), 20)),
                "Service": svc, "CreatedAt": crate::clock::rfc3339(c.created as i64 / 1_000_000_000), "RunningFor": format!("{} ago", crate::clock::human_duration(now - c.created)),
                "Status": super::status_text(world, c), "State": match c.status { Status::Running => "running", Status::Exited => "exited", Status::Created => "created" },
                "Ports": super::ports::ports_column(world, c), "ID": c.short_id(), "Project": p.name,
            })
        })
        .collect();
    if let Some(f) = parsed.get("format") {
        let lf = stowage_template::list_format(f);
        if !lf.table {
            for r in &rows {
                match super::format::render(&lf.template, r) {
                    Ok(s) => io.out_str(&format!("{s}\n")),
                    Err(e) => return err(io, &e),
                }
            }
            return 0;
        }
    }
    let mut text = String::from("NAME\tIMAGE\tCOMMAND\tSERVICE\tCREATED\tSTATUS\tPORTS\n");
    for r in &rows {
        let g = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            g("Name"),
            g("Image"),
            g("Command"),
            g("Service"),
            g("RunningFor"),
            g("Status"),
            g("Ports")
        ));
    }
    io.out_str(&super::format::tabwrite(&text));
    0
}

fn exec(world: &mut World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[
            flag("no-TTY", Some('T')),
            flag("detach", Some('d')),
            opt("user", Some('u')),
            opt("workdir", Some('w')),
            opt("env", Some('e')),
            flag("interactive", Some('i')),
            flag("privileged", None),
            opt("index", None),
        ],
        true,
    ) {
        Ok(x) => x,
        Err(e) => return err(io, &e),
    };
    let Some(svc) = parsed.operands.first() else {
        return err(io, "\"docker compose exec\" requires at least 2 arguments.");
    };
    let Some(s) = p.services.iter().find(|s| s.name == *svc) else {
        return err(io, &format!("service \"{svc}\" is not running"));
    };
    let name = container_name(p, s);
    if world.named_container(&name).is_none_or(|c| c.status != Status::Running) {
        return err(io, &format!("service \"{svc}\" is not running"));
    }
    let mut a: Vec<String> = Vec::new();
    for k in ["user", "workdir"] {
        if let Some(v) = parsed.get(k) {
            a.push(format!("--{k}"));
            a.push(v.to_string());
        }
    }
    for e in parsed.all("env") {
        a.push("-e".into());
        a.push(e);
    }
    a.push(name);
    a.extend(parsed.operands[1..].iter().cloned());
    super::exec(world, &a, io)
}

fn logs(world: &mut World, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let wanted: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let mut list = project_containers(world, &p.name);
    sort_by(&mut list, |a, b| a.name.cmp(&b.name));
    let labels: Vec<String> = list.iter().map(|c| c.name.strip_prefix(&format!("{}-", p.name)).unwrap_or(&c.name).to_string()).collect();
    let width = labels.iter().map(|l| l.len()).max().unwrap_or(0);
    for (c, label) in list.iter().zip(labels) {
        if !wanted.is_empty() && !wanted.iter().any(|w| c.compose.as_ref().map(|x| x.service == **w).unwrap_or(false)) {
            continue;
        }
        for (_, line) in &c.logs {
            io.out_str(&format!("{label:<width$}  | {line}\n"));
        }
    }
    0
}

fn run_oneoff(world: &mut World, sh: &mut Shell, p: &Project, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[
            flag("rm", None),
            flag("detach", Some('d')),
            flag("no-TTY", Some('T')),
            opt("user", Some('u')),
            opt("entrypoint", None),
            opt("env", Some('e')),
            opt("volume", Some('v')),
            opt("name", None),
            flag("no-deps", None),
        ],
        true,
    ) {
        Ok(x) => x,
        Err(e) => return err(io, &e),
    };
    let Some(svc) = parsed.operands.first() else {
        return err(io, "\"docker compose run\" requires at least 1 argument.");
    };
    let Some(s) = p.services.iter().find(|s| s.name == *svc) else {
        return err(io, &format!("no such service: {svc}"));
    };
    if let Err(code) = ensure_images(world, sh, p, &[s], io) {
        return code;
    }
    if let Err(code) = ensure_volumes(world, p, io) {
        return code;
    }
    let mut s2 = s.clone();
    let suffix = world.ids.chars(12, b"0123456789abcdef");
    s2.container_name = Some(parsed.get("name").map(str::to_string).unwrap_or_else(|| format!("{}-{}-run-{suffix}", p.name, s.name)));
    if parsed.operands.len() > 1 {
        s2.command = Some(parsed.operands[1..].to_vec());
    }
    if let Some(u) = parsed.get("user") {
        s2.user = Some(u.to_string());
    }
    let id = match create_service(world, sh, p, &s2, io) {
        Ok(id) => id,
        Err(c) => return c,
    };
    if let Some(oneoff) = world.container_mut(&id).and_then(|c| c.labels.get_mut("com.docker.compose.oneoff")) {
        *oneoff = "True".into();
    }
    if let Err(e) = super::start_container(world, &id) {
        return super::report_run_error(io, "compose run", e.into());
    }
    let (out, errb, code) = super::run_main_process(world, &id);
    io.out.extend_from_slice(&out);
    io.err.extend_from_slice(&errb);
    if parsed.has("rm") {
        if world.container(&id).is_some_and(|c| c.status == Status::Running) {
            super::stop_container(world, &id, 137);
        }
        super::remove_container(world, &id, true);
    }
    code.unwrap_or(0)
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

    #[test]
    fn yaml_scalars_quote_numbers() {
        assert_eq!(yaml_scalar("3600"), "\"3600\"");
        assert_eq!(yaml_scalar("-c"), "-c");
        assert_eq!(yaml_scalar("echo started >> /appdata/log.txt; sleep 3600"), "echo started >> /appdata/log.txt; sleep 3600");
    }
}
