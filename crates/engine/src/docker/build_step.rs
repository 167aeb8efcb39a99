//! One layer-making Dockerfile step (RUN, COPY, ADD, WORKDIR) run in a scratch container, and
//! the build context COPY and ADD read from (its `.dockerignore`, `--build-context` names).

use std::collections::BTreeMap;

use super::buildkit::hub_name;
use super::buildkit::{drop_scratch, scratch_container};
use super::dockerfile::{Heredoc, Instruction};
use crate::daemon::host::mkdir_p;
use crate::fs::InodeId;
use crate::shell::Io;
use crate::userland::tar;
use crate::vfs::{Ctx, Ns};
use crate::world::{Cred, ImageConfig, World};

/// A build step that failed: what it printed, and BuildKit's message.
pub(super) struct StepError {
    pub(super) output: Vec<String>,
    pub(super) message: String,
}

/// The build context as COPY and ADD read it: its directory, read as the user who builds, and
/// what its `.dockerignore` leaves out (read once per build).
pub(super) struct BuildContext<'a> {
    pub(super) dir: &'a str,
    pub(super) reader: &'a Ctx,
    pub(super) ignore: Vec<(bool, Vec<(char, bool)>)>,
    /// `--build-context NAME=DIR`: the directories `COPY --from=NAME` reads.
    pub(super) named: &'a BTreeMap<String, String>,
    /// `--network none`: steps run with no network.
    pub(super) network_none: bool,
}

