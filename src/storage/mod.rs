//! Storage behind a small trait: IndexedDB in the browser (`idb`), memory in tests (`memory`).
//!
//! Three things are stored: the change log (every change ever held, for history and export),
//! the merged records (so start-up does not replay the log), and a small meta entry (office id,
//! clock, version vector). One user action = one `commit` = one transaction, holding only the
//! changes it made and the records they touched.

pub mod bucket;
#[cfg(target_arch = "wasm32")]
pub mod idb;
pub mod memory;

use crate::sync::trust::{ChainHead, Trust};
pub use crate::sync::StoredChange;
use crate::sync::{Change, Clock, Dot, OfficeId, Peer, Record, RecordId, Registry, VersionVector};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub me: OfficeId,
    pub clock: Clock,
    pub vv: VersionVector,
    #[serde(default)]
    pub peers: BTreeMap<OfficeId, Peer>,
    /// Chain heads and keys (absent before schema 2: rebuilt from the log when opened).
    #[serde(default)]
    pub heads: BTreeMap<OfficeId, ChainHead>,
    #[serde(default)]
    pub trust: Trust,
    #[serde(default)]
    pub backed_up: crate::sync::state::BackedUp,
    /// Format of what is stored, for later migrations.
    pub schema: u32,
}

/// 2: keys and chain heads in the meta entry; 4: state buckets held as text (`storage::bucket`),
/// history apart (`DEFERRED`). (3, the same without history apart, was never released.)
pub const SCHEMA: u32 = 4;

impl Meta {
    pub fn of(reg: &Registry) -> Self {
        Meta {
            me: reg.me.clone(),
            clock: reg.clock.clone(),
            vv: reg.vv.clone(),
            peers: reg.peers.clone(),
            heads: reg.heads.clone(),
            trust: reg.trust.clone(),
            backed_up: reg.backed_up.clone(),
            schema: SCHEMA,
        }
    }
}

/// Collections kept as stored text at start-up until something reads them
/// (`sync::Records::push_stored`): the monthly reports are a city's history (120,000 of its
/// 140,000 records) and the screens read only this month's; the items are read as typed values
/// (`domain::ops::all_shared`), made from the text without keeping each record parsed; the
/// reviews are read one item's at a time.
pub const KEPT_AS_TEXT: &[&str] = &[crate::domain::model::coll::REPORT, crate::domain::model::coll::ITEM, crate::domain::model::coll::REVIEW];

/// Collections stored apart and read after the first screen is drawn (`idb::IdbStore::
/// load_history`): a city's 120,000 monthly reports and 10,000 reviews were most of its
/// start-up, and the list it opens on reads none of them. Until they are in, the app changes
/// nothing (`app::Session`) and shows only the list. Part of the stored layout: changing it
/// needs `SCHEMA` raised, so that opening moves every record to its shelf.
pub const DEFERRED: &[&str] = &[crate::domain::model::coll::REPORT, crate::domain::model::coll::REVIEW];

/// What one transaction writes, already in the form storage holds: a city import's batch used
/// to copy all 160,000 changes and 140,000 parsed records (+270 MB at the import's peak) only
/// to serialise them a moment later.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    pub changes: Vec<StoredChange>,
    pub records: Vec<StoredRecord>,
    pub meta: Option<Meta>,
}

/// What a commit leaves to free: the batch written, and the pending changes it confirmed when
/// it held all of them (`Pending::confirm_spent`).
pub struct Spent {
    pub batch: Batch,
    pub confirmed: BTreeMap<Dot, Change>,
}

/// A record as the state stores it: its id and its compact text (`sync::compact`), with what
/// start-up needs to index it unread (`compact::summary`).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredRecord {
    pub id: RecordId,
    pub coll: String,
    pub text: String,
    pub wall: i64,
    pub flagged: bool,
}

impl StoredRecord {
    pub fn of(r: &Record) -> Self {
        let (wall, flagged) = crate::sync::compact::summary(r);
        StoredRecord { id: r.id.clone(), coll: r.coll.clone(), text: crate::sync::compact::to_text(r).expect("record serialises"), wall, flagged }
    }

