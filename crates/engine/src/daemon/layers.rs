//! The layer store: a layer is a tree of files, whiteouts and opaque directories, stored once
//! under `/var/lib/docker/overlay2` and named by its content (equal content, same layer).
//!
//! Architecture invariant: image layers never change once stored.

use sha2::{Digest, Sha256};

use crate::fs::{InodeId, Kind};
use crate::world::{Image, Layer, World};

/// The diff id of a layer with no changes (a `WORKDIR` that exists, an empty commit).
pub const EMPTY_LAYER_DIFF_ID: &str = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

use crate::ids::hex;
pub use crate::ids::sha256_hex;

/// A digest of a layer tree's content (names, types, owners, modes, times, data).
fn tree_digest(world: &World, root: InodeId) -> String {
    let mut h = Sha256::new();
    world.fs().walk(root, "", &mut |path, _, inode| {
        h.update(path.as_bytes());
        h.update(format!("\0{:?}\0{}:{}:{:o}:{}\0", inode.file_type(), inode.uid, inode.gid, inode.mode, inode.mtime).as_bytes());
        match &inode.kind {
            Kind::File(crate::fs::Data::Bytes(b)) => h.update(b),
            Kind::File(crate::fs::Data::Opaque(n)) => h.update(format!("opaque:{n}").as_bytes()),
            Kind::Symlink(t) => h.update(t.as_bytes()),
            Kind::Dir { opaque: true, .. } => h.update(b"opaque"),
            Kind::Whiteout => h.update(b"whiteout"),
            _ => {}
        }
    });
    format!("sha256:{}", hex(&h.finalize()))
}

/// Stores `root` as a layer on top of `parent_layers`; equal content gives the same layer.
pub fn store_layer(world: &mut World, parent_layers: &[usize], root: InodeId) -> usize {
    store(world, parent_layers, root, true)
}

/// Stores a layer unpacked from an archive (`docker load`, `import`, a pull): overlay2 marks
/// its dir `committed` only for a layer it made itself (oracle-155).
pub fn store_unpacked_layer(world: &mut World, parent_layers: &[usize], root: InodeId) -> usize {
    store(world, parent_layers, root, false)
}

