use super::exchange::Incoming;
use super::*;
use crate::domain::model::{coll, from_record};
use crate::domain::review::{self, ExpertScore, HighlightScore, PilotLead, Survey};
use crate::domain::{ops, Indicator, Office, PilotLevel, ReformItem, Status};
use crate::storage::block_on;
use crate::storage::memory::MemoryStore;
use chrono::NaiveDate;

pub(super) type S = Session<RefCell<Option<Registry>>, MemoryStore>;

/// After the ownership rule began (files stamped before it are exempt from that one rule).
pub(super) const T0: i64 = 1_800_000_000_000; // 2027-01-15

pub(super) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()
}

pub(super) fn at(ms: i64) -> Stamp {
    Stamp::new(T0 + ms, today(), "王")
}

/// A registry as set-up makes it: with a key of its own (from its id, in tests).
pub(super) fn keyed(id: &str) -> Registry {
    use sha2::Digest;
    let mut r = Registry::new(id);
    r.trust.secret = Some(crate::sync::trust::hex(&sha2::Sha256::digest(format!("test key {id}").as_bytes())));
    r
}

pub(super) fn office(id: &str, name: &str) -> S {
    let s: S = Session::new(RefCell::new(None), Rc::new(MemoryStore::default()));
    s.start(keyed(id), &at(0), |tx| ops::setup_office(tx, &Office { name: name.into(), ..Default::default() })).unwrap();
    block_on(s.flush()).unwrap();
    s
}

pub(super) fn reg(s: &S) -> Registry {
    s.reg.read(|r| r.clone()).unwrap()
}

