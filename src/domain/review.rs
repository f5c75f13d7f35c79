//! Reviews at three moments (黄龙's 风控 and 回头看, 开江's 专家+群众+成效 acceptance, 平原's 出圈
//! criteria, 淄博's twice-yearly experience promotion). All computed here, all stored as records.

use super::model::{coll, from_record, live_in, to_writes, ReformItem, Status};
use super::scoring::{fmt_points, round2, Cents};
use super::tx::Tx;
use super::validate::DomainError;
use crate::i18n::K;
use crate::order::LeanSort;
use crate::sync::{RecordId, Registry};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- risk review

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    #[default]
    Low,
    Medium,
    High,
}

impl Level {
    pub const ALL: &'static [Level] = &[Level::Low, Level::Medium, Level::High];
    pub fn label(self) -> K {
        match self {
            Level::Low => K::LvLow,
            Level::Medium => K::LvMedium,
            Level::High => K::LvHigh,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Finding {
    pub level: Level,
    /// Legality only: passed or failed.
    pub pass: bool,
    pub finding: String,
    pub reviewer: String,
    pub date: Option<NaiveDate>,
}

impl Finding {
    fn complete(&self) -> bool {
        !self.finding.trim().is_empty() && !self.reviewer.trim().is_empty() && self.date.is_some()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Decision {
    pub proceed: bool,
    pub reason: String,
    pub by: String,
    pub date: Option<NaiveDate>,
}

/// 风险评估: feasibility, legality, social-stability and public-opinion risk.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskReview {
    pub feasibility: Finding,
    pub legality: Finding,
    pub stability: Finding,
    pub opinion: Finding,
    /// Required when the overall risk is high.
    pub decision: Option<Decision>,
}

impl RiskReview {
    /// Overall level: the highest of the three risk findings (legality is pass/fail).
    pub fn overall(&self) -> Level {
        self.feasibility.level.max(self.stability.level).max(self.opinion.level)
    }
}

/// A complete review with every risk low and legality passed, by one reviewer on one day
/// (used for seeded data such as the demo registry).
pub fn low_risk_review(reviewer: &str, date: NaiveDate) -> RiskReview {
    let f = |pass: bool| Finding { level: Level::Low, pass, finding: "经评估风险可控".into(), reviewer: reviewer.into(), date: Some(date) };
    RiskReview { feasibility: f(true), legality: f(true), stability: f(true), opinion: f(true), decision: None }
}

pub fn risk_id(item: &str) -> String {
    format!("{item}/risk")
}

pub fn risk_review(reg: &Registry, item: &str) -> Option<RiskReview> {
    reg.get_live(&risk_id(item)).map(from_record)
}

pub fn save_risk_review(tx: &mut Tx, item: &str, r: &RiskReview) -> Result<(), DomainError> {
    live_in::<ReformItem>(tx.reg(), coll::ITEM, item)?;
    let today = tx.today();
    for (f, k, name) in [
        (&r.feasibility, K::RvFeasibility, "feasibility"),
        (&r.legality, K::RvLegality, "legality"),
        (&r.stability, K::RvStability, "stability"),
        (&r.opinion, K::RvOpinion, "opinion"),
    ] {
        if !f.complete() {
            return Err(DomainError::new(K::ErrReviewIncomplete).arg_key(k).at(name));
        }
        if f.date.is_some_and(|d| d > today) {
            return Err(DomainError::new(K::ErrFutureMonth).arg(f.date.map(|d| d.to_string()).unwrap_or_default()).at(name));
        }
    }
    if let Some(d) = &r.decision {
        if d.reason.trim().is_empty() {
            return Err(DomainError::new(K::ErrDecisionReason).at("decision"));
        }
    }
    let old = risk_review(tx.reg(), item);
    let mut writes = to_writes(old.as_ref(), r);
    if old.is_none() {
        writes.push(("item".into(), serde_json::Value::String(item.into())));
    }
    tx.write(coll::REVIEW, &risk_id(item), writes)?;
    Ok(())
}

// ---------------------------------------------------------------- acceptance

/// The office's acceptance rules (configurable; defaults below).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AcceptanceRules {
    /// Expert criteria and their maximum points (adding up to 100).
    pub criteria: Vec<(String, f64)>,
    pub weight_experts: f64,
    pub weight_public: f64,
    pub weight_outcomes: f64,
    /// Satisfaction = (satisfied + basic × basic_weight) / sample.
    pub basic_weight: f64,
    pub min_sample: u32,
    /// Per-indicator achievement cap (1.0: no credit beyond the target).
    pub outcome_cap: f64,
    pub excellent: f64,
    pub good: f64,
    pub pass: f64,
    /// Satisfaction below this vetoes acceptance whatever the total.
    pub veto_satisfaction: f64,
}

impl Default for AcceptanceRules {
    fn default() -> Self {
        AcceptanceRules {
            criteria: vec![("创新性".into(), 25.0), ("改革成效".into(), 35.0), ("可复制推广".into(), 20.0), ("群众受益".into(), 20.0)],
            weight_experts: 40.0,
            weight_public: 30.0,
            weight_outcomes: 30.0,
            basic_weight: 1.0,
            min_sample: 30,
            outcome_cap: 1.0,
            excellent: 90.0,
            good: 80.0,
            pass: 60.0,
            veto_satisfaction: 60.0,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExpertScore {
    pub name: String,
    pub scores: Vec<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Survey {
    pub satisfied: u32,
    pub basic: u32,
    pub dissatisfied: u32,
    /// Respondents as reported; must equal the three counts added up.
    pub respondents: u32,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    #[default]
    Fail,
    Pass,
    Good,
    Excellent,
}

impl Grade {
    pub fn label(self) -> K {
        match self {
            Grade::Excellent => K::GrExcellent,
            Grade::Good => K::GrGood,
            Grade::Pass => K::GrPass,
            Grade::Fail => K::GrFail,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AcceptanceResult {
    /// Expert totals after trimming (names kept), and the trimmed mean.
    pub expert_totals: Vec<(String, Cents)>,
    pub trimmed: Vec<String>,
    pub experts: Cents,
    pub satisfaction: Cents,
    /// Per indicator: name, achievement in percent.
    pub outcome_lines: Vec<(String, Cents)>,
    pub outcomes: Cents,
    pub composite: Cents,
    pub grade: Grade,
    /// Why acceptance failed whatever the total (catalogue keys with argument).
    pub vetoes: Vec<(String, String)>,
    pub passed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Acceptance {
    pub experts: Vec<ExpertScore>,
    pub survey: Survey,
    /// Indicators that must be met (veto).
    pub required: Vec<String>,
    pub date: Option<NaiveDate>,
    pub result: AcceptanceResult,
    /// The rules it was worked out with (the office's rules for the item's year at the time):
    /// the report prints these, and a later change of the rules leaves this result as it is.
    pub rules: Option<AcceptanceRules>,
}

fn err(k: K) -> DomainError {
    DomainError::new(k)
}

/// Mean of expert totals; with five or more, drop one highest and one lowest first.
/// Returns (mean, names dropped).
pub fn trimmed_mean(totals: &[(String, f64)]) -> (f64, Vec<String>) {
    let mut v: Vec<&(String, f64)> = totals.iter().collect();
    v.lean_sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.0.cmp(&b.0)));
    let (kept, dropped) = if v.len() >= 5 { (&v[1..v.len() - 1], vec![v[0].0.clone(), v[v.len() - 1].0.clone()]) } else { (&v[..], vec![]) };
    (kept.iter().map(|x| x.1).sum::<f64>() / kept.len().max(1) as f64, dropped)
}

/// An expert's score on one criterion lies between 0 and the criterion's maximum. The one range
/// check of the acceptance form (`AcceptanceDraft::parse`) and of `evaluate`.
pub fn check_score(expert: &str, criterion: &str, max: f64, score: f64) -> Result<(), DomainError> {
    if !score.is_finite() || score < 0.0 || score > max {
        return Err(err(K::ErrScoreRange).arg(expert).arg(criterion).arg(fmt_points(round2(max))).at("experts"));
    }
    Ok(())
}

/// The acceptance form as typed: each expert's name and one score box per criterion, the survey
/// counts, and the indicators that must be met.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AcceptanceDraft {
    pub experts: Vec<(String, Vec<String>)>,
    pub satisfied: String,
    pub basic: String,
    pub dissatisfied: String,
    pub respondents: String,
    pub required: Vec<String>,
}

/// A survey count: a whole number, not negative.
fn parse_count(s: &str, label: K, field: &'static str) -> Result<u32, DomainError> {
    match super::validate::parse_number(s, K::AcSurvey, field)? {
        None => Err(err(K::ErrNotANumber).arg_key(K::AcSurvey).at(field)),
        Some(v) if v < 0.0 || v.fract() != 0.0 || v > u32::MAX as f64 => Err(err(K::ErrNegative).arg_key(K::AcSurvey).arg_key(label).at(field)),
        Some(v) => Ok(v as u32),
    }
}

impl AcceptanceDraft {
    /// An empty form: three expert rows with a box per criterion.
    pub fn blank(criteria: usize) -> Self {
        AcceptanceDraft { experts: vec![(String::new(), vec![String::new(); criteria]); 3], ..Default::default() }
    }

    /// The form filled with a saved acceptance, for correcting it.
    pub fn from_saved(a: &Acceptance) -> Self {
        let n = |v: u32| v.to_string();
        AcceptanceDraft {
            experts: a.experts.iter().map(|e| (e.name.clone(), e.scores.iter().map(|s| s.to_string()).collect())).collect(),
            satisfied: n(a.survey.satisfied),
            basic: n(a.survey.basic),
            dissatisfied: n(a.survey.dissatisfied),
            respondents: n(a.survey.respondents),
            required: a.required.clone(),
        }
    }

    /// Reads the typed text into scores and counts. A score box that is empty, not a number or
    /// out of its criterion's range is refused naming the expert and the criterion; a survey count
    /// that is not a whole non-negative number is refused naming its box. (Everything else is
    /// `evaluate`'s to judge.)
    pub fn parse(&self, rules: &AcceptanceRules) -> Result<(Vec<ExpertScore>, Survey, Vec<String>), DomainError> {
        let mut experts = vec![];
        for (name, scores) in &self.experts {
            let name = name.trim();
            let mut v = vec![];
            for (s, (c, max)) in scores.iter().zip(&rules.criteria) {
                match super::validate::parse_number(s, K::FMaxPoints, "experts") {
                    Ok(Some(x)) => {
                        check_score(name, c, *max, x)?;
                        v.push(x);
                    }
                    _ => return Err(err(K::ErrScoreRange).arg(name).arg(c).arg(fmt_points(round2(*max))).at("experts")),
                }
            }
            experts.push(ExpertScore { name: name.into(), scores: v });
        }
        let survey = Survey {
            satisfied: parse_count(&self.satisfied, K::AcSatisfied, "satisfied")?,
            basic: parse_count(&self.basic, K::AcBasic, "basic")?,
            dissatisfied: parse_count(&self.dissatisfied, K::AcDissatisfied, "dissatisfied")?,
            respondents: parse_count(&self.respondents, K::AcRespondents, "respondents")?,
        };
        Ok((experts, survey, self.required.clone()))
    }
}

/// Computes the acceptance result. Bad input is refused before anything is computed.
pub fn evaluate(
    rules: &AcceptanceRules,
    item: &ReformItem,
    experts: &[ExpertScore],
    survey: &Survey,
    required: &[String],
) -> Result<AcceptanceResult, DomainError> {
    let wsum = rules.weight_experts + rules.weight_public + rules.weight_outcomes;
    if round2(wsum) != 10_000 {
        return Err(err(K::ErrAcceptWeights).arg(fmt_points(round2(wsum))));
    }
    if experts.len() < 3 {
        return Err(err(K::ErrFewExperts).at("experts"));
    }
    let mut names = std::collections::BTreeSet::new();
    let mut totals = vec![];
    for e in experts {
        if e.name.trim().is_empty() || !names.insert(e.name.trim().to_string()) {
            return Err(err(K::ErrDuplicateExpert).arg(&e.name).at("experts"));
        }
        if e.scores.len() != rules.criteria.len() {
            return Err(err(K::ErrMissingFigure).arg(&e.name).arg("").at("experts"));
        }
        for (s, (c, max)) in e.scores.iter().zip(&rules.criteria) {
            check_score(&e.name, c, *max, *s)?;
        }
        totals.push((e.name.trim().to_string(), e.scores.iter().sum::<f64>()));
    }
    let sample = survey.satisfied + survey.basic + survey.dissatisfied;
    if sample != survey.respondents {
        return Err(err(K::ErrSurveySum).arg(survey.respondents).arg(sample).at("survey"));
    }
    if sample < rules.min_sample {
        return Err(err(K::ErrSampleSmall).arg(rules.min_sample).at("survey"));
    }
    let satisfaction = (survey.satisfied as f64 + survey.basic as f64 * rules.basic_weight) / sample as f64 * 100.0;
    if item.indicators.is_empty() {
        return Err(err(K::ErrNoOutcomes).at("outcomes"));
    }
    let mut outcome_lines = vec![];
    for i in &item.indicators {
        if !(i.target.is_finite() && i.target > 0.0) {
            return Err(err(K::ErrIndicatorTarget).arg(&i.name).at("outcomes"));
        }
        let a = i.actual.ok_or_else(|| err(K::ErrMissingOutcome).arg(&i.name).at("outcomes"))?;
        outcome_lines.push((i.name.clone(), round2((a / i.target).min(rules.outcome_cap) * 100.0)));
    }
    let outcomes = outcome_lines.iter().map(|x| x.1).sum::<Cents>() as f64 / outcome_lines.len() as f64 / 100.0;
    let (mean, trimmed) = trimmed_mean(&totals);
    let composite = round2((mean * rules.weight_experts + satisfaction * rules.weight_public + outcomes * rules.weight_outcomes) / 100.0);
    let grade = if composite >= round2(rules.excellent) {
        Grade::Excellent
    } else if composite >= round2(rules.good) {
        Grade::Good
    } else if composite >= round2(rules.pass) {
        Grade::Pass
    } else {
        Grade::Fail
    };
    let mut vetoes = vec![];
    if round2(satisfaction) < round2(rules.veto_satisfaction) {
        vetoes.push(("satisfaction".to_string(), fmt_points(round2(satisfaction))));
    }
    for name in required {
        let met = item.indicators.iter().find(|i| &i.name == name).and_then(|i| i.actual.map(|a| a >= i.target));
        if met != Some(true) {
            vetoes.push(("required".to_string(), name.clone()));
        }
    }
    let passed = grade >= Grade::Pass && vetoes.is_empty();
    Ok(AcceptanceResult {
        expert_totals: totals.iter().map(|(n, t)| (n.clone(), round2(*t))).collect(),
        trimmed,
        experts: round2(mean),
        satisfaction: round2(satisfaction),
        outcome_lines,
        outcomes: round2(outcomes),
        composite,
        grade: if vetoes.is_empty() { grade } else { Grade::Fail },
        vetoes,
        passed,
    })
}

pub fn acceptance_id(item: &str) -> String {
    format!("{item}/acceptance")
}

pub fn acceptance(reg: &Registry, item: &str) -> Option<Acceptance> {
    reg.get_live(&acceptance_id(item)).map(from_record)
}

/// The acceptance rules for an item: the office's rules for the item's year.
pub fn acceptance_rules(reg: &Registry, item: &ReformItem) -> AcceptanceRules {
    super::rules::for_year(reg, item.year).acceptance
}

/// The rules a recorded acceptance was worked out with (older records: today's rules).
pub fn rules_used(reg: &Registry, item: &ReformItem, a: &Acceptance) -> AcceptanceRules {
    a.rules.clone().unwrap_or_else(|| acceptance_rules(reg, item))
}

/// Records an acceptance review with its full breakdown. Only completed items are accepted.
/// (Moving the item to 已验收 with it is `ops::accept`.)
pub fn save_acceptance(tx: &mut Tx, item_id: &str, experts: &[ExpertScore], survey: &Survey, required: &[String]) -> Result<AcceptanceResult, DomainError> {
    let item: ReformItem = live_in(tx.reg(), coll::ITEM, item_id)?;
    if item.status != Status::Completed {
        return Err(err(K::ErrNotCompleted));
    }
    let rules = acceptance_rules(tx.reg(), &item);
    let result = evaluate(&rules, &item, experts, survey, required)?;
    let a = Acceptance {
        experts: experts.to_vec(),
        survey: survey.clone(),
        required: required.to_vec(),
        date: Some(tx.today()),
        result: result.clone(),
        rules: Some(rules),
    };
    let old = acceptance(tx.reg(), item_id);
    let mut writes = to_writes(old.as_ref(), &a);
    if old.is_none() {
        writes.push(("item".into(), serde_json::Value::String(item_id.into())));
    }
    tx.write(coll::REVIEW, &acceptance_id(item_id), writes)?;
    Ok(result)
}

// ---------------------------------------------------------------- look-back

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding3 {
    #[default]
    Sustained,
    Weakened,
    Lapsed,
}

impl Finding3 {
    pub const ALL: &'static [Finding3] = &[Finding3::Sustained, Finding3::Weakened, Finding3::Lapsed];
    pub fn label(self) -> K {
        match self {
            Finding3::Sustained => K::LbSustained,
            Finding3::Weakened => K::LbWeakened,
            Finding3::Lapsed => K::LbLapsed,
        }
    }
}

/// 回头看: a dated re-evaluation of an accepted item with its current outcome figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LookBack {
    pub item: String,
    pub date: Option<NaiveDate>,
    /// (indicator name, current figure)
    pub figures: Vec<(String, f64)>,
    pub finding: Finding3,
    pub note: String,
    /// What was done about a slipping result: the notice issued (its record id), or `reopened`.
    pub follow_up: String,
}

pub const REOPENED: &str = "reopened";

pub fn save_lookback(tx: &mut Tx, lb: &LookBack) -> Result<RecordId, DomainError> {
    let item: ReformItem = live_in(tx.reg(), coll::ITEM, &lb.item)?;
    // A look-back reviews an item: like its other reviews, only the item's office records it.
    super::ownership::check(tx.reg(), &lb.item)?;
    if item.status != Status::Accepted {
        return Err(err(K::ErrNotAccepted));
    }
    match lb.date {
        None => return Err(err(K::ErrRequired).arg_key(K::FVisitDate).at("date")),
        Some(d) if d > tx.today() => return Err(err(K::ErrFutureMonth).arg(d.to_string()).at("date")),
        _ => {}
    }
    if lb.figures.iter().any(|(_, v)| !v.is_finite() || *v < 0.0) {
        return Err(err(K::ErrIndicatorActual).arg("").at("figures"));
    }
    let id = tx.new_id();
    tx.write(coll::LOOKBACK, &id, to_writes(None, lb))?;
    Ok(id)
}

/// True when a look-back found results slipping: a finding other than sustained, or a current
/// figure below what was achieved at acceptance.
pub fn slipped(item: &ReformItem, lb: &LookBack) -> bool {
    lb.finding != Finding3::Sustained || lb.figures.iter().any(|(n, v)| item.indicators.iter().any(|i| &i.name == n && i.actual.is_some_and(|a| *v < a)))
}

/// A look-back the year's rules schedule and none has been recorded since acceptance:
/// (item id, title, due date), soonest first. Listed from a month before it is due.
pub fn lookbacks_due(reg: &Registry, today: NaiveDate) -> Vec<(RecordId, String, NaiveDate)> {
    let done: std::collections::BTreeMap<String, NaiveDate> =
        reg.live(coll::LOOKBACK).map(from_record::<LookBack>).filter_map(|l| l.date.map(|d| (l.item, d))).fold(Default::default(), |mut m, (i, d)| {
            let e = m.entry(i).or_insert(d);
            *e = (*e).max(d);
            m
        });
    let mut v = vec![];
    for (id, item) in super::ops::all_shared::<ReformItem>(reg, coll::ITEM).iter().filter(|(id, _)| super::ownership::owner(id) == reg.office()) {
        if item.status != Status::Accepted {
            continue;
        }
        let months = super::rules::for_year(reg, item.year).lookback_months;
        let Some(accepted) = acceptance(reg, id).and_then(|a| a.date) else { continue };
        if months == 0 || done.get(id).is_some_and(|d| *d >= accepted) {
            continue;
        }
        let due = accepted.checked_add_months(chrono::Months::new(months)).unwrap_or(accepted);
        if due <= today + chrono::Days::new(31) {
            v.push((id.clone(), item.title.clone(), due));
        }
    }
    v.lean_sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.1.cmp(&b.1)));
    v
}

/// Look-backs that found results slipping and have no follow-up yet: (look-back id, it, title).
pub fn followups_pending(reg: &Registry) -> Vec<(RecordId, LookBack, String)> {
    let mut v: Vec<(RecordId, LookBack, String)> = reg
        .live(coll::LOOKBACK)
        .filter(|r| super::ownership::owner(&r.id) == reg.office())
        .filter_map(|r| {
            let lb: LookBack = from_record(r);
            let item: ReformItem = reg.get_live(&lb.item).map(from_record)?;
            (lb.follow_up.is_empty() && slipped(&item, &lb)).then(|| (r.id.clone(), lb, item.title))
        })
        .collect();
    v.lean_sort_by_key(|a| a.1.date);
    v
}

/// True when the item has a look-back that found its results slipping (what reopening needs).
pub fn has_slipped_lookback(reg: &Registry, item: &str) -> bool {
    let Some(i) = reg.get_live(item).map(from_record::<ReformItem>) else { return false };
    reg.live(coll::LOOKBACK).map(from_record::<LookBack>).any(|l| l.item == item && slipped(&i, &l))
}

/// Follows up a slipping look-back with a notice to the item's lead unit (issued like any other,
/// with its 文号); the look-back records which notice.
pub fn follow_up_with_notice(
    tx: &mut Tx,
    lookback: &str,
    kind: super::monthly::NoticeKind,
    requirement: &str,
    reply_by: Option<NaiveDate>,
) -> Result<RecordId, DomainError> {
    let lb: LookBack = live_in(tx.reg(), coll::LOOKBACK, lookback)?;
    let item: ReformItem = live_in(tx.reg(), coll::ITEM, &lb.item)?;
    if !lb.follow_up.is_empty() || !slipped(&item, &lb) {
        return Err(err(K::ErrNoFollowUpNeeded));
    }
    let d = super::monthly::NoticeDraft {
        kind: Some(kind),
        unit: item.lead_unit.clone(),
        items: vec![lb.item.clone()],
        requirement: requirement.into(),
        reply_by,
        source_doc: String::new(),
    };
    let id = super::monthly::issue(tx, &d)?;
    tx.set(coll::LOOKBACK, lookback, "follow_up", serde_json::Value::String(id.clone()))?;
    Ok(id)
}

/// Follows up a slipping look-back by reopening the item (已验收 → 推进中, with the reason).
pub fn reopen_after_lookback(tx: &mut Tx, lookback: &str, reason: &str) -> Result<(), DomainError> {
    let lb: LookBack = live_in(tx.reg(), coll::LOOKBACK, lookback)?;
    if !lb.follow_up.is_empty() {
        return Err(err(K::ErrNoFollowUpNeeded));
    }
    super::ops::transition(tx, &lb.item, Status::InProgress, reason)?;
    tx.set(coll::LOOKBACK, lookback, "follow_up", serde_json::Value::String(REOPENED.into()))?;
    Ok(())
}

// ---------------------------------------------------------------- highlights and promotion

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HighlightScore {
    pub item: String,
    pub reviewer: String,
    /// 0–10 per standard, in the order of `criteria`.
    pub scores: Vec<f64>,
    /// The standards and weights the sheet was scored against (the item year's rules then).
    pub criteria: Vec<super::rules::Criterion>,
}

impl HighlightScore {
    /// The sheet's total out of 100: each 0–10 score times its standard's weight, over 10.
    /// Sheets kept before standards had weights count them equally.
    pub fn total(&self) -> f64 {
        if self.criteria.len() == self.scores.len() && !self.criteria.is_empty() {
            self.scores.iter().zip(&self.criteria).map(|(s, c)| s * c.weight / 10.0).sum()
        } else {
            self.scores.iter().sum::<f64>() * 10.0 / self.scores.len().max(1) as f64
        }
    }
}

/// The 出圈 standards an item is scored against: its year's rules.
pub fn highlight_criteria(reg: &Registry, item: &str) -> Vec<super::rules::Criterion> {
    let year = reg.get_live(item).map(|r| from_record::<ReformItem>(r).year).unwrap_or(2000);
    super::rules::for_year(reg, year).highlight
}

pub fn save_highlight_score(tx: &mut Tx, s: &HighlightScore) -> Result<(), DomainError> {
    live_in::<ReformItem>(tx.reg(), coll::ITEM, &s.item)?;
    let criteria = highlight_criteria(tx.reg(), &s.item);
    let mut s = s.clone();
    s.criteria = criteria.clone();
    if s.reviewer.trim().is_empty() {
        return Err(err(K::ErrRequired).arg_key(K::RvReviewer).at("reviewer"));
    }
    // The reviewer's name is part of the sheet's id, which files limit in length.
    if s.reviewer.trim().chars().count() > 40 {
        return Err(err(K::ErrTooLong).arg_key(K::RvReviewer).arg(40).at("reviewer"));
    }
    if s.scores.len() != criteria.len() || s.scores.iter().any(|x| !x.is_finite() || *x < 0.0 || *x > 10.0) {
        return Err(err(K::ErrScoreRange).arg(&s.reviewer).arg("").arg("10").at("scores"));
    }
    // One score sheet per reviewer and item: the id makes a second one a correction.
    let id = format!("{}/highlight/{}", s.item, s.reviewer.trim());
    let old: Option<HighlightScore> = tx.reg().get_live(&id).map(from_record);
    tx.write(coll::REVIEW, &id, to_writes(old.as_ref(), &s))?;
    Ok(())
}

/// Candidates ranked by the average of reviewers' totals: (item id, title, average, reviewers).
pub fn highlight_ranking(reg: &Registry) -> Vec<(RecordId, String, Cents, usize)> {
    let mut by_item: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for r in reg.live(coll::REVIEW).filter(|r| r.id.contains("/highlight/")) {
        let s: HighlightScore = from_record(r);
        by_item.entry(s.item.clone()).or_default().push(s.total());
    }
    let mut v: Vec<(RecordId, String, Cents, usize)> = by_item
        .into_iter()
        .filter_map(|(id, totals)| {
            let title = reg.get_live(&id).map(|r| from_record::<ReformItem>(r).title)?;
            Some((id, title, round2(totals.iter().sum::<f64>() / totals.len() as f64), totals.len()))
        })
        .collect();
    v.lean_sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    v
}

/// A promotion batch (淄博: every half-year, 10 experiences).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PromotionBatch {
    pub name: String,
    pub items: Vec<String>,
    pub date: Option<NaiveDate>,
}

/// How a batch is picked: the office ticks items, or takes every item at or above a score, or
/// the best N. Returns the ids proposed, best first (a person still confirms the batch).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pick {
    AtLeast(f64),
    Top(usize),
}

pub fn propose_batch(reg: &Registry, pick: Pick) -> Vec<RecordId> {
    let r = highlight_ranking(reg);
    match pick {
        Pick::AtLeast(min) => r.into_iter().filter(|x| x.2 >= round2(min)).map(|x| x.0).collect(),
        Pick::Top(n) => r.into_iter().take(n).map(|x| x.0).collect(),
    }
}

/// Records a promotion batch. The year's rules bound it: at most `promote_max` items, each with
/// an average score at or above `promote_min` (so a 58-point item is not promoted by being in the
/// top 10), each scored and listed once.
pub fn save_batch(tx: &mut Tx, b: &PromotionBatch) -> Result<RecordId, DomainError> {
    if b.name.trim().is_empty() {
        return Err(err(K::ErrRequired).arg_key(K::PrBatchName).at("name"));
    }
    let rules = super::rules::for_year(tx.reg(), b.date.unwrap_or(tx.today()).year());
    if b.items.is_empty() || b.items.len() > rules.promote_max {
        return Err(err(K::ErrBatchSize).arg(rules.promote_max).at("items"));
    }
    let ranking = highlight_ranking(tx.reg());
    let mut seen = std::collections::BTreeSet::new();
    for id in &b.items {
        let item: ReformItem = live_in(tx.reg(), coll::ITEM, id)?;
        if !seen.insert(id) {
            return Err(err(K::ErrDuplicateName).arg(&item.title).at("items"));
        }
        match ranking.iter().find(|x| &x.0 == id) {
            None => return Err(err(K::ErrPromoteUnscored).arg(&item.title).at("items")),
            Some(x) if x.2 < round2(rules.promote_min) => {
                return Err(err(K::ErrPromoteBelow).arg(&item.title).arg(fmt_points(x.2)).arg(fmt_points(round2(rules.promote_min))).at("items"))
            }
            Some(_) => {}
        }
    }
    let id = tx.new_id();
    tx.write(coll::PROMOTION, &id, to_writes(None, b))?;
    Ok(id)
}

/// 试点线索: a pilot lead handed out (often quarterly) and tracked until won.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PilotLead {
    pub title: String,
    pub level: Option<super::model::PilotLevel>,
    /// e.g. 2022年第三季度
    pub quarter: String,
    pub unit: String,
    pub won: bool,
    /// The pilot item created when the lead was won (record id).
    pub item: String,
}

pub fn save_lead(tx: &mut Tx, id: Option<&str>, l: &PilotLead) -> Result<RecordId, DomainError> {
    if l.title.trim().is_empty() {
        return Err(err(K::ErrRequired).arg_key(K::FTitle).at("title"));
    }
    if l.level.is_none() {
        return Err(err(K::ErrRequired).arg_key(K::FPilotLevel).at("level"));
    }
    let old: Option<PilotLead> = id.map(|i| live_in(tx.reg(), coll::PILOT_LEAD, i)).transpose()?;
    let mut l = l.clone();
    l.item = old.as_ref().map(|o| o.item.clone()).unwrap_or_default();
    // Won: the pilot becomes an item of the registry (改革试点, its level and unit), linked both
    // ways, in the same action; it then goes through review and approval like any other.
    if l.won && l.item.is_empty() {
        let item = ReformItem {
            title: l.title.trim().into(),
            kind: super::model::ItemKind::Pilot,
            pilot_level: l.level,
            year: tx.today().year(),
            lead_unit: l.unit.trim().into(),
            tags: vec!["试点线索".into()],
            ..Default::default()
        };
        l.item = super::ops::save_item(tx, None, &item)?;
    }
    tx.save(coll::PILOT_LEAD, id, &l)
}

#[cfg(test)]
mod tests;
