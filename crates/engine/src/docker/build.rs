//! `docker build`: a BuildKit-like Dockerfile subset, its base images, steps, cache and progress output.

use std::collections::BTreeMap;

use super::flags::{self, flag, opt};
use super::{find_image, normalized_ref, usage_error};
use crate::shell::Io;
use crate::world::{HistoryEntry, Image, ImageConfig, World};

use super::build_output;
use super::build_step::{self, build_step, dockerignore, unresolved_source, BuildContext, StepError};
use super::buildkit::{hub_name, hub_repository};
use super::commit::apply_change;
use super::dockerfile::{needed, parse_dockerfile, stage_named, stages, Instruction};
use super::dockerfile_vars::{self as vars, Args, Mode};
use crate::build_cache::SourcePart;
use crate::daemon::build_cache;
use crate::daemon::images::make_image;
use crate::daemon::layers::{sha256_hex, store_layer};

pub fn build(world: &mut World, sh: &crate::shell::Shell, args: &[String], io: &mut Io) -> i32 {
    build_labeled(world, sh, args, io, None)
}

/// `docker build`; compose builds a service's image with the service name in every step's name.
pub fn build_labeled(world: &mut World, sh: &crate::shell::Shell, args: &[String], io: &mut Io, label: Option<&str>) -> i32 {
    // A build only adds to the cache: what it left is what is new at the end.
    let before = world.build_cache().records().len();
    let status = run_build(world, sh, args, io, label);
    let added = world.build_cache().records().get(before..).unwrap_or_default();
    if !added.is_empty() {
        let bytes = added.iter().map(|r| r.size).sum();
        world.emit(crate::events::Event::BuildCacheRecorded { records: added.len(), bytes });
    }
    status
}

