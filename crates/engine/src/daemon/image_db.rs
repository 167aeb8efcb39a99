//! dockerd's image store on disk, `/var/lib/docker/image/overlay2` (oracle-155): the trail a
//! learner follows from an image to its files.
//!
//! - `layerdb/sha256/<chain id>/` for each layer in the store: `cache-id` (the name of its dir
//!   under `overlay2/`), `diff` (its diff id), `size`, `parent` (the chain below, if any) and
//!   `tar-split.json.gz` (the tar headers it was unpacked from, to export it again);
//! - `layerdb/mounts/<container id>/` for each container: `mount-id` (its layer dir),
//!   `init-id` and `parent` (the image's top chain);
//! - `imagedb/content/sha256/<image id>` (the image's configuration) and
//!   `imagedb/metadata/sha256/<image id>/` (`lastUpdated` once tagged; `parent` and
//!   `builtLocally` for a commit).
//!
//! Architecture invariant: these follow the layer, image and container stores; [`sync`] makes
//! them agree, and the daemon calls it after each change to those stores.

use serde_json::{json, Value};

use crate::fs::Data;
use crate::world::{Image, World};

/// The tar-split of a layer: as recorded for the built-in images' layers (by diff id), else an
/// estimate from the number of entries (a header line per entry, gzipped).
fn tar_split_size(world: &World, layer: usize) -> u64 {
    let Some(l) = world.layers().get(layer) else { return 0 };
    let known = [("8fe5d20945fd", 1873), ("4b75b5425ba9", 384), ("7f1dc9c1ac8a", 542), ("2fba5f96a690", 326), ("69eb2ec5c624", 437)];
    let short = l.diff_id.trim_start_matches("sha256:").get(..12).unwrap_or_default();
    if let Some((_, size)) = known.iter().find(|(d, _)| *d == short) {
        return *size;
    }
    let (_, entries) = world.fs().usage(l.root);
    74 + 96 * entries as u64
}

fn hex_of(id: &str) -> &str {
    id.strip_prefix("sha256:").unwrap_or(id)
}

