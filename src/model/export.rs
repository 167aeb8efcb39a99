//! "Export as script": the session as a commented shell script for a real Docker host — the
//! scenario's setup, then the lines typed. A script has no terminal, so what was typed inside a
//! container's interactive shell becomes `docker exec` lines, and the `docker run -it` that
//! opened that shell starts the container detached instead; never are a container's lines
//! run on the host.

use stowage_engine::Engine;

/// Quotes `text` for `sh` as one word.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Whether a line opened an interactive shell that is the container's main process (`docker
/// run -it …`), rather than one beside it (`docker exec -it …`).
fn is_run(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    matches!(words.as_slice(), ["docker", "run", ..] | ["docker", "container", "run", ..])
}

/// The same `docker run`, detached (a script has no terminal to attach): `run -d …`, its
/// printed id dropped so the outputs stay those of the session. A container the session named
/// by chance (no `--name`) gets that name, so the `docker exec` lines find it on any host.
fn detached(line: &str, container: &str) -> String {
    let named = line.split_whitespace().any(|w| w == "--name" || w.starts_with("--name="));
    let at = line.find(" run ").map_or(line.len(), |i| i + " run".len());
    let (head, tail) = line.split_at(at);
    let name = if named { String::new() } else { format!(" --name {container}") };
    format!("{head} -d{name}{tail} > /dev/null")
}

/// The script for `typed`, replayed on `start` (the session's fresh machine, with a terminal
/// as the lines were typed at one) to know which lines were typed inside which container's shell.
pub fn script(title: &str, setup: &[&str], typed: &[String], mut start: Engine) -> String {
    start.set_tty(true);
    let mut out = String::from(
        "#!/bin/sh\n\
         # Exported from Stowage, a Docker storage simulator: the session below, to replay on a real\n\
         # Docker host.\n\
         #\n\
         # WARNING: this script changes YOUR Docker and YOUR files: it creates and removes\n\
         # containers, volumes and images (docker rm -f, docker volume rm, …) and writes in your\n\
         # home directory. Read it before you run it, on a machine where that is fine.\n",
    );
    out.push_str(&format!("#\n# Session: {title}\n"));
    if !setup.is_empty() {
        out.push_str("\n# The scenario's setup:\n");
        for line in setup {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("\n# The lines typed:\n");
    // The container whose shell each open session is, and whether that shell is its main process.
    let mut shells: Vec<(String, bool)> = Vec::new();
    // A line whose `[y/N]` question the next line answered: a script pipes the answer in.
    let mut asking: Option<String> = None;
    for line in typed {
        if let Some(question) = asking.take() {
            start.run(line);
            out.push_str(&format!("echo {} | {question}\n", quoted(line)));
            continue;
        }
        let inside = start.session_container();
        start.run(line);
        if start.awaiting_answer() {
            asking = Some(line.clone());
            continue;
        }
        let after = start.session_container();
        match inside {
            Some(container) => {
                let word = line.split_whitespace().next().unwrap_or_default();
                if word == "exit" {
                    let main = shells.pop().is_some_and(|(_, main)| main);
                    out.push_str(&format!("# ({line}: leaves the shell in {container})\n"));
                    if main {
                        // The shell was the container's main process: leaving it stops the container.
                        out.push_str(&format!("docker stop {container} > /dev/null\n"));
                    }
                } else if !line.trim().is_empty() {
                    out.push_str(&format!("docker exec {container} sh -c {}\n", quoted(line)));
                }
            }
            None => match after {
                Some(container) => {
                    let main = is_run(line);
                    out.push_str(&format!("# typed: {line}\n# (opens a shell in {container}: its lines below run with docker exec)\n"));
                    if main {
                        out.push_str(&detached(line, &container));
                        out.push('\n');
                    }
                    shells.push((container, main));
                }
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            },
        }
    }
    if let Some(question) = asking {
        // Left unanswered: as typed (a script without a terminal answers no).
        out.push_str(&format!("{question}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_answered_on_the_next_line_is_piped_in() {
        let typed = lines(&["docker container prune", "y", "docker volume prune"]);
        let s = script("t", &[], &typed, Engine::new());
        assert!(s.contains("\necho 'y' | docker container prune\ndocker volume prune\n"), "{s}");
    }

    fn lines(list: &[&str]) -> Vec<String> {
        list.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_container_shell_becomes_docker_exec_and_the_script_prints_what_the_session_did() {
        let typed = lines(&[
            "docker volume create notes",
            "docker run -it --name box -v notes:/data busybox sh",
            "echo 'it''s here' > /data/f",
            "cat /data/f",
            "exit",
            "docker ps -a --format '{{.Names}} {{.Image}}'",
            "docker run --rm -v notes:/data busybox cat /data/f",
        ]);
        let mut session = Engine::new();
        session.set_tty(true);
        let said: String = typed.iter().map(|l| session.run(l).stdout).collect();
        let text = script("Sandbox", &[], &typed, Engine::new());
        assert!(text.starts_with("#!/bin/sh\n") && text.contains("WARNING: this script changes YOUR Docker"), "{text}");
        assert!(text.contains("docker run -d -it --name box -v notes:/data busybox sh > /dev/null\n"), "{text}");
        assert!(text.contains("docker exec box sh -c 'echo '\\''it'\\'''\\''s here'\\'' > /data/f'\n"), "{text}");
        assert!(text.contains("docker exec box sh -c 'cat /data/f'\n") && text.contains("docker stop box > /dev/null\n"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("cat /data/f")), "no container line runs on the host");
        // Run as a script (no terminal), its lines print what the session printed.
        let mut replay = Engine::new();
        let printed: String = text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(|l| replay.run(l).stdout).collect();
        assert_eq!(printed, said);
        assert_eq!(said, "notes\nits here\nbox busybox\nits here\n");
    }

    #[test]
    fn the_setup_comes_first_and_an_exec_shell_leaves_its_container_running() {
        let typed = lines(&["docker run -d --name web demo/app:1.0 sleep 3600", "docker exec -it web sh", "ls /srv/web", "exit"]);
        let text = script("Tmpfs", &["mkdir -p ~/x"], &typed, Engine::new());
        let setup = text.find("# The scenario's setup:\nmkdir -p ~/x\n").expect("setup");
        assert!(setup < text.find("# The lines typed:").expect("lines"));
        assert!(text.contains("# typed: docker exec -it web sh\n") && text.contains("docker exec web sh -c 'ls /srv/web'\n"), "{text}");
        assert!(!text.contains("docker stop web"), "leaving an exec shell stops nothing: {text}");
    }

    #[test]
    fn a_shell_container_named_by_chance_keeps_its_name_in_the_script() {
        let typed = lines(&["docker run -it busybox sh", "hostname", "exit"]);
        let text = script("Sandbox", &[], &typed, Engine::new());
        let mut session = Engine::new();
        session.set_tty(true);
        session.run(&typed[0]);
        let name = session.session_container().expect("a shell");
        assert!(
            text.contains(&format!("docker run -d --name {name} -it busybox sh > /dev/null\ndocker exec {name} sh -c 'hostname'\n")),
            "{text}"
        );
    }
}
