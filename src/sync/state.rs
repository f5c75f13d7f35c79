//! Changes and the merged registry state.
//!
//! Everything an office stores — offices, units, reform items, progress reports, notices,
//! scores, reviews — is a *record* in a *collection*. A record is a map of fields; each field is
//! a multi-value register: it keeps every write that no other known write supersedes.
//! One write supersedes another only if its author had seen it (its `over` list names it).
//! Because the result depends only on the set of changes held — never on their order — any two
//! offices holding the same changes hold the same state (commutative, associative, idempotent).

use super::clock::{Clock, Dot, Hlc, OfficeId, VersionVector};
use super::trust::{ChainHead, Trust};
use crate::order::LeanSort;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub type RecordId = String;

/// The reserved field that marks a record deleted (a tombstone with its own clock).
pub const DELETED: &str = "_deleted";

/// One field written by a change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldWrite {
    /// The new value (JSON).
    pub v: Value,
    /// The writes of this field the author had in front of them, which this one replaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub over: Vec<Dot>,
}

/// One change: a set of field writes to one record, made by one office at one moment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub dot: Dot,
    /// Wall-clock part of the hybrid stamp, ms since the epoch.
    pub at: i64,
    /// Counter part of the hybrid stamp.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ctr: u32,
    /// Collection name, e.g. "item", "unit", "office".
    pub coll: String,
    pub record: RecordId,
    /// The person who made the change, as typed in the app's preferences.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
    pub set: BTreeMap<String, FieldWrite>,
}

/// A change with its canonical JSON, as storage keeps it and an export copies it (the bytes the
/// chain hashes are taken over): a city's export no longer parses 160,000 changes only to
/// serialise them again.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredChange {
    pub dot: Dot,
    pub record: RecordId,
    pub json: String,
}

impl StoredChange {
    pub fn of(c: &Change) -> Self {
        StoredChange { dot: c.dot.clone(), record: c.record.clone(), json: c.canonical_json() }
    }

    pub fn change(&self) -> Result<Change, serde_json::Error> {
        serde_json::from_str(&self.json)
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Change {
    /// The change's canonical JSON: the bytes its chain hash is taken over, the log stores and an
    /// export writes (the same bytes every office gets when it serialises the change it parsed).
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).expect("change serialises")
    }

    pub fn hlc(&self) -> Hlc {
        Hlc { wall: self.at, counter: self.ctr, office: self.dot.office.clone() }
    }

    /// Ordered as `hlc()` is, without building it (checks that compare a city's 170,000 stamps).
    pub fn stamp(&self) -> (i64, u32, &str) {
        (self.at, self.ctr, &self.dot.office)
    }
}

/// A surviving write of one field. Its hybrid stamp is kept as wall time and counter: the office
/// is the dot's (a city's registry holds a million entries; a second copy of the office id in
/// each cost a fifth of its memory). Stored as it always was, with the full `hlc`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(from = "EntryForm")]
pub struct Entry {
    pub v: Value,
    pub dot: Dot,
    pub wall: i64,
    pub counter: u32,
    pub by: String,
    pub over: Vec<Dot>,
}

impl Entry {
    /// The write's hybrid stamp.
    pub fn hlc(&self) -> Hlc {
        Hlc { wall: self.wall, counter: self.counter, office: self.dot.office.clone() }
    }

    /// Ordered as `hlc()` is, without building it.
    pub fn stamp(&self) -> (i64, u32, &str) {
        (self.wall, self.counter, &self.dot.office)
    }
}

/// The stored and exchanged form of an entry.
#[derive(Serialize, Deserialize)]
struct EntryForm {
    v: Value,
    dot: Dot,
    hlc: Hlc,
    by: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    over: Vec<Dot>,
}

impl From<EntryForm> for Entry {
    fn from(f: EntryForm) -> Self {
        Entry { v: f.v, dot: f.dot, wall: f.hlc.wall, counter: f.hlc.counter, by: f.by, over: f.over }
    }
}

