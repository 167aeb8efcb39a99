//! Property tests: random sessions of learner input (docker commands with valid and malformed
//! flags and mount specs, host commands, shell constructs, garbage, huge arguments) run on a
//! fresh canonical world.
//!
//! Properties checked:
//! * the engine never panics and every exit status is in `0..=255`;
//! * image layers are immutable: the content of every layer that existed before a session is
//!   unchanged after it (containers only ever write their upper dir);
//! * the engine is deterministic: the same session on two fresh engines gives the same outcomes;
//! * a named volume's content survives the removal of the container that wrote it.
//!
//! Plus explicit adversarial lines (endless loops, huge files, huge arguments, deep nesting)
//! that must come back promptly with a result or an error message.
//!
//! The lines are generated from a grammar; nothing here knows the engine's internals: the
//! layer digests come from the engine's read-only query (`Query::layers`). The grammar avoids writes into Docker's
//! own directories (as root they legitimately corrupt images) and the patterns of the known
//! engine bugs kept as `#[ignore]`d tests below (a directory copied or moved into itself), so
//! the properties keep finding new problems.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::BoxedStrategy;
use proptest::test_runner::TestRunner;
use stowage_engine::{Engine, ExplorerTarget, Outcome};

// ------------------------------------------------------------------------------ the grammar

/// What a generated session may do.
#[derive(Clone, Copy, Debug)]
struct Profile {
    /// Leave container `p1` and volume `pvol` alone, never remove volumes, never remove or
    /// replace the images the volume check itself uses.
    protect: bool,
}

const FREE: Profile = Profile { protect: false };
const PROTECTED: Profile = Profile { protect: true };

/// A weighted choice between strategies of different types (each is boxed).
macro_rules! one_of {
    ($($w:expr => $s:expr),+ $(,)?) => {
        prop::strategy::Union::new_weighted(vec![$(($w, $s.boxed())),+]).boxed()
    };
}

fn pick(items: &[&str]) -> BoxedStrategy<String> {
    select(items.iter().map(|s| s.to_string()).collect::<Vec<_>>()).boxed()
}

/// Quotes a word the way a learner might: not at all, in single or in double quotes.
fn quoted(word: BoxedStrategy<String>) -> BoxedStrategy<String> {
    (word, 0..4u8)
        .prop_map(|(w, q)| match q {
            0 if !w.contains('\'') => format!("'{w}'"),
            1 if !w.contains('"') => format!("\"{w}\""),
            _ => w,
        })
        .boxed()
}

fn container_name(p: Profile) -> BoxedStrategy<String> {
    let mut pool = vec!["c1", "c2", "web", "db", "app_1", "c1", "c2"];
    if !p.protect {
        pool.push("p1");
    }
    one_of![
        8 => pick(&pool),
        1 => "[a-z][a-z0-9_.-]{0,8}",
        1 => pick(&["", "x", "-c1", "a b", "/c1", "C1", "c1/", "..", "é", "c1:latest"]),
    ]
    .prop_map(move |n| if p.protect && n == "p1" { "p2".to_string() } else { n })
    .boxed()
}

fn container_ref(p: Profile) -> BoxedStrategy<String> {
    if p.protect {
        return container_name(p);
    }
    one_of![
        8 => container_name(p),
        1 => pick(&["$(docker ps -lq)", "$(docker ps -aq | head -n 1)", "0123456789ab", "fa155fe3", "\"\""]),
    ]
}

fn volume_name(p: Profile) -> BoxedStrategy<String> {
    let mut pool = vec!["v1", "v2", "data", "cache", "v1", "myvol"];
    if !p.protect {
        pool.push("pvol");
    }
    one_of![
        8 => pick(&pool),
        1 => "[a-zA-Z0-9][a-zA-Z0-9_.-]{0,12}",
        1 => pick(&["", "bad name", "a:b", "-v", "..", "x", "vol/sub", "$HOME", "ünï"]),
    ]
    .prop_map(move |n| if p.protect && n == "pvol" { "pvol2".to_string() } else { n })
    .boxed()
}

/// A path inside a container.
fn cpath() -> BoxedStrategy<String> {
    one_of![
        6 => pick(&[
            "/data", "/d", "/tmp", "/tmp/x", "/etc/app", "/", "/proc", "/home/app", "/var/lib/app",
            "/srv/web", "data", "./x", "/data/../etc", "/data/", "//data", "/d/sub/dir", "/dev/shm",
            "/etc/hostname", "/etc/passwd", "/bin", "/data/f", "/etc/app/app.conf",
        ]),
        1 => "/[a-z]{1,5}(/[a-z.]{1,5}){0,2}",
    ]
}

/// A path on the host (never Docker's own directories: writing there as root would
/// legitimately corrupt images, as it does on a real machine).
fn hpath() -> BoxedStrategy<String> {
    one_of![
        6 => pick(&[
            "./src", "src", "/home/student/src", "/home/student", "/tmp/h", "/etc", "/nonexistent",
            "~/x", "$HOME/data", "$(pwd)/src", "/home/student/f.txt", "../student", "/root", ".",
            "f.txt", "out.txt", "backup", "/tmp",
        ]),
        1 => "/tmp/[a-z]{1,6}",
        1 => "[a-z]{1,6}(/[a-z]{1,4})?",
    ]
}

fn vspec(p: Profile) -> BoxedStrategy<String> {
    let mode = pick(&["ro", "rw", "z", "Z", "nocopy", "ro,z", "bogus", "", "RO", "ro,rw"]);
    one_of![
        4 => (volume_name(p), cpath()).prop_map(|(v, c)| format!("{v}:{c}")),
        2 => (volume_name(p), cpath(), mode.clone()).prop_map(|(v, c, m)| format!("{v}:{c}:{m}")),
        3 => (hpath(), cpath()).prop_map(|(h, c)| format!("{h}:{c}")),
        1 => (hpath(), cpath(), mode).prop_map(|(h, c, m)| format!("{h}:{c}:{m}")),
        2 => cpath(),
        2 => pick(&[
            ":", "::", "a:b:c:d", ":/x", "x:", "/x:", "v1::/x", "v1:/x:ro:rw", "C:\\data:/x", " ",
            "v1 :/x", "v1:", "v1:relative", "/tmp/h:/proc", "v1:/", "v1:/x:", "\\:/x",
        ]),
    ]
}

