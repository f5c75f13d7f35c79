//! An import run outside the page: the exchange worker (src/bin/exchange_worker.rs) opens the
//! registry as stored, reads the files into a preview, describes the preview's rows when asked,
//! and on confirmation stores the result itself, in one transaction. The page then reads the
//! registry back from storage and ends the worker.
//!
//! Why: a city's import takes hundreds of megabytes, and wasm memory never shrinks. Done in the
//! page's own instance, that memory stayed taken until the tab closed. Ending the worker returns
//! it. The long steps also no longer hold the page's thread.
//!
//! An export runs there too (`export`): it reads the stored change log with the registry's meta
//! and own office (`Store::load_for_export`), and hands the file back as a Blob. A city's file
//! is 40 MB: built in the page, it held the page's thread for most of a second and kept its
//! memory.
//!
//! The same `Session` read, apply and export decide here as everywhere else: this module only
//! carries their requests and answers, as data that crosses between threads.

use super::{describe_rows, ExchangeError, Exported, Incoming, Preview, ReadStep, RecordDiff, Watch};
use crate::app::{keys, Holder, Session};
use crate::domain::labels::record_name;
use crate::i18n::Lang;
use crate::storage::{Store, StoreError};
use crate::sync::bundle::{BundleError, BundleKind, KeyState, Party};
use crate::sync::trust::fingerprint;
use crate::sync::{Registry, VersionVector};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Rows of each group described with the preview; more are described when asked for.
pub const FIRST_ROWS: usize = 20;

/// What page and worker must agree on: the requests and replies, and the storage layout the
/// worker writes. Bump it when any of them changes. A page left open across an update may start
/// the newer worker (its files are not named by content); the page refuses a worker whose
/// `Ready` names another protocol and asks for a reload.
pub const PROTOCOL: u32 = 2;

/// A message to the worker: a request of an import's job, or an export (which needs no job: a
/// worker is started for one or the other).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Message {
    Job(Request),
    /// A file for `to` (any office when None): only what it lacks when `delta`.
    Export {
        to: Option<String>,
        delta: bool,
        now_ms: i64,
        lang: Lang,
    },
}

/// What the page asks of an import's job. The files of `Read` travel beside the request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    Read {
        now_ms: i64,
        lang: Lang,
    },
    /// The first `upto` rows of the preview's group `group`.
    Rows {
        group: usize,
        upto: usize,
    },
    /// Stores the preview, when the page's registry is still at `base` (else `Stale`).
    Apply {
        base: VersionVector,
        lang: Lang,
    },
    /// Stops a read between its steps (nothing changes).
    Cancel,
}

/// What the worker answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has started and waits for its request; it speaks `protocol` (`PROTOCOL`).
    Ready {
        protocol: u32,
    },
    Step {
        file: usize,
        files: usize,
        step: ReadStep,
    },
    /// The files were refused (file `file` of them); nothing changed. `key`: (office, key
    /// presented) when the refusal is a key other than the registered one, which a person may
    /// accept.
    Refused {
        file: usize,
        message: String,
        key: Option<(String, String)>,
    },
    Cancelled,
    /// Nothing new; what the files said of their senders is stored.
    NothingNew,
    Preview(Box<Summary>),
    Rows {
        group: usize,
        rows: Vec<RecordDiff>,
    },
    /// Stored: this many changes.
    Applied {
        changes: usize,
    },
    /// An export's file, named `name`, holding this many changes (its text travels beside).
    Exported {
        name: String,
        changes: usize,
    },
    /// Storage or the check before storing refused; nothing was stored.
    Failed {
        message: String,
    },
}

/// A preview as the page shows it: what a person needs to decide, without the merged registry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub from: Party,
    pub kind: BundleKind,
    pub records_new: usize,
    pub records_changed: usize,
    pub records_deleted: usize,
    pub total_changes: usize,
    pub new_changes: usize,
    pub sender_state: KeyState,
    /// The sender key's fingerprint (empty when unsigned).
    pub fingerprint: String,
    /// Other offices whose keys the file would register: (name, fingerprint).
    pub new_keys: Vec<(String, String)>,
    /// Other offices whose content came unsigned, by name.
    pub unsigned: Vec<String>,
    /// Records the import deletes, by title.
    pub deleted: Vec<String>,
    /// (record title, collection, field) newly in conflict.
    pub conflicts: Vec<(String, String, String)>,
    /// Items that may be the same as one held, by title.
    pub duplicates: Vec<String>,
    pub own_restored: Option<u64>,
    /// Each group's collection and size.
    pub groups: Vec<(String, usize)>,
    /// Each group's first rows, described.
    pub first_rows: Vec<Vec<RecordDiff>>,
}

