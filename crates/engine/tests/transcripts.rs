//! Every `tests/transcripts/*.txt` file is replayed in a fresh world and must come out
//! exactly as written (the engine is deterministic, ids included).

use std::path::Path;

#[test]
fn transcripts_replay_exactly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("transcript dir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no transcripts in {}", dir.display());
    let mut failures = Vec::new();
    for f in &files {
        let expected = std::fs::read_to_string(f).expect("readable transcript");
        let actual = stowage_engine::transcript::replay(&expected);
        if actual != expected {
            let first = expected.lines().zip(actual.lines()).enumerate().find(|(_, (e, a))| e != a);
            failures.push(format!("{}: first difference {:?}", f.display(), first));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
