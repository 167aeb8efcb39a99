//! The app's state: the engine, the terminal's transcript, the world as drawn, the animation
//! queue. One reducer changes it; the engine is the only thing it talks to.

use std::cell::RefCell;
use std::rc::Rc;

use stowage_engine::scenarios::{self, Scenario};
use stowage_engine::{Engine, EntryView, ExplorerTarget, OutputSegment, WorldView};

use super::editor::{logical_line, Submit};
use super::embed::Ran;
use super::level_play::LevelPlay;
use super::player::{Player, PlayerAction};

/// The prompt of continuation lines (bash's PS2).
pub const PS2: &str = "> ";

/// One command and what it printed, as the terminal shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub id: usize,
    /// The prompt the first line was typed at.
    pub prompt: String,
    /// The lines as typed (continuation lines follow the first).
    pub lines: Vec<String>,
    pub stdout: String,
    pub stderr: String,
    /// The output as written, runs of stdout and stderr in order (empty: stdout, then stderr).
    pub segments: Vec<OutputSegment>,
    pub exit_code: i32,
    /// Ended by Ctrl+C: `^C` follows the last line.
    pub interrupted: bool,
    /// The number of storage events the command produced.
    pub events: usize,
    /// Taken back by Undo: the machine is as if the command never ran.
    pub undone: bool,
}

/// The engine, shared by the session and whoever reads it (explorer, completion).
#[derive(Clone, Debug, Default)]
pub struct EngineHandle(Rc<RefCell<Engine>>);

impl PartialEq for EngineHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl EngineHandle {
    /// The web terminal is a terminal: `docker run -it … sh` and `docker exec -it` open shells.
    pub fn new(mut engine: Engine) -> Self {
        engine.set_tty(true);
        EngineHandle(Rc::new(RefCell::new(engine)))
    }
    pub fn prompt(&self) -> String {
        self.0.borrow().prompt()
    }
    pub fn view(&self) -> WorldView {
        self.0.borrow().view()
    }
    pub fn list_dir(&self, target: &ExplorerTarget, path: &str) -> Vec<EntryView> {
        self.0.borrow().list_dir(target, path)
    }
    pub fn complete(&self, line: &str, cursor: usize) -> Vec<String> {
        self.0.borrow().complete(line, cursor)
    }
    fn run(&self, line: &str) -> stowage_engine::Outcome {
        self.0.borrow_mut().run(line)
    }
    /// Swaps in another machine; everyone holding the handle sees the new one.
    fn replace(&self, mut engine: Engine) {
        engine.set_tty(true);
        *self.0.borrow_mut() = engine;
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub engine: EngineHandle,
    pub blocks: Rc<Vec<Rc<Block>>>,
    next_block: usize,
    /// The prompt for the next line.
    pub prompt: String,
    /// The world now, and before the last command that changed something (for ghosts of
    /// what that command removed).
    pub view: Rc<WorldView>,
    pub before: Rc<WorldView>,
    /// Bumped by every command the engine ran: readers of the engine refresh on it.
    pub revision: u64,
    pub player: Player,
    /// The scenario the machine was prepared for, and the first of its steps not yet run.
    pub scenario: &'static Scenario,
    pub next_step: usize,
    /// The lines the engine ran since the scenario started (what a link replays, and what
    /// Undo replays all but the last of).
    pub typed: Rc<Vec<String>>,
    /// The terminal block of each line of `typed`.
    typed_blocks: Rc<Vec<usize>>,
    /// What the last Undo did, in words (for the status line).
    pub notice: Option<String>,
    /// The level being played, if one is: the machine then starts from its setup.
    pub level: Option<LevelPlay>,
    /// What the address asked for that does not exist (an unknown scenario or level), said in
    /// the terminal.
    pub link_note: Option<String>,
    /// What each command the host page sent gave, in order (`stowage:ran`, when embedded).
    pub host_ran: Rc<Vec<Ran>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Submit(Submit),
    Player(PlayerAction),
    /// Start over on a fresh machine prepared for this scenario (by id).
    LoadScenario(String),
    /// Run the scenario's step `i` as if typed.
    RunStep(usize),
    /// Take back the last command the engine ran.
    Undo,
    /// Start a level (by id) on a fresh machine prepared by its setup.
    LoadLevel(String),
    /// Start a level that came in the address: `data` as it came, `text` its YAML once
    /// inflated (or why it could not be), then replay `run`.
    LoadLevelFromLink {
        data: String,
        text: Result<String, String>,
        run: Vec<String>,
    },
    /// Show the level's next hint.
    Hint,
    /// Start the level over and play its reference solution, as if typed.
    ShowSolution,
    /// Answer the level's prediction (by index) with a choice (by index).
    Predict(usize, usize),
    /// The host page sent a command (embedded): typed into the terminal, run, and its result
    /// kept for the reply.
    RunForHost {
        command: String,
        id: Option<serde_json::Value>,
    },
    /// Start over on a scenario (by id), or on the current scenario's or level's start.
    Reset(Option<String>),
}

impl Session {
    pub fn new(engine: Engine) -> Session {
        let engine = EngineHandle::new(engine);
        let view = Rc::new(engine.view());
        Session {
            prompt: engine.prompt(),
            engine,
            blocks: Rc::default(),
            next_block: 1,
            before: view.clone(),
            view,
            revision: 0,
            player: Player::default(),
            scenario: &scenarios::SCENARIOS[0],
            next_step: 0,
            typed: Rc::default(),
            typed_blocks: Rc::default(),
            notice: None,
            level: None,
            host_ran: Rc::default(),
            link_note: None,
        }
    }

