//! The application layer: use cases that span the domain and storage (a user action and its
//! save, export, import). Pages call these and render the result; they hold no steps of their
//! own. Plain Rust over the `Store` trait, so every use case is tested natively with the
//! in-memory store.

pub mod backup;
pub mod exchange;
pub mod keys;

use crate::domain::tx::{self, Stamp, Tx};
use crate::domain::DomainError;
use crate::order::LeanSort;
use crate::storage::{Pending, Store, StoreError};
use crate::sync::pace::{Pace, Stopped};
use crate::sync::{Change, Registry};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Where the live registry is kept: a `RefCell` natively, a reactive signal in the browser.
/// `None` means there is no registry yet (before set-up).
pub trait Holder {
    fn read<R>(&self, f: impl FnOnce(&Registry) -> R) -> Option<R>;
    fn write<R>(&self, f: impl FnOnce(&mut Registry) -> R) -> Option<R>;
    fn replace(&self, reg: Registry);
}

impl Holder for RefCell<Option<Registry>> {
    fn read<R>(&self, f: impl FnOnce(&Registry) -> R) -> Option<R> {
        self.borrow().as_ref().map(f)
    }
    fn write<R>(&self, f: impl FnOnce(&mut Registry) -> R) -> Option<R> {
        self.borrow_mut().as_mut().map(f)
    }
    fn replace(&self, reg: Registry) {
        *self.borrow_mut() = Some(reg);
    }
}

/// More pending changes than this are made into a batch in slices (an import; an edit is a few).
const BIG_BATCH: usize = 2000;

/// One office's open registry: where it lives, its storage, and the writes storage has not
/// confirmed yet (kept and retried when a write fails, e.g. a full quota).
pub struct Session<H: Holder, S: Store> {
    pub reg: H,
    pub store: Rc<S>,
    pub pending: Rc<RefCell<Pending>>,
    /// Set while another tab of the app holds the registry: every change is refused here (two
    /// tabs writing one database would lose each other's work).
    read_only: Rc<Cell<bool>>,
    /// Set from the start of an import (the exchange worker reads the registry as stored, and
    /// may store into it) until this page has read the registry back: a change made here
    /// meanwhile would be missed by the preview or overwritten by the read-back.
    busy: Rc<Cell<bool>>,
    /// Set from start-up until the history (`storage::DEFERRED`) is read in: a change decided on
    /// part of the registry could be wrong, so every change is refused until then.
    awaiting: Rc<Cell<bool>>,
}

impl<H: Holder, S: Store> Session<H, S> {
    pub fn new(reg: H, store: Rc<S>) -> Self {
        Session {
            reg,
            store,
            pending: Rc::new(RefCell::new(Pending::default())),
            read_only: Rc::new(Cell::new(false)),
            busy: Rc::new(Cell::new(false)),
            awaiting: Rc::new(Cell::new(false)),
        }
    }

    /// The registry just opened lacks its history: changes are refused until `absorb_history`.
    pub fn await_history(&self) {
        self.awaiting.set(true);
    }

    /// Adds the history read after the first screen, and lets changes through again. Nothing is
    /// recorded: this is what storage already holds.
    pub fn absorb_history(&self, history: crate::sync::Records) {
        self.reg.write(|r| r.records.absorb(history));
        self.awaiting.set(false);
    }

    pub fn is_awaiting_history(&self) -> bool {
        self.awaiting.get()
    }

    /// Why a change is refused now, if it is.
    fn refusal(&self) -> Option<crate::i18n::K> {
        if self.read_only.get() {
            Some(crate::i18n::K::ErrReadOnlyTab)
        } else if self.busy.get() {
            Some(crate::i18n::K::ErrImportBusy)
        } else if self.awaiting.get() {
            Some(crate::i18n::K::ErrStillLoading)
        } else {
            None
        }
    }

    pub fn set_read_only(&self, on: bool) {
        self.read_only.set(on);
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only.get()
    }

    /// Refuses every change while an import runs in the exchange worker (`busy`).
    pub fn set_busy(&self, on: bool) {
        self.busy.set(on);
    }

    /// Refused while another tab holds the registry, an import is being stored, or the history
    /// is still being read.
    pub fn writable(&self) -> Result<(), StoreError> {
        match self.refusal() {
            Some(crate::i18n::K::ErrReadOnlyTab) => Err(StoreError::ReadOnly),
            Some(crate::i18n::K::ErrImportBusy) => Err(StoreError::Busy),
            Some(_) => Err(StoreError::Loading),
            None => Ok(()),
        }
    }

    /// Runs one user action through the transaction boundary and queues what it changed for
    /// storage. A refused action changes nothing and queues nothing.
    pub fn act<T>(&self, stamp: &Stamp, action: impl FnOnce(&mut Tx) -> Result<T, DomainError>) -> Result<T, DomainError> {
        if let Some(k) = self.refusal() {
            return Err(DomainError::new(k));
        }
        let done = self.reg.write(|r| tx::run(r, stamp, action)).unwrap_or_else(|| Err(DomainError::new(crate::i18n::K::ErrNoSuchRecord).arg("registry")))?;
        if !done.changes.is_empty() {
            self.pending.borrow_mut().add(&done.changes);
        }
        Ok(done.value)
    }

    /// Starts a new office (set-up, demo, restore): `reg` replaces whatever was held, and the
    /// action's changes are queued. Refused: nothing is replaced.
    pub fn start<T>(&self, mut reg: Registry, stamp: &Stamp, action: impl FnOnce(&mut Tx) -> Result<T, DomainError>) -> Result<T, DomainError> {
        if let Some(k) = self.refusal() {
            return Err(DomainError::new(k));
        }
        let done = tx::run(&mut reg, stamp, action)?;
        let mut p = self.pending.borrow_mut();
        // Whatever was pending belonged to the registry being replaced.
        *p = Pending::default();
        p.add(&done.changes);
        p.touch_meta();
        drop(p);
        self.reg.replace(reg);
        Ok(done.value)
    }

