use super::*;
use crate::app::exchange::Incoming;
use crate::app::tests::{at, office, reg, S, T0};
use crate::i18n::Lang;
use crate::storage::block_on;
use crate::sync::bundle::{Bundle, KeyState};

const NOW: i64 = T0 + 100_000;

fn add_item(s: &S, title: &str, ms: i64) -> String {
    let i = crate::domain::ReformItem { title: title.into(), year: 2026, lead_unit: "县住建局".into(), ..Default::default() };
    let id = s.act(&at(ms), |tx| ops::save_item_adding_names(tx, None, &i)).unwrap();
    block_on(s.flush()).unwrap();
    id
}

fn text_for(from: &S, to: &S) -> String {
    block_on(from.export(Some(&reg(to).me), false, NOW)).unwrap().text
}

fn receive(to: &S, text: &str) -> Result<Option<KeyState>, ExchangeError> {
    let state = match block_on(to.read_file(text, NOW))? {
        Incoming::Preview(p) => {
            let s = p.plan.checked.sender_state();
            to.apply(&p)?;
            Some(s)
        }
        Incoming::NothingNew => None,
    };
    block_on(to.flush())?;
    Ok(state)
}

fn refused(to: &S, text: &str) -> ExchangeError {
    let (mem, stored) = (reg(to), to.store.snapshot());
    let e = block_on(to.read_file(text, NOW)).unwrap_err();
    assert_eq!(reg(to), mem, "memory unchanged");
    assert_eq!(to.store.snapshot(), stored, "storage unchanged");
    e
}

fn known<'a>(list: &'a [KnownOffice], office: &str) -> &'a KnownOffice {
    list.iter().find(|k| k.office == office).unwrap_or_else(|| panic!("{office} not known"))
}

#[test]
fn the_first_signed_file_registers_the_key_and_both_sides_read_the_same_fingerprint() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    assert_eq!(receive(&b, &text_for(&a, &b)).unwrap(), Some(KeyState::FirstUse));
    let list = known_offices(&reg(&b));
    let k = known(&list, "kaijiang");
    assert_eq!(k.name, "开江县委改革办");
    assert_eq!(k.fingerprint, my_fingerprint(&reg(&a)), "what a reads out is what b sees");
    assert_eq!((k.standing.clone(), k.first_seen_ms, k.last_file_ms), (KeyStanding::FirstUse, NOW, NOW));
    // The next file is signed by the registered key.
    add_item(&a, "1分钱公交", 2);
    assert_eq!(receive(&b, &text_for(&a, &b)).unwrap(), Some(KeyState::Known));
    // Stored, not only in memory.
    assert_eq!(block_on(b.store.load()).unwrap().unwrap().trust.known["kaijiang"].key, reg(&b).trust.known["kaijiang"].key);
}

#[test]
fn a_changed_key_is_refused_until_a_person_accepts_it() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    receive(&b, &text_for(&a, &b)).unwrap();
    let old_fp = my_fingerprint(&reg(&a)).unwrap();
    // kaijiang's browser lost its key (a new one, no rotation signed by the old).
    a.reg.write(|r| r.trust.secret = Some(trust::hex(&[9; 32]))).unwrap();
    add_item(&a, "1分钱公交", 2);
    let text = text_for(&a, &b);
    let e = refused(&b, &text);
    let new_key = trust::OfficeKey::from_seed(&[9; 32]).public();
    assert!(matches!(&e, ExchangeError::Trust { why: BundleError::KeyChanged { presented, .. }, .. } if presented == &new_key), "{e:?}");
    let m = e.message(Lang::Zh);
    let new_fp = trust::fingerprint(&new_key);
    assert!(m.contains("开江县委改革办") && m.contains(&old_fp) && m.contains(&new_fp) && m.contains("接受新密钥"), "{m}");
    // Accepting is recorded (who, when, old and new), and then the file imports.
    b.accept_key("kaijiang", &new_key, NOW + 5, "李").unwrap();
    let k = reg(&b).trust.known["kaijiang"].clone();
    let last = k.history.last().unwrap();
    assert_eq!((last.how.clone(), last.by.as_str(), last.at_ms, last.new.as_str()), (How::Accepted, "李", NOW + 5, new_key.as_str()));
    assert_eq!(last.old.as_deref().map(trust::fingerprint), Some(old_fp));
    assert_eq!(receive(&b, &text).unwrap(), Some(KeyState::Known));
    assert_eq!(known(&known_offices(&reg(&b)), "kaijiang").standing, KeyStanding::Accepted);
}