    /// A session on a level's prepared machine.
    pub fn for_level(level: stowage_engine::levels::Level) -> Session {
        let engine = level.start();
        let play = LevelPlay::new(level, &engine);
        let mut session = Session::new(engine);
        session.level = Some(play);
        session
    }

    /// A fresh machine as this session started: the level's setup, or the scenario's.
    fn start_engine(&self) -> Engine {
        match &self.level {
            Some(play) => play.level.start(),
            None => Engine::with_scenario(self.scenario),
        }
    }

    /// Starts over on the machine `engine`, keeping the scenario or level it was made for.
    fn restart(&mut self, engine: Engine) {
        self.engine.replace(engine);
        self.blocks = Rc::default();
        self.prompt = self.engine.prompt();
        self.view = Rc::new(self.engine.view());
        self.before = self.view.clone();
        self.revision += 1;
        self.player.apply(PlayerAction::Reset);
        self.next_step = 0;
        self.typed = Rc::default();
        self.typed_blocks = Rc::default();
        self.notice = None;
        self.link_note = None;
    }

    fn load_level(&mut self, id: &str) {
        let Some(level) = stowage_engine::levels::find(id) else { return };
        let engine = level.start();
        self.level = Some(LevelPlay::new(level, &engine));
        self.scenario = &scenarios::SCENARIOS[0];
        self.restart(engine);
    }

    /// A teacher's level from the address. Text that does not read is told in the status line
    /// (the field and why), and the machine stays as it is.
    fn load_level_from_link(&mut self, data: String, text: Result<String, String>, run: Vec<String>) {
        match text.and_then(|t| stowage_engine::levels::parse(&t).map_err(|e| e.to_string())) {
            Ok(level) => {
                let engine = level.start();
                let mut play = LevelPlay::new(level, &engine);
                play.from_link = Some(data.into());
                self.level = Some(play);
                self.scenario = &scenarios::SCENARIOS[0];
                self.restart(engine);
                for line in run {
                    self.run(vec![line]);
                }
            }
            Err(why) => self.notice = Some(format!("The level in this link could not be read: {why}")),
        }
    }

    /// The level's reference solution, typed on a fresh copy of its start.
    fn show_solution(&mut self) {
        let Some(play) = &self.level else { return };
        let solution = play.level.solution.clone();
        self.restart(self.start_engine());
        for line in solution {
            self.run(vec![line]);
        }
        if let Some(play) = &mut self.level {
            play.solution_shown = true;
        }
    }

    /// The address of this session: its scenario or level, and the lines run since.
    pub fn link_hash(&self) -> String {
        match &self.level {
            Some(LevelPlay { from_link: Some(data), .. }) => super::link::format_level_text(data, &self.typed),
            Some(play) => super::link::format_level(&play.level.id, &self.typed),
            None => super::link::format(self.scenario.id, &self.typed),
        }
    }