fn run_build(world: &mut World, sh: &crate::shell::Shell, args: &[String], io: &mut Io, label: Option<&str>) -> i32 {
    let specs = [
        opt("tag", Some('t')),
        opt("file", Some('f')),
        flag("quiet", Some('q')),
        opt("network", None),
        flag("no-cache", None),
        opt("build-arg", None),
        opt("progress", None),
        flag("pull", None),
        opt("target", None),
        opt("platform", None),
        opt("label", None),
        // Accepted as Docker accepts them, without a file effect here: networking, cache and
        // attestations for a registry, secrets, resources (docs/fidelity/reasons.txt).
        opt("add-host", None),
        opt("allow", None),
        opt("annotation", None),
        opt("attest", None),
        opt("builder", None),
        opt("cache-from", None),
        opt("cache-to", None),
        opt("cgroup-parent", None),
        flag("load", None),
        opt("no-cache-filter", None),
        opt("provenance", None),
        opt("sbom", None),
        opt("secret", None),
        opt("shm-size", None),
        opt("ssh", None),
        opt("ulimit", None),
        opt("iidfile", None),
        opt("metadata-file", None),
        opt("output", Some('o')),
        flag("push", None),
        opt("build-context", None),
    ];
    let parsed = match flags::parse(args, &specs, false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "buildx build", &e),
    };
    let Some(context) = parsed.operands.first() else {
        io.err_line("ERROR: \"docker buildx build\" requires exactly 1 argument.");
        io.err_line("See 'docker buildx build --help'.");
        io.err_line("");
        io.err_line("Usage:  docker buildx build [OPTIONS] PATH | URL | -");
        io.err_line("");
        io.err_line("Start a build");
        return 1;
    };
    // Each tag is checked before anything is read.
    for t in parsed.all("tag") {
        if let Err(bad) = super::commit::check_reference(&t) {
            let why = match bad {
                super::commit::BadReference::Uppercase { .. } => "repository name must be lowercase",
                super::commit::BadReference::Format => "invalid reference format",
            };
            io.err_line(&format!("ERROR: invalid tag \"{t}\": {why}"));
            return 1;
        }
    }
    // `-` as the context: the Dockerfile comes on standard input, with no context at all;
    // `-f -`: the Dockerfile on standard input, the context from the path.
    let no_context = context == "-";
    let from_stdin = no_context || parsed.get("file") == Some("-");
    let ctx_dir = if no_context { sh.ctx.cwd.clone() } else { crate::fs::normalize(&sh.ctx.cwd, context) };
    let dockerfile_path = match parsed.get("file") {
        Some(f) if !from_stdin => crate::fs::normalize(&sh.ctx.cwd, f),
        _ => format!("{ctx_dir}/Dockerfile"),
    };
    let user_ctx = sh.ctx.clone();
    let exporter = match super::build_output::exporter(parsed.get("output")) {
        Ok(e) => e,
        Err(m) => {
            io.err_line(&format!("ERROR: {m}"));
            return 1;
        }
    };
    // `--build-context NAME=DIR`: more directories, which `COPY --from=NAME` reads.
    let mut named = BTreeMap::new();
    for spec in parsed.all("build-context") {
        let Some((name, path)) = spec.split_once('=') else {
            io.err_line(&format!("ERROR: invalid context value: {spec}, expected key=value"));
            return 1;
        };
        let dir = crate::fs::normalize(&sh.ctx.cwd, path);
        if world.stat(&user_ctx, &dir, true).is_err() {
            io.err_line(&format!("ERROR: failed to get build context {name}: stat {path}: no such file or directory"));
            return 1;
        }
        named.insert(name.to_string(), dir);
    }
    if world.stat(&user_ctx, &ctx_dir, true).is_err() {
        io.err_line(&format!("ERROR: unable to prepare context: path \"{context}\" not found"));
        return 1;
    }
    let read = if from_stdin { Ok(std::mem::take(&mut io.stdin)) } else { world.read(&user_ctx, &dockerfile_path).map(|d| d.to_vec()) };
    let text = match read {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => {
            // The name as given; the progress (not with -q) got as far as loading it (oracle-142).
            let name = parsed.get("file").unwrap_or("Dockerfile");
            // A directory that is not there stops buildx before it starts.
            let dir = name.rsplit_once('/').map(|(d, _)| d).unwrap_or_default();
            if !dir.is_empty() && world.stat(&user_ctx, &crate::fs::normalize(&sh.ctx.cwd, dir), true).is_err() {
                io.err_line(&format!("ERROR: resolve : lstat {dir}: no such file or directory"));
                return 1;
            }
            if !parsed.has("quiet") {
                io.err_line("#0 building with \"default\" instance using docker driver");
                io.err_line("");
                io.err_line(&format!("#1 [internal] load build definition from {}", crate::fs::parent_and_name(name).1));
                io.err_line("#1 transferring dockerfile: 2B done");
                io.err_line("#1 DONE 0.0s");
            }
            io.err_line(&format!("ERROR: failed to solve: failed to read dockerfile: open {name}: no such file or directory"));
            return 1;
        }
    };
    // BuildKit keeps what it synced from the client, the Dockerfile first.
    build_cache::source(world, &ctx_dir, SourcePart::Dockerfile, text.len() as u64);
    let instructions = match parse_dockerfile(&text) {
        Ok(i) => i,
        Err((line, message)) => {
            // The line it could not read is shown among its neighbours.
            let failure = BuildFailure { message, step: Some((String::new(), Vec::new(), line)) };
            io.err_str(&failure.excerpt(&text, &crate::fs::parent_and_name(&dockerfile_path).1, true));
            io.err_line(&format!("ERROR: failed to solve: {}", failure.message));
            return 1;
        }
    };
    if let Some(mode) = parsed.get("progress").filter(|m| parsed.has("quiet") && matches!(*m, "plain" | "tty" | "rawjson")) {
        io.err_line(&format!("ERROR: progress={mode} and quiet cannot be used together"));
        return 1;
    }
    let network_none = parsed.get("network") == Some("none");
    let no_cache = parsed.has("no-cache");
    let quiet = parsed.has("quiet");
    let mut progress = Progress::new(label);
    let file_name = crate::fs::parent_and_name(&dockerfile_path).1;
    progress.vertex(
        &format!("[internal] load build definition from {file_name}"),
        &[format!("transferring dockerfile: {} done", sent_size(&text, &file_name))],
    );
    // `--build-arg NAME=VALUE`, or `NAME` for the client's own variable of that name.
    let given: Vec<(String, String)> = parsed
        .all("build-arg")
        .iter()
        .filter_map(|a| match a.split_once('=') {
            Some((k, v)) => Some((k.to_string(), v.to_string())),
            None => sh.exported.contains(a).then(|| sh.vars.get(a).map(|v| (a.clone(), v.clone()))).flatten(),
        })
        .collect();
    let mut args = Args::new(given);
    if let Some(bare) = instructions.iter().find(|i| i.keyword == "ARG" && i.args.is_empty()) {
        let failure = BuildFailure {
            message: format!("dockerfile parse error on line {}: ARG requires at least one argument", bare.line),
            step: Some((String::new(), Vec::new(), bare.line)),
        };
        io.err_str(&failure.excerpt(&text, &file_name, true));
        io.err_line(&format!("ERROR: failed to solve: {}", failure.message));
        return 1;
    }
    // The arguments before the first FROM are what a FROM line may name.
    for inst in instructions.iter().take_while(|i| i.keyword != "FROM").filter(|i| i.keyword == "ARG") {
        args.declare(&inst.args, false, &|_| None);
    }
    let base_of = |inst: &Instruction, args: &Args| {
        let word = inst.args.split_whitespace().next().unwrap_or("");
        vars::substitute(word, &|n| args.value(n, false), Mode::Words)
    };
    // The stages, and those the target needs (BuildKit builds no other).
    let stages = stages(&instructions);
    let stage_bases: Vec<String> = stages.iter().map(|s| base_of(&instructions[s.range.start], &args)).collect();
    let target = match parsed.get("target") {
        None => stages.len().saturating_sub(1),
        Some(name) => match stages.iter().position(|s| s.alias.as_deref() == Some(name.to_ascii_lowercase().as_str())) {
            Some(n) => n,
            None => {
                io.err_line(&format!("ERROR: failed to solve: target stage \"{name}\" could not be found"));
                return 1;
            }
        },
    };
    let needed = if stages.is_empty() { Vec::new() } else { needed(&stages, &instructions, &stage_bases, target) };
    let from_stage = |n: usize| stage_named(&stages, &stage_bases[n], n);
    let mut bases: Vec<&str> = Vec::new();
    for (n, base) in stage_bases.iter().enumerate() {
        if needed[n] && from_stage(n).is_none() && base != "scratch" && !bases.contains(&base.as_str()) {
            bases.push(base);
        }
    }
    for b in &bases {
        progress.vertex(&format!("[internal] load metadata for {}", hub_name(b)), &[]);
    }
    // The names `COPY --from` reads: named contexts are loaded like the main one, and the
    // build's steps then belong to a stage named `stage-0` (as with several stages).
    let froms: Vec<&str> = instructions.iter().filter_map(Instruction::from).collect();
    for name in named.keys().filter(|n| froms.contains(&n.as_str())) {
        progress.vertex(&format!("[context {name}] load .dockerignore"), &[format!("transferring {name}: 2B done")]);
    }
    let staged = stages.len() > 1 || !froms.is_empty() || instructions.iter().any(Instruction::run_binds_context);
    let mut stage = String::new();
    let mut loaded_named: Vec<&str> = Vec::new();
    // A `.dockerignore` is sent with its stat record, as the Dockerfile is; none is 2 bytes.
    let ignore_file = format!("{}/.dockerignore", ctx_dir.trim_end_matches('/'));
    let ignore_sent = match world.read(&user_ctx, &ignore_file) {
        Ok(d) if !no_context => sent_size(&String::from_utf8_lossy(&d.to_vec()), ".dockerignore"),
        _ => "2B".to_string(),
    };
    progress.vertex("[internal] load .dockerignore", &[format!("transferring context: {ignore_sent} done")]);
    let ignore_size = world.read(&user_ctx, &ignore_file).map_or(0, |d| d.len());
    build_cache::source(world, &ctx_dir, SourcePart::DockerIgnore, if no_context { 0 } else { ignore_size });
    // Each stage counts its own steps; a FROM is one when it names an image, not a stage.
    let totals: Vec<usize> = (0..stages.len())
        .map(|n| {
            let steps = instructions[stages[n].range.clone()]
                .iter()
                .filter(|i| matches!(i.keyword.as_str(), "FROM" | "RUN" | "COPY" | "ADD" | "WORKDIR"))
                .count();
            steps - usize::from(from_stage(n).is_some())
        })
        .collect();
    let mut total = 0;
    // What each stage built: its layers, configuration and history.
    let mut built: BTreeMap<usize, (Vec<usize>, ImageConfig, Vec<HistoryEntry>)> = BTreeMap::new();
    let mut current: Option<usize> = None;
    // The stages one of whose RUNs binds the context (read once, not at each step).
    let binds_context: Vec<bool> =
        stages.iter().map(|st| instructions[st.range.clone()].iter().any(Instruction::run_binds_context)).collect();
    let mut shown_bases: Vec<String> = Vec::new();
    let mut step = 0;
    let mut context_loaded = false;
    let mut layers: Vec<usize> = Vec::new();
    let mut config = ImageConfig { env: vec![crate::images::PATH_ENV.into()], working_dir: String::new(), ..ImageConfig::default() };
    let mut history: Vec<HistoryEntry> = Vec::new();
    let now = world.clock().secs();
    let mut seen_from = false;
    let mut failure: Option<BuildFailure> = None;
    // The stage's base image layers, recorded in the build cache when a step first runs on them.
    let mut pending_base: Option<(Vec<usize>, String)> = None;
    // A cached step's record, used (counted) only if a step runs on it or it ends its stage.
    let mut last_cached: Option<usize> = None;
    // Without a context, nothing is there to copy.
    let ignore = if no_context { vec![(false, vec![('*', false)])] } else { dockerignore(world, &user_ctx, &ctx_dir) };
    let context = BuildContext { dir: &ctx_dir, reader: &user_ctx, ignore, named: &named, network_none };
    for (at, inst) in instructions.iter().enumerate() {
        let stage_no = stages.iter().position(|s| s.range.contains(&at));
        if stage_no.is_some_and(|n| !needed[n]) {
            continue;
        }
        // What an ENV set, then what an ARG of the stage holds (oracle-106).
        let env_value = |config: &ImageConfig, n: &str| {
            config.env.iter().find_map(|e| e.strip_prefix(n).and_then(|r| r.strip_prefix('='))).map(str::to_string)
        };
        let lookup = |n: &str| env_value(&config, n).or_else(|| args.value(n, true));
        let args_text = match inst.keyword.as_str() {
            "RUN" | "CMD" | "ENTRYPOINT" | "ARG" | "ENV" | "LABEL" | "FROM" | "SHELL" | "HEALTHCHECK" | "ONBUILD" => inst.args.clone(),
            // JSON lists keep their form, each item substituted.
            _ => match serde_json::from_str::<Vec<String>>(&inst.args) {
                Ok(items) => serde_json::to_string(&items.iter().map(|i| vars::substitute(i, &lookup, Mode::Words)).collect::<Vec<_>>())
                    .unwrap_or_default(),
                Err(_) => vars::words(&inst.args).iter().map(|w| vars::substitute(w, &lookup, Mode::Words)).collect::<Vec<_>>().join(" "),
            },
        };
        match inst.keyword.as_str() {
            "ARG" if !seen_from => {}
            "ARG" => {
                let shown = args.declare(&args_text, true, &|n| env_value(&config, n));
                history.push(HistoryEntry {
                    created: now,
                    created_by: format!("ARG {shown}"),
                    empty_layer: true,
                    comment: "buildkit.dockerfile.v0".into(),
                });
            }
            "FROM" => {
                let n = stage_no.unwrap_or_default();
                if let Some(done) = current.replace(n) {
                    built.insert(done, (std::mem::take(&mut layers), config.clone(), std::mem::take(&mut history)));
                }
                (step, total) = (0, totals.get(n).copied().unwrap_or_default());
                stage = if staged { format!("{} ", stages[n].label(n)) } else { String::new() };
                args.new_stage();
                pending_base = None;
                if let Some(at) = last_cached.take() {
                    build_cache::touch(world, at);
                }
                let base = base_of(inst, &args);
                if let Some((from_layers, from_config, from_history)) = from_stage(n).and_then(|k| built.get(&k)) {
                    // A stage that starts from another goes on from what that one built.
                    (layers, config, history) = (from_layers.clone(), from_config.clone(), from_history.clone());
                    seen_from = true;
                    continue;
                }
                step += 1;
                if base == "scratch" {
                    layers.clear();
                    history.clear();
                    config = ImageConfig::default();
                } else {
                    let Some(resolved) = resolve_base(world, &base) else {
                        failure =
                            Some(BuildFailure { message: unresolved_source(&base), step: Some((String::new(), Vec::new(), inst.line)) });
                        break;
                    };
                    let from = format!("[{stage}{step}/{total}] FROM {}", resolved.shown);
                    // Stages on one base share its vertex, shown once.
                    if shown_bases.contains(&resolved.shown) {
                    } else if label.is_some() && resolved.lines.is_empty() {
                        // Compose's builds tell a base already on the machine as CACHED (oracle-106).
                        progress.cached_vertex(&from);
                    } else {
                        progress.vertex(&from, &resolved.lines);
                    }
                    shown_bases.push(resolved.shown.clone());
                    // BuildKit readies each document COPY and ADD write before the steps.
                    let documents: usize = instructions[stages[n].range.clone()]
                        .iter()
                        .filter(|i| matches!(i.keyword.as_str(), "COPY" | "ADD"))
                        .map(|i| i.heredocs.len())
                        .sum();
                    for _ in 0..documents {
                        progress.vertex("[internal] preparing inline document", &[]);
                    }
                    let description =
                        if resolved.lines.is_empty() { "from local ".to_string() } else { format!("pulled from {}", resolved.shown) };
                    if resolved.lines.is_empty() {
                        pending_base = Some((resolved.layers.clone(), description));
                    } else {
                        // What the build fetched only the cache holds.
                        build_cache::base(world, &resolved.layers, &description);
                    }
                    layers = resolved.layers;
                    config = resolved.config;
                    // ONBUILD triggers are the base's, not passed on (nor run here).
                    config.on_build.clear();
                    history = resolved.history;
                }
                seen_from = true;
            }
            _ if !seen_from => {
                failure = Some(BuildFailure::plain("no build stage in current context".into()));
                break;
            }
            "RUN" | "COPY" | "ADD" | "WORKDIR" => {
                step += 1;
                let from = inst.from();
                let from_built = from.and_then(|name| stage_named(&stages, name, stage_no.unwrap_or_default())).and_then(|k| built.get(&k));
                // The context is loaded before the first step that reads it (before a stage's
                // first step when one of its RUNs binds it).
                let stage_binds = stage_no.is_some_and(|n| binds_context[n]);
                let reads = inst.reads_context() || (stage_binds && !context_loaded) || from.is_some();
                if matches!(inst.keyword.as_str(), "COPY" | "ADD" | "RUN") && from_built.is_none() && reads {
                    let (vertex, dir, what) = match from.and_then(|n| named.get_key_value(n)) {
                        Some((name, dir)) if !loaded_named.contains(&name.as_str()) => {
                            loaded_named.push(name);
                            (format!("[context {name}] load from client"), dir.as_str(), name.as_str())
                        }
                        None if from.is_none() && !context_loaded => {
                            context_loaded = true;
                            let bytes = if no_context { 0 } else { build_step::context_bytes(world, &context, &instructions) };
                            build_cache::source(world, &ctx_dir, SourcePart::Context, bytes);
                            ("[internal] load build context".to_string(), ctx_dir.as_str(), "context")
                        }
                        _ => (String::new(), "", ""),
                    };
                    if !vertex.is_empty() {
                        // Without a context (`docker build -`), an empty one is sent.
                        let (bytes, _) = world
                            .resolve(&user_ctx, dir, true)
                            .ok()
                            .filter(|_| !no_context)
                            .map(|l| world.fs().usage(l.top()))
                            .unwrap_or((0, 0));
                        progress.vertex(&vertex, &[format!("transferring {what}: {}B done", bytes.max(2))]);
                    }
                }
                // What a RUN executes: its shell and command, without its `--mount` flags (the
                // history keeps it, the build cache describes the step by it).
                let run_exec = (inst.keyword == "RUN").then(|| {
                    let shell = config.shell.as_ref().map_or_else(|| "/bin/sh -c".to_string(), |s| s.join(" "));
                    format!("{shell} {}", inst.run_script(&super::run_mounts::split(&args_text).1))
                });
                let created_by = match inst.keyword.as_str() {
                    "RUN" => format!("RUN {}{} # buildkit", args.history_prefix(), run_exec.as_deref().unwrap_or_default()),
                    "WORKDIR" => format!(
                        "WORKDIR {}",
                        crate::fs::normalize(if config.working_dir.is_empty() { "/" } else { &config.working_dir }, &args_text)
                    ),
                    // A stage's name is not kept in the history (`COPY --from=build /a /a` is `COPY /a /a`).
                    // The flags kept come `--chown` first, then `--chmod` (BuildKit's order).
                    k => {
                        let words: Vec<&str> = args_text.split(' ').filter(|w| !w.starts_with("--from=")).collect();
                        let rank = |w: &str| match w.split('=').next() {
                            Some("--chown") => 0,
                            Some("--chmod") => 1,
                            _ => 2,
                        };
                        let mut flags: Vec<&str> = words.iter().copied().filter(|w| w.starts_with("--")).collect();
                        flags.sort_by_key(|w| rank(w));
                        let kept: Vec<&str> = flags.into_iter().chain(words.iter().copied().filter(|w| !w.starts_with("--"))).collect();
                        format!("{k} {} # buildkit", kept.join(" "))
                    }
                };
                // A RUN step's name shows the variables that have a value (BuildKit's display).
                let shown = match inst.script_heredoc() {
                    // `RUN <<EOF (its first line...)`.
                    Some(doc) => {
                        let mut lines = doc.body.lines();
                        let first = lines.next().unwrap_or("");
                        format!("{args_text} ({first}{})", if lines.next().is_some() { "..." } else { "" })
                    }
                    None if inst.keyword == "RUN" => vars::substitute(&args_text, &lookup, Mode::Name),
                    None => args_text.clone(),
                };
                let name = format!("[{stage}{step}/{total}] {} {shown}", inst.keyword);
                let run_env: Vec<String> =
                    args.environment().into_iter().filter(|e| env_value(&config, e.split('=').next().unwrap_or("")).is_none()).collect();
                let step_args = if inst.keyword == "RUN" { inst.run_script(&args_text) } else { args_text.clone() };
                let step_inst =
                    Instruction { keyword: inst.keyword.clone(), args: step_args, line: inst.line, heredocs: inst.heredocs.clone() };
                // BuildKit keys a RUN step by its parent and its command with the arguments; other
                // steps here by what they make.
                let parent_chain = layers.last().map(|l| world.layers()[*l].chain_id.clone()).unwrap_or_default();
                let step_key = format!("{parent_chain}\n{created_by}");
                let cached_run = (inst.keyword == "RUN" && !no_cache).then(|| build_cache::cached_step(world, &step_key, None)).flatten();
                if let Some((l, at)) = cached_run {
                    last_cached = Some(at);
                    progress.cached_vertex(&name);
                    layers.push(l);
                    history.push(HistoryEntry { created: now, created_by, empty_layer: false, comment: "buildkit.dockerfile.v0".into() });
                    continue;
                }
                let (root, output) =
                    match build_step(world, &layers, &config, &step_inst, &context, &run_env, from_built.map(|b| b.0.as_slice())) {
                        Ok(r) => r,
                        Err(StepError { output, message }) => {
                            progress.failed_vertex(&name, &output, &message);
                            failure = Some(BuildFailure { message, step: Some((progress.labeled(&name), output, inst.line)) });
                            break;
                        }
                    };
                if inst.keyword == "WORKDIR" {
                    let _ = apply_change(&mut config, &format!("WORKDIR {args_text}"));
                }
                let l = store_layer(world, &layers, root);
                // A step is cached when the same step on the same parent made this layer before,
                // not when another step happened to make the same files.
                let cached = (inst.keyword != "RUN" && !no_cache).then(|| build_cache::cached_step(world, &step_key, Some(l))).flatten();
                if let Some((_, at)) = cached {
                    last_cached = Some(at);
                    progress.cached_vertex(&name);
                } else {
                    // The step runs on what the one before made: a cached step, or the base.
                    if let Some(at) = last_cached.take() {
                        build_cache::touch(world, at);
                    } else if let Some((base_layers, description)) = pending_base.take() {
                        build_cache::base(world, &base_layers, &description);
                    }
                    // BuildKit describes a RUN by what it executed, other steps by their name.
                    let description = match &run_exec {
                        Some(exec) => format!("mount / from exec {exec}"),
                        None => name.clone(),
                    };
                    build_cache::step(world, &step_key, l, layers.last().copied(), description);
                    progress.run_vertex(&name, &output);
                }
                layers.push(l);
                history.push(HistoryEntry { created: now, created_by, empty_layer: false, comment: "buildkit.dockerfile.v0".into() });
            }
            "ENV" | "LABEL" => {
                let pairs = vars::pairs(&args_text, &lookup);
                for (k, v) in &pairs {
                    if inst.keyword == "ENV" {
                        // A variable set again keeps its place (PATH stays first).
                        let pair = format!("{k}={v}");
                        match config.env.iter_mut().find(|e| e.split('=').next() == Some(k.as_str())) {
                            Some(e) => *e = pair,
                            None => config.env.push(pair),
                        }
                    } else {
                        config.labels.insert(k.clone(), v.clone());
                    }
                }
                let shown: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                history.push(HistoryEntry {
                    created: now,
                    created_by: format!("{} {}", inst.keyword, shown.join(" ")),
                    empty_layer: true,
                    comment: "buildkit.dockerfile.v0".into(),
                });
            }
            "SHELL" | "STOPSIGNAL" | "HEALTHCHECK" | "ONBUILD" => {
                match super::dockerfile_meta::apply(&mut config, &inst.keyword, &args_text) {
                    Ok(Some(created_by)) => {
                        history.push(HistoryEntry { created: now, created_by, empty_layer: true, comment: "buildkit.dockerfile.v0".into() })
                    }
                    Ok(None) => {}
                    Err(m) => {
                        failure = Some(BuildFailure::plain(m));
                        break;
                    }
                }
            }
            "MAINTAINER" => {}
            _ => match apply_change(&mut config, &format!("{} {}", inst.keyword, args_text)) {
                Ok(created_by) => {
                    history.push(HistoryEntry { created: now, created_by, empty_layer: true, comment: "buildkit.dockerfile.v0".into() })
                }
                Err(m) => {
                    failure = Some(BuildFailure::plain(m));
                    break;
                }
            },
        }
    }
    if let Some(at) = last_cached.take() {
        build_cache::touch(world, at);
    }
    if let Some(f) = failure {
        if label.is_some() {
            // Compose prints BuildKit's progress on its standard output (oracle-106).
            io.out_str(&format!("{}{}", progress.text, f.step_block()));
            io.err_str(&f.dockerfile_lines(&text, &file_name));
        } else {
            if !quiet {
                show_progress(io, &progress.text, label);
            }
            io.err_str(&f.excerpt(&text, &file_name, quiet));
        }
        io.err_line(&format!("ERROR: failed to solve: {}", f.message));
        return 1;
    }
    // `--label K=V`: image labels, as a LABEL instruction at the end would set them.
    for l in parsed.all("label") {
        let (k, v) = l.split_once('=').unwrap_or((&l, ""));
        config.labels.insert(k.to_string(), v.to_string());
    }
    if let Some(exporter) = &exporter {
        // The files go to the client; no image is stored (oracle-37).
        return match build_output::export(world, &user_ctx, exporter, &layers, &config, io) {
            Ok((vertex, line)) => {
                if quiet {
                    io.out_str("\n");
                } else {
                    progress.vertex(vertex, &[line]);
                    show_progress(io, &progress.text, label);
                }
                0
            }
            Err(m) => {
                io.err_line(&format!("ERROR: {m}"));
                1
            }
        };
    }
    let tags: Vec<String> = parsed.all("tag").iter().map(|t| normalized_ref(t)).collect();
    let (comment, last_tag_time) = ("buildkit.dockerfile.v0".to_string(), Some(world.clock().nanos));
    let image = Image {
        id: String::new(),
        tags: tags.clone(),
        layers,
        history,
        config,
        created: now,
        comment,
        parent: String::new(),
        last_tag_time,
        size: 0,
    };
    let id = make_image(world, image);
    if parsed.has("push") {
        // The simulated registry takes pulls only: Docker Hub refuses a push without a login.
        let target = tags.first().map(|t| hub_name(t)).unwrap_or_default();
        if !quiet {
            show_progress(io, &progress.text, label);
        }
        io.err_line(&format!("ERROR: failed to solve: failed to push {target}: push access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"));
        return 1;
    }
    if quiet {
        io.out_str(&format!("{id}\n"));
    } else {
        let mut export = vec!["exporting layers done".to_string(), format!("writing image {id} done")];
        for t in parsed.all("tag") {
            export.push(format!("naming to {} done", hub_repository(&t)));
        }
        progress.vertex("exporting to image", &export);
        show_progress(io, &progress.text, label);
    }
    let mut status = 0;
    if let Some(path) = parsed.get("iidfile") {
        if let Err(m) = build_output::write_iidfile(world, &user_ctx, path, &id) {
            io.err_line(&format!("ERROR: {m}"));
            status = 1;
        }
    }
    if let Some(path) = parsed.get("metadata-file") {
        if let Err(m) = build_output::write_metadata(world, &user_ctx, path, &id, &tags) {
            io.err_line(&format!("ERROR: {m}"));
            status = 1;
        }
    }
    status
}

