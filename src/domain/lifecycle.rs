//! The life cycle of a reform item as a state machine with only the allowed transitions.
//!
//! 谋划申报 → 风险评估 → 深改委审定 → 推进中 → 完成销号 → 验收, with 待上级部署, 暂缓 and 终止
//! on the side. "Every reform item must be approved before it starts": nothing reaches 推进中
//! without passing 深改委审定.

use super::model::coll;
use super::model::Status::{self, *};
use super::review;
use super::validate::DomainError;
use crate::i18n::K;
use crate::order::LeanSort;
use crate::sync::{Change, Dot, Registry};

impl Status {
    /// States in which the item is still being worked on (and so can become overdue).
    pub fn is_open(self) -> bool {
        matches!(self, Proposed | RiskReviewed | Approved | InProgress)
    }

    /// Excluded from completion and on-schedule rates (淄博: 127 of 1,378 waiting).
    pub fn excluded_from_rates(self) -> bool {
        matches!(self, AwaitingDeployment | Terminated)
    }

    pub fn is_done(self) -> bool {
        matches!(self, Completed | Accepted)
    }

    /// The states this one may move to.
    pub fn next(self) -> &'static [Status] {
        match self {
            Proposed => &[RiskReviewed, AwaitingDeployment, Terminated],
            // Back to 谋划 when the review sends it back for rework.
            RiskReviewed => &[Approved, Proposed, Terminated],
            Approved => &[InProgress, AwaitingDeployment, Suspended, Terminated],
            InProgress => &[Completed, AwaitingDeployment, Suspended, Terminated],
            // Failed acceptance sends it back to work.
            Completed => &[Accepted, InProgress],
            // A look-back that finds results slipping may reopen it (see `check_status_write`).
            Accepted => &[InProgress],
            // Once the upper level deploys, a waiting item still goes through review and approval.
            AwaitingDeployment => &[Proposed, Terminated],
            Suspended => &[InProgress, Terminated],
            Terminated => &[],
        }
    }

    /// Moves that must carry a written reason.
    pub fn needs_reason(self, to: Status) -> bool {
        matches!(to, Suspended | Terminated | AwaitingDeployment)
            || (self == RiskReviewed && to == Proposed)
            || (matches!(self, Completed | Accepted) && to == InProgress)
    }
}

