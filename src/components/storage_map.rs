//! The storage map: the host (Docker's volumes and images, the host folders that are
//! bind-mounted, memory) above one card per container. Every kind of storage has its own
//! shape and pattern; colour only repeats what shape and text already say.

use std::rc::Rc;

use stowage_engine::{
    BindView, ContainerState, ContainerView, EntryKind, EntryView, ImageView, LayerView, MountSource, MountView, VolumeView, WorldView,
};
use yew::prelude::*;

use super::connectors::use_connectors;
use super::follow::use_follow_focus;
use super::icons::{icon, Icon};
use super::refusal::PermissionCheck;
use super::travel::use_copy_up_travel;
use crate::model::focus::{key_bind, key_container, key_image, key_layer, key_mount, key_tmpfs, key_volume, key_writable, Focus};
use crate::model::format::{dom_id, human_size, instruction};
use crate::model::player::{LayerPaths, StateAt};
use stowage_engine::events::short_name;
use stowage_engine::{DenyCause, Event, Measured, SizeAt};

#[derive(Properties, PartialEq)]
pub struct StorageMapProps {
    pub view: Rc<WorldView>,
    /// The world before the last change: what it removed is drawn as a ghost while its
    /// event plays.
    #[prop_or_default]
    pub before: Option<Rc<WorldView>>,
    /// What the event on show is about.
    #[prop_or_default]
    pub focus: Option<Focus>,
    /// How long the step on show lasts, for the CSS animations.
    #[prop_or(2000)]
    pub step_ms: u32,
    /// The state, as of the step on show, of each container its command touched: a card says
    /// that state, and a container the command removed keeps its card until its removal.
    #[prop_or_default]
    pub states: Vec<StateAt>,
    /// The sizes, as of the step on show, of the volumes, writable layers and tmpfs mounts
    /// its command changed.
    #[prop_or_default]
    pub sizes: Vec<SizeAt>,
    /// The places its command changes only after the step on show: as they were before it.
    #[prop_or_default]
    pub sizes_later: Vec<Measured>,
    /// Volumes its command creates after the step on show: not drawn yet.
    #[prop_or_default]
    pub unborn: Vec<String>,
    /// Containers its command creates after the step on show: no card yet.
    #[prop_or_default]
    pub unborn_containers: Vec<String>,
    /// Writable-layer paths its command wrote by the step on show, and those it writes later.
    #[prop_or_default]
    pub layer_paths: LayerPaths,
}

/// A place's size as of the step on show, when its command changes it: measured by then, or
/// still as before the command (`before`; nothing for a place the command made).
fn size_of(sizes: &[SizeAt], later: &[Measured], of: &Measured, before: Option<(u64, usize)>) -> Option<(u64, usize)> {
    match sizes.iter().find(|s| s.of == *of) {
        Some(s) => Some((s.bytes, s.files)),
        None => later.contains(of).then(|| before.unwrap_or((0, 0))),
    }
}

/// What is highlighted: the event on show, and the two ends of a hovered or focused mount.
#[derive(Clone, PartialEq)]
struct Hot {
    focus: Option<Focus>,
    linked: Option<String>,
}

impl Hot {
    fn has(&self, key: &str) -> bool {
        self.focus.as_ref().is_some_and(|f| f.has(key)) || self.linked.as_deref() == Some(key)
    }
    fn path(&self) -> Option<&str> {
        self.focus.as_ref().and_then(|f| f.path.as_deref())
    }
    fn kind(&self) -> Option<&'static str> {
        self.focus.as_ref().map(|f| f.kind)
    }
    fn event(&self) -> Option<&Event> {
        self.focus.as_ref().and_then(|f| f.event.as_ref())
    }
    /// The permission refusal on show, when `key` is where it happened.
    fn permission_refusal(&self, key: &str) -> Option<DenyCause> {
        let cause = self.focus.as_ref().and_then(|f| f.deny_cause())?;
        (matches!(cause, DenyCause::Permission { .. }) && self.has(key)).then(|| cause.clone())
    }
}

/// The figure of a permission refusal at `key`, if that is what the step on show is.
fn permission_figure(hot: &Hot, key: &str) -> Html {
    match hot.permission_refusal(key) {
        Some(cause) => html! { <PermissionCheck {cause} /> },
        None => html! {},
    }
}

fn hot_class(on: bool) -> Option<&'static str> {
    on.then_some("is-hot")
}

