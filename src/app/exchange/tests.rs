use super::*;
use crate::app::tests::{at, office, reg, S};
use crate::app::Session;
use crate::domain::ops;
use crate::domain::ReformItem;
use crate::storage::block_on;
use crate::sync::bundle::{to_text, Bundle};
use crate::sync::state::FieldWrite;
use crate::sync::trust;
use std::collections::BTreeMap;

const NOW: i64 = crate::app::tests::T0 + 100_000;

fn add_item(s: &S, title: &str, ms: i64) -> String {
    let i = ReformItem { title: title.into(), year: 2026, lead_unit: "县住建局".into(), ..Default::default() };
    let id = s.act(&at(ms), |tx| ops::save_item_adding_names(tx, None, &i)).unwrap();
    block_on(s.flush()).unwrap();
    id
}

fn send(from: &S, to: &S, delta: bool) -> Result<usize, ExchangeError> {
    let f = block_on(from.export(Some(&reg(to).me), delta, NOW))?;
    receive(to, &f.text)
}

/// Reads a file at `to` and applies whatever is new; returns how many changes were applied.
fn receive(to: &S, text: &str) -> Result<usize, ExchangeError> {
    let n = match block_on(to.read_file(text, NOW))? {
        Incoming::Preview(p) => to.apply(&p)?,
        Incoming::NothingNew => 0,
    };
    block_on(to.flush())?;
    Ok(n)
}

fn parsed(text: &str) -> Bundle {
    serde_json::from_str(text).unwrap()
}

/// Re-seals a bundle after editing it, as anyone with a text editor can.
fn reseal(mut b: Bundle) -> String {
    b.digest = {
        use sha2::{Digest, Sha256};
        let h = Sha256::digest(serde_json::to_vec(&b.body).unwrap());
        format!("sha256:{}", h.iter().map(|x| format!("{x:02x}")).collect::<String>())
    };
    to_text(&b)
}

#[test]
fn full_then_delta_round_trip_and_nothing_new() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    assert_eq!(send(&a, &b, false).unwrap(), 3, "office, unit and item");
    assert_eq!(send(&b, &a, false).unwrap(), 1, "b's office record");
    add_item(&a, "1分钱公交", 2);
    let f = block_on(a.export(Some("pingyuan"), true, NOW)).unwrap();
    assert_eq!(f.changes, 1, "a delta holds only what the peer lacks");
    assert_eq!(send(&a, &b, true).unwrap(), 1);
    assert_eq!(send(&a, &b, false).unwrap(), 0, "nothing new");
    assert_eq!(reg(&a).canonical_state(), reg(&b).canonical_state());
    assert_eq!(block_on(b.store.load()).unwrap().unwrap(), reg(&b), "storage equals memory");
}

#[test]
fn a_refused_import_changes_nothing_in_memory_or_storage() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    let text = block_on(a.export(None, false, NOW)).unwrap().text;
    let (mem, stored) = (reg(&b), b.store.snapshot());
    let tampered = text.replacen("物业智囊团", "物业智囊团（改）", 1);
    for bad in [&text[..text.len() / 2], tampered.as_str(), "", "{\"hello\": 1}"] {
        assert!(block_on(b.read_file(bad, NOW)).is_err());
        assert_eq!(reg(&b), mem);
        assert_eq!(b.store.snapshot(), stored);
        assert_eq!(b.pending_len(), 0);
    }
    // A file with a hole in a sender's numbering (a change removed and the seal renewed).
    let mut gap = parsed(&text);
    gap.body.changes.remove(0);
    assert!(matches!(block_on(b.read_file(&reseal(gap), NOW)), Err(ExchangeError::File(_))));
    assert_eq!(reg(&b), mem);
    assert_eq!(b.store.snapshot(), stored);
}

