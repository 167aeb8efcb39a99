//! Stowage web app: a terminal on the left, the storage map (or the explorer) on the right,
//! and an animation queue that narrates the engine's events one at a time.
//!
//! `model` is plain Rust (tested natively); `components` are Yew function components that
//! render the model and hold side effects (timers, local storage) in effects only.

pub mod app;
pub mod components;
pub mod model;

/// Mounts the app on `<body>`, in place of the start-up notice of `index.html`.
pub fn start() {
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    yew::Renderer::<app::App>::new().render();
}
