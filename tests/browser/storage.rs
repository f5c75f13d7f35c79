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

/// An office holding `n` items made in one action (one batch), stored.
async fn office_with_items(db: &str, id: &str, name: &str, n: usize, prefix: &str) -> (S, Vec<String>) {
    let s = office(db, id, name).await;
    let ids = s.act(&at(1), |tx| (0..n).map(|k| ops::save_item_adding_names(tx, None, &item(&format!("{prefix}{k}")))).collect::<Result<Vec<_>, _>>()).unwrap();
    s.flush().await.unwrap();
    (s, ids)
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
async fn monthly_reports_stay_stored_text_until_read_and_a_correction_is_stored() {
    use reform_registry::domain::monthly::{self, Month, Report};
    let (s, ids) = office_with_items("t-reports", "officeA", "开江县委改革办", 3, "事项").await;
    let rep = |t: &str| Report { done: t.into(), percent: Some(40.0), ..Default::default() };
    s.act(&at(5), |tx| {
        for id in &ids {
            for m in 1..=10 {
                monthly::file_report(tx, id, Month { year: 2023, month: m }, &rep(&format!("{m}月完成")))?;
            }
        }
        Ok(())
    })
    .unwrap();
    s.flush().await.unwrap();
    let mem = reg(&s);
    // The reports' changes are stored and exported, but not indexed by record (no screen reads a
    // report's change history); the items' are.
    let reports: Vec<String> = mem.records.ids_of(coll::REPORT);
    assert_eq!(reports.len(), 30);
    for r in &reports {
        assert_eq!(s.store.records_indexed(r).await.unwrap(), 0, "{r}");
    }
    assert_eq!(s.store.records_indexed(&ids[0]).await.unwrap(), 1);
    assert_eq!(s.store.changes_for(&ids[0]).await.unwrap().len(), 1);
    let texts = s.store.all_change_texts().await.unwrap();
    assert_eq!(texts.len(), 2 + 3 + 30);
    assert_eq!(texts.iter().filter(|c| reports.contains(&c.record)).count(), 30, "each change with its own record");
    assert_eq!(texts, s.store.all_changes().await.unwrap().iter().map(reform_registry::sync::StoredChange::of).collect::<Vec<_>>());
    drop(s);

    let store = Rc::new(IdbStore::open("t-reports").await.unwrap());
    // Start-up reads the registry without the reports, then the reports apart.
    let mut first = store.load_current(|_, _| {}).await.unwrap().unwrap();
    assert!(first.records.ids_of(coll::REPORT).is_empty(), "no report read before the first screen");
    assert_eq!(first.records.ids_of(coll::ITEM), mem.records.ids_of(coll::ITEM));
    let history = store.load_history().await.unwrap();
    assert_eq!(history.len(), 30);
    first.records.absorb(history);
    assert_eq!(first, mem, "the two together are the registry");
    let loaded = store.load().await.unwrap().unwrap();
    assert_eq!(loaded.records.unparsed(), 33, "every report and item is kept as text at start");
    assert_eq!(monthly::reports_of(&loaded, &ids[1]).len(), 10);
    assert_eq!(loaded.records.unparsed(), 23, "reading one item's history reads only its reports");
    assert_eq!(loaded, mem, "and every record reads as it was stored");
    // A correction to a report read from text is stored and read back.
    let s: S = Session::new(RefCell::new(None), store.clone());
    s.start(store.load().await.unwrap().unwrap(), &at(6), |_| Ok(())).unwrap();
    let m = Month { year: 2023, month: 3 };
    assert!(s.act(&at(7), |tx| monthly::correct_report(tx, &ids[0], m, &rep("改正"))).unwrap());
    s.flush().await.unwrap();
    let again = store.load().await.unwrap().unwrap();
    assert_eq!(monthly::report_for(&again, &ids[0], m).unwrap().done, "改正");
    assert_eq!(again, reg(&s));
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

/// Layout 2 groups rows: a batch longer than one log row, history and look-up by id across rows,
/// through the index (few ids) and through the office's rows (many).
#[wasm_bindgen_test]
async fn a_long_batch_spans_log_rows_and_is_found_by_record_and_by_id() {
    let (s, ids) = office_with_items("t-long", "dezhou", "德州市委改革办", 1200, "事项").await;
    let mem = reg(&s);
    let [log_rows, state_rows, _, _] = s.store.row_counts().await.unwrap();
    assert!((2..10).contains(&log_rows), "{log_rows} log rows for 1,202 changes");
    assert!(state_rows <= 256, "{state_rows} record buckets");
    assert_eq!(s.store.all_changes().await.unwrap().len(), 1202, "the office, the unit and 1,200 items");
    assert_eq!(s.store.load().await.unwrap().unwrap(), mem);
    let last = s.store.changes_for(&ids[1199]).await.unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].record, ids[1199]);
    // Ids are found by the key of the row whose run holds them, not through an index; one not
    // held sends the lookup to its office's rows.
    assert_eq!(s.store.dots_indexed().await.unwrap(), 0, "no index entry per change");
    let few: Vec<Dot> = (1100..1110).map(|n| Dot::new("dezhou", n)).collect();
    assert_eq!(s.store.changes_at(&few).await.unwrap().len(), 10);
    let first_and_last = [Dot::new("dezhou", 1), Dot::new("dezhou", 1001), Dot::new("dezhou", 1002), Dot::new("dezhou", 1202)];
    let got = s.store.changes_at(&first_and_last).await.unwrap();
    assert_eq!(got.iter().map(|c| c.dot.seq).collect::<std::collections::BTreeSet<_>>(), [1, 1001, 1002, 1202].into());
    assert_eq!(s.store.office_reads(), 0, "ids it holds are found by their rows' keys");
    let unheld = [Dot::new("dezhou", 1105), Dot::new("dezhou", 5000), Dot::new("other", 3)];
    assert_eq!(s.store.changes_at(&unheld).await.unwrap().len(), 1);
    assert_eq!(s.store.office_reads(), 2, "an id not held: its office's rows are read");
    // Rows as written: the office's first change (its own flush), then runs of 1,000 from 2.
    let row_of = |n: u64| Dot::new("dezhou", n);
    assert_eq!(s.store.run_row_key(&row_of(1)).await.unwrap(), Some(row_of(1).key()));
    assert_eq!(s.store.run_row_key(&row_of(2)).await.unwrap(), Some(row_of(2).key()));
    assert_eq!(s.store.run_row_key(&row_of(1001)).await.unwrap(), Some(row_of(2).key()), "the end of a run");
    assert_eq!(s.store.run_row_key(&row_of(1002)).await.unwrap(), Some(row_of(1002).key()), "the start of the next");
    assert_eq!(s.store.run_row_key(&row_of(1202)).await.unwrap(), Some(row_of(1002).key()));
    assert_eq!(s.store.run_row_key(&row_of(1203)).await.unwrap(), None, "past the last run");
    let many: Vec<Dot> = (1..=1300).map(|n| Dot::new("dezhou", n)).collect();
    let got = s.store.changes_at(&many).await.unwrap();
    assert_eq!(got.len(), 1202);
    // An edit rewrites its record's bucket only; the registry reads back the same.
    let mut e = item("事项7");
    e.goal = "改后".into();
    s.act(&at(2), |tx| ops::save_item_adding_names(tx, Some(&ids[7]), &e)).unwrap();
    s.flush().await.unwrap();
    assert_eq!(s.store.load().await.unwrap().unwrap(), reg(&s));
    assert_eq!(s.store.changes_for(&ids[7]).await.unwrap().len(), 2);
    // The log as stored is each change's canonical JSON (an export copies it unparsed), and the
    // file an export writes from it is the one written from the parsed log.
    let texts = s.store.all_change_texts().await.unwrap();
    let parsed = s.store.all_changes().await.unwrap();
    assert_eq!(texts.len(), 1203);
    assert_eq!(texts, parsed.iter().map(reform_registry::sync::StoredChange::of).collect::<Vec<_>>());
    let r = reg(&s);
    assert_eq!(
        reform_registry::sync::bundle::export_text(&r, "德州市委改革办", None, &texts, None, 1_700_000_000_000).2,
        reform_registry::sync::bundle::to_text(&reform_registry::sync::bundle::export(&r, "德州市委改革办", None, &parsed, None, 1_700_000_000_000))
    );
}