fn mount_spec(p: Profile) -> BoxedStrategy<String> {
    let kind = pick(&["type=volume", "type=bind", "type=tmpfs", "type=npipe", "type=junk", "", "type="]);
    let field = one_of![
        3 => volume_name(p).prop_map(|v| format!("source={v}")),
        2 => volume_name(p).prop_map(|v| format!("src={v}")),
        2 => hpath().prop_map(|h| format!("src={h}")),
        3 => cpath().prop_map(|c| format!("target={c}")),
        2 => cpath().prop_map(|c| format!("dst={c}")),
        1 => cpath().prop_map(|c| format!("destination={c}")),
        4 => pick(&[
            "readonly", "ro=true", "readonly=false", "ro=1", "volume-nocopy", "volume-nocopy=true",
            "tmpfs-size=1m", "tmpfs-size=abc", "tmpfs-size=-1", "tmpfs-mode=1777", "tmpfs-mode=999",
            "bind-propagation=rshared", "bind-propagation=bogus", "volume-opt=type=tmpfs",
            "volume-opt=device=tmpfs", "volume-subpath=sub", "volume-driver=local", "bogus=1", "=",
            "", "source", "target", "consistency=cached", "bind-nonrecursive=true",
        ]),
    ];
    (kind, prop::collection::vec(field, 0..5), any::<prop::sample::Index>())
        .prop_map(|(k, mut fields, at)| {
            let at = at.index(fields.len() + 1);
            fields.insert(at, k);
            fields.join(",")
        })
        .boxed()
}

fn tmpfs_spec() -> BoxedStrategy<String> {
    one_of![
        3 => cpath(),
        3 => (cpath(), pick(&[
            "size=1m", "size=64k,mode=1777", "rw,noexec,nosuid", "size=abc", "mode=99999", "ro", "",
            "size=0", "uid=1000,gid=1000", "size=1g,size=2k",
        ]))
            .prop_map(|(c, o)| format!("{c}:{o}")),
        1 => pick(&[":", ":size=1m", "relative", ""]),
    ]
}

fn image() -> BoxedStrategy<String> {
    one_of![
        8 => pick(&["busybox", "busybox:latest", "demo/app:1.0", "demo/app:vol", "demo/app:2.0"]),
        1 => pick(&["demo/app", "nosuch", "demo/app:9.9", "d6c60a241fea", "BusyBox", "snap:1", "built:1", "sha256:d6c6", ""]),
    ]
}

fn run_flag(p: Profile) -> BoxedStrategy<String> {
    let mut choices: Vec<(u32, BoxedStrategy<String>)> = vec![
        (3, pick(&["-d", "--rm", "-it", "-i", "-t", "--read-only", "--init", "--privileged", "-d --rm"])),
        (3, container_name(p).prop_map(|n| format!("--name {n}")).boxed()),
        (1, container_name(p).prop_map(|n| format!("--name={n}")).boxed()),
        (5, quoted(vspec(p)).prop_map(|s| format!("-v {s}")).boxed()),
        (1, quoted(vspec(p)).prop_map(|s| format!("--volume={s}")).boxed()),
        (3, quoted(mount_spec(p)).prop_map(|s| format!("--mount {s}")).boxed()),
        (2, quoted(tmpfs_spec()).prop_map(|s| format!("--tmpfs {s}")).boxed()),
        (1, pick(&["-u 1000", "--user root", "-u 1000:1000", "-u nobody", "-u 0:0", "--user=", "-u 99999"])),
        (1, cpath().prop_map(|c| format!("-w {c}")).boxed()),
        (1, pick(&["-e A=B", "-e X", "--env=A=", "-l k=v", "--label a", "--network none", "--net=host"])),
        (1, pick(&["-p 80:80", "--restart always", "--hostname h", "-m 64m", "--entrypoint sh", "--entrypoint ''"])),
        (1, pick(&["--bogus", "-Z", "--", "-v", "--mount", "--name", "--volume-driver local", "--pull never"])),
    ];
    choices.push((1, container_name(p).prop_map(|n| format!("--volumes-from {n}")).boxed()));
    if !p.protect {
        choices.push((1, pick(&["--volumes-from p1", "--volumes-from p1:ro"])));
    }
    prop::strategy::Union::new_weighted(choices).boxed()
}

fn host_cp_source() -> BoxedStrategy<String> {
    pick(&["src", "f.txt", "backup", "out.txt", "/etc/passwd", "data", "/etc", "z"])
}

fn host_cp_target() -> BoxedStrategy<String> {
    pick(&["dst", "copy", "/tmp/h", "/tmp/cp", "f2.txt", "/home/student/backup2", "/root/x"])
}

fn cp_source() -> BoxedStrategy<String> {
    pick(&["/etc/app", "/data", "/home/app", "/srv/web", "/d", "/etc/passwd", "/tmp/x", "/etc/app/app.conf", "/bin/sh"])
}

fn cp_target() -> BoxedStrategy<String> {
    pick(&["/backup", "/tmp/copy", "/opt", "/var/tmp2", "/root/c", "/data2", "/proc/x"])
}

