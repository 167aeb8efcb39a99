//! Connector lines from each mount chip up to what it mounts (a volume, a host folder, a
//! tmpfs in memory). Where things are comes from the laid-out page: the lines are measured
//! in the animation frame after a render, and again whenever the map changes size (window,
//! text size), so measuring never delays an update.
//!
//! A chip names its far end with `data-to` (an element id), and carries `data-key` (what it
//! mounts, as the focus keys say) and `data-kind` (the CSS kind). A far end may mark the
//! point to connect to with `data-port`.

use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, ResizeObserver};
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Connector {
    /// What the chip mounts (`volume:NAME`, `bind:PATH`, `tmpfs:C:TARGET`).
    pub key: String,
    /// The chip's kind class, e.g. `chip-volume`.
    pub kind: String,
    /// SVG path data, in the map's coordinates.
    pub d: String,
    /// A read-only mount: a padlock at each end.
    pub read_only: bool,
}

/// A curve from `from` (a chip's top) up to `to` (the bottom of what it mounts); `None`
/// when the far end is not above the chip.
pub fn curve(from: (f64, f64), to: (f64, f64)) -> Option<String> {
    let ((x1, y1), (x2, y2)) = (from, to);
    if y2 >= y1 {
        return None;
    }
    let mid = (y1 + y2) / 2.0;
    Some(format!("M{x1:.1} {y1:.1}C{x1:.1} {mid:.1} {x2:.1} {mid:.1} {x2:.1} {y2:.1}"))
}

fn measure(map: &Element) -> Vec<Connector> {
    let origin = map.get_bounding_client_rect();
    let Ok(chips) = map.query_selector_all("[data-to]") else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for i in 0..chips.length() {
        let Some(chip) = chips.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let attr = |name| chip.get_attribute(name);
        let (Some(to), Some(key), Some(kind)) = (attr("data-to"), attr("data-key"), attr("data-kind")) else {
            continue;
        };
        let selector = format!("#{to} [data-port], #{to}");
        let Ok(Some(end)) = map.query_selector(&selector) else {
            continue;
        };
        let (a, b) = (chip.get_bounding_client_rect(), end.get_bounding_client_rect());
        let from = (a.left() + a.width() / 2.0 - origin.left(), a.top() - origin.top());
        let to = (b.left() + b.width() / 2.0 - origin.left(), b.bottom() - origin.top());
        if let Some(d) = curve(from, to) {
            lines.push(Connector { key, kind, d, read_only: chip.class_list().contains("ro") });
        }
    }
    lines
}

/// The connectors of the map element in `map`, kept up to date.
#[hook]
pub fn use_connectors(map: NodeRef) -> Vec<Connector> {
    let lines = use_state_eq(Vec::new);
    // Size changes: the observer's callback runs after layout, so measuring there is cheap.
    {
        let map = map.clone();
        let lines = lines.clone();
        use_effect_with((), move |_| {
            let watch = map.cast::<Element>().and_then(|el| {
                let target = el.clone();
                let on_resize = Closure::<dyn FnMut()>::new(move || lines.set(measure(&target)));
                let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&el);
                Some((observer, on_resize))
            });
            move || {
                if let Some((observer, _on_resize)) = watch {
                    observer.disconnect();
                }
            }
        });
    }
    // Every render: measure in the next frame (cancelled if another render comes first).
    {
        let lines = lines.clone();
        use_effect(move || {
            let frame: AnimationFrame = request_animation_frame(move |_| {
                if let Some(el) = map.cast::<Element>() {
                    lines.set(measure(&el));
                }
            });
            move || drop(frame)
        });
    }
    (*lines).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_goes_up_from_the_chip_to_what_it_mounts() {
        assert_eq!(curve((10.0, 200.0), (50.0, 100.0)).as_deref(), Some("M10.0 200.0C10.0 150.0 50.0 150.0 50.0 100.0"));
        assert_eq!(curve((10.0, 100.0), (50.0, 120.0)), None);
    }
}
