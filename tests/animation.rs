//! The animation queue: its reducer, and the narration bar that shows and drives it.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use stowage::components::narration::{Narration, NarrationProps};
use stowage::model::player::{Player, PlayerAction, Speed};
use stowage_engine::{DenyCause, Event, Place};
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn events() -> Vec<Event> {
    vec![
        Event::CopyUp { container: "web".into(), path: "/etc/app/app.conf".into(), layer: 2, bytes: 11 },
        Event::WriteDenied {
            place: Place::Bind { host_path: "/home/student/site".into() },
            path: "/usr/share/nginx/html/index.html".into(),
            cause: DenyCause::ReadOnly { mount: "/usr/share/nginx/html".into() },
        },
    ]
}

#[wasm_bindgen_test]
fn the_reducer_plays_events_in_order_with_their_narration() {
    let mut p = Player::default();
    p.apply(PlayerAction::Enqueue { block: 3, events: events(), sizes: Vec::new() });
    let first = p.running().cloned().unwrap();
    assert_eq!(first.heading(), "Step 1 of 2");
    assert_eq!(first.caption, events()[0].narrate());
    assert_eq!(first.focus.kind, "copy-up");
    p.apply(PlayerAction::Done { seq: first.seq });
    assert_eq!(p.current().unwrap().caption, events()[1].narrate());
    p.apply(PlayerAction::Skip);
    assert!(p.running().is_none(), "skipped to the end");
    assert_eq!(p.current().unwrap().index, 2);
}

fn props(player: &Player, on_action: Callback<PlayerAction>) -> NarrationProps {
    NarrationProps {
        step: player.current().cloned(),
        playing: player.is_playing(),
        paused: player.paused,
        speed: player.speed,
        has_previous: player.has_previous(),
        has_next: player.has_next(),
        pending: player.pending(),
        on_action,
        step_ms: 2000,
    }
}

#[wasm_bindgen_test]
async fn the_caption_is_announced_and_the_controls_send_actions() {
    let mut player = Player::default();
    player.apply(PlayerAction::Enqueue { block: 1, events: events(), sizes: Vec::new() });
    let sent = Rc::new(RefCell::new(Vec::new()));
    let on_action = {
        let sent = sent.clone();
        Callback::from(move |a| sent.borrow_mut().push(a))
    };
    let root = new_root();
    yew::Renderer::<Narration>::with_root_and_props(root.clone(), props(&player, on_action)).render();
    settle().await;

    let live = find(&root, r#"[aria-live="polite"]"#);
    let caption = live.text_content().unwrap();
    assert!(caption.starts_with("Step 1 of 2 — copy-up: /etc/app/app.conf"), "{caption}");
    assert_eq!(find_all(&root, ".segments li").len(), 2);

    click(&find(&root, r#"button[aria-label="Pause"]"#));
    click(&find(&root, r#"button[aria-label="Next step"]"#));
    click(&find(&root, r#"button[aria-label="Skip to the end"]"#));
    assert!(find(&root, r#"button[aria-label="Previous step"]"#).has_attribute("disabled"));
    assert_eq!(*sent.borrow(), [PlayerAction::TogglePause, PlayerAction::Next, PlayerAction::Skip]);
    assert_eq!(find_all(&root, ".speed option").len(), Speed::ALL.len());
}

#[wasm_bindgen_test]
async fn with_nothing_to_play_the_bar_says_what_it_is_for() {
    let root = new_root();
    yew::Renderer::<Narration>::with_root_and_props(root.clone(), props(&Player::default(), Callback::noop())).render();
    settle().await;
    assert!(find(&root, ".narration").class_list().contains("is-idle"));
    assert!(text(&root, r#"[aria-live="polite"]"#).contains("one step at a time"));
}