fn store(world: &mut World, parent_layers: &[usize], root: InodeId, committed: bool) -> usize {
    let diff_id = if world.fs().get(root).entries().map(|e| e.is_empty()).unwrap_or(true) {
        EMPTY_LAYER_DIFF_ID.to_string()
    } else {
        tree_digest(world, root)
    };
    let chain_id = chain_of(world, parent_layers, &diff_id);
    if let Some(i) = world.layers().iter().position(|l| l.chain_id == chain_id && !l.chain_id.is_empty()) {
        return i;
    }
    let cache_id = world.ids().chars(25, b"abcdefghijklmnopqrstuvwxyz0123456789");
    let link_id = world.ids().chars(26, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    let overlay = super::host::host_dir(world, "/var/lib/docker/overlay2");
    // The daemon unpacks a new layer's diff now: its inodes are changed and born now.
    let now = world.clock().secs();
    world.fs_mut().unpacked_at(root, now);
    let (fs, layers) = world.layer_store();
    let i = add_layer(fs, layers, overlay, &diff_id, &cache_id, &link_id, root);
    if let Some(layer) = world.layer_mut(i) {
        layer.chain_id = chain_id;
        layer.parent = parent_layers.last().copied();
    }
    if !committed {
        if let Some(dir) = world.fs().lookup(overlay, &cache_id) {
            world.fs_mut().unlink(dir, "committed");
        }
    }
    let below = super::docker_root::links_of(world, parent_layers);
    if let Some(dir) = world.fs().lookup(overlay, &cache_id) {
        super::docker_root::chain_layer_dir(world.fs_mut(), dir, &below, now);
    }
    super::image_db::sync_part(world, super::image_db::Part::Layers);
    i
}

/// The chain id of a layer `diff_id` on top of `parent_layers` (OCI's ChainID).
fn chain_of(world: &World, parent_layers: &[usize], diff_id: &str) -> String {
    let parent_chain = parent_layers.last().map(|l| world.layers()[*l].chain_id.clone()).unwrap_or_default();
    chain_id(&parent_chain, diff_id)
}

/// OCI's ChainID of a layer `diff_id` over its parent's chain id (none for a base layer).
pub fn chain_id(parent_chain: &str, diff_id: &str) -> String {
    if parent_chain.is_empty() {
        diff_id.to_string()
    } else {
        format!("sha256:{}", sha256_hex(format!("{parent_chain} {diff_id}").as_bytes()))
    }
}

/// A layer released with its image is in the store again (`docker load` of an archive that
/// holds it, its tree kept), unpacked again into a new dir.
pub fn revive_layer(world: &mut World, parent_layers: &[usize], at: usize) {
    let Some(diff_id) = world.layers().get(at).filter(|l| l.chain_id.is_empty()).map(|l| l.diff_id.clone()) else { return };
    let chain_id = chain_of(world, parent_layers, &diff_id);
    if let Some(layer) = world.layer_mut(at) {
        layer.chain_id = chain_id;
        layer.parent = parent_layers.last().copied();
    }
    // Its dir is made again under `overlay2`, with a new link.
    let overlay = super::host::host_dir(world, "/var/lib/docker/overlay2");
    let link_id = world.ids().chars(26, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    let now = world.clock().secs();
    let below = super::docker_root::links_of(world, parent_layers);
    let Some(layer) = world.layer_mut(at) else { return };
    layer.link_id = link_id.clone();
    let (cache_id, root) = (layer.cache_id.clone(), layer.root);
    let fs = world.fs_mut();
    let dir = fs.new_dir(0, 0, 0o710, now);
    fs.link(overlay, &cache_id, dir);
    fs.link(dir, "diff", root);
    super::docker_root::register_layer_dir(fs, overlay, dir, &cache_id, &link_id, false, now);
    super::docker_root::chain_layer_dir(fs, dir, &below, now);
    super::image_db::sync_part(world, super::image_db::Part::Layers);
}

/// A released layer's dir leaves `overlay2`, its `l/` link with it; the tree stays with the
/// layer, for an archive that brings it back.
fn remove_layer_dir(world: &mut World, at: usize) {
    let Some((cache_id, link_id)) = world.layers().get(at).map(|l| (l.cache_id.clone(), l.link_id.clone())) else { return };
    let overlay = super::host::host_dir(world, "/var/lib/docker/overlay2");
    if let Some(l) = world.fs().lookup(overlay, "l") {
        world.fs_mut().unlink(l, &link_id);
    }
    world.fs_mut().unlink(overlay, &cache_id);
}

/// The layers of a removed image that no other image uses and the build cache does not keep
/// are released (their chain ids emptied); returned as they were, last layer first.
pub fn release_layers(world: &mut World, image: &Image) -> Vec<Layer> {
    let mut released = Vec::new();
    for l in image.layers.iter().rev() {
        let used = world.image_holds_layer(*l) || world.build_cache().holds_layer(*l);
        let Some(layer) = world.layer_mut(*l) else { continue };
        if !used && !layer.pinned && !layer.chain_id.is_empty() {
            released.push(layer.clone());
            layer.chain_id.clear();
            remove_layer_dir(world, *l);
        }
    }
    super::image_db::sync(world);
    released
}

/// A layer the last build cache record that held it let go of (no image uses it): released;
/// whether it was still in the store.
pub fn release_layer(world: &mut World, at: usize) -> bool {
    match world.layer_mut(at) {
        Some(layer) if !layer.pinned && !layer.chain_id.is_empty() => {
            layer.chain_id.clear();
            remove_layer_dir(world, at);
            super::image_db::sync_part(world, super::image_db::Part::Layers);
            true
        }
        _ => false,
    }
}

/// Adds a layer to the store and links its diff dir under `/var/lib/docker/overlay2/<cache_id>/diff`.
pub fn add_layer(
    world_fs: &mut crate::fs::Arena,
    layers: &mut Vec<Layer>,
    overlay_dir: InodeId,
    diff_id: &str,
    cache_id: &str,
    link_id: &str,
    root: InodeId,
) -> usize {
    let (size, _) = world_fs.usage(root);
    let chain_id = diff_id.to_string();
    let time = world_fs.get(root).mtime;
    let dir = world_fs.new_dir(0, 0, 0o710, time);
    world_fs.link(overlay_dir, cache_id, dir);
    world_fs.link(dir, "diff", root);
    crate::daemon::docker_root::register_layer_dir(world_fs, overlay_dir, dir, cache_id, link_id, true, time);
    layers.push(Layer {
        diff_id: diff_id.into(),
        chain_id,
        cache_id: cache_id.into(),
        link_id: link_id.into(),
        root,
        size,
        pinned: false,
        parent: None,
    });
    layers.len() - 1
}
