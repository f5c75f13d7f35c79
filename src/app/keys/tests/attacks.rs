//! Attacks found in review of the signing change (each passed before its fix): a forger holds a
//! text editor, its own office's key, and everything offices publish in their files.
use super::*;
use crate::sync::bundle::{to_text, Body, Head, Party, Signature};
use crate::sync::clock::VersionVector;
use serde_json::json;

fn reseal(mut x: Bundle) -> String {
    use sha2::Digest;
    x.digest = format!("sha256:{}", trust::hex(&sha2::Sha256::digest(serde_json::to_vec(&x.body).unwrap())));
    to_text(&x)
}

fn title_of(s: &S, id: &str) -> serde_json::Value {
    reg(s).records[id].value("title").cloned().unwrap()
}

fn edited_title(a: &S, b: &S, id: &str) -> Bundle {
    let i = crate::domain::ReformItem { title: "真".into(), year: 2026, lead_unit: "县住建局".into(), ..Default::default() };
    a.act(&at(2), |tx| ops::save_item_adding_names(tx, Some(id), &i)).unwrap();
    block_on(a.flush()).unwrap();
    let mut x: Bundle = serde_json::from_str(&text_for(a, b)).unwrap();
    let last = x.body.changes.iter_mut().rev().find(|c| c.dot.office == "kaijiang" && c.set.contains_key("title")).unwrap();
    last.set.get_mut("title").unwrap().v = json!("伪造的标题");
    x
}

/// A version 1 (unsigned) file carrying new changes of an office whose key is registered, sent
/// "from" anyone — another office, or the receiver itself.
#[test]
fn an_unsigned_file_cannot_carry_a_registered_offices_changes() {
    for from in ["forger", "pingyuan"] {
        let a = office("kaijiang", "开江县委改革办");
        let b = office("pingyuan", "平原县委改革办");
        let id = add_item(&a, "物业智囊团", 1);
        receive(&b, &text_for(&a, &b)).unwrap();
        let mut x = edited_title(&a, &b, &id);
        x.body.version = 1;
        x.body.heads.clear();
        x.body.rotations.clear();
        x.signatures.clear();
        x.body.from = Party { office: from.into(), name: "随便".into() };
        let e = refused(&b, &reseal(x));
        assert!(matches!(&e, ExchangeError::Trust { why: BundleError::Unsigned(o), .. } if o == "kaijiang"), "{from}: {e:?}");
        assert_eq!(title_of(&b, &id), json!("物业智囊团"));
    }
}

/// Changes in the receiver's own name beyond what it holds, unsigned: refused (it would have
/// signed them as its own history in its next file).
#[test]
fn nobody_can_add_to_the_receivers_own_history() {
    let b = office("pingyuan", "平原县委改革办");
    let id = add_item(&b, "物业智囊团", 1);
    let held = reg(&b);
    let mut fake = held.clone();
    let c = fake.make_change(NOW - 10, "item", &id, vec![("title".into(), json!("伪造"))], "王");
    let prev = held.heads["pingyuan"].hash.clone();
    let hash = trust::hex(&trust::link(&trust::unhex::<32>(&prev).unwrap(), &c));
    let mut vv = held.vv.clone();
    vv.advance(&c.dot);
    let seq = c.dot.seq;
    let body = Body {
        format: "reform-registry-bundle".into(),
        version: 2,
        kind: crate::sync::bundle::BundleKind::Delta,
        from: Party { office: "forger".into(), name: "x".into() },
        to: None,
        exported_at: NOW,
        exported_at_text: String::new(),
        vv,
        since: held.vv.clone(),
        heads: vec![Head { office: "pingyuan".into(), seq, prev, hash, key: None, sig: None }],
        rotations: vec![],
        changes: vec![c],
    };
    let e = refused(&b, &reseal(Bundle { body, digest: String::new(), signatures: vec![] }));
    assert!(matches!(&e, ExchangeError::Trust { why: BundleError::Unsigned(o), .. } if o == "pingyuan"), "{e:?}");
}

