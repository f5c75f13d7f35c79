use super::*;
use crate::app::exchange::file_error_message;
use crate::domain::model::coll;
use crate::i18n::Lang;
use crate::sync::clock::DEFAULT_MAX_DRIFT_MS;
use crate::sync::DELETED;
use proptest::prelude::*;
use serde_json::json;

const NOW: i64 = 1_700_000_000_000;

/// An office as the tests see it: its registry plus the change log storage would hold.
#[derive(Clone)]
struct Office {
    reg: Registry,
    log: Vec<Change>,
    /// What each peer was last known to hold (from the bundles it sent us).
    known: BTreeMap<String, VersionVector>,
}

impl Office {
    /// Each test office holds a key of its own (from its id), as every office set up now does.
    fn new(id: &str) -> Self {
        let mut reg = Registry::new(id);
        reg.trust.secret = Some(trust::hex(&sha2::Sha256::digest(id.as_bytes())));
        Office { reg, log: vec![], known: BTreeMap::new() }
    }
    /// A local edit; like a user's, one that changes nothing records nothing.
    fn edit(&mut self, t: i64, rec: &str, field: &str, v: Value) {
        if let Some(c) = self.reg.change(NOW + t, "item", rec, vec![(field.into(), v)], "").unwrap() {
            self.log.push(c);
        }
    }
    fn export(&self, to: &str, full: bool) -> Bundle {
        let since = if full { None } else { Some(self.known.get(to).cloned().unwrap_or_default()) };
        export(&self.reg, &self.reg.me, None, &self.log, since.as_ref(), NOW)
    }
    fn lookup(&self) -> impl Fn(&Dot) -> Option<Change> + '_ {
        move |d| self.log.iter().find(|c| &c.dot == d).cloned()
    }
    fn import_text(&mut self, text: &str) -> Result<ImportPlan, BundleError> {
        // Every file the tests import is read both ways: the sliced reading agrees with `parse`.
        let b = parse(text, coll::ALL);
        assert_eq!(sliced(text), b.as_ref().ok().cloned(), "the sliced reading takes exactly what parse takes");
        let b = b?;
        let plan = plan_import(&self.reg, b.clone(), NOW, DEFAULT_MAX_DRIFT_MS, &self.lookup())?;
        // The merge takes each change's chain hash from the check of the file: the heads are
        // exactly those that applying the new changes one by one works out.
        let mut plain = self.reg.clone();
        for c in &plan.new_changes {
            plain.apply(c).unwrap();
        }
        let heads = |r: &Registry| r.heads.iter().map(|(o, h)| (o.clone(), h.seq, h.hash.clone())).collect::<Vec<_>>();
        assert_eq!(heads(&plan.registry), heads(&plain), "chain heads after a merge");
        self.reg = plan.registry.clone();
        self.log.extend(plan.new_changes.iter().cloned());
        self.known.entry(b.body.from.office.clone()).or_default().merge(&b.body.vv);
        Ok(plan)
    }
    fn import(&mut self, b: &Bundle) -> Result<ImportPlan, BundleError> {
        self.import_text(&to_text(b))
    }
}

/// The fast path of `parse_paced`, resting at every unit of work.
fn sliced(text: &str) -> Option<Bundle> {
    let mut pace = crate::sync::pace::Counted { every: 1, ..Default::default() };
    crate::storage::block_on(read_in_slices(text, coll::ALL, &mut pace)).unwrap().map(|(b, _)| b)
}

fn two_offices() -> (Office, Office) {
    let mut a = Office::new("pingyuan");
    a.edit(1, "r1", "title", json!("扩大农村劳动力就业集成改革试点"));
    a.edit(2, "r1", "lead_unit", json!("县人社局"));
    a.edit(3, "r1", "year", json!(2022));
    (a, Office::new("dezhou"))
}

#[test]
fn full_bundle_round_trip_and_reimport_is_noop() {
    let (a, mut b) = two_offices();
    let bundle = a.export("dezhou", true);
    assert!(to_text(&bundle).contains("\"format\": \"reform-registry-bundle\""));
    let plan = b.import(&bundle).unwrap();
    assert_eq!(plan.records_new, vec!["r1".to_string()]);
    assert_eq!(plan.new_changes.len(), 3);
    assert_eq!(a.reg.canonical_state(), b.reg.canonical_state());
    let again = b.import(&bundle).unwrap();
    assert!(again.is_noop());
    assert_eq!(a.reg.canonical_state(), b.reg.canonical_state());
}