/// An item moved to 完成销号 through the real actions, ready for acceptance.
fn completed_item(s: &S) -> String {
    let item = ReformItem {
        title: "心通桥网络理政".into(),
        year: 2026,
        lead_unit: "县委网信办".into(),
        deadline: NaiveDate::from_ymd_opt(2026, 12, 31),
        indicators: vec![Indicator { name: "受理诉求".into(), unit: "件".into(), target: 100.0, actual: Some(118.0) }],
        ..Default::default()
    };
    let id = s.act(&at(1), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap();
    s.act(&at(2), |tx| {
        review::save_risk_review(tx, &id, &review::low_risk_review("县司法局", today()))?;
        for to in [Status::RiskReviewed, Status::Approved, Status::InProgress, Status::Completed] {
            ops::transition(tx, &id, to, "")?;
        }
        Ok(())
    })
    .unwrap();
    id
}

fn panel() -> (Vec<ExpertScore>, Survey) {
    let experts = (0..5).map(|n| ExpertScore { name: format!("专家{n}"), scores: vec![22.0, 31.0, 18.0, 18.0] }).collect();
    (experts, Survey { satisfied: 168, basic: 27, dissatisfied: 5, respondents: 200 })
}

/// Regression (defect 1): saving a risk review, an acceptance, a 出圈 score sheet or a pilot
/// lead a second time with nothing changed recorded a change with no fields, and every later
/// export of this office was refused by its peers.
#[test]
fn unchanged_saves_record_nothing_and_exports_stay_importable() {
    let a = office("kaijiang", "开江县委改革办");
    let id = completed_item(&a);
    let (experts, survey) = panel();
    let sheet = HighlightScore { item: id.clone(), reviewer: "评审组甲".into(), scores: vec![8.0; 8], ..Default::default() };
    let lead = PilotLead {
        title: "扩大农村劳动力就业集成改革试点".into(),
        level: Some(PilotLevel::Province),
        quarter: "2026年第四季度".into(),
        unit: "县人社局".into(),
        won: false,
        item: String::new(),
    };
    let lead_id = a.act(&at(3), |tx| review::save_lead(tx, None, &lead)).unwrap();
    let rv = review::risk_review(&reg(&a), &id).unwrap();
    a.act(&at(4), |tx| review::save_acceptance(tx, &id, &experts, &survey, &[])).unwrap();
    a.act(&at(5), |tx| review::save_highlight_score(tx, &sheet)).unwrap();
    block_on(a.flush()).unwrap();
    let before = reg(&a);
    a.act(&at(6), |tx| review::save_risk_review(tx, &id, &rv)).unwrap();
    a.act(&at(7), |tx| review::save_acceptance(tx, &id, &experts, &survey, &[])).unwrap();
    a.act(&at(8), |tx| review::save_highlight_score(tx, &sheet)).unwrap();
    a.act(&at(9), |tx| review::save_lead(tx, Some(&lead_id), &lead)).unwrap();
    assert_eq!(a.pending_len(), 0, "nothing recorded");
    assert_eq!(reg(&a), before, "not even the clock moved");
    let b = office("pingyuan", "平原县委改革办");
    let file = block_on(a.export(None, false, T0 + 100_000)).unwrap();
    match block_on(b.read_file(&file.text, T0 + 100_000)).unwrap() {
        Incoming::Preview(p) => assert_eq!(b.apply(&p).unwrap(), reg(&a).vv.get("kaijiang") as usize),
        Incoming::NothingNew => panic!("the file has news"),
    }
}

/// Regression (defect 2): accepting an item could fail after the acceptance had been applied in
/// memory, so memory and the stored vector counted a change the log never got.
#[test]
fn a_refused_accept_leaves_no_acceptance_behind() {
    let a = office("kaijiang", "开江县委改革办");
    let id = completed_item(&a);
    // A peer on an older version cleared the title (no local rule checked it).
    let legacy = a.reg.write(|r| r.make_change(T0 + 50, coll::ITEM, &id, vec![("title".into(), serde_json::json!(""))], "旧版本")).unwrap();
    a.pending.borrow_mut().add(&[legacy]);
    let before = reg(&a);
    let (experts, survey) = panel();
    let e = a.act(&at(60), |tx| ops::accept(tx, &id, &experts, &survey, &[])).unwrap_err();
    assert_eq!(e.field, Some("title"), "refused by the item's own validation: {e}");
    assert_eq!(reg(&a), before, "records, clock and vector untouched");
    assert!(review::acceptance(&reg(&a), &id).is_none());
    let item: ReformItem = from_record(reg(&a).get_live(&id).unwrap());
    assert_eq!(item.status, Status::Completed);
}

#[test]
fn a_passed_acceptance_moves_the_item_in_the_same_action() {
    let a = office("kaijiang", "开江县委改革办");
    let id = completed_item(&a);
    block_on(a.flush()).unwrap();
    let (experts, survey) = panel();
    let result = a.act(&at(10), |tx| ops::accept(tx, &id, &experts, &survey, &[])).unwrap();
    assert!(result.passed);
    assert_eq!(a.pending_len(), 2, "the acceptance and the move");
    block_on(a.flush()).unwrap();
    assert_eq!(a.store.commits.get(), 3, "set-up, the item's work, the acceptance: one transaction per flush");
    let loaded = block_on(a.store.load()).unwrap().unwrap();
    assert_eq!(from_record::<ReformItem>(loaded.get_live(&id).unwrap()).status, Status::Accepted);
}

#[test]
fn a_failed_write_keeps_the_action_pending_and_retries() {
    let a = office("kaijiang", "开江县委改革办");
    a.act(&at(1), |tx| ops::save_unit(tx, None, &crate::domain::Unit { name: "县住建局".into(), ..Default::default() })).unwrap();
    block_on(a.flush()).unwrap();
    let stored = a.store.snapshot();
    a.store.full.set(true);
    let item = ReformItem { title: "智慧停车场".into(), year: 2026, lead_unit: "县住建局".into(), ..Default::default() };
    a.act(&at(1), |tx| ops::save_item(tx, None, &item)).unwrap();
    assert_eq!(block_on(a.flush()), Err(StoreError::Quota));
    assert_eq!(a.store.snapshot(), stored, "nothing partial");
    assert_eq!(a.pending_len(), 1);
    a.store.full.set(false);
    assert_eq!(block_on(a.flush()), Ok(0));
    assert_eq!(block_on(a.store.load()).unwrap().unwrap(), reg(&a));
    assert_eq!(block_on(a.history(&a.reg.read(|r| r.live(coll::ITEM).next().unwrap().id.clone()).unwrap())).len(), 1);
}

/// With no storage at all (the browser refused one), an item's history still shows the changes
/// made on this page.
#[test]
fn history_shows_unsaved_changes_when_storage_cannot_be_read() {
    let s: Session<RefCell<Option<Registry>>, Option<MemoryStore>> = Session::new(RefCell::new(None), Rc::new(None));
    s.start(Registry::new("kaijiang"), &at(0), |tx| ops::setup_office(tx, &Office { name: "开江县委改革办".into(), ..Default::default() })).unwrap();
    let item = ReformItem { title: "智慧停车场".into(), year: 2026, lead_unit: "县住建局".into(), ..Default::default() };
    let id = s.act(&at(1), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap();
    assert_eq!(block_on(s.flush()), Err(StoreError::Missing));
    let h = block_on(s.history(&id));
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].record, id);
}

