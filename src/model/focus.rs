//! What on the storage map an event is about, so the map can highlight and animate it.

use stowage_engine::{DenyCause, Event, Place};

/// The parts of the map one event touches, as keys the map's elements also compute
/// (see the `key_*` functions), plus the kind of animation to play.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Focus {
    /// CSS name of the animation, e.g. `copy-up`.
    pub kind: &'static str,
    pub keys: Vec<String>,
    /// The file or directory the event is about, if any.
    pub path: Option<String>,
    /// The event itself, for the pictures that draw its details (a refusal's uid and mode, a
    /// volume filled from the image, a mount hiding the image's files).
    pub event: Option<Event>,
}

impl Focus {
    pub fn has(&self, key: &str) -> bool {
        self.keys.iter().any(|k| k == key)
    }

    /// Why the write on show was refused, if it was.
    pub fn deny_cause(&self) -> Option<&DenyCause> {
        match &self.event {
            Some(Event::WriteDenied { cause, .. }) => Some(cause),
            _ => None,
        }
    }

    /// The container the event is about, if any.
    pub fn container(&self) -> Option<&str> {
        self.keys.iter().find_map(|k| k.strip_prefix("container:"))
    }
}

pub fn key_container(name: &str) -> String {
    format!("container:{name}")
}
pub fn key_writable(container: &str) -> String {
    format!("writable:{container}")
}
pub fn key_layer(container: &str, layer: usize) -> String {
    format!("layer:{container}:{layer}")
}
pub fn key_volume(name: &str) -> String {
    format!("volume:{name}")
}
pub fn key_bind(host_path: &str) -> String {
    format!("bind:{host_path}")
}
pub fn key_tmpfs(container: &str, target: &str) -> String {
    format!("tmpfs:{container}:{target}")
}
pub fn key_mount(container: &str, target: &str) -> String {
    format!("mount:{container}:{target}")
}
pub fn key_image(reference: &str) -> String {
    format!("image:{reference}")
}

fn place_keys(place: &Place) -> Vec<String> {
    match place {
        Place::WritableLayer { container } => {
            vec![key_container(container), key_writable(container)]
        }
        Place::ImageLayer { container, layer } => {
            vec![key_container(container), key_layer(container, *layer)]
        }
        Place::Volume { name } => vec![key_volume(name)],
        Place::Bind { host_path } => vec![key_bind(host_path)],
        Place::Tmpfs { container, target } => {
            vec![key_container(container), key_tmpfs(container, target), key_mount(container, target)]
        }
        Place::Host => vec![],
    }
}

/// What the map shows for one event.
pub fn focus_of(event: &Event) -> Focus {
    let f = |kind, keys: Vec<String>, path: Option<&String>| Focus { kind, keys, path: path.cloned(), event: Some(event.clone()) };
    match event {
        Event::ContainerCreated { container, .. } => f("created", vec![key_container(container)], None),
        Event::ContainerRenamed { to, .. } => f("created", vec![key_container(to)], None),
        Event::ContainerUpdated { container, .. } => f("state", vec![key_container(container)], None),
        Event::MountPointCreated { container, path } => f("created", vec![key_container(container)], Some(path)),
        Event::ContainerStateChanged { container, .. } => f("state", vec![key_container(container)], None),
        Event::WritableLayerDiscarded { container, .. } => f("discard", vec![key_container(container), key_writable(container)], None),
        Event::CopyUp { container, path, layer, .. } => {
            f("copy-up", vec![key_container(container), key_layer(container, *layer), key_writable(container)], Some(path))
        }
        Event::Whiteout { container, path } => f("whiteout", vec![key_container(container), key_writable(container)], Some(path)),
        Event::OpaqueDir { container, path } => f("opaque", vec![key_container(container), key_writable(container)], Some(path)),
        Event::FileWritten { place, path, .. } => f("write", place_keys(place), Some(path)),
        Event::FileRemoved { place, path } => f("remove", place_keys(place), Some(path)),
        Event::VolumeCreated { name, .. } => f("volume-created", vec![key_volume(name)], None),
        Event::VolumePopulated { name, container, target, .. } => {
            f("populate", vec![key_volume(name), key_container(container), key_mount(container, target)], Some(target))
        }
        Event::VolumeRemoved { name } => f("volume-removed", vec![key_volume(name)], None),
        Event::MountShadowsImage { container, target, .. } => {
            f("shadow", vec![key_container(container), key_mount(container, target)], Some(target))
        }
        Event::HostDirCreated { path } => f("host-dir", vec![key_bind(path)], Some(path)),
        // A host mount shows on the bind chip of its directory, when a container binds it.
        Event::HostMounted { target, .. } => f("host-mount", vec![key_bind(target)], Some(target)),
        Event::HostUnmounted { target, .. } => f("host-unmount", vec![key_bind(target)], Some(target)),
        Event::HostRemounted { target, .. } => f("host-mount", vec![key_bind(target)], Some(target)),
        // Loop devices and file systems in files live below the map: the narration tells them.
        Event::LoopAttached { .. } | Event::LoopDetached { .. } => f("loop", vec![], None),
        Event::FileSystemMade { path, .. } => f("mkfs", vec![], Some(path)),
        Event::SignatureErased { path, .. } | Event::FileSystemLabelled { path, .. } => f("mkfs", vec![], Some(path)),
        Event::SwapTurnedOn { path } | Event::SwapTurnedOff { path } => f("swap", vec![], Some(path)),
        Event::WriteDenied { place, path, cause } => {
            let mut keys = place_keys(place);
            // A read-only mount point inside a known container: its chip shows the lock.
            if let DenyCause::ReadOnly { mount } = cause {
                if let Some(c) = keys.iter().find_map(|k| k.strip_prefix("container:")).map(str::to_string) {
                    keys.push(key_mount(&c, mount));
                }
            }
            f("denied", keys, Some(path))
        }
        Event::TmpfsCleared { container, target, .. } => {
            f("tmpfs-cleared", vec![key_container(container), key_tmpfs(container, target), key_mount(container, target)], None)
        }
        Event::ImageCreated { reference, .. } | Event::ImagePulled { reference, .. } => {
            f("image-created", vec![key_image(reference)], None)
        }
        Event::ImageRemoved { reference } => f("image-removed", vec![key_image(reference)], None),
        Event::ImageTagged { tag, image, .. } => f("image-created", vec![key_image(tag), key_image(image)], None),
        Event::ImageUntagged { image, .. } => f("image-removed", vec![key_image(image)], None),
        // The build cache has no place on the map: the narration tells it.
        Event::BuildCacheRecorded { .. } => f("cache-recorded", vec![], None),
        Event::BuildCachePruned { .. } => f("cache-pruned", vec![], None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_up_points_at_the_layer_and_the_writable_layer() {
        let focus = focus_of(&Event::CopyUp { container: "web".into(), path: "/etc/app/app.conf".into(), layer: 2, bytes: 11 });
        assert_eq!(focus.kind, "copy-up");
        assert!(focus.has("layer:web:2") && focus.has("writable:web"));
        assert_eq!(focus.container(), Some("web"));
        assert_eq!(focus.path.as_deref(), Some("/etc/app/app.conf"));
    }

    #[test]
    fn a_read_only_refusal_points_at_the_bind() {
        let focus = focus_of(&Event::WriteDenied {
            place: Place::Bind { host_path: "/home/student/site".into() },
            path: "/usr/share/nginx/html/index.html".into(),
            cause: DenyCause::ReadOnly { mount: "/usr/share/nginx/html".into() },
        });
        assert_eq!(focus.kind, "denied");
        assert!(focus.has("bind:/home/student/site"));
    }
}