/// What a record is: a directory of small files, or one file.
enum Entry {
    Dir(Vec<(&'static str, Data)>),
    File(Data),
}

fn text(s: &str) -> Data {
    Data::from_bytes(s.as_bytes())
}

/// The chain below layer `at`, as the images stack it.
fn parent_chain(world: &World, at: usize) -> Option<String> {
    let parent = world.layers().get(at)?.parent?;
    world.layers().get(parent).map(|p| p.chain_id.clone()).filter(|c| !c.is_empty())
}

fn layer_record(world: &World, at: usize) -> Entry {
    let l = &world.layers()[at];
    let mut files = vec![
        ("cache-id", text(&l.cache_id)),
        ("diff", text(&l.diff_id)),
        ("size", text(&l.size.to_string())),
        ("tar-split.json.gz", Data::Opaque(tar_split_size(world, at))),
    ];
    if let Some(p) = parent_chain(world, at) {
        files.push(("parent", text(&p)));
    }
    Entry::Dir(files)
}

fn mount_record(world: &World, at: usize) -> Entry {
    let c = &world.containers()[at];
    let image = world.image_of(c);
    let top = image.and_then(|im| im.layers.last()).and_then(|l| world.layers().get(*l)).map(|l| l.chain_id.clone());
    Entry::Dir(vec![
        ("init-id", text(&format!("{}-init", c.layer_id))),
        ("mount-id", text(&c.layer_id)),
        ("parent", text(&top.unwrap_or_default())),
    ])
}

fn image_content(world: &World, at: usize) -> Entry {
    Entry::File(text(&config_bytes(world, &world.images()[at])))
}

fn image_metadata(world: &World, at: usize) -> Entry {
    let im: &Image = &world.images()[at];
    let mut files = Vec::new();
    if !im.parent.is_empty() {
        files.push(("builtLocally", text("1")));
        files.push(("parent", text(&im.parent)));
    }
    if let Some(t) = im.last_tag_time {
        files.push(("lastUpdated", text(&crate::clock::rfc3339_nano(t))));
    }
    Entry::Dir(files)
}

/// One of the four record directories: where, its records' modes, and for each record
/// wanted its name and the position (in the store it follows) to make it from.
struct Records {
    path: &'static str,
    dir_mode: u32,
    file_mode: u32,
    wanted: Vec<(String, usize)>,
    make: fn(&World, usize) -> Entry,
}

/// Which of the stores changed: their records alone are brought in line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Layers,
    Mounts,
    Images,
    All,
}

/// Brings `image/overlay2`'s layer, mount and image records in line with the stores.
pub fn sync(world: &mut World) {
    sync_part(world, Part::All);
}

/// Brings the records of `part` in line with its store: the records of what is gone are
/// removed, those of what is new made; the others stay as they are (with their times).
pub fn sync_part(world: &mut World, part: Part) {
    let root = super::host::host_dir(world, "/var/lib/docker/image/overlay2");
    let now = world.clock().secs();
    let layers = world.layers().iter().enumerate().filter(|(_, l)| !l.chain_id.is_empty());
    let images = world.images().iter().enumerate().filter(|(_, im)| im.created != 0 || !im.history.is_empty() || !im.tags.is_empty());
    let all = [
        Records {
            path: "layerdb/sha256",
            dir_mode: 0o700,
            file_mode: 0o644,
            wanted: layers.map(|(at, l)| (hex_of(&l.chain_id).to_string(), at)).collect(),
            make: layer_record,
        },
        Records {
            path: "layerdb/mounts",
            dir_mode: 0o755,
            file_mode: 0o644,
            wanted: world.containers().iter().enumerate().map(|(at, c)| (c.id.as_str().to_string(), at)).collect(),
            make: mount_record,
        },
        Records {
            path: "imagedb/content/sha256",
            dir_mode: 0o700,
            file_mode: 0o600,
            wanted: images.clone().map(|(at, im)| (hex_of(&im.id).to_string(), at)).collect(),
            make: image_content,
        },
        Records {
            path: "imagedb/metadata/sha256",
            dir_mode: 0o700,
            file_mode: 0o644,
            wanted: images
                .filter(|(_, im)| !im.parent.is_empty() || im.last_tag_time.is_some())
                .map(|(at, im)| (hex_of(&im.id).to_string(), at))
                .collect(),
            make: image_metadata,
        },
    ];
    let wanted = |path: &str| match part {
        Part::All => true,
        Part::Layers => path == "layerdb/sha256",
        Part::Mounts => path == "layerdb/mounts",
        Part::Images => path.starts_with("imagedb/"),
    };
    for records in all.into_iter().filter(|r| wanted(r.path)) {
        let mut dir = Some(root);
        for part in records.path.split('/') {
            dir = dir.and_then(|d| world.fs().lookup(d, part));
        }
        let Some(dir) = dir else { continue };
        let present: Vec<String> = world.fs().get(dir).entries().map(|e| e.keys().cloned().collect()).unwrap_or_default();
        let missing: Vec<(String, Entry)> = records
            .wanted
            .iter()
            .filter(|(name, _)| !present.contains(name))
            .map(|(name, at)| (name.clone(), (records.make)(world, *at)))
            .collect();
        let fs = world.fs_mut();
        for gone in present.iter().filter(|n| !records.wanted.iter().any(|(w, _)| w == *n)) {
            fs.unlink(dir, gone);
        }
        for (name, entry) in missing {
            let node = match entry {
                Entry::File(data) => fs.new_file(data, 0, 0, records.file_mode, now),
                Entry::Dir(files) => {
                    let d = fs.new_dir(0, 0, records.dir_mode, now);
                    for (f, data) in files {
                        let file = fs.new_file(data, 0, 0, records.file_mode, now);
                        fs.link(d, f, file);
                    }
                    d
                }
            };
            fs.link(dir, &name, node);
        }
    }
}

/// A tag was set on image `at`: its `lastUpdated` is written anew.
pub fn retagged(world: &mut World, at: usize) {
    let Some(hex) = world.images().get(at).map(|im| hex_of(&im.id).to_string()) else { return };
    let metadata = super::host::host_dir(world, "/var/lib/docker/image/overlay2/imagedb/metadata/sha256");
    world.fs_mut().unlink(metadata, &hex);
    sync_part(world, Part::Images);
}

/// The image's configuration blob, as BuildKit writes it: the top-level keys in alphabetical
/// order, the config's in the OCI image spec's (then Docker's extensions), empty fields left
/// out. Its bytes ([`config_bytes`]) are what `imagedb/content` and `docker save` hold.
pub fn config_json(world: &World, im: &Image) -> Value {
    let c = &im.config;
    let mut config = serde_json::Map::new();
    let map = |items: &[String]| items.iter().map(|i| (i.clone(), json!({}))).collect::<serde_json::Map<_, _>>();
    if !c.user.is_empty() {
        config.insert("User".into(), c.user.clone().into());
    }
    if !c.exposed_ports.is_empty() {
        config.insert("ExposedPorts".into(), map(&c.exposed_ports).into());
    }
    if !c.env.is_empty() {
        config.insert("Env".into(), json!(c.env));
    }
    if let Some(e) = &c.entrypoint {
        config.insert("Entrypoint".into(), json!(e));
    }
    if let Some(cmd) = &c.cmd {
        config.insert("Cmd".into(), json!(cmd));
    }
    if !c.volumes.is_empty() {
        config.insert("Volumes".into(), map(&c.volumes).into());
    }
    if !c.working_dir.is_empty() {
        config.insert("WorkingDir".into(), c.working_dir.clone().into());
    }
    if !c.labels.is_empty() {
        config.insert("Labels".into(), json!(c.labels));
    }
    if let Some(signal) = &c.stop_signal {
        config.insert("StopSignal".into(), signal.clone().into());
    }
    if c.args_escaped {
        config.insert("ArgsEscaped".into(), true.into());
    }
    if !c.on_build.is_empty() {
        config.insert("OnBuild".into(), json!(c.on_build));
    }
    if let Some(shell) = &c.shell {
        config.insert("Shell".into(), json!(shell));
    }
    let history: Vec<Value> = im
        .history
        .iter()
        .map(|h| {
            let mut e = serde_json::Map::new();
            e.insert("created".into(), crate::clock::rfc3339(h.created).into());
            e.insert("created_by".into(), h.created_by.clone().into());
            if !h.comment.is_empty() {
                e.insert("comment".into(), h.comment.clone().into());
            }
            if h.empty_layer {
                e.insert("empty_layer".into(), true.into());
            }
            e.into()
        })
        .collect();
    let mut doc = serde_json::Map::new();
    doc.insert("architecture".into(), "amd64".into());
    if !im.comment.is_empty() && im.comment != "buildkit.dockerfile.v0" {
        doc.insert("comment".into(), im.comment.clone().into());
    }
    doc.insert("config".into(), config.into());
    doc.insert("created".into(), crate::clock::rfc3339(im.created).into());
    doc.insert("history".into(), history.into());
    doc.insert("os".into(), "linux".into());
    let diff_ids: Vec<String> = im.layers.iter().map(|l| world.layers()[*l].diff_id.clone()).collect();
    doc.insert("rootfs".into(), json!({"type": "layers", "diff_ids": diff_ids}));
    doc.into()
}

/// A JSON document's bytes as Go writes them: compact, with `&`, `<` and `>` escaped.
pub fn go_json(v: &Value) -> String {
    let text = v.to_string();
    text.replace('&', "\\u0026").replace('<', "\\u003c").replace('>', "\\u003e")
}

/// The bytes of the image's configuration blob.
pub fn config_bytes(world: &World, im: &Image) -> String {
    go_json(&config_json(world, im))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::{Arena, InodeId, Kind};

    fn is_dir(fs: &Arena, dir: InodeId, name: &str) -> bool {
        fs.lookup(dir, name).is_some_and(|n| matches!(fs.get(n).kind, Kind::Dir { .. }))
    }

    #[test]
    fn the_canonical_store_has_a_record_per_layer_chain_and_image() {
        let mut world = World::canonical(1);
        sync(&mut world);
        let root = super::super::host::host_dir(&world, "/var/lib/docker/image/overlay2");
        let fs = world.fs();
        let sha = fs.lookup(fs.lookup(root, "layerdb").expect("layerdb"), "sha256").expect("sha256");
        assert_eq!(fs.get(sha).entries().map(|e| e.len()), Some(7));
        let busybox = "8fe5d20945fd161caa3cc6a46e5f998a9d7fa3496126c41a498f0718ef20fd09";
        assert!(is_dir(fs, sha, busybox));
    }

    #[test]
    fn busybox_s_configuration_blob_is_the_one_its_id_is_the_digest_of() {
        let world = crate::world::World::canonical(1);
        let busybox = &world.images()[0];
        let digest = format!("sha256:{}", crate::ids::sha256_hex(super::config_bytes(&world, busybox).as_bytes()));
        assert_eq!(digest, busybox.id);
    }
}
