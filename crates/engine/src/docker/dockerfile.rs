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

/// One build stage: a FROM and the instructions up to the next.
pub(super) struct Stage {
    /// `AS NAME`, lower-cased (BuildKit compares stage names without case).
    pub(super) alias: Option<String>,
    /// Its instructions' indices, the FROM first.
    pub(super) range: std::ops::Range<usize>,
}

impl Stage {
    /// The name BuildKit shows it under: its own, or `stage-N`.
    pub(super) fn label(&self, index: usize) -> String {
        self.alias.clone().unwrap_or_else(|| format!("stage-{index}"))
    }
}

/// The file's stages, in order.
pub(super) fn stages(instructions: &[Instruction]) -> Vec<Stage> {
    let starts: Vec<usize> = instructions.iter().enumerate().filter(|(_, i)| i.keyword == "FROM").map(|(at, _)| at).collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let words: Vec<&str> = instructions[start].args.split_whitespace().filter(|w| !w.starts_with("--")).collect();
            let alias = match words.as_slice() {
                [_, as_word, name, ..] if as_word.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
                _ => None,
            };
            let end = starts.get(n + 1).copied().unwrap_or(instructions.len());
            Stage { alias, range: start..end }
        })
        .collect()
}

/// The stage `name` (its alias, or its number) names among the stages before `before`.
pub(super) fn stage_named(stages: &[Stage], name: &str, before: usize) -> Option<usize> {
    let lower = name.to_ascii_lowercase();
    stages
        .iter()
        .take(before)
        .position(|s| s.alias.as_deref() == Some(lower.as_str()))
        .or_else(|| name.parse::<usize>().ok().filter(|n| *n < before))
}

/// Which stages building `target` needs: itself, and the stages it starts from or copies from,
/// again and again (BuildKit builds no other).
pub(super) fn needed(stages: &[Stage], instructions: &[Instruction], bases: &[String], target: usize) -> Vec<bool> {
    let mut needed = vec![false; stages.len()];
    let mut todo = vec![target];
    while let Some(n) = todo.pop() {
        if std::mem::replace(&mut needed[n], true) {
            continue;
        }
        let mut reads: Vec<&str> = vec![bases[n].as_str()];
        reads.extend(instructions[stages[n].range.clone()].iter().filter_map(Instruction::from));
        todo.extend(reads.into_iter().filter_map(|name| stage_named(stages, name, n)));
    }
    needed
}