/// A file that brings nothing new cannot register a key (no preview would have shown it).
#[test]
fn a_file_with_nothing_new_registers_no_key() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    let kx = trust::OfficeKey::from_seed(&[66; 32]);
    let body = Body {
        format: "reform-registry-bundle".into(),
        version: 2,
        kind: crate::sync::bundle::BundleKind::Full,
        from: Party { office: "kaijiang".into(), name: "开江县委改革办".into() },
        to: None,
        exported_at: NOW,
        exported_at_text: String::new(),
        vv: VersionVector::default(),
        since: VersionVector::default(),
        heads: vec![],
        rotations: vec![],
        changes: vec![],
    };
    let mut x = Bundle { body, digest: String::new(), signatures: vec![] };
    x = serde_json::from_str(&reseal(x)).unwrap();
    x.signatures = vec![Signature { office: "kaijiang".into(), alg: "ed25519".into(), key: kx.public(), sig: kx.sign(&trust::file_message(&x.digest)) }];
    assert!(matches!(block_on(b.read_file(&to_text(&x), NOW)).unwrap(), Incoming::NothingNew));
    assert!(!reg(&b).trust.known.contains_key("kaijiang"), "nothing registered");
    assert_eq!(receive(&b, &text_for(&a, &b)).unwrap(), Some(KeyState::FirstUse), "the real office is not locked out");
}

/// After a rotation, heads still signed by the old key (relayed by an office that has nothing
/// newer) bring nothing new and are read, at a peer and at the office itself.
#[test]
fn heads_signed_before_a_rotation_still_read() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let c = office("dezhou", "德州市委改革办");
    add_item(&a, "物业智囊团", 1);
    receive(&b, &text_for(&a, &b)).unwrap();
    receive(&c, &text_for(&a, &c)).unwrap();
    a.rotate_key([5; 32], NOW).unwrap();
    add_item(&a, "1分钱公交", 2);
    receive(&b, &text_for(&a, &b)).unwrap();
    receive(&b, &text_for(&c, &b)).unwrap();
    receive(&a, &text_for(&c, &a)).unwrap();
    assert_eq!(reg(&b).trust.known["kaijiang"].key, reg(&a).trust.public(), "the new key stays registered");
}

/// The sender's key sits outside the digest: spelled in capitals it would have been registered
/// as another key. Only lowercase hex is read.
#[test]
fn a_key_has_one_spelling() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    add_item(&a, "物业智囊团", 1);
    let mut x: Bundle = serde_json::from_str(&text_for(&a, &b)).unwrap();
    x.signatures[0].key = x.signatures[0].key.to_uppercase();
    assert!(matches!(refused(&b, &to_text(&x)), ExchangeError::File(BundleError::Malformed { .. })));
    assert!(b.accept_key("kaijiang", &reg(&a).trust.public().unwrap().to_uppercase(), NOW, "").is_err());
}

/// A genuine file with an ordinary quotient (200/13) reads: floats come back exactly as written.
#[test]
fn floats_survive_the_round_trip() {
    let a = office("kaijiang", "开江县委改革办");
    let b = office("pingyuan", "平原县委改革办");
    let id = add_item(&a, "物业智囊团", 1);
    a.act(&at(2), |tx| tx.set("item", &id, "weight", json!(200.0f64 / 13.0))).unwrap();
    block_on(a.flush()).unwrap();
    assert_eq!(receive(&b, &text_for(&a, &b)).unwrap(), Some(KeyState::FirstUse));
    let mut bad = 0;
    for n in 1..20_000u32 {
        let f = f64::from(n) / 13.0 * 100.0 + f64::from(n).sqrt();
        let t = serde_json::to_string(&json!(f)).unwrap();
        bad += usize::from(serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&t).unwrap()).unwrap() != t);
    }
    println!("floats_survive_the_round_trip: 19,999 cases");
    assert_eq!(bad, 0);
}

/// Set up an office under a superior's id and vouch for a false key: the roster is refused,
/// since the issuer's key is not registered here.
#[test]
fn a_roster_cannot_vouch_for_itself() {
    let c = office("qingyun", "庆云县委改革办");
    let fake_city = office("dezhou", "德州市委改革办");
    fake_city.accept_key("kaijiang", &trust::OfficeKey::from_seed(&[77; 32]).public(), NOW, "").unwrap();
    let roster = fake_city.export_roster(NOW).unwrap();
    let before = reg(&c);
    assert!(matches!(c.import_roster(&roster.text, NOW), Err(ExchangeError::RosterIssuerUnknown { .. })));
    assert_eq!(reg(&c), before);
}