/// Element ids of what mounts point at (their chips link there).
fn volume_id(name: &str) -> String {
    dom_id("vol", name)
}
fn bind_id(host_path: &str) -> String {
    dom_id("bind", host_path)
}
fn tmpfs_id(container: &str, target: &str) -> String {
    dom_id("tmpfs", &format!("{container}{target}"))
}

/// The key and the element id of what a mount mounts.
fn mount_source(container: &str, m: &MountView) -> (String, String) {
    match &m.source {
        MountSource::Volume { name, .. } => (key_volume(name), volume_id(name)),
        MountSource::Bind { host_path } => (key_bind(host_path), bind_id(host_path)),
        MountSource::Tmpfs { .. } => (key_tmpfs(container, &m.target), tmpfs_id(container, &m.target)),
    }
}

/// One line under the map: `overlay2 · 2 containers (2 running) · 2 volumes (1 dangling) · …`
pub fn summary(view: &WorldView) -> String {
    let running = view.containers.iter().filter(|c| c.state == ContainerState::Running).count();
    let dangling = view.volumes.iter().filter(|v| v.used_by.is_empty()).count();
    let tmpfs = view.containers.iter().flat_map(|c| &c.mounts).filter(|m| matches!(m.source, MountSource::Tmpfs { .. })).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let volumes = plural(view.volumes.len(), "volume");
    [
        "overlay2".to_string(),
        format!("{} ({running} running)", plural(view.containers.len(), "container")),
        if dangling > 0 { format!("{volumes} ({dangling} dangling)") } else { volumes },
        format!("{tmpfs} tmpfs"),
        plural(view.images.len(), "image"),
    ]
    .join(" · ")
}

