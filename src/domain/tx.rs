//! The one transaction boundary every user action goes through.
//!
//! An action is a function of a `Tx`: it reads the registry (its own earlier writes included),
//! validates, and writes fields. `run` then guarantees the two rules an official record needs:
//! - a refused action changes nothing — records, clock and version vector are restored exactly;
//! - an action that changes nothing records nothing — writes equal to what is already shown are
//!   dropped, and a record with nothing left to write gets no change.

use super::model::{live_in, to_writes};
use super::validate::DomainError;
use crate::i18n::K;
use crate::sync::state::{ApplyError, Writes};
use crate::sync::trust::ChainHead;
use crate::sync::{Change, Clock, Record, RecordId, Registry, VersionVector};
use chrono::NaiveDate;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// Who acts and when: the same for every write of one action.
#[derive(Clone, Debug, PartialEq)]
pub struct Stamp {
    /// Wall clock, ms since the epoch (for the hybrid clock).
    pub now_ms: i64,
    /// The user's calendar day (for "not in the future", report months, 文号 years).
    pub today: NaiveDate,
    /// The person acting, as typed in the app's preferences.
    pub by: String,
}

impl Stamp {
    pub fn new(now_ms: i64, today: NaiveDate, by: &str) -> Self {
        Stamp { now_ms, today, by: by.to_string() }
    }
}

/// An action chosen at run time (a form's button, a generated test step).
pub type BoxedAction = Box<dyn FnOnce(&mut Tx) -> Result<(), DomainError>>;

/// What a committed action returns: its value and the changes to store (possibly none).
#[derive(Clone, Debug, PartialEq)]
pub struct Done<T> {
    pub value: T,
    pub changes: Vec<Change>,
}

pub struct Tx<'a> {
    reg: &'a mut Registry,
    stamp: &'a Stamp,
    changes: Vec<Change>,
    /// Each touched record as it was before its first write (None: it did not exist).
    undo: Vec<(RecordId, Option<Record>)>,
    clock: Clock,
    vv: VersionVector,
    /// This office's chain head before the action (its changes move it on).
    head: Option<ChainHead>,
    /// 组织架构 as this action sees it, read once and read again
    /// only after the action writes a unit or an official: a 台账 of a thousand rows reads it once.
    dir: Option<super::org::Directory>,
}

impl Tx<'_> {
    /// The registry as this action sees it, its own writes included.
    pub fn reg(&self) -> &Registry {
        self.reg
    }

    pub fn today(&self) -> NaiveDate {
        self.stamp.today
    }

    pub fn by(&self) -> &str {
        &self.stamp.by
    }

    /// The id a record created by this action's next write gets (unique across offices).
    pub fn new_id(&self) -> RecordId {
        self.reg.new_record_id()
    }

    /// The unit and official directory as this action sees it.
    pub fn directory(&mut self) -> super::org::Directory {
        self.dir.get_or_insert_with(|| super::org::Directory::of(self.reg)).clone()
    }

    /// Writes fields of one record. Writes that change nothing are dropped; returns whether a
    /// change was recorded.
    pub fn write(&mut self, coll: &str, record: &str, writes: Writes) -> Result<bool, DomainError> {
        if coll == super::model::coll::UNIT || coll == super::model::coll::OFFICIAL {
            self.dir = None;
        }
        // No office writes what is not its own (docs/ownership.md).
        super::ownership::check(self.reg, record)?;
        if !self.undo.iter().any(|(id, _)| id == record) {
            self.undo.push((record.to_string(), self.reg.records.get(record).cloned()));
        }
        match self.reg.change(self.stamp.now_ms, coll, record, writes, &self.stamp.by) {
            Ok(Some(c)) => {
                self.changes.push(c);
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(ApplyError::CollectionMismatch(id)) => Err(DomainError::new(K::ErrNoSuchRecord).arg(id)),
            Err(e) => Err(DomainError::new(K::ErrNoSuchRecord).arg(format!("{e:?}"))),
        }
    }

    /// Creates (id = None) or edits a record of `collection` from its typed value, writing only
    /// the fields that differ from what is stored.
    pub fn save<T: Serialize + DeserializeOwned + Default>(&mut self, collection: &str, id: Option<&str>, value: &T) -> Result<RecordId, DomainError> {
        let (id, old) = match id {
            Some(id) => (id.to_string(), Some(live_in::<T>(self.reg, collection, id)?)),
            None => (self.new_id(), None),
        };
        self.write(collection, &id, to_writes(old.as_ref(), value))?;
        Ok(id)
    }

    /// One field.
    pub fn set(&mut self, coll: &str, record: &str, field: &str, v: Value) -> Result<bool, DomainError> {
        self.write(coll, record, vec![(field.to_string(), v)])
    }

    fn rollback(self) {
        for (id, before) in self.undo.into_iter().rev() {
            match before {
                Some(r) => {
                    self.reg.records.insert(id, r);
                }
                None => {
                    self.reg.records.remove(&id);
                }
            }
        }
        self.reg.clock = self.clock;
        self.reg.vv = self.vv;
        let me = self.reg.me.clone();
        match self.head {
            Some(h) => self.reg.heads.insert(me, h),
            None => self.reg.heads.remove(&me),
        };
    }
}

