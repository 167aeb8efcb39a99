//! The simulated registry: official images `docker pull` can fetch.
//!
//! Each image is built on demand from its layer recipes, so a world that never pulls pays nothing.
//! Layers are content-addressed through [`crate::daemon::layers::store_unpacked_layer`]: the Alpine and
//! Debian base layers are stored once and shared by every image built on them, as on disk.
//! Programs the simulation runs natively (busybox, GNU tools, nginx, postgres, python) are opaque
//! files whose size says which program they are (see [`crate::binaries`]).

use crate::binaries::{self, Binary};
use crate::clock::epoch;
use crate::fs::TreeBuilder;
use crate::fs::{Data, Kind};
use crate::images::PATH_ENV;
use crate::world::{HistoryEntry, ImageConfig, World};

/// One image of the catalog, as the registry describes it.
pub struct CatalogImage {
    /// `library/nginx` style repository path on Docker Hub.
    pub repository: &'static str,
    pub tag: &'static str,
    pub created: i64,
    recipe: fn(&mut Recipe),
}

impl CatalogImage {
    /// The short reference Docker prints (`nginx:latest`).
    pub fn reference(&self) -> String {
        format!("{}:{}", self.repository.trim_start_matches("library/"), self.tag)
    }
}

/// The images the simulated Docker Hub serves.
pub fn catalog() -> [CatalogImage; 5] {
    [
        CatalogImage { repository: "library/busybox", tag: "latest", created: epoch(2024, 1, 1, 0, 0, 0), recipe: |_| {} },
        CatalogImage { repository: "library/alpine", tag: "latest", created: epoch(2024, 9, 6, 22, 20, 7), recipe: alpine },
        CatalogImage { repository: "library/nginx", tag: "latest", created: epoch(2024, 11, 26, 18, 42, 8), recipe: nginx },
        CatalogImage { repository: "library/postgres", tag: "15-alpine", created: epoch(2024, 11, 22, 0, 47, 34), recipe: postgres },
        CatalogImage { repository: "library/python", tag: "3.9-slim", created: epoch(2024, 11, 12, 4, 9, 52), recipe: python },
    ]
}

/// What a reference names in the catalog.
pub enum Lookup {
    Found(CatalogImage),
    /// The repository exists but not with this tag.
    UnknownTag {
        repository: String,
        tag: String,
    },
    /// No such repository (or a private one).
    UnknownRepository {
        repository: String,
    },
}

/// Splits `docker.io/library/nginx:1.27` into its Hub repository and tag.
pub fn parse_reference(reference: &str) -> (String, String) {
    let (name, tag) = match reference.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, t),
        _ => (reference, "latest"),
    };
    let name = name.strip_prefix("docker.io/").unwrap_or(name);
    let repository = if name.contains('/') { name.to_string() } else { format!("library/{name}") };
    (repository, tag.to_string())
}

pub fn lookup(reference: &str) -> Lookup {
    let (repository, tag) = parse_reference(reference);
    let mut same_repo = false;
    for image in catalog() {
        if image.repository == repository {
            if image.tag == tag {
                return Lookup::Found(image);
            }
            same_repo = true;
        }
    }
    if same_repo {
        Lookup::UnknownTag { repository, tag }
    } else {
        Lookup::UnknownRepository { repository }
    }
}

/// A pulled image before it enters the store: its layers (indexes into the world's layer store),
/// and whether each was already on disk.
pub struct Materialized {
    pub layers: Vec<usize>,
    pub existed: Vec<bool>,
    pub config: ImageConfig,
    pub history: Vec<HistoryEntry>,
    /// The id of an image already in the store that is this one (busybox is built in).
    pub local_id: Option<String>,
}

/// Builds the layers of a catalog image into the world's layer store.
pub fn materialize(world: &mut World, image: &CatalogImage) -> Materialized {
    if image.repository == "library/busybox" {
        // The local busybox is the registry's: pulling it changes nothing (named or not: a
        // container may keep it after `rmi -f`).
        let i = world.images().iter().position(|im| im.id == crate::images::BUSYBOX_ID);
        if let Some(i) = i {
            let im = &world.images()[i];
            return Materialized {
                layers: im.layers.clone(),
                existed: vec![true; im.layers.len()],
                config: im.config.clone(),
                history: im.history.clone(),
                local_id: Some(im.id.clone()),
            };
        }
    }
    let mut recipe = Recipe { world, layers: Vec::new(), existed: Vec::new(), config: ImageConfig::default(), history: Vec::new() };
    (image.recipe)(&mut recipe);
    Materialized { layers: recipe.layers, existed: recipe.existed, config: recipe.config, history: recipe.history, local_id: None }
}

