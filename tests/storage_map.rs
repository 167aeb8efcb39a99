//! The storage map in a real browser, from a world built by hand.
#![cfg(target_arch = "wasm32")]

mod common;

use std::rc::Rc;

use common::*;
use stowage::components::storage_map::{StorageMap, StorageMapProps};
use stowage::model::focus::focus_of;
use stowage_engine::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn layer(diff: &str, created_by: &str, size: u64, shared: bool) -> LayerView {
    LayerView { diff_id_short: diff.into(), created_by: created_by.into(), size, shared }
}

fn entry(path: &str, kind: EntryKind, size: u64) -> EntryView {
    EntryView { path: path.into(), kind, size, uid: 0, gid: 0, mode: 0o644, origin: Origin::WritableLayer }
}

/// The world of the design sketch: db on a named volume, web with a read-only bind and a tmpfs.
fn world() -> WorldView {
    let app_layers = vec![
        layer("aaaaaaaaaaa1", "ADD busybox-rootfs.tar / # buildkit", 1_980_000, true),
        layer("aaaaaaaaaaa2", "RUN /bin/sh -c mkdir -p /etc/app && echo red > /etc/app/app.conf # buildkit", 21, true),
        layer("aaaaaaaaaaa3", "RUN /bin/sh -c mkdir -p /data # buildkit", 32, false),
        layer("aaaaaaaaaaa4", "COPY index.html /srv/web/ # buildkit", 21, false),
        layer("aaaaaaaaaaa5", "WORKDIR /srv/web", 0, false),
    ];
    let pg_layers: Vec<LayerView> =
        (1..=10).map(|i| layer(&format!("bbbbbbbbbb{i:02}"), &format!("RUN step {i}"), 1000 * i, false)).collect();
    WorldView {
        images: vec![
            ImageView { id_short: "5e1a0c9b2d41".into(), tags: vec!["demo/app:1.0".into()], layers: app_layers.clone(), size: 1_980_074 },
            ImageView {
                id_short: "b3a7c5f0e9d2".into(),
                tags: vec!["postgres:15-alpine".into()],
                layers: pg_layers.clone(),
                size: 239_000_000,
            },
        ],
        containers: vec![
            ContainerView {
                name: "db".into(),
                id_short: "d519de7d49ec".into(),
                image: "postgres:15-alpine".into(),
                state: ContainerState::Running,
                status: "Up 2 minutes".into(),
                exit_code: None,
                user: "70:70".into(),
                layers: pg_layers,
                writable: vec![entry("/run/postgresql/.s.PGSQL.5432.lock", EntryKind::File, 58)],
                writable_entries: 1,
                writable_bytes: 58,
                mounts: vec![MountView {
                    target: "/var/lib/postgresql/data".into(),
                    source: MountSource::Volume { name: "my-db-data".into(), anonymous: false },
                    read_only: false,
                }],
                read_only_root: false,
            },
            ContainerView {
                name: "web".into(),
                id_short: "c9f966bd9229".into(),
                image: "demo/app:1.0".into(),
                state: ContainerState::Running,
                status: "Up 1 minute".into(),
                exit_code: None,
                user: "0:0".into(),
                layers: app_layers,
                writable: vec![entry("/etc/app", EntryKind::Dir, 0), entry("/etc/app/app.conf", EntryKind::File, 11)],
                writable_entries: 2,
                writable_bytes: 11,
                mounts: vec![
                    MountView {
                        target: "/usr/share/nginx/html".into(),
                        source: MountSource::Bind { host_path: "/home/student/site".into() },
                        read_only: true,
                    },
                    MountView { target: "/tmp/cache".into(), source: MountSource::Tmpfs { size_limit: None, used: 0 }, read_only: false },
                ],
                read_only_root: false,
            },
        ],
        volumes: vec![
            VolumeView { name: "my-db-data".into(), anonymous: false, used_by: vec!["db".into()], files: 12, bytes: 41_300_000 },
            VolumeView { name: "3f9c".repeat(16), anonymous: true, used_by: vec![], files: 0, bytes: 0 },
        ],
        binds: vec![BindView { host_path: "/home/student/site".into(), used_by: vec!["web".into()] }],
    }
}

