//! Backup and restore of a whole office: on a new laptop, or after the browser's data was lost,
//! the office comes back as the same office — same id, same signing key, its whole registry (so
//! 文号 serials continue), its known offices and its settings.
//!
//! - The key travels sealed: PBKDF2-HMAC-SHA256 over a passphrase the user chooses, then
//!   ChaCha20-Poly1305 (the office id is bound in as associated data). It is never in clear.
//! - The file is sealed by a digest and signed with the office key, checked after unsealing.
//! - A restored office writes under a fresh author id (`office-r…`, see `sync::clock::office_of`):
//!   the backup may be older than what its peers hold, and an office that reused change numbers
//!   it had already spent would hand its peers two different changes under one id.

use super::exchange::Exported;
use super::{Holder, Session};
use crate::domain::ops;
use crate::i18n::{t, tf, Lang, K};
use crate::order::LeanSort;
use crate::storage::Store;
use crate::sync::clock::{office_of, valid_office_id, Clock, OfficeId, VersionVector};
use crate::sync::state::BackedUp;
use crate::sync::trust::{self, ChainHead, OfficeKey, Trust};
use crate::sync::{bundle, Change, Peer, Registry};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::ChaCha20Poly1305;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const FORMAT: &str = "reform-registry-backup";
pub const VERSION: u32 = 1;
/// PBKDF2 rounds: about a second in a browser, so guessing passphrases is slow.
pub const ROUNDS: u32 = 200_000;
pub const MIN_PASSPHRASE: usize = 8;
/// Remind when the last backup is older than this, or this many changes were made since.
pub const REMIND_AFTER_MS: i64 = 7 * 24 * 3600 * 1000;
pub const REMIND_AFTER_CHANGES: u64 = 50;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedKey {
    pub kdf: String,
    pub rounds: u32,
    pub salt: String,
    pub nonce: String,
    pub sealed: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupBody {
    pub format: String,
    pub version: u32,
    pub office: OfficeId,
    pub name: String,
    /// The author id the office wrote under when the backup was made.
    pub author: OfficeId,
    pub made_at: i64,
    pub made_at_text: String,
    pub key: SealedKey,
    pub peers: BTreeMap<OfficeId, Peer>,
    /// Known offices and rotations (the secret is in `key`, sealed).
    pub trust: Trust,
    pub heads: BTreeMap<OfficeId, ChainHead>,
    /// The person's settings in this app (operator name, language).
    pub settings: BTreeMap<String, String>,
    pub vv: VersionVector,
    pub changes: Vec<Change>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    #[serde(flatten)]
    pub body: BackupBody,
    pub digest: String,
    /// The office key's signature over "reform-registry/backup/v1\n" + digest.
    pub sig: String,
}

/// Why a backup was not made or not restored. Nothing changed in any case.
#[derive(Clone, Debug, PartialEq)]
pub enum BackupError {
    ShortPassphrase,
    NoKey,
    TooLarge,
    /// An exchange file given where a backup is wanted.
    ExchangeFile,
    NotBackup,
    Newer(u64),
    Damaged,
    WrongPassphrase,
    /// The session takes no change now (another tab holds the registry, an import runs, or the
    /// history is still being read), as `Session::writable` says.
    Refused(crate::storage::StoreError),
}

impl BackupError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            BackupError::ShortPassphrase => tf(lang, K::BkShortPass, &[MIN_PASSPHRASE.to_string()]),
            BackupError::NoKey => t(lang, K::KnownNoKey).into(),
            BackupError::TooLarge => tf(lang, K::BErrTooLarge, &[(bundle::MAX_BYTES / 1024 / 1024).to_string()]),
            BackupError::ExchangeFile => t(lang, K::BkExchangeFile).into(),
            BackupError::NotBackup => t(lang, K::BkNotBackup).into(),
            BackupError::Newer(v) => tf(lang, K::BErrNewer, &[v.to_string()]),
            BackupError::Damaged => t(lang, K::BkDamaged).into(),
            BackupError::WrongPassphrase => t(lang, K::BkWrongPass).into(),
            BackupError::Refused(e) => e.message(lang),
        }
    }
}

fn stretch(passphrase: &str, salt: &[u8], rounds: u32) -> [u8; 32] {
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(passphrase.as_bytes(), salt, rounds, &mut key);
    key
}

