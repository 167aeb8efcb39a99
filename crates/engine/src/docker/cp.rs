//! `docker cp`: files between a container and the host.

use super::flags::{self, flag};
use super::{arg_count_error, usage_error};
use crate::fs::Kind;
use crate::shell::Io;
use crate::userland::tar;
use crate::vfs::{Ctx, Ns};
use crate::world::{Cred, World};

/// `docker cp`: between a container's file system and the host, through a tar stream. The
/// daemon mounts the container's root and volumes for it, not its tmpfs mounts: a file copied
/// to a tmpfs path lands beneath it, unseen by the container (oracle-14).
pub fn cp(world: &mut World, sh: &crate::shell::Shell, args: &[String], io: &mut Io) -> i32 {
    let tmpfs_hidden: Vec<(crate::world::ContainerId, Vec<crate::world::Mount>)> = world
        .containers_mut()
        .filter(|c| c.mounts.iter().any(|m| m.kind == crate::world::MountKind::Tmpfs))
        .map(|c| {
            let all = c.mounts.clone();
            c.mounts.retain(|m| m.kind != crate::world::MountKind::Tmpfs);
            (c.id.clone(), all)
        })
        .collect();
    let code = copy(world, sh, args, io);
    for (id, mounts) in tmpfs_hidden {
        if let Some(c) = world.container_mut(&id) {
            c.mounts = mounts;
        }
    }
    code
}

fn copy(world: &mut World, sh: &crate::shell::Shell, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[flag("archive", Some('a')), flag("follow-link", Some('L')), flag("quiet", Some('q'))], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "cp", &e),
    };
    if parsed.operands.len() != 2 {
        return arg_count_error(
            io,
            "cp",
            "exactly 2 arguments",
            "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
            "Copy files/folders between a container and the local filesystem",
        );
    }
    let split = |s: &str| -> Option<(String, String)> {
        if s.starts_with('/') || s.starts_with('.') {
            return None;
        }
        s.split_once(':').map(|(c, p)| (c.to_string(), p.to_string()))
    };
    let (src, dst) = (&parsed.operands[0], &parsed.operands[1]);
    let (from_ctr, to_ctr) = (split(src), split(dst));
    // A destination ending in `/` must be a directory that exists: the client asks first, and
    // a missing container answers the same (oracle-11).
    let must_be_dir = |p: &str| p.ends_with('/') || p.ends_with("/.");
    let (src_ctx, src_path, dst_ctx, dst_path, shown) = match (from_ctr, to_ctr) {
        (Some((c, p)), None) => {
            let Some(id) = world.find_container(&c) else {
                super::no_such_container(io, &c);
                return 1;
            };
            let host = sh.ctx.clone();
            let shown = crate::fs::normalize(&sh.ctx.cwd, dst);
            (Ctx::root(Ns::Container(id)), p, host, dst.clone(), shown)
        }
        (None, Some((c, p))) => {
            let Some(id) = world.find_container(&c) else {
                if must_be_dir(&p) {
                    io.err_line("no such directory");
                } else {
                    super::no_such_container(io, &c);
                }
                return 1;
            };
            // `CONTAINER:` with no path names no directory to copy into (oracle-144).
            if p.is_empty() {
                io.err_line("no such directory");
                return 1;
            }
            (sh.ctx.clone(), src.clone(), Ctx::root(Ns::Container(id)), p, dst.clone())
        }
        (Some(_), Some(_)) => {
            io.err_line("copying between containers is not supported");
            return 1;
        }
        (None, None) => {
            io.err_line("must specify at least one container source");
            return 1;
        }
    };
    let to_container = dst_ctx.ns != Ns::Host;
    let container_name = |op: &str| op.split(':').next().unwrap_or("").to_string();
    // Where the copy lands: into an existing directory under the source's name, otherwise as
    // the new name in an existing parent.
    let to_stdout = !to_container && dst == "-";
    let dst_abs = crate::fs::normalize(&dst_ctx.cwd, &dst_path);
    let into_dir = world.stat(&dst_ctx, &dst_abs, true).map(|s| s.ftype == crate::fs::FileType::Dir).unwrap_or(false);
    // A tar stream is extracted into a directory, which must be there (oracle-128).
    if src == "-" && !into_dir {
        io.err_line(&format!("destination \"{dst}\" must be a directory"));
        return 1;
    }
    if !into_dir && !to_stdout {
        let parent = crate::fs::parent_and_name(&dst_abs).0;
        let parent_is_dir = world.stat(&dst_ctx, &parent, true).is_ok_and(|s| s.ftype == crate::fs::FileType::Dir);
        if must_be_dir(&dst_path) && to_container {
            io.err_line("no such directory");
            return 1;
        }
        if !parent_is_dir {
            if to_container {
                io.err_line(&format!("Error response from daemon: Could not find the file {parent} in container {}", container_name(dst)));
            } else {
                io.err_line(&format!("invalid output path: directory \"{parent}\" does not exist"));
            }
            return 1;
        }
    }
    if to_container {
        if let Err(message) = writable_for_cp(world, &dst_ctx, &dst_abs, into_dir) {
            io.err_line(&format!("Error response from daemon: {message}"));
            return 1;
        }
    }
    // -a gives files to the container's user, which the daemon looks up with the image's
    // getent; without -a they keep the owners they had at the source.
    let mut owner = None;
    if to_container && parsed.has("archive") {
        match cp_owner(world, &dst_ctx) {
            Ok(o) => owner = o,
            Err(message) => {
                io.err_line(&format!("Error response from daemon: {message}"));
                return 1;
            }
        }
    }
    let (members, base) = if src == "-" {
        // A tar stream on stdin, extracted into the directory named.
        match tar::decode(&io.stdin) {
            Some(m) if !m.is_empty() => (m, String::new()),
            // An empty stream is an empty archive: nothing to extract.
            _ if io.stdin.is_empty() => return 0,
            _ => {
                io.err_line("Error response from daemon: unexpected EOF");
                return 1;
            }
        }
    } else {
        let mut src_abs = crate::fs::normalize(&src_ctx.cwd, &src_path);
        if parsed.has("follow-link") {
            if let Ok(l) = world.resolve(&src_ctx, &src_abs, true) {
                src_abs = l.path;
            }
        }
        let base = crate::fs::parent_and_name(&src_abs).1;
        if world.stat(&src_ctx, &src_abs, false).is_err() {
            if src_ctx.ns == Ns::Host {
                io.err_line(&format!("lstat {src_abs}: no such file or directory"));
            } else {
                io.err_line(&format!(
                    "Error response from daemon: Could not find the file {src_path} in container {}",
                    container_name(src)
                ));
            }
            return 1;
        }
        let mut members = Vec::new();
        tar::collect(world, &src_ctx, &src_abs, &base, &mut members, &mut Vec::new());
        // SRC/. copies the directory's contents, not the directory.
        let base = if src_path.ends_with("/.") { String::new() } else { base };
        (members, base)
    };
    // Docker's archive names owners by number only (no user or group names in the headers).
    let mut members = members;
    for m in &mut members {
        m.uname.clear();
        m.gname.clear();
    }
    let stream = tar::encode(&members);
    // `docker cp CONTAINER:SRC -`: the tar stream itself.
    if to_stdout {
        io.out.extend_from_slice(&stream);
        return 0;
    }
    let target_root = if into_dir && !base.is_empty() { format!("{}/{base}", dst_abs.trim_end_matches('/')) } else { dst_abs.clone() };
    for m in &members {
        let name = m.name.trim_end_matches('/');
        let rest = if src == "-" {
            // A stream's members land under the directory by their own names.
            let inside = name.trim_start_matches("./").trim_start_matches('/');
            if inside.is_empty() || inside == "." {
                String::new()
            } else {
                format!("/{inside}")
            }
        } else if base.is_empty() {
            name.split_once('/').map(|(_, r)| format!("/{r}")).unwrap_or_default()
        } else {
            name.strip_prefix(&base).unwrap_or("").to_string()
        };
        let path = format!("{}{rest}", target_root.trim_end_matches('/'));
        let path = if path.is_empty() { "/".to_string() } else { path };
        let res = match m.kind {
            crate::fs::FileType::Dir => match world.stat(&dst_ctx, &path, true) {
                Ok(_) => Ok(()),
                Err(_) => world.mkdir(&dst_ctx, &path, m.mode),
            },
            crate::fs::FileType::Symlink => world.symlink(&dst_ctx, &m.link, &path),
            _ => world.write_file(&dst_ctx, &path, &m.data, crate::vfs::WriteMode::Truncate).map(|_| ()),
        };
        if let Err(e) = res {
            io.err_line(&format!("Error response from daemon: failed to copy files: {path}: {e}"));
            return 1;
        }
        let (uid, gid) = match (to_container, owner) {
            (true, Some(o)) => o,
            (true, None) => (m.uid, m.gid),
            (false, _) => (dst_ctx.cred.uid, dst_ctx.cred.gid),
        };
        let (mode, mtime) = (m.mode, m.mtime);
        let _ = world.set_meta(&Ctx { cred: Cred::root(), ..dst_ctx.clone() }, &path, false, &mut |i| {
            if !matches!(i.kind, Kind::Symlink(_)) {
                i.mode = mode;
            }
            i.uid = uid;
            i.gid = gid;
            i.mtime = mtime;
        });
    }
    // "Progress output is automatically suppressed if no terminal is attached" (oracle-07).
    if !parsed.has("quiet") && world.tty() {
        io.err_line(&format!("Successfully copied {} to {shown}", super::format::human_size(stream.len() as f64, 3)));
    }
    0
}

