//! Named points on the browser's performance timeline (`performance.mark`), each carrying the
//! wasm linear memory at that point (MB), read by scripts/bench-browser.mjs to split start-up,
//! import and export into phases. Natively kept in a list that the benchmarks print.

#[cfg(target_arch = "wasm32")]
pub fn mark(name: &str) {
    let mb = memory_mb();
    let forwarded = FORWARD.with(|f| f.borrow().as_ref().map(|f| f(name, mb)).is_some());
    if !forwarded {
        mark_mb(name, mb);
    }
}

/// Where a worker sends its marks (name, MB).
#[cfg(target_arch = "wasm32")]
type Forward = Box<dyn Fn(&str, f64)>;

#[cfg(target_arch = "wasm32")]
thread_local! {
    static FORWARD: std::cell::RefCell<Option<Forward>> = const { std::cell::RefCell::new(None) };
}

/// A worker's marks are sent to the page (`f`), whose timeline the benchmark and the tests read.
#[cfg(target_arch = "wasm32")]
pub fn forward_to(f: impl Fn(&str, f64) + 'static) {
    FORWARD.with(|x| *x.borrow_mut() = Some(Box::new(f)));
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

/// Natively the marks are kept in this thread's list, for the benchmarks (`take_marks`).
#[cfg(not(target_arch = "wasm32"))]
pub fn mark(name: &str) {
    MARKS.with(|m| {
        let mut m = m.borrow_mut();
        // Bounded: tests make marks that no one takes.
        if m.len() >= 4096 {
            m.clear();
        }
        m.push((name.to_string(), std::time::Instant::now()))
    });
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static MARKS: std::cell::RefCell<Vec<(String, std::time::Instant)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The marks made on this thread since the last call, in order (native benchmarks).
#[cfg(not(target_arch = "wasm32"))]
pub fn take_marks() -> Vec<(String, std::time::Instant)> {
    MARKS.with(|m| std::mem::take(&mut *m.borrow_mut()))
}
