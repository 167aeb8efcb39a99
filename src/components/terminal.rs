//! The terminal: the transcript as a `role="log"` region, and the command line under it.
//!
//! The input is uncontrolled: [`Editor`] mirrors it and the handlers write its edits back, so
//! typing never re-renders the transcript.

use std::rc::Rc;

use gloo_render::request_animation_frame;
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use super::icons::{icon, Icon};
use crate::model::editor::{byte_to_utf16, utf16_to_byte, Completion, Editor, Submit};
use crate::model::session::{Block, PS2};
use crate::model::type_ahead::TypeAhead;

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub blocks: Rc<Vec<Rc<Block>>>,
    pub prompt: AttrValue,
    /// The block whose effect the storage map is showing.
    #[prop_or_default]
    pub marked: Option<usize>,
    pub on_submit: Callback<Submit>,
    /// The engine's completions for `(line, cursor)`, the cursor a byte offset.
    pub complete: Callback<(String, usize), Vec<String>>,
    /// Said under the banner: what the address asked for that does not exist.
    #[prop_or_default]
    pub note: Option<AttrValue>,
}

/// Puts the editor's line into the input, the cursor at byte `cursor` (default: the end).
fn show(input: &HtmlInputElement, editor: &Editor, cursor: Option<usize>) {
    input.set_value(&editor.input);
    let at = byte_to_utf16(&editor.input, cursor.unwrap_or(editor.input.len())) as u32;
    let _ = input.set_selection_range(at, at);
}

/// The input's selection as byte offsets.
fn selection(input: &HtmlInputElement, value: &str) -> (usize, usize) {
    let start = input.selection_start().ok().flatten().unwrap_or(0) as usize;
    let end = input.selection_end().ok().flatten().unwrap_or(start as u32) as usize;
    (utf16_to_byte(value, start), utf16_to_byte(value, end))
}

/// Takes over the start-up screen of `index.html`: what was typed there, and whether its
/// command line had the focus; the screen is removed. `None` when there is none.
fn take_start_up_screen() -> Option<TypeAhead> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let screen = document.get_element_by_id("boot")?;
    let mut typed = TypeAhead::default();
    if let Some(input) = document.get_element_by_id("boot-input").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
        typed.draft = input.value();
        typed.cursor = selection(&input, &typed.draft).1;
        typed.focused = document.active_element().is_some_and(|a| a.id() == "boot-input");
    }
    // The lines entered, kept by the page's script in `window.stowageTypeAhead`.
    if let Ok(lines) = js_sys::Reflect::get(&window, &"stowageTypeAhead".into()) {
        if js_sys::Array::is_array(&lines) {
            typed.lines = js_sys::Array::from(&lines).iter().filter_map(|line| line.as_string()).collect();
        }
    }
    screen.remove();
    Some(typed)
}

/// True when the user has text selected on the page (Ctrl+C then copies, as usual).
fn page_has_selection() -> bool {
    web_sys::window().and_then(|w| w.get_selection().ok().flatten()).is_some_and(|s| !s.is_collapsed())
}

