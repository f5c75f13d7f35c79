//! Office keys as use cases: opening a registry (its key and chains brought up to date), the
//! known offices list, accepting a changed key, rotating this office's key, and rosters.
//! Design: docs/signatures.md. Every step that is refused changes nothing.

use super::exchange::{ExchangeError, Exported};
use super::{Holder, Session};
use crate::domain::ops;
use crate::order::LeanSort;
use crate::storage::{Store, StoreError};
use crate::sync::bundle::{self, BundleError};
use crate::sync::clock::valid_office_id;
use crate::sync::trust::{self, How, KeyEvent, Roster, RosterBody, RosterEntry, Rotation, Trust};
use crate::sync::{OfficeId, Registry};

/// How an office's key came to be registered here, as the known offices page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyStanding {
    /// Only unsigned changes of it arrived (version 1 files, or relayed without signature).
    Unsigned,
    /// Registered from its first signed file (trust on first use).
    FirstUse,
    /// Listed in a superior office's signed roster (its name).
    Roster(String),
    /// A new key a person accepted after checking the fingerprint.
    Accepted,
    /// A new key the old one signed over.
    Rotated,
}

#[derive(Clone, Debug, PartialEq)]
pub struct KnownOffice {
    pub office: OfficeId,
    pub name: String,
    pub fingerprint: Option<String>,
    pub first_seen_ms: i64,
    pub last_file_ms: i64,
    pub standing: KeyStanding,
    pub history: Vec<KeyEvent>,
}

/// An office's name: from its office record, else as a roster gave it, else its id.
pub fn name_of(reg: &Registry, id: &str) -> String {
    let id = crate::sync::clock::office_of(id);
    let name = ops::office_name(reg, id);
    match reg.trust.known.get(id) {
        Some(k) if name == id && !k.name.is_empty() => k.name.clone(),
        _ => name,
    }
}

/// Every office this one knows, by name.
pub fn known_offices(reg: &Registry) -> Vec<KnownOffice> {
    let mut v: Vec<KnownOffice> = reg
        .trust
        .known
        .iter()
        .map(|(id, k)| {
            let name = name_of(reg, id);
            let standing = match (&k.key, &k.roster, k.how()) {
                (None, _, _) => KeyStanding::Unsigned,
                (_, Some(r), _) => KeyStanding::Roster(name_of(reg, r)),
                (_, _, Some(How::Accepted)) => KeyStanding::Accepted,
                (_, _, Some(How::Rotation)) => KeyStanding::Rotated,
                (_, _, Some(How::Roster(r))) => KeyStanding::Roster(name_of(reg, r)),
                _ => KeyStanding::FirstUse,
            };
            KnownOffice {
                office: id.clone(),
                name,
                fingerprint: k.key.as_deref().map(trust::fingerprint),
                first_seen_ms: k.first_seen_ms,
                last_file_ms: k.last_file_ms,
                standing,
                history: k.history.clone(),
            }
        })
        .collect();
    v.lean_sort_by(|a, b| a.name.cmp(&b.name).then(a.office.cmp(&b.office)));
    v
}

/// This office's fingerprint, to read out to peers.
pub fn my_fingerprint(reg: &Registry) -> Option<String> {
    reg.trust.public().map(|k| trust::fingerprint(&k))
}

/// Largest roster file read.
pub const ROSTER_MAX_BYTES: usize = 5 * 1024 * 1024;

impl<H: Holder, S: Store> Session<H, S> {
    /// Opens a stored registry: gives it a key if it has none (registries from before signing;
    /// `seed` comes from the browser's random source) and rebuilds its chain heads from the log
    /// when they are missing. What changed is saved with the next flush.
    pub async fn open(&self, mut reg: Registry, seed: [u8; 32]) -> Result<(), StoreError> {
        let mut changed = false;
        if reg.trust.key().is_none() {
            reg.trust.secret = Some(trust::hex(&seed));
            // What it made before it had a key may come back unsigned (its own older files).
            let upto = reg.vv.get(&reg.me);
            reg.trust.unsigned_upto.insert(reg.me.clone(), upto);
            changed = true;
        }
        if reg.vv.0.iter().any(|(o, n)| reg.heads.get(o).map(|h| h.seq) != Some(*n)) {
            let mut heads = trust::heads_of(&self.store.all_changes().await?);
            for (o, h) in heads.iter_mut() {
                h.signed = reg.heads.get(o).filter(|old| old.seq == h.seq && old.hash == h.hash).and_then(|old| old.signed.clone());
            }
            reg.heads = heads;
            changed = true;
        }
        if changed {
            self.pending.borrow_mut().touch_meta();
        }
        self.reg.replace(reg);
        Ok(())
    }