#[function_component]
pub fn StorageMap(props: &StorageMapProps) -> Html {
    let linked = use_state(|| None::<String>);
    let on_link = {
        let linked = linked.clone();
        Callback::from(move |key: Option<String>| linked.set(key))
    };
    let hot = Hot { focus: props.focus.clone(), linked: (*linked).clone() };
    let view = &props.view;
    let map_ref = use_node_ref();
    let connectors = use_connectors(map_ref.clone());
    let on_hand_scroll = use_follow_focus(map_ref.clone(), props.focus.clone());
    use_copy_up_travel(map_ref.clone(), props.focus.clone());
    // A write refused by a read-only mount bounces on its link.
    let ro_refusal = matches!(hot.focus.as_ref().and_then(|f| f.deny_cause()), Some(DenyCause::ReadOnly { .. }));
    let (onwheel, ontouchmove) = (on_hand_scroll.reform(|_: WheelEvent| ()), on_hand_scroll.reform(|_: TouchEvent| ()));

    // What the last command removed (a `--rm` container too, which lived within it), while the
    // steps that tell of it are on show.
    let focused = props.focus.as_ref().and_then(|f| f.container());
    let state_at = |name: &str| props.states.iter().find(|s| s.container == name).map(|s| (s.state, s.exit_code));
    let removed_containers: Vec<ContainerView> = props
        .before
        .iter()
        .flat_map(|before| before.containers.iter())
        .filter(|c| !view.containers.iter().any(|v| v.name == c.name))
        .filter(|c| focused == Some(c.name.as_str()) || state_at(&c.name).is_some())
        .cloned()
        .collect();
    let any_removed = !removed_containers.is_empty();
    // Of those, the ones still alive at the step on show use their mounts then.
    let living: Vec<ContainerView> = removed_containers
        .iter()
        .filter(|c| state_at(&c.name).is_some_and(|(state, _)| state != ContainerState::Removed))
        .cloned()
        .collect();
    // A card as of the step on show: its writable layer's size then, and without the entries
    // its command writes only later (an entry written by then, or there before, stays).
    let as_of_step = |c: &ContainerView| -> ContainerView {
        let mut c = c.clone();
        let old = props.before.as_ref().and_then(|b| b.containers.iter().find(|old| old.name == c.name));
        let was = old.map(|old| (old.writable_bytes, old.writable_entries));
        if let Some((bytes, entries)) =
            size_of(&props.sizes, &props.sizes_later, &Measured::WritableLayer { container: c.name.clone() }, was)
        {
            (c.writable_bytes, c.writable_entries) = (bytes, entries);
        }
        let had = |path: &str| old.is_some_and(|old| old.writable.iter().any(|o| o.path == path));
        let name = c.name.clone();
        c.writable.retain(|e| had(&e.path) || !props.layer_paths.unwritten(&name, &e.path));
        c
    };
    let removed_volume = props.before.as_ref().and_then(|before| {
        before.volumes.iter().find(|v| hot.has(&key_volume(&v.name)) && !view.volumes.iter().any(|w| w.name == v.name)).cloned()
    });

    html! {
        <section class="map" ref={map_ref} aria-label="Storage map" data-anim={hot.kind()} style={format!("--step-ms:{}ms", props.step_ms)}
            {onwheel} {ontouchmove}>
            <svg class="connectors" aria-hidden="true" focusable="false">
                <defs>
                    // A padlock where a read-only link meets each end.
                    <marker id="conn-lock" viewBox="0 0 12 14" markerWidth="16" markerHeight="18" refX="6" refY="8" orient="0"
                        markerUnits="userSpaceOnUse">
                        <path class="lock-shackle" d="M3.5 6.5V4.5a2.5 2.5 0 0 1 5 0v2" />
                        <rect class="lock-body" x="1.5" y="6.5" width="9" height="6.5" rx="1.2" />
                    </marker>
                </defs>
                { for connectors.iter().map(|c| {
                    let is_hot = hot.has(&c.key);
                    let lock = c.read_only.then_some("url(#conn-lock)");
                    html! {
                        <>
                            <path d={c.d.clone()} class={classes!("conn", c.kind.replace("chip-", "conn-"), c.read_only.then_some("ro"), hot_class(is_hot))}
                                marker-start={lock} marker-end={lock} />
                            if is_hot && c.read_only && ro_refusal {
                                <path d={c.d.clone()} class="conn-write" pathLength="100" />
                            }
                            // The image's files flowing up into an empty volume on first mount.
                            if is_hot && hot.kind() == Some("populate") {
                                <path d={c.d.clone()} class="conn-flow" pathLength="100" />
                            }
                        </>
                    }
                }) }
            </svg>
            <header class="map-head">
                <h2>{ "Storage map" }</h2>
                <Legend />
            </header>
            <HostBand view={view.clone()} hot={hot.clone()} removed_volume={removed_volume} {living}
                sizes={props.sizes.clone()} sizes_later={props.sizes_later.clone()} unborn={props.unborn.clone()} before={props.before.clone()}
                unborn_containers={props.unborn_containers.clone()} />
            // Only keyed cards in here (a removed one last, as a ghost).
            <div class="cards">
                { for view.containers.iter().filter(|c| !props.unborn_containers.contains(&c.name)).map(|c| html! {
                    <ContainerCard key={c.name.clone()} container={as_of_step(c)} hot={hot.clone()} on_link={on_link.clone()}
                        image={view.images.iter().find(|i| i.tags.contains(&c.image)).cloned()} state_at={state_at(&c.name)} />
                }).chain(removed_containers.into_iter().map(|c| {
                    let key = format!("removed-{}", c.name);
                    let state_at = state_at(&c.name).or(Some((ContainerState::Removed, None)));
                    html! { <ContainerCard {key} container={c} hot={hot.clone()} on_link={on_link.clone()} removed=true {state_at} /> }
                })) }
            </div>
            if view.containers.is_empty() && !any_removed && focused.is_none() {
                <p class="empty cards-empty">
                    { "No containers yet. Start one, for example " }
                    <code>{ "docker run -d --name web demo/app:1.0 sleep 3600" }</code>
                </p>
            }
        </section>
    }
}

#[function_component]
fn Legend() -> Html {
    let item = |class: &'static str, text: &'static str| {
        html! {
            <li><span class={classes!("swatch", class)} aria-hidden="true"></span>{ text }</li>
        }
    };
    html! {
        <ul class="legend" aria-label="Legend">
            { item("sw-layer", "image layer") }
            { item("sw-writable", "writable layer") }
            { item("sw-volume", "named volume") }
            { item("sw-anon", "anonymous volume") }
            { item("sw-bind", "bind mount") }
            { item("sw-tmpfs", "tmpfs (RAM)") }
            <li>{ icon(Icon::Lock) }{ "read-only" }</li>
        </ul>
    }
}

#[derive(Properties, PartialEq)]
struct HostBandProps {
    view: Rc<WorldView>,
    hot: Hot,
    removed_volume: Option<VolumeView>,
    /// Containers gone from the world that were still alive at the step on show.
    living: Vec<ContainerView>,
    sizes: Vec<SizeAt>,
    sizes_later: Vec<Measured>,
    unborn: Vec<String>,
    before: Option<Rc<WorldView>>,
    unborn_containers: Vec<String>,
}

