//! The scenario's walk-through: the commands to type, in order, each with what to look for.
//! A step's button runs it as if typed; the next step to take is marked.

use stowage_engine::scenarios::Scenario;
use yew::prelude::*;

use super::icons::{icon, Icon};
use crate::model::lessons;

#[derive(Properties, PartialEq)]
pub struct GuideProps {
    pub scenario: &'static Scenario,
    /// The first step not yet run.
    pub next_step: usize,
    pub on_step: Callback<usize>,
    /// Start another lesson (by id): offered once this one is finished.
    pub on_lesson: Callback<String>,
}

#[function_component]
pub fn Guide(props: &GuideProps) -> Html {
    let scenario = props.scenario;
    let next_ref = use_node_ref();
    // Keep the next step in sight as the learner goes.
    {
        let next_ref = next_ref.clone();
        use_effect_with((scenario.id, props.next_step), move |_| {
            if let Some(el) = next_ref.cast::<web_sys::Element>() {
                el.scroll_into_view_with_bool(false);
            }
        });
    }
    if scenario.steps.is_empty() {
        return html! {};
    }
    let steps = scenario.steps.iter().enumerate().map(|(i, step)| {
        let state = match i.cmp(&props.next_step) {
            std::cmp::Ordering::Less => "done",
            std::cmp::Ordering::Equal => "next",
            std::cmp::Ordering::Greater => "later",
        };
        let onclick = props.on_step.reform(move |_: MouseEvent| i);
        html! {
            <li class={classes!("guide-step", state)} aria-current={(state == "next").then_some("step")}
                ref={if state == "next" { next_ref.clone() } else { NodeRef::default() }}>
                <button type="button" class="guide-run" {onclick}
                    aria-label={format!("Run step {}: {}", i + 1, step.command)} title="Run this command">
                    { icon(Icon::Play) }
                </button>
                <div class="guide-text">
                    <code>{ step.command }</code>
                    <span class="guide-note">{ step.note }</span>
                </div>
            </li>
        }
    });
    html! {
        <section class="guide" aria-label="Scenario guide">
            <details open=true>
                <summary>
                    <span class="guide-title">{ scenario.title }</span>
                    <span class="guide-progress">{ format!("{} of {} steps", props.next_step.min(scenario.steps.len()), scenario.steps.len()) }</span>
                </summary>
                <p class="guide-summary">{ scenario.summary }</p>
                <ol class="guide-steps">{ for steps }</ol>
                if lessons::is_complete(scenario, props.next_step) {
                    <p class="guide-done" role="status">
                        { icon(Icon::Check) }{ "Lesson finished." }
                        if let Some(next) = lessons::next_after(scenario.id) {
                            <button type="button" class="guide-next" onclick={props.on_lesson.reform(move |_: MouseEvent| next.id.to_string())}>
                                { format!("Next lesson: {}", next.title) }
                            </button>
                        }
                    </p>
                }
            </details>
        </section>
    }
}