#[test]
fn a_rotated_key_is_taken_without_asking_and_relayed() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let c = office("dezhou", "德州市委改革办");
    add_item(&a, "物业智囊团", 1);
    receive(&b, &text_for(&a, &b)).unwrap();
    receive(&c, &text_for(&a, &c)).unwrap();
    let fp = a.rotate_key([5; 32], NOW).unwrap();
    add_item(&a, "1分钱公交", 2);
    assert_eq!(receive(&b, &text_for(&a, &b)).unwrap(), Some(KeyState::Rotated));
    let k = known(&known_offices(&reg(&b)), "kaijiang").clone();
    assert_eq!((k.fingerprint.as_deref(), k.standing), (Some(fp.as_str()), KeyStanding::Rotated));
    // c hears of it only through b's file: the rotation travels with kaijiang's changes.
    receive(&c, &text_for(&b, &c)).unwrap();
    assert_eq!(reg(&c).trust.known["kaijiang"].key, reg(&b).trust.known["kaijiang"].key);
    // A "rotation" signed by some other key is no rotation.
    let mut forged: Bundle = serde_json::from_str(&text_for(&a, &b)).unwrap();
    let other = trust::OfficeKey::from_seed(&[6; 32]);
    forged.body.rotations =
        vec![Rotation { office: "kaijiang".into(), old: reg(&a).trust.public().unwrap(), new: other.public(), at: NOW, sig: other.sign(b"x") }];
    assert!(!forged.body.rotations[0].is_valid());
}

#[test]
fn unsigned_content_is_read_only_from_offices_not_yet_registered() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let c = office("dezhou", "德州市委改革办");
    add_item(&a, "物业智囊团", 1);
    let unsigned = |text: &str| {
        let mut x: Bundle = serde_json::from_str(text).unwrap();
        x.body.version = 1;
        x.body.heads.clear();
        x.body.rotations.clear();
        x.signatures.clear();
        x.digest = {
            use sha2::Digest;
            format!("sha256:{}", trust::hex(&sha2::Sha256::digest(serde_json::to_vec(&x.body).unwrap())))
        };
        crate::sync::bundle::to_text(&x)
    };
    // From an office not registered here: read, and shown as unsigned.
    assert_eq!(receive(&c, &unsigned(&text_for(&a, &c))).unwrap(), Some(KeyState::Unsigned));
    assert_eq!(known(&known_offices(&reg(&c)), "kaijiang").standing, KeyStanding::Unsigned);
    // From an office whose key is registered: refused, whatever it says.
    receive(&b, &text_for(&a, &b)).unwrap();
    add_item(&a, "1分钱公交", 2);
    let e = refused(&b, &unsigned(&text_for(&a, &b)));
    assert!(matches!(&e, ExchangeError::Trust { why: BundleError::Unsigned(o), .. } if o == "kaijiang"), "{e:?}");
    assert!(e.message(Lang::Zh).contains("没有签名"));
    // Its signed file then registers the key at c too (c had none).
    assert_eq!(receive(&c, &text_for(&a, &c)).unwrap(), Some(KeyState::FirstUse));
}

#[test]
fn changes_relayed_by_a_third_office_stay_their_authors() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let c = office("dezhou", "德州市委改革办");
    add_item(&a, "物业智囊团", 1);
    receive(&b, &text_for(&a, &b)).unwrap();
    // c has never had a file from kaijiang: b's file carries kaijiang's signed head.
    receive(&c, &text_for(&b, &c)).unwrap();
    let list = known_offices(&reg(&c));
    assert_eq!(known(&list, "kaijiang").fingerprint, my_fingerprint(&reg(&a)));
    assert_eq!(known(&list, "kaijiang").last_file_ms, 0, "no file of its own yet");
    assert_eq!(reg(&c).heads["kaijiang"].signed, reg(&b).heads["kaijiang"].signed);
}

