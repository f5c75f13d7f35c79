//! Exchange between offices as one use case each: export a file for a peer; read a file into a
//! preview; apply the preview. The exchange page only renders these states.

use super::Turns;
use super::{Holder, Session};
use crate::domain::model::coll;
use crate::domain::{labels, lifecycle, ops, ownership, DomainError};
use crate::i18n::{t, tf, Lang, K};
use crate::storage::{Store, StoreError};
use crate::sync::bundle::{self, delta_base, BundleError, ImportPlan, Party};
use crate::sync::clock::DEFAULT_MAX_DRIFT_MS;
use crate::sync::pace::{Halt, Pace};
use crate::sync::trust;
use crate::sync::{Change, Dot, RecordId, VersionVector};
use std::collections::HashMap;

/// Why an exchange step did not happen. Nothing was changed in any case.
#[derive(Clone, Debug, PartialEq)]
pub enum ExchangeError {
    File(BundleError),
    Store(StoreError),
    /// The registry changed between the preview and "apply" (an edit, another import).
    Stale,
    /// A change to a record its author does not keep (author, owner, record as named).
    NotOwner {
        author: String,
        owner: String,
        record: String,
    },
    /// A status move the life cycle does not allow: the item as named, and why.
    Move {
        record: String,
        why: Box<DomainError>,
    },
    NoRegistry,
    /// A roster from an office whose key is not registered here (it cannot vouch for itself).
    RosterIssuerUnknown {
        name: String,
    },
    /// A refused signature or key, with the office's name as this office knows it.
    Trust {
        name: String,
        why: BundleError,
    },
    /// The person stopped reading the file.
    Cancelled,
}

/// The steps of reading a file, reported as they start (a city's file takes seconds each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReadStep {
    /// Parsing, the digest, the chain of hashes and the signatures.
    Checking,
    /// Merging into a copy of the registry, to see what would change.
    Comparing,
    /// Ownership and life-cycle rules over the new changes.
    Rules,
}

impl ReadStep {
    pub const COUNT: usize = 3;
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn label(self) -> K {
        match self {
            ReadStep::Checking => K::ExStepChecking,
            ReadStep::Comparing => K::ExStepComparing,
            ReadStep::Rules => K::ExStepRules,
        }
    }
}

/// Watches a read: told each step as it starts (file n of m), and asked between steps whether
/// the person cancelled. A cancelled read changes nothing.
pub trait Watch {
    fn step(&self, _file: usize, _files: usize, _step: ReadStep) {}
    fn cancelled(&self) -> bool {
        false
    }
}

/// Nobody watching.
impl Watch for () {}

impl ExchangeError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ExchangeError::File(e) => file_error_message(e, lang),
            ExchangeError::Store(e @ (StoreError::ReadOnly | StoreError::Busy | StoreError::Loading)) => e.message(lang),
            ExchangeError::Store(e) => tf(lang, K::ErrStorage, &[e.message(lang)]),
            ExchangeError::Stale => t(lang, K::ExStale).to_string(),
            ExchangeError::NotOwner { author, owner, record } => tf(lang, K::ExOwnerRule, &[author.clone(), owner.clone(), record.clone()]),
            ExchangeError::Move { record, why } => tf(lang, K::ExMoveRule, &[record.clone(), why.message(lang)]),
            ExchangeError::NoRegistry => tf(lang, K::ErrNoSuchRecord, &[String::new()]),
            ExchangeError::Trust { name, why } => file_error_message_named(why, lang, name),
            ExchangeError::RosterIssuerUnknown { name } => tf(lang, K::ErrRosterIssuer, std::slice::from_ref(name)),
            ExchangeError::Cancelled => t(lang, K::ExCancelled).to_string(),
        }
    }
}

/// What a refused file means, in the user's language.
pub fn file_error_message(e: &BundleError, lang: Lang) -> String {
    file_error_message_named(e, lang, "")
}

