//! Every shipped level is tested by replaying it: the start state does not meet its goals, the
//! reference solution does, and each listed wrong attempt (a plausible mistake) leaves a goal
//! unmet, at least one of them meeting some goals but not all.

use stowage_engine::levels::{self, Level};
use stowage_engine::Engine;

fn run_all(engine: &mut Engine, lines: &[String]) {
    for line in lines {
        engine.run(line);
    }
}

fn shipped() -> Vec<Level> {
    levels::sources().iter().map(|(file, s)| levels::parse(s).unwrap_or_else(|e| panic!("{file} does not read: {e}"))).collect()
}

#[test]
fn every_shipped_level_reads_and_ids_are_unique() {
    let all = shipped();
    assert_eq!(all.len(), levels::all().len());
    let mut ids: Vec<&str> = all.iter().map(|l| l.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "duplicate ids");
    for l in &all {
        assert!(l.hints.len() >= 2, "{}: at least two hints", l.id);
        assert!(!l.wrong.is_empty(), "{}: at least one wrong attempt", l.id);
        assert!(l.par() >= 1, "{}: a reference solution", l.id);
    }
    assert!(all.windows(2).all(|w| w[0].track <= w[1].track), "the levels ship in track order");
    assert!(all.len() >= 20, "at least twenty levels ({})", all.len());
    let single_goal = all.iter().filter(|l| l.goals.len() == 1).count();
    assert!(single_goal * 4 <= all.len(), "{single_goal} of {} levels have a single goal", all.len());
}

#[test]
fn every_level_is_sound_start_solution_and_wrong_attempts() {
    // The start does not meet the goals; the reference solution does; every wrong attempt
    // leaves a goal unmet, and one of them meets some goals but not all.
    for l in shipped() {
        let problems = levels::verify(&l);
        assert!(problems.is_empty(), "{}: {}", l.id, problems.join("; "));
    }
}

#[test]
fn verify_finds_a_level_that_teaches_nothing() {
    let mut l = levels::find("copy-up").expect("copy-up");
    l.solution = vec!["true".into()];
    l.wrong = vec![levels::WrongAttempt { note: "does it all".into(), lines: levels::find("copy-up").expect("copy-up").solution }];
    let problems = levels::verify(&l);
    assert!(problems.iter().any(|p| p.starts_with("the reference solution leaves goals unmet")), "{problems:?}");
    assert!(problems.iter().any(|p| p == "the wrong attempt \"does it all\" solves the level"), "{problems:?}");
}

#[test]
fn a_broken_guard_keeps_a_level_unsolved() {
    let l = levels::find("ro-config").expect("ro-config");
    let mut engine = l.start();
    run_all(&mut engine, &l.solution);
    assert!(l.standing(&engine.query()).solved());
    // The host's file changes under a solved level: the guard says so, and it is not solved.
    engine.run("echo color=pink > /home/student/app.conf");
    let s = l.standing(&engine.query());
    assert_eq!(s.broken, [0]);
    assert!(!s.solved());
}

#[test]
fn malformed_level_text_names_the_line_or_field() {
    let err = |text: &str| levels::parse(text).expect_err("malformed").to_string();
    assert!(err("id: [unclosed").contains("line"), "{}", err("id: [unclosed"));
    assert_eq!(err("- a list"), "a level is a mapping of fields (id, track, title, story, …)");
    let base = "id: x\ntrack: beginner\ntitle: t\nstory: s\nhints: [a, b]\nsolution: [true]\n";
    assert_eq!(err(&format!("{base}goals: []")), "goals: a level needs at least one goal");
    assert_eq!(
        err(&format!("{base}goals:\n  - colour: red")),
        "goals[1]: a goal names a `container`, `volume`, `host`, `image` or `anonymous-volumes`"
    );
    assert_eq!(
        err(&format!("{base}goals:\n  - container: web\n    is: asleep")),
        "goals[1]: `is` is present, running, exited or absent, not `asleep`"
    );
    assert_eq!(
        err(&format!("{base}goals:\n  - volume: v\n    holds: /f\n    owner: root")),
        "goals[1]: `owner` is UID:GID in numbers, not `root`"
    );
    assert_eq!(err(&base.replace("track: beginner", "track: wizard")), "track: beginner, intermediate or expert, not `wizard`");
    // Any bytes at all: an answer, never a panic.
    for text in ["", "\u{0}", "id: é\n", ":::", "goals: {", "id: x\ngoals:\n  - container: 3"] {
        assert!(levels::parse(text).is_err());
    }
}