    /// Writes everything pending in one storage transaction. On failure it all stays pending
    /// (and in memory) for the next attempt. Returns how many changes are still pending.
    pub async fn flush(&self) -> Result<usize, StoreError> {
        self.flush_spent().await.map(|(n, _)| n)
    }

    /// `flush`, handing back what it stored (the batch, and the changes it confirmed), for the
    /// caller to free when it suits: a city import's is 300,000 texts and 160,000 changes, and
    /// freeing them took a fifth of a second that the exchange worker now spends after it has
    /// told the page the import is stored.
    pub async fn flush_spent(&self) -> Result<(usize, Option<crate::storage::Spent>), StoreError> {
        self.writable()?;
        let (empty, len) = {
            let p = self.pending.borrow();
            (p.is_empty(), p.len())
        };
        if empty {
            return Ok((0, None));
        }
        let batch = if len <= BIG_BATCH { self.reg.read(|r| self.pending.borrow().batch(r)) } else { self.batch_in_slices().await };
        let Some(batch) = batch else { return Ok((self.pending_len(), None)) };
        crate::trace::mark("rr:flush-batch");
        self.store.commit(&batch).await?;
        crate::trace::mark("rr:flush-committed");
        let mut p = self.pending.borrow_mut();
        let confirmed = p.confirm_spent(&batch);
        Ok((p.len(), Some(crate::storage::Spent { batch, confirmed })))
    }

    /// The batch of a city's import (160,000 changes, 140,000 records), made with turns between:
    /// from what was pending and the registry as they stood when it began (work added meanwhile
    /// stays pending for the next write).
    async fn batch_in_slices(&self) -> Option<crate::storage::Batch> {
        let (keys, ids) = self.pending.borrow().ids();
        // Its records pinned as they stand (a write meanwhile copies a record before changing
        // it), not the whole registry copied: that copied a city's 140,000 ids and its index,
        // to free them again after.
        let (pinned, meta) = self.reg.read(|r| (ids.iter().map(|id| r.records.pin(id)).collect::<Vec<_>>(), crate::storage::Meta::of(r)))?;
        let mut pace = Turns::new(&*self.store, &());
        let mut changes = Vec::with_capacity(keys.len());
        for k in &keys {
            changes.extend(self.pending.borrow_mut().take_stored_change(k));
            let _ = pace.tick().await;
        }
        let mut records = Vec::with_capacity(ids.len());
        for (id, p) in ids.iter().zip(&pinned) {
            records.extend(p.as_ref().map(|p| crate::storage::StoredRecord::of(p.record(id))));
            let _ = pace.tick().await;
        }
        Some(crate::storage::Batch { changes, records, meta: Some(meta) })
    }

    /// Empties storage and forgets what was pending (leaving the demo, handing the computer on).
    /// The caller drops the registry it shows.
    pub async fn reset(&self) -> Result<(), StoreError> {
        self.writable()?;
        self.store.clear().await?;
        *self.pending.borrow_mut() = Pending::default();
        Ok(())
    }

    pub fn pending_len(&self) -> usize {
        self.pending.borrow().len()
    }

    /// The change history of one record, stored and not yet stored, oldest first. Changes not yet
    /// stored are shown even when storage cannot be read.
    pub async fn history(&self, record: &str) -> Vec<Change> {
        let mut v = self.store.changes_for(record).await.unwrap_or_default();
        for c in self.pending.borrow().changes_for(record) {
            if !v.iter().any(|x| x.dot == c.dot) {
                v.push(c);
            }
        }
        v.lean_sort_by_key(|c| c.hlc());
        v
    }
}

impl<H: Holder + Clone, S: Store> Clone for Session<H, S> {
    fn clone(&self) -> Self {
        Session {
            reg: self.reg.clone(),
            store: self.store.clone(),
            pending: self.pending.clone(),
            read_only: self.read_only.clone(),
            busy: self.busy.clone(),
            awaiting: self.awaiting.clone(),
        }
    }
}

/// Paces long work (reading a city's file, writing its import): after about `Store::turn_ms` of work
/// the page gets a turn (`Store::pause`), and a cancel pressed meanwhile stops the work.
struct Turns<'a, S: Store> {
    store: &'a S,
    watch: &'a dyn exchange::Watch,
    ticks: u32,
    since: f64,
}

impl<'a, S: Store> Turns<'a, S> {
    fn new(store: &'a S, watch: &'a dyn exchange::Watch) -> Self {
        Turns { store, watch, ticks: 0, since: store.now_ms() }
    }
}

impl<S: Store> Pace for Turns<'_, S> {
    async fn tick(&mut self) -> Result<(), Stopped> {
        // The clock is read every 16 units (a unit is one change, or 64 KB of text scanned).
        self.ticks = self.ticks.wrapping_add(1);
        if !self.ticks.is_multiple_of(16) || self.store.now_ms() - self.since < self.store.turn_ms() {
            return Ok(());
        }
        self.store.pause().await;
        self.since = self.store.now_ms();
        if self.watch.cancelled() {
            Err(Stopped)
        } else {
            Ok(())
        }
    }

    fn sha256_beside(&mut self, len: usize, parts: &mut dyn Iterator<Item = &[u8]>) -> Option<crate::sync::pace::Beside> {
        self.store.sha256_beside(len, parts)
    }
}

#[cfg(test)]
mod tests;
