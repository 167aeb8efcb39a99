//! The explorer in a real browser, over a listing built by hand.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use stowage::components::explorer::{Explorer, ExplorerProps, HOST_HOME};
use stowage_engine::{EntryKind, EntryView, ExplorerTarget, Origin};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, EventInit, HtmlSelectElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn entry(path: &str, kind: EntryKind, origin: Origin) -> EntryView {
    EntryView { path: path.into(), kind, size: 11, uid: 1000, gid: 1000, mode: if kind == EntryKind::Dir { 0o755 } else { 0o644 }, origin }
}

/// A lister that records its calls and answers for a few directories.
fn lister(calls: Rc<RefCell<Vec<(ExplorerTarget, String)>>>) -> Callback<(ExplorerTarget, String), Vec<EntryView>> {
    Callback::from(move |(target, path): (ExplorerTarget, String)| {
        calls.borrow_mut().push((target.clone(), path.clone()));
        match (target, path.as_str()) {
            (ExplorerTarget::Host, HOST_HOME) => vec![
                entry("/home/student/site", EntryKind::Dir, Origin::Host),
                entry("/home/student/notes.txt", EntryKind::File, Origin::Host),
            ],
            (ExplorerTarget::Host, "/home/student/site") => {
                vec![entry("/home/student/site/index.html", EntryKind::File, Origin::Host)]
            }
            (ExplorerTarget::Container(_), "/many") => {
                (0..10_000).map(|i| entry(&format!("/many/f{i:04}"), EntryKind::File, Origin::ImageLayer(2))).collect()
            }
            (ExplorerTarget::Container(_), "/") => vec![
                entry("/data", EntryKind::Dir, Origin::Volume("my-db-data".into())),
                entry("/etc", EntryKind::Dir, Origin::ImageLayer(1)),
                entry("/many", EntryKind::Dir, Origin::ImageLayer(2)),
                entry("/.wh.gone", EntryKind::Whiteout, Origin::WritableLayer),
            ],
            _ => vec![],
        }
    })
}

async fn render(calls: Rc<RefCell<Vec<(ExplorerTarget, String)>>>) -> web_sys::Element {
    let root = new_root();
    let props = ExplorerProps { containers: vec!["web".into()], list: lister(calls), revision: 0 };
    yew::Renderer::<Explorer>::with_root_and_props(root.clone(), props).render();
    settle().await;
    root
}

/// Chooses container `web` in the "Look at" menu.
async fn look_into_web(root: &web_sys::Element) {
    let select: HtmlSelectElement = find(root, ".explorer-bar select").dyn_into().unwrap();
    select.set_value("c:web");
    let init = EventInit::new();
    init.set_bubbles(true);
    select.dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap()).unwrap();
    settle().await;
}

fn names(root: &web_sys::Element) -> Vec<String> {
    find_all(root, "tbody tr.entry .name code").iter().map(|e| e.text_content().unwrap()).collect()
}

#[wasm_bindgen_test]
async fn lists_the_host_home_and_opens_directories() {
    let calls = Rc::new(RefCell::new(Vec::new()));
    let root = render(calls.clone()).await;
    assert!(root.query_selector(r#"section[aria-label="Explorer"]"#).unwrap().is_some());
    assert_eq!(names(&root), ["site", "notes.txt"]);
    let row = &find_all(&root, "tbody tr.entry")[1];
    assert_eq!(row.text_content().unwrap(), "notes.txt-rw-r--r--1000:100011 Bhost");

    click(&find(&root, "tbody tr.entry .name button"));
    settle().await;
    assert_eq!(names(&root), ["index.html"]);
    assert_eq!(text(&root, r#".crumbs [aria-current="location"]"#), "site");
    assert_eq!(calls.borrow().last().unwrap(), &(ExplorerTarget::Host, "/home/student/site".to_string()));

    // ".." goes back up.
    click(&find(&root, "tbody tr.up button"));
    settle().await;
    assert_eq!(names(&root), ["site", "notes.txt"]);
}

#[wasm_bindgen_test]
async fn looks_into_a_container_and_marks_where_entries_come_from() {
    let calls = Rc::new(RefCell::new(Vec::new()));
    let root = render(calls.clone()).await;
    look_into_web(&root).await;
    assert_eq!(calls.borrow().last().unwrap(), &(ExplorerTarget::Container("web".into()), "/".to_string()));
    assert_eq!(names(&root), ["data", "etc", "many", ".wh.gone"]);
    let origins: Vec<String> = find_all(&root, "tbody .origin").iter().map(|e| e.text_content().unwrap()).collect();
    assert_eq!(origins, ["volume my-db-data", "image layer L1", "image layer L2", "writable layer"]);
    assert!(find_all(&root, "tbody tr.entry")[3].class_list().contains("kind-whiteout"));
    assert!(root.query_selector("tbody tr.up").unwrap().is_none(), "no parent of /");
}

#[wasm_bindgen_test]
async fn a_directory_of_ten_thousand_files_draws_only_the_rows_in_view() {
    let calls = Rc::new(RefCell::new(Vec::new()));
    let root = render(calls.clone()).await;
    look_into_web(&root).await;
    let many =
        find_all(&root, "tbody tr.entry .name button").into_iter().find(|b| b.text_content().unwrap_or_default() == "many/").unwrap();
    click(&many);
    settle().await;
    settle().await;

    let table = find(&root, "table.entries");
    assert!(table.class_list().contains("virtual"));
    // The table still tells assistive technology how many rows there are (header, "..", files).
    assert_eq!(table.get_attribute("aria-rowcount").as_deref(), Some("10002"));
    let drawn = names(&root);
    assert!(drawn.len() < 200, "{} rows drawn", drawn.len());
    assert_eq!(drawn[0], "f0000");

    // Scrolled to the middle, the rows there are drawn (and the first ones are not).
    let rows = find_all(&root, "tbody tr.entry");
    let row_height = rows[0].get_bounding_client_rect().height();
    let top = find(&root, "tbody tr.spacer").get_bounding_client_rect().top();
    let window = web_sys::window().unwrap();
    window.scroll_to_with_x_and_y(0.0, window.scroll_y().unwrap() + top + 5000.0 * row_height);
    settle().await;
    settle().await;
    let drawn = names(&root);
    assert!(drawn.contains(&"f5000".to_string()), "drawn: {:?}…", drawn.first());
    assert!(!drawn.contains(&"f0000".to_string()));
    let row = find_all(&root, "tbody tr.entry").into_iter().find(|r| r.text_content().unwrap_or_default().starts_with("f5000")).unwrap();
    assert_eq!(row.get_attribute("aria-rowindex").as_deref(), Some("5003"));
    let on_screen = row.get_bounding_client_rect();
    assert!(on_screen.top() > -row_height && on_screen.top() < window.inner_height().unwrap().as_f64().unwrap(), "f5000 is in view");
    window.scroll_to_with_x_and_y(0.0, 0.0);
}
