//! The Dockerfile instructions that only set the image's configuration — `HEALTHCHECK`,
//! `STOPSIGNAL`, `SHELL`, `ONBUILD` — with the history line BuildKit writes for each
//! (oracle-131). ONBUILD's triggers are kept in the image; a build from it does not run them.

use serde_json::{json, Value};

use super::commit::go_quoted_list;
use crate::world::{Healthcheck, ImageConfig};

/// Applies one of them; the history line (none for ONBUILD), or BuildKit's refusal.
pub(super) fn apply(config: &mut ImageConfig, keyword: &str, args: &str) -> Result<Option<String>, String> {
    match keyword {
        "STOPSIGNAL" => {
            config.stop_signal = Some(args.to_string());
            Ok(Some(format!("STOPSIGNAL {args}")))
        }
        "SHELL" => {
            let shell: Vec<String> = serde_json::from_str(args)
                .map_err(|_| "dockerfile parse error: SHELL requires the arguments to be in JSON form".to_string())?;
            let shown = format!("SHELL [{}]", shell.join(" "));
            config.shell = Some(shell);
            Ok(Some(shown))
        }
        "ONBUILD" => {
            config.on_build.push(args.to_string());
            Ok(None)
        }
        "HEALTHCHECK" => {
            let check = healthcheck(args)?;
            let shown = format!(
                "HEALTHCHECK &{{{} {:?} {:?} {:?} {:?} {}}}",
                go_quoted_list(&check.test),
                go_duration(check.interval),
                go_duration(check.timeout),
                go_duration(check.start_period),
                go_duration(check.start_interval),
                go_rune(check.retries)
            );
            config.healthcheck = Some(check);
            Ok(Some(shown))
        }
        _ => Ok(None),
    }
}

/// `HEALTHCHECK [--interval=D] [--timeout=D] [--start-period=D] [--start-interval=D]
/// [--retries=N] CMD …` or `HEALTHCHECK NONE`.
fn healthcheck(args: &str) -> Result<Healthcheck, String> {
    let mut check = Healthcheck::default();
    let mut rest = args.trim();
    while let Some(flag) = rest.strip_prefix("--") {
        let end = flag.find(char::is_whitespace).unwrap_or(flag.len());
        let (word, after) = flag.split_at(end);
        let (name, value) = word.split_once('=').unwrap_or((word, ""));
        let bad = || format!("dockerfile parse error: invalid value for --{name}: {value}");
        match name {
            "interval" => check.interval = parse_duration(value).ok_or_else(bad)?,
            "timeout" => check.timeout = parse_duration(value).ok_or_else(bad)?,
            "start-period" => check.start_period = parse_duration(value).ok_or_else(bad)?,
            "start-interval" => check.start_interval = parse_duration(value).ok_or_else(bad)?,
            "retries" => check.retries = value.parse().map_err(|_| bad())?,
            _ => return Err(format!("dockerfile parse error: unknown flag: --{name}")),
        }
        rest = after.trim_start();
    }
    let (kind, command) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    check.test = match kind.to_ascii_uppercase().as_str() {
        "NONE" => vec!["NONE".into()],
        "CMD" => match serde_json::from_str::<Vec<String>>(command.trim()) {
            Ok(list) => std::iter::once("CMD".to_string()).chain(list).collect(),
            Err(_) => vec!["CMD-SHELL".into(), command.trim().to_string()],
        },
        _ => return Err("dockerfile parse error: Unknown type \"".to_string() + kind + "\" in HEALTHCHECK (try CMD)"),
    };
    Ok(check)
}

/// The image's `Config.Healthcheck` as Docker marshals it (zero timings left out).
pub(crate) fn healthcheck_json(check: &Healthcheck) -> Value {
    let mut doc = serde_json::Map::new();
    doc.insert("Test".into(), json!(check.test));
    for (key, value) in [
        ("Interval", check.interval),
        ("Timeout", check.timeout),
        ("StartPeriod", check.start_period),
        ("StartInterval", check.start_interval),
    ] {
        if value != 0 {
            doc.insert(key.into(), json!(value));
        }
    }
    if check.retries != 0 {
        doc.insert("Retries".into(), json!(check.retries));
    }
    Value::Object(doc)
}

/// Go's `time.ParseDuration` (the clock's reader), in nanoseconds.
fn parse_duration(text: &str) -> Option<i64> {
    crate::clock::duration(text).and_then(|ns| i64::try_from(ns).ok())
}

/// Go's `time.Duration.String`: `0s`, `500ms`, `1.5s`, `1m30s`, `1h0m0s`.
fn go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let trim = |v: f64| {
        let text = format!("{v:.9}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if ns < 1_000_000_000 {
        return match ns {
            n if n < 1_000 => format!("{n}ns"),
            n if n < 1_000_000 => format!("{}µs", trim(n as f64 / 1e3)),
            n => format!("{}ms", trim(n as f64 / 1e6)),
        };
    }
    let (hours, rest) = (ns / 3_600_000_000_000, ns % 3_600_000_000_000);
    let (minutes, rest) = (rest / 60_000_000_000, rest % 60_000_000_000);
    let seconds = trim(rest as f64 / 1e9);
    match (hours, minutes) {
        (0, 0) => format!("{seconds}s"),
        (0, m) => format!("{m}m{seconds}s"),
        (h, m) => format!("{h}h{m}m{seconds}s"),
    }
}

/// Go's `%q` of a small number as a rune: `'\x00'`, `'\x04'`, `'\n'`, `'A'`.
fn go_rune(n: u32) -> String {
    match char::from_u32(n) {
        Some('\n') => "'\\n'".into(),
        Some('\t') => "'\\t'".into(),
        Some('\r') => "'\\r'".into(),
        Some(c) if !c.is_control() => format!("'{c}'"),
        _ => format!("'\\x{n:02x}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_print_as_go_does() {
        assert_eq!(parse_duration("1m30s"), Some(90_000_000_000));
        assert_eq!(go_duration(90_000_000_000), "1m30s");
        assert_eq!(go_duration(5_000_000_000), "5s");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(500_000_000), "500ms");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(go_rune(0), "'\\x00'");
        assert_eq!(go_rune(4), "'\\x04'");
        assert_eq!(parse_duration("x"), None);
    }
}
