//! Every `tests/transcripts/*.txt` file is replayed in a fresh world. The project's own come
//! out exactly as written (the engine is deterministic, ids included), events too where they pin
//! them (`event| ` lines); `STOWAGE_BLESS=1` rewrites them from the engine. Those recorded on a
//! real Docker (`oracle-*`) are compared after the reference scorer's normalization (ids, times,
//! unordered lines: see `support/recorded.rs`) and never rewritten.

use std::path::Path;

#[path = "support/recorded.rs"]
mod recorded;

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
        // Recorded output may hold bytes that are not UTF-8 (`ls -ü` names the first byte of
        // `ü`); a terminal shows each as U+FFFD, and so does the engine's output.
        let expected = String::from_utf8_lossy(&std::fs::read(f).expect("readable transcript")).into_owned();
        let actual = stowage_engine::transcript::replay(&expected);
        let recorded_on_docker = f.file_name().is_some_and(|n| n.to_string_lossy().starts_with("oracle-"));
        if recorded_on_docker {
            if let Some(difference) = recorded::difference(&expected, &actual) {
                failures.push(format!("{}: {difference}", f.display()));
            }
        } else if actual != expected && std::env::var("STOWAGE_BLESS").as_deref() == Ok("1") {
            // The project's own transcripts may be rewritten from the engine (recorded ones never).
            std::fs::write(f, &actual).expect("write transcript");
        } else if actual != expected {
            let first = expected.lines().zip(actual.lines()).enumerate().find(|(_, (e, a))| e != a);
            failures.push(format!("{}: first difference {:?}", f.display(), first));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Docker's help pages are the engine's data, recorded on Docker 26.1.5 (src/docker/
/// help_pages.txt): replaying the recording checks that every page is found by its path.
#[test]
fn every_recorded_help_page_is_answered() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/docker/help_pages.txt");
    let expected = std::fs::read_to_string(&path).expect("help pages");
    assert!(expected.matches("\n$ docker ").count() > 240, "every command's help is recorded");
    let actual = stowage_engine::transcript::replay(&expected);
    assert_eq!(recorded::difference(&expected, &actual), None);
}

#[test]
fn interactive_sessions_enter_and_leave_containers() {
    let mut e = stowage_engine::Engine::new();
    e.set_tty(true);
    assert_eq!(e.prompt(), "student@vm:~$ ");
    let o = e.run("docker run -it --name box demo/app:1.0 sh");
    assert_eq!(o.exit_code, 0);
    assert_eq!(e.prompt(), "/srv/web # ");
    assert_eq!(e.session_container().as_deref(), Some("box"));
    let o = e.run("echo hi > /tmp/x && cat /tmp/x");
    assert_eq!(o.stdout, "hi\n");
    let o = e.run("exit 3");
    assert_eq!(o.exit_code, 3);
    assert_eq!(e.prompt(), "student@vm:~$ ");
    let o = e.run("docker ps -a --format '{{.Names}} {{.Status}}'");
    assert_eq!(o.stdout, "box Exited (3) Less than a second ago\n");
    // Without a terminal, -it is refused as Docker does.
    let mut replay = stowage_engine::Engine::new();
    let o = replay.run("docker run -it demo/app:1.0 sh");
    assert_eq!((o.stderr.as_str(), o.exit_code), ("the input device is not a TTY\n", 1));
}

#[test]
fn on_a_terminal_a_pull_shows_each_layers_last_state() {
    let mut e = stowage_engine::Engine::new();
    e.set_tty(true);
    let o = e.run("docker pull python:3.9-slim");
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines[0], "3.9-slim: Pulling from library/python");
    let layers = &lines[1..lines.len() - 3];
    assert!(!layers.is_empty() && layers.iter().all(|l| l.ends_with(": Pull complete")), "{}", o.stdout);
    assert!(lines[lines.len() - 3].starts_with("Digest: sha256:"));
    assert_eq!(lines[lines.len() - 2..], ["Status: Downloaded newer image for python:3.9-slim", "docker.io/library/python:3.9-slim"]);
    // Without a terminal (as the reference transcripts were recorded) every state is a line.
    let mut replay = stowage_engine::Engine::new();
    let o = replay.run("docker pull python:3.9-slim");
    assert!(o.stdout.contains("Verifying Checksum") && o.stdout.contains("Download complete"));
}

