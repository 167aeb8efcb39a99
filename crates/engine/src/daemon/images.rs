//! The image store: image ids derived from content, adding an image under its tags, tagging,
//! untagging and removing one (with the layers no other image uses). Each change emits its
//! event; the CLI words the results.

use super::layers::{release_layers, sha256_hex};
use crate::events::Event;
use crate::world::{HistoryEntry, Image, ImageConfig, Layer, World};

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
        // The image is there already (a load, a rebuild): it takes the names it lacks.
        for t in image.tags {
            let Some(existing) = world.image_mut(at) else { break };
            if existing.tags.contains(&t) {
                continue;
            }
            let named = existing.tags.first().cloned().unwrap_or_else(|| existing.short_id().to_string());
            existing.tags.push(t.clone());
            world.emit(Event::ImageTagged { tag: t, image: named, moved_from: None });
        }
    } else {
        let reference = image.tags.first().cloned().unwrap_or_else(|| image.short_id().to_string());
        let layers = image.layers.len();
        world.add_image(image);
        world.emit(Event::ImageCreated { reference, layers });
    }
    // Images left without a tag and not used by anything disappear from the list as `<none>` only.
    super::image_db::sync_part(world, super::image_db::Part::Images);
    id
}

/// Stores an image pulled from the registry, `new_layers` of its layers fetched (the others
/// were on disk already); its position in the store.
pub fn add_pulled(world: &mut World, image: Image, new_layers: usize) -> usize {
    let reference = image.tags.first().cloned().unwrap_or_default();
    let shared_layers = image.layers.len().saturating_sub(new_layers);
    let id = add_image(world, image);
    world.emit(Event::ImagePulled { reference, new_layers, shared_layers });
    world.images().iter().position(|im| im.id == id).unwrap_or(0)
}

/// Gives image `at` the tag `tag` (normalized, `name:tag`); a tag moves from any image that had
/// it. Tagging an image with a tag it has changes nothing and tells nothing.
pub fn tag(world: &mut World, at: usize, tag: &str) {
    let Some(target) = world.images().get(at) else { return };
    let already = target.tags.iter().any(|t| t == tag);
    let image = target.tags.first().cloned().unwrap_or_else(|| target.short_id().to_string());
    let mut moved_from = None;
    for (j, im) in world.images_mut().enumerate().filter(|(_, im)| im.tags.iter().any(|t| t == tag)) {
        im.tags.retain(|x| x != tag);
        if j != at {
            moved_from = Some(im.tags.first().cloned().unwrap_or_else(|| im.short_id().to_string()));
        }
    }
    let now = world.clock().nanos;
    if let Some(im) = world.image_mut(at) {
        im.tags.push(tag.to_string());
        im.last_tag_time = Some(now);
    }
    if !already {
        world.emit(Event::ImageTagged { tag: tag.to_string(), image, moved_from });
    }
    super::image_db::retagged(world, at);
}

/// Takes the tag `tag` from image `at`; the image stays (as `<none>` when that was its last).
pub fn untag(world: &mut World, at: usize, tag: &str) {
    let Some(im) = world.image_mut(at) else { return };
    im.tags.retain(|t| t != tag);
    let image = im.tags.first().cloned().unwrap_or_else(|| im.short_id().to_string());
    world.emit(Event::ImageUntagged { tag: tag.to_string(), image });
}

/// An image the daemon removed, and the layers that went with it.
pub struct Removed {
    pub image: Image,
    /// Layers no other image used, last first (BuildKit's cache keeps its own).
    pub released: Vec<Layer>,
}

/// Deletes image `at` that stopped containers still use (`rmi -f`): it leaves the store, its
/// layers stay for those containers until the last of them is removed.
pub fn retire(world: &mut World, at: usize, reference: String) -> Option<Image> {
    let image = world.remove_image(at)?;
    world.emit(Event::ImageRemoved { reference });
    world.retire_image(image.clone());
    super::image_db::sync_part(world, super::image_db::Part::Images);
    Some(image)
}

/// After a container is removed: the deleted images no container uses now let go of their
/// layers (told by no output, as dockerd tells none).
pub fn release_retired(world: &mut World) {
    for image in world.take_unused_retired() {
        release_layers(world, &image);
    }
}

/// Removes image `at`, told as `reference` (the name the user gave, or its first tag).
pub fn remove(world: &mut World, at: usize, reference: String) -> Option<Removed> {
    let image = world.remove_image(at)?;
    world.emit(Event::ImageRemoved { reference });
    // Syncs the image store's records too.
    let released = release_layers(world, &image);
    Some(Removed { image, released })
}
