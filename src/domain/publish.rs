//! Publishing a month (月度通报与排名发布): a recorded act that freezes the month's bulletin
//! figures, its ranking, the figures it was scored from and the plan version used, under a 文号.
//! After that every screen and print shows the frozen result; plan edits and corrected figures
//! change it only through `rescore`, an explicit act that keeps the old result beside the new.

use super::assessment::{self, plan_for_month};
use super::model::coll;
use super::monthly::{self, Month, MonthSummary};
use super::scoring::{MonthInputs, Plan, SubjectResult};
use super::tx::Tx;
use super::validate::DomainError;
use crate::i18n::K;
use crate::order::LeanSort;
use crate::sync::{RecordId, Registry};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// An earlier result replaced by a re-score, kept with who, when and why.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rescore {
    pub on: Option<NaiveDate>,
    pub by: String,
    pub reason: String,
    pub before: Vec<SubjectResult>,
    pub plan_before: Option<Plan>,
}

/// One published month of this office.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Publication {
    /// "YYYY-MM"
    pub month: String,
    /// The year of the 文号 (the year it was published) and its serial in that year.
    pub year: i32,
    pub serial: u32,
    pub number: String,
    pub published_on: Option<NaiveDate>,
    pub published_by: String,
    /// The bulletin's figures as they stood at the month's end.
    pub summary: MonthSummary,
    /// The plan ranked (record id), empty when the office had no plan for the year.
    pub plan: String,
    pub plan_version: Option<Plan>,
    pub inputs: MonthInputs,
    pub results: Vec<SubjectResult>,
    pub rescores: Vec<Rescore>,
}

/// Publications are records of the office that publishes them.
pub fn publication_id(office: &str, m: Month) -> String {
    format!("{office}/published/{}", m.code())
}

pub fn publication(reg: &Registry, m: Month) -> Option<Publication> {
    reg.get_live(&publication_id(reg.office(), m)).filter(|r| r.coll == coll::PUBLICATION).map(super::model::from_record)
}

/// This office's publications, newest month first.
pub fn publications(reg: &Registry) -> Vec<(RecordId, Publication)> {
    let mut v: Vec<(RecordId, Publication)> =
        super::ops::all::<Publication>(reg, coll::PUBLICATION).into_iter().filter(|(id, _)| super::ownership::owner(id) == reg.office()).collect();
    v.lean_sort_by(|a, b| b.1.month.cmp(&a.1.month));
    v
}

/// The plan an office ranks a year with: its own plan for that year (the first by name).
pub fn plan_of_year(reg: &Registry, year: i32) -> Option<(RecordId, Plan)> {
    assessment::plans(reg).into_iter().filter(|(id, p)| p.year == year && super::ownership::owner(id) == reg.office()).min_by(|a, b| a.1.name.cmp(&b.1.name))
}

/// The month a plan edit applies from unless the user chooses another: the first month not yet
/// published with this plan, and not before the running month of the plan's year.
pub fn default_edit_month(reg: &Registry, plan_id: &str, plan: &Plan, today: NaiveDate) -> u32 {
    let base = match plan.year.cmp(&today.year()) {
        std::cmp::Ordering::Equal => today.month(),
        std::cmp::Ordering::Less => 12,
        std::cmp::Ordering::Greater => 1,
    };
    let after_published = (1..=12u32).filter(|m| assessment::published_results(reg, plan_id, plan.year, *m).is_some()).max().map_or(1, |m| m + 1);
    base.max(after_published).min(12)
}

/// A month's bulletin as printed: the frozen publication once the month is published, else a
/// draft from the registry as it stands (judged on `today`).
#[derive(Clone, Debug, PartialEq)]
pub struct Bulletin {
    pub summary: MonthSummary,
    pub ranking: Option<Vec<SubjectResult>>,
    /// Empty and None for a draft.
    pub number: String,
    pub published_on: Option<NaiveDate>,
}

pub fn bulletin(reg: &Registry, m: Month, today: NaiveDate) -> Bulletin {
    if let Some(p) = publication(reg, m) {
        let ranking = (!p.plan.is_empty()).then_some(p.results);
        return Bulletin { summary: p.summary, ranking, number: p.number, published_on: p.published_on };
    }
    let summary = monthly::summary(reg, m, today, monthly::rules(reg).risk_days);
    let ranking = plan_of_year(reg, m.year).and_then(|(pid, plan)| assessment::month_results(reg, &pid, &plan, m.month).ok());
    Bulletin { summary, ranking, number: String::new(), published_on: None }
}