/// A busybox command inside a container (ash syntax).
fn inner_command() -> BoxedStrategy<String> {
    one_of![
        3 => (pick(&["hello", "X", "color=red", "", "a b"]), cpath()).prop_map(|(t, c)| format!("echo {t} > {c}")),
        1 => (pick(&["more", "y"]), cpath()).prop_map(|(t, c)| format!("echo {t} >> {c}")),
        3 => cpath().prop_map(|c| format!("cat {c}")),
        3 => (pick(&["ls", "ls -l", "ls -la", "ls -ld", "ls -R"]), cpath()).prop_map(|(l, c)| format!("{l} {c}")),
        2 => cpath().prop_map(|c| format!("mkdir -p {c}")),
        2 => cpath().prop_map(|c| format!("rm -rf {c}")),
        1 => cpath().prop_map(|c| format!("rm {c}")),
        2 => cpath().prop_map(|c| format!("touch {c}")),
        1 => (pick(&["777", "000", "u+x", "1777", "bogus"]), cpath()).prop_map(|(m, c)| format!("chmod {m} {c}")),
        1 => (pick(&["1000:1000", "0", "nobody", "1000"]), cpath()).prop_map(|(o, c)| format!("chown -R {o} {c}")),
        // Sources and targets of `cp` and `mv` never nest: copying or moving a directory into
        // itself are known engine bugs (see `cp_directory_into_itself_in_container`,
        // `mv_image_directory_into_itself_in_container`).
        1 => (cp_source(), cp_target()).prop_map(|(a, b)| format!("cp -a {a} {b}")),
        1 => (cp_source(), cp_target()).prop_map(|(a, b)| format!("mv {a} {b}")),
        1 => (cpath(), cpath()).prop_map(|(a, b)| format!("ln -s {a} {b}")),
        1 => (cpath(), 0..2000u32).prop_map(|(c, n)| format!("dd if=/dev/zero of={c}/z bs=1k count={n}")),
        1 => cpath().prop_map(|c| format!("df -h {c}")),
        1 => cpath().prop_map(|c| format!("stat {c}")),
        1 => cpath().prop_map(|c| format!("find {c}")),
        1 => cpath().prop_map(|c| format!("du -s {c}")),
        1 => cpath().prop_map(|c| format!("tar cf /tmp/t.tar {c}")),
        1 => cpath().prop_map(|c| format!("cd {c} && pwd")),
        1 => pick(&["id", "whoami", "hostname", "cat /proc/mounts", "env", "true", "false", "exit 3", "sleep 1", "nosuchcmd", "umask 077"]),
    ]
}

fn inner_script() -> BoxedStrategy<String> {
    (prop::collection::vec(inner_command(), 1..4), select(vec!["; ", " && ", " || "])).prop_map(|(cmds, sep)| cmds.join(sep)).boxed()
}

/// The command after the image in `docker run` / `docker exec`.
fn container_cmd() -> BoxedStrategy<String> {
    one_of![
        2 => Just(String::new()),
        3 => Just("sleep 3600".to_string()),
        4 => inner_script().prop_filter("no single quotes", |s| !s.contains('\'')).prop_map(|s| format!("sh -c '{s}'")),
        3 => inner_command().prop_filter("simple", |s| !s.contains('>') && !s.contains('&')),
        1 => pick(&["true", "false", "sh -c 'exit 3'", "nosuchcmd", "/bin/sh", "sh -c", "echo $HOME", "sh -c 'echo $HOSTNAME'"]),
    ]
}

fn docker_run(p: Profile) -> BoxedStrategy<String> {
    (
        pick(&["docker run", "docker run", "docker run", "docker create", "docker container run", "docker container create"]),
        prop::collection::vec(run_flag(p), 0..6),
        image(),
        container_cmd(),
    )
        .prop_map(|(verb, flags, img, cmd)| {
            let mut s = verb;
            for f in flags {
                s.push(' ');
                s.push_str(&f);
            }
            s.push(' ');
            s.push_str(&img);
            if !cmd.is_empty() {
                s.push(' ');
                s.push_str(&cmd);
            }
            s
        })
        .boxed()
}

fn names(p: Profile) -> BoxedStrategy<String> {
    prop::collection::vec(container_ref(p), 1..3).prop_map(|v| v.join(" ")).boxed()
}

fn template() -> BoxedStrategy<String> {
    pick(&[
        "'{{json .Mounts}}'",
        "'{{.State.Status}}'",
        "'{{range .Mounts}}{{.Type}} {{.Source}} -> {{.Destination}}{{println}}{{end}}'",
        "'{{.GraphDriver.Data.UpperDir}}'",
        "'{{.Mountpoint}}'",
        "'{{json .}}'",
        "'{{.Foo'",
        "'{{index .Config.Labels \"a\"}}'",
        "'{{.HostConfig.Binds}}'",
        "'{{.Name}} {{.Driver}}'",
        "'table {{.ID}}\\t{{.Names}}\\t{{.Mounts}}'",
        "'{{.Names}}'",
        "'{{len .Mounts}}'",
        "'{{.State.ExitCode}}'",
        "''",
        "'{{'",
    ])
}

