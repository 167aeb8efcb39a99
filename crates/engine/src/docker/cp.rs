//! `docker cp`: files between a container and the host.

use super::flags::{self, flag};
use super::{arg_count_error, usage_error};
use crate::fs::Kind;
use crate::shell::Io;
use crate::userland::tar;
use crate::vfs::{Ctx, Ns};
use crate::world::{ContainerId, Cred, World};

/// `docker cp`: between a container's file system and the host, through a tar stream.
pub fn cp(world: &mut World, sh: &crate::shell::Shell, args: &[String], io: &mut Io) -> i32 {
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
    let container_ctx = |world: &World, name: &str, io: &mut Io| -> Result<(ContainerId, Ctx), i32> {
        match world.find_container(name) {
            Some(id) => Ok((id.clone(), Ctx::root(Ns::Container(id)))),
            None => {
                super::no_such_container(io, name);
                Err(1)
            }
        }
    };
    let (src_ctx, src_path, dst_ctx, dst_path, shown) = match (from_ctr, to_ctr) {
        (Some((c, p)), None) => {
            let (_, ctx) = match container_ctx(world, &c, io) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let host = sh.ctx.clone();
            let shown = crate::fs::normalize(&sh.ctx.cwd, dst);
            (ctx, p, host, dst.clone(), shown)
        }
        (None, Some((c, p))) => {
            let (_, ctx) = match container_ctx(world, &c, io) {
                Ok(x) => x,
                Err(code) => return code,
            };
            (sh.ctx.clone(), src.clone(), ctx, p, dst.clone())
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
    let src_abs = crate::fs::normalize(&src_ctx.cwd, &src_path);
    let base = src_abs.rsplit('/').find(|s| !s.is_empty()).unwrap_or("").to_string();
    let mut members = Vec::new();
    let mut errors = Vec::new();
    if world.stat(&src_ctx, &src_abs, false).is_err() {
        if src_ctx.ns == Ns::Host {
            io.err_line(&format!("lstat {src_abs}: no such file or directory"));
        } else {
            io.err_line(&format!(
                "Error response from daemon: Could not find the file {src_path} in container {}",
                parsed.operands[0].split(':').next().unwrap_or("")
            ));
        }
        return 1;
    }
    tar::collect(world, &src_ctx, &src_abs, &base, &mut members, &mut errors);
    let stream = tar::encode(&members);
    // Into an existing directory: keep the name; otherwise the destination is the new name.
    let dst_abs = crate::fs::normalize(&dst_ctx.cwd, &dst_path);
    let into_dir = world.stat(&dst_ctx, &dst_abs, true).map(|s| s.ftype == crate::fs::FileType::Dir).unwrap_or(false);
    let target_root = if into_dir { format!("{}/{base}", dst_abs.trim_end_matches('/')) } else { dst_abs.clone() };
    let archive = parsed.has("archive");
    for m in &members {
        let rest = m.name.trim_end_matches('/').strip_prefix(&base).unwrap_or("");
        let path = format!("{target_root}{rest}");
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
        let to_container = dst_ctx.ns != Ns::Host;
        let (uid, gid) = if to_container && !archive {
            (0, 0)
        } else if to_container {
            (m.uid, m.gid)
        } else {
            (dst_ctx.cred.uid, dst_ctx.cred.gid)
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
    if !parsed.has("quiet") && world.tty {
        io.err_line(&format!("Successfully copied {} to {shown}", super::format::human_size(stream.len() as f64, 3)));
    }
    0
}
