//! `stowage-bench`: wall-clock benchmark of the engine.
//!
//! 1. Replays every reference transcript (`*.txt` in the directory given as the first argument,
//!    or `$REFERENCE_DIR`, or `../shared/reference/transcripts` next to the repository) 21 times
//!    and reports the median and minimum time of the whole set, and the median time of one
//!    command line.
//! 2. Builds a larger world through the engine itself (an image of 10,000 files made with
//!    `docker commit`, 50 running containers with a named volume each) and times typical
//!    commands, printing the median per command and its ratio to the reference per-command
//!    median.
//!
//! 3. Times what the web app does before its first frame: a fresh machine, its first view, and
//!    each scenario's prepared machine.
//!
//! Usage: `cargo run --release -p stowage-cli --bin stowage-bench [REFERENCE_DIR]`.
//! Timing belongs here: the engine itself never reads a clock.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use stowage_engine::transcript::{self, Item};
use stowage_engine::Engine;

/// Runs of every measurement (odd, so the median is one sample).
const RUNS: usize = 21;
/// Files in the big image, and how many of them one `docker exec` line creates (the engine
/// stops a line after ~20,000 simple commands; a loop iteration costs two).
const FILES: usize = 10_000;
const FILES_PER_LINE: usize = 2_500;
const CONTAINERS: usize = 50;

fn main() {
    let dir = reference_dir();
    let dir = dir.canonicalize().unwrap_or(dir);
    println!("stowage-bench: {RUNS} runs per measurement, release build recommended");
    println!();
    let reference = bench_reference(&dir);
    println!();
    bench_big_world(reference);
    println!();
    bench_start_up();
}

// ------------------------------------------------------------------------------ start-up

/// What the web app pays before its first frame: `Engine::new` and the first `view()`, then
/// each scenario's machine (its setup lines run), as a shared link or a lesson opens it.
fn bench_start_up() {
    println!("Start-up (medians of {RUNS} runs)");
    let time = |f: &dyn Fn()| {
        let mut samples: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect();
        median(&mut samples)
    };
    let new = time(&|| drop(std::hint::black_box(Engine::new())));
    let engine = Engine::new();
    let view = time(&|| drop(std::hint::black_box(engine.view())));
    println!("  {:>12}  Engine::new()", fmt_duration(new));
    println!("  {:>12}  first view()", fmt_duration(view));
    for scenario in &stowage_engine::scenarios::SCENARIOS {
        let prepared = time(&|| drop(std::hint::black_box(Engine::with_scenario(scenario))));
        println!("  {:>12}  scenario {} ({} setup lines)", fmt_duration(prepared), scenario.id, scenario.setup.len());
    }
}

// ------------------------------------------------------------------------------ reference set

fn reference_dir() -> PathBuf {
    if let Some(arg) = std::env::args().nth(1) {
        return PathBuf::from(arg);
    }
    if let Some(env) = std::env::var_os("REFERENCE_DIR") {
        return PathBuf::from(env);
    }
    // crates/cli -> repository root -> ../shared/reference/transcripts
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/transcripts")
}

struct Transcript {
    name: String,
    text: String,
    commands: Vec<String>,
}

fn load_transcripts(dir: &Path) -> Result<Vec<Transcript>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> =
        entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        let commands = transcript::parse(&text)
            .into_iter()
            .filter_map(|item| match item {
                Item::Command(c) => Some(c),
                Item::Comment(_) => None,
            })
            .collect();
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push(Transcript { name, text, commands });
    }
    if out.is_empty() {
        return Err(format!("{}: no *.txt transcripts", dir.display()));
    }
    Ok(out)
}

