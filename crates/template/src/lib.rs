//! Go's `text/template`, as Docker 26's `--format` flag uses it, over JSON
//! data; plus Go's `text/tabwriter` ([`tabwriter`]).
//!
//! ```
//! use serde_json::json;
//! let data = json!({"Name": "/web", "Mounts": [{"Type": "volume", "Name": "data"}]});
//! let out = stowage_template::render("{{.Name}} {{(index .Mounts 0).Name}}", &data).unwrap();
//! assert_eq!(out, "/web data");
//! ```
//!
//! # Language
//!
//! The Go 1.21 template language (Docker 26 is built with Go 1.21): text and
//! `{{ }}` actions with `{{- ` / ` -}}` trimming and `{{/* */}}` comments;
//! fields `.A.B`, `.`, `$`, variables (`$x := p`, `$x = p`), pipelines,
//! parenthesized expressions with field access, string (`"..."` with Go
//! escapes, `` `raw` ``), character, number, `true`/`false` and `nil`
//! literals; `if`/`else if`/`else`, `range` (with `$i, $e :=`, `else`,
//! `break`, `continue`), `with`/`else`, `define`, `template`, `block`.
//!
//! Functions: Go's `and`, `or` (short-circuiting), `not`, `eq`, `ne`, `lt`,
//! `le`, `gt`, `ge`, `index`, `slice`, `len`, `print`, `printf`, `println`,
//! `html`, `js`, `urlquery`, `call`; Docker's `json`, `split`, `join`,
//! `title`, `lower`, `upper`, `pad`, `truncate`. Parse and execution errors
//! carry Go's messages, e.g. `template: :1: unclosed action` or
//! `template: :1:8: executing "" at <.State.Foo>: map has no entry for key "Foo"`.
//!
//! # Data model
//!
//! JSON values stand for the Go values Docker would execute on:
//!
//! | JSON | Go type | `{{.}}` prints |
//! |---|---|---|
//! | string | `string` | the text |
//! | integer | `int` | `42` |
//! | other number | `float64` | Go `%v`: `1.5`, `1e+06` |
//! | `true`/`false` | `bool` | `true` |
//! | array | `[]interface {}` | `[a b c]` |
//! | object | `map[string]interface {}` | `map[k1:v1 k2:v2]` (keys sorted) |
//! | `null` | nil pointer | `<nil>` |
//! | missing key | (no value) | `<no value>` |
//!
//! Docker executes inspect templates on typed Go structs, whose empty values
//! JSON cannot express: a nil `map` prints `map[]` and a nil slice `[]`.
//! Callers should pass `{}` / `[]` where Go would have such empty typed
//! values, `""` for empty string fields, and `null` where Go has a nil
//! pointer (it prints `<nil>`). Objects are Go maps, so `.Missing` is
//! `<no value>` (or an error with [`MissingKey::Error`], which is what
//! `docker inspect` shows when a field does not exist: it retries on the raw
//! JSON with `missingkey=error`). `index` of a missing key yields `""` when
//! all values of the object are strings (Docker's `map[string]string`
//! labels and options), `<no value>` otherwise. A JSON array whose elements
//! are all strings is accepted where Go wants a `[]string` (`join`).
//!
//! Object members keep their order in `json` output (serde_json's
//! `preserve_order`); printing and `range` visit them sorted, as Go does
//! for maps.
//!
//! # Not supported
//!
//! Complex and imaginary number literals, methods (but for lookups such as
//! Docker's `.Label "key"`: see [`LOOKUP_MARKER`]),
//! `call` of anything (there are no function values), Go 1.22+ additions
//! (`range` over an integer, `else with`), `%x`/`%b` of floats and `%p`.
//!
//! # Limits
//!
//! So that no input can exhaust the 1 MiB stack of a wasm32 module, nesting
//! of parenthesized pipelines and control structures is limited to 100
//! levels (`max expression depth exceeded`, as Go reports past its own
//! limit) and `{{template}}` calls to 100 levels (`exceeded maximum template
//! depth (100)`). [`Options::max_steps`] and [`Options::max_output`] stop
//! runaway executions.

