//! Docker's commands that reach past this machine's storage, answered as this machine's
//! Docker answers them (oracle-126): the one client context (`context`), no plugins
//! (`plugin`), a daemon outside swarm mode (`swarm`, `node`, `service`, `secret`, `config`,
//! `stack`), the default BuildKit builder (`buildx`, and `builder`, its alias), content trust
//! with no signatures (`trust`), a daemon without experimental features (`checkpoint`). What
//! would change state beyond the machine (a new context, a swarm, a plugin from a registry)
//! is not simulated and says so.

use serde_json::{json, Value};

use super::flags::{self, flag, opt};
use super::format::{self, tabwrite};
use super::messages::{arg_count_error, not_simulated, usage_error};
use crate::shell::{Io, Shell};
use crate::world::World;

/// What dockerd answers outside swarm mode.
const NOT_A_MANAGER: &str =
    "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

/// A management command without a subcommand prints its help on stderr (exit 0); with an
/// unknown one, exit 1.
fn group_usage(io: &mut Io, group: &str, sub: Option<&str>) -> i32 {
    io.err_str(super::help::page(group).unwrap_or_default());
    i32::from(sub.is_some())
}

pub(super) fn context(sh: &Shell, args: &[String], io: &mut Io) -> i32 {
    let (sub, rest) = match args.split_first() {
        Some((sub, rest)) => (sub.as_str(), rest),
        None => return group_usage(io, "context", None),
    };
    let parse = |specs: &[flags::Spec], io: &mut Io, path: &str| match flags::parse(rest, specs, false) {
        Ok(p) => Ok(p),
        Err(e) => Err(usage_error(io, path, &e)),
    };
    let home = sh.vars.get("HOME").cloned().unwrap_or_default();
    let not_found = |name: &str| {
        let digest = crate::daemon::layers::sha256_hex(name.as_bytes());
        format!("context \"{name}\": context not found: open {home}/.docker/contexts/meta/{digest}/meta.json: no such file or directory")
    };
    match sub {
        "ls" | "list" => {
            let parsed = match parse(&[flag("quiet", Some('q')), opt("format", None)], io, "context ls") {
                Ok(p) => p,
                Err(code) => return code,
            };
            // The client warns when the environment chooses the endpoint.
            if sh.vars.get("DOCKER_HOST").is_some_and(|h| !h.is_empty()) {
                io.err_line("Warning: DOCKER_HOST environment variable overrides the active context. To use a context, either set the global --context flag, or unset DOCKER_HOST environment variable.");
            }
            let row = json!({
                "Name": "default",
                "Description": "Current DOCKER_HOST based configuration",
                "DockerEndpoint": "unix:///var/run/docker.sock",
                "Current": true,
                "Error": "",
            });
            match (parsed.has("quiet"), parsed.get("format")) {
                (true, _) => io.out_str("default\n"),
                // Its JSON keeps `Current` a boolean and names the context type.
                (_, Some("json")) => io.out_str(
                    "{\"Name\":\"default\",\"Description\":\"Current DOCKER_HOST based configuration\",\"DockerEndpoint\":\"unix:///var/run/docker.sock\",\"Current\":true,\"Error\":\"\",\"ContextType\":\"moby\"}\n",
                ),
                (_, Some(template)) if template != "table" => {
                    let headers =
                        [("Name", "NAME"), ("Description", "DESCRIPTION"), ("DockerEndpoint", "DOCKER ENDPOINT"), ("Error", "ERROR")];
                    return format::print_list(io, template, &[row], &headers);
                }
                _ => io.out_str(&tabwrite(
                    "NAME\tDESCRIPTION\tDOCKER ENDPOINT\tERROR\ndefault *\tCurrent DOCKER_HOST based configuration\tunix:///var/run/docker.sock\t\n",
                )),
            }
            0
        }
        "show" => {
            if !rest.is_empty() {
                io.err_line("\"docker context show\" accepts no arguments.\nSee 'docker context show --help'.\n\nUsage:  docker context show\n\nPrint the name of the current context");
                return 1;
            }
            io.out_str("default\n");
            0
        }
        "inspect" => {
            let parsed = match parse(&[opt("format", Some('f'))], io, "context inspect") {
                Ok(p) => p,
                Err(code) => return code,
            };
            let names = if parsed.operands.is_empty() { vec!["default".to_string()] } else { parsed.operands.clone() };
            let (mut docs, mut missing) = (Vec::new(), Vec::new());
            for name in &names {
                match name.as_str() {
                    "default" => docs.push(default_context()),
                    other => missing.push(not_found(other)),
                }
            }
            match parsed.get("format") {
                Some(template) => {
                    for doc in &docs {
                        match format::render(template, doc) {
                            Ok(text) => io.out_str(&format!("{text}\n")),
                            Err(e) => {
                                io.err_line(&format!("template parsing error: {e}"));
                                return 1;
                            }
                        }
                    }
                }
                // Go's encoder writes `<` and `>` as escapes.
                None => io.out_str(&format!("{}\n", format::pretty(&Value::Array(docs)).replace('<', "\\u003c").replace('>', "\\u003e"))),
            }
            for line in &missing {
                io.err_line(line);
            }
            i32::from(!missing.is_empty())
        }
        "use" => match rest.first().map(String::as_str) {
            Some("default") => {
                io.out_str("default\n");
                io.err_line("Current context is now \"default\"");
                0
            }
            Some(other) => {
                io.err_line(&not_found(other));
                1
            }
            None => arg_count_error(io, "context use", "exactly 1 argument", "CONTEXT", "Set the current docker context"),
        },
        "rm" | "remove" => {
            let mut status = 0;
            for name in rest.iter().filter(|a| !a.starts_with('-')) {
                status = 1;
                if name == "default" {
                    io.err_line("default: context \"default\" cannot be removed");
                } else {
                    io.err_line(&format!("context \"{name}\" does not exist"));
                }
            }
            status
        }
        "create" => match rest.iter().find(|a| !a.starts_with('-')) {
            Some(name) if !valid_context_name(name) => {
                io.err_line(&format!(
                    "context name \"{name}\" is invalid, names are validated against regexp \"^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$\""
                ));
                1
            }
            _ => not_simulated(io, "context create", "the simulation has one Docker endpoint, the local daemon"),
        },
        "export" | "import" | "update" => {
            not_simulated(io, &format!("context {sub}"), "the simulation has one Docker endpoint, the local daemon")
        }
        _ => group_usage(io, "context", Some(sub)),
    }
}

