//! The image store the image-making commands share: content-addressed layers (the daemon's),
//! image IDs, and adding an image under its tags.

use crate::events::Event;
use crate::world::{HistoryEntry, Image, ImageConfig, World};

pub use crate::daemon::layers::{sha256_hex, store_layer};

pub(crate) fn image_id(world: &World, layers: &[usize], config: &ImageConfig, history: &[HistoryEntry], created: i64) -> String {
    let text = format!("{:?}|{:?}|{:?}|{created}", layers.iter().map(|l| &world.layers()[*l].diff_id).collect::<Vec<_>>(), config, history);
    format!("sha256:{}", sha256_hex(text.as_bytes()))
}

/// Adds `image` under the id derived from its content (its own `id` is set here); returns it.
pub(crate) fn make_image(world: &mut World, mut image: Image) -> String {
    image.id = image_id(world, &image.layers, &image.config, &image.history, image.created);
    add_image(world, image)
}

/// Adds or replaces an image; a tag moves from any image that had it.
pub(crate) fn add_image(world: &mut World, mut image: Image) -> String {
    for t in image.tags.clone() {
        for other in world.images_mut() {
            other.tags.retain(|x| *x != t);
        }
    }
    image.size = image.layers.iter().map(|l| world.layers()[*l].size).sum();
    let id = image.id.clone();
    if let Some(at) = world.images().iter().position(|im| im.id == id) {
        if let Some(existing) = world.image_mut(at) {
            existing.tags.extend(image.tags);
        }
    } else {
        let reference = image.tags.first().cloned().unwrap_or_else(|| image.short_id().to_string());
        let layers = image.layers.len();
        world.add_image(image);
        world.emit(Event::ImageCreated { reference, layers });
    }
    // Images left without a tag and not used by anything disappear from the list as `<none>` only.
    id
}