fn docker_other(p: Profile) -> BoxedStrategy<String> {
    let mut choices: Vec<(u32, BoxedStrategy<String>)> = vec![
        (3, (pick(&["docker start", "docker start -a", "docker container start"]), names(p)).prop_map(|(v, n)| format!("{v} {n}")).boxed()),
        (
            3,
            (pick(&["docker stop -t 0", "docker stop", "docker kill", "docker restart -t 0", "docker stop -t x"]), names(p))
                .prop_map(|(v, n)| format!("{v} {n}"))
                .boxed(),
        ),
        (
            3,
            (pick(&["docker rm", "docker rm -f", "docker rm -v", "docker rm -fv", "docker container rm -f"]), names(p))
                .prop_map(|(v, n)| format!("{v} {n}"))
                .boxed(),
        ),
        (1, pick(&["docker rm -f $(docker ps -aq)", "docker container prune -f", "docker container prune", "docker rm"])),
        (
            5,
            (
                pick(&[
                    "docker exec",
                    "docker exec -u 1000",
                    "docker exec -w /tmp",
                    "docker exec -it",
                    "docker exec -e A=1",
                    "docker exec -d",
                ]),
                container_ref(p),
                container_cmd(),
            )
                .prop_map(|(v, n, c)| format!("{v} {n} {c}"))
                .boxed(),
        ),
        (
            3,
            (
                pick(&[
                    "docker volume create",
                    "docker volume create --name",
                    "docker volume create -l k=v",
                    "docker volume create --opt type=tmpfs --opt device=tmpfs",
                    "docker volume create -d bogus",
                    "docker volume create -o o=bind",
                ]),
                volume_name(p),
            )
                .prop_map(|(v, n)| format!("{v} {n}"))
                .boxed(),
        ),
        (
            2,
            (pick(&["docker volume inspect", "docker volume inspect -f '{{.Mountpoint}}'"]), volume_name(p))
                .prop_map(|(v, n)| format!("{v} {n}"))
                .boxed(),
        ),
        (
            2,
            pick(&[
                "docker volume ls",
                "docker volume ls -q",
                "docker volume ls -f dangling=true",
                "docker volume ls --format '{{.Name}}'",
                "docker volume",
                "docker volume bogus",
            ]),
        ),
        (
            2,
            (pick(&["docker inspect", "docker container inspect", "docker inspect -s", "docker inspect --type volume"]), names(p))
                .prop_map(|(v, n)| format!("{v} {n}"))
                .boxed(),
        ),
        (
            3,
            (
                pick(&["docker inspect -f", "docker inspect --format", "docker ps -a --format", "docker volume ls --format"]),
                template(),
                container_ref(p),
            )
                .prop_map(|(v, t, n)| format!("{v} {t} {n}"))
                .boxed(),
        ),
        (
            3,
            pick(&[
                "docker ps",
                "docker ps -a",
                "docker ps -q",
                "docker ps -aq",
                "docker ps -s",
                "docker ps -a --no-trunc",
                "docker ps -l",
                "docker ps -n 2",
                "docker ps -f status=exited",
                "docker ps -f volume=v1",
                "docker ps --filter name=c",
                "docker container ls -a",
            ]),
        ),
        (3, (Just("docker diff"), container_ref(p)).prop_map(|(v, n)| format!("{v} {n}")).boxed()),
        (
            2,
            (
                pick(&["docker commit", "docker commit -m msg", "docker commit -c 'CMD [\"sh\"]'", "docker commit -p"]),
                container_ref(p),
                pick(&["snap:1", "snap", "myimg:2", "Bad:Name", ""]),
            )
                .prop_map(|(v, n, t)| format!("{v} {n} {t}"))
                .boxed(),
        ),
        (1, (Just("docker logs"), container_ref(p)).prop_map(|(v, n)| format!("{v} {n}")).boxed()),
        (
            1,
            pick(&[
                "docker images",
                "docker image ls",
                "docker system df",
                "docker system df -v",
                "docker history busybox",
                "docker version",
                "docker",
                "docker bogus",
                "docker image inspect busybox",
            ]),
        ),
        (1, (Just("docker export"), container_ref(p)).prop_map(|(v, n)| format!("{v} {n} > out.tar")).boxed()),
        (1, pick(&["docker tag busybox mytag:1", "docker tag demo/app:1.0 snap:2", "docker tag nosuch x"])),
        (
            1,
            pick(&[
                "printf 'FROM busybox\\nRUN echo hi > /f\\nVOLUME /data\\n' > Dockerfile && docker build --network none -t built:1 .",
                "docker build -t built:1 .",
                "docker build --network none -q .",
            ]),
        ),
    ];
    if !p.protect {
        choices.push((
            2,
            (pick(&["docker volume rm", "docker volume rm -f", "docker volume remove"]), volume_name(p))
                .prop_map(|(v, n)| format!("{v} {n}"))
                .boxed(),
        ));
        choices.push((
            1,
            pick(&["docker volume prune -f", "docker volume prune", "docker volume prune -a -f", "docker volume prune --filter all=1 -f"]),
        ));
        choices.push((
            1,
            pick(&[
                "docker rmi snap:1",
                "docker rmi -f busybox",
                "docker image rm demo/app:2.0",
                "docker system prune -f",
                "docker system prune -af --volumes",
            ]),
        ));
    }
    prop::strategy::Union::new_weighted(choices).boxed()
}

fn host_command() -> BoxedStrategy<String> {
    one_of![
        2 => hpath().prop_map(|h| format!("mkdir -p {h}")),
        2 => (pick(&["hello", "X", "data"]), hpath()).prop_map(|(t, h)| format!("echo {t} > {h}")),
        2 => hpath().prop_map(|h| format!("ls -la {h}")),
        2 => hpath().prop_map(|h| format!("cat {h}")),
        1 => hpath().prop_map(|h| format!("rm -rf {h}")),
        1 => hpath().prop_map(|h| format!("cd {h}")),
        1 => hpath().prop_map(|h| format!("touch {h}")),
        1 => hpath().prop_map(|h| format!("stat {h}")),
        1 => (pick(&["755", "000", "u+w", "a=rwx"]), hpath()).prop_map(|(m, h)| format!("chmod {m} {h}")),
        // Never a directory into itself (known engine bugs, see `cp_directory_into_itself`,
        // `mv_directory_into_itself_keeps_it`).
        1 => (host_cp_source(), host_cp_target()).prop_map(|(a, b)| format!("cp -r {a} {b}")),
        1 => (host_cp_source(), host_cp_target()).prop_map(|(a, b)| format!("mv {a} {b}")),
        1 => (hpath(), hpath()).prop_map(|(a, b)| format!("ln -s {a} {b}")),
        1 => volume_name(FREE).prop_map(|v| format!("sudo ls -la /var/lib/docker/volumes/{v}/_data")),
        1 => volume_name(FREE).prop_map(|v| format!("sudo cat /var/lib/docker/volumes/{v}/_data/f")),
        1 => pick(&[
            "ls /var/lib/docker/volumes", "sudo ls /var/lib/docker/overlay2", "id", "pwd", "cd", "cd -",
            "tar -cf backup.tar src", "tar -xf backup.tar", "tar -tvf out.tar", "seq 1 5", "grep -r x .",
            "head -c 1000 /dev/zero > z", "getent passwd", "sort f.txt", "umask 077", "exit 7", "exit 300",
            "sudo mkdir -p /srv/data", "sudo chown 1000 /srv/data", "ls -l /proc", "cat /etc/passwd",
        ]),
    ]
}

/// A long-running container, so later commands have something to work on.
fn docker_run_service(p: Profile) -> BoxedStrategy<String> {
    (container_name(p), prop::collection::vec(quoted(vspec(p)), 0..3), image())
        .prop_map(|(name, specs, img)| {
            let mounts: String = specs.iter().map(|s| format!(" -v {s}")).collect();
            format!("docker run -d --name {name}{mounts} {img} sleep 3600")
        })
        .boxed()
}

fn simple(p: Profile) -> BoxedStrategy<String> {
    one_of![
        3 => docker_run_service(p),
        5 => docker_run(p),
        6 => docker_other(p),
        3 => host_command(),
    ]
}