#[test]
fn starting_over_drops_what_the_old_registry_left_pending() {
    let s: S = Session::new(RefCell::new(None), Rc::new(MemoryStore::default()));
    s.store.full.set(true);
    s.start(Registry::new("first"), &at(0), |tx| ops::setup_office(tx, &Office { name: "甲".into(), ..Default::default() })).unwrap();
    assert!(block_on(s.flush()).is_err());
    s.store.full.set(false);
    // A refused start replaces nothing.
    assert!(s.start(Registry::new("second"), &at(1), |tx| ops::setup_office(tx, &Office::default())).is_err());
    assert_eq!(reg(&s).me, "first");
    s.start(Registry::new("second"), &at(2), |tx| ops::setup_office(tx, &Office { name: "乙".into(), ..Default::default() })).unwrap();
    block_on(s.flush()).unwrap();
    let loaded = block_on(s.store.load()).unwrap().unwrap();
    assert_eq!(loaded.me, "second");
    assert!(block_on(s.store.all_changes()).unwrap().iter().all(|c| c.dot.office == "second"));
}

/// Two offices, an item to save at the first and a file from the second.
fn two_offices_an_item_and_a_file() -> (S, S, ReformItem, String) {
    let a = office("pingyuan", "平原县委改革办");
    let b = office("dezhou", "德州市委改革办");
    let item = ReformItem { title: "物业智囊团".into(), year: 2026, lead_unit: "县住建局".into(), ..Default::default() };
    let file = block_on(b.export(None, false, T0 + 10)).unwrap().text;
    (a, b, item, file)
}

