//! The merged records by id, with each collection's ids kept beside them: rules and screens
//! read one collection (the units, the plans…) without walking a city's 140,000 records.
//! Reads go through `Deref` to the map; every write goes through the methods here, which keep
//! the index true.

use super::state::{Record, RecordId};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::any::{Any, TypeId};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Deref;
use std::sync::{Arc, Mutex};

/// A collection's live records as typed values, made once and shared until the collection is
/// written (every screen used to read all 10,000 items anew from their fields).
type Typed = HashMap<(String, TypeId), Arc<dyn Any + Send + Sync>>;

#[derive(Debug, Default)]
pub struct Records {
    map: BTreeMap<RecordId, Record>,
    by_coll: HashMap<String, BTreeSet<RecordId>>,
    /// Records that are deleted or hold several writes of a field: the only ones that can be in
    /// conflict or in the trash (the header's conflict count no longer reads every record).
    flagged: BTreeSet<RecordId>,
    typed: Mutex<Typed>,
}

/// Deleted, or a field with more than one surviving write.
fn flag(r: &Record) -> bool {
    r.is_deleted() || r.fields.values().any(|f| f.entries.len() > 1)
}

/// A copy starts with its own cache (holding what is valid for it now): a copy that later
/// changes must never fill the original's.
impl Clone for Records {
    fn clone(&self) -> Self {
        let typed = self.typed.lock().map(|t| t.clone()).unwrap_or_default();
        Records { map: self.map.clone(), by_coll: self.by_coll.clone(), flagged: self.flagged.clone(), typed: Mutex::new(typed) }
    }
}

impl Records {
    /// The live records of `coll` as typed values, made by `make` when the collection changed
    /// since the last call for this type.
    pub fn typed<T: Any + Send + Sync>(&self, coll: &str, make: impl FnOnce() -> T) -> Arc<T> {
        let key = (coll.to_string(), TypeId::of::<T>());
        if let Some(hit) = self.typed.lock().ok().and_then(|t| t.get(&key).cloned()).and_then(|v| v.downcast::<T>().ok()) {
            return hit;
        }
        let made = Arc::new(make());
        if let Ok(mut t) = self.typed.lock() {
            t.insert(key, made.clone());
        }
        made
    }

    /// Forgets the typed values of a collection about to be written.
    fn touch(&mut self, coll: &str) {
        if let Ok(t) = self.typed.get_mut() {
            t.retain(|(c, _), _| c != coll);
        }
    }

    pub fn insert(&mut self, id: RecordId, r: Record) -> Option<Record> {
        self.touch(&r.coll);
        if let Some(old) = self.map.get(&id) {
            let c = old.coll.clone();
            self.touch(&c);
        }
        self.by_coll.entry(r.coll.clone()).or_default().insert(id.clone());
        let old = self.map.insert(id.clone(), r);
        self.recheck(&id);
        if let Some(o) = &old {
            if self.map[&id].coll != o.coll {
                self.unindex(&o.coll, &id);
            }
        }
        old
    }

    pub fn remove(&mut self, id: &str) -> Option<Record> {
        let old = self.map.remove(id)?;
        self.flagged.remove(id);
        self.touch(&old.coll);
        self.unindex(&old.coll, id);
        Some(old)
    }

    fn unindex(&mut self, coll: &str, id: &str) {
        if let Some(ids) = self.by_coll.get_mut(coll) {
            ids.remove(id);
            if ids.is_empty() {
                self.by_coll.remove(coll);
            }
        }
    }

    /// The record under `id`, created empty in `coll` when there is none. (A record never moves
    /// between collections: changes that would are refused before they get here.)
    pub fn get_or_create(&mut self, id: &str, coll: &str) -> &mut Record {
        match self.map.get(id) {
            Some(r) => {
                let c = r.coll.clone();
                self.touch(&c);
            }
            None => {
                self.insert(id.to_string(), Record { id: id.to_string(), coll: coll.to_string(), fields: BTreeMap::new() });
            }
        }
        // The caller writes the record's fields next: its collection's typed values are gone.
        self.map.get_mut(id).expect("just inserted")
    }

    /// Notes what a write to `id`'s fields did (called after every write through `get_or_create`).
    pub fn recheck(&mut self, id: &str) {
        match self.map.get(id) {
            Some(r) if flag(r) => {
                self.flagged.insert(id.to_string());
            }
            _ => {
                self.flagged.remove(id);
            }
        }
    }

    /// The records that may be deleted or in conflict (a superset of both), in id order.
    pub fn flagged(&self) -> impl Iterator<Item = &Record> + '_ {
        self.flagged.iter().filter_map(|id| self.map.get(id))
    }

    /// Every record of one collection (deleted ones included), in id order.
    pub fn of<'a>(&'a self, coll: &str) -> impl Iterator<Item = &'a Record> + 'a {
        self.by_coll.get(coll).into_iter().flatten().filter_map(|id| self.map.get(id))
    }

    /// True when the collection index names exactly the records held (checked by the action
    /// property test after actions, refusals, rollbacks and imports).
    #[doc(hidden)]
    pub fn index_is_true(&self) -> bool {
        let fresh = Records::from(self.map.clone());
        fresh.by_coll == self.by_coll && fresh.flagged == self.flagged
    }
}

