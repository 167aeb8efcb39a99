//! The canonical start state: host tree, the four built-in images, Docker's directories.

use crate::clock::{epoch, Clock, Ids};
use crate::fs::{Arena, Data, Kind, TreeBuilder};
use crate::world::{HistoryEntry, Image, ImageConfig, Layer, World};

pub const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
pub const BUSYBOX_APPLETS: [&str; 40] = [
    "basename", "cat", "chmod", "chown", "cp", "date", "dd", "df", "dirname", "du", "echo", "env", "false", "find", "grep", "head",
    "hostname", "id", "ln", "ls", "mkdir", "mv", "printf", "pwd", "readlink", "rm", "rmdir", "sed", "sh", "sleep", "sort", "stat", "tail",
    "tar", "test", "touch", "true", "uname", "wc", "whoami",
];
use crate::daemon::layers::{add_layer, EMPTY_LAYER_DIFF_ID};

/// `/usr/lib/os-release` of Debian 12 (`/etc/os-release` links to it).
const DEBIAN_OS_RELEASE: &str = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\nSUPPORT_URL=\"https://www.debian.org/support\"\nBUG_REPORT_URL=\"https://bugs.debian.org/\"\n";

pub const BUSYBOX_PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000:app:/home/app:/bin/sh\n";
pub const BUSYBOX_GROUP: &str = "root:x:0:\ndaemon:x:1:\nnobody:x:65534:\napp:x:1000:\n";

/// The built-in busybox image's id: its configuration blob's digest (daemon/image_db.rs).
pub const BUSYBOX_ID: &str = "sha256:d6c60a241fea0432735e26670b30ef856e1aeded4edc3517c29cfeb47c2bc6af";

fn history(created: i64, created_by: &str, empty_layer: bool) -> HistoryEntry {
    HistoryEntry { created, created_by: created_by.into(), empty_layer, comment: "buildkit.dockerfile.v0".into() }
}

