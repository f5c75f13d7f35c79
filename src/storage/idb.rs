//! IndexedDB store (browser only), through the `rexie` crate.
//!
//! IndexedDB pays per row and per value handed over — a city registry of 140,000 records and
//! 160,000 changes took 5 s to read and 17 s to write row by row — so rows are grouped (schema 4):
//! - `state`: the merged records in `BUCKETS` rows chosen by a hash of the record id, each one
//!   UTF-8 text of ordered lines (`storage::bucket`). Records of the `DEFERRED` collections (the
//!   history) are on a shelf of their own (`h000`…`h255`, the rest `s000`…`s255`), read after
//!   the first screen. A commit rewrites only the buckets it touches.
//! - `log`: the change log in rows of up to `RUN` changes of one office (key: the first change's
//!   dot key), holding the changes' JSON as one array (UTF-8 bytes; earlier rows a string), with
//!   `p` (each change's record), `r` (the records outside the history shelf, a multi-entry index
//!   for an item's change history; earlier rows held each change's record here, and no `p`),
//!   and `e` (each change's dot key, unindexed: a change is found through its row's key,
//!   `run_row`). `p` and `e` are each one JSON text of an array (earlier rows: arrays). Rows
//!   written before kept the dot keys under `d`, a multi-entry index (`by_dot`) that still finds
//!   them.
//! - `meta`: one entry (office id, clock, version vector, keys, peers, schema).
//!
//! Earlier layouts are moved into this one on the first start, each in one transaction: before
//! or after, never between. Layout 1 had one row per record and per change; layout 2 (schema 2)
//! held each bucket as a `Map` of record id to text, every record on one shelf.

use super::{assemble, bucket, Batch, Meta, Store, StoreError, StoredChange, StoredRecord};
use crate::order::LeanSort;
use crate::sync::records::Loader;
use crate::sync::{Change, Dot, Record, Registry};
use js_sys::{Array, Map, Object, Reflect, Uint8Array};
use rexie::{Index, KeyRange, ObjectStore, Rexie, Transaction, TransactionMode};
use std::collections::{BTreeMap, HashSet};
use wasm_bindgen::{JsCast, JsValue};

/// The database the page and the exchange worker open.
pub const DB_NAME: &str = "reform-registry";

const STATE: &str = "state";
const LOG: &str = "log";
const META: &str = "meta";
/// Layout 1, kept declared so that upgrading does not drop them before their rows are moved.
const OLD_CHANGES: &str = "changes";
const OLD_RECORDS: &str = "records";

/// Record buckets. Never change it: a record's bucket is where its stored state is found.
const BUCKETS: u32 = 256;
/// Buckets read per request at start-up.
const READ_BUCKETS: u32 = 16;
/// Most changes in one log row.
const RUN: usize = 1000;
/// Up to this many ids are looked up one by one through the index; more read their offices' rows.
const LOOKUPS: usize = 64;

pub struct IdbStore {
    db: Rexie,
    /// `Store::turn_ms`: the page's default, or longer in the exchange worker.
    turn_ms: f64,
    /// Offices whose log rows `changes_at` read whole (for tests: ids it holds are found by key).
    office_reads: std::cell::Cell<usize>,
}

fn err(e: rexie::Error) -> StoreError {
    // rexie's own text is just "idb error"; the cause (e.g. QuotaExceededError) is inside.
    let s = match &e {
        rexie::Error::IdbError(inner) => inner.to_string(),
        other => other.to_string(),
    };
    if s.contains("Quota") || s.contains("quota") {
        StoreError::Quota
    } else {
        StoreError::Other(s)
    }
}

fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Other(e.to_string())
}

fn unreadable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("stored data unreadable: {e}"))
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

fn text_of(v: &JsValue) -> Result<String, StoreError> {
    v.as_string().ok_or_else(|| unreadable("entry without JSON"))
}

/// A log row's JSON: UTF-8 bytes (written so since log rows held strings: the browser turned a
/// city's 40 MB of JSON into UTF-16 to store it, and back to read it), or a string as earlier
/// rows hold it.
fn log_text(row: &JsValue) -> Result<String, StoreError> {
    match get(row, "j").dyn_ref::<Uint8Array>() {
        Some(bytes) => String::from_utf8(bytes.to_vec()).map_err(unreadable),
        None => text_of(&get(row, "j")),
    }
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(unreadable)
}

fn strings(v: &JsValue) -> Vec<String> {
    v.dyn_ref::<Array>().map(|a| a.iter().map(|x| x.as_string().unwrap_or_default()).collect()).unwrap_or_default()
}

/// A log row's list: one JSON text of an array (unindexed lists since `p`), or an array in rows
/// written before. A text that does not read is a damaged row, said so, not an empty list.
fn listed(v: &JsValue) -> Result<Vec<String>, StoreError> {
    match v.as_string() {
        Some(text) => serde_json::from_str(&text).map_err(|_| unreadable("log row")),
        None => Ok(strings(v)),
    }
}

/// The answer of `next`, if there is a next: the work overlapped with the current one (storage
/// reading or writing while this side parses or makes rows).
async fn then_next<T>(next: Option<impl std::future::Future<Output = Result<T, StoreError>>>) -> Result<Option<T>, StoreError> {
    match next {
        Some(f) => f.await.map(Some),
        None => Ok(None),
    }
}

/// A list no index reads, as one JSON text: one value to hand over and store, not a thousand
/// (a city's import made 340,000 strings for its log rows' two lists).
fn text_list<S: serde::Serialize>(items: &[S]) -> JsValue {
    JsValue::from_str(&serde_json::to_string(items).expect("strings serialise"))
}

fn array_of<'a>(items: impl Iterator<Item = &'a str>) -> Array {
    items.map(JsValue::from_str).collect()
}

