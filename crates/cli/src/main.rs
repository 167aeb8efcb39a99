//! `stowage`: the terminal front end of the Stowage engine.
//!
//! `stowage` alone is an interactive shell on the simulated machine; `stowage replay FILE...`
//! replays transcript files (`$ command` lines) in a fresh world each and prints a transcript
//! in the same format.

use std::io::{self, Write};

use stowage_engine::{transcript, Engine, Outcome};

fn main() {
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
        Some("-h" | "--help") => {
            println!("usage: stowage [--explain]          interactive shell on the simulated machine");
            println!("       stowage replay FILE...       replay transcripts, print the simulated transcript");
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
        while stowage_engine::shell::parse::needs_more(&line) {
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