/// Seals a key seed under a passphrase. `salt_nonce`: 28 random bytes (16 salt, 12 nonce).
pub fn seal(seed: &[u8; 32], passphrase: &str, office: &str, salt_nonce: &[u8; 28], rounds: u32) -> SealedKey {
    let (salt, nonce) = salt_nonce.split_at(16);
    let cipher = ChaCha20Poly1305::new(&stretch(passphrase, salt, rounds).into());
    let sealed = cipher.encrypt(nonce.into(), Payload { msg: seed, aad: office.as_bytes() }).expect("sealing cannot fail");
    SealedKey { kdf: "pbkdf2-sha256/chacha20poly1305".into(), rounds, salt: trust::hex(salt), nonce: trust::hex(nonce), sealed: trust::hex(&sealed) }
}

/// The seed, or None when the passphrase (or the office it was sealed for) is wrong.
pub fn unseal(k: &SealedKey, passphrase: &str, office: &str) -> Option<[u8; 32]> {
    let salt = trust::unhex::<16>(&k.salt)?;
    let nonce = trust::unhex::<12>(&k.nonce)?;
    let sealed = trust::unhex::<48>(&k.sealed)?;
    if k.rounds == 0 || k.rounds > 10_000_000 {
        return None;
    }
    let cipher = ChaCha20Poly1305::new(&stretch(passphrase, &salt, k.rounds).into());
    let seed = cipher.decrypt((&nonce).into(), Payload { msg: &sealed, aad: office.as_bytes() }).ok()?;
    seed.try_into().ok()
}

fn backup_message(digest: &str) -> Vec<u8> {
    format!("reform-registry/backup/v1\n{digest}").into_bytes()
}

fn digest_of(body: &BackupBody) -> String {
    trust::hex(&Sha256::digest(serde_json::to_vec(body).expect("backup serialises")))
}

/// Whether the office should be reminded to make a backup: 50 changes since the last one (or
/// since set-up), or a week since the last one with anything new.
pub fn due(reg: &Registry, now_ms: i64) -> bool {
    let b = &reg.backed_up;
    let since = reg.vv.total().saturating_sub(b.changes);
    since >= REMIND_AFTER_CHANGES || (b.at_ms > 0 && since > 0 && now_ms - b.at_ms > REMIND_AFTER_MS)
}

/// What a restore brought back, for the message shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Restored {
    pub name: String,
    pub made_at_text: String,
    pub changes: usize,
    pub settings: BTreeMap<String, String>,
}

