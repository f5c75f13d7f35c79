//! The merged records by id, with each collection's ids kept beside them: rules and screens
//! read one collection (the units, the plans…) without walking a city's 140,000 records.
//! Every write goes through the methods here, which keep the index true.
//!
//! A record read from storage may be kept in its stored text until something reads it
//! (`push_stored`): a city's 120,000 monthly reports are history that start-up never shows, and
//! parsing them was most of its time and memory.

use super::compact;
use super::state::{Record, RecordId};
use crate::order::LeanSort;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::any::{Any, TypeId};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Index;
use std::sync::{Arc, Mutex, OnceLock};

/// A collection's live records as typed values, made once and shared until the collection is
/// written (every screen used to read all 10,000 items anew from their fields).
type Typed = HashMap<(String, TypeId), Arc<dyn Any + Send + Sync>>;

/// One record: parsed, or its stored text until first read.
#[derive(Clone, Debug)]
struct Slot {
    rec: OnceLock<Record>,
    /// The stored text, kept until the record is parsed and then written (a read through
    /// `&self` cannot drop it).
    cold: Option<Cold>,
}

/// A record kept as stored text: a part of the text it was read in (storage holds about 550
/// records per text; a copy of each was 130,000 allocations at a city's start-up), with its
/// collection and last change's wall time.
#[derive(Clone, Debug)]
struct Cold {
    whole: Arc<String>,
    at: (usize, usize),
    coll: Arc<str>,
    wall: i64,
}

impl Cold {
    fn text(&self) -> &str {
        self.whole.get(self.at.0..self.at.1).unwrap_or("")
    }
}

/// Whether a record read from storage is kept as text: one of the `unparsed` collections, and
/// not possibly deleted or in conflict (those are parsed at once, so that `flagged` stays exact).
fn keep_cold(coll: &str, maybe_flagged: bool, unparsed: &[&str]) -> bool {
    !maybe_flagged && unparsed.contains(&coll)
}

/// One shared name per collection (no copy of it per record read).
fn shared_name(names: &mut HashMap<String, Arc<str>>, coll: &str) -> Arc<str> {
    match names.get(coll) {
        Some(c) => c.clone(),
        None => names.entry(coll.to_string()).or_insert_with(|| coll.into()).clone(),
    }
}

impl Slot {
    fn parsed(r: Record) -> Self {
        Slot { rec: OnceLock::from(r), cold: None }
    }

    fn cold(whole: Arc<String>, at: (usize, usize), coll: Arc<str>, wall: i64) -> Arc<Self> {
        Arc::new(Slot { rec: OnceLock::new(), cold: Some(Cold { whole, at, coll, wall }) })
    }

    fn coll(&self) -> &str {
        match (self.rec.get(), &self.cold) {
            (Some(r), _) => &r.coll,
            (None, Some(c)) => &c.coll,
            (None, None) => "",
        }
    }

    fn get(&self, id: &str) -> &Record {
        self.rec.get_or_init(|| self.parse(id))
    }

    fn parse(&self, id: &str) -> Record {
        // Its head and end were checked when it was read from storage (`Loader::push`,
        // `compact::scan`); a record that still fails to parse is held empty rather than
        // stopping every screen.
        let (text, coll) = self.cold.as_ref().map(|c| (c.text(), &*c.coll)).unwrap_or(("", ""));
        compact::from_text(text).unwrap_or_else(|_| Record { id: id.into(), coll: coll.into(), fields: BTreeMap::new() })
    }

    /// Hands the record to `f`, parsing one kept as text for this call only.
    fn visit(&self, id: &str, f: &mut impl FnMut(&Record)) {
        match self.rec.get() {
            Some(r) => f(r),
            None => f(&self.parse(id)),
        }
    }

    fn get_mut(&mut self, id: &str) -> &mut Record {
        self.get(id);
        self.cold = None;
        self.rec.get_mut().expect("parsed just now")
    }
}

/// The record of a slot taken out of the map: moved when no copy shares it, else copied.
fn take_record(s: Arc<Slot>, id: &str) -> Record {
    match Arc::try_unwrap(s) {
        Ok(mut s) => std::mem::take(s.get_mut(id)),
        Err(shared) => shared.get(id).clone(),
    }
}

