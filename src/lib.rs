//! Stowage web app: a terminal on the left, the storage map (or the explorer) on the right,
//! and an animation queue that narrates the engine's events one at a time.
//!
//! `model` is plain Rust (tested natively); `components` are Yew function components that
//! render the model and hold side effects (timers, local storage) in effects only.

pub mod app;
pub mod components;
pub mod crash;
pub mod host;
pub mod model;

/// Mounts the app on `#app` of `index.html` (on `<body>` without one). Yew empties the element it
/// mounts on, so the start-up screen beside it stays until the terminal takes it over, with
/// what was typed on it, in its first effect.
pub fn start() {
    crash::install_panic_hook();
    match web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app")) {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
