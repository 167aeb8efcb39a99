//! The map follows the story: when the step on show changes, the map's scroll pane scrolls
//! (itself only: never the page, which may be a tutorial embedding Stowage) so that what the
//! step is about is in view. Not while the learner is scrolling the pane.
//!
//! What a step is about is drawn with the `is-hot` class; of nested hot elements (a card and
//! the layer in it) the innermost ones count, so a copy-up brings its source layer and the
//! writable layer into view, not the top of a tall card.

use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use crate::model::focus::Focus;

/// After a wheel or touch scroll, the pane is the learner's for this long.
const HANDS_OFF_MS: f64 = 2000.0;
/// Room kept around the focus when scrolling to it.
const MARGIN: f64 = 12.0;

/// Scrolls the pane around `map` to the step's focus whenever it changes. Returns the handler
/// the map puts on wheel and touch events, which keeps the hands off while the learner scrolls.
#[hook]
pub fn use_follow_focus(map: NodeRef, focus: Option<Focus>) -> Callback<()> {
    let last_scrolled_by_hand = use_mut_ref(|| f64::NEG_INFINITY);
    {
        let last = last_scrolled_by_hand.clone();
        use_effect_with(focus, move |focus| {
            // Measured in the next frame: the step's render has laid out by then.
            let frame: Option<AnimationFrame> = focus.as_ref().map(|_| {
                request_animation_frame(move |_| {
                    if js_sys::Date::now() - *last.borrow() < HANDS_OFF_MS {
                        return;
                    }
                    if let Some(el) = map.cast::<Element>() {
                        bring_into_view(&el);
                    }
                })
            });
            move || drop(frame)
        });
    }
    Callback::from(move |()| *last_scrolled_by_hand.borrow_mut() = js_sys::Date::now())
}

/// Scrolls the map's scroll pane by the least that shows the innermost hot elements (their
/// top first, if they are taller than the pane).
fn bring_into_view(map: &Element) {
    let Ok(Some(pane)) = map.closest(".pane-body") else { return };
    let Ok(all) = map.query_selector_all(".is-hot") else { return };
    let hot: Vec<Element> = (0..all.length()).filter_map(|i| all.item(i)?.dyn_into::<Element>().ok()).collect();
    // Innermost only: an element that holds another hot one does not count.
    let rects: Vec<(f64, f64)> = hot
        .iter()
        .filter(|outer| !hot.iter().any(|inner| inner != *outer && outer.contains(Some(inner))))
        .map(|el| el.get_bounding_client_rect())
        .filter(|r| r.height() > 0.0)
        .map(|r| (r.top(), r.bottom()))
        .collect();
    let (Some(top), Some(bottom)) = (rects.iter().map(|r| r.0).reduce(f64::min), rects.iter().map(|r| r.1).reduce(f64::max)) else {
        return;
    };
    let view = pane.get_bounding_client_rect();
    let delta = if top < view.top() + MARGIN || bottom - top > view.height() - 2.0 * MARGIN {
        top - view.top() - MARGIN
    } else if bottom > view.bottom() - MARGIN {
        bottom - view.bottom() + MARGIN
    } else {
        return;
    };
    pane.set_scroll_top(pane.scroll_top() + delta.round() as i32);
}
