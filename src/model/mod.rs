//! The app's state and the pure logic behind it: no DOM, no clocks.

pub mod editor;
pub mod embed;
pub mod export;
pub mod focus;
pub mod format;
pub mod history;
pub mod lessons;
pub mod level_play;
pub mod level_progress;
pub mod link;
pub mod player;
pub mod prefs;
pub mod session;
pub mod type_ahead;
