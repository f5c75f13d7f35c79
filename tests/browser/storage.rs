//! The IndexedDB store in a real browser (wasm-bindgen-test, headless Chromium).
#![cfg(target_arch = "wasm32")]

use reform_registry::domain::ops::{save_item, setup_office};
use reform_registry::domain::{Office, ReformItem};
use reform_registry::storage::idb::IdbStore;
use reform_registry::storage::{Pending, Store};
use reform_registry::sync::Registry;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn item(t: &str) -> ReformItem {
    ReformItem { title: t.into(), year: 2022, lead_unit: "县住建局".into(), ..Default::default() }
}

async fn fresh(name: &str) -> IdbStore {
    IdbStore::delete_database(name).await.unwrap();
    IdbStore::open(name).await.unwrap()
}

#[wasm_bindgen_test]
async fn empty_database_loads_as_none() {
    let s = fresh("t-empty").await;
    assert!(s.load().await.unwrap().is_none());
}

#[wasm_bindgen_test]
async fn registry_survives_reopening() {
    let s = fresh("t-reopen").await;
    let mut reg = Registry::new("officeA");
    let mut p = Pending::default();
    p.add(&[setup_office(&mut reg, 1, &Office { name: "开江县委改革办".into(), ..Default::default() }, "").unwrap()]);
    p.flush(&s, &reg).await.unwrap();
    let mut ids = vec![];
    for n in 0..30 {
        let (id, c) = save_item(&mut reg, 10 + n, None, &item(&format!("微改革{n}")), "唐寒").unwrap();
        ids.push(id);
        p.add(&[c.unwrap()]);
        p.flush(&s, &reg).await.unwrap();
    }
    let mut e = item("微改革0");
    e.goal = "新的目标".into();
    p.add(&[save_item(&mut reg, 100, Some(&ids[0]), &e, "唐寒").unwrap().1.unwrap()]);
    p.flush(&s, &reg).await.unwrap();
    drop(s);

    let s = IdbStore::open("t-reopen").await.unwrap();
    let loaded = s.load().await.unwrap().unwrap();
    assert_eq!(loaded, reg);
    let h = s.changes_for(&ids[0]).await.unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].set.keys().collect::<Vec<_>>(), vec!["goal"]);
    assert_eq!(s.all_changes().await.unwrap().len(), 32);
    s.clear().await.unwrap();
    assert!(s.load().await.unwrap().is_none());
}
