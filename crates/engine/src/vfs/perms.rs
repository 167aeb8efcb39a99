//! Permission checks and refusals: mode bits, read-only file systems, full size-limited
//! mounts and the simulator's limits on file content, each refusal with its event.

use super::{Access, Ctx, Loc, Ns, MAX_FILE_BYTES, MAX_TOTAL_BYTES};
use crate::caps::Cap;
use crate::events::{DenyCause, Event};
use crate::fs::{Errno, Kind};
use crate::world::{Cred, MountKind, World};

/// generic_permission: the mode bits for the owner, the group or the others; failing them,
/// CAP_DAC_OVERRIDE (anything but running a file no one may run) and CAP_DAC_READ_SEARCH
/// (reading, and searching a directory). A container's root without them (`--cap-drop`) is
/// held to the bits of the files it does not own (oracle-105).
pub fn may(stat_uid: u32, stat_gid: u32, mode: u32, is_dir: bool, cred: &Cred, want: Access) -> bool {
    let bit = match want {
        Access::Read => 4,
        Access::Write => 2,
        Access::Exec => 1,
    };
    let bits = if cred.uid == stat_uid {
        (mode >> 6) & 7
    } else if cred.in_group(stat_gid) {
        (mode >> 3) & 7
    } else {
        mode & 7
    };
    if bits & bit != 0 {
        return true;
    }
    if cred.capable(Cap::DAC_OVERRIDE) && (want != Access::Exec || is_dir || mode & 0o111 != 0) {
        return true;
    }
    cred.capable(Cap::DAC_READ_SEARCH) && (want == Access::Read || (want == Access::Exec && is_dir))
}

impl World {
    /// Fails with EROFS when the file system at `loc_mount` is read-only.
    pub(super) fn check_writable_fs(&mut self, ctx: &Ctx, loc_mount: Option<usize>, path: &str) -> Result<(), Errno> {
        let ro = match (&ctx.ns, loc_mount) {
            // The daemon makes its mount points before the root is remounted read-only.
            (Ns::Container(_), None) if self.daemon_at_work() => false,
            (Ns::Host, None) => false,
            (Ns::Host, Some(m)) => self.ns_mount(&ctx.ns, m).is_some_and(|mount| mount.read_only),
            (Ns::Container(_), None) => self.ns_container(&ctx.ns).is_some_and(|c| c.host.readonly_rootfs),
            (Ns::Container(_), Some(m)) => self.ns_mount(&ctx.ns, m).is_some_and(|mount| {
                mount.read_only || matches!(mount.kind, MountKind::System(crate::world::SystemMount::Proc | crate::world::SystemMount::Sys))
            }),
        };
        if ro {
            let mount = match (&ctx.ns, loc_mount) {
                (_, Some(m)) => self.ns_mount(&ctx.ns, m).map_or_else(|| "/".into(), |mount| mount.target.clone()),
                _ => "/".into(),
            };
            let place = self.place_of(ctx, loc_mount);
            self.emit(Event::WriteDenied { place, path: path.to_string(), cause: DenyCause::ReadOnly { mount } });
            return Err(Errno::ReadOnly);
        }
        Ok(())
    }

    pub(super) fn deny_permission(&mut self, ctx: &Ctx, loc: &Loc, path: &str) -> Errno {
        let inode = self.fs().get(loc.top());
        let cause =
            DenyCause::Permission { uid: ctx.cred.uid, gid: ctx.cred.gid, owner_uid: inode.uid, owner_gid: inode.gid, mode: inode.mode };
        let place = self.place_of(ctx, loc.mount);
        self.emit(Event::WriteDenied { place, path: path.to_string(), cause });
        Errno::Access
    }

    /// Checks that `ctx` may create or delete entries in the directory `dir`.
    pub(super) fn check_dir_writable(&mut self, ctx: &Ctx, dir: &Loc, path: &str) -> Result<(), Errno> {
        self.check_writable_fs(ctx, dir.mount, path)?;
        let st = self.fs().get(dir.top());
        // An immutable directory takes no new names and loses none, whoever asks.
        if st.attrs & crate::fs::Inode::IMMUTABLE != 0 {
            return Err(Errno::Perm);
        }
        if !may(st.uid, st.gid, st.mode, true, &ctx.cred, Access::Write) {
            return Err(self.deny_permission(ctx, dir, path));
        }
        Ok(())
    }

    /// An inode `chattr` made immutable or append-only (`fixed`): its name, links and
    /// attributes stay as they are.
    pub(super) fn check_not_fixed(&self, loc: &Loc) -> Result<(), Errno> {
        let attrs = self.fs().get(loc.top()).attrs;
        if attrs & (crate::fs::Inode::IMMUTABLE | crate::fs::Inode::APPEND) != 0 {
            return Err(Errno::Perm);
        }
        Ok(())
    }

    /// Bytes used in the tmpfs-like mount `m` (in 4 KiB pages) and its limit.
    pub(super) fn space_left(&self, ctx: &Ctx, mount: Option<usize>) -> Option<u64> {
        if let Some(mnt) = mount.and_then(|m| self.ns_mount(&ctx.ns, m)) {
            if let Some(limit) = mnt.limit {
                let mut used = 0;
                self.fs().walk(mnt.root, "", &mut |_, _, inode| {
                    if let Kind::File(d) = &inode.kind {
                        used += d.len().div_ceil(4096) * 4096;
                    }
                });
                return Some(limit.saturating_sub(used));
            }
        }
        None
    }

    pub(super) fn check_total(&self, adding: u64) -> Result<(), Errno> {
        if adding > MAX_FILE_BYTES || self.fs().data_bytes + adding > MAX_TOTAL_BYTES {
            return Err(Errno::TooBig);
        }
        Ok(())
    }

    /// A size-limited mount is full: the rest of the write is refused.
    pub(super) fn deny_no_space(&mut self, ctx: &Ctx, mount: Option<usize>, path: &str) -> Errno {
        if let Some(mnt) = mount.and_then(|m| self.ns_mount(&ctx.ns, m)) {
            let cause = DenyCause::NoSpace { mount: mnt.target.clone(), limit: mnt.limit.unwrap_or(0) };
            let place = self.place_of(ctx, mount);
            self.emit(Event::WriteDenied { place, path: path.to_string(), cause });
        }
        Errno::NoSpace
    }
}