/// Simple commands combined with shell constructs, sometimes mangled.
fn compound(p: Profile) -> BoxedStrategy<String> {
    let s = simple(p);
    let filter = pick(&["wc -l", "grep x", "grep -c data", "head -1", "sort", "cat", "tail -n 2", "sort -r", "grep -v a"]);
    one_of![
        16 => s.clone(),
        2 => (s.clone(), s.clone()).prop_map(|(a, b)| format!("{a} && {b}")),
        1 => (s.clone(), s.clone()).prop_map(|(a, b)| format!("{a} || {b}")),
        2 => (s.clone(), s.clone()).prop_map(|(a, b)| format!("{a}; {b}")),
        2 => (s.clone(), filter).prop_map(|(a, f)| format!("{a} | {f}")),
        1 => (s.clone(), pick(&["> out.txt", "2>&1", "2>/dev/null", ">> out.txt", "< f.txt", "> /dev/null 2>&1", "> /root/x", ">", "2>"])).prop_map(|(a, r)| format!("{a} {r}")),
        1 => s.clone().prop_map(|a| format!("echo \"$({a})\"")),
        1 => s.clone().prop_map(|a| format!("x=$({a}); echo ${{#x}}")),
        1 => (pick(&["1 2 3", "a b", "$(seq 1 4)", "c1 c2", ""]), s.clone()).prop_map(|(w, a)| format!("for i in {w}; do {a}; done")),
        1 => s.clone().prop_map(|a| format!("n=0; while [ $n -lt 3 ]; do {a}; n=$((n+1)); done")),
        1 => (s.clone(), s.clone(), s.clone()).prop_map(|(a, b, c)| format!("if {a}; then {b}; else {c}; fi")),
        1 => s.clone().prop_map(|a| format!("( {a} )")),
        1 => s.clone().prop_map(|a| format!("{{ {a}; }}")),
        1 => s.clone().prop_map(|a| format!("! {a}")),
        1 => s.clone().prop_map(|a| format!("X=1 {a}")),
        // Mangled input: cut short (unbalanced quotes, dangling operators) or a stray character.
        2 => (s.clone(), any::<prop::sample::Index>()).prop_map(|(a, at)| {
            let chars: Vec<char> = a.chars().collect();
            chars[..at.index(chars.len() + 1)].iter().collect()
        }),
        2 => (s, any::<prop::sample::Index>(), select(vec!['\'', '"', '`', '$', '(', ')', '|', '&', ';', '<', '>', '\\', '{', '}', '#', '*', '\n', '\0', ' ']))
            .prop_map(|(a, at, c)| {
                let mut chars: Vec<char> = a.chars().collect();
                let i = at.index(chars.len() + 1);
                chars.insert(i, c);
                chars.into_iter().collect()
            }),
    ]
}

/// Bytes and characters no grammar produces.
fn garbage() -> BoxedStrategy<String> {
    one_of![
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => "\\PC{0,80}",
        1 => "[|&;<>()$`\\\\\"' \t*?\\[\\]#~=%{}!:/.a-z0-9-]{0,60}",
        1 => any::<String>(),
    ]
}

/// Lines with one huge argument (up to ~1 MB).
fn huge(p: Profile) -> BoxedStrategy<String> {
    let size = one_of![1 => select(vec![1usize, 255, 256, 4096, 65_536, 1 << 20]), 1 => 1usize..(1 << 20)];
    let fill = select(vec!['a', 'x', '/', ' ', '$', ':', 'é']);
    let safe_vol = p.protect;
    (size, fill, 0..10u8)
        .prop_map(move |(n, c, form)| {
            let big: String = std::iter::repeat_n(c, n).collect();
            match form {
                0 => format!("echo '{big}' | wc -c"),
                1 => format!("docker run --name '{big}' busybox true"),
                2 if !safe_vol => format!("docker volume create '{big}'"),
                2 => format!("docker volume create 'z{big}'"),
                3 => format!("docker run --rm -v '{big}:/x' busybox true"),
                4 => format!("mkdir -p '{big}'"),
                5 => format!("docker run --rm busybox echo '{big}'"),
                6 => format!("echo '{big}' > big.txt && ls -l big.txt"),
                7 => format!("docker run --rm -e 'A={big}' busybox sh -c 'echo ${{#A}}'"),
                8 => format!("docker inspect -f '{{{{.Name}}}}{big}' c1"),
                _ => big,
            }
        })
        .boxed()
}

fn line(p: Profile) -> BoxedStrategy<String> {
    one_of![
        40 => compound(p),
        3 => garbage(),
        1 => huge(p),
    ]
}

fn session(p: Profile) -> BoxedStrategy<Vec<String>> {
    prop::collection::vec(line(p), 1..=30).boxed()
}

// ------------------------------------------------------------------------------ helpers

/// Per layer (in store order): its diff id and a digest of its whole tree.
fn layer_digest(engine: &Engine) -> Vec<(String, u64)> {
    engine.query().layers().into_iter().map(|l| (l.diff_id, l.digest)).collect()
}

#[test]
fn layer_digest_sees_a_change() {
    let mut engine = Engine::new();
    let before = layer_digest(&engine);
    let cache = engine.query().layers()[0].cache_id.clone();
    let o = engine.run(&format!("sudo sh -c 'echo x >> /var/lib/docker/overlay2/{cache}/diff/etc/passwd'"));
    assert_eq!(o.exit_code, 0, "{o:?}");
    assert_ne!(before, layer_digest(&engine), "writing into a layer's directory as root changes the layer");
}

/// Longest a single line may take (debug build, busy machine): "promptly", generously.
const PROMPT: Duration = Duration::from_secs(30);

/// Runs one line and checks what holds for every line.
fn run_checked(engine: &mut Engine, line: &str) -> Result<Outcome, TestCaseError> {
    if std::env::var_os(CHILD).is_some() {
        // If the line aborts the process, the parent shows it.
        eprintln!("{TRACE}{:?}", short(line));
    }
    let start = Instant::now();
    let o = engine.run(line);
    let took = start.elapsed();
    for e in &o.events {
        let _ = e.narrate();
    }
    prop_assert!((0..=255).contains(&o.exit_code), "exit status {} out of range for line {:?}", o.exit_code, short(line));
    prop_assert!(took < PROMPT, "line took {took:?}: {:?}", short(line));
    Ok(o)
}