    pub fn record(&self) -> Result<Record, StoreError> {
        crate::sync::compact::from_text(&self.text).map_err(|e| StoreError::Other(e.to_string()))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum StoreError {
    /// The browser refused for lack of space.
    Quota,
    /// The database could not be opened (private mode, blocked, unsupported).
    Unavailable(String),
    /// No database at all in this browser session (it could not be opened at start-up).
    Missing,
    /// Another tab of the app holds this registry: this one only reads.
    ReadOnly,
    /// The registry's history is still being read (a moment after start-up).
    Loading,
    /// An import runs in the exchange worker (until the page has read the registry back).
    Busy,
    Other(String),
}

impl StoreError {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::{t, K};
        match self {
            StoreError::Quota => t(lang, K::ErrQuota).to_string(),
            StoreError::Missing => t(lang, K::StorageUnavailable).to_string(),
            StoreError::ReadOnly => t(lang, K::ErrReadOnlyTab).to_string(),
            StoreError::Loading => t(lang, K::ErrStillLoading).to_string(),
            StoreError::Busy => t(lang, K::ErrImportBusy).to_string(),
            StoreError::Unavailable(s) | StoreError::Other(s) => s.clone(),
        }
    }
}

/// Async because IndexedDB is; the memory store's futures are ready at once.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// The stored registry, or None before first set-up.
    async fn load(&self) -> Result<Option<Registry>, StoreError>;
    /// What an export reads besides the change log: the stored registry's meta and its own
    /// office's record (a store that keeps records apart reads only those: a city's 140,000
    /// records took half a second to read for nothing); the whole registry elsewhere.
    async fn load_for_export(&self) -> Result<Option<Registry>, StoreError> {
        self.load().await
    }
    /// Writes a batch atomically: all of it or none of it.
    async fn commit(&self, batch: &Batch) -> Result<(), StoreError>;
    /// The change log of one record, oldest first. For a record of the `DEFERRED` collections a
    /// store may leave out some or all of it (the IndexedDB store indexes their changes only in
    /// rows written before it stopped: their history is never shown, and a city's were most of
    /// its index).
    async fn changes_for(&self, record: &str) -> Result<Vec<Change>, StoreError>;
    /// The changes held under these ids (those not held are left out), looked up by key.
    async fn changes_at(&self, dots: &[Dot]) -> Result<Vec<Change>, StoreError>;
    /// The whole change log (for full export).
    async fn all_changes(&self) -> Result<Vec<Change>, StoreError>;
    /// The whole change log as stored, each change with its canonical JSON (what an export
    /// copies; IndexedDB hands it over without parsing a change).
    async fn all_change_texts(&self) -> Result<Vec<StoredChange>, StoreError> {
        Ok(self.all_changes().await?.iter().map(StoredChange::of).collect())
    }
    /// Removes everything (used by "reset" and by tests).
    async fn clear(&self) -> Result<(), StoreError>;
    /// Gives the page a turn between long steps (the browser's event loop; nothing natively).
    async fn pause(&self) {}
    /// Milliseconds on a clock that paces long work between `pause`s (the browser's
    /// performance clock). Natively it stands still: work runs without rests.
    fn now_ms(&self) -> f64 {
        0.0
    }
    /// How long a slice of long work runs between two `pause`s: short on the page (a task
    /// over 50 ms is "long" to a browser), longer in a worker, where a pause only lets a cancel in.
    fn turn_ms(&self) -> f64 {
        PAGE_TURN_MS
    }
    /// `Pace::sha256_beside` where this store runs (the browser's digest); None natively.
    fn sha256_beside(&self, _len: usize, _parts: &mut dyn Iterator<Item = &[u8]>) -> Option<crate::sync::pace::Beside> {
        None
    }
}

/// `Store::turn_ms` on the page: a slice of long work between two turns of the page.
pub const PAGE_TURN_MS: f64 = 40.0;