    /// Registers `key` as `office`'s, replacing the one registered: a person's decision after
    /// checking the fingerprint with that office, recorded with their name and the time.
    pub fn accept_key(&self, office: &str, key: &str, now_ms: i64, by: &str) -> Result<(), ExchangeError> {
        self.writable()?;
        if trust::unhex::<32>(key).is_none() || !valid_office_id(office) {
            return Err(ExchangeError::File(BundleError::Malformed { line: 1, column: 1, field: "key".into() }));
        }
        self.reg
            .write(|r| {
                if office == r.office() {
                    return;
                }
                let k = r.trust.known.entry(office.to_string()).or_insert_with(|| trust::Known { first_seen_ms: now_ms, ..Default::default() });
                k.pin(key, How::Accepted, now_ms, by);
            })
            .ok_or(ExchangeError::NoRegistry)?;
        self.pending.borrow_mut().touch_meta();
        Ok(())
    }

    /// Replaces this office's key with one from `seed`; the old key signs the change, so peers
    /// take the new key without asking anyone (every later file carries the rotation).
    pub fn rotate_key(&self, seed: [u8; 32], now_ms: i64) -> Result<String, ExchangeError> {
        self.writable()?;
        let fp = self
            .reg
            .write(|r| {
                let old = r.trust.key()?;
                let new = trust::OfficeKey::from_seed(&seed);
                if old.public() == new.public() {
                    return None;
                }
                let msg = trust::rotation_message(r.office(), &old.public(), &new.public(), now_ms);
                r.trust.rotations.push(Rotation { office: r.office().to_string(), old: old.public(), new: new.public(), at: now_ms, sig: old.sign(&msg) });
                r.trust.secret = Some(trust::hex(&seed));
                Some(trust::fingerprint(&new.public()))
            })
            .flatten()
            .ok_or(ExchangeError::NoRegistry)?;
        self.pending.borrow_mut().touch_meta();
        Ok(fp)
    }

    /// A signed roster of every key this office has registered (its own included), for the
    /// offices under it to import.
    pub fn export_roster(&self, now_ms: i64) -> Result<Exported, ExchangeError> {
        self.reg
            .read(|r| {
                let key = r.trust.key()?;
                let name = ops::my_office(r).map(|o| o.name).unwrap_or_default();
                let mut entries: Vec<RosterEntry> = r
                    .trust
                    .known
                    .iter()
                    .filter_map(|(id, k)| k.key.clone().map(|key| RosterEntry { office: id.clone(), name: bundle::snippet(&name_of(r, id)), key }))
                    .collect();
                entries.push(RosterEntry { office: r.office().to_string(), name: name.clone(), key: key.public() });
                let body = RosterBody {
                    format: trust::ROSTER_FORMAT.into(),
                    version: 1,
                    office: r.office().to_string(),
                    name: name.clone(),
                    issued_at: now_ms,
                    issued_at_text: bundle::iso(now_ms),
                    entries: entries.clone(),
                    key: key.public(),
                };
                let roster = Roster::sign(body, &key);
                let date = roster.body.issued_at_text.get(..10).unwrap_or("").to_string();
                let text = serde_json::to_string_pretty(&roster).expect("roster serialises") + "\n";
                Some(Exported { name: format!("{}_密钥名册_{date}.roster.json", super::exchange::file_safe(&name)), text, changes: entries.len() })
            })
            .flatten()
            .ok_or(ExchangeError::NoRegistry)
    }

