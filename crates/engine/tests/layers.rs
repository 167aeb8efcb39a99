//! The engine's layers, checked from its source: every `crate::…` path a file names (in `use`
//! lines and in code) must lead to its own layer or one below. So the layers stay visible and
//! no import cycle can cross them (see ARCHITECTURE.md).
//!
//! Test code is left out: the `*_tests.rs` files and everything after a file's `#[cfg(test)]`.

use std::path::{Path, PathBuf};

/// The layers, bottom first, and the source files or folders (under `src/`) each holds.
const LAYERS: &[(&str, &[&str])] = &[
    ("data", &["fs.rs", "caps.rs", "cred.rs", "clock.rs", "events.rs", "ids.rs", "sorting.rs", "binaries.rs", "http.rs"]),
    ("state", &["world.rs", "blockdev.rs", "host_config.rs", "build_cache.rs", "image_store.rs"]),
    ("vfs", &["vfs.rs", "procfs.rs", "users.rs"]),
    ("daemon", &["daemon", "catalog.rs", "images.rs"]),
    ("userland", &["userland"]),
    ("shell", &["shell"]),
    ("services", &["services"]),
    ("cli", &["docker"]),
    ("engine", &["lib.rs", "view.rs", "query.rs", "transcript.rs", "scenarios.rs", "levels"]),
];

/// The layer of a file or of a top-level module (`world`, `daemon`, …), by its first component.
fn layer_of(first: &str) -> Option<usize> {
    let stem = first.trim_end_matches(".rs");
    LAYERS.iter().position(|(_, members)| members.iter().any(|m| m.trim_end_matches(".rs") == stem))
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source folder").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.to_string_lossy().ends_with("_tests.rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its tests and comments.
fn code_of(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// A file's module path (`services/nginx/entrypoint.rs` → `services::nginx::entrypoint`;
/// `shell/mod.rs` → `shell`; `lib.rs` → the crate root).
fn module_path(relative: &str) -> Vec<String> {
    let mut parts: Vec<String> = relative.trim_end_matches(".rs").split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The code with every `super::` chain written as the `crate::` path it stands for, so a
/// `super::` that climbs to the crate root is checked as the module it names there.
fn resolve_super(code: &str, module: &[String]) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("super::") {
        let before = rest.get(..at).unwrap_or_default();
        let part_of_name = before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        out.push_str(before);
        if part_of_name {
            out.push_str("super::");
            rest = rest.get(at + "super::".len()..).unwrap_or_default();
            continue;
        }
        let mut climbs = 0;
        let mut tail = rest.get(at..).unwrap_or_default();
        while let Some(t) = tail.strip_prefix("super::") {
            climbs += 1;
            tail = t;
        }
        let base = module.get(..module.len().saturating_sub(climbs)).unwrap_or_default();
        out.push_str("crate::");
        for part in base {
            out.push_str(part);
            out.push_str("::");
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// The top-level modules a file's code names through `crate::`, including grouped imports
/// (`use crate::{fs::X, world::Y}`).
fn named_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = code.get(i + "crate::".len()..).unwrap_or_default();
        if let Some(group) = rest.strip_prefix('{') {
            // The group's own items (depth 1) start with the module they name.
            let (mut depth, mut item) = (1, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' | ',' if depth == 1 => {
                        let module: String = item.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                        if !module.is_empty() && module != "self" {
                            out.push(module);
                        }
                        item.clear();
                        if c == '}' {
                            break;
                        }
                        continue;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 1 {
                    item.push(c);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn every_import_leads_to_the_same_layer_or_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    let mut unplaced = Vec::new();
    let mut upward = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/");
        let first = relative.split('/').next().unwrap_or_default();
        let Some(own) = layer_of(first) else {
            unplaced.push(relative);
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable source");
        for module in named_modules(&resolve_super(&code_of(&text), &module_path(&relative))) {
            match layer_of(&module) {
                Some(layer) if layer > own => {
                    upward.push(format!("{relative} ({}) names crate::{module} ({})", LAYERS[own].0, LAYERS[layer].0));
                }
                Some(_) => {}
                // `crate::Engine`, `crate::Outcome`: the crate root's own items are the engine's.
                None if module.starts_with(|c: char| c.is_ascii_uppercase()) && own < LAYERS.len() - 1 => {
                    upward.push(format!("{relative} ({}) names crate::{module} (engine)", LAYERS[own].0));
                }
                None => {}
            }
        }
    }
    assert!(unplaced.is_empty(), "source files in no layer (add them to LAYERS): {unplaced:?}");
    assert!(files.len() > 40, "the engine's sources were read ({} files)", files.len());
    upward.sort();
    upward.dedup();
    assert!(upward.is_empty(), "imports from a lower layer to a higher one:\n{}", upward.join("\n"));
}

#[test]
fn the_checker_sees_plain_and_grouped_paths_and_skips_tests_and_comments() {
    let code = code_of(
        "use crate::world::World;\nuse crate::{fs::Arena, vfs::{Ctx, Ns}};\n// crate::docker in a comment\nfn f() { crate::daemon::x(); }\n#[cfg(test)]\nmod tests { use crate::Engine; }",
    );
    assert_eq!(named_modules(&code), ["world", "fs", "vfs", "daemon"]);
    assert_eq!(layer_of("docker"), Some(7));
    // `super::` climbing to the crate root names a top-level module.
    let module = module_path("services/mod.rs");
    assert_eq!(named_modules(&resolve_super("use super::docker::cli; use super::{world::World};", &module)), ["docker", "world"]);
    let module = module_path("userland/coreutils/awk/eval.rs");
    assert_eq!(resolve_super("use super::super::{Proc, Regex};", &module), "use crate::userland::coreutils::{Proc, Regex};");
    assert_eq!(layer_of("vfs.rs"), Some(2));
    assert_eq!(layer_of("nonesuch"), None);
}

/// Files small enough to hold in one's head: no engine source file passes this many lines
/// before its tests.
const MAX_LINES: usize = 900;

#[test]
fn every_engine_file_is_under_the_line_limit_before_its_tests() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let lines = text.lines().take_while(|l| !l.trim_start().starts_with("#[cfg(test)]")).count();
            (lines >= MAX_LINES).then(|| format!("{} ({lines} lines)", f.strip_prefix(&src).unwrap_or(f).display()))
        })
        .collect();
    long.sort();
    assert!(files.len() > 50, "only {} files found", files.len());
    assert!(long.is_empty(), "files of {MAX_LINES} lines or more: {}", long.join(", "));
}

/// The machine's state changes through its own methods only: no field of `World` is public.
#[test]
fn the_worlds_fields_are_private() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/world.rs");
    let text = std::fs::read_to_string(src).expect("readable world.rs");
    let start = text.find("pub struct World {").expect("World is defined in world.rs");
    let body = text.get(start..).and_then(|t| t.split("\n}\n").next()).unwrap_or_default();
    let public: Vec<&str> = body.lines().skip(1).map(str::trim).filter(|l| l.starts_with("pub")).collect();
    assert!(body.lines().count() > 10, "World's fields were read");
    assert!(public.is_empty(), "public fields of World: {public:?}");
}