/// The bucket of a record id (FNV-1a: stable across versions and platforms).
fn bucket_no(id: &str) -> u32 {
    id.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ b as u32).wrapping_mul(0x0100_0193)) % BUCKETS
}

/// A bucket's key: `s000`…`s255` hold what start-up reads, `h000`…`h255` the collections read
/// after the first screen (`DEFERRED`). A record never moves between collections, so never
/// between shelves.
fn bucket_key(shelf: char, n: u32) -> String {
    format!("{shelf}{n:03}")
}

const CURRENT: char = 's';
const HISTORY: char = 'h';

fn bucket_of(r: &StoredRecord) -> (char, u32) {
    (if super::DEFERRED.contains(&r.coll.as_str()) { HISTORY } else { CURRENT }, bucket_no(&r.id))
}

/// Records grouped by the bucket (shelf, number) that holds them.
fn by_bucket<'a>(records: impl IntoIterator<Item = &'a StoredRecord>) -> BTreeMap<(char, u32), Vec<&'a StoredRecord>> {
    let mut out: BTreeMap<(char, u32), Vec<&StoredRecord>> = BTreeMap::new();
    for r in records {
        out.entry(bucket_of(r)).or_default().push(r);
    }
    out
}

/// The rows of a shelf's buckets `first`…`first + width - 1`.
fn group_range(shelf: char, first: u32, width: u32) -> Result<KeyRange, StoreError> {
    let (lo, hi) = (bucket_key(shelf, first), bucket_key(shelf, first + width - 1));
    KeyRange::bound(&JsValue::from_str(&lo), &JsValue::from_str(&hi), None, None).map_err(|e| err(e.into()))
}

/// The changes of one log row, each with its record and dot key. `history` holds the records of
/// the collections kept on the history shelf (`DEFERRED`): their changes are not indexed.
fn log_row(changes: &[&StoredChange], history: &HashSet<&str>) -> JsValue {
    let o = Object::new();
    set(&o, "k", &JsValue::from_str(&changes[0].dot.key()));
    // Each change's record under "p" (one JSON text), which no index reads; under "r", indexed
    // `by_record` for `changes_for`, the row's other records once each. A city's 150,000
    // monthly-report changes were three quarters of writing its import's log as index entries
    // nobody looks up (an item's history is read, a report's is not). Rows before this held
    // every change's record under "r" (indexed), and no "p".
    set(&o, "p", &text_list(&changes.iter().map(|c| c.record.as_str()).collect::<Vec<_>>()));
    let mut indexed: Vec<&str> = changes.iter().map(|c| c.record.as_str()).filter(|r| !history.contains(r)).collect();
    indexed.lean_sort();
    indexed.dedup();
    set(&o, "r", &array_of(indexed.into_iter()));
    // The dots under "e", which no index reads: a row is found by its key, the first of its run
    // (`run_row`). Rows before this kept them under "d", indexed `by_dot`; a city's 160,000
    // index entries were half of writing its import's log.
    let keys: Vec<String> = changes.iter().map(|c| c.dot.key()).collect();
    set(&o, "e", &text_list(&keys));
    // The JSON array of the changes, from each change's canonical JSON.
    let mut j = String::with_capacity(changes.iter().map(|c| c.json.len() + 1).sum::<usize>() + 2);
    j.push('[');
    for (n, c) in changes.iter().enumerate() {
        if n > 0 {
            j.push(',');
        }
        j.push_str(&c.json);
    }
    j.push(']');
    set(&o, "j", &Uint8Array::from(j.as_bytes()));
    o.into()
}

/// A state row: a bucket's text (`storage::bucket`) as UTF-8 bytes, which the browser stores
/// and hands back as one value (layout 2's map of 550 strings per bucket took half a second
/// of a city's start-up to hand over).
fn state_row(key: &str, text: &str) -> JsValue {
    let o = Object::new();
    set(&o, "k", &JsValue::from_str(key));
    set(&o, "b", &Uint8Array::from(text.as_bytes()));
    o.into()
}

/// A state row's bucket text; a row still in layout 2 (a map of record id to text) is read into
/// the same form.
fn row_text(row: &JsValue) -> Result<String, StoreError> {
    if let Some(bytes) = get(row, "b").dyn_ref::<Uint8Array>() {
        return String::from_utf8(bytes.to_vec()).map_err(unreadable);
    }
    let stored = layout_2_records(row)?;
    bucket::rewrite("", &stored.iter().collect::<Vec<_>>())
}

/// The records of a layout-2 state row (a map of record id to text).
fn layout_2_records(row: &JsValue) -> Result<Vec<StoredRecord>, StoreError> {
    let map = get(row, "m").dyn_into::<Map>().map_err(|_| unreadable("bucket without records"))?;
    let texts = map.values().into_iter().map(|v| v.ok().and_then(|v| v.as_string()).ok_or_else(|| unreadable("bucket"))).collect::<Result<Vec<_>, _>>()?;
    bucket::from_texts(texts.iter().map(String::as_str))
}

/// The dot keys of a log row's changes, in its order: under "e", or "d" in rows written before.
fn row_dots(row: &JsValue) -> Result<Vec<String>, StoreError> {
    let e = get(row, "e");
    listed(&if e.is_undefined() { get(row, "d") } else { e })
}

/// The records of a log row's changes, in its order: under "p", or "r" in rows written before.
fn row_records(row: &JsValue) -> Result<Vec<String>, StoreError> {
    let p = get(row, "p");
    listed(&if p.is_undefined() { get(row, "r") } else { p })
}