impl Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(Serialize)]
        struct Stamp<'a> {
            wall: i64,
            counter: u32,
            office: &'a str,
        }
        let mut st = s.serialize_struct("EntryForm", 5)?;
        st.serialize_field("v", &self.v)?;
        st.serialize_field("dot", &self.dot)?;
        st.serialize_field("hlc", &Stamp { wall: self.wall, counter: self.counter, office: &self.dot.office })?;
        st.serialize_field("by", &self.by)?;
        if self.over.is_empty() {
            st.skip_field("over")?;
        } else {
            st.serialize_field("over", &self.over)?;
        }
        st.end()
    }
}

/// The register for one field: the surviving writes, plus every write known to be superseded
/// (so a superseded write that arrives late is recognised and not revived).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldState {
    pub entries: Vec<Entry>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub covered: BTreeSet<Dot>,
}

impl FieldState {
    /// The value shown: the write with the greatest hybrid stamp (deterministic everywhere).
    pub fn winner(&self) -> Option<&Entry> {
        self.entries.iter().max_by(|a, b| a.stamp().cmp(&b.stamp()))
    }

    /// A real disagreement: concurrent writes of *different* values.
    pub fn in_conflict(&self) -> bool {
        match self.entries.split_first() {
            Some((first, rest)) => rest.iter().any(|e| e.v != first.v),
            None => false,
        }
    }

    fn apply(&mut self, w: &FieldWrite, dot: &Dot, (wall, counter): (i64, u32), by: &str) -> bool {
        // What this write superseded stays superseded even if the write itself already is:
        // survivors are exactly the writes no known write names in its `over`, in any order.
        for d in &w.over {
            self.covered.insert(d.clone());
        }
        self.entries.retain(|e| !w.over.contains(&e.dot));
        if self.covered.contains(dot) || self.entries.iter().any(|e| &e.dot == dot) {
            return false;
        }
        self.entries.push(Entry { v: w.v.clone(), dot: dot.clone(), wall, counter, by: by.to_string(), over: w.over.clone() });
        self.entries.lean_sort_by(|a, b| a.dot.cmp(&b.dot));
        true
    }

    pub fn dots(&self) -> Vec<Dot> {
        self.entries.iter().map(|e| e.dot.clone()).collect()
    }
}

/// A merged record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: RecordId,
    pub coll: String,
    pub fields: BTreeMap<String, FieldState>,
}

impl Record {
    pub fn value(&self, field: &str) -> Option<&Value> {
        self.fields.get(field).and_then(|f| f.winner()).map(|e| &e.v)
    }

    pub fn is_deleted(&self) -> bool {
        self.value(DELETED) == Some(&Value::Bool(true))
    }

    /// When it was last changed: the latest wall time of its fields' shown writes (a field's
    /// shown write has the greatest stamp of those it holds, so this is the latest of all).
    pub fn last_wall(&self) -> i64 {
        self.fields.values().filter_map(|f| f.winner()).map(|e| e.wall).max().unwrap_or(0)
    }

    /// The winning value of every ordinary field, as one JSON object (for typed views).
    pub fn to_object(&self) -> serde_json::Map<String, Value> {
        self.fields.iter().filter(|(k, _)| !k.starts_with('_')).filter_map(|(k, f)| f.winner().map(|e| (k.clone(), e.v.clone()))).collect()
    }

    /// Fields with concurrent different values, including a delete that raced an edit.
    pub fn conflicts(&self) -> Vec<String> {
        let mut out: Vec<String> = self.fields.iter().filter(|(_, f)| f.in_conflict()).map(|(k, _)| k.clone()).collect();
        if self.delete_raced_edit() && !out.iter().any(|k| k == DELETED) {
            out.push(DELETED.to_string());
        }
        out
    }

