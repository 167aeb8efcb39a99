//! Unit tests of the vfs on its own: one behaviour per test, checked on the inodes (upper dir,
//! image layers, mounts) and on the events pushed into `world.events()`.
//!
//! The worlds come from the canonical machine; the container is made by `docker create`
//! (created, not started: no mounts, so the overlay is all there is). Mounts a test needs are
//! pushed onto the container directly, as `docker start` would build them.

use super::*;
use crate::world::Mount;

/// The canonical world with one created container `box` of `demo/app:1.0`, events cleared.
/// The image's layers, bottom first: L1 busybox, L2 /etc/app, L3 /data and /var/lib/app,
/// L4 /srv/web, L5 empty.
fn world_with(flags: &str) -> World {
    let mut engine = crate::Engine::new();
    let out = engine.run(&format!("docker create --name box {flags} demo/app:1.0 sleep 3600"));
    assert_eq!(out.exit_code, 0, "docker create failed: {}", out.stderr);
    let mut world = engine.world().clone();
    world.start_line();
    world
}

/// The namespace of the test's one container, `box`, as `cred`.
fn container(world: &World, cred: Cred) -> Ctx {
    let id = world.find_container("box").expect("the container box");
    Ctx { ns: Ns::Container(id), cred, cwd: "/".into(), umask: 0o022 }
}

fn host() -> Ctx {
    Ctx { ns: Ns::Host, cred: Cred::student(), cwd: "/home/student".into(), umask: 0o022 }
}

fn user(uid: u32) -> Cred {
    Cred::new(uid, uid, vec![uid])
}

fn bytes(s: &str) -> Data {
    Data::from_bytes(s.as_bytes())
}

/// The inode at `path` below `dir` in one layer (no merging, no symlinks).
fn at(world: &World, dir: InodeId, path: &str) -> Option<InodeId> {
    components(path).try_fold(dir, |d, name| world.fs().lookup(d, name))
}

/// The root of image layer `n` (1 = bottom) of the container.
fn layer(world: &World, n: usize) -> InodeId {
    let img = world.images().iter().find(|im| im.id == world.containers()[0].image_id).expect("image");
    world.layers()[img.layers[n - 1]].root
}

fn upper(world: &World) -> InodeId {
    world.containers()[0].upper
}

fn upper_is_empty(world: &World) -> bool {
    world.fs().get(upper(world)).entries().is_some_and(|e| e.is_empty())
}

fn names(world: &World, ctx: &Ctx, path: &str) -> Vec<String> {
    let dir = world.resolve(ctx, path, true).expect("dir resolves");
    world.list(ctx, &dir).expect("dir lists").into_iter().map(|(n, _)| n).collect()
}

fn copy_ups(world: &World) -> Vec<&Event> {
    world.events().iter().filter(|e| matches!(e, Event::CopyUp { .. })).collect()
}

fn writable() -> Place {
    Place::WritableLayer { container: "box".into() }
}

#[test]
fn merged_view_unions_init_and_image_layers() {
    let world = world_with("");
    let ctx = container(&world, Cred::root());
    // /etc gets `app` from L2, `passwd` from L1 and `hosts` from the init layer.
    let etc = names(&world, &ctx, "/etc");
    for name in ["app", "group", "hostname", "hosts", "mtab", "passwd", "resolv.conf"] {
        assert!(etc.contains(&name.to_string()), "{name} missing from {etc:?}");
    }
    let loc = world.resolve(&ctx, "/etc", true).expect("/etc");
    let Node::Merged(stack) = &loc.node else { panic!("/etc is not merged: {loc:?}") };
    // Init layer (position 1) first, then L3, L2, L1; nothing in the upper dir yet.
    assert_eq!(stack.iter().map(|(p, _)| *p).collect::<Vec<_>>(), vec![1, 4, 5, 6]);
    assert_eq!(world.stat(&ctx, "/etc/app/app.conf", true).expect("stat").fs, FsType::Overlay);
    assert_eq!(world.read(&ctx, "/etc/app/app.conf"), Ok(bytes("color=blue\n")));
    // The host namespace sees the host's tree, not the container's.
    assert_eq!(world.resolve(&host(), "/etc/app", true), Err(Errno::NoEnt));
    assert!(world.events().is_empty(), "reads push no events: {:?}", world.events());
}

