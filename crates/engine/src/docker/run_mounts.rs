//! `RUN --mount=…`: what a build step sees besides its own root file system, and leaves out of
//! the layer it makes (oracle-130). A cache mount keeps its files from one build to the next
//! (until `builder prune`), a tmpfs is new and empty each time, a bind shows the build context
//! (read-only, or a throw-away copy with `rw`). The mount points BuildKit makes for them are
//! gone from the layer afterwards.

use crate::fs::InodeId;
use crate::ids::ContainerId;
use crate::vfs::Ctx;
use crate::world::{Mount, MountKind, World};

/// One `--mount=type=…,target=…` of a RUN.
pub(super) struct RunMount {
    kind: Kind,
    target: String,
}

enum Kind {
    /// Files kept between builds under an id (the target when none is given).
    Cache {
        id: String,
    },
    Tmpfs,
    /// The build context (or a path in it).
    Bind {
        source: String,
        rw: bool,
    },
}

/// Takes the RUN flags (`--mount=`, `--network=`, `--security=`) off the front of its command.
pub(super) fn split(command: &str) -> (Vec<RunMount>, String) {
    let mut mounts = Vec::new();
    let mut rest = command.trim_start();
    while let Some(flag) = rest.strip_prefix("--") {
        let end = flag.find(char::is_whitespace).unwrap_or(flag.len());
        let (word, after) = flag.split_at(end);
        if let Some(spec) = word.strip_prefix("mount=") {
            mounts.extend(parse(spec));
        } else if !(word.starts_with("network=") || word.starts_with("security=")) {
            break;
        }
        rest = after.trim_start();
    }
    (mounts, rest.to_string())
}

fn parse(spec: &str) -> Option<RunMount> {
    let mut fields = std::collections::BTreeMap::new();
    let mut rw = false;
    for part in spec.split(',') {
        match part.split_once('=') {
            Some((k, v)) => {
                fields.insert(k, v);
            }
            None if part == "rw" || part == "readwrite" => rw = true,
            None => {}
        }
    }
    let target = fields.get("target").or(fields.get("dst")).or(fields.get("destination"))?.to_string();
    let kind = match fields.get("type").copied().unwrap_or("bind") {
        "cache" => Kind::Cache { id: fields.get("id").map_or_else(|| target.clone(), |id| id.to_string()) },
        "tmpfs" => Kind::Tmpfs,
        "bind" => Kind::Bind { source: fields.get("source").or(fields.get("src")).unwrap_or(&"").to_string(), rw },
        _ => return None,
    };
    Some(RunMount { kind, target })
}

/// Mounts them on the step's container (`context`: the build context's directory, and who
/// reads it); the mount points that had to be made (and will go).
pub(super) fn mount(world: &mut World, id: &ContainerId, root: &Ctx, context: (&str, &Ctx), run: (&[RunMount], &str)) -> Vec<String> {
    let (mounts, exec) = run;
    let (context_dir, reader) = context;
    let mut made = Vec::new();
    let secs = world.clock().secs();
    for m in mounts {
        let target = crate::fs::normalize("/", &m.target);
        let (inode, kind, read_only): (InodeId, MountKind, bool) = match &m.kind {
            Kind::Cache { id } => {
                let dir = crate::daemon::build_cache::cache_mount(world, id, &target, exec);
                (dir, MountKind::Bind { source: format!("cache:{id}") }, false)
            }
            Kind::Tmpfs => (world.fs_mut().new_dir(0, 0, 0o1777, secs), MountKind::Tmpfs, false),
            Kind::Bind { source, rw } => {
                let path = crate::fs::normalize(context_dir, source);
                let Ok(found) = world.resolve(reader, &path, true).map(|l| l.top()) else { continue };
                // `rw`: writes go to a copy that is thrown away with the step.
                let inode = if *rw { world.fs_mut().deep_copy(found) } else { found };
                (inode, MountKind::Bind { source: path }, !rw)
            }
        };
        if world.stat(root, &target, true).is_err() {
            let is_dir = world.fs().get(inode).is_dir();
            let made_point = if is_dir {
                world.mkdir(root, &target, 0o755)
            } else {
                world.write_file(root, &target, &crate::fs::Data::empty(), crate::vfs::WriteMode::Truncate).map(|_| ())
            };
            if made_point.is_ok() {
                made.push(target.clone());
            }
        }
        if let Some(c) = world.container_mut(id) {
            c.mounts.push(Mount { target, root: inode, kind, read_only, limit: None, proc_opts: String::new() });
        }
    }
    made
}

/// Takes the mounts off and the mount points made for them away, leaving the step's layer
/// as if they had never been there.
pub(super) fn unmount(world: &mut World, id: &ContainerId, root: &Ctx, made: &[String]) {
    if let Some(c) = world.container_mut(id) {
        c.mounts.clear();
    }
    for path in made.iter().rev() {
        let is_dir = world.stat(root, path, false).is_ok_and(|s| s.ftype == crate::fs::FileType::Dir);
        let _ = world.remove(root, path, is_dir);
    }
}
