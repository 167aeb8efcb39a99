//! What a build writes besides the image store, as buildx does it on the client's side: the
//! image id (`--iidfile`), the build's metadata (`--metadata-file`), and the result's files
//! instead of an image (`-o`: a directory, a tarball, or a tar stream on stdout), all as the
//! user who runs `docker build` (oracle-37).

use super::buildkit::{drop_scratch, scratch_container};
use crate::fs::{FileType, Kind};
use crate::shell::Io;
use crate::userland::tar::{self, Member};
use crate::vfs::{Ctx, WriteMode};
use crate::world::{ImageConfig, World};

/// Where a build's result goes instead of the image store (`--output`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Exporter {
    /// The result's files into a host directory (`-o DIR`, `type=local,dest=DIR`).
    Local(String),
    /// The result's files as a tar archive: into a file, or to stdout (`None`: `-o -`).
    Tar(Option<String>),
}

/// Reads `-o`/`--output` as buildx does: a bare path is a local directory, `-` a tar stream,
/// otherwise `type=…,dest=…`; `None`: the image store (no `-o`, `type=image`/`docker`).
/// `Err`: buildx's message (after `ERROR: `).
pub(super) fn exporter(spec: Option<&str>) -> Result<Option<Exporter>, String> {
    let Some(spec) = spec else { return Ok(None) };
    if spec == "-" {
        return Ok(Some(Exporter::Tar(None)));
    }
    if !spec.contains('=') {
        return Ok(Some(Exporter::Local(spec.to_string())));
    }
    let field = |key: &str| spec.split(',').find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == key).map(|(_, v)| v.to_string()));
    let dest = field("dest");
    match field("type").as_deref().unwrap_or("local") {
        "local" => dest.map(|d| Some(Exporter::Local(d))).ok_or_else(|| "dest is required for local exporter".to_string()),
        "tar" => Ok(Some(Exporter::Tar(dest.filter(|d| d != "-")))),
        "image" | "docker" | "moby" => Ok(None),
        other => Err(format!("failed to solve: exporter \"{other}\" could not be found")),
    }
}

/// The result's files: the merged tree of `layers` as a scratch container sees it (the
/// image's files, nothing Docker adds to a container's).
fn result_members(world: &mut World, layers: &[usize], config: &ImageConfig) -> Vec<Member> {
    let scratch = scratch_container(world, layers, config, true);
    let root = Ctx::root(crate::vfs::Ns::Container(scratch.id.clone()));
    let mut members = Vec::new();
    let mut errors = Vec::new();
    let top: Vec<String> = world
        .resolve(&root, "/", true)
        .ok()
        .and_then(|loc| world.list(&root, &loc).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for name in top {
        tar::collect(world, &root, &format!("/{name}"), &name, &mut members, &mut errors);
    }
    drop_scratch(world, &scratch);
    members
}

/// Writes the result with `exporter` as the user of `client`; the progress
/// vertex's name and its line, or buildx's error.
pub(super) fn export(
    world: &mut World,
    client: &Ctx,
    exporter: &Exporter,
    layers: &[usize],
    config: &ImageConfig,
    io: &mut Io,
) -> Result<(&'static str, String), String> {
    let members = result_members(world, layers, config);
    match exporter {
        Exporter::Local(dest) => {
            let bytes: u64 = members.iter().map(|m| m.data.len()).sum();
            write_tree(world, client, dest, &members).map_err(|e| format!("failed to solve: error from receiver: {e}"))?;
            Ok(("exporting to client directory", format!("copying files {} 0.0s done", super::format::human_size(bytes as f64, 3))))
        }
        Exporter::Tar(dest) => {
            let archive = tar::encode(&members);
            match dest {
                Some(path) => world
                    .write_file(client, path, &crate::fs::Data::from_bytes(&archive), WriteMode::Truncate)
                    .map(|_| ())
                    .map_err(|e| format!("failed to solve: open {path}: {e}"))?,
                None => io.out.extend_from_slice(&archive),
            }
            Ok(("exporting to client tarball", "sending tarball 0.0s done".to_string()))
        }
    }
}

/// The members under `dest` (made 0700 when new, merged into when there), owned by the client
/// with the image's modes; a directory's mode is set once its entries are in.
fn write_tree(world: &mut World, client: &Ctx, dest: &str, members: &[Member]) -> Result<(), crate::fs::Errno> {
    let dest = crate::fs::normalize(&client.cwd, dest);
    if world.stat(client, &dest, true).is_err() {
        world.mkdir(client, &dest, 0o700)?;
    }
    let mut dirs = Vec::new();
    for m in members {
        let path = format!("{}/{}", dest.trim_end_matches('/'), m.name.trim_end_matches('/'));
        match m.kind {
            FileType::Dir => {
                if world.stat(client, &path, true).is_err() {
                    world.mkdir(client, &path, 0o700)?;
                }
                dirs.push((path, m.mode, m.mtime));
            }
            FileType::Symlink => {
                let _ = world.remove(client, &path, false);
                world.symlink(client, &m.link, &path)?;
            }
            _ => {
                world.write_file(client, &path, &m.data, WriteMode::Truncate)?;
                let (mode, mtime) = (m.mode, m.mtime);
                world.set_meta(client, &path, true, &mut |i| {
                    i.mode = mode;
                    i.mtime = mtime;
                })?;
            }
        }
    }
    for (path, mode, mtime) in dirs.into_iter().rev() {
        world.set_meta(client, &path, true, &mut |i| {
            if matches!(i.kind, Kind::Dir { .. }) {
                i.mode = mode;
                i.mtime = mtime;
            }
        })?;
    }
    Ok(())
}

/// `--iidfile FILE`: the image id, without a newline.
pub(super) fn write_iidfile(world: &mut World, client: &Ctx, path: &str, id: &str) -> Result<(), String> {
    world
        .write_file(client, path, &crate::fs::Data::from_bytes(id.as_bytes()), WriteMode::Truncate)
        .map(|_| ())
        .map_err(|e| format!("writing image ID file: open {path}: {}", e.to_string().to_lowercase()))
}

/// `--metadata-file FILE`: buildx's JSON (two-space indent, no final newline). The build's
/// reference is drawn from the seeded ids, as buildx draws it at random.
pub(super) fn write_metadata(world: &mut World, client: &Ctx, path: &str, id: &str, tags: &[String]) -> Result<(), String> {
    let reference = world.ids().chars(25, b"abcdefghijklmnopqrstuvwxyz0123456789");
    let mut doc = serde_json::Map::new();
    doc.insert("buildx.build.ref".into(), format!("default/default/{reference}").into());
    doc.insert("containerimage.config.digest".into(), id.into());
    doc.insert("containerimage.digest".into(), id.into());
    if !tags.is_empty() {
        let names: Vec<String> = tags.iter().map(|t| super::buildkit::hub_name(t)).collect();
        doc.insert("image.name".into(), names.join(",").into());
    }
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(doc)).unwrap_or_default();
    world
        .write_file(client, path, &crate::fs::Data::from_bytes(text.as_bytes()), WriteMode::Truncate)
        .map(|_| ())
        .map_err(|e| format!("failed to write metadata file: open {path}: {}", e.to_string().to_lowercase()))
}