    /// A delete is in conflict with any surviving edit that no deleting office had seen
    /// (edits of a deleted record are refused locally, so such an edit must be concurrent).
    pub fn delete_raced_edit(&self) -> bool {
        if !self.is_deleted() {
            return false;
        }
        let seen: BTreeSet<&Dot> = self.fields[DELETED].entries.iter().filter(|e| e.v == Value::Bool(true)).flat_map(|e| e.over.iter()).collect();
        self.fields.iter().filter(|(k, _)| k.as_str() != DELETED).flat_map(|(_, f)| f.entries.iter()).any(|e| !seen.contains(&e.dot))
    }

    /// The dots of every surviving write in the record: what a delete must name to cover it.
    pub fn all_dots(&self) -> Vec<Dot> {
        let mut v: Vec<Dot> = self.fields.values().flat_map(|f| f.dots()).collect();
        v.lean_sort();
        v.dedup();
        v
    }
}

/// Why a change was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum ApplyError {
    /// The change would skip sequence numbers of its office.
    Gap { office: OfficeId, have: u64, got: u64 },
    /// Same id, different content: two histories claim the same change.
    Collision(Dot),
    /// Same record id used in two collections.
    CollectionMismatch(RecordId),
}

/// What this office knows about another office it exchanges files with. Local only: never
/// merged or exported, so it is not part of the converged state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Peer {
    pub name: String,
    /// Everything the peer was known to hold when it last sent us a file: a delta for it
    /// starts here.
    pub known: VersionVector,
    pub last_import_ms: i64,
}

/// One office's whole merged state (kept in memory; the change log lives in storage).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Registry {
    pub me: OfficeId,
    pub clock: Clock,
    pub vv: VersionVector,
    pub records: super::records::Records,
    #[serde(default)]
    pub peers: BTreeMap<OfficeId, Peer>,
    /// Each office's hash chain as held here (derived from the changes, plus the author's
    /// signature on it when one arrived).
    #[serde(default)]
    pub heads: BTreeMap<OfficeId, ChainHead>,
    /// Keys: this office's own and those it has pinned. Local, like `peers`.
    #[serde(default)]
    pub trust: Trust,
    /// When this office last made a backup, and how many changes it held then. Local.
    #[serde(default)]
    pub backed_up: BackedUp,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackedUp {
    pub at_ms: i64,
    pub changes: u64,
}

/// What the caller asks to write: field → new value.
pub type Writes = Vec<(String, Value)>;

impl Registry {
    pub fn new(me: &str) -> Self {
        Registry {
            me: me.to_string(),
            clock: Clock::new(me),
            vv: VersionVector::default(),
            records: Default::default(),
            peers: BTreeMap::new(),
            heads: BTreeMap::new(),
            trust: Trust::default(),
            backed_up: BackedUp::default(),
        }
    }

    /// The office this registry belongs to (`me` is the author id its changes carry).
    pub fn office(&self) -> &str {
        super::clock::office_of(&self.me)
    }

    pub fn next_seq(&self) -> u64 {
        self.vv.get(&self.me) + 1
    }

    /// A fresh record id, unique across offices: the dot of the change that creates it.
    pub fn new_record_id(&self) -> RecordId {
        Dot::new(&self.me, self.next_seq()).to_string()
    }

    /// True when writing `v` to `field` of `record` would change nothing anyone sees: the field
    /// already holds exactly that value with no concurrent rival (a write over rivals resolves a
    /// conflict, so it is a real change). A delete or restore is a no-op only when no edit raced
    /// the current state.
    pub fn write_is_noop(&self, record: &str, field: &str, v: &Value) -> bool {
        let Some(r) = self.records.get(record) else { return false };
        if field == DELETED {
            let want_deleted = v == &Value::Bool(true);
            return r.is_deleted() == want_deleted && !r.conflicts().iter().any(|f| f == DELETED);
        }
        match r.fields.get(field) {
            Some(f) if !f.entries.is_empty() => f.entries.iter().all(|e| &e.v == v),
            // A field never written reads as its default: clearing it changes nothing.
            _ => v.is_null(),
        }
    }

