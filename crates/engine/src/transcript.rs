//! The transcript format of the reference sessions: `$ command`, stdout lines,
//! `stderr| ` lines, `[exit N]`, a blank line; `#` comment lines. The project's own transcripts
//! may also pin the events each command emits (`event| ` lines, the event's kind and fields, before
//! `[exit N]`): a file that has any, or the comment line `# with events`, replays with them.

use crate::{Engine, Outcome};

/// The command lines of a transcript (with the comments that precede them).
pub enum Item {
    /// A `#` line, or the blank line that follows comments in a recorded header: echoed as is.
    Comment(String),
    Command(String),
}

pub fn parse(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut in_block = false;
    // A file without any `[exit N]` line is a plain list of commands.
    let script = !text.lines().any(|l| l.starts_with("[exit "));
    for line in text.lines() {
        if in_block && !script {
            if line.starts_with("[exit ") && line.ends_with(']') {
                in_block = false;
            }
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            items.push(Item::Command(cmd.to_string()));
            in_block = !script;
        } else if line.starts_with('#') {
            items.push(Item::Comment(line.to_string()));
        } else if line.is_empty() && matches!(items.last(), Some(Item::Comment(c)) if c.starts_with('#')) {
            items.push(Item::Comment(String::new()));
        }
    }
    items
}

/// Renders one command's result in transcript form.
pub fn render(cmd: &str, o: &Outcome) -> String {
    render_with(cmd, o, false)
}

/// Whether a transcript pins its commands' events.
pub fn has_events(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("event| ") || l == "# with events")
}

/// Renders one command's result, with its events when `events` is set.
pub fn render_with(cmd: &str, o: &Outcome, events: bool) -> String {
    let mut s = format!("$ {cmd}\n");
    let lines = |text: &str| -> Vec<String> {
        if text.is_empty() {
            return Vec::new();
        }
        let t = text.strip_suffix('\n').unwrap_or(text);
        t.split('\n').map(str::to_string).collect()
    };
    for l in lines(&o.stdout) {
        s.push_str(&l);
        s.push('\n');
    }
    for l in lines(&o.stderr) {
        s.push_str("stderr| ");
        s.push_str(&l);
        s.push('\n');
    }
    if events {
        for e in &o.events {
            s.push_str(&format!("event| {e:?}\n"));
        }
    }
    s.push_str(&format!("[exit {}]\n\n", o.exit_code));
    s
}

/// Replays every command of `text` in a fresh canonical world.
pub fn replay(text: &str) -> String {
    let events = has_events(text);
    let mut engine = Engine::new();
    let mut out = String::new();
    for item in parse(text) {
        match item {
            Item::Comment(c) => {
                out.push_str(&c);
                out.push('\n');
            }
            Item::Command(cmd) => {
                let o = engine.run(&cmd);
                out.push_str(&render_with(&cmd, &o, events));
            }
        }
    }
    out
}
