//! The daemon's own places on the host (`/var/lib/docker/…`), reached as root.

use crate::fs::InodeId;
use crate::vfs::{Ctx, Ns};
use crate::world::World;

pub fn host_root_ctx() -> Ctx {
    Ctx::root(Ns::Host)
}

/// A host directory's inode (it must exist).
pub fn host_dir(world: &World, path: &str) -> InodeId {
    world.resolve(&host_root_ctx(), path, true).map(|l| l.top()).unwrap_or(world.host_root())
}

pub(crate) fn mkdir_p_host(world: &mut World, path: &str) {
    mkdir_p(world, &host_root_ctx(), path);
}

/// `mkdir -p` as the daemon does it (root, mode 755), in any namespace. Its own events tell
/// what it made (HostDirCreated, MountPointCreated), not the writes, and a read-only root does
/// not stop it: the daemon works before the root is remounted read-only.
pub(crate) fn mkdir_p(world: &mut World, ctx: &Ctx, path: &str) {
    world.as_daemon(|world| {
        let mut acc = String::new();
        for c in crate::fs::components(path) {
            acc.push('/');
            acc.push_str(c);
            if world.stat(ctx, &acc, true).is_err() {
                let _ = world.mkdir(ctx, &acc, 0o755);
            }
        }
    });
}