/// A store that may be absent (the browser refused to open one): every call then fails with
/// `Missing`, so edits stay in memory, pending, and the user is told.
impl<S: Store> Store for Option<S> {
    async fn load(&self) -> Result<Option<Registry>, StoreError> {
        self.as_ref().ok_or(StoreError::Missing)?.load().await
    }
    async fn load_for_export(&self) -> Result<Option<Registry>, StoreError> {
        self.as_ref().ok_or(StoreError::Missing)?.load_for_export().await
    }
    async fn commit(&self, batch: &Batch) -> Result<(), StoreError> {
        self.as_ref().ok_or(StoreError::Missing)?.commit(batch).await
    }
    async fn changes_for(&self, record: &str) -> Result<Vec<Change>, StoreError> {
        self.as_ref().ok_or(StoreError::Missing)?.changes_for(record).await
    }
    async fn changes_at(&self, dots: &[Dot]) -> Result<Vec<Change>, StoreError> {
        self.as_ref().ok_or(StoreError::Missing)?.changes_at(dots).await
    }
    async fn all_changes(&self) -> Result<Vec<Change>, StoreError> {
        self.as_ref().ok_or(StoreError::Missing)?.all_changes().await
    }
    async fn all_change_texts(&self) -> Result<Vec<StoredChange>, StoreError> {
        self.as_ref().ok_or(StoreError::Missing)?.all_change_texts().await
    }
    async fn clear(&self) -> Result<(), StoreError> {
        self.as_ref().ok_or(StoreError::Missing)?.clear().await
    }
    async fn pause(&self) {
        if let Some(s) = self.as_ref() {
            s.pause().await
        }
    }
    fn now_ms(&self) -> f64 {
        self.as_ref().map_or(0.0, S::now_ms)
    }
    fn turn_ms(&self) -> f64 {
        self.as_ref().map_or(PAGE_TURN_MS, S::turn_ms)
    }
    fn sha256_beside(&self, len: usize, parts: &mut dyn Iterator<Item = &[u8]>) -> Option<crate::sync::pace::Beside> {
        self.as_ref()?.sha256_beside(len, parts)
    }
}

/// `c` as storage holds it: with `json` when its canonical JSON came with it, else serialised.
fn stored_as(c: &Change, json: Option<String>) -> StoredChange {
    match json {
        Some(json) => StoredChange { dot: c.dot.clone(), record: c.record.clone(), json },
        None => StoredChange::of(c),
    }
}

/// Rebuilds a registry from what `load` reads.
pub fn assemble(meta: Meta, records: crate::sync::records::Records) -> Registry {
    Registry { me: meta.me, clock: meta.clock, vv: meta.vv, peers: meta.peers, heads: meta.heads, trust: meta.trust, backed_up: meta.backed_up, records }
}

/// Writes not yet confirmed by storage. When a commit fails they stay here, the in-memory
/// registry keeps the edit, and the next commit retries them together with the new work.
#[derive(Clone, Debug, Default)]
pub struct Pending {
    /// By id (a `Dot`, not its text key: an import adds 160,000, and formatting each key was
    /// most of the 120 ms that took).
    changes: BTreeMap<Dot, Change>,
    /// The canonical JSON of pending changes that came with it (an import's, as its file's
    /// check worked it out): written as is instead of serialising the change again.
    texts: BTreeMap<Dot, String>,
    records: BTreeSet<RecordId>,
    /// Local-only state (peer knowledge) changed without any change to the records.
    meta_dirty: bool,
}

impl Pending {
    pub fn add(&mut self, changes: &[Change]) {
        self.add_owned(changes.to_vec());
    }

    /// `add`, taking the changes (an import's 160,000 are not copied).
    pub fn add_owned(&mut self, changes: Vec<Change>) {
        self.add_owned_with(changes, None);
    }

    /// `add_owned`, with each change's canonical JSON when already worked out (`texts`, in the
    /// same order; ignored unless one per change).
    pub fn add_owned_with(&mut self, changes: Vec<Change>, texts: Option<Vec<String>>) {
        let texts = texts.filter(|t| t.len() == changes.len());
        if self.changes.is_empty() && self.records.is_empty() {
            // Nothing pending (an import applied): built in bulk from the changes, which come
            // in id order, instead of 160,000 inserts one by one (170 ms in one task).
            self.records = changes.iter().map(|c| c.record.clone()).collect();
            if let Some(t) = texts {
                self.texts = changes.iter().map(|c| c.dot.clone()).zip(t).collect();
            }
            self.changes = changes.into_iter().map(|c| (c.dot.clone(), c)).collect();
            return;
        }
        let mut texts = texts.map(Vec::into_iter);
        for c in changes {
            match texts.as_mut().and_then(Iterator::next) {
                Some(t) => {
                    self.texts.insert(c.dot.clone(), t);
                }
                // A change pending again under the same id is stored as it is now.
                None => {
                    self.texts.remove(&c.dot);
                }
            }
            self.records.insert(c.record.clone());
            self.changes.insert(c.dot.clone(), c);
        }
    }

