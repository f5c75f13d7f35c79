//! Exchange bundles: the JSON files offices send each other (USB stick, e-mail, chat apps).
//!
//! Importing never changes anything until the whole file has been checked: `plan_import` works
//! on a copy of the registry and returns a preview; only `ImportPlan::registry` is then swapped
//! in, together with one storage transaction of the new changes.

use super::clock::{office_of, too_far_ahead, valid_office_id, Dot, Hlc, OfficeId, VersionVector};
use super::pace::{Halt, Pace};
use super::state::{Change, RecordId, Registry};
use super::trust::{self, Rotation};
use crate::order::LeanSort;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod signed;
pub use signed::{Checked, KeyCheck, KeyState};

pub const FORMAT: &str = "reform-registry-bundle";
/// 2: signed files (heads, rotations, the sender's signature). Version 1 files are still read,
/// as unsigned.
pub const VERSION: u32 = 2;
/// Largest file accepted: what a browser tab can hold while importing it. Measured (examples/bench.rs):
/// reading and previewing a file takes about 26× its size natively (was 43×; wasm32 pointers are
/// half the size), and a wasm32 tab stops at 4 GB — so 100 MB, which holds a city's 10,000 items
/// with a year of monthly reports, with room to spare. Raise it only with that ratio brought down.
pub const MAX_BYTES: usize = 100 * 1024 * 1024;
pub const MAX_STRING: usize = 100_000;
pub const MAX_FIELDS: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BundleKind {
    Full,
    Delta,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub office: OfficeId,
    pub name: String,
}

/// The sender's signature on the file's digest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub office: OfficeId,
    pub alg: String,
    /// The signing key (64 hex digits); it must be the key the receiver pinned for `office`.
    pub key: String,
    pub sig: String,
}

/// One office's changes in this file, as a stretch of its hash chain: the hash before them
/// (`prev`, at `since`), the head after them (`hash`, at `seq`), and the author's signature on
/// that head when the sender holds one (trust.rs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    pub office: OfficeId,
    pub seq: u64,
    pub prev: String,
    pub hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,
}

/// What the digest covers: everything in the file except the digest and the signatures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub format: String,
    pub version: u32,
    pub kind: BundleKind,
    pub from: Party,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Party>,
    /// Export time, ms since the epoch, and the same as readable text for auditors.
    pub exported_at: i64,
    pub exported_at_text: String,
    /// The sender's version vector: every change it held.
    pub vv: VersionVector,
    /// For a delta: what the receiver was known to hold; the file holds everything after it.
    #[serde(default)]
    pub since: VersionVector,
    /// Version 2: one per office with changes in the file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heads: Vec<Head>,
    /// Version 2: signed key changes of the offices in the file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rotations: Vec<Rotation>,
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    #[serde(flatten)]
    pub body: Body,
    /// "sha256:" + hex of the canonical JSON of `body`.
    pub digest: String,
    #[serde(default)]
    pub signatures: Vec<Signature>,
}

/// Why a file is refused. No variant carries parser text, and every piece of file content it
/// carries is cut to `SNIPPET` characters, so messages stay readable whatever the file holds.
#[derive(Clone, Debug, PartialEq)]
pub enum BundleError {
    TooLarge(usize),
    /// Not JSON at all, or cut off: where reading stopped.
    NotJson {
        line: usize,
        column: usize,
    },
    WrongFormat,
    NewerVersion(u64),
    /// JSON, but not laid out as a bundle: where, and (when known) which field.
    Malformed {
        line: usize,
        column: usize,
        field: String,
    },
    /// The same key twice in one object (a text editor and the app would see different values).
    DuplicateKey {
        line: usize,
        key: String,
    },
    DigestMismatch,
    FromSelf,
    /// Changes of `office` after `have` are needed first.
    MissingBase {
        office: OfficeId,
        have: u64,
        need: u64,
    },
    Gap {
        office: OfficeId,
        expected: u64,
        got: u64,
    },
    FutureStamp {
        office: OfficeId,
        at: i64,
    },
    Collision(Dot),
    Oversized(String),
    UnknownCollection(String),
    /// The file says it holds `office`'s changes up to `claimed` but stops at `last`.
    Truncated {
        office: OfficeId,
        last: u64,
        claimed: u64,
    },
    /// A stamp no clock can produce (negative time, a counter beyond `MAX_COUNTER`).
    BadStamp(Dot),
    /// `change` says it replaced `names`, which its author cannot have seen: a change of its own
    /// future, a change nobody holds, or one stamped after it.
    UnseenOver {
        change: Dot,
        names: Dot,
    },
    /// A signature that does not verify: the file or this office's changes were altered after
    /// signing, or signed by someone else.
    BadSignature(OfficeId),
    /// This office's changes in the file do not hash to the head its author signed (or do not
    /// start where its chain starts): changed after signing.
    ChainBroken(OfficeId),
    /// Signed with a key other than the one pinned here, and the pinned key did not sign over.
    KeyChanged {
        office: OfficeId,
        pinned: String,
        presented: String,
    },
    /// Unsigned content from an office whose key is pinned here.
    Unsigned(OfficeId),
    /// Two different histories of one office under the same change numbers. `proven`: both are
    /// signed with the office's key (it signed two versions of its own history).
    Fork {
        office: OfficeId,
        seq: u64,
        proven: bool,
    },
}

