//! The explorer: the files of the host or of a container's merged view, one directory at a
//! time, each entry marked with where it comes from (image layer, writable layer, volume, …).

use stowage_engine::{EntryKind, EntryView, ExplorerTarget, Origin};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::icons::{icon, Icon};
use crate::model::format::{base_name, human_size, join_path, mode_string, parent_path};

/// Where the explorer opens on the host.
pub const HOST_HOME: &str = "/home/student";

/// Listings longer than this are virtualized: only the rows near the viewport are in the page
/// (an image can hold a directory of 10,000 files).
pub const VIRTUAL_AFTER: usize = 200;
/// Rows drawn beyond each edge of the viewport, and the step the drawn window moves by (so a
/// scroll re-renders once per step, not once per row).
const OVERSCAN: usize = 30;
const WINDOW_STEP: usize = 15;

/// Which rows of a virtualized listing are in view: the first (rounded down to a window step)
/// and how many fit.
#[derive(Clone, Copy, Debug, PartialEq)]
struct InView {
    first: usize,
    rows: usize,
}

/// The rows to draw for `len` entries: `start..end`.
fn drawn_rows(len: usize, view: InView) -> (usize, usize) {
    let start = view.first.saturating_sub(OVERSCAN).min(len);
    let end = (view.first + view.rows + OVERSCAN).min(len);
    (start, end.max(start))
}

#[derive(Properties, PartialEq)]
pub struct ExplorerProps {
    /// The containers that can be looked into.
    pub containers: Vec<String>,
    /// Lists a directory: the engine's `list_dir`.
    pub list: Callback<(ExplorerTarget, String), Vec<EntryView>>,
    /// Changes whenever the world may have changed, so the listing is read again.
    #[prop_or_default]
    pub revision: u64,
}

