//! The daemon's own places on the host (`/var/lib/docker/…`), reached as root.

use crate::fs::InodeId;
use crate::vfs::{Ctx, Ns};
use crate::world::World;

pub fn host_root_ctx() -> Ctx {
    Ctx::root(Ns::Host)
}

/// A host directory's inode (it must exist).
pub fn host_dir(world: &World, path: &str) -> InodeId {
    world.resolve(&host_root_ctx(), path, true).map(|l| l.top()).unwrap_or(world.host_root)
}

pub(crate) fn mkdir_p_host(world: &mut World, path: &str) {
    let ctx = host_root_ctx();
    // Told by the caller (HostDirCreated), not as writes.
    let was = std::mem::replace(&mut world.daemon_at_work, true);
    let mut acc = String::new();
    for c in crate::fs::components(path) {
        acc.push('/');
        acc.push_str(c);
        if world.stat(&ctx, &acc, true).is_err() {
            let _ = world.mkdir(&ctx, &acc, 0o755);
        }
    }
    world.daemon_at_work = was;
}
