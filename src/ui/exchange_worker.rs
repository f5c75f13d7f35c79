//! The page's side of the exchange worker (src/bin/exchange_worker.rs): one worker per import or
//! export, ended when it is over or the page moves on (dropping it ends it), which returns the
//! memory the file took.

use crate::app::exchange::job::{Message, Reply, PROTOCOL};
use js_sys::Array;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};

pub struct ExchangeWorker {
    worker: web_sys::Worker,
    /// Requests made before the worker said it is ready (messages sent earlier would be lost).
    queued: Rc<RefCell<Option<Vec<Array>>>>,
    _on_message: Closure<dyn Fn(web_sys::MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

impl ExchangeWorker {
    /// Starts a worker; `on_reply` hears each reply, with the file an export made. A worker that
    /// cannot start or fails is heard as `None`.
    pub fn start(on_reply: impl Fn(Option<Reply>, Option<web_sys::Blob>) + 'static) -> Option<ExchangeWorker> {
        let worker = web_sys::Worker::new("./exchange_loader.js").ok()?;
        let on_reply = Rc::new(on_reply);
        let queued: Rc<RefCell<Option<Vec<Array>>>> = Rc::new(RefCell::new(Some(vec![])));
        let (q, w, hear) = (queued.clone(), worker.clone(), on_reply.clone());
        let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
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
        let hear = on_reply.clone();
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_e: web_sys::Event| hear(None, None));
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(ExchangeWorker { worker, queued, _on_message: on_message, _on_error: on_error })
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
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