#[function_component]
fn HostBand(props: &HostBandProps) -> Html {
    let view = &props.view;
    let hot = &props.hot;
    // Every container alive at the step on show, for who uses what: the world's users, then
    // the ones the command on show has removed since.
    let alive = || view.containers.iter().chain(&props.living);
    let users = |known: &[String], pick: &dyn Fn(&MountSource) -> bool| -> Vec<String> {
        let mut names: Vec<String> = known.iter().filter(|n| !props.unborn_containers.contains(n)).cloned().collect();
        for c in props.living.iter().filter(|c| c.mounts.iter().any(|m| pick(&m.source))) {
            if !names.contains(&c.name) {
                names.push(c.name.clone());
            }
        }
        names
    };
    // Host folders bind-mounted now, then those only a container the command on show has
    // removed since was using (a `--rm` container's folder, while its steps play).
    // (A folder only containers not created yet at the step use is not drawn yet.)
    let mut binds: Vec<BindView> = view
        .binds
        .iter()
        .filter(|b| b.used_by.is_empty() || b.used_by.iter().any(|u| !props.unborn_containers.contains(u)))
        .cloned()
        .collect();
    for c in &props.living {
        for m in &c.mounts {
            if let MountSource::Bind { host_path } = &m.source {
                if !binds.iter().any(|b| b.host_path == *host_path) {
                    binds.push(BindView { host_path: host_path.clone(), used_by: Vec::new() });
                }
            }
        }
    }
    let tmpfs: Vec<(&ContainerView, &MountView, u64, Option<u64>)> = view
        .containers
        .iter()
        .flat_map(|c| c.mounts.iter().map(move |m| (c, m)))
        .filter_map(|(c, m)| match m.source {
            MountSource::Tmpfs { size_limit, used } => {
                let was = props
                    .before
                    .as_ref()
                    .and_then(|b| b.containers.iter().find(|o| o.name == c.name))
                    .and_then(|o| o.mounts.iter().find(|x| x.target == m.target))
                    .and_then(|x| match x.source {
                        MountSource::Tmpfs { used, .. } => Some((used, 0)),
                        _ => None,
                    });
                let at = size_of(
                    &props.sizes,
                    &props.sizes_later,
                    &Measured::Tmpfs { container: c.name.clone(), target: m.target.clone() },
                    was,
                );
                Some((c, m, at.map_or(used, |(bytes, _)| bytes), size_limit))
            }
            _ => None,
        })
        .collect();
    html! {
        <section class="host" aria-labelledby="host-title">
            <h3 id="host-title">{ icon(Icon::Host) }{ "Host (vm)" }<span class="sub">{ "files and memory of the machine Docker runs on" }</span></h3>
            <div class="host-grid">
                <div class="host-part docker-area">
                    <h4>{ "Docker area" }<code>{ "/var/lib/docker" }</code></h4>
                    // Images first: connectors come up from below to the volumes.
                    <ul class="images" aria-label="Images">
                        { for view.images.iter().map(|i| image(i, hot)) }
                    </ul>
                    <ul class="volumes" aria-label="Volumes">
                        { for view.volumes.iter().filter(|v| !props.unborn.contains(&v.name)).map(|v| {
                            // Its size as of the step on show, when the step's command changes it.
                            let was = props.before.as_ref().and_then(|b| b.volumes.iter().find(|w| w.name == v.name)).map(|w| (w.bytes, w.files));
                            let v = &match size_of(&props.sizes, &props.sizes_later, &Measured::Volume(v.name.clone()), was) {
                                Some((bytes, files)) => VolumeView { bytes, files, ..v.clone() },
                                None => v.clone(),
                            };
                            let used_by = users(&v.used_by, &|s| matches!(s, MountSource::Volume { name, .. } if *name == v.name));
                            let ro_in: Vec<&str> = alive()
                                .filter(|c| c.mounts.iter().any(|m| m.read_only && matches!(&m.source, MountSource::Volume { name, .. } if *name == v.name)))
                                .map(|c| c.name.as_str()).collect();
                            volume(v, &used_by, &ro_in, hot, false)
                        }) }
                        { for props.removed_volume.iter().map(|v| volume(v, &v.used_by, &[], hot, true)) }
                    </ul>
                    if view.volumes.is_empty() && props.removed_volume.is_none() {
                        <p class="empty">{ "No volumes." }</p>
                    }
                </div>
                <div class="host-part host-files">
                    <h4>{ icon(Icon::Folder) }{ "Host folders" }<span class="sub">{ "bind-mounted" }</span></h4>
                    <ul class="binds">
                        { for binds.iter().map(|b| {
                            let ro_in: Vec<&str> = alive()
                                .filter(|c| c.mounts.iter().any(|m| m.read_only && matches!(&m.source, MountSource::Bind { host_path } if *host_path == b.host_path)))
                                .map(|c| c.name.as_str()).collect();
                            html! {
                                <li id={bind_id(&b.host_path)} tabindex="-1" class={classes!("bind", hot_class(hot.has(&key_bind(&b.host_path))))}>
                                    { icon(Icon::Folder) }
                                    <code>{ &b.host_path }</code>
                                    if !ro_in.is_empty() {
                                        <span class="tag ro">{ icon(Icon::Lock) }{ format!("ro in {}", ro_in.join(", ")) }</span>
                                    }
                                    <span class="used-by">{ used_by(&users(&b.used_by, &|s| matches!(s, MountSource::Bind { host_path } if *host_path == b.host_path))) }</span>
                                    { permission_figure(hot, &key_bind(&b.host_path)) }
                                </li>
                            }
                        }) }
                    </ul>
                    if binds.is_empty() { <p class="empty">{ "No bind mounts." }</p> }
                </div>
                <div class="host-part memory">
                    <h4>{ icon(Icon::Memory) }{ "Memory" }<span class="sub">{ "RAM · never written to disk" }</span></h4>
                    <ul class="tmpfs-list">
                        { for tmpfs.iter().map(|(c, m, used, limit)| {
                            let key = key_tmpfs(&c.name, &m.target);
                            // A write refused for space: the tmpfs is full at its size.
                            let full = hot.has(&key) && matches!(hot.focus.as_ref().and_then(|f| f.deny_cause()), Some(DenyCause::NoSpace { .. }));
                            let share = limit.filter(|l| *l > 0).map(|l| (*used as f64 / l as f64).min(1.0));
                            html! {
                                <li id={tmpfs_id(&c.name, &m.target)} tabindex="-1" class={classes!("tmpfs", full.then_some("full"), hot_class(hot.has(&key)))}>
                                    <span class="tmpfs-title"><strong>{ "tmpfs" }</strong>{ " " }<code>{ format!("{}:{}", c.name, m.target) }</code>
                                        if full { <span class="tag full-tag">{ "full" }</span> }
                                    </span>
                                    if let Some(share) = share {
                                        <span class="tmpfs-bar" aria-hidden="true"><span style={format!("width:{:.1}%", share * 100.0)}></span></span>
                                    }
                                    <span class="tmpfs-use">
                                        { format!("{} used", human_size(*used)) }
                                        { limit.map(|l| format!(" of {}", human_size(l))).unwrap_or_default() }
                                        { if c.state == ContainerState::Running { format!(" · emptied when {} stops", c.name) } else { format!(" · empty while {} is stopped", c.name) } }
                                    </span>
                                </li>
                            }
                        }) }
                    </ul>
                    if tmpfs.is_empty() { <p class="empty">{ "No tmpfs mounts." }</p> }
                </div>
            </div>
        </section>
    }
}

