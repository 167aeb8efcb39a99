//! The daemon's side of BuildKit's cache: the records a build makes as it goes (its client
//! sources, the layers it starts from and makes, its cache mounts), whether an image shares a
//! record's layer, what the cache takes on disk, and pruning, which lets go of the layers only
//! a record kept (oracle-149 … oracle-151).
//!
//! Architecture invariant: a layer some record holds stays in the layer store after its
//! images go; it leaves with the last record that holds it.

use crate::build_cache::{CacheRecord, Origin, RecordId, SourcePart};
use crate::events::Event;
use crate::fs::InodeId;
use crate::world::World;

/// A record as `builder du` reports it: whether an image shares its layer, and so whether a
/// prune without `--all` leaves it.
#[derive(Clone, Debug)]
pub struct Usage {
    pub record: CacheRecord,
    pub shared: bool,
}

fn new_record(world: &mut World, parent: Option<RecordId>, origin: Origin, description: String, size: u64) -> usize {
    let id = RecordId(world.ids().chars(25, b"abcdefghijklmnopqrstuvwxyz0123456789"));
    let now = world.clock().nanos;
    let record = CacheRecord { id, parent, origin, description, size, created: now, last_used: now, usage_count: 1 };
    world.build_cache_mut().add(record)
}

/// A client source synced for a build of the context in `dir`: the record made by the first
/// build of that context (its size as then measured), used again by the next ones.
pub fn source(world: &mut World, dir: &str, part: SourcePart, size: u64) {
    let origin = Origin::Source { dir: dir.to_string(), part };
    match world.build_cache().find(&origin) {
        Some(at) => {
            let now = world.clock().nanos;
            world.build_cache_mut().touch(at, now);
        }
        None => {
            let what = if part == SourcePart::Dockerfile { "dockerfile" } else { "context" };
            new_record(world, None, origin, format!("local source for {what}"), size);
        }
    }
}

/// The layers a stage starts from, each a record on the one below (`from local ` for an
/// image of the store, `pulled from REF` for one the build fetched); they take no space of
/// their own.
pub fn base(world: &mut World, layers: &[usize], description: &str) {
    let mut parent = None;
    let now = world.clock().nanos;
    for &layer in layers {
        let origin = Origin::Base { layer };
        let at = match world.build_cache().find(&origin) {
            Some(at) => {
                world.build_cache_mut().touch(at, now);
                at
            }
            None => new_record(world, parent.clone(), origin, description.to_string(), 0),
        };
        parent = world.build_cache().get(at).map(|r| r.id.clone());
    }
}

/// The record that holds `layer` (the newest, when steps made it more than once).
fn holder_of(world: &World, layer: usize) -> Option<RecordId> {
    world.build_cache().records().iter().rev().find(|r| r.layer() == Some(layer)).map(|r| r.id.clone())
}

/// A step made `layer` on top of `below` (the layers under it): a new record, as each run of a
/// step is.
pub fn step(world: &mut World, key: &str, layer: usize, below: Option<usize>, description: String) {
    let parent = below.and_then(|l| holder_of(world, l));
    let size = world.layers().get(layer).map_or(0, |l| l.size);
    new_record(world, parent, Origin::Step { key: key.to_string(), layer }, description, size);
}

/// The layer a step made before and its record, if both are still there: the step is cached.
/// The record counts as used once its layer is needed (see [`touch`]).
pub fn cached_step(world: &World, key: &str, layer: Option<usize>) -> Option<(usize, usize)> {
    let at = match layer {
        Some(layer) => world.build_cache().find(&Origin::Step { key: key.to_string(), layer })?,
        None => world.build_cache().find_step(key)?,
    };
    let made = world.build_cache().get(at)?.layer()?;
    world.layers().get(made).filter(|l| !l.chain_id.is_empty()).map(|_| (made, at))
}

/// A cached step's layer was needed (a step ran on it, or it is what its stage built): its
/// record is used once more (a cached step under another cached one is not: oracle-149).
pub fn touch(world: &mut World, at: usize) {
    let now = world.clock().nanos;
    world.build_cache_mut().touch(at, now);
}

/// The directory of the cache mount `id` (`RUN --mount=type=cache`), made empty the first time
/// with its record: `target` and `exec` say where and for what it was first mounted.
pub fn cache_mount(world: &mut World, id: &str, target: &str, exec: &str) -> InodeId {
    let now = world.clock().nanos;
    if let Some(at) = world.build_cache().find_cache_mount(id) {
        world.build_cache_mut().touch(at, now);
        if let Some(Origin::CacheMount { dir, .. }) = world.build_cache().get(at).map(|r| &r.origin) {
            return *dir;
        }
    }
    let secs = world.clock().secs();
    let dir = world.fs_mut().new_dir(0, 0, 0o755, secs);
    // BuildKit names the mount by its id under its own root.
    let description = format!("cached mount {target} from exec {exec} with id \"/{id}\"");
    new_record(world, None, Origin::CacheMount { id: id.to_string(), dir }, description, 0);
    dir
}

