//! Stowage web app: a terminal on the left, the storage map (or the explorer) on the right,
//! and an animation queue that narrates the engine's events one at a time.
//!
//! `model` is plain Rust (tested natively).

pub mod model;