    /// Where the level stands now (after every change to the machine).
    fn refresh_level(&mut self) {
        if let Some(play) = &mut self.level {
            play.refresh(&self.engine.0.borrow());
        }
    }

    /// A session on a machine prepared for `scenario`.
    pub fn for_scenario(scenario: &'static Scenario) -> Session {
        let mut session = Session::new(Engine::with_scenario(scenario));
        session.scenario = scenario;
        session
    }

    fn load(&mut self, id: &str) {
        let Some(scenario) = scenarios::find(id) else { return };
        self.scenario = scenario;
        self.level = None;
        self.restart(Engine::with_scenario(scenario));
    }

    /// Runs a command the host page sent, as if typed (a command of several lines runs as the
    /// terminal runs continuation lines), and keeps what it gave for the reply.
    fn run_for_host(&mut self, command: String, id: Option<serde_json::Value>) {
        let lines: Vec<String> = command.split('\n').map(str::to_string).collect();
        let before = self.blocks.len();
        self.run(lines);
        let ran = match self.blocks.get(before).filter(|_| self.blocks.len() > before) {
            Some(b) => Ran { command, id, exit_code: b.exit_code, stdout: b.stdout.clone(), stderr: b.stderr.clone() },
            None => Ran { command, id, exit_code: 0, stdout: String::new(), stderr: String::new() },
        };
        Rc::make_mut(&mut self.host_ran).push(ran);
    }

    /// The session as a shell script for a real Docker host (see `export.rs`).
    pub fn export_script(&self) -> String {
        let (title, setup): (&str, Vec<&str>) = match &self.level {
            Some(play) => (play.level.title.as_str(), play.level.setup.iter().map(String::as_str).collect()),
            None => (self.scenario.title, self.scenario.setup.to_vec()),
        };
        super::export::script(title, &setup, &self.typed, self.start_engine())
    }

    /// Whether there is a command to take back.
    pub fn can_undo(&self) -> bool {
        !self.typed.is_empty()
    }

    /// Takes back the last command. The engine keeps no history: being deterministic, it is
    /// rebuilt for the scenario and given every earlier line again, which costs nothing while
    /// typing (no copy of the machine per command) and is exact.
    fn undo(&mut self) {
        let Some(line) = self.typed.last().cloned() else { return };
        let earlier = &self.typed[..self.typed.len() - 1];
        let mut engine = self.start_engine();
        engine.set_tty(true);
        let mut next_step = 0;
        for earlier_line in earlier {
            next_step = step_after(self.scenario, next_step, earlier_line);
            engine.run(earlier_line);
        }
        self.engine.replace(engine);
        Rc::make_mut(&mut self.typed).pop();
        if let Some(id) = Rc::make_mut(&mut self.typed_blocks).pop() {
            let blocks = Rc::make_mut(&mut self.blocks);
            if let Some(block) = blocks.iter_mut().find(|b| b.id == id) {
                Rc::make_mut(block).undone = true;
            }
        }
        self.next_step = next_step;
        self.prompt = self.engine.prompt();
        self.view = Rc::new(self.engine.view());
        self.before = self.view.clone();
        self.revision += 1;
        self.player.apply(PlayerAction::Reset);
        self.notice = Some(format!("Undone: {line}"));
        self.refresh_level();
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Player(a) => self.player.apply(a),
            Action::Submit(Submit::ClearScreen) => self.clear(),
            Action::Submit(Submit::Interrupt(lines)) => {
                self.push_block(lines, |b| b.interrupted = true);
            }
            Action::Submit(Submit::ShowCompletions { line, candidates }) => {
                let stdout = candidates.join("  ") + "\n";
                self.push_block(vec![line], |b| b.stdout = stdout);
            }
            Action::Submit(Submit::Run(lines)) => self.run(lines),
            Action::LoadScenario(id) => self.load(&id),
            Action::Undo => self.undo(),
            Action::LoadLevel(id) => self.load_level(&id),
            Action::RunForHost { command, id } => self.run_for_host(command, id),
            Action::Reset(Some(id)) => match scenarios::find(&id) {
                Some(_) => self.load(&id),
                None => self.notice = Some(format!("No scenario is called \"{id}\".")),
            },
            Action::Reset(None) => self.restart(self.start_engine()),
            Action::LoadLevelFromLink { data, text, run } => self.load_level_from_link(data, text, run),
            Action::Hint => {
                if let Some(play) = &mut self.level {
                    play.show_hint();
                }
            }
            Action::ShowSolution => self.show_solution(),
            Action::Predict(i, choice) => {
                if let Some(play) = &mut self.level {
                    play.predict(i, choice);
                }
            }
            Action::RunStep(i) => {
                if let Some(step) = self.scenario.steps.get(i) {
                    self.run(vec![step.command.to_string()]);
                    self.next_step = self.next_step.max(i + 1);
                }
            }
        }
    }