fn used_by(names: &[String]) -> String {
    if names.is_empty() {
        "no container uses it".to_string()
    } else {
        format!("in use by {}", names.join(", "))
    }
}

/// What the step on show says of a volume filled from the image on its first mount.
fn populated_note(hot: &Hot, name: &str) -> Option<String> {
    match hot.event() {
        Some(Event::VolumePopulated { name: filled, container, target, files, uid, gid }) if filled == name => Some(format!(
            "{} copied in from {container}'s image at {target}, owner {uid}:{gid} kept",
            if *files == 1 { "1 entry".to_string() } else { format!("{files} entries") }
        )),
        _ => None,
    }
}

/// A volume's entry; `users` are the containers using it at the step on show, `ro_in` those
/// of them that mount it read-only.
fn volume(v: &VolumeView, users: &[String], ro_in: &[&str], hot: &Hot, removed: bool) -> Html {
    let dangling = users.is_empty();
    let kind = if v.anonymous { "anonymous volume" } else { "named volume" };
    html! {
        <li id={(!removed).then(|| volume_id(&v.name))} tabindex="-1"
            class={classes!("volume", v.anonymous.then_some("anonymous"), dangling.then_some("dangling"), (v.bytes == 0).then_some("no-data"),
                removed.then_some("removed"), hot_class(hot.has(&key_volume(&v.name))))}>
            <span class="cylinder" aria-hidden="true" data-port=""><span class="fill"></span></span>
            <span class="vol-text" role="group" aria-label={v.name.clone()}>
                <code class="vol-name" title={v.name.clone()}>{ short_name(&v.name) }</code>
                <span>{ format!("{kind} · {} · {}", human_size(v.bytes), files(v.files)) }</span>
                if removed {
                    <span class="tag">{ icon(Icon::Cross) }{ "removed" }</span>
                } else if dangling {
                    // Docker's word, drawn neutrally: an unused volume is fine, and kept.
                    <span class="tag dangling-tag">{ "dangling" }</span>
                }
                if !ro_in.is_empty() {
                    <span class="tag ro">{ icon(Icon::Lock) }{ format!("ro in {}", ro_in.join(", ")) }</span>
                }
                <span class="used-by">{ used_by(users) }</span>
                if let Some(note) = populated_note(hot, &v.name) {
                    <span class="flow-note">{ icon(Icon::File) }{ note }</span>
                }
                { permission_figure(hot, &key_volume(&v.name)) }
            </span>
        </li>
    }
}