#[test]
fn a_change_that_collides_with_one_held_is_found_by_key() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    send(&a, &b, false).unwrap();
    // The same change id with other content: found by looking up only the ids the file names.
    let mut forged = parsed(&block_on(a.export(None, false, NOW)).unwrap().text);
    let c = forged.body.changes.iter_mut().find(|c| c.coll == "item").unwrap();
    c.set.insert("goal".into(), FieldWrite { v: serde_json::json!("伪造"), over: vec![] });
    // Edited in a text editor, seal renewed: the sender's signature no longer verifies.
    let e = refused(&b, &reseal(forged.clone()));
    assert!(matches!(&e, ExchangeError::Trust { why: BundleError::BadSignature(o), .. } if o == "kaijiang"), "{e:?}");
    assert!(e.message(crate::i18n::Lang::Zh).contains("开江县委改革办"), "named as people know it");
    // A third office relaying kaijiang's changes, altered, in a file it signs itself: the
    // changes no longer hash to the head kaijiang signed.
    let c = office("dezhou", "德州市委改革办");
    let mut relayed = forged.clone();
    relayed.body.from = bundle::Party { office: "dezhou".into(), name: "德州市委改革办".into() };
    let e = refused(&b, &resign(relayed, &reg(&c).trust.key().unwrap()));
    assert!(matches!(&e, ExchangeError::Trust { why: BundleError::ChainBroken(o), .. } if o == "kaijiang"), "{e:?}");
    // kaijiang itself signing a second version of its own history: equivocation, provable
    // (this office holds kaijiang's signature on the first version).
    let e = refused(&b, &resign(forged, &reg(&a).trust.key().unwrap()));
    assert!(matches!(e, ExchangeError::Trust { why: BundleError::Fork { proven: true, .. }, .. }), "{e:?}");
}

/// Files from older versions may hold a change with no fields (a save that changed nothing):
/// it must import, and must not conjure an empty record.
#[test]
fn a_legacy_change_with_no_fields_imports() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let id = add_item(&a, "物业智囊团", 1);
    let mut legacy = parsed(&block_on(a.export(None, false, NOW)).unwrap().text);
    let mut empty = legacy.body.changes.last().unwrap().clone();
    empty.dot.seq += 1;
    empty.at += 1;
    empty.record = format!("{id}/risk");
    empty.coll = "review".into();
    empty.set = BTreeMap::new();
    legacy.body.changes.push(empty);
    legacy.body.vv.0.insert("kaijiang".into(), 4);
    // As version 1 wrote it: no heads, no signatures (read as unsigned from an unknown office).
    legacy.body.version = 1;
    legacy.body.heads.clear();
    legacy.signatures.clear();
    assert_eq!(receive(&b, &reseal(legacy)).unwrap(), 4);
    let r = reg(&b);
    assert_eq!(r.vv.get("kaijiang"), 4);
    assert!(!r.records.contains_key(&format!("{id}/risk")), "no empty record");
    assert_eq!(block_on(b.store.load()).unwrap().unwrap(), r);
}

#[test]
fn a_preview_is_not_applied_after_the_registry_moved() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    let text = block_on(a.export(None, false, NOW)).unwrap().text;
    let Incoming::Preview(p) = block_on(b.read_file(&text, NOW)).unwrap() else { panic!("news expected") };
    add_item(&b, "智慧停车场", 5);
    let mem = reg(&b);
    assert_eq!(b.apply(&p), Err(ExchangeError::Stale));
    assert_eq!(reg(&b), mem, "the edit made meanwhile is kept");
    assert!(ExchangeError::Stale.message(crate::i18n::Lang::Zh).contains("重新选择"));
}

#[test]
fn file_names_say_who_what_when() {
    let a = office("pingyuan", "平原县改革办");
    let to = Party { office: "dezhou".into(), name: "德州市改革办".into() };
    let mut b = bundle::export(&reg(&a), "平原县改革办", Some(to), &[], Some(&VersionVector::default()), 1_660_521_600_000);
    assert_eq!(file_name(&b), "平原县改革办→德州市改革办_2022-08-15_增量.reform.json");
    b.body.kind = bundle::BundleKind::Full;
    assert!(file_name(&b).ends_with("_全量.reform.json"));
}

