//! The daemon on its own: typed specs in, typed ids and errors out, each change told by its
//! event. No CLI, no shell: the machine is the canonical world.

use super::container::{create, remove_container, start_container, stop_container};
use super::spec::{ContainerSpec, Origin, Request, Source};
use super::DaemonError;
use crate::events::{ContainerState, Event};
use crate::world::{ContainerId, Status, World};

fn world() -> World {
    World::canonical(crate::DEFAULT_SEED)
}

fn spec(name: &str) -> ContainerSpec {
    ContainerSpec {
        name: Some(name.into()),
        image: "demo/app:1.0".into(),
        command: vec!["sleep".into(), "3600".into()],
        network_mode: "bridge".into(),
        ..ContainerSpec::default()
    }
}

fn volume(name: &str, target: &str) -> Request {
    Request::new(Source::Volume(Some(name.into())), target.into(), Origin::Bind, &format!("{name}:{target}"))
}

fn state_changes(world: &World) -> Vec<(ContainerState, Option<i32>)> {
    world
        .events()
        .iter()
        .filter_map(|e| match e {
            Event::ContainerStateChanged { state, exit_code, .. } => Some((*state, *exit_code)),
            _ => None,
        })
        .collect()
}

/// Nothing refuses to run.
fn runs(_: &World) -> Option<DaemonError> {
    None
}

#[test]
fn a_container_is_created_started_stopped_and_removed_and_its_volume_stays() {
    let mut w = world();
    let mut s = spec("web");
    s.volumes.push(volume("site", "/srv/web"));
    let id = create(&mut w, &s).expect("created");
    let c = w.container(&id).expect("there");
    assert_eq!((c.name.as_str(), c.status), ("web", Status::Created));
    // The empty volume was filled from the image at its mount point.
    assert!(w.events().iter().any(|e| matches!(e, Event::VolumeCreated { name, anonymous: false } if name == "site")));
    assert!(w.events().iter().any(|e| matches!(e, Event::VolumePopulated { name, files, .. } if name == "site" && *files > 0)));
    w.start_line();
    start_container(&mut w, &id, &runs).expect("started");
    assert_eq!(w.container(&id).map(|c| c.status), Some(Status::Running));
    stop_container(&mut w, &id, 137);
    assert_eq!(w.container(&id).map(|c| (c.status, c.exit_code)), Some((Status::Exited, 137)));
    remove_container(&mut w, &id, false);
    assert!(w.container(&id).is_none());
    assert!(w.volumes().contains_key("site"), "a named volume outlives its container");
    assert_eq!(state_changes(&w), [(ContainerState::Running, None), (ContainerState::Exited, Some(137)), (ContainerState::Removed, None)]);
    assert!(w.events().iter().any(|e| matches!(e, Event::WritableLayerDiscarded { container, .. } if container == "web")));
}

#[test]
fn ids_stay_true_when_an_earlier_container_goes() {
    let mut w = world();
    let first = create(&mut w, &spec("first")).expect("first");
    let second = create(&mut w, &spec("second")).expect("second");
    remove_container(&mut w, &first, false);
    // The second container moved up the list; its id still finds it.
    assert_eq!(w.container(&second).map(|c| c.name.as_str()), Some("second"));
    assert_eq!(w.find_container("second"), Some(second.clone()));
    assert_eq!(w.find_container(second.short()), Some(second));
}

#[test]
fn refusals_are_typed_and_change_nothing() {
    let mut w = world();
    let id = create(&mut w, &spec("web")).expect("created");
    let containers = w.containers().len();
    let refused = |w: &mut World, s: ContainerSpec| create(w, &s).expect_err("refused");
    assert_eq!(refused(&mut w, spec("-bad")), DaemonError::InvalidContainerName("-bad".into()));
    assert_eq!(refused(&mut w, spec("web")), DaemonError::NameConflict { name: "web".into(), id: id.clone() });
    let mut s = spec("other");
    s.image = "nosuch:1".into();
    assert_eq!(refused(&mut w, s), DaemonError::NoSuchImage("nosuch:1".into()));
    let mut s = spec("other");
    s.volumes = vec![volume("a", "/data"), volume("b", "/data")];
    assert_eq!(refused(&mut w, s), DaemonError::DuplicateMountPoint("/data".into()));
    let mut s = spec("other");
    s.mounts = vec![Ok(Request::new(Source::Bind("/nowhere".into()), "/data".into(), Origin::Mount, ""))];
    assert_eq!(refused(&mut w, s), DaemonError::BindSourceMissing("/nowhere".into()));
    let mut s = spec("other");
    s.volumes_from = vec!["ghost".into()];
    assert_eq!(refused(&mut w, s), DaemonError::NoSuchContainer("ghost".into()));
    assert_eq!(w.containers().len(), containers);
    // The daemon's words, for the CLI to print.
    assert_eq!(DaemonError::DuplicateMountPoint("/data".into()).to_string(), "Duplicate mount point: /data");
    assert_eq!(DaemonError::NoSuchImage("x".into()).code(), 125);
}

