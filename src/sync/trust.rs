//! Trust between offices (design: docs/signatures.md).
//!
//! - Each office holds an Ed25519 key, made at set-up from the browser's random source.
//! - Each office's changes form a hash chain: h0 = H(office), hn = H(hn-1 ‖ change n). The author
//!   signs its chain's head when it exports; a file carries, for every office whose changes it
//!   holds, the hash before them, the head after them and the author's signature on that head.
//!   So changes relayed by a third office stay verifiable as their author's, and two different
//!   changes under one id from one key (equivocation) are provable: two signed heads that disagree.
//! - The sender also signs the file's digest (who sent it, to whom, what it says it holds).
//! - Keys are pinned on first use; a different key is refused until a person accepts it (after
//!   reading the fingerprint out over the phone), unless the old key signed the change (rotation)
//!   or a superior office's signed roster named it.
//!
//! This state is local to one browser: it is never merged and never exported as records.

use super::clock::OfficeId;
use super::state::Change;
use crate::order::LeanSort;
use ed25519_dalek::{Signature as EdSig, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const ALG: &str = "ed25519";

pub fn hex(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() * 2);
    hex_into(&mut out, b);
    out
}

/// `hex`, written in place of what `out` held (a chain head moved on reuses its text).
pub fn hex_into(out: &mut String, b: &[u8]) {
    // By table, not `format!` per byte: an import writes a chain head's hex for every change
    // (160,000 in a city's file), and the formatting machinery was a visible part of it.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.clear();
    for &x in b {
        out.push(DIGITS[(x >> 4) as usize] as char);
        out.push(DIGITS[(x & 15) as usize] as char);
    }
}

/// Whether `s` is lowercase hex (the only form files carry: one key, one spelling).
pub fn is_hex(s: &str) -> bool {
    s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// Exactly `N` bytes of lowercase hex, or None.
pub fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != 2 * N || !is_hex(s) {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The hash of an office's chain before its first change.
pub fn genesis(office: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"reform-registry/chain/v1\n");
    h.update(office.as_bytes());
    h.finalize().into()
}

/// The chain's next hash: the previous one and the change's canonical JSON (the same bytes every
/// office gets when it serialises the change it parsed).
pub fn link(prev: &[u8; 32], c: &Change) -> [u8; 32] {
    link_json(prev, c.canonical_json().as_bytes())
}

/// `link` over a change's canonical JSON already serialised (an export serialises each change
/// once, for the chain, the digest and the text).
pub fn link_json(prev: &[u8; 32], json: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(json);
    h.finalize().into()
}

/// Where an office's chain stands in this registry: after change `seq`, with `hash`; `signed` is
/// the author's signature on exactly this head, when this office received one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChainHead {
    pub seq: u64,
    pub hash: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<Signed>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    pub key: String,
    pub sig: String,
}

/// Chain hashes already worked out while a file's chains were checked (`bundle::signed`), by
/// author: (seq, hash after that change) in seq order. Merging the file then takes each change's
/// hash from here instead of serialising and hashing the change a second time.
#[derive(Debug, Default)]
pub struct Links(std::collections::HashMap<String, Vec<(u64, [u8; 32])>>);

impl Links {
    /// Keeps an author's run of hashes (the first run given for an author counts).
    pub fn keep(&mut self, author: &str, run: Vec<(u64, [u8; 32])>) {
        if !run.is_empty() {
            self.0.entry(author.to_string()).or_insert(run);
        }
    }

    /// The chain's hash after change `dot`, when it was worked out.
    pub fn after(&self, dot: &super::clock::Dot) -> Option<&[u8; 32]> {
        let v = self.0.get(&dot.office)?;
        v.binary_search_by_key(&dot.seq, |x| x.0).ok().map(|i| &v[i].1)
    }
}

impl ChainHead {
    /// The hash of the head after `c` when `prev` is the head before it (None: the chain is not
    /// known here), given it when it is already known (`Links`: worked out
    /// while the file's chain was checked from this same head); otherwise it is worked out here.
    fn next_hash(prev: Option<&ChainHead>, c: &Change, known: Option<&[u8; 32]>) -> Option<[u8; 32]> {
        match (prev, known) {
            (None, _) if c.dot.seq != 1 => None,
            (Some(p), _) if p.seq + 1 != c.dot.seq => None,
            (_, Some(h)) => Some(*h),
            (None, None) => Some(link(&genesis(&c.dot.office), c)),
            (Some(p), None) => Some(link(&unhex::<32>(&p.hash)?, c)),
        }
    }

