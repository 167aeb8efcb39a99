//! What BuildKit runs a step in and how it names images: a scratch container over a set of
//! layers (a temporary image and container whose events stay internal), and the references it
//! writes in full (`docker.io/library/NAME`). The builder and its exporters share them.

use crate::fs::InodeId;
use crate::world::{Container, ContainerId, Image, ImageConfig, World};

use super::normalized_ref;

/// A temporary image over `layers` and a container on it, as BuildKit runs a step in: the
/// container's id, the image's id, and the events' length before (see [`drop_scratch`]).
pub(super) fn scratch_container(world: &mut World, layers: &[usize], config: &ImageConfig, network_none: bool) -> Scratch {
    // A temporary image and container over the layers so far.
    let tmp_image_id = format!("sha256:{}", world.ids().hex64());
    world.add_image(Image {
        id: tmp_image_id.clone(),
        tags: Vec::new(),
        layers: layers.to_vec(),
        history: Vec::new(),
        config: config.clone(),
        created: 0,
        comment: String::new(),
        parent: String::new(),
        last_tag_time: None,
        size: 0,
    });
    let secs = world.clock().secs();
    let upper = world.fs_mut().new_dir(0, 0, 0o755, secs);
    let init = world.fs_mut().new_dir(0, 0, 0o755, secs);
    let name = format!("buildkit-{}", world.ids().chars(8, b"abcdefghijklmnopqrstuvwxyz"));
    let id = ContainerId::new(&world.ids().hex64());
    let container = Container {
        name: name.clone(),
        image_id: tmp_image_id.clone(),
        created: world.clock().nanos,
        env: config.env.clone(),
        user: config.user.clone(),
        working_dir: if config.working_dir.is_empty() { "/".into() } else { config.working_dir.clone() },
        host: crate::world::HostConfig {
            auto_remove: true,
            network_mode: if network_none { "none".into() } else { "default".into() },
            shm_size: 64 << 20,
            ..Default::default()
        },
        status: crate::world::Status::Running,
        layer_id: world.ids().hex64(),
        hostname: "buildkitsandbox".into(),
        ..Container::fresh(id.clone(), upper, init)
    };
    let (working_dir, upper) = (container.working_dir.clone(), container.upper);
    world.add_container(container);
    Scratch { id, image_id: tmp_image_id, working_dir, upper, events_before: world.events().len() }
}

/// A scratch container (see [`scratch_container`]).
pub(super) struct Scratch {
    pub id: ContainerId,
    image_id: String,
    pub working_dir: String,
    pub upper: InodeId,
    events_before: usize,
}

/// Build steps are not the learner's containers: their events stay internal, and they go.
pub(super) fn drop_scratch(world: &mut World, scratch: &Scratch) {
    world.rewind_events(scratch.events_before);
    world.take_container(&scratch.id);
    if let Some(at) = world.images().iter().position(|im| im.id == scratch.image_id) {
        world.remove_image(at);
    }
}

/// `myapp` → `docker.io/library/myapp:latest`, as BuildKit names references.
pub(super) fn hub_name(reference: &str) -> String {
    let full = normalized_ref(reference);
    if full.contains('/') {
        format!("docker.io/{full}")
    } else {
        format!("docker.io/library/{full}")
    }
}

/// The image exporter's name: the reference made full, without adding a tag (`docker.io/library/myapp`).
pub(super) fn hub_repository(reference: &str) -> String {
    if reference.contains('/') {
        format!("docker.io/{reference}")
    } else {
        format!("docker.io/library/{reference}")
    }
}