/// A registry stored by an earlier version (one row per record and per change) is moved into
/// the grouped layout when the database is opened, and reads back the same.
#[wasm_bindgen_test]
async fn a_layout_1_registry_is_migrated_on_first_start() {
    let (s, ids) = office_with_items("t-mig-src", "kaijiang", "开江县委改革办", 40, "微改革").await;
    let mem = reg(&s);
    let changes = s.store.all_changes().await.unwrap();
    let records: Vec<_> = mem.records.values().cloned().collect();

    let old = fresh("t-mig").await;
    old.write_layout_1(&changes, &records, &reform_registry::storage::Meta::of(&mem)).await.unwrap();
    assert_eq!(old.row_counts().await.unwrap()[2..], [changes.len() as u32, records.len() as u32]);
    drop(old);

    let store = IdbStore::open("t-mig").await.unwrap();
    let [log_rows, state_rows, old_changes, old_records] = store.row_counts().await.unwrap();
    assert_eq!((old_changes, old_records), (0, 0), "layout-1 rows are moved, not copied");
    assert!(log_rows >= 1 && state_rows >= 1);
    assert_eq!(store.load().await.unwrap().unwrap(), mem);
    assert_eq!(store.all_changes().await.unwrap().len(), changes.len());
    assert_eq!(store.changes_for(&ids[3]).await.unwrap(), s.store.changes_for(&ids[3]).await.unwrap());
    // Opening again finds nothing left to move.
    drop(store);
    let again = IdbStore::open("t-mig").await.unwrap();
    assert_eq!(again.load().await.unwrap().unwrap(), mem);
}