/// Damaged files (bytes flipped, cut) never panic and never change anything, in memory or in
/// storage: either they are refused, or — if the damage left a valid file — imported whole.
#[test]
fn damaged_files_are_refused_or_imported_whole() {
    use proptest::prelude::*;
    let a = office("kaijiang", "开江县委改革办");
    add_item(&a, "物业智囊团", 1);
    add_item(&a, "1分钱公交", 2);
    let good = block_on(a.export(None, false, NOW)).unwrap().text.into_bytes();
    let strategy = (0usize..10_000, prop::collection::vec((0usize..10_000, any::<u8>()), 0..4));
    crate::check_property("damaged_files_are_refused_or_imported_whole", file!(), 300, strategy, |(cut, flips)| {
        let mut bytes = good.clone();
        for (at, b) in flips {
            let n = bytes.len();
            bytes[at % n] = b;
        }
        bytes.truncate(cut.max(1).min(bytes.len()));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let b = office("pingyuan", "平原县委改革办");
        let (mem, stored) = (reg(&b), b.store.snapshot());
        match block_on(b.read_file(&text, NOW)) {
            Err(_) => {
                prop_assert_eq!(reg(&b), mem);
                prop_assert_eq!(b.store.snapshot(), stored);
                prop_assert_eq!(b.pending_len(), 0);
            }
            Ok(Incoming::Preview(p)) => {
                b.apply(&p).unwrap();
                block_on(b.flush()).unwrap();
                prop_assert_eq!(reg(&b).live("item").count(), 2, "all of it");
                prop_assert_eq!(block_on(b.store.load()).unwrap().unwrap(), reg(&b));
            }
            Ok(Incoming::NothingNew) => prop_assert!(false, "a damaged file cannot be old news here"),
        }
        Ok(())
    });
}

#[test]
fn the_same_item_entered_twice_is_flagged_not_merged() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "扩大农村劳动力就业集成改革试点", 1);
    let mine = add_item(&b, "扩大农村劳动力就业集成改革试点", 2);
    let text = block_on(a.export(None, false, NOW)).unwrap().text;
    let Incoming::Preview(p) = block_on(b.read_file(&text, NOW)).unwrap() else { panic!("news expected") };
    assert_eq!(p.plan.possible_duplicates.len(), 1);
    assert_eq!(p.plan.possible_duplicates[0].1, mine);
    b.apply(&p).unwrap();
    assert_eq!(reg(&b).live("item").count(), 2, "never merged by itself");
}

// ---- Files edited in a text editor, seal renewed (anyone can): each is refused whole. ----

/// The sending office itself forges its file: edits it, then re-links its chains and signs it
/// with its own key (it cannot sign as anyone else).
fn forged(from: &S, edit: impl FnOnce(&mut Bundle)) -> String {
    let mut b = parsed(&block_on(from.export(None, false, NOW)).unwrap().text);
    edit(&mut b);
    resign(b, &reg(from).trust.key().unwrap())
}

/// Re-links the sender's own chain over the (edited) changes, signs its head and the file with
/// `key`, and renews the seal. Other offices' heads and signatures are left as they were.
fn resign(mut b: Bundle, key: &trust::OfficeKey) -> String {
    let me = b.body.from.office.clone();
    for h in b.body.heads.iter_mut().filter(|h| h.office == me) {
        let mut hash = trust::unhex::<32>(&h.prev).unwrap();
        let mut own: Vec<&Change> = b.body.changes.iter().filter(|c| c.dot.office == h.office).collect();
        own.sort_by_key(|c| c.dot.seq);
        for c in own {
            hash = trust::link(&hash, c);
        }
        h.hash = trust::hex(&hash);
        h.seq = b.body.vv.get(&h.office);
        if h.office == me {
            h.key = Some(key.public());
            h.sig = Some(key.sign(&trust::head_message(&h.office, h.seq, &h.hash)));
        }
    }
    let text = reseal(b);
    let mut b = parsed(&text);
    b.signatures = vec![bundle::Signature { office: me, alg: trust::ALG.into(), key: key.public(), sig: key.sign(&trust::file_message(&b.digest)) }];
    to_text(&b)
}

fn refused(to: &S, text: &str) -> ExchangeError {
    let (mem, stored) = (reg(to), to.store.snapshot());
    let e = block_on(to.read_file(text, NOW)).unwrap_err();
    assert_eq!(reg(to), mem, "memory unchanged");
    assert_eq!(to.store.snapshot(), stored, "storage unchanged");
    e
}