/// docker/cli's context name rule: `^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$`.
fn valid_context_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && !chars.as_str().is_empty()
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.+-".contains(c))
}

fn default_context() -> Value {
    json!({
        "Name": "default",
        "Metadata": {},
        "Endpoints": {"docker": {"Host": "unix:///var/run/docker.sock", "SkipTLSVerify": false}},
        "TLSMaterial": {},
        "Storage": {"MetadataPath": "<IN MEMORY>", "TLSPath": "<IN MEMORY>"},
    })
}

pub(super) fn plugin(args: &[String], io: &mut Io) -> i32 {
    let Some((sub, rest)) = args.split_first() else { return group_usage(io, "plugin", None) };
    let names: Vec<&String> = rest.iter().filter(|a| !a.starts_with('-')).collect();
    match sub.as_str() {
        "ls" | "list" => {
            let specs = [flag("quiet", Some('q')), opt("format", None), flag("no-trunc", None), opt("filter", Some('f'))];
            let parsed = match flags::parse(rest, &specs, false) {
                Ok(p) => p,
                Err(e) => return usage_error(io, "plugin ls", &e),
            };
            // The daemon has no plugins: a table with its header only.
            if !parsed.has("quiet") && parsed.get("format").is_none_or(|f| f == "table") {
                io.out_str(&tabwrite("ID\tNAME\tDESCRIPTION\tENABLED\n"));
            }
            0
        }
        "inspect" | "rm" | "remove" | "enable" | "disable" | "set" => {
            if sub == "inspect" {
                io.out_str("[]\n");
            }
            // `set NAME KEY=VALUE` names one plugin; the others name each.
            let named = if sub == "set" { names.into_iter().take(1).collect() } else { names };
            for name in &named {
                io.err_line(&format!("Error response from daemon: plugin \"{name}\" not found"));
            }
            i32::from(!named.is_empty())
        }
        "install" | "create" | "push" | "upgrade" => {
            not_simulated(io, &format!("plugin {sub}"), "the daemon runs with its built-in drivers only (overlay2, local volumes)")
        }
        other => group_usage(io, "plugin", Some(other)),
    }
}

