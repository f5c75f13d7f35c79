//! Quantified assessment (考核): the plan, monthly scores, rankings and the year-end result.
//!
//! Reproducible to the last digit in every office: points are kept in integer hundredths,
//! each indicator's points are rounded once (two decimals, half away from zero, on the decimal
//! value a person would compute by hand), and totals are sums of those rounded points.

use super::model::ReformItem;
use super::validate::DomainError;
use crate::i18n::K;
use crate::order::LeanSort;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Points in hundredths (12.34 points = 1234).
pub type Cents = i64;

/// Rounds to two decimals, half away from zero, on the shortest decimal form of `x`
/// (so 2.675 → 2.68 as on paper, although 2.675 is stored as 2.67499999…).
pub fn round2(x: f64) -> Cents {
    if !x.is_finite() {
        return 0;
    }
    // Twelve significant decimals remove binary noise; then round the decimal digits exactly.
    let s = format!("{:.*e}", 11, x.abs());
    let (mant, exp) = s.split_once('e').expect("exponent form");
    let exp: i32 = exp.parse().expect("exponent");
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect(); // 12 digits, d.ddddddddddd
                                                                                // value = 0.digits × 10^(exp+1); we need floor(value × 100) and the next digit.
    let shift = exp + 1 + 2; // digits before the cut
    let (int_part, next): (i64, u32) = if shift <= 0 {
        (0, if shift == 0 { digits.as_bytes()[0] as u32 - b'0' as u32 } else { 0 })
    } else if shift as usize >= digits.len() {
        let mut d = digits.clone();
        d.extend(std::iter::repeat_n('0', shift as usize - digits.len()));
        (d.parse().unwrap_or(i64::MAX / 2), 0)
    } else {
        (digits[..shift as usize].parse().expect("digits"), digits.as_bytes()[shift as usize] as u32 - b'0' as u32)
    };
    let r = int_part + if next >= 5 { 1 } else { 0 };
    if x < 0.0 {
        -r
    } else {
        r
    }
}

pub fn fmt_points(c: Cents) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", c.abs() / 100, c.abs() % 100)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Method {
    /// points × min(cap, actual / target).
    Ratio { cap: f64 },
    /// Named levels mapped to points.
    Rubric { levels: Vec<(String, f64)> },
    /// Start at the maximum, subtract per event, never below zero.
    Deduction { per_event: f64 },
    /// Read from the registry for the unit and month.
    Computed { measure: Measure },
    /// Points per event up to its own cap; counts on top of the base 100.
    Bonus { per_event: f64, cap: f64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Share of the unit's open items not overdue at the month's end.
    OnScheduleRate,
    /// Share of the unit's items completed or accepted.
    CompletionRate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDef {
    pub id: String,
    pub name: String,
    /// 指标组, e.g. 改革推进 / 督察落实 / 加分项.
    pub group: String,
    pub max_points: f64,
    pub method: Method,
}

impl IndicatorDef {
    pub fn is_bonus(&self) -> bool {
        matches!(self.method, Method::Bonus { .. })
    }
}

/// Who is ranked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub id: String,
    pub name: String,
    /// The special group's subject id whose score is blended in (by the group's weight).
    #[serde(default)]
    pub group: Option<String>,
    /// Percent of the group's score in this subject's result (红安: groups carry a weight).
    #[serde(default)]
    pub group_weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub name: String,
    pub year: i32,
    pub subjects: Vec<Subject>,
    pub indicators: Vec<IndicatorDef>,
    /// Share of the monthly average in the year-end result (淄博: 50 %).
    pub monthly_share: f64,
    /// Below `red_below` red, from `green_from` green, amber between.
    pub red_below: f64,
    pub green_from: f64,
}

/// A raw figure entered for one subject and indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Input {
    Ratio { actual: f64, target: f64 },
    Level { level: String },
    Count { n: f64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Band {
    Red,
    Amber,
    Green,
}

/// One indicator's contribution, explained.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Line {
    pub indicator: String,
    pub input: String,
    pub method: String,
    pub points: Cents,
    /// For computed indicators: the items that counted.
    pub items: Vec<String>,
}

