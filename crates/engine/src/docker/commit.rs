//! `docker commit` (with Dockerfile-style `--change`s, which `docker build` applies too),
//! `docker tag` and `docker export`.

use super::flags::{self, flag, opt};
use super::{arg_count_error, find_image, normalized_ref, usage_error};
use crate::shell::Io;
use crate::userland::tar;
use crate::vfs::{Ctx, Ns};
use crate::world::{HistoryEntry, Image, ImageConfig, World};

use crate::daemon::images::make_image;
use crate::daemon::layers::store_layer;

/// Applies a Dockerfile-style change (`CMD ["sh"]`, `ENV A=b`, …) to a config.
pub(super) fn apply_change(config: &mut ImageConfig, change: &str) -> Result<String, String> {
    let (inst, rest) = change.trim().split_once(char::is_whitespace).unwrap_or((change.trim(), ""));
    let rest = rest.trim();
    let json_or_shell = |rest: &str| -> Vec<String> {
        serde_json::from_str::<Vec<String>>(rest).unwrap_or_else(|_| vec!["/bin/sh".into(), "-c".into(), rest.to_string()])
    };
    match inst.to_ascii_uppercase().as_str() {
        "CMD" => {
            let cmd = json_or_shell(rest);
            let shown = go_quoted_list(&cmd);
            config.cmd = Some(cmd);
            Ok(format!("CMD {shown}"))
        }
        "ENTRYPOINT" => {
            let entrypoint = json_or_shell(rest);
            let shown = go_quoted_list(&entrypoint);
            config.entrypoint = Some(entrypoint);
            Ok(format!("ENTRYPOINT {shown}"))
        }
        "ENV" => {
            // Parsed as a Dockerfile's ENV is (quotes, escapes), without substitution.
            for (k, v) in super::dockerfile_vars::pairs(rest, &|_| None) {
                config.env.retain(|e| !e.starts_with(&format!("{k}=")));
                config.env.push(format!("{k}={v}"));
            }
            Ok(format!("ENV {rest}"))
        }
        "WORKDIR" => {
            config.working_dir = crate::fs::normalize(if config.working_dir.is_empty() { "/" } else { &config.working_dir }, rest);
            Ok(format!("WORKDIR {}", config.working_dir))
        }
        "USER" => {
            config.user = rest.to_string();
            Ok(format!("USER {rest}"))
        }
        "VOLUME" => {
            let vols: Vec<String> =
                serde_json::from_str::<Vec<String>>(rest).unwrap_or_else(|_| rest.split_whitespace().map(str::to_string).collect());
            for v in &vols {
                if !config.volumes.contains(v) {
                    config.volumes.push(v.clone());
                }
            }
            crate::sorting::sort(&mut config.volumes);
            Ok(format!("VOLUME [{}]", vols.join(" ")))
        }
        "LABEL" => {
            for (k, v) in super::dockerfile_vars::pairs(rest, &|_| None) {
                config.labels.insert(k, v);
            }
            Ok(format!("LABEL {rest}"))
        }
        "EXPOSE" => {
            for p in rest.split_whitespace() {
                let p = if p.contains('/') { p.to_string() } else { format!("{p}/tcp") };
                if !config.exposed_ports.contains(&p) {
                    config.exposed_ports.push(p);
                }
            }
            Ok(format!("EXPOSE map[{}]", config.exposed_ports.iter().map(|p| format!("{p}:{{}}")).collect::<Vec<_>>().join(" ")))
        }
        other => Err(format!("{} is not a valid change command", other.to_ascii_lowercase())),
    }
}

/// A string list as Go's `%q` prints it (BuildKit's history rows): `["python" "app.py"]`.
pub(super) fn go_quoted_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| serde_json::Value::String(s.clone()).to_string()).collect();
    format!("[{}]", quoted.join(" "))
}

pub fn commit(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(
        args,
        &[opt("change", Some('c')), opt("message", Some('m')), opt("author", Some('a')), flag("pause", Some('p'))],
        false,
    ) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "commit", &e),
    };
    let Some(name) = parsed.operands.first() else {
        return arg_count_error(
            io,
            "commit",
            "at least 1 and at most 2 arguments",
            "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
            "Create a new image from a container's changes",
        );
    };
    let Some(c) = world.named_container(name).cloned() else {
        super::no_such_container(io, name);
        return 1;
    };
    let Some(base) = world.image_of(&c).cloned() else { return 1 };
    let root = world.fs_mut().deep_copy(c.upper);
    let mut layers = base.layers.clone();
    let layer = store_layer(world, &layers, root);
    layers.push(layer);
    let mut config = base.config.clone();
    // The container's own Config: its entrypoint and command (an entrypoint the line gave
    // replaces the image's).
    config.cmd = c.config_cmd.clone();
    config.entrypoint = c.config_entrypoint.clone();
    config.env = c.env.clone();
    config.working_dir = c.working_dir.clone();
    config.user = c.user.clone();
    config.volumes = c.config_volumes.clone();
    config.labels = c.labels.clone();
    config.args_escaped = false;
    for ch in parsed.all("change") {
        if let Err(m) = apply_change(&mut config, &ch) {
            io.err_line(&format!("Error response from daemon: {m}"));
            return 1;
        }
    }
    let message = parsed.get("message").unwrap_or("").to_string();
    let created = world.clock().secs();
    let mut history = base.history.clone();
    history.push(HistoryEntry { created, created_by: c.command_line(), empty_layer: false, comment: message.clone() });
    let tags = parsed.operands.get(1).map(|r| vec![normalized_ref(r)]).unwrap_or_default();
    let last_tag_time = parsed.operands.get(1).map(|_| world.clock().nanos);
    let image = Image {
        id: String::new(),
        tags,
        layers,
        history,
        config,
        created,
        comment: message,
        parent: base.id.clone(),
        last_tag_time,
        size: 0,
    };
    let id = make_image(world, image);
    io.out_str(&format!("{id}\n"));
    0
}