/// Runs one layer-making instruction in a scratch container and returns the new layer's tree.
pub(super) fn build_step(
    world: &mut World,
    layers: &[usize],
    config: &ImageConfig,
    inst: &Instruction,
    context: &BuildContext,
    run_env: &[String],
    stage: Option<&[usize]>,
) -> Result<(InodeId, Vec<String>), StepError> {
    let (ctx_dir, user_ctx) = (context.dir, context.reader);
    let scratch = scratch_container(world, layers, config, context.network_none);
    let (id, working_dir, upper) = (scratch.id.clone(), scratch.working_dir.clone(), scratch.upper);
    // `COPY --from=STAGE` reads another stage's file system, mounted as BuildKit mounts it.
    let source = stage.map(|layers| scratch_container(world, layers, &ImageConfig::default(), true));
    let stage_ctx = source.as_ref().map(|s| Ctx { ns: Ns::Container(s.id.clone()), cred: Cred::root(), cwd: "/".into(), umask: 0o022 });
    let result = (|| -> Result<Vec<String>, StepError> {
        let root = Ctx { ns: Ns::Container(id.clone()), cred: Cred::root(), cwd: working_dir, umask: 0o022 };
        match inst.keyword.as_str() {
            "RUN" => {
                let mut sh =
                    super::container_shell(world, &id, None, None, run_env).map_err(|m| StepError { output: Vec::new(), message: m })?;
                sh.depth = 1;
                let (mounts, command) = super::run_mounts::split(&inst.args);
                let script = match serde_json::from_str::<Vec<String>>(&command) {
                    Ok(v) => v.join(" "),
                    Err(_) => command.clone(),
                };
                // What a cache mount's record says ran: the shell's command, or the exec form's words.
                let exec = if command.trim_start().starts_with('[') { script.clone() } else { format!("/bin/sh -c {command}") };
                let made = super::run_mounts::mount(world, &id, &root, (context.dir, context.reader), (&mounts, &exec));
                let mut rio = Io::default();
                let flow = sh.run_script(world, &script, &mut rio);
                super::run_mounts::unmount(world, &id, &root, &made);
                crate::daemon::build_cache::measure_cache_mounts(world);
                let code = match flow {
                    crate::shell::Flow::Exit(c) => c,
                    _ => sh.status,
                };
                // BuildKit shows the step's stdout and stderr in the order written.
                let written: Vec<u8> = rio.segments().into_iter().flat_map(|s| s.bytes).collect();
                let output: Vec<String> = String::from_utf8_lossy(&written).lines().map(str::to_string).collect();
                if code != 0 {
                    let message = format!("process \"/bin/sh -c {command}\" did not complete successfully: exit code: {code}");
                    return Err(StepError { output, message });
                }
                Ok(output)
            }
            "WORKDIR" => {
                let dir = crate::fs::normalize(if config.working_dir.is_empty() { "/" } else { &config.working_dir }, &inst.args);
                mkdir_p(world, &root, &dir);
                Ok(Vec::new())
            }
            _ => {
                // COPY/ADD: sources relative to the build context, the last word is the destination.
                let words: Vec<&str> = inst.args.split_whitespace().filter(|w| !w.starts_with("--")).collect();
                let documents: Vec<&Heredoc> = words
                    .iter()
                    .filter_map(|w| w.strip_prefix("<<"))
                    .filter_map(|n| inst.heredocs.iter().find(|d| n.trim_start_matches('-').trim_matches(['"', '\'']) == d.name))
                    .collect();
                if words.len() < 2 {
                    return Err(StepError {
                        output: Vec::new(),
                        message: format!("dockerfile parse error: {} requires at least two arguments", inst.keyword),
                    });
                }
                // `--chown=USER[:GROUP]`: the copied files' owner (oracle-08); a user without a
                // group takes its number as the gid too, as Docker's documentation says.
                let chown = inst.args.split_whitespace().find_map(|w| w.strip_prefix("--chown="));
                let owner = match chown {
                    None => (0, 0),
                    Some(spec) => chown_owner(world, &root, spec),
                };
                // `--chmod=MODE`: the copied files' and directories' mode, in octal.
                let chmod =
                    inst.args.split_whitespace().find_map(|w| w.strip_prefix("--chmod=")).and_then(|m| u32::from_str_radix(m, 8).ok());
                let (srcs, dst) = words.split_at(words.len() - 1);
                let dst = crate::fs::normalize(&root.cwd, dst[0]);
                // A destination ending in `/`, `.` or naming an existing directory receives the sources inside it.
                let dst_is_dir = inst.args.trim_end().ends_with('/')
                    || inst.args.trim_end().ends_with('.')
                    || srcs.len() > 1
                    || world.stat(&root, &dst, true).is_ok_and(|st| st.ftype == crate::fs::FileType::Dir);
                // `--from=NAME`: a named build context (another stage or an image is not simulated:
                // it is looked for in the registry, as BuildKit does for an unknown name).
                let no_rules = Vec::new();
                let (src_dir, ignore, reader) = match (inst.from(), &stage_ctx) {
                    (_, Some(stage_root)) => ("/", &no_rules, stage_root),
                    (None, None) => (ctx_dir, &context.ignore, user_ctx),
                    (Some(name), None) => match context.named.get(name) {
                        Some(dir) => (dir.as_str(), &no_rules, user_ctx),
                        None => return Err(StepError { output: Vec::new(), message: unresolved_source(name) }),
                    },
                };
                // Here-documents become files: named by their delimiter in a directory, or the
                // destination itself.
                for doc in &documents {
                    let path = if dst_is_dir { format!("{}/{}", dst.trim_end_matches('/'), doc.name) } else { dst.clone() };
                    mkdir_p(world, &root, &crate::fs::parent_and_name(&path).0);
                    let data = crate::fs::Data::from_bytes(doc.body.as_bytes());
                    if world.write_file(&root, &path, &data, crate::vfs::WriteMode::Truncate).is_ok() {
                        let mode = chmod.unwrap_or(0o644);
                        let _ = world.set_meta(&root, &path, false, &mut |i| {
                            (i.uid, i.gid) = owner;
                            i.mode = mode;
                        });
                    }
                }
                for s in srcs.iter().filter(|s| !s.starts_with("<<")) {
                    let src_path = crate::fs::normalize(src_dir, s);
                    let mut members = Vec::new();
                    let mut errors = Vec::new();
                    let base = s.trim_end_matches('/').rsplit('/').next().unwrap_or(s).to_string();
                    tar::collect(world, reader, &src_path, &base, &mut members, &mut errors);
                    // What .dockerignore leaves out of the context is not there to copy.
                    let src_rel = src_path.strip_prefix(src_dir).unwrap_or("").trim_start_matches('/').to_string();
                    members.retain(|m| {
                        let inner = m.name.trim_end_matches('/').split_once('/').map_or("", |(_, r)| r);
                        let rel = [src_rel.as_str(), inner].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("/");
                        rel.is_empty() || !ignored(ignore, &rel)
                    });
                    if (!errors.is_empty() || members.is_empty()) && stage_ctx.is_some() {
                        let inside = src_path.trim_start_matches('/');
                        return Err(StepError {
                            output: Vec::new(),
                            message: format!("lstat /var/lib/docker/tmp/buildkit-mount{STAGE_MOUNT}/{inside}: no such file or directory"),
                        });
                    }
                    if !errors.is_empty() || members.is_empty() {
                        return Err(StepError {
                            output: Vec::new(),
                            message: format!("failed to compute cache key: failed to calculate checksum of ref: \"/{s}\": not found"),
                        });
                    }
                    let single_file = members.len() == 1 && members[0].kind == crate::fs::FileType::File;
                    // ADD unpacks a local tar archive (plain, gzip or bzip2) into the destination,
                    // its members keeping the archive's owners, modes and times.
                    if inst.keyword == "ADD" && single_file {
                        if let Some(archive) = unpackable(&members[0].data.to_vec()) {
                            extract_into(world, &root, &dst, &archive);
                            continue;
                        }
                    }
                    let target_base = if single_file && !dst_is_dir {
                        dst.clone()
                    } else if single_file {
                        format!("{}/{}", dst.trim_end_matches('/'), base)
                    } else {
                        dst.clone()
                    };
                    mkdir_p(world, &root, &crate::fs::parent_and_name(&target_base).0);
                    for m in members {
                        let rel = if single_file {
                            target_base.clone()
                        } else {
                            format!("{}/{}", target_base.trim_end_matches('/'), m.name.split_once('/').map(|(_, r)| r).unwrap_or(""))
                        };
                        let rel = rel.trim_end_matches('/').to_string();
                        if rel.is_empty() {
                            continue;
                        }
                        match m.kind {
                            crate::fs::FileType::Dir => {
                                if world.stat(&root, &rel, true).is_err() {
                                    let _ = world.mkdir(&root, &rel, m.mode);
                                }
                            }
                            _ => {
                                let _ = world.write_file(&root, &rel, &m.data, crate::vfs::WriteMode::Truncate);
                            }
                        }
                        let (mode, mtime) = (chmod.unwrap_or(m.mode), m.mtime);
                        // From a stage, files keep their owners unless `--chown` says otherwise.
                        let owner = match (&stage_ctx, chown) {
                            (Some(_), None) => (m.uid, m.gid),
                            _ => owner,
                        };
                        let _ = world.set_meta(&root, &rel, false, &mut |i| {
                            (i.uid, i.gid) = owner;
                            i.mode = mode;
                            i.mtime = mtime;
                        });
                    }
                }
                Ok(Vec::new())
            }
        }
    })();
    if let Some(source) = &source {
        drop_scratch(world, source);
    }
    drop_scratch(world, &scratch);
    result.map(|output| (upper, output))
}