/// Replays the reference set; returns the median time of one command line.
fn bench_reference(dir: &Path) -> Option<Duration> {
    let set = match load_transcripts(dir) {
        Ok(set) => set,
        Err(e) => {
            println!("Reference transcripts: skipped ({e})");
            println!("  (pass the directory as the first argument or set REFERENCE_DIR)");
            return None;
        }
    };
    let commands: usize = set.iter().map(|t| t.commands.len()).sum();
    println!("Reference transcripts: {} ({} files, {commands} command lines)", dir.display(), set.len());

    // The whole set, exactly as `stowage replay` does it (fresh world per file, rendering).
    let mut whole = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        for t in &set {
            bytes += std::hint::black_box(transcript::replay(&t.text)).len();
        }
        whole.push(start.elapsed());
    }
    std::hint::black_box(bytes);

    // Every command line on its own, in its transcript's session.
    let mut per_line: Vec<Vec<Duration>> = vec![Vec::with_capacity(RUNS); commands];
    for _ in 0..RUNS {
        let mut k = 0;
        for t in &set {
            let mut engine = Engine::new();
            for c in &t.commands {
                let start = Instant::now();
                let o = engine.run(c);
                per_line[k].push(start.elapsed());
                std::hint::black_box(o);
                k += 1;
            }
        }
    }
    let mut per_command: Vec<Duration> = per_line.iter().flatten().copied().collect();
    let cmd_median = median(&mut per_command);
    let total: Duration = per_command.iter().sum();
    println!(
        "  whole set:   median {}   min {}   ({RUNS} runs)",
        fmt_duration(median(&mut whole)),
        fmt_duration(*whole.iter().min().expect("runs"))
    );
    println!(
        "  per command: median {}   mean {}   p95 {}   (all {} timings)",
        fmt_duration(cmd_median),
        fmt_duration(total / per_command.len() as u32),
        fmt_duration(percentile(&mut per_command, 95)),
        per_command.len()
    );
    // The slowest lines (each by its median over the runs).
    let names = set.iter().flat_map(|t| t.commands.iter().map(move |c| (t.name.as_str(), c.as_str())));
    let mut by_line: Vec<(Duration, &str, &str)> = per_line.iter_mut().zip(names).map(|(s, (f, c))| (median(s), f, c)).collect();
    by_line.sort_by_key(|l| std::cmp::Reverse(l.0));
    println!("  slowest lines (median):");
    for (d, file, cmd) in by_line.iter().take(3) {
        println!("    {:>10}  {file}: {}", fmt_duration(*d), clip(cmd, 70));
    }
    Some(cmd_median)
}

// ------------------------------------------------------------------------------ a big world

fn must(engine: &mut Engine, line: &str) -> String {
    let o = engine.run(line);
    if o.exit_code != 0 {
        eprintln!("stowage-bench: setup line failed (exit {}): {}\n{}", o.exit_code, clip(line, 100), o.stderr);
        std::process::exit(1);
    }
    o.stdout
}

fn build_world() -> Engine {
    let mut engine = Engine::new();
    must(&mut engine, "docker run -d --name gen busybox sleep 3600");
    must(&mut engine, "docker exec gen mkdir -p /data");
    for first in (0..FILES).step_by(FILES_PER_LINE) {
        let last = (first + FILES_PER_LINE).min(FILES) - 1;
        must(
            &mut engine,
            &format!("docker exec gen sh -c 'for i in $(busybox seq {first} {last}); do echo content-$i > /data/file-$i; done'"),
        );
    }
    let count = must(&mut engine, "docker exec gen sh -c 'ls /data | wc -l'");
    if count.trim() != FILES.to_string() {
        eprintln!("stowage-bench: expected {FILES} files in the generator container, found {}", count.trim());
        std::process::exit(1);
    }
    must(&mut engine, "docker commit gen bench/files:1");
    must(&mut engine, "docker rm -f gen");
    for i in 0..CONTAINERS {
        must(&mut engine, &format!("docker run -d --name c{i} -v vol{i}:/vol bench/files:1 sleep 3600"));
    }
    engine
}

struct Row {
    label: String,
    samples: Vec<Duration>,
}

fn time_line(engine: &mut Engine, line: &str) -> Duration {
    let start = Instant::now();
    let o = engine.run(line);
    let took = start.elapsed();
    if o.exit_code != 0 {
        eprintln!("stowage-bench: `{}` failed (exit {}): {}", clip(line, 80), o.exit_code, o.stderr.trim_end());
        std::process::exit(1);
    }
    std::hint::black_box(o);
    took
}

