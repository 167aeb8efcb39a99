//! What the kernel says of itself: `uname` and `hostname` (the node name is the container's
//! hostname inside one, `vm` on the host).

use super::{has, split_opts, Proc};

/// The recording machine's kernel (ENVIRONMENT.md); its version string has the build date
/// of a reproducible build (`@0`), as the oracle's kernels of the same family print it.
const KERNEL_RELEASE: &str = "6.18.44-fc-v669";
const KERNEL_VERSION: &str = "#1 SMP PREEMPT_DYNAMIC @0";

/// The node name of the machine the process runs on.
pub(super) fn node_name(p: &Proc) -> String {
    p.world.ns_container(&p.ctx.ns).map_or_else(|| "vm".to_string(), |c| c.hostname.clone())
}

pub(super) fn hostname(p: &mut Proc) -> i32 {
    let h = node_name(p);
    p.out(&format!("{h}\n"));
    0
}

/// `uname [-asnrvmpio]`: the fields asked for, always in the kernel's order; `-a` leaves out
/// the processor and platform, which this kernel does not know ("unknown").
pub(super) fn uname(p: &mut Proc, args: &[String]) -> i32 {
    const FIELDS: [(char, &str); 8] = [
        ('s', "--kernel-name"),
        ('n', "--nodename"),
        ('r', "--kernel-release"),
        ('v', "--kernel-version"),
        ('m', "--machine"),
        ('p', "--processor"),
        ('i', "--hardware-platform"),
        ('o', "--operating-system"),
    ];
    let (opts, operands) = split_opts(args);
    for opt in &opts {
        let known = opt == "-a"
            || opt == "--all"
            || FIELDS.iter().any(|(_, long)| opt == long)
            || (opt.starts_with('-')
                && !opt.starts_with("--")
                && opt.chars().skip(1).all(|c| c == 'a' || FIELDS.iter().any(|(s, _)| *s == c)));
        if !known {
            if let Some(long) = opt.strip_prefix("--") {
                return p.err_try(&format!("unrecognized option '--{long}'"));
            }
            let bad = opt.chars().skip(1).find(|c| *c != 'a' && !FIELDS.iter().any(|(s, _)| s == c)).unwrap_or('-');
            if !p.gnu {
                p.err(&format!("invalid option -- '{bad}'"));
                return p.busybox_usage();
            }
            return p.err_try(&format!("invalid option -- '{bad}'"));
        }
    }
    if let Some(extra) = operands.first() {
        if !p.gnu {
            return p.busybox_usage();
        }
        let q = p.lq(extra);
        return p.err_try(&format!("extra operand {q}"));
    }
    let all = has(&opts, "-a", "--all");
    let node = node_name(p);
    let values = ["Linux", node.as_str(), KERNEL_RELEASE, KERNEL_VERSION, "x86_64", "unknown", "unknown", "GNU/Linux"];
    let mut shown = Vec::new();
    for ((short, long), value) in FIELDS.iter().zip(values) {
        let asked = opts.iter().any(|o| o == long || (!o.starts_with("--") && o.contains(*short)));
        let in_all = all && !matches!(short, 'p' | 'i');
        if asked || in_all {
            shown.push(value);
        }
    }
    if shown.is_empty() {
        shown.push("Linux");
    }
    p.out(&format!("{}\n", shown.join(" ")));
    0
}
