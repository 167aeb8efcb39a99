//! The handle between the terminal and the map: drag it, or focus it and use the arrow keys
//! (Home / End for the narrowest and widest), to give the terminal room for `docker ps`.

use web_sys::Element;
use yew::prelude::*;

/// The terminal's share of the window, in percent.
pub const SPLIT_MIN: u8 = 22;
pub const SPLIT_MAX: u8 = 80;
pub const SPLIT_DEFAULT: u8 = 31;
const KEY_STEP: u8 = 3;

#[derive(Properties, PartialEq)]
pub struct SplitterProps {
    /// The terminal's share, in percent.
    pub value: u8,
    pub on_change: Callback<u8>,
}

fn clamp(percent: f64) -> u8 {
    percent.round().clamp(SPLIT_MIN as f64, SPLIT_MAX as f64) as u8
}

#[function_component]
pub fn Splitter(props: &SplitterProps) -> Html {
    let dragging = use_mut_ref(|| false);
    let onkeydown = {
        let (value, on_change) = (props.value, props.on_change.clone());
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowLeft" | "ArrowDown" => value.saturating_sub(KEY_STEP).max(SPLIT_MIN),
                "ArrowRight" | "ArrowUp" => value.saturating_add(KEY_STEP).min(SPLIT_MAX),
                "Home" => SPLIT_MIN,
                "End" => SPLIT_MAX,
                _ => return,
            };
            e.prevent_default();
            on_change.emit(next);
        })
    };
    let onpointerdown = {
        let dragging = dragging.clone();
        Callback::from(move |e: PointerEvent| {
            // Captured, the pointer's moves come here even when it leaves the thin handle.
            if let Some(handle) = e.target_dyn_into::<Element>() {
                let _ = handle.set_pointer_capture(e.pointer_id());
            }
            *dragging.borrow_mut() = true;
        })
    };
    let onpointermove = {
        let (dragging, on_change) = (dragging.clone(), props.on_change.clone());
        Callback::from(move |e: PointerEvent| {
            // A move with no button down ends a drag whose release was missed (Chromium also
            // sends moves when the layout shifts under a still pointer).
            if e.buttons() & 1 == 0 {
                *dragging.borrow_mut() = false;
            }
            if !*dragging.borrow() {
                return;
            }
            let workspace = e.target_dyn_into::<Element>().and_then(|handle| handle.parent_element());
            if let Some(workspace) = workspace {
                let rect = workspace.get_bounding_client_rect();
                if rect.width() > 0.0 {
                    on_change.emit(clamp((e.client_x() as f64 - rect.left()) / rect.width() * 100.0));
                }
            }
        })
    };
    let onpointerup = Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false);
    html! {
        <div class="splitter" role="separator" aria-orientation="vertical" aria-label="Terminal width" tabindex="0"
            aria-valuenow={props.value.to_string()} aria-valuemin={SPLIT_MIN.to_string()} aria-valuemax={SPLIT_MAX.to_string()}
            aria-valuetext={format!("terminal {}% of the width", props.value)}
            {onkeydown} {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup}></div>
    }
}