/// Longest record id (bytes): ids of attached records carry their parent's id and a name, e.g. a
/// 出圈 score sheet's reviewer (names are limited to 40 characters by the domain).
pub const MAX_RECORD_ID: usize = 512;

/// How much of the file's own content a message may quote.
pub const SNIPPET: usize = 40;
/// Longest office name in a file's header.
pub const MAX_NAME: usize = 100;

/// At most `SNIPPET` characters of `s`, marked when cut.
pub fn snippet(s: &str) -> String {
    let mut out: String = s.chars().take(SNIPPET).collect();
    if s.chars().nth(SNIPPET).is_some() {
        out.push('…');
    }
    out
}

fn digest_of(body: &Body) -> String {
    let bytes = serde_json::to_vec(body).expect("body serialises");
    format!("sha256:{}", trust::hex(&Sha256::digest(&bytes)))
}

pub fn iso(ms: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()).unwrap_or_default()
}

/// Builds a bundle from the change log (the whole log: each office's chain is walked from its
/// start). With `since`, only what the receiver lacks (a delta). Signed with this office's key
/// when it has one.
pub fn export(reg: &Registry, my_name: &str, to: Option<Party>, log: &[Change], since: Option<&VersionVector>, now_ms: i64) -> Bundle {
    let (file, picked) = pick(reg, my_name, to, log, since, now_ms);
    let hash = file.hash();
    let mut b = file.sealed(hash).0;
    b.body.changes = picked.into_iter().cloned().collect();
    b
}

/// A change of the log as an export reads it: its id and its canonical JSON (serialised here
/// from a parsed change, or as storage holds it).
pub trait Logged {
    fn dot(&self) -> &Dot;
    fn json(&self) -> std::borrow::Cow<'_, str>;
}

impl Logged for Change {
    fn dot(&self) -> &Dot {
        &self.dot
    }
    fn json(&self) -> std::borrow::Cow<'_, str> {
        self.canonical_json().into()
    }
}

impl Logged for super::StoredChange {
    fn dot(&self) -> &Dot {
        &self.dot
    }
    fn json(&self) -> std::borrow::Cow<'_, str> {
        self.json.as_str().into()
    }
}

/// `export` straight to the file's text (and the bundle's header, without its changes): each
/// change's JSON is taken once, for the chain hashes, the digest and the text alike. A city's
/// 160,000 changes were copied once and serialised three times.
pub fn export_text<T: Logged>(
    reg: &Registry,
    my_name: &str,
    to: Option<Party>,
    log: &[T],
    since: Option<&VersionVector>,
    now_ms: i64,
) -> (Bundle, usize, String) {
    let file = unsealed(reg, my_name, to, log, since, now_ms);
    let hash = file.hash();
    file.seal(hash)
}

/// A file made but not yet signed: its body, and its changes' canonical JSON in dot order. The
/// digest over them may be worked out where it is fastest (`input`; the browser's own digest for
/// a city's 45 MB), then `seal` signs it and writes the text.
pub struct Unsealed<'a> {
    body: Body,
    json: Vec<std::borrow::Cow<'a, str>>,
    key: Option<trust::OfficeKey>,
}

impl<'a> Unsealed<'a> {
    /// The body's JSON up to its list of changes, and the changes' JSON: the digest covers
    /// these joined into one text (`digest_input`).
    fn input(&self) -> (String, &[std::borrow::Cow<'a, str>]) {
        let head = serde_json::to_string(&self.body).expect("body serialises");
        (head.strip_suffix("[]}").expect("changes come last").to_string(), &self.json)
    }

    /// The digest's SHA-256, worked out here.
    pub fn hash(&self) -> [u8; 32] {
        let (open, json) = self.input();
        hash_changes(&open, json)
    }

    /// The digest's SHA-256, by the platform where it can (`Pace::sha256_beside`), else here.
    pub async fn hash_paced(&self, pace: &mut impl Pace) -> [u8; 32] {
        let (open, json) = self.input();
        let beside = {
            let (len, mut parts) = digest_input(&open, json);
            pace.sha256_beside(len, &mut parts)
        };
        let hash = match beside {
            Some(hash) => hash.await,
            None => None,
        };
        hash.unwrap_or_else(|| hash_changes(&open, json))
    }

    /// The file's header (signed by this office when it holds its key), the number of changes,
    /// and the file's text, given the SHA-256 of `input`.
    pub fn seal(self, hash: [u8; 32]) -> (Bundle, usize, String) {
        let (header, json) = self.sealed(hash);
        let text = text_of(&header, &json);
        (header, json.len(), text)
    }

    /// The signed header (its changes left empty), and the changes' JSON.
    fn sealed(self, hash: [u8; 32]) -> (Bundle, Vec<std::borrow::Cow<'a, str>>) {
        let digest = format!("sha256:{}", trust::hex(&hash));
        let signatures = self
            .key
            .map(|k| {
                vec![Signature { office: self.body.from.office.clone(), alg: trust::ALG.into(), key: k.public(), sig: k.sign(&trust::file_message(&digest)) }]
            })
            .unwrap_or_default();
        (Bundle { body: self.body, digest, signatures }, self.json)
    }
}

/// The bytes a file's digest covers, in pieces, and their length in all: the body's JSON up to
/// its changes (`open`), then the changes' JSON joined into its list (what `hash_changes` hashes).
fn digest_input<'b, S: AsRef<str>>(open: &'b str, json: &'b [S]) -> (usize, impl Iterator<Item = &'b [u8]>) {
    let len = open.len() + json.iter().map(|j| j.as_ref().len() + 1).sum::<usize>() + if json.is_empty() { 3 } else { 2 };
    let parts = std::iter::once(open.as_bytes())
        .chain(json.iter().enumerate().flat_map(|(n, j)| [if n == 0 { &b"["[..] } else { &b","[..] }, j.as_ref().as_bytes()]))
        .chain(std::iter::once(if json.is_empty() { &b"[]}"[..] } else { &b"]}"[..] }));
    (len, parts)
}

