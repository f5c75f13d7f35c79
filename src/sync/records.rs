//! The merged records by id, with each collection's ids kept beside them: rules and screens
//! read one collection (the units, the plans…) without walking a city's 140,000 records.
//! Reads go through `Deref` to the map; every write goes through the methods here, which keep
//! the index true.

use super::state::{Record, RecordId};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Deref;

#[derive(Clone, Debug, Default)]
pub struct Records {
    map: BTreeMap<RecordId, Record>,
    by_coll: HashMap<String, BTreeSet<RecordId>>,
}

impl Records {
    pub fn insert(&mut self, id: RecordId, r: Record) -> Option<Record> {
        self.by_coll.entry(r.coll.clone()).or_default().insert(id.clone());
        let old = self.map.insert(id.clone(), r);
        if let Some(o) = &old {
            if self.map[&id].coll != o.coll {
                self.unindex(&o.coll, &id);
            }
        }
        old
    }

    pub fn remove(&mut self, id: &str) -> Option<Record> {
        let old = self.map.remove(id)?;
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
        if !self.map.contains_key(id) {
            self.insert(id.to_string(), Record { id: id.to_string(), coll: coll.to_string(), fields: BTreeMap::new() });
        }
        self.map.get_mut(id).expect("just inserted")
    }

    /// Every record of one collection (deleted ones included), in id order.
    pub fn of<'a>(&'a self, coll: &str) -> impl Iterator<Item = &'a Record> + 'a {
        self.by_coll.get(coll).into_iter().flatten().filter_map(|id| self.map.get(id))
    }

    /// True when the collection index names exactly the records held (checked by the action
    /// property test after actions, refusals, rollbacks and imports).
    #[doc(hidden)]
    pub fn index_is_true(&self) -> bool {
        Records::from(self.map.clone()).by_coll == self.by_coll
    }

    /// How many records one collection holds (deleted ones included).
    pub fn count(&self, coll: &str) -> usize {
        self.by_coll.get(coll).map_or(0, BTreeSet::len)
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
        for (id, r) in &map {
            by_coll.entry(r.coll.clone()).or_default().insert(id.clone());
        }
        Records { map, by_coll }
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
    fn the_collection_index_follows_every_write() {
        let mut r: Records = [("b".to_string(), rec("b", "item")), ("a".to_string(), rec("a", "unit"))].into_iter().collect();
        r.get_or_create("c", "item");
        r.get_or_create("b", "unit"); // an existing record keeps its collection
        assert_eq!(ids(&r, "item"), ["b", "c"]);
        assert_eq!(ids(&r, "unit"), ["a"]);
        r.remove("b");
        assert_eq!(ids(&r, "item"), ["c"]);
        r.insert("a".into(), rec("a", "group"));
        assert_eq!((r.count("unit"), r.count("group")), (0, 1));
        // Serialised as the plain map; read back with the same index.
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.starts_with("{\"a\":"));
        let back: Records = serde_json::from_str(&text).unwrap();
        assert_eq!(back, r);
        assert_eq!((ids(&back, "group"), ids(&back, "item")), (vec!["a"], vec!["c"]));
    }
}