#[test]
fn delta_gives_the_same_result_as_full() {
    let (mut a, mut b) = two_offices();
    b.import(&a.export("dezhou", true)).unwrap();
    let mut c = b.clone();
    // B tells A what it holds by sending a (here empty-ish) bundle back.
    b.edit(4, "r2", "title", json!("德州市任务"));
    a.import(&b.export("pingyuan", true)).unwrap();
    a.edit(5, "r1", "goal", json!("扩大就业"));
    let delta = a.export("dezhou", false);
    assert_eq!(delta.body.kind, BundleKind::Delta);
    assert_eq!(delta.body.changes.len(), 1, "only what dezhou lacks");
    b.import(&delta).unwrap();
    c.import(&a.export("dezhou", true)).unwrap();
    assert_eq!(b.reg.records["r1"], c.reg.records["r1"]);
    assert_eq!(b.reg.canonical_state(), a.reg.canonical_state());
}

#[test]
fn delta_with_a_hole_is_refused() {
    let (mut a, mut b) = two_offices();
    b.import(&a.export("dezhou", true)).unwrap();
    a.known.insert("dezhou".into(), a.reg.vv.clone());
    a.edit(10, "r1", "goal", json!("一"));
    let first = a.export("dezhou", false);
    a.known.insert("dezhou".into(), a.reg.vv.clone()); // A believes B got it; it was lost
    a.edit(11, "r1", "goal", json!("二"));
    let second = a.export("dezhou", false);
    let before = b.reg.clone();
    let e = b.import(&second).unwrap_err();
    assert_eq!(e, BundleError::MissingBase { office: "pingyuan".into(), have: 3, need: 4 });
    assert!(file_error_message(&e, Lang::Zh).contains("请先导入"));
    assert_eq!(b.reg, before);
    b.import(&first).unwrap();
    b.import(&second).unwrap();
    assert_eq!(b.reg.canonical_state(), a.reg.canonical_state());
}

fn assert_refused(text: &str, want: fn(&BundleError) -> bool) {
    let (_, mut b) = two_offices();
    b.edit(1, "x", "title", json!("本机数据"));
    let before = (b.reg.clone(), b.log.clone());
    let e = b.import_text(text).unwrap_err();
    assert!(want(&e), "unexpected error {e:?}");
    assert!(!file_error_message(&e, Lang::Zh).is_empty() && !file_error_message(&e, Lang::En).is_empty());
    assert_eq!((b.reg.clone(), b.log.clone()), before, "nothing changed");
}

#[test]
fn hostile_and_broken_files_change_nothing() {
    let (a, _) = two_offices();
    let good = to_text(&a.export("dezhou", true));
    // Truncated.
    let mut half = good.len() / 2;
    while !good.is_char_boundary(half) {
        half -= 1;
    }
    assert_refused(&good[..half], |e| matches!(e, BundleError::NotJson { .. }));
    // A flipped byte inside a value: still JSON, digest no longer matches.
    let flipped = good.replacen("县人社局", "县人杜局", 1);
    assert_refused(&flipped, |e| *e == BundleError::DigestMismatch);
    // Wrong digest.
    let mut b = a.export("dezhou", true);
    b.digest = format!("sha256:{}", "0".repeat(64));
    assert_refused(&to_text(&b), |e| *e == BundleError::DigestMismatch);
    // Newer version.
    let newer = good.replacen(&format!("\"version\": {VERSION}"), "\"version\": 7", 1);
    assert_refused(&newer, |e| *e == BundleError::NewerVersion(7));
    // Unknown field in a change (where it matters): refused as malformed.
    let mut v: Value = serde_json::from_str(&good).unwrap();
    v["changes"][0]["secret"] = json!(1);
    assert_refused(&v.to_string(), |e| matches!(e, BundleError::Malformed { .. }));
    // Not JSON at all, and not our format.
    assert_refused("PK\u{3}\u{4} this is a spreadsheet", |e| matches!(e, BundleError::NotJson { .. }));
    assert_refused("{\"hello\": 1}", |e| *e == BundleError::WrongFormat);
    // Deep nesting.
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    assert_refused(&deep, |e| matches!(e, BundleError::NotJson { .. }));
    // Duplicate change ids: a re-signed bundle with one change twice.
    let mut dup = a.export("dezhou", true);
    dup.body.changes.push(dup.body.changes[0].clone());
    dup.digest = digest_of(&dup.body);
    assert_refused(&to_text(&dup), |e| matches!(e, BundleError::Gap { .. }));
    // Oversized string.
    let mut big = Office::new("pingyuan");
    big.edit(1, "r", "goal", json!("改".repeat(MAX_STRING)));
    assert_refused(&to_text(&big.export("x", true)), |e| matches!(e, BundleError::Oversized(_)));
    // Unknown collection.
    let mut odd = a.export("dezhou", true);
    odd.body.changes[0].coll = "spreadsheet".into();
    odd.digest = digest_of(&odd.body);
    assert_refused(&to_text(&odd), |e| matches!(e, BundleError::UnknownCollection(_)));
}

