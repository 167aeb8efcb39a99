//! Stowage inside another page (an iframe in a tutorial): the query parameters that ask for
//! it (`/?embed&view=both&theme=dark&origin=https://example.org`, the session itself stays in
//! the hash) and the messages the host page and Stowage exchange (`docs/embed.md`). Pure: the
//! listener and the replies live in `crate::host`.

use serde_json::{json, Value};

/// What the embedding page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmbedView {
    Terminal,
    Map,
    Both,
}

/// The embed mode's parameters; `None` from [`parse_query`] when the page is not embedded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Embed {
    pub view: EmbedView,
    /// `light` or `dark` from the host; the system's otherwise.
    pub theme: Option<&'static str>,
    /// The only origin messages are taken from (and replies sent to); any parent's without it.
    pub origin: Option<String>,
}

/// Reads `?embed&view=…&theme=…&origin=…` (values percent-encoded). Unknown values fall back
/// to the defaults: both views, the system's theme.
pub fn parse_query(search: &str) -> Option<Embed> {
    let pairs: Vec<(String, String)> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    get("embed")?;
    let view = match get("view") {
        Some("terminal") => EmbedView::Terminal,
        Some("map") => EmbedView::Map,
        _ => EmbedView::Both,
    };
    let theme = match get("theme") {
        Some("light") => Some("light"),
        Some("dark") => Some("dark"),
        _ => None,
    };
    let origin = get("origin").filter(|o| !o.is_empty()).map(str::to_string);
    Some(Embed { view, theme, origin })
}

/// A query value: `+` is a space, then percent-escapes as in the hash (`link::decode`).
fn decode(text: &str) -> String {
    super::link::decode(&text.replace('+', " "))
}

/// A message from the host page.
#[derive(Clone, Debug, PartialEq)]
pub enum HostMessage {
    /// Type `command` into the terminal and run it; `id` comes back with the result.
    Run { command: String, id: Option<Value> },
    /// Start over: on `scenario`, or the current one's start.
    Reset { scenario: Option<String> },
    /// Play a level.
    Level { id: String },
}

/// Reads a message's data (as JSON). `Err` says why it is not one of ours, for one console
/// warning; data is never run as code.
pub fn parse_message(data: &Value) -> Result<HostMessage, String> {
    let kind = data.get("type").and_then(Value::as_str).ok_or("a message has a string `type`")?;
    let text = |key: &str| data.get(key).and_then(Value::as_str).map(str::to_string);
    match kind {
        "stowage:run" => {
            let command = text("command").ok_or("stowage:run needs a string `command`")?;
            Ok(HostMessage::Run { command, id: data.get("id").cloned() })
        }
        "stowage:reset" => Ok(HostMessage::Reset { scenario: text("scenario") }),
        "stowage:level" => Ok(HostMessage::Level { id: text("id").ok_or("stowage:level needs a string `id`")? }),
        other => Err(format!("unknown message type `{other}`")),
    }
}

/// What a command run for the host gave, as `stowage:ran` tells it.
#[derive(Clone, Debug, PartialEq)]
pub struct Ran {
    pub command: String,
    pub id: Option<Value>,
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    pub fn message(&self) -> Value {
        json!({
            "type": "stowage:ran",
            "command": self.command,
            "id": self.id.clone().unwrap_or(Value::Null),
            "exitCode": self.exit_code,
            "stdout": self.stdout,
            "stderr": self.stderr,
        })
    }
}

pub fn ready_message() -> Value {
    json!({ "type": "stowage:ready" })
}

pub fn resize_message(height: f64) -> Value {
    json!({ "type": "stowage:resize", "height": height.ceil() })
}

pub fn solved_message(level: &str) -> Value {
    json!({ "type": "stowage:solved", "level": level })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_asks_for_the_embed_mode_and_its_view_theme_and_origin() {
        assert_eq!(parse_query(""), None);
        assert_eq!(parse_query("?view=map"), None, "no embed without `embed`");
        assert_eq!(parse_query("?embed"), Some(Embed { view: EmbedView::Both, theme: None, origin: None }));
        assert_eq!(
            parse_query("?embed&view=map&theme=dark&origin=https%3A%2F%2Fexample.org"),
            Some(Embed { view: EmbedView::Map, theme: Some("dark"), origin: Some("https://example.org".into()) })
        );
        assert_eq!(parse_query("?embed=1&view=terminal&theme=pink").map(|e| (e.view, e.theme)), Some((EmbedView::Terminal, None)));
        assert_eq!(parse_query("?embed&origin=%ZZ").and_then(|e| e.origin).as_deref(), Some("%ZZ"));
    }

    #[test]
    fn messages_are_data_read_by_their_type() {
        let run = json!({ "type": "stowage:run", "command": "docker ps", "id": 7 });
        assert_eq!(parse_message(&run), Ok(HostMessage::Run { command: "docker ps".into(), id: Some(json!(7)) }));
        assert_eq!(parse_message(&json!({ "type": "stowage:reset" })), Ok(HostMessage::Reset { scenario: None }));
        assert_eq!(parse_message(&json!({ "type": "stowage:level", "id": "copy-up" })), Ok(HostMessage::Level { id: "copy-up".into() }));
        assert!(parse_message(&json!({ "type": "stowage:run", "command": 3 })).is_err());
        assert!(parse_message(&json!({ "type": "stowage:eval", "code": "alert(1)" })).is_err());
        assert!(parse_message(&json!("stowage:run")).is_err());
        let ran = Ran { command: "false".into(), id: None, exit_code: 1, stdout: String::new(), stderr: "x".into() };
        assert_eq!(ran.message()["exitCode"], json!(1));
        assert_eq!(ran.message()["id"], Value::Null);
    }
}