/// The file `export_text` makes, not yet signed: its body (changes left empty) and the changes'
/// canonical JSON in dot order, with the changes picked.
fn pick<'a, T: Logged>(
    reg: &Registry,
    my_name: &str,
    to: Option<Party>,
    log: &'a [T],
    since: Option<&VersionVector>,
    now_ms: i64,
) -> (Unsealed<'a>, Vec<&'a T>) {
    let mut changes: Vec<&T> = log.iter().filter(|c| reg.vv.contains(c.dot()) && since.is_none_or(|s| !s.contains(c.dot()))).collect();
    changes.lean_sort_by(|a, b| a.dot().cmp(b.dot()));
    changes.dedup_by(|a, b| a.dot() == b.dot());
    let json: Vec<std::borrow::Cow<str>> = changes.iter().map(|c| c.json()).collect();
    let kind = if since.is_some() { BundleKind::Delta } else { BundleKind::Full };
    let since = since.cloned().unwrap_or_default();
    let key = reg.trust.key();
    let heads = stretches(reg, log, &since, &changes, &json)
        .into_iter()
        .map(|(office, seq, prev, hash)| {
            let (prev, hash) = (trust::hex(&prev), trust::hex(&hash));
            let signed = match &key {
                // Every author of this office (its earlier author ids too, after a restore).
                Some(k) if office_of(&office) == reg.office() => {
                    Some(trust::Signed { key: k.public(), sig: k.sign(&trust::head_message(&office, seq, &hash)) })
                }
                // A relayed office's head travels with its author's signature when this office
                // holds the signature on exactly this head.
                _ => reg.heads.get(&office).filter(|h| h.seq == seq && h.hash == hash).and_then(|h| h.signed.clone()),
            };
            let (key, sig) = signed.map(|s| (Some(s.key), Some(s.sig))).unwrap_or_default();
            Head { office, seq, prev, hash, key, sig }
        })
        .collect::<Vec<_>>();
    let rotations =
        reg.trust.rotations.iter().filter(|r| r.office == reg.office() || heads.iter().any(|h| office_of(&h.office) == r.office)).cloned().collect();
    let body = Body {
        format: FORMAT.into(),
        version: VERSION,
        kind,
        from: Party { office: reg.me.clone(), name: my_name.into() },
        to,
        exported_at: now_ms,
        exported_at_text: iso(now_ms),
        vv: reg.vv.clone(),
        since,
        heads,
        rotations,
        changes: vec![],
    };
    (Unsealed { body, json, key }, changes)
}

/// `export_text` up to its digest: the file made, to be hashed and sealed.
pub fn unsealed<'a, T: Logged>(reg: &Registry, my_name: &str, to: Option<Party>, log: &'a [T], since: Option<&VersionVector>, now_ms: i64) -> Unsealed<'a> {
    pick(reg, my_name, to, log, since, now_ms).0
}

/// The SHA-256 of `digest_input`, worked out here.
fn hash_changes<S: AsRef<str>>(open: &str, changes: &[S]) -> [u8; 32] {
    let mut h = Sha256::new();
    digest_input(open, changes).1.for_each(|p| h.update(p));
    h.finalize().into()
}