/// `swarm`, `node`, `service`, `secret`, `config`, `stack`: this daemon is in no swarm.
pub(super) fn swarm_mode(world: &World, sh: &Shell, group: &str, args: &[String], io: &mut Io) -> i32 {
    let Some((sub, rest)) = args.split_first() else { return group_usage(io, group, None) };
    let sub = sub.as_str();
    let manager_refusal = |io: &mut Io| {
        io.err_line(&format!("Error response from daemon: {NOT_A_MANAGER}"));
        1
    };
    match (group, sub) {
        ("swarm", "init") => not_simulated(io, "swarm init", "swarm mode is not simulated"),
        ("swarm", "join") => match rest.iter().filter(|a| !a.starts_with('-')).count() {
            1 => not_simulated(io, "swarm join", "swarm mode is not simulated"),
            _ => arg_count_error(io, "swarm join", "exactly 1 argument", "[OPTIONS] HOST:PORT", "Join a swarm as a node and/or manager"),
        },
        ("swarm", "leave") => {
            io.err_line("Error response from daemon: This node is not part of a swarm");
            1
        }
        ("swarm", "unlock") => {
            io.err_line("Error: This node is not part of a swarm");
            1
        }
        ("swarm", "unlock-key") => {
            io.err_line(&format!("could not fetch unlock key: Error response from daemon: {NOT_A_MANAGER}"));
            1
        }
        // Without a flag to change, `swarm update` prints its usage (exit 0).
        ("swarm", "update") if rest.is_empty() => {
            io.out_str(super::help::page("swarm update").unwrap_or_default());
            0
        }
        ("swarm", "join-token" | "ca" | "update") => manager_refusal(io),
        ("node" | "service" | "secret" | "config", "inspect") if !rest.is_empty() => {
            io.out_str("[]\n");
            io.err_line(&format!("Status: Error response from daemon: {NOT_A_MANAGER}, Code: 1"));
            1
        }
        ("stack", "deploy" | "up" | "config") => {
            // The compose file is read first.
            let file = rest.iter().position(|a| a == "-c" || a == "--compose-file").and_then(|at| rest.get(at + 1));
            let readable = file.is_some_and(|f| world.read(&sh.ctx, f).is_ok());
            match file {
                Some(f) if !readable => {
                    io.err_line(&format!("open {f}: no such file or directory"));
                    1
                }
                Some(_) if sub != "config" => {
                    io.err_line("Since --detach=false was not specified, tasks will be created in the background.");
                    io.err_line("In a future release, --detach=false will become the default.");
                    io.err_line(NOT_A_MANAGER.replacen("This", "this", 1).trim_end_matches('.'));
                    1
                }
                _ => not_simulated(io, &format!("stack {sub}"), "swarm mode is not simulated"),
            }
        }
        ("swarm", other) => group_usage(io, "swarm", Some(other)),
        (_, other) if super::help::page(&format!("{group} {other}")).is_some() => manager_refusal(io),
        (_, other) => group_usage(io, group, Some(other)),
    }
}

