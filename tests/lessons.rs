//! The lessons panel in a real browser: where the learner stands with each lesson, and its buttons.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use stowage::components::lessons::{Lessons, LessonsProps};
use stowage::model::lessons::Finished;
use stowage::model::level_progress::Progress;
use stowage_engine::scenarios;
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn each_lesson_shows_its_standing_and_starts_on_a_click() {
    let started = Rc::new(RefCell::new(Vec::new()));
    let on_start = {
        let started = started.clone();
        Callback::from(move |id: String| started.borrow_mut().push(id))
    };
    let root = new_root();
    let on_level = Callback::from(|_: String| {});
    let props = LessonsProps {
        current: scenarios::find("postgres").unwrap(),
        next_step: 3,
        finished: Finished::parse("tmpfs"),
        on_start,
        level: None,
        on_level,
        progress: Progress::default(),
        progress_notice: None,
        on_reset_progress: Callback::noop(),
    };
    yew::Renderer::<Lessons>::with_root_and_props(root.clone(), props).render();
    settle().await;

    // The guided tours, beside the levels.
    let items = find_all(&root, "section[aria-labelledby=lessons-title] .lesson");
    assert_eq!(items.len(), 9, "every scenario but the sandbox");
    let item = |title: &str| items.iter().find(|li| text(li, "h3") == title).unwrap_or_else(|| panic!("no lesson {title}")).clone();
    let postgres = item("A database on a named volume");
    assert_eq!(postgres.get_attribute("aria-current").as_deref(), Some("true"));
    assert_eq!(text(&postgres, ".lesson-badge"), "in progress · 3 of 10 steps");
    assert_eq!(text(&postgres, "button"), "Start over");
    assert_eq!(text(&item("tmpfs: memory only"), ".lesson-badge"), "finished");
    let read_only = item("Read-only mounts");
    assert!(read_only.query_selector(".lesson-badge").unwrap().is_none());
    assert_eq!(text(&root, "section[aria-labelledby=lessons-title] .sub"), "1 of 9 finished · each starts on a machine prepared for it");

    click(&find(&read_only, "button"));
    assert_eq!(*started.borrow(), ["read-only"]);
}

#[wasm_bindgen_test]
async fn the_levels_are_listed_by_track_and_start_on_a_click() {
    let played = Rc::new(RefCell::new(Vec::new()));
    let on_level = {
        let played = played.clone();
        Callback::from(move |id: String| played.borrow_mut().push(id))
    };
    let root = new_root();
    let props = LessonsProps {
        current: scenarios::find("sandbox").unwrap(),
        next_step: 0,
        finished: Finished::default(),
        on_start: Callback::from(|_: String| {}),
        level: Some(("copy-up".into(), true)),
        on_level,
        progress: Progress::parse("v1;whiteout=par,tmpfs-secret=shown").expect("progress"),
        progress_notice: None,
        on_reset_progress: Callback::noop(),
    };
    yew::Renderer::<Lessons>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let tracks: Vec<String> = find_all(&root, ".track-title").iter().map(|h| h.text_content().unwrap_or_default()).collect();
    assert_eq!(tracks, ["Beginner", "Intermediate", "Expert"]);
    let levels = find_all(&root, "section[aria-labelledby=levels-title] .lesson");
    assert_eq!(levels.len(), stowage_engine::levels::all().len());
    let copy_up = levels.iter().find(|li| text(li, "h4") == "Copy-up").expect("copy-up").clone();
    assert_eq!(text(&copy_up, ".lesson-badge"), "solved");
    let badge = |title: &str| text(levels.iter().find(|li| text(li, "h4") == title).expect("level"), ".lesson-badge");
    assert_eq!(badge("Deleting an image file"), "solved · par");
    assert_eq!(badge("A secret that never touches the disk"), "solution shown");
    assert!(text(&root, "section[aria-labelledby=levels-title] .sub").starts_with("1 of 20 solved"));
    click(&find(&copy_up, "button"));
    assert_eq!(*played.borrow(), ["copy-up"]);
}