    /// Moves the head of `c`'s author in `heads` on past `c` (`next_hash`), in place: an
    /// import moves it 160,000 times. The head is dropped when the chain is not known here.
    pub fn advance(heads: &mut BTreeMap<OfficeId, ChainHead>, c: &Change, known: Option<&[u8; 32]>) {
        let office = c.dot.office.as_str();
        match (Self::next_hash(heads.get(office), c, known), heads.get_mut(office)) {
            (Some(hash), Some(h)) => {
                h.seq = c.dot.seq;
                hex_into(&mut h.hash, &hash);
                h.signed = None;
            }
            (Some(hash), None) => {
                heads.insert(c.dot.office.clone(), ChainHead { seq: c.dot.seq, hash: hex(&hash), signed: None });
            }
            (None, _) => {
                heads.remove(office);
            }
        }
    }
}

/// Every office's chain head from a change log (any order, repeats allowed). An office whose
/// log has a hole gets no head.
pub fn heads_of(log: &[Change]) -> BTreeMap<OfficeId, ChainHead> {
    let mut sorted: Vec<&Change> = log.iter().collect();
    sorted.lean_sort_by(|a, b| a.dot.cmp(&b.dot));
    sorted.dedup_by(|a, b| a.dot == b.dot);
    let mut heads: BTreeMap<OfficeId, ChainHead> = BTreeMap::new();
    // A hole drops the office's head, and a head that is gone never comes back past change 1.
    for c in sorted {
        ChainHead::advance(&mut heads, c, None);
    }
    heads
}

// What each signature covers, each with its own label so one can never pass for another.
pub fn head_message(office: &str, seq: u64, hash: &str) -> Vec<u8> {
    format!("reform-registry/head/v1\n{office}\n{seq}\n{hash}").into_bytes()
}
pub fn file_message(digest: &str) -> Vec<u8> {
    format!("reform-registry/file/v1\n{digest}").into_bytes()
}
pub fn rotation_message(office: &str, old: &str, new: &str, at: i64) -> Vec<u8> {
    format!("reform-registry/rotate/v1\n{office}\n{old}\n{new}\n{at}").into_bytes()
}
pub fn roster_message(digest: &str) -> Vec<u8> {
    format!("reform-registry/roster/v1\n{digest}").into_bytes()
}

/// An office's signing key, from a 32-byte random seed.
pub struct OfficeKey(SigningKey);

impl OfficeKey {
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        OfficeKey(SigningKey::from_bytes(seed))
    }
    pub fn from_hex(seed: &str) -> Option<Self> {
        unhex::<32>(seed).map(|s| Self::from_seed(&s))
    }
    /// The public key, as files carry it (64 hex digits).
    pub fn public(&self) -> String {
        hex(self.0.verifying_key().as_bytes())
    }
    pub fn sign(&self, msg: &[u8]) -> String {
        hex(&self.0.sign(msg).to_bytes())
    }
}

/// Whether `sig` is `key`'s signature on `msg` (strict: no malleable or weak-key forms).
pub fn verify(key: &str, msg: &[u8], sig: &str) -> bool {
    let (Some(k), Some(s)) = (unhex::<32>(key), unhex::<64>(sig)) else { return false };
    let Ok(vk) = VerifyingKey::from_bytes(&k) else { return false };
    vk.verify_strict(msg, &EdSig::from_bytes(&s)).is_ok()
}

/// A key's fingerprint, for reading out over the phone: 20 digits in groups of four (the first 64
/// bits of the key's SHA-256). Digits, because they read the same in Chinese and English.
pub fn fingerprint(key: &str) -> String {
    let d = Sha256::digest(key.as_bytes());
    let n = u64::from_be_bytes(d[..8].try_into().expect("8 bytes"));
    let s = format!("{n:020}");
    s.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).expect("ascii")).collect::<Vec<_>>().join(" ")
}