/// BuildKit's progress: on the standard error of `docker build`, on the standard output of
/// a compose command that builds (oracle-106).
/// What BuildKit counts as a file's transfer (the Dockerfile, `.dockerignore`): the file and its
/// stat record (27 bytes and its name), in go-units' decimal sizes.
fn sent_size(text: &str, file_name: &str) -> String {
    // An empty file's record has no size and no data follows it.
    let sent = if text.is_empty() { 21 + file_name.len() } else { text.len() + 27 + file_name.len() };
    super::format::human_size(sent as f64, 3)
}

fn show_progress(io: &mut Io, text: &str, label: Option<&str>) {
    if label.is_some() {
        io.out_str(text);
    } else {
        io.err_str(text);
    }
}

/// A base image for `FROM`: from the local store, or fetched from the registry into the build cache.
struct Base {
    shown: String,
    lines: Vec<String>,
    layers: Vec<usize>,
    config: ImageConfig,
    history: Vec<HistoryEntry>,
}

fn resolve_base(world: &mut World, base: &str) -> Option<Base> {
    if let Some(i) = find_image(world, base) {
        let im = world.images()[i].clone();
        return Some(Base { shown: hub_name(base), lines: Vec::new(), layers: im.layers, config: im.config, history: im.history });
    }
    let crate::catalog::Lookup::Found(image) = crate::catalog::lookup(base) else { return None };
    let fetched = crate::catalog::materialize(world, &image);
    let digest = format!("sha256:{}", sha256_hex(format!("manifest {}:{}", image.repository, image.tag).as_bytes()));
    let shown = format!("{}@{digest}", hub_name(base));
    let mut lines = vec![format!("resolve {shown} done")];
    // BuildKit keeps what it pulled for a build in its cache, not in the image list.
    for (l, existed) in fetched.layers.iter().zip(&fetched.existed) {
        if !existed {
            let blob = sha256_hex(format!("blob {}", world.layers()[*l].diff_id).as_bytes());
            lines.push(format!("extracting sha256:{blob} done"));
        }
    }
    Some(Base { shown, lines, layers: fetched.layers, config: fetched.config, history: fetched.history })
}

