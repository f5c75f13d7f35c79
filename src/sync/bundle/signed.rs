//! A file's signatures against what this office knows (trust.rs): which keys signed, whether the
//! changes are what their authors signed, and what the file teaches (keys to pin, signed heads to
//! relay, rotations).

use super::{Bundle, BundleError, Head};
use crate::order::LeanSort;
use crate::sync::clock::{office_of, OfficeId};
use crate::sync::pace::{Halt, Pace};
use crate::sync::state::{Change, Registry};
use crate::sync::trust::{self, How, Known, Rotation, Trust};
use std::collections::BTreeMap;

/// How a key in the file stands against the one pinned here.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum KeyState {
    /// No signature (a version 1 file, or an office that held no signature to relay).
    Unsigned,
    /// The pinned key.
    Known,
    /// No key pinned yet: this one will be (trust on first use).
    FirstUse,
    /// A new key the pinned one signed over.
    Rotated,
    /// Signed, but bringing nothing new here: the key is neither checked against nor registered.
    Stale,
}

#[derive(Clone, Debug, PartialEq)]
pub struct KeyCheck {
    pub office: OfficeId,
    pub key: Option<String>,
    pub state: KeyState,
}

/// What the signatures of a file say: its sender, and each office whose changes it carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Checked {
    pub sender: Option<KeyCheck>,
    pub authors: Vec<KeyCheck>,
}

impl Checked {
    pub fn sender_state(&self) -> KeyState {
        self.sender.as_ref().map(|s| s.state.clone()).unwrap_or(KeyState::Unsigned)
    }
}

