//! `--format` templates and Docker's tables (Go text/tabwriter with minwidth 10, padding 3).

use serde_json::Value;

/// Fields Docker's structs tag `omitempty` that templates still read: `json` leaves them out
/// when empty.
const OMITTED_WHEN_EMPTY: &[&str] = &["Name", "Driver", "SizeRw", "SizeRootFs", "Node", "Health"];

/// Fields of the inspect structs that `omitempty` leaves out of the JSON (container and image
/// Config, State, HostConfig, a volume's): a template reads them as their zero value, not as
/// a field the struct lacks.
const TYPED_BUT_OMITTED: &[&str] = &[
    "Healthcheck",
    "ArgsEscaped",
    "NetworkDisabled",
    "MacAddress",
    "StopSignal",
    "StopTimeout",
    "Shell",
    "OnBuild",
    "Health",
    "SizeRw",
    "SizeRootFs",
    "Node",
    "Status",
    "UsageData",
    "ClusterVolume",
    "Annotations",
    "Mounts",
    "Init",
    "Metadata",
    "Parent",
    "Comment",
    "Author",
    "DockerVersion",
    "Variant",
    "OsVersion",
    "OSVersion",
    "OsFeatures",
    "Descriptor",
];

/// Renders one value with a user template; `Err` carries Docker's message.
pub fn render(template: &str, data: &Value) -> Result<String, String> {
    let opts = stowage_template::Options::default().omit_empty(OMITTED_WHEN_EMPTY);
    stowage_template::render_with(template, &with_go_zero_values(data), &opts).map_err(|e| e.to_string())
}

/// An inspect document through a user template, as the CLI runs it: on its typed struct
/// first; a field the struct does not have fails there. `docker inspect` then retries on
/// the raw JSON with `missingkey=error` (`map has no entry for key`); `docker volume inspect`
/// names its type (`typed`: `volume.Volume`) instead (oracle-141). A field the struct has but
/// the JSON leaves out when empty reads as no value.
fn render_doc(template: &str, data: &Value, typed: Option<&str>) -> Result<String, String> {
    let filled = with_go_zero_values(data);
    let plain = stowage_template::Options::default().omit_empty(OMITTED_WHEN_EMPTY);
    let strict = match typed {
        Some(t) => plain.clone().root_type(t),
        None => plain.clone().missing_key(stowage_template::MissingKey::Error),
    };
    match stowage_template::render_with(template, &filled, &strict) {
        Err(e) if e.missing_key().is_some_and(|k| TYPED_BUT_OMITTED.contains(&k)) => {
            stowage_template::render_with(template, &filled, &plain).map_err(|e| e.to_string())
        }
        done => done.map_err(|e| e.to_string()),
    }
}

