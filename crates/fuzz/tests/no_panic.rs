//! The property of `make fuzz`, at the size of `make test`: ~20,000 mutated lines of the
//! transcript tests (seeded, so a failure replays) each get an answer, and nothing panics.

use std::path::Path;

#[test]
fn mutated_lines_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/transcripts");
    let corpus = stowage_fuzz::corpus_from_dir(&dir).expect("the transcript tests");
    assert!(corpus.len() >= 20, "the corpus is the transcript tests ({} found)", corpus.len());
    let report = stowage_fuzz::campaign(&corpus, 0x5707_A6E0, 20_000, |_| {});
    assert_eq!(report.lines, 20_000);
    assert!(report.mutants > 10_000, "most lines are mutants ({})", report.mutants);
    let panics: Vec<String> = report.panics.iter().map(|p| format!("{} on {:?}: {}", p.call, p.line, p.message)).collect();
    assert!(panics.is_empty(), "{} lines panicked:\n{}", panics.len(), panics.join("\n"));
    assert!(report.bad_exit_codes.is_empty(), "exit statuses out of 0..=255: {:?}", report.bad_exit_codes);
}