/// A change naming, as superseded, a change its author cannot have seen (another office's
/// future change) would silently retire that edit everywhere once it is made.
#[test]
fn a_change_cannot_replace_what_its_author_never_saw() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    send(&a, &b, false).unwrap();
    // b's file carries a change of b's that claims to replace a's (future) change kaijiang:9.
    let id = add_item(&b, "智慧停车场", 2);
    b.act(&at(3), |tx| tx.set("item", &id, "goal", serde_json::json!("平原的目标")).map(|_| ())).unwrap();
    block_on(b.flush()).unwrap();
    let text = forged(&b, |x| {
        let c = x.body.changes.iter_mut().find(|c| c.dot.office == "pingyuan" && c.set.contains_key("goal")).unwrap();
        c.set.get_mut("goal").unwrap().over = vec![Dot::new("kaijiang", 9)];
    });
    let e = refused(&a, &text);
    assert_eq!(e, ExchangeError::File(BundleError::UnseenOver { change: Dot::new("pingyuan", 2), names: Dot::new("kaijiang", 9) }));
    // Its own future, or a change stamped after it, are refused the same way.
    let own_future = forged(&b, |x| {
        let c = x.body.changes.iter_mut().find(|c| c.dot.office == "pingyuan" && c.set.contains_key("goal")).unwrap();
        c.set.get_mut("goal").unwrap().over = vec![Dot::new("pingyuan", 2)];
    });
    assert!(matches!(refused(&a, &own_future), ExchangeError::File(BundleError::UnseenOver { .. })));
    // The genuine file still imports.
    assert_eq!(send(&b, &a, false).unwrap(), 3);
}

#[test]
fn a_counter_no_clock_produces_is_refused() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    let text = forged(&a, |x| x.body.changes.last_mut().unwrap().ctr = u32::MAX);
    assert_eq!(refused(&b, &text), ExchangeError::File(BundleError::BadStamp(Dot::new("kaijiang", 3))));
    let text = forged(&a, |x| x.body.changes.last_mut().unwrap().at = -5);
    assert!(matches!(refused(&b, &text), ExchangeError::File(BundleError::BadStamp(_))));
}

#[test]
fn oversized_names_are_refused_and_messages_quote_at_most_forty_characters() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    let huge = "名".repeat(1_000_000);
    let e = refused(&b, &forged(&a, |x| x.body.from.name = huge.clone()));
    assert!(matches!(e, ExchangeError::File(BundleError::Oversized(_))));
    let long_field = "f".repeat(10_000);
    let e2 = refused(
        &b,
        &forged(&a, |x| {
            let w = x.body.changes[0].set.values().next().unwrap().clone();
            x.body.changes[0].set.insert(long_field.clone(), w);
        }),
    );
    for e in [e, e2] {
        for lang in [crate::i18n::Lang::Zh, crate::i18n::Lang::En] {
            let m = e.message(lang);
            assert!(m.chars().count() < 300, "{m}");
        }
    }
}

#[test]
fn a_key_given_twice_is_refused() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    let text = block_on(a.export(None, false, NOW)).unwrap().text;
    // A reader keeping the first value sees "伪造"; serde would keep the last (the sealed one).
    let doubled = text.replacen("\"title\":{\"v\":\"物业智囊团\"}", "\"title\":{\"v\":\"伪造\"},\"title\":{\"v\":\"物业智囊团\"}", 1);
    assert_ne!(doubled, text);
    assert!(matches!(refused(&b, &doubled), ExchangeError::File(BundleError::DuplicateKey { .. })));
    // Written with an escape, it is still the same key.
    let escaped = text.replacen("\"title\":{\"v\":\"物业智囊团\"}", "\"\\u0074itle\":{\"v\":\"伪造\"},\"title\":{\"v\":\"物业智囊团\"}", 1);
    assert!(matches!(refused(&b, &escaped), ExchangeError::File(BundleError::DuplicateKey { .. })));
}

#[test]
fn messages_speak_the_users_language_and_say_what_is_true() {
    use crate::i18n::Lang;
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    let text = block_on(a.export(None, false, NOW)).unwrap().text;
    // Not JSON: where it broke off, no parser text.
    let m = refused(&b, "这不是文件").message(Lang::Zh);
    assert!(m.contains("第1行") && !m.contains("expected"), "{m}");
    // A format version too large for 32 bits is shown as written.
    let m = refused(&b, &text.replacen(&format!("\"version\": {}", bundle::VERSION), "\"version\": 4294967296", 1)).message(Lang::Zh);
    assert!(m.contains("4294967296"), "{m}");
    // A file claiming more than it holds says so (not "expected 3, found 3").
    let m = refused(
        &b,
        &forged(&a, |x| {
            x.body.vv.0.insert("kaijiang".into(), 4);
        }),
    )
    .message(Lang::Zh);
    assert!(m.contains("至第4号") && m.contains("只到第3号"), "{m}");
}