pub fn tag(world: &mut World, args: &[String], io: &mut Io) -> i32 {
    if args.len() != 2 {
        return arg_count_error(
            io,
            "tag",
            "exactly 2 arguments",
            "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
            "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        );
    }
    if let Err(bad) = check_reference(&args[1]) {
        let why = match bad {
            BadReference::Format => String::new(),
            BadReference::Uppercase { full } => format!(": repository name ({full}) must be lowercase"),
        };
        io.err_line(&format!("Error parsing reference: \"{}\" is not a valid repository/tag: invalid reference format{why}", args[1]));
        return 1;
    }
    let Some(i) = find_image(world, &args[0]) else {
        io.err_line(&format!("Error response from daemon: No such image: {}", normalized_ref(&args[0])));
        return 1;
    };
    crate::daemon::images::tag(world, i, &normalized_ref(&args[1]));
    0
}

pub fn export(world: &mut World, sh: &crate::shell::Shell, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[opt("output", Some('o'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "export", &e),
    };
    let Some(name) = parsed.operands.first() else {
        return arg_count_error(
            io,
            "export",
            "exactly 1 argument",
            "[OPTIONS] CONTAINER",
            "Export a container's filesystem as a tar archive",
        );
    };
    let Some(id) = world.find_container(name) else {
        super::no_such_container(io, name);
        return 1;
    };
    if parsed.get("output").is_none() && io.stdout_terminal {
        io.err_line("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        return 1;
    }
    // The merged root file system without any mounts.
    let saved = world.container_mut(&id).map(|c| std::mem::take(&mut c.mounts)).unwrap_or_default();
    let ctx = Ctx::root(Ns::Container(id.clone()));
    let mut members = Vec::new();
    let mut errors = Vec::new();
    if let Ok(root) = world.resolve(&ctx, "/", true) {
        if let Ok(entries) = world.list(&ctx, &root) {
            for (n, _) in entries {
                tar::collect(world, &ctx, &format!("/{n}"), &n, &mut members, &mut errors);
            }
        }
    }
    if let Some(c) = world.container_mut(&id) {
        c.mounts = saved;
    }
    let bytes = tar::encode(&members);
    match parsed.get("output") {
        Some(path) => {
            // A relative path is the client's: from the shell's working directory.
            if let Err(e) = world.write_file(&sh.ctx, path, &crate::fs::Data::from_bytes(&bytes), crate::vfs::WriteMode::Truncate) {
                io.err_line(&format!("failed to export container: {e}"));
                return 1;
            }
        }
        None => io.out.extend_from_slice(&bytes),
    }
    0
}

/// Docker's reference grammar, for a new name: lowercase path components of letters and
/// digits joined by `.`, `_`, `__` or dashes, an optional registry, then an optional tag.
/// Why a reference is not a valid new name.
pub(super) enum BadReference {
    /// It breaks the grammar.
    Format,
    /// Its repository has capitals (`full`: the repository as Docker names it, `library/…`).
    Uppercase { full: String },
}

pub(super) fn check_reference(reference: &str) -> Result<(), BadReference> {
    let (name, tag) = match reference.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, Some(t)),
        _ => (reference, None),
    };
    let tag_ok = tag.is_none_or(|t| {
        let mut chars = t.chars();
        chars.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            && t.len() <= 128
    });
    let components: Vec<&str> = name.split('/').collect();
    // A first component with a dot or a colon, or `localhost`, is a registry.
    let path = match components.as_slice() {
        [first, rest @ ..] if !rest.is_empty() && (first.contains('.') || *first == "localhost") => rest,
        all => all,
    };
    let component_ok = |c: &&str| {
        !c.is_empty()
            && c.starts_with(|x: char| x.is_ascii_alphanumeric())
            && c.ends_with(|x: char| x.is_ascii_alphanumeric())
            && c.chars().all(|x| x.is_ascii_alphanumeric() || matches!(x, '.' | '_' | '-'))
    };
    if !tag_ok || !path.iter().all(component_ok) {
        return Err(BadReference::Format);
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        let full = if components.len() == 1 { format!("library/{name}") } else { name.to_string() };
        return Err(BadReference::Uppercase { full });
    }
    Ok(())
}
