//! The address of a session: `#scenario=ID&run=LINES`. Opening it prepares the scenario and
//! replays the lines, so a link shares exactly what the learner sees (the engine is deterministic).
//! A level is `#level=ID`; a teacher's own level travels in the address itself,
//! `#level-text=DATA` (its YAML, deflated and base64url-encoded: `stowage level link FILE`).

/// The most text of commands an address carries; a longer session keeps only its scenario.
const MAX_RUN_BYTES: usize = 4000;

/// What an address asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub scenario: Option<String>,
    /// A level to play (`#level=ID`), instead of a scenario.
    pub level: Option<String>,
    /// A level's own text, compressed (`#level-text=DATA`), kept as it came: the page inflates it.
    pub level_text: Option<String>,
    /// Command lines to replay, in order (a line may hold a here-document's newlines).
    pub run: Vec<String>,
}

/// Reads `#scenario=postgres&run=echo%20hi%0Ads`.
pub fn parse(hash: &str) -> Link {
    let mut link = Link::default();
    for pair in hash.trim_start_matches('#').split('&') {
        match pair.split_once('=') {
            Some(("scenario", id)) if !id.is_empty() => link.scenario = Some(decode(id)),
            Some(("level", id)) if !id.is_empty() => link.level = Some(decode(id)),
            Some(("level-text", data)) if !data.is_empty() => link.level_text = Some(decode(data)),
            // A hand-written address may say `run=` more than once: every line runs, in order.
            Some(("run", lines)) if !lines.is_empty() => link.run.extend(decode(lines).split('\u{1e}').map(str::to_string)),
            _ => {}
        }
    }
    link
}

/// Whether an address can carry all of `run` (a longer session is shared as its scenario only).
pub fn carries(run: &[String]) -> bool {
    run.iter().map(|l| l.len() + 1).sum::<usize>() <= MAX_RUN_BYTES + 1
}

/// The hash for a scenario (`sandbox` has none) and the lines run since it started.
pub fn format(scenario: &str, run: &[String]) -> String {
    let start = (scenario != "sandbox").then(|| format!("scenario={}", encode(scenario)));
    with_run(start, run)
}

/// The hash for a level and the lines run since it started.
pub fn format_level(level: &str, run: &[String]) -> String {
    with_run(Some(format!("level={}", encode(level))), run)
}

/// The hash for a level that came in its link (`data` as it came) and the lines run since.
pub fn format_level_text(data: &str, run: &[String]) -> String {
    with_run(Some(format!("level-text={}", encode(data))), run)
}

fn with_run(start: Option<String>, run: &[String]) -> String {
    let mut parts: Vec<String> = start.into_iter().collect();
    // Lines are separated by the record separator: a line itself may contain newlines.
    let joined = run.join("\u{1e}");
    if !run.is_empty() && carries(run) {
        parts.push(format!("run={}", encode(&joined)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("#{}", parts.join("&"))
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), byte by byte.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Undoes [`encode`]; a malformed escape is kept as text.
pub(crate) fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_round_trips_through_its_address() {
        let run = vec!["echo 'hi there' > ~/f.txt".to_string(), "cat <<EOF\nä & =\nEOF".to_string()];
        let hash = format("postgres", &run);
        assert!(hash.starts_with("#scenario=postgres&run=echo%20"), "{hash}");
        assert_eq!(parse(&hash), Link { scenario: Some("postgres".into()), run, ..Link::default() });
        let level = format_level("copy-up", &["ls".into()]);
        assert_eq!(level, "#level=copy-up&run=ls");
        assert_eq!(parse(&level).level.as_deref(), Some("copy-up"));
        let custom = format_level_text("q1Y-_x", &["ls".into()]);
        assert_eq!(custom, "#level-text=q1Y-_x&run=ls");
        assert_eq!(parse(&custom).level_text.as_deref(), Some("q1Y-_x"));
    }

    #[test]
    fn every_run_of_a_hand_written_address_runs() {
        assert_eq!(parse("#run=ls&run=pwd%1Eid").run, ["ls", "pwd", "id"]);
    }

    #[test]
    fn the_sandbox_with_nothing_run_has_no_hash_and_bad_input_is_harmless() {
        assert_eq!(format("sandbox", &[]), "");
        assert_eq!(format("sandbox", &["ls".into()]), "#run=ls");
        assert_eq!(parse("#run=%ZZ%4"), Link { run: vec!["%ZZ%4".into()], ..Link::default() });
        assert_eq!(parse("#junk&scenario="), Link::default());
        let long = vec!["x".repeat(MAX_RUN_BYTES + 1)];
        assert_eq!(format("tmpfs", &long), "#scenario=tmpfs");
        assert!(!carries(&long));
        // The limit counts the separators too.
        let two = vec!["x".repeat(MAX_RUN_BYTES / 2), "y".repeat(MAX_RUN_BYTES / 2)];
        assert!(!carries(&two) && carries(&two[..1]) && carries(&[]));
    }
}
