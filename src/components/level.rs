//! The level being played: its story, its goals ticking as the machine changes (never as lines
//! are typed), a broken guard's warning, hints one at a time, the reference solution on demand,
//! and "Solved" with the lines typed against par. All text is the level's own, shown as text.

use yew::prelude::*;

use super::icons::{icon, Icon};
use crate::model::level_play::LevelPlay;

#[derive(Properties, PartialEq)]
pub struct LevelPanelProps {
    pub play: LevelPlay,
    /// Lines run since the level started (against par).
    pub typed: usize,
    pub on_hint: Callback<()>,
    pub on_solution: Callback<()>,
    /// Start the next level (by id), offered once this one is solved.
    pub on_level: Callback<String>,
}

#[function_component]
pub fn LevelPanel(props: &LevelPanelProps) -> Html {
    let play = &props.play;
    let level = &play.level;
    let goals = level.goals.iter().zip(&play.standing.met).map(|(check, met)| {
        html! {
            <li class={classes!("goal", met.then_some("met"))}>
                <span class="goal-mark" aria-hidden="true">{ if *met { icon(Icon::Check) } else { html! {} } }</span>
                <span class="goal-text">{ check.text.clone() }</span>
                <span class="goal-state">{ if *met { "done" } else { "to do" } }</span>
            </li>
        }
    });
    let broken = play
        .standing
        .broken
        .iter()
        .filter_map(|i| level.guards.get(*i))
        .map(|g| html! { <p class="guard-broken">{ g.broken.clone() }</p> });
    let hints = level.hints.iter().take(play.hints_shown).enumerate().map(|(i, h)| html! { <li>{ format!("Hint {}: {h}", i + 1) }</li> });
    let more_hints = play.hints_shown < level.hints.len();
    let next = stowage_engine::levels::all().iter().skip_while(|l| l.id != level.id).nth(1);
    html! {
        <section class="level" aria-labelledby="level-title">
            <h2 id="level-title" class="level-title">{ level.title.clone() }</h2>
            <p class="level-story">{ level.story.clone() }</p>
            <ul class="goals" aria-label="Goals">{ for goals }</ul>
            <p class="sr-only" aria-live="polite">{ play.change.clone().unwrap_or_default() }</p>
            <p class="level-status" role="status">
                if play.solved() {
                    { icon(Icon::Check) }
                    if play.solution_shown {
                        { "Solved (solution shown). Try it yourself: pick the level again to start over." }
                    } else {
                        { format!("Solved in {} {} (par {}).", props.typed, if props.typed == 1 { "line" } else { "lines" }, level.par()) }
                    }
                    if let Some(next) = next {
                        <button type="button" class="level-next" onclick={{ let id = next.id.clone(); props.on_level.reform(move |_: MouseEvent| id.clone()) }}>
                            { format!("Next level: {}", next.title) }
                        </button>
                    }
                }
            </p>
            if !play.standing.broken.is_empty() {
                <div class="guards" role="alert">{ for broken }</div>
            }
            if play.hints_shown > 0 {
                <ol class="hints" aria-label="Hints">{ for hints }</ol>
            }
            <div class="level-actions">
                <button type="button" class="icon-button text" onclick={props.on_hint.reform(|_: MouseEvent| ())} disabled={!more_hints}>
                    { "Hint" }
                </button>
                <button type="button" class="icon-button text" onclick={props.on_solution.reform(|_: MouseEvent| ())}>
                    { "Show solution" }
                </button>
            </div>
        </section>
    }
}