fn files(n: usize) -> String {
    format!("{n} file{}", if n == 1 { "" } else { "s" })
}

fn image(i: &ImageView, hot: &Hot) -> Html {
    let is_hot = i.tags.iter().any(|t| hot.has(&key_image(t)));
    let name = if i.tags.is_empty() { format!("<none> {}", i.id_short) } else { i.tags.join(", ") };
    html! {
        <li class={classes!("image-chip", hot_class(is_hot))}>
            { icon(Icon::Logo) }
            <code>{ name }</code>
            <span class="sub">{ format!("{} layer{} · {}", i.layers.len(), if i.layers.len() == 1 { "" } else { "s" }, human_size(i.size)) }</span>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct CardProps {
    container: ContainerView,
    #[prop_or_default]
    image: Option<ImageView>,
    hot: Hot,
    on_link: Callback<Option<String>>,
    /// Not in the world any more: the command on show removed it (drawn as a ghost once the
    /// step on show is its removal).
    #[prop_or_default]
    removed: bool,
    /// Its state as of the step on show, when that step's command changed it.
    #[prop_or_default]
    state_at: Option<(ContainerState, Option<i32>)>,
}

/// Layers shown when a stack is folded: the top ones and the bottom one.
const FOLD_TOP: usize = 2;
const FOLD_LIMIT: usize = 5;

#[function_component]
fn ContainerCard(props: &CardProps) -> Html {
    let expanded = use_state(|| false);
    let c = &props.container;
    let hot = &props.hot;
    let title_id = dom_id("card", &c.name);
    let (state, exit_code) = props.state_at.unwrap_or((c.state, c.exit_code));
    let gone = props.removed && state == ContainerState::Removed;
    let (state_icon, state_class) = match state {
        ContainerState::Running => (Icon::Play, "running"),
        ContainerState::Created => (Icon::Pause, "created"),
        ContainerState::Exited => (Icon::Pause, "exited"),
        ContainerState::Removed => (Icon::Cross, "removed"),
        ContainerState::Paused => (Icon::Pause, "paused"),
    };
    // In words, as Docker would say it: `exited (137)`.
    let state_text = match (state, exit_code) {
        (ContainerState::Exited, Some(code)) => format!("exited ({code})"),
        _ => state_class.to_string(),
    };
    let image_size = props.image.as_ref().map_or_else(|| c.layers.iter().map(|l| l.size).sum(), |i| i.size);

    // Layers, top first; a tall stack folds its middle unless a hot layer is in it.
    let n = c.layers.len();
    let fold = !*expanded && n > FOLD_LIMIT;
    let visible = |number: usize| !fold || number > n - FOLD_TOP || number == 1 || hot.has(&key_layer(&c.name, number));
    let hidden: Vec<usize> = (1..=n).filter(|&k| !visible(k)).collect();
    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_| expanded.set(!*expanded))
    };

    html! {
        <article aria-labelledby={title_id.clone()} data-container={c.name.clone()}
            class={classes!("card", format!("state-{state_class}"), gone.then_some("removed"), hot_class(hot.has(&key_container(&c.name))))}>
            <ul class="mount-chips" aria-label={format!("Mounts of {}", c.name)}>
                { for c.mounts.iter().map(|m| mount_chip(&c.name, m, hot, &props.on_link)) }
            </ul>
            if let Some(Event::MountShadowsImage { target, hidden, .. }) = hot.event().filter(|_| hot.has(&key_container(&c.name))) {
                <p class="note shadow-note">
                    { icon(Icon::Whiteout) }
                    { format!("The mount at {target} hides {} of the image; the image still has {}.",
                        if *hidden == 1 { "1 entry".to_string() } else { format!("{hidden} entries") }, if *hidden == 1 { "it" } else { "them" }) }
                </p>
            }
            <header class="card-head">
                <h3 id={title_id}>{ &c.name }</h3>
                <span class="state" title={c.status.clone()}>{ icon(state_icon) }{ state_text }</span>
                <span class="user">{ format!("user {}", c.user) }</span>
                <code class="cid">{ &c.id_short }</code>
            </header>
            <div class={classes!("writable", c.read_only_root.then_some("read-only"), hot_class(hot.has(&key_writable(&c.name))))}>
                <div class="wl-head">
                    { icon(Icon::Pencil) }
                    <span>{ format!("writable layer (container {})", c.name) }</span>
                    <span class="size">{ human_size(c.writable_bytes) }</span>
                </div>
                if c.read_only_root {
                    <p class="note">{ icon(Icon::Lock) }{ "read-only root file system: writes outside mounts are refused" }</p>
                }
                if gone {
                    <p class="note">{ icon(Icon::Cross) }{ "thrown away with the container" }</p>
                }
                { permission_figure(hot, &key_writable(&c.name)) }
                <WritableEntries entries={c.writable.clone()} total={c.writable_entries} hot={hot.clone()} />
            </div>
            <div class="image-stack">
                <div class="img-head">
                    { icon(Icon::Lock) }
                    <span>{ "image " }<strong>{ &c.image }</strong>{ " · read-only" }</span>
                    <span class="size">{ format!("{n} layer{} · {}", if n == 1 { "" } else { "s" }, human_size(image_size)) }</span>
                </div>
                <ol class="layers" aria-label={format!("Image layers of {}, top first", c.name)}>
                    { for (1..=n).rev().map(|k| {
                        if visible(k) {
                            layer_row(&c.name, k, &c.layers[k - 1], hot)
                        } else if Some(&k) == hidden.last() {
                            html! {
                                <li class="layer folded">
                                    <button type="button" class="link-button" aria-expanded="false" onclick={toggle.clone()}>
                                        { format!("{} more layer{} (L{}–L{})", hidden.len(), if hidden.len() == 1 { "" } else { "s" }, hidden[0], k) }
                                    </button>
                                </li>
                            }
                        } else {
                            html! {}
                        }
                    }) }
                    if *expanded && n > FOLD_LIMIT {
                        <li class="layer folded">
                            <button type="button" class="link-button" aria-expanded="true" onclick={toggle.clone()}>{ "Fold the middle layers" }</button>
                        </li>
                    }
                </ol>
            </div>
            <footer class="card-foot">
                { format!("container size {} · virtual {}", human_size(c.writable_bytes), human_size(c.writable_bytes + image_size)) }
            </footer>
        </article>
    }
}