#[test]
fn a_bash_session_in_a_debian_image_shows_debians_prompt() {
    let mut e = stowage_engine::Engine::new();
    e.set_tty(true);
    let o = e.run("docker run -it --rm --hostname pyapp -w /app python:3.9-slim bash");
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    assert_eq!(e.prompt(), "root@pyapp:/app# ");
    e.run("cd ~");
    assert_eq!(e.prompt(), "root@pyapp:~# ");
    let o = e.run("ls /nope");
    assert_eq!(o.stderr, "ls: cannot access '/nope': No such file or directory\n");
    e.run("exit");
    assert_eq!(e.prompt(), "student@vm:~$ ");
}

#[test]
fn tab_completes_paths_where_the_next_line_runs() {
    let mut e = stowage_engine::Engine::new();
    e.set_tty(true);
    e.run("mkdir -p ~/my-app && touch ~/my-app/app.py");
    assert_eq!(e.complete("ls ~/my", 7), vec!["~/my-app/".to_string()]);
    assert_eq!(e.complete("cat ~/my-app/a", 14), vec!["~/my-app/app.py".to_string()]);
    assert_eq!(e.complete("docker system p", 15), vec!["prune".to_string()]);
    // Command names: builtins and the programs on the PATH, as bash completes them.
    assert_eq!(e.complete("doc", 3), vec!["docker".to_string()]);
    assert_eq!(e.complete("gre", 3), vec!["grep".to_string()]);
    assert_eq!(e.complete("gr", 2), vec!["grep".to_string(), "groupadd".to_string(), "groups".to_string()]);
    assert_eq!(e.complete("so", 2), vec!["sort".to_string(), "source".to_string()]);
    e.run("docker run -it --rm demo/app:1.0 sh");
    // Inside the container's shell, paths are the container's.
    assert_eq!(e.complete("cat /etc/app/app.", 17), vec!["/etc/app/app.conf".to_string()]);
    assert_eq!(e.complete("ls ", 3), vec!["index.html".to_string()]);
    // There, command names come from the image's PATH (busybox's applets).
    assert_eq!(e.complete("mkd", 3), vec!["mkdir".to_string()]);
}

#[test]
fn here_documents_write_files_as_tutorials_do() {
    let mut e = stowage_engine::Engine::new();
    let o = e.run("cat > compose.yaml <<EOF\nservices:\n  web:\n    image: nginx:latest\n    user: $USER\nEOF");
    assert_eq!((o.exit_code, o.stderr.as_str()), (0, ""));
    assert_eq!(e.run("cat compose.yaml").stdout, "services:\n  web:\n    image: nginx:latest\n    user: student\n");
    // A quoted delimiter keeps `$` literal; `<<-` strips leading tabs; `<<<` is one line.
    assert_eq!(e.run("cat <<'END'\n$HOME\nEND").stdout, "$HOME\n");
    assert_eq!(e.run("cat <<-END\n\tindented\n\tEND\necho after").stdout, "indented\nafter\n");
    assert_eq!(e.run("wc -l <<< 'one line'").stdout, "1\n");
    assert!(stowage_engine::needs_more("cat <<EOF\nstill typing"));
    assert!(!stowage_engine::needs_more("cat <<EOF\ndone\nEOF"));
}

#[test]
fn an_entrypoint_hands_an_interactive_shell_over() {
    let mut e = stowage_engine::Engine::new();
    e.set_tty(true);
    let o = e.run("docker run -it --rm --name web nginx:latest bash");
    assert_eq!(o.exit_code, 0, "{}", o.stderr);
    assert_eq!(e.session_container().as_deref(), Some("web"));
    assert!(e.prompt().starts_with("root@"), "{}", e.prompt());
    assert_eq!(e.run("cat /etc/nginx/conf.d/default.conf | head -1").stdout, "server {\n");
    e.run("exit");
    assert_eq!(e.prompt(), "student@vm:~$ ");
}