/// A key change its old key signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    pub office: OfficeId,
    pub old: String,
    pub new: String,
    pub at: i64,
    pub sig: String,
}

impl Rotation {
    pub fn is_valid(&self) -> bool {
        self.old != self.new && verify(&self.old, &rotation_message(&self.office, &self.old, &self.new, self.at), &self.sig)
    }
}

/// How this office came to hold an office's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// From the first signed file that named it (trust on first use).
    FirstUse,
    /// A person accepted a new key, having checked its fingerprint.
    Accepted,
    /// The old key signed the new one.
    Rotation,
    /// A superior office's signed roster named it (the roster's office id).
    Roster(OfficeId),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEvent {
    pub at_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    pub new: String,
    pub how: How,
    /// Who did it (the operator's name), for accepted keys.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

/// An office this one has received files or changes from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// The name a roster gave it (files name offices through their office records).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The office whose signed roster lists this key, when one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<OfficeId>,
    /// The pinned key; None while only unsigned changes of it arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub first_seen_ms: i64,
    /// When a file sent by this office itself was last read (0: only relayed by others).
    #[serde(default)]
    pub last_file_ms: i64,
    /// Every key this office has held here, oldest first, and how.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<KeyEvent>,
}

impl Known {
    pub fn how(&self) -> Option<&How> {
        self.history.last().map(|e| &e.how)
    }

    /// Pins `key` (recording how), if it is not the key already held.
    pub fn pin(&mut self, key: &str, how: How, at_ms: i64, by: &str) {
        if self.key.as_deref() == Some(key) {
            return;
        }
        // A roster vouched for the old key, not for this one.
        self.roster = None;
        self.history.push(KeyEvent { at_ms, old: self.key.clone(), new: key.to_string(), how, by: by.to_string() });
        self.key = Some(key.to_string());
    }
}

/// This browser's trust state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Trust {
    /// This office's key seed (hex). It never leaves this browser in an exchange file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    #[serde(default)]
    pub known: BTreeMap<OfficeId, Known>,
    /// Signed key changes (this office's and others'): every file that needs one carries it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rotations: Vec<Rotation>,
    /// This office's own changes (by author id) up to this number were made before it had a key:
    /// they may come back unsigned (a restore from an old file). Later ones only signed by its keys.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unsigned_upto: BTreeMap<OfficeId, u64>,
}

impl Trust {
    pub fn key(&self) -> Option<OfficeKey> {
        self.secret.as_deref().and_then(OfficeKey::from_hex)
    }

    /// This office's public key.
    pub fn public(&self) -> Option<String> {
        self.key().map(|k| k.public())
    }

    /// Whether signed rotations (known here or carried by a file) lead from `from` to `to`.
    pub fn rotates(office: &str, from: &str, to: &str, rotations: &[&Rotation]) -> bool {
        let mut at = from.to_string();
        for _ in 0..=rotations.len() {
            if at == to {
                return true;
            }
            match rotations.iter().find(|r| r.office == office && r.old == at && r.is_valid()) {
                Some(r) => at = r.new.clone(),
                None => return false,
            }
        }
        false
    }
}

/// A superior office's signed list of its offices' keys, which others import to register them
/// without waiting for a first file (and to check keys they registered on first use).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterBody {
    pub format: String,
    pub version: u32,
    pub office: OfficeId,
    pub name: String,
    pub issued_at: i64,
    pub issued_at_text: String,
    pub entries: Vec<RosterEntry>,
    /// The issuing office's key.
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterEntry {
    pub office: OfficeId,
    pub name: String,
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    #[serde(flatten)]
    pub body: RosterBody,
    /// The issuer's signature over `roster_message(sha256 of the body's compact JSON)`.
    pub sig: String,
}

pub const ROSTER_FORMAT: &str = "reform-registry-roster";
pub const ROSTER_MAX_ENTRIES: usize = 10_000;

impl RosterBody {
    pub fn digest(&self) -> String {
        hex(&Sha256::digest(serde_json::to_vec(self).expect("roster serialises")))
    }
}