/// The state of an image under construction: layers so far, config, history.
pub struct Recipe<'w> {
    world: &'w mut World,
    layers: Vec<usize>,
    existed: Vec<bool>,
    config: ImageConfig,
    history: Vec<HistoryEntry>,
}

impl Recipe<'_> {
    /// A step that makes a layer: `fill` writes its files.
    fn layer(&mut self, created: i64, created_by: &str, fill: impl FnOnce(&mut TreeBuilder)) {
        let root = self.world.fs_mut().new_dir(0, 0, 0o755, created);
        let mut tree = TreeBuilder { fs: self.world.fs_mut(), root };
        fill(&mut tree);
        let before = self.world.layers().len();
        let layer = crate::daemon::layers::store_unpacked_layer(self.world, &self.layers, root);
        self.existed.push(layer < before);
        self.layers.push(layer);
        self.history.push(HistoryEntry { created, created_by: created_by.into(), empty_layer: false, comment: comment(created_by) });
    }

    /// A step that only changes the config (ENV, CMD, …): a history row without a layer.
    fn meta(&mut self, created: i64, created_by: &str, change: impl FnOnce(&mut ImageConfig)) {
        change(&mut self.config);
        self.history.push(HistoryEntry { created, created_by: created_by.into(), empty_layer: true, comment: comment(created_by) });
    }

    fn env(&mut self, created: i64, key: &str, value: &str) {
        let entry = format!("{key}={value}");
        self.meta(created, &format!("ENV {entry}"), |c| {
            c.env.retain(|e| !e.starts_with(&format!("{key}=")));
            c.env.push(entry.clone());
        });
    }
}

/// BuildKit marks the rows it wrote; the base rootfs rows of official images carry no comment.
fn comment(created_by: &str) -> String {
    if created_by.ends_with("# buildkit") || !created_by.starts_with("ADD ") && !created_by.starts_with("# debian.sh") {
        "buildkit.dockerfile.v0".into()
    } else {
        String::new()
    }
}

fn program(tree: &mut TreeBuilder, path: &str, binary: Binary, mtime: i64) {
    tree.node(path, Kind::File(Data::Opaque(binaries::size_of(binary))), 0, 0, 0o755, mtime);
}

fn opaque(tree: &mut TreeBuilder, path: &str, size: u64, mtime: i64) {
    tree.node(path, Kind::File(Data::Opaque(size)), 0, 0, 0o644, mtime);
}

fn symlink(tree: &mut TreeBuilder, path: &str, target: &str, mtime: i64) {
    tree.node(path, Kind::Symlink(target.into()), 0, 0, 0o777, mtime);
}

fn dirs(tree: &mut TreeBuilder, paths: &[&str], mtime: i64) {
    for p in paths {
        tree.dir(p, 0, 0, 0o755, mtime);
    }
}

// ---------------------------------------------------------------------------- Alpine

pub const ALPINE_PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nlp:x:4:7:lp:/var/spool/lpd:/sbin/nologin\nsync:x:5:0:sync:/sbin:/bin/sync\nshutdown:x:6:0:shutdown:/sbin:/sbin/shutdown\nhalt:x:7:0:halt:/sbin:/sbin/halt\nmail:x:8:12:mail:/var/mail:/sbin/nologin\nnews:x:9:13:news:/usr/lib/news:/sbin/nologin\nuucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin\ncron:x:16:16:cron:/var/spool/cron:/sbin/nologin\nftp:x:21:21::/var/lib/ftp:/sbin/nologin\nsshd:x:22:22:sshd:/dev/null:/sbin/nologin\ngames:x:35:35:games:/usr/games:/sbin/nologin\nntp:x:123:123:NTP:/var/empty:/sbin/nologin\nguest:x:405:100:guest:/dev/null:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n";
pub const ALPINE_GROUP: &str = "root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\nsys:x:3:root,bin\nadm:x:4:root,daemon\ntty:x:5:\ndisk:x:6:root\nlp:x:7:lp\nkmem:x:9:\nwheel:x:10:root\nfloppy:x:11:root\nmail:x:12:mail\nnews:x:13:news\nuucp:x:14:uucp\ncron:x:16:cron\naudio:x:18:\ncdrom:x:19:\ndialout:x:20:root\nftp:x:21:\nsshd:x:22:\ninput:x:23:\ntape:x:26:root\nvideo:x:27:root\nnetdev:x:28:\nkvm:x:34:kvm\ngames:x:35:\nshadow:x:42:\nwww-data:x:82:\nusers:x:100:games\nntp:x:123:\nabuild:x:300:\nutmp:x:406:\nping:x:999:\nnogroup:x:65533:\nnobody:x:65534:\n";