/// The members of a tar archive, plain or compressed with gzip or bzip2; `None` for a file
/// that is none of these (ADD copies it as it is).
fn unpackable(bytes: &[u8]) -> Option<Vec<tar::Member>> {
    let plain = if crate::userland::gzip::is_gzip(bytes) {
        crate::userland::gzip::decompress(bytes).ok()?.data
    } else if bytes.starts_with(b"BZh") {
        crate::userland::bzip2::decompress(bytes).ok()?
    } else {
        bytes.to_vec()
    };
    tar::decode(&plain).filter(|members| !members.is_empty())
}

/// Unpacks archive members under `dir`, parents made as needed.
fn extract_into(world: &mut World, root: &Ctx, dir: &str, members: &[tar::Member]) {
    mkdir_p(world, root, dir);
    for m in members {
        let name = m.name.trim_start_matches("./").trim_end_matches('/');
        if name.is_empty() {
            continue;
        }
        let path = format!("{}/{name}", dir.trim_end_matches('/'));
        mkdir_p(world, root, &crate::fs::parent_and_name(&path).0);
        let made = match m.kind {
            crate::fs::FileType::Dir => world.stat(root, &path, true).map(|_| ()).or_else(|_| world.mkdir(root, &path, m.mode)),
            crate::fs::FileType::Symlink => world.symlink(root, &m.link, &path),
            _ => world.write_file(root, &path, &m.data, crate::vfs::WriteMode::Truncate).map(|_| ()),
        };
        if made.is_ok() {
            let (uid, gid, mode, mtime) = (m.uid, m.gid, m.mode, m.mtime);
            let _ = world.set_meta(root, &path, false, &mut |i| {
                (i.uid, i.gid, i.mtime) = (uid, gid, mtime);
                i.mode = mode;
            });
        }
    }
}

/// BuildKit's failure for a name neither on disk nor in the registry (`FROM`, `COPY --from`).
pub(super) fn unresolved_source(name: &str) -> String {
    format!(
        "{name}: failed to resolve source metadata for {}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
        hub_name(name)
    )
}

