//! Docker's data root as the host sees it (`sudo ls -la /var/lib/docker`): the directories
//! dockerd makes when it starts, and overlay2's bookkeeping around each layer's `diff` — the
//! layer's short `link` name (and the `l/` symlink of that name, which keeps overlayfs' mount
//! options short), the `lower` chain of its parents' links, the `work` dir overlayfs needs
//! beside an upper dir, `committed` once the layer belongs to an image (or is a container's
//! init layer), and `merged` while a container runs: the overlay mount itself, which the host
//! can walk (oracle-138).

use crate::fs::TreeBuilder;
use crate::fs::{Arena, Data, InodeId, Kind};
use crate::world::{Container, ContainerId, World};

/// dockerd's directories and files under `/var/lib/docker`, as a fresh daemon leaves them.
/// What they hold beyond storage (BuildKit's and the network's databases) is only sized.
pub fn data_root(fs: &mut Arena, host_root: InodeId, boot: i64, seed: u64) -> InodeId {
    let mut h = TreeBuilder { fs, root: host_root };
    let root = h.dir("var/lib/docker", 0, 0, 0o710, boot);
    let mut d = TreeBuilder { fs: h.fs, root };
    d.dir("buildkit", 0, 0, 0o711, boot);
    for (name, mode, size, used) in [
        ("cache.db", 0o600, 262_144, 256),
        ("containerdmeta.db", 0o644, 1_048_576, 608),
        ("history.db", 0o600, 524_288, 512),
        ("metadata_v2.db", 0o600, 131_072, 128),
        ("snapshots.db", 0o600, 65_536, 64),
    ] {
        database(&mut d, &format!("buildkit/{name}"), mode, size, used, boot);
    }
    d.dir("buildkit/content", 0, 0, 0o755, boot);
    d.dir("buildkit/content/blobs", 0, 0, 0o755, boot);
    d.dir("buildkit/content/blobs/sha256", 0, 0, 0o755, boot);
    d.dir("buildkit/content/ingest", 0, 0, 0o755, boot);
    d.dir("buildkit/executor", 0, 0, 0o711, boot);
    d.file("buildkit/executor/runc-log.json", "", 0, 0, 0o644, boot);
    d.dir("containerd", 0, 0, 0o700, boot);
    d.dir("containerd/daemon", 0, 0, 0o700, boot);
    d.dir("containers", 0, 0, 0o710, boot);
    // A random UUID, written once and kept: the engine's id in `docker info`'s ID line.
    let uuid = crate::ids::sha256_hex(format!("engine-id {seed}").as_bytes());
    let engine_id = format!(
        "{}-{}-4{}-a{}-{}",
        uuid.get(..8).unwrap_or_default(),
        uuid.get(8..12).unwrap_or_default(),
        uuid.get(13..16).unwrap_or_default(),
        uuid.get(17..20).unwrap_or_default(),
        uuid.get(20..32).unwrap_or_default()
    );
    d.file("engine-id", &engine_id, 0, 0, 0o600, boot);
    d.dir("image", 0, 0, 0o700, boot);
    d.dir("image/overlay2", 0, 0, 0o700, boot);
    d.dir("image/overlay2/distribution", 0, 0, 0o700, boot);
    // Its content is the images' tags, generated when read.
    d.file("image/overlay2/repositories.json", "", 0, 0, 0o600, boot);
    for sub in ["imagedb", "imagedb/content", "imagedb/content/sha256", "imagedb/metadata", "imagedb/metadata/sha256"] {
        d.dir(&format!("image/overlay2/{sub}"), 0, 0, 0o700, boot);
    }
    for sub in ["layerdb", "layerdb/mounts", "layerdb/sha256", "layerdb/tmp"] {
        d.dir(&format!("image/overlay2/{sub}"), 0, 0, if sub == "layerdb" { 0o700 } else { 0o755 }, boot);
    }
    d.dir("network", 0, 0, 0o750, boot);
    d.dir("network/files", 0, 0, 0o750, boot);
    database(&mut d, "network/files/local-kv.db", 0o644, 65_536, 32, boot);
    d.dir("overlay2", 0, 0, 0o710, boot);
    d.dir("overlay2/l", 0, 0, 0o700, boot);
    d.dir("plugins", 0, 0, 0o700, boot);
    d.dir("plugins/tmp", 0, 0, 0o700, boot);
    d.dir("runtimes", 0, 0, 0o700, boot);
    d.dir("swarm", 0, 0, 0o700, boot);
    d.dir("tmp", 0, 0, 0o700, boot);
    // Left by the daemon's start-up check for recursively read-only mounts.
    d.dir(&format!("tmp/moby-detect-rro{}", 1_000_000_000 + seed % 1_000_000_000), 0, 0, 0o700, boot);
    d.dir("volumes", 0, 0, 0o701, boot);
    d.node("volumes/backingFsBlockDev", Kind::BlockDev { major: 254, minor: 0 }, 0, 0, 0o600, boot);
    // The volumes' bolt database: 32 KiB long, 24 KiB of it written.
    database(&mut d, "volumes/metadata.db", 0o600, 32_768, 24, boot);
    root
}

