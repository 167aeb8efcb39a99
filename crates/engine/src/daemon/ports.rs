//! Host ports: what a container publishes, and binding them when it starts.
//!
//! The reference machine ran without a bridge network; the simulation publishes ports anyway,
//! as a default Docker install does, so the classic nginx tutorials work.

use super::DaemonError;
use crate::world::{BoundPort, Container, ContainerId, PortBinding, Status, World};

/// First port of Linux's ephemeral range (`ip_local_port_range`), where Docker starts `-P` ports.
const EPHEMERAL_FIRST: u16 = 32768;
const EPHEMERAL_LAST: u16 = 60999;

pub(crate) fn parse_port(s: &str) -> Option<u16> {
    s.parse::<u16>().ok().filter(|p| *p > 0)
}

/// The container ports a container exposes: the image's `EXPOSE`, plus every published one.
pub fn exposed_ports(world: &World, c: &Container) -> Vec<String> {
    let mut ports: Vec<String> = world.image_of(c).map(|im| im.config.exposed_ports.clone()).unwrap_or_default();
    for b in &c.host.port_bindings {
        let key = format!("{}/{}", b.container_port, b.proto);
        if !ports.contains(&key) {
            ports.push(key);
        }
    }
    crate::sorting::sort(&mut ports);
    ports
}

pub(crate) fn is_ipv6(ip: &str) -> bool {
    ip.contains(':')
}

/// Two bindings of the same port collide unless they are on distinct addresses of one family.
fn overlaps(a: &BoundPort, b: &BoundPort) -> bool {
    let wildcard = |ip: &str| ip == "0.0.0.0" || ip == "::";
    a.host_port == b.host_port
        && a.proto == b.proto
        && is_ipv6(&a.host_ip) == is_ipv6(&b.host_ip)
        && (a.host_ip == b.host_ip || wildcard(&a.host_ip) || wildcard(&b.host_ip))
}

/// Binds the host ports of container `id` (at start). Nothing changes on failure.
pub(crate) fn bind_ports(world: &mut World, id: &ContainerId) -> Result<(), DaemonError> {
    let Some(c) = world.container(id) else { return Ok(()) };
    let name = c.name.clone();
    let mut wanted: Vec<PortBinding> = c.host.port_bindings.clone();
    if c.host.publish_all {
        for key in exposed_ports(world, c) {
            let (port, proto) = key.split_once('/').unwrap_or((&key, "tcp"));
            let Some(container_port) = parse_port(port) else { continue };
            if !wanted.iter().any(|b| b.container_port == container_port && b.proto == proto) {
                wanted.push(PortBinding { container_port, proto: proto.into(), host_ip: String::new(), host_port: None });
            }
        }
    }
    let taken: Vec<BoundPort> =
        world.containers().iter().filter(|o| o.id != *id && o.status == Status::Running).flat_map(|o| o.ports.clone()).collect();
    let mut bound: Vec<BoundPort> = Vec::new();
    for b in wanted {
        let ips: Vec<String> = if b.host_ip.is_empty() { vec!["0.0.0.0".into(), "::".into()] } else { vec![b.host_ip.clone()] };
        let in_use = |port: u16, bound: &[BoundPort]| {
            ips.iter().any(|ip| {
                let p = BoundPort { container_port: b.container_port, proto: b.proto.clone(), host_ip: ip.clone(), host_port: port };
                taken.iter().chain(bound.iter()).any(|t| overlaps(t, &p))
            })
        };
        let host_port = match b.host_port {
            Some(p) => p,
            None => (EPHEMERAL_FIRST..=EPHEMERAL_LAST).find(|p| !in_use(*p, &bound)).unwrap_or(EPHEMERAL_LAST),
        };
        for ip in &ips {
            let p = BoundPort { container_port: b.container_port, proto: b.proto.clone(), host_ip: ip.clone(), host_port };
            if taken.iter().chain(bound.iter()).any(|t| overlaps(t, &p)) {
                let endpoint = world.ids().hex64();
                let shown = if is_ipv6(ip) { format!("[{ip}]") } else { ip.clone() };
                return Err(DaemonError::Start {
                    message: format!("driver failed programming external connectivity on endpoint {name} ({endpoint}): Bind for {shown}:{host_port} failed: port is already allocated"),
                    code: 125,
                });
            }
            bound.push(p);
        }
    }
    if let Some(c) = world.container_mut(id) {
        c.ports = bound;
    }
    Ok(())
}