/// For each office with changes in `changes`: (office, last seq, hash before the first, hash
/// after the last), walking that office's chain through the whole log. `json` is the JSON of
/// `changes` (both in dot order); other changes of the log are serialised here.
fn stretches<T: Logged, S: AsRef<str>>(reg: &Registry, log: &[T], since: &VersionVector, changes: &[&T], json: &[S]) -> Vec<(String, u64, [u8; 32], [u8; 32])> {
    let offices: BTreeSet<&str> = changes.iter().map(|c| c.dot().office.as_str()).collect();
    let mut run: BTreeMap<&str, (u64, [u8; 32], [u8; 32])> = offices.iter().map(|o| (*o, (0, trust::genesis(o), trust::genesis(o)))).collect();
    let mut sorted: Vec<&T> = log.iter().filter(|c| offices.contains(c.dot().office.as_str()) && reg.vv.contains(c.dot())).collect();
    sorted.lean_sort_by(|a, b| a.dot().cmp(b.dot()));
    let mut at = 0;
    for c in sorted {
        let d = c.dot();
        let r = run.get_mut(d.office.as_str()).expect("office in the file");
        if d.seq != r.0 + 1 {
            continue;
        }
        while at < changes.len() && changes[at].dot() < d {
            at += 1;
        }
        r.2 = match changes.get(at).filter(|x| x.dot() == d) {
            Some(_) => trust::link_json(&r.2, json[at].as_ref().as_bytes()),
            None => trust::link_json(&r.2, c.json().as_bytes()),
        };
        r.0 = d.seq;
        if r.0 == since.get(&d.office) {
            r.1 = r.2;
        }
    }
    run.into_iter().map(|(o, (seq, prev, hash))| (o.to_string(), seq, prev, hash)).collect()
}

/// The file's text, laid out for an auditor in a text editor: the header pretty-printed, then
/// one change per line (pretty-printing every change would triple the size for no gain).
/// Changes are serialised straight from their structs: no intermediate JSON tree.
pub fn to_text(b: &Bundle) -> String {
    let json: Vec<String> = b.body.changes.iter().map(Change::canonical_json).collect();
    text_of(b, &json)
}

/// `to_text` with the changes given as their JSON (the header's own list is not read).
fn text_of<S: AsRef<str>>(b: &Bundle, changes: &[S]) -> String {
    let h = &b.body;
    let body = Body {
        format: h.format.clone(),
        version: h.version,
        kind: h.kind.clone(),
        from: h.from.clone(),
        to: h.to.clone(),
        exported_at: h.exported_at,
        exported_at_text: h.exported_at_text.clone(),
        vv: h.vv.clone(),
        since: h.since.clone(),
        heads: h.heads.clone(),
        rotations: h.rotations.clone(),
        changes: vec![],
    };
    let header = Bundle { body, digest: b.digest.clone(), signatures: b.signatures.clone() };
    let head = serde_json::to_string_pretty(&header).expect("header serialises");
    // The header ends with `"changes": [] ... }`; cut at the changes key and rebuild the list.
    let cut = head.find("\n  \"changes\": []").expect("changes key");
    let (before, after) = head.split_at(cut);
    let rest = &after["\n  \"changes\": []".len()..];
    let mut out = String::with_capacity(changes.iter().map(|c| c.as_ref().len() + 6).sum::<usize>() + head.len());
    out.push_str(before);
    out.push_str("\n  \"changes\": [");
    for (n, c) in changes.iter().enumerate() {
        out.push_str(if n == 0 { "\n    " } else { ",\n    " });
        out.push_str(c.as_ref());
    }
    out.push_str(if changes.is_empty() { "]" } else { "\n  ]" });
    out.push_str(rest);
    out.push('\n');
    out
}