/// `docker buildx` (and `docker builder`): the default builder, BuildKit inside dockerd.
pub(super) fn buildx(world: &mut World, sh: &mut Shell, group: &str, args: &[String], io: &mut Io) -> i32 {
    let Some((sub, rest)) = args.split_first() else {
        if group == "builder" {
            return group_usage(io, "builder", None);
        }
        // `docker buildx` alone prints its help on stdout.
        io.out_str(super::help::page("buildx").unwrap_or_default());
        return 0;
    };
    match sub.as_str() {
        "build" | "b" => super::build::build(world, sh, rest, io),
        "prune" => super::builder::prune(world, rest, io),
        "ls" if rest.is_empty() => {
            io.out_str(&tabwrite(&format!(
                "NAME/NODE\tDRIVER/ENDPOINT\tSTATUS\tBUILDKIT\tPLATFORMS\ndefault*\tdocker\t\t\t\n \\_ default\t \\_ default\trunning\tv0.0.0+unknown\t{PLATFORMS}\n"
            )));
            0
        }
        "version" => {
            io.out_str("github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3\n");
            0
        }
        "inspect" if rest.iter().all(|a| a == "--bootstrap" || a == "default") => {
            io.out_str(&format!(
                "Name:   default\nDriver: docker\n\nNodes:\nName:             default\nEndpoint:         default\nStatus:           running\nBuildKit version: v0.0.0+unknown\nPlatforms:        {PLATFORMS}\nLabels:\n org.mobyproject.buildkit.worker.moby.host-gateway-ip: <nil>\n"
            ));
            0
        }
        "du" => super::builder::du(world, rest, io),
        "use" | "stop" if rest.iter().all(|a| a == "default") => 0,
        "rm" if rest.iter().any(|a| a == "default") => {
            io.err_line(
                "failed to remove default: context builder cannot be removed, run `docker context rm default` to remove this context",
            );
            io.err_line("ERROR: failed to remove one or more builders");
            1
        }
        other => match super::help::page(&format!("buildx {other}")) {
            Some(_) => not_simulated(io, &format!("{group} {other}"), "the simulation has one builder, dockerd's own BuildKit"),
            None => group_usage(io, group, Some(other)),
        },
    }
}

/// The platforms BuildKit in this dockerd builds for.
const PLATFORMS: &str = "linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/amd64/v4, linux/386";

pub(super) fn trust(args: &[String], io: &mut Io) -> i32 {
    let Some((sub, rest)) = args.split_first() else { return group_usage(io, "trust", None) };
    let names: Vec<&String> = rest.iter().filter(|a| !a.starts_with('-')).collect();
    match sub.as_str() {
        "inspect" if !names.is_empty() => {
            if !rest.iter().any(|a| a == "--pretty") {
                io.out_str("[]\n");
            }
            for name in &names {
                io.err_line(&format!("no signatures or cannot access {name}"));
            }
            1
        }
        "sign" if names.first().is_some_and(|n| !n.rsplit('/').next().unwrap_or(n).contains(':')) => {
            io.err_line(&format!("no tag specified for {}", names[0]));
            1
        }
        "inspect" | "sign" | "revoke" | "key" | "signer" => {
            not_simulated(io, &format!("trust {sub}"), "content trust signs images in a registry")
        }
        other => group_usage(io, "trust", Some(other)),
    }
}

/// Checkpoints need an experimental daemon; this one is not.
pub(super) fn checkpoint(args: &[String], io: &mut Io) -> i32 {
    let what = match args.first() {
        Some(sub) if matches!(sub.as_str(), "create" | "ls" | "list" | "rm" | "remove") => format!("checkpoint {sub}"),
        _ => "checkpoint".to_string(),
    };
    io.err_line(&format!("docker {what} is only supported on a Docker daemon with experimental features enabled"));
    1
}