/// The row written since "e" that holds `d`: the last of its office's rows whose key (the first
/// id of its run) is not after it. None when that row does not hold it (not stored, or stored
/// in a row of its own beside a longer run).
async fn run_row(log: &rexie::Store, d: &Dot) -> Result<Option<JsValue>, StoreError> {
    let key = d.key();
    // A row holds at most RUN consecutive ids from its key: its key is no further back.
    let from = Dot::new(d.office.as_str(), d.seq.saturating_sub(RUN as u64 - 1)).key();
    let range = KeyRange::bound(&JsValue::from_str(&from), &JsValue::from_str(&key), None, None).map_err(|e| err(e.into()))?;
    // The keys, then the one row: a cursor (rexie's `scan`) loads the row after the one it
    // stops at, and a row holds up to a thousand changes.
    let Some(last) = log.get_all_keys(Some(range), None).await.map_err(err)?.pop() else { return Ok(None) };
    let row = log.get(last).await.map_err(err)?.filter(|v| !v.is_undefined());
    match row {
        Some(row) if row_dots(&row)?.contains(&key) => Ok(Some(row)),
        _ => Ok(None),
    }
}

/// The changes a log row holds.
fn row_changes(row: &JsValue) -> Result<Vec<Change>, StoreError> {
    parse(&log_text(row)?)
}

/// Writes changes and records into an open read-write transaction over `log` and `state`.
/// A city's import writes 160,000 changes and 140,000 records: the rows are made and put in
/// slices of about `slice_ms`, each slice's last request awaited, so the page gets turns
/// while storage works. (A timer pause would end the transaction: a transaction with no
/// request pending commits.)
async fn write<'a>(tx: &Transaction, changes: &[StoredChange], records: &'a [StoredRecord], slice_ms: f64) -> Result<(), StoreError> {
    // Each office's changes in runs of consecutive ids: one row per run of at most RUN.
    let mut by_office: BTreeMap<&str, Vec<&StoredChange>> = BTreeMap::new();
    for c in changes {
        by_office.entry(c.dot.office.as_str()).or_default().push(c);
    }
    let mut parts: Vec<&[&StoredChange]> = vec![];
    for cs in by_office.values_mut() {
        cs.lean_sort_by_key(|c| c.dot.seq);
        for run in cs.chunk_by(|a, b| b.dot.seq == a.dot.seq + 1) {
            parts.extend(run.chunks(RUN));
        }
    }
    let history: HashSet<&str> = records.iter().filter(|r| bucket_of(r).0 == HISTORY).map(|r| r.id.as_str()).collect();
    crate::trace::mark("rr:commit-log-rows");
    let log = tx.store(LOG).map_err(err)?;
    let mut rows = parts.into_iter().map(|part| log_row(part, &history));
    let mut slice = || {
        let start = now_ms();
        std::iter::from_fn(|| if now_ms() - start > slice_ms { None } else { rows.next() }).collect::<Vec<_>>()
    };
    // The next slice's rows are made while storage writes this one's.
    let mut next = slice();
    while !next.is_empty() {
        let put = log.put_all(std::mem::take(&mut next).into_iter().map(|row| (row, None)));
        let (put, following) = futures::future::join(put, async { slice() }).await;
        put.map_err(err)?;
        next = following;
    }
    crate::trace::mark("rr:commit-log-written");

    // Records into their buckets: each touched bucket is read, rewritten and put back whole.
    // The buckets are read in groups (one request per group of READ_BUCKETS, as `load` reads them).
    let state = tx.store(STATE).map_err(err)?;
    type Bucket<'a> = ((char, u32), Vec<&'a StoredRecord>);
    let mut groups: BTreeMap<(char, u32), Vec<Bucket>> = BTreeMap::new();
    for ((shelf, b), rs) in by_bucket(records) {
        groups.entry((shelf, b - b % READ_BUCKETS)).or_default().push(((shelf, b), rs));
    }
    // A group's buckets read and rewritten into rows.
    let rows_of = |((shelf, first), buckets): ((char, u32), Vec<Bucket<'a>>)| {
        let state = &state;
        async move {
            let mut found: BTreeMap<String, String> = BTreeMap::new();
            if let [((_, b), _)] = buckets.as_slice() {
                let key = bucket_key(shelf, *b);
                if let Some(row) = state.get(JsValue::from_str(&key)).await.map_err(err)?.filter(|v| !v.is_undefined()) {
                    found.insert(key, row_text(&row)?);
                }
            } else {
                for row in state.get_all(Some(group_range(shelf, first, READ_BUCKETS)?), None).await.map_err(err)? {
                    found.insert(get(&row, "k").as_string().unwrap_or_default(), row_text(&row)?);
                }
            }
            let mut puts = vec![];
            for ((shelf, b), rs) in buckets {
                let key = bucket_key(shelf, b);
                let text = bucket::rewrite(found.get(&key).map_or("", String::as_str), &rs)?;
                puts.push(state_row(&key, &text));
            }
            Ok::<_, StoreError>(puts)
        }
    };
    // The next group is read before this one is put (requests run in order), so that it is
    // rewritten while storage writes this one.
    let mut groups = groups.into_iter();
    let mut current = match groups.next() {
        Some(g) => Some(rows_of(g).await?),
        None => None,
    };
    while let Some(puts) = current.take() {
        let following = then_next(groups.next().map(rows_of));
        let put = state.put_all(puts.into_iter().map(|row| (row, None)));
        let (following, put) = futures::future::join(following, put).await;
        put.map_err(err)?;
        current = following?;
    }
    crate::trace::mark("rr:commit-state-written");
    Ok(())
}

/// Longest stretch of making and putting rows before storage is let work (and the page turn):
/// a little under a turn of long work (`Store::turn_ms`).
fn put_slice_ms(turn_ms: f64) -> f64 {
    turn_ms * 0.75
}