/// Docker refuses to extract into a read-only root file system or a read-only mount.
fn writable_for_cp(world: &World, ctx: &Ctx, dst: &str, into_dir: bool) -> Result<(), &'static str> {
    let dir = if into_dir { dst.to_string() } else { crate::fs::parent_and_name(dst).0 };
    let Ok(loc) = world.resolve(ctx, &dir, true) else { return Ok(()) };
    match loc.mount.and_then(|m| world.ns_mount(&ctx.ns, m)) {
        Some(mount) if mount.read_only => Err("mounted volume is marked read-only"),
        Some(_) => Ok(()),
        None if world.ns_container(&ctx.ns).is_some_and(|c| c.host.readonly_rootfs) => Err("container rootfs is marked read-only"),
        None => Ok(()),
    }
}

/// The owner `docker cp -a` gives: none for a container without a user (files keep theirs);
/// otherwise the user as the image's `getent` finds it, which busybox images do not have.
fn cp_owner(world: &World, ctx: &Ctx) -> Result<Option<(u32, u32)>, String> {
    let Some(c) = world.ns_container(&ctx.ns) else { return Ok(None) };
    if c.user.is_empty() {
        return Ok(None);
    }
    let has_getent =
        ["/usr/bin/getent", "/bin/getent", "/usr/sbin/getent", "/sbin/getent"].iter().any(|p| world.stat(ctx, p, true).is_ok());
    if !has_getent {
        return Err("unable to find getent command: exec: \"getent\": executable file not found in $PATH".into());
    }
    let (cred, _) = crate::users::resolve_user(world, ctx, &c.user)?;
    Ok(Some((cred.uid, cred.gid)))
}
