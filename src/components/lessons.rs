//! The lessons: every scenario that teaches step by step, where the learner stands with each,
//! and a button to start one (the machine starts over, prepared for it).

use stowage_engine::levels::Track;

use crate::model::level_progress::{Outcome, Progress};
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
    /// The level being played, if one is, and whether it is solved.
    pub level: Option<(String, bool)>,
    /// Start the level with this id.
    pub on_level: Callback<String>,
    /// What the learner did with each level (remembered), and a notice if it had to be reset.
    #[prop_or_default]
    pub progress: Progress,
    #[prop_or_default]
    pub progress_notice: Option<AttrValue>,
    /// Forget the level progress.
    #[prop_or_default]
    pub on_reset_progress: Callback<()>,
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
    let levels = stowage_engine::levels::all();
    let tracks = [(Track::Beginner, "Beginner"), (Track::Intermediate, "Intermediate"), (Track::Expert, "Expert")].map(|(track, name)| {
        let rows = levels.iter().filter(|l| l.track == track).map(|level| {
            let current = props.level.as_ref().filter(|(id, _)| *id == level.id);
            let badge = match (current, props.progress.get(&level.id)) {
                (_, Some(Outcome::Solved { par: true })) => {
                    html! { <span class="lesson-badge finished">{ icon(Icon::Check) }{ "solved · par" }</span> }
                }
                (Some((_, true)), _) | (_, Some(Outcome::Solved { par: false })) => {
                    html! { <span class="lesson-badge finished">{ icon(Icon::Check) }{ "solved" }</span> }
                }
                (Some((_, false)), _) => html! { <span class="lesson-badge current">{ "playing" }</span> },
                (None, Some(Outcome::SolutionShown)) => html! { <span class="lesson-badge">{ "solution shown" }</span> },
                (None, None) => html! {},
            };
            let id = level.id.clone();
            let onclick = props.on_level.reform(move |_: MouseEvent| id.clone());
            let title_id = format!("level-{}", level.id);
            html! {
                <li class="lesson" aria-labelledby={title_id.clone()} aria-current={current.is_some().then_some("true")}>
                    <div class="lesson-text">
                        <h4 id={title_id}>{ level.title.clone() }</h4>
                        <p class="lesson-meta">{ format!("{} goals · par {}", level.goals.len(), level.par()) }{ badge }</p>
                    </div>
                    <button type="button" class="icon-button" {onclick} aria-label={format!("Play level: {}", level.title)}>
                        { icon(Icon::Play) }{ "Play" }
                    </button>
                </li>
            }
        });
        html! {
            <>
                <h3 class="track-title">{ name }</h3>
                <ol class="lesson-list">{ for rows }</ol>
            </>
        }
    });
    html! {
        <>
            <section class="lessons" aria-labelledby="levels-title">
                <header class="lessons-head">
                    <h2 id="levels-title">{ "Levels" }</h2>
                    <p class="sub">{ format!("{} of {} solved · a goal to reach on a prepared machine, checked on the machine itself: any way that gets there counts", props.progress.solved(), levels.len()) }</p>
                    <button type="button" class="icon-button text" onclick={props.on_reset_progress.reform(|_: MouseEvent| ())}>
                        { "Reset level progress" }
                    </button>
                </header>
                if let Some(notice) = &props.progress_notice {
                    <p class="progress-notice" role="status">{ notice.clone() }</p>
                }
                { for tracks }
            </section>
            <section class="lessons" aria-labelledby="lessons-title">
                <header class="lessons-head">
                    <h2 id="lessons-title">{ "Guided tours" }</h2>
                    <p class="sub">{ format!("{} of {total} finished · each starts on a machine prepared for it", props.finished.len()) }</p>
                    <a class="tutorial-link" href="tutorial.html">{ "Read the storage tutorial: every command runnable, the map beside it" }</a>
                </header>
                <ol class="lesson-list">{ for items }</ol>
            </section>
        </>
    }
}