impl Summary {
    /// The summary of `p`, read against `before` (the registry the preview was worked out from).
    pub fn of(before: &Registry, p: &Preview) -> Summary {
        let plan = &p.plan;
        let title =
            |id: &str| plan.registry.records.get(id).and_then(record_name).or_else(|| before.records.get(id).and_then(record_name)).unwrap_or(id).to_string();
        let sender = plan.checked.sender.as_ref();
        let is_sender = |o: &str| sender.is_some_and(|s| s.office == o);
        let authors = &plan.checked.authors;
        Summary {
            from: plan.from.clone(),
            kind: plan.kind.clone(),
            records_new: plan.records_new.len(),
            records_changed: plan.records_changed.len(),
            records_deleted: plan.records_deleted.len(),
            total_changes: plan.total_changes,
            new_changes: plan.new_changes.len(),
            sender_state: plan.checked.sender_state(),
            fingerprint: sender.and_then(|s| s.key.as_deref()).map(fingerprint).unwrap_or_default(),
            new_keys: authors
                .iter()
                .filter(|a| matches!(a.state, KeyState::FirstUse | KeyState::Rotated) && !is_sender(&a.office))
                .map(|a| (keys::name_of(&plan.registry, &a.office), a.key.as_deref().map(fingerprint).unwrap_or_default()))
                .collect(),
            unsigned: authors
                .iter()
                .filter(|a| a.state == KeyState::Unsigned && a.office != plan.registry.me && !is_sender(&a.office))
                .map(|a| keys::name_of(&plan.registry, &a.office))
                .collect(),
            deleted: plan.records_deleted.iter().map(|id| title(id)).collect(),
            conflicts: plan
                .new_conflicts
                .iter()
                .map(|(id, f)| (title(id), plan.registry.records.get(id).map(|r| r.coll.clone()).unwrap_or_default(), f.clone()))
                .collect(),
            duplicates: plan.possible_duplicates.iter().map(|(a, _)| title(a)).collect(),
            own_restored: plan.own_restored,
            groups: p.groups.iter().map(|(c, rows)| (c.clone(), rows.len())).collect(),
            first_rows: p.groups.iter().map(|(_, rows)| describe_rows(before, plan, &rows[..rows.len().min(FIRST_ROWS)])).collect(),
        }
    }
}

/// An export from the registry as `store` holds it (the page has stored all it holds first):
/// the reply, and the file's text to hand over beside it.
pub async fn export<S: Store>(store: Rc<S>, to: Option<&str>, delta: bool, now_ms: i64, lang: Lang) -> (Reply, Option<String>) {
    let made: Result<Exported, ExchangeError> = async {
        let reg = store.load_for_export().await?.ok_or(ExchangeError::NoRegistry)?;
        Session::new(RefCell::new(Some(reg)), store).export(to, delta, now_ms).await
    }
    .await;
    match made {
        Ok(f) => (Reply::Exported { name: f.name, changes: f.changes }, Some(f.text)),
        Err(e) => (Reply::Failed { message: e.message(lang) }, None),
    }
}

/// Reports a read's steps as replies, and stops it when the page has cancelled.
struct Watcher<'a> {
    cancel: &'a Cell<bool>,
    send: &'a dyn Fn(Reply),
}

impl Watch for Watcher<'_> {
    fn step(&self, file: usize, files: usize, step: ReadStep) {
        (self.send)(Reply::Step { file, files, step });
    }
    fn cancelled(&self) -> bool {
        self.cancel.get()
    }
}

