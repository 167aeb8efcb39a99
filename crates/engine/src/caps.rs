//! Linux capabilities: what root may do past a file's mode bits and owner. A container's
//! root holds Docker's default set, which `--cap-drop`, `--cap-add` and `--privileged` change
//! (moby's `oci/caps`); a process of another user holds none (oracle-105).

use std::fmt;

/// The kernel's capability names (without `CAP_`), by bit number.
const NAMES: [&str; 41] = [
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
];

/// One capability, by the kernel's bit number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cap(u8);

impl Cap {
    pub const CHOWN: Cap = Cap(0);
    pub const DAC_OVERRIDE: Cap = Cap(1);
    pub const DAC_READ_SEARCH: Cap = Cap(2);
    pub const FOWNER: Cap = Cap(3);
    pub const FSETID: Cap = Cap(4);
    pub const LINUX_IMMUTABLE: Cap = Cap(9);
    pub const NET_RAW: Cap = Cap(13);
    pub const MKNOD: Cap = Cap(27);

    /// `CHOWN`, `chown`, `CAP_CHOWN`, `cap_chown` (Docker takes any case and either form).
    pub fn by_name(name: &str) -> Option<Cap> {
        let upper = name.to_ascii_uppercase();
        let bare = upper.strip_prefix("CAP_").unwrap_or(&upper);
        NAMES.iter().position(|n| *n == bare).and_then(|k| u8::try_from(k).ok()).map(Cap)
    }
}

/// A set of capabilities, as `/proc/PID/status` shows it in hex.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Caps(u64);

impl Caps {
    pub const NONE: Caps = Caps(0);
    /// What a container's root holds unless told otherwise: moby's default list (CHOWN,
    /// DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, NET_BIND_SERVICE, NET_RAW,
    /// SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP).
    pub const DOCKER_DEFAULT: Caps = Caps(0xa804_25fb);
    /// Every capability the machine's daemon may give: all the kernel knows but SYS_RESOURCE,
    /// which is not in the recorded machine's bounding set (`--cap-add ALL`, `--privileged`).
    pub const MACHINE: Caps = Caps(0x1ff_feff_ffff);

    pub fn has(self, cap: Cap) -> bool {
        self.0 & (1 << cap.0) != 0
    }

    pub fn with(self, cap: Cap) -> Caps {
        Caps(self.0 | 1 << cap.0)
    }

    pub fn without(self, cap: Cap) -> Caps {
        Caps(self.0 & !(1 << cap.0))
    }

    /// The set as `/proc/PID/status` writes it: 16 hex digits.
    pub fn hex(self) -> String {
        format!("{:016x}", self.0)
    }

    /// A container's set from its `--cap-add` and `--cap-drop` lists, as moby's
    /// `TweakCapabilities` makes it: `--privileged` gives all; `ALL` added gives all but what
    /// is dropped; `ALL` dropped gives only what is added; otherwise the default less what is
    /// dropped, plus what is added (an added cap wins over the same cap dropped). Names the
    /// daemon refuses are left out here: `normalize` refused them before the container was made.
    pub fn tweak(adds: &[String], drops: &[String], privileged: bool) -> Caps {
        let all = |list: &[String]| list.iter().any(|c| c.eq_ignore_ascii_case("ALL"));
        let named = |list: &[String]| list.iter().filter_map(|c| Cap::by_name(c)).collect::<Vec<_>>();
        if privileged {
            return Caps::MACHINE;
        }
        if all(adds) {
            return named(drops).into_iter().fold(Caps::MACHINE, Caps::without);
        }
        let base = if all(drops) { Caps::NONE } else { named(drops).into_iter().fold(Caps::DOCKER_DEFAULT, Caps::without) };
        named(adds).into_iter().fold(base, Caps::with)
    }
}

/// Why the daemon refuses a `--cap-add` or `--cap-drop` name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CapError {
    /// A name the kernel does not know, as `CAP_NAME`.
    Unknown(String),
    /// A name the kernel knows that the machine's bounding set lacks.
    NotAvailable(String),
}

impl fmt::Display for CapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CapError::Unknown(c) => write!(f, "unknown capability: \"{c}\""),
            CapError::NotAvailable(c) => {
                write!(f, "capability not supported by your kernel or not available in the current environment: \"{c}\"")
            }
        }
    }
}

/// Checks a list as moby's `NormalizeLegacyCapabilities` does: `ALL` in any case, else a
/// known capability the machine has; the first refused name is the error.
pub fn normalize(list: &[String]) -> Result<(), CapError> {
    for c in list.iter().filter(|c| !c.eq_ignore_ascii_case("ALL")) {
        let upper = c.to_ascii_uppercase();
        let full = if upper.starts_with("CAP_") { upper } else { format!("CAP_{upper}") };
        match Cap::by_name(c) {
            None => return Err(CapError::Unknown(full)),
            Some(cap) if !Caps::MACHINE.has(cap) => return Err(CapError::NotAvailable(full)),
            Some(_) => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tweaks_as_the_recorded_daemon_did() {
        // Each figure is CapEff from oracle-105's `grep Cap /proc/self/status`.
        assert_eq!(Caps::tweak(&[], &[], false).hex(), "00000000a80425fb");
        assert_eq!(Caps::tweak(&[], &list(&["chown", "CAP_FOWNER"]), false).hex(), "00000000a80425f2");
        assert_eq!(Caps::tweak(&list(&["SYS_ADMIN"]), &[], false).hex(), "00000000a82425fb");
        assert_eq!(Caps::tweak(&list(&["ALL"]), &[], false).hex(), "000001fffeffffff");
        assert_eq!(Caps::tweak(&list(&["CAP_SYS_ADMIN"]), &list(&["all"]), false).hex(), "0000000000200000");
        assert_eq!(Caps::tweak(&list(&["all"]), &list(&["chown"]), false).hex(), "000001fffefffffe");
        assert_eq!(Caps::tweak(&list(&["chown"]), &list(&["chown"]), false).hex(), "00000000a80425fb");
        assert_eq!(Caps::tweak(&[], &list(&["chown"]), true), Caps::MACHINE);
    }

    #[test]
    fn refuses_as_the_daemon_words_it() {
        assert_eq!(normalize(&list(&["FOO"])).map_err(|e| e.to_string()), Err("unknown capability: \"CAP_FOO\"".into()));
        assert_eq!(normalize(&list(&[""])).map_err(|e| e.to_string()), Err("unknown capability: \"CAP_\"".into()));
        assert!(matches!(normalize(&list(&["sys_resource"])), Err(CapError::NotAvailable(c)) if c == "CAP_SYS_RESOURCE"));
        assert_eq!(normalize(&list(&["all", "cap_chown", "Net_Admin"])), Ok(()));
    }
}
