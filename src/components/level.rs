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
    /// Answer prediction `.0` with choice `.1`.
    pub on_predict: Callback<(usize, usize)>,
    /// Take back the last command (offered when a guard breaks).
    #[prop_or_default]
    pub on_undo: Callback<()>,
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
    let traps: Vec<_> = play.standing.traps.iter().filter_map(|i| level.traps.get(*i)).collect();
    // (A broken guard offers Undo already.)
    let offer_undo = traps.iter().any(|t| t.undo) && play.standing.broken.is_empty();
    let traps = traps.into_iter().map(|t| html! { <p class="trap-hint">{ t.hint.clone() }</p> });
    let hints = level.hints.iter().take(play.hints_shown).enumerate().map(|(i, h)| html! { <li>{ format!("Hint {}: {h}", i + 1) }</li> });
    let more_hints = play.hints_shown < level.hints.len();
    let predictions = level.predictions.iter().zip(&play.predictions).enumerate().filter(|(_, (_, s))| s.asked).map(|(i, (p, s))| {
        let feedback = match (s.answer, s.settled) {
            (None, None) => html! {},
            (Some(a), None) => html! { <p class="prediction-note">{ format!("Your prediction: {}. Go on and see.", p.choices[a].text.trim_end_matches('.')) }</p> },
            (answer, Some(outcome)) => {
                let happened = outcome.and_then(|o| p.choices.get(o)).map_or("none of these", |c| c.text.trim_end_matches('.'));
                let verdict = match answer {
                    Some(a) if Some(a) == outcome => "Right.".to_string(),
                    Some(a) => format!("You predicted: {}. Not quite.", p.choices[a].text.trim_end_matches('.')),
                    None => "You did not predict.".to_string(),
                };
                html! { <p class="prediction-note">{ format!("{verdict} What happened: {happened}. {}", p.explain) }</p> }
            }
        };
        let choices = p.choices.iter().enumerate().map(|(c, choice)| {
            let onchange = props.on_predict.reform(move |_: Event| (i, c));
            html! {
                <label class="prediction-choice">
                    <input type="radio" name={format!("prediction-{i}")} checked={s.answer == Some(c)}
                        disabled={s.settled.is_some()} {onchange} />
                    { choice.text.clone() }
                </label>
            }
        });
        html! {
            <fieldset class="prediction" aria-label="Prediction">
                <p class="prediction-question">{ p.question.clone() }</p>
                { for choices }
                { feedback }
            </fieldset>
        }
    });
    let (right, settled) = play.predictions_right();
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
                        if settled > 0 {
                            { format!(" Predictions right: {right} of {settled}.") }
                        }
                    }
                    if let Some(next) = next {
                        <button type="button" class="level-next" onclick={{ let id = next.id.clone(); props.on_level.reform(move |_: MouseEvent| id.clone()) }}>
                            { format!("Next level: {}", next.title) }
                        </button>
                    }
                }
            </p>
            { for predictions }
            if !play.standing.broken.is_empty() {
                <div class="guards" role="alert">
                    { for broken }
                    <button type="button" class="icon-button text" onclick={props.on_undo.reform(|_: MouseEvent| ())}>
                        { "Undo the last command" }
                    </button>
                </div>
            }
            if !play.standing.traps.is_empty() {
                <div class="traps">
                    { for traps }
                    if offer_undo {
                        <button type="button" class="icon-button text" onclick={props.on_undo.reform(|_: MouseEvent| ())}>
                            { "Undo the last command" }
                        </button>
                    }
                </div>
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