/// A registry stored by the previous version (each bucket a map of record id to text) is
/// rewritten as bucket texts when the database is opened, and reads back the same before and after.
#[wasm_bindgen_test]
async fn a_layout_2_registry_is_rewritten_as_bucket_texts_on_first_start() {
    use reform_registry::domain::monthly::{self, Month, Report};
    let (s, ids) = office_with_items("t-mig2-src", "kaijiang", "开江县委改革办", 40, "微改革").await;
    let rep = Report { done: "完成".into(), percent: Some(40.0), ..Default::default() };
    s.act(&at(5), |tx| ids.iter().take(10).try_for_each(|id| monthly::file_report(tx, id, Month { year: 2023, month: 5 }, &rep))).unwrap();
    s.flush().await.unwrap();
    let mem = reg(&s);
    let records: Vec<_> = mem.records.values().cloned().collect();
    let old = fresh("t-mig2").await;
    old.write_layout_2(&records, &reform_registry::storage::Meta::of(&mem)).await.unwrap();
    let (maps, texts) = old.bucket_forms().await.unwrap();
    assert!(maps >= 20 && texts == 0, "{maps} maps, {texts} texts");
    assert_eq!(old.stored_schema().await.unwrap(), Some(2));
    assert_eq!(old.load().await.unwrap().unwrap(), mem, "layout-2 rows are read as they are");
    drop(old);

    let store = IdbStore::open("t-mig2").await.unwrap();
    let (maps_after, texts_after) = store.bucket_forms().await.unwrap();
    assert!(
        maps_after == 0 && texts_after > maps,
        "every bucket rewritten as text, the reports on a shelf of their own: {maps_after} maps, {texts_after} texts"
    );
    let first = store.load_current(|_, _| {}).await.unwrap().unwrap();
    assert!(first.records.ids_of(coll::REPORT).is_empty() && first.records.ids_of(coll::ITEM).len() == 40, "the reports moved to the history shelf");
    assert_eq!(store.stored_schema().await.unwrap(), Some(reform_registry::storage::SCHEMA));
    assert_eq!(store.load().await.unwrap().unwrap(), mem);
    // A record written afterwards replaces its line and leaves its bucket's others as they were.
    let mut next = mem.clone();
    let stamp = at(1_700_000_500_000);
    let title = item("改过的标题");
    reform_registry::domain::tx::run(&mut next, &stamp, |tx| ops::save_item(tx, Some(&ids[5]), &title).map(|_| ())).unwrap();
    let batch = reform_registry::storage::Batch {
        changes: vec![],
        records: vec![reform_registry::storage::StoredRecord::of(&next.records[ids[5].as_str()])],
        meta: Some(reform_registry::storage::Meta::of(&next)),
    };
    store.commit(&batch).await.unwrap();
    drop(store);
    let again = IdbStore::open("t-mig2").await.unwrap();
    assert_eq!(again.load().await.unwrap().unwrap().records, next.records);
}