#[test]
fn a_start_the_runtime_refuses_leaves_the_container_created_and_tells_no_running() {
    let mut w = world();
    let id: ContainerId = create(&mut w, &spec("np")).expect("created");
    w.start_line();
    let missing = |_: &World| Some(DaemonError::Start { message: "exec: \"nosuchprog\": not found".into(), code: 127 });
    let refused = start_container(&mut w, &id, &missing).expect_err("refused");
    assert!(refused.at_start() && refused.code() == 127);
    assert_eq!(w.container(&id).map(|c| (c.status, c.exit_code, c.mounts.len())), Some((Status::Created, 127, 0)));
    assert!(state_changes(&w).is_empty(), "{:?}", w.events());
}

#[test]
fn a_container_is_renamed_by_id_and_the_rename_is_told() {
    let mut w = world();
    let id = create(&mut w, &spec("old")).expect("created");
    w.start_line();
    super::container::rename(&mut w, &id, "new");
    assert_eq!(w.container(&id).map(|c| c.name.as_str()), Some("new"));
    assert_eq!(w.events(), [Event::ContainerRenamed { from: "old".into(), to: "new".into() }]);
}

#[test]
fn a_tag_moves_between_images_and_removing_an_image_releases_only_its_own_layers() {
    use super::images::{remove, tag, untag};
    let mut w = world();
    let at = |w: &World, tag: &str| w.images().iter().position(|im| im.tags.iter().any(|t| t == tag)).expect("tagged image");
    let (app1, app2) = (at(&w, "demo/app:1.0"), at(&w, "demo/app:2.0"));
    w.start_line();
    tag(&mut w, app1, "demo/app:stable");
    assert_eq!(w.events(), [Event::ImageTagged { tag: "demo/app:stable".into(), image: "demo/app:1.0".into(), moved_from: None }]);
    // The tag moves to the other image: the first loses it, and the event says from where.
    w.start_line();
    tag(&mut w, app2, "demo/app:stable");
    assert!(!w.images()[app1].tags.iter().any(|t| t == "demo/app:stable"));
    assert!(matches!(w.events(), [Event::ImageTagged { moved_from: Some(from), .. }] if from == "demo/app:1.0"));
    // Tagging again with a tag it has tells nothing.
    w.start_line();
    tag(&mut w, app2, "demo/app:stable");
    assert!(w.events().is_empty());
    untag(&mut w, app2, "demo/app:stable");
    assert_eq!(w.images()[app2].tags, ["demo/app:2.0"]);
    // An image of 1.0's layers and one of its own: removing it releases only its own layer.
    let root = w.fs_mut().new_dir(0, 0, 0o755, 0);
    let file = w.fs_mut().new_file(crate::fs::Data::from_bytes(b"x"), 0, 0, 0o644, 0);
    w.fs_mut().link(root, "own", file);
    let mut image = w.images()[app1].clone();
    let own = super::layers::store_layer(&mut w, &image.layers, root);
    image.layers.push(own);
    image.tags = vec!["demo/app:own".into()];
    super::images::make_image(&mut w, image);
    w.start_line();
    let own_image = at(&w, "demo/app:own");
    let removed = remove(&mut w, own_image, "demo/app:own".into()).expect("removed");
    assert_eq!(removed.image.tags, ["demo/app:own"]);
    assert_eq!(removed.released.iter().map(|l| l.root).collect::<Vec<_>>(), [root]);
    assert_eq!(w.events(), [Event::ImageRemoved { reference: "demo/app:own".into() }]);
    assert!(w.images().iter().all(|im| !im.tags.iter().any(|t| t == "demo/app:own")));
}