#[function_component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let editor = use_mut_ref(Editor::default);
    let redraw = use_force_update();
    let input_ref = use_node_ref();
    let body_ref = use_node_ref();
    // After Esc, Tab leaves the terminal instead of completing (no keyboard trap).
    let tab_leaves = use_mut_ref(|| false);

    // Keep the newest output in view. Scrolling waits for the next frame: reading the height
    // now would force a layout before the browser is ready to paint anyway.
    {
        let body_ref = body_ref.clone();
        let key = (props.blocks.len(), props.blocks.last().map(|b| b.id), editor.borrow().pending.len());
        use_effect_with(key, move |_| {
            let frame = request_animation_frame(move |_| {
                if let Some(body) = body_ref.cast::<HtmlElement>() {
                    body.set_scroll_top(body.scroll_height());
                }
            });
            move || drop(frame)
        });
    }

    // The start-up screen gives way to this command line within the same task, so no keystroke
    // falls between them: its lines run, its draft and focus move here.
    {
        let editor = editor.clone();
        let input_ref = input_ref.clone();
        let on_submit = props.on_submit.clone();
        let redraw = redraw.clone();
        use_effect_with((), move |_| {
            let Some(typed) = take_start_up_screen() else { return };
            let commands = typed.replay_into(&mut editor.borrow_mut());
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                show(&input, &editor.borrow(), Some(typed.cursor()));
                if typed.focused {
                    let _ = input.focus();
                }
            }
            for command in commands {
                on_submit.emit(command);
            }
            // Continuation lines typed ahead are drawn above the input (the rest comes with the
            // app's new props).
            if !editor.borrow().pending.is_empty() {
                redraw.force_update();
            }
        });
    }

    let oninput = {
        let editor = editor.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            editor.borrow_mut().input = input.value();
        })
    };

    let onkeydown = {
        let editor = editor.clone();
        let on_submit = props.on_submit.clone();
        let complete = props.complete.clone();
        let tab_leaves = tab_leaves.clone();
        let redraw = redraw.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() {
                return;
            }
            let input: HtmlInputElement = e.target_unchecked_into();
            let leaves = std::mem::take(&mut *tab_leaves.borrow_mut());
            let ctrl = e.ctrl_key() && !e.alt_key() && !e.meta_key();
            let mut ed = editor.borrow_mut();
            ed.input = input.value();
            let submit = match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    let submit = ed.enter();
                    show(&input, &ed, None);
                    redraw.force_update();
                    submit
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let changed = if e.key() == "ArrowUp" { ed.history_up() } else { ed.history_down() };
                    if changed {
                        show(&input, &ed, None);
                    }
                    None
                }
                "Tab" if !e.shift_key() && !leaves && !ed.input.trim().is_empty() => {
                    e.prevent_default();
                    let (_, cursor) = selection(&input, &ed.input);
                    let candidates = complete.emit((ed.input.clone(), cursor));
                    match ed.complete(cursor, &candidates) {
                        Completion::Nothing => None,
                        Completion::Edited { cursor } => {
                            show(&input, &ed, Some(cursor));
                            None
                        }
                        Completion::Show(submit) => Some(submit),
                    }
                }
                "Escape" => {
                    *tab_leaves.borrow_mut() = true;
                    None
                }
                "l" | "L" if ctrl => {
                    e.prevent_default();
                    Some(Submit::ClearScreen)
                }
                // readline's line editing: start and end of line, cut before and after the
                // cursor, put back what was cut.
                "a" | "A" | "e" | "E" | "u" | "U" | "k" | "K" | "y" | "Y" if ctrl => {
                    e.prevent_default();
                    let (start, _) = selection(&input, &ed.input);
                    let cursor = match e.key().to_ascii_lowercase().as_str() {
                        "a" => 0,
                        "e" => ed.input.len(),
                        "u" => ed.kill_to_start(start),
                        "k" => ed.kill_to_end(start),
                        _ => ed.yank(start),
                    };
                    show(&input, &ed, Some(cursor));
                    None
                }
                "c" | "C" if ctrl => {
                    let (start, end) = selection(&input, &ed.input);
                    if start != end || page_has_selection() {
                        None // let the browser copy
                    } else {
                        e.prevent_default();
                        let submit = ed.interrupt();
                        show(&input, &ed, None);
                        redraw.force_update();
                        Some(submit)
                    }
                }
                _ => None,
            };
            drop(ed);
            if let Some(submit) = submit {
                on_submit.emit(submit);
            }
        })
    };

    let onpaste = {
        let editor = editor.clone();
        let on_submit = props.on_submit.clone();
        Callback::from(move |e: Event| {
            let Some(text) = e.dyn_ref::<ClipboardEvent>().and_then(|c| c.clipboard_data()).and_then(|d| d.get_data("text/plain").ok())
            else {
                return;
            };
            if !text.contains(['\n', '\r']) {
                return; // one line: the browser pastes it
            }
            e.prevent_default();
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut ed = editor.borrow_mut();
            ed.input = input.value();
            let sel = selection(&input, &ed.input);
            let (submits, cursor) = ed.paste(sel, &text);
            show(&input, &ed, Some(cursor));
            drop(ed);
            for submit in submits {
                on_submit.emit(submit);
            }
            redraw.force_update();
        })
    };

    // A click anywhere in the terminal (that does not select text) goes to the command line.
    let onclick = {
        let input_ref = input_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if !page_has_selection() {
                if let Some(input) = input_ref.cast::<HtmlElement>() {
                    let _ = input.focus();
                }
            }
        })
    };

    let pending = editor.borrow().pending.clone();
    let entry_prompt = if pending.is_empty() { props.prompt.to_string() } else { PS2.to_string() };
    html! {
        <section class="terminal" aria-label="Terminal">
            <header class="term-head">
                { icon(Icon::Terminal) }
                <h2>{ "Terminal" }</h2>
                <span class="term-sub">{ shell_place(&props.prompt) }</span>
            </header>
            <div class="term-body" ref={body_ref} {onclick}>
                <p class="term-banner">
                    { "Stowage sandbox · simulated Docker Engine 26.1 (overlay2)" }<br />
                    { "Nothing here runs for real: the whole machine lives in this page." }<br />
                    { "New here? Pick a lesson in the Lessons tab, or type any docker command." }
                </p>
                if let Some(note) = &props.note {
                    <p class="term-banner term-note">{ note.clone() }</p>
                }
                // Only keyed blocks in here: Yew then moves or keeps them instead of rebuilding.
                <div class="term-log" role="log" aria-label="Terminal output">
                    { for props.blocks.iter().map(|b| html! {
                        <BlockView key={b.id} block={b.clone()} marked={props.marked == Some(b.id)} />
                    }) }
                </div>
                <div class="term-entry">
                    { for pending.iter().enumerate().map(|(i, line)| html! {
                        <div class="cmd-line">
                            { prompt_html(if i == 0 { &props.prompt } else { PS2 }) }
                            <span class="cmd">{ words(line) }</span>
                        </div>
                    }) }
                    <div class="cmd-line">
                        <span id="term-prompt">{ prompt_html(&entry_prompt) }</span>
                        <input ref={input_ref} class="cmd-input" type="text" aria-label="Command"
                            aria-describedby="term-prompt term-keys" autocomplete="off" autocapitalize="off"
                            spellcheck="false" enterkeyhint="send" {oninput} {onkeydown} {onpaste} />
                    </div>
                </div>
            </div>
            <footer class="term-foot" id="term-keys">
                <span>{ "↑↓ history · Tab complete · Ctrl+L clear · Ctrl+C cancel" }</span>
                <span>{ "Esc then Tab leaves" }</span>
            </footer>
        </section>
    }
}

