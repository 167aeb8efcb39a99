//! Published ports: `-p`/`-P` specs, host ports bound at start, and how `ps`, `port` and
//! `inspect` show them.
//!
//! The reference machine ran without a bridge network; the simulation publishes ports anyway,
//! as a default Docker install does, so the classic nginx tutorials work.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{arg_count_error, no_such_container};
pub(crate) use crate::daemon::ports::{exposed_ports, is_ipv6, parse_port};
use crate::shell::Io;
use crate::world::{Container, PortBinding, Status, World};

/// Parses one `-p` spec the way the CLI does (errors are the CLI's).
pub fn parse_publish(spec: &str) -> Result<PortBinding, String> {
    let (rest, proto) = match spec.rsplit_once('/') {
        Some((r, p)) => (r, p.to_string()),
        None => (spec, "tcp".to_string()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    // An IPv6 address is written in brackets: [::1]:8080:80.
    let (host_ip, ports) = match rest.strip_prefix('[') {
        Some(r) => match r.split_once("]:") {
            Some((ip, ports)) => (ip.to_string(), ports.to_string()),
            None => return Err(format!("invalid IP address: {rest}")),
        },
        None => {
            let parts: Vec<&str> = rest.split(':').collect();
            match parts.as_slice() {
                [c] => (String::new(), c.to_string()),
                [h, c] => (String::new(), format!("{h}:{c}")),
                [ip, h, c] => (ip.to_string(), format!("{h}:{c}")),
                _ => return Err(format!("invalid port specification: \"{spec}\"")),
            }
        }
    };
    if !host_ip.is_empty() && !valid_ip(&host_ip) {
        return Err(format!("invalid IP address: {host_ip}"));
    }
    let (host, container) = match ports.split_once(':') {
        Some((h, c)) => (h, c),
        None => ("", ports.as_str()),
    };
    if container.is_empty() {
        return Err(format!("No port specified: {spec}<empty>"));
    }
    let container_port = parse_port(container).ok_or_else(|| format!("invalid containerPort: {container}"))?;
    let host_port = if host.is_empty() { None } else { Some(parse_port(host).ok_or_else(|| format!("invalid hostPort: {host}"))?) };
    Ok(PortBinding { container_port, proto, host_ip, host_port })
}

fn valid_ip(ip: &str) -> bool {
    ip.parse::<std::net::IpAddr>().is_ok()
}

/// `IP:PORT` as Go's `net.JoinHostPort` writes it.
fn join_host_port(ip: &str, port: u16) -> String {
    if is_ipv6(ip) {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// The PORTS column of `docker ps`: bound ports, then exposed ones without a host port.
pub fn ports_column(world: &World, c: &Container) -> String {
    if c.status != Status::Running {
        return String::new();
    }
    let mut shown: Vec<(u16, bool, String)> = c
        .ports
        .iter()
        .map(|p| (p.container_port, is_ipv6(&p.host_ip), format!("{}:{}->{}/{}", p.host_ip, p.host_port, p.container_port, p.proto)))
        .collect();
    for key in exposed_ports(world, c) {
        let (port, proto) = key.split_once('/').unwrap_or((&key, "tcp"));
        let port = parse_port(port).unwrap_or(0);
        if !c.ports.iter().any(|p| p.container_port == port && p.proto == proto) {
            shown.push((port, false, key.clone()));
        }
    }
    crate::sorting::sort(&mut shown);
    shown.into_iter().map(|(_, _, s)| s).collect::<Vec<_>>().join(", ")
}

/// `HostConfig.PortBindings`.
pub fn port_bindings_json(c: &Container) -> Value {
    let mut map: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for b in &c.host.port_bindings {
        let port = b.host_port.map(|p| p.to_string()).unwrap_or_default();
        map.entry(format!("{}/{}", b.container_port, b.proto)).or_default().push(json!({"HostIp": b.host_ip, "HostPort": port}));
    }
    json!(map)
}

/// `NetworkSettings.Ports`: empty unless the container runs.
pub fn network_ports_json(world: &World, c: &Container) -> Value {
    if c.status != Status::Running {
        return json!({});
    }
    let mut map = serde_json::Map::new();
    for key in exposed_ports(world, c) {
        let bound: Vec<Value> = c
            .ports
            .iter()
            .filter(|p| format!("{}/{}", p.container_port, p.proto) == key)
            .map(|p| json!({"HostIp": p.host_ip, "HostPort": p.host_port.to_string()}))
            .collect();
        map.insert(key, if bound.is_empty() { Value::Null } else { Value::Array(bound) });
    }
    Value::Object(map)
}

/// `Config.ExposedPorts` (omitted when empty).
pub fn exposed_ports_json(world: &World, c: &Container) -> Option<Value> {
    let ports = exposed_ports(world, c);
    (!ports.is_empty()).then(|| Value::Object(ports.into_iter().map(|p| (p, json!({}))).collect()))
}

/// `docker port CONTAINER [PRIVATE_PORT[/PROTO]]`.
pub fn port_cmd(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let Some(name) = args.first() else {
        return arg_count_error(
            io,
            "port",
            "at least 1 argument",
            "CONTAINER [PRIVATE_PORT[/PROTO]]",
            "List port mappings or a specific mapping for the container",
        );
    };
    let Some(c) = world.named_container(name) else {
        no_such_container(io, name);
        return 1;
    };
    let mut lines: Vec<String> = Vec::new();
    match args.get(1) {
        Some(wanted) => {
            let (port, proto) = wanted.split_once('/').unwrap_or((wanted, "tcp"));
            for p in c.ports.iter().filter(|p| p.container_port.to_string() == port && p.proto == proto) {
                lines.push(join_host_port(&p.host_ip, p.host_port));
            }
            if lines.is_empty() {
                io.err_line(&format!("Error: No public port '{port}/{proto}' published for {name}"));
                return 1;
            }
        }
        None => {
            for p in &c.ports {
                lines.push(format!("{}/{} -> {}", p.container_port, p.proto, join_host_port(&p.host_ip, p.host_port)));
            }
            crate::sorting::sort(&mut lines);
        }
    }
    for l in lines {
        io.out_str(&format!("{l}\n"));
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_specs_parse_like_the_cli() {
        let b = parse_publish("127.0.0.1:8080:80").expect("valid");
        assert_eq!((b.host_ip.as_str(), b.host_port, b.container_port), ("127.0.0.1", Some(8080), 80));
        let b = parse_publish("80/udp").expect("valid");
        assert_eq!((b.host_port, b.proto.as_str()), (None, "udp"));
        assert_eq!(parse_publish("[::1]:8080:80").expect("valid").host_ip, "::1");
        assert_eq!(parse_publish("8080:abc").unwrap_err(), "invalid containerPort: abc");
        assert_eq!(parse_publish("99999:80").unwrap_err(), "invalid hostPort: 99999");
    }
}
