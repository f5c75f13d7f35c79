//! The page's side of the exchange worker (src/bin/exchange_worker.rs): one worker per import or
//! export, ended when it is over or the page moves on (dropping it ends it), which returns the
//! memory the file took. The exchange page starts one ahead, idle until it is given a task: a
//! worker takes about half a second to start (fetch, compile, instantiate).

use crate::app::exchange::job::{Message, Reply, PROTOCOL};
use js_sys::Array;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

type Listener = Rc<dyn Fn(Option<Reply>, Option<web_sys::Blob>)>;

/// How long a worker may take to say it is ready (its first start fetches about 1 MB of code).
const READY_WITHIN_MS: i32 = 60_000;

pub struct ExchangeWorker {
    worker: web_sys::Worker,
    /// Requests made before the worker said it is ready (messages sent earlier would be lost).
    queued: Rc<RefCell<Option<Vec<Array>>>>,
    /// Who hears the replies, once the worker is given its task.
    listener: Rc<RefCell<Option<Listener>>>,
    /// The worker failed before anyone listened (it is told to the listener when one comes).
    failed: Rc<Cell<bool>>,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

impl ExchangeWorker {
    /// Starts a worker, idle until `listen`. None when the browser starts none.
    pub fn start() -> Option<ExchangeWorker> {
        let worker = web_sys::Worker::new("./exchange_loader.js").ok()?;
        let listener: Rc<RefCell<Option<Listener>>> = Rc::default();
        let failed: Rc<Cell<bool>> = Rc::default();
        let hear = {
            let (listener, failed) = (listener.clone(), failed.clone());
            Rc::new(move |reply: Option<Reply>, file: Option<web_sys::Blob>| {
                let current = listener.borrow().clone();
                match current {
                    Some(f) => f(reply, file),
                    None if reply.is_none() => failed.set(true),
                    None => {}
                }
            })
        };
        let queued: Rc<RefCell<Option<Vec<Array>>>> = Rc::new(RefCell::new(Some(vec![])));
        let (q, w, hear_message) = (queued.clone(), worker.clone(), hear.clone());
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let hear = &hear_message;
            let data = e.data();
            // "failed": the loader could not start the code.
            let Some(answer) = data.dyn_ref::<Array>() else { return hear(None, None) };
            if answer.get(0).as_string().as_deref() == Some("mark") {
                // One of the worker's marks, put on this page's timeline.
                return crate::trace::mark_mb(&answer.get(1).as_string().unwrap_or_default(), answer.get(2).as_f64().unwrap_or(0.0));
            }
            let reply = answer.get(0).as_string().and_then(|s| serde_json::from_str::<Reply>(&s).ok());
            let mb = answer.get(1).as_f64().unwrap_or(0.0);
            match reply {
                Some(Reply::Ready { protocol }) if protocol == PROTOCOL => {
                    for m in q.borrow_mut().take().unwrap_or_default() {
                        let _ = w.post_message(&m);
                    }
                }
                // A worker of another version (this page was open across an update).
                Some(Reply::Ready { .. }) => hear(None, None),
                Some(r) => {
                    crate::trace::mark_mb("rr:worker-reply", mb);
                    hear(Some(r), answer.get(2).dyn_into().ok())
                }
                None => hear(None, None),
            }
        });
        // A worker that never says it is ready (its files hang on the network) counts as failed:
        // the task would otherwise wait, with its controls disabled, until the page is left.
        let (waiting, hear_late) = (Rc::downgrade(&queued), Rc::downgrade(&hear));
        let late = Closure::once_into_js(move || {
            if let (Some(q), Some(hear)) = (waiting.upgrade(), hear_late.upgrade()) {
                if q.borrow().is_some() {
                    hear(None, None);
                }
            }
        });
        let _ = leptos::prelude::window().set_timeout_with_callback_and_timeout_and_arguments_0(late.unchecked_ref(), READY_WITHIN_MS);
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_e: web_sys::Event| hear(None, None));
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(ExchangeWorker { worker, queued, listener, failed, _on_message: on_message, _on_error: on_error })
    }

    /// Gives the replies to `on_reply` (with the file an export made). A worker that cannot
    /// start or fails is heard as `None`, also when that happened before this call (heard on the
    /// next turn, after the caller has kept the worker).
    pub fn listen(&self, on_reply: impl Fn(Option<Reply>, Option<web_sys::Blob>) + 'static) {
        *self.listener.borrow_mut() = Some(Rc::new(on_reply));
        if self.failed.get() {
            // Heard only while the worker is still kept (dropping it clears the listener).
            let listener = self.listener.clone();
            leptos::task::spawn_local(async move {
                crate::ui::yield_now().await;
                let current = listener.borrow().clone();
                if let Some(f) = current {
                    f(None, None);
                }
            });
        }
    }

    /// It failed before it was given a task (a worker started ahead is then not used).
    pub fn failed(&self) -> bool {
        self.failed.get()
    }

    /// Sends a message, with the files of a `Read` (the worker reads them: their text never
    /// enters the page's memory).
    pub fn send(&self, req: &Message, files: &[web_sys::File]) {
        let list: Array = files.iter().map(JsValue::from).collect();
        let msg = Array::of2(&JsValue::from_str(&serde_json::to_string(req).unwrap_or_default()), &list);
        match self.queued.borrow_mut().as_mut() {
            Some(q) => q.push(msg),
            None => {
                let _ = self.worker.post_message(&msg);
            }
        }
    }
}

impl Drop for ExchangeWorker {
    fn drop(&mut self) {
        self.listener.borrow_mut().take();
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