/// Where commands run, from the prompt: `bash · student@vm` on the host.
fn shell_place(prompt: &str) -> String {
    match prompt.split(':').next().filter(|p| p.contains('@')) {
        Some(place) => format!("bash · {place}"),
        None => "shell inside a container".to_string(),
    }
}

/// `student@vm:~$ ` drawn in parts (user@host, directory, sigil); other prompts as they are.
fn prompt_html(prompt: &str) -> Html {
    let sigil_at = prompt.trim_end().len().saturating_sub(1);
    match (prompt.find(':'), prompt.get(sigil_at..)) {
        (Some(colon), Some(rest)) if colon < sigil_at && (rest.starts_with('$') || rest.starts_with('#')) => {
            html! {
                <span class="prompt">
                    <span class="p-user">{ &prompt[..colon] }</span>
                    { ":" }
                    <span class="p-dir">{ &prompt[colon + 1..sigil_at] }</span>
                    { rest }
                </span>
            }
        }
        _ => html! { <span class="prompt">{ prompt }</span> },
    }
}

#[derive(Properties, PartialEq)]
struct BlockProps {
    block: Rc<Block>,
    marked: bool,
}

#[function_component]
fn BlockView(props: &BlockProps) -> Html {
    let b = &props.block;
    let last = b.lines.len().saturating_sub(1);
    html! {
        <div class={classes!("block", props.marked.then_some("is-marked"), b.undone.then_some("is-undone"))} data-block={b.id.to_string()}>
            { for b.lines.iter().enumerate().map(|(i, line)| html! {
                <div class="cmd-line">
                    { prompt_html(if i == 0 { &b.prompt } else { PS2 }) }
                    <span class="cmd">{ words(line) }</span>
                    if b.interrupted && i == last { <span class="ctrl-c">{ "^C" }</span> }
                </div>
            }) }
            if b.undone {
                <span class="undone-tag" title="Taken back by Undo: the machine is as if it never ran">{ icon(Icon::Undo) }{ "undone" }</span>
            }
            if props.marked {
                <span class="on-map">{ icon(Icon::Eye) }{ "on the map" }</span>
            }
            // The streams as written: a container's id after its image's pull, an error
            // between two lines of output.
            { for runs(b).into_iter().map(|(stderr, text)| if stderr { stderr_html(b, text) } else { stdout_html(text) }) }
            if b.exit_code != 0 {
                <span class="exit-badge" title="exit status">{ icon(Icon::Cross) }{ format!("exit {}", b.exit_code) }</span>
            }
        </div>
    }
}

/// More runs than this are drawn as stdout then stderr: a terminal of thousands of
/// alternations would be thousands of elements.
const MAX_RUNS: usize = 64;

/// A block's output as runs of one stream each, in the order written.
fn runs(b: &Block) -> Vec<(bool, &str)> {
    if !b.segments.is_empty() && b.segments.len() <= MAX_RUNS {
        return b.segments.iter().map(|s| (s.stderr, s.text.as_str())).collect();
    }
    [(false, b.stdout.as_str()), (true, b.stderr.as_str())].into_iter().filter(|(_, t)| !t.is_empty()).collect()
}

/// A run of standard output.
fn stdout_html(text: &str) -> Html {
    html! { <pre class="out">{ text.strip_suffix('\n').unwrap_or(text) }</pre> }
}

/// A run of standard error. Only the exit status says failure: a command that succeeded may
/// still write on stderr (pull progress, "Unable to find image … locally"), drawn as notes then.
fn stderr_html(b: &Block, text: &str) -> Html {
    html! {
        <div class={classes!("err", (b.exit_code == 0).then_some("note"))}>
            <span class="err-mark">{ icon(Icon::Alert) }<span class="sr-only">{ if b.exit_code == 0 { "standard error:" } else { "error output:" } }</span></span>
            <pre>{ text.strip_suffix('\n').unwrap_or(text) }</pre>
        </div>
    }
}

/// A command line as words that wrap whole (`--name` never splits after its dashes), the
/// spaces between them kept as typed; a word longer than the line still breaks.
fn words(line: &str) -> Html {
    let mut parts: Vec<Html> = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        let (gap, after) = rest.split_at_checked(spaces).unwrap_or((rest, ""));
        if !gap.is_empty() {
            parts.push(html! { { gap.to_string() } });
        }
        let end = after.find(' ').unwrap_or(after.len());
        let (word, tail) = after.split_at_checked(end).unwrap_or((after, ""));
        if !word.is_empty() {
            parts.push(html! { <span class="w">{ word.to_string() }</span> });
        }
        rest = tail;
    }
    html! { for parts }
}