/// The read-only API the front ends use must not panic on any reachable state either.
fn exercise_views(engine: &Engine, last_line: &str) {
    let _ = engine.view();
    let _ = engine.prompt();
    let _ = engine.complete(last_line, last_line.len());
    let _ = engine.complete("docker exec ", 12);
    let _ = engine.complete("ls /", 4);
    for path in ["/", "/home/student", "/var/lib/docker/volumes", "/nonexistent"] {
        let _ = engine.list_dir(&ExplorerTarget::Host, path);
    }
    for c in engine.query().containers() {
        for path in ["/", "/data", "/d", "/tmp", "/proc"] {
            let _ = engine.list_dir(&ExplorerTarget::Container(c.name.clone()), path);
        }
    }
}

/// A line for failure messages (huge lines are cut).
fn short(line: &str) -> String {
    if line.len() <= 300 {
        line.to_string()
    } else {
        let cut = (0..=300).rev().find(|i| line.is_char_boundary(*i)).unwrap_or(0);
        format!("{}… ({} bytes)", &line[..cut], line.len())
    }
}

/// `PROPTEST_CASES` overrides the case counts (for a longer soak).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, max_shrink_iters: 2048, failure_persistence: None, ..ProptestConfig::default() }
}

// ------------------------------------------------------------------------------ properties

