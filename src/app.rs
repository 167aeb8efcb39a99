//! The whole screen: top bar, terminal, and the right pane (storage map or explorer) with the
//! narration bar. State lives in two reducers (session, preferences); timers and local
//! storage are touched in effects only.

use gloo_render::request_animation_frame;
use gloo_timers::callback::Timeout;
use stowage_engine::{Engine, ExplorerTarget};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::components::embed_menu::EmbedMenu;
use crate::components::explorer::Explorer;
use crate::components::guide::Guide;
use crate::components::icons::{icon, Icon};
use crate::components::lessons::Lessons;
use crate::components::level::LevelPanel;
use crate::components::narration::Narration;
use crate::components::splitter::{Splitter, SPLIT_DEFAULT};
use crate::components::storage_map::{summary, StorageMap};
use crate::components::terminal::Terminal;
use crate::components::top_bar::TopBar;
use crate::model::editor::Submit;
use crate::model::embed::{self, EmbedView};
use crate::model::lessons::{self, Finished};
use crate::model::level_progress::{Outcome, Progress};
use crate::model::link;
use crate::model::player::PlayerAction;
use crate::model::prefs::{Prefs, PrefsAction, Theme};
use crate::model::session::{Action, Session};

const THEME_KEY: &str = "stowage.theme";
const FONT_KEY: &str = "stowage.font";
const LESSONS_KEY: &str = "stowage.lessons.finished";
const LEVELS_KEY: &str = "stowage.levels";
/// How long after a command the address catches up with the session.
const ADDRESS_DELAY_MS: u32 = 300;
/// How long "Link copied" stays in the top bar.
const SHARE_STATUS_MS: u32 = 4000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Map,
    Explorer,
    Lessons,
}

impl Tab {
    /// The tabs in the order they are shown.
    const ALL: [Tab; 3] = [Tab::Explorer, Tab::Map, Tab::Lessons];

    fn id(self) -> &'static str {
        match self {
            Tab::Map => "tab-storage-map",
            Tab::Explorer => "tab-explorer",
            Tab::Lessons => "tab-lessons",
        }
    }
}

/// Replaces the address's `#…` part, without a new history entry.
fn set_location_hash(hash: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    if location.hash().unwrap_or_default() == hash {
        return;
    }
    // (The query, `?embed…`, stays.)
    let url = if hash.is_empty() {
        format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default())
    } else {
        hash.to_string()
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The address's `?…` part (empty without one).
fn location_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// The address's `#…` part (empty without one).
fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// The address of this page with `hash` as its `#…` part.
fn address_with_hash(hash: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!("{}{}{hash}", location.origin().ok()?, location.pathname().ok()?))
}

/// Starts writing `text` to the clipboard. (`navigator.clipboard` is looked up by name: web-sys
/// still ships it behind an unstable flag.)
fn write_clipboard(text: &str) -> Option<js_sys::Promise> {
    let navigator = web_sys::window()?.navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok()?;
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    write.call1(&clipboard, &text.into()).ok()?.dyn_into::<js_sys::Promise>().ok()
}

/// A level's text from its address data: base64url of raw deflate, inflated by the browser's
/// own `DecompressionStream` (`window.stowageInflate` in index.html), so the page carries no
/// decompressor of its own.
async fn inflate(data: &str) -> Result<String, String> {
    let damaged = || "the link is damaged or cut short (copy it whole)".to_string();
    let inflate = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"stowageInflate".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or("this browser cannot inflate a level link")?;
    let promise =
        inflate.call1(&JsValue::NULL, &data.into()).ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok()).ok_or_else(damaged)?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok().and_then(|text| text.as_string()).ok_or_else(damaged)
}

