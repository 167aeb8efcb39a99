//! Helpers for the browser tests: mount a component in a fresh element, drive it with real
//! DOM events, let Yew render, and query the result.
#![allow(dead_code)]

use std::time::Duration;

use wasm_bindgen::JsCast;
use web_sys::{
    ClipboardEvent, ClipboardEventInit, DataTransfer, Element, HtmlElement, HtmlInputElement, InputEvent, InputEventInit, KeyboardEvent,
    KeyboardEventInit,
};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element in <body> to render into.
pub fn new_root() -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

/// Lets Yew run its scheduled renders and effects.
pub async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(20)).await;
}

pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no element matches {selector}"))
}

pub fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap()).collect()
}

pub fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

pub fn command_input(root: &Element) -> HtmlInputElement {
    find(root, r#"input[aria-label="Command"]"#).dyn_into().unwrap()
}

/// Types `text` at the end of the input, as one input event.
pub fn type_text(input: &HtmlInputElement, text: &str) {
    let value = format!("{}{}", input.value(), text);
    input.set_value(&value);
    let len = value.encode_utf16().count() as u32;
    input.set_selection_range(len, len).unwrap();
    let init = InputEventInit::new();
    init.set_bubbles(true);
    init.set_data(Some(text));
    input.dispatch_event(&InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

/// Presses a key (e.g. `Enter`, `ArrowUp`, `Tab`, `l` with ctrl). Returns false when the app
/// prevented the default action.
pub fn press(target: &HtmlElement, key: &str, ctrl: bool) -> bool {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    target.dispatch_event(&KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()).unwrap()
}

/// Pastes `text` into the input as the clipboard would.
pub fn paste(input: &HtmlInputElement, text: &str) {
    let data = DataTransfer::new().unwrap();
    data.set_data("text/plain", text).unwrap();
    let init = ClipboardEventInit::new();
    init.set_clipboard_data(Some(&data));
    init.set_bubbles(true);
    init.set_cancelable(true);
    input.dispatch_event(&ClipboardEvent::new_with_event_init_dict("paste", &init).unwrap()).unwrap();
}

pub fn click(el: &Element) {
    el.dyn_ref::<HtmlElement>().unwrap().click();
}

/// The command lines of the terminal's blocks, in order.
pub fn block_commands(root: &Element) -> Vec<String> {
    find_all(root, r#"[role="log"] .block"#)
        .iter()
        .map(|b| find_all(b, ".cmd").iter().map(|c| c.text_content().unwrap_or_default()).collect::<Vec<_>>().join("\n"))
        .collect()
}
