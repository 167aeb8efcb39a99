//! The lessons: every scenario that teaches step by step, where the learner stands with each,
//! and a button to start one (the machine starts over, prepared for it).

use stowage_engine::scenarios::Scenario;
use yew::prelude::*;

use super::icons::{icon, Icon};
use crate::model::lessons::{lessons, standing, Finished, Standing};

#[derive(Properties, PartialEq)]
pub struct LessonsProps {
    /// The scenario on the machine now, and the first of its steps not yet run.
    pub current: &'static Scenario,
    pub next_step: usize,
    pub finished: Finished,
    /// Start the lesson with this id.
    pub on_start: Callback<String>,
}

#[function_component]
pub fn Lessons(props: &LessonsProps) -> Html {
    let total = lessons().count();
    let items = lessons().map(|lesson| {
        let state = standing(lesson, &props.finished, props.current, props.next_step);
        let steps = lesson.steps.len();
        let (class, badge, action) = match state {
            Standing::NotStarted => ("not-started", html! {}, "Start"),
            Standing::Current { done } => (
                "current",
                html! { <span class="lesson-badge current">{ format!("in progress · {done} of {steps} steps") }</span> },
                "Start over",
            ),
            Standing::Finished => {
                ("finished", html! { <span class="lesson-badge finished">{ icon(Icon::Check) }{ "finished" }</span> }, "Again")
            }
        };
        let id = lesson.id.to_string();
        let onclick = props.on_start.reform(move |_: MouseEvent| id.clone());
        let title_id = format!("lesson-{}", lesson.id);
        html! {
            <li class={classes!("lesson", class)} aria-labelledby={title_id.clone()}
                aria-current={matches!(state, Standing::Current { .. }).then_some("true")}>
                <div class="lesson-text">
                    <h3 id={title_id}>{ lesson.title }</h3>
                    <p>{ lesson.summary }</p>
                    <p class="lesson-meta">{ format!("{steps} steps") }{ badge }</p>
                </div>
                <button type="button" class="icon-button" {onclick} aria-label={format!("{action}: {}", lesson.title)}>
                    { icon(Icon::Play) }{ action }
                </button>
            </li>
        }
    });
    html! {
        <section class="lessons" aria-labelledby="lessons-title">
            <header class="lessons-head">
                <h2 id="lessons-title">{ "Lessons" }</h2>
                <p class="sub">{ format!("{} of {total} finished · each starts on a machine prepared for it", props.finished.len()) }</p>
            </header>
            <ol class="lesson-list">{ for items }</ol>
        </section>
    }
}
