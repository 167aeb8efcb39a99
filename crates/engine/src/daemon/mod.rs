//! The daemon: what dockerd does. It keeps the layer store, the images, the containers and the
//! volumes, takes typed requests (a [`spec::ContainerSpec`]), answers with typed ids and
//! [`DaemonError`]s, and changes state only through its own functions, each emitting the event
//! of its change. It prints nothing: the `docker` CLI words its answers.
//!
//! Architecture invariant: the daemon uses the vfs and the world below it, never a program,
//! the shell or the CLI above it.

pub(crate) mod build_cache;
pub(crate) mod container;
pub(crate) mod docker_root;
mod error;
pub(crate) mod host;
pub(crate) mod image_db;
pub(crate) mod images;
pub(crate) mod layers;
pub(crate) mod ports;
pub(crate) mod resources;
pub(crate) mod spec;
mod system_mounts;
pub(crate) mod volume;

pub use error::DaemonError;

use crate::world::World;

/// Finds an image by reference (`name[:tag]`, id or id prefix).
pub fn find_image(world: &World, reference: &str) -> Option<usize> {
    let full =
        if reference.contains(':') || reference.starts_with("sha256:") { reference.to_string() } else { format!("{reference}:latest") };
    if let Some(i) = world.images().iter().position(|im| im.tags.contains(&full)) {
        return Some(i);
    }
    let id = reference.strip_prefix("sha256:").unwrap_or(reference);
    if id.len() >= 4 && id.chars().all(|c| c.is_ascii_hexdigit()) {
        let hits: Vec<usize> = world
            .images()
            .iter()
            .enumerate()
            .filter(|(_, im)| im.id.strip_prefix("sha256:").is_some_and(|hex| hex.starts_with(id)))
            .map(|(i, _)| i)
            .collect();
        if hits.len() == 1 {
            return Some(hits[0]);
        }
    }
    None
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod lifecycle_tests;
