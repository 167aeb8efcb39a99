//! A Dockerfile read as BuildKit's frontend reads it: instructions, their continuation lines
//! and the line each starts on (for error excerpts).

/// One parsed Dockerfile instruction.
pub(super) struct Instruction {
    pub(super) keyword: String,
    pub(super) args: String,
    /// The line it starts on (1-based), for error excerpts.
    pub(super) line: usize,
    /// Its here-documents (`RUN <<EOF`, `COPY <<EOF /file`), in order.
    pub(super) heredocs: Vec<Heredoc>,
}

/// A here-document of an instruction: its delimiter, its text (tabs stripped for `<<-`), and
/// the lines as written, the delimiter's included (what a shell reads after the command).
#[derive(Clone)]
pub(super) struct Heredoc {
    pub(super) name: String,
    pub(super) body: String,
    pub(super) raw: String,
}

/// The here-document delimiters a line names (`<<EOF`, `<<-EOF`, `<<"EOF"`): each with
/// whether its lines lose their leading tabs.
fn heredoc_names(args: &str) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    let mut rest = args;
    while let Some(at) = rest.find("<<") {
        rest = rest.get(at + 2..).unwrap_or("");
        let (strip, after) = match rest.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let unquoted = after.trim_start_matches(['"', '\'']);
        let name: String = unquoted.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !name.starts_with(|c: char| c.is_ascii_digit()) {
            found.push((name, strip));
        }
    }
    found
}

impl Instruction {
    /// Whether the step reads the build context: a COPY or ADD of files (not of its
    /// here-documents only), a RUN with a bind mount of it.
    pub(super) fn reads_context(&self) -> bool {
        match self.keyword.as_str() {
            "COPY" | "ADD" => {
                let words: Vec<&str> = self.args.split_whitespace().filter(|w| !w.starts_with("--")).collect();
                self.from().is_none() && words.iter().rev().skip(1).any(|w| !w.starts_with("<<"))
            }
            "RUN" => self.run_binds_context(),
            _ => false,
        }
    }

    /// A RUN that bind-mounts the build context (`--mount=type=bind` without `from=`).
    pub(super) fn run_binds_context(&self) -> bool {
        self.keyword == "RUN"
            && self.args.split_whitespace().filter_map(|w| w.strip_prefix("--mount=")).any(|spec| {
                let fields: Vec<&str> = spec.split(',').collect();
                let bind = fields.iter().all(|f| !f.starts_with("type=")) || fields.contains(&"type=bind");
                bind && !fields.iter().any(|f| f.starts_with("from="))
            })
    }
    /// A RUN whose whole command is one here-document: its text is the script.
    pub(super) fn script_heredoc(&self) -> Option<&Heredoc> {
        let only = self.heredocs.first().filter(|_| self.heredocs.len() == 1)?;
        let token = self.args.trim().trim_start_matches("<<").trim_start_matches('-').trim_matches(['"', '\'']);
        (token == only.name).then_some(only)
    }

    /// The script a RUN runs: its command, then its here-documents' lines for the shell to
    /// read (or the one here-document that is the whole command).
    pub(super) fn run_script(&self, command: &str) -> String {
        match self.script_heredoc() {
            Some(doc) => doc.body.trim_end_matches('\n').to_string(),
            None if self.heredocs.is_empty() => command.to_string(),
            None => {
                let docs: String = self.heredocs.iter().map(|d| d.raw.as_str()).collect();
                format!("{command}\n{}", docs.trim_end_matches('\n'))
            }
        }
    }

    /// `COPY --from=NAME`: the named context (or stage) it reads.
    pub(super) fn from(&self) -> Option<&str> {
        self.args.split_whitespace().find_map(|w| w.strip_prefix("--from="))
    }
}

/// The instructions of a Dockerfile; `Err` carries the line it could not read and why.
pub(super) fn parse_dockerfile(text: &str) -> Result<Vec<Instruction>, (usize, String)> {
    let mut out = Vec::new();
    let mut pending = String::new();
    let mut start = 0;
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
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
        let (kw, _) = full.split_once(char::is_whitespace).unwrap_or((&full, ""));
        let mut heredocs = Vec::new();
        if matches!(kw.to_ascii_uppercase().as_str(), "RUN" | "COPY" | "ADD") {
            for (name, strip) in heredoc_names(&full) {
                let (mut body, mut raw) = (String::new(), String::new());
                for (_, doc_line) in lines.by_ref() {
                    let shown = if strip { doc_line.trim_start_matches('\t') } else { doc_line };
                    raw.push_str(shown);
                    raw.push('\n');
                    if shown == name {
                        break;
                    }
                    body.push_str(shown);
                    body.push('\n');
                }
                heredocs.push(Heredoc { name, body, raw });
            }
        }
        let (kw, args) = full.split_once(char::is_whitespace).unwrap_or((&full, ""));
        let keyword = kw.to_ascii_uppercase();
        if !INSTRUCTIONS.contains(&keyword.as_str()) {
            // In the case the word was written in.
            let lower = kw.chars().any(|c| c.is_ascii_lowercase());
            let hint = suggestion(&keyword)
                .map(|s| format!(" (did you mean {}?)", if lower { s.to_ascii_lowercase() } else { s.to_string() }))
                .unwrap_or_default();
            return Err((n + 1, format!("dockerfile parse error on line {}: unknown instruction: {kw}{hint}", n + 1)));
        }
        out.push(Instruction { keyword, args: args.trim().to_string(), line: start, heredocs });
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

/// The instructions a Dockerfile may use.
const INSTRUCTIONS: [&str; 18] = [
    "FROM",
    "RUN",
    "COPY",
    "ADD",
    "WORKDIR",
    "USER",
    "ENV",
    "VOLUME",
    "CMD",
    "ENTRYPOINT",
    "LABEL",
    "EXPOSE",
    "ARG",
    "SHELL",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "ONBUILD",
    "MAINTAINER",
];

/// BuildKit's guess at a misspelt instruction: the nearest by edit distance, if it is near
/// enough (no more edits than half the word's length).
fn suggestion(word: &str) -> Option<&'static str> {
    let (best, distance) = INSTRUCTIONS.iter().map(|i| (*i, edit_distance(word, i))).min_by_key(|(_, d)| *d)?;
    (distance > 0 && distance * 2 <= word.chars().count()).then_some(best)
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}
