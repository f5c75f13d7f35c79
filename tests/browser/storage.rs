//! The IndexedDB store in a real browser (wasm-bindgen-test, headless Chromium), driven through
//! the application layer's session — the same act → flush path the screens use.
#![cfg(target_arch = "wasm32")]

use reform_registry::app::exchange::Incoming;
use reform_registry::app::{Holder, Session};
use reform_registry::domain::model::coll;
use reform_registry::domain::ops;
use reform_registry::domain::tx::Stamp;
use reform_registry::domain::{Office, ReformItem};
use reform_registry::storage::idb::IdbStore;
use reform_registry::storage::Store;
use reform_registry::sync::{Dot, Registry};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

type S = Session<RefCell<Option<Registry>>, IdbStore>;

fn item(t: &str) -> ReformItem {
    ReformItem { title: t.into(), year: 2022, lead_unit: "县住建局".into(), ..Default::default() }
}

fn at(ms: i64) -> Stamp {
    Stamp::new(1_700_000_000_000 + ms, chrono::NaiveDate::from_ymd_opt(2023, 11, 14).unwrap(), "唐寒")
}

async fn fresh(name: &str) -> IdbStore {
    IdbStore::delete_database(name).await.unwrap();
    IdbStore::open(name).await.unwrap()
}

async fn office(db: &str, id: &str, name: &str) -> S {
    let s: S = Session::new(RefCell::new(None), Rc::new(fresh(db).await));
    s.start(Registry::new(id), &at(0), |tx| ops::setup_office(tx, &Office { name: name.into(), ..Default::default() })).unwrap();
    s.flush().await.unwrap();
    s
}

fn reg(s: &S) -> Registry {
    s.reg.read(|r| r.clone()).unwrap()
}

#[wasm_bindgen_test]
async fn empty_database_loads_as_none() {
    let s = fresh("t-empty").await;
    assert!(s.load().await.unwrap().is_none());
}

#[wasm_bindgen_test]
async fn registry_survives_reopening() {
    let s = office("t-reopen", "officeA", "开江县委改革办").await;
    let mut ids = vec![];
    for n in 0..30 {
        ids.push(s.act(&at(10 + n), |tx| ops::save_item_adding_names(tx, None, &item(&format!("微改革{n}")))).unwrap());
        s.flush().await.unwrap();
    }
    let mut e = item("微改革0");
    e.goal = "新的目标".into();
    s.act(&at(100), |tx| ops::save_item_adding_names(tx, Some(&ids[0]), &e)).unwrap();
    // Saving again with nothing changed records nothing.
    s.act(&at(101), |tx| ops::save_item_adding_names(tx, Some(&ids[0]), &e)).unwrap();
    assert_eq!(s.pending_len(), 1);
    assert_eq!(s.flush().await.unwrap(), 0);
    let mem = reg(&s);
    drop(s);

    let store = IdbStore::open("t-reopen").await.unwrap();
    let loaded = store.load().await.unwrap().unwrap();
    assert_eq!(loaded, mem);
    let h = store.changes_for(&ids[0]).await.unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].set.keys().collect::<Vec<_>>(), vec!["goal"]);
    // The office, the unit the first item added, 30 items and one edit.
    assert_eq!(store.all_changes().await.unwrap().len(), 33);
    // Held changes are found by key; ids not held are left out.
    let got = store.changes_at(&[Dot::new("officeA", 3), Dot::new("officeA", 999)]).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].record, ids[0]);
    store.clear().await.unwrap();
    assert!(store.load().await.unwrap().is_none());
}

#[wasm_bindgen_test]
async fn files_exchange_through_indexeddb_and_a_refused_file_changes_nothing() {
    let a = office("t-a", "kaijiang", "开江县委改革办").await;
    let b = office("t-b", "pingyuan", "平原县委改革办").await;
    a.act(&at(1), |tx| ops::save_item_adding_names(tx, None, &item("物业智囊团"))).unwrap();
    a.flush().await.unwrap();
    let text = a.export(Some("pingyuan"), false, 1_700_000_100_000).await.unwrap().text;
    let stored_before = b.store.all_changes().await.unwrap().len();
    let mem = reg(&b);
    assert!(b.read_file(&text.replacen("物业智囊团", "伪造", 1), 1_700_000_100_000).await.is_err());
    assert_eq!(reg(&b), mem);
    assert_eq!(b.store.all_changes().await.unwrap().len(), stored_before);
    match b.read_file(&text, 1_700_000_100_000).await.unwrap() {
        Incoming::Preview(p) => assert_eq!(b.apply(&p).unwrap(), 3, "office, unit and item"),
        Incoming::NothingNew => panic!("the file has news"),
    }
    b.flush().await.unwrap();
    let loaded = b.store.load().await.unwrap().unwrap();
    assert_eq!(loaded, reg(&b));
    assert_eq!(loaded.live(coll::ITEM).count(), 1);
}