    /// Reads a roster and registers its keys, all or nothing: refused whole when its signature
    /// fails, or when it names a key other than one already registered (a person must decide).
    /// Returns how many offices it registered or confirmed.
    pub fn import_roster(&self, text: &str, now_ms: i64) -> Result<usize, ExchangeError> {
        self.writable()?;
        let roster = parse_roster(text)?;
        let b = &roster.body;
        let mut next = self.reg.read(|r| r.clone()).ok_or(ExchangeError::NoRegistry)?;
        let named = |office: &str, e: BundleError| {
            let n = roster.body.entries.iter().find(|x| x.office == office).map(|x| x.name.clone()).unwrap_or_else(|| ops::office_name(&next, office));
            ExchangeError::Trust { name: if office == b.office { b.name.clone() } else { n }, why: e }
        };
        if !roster.is_valid() {
            return Err(named(&b.office, BundleError::BadSignature(b.office.clone())));
        }
        // A roster only vouches with the authority of a key registered here already (from the
        // issuer's own files, checked by phone): a roster cannot vouch for itself.
        let issuer_known = next.trust.known.get(&b.office).and_then(|k| k.key.clone());
        if issuer_known.is_none() || b.office == next.office() {
            return Err(ExchangeError::RosterIssuerUnknown { name: bundle::snippet(&b.name) });
        }
        let rotations: Vec<&Rotation> = next.trust.rotations.iter().collect();
        let pinned = |o: &str| if o == next.office() { next.trust.public() } else { next.trust.known.get(o).and_then(|k| k.key.clone()) };
        for (office, key) in std::iter::once((&b.office, &b.key)).chain(b.entries.iter().map(|e| (&e.office, &e.key))) {
            if let Some(p) = pinned(office) {
                if &p != key && !Trust::rotates(office, &p, key, &rotations) {
                    return Err(named(office, BundleError::KeyChanged { office: office.clone(), pinned: p, presented: key.clone() }));
                }
            }
        }
        let issuer = b.office.clone();
        let mut count = 0;
        for e in std::iter::once(&RosterEntry { office: b.office.clone(), name: b.name.clone(), key: b.key.clone() }).chain(b.entries.iter()) {
            if e.office == next.office() {
                continue;
            }
            let k = next.trust.known.entry(e.office.clone()).or_insert_with(|| trust::Known { first_seen_ms: now_ms, ..Default::default() });
            if e.office == issuer {
                k.pin(&e.key, How::Rotation, now_ms, "");
            } else {
                k.pin(&e.key, How::Roster(issuer.clone()), now_ms, "");
                k.roster = Some(issuer.clone());
                count += 1;
            }
            if k.name.is_empty() {
                k.name = e.name.clone();
            }
        }
        self.pending.borrow_mut().touch_meta();
        self.reg.replace(next);
        Ok(count)
    }
}

/// A roster's text, checked like an exchange file: size, JSON, no repeated keys, exact layout,
/// sound ids, names and keys.
fn parse_roster(text: &str) -> Result<Roster, ExchangeError> {
    let malformed = |f: &str| ExchangeError::File(BundleError::Malformed { line: 1, column: 1, field: f.into() });
    if text.len() > ROSTER_MAX_BYTES {
        return Err(ExchangeError::File(BundleError::TooLarge(text.len())));
    }
    #[derive(serde::Deserialize)]
    struct Probe {
        format: Option<String>,
    }
    let probe: Probe = serde_json::from_str(text).map_err(|e| ExchangeError::File(BundleError::NotJson { line: e.line(), column: e.column() }))?;
    if probe.format.as_deref() != Some(trust::ROSTER_FORMAT) {
        return Err(ExchangeError::File(BundleError::WrongFormat));
    }
    if let Some((line, key)) = crate::sync::jsonscan::duplicate_key(text) {
        return Err(ExchangeError::File(BundleError::DuplicateKey { line, key }));
    }
    let r: Roster =
        serde_json::from_str(text).map_err(|e| ExchangeError::File(BundleError::Malformed { line: e.line(), column: e.column(), field: String::new() }))?;
    let b = &r.body;
    if b.version > 1 {
        return Err(ExchangeError::File(BundleError::NewerVersion(b.version as u64)));
    }
    if b.entries.len() > trust::ROSTER_MAX_ENTRIES {
        return Err(malformed("entries"));
    }
    let key_ok = |k: &str| trust::unhex::<32>(k).is_some();
    for (office, name, key) in std::iter::once((&b.office, &b.name, &b.key)).chain(b.entries.iter().map(|e| (&e.office, &e.name, &e.key))) {
        if !valid_office_id(office) || !key_ok(key) {
            return Err(malformed(&format!("entries.{}", bundle::snippet(office))));
        }
        if name.chars().count() > bundle::MAX_NAME {
            return Err(ExchangeError::File(BundleError::Oversized(bundle::snippet(name))));
        }
    }
    if trust::unhex::<64>(&r.sig).is_none() {
        return Err(malformed("sig"));
    }
    // One office, one key: a roster naming an office twice is refused, not read "last one wins".
    let mut seen = std::collections::BTreeSet::new();
    if !b.entries.iter().all(|e| seen.insert(e.office.as_str())) {
        return Err(malformed("entries"));
    }
    Ok(r)
}

#[cfg(test)]
mod tests;
