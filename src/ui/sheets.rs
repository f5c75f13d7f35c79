//! The page's side of the spreadsheet worker (src/bin/sheet_worker.rs): started on first use, so
//! its code is fetched only when a spreadsheet is imported or exported. One request at a time is
//! matched to its answer by id.

use crate::sheet::worker::{Request, Response};
use js_sys::{Array, Function, Promise, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

struct Client {
    worker: web_sys::Worker,
    ready: Promise,
    pending: Rc<RefCell<HashMap<u32, Function>>>,
    next: Cell<u32>,
}

thread_local! {
    static CLIENT: RefCell<Option<Rc<Client>>> = const { RefCell::new(None) };
}

/// Why the worker could not answer (offline before it was ever loaded, or it failed).
pub struct WorkerFailed;

fn client() -> Result<Rc<Client>, WorkerFailed> {
    if let Some(c) = CLIENT.with(|c| c.borrow().clone()) {
        return Ok(c);
    }
    let worker = web_sys::Worker::new("./sheet_loader.js").map_err(|_| WorkerFailed)?;
    let pending: Rc<RefCell<HashMap<u32, Function>>> = Rc::default();
    let on_ready: Rc<RefCell<Option<Function>>> = Rc::default();
    let r2 = on_ready.clone();
    let ready = Promise::new(&mut |resolve, _| *r2.borrow_mut() = Some(resolve));
    let (p2, r3) = (pending.clone(), on_ready.clone());
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let data = e.data();
        if let Some(word) = data.as_string() {
            // "ready", or "failed" from the loader when the code could not start.
            if let Some(f) = r3.borrow_mut().take() {
                let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&word));
            }
            if word == "failed" {
                reset();
            }
            return;
        }
        let answer: Array = data.unchecked_into();
        let id = answer.get(0).as_f64().unwrap_or(-1.0) as u32;
        if let Some(f) = p2.borrow_mut().remove(&id) {
            let _ = f.call1(&JsValue::NULL, &answer);
        }
    });
    // A worker that fails (its files missing offline, a crash) answers every waiting request with
    // a failure and is started afresh next time.
    let (p3, r4) = (pending.clone(), on_ready.clone());
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_e: web_sys::Event| {
        reset();
        if let Some(f) = r4.borrow_mut().take() {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_str("failed"));
        }
        for (_, f) in p3.borrow_mut().drain() {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_str("failed"));
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_message.forget();
    on_error.forget();
    let c = Rc::new(Client { worker, ready, pending, next: Cell::new(1) });
    CLIENT.with(|x| *x.borrow_mut() = Some(c.clone()));
    Ok(c)
}

/// Stops the worker; the next request starts a fresh one.
fn reset() {
    if let Some(c) = CLIENT.with(|c| c.borrow_mut().take()) {
        c.worker.terminate();
        for (_, f) in c.pending.borrow_mut().drain() {
            let _ = f.call1(&JsValue::NULL, &JsValue::from_str("failed"));
        }
    }
}

/// `p`, or "timeout" after `ms` milliseconds, whichever comes first.
async fn within(p: &Promise, ms: i32) -> Result<JsValue, WorkerFailed> {
    let timer = Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_1(&resolve, ms, &JsValue::from_str("timeout"));
    });
    let v = JsFuture::from(Promise::race(&Array::of2(p, &timer))).await.map_err(|_| WorkerFailed)?;
    if v.as_string().is_some_and(|s| s == "timeout" || s == "failed") {
        reset();
        return Err(WorkerFailed);
    }
    Ok(v)
}

/// Sends a request with its bytes; the answer and its bytes come back. A worker that does not
/// start within 30 s, or does not answer within two minutes, is stopped and the call fails.
pub async fn call(req: &Request, bytes: &[u8]) -> Result<(Response, Vec<u8>), WorkerFailed> {
    let c = client()?;
    within(&c.ready, 30_000).await?;
    let id = c.next.get();
    c.next.set(id + 1);
    let pending = c.pending.clone();
    let answer = Promise::new(&mut |resolve, _| {
        pending.borrow_mut().insert(id, resolve);
    });
    let buf = Uint8Array::from(bytes);
    let msg = Array::of3(&JsValue::from(id), &JsValue::from_str(&serde_json::to_string(req).unwrap_or_default()), &buf);
    if c.worker.post_message_with_transfer(&msg, &Array::of1(&buf.buffer())).is_err() {
        c.pending.borrow_mut().remove(&id);
        return Err(WorkerFailed);
    }
    let v = within(&answer, 120_000).await?;
    let a: Array = v.unchecked_into();
    let response = a.get(1).as_string().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(Response::BadRequest);
    Ok((response, Uint8Array::new(&a.get(2)).to_vec()))
}

/// Offers bytes as a file download.
pub fn download_bytes(name: &str, bytes: &[u8], mime: &str) {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts) {
        super::browser::save_blob(name, &blob);
    }
}