/// One import, from reading its files to storing them.
pub struct Job<S: Store> {
    session: Session<RefCell<Option<Registry>>, S>,
    preview: RefCell<Option<Preview>>,
    /// Set by a `Cancel` request; a read looks at it between steps. A job reads once: a cancel
    /// that came before the read began (while the registry was opened) stops it at once.
    pub cancel: Rc<Cell<bool>>,
    /// What the last apply stored, freed by `release` once the page has its answer.
    spent: RefCell<Option<crate::storage::Spent>>,
}

impl<S: Store> Job<S> {
    /// Opens the registry as `store` holds it (the page has stored all it holds first).
    pub async fn open(store: Rc<S>) -> Result<Self, StoreError> {
        let reg = store.load().await?.ok_or(StoreError::Missing)?;
        Ok(Job { session: Session::new(RefCell::new(Some(reg)), store), preview: RefCell::new(None), cancel: Rc::default(), spent: RefCell::new(None) })
    }

    /// Answers one request; `send` carries the steps of a read as they start.
    pub async fn handle(&self, req: Request, texts: &[String], send: &dyn Fn(Reply)) -> Reply {
        match req {
            Request::Read { now_ms, lang } => self.read(texts, now_ms, lang, send).await,
            Request::Rows { group, upto } => self.rows(group, upto),
            Request::Apply { base, lang } => self.apply(&base, lang).await,
            Request::Cancel => {
                self.cancel.set(true);
                Reply::Cancelled
            }
        }
    }

    async fn read(&self, texts: &[String], now_ms: i64, lang: Lang, send: &dyn Fn(Reply)) -> Reply {
        *self.preview.borrow_mut() = None;
        let watch = Watcher { cancel: &self.cancel, send };
        match self.session.read_files_watched(texts, now_ms, &watch).await {
            Ok(Incoming::NothingNew) => match self.session.flush().await {
                Ok(_) => Reply::NothingNew,
                Err(e) => Reply::Failed { message: ExchangeError::Store(e).message(lang) },
            },
            Ok(Incoming::Preview(p)) => {
                let summary = self.session.reg.read(|before| Summary::of(before, &p));
                *self.preview.borrow_mut() = Some(*p);
                match summary {
                    Some(s) => Reply::Preview(Box::new(s)),
                    None => Reply::Failed { message: ExchangeError::NoRegistry.message(lang) },
                }
            }
            Err((_, ExchangeError::Cancelled)) => Reply::Cancelled,
            Err((file, e)) => {
                let key = match &e {
                    ExchangeError::Trust { why: BundleError::KeyChanged { office, presented, .. }, .. } => Some((office.clone(), presented.clone())),
                    _ => None,
                };
                Reply::Refused { file, message: e.message(lang), key }
            }
        }
    }

    fn rows(&self, group: usize, upto: usize) -> Reply {
        let preview = self.preview.borrow();
        let rows = preview
            .as_ref()
            .and_then(|p| {
                let (_, rows) = p.groups.get(group)?;
                self.session.reg.read(|before| describe_rows(before, &p.plan, &rows[..upto.min(rows.len())]))
            })
            .unwrap_or_default();
        Reply::Rows { group, rows }
    }

    /// Stores the preview read last. Refused (nothing stored) when the page's registry is no
    /// longer the one the preview was worked out from, or when storage refuses.
    async fn apply(&self, base: &VersionVector, lang: Lang) -> Reply {
        let Some(p) = self.preview.borrow_mut().take() else { return Reply::Failed { message: ExchangeError::Stale.message(lang) } };
        if &p.base != base {
            return Reply::Failed { message: ExchangeError::Stale.message(lang) };
        }
        let applied = match self.session.apply_owned(p) {
            Ok(n) => n,
            Err(e) => return Reply::Failed { message: e.message(lang) },
        };
        match self.session.flush_spent().await {
            Ok((_, spent)) => {
                *self.spent.borrow_mut() = spent;
                Reply::Applied { changes: applied }
            }
            Err(e) => Reply::Failed { message: ExchangeError::Store(e).message(lang) },
        }
    }

    /// Frees what the last apply stored (called after its answer is sent: see `Session::flush_spent`).
    pub fn release(&self) {
        self.spent.borrow_mut().take();
    }
}

#[cfg(test)]
mod tests;