#[test]
fn at_the_terminal_bash_speaks_as_an_interactive_shell_and_replays_as_bash_c() {
    let mut e = stowage_engine::Engine::new();
    e.set_tty(true);
    assert_eq!(e.run("nosuchcmd").stderr, "bash: nosuchcmd: command not found\n");
    assert_eq!(e.run("echo (").stderr, "bash: syntax error near unexpected token `newline'\n");
    assert_eq!(e.run("cd /nope").stderr, "bash: cd: /nope: No such file or directory\n");
    // A `bash -c` run from there is not interactive.
    assert_eq!(e.run("bash -c nosuchcmd").stderr, "bash: line 1: nosuchcmd: command not found\n");
    let mut replay = stowage_engine::Engine::new();
    assert_eq!(replay.run("nosuchcmd").stderr, "bash: line 1: nosuchcmd: command not found\n");
    assert_eq!(replay.run("echo )").stderr, "bash: -c: line 1: syntax error near unexpected token `)'\nbash: -c: line 1: `echo )'\n");
}

#[test]
fn shell_functions_run_with_their_arguments_and_a_fork_bomb_is_stopped() {
    let mut e = stowage_engine::Engine::new();
    let o = e.run("greet() { echo \"hi $1\"; return 3; }; greet you; echo $?");
    assert_eq!(o.stdout, "hi you\n3\n");
    let o = e.run(":(){ :|:& };:");
    assert!(o.stderr.contains("stopped (the simulator's limit)"), "{}", o.stderr);
    assert_eq!(e.run("return").stderr, "bash: line 1: return: can only `return' from a function or sourced script\n");
}

#[test]
fn endless_sed_loops_and_giant_widths_stop_at_the_simulators_limits() {
    let mut e = stowage_engine::Engine::new();
    let o = e.run("echo x | sed ':a;ba'");
    assert!(o.stderr.contains("stopped (the simulator's limit)"), "{}", o.stderr);
    // Rust's formatting takes widths and precisions up to 65 535: more is the simulator's limit.
    assert_eq!(e.run("printf '%0999999999d' 5 | wc -c").stdout, "65535\n");
    assert_eq!(e.run("printf '%.999999999f' 1 | wc -c").stdout, "65537\n");
    assert_eq!(e.run("awk 'BEGIN { printf \"%.999999999f\", 1 }' | wc -c").stdout, "65537\n");
    assert_eq!(e.run("echo $((2 ** 62 * 4))").stdout, "0\n");
}