/// Applets Alpine's busybox links in /bin (the ones the simulation runs, and a few more for `ls`).
const ALPINE_BIN_APPLETS: [&str; 52] = [
    "arch",
    "ash",
    "base64",
    "bbconfig",
    "cat",
    "chattr",
    "chgrp",
    "chmod",
    "chown",
    "cp",
    "date",
    "dd",
    "df",
    "dmesg",
    "dnsdomainname",
    "echo",
    "ed",
    "egrep",
    "false",
    "fatattr",
    "fdflush",
    "fgrep",
    "fsync",
    "getopt",
    "grep",
    "gunzip",
    "gzip",
    "hostname",
    "ionice",
    "kill",
    "link",
    "ln",
    "login",
    "ls",
    "mkdir",
    "mknod",
    "mktemp",
    "more",
    "mount",
    "mv",
    "netstat",
    "nice",
    "pidof",
    "ping",
    "ps",
    "pwd",
    "rm",
    "rmdir",
    "sed",
    "sh",
    "sleep",
    "stat",
];
const ALPINE_BIN_APPLETS_2: [&str; 9] = ["su", "sync", "tar", "touch", "true", "umount", "uname", "usleep", "watch"];
const ALPINE_USR_BIN_APPLETS: [&str; 30] = [
    "basename", "dirname", "du", "env", "find", "head", "id", "less", "nc", "nslookup", "printf", "readlink", "seq", "sort", "tail", "tee",
    "test", "tr", "uniq", "vi", "wc", "wget", "which", "whoami", "xargs", "yes", "awk", "cut", "diff", "[",
];

fn alpine(r: &mut Recipe) {
    alpine_base(r);
    r.meta(epoch(2024, 9, 6, 22, 20, 7), "CMD [\"/bin/sh\"]", |c| c.cmd = Some(vec!["/bin/sh".into()]));
}

/// Alpine 3.20's minirootfs: busybox, musl, apk, OpenSSL (7.8MB).
fn alpine_base(r: &mut Recipe) {
    let t = epoch(2024, 9, 6, 12, 0, 0);
    r.layer(epoch(2024, 9, 6, 22, 20, 7), "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit", |b| {
        dirs(
            b,
            &[
                "bin", "dev", "etc", "etc/apk", "etc/crontabs", "etc/network", "etc/opt", "etc/ssl", "home", "lib", "lib/apk", "lib/apk/db",
                "media", "mnt", "opt", "proc", "run", "sbin", "srv", "sys", "usr", "usr/bin", "usr/lib", "usr/local", "usr/local/bin",
                "usr/local/lib", "usr/local/share", "usr/sbin", "usr/share", "var", "var/cache", "var/empty", "var/lib", "var/local",
                "var/log", "var/mail", "var/opt", "var/spool",
            ],
            t,
        );
        b.dir("root", 0, 0, 0o700, t);
        b.dir("tmp", 0, 0, 0o1777, t);
        b.dir("var/tmp", 0, 0, 0o1777, t);
        symlink(b, "var/run", "/run", t);
        program(b, "bin/busybox", Binary::AlpineBusybox, t);
        for a in ALPINE_BIN_APPLETS.iter().chain(ALPINE_BIN_APPLETS_2.iter()) {
            symlink(b, &format!("bin/{a}"), "/bin/busybox", t);
        }
        for a in ALPINE_USR_BIN_APPLETS {
            symlink(b, &format!("usr/bin/{a}"), "/bin/busybox", t);
        }
        program(b, "sbin/apk", Binary::Apk, t);
        opaque(b, "lib/ld-musl-x86_64.so.1", 612_296, t);
        symlink(b, "lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1", t);
        opaque(b, "lib/libcrypto.so.3", 4_825_480, t);
        opaque(b, "lib/libssl.so.3", 690_544, t);
        opaque(b, "lib/libz.so.1.3.1", 100_312, t);
        opaque(b, "lib/apk/db/installed", 19_860, t);
        opaque(b, "etc/ssl/cert.pem", 221_470, t);
        opaque(b, "usr/lib/libapk.so.2.14.0", 190_944, t);
        b.file("etc/alpine-release", "3.20.3\n", 0, 0, 0o644, t);
        // alpine-baselayout's /etc/motd (aports, main/alpine-baselayout/APKBUILD, package()).
        b.file("etc/motd", ALPINE_MOTD, 0, 0, 0o644, t);
        b.file("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\nHOME_URL=\"https://alpinelinux.org/\"\nBUG_REPORT_URL=\"https://gitlab.alpinelinux.org/alpine/aports/-/issues\"\n", 0, 0, 0o644, t);
        b.file("etc/hostname", "localhost\n", 0, 0, 0o644, t);
        b.file("etc/passwd", ALPINE_PASSWD, 0, 0, 0o644, t);
        b.file("etc/group", ALPINE_GROUP, 0, 0, 0o644, t);
        b.file("etc/shells", "# valid login shells\n/bin/sh\n/bin/ash\n", 0, 0, 0o644, t);
        b.file("etc/apk/repositories", "https://dl-cdn.alpinelinux.org/alpine/v3.20/main\nhttps://dl-cdn.alpinelinux.org/alpine/v3.20/community\n", 0, 0, 0o644, t);
        b.file("etc/apk/world", "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nlibc-utils\n", 0, 0, 0o644, t);
        opaque(b, "usr/share/apk-tools-filler", 255_000, t);
    });
    r.config.env = vec![PATH_ENV.into()];
}

