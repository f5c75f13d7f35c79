//! What only the browser provides: its clock and calendar, randomness, file downloads, and a
//! way to let it paint during long work.

use chrono::NaiveDate;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The user's calendar day (local time).
pub fn today() -> NaiveDate {
    let d = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or_default()
}

/// A new office id from the browser's random source: 16 base32 characters (80 bits).
pub fn new_office_id() -> String {
    const A: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    (0..16).map(|_| A[(js_sys::Math::random() * A.len() as f64) as usize % A.len()] as char).collect()
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = leptos::prelude::document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Lets the browser paint (e.g. "reading…") before a long synchronous step.
pub async fn yield_now() {
    let p = js_sys::Promise::new(&mut |res, _| {
        let _ = leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_0(&res, 30);
    });
    let _ = JsFuture::from(p).await;
}