/// A record as it stood when pinned: a later write copies a shared record first
/// (`Arc::make_mut`), so this one stays as it was.
pub struct Pinned(Arc<Slot>);

impl Pinned {
    pub fn record(&self, id: &str) -> &Record {
        self.0.get(id)
    }
}

#[derive(Debug, Default)]
pub struct Records {
    /// Shared between copies: a copy of a city's registry (an import's plan works on one) costs
    /// the map, not the records; a copy's write copies that one record (`Arc::make_mut`).
    map: BTreeMap<RecordId, Arc<Slot>>,
    by_coll: HashMap<String, BTreeSet<RecordId>>,
    /// Collection names shared by the records kept unparsed.
    names: HashMap<String, Arc<str>>,
    /// Records that are deleted or hold several writes of a field: the only ones that can be in
    /// conflict or in the trash (the header's conflict count no longer reads every record).
    flagged: BTreeSet<RecordId>,
    typed: Mutex<Typed>,
}

/// Forgets the typed values of `coll` (`Records::touch`; a free function so that a write can
/// call it while it holds the record's slot).
fn forget_typed(typed: &mut Mutex<Typed>, coll: &str) {
    if let Ok(t) = typed.get_mut() {
        t.retain(|(c, _), _| c != coll);
    }
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
        Records { map: self.map.clone(), by_coll: self.by_coll.clone(), names: self.names.clone(), flagged: self.flagged.clone(), typed: Mutex::new(typed) }
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
        forget_typed(&mut self.typed, coll);
    }

    fn coll_of(&self, id: &str) -> Option<String> {
        self.coll_str(id).map(str::to_string)
    }

    /// A record's collection, without parsing one kept as text.
    pub fn coll_str(&self, id: &str) -> Option<&str> {
        self.map.get(id).map(|s| s.coll())
    }

    pub fn get(&self, id: &str) -> Option<&Record> {
        self.map.get(id).map(|s| s.get(id))
    }

    /// The record under `id` as it stands now, kept so whatever is written after (a batch made
    /// in slices while the page goes on: pinning its records costs them, not a copy of all).
    pub fn pin(&self, id: &str) -> Option<Pinned> {
        self.map.get(id).cloned().map(Pinned)
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.map.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every record in id order (each one read, so: tests, canonical state, backups).
    pub fn iter(&self) -> impl Iterator<Item = (&RecordId, &Record)> + '_ {
        self.map.iter().map(|(id, s)| (id, s.get(id)))
    }

    pub fn values(&self) -> impl Iterator<Item = &Record> + '_ {
        self.iter().map(|(_, r)| r)
    }

    /// The records whose id starts with `prefix`, in id order (an item's reports are `item/…`).
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        self.map
            .range::<str, _>((std::ops::Bound::Included(prefix), std::ops::Bound::Unbounded))
            .take_while(move |(id, _)| id.starts_with(prefix))
            .map(|(id, s)| s.get(id))
    }

    /// Hands the record under `id` to `f`, one kept as text parsed for the call and dropped
    /// (typed values made from a whole collection, 10,000 items, no longer keep every record
    /// parsed beside them); false when there is none.
    pub fn visit(&self, id: &str, mut f: impl FnMut(&Record)) -> bool {
        self.map.get(id).map(|s| s.visit(id, &mut f)).is_some()
    }

    /// The ids of a collection's records, in id order.
    pub fn ids_of(&self, coll: &str) -> Vec<RecordId> {
        self.by_coll.get(coll).map(|s| s.iter().cloned().collect()).unwrap_or_default()
    }

    /// Sets the typed values of `coll` as `typed` would make them (made in parts elsewhere,
    /// with pauses between: a city's items at start-up).
    pub fn put_typed<T: Any + Send + Sync>(&self, coll: &str, value: T) {
        if let Ok(mut t) = self.typed.lock() {
            t.insert((coll.to_string(), TypeId::of::<T>()), Arc::new(value));
        }
    }

    /// When the record was last changed (`Record::last_wall`), without parsing one kept as text.
    pub fn last_wall(&self, id: &str) -> Option<i64> {
        let s = self.map.get(id)?;
        Some(match (s.rec.get(), &s.cold) {
            (None, Some(c)) => c.wall,
            _ => s.get(id).last_wall(),
        })
    }

    /// Adds records read apart (storage's history shelf, read after the first screen), moving
    /// them in without reading any. Their ids are not held here: a collection's records are all
    /// on one shelf. (Of an id held in both, `more`'s is kept.)
    pub fn absorb(&mut self, more: Records) {
        let Records { mut map, by_coll, names, flagged, typed: _ } = more;
        for (coll, mut ids) in by_coll {
            self.touch(&coll);
            self.by_coll.entry(coll).or_default().append(&mut ids);
        }
        for (name, shared) in names {
            self.names.entry(name).or_insert(shared);
        }
        self.flagged.extend(flagged);
        self.map.append(&mut map);
    }

    /// The stored text of a record still kept as text, for reading a typed value straight from
    /// it. Never one that may be deleted or in conflict: those are parsed when read from storage.
    pub fn cold_text(&self, id: &str) -> Option<&str> {
        let s = self.map.get(id)?;
        match (s.rec.get(), &s.cold) {
            (None, Some(c)) => Some(c.text()),
            _ => None,
        }
    }

    /// Whether the record may be deleted or in conflict (see `flagged`).
    pub fn is_flagged(&self, id: &str) -> bool {
        self.flagged.contains(id)
    }

    /// How many records are still held as stored text (for the benchmark's figures).
    pub fn unparsed(&self) -> usize {
        self.map.values().filter(|s| s.rec.get().is_none()).count()
    }

    pub fn insert(&mut self, id: RecordId, r: Record) -> Option<Record> {
        self.touch(&r.coll);
        let was = self.coll_of(&id);
        if let Some(c) = &was {
            self.touch(c);
        }
        self.by_coll.entry(r.coll.clone()).or_default().insert(id.clone());
        let coll = r.coll.clone();
        let old = self.map.insert(id.clone(), Arc::new(Slot::parsed(r))).map(|s| take_record(s, &id));
        self.recheck(&id);
        if let Some(c) = was.filter(|c| *c != coll) {
            self.unindex(&c, &id);
        }
        old
    }

    /// Adds a record from its stored text. Records of the collections in `unparsed` are kept as
    /// text and read when first needed, except those that may be deleted or in conflict (parsed
    /// at once, so that `flagged` stays exact) and text not in the compact form. Fails on text
    /// that is not a record.
    pub fn push_stored(&mut self, text: String, unparsed: &[&str]) -> Result<(), serde_json::Error> {
        match compact::scan(&text) {
            Some(s) if keep_cold(&s.coll, s.maybe_flagged, unparsed) => {
                let coll = shared_name(&mut self.names, &s.coll);
                if let Some(c) = self.coll_of(&s.id) {
                    self.touch(&c);
                    self.unindex(&c, &s.id);
                }
                self.touch(&s.coll);
                self.by_coll.entry(s.coll).or_default().insert(s.id.clone());
                self.flagged.remove(&s.id);
                let at = (0, text.len());
                self.map.insert(s.id, Slot::cold(Arc::new(text), at, coll, s.last_wall));
                Ok(())
            }
            _ => {
                let r = compact::from_text(&text)?;
                self.insert(r.id.clone(), r);
                Ok(())
            }
        }
    }

    pub fn remove(&mut self, id: &str) -> Option<Record> {
        let coll = self.coll_of(id)?;
        let old = take_record(self.map.remove(id)?, id);
        self.flagged.remove(id);
        self.touch(&coll);
        self.unindex(&coll, id);
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

    /// Writes the record under `id` through `f`, created empty in `coll` when there is none, and
    /// notes what the write did (its collection's typed values are gone; whether it may now be
    /// deleted or in conflict). A record never moves between collections: changes that would are
    /// refused before they get here. A new record costs two look-ups of the map and one of the
    /// index (a city's import creates 140,000; it took six, and a second pass for the flag).
    pub fn write<R>(&mut self, id: &str, coll: &str, f: impl FnOnce(&mut Record) -> R) -> R {
        let slot = if self.map.contains_key(id) {
            let slot = self.map.get_mut(id).expect("held");
            forget_typed(&mut self.typed, slot.coll());
            slot
        } else {
            self.touch(coll);
            match self.by_coll.get_mut(coll) {
                Some(ids) => {
                    ids.insert(id.to_string());
                }
                None => {
                    self.by_coll.insert(coll.to_string(), BTreeSet::from([id.to_string()]));
                }
            }
            // Not flagged: an empty record is neither deleted nor in conflict.
            self.map
                .entry(id.to_string())
                .or_insert_with(|| Arc::new(Slot::parsed(Record { id: id.to_string(), coll: coll.to_string(), fields: BTreeMap::new() })))
        };
        let rec = Arc::make_mut(slot).get_mut(id);
        let out = f(rec);
        if flag(rec) {
            if !self.flagged.contains(id) {
                self.flagged.insert(id.to_string());
            }
        } else {
            self.flagged.remove(id);
        }
        out
    }

    /// Notes what a write to `id`'s fields did (whether it may now be deleted or in conflict).
    fn recheck(&mut self, id: &str) {
        match self.get(id) {
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
        self.flagged.iter().filter_map(|id| self.get(id))
    }

    /// Every record of one collection (deleted ones included), in id order.
    pub fn of<'a>(&'a self, coll: &str) -> impl Iterator<Item = &'a Record> + 'a {
        self.by_coll.get(coll).into_iter().flatten().filter_map(|id| self.get(id))
    }

    /// Every record as a plain map (each one read).
    pub fn to_map(&self) -> BTreeMap<RecordId, Record> {
        self.iter().map(|(id, r)| (id.clone(), r.clone())).collect()
    }

    /// True when the collection index names exactly the records held (checked by the action
    /// property test after actions, refusals, rollbacks and imports).
    #[doc(hidden)]
    pub fn index_is_true(&self) -> bool {
        let fresh = Records::from(self.to_map());
        fresh.by_coll == self.by_coll && fresh.flagged == self.flagged
    }
}