impl World {
    /// The world of `ENVIRONMENT.md`: student's empty home, Docker with four images.
    pub fn canonical(seed: u64) -> World {
        let mut fs = Arena::default();
        let jan2024 = epoch(2024, 1, 1, 0, 0, 0);
        let build = epoch(2026, 11, 30, 3, 33, 37);
        let boot = epoch(2026, 11, 30, 3, 30, 0);
        let host_root = fs.new_dir(0, 0, 0o755, boot);
        let mut h = TreeBuilder { fs: &mut fs, root: host_root };
        for d in [
            "bin",
            "boot",
            "dev",
            "etc",
            "home",
            "lib",
            "media",
            "mnt",
            "opt",
            "proc",
            "root",
            "run",
            "sbin",
            "srv",
            "sys",
            "usr",
            "usr/bin",
            "usr/local",
            "usr/local/bin",
            "var",
            "var/lib",
            "var/log",
            "var/run",
        ] {
            h.dir(d, 0, 0, 0o755, boot);
        }
        h.dir("root", 0, 0, 0o700, boot);
        h.dir("tmp", 0, 0, 0o1777, boot);
        // Mount points of the host's own file systems (`mount`, `findmnt`, `mountpoint`).
        h.dir("dev/shm", 0, 0, 0o1777, boot);
        h.dir("dev/pts", 0, 0, 0o755, boot);
        for d in ["sys/fs", "sys/fs/cgroup", "sys/fs/cgroup/unified"] {
            h.dir(d, 0, 0, 0o755, boot);
        }
        // The devices a command line reads or writes (`head -c N /dev/zero`, `> /dev/null`).
        for (n, minor) in [("null", 3), ("zero", 5), ("full", 7), ("random", 8), ("urandom", 9)] {
            h.node(&format!("dev/{n}"), Kind::CharDev { major: 1, minor }, 0, 0, 0o666, boot);
        }
        // The loop devices (`losetup`), the disk group's (gid 6).
        for minor in 0..crate::blockdev::LOOP_DEVICES as u32 {
            h.node(&format!("dev/loop{minor}"), Kind::BlockDev { major: 7, minor }, 0, 6, 0o660, boot);
        }
        h.node("dev/loop-control", Kind::CharDev { major: 10, minor: 237 }, 0, 6, 0o660, boot);
        h.dir("home/student", 1000, 1000, 0o755, boot);
        h.file("etc/passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nstudent:x:1000:1000::/home/student:/bin/bash\n", 0, 0, 0o644, boot);
        h.file("etc/group", "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\ndocker:x:111:student\nstudent:x:1000:\n", 0, 0, 0o644, boot);
        h.file("etc/hostname", "vm\n", 0, 0, 0o644, boot);
        // Debian 12's, as base-files installs it (the daemon reports the same name).
        h.dir("usr/lib", 0, 0, 0o755, boot);
        h.file("usr/lib/os-release", DEBIAN_OS_RELEASE, 0, 0, 0o644, boot);
        h.node("etc/os-release", Kind::Symlink("../usr/lib/os-release".into()), 0, 0, 0o777, boot);
        h.node("var/run/docker.sock", Kind::Socket, 0, 111, 0o660, boot);
        let docker_root = crate::daemon::docker_root::data_root(&mut fs, host_root, boot, seed);
        let overlay_dir = fs.lookup(docker_root, "overlay2").unwrap_or(docker_root);

        let mut layers: Vec<Layer> = Vec::new();

        // busybox: one ADD layer.
        let l1 = fs.new_dir(0, 0, 0o755, jan2024);
        let mut b = TreeBuilder { fs: &mut fs, root: l1 };
        for d in ["bin", "dev", "etc", "home", "proc", "sys", "usr", "usr/bin", "var"] {
            b.dir(d, 0, 0, 0o755, jan2024);
        }
        b.dir("home/app", 1000, 1000, 0o755, jan2024);
        b.dir("root", 0, 0, 0o700, jan2024);
        b.dir("tmp", 0, 0, 0o1777, jan2024);
        b.node("bin/busybox", Kind::File(Data::Opaque(1_982_256)), 0, 0, 0o755, jan2024);
        for a in BUSYBOX_APPLETS {
            b.node(&format!("bin/{a}"), Kind::Symlink("busybox".into()), 0, 0, 0o777, jan2024);
        }
        b.file("etc/passwd", BUSYBOX_PASSWD, 0, 0, 0o644, jan2024);
        b.file("etc/group", BUSYBOX_GROUP, 0, 0, 0o644, jan2024);
        let busybox_layer = add_layer(
            &mut fs,
            &mut layers,
            overlay_dir,
            "sha256:8fe5d20945fd161caa3cc6a46e5f998a9d7fa3496126c41a498f0718ef20fd09",
            "v6v8xc0ne1s24nyga5xxwpxbs",
            "JEHIGJULGD7YVIWKRJJPULRWNP",
            l1,
        );
        // Deleting every image never reclaims the busybox rootfs on the recorded daemon (oracle-110).
        layers[busybox_layer].pinned = true;

        // demo/app layers 2 and 3 (shared by 1.0, vol and 2.0).
        let l2 = fs.new_dir(0, 0, 0o755, build);
        let mut b = TreeBuilder { fs: &mut fs, root: l2 };
        b.dir("etc", 0, 0, 0o755, build);
        b.dir("etc/app", 0, 0, 0o755, build);
        b.file("etc/app/app.conf", "color=blue\n", 0, 0, 0o644, build);
        b.file("etc/app/obsolete.txt", "remove me\n", 0, 0, 0o644, build);
        let app_l2 = add_layer(
            &mut fs,
            &mut layers,
            overlay_dir,
            "sha256:4b75b5425ba9a342a0fe0f1e9836d29dff80f0b5d2ce92efac81000d561d7aee",
            "5goh7nfrdvaqlbdtqhj1gylld",
            "KVUXR3AQW5YRIYOVLOMNIADUDI",
            l2,
        );

        let l3 = fs.new_dir(0, 0, 0o755, build);
        let mut b = TreeBuilder { fs: &mut fs, root: l3 };
        b.dir("data", 1000, 1000, 0o755, build);
        b.file("data/seed.txt", "seed from image\n", 1000, 1000, 0o644, build);
        b.dir("etc", 0, 0, 0o755, build);
        b.dir("var", 0, 0, 0o755, build);
        b.dir("var/lib", 0, 0, 0o755, build);
        b.dir("var/lib/app", 0, 0, 0o755, build);
        b.file("var/lib/app/default.conf", "setting=default\n", 0, 0, 0o644, build);
        let app_l3 = add_layer(
            &mut fs,
            &mut layers,
            overlay_dir,
            "sha256:7f1dc9c1ac8af18660bdc1fc750b2e80302358916ed26fea2deae9381a33822b",
            "tachalty3qripuyv8b96p28w6",
            "M7Y3TVI5H6224O7FVSIUTZM4BS",
            l3,
        );

        let l4 = fs.new_dir(0, 0, 0o755, build);
        let mut b = TreeBuilder { fs: &mut fs, root: l4 };
        b.dir("srv", 0, 0, 0o755, build);
        b.dir("srv/web", 0, 0, 0o755, build);
        b.file("srv/web/index.html", "<h1>demo app v1</h1>\n", 0, 0, 0o644, jan2024);
        let app_l4 = add_layer(
            &mut fs,
            &mut layers,
            overlay_dir,
            "sha256:2fba5f96a6903851a5a83f5f954f75749828e973ee5e994bf83ddbe0cf48c684",
            "ull8lrjzpu8034mahkdauwghl",
            "EMWWTKJHN5T773IXR6L6R6BOZZ",
            l4,
        );

        let l5 = fs.new_dir(0, 0, 0o755, build);
        let app_l5 = add_layer(
            &mut fs,
            &mut layers,
            overlay_dir,
            EMPTY_LAYER_DIFF_ID,
            "jvf3qmx7okvc2u7yyk5yhepoq",
            "QNHZXVOEYTJ5Q2ITIAAW4GENEP",
            l5,
        );

        let l4b = fs.new_dir(0, 0, 0o755, build);
        let mut b = TreeBuilder { fs: &mut fs, root: l4b };
        b.dir("srv", 0, 0, 0o755, build);
        b.dir("srv/web", 0, 0, 0o755, build);
        b.file("srv/web/index.html", "<h1>demo app v2</h1>\n", 0, 0, 0o644, jan2024);
        b.file("srv/web/v2.txt", "new in 2.0\n", 0, 0, 0o644, jan2024);
        let app2_l4 = add_layer(
            &mut fs,
            &mut layers,
            overlay_dir,
            "sha256:69eb2ec5c6242da09313c13db28ff1cddf15c377c033988d9e063407c48bf853",
            "q3b8ndd0c7y4x2mpl6tu9wzrk",
            "ZP4TBOQ7ABCVNMSLD2XK3H6YFE",
            l4b,
        );
        let l5b = fs.new_dir(0, 0, 0o755, build);
        let app2_l5 = add_layer(
            &mut fs,
            &mut layers,
            overlay_dir,
            EMPTY_LAYER_DIFF_ID,
            "f9mwk2rj5e8xqv1t0bnzh4lyc",
            "WB2S6RZKQ5HN4G7MXUDAJYLTOC",
            l5b,
        );

        let sh = || Some(vec!["sh".to_string()]);
        let base_config = |workdir: &str, volumes: Vec<String>| ImageConfig {
            env: vec![PATH_ENV.into()],
            cmd: sh(),
            working_dir: workdir.into(),
            volumes,
            args_escaped: true,
            ..ImageConfig::default()
        };
        let bb_created = jan2024;
        let busybox_history =
            vec![history(bb_created, "ADD busybox-rootfs.tar / # buildkit", false), history(bb_created, "CMD [\"sh\"]", true)];
        let app_history = |created: i64, copy: &str| {
            let mut h = busybox_history.clone();
            h.push(history(created, "RUN /bin/sh -c mkdir -p /etc/app && echo \"color=blue\" > /etc/app/app.conf && echo \"remove me\" > /etc/app/obsolete.txt # buildkit", false));
            h.push(history(created, "RUN /bin/sh -c mkdir -p /data /var/lib/app && echo \"seed from image\" > /data/seed.txt && chown -R 1000:1000 /data && chmod 755 /data && echo \"setting=default\" > /var/lib/app/default.conf # buildkit", false));
            h.push(history(created, copy, false));
            h.push(history(created, "WORKDIR /srv/web", false));
            h.push(history(created, "CMD [\"sh\"]", true));
            h
        };
        let feb1 = epoch(2024, 2, 1, 0, 0, 0);
        let feb2 = epoch(2024, 2, 2, 0, 0, 0);
        let mar1 = epoch(2024, 3, 1, 0, 0, 0);
        let mut vol_history = app_history(feb1, "COPY index.html /srv/web/index.html # buildkit");
        vol_history.push(history(feb2, "VOLUME [/var/lib/app]", true));
        let tag_time = Some(epoch(2026, 11, 30, 3, 33, 38) as i128 * 1_000_000_000 + 655_757_024);
        let mk = |id: &str, tag: &str, layers: Vec<usize>, history: Vec<HistoryEntry>, config: ImageConfig, created: i64| Image {
            id: id.into(),
            tags: vec![tag.into()],
            layers,
            history,
            config,
            created,
            comment: "buildkit.dockerfile.v0".into(),
            parent: String::new(),
            last_tag_time: tag_time,
            size: 0,
        };
        let images = vec![
            mk(BUSYBOX_ID, "busybox:latest", vec![busybox_layer], busybox_history.clone(), base_config("/", vec![]), bb_created),
            mk(
                "sha256:7ae54909255d206df70b933998b66d78ad591460c5539221504dd8842f29e8fb",
                "demo/app:1.0",
                vec![busybox_layer, app_l2, app_l3, app_l4, app_l5],
                app_history(feb1, "COPY index.html /srv/web/index.html # buildkit"),
                base_config("/srv/web", vec![]),
                feb1,
            ),
            mk(
                "sha256:2f12d86f0d078693f9905ea89b3e9db2dfe1fcc1270803f09a3a840f8d5e3f34",
                "demo/app:vol",
                vec![busybox_layer, app_l2, app_l3, app_l4, app_l5],
                vol_history,
                base_config("/srv/web", vec!["/var/lib/app".into()]),
                feb2,
            ),
            mk(
                "sha256:916fc3da1233dcca6ac15d26b84e18dd6da9cdb0f751db9cec131d799e7e5cf5",
                "demo/app:2.0",
                vec![busybox_layer, app_l2, app_l3, app2_l4, app2_l5],
                app_history(mar1, "COPY index.html v2.txt /srv/web/ # buildkit"),
                base_config("/srv/web", vec![]),
                mar1,
            ),
        ];
        let mut world = World::new(fs, host_root, Clock::at_seconds(epoch(2026, 11, 30, 4, 2, 0)), Ids::seeded(seed), layers, images);
        // The canonical layers were unpacked when their images were made on the machine.
        let unpacked = epoch(2026, 11, 30, 3, 33, 38);
        for l in 0..world.layers().len() {
            let root = world.layers()[l].root;
            world.fs_mut().unpacked_at(root, unpacked);
        }
        // Each layer's chain id (OCI's ChainID: its diff id over its parents'), as
        // `deleted:` lines name released layers (oracle-110).
        for i in 0..world.images().len() {
            let mut chain = String::new();
            let mut below = None;
            for l in world.images()[i].layers.clone() {
                let diff = world.layers()[l].diff_id.clone();
                chain = crate::daemon::layers::chain_id(&chain, &diff);
                if let Some(layer) = world.layer_mut(l) {
                    layer.chain_id = chain.clone();
                    layer.parent = below;
                }
                below = Some(l);
            }
        }
        crate::daemon::docker_root::chain_image_layers(&mut world);
        crate::daemon::image_db::sync(&mut world);
        for i in 0..world.images().len() {
            let size = world.image_size(i);
            if let Some(im) = world.image_mut(i) {
                im.size = size;
            }
        }
        world
    }

    /// Sum of the image's layer sizes.
    pub fn image_size(&self, image: usize) -> u64 {
        self.images()[image].layers.iter().map(|l| self.layers()[*l].size).sum()
    }
}