#[test]
fn first_write_copies_whole_file_up_once() {
    let mut world = world_with("");
    let ctx = container(&world, user(1000));
    let lower = at(&world, layer(&world, 3), "data/seed.txt").expect("seed.txt in L3");
    let lower_before = world.fs().get(lower).clone();

    let written = world.write_file(&ctx, "/data/seed.txt", &bytes("mine\n"), WriteMode::Truncate);
    assert_eq!(written, Ok(5));
    let up = at(&world, upper(&world), "data/seed.txt").expect("copied up");
    assert_ne!(up, lower);
    let inode = world.fs().get(up);
    assert_eq!((inode.uid, inode.gid, inode.mode), (1000, 1000, 0o644), "copy-up keeps owner and mode");
    assert_eq!(inode.kind, Kind::File(bytes("mine\n")));
    assert_eq!(world.fs().get(lower), &lower_before, "the image layer never changes");
    // The whole file (16 B) was copied from L3, then 5 B were written in the writable layer.
    assert_eq!(
        world.events(),
        vec![
            Event::CopyUp { container: "box".into(), path: "/data/seed.txt".into(), layer: 3, bytes: 16 },
            Event::FileWritten { place: writable(), path: "/data/seed.txt".into(), bytes: 5 },
        ]
    );

    world.start_line();
    assert_eq!(world.write_file(&ctx, "/data/seed.txt", &bytes("more\n"), WriteMode::Append), Ok(5));
    assert!(copy_ups(&world).is_empty(), "second write copied again: {:?}", world.events());
    assert_eq!(at(&world, upper(&world), "data/seed.txt"), Some(up), "same upper inode");
    assert_eq!(world.read(&ctx, "/data/seed.txt"), Ok(bytes("mine\nmore\n")));
}

#[test]
fn chmod_copies_up_lower_file_with_its_content() {
    let mut world = world_with("");
    let ctx = container(&world, Cred::root());
    let lower = at(&world, layer(&world, 4), "srv/web/index.html").expect("index.html in L4");
    world.set_meta(&ctx, "/srv/web/index.html", true, &mut |i| i.mode = 0o600).expect("chmod");
    let up = at(&world, upper(&world), "srv/web/index.html").expect("copied up");
    assert_eq!(world.fs().get(up).mode, 0o600);
    assert_eq!(world.fs().get(up).kind, Kind::File(bytes("<h1>demo app v1</h1>\n")), "metadata change copies the data too");
    assert_eq!(world.fs().get(lower).mode, 0o644);
    assert_eq!(copy_ups(&world), vec![&Event::CopyUp { container: "box".into(), path: "/srv/web/index.html".into(), layer: 4, bytes: 21 }]);
}

#[test]
fn deleting_image_file_leaves_whiteout_upper_file_just_goes() {
    let mut world = world_with("");
    let ctx = container(&world, Cred::root());
    assert_eq!(world.remove(&ctx, "/etc/app/obsolete.txt", false), Ok(()));
    let wh = at(&world, upper(&world), "etc/app/obsolete.txt").expect("whiteout in upper");
    assert_eq!(world.fs().get(wh).kind, Kind::Whiteout);
    assert_eq!(world.resolve(&ctx, "/etc/app/obsolete.txt", true), Err(Errno::NoEnt));
    assert_eq!(names(&world, &ctx, "/etc/app"), vec!["app.conf"]);
    let lower = at(&world, layer(&world, 2), "etc/app/obsolete.txt").expect("still in L2");
    assert_eq!(world.fs().get(lower).kind, Kind::File(bytes("remove me\n")));
    assert_eq!(world.events(), vec![Event::Whiteout { container: "box".into(), path: "/etc/app/obsolete.txt".into() }]);

    // A file only in the upper dir has nothing below to hide: the entry simply goes.
    world.write_file(&ctx, "/etc/app/new.txt", &bytes("x"), WriteMode::Truncate).expect("create");
    world.start_line();
    assert_eq!(world.remove(&ctx, "/etc/app/new.txt", false), Ok(()));
    assert_eq!(at(&world, upper(&world), "etc/app/new.txt"), None);
    assert_eq!(world.events(), vec![Event::FileRemoved { place: writable(), path: "/etc/app/new.txt".into() }]);
}

