//! Who may write a record: one rule, used by every local action (through the transaction) and by
//! every import (for every change in a file). The table, with the reasons from the seeds, is in
//! docs/ownership.md.
//!
//! Every record belongs to the office that created it: its id is the creating change's dot
//! ("office:seq"), or — for an office's own record — the office id itself. A record attached to
//! another record (an item's risk review, acceptance, 出圈 score sheets and monthly reports; a
//! plan's monthly figures and year-end scores) has an id that starts with that record's id, and
//! belongs to its owner. So an item, its reviews, reports and acceptance are written only by the
//! office that owns the item; a superior office's plans, figures, rankings and notices are its
//! own records about its subordinates' units, which only it writes.

use super::validate::DomainError;
use crate::i18n::K;
use crate::sync::clock::office_of;
use crate::sync::{Change, OfficeId, Registry};

/// Changes stamped before this moment (2026-11-25 00:00 UTC, the day the rule was introduced) were
/// made by versions that let any office edit any record; they are still accepted so that no
/// office's existing files become unreadable. Such a write cannot supersede anything stamped
/// later, so at worst it shows as a conflict for a person to resolve.
pub const RULE_SINCE_MS: i64 = 1_795_564_800_000;

/// The office that owns a record, read from its id (the office of the author that created it).
pub fn owner(record: &str) -> &str {
    let head = record.split('/').next().unwrap_or(record);
    office_of(head.rsplit_once(':').map(|(author, _)| author).unwrap_or(head))
}

/// May this office write `record`? The refusal names the owning office as this office knows it.
pub fn check(reg: &Registry, record: &str) -> Result<(), DomainError> {
    let o = owner(record);
    if o == reg.office() {
        Ok(())
    } else {
        Err(DomainError::new(K::ErrNotOwner).arg(office_name(reg, o)))
    }
}

/// An office's name as this office knows it (its record, or what it called itself in a file).
pub fn office_name(reg: &Registry, id: &str) -> String {
    let id = office_of(id);
    reg.get_live(id)
        .filter(|r| r.coll == super::model::coll::OFFICE)
        .and_then(|r| r.value("name").and_then(|v| v.as_str()).map(str::to_string))
        .or_else(|| reg.peers.get(id).map(|p| p.name.clone()))
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| id.to_string())
}

/// Every change in a file must be its author's to make. Returns the first that is not (its index)
/// with the office that owns the record.
pub fn check_incoming(changes: &[Change]) -> Result<(), (usize, OfficeId)> {
    match changes.iter().position(|c| c.at >= RULE_SINCE_MS && owner(&c.record) != office_of(&c.dot.office)) {
        Some(n) => Err((n, owner(&changes[n].record).to_string())),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_read_from_ids() {
        assert_eq!(owner("pingyuan"), "pingyuan", "an office's own record");
        assert_eq!(owner("pingyuan:12"), "pingyuan", "a record it created");
        assert_eq!(owner("pingyuan:12/risk"), "pingyuan", "an item's review");
        assert_eq!(owner("pingyuan:12/2026-11"), "pingyuan", "an item's monthly report");
        assert_eq!(owner("pingyuan:12/highlight/评审组:甲"), "pingyuan", "a reviewer name with a colon");
        assert_eq!(owner("zibo:3/2026-10/zhangdian:7"), "zibo", "a plan's figures for a subordinate's unit");
        let reg = Registry::new("pingyuan");
        assert!(check(&reg, "pingyuan:12/acceptance").is_ok());
        let e = check(&Registry::new("dezhou"), "pingyuan:12").unwrap_err();
        assert_eq!(e.key, K::ErrNotOwner);
        assert!(e.message(crate::i18n::Lang::Zh).contains("pingyuan"));
    }
}