#[test]
fn at_the_terminal_a_prune_question_waits_for_the_next_line() {
    let mut e = stowage_engine::Engine::new();
    e.set_tty(true);
    e.run("docker run --name done1 busybox true");
    let asked = e.run("docker container prune");
    assert_eq!(asked.stdout, "WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
    assert_eq!(e.prompt(), "", "the question is the prompt");
    let answered = e.run("y");
    assert!(answered.stdout.starts_with("Deleted Containers:\n"), "{}", answered.stdout);
    assert_eq!(e.prompt(), "student@vm:~$ ");
    assert_eq!(e.run("docker ps -aq").stdout, "");
    // No: nothing removed.
    e.run("docker run --name done2 busybox true");
    e.run("docker container prune");
    let declined = e.run("n");
    assert_eq!((declined.stdout.as_str(), declined.exit_code), ("", 0));
    assert_eq!(e.run("docker ps -a --format '{{.Names}}'").stdout, "done2\n");
    // Replays (no terminal) read stdin: empty is no.
    let mut replay = stowage_engine::Engine::new();
    assert!(replay.run("docker volume prune").stdout.ends_with("[y/N] \n"));
}

#[test]
fn docker_start_ai_attaches_to_a_shell_created_with_it() {
    let mut e = stowage_engine::Engine::new();
    e.set_tty(true);
    assert_eq!(e.run("docker create -it --name box busybox sh").exit_code, 0);
    assert_eq!(e.run("docker start -ai box").exit_code, 0);
    assert_eq!(e.session_container().as_deref(), Some("box"));
    e.run("echo kept > /tmp/f");
    e.run("exit");
    assert_eq!(e.run("docker ps -a --format '{{.Names}} {{.State}}'").stdout, "box exited\n");
    // A plain start leaves the shell waiting on its terminal: running.
    assert_eq!(e.run("docker start box").stdout, "box\n");
    assert_eq!(e.run("docker exec box cat /tmp/f").stdout, "kept\n");
}

#[test]
fn a_terminal_shows_the_streams_in_the_order_written() {
    let runs = |o: &stowage_engine::Outcome| o.segments.iter().map(|s| (s.stderr, s.text.clone())).collect::<Vec<_>>();
    let mut e = stowage_engine::Engine::new();
    // The pull (stderr) comes before the container's id (stdout).
    let o = e.run("docker run -d --name web nginx");
    assert!(o.stderr.starts_with("Unable to find image 'nginx:latest' locally"), "{}", o.stderr);
    assert_eq!(runs(&o), [(true, o.stderr.clone()), (false, o.stdout.clone())]);
    assert_eq!(runs(&e.run("echo hi")), [(false, "hi\n".to_string())]);
    // Each write where it came, across commands and inside one (a container's main process).
    let o = e.run("echo out; ls /nope; echo after");
    assert_eq!(
        runs(&o),
        [
            (false, "out\n".to_string()),
            (true, "ls: cannot access '/nope': No such file or directory\n".to_string()),
            (false, "after\n".to_string())
        ]
    );
    let o = e.run("docker run --rm busybox sh -c 'echo one; ls /nope; echo two'");
    assert_eq!(runs(&o).iter().map(|(err, _)| *err).collect::<Vec<_>>(), [false, true, false]);
    // Transcripts keep stdout then stderr.
    assert_eq!((o.stdout.as_str(), o.stderr.as_str()), ("one\ntwo\n", "ls: /nope: No such file or directory\n"));
    // docker logs replays the same order.
    e.run("docker run --name order busybox sh -c 'echo one; ls /nope; echo two'");
    assert_eq!(runs(&e.run("docker logs order")).iter().map(|(err, _)| *err).collect::<Vec<_>>(), [false, true, false]);
}

#[test]
fn an_archive_is_not_written_to_the_terminal_but_goes_where_redirected() {
    let mut e = stowage_engine::Engine::new();
    e.set_tty(true);
    let refused = "cowardly refusing to save to a terminal. Use the -o flag or redirect\n";
    let o = e.run("docker save busybox");
    assert_eq!((o.stderr.as_str(), o.exit_code, o.stdout.is_empty()), (refused, 1, true));
    assert_eq!(e.run("docker save busybox > b.tar").exit_code, 0);
    assert_eq!(e.run("docker save busybox | tar -t | grep -c manifest.json").stdout, "1\n");
    e.run("docker create --name c1 busybox");
    assert_eq!(e.run("docker export c1").stderr, refused);
    assert_eq!(e.run("docker export c1 | docker import - flat").exit_code, 0);
    // Without a terminal (a replay, a script), stdout is taken as redirected.
    let mut script = stowage_engine::Engine::new();
    assert_eq!(script.run("docker save busybox | wc -c").exit_code, 0);
}

/// Every command `docker --help` lists (as recorded on the oracle) is either run or answers
/// that the simulation does not run it, and why; none is called "not a docker command".
#[test]
fn every_docker_command_is_known() {
    let help =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/fidelity/recorded/help-docker.txt"))
            .expect("the recorded docker --help");
    let top = help.split("Global Options:").next().unwrap_or_default();
    let commands: Vec<&str> = top
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .map(|c| c.trim_end_matches('*'))
        .collect();
    assert!(commands.len() > 40, "the command list was read: {commands:?}");
    for command in commands {
        let mut e = stowage_engine::Engine::new();
        let o = e.run(&format!("docker {command} --help"));
        assert!(!o.stderr.contains("is not a docker command"), "docker {command}: {}", o.stderr);
    }
}
