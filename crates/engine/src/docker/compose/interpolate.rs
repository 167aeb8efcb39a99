//! Compose's interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
//! `${VAR:+alt}`, `${VAR+alt}`, `${VAR:?err}`, `${VAR?err}` and `$$` in every string of the
//! file, from the client's environment and then the project's `.env` (oracle-107). A variable
//! that is not set becomes empty, with a warning each time it is met.

use serde_json::Value;

/// Why a file could not be interpolated, in Compose's words (status 15).
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `${VAR:?message}` with VAR unset (or empty).
    Required { path: String, name: String, message: String },
    /// A `$` that begins no reference Compose can read.
    Format { path: String, text: String },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Required { path, name, message } if message.is_empty() => {
                write!(f, "error while interpolating {path}: required variable {name} is missing a value")
            }
            Refusal::Required { path, name, message } => {
                write!(f, "error while interpolating {path}: required variable {name} is missing a value: {message}")
            }
            Refusal::Format { path, text } => {
                write!(f, "invalid interpolation format for {path}.\nYou may need to escape any $ with another $.\n{text}")
            }
        }
    }
}

/// Interpolates every string of `doc` in place; returns the names of the unset variables met,
/// in the order met (one warning each).
pub fn interpolate(doc: &mut Value, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Vec<String>, Refusal> {
    let mut unset = Vec::new();
    walk(doc, "", lookup, &mut unset)?;
    Ok(unset)
}

fn walk(v: &mut Value, path: &str, lookup: &dyn Fn(&str) -> Option<String>, unset: &mut Vec<String>) -> Result<(), Refusal> {
    match v {
        Value::String(s) => {
            *s = substitute(s, path, lookup, unset)?;
        }
        Value::Array(items) => {
            for item in items {
                walk(item, path, lookup, unset)?;
            }
        }
        Value::Object(map) => {
            for (k, item) in map.iter_mut() {
                let inner = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                walk(item, &inner, lookup, unset)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One string: `$$` gives `$`; a reference gives its value.
pub fn substitute(text: &str, path: &str, lookup: &dyn Fn(&str) -> Option<String>, unset: &mut Vec<String>) -> Result<String, Refusal> {
    let chars: Vec<char> = text.chars().collect();
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let bad = || Refusal::Format { path: path.to_string(), text: text.to_string() };
    let mut out = String::new();
    let mut k = 0;
    while let Some(&c) = chars.get(k) {
        k += 1;
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.get(k) {
            Some('$') => {
                out.push('$');
                k += 1;
            }
            Some('{') => {
                let close = chars[k..].iter().position(|c| *c == '}').ok_or_else(bad)?;
                let inner: String = chars[k + 1..k + close].iter().collect();
                k += close + 1;
                let name: String = inner.chars().take_while(|c| is_name(*c)).collect();
                if name.is_empty() {
                    return Err(bad());
                }
                let modifier: String = inner.chars().skip(name.chars().count()).collect();
                let value = lookup(&name);
                let mut word = |w: &str| substitute(w, path, lookup, unset);
                let shown = if let Some(w) = modifier.strip_prefix(":-") {
                    match value.filter(|v| !v.is_empty()) {
                        Some(v) => v,
                        None => word(w)?,
                    }
                } else if let Some(w) = modifier.strip_prefix(":+") {
                    match value.filter(|v| !v.is_empty()) {
                        Some(_) => word(w)?,
                        None => String::new(),
                    }
                } else if let Some(w) = modifier.strip_prefix(":?") {
                    match value.filter(|v| !v.is_empty()) {
                        Some(v) => v,
                        None => return Err(Refusal::Required { path: path.to_string(), name, message: word(w)? }),
                    }
                } else if let Some(w) = modifier.strip_prefix('-') {
                    match value {
                        Some(v) => v,
                        None => word(w)?,
                    }
                } else if let Some(w) = modifier.strip_prefix('+') {
                    match value {
                        Some(_) => word(w)?,
                        None => String::new(),
                    }
                } else if let Some(w) = modifier.strip_prefix('?') {
                    match value {
                        Some(v) => v,
                        None => return Err(Refusal::Required { path: path.to_string(), name, message: word(w)? }),
                    }
                } else if modifier.is_empty() {
                    value.unwrap_or_else(|| {
                        unset.push(name.clone());
                        String::new()
                    })
                } else {
                    return Err(bad());
                };
                out.push_str(&shown);
            }
            Some(c) if is_name(*c) => {
                let name: String = chars[k..].iter().take_while(|c| is_name(**c)).collect();
                k += name.chars().count();
                out.push_str(&lookup(&name).unwrap_or_else(|| {
                    unset.push(name.clone());
                    String::new()
                }));
            }
            _ => out.push('$'),
        }
    }
    Ok(out)
}

/// The variables of a `.env` file: `NAME=value` lines, `#` comments, values in double quotes
/// (their `\n` and `\"` read) or single quotes (as written), or bare (trimmed; a ` #` starts
/// a comment).
pub fn dotenv(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else { continue };
        let value = value.trim();
        let value = if let Some(inner) = value.strip_prefix('"').and_then(|v| v.rsplit_once('"')).map(|(v, _)| v) {
            inner.replace("\\n", "\n").replace("\\\"", "\"")
        } else if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.rsplit_once('\'')).map(|(v, _)| v) {
            inner.to_string()
        } else {
            value.split(" #").next().unwrap_or("").trim_end().to_string()
        };
        out.push((name.trim().to_string(), value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str) -> Option<String> {
        match name {
            "TAG" => Some("v1".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn interpolates_as_compose_does() {
        // oracle-107's command line, with TAG=v1 EMPTY= in the environment.
        let mut unset = Vec::new();
        let text = "echo $$HOME [$${TAG}] ${TAG} ${MISSING} ${MISSING:-dflt} ${TAG:-x} ${EMPTY-e} ${EMPTY:-ce} $TAG";
        let got = substitute(text, "services.app.command", &vars, &mut unset);
        assert_eq!(got, Ok("echo $HOME [${TAG}] v1  dflt v1  ce v1".to_string()));
        assert_eq!(unset, vec!["MISSING".to_string()]);
    }

    #[test]
    fn refuses_in_composes_words() {
        let mut unset = Vec::new();
        let required = substitute("echo ${REQ:?must be set}", "services.app.command", &vars, &mut unset);
        assert_eq!(
            required.map_err(|e| e.to_string()),
            Err("error while interpolating services.app.command: required variable REQ is missing a value: must be set".into())
        );
        let open = substitute("echo ${BAD", "services.app.command", &vars, &mut unset);
        assert_eq!(
            open.map_err(|e| e.to_string()),
            Err("invalid interpolation format for services.app.command.\nYou may need to escape any $ with another $.\necho ${BAD".into())
        );
    }

    #[test]
    fn reads_a_dotenv_file() {
        let got = dotenv("TAG=fromdotenv\n# comment\nQ=\"quoted value\"\nS='single $TAG'\nB=bare # note\n");
        let want = [("TAG", "fromdotenv"), ("Q", "quoted value"), ("S", "single $TAG"), ("B", "bare")];
        assert_eq!(got, want.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>());
    }
}
