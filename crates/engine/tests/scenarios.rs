//! Every scenario's setup runs cleanly and its walk-through shows what it promises.

use stowage_engine::scenarios::{find, SCENARIOS};
use stowage_engine::Engine;

/// Runs a scenario's steps and returns each step's outcome.
fn walk(id: &str) -> (Engine, Vec<stowage_engine::Outcome>) {
    let scenario = find(id).expect("scenario exists");
    let mut engine = Engine::with_scenario(scenario);
    let outcomes = scenario.steps.iter().map(|s| engine.run(s.command)).collect();
    (engine, outcomes)
}

#[test]
fn setups_run_cleanly() {
    for s in SCENARIOS {
        let mut engine = Engine::new();
        for line in s.setup {
            let o = engine.run(line);
            assert_eq!(o.exit_code, 0, "{}: `{line}` failed: {}", s.id, o.stderr);
        }
    }
}

#[test]
fn live_code_runs_the_hosts_file_through_the_bind_mount() {
    let (_, o) = walk("live-code");
    assert_eq!(o[1].exit_code, 0, "{}", o[1].stderr);
    assert_eq!(o[2].stdout, "Hello from app.py\n");
    assert_eq!(o[4].stdout, "Changed on the host\n");
    assert_eq!(o[5].stdout, "Hello from app.py\n", "the image keeps its build-time copy");
}

#[test]
fn nginx_refuses_the_tutorials_config_and_serves_the_fixed_one() {
    let (_, o) = walk("nginx-config");
    assert!(o[1].stdout.contains("Exited (1)"), "{}", o[1].stdout);
    assert!(o[2].stderr.contains("\"server\" directive is not allowed here in /etc/nginx/nginx.conf:1"), "{}", o[2].stderr);
    assert_eq!(o[4].exit_code, 0, "{}", o[4].stderr);
    assert!(o[5].stdout.contains("Welcome to nginx!"), "{}", o[5].stdout);
}

#[test]
fn logs_outlive_the_container() {
    let (_, o) = walk("logs");
    assert!(o[1].stdout.contains("app.log"));
    assert!(o[2].stdout.contains("INFO app started"), "{}", o[2].stdout);
    assert_eq!(o[4].stdout, o[2].stdout);
}

#[test]
fn postgres_rows_survive_a_new_container_on_the_volume() {
    let (_, o) = walk("postgres");
    assert_eq!(o[4].stdout, "INSERT 0 1\n");
    assert!(o[7].stdout.contains("kept on a volume"), "{}", o[7].stdout);
    assert!(o[9].stderr.contains("volume is in use"), "{}", o[9].stderr);
}

#[test]
fn compose_down_keeps_volumes_and_down_v_removes_them() {
    let (_, o) = walk("compose");
    assert_eq!(o[1].exit_code, 0, "{}", o[1].stderr);
    assert!(o[3].stdout.contains("Hello from the web service"), "{}{}", o[3].stdout, o[3].stderr);
    assert!(o[4].stdout.contains("proj_db-data") && o[4].stdout.contains("proj_web-logs"));
    assert!(o[6].stdout.contains("proj_db-data"));
    assert!(!o[8].stdout.contains("proj_db-data"), "{}", o[8].stdout);
}

#[test]
fn read_only_mounts_refuse_writes() {
    let (_, o) = walk("read-only");
    assert!(o[1].stdout.contains("static from the host"));
    assert!(o[2].stderr.contains("Read-only file system"), "{}", o[2].stderr);
    assert!(o[3].stderr.contains("Read-only file system"), "{}", o[3].stderr);
}

#[test]
fn the_container_uid_is_the_host_uid() {
    let (_, o) = walk("permissions");
    let owner_of =
        |file: &str| o[2].stdout.lines().find(|l| l.ends_with(file)).and_then(|l| l.split_whitespace().nth(2)).map(str::to_string);
    assert_eq!(owner_of("by-root").as_deref(), Some("root"), "{}", o[2].stdout);
    assert_eq!(owner_of("by-me").as_deref(), Some("student"), "{}", o[2].stdout);
    assert!(o[5].stderr.contains("Permission denied"), "{}", o[5].stderr);
}

#[test]
fn a_backup_restores_into_a_new_volume() {
    let (_, o) = walk("backup");
    assert!(o[2].stdout.contains("db_backup.tar"));
    assert_eq!(o[5].stdout, "precious\n");
}

#[test]
fn tmpfs_is_empty_after_a_restart() {
    let (_, o) = walk("tmpfs");
    assert!(o[1].stdout.contains("64.0M"), "{}", o[1].stdout);
    assert!(!o[2].stdout.contains("token"));
    assert_eq!(o[5].stdout, ".\n..\n");
}

#[test]
fn a_postgres_volume_is_backed_up_with_tar_and_restored_into_a_new_volume() {
    let mut e = Engine::new();
    let run = |e: &mut Engine, line: &str| {
        let o = e.run(line);
        assert_eq!(o.exit_code, 0, "`{line}`: {}", o.stderr);
        o
    };
    run(&mut e, "docker run -d --name db -e POSTGRES_PASSWORD=x -v my-db-data:/var/lib/postgresql/data postgres:15-alpine");
    run(&mut e, "docker exec db psql -U postgres -c \"CREATE TABLE t (v text)\"");
    run(&mut e, "docker exec db psql -U postgres -c \"INSERT INTO t VALUES ('saved')\"");
    run(&mut e, "docker stop db");
    run(&mut e, "docker run --rm -v my-db-data:/dbdata -v $(pwd):/backup-host alpine:latest tar -cf /backup-host/db_backup.tar /dbdata");
    let listing = run(&mut e, "ls -l db_backup.tar").stdout;
    assert!(listing.contains(" root root "), "{listing}");
    run(&mut e, "docker rm db");
    run(&mut e, "docker volume rm my-db-data");
    run(&mut e, "docker run --rm -v my-db-data:/dbdata -v $(pwd):/backup-host alpine tar -xf /backup-host/db_backup.tar");
    run(&mut e, "docker run -d --name db2 -e POSTGRES_PASSWORD=x -v my-db-data:/var/lib/postgresql/data postgres:15-alpine");
    let logs = run(&mut e, "docker logs db2");
    assert!(logs.stdout.contains("Skipping initialization"), "{}", logs.stdout);
    assert!(run(&mut e, "docker exec db2 psql -U postgres -c 'SELECT * FROM t'").stdout.contains("saved"));
}