    /// Makes and applies a local change holding only the writes that change something; returns
    /// None (clock and sequence untouched) when nothing would change. Each written field
    /// supersedes exactly the writes the user had in front of them — which is also how a
    /// conflict is resolved. User actions reach this through `domain::tx`, which also undoes a
    /// refused action as a whole.
    pub fn change(&mut self, now_ms: i64, coll: &str, record: &str, writes: Writes, by: &str) -> Result<Option<Change>, ApplyError> {
        if let Some(r) = self.records.get(record) {
            if r.coll != coll {
                return Err(ApplyError::CollectionMismatch(record.to_string()));
            }
        }
        let writes: Writes = writes.into_iter().filter(|(f, v)| !self.write_is_noop(record, f, v)).collect();
        if writes.is_empty() {
            return Ok(None);
        }
        let dot = Dot::new(&self.me, self.next_seq());
        let hlc = self.clock.tick(now_ms);
        let existing = self.records.get(record);
        let mut set = BTreeMap::new();
        for (field, v) in writes {
            let over = match existing {
                // A delete or restore names every surviving write of the record, so edits it did
                // not see show up as a conflict rather than being silently discarded.
                Some(r) if field == DELETED => {
                    let mut d = r.all_dots();
                    d.retain(|x| x != &dot);
                    d
                }
                Some(r) => r.fields.get(&field).map(|f| f.dots()).unwrap_or_default(),
                None => vec![],
            };
            set.insert(field, FieldWrite { v, over });
        }
        let c = Change { dot, at: hlc.wall, ctr: hlc.counter, coll: coll.to_string(), record: record.to_string(), by: by.to_string(), set };
        self.apply(&c)?;
        Ok(Some(c))
    }

    /// A local change that must be made (tests and tools; panics when nothing would change).
    pub fn make_change(&mut self, now_ms: i64, coll: &str, record: &str, writes: Writes, by: &str) -> Change {
        self.change(now_ms, coll, record, writes, by).expect("a local change applies").expect("the change writes something")
    }

    /// Applies a change. Returns Ok(false) when it was already held (idempotent).
    pub fn apply(&mut self, c: &Change) -> Result<bool, ApplyError> {
        self.apply_linked(c, None)
    }

    /// `apply`, given the chain's hash after `c` when it is already known: it is the hash `apply`
    /// would work out, as the file's checked chain starts where this registry's head stands
    /// (`bundle::signed::examine_paced` refuses a file whose chain does not).
    pub fn apply_linked(&mut self, c: &Change, link: Option<&[u8; 32]>) -> Result<bool, ApplyError> {
        if self.vv.contains(&c.dot) {
            return Ok(false);
        }
        let have = self.vv.get(&c.dot.office);
        if c.dot.seq != have + 1 {
            return Err(ApplyError::Gap { office: c.dot.office.clone(), have, got: c.dot.seq });
        }
        if let Some(r) = self.records.get(&c.record) {
            if r.coll != c.coll {
                return Err(ApplyError::CollectionMismatch(c.record.clone()));
            }
        }
        self.vv.advance(&c.dot);
        // The author's chain moves on (a registry from before chains gets its heads rebuilt from
        // the log when it is opened: `app::Session::open`).
        ChainHead::advance(&mut self.heads, c, link);
        // Its own changes too: an office restored from a backup must stamp after them.
        self.clock.observe(&c.hlc());
        self.replay(c);
        Ok(true)
    }

    /// Applies a change's field writes to its record only — no version vector, no clock: for
    /// working out what a sequence of changes does to a few records (`apply` does the rest).
    pub fn replay(&mut self, c: &Change) {
        if c.set.is_empty() {
            // Older versions could record a change with no fields (a save with nothing changed).
            // It only spends a sequence number: it must not conjure an empty record.
            return;
        }
        self.records.write(&c.record, &c.coll, |rec| {
            for (field, w) in &c.set {
                // The field's name is copied only the first time it is written.
                let state = match rec.fields.get_mut(field.as_str()) {
                    Some(f) => f,
                    None => rec.fields.entry(field.clone()).or_default(),
                };
                state.apply(w, &c.dot, (c.at, c.ctr), &c.by);
            }
        });
    }

