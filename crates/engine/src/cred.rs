//! A process's credentials: its user, groups and capabilities, as the kernel checks them.

use crate::caps::{Cap, Caps};

/// A process's credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cred {
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
    /// The capabilities the process holds when its uid is 0: all on the host, the container's
    /// set inside one (a process of another user holds none, as without ambient capabilities).
    pub bounding: Caps,
}

impl Cred {
    /// A user's credentials with the host's bounding set.
    pub fn new(uid: u32, gid: u32, groups: Vec<u32>) -> Cred {
        Cred { uid, gid, groups, bounding: Caps::MACHINE }
    }
    pub fn root() -> Cred {
        Cred::new(0, 0, vec![0])
    }
    pub fn student() -> Cred {
        Cred::new(1000, 1000, vec![1000, 111])
    }
    pub fn in_group(&self, gid: u32) -> bool {
        self.gid == gid || self.groups.contains(&gid)
    }
    /// The capabilities in effect: the bounding set for root, none for another user.
    pub fn effective(&self) -> Caps {
        if self.uid == 0 {
            self.bounding
        } else {
            Caps::NONE
        }
    }
    pub fn capable(&self, cap: Cap) -> bool {
        self.effective().has(cap)
    }
    /// inode_owner_or_capable: the file's owner, or a holder of CAP_FOWNER.
    pub fn owns_or_fowner(&self, owner: u32) -> bool {
        self.uid == owner || self.capable(Cap::FOWNER)
    }
}