/// Checks every signature and chain in the file against this registry. Nothing is changed.
///
/// A key is only ever registered from content the file brings that is new here (shown in the
/// preview first): a head or a file that brings nothing new cannot teach a key, so nobody can
/// register a false key for an office by replaying what everyone already holds.
/// (Ticks `pace` after each change hashed into its office's chain.)
/// Also gives the chain hashes it worked out for the changes new here (`trust::Links`).
pub async fn examine_paced(reg: &Registry, b: &Bundle, texts: Option<&[String]>, pace: &mut impl Pace) -> Result<(Checked, trust::Links), Halt<BundleError>> {
    let body = &b.body;
    let rotations: Vec<&Rotation> = body.rotations.iter().chain(reg.trust.rotations.iter()).collect();
    let my_key = reg.trust.public();
    // This office's own keys: the current one and those it rotated away from.
    let mine_ever = |k: &str| my_key.as_deref() == Some(k) || reg.trust.rotations.iter().any(|r| r.office == reg.office() && r.old == k);
    // Keys belong to offices; an office may write under several author ids (after a restore).
    let state = |author: &str, key: Option<&str>, last: u64| -> Result<KeyState, BundleError> {
        let held = reg.vv.get(author);
        let brings_new = last > held;
        let office = office_of(author);
        if office == reg.office() {
            // Its own changes come back (a restore) signed by its own keys; unsigned only those
            // made before it had a key (`unsigned_upto`).
            return match key {
                Some(k) if mine_ever(k) => Ok(KeyState::Known),
                _ if !brings_new => Ok(KeyState::Stale),
                None if last <= reg.trust.unsigned_upto.get(author).copied().unwrap_or(0) => Ok(KeyState::Unsigned),
                None => Err(BundleError::Unsigned(office.into())),
                Some(k) => Err(BundleError::KeyChanged { office: office.into(), pinned: my_key.clone().unwrap_or_default(), presented: k.into() }),
            };
        }
        let pinned = reg.trust.known.get(office).and_then(|k| k.key.as_deref());
        match (key, pinned) {
            (Some(k), Some(p)) if k == p => Ok(KeyState::Known),
            // Nothing new: nothing to learn, whatever key signed it (an old key after a rotation).
            (_, _) if !brings_new => Ok(KeyState::Stale),
            (None, Some(_)) => Err(BundleError::Unsigned(office.into())),
            (None, None) => Ok(KeyState::Unsigned),
            (Some(_), None) => Ok(KeyState::FirstUse),
            (Some(k), Some(p)) if Trust::rotates(office, p, k, &rotations) => Ok(KeyState::Rotated),
            (Some(k), Some(p)) => Err(BundleError::KeyChanged { office: office.into(), pinned: p.into(), presented: k.into() }),
        }
    };

    // The sender: its signature on the digest (which covers everything else in the file).
    if b.signatures.iter().any(|s| s.office != body.from.office || s.alg != trust::ALG) || b.signatures.len() > 1 {
        return Err(BundleError::Malformed { line: 1, column: 1, field: "signatures".into() }.into());
    }
    let sender = match b.signatures.first() {
        Some(s) => {
            if !trust::verify(&s.key, &trust::file_message(&b.digest), &s.sig) {
                return Err(BundleError::BadSignature(body.from.office.clone()).into());
            }
            Some(s.key.clone())
        }
        None => None,
    };
    let from_office = office_of(&body.from.office);
    // The sender is "new" when the file brings anything new at all.
    let brings_new = body.changes.iter().any(|c| !reg.vv.contains(&c.dot));
    let sender_state = match (&sender, brings_new) {
        (None, _) if from_office != reg.office() && reg.trust.known.get(from_office).is_some_and(|k| k.key.is_some()) => {
            return Err(Halt::Failed(BundleError::Unsigned(from_office.to_string())))
        }
        (_, false) if from_office != reg.office() => match (&sender, reg.trust.known.get(from_office).and_then(|k| k.key.as_deref())) {
            (Some(k), Some(p)) if k == p => KeyState::Known,
            (Some(k), Some(p)) if !Trust::rotates(from_office, p, k, &rotations) => {
                return Err(Halt::Failed(BundleError::KeyChanged { office: from_office.to_string(), pinned: p.into(), presented: k.clone() }))
            }
            _ => KeyState::Stale,
        },
        // A file of this office's own (a restore): judged by the own changes it carries.
        _ if from_office == reg.office() => {
            let last = body.changes.iter().filter(|c| c.dot.office == body.from.office).map(|c| c.dot.seq).max().unwrap_or(0);
            state(&body.from.office, sender.as_deref(), last).map_err(Halt::Failed)?
        }
        _ => state(&body.from.office, sender.as_deref(), u64::MAX).map_err(Halt::Failed)?,
    };

    // Each office's stretch of chain: it must start where this office's copy stands (or from
    // the chain's start), hash to the head, and carry a valid signature on that head.
    // Each change with its canonical JSON when the parse kept it (else serialised here).
    let texts = texts.filter(|t| t.len() == body.changes.len());
    let mut by_office: BTreeMap<&str, Vec<(&Change, Option<&str>)>> = BTreeMap::new();
    for (n, c) in body.changes.iter().enumerate() {
        by_office.entry(c.dot.office.as_str()).or_default().push((c, texts.map(|t| t[n].as_str())));
    }
    let mut authors = vec![];
    let mut links = trust::Links::default();
    for h in &body.heads {
        let mine = reg.vv.get(&h.office);
        let held = reg.heads.get(&h.office).filter(|x| x.seq == mine);
        let since = body.since.get(&h.office);
        let mut hash = trust::unhex::<32>(&h.prev).ok_or_else(|| BundleError::Malformed { line: 1, column: 1, field: "heads.prev".into() })?;
        if since == 0 && hash != trust::genesis(&h.office) {
            return Err(BundleError::ChainBroken(h.office.clone()).into());
        }
        // The hash at the point where this office's copy stands, if the file passes it.
        let mut at_held = (since == held.map_or(u64::MAX, |x| x.seq)).then_some(hash);
        let mut mine_changes = by_office.remove(h.office.as_str()).unwrap_or_default();
        mine_changes.lean_sort_by_key(|(c, _)| c.dot.seq);
        // The hashes after the changes new here, kept for the merge when they run on without a
        // gap or a repeat from where this registry stands (anything else is left to the merge).
        let mut run: Option<Vec<(u64, [u8; 32])>> = Some(vec![]);
        for (c, json) in mine_changes {
            pace.tick().await?;
            hash = match json {
                Some(j) => trust::link_json(&hash, j.as_bytes()),
                None => trust::link(&hash, c),
            };
            if held.is_some_and(|x| x.seq == c.dot.seq) {
                at_held = Some(hash);
            }
            if c.dot.seq > mine {
                if let Some(v) = run.as_mut() {
                    if c.dot.seq == v.last().map_or(mine + 1, |x| x.0 + 1) {
                        v.push((c.dot.seq, hash));
                    } else {
                        run = None;
                    }
                }
            }
        }
        // First: is this what its author signed? Only then: does it agree with what is held?
        if trust::hex(&hash) != h.hash {
            return Err(BundleError::ChainBroken(h.office.clone()).into());
        }
        let key = match (&h.key, &h.sig) {
            (Some(k), Some(s)) if trust::verify(k, &trust::head_message(&h.office, h.seq, &h.hash), s) => Some(k.clone()),
            (Some(_), Some(_)) => return Err(Halt::Failed(BundleError::BadSignature(h.office.clone()))),
            (None, None) => None,
            _ => return Err(Halt::Failed(BundleError::Malformed { line: 1, column: 1, field: "heads.sig".into() })),
        };
        if let (Some(x), Some(there)) = (held, at_held) {
            if x.hash != trust::hex(&there) {
                // This office's own history differs from the file's: it went on after restoring
                // an old backup (the message says so).
                if office_of(&h.office) == reg.office() {
                    return Err(BundleError::Collision(crate::sync::Dot::new(&h.office, x.seq)).into());
                }
                // Proof needs both versions signed by one key.
                let proven = x.signed.as_ref().is_some_and(|s| Some(&s.key) == key.as_ref());
                return Err(BundleError::Fork { office: h.office.clone(), seq: x.seq, proven }.into());
            }
        }
        let st = state(&h.office, key.as_deref(), h.seq).map_err(Halt::Failed)?;
        authors.push(KeyCheck { office: h.office.clone(), key, state: st });
        if let Some(run) = run {
            links.keep(&h.office, run);
        }
    }
    // Offices with changes but no head (version 1 files): unsigned content, held to the same rule.
    for (office, changes) in by_office {
        let last = changes.iter().map(|(c, _)| c.dot.seq).max().unwrap_or(0);
        let st = state(office, None, last).map_err(Halt::Failed)?;
        authors.push(KeyCheck { office: office.to_string(), key: None, state: st });
    }
    Ok((Checked { sender: Some(KeyCheck { office: body.from.office.clone(), key: sender, state: sender_state }), authors }, links))
}

