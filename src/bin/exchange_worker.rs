//! The exchange worker: one import or one export of exchange files, outside the page (a Web
//! Worker started for it and ended after it, which returns the memory a city's file takes). It
//! opens the registry as stored, and carries the page's messages to `app::exchange::job`, which
//! does the work.
//!
//! A message is [message JSON, files]; each answer is [reply JSON, this worker's memory in MB],
//! with an exported file as a third element (a Blob), and each mark on the way
//! ["mark", name, memory in MB].

#[cfg(target_arch = "wasm32")]
fn main() {
    use reform_registry::app::exchange::job::{self, Job, Message, Reply, Request};
    use reform_registry::storage::idb::IdbStore;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    /// An export: the file goes back as a Blob beside the reply, not inside its JSON (a city's
    /// file would be escaped, copied and parsed again in the page's memory).
    fn spawn_export(scope: DedicatedWorkerGlobalScope, to: Option<String>, delta: bool, now_ms: i64, lang: reform_registry::i18n::Lang) {
        wasm_bindgen_futures::spawn_local(async move {
            let (mut reply, text) = match IdbStore::connect(reform_registry::storage::idb::DB_NAME).await {
                Ok(db) => job::export(Rc::new(db.with_turns(TURN_MS)), to.as_deref(), delta, now_ms, lang).await,
                Err(e) => (Reply::Failed { message: reform_registry::app::exchange::ExchangeError::Store(e).message(lang) }, None),
            };
            // Copied out of this worker's memory into a JS array, which the Blob takes.
            let file = text.and_then(|text| {
                let opts = web_sys::BlobPropertyBag::new();
                opts.set_type("application/json;charset=utf-8");
                web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&js_sys::Uint8Array::from(text.as_bytes())), &opts).ok()
            });
            if file.is_none() && matches!(reply, Reply::Exported { .. }) {
                reply = Reply::Failed { message: reform_registry::i18n::t(lang, reform_registry::i18n::K::ExExportFailed).into() };
            }
            let msg = answer(&reply);
            if let Some(f) = file {
                msg.push(&f);
            }
            let _ = scope.post_message(&msg);
        });
    }

    /// A reply as posted: [reply JSON, this worker's memory in MB].
    fn answer(reply: &Reply) -> js_sys::Array {
        js_sys::Array::of2(&JsValue::from_str(&serde_json::to_string(reply).unwrap_or_default()), &JsValue::from_f64(reform_registry::trace::memory_mb()))
    }

    // Long steps pause this often to let a cancel in (the page is not held up by them here).
    const TURN_MS: f64 = 200.0;
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let send: Rc<dyn Fn(Reply)> = {
        let scope = scope.clone();
        Rc::new(move |r: Reply| {
            let _ = scope.post_message(&answer(&r));
        })
    };
    let ready = send.clone();
    // Its marks (import phases, the commit's steps) go onto the page's timeline: [mark, name, MB].
    {
        let scope = scope.clone();
        reform_registry::trace::forward_to(move |name, mb| {
            let _ = scope.post_message(&js_sys::Array::of3(&JsValue::from_str("mark"), &JsValue::from_str(name), &JsValue::from_f64(mb)));
        });
    }
    // Opened on the first request (the page has stored everything it holds by then).
    let job: Rc<RefCell<Option<Rc<Job<IdbStore>>>>> = Rc::default();
    // Owned here from the start: a cancel that comes while the registry is still being opened
    // stops the read before it begins.
    let cancel: Rc<std::cell::Cell<bool>> = Rc::default();
    let failed_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let msg: js_sys::Array = e.data().unchecked_into();
        let req = match msg.get(0).as_string().and_then(|s| serde_json::from_str::<Message>(&s).ok()) {
            Some(Message::Job(req)) => req,
            Some(Message::Export { to, delta, now_ms, lang }) => return spawn_export(failed_to.clone(), to, delta, now_ms, lang),
            None => {
                // Not a message of this version: the page is told (and asks for a reload).
                let _ = failed_to.post_message(&JsValue::from_str("failed"));
                return;
            }
        };
        let files: Vec<web_sys::Blob> =
            msg.get(1).dyn_into::<js_sys::Array>().map(|a| a.iter().filter_map(|f| f.dyn_into().ok()).collect()).unwrap_or_default();
        // A cancel is noted at once: the read it stops is waiting for its next turn.
        if req == Request::Cancel {
            cancel.set(true);
            return;
        }
        let (job, send, cancel) = (job.clone(), send.clone(), cancel.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let current = job.borrow().clone();
            let j = match current {
                Some(j) => j,
                None => {
                    let opened = match IdbStore::connect(reform_registry::storage::idb::DB_NAME).await {
                        Ok(db) => Job::open(Rc::new(db.with_turns(TURN_MS))).await,
                        Err(e) => Err(e),
                    };
                    match opened {
                        Ok(mut j) => {
                            j.cancel = cancel;
                            let j = Rc::new(j);
                            *job.borrow_mut() = Some(j.clone());
                            j
                        }
                        Err(e) => {
                            let lang = match &req {
                                Request::Read { lang, .. } | Request::Apply { lang, .. } => *lang,
                                _ => Default::default(),
                            };
                            return send(Reply::Failed { message: reform_registry::app::exchange::ExchangeError::Store(e).message(lang) });
                        }
                    }
                }
            };
            // A file that cannot be read counts as empty (refused by the read as not JSON).
            reform_registry::trace::mark("rr:file-reading");
            let mut texts = Vec::with_capacity(files.len());
            for f in &files {
                let bytes = wasm_bindgen_futures::JsFuture::from(f.array_buffer()).await.map(|b| js_sys::Uint8Array::new(&b).to_vec()).unwrap_or_default();
                texts.push(reform_registry::app::exchange::file_text(bytes));
            }
            reform_registry::trace::mark("rr:file-read");
            let reply = j.handle(req, &texts, &*send).await;
            // The page hears first; the file and what was stored are freed after.
            send(reply);
            drop(texts);
            j.release();
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before the module was ready would be lost: the page waits for this.
    ready(Reply::Ready { protocol: reform_registry::app::exchange::job::PROTOCOL });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The exchange worker runs in the browser; natively, app::exchange::job is tested by cargo test.");
}
