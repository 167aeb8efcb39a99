//! The flight recorder for a trap. The web build aborts on a panic (`panic = "abort"`), and a
//! trapped WebAssembly instance can't be trusted to draw anything, so the crash screen belongs
//! to the page's own script (`index.html`). What that screen needs — the line being run, the
//! link of the session before it, the panic's message — is noted here in `window.stowageRunning`
//! before every line the engine runs: a few property writes, no rendering.
//!
//! `?test-trap` in the address makes the line `stowage-test-trap` panic where an engine panic
//! would, so the end-to-end tests can check the crash screen. Without it the line is an
//! ordinary command (bash's "command not found").

/// The line that traps when the page was opened with `?test-trap`.
pub const TEST_TRAP_LINE: &str = "stowage-test-trap";

/// Notes that `line` is about to run, and `reopen`, the address of the session without it;
/// panics for the test trap.
pub fn before_run(reopen: &str, line: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        record(&[("line", line), ("reopen", reopen), ("message", "")]);
        if line == TEST_TRAP_LINE && test_traps_enabled() {
            panic!("the test trap was run (?test-trap)");
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (reopen, line);
}

/// Keeps a panic's message for the crash screen, and prints it on the console as Yew's own
/// hook would (Yew replaces any hook set with `std::panic::set_hook` when it renders).
pub fn install_panic_hook() {
    #[cfg(target_arch = "wasm32")]
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        record(&[("message", &message)]);
        web_sys::console::error_1(&message.into());
    }));
}

#[cfg(target_arch = "wasm32")]
fn record(fields: &[(&str, &str)]) {
    use wasm_bindgen::JsValue;
    let Some(window) = web_sys::window() else { return };
    let key = JsValue::from_str("stowageRunning");
    let target = match js_sys::Reflect::get(&window, &key) {
        Ok(existing) if existing.is_object() => existing,
        _ => {
            let fresh = js_sys::Object::new().into();
            let _ = js_sys::Reflect::set(&window, &key, &fresh);
            fresh
        }
    };
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&target, &JsValue::from_str(name), &JsValue::from_str(value));
    }
}

#[cfg(target_arch = "wasm32")]
fn test_traps_enabled() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|search| search.trim_start_matches('?').split('&').any(|p| p == "test-trap"))
}