/// A database file of `size` bytes of which `used_kib` are allocated (bolt files are sparse).
fn database(d: &mut TreeBuilder, path: &str, mode: u32, size: u64, used_kib: u64, time: i64) {
    let id = d.node(path, Kind::File(Data::Opaque(size)), 0, 0, mode, time);
    let used = used_kib * 1024;
    if used < size {
        d.fs.get_mut(id).holes = vec![(used, size)];
    }
}

/// A layer dir's short link name: 26 characters of base32, as overlay2's `link` files hold.
/// A container's is derived from its layer id, so that naming it draws nothing from the ids.
pub fn link_of(layer_id: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    use sha2::Digest;
    sha2::Sha256::digest(format!("link {layer_id}").as_bytes()).iter().take(26).map(|b| ALPHABET[usize::from(*b) % 32] as char).collect()
}

/// A new layer dir's bookkeeping beside its `diff`: its `link` file and `l/` symlink, and
/// `committed` for an image's layer.
pub fn register_layer_dir(fs: &mut Arena, overlay_dir: InodeId, dir: InodeId, name: &str, link: &str, committed: bool, time: i64) {
    let link_file = fs.new_file(Data::from_bytes(link.as_bytes()), 0, 0, 0o644, time);
    fs.link(dir, "link", link_file);
    if committed {
        let c = fs.new_file(Data::empty(), 0, 0, 0o600, time);
        fs.link(dir, "committed", c);
    }
    if let Some(l) = fs.lookup(overlay_dir, "l") {
        let target = fs.new_node(Kind::Symlink(format!("../{name}/diff")), 0, 0, 0o777, time);
        fs.link(l, link, target);
    }
}

/// A layer with parents gets `lower` (the parents' links, nearest first) and the `work` dir
/// overlayfs uses beside an upper dir; the base layer has neither.
pub fn chain_layer_dir(fs: &mut Arena, dir: InodeId, lower_links: &[String], time: i64) {
    if lower_links.is_empty() || fs.lookup(dir, "lower").is_some() {
        return;
    }
    let lower: Vec<String> = lower_links.iter().map(|l| format!("l/{l}")).collect();
    let file = fs.new_file(Data::from_bytes(lower.join(":").as_bytes()), 0, 0, 0o644, time);
    fs.link(dir, "lower", file);
    let work = fs.new_dir(0, 0, 0o700, time);
    fs.link(dir, "work", work);
    let inner = fs.new_dir(0, 0, 0, time);
    fs.link(work, "work", inner);
}

/// The links of a stack of layers (bottom first, as an image lists them), top first: the
/// `lower` of what sits on them.
pub fn links_of(world: &World, layers: &[usize]) -> Vec<String> {
    layers.iter().rev().filter_map(|l| world.layers().get(*l)).map(|l| l.link_id.clone()).collect()
}

/// Every image layer's `lower` and `work`, once the images say which layer sits on which.
pub fn chain_image_layers(world: &mut World) {
    let now = world.clock().secs();
    let overlay = super::host::host_dir(world, "/var/lib/docker/overlay2");
    for i in 0..world.images().len() {
        let layers = world.images()[i].layers.clone();
        for (k, l) in layers.iter().enumerate() {
            let below = links_of(world, layers.get(..k).unwrap_or_default());
            let Some(cache_id) = world.layers().get(*l).map(|x| x.cache_id.clone()) else { continue };
            let Some(dir) = world.fs().lookup(overlay, &cache_id) else { continue };
            chain_layer_dir(world.fs_mut(), dir, &below, now);
        }
    }
}

/// A container's two layer dirs' bookkeeping: the init layer (committed, on the image's
/// layers) and the upper dir's (on the init layer).
pub fn register_container_dirs(world: &mut World, c: &Container, upper_parent: InodeId, init_parent: InodeId, time: i64) {
    let overlay = super::host::host_dir(world, "/var/lib/docker/overlay2");
    let image_layers = world.image_of(c).map(|im| im.layers.clone()).unwrap_or_default();
    let below = links_of(world, &image_layers);
    let fs = world.fs_mut();
    register_layer_dir(fs, overlay, init_parent, &format!("{}-init", c.layer_id), &c.init_link, true, time);
    chain_layer_dir(fs, init_parent, &below, time);
    register_layer_dir(fs, overlay, upper_parent, &c.layer_id, &link_of(&c.layer_id), false, time);
    let mut with_init = vec![c.init_link.clone()];
    with_init.extend(below);
    chain_layer_dir(fs, upper_parent, &with_init, time);
}