// User text reaches every slice; a slice off a char boundary would panic.
#![deny(clippy::string_slice)]

mod exec;
mod funcs;
mod gofmt;
mod json;
mod lex;
mod parse;
pub mod tabwriter;
mod value;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod utf8_tests;

use std::fmt;

/// A member with this key marks a JSON object as a Go struct: `{{.}}` prints it as
/// `{v1 v2 …}` (field values in order) instead of a map; `json` leaves the member out.
pub const STRUCT_MARKER: &str = "\u{0}struct";

/// A JSON object `{NIL_MARKER: "slice"}` (or `"map"`) stands for a typed Go nil: `{{.}}`
/// prints `[]` (or `map[]`), `json` prints `null`, and it is empty and false.
pub const NIL_MARKER: &str = "\u{0}nil";

/// A JSON object with the member `LOOKUP_MARKER` stands for a Go method of one string
/// argument that looks its argument up in the object's other members (`""` when absent):
/// Docker's `{{.Label "key"}}` in list formats.
pub const LOOKUP_MARKER: &str = "\u{0}lookup";

/// Whether an error comes from parsing or executing a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The template text is malformed (Go's `Parse` error).
    Parse,
    /// Executing the template on the data failed (Go's `ExecError`).
    Exec,
}

/// A template error. `Display` gives Go's message, e.g.
/// `template: :1: function "foo" not defined`. Docker prints it after
/// `template parsing error: ` (for both kinds); see
/// [`TemplateError::docker_message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    kind: ErrorKind,
    message: String,
    missing_key: Option<String>,
}

impl TemplateError {
    pub(crate) fn new(kind: ErrorKind, message: String) -> Self {
        TemplateError { kind, message, missing_key: None }
    }

    pub(crate) fn with_missing_key(mut self, key: &str) -> Self {
        self.missing_key = Some(key.to_string());
        self
    }

    /// The key whose absence failed execution ([`MissingKey::Error`] or
    /// [`Options::root_type`]), if that is what failed.
    pub fn missing_key(&self) -> Option<&str> {
        self.missing_key.as_deref()
    }

    /// Parse or execution error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// True for a parse error.
    pub fn is_parse(&self) -> bool {
        self.kind == ErrorKind::Parse
    }

    /// Go's error message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message as the Docker CLI prints it:
    /// `template parsing error: <message>`.
    pub fn docker_message(&self) -> String {
        format!("template parsing error: {}", self.message)
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

/// What a field lookup of a key an object does not have yields (Go's
/// `missingkey` option).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingKey {
    /// No value: prints `<no value>` (Go's default).
    #[default]
    Default,
    /// An execution error: `map has no entry for key "X"`. The data is then
    /// the raw JSON Docker's `inspect` retries on: a field asked of a value
    /// that is not a map fails `in type interface {}`, Go's static type there.
    Error,
}

/// Execution options.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Options {
    /// Go's `missingkey` option.
    pub missing_key: MissingKey,
    /// Use Docker's `HeaderFunctions`, with which table headers are
    /// rendered: `json`, `split`, `join`, `title`, `lower`, `upper` and
    /// `truncate` return their first (string) argument unchanged.
    pub header_functions: bool,
    /// Execution stops with an error after this many steps (a guard
    /// against templates that would run for a very long time).
    pub max_steps: u64,
    /// Execution stops with an error once the output would exceed this
    /// many bytes.
    pub max_output: usize,
    /// Object members that `json` leaves out when they hold an empty string
    /// or null: the fields Docker's Go structs tag `omitempty` (e.g. a mount's
    /// `Name` and `Driver`, a container's `SizeRw`), which templates still read
    /// as `""` or `<nil>`.
    pub omit_empty: Vec<String>,
    /// The data's top level stands for a Go struct of this type: a key it
    /// lacks fails as Go's `can't evaluate field X in type T` (a missing key
    /// further down follows [`Options::missing_key`]).
    pub root_type: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            missing_key: MissingKey::Default,
            header_functions: false,
            max_steps: 10_000_000,
            max_output: 32 << 20,
            omit_empty: Vec::new(),
            root_type: None,
        }
    }
}

