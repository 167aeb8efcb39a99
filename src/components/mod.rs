//! Yew function components, each with typed props.

pub mod connectors;
pub mod embed_menu;
pub mod explorer;
pub mod follow;
pub mod guide;
pub mod icons;
pub mod lessons;
pub mod level;
pub mod narration;
pub mod refusal;
pub mod splitter;
pub mod storage_map;
pub mod terminal;
pub mod top_bar;
pub mod travel;