#[function_component]
pub fn Explorer(props: &ExplorerProps) -> Html {
    let place = use_state(|| (ExplorerTarget::Host, HOST_HOME.to_string()));
    // A container that is gone falls back to the host.
    let (target, path) = match &*place {
        (ExplorerTarget::Container(name), _) if !props.containers.contains(name) => (ExplorerTarget::Host, HOST_HOME.to_string()),
        other => other.clone(),
    };
    let entries = use_memo((target.clone(), path.clone(), props.revision), {
        let list = props.list.clone();
        move |(target, path, _)| list.emit((target.clone(), path.clone()))
    });

    // Virtualizing: the height of a row (measured), and which rows are in view (followed on
    // every scroll and resize).
    let virtual_list = entries.len() > VIRTUAL_AFTER;
    let row_px = use_state_eq(|| 30.0_f64);
    let in_view = use_state_eq(|| InView { first: 0, rows: 40 });
    let table_ref = use_node_ref();
    let top_ref = use_node_ref();
    {
        let (in_view, top_ref, row_px) = (in_view.clone(), top_ref.clone(), *row_px);
        use_effect_with((virtual_list, target.clone(), path.clone(), row_px.to_bits()), move |(virtual_list, ..)| {
            let window = web_sys::window().filter(|_| *virtual_list);
            let listening = window.map(|window| {
                let update = {
                    let window = window.clone();
                    move || {
                        let Some(top) = top_ref.cast::<web_sys::Element>() else { return };
                        let height = window.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(800.0);
                        let above = (-top.get_bounding_client_rect().top()).max(0.0);
                        let first = (above / row_px) as usize / WINDOW_STEP * WINDOW_STEP;
                        in_view.set(InView { first, rows: (height / row_px).ceil() as usize + WINDOW_STEP });
                    }
                };
                update();
                let update = Closure::<dyn Fn()>::new(update);
                // Capturing: the scroll of any scrolling ancestor reaches the window then.
                let _ = window.add_event_listener_with_callback_and_bool("scroll", update.as_ref().unchecked_ref(), true);
                let _ = window.add_event_listener_with_callback("resize", update.as_ref().unchecked_ref());
                (window, update)
            });
            move || {
                if let Some((window, update)) = listening {
                    let _ = window.remove_event_listener_with_callback_and_bool("scroll", update.as_ref().unchecked_ref(), true);
                    let _ = window.remove_event_listener_with_callback("resize", update.as_ref().unchecked_ref());
                }
            }
        });
    }
    {
        // Rows have one fixed height in a virtualized listing (CSS); it follows the text size.
        let (table_ref, row_px) = (table_ref.clone(), row_px.clone());
        use_effect(move || {
            let row = table_ref.cast::<web_sys::Element>().and_then(|t| t.query_selector("tr.entry").ok().flatten());
            if let Some(height) = row.map(|r| r.get_bounding_client_rect().height()).filter(|h| *h > 0.0) {
                row_px.set(height);
            }
        });
    }
    let (start, end) = if virtual_list { drawn_rows(entries.len(), *in_view) } else { (0, entries.len()) };
    let up_row = usize::from(path != "/");

    let go = {
        let place = place.clone();
        let target = target.clone();
        move |to: String| {
            let place = place.clone();
            let target = target.clone();
            Callback::from(move |_: MouseEvent| place.set((target.clone(), to.clone())))
        }
    };
    let on_target = {
        let place = place.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            place.set(match value.strip_prefix("c:") {
                Some(name) => (ExplorerTarget::Container(name.to_string()), "/".to_string()),
                None => (ExplorerTarget::Host, HOST_HOME.to_string()),
            });
        })
    };
    let selected = match &target {
        ExplorerTarget::Host => "host".to_string(),
        ExplorerTarget::Container(name) => format!("c:{name}"),
    };
    let where_ = match &target {
        ExplorerTarget::Host => "the host".to_string(),
        ExplorerTarget::Container(name) => format!("container {name}"),
    };

    // Breadcrumbs: `/`, `/home`, `/home/student`.
    let mut crumbs = vec![("/".to_string(), "/".to_string())];
    let mut acc = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        acc = join_path(if acc.is_empty() { "/" } else { &acc }, part);
        crumbs.push((acc.clone(), part.to_string()));
    }
    let last = crumbs.len() - 1;

    html! {
        <section class="explorer" aria-label="Explorer">
            <div class="explorer-bar">
                <label class="field">
                    <span>{ "Look at" }</span>
                    <select onchange={on_target}>
                        <option value="host" selected={selected == "host"}>{ "Host (vm), as root sees it" }</option>
                        { for props.containers.iter().map(|name| {
                            let value = format!("c:{name}");
                            html! { <option selected={selected == value} value={value.clone()}>{ format!("Container {name} (merged view)") }</option> }
                        }) }
                    </select>
                </label>
                <nav class="crumbs" aria-label="Path">
                    <ol>
                        { for crumbs.iter().enumerate().map(|(i, (full, name))| html! {
                            <li>
                                if i == last {
                                    <span aria-current="location"><code>{ name }</code></span>
                                } else {
                                    <button type="button" class="link-button" onclick={go(full.clone())}><code>{ name }</code></button>
                                }
                            </li>
                        }) }
                    </ol>
                </nav>
            </div>
            <table class={classes!("entries", virtual_list.then_some("virtual"))} ref={table_ref}
                aria-rowcount={(entries.len() + 1 + up_row).to_string()}>
                <caption class="sr-only">{ format!("Entries of {path} in {where_}") }</caption>
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col">{ "Name" }</th>
                        <th scope="col">{ "Mode" }</th>
                        <th scope="col">{ "Owner" }</th>
                        <th scope="col" class="num">{ "Size" }</th>
                        <th scope="col">{ "Comes from" }</th>
                    </tr>
                </thead>
                <tbody>
                    if path != "/" {
                        <tr class="up" aria-rowindex="2">
                            <td colspan="5">
                                <button type="button" class="link-button" onclick={go(parent_path(&path))}>
                                    { icon(Icon::Folder) }<code>{ ".." }</code><span class="sr-only">{ " (parent directory)" }</span>
                                </button>
                            </td>
                        </tr>
                    }
                    if virtual_list {
                        <tr class="spacer" aria-hidden="true" ref={top_ref}>
                            <td colspan="5" style={format!("height:{}px", start as f64 * *row_px)}></td>
                        </tr>
                    }
                    { for entries[start..end].iter().enumerate().map(|(i, e)| entry_row(e, &path, &go, start + i + 2 + up_row)) }
                    if virtual_list {
                        <tr class="spacer" aria-hidden="true">
                            <td colspan="5" style={format!("height:{}px", (entries.len() - end) as f64 * *row_px)}></td>
                        </tr>
                    }
                </tbody>
            </table>
            if entries.is_empty() {
                <p class="empty">{ format!("Nothing to show in {path} on {where_}.") }</p>
            }
        </section>
    }
}