#[test]
fn deleting_copied_up_file_keeps_image_file_hidden() {
    let mut world = world_with("");
    let ctx = container(&world, Cred::root());
    world.write_file(&ctx, "/etc/app/app.conf", &bytes("color=red\n"), WriteMode::Truncate).expect("write");
    world.start_line();
    assert_eq!(world.remove(&ctx, "/etc/app/app.conf", false), Ok(()));
    // overlayfs: the lower file still exists, so the upper entry becomes a whiteout.
    assert_eq!(world.read(&ctx, "/etc/app/app.conf"), Err(Errno::NoEnt));
    let wh = at(&world, upper(&world), "etc/app/app.conf").expect("whiteout in upper");
    assert_eq!(world.fs().get(wh).kind, Kind::Whiteout);
    assert_eq!(world.events(), vec![Event::Whiteout { container: "box".into(), path: "/etc/app/app.conf".into() }]);
    // The same through rename: the old name must stay hidden.
    world.write_file(&ctx, "/srv/web/index.html", &bytes("x"), WriteMode::Truncate).expect("write");
    world.rename(&ctx, "/srv/web/index.html", "/srv/web/b.html").expect("mv");
    assert_eq!(world.read(&ctx, "/srv/web/index.html"), Err(Errno::NoEnt));
}

#[test]
fn recreated_image_dir_is_opaque() {
    let mut world = world_with("");
    let ctx = container(&world, Cred::root());
    world.remove(&ctx, "/var/lib/app/default.conf", false).expect("rm file");
    world.remove(&ctx, "/var/lib/app", true).expect("rmdir");
    let wh = at(&world, upper(&world), "var/lib/app").expect("whiteout for the dir");
    assert_eq!(world.fs().get(wh).kind, Kind::Whiteout);
    world.start_line();

    assert_eq!(world.mkdir(&ctx, "/var/lib/app", 0o777), Ok(()));
    let dir = at(&world, upper(&world), "var/lib/app").expect("new upper dir");
    assert!(matches!(&world.fs().get(dir).kind, Kind::Dir { opaque: true, entries } if entries.is_empty()), "not opaque");
    assert_eq!(world.fs().get(dir).mode, 0o755, "umask applies");
    assert_eq!(world.events(), vec![Event::OpaqueDir { container: "box".into(), path: "/var/lib/app".into() }]);
    // The image's old entry no longer shows through, though L3 keeps it.
    assert!(names(&world, &ctx, "/var/lib/app").is_empty());
    assert_eq!(world.resolve(&ctx, "/var/lib/app/default.conf", true), Err(Errno::NoEnt));
    assert!(at(&world, layer(&world, 3), "var/lib/app/default.conf").is_some());
    world.write_file(&ctx, "/var/lib/app/fresh.conf", &bytes("y"), WriteMode::Truncate).expect("write");
    assert_eq!(names(&world, &ctx, "/var/lib/app"), vec!["fresh.conf"]);
}

