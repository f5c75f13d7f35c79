//! The rules an office sets for itself, by year: how it accepts a reform (开江's 专家 40 / 群众 30 /
//! 成效 30, veto line, grades), which 出圈 standards it scores highlights against (平原 has 8 of its
//! own) and with what weights, the score an experience needs to be promoted, and when a look-back
//! is due after acceptance. They travel with the office's record like the assessment plan.
//!
//! A result keeps the rules it was worked out with (an acceptance stores them, a score sheet its
//! criteria and weights), so changing a rule never changes a result already recorded or published.

use super::model::coll;
use super::review::AcceptanceRules;
use super::scoring::{fmt_points, round2};
use super::tx::Tx;
use super::validate::DomainError;
use crate::i18n::K;
use crate::sync::Registry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One 出圈 standard and its weight (percent of the 100-point total).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Criterion {
    pub name: String,
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct YearRules {
    pub acceptance: AcceptanceRules,
    /// 出圈 standards; each is scored 0–10 by a reviewer and weighted into a total out of 100.
    pub highlight: Vec<Criterion>,
    /// An experience is promoted only with an average total at or above this (out of 100).
    pub promote_min: f64,
    /// At most this many experiences per promotion batch (淄博: 10 every half-year).
    pub promote_max: usize,
    /// A look-back is due this many months after acceptance (0: none scheduled).
    pub lookback_months: u32,
}

/// 平原's 8 “出圈” standards as the article lists them, equally weighted: where an office starts.
pub fn default_highlight() -> Vec<Criterion> {
    ["创新性", "群众参与度", "改革成效", "重要性", "节约成本", "可复制推广", "示范带动", "社会影响"]
        .iter()
        .map(|s| Criterion { name: s.to_string(), weight: 12.5 })
        .collect()
}

impl Default for YearRules {
    fn default() -> Self {
        YearRules { acceptance: AcceptanceRules::default(), highlight: default_highlight(), promote_min: 60.0, promote_max: 10, lookback_months: 12 }
    }
}

fn err(k: K, field: &'static str) -> DomainError {
    DomainError::new(k).at(field)
}

fn names_ok(names: &[&str], field: &'static str) -> Result<(), DomainError> {
    let mut seen = std::collections::BTreeSet::new();
    for n in names {
        if n.trim().is_empty() {
            return Err(err(K::ErrRuleCriterionName, field));
        }
        if !seen.insert(n.trim()) {
            return Err(DomainError::new(K::ErrDuplicateName).arg(n.trim()).at(field));
        }
    }
    Ok(())
}

/// Everything a year's rules must satisfy before they are kept.
pub fn validate(r: &YearRules) -> Result<(), DomainError> {
    let a = &r.acceptance;
    if a.criteria.is_empty() || a.criteria.len() > 20 {
        return Err(err(K::ErrRuleCriteriaCount, "acceptance_criteria"));
    }
    names_ok(&a.criteria.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), "acceptance_criteria")?;
    if a.criteria.iter().any(|c| !c.1.is_finite() || c.1 <= 0.0) {
        return Err(err(K::ErrRulePoints, "acceptance_criteria"));
    }
    let total = round2(a.criteria.iter().map(|c| c.1).sum());
    if total != 10_000 {
        return Err(DomainError::new(K::ErrRuleSum100).arg_key(K::RuAcceptCriteria).arg(fmt_points(total)).at("acceptance_criteria"));
    }
    let pct = |v: f64| v.is_finite() && (0.0..=100.0).contains(&v);
    if ![a.weight_experts, a.weight_public, a.weight_outcomes].iter().all(|w| pct(*w)) {
        return Err(err(K::ErrWeight, "acceptance_weights"));
    }
    let w = round2(a.weight_experts + a.weight_public + a.weight_outcomes);
    if w != 10_000 {
        return Err(DomainError::new(K::ErrAcceptWeights).arg(fmt_points(w)).at("acceptance_weights"));
    }
    if !(pct(a.pass) && pct(a.good) && pct(a.excellent) && a.pass > 0.0 && a.pass < a.good && a.good < a.excellent) {
        return Err(err(K::ErrRuleBands, "acceptance_bands"));
    }
    if !pct(a.veto_satisfaction) {
        return Err(err(K::ErrRuleVeto, "veto"));
    }
    if !((1..=100_000).contains(&a.min_sample) && (0.0..=1.0).contains(&a.basic_weight) && (1.0..=2.0).contains(&a.outcome_cap)) {
        return Err(err(K::ErrRuleSample, "sample"));
    }
    if r.highlight.is_empty() || r.highlight.len() > 20 {
        return Err(err(K::ErrRuleCriteriaCount, "highlight"));
    }
    names_ok(&r.highlight.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), "highlight")?;
    if r.highlight.iter().any(|c| !c.weight.is_finite() || c.weight <= 0.0) {
        return Err(err(K::ErrRulePoints, "highlight"));
    }
    let hw = round2(r.highlight.iter().map(|c| c.weight).sum());
    if hw != 10_000 {
        return Err(DomainError::new(K::ErrRuleSum100).arg_key(K::RuHighlight).arg(fmt_points(hw)).at("highlight"));
    }
    if !pct(r.promote_min) || !(1..=100).contains(&r.promote_max) {
        return Err(err(K::ErrRulePromote, "promote"));
    }
    if r.lookback_months > 60 {
        return Err(err(K::ErrRuleLookback, "lookback_months"));
    }
    Ok(())
}

