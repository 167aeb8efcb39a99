//! Stowage web app entry point (the Yew front end lands here).
fn main() {}
