//! Named points on the browser's performance timeline (`performance.mark`), read by
//! scripts/bench-browser.mjs to split start-up, import and export into phases. Natively a no-op.

#[cfg(target_arch = "wasm32")]
pub fn mark(name: &str) {
    use wasm_bindgen::{JsCast, JsValue};
    let perf = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance")).unwrap_or(JsValue::UNDEFINED);
    if let Some(f) = js_sys::Reflect::get(&perf, &JsValue::from_str("mark")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let _ = f.call1(&perf, &JsValue::from_str(name));
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn mark(_name: &str) {}
