//! The top bar: product name, scenario picker, Undo and Share, font size and theme.

use stowage_engine::scenarios::SCENARIOS;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::icons::{icon, Icon};
use crate::model::prefs::{PrefsAction, Theme};

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub theme: Theme,
    pub can_grow: bool,
    pub can_shrink: bool,
    pub on_prefs: Callback<PrefsAction>,
    /// The id of the scenario in use; choosing another starts over with it.
    pub scenario: &'static str,
    pub on_scenario: Callback<String>,
    /// There is a command to take back.
    pub can_undo: bool,
    pub on_undo: Callback<()>,
    pub on_share: Callback<()>,
    /// Download the session as a shell script for a real Docker host.
    pub on_export: Callback<()>,
    /// What Undo or Share just did, in words (read out politely; empty when nothing).
    pub status: AttrValue,
}

#[function_component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let act = |a: PrefsAction| props.on_prefs.reform(move |_: MouseEvent| a);
    let theme_button = |theme: Theme, glyph: Icon, label: &'static str| {
        html! {
            <button type="button" class="icon-button" aria-label={label} title={label}
                aria-pressed={(props.theme == theme).to_string()} onclick={act(PrefsAction::Theme(theme))}>
                { icon(glyph) }
            </button>
        }
    };
    let on_change = props.on_scenario.reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    html! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">{ icon(Icon::Logo) }</span>
                <h1>{ "Stowage" }</h1>
                <span class="tagline">{ "Docker storage simulator" }</span>
            </div>
            <label class="field scenario">
                <span class="label">{ "Scenario" }</span>
                <select onchange={on_change} title="Start over with a prepared example">
                    { for SCENARIOS.iter().map(|s| html! {
                        <option value={s.id} selected={s.id == props.scenario}>{ s.title }</option>
                    }) }
                </select>
            </label>
            <div class="tools">
                <p class="tool-status" role="status" title={props.status.clone()}>{ props.status.clone() }</p>
                <div class="group" role="group" aria-label="Session">
                    <button type="button" class="icon-button" title="Take back the last command" disabled={!props.can_undo}
                        onclick={props.on_undo.reform(|_: MouseEvent| ())}>
                        { icon(Icon::Undo) }<span class="label">{ "Undo" }</span>
                    </button>
                    <button type="button" class="icon-button" title="Copy a link that opens this session"
                        onclick={props.on_share.reform(|_: MouseEvent| ())}>
                        { icon(Icon::Link) }<span class="label">{ "Share" }</span>
                    </button>
                    <button type="button" class="icon-button" title="Download this session as a shell script for a real Docker host"
                        onclick={props.on_export.reform(|_: MouseEvent| ())}>
                        { icon(Icon::Terminal) }<span class="label">{ "Export as script" }</span>
                    </button>
                </div>
                <div class="group" role="group" aria-label="Font size">
                    <button type="button" class="icon-button text" title="Larger text" disabled={!props.can_grow} onclick={act(PrefsAction::Grow)}>
                        { "A+" }<span class="sr-only">{ " Larger text" }</span>
                    </button>
                    <button type="button" class="icon-button text" title="Smaller text" disabled={!props.can_shrink} onclick={act(PrefsAction::Shrink)}>
                        { "A−" }<span class="sr-only">{ " Smaller text" }</span>
                    </button>
                </div>
                <div class="group" role="group" aria-label="Theme">
                    { theme_button(Theme::System, Icon::Auto, "Theme: follow the system") }
                    { theme_button(Theme::Light, Icon::Sun, "Theme: light") }
                    { theme_button(Theme::Dark, Icon::Moon, "Theme: dark") }
                </div>
            </div>
        </header>
    }
}