/// Parses and checks a file's text. Nothing about the registry is consulted yet. `collections`
/// are the record collections the domain knows (anything else is refused, not silently kept).
pub fn parse(text: &str, collections: &[&str]) -> Result<Bundle, BundleError> {
    if text.len() > MAX_BYTES {
        return Err(BundleError::TooLarge(text.len()));
    }
    // First a cheap probe of the header (no tree is built), so that a newer version is refused
    // with "update" before the strict parse could fail on fields it does not know.
    #[derive(Deserialize)]
    struct Probe {
        format: Option<String>,
        version: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_str(text).map_err(|e| BundleError::NotJson { line: e.line().max(1), column: e.column().max(1) })?;
    if probe.format.as_deref() != Some(FORMAT) {
        return Err(BundleError::WrongFormat);
    }
    match probe.version.as_ref().and_then(Value::as_u64) {
        Some(n) if n > VERSION as u64 => return Err(BundleError::NewerVersion(n)),
        Some(_) => {}
        None => return Err(BundleError::Malformed { line: 1, column: 1, field: "version".into() }),
    }
    if let Some((line, key)) = super::jsonscan::duplicate_key(text) {
        return Err(BundleError::DuplicateKey { line, key });
    }
    // serde_json refuses nesting deeper than 128 levels, so hostile nesting fails here too.
    let b: Bundle = serde_json::from_str(text).map_err(|e| BundleError::Malformed { line: e.line(), column: e.column(), field: String::new() })?;
    if digest_of(&b.body) != b.digest {
        return Err(BundleError::DigestMismatch);
    }
    check_contents(&b, collections)?;
    Ok(b)
}

/// `parse`, in slices: the changes are cut apart without parsing (`jsonscan::Layout`), then each
/// is parsed, checked and hashed into the digest, with `pace` ticked between. Whatever this fast
/// path cannot accept is read again by `parse`, whose answer (its error, the one a user sees)
/// is returned: the two never disagree on a file.
pub async fn parse_paced(text: &str, collections: &[&str], pace: &mut impl Pace) -> Result<Bundle, Halt<BundleError>> {
    Ok(parse_paced_texts(text, collections, pace).await?.bundle)
}

/// A file as read, with each change's canonical JSON when the fast path worked it out for the
/// digest. The chain check and storage use the same bytes: a city's 160,000 changes are then
/// serialised once, not three times.
#[derive(Debug)]
pub struct Parsed {
    pub bundle: Bundle,
    /// `canonical_json()` of each of `bundle.body.changes`, in order.
    pub texts: Option<Vec<String>>,
}

impl From<Bundle> for Parsed {
    fn from(bundle: Bundle) -> Self {
        Parsed { bundle, texts: None }
    }
}

/// `parse_paced`, keeping the changes' canonical JSON (`Parsed`).
pub async fn parse_paced_texts(text: &str, collections: &[&str], pace: &mut impl Pace) -> Result<Parsed, Halt<BundleError>> {
    match read_in_slices(text, collections, pace).await {
        Ok(Some((bundle, texts))) => Ok(Parsed { bundle, texts: Some(texts) }),
        Err(Halt::Stopped) => Err(Halt::Stopped),
        Ok(None) | Err(Halt::Failed(())) => parse(text, collections).map(Parsed::from).map_err(Halt::Failed),
    }
}

/// The fast path of `parse_paced`: None when anything is not as an exporter writes it.
async fn read_in_slices(text: &str, collections: &[&str], pace: &mut impl Pace) -> Result<Option<(Bundle, Vec<String>)>, Halt<()>> {
    if text.len() > MAX_BYTES {
        return Ok(None);
    }
    let mut layout = super::jsonscan::Layout::new(text);
    while !layout.step(1 << 16) {
        pace.tick().await?;
    }
    let Some((open, close, elements)) = layout.finish() else { return Ok(None) };
    // Everything but the changes, parsed as strictly as the whole file would be.
    let header = format!("{}[]{}", &text[..open], &text[close + 1..]);
    if super::jsonscan::duplicate_key(&header).is_some() {
        return Ok(None);
    }
    let Ok(mut b) = serde_json::from_str::<Bundle>(&header) else { return Ok(None) };
    if b.body.format != FORMAT || b.body.version > VERSION {
        return Ok(None);
    }
    let head = serde_json::to_string(&b.body).expect("body serialises");
    let head = head.strip_suffix("[]}").expect("changes come last");
    // The digest covers the changes' canonical texts. If every change is as written (as our
    // exporter writes them), those are the file's texts of them: the platform may hash them
    // beside the parse. Otherwise (or where it cannot) they are hashed here once read.
    let beside = {
        let written: Vec<&str> = elements.iter().map(|&(from, to)| &text[from..to]).collect();
        let (len, mut parts) = digest_input(head, &written);
        pace.sha256_beside(len, &mut parts)
    };
    // Every change as written: then the file's array text is what the digest covers.
    let mut all_as_written = true;
    let mut changes = Vec::with_capacity(elements.len());
    let mut texts = Vec::with_capacity(elements.len());
    // Each change is written again into one buffer (its text grown anew for each of a city's
    // 170,000 changes was a tenth of reading the file); the text kept is a copy of the exact size.
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    for (from, to) in elements {
        let el = &text[from..to];
        let Ok(c) = serde_json::from_str::<Change>(el) else { return Ok(None) };
        buf.clear();
        if serde_json::to_writer(&mut buf, &c).is_err() {
            return Ok(None);
        }
        let as_written = buf == el.as_bytes();
        all_as_written &= as_written;
        let json = if as_written {
            el.to_string()
        } else {
            match std::str::from_utf8(&buf) {
                Ok(t) => t.to_string(),
                Err(_) => return Ok(None),
            }
        };
        // A change written exactly as an exporter writes it cannot repeat a key (a serialised map
        // holds each key once), so only a change in another form is scanned for repeats: the scan
        // cost as much as the parse on a city's file.
        if !as_written && super::jsonscan::duplicate_key(el).is_some() {
            return Ok(None);
        }
        changes.push(c);
        texts.push(json);
        pace.tick().await?;
    }
    // The file's text hashed beside holds exactly the canonical texts only if every change was
    // as written; if one was not, or the platform failed, they are hashed here.
    let beside = match beside {
        Some(hash) if all_as_written => hash.await,
        _ => None,
    };
    let hash = beside.unwrap_or_else(|| hash_changes(head, &texts));
    if format!("sha256:{}", trust::hex(&hash)) != b.digest {
        return Ok(None);
    }
    b.body.changes = changes;
    if check_contents(&b, collections).is_err() {
        return Ok(None);
    }
    Ok(Some((b, texts)))
}

fn check_value(v: &Value, depth: usize) -> Result<(), BundleError> {
    if depth > 8 {
        return Err(BundleError::Oversized("nesting".into()));
    }
    match v {
        Value::String(s) if s.len() > MAX_STRING => Err(BundleError::Oversized(format!("{}…", s.chars().take(20).collect::<String>()))),
        Value::Array(a) => a.iter().try_for_each(|x| check_value(x, depth + 1)),
        Value::Object(m) => m.values().try_for_each(|x| check_value(x, depth + 1)),
        _ => Ok(()),
    }
}

/// Structure checks: ids, sizes, known collections, and each office's changes forming an
/// unbroken run from `since` to `vv` (no duplicates, no holes).
fn check_contents(b: &Bundle, collections: &[&str]) -> Result<(), BundleError> {
    let body = &b.body;
    if body.kind == BundleKind::Full && !body.since.0.is_empty() {
        return Err(BundleError::Malformed { line: 1, column: 1, field: "since".into() });
    }
    if !valid_office_id(&body.from.office) {
        return Err(BundleError::Malformed { line: 1, column: 1, field: "from.office".into() });
    }
    for p in std::iter::once(&body.from).chain(body.to.as_ref()) {
        if p.name.chars().count() > MAX_NAME {
            return Err(BundleError::Oversized(snippet(&p.name)));
        }
    }
    let mut per_office: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for c in &body.changes {
        if !collections.contains(&c.coll.as_str()) {
            return Err(BundleError::UnknownCollection(c.coll.clone()));
        }
        if c.record.is_empty() || c.record.len() > MAX_RECORD_ID || c.by.len() > 200 || c.set.len() > MAX_FIELDS {
            return Err(BundleError::Oversized(c.dot.to_string()));
        }
        if c.at < 0 || c.ctr > super::clock::MAX_COUNTER {
            return Err(BundleError::BadStamp(c.dot.clone()));
        }
        for (f, w) in &c.set {
            if f.len() > 64 || w.over.len() > 1000 {
                return Err(BundleError::Oversized(snippet(f)));
            }
            check_value(&w.v, 0)?;
        }
        per_office.entry(c.dot.office.as_str()).or_default().push(c.dot.seq);
    }
    for (office, mut seqs) in per_office {
        seqs.lean_sort();
        let from = body.since.get(office);
        let to = body.vv.get(office);
        let mut expected = from + 1;
        for s in seqs {
            if s != expected {
                return Err(BundleError::Gap { office: office.into(), expected, got: s });
            }
            expected += 1;
        }
        if expected - 1 > to {
            return Err(BundleError::Malformed { line: 1, column: 1, field: format!("vv.{}", snippet(office)) });
        }
        if expected != to + 1 {
            return Err(BundleError::Truncated { office: office.into(), last: expected - 1, claimed: to });
        }
    }
    check_heads(b)?;
    // An office named in vv beyond since with no changes at all is a hole too.
    for (o, n) in &body.vv.0 {
        if *n > body.since.get(o) && !body.changes.iter().any(|c| &c.dot.office == o) {
            return Err(BundleError::Truncated { office: o.clone(), last: body.since.get(o), claimed: *n });
        }
    }
    Ok(())
}

/// Version 2 files carry exactly one head per office with changes, at that office's last change;
/// version 1 files carry none and no signatures. Hashes, keys and signatures are hex of their size.
fn check_heads(b: &Bundle) -> Result<(), BundleError> {
    let body = &b.body;
    let bad = |f: &str| Err(BundleError::Malformed { line: 1, column: 1, field: f.to_string() });
    if body.version < 2 {
        if !body.heads.is_empty() || !body.rotations.is_empty() || !b.signatures.is_empty() {
            return bad("version");
        }
        return Ok(());
    }
    let with_changes: BTreeSet<&str> = body.changes.iter().map(|c| c.dot.office.as_str()).collect();
    let named: BTreeSet<&str> = body.heads.iter().map(|h| h.office.as_str()).collect();
    if named != with_changes || named.len() != body.heads.len() {
        return bad("heads");
    }
    let hexlen = |s: &str, n: usize| s.len() == n && trust::is_hex(s);
    for h in &body.heads {
        let key_ok = h.key.as_deref().is_none_or(|k| hexlen(k, 64)) && h.sig.as_deref().is_none_or(|s| hexlen(s, 128));
        if h.seq != body.vv.get(&h.office) || !hexlen(&h.prev, 64) || !hexlen(&h.hash, 64) || !key_ok {
            return bad(&format!("heads.{}", snippet(&h.office)));
        }
    }
    if body.rotations.len() > 100
        || body.rotations.iter().any(|r| !hexlen(&r.old, 64) || !hexlen(&r.new, 64) || !hexlen(&r.sig, 128) || !valid_office_id(&r.office))
    {
        return bad("rotations");
    }
    if b.signatures.iter().any(|s| !hexlen(&s.key, 64) || !hexlen(&s.sig, 128)) {
        return bad("signatures");
    }
    Ok(())
}

/// The preview shown before anything changes, and the state to swap in on "apply".
#[derive(Clone, Debug)]
pub struct ImportPlan {
    pub from: Party,
    pub kind: BundleKind,
    pub total_changes: usize,
    /// Changes this office did not hold, in apply order.
    pub new_changes: Vec<Change>,
    /// Their canonical JSON, as the file's check worked it out (storage writes it as is), when known.
    pub new_texts: Option<Vec<String>>,
    pub records_new: Vec<RecordId>,
    pub records_changed: Vec<RecordId>,
    pub records_deleted: Vec<RecordId>,
    /// (record, field) pairs that are in conflict after the import and were not before.
    pub new_conflicts: Vec<(RecordId, String)>,
    /// Pairs of distinct item records with the same natural identity (filled in by the
    /// application layer from the domain's rule; the sync layer knows no item fields).
    pub possible_duplicates: Vec<(RecordId, RecordId)>,
    /// This office's own changes came back beyond what it held (it was restored from a backup).
    pub own_restored: Option<u64>,
    /// Who signed what: the sender and each office whose changes the file carries.
    pub checked: Checked,
    pub registry: Registry,
}

impl ImportPlan {
    pub fn is_noop(&self) -> bool {
        self.new_changes.is_empty()
    }
}

/// What a delta for `peer` must start from (None: nothing known, send everything).
pub fn delta_base(reg: &Registry, peer: &str) -> Option<VersionVector> {
    reg.peers.get(peer).map(|p| p.known.clone())
}

/// Plans an import. `existing` returns the change this office holds under a dot, so that two
/// different changes claiming the same id are caught instead of one being silently dropped.
/// Takes the file: its new changes move into the plan (a city's file is not held twice).
pub fn plan_import(reg: &Registry, b: Bundle, now_ms: i64, max_drift_ms: i64, existing: &dyn Fn(&Dot) -> Option<Change>) -> Result<ImportPlan, BundleError> {
    super::pace::unpaced(plan_import_paced(reg, b, now_ms, max_drift_ms, existing, &mut ()))
}

impl From<BundleError> for Halt<BundleError> {
    fn from(e: BundleError) -> Self {
        Halt::Failed(e)
    }
}

/// `plan_import`, ticking `pace` after each change checked, merged and summed up (a city's file
/// is 160,000 changes: seconds of work that must not freeze the page).
pub async fn plan_import_paced(
    reg: &Registry,
    b: impl Into<Parsed>,
    now_ms: i64,
    max_drift_ms: i64,
    existing: &dyn Fn(&Dot) -> Option<Change>,
    pace: &mut impl Pace,
) -> Result<ImportPlan, Halt<BundleError>> {
    let Parsed { bundle: b, texts } = b.into();
    let texts = texts.filter(|t| t.len() == b.body.changes.len());
    let body = &b.body;
    if body.from.office == reg.me && body.changes.iter().all(|c| reg.vv.contains(&c.dot)) && body.kind == BundleKind::Full && body.vv == reg.vv {
        return Err(BundleError::FromSelf.into());
    }
    if body.kind == BundleKind::Delta {
        if let Some((office, have, need)) = reg.vv.missing(&body.since).into_iter().next() {
            return Err(BundleError::MissingBase { office, have, need }.into());
        }
    }
    // Signatures first: an altered or forged file is named as such, not by what it breaks.
    let (checked, links) = signed::examine_paced(reg, &b, texts.as_deref(), pace).await?;
    crate::trace::mark("rr:import-signatures");
    let Bundle { body, .. } = b;
    let Body { from, kind, vv, heads, rotations, changes, .. } = body;
    let total_changes = changes.len();
    let mut own_restored = None;
    let mut fresh = vec![];
    let with_texts = texts.is_some();
    let mut texts = texts.unwrap_or_default().into_iter();
    // Stamps of the file's changes already held (for `check_over`).
    let mut held_in_file: HashMap<Dot, Hlc> = HashMap::new();
    for c in changes {
        let text = texts.next();
        pace.tick().await?;
        if reg.vv.contains(&c.dot) {
            if let Some(mine) = existing(&c.dot) {
                if mine != c {
                    return Err(BundleError::Collision(c.dot.clone()).into());
                }
            }
            held_in_file.insert(c.dot.clone(), c.hlc());
            continue;
        }
        if too_far_ahead(&c.hlc(), now_ms, max_drift_ms) {
            return Err(BundleError::FutureStamp { office: c.dot.office.clone(), at: c.at }.into());
        }
        if office_of(&c.dot.office) == reg.office() {
            own_restored = Some(own_restored.unwrap_or(0).max(c.dot.seq));
        }
        fresh.push((c, text));
    }
    fresh.lean_sort_by(|a, b| a.0.dot.cmp(&b.0.dot));
    let (fresh, fresh_texts): (Vec<Change>, Vec<Option<String>>) = fresh.into_iter().unzip();
    let new_texts = if with_texts { fresh_texts.into_iter().collect::<Option<Vec<String>>>() } else { None };
    check_over(reg, &vv, &fresh, &held_in_file, pace).await?;
    crate::trace::mark("rr:import-ordered");
    let mut next = reg.clone();
    for c in &fresh {
        pace.tick().await?;
        next.apply_linked(c, links.after(&c.dot)).map_err(|e| match e {
            super::state::ApplyError::Gap { office, have, got } => BundleError::MissingBase { office, have, need: got - 1 },
            super::state::ApplyError::Collision(d) => BundleError::Collision(d),
            super::state::ApplyError::CollectionMismatch(r) => BundleError::Malformed { line: 1, column: 1, field: snippet(&r) },
        })?;
    }
    crate::trace::mark("rr:import-merged");
    let Summary { records_new, records_changed, records_deleted, new_conflicts } = summarize_paced(reg, &next, &fresh, pace).await?;
    crate::trace::mark("rr:import-summed");
    signed::note(&mut next, &heads, &rotations, &checked, now_ms);
    if office_of(&from.office) != reg.office() {
        let peer = next.peers.entry(from.office.clone()).or_default();
        peer.name = from.name.clone();
        peer.known.merge(&vv);
        peer.last_import_ms = now_ms;
    }
    Ok(ImportPlan {
        from,
        kind,
        total_changes,
        new_changes: fresh,
        new_texts,
        records_new,
        records_changed,
        records_deleted,
        new_conflicts,
        possible_duplicates: vec![],
        own_restored,
        checked,
        registry: next,
    })
}

/// What a set of new changes did to the records, between `before` and `after`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub records_new: Vec<RecordId>,
    pub records_changed: Vec<RecordId>,
    pub records_deleted: Vec<RecordId>,
    /// (record, field) pairs in conflict after and not before.
    pub new_conflicts: Vec<(RecordId, String)>,
}

