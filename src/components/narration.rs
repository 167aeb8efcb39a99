//! The narration bar: the caption of the event on show, and the controls of the animation
//! queue. The caption is also read out politely by screen readers.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::icons::{icon, Icon};
use crate::model::player::{PlayerAction, Speed, Step};

#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    /// The step on show.
    pub step: Option<Step>,
    /// The step is still playing (not finished).
    pub playing: bool,
    pub paused: bool,
    pub speed: Speed,
    pub has_previous: bool,
    pub has_next: bool,
    /// Steps queued after this one.
    pub pending: usize,
    pub on_action: Callback<PlayerAction>,
    /// The running step's duration, for the progress bar.
    #[prop_or(2000)]
    pub step_ms: u32,
}

#[function_component]
pub fn Narration(props: &NarrationProps) -> Html {
    let act = |a: PlayerAction| props.on_action.reform(move |_: MouseEvent| a.clone());
    let on_speed = props.on_action.reform(|e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        let speed = Speed::ALL.into_iter().find(|s| s.label() == value).unwrap_or(Speed::One);
        PlayerAction::SetSpeed(speed)
    });
    let (pause_icon, pause_label) = if props.paused { (Icon::Play, "Play") } else { (Icon::Pause, "Pause") };
    let state = match (&props.step, props.playing, props.paused) {
        (None, ..) => "idle",
        (Some(_), true, false) => "playing",
        (Some(_), true, true) => "paused",
        (Some(_), false, _) => "done",
    };
    html! {
        <section class={classes!("narration", format!("is-{state}"))} aria-label="Narration" style={format!("--step-ms:{}ms", props.step_ms)}>
            <span class="narr-icon" aria-hidden="true">{ icon(Icon::Eye) }</span>
            <div class="narr-text">
                <p class="caption" aria-live="polite" aria-atomic="true">
                    { match &props.step {
                        Some(step) => html! { <><strong>{ format!("{} — ", step.heading()) }</strong>{ &step.caption }</> },
                        None => html! { { "Each storage change a command makes plays here, one step at a time." } },
                    } }
                </p>
                if let Some(step) = &props.step {
                    <ol class="segments" aria-hidden="true">
                        { for (1..=step.total).map(|i| html! {
                            <li key={format!("{}-{i}", step.seq)} class={classes!(
                                (i < step.index || (i == step.index && !props.playing)).then_some("done"),
                                (i == step.index && props.playing).then_some("now"),
                            )}><span></span></li>
                        }) }
                    </ol>
                }
                if props.pending > 0 {
                    <p class="queued">{ format!("{} more step{} queued", props.pending, if props.pending == 1 { "" } else { "s" }) }</p>
                }
            </div>
            <div class="narr-controls" role="group" aria-label="Narration controls">
                <button type="button" class="icon-button" aria-label="Previous step" disabled={!props.has_previous} onclick={act(PlayerAction::Previous)}>{ icon(Icon::Previous) }</button>
                <button type="button" class="icon-button primary" aria-label={pause_label} aria-pressed={props.paused.to_string()} onclick={act(PlayerAction::TogglePause)}>{ icon(pause_icon) }</button>
                <button type="button" class="icon-button" aria-label="Next step" disabled={!props.has_next} onclick={act(PlayerAction::Next)}>{ icon(Icon::Next) }</button>
                <button type="button" class="icon-button" aria-label="Skip to the end" disabled={!props.has_next && !props.playing} onclick={act(PlayerAction::Skip)}>{ icon(Icon::Skip) }</button>
                <label class="speed">
                    <span class="sr-only">{ "Speed" }</span>
                    <select onchange={on_speed}>
                        { for Speed::ALL.iter().map(|s| html! { <option selected={*s == props.speed} value={s.label()}>{ s.label() }</option> }) }
                    </select>
                </label>
            </div>
        </section>
    }
}