impl Roster {
    pub fn sign(body: RosterBody, key: &OfficeKey) -> Roster {
        let sig = key.sign(&roster_message(&body.digest()));
        Roster { body, sig }
    }
    pub fn is_valid(&self) -> bool {
        verify(&self.body.key, &roster_message(&self.body.digest()), &self.sig)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_two_digits_a_byte_and_reads_back() {
        let bytes: Vec<u8> = (0..=255).collect();
        let h = hex(&bytes);
        assert_eq!(&h[..8], "00010203");
        assert_eq!(&h[h.len() - 6..], "fdfeff");
        assert_eq!(h, bytes.iter().map(|x| format!("{x:02x}")).collect::<String>());
        let mut four = [0u8; 4];
        four.copy_from_slice(&bytes[0x0f..0x13]);
        assert_eq!(unhex::<4>(&hex(&four)), Some(four));
    }

    #[test]
    fn signatures_verify_only_their_message_and_key() {
        let k = OfficeKey::from_seed(&[7; 32]);
        let other = OfficeKey::from_seed(&[8; 32]);
        let sig = k.sign(b"m");
        assert!(verify(&k.public(), b"m", &sig));
        assert!(!verify(&k.public(), b"n", &sig));
        assert!(!verify(&other.public(), b"m", &sig));
        assert!(!verify(&k.public(), b"m", "00"));
        assert!(!verify("zz", b"m", &sig));
    }

    #[test]
    fn fingerprint_is_five_groups_of_four_digits_and_differs_by_key() {
        let a = fingerprint(&OfficeKey::from_seed(&[1; 32]).public());
        let b = fingerprint(&OfficeKey::from_seed(&[2; 32]).public());
        assert_eq!(a.len(), 24);
        assert!(a.split(' ').all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_digit())));
        assert_ne!(a, b);
    }

    #[test]
    fn rotation_chain_follows_only_valid_links() {
        let (k1, k2, k3) = (OfficeKey::from_seed(&[1; 32]), OfficeKey::from_seed(&[2; 32]), OfficeKey::from_seed(&[3; 32]));
        let rot = |o: &OfficeKey, n: &OfficeKey| Rotation {
            office: "a".into(),
            old: o.public(),
            new: n.public(),
            at: 5,
            sig: o.sign(&rotation_message("a", &o.public(), &n.public(), 5)),
        };
        let (r12, r23) = (rot(&k1, &k2), rot(&k2, &k3));
        assert!(Trust::rotates("a", &k1.public(), &k3.public(), &[&r23, &r12]));
        assert!(!Trust::rotates("b", &k1.public(), &k3.public(), &[&r23, &r12]), "another office's rotation");
        let mut forged = r23.clone();
        forged.new = OfficeKey::from_seed(&[9; 32]).public();
        assert!(!Trust::rotates("a", &k2.public(), &forged.new, &[&forged]), "new key not signed by the old");
    }

    #[test]
    fn chain_heads_depend_on_every_change_in_order() {
        use crate::sync::Registry;
        let mut r = Registry::new("a");
        let c1 = r.make_change(1, "item", "x", vec![("title".into(), serde_json::json!("1"))], "");
        let c2 = r.make_change(2, "item", "x", vec![("title".into(), serde_json::json!("2"))], "");
        let h = heads_of(&[c2.clone(), c1.clone(), c1.clone()]);
        assert_eq!(h["a"].seq, 2);
        assert_eq!(r.heads["a"], h["a"], "the registry keeps the same head as the log gives");
        let mut altered = c1.clone();
        altered.by = "x".into();
        assert_ne!(heads_of(&[altered, c2.clone()])["a"].hash, h["a"].hash);
        assert!(!heads_of(std::slice::from_ref(&c2)).contains_key("a"), "a hole leaves no head");
        let c3 = r.make_change(3, "item", "x", vec![("title".into(), serde_json::json!("3"))], "");
        let c4 = r.make_change(4, "item", "x", vec![("title".into(), serde_json::json!("4"))], "");
        assert!(!heads_of(&[c1.clone(), c3.clone(), c4.clone()]).contains_key("a"), "nor one in the middle, whatever follows it");
        assert_eq!(heads_of(&[c4, c3, c2, c1])["a"], r.heads["a"]);
    }
}
