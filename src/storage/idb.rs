//! IndexedDB store (browser only), through the `rexie` crate.
//!
//! Object stores: `changes` (key = dot key, index `by_record`), `records` (key = record id),
//! `meta` (one entry). Values are small objects holding the key fields and the JSON text,
//! which keeps the stored form identical to the exchange format and cheap to (de)serialise.

use super::{assemble, Batch, Meta, Store, StoreError};
use crate::sync::{Change, Record, Registry};
use js_sys::{Object, Reflect};
use rexie::{Index, KeyRange, ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

const CHANGES: &str = "changes";
const RECORDS: &str = "records";
const META: &str = "meta";

pub struct IdbStore {
    db: Rexie,
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

fn entry(fields: &[(&str, &str)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o.into()
}

fn json_of(v: &JsValue) -> Result<String, StoreError> {
    Reflect::get(v, &JsValue::from_str("j")).ok().and_then(|j| j.as_string()).ok_or_else(|| StoreError::Other("stored entry without JSON".into()))
}

fn parse<T: serde::de::DeserializeOwned>(v: &JsValue) -> Result<T, StoreError> {
    serde_json::from_str(&json_of(v)?).map_err(|e| StoreError::Other(format!("stored data unreadable: {e}")))
}

impl IdbStore {
    /// Opens (creating on first use) the database named `name`.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        let db = Rexie::builder(name)
            .version(1)
            .add_object_store(ObjectStore::new(CHANGES).key_path("k").add_index(Index::new("by_record", "r")))
            .add_object_store(ObjectStore::new(RECORDS).key_path("k"))
            .add_object_store(ObjectStore::new(META).key_path("k"))
            .build()
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(IdbStore { db })
    }

    pub async fn delete_database(name: &str) -> Result<(), StoreError> {
        Rexie::delete(name).await.map_err(err)
    }
}

impl Store for IdbStore {
    async fn load(&self) -> Result<Option<Registry>, StoreError> {
        let tx = self.db.transaction(&[META, RECORDS], TransactionMode::ReadOnly).map_err(err)?;
        let meta = tx.store(META).map_err(err)?.get(JsValue::from_str("meta")).await.map_err(err)?;
        let Some(meta) = meta.filter(|m| !m.is_undefined()) else { return Ok(None) };
        let meta: Meta = parse(&meta)?;
        let all = tx.store(RECORDS).map_err(err)?.get_all(None, None).await.map_err(err)?;
        let records = all.iter().map(parse::<Record>).collect::<Result<Vec<_>, _>>()?;
        Ok(Some(assemble(meta, records)))
    }

    async fn commit(&self, batch: &Batch) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[CHANGES, RECORDS, META], TransactionMode::ReadWrite).map_err(err)?;
        let result: Result<(), StoreError> = async {
            // Every put of the batch is issued at once and only the last is awaited (a request
            // that fails aborts the transaction, which `done` reports): an import of thousands
            // of changes no longer waits for the event loop once per record.
            let change_rows = batch
                .changes
                .iter()
                .map(|c| serde_json::to_string(c).map(|j| (entry(&[("k", &c.dot.key()), ("r", &c.record), ("j", &j)]), None)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(json_err)?;
            tx.store(CHANGES).map_err(err)?.put_all(change_rows.into_iter()).await.map_err(err)?;
            let record_rows = batch
                .records
                .iter()
                .map(|r| serde_json::to_string(r).map(|j| (entry(&[("k", &r.id), ("j", &j)]), None)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(json_err)?;
            tx.store(RECORDS).map_err(err)?.put_all(record_rows.into_iter()).await.map_err(err)?;
            if let Some(m) = &batch.meta {
                let j = serde_json::to_string(m).map_err(json_err)?;
                tx.store(META).map_err(err)?.put(&entry(&[("k", "meta"), ("j", &j)]), None).await.map_err(err)?;
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            // Nothing of a failed batch may stay behind.
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

    async fn changes_for(&self, record: &str) -> Result<Vec<Change>, StoreError> {
        let tx = self.db.transaction(&[CHANGES], TransactionMode::ReadOnly).map_err(err)?;
        let idx = tx.store(CHANGES).map_err(err)?.index("by_record").map_err(err)?;
        let range = KeyRange::only(&JsValue::from_str(record)).map_err(|e| err(e.into()))?;
        let all = idx.get_all(Some(range), None).await.map_err(err)?;
        let mut v = all.iter().map(parse::<Change>).collect::<Result<Vec<_>, _>>()?;
        v.sort_by_key(|c| c.hlc());
        Ok(v)
    }

    async fn changes_at(&self, dots: &[crate::sync::Dot]) -> Result<Vec<Change>, StoreError> {
        let tx = self.db.transaction(&[CHANGES], TransactionMode::ReadOnly).map_err(err)?;
        let store = tx.store(CHANGES).map_err(err)?;
        let mut out = Vec::with_capacity(dots.len());
        for d in dots {
            if let Some(v) = store.get(JsValue::from_str(&d.key())).await.map_err(err)?.filter(|v| !v.is_undefined()) {
                out.push(parse::<Change>(&v)?);
            }
        }
        Ok(out)
    }

    async fn all_changes(&self) -> Result<Vec<Change>, StoreError> {
        let tx = self.db.transaction(&[CHANGES], TransactionMode::ReadOnly).map_err(err)?;
        let all = tx.store(CHANGES).map_err(err)?.get_all(None, None).await.map_err(err)?;
        all.iter().map(parse::<Change>).collect()
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let tx = self.db.transaction(&[CHANGES, RECORDS, META], TransactionMode::ReadWrite).map_err(err)?;
        for s in [CHANGES, RECORDS, META] {
            tx.store(s).map_err(err)?.clear().await.map_err(err)?;
        }
        tx.done().await.map_err(err)?;
        Ok(())
    }
}
