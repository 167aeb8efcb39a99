//! BuildKit's cache, as the records `docker builder du` lists: what a build synced from the
//! client (the Dockerfile, `.dockerignore`, the context), the layers it started from and made,
//! and its cache mounts. A record that holds a layer keeps that layer on disk after its image
//! goes; the records go with `docker builder prune` and `docker system prune`.
//!
//! Architecture invariant: a record's parent is an older record, so removing records whose
//! children are gone first never leaves a parent dangling.

use crate::fs::InodeId;

/// A cache record's id: 25 characters of `[a-z0-9]`, as BuildKit names them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RecordId(pub String);

/// Which part of a build's client sources a `source.local` record holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourcePart {
    Dockerfile,
    /// The context read for its `.dockerignore` alone.
    DockerIgnore,
    /// The context's files the steps read.
    Context,
}

/// What a record is a snapshot of; how a later build finds it again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Files synced from the client for the build of the context in `dir`.
    Source { dir: String, part: SourcePart },
    /// A layer of an image a build started from (`from local`) or pulled (`pulled from …`).
    Base { layer: usize },
    /// The layer a step made: keyed by its parent's chain id and the step's history line.
    Step { key: String, layer: usize },
    /// A `RUN --mount=type=cache` directory, by its id.
    CacheMount { id: String, dir: InodeId },
}

/// One record of the cache.
#[derive(Clone, Debug, PartialEq)]
pub struct CacheRecord {
    pub id: RecordId,
    pub parent: Option<RecordId>,
    pub origin: Origin,
    pub description: String,
    /// In bytes, as measured when the record was made (BuildKit keeps a size once taken).
    pub size: u64,
    /// Nanoseconds since the epoch.
    pub created: i128,
    pub last_used: i128,
    pub usage_count: u32,
}

impl CacheRecord {
    /// The record type `builder du --verbose` prints.
    pub fn record_type(&self) -> &'static str {
        match self.origin {
            Origin::Source { .. } => "source.local",
            Origin::Base { .. } | Origin::Step { .. } => "regular",
            Origin::CacheMount { .. } => "exec.cachemount",
        }
    }

    /// Sources and cache mounts may change (`*` after the id); layers never do.
    pub fn mutable(&self) -> bool {
        matches!(self.origin, Origin::Source { .. } | Origin::CacheMount { .. })
    }

    /// The image layer this record is a snapshot of.
    pub fn layer(&self) -> Option<usize> {
        match self.origin {
            Origin::Base { layer } | Origin::Step { layer, .. } => Some(layer),
            Origin::Source { .. } | Origin::CacheMount { .. } => None,
        }
    }
}

/// The build cache's records, oldest first.
#[derive(Clone, Debug, Default)]
pub struct BuildCache {
    records: Vec<CacheRecord>,
}

impl BuildCache {
    pub fn records(&self) -> &[CacheRecord] {
        &self.records
    }

    /// The newest record made from `origin`.
    pub fn find(&self, origin: &Origin) -> Option<usize> {
        self.records.iter().rposition(|r| &r.origin == origin)
    }

    /// The newest record of the step `key`, whichever layer it made.
    pub fn find_step(&self, key: &str) -> Option<usize> {
        self.records.iter().rposition(|r| matches!(&r.origin, Origin::Step { key: k, .. } if k == key))
    }

    /// The record of the cache mount `id`.
    pub fn find_cache_mount(&self, id: &str) -> Option<usize> {
        self.records.iter().position(|r| matches!(&r.origin, Origin::CacheMount { id: i, .. } if i == id))
    }

    pub fn get(&self, at: usize) -> Option<&CacheRecord> {
        self.records.get(at)
    }

    pub fn add(&mut self, record: CacheRecord) -> usize {
        self.records.push(record);
        self.records.len() - 1
    }

    /// A build used the record again.
    pub fn touch(&mut self, at: usize, now: i128) {
        if let Some(r) = self.records.get_mut(at) {
            r.usage_count += 1;
            r.last_used = now;
        }
    }

    /// A mutable record's new size (a cache mount after a step wrote in it).
    pub fn set_size(&mut self, at: usize, size: u64) {
        if let Some(r) = self.records.get_mut(at) {
            r.size = size;
        }
    }

    /// Whether some record keeps `layer` on disk.
    pub fn holds_layer(&self, layer: usize) -> bool {
        self.records.iter().any(|r| r.layer() == Some(layer))
    }

    /// Whether another record names `id` as its parent.
    pub fn has_children(&self, id: &RecordId) -> bool {
        self.records.iter().any(|r| r.parent.as_ref() == Some(id))
    }

    /// Takes the record `id` out; returned as it was.
    pub fn remove(&mut self, id: &RecordId) -> Option<CacheRecord> {
        let at = self.records.iter().position(|r| &r.id == id)?;
        Some(self.records.remove(at))
    }
}