/// No office changes what is not its own: a file in which an office renames the receiver, or
/// moves the receiver's item, is refused whole, naming the record and the rule.
#[test]
fn a_file_changing_another_offices_records_is_refused() {
    use crate::i18n::Lang;
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let id = add_item(&a, "物业智囊团", 1);
    send(&a, &b, false).unwrap();
    let own = add_item(&b, "智慧停车场", 2);
    // b's own item, edited in a text editor to carry a's record instead.
    for (record, field, v) in [("kaijiang", "name", "开江县委改革办（已撤销）"), (id.as_str(), "status", "accepted")] {
        let text = forged(&b, |x| {
            let c = x.body.changes.iter_mut().find(|c| c.record == own).unwrap();
            c.record = record.to_string();
            c.coll = if record == "kaijiang" { "office".into() } else { "item".into() };
            c.set = BTreeMap::from([(field.to_string(), FieldWrite { v: serde_json::json!(v), over: vec![] })]);
        });
        let e = refused(&a, &text);
        assert!(matches!(e, ExchangeError::NotOwner { .. }), "{e:?}");
        let m = e.message(Lang::Zh);
        assert!(m.contains("平原县委改革办") && m.contains("开江县委改革办") && m.contains("只有维护该记录的机构才能修改"), "{m}");
    }
    assert_eq!(crate::domain::ops::my_office(&reg(&a)).unwrap().name, "开江县委改革办");
}

/// A status move in a file is held to the same life cycle and gates as a local move: an item
/// moved straight to 已验收 (no risk review, no acceptance) by a hand-edited file is refused.
#[test]
fn a_status_move_in_a_file_passes_the_same_gates_as_a_local_one() {
    use crate::i18n::Lang;
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let id = add_item(&a, "物业智囊团", 1);
    send(&a, &b, false).unwrap();
    // The owner's file, edited: the item jumps from 谋划申报 to 已验收.
    let jump = a.reg.write(|r| r.make_change(crate::app::tests::T0 + 10, "item", &id, vec![("status".into(), serde_json::json!("accepted"))], "")).unwrap();
    a.pending.borrow_mut().add(&[jump]);
    block_on(a.flush()).unwrap();
    let text = block_on(a.export(Some("pingyuan"), true, NOW)).unwrap().text;
    let e = refused(&b, &text);
    assert!(matches!(e, ExchangeError::Move { .. }), "{e:?}");
    let m = e.message(Lang::Zh);
    assert!(m.contains("物业智囊团") && m.contains("谋划申报") && m.contains("已验收"), "{m}");
    // A real path through the reviews imports (the gates read the registry as its author had it).
    let c = office("dezhou", "德州市委改革办");
    let d = office("huanglong", "黄龙县委改革办");
    let item = ReformItem {
        title: "城市精细化管理".into(),
        year: 2027,
        lead_unit: "县城管局".into(),
        deadline: chrono::NaiveDate::from_ymd_opt(2027, 12, 31),
        ..Default::default()
    };
    let real = c.act(&at(20), |tx| ops::save_item_adding_names(tx, None, &item)).unwrap();
    c.act(&at(21), |tx| {
        crate::domain::review::save_risk_review(tx, &real, &crate::domain::review::low_risk_review("县司法局", crate::app::tests::today()))?;
        for to in [crate::domain::Status::RiskReviewed, crate::domain::Status::Approved, crate::domain::Status::InProgress] {
            ops::transition(tx, &real, to, "")?;
        }
        Ok(())
    })
    .unwrap();
    block_on(c.flush()).unwrap();
    assert_eq!(send(&c, &d, false).unwrap(), 7);
}