#[test]
fn a_change_from_the_future_is_refused() {
    let mut a = Office::new("future");
    let c = a.reg.make_change(NOW + DEFAULT_MAX_DRIFT_MS + 60_000, "item", "r", vec![("title".into(), json!("x"))], "");
    a.log.push(c);
    assert_refused(&to_text(&a.export("x", true)), |e| matches!(e, BundleError::FutureStamp { .. }));
}

#[test]
fn restored_backup_gets_its_own_changes_back() {
    let (mut a, mut b) = two_offices();
    let backup = a.clone();
    a.edit(4, "r1", "goal", json!("备份之后的修改"));
    b.import(&a.export("dezhou", true)).unwrap();
    // A's disk dies; it restores the backup, then imports from B before typing anything.
    let mut restored = backup;
    let plan = restored.import(&b.export("pingyuan", true)).unwrap();
    assert_eq!(plan.own_restored, Some(4));
    assert_eq!(restored.reg.next_seq(), 5, "new changes continue after the returned ones");
    assert_eq!(restored.reg.canonical_state(), b.reg.canonical_state());
}

#[test]
fn two_histories_with_one_change_id_are_refused() {
    let (mut a, mut b) = two_offices();
    let mut backup = a.clone();
    a.edit(4, "r1", "goal", json!("原来的第4号"));
    b.import(&a.export("dezhou", true)).unwrap();
    backup.edit(5, "r1", "goal", json!("恢复后新录入的第4号"));
    let before = backup.reg.clone();
    let e = backup.import(&b.export("pingyuan", true)).unwrap_err();
    assert_eq!(e, BundleError::Collision(Dot::new("pingyuan", 4)));
    assert_eq!(backup.reg, before);
}

#[test]
fn conflicts_and_deletes_show_in_the_preview() {
    let (mut a, mut b) = two_offices();
    b.import(&a.export("dezhou", true)).unwrap();
    a.edit(10, "r1", "goal", json!("A的目标"));
    b.edit(11, "r1", "goal", json!("B的目标"));
    let plan = b.import(&a.export("dezhou", true)).unwrap();
    assert_eq!(plan.new_conflicts, vec![("r1".to_string(), "goal".to_string())]);
    a.edit(12, "r2", "title", json!("将删除"));
    b.import(&a.export("dezhou", true)).unwrap();
    a.edit(13, "r2", DELETED, json!(true));
    let plan = b.import(&a.export("dezhou", true)).unwrap();
    assert_eq!(plan.records_deleted, vec!["r2".to_string()]);
}

// ---- Property test: random offices, edits and deliveries converge. ----

#[derive(Clone, Debug)]
enum Op {
    Edit { office: usize, rec: u8, field: u8, val: u8 },
    Delete { office: usize, rec: u8 },
    Send { from: usize, to: usize, full: bool, lost: bool },
    Deliver { to: usize, pick: usize, keep: bool },
}

fn op(n: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..n, 0..3u8, 0..2u8, 0..4u8).prop_map(|(office, rec, field, val)| Op::Edit { office, rec, field, val }),
        1 => (0..n, 0..3u8).prop_map(|(office, rec)| Op::Delete { office, rec }),
        3 => (0..n, 0..n, any::<bool>(), prop::bool::weighted(0.2)).prop_map(|(from, to, full, lost)| Op::Send { from, to, full, lost }),
        3 => (0..n, any::<usize>(), prop::bool::weighted(0.2)).prop_map(|(to, pick, keep)| Op::Deliver { to, pick, keep }),
    ]
}

