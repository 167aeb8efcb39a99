//! Images as tar files: `docker save` (an OCI layout with Docker's `manifest.json` and
//! `repositories`), `docker load` (its images back into the store, layers already there kept)
//! and `docker import` (a root filesystem, such as `docker export` writes, as a one-layer
//! image). Recorded in oracle-43.
//!
//! An archive holds the layers as tar streams (whiteouts as `.wh.` files, an opaque directory
//! as `.wh..wh..opq`), each image's config and manifest, and per layer the legacy v1 JSON
//! Docker 26 still writes (shortened: its id, parent and time). Blobs are named as the store
//! names them: a layer by its diff id, a config by the image id.

use serde_json::{json, Value};

use super::flags::{self, flag, opt};
use super::{arg_count_error, find_image, normalized_ref, usage_error};
use crate::clock::rfc3339;
use crate::daemon::images::{add_image, make_image};
use crate::daemon::layers::{revive_layer, sha256_hex, store_unpacked_layer};
use crate::fs::{Data, FileType, InodeId, Kind};
use crate::shell::{Io, Shell};
use crate::userland::tar::{self, Member};
use crate::vfs::WriteMode;
use crate::world::{HistoryEntry, Image, ImageConfig, World};

/// A layer's tree as the members of its tar stream.
fn layer_members(world: &World, root: InodeId) -> Vec<Member> {
    let mut members = Vec::new();
    let member = |name: String, kind: FileType, inode: &crate::fs::Inode, data: Data, link: String| Member {
        name,
        kind,
        mode: inode.mode,
        uid: inode.uid,
        gid: inode.gid,
        uname: String::new(),
        gname: String::new(),
        mtime: inode.mtime,
        data,
        link,
    };
    world.fs().walk(root, "", &mut |path, _, inode| {
        let name = path.trim_start_matches('/').to_string();
        match &inode.kind {
            Kind::Dir { opaque, .. } => {
                members.push(member(format!("{name}/"), FileType::Dir, inode, Data::empty(), String::new()));
                if *opaque {
                    members.push(member(format!("{name}/.wh..wh..opq"), FileType::File, inode, Data::empty(), String::new()));
                }
            }
            Kind::File(d) => members.push(member(name, FileType::File, inode, d.clone(), String::new())),
            Kind::Symlink(t) => members.push(member(name, FileType::Symlink, inode, Data::empty(), t.clone())),
            Kind::Whiteout => {
                let (parent, base) = crate::fs::parent_and_name(&name);
                let wh = if parent.is_empty() { format!(".wh.{base}") } else { format!("{parent}/.wh.{base}") };
                members.push(member(wh, FileType::File, inode, Data::empty(), String::new()));
            }
            Kind::Fifo => members.push(member(name, FileType::Fifo, inode, Data::empty(), String::new())),
            Kind::CharDev { .. } | Kind::BlockDev { .. } | Kind::Socket => {}
        }
    });
    members
}

/// A tree (a layer's, or a root filesystem's) from tar members.
fn tree_from_members(world: &mut World, members: &[Member], mtime: i64) -> InodeId {
    let root = world.fs_mut().new_dir(0, 0, 0o755, mtime);
    for m in members {
        let name = m.name.trim_start_matches("./").trim_matches('/');
        let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
        let Some((last, dirs)) = parts.split_last() else { continue };
        let mut dir = root;
        for d in dirs {
            dir = match world.fs().lookup(dir, d) {
                Some(id) if world.fs().get(id).is_dir() => id,
                _ => {
                    let id = world.fs_mut().new_dir(0, 0, 0o755, mtime);
                    world.fs_mut().link(dir, d, id);
                    id
                }
            };
        }
        if *last == ".wh..wh..opq" {
            if let Kind::Dir { opaque, .. } = &mut world.fs_mut().get_mut(dir).kind {
                *opaque = true;
            }
            continue;
        }
        let (name, kind) = match last.strip_prefix(".wh.") {
            Some(hidden) => (hidden, Kind::Whiteout),
            None => (
                *last,
                match m.kind {
                    FileType::Dir => Kind::Dir { entries: Default::default(), opaque: false },
                    FileType::Symlink => Kind::Symlink(m.link.clone()),
                    _ => Kind::File(m.data.clone()),
                },
            ),
        };
        match world.fs().lookup(dir, name) {
            // A directory listed again (or made as a parent first) takes the member's owner and mode.
            Some(id) if world.fs().get(id).is_dir() && m.kind == FileType::Dir => {
                let inode = world.fs_mut().get_mut(id);
                (inode.uid, inode.gid, inode.mode, inode.mtime) = (m.uid, m.gid, m.mode, m.mtime);
            }
            _ => {
                let id = world.fs_mut().new_node(kind, m.uid, m.gid, m.mode, m.mtime);
                world.fs_mut().unlink(dir, name);
                world.fs_mut().link(dir, name, id);
            }
        }
    }
    root
}