/// Moves are checked one item at a time (a city's file never holds two copies of its items);
/// with several breaches the refusal still names the first in causal order, not in id order.
#[test]
fn the_first_broken_move_in_time_is_named_whichever_item_holds_it() {
    use crate::i18n::Lang;
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let one = add_item(&a, "物业智囊团", 1);
    let two = add_item(&a, "智慧停车场", 2);
    send(&a, &b, false).unwrap();
    // The item with the greater id jumps first.
    let (early, late) = if one > two { (&one, &two) } else { (&two, &one) };
    for (n, id) in [early, late].into_iter().enumerate() {
        let jump = a
            .reg
            .write(|r| r.make_change(crate::app::tests::T0 + 10 + n as i64, "item", id, vec![("status".into(), serde_json::json!("accepted"))], ""))
            .unwrap();
        a.pending.borrow_mut().add(&[jump]);
    }
    block_on(a.flush()).unwrap();
    let text = block_on(a.export(Some("pingyuan"), true, NOW)).unwrap().text;
    let m = refused(&b, &text).message(Lang::Zh);
    let title = |id: &str| if id == one { "物业智囊团" } else { "智慧停车场" };
    assert!(m.contains(title(early)) && !m.contains(title(late)), "{m}");
}

/// Found in review: a move whose reason equals the last one writes no `status_note` (nothing
/// changed there), and the peer must still see the reason the record shows.
#[test]
fn a_reason_given_twice_still_travels() {
    use crate::domain::Status::*;
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let id = add_item(&a, "物业智囊团", 1);
    let dl = chrono::NaiveDate::from_ymd_opt(2027, 12, 31);
    a.act(&at(2), |tx| {
        let mut i: ReformItem = crate::domain::model::live_in(tx.reg(), "item", &id)?;
        i.deadline = dl;
        ops::save_item_adding_names(tx, Some(&id), &i)?;
        crate::domain::review::save_risk_review(tx, &id, &crate::domain::review::low_risk_review("县司法局", crate::app::tests::today()))?;
        for to in [RiskReviewed, Approved, InProgress] {
            ops::transition(tx, &id, to, "")?;
        }
        ops::transition(tx, &id, Suspended, "上级政策调整")?;
        ops::transition(tx, &id, Terminated, "上级政策调整")
    })
    .unwrap();
    block_on(a.flush()).unwrap();
    assert!(send(&a, &b, false).unwrap() > 0);
    let item: ReformItem = crate::domain::model::live_in(&reg(&b), "item", &id).unwrap();
    assert_eq!((item.status, item.status_note.as_str()), (Terminated, "上级政策调整"));
}

/// Found in review: before the ownership rule, another office could write an item's review; a
/// file is read in causal order, not office by office, so the move that relied on it passes.
#[test]
fn a_move_relying_on_an_older_review_by_another_office_imports() {
    use crate::domain::review;
    let a = office("aa", "甲改革办");
    let c = office("cc", "丙改革办");
    let id = add_item(&a, "物业智囊团", 1);
    // zz, on an older version and before the rule began, wrote the risk review of aa's item.
    let old = crate::domain::ownership::RULE_SINCE_MS - 86_400_000;
    let z: S = Session::new(std::cell::RefCell::new(None), std::rc::Rc::new(crate::storage::memory::MemoryStore::default()));
    z.start(crate::sync::Registry::new("zz"), &crate::domain::tx::Stamp::new(old - 1_000, crate::app::tests::today(), ""), |tx| {
        ops::setup_office(tx, &crate::domain::Office { name: "乙改革办".into(), ..Default::default() })
    })
    .unwrap();
    let mut writes = crate::domain::model::to_writes(None, &review::low_risk_review("县司法局", crate::app::tests::today()));
    writes.push(("item".into(), serde_json::json!(id)));
    let legacy = z.reg.write(|r| r.make_change(old, "review", &review::risk_id(&id), writes, "")).unwrap();
    z.pending.borrow_mut().add(&[legacy]);
    block_on(z.flush()).unwrap();
    send(&z, &a, false).unwrap();
    a.act(&at(30), |tx| ops::transition(tx, &id, crate::domain::Status::RiskReviewed, "")).unwrap();
    block_on(a.flush()).unwrap();
    send(&a, &c, false).unwrap();
    let item: ReformItem = crate::domain::model::live_in(&reg(&c), "item", &id).unwrap();
    assert_eq!(item.status, crate::domain::Status::RiskReviewed);
}