fn bench_big_world(reference: Option<Duration>) {
    let start = Instant::now();
    let mut engine = build_world();
    let built = start.elapsed();
    println!(
        "World: image bench/files:1 with {FILES} files (made by docker exec + docker commit), {CONTAINERS} running \
         containers with a named volume each; built in {}",
        fmt_duration(built)
    );
    println!("  inodes live in the arena: {}", engine.query().inodes());
    println!();

    let fixed = [
        "docker exec c7 cat /data/file-1234",
        "docker exec c7 ls /",
        "docker exec c7 sh -c 'ls /data | wc -l'",
        "docker ps",
        "docker ps -a --size",
        "docker diff c7",
        "docker volume ls",
        "docker inspect c7",
        "docker system df",
        "ls /home/student",
    ];
    let mut rows: Vec<Row> = fixed.iter().map(|l| Row { label: l.to_string(), samples: Vec::new() }).collect();
    let mut copy_up = Row { label: "docker exec c7 sh -c 'echo x > /data/file-N'  (copy-up, new N)".into(), samples: Vec::new() };
    let mut rewrite = Row { label: "docker exec c7 sh -c 'echo x > /data/file-5000'  (already up)".into(), samples: Vec::new() };
    let mut rm = Row { label: "docker rm -f c49".into(), samples: Vec::new() };
    let mut run = Row { label: "docker run -d --name c49 -v vol49:/vol bench/files:1 sleep 3600".into(), samples: Vec::new() };
    let mut cycle = Row { label: "  rm -f + run -d (sum)".into(), samples: Vec::new() };

    for i in 0..RUNS {
        for row in rows.iter_mut() {
            let line = row.label.clone();
            row.samples.push(time_line(&mut engine, &line));
        }
        // A file not yet in the upper dir each time: a real copy-up from the image layer.
        copy_up.samples.push(time_line(&mut engine, &format!("docker exec c7 sh -c 'echo x > /data/file-{}'", 5001 + i)));
        rewrite.samples.push(time_line(&mut engine, "docker exec c7 sh -c 'echo x > /data/file-5000'"));
        let a = time_line(&mut engine, "docker rm -f c49");
        let b = time_line(&mut engine, "docker run -d --name c49 -v vol49:/vol bench/files:1 sleep 3600");
        rm.samples.push(a);
        run.samples.push(b);
        cycle.samples.push(a + b);
    }
    rows.push(copy_up);
    rows.push(rewrite);
    rows.push(rm);
    rows.push(run);
    rows.push(cycle);

    let width = rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(10).max(7);
    println!("{:<width$}  {:>5}  {:>11}  {:>11}  {:>11}", "command", "runs", "median µs", "min µs", "× ref med");
    println!("{}", "-".repeat(width + 2 + 5 + 2 + 11 + 2 + 11 + 2 + 11));
    for row in &mut rows {
        let med = median(&mut row.samples);
        let min = *row.samples.iter().min().expect("samples");
        let ratio = match reference {
            Some(r) if !r.is_zero() => format!("{:.1}", med.as_secs_f64() / r.as_secs_f64()),
            _ => "-".to_string(),
        };
        println!("{:<width$}  {:>5}  {:>11}  {:>11}  {:>11}", row.label, row.samples.len(), micros(med), micros(min), ratio);
    }
    match reference {
        Some(r) => {
            println!("\n(× ref med: the median divided by the median command line of the reference transcripts, {})", fmt_duration(r))
        }
        None => println!("\n(no reference transcripts: no ratios)"),
    }
}

// ------------------------------------------------------------------------------ statistics

fn median(samples: &mut [Duration]) -> Duration {
    percentile(samples, 50)
}

/// The nearest-rank percentile (`p` in 0..=100).
fn percentile(samples: &mut [Duration], p: usize) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    samples.sort_unstable();
    let rank = (p * samples.len()).div_ceil(100).clamp(1, samples.len());
    samples[rank - 1]
}

fn micros(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 10.0 {
        format!("{us:.2}")
    } else if us < 1000.0 {
        format!("{us:.1}")
    } else {
        format!("{us:.0}")
    }
}

fn fmt_duration(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us < 1000.0 {
        format!("{us:.1} µs")
    } else if us < 1e6 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{:.2} s", us / 1e6)
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