pub fn summarize(before: &Registry, after: &Registry, fresh: &[Change]) -> Summary {
    super::pace::unpaced(summarize_paced(before, after, fresh, &mut ())).unwrap_or_default()
}

async fn summarize_paced(before: &Registry, after: &Registry, fresh: &[Change], pace: &mut impl Pace) -> Result<Summary, Halt<BundleError>> {
    // (A change with no fields — older versions made them — touches no record.)
    let touched: BTreeSet<&RecordId> = fresh.iter().filter(|c| !c.set.is_empty()).map(|c| &c.record).collect();
    let mut s = Summary::default();
    for id in touched {
        pace.tick().await?;
        let Some(now) = after.records.get(id) else { continue };
        let was = before.records.get(id);
        match was {
            None if !now.is_deleted() => s.records_new.push(id.clone()),
            None => {}
            Some(b) if !b.is_deleted() && now.is_deleted() => s.records_deleted.push(id.clone()),
            Some(_) => s.records_changed.push(id.clone()),
        }
        let old: BTreeSet<String> = was.map(|b| b.conflicts().into_iter().collect()).unwrap_or_default();
        for f in now.conflicts() {
            if !old.contains(&f) {
                s.new_conflicts.push((id.clone(), f));
            }
        }
    }
    Ok(s)
}