#[test]
fn rename_copies_up_files_and_refuses_image_dirs() {
    let mut world = world_with("");
    let ctx = container(&world, Cred::root());
    // overlayfs without redirect_dir cannot move a lower directory: EXDEV, and nothing changes.
    assert_eq!(world.rename(&ctx, "/etc/app", "/etc/app2"), Err(Errno::CrossDevice));
    assert!(upper_is_empty(&world));
    // A lower file is copied up under its new name; a whiteout hides the old one.
    assert_eq!(world.rename(&ctx, "/srv/web/index.html", "/srv/web/old.html"), Ok(()));
    assert_eq!(world.read(&ctx, "/srv/web/old.html"), Ok(bytes("<h1>demo app v1</h1>\n")));
    assert_eq!(world.resolve(&ctx, "/srv/web/index.html", true), Err(Errno::NoEnt));
    let old = at(&world, upper(&world), "srv/web/index.html").expect("whiteout");
    assert_eq!(world.fs().get(old).kind, Kind::Whiteout);
    assert_eq!(copy_ups(&world).len(), 1);
}

#[test]
fn read_only_rootfs_refuses_writes() {
    let mut world = world_with("--read-only");
    let ctx = container(&world, Cred::root());
    assert_eq!(world.write_file(&ctx, "/etc/app/app.conf", &bytes("x"), WriteMode::Truncate), Err(Errno::ReadOnly));
    assert_eq!(
        world.events(),
        vec![Event::WriteDenied { place: writable(), path: "/etc/app/app.conf".into(), cause: DenyCause::ReadOnly { mount: "/".into() } }]
    );
    // Creating, deleting and chmod are refused too; nothing reaches the upper dir.
    assert_eq!(world.mkdir(&ctx, "/newdir", 0o755), Err(Errno::ReadOnly));
    assert_eq!(world.remove(&ctx, "/etc/app/obsolete.txt", false), Err(Errno::ReadOnly));
    assert_eq!(world.set_meta(&ctx, "/etc/app/app.conf", true, &mut |i| i.mode = 0o600), Err(Errno::ReadOnly));
    assert!(upper_is_empty(&world));
    assert!(copy_ups(&world).is_empty());
    assert_eq!(world.read(&ctx, "/etc/app/app.conf"), Ok(bytes("color=blue\n")), "reads still work");
}

#[test]
fn read_only_bind_mount_refuses_writes() {
    let mut world = world_with("");
    world.write_file(&host(), "/home/student/index.html", &bytes("host page\n"), WriteMode::Truncate).expect("host write");
    let root = world.resolve(&host(), "/home/student", true).expect("home").top();
    world.containers_mut().next().expect("a container").mounts.push(Mount {
        target: "/srv/web".into(),
        root,
        kind: MountKind::Bind { source: "/home/student".into() },
        read_only: true,
        limit: None,
        proc_opts: "ro,relatime".into(),
    });
    world.start_line();
    let ctx = container(&world, Cred::root());
    // The mount hides the image's /srv/web.
    assert_eq!(world.read(&ctx, "/srv/web/index.html"), Ok(bytes("host page\n")));
    assert_eq!(world.write_file(&ctx, "/srv/web/index.html", &bytes("x"), WriteMode::Truncate), Err(Errno::ReadOnly));
    let denied = Event::WriteDenied {
        place: Place::Bind { host_path: "/home/student".into() },
        path: "/srv/web/index.html".into(),
        cause: DenyCause::ReadOnly { mount: "/srv/web".into() },
    };
    assert_eq!(world.events(), vec![denied]);
    assert_eq!(world.remove(&ctx, "/srv/web/index.html", false), Err(Errno::ReadOnly));
    assert_eq!(world.read(&host(), "/home/student/index.html"), Ok(bytes("host page\n")));
    assert!(upper_is_empty(&world));
}

