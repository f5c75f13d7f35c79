use super::*;
use crate::app::exchange::Incoming;
use crate::app::tests::{at, office, reg, S, T0};
use crate::domain::monthly::{issue_notice, my_notices, NoticeKind};
use crate::storage::block_on;
use crate::storage::memory::MemoryStore;
use std::cell::RefCell;
use std::rc::Rc;

const NOW: i64 = T0 + 100_000;
const PASS: &str = "平原改革办2026";

fn empty() -> S {
    Session::new(RefCell::new(None), Rc::new(MemoryStore::default()))
}

fn notice(s: &S, ms: i64) -> String {
    let id = s
        .act(&at(ms), |tx| {
            if crate::domain::org::Directory::of(tx.reg()).unit("县教育局").is_none() {
                crate::domain::org::save_unit(tx, None, &crate::domain::Unit { name: "县教育局".into(), ..Default::default() })?;
            }
            issue_notice(tx, NoticeKind::Reminder, "县教育局", &[], "请报送", None)
        })
        .unwrap();
    block_on(s.flush()).unwrap();
    id
}

fn numbers(s: &S) -> Vec<u32> {
    my_notices(&reg(s), 2027).into_iter().map(|(_, n)| n.serial).collect()
}

fn send(from: &S, to: &S) -> usize {
    let f = block_on(from.export(None, false, NOW)).unwrap();
    let n = match block_on(to.read_file(&f.text, NOW)).unwrap() {
        Incoming::Preview(p) => to.apply(&p).unwrap(),
        Incoming::NothingNew => 0,
    };
    block_on(to.flush()).unwrap();
    n
}

fn backup(s: &S) -> String {
    let settings = BTreeMap::from([("operator".to_string(), "王".to_string())]);
    block_on(s.backup(PASS, &[7; 28], settings, NOW)).unwrap().text
}

#[test]
fn a_restored_office_is_the_same_office_and_its_numbering_continues() {
    let a = office("pingyuan", "平原县委改革办");
    notice(&a, 1);
    let text = backup(&a);
    assert!(!text.contains(reg(&a).trust.secret.as_deref().unwrap()), "the key is never in clear");
    let fresh = empty();
    let r = block_on(fresh.restore(&text, PASS, "abc123")).unwrap();
    block_on(fresh.flush()).unwrap();
    assert_eq!((r.name.as_str(), r.settings["operator"].as_str()), ("平原县委改革办", "王"));
    let b = reg(&fresh);
    assert_eq!(b.office(), "pingyuan");
    assert_eq!(b.me, "pingyuan-rabc123", "a fresh author id");
    assert_eq!(b.trust.public(), reg(&a).trust.public(), "the same key");
    assert_eq!(b.records, reg(&a).records);
    assert_eq!(crate::domain::ops::my_office(&b).unwrap().name, "平原县委改革办");
    assert_eq!(block_on(fresh.store.load()).unwrap().unwrap(), b, "stored");
    // 文号 serials continue: 平改办督〔2027〕2号, not 1号 again.
    notice(&fresh, 2);
    assert_eq!(numbers(&fresh), vec![1, 2]);
}

/// The backup is older than what a peer holds: the office went on after it and sent its peer
/// changes the backup lacks. The restored office must never hand the peer a different change
/// under an id the peer holds — and gets its lost changes back from the peer.
#[test]
fn a_restore_older_than_what_peers_hold_never_reuses_a_change_id() {
    let a = office("pingyuan", "平原县委改革办");
    let p = office("dezhou", "德州市委改革办");
    notice(&a, 1);
    let text = backup(&a);
    notice(&a, 2); // after the backup: lost with the laptop, but sent to the peer
    assert!(send(&a, &p) > 0);
    let fresh = empty();
    block_on(fresh.restore(&text, PASS, "x7")).unwrap();
    block_on(fresh.flush()).unwrap();
    // It works on at once, then exchanges both ways without a collision.
    let id = crate::domain::ReformItem { title: "物业智囊团".into(), year: 2027, lead_unit: "县住建局".into(), ..Default::default() };
    fresh.act(&at(3), |tx| crate::domain::ops::save_item_adding_names(tx, None, &id)).unwrap();
    block_on(fresh.flush()).unwrap();
    let held_by_peer: std::collections::BTreeSet<_> = block_on(p.store.all_changes()).unwrap().into_iter().map(|c| c.dot).collect();
    let in_backup: std::collections::BTreeSet<_> = serde_json::from_str::<Backup>(&text).unwrap().body.changes.into_iter().map(|c| c.dot).collect();
    let made_since: Vec<_> = block_on(fresh.store.all_changes()).unwrap().into_iter().map(|c| c.dot).filter(|d| !in_backup.contains(d)).collect();
    assert!(!made_since.is_empty() && made_since.iter().all(|d| !held_by_peer.contains(d)), "no id the peer holds: {made_since:?}");
    assert!(send(&fresh, &p) > 0);
    assert!(send(&p, &fresh) > 0, "the changes made after the backup come back");
    assert_eq!(reg(&p).canonical_state(), reg(&fresh).canonical_state());
    assert_eq!(reg(&fresh).trust.known["dezhou"].key, reg(&p).trust.public());
    assert_eq!(numbers(&fresh), vec![1, 2]);
}

#[test]
fn bad_backups_are_refused_and_change_nothing() {
    let a = office("pingyuan", "平原县委改革办");
    notice(&a, 1);
    let text = backup(&a);
    let b = office("dezhou", "德州市委改革办");
    let before = (reg(&b), b.store.snapshot());
    let exchange = block_on(a.export(None, false, NOW)).unwrap().text;
    let damaged = text.replacen("县教育局", "县财政局", 1);
    let mut resealed: Backup = serde_json::from_str(&text).unwrap();
    resealed.body.name = "伪造".into();
    resealed.digest = digest_of(&resealed.body);
    let resealed = serde_json::to_string(&resealed).unwrap();
    for (t, pass, want) in [
        (text.as_str(), "wrong passphrase", BackupError::WrongPassphrase),
        (damaged.as_str(), PASS, BackupError::Damaged),
        (resealed.as_str(), PASS, BackupError::Damaged),
        (&text[..text.len() / 2], PASS, BackupError::NotBackup),
        (exchange.as_str(), PASS, BackupError::ExchangeFile),
        ("{\"format\": \"something-else\"}", PASS, BackupError::NotBackup),
    ] {
        assert_eq!(block_on(b.restore(t, pass, "z")).unwrap_err(), want);
        assert_eq!((reg(&b), b.store.snapshot()), before, "{want:?} changed nothing");
        assert!(!want.message(Lang::Zh).is_empty() && !want.message(Lang::En).is_empty());
    }
    assert_eq!(block_on(a.backup("short", &[1; 28], BTreeMap::new(), NOW)).unwrap_err(), BackupError::ShortPassphrase);
}

#[test]
fn reminders_come_after_a_week_or_fifty_changes() {
    let a = office("pingyuan", "平原县委改革办");
    assert!(!due(&reg(&a), NOW + REMIND_AFTER_MS * 2), "just set up: not yet");
    backup(&a);
    assert!(!due(&reg(&a), NOW + 1));
    notice(&a, 1);
    assert!(!due(&reg(&a), NOW + 2), "one change, a moment later");
    assert!(due(&reg(&a), NOW + REMIND_AFTER_MS + 1), "a week later");
    for n in 0..REMIND_AFTER_CHANGES as i64 {
        notice(&a, 10 + n);
    }
    assert!(due(&reg(&a), NOW + 3), "fifty changes later");
}