/// The cache mounts measured again after a step wrote in them.
pub fn measure_cache_mounts(world: &mut World) {
    let sizes: Vec<(usize, u64)> = world
        .build_cache()
        .records()
        .iter()
        .enumerate()
        .filter_map(|(at, r)| match r.origin {
            Origin::CacheMount { dir, .. } => Some((at, world.fs().usage(dir).0)),
            _ => None,
        })
        .collect();
    for (at, size) in sizes {
        world.build_cache_mut().set_size(at, size);
    }
}

/// Whether an image holds the record's layer too.
fn shared(world: &World, record: &CacheRecord) -> bool {
    record.layer().is_some_and(|l| world.image_holds_layer(l))
}

/// Every record with whether it is shared, as `builder du` lists them: the largest first, ties
/// by id, last first (BuildKit's order).
pub fn usage(world: &World) -> Vec<Usage> {
    let mut all: Vec<Usage> = world.build_cache().records().iter().map(|r| Usage { record: r.clone(), shared: shared(world, r) }).collect();
    all.sort_by(|a, b| b.record.size.cmp(&a.record.size).then_with(|| b.record.id.cmp(&a.record.id)));
    all
}

/// What the cache takes that no image shares (`system df`'s Build Cache size).
pub fn private_size(world: &World) -> u64 {
    world.build_cache().records().iter().filter(|r| !shared(world, r)).map(|r| r.size).sum()
}

/// What a prune removes: with `all`, shared records too; `keep_bytes` stops once the private
/// size is under it (least used first); `takes` is the `--filter`.
pub struct PruneRules<'a> {
    pub all: bool,
    pub keep_bytes: u64,
    pub takes: &'a dyn Fn(&Usage) -> bool,
}

/// Removes the records the rules take, children before their parents, and lets go of the
/// layers only they held; the records removed, in order.
pub fn prune(world: &mut World, rules: &PruneRules) -> Vec<Usage> {
    let mut total = private_size(world);
    if rules.keep_bytes > 0 && total < rules.keep_bytes {
        return Vec::new();
    }
    let mut removed = Vec::new();
    loop {
        let mut candidates: Vec<Usage> = world
            .build_cache()
            .records()
            .iter()
            .filter(|r| !world.build_cache().has_children(&r.id))
            .map(|r| Usage { record: r.clone(), shared: shared(world, r) })
            .filter(|u| (rules.all || !u.shared) && (rules.takes)(u))
            .collect();
        if candidates.is_empty() {
            break;
        }
        if rules.keep_bytes > 0 {
            // One at a time, the least recently and least often used first.
            sort_for_deletion(&mut candidates);
            candidates.truncate(1);
        }
        for c in candidates {
            world.build_cache_mut().remove(&c.record.id);
            if !c.shared {
                total = total.saturating_sub(c.record.size);
            }
            removed.push(c);
        }
        if rules.keep_bytes > 0 && total < rules.keep_bytes {
            break;
        }
    }
    let mut layers_freed = 0;
    for u in &removed {
        if let Some(l) = u.record.layer() {
            let in_image = world.image_holds_layer(l);
            if !in_image && !world.build_cache().holds_layer(l) && super::layers::release_layer(world, l) {
                layers_freed += 1;
            }
        }
    }
    if !removed.is_empty() {
        let bytes = removed.iter().map(|u| u.record.size).sum();
        world.emit(Event::BuildCachePruned { records: removed.len(), bytes, layers_freed });
    }
    removed
}

/// BuildKit's order for a prune that keeps some storage: each record ranked by when it was
/// last used and by how often, the lowest sum first.
fn sort_for_deletion(records: &mut [Usage]) {
    let rank = |key: &dyn Fn(&Usage) -> i128, records: &[Usage], of: &Usage| -> f64 {
        let mut values: Vec<i128> = records.iter().map(key).collect();
        values.sort_unstable();
        values.dedup();
        let max = values.len().saturating_sub(1).max(1) as f64;
        values.iter().position(|v| *v == key(of)).unwrap_or(0) as f64 / max
    };
    let scores: Vec<f64> = records
        .iter()
        .map(|r| rank(&|u: &Usage| u.record.last_used, records, r) + rank(&|u: &Usage| i128::from(u.record.usage_count), records, r))
        .collect();
    let mut order: Vec<usize> = (0..records.len()).collect();
    order.sort_by(|a, b| scores[*a].total_cmp(&scores[*b]));
    let sorted: Vec<Usage> = order.iter().map(|i| records[*i].clone()).collect();
    records.clone_from_slice(&sorted);
}

