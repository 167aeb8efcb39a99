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
                match std::fs::read_to_string(file) {
                    Ok(text) => {
                        let _ = out.write_all(transcript::replay(&text).as_bytes());
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
    loop {
        let prompt = engine.prompt();
        let line = match &mut editor {
            Some(ed) => match ed.readline(&prompt) {
                Ok(l) => {
                    let _ = ed.add_history_entry(l.as_str());
                    l
                }
                Err(rustyline::error::ReadlineError::Interrupted) => continue,
                Err(_) => break,
            },
            None => {
                print!("{prompt}");
                let _ = io::stdout().flush();
                let mut l = String::new();
                match io::stdin().read_line(&mut l) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => l.trim_end_matches('\n').to_string(),
                }
            }
        };
        if line.trim() == "exit" && engine.session_container().is_none() {
            break;
        }
        let outcome = engine.run(&line);
        print_outcome(&outcome, explain);
    }
}