/// While another tab holds the registry, this session refuses every change and writes nothing.
#[test]
fn a_read_only_session_refuses_every_change_and_writes_nothing() {
    let (a, b, item, file) = two_offices_an_item_and_a_file();
    let Incoming::Preview(preview) = block_on(a.read_file(&file, T0 + 10)).unwrap() else { panic!("a preview") };
    a.set_read_only(true);
    let (mem, stored) = (reg(&a), a.store.snapshot());
    let e = a.act(&at(1), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap_err();
    assert_eq!(e.message(crate::i18n::Lang::Zh), crate::i18n::t(crate::i18n::Lang::Zh, crate::i18n::K::ErrReadOnlyTab));
    assert!(a.apply(&preview).is_err());
    assert!(a.accept_key("dezhou", &reg(&b).trust.public().unwrap(), T0, "").is_err());
    assert!(a.rotate_key([3; 32], T0).is_err());
    assert_eq!(block_on(a.flush()), Err(StoreError::ReadOnly));
    assert_eq!(block_on(a.reset()), Err(StoreError::ReadOnly));
    assert_eq!((reg(&a), a.store.snapshot()), (mem, stored), "nothing changed");
    // Once the other tab lets go, it works again.
    a.set_read_only(false);
    a.act(&at(2), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap();
    assert_eq!(block_on(a.flush()), Ok(0));
}

/// While an import runs in the exchange worker (until the registry is read back), every change is
/// refused with its own reason, not the other tab's.
#[test]
fn a_session_busy_with_an_import_refuses_every_change_and_says_why() {
    let (a, _b, item, _file) = two_offices_an_item_and_a_file();
    a.set_busy(true);
    let (mem, stored) = (reg(&a), a.store.snapshot());
    let e = a.act(&at(1), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap_err();
    assert_eq!(e.message(crate::i18n::Lang::En), crate::i18n::t(crate::i18n::Lang::En, crate::i18n::K::ErrImportBusy));
    assert_eq!(block_on(a.flush()), Err(StoreError::Busy));
    assert_eq!(a.writable(), Err(StoreError::Busy));
    // A restore is refused before the file is read, with the same reason.
    let e = block_on(a.restore("not even a backup", "passphrase", "r1")).unwrap_err();
    assert_eq!(e, crate::app::backup::BackupError::Refused(StoreError::Busy));
    assert_eq!(e.message(crate::i18n::Lang::Zh), crate::i18n::t(crate::i18n::Lang::Zh, crate::i18n::K::ErrImportBusy));
    assert_eq!((reg(&a), a.store.snapshot()), (mem, stored), "nothing changed");
    // Another tab taking the registry meanwhile is the stronger reason.
    a.set_read_only(true);
    assert_eq!(a.writable(), Err(StoreError::ReadOnly));
    a.set_read_only(false);
    a.set_busy(false);
    a.act(&at(2), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap();
    assert_eq!(block_on(a.flush()), Ok(0));
}

/// Until the history read after start-up is in, the session refuses every change, reading or
/// writing a file, and restoring; once it is in, the registry is the whole one and works.
#[test]
fn a_session_awaiting_its_history_refuses_every_change_and_then_works() {
    let (a, _b, item, file) = two_offices_an_item_and_a_file();
    let id = a.act(&at(1), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap();
    a.act(&at(1), |tx| tx.write(crate::domain::model::coll::REPORT, &format!("{id}/2026-01"), vec![("progress".into(), serde_json::json!("进展"))])).unwrap();
    block_on(a.flush()).unwrap();
    let whole = reg(&a);
    // As start-up holds it: the history apart.
    let mut part = whole.clone();
    let history = crate::sync::Records::from(
        part.records.to_map().into_iter().filter(|(_, r)| crate::storage::DEFERRED.contains(&r.coll.as_str())).collect::<std::collections::BTreeMap<_, _>>(),
    );
    for id in history.ids_of(crate::domain::model::coll::REPORT) {
        part.records.remove(&id);
    }
    assert_eq!(history.len(), 1, "the report apart");
    *a.reg.borrow_mut() = Some(part);
    a.await_history();
    let stored = a.store.snapshot();
    let e = a.act(&at(2), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap_err();
    assert_eq!(e.message(crate::i18n::Lang::Zh), crate::i18n::t(crate::i18n::Lang::Zh, crate::i18n::K::ErrStillLoading));
    assert!(a.start(Registry::new("x"), &at(3), |_| Ok(())).is_err());
    assert!(matches!(block_on(a.read_file(&file, T0 + 10)), Err(crate::app::exchange::ExchangeError::Store(StoreError::Loading))));
    assert!(block_on(a.read_files(&[file.clone(), file.clone()], T0 + 10)).is_err());
    assert!(block_on(a.export(None, false, T0 + 20)).is_err());
    assert_eq!(block_on(a.flush()), Err(StoreError::Loading));
    assert_eq!(a.store.snapshot(), stored, "nothing written");
    a.absorb_history(history);
    assert_eq!(reg(&a), whole, "the whole registry again");
    assert!(!a.is_awaiting_history());
    a.act(&at(4), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap();
    assert!(block_on(a.read_file(&file, T0 + 10)).is_ok());
    assert_eq!(block_on(a.flush()), Ok(0));
}

/// A write of more than `BIG_BATCH` changes (an import's) is made in slices: it stores exactly
/// what the batch made at once stores, and a registry loaded back from storage is the same.
#[test]
fn a_big_write_made_in_slices_stores_what_one_made_at_once_stores() {
    let s = office("pingyuan", "平原县委改革办");
    for n in 0..(BIG_BATCH + 10) {
        let item = ReformItem { title: format!("改革事项{n}"), year: 2026, lead_unit: "县人社局".into(), ..Default::default() };
        s.act(&at(10 + n as i64), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap();
    }
    let pending = s.pending_len();
    assert!(pending > BIG_BATCH, "{pending} pending changes");
    let at_once = s.reg.read(|r| s.pending.borrow().batch(r)).unwrap();
    let sliced = block_on(s.batch_in_slices()).unwrap();
    assert_eq!(sliced.changes, at_once.changes);
    assert_eq!(sliced.records, at_once.records);
    assert_eq!(block_on(s.flush()).unwrap(), 0, "everything written");
    let loaded = block_on(s.store.load()).unwrap().unwrap();
    assert_eq!(loaded.canonical_state(), reg(&s).canonical_state());
}
