//! `make fuzz`: the no-panic campaign at scale. Replays mutated transcript lines (see the
//! library) and reports lines, seconds and every line that panicked; exits 1 if one did.
//!
//! Usage: stowage-fuzz [--lines N] [--seed S] [DIR...]   (default: a million lines, seed 1,
//! the engine's transcript tests)

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let mut lines = 1_000_000usize;
    let mut seed = 1u64;
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let number = |v: Option<String>| v.and_then(|v| v.replace('_', "").parse::<u64>().ok());
        match a.as_str() {
            "--lines" => match number(args.next()) {
                Some(n) => lines = n as usize,
                None => return usage(),
            },
            "--seed" => match number(args.next()) {
                Some(n) => seed = n,
                None => return usage(),
            },
            "-h" | "--help" => return usage(),
            dir => dirs.push(dir.into()),
        }
    }
    if dirs.is_empty() {
        dirs.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/transcripts"));
    }
    let mut corpus = Vec::new();
    for d in &dirs {
        match stowage_fuzz::corpus_from_dir(d) {
            Ok(c) => corpus.extend(c),
            Err(e) => {
                eprintln!("stowage-fuzz: {}: {e}", d.display());
                return ExitCode::from(2);
            }
        }
    }
    let commands: usize = corpus.iter().map(Vec::len).sum();
    println!("fuzz: {} sessions, {commands} command lines; {lines} lines, seed {seed}", corpus.len());
    let start = Instant::now();
    let mut next_note = 100_000;
    let report = stowage_fuzz::campaign(&corpus, seed, lines, |r| {
        if r.lines >= next_note {
            println!("fuzz: {} lines, {:.0} s, {} panics", r.lines, start.elapsed().as_secs_f64(), r.panics.len());
            next_note += 100_000;
        }
    });
    let secs = start.elapsed().as_secs_f64();
    println!(
        "fuzz: {} lines ({} mutants) in {secs:.1} s ({:.0} lines/s); {} panicked, {} exit statuses out of 0..=255",
        report.lines,
        report.mutants,
        report.lines as f64 / secs.max(1e-9),
        report.panics.len(),
        report.bad_exit_codes.len()
    );
    for p in &report.panics {
        println!("PANIC in {}: {:?}\n  {}", p.call, p.line, p.message);
    }
    for (line, code) in &report.bad_exit_codes {
        println!("EXIT {code}: {line:?}");
    }
    if report.panics.is_empty() && report.bad_exit_codes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: stowage-fuzz [--lines N] [--seed S] [TRANSCRIPT_DIR...]");
    ExitCode::from(2)
}