#[test]
fn tmpfs_size_limit_gives_enospc() {
    let mut world = world_with("");
    let root = world.fs_mut().new_dir(0, 0, 0o1777, 0);
    world.containers_mut().next().expect("a container").mounts.push(Mount {
        target: "/tmp".into(),
        root,
        kind: MountKind::Tmpfs,
        read_only: false,
        limit: Some(8192),
        proc_opts: "rw,nosuid,nodev,noexec,relatime,size=8k".into(),
    });
    let ctx = container(&world, Cred::root());
    // Two pages fit: the first 8192 of 10000 bytes are written, then the tmpfs is full.
    let data = Data::from_bytes(&[b'z'; 10_000]);
    assert_eq!(world.write_file(&ctx, "/tmp/big", &data, WriteMode::Truncate), Err(Errno::NoSpace));
    let file = at(&world, root, "big").expect("file in the tmpfs");
    assert_eq!(world.fs().get(file).size(), 8192);
    assert_eq!(world.stat(&ctx, "/tmp/big", true).map(|s| s.fs), Ok(FsType::Tmpfs));
    let place = Place::Tmpfs { container: "box".into(), target: "/tmp".into() };
    assert_eq!(
        world.events(),
        vec![
            Event::FileWritten { place: place.clone(), path: "/tmp/big".into(), bytes: 8192 },
            Event::WriteDenied { place, path: "/tmp/big".into(), cause: DenyCause::NoSpace { mount: "/tmp".into(), limit: 8192 } },
        ]
    );
    assert_eq!(world.write_file(&ctx, "/tmp/more", &bytes("1"), WriteMode::Truncate), Err(Errno::NoSpace));
    assert!(upper_is_empty(&world), "tmpfs content never reaches the writable layer");
}

#[test]
fn non_root_cannot_create_in_root_owned_dir() {
    let mut world = world_with("");
    let ctx = container(&world, user(1000));
    assert_eq!(world.write_file(&ctx, "/etc/app/new.txt", &bytes("x"), WriteMode::Truncate), Err(Errno::Access));
    let cause = DenyCause::Permission { uid: 1000, gid: 1000, owner_uid: 0, owner_gid: 0, mode: 0o755 };
    assert_eq!(world.events(), vec![Event::WriteDenied { place: writable(), path: "/etc/app/new.txt".into(), cause }]);
    // Refused before any copy-up, and writing a root-owned 0644 file is refused the same way.
    assert_eq!(world.write_file(&ctx, "/etc/app/app.conf", &bytes("x"), WriteMode::Truncate), Err(Errno::Access));
    assert_eq!(world.mkdir(&ctx, "/etc/app/sub", 0o755), Err(Errno::Access));
    assert!(upper_is_empty(&world));
    assert!(copy_ups(&world).is_empty());

    // Root may; the new file belongs to the creator, mode 0666 & ~umask.
    world.write_file(&container(&world, Cred::root()), "/etc/app/new.txt", &bytes("x"), WriteMode::Truncate).expect("root writes");
    let f = world.fs().get(at(&world, upper(&world), "etc/app/new.txt").expect("created"));
    assert_eq!((f.uid, f.gid, f.mode), (0, 0, 0o644));
    // uid 1000 may in its own /data (1000:1000 0755).
    world.write_file(&ctx, "/data/mine.txt", &bytes("x"), WriteMode::Truncate).expect("owner writes");
    let f = world.fs().get(at(&world, upper(&world), "data/mine.txt").expect("created"));
    assert_eq!((f.uid, f.gid, f.mode), (1000, 1000, 0o644));
}