/// Publishes month `m`: its bulletin, and the ranking of `plan` (this office's plan for that
/// year) when given. The month must be over and not yet published; a ranking with a missing or
/// invalid figure is refused, naming it. Returns the 文号.
pub fn publish_month(tx: &mut Tx, m: Month, plan: Option<&str>) -> Result<String, DomainError> {
    let today = tx.today();
    if m >= Month::of(today) {
        return Err(DomainError::new(K::ErrMonthNotOver).arg(m.code()).at("month"));
    }
    if let Some(p) = publication(tx.reg(), m) {
        return Err(DomainError::new(K::ErrAlreadyPublished).arg(m.code()).arg(p.number).at("month"));
    }
    let rules = monthly::rules(tx.reg());
    let mut p = Publication {
        month: m.code(),
        year: today.year(),
        published_on: Some(today),
        published_by: tx.by().to_string(),
        summary: monthly::summary(tx.reg(), m, today, rules.risk_days),
        ..Default::default()
    };
    if let Some(pid) = plan {
        let current: Plan = super::model::live_in(tx.reg(), coll::PLAN, pid)?;
        if current.year != m.year || super::ownership::owner(pid) != tx.reg().office() {
            return Err(DomainError::new(K::ErrPlanNotForMonth).arg(&current.name).arg(m.code()).at("plan"));
        }
        let version = plan_for_month(tx.reg(), pid, m.month).unwrap_or(current);
        p.results = assessment::live_results(tx.reg(), pid, &version, m.month).map_err(|mut e| e.swap_remove(0))?;
        p.inputs = assessment::month_inputs(tx.reg(), pid, &version, m.month);
        p.plan = pid.to_string();
        p.plan_version = Some(version);
    }
    p.serial = publications(tx.reg()).iter().filter(|(_, x)| x.year == p.year).map(|(_, x)| x.serial).max().unwrap_or(0) + 1;
    p.number = monthly::format_serial(&rules.bulletin_pattern, p.year, p.serial);
    let id = publication_id(tx.reg().office(), m);
    tx.write(coll::PUBLICATION, &id, super::model::to_writes(None, &p))?;
    Ok(p.number)
}

/// A published month's frozen ranking beside what it would score now (plan version for the
/// month, figures as they stand). None when the month has no published ranking.
pub type Comparison = (Vec<SubjectResult>, Result<Vec<SubjectResult>, Vec<DomainError>>);

pub fn compare(reg: &Registry, m: Month) -> Option<Comparison> {
    let p = publication(reg, m).filter(|p| !p.plan.is_empty())?;
    let version = plan_for_month(reg, &p.plan, m.month)?;
    Some((p.results, assessment::live_results(reg, &p.plan, &version, m.month)))
}

/// Whether a re-score would change the published ranking.
pub fn differs(c: &Comparison) -> bool {
    c.1.as_ref().map_or(true, |now| strip_change(now) != strip_change(&c.0))
}

// The rank change against the month before is context, not the month's result.
fn strip_change(r: &[SubjectResult]) -> Vec<SubjectResult> {
    r.iter()
        .cloned()
        .map(|mut x| {
            x.change = None;
            x
        })
        .collect()
}

/// Re-scores a published month with the plan version for the month and the figures as they stand:
/// the published result is replaced, the old one kept with who, when and why. A reason is
/// required; a re-score that would change nothing records nothing (returns false).
pub fn rescore(tx: &mut Tx, m: Month, reason: &str) -> Result<bool, DomainError> {
    let Some(p) = publication(tx.reg(), m).filter(|p| !p.plan.is_empty()) else {
        return Err(DomainError::new(K::ErrNotPublished).arg(m.code()).at("month"));
    };
    if reason.trim().is_empty() {
        return Err(DomainError::new(K::ErrRequired).arg_key(K::FRescoreReason).at("reason"));
    }
    let version = plan_for_month(tx.reg(), &p.plan, m.month).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(&p.plan))?;
    let now = assessment::live_results(tx.reg(), &p.plan, &version, m.month).map_err(|mut e| e.swap_remove(0))?;
    if strip_change(&now) == strip_change(&p.results) && p.plan_version.as_ref() == Some(&version) {
        return Ok(false);
    }
    let mut next = p.clone();
    next.rescores.push(Rescore {
        on: Some(tx.today()),
        by: tx.by().to_string(),
        reason: reason.trim().to_string(),
        before: p.results.clone(),
        plan_before: p.plan_version.clone(),
    });
    next.results = now;
    next.inputs = assessment::month_inputs(tx.reg(), &p.plan, &version, m.month);
    next.plan_version = Some(version);
    let id = publication_id(tx.reg().office(), m);
    tx.write(coll::PUBLICATION, &id, super::model::to_writes(Some(&p), &next))
}

#[cfg(test)]
mod tests;