/// Every year the office has set rules for.
pub fn all_years(reg: &Registry) -> BTreeMap<i32, YearRules> {
    reg.get_live(reg.office())
        .and_then(|r| r.value("year_rules"))
        .and_then(|v| serde_json::from_value::<BTreeMap<String, YearRules>>(v.clone()).ok())
        .map(|m| m.into_iter().filter_map(|(y, r)| y.parse().ok().map(|y| (y, r))).collect())
        .unwrap_or_default()
}

/// The rules for a year: that year's, else the latest earlier year's, else the earliest later
/// year's; an office that set none (or only the older single acceptance rule) gets the defaults.
pub fn for_year(reg: &Registry, year: i32) -> YearRules {
    let all = all_years(reg);
    if let Some(r) = all.range(..=year).next_back().or_else(|| all.iter().next()).map(|(_, r)| r.clone()) {
        return r;
    }
    let mut r = YearRules::default();
    if let Some(a) = reg.get_live(reg.office()).and_then(|r| r.value("acceptance_rules")).and_then(|v| serde_json::from_value(v.clone()).ok()) {
        r.acceptance = a;
    }
    r
}

/// Keeps a year's rules (on the office's own record). Saving what is already there records nothing.
pub fn save(tx: &mut Tx, year: i32, rules: &YearRules) -> Result<(), DomainError> {
    if !(2000..=2100).contains(&year) {
        return Err(DomainError::new(K::ErrBadYear).at("year"));
    }
    let mut rules = rules.clone();
    for c in rules.acceptance.criteria.iter_mut() {
        c.0 = c.0.trim().to_string();
    }
    for c in rules.highlight.iter_mut() {
        c.name = c.name.trim().to_string();
    }
    validate(&rules)?;
    let mut all: BTreeMap<String, YearRules> = all_years(tx.reg()).into_iter().map(|(y, r)| (y.to_string(), r)).collect();
    all.insert(year.to_string(), rules);
    let me = tx.reg().office().to_string();
    tx.set(coll::OFFICE, &me, "year_rules", serde_json::to_value(all).expect("rules"))?;
    Ok(())
}

/// The rules form as typed: one line per criterion ("创新性 25"), and the figures as text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RulesDraft {
    pub acceptance_criteria: String,
    pub weight_experts: String,
    pub weight_public: String,
    pub weight_outcomes: String,
    pub excellent: String,
    pub good: String,
    pub pass: String,
    pub veto: String,
    pub min_sample: String,
    pub highlight: String,
    pub promote_min: String,
    pub promote_max: String,
    pub lookback_months: String,
}

fn lines(v: &[(String, f64)]) -> String {
    v.iter().map(|(n, p)| format!("{n} {}", super::scoring::figure_text(*p))).collect::<Vec<_>>().join("\n")
}

