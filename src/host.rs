//! The page around an embedded Stowage (`?embed`): its messages in, Stowage's replies out
//! (`window.postMessage`; the protocol is `model::embed`, documented in `docs/embed.md`).
//!
//! Messages are data, never code. Without `origin=`, only the parent window's are taken (of
//! any origin); with it, only that origin's. Anything else is ignored with one console warning.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, ResizeObserver, Window};
use yew::prelude::*;

use crate::model::embed::{self, Embed, HostMessage, Ran};
use crate::model::session::Action;

fn parent() -> Option<Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    // A page that is not framed is its own parent: nobody to talk to.
    (!js_sys::Object::is(&parent, &window)).then_some(parent)
}

/// Where replies go: the `origin=` given, else the origin of the parent's last message, else the
/// embedding page's as the referrer says, else any (`*`).
fn first_reply_origin(embed: &Embed) -> String {
    if let Some(origin) = &embed.origin {
        return origin.clone();
    }
    let referrer = web_sys::window().and_then(|w| w.document()).map(|d| d.referrer()).unwrap_or_default();
    let origin: String = referrer.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    if origin.starts_with("http") {
        origin
    } else {
        "*".into()
    }
}

fn post(to: &str, message: &Value) {
    let (Some(parent), Ok(text)) = (parent(), serde_json::to_string(message)) else { return };
    if let Ok(data) = js_sys::JSON::parse(&text) {
        let _ = parent.post_message(&data, to);
    }
}

fn warn(text: &str) {
    web_sys::console::warn_1(&JsValue::from_str(&format!("Stowage: ignored a message: {text}")));
}

/// Listens to the host page while embedded, and tells it `ready`, each `ran`, `resize` and
/// `solved`. `ran` is the session's results of the commands the host sent; `solved` the level
/// just solved, if one is.
#[hook]
pub fn use_host(
    embed: Option<Embed>,
    dispatch: UseReducerDispatcher<crate::model::session::Session>,
    ran: Rc<Vec<Ran>>,
    solved: Option<String>,
) {
    let reply_to = use_mut_ref(String::new);
    // Messages in; `ready` once listening.
    {
        let reply_to = reply_to.clone();
        use_effect_with(embed.clone(), move |embed| {
            let listener = embed.clone().and_then(|embed| {
                *reply_to.borrow_mut() = first_reply_origin(&embed);
                let window = web_sys::window()?;
                let reply = reply_to.clone();
                let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    receive(&embed, &e, &dispatch, &reply);
                });
                window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref()).ok()?;
                post(&reply_to.borrow(), &embed::ready_message());
                Some((window, on_message))
            });
            move || {
                if let Some((window, on_message)) = listener {
                    let _ = window.remove_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
                }
            }
        });
    }
    // Each result once.
    let told = use_mut_ref(|| 0usize);
    {
        let reply_to = reply_to.clone();
        let embedded = embed.is_some();
        use_effect_with(ran, move |ran| {
            if embedded {
                let mut told = told.borrow_mut();
                for r in ran.iter().skip(*told) {
                    post(&reply_to.borrow(), &r.message());
                }
                *told = ran.len();
            }
        });
    }
    {
        let reply_to = reply_to.clone();
        let embedded = embed.is_some();
        use_effect_with(solved, move |solved| {
            if let (true, Some(level)) = (embedded, solved) {
                post(&reply_to.borrow(), &embed::solved_message(level));
            }
        });
    }
    // The content's height, whenever it changes (a host may size the iframe to it).
    {
        let embedded = embed.is_some();
        use_effect_with((), move |_| {
            let watch = embedded.then(|| {
                let root = web_sys::window()?.document()?.document_element()?;
                let measured = root.clone();
                let on_resize = Closure::<dyn FnMut()>::new(move || {
                    post(&reply_to.borrow(), &embed::resize_message(f64::from(measured.scroll_height())));
                });
                let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok()?;
                observer.observe(&root);
                Some((observer, on_resize))
            });
            move || {
                if let Some(Some((observer, _on_resize))) = watch {
                    observer.disconnect();
                }
            }
        });
    }
}

/// One message: checked for its origin, read as data, turned into an action.
fn receive(embed: &Embed, e: &MessageEvent, dispatch: &UseReducerDispatcher<crate::model::session::Session>, reply: &Rc<RefCell<String>>) {
    let from_parent = match (e.source(), parent()) {
        (Some(source), Some(parent)) => js_sys::Object::is(&source, &parent),
        _ => false,
    };
    let allowed = match &embed.origin {
        Some(origin) => e.origin() == *origin && from_parent,
        None => from_parent,
    };
    if !allowed {
        warn(&format!("from {}, not the embedding page", e.origin()));
        return;
    }
    let data = js_sys::JSON::stringify(&e.data()).ok().and_then(|s| s.as_string()).and_then(|s| serde_json::from_str::<Value>(&s).ok());
    let message = match data.as_ref().map(embed::parse_message) {
        Some(Ok(m)) => m,
        Some(Err(why)) => return warn(&why),
        None => return warn("not JSON data"),
    };
    if embed.origin.is_none() && e.origin() != "null" {
        *reply.borrow_mut() = e.origin();
    }
    dispatch.dispatch(match message {
        HostMessage::Run { command, id } => Action::RunForHost { command, id },
        HostMessage::Reset { scenario } => Action::Reset(scenario),
        HostMessage::Level { id } => Action::LoadLevel(id),
    });
}