/// Records read from storage at start-up, gathered and then indexed at once: the map and the
/// collection index are built from sorted ids, not by 140,000 inserts in hash order.
pub struct Loader<'u> {
    unparsed: &'u [&'u str],
    cold: Vec<(RecordId, Arc<Slot>)>,
    parsed: Vec<Record>,
    names: HashMap<String, Arc<str>>,
}

impl<'u> Loader<'u> {
    /// Records of the `unparsed` collections will be kept as text (see `keep_cold`).
    pub fn new(unparsed: &'u [&'u str]) -> Self {
        Loader { unparsed, cold: vec![], parsed: vec![], names: HashMap::new() }
    }

    /// The record whose compact text is `whole[at.0..at.1]`, with what is stored beside it: its
    /// id and collection, its last change's wall time and whether it may be deleted or in
    /// conflict (as `compact::scan` would find them). Fails when a record to parse is not one.
    pub fn push(&mut self, whole: &Arc<String>, at: (usize, usize), id: &str, coll: &str, wall: i64, maybe_flagged: bool) -> Result<(), serde_json::Error> {
        if keep_cold(coll, maybe_flagged, self.unparsed) {
            // Only its head is read now: text cut short (the usual damage) is refused here, not
            // shown later as an empty record.
            if !whole.get(at.0..at.1).is_some_and(|t| t.ends_with("]]")) {
                return Err(<serde_json::Error as serde::de::Error>::custom(format!("record {id} cut short")));
            }
            let coll = shared_name(&mut self.names, coll);
            self.cold.push((id.to_string(), Slot::cold(whole.clone(), at, coll, wall)));
        } else {
            self.parsed.push(compact::from_text(whole.get(at.0..at.1).unwrap_or(""))?);
        }
        Ok(())
    }

    /// Records gathered so far.
    pub fn len(&self) -> usize {
        self.cold.len() + self.parsed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The records, indexed. Of two under one id the later pushed is kept (a parsed one over one
    /// kept as text).
    pub fn finish(self) -> Records {
        self.sort_cold().index()
    }

    /// `finish` in two steps with `rest` awaited between them: a city's history (120,000
    /// records) took up to 200 ms in one task.
    pub async fn finish_resting<F: std::future::Future<Output = ()>>(self, rest: impl Fn() -> F) -> Records {
        let sorted = self.sort_cold();
        rest().await;
        sorted.index()
    }

    /// The records kept as text, in id order, one per id.
    fn sort_cold(mut self) -> Self {
        let mut cold = std::mem::take(&mut self.cold);
        // Stable: of equal ids the later pushed stays later, and is the one kept.
        cold.lean_sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept: Vec<(RecordId, Arc<Slot>)> = Vec::with_capacity(cold.len());
        for (id, slot) in cold {
            if kept.last().is_some_and(|(k, _)| *k == id) {
                kept.pop();
            }
            kept.push((id, slot));
        }
        self.cold = kept;
        self
    }

    /// The map and the collection index, from records sorted by `sort_cold`.
    fn index(self) -> Records {
        let kept = self.cold;
        let mut by_coll: HashMap<String, Vec<RecordId>> = HashMap::new();
        for (id, slot) in &kept {
            match by_coll.get_mut(slot.coll()) {
                Some(ids) => ids.push(id.clone()),
                None => {
                    by_coll.insert(slot.coll().to_string(), vec![id.clone()]);
                }
            }
        }
        let mut records = Records {
            map: kept.into_iter().collect(),
            by_coll: by_coll.into_iter().map(|(c, ids)| (c, ids.into_iter().collect())).collect(),
            names: self.names,
            flagged: BTreeSet::new(),
            typed: Mutex::default(),
        };
        for r in self.parsed {
            records.insert(r.id.clone(), r);
        }
        records
    }
}

impl<Q: AsRef<str> + ?Sized> Index<&Q> for Records {
    type Output = Record;
    fn index(&self, id: &Q) -> &Record {
        self.get(id.as_ref()).expect("no record with this id")
    }
}

impl PartialEq for Records {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
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
        map.into_iter().collect()
    }
}