/// An image's config, history and times back from its blob.
fn config_from_json(v: &Value) -> (ImageConfig, Vec<HistoryEntry>, i64, String) {
    let c = &v["config"];
    let strings = |x: &Value| x.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect::<Vec<_>>());
    let keys = |x: &Value| x.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    let time = |x: &Value| x.as_str().and_then(crate::clock::parse_rfc3339).unwrap_or(0);
    let config = ImageConfig {
        user: c["User"].as_str().unwrap_or_default().to_string(),
        env: strings(&c["Env"]).unwrap_or_default(),
        cmd: strings(&c["Cmd"]),
        entrypoint: strings(&c["Entrypoint"]),
        working_dir: c["WorkingDir"].as_str().unwrap_or_default().to_string(),
        volumes: keys(&c["Volumes"]),
        labels: c["Labels"]
            .as_object()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
            .unwrap_or_default(),
        exposed_ports: keys(&c["ExposedPorts"]),
        args_escaped: c["ArgsEscaped"].as_bool().unwrap_or(false),
        stop_signal: c["StopSignal"].as_str().map(str::to_string),
        shell: strings(&c["Shell"]),
        on_build: strings(&c["OnBuild"]).unwrap_or_default(),
        healthcheck: None,
    };
    let history = v["history"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| HistoryEntry {
                    created: time(&h["created"]),
                    created_by: h["created_by"].as_str().unwrap_or_default().to_string(),
                    empty_layer: h["empty_layer"].as_bool().unwrap_or(false),
                    comment: h["comment"].as_str().unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    (config, history, time(&v["created"]), v["comment"].as_str().unwrap_or_default().to_string())
}

fn file_member(name: &str, bytes: &[u8], mtime: i64) -> Member {
    Member {
        name: name.to_string(),
        kind: FileType::File,
        mode: 0o644,
        uid: 0,
        gid: 0,
        uname: String::new(),
        gname: String::new(),
        mtime,
        data: Data::from_bytes(bytes),
        link: String::new(),
    }
}

/// `docker save [-o FILE] IMAGE…`.
pub(super) fn save(world: &mut World, sh: &Shell, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[opt("output", Some('o')), opt("platform", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "save", &e),
    };
    if parsed.operands.is_empty() {
        return arg_count_error(
            io,
            "save",
            "at least 1 argument",
            "[OPTIONS] IMAGE [IMAGE...]",
            "Save one or more images to a tar archive (streamed to STDOUT by default)",
        );
    }
    let mut images = Vec::new();
    for name in &parsed.operands {
        match find_image(world, name) {
            Some(i) => images.push((i, name.clone())),
            None => {
                io.err_line("Error response from daemon: reference does not exist");
                return 1;
            }
        }
    }
    if parsed.get("output").is_none() && io.stdout_terminal {
        io.err_line("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        return 1;
    }
    let mtime = world.clock().secs();
    let dir = |name: &str| Member { kind: FileType::Dir, mode: 0o755, ..file_member(name, b"", mtime) };
    let mut members = vec![dir("blobs/"), dir("blobs/sha256/")];
    let mut written: Vec<String> = Vec::new();
    let (mut manifest, mut index, mut repositories) = (Vec::new(), Vec::new(), serde_json::Map::new());
    for (i, name) in images {
        let im = world.images()[i].clone();
        let hex = |id: &str| id.trim_start_matches("sha256:").to_string();
        let mut layer_paths = Vec::new();
        let mut sources = serde_json::Map::new();
        let mut descriptors = Vec::new();
        for l in &im.layers {
            let layer = world.layers()[*l].clone();
            let blob = tar::encode(&layer_members(world, layer.root));
            let digest = hex(&layer.diff_id);
            let descriptor =
                json!({"mediaType": "application/vnd.oci.image.layer.v1.tar", "size": blob.len(), "digest": format!("sha256:{digest}")});
            sources.insert(format!("sha256:{digest}"), descriptor.clone());
            descriptors.push(descriptor);
            layer_paths.push(format!("blobs/sha256/{digest}"));
            if !written.contains(&digest) {
                members.push(file_member(&format!("blobs/sha256/{digest}"), &blob, im.created));
                written.push(digest);
            }
        }
        let config_doc = crate::daemon::image_db::config_json(world, &im);
        // The legacy v1 JSON of each layer: ids chained from the bottom, the top one with the config.
        let mut parent = String::new();
        for (k, l) in im.layers.iter().enumerate() {
            let v1_id = sha256_hex(format!("{parent} {}", world.layers()[*l].diff_id).as_bytes());
            let mut v1 = json!({"id": v1_id, "created": rfc3339(im.created), "os": "linux"});
            if !parent.is_empty() {
                v1["parent"] = parent.clone().into();
            }
            if k + 1 == im.layers.len() {
                v1["config"] = config_doc["config"].clone();
            }
            let bytes = serde_json::to_vec(&v1).unwrap_or_default();
            let digest = sha256_hex(&bytes);
            if !written.contains(&digest) {
                members.push(file_member(&format!("blobs/sha256/{digest}"), &bytes, im.created));
                written.push(digest);
            }
            parent = v1_id;
        }
        let config = crate::daemon::image_db::go_json(&config_doc).into_bytes();
        let config_hex = hex(&im.id);
        if !written.contains(&config_hex) {
            members.push(file_member(&format!("blobs/sha256/{config_hex}"), &config, im.created));
            written.push(config_hex.clone());
        }
        let oci = json!({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": im.id, "size": config.len()},
            "layers": descriptors,
        });
        let oci_bytes = serde_json::to_vec(&oci).unwrap_or_default();
        let oci_hex = sha256_hex(&oci_bytes);
        if !written.contains(&oci_hex) {
            members.push(file_member(&format!("blobs/sha256/{oci_hex}"), &oci_bytes, 0));
            written.push(oci_hex.clone());
        }
        // Saved by name, an image keeps that name; by id, it has none.
        let tag = im.tags.iter().find(|t| **t == normalized_ref(&name)).cloned();
        let mut entry = json!({"Config": format!("blobs/sha256/{config_hex}"), "RepoTags": tag.iter().collect::<Vec<_>>(), "Layers": layer_paths, "LayerSources": sources});
        if tag.is_none() {
            entry["RepoTags"] = Value::Null;
        }
        manifest.push(entry);
        let mut annotations = serde_json::Map::new();
        if let Some((repo, t)) = tag.as_ref().and_then(|t| t.rsplit_once(':')) {
            let full = if repo.contains('/') { format!("docker.io/{repo}:{t}") } else { format!("docker.io/library/{repo}:{t}") };
            annotations.insert("io.containerd.image.name".into(), full.into());
            annotations.insert("org.opencontainers.image.ref.name".into(), t.into());
            let top = im.layers.last().map(|l| hex(&world.layers()[*l].diff_id)).unwrap_or_default();
            repositories.entry(repo.to_string()).or_insert_with(|| json!({}))[t] = top.into();
        }
        index.push(json!({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": format!("sha256:{oci_hex}"), "size": oci_bytes.len(), "annotations": annotations}));
    }
    let text = |v: &Value| serde_json::to_vec(v).unwrap_or_default();
    members.push(file_member(
        "index.json",
        &text(&json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": index})),
        mtime,
    ));
    // Docker ends these two with a newline, the OCI files without.
    let line = |v: &Value| [text(v), b"\n".to_vec()].concat();
    members.push(file_member("manifest.json", &line(&Value::Array(manifest)), 0));
    members.push(file_member("oci-layout", b"{\"imageLayoutVersion\": \"1.0.0\"}", 0));
    members.push(file_member("repositories", &line(&Value::Object(repositories)), 0));
    let archive = tar::encode(&members);
    match parsed.get("output") {
        Some(path) => match world.write_file(&sh.ctx, path, &Data::from_bytes(&archive), WriteMode::Truncate) {
            Ok(_) => 0,
            Err(e) => {
                io.err_line(&format!("failed to save image: open {path}: {}", e.to_string().to_lowercase()));
                1
            }
        },
        None => {
            io.write_out(&archive);
            0
        }
    }
}

/// The archive a command reads: `-i FILE`, a file operand, or stdin.
fn read_archive(world: &World, sh: &Shell, path: Option<&str>, io: &mut Io) -> Result<Vec<u8>, String> {
    let bytes = match path.filter(|p| *p != "-") {
        Some(p) => world.read(&sh.ctx, p).map(|d| d.to_vec()).map_err(|e| format!("open {p}: {}", e.to_string().to_lowercase()))?,
        None => std::mem::take(&mut io.stdin),
    };
    // The daemon takes a gzipped archive as it is (`docker save IMAGE | gzip`).
    if crate::userland::gzip::is_gzip(&bytes) {
        if let Ok(d) = crate::userland::gzip::decompress(&bytes) {
            return Ok(d.data);
        }
    }
    Ok(bytes)
}

/// `docker load [-i FILE] [-q]`.
pub(super) fn load(world: &mut World, sh: &Shell, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[opt("input", Some('i')), flag("quiet", Some('q')), opt("platform", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "load", &e),
    };
    let bytes = match read_archive(world, sh, parsed.get("input"), io) {
        Ok(b) if b.is_empty() => {
            io.err_line("requested load from stdin, but stdin is empty");
            return 1;
        }
        Ok(b) => b,
        Err(m) => {
            io.err_line(&m);
            return 1;
        }
    };
    let Some(members) = tar::decode(&bytes) else {
        io.err_line("Error response from daemon: unexpected EOF");
        return 1;
    };
    let blob = |path: &str| members.iter().find(|m| m.name.trim_start_matches("./") == path).map(|m| m.data.to_vec());
    let Some(manifest) = blob("manifest.json").and_then(|b| serde_json::from_slice::<Value>(&b).ok()) else {
        io.err_line("Error response from daemon: open /var/lib/docker/tmp/docker-import/manifest.json: no such file or directory");
        return 1;
    };
    for entry in manifest.as_array().cloned().unwrap_or_default() {
        let config_path = entry["Config"].as_str().unwrap_or_default();
        let Some(config) = blob(config_path).and_then(|b| serde_json::from_slice::<Value>(&b).ok()) else { continue };
        let (config_v, history, created, comment) = config_from_json(&config);
        // Each layer: the one in the store with that diff id, or a new one from its blob.
        let mut layers: Vec<usize> = Vec::new();
        for path in entry["Layers"].as_array().cloned().unwrap_or_default() {
            let path = path.as_str().unwrap_or_default();
            let diff = format!("sha256:{}", path.rsplit('/').next().unwrap_or_default());
            let known = world.layers().iter().position(|l| l.diff_id == diff);
            let l = match known {
                Some(l) => {
                    revive_layer(world, &layers, l);
                    l
                }
                None => {
                    let layer_members = blob(path).and_then(|b| tar::decode(&b)).unwrap_or_default();
                    let root = tree_from_members(world, &layer_members, created);
                    store_unpacked_layer(world, &layers, root)
                }
            };
            layers.push(l);
        }
        let id = format!("sha256:{}", config_path.rsplit('/').next().unwrap_or_default());
        let tags: Vec<String> =
            entry["RepoTags"].as_array().map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_string)).collect()).unwrap_or_default();
        let image = Image {
            id: id.clone(),
            tags: tags.clone(),
            layers,
            history,
            config: config_v,
            created,
            comment,
            parent: String::new(),
            last_tag_time: None,
            size: 0,
        };
        add_image(world, image);
        if tags.is_empty() {
            io.out_str(&format!("Loaded image ID: {id}\n"));
        }
        for t in tags {
            io.out_str(&format!("Loaded image: {t}\n"));
        }
    }
    0
}

/// `docker import [-c CHANGE] [-m MESSAGE] FILE|- [REPOSITORY[:TAG]]`.
pub(super) fn import(world: &mut World, sh: &Shell, args: &[String], io: &mut Io) -> i32 {
    let parsed = match flags::parse(args, &[opt("change", Some('c')), opt("message", Some('m')), opt("platform", None)], false) {
        Ok(p) => p,
        Err(e) => return usage_error(io, "import", &e),
    };
    let Some(source) = parsed.operands.first() else {
        return arg_count_error(
            io,
            "import",
            "at least 1 argument",
            "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
            "Import the contents from a tarball to create a filesystem image",
        );
    };
    let bytes = match read_archive(world, sh, Some(source), io) {
        Ok(b) => b,
        Err(m) => {
            io.err_line(&m);
            return 1;
        }
    };
    let mut config = ImageConfig::default();
    for change in parsed.all("change") {
        if let Err(m) = super::commit::apply_change(&mut config, &change) {
            io.err_line(&format!("Error response from daemon: {m}"));
            return 1;
        }
    }
    let Some(members) = tar::decode(&bytes) else {
        io.err_line("Error response from daemon: archive/tar: invalid tar header");
        return 1;
    };
    let now = world.clock().secs();
    let root = tree_from_members(world, &members, now);
    let layer = store_unpacked_layer(world, &[], root);
    // The CLI streams the file: the daemon sees `-` either way.
    let comment = parsed.get("message").map_or_else(|| "Imported from -".to_string(), str::to_string);
    let tags = parsed.operands.get(1).map(|r| vec![normalized_ref(r)]).unwrap_or_default();
    let history = vec![HistoryEntry { created: now, created_by: String::new(), empty_layer: false, comment: comment.clone() }];
    let image = Image {
        id: String::new(),
        tags,
        layers: vec![layer],
        history,
        config,
        created: now,
        comment,
        parent: String::new(),
        last_tag_time: None,
        size: 0,
    };
    let id = make_image(world, image);
    io.out_str(&format!("{id}\n"));
    0
}