/// A tab that does not hold the registry only connects: a registry in an earlier layout is read
/// as it is and left so (a tab of an earlier version may still be writing it), until the tab
/// holding it upgrades.
#[wasm_bindgen_test]
async fn a_tab_that_only_connects_leaves_an_earlier_layout_as_it_is() {
    let (s, _) = office_with_items("t-mig3-src", "kaijiang", "开江县委改革办", 12, "微改革").await;
    let mem = reg(&s);
    let records: Vec<_> = mem.records.values().cloned().collect();
    let old = fresh("t-mig3").await;
    old.write_layout_2(&records, &reform_registry::storage::Meta::of(&mem)).await.unwrap();
    let (maps, _) = old.bucket_forms().await.unwrap();
    drop(old);

    let reader = IdbStore::connect("t-mig3").await.unwrap();
    assert_eq!(reader.bucket_forms().await.unwrap(), (maps, 0), "nothing moved by connecting");
    assert_eq!(reader.stored_schema().await.unwrap(), Some(2));
    assert_eq!(reader.load().await.unwrap().unwrap(), mem, "read as it is");
    assert_eq!(reader.bucket_forms().await.unwrap(), (maps, 0), "nor by reading");
    reader.upgrade().await.unwrap();
    assert_eq!(reader.bucket_forms().await.unwrap().0, 0, "moved once the holder upgrades");
    assert_eq!(reader.load().await.unwrap().unwrap(), mem);
}

#[wasm_bindgen_test]
async fn the_exchange_workers_export_reads_its_office_alone_and_makes_the_same_file() {
    use reform_registry::app::exchange::job::{self, Reply};
    use reform_registry::domain::monthly::{self, Month, Report};
    use reform_registry::i18n::Lang;
    let (s, ids) = office_with_items("t-export", "officeA", "开江县委改革办", 2, "事项").await;
    s.act(&at(5), |tx| monthly::file_report(tx, &ids[0], Month { year: 2023, month: 4 }, &Report { done: "四月".into(), ..Default::default() }).map(|_| ()))
        .unwrap();
    s.flush().await.unwrap();
    let store = Rc::new(IdbStore::open("t-export").await.unwrap());
    // The worker reads the meta and its own office's bucket only (no report, at most one item
    // of the two), yet its file carries every change, the report's included.
    let read = store.load_for_export().await.unwrap().unwrap();
    assert!(read.records.ids_of(coll::REPORT).is_empty());
    assert!(read.records.ids_of(coll::ITEM).len() < 2);
    assert_eq!(ops::my_office(&read).unwrap().name, "开江县委改革办");
    assert_eq!(read.vv, reg(&s).vv);
    let page = s.export(None, false, 1_700_000_100_000).await.unwrap();
    let (reply, text) = job::export(store, None, false, 1_700_000_100_000, Lang::Zh).await;
    assert_eq!(reply, Reply::Exported { name: page.name, changes: page.changes });
    assert_eq!(text.unwrap(), page.text);
    // Both digests were the browser's: the file is the one the digest worked out in wasm makes.
    let log = IdbStore::open("t-export").await.unwrap().all_change_texts().await.unwrap();
    let here = reform_registry::sync::bundle::export_text(&reg(&s), "开江县委改革办", None, &log, None, 1_700_000_100_000).2;
    assert_eq!(page.text, here);
}

