//! The explorer: the files of the host or of a container's merged view, one directory at a
//! time, each entry marked with where it comes from (image layer, writable layer, volume, …).

use stowage_engine::{EntryKind, EntryView, ExplorerTarget, Origin};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::icons::{icon, Icon};
use crate::model::format::{base_name, human_size, join_path, mode_string, parent_path};

/// Where the explorer opens on the host.
pub const HOST_HOME: &str = "/home/student";

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
            <table class="entries">
                <caption class="sr-only">{ format!("Entries of {path} in {where_}") }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Name" }</th>
                        <th scope="col">{ "Mode" }</th>
                        <th scope="col">{ "Owner" }</th>
                        <th scope="col" class="num">{ "Size" }</th>
                        <th scope="col">{ "Comes from" }</th>
                    </tr>
                </thead>
                <tbody>
                    if path != "/" {
                        <tr class="up">
                            <td colspan="5">
                                <button type="button" class="link-button" onclick={go(parent_path(&path))}>
                                    { icon(Icon::Folder) }<code>{ ".." }</code><span class="sr-only">{ " (parent directory)" }</span>
                                </button>
                            </td>
                        </tr>
                    }
                    { for entries.iter().map(|e| entry_row(e, &path, &go)) }
                </tbody>
            </table>
            if entries.is_empty() {
                <p class="empty">{ format!("Nothing to show in {path} on {where_}.") }</p>
            }
        </section>
    }
}

fn entry_row(e: &EntryView, dir: &str, go: &impl Fn(String) -> Callback<MouseEvent>) -> Html {
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
        <tr class={classes!("entry", format!("kind-{:?}", e.kind).to_lowercase())}>
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
