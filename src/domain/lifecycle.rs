//! The life cycle of a reform item as a state machine with only the allowed transitions.
//!
//! 谋划申报 → 风险评估 → 深改委审定 → 推进中 → 完成销号 → 验收, with 待上级部署, 暂缓 and 终止
//! on the side. "Every reform item must be approved before it starts": nothing reaches 推进中
//! without passing 深改委审定.

use super::model::Status::{self, *};
use super::review;
use super::validate::DomainError;
use crate::i18n::K;
use crate::sync::Registry;

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
            Accepted => &[],
            // Once the upper level deploys, a waiting item still goes through review and approval.
            AwaitingDeployment => &[Proposed, Terminated],
            Suspended => &[InProgress, Terminated],
            Terminated => &[],
        }
    }

    /// Moves that must carry a written reason.
    pub fn needs_reason(self, to: Status) -> bool {
        matches!(to, Suspended | Terminated | AwaitingDeployment) || (self == RiskReviewed && to == Proposed) || (self == Completed && to == InProgress)
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
    fn terminal_states_have_no_exit() {
        for to in Status::ALL {
            assert!(check_transition(Accepted, *to, "x").is_err());
            assert!(check_transition(Terminated, *to, "x").is_err());
        }
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
