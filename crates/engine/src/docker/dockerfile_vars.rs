//! Dockerfile variables as BuildKit substitutes them: `$NAME` and `${NAME}`, `${NAME:-word}`,
//! `${NAME-word}`, `${NAME:+word}` and `${NAME+word}` take an ENV value first, then a build
//! argument the stage declared; the build arguments' scopes (before the first FROM, in a
//! stage, given with `--build-arg`) are kept by [`Args`] (oracle-106).

/// How a text is substituted: as an instruction's words (quotes and escapes removed, a
/// variable without a value empty) or as a step's name (BuildKit keeps the quotes and escapes
/// and leaves a variable without a value as written).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Words,
    Name,
}

/// Substitutes the variables of `text`; `lookup` gives a variable's value.
pub fn substitute(text: &str, lookup: &dyn Fn(&str) -> Option<String>, mode: Mode) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let (mut single, mut double) = (false, false);
    let mut k = 0;
    while let Some(&c) = chars.get(k) {
        k += 1;
        match c {
            '\\' if !single => {
                let Some(&next) = chars.get(k) else {
                    out.push('\\');
                    continue;
                };
                k += 1;
                // Inside double quotes only `"`, `$` and `\` are escaped; a name keeps the escape.
                if mode == Mode::Name || (double && !matches!(next, '"' | '$' | '\\')) {
                    out.push('\\');
                }
                out.push(next);
            }
            '\'' if !double => {
                single = !single;
                if mode == Mode::Name {
                    out.push(c);
                }
            }
            '"' if !single => {
                double = !double;
                if mode == Mode::Name {
                    out.push(c);
                }
            }
            '$' if !single => {
                let (taken, value) = dollar(&chars[k..], lookup, mode);
                if taken == 0 {
                    out.push('$');
                } else {
                    out.push_str(&value);
                    k += taken;
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A `$…` reference after the dollar: the characters it takes and what it gives (nothing taken:
/// a lone `$`).
fn dollar(rest: &[char], lookup: &dyn Fn(&str) -> Option<String>, mode: Mode) -> (usize, String) {
    let is_name = |c: &char| c.is_ascii_alphanumeric() || *c == '_';
    if rest.first() != Some(&'{') {
        let name: String = rest.iter().take_while(|c| is_name(c)).collect();
        if name.is_empty() {
            return (0, String::new());
        }
        let taken = name.chars().count();
        let written: String = std::iter::once('$').chain(rest[..taken].iter().copied()).collect();
        return (taken, lookup(&name).unwrap_or(if mode == Mode::Name { written } else { String::new() }));
    }
    let Some(close) = rest.iter().position(|c| *c == '}') else { return (0, String::new()) };
    let inner: String = rest[1..close].iter().collect();
    let written = format!("${{{inner}}}");
    let name: String = inner.chars().take_while(is_name).collect();
    let modifier: String = inner.chars().skip(name.chars().count()).collect();
    let value = lookup(&name);
    if value.is_none() && mode == Mode::Name {
        return (close + 1, written);
    }
    let word = |w: &str| substitute(w, lookup, mode);
    let shown = if let Some(w) = modifier.strip_prefix(":-") {
        value.filter(|v| !v.is_empty()).unwrap_or_else(|| word(w))
    } else if let Some(w) = modifier.strip_prefix(":+") {
        value.filter(|v| !v.is_empty()).map(|_| word(w)).unwrap_or_default()
    } else if let Some(w) = modifier.strip_prefix('-') {
        value.unwrap_or_else(|| word(w))
    } else if let Some(w) = modifier.strip_prefix('+') {
        value.map(|_| word(w)).unwrap_or_default()
    } else {
        value.unwrap_or_default()
    };
    (close + 1, shown)
}

/// An instruction's words: split at blanks outside quotes, quotes and escapes kept.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut single, mut double, mut escaped) = (false, false, false);
    for c in text.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if !single => {
                escaped = true;
                cur.push(c);
            }
            '\'' if !double => {
                single = !single;
                cur.push(c);
            }
            '"' if !single => {
                double = !double;
                cur.push(c);
            }
            c if c.is_whitespace() && !single && !double => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `KEY=VALUE …` pairs (ENV, LABEL) substituted, or the old `KEY VALUE` form.
pub fn pairs(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    let all = words(text);
    match all.first() {
        Some(first) if !first.contains('=') => {
            let rest = text.trim_start().get(first.len()..).unwrap_or("").trim();
            vec![(substitute(first, lookup, Mode::Words), substitute(rest, lookup, Mode::Words))]
        }
        _ => all
            .iter()
            .map(|w| {
                let (k, v) = w.split_once('=').unwrap_or((w, ""));
                (substitute(k, lookup, Mode::Words), substitute(v, lookup, Mode::Words))
            })
            .collect(),
    }
}

/// The build arguments: `--build-arg`s, those declared before the first FROM, and those the
/// current stage declared, in their order (a value, or none when declared without one).
#[derive(Default)]
pub struct Args {
    given: Vec<(String, String)>,
    global: Vec<(String, Option<String>)>,
    stage: Vec<(String, Option<String>)>,
}

impl Args {
    pub fn new(given: Vec<(String, String)>) -> Args {
        Args { given, ..Args::default() }
    }

    /// `ARG NAME[=DEFAULT] …`: a given value wins, then the default, then (in a stage) the
    /// global of that name. The defaults are substituted with what held before the line
    /// (`env`: what the ENV instructions set). Returns the line as history shows it: each
    /// default substituted.
    pub fn declare(&mut self, text: &str, in_stage: bool, env: &dyn Fn(&str) -> Option<String>) -> String {
        let mut declared = Vec::new();
        let mut shown = Vec::new();
        for w in words(text) {
            let lookup = |n: &str| env(n).or_else(|| self.value(n, in_stage));
            let (name, default) = match w.split_once('=') {
                Some((n, d)) => (n.to_string(), Some(substitute(d, &lookup, Mode::Words))),
                None => (w.clone(), None),
            };
            shown.push(match &default {
                Some(d) => format!("{name}={d}"),
                None => name.clone(),
            });
            let given = self.given.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
            let global = || self.global.iter().find(|(n, _)| *n == name).and_then(|(_, v)| v.clone());
            let value = given.or(default).or_else(|| if in_stage { global() } else { None });
            declared.push((name, value));
        }
        let scope = if in_stage { &mut self.stage } else { &mut self.global };
        for (name, value) in declared {
            scope.retain(|(n, _)| *n != name);
            scope.push((name, value));
        }
        shown.join(" ")
    }

    /// A new stage sees none of the last stage's arguments.
    pub fn new_stage(&mut self) {
        self.stage.clear();
    }

    /// An argument's value: the stage's, or before any stage the global one.
    pub fn value(&self, name: &str, in_stage: bool) -> Option<String> {
        let scope = if in_stage { &self.stage } else { &self.global };
        scope.iter().find(|(n, _)| n == name).and_then(|(_, v)| v.clone())
    }

    /// The stage's arguments as a RUN step's history names them: `|2 A=1 B=`.
    pub fn history_prefix(&self) -> String {
        if self.stage.is_empty() {
            return String::new();
        }
        let list: Vec<String> = self.stage.iter().map(|(n, v)| format!("{n}={}", v.as_deref().unwrap_or(""))).collect();
        format!("|{} {} ", self.stage.len(), list.join(" "))
    }

    /// The stage's arguments with a value, as a RUN step's environment (`NAME=VALUE`).
    pub fn environment(&self) -> Vec<String> {
        self.stage.iter().filter_map(|(n, v)| v.as_ref().map(|v| format!("{n}={v}"))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str) -> Option<String> {
        match name {
            "APP" => Some("/app".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn substitutes_as_buildkit_does() {
        let w = |t: &str| substitute(t, &vars, Mode::Words);
        assert_eq!(w("$APP/data ${APP}/log"), "/app/data /app/log");
        assert_eq!(w("\\$APP \"$APP x\" '$APP'"), "$APP /app x $APP");
        assert_eq!(w("${NOPE:-8080} ${EMPTY:-d} ${EMPTY-d} ${APP:+set} ${NOPE+set}|"), "8080 d  set |");
        assert_eq!(w("$NOPE/x costs $ 5"), "/x costs $ 5");
    }

    #[test]
    fn a_step_name_keeps_quotes_and_what_has_no_value() {
        // oracle-106: `RUN echo "hello, ${WHO:-nobody}"` with WHO declared and not given.
        let n = |t: &str| substitute(t, &vars, Mode::Name);
        assert_eq!(n("echo \"$APP, ${WHO:-nobody}\" $UNSET '${APP}'"), "echo \"/app, ${WHO:-nobody}\" $UNSET '${APP}'");
    }

    #[test]
    fn arguments_take_the_given_value_then_the_default_then_the_global() {
        let none = |_: &str| None;
        let mut args = Args::new(vec![("WHO".into(), "student".into())]);
        args.declare("V=1 BASE=busybox", false, &none);
        args.declare("GREETING=hello WHO V", true, &none);
        // oracle-106: a default sees what held before its line, not its neighbours.
        assert_eq!(args.declare("DIR=$GREETING/x C=$DIR", true, &none), "DIR=hello/x C=");
        assert_eq!(args.value("WHO", true).as_deref(), Some("student"));
        assert_eq!(args.value("V", true).as_deref(), Some("1"));
        assert_eq!(args.value("BASE", true), None);
        assert_eq!(args.history_prefix(), "|5 GREETING=hello WHO=student V=1 DIR=hello/x C= ");
        args.new_stage();
        assert_eq!(args.environment(), Vec::<String>::new());
    }
}