/// Stored and exchanged as the plain map it always was; the index is rebuilt on reading.
impl Serialize for Records {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
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
    fn records_read_apart_are_absorbed_as_if_read_together() {
        use crate::sync::Registry;
        use serde_json::json;
        let mut a = Registry::new("kaijiang");
        for n in 0..6 {
            a.change(n, if n % 2 == 0 { "report" } else { "item" }, &format!("r{n}"), vec![("n".into(), json!(n))], "").unwrap().unwrap();
        }
        a.change(9, "report", "r0", vec![("_deleted".into(), json!(true))], "").unwrap().unwrap();
        let texts: Vec<(String, String)> = a.records.values().map(|r| (r.coll.clone(), compact::to_text(r).unwrap())).collect();
        let read = |pick: &dyn Fn(&str) -> bool| {
            let mut r = Records::default();
            for (_, t) in texts.iter().filter(|(c, _)| pick(c)) {
                r.push_stored(t.clone(), &["report", "item"]).unwrap();
            }
            r
        };
        let mut current = read(&|c| c != "report");
        let items = current.typed("item", || current.ids_of("item"));
        assert_eq!(items.len(), 3);
        let _ = current.typed("report", || current.ids_of("report"));
        current.absorb(read(&|c| c == "report"));
        assert_eq!(current, a.records);
        assert!(current.index_is_true(), "collections and flags as if read together");
        assert_eq!(current.ids_of("report"), ["r0", "r2", "r4"]);
        assert_eq!(*current.typed("report", || current.ids_of("report")), ["r0", "r2", "r4"], "the reports' typed values made again");
        assert_eq!(current.flagged().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["r0"]);
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
        r.write("a", "unit", |_| ());
        assert_eq!(*items(&r), ["b"]);
        assert_eq!(made.get(), 1, "writing another collection keeps it");
        // A copy that changes makes its own, and never fills the original's.
        let mut copy = r.clone();
        copy.write("c", "item", |_| ());
        assert_eq!(*items(&copy), ["b", "c"]);
        assert_eq!(*items(&r), ["b"]);
        r.write("b", "item", |_| ());
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
        assert_eq!(Records::from(a.records.to_map()).flagged, a.records.flagged);
    }

