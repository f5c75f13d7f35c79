use super::*;
use crate::app::exchange::Incoming;
use crate::app::tests::{at, office, reg, S};
use crate::domain::{ops, ReformItem};
use crate::storage::block_on;

const NOW: i64 = crate::app::tests::T0 + 100_000;

fn add_items(s: &S, n: usize) {
    for k in 0..n {
        let i = ReformItem { title: format!("改革事项{k}"), year: 2026, lead_unit: "县住建局".into(), ..Default::default() };
        s.act(&at(k as i64 + 1), |tx| ops::save_item_adding_names(tx, None, &i)).unwrap();
    }
    block_on(s.flush()).unwrap();
}

fn export(s: &S) -> String {
    block_on(s.export(None, false, NOW)).unwrap().text
}

/// Answers one request, keeping the steps it reported.
fn ask(job: &Job<crate::storage::memory::MemoryStore>, req: Request, texts: &[String]) -> (Reply, Vec<Reply>) {
    let steps = RefCell::new(vec![]);
    let reply = block_on(job.handle(req, texts, &|r| steps.borrow_mut().push(r)));
    (reply, steps.into_inner())
}

fn read() -> Request {
    Request::Read { now_ms: NOW, lang: Lang::Zh }
}

#[test]
fn a_job_previews_and_stores_what_the_page_would() {
    let a = office("kaijiang", "开江县委改革办");
    add_items(&a, FIRST_ROWS + 5);
    let text = export(&a);
    // The same file read in the page's own session, as the reference.
    let page = office("pingyuan", "平原县委改革办");
    let Incoming::Preview(expected) = block_on(page.read_file(&text, NOW)).unwrap() else { panic!("a preview") };
    let expected_summary = Summary::of(&reg(&page), &expected);
    page.apply(&expected).unwrap();
    block_on(page.flush()).unwrap();

    let b = office("pingyuan", "平原县委改革办");
    let before = b.store.snapshot();
    let job = block_on(Job::open(b.store.clone())).unwrap();
    let (reply, steps) = ask(&job, read(), std::slice::from_ref(&text));
    let Reply::Preview(summary) = reply else { panic!("{reply:?}") };
    assert_eq!(*summary, expected_summary);
    assert_eq!(summary.records_new, FIRST_ROWS + 5 + 2, "items, the office and the unit");
    assert_eq!(steps.len(), ReadStep::COUNT, "each step reported: {steps:?}");
    assert_eq!(b.store.snapshot(), before, "a preview stores nothing");
    // The item group lists its first rows; more are described on request.
    let items = summary.groups.iter().position(|(c, _)| c == "item").unwrap();
    assert_eq!(summary.first_rows[items].len(), FIRST_ROWS);
    let (Reply::Rows { group, rows }, _) = ask(&job, Request::Rows { group: items, upto: 1000 }, &[]) else { panic!() };
    assert_eq!((group, rows.len()), (items, FIRST_ROWS + 5));
    assert_eq!(rows[..FIRST_ROWS], summary.first_rows[items][..]);

    let base = reg(&b).vv;
    let (reply, _) = ask(&job, Request::Apply { base, lang: Lang::Zh }, &[]);
    assert_eq!(reply, Reply::Applied { changes: expected.plan.new_changes.len() });
    // What it stored is kept until the worker has answered, then freed.
    assert_eq!(
        job.spent.borrow().as_ref().map(|s| (s.batch.changes.len(), s.confirmed.len())),
        Some((expected.plan.new_changes.len(), expected.plan.new_changes.len()))
    );
    job.release();
    assert!(job.spent.borrow().is_none());
    // What the page reads back is what applying in the page would have stored.
    let stored = block_on(b.store.load()).unwrap().unwrap();
    assert_eq!(stored.canonical_state(), reg(&page).canonical_state());
    assert_eq!(block_on(b.store.all_changes()).unwrap().len(), block_on(page.store.all_changes()).unwrap().len());
}

#[test]
fn a_refused_or_stale_job_stores_nothing() {
    let a = office("kaijiang", "开江县委改革办");
    add_items(&a, 3);
    let text = export(&a);
    let b = office("pingyuan", "平原县委改革办");
    let before = b.store.snapshot();
    let job = block_on(Job::open(b.store.clone())).unwrap();
    // A damaged file: refused, with the reason in the user's words.
    let (reply, _) = ask(&job, read(), &[text[..text.len() / 2].to_string()]);
    assert!(matches!(&reply, Reply::Refused { file: 0, key: None, message } if !message.is_empty()), "{reply:?}");
    assert_eq!(b.store.snapshot(), before);
    // Applying with nothing previewed, or after the page's registry moved on: refused.
    let (reply, _) = ask(&job, Request::Apply { base: reg(&b).vv, lang: Lang::Zh }, &[]);
    assert!(matches!(reply, Reply::Failed { .. }), "{reply:?}");
    let (reply, _) = ask(&job, read(), std::slice::from_ref(&text));
    assert!(matches!(reply, Reply::Preview(_)), "{reply:?}");
    add_items(&b, 1); // an edit in the page, stored, after the preview
    let after_edit = b.store.snapshot();
    let (reply, _) = ask(&job, Request::Apply { base: reg(&b).vv, lang: Lang::Zh }, &[]);
    assert_eq!(reply, Reply::Failed { message: ExchangeError::Stale.message(Lang::Zh) });
    assert_eq!(b.store.snapshot(), after_edit, "nothing of the file stored");
}