    fn run(&mut self, lines: Vec<String>) {
        let line = logical_line(&lines);
        match line.trim() {
            // An empty line prints a new prompt, nothing more.
            "" => {
                self.push_block(lines, |_| {});
            }
            // `clear` is the terminal's business, wherever it is typed.
            "clear" => self.clear(),
            _ => {
                self.next_step = step_after(self.scenario, self.next_step, &line);
                // Should the engine trap on this line, the page offers the session without it.
                crate::crash::before_run(&self.link_hash(), &line);
                Rc::make_mut(&mut self.typed).push(line.clone());
                self.notice = None;
                let outcome = self.engine.run(&line);
                self.revision += 1;
                let id = self.push_block(lines, |b| {
                    b.stdout = outcome.stdout;
                    b.stderr = outcome.stderr;
                    b.segments = outcome.segments;
                    b.exit_code = outcome.exit_code;
                    b.events = outcome.events.len();
                });
                Rc::make_mut(&mut self.typed_blocks).push(id);
                self.prompt = self.engine.prompt();
                let view = self.engine.view();
                if view != *self.view || !outcome.removed.is_empty() {
                    let mut before = std::mem::replace(&mut self.view, Rc::new(view));
                    // What the line removed is drawn as it was just before its removal (a `--rm`
                    // container was not there before the line at all).
                    if !outcome.removed.is_empty() {
                        let containers = &mut Rc::make_mut(&mut before).containers;
                        for gone in outcome.removed {
                            match containers.iter_mut().find(|c| c.name == gone.name) {
                                Some(known) => *known = gone,
                                None => containers.push(gone),
                            }
                        }
                    }
                    self.before = before;
                }
                self.player.apply(PlayerAction::Enqueue { block: id, events: outcome.events, sizes: outcome.sizes });
                self.refresh_level();
            }
        }
    }

    fn push_block(&mut self, lines: Vec<String>, fill: impl FnOnce(&mut Block)) -> usize {
        let id = self.next_block;
        self.next_block += 1;
        let mut block = Block {
            id,
            prompt: self.prompt.clone(),
            lines,
            stdout: String::new(),
            stderr: String::new(),
            segments: Vec::new(),
            exit_code: 0,
            interrupted: false,
            events: 0,
            undone: false,
        };
        fill(&mut block);
        Rc::make_mut(&mut self.blocks).push(Rc::new(block));
        id
    }

    fn clear(&mut self) {
        self.blocks = Rc::default();
        self.player.apply(PlayerAction::Reset);
    }
}

/// The scenario's next step once `line` has run: typing the next step by hand counts.
fn step_after(scenario: &Scenario, next_step: usize, line: &str) -> usize {
    let typed_next = scenario.steps.get(next_step).is_some_and(|s| s.command == line.trim());
    next_step + usize::from(typed_next)
}

