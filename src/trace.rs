//! Named points on the browser's performance timeline (`performance.mark`), each carrying the
//! wasm linear memory at that point (MB), read by scripts/bench-browser.mjs to split start-up,
//! import and export into phases. Natively a no-op.

#[cfg(target_arch = "wasm32")]
pub fn mark(name: &str) {
    mark_mb(name, memory_mb());
}

/// A mark carrying another instance's memory (the exchange worker's, as it reports it).
#[cfg(target_arch = "wasm32")]
pub fn mark_mb(name: &str, mb: f64) {
    use wasm_bindgen::{JsCast, JsValue};
    let perf = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance")).unwrap_or(JsValue::UNDEFINED);
    if let Some(f) = js_sys::Reflect::get(&perf, &JsValue::from_str("mark")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str("detail"), &JsValue::from_f64(mb));
        let _ = f.call2(&perf, &JsValue::from_str(name), &options);
    }
}

/// This instance's wasm linear memory, in MB.
#[cfg(target_arch = "wasm32")]
pub fn memory_mb() -> f64 {
    core::arch::wasm32::memory_size(0) as f64 * 65536.0 / 1048576.0
}

#[cfg(not(target_arch = "wasm32"))]
pub fn mark(_name: &str) {}