/// Docker runs templates on Go structs: a mount's `Name` and `Driver` exist (as `""`) even
/// where the JSON leaves them out (`omitempty`). Fills them in, in the struct's field order.
fn with_go_zero_values(data: &Value) -> Value {
    let mut data = data.clone();
    if let Some(Value::Array(mounts)) = data.get_mut("Mounts") {
        for m in mounts.iter_mut() {
            if let Value::Object(o) = m {
                if o.contains_key("Destination") {
                    // A MountPoint struct: all its fields, in order, printed as `{…}`.
                    let mut full = serde_json::Map::new();
                    full.insert(stowage_template::STRUCT_MARKER.into(), Value::Bool(true));
                    for key in ["Type", "Name", "Source", "Destination", "Driver", "Mode", "RW", "Propagation"] {
                        full.insert(key.into(), o.get(key).cloned().unwrap_or_else(|| Value::String(String::new())));
                    }
                    *o = full;
                }
            }
        }
    }
    // Go's typed nils: a nil slice prints `[]` and a nil map `map[]`, yet `json` gives `null`.
    let nil = |kind: &str| serde_json::json!({ stowage_template::NIL_MARKER: kind });
    for (path, kind) in [
        (&["HostConfig", "Binds"][..], "slice"),
        (&["HostConfig", "VolumesFrom"][..], "slice"),
        (&["HostConfig", "Tmpfs"][..], "map"),
        (&["Config", "Volumes"][..], "map"),
        (&["Config", "Labels"][..], "map"),
        (&["Config", "Entrypoint"][..], "slice"),
        (&["Labels"][..], "map"),
        (&["Options"][..], "map"),
    ] {
        let mut cur = Some(&mut data);
        for key in &path[..path.len() - 1] {
            cur = cur.and_then(|c| c.get_mut(*key));
        }
        if let Some(Value::Object(o)) = cur {
            match o.get(path[path.len() - 1]) {
                Some(Value::Null) | None
                    if o.contains_key("Binds") || o.contains_key("Volumes") || o.contains_key("Mountpoint") || o.contains_key("Driver") =>
                {
                    o.insert(path[path.len() - 1].into(), nil(kind));
                }
                _ => {}
            }
        }
    }
    // A container's State is a struct (`{running true false …}`), its health a nil pointer
    // without a health check; the size fields and Node are nil pointers unless asked for.
    if data.get("State").is_some() && data.get("HostConfig").is_some() {
        if let Some(Value::Object(state)) = data.get_mut("State") {
            state.insert(stowage_template::STRUCT_MARKER.into(), Value::Bool(true));
            state.entry("Health").or_insert(Value::Null);
        }
        if let Value::Object(doc) = &mut data {
            for key in ["SizeRw", "SizeRootFs", "Node"] {
                doc.entry(key).or_insert(Value::Null);
            }
        }
    }
    // `Config.Volumes` is a map of empty structs: `map[/data:{}]`.
    if let Some(Value::Object(vols)) = data.get_mut("Config").and_then(|c| c.get_mut("Volumes")) {
        for v in vols.values_mut() {
            if let Value::Object(o) = v {
                o.insert(stowage_template::STRUCT_MARKER.into(), Value::Bool(true));
            }
        }
    }
    data
}

/// Renders a list command's `--format` (plain or `table ...`) over its rows.
/// `headers` maps each field to its column title (`Names` → `NAMES`).
pub fn render_list(format: &str, rows: &[Value], headers: &[(&str, &str)]) -> Result<String, String> {
    let lf = stowage_template::list_format(format);
    let tpl = stowage_template::Template::parse(&lf.template).map_err(|e| e.to_string())?;
    let opts = stowage_template::Options::default().omit_empty(OMITTED_WHEN_EMPTY);
    let mut text = String::new();
    // `{{json .}}` (and `--format json`) marshals the row as the CLI's formatter contexts do.
    if lf.template.trim() == "{{json .}}" && !lf.table {
        for r in rows {
            text.push_str(&context_json(r));
            text.push('\n');
        }
        return Ok(text);
    }
    if lf.table {
        let header: serde_json::Map<String, Value> = headers.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect();
        let hopts = stowage_template::Options::default().header_functions(true);
        text.push_str(&tpl.execute_with(&Value::Object(header), &hopts).map_err(|e| e.to_string())?);
        text.push('\n');
    }
    for r in rows {
        text.push_str(&tpl.execute_with(&with_go_zero_values(r), &opts).map_err(|e| e.to_string())?);
        text.push('\n');
    }
    Ok(if lf.table { stowage_template::tabwriter::docker_table(&text) } else { text })
}

/// A list row as Go's `json.Marshal` writes a formatter context: a field per method that
/// takes no argument (not `Label`), in name order, every value a string, `<`, `>` and `&`
/// escaped (oracle-115).
fn context_json(row: &Value) -> String {
    let Value::Object(map) = row else { return row.to_string() };
    let mut fields: Vec<(&String, String)> = map
        .iter()
        .filter(|(k, _)| k.as_str() != "Label")
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, text)
        })
        .collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            let quoted = Value::String(v.clone()).to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
            format!("{}:{quoted}", Value::String((*k).clone()))
        })
        .collect();
    format!("{{{}}}", body.join(","))
}

/// Prints a list command's `--format` output; a bad template exits 64 as Docker does.
pub fn print_list(io: &mut crate::shell::Io, format: &str, rows: &[Value], headers: &[(&str, &str)]) -> i32 {
    match render_list(format, rows, headers) {
        Ok(s) => {
            io.out_str(&s);
            0
        }
        Err(e) => {
            io.err_line(&format!("template parsing error: {e}"));
            64
        }
    }
}

