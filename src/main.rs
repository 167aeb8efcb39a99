//! Entry point of the Stowage web app (built for wasm32 by Trunk).
fn main() {
    stowage::start();
}