/// The `l/` symlinks of a removed container's layer dirs go with them.
pub fn unregister_container_dirs(world: &mut World, c: &Container) {
    let overlay = super::host::host_dir(world, "/var/lib/docker/overlay2");
    let Some(l) = world.fs().lookup(overlay, "l") else { return };
    world.fs_mut().unlink(l, &c.init_link);
    world.fs_mut().unlink(l, &link_of(&c.layer_id));
}

/// `merged`: overlayfs is mounted there while the container runs, and the dir goes when it
/// is unmounted (a stopped container's layer dir has none).
pub fn set_merged(world: &mut World, layer_id: &str, mounted: bool) {
    let overlay = super::host::host_dir(world, "/var/lib/docker/overlay2");
    let Some(dir) = world.fs().lookup(overlay, layer_id) else { return };
    let present = world.fs().lookup(dir, "merged").is_some();
    if mounted && !present {
        let now = world.clock().secs();
        let merged = world.fs_mut().new_dir(0, 0, 0o755, now);
        world.fs_mut().link(dir, "merged", merged);
    } else if !mounted && present {
        world.fs_mut().unlink(dir, "merged");
    }
}

/// The hash Docker keeps beside resolv.conf to see a learner's edits: `RESOLV_CONF`'s sha256
/// (checked by a test).
const RESOLV_CONF_HASH: &str = "sha256:ff3d0d7ea38927e845b27fdc4eb73ed7bd1db3b2e3a195c4af2af86f684565d8";

/// What Docker's resolv.conf holds on this machine (its nameserver is the host's).
const RESOLV_CONF: &str = "# Generated by Docker Engine.\n# This file can be edited; Docker Engine will not make further changes once it\n# has been modified.\n\nnameserver 10.255.255.53\n\n# Based on host file: '/etc/resolv.conf'\n# Overrides: []\n";

/// `/var/lib/docker/containers/<id>` as `docker create` leaves it: the dir, `checkpoints`,
/// and the container's `config.v2.json` and `hostconfig.json` (whose text is generated when
/// read: docker/container_files.rs).
pub fn container_dir(world: &mut World, id: &ContainerId, time: i64) {
    let cdir = super::host::host_dir(world, "/var/lib/docker/containers");
    let own = world.fs_mut().new_dir(0, 0, 0o710, time);
    world.fs_mut().link(cdir, id.as_str(), own);
    let mut b = TreeBuilder { fs: world.fs_mut(), root: own };
    b.dir("checkpoints", 0, 0, 0o700, time);
    b.file("config.v2.json", "", 0, 0, 0o600, time);
    b.file("hostconfig.json", "", 0, 0, 0o600, time);
}

/// What the first start adds (cfg1): the files Docker bind-mounts into the container
/// (hostname, hosts, resolv.conf and the hash it checks for a learner's edits), the log the
/// json-file driver writes (generated from the container's output when read), and `mounts`.
pub fn container_runtime_files(world: &mut World, c: &Container, time: i64) {
    let Some(own) = world.fs().lookup(super::host::host_dir(world, "/var/lib/docker/containers"), c.id.as_str()) else { return };
    if world.fs().lookup(own, "hostname").is_some() {
        return;
    }
    let mut b = TreeBuilder { fs: world.fs_mut(), root: own };
    b.file(&format!("{}-json.log", c.id), "", 0, 0, 0o640, time);
    b.file("hostname", &format!("{}\n", c.hostname), 0, 0, 0o644, time);
    // `--add-host NAME:IP` lines follow Docker's own.
    let mut hosts = String::from("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
    for h in &c.host.extra_hosts {
        if let Some((name, ip)) = h.split_once(':') {
            hosts.push_str(&format!("{ip}\t{name}\n"));
        }
    }
    b.file("hosts", &hosts, 0, 0, 0o644, time);
    b.dir("mounts", 0, 0, 0o710, time);
    b.file("resolv.conf", RESOLV_CONF, 0, 0, 0o644, time);
    b.file("resolv.conf.hash", RESOLV_CONF_HASH, 0, 0, 0o644, time);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_resolv_conf_hash_is_the_files_sha256() {
        let hash = format!("sha256:{}", crate::ids::sha256_hex(super::RESOLV_CONF.as_bytes()));
        assert_eq!(hash, super::RESOLV_CONF_HASH);
    }
}