impl yew::Reducible for Session {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &mut Session, line: &str) {
        s.apply(Action::Submit(Submit::Run(vec![line.to_string()])));
    }

    #[test]
    fn a_command_becomes_a_block_with_the_engines_output() {
        let mut s = Session::new(Engine::new());
        let prompt = s.prompt.clone();
        run(&mut s, "nosuchcommand");
        // The session's engine has a terminal: an interactive bash's words.
        let mut at_terminal = Engine::new();
        at_terminal.set_tty(true);
        let expected = at_terminal.run("nosuchcommand");
        let b = &s.blocks[0];
        assert_eq!((b.prompt.as_str(), b.lines.as_slice()), (prompt.as_str(), ["nosuchcommand".to_string()].as_slice()));
        assert_eq!((&b.stdout, &b.stderr, b.exit_code), (&expected.stdout, &expected.stderr, expected.exit_code));
        assert_eq!(s.revision, 1);
    }

    #[test]
    fn continuation_lines_run_as_one_command() {
        let mut s = Session::new(Engine::new());
        s.apply(Action::Submit(Submit::Run(vec!["echo \\".into(), "hi".into()])));
        let expected = Engine::new().run("echo hi");
        assert_eq!(s.blocks[0].stderr, expected.stderr);
        assert_eq!(s.blocks[0].lines.len(), 2);
    }

    #[test]
    fn empty_lines_and_clear_do_not_reach_the_engine() {
        let mut s = Session::new(Engine::new());
        run(&mut s, "   ");
        assert_eq!((s.blocks.len(), s.revision), (1, 0));
        assert_eq!(s.blocks[0].exit_code, 0);
        run(&mut s, "x");
        run(&mut s, " clear ");
        assert!(s.blocks.is_empty());
        assert_eq!(s.revision, 1);
    }

    #[test]
    fn a_scenario_starts_over_prepared_and_follows_its_steps() {
        let mut s = Session::new(Engine::new());
        run(&mut s, "echo before");
        s.apply(Action::LoadScenario("live-code".into()));
        assert!(s.blocks.is_empty());
        assert_eq!(s.scenario.id, "live-code");
        // Typing the next step by hand counts, as does running it from the guide.
        let first = s.scenario.steps[0].command;
        run(&mut s, first);
        assert_eq!(s.next_step, 1);
        assert!(s.blocks[0].stdout.contains("FROM python:3.9-slim"));
        s.apply(Action::RunStep(1));
        assert_eq!((s.next_step, s.blocks.len()), (2, 2));
        assert_eq!(s.typed.len(), 2);
        s.apply(Action::LoadScenario("no-such-scenario".into()));
        assert_eq!(s.scenario.id, "live-code");
    }

    #[test]
    fn ctrl_c_and_completions_add_blocks_without_running_anything() {
        let mut s = Session::new(Engine::new());
        s.apply(Action::Submit(Submit::Interrupt(vec!["docker ru".into()])));
        s.apply(Action::Submit(Submit::ShowCompletions { line: "docker r".into(), candidates: vec!["rm".into(), "run".into()] }));
        assert!(s.blocks[0].interrupted);
        assert_eq!(s.blocks[1].stdout, "rm  run\n");
        assert_eq!(s.blocks[1].id, s.blocks[0].id + 1);
        s.apply(Action::Submit(Submit::ClearScreen));
        assert!(s.blocks.is_empty());
        assert_eq!(s.revision, 0);
    }

    #[test]
    fn undo_takes_back_the_last_command_and_marks_its_block() {
        let mut s = Session::new(Engine::new());
        assert!(!s.can_undo());
        s.apply(Action::Undo);
        assert_eq!((s.blocks.len(), s.revision), (0, 0));
        run(&mut s, "docker volume create data");
        run(&mut s, "   ");
        run(&mut s, "docker volume rm data");
        assert!(s.view.volumes.is_empty());
        s.apply(Action::Undo);
        assert_eq!(s.view.volumes.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(), ["data"]);
        assert_eq!(s.typed.as_slice(), ["docker volume create data".to_string()]);
        assert_eq!(s.blocks.iter().map(|b| b.undone).collect::<Vec<_>>(), [false, false, true]);
        assert_eq!(s.notice.as_deref(), Some("Undone: docker volume rm data"));
        // A second undo takes back the one before; the empty line was never the engine's.
        s.apply(Action::Undo);
        assert!(s.view.volumes.is_empty() && !s.can_undo());
        assert!(s.blocks[0].undone);
        run(&mut s, "echo next");
        assert_eq!(s.notice, None);
    }

    #[test]
    fn undo_leaves_the_machine_as_if_the_command_never_ran() {
        let lines = [
            "docker run -d --name web demo/app:1.0 sleep 3600",
            "docker exec web sh -c 'echo blue > /etc/app/app.conf'",
            "docker rm -f web",
        ];
        let mut s = Session::new(Engine::new());
        for line in lines {
            run(&mut s, line);
        }
        s.apply(Action::Undo);
        let mut only_earlier = Session::new(Engine::new());
        for line in &lines[..2] {
            run(&mut only_earlier, line);
        }
        assert_eq!(*s.view, *only_earlier.view);
        assert_eq!(s.before, s.view, "no ghosts of what the undo took away");
        // Ids, clocks and contents agree, so later commands print the same on both.
        for probe in ["docker ps -a --no-trunc", "docker diff web", "docker exec web cat /etc/app/app.conf"] {
            run(&mut s, probe);
            run(&mut only_earlier, probe);
            let (a, b) = (s.blocks.last().unwrap(), only_earlier.blocks.last().unwrap());
            assert_eq!((&a.stdout, &a.stderr, a.exit_code), (&b.stdout, &b.stderr, b.exit_code), "{probe}");
        }
    }

    #[test]
    fn undo_replays_on_the_scenarios_machine_and_its_steps() {
        let mut s = Session::new(Engine::new());
        s.apply(Action::LoadScenario("live-code".into()));
        s.apply(Action::RunStep(0));
        s.apply(Action::RunStep(1));
        assert_eq!(s.next_step, 2);
        s.apply(Action::Undo);
        assert_eq!((s.scenario.id, s.next_step), ("live-code", 1));
        // The scenario's files are still on the host.
        let first = s.scenario.steps[0].command;
        run(&mut s, first);
        assert!(s.blocks.last().unwrap().stdout.contains("FROM python:3.9-slim"));
    }

    #[test]
    fn undo_of_exit_goes_back_into_the_container_shell() {
        let mut s = Session::new(Engine::new());
        let host = s.prompt.clone();
        run(&mut s, "docker run -it --name box busybox sh");
        let inside = s.prompt.clone();
        assert_ne!(inside, host);
        run(&mut s, "exit");
        assert_eq!(s.prompt, host);
        s.apply(Action::Undo);
        assert_eq!(s.prompt, inside);
    }

    #[test]
    fn a_level_from_the_address_plays_and_its_link_carries_it_on() {
        let mut s = Session::new(Engine::new());
        let text = stowage_engine::levels::sources()[0].1.to_string();
        s.apply(Action::LoadLevelFromLink { data: "DATA".into(), text: Ok(text), run: vec!["docker ps".into()] });
        let play = s.level.as_ref().expect("a level");
        assert_eq!(play.level.id, "writable-layer-dies");
        assert_eq!(s.typed.as_slice(), ["docker ps"]);
        assert_eq!(s.link_hash(), "#level-text=DATA&run=docker%20ps");
        // Malformed text: the status line says where, and nothing else changes.
        let mut t = Session::new(Engine::new());
        t.apply(Action::LoadLevelFromLink { data: "X".into(), text: Ok("id: x\ntrack: wizard".into()), run: vec![] });
        assert!(t.level.is_none());
        assert_eq!(
            t.notice.as_deref(),
            Some("The level in this link could not be read: track: beginner, intermediate or expert, not `wizard`")
        );
        t.apply(Action::LoadLevelFromLink { data: "X".into(), text: Err("the data is damaged".into()), run: vec![] });
        assert_eq!(t.notice.as_deref(), Some("The level in this link could not be read: the data is damaged"));
    }

    #[test]
    fn a_command_from_the_host_runs_as_typed_and_its_result_is_kept() {
        let mut s = Session::new(Engine::new());
        s.apply(Action::RunForHost { command: "echo hi; false".into(), id: Some(serde_json::json!("a")) });
        s.apply(Action::RunForHost { command: "cat <<EOF\nline\nEOF".into(), id: None });
        assert_eq!(s.host_ran.len(), 2);
        assert_eq!((s.host_ran[0].exit_code, s.host_ran[0].stdout.as_str()), (1, "hi\n"));
        assert_eq!(s.host_ran[0].id, Some(serde_json::json!("a")));
        assert_eq!((s.host_ran[1].exit_code, s.host_ran[1].stdout.as_str()), (0, "line\n"), "a here-document's lines run as one");
        assert_eq!(s.blocks.len(), 2, "both typed into the terminal, visibly");
        // Reset: the current start again; an unknown scenario is told, nothing else changes.
        s.apply(Action::Reset(None));
        assert!(s.blocks.is_empty() && s.typed.is_empty());
        s.apply(Action::Reset(Some("no-such".into())));
        assert_eq!(s.notice.as_deref(), Some("No scenario is called \"no-such\"."));
        s.apply(Action::Reset(Some("postgres".into())));
        assert_eq!(s.scenario.id, "postgres");
    }
}