/// BuildKit's plain progress output, one numbered vertex after another.
struct Progress {
    text: String,
    next: usize,
    /// The compose service being built, named in each vertex (`[web 1/3] FROM …`).
    label: Option<String>,
}

impl Progress {
    fn new(label: Option<&str>) -> Progress {
        Progress { text: "#0 building with \"default\" instance using docker driver\n".into(), next: 1, label: label.map(str::to_string) }
    }

    fn labeled(&self, name: &str) -> String {
        match (&self.label, name.strip_prefix('[')) {
            (None, _) => name.to_string(),
            (Some(l), Some(rest)) => format!("[{l} {rest}"),
            (Some(l), None) => format!("[{l}] {name}"),
        }
    }

    fn open(&mut self, name: &str) -> usize {
        let n = self.next;
        self.next += 1;
        let name = self.labeled(name);
        self.text.push_str(&format!("\n#{n} {name}\n"));
        n
    }

    fn vertex(&mut self, name: &str, lines: &[String]) {
        let n = self.open(name);
        for l in lines {
            self.text.push_str(&format!("#{n} {l}\n"));
        }
        self.text.push_str(&format!("#{n} DONE 0.0s\n"));
    }

    /// A step that ran: each output line behind its timestamp.
    fn run_vertex(&mut self, name: &str, output: &[String]) {
        let n = self.open(name);
        for (i, l) in output.iter().enumerate() {
            self.text.push_str(&format!("#{n} {} {l}\n", run_timestamp(i)));
        }
        self.text.push_str(&format!("#{n} DONE 0.{}s\n", if output.is_empty() { 0 } else { 3 }));
    }

