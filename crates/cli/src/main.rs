//! `stowage`: the terminal front end of the Stowage engine.
//!
//! `stowage` alone is an interactive shell on the simulated machine; `stowage replay FILE...`
//! replays transcript files (`$ command` lines) in a fresh world each and prints a transcript
//! in the same format.

use std::io::{self, Write};

use stowage_engine::levels::{self, Level};
use stowage_engine::{transcript, Engine, Outcome};

fn main() {
    // A closed pipe (`stowage levels check | head`) ends the program quietly, as for any Unix
    // tool, instead of a panic on the next print.
    #[cfg(unix)]
    // SAFETY: resets one signal's disposition to the default before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("replay") => {
            let mut status = 0;
            let out = io::stdout();
            let mut out = out.lock();
            for file in &args[1..] {
                // A recorded transcript may hold bytes that are not UTF-8 (a terminal shows U+FFFD).
                match std::fs::read(file) {
                    Ok(bytes) => {
                        let _ = out.write_all(transcript::replay(&String::from_utf8_lossy(&bytes)).as_bytes());
                    }
                    Err(e) => {
                        eprintln!("stowage: {file}: {e}");
                        status = 2;
                    }
                }
            }
            std::process::exit(status);
        }
        Some("level") if args.get(1).map(String::as_str) == Some("link") => std::process::exit(print_level_link(&args[2..])),
        Some("level") => match args.get(1).map(|id| load_level(id)) {
            Some(Ok(level)) => play_level(&level),
            Some(Err(e)) => {
                eprintln!("stowage: {e}");
                std::process::exit(2);
            }
            None => {
                eprintln!("usage: stowage level ID|FILE   (levels: {})", level_ids().join(", "));
                std::process::exit(2);
            }
        },
        Some("levels") if args.get(1).map(String::as_str) == Some("check") => std::process::exit(check_levels(&args[2..])),
        Some("-h" | "--help") => {
            println!("usage: stowage [--explain]          interactive shell on the simulated machine");
            println!("       stowage replay FILE...       replay transcripts, print the simulated transcript");
            println!("       stowage level ID|FILE        play a level: goals after each command, `hint`, `solution`");
            println!("       stowage level link FILE [--base URL]  print a link that opens a level file in the app");
            println!("       stowage levels check [FILE...]  check level files (all shipped levels without FILE)");
        }
        _ => repl(args.iter().any(|a| a == "--explain")),
    }
}

fn print_outcome(o: &Outcome, explain: bool) {
    print!("{}", o.stdout);
    eprint!("{}", o.stderr);
    if explain {
        for e in &o.events {
            eprintln!("  \u{2192} {}", e.narrate());
        }
    }
}

fn repl(explain: bool) {
    let mut engine = Engine::new();
    engine.set_tty(true);
    println!("Stowage: a simulated Docker 26 host. Nothing here runs for real. Ctrl+D quits.");
    let mut editor = rustyline::DefaultEditor::new().ok();
    while let Some(mut line) = read_line(&mut editor, &engine.prompt()) {
        // A here-document goes on until its delimiter line (bash's `> ` prompt).
        while stowage_engine::needs_more(&line) {
            let Some(more) = read_line(&mut editor, "> ") else { break };
            line.push('\n');
            line.push_str(&more);
        }
        if line.trim() == "exit" && engine.session_container().is_none() {
            break;
        }
        let outcome = engine.run(&line);
        print_outcome(&outcome, explain);
    }
}

/// One line from the terminal (None at end of input).
fn read_line(editor: &mut Option<rustyline::DefaultEditor>, prompt: &str) -> Option<String> {
    loop {
        match editor {
            Some(ed) => match ed.readline(prompt) {
                Ok(l) => {
                    let _ = ed.add_history_entry(l.as_str());
                    return Some(l);
                }
                Err(rustyline::error::ReadlineError::Interrupted) => continue,
                Err(_) => return None,
            },
            None => {
                print!("{prompt}");
                let _ = io::stdout().flush();
                let mut l = String::new();
                return match io::stdin().read_line(&mut l) {
                    Ok(0) | Err(_) => None,
                    Ok(_) => Some(l.trim_end_matches('\n').to_string()),
                };
            }
        }
    }
}

fn level_ids() -> Vec<String> {
    levels::all().iter().map(|l| l.id.clone()).collect()
}

/// A shipped level by id, or a level file.
fn load_level(id_or_file: &str) -> Result<Level, String> {
    if let Some(level) = levels::find(id_or_file) {
        return Ok(level);
    }
    let text = std::fs::read(id_or_file).map_err(|e| format!("{id_or_file}: no such level ({e})"))?;
    levels::parse(&String::from_utf8_lossy(&text)).map_err(|e| format!("{id_or_file}: {e}"))
}