/// The same, naming the office a signature error is about as `name` (when known).
fn file_error_message_named(e: &BundleError, lang: Lang, name: &str) -> String {
    use BundleError::*;
    let who = |o: &str| if name.is_empty() { bundle::snippet(o) } else { bundle::snippet(name) };
    let (k, args): (K, Vec<String>) = match e {
        TooLarge(n) => (K::BErrTooLarge, vec![(n / 1024 / 1024).to_string()]),
        NotJson { line, column } => (K::BErrNotJson, vec![line.to_string(), column.to_string()]),
        WrongFormat => (K::BErrWrongFormat, vec![]),
        NewerVersion(v) => (K::BErrNewer, vec![v.to_string()]),
        Malformed { line, column, field } => (K::BErrMalformed, vec![line.to_string(), column.to_string(), bundle::snippet(field)]),
        DuplicateKey { line, key } => (K::BErrDuplicateKey, vec![line.to_string(), bundle::snippet(key)]),
        Truncated { office, last, claimed } => (K::BErrTruncated, vec![bundle::snippet(office), last.to_string(), claimed.to_string()]),
        BadStamp(d) => (K::BErrBadStamp, vec![d.to_string()]),
        UnseenOver { change, names } => (K::BErrUnseenOver, vec![change.to_string(), names.to_string()]),
        DigestMismatch => (K::BErrDigest, vec![]),
        FromSelf => (K::BErrFromSelf, vec![]),
        MissingBase { office, have, need } => (K::BErrMissingBase, vec![office.clone(), have.to_string(), need.to_string()]),
        Gap { office, expected, got } => (K::BErrGap, vec![bundle::snippet(office), expected.to_string(), got.to_string()]),
        FutureStamp { office, at } => (K::BErrFuture, vec![office.clone(), bundle::iso(*at)]),
        Collision(d) => (K::BErrCollision, vec![d.to_string()]),
        Oversized(w) => (K::BErrOversized, vec![bundle::snippet(w)]),
        UnknownCollection(c) => (K::BErrUnknownColl, vec![bundle::snippet(c)]),
        BadSignature(o) => (K::BErrBadSignature, vec![who(o)]),
        ChainBroken(o) => (K::BErrChainBroken, vec![who(o)]),
        KeyChanged { office, pinned, presented } => (K::BErrKeyChanged, vec![who(office), trust::fingerprint(pinned), trust::fingerprint(presented)]),
        Unsigned(o) => (K::BErrUnsigned, vec![who(o)]),
        Fork { office, seq, proven } => (if *proven { K::BErrForkProven } else { K::BErrFork }, vec![who(office), seq.to_string()]),
    };
    tf(lang, k, &args)
}

impl From<StoreError> for ExchangeError {
    fn from(e: StoreError) -> Self {
        ExchangeError::Store(e)
    }
}

impl From<BundleError> for ExchangeError {
    fn from(e: BundleError) -> Self {
        ExchangeError::File(e)
    }
}

/// A file ready to download.
#[derive(Clone, Debug, PartialEq)]
pub struct Exported {
    pub name: String,
    pub text: String,
    pub changes: usize,
}

/// What reading a file found.
#[derive(Clone, Debug)]
pub enum Incoming {
    /// Everything in it was already held; what it said about the sender has been noted.
    NothingNew,
    /// New changes: shown to the user, applied only on confirmation.
    Preview(Box<Preview>),
}

#[derive(Clone, Debug)]
pub struct Preview {
    pub plan: ImportPlan,
    /// The version vector the preview was computed against (apply refuses if it moved).
    base: VersionVector,
    /// The records it lists, by collection (`diff_groups`), worked out while reading.
    pub groups: Vec<DiffGroup>,
}

/// A collection's records in a preview: (id, kind) each, described when shown.
pub type DiffGroup = (String, Vec<(RecordId, DiffKind)>);

