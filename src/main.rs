#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    reform_registry::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("改革台账 runs in the browser: use scripts/serve.sh (see README.md).");
}