/// Runs a property over `cases` generated values; panics with proptest's minimal failing input.
fn check<S>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S: Strategy,
{
    let mut runner = TestRunner::new(config(cases));
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

/// (a) no panic, (b) exit status in 0..=255, (c) layers unchanged.
#[test]
fn sessions_keep_layers_and_exit_codes() {
    in_child("sessions_keep_layers_and_exit_codes", || {
        check(128, session(FREE), |lines| {
            let mut engine = Engine::new();
            let before = layer_digest(&engine);
            for l in &lines {
                run_checked(&mut engine, l)?;
            }
            exercise_views(&engine, lines.last().map(String::as_str).unwrap_or(""));
            let after = layer_digest(&engine);
            prop_assert!(after.len() >= before.len(), "layers disappeared: {} -> {}", before.len(), after.len());
            for (i, (b, a)) in before.iter().zip(&after).enumerate() {
                prop_assert_eq!(b, a, "layer {} changed", i);
            }
            Ok(())
        });
    });
}

/// (d) the same session on two fresh engines gives identical outcomes (events included).
#[test]
fn sessions_are_deterministic() {
    in_child("sessions_are_deterministic", || {
        check(64, session(FREE), |lines| {
            let mut one = Engine::new();
            let mut two = Engine::new();
            for l in &lines {
                let a = run_checked(&mut one, l)?;
                let b = two.run(l);
                prop_assert_eq!(&a, &b, "outcomes differ for line {:?}", short(l));
                prop_assert_eq!(one.cwd(), two.cwd());
            }
            prop_assert_eq!(layer_digest(&one), layer_digest(&two));
            Ok(())
        });
    });
}

/// (e) a named volume keeps its content when the container that wrote it is removed.
#[test]
fn volume_content_survives_container_removal() {
    in_child("volume_content_survives_container_removal", || {
        check(64, prop::collection::vec(line(PROTECTED), 0..=20), |lines| {
            let mut engine = Engine::new();
            let o = engine.run("docker run --name p1 -v pvol:/d demo/app:1.0 sh -c 'echo X > /d/f'");
            prop_assert_eq!(o.exit_code, 0, "setup failed: {:?}", o);
            for l in &lines {
                run_checked(&mut engine, l)?;
            }
            engine.run("cd");
            engine.run("docker rm -f p1");
            prop_assert!(engine.query().volume("pvol").is_some(), "pvol was removed");
            let o = engine.run("docker run --rm -v pvol:/d busybox cat /d/f");
            prop_assert_eq!(&o.stdout, "X\n", "volume content lost: {:?}", o);
            prop_assert_eq!(o.exit_code, 0);
            Ok(())
        });
    });
}

/// Single lines of garbage and mangled input on a fresh engine.
#[test]
fn garbage_lines_are_handled() {
    in_child("garbage_lines_are_handled", || {
        check(256, one_of![1 => garbage(), 1 => compound(FREE)], |l| {
            let mut engine = Engine::new();
            run_checked(&mut engine, &l)?;
            // The engine is still usable afterwards.
            let o = engine.run("docker ps -a --format '{{.Names}}' | wc -l");
            prop_assert!((0..=255).contains(&o.exit_code));
            Ok(())
        });
    });
}

// ------------------------------------------------------------------------------ adversarial lines

/// Runs `line` on a fresh engine and checks it came back promptly with an exit status in range.
fn adversarial(line: &str) -> Outcome {
    let mut engine = Engine::new();
    adversarial_on(&mut engine, line)
}

fn adversarial_on(engine: &mut Engine, line: &str) -> Outcome {
    let start = Instant::now();
    let o = engine.run(line);
    let took = start.elapsed();
    assert!(took < PROMPT, "{:?} took {took:?}", short(line));
    assert!((0..=255).contains(&o.exit_code), "{:?}: exit {}", short(line), o.exit_code);
    o
}

const STEP_LIMIT: &str = "this line ran too many commands and was stopped";

#[test]
fn endless_loop_returns() {
    for line in [
        "while true; do :; done",
        "until false; do :; done",
        "while :; do echo x; done > /dev/null",
        "for i in $(seq 1 1000000); do :; done",
    ] {
        adversarial(line);
    }
}

#[test]
fn endless_loop_reports_the_step_limit() {
    let o = adversarial("while true; do :; done");
    assert!(o.stderr.contains(STEP_LIMIT), "no step-limit message: {o:?}");
}

#[test]
fn endless_loop_in_container_reports_the_step_limit() {
    let o = adversarial("docker run --rm busybox sh -c 'while true; do :; done'");
    assert!(o.stderr.contains(STEP_LIMIT), "no step-limit message: {o:?}");
}

const HUGE_DD: &str = "docker run -d --name big busybox sh -c 'dd if=/dev/zero of=/x bs=1M count=100000; sleep 3600'";

#[test]
fn huge_dd_in_container_returns() {
    let mut engine = Engine::new();
    let o = adversarial_on(&mut engine, "docker run --name dd1 busybox dd if=/dev/zero of=/x bs=1M count=100000");
    assert!(!o.stderr.is_empty() || !o.stdout.is_empty(), "dd said nothing: {o:?}");
    adversarial_on(&mut engine, HUGE_DD);
    for line in [
        "docker diff big",
        "docker ps -as",
        "docker system df",
        "docker logs dd1",
        "docker exec big ls -l /x",
        "docker exec big sh -c 'cat /x | wc -c'",
        "docker exec big cp /x /y",
        "docker exec big sh -c 'tail -c 5 /x | wc -c'",
        "docker export big > out.tar",
        "docker rm -f big dd1",
    ] {
        adversarial_on(&mut engine, line);
    }
}

// Opaque content (zeros from `dd`) is materialized in memory by some readers: 100 GB written
// by `dd` in a container make the allocation fail, which aborts the process.

#[test]
fn commit_after_huge_dd() {
    in_child("commit_after_huge_dd", || {
        let mut engine = Engine::new();
        adversarial_on(&mut engine, HUGE_DD);
        adversarial_on(&mut engine, "docker commit big huge:1");
    });
}

#[test]
fn export_pipe_after_huge_dd() {
    in_child("export_pipe_after_huge_dd", || {
        let mut engine = Engine::new();
        adversarial_on(&mut engine, HUGE_DD);
        adversarial_on(&mut engine, "docker export big | wc -c");
    });
}

#[test]
fn tar_after_huge_dd() {
    in_child("tar_after_huge_dd", || {
        let mut engine = Engine::new();
        adversarial_on(&mut engine, HUGE_DD);
        adversarial_on(&mut engine, "docker exec big tar cf /t.tar /x");
    });
}

#[test]
fn huge_file_on_host_returns() {
    let mut engine = Engine::new();
    let o = adversarial_on(&mut engine, "head -c 100000000 /dev/zero > f");
    assert!(o.exit_code != 0 || engine.run("ls -l f").exit_code == 0, "{o:?}");
    adversarial_on(&mut engine, "ls -l f; wc -c f; cat f | wc -c");
    adversarial_on(&mut engine, "yes | head -c 100000000 > g; ls -l g");
}

#[test]
fn megabyte_argument_to_echo() {
    let big = "a".repeat(1 << 20);
    let o = adversarial(&format!("echo {big} | wc -c"));
    assert_eq!(o.stdout.trim(), ((1 << 20) + 1).to_string(), "{}", short(&o.stderr));
    let o = adversarial(&format!("echo {big}"));
    assert_eq!(o.stdout.len(), (1 << 20) + 1);
    let o = adversarial(&format!("docker run --rm busybox echo {big}"));
    assert!(o.exit_code != 0 || o.stdout.len() == (1 << 20) + 1, "{}", short(&o.stderr));
}

const CHILD: &str = "STOWAGE_PROPERTIES_CHILD";
const TRACE: &str = "stowage-properties line: ";

/// How long a child test process may run: two minutes, or `STOWAGE_PROPERTIES_TIMEOUT` seconds.
fn child_timeout() -> Duration {
    Duration::from_secs(std::env::var("STOWAGE_PROPERTIES_TIMEOUT").ok().and_then(|v| v.parse().ok()).unwrap_or(120))
}

/// Runs `body` in a child process (this test binary, filtered to `name`) so a stack overflow or
/// a failed allocation, which abort the process, fail only this test. In the child it runs on
/// a thread with the default 2 MiB stack; the child is killed after [`child_timeout`].
fn in_child(name: &str, body: fn()) {
    if std::env::var(CHILD).as_deref() == Ok(name) {
        std::thread::Builder::new().stack_size(2 << 20).spawn(body).expect("thread").join().expect("no panic");
        return;
    }
    let mut child = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([name, "--exact", "--include-ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD, name)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("child test process");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break Some(status);
        }
        if start.elapsed() > child_timeout() {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = reader.join().unwrap_or_default();
    let last_line = text.lines().rev().find_map(|l| l.strip_prefix(TRACE)).map(|l| format!("\nlast line run: {l}")).unwrap_or_default();
    let tail = text.lines().filter(|l| !l.starts_with(TRACE) && !l.trim_start().starts_with("at ")).take(12).collect::<Vec<_>>().join("\n");
    match status {
        Some(s) => assert!(s.success(), "{name} failed ({s}):\n{tail}{last_line}"),
        None => panic!("{name} did not finish within {:?}:\n{tail}{last_line}", child_timeout()),
    }
}

fn nested_subst(depth: usize) -> String {
    format!("echo {}hi{}", "$(echo ".repeat(depth), ")".repeat(depth))
}

#[test]
fn deeply_nested_command_substitution() {
    in_child("deeply_nested_command_substitution", || {
        let o = adversarial(&nested_subst(5));
        assert_eq!(o.stdout, "hi\n");
        for depth in [30, 100, 1000, 10_000] {
            let o = adversarial(&nested_subst(depth));
            assert!(o.stdout == "hi\n" || !o.stderr.is_empty(), "depth {depth}: {o:?}");
        }
        let quoted = format!("echo {}hi{}", "\"$(echo ".repeat(1000), ")\"".repeat(1000));
        adversarial(&quoted);
        let backticks = format!("echo {}hi{}", "`echo ".repeat(2), "`".repeat(2));
        adversarial(&backticks);
    });
}

/// `sh -c 'sh -c "sh -c ..."'` with the quoting a learner would write (it grows 3x a level).
fn nested_sh_literal(depth: usize) -> String {
    let mut script = "echo bottom".to_string();
    for _ in 0..depth {
        script = format!("sh -c '{}'", script.replace('\'', "'\\''"));
    }
    script
}

#[test]
fn deeply_nested_sh_c() {
    in_child("deeply_nested_sh_c", || {
        let o = adversarial(&nested_sh_literal(3));
        assert_eq!(o.stdout, "bottom\n", "{o:?}");
        let o = adversarial(&nested_sh_literal(10));
        assert!(o.stdout == "bottom\n" || !o.stderr.is_empty(), "{o:?}");
        // 100 levels with a script that passes itself down ($1) and counts ($2).
        let rec = r#"n=$2; if [ "$n" -lt 100 ]; then sh -c "$1" x "$1" $((n+1)); else echo bottom $n; fi"#;
        let line = format!("sh -c '{rec}' x '{rec}' 1");
        let o = adversarial(&line);
        assert!(o.stdout == "bottom 100\n" || !o.stderr.is_empty(), "{o:?}");
        let o = adversarial(&format!("docker run --rm busybox {line}"));
        assert!(o.stdout == "bottom 100\n" || !o.stderr.is_empty(), "{o:?}");
        // Without a counter: endless recursion.
        let endless = r#"sh -c "$1" x "$1""#;
        adversarial(&format!("sh -c '{endless}' x '{endless}'"));
        adversarial(&format!("docker run --rm busybox sh -c '{endless}' x '{endless}'"));
    });
}

#[test]
fn mv_directory_into_itself_keeps_it() {
    let mut engine = Engine::new();
    adversarial_on(&mut engine, "mkdir -p d && echo x > d/f");
    let o = adversarial_on(&mut engine, "mv d d/sub");
    assert_eq!(adversarial_on(&mut engine, "cat d/f").stdout, "x\n", "d is gone after {o:?}");
    assert_eq!(o.stderr, "mv: cannot move 'd' to a subdirectory of itself, 'd/sub'\n");
    assert_eq!(o.exit_code, 1);
}

#[test]
fn mv_directory_onto_itself_keeps_it() {
    let mut engine = Engine::new();
    adversarial_on(&mut engine, "mkdir src");
    let o = adversarial_on(&mut engine, "mv src src");
    assert_eq!(adversarial_on(&mut engine, "ls").stdout, "src\n", "src is gone after {o:?}");
    assert_eq!(o.exit_code, 1, "{o:?}");
}

#[test]
fn mv_directory_onto_itself_in_container() {
    let o = adversarial("docker run --rm busybox sh -c 'mkdir /a; mv /a /a; ls -d /a'");
    assert_eq!(o.stdout, "/a\n", "{o:?}");
}

#[test]
fn mv_image_directory_into_itself_in_container() {
    in_child("mv_image_directory_into_itself_in_container", || {
        let o = adversarial("docker run --rm busybox mv /etc /etc/x");
        assert_eq!(o.exit_code, 1, "{o:?}");
    });
}

#[test]
fn cp_directory_into_itself() {
    in_child("cp_directory_into_itself", || {
        let mut engine = Engine::new();
        let o = adversarial_on(&mut engine, "mkdir d; cp -r d d/sub");
        assert!(o.stderr.contains("into itself"), "{o:?}");
        let o = adversarial_on(&mut engine, "cp -r /tmp /tmp");
        assert!(o.exit_code == 1, "{o:?}");
    });
}

#[test]
fn cp_directory_into_itself_in_container() {
    in_child("cp_directory_into_itself_in_container", || {
        let o = adversarial("docker run --rm busybox sh -c 'mkdir /a; cp -a /a /a/b'");
        assert_eq!(o.exit_code, 1, "{o:?}");
    });
}

#[test]
fn sh_c_sets_dollar_zero() {
    assert_eq!(adversarial("sh -c 'echo $0 $1' a b").stdout, "a b\n");
    assert_eq!(adversarial("docker run --rm busybox sh -c 'echo $0 $1' a b").stdout, "a b\n");
}

#[test]
fn docker_run_inside_docker_exec_nesting() {
    in_child("docker_run_inside_docker_exec_nesting", || {
        let mut engine = Engine::new();
        adversarial_on(&mut engine, "docker run -d --name c1 busybox sleep 3600");
        let mut line = "docker exec c1 echo deep".to_string();
        for _ in 0..40 {
            line = format!("echo $({line})");
        }
        adversarial_on(&mut engine, &line);
        // The host line calls docker from a shell loop many times.
        adversarial_on(&mut engine, "for i in $(seq 1 200); do docker exec c1 touch /tmp/f$i; done; docker diff c1 | wc -l");
    });
}

fn nested(open: &str, inner: &str, close: &str, depth: usize) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn moderately_nested_constructs() {
    in_child("moderately_nested_constructs", || {
        for depth in [10, 50] {
            adversarial(&nested("(", "echo hi", ")", depth));
            adversarial(&nested("{ ", "echo hi; ", "}; ", depth));
            adversarial(&nested("if true; then ", "echo hi; ", "fi; ", depth));
            adversarial(&nested("for i in 1; do ", "echo hi; ", "done; ", depth));
            adversarial(&format!("echo $(({}))", nested("(", "1", ")", depth)));
            adversarial(&format!("docker run --rm busybox sh -c '{}'", nested("(", "echo hi", ")", depth)));
        }
    });
}

// Deep nesting of subshells, groups, compound commands and arithmetic overflows the stack of a
// 2 MiB thread (the default for spawned threads, and more than wasm gets): the process aborts.
// Depths found by bisection in a debug build; each test runs in a child process.

#[test]
fn deeply_nested_subshells() {
    in_child("deeply_nested_subshells", || {
        adversarial(&nested("(", "echo hi", ")", 1000));
    });
}

#[test]
fn deeply_nested_groups() {
    in_child("deeply_nested_groups", || {
        adversarial(&nested("{ ", "echo hi; ", "}; ", 1000));
    });
}

#[test]
fn deeply_nested_ifs() {
    in_child("deeply_nested_ifs", || {
        adversarial(&nested("if true; then ", "echo hi; ", "fi; ", 1000));
    });
}

#[test]
fn deeply_nested_fors() {
    in_child("deeply_nested_fors", || {
        adversarial(&nested("for i in 1; do ", "echo hi; ", "done; ", 1000));
    });
}

#[test]
fn deeply_nested_arithmetic() {
    in_child("deeply_nested_arithmetic", || {
        adversarial(&format!("echo $(({}))", nested("(", "1", ")", 5000)));
    });
}

#[test]
fn deeply_nested_subshells_in_container() {
    in_child("deeply_nested_subshells_in_container", || {
        adversarial(&format!("docker run --rm busybox sh -c '{}'", nested("(", "echo hi", ")", 1000)));
    });
}