/// One record in a preview: what it is called, and each field that changes, old → new.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RecordDiff {
    pub id: String,
    pub coll: String,
    pub name: String,
    pub kind: DiffKind,
    /// (field, old, new), values shown as text of at most 60 characters.
    pub fields: Vec<(String, String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DiffKind {
    New,
    Changed,
    Deleted,
}

/// A value as a preview shows it.
fn shown(v: Option<&serde_json::Value>) -> String {
    use serde_json::Value;
    let s = match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { "✓" } else { "✗" }.to_string(),
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("、"),
        Some(v) => v.to_string(),
    };
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// What a preview lists: every record the import creates, changes or deletes, with the fields
/// whose shown value changes. Grouped by collection (records of one kind together), in the
/// order new, changed, deleted.
pub fn describe(before: &crate::sync::Registry, plan: &ImportPlan) -> Vec<RecordDiff> {
    diff_groups(plan).iter().flat_map(|(_, rows)| describe_rows(before, plan, rows)).collect()
}

/// The preview's groups: each collection with its records (id, kind), without reading them (a
/// city's file brings 130,000 records; a preview shows the first few of each group).
pub fn diff_groups(plan: &ImportPlan) -> Vec<DiffGroup> {
    crate::sync::pace::unpaced::<_, ()>(diff_groups_paced(plan, &mut ())).unwrap_or_default()
}

async fn diff_groups_paced(plan: &ImportPlan, pace: &mut impl Pace) -> Result<Vec<DiffGroup>, Halt<()>> {
    let after = &plan.registry;
    let mut groups: std::collections::BTreeMap<&str, Vec<(RecordId, DiffKind)>> = std::collections::BTreeMap::new();
    for (ids, kind) in [(&plan.records_new, DiffKind::New), (&plan.records_changed, DiffKind::Changed), (&plan.records_deleted, DiffKind::Deleted)] {
        for id in ids {
            if let Some(coll) = after.records.coll_str(id) {
                groups.entry(coll).or_default().push((id.clone(), kind));
            }
            pace.tick().await?;
        }
    }
    Ok(groups.into_iter().map(|(c, v)| (c.to_string(), v)).collect())
}

/// Some rows of a group as the preview shows them: name, and each field whose shown value changes.
pub fn describe_rows(before: &crate::sync::Registry, plan: &ImportPlan, rows: &[(RecordId, DiffKind)]) -> Vec<RecordDiff> {
    let after = &plan.registry;
    rows.iter()
        .filter_map(|(id, kind)| {
            let now = after.records.get(id)?;
            let was = before.records.get(id);
            let name = labels::record_name(now).or_else(|| was.and_then(labels::record_name)).unwrap_or(id).to_string();
            let fields = if *kind == DiffKind::Deleted {
                vec![]
            } else {
                now.fields
                    .keys()
                    .filter(|f| !f.starts_with('_'))
                    .filter_map(|f| {
                        let (o, n) = (shown(was.and_then(|r| r.value(f))), shown(now.value(f)));
                        (o != n).then(|| (f.clone(), o, n))
                    })
                    .collect()
            };
            Some(RecordDiff { id: id.clone(), coll: now.coll.clone(), name, kind: *kind, fields })
        })
        .collect()
}

/// A record as a refusal names it: its title or name after the import, else its id.
fn title_in<'a>(plan: &'a ImportPlan, record: &'a str) -> &'a str {
    plan.registry.records.get(record).and_then(labels::record_name).unwrap_or(record)
}

/// A signature refusal names the office as people know it: the sender by the name it gives,
/// others by their office record here.
fn named(reg: &crate::sync::Registry, from: &Party, e: BundleError) -> ExchangeError {
    use BundleError::*;
    let office = match &e {
        BadSignature(o) | ChainBroken(o) | Unsigned(o) | KeyChanged { office: o, .. } | Fork { office: o, .. } => o.clone(),
        _ => return ExchangeError::File(e),
    };
    let name = if office == from.office && !from.name.trim().is_empty() { from.name.clone() } else { super::keys::name_of(reg, &office) };
    ExchangeError::Trust { name, why: e }
}

/// A chosen file's text as `Blob.text()` gives it: UTF-8, a leading BOM dropped, bytes that are
/// not UTF-8 replaced (the read then refuses the file as not JSON). The exchange worker reads
/// the file's bytes and makes the text here: `Blob.text()` made a JS string of a city's 42 MB
/// file, which then had to be encoded back into UTF-8 to reach the code.
pub fn file_text(bytes: Vec<u8>) -> String {
    let mut text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// An office name as part of a suggested file name: without the characters file systems refuse.
pub fn file_safe(name: &str) -> String {
    name.chars().filter(|c| !"/\\:*?\"<>|".contains(*c)).collect()
}

/// A suggested file name that says who, what and when.
fn file_name(b: &bundle::Bundle) -> String {
    let to = b.body.to.as_ref().map(|p| p.name.as_str()).unwrap_or("全体");
    let kind = if b.body.kind == bundle::BundleKind::Full { "全量" } else { "增量" };
    let date = b.body.exported_at_text.get(..10).unwrap_or("");
    format!("{}→{}_{}_{}.reform.json", file_safe(&b.body.from.name), file_safe(to), date, kind)
}

impl<H: Holder, S: Store> Session<H, S> {
    /// Every change this office holds: the stored log plus what storage has not confirmed yet.
    pub async fn change_log(&self) -> Result<Vec<Change>, StoreError> {
        let mut all = self.store.all_changes().await?;
        let pending = self.pending.borrow().changes();
        all.extend(pending);
        Ok(all)
    }

    /// Refused until the registry's history is in: a file read or written against part of the
    /// registry would say the wrong thing.
    fn whole(&self) -> Result<(), ExchangeError> {
        if self.is_awaiting_history() {
            Err(ExchangeError::Store(StoreError::Loading))
        } else {
            Ok(())
        }
    }

    /// Whether storage holds all this office holds, once what is pending is stored: a file made
    /// from storage (by the exchange worker) is then the whole registry. False when storage
    /// refuses (a full disk) or an edit came meanwhile: the file is then made from memory
    /// (`export`), with what is not stored.
    pub async fn stored_for_export(&self) -> bool {
        self.pending_len() == 0 || matches!(self.flush().await, Ok(0))
    }

    /// A full file, or (when `delta` and the peer is known) only what `to` has not seen.
    pub async fn export(&self, to: Option<&str>, delta: bool, now_ms: i64) -> Result<Exported, ExchangeError> {
        self.whole()?;
        crate::trace::mark("rr:export-start");
        // As stored (each change's JSON copied, not parsed), with what is not stored yet.
        let mut log = self.store.all_change_texts().await?;
        log.extend(self.pending.borrow().changes().iter().map(crate::sync::StoredChange::of));
        crate::trace::mark("rr:export-log");
        let file = self
            .reg
            .read(|r| {
                let my_name = ops::my_office(r).map(|o| o.name).unwrap_or_default();
                let party = to.map(|to| Party { office: to.to_string(), name: r.peers.get(to).map(|p| p.name.clone()).unwrap_or_default() });
                let since = if delta { to.and_then(|to| delta_base(r, to)) } else { None };
                bundle::unsealed(r, &my_name, party, &log, since.as_ref(), now_ms)
            })
            .ok_or(ExchangeError::NoRegistry)?;
        crate::trace::mark("rr:export-made");
        // The digest by the platform where it can (the browser's, with the processor's SHA
        // instructions: a city's 45 MB took a quarter of a second in wasm), else here.
        let hash = file.hash_paced(&mut Turns::new(&*self.store, &())).await;
        let (header, changes, text) = file.seal(hash);
        crate::trace::mark("rr:export-built");
        Ok(Exported { name: file_name(&header), text, changes })
    }

    /// Reads and checks a file, and works out what it would change. Nothing changes here,
    /// except that a file holding nothing new still teaches us what its sender holds.
    pub async fn read_file(&self, text: &str, now_ms: i64) -> Result<Incoming, ExchangeError> {
        self.read_file_watched(text, now_ms, &(), 0, 1).await
    }

    /// `read_file`, reporting its steps to `watch` and stopping between them when it cancels.
    async fn read_file_watched(&self, text: &str, now_ms: i64, watch: &dyn Watch, file: usize, files: usize) -> Result<Incoming, ExchangeError> {
        self.whole()?;
        let checkpoint = |step: Option<ReadStep>| {
            if let Some(s) = step {
                watch.step(file, files, s);
            }
            async move {
                self.store.pause().await;
                if watch.cancelled() {
                    Err(ExchangeError::Cancelled)
                } else {
                    Ok(())
                }
            }
        };
        checkpoint(Some(ReadStep::Checking)).await?;
        crate::trace::mark("rr:import-start");
        let mut pace = Turns::new(&*self.store, watch);
        let parsed = bundle::parse_paced_texts(text, coll::ALL, &mut pace).await.map_err(|h| match h {
            Halt::Stopped => ExchangeError::Cancelled,
            Halt::Failed(e) => ExchangeError::File(e),
        })?;
        crate::trace::mark("rr:import-parsed");
        // Changes we already hold under the file's ids, looked up by key, so that two different
        // histories under one id are caught (not the whole log: a city holds millions).
        let held: Vec<Dot> = self
            .reg
            .read(|r| parsed.bundle.body.changes.iter().filter(|c| r.vv.contains(&c.dot)).map(|c| c.dot.clone()).collect())
            .ok_or(ExchangeError::NoRegistry)?;
        let mine = self.held_changes(&held).await?;
        crate::trace::mark("rr:import-held");
        checkpoint(Some(ReadStep::Comparing)).await?;
        let from = parsed.bundle.body.from.clone();
        // Planned over a copy (the records are shared, not copied): the page goes on between
        // slices, and an edit made meanwhile makes "apply" refuse the preview as stale.
        let before = self.reg.read(|r| r.clone()).ok_or(ExchangeError::NoRegistry)?;
        let mut plan =
            bundle::plan_import_paced(&before, parsed, now_ms, DEFAULT_MAX_DRIFT_MS, &|d| mine.get(d).cloned(), &mut pace).await.map_err(|h| match h {
                Halt::Stopped => ExchangeError::Cancelled,
                Halt::Failed(e) => named(&before, &from, e),
            })?;
        let base = before.vv.clone();
        drop(mine);
        crate::trace::mark("rr:import-planned");
        checkpoint(Some(ReadStep::Rules)).await?;
        // No office writes what is not its own: one breach refuses the whole file.
        if let Err((n, owner)) = ownership::check_incoming(&plan.new_changes) {
            let c = &plan.new_changes[n];
            let name = |id: &str| bundle::snippet(&ownership::office_name(&plan.registry, id));
            return Err(ExchangeError::NotOwner { author: name(&c.dot.office), owner: name(&owner), record: bundle::snippet(title_in(&plan, &c.record)) });
        }
        // Status moves: the same life-cycle rule and gates as a local move, as their author had it.
        // A replaced status is in the file's new changes, or held here.
        crate::trace::mark("rr:import-owners");
        let over: std::collections::HashSet<Dot> = plan.new_changes.iter().filter_map(|c| c.set.get("status")).flat_map(|w| w.over.iter().cloned()).collect();
        // Only the status each replaced write held (a city's file replaces 20,000: copying the
        // whole changes cost 50 MB and 150 ms in one task).
        let status_in = |c: &Change| c.set.get("status").and_then(|w| serde_json::from_value::<crate::domain::Status>(w.v.clone()).ok());
        let mut replaced: HashMap<Dot, Option<crate::domain::Status>> =
            plan.new_changes.iter().filter(|c| over.contains(&c.dot)).map(|c| (c.dot.clone(), status_in(c))).collect();
        let held: Vec<Dot> = over.iter().filter(|d| !replaced.contains_key(d)).cloned().collect();
        replaced.extend(self.held_changes(&held).await?.into_iter().map(|(d, c)| (d, status_in(&c))));
        crate::trace::mark("rr:import-replaced");
        let status_of = |d: &Dot| replaced.get(d).copied().flatten();
        match lifecycle::check_incoming_moves_paced(&before, &plan.new_changes, &status_of, &mut pace).await {
            Ok(()) => {}
            Err(Halt::Stopped) => return Err(ExchangeError::Cancelled),
            Err(Halt::Failed((n, e))) => {
                let c = &plan.new_changes[n];
                return Err(ExchangeError::Move { record: bundle::snippet(title_in(&plan, &c.record)), why: Box::new(e) });
            }
        }
        drop(before);
        crate::trace::mark("rr:import-checked");
        // A cancel pressed during the last step still counts (nothing has changed yet).
        checkpoint(None).await?;
        if plan.is_noop() {
            self.adopt(plan.registry);
            return Ok(Incoming::NothingNew);
        }
        plan.possible_duplicates = ops::possible_duplicates(&plan.registry, &plan.records_new);
        let groups = diff_groups_paced(&plan, &mut pace).await.map_err(|_| ExchangeError::Cancelled)?;
        crate::trace::mark("rr:import-previewed");
        Ok(Incoming::Preview(Box::new(Preview { plan, base, groups })))
    }

    /// Reads several files as one import (a city office's month of county files): each is
    /// checked against the registry as the files before it would leave it, and the preview covers
    /// them all; applying it applies all or nothing. A refusal names the file (its index).
    pub async fn read_files(&self, texts: &[String], now_ms: i64) -> Result<Incoming, (usize, ExchangeError)> {
        self.read_files_watched(texts, now_ms, &()).await
    }

    /// `read_files`, reporting each file's steps to `watch`; cancelled between steps, it changes nothing.
    pub async fn read_files_watched(&self, texts: &[String], now_ms: i64, watch: &dyn Watch) -> Result<Incoming, (usize, ExchangeError)> {
        self.whole().map_err(|e| (0, e))?;
        if texts.len() == 1 {
            return self.read_file_watched(&texts[0], now_ms, watch, 0, 1).await.map_err(|e| (0, e));
        }
        // A scratch session over a copy of the registry and the same storage: nothing of this
        // one changes until apply (so this one's registry serves as "before" below).
        let copy = self.reg.read(|r| r.clone()).ok_or((0, ExchangeError::NoRegistry))?;
        let scratch: Session<std::cell::RefCell<Option<crate::sync::Registry>>, S> = Session::new(std::cell::RefCell::new(Some(copy)), self.store.clone());
        *scratch.pending.borrow_mut() = self.pending.borrow().clone();
        let mut plans: Vec<ImportPlan> = vec![];
        for (n, text) in texts.iter().enumerate() {
            match scratch.read_file_watched(text, now_ms, watch, n, texts.len()).await.map_err(|e| (n, e))? {
                Incoming::Preview(p) => {
                    scratch.apply(&p).map_err(|e| (n, e))?;
                    plans.push(p.plan);
                }
                Incoming::NothingNew => {}
            }
        }
        let after = scratch.reg.borrow_mut().take().ok_or((0, ExchangeError::NoRegistry))?;
        if plans.is_empty() {
            self.adopt(after);
            return Ok(Incoming::NothingNew);
        }
        let new_changes: Vec<Change> = plans.iter().flat_map(|p| p.new_changes.iter().cloned()).collect();
        let new_texts: Option<Vec<String>> = plans.iter().map(|p| p.new_texts.clone()).collect::<Option<Vec<_>>>().map(|v| v.concat());
        let (summary, base) =
            self.reg.read(|before| (bundle::summarize(before, &after, &new_changes), before.vv.clone())).ok_or((0, ExchangeError::NoRegistry))?;
        let bundle::Summary { records_new, records_changed, records_deleted, new_conflicts } = summary;
        let first = &plans[0];
        let names: Vec<String> = plans.iter().map(|p| p.from.name.clone()).collect();
        let plan = ImportPlan {
            from: Party { office: first.from.office.clone(), name: names.join("、") },
            kind: first.kind.clone(),
            total_changes: plans.iter().map(|p| p.total_changes).sum(),
            possible_duplicates: ops::possible_duplicates(&after, &records_new),
            own_restored: plans.iter().filter_map(|p| p.own_restored).max(),
            checked: bundle::Checked { sender: first.checked.sender.clone(), authors: plans.iter().flat_map(|p| p.checked.authors.iter().cloned()).collect() },
            new_changes,
            new_texts,
            records_new,
            records_changed,
            records_deleted,
            new_conflicts,
            registry: after,
        };
        let groups = diff_groups(&plan);
        Ok(Incoming::Preview(Box::new(Preview { plan, base, groups })))
    }

    /// The changes this office holds under these ids (stored, or not yet stored), looked up by key.
    async fn held_changes(&self, dots: &[Dot]) -> Result<HashMap<Dot, Change>, StoreError> {
        if dots.is_empty() {
            return Ok(HashMap::new());
        }
        // Not yet stored first: storage is asked only for the rest (an id it does not hold sends
        // its look-up to all of its office's rows).
        let pending = self.pending.borrow().changes_at(dots);
        let rest: Vec<Dot> = {
            let queued: std::collections::HashSet<&Dot> = pending.iter().map(|c| &c.dot).collect();
            dots.iter().filter(|d| !queued.contains(d)).cloned().collect()
        };
        let stored = if rest.is_empty() { vec![] } else { self.store.changes_at(&rest).await? };
        Ok(stored.into_iter().chain(pending).map(|c| (c.dot.clone(), c)).collect())
    }

    /// Applies a preview: the merged registry is swapped in and its new changes are queued for
    /// one storage transaction. Refused when the registry moved since the preview.
    pub fn apply(&self, p: &Preview) -> Result<usize, ExchangeError> {
        self.check_current(p)?;
        self.pending.borrow_mut().add_owned_with(p.plan.new_changes.clone(), p.plan.new_texts.clone());
        self.adopt(p.plan.registry.clone());
        Ok(p.plan.new_changes.len())
    }

    /// `apply`, taking the preview: its registry is swapped in without a copy (a city's
    /// registry is hundreds of megabytes, and copying it doubled the import's peak).
    pub fn apply_owned(&self, p: Preview) -> Result<usize, ExchangeError> {
        self.check_current(&p)?;
        let plan = p.plan;
        let n = plan.new_changes.len();
        self.pending.borrow_mut().add_owned_with(plan.new_changes, plan.new_texts);
        crate::trace::mark("rr:apply-pending");
        self.adopt(plan.registry);
        crate::trace::mark("rr:apply-adopted");
        Ok(n)
    }

    fn check_current(&self, p: &Preview) -> Result<(), ExchangeError> {
        self.writable()?;
        let current = self.reg.read(|r| r.vv.clone()).ok_or(ExchangeError::NoRegistry)?;
        if current != p.base {
            return Err(ExchangeError::Stale);
        }
        Ok(())
    }

    fn adopt(&self, reg: crate::sync::Registry) {
        self.pending.borrow_mut().touch_meta();
        self.reg.replace(reg);
    }
}

pub mod job;

#[cfg(test)]
mod tests;