/// How a unit's own points and its special group's points make its result (红安: groups carry a
/// weight), so that an explanation adds up to the total.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Blend {
    pub group: String,
    pub group_name: String,
    /// The group's own points.
    pub group_points: Cents,
    /// Percent of the group's points in the unit's result.
    pub weight: f64,
    /// own × (100 − weight) % + group × weight %, rounded once.
    pub blended: Cents,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubjectResult {
    pub subject: String,
    pub name: String,
    pub own: Cents,
    pub bonus: Cents,
    /// A special group (ranked in its own table), not a unit.
    #[serde(default)]
    pub is_group: bool,
    #[serde(default)]
    pub blend: Option<Blend>,
    /// After blending with the group's score.
    pub total: Cents,
    pub lines: Vec<Line>,
    pub rank: usize,
    /// Positive: moved up against last month.
    pub change: Option<i64>,
    pub band: Band,
}

fn err(k: K) -> DomainError {
    DomainError::new(k)
}

/// Checks the plan itself before anything is computed from it.
pub fn validate_plan(p: &Plan) -> Result<(), DomainError> {
    if p.subjects.is_empty() {
        return Err(err(K::ErrPlanNoSubjects).at("subjects"));
    }
    if p.indicators.is_empty() {
        return Err(err(K::ErrPlanNoIndicators).at("indicators"));
    }
    let mut ids = std::collections::BTreeSet::new();
    for i in &p.indicators {
        if i.name.trim().is_empty() || !ids.insert(i.id.clone()) {
            return Err(err(K::ErrIndicatorName).at("indicators"));
        }
        if !i.max_points.is_finite() || i.max_points <= 0.0 {
            return Err(err(K::ErrMaxPoints).arg(&i.name).at("indicators"));
        }
        match &i.method {
            Method::Ratio { cap } if !cap.is_finite() || *cap < 1.0 => return Err(err(K::ErrCapBelowOne).arg(&i.name).at("indicators")),
            Method::Rubric { levels }
                if levels.is_empty() || levels.iter().any(|(n, pts)| n.trim().is_empty() || !pts.is_finite() || *pts < 0.0 || *pts > i.max_points) =>
            {
                return Err(err(K::ErrRubric).arg(&i.name).at("indicators"))
            }
            Method::Deduction { per_event } if !per_event.is_finite() || *per_event <= 0.0 => return Err(err(K::ErrPerEvent).arg(&i.name).at("indicators")),
            Method::Bonus { per_event, cap } if !per_event.is_finite() || *per_event <= 0.0 || !cap.is_finite() || *cap <= 0.0 => {
                return Err(err(K::ErrPerEvent).arg(&i.name).at("indicators"))
            }
            _ => {}
        }
    }
    let base: Cents = p.indicators.iter().filter(|i| !i.is_bonus()).map(|i| round2(i.max_points)).sum();
    if base != 10_000 {
        return Err(err(K::ErrPointsSum).arg(fmt_points(base)).at("indicators"));
    }
    for s in &p.subjects {
        if !s.group_weight.is_finite() || s.group_weight < 0.0 || s.group_weight > 100.0 {
            return Err(err(K::ErrWeight).at("subjects"));
        }
        if let Some(g) = &s.group {
            if !p.subjects.iter().any(|x| &x.id == g) {
                return Err(err(K::ErrNoSuchRecord).arg(g).at("subjects"));
            }
        }
    }
    if !(0.0..=100.0).contains(&p.monthly_share) {
        return Err(err(K::ErrShare).at("monthly_share"));
    }
    // (NaN bands fail too.)
    if p.red_below.partial_cmp(&p.green_from).is_none_or(|o| o == std::cmp::Ordering::Greater) {
        return Err(err(K::ErrBands).at("bands"));
    }
    Ok(())
}

/// The month's end, the day rates are measured on.
pub fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let first_next = if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    first_next.and_then(|d| d.pred_opt())
}