    /// Live (not deleted) records of one collection.
    pub fn live<'a>(&'a self, coll: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        self.records.of(coll).filter(|r| !r.is_deleted())
    }

    pub fn get_live(&self, id: &str) -> Option<&Record> {
        self.records.get(id).filter(|r| !r.is_deleted())
    }

    /// Every record with an open conflict, and which fields.
    pub fn open_conflicts(&self) -> Vec<(&Record, Vec<String>)> {
        self.records
            .flagged()
            .filter_map(|r| {
                let c = r.conflicts();
                (!c.is_empty()).then_some((r, c))
            })
            .collect()
    }

    /// Canonical bytes of the merged state (everything but the local clock), used to prove that
    /// offices converge to byte-identical registries.
    pub fn canonical_state(&self) -> String {
        serde_json::to_string(&(&self.vv, &self.records)).expect("state serialises")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn w(f: &str, v: Value) -> Writes {
        vec![(f.to_string(), v)]
    }

    #[test]
    fn different_fields_both_kept() {
        let mut a = Registry::new("A");
        let c0 = a.make_change(1, "item", "r", vec![("title".into(), json!("t")), ("goal".into(), json!("g"))], "");
        let mut b = Registry::new("B");
        b.apply(&c0).unwrap();
        let ca = a.make_change(10, "item", "r", w("title", json!("t-A")), "");
        let cb = b.make_change(11, "item", "r", w("goal", json!("g-B")), "");
        a.apply(&cb).unwrap();
        b.apply(&ca).unwrap();
        assert_eq!(a.records, b.records);
        let r = &a.records["r"];
        assert_eq!(r.value("title"), Some(&json!("t-A")));
        assert_eq!(r.value("goal"), Some(&json!("g-B")));
        assert!(r.conflicts().is_empty());
    }

    #[test]
    fn concurrent_same_field_conflict_then_resolution() {
        let mut a = Registry::new("A");
        let c0 = a.make_change(1, "item", "r", w("title", json!("t")), "");
        let mut b = Registry::new("B");
        b.apply(&c0).unwrap();
        let ca = a.make_change(10, "item", "r", w("title", json!("A")), "");
        let cb = b.make_change(20, "item", "r", w("title", json!("B")), "");
        a.apply(&cb).unwrap();
        b.apply(&ca).unwrap();
        assert_eq!(a.records["r"].conflicts(), vec!["title".to_string()]);
        assert_eq!(a.records["r"].value("title"), Some(&json!("B")), "greater stamp shown");
        let fix = a.make_change(30, "item", "r", w("title", json!("A")), "");
        assert_eq!(fix.set["title"].over.len(), 2);
        b.apply(&fix).unwrap();
        assert!(b.records["r"].conflicts().is_empty());
        assert_eq!(a.canonical_state(), b.canonical_state());
    }

    #[test]
    fn late_superseded_write_is_not_revived() {
        let mut a = Registry::new("A");
        let c1 = a.make_change(1, "item", "r", w("title", json!("1")), "");
        let c2 = a.make_change(2, "item", "r", w("title", json!("2")), "");
        let c3 = a.make_change(3, "item", "r", w("title", json!("3")), "");
        // B receives c1, c2, c3 in order; C receives them in a different order through separate routes
        // (order inside one bundle is not causal in general).
        let mut c = Registry::new("C");
        for ch in [&c1, &c2, &c3] {
            c.apply(ch).unwrap();
        }
        assert_eq!(c.records["r"].value("title"), Some(&json!("3")));
        assert_eq!(c.records["r"].fields["title"].entries.len(), 1);
        assert!(!c.apply(&c2).unwrap(), "re-applying is a no-op");
    }

    #[test]
    fn superseded_write_still_retires_what_it_superseded() {
        // Found by the property test: B wrote 1 then 2; A saw both and wrote 3 over 2.
        // An office that gets A's write before B's two must still end with only A's.
        let mut b = Registry::new("B");
        let b1 = b.make_change(1, "item", "r", w("goal", json!("b1")), "");
        let b2 = b.make_change(2, "item", "r", w("goal", json!("b2")), "");
        let mut a = Registry::new("A");
        a.apply(&b1).unwrap();
        a.apply(&b2).unwrap();
        let a1 = a.make_change(3, "item", "r", w("goal", json!("a1")), "");
        let mut c = Registry::new("C");
        c.apply(&a1).unwrap();
        c.apply(&b1).unwrap();
        c.apply(&b2).unwrap();
        assert_eq!(c.records["r"].fields["goal"].dots(), vec![a1.dot.clone()]);
        assert_eq!(c.canonical_state(), a.canonical_state());
    }

    #[test]
    fn gap_is_refused() {
        let mut a = Registry::new("A");
        a.make_change(1, "item", "r", w("title", json!("1")), "");
        let c2 = a.make_change(2, "item", "r", w("title", json!("2")), "");
        let mut b = Registry::new("B");
        assert_eq!(b.apply(&c2), Err(ApplyError::Gap { office: "A".into(), have: 0, got: 2 }));
        assert!(b.records.is_empty());
    }

    #[test]
    fn create_delete_create() {
        let mut a = Registry::new("A");
        let c1 = a.make_change(1, "item", "r1", w("title", json!("x")), "");
        let del = a.make_change(2, "item", "r1", w(DELETED, json!(true)), "");
        let id2 = a.new_record_id();
        let c3 = a.make_change(3, "item", &id2, w("title", json!("x")), "");
        let mut b = Registry::new("B");
        for ch in [&c1, &del, &c3] {
            b.apply(ch).unwrap();
        }
        assert!(b.records["r1"].is_deleted());
        assert!(b.records["r1"].conflicts().is_empty());
        assert_eq!(b.live("item").count(), 1);
        // An old bundle holding only the create changes nothing.
        assert!(!b.apply(&c1).unwrap());
        assert!(b.records["r1"].is_deleted());
    }

    #[test]
    fn delete_against_concurrent_edit_is_a_conflict() {
        let mut a = Registry::new("A");
        let c1 = a.make_change(1, "item", "r", w("title", json!("x")), "");
        let mut b = Registry::new("B");
        b.apply(&c1).unwrap();
        let del = a.make_change(10, "item", "r", w(DELETED, json!(true)), "");
        let edit = b.make_change(5, "item", "r", w("goal", json!("new goal")), "");
        a.apply(&edit).unwrap();
        b.apply(&del).unwrap();
        assert_eq!(a.canonical_state(), b.canonical_state());
        assert_eq!(a.records["r"].conflicts(), vec![DELETED.to_string()]);
        // Confirming the delete covers the edit and closes the conflict.
        let confirm = a.make_change(20, "item", "r", w(DELETED, json!(true)), "");
        b.apply(&confirm).unwrap();
        assert!(b.records["r"].conflicts().is_empty());
        assert!(b.records["r"].is_deleted());
    }

    #[test]
    fn an_entry_is_stored_in_the_form_it_always_had() {
        // Written before entries kept their stamp without the office: read, and written back the same.
        let old = r#"{"v":"A","dot":"kaijiang:3","hlc":{"wall":17,"counter":2,"office":"kaijiang"},"by":"唐寒","over":["pingyuan:1"]}"#;
        let e: Entry = serde_json::from_str(old).unwrap();
        assert_eq!((e.wall, e.counter, e.hlc().office.as_str()), (17, 2, "kaijiang"));
        assert_eq!(serde_json::to_string(&e).unwrap(), old);
        let plain = r#"{"v":1,"dot":"a:1","hlc":{"wall":5,"counter":0,"office":"a"},"by":""}"#;
        assert_eq!(serde_json::to_string(&serde_json::from_str::<Entry>(plain).unwrap()).unwrap(), plain);
    }
}