/// Where `make serve` serves the app: the address a link starts with unless `--base` says.
const DEFAULT_BASE: &str = "http://127.0.0.1:8080/";

/// `stowage level link FILE [--base URL]`: the address that opens a level file in the app, no
/// build needed. The text travels in the address, deflated and base64url-encoded
/// (`#level-text=…`); the page inflates it. A file that does not read gets no link; a level
/// that reads but does not pass `levels check` gets one, with the problems on stderr.
fn print_level_link(args: &[String]) -> i32 {
    let (file, base) = match args {
        [file] => (file, DEFAULT_BASE),
        [file, flag, base] | [flag, base, file] if flag == "--base" => (file, base.as_str()),
        _ => {
            eprintln!("usage: stowage level link FILE [--base URL]");
            return 2;
        }
    };
    let text = match std::fs::read(file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!("stowage: {file}: {e}");
            return 2;
        }
    };
    match levels::parse(&text) {
        Err(e) => {
            eprintln!("stowage: {file}: {e}");
            return 1;
        }
        Ok(level) => {
            for problem in levels::verify(&level) {
                eprintln!("stowage: warning: {}: {problem}", level.id);
            }
        }
    }
    println!("{}#level-text={}", base, level_link_data(&text));
    0
}

/// A level's text as a link carries it: raw deflate (RFC 1951), then base64url without padding.
fn level_link_data(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 10))
}

/// `stowage levels check`: each file read and replayed (start, solution, wrong attempts).
fn check_levels(files: &[String]) -> i32 {
    let levels: Vec<(String, Result<Level, String>)> = if files.is_empty() {
        levels::sources().iter().map(|(file, s)| (file.to_string(), levels::parse(s).map_err(|e| e.to_string()))).collect()
    } else {
        files.iter().map(|f| (f.clone(), load_level(f))).collect()
    };
    let mut status = 0;
    for (source, level) in levels {
        match level {
            Err(e) => {
                println!("FAIL {source}: {e}");
                status = 1;
            }
            Ok(level) => {
                let problems = levels::verify(&level);
                if problems.is_empty() {
                    println!("ok   {} ({} goals, par {}, {} wrong attempts)", level.id, level.goals.len(), level.par(), level.wrong.len());
                } else {
                    println!("FAIL {}: {}", level.id, problems.join("; "));
                    status = 1;
                }
            }
        }
    }
    status
}

fn print_standing(level: &Level, engine: &Engine) -> bool {
    let standing = level.standing(&engine.query());
    for (check, met) in level.goals.iter().zip(&standing.met) {
        println!("  [{}] {}", if *met { "done" } else { "to do" }, check.text);
    }
    for guard in standing.broken.iter().filter_map(|i| level.guards.get(*i)) {
        println!("  ! {}", guard.broken);
    }
    for trap in standing.traps.iter().filter_map(|i| level.traps.get(*i)) {
        println!("  ? {}", trap.hint);
    }
    standing.solved()
}

/// Plays a level in the terminal: the story, then the goals after every command.
fn play_level(level: &Level) {
    let mut engine = level.start();
    engine.set_tty(true);
    println!("{}\n\n{}\n", level.title, level.story.trim_end());
    print_standing(level, &engine);
    println!("(type `hint` for a hint, `solution` to see one, Ctrl+D to leave)");
    let mut editor = rustyline::DefaultEditor::new().ok();
    let (mut hints, mut typed) = (0, 0);
    while let Some(line) = read_line(&mut editor, &engine.prompt()) {
        match line.trim() {
            "hint" => {
                match level.hints.get(hints) {
                    Some(h) => println!("Hint {}: {h}", hints + 1),
                    None => println!("No more hints: `solution` shows one."),
                }
                hints += 1;
                continue;
            }
            "solution" => {
                let mut fresh = level.start();
                for l in &level.solution {
                    println!("{}{l}", fresh.prompt());
                    print_outcome(&fresh.run(l), false);
                }
                print_standing(level, &fresh);
                println!("Solved (solution shown). Keep going in your own session, or leave with Ctrl+D.");
                continue;
            }
            "" => continue,
            _ => {}
        }
        typed += 1;
        print_outcome(&engine.run(&line), false);
        if print_standing(level, &engine) {
            println!("Solved in {typed} {} (par {}).", if typed == 1 { "line" } else { "lines" }, level.par());
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_link_carries_the_text_exactly_and_compressed() {
        use base64::Engine as _;
        for (_, text) in levels::sources() {
            let data = level_link_data(text);
            assert!(data.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "URL-safe: {data}");
            assert!(data.len() < text.len(), "compressed: {} of {} bytes", data.len(), text.len());
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&data).expect("base64url");
            let back = miniz_oxide::inflate::decompress_to_vec(&bytes).expect("raw deflate");
            assert_eq!(String::from_utf8(back).expect("UTF-8"), *text);
        }
    }
}