/// What a person must record with a move made in this office (not replayed from files, which
/// may predate the rule): 深改委审定 names the meeting, its date and 文号; 完成销号 needs every
/// milestone done and every outcome figure filled, or a written reason.
pub fn check_move_record(
    item: &super::model::ReformItem,
    to: Status,
    reason: &str,
    approval: Option<&super::model::Approval>,
    today: chrono::NaiveDate,
) -> Result<(), DomainError> {
    match to {
        Approved => {
            let a = approval.ok_or_else(|| DomainError::new(K::ErrApprovalMeeting).at("approval"))?;
            if a.meeting.trim().is_empty() || a.date.is_none() {
                return Err(DomainError::new(K::ErrApprovalMeeting).at("approval"));
            }
            if a.date.is_some_and(|d| d > today) {
                return Err(DomainError::new(K::ErrFutureMonth).arg(a.date.map(|d| d.to_string()).unwrap_or_default()).at("approval"));
            }
            Ok(())
        }
        Completed => {
            let open = item.milestones.iter().filter(|m| !m.done).count();
            let unfilled = item.indicators.iter().filter(|i| i.actual.is_none()).count();
            if (open > 0 || unfilled > 0) && reason.trim().is_empty() {
                return Err(DomainError::new(K::ErrCompleteUnfinished).arg(open).arg(unfilled).at("reason"));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Checks a transition; returns the error to show when it is not allowed.
pub fn check_transition(from: Status, to: Status, reason: &str) -> Result<(), DomainError> {
    if !from.next().contains(&to) {
        return Err(DomainError::new(K::ErrTransition).arg_key(from.label()).arg_key(to.label()));
    }
    if from.needs_reason(to) && reason.trim().is_empty() {
        return Err(DomainError::new(K::ErrTransitionReason).arg_key(to.label()));
    }
    Ok(())
}

/// The gate for moving an item forward: the same check for a local move and (later) for a move arriving in a file.
/// 已风险评估 needs a complete review; 深改委审定 needs legality passed, and a high overall risk
/// needs an explicit decision to proceed with a written reason.
/// The records `check_gate` reads besides the item: what a file's moves must be replayed with.
pub fn gate_records(item: &str) -> [String; 2] {
    [review::risk_id(item), review::acceptance_id(item)]
}

pub fn check_gate(reg: &Registry, item: &str, to: Status) -> Result<(), DomainError> {
    match to {
        RiskReviewed | Approved => {
            let r = review::risk_review(reg, item).ok_or_else(|| DomainError::new(K::ErrNoRiskReview))?;
            if to == Approved {
                if !r.legality.pass {
                    return Err(DomainError::new(K::ErrLegalityFailed));
                }
                if r.overall() == review::Level::High && !r.decision.as_ref().is_some_and(|d| d.proceed && !d.reason.trim().is_empty()) {
                    return Err(DomainError::new(K::ErrHighRiskDecision));
                }
            }
            Ok(())
        }
        Accepted => match review::acceptance(reg, item) {
            Some(a) if a.result.passed => Ok(()),
            Some(_) => Err(DomainError::new(K::ErrAcceptanceFailed)),
            None => Err(DomainError::new(K::ErrNoAcceptance)),
        },
        _ => Ok(()),
    }
}

/// A status written to an item — by a local move, a conflict's resolution or a change arriving in
/// a file: it must be a move the life cycle allows from every status it replaces (reasons
/// included), with its prerequisites met in `reg`. Choosing among the statuses already there (a
/// resolution) is not a move. A first status (a new item) can only be 谋划申报.
pub fn check_status_write(reg: &Registry, item: &str, from: &[Status], to: Status, reason: &str) -> Result<(), DomainError> {
    if from.contains(&to) {
        return Ok(());
    }
    if from.is_empty() {
        return if to == Proposed { Ok(()) } else { Err(DomainError::new(K::ErrTransition).arg_key(Proposed.label()).arg_key(to.label())) };
    }
    for f in from {
        check_transition(*f, to, reason)?;
        if *f == Accepted && !review::has_slipped_lookback(reg, item) {
            return Err(DomainError::new(K::ErrReopenNeedsLookback));
        }
    }
    check_gate(reg, item, to)
}

/// Status moves arriving in a file, checked by the same rule as a local move against the registry
/// as their author had it: the file's changes are replayed in order (an item, its reviews and its
/// acceptance are all kept by one office, so its own earlier changes are all there). `superseded`
/// gives the status a replaced write held when it is no longer in the registry. Returns the index
/// of the first change that breaks the rule, with the reason.
pub fn check_incoming_moves(before: &Registry, fresh: &[Change], superseded: &dyn Fn(&Dot) -> Option<Status>) -> Result<(), (usize, DomainError)> {
    crate::sync::pace::unpaced(check_incoming_moves_paced(before, fresh, superseded, &mut ()))
}

/// `check_incoming_moves`, ticking `pace` after each item replayed (a city's file moves thousands).
pub async fn check_incoming_moves_paced(
    before: &Registry,
    fresh: &[Change],
    superseded: &dyn Fn(&Dot) -> Option<Status>,
    pace: &mut impl crate::sync::pace::Pace,
) -> Result<(), crate::sync::pace::Halt<(usize, DomainError)>> {
    use crate::sync::pace::Halt;
    let writes_status = |c: &Change| c.coll == coll::ITEM && c.set.contains_key("status");
    // A first status (its author saw none) reads nothing: it can only be 谋划申报.
    let first = |c: &Change| c.set.get("status").is_some_and(|w| w.over.is_empty());
    for (n, c) in fresh.iter().enumerate().filter(|(_, c)| writes_status(c) && first(c)) {
        pace.tick().await?;
        let to: Status =
            serde_json::from_value(c.set["status"].v.clone()).map_err(|_| Halt::Failed((n, DomainError::new(K::ErrNoSuchRecord).arg(&c.record))))?;
        check_status_write(before, &c.record, &[], to, "").map_err(|e| Halt::Failed((n, e)))?;
    }
    // Only the items moved from a status, and the reviews the gates read, are replayed, one item
    // at a time: a move reads only its item, the item's reviews and the look-backs, so a city's
    // file never holds more than one item's records beside the registry.
    let items: std::collections::BTreeSet<&str> = fresh.iter().filter(|c| writes_status(c) && !first(c)).map(|c| c.record.as_str()).collect();
    if items.is_empty() {
        return Ok(());
    }
    let gate_of: std::collections::HashMap<String, &str> = items.iter().flat_map(|i| gate_records(i).map(|g| (g, *i))).collect();
    // Causal order: a change is stamped after everything its author had seen (a file lists
    // changes by office, which is causal only within one office).
    let mut per_item: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    let mut lookbacks = vec![];
    for (n, c) in fresh.iter().enumerate() {
        pace.tick().await?;
        if c.coll == coll::LOOKBACK {
            lookbacks.push(n);
        } else if let Some(i) = items.get(c.record.as_str()).copied().or_else(|| gate_of.get(&c.record).copied()) {
            per_item.entry(i).or_default().push(n);
        }
    }
    // The first breach in causal order across all items (each item's first breach is found
    // with that item's records as they stood then, which is all the rule reads).
    let mut first_breach: Option<(usize, DomainError)> = None;
    for (item, mut order) in per_item {
        pace.tick().await?;
        order.extend(&lookbacks);
        // By stamp (borrowed: building each `Hlc` in the sort's comparisons was most of it).
        order.lean_sort_by(|&a, &b| (fresh[a].stamp(), a).cmp(&(fresh[b].stamp(), b)));
        if let Some((at, _)) = &first_breach {
            if order.first().is_none_or(|&n| (fresh[n].stamp(), n) > (fresh[*at].stamp(), *at)) {
                continue;
            }
        }
        let mut reg = Registry::new(&before.me);
        // Read by id, not by walking every record (most of a city's are reports kept unparsed).
        let own = std::iter::once(item.to_string()).chain(gate_records(item));
        reg.records =
            own.filter_map(|id| before.records.get(&id).cloned()).chain(before.records.of(coll::LOOKBACK).cloned()).map(|r| (r.id.clone(), r)).collect();
        if let Err((n, e)) = replay_moves(&mut reg, fresh, &order, &writes_status, superseded) {
            if first_breach.as_ref().is_none_or(|(at, _)| (fresh[n].stamp(), n) < (fresh[*at].stamp(), *at)) {
                first_breach = Some((n, e));
            }
        }
    }
    first_breach.map_or(Ok(()), |b| Err(Halt::Failed(b)))
}

/// Replays `order` (indices into `fresh`) on `reg`, checking each status move as it comes.
fn replay_moves(
    reg: &mut Registry,
    fresh: &[Change],
    order: &[usize],
    writes_status: &dyn Fn(&Change) -> bool,
    superseded: &dyn Fn(&Dot) -> Option<Status>,
) -> Result<(), (usize, DomainError)> {
    for &n in order {
        let c = &fresh[n];
        if let Some(w) = c.set.get("status").filter(|_| writes_status(c)) {
            let bad = |e: DomainError| (n, e);
            let to: Status = serde_json::from_value(w.v.clone()).map_err(|_| bad(DomainError::new(K::ErrNoSuchRecord).arg(&c.record)))?;
            let shown = |d: &Dot| {
                reg.records
                    .get(&c.record)
                    .and_then(|r| r.fields.get("status"))
                    .and_then(|f| f.entries.iter().find(|e| &e.dot == d))
                    .and_then(|e| serde_json::from_value::<Status>(e.v.clone()).ok())
            };
            let from: Vec<Status> = w
                .over
                .iter()
                .map(|d| shown(d).or_else(|| superseded(d)).ok_or_else(|| bad(DomainError::new(K::ErrNoSuchRecord).arg(d))))
                .collect::<Result<_, _>>()?;
            // The reason as the record shows it after the move (a reason equal to the last one is
            // not written again, so it may not be in the change itself).
            reg.replay(c);
            let reason = reg.records.get(&c.record).and_then(|r| r.value("status_note")).and_then(|v| v.as_str()).unwrap_or("").to_string();
            check_status_write(reg, &c.record, &from, to, &reason).map_err(bad)?;
            continue;
        }
        reg.replay(c);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn main_path_is_allowed_in_order() {
        let path = [Proposed, RiskReviewed, Approved, InProgress, Completed, Accepted];
        for w in path.windows(2) {
            assert!(check_transition(w[0], w[1], "").is_ok(), "{:?} -> {:?}", w[0], w[1]);
        }
    }

    #[test]
    fn cannot_skip_approval() {
        let e = check_transition(Proposed, InProgress, "").unwrap_err();
        assert_eq!(e.message(Lang::Zh), "不能从“谋划申报”直接变为“推进中”");
        assert_eq!(e.message(Lang::En), "Cannot move from \"Proposed\" to \"In progress\"");
        assert!(check_transition(Proposed, Approved, "").is_err());
        assert!(check_transition(RiskReviewed, InProgress, "").is_err());
    }

    #[test]
    fn terminal_states_have_no_exit_but_a_look_back_may_reopen() {
        for to in Status::ALL {
            assert_eq!(check_transition(Accepted, *to, "x").is_ok(), *to == InProgress);
            assert!(check_transition(Terminated, *to, "x").is_err());
        }
        // Reopening needs a reason (and, in `check_status_write`, a slipping look-back).
        assert_eq!(check_transition(Accepted, InProgress, " ").unwrap_err().key, K::ErrTransitionReason);
    }

    #[test]
    fn suspension_needs_a_reason() {
        let e = check_transition(InProgress, Suspended, "  ").unwrap_err();
        assert!(e.message(Lang::Zh).contains("暂缓"));
        assert!(check_transition(InProgress, Suspended, "上级政策调整").is_ok());
    }

    #[test]
    fn every_state_is_reachable_from_proposed() {
        let mut seen = vec![Proposed];
        let mut i = 0;
        while i < seen.len() {
            for n in seen[i].next() {
                if !seen.contains(n) {
                    seen.push(*n);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), Status::ALL.len());
    }
}
