//! The image store's data: layers (each a diff of files, whiteouts and opaque directories,
//! named by content), the configuration and history an image carries, and images (a stack of
//! layers under a name). The daemon keeps them (daemon/layers.rs, daemon/images.rs).

use std::collections::BTreeMap;

use crate::fs::InodeId;

/// A read-only image layer (a diff: files plus whiteouts and opaque dirs).
#[derive(Clone, Debug)]
pub struct Layer {
    pub diff_id: String,
    pub chain_id: String,
    /// The layer's directory `/var/lib/docker/overlay2/<cache_id>/diff` on the host.
    pub cache_id: String,
    /// The short link name under `/var/lib/docker/overlay2/l/`.
    pub link_id: String,
    pub root: InodeId,
    pub size: u64,
    /// Kept in the store though no image or build cache record uses it.
    pub pinned: bool,
    /// The layer it was stacked on when made (none for a base layer).
    pub parent: Option<usize>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImageConfig {
    pub user: String,
    pub env: Vec<String>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: String,
    pub volumes: Vec<String>,
    pub labels: BTreeMap<String, String>,
    pub exposed_ports: Vec<String>,
    pub args_escaped: bool,
    /// `HEALTHCHECK`, `STOPSIGNAL`, `SHELL` and `ONBUILD` (docker/dockerfile_meta.rs).
    pub healthcheck: Option<Healthcheck>,
    pub stop_signal: Option<String>,
    pub shell: Option<Vec<String>>,
    pub on_build: Vec<String>,
}

/// An image's `HEALTHCHECK`: the test and its timings in nanoseconds (0: Docker's default).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Healthcheck {
    pub test: Vec<String>,
    pub interval: i64,
    pub timeout: i64,
    pub start_period: i64,
    pub start_interval: i64,
    pub retries: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    pub created: i64,
    pub created_by: String,
    pub empty_layer: bool,
    pub comment: String,
}

#[derive(Clone, Debug)]
pub struct Image {
    /// `sha256:<64 hex>`.
    pub id: String,
    pub tags: Vec<String>,
    /// Indexes into the layer store, bottom first.
    pub layers: Vec<usize>,
    pub history: Vec<HistoryEntry>,
    pub config: ImageConfig,
    pub created: i64,
    pub comment: String,
    /// Image id of the parent (set by `docker commit`, empty for BuildKit images).
    pub parent: String,
    pub last_tag_time: Option<i128>,
    /// The bytes of its layers (`docker images`' SIZE).
    pub size: u64,
}

impl Image {
    /// The 12 hex digits `docker images` shows (the id is `sha256:` and 64 of them).
    pub fn short_id(&self) -> &str {
        self.id.get(7..19).unwrap_or(&self.id)
    }
}