impl Deref for Records {
    type Target = BTreeMap<RecordId, Record>;
    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

impl PartialEq for Records {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl FromIterator<(RecordId, Record)> for Records {
    fn from_iter<I: IntoIterator<Item = (RecordId, Record)>>(iter: I) -> Self {
        let mut r = Records::default();
        for (id, rec) in iter {
            r.insert(id, rec);
        }
        r
    }
}

impl From<BTreeMap<RecordId, Record>> for Records {
    fn from(map: BTreeMap<RecordId, Record>) -> Self {
        let mut by_coll: HashMap<String, BTreeSet<RecordId>> = HashMap::new();
        let mut flagged = BTreeSet::new();
        for (id, r) in &map {
            by_coll.entry(r.coll.clone()).or_default().insert(id.clone());
            if flag(r) {
                flagged.insert(id.clone());
            }
        }
        Records { map, by_coll, flagged, typed: Mutex::default() }
    }
}

/// Stored and exchanged as the plain map it always was; the index is rebuilt on reading.
impl Serialize for Records {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Records {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        BTreeMap::<RecordId, Record>::deserialize(d).map(Records::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, coll: &str) -> Record {
        Record { id: id.into(), coll: coll.into(), fields: BTreeMap::new() }
    }

    fn ids<'a>(r: &'a Records, coll: &str) -> Vec<&'a str> {
        r.of(coll).map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn typed_values_are_made_once_until_their_collection_is_written() {
        let mut r: Records = [("a".to_string(), rec("a", "unit")), ("b".to_string(), rec("b", "item"))].into_iter().collect();
        let made = std::cell::Cell::new(0);
        let items = |r: &Records| {
            r.typed("item", || {
                made.set(made.get() + 1);
                r.of("item").map(|x| x.id.clone()).collect::<Vec<_>>()
            })
        };
        assert_eq!(*items(&r), ["b"]);
        assert_eq!(*items(&r), ["b"]);
        assert_eq!(made.get(), 1, "made once");
        r.get_or_create("a", "unit");
        assert_eq!(*items(&r), ["b"]);
        assert_eq!(made.get(), 1, "writing another collection keeps it");
        // A copy that changes makes its own, and never fills the original's.
        let mut copy = r.clone();
        copy.get_or_create("c", "item");
        assert_eq!(*items(&copy), ["b", "c"]);
        assert_eq!(*items(&r), ["b"]);
        r.get_or_create("b", "item");
        r.remove("b");
        assert!(items(&r).is_empty(), "a write or removal forgets it");
        assert_eq!(made.get(), 3);
    }

    #[test]
    fn records_that_may_conflict_or_be_deleted_are_kept_flagged() {
        use crate::sync::Registry;
        use serde_json::json;
        let flagged = |r: &Registry| r.records.flagged().map(|x| x.id.clone()).collect::<Vec<_>>();
        let (mut a, mut b) = (Registry::new("kaijiang"), Registry::new("pingyuan"));
        let c = a.change(1, "item", "r1", vec![("title".into(), json!("T"))], "").unwrap().unwrap();
        b.apply(&c).unwrap();
        assert!(flagged(&a).is_empty());
        a.change(2, "item", "r1", vec![("title".into(), json!("A"))], "").unwrap().unwrap();
        let cb = b.change(2, "item", "r1", vec![("title".into(), json!("B"))], "").unwrap().unwrap();
        a.apply(&cb).unwrap();
        assert_eq!(flagged(&a), ["r1"], "two surviving writes");
        assert_eq!(a.open_conflicts().len(), 1);
        // Resolving (a write over both) clears it; deleting flags it again.
        let fix = a.change(3, "item", "r1", vec![("title".into(), json!("AB"))], "").unwrap().unwrap();
        assert!(fix.set["title"].over.len() == 2 && flagged(&a).is_empty());
        a.change(4, "item", "r1", vec![("_deleted".into(), json!(true))], "").unwrap().unwrap();
        assert_eq!(flagged(&a), ["r1"]);
        assert!(a.records.index_is_true());
        assert_eq!(Records::from(a.records.deref().clone()).flagged, a.records.flagged);
    }

    #[test]
    fn the_collection_index_follows_every_write() {
        let mut r: Records = [("b".to_string(), rec("b", "item")), ("a".to_string(), rec("a", "unit"))].into_iter().collect();
        r.get_or_create("c", "item");
        r.get_or_create("b", "unit"); // an existing record keeps its collection
        assert_eq!(ids(&r, "item"), ["b", "c"]);
        assert_eq!(ids(&r, "unit"), ["a"]);
        r.remove("b");
        assert_eq!(ids(&r, "item"), ["c"]);
        r.insert("a".into(), rec("a", "group"));
        assert_eq!((ids(&r, "unit").len(), ids(&r, "group").len()), (0, 1));
        // Serialised as the plain map; read back with the same index.
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.starts_with("{\"a\":"));
        let back: Records = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
        assert_eq!((ids(&back, "group"), ids(&back, "item")), (vec!["a"], vec!["c"]));
    }
}
