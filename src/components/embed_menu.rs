//! The embedded screen's one control (it has no top bar): a small menu to start over, take a
//! command back, open the whole app on this session, or share it.

use yew::prelude::*;

use super::icons::{icon, Icon};

#[derive(Properties, PartialEq)]
pub struct EmbedMenuProps {
    /// The whole app's address for this very session.
    pub full_app: AttrValue,
    pub can_undo: bool,
    pub on_undo: Callback<()>,
    pub on_reset: Callback<()>,
    pub on_share: Callback<()>,
    /// What the last Share or Undo did, in words.
    pub status: AttrValue,
}

#[function_component]
pub fn EmbedMenu(props: &EmbedMenuProps) -> Html {
    html! {
        <header class="embed-bar">
            <span class="embed-brand">{ icon(Icon::Logo) }{ "Stowage" }</span>
            <p class="tool-status" role="status">{ props.status.clone() }</p>
            <details class="embed-menu">
                <summary class="icon-button">{ "Menu" }</summary>
                <div class="embed-menu-items">
                    <button type="button" class="icon-button" onclick={props.on_reset.reform(|_: MouseEvent| ())}>
                        { icon(Icon::Previous) }{ "Start over" }
                    </button>
                    <button type="button" class="icon-button" disabled={!props.can_undo} onclick={props.on_undo.reform(|_: MouseEvent| ())}>
                        { icon(Icon::Undo) }{ "Undo" }
                    </button>
                    <a class="icon-button" href={props.full_app.clone()} target="_blank" rel="noopener">
                        { icon(Icon::Logo) }{ "Open in Stowage" }
                    </a>
                    <button type="button" class="icon-button" onclick={props.on_share.reform(|_: MouseEvent| ())}>
                        { icon(Icon::Link) }{ "Share" }
                    </button>
                </div>
            </details>
        </header>
    }
}