/// A deletion arrives by file: the preview names what goes; the 回收站 lists it (who, which
/// office, when); only the keeping office restores it, and the restore travels like any change.
#[test]
fn a_deletion_is_named_in_the_preview_and_undone_from_the_recycle_bin() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let id = add_item(&a, "物业智囊团", 1);
    send(&a, &b, false).unwrap();
    a.act(&at(5), |tx| ops::delete(tx, &id)).unwrap();
    block_on(a.flush()).unwrap();
    let f = block_on(a.export(Some("pingyuan"), true, NOW)).unwrap();
    let Incoming::Preview(p) = block_on(b.read_file(&f.text, NOW)).unwrap() else { panic!("a preview") };
    assert_eq!(p.plan.records_deleted, vec![id.clone()]);
    assert_eq!(title_in(&p.plan, &id), "物业智囊团", "named by its title, not its id");
    b.apply(&p).unwrap();
    let bin = ops::deleted(&reg(&b));
    assert_eq!(bin.len(), 1);
    let d = &bin[0];
    assert_eq!((d.name.as_str(), d.by.as_str(), d.office.as_str(), d.at_ms, d.mine), ("物业智囊团", "王", "开江县委改革办", crate::app::tests::T0 + 5, false));
    // Not b's to restore.
    assert!(b.act(&at(6), |tx| ops::undelete(tx, &id)).is_err());
    // The keeping office restores it; the restore reaches b like any change.
    assert!(ops::deleted(&reg(&a))[0].mine);
    a.act(&at(7), |tx| ops::undelete(tx, &id)).unwrap();
    block_on(a.flush()).unwrap();
    assert!(ops::deleted(&reg(&a)).is_empty());
    send(&a, &b, true).unwrap();
    assert!(reg(&b).get_live(&id).is_some());
    assert!(ops::deleted(&reg(&b)).is_empty());
}

/// A city office reads a month of county files at once: one preview, applied in one step; a bad
/// file among them is named and nothing is applied.
#[test]
fn several_files_are_previewed_together_and_applied_all_or_nothing() {
    let city = office("dezhou", "德州市委改革办");
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    add_item(&b, "1分钱公交", 2);
    let fa = block_on(a.export(Some("dezhou"), false, NOW)).unwrap().text;
    let fb = block_on(b.export(Some("dezhou"), false, NOW)).unwrap().text;
    let (mem, stored) = (reg(&city), city.store.snapshot());
    let (n, e) = block_on(city.read_files(&[fa.clone(), "坏文件".into()], NOW)).unwrap_err();
    assert_eq!(n, 1, "the second file is named");
    assert!(matches!(e, ExchangeError::File(BundleError::NotJson { .. })));
    assert_eq!((reg(&city), city.store.snapshot()), (mem.clone(), stored), "nothing applied");
    let Incoming::Preview(p) = block_on(city.read_files(&[fa, fb], NOW)).unwrap() else { panic!("a preview") };
    assert_eq!(p.plan.records_new.len(), 6, "two offices, their units and items");
    assert!(p.plan.from.name.contains("开江县委改革办") && p.plan.from.name.contains("平原县委改革办"));
    assert_eq!(reg(&city), mem, "a preview changes nothing");
    assert_eq!(city.apply(&p).unwrap(), 6);
    block_on(city.flush()).unwrap();
    let titles: Vec<String> = reg(&city).live("item").filter_map(|r| r.value("title").and_then(|v| v.as_str()).map(str::to_string)).collect();
    assert_eq!(titles.len(), 2);
    assert_eq!(block_on(city.store.load()).unwrap().unwrap(), reg(&city));
}

