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

/// 32 bytes from the browser's cryptographic random source (an office key's seed).
pub fn random_seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    let crypto = leptos::prelude::window().crypto().expect("this browser has no crypto.getRandomValues");
    crypto.get_random_values_with_u8_array(&mut seed).expect("crypto.getRandomValues");
    seed
}

/// `n` random base32 characters (no 0/1/l/o: they are misread when typed or read out).
fn random_base32(n: usize) -> String {
    const A: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    random_seed()[..n].iter().map(|b| A[*b as usize % A.len()] as char).collect()
}

/// A short random suffix for a restored office's new author id (6 base32 characters).
pub fn random_suffix() -> String {
    random_base32(6)
}

/// The browser's storage use and quota in bytes, when it tells.
pub async fn storage_estimate() -> Option<(f64, f64)> {
    let p = leptos::prelude::window().navigator().storage().estimate().ok()?;
    let v = JsFuture::from(p).await.ok()?;
    let get = |k: &str| js_sys::Reflect::get(&v, &wasm_bindgen::JsValue::from_str(k)).ok().and_then(|x| x.as_f64());
    Some((get("usage")?, get("quota")?))
}

/// A new office id from the browser's random source: 16 base32 characters (80 bits).
pub fn new_office_id() -> String {
    random_base32(16)
}

/// A new office's empty registry, with its own key.
pub fn new_registry() -> crate::sync::Registry {
    let mut r = crate::sync::Registry::new(&new_office_id());
    r.trust.secret = Some(crate::sync::trust::hex(&random_seed()));
    r
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json;charset=utf-8");
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) {
        save_blob(name, &blob);
    }
}

/// Offers a blob as a file download named `name`.
pub fn save_blob(name: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Ok(a) = leptos::prelude::document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // Revoked a little later: some browsers start the download after click() returns.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
}

/// Holds the app's Web Lock for as long as this tab lives. `on(true)`: this tab holds it;
/// `on(false)`: another tab does — and `on(true)` follows once that tab closes. Browsers without
/// Web Locks get `on(true)` at once.
pub fn hold_tab_lock(on: impl Fn(bool) + 'static) {
    use js_sys::{Function, Object, Promise, Reflect};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsValue;
    const NAME: &str = "reform-registry-writer";
    let on = std::rc::Rc::new(on);
    let nav = leptos::prelude::window().navigator();
    let locks = Reflect::get(&nav, &JsValue::from_str("locks")).unwrap_or(JsValue::UNDEFINED);
    let request = Reflect::get(&locks, &JsValue::from_str("request")).ok().and_then(|f| f.dyn_into::<Function>().ok());
    let Some(request) = request.filter(|_| !locks.is_undefined()) else {
        on(true);
        return;
    };
    // Holding: a promise that never settles keeps the lock until the tab closes.
    let forever = || -> JsValue { Promise::new(&mut |_, _| {}).into() };
    let (on2, locks2, request2) = (on.clone(), locks.clone(), request.clone());
    let first = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        if !lock.is_null() {
            on2(true);
            return forever();
        }
        on2(false);
        let on3 = on2.clone();
        let queued = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
            on3(true);
            forever()
        });
        let _ = request2.call2(&locks2, &JsValue::from_str(NAME), &queued);
        JsValue::UNDEFINED
    });
    let opts = Object::new();
    let _ = Reflect::set(&opts, &JsValue::from_str("ifAvailable"), &JsValue::TRUE);
    let _ = request.call3(&locks, &JsValue::from_str(NAME), &opts, &first);
}

/// Waits until the browser has painted the page as it is (the next frame, then a task after it),
/// so that work begun next cannot hold back what was just drawn: without it a city's list
/// sometimes showed only after the history read behind it. A hidden tab paints no frames: after
/// `LATEST` ms it goes on anyway.
pub async fn after_paint() {
    use js_sys::Reflect;
    use wasm_bindgen::JsValue;
    const LATEST: i32 = 250;
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let fun = |name: &str| Reflect::get(&global, &JsValue::from_str(name)).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        let (Some(set_timeout), raf) = (fun("setTimeout"), fun("requestAnimationFrame")) else {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        };
        let _ = set_timeout.call2(&JsValue::NULL, &resolve, &JsValue::from(LATEST));
        if let Some(raf) = raf {
            let (st, r) = (set_timeout.clone(), resolve.clone());
            let after_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
                let _ = st.call2(&JsValue::NULL, &r, &JsValue::from(0));
            });
            let _ = raf.call1(&JsValue::NULL, &after_frame);
        }
    });
    let _ = JsFuture::from(p).await;
}

/// Lets the browser paint (e.g. "reading…") before a long synchronous step.
pub async fn yield_now() {
    crate::storage::idb::pause_ms(30).await;
}