/// The number in the name of the directory BuildKit mounts a stage on (random in BuildKit).
const STAGE_MOUNT: u32 = 655_918_262;

/// The owner `COPY --chown=SPEC` gives, by number or by the image's passwd and group names.
/// A name the image does not know gives 0, without an error (oracle-24: BuildKit's way); a
/// user alone gives its number as the group too.
fn chown_owner(world: &World, root: &Ctx, spec: &str) -> (u32, u32) {
    let (user, group) = spec.split_once(':').map_or((spec, None), |(u, g)| (u, Some(g)));
    let uid =
        user.parse::<u32>().unwrap_or_else(|_| crate::users::passwd(world, root).iter().find(|p| p.name == user).map_or(0, |p| p.uid));
    let gid = match group {
        None => uid,
        Some(g) => g.parse::<u32>().unwrap_or_else(|_| crate::users::groups(world, root).iter().find(|e| e.name == g).map_or(0, |e| e.gid)),
    };
    (uid, gid)
}

/// The context's `.dockerignore` patterns, in order (`!` marks an exception).
pub(super) fn dockerignore(world: &World, ctx: &Ctx, ctx_dir: &str) -> Vec<(bool, Vec<(char, bool)>)> {
    let text = world.read(ctx, &format!("{}/.dockerignore", ctx_dir.trim_end_matches('/'))).map(|d| d.to_vec()).unwrap_or_default();
    String::from_utf8_lossy(&text)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (except, pattern) = l.strip_prefix('!').map_or((false, l), |p| (true, p));
            let pattern = pattern.trim_start_matches("./").trim_start_matches('/').trim_end_matches('/');
            (except, pattern.chars().map(|c| (c, false)).collect())
        })
        .collect()
}

/// The bytes of the context's files a build sends (BuildKit's local source, as its cache record
/// counts them): the files the COPY and ADD sources name, or all of them when one copies `.`
/// or a RUN binds the context, less what `.dockerignore` leaves out (bc1: `COPY a.txt` sends
/// a.txt alone; `COPY .` sends the Dockerfile too).
pub(super) fn context_bytes(world: &World, context: &BuildContext, instructions: &[Instruction]) -> u64 {
    let mut everything = false;
    let mut follow: Vec<Vec<(char, bool)>> = Vec::new();
    for inst in instructions {
        everything |= inst.run_binds_context();
        if !matches!(inst.keyword.as_str(), "COPY" | "ADD") || inst.from().is_some() {
            continue;
        }
        let words: Vec<String> = match serde_json::from_str::<Vec<String>>(&inst.args) {
            Ok(list) => list,
            Err(_) => inst.args.split_whitespace().filter(|w| !w.starts_with("--")).map(str::to_string).collect(),
        };
        for w in words.iter().rev().skip(1).filter(|w| !w.starts_with("<<")) {
            let path = crate::fs::normalize("/", w);
            let rel = path.trim_start_matches('/');
            everything |= rel.is_empty();
            follow.push(rel.chars().map(|c| (c, false)).collect());
        }
    }
    let Ok(root) = world.resolve(context.reader, context.dir, true).map(|l| l.top()) else { return 0 };
    let mut bytes = 0;
    world.fs().walk(root, "", &mut |path, _, inode| {
        let crate::fs::Kind::File(data) = &inode.kind else { return };
        let rel = path.trim_start_matches('/');
        // A source names the file, or a directory (or pattern) it is in.
        let named = || {
            let parts: Vec<&str> = rel.split('/').collect();
            (1..=parts.len()).any(|n| {
                let prefix: Vec<char> = parts[..n].join("/").chars().collect();
                follow.iter().any(|f| crate::userland::glob::matches(f, &prefix))
            })
        };
        if !ignored(&context.ignore, rel) && (everything || named()) {
            bytes += data.len();
        }
    });
    bytes
}

/// Whether a context path (relative, `sub/file`) is left out: the last pattern that matches it
/// or one of its parent directories decides.
fn ignored(patterns: &[(bool, Vec<(char, bool)>)], rel: &str) -> bool {
    let mut out = false;
    let prefixes: Vec<String> = {
        let parts: Vec<&str> = rel.split('/').collect();
        (1..=parts.len()).map(|n| parts[..n].join("/")).collect()
    };
    for (except, pattern) in patterns {
        let hit = prefixes.iter().any(|p| {
            let chars: Vec<char> = p.chars().collect();
            crate::userland::glob::matches(pattern, &chars)
        });
        if hit {
            out = !except;
        }
    }
    out
}
