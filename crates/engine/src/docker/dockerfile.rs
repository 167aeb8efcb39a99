//! A Dockerfile read as BuildKit's frontend reads it: instructions, their continuation lines
//! and the line each starts on (for error excerpts).

/// One parsed Dockerfile instruction.
pub(super) struct Instruction {
    pub(super) keyword: String,
    pub(super) args: String,
    /// The line it starts on (1-based), for error excerpts.
    pub(super) line: usize,
}

impl Instruction {
    /// `COPY --from=NAME`: the named context (or stage) it reads.
    pub(super) fn from(&self) -> Option<&str> {
        self.args.split_whitespace().find_map(|w| w.strip_prefix("--from="))
    }
}

pub(super) fn parse_dockerfile(text: &str) -> Result<Vec<Instruction>, String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    let mut start = 0;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if pending.is_empty() && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        if pending.is_empty() {
            start = n + 1;
        }
        if let Some(stripped) = t.strip_suffix('\\') {
            pending.push_str(stripped);
            pending.push(' ');
            continue;
        }
        pending.push_str(t);
        let full = std::mem::take(&mut pending);
        let (kw, args) = full.split_once(char::is_whitespace).unwrap_or((&full, ""));
        let keyword = kw.to_ascii_uppercase();
        if !matches!(
            keyword.as_str(),
            "FROM"
                | "RUN"
                | "COPY"
                | "ADD"
                | "WORKDIR"
                | "USER"
                | "ENV"
                | "VOLUME"
                | "CMD"
                | "ENTRYPOINT"
                | "LABEL"
                | "EXPOSE"
                | "ARG"
                | "SHELL"
                | "STOPSIGNAL"
                | "HEALTHCHECK"
                | "ONBUILD"
                | "MAINTAINER"
        ) {
            return Err(format!("dockerfile parse error on line {}: unknown instruction: {}", n + 1, kw));
        }
        out.push(Instruction { keyword, args: args.trim().to_string(), line: start });
    }
    Ok(out)
}