/// Every write a change says it replaced must be one its author could have seen: an earlier
/// change of its own, or another office's change that exists (held here or carried by the file)
/// and is stamped before it. Otherwise a forged change could silently retire edits not yet made.
async fn check_over(
    reg: &Registry,
    file_vv: &VersionVector,
    fresh: &[Change],
    held_in_file: &HashMap<Dot, Hlc>,
    pace: &mut impl Pace,
) -> Result<(), Halt<BundleError>> {
    // Stamps as (wall, counter, office), ordered as `Hlc` is, borrowed rather than built.
    let mut in_file: HashMap<&Dot, (i64, u32, &str)> = HashMap::with_capacity(fresh.len() + held_in_file.len());
    for c in fresh {
        in_file.insert(&c.dot, c.stamp());
        pace.tick().await?;
    }
    in_file.extend(held_in_file.iter().map(|(d, h)| (d, (h.wall, h.counter, h.office.as_str()))));
    let held_stamp =
        |record: &str, d: &Dot| reg.records.get(record).and_then(|r| r.fields.values().flat_map(|f| f.entries.iter()).find(|e| &e.dot == d)).map(|e| e.stamp());
    for c in fresh {
        pace.tick().await?;
        let stamp = c.stamp();
        for w in c.set.values() {
            for d in &w.over {
                let unseen = || BundleError::UnseenOver { change: c.dot.clone(), names: d.clone() };
                if d.office == c.dot.office && d.seq >= c.dot.seq {
                    return Err(unseen().into());
                }
                if !reg.vv.contains(d) && !file_vv.contains(d) {
                    return Err(unseen().into());
                }
                let before = in_file.get(d).cloned().or_else(|| held_stamp(&c.record, d));
                if before.is_some_and(|b| b >= stamp) {
                    return Err(unseen().into());
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
