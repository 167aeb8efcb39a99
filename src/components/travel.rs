//! Copy-up as movement: at a copy-up step the file's chip in the writable layer starts where
//! the file sits in its image layer (the layer row's file chip) and travels up into place,
//! while the image layer keeps its own copy. Positions come from the laid-out page, measured
//! in the frame after the step's render; the movement is a Web Animation on the one element,
//! so nothing re-renders while it plays. With `prefers-reduced-motion` the chip is simply in
//! place (the step's highlight and caption still say what happened).

use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;
use yew::prelude::*;

use crate::model::focus::Focus;

/// How long the chip travels.
const TRAVEL_MS: f64 = 900.0;

#[hook]
pub fn use_copy_up_travel(map: NodeRef, focus: Option<Focus>) {
    use_effect_with(focus, move |focus| {
        let frame: Option<AnimationFrame> = focus.as_ref().filter(|f| f.kind == "copy-up").map(|_| {
            request_animation_frame(move |_| {
                if let Some(el) = map.cast::<Element>() {
                    travel(&el);
                }
            })
        });
        move || drop(frame)
    });
}

fn reduced_motion() -> bool {
    web_sys::window().and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten()).is_some_and(|m| m.matches())
}

fn travel(map: &Element) {
    if reduced_motion() {
        return;
    }
    let find = |selector: &str| map.query_selector(selector).ok().flatten();
    let (Some(source), Some(chip)) = (find(".layer.is-hot [data-source]"), find(".writable .entry.is-hot")) else { return };
    let (from, to) = (source.get_bounding_client_rect(), chip.get_bounding_client_rect());
    let (dx, dy) = (from.left() - to.left(), from.top() - to.top());
    let start = js_sys::Object::new();
    let end = js_sys::Object::new();
    let set = |o: &js_sys::Object, k: &str, v: &str| {
        let _ = js_sys::Reflect::set(o, &k.into(), &v.into());
    };
    set(&start, "transform", &format!("translate({dx:.0}px, {dy:.0}px)"));
    set(&start, "opacity", "0.7");
    set(&end, "transform", "none");
    set(&end, "opacity", "1");
    let frames = js_sys::Array::of2(&start, &end);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"duration".into(), &JsValue::from_f64(TRAVEL_MS));
    set(&options, "easing", "cubic-bezier(0.2, 0.8, 0.2, 1)");
    // `Element.animate`, looked up by name (web-sys keeps it behind its Animation feature).
    if let Some(animate) = js_sys::Reflect::get(&chip, &"animate".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let _ = animate.call2(&chip, &frames, &options);
    }
}