/// Reads and unseals a backup into the registry it holds (writing under a fresh author id ending
/// in `author_suffix`) and its change log. Nothing is stored here.
pub fn read(text: &str, passphrase: &str, author_suffix: &str) -> Result<(Registry, Vec<Change>, Restored), BackupError> {
    if text.len() > bundle::MAX_BYTES {
        return Err(BackupError::TooLarge);
    }
    #[derive(Deserialize)]
    struct Probe {
        format: Option<String>,
        version: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_str(text).map_err(|_| BackupError::NotBackup)?;
    match probe.format.as_deref() {
        Some(FORMAT) => {}
        Some(bundle::FORMAT) => return Err(BackupError::ExchangeFile),
        _ => return Err(BackupError::NotBackup),
    }
    match probe.version.as_ref().and_then(serde_json::Value::as_u64) {
        Some(v) if v > VERSION as u64 => return Err(BackupError::Newer(v)),
        Some(_) => {}
        None => return Err(BackupError::Damaged),
    }
    if crate::sync::jsonscan::duplicate_key(text).is_some() {
        return Err(BackupError::Damaged);
    }
    let b: Backup = serde_json::from_str(text).map_err(|_| BackupError::Damaged)?;
    let body = &b.body;
    if digest_of(body) != b.digest || !valid_office_id(&body.office) || office_of(&body.author) != body.office {
        return Err(BackupError::Damaged);
    }
    let seed = unseal(&body.key, passphrase, &body.office).ok_or(BackupError::WrongPassphrase)?;
    let key = OfficeKey::from_seed(&seed);
    if !trust::verify(&key.public(), &backup_message(&b.digest), &b.sig) {
        return Err(BackupError::Damaged);
    }
    // The registry, rebuilt change by change (so a damaged log cannot be restored half-way).
    let me = format!("{}-r{}", body.office, author_suffix);
    let mut reg = Registry::new(&me);
    let mut changes: Vec<&Change> = body.changes.iter().collect();
    changes.lean_sort_by(|a, b| a.dot.cmp(&b.dot));
    for c in &changes {
        reg.apply(c).map_err(|_| BackupError::Damaged)?;
    }
    if reg.vv != body.vv {
        return Err(BackupError::Damaged);
    }
    // The chains as the backup knew them (with the signatures it held), checked against the log.
    for (author, h) in &body.heads {
        match reg.heads.get_mut(author) {
            Some(mine) if mine.seq == h.seq && mine.hash == h.hash => mine.signed = h.signed.clone(),
            _ => return Err(BackupError::Damaged),
        }
    }
    reg.clock = Clock::new(&me);
    for c in &changes {
        reg.clock.observe(&c.hlc());
    }
    reg.peers = body.peers.clone();
    reg.trust = Trust { secret: Some(trust::hex(&seed)), ..body.trust.clone() };
    reg.backed_up = BackedUp { at_ms: body.made_at, changes: body.vv.total() };
    let restored = Restored { name: body.name.clone(), made_at_text: body.made_at_text.clone(), changes: body.changes.len(), settings: body.settings.clone() };
    Ok((reg, b.body.changes, restored))
}

impl<H: Holder, S: Store> Session<H, S> {
    /// A backup of this office, its key sealed under `passphrase`. `salt_nonce` are 28 random bytes.
    pub async fn backup(&self, passphrase: &str, salt_nonce: &[u8; 28], settings: BTreeMap<String, String>, now_ms: i64) -> Result<Exported, BackupError> {
        if passphrase.chars().count() < MIN_PASSPHRASE {
            return Err(BackupError::ShortPassphrase);
        }
        let mut changes = self.change_log().await.map_err(|_| BackupError::Damaged)?;
        changes.lean_sort_by(|a, b| a.dot.cmp(&b.dot));
        changes.dedup_by(|a, b| a.dot == b.dot);
        let out = self
            .reg
            .read(|r| {
                let key = r.trust.key().ok_or(BackupError::NoKey)?;
                let seed = trust::unhex::<32>(r.trust.secret.as_deref().unwrap_or_default()).ok_or(BackupError::NoKey)?;
                let name = ops::my_office(r).map(|o| o.name).unwrap_or_default();
                let body = BackupBody {
                    format: FORMAT.into(),
                    version: VERSION,
                    office: r.office().to_string(),
                    name: name.clone(),
                    author: r.me.clone(),
                    made_at: now_ms,
                    made_at_text: bundle::iso(now_ms),
                    key: seal(&seed, passphrase, r.office(), salt_nonce, ROUNDS),
                    peers: r.peers.clone(),
                    trust: Trust { secret: None, ..r.trust.clone() },
                    heads: r.heads.clone(),
                    settings,
                    vv: r.vv.clone(),
                    changes,
                };
                let digest = digest_of(&body);
                let sig = key.sign(&backup_message(&digest));
                let n = body.changes.len();
                let text = serde_json::to_string(&Backup { body, digest, sig }).expect("backup serialises");
                let date = bundle::iso(now_ms).get(..10).unwrap_or("").to_string();
                Ok(Exported { name: format!("{}_备份_{date}.backup.json", super::exchange::file_safe(&name)), text, changes: n })
            })
            .ok_or(BackupError::NoKey)??;
        self.reg.write(|r| r.backed_up = BackedUp { at_ms: now_ms, changes: r.vv.total() });
        self.pending.borrow_mut().touch_meta();
        Ok(out)
    }

    /// Restores an office from a backup in place of whatever this browser holds (the caller asks
    /// first): the file is checked and unsealed completely before anything is touched; then
    /// storage is emptied and every restored change and record is queued for one transaction.
    pub async fn restore(&self, text: &str, passphrase: &str, author_suffix: &str) -> Result<Restored, BackupError> {
        self.writable().map_err(BackupError::Refused)?;
        let (reg, log, restored) = read(text, passphrase, author_suffix)?;
        self.store.clear().await.map_err(|_| BackupError::Damaged)?;
        let mut p = self.pending.borrow_mut();
        *p = crate::storage::Pending::default();
        p.add(&log);
        p.touch_meta();
        drop(p);
        self.reg.replace(reg);
        Ok(restored)
    }
}

#[cfg(test)]
mod tests;