/// `/etc/motd` as alpine-baselayout writes it (aports: main/alpine-baselayout/APKBUILD).
const ALPINE_MOTD: &str = "Welcome to Alpine!\n\nThe Alpine Wiki contains a large amount of how-to guides and general\ninformation about administrating Alpine systems.\nSee <https://wiki.alpinelinux.org/>.\n\nYou can setup the system with the command: setup-alpine\n\nYou may change this message by editing /etc/motd.\n\n";

// ---------------------------------------------------------------------------- Debian

pub const DEBIAN_PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nsync:x:4:65534:sync:/bin:/bin/sync\ngames:x:5:60:games:/usr/games:/usr/sbin/nologin\nman:x:6:12:man:/var/cache/man:/usr/sbin/nologin\nlp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin\nmail:x:8:8:mail:/var/mail:/usr/sbin/nologin\nnews:x:9:9:news:/var/spool/news:/usr/sbin/nologin\nuucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin\nproxy:x:13:13:proxy:/bin:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nbackup:x:34:34:backup:/var/backups:/usr/sbin/nologin\nlist:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin\nirc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin\n_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
pub const DEBIAN_GROUP: &str = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nnews:x:9:\nuucp:x:10:\nman:x:12:\nproxy:x:13:\nkmem:x:15:\ndialout:x:20:\nfax:x:21:\nvoice:x:22:\ncdrom:x:24:\nfloppy:x:25:\ntape:x:26:\nsudo:x:27:\naudio:x:29:\ndip:x:30:\nwww-data:x:33:\nbackup:x:34:\noperator:x:37:\nlist:x:38:\nirc:x:39:\nsrc:x:40:\nshadow:x:42:\nutmp:x:43:\nvideo:x:44:\nsasl:x:45:\nplugdev:x:46:\nstaff:x:50:\ngames:x:60:\nusers:x:100:\nnogroup:x:65534:\n";