fn scenario() -> impl Strategy<Value = (usize, Vec<Op>)> {
    (2..=5usize).prop_flat_map(|n| (Just(n), prop::collection::vec(op(n), 1..60)))
}

fn run(n: usize, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut offices: Vec<Office> = (0..n).map(|i| Office::new(&format!("o{i}"))).collect();
    let mut inbox: Vec<Vec<String>> = vec![vec![]; n];
    let mut t = 0i64;
    for op in ops {
        t += 1;
        match *op {
            Op::Edit { office, rec, field, val } => {
                let o = &mut offices[office];
                let id = format!("r{rec}");
                if o.reg.records.get(&id).is_some_and(|r| r.is_deleted()) {
                    continue; // the UI refuses edits of deleted records
                }
                o.edit(t, &id, ["title", "goal"][field as usize], json!(val));
            }
            Op::Delete { office, rec } => {
                let o = &mut offices[office];
                let id = format!("r{rec}");
                if o.reg.get_live(&id).is_some() {
                    o.edit(t, &id, DELETED, json!(true));
                }
            }
            Op::Send { from, to, full, lost } => {
                if from != to && !lost {
                    let name = offices[to].reg.me.clone();
                    inbox[to].push(to_text(&offices[from].export(&name, full)));
                }
            }
            Op::Deliver { to, pick, keep } => {
                if inbox[to].is_empty() {
                    continue;
                }
                let i = pick % inbox[to].len();
                let text = inbox[to][i].clone();
                match offices[to].import_text(&text) {
                    Ok(_) if !keep => {
                        inbox[to].remove(i);
                    }
                    Ok(_) => {}                                // delivered again later: must be a no-op
                    Err(BundleError::MissingBase { .. }) => {} // stays for a retry
                    Err(e) => return Err(TestCaseError::fail(format!("unexpected {e:?}"))),
                }
            }
        }
    }
    // Final exchange: everyone sends everyone a full bundle, twice round.
    for _ in 0..2 {
        for from in 0..n {
            for to in 0..n {
                if from != to {
                    let b = offices[from].export("", true);
                    offices[to].import(&b).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                }
            }
        }
    }
    let s0 = offices[0].reg.canonical_state();
    for o in &offices[1..] {
        prop_assert_eq!(&o.reg.canonical_state(), &s0);
    }
    // Oracle: every write ever made is current, in a conflict set, or superseded by a write
    // whose author had seen it.
    let all: Vec<&Change> = offices.iter().flat_map(|o| o.log.iter()).collect();
    let reg = &offices[0].reg;
    for c in &all {
        for f in c.set.keys() {
            let st = &reg.records[&c.record].fields[f];
            let current = st.entries.iter().any(|e| e.dot == c.dot);
            let superseded = all.iter().any(|w| w.record == c.record && w.set.get(f).is_some_and(|fw| fw.over.contains(&c.dot)));
            prop_assert!(current || superseded, "write {} of {} lost", c.dot, f);
            prop_assert_eq!(superseded, st.covered.contains(&c.dot));
        }
    }
    Ok(())
}

#[test]
fn offices_converge_whatever_the_delivery_order() {
    crate::check_property("offices_converge_whatever_the_delivery_order", file!(), 300, scenario(), |(n, ops)| run(n, &ops));
}