#[wasm_bindgen_test]
async fn log_rows_written_by_earlier_versions_still_read() {
    let (s, ids) = office_with_items("t-strings", "officeA", "开江县委改革办", 3, "事项").await;
    s.act(&at(2), |tx| ops::save_item(tx, Some(&ids[1]), &item("事项1（改）"))).unwrap();
    s.flush().await.unwrap();
    let store = Rc::new(IdbStore::open("t-strings").await.unwrap());
    let (history, log, file) =
        (store.changes_for(&ids[1]).await.unwrap(), store.all_change_texts().await.unwrap(), s.export(None, false, 1_700_000_100_000).await.unwrap().text);
    assert_eq!(history.len(), 2, "made, then edited");
    let (bytes, strings) = store.log_forms().await.unwrap();
    assert!(bytes > 0 && strings == 0, "written as bytes: {bytes} {strings}");
    assert_eq!(store.dots_indexed().await.unwrap(), 0);
    // Rows as the versions before "p" wrote them: lists as arrays, each change's record indexed.
    let dots: Vec<Dot> = log.iter().map(|c| c.dot.clone()).collect();
    store.log_rows_as_arrays().await.unwrap();
    assert_eq!(store.changes_for(&ids[1]).await.unwrap(), history);
    assert_eq!(store.all_change_texts().await.unwrap(), log);
    assert_eq!(store.changes_at(&dots).await.unwrap().len(), log.len(), "found by their rows' keys");
    assert_eq!(store.office_reads(), 0);
    assert_eq!(s.export(None, false, 1_700_000_100_000).await.unwrap().text, file);
    store.log_rows_as_before().await.unwrap();
    assert_eq!(store.log_forms().await.unwrap(), (0, bytes), "every row now a string");
    assert_eq!(store.dots_indexed().await.unwrap() as usize, log.len(), "each change indexed by its id, as before");
    assert_eq!(store.changes_at(&dots).await.unwrap().len(), log.len(), "found through the index");
    assert_eq!(store.changes_for(&ids[1]).await.unwrap(), history);
    assert_eq!(store.all_change_texts().await.unwrap(), log);
    assert_eq!(store.all_changes().await.unwrap().len(), log.len());
    assert_eq!(s.export(None, false, 1_700_000_100_000).await.unwrap().text, file);
    // And a store after them writes bytes again, beside the string rows.
    s.act(&at(3), |tx| ops::save_item(tx, Some(&ids[2]), &item("事项2（改）"))).unwrap();
    s.flush().await.unwrap();
    assert_eq!(store.changes_for(&ids[2]).await.unwrap().len(), 2);
    assert_eq!(store.log_forms().await.unwrap(), (1, bytes), "the new row as bytes, beside them");
    assert_eq!(store.dots_indexed().await.unwrap() as usize, log.len(), "the new row's id is not indexed");
    let all: Vec<Dot> = store.all_change_texts().await.unwrap().iter().map(|c| c.dot.clone()).collect();
    assert_eq!(store.changes_at(&all).await.unwrap().len(), log.len() + 1, "old rows by the index, the new one by its key");
    assert_eq!(store.load().await.unwrap().unwrap(), reg(&s));
}

/// The file digest the exchange worker has the browser work out beside the parse is SHA-256 of
/// the parts joined (what `sync::bundle` would work out itself).
#[wasm_bindgen_test]
async fn the_browsers_digest_beside_the_parse_is_the_sha256_of_the_parts_joined() {
    use sha2::Digest;
    // Parts shorter and longer than the megabyte it copies out at a time.
    let long: Vec<u8> = (0..2_500_000u32).map(|n| (n % 251) as u8).collect();
    let mid = vec![7u8; 700_000];
    let parts: [&[u8]; 6] = [b"{\"body\":", "[中文,".as_bytes(), &mid, &long, &mid, b"]}"];
    let len = parts.iter().map(|p| p.len()).sum();
    let got = reform_registry::storage::idb::sha256_beside(len, &mut parts.iter().copied()).expect("the browser has a digest").await;
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update(p);
    }
    let want: [u8; 32] = h.finalize().into();
    assert_eq!(got, Some(want));
    let none = reform_registry::storage::idb::sha256_beside(0, &mut std::iter::empty()).expect("the browser has a digest").await;
    assert_eq!(none, Some(sha2::Sha256::digest(b"").into()));
    // Parts that are not the length said: no digest (the caller hashes them itself).
    assert!(reform_registry::storage::idb::sha256_beside(len - 1, &mut parts.iter().copied()).is_none());
    assert!(reform_registry::storage::idb::sha256_beside(len + 1, &mut parts.iter().copied()).is_none());
}
