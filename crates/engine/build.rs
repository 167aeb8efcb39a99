//! The web build compiles in each shipped level without its wrong attempts (test data only):
//! copies of `levels/*.yaml` without them go to OUT_DIR (see src/levels/strip.rs).

#[path = "src/levels/strip.rs"]
mod strip;

fn main() {
    let dir = std::path::Path::new("../../levels");
    println!("cargo:rerun-if-changed=../../levels");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("levels");
    std::fs::create_dir_all(&out).expect("OUT_DIR/levels");
    for entry in std::fs::read_dir(dir).expect("levels/").flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).expect("a level file in UTF-8");
            std::fs::write(out.join(entry.file_name()), strip::without_wrong_attempts(&text)).expect("OUT_DIR write");
        }
    }
}
