//! What of a level file the page needs: the `wrong:` attempts are test data (the tests and
//! `stowage levels check` replay them), so the web build compiles in each level without them.
//! Used by the engine's build script and tested with the levels.

/// The level text without its top-level `wrong:` block (a key at column 0, then its indented
/// or dashed lines, blank lines and comments, up to the next top-level key).
pub fn without_wrong_attempts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let top_level_key = line.starts_with(|c: char| c.is_ascii_alphabetic());
        if top_level_key {
            skipping = line.trim_end() == "wrong:" || line.starts_with("wrong: ");
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_level_reads_the_same_without_its_wrong_attempts() {
        for (file, text) in crate::levels::sources() {
            let full = crate::levels::parse(text).unwrap_or_else(|e| panic!("{file}: {e}"));
            let stripped = without_wrong_attempts(text);
            assert!(!stripped.contains("\nwrong:") && stripped.len() < text.len(), "{file}: wrong attempts left");
            let lean = crate::levels::parse(&stripped).unwrap_or_else(|e| panic!("{file} stripped: {e}"));
            assert_eq!(lean, crate::levels::Level { wrong: Vec::new(), ..full }, "{file}");
        }
        assert_eq!(without_wrong_attempts("id: x\nwrong:\n  - note: n\n\n    lines: [a]\n# c\nhints: [h]\n"), "id: x\nhints: [h]\n");
    }
}