#[test]
fn opening_an_older_registry_gives_it_a_key_and_its_chains() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    let full = reg(&a);
    let mut old = full.clone();
    old.heads.clear();
    old.trust = Trust::default();
    block_on(a.open(old, [3; 32])).unwrap();
    let opened = reg(&a);
    assert_eq!(opened.heads, full.heads, "rebuilt from the log");
    assert_eq!(opened.trust.public(), Some(trust::OfficeKey::from_seed(&[3; 32]).public()));
    block_on(a.flush()).unwrap();
    assert_eq!(block_on(a.store.load()).unwrap().unwrap(), opened, "saved");
    assert_eq!(receive(&b, &text_for(&a, &b)).unwrap(), Some(KeyState::FirstUse));
    // An office that has its key keeps it.
    block_on(a.open(opened.clone(), [4; 32])).unwrap();
    assert_eq!(reg(&a).trust.secret, opened.trust.secret);
}

#[test]
fn a_superior_offices_roster_registers_keys_and_is_refused_whole_when_it_disagrees() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let city = office("dezhou", "德州市委改革办");
    let c = office("qingyun", "庆云县委改革办");
    add_item(&a, "物业智囊团", 1);
    for from in [&a, &b] {
        receive(&city, &text_for(from, &city)).unwrap();
    }
    let roster = city.export_roster(NOW).unwrap();
    assert!(roster.name.contains("德州市委改革办") && roster.name.ends_with(".roster.json"));
    // A roster cannot vouch for itself: the city's key must be registered at c first.
    let before = reg(&c);
    assert!(matches!(c.import_roster(&roster.text, NOW), Err(ExchangeError::RosterIssuerUnknown { .. })));
    assert_eq!(reg(&c), before);
    receive(&c, &text_for(&city, &c)).unwrap();
    assert_eq!(c.import_roster(&roster.text, NOW).unwrap(), 2);
    let list = known_offices(&reg(&c));
    assert_eq!(known(&list, "kaijiang").standing, KeyStanding::Roster("德州市委改革办".into()));
    assert_eq!(known(&list, "kaijiang").fingerprint, my_fingerprint(&reg(&a)));
    assert_eq!(known(&list, "dezhou").fingerprint, my_fingerprint(&reg(&city)));
    // kaijiang's first own file to c is then signed by a key c already holds.
    add_item(&a, "1分钱公交", 2);
    assert_eq!(receive(&c, &text_for(&a, &c)).unwrap(), Some(KeyState::Known));
    // A roster edited after signing: refused, nothing changes.
    let mut r: Roster = serde_json::from_str(&roster.text).unwrap();
    r.body.entries[0].key = trust::OfficeKey::from_seed(&[8; 32]).public();
    let edited = serde_json::to_string(&r).unwrap();
    let fresh = office("xiajin", "夏津县委改革办");
    let before = reg(&fresh);
    assert!(matches!(fresh.import_roster(&edited, NOW), Err(ExchangeError::Trust { why: BundleError::BadSignature(_), .. })));
    assert_eq!(reg(&fresh), before);
    // A genuine roster naming another key for an office registered here: refused whole.
    let other = office("liaocheng", "聊城市委改革办");
    other.accept_key("kaijiang", &trust::OfficeKey::from_seed(&[8; 32]).public(), NOW, "张").unwrap();
    other.accept_key("pingyuan", &reg(&b).trust.public().unwrap(), NOW, "张").unwrap();
    let conflicting = other.export_roster(NOW).unwrap();
    receive(&c, &text_for(&other, &c)).unwrap();
    let before = reg(&c);
    let e = c.import_roster(&conflicting.text, NOW).unwrap_err();
    assert!(matches!(&e, ExchangeError::Trust { why: BundleError::KeyChanged { office, .. }, .. } if office == "kaijiang"), "{e:?}");
    assert_eq!(reg(&c), before);
    // Not a roster at all.
    assert!(matches!(c.import_roster("{\"format\": \"reform-registry-bundle\"}", NOW), Err(ExchangeError::File(BundleError::WrongFormat))));
}

mod attacks;