impl Options {
    /// Sets [`Options::missing_key`].
    pub fn missing_key(mut self, m: MissingKey) -> Self {
        self.missing_key = m;
        self
    }

    /// Sets [`Options::omit_empty`].
    pub fn omit_empty(mut self, keys: &[&str]) -> Self {
        self.omit_empty = keys.iter().map(|k| k.to_string()).collect();
        self
    }

    /// Sets [`Options::root_type`].
    pub fn root_type(mut self, name: &str) -> Self {
        self.root_type = Some(name.to_string());
        self
    }

    /// Sets [`Options::header_functions`].
    pub fn header_functions(mut self, on: bool) -> Self {
        self.header_functions = on;
        self
    }

    /// Sets [`Options::max_steps`].
    pub fn max_steps(mut self, n: u64) -> Self {
        self.max_steps = n;
        self
    }

    /// Sets [`Options::max_output`].
    pub fn max_output(mut self, bytes: usize) -> Self {
        self.max_output = bytes;
        self
    }
}

/// A parsed template.
#[derive(Debug)]
pub struct Template {
    text: String,
    trees: parse::Trees,
}

impl Template {
    /// Parses a template (Docker's `templates.Parse`: an unnamed template
    /// with Docker's functions).
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let is_function = |name: &str| funcs::is_function(name);
        let trees = parse::Parser::new(text, &is_function).parse()?;
        Ok(Template { text: text.to_string(), trees })
    }

    /// Executes the template on `data` with default options.
    pub fn execute(&self, data: &serde_json::Value) -> Result<String, TemplateError> {
        self.execute_with(data, &Options::default())
    }

    /// Executes the template on `data`.
    pub fn execute_with(&self, data: &serde_json::Value, opts: &Options) -> Result<String, TemplateError> {
        exec::execute(&self.text, &self.trees, data, opts)
    }
}

/// Parses and executes `template` on `data`.
pub fn render(template: &str, data: &serde_json::Value) -> Result<String, TemplateError> {
    Template::parse(template)?.execute(data)
}

/// Parses and executes `template` on `data` with options.
pub fn render_with(template: &str, data: &serde_json::Value, opts: &Options) -> Result<String, TemplateError> {
    Template::parse(template)?.execute_with(data, opts)
}

/// Docker's escape handling for `--format` of list commands (`docker ps`,
/// `volume ls`, ...): the two-character sequences `\t` and `\n` become a tab
/// and a newline (docker/cli `formatter.Context.preFormat`,
/// `strings.NewReplacer(`\t`, "\t", `\n`, "\n")`). Go templates themselves
/// do not interpret backslashes in text. `docker inspect --format` does not
/// do this replacement.
pub fn unescape_tabs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('t') => {
                    chars.next();
                    out.push('\t');
                    continue;
                }
                Some('n') => {
                    chars.next();
                    out.push('\n');
                    continue;
                }
                _ => {}
            }
        }
        out.push(c);
    }
    out
}

/// A `--format` value of a list command, prepared as docker/cli's
/// `formatter.Context.preFormat` does.
///
/// Docker renders each row with the template and appends `"\n"`. For a
/// table it first renders the header row with the same template on a map of
/// column titles with [`Options::header_functions`] set, writes it and
/// `"\n"` to a [`tabwriter::TabWriter::docker`], then the rows, and flushes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListFormat {
    /// The format started with `table`: output goes through
    /// [`tabwriter::TabWriter::docker`] with a header row first.
    pub table: bool,
    /// The template text to parse.
    pub template: String,
}

/// Docker's handling of a list command's `--format` value: a leading
/// `table` is cut off (and selects table output), `json` means
/// `{{json .}}`, surrounding spaces are trimmed and `\t` / `\n` are
/// unescaped (see [`unescape_tabs`]).
pub fn list_format(format: &str) -> ListFormat {
    let (table, body) = match format.strip_prefix("table") {
        Some(rest) => (true, rest),
        None if format == "json" => (false, "{{json .}}"),
        None => (false, format),
    };
    ListFormat { table, template: unescape_tabs(body.trim_matches(' ')) }
}
