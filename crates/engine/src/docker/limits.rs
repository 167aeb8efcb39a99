//! The limit flags `run`, `create` and `update` share (`-m`, `--memory-swap`, `--cpus`,
//! `--cpu-shares`, `--pids-limit`, …), read as the CLI reads them: sizes with go-units'
//! `RAMInBytes`, integers with `strconv.ParseInt`, CPUs as a rational number.

use super::flags::Parsed;
use crate::host_config::Resources;

/// The limits named on the line; the CLI's message for a value it cannot read.
pub(super) fn read(parsed: &Parsed) -> Result<Resources, String> {
    let size = |long: &str, shown: &str| -> Result<i64, String> {
        match parsed.get(long) {
            None => Ok(0),
            // `--memory-swap -1`: unlimited swap.
            Some("-1") if long == "memory-swap" => Ok(-1),
            Some(text) => crate::daemon::spec::parse_size(text)
                .and_then(|n| i64::try_from(n).ok())
                .ok_or_else(|| format!("invalid argument \"{text}\" for \"{shown}\" flag: invalid size: '{text}'")),
        }
    };
    let integer = |long: &str, shown: &str| -> Result<Option<i64>, String> {
        parsed
            .get(long)
            .map(|text| {
                text.parse::<i64>().map_err(|_| {
                    format!("invalid argument \"{text}\" for \"{shown}\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax")
                })
            })
            .transpose()
    };
    let nano_cpus = match parsed.get("cpus") {
        None => 0,
        Some(text) => match text.parse::<f64>() {
            Ok(cpus) if cpus.is_finite() => (cpus * 1e9).round() as i64,
            _ => return Err(format!("invalid argument \"{text}\" for \"--cpus\" flag: failed to parse {text} as a rational number")),
        },
    };
    Ok(Resources {
        memory: size("memory", "-m, --memory")?,
        memory_swap: size("memory-swap", "--memory-swap")?,
        memory_reservation: size("memory-reservation", "--memory-reservation")?,
        nano_cpus,
        cpu_shares: integer("cpu-shares", "-c, --cpu-shares")?.unwrap_or(0),
        cpu_period: integer("cpu-period", "--cpu-period")?.unwrap_or(0),
        cpu_quota: integer("cpu-quota", "--cpu-quota")?.unwrap_or(0),
        cpuset_cpus: parsed.get("cpuset-cpus").unwrap_or("").to_string(),
        pids_limit: integer("pids-limit", "--pids-limit")?,
    })
}

/// `--restart NAME[:COUNT]` as the CLI reads it (run, create, update): the count must be a
/// number; what the policy means is the daemon's to judge.
pub(super) fn restart(text: &str) -> Result<(String, Option<i64>), String> {
    let (name, count) = text.split_once(':').map_or((text, None), |(n, c)| (n, Some(c)));
    match count.map(str::parse::<i64>).transpose() {
        Ok(count) => Ok((name.to_string(), count)),
        Err(_) => Err("invalid restart policy format: maximum retry count must be an integer".into()),
    }
}