#[test]
fn merge_is_commutative_associative_idempotent() {
    let mut a = Office::new("a");
    let mut b = Office::new("b");
    let mut c = Office::new("c");
    a.edit(1, "r", "title", json!("A"));
    b.edit(2, "r", "title", json!("B"));
    c.edit(3, "r", "goal", json!("C"));
    let (ba, bb, bc) = (a.export("", true), b.export("", true), c.export("", true));
    let orders = [[&ba, &bb, &bc], [&bc, &bb, &ba], [&bb, &bc, &ba]];
    let states: Vec<String> = orders
        .iter()
        .map(|ord| {
            let mut x = Office::new("x");
            for bundle in ord {
                x.import(bundle).unwrap();
                x.import(bundle).unwrap(); // idempotent
            }
            x.reg.canonical_state()
        })
        .collect();
    assert!(states.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn the_documented_schema_matches_what_is_written() {
    // Fails when the format gains or renames a property without docs/bundle.schema.json.
    let schema: Value = serde_json::from_str(include_str!("../../../docs/bundle.schema.json")).unwrap();
    let (mut a, _) = two_offices();
    // A change with every optional property (author, counter) so the schema check covers them.
    let c = a.reg.make_change(NOW, "item", "r1", vec![("goal".into(), json!("x"))], "王");
    a.log.push(c);
    let mut b = export(&a.reg, "平原", Some(Party { office: "dz".into(), name: "德州".into() }), &a.log, Some(&VersionVector::default()), NOW);
    // A rotation too, so every optional part of a signed file is written.
    let (old, new) = (trust::OfficeKey::from_seed(&[1; 32]), trust::OfficeKey::from_seed(&[2; 32]));
    b.body.rotations.push(Rotation { office: a.reg.me.clone(), old: old.public(), new: new.public(), at: NOW, sig: old.sign(b"x") });
    let v = serde_json::to_value(&b).unwrap();
    assert!(!b.signatures.is_empty() && b.body.heads.iter().all(|h| h.sig.is_some()), "a signed export");
    let top = schema["properties"].as_object().unwrap();
    for k in v.as_object().unwrap().keys() {
        assert!(top.contains_key(k), "top-level {k} not in schema");
    }
    for k in schema["required"].as_array().unwrap() {
        assert!(v.get(k.as_str().unwrap()).is_some(), "required {k} not written");
    }
    let change = schema["$defs"]["change"]["properties"].as_object().unwrap();
    for c in v["changes"].as_array().unwrap() {
        for k in c.as_object().unwrap().keys() {
            assert!(change.contains_key(k), "change property {k} not in schema");
        }
    }
    for (part, def) in [("heads", "head"), ("rotations", "rotation")] {
        let props = schema["$defs"][def]["properties"].as_object().unwrap();
        for h in v[part].as_array().unwrap() {
            for k in h.as_object().unwrap().keys() {
                assert!(props.contains_key(k), "{def} property {k} not in schema");
            }
        }
    }
    let sig = schema["$defs"]["signature"]["properties"].as_object().unwrap();
    for k in v["signatures"][0].as_object().unwrap().keys() {
        assert!(sig.contains_key(k), "signature property {k} not in schema");
    }
    let colls: Vec<&str> = schema["$defs"]["change"]["properties"]["coll"]["enum"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
    assert_eq!(colls, coll::ALL);
    assert_eq!(schema["properties"]["version"]["const"], json!(VERSION));
}

#[test]
fn file_text_is_readable_and_parses_back() {
    let (a, _) = two_offices();
    let b = a.export("dezhou", true);
    let text = to_text(&b);
    assert!(text.starts_with("{\n  \""));
    assert_eq!(text.lines().filter(|l| l.trim_start().starts_with("{\"dot\"")).count(), b.body.changes.len(), "one change per line");
    assert_eq!(parse(&text, coll::ALL).unwrap(), b);
    let empty = export(&Registry::new("x"), "x", None, &[], None, NOW);
    assert_eq!(parse(&to_text(&empty), coll::ALL).unwrap(), empty);
}

/// The export that serialises each change once writes exactly the bytes of the bundle built
/// and then written, with the same digest and signature: full and delta, own and relayed
/// changes (a relay hashes the log's changes that the file leaves out), and an empty file.
#[test]
fn writing_the_text_straight_gives_the_same_file() {
    let (mut a, mut b) = two_offices();
    b.import(&a.export("dezhou", true)).unwrap();
    b.edit(10, "r2", "title", json!("德州市一件事一次办"));
    a.import(&b.export("pingyuan", true)).unwrap();
    a.edit(20, "r1", "goal", json!("目标"));
    let mut c = Office::new("linyi");
    c.import(&a.export("linyi", true)).unwrap();
    for (o, to, full) in [(&a, "linyi", true), (&a, "dezhou", false), (&b, "pingyuan", false), (&c, "x", true)] {
        let since = if full { None } else { Some(o.known.get(to).cloned().unwrap_or_default()) };
        let built = export(&o.reg, "某办", None, &o.log, since.as_ref(), NOW);
        let (header, n, text) = export_text(&o.reg, "某办", None, &o.log, since.as_ref(), NOW);
        assert_eq!(text, to_text(&built), "{} to {to}", o.reg.me);
        assert_eq!((n, &header.digest, &header.signatures), (built.body.changes.len(), &built.digest, &built.signatures));
        assert_eq!(built.digest, digest_of(&built.body));
        assert!(parse(&text, coll::ALL).is_ok());
    }
    let empty = Registry::new("x");
    assert_eq!(export_text::<Change>(&empty, "x", None, &[], None, NOW).2, to_text(&export(&empty, "x", None, &[], None, NOW)));
}

/// The sliced reading never takes a file that `parse` refuses, and what it takes is what `parse`
/// makes of it: good files, and files damaged at random (a byte changed to one that matters to
/// JSON, a piece cut out or doubled, a change line repeated).
#[test]
fn the_sliced_reading_takes_exactly_what_parse_takes() {
    let (mut a, mut b) = two_offices();
    b.edit(5, "r9", "title", json!("第二个 \"办\", 事项 ] }"));
    a.import(&b.export("pingyuan", true)).unwrap();
    a.edit(9, "r1", "tags", json!(["一", "二,]"]));
    let good = to_text(&a.export("dezhou", true));
    assert_eq!(sliced(&good), Some(parse(&good, coll::ALL).unwrap()), "a good file is read in slices");
    let cases = std::sync::atomic::AtomicUsize::new(0);
    let taken = std::sync::atomic::AtomicUsize::new(0);
    let bytes = good.as_bytes().to_vec();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 400, ..ProptestConfig::default() });
    let damage = (0usize..4, 0..bytes.len(), 0..bytes.len(), prop::sample::select(vec![b'{', b'}', b'[', b']', b',', b'"', b'\\', b':', b' ', b'1', b'x']));
    runner
        .run(&damage, |(kind, at, to, byte)| {
            let (lo, hi) = (at.min(to), at.max(to).min(lo_plus(at.min(to), 200)));
            let mut t = bytes.clone();
            match kind {
                0 => t[at] = byte,
                1 => {
                    t.drain(lo..hi);
                }
                2 => {
                    let piece = t[lo..hi].to_vec();
                    t.splice(hi..hi, piece);
                }
                _ => t.insert(at, byte),
            }
            let Ok(text) = String::from_utf8(t) else { return Ok(()) };
            cases.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let whole = parse(&text, coll::ALL).ok();
            let fast = sliced(&text);
            if fast.is_some() {
                taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                prop_assert_eq!(fast, whole, "taken in slices, so parse takes it the same");
            }
            Ok(())
        })
        .unwrap();
    // A change line given twice: the file holds a repeated change (refused by both).
    let line = good.lines().find(|l| l.trim_start().starts_with("{\"dot\"")).unwrap().trim().trim_end_matches(',');
    let twice = good.replacen(line, &format!("{line},{line}"), 1);
    assert!(parse(&twice, coll::ALL).is_err() && sliced(&twice).is_none());
    println!(
        "sliced reading: {} damaged files read both ways, {} taken by both",
        cases.load(std::sync::atomic::Ordering::Relaxed),
        taken.load(std::sync::atomic::Ordering::Relaxed)
    );
}

fn lo_plus(lo: usize, n: usize) -> usize {
    lo + n
}

/// The paced reading keeps each change's canonical JSON in order (the chain check and storage
/// use it).
#[test]
fn a_paced_reading_keeps_each_changes_canonical_json() {
    let (a, _) = two_offices();
    let good = to_text(&a.export("dezhou", true));
    let p = crate::storage::block_on(parse_paced_texts(&good, coll::ALL, &mut ())).unwrap();
    let texts = p.texts.expect("our own file takes the fast path");
    assert_eq!(texts.len(), p.bundle.body.changes.len());
    assert!(p.bundle.body.changes.len() > 2);
    for (c, t) in p.bundle.body.changes.iter().zip(&texts) {
        assert_eq!(t, &c.canonical_json());
    }
    assert_eq!(p.bundle, parse(&good, coll::ALL).unwrap());
}

/// A platform that hashes beside the work (as the browser's digest does), honestly or not.
struct Beside {
    calls: usize,
    lies: bool,
}

impl crate::sync::pace::Pace for Beside {
    async fn tick(&mut self) -> Result<(), crate::sync::pace::Stopped> {
        Ok(())
    }
    fn sha256_beside(&mut self, len: usize, parts: &mut dyn Iterator<Item = &[u8]>) -> Option<crate::sync::pace::Beside> {
        self.calls += 1;
        let joined: Vec<u8> = parts.flat_map(|p| p.iter().copied()).collect();
        assert_eq!(joined.len(), len, "the length given is the parts'");
        let mut hash: [u8; 32] = sha2::Sha256::digest(&joined).into();
        if self.lies {
            hash[0] ^= 1;
        }
        Some(Box::pin(std::future::ready(Some(hash))))
    }
}

/// The file's digest may be worked out beside the parse, over the changes as the file writes
/// them; it decides only when every change is written as the exporter writes it.
#[test]
fn a_digest_worked_out_beside_the_parse_decides_only_for_changes_as_written() {
    let (a, _) = two_offices();
    let good = to_text(&a.export("dezhou", true));
    let read = |text: &str, lies: bool| {
        let mut pace = Beside { calls: 0, lies };
        let p = crate::storage::block_on(parse_paced_texts(text, coll::ALL, &mut pace)).map(|p| (p.bundle, p.texts.is_some()));
        (p, pace.calls)
    };
    let whole = parse(&good, coll::ALL).unwrap();
    // Our own file: the hash worked out beside is the one compared.
    assert_eq!(read(&good, false), (Ok((whole.clone(), true)), 1));
    let (lied, calls) = read(&good, true);
    assert_eq!(calls, 1);
    assert_eq!(lied, Ok((whole.clone(), false)), "a wrong hash beside: the fast path refuses it (the whole parse then reads it)");
    // A change written otherwise (spaces after its colons): its canonical text is hashed here,
    // and the hash beside (of the text as written) is not used, right or wrong.
    let line = good.lines().find(|l| l.trim_start().starts_with("{\"dot\"")).unwrap().trim().trim_end_matches(',');
    let spaced = good.replacen(line, &line.replacen("\":", "\": ", 2), 1);
    assert_ne!(spaced, good);
    let expected = parse(&spaced, coll::ALL).unwrap();
    assert_eq!(expected, whole);
    assert_eq!(read(&spaced, false), (Ok((expected.clone(), true)), 1));
    assert_eq!(read(&spaced, true), (Ok((expected, true)), 1));
    // A file with no changes.
    let empty = to_text(&export(&a.reg, &a.reg.me, None, &a.log, Some(&a.reg.vv.clone()), NOW));
    assert!(empty.contains("\"changes\": []"));
    assert_eq!(read(&empty, false), (Ok((parse(&empty, coll::ALL).unwrap(), true)), 1));
    assert_eq!(read(&empty, true).0.map(|(_, fast)| fast), Ok(false));
}

/// An export's digest is the platform's where it has one, else worked out here: the same hash.
#[test]
fn an_exports_digest_is_the_platforms_where_it_has_one() {
    let (a, _) = two_offices();
    let file = unsealed(&a.reg, "德州", None, &a.log, None, NOW);
    let here = file.hash();
    let mut honest = Beside { calls: 0, lies: false };
    assert_eq!(crate::storage::block_on(file.hash_paced(&mut honest)), here);
    assert_eq!(honest.calls, 1);
    let mut lying = Beside { calls: 0, lies: true };
    assert_ne!(crate::storage::block_on(file.hash_paced(&mut lying)), here, "the platform's answer is the one taken");
    assert_eq!(crate::storage::block_on(file.hash_paced(&mut ())), here);
    assert_eq!(file.seal(here).2, to_text(&export(&a.reg, "德州", None, &a.log, None, NOW)));
}

/// Stopped at a rest, the paced reading ends with `Stopped` (nothing read is kept).
#[test]
fn a_paced_reading_stops_when_asked() {
    let (a, _) = two_offices();
    let good = to_text(&a.export("dezhou", true));
    let mut pace = crate::sync::pace::Counted { every: 1, stop_at: Some(2), ..Default::default() };
    let r = crate::storage::block_on(parse_paced(&good, coll::ALL, &mut pace));
    assert_eq!(r, Err(Halt::Stopped));
    let mut pace = crate::sync::pace::Counted { every: 1, ..Default::default() };
    assert_eq!(crate::storage::block_on(parse_paced(&good, coll::ALL, &mut pace)), Ok(parse(&good, coll::ALL).unwrap()));
    assert!(pace.rests >= a.log.len(), "a rest after each change: {} rests for {} changes", pace.rests, a.log.len());
}
