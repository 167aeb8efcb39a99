//! The terminal in a real browser: typing, Enter, history, Ctrl+L/`clear`, Ctrl+C, paste, Tab.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use stowage::app::App;
use stowage::components::terminal::Terminal;
use stowage::model::session::{Action, Session};
use stowage_engine::Engine;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn mount_app() -> web_sys::Element {
    // The address carries the lines typed (a shareable session): each test starts from none.
    let window = web_sys::window().unwrap();
    let path = window.location().pathname().unwrap();
    window.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)).unwrap();
    let root = new_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    root
}

async fn run(root: &web_sys::Element, line: &str) {
    let input = command_input(root);
    type_text(&input, line);
    press(input.unchecked_ref(), "Enter", false);
    settle().await;
}

#[wasm_bindgen_test]
async fn typing_a_command_and_enter_appends_its_output() {
    let root = mount_app().await;
    let prompt = Engine::new().prompt();
    assert_eq!(text(&root, ".term-entry .prompt"), prompt);
    run(&root, "echo hi").await;

    let blocks = find_all(&root, r#"[role="log"][aria-label="Terminal output"] .block"#);
    assert_eq!(blocks.len(), 1);
    let block = &blocks[0];
    assert_eq!(text(block, ".prompt"), prompt);
    assert_eq!(text(block, ".cmd"), "echo hi");
    // Exactly what the engine prints, stdout and stderr apart.
    let expected = Engine::new().run("echo hi");
    let shown = |sel: &str| block.query_selector(sel).unwrap().map(|e| e.text_content().unwrap()).unwrap_or_default();
    assert_eq!(shown(".out"), expected.stdout.trim_end_matches('\n'));
    assert_eq!(shown(".err pre"), expected.stderr.trim_end_matches('\n'));
    if expected.exit_code != 0 {
        assert_eq!(shown(".exit-badge"), format!("exit {}", expected.exit_code));
        assert!(block.query_selector(".err .err-mark .icon").unwrap().is_some(), "stderr carries an icon");
    }
    assert_eq!(command_input(&root).value(), "", "the input is emptied");
}

#[wasm_bindgen_test]
async fn arrow_keys_walk_the_history() {
    let root = mount_app().await;
    run(&root, "docker ps").await;
    run(&root, "docker volume ls").await;
    let input = command_input(&root);
    type_text(&input, "draft");
    let target: &HtmlElement = input.unchecked_ref();
    assert!(!press(target, "ArrowUp", false), "↑ is handled by the terminal");
    assert_eq!(input.value(), "docker volume ls");
    press(target, "ArrowUp", false);
    assert_eq!(input.value(), "docker ps");
    press(target, "ArrowUp", false);
    assert_eq!(input.value(), "docker ps", "stays on the oldest entry");
    press(target, "ArrowDown", false);
    assert_eq!(input.value(), "docker volume ls");
    press(target, "ArrowDown", false);
    assert_eq!(input.value(), "draft", "the line being typed comes back");
}

#[wasm_bindgen_test]
async fn ctrl_l_and_clear_empty_the_screen_and_ctrl_c_prints_caret_c() {
    let root = mount_app().await;
    run(&root, "one").await;
    run(&root, "two").await;
    assert_eq!(block_commands(&root), ["one", "two"]);
    let input = command_input(&root);
    assert!(!press(input.unchecked_ref(), "l", true));
    settle().await;
    assert!(block_commands(&root).is_empty());

    run(&root, "three").await;
    run(&root, "clear").await;
    assert!(block_commands(&root).is_empty());

    type_text(&input, "docker ru");
    assert!(!press(input.unchecked_ref(), "c", true));
    settle().await;
    assert_eq!(block_commands(&root), ["docker ru"]);
    assert_eq!(text(&root, ".block .ctrl-c"), "^C");
    assert_eq!(input.value(), "");
    // Nothing ran: no output, no exit badge.
    assert!(root.query_selector(".block .err, .block .exit-badge").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn pasting_several_lines_runs_each_and_keeps_the_last_partial_line() {
    let root = mount_app().await;
    let input = command_input(&root);
    paste(&input, "first\nsecond \\\n  continued\nthird");
    settle().await;
    assert_eq!(block_commands(&root), ["first", "second \\\n  continued"]);
    assert_eq!(input.value(), "third");
    // The continued command ran as one line, at the terminal's interactive bash.
    let mut at_terminal = Engine::new();
    at_terminal.set_tty(true);
    let expected = at_terminal.run("second   continued");
    let blocks = find_all(&root, ".block");
    assert_eq!(
        blocks[1].query_selector(".err pre").unwrap().map(|e| e.text_content().unwrap()).unwrap_or_default(),
        expected.stderr.trim_end_matches('\n')
    );
}

#[wasm_bindgen_test]
async fn a_trailing_backslash_asks_for_more() {
    let root = mount_app().await;
    run(&root, "docker run \\").await;
    assert!(block_commands(&root).is_empty());
    assert_eq!(text(&root, ".term-entry .cmd-line:last-child .prompt"), "> ");
    run(&root, "busybox").await;
    assert_eq!(block_commands(&root), ["docker run \\\nbusybox"]);
}

/// The terminal alone, with a stand-in for the engine's completion.
#[function_component]
fn CompletingTerminal() -> Html {
    let session = use_reducer(|| Session::new(Engine::new()));
    let dispatch = session.dispatcher();
    let on_submit = Callback::from(move |s| dispatch.dispatch(Action::Submit(s)));
    let complete = Callback::from(|(line, cursor): (String, usize)| {
        let word = line[..cursor].rsplit(' ').next().unwrap_or_default().to_string();
        ["volume", "image", "images", "inspect"].iter().filter(|c| c.starts_with(&word)).map(|c| c.to_string()).collect()
    });
    html! { <Terminal blocks={session.blocks.clone()} prompt={session.prompt.clone()} {on_submit} {complete} /> }
}

#[wasm_bindgen_test]
async fn tab_completes_or_lists_the_candidates() {
    let root = new_root();
    yew::Renderer::<CompletingTerminal>::with_root(root.clone()).render();
    settle().await;
    let input = command_input(&root);
    type_text(&input, "docker vo");
    assert!(!press(input.unchecked_ref(), "Tab", false));
    assert_eq!(input.value(), "docker volume ");

    input.set_value("");
    type_text(&input, "docker i");
    press(input.unchecked_ref(), "Tab", false);
    settle().await;
    assert_eq!(input.value(), "docker i", "no common prefix to add");
    assert_eq!(text(&root, ".block .out"), "image  images  inspect");

    // An empty line lets Tab move the focus on (no keyboard trap).
    input.set_value("");
    type_text(&input, "");
    assert!(press(input.unchecked_ref(), "Tab", false));
}

#[wasm_bindgen_test]
async fn docker_run_it_opens_the_containers_shell_until_exit() {
    let root = mount_app().await;
    let host = Engine::new().prompt();
    run(&root, "docker run -it --name box busybox sh").await;
    assert_eq!(text(&root, ".term-entry .prompt"), "/ # ", "the prompt is the container's");
    run(&root, "hostname").await;
    run(&root, "exit").await;
    assert_eq!(text(&root, ".term-entry .prompt"), host);
    let blocks = find_all(&root, ".block");
    assert_eq!(text(&blocks[1], ".prompt"), "/ # ");
    assert_eq!(text(&blocks[1], ".out").len(), 12, "the container id is its hostname");
}

#[wasm_bindgen_test]
async fn undo_takes_back_the_last_command() {
    let root = mount_app().await;
    let undo =
        || find_all(&root, ".topbar button").into_iter().find(|b| b.text_content().unwrap_or_default() == "Undo").expect("an Undo button");
    assert!(undo().has_attribute("disabled"), "nothing to take back yet");
    run(&root, "docker volume create data").await;
    run(&root, "docker volume rm data").await;
    undo().unchecked_into::<HtmlElement>().click();
    settle().await;
    let blocks = find_all(&root, ".block");
    assert!(blocks[1].class_list().contains("is-undone") && !blocks[0].class_list().contains("is-undone"));
    assert_eq!(text(&blocks[1], ".undone-tag"), "undone");
    assert_eq!(text(&root, r#".topbar [role="status"]"#), "Undone: docker volume rm data");
    run(&root, "docker volume ls -q").await;
    assert_eq!(text(&find_all(&root, ".block")[2], ".out"), "data", "the volume is back");
}

#[wasm_bindgen_test]
async fn the_terminal_takes_over_the_start_up_screen_and_what_was_typed_on_it() {
    // The start-up screen of index.html, as its script leaves it after two lines and a draft.
    let screen = document().create_element("div").unwrap();
    screen.set_id("boot");
    screen.set_inner_html(r#"<input id="boot-input" aria-label="Command" value="docker volume ls">"#);
    document().body().unwrap().append_child(&screen).unwrap();
    let lines = js_sys::Array::of2(&"docker volume create early".into(), &"echo typed ahead".into());
    js_sys::Reflect::set(&web_sys::window().unwrap(), &"stowageTypeAhead".into(), &lines).unwrap();
    document().get_element_by_id("boot-input").unwrap().unchecked_into::<HtmlElement>().focus().unwrap();

    let root = mount_app().await;
    js_sys::Reflect::delete_property(&web_sys::window().unwrap(), &"stowageTypeAhead".into()).unwrap();
    assert!(document().get_element_by_id("boot").is_none(), "the start-up screen is gone");
    let blocks = find_all(&root, r#"[role="log"] .block"#);
    let commands: Vec<String> = blocks.iter().map(|b| text(b, ".cmd")).collect();
    assert_eq!(commands, ["docker volume create early", "echo typed ahead"]);
    assert_eq!(text(&blocks[1], ".out"), "typed ahead");
    // The draft and the focus moved to the terminal's command line.
    let input = command_input(&root);
    assert_eq!(input.value(), "docker volume ls");
    assert_eq!(document().active_element().as_ref(), Some(input.unchecked_ref::<web_sys::Element>()));
}

#[wasm_bindgen_test]
async fn readline_keys_move_cut_and_put_back() {
    let root = mount_app().await;
    let input = command_input(&root);
    type_text(&input, "docker volume ls");
    let target: &HtmlElement = input.unchecked_ref();
    let caret = |input: &web_sys::HtmlInputElement| input.selection_start().unwrap().unwrap_or(0);
    input.set_selection_range(7, 7).unwrap();
    assert!(!press(target, "u", true), "Ctrl+U is the terminal's, not the browser's");
    assert_eq!((input.value().as_str(), caret(&input)), ("volume ls", 0));
    press(target, "y", true);
    assert_eq!((input.value().as_str(), caret(&input)), ("docker volume ls", 7));
    press(target, "e", true);
    assert_eq!(caret(&input), 16);
    press(target, "a", true);
    assert_eq!(caret(&input), 0);
    press(target, "k", true);
    assert_eq!(input.value(), "");
    press(target, "y", true);
    assert_eq!(input.value(), "docker volume ls");
    // What the keys left is what Enter runs.
    press(target, "Enter", false);
    settle().await;
    assert_eq!(block_commands(&root), ["docker volume ls"]);
}

#[wasm_bindgen_test]
async fn stderr_is_drawn_as_an_error_only_when_the_command_failed() {
    let root = mount_app().await;
    // Exit 0 with stderr (as a pull's progress is): a note, no exit badge.
    run(&root, "ls /nope; true").await;
    // Exit 2: the same words are an error.
    run(&root, "ls /nope").await;
    let blocks = find_all(&root, ".block");
    let [ok, failed] = &blocks[blocks.len() - 2..] else { panic!("two blocks") };
    assert!(ok.query_selector(".err.note").unwrap().is_some() && ok.query_selector(".exit-badge").unwrap().is_none());
    assert!(failed.query_selector(".err.note").unwrap().is_none());
    assert!(failed.query_selector(".err").unwrap().is_some() && failed.query_selector(".exit-badge").unwrap().is_some());
}