    #[test]
    fn a_pinned_record_stays_as_it_was_when_written_after() {
        use crate::sync::Registry;
        use serde_json::json;
        let mut a = Registry::new("kaijiang");
        a.change(1, "item", "r1", vec![("title".into(), json!("旧"))], "").unwrap().unwrap();
        let before = a.records["r1"].clone();
        let pinned = a.records.pin("r1").expect("held");
        a.change(2, "item", "r1", vec![("title".into(), json!("新"))], "").unwrap().unwrap();
        a.records.remove("r1");
        assert_eq!(pinned.record("r1"), &before, "neither the write nor the removal reached it");
        assert!(a.records.pin("r1").is_none());
    }

    #[test]
    fn the_collection_index_follows_every_write() {
        let mut r: Records = [("b".to_string(), rec("b", "item")), ("a".to_string(), rec("a", "unit"))].into_iter().collect();
        r.write("c", "item", |_| ());
        r.write("b", "unit", |_| ()); // an existing record keeps its collection
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

    #[test]
    fn records_kept_as_stored_text_read_the_same_and_keep_the_index_true() {
        use crate::sync::{compact, Registry};
        use serde_json::json;
        let (mut a, mut b) = (Registry::new("kaijiang"), Registry::new("pingyuan"));
        let item = a.change(1, "item", "i1", vec![("title".into(), json!("T"))], "").unwrap().unwrap();
        let made: Vec<_> =
            (1..=3).map(|m| a.change(m, "report", &format!("i1/2026-0{m}"), vec![("done".into(), json!(format!("月{m}")))], "").unwrap().unwrap()).collect();
        // One report in conflict, one deleted: both must be flagged after loading.
        for c in [&item, &made[0], &made[1]] {
            b.apply(c).unwrap();
        }
        a.change(10, "report", "i1/2026-02", vec![("done".into(), json!("A"))], "").unwrap().unwrap();
        let cb = b.change(11, "report", "i1/2026-02", vec![("done".into(), json!("B"))], "").unwrap().unwrap();
        a.apply(&cb).unwrap();
        a.change(12, "report", "i1/2026-03", vec![("_deleted".into(), json!(true))], "").unwrap().unwrap();
        let mut back = Records::default();
        for r in a.records.values() {
            back.push_stored(compact::to_text(r).unwrap(), &["report"]).unwrap();
        }
        assert_eq!(back.unparsed(), 1, "only the plain report stays text; the item, the conflict and the deletion are parsed");
        assert_eq!(back.flagged, a.records.flagged);
        assert_eq!(ids(&back, "report"), ["i1/2026-01", "i1/2026-02", "i1/2026-03"]);
        assert!(back.index_is_true());
        assert_eq!(back, a.records, "reads the same");
        // Writing a record kept as text parses it first and keeps its fields.
        let mut back2 = Records::default();
        for r in a.records.values() {
            back2.push_stored(compact::to_text(r).unwrap(), &["report", "item"]).unwrap();
        }
        assert_eq!(back2.unparsed(), 2);
        // Read without being kept parsed: the last change's time, and a visit of the collection.
        assert_eq!(back2.last_wall("i1"), Some(a.records["i1"].last_wall()));
        assert_eq!(back2.last_wall("i1/2026-01"), Some(1));
        let mut seen = vec![];
        for id in back2.ids_of("item") {
            assert!(back2.visit(&id, |r| seen.push(r.clone())));
        }
        assert!(!back2.visit("none", |_| {}));
        assert_eq!(seen, vec![a.records["i1"].clone()]);
        assert_eq!(back2.unparsed(), 2, "still text");
        back2.write("i1/2026-01", "report", |r| r.fields.remove("nothing"));
        assert_eq!(back2.unparsed(), 1);
        assert_eq!(back2["i1/2026-01"], a.records["i1/2026-01"]);
        assert_eq!(back2.remove("i1").as_ref(), a.records.get("i1"), "removing returns the parsed record");
        assert!(back2.index_is_true());
        assert!(back2.push_stored("[\"x\",".into(), &["report"]).is_err(), "broken text is refused");
        assert_eq!(back2.len(), 3);
    }
}