/// Debian bookworm-slim (74.8MB): merged /usr, bash and dash, GNU coreutils.
fn debian_base(r: &mut Recipe) {
    let t = epoch(2024, 11, 11, 0, 0, 0);
    r.layer(epoch(2024, 11, 11, 0, 0, 0), "# debian.sh --arch 'amd64' out/ 'bookworm' '@1731283200'", |b| {
        dirs(
            b,
            &[
                "boot", "dev", "etc", "etc/apt", "etc/default", "etc/dpkg", "etc/ssl", "home", "media", "mnt", "opt", "proc", "run",
                "run/lock", "srv", "sys", "usr", "usr/bin", "usr/games", "usr/include", "usr/lib", "usr/lib/x86_64-linux-gnu", "usr/lib64",
                "usr/libexec", "usr/local", "usr/local/bin", "usr/local/etc", "usr/local/games", "usr/local/include", "usr/local/lib",
                "usr/local/man", "usr/local/sbin", "usr/local/share", "usr/local/src", "usr/sbin", "usr/share", "usr/share/doc",
                "usr/src", "var", "var/backups", "var/cache", "var/lib", "var/lib/apt", "var/lib/dpkg", "var/local", "var/log",
                "var/mail", "var/opt", "var/spool",
            ],
            t,
        );
        b.dir("root", 0, 0, 0o700, t);
        b.dir("tmp", 0, 0, 0o1777, t);
        b.dir("var/tmp", 0, 0, 0o1777, t);
        symlink(b, "bin", "usr/bin", t);
        symlink(b, "lib", "usr/lib", t);
        symlink(b, "lib64", "usr/lib64", t);
        symlink(b, "sbin", "usr/sbin", t);
        symlink(b, "var/run", "/run", t);
        symlink(b, "var/lock", "/run/lock", t);
        program(b, "usr/bin/bash", Binary::Bash, t);
        program(b, "usr/bin/dash", Binary::Dash, t);
        symlink(b, "usr/bin/sh", "dash", t);
        for (name, binary) in binaries::gnu_tools() {
            program(b, &format!("usr/bin/{name}"), binary, t);
        }
        program(b, "usr/bin/apt-get", Binary::AptGet, t);
        program(b, "usr/bin/dpkg", Binary::Dpkg, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/libc.so.6", 1_922_136, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", 2_190_440, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/libsystemd.so.0.35.0", 932_672, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/libdb-5.3.so", 1_828_040, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/libgnutls.so.30.34.3", 2_107_344, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/libapt-pkg.so.6.0.0", 2_252_216, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/perl-base.tar", 7_120_896, t);
        opaque(b, "usr/lib/locale/C.utf8/LC_CTYPE", 346_132, t);
        opaque(b, "usr/share/zoneinfo.tar", 1_524_224, t);
        opaque(b, "usr/share/doc/packages.tar", 3_276_800, t);
        opaque(b, "usr/share/i18n.tar", 1_048_576, t);
        opaque(b, "var/lib/dpkg/status", 70_458, t);
        opaque(b, "var/lib/dpkg/info.tar", 4_194_304, t);
        opaque(b, "var/cache/debconf/templates.dat", 554_806, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/coreutils-and-friends.tar", 40_108_032, t);
        b.file("etc/debian_version", "12.8\n", 0, 0, 0o644, t);
        b.file("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\nSUPPORT_URL=\"https://www.debian.org/support\"\nBUG_REPORT_URL=\"https://bugs.debian.org/\"\n", 0, 0, 0o644, t);
        b.file("etc/hostname", "localhost\n", 0, 0, 0o644, t);
        b.file("etc/passwd", DEBIAN_PASSWD, 0, 0, 0o644, t);
        b.file("etc/group", DEBIAN_GROUP, 0, 0, 0o644, t);
        b.file("etc/shells", "# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/bin/dash\n/usr/bin/dash\n", 0, 0, 0o644, t);
        b.file("etc/apt/sources.list.d/debian.sources", "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n", 0, 0, 0o644, t);
    });
    r.meta(epoch(2024, 11, 11, 0, 0, 0), "CMD [\"bash\"]", |c| c.cmd = Some(vec!["bash".into()]));
    r.config.env = vec![PATH_ENV.into()];
}

// ---------------------------------------------------------------------------- nginx

pub const NGINX_CONF: &str = "\nuser  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /var/run/nginx.pid;\n\n\nevents {\n    worker_connections  1024;\n}\n\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n\n    log_format  main  '$remote_addr - $remote_user [$time_local] \"$request\" '\n                      '$status $body_bytes_sent \"$http_referer\" '\n                      '\"$http_user_agent\" \"$http_x_forwarded_for\"';\n\n    access_log  /var/log/nginx/access.log  main;\n\n    sendfile        on;\n    #tcp_nopush     on;\n\n    keepalive_timeout  65;\n\n    #gzip  on;\n\n    include /etc/nginx/conf.d/*.conf;\n}\n";
pub const NGINX_DEFAULT_CONF: &str = "server {\n    listen       80;\n    server_name  localhost;\n\n    #access_log  /var/log/nginx/host.access.log  main;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n\n    #error_page  404              /404.html;\n\n    # redirect server error pages to the static page /50x.html\n    #\n    error_page   500 502 503 504  /50x.html;\n    location = /50x.html {\n        root   /usr/share/nginx/html;\n    }\n\n    # proxy the PHP scripts to Apache listening on 127.0.0.1:80\n    #\n    #location ~ \\.php$ {\n    #    proxy_pass   http://127.0.0.1;\n    #}\n\n    # pass the PHP scripts to FastCGI server listening on 127.0.0.1:9000\n    #\n    #location ~ \\.php$ {\n    #    root           html;\n    #    fastcgi_pass   127.0.0.1:9000;\n    #    fastcgi_index  index.php;\n    #    fastcgi_param  SCRIPT_FILENAME  /scripts$fastcgi_script_name;\n    #    include        fastcgi_params;\n    #}\n\n    # deny access to .htaccess files, if Apache's document root\n    # concurs with nginx's one\n    #\n    #location ~ /\\.ht {\n    #    deny  all;\n    #}\n}\n\n";
pub const NGINX_INDEX_HTML: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";
pub const NGINX_50X_HTML: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n";
pub const NGINX_MIME_TYPES: &str = "\ntypes {\n    text/html                                        html htm shtml;\n    text/css                                         css;\n    text/xml                                         xml;\n    image/gif                                        gif;\n    image/jpeg                                       jpeg jpg;\n    application/javascript                           js;\n    text/plain                                       txt;\n    image/png                                        png;\n    image/svg+xml                                    svg svgz;\n    image/x-icon                                     ico;\n    application/json                                 json;\n    application/pdf                                  pdf;\n    application/zip                                  zip;\n    application/octet-stream                         bin exe dll;\n}\n";

fn nginx(r: &mut Recipe) {
    debian_base(r);
    let t = epoch(2024, 11, 26, 18, 42, 8);
    r.meta(t, "LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>", |c| {
        c.labels.insert("maintainer".into(), "NGINX Docker Maintainers <docker-maint@nginx.com>".into());
    });
    r.env(t, "NGINX_VERSION", "1.27.3");
    r.env(t, "NJS_VERSION", "0.8.7");
    r.env(t, "NJS_RELEASE", "1~bookworm");
    r.env(t, "PKG_RELEASE", "1~bookworm");
    r.env(t, "DYNPKG_RELEASE", "1~bookworm");
    r.layer(t, "RUN /bin/sh -c set -x     && groupadd --system --gid 101 nginx     && useradd --system --gid nginx --no-create-home --home /nonexistent --comment \"nginx user\" --shell /bin/false --uid 101 nginx     && apt-get update     && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates curl … # buildkit", |b| {
        let passwd = format!("{DEBIAN_PASSWD}nginx:x:101:101:nginx user:/nonexistent:/bin/false\n");
        let group = format!("{DEBIAN_GROUP}nginx:x:101:\n");
        b.file("etc/passwd", &passwd, 0, 0, 0o644, t);
        b.file("etc/group", &group, 0, 0, 0o644, t);
        dirs(b, &["etc/nginx", "etc/nginx/conf.d", "etc/nginx/modules", "usr/share/nginx", "usr/share/nginx/html", "var/log/nginx", "var/cache/nginx", "usr/lib/nginx/modules"], t);
        b.file("etc/nginx/nginx.conf", NGINX_CONF, 0, 0, 0o644, t);
        b.file("etc/nginx/conf.d/default.conf", NGINX_DEFAULT_CONF, 0, 0, 0o644, t);
        b.file("etc/nginx/mime.types", NGINX_MIME_TYPES, 0, 0, 0o644, t);
        b.file("usr/share/nginx/html/index.html", NGINX_INDEX_HTML, 0, 0, 0o644, t);
        b.file("usr/share/nginx/html/50x.html", NGINX_50X_HTML, 0, 0, 0o644, t);
        symlink(b, "var/log/nginx/access.log", "/dev/stdout", t);
        symlink(b, "var/log/nginx/error.log", "/dev/stderr", t);
        program(b, "usr/sbin/nginx", Binary::Nginx, t);
        program(b, "usr/bin/curl", Binary::Curl, t);
        program(b, "usr/bin/envsubst", Binary::Gnu("envsubst"), t);
        opaque(b, "usr/lib/nginx/modules/ngx_http_js_module.so", 1_574_328, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0", 745_616, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/libperl.so.5.36.0", 4_129_072, t);
        opaque(b, "usr/lib/x86_64-linux-gnu/nginx-packages.tar", 106_954_752, t);
    });
    r.layer(t, "COPY docker-entrypoint.sh / # buildkit", |b| program(b, "docker-entrypoint.sh", Binary::NginxEntrypoint, t));
    r.layer(t, "COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit", |b| {
        program(b, "docker-entrypoint.d/10-listen-on-ipv6-by-default.sh", Binary::Script(2125), t)
    });
    r.layer(t, "COPY 15-local-resolvers.envsh /docker-entrypoint.d # buildkit", |b| {
        program(b, "docker-entrypoint.d/15-local-resolvers.envsh", Binary::Script(389), t)
    });
    r.layer(t, "COPY 20-envsubst-on-templates.sh /docker-entrypoint.d # buildkit", |b| {
        program(b, "docker-entrypoint.d/20-envsubst-on-templates.sh", Binary::Script(3018), t)
    });
    r.layer(t, "COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit", |b| {
        program(b, "docker-entrypoint.d/30-tune-worker-processes.sh", Binary::Script(4961), t)
    });
    r.meta(t, "ENTRYPOINT [\"/docker-entrypoint.sh\"]", |c| c.entrypoint = Some(vec!["/docker-entrypoint.sh".into()]));
    r.meta(t, "EXPOSE map[80/tcp:{}]", |c| c.exposed_ports = vec!["80/tcp".into()]);
    r.meta(t, "STOPSIGNAL SIGQUIT", |_| {});
    r.meta(t, "CMD [\"nginx\" \"-g\" \"daemon off;\"]", |c| c.cmd = Some(vec!["nginx".into(), "-g".into(), "daemon off;".into()]));
}

// ---------------------------------------------------------------------------- postgres

pub const PGDATA: &str = "/var/lib/postgresql/data";

fn postgres(r: &mut Recipe) {
    alpine_base(r);
    r.meta(epoch(2024, 9, 6, 22, 20, 7), "CMD [\"/bin/sh\"]", |c| c.cmd = Some(vec!["/bin/sh".into()]));
    let t = epoch(2024, 11, 22, 0, 47, 34);
    r.layer(t, "RUN /bin/sh -c set -eux; addgroup -g 70 -S postgres; adduser -u 70 -S -D -G postgres -H -h /var/lib/postgresql -s /bin/sh postgres; mkdir -p /var/lib/postgresql; chown -R postgres:postgres /var/lib/postgresql # buildkit", |b| {
        b.file("etc/passwd", &format!("{ALPINE_PASSWD}postgres:x:70:70:Linux User,,,:/var/lib/postgresql:/bin/sh\n"), 0, 0, 0o644, t);
        b.file("etc/group", &format!("{ALPINE_GROUP}postgres:x:70:postgres\n"), 0, 0, 0o644, t);
        b.dir("var/lib/postgresql", 70, 70, 0o755, t);
    });
    r.env(t, "LANG", "en_US.utf8");
    r.layer(t, "RUN /bin/sh -c mkdir /docker-entrypoint-initdb.d # buildkit", |b| {
        b.dir("docker-entrypoint-initdb.d", 0, 0, 0o755, t);
    });
    r.env(t, "PG_MAJOR", "15");
    r.env(t, "PG_VERSION", "15.10");
    r.env(t, "PG_SHA256", "54d16a7ddc2d7ad75a6d4d9dbd3a0e2b2ceb7de0f2f8d5c2d0db5b7a5e8b8f31");
    r.env(t, "DOCKER_PG_LLVM_DEPS", "llvm15-dev clang15");
    r.layer(t, "RUN /bin/sh -c set -eux; wget -O postgresql.tar.bz2 \"https://ftp.postgresql.org/pub/source/v$PG_VERSION/postgresql-$PG_VERSION.tar.bz2\"; … # buildkit", |b| {
        for tool in ["postgres", "initdb", "pg_ctl", "psql", "pg_dump", "pg_dumpall", "pg_isready", "createdb"] {
            program(b, &format!("usr/local/bin/{tool}"), Binary::Postgres(tool), t);
        }
        program(b, "sbin/su-exec", Binary::SuExec, t);
        opaque(b, "usr/local/share/postgresql/postgresql.conf.sample", 29_513, t);
        opaque(b, "usr/local/share/postgresql/pg_hba.conf.sample", 4_821, t);
        opaque(b, "usr/local/lib/postgresql/llvmjit.so", 139_112, t);
        opaque(b, "usr/lib/libLLVM15.so", 112_480_040, t);
        opaque(b, "usr/lib/libicudata.so.74.2", 31_862_904, t);
        opaque(b, "usr/local/lib/postgresql/bitcode.tar", 58_880_640, t);
        opaque(b, "usr/lib/postgres-runtime-deps.tar", 19_398_656, t);
    });
    r.layer(t, "RUN /bin/sh -c set -eux; cp -v /usr/local/share/postgresql/postgresql.conf.sample /usr/local/share/postgresql/postgresql.conf.sample.orig; sed -ri \"s!^#?(listen_addresses)\\s*=\\s*\\S+.*!\\1 = '*'!\" /usr/local/share/postgresql/postgresql.conf.sample; grep -F \"listen_addresses = '*'\" /usr/local/share/postgresql/postgresql.conf.sample # buildkit", |b| {
        opaque(b, "usr/local/share/postgresql/postgresql.conf.sample", 29_525, t);
        opaque(b, "usr/local/share/postgresql/postgresql.conf.sample.orig", 29_513, t);
    });
    r.layer(
        t,
        "RUN /bin/sh -c install --verbose --directory --owner postgres --group postgres --mode 3777 /var/run/postgresql # buildkit",
        |b| {
            b.dir("run/postgresql", 70, 70, 0o3777, t);
        },
    );
    r.env(t, "PGDATA", PGDATA);
    r.layer(t, "RUN /bin/sh -c install --verbose --directory --owner postgres --group postgres --mode 1777 \"$PGDATA\" # buildkit", |b| {
        b.dir("var/lib/postgresql", 70, 70, 0o755, t);
        b.dir("var/lib/postgresql/data", 70, 70, 0o1777, t);
    });
    r.meta(t, "VOLUME [/var/lib/postgresql/data]", |c| c.volumes = vec![PGDATA.into()]);
    r.layer(t, "COPY docker-entrypoint.sh docker-ensure-initdb.sh /usr/local/bin/ # buildkit", |b| {
        program(b, "usr/local/bin/docker-entrypoint.sh", Binary::PostgresEntrypoint, t);
        program(b, "usr/local/bin/docker-ensure-initdb.sh", Binary::Script(1165), t);
    });
    r.layer(t, "RUN /bin/sh -c ln -sT docker-ensure-initdb.sh /usr/local/bin/docker-enforce-initdb.sh # buildkit", |b| {
        symlink(b, "usr/local/bin/docker-enforce-initdb.sh", "docker-ensure-initdb.sh", t);
    });
    r.meta(t, "ENTRYPOINT [\"docker-entrypoint.sh\"]", |c| c.entrypoint = Some(vec!["docker-entrypoint.sh".into()]));
    r.meta(t, "STOPSIGNAL SIGINT", |_| {});
    r.meta(t, "EXPOSE map[5432/tcp:{}]", |c| c.exposed_ports = vec!["5432/tcp".into()]);
    r.meta(t, "CMD [\"postgres\"]", |c| c.cmd = Some(vec!["postgres".into()]));
}

// ---------------------------------------------------------------------------- python

fn python(r: &mut Recipe) {
    debian_base(r);
    let t = epoch(2024, 11, 12, 4, 9, 52);
    r.env(t, "PATH", "/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    r.env(t, "LANG", "C.UTF-8");
    r.layer(t, "RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates netbase tzdata ; rm -rf /var/lib/apt/lists/* # buildkit", |b| {
        opaque(b, "etc/ssl/certs/ca-certificates.crt", 219_342, t);
        opaque(b, "usr/share/zoneinfo/tzdata.tar", 3_358_720, t);
        b.file("etc/protocols", "ip0IP\ntcp6TCP\nudp17UDP\n", 0, 0, 0o644, t);
    });
    r.env(t, "GPG_KEY", "E3FF2839C048B25C084DEBE9B26995E310250568");
    r.env(t, "PYTHON_VERSION", "3.9.20");
    r.env(t, "PYTHON_SHA256", "6b281279efd85294d2d6993e173983a57464c0133956fbbb5536ec9646beaf0c");
    r.layer(
        t,
        "RUN /bin/sh -c set -eux; savedAptMark=\"$(apt-mark showmanual)\"; apt-get update; … python3 --version; pip3 --version # buildkit",
        |b| {
            program(b, "usr/local/bin/python3.9", Binary::Python, t);
            program(b, "usr/local/bin/pip3.9", Binary::Pip, t);
            symlink(b, "usr/local/bin/pip", "pip3.9", t);
            symlink(b, "usr/local/bin/pip3", "pip3.9", t);
            opaque(b, "usr/local/lib/libpython3.9.so.1.0", 4_473_504, t);
            dirs(b, &["usr/local/lib/python3.9", "usr/local/lib/python3.9/site-packages"], t);
            opaque(b, "usr/local/lib/python3.9/os.py", 39_063, t);
            opaque(b, "usr/local/lib/python3.9/stdlib.tar", 31_337_408, t);
            opaque(b, "usr/local/lib/python3.9/site-packages/pip.tar", 11_010_048, t);
        },
    );
    r.layer(t, "RUN /bin/sh -c set -eux; for src in idle3 pip3 pydoc3 python3 python3-config; do dst=\"$(echo \"$src\" | tr -d 3)\"; [ -s \"/usr/local/bin/$src\" ]; [ ! -e \"/usr/local/bin/$dst\" ]; ln -svT \"$src\" \"/usr/local/bin/$dst\"; done # buildkit", |b| {
        symlink(b, "usr/local/bin/python3", "python3.9", t);
        symlink(b, "usr/local/bin/python", "python3", t);
    });
    r.meta(t, "CMD [\"python3\"]", |c| c.cmd = Some(vec!["python3".into()]));
}
