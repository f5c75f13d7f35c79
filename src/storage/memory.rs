//! In-memory store for native tests, with switches to simulate a full quota or a broken database.

use super::{assemble, Batch, Meta, Store, StoreError};
use crate::order::LeanSort;
use crate::sync::{Change, Record, Registry};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemData {
    pub meta: Option<Meta>,
    pub records: BTreeMap<String, Record>,
    pub changes: BTreeMap<String, Change>,
}

#[derive(Default)]
pub struct MemoryStore {
    pub data: RefCell<MemData>,
    /// When set, every commit fails as if the quota were exhausted.
    pub full: Cell<bool>,
    /// Counts committed transactions (tests check "one transaction per action").
    pub commits: Cell<usize>,
    /// Counts records written, to check that only what changed is written.
    pub records_written: Cell<usize>,
}

impl MemoryStore {
    pub fn snapshot(&self) -> MemData {
        self.data.borrow().clone()
    }
}

impl Store for MemoryStore {
    async fn load(&self) -> Result<Option<Registry>, StoreError> {
        let d = self.data.borrow();
        Ok(d.meta.clone().map(|m| assemble(m, d.records.values().map(|r| (r.id.clone(), r.clone())).collect())))
    }

    async fn commit(&self, batch: &Batch) -> Result<(), StoreError> {
        if self.full.get() {
            return Err(StoreError::Quota);
        }
        // Build the new state aside and swap it in: all or nothing.
        let mut next = self.data.borrow().clone();
        for c in &batch.changes {
            let change = c.change().map_err(|e| StoreError::Other(e.to_string()))?;
            // A batch's text must be its change's canonical JSON, under its own id (the texts of
            // an import come from its file's check, not from serialising each change again).
            if change.dot != c.dot || change.record != c.record || change.canonical_json() != c.json {
                return Err(StoreError::Other(format!("stored text of {} is not its change's canonical JSON", c.dot.key())));
            }
            next.changes.insert(c.dot.key(), change);
        }
        for r in &batch.records {
            next.records.insert(r.id.clone(), r.record()?);
        }
        if let Some(m) = &batch.meta {
            next.meta = Some(m.clone());
        }
        *self.data.borrow_mut() = next;
        self.commits.set(self.commits.get() + 1);
        self.records_written.set(self.records_written.get() + batch.records.len());
        Ok(())
    }

    async fn changes_for(&self, record: &str) -> Result<Vec<Change>, StoreError> {
        let mut v: Vec<Change> = self.data.borrow().changes.values().filter(|c| c.record == record).cloned().collect();
        v.lean_sort_by_key(|c| c.hlc());
        Ok(v)
    }

    async fn changes_at(&self, dots: &[crate::sync::Dot]) -> Result<Vec<Change>, StoreError> {
        let d = self.data.borrow();
        Ok(dots.iter().filter_map(|x| d.changes.get(&x.key()).cloned()).collect())
    }

    async fn all_changes(&self) -> Result<Vec<Change>, StoreError> {
        Ok(self.data.borrow().changes.values().cloned().collect())
    }

    async fn clear(&self) -> Result<(), StoreError> {
        *self.data.borrow_mut() = MemData::default();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ops::{save_item_adding_names, setup_office};
    use crate::domain::tx::act;
    use crate::domain::{Office, ReformItem};
    use crate::storage::{block_on, Pending};

    fn day() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2022, 3, 1).unwrap()
    }

    fn item(t: &str) -> ReformItem {
        ReformItem { title: t.into(), year: 2022, lead_unit: "县住建局".into(), ..Default::default() }
    }

    #[test]
    fn survives_reload_and_writes_only_what_changed() {
        let store = MemoryStore::default();
        let mut reg = Registry::new("A");
        let mut p = Pending::default();
        p.add(&act(&mut reg, 1, day(), "", |tx| setup_office(tx, &Office { name: "开江县委改革办".into(), ..Default::default() })).unwrap().changes);
        block_on(p.flush(&store, &reg)).unwrap();
        for n in 0..50 {
            p.add(&act(&mut reg, 10 + n, day(), "", |tx| save_item_adding_names(tx, None, &item(&format!("事项{n}")))).unwrap().changes);
            block_on(p.flush(&store, &reg)).unwrap();
        }
        assert_eq!(store.commits.get(), 51);
        let written_before = store.records_written.get();
        let id = reg.live("item").next().unwrap().id.clone();
        let mut e = item("事项0");
        e.goal = "新目标".into();
        let c = act(&mut reg, 100, day(), "", |tx| save_item_adding_names(tx, Some(&id), &e)).unwrap().changes;
        assert_eq!(c.len(), 1);
        p.add(&c);
        block_on(p.flush(&store, &reg)).unwrap();
        assert_eq!(store.records_written.get() - written_before, 1, "one edit writes one record");
        let loaded = block_on(store.load()).unwrap().unwrap();
        assert_eq!(loaded, reg);
        assert_eq!(block_on(store.changes_for(&id)).unwrap().len(), 2);
    }

    #[test]
    fn failed_write_keeps_edit_and_retries() {
        let store = MemoryStore::default();
        let mut reg = Registry::new("A");
        let mut p = Pending::default();
        p.add(&act(&mut reg, 1, day(), "", |tx| setup_office(tx, &Office { name: "x".into(), ..Default::default() })).unwrap().changes);
        block_on(p.flush(&store, &reg)).unwrap();
        let before = store.snapshot();
        store.full.set(true);
        let c = act(&mut reg, 2, day(), "", |tx| save_item_adding_names(tx, None, &item("智慧停车场"))).unwrap().changes;
        assert_eq!(c.len(), 2, "the unit it names is added with it");
        p.add(&c);
        assert_eq!(block_on(p.flush(&store, &reg)), Err(StoreError::Quota));
        assert_eq!(store.snapshot(), before, "nothing partial was written");
        assert_eq!(p.len(), 2, "the edit (item and unit) is still pending");
        assert_eq!(reg.live("item").count(), 1, "and still in memory");
        store.full.set(false);
        block_on(p.flush(&store, &reg)).unwrap();
        assert!(p.is_empty());
        assert_eq!(block_on(store.load()).unwrap().unwrap(), reg);
    }
}
