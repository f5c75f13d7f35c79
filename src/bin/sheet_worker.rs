//! The spreadsheet worker: reads .xlsx/CSV files and writes tables, in a Web Worker loaded only
//! when a spreadsheet is imported or exported, so calamine and rust_xlsxwriter stay out of the
//! first visit. It moves messages; `sheet::worker::handle` does the work.
//!
//! A message is [id, request JSON, bytes]; the answer is [id, response JSON, bytes].

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let msg: js_sys::Array = e.data().unchecked_into();
        let id = msg.get(0);
        let request = msg.get(1).as_string().unwrap_or_default();
        let bytes = js_sys::Uint8Array::new(&msg.get(2)).to_vec();
        let (response, out) = reform_registry::sheet::worker::handle(&request, &bytes);
        let out = js_sys::Uint8Array::from(&out[..]);
        let answer = js_sys::Array::of3(&id, &JsValue::from_str(&serde_json::to_string(&response).unwrap_or_default()), &out);
        let _ = reply_to.post_message_with_transfer(&answer, &js_sys::Array::of1(&out.buffer()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before the module was ready would be lost: the page waits for this.
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The spreadsheet worker runs in the browser; natively, sheet::worker is tested by cargo test.");
}