/// A registry rate for one unit (the unit leads the item): (rate, titles of the items counted).
/// The rates themselves are defined once, in `figures`.
pub fn computed_rate(measure: Measure, unit: &str, items: &[(String, ReformItem)], at: NaiveDate) -> (f64, Vec<String>) {
    let mine = items.iter().filter(|(_, i)| i.lead_unit == unit).map(|(_, i)| i);
    let (rate, counted) = match measure {
        Measure::OnScheduleRate => super::figures::on_schedule_rate(mine, at),
        Measure::CompletionRate => super::figures::completion_rate(mine),
    };
    (rate, counted.iter().map(|i| i.title.clone()).collect())
}

/// A figure as a person writes it: at most two decimals, no trailing zeros (1.2, 36.67, 40).
pub fn figure_text(x: f64) -> String {
    let s = fmt_points(round2(x));
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Checks one entered figure against its indicator: the rule that refuses it in the grid is the
/// rule that would stop the month's ranking. Errors name subject and indicator.
pub fn check_input(def: &IndicatorDef, subject: &Subject, input: &Input) -> Result<(), DomainError> {
    let e = |k: K| Err(err(k).arg(&subject.name).arg(&def.name).at("inputs"));
    let count_ok = |n: &f64| n.is_finite() && *n >= 0.0 && n.fract() == 0.0;
    match (&def.method, input) {
        (Method::Ratio { .. }, Input::Ratio { actual, target }) => {
            if !target.is_finite() || *target <= 0.0 {
                return e(K::ErrTargetZero);
            }
            if !actual.is_finite() || *actual < 0.0 {
                return e(K::ErrNegative);
            }
            Ok(())
        }
        (Method::Rubric { levels }, Input::Level { level }) if levels.iter().any(|(n, _)| n == level) => Ok(()),
        (Method::Deduction { .. } | Method::Bonus { .. }, Input::Count { n }) if !count_ok(n) => e(K::ErrNegative),
        (Method::Deduction { .. } | Method::Bonus { .. }, Input::Count { .. }) => Ok(()),
        _ => e(K::ErrWrongFigure),
    }
}

/// Scores one indicator. Missing or invalid input is an error naming subject and indicator.
pub fn score_indicator(
    def: &IndicatorDef,
    subject: &Subject,
    input: Option<&Input>,
    items: &[(String, ReformItem)],
    at: NaiveDate,
) -> Result<Line, DomainError> {
    let missing = || err(K::ErrMissingFigure).arg(&subject.name).arg(&def.name).at("inputs");
    let wrong = || err(K::ErrWrongFigure).arg(&subject.name).arg(&def.name).at("inputs");
    let max = def.max_points;
    if let (false, Some(i)) = (matches!(def.method, Method::Computed { .. }), input) {
        check_input(def, subject, i)?;
    }
    let (points, input_text, method, counted) = match (&def.method, input) {
        (Method::Computed { measure }, _) => {
            let (rate, items) = computed_rate(*measure, &subject.name, items, at);
            (max * rate, format!("{}%", figure_text(rate * 100.0)), format!("{} × {}%", figure_text(max), figure_text(rate * 100.0)), items)
        }
        (_, None) => return Err(missing()),
        (Method::Ratio { cap }, Some(Input::Ratio { actual, target })) => {
            let ratio = (actual / target).min(*cap);
            (
                max * ratio,
                format!("{} / {}", figure_text(*actual), figure_text(*target)),
                format!("{} × min({}, {}/{})", figure_text(max), figure_text(*cap), figure_text(*actual), figure_text(*target)),
                vec![],
            )
        }
        (Method::Rubric { levels }, Some(Input::Level { level })) => {
            let pts = levels.iter().find(|(n, _)| n == level).map(|(_, p)| *p).ok_or_else(wrong)?;
            (pts, level.clone(), format!("{level} = {}", figure_text(pts)), vec![])
        }
        (Method::Deduction { per_event }, Some(Input::Count { n })) => (
            (max - per_event * n).max(0.0),
            figure_text(*n),
            format!("max(0, {} − {} × {})", figure_text(max), figure_text(*per_event), figure_text(*n)),
            vec![],
        ),
        (Method::Bonus { per_event, cap }, Some(Input::Count { n })) => {
            ((per_event * n).min(*cap), figure_text(*n), format!("min({}, {} × {})", figure_text(*cap), figure_text(*per_event), figure_text(*n)), vec![])
        }
        _ => return Err(wrong()),
    };
    Ok(Line { indicator: def.id.clone(), input: input_text, method, points: round2(points), items: counted })
}

/// Inputs for one month: subject id → indicator id → input.
pub type MonthInputs = BTreeMap<String, BTreeMap<String, Input>>;

/// Scores and ranks every subject for one month. Any missing or invalid figure stops the
/// whole computation: no ranking is published from half-valid data.
pub fn compute_month(
    plan: &Plan,
    inputs: &MonthInputs,
    items: &[(String, ReformItem)],
    month: u32,
    previous: Option<&[SubjectResult]>,
) -> Result<Vec<SubjectResult>, Vec<DomainError>> {
    if let Err(e) = validate_plan(plan) {
        return Err(vec![e]);
    }
    let at = month_end(plan.year, month).ok_or_else(|| vec![err(K::ErrBadDate).arg(month)])?;
    let mut errors = vec![];
    let mut raw: Vec<(Cents, Cents, Vec<Line>)> = vec![];
    let empty = BTreeMap::new();
    for s in &plan.subjects {
        let ins = inputs.get(&s.id).unwrap_or(&empty);
        let (mut own, mut bonus, mut lines) = (0, 0, vec![]);
        for def in &plan.indicators {
            match score_indicator(def, s, ins.get(&def.id), items, at) {
                Ok(l) => {
                    if def.is_bonus() {
                        bonus += l.points
                    } else {
                        own += l.points
                    }
                    lines.push(l);
                }
                Err(e) => errors.push(e),
            }
        }
        raw.push((own, bonus, lines));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // Blend: own × (100 − w)% + group's own × w%, then bonus on top.
    let own_of = |id: &str| plan.subjects.iter().position(|s| s.id == id).map(|n| (n, raw[n].0));
    let groups: std::collections::BTreeSet<&str> = plan.subjects.iter().filter_map(|s| s.group.as_deref()).collect();
    let mut results: Vec<SubjectResult> = plan
        .subjects
        .iter()
        .zip(raw.iter())
        .map(|(s, (own, bonus, lines))| {
            let blend = match s.group.as_deref().and_then(own_of) {
                Some((gn, g)) if s.group_weight > 0.0 => Some(Blend {
                    group: plan.subjects[gn].id.clone(),
                    group_name: plan.subjects[gn].name.clone(),
                    group_points: g,
                    weight: s.group_weight,
                    blended: round2((*own as f64 * (100.0 - s.group_weight) + g as f64 * s.group_weight) / 10_000.0),
                }),
                _ => None,
            };
            let total = blend.as_ref().map_or(*own, |b| b.blended) + bonus;
            SubjectResult {
                subject: s.id.clone(),
                name: s.name.clone(),
                own: *own,
                bonus: *bonus,
                is_group: groups.contains(s.id.as_str()),
                blend,
                total,
                lines: lines.clone(),
                rank: 0,
                change: None,
                band: band(plan, total),
            }
        })
        .collect();
    rank(&mut results);
    if let Some(prev) = previous {
        for r in &mut results {
            r.change = prev.iter().find(|p| p.subject == r.subject).map(|p| p.rank as i64 - r.rank as i64);
        }
    }
    Ok(results)
}

pub fn band(plan: &Plan, total: Cents) -> Band {
    if total < round2(plan.red_below) {
        Band::Red
    } else if total >= round2(plan.green_from) {
        Band::Green
    } else {
        Band::Amber
    }
}

/// Sorts by table (units, then special groups), total (desc) and name, and assigns competition
/// ranks within each table: ties share (1, 2, 2, 4). Groups are never ranked against units.
pub fn rank(results: &mut [SubjectResult]) {
    results.lean_sort_by(|a, b| a.is_group.cmp(&b.is_group).then_with(|| b.total.cmp(&a.total)).then_with(|| a.name.cmp(&b.name)));
    let units = results.iter().filter(|r| !r.is_group).count();
    for n in 0..results.len() {
        let same_table = n > 0 && results[n].is_group == results[n - 1].is_group;
        let first = if results[n].is_group { units } else { 0 };
        results[n].rank = if same_table && results[n].total == results[n - 1].total { results[n - 1].rank } else { n - first + 1 };
    }
}

/// One table of a month's ranking: the units (false) or the special groups (true).
pub fn table(rs: &[SubjectResult], groups: bool) -> Vec<&SubjectResult> {
    rs.iter().filter(|r| r.is_group == groups).collect()
}

/// 表扬 and 批评 in a bulletin: the first three places, and the last place when more than one
/// subject is ranked. A subject in last place is never praised in the same bulletin.
pub fn praise_and_criticism(all: &[SubjectResult]) -> (Vec<&SubjectResult>, Vec<&SubjectResult>) {
    // Within the units' table (groups have their own).
    let rs = table(all, false);
    let worst = rs.iter().map(|r| r.rank).max().unwrap_or(0);
    let ranked = rs.iter().any(|r| r.rank != worst);
    let bottom: Vec<&SubjectResult> = rs.iter().copied().filter(|r| ranked && r.rank == worst).collect();
    let top: Vec<&SubjectResult> = rs.iter().copied().filter(|r| r.rank <= 3 && !(ranked && r.rank == worst)).collect();
    (top, bottom)
}

/// Year-end composite: average of the monthly totals × share + year-end assessment × the rest.
pub fn year_end(monthly: &[Cents], year_end_score: f64, monthly_share: f64) -> Cents {
    if monthly.is_empty() {
        return round2(year_end_score * (100.0 - monthly_share) / 100.0);
    }
    let avg = monthly.iter().sum::<Cents>() as f64 / monthly.len() as f64 / 100.0;
    round2(avg * monthly_share / 100.0 + year_end_score * (100.0 - monthly_share) / 100.0)
}

/// Rule hook for supervision: how many months running (ending at the last given month) the
/// subject was in last place. `by_month` is in calendar order.
pub fn last_place_streak(by_month: &[Vec<SubjectResult>], subject: &str) -> usize {
    by_month
        .iter()
        .rev()
        .take_while(|month| {
            let Some(me) = month.iter().find(|r| r.subject == subject) else { return false };
            let peers = table(month, me.is_group);
            let worst = peers.iter().map(|r| r.rank).max().unwrap_or(0);
            me.rank == worst && peers.len() > 1
        })
        .count()
}

/// Rule hook for supervision: the subject's total that month is below `x` points.
pub fn below(month: &[SubjectResult], subject: &str, x: f64) -> bool {
    month.iter().any(|r| r.subject == subject && r.total < round2(x))
}

// ---- The plan as typed in the form, and figures as typed in the monthly grid ----

/// One indicator row of the plan form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndicatorDraft {
    pub name: String,
    pub group: String,
    pub max: String,
    /// ratio | rubric | deduction | computed | bonus
    pub method: String,
    /// ratio: cap; rubric: "好=30、较好=24…"; deduction/bonus: points per event; computed: on_schedule | completion
    pub param: String,
    /// bonus: its cap
    pub cap: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanDraft {
    pub name: String,
    pub year: String,
    /// One subject per line: `名称` or `名称 | 专项小组名称 | 权重%`.
    pub subjects: String,
    pub indicators: Vec<IndicatorDraft>,
    pub monthly_share: String,
    pub red_below: String,
    pub green_from: String,
}

fn number(s: &str, k: K, field: &'static str) -> Result<f64, DomainError> {
    super::validate::parse_number(s, k, field)?.ok_or_else(|| DomainError::new(K::ErrRequired).arg_key(k).at(field))
}

impl PlanDraft {
    /// A ready plan using all five methods, for the given units.
    pub fn template(year: i32, units: &[String]) -> Self {
        let row = |n: &str, g: &str, max: &str, method: &str, p: &str, c: &str| IndicatorDraft {
            name: n.into(),
            group: g.into(),
            max: max.into(),
            method: method.into(),
            param: p.into(),
            cap: c.into(),
        };
        PlanDraft {
            name: format!("{year}年度全面深化改革工作考核"),
            year: year.to_string(),
            subjects: units.join("\n"),
            indicators: vec![
                row("改革任务完成", "改革推进", "40", "ratio", "1.2", ""),
                row("改革成效评价", "改革推进", "30", "rubric", "好=30、较好=24、一般=18、差=10", ""),
                row("逾期任务扣分", "督察落实", "20", "deduction", "2", ""),
                row("按期推进率", "督察落实", "10", "computed", "on_schedule", ""),
                row("领导批示、试点获批、经验推广", "加分项", "5", "bonus", "1", "5"),
            ],
            monthly_share: "50".into(),
            red_below: "60".into(),
            green_from: "85".into(),
        }
    }

    pub fn from_plan(p: &Plan) -> Self {
        PlanDraft {
            name: p.name.clone(),
            year: p.year.to_string(),
            subjects: p
                .subjects
                .iter()
                .map(|s| match &s.group {
                    Some(g) => {
                        format!(
                            "{} | {} | {}",
                            s.name,
                            p.subjects.iter().find(|x| &x.id == g).map(|x| x.name.clone()).unwrap_or_default(),
                            figure_text(s.group_weight)
                        )
                    }
                    None => s.name.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            indicators: p
                .indicators
                .iter()
                .map(|i| {
                    let (method, param, cap) = match &i.method {
                        Method::Ratio { cap } => ("ratio", figure_text(*cap), String::new()),
                        Method::Rubric { levels } => {
                            ("rubric", levels.iter().map(|(n, p)| format!("{n}={}", figure_text(*p))).collect::<Vec<_>>().join("、"), String::new())
                        }
                        Method::Deduction { per_event } => ("deduction", figure_text(*per_event), String::new()),
                        Method::Computed { measure } => {
                            ("computed", if *measure == Measure::OnScheduleRate { "on_schedule" } else { "completion" }.to_string(), String::new())
                        }
                        Method::Bonus { per_event, cap } => ("bonus", figure_text(*per_event), figure_text(*cap)),
                    };
                    IndicatorDraft { name: i.name.clone(), group: i.group.clone(), max: figure_text(i.max_points), method: method.into(), param, cap }
                })
                .collect(),
            monthly_share: figure_text(p.monthly_share),
            red_below: figure_text(p.red_below),
            green_from: figure_text(p.green_from),
        }
    }

    /// Converts and validates; the first problem comes back naming its field.
    pub fn to_plan(&self) -> Result<Plan, DomainError> {
        self.to_plan_with(&BTreeMap::new())
    }

    /// As `to_plan`, with the special groups' weights from 组织架构 (name → percent): a line
    /// `单位 | 专项小组` without a weight takes its group's, and then those weights must add up to 100 %.
    pub fn to_plan_with(&self, org_weights: &BTreeMap<String, f64>) -> Result<Plan, DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::new(K::ErrRequired).arg_key(K::FPlanName).at("name"));
        }
        let year = self.year.trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).ok_or_else(|| DomainError::new(K::ErrYear).at("year"))?;
        let mut subjects: Vec<Subject> = vec![];
        let mut links: Vec<(usize, String, f64)> = vec![];
        let mut from_org = false;
        for line in self.subjects.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let parts: Vec<&str> = line.split(['|', '｜']).map(str::trim).collect();
            let name = parts[0].to_string();
            if subjects.iter().any(|s| s.name == name) {
                return Err(DomainError::new(K::ErrDuplicateName).arg(&name).at("subjects"));
            }
            if parts.len() >= 2 && !parts[1].is_empty() {
                let typed = parts.get(2).copied().unwrap_or("");
                let w = match org_weights.get(parts[1]) {
                    Some(w) if typed.is_empty() => {
                        from_org = true;
                        *w
                    }
                    _ => number(typed, K::FGroupWeight, "subjects")?,
                };
                links.push((subjects.len(), parts[1].to_string(), w));
            }
            subjects.push(Subject { id: name.clone(), name, group: None, group_weight: 0.0 });
        }
        let org_total = round2(org_weights.values().sum::<f64>());
        if from_org && org_total != 10_000 {
            return Err(DomainError::new(K::ErrGroupWeightsSum).arg(fmt_points(org_total)).at("subjects"));
        }
        for (n, g, w) in links {
            if !subjects.iter().any(|s| s.name == g) {
                subjects.push(Subject { id: g.clone(), name: g.clone(), group: None, group_weight: 0.0 });
            }
            subjects[n].group = Some(g);
            subjects[n].group_weight = w;
        }
        let mut indicators = vec![];
        for (n, d) in self.indicators.iter().enumerate() {
            if d.name.trim().is_empty() && d.max.trim().is_empty() {
                continue;
            }
            let max = number(&d.max, K::FMaxPoints, "indicators")?;
            let method = match d.method.as_str() {
                "ratio" => Method::Ratio { cap: number(&d.param, K::FCap, "indicators")? },
                "rubric" => Method::Rubric {
                    levels: super::form::split_list(&d.param)
                        .iter()
                        .map(|l| {
                            let (name, pts) = l.split_once(['=', '＝']).ok_or_else(|| DomainError::new(K::ErrRubric).arg(&d.name).at("indicators"))?;
                            Ok((name.trim().to_string(), number(pts, K::FMaxPoints, "indicators")?))
                        })
                        .collect::<Result<_, DomainError>>()?,
                },
                "deduction" => Method::Deduction { per_event: number(&d.param, K::FPerEvent, "indicators")? },
                "computed" => Method::Computed { measure: if d.param.trim() == "completion" { Measure::CompletionRate } else { Measure::OnScheduleRate } },
                "bonus" => Method::Bonus { per_event: number(&d.param, K::FPerEvent, "indicators")?, cap: number(&d.cap, K::FCap, "indicators")? },
                _ => return Err(DomainError::new(K::ErrRequired).arg_key(K::FMethod).at("indicators")),
            };
            indicators.push(IndicatorDef { id: format!("i{}", n + 1), name: d.name.trim().into(), group: d.group.trim().into(), max_points: max, method });
        }
        let plan = Plan {
            name: self.name.trim().into(),
            year,
            subjects,
            indicators,
            monthly_share: number(&self.monthly_share, K::FMonthlyShare, "monthly_share")?,
            red_below: number(&self.red_below, K::FBands, "bands")?,
            green_from: number(&self.green_from, K::FBands, "bands")?,
        };
        validate_plan(&plan)?;
        Ok(plan)
    }
}