/// A build cache `--filter`, as buildx hands it to BuildKit: exact fields BuildKit compares (`id` as a prefix), a cut-off age
/// (`until`, `unused-for`); a key BuildKit does not know matches no record.
#[derive(Default)]
pub struct RecordFilter {
    tests: Vec<(String, String)>,
    /// Records used within this many nanoseconds stay.
    until: Option<i128>,
}

impl RecordFilter {
    pub fn parse(values: &[String]) -> RecordFilter {
        let mut out = RecordFilter::default();
        for v in values {
            let (key, value) = v.split_once('=').unwrap_or((v, ""));
            match key {
                "until" | "unused-for" => out.until = crate::clock::duration(value),
                _ => out.tests.push((key.to_string(), value.to_string())),
            }
        }
        out
    }

    pub fn takes(&self, u: &Usage, now: i128) -> bool {
        let r = &u.record;
        let field = |key: &str, value: &str| match key {
            "id" => r.id.0.starts_with(value),
            "parents" => r.parent.as_ref().is_some_and(|p| p.0 == value),
            "description" => r.description == value,
            "type" => r.record_type() == value,
            _ => false,
        };
        self.tests.iter().all(|(k, v)| field(k, v)) && self.until.is_none_or(|d| r.last_used < now - d)
    }

    /// BuildKit reads the filters as containerd's filter language, where a value stops at a
    /// space: the error it gives for one that goes on (oracle-150).
    pub fn syntax_error(&self) -> Option<String> {
        let written: Vec<String> = self.tests.iter().map(|(k, v)| format!("{k}{}{v}", if k == "id" { "~=" } else { "==" })).collect();
        let bad = written.iter().find(|w| w.chars().any(char::is_whitespace))?;
        let (before, after) = bad.split_once(char::is_whitespace)?;
        let space = bad.chars().find(|c| c.is_whitespace())?;
        Some(format!(
            "[{}]: filters: parse error: [{before} >|{space}|< {after}]: unexpected input: {space}: invalid argument",
            written.join(" ")
        ))
    }

    pub fn is_empty(&self) -> bool {
        self.tests.is_empty() && self.until.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::Data;

    /// The records of a build of `FROM busybox` + `RUN echo hi > /hi` whose image is gone: the
    /// Dockerfile (30 B) and context (5 B) sources, busybox's layer, the step's layer (3 B).
    fn world_with_records() -> World {
        let mut w = World::canonical(1);
        source(&mut w, "/home/student/app", SourcePart::Dockerfile, 30);
        source(&mut w, "/home/student/app", SourcePart::Context, 5);
        let busybox = w.images()[0].layers.clone();
        base(&mut w, &busybox, "from local ");
        let root = w.fs_mut().new_dir(0, 0, 0o755, 0);
        let file = w.fs_mut().new_file(Data::from_bytes(b"hi\n"), 0, 0, 0o644, 0);
        w.fs_mut().link(root, "hi", file);
        let layer = super::super::layers::store_layer(&mut w, &busybox, root);
        step(&mut w, "echo", layer, busybox.last().copied(), "mount / from exec /bin/sh -c echo hi > /hi".into());
        w
    }

    fn descriptions(removed: &[Usage]) -> Vec<&str> {
        removed.iter().map(|u| u.record.description.as_str()).collect()
    }

    #[test]
    fn a_prune_without_all_leaves_what_an_image_shares_and_frees_the_layers_only_records_held() {
        let mut w = world_with_records();
        let removed = prune(&mut w, &PruneRules { all: false, keep_bytes: 0, takes: &|_| true });
        assert_eq!(
            descriptions(&removed),
            ["local source for dockerfile", "local source for context", "mount / from exec /bin/sh -c echo hi > /hi"]
        );
        // busybox's layer record stays: the busybox image holds that layer.
        assert_eq!(w.build_cache().records().len(), 1);
        assert_eq!(w.events().last(), Some(&Event::BuildCachePruned { records: 3, bytes: 38, layers_freed: 1 }));
    }

    #[test]
    fn with_all_a_child_goes_before_its_parent() {
        let mut w = world_with_records();
        let removed = prune(&mut w, &PruneRules { all: true, keep_bytes: 0, takes: &|_| true });
        let order = descriptions(&removed);
        let child = order.iter().position(|d| d.starts_with("mount /")).expect("the step's record");
        let parent = order.iter().position(|d| *d == "from local ").expect("the base layer's record");
        assert!(child < parent, "{order:?}");
        assert!(w.build_cache().records().is_empty());
    }

    #[test]
    fn keeping_storage_stops_once_the_private_size_is_under_it() {
        let mut w = world_with_records();
        let removed = prune(&mut w, &PruneRules { all: false, keep_bytes: 10, takes: &|_| true });
        // 38 B private: taking the Dockerfile's 30 B leaves 8 B, under 10.
        assert_eq!(descriptions(&removed), ["local source for dockerfile"]);
        assert_eq!(private_size(&w), 8);
    }
}