/// Notes what a file taught into the registry that will replace this one (only when the whole
/// file was accepted): keys pinned, the sender's last file, signed heads, rotations.
pub fn note(next: &mut Registry, heads: &[Head], rotations: &[Rotation], checked: &Checked, now_ms: i64) {
    let me = next.office().to_string();
    let mut learn = |author: &str, k: &KeyCheck| {
        let office = office_of(author);
        if office == me || k.state == KeyState::Stale {
            return;
        }
        let known = next.trust.known.entry(office.to_string()).or_insert_with(|| Known { first_seen_ms: now_ms, ..Known::default() });
        if let Some(key) = &k.key {
            match k.state {
                KeyState::FirstUse => known.pin(key, How::FirstUse, now_ms, ""),
                KeyState::Rotated => known.pin(key, How::Rotation, now_ms, ""),
                KeyState::Known | KeyState::Unsigned | KeyState::Stale => {}
            }
        }
    };
    for a in &checked.authors {
        learn(&a.office, a);
    }
    if let Some(s) = &checked.sender {
        learn(&s.office, s);
        if let Some(k) = next.trust.known.get_mut(office_of(&s.office)).filter(|_| s.state != KeyState::Stale) {
            k.last_file_ms = now_ms;
        }
    }
    // Signatures on heads kept for relaying: only from keys that count here.
    let counts =
        |office: &str| checked.authors.iter().any(|a| a.office == office && matches!(a.state, KeyState::Known | KeyState::FirstUse | KeyState::Rotated));
    for h in heads.iter().filter(|h| counts(&h.office)) {
        if let (Some(key), Some(sig)) = (&h.key, &h.sig) {
            if let Some(held) = next.heads.get_mut(&h.office).filter(|x| x.seq == h.seq && x.hash == h.hash) {
                held.signed = Some(trust::Signed { key: key.clone(), sig: sig.clone() });
            }
        }
    }
    for r in rotations {
        if !next.trust.rotations.contains(r) && r.is_valid() {
            next.trust.rotations.push(r.clone());
        }
    }
}