/// Reads one grid cell as typed (for ratio: actual and target) and checks it with the rule the
/// ranking uses. Empty means "not entered".
pub fn parse_input(def: &IndicatorDef, subject: &Subject, a: &str, b: &str) -> Result<Option<Input>, DomainError> {
    let at = "inputs";
    let v = match &def.method {
        Method::Computed { .. } => None,
        Method::Ratio { .. } => {
            let (x, y) = (super::validate::parse_number(a, K::FActual, at)?, super::validate::parse_number(b, K::FTarget, at)?);
            match (x, y) {
                (None, None) => None,
                (Some(actual), Some(target)) => Some(Input::Ratio { actual, target }),
                _ => return Err(DomainError::new(K::ErrMissingFigure).arg(&subject.name).arg(&def.name).at(at)),
            }
        }
        Method::Rubric { .. } => (!a.trim().is_empty()).then(|| Input::Level { level: a.trim().into() }),
        Method::Deduction { .. } | Method::Bonus { .. } => super::validate::parse_number(a, K::FCount, at)?.map(|n| Input::Count { n }),
    };
    if let Some(i) = &v {
        check_input(def, subject, i)?;
    }
    Ok(v)
}

/// The record id holding one subject's figures for one month.
pub fn input_record_id(plan_id: &str, year: i32, month: u32, subject: &str) -> String {
    format!("{plan_id}/{year:04}-{month:02}/{subject}")
}

#[cfg(test)]
mod tests;