/// The preview says, per record, what changes: old → new for each field, by name.
#[test]
fn the_preview_lists_each_records_changed_fields_old_and_new() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let id = add_item(&a, "物业智囊团", 1);
    let gone = add_item(&a, "1分钱公交", 2);
    send(&a, &b, false).unwrap();
    a.act(&at(3), |tx| {
        let mut i: ReformItem = crate::domain::model::live_in(tx.reg(), "item", &id)?;
        i.title = "物业智囊团（扩面）".into();
        i.lead_unit = "县民政局".into();
        ops::save_item_adding_names(tx, Some(&id), &i)?;
        ops::delete(tx, &gone)
    })
    .unwrap();
    block_on(a.flush()).unwrap();
    let Incoming::Preview(p) = block_on(b.read_file(&block_on(a.export(Some("pingyuan"), true, NOW)).unwrap().text, NOW)).unwrap() else { panic!() };
    let d = describe(&reg(&b), &p.plan);
    let changed = d.iter().find(|r| r.id == id).unwrap();
    assert_eq!((changed.kind, changed.name.as_str()), (DiffKind::Changed, "物业智囊团（扩面）"));
    assert!(changed.fields.contains(&("title".into(), "物业智囊团".into(), "物业智囊团（扩面）".into())));
    assert!(changed.fields.contains(&("lead_unit".into(), "县住建局".into(), "县民政局".into())));
    assert_eq!(changed.fields.len(), 2, "only what changed: {:?}", changed.fields);
    let deleted = d.iter().find(|r| r.id == gone).unwrap();
    assert_eq!((deleted.kind, deleted.name.as_str()), (DiffKind::Deleted, "1分钱公交"));
}

/// Records the steps it is told and cancels once `at` starts.
struct Canceller {
    at: Option<ReadStep>,
    seen: std::cell::RefCell<Vec<(usize, usize, ReadStep)>>,
}

impl Watch for Canceller {
    fn step(&self, file: usize, files: usize, step: ReadStep) {
        self.seen.borrow_mut().push((file, files, step));
    }
    fn cancelled(&self) -> bool {
        self.at.is_some_and(|at| self.seen.borrow().last().is_some_and(|s| s.2 == at))
    }
}

#[test]
fn a_read_reports_its_steps_and_a_cancelled_one_changes_nothing() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    let text = block_on(a.export(Some("pingyuan"), false, NOW)).unwrap().text;
    let before = reg(&b);
    for at in [ReadStep::Checking, ReadStep::Comparing, ReadStep::Rules] {
        let w = Canceller { at: Some(at), seen: Default::default() };
        let r = block_on(b.read_files_watched(std::slice::from_ref(&text), NOW, &w));
        assert_eq!(r.err(), Some((0, ExchangeError::Cancelled)), "cancelled at {at:?}");
        assert_eq!(w.seen.borrow().last().map(|s| s.2), Some(at));
        assert_eq!(reg(&b), before, "a read cancelled at {at:?} changed the registry");
        assert_eq!(b.pending_len(), 0);
    }
    // Not cancelled: every step in order, for each of two files.
    let c = office("dazhou", "达州市委改革办");
    add_item(&c, "一窗通办", 2);
    let text2 = block_on(c.export(Some("pingyuan"), false, NOW)).unwrap().text;
    let w = Canceller { at: None, seen: Default::default() };
    match block_on(b.read_files_watched(&[text.clone(), text2], NOW, &w)).unwrap() {
        Incoming::Preview(p) => {
            let (stale, after) = (p.clone(), p.plan.registry.clone());
            assert_eq!(b.apply_owned(*p).unwrap(), 6);
            assert_eq!(reg(&b), after, "the preview's registry is the one adopted");
            assert_eq!(b.apply_owned(*stale), Err(ExchangeError::Stale), "a preview applies once");
        }
        Incoming::NothingNew => panic!("two files with news"),
    }
    let steps = [ReadStep::Checking, ReadStep::Comparing, ReadStep::Rules];
    let want: Vec<_> = (0..2).flat_map(|f| steps.iter().map(move |s| (f, 2, *s))).collect();
    assert_eq!(*w.seen.borrow(), want);
}

#[test]
fn a_files_text_is_read_as_the_browser_reads_it() {
    assert_eq!(file_text("{\"a\":\"台账\"}".as_bytes().to_vec()), "{\"a\":\"台账\"}");
    assert_eq!(file_text("\u{feff}{}".as_bytes().to_vec()), "{}", "a leading BOM is dropped");
    assert_eq!(file_text("{}\u{feff}".as_bytes().to_vec()), "{}\u{feff}", "only a leading one");
    assert_eq!(file_text(vec![b'{', 0xff, b'}']), "{\u{fffd}}", "a byte that is not UTF-8 is replaced");
    assert_eq!(file_text(vec![]), "");
}