fn meta_entry(m: &Meta) -> Result<JsValue, StoreError> {
    let o = Object::new();
    set(&o, "k", &JsValue::from_str("meta"));
    set(&o, "j", &JsValue::from_str(&serde_json::to_string(m).map_err(json_err)?));
    Ok(o.into())
}

/// Ends a transaction: committed, or aborted with nothing of it left behind.
/// The meta entry as stored, if the registry has one (read inside the caller's transaction).
async fn read_meta(tx: &Transaction) -> Result<Option<Meta>, StoreError> {
    let row = tx.store(META).map_err(err)?.get(JsValue::from_str("meta")).await.map_err(err)?;
    match row.filter(|m| !m.is_undefined()) {
        Some(row) => Ok(Some(parse(&text_of(&get(&row, "j"))?)?)),
        None => Ok(None),
    }
}

async fn finish(tx: Transaction, result: Result<(), StoreError>) -> Result<(), StoreError> {
    if let Err(e) = result {
        let _ = tx.abort().await;
        return Err(e);
    }
    let done = tx.done().await.map_err(err)?;
    if done.is_committed() {
        Ok(())
    } else {
        Err(StoreError::Other("transaction aborted".into()))
    }
}

/// The browser's performance clock (ms since the page opened).
pub fn now_ms() -> f64 {
    let perf = Reflect::get(&js_sys::global(), &JsValue::from_str("performance")).unwrap_or(JsValue::UNDEFINED);
    Reflect::get(&perf, &JsValue::from_str("now"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&perf).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// `Store::sha256_beside` in the browser: `parts` joined, copied out of wasm memory and handed
/// to the page's or worker's `crypto.subtle.digest`, which hashes on a thread of its own. None
/// when the platform has no digest (a page not served securely) or the parts are not `len`
/// bytes: then the caller hashes.
pub fn sha256_beside(len: usize, parts: &mut dyn Iterator<Item = &[u8]>) -> Option<crate::sync::pace::Beside> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok()?.dyn_into::<web_sys::Crypto>().ok()?;
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).ok()?.dyn_into::<web_sys::SubtleCrypto>().ok()?;
    // Copied out through a buffer of a megabyte (joining a city's 45 MB in wasm first would grow
    // its memory, which never shrinks, for nothing).
    // Small parts are gathered first: one copy across per megabyte, not per change.
    let whole = Uint8Array::new_with_length(u32::try_from(len).ok()?);
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
    let mut at = 0u32;
    let mut out = |bytes: &[u8]| -> Option<()> {
        let end = at.checked_add(u32::try_from(bytes.len()).ok()?).filter(|&e| e <= whole.length())?;
        whole.subarray(at, end).copy_from(bytes);
        at = end;
        Some(())
    };
    for p in parts {
        if buf.len() + p.len() > buf.capacity() {
            out(&buf)?;
            buf.clear();
        }
        if p.len() > buf.capacity() {
            out(p)?;
        } else {
            buf.extend_from_slice(p);
        }
    }
    out(&buf)?;
    if at != whole.length() {
        return None;
    }
    let promise = subtle.digest_with_str_and_js_u8_array("SHA-256", &whole).ok()?;
    Some(Box::pin(async move {
        let hash = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
        Uint8Array::new(&hash).to_vec().try_into().ok()
    }))
}