fn entry_row(e: &EntryView, dir: &str, go: &impl Fn(String) -> Callback<MouseEvent>, row_index: usize) -> Html {
    let name = base_name(&e.path).to_string();
    let full = join_path(dir, &e.path);
    let is_dir = matches!(e.kind, EntryKind::Dir | EntryKind::OpaqueDir);
    let (kind_icon, kind_note) = match e.kind {
        EntryKind::Dir => (Icon::Folder, ""),
        EntryKind::OpaqueDir => (Icon::Folder, " (opaque directory)"),
        EntryKind::Symlink => (Icon::Link, " (symbolic link)"),
        EntryKind::Whiteout => (Icon::Whiteout, " (whiteout: deleted)"),
        EntryKind::File => (Icon::File, ""),
    };
    html! {
        <tr class={classes!("entry", format!("kind-{:?}", e.kind).to_lowercase())} key={e.path.clone()} aria-rowindex={row_index.to_string()}>
            <td class="name">
                if is_dir {
                    <button type="button" class="link-button" onclick={go(full)}>
                        { icon(kind_icon) }<code>{ &name }</code>{ "/" }
                    </button>
                } else {
                    { icon(kind_icon) }<code>{ &name }</code>
                }
                if !kind_note.is_empty() { <span class="sr-only">{ kind_note }</span> }
            </td>
            <td><code>{ mode_string(e.kind, e.mode) }</code></td>
            <td><code>{ format!("{}:{}", e.uid, e.gid) }</code></td>
            <td class="num"><code>{ if is_dir { String::new() } else { human_size(e.size) } }</code></td>
            <td>{ origin_tag(&e.origin) }</td>
        </tr>
    }
}

/// Where an entry comes from, with the shape of that kind of storage.
fn origin_tag(origin: &Origin) -> Html {
    let (class, tag_icon, text) = match origin {
        Origin::ImageLayer(n) => ("o-layer", Icon::Lock, format!("image layer L{n}")),
        Origin::WritableLayer => ("o-writable", Icon::Pencil, "writable layer".to_string()),
        Origin::Volume(name) => ("o-volume", Icon::Volume, format!("volume {}", stowage_engine::events::short_name(name))),
        Origin::Bind(path) => ("o-bind", Icon::Folder, format!("bind {path}")),
        Origin::Tmpfs => ("o-tmpfs", Icon::Memory, "tmpfs (memory)".to_string()),
        Origin::Docker => ("o-docker", Icon::Logo, "added by Docker".to_string()),
        Origin::Host => ("o-host", Icon::Host, "host".to_string()),
    };
    html! { <span class={classes!("origin", class)}>{ icon(tag_icon) }{ text }</span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_virtual_listing_draws_the_rows_in_view_and_a_margin() {
        assert_eq!(drawn_rows(10_000, InView { first: 0, rows: 40 }), (0, 70));
        assert_eq!(drawn_rows(10_000, InView { first: 4500, rows: 40 }), (4470, 4570));
        assert_eq!(drawn_rows(10_000, InView { first: 9990, rows: 40 }), (9960, 10_000));
        // A listing that shrank under the window draws what is left.
        assert_eq!(drawn_rows(5, InView { first: 9990, rows: 40 }), (5, 5));
    }
}