fn layer_row(container: &str, number: usize, layer: &LayerView, hot: &Hot) -> Html {
    let text = instruction(&layer.created_by);
    let is_hot = hot.has(&key_layer(container, number));
    // At a copy-up, the file it came from: the image keeps it, the copy travels up.
    let source = (is_hot && hot.kind() == Some("copy-up")).then(|| hot.path()).flatten();
    html! {
        <li class={classes!("layer", hot_class(is_hot))}>
            <span class="ln">{ format!("L{number}") }</span>
            { icon(Icon::Lock) }
            <code class="instr" title={format!("{} (diffID {})", layer.created_by, layer.diff_id_short)}>{ text }</code>
            if let Some(path) = source {
                <code class="file-chip" data-source="">{ icon(Icon::File) }{ path.rsplit('/').next().unwrap_or(path) }</code>
            }
            if layer.shared { <span class="tag shared">{ icon(Icon::Link) }{ "shared" }</span> }
            <code class="diff" title="diffID">{ &layer.diff_id_short }</code>
            <span class="size">{ human_size(layer.size) }</span>
        </li>
    }
}

fn mount_chip(container: &str, m: &MountView, hot: &Hot, on_link: &Callback<Option<String>>) -> Html {
    let (key, target_id) = mount_source(container, m);
    let (class, kind_icon, what) = match &m.source {
        MountSource::Volume { name, anonymous: false } => ("chip-volume", Icon::Volume, format!("named volume {name}")),
        MountSource::Volume { name, anonymous: true } => ("chip-anon", Icon::Volume, format!("anonymous volume {}", short_name(name))),
        MountSource::Bind { host_path } => ("chip-bind", Icon::Folder, format!("host folder {host_path}")),
        MountSource::Tmpfs { .. } => ("chip-tmpfs", Icon::Memory, "tmpfs in memory".to_string()),
    };
    let is_hot = hot.has(&key) || hot.has(&key_mount(container, &m.target));
    let denied = is_hot && hot.kind() == Some("denied");
    let enter = {
        let on_link = on_link.clone();
        let key = key.clone();
        Callback::from(move |_: FocusEvent| on_link.emit(Some(key.clone())))
    };
    let hover = {
        let on_link = on_link.clone();
        let key = key.clone();
        Callback::from(move |_: MouseEvent| on_link.emit(Some(key.clone())))
    };
    let leave = on_link.reform(|_: MouseEvent| None);
    let blur = on_link.reform(|_: FocusEvent| None);
    html! {
        <li>
            <a href={format!("#{target_id}")} data-to={target_id.clone()} data-key={key} data-kind={class}
                class={classes!("chip", class, m.read_only.then_some("ro"), hot_class(is_hot), denied.then_some("denied"))}
                onmouseenter={hover} onmouseleave={leave} onfocus={enter} onblur={blur}>
                { icon(kind_icon) }
                <span class="sr-only">{ format!("{what} at ") }</span>
                <code>{ &m.target }</code>
                if m.read_only { <span class="ro-mark">{ icon(Icon::Lock) }{ "ro" }</span> }
            </a>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct EntriesProps {
    /// The entries the view lists, and how many the layer has in all.
    entries: Vec<EntryView>,
    total: usize,
    hot: Hot,
}

/// Entries shown in a writable layer before "N more".
const ENTRIES_SHOWN: usize = 6;

#[function_component]
fn WritableEntries(props: &EntriesProps) -> Html {
    let hot = &props.hot;
    if props.entries.is_empty() {
        return html! { <p class="empty">{ "empty: nothing written yet" }</p> };
    }
    // Files first (they carry the story), the hot one always shown.
    let mut order: Vec<&EntryView> = props.entries.iter().collect();
    stowage_engine::sorting::sort_by_key(&mut order, |e| (hot.path() != Some(e.path.as_str()), e.kind == EntryKind::Dir));
    let more = props.total.max(order.len()).saturating_sub(ENTRIES_SHOWN.min(order.len()));
    html! {
        <ul class="wl-entries">
            { for order.iter().take(ENTRIES_SHOWN).map(|e| {
                let is_hot = hot.path() == Some(e.path.as_str());
                let (entry_icon, tag) = match e.kind {
                    EntryKind::Whiteout => (Icon::Whiteout, Some("whiteout")),
                    EntryKind::OpaqueDir => (Icon::Folder, Some("opaque dir")),
                    EntryKind::Dir => (Icon::Folder, None),
                    EntryKind::File | EntryKind::Symlink => (Icon::File, None),
                };
                let tag = match (is_hot, hot.kind()) {
                    (true, Some("copy-up")) => Some("copied up"),
                    (true, Some("write")) if tag.is_none() => Some("written"),
                    _ => tag,
                };
                html! {
                    <li class={classes!("entry", format!("kind-{}", tag.unwrap_or("plain").replace(' ', "-")), hot_class(is_hot))}>
                        { icon(entry_icon) }
                        <code>{ &e.path }</code>
                        if e.kind != EntryKind::Dir && e.kind != EntryKind::Whiteout { <span class="size">{ human_size(e.size) }</span> }
                        if let Some(tag) = tag { <span class="tag">{ tag }</span> }
                    </li>
                }
            }) }
            if more > 0 { <li class="entry more">{ format!("… {more} more") }</li> }
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_what_the_map_shows() {
        let mut view = WorldView::default();
        assert_eq!(summary(&view), "overlay2 · 0 containers (0 running) · 0 volumes · 0 tmpfs · 0 images");
        view.volumes.push(VolumeView { name: "data".into(), anonymous: false, used_by: vec![], files: 0, bytes: 0 });
        assert_eq!(summary(&view), "overlay2 · 0 containers (0 running) · 1 volume (1 dangling) · 0 tmpfs · 0 images");
    }
}