/// Runs one action: all of its writes, or — when it returns an error — none of them.
pub fn run<T>(reg: &mut Registry, stamp: &Stamp, action: impl FnOnce(&mut Tx) -> Result<T, DomainError>) -> Result<Done<T>, DomainError> {
    let (clock, vv, head) = (reg.clock.clone(), reg.vv.clone(), reg.heads.get(&reg.me).cloned());
    let mut tx = Tx { reg, stamp, changes: vec![], undo: vec![], clock, vv, head, dir: None };
    match action(&mut tx) {
        Ok(value) => Ok(Done { value, changes: std::mem::take(&mut tx.changes) }),
        Err(e) => {
            tx.rollback();
            Err(e)
        }
    }
}

/// Tests: runs one action as `by`, at `now_ms` on `today`.
#[cfg(test)]
pub fn act<T>(
    reg: &mut Registry,
    now_ms: i64,
    today: NaiveDate,
    by: &str,
    action: impl FnOnce(&mut Tx) -> Result<T, DomainError>,
) -> Result<Done<T>, DomainError> {
    run(reg, &Stamp::new(now_ms, today, by), action)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stamp(ms: i64) -> Stamp {
        Stamp::new(ms, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), "王")
    }

    #[test]
    fn a_refused_action_leaves_records_clock_and_vector_untouched() {
        let mut reg = Registry::new("A");
        run(&mut reg, &stamp(1), |tx| tx.set("item", "A:1", "title", json!("原名"))).unwrap();
        let before = reg.clone();
        let e = run(&mut reg, &stamp(50), |tx| {
            tx.set("item", "A:1", "title", json!("新名"))?;
            tx.set("item", "A:2", "title", json!("另一项"))?;
            Err::<(), _>(DomainError::new(K::ErrNoSuchRecord))
        });
        assert!(e.is_err());
        assert_eq!(reg, before);
        assert_eq!(reg.clock, before.clock);
    }

    #[test]
    fn writes_that_change_nothing_record_nothing() {
        let mut reg = Registry::new("A");
        let d = run(&mut reg, &stamp(1), |tx| tx.write("item", "A:1", vec![("title".into(), json!("x")), ("goal".into(), json!("g"))])).unwrap();
        assert_eq!(d.changes.len(), 1);
        let before = reg.clone();
        let d = run(&mut reg, &stamp(2), |tx| tx.write("item", "A:1", vec![("title".into(), json!("x")), ("goal".into(), json!("g"))])).unwrap();
        assert!(!d.value && d.changes.is_empty());
        assert_eq!(reg, before, "not even the clock moved");
        let d = run(&mut reg, &stamp(3), |tx| tx.write("item", "A:1", vec![("title".into(), json!("x")), ("goal".into(), json!("新"))])).unwrap();
        assert_eq!(d.changes[0].set.keys().collect::<Vec<_>>(), vec!["goal"], "only the field that changed");
    }

    #[test]
    fn a_write_over_rival_values_is_a_real_change() {
        let mut a = Registry::new("A");
        let c0 = run(&mut a, &stamp(1), |tx| tx.set("item", "A:1", "title", json!("t"))).unwrap().changes;
        let mut b = Registry::new("B");
        b.apply(&c0[0]).unwrap();
        let ca = run(&mut a, &stamp(10), |tx| tx.set("item", "A:1", "title", json!("A"))).unwrap().changes;
        // A rival value (as an older version, which let any office edit, could write).
        let cb = b.make_change(20, "item", "A:1", vec![("title".into(), json!("B"))], "");
        a.apply(&cb).unwrap();
        b.apply(&ca[0]).unwrap();
        // "B" is shown (greater stamp), but choosing it must still close the conflict.
        let fix = run(&mut a, &stamp(30), |tx| tx.set("item", "A:1", "title", json!("B"))).unwrap();
        assert_eq!(fix.changes.len(), 1);
        assert!(a.records["A:1"].conflicts().is_empty());
    }

    #[test]
    fn no_office_writes_what_is_not_its_own() {
        let mut reg = Registry::new("B");
        let before = reg.clone();
        let e = run(&mut reg, &stamp(1), |tx| tx.set("item", "A:1", "title", json!("x"))).unwrap_err();
        assert_eq!(e.key, K::ErrNotOwner);
        assert_eq!(reg, before);
        assert!(run(&mut reg, &stamp(2), |tx| tx.set("office", "A", "name", json!("改名"))).is_err(), "nor another office's record");
    }

    #[test]
    fn deleting_twice_records_once() {
        let mut reg = Registry::new("A");
        run(&mut reg, &stamp(1), |tx| tx.set("item", "A:1", "title", json!("x"))).unwrap();
        assert_eq!(run(&mut reg, &stamp(2), |tx| tx.set("item", "A:1", crate::sync::DELETED, json!(true))).unwrap().changes.len(), 1);
        assert!(run(&mut reg, &stamp(3), |tx| tx.set("item", "A:1", crate::sync::DELETED, json!(true))).unwrap().changes.is_empty());
    }

    #[test]
    fn a_record_id_in_another_collection_is_refused_not_a_panic() {
        let mut reg = Registry::new("A");
        run(&mut reg, &stamp(1), |tx| tx.set("item", "A:1", "title", json!("x"))).unwrap();
        let before = reg.clone();
        assert!(run(&mut reg, &stamp(2), |tx| tx.set("unit", "A:1", "name", json!("y"))).is_err());
        assert_eq!(reg, before);
    }
}