#[test]
fn a_cancelled_job_stops_and_a_file_with_nothing_new_is_noted() {
    let a = office("kaijiang", "开江县委改革办");
    add_items(&a, 2);
    let text = export(&a);
    let b = office("pingyuan", "平原县委改革办");
    let before = b.store.snapshot();
    let job = block_on(Job::open(b.store.clone())).unwrap();
    // Cancelled at the first step (as a Cancel request arriving while the read waits its turn).
    let steps = RefCell::new(0);
    let reply = block_on(job.handle(read(), std::slice::from_ref(&text), &|_| {
        *steps.borrow_mut() += 1;
        job.cancel.set(true);
    }));
    assert_eq!(reply, Reply::Cancelled);
    assert_eq!(*steps.borrow(), 1);
    assert_eq!(b.store.snapshot(), before);
    // A job stays cancelled: a cancel that came before its read stops the read at once.
    assert_eq!(ask(&job, read(), std::slice::from_ref(&text)).0, Reply::Cancelled);
    // Stored through a new job; the same file again holds nothing new.
    let job = block_on(Job::open(b.store.clone())).unwrap();
    let (Reply::Preview(_), _) = ask(&job, read(), std::slice::from_ref(&text)) else { panic!() };
    let base = block_on(b.store.load()).unwrap().unwrap().vv;
    assert!(matches!(ask(&job, Request::Apply { base, lang: Lang::Zh }, &[]).0, Reply::Applied { .. }));
    let again = block_on(Job::open(b.store.clone())).unwrap();
    assert_eq!(ask(&again, read(), std::slice::from_ref(&text)).0, Reply::NothingNew);
    let stored = block_on(b.store.load()).unwrap().unwrap();
    assert!(stored.peers.contains_key("kaijiang"), "the sender is known");
}

#[test]
fn requests_and_replies_cross_as_json() {
    let a = office("kaijiang", "开江县委改革办");
    add_items(&a, 1);
    let b = office("pingyuan", "平原县委改革办");
    let job = block_on(Job::open(b.store.clone())).unwrap();
    let (reply, _) = ask(&job, read(), &[export(&a)]);
    let text = serde_json::to_string(&reply).unwrap();
    assert_eq!(serde_json::from_str::<Reply>(&text).unwrap(), reply);
    for msg in [
        Message::Job(Request::Apply { base: reg(&b).vv, lang: Lang::En }),
        Message::Export { to: Some("kaijiang".into()), delta: true, now_ms: NOW, lang: Lang::Zh },
    ] {
        assert_eq!(serde_json::from_str::<Message>(&serde_json::to_string(&msg).unwrap()).unwrap(), msg);
    }
    let exported = Reply::Exported { name: "开江县委改革办→全体_2027-01-15_全量.reform.json".into(), changes: 9 };
    assert_eq!(serde_json::from_str::<Reply>(&serde_json::to_string(&exported).unwrap()).unwrap(), exported);
}

#[test]
fn an_export_made_outside_the_page_is_the_file_the_page_makes() {
    let a = office("kaijiang", "开江县委改革办");
    add_items(&a, 4);
    // A peer, so that a delta for it can be asked for.
    let b = office("pingyuan", "平原县委改革办");
    add_items(&b, 1);
    let Incoming::Preview(p) = block_on(a.read_file(&export(&b), NOW)).unwrap() else { panic!("a preview") };
    a.apply(&p).unwrap();
    block_on(a.flush()).unwrap();
    for (to, delta) in [(None, false), (Some("pingyuan"), false), (Some("pingyuan"), true)] {
        let page = block_on(a.export(to, delta, NOW)).unwrap();
        let (reply, text) = block_on(super::export(a.store.clone(), to, delta, NOW, Lang::Zh));
        assert_eq!(reply, Reply::Exported { name: page.name.clone(), changes: page.changes }, "{to:?} {delta}");
        assert_eq!(text.as_deref(), Some(page.text.as_str()), "the same bytes, signatures included");
    }
    // The delta holds less than the full file: the peer's own changes are not sent back.
    let full = block_on(super::export(a.store.clone(), Some("pingyuan"), false, NOW, Lang::Zh)).1.unwrap();
    let delta = block_on(super::export(a.store.clone(), Some("pingyuan"), true, NOW, Lang::Zh)).1.unwrap();
    assert!(delta.len() < full.len());
    // Nothing stored to export from: a message in the user's words, and no file.
    let empty = Rc::new(crate::storage::memory::MemoryStore::default());
    let (reply, text) = block_on(super::export(empty, None, false, NOW, Lang::En));
    assert_eq!(reply, Reply::Failed { message: ExchangeError::NoRegistry.message(Lang::En) });
    assert_eq!(text, None);
}