/// "创新性 25" / "创新性：25" / "创新性,25" → (name, 25). A line without a number is refused.
fn parse_lines(s: &str, field: &'static str) -> Result<Vec<(String, f64)>, DomainError> {
    let mut out = vec![];
    for line in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let cut = line
            .rfind(|c: char| c.is_whitespace() || matches!(c, ':' | '：' | ',' | '，' | '\t'))
            .ok_or_else(|| DomainError::new(K::ErrRuleLine).arg(line).at(field))?;
        let (name, num) =
            (line[..cut].trim().trim_end_matches([':', '：', ',', '，']).trim(), line[cut..].trim_start_matches([':', '：', ',', '，', ' ', '\t']).trim());
        let v: f64 = num.trim_end_matches(['%', '分']).parse().map_err(|_| DomainError::new(K::ErrRuleLine).arg(line).at(field))?;
        out.push((name.to_string(), v));
    }
    Ok(out)
}

fn num(s: &str, k: K, field: &'static str) -> Result<f64, DomainError> {
    super::validate::parse_number(s, k, field)?.ok_or_else(|| DomainError::new(K::ErrNotANumber).arg_key(k).at(field))
}

impl RulesDraft {
    pub fn from_rules(r: &YearRules) -> Self {
        let f = super::scoring::figure_text;
        let a = &r.acceptance;
        RulesDraft {
            acceptance_criteria: lines(&a.criteria),
            weight_experts: f(a.weight_experts),
            weight_public: f(a.weight_public),
            weight_outcomes: f(a.weight_outcomes),
            excellent: f(a.excellent),
            good: f(a.good),
            pass: f(a.pass),
            veto: f(a.veto_satisfaction),
            min_sample: a.min_sample.to_string(),
            highlight: lines(&r.highlight.iter().map(|c| (c.name.clone(), c.weight)).collect::<Vec<_>>()),
            promote_min: f(r.promote_min),
            promote_max: r.promote_max.to_string(),
            lookback_months: r.lookback_months.to_string(),
        }
    }

    /// The typed form as rules (on top of `base` for what the form does not show), checked.
    pub fn to_rules(&self, base: &YearRules) -> Result<YearRules, DomainError> {
        let mut r = base.clone();
        r.acceptance.criteria = parse_lines(&self.acceptance_criteria, "acceptance_criteria")?;
        r.acceptance.weight_experts = num(&self.weight_experts, K::RuWeightExperts, "acceptance_weights")?;
        r.acceptance.weight_public = num(&self.weight_public, K::RuWeightPublic, "acceptance_weights")?;
        r.acceptance.weight_outcomes = num(&self.weight_outcomes, K::RuWeightOutcomes, "acceptance_weights")?;
        r.acceptance.excellent = num(&self.excellent, K::GrExcellent, "acceptance_bands")?;
        r.acceptance.good = num(&self.good, K::GrGood, "acceptance_bands")?;
        r.acceptance.pass = num(&self.pass, K::GrPass, "acceptance_bands")?;
        r.acceptance.veto_satisfaction = num(&self.veto, K::RuVeto, "veto")?;
        let sample = num(&self.min_sample, K::RuMinSample, "sample")?;
        if sample.fract() != 0.0 || !(1.0..=100_000.0).contains(&sample) {
            return Err(err(K::ErrRuleSample, "sample"));
        }
        r.acceptance.min_sample = sample as u32;
        r.highlight = parse_lines(&self.highlight, "highlight")?.into_iter().map(|(name, weight)| Criterion { name, weight }).collect();
        r.promote_min = num(&self.promote_min, K::RuPromoteMin, "promote")?;
        let max = num(&self.promote_max, K::RuPromoteMax, "promote")?;
        if max.fract() != 0.0 || !(1.0..=100.0).contains(&max) {
            return Err(err(K::ErrRulePromote, "promote"));
        }
        r.promote_max = max as usize;
        let lb = num(&self.lookback_months, K::RuLookback, "lookback_months")?;
        if lb.fract() != 0.0 || !(0.0..=60.0).contains(&lb) {
            return Err(err(K::ErrRuleLookback, "lookback_months"));
        }
        r.lookback_months = lb as u32;
        validate(&r)?;
        Ok(r)
    }
}

#[cfg(test)]
mod tests;