    fn cached_vertex(&mut self, name: &str) {
        let n = self.open(name);
        self.text.push_str(&format!("#{n} CACHED\n"));
    }

    fn failed_vertex(&mut self, name: &str, output: &[String], message: &str) {
        let n = self.open(name);
        for (i, l) in output.iter().enumerate() {
            self.text.push_str(&format!("#{n} {} {l}\n", run_timestamp(i)));
        }
        self.text.push_str(&format!("#{n} ERROR: {message}\n"));
    }
}

/// The seconds column BuildKit puts before each output line of a RUN step.
fn run_timestamp(i: usize) -> String {
    format!("{:.3}", 0.245 + i as f64 * 0.012)
}

/// Why a build stopped.
struct BuildFailure {
    message: String,
    /// The failed step: its name, its output, and its Dockerfile line.
    step: Option<(String, Vec<String>, usize)>,
}

impl BuildFailure {
    fn plain(message: String) -> BuildFailure {
        BuildFailure { message, step: None }
    }

    /// The step's output again and the Dockerfile lines around it, as BuildKit prints them;
    /// with `-q` only the Dockerfile lines (oracle-24).
    fn excerpt(&self, dockerfile: &str, file_name: &str, quiet: bool) -> String {
        format!("{}{}", if quiet { String::new() } else { self.step_block() }, self.dockerfile_lines(dockerfile, file_name))
    }

    /// The failed step's name and output between dashes.
    fn step_block(&self) -> String {
        let Some((name, output, _)) = self.step.as_ref().filter(|(name, _, _)| !name.is_empty()) else { return String::new() };
        let mut out = format!("------\n > {name}:\n");
        for (i, l) in output.iter().enumerate() {
            out.push_str(&format!("{} {l}\n", run_timestamp(i)));
        }
        out.push_str("------\n");
        out
    }

    /// The Dockerfile lines around the failed one.
    fn dockerfile_lines(&self, dockerfile: &str, file_name: &str) -> String {
        let Some((_, _, line)) = &self.step else { return String::new() };
        let mut out = String::new();
        // After a final newline BuildKit shows one more, empty, line: split gives it too.
        let lines: Vec<&str> = dockerfile.split('\n').collect();
        out.push_str(&format!("{file_name}:{line}\n--------------------\n"));
        let first = line.saturating_sub(2).max(1);
        let last = (line + 2).min(lines.len());
        for n in first..=last {
            let text = lines.get(n - 1).copied().unwrap_or("");
            let marker = if n == *line { ">>>" } else { "   " };
            out.push_str(&format!("{n:>4} | {marker} {text}\n"));
        }
        out.push_str("--------------------\n");
        out
    }
}