    /// A pending change as storage holds it: its JSON as it came, or serialised now.
    fn stored(&self, c: &Change) -> StoredChange {
        stored_as(c, self.texts.get(&c.dot).cloned())
    }

    pub fn touch_meta(&mut self) {
        self.meta_dirty = true;
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && !self.meta_dirty
    }

    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Every pending change (an export includes what storage has not confirmed yet).
    pub fn changes(&self) -> Vec<Change> {
        self.changes.values().cloned().collect()
    }

    /// Pending changes of one record (for history views before storage confirmed them).
    pub fn changes_for(&self, record: &str) -> Vec<Change> {
        self.changes.values().filter(|c| c.record == record).cloned().collect()
    }

    /// Pending changes under these ids.
    pub fn changes_at(&self, dots: &[Dot]) -> Vec<Change> {
        dots.iter().filter_map(|d| self.changes.get(d).cloned()).collect()
    }

    /// The batch to write now: every pending change and the current state of touched records.
    pub fn batch(&self, reg: &Registry) -> Batch {
        Batch {
            changes: self.changes.values().map(|c| self.stored(c)).collect(),
            records: self.records.iter().filter_map(|id| reg.records.get(id)).map(StoredRecord::of).collect(),
            meta: Some(Meta::of(reg)),
        }
    }

    /// The ids of what is pending: changes (by key) and touched records. A batch for a city's
    /// import is made from them in slices (`stored_change`, with the registry's records).
    pub fn ids(&self) -> (Vec<Dot>, Vec<RecordId>) {
        (self.changes.keys().cloned().collect(), self.records.iter().cloned().collect())
    }

    /// A pending change as the batch stores it (None once it is no longer pending).
    pub fn stored_change(&self, key: &Dot) -> Option<StoredChange> {
        self.changes.get(key).map(|c| self.stored(c))
    }

    /// `stored_change`, moving its text into the batch rather than copying it (a city's import
    /// holds 48 MB of them). Should the write fail, the change is serialised again next time.
    pub fn take_stored_change(&mut self, key: &Dot) -> Option<StoredChange> {
        let c = self.changes.get(key)?;
        Some(stored_as(c, self.texts.remove(key)))
    }

    /// Forgets what `batch` wrote, once storage confirmed it. Work added meanwhile stays.
    pub fn confirm(&mut self, batch: &Batch) {
        drop(self.confirm_spent(batch));
    }

    /// `confirm`, handing back the confirmed changes instead of freeing them here when the batch
    /// held all that was pending (a city's import: 160,000 changes, see
    /// `app::Session::flush_spent`); changes confirmed one by one are freed here.
    pub fn confirm_spent(&mut self, batch: &Batch) -> BTreeMap<Dot, Change> {
        let mut spent = BTreeMap::new();
        if batch.changes.len() == self.changes.len() && self.changes.keys().eq(batch.changes.iter().map(|c| &c.dot)) {
            // All of it written, nothing added meanwhile (a batch lists them in id order): no
            // removal one by one.
            spent = std::mem::take(&mut self.changes);
            self.texts.clear();
        } else {
            for c in &batch.changes {
                self.changes.remove(&c.dot);
                self.texts.remove(&c.dot);
            }
        }
        let still: BTreeSet<RecordId> = self.changes.values().map(|c| c.record.clone()).collect();
        self.records.retain(|r| still.contains(r));
        if batch.meta.is_some() {
            self.meta_dirty = false;
        }
        spent
    }

    /// Commits everything pending; cleared only when storage confirmed it.
    pub async fn flush<S: Store>(&mut self, store: &S, reg: &Registry) -> Result<(), StoreError> {
        if self.is_empty() {
            return Ok(());
        }
        let batch = self.batch(reg);
        store.commit(&batch).await?;
        self.confirm(&batch);
        Ok(())
    }
}