/// Aligns tab-separated cells with Go's tabwriter as Docker sets it up (minwidth 10,
/// tabwidth 1, padding 3): the text after a line's last tab is not part of a column.
pub fn tabwrite(text: &str) -> String {
    stowage_template::tabwriter::docker_table(text)
}

/// `stringutils.Ellipsis`: at most `max` characters, the last one `…` when cut.
pub fn ellipsis(s: &str, max: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= max {
        s.to_string()
    } else {
        let mut t: String = chars[..max - 1].iter().collect();
        t.push('…');
        t
    }
}

/// A list row's `.Label "key"` (Go's `Label` method on containers and volumes): the labels as
/// a lookup table for the template engine.
pub fn label_lookup(labels: &std::collections::BTreeMap<String, String>) -> Value {
    let mut table: serde_json::Map<String, Value> = labels.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
    table.insert(stowage_template::LOOKUP_MARKER.into(), true.into());
    Value::Object(table)
}

/// go-units `HumanSizeWithPrecision`: decimal units and Go's `%.*g`.
pub fn human_size(size: f64, precision: usize) -> String {
    scaled(size, 1000.0, &["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"], precision)
}

/// go-units `BytesSize`: binary units and Go's `%.4g` (`476KiB`, `23.54GiB`).
pub fn bytes_size(size: f64) -> String {
    scaled(size, 1024.0, &["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"], 4)
}

/// go-units' `CustomSize`: the size in the largest unit it reaches.
fn scaled(size: f64, base: f64, units: &[&str], precision: usize) -> String {
    let mut s = size;
    let mut i = 0;
    while s >= base && i < units.len() - 1 {
        s /= base;
        i += 1;
    }
    format!("{}{}", go_g(s, precision), units[i])
}

/// Go's `%.{p}g` formatting.
pub fn go_g(v: f64, p: usize) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let e = format!("{:.*e}", p.saturating_sub(1), v);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let mant = if mant.contains('.') { mant.trim_end_matches('0').trim_end_matches('.') } else { mant };
        format!("{mant}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        let f = format!("{v:.decimals$}");
        if f.contains('.') {
            f.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            f
        }
    }
}

/// Prints inspect documents: a 4-space indented JSON array, or one formatted line each.
/// Prints inspect documents, as JSON or through a template. A template that fails on a
/// document ends the output there: an empty line, then Docker's message; `false` then.
pub fn print_docs(io: &mut crate::shell::Io, docs: &[Value], format_flag: Option<&str>, typed: Option<&str>) -> bool {
    match format_flag {
        // `--format json`: the documents on one line.
        Some("json") => io.out_str(&format!("{}\n", Value::Array(docs.to_vec()))),
        Some(f) => {
            for d in docs {
                match render_doc(f, d, typed) {
                    Ok(s) => io.out_str(&format!("{s}\n")),
                    Err(e) => {
                        io.out_str("\n");
                        io.err_line(&format!("template parsing error: {e}"));
                        return false;
                    }
                }
            }
        }
        None => io.out_str(&format!("{}\n", pretty(&Value::Array(docs.to_vec())))),
    }
    true
}

/// JSON indented with four spaces, as Docker prints it.
pub fn pretty(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if serde::Serialize::serialize(v, &mut ser).is_err() {
        return String::new();
    }
    String::from_utf8_lossy(&buf).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_go_units() {
        assert_eq!(human_size(1_982_541.0, 3), "1.98MB");
        assert_eq!(human_size(1_982_573.0, 4), "1.983MB");
        assert_eq!(human_size(52.0, 3), "52B");
        assert_eq!(human_size(0.0, 3), "0B");
        assert_eq!(human_size(999_600.0, 3), "1e+03kB");
    }

    #[test]
    fn tables_align_like_docker() {
        let t = tabwrite("DRIVER\tVOLUME NAME\nlocal\tmydata\n");
        assert_eq!(t, "DRIVER    VOLUME NAME\nlocal     mydata\n");
    }

    #[test]
    fn ellipsis_cuts() {
        assert_eq!(ellipsis("2424aa069dab3d73bc0c", 15), "2424aa069dab3d…");
    }
}
