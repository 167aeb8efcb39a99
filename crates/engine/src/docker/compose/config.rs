//! `docker compose config`: the project as compose-go writes it back, in YAML.

use super::{Project, SvcVolume};
use crate::docker::flags::{self, flag, opt};
use crate::shell::Io;
use crate::sorting::sort;

/// `docker compose config [--services|--volumes|--images|--profiles] [-q]`: the whole model,
/// or the list asked for (oracle-128).
pub(super) fn config(p: &Project, args: &[String], io: &mut Io) -> i32 {
    let specs = [
        flag("services", None),
        flag("volumes", None),
        flag("images", None),
        flag("profiles", None),
        flag("quiet", Some('q')),
        flag("no-interpolate", None),
        flag("no-normalize", None),
        flag("no-path-resolution", None),
        flag("no-consistency", None),
        flag("resolve-image-digests", None),
        opt("format", None),
        opt("output", Some('o')),
        opt("hash", None),
    ];
    let parsed = match flags::parse(args, &specs, false) {
        Ok(parsed) => parsed,
        Err(e) => {
            io.err_line(&e);
            return 16;
        }
    };
    // The model is written in YAML only; a service's configuration hash is compose's own.
    if let Some(asked) = parsed.get("format").filter(|f| *f != "yaml").map(|_| "--format json").or(parsed.get("hash").map(|_| "--hash")) {
        return crate::docker::messages::not_simulated(io, &format!("compose config {asked}"), "the model is written in YAML only");
    }
    if parsed.has("services") {
        io.out_str(&lines(dependency_order(p)));
    } else if parsed.has("volumes") {
        // The volumes' keys (compose walks a map: its order varies from run to run).
        io.out_str(&lines(p.volumes.iter().map(|v| v.key.clone()).collect()));
    } else if parsed.has("images") {
        // By service name (compose walks a map: its order varies from run to run).
        let mut services: Vec<&super::Service> = p.services.iter().collect();
        services.sort_by(|a, b| a.name.cmp(&b.name));
        io.out_str(&lines(services.iter().map(|s| super::up::service_image(p, s)).collect()));
    } else if parsed.has("profiles") || parsed.has("quiet") {
        // This model knows no profiles; `-q` only checks the file.
    } else {
        io.out_str(&config_yaml(p));
    }
    0
}

fn lines(items: Vec<String>) -> String {
    items.iter().map(|i| format!("{i}\n")).collect()
}

/// The services in the order compose walks them: by name, each after what it depends on.
fn dependency_order(p: &Project) -> Vec<String> {
    fn visit(p: &Project, name: &str, out: &mut Vec<String>, depth: usize) {
        if out.iter().any(|n| n == name) || depth > p.services.len() {
            return;
        }
        if let Some(s) = p.services.iter().find(|s| s.name == name) {
            let mut deps = s.depends_on.clone();
            deps.sort();
            for d in &deps {
                visit(p, d, out, depth + 1);
            }
            out.push(name.to_string());
        }
    }
    let mut names: Vec<&str> = p.services.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    let mut out = Vec::new();
    for name in names {
        visit(p, name, &mut out, 0);
    }
    out
}

/// YAML scalars as compose-go writes them: a `$` as `$$` (as the file would escape it); in
/// double quotes when they would read as another type (a number, a boolean, null), in single
/// quotes when plain style cannot hold them (a leading indicator, a trailing blank or colon),
/// as yaml.v3's emitter chooses (oracle-107).
fn yaml_scalar(s: &str) -> String {
    let s = s.replace('$', "$$");
    let typed = s.is_empty()
        || s.parse::<f64>().is_ok()
        || matches!(s.as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~" | "True" | "False" | "Null" | "NULL");
    let not_plain = s.starts_with(['-', '?', ':', '[', ']', '{', '}', '!', '*', '&', '#', '|', '>', '\'', '"', '%', '@', '`', ',', ' '])
        || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':');
    let dash_word = s.starts_with('-') && s.len() > 1 && !s.starts_with("- ") && !s.ends_with(' ') && !s.ends_with(':');
    if typed {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else if not_plain && !dash_word {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        s
    }
}

pub(super) fn config_yaml(p: &Project) -> String {
    let mut y = format!("name: {}\nservices:\n", yaml_scalar(&p.name));
    for s in &p.services {
        y.push_str(&format!("  {}:\n", s.name));
        if let Some((ctx, df)) = &s.build {
            y.push_str(&format!(
                "    build:\n      context: {}\n      dockerfile: {}\n",
                crate::fs::normalize(&p.dir, ctx),
                df.clone().unwrap_or_else(|| "Dockerfile".into())
            ));
            if !s.build_args.is_empty() {
                y.push_str("      args:\n");
                for (k, v) in &s.build_args {
                    y.push_str(&format!("        {k}: {}\n", yaml_scalar(v)));
                }
            }
            if let Some(n) = &s.build_network {
                y.push_str(&format!("      network: {}\n", yaml_scalar(n)));
            }
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
            // compose-go's field order: name, driver options, external, labels.
            let entries = |title: &str, map: &std::collections::BTreeMap<String, String>| {
                let mut text = if map.is_empty() { String::new() } else { format!("    {title}:\n") };
                for (k, val) in map {
                    text.push_str(&format!("      {k}: {}\n", yaml_scalar(val)));
                }
                text
            };
            y.push_str(&entries("driver_opts", &v.driver_opts));
            if v.external {
                y.push_str("    external: true\n");
            }
            y.push_str(&entries("labels", &v.labels));
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_quote_numbers() {
        assert_eq!(yaml_scalar("3600"), "\"3600\"");
        assert_eq!(yaml_scalar("-c"), "-c");
        assert_eq!(yaml_scalar("echo started >> /appdata/log.txt; sleep 3600"), "echo started >> /appdata/log.txt; sleep 3600");
    }
}