/// Gives the event loop a turn after `ms` (a timer task), so the page repaints and answers input.
/// The one timer the app waits on: storage between slices of work, the screens before a long step.
pub async fn pause_ms(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let set_timeout = Reflect::get(&js_sys::global(), &JsValue::from_str("setTimeout")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match set_timeout {
            Some(f) => {
                let _ = f.call2(&JsValue::NULL, &resolve, &JsValue::from(ms));
            }
            None => {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

/// Keeps the first of each id (a change committed twice under different rows is one change).
fn dedup(changes: Vec<Change>) -> Vec<Change> {
    let mut seen = HashSet::new();
    changes.into_iter().filter(|c| seen.insert(c.dot.clone())).collect()
}

/// The current shelf's records, read in groups of `CURRENT_READ` buckets, each group read into
/// the registry as soon as it comes: the browser hands over each answer in a task of its own, so
/// the page gets a turn between groups, and no timer pause (which would end the transaction) is
/// needed. (A city's current shelf is its 10,000 items, 16 MB: 16 round trips for it took half
/// of its read.)
async fn read_current(tx: &Transaction, progress: &impl Fn(usize, usize)) -> Result<crate::sync::Records, StoreError> {
    const CURRENT_READ: u32 = 64;
    let state = tx.store(STATE).map_err(err)?;
    let mut loader = Loader::new(super::KEPT_AS_TEXT);
    let groups = (BUCKETS / CURRENT_READ) as usize;
    for (n, first) in (0..BUCKETS).step_by(CURRENT_READ as usize).enumerate() {
        for row in state.get_all(Some(group_range(CURRENT, first, CURRENT_READ)?), None).await.map_err(err)? {
            bucket::load(&mut loader, &std::sync::Arc::new(row_text(&row)?))?;
        }
        progress(n + 1, groups);
    }
    Ok(loader.finish())
}

impl IdbStore {
    /// Opens (creating on first use) the database named `name`, moving a registry stored in an
    /// earlier layout into this one first (`upgrade`).
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let store = Self::connect(name).await?;
        store.upgrade().await?;
        Ok(store)
    }

    /// Opens the database without moving anything: a tab that does not hold the registry must not
    /// rewrite it under the tab that does, which may be running an earlier version of the app
    /// (its next write would put rows of the old layout beside the moved ones).
    pub async fn connect(name: &str) -> Result<Self, StoreError> {
        crate::trace::mark("rr:db-open");
        let db = Rexie::builder(name)
            .version(2)
            .add_object_store(ObjectStore::new(STATE).key_path("k"))
            .add_object_store(
                ObjectStore::new(LOG)
                    .key_path("k")
                    .add_index(Index::new("by_record", "r").multi_entry(true))
                    .add_index(Index::new("by_dot", "d").multi_entry(true)),
            )
            .add_object_store(ObjectStore::new(META).key_path("k"))
            .add_object_store(ObjectStore::new(OLD_CHANGES).key_path("k").add_index(Index::new("by_record", "r")))
            .add_object_store(ObjectStore::new(OLD_RECORDS).key_path("k"))
            .build()
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        crate::trace::mark("rr:db-opened");
        Ok(IdbStore { db, turn_ms: super::PAGE_TURN_MS, office_reads: Default::default() })
    }

    /// Long work over this store pauses every `ms` (the exchange worker: nothing to repaint,
    /// only a cancel to let in; each pause costs a timer's 4 ms or more).
    pub fn with_turns(mut self, ms: f64) -> Self {
        self.turn_ms = ms;
        self
    }

    /// Moves a registry stored in an earlier layout into this one (each step one transaction).
    /// Only the tab holding the registry calls it.
    pub async fn upgrade(&self) -> Result<(), StoreError> {
        // Nearly every start has nothing to move: one read-only look decides, and the two
        // read-write transactions (which lock the stores) run only when something is old.
        if self.has_old_layout().await? {
            self.migrate().await?;
            self.text_buckets().await?;
        }
        crate::trace::mark("rr:db-checked");
        Ok(())
    }

    /// Whether rows of layout 1 are left, or the meta entry names a schema before this one.
    async fn has_old_layout(&self) -> Result<bool, StoreError> {
        let tx = self.db.transaction(&[OLD_CHANGES, OLD_RECORDS, META], TransactionMode::ReadOnly).map_err(err)?;
        if tx.store(OLD_RECORDS).map_err(err)?.count(None).await.map_err(err)? > 0 || tx.store(OLD_CHANGES).map_err(err)?.count(None).await.map_err(err)? > 0 {
            return Ok(true);
        }
        Ok(read_meta(&tx).await?.is_some_and(|m| m.schema < super::SCHEMA))
    }

    pub async fn delete_database(name: &str) -> Result<(), StoreError> {
        Rexie::delete(name).await.map_err(err)
    }

    /// Moves layout-1 rows (one per record, one per change) into the grouped layout, all in one
    /// transaction.
    async fn migrate(&self) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[OLD_CHANGES, OLD_RECORDS, LOG, STATE], TransactionMode::ReadWrite).map_err(err)?;
        let result = async {
            let old_records = tx.store(OLD_RECORDS).map_err(err)?;
            let old_changes = tx.store(OLD_CHANGES).map_err(err)?;
            if old_records.count(None).await.map_err(err)? == 0 && old_changes.count(None).await.map_err(err)? == 0 {
                return Ok(());
            }
            let records =
                old_records.get_all(None, None).await.map_err(err)?.iter().map(|v| parse::<Record>(&text_of(&get(v, "j"))?)).collect::<Result<Vec<_>, _>>()?;
            let changes =
                old_changes.get_all(None, None).await.map_err(err)?.iter().map(|v| parse::<Change>(&text_of(&get(v, "j"))?)).collect::<Result<Vec<_>, _>>()?;
            let (changes, records): (Vec<_>, Vec<_>) = (changes.iter().map(StoredChange::of).collect(), records.iter().map(StoredRecord::of).collect());
            write(&tx, &changes, &records, put_slice_ms(self.turn_ms)).await?;
            old_records.clear().await.map_err(err)?;
            old_changes.clear().await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    /// Layout 2 → 4: the state's records are read (from maps of record id to text, or from
    /// bucket texts of the unreleased schema 3) and written again as bucket texts on their
    /// shelves, and the meta entry says so, all in one transaction. Opening a registry already
    /// at schema 4 reads only the meta entry.
    async fn text_buckets(&self) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[META, STATE], TransactionMode::ReadWrite).map_err(err)?;
        let result = async {
            let Some(mut meta) = read_meta(&tx).await? else { return Ok(()) };
            if meta.schema >= super::SCHEMA {
                return Ok(());
            }
            let state = tx.store(STATE).map_err(err)?;
            let mut stored = vec![];
            for row in state.get_all(None, None).await.map_err(err)? {
                if get(&row, "b").is_undefined() {
                    stored.extend(layout_2_records(&row)?);
                } else {
                    stored.extend(bucket::records(&row_text(&row)?)?);
                }
            }
            let mut puts = vec![];
            for ((shelf, b), rs) in by_bucket(&stored) {
                puts.push((state_row(&bucket_key(shelf, b), &bucket::rewrite("", &rs)?), None));
            }
            state.clear().await.map_err(err)?;
            if !puts.is_empty() {
                state.put_all(puts.into_iter()).await.map_err(err)?;
            }
            meta.schema = super::SCHEMA;
            tx.store(META).map_err(err)?.put(&meta_entry(&meta)?, None).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    /// Writes state rows in layout 2 (a map of id to text per bucket) and a schema-2 meta entry,
    /// as versions before this one stored them (for the migration test).
    #[doc(hidden)]
    pub async fn write_layout_2(&self, records: &[Record], meta: &Meta) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[STATE, META], TransactionMode::ReadWrite).map_err(err)?;
        let result = async {
            let mut by_bucket: BTreeMap<u32, Vec<&Record>> = BTreeMap::new();
            for r in records {
                by_bucket.entry(bucket_no(&r.id)).or_default().push(r);
            }
            let mut rows = vec![];
            for (b, rs) in by_bucket {
                let map = Map::new();
                for r in rs {
                    map.set(&JsValue::from_str(&r.id), &JsValue::from_str(&StoredRecord::of(r).text));
                }
                let o = Object::new();
                set(&o, "k", &JsValue::from_str(&bucket_key(CURRENT, b)));
                set(&o, "m", &map);
                rows.push((JsValue::from(o), None));
            }
            tx.store(STATE).map_err(err)?.put_all(rows.into_iter()).await.map_err(err)?;
            let old = Meta { schema: 2, ..meta.clone() };
            tx.store(META).map_err(err)?.put(&meta_entry(&old)?, None).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    /// State rows held as maps (layout 2) and as texts (layout 3), for the migration test.
    #[doc(hidden)]
    pub async fn bucket_forms(&self) -> Result<(usize, usize), StoreError> {
        let tx = self.db.transaction(&[STATE], TransactionMode::ReadOnly).map_err(err)?;
        let rows = tx.store(STATE).map_err(err)?.get_all(None, None).await.map_err(err)?;
        let texts = rows.iter().filter(|r| get(r, "b").is_instance_of::<Uint8Array>()).count();
        Ok((rows.len() - texts, texts))
    }

    /// The schema the stored meta entry names (for the migration test).
    #[doc(hidden)]
    pub async fn stored_schema(&self) -> Result<Option<u32>, StoreError> {
        let tx = self.db.transaction(&[META], TransactionMode::ReadOnly).map_err(err)?;
        Ok(read_meta(&tx).await?.map(|m| m.schema))
    }

    /// Writes rows in layout 1, as versions before issue 16 stored them (for the migration test).
    #[doc(hidden)]
    pub async fn write_layout_1(&self, changes: &[Change], records: &[Record], meta: &Meta) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[OLD_CHANGES, OLD_RECORDS, META], TransactionMode::ReadWrite).map_err(err)?;
        let row = |k: &str, r: Option<&str>, j: String| {
            let o = Object::new();
            set(&o, "k", &JsValue::from_str(k));
            if let Some(r) = r {
                set(&o, "r", &JsValue::from_str(r));
            }
            set(&o, "j", &JsValue::from_str(&j));
            (JsValue::from(o), None)
        };
        let result = async {
            let cs = changes
                .iter()
                .map(|c| serde_json::to_string(c).map(|j| row(&c.dot.key(), Some(&c.record), j)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(json_err)?;
            tx.store(OLD_CHANGES).map_err(err)?.put_all(cs.into_iter()).await.map_err(err)?;
            let rs = records.iter().map(|r| serde_json::to_string(r).map(|j| row(&r.id, None, j))).collect::<Result<Vec<_>, _>>().map_err(json_err)?;
            tx.store(OLD_RECORDS).map_err(err)?.put_all(rs.into_iter()).await.map_err(err)?;
            tx.store(META).map_err(err)?.put(&meta_entry(meta)?, None).await.map_err(err)?;
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    /// Loads the registry without its history (`DEFERRED`, read by `load_history`), reporting
    /// progress (groups of buckets read, and in all): a city's takes a second, and one task
    /// that long would freeze the tab.
    pub async fn load_current(&self, progress: impl Fn(usize, usize)) -> Result<Option<Registry>, StoreError> {
        let tx = self.db.transaction(&[META, STATE], TransactionMode::ReadOnly).map_err(err)?;
        let Some(meta) = read_meta(&tx).await? else { return Ok(None) };
        crate::trace::mark("rr:load-meta");
        let records = read_current(&tx, &progress).await?;
        crate::trace::mark("rr:load-parsed");
        Ok(Some(assemble(meta, records)))
    }

    /// The records `load_current` leaves out (the history), to add with `Records::absorb`. Read
    /// a group of buckets per transaction (the next asked for while one is parsed), with pauses
    /// in the parsing, since the page is on screen by now: nothing writes meanwhile (this tab
    /// refuses changes until the history is in, and another tab of the app only reads while
    /// this one holds the registry).
    pub async fn load_history(&self) -> Result<crate::sync::Records, StoreError> {
        let mut loader = Loader::new(super::KEPT_AS_TEXT);
        let group = |first: u32| async move {
            let tx = self.db.transaction(&[STATE], TransactionMode::ReadOnly).map_err(err)?;
            tx.store(STATE).map_err(err)?.get_all(Some(group_range(HISTORY, first, READ_BUCKETS)?), None).await.map_err(err)
        };
        let mut firsts = (0..BUCKETS).step_by(READ_BUCKETS as usize);
        let mut rows = match firsts.next() {
            Some(first) => group(first).await?,
            None => vec![],
        };
        loop {
            // The next group is asked for before this one is parsed, so storage reads it meanwhile
            // (a city's 16 groups waited on storage one after the other).
            let next = then_next(firsts.next().map(group));
            let parsed = async {
                // A pause after about a turn of parsing too: a group of a city's history rows
                // took up to 200 ms in one task on a slow run.
                let mut since = now_ms();
                for row in std::mem::take(&mut rows) {
                    bucket::load(&mut loader, &std::sync::Arc::new(row_text(&row)?))?;
                    if now_ms() - since > self.turn_ms {
                        pause_ms(0).await;
                        since = now_ms();
                    }
                }
                pause_ms(0).await;
                Ok::<_, StoreError>(())
            };
            let (next, parsed) = futures::future::join(next, parsed).await;
            parsed?;
            match next? {
                Some(r) => rows = r,
                None => break,
            }
        }
        let records = loader.finish_resting(|| pause_ms(0)).await;
        crate::trace::mark("rr:history-parsed");
        Ok(records)
    }

    /// The registry's meta with the records of its own office's bucket only (the office's
    /// record among them): what an export reads besides the change log. A city's start-up reads
    /// 140,000 records; this reads one bucket.
    pub async fn load_own_office(&self) -> Result<Option<Registry>, StoreError> {
        let tx = self.db.transaction(&[META, STATE], TransactionMode::ReadOnly).map_err(err)?;
        let Some(meta) = read_meta(&tx).await? else { return Ok(None) };
        let key = bucket_key(CURRENT, bucket_no(crate::sync::clock::office_of(&meta.me)));
        let mut loader = Loader::new(super::KEPT_AS_TEXT);
        if let Some(row) = tx.store(STATE).map_err(err)?.get(JsValue::from_str(&key)).await.map_err(err)?.filter(|v| !v.is_undefined()) {
            bucket::load(&mut loader, &std::sync::Arc::new(row_text(&row)?))?;
        }
        crate::trace::mark("rr:load-office");
        Ok(Some(assemble(meta, loader.finish())))
    }

    /// The whole registry, history included.
    pub async fn load_with(&self, progress: impl Fn(usize, usize)) -> Result<Option<Registry>, StoreError> {
        let Some(mut reg) = self.load_current(progress).await? else { return Ok(None) };
        reg.records.absorb(self.load_history().await?);
        Ok(Some(reg))
    }

    /// Rewrites every log row as versions before this one wrote it: its JSON as a string, its
    /// dots under "d" (indexed `by_dot`), for the test that such rows still read.
    #[doc(hidden)]
    pub async fn log_rows_as_before(&self) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[LOG], TransactionMode::ReadWrite).map_err(err)?;
        let log = tx.store(LOG).map_err(err)?;
        for row in log.get_all(None, None).await.map_err(err)? {
            let text = log_text(&row)?;
            set(row.unchecked_ref(), "j", &JsValue::from_str(&text));
            set(row.unchecked_ref(), "d", &array_of(row_dots(&row)?.iter().map(String::as_str)));
            set(row.unchecked_ref(), "r", &array_of(row_records(&row)?.iter().map(String::as_str)));
            let _ = Reflect::delete_property(row.unchecked_ref::<Object>(), &JsValue::from_str("e"));
            let _ = Reflect::delete_property(row.unchecked_ref::<Object>(), &JsValue::from_str("p"));
            log.put(&row, None).await.map_err(err)?;
        }
        finish(tx, Ok(())).await
    }

    /// Rewrites every log row as versions from "e" to "p" wrote them: the dot keys and each
    /// change's record as arrays, the records under "r", indexed (for tests).
    #[doc(hidden)]
    pub async fn log_rows_as_arrays(&self) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[LOG], TransactionMode::ReadWrite).map_err(err)?;
        let log = tx.store(LOG).map_err(err)?;
        for row in log.get_all(None, None).await.map_err(err)? {
            set(row.unchecked_ref(), "e", &array_of(row_dots(&row)?.iter().map(String::as_str)));
            set(row.unchecked_ref(), "r", &array_of(row_records(&row)?.iter().map(String::as_str)));
            let _ = Reflect::delete_property(row.unchecked_ref::<Object>(), &JsValue::from_str("p"));
            log.put(&row, None).await.map_err(err)?;
        }
        finish(tx, Ok(())).await
    }

    /// The key of the row `run_row` finds for `d` (for tests).
    #[doc(hidden)]
    pub async fn run_row_key(&self, d: &Dot) -> Result<Option<String>, StoreError> {
        let tx = self.db.transaction(&[LOG], TransactionMode::ReadOnly).map_err(err)?;
        Ok(run_row(&tx.store(LOG).map_err(err)?, d).await?.and_then(|row| get(&row, "k").as_string()))
    }

    /// How many offices' log rows `changes_at` has read whole, for tests.
    #[doc(hidden)]
    pub fn office_reads(&self) -> usize {
        self.office_reads.get()
    }

    /// Entries of the `by_dot` index (only rows written before "e" have them), for tests.
    #[doc(hidden)]
    pub async fn dots_indexed(&self) -> Result<u32, StoreError> {
        let tx = self.db.transaction(&[LOG], TransactionMode::ReadOnly).map_err(err)?;
        tx.store(LOG).map_err(err)?.index("by_dot").map_err(err)?.count(None).await.map_err(err)
    }

    /// The log rows the `by_record` index finds for `record` (for tests).
    #[doc(hidden)]
    pub async fn records_indexed(&self, record: &str) -> Result<u32, StoreError> {
        let tx = self.db.transaction(&[LOG], TransactionMode::ReadOnly).map_err(err)?;
        let range = KeyRange::only(&JsValue::from_str(record)).map_err(|e| err(e.into()))?;
        tx.store(LOG).map_err(err)?.index("by_record").map_err(err)?.count(Some(range)).await.map_err(err)
    }

    /// Log rows holding their JSON as bytes, and as a string (for tests).
    #[doc(hidden)]
    pub async fn log_forms(&self) -> Result<(usize, usize), StoreError> {
        let tx = self.db.transaction(&[LOG], TransactionMode::ReadOnly).map_err(err)?;
        let rows = tx.store(LOG).map_err(err)?.get_all(None, None).await.map_err(err)?;
        let bytes = rows.iter().filter(|r| get(r, "j").is_instance_of::<Uint8Array>()).count();
        Ok((bytes, rows.len() - bytes))
    }

    /// Rows held in each layout (log, state, layout-1 changes, layout-1 records), for tests.
    #[doc(hidden)]
    pub async fn row_counts(&self) -> Result<[u32; 4], StoreError> {
        let tx = self.db.transaction(&[LOG, STATE, OLD_CHANGES, OLD_RECORDS], TransactionMode::ReadOnly).map_err(err)?;
        let mut out = [0; 4];
        for (n, s) in [LOG, STATE, OLD_CHANGES, OLD_RECORDS].iter().enumerate() {
            out[n] = tx.store(s).map_err(err)?.count(None).await.map_err(err)?;
        }
        Ok(out)
    }
}

impl Store for IdbStore {
    async fn load(&self) -> Result<Option<Registry>, StoreError> {
        self.load_with(|_, _| {}).await
    }

    async fn load_for_export(&self) -> Result<Option<Registry>, StoreError> {
        self.load_own_office().await
    }

    async fn commit(&self, batch: &Batch) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[LOG, STATE, META], TransactionMode::ReadWrite).map_err(err)?;
        let result = async {
            write(&tx, &batch.changes, &batch.records, put_slice_ms(self.turn_ms)).await?;
            if let Some(m) = &batch.meta {
                tx.store(META).map_err(err)?.put(&meta_entry(m)?, None).await.map_err(err)?;
            }
            Ok(())
        }
        .await;
        finish(tx, result).await
    }

    async fn changes_for(&self, record: &str) -> Result<Vec<Change>, StoreError> {
        let tx = self.db.transaction(&[LOG], TransactionMode::ReadOnly).map_err(err)?;
        let idx = tx.store(LOG).map_err(err)?.index("by_record").map_err(err)?;
        let range = KeyRange::only(&JsValue::from_str(record)).map_err(|e| err(e.into()))?;
        let mut v = vec![];
        for row in idx.get_all(Some(range), None).await.map_err(err)? {
            v.extend(row_changes(&row)?.into_iter().filter(|c| c.record == record));
        }
        let mut v = dedup(v);
        v.lean_sort_by_key(|c| c.hlc());
        Ok(v)
    }

    async fn changes_at(&self, dots: &[Dot]) -> Result<Vec<Change>, StoreError> {
        let wanted: HashSet<&Dot> = dots.iter().collect();
        let tx = self.db.transaction(&[LOG], TransactionMode::ReadOnly).map_err(err)?;
        let store = tx.store(LOG).map_err(err)?;
        let mut rows = vec![];
        // Offices whose rows are all read: many ids (a file sent twice), or an id not found by key.
        let mut whole: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        if dots.len() <= LOOKUPS {
            let idx = store.index("by_dot").map_err(err)?;
            let mut seen = HashSet::new();
            for d in dots {
                let key = d.key();
                // Rows written before "e" are indexed by their dots; a newer one is the row whose
                // run starts at or before the id (keys order by office, then number).
                let mut row = idx.get(JsValue::from_str(&key)).await.map_err(err)?.filter(|v| !v.is_undefined());
                if row.is_none() {
                    row = run_row(&store, d).await?;
                }
                match row {
                    Some(row) if seen.insert(get(&row, "k").as_string().unwrap_or_default()) => rows.push(row),
                    Some(_) => {}
                    None => {
                        whole.insert(d.office.as_str());
                    }
                }
            }
        } else {
            whole.extend(dots.iter().map(|d| d.office.as_str()));
        }
        self.office_reads.set(self.office_reads.get() + whole.len());
        for o in whole {
            let range = KeyRange::bound(&JsValue::from_str(&format!("{o}:")), &JsValue::from_str(&format!("{o};")), None, None).map_err(|e| err(e.into()))?;
            rows.extend(store.get_all(Some(range), None).await.map_err(err)?);
        }
        let mut out = vec![];
        for row in &rows {
            // Only rows holding a wanted id are parsed.
            if row_dots(row)?.iter().any(|k| Dot::parse(k).is_some_and(|d| wanted.contains(&d))) {
                out.extend(row_changes(row)?.into_iter().filter(|c| wanted.contains(&c.dot)));
            }
        }
        Ok(dedup(out))
    }

    async fn all_changes(&self) -> Result<Vec<Change>, StoreError> {
        let tx = self.db.transaction(&[LOG], TransactionMode::ReadOnly).map_err(err)?;
        let rows = tx.store(LOG).map_err(err)?.get_all(None, None).await.map_err(err)?;
        let mut out = vec![];
        for row in &rows {
            out.extend(row_changes(row)?);
        }
        Ok(dedup(out))
    }

    async fn all_change_texts(&self) -> Result<Vec<StoredChange>, StoreError> {
        let tx = self.db.transaction(&[LOG], TransactionMode::ReadOnly).map_err(err)?;
        let rows = tx.store(LOG).map_err(err)?.get_all(None, None).await.map_err(err)?;
        let mut out = vec![];
        let mut seen = HashSet::new();
        for row in &rows {
            let (keys, records, text) = (row_dots(row)?, row_records(row)?, log_text(row)?);
            let json = crate::sync::jsonscan::array_elements(&text).filter(|j| j.len() == keys.len() && j.len() == records.len());
            let json = json.ok_or_else(|| unreadable("log row"))?;
            for ((k, record), j) in keys.iter().zip(records).zip(json) {
                let dot = Dot::parse(k).ok_or_else(|| unreadable("log row"))?;
                if seen.insert(dot.clone()) {
                    out.push(StoredChange { dot, record, json: j.to_string() });
                }
            }
        }
        Ok(out)
    }

    fn sha256_beside(&self, len: usize, parts: &mut dyn Iterator<Item = &[u8]>) -> Option<crate::sync::pace::Beside> {
        sha256_beside(len, parts)
    }

    async fn pause(&self) {
        pause_ms(0).await
    }

    fn now_ms(&self) -> f64 {
        now_ms()
    }

    fn turn_ms(&self) -> f64 {
        self.turn_ms
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[LOG, STATE, META, OLD_CHANGES, OLD_RECORDS], TransactionMode::ReadWrite).map_err(err)?;
        for s in [LOG, STATE, META, OLD_CHANGES, OLD_RECORDS] {
            tx.store(s).map_err(err)?.clear().await.map_err(err)?;
        }
        tx.done().await.map_err(err)?;
        Ok(())
    }
}