async fn render(props: StorageMapProps) -> web_sys::Element {
    let root = new_root();
    yew::Renderer::<StorageMap>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

fn props(view: WorldView) -> StorageMapProps {
    StorageMapProps {
        view: Rc::new(view),
        before: None,
        focus: None,
        step_ms: 2000,
        states: Vec::new(),
        sizes: Vec::new(),
        sizes_later: Vec::new(),
        layer_paths: Default::default(),
        unborn: Vec::new(),
        unborn_containers: Vec::new(),
    }
}

#[wasm_bindgen_test]
async fn one_card_per_container_with_layers_writable_layer_and_mounts() {
    let root = render(props(world())).await;
    let map = find(&root, r#"section[aria-label="Storage map"]"#);
    let cards = find_all(&map, "article.card");
    assert_eq!(cards.iter().map(|c| c.get_attribute("data-container").unwrap()).collect::<Vec<_>>(), ["db", "web"]);

    let web = &cards[1];
    assert_eq!(text(web, "h3"), "web");
    assert!(text(web, ".state").contains("running"));
    assert_eq!(text(web, ".user"), "user 0:0");
    // Layers top first, numbered from the bottom, instruction without the shell wrapper.
    let layers: Vec<String> = find_all(web, ".layer .ln").iter().map(|e| e.text_content().unwrap()).collect();
    assert_eq!(layers, ["L5", "L4", "L3", "L2", "L1"]);
    let l2 = &find_all(web, ".layer")[3];
    assert_eq!(text(l2, ".instr"), "RUN mkdir -p /etc/app && echo red > /etc/app/app.conf");
    assert_eq!(text(l2, ".diff"), "aaaaaaaaaaa2");
    assert!(l2.query_selector(".shared").unwrap().is_some(), "L2 is shared");
    // The writable layer lists its files first.
    assert!(text(web, ".writable .wl-head").contains("11 B"));
    assert_eq!(text(web, ".wl-entries .entry code"), "/etc/app/app.conf");
    // Mount chips link to what they mount, read-only marked with text.
    let chips = find_all(web, ".mount-chips a.chip");
    assert_eq!(chips.len(), 2);
    assert_eq!(chips[0].get_attribute("href").unwrap(), "#bind--home-student-site");
    assert!(chips[0].text_content().unwrap().contains("ro"));
    assert!(root.query_selector("#bind--home-student-site").unwrap().is_some());
    assert!(root.query_selector("#tmpfs-web-tmp-cache").unwrap().is_some());

    // A tall image folds its middle layers.
    let db = &cards[0];
    assert_eq!(find_all(db, ".layer .ln").len(), 3);
    assert!(text(db, ".layer.folded").contains("7 more layers (L2–L8)"));
    click(&find(db, ".layer.folded button"));
    settle().await;
    assert_eq!(find_all(db, ".layer .ln").len(), 10);
}

#[wasm_bindgen_test]
async fn volumes_binds_and_memory_sit_in_the_host_band() {
    let root = render(props(world())).await;
    let volumes = find_all(&root, ".volumes .volume");
    assert_eq!(volumes.len(), 2);
    assert!(volumes[0].text_content().unwrap().contains("in use by db"));
    assert!(volumes[1].class_list().contains("anonymous") && volumes[1].class_list().contains("dangling"));
    assert_eq!(text(&volumes[1], ".vol-name"), "3f9c…9c", "anonymous names are shortened");
    // Each volume is a group named by its full name; "dangling" is Docker's word, drawn neutrally.
    assert_eq!(find(&volumes[0], "[role=group]").get_attribute("aria-label").as_deref(), Some("my-db-data"));
    let anonymous = find(&volumes[1], "[role=group]").get_attribute("aria-label").unwrap_or_default();
    assert!(anonymous.len() == 64 && anonymous.starts_with("3f9c"), "{anonymous}");
    assert_eq!(text(&volumes[1], ".dangling-tag"), "dangling");
    assert!(find(&volumes[1], ".dangling-tag").query_selector("svg").unwrap().is_none(), "no error cross");
    assert!(text(&root, ".binds .bind").contains("ro in web"));
    assert!(text(&root, ".tmpfs").contains("web:/tmp/cache"));
    assert_eq!(find_all(&root, ".images .image-chip").len(), 2);
}

#[wasm_bindgen_test]
async fn the_event_on_show_is_highlighted() {
    let mut p = props(world());
    p.focus = Some(focus_of(&Event::CopyUp { container: "web".into(), path: "/etc/app/app.conf".into(), layer: 2, bytes: 11 }));
    let root = render(p).await;
    assert_eq!(find(&root, ".map").get_attribute("data-anim").as_deref(), Some("copy-up"));
    let web = find(&root, r#"article[data-container="web"]"#);
    assert!(web.class_list().contains("is-hot"));
    assert_eq!(text(&web, ".layer.is-hot .ln"), "L2");
    assert!(find(&web, ".writable").class_list().contains("is-hot"));
    assert!(text(&web, ".entry.is-hot").contains("copied up"));
    assert!(!find(&root, r#"article[data-container="db"]"#).class_list().contains("is-hot"));
}

#[wasm_bindgen_test]
async fn a_removed_container_dissolves_as_a_ghost_while_its_event_plays() {
    let before = world();
    let mut after = before.clone();
    after.containers.retain(|c| c.name != "web");
    let mut p = props(after);
    p.before = Some(Rc::new(before));
    p.focus = Some(focus_of(&Event::WritableLayerDiscarded { container: "web".into(), files: 2, bytes: 11 }));
    let root = render(p).await;
    let ghost = find(&root, r#"article[data-container="web"]"#);
    assert!(ghost.class_list().contains("removed"));
    assert!(ghost.text_content().unwrap().contains("thrown away with the container"));
}

#[wasm_bindgen_test]
async fn an_empty_world_says_how_to_start() {
    let root = render(props(WorldView::default())).await;
    assert!(find_all(&root, "article.card").is_empty());
    assert!(text(&root, ".cards-empty").contains("docker run"));
    assert_eq!(text(&root, ".docker-area .empty"), "No volumes.");
}

#[wasm_bindgen_test]
async fn each_mount_is_connected_to_what_it_mounts() {
    let root = render(props(world())).await;
    // Lines are measured in the animation frame after rendering.
    yew::platform::time::sleep(std::time::Duration::from_millis(100)).await;
    let kinds: Vec<String> = find_all(&root, "svg.connectors > path").iter().map(|p| p.get_attribute("class").unwrap()).collect();
    // The bind is read-only: its link carries a padlock at each end.
    assert_eq!(kinds, ["conn conn-volume", "conn conn-bind ro", "conn conn-tmpfs"]);
    for path in find_all(&root, "svg.connectors > path") {
        assert!(path.get_attribute("d").unwrap().starts_with('M'));
        let locked = path.get_attribute("marker-start").is_some() && path.get_attribute("marker-end").is_some();
        assert_eq!(locked, path.class_list().contains("ro"));
    }
}