/// Runs a future that never waits (the memory store's) to completion; for native tests.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::Registry;
    use serde_json::json;

    /// Changes of two offices, one record touched twice and one id given twice (the later wins).
    fn changes() -> Vec<Change> {
        let mut a = Registry::new("a");
        let mut b = Registry::new("b");
        let mut out = vec![];
        for (n, r) in ["r1", "r2", "r1"].iter().enumerate() {
            out.push(a.change(10 + n as i64, "item", r, vec![("title".into(), json!(format!("t{n}")))], "").unwrap().unwrap());
        }
        out.push(b.change(20, "item", "r3", vec![("title".into(), json!("x"))], "").unwrap().unwrap());
        let mut again = out[1].clone();
        again.by = "later".into();
        out.push(again);
        out
    }

    #[test]
    fn pending_built_in_bulk_is_what_adding_one_by_one_gives() {
        let one_by_one = |cs: &[Change]| {
            let mut p = Pending::default();
            p.touch_meta(); // not empty: the loop, not the bulk build
            p.add_owned(cs.to_vec());
            p
        };
        let mut bulk = Pending::default();
        bulk.add_owned(changes());
        let each = one_by_one(&changes());
        assert_eq!(bulk.ids(), each.ids());
        assert_eq!(bulk.changes(), each.changes());
        assert_eq!(bulk.changes().iter().filter(|c| c.by == "later").count(), 1, "the later of two under one id is kept");
        assert_eq!(bulk.len(), 4);
        // More added to a bulk-built one goes through the loop and agrees too.
        let more = {
            let mut c = Registry::new("c");
            vec![c.change(30, "item", "r9", vec![("title".into(), json!("y"))], "").unwrap().unwrap()]
        };
        bulk.add_owned(more.clone());
        let mut all = changes();
        all.extend(more);
        assert_eq!(bulk.ids(), one_by_one(&all).ids());
    }

    #[test]
    fn texts_that_came_with_changes_are_stored_as_they_came() {
        let cs: Vec<Change> = changes().into_iter().take(4).collect();
        let reg = Registry::new("a");
        let marked = |c: &Change| format!("{} ", c.canonical_json());
        for bulk in [true, false] {
            let mut p = Pending::default();
            if !bulk {
                p.touch_meta();
            }
            p.add_owned_with(cs.clone(), Some(cs.iter().map(marked).collect()));
            let b = p.batch(&reg);
            assert!(b.changes.iter().all(|s| s.json.ends_with(' ')), "bulk {bulk}: the given texts, not serialised again");
            assert_eq!(p.stored_change(&cs[0].dot).unwrap().json, marked(&cs[0]));
            // Taken into a batch, the text is moved: a failed write serialises it next time.
            assert_eq!(p.take_stored_change(&cs[1].dot).unwrap().json, marked(&cs[1]));
            assert_eq!(p.stored_change(&cs[1].dot).unwrap().json, cs[1].canonical_json());
            // Added again without its text: stored as it is now.
            p.add_owned(vec![cs[0].clone()]);
            assert_eq!(p.stored_change(&cs[0].dot).unwrap().json, cs[0].canonical_json());
            // Confirmed: all gone, texts too.
            let b = p.batch(&reg);
            p.confirm(&b);
            assert!(p.is_empty() && p.texts.is_empty(), "bulk {bulk}");
        }
        // Texts not one per change are not used.
        let mut p = Pending::default();
        p.add_owned_with(cs.clone(), Some(vec!["x".into()]));
        assert!(p.batch(&reg).changes.iter().all(|s| s.json == cs.iter().find(|c| c.dot == s.dot).unwrap().canonical_json()));
        // A confirm of part of what is pending keeps the rest and its texts.
        let mut p = Pending::default();
        p.add_owned_with(cs[..2].to_vec(), Some(cs[..2].iter().map(marked).collect()));
        let b = p.batch(&reg);
        p.add_owned_with(cs[2..].to_vec(), Some(cs[2..].iter().map(marked).collect()));
        p.confirm(&b);
        assert_eq!(p.len(), 2);
        assert!(p.batch(&reg).changes.iter().all(|s| s.json.ends_with(' ')));
    }
}