#[test]
fn search_permission_needed_on_every_component() {
    let mut world = world_with("");
    let root = container(&world, Cred::root());
    world.write_file(&root, "/root/secret.txt", &bytes("s\n"), WriteMode::Truncate).expect("root writes");
    let ctx = container(&world, user(1000));
    // /root is 0700 root: uid 1000 may stat it (search on / only), not look inside.
    assert_eq!(world.stat(&ctx, "/root", true).map(|s| s.mode), Ok(0o700));
    assert_eq!(world.read(&ctx, "/root/secret.txt"), Err(Errno::Access));
    assert_eq!(world.write_file(&ctx, "/root/x", &bytes("x"), WriteMode::Truncate), Err(Errno::Access));
    // Search (x) without read (r): the path resolves, listing still fails.
    world.set_meta(&root, "/root", true, &mut |i| i.mode = 0o711).expect("chmod");
    assert_eq!(world.read(&ctx, "/root/secret.txt"), Ok(bytes("s\n")));
    let dir = world.resolve(&ctx, "/root", true).expect("/root");
    assert_eq!(world.list(&ctx, &dir).map(|_| ()), Err(Errno::Access));
    assert!(world.list(&root, &dir).is_ok());
}

#[test]
fn symlinks_dotdot_and_loops() {
    let mut world = world_with("");
    let ctx = container(&world, Cred::root());
    // Busybox applets are relative links to `busybox`, followed only when asked.
    let ls = world.resolve(&ctx, "/bin/ls", true).expect("/bin/ls");
    assert_eq!(ls.path, "/bin/busybox");
    assert_eq!(world.fs().get(ls.top()).kind, Kind::File(Data::Opaque(1_982_256)));
    let link = world.resolve(&ctx, "/bin/ls", false).expect("link itself");
    assert_eq!(world.fs().get(link.top()).kind, Kind::Symlink("busybox".into()));
    assert_eq!(world.resolve(&ctx, "/bin/ls/x", true), Err(Errno::NotDir));

    // `..` after a symlink goes to the target's parent (/srv), not the link's (/home/app).
    world.symlink(&ctx, "/srv/web", "/home/app/web").expect("ln -s");
    assert_eq!(world.resolve(&ctx, "/home/app/web/..", true).map(|l| l.path), Ok("/srv".into()));
    assert_eq!(world.read(&ctx, "/home/app/web/../web/index.html"), Ok(bytes("<h1>demo app v1</h1>\n")));
    // `..` at the root stays there; relative paths start at the cwd.
    assert_eq!(world.resolve(&ctx, "/../../etc/./app/app.conf", true).map(|l| l.path), Ok("/etc/app/app.conf".into()));
    let in_web = Ctx { cwd: "/srv/web".into(), ..ctx.clone() };
    assert_eq!(world.resolve(&in_web, "../../etc/app", true).map(|l| l.path), Ok("/etc/app".into()));
    // On the host: /etc/os-release -> ../usr/lib/os-release.
    assert_eq!(world.resolve(&host(), "/etc/os-release", true).map(|l| l.path), Ok("/usr/lib/os-release".into()));
    // A loop ends after 40 links with ELOOP; the link itself still resolves.
    world.symlink(&ctx, "b", "/tmp/a").expect("ln -s b a");
    world.symlink(&ctx, "a", "/tmp/b").expect("ln -s a b");
    assert_eq!(world.read(&ctx, "/tmp/a"), Err(Errno::Loop));
    assert!(world.resolve(&ctx, "/tmp/a", false).is_ok());
}

#[test]
fn trailing_slash_on_file_is_enotdir() {
    let world = world_with("");
    let ctx = container(&world, Cred::root());
    // Linux: `cat /etc/app/app.conf/` → Not a directory.
    assert_eq!(world.resolve(&ctx, "/etc/app/app.conf/", true).map(|l| l.path), Err(Errno::NotDir));
}

#[test]
fn mkdir_in_setgid_dir_inherits_setgid() {
    let mut world = world_with("");
    let root = container(&world, Cred::root());
    world.set_meta(&root, "/data", true, &mut |i| i.mode = 0o2777).expect("chmod g+s");
    world.mkdir(&container(&world, user(1001)), "/data/sub", 0o755).expect("mkdir");
    let sub = world.fs().get(at(&world, upper(&world), "data/sub").expect("created"));
    assert_eq!((sub.uid, sub.gid), (1001, 1000), "group from the setgid parent");
    assert_eq!(sub.mode, 0o2755);
}