/// Offers `text` as a download named `file` (a link clicked: no permission asked).
fn download(file: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(link) = document.create_element("a").ok().and_then(|a| a.dyn_into::<HtmlElement>().ok()) else { return };
    let href = format!("data:text/x-shellscript;charset=utf-8,{}", js_sys::encode_uri_component(text));
    let _ = link.set_attribute("href", &href);
    let _ = link.set_attribute("download", file);
    link.click();
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[function_component]
pub fn App() -> Html {
    // A link may name a scenario and the lines to replay: `#scenario=postgres&run=…`.
    // A level's own text in the address (`#level-text=`) is inflated by the page, then played.
    let link = use_memo((), |_| link::parse(&location_hash()));
    let session = use_reducer(|| {
        let level = link.level.as_deref().and_then(stowage_engine::levels::find);
        let mut session = match (level, link.scenario.as_deref().and_then(stowage_engine::scenarios::find)) {
            (Some(level), _) => Session::for_level(level),
            (None, Some(scenario)) => Session::for_scenario(scenario),
            (None, None) => Session::new(Engine::new()),
        };
        if link.level_text.is_none() {
            for line in &link.run {
                session.apply(Action::Submit(Submit::Run(vec![line.clone()])));
            }
        } else {
            session.notice = Some("Opening the level in this link…".into());
        }
        if let (Some(id), None) = (&link.level, &session.level) {
            session.link_note = Some(format!("This link asks for a level called \"{id}\"; there is none: here is the sandbox."));
        } else if let Some(id) = link.scenario.as_deref().filter(|id| stowage_engine::scenarios::find(id).is_none()) {
            session.link_note = Some(format!("This link asks for a scenario called \"{id}\"; there is none: here is the sandbox."));
        }
        session.notice = session.link_note.clone();
        session
    });
    {
        let dispatch = session.dispatcher();
        use_effect_with(link.clone(), move |link| {
            if let Some(data) = link.level_text.clone() {
                let run = link.run.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let text = inflate(&data).await;
                    dispatch.dispatch(Action::LoadLevelFromLink { data, text, run });
                });
            }
        });
    }
    // Inside another page (`?embed…`): a compact screen that talks with the host page.
    let embed = use_memo((), |_| embed::parse_query(&location_search()));
    let prefs = use_reducer(Prefs::default);
    let tab = use_state(|| Tab::Map);
    // The terminal's share of the width, in percent (the handle between it and the map).
    let split = use_state_eq(|| SPLIT_DEFAULT);

    // Preferences: read once, then applied to <html> and saved on every change.
    {
        let dispatch = prefs.dispatcher();
        use_effect_with((), move |_| {
            let storage = local_storage();
            let read = |key| storage.as_ref().and_then(|s| s.get_item(key).ok().flatten());
            dispatch.dispatch(PrefsAction::Load {
                theme: read(THEME_KEY).and_then(|t| Theme::parse(&t)),
                font_percent: read(FONT_KEY).and_then(|f| f.parse().ok()),
            });
        });
    }
    let host_theme = embed.as_ref().as_ref().and_then(|e| e.theme);
    use_effect_with(*prefs, move |prefs| {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            // An embedding page's theme wins over the reader's own (which stays saved).
            let _ = root.set_attribute("data-theme", host_theme.unwrap_or(prefs.theme.as_str()));
            let _ = root.set_attribute("style", &format!("font-size:{}%", prefs.font_percent()));
        }
        if prefs.loaded {
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(THEME_KEY, prefs.theme.as_str());
                let _ = storage.set_item(FONT_KEY, &prefs.font_percent().to_string());
            }
        }
    });

    // Finished lessons: read once (None until then), noted when a lesson's last step runs, and
    // saved on change.
    let finished = use_state_eq(|| None::<Finished>);
    {
        let finished = finished.clone();
        use_effect_with((), move |_| {
            let stored = local_storage().and_then(|s| s.get_item(LESSONS_KEY).ok().flatten());
            finished.set(Some(stored.map_or_else(Finished::default, |v| Finished::parse(&v))));
        });
    }
    {
        let finished = finished.clone();
        let loaded = finished.is_some();
        use_effect_with((session.scenario.id, session.next_step, loaded), move |(id, next_step, _)| {
            let complete = stowage_engine::scenarios::find(id).is_some_and(|s| lessons::is_complete(s, *next_step));
            if let (true, Some(known)) = (complete, finished.as_ref()) {
                let mut more = known.clone();
                if more.insert(id) {
                    if let Some(storage) = local_storage() {
                        let _ = storage.set_item(LESSONS_KEY, &more.serialize());
                    }
                    finished.set(Some(more));
                }
            }
        });
    }

    // Level progress: read once (an old or corrupt value is reset, and the learner told),
    // noted when a level is solved, saved on change.
    let progress = use_state_eq(|| None::<Progress>);
    let progress_notice = use_state_eq(|| None::<AttrValue>);
    {
        let progress = progress.clone();
        let progress_notice = progress_notice.clone();
        use_effect_with((), move |_| {
            let stored = local_storage().and_then(|s| s.get_item(LEVELS_KEY).ok().flatten());
            progress.set(Some(match stored.map(|v| Progress::parse(&v)) {
                None => Progress::default(),
                Some(Ok(p)) => p,
                Some(Err(fresh)) => {
                    progress_notice.set(Some(
                        "Your level progress was saved by another version of Stowage and could not be read: it starts afresh.".into(),
                    ));
                    fresh
                }
            }));
        });
    }
    {
        let progress = progress.clone();
        // (A teacher's level from a link is not one of the shipped ones: no progress is kept.)
        let finished = session.level.as_ref().filter(|p| p.solved() && p.from_link.is_none()).map(|p| {
            let outcome =
                if p.solution_shown { Outcome::SolutionShown } else { Outcome::Solved { par: session.typed.len() <= p.level.par() } };
            (p.level.id.clone(), outcome)
        });
        use_effect_with((finished, progress.is_some()), move |(finished, _)| {
            if let (Some((id, outcome)), Some(known)) = (finished, progress.as_ref()) {
                let mut more = known.clone();
                if more.record(id, *outcome) {
                    if let Some(storage) = local_storage() {
                        let _ = storage.set_item(LEVELS_KEY, &more.serialize());
                    }
                    progress.set(Some(more));
                }
            }
        });
    }
    let on_reset_progress = {
        let progress = progress.clone();
        let progress_notice = progress_notice.clone();
        use_callback((), move |(), _| {
            if let Some(storage) = local_storage() {
                let _ = storage.remove_item(LEVELS_KEY);
            }
            progress.set(Some(Progress::default()));
            progress_notice.set(Some("Level progress reset.".into()));
        })
    };

    // The host page, when embedded: its commands in, results, size and solved levels out.
    crate::host::use_host(
        (*embed).clone(),
        session.dispatcher(),
        session.host_ran.clone(),
        session.level.as_ref().filter(|p| p.solved()).map(|p| p.level.id.clone()),
    );

    // The animation timer: runs while a step plays, then asks for the next one.
    let player = &session.player;
    let running = player.running().map(|s| (s.seq, player.millis(s)));
    {
        let dispatch = session.dispatcher();
        use_effect_with(running, move |running| {
            let timer = running.map(|(seq, ms)| Timeout::new(ms, move || dispatch.dispatch(Action::Player(PlayerAction::Done { seq }))));
            move || drop(timer)
        });
    }
    // The right pane is drawn once the first frame is on screen: its first render (the storage
    // map above all) is most of the start-up work, and the command line should not wait for it.
    let pane_drawn = use_state_eq(|| false);
    {
        let pane_drawn = pane_drawn.clone();
        use_effect_with((), move |_| {
            let frame = request_animation_frame(move |_| {
                Timeout::new(0, move || pane_drawn.set(true)).forget();
            });
            move || drop(frame)
        });
    }

    let step = player.current().cloned();
    // What the last command removed is drawn as a ghost while its step plays, then dissolves.
    let ghosts = player.is_playing().then(|| session.before.clone());
    let step_ms = step.as_ref().map_or(2000, |s| player.millis(s));

    // Callbacks that never change, so children re-render only when their data does.
    let on_submit = {
        let dispatch = session.dispatcher();
        use_callback((), move |s, _| dispatch.dispatch(Action::Submit(s)))
    };
    let on_player = {
        let dispatch = session.dispatcher();
        use_callback((), move |a, _| dispatch.dispatch(Action::Player(a)))
    };
    let on_split = {
        let split = split.clone();
        use_callback((), move |v, _| split.set(v))
    };
    let on_scenario = {
        let dispatch = session.dispatcher();
        use_callback((), move |id, _| dispatch.dispatch(Action::LoadScenario(id)))
    };
    // Starting a lesson shows the storage map beside its guide.
    let on_lesson = {
        let dispatch = session.dispatcher();
        let tab = tab.clone();
        use_callback((), move |id, _| {
            tab.set(Tab::Map);
            dispatch.dispatch(Action::LoadScenario(id));
        })
    };
    // Playing a level shows the storage map beside its goals.
    let on_level = {
        let dispatch = session.dispatcher();
        let tab = tab.clone();
        use_callback((), move |id, _| {
            tab.set(Tab::Map);
            dispatch.dispatch(Action::LoadLevel(id));
        })
    };
    let on_hint = {
        let dispatch = session.dispatcher();
        use_callback((), move |(), _| dispatch.dispatch(Action::Hint))
    };
    let on_predict = {
        let dispatch = session.dispatcher();
        use_callback((), move |(i, choice): (usize, usize), _| dispatch.dispatch(Action::Predict(i, choice)))
    };
    let on_solution = {
        let dispatch = session.dispatcher();
        use_callback((), move |(), _| dispatch.dispatch(Action::ShowSolution))
    };
    let on_step = {
        let dispatch = session.dispatcher();
        use_callback((), move |i, _| dispatch.dispatch(Action::RunStep(i)))
    };
    // The address names the scenario and the lines run, so it shares or embeds this very session.
    // It is written a moment later: updating the address is slow, and typing must not wait.
    let hash = session.link_hash();
    use_effect_with(hash.clone(), |hash| {
        let hash = hash.clone();
        let timer = Timeout::new(ADDRESS_DELAY_MS, move || set_location_hash(&hash));
        move || drop(timer)
    });
    // Share copies the link of this session; the top bar says whether that worked.
    let share_status = use_state_eq(|| None::<&'static str>);
    {
        let share_status = share_status.clone();
        use_effect_with(*share_status, move |status| {
            let timer = status.map(|_| Timeout::new(SHARE_STATUS_MS, move || share_status.set(None)));
            move || drop(timer)
        });
    }
    // The session Share reads, kept current here so that its callback never changes (the top
    // bar then re-renders only when its own data does, not after every command).
    let shared = use_mut_ref(|| (String::new(), std::rc::Rc::default()));
    *shared.borrow_mut() = (hash.clone(), session.typed.clone());
    let on_share = {
        let share_status = share_status.clone();
        use_callback((), move |(), _| {
            let (hash, typed) = shared.borrow().clone();
            let complete = link::carries(&typed);
            // Right away too: the address may still be catching up with the last command.
            set_location_hash(&hash);
            let copying = address_with_hash(&hash).and_then(|url| write_clipboard(&url));
            let share_status = share_status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let copied = match copying {
                    Some(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
                    None => false,
                };
                share_status.set(Some(match (copied, complete) {
                    (true, true) => "Link copied",
                    (true, false) => "Link copied: it opens the scenario only (too many commands to carry)",
                    (false, _) => "The link to this session is in the address bar",
                }));
            });
        })
    };
    // Export downloads the session as a script: built on demand (it replays the session), from
    // the session as it is when pressed.
    let latest = use_mut_ref(|| None::<UseReducerHandle<Session>>);
    *latest.borrow_mut() = Some(session.clone());
    let on_export = use_callback((), move |(), _| {
        if let Some(script) = latest.borrow().as_ref().map(|s| s.export_script()) {
            download("stowage-session.sh", &script);
        }
    });
    let on_undo = {
        let dispatch = session.dispatcher();
        let share_status = share_status.clone();
        use_callback((), move |(), _| {
            share_status.set(None);
            dispatch.dispatch(Action::Undo);
        })
    };
    let status: AttrValue = match (*share_status, &session.notice) {
        (Some(share), _) => share.into(),
        (None, Some(notice)) => notice.clone().into(),
        (None, None) => AttrValue::default(),
    };
    let on_prefs = {
        let dispatch = prefs.dispatcher();
        use_callback((), move |a, _| dispatch.dispatch(a))
    };
    let complete = {
        let engine = session.engine.clone();
        use_callback((), move |(line, cursor): (String, usize), _| engine.complete(&line, cursor))
    };
    let list = {
        let engine = session.engine.clone();
        use_callback((), move |(target, path): (ExplorerTarget, String), _| engine.list_dir(&target, &path))
    };

    let select = |t: Tab| {
        let tab = tab.clone();
        Callback::from(move |_: MouseEvent| tab.set(t))
    };
    // Arrow keys, Home and End move between tabs (the tab list is one stop for Tab).
    let on_tabs_key = {
        let tab = tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            let (n, i) = (Tab::ALL.len(), Tab::ALL.iter().position(|t| *t == *tab).unwrap_or(0));
            let next = match e.key().as_str() {
                "ArrowRight" => Tab::ALL[(i + 1) % n],
                "ArrowLeft" => Tab::ALL[(i + n - 1) % n],
                "Home" => Tab::ALL[0],
                "End" => Tab::ALL[n - 1],
                _ => return,
            };
            e.prevent_default();
            tab.set(next);
            let button = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(next.id()))
                .and_then(|el| el.dyn_into::<HtmlElement>().ok());
            if let Some(button) = button {
                let _ = button.focus();
            }
        })
    };
    // With the map focused, → / PageDown and ← / PageUp step the narration: presentation
    // clickers send those keys. Only the map tab: the explorer keeps its keys.
    let on_map_key = {
        let dispatch = session.dispatcher();
        let on_map = *tab == Tab::Map;
        Callback::from(move |e: KeyboardEvent| {
            if !on_map || e.alt_key() || e.ctrl_key() || e.meta_key() || e.shift_key() {
                return;
            }
            let action = match e.key().as_str() {
                "ArrowRight" | "PageDown" => PlayerAction::Next,
                "ArrowLeft" | "PageUp" => PlayerAction::Previous,
                _ => return,
            };
            e.prevent_default();
            dispatch.dispatch(Action::Player(action));
        })
    };
    let tab_button = |t: Tab, glyph: Icon, label: &'static str| {
        let selected = *tab == t;
        html! {
            <button type="button" role="tab" id={t.id()} tabindex={if selected { "0" } else { "-1" }}
                aria-selected={selected.to_string()} aria-controls="pane" onclick={select(t)}>
                { icon(glyph) }{ label }
            </button>
        }
    };
    let view = session.view.clone();
    let embed_view = embed.as_ref().as_ref().map(|e| e.view);
    let app_class = classes!(
        "app",
        embed_view.map(|v| match v {
            EmbedView::Both => "embed",
            EmbedView::Terminal => "embed embed-terminal",
            EmbedView::Map => "embed embed-map",
        })
    );
    let on_reset = {
        let dispatch = session.dispatcher();
        use_callback((), move |(), _| dispatch.dispatch(Action::Reset(None)))
    };
    html! {
        <div class={app_class}>
            if embed_view.is_some() {
                <EmbedMenu full_app={address_with_hash(&hash).unwrap_or_default()} can_undo={session.can_undo()} on_undo={on_undo.clone()}
                    {on_reset} on_share={on_share.clone()} status={status.clone()} />
            } else {
                <TopBar theme={prefs.theme} can_grow={prefs.can_grow()} can_shrink={prefs.can_shrink()} {on_prefs}
                    scenario={session.scenario.id} {on_scenario} can_undo={session.can_undo()} on_undo={on_undo.clone()} {on_share} {on_export} {status} />
            }
            <main class="workspace" style={format!("--split:{}%", *split)}>
                <div class="left">
                    if let Some(play) = session.level.clone() {
                        <LevelPanel {play} typed={session.typed.len()} {on_hint} {on_solution} {on_predict} on_level={on_level.clone()} {on_undo} />
                    } else if embed_view.is_none() {
                        <Guide scenario={session.scenario} next_step={session.next_step} {on_step} on_lesson={on_lesson.clone()} />
                    }
                    <Terminal blocks={session.blocks.clone()} prompt={session.prompt.clone()}
                        marked={step.as_ref().map(|s| s.block)} {on_submit} {complete} note={session.link_note.clone().map(AttrValue::from)} />
                </div>
                <Splitter value={*split} on_change={on_split} />
                <div class="pane">
                    if *pane_drawn {
                        <div class="pane-body" id="pane" role="tabpanel" tabindex="0"
                            aria-labelledby={tab.id()} onkeydown={on_map_key}>
                            { match *tab {
                                Tab::Map => html! {
                                    <StorageMap view={view.clone()} before={ghosts.clone()}
                                        focus={step.as_ref().map(|s| s.focus.clone())} {step_ms}
                                        states={step.as_ref().map(|s| s.states.clone()).unwrap_or_default()}
                                        sizes={step.as_ref().map(|s| s.sizes.clone()).unwrap_or_default()}
                                        sizes_later={step.as_ref().map(|s| s.sizes_later.clone()).unwrap_or_default()}
                                        unborn={step.as_ref().map(|s| s.unborn.clone()).unwrap_or_default()}
                                        unborn_containers={step.as_ref().map(|s| s.unborn_containers.clone()).unwrap_or_default()}
                                        layer_paths={step.as_ref().map(|s| s.layer_paths.clone()).unwrap_or_default()} />
                                },
                                Tab::Explorer => html! {
                                    <Explorer containers={view.containers.iter().map(|c| c.name.clone()).collect::<Vec<_>>()}
                                        {list} revision={session.revision} />
                                },
                                Tab::Lessons => html! {
                                    <Lessons current={session.scenario} next_step={session.next_step}
                                        finished={(*finished).clone().unwrap_or_default()} on_start={on_lesson}
                                        level={session.level.as_ref().map(|p| (p.level.id.clone(), p.solved()))} {on_level}
                                        progress={(*progress).clone().unwrap_or_default()} progress_notice={(*progress_notice).clone()}
                                        {on_reset_progress} />
                                },
                            } }
                        </div>
                        <Narration step={step.clone()} playing={player.is_playing()} paused={player.paused} speed={player.speed}
                            has_previous={player.has_previous()} has_next={player.has_next()} pending={player.pending()}
                            on_action={on_player} {step_ms} />
                        <nav class="pane-foot" aria-label="Views">
                            <div role="tablist" aria-label="Right pane" class="tabs" onkeydown={on_tabs_key}>
                                { tab_button(Tab::Explorer, Icon::Folder, "Explorer") }
                                { tab_button(Tab::Map, Icon::Logo, "Storage map") }
                                { tab_button(Tab::Lessons, Icon::Book, "Lessons") }
                            </div>
                            <p class="status">{ summary(&view) }</p>
                        </nav>
                    }
                </div>
            </main>
        </div>
    }
}