#[test]
fn predictions_are_decided_by_the_state_not_by_the_lines() {
    let l = levels::find("volume-outlives-container").expect("level");
    let p = &l.predictions[0];
    let mut engine = l.start();
    assert!(!p.when.met(&engine.query()), "not asked before the notes exist");
    engine.run(&l.solution[0]);
    assert!(p.when.met(&engine.query()) && !p.settle.met(&engine.query()), "asked, not yet settled");
    engine.run(&l.solution[1]);
    assert!(p.settle.met(&engine.query()));
    assert_eq!(p.outcome(&engine.query()), Some(p.right));
    // Had the volume gone (another way to the same place), the other choice would be what happened.
    engine.run("docker volume rm notes");
    assert_eq!(p.outcome(&engine.query()), Some(1));
    assert!(levels::all().iter().filter(|l| !l.predictions.is_empty()).count() >= 3);
}

#[test]
fn a_trap_is_sprung_by_the_state_and_leaves_with_it() {
    // uid-mismatch: the job run as root writes the file, owned by root: the trap says so.
    let l = levels::find("uid-mismatch").expect("level");
    let mut engine = l.start();
    assert!(l.standing(&engine.query()).traps.is_empty());
    run_all(&mut engine, &l.wrong[0].lines);
    assert_eq!(l.standing(&engine.query()).traps, [0]);
    assert!(l.traps[0].hint.contains("belongs to root"));
    // Mending it (another way than the reference) leaves the trap.
    engine.run("sudo chown 1000:1000 /home/student/shared/out.txt");
    let s = l.standing(&engine.query());
    assert!(s.traps.is_empty() && s.solved(), "{s:?}");
    let with_traps = levels::all().iter().filter(|l| !l.traps.is_empty()).count();
    assert!(with_traps * 2 >= levels::all().len(), "traps in {with_traps} levels");
}

#[test]
fn verify_finds_an_untested_trap_and_one_on_the_solution_path() {
    let mut l = levels::find("prune-anonymous").expect("level");
    // A trap no wrong attempt ends in, and one that holds on the reference solution's path.
    l.wrong.retain(|w| w.lines.iter().all(|line| !line.contains("volume rm keep") && !line.contains("-a")));
    l.wrong.push(levels::WrongAttempt { note: "nothing pruned".into(), lines: vec!["docker volume ls".into()] });
    let mut on_path = l.traps[0].clone();
    on_path.when = vec![levels::Goal::AnonymousVolumes(0)];
    l.traps.push(on_path);
    let problems = levels::verify(&l);
    assert!(problems.iter().any(|p| p == "no wrong attempt ends in trap 1"), "{problems:?}");
    assert!(problems.iter().any(|p| p == "the reference solution walks into trap 2 after `docker volume prune -f`"), "{problems:?}");
}

#[test]
fn a_malformed_trap_names_its_field() {
    let base = "id: x\ntrack: beginner\ntitle: t\nstory: s\nhints: [a, b]\nsolution: [true]\ngoals:\n  - volume: v\n";
    let err = |traps: &str| levels::parse(&format!("{base}traps:\n{traps}")).expect_err("malformed").to_string();
    assert_eq!(err("  - hint: h"), "traps[1]: `when` (a goal, or a list of goals that all hold) is missing");
    assert_eq!(err("  - when: { volume: v }"), "traps[1]: `hint` says what went wrong and how to go on");
    assert_eq!(
        err("  - when: [{ volume: v }, { not: { colour: red } }]\n    hint: h"),
        "traps[1]: when[2]: not: a goal names a `container`, `volume`, `host`, `image` or `anonymous-volumes`"
    );
    assert_eq!(err("  - when: { volume: v }\n    hint: h\n    undo: maybe"), "traps[1]: `undo` is true or false");
}
