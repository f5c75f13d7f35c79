//! The demo registry: real examples from the seed articles (开江's micro-reforms with their
//! figures, 黄龙's small-incision reforms, 平原's pilots and highlights, 红安's special groups and
//! led projects, 淄博's mandated tasks), dated relative to today so deadlines look current.
//! The examples are data (`demo.json`); they are entered through the same actions a user
//! triggers, so the demo has a real change history.

use super::model::*;
use super::ops;
use super::review::{self, ExpertScore, HighlightScore, PilotLead, Survey};
use super::tx::Tx;
use super::validate::DomainError;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use ItemKind::{Mandated, Pilot};
use Status::*;

#[derive(Deserialize)]
struct Demo {
    office: Office,
    groups: Vec<Group>,
    officials: Vec<Official>,
    units: Vec<Unit>,
    items: Vec<Spec>,
    risk_reviewer: String,
    acceptance: Panel,
    highlights: Vec<Highlight>,
    leads: Vec<Lead>,
}

#[derive(Deserialize)]
struct Spec {
    title: String,
    kind: ItemKind,
    batch: String,
    category: String,
    lead: String,
    coop: Vec<String>,
    official: String,
    /// Index into `groups`.
    group: usize,
    goal: String,
    path: String,
    /// Deadline as a month offset from the current month (negative = already past).
    due_months: i32,
    indicators: Vec<Indicator>,
    status: Status,
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct Panel {
    /// One row of criterion scores per expert (开江's form: five experts).
    experts: Vec<Vec<f64>>,
    survey: Survey,
}

#[derive(Deserialize)]
struct Highlight {
    title: String,
    sheets: Vec<Sheet>,
}

#[derive(Deserialize)]
struct Sheet {
    reviewer: String,
    scores: Vec<f64>,
}

#[derive(Deserialize)]
struct Lead {
    title: String,
    level: PilotLevel,
    unit: String,
    won: bool,
}

fn demo() -> Demo {
    serde_json::from_str(include_str!("demo.json")).expect("demo.json matches its types (checked by the tests)")
}

fn month_end(today: NaiveDate, offset: i32) -> NaiveDate {
    let m0 = today.year() * 12 + today.month0() as i32 + offset;
    super::scoring::month_end(m0.div_euclid(12), m0.rem_euclid(12) as u32 + 1).expect("valid date")
}

/// The status path that leads to `s` from 谋划申报.
fn path_to(s: Status) -> &'static [Status] {
    match s {
        Proposed => &[],
        RiskReviewed => &[RiskReviewed],
        Approved => &[RiskReviewed, Approved],
        InProgress => &[RiskReviewed, Approved, InProgress],
        Completed => &[RiskReviewed, Approved, InProgress, Completed],
        Accepted => &[RiskReviewed, Approved, InProgress, Completed, Accepted],
        AwaitingDeployment => &[AwaitingDeployment],
        Suspended => &[RiskReviewed, Approved, InProgress, Suspended],
        Terminated => &[Terminated],
    }
}

/// Fills an empty registry with the demo data, as one action.
pub fn build_demo(tx: &mut Tx) -> Result<(), DomainError> {
    let d = demo();
    let today = tx.today();
    ops::setup_office(tx, &d.office)?;
    let mut group_ids = vec![];
    for g in &d.groups {
        group_ids.push(ops::save_group(tx, None, g)?);
    }
    for o in &d.officials {
        ops::save_official(tx, None, o)?;
    }
    for u in &d.units {
        ops::save_unit(tx, None, u)?;
    }
    for s in &d.items {
        let deadline = month_end(today, s.due_months);
        let item = ReformItem {
            title: s.title.clone(),
            code: String::new(),
            kind: s.kind,
            source_level: (s.kind == Mandated).then_some(SourceLevel::Province),
            source_doc: if s.kind == Mandated { "省委改革办年度改革工作要点".into() } else { String::new() },
            pilot_level: (s.kind == Pilot).then_some(PilotLevel::Province),
            year: today.year(),
            batch: s.batch.clone(),
            category: s.category.clone(),
            goal: s.goal.clone(),
            work_path: s.path.clone(),
            deadline: Some(deadline),
            milestones: vec![
                Milestone { title: "制定实施方案".into(), due: Some(month_end(today, s.due_months - 3).min(deadline)), done: s.status != Proposed },
                Milestone { title: "全面推开".into(), due: Some(deadline), done: s.status.is_done() },
            ],
            lead_unit: s.lead.clone(),
            coop_units: s.coop.clone(),
            leading_official: s.official.clone(),
            special_group: group_ids[s.group].clone(),
            indicators: s.indicators.clone(),
            documents: vec![],
            tags: s.tags.clone(),
            status: Proposed,
            status_note: String::new(),
            approval: None,
        };
        let id = ops::save_item(tx, None, &item)?;
        if !matches!(s.status, Proposed | AwaitingDeployment | Terminated) {
            review::save_risk_review(tx, &id, &review::low_risk_review(&d.risk_reviewer, today))?;
        }
        for st in path_to(s.status) {
            if *st == Accepted {
                let experts: Vec<ExpertScore> =
                    d.acceptance.experts.iter().enumerate().map(|(n, sc)| ExpertScore { name: format!("专家{}", n + 1), scores: sc.clone() }).collect();
                ops::accept(tx, &id, &experts, &d.acceptance.survey, &[])?;
                continue;
            }
            let reason = match *st {
                AwaitingDeployment => "上级尚未出台配套部署",
                Completed => "部分指标待年底统计",
                _ => "",
            };
            let meeting = crate::domain::Approval {
                meeting: "县委全面深化改革委员会第3次会议".into(),
                date: Some(today - chrono::Days::new(200)),
                number: "县深改委〔2026〕3号".into(),
            };
            ops::advance(tx, &id, *st, reason, Some(&meeting))?;
        }
    }
    seed_cycle(tx, &d)
}

/// Reports for last month and (for most items) this month, highlight score sheets and pilot
/// leads, so the dispatch screen, dashboard and reviews page look like a working office's.
fn seed_cycle(tx: &mut Tx, d: &Demo) -> Result<(), DomainError> {
    use super::monthly::{file_report, Month, Report};
    let today = tx.today();
    let running: Vec<(String, ReformItem)> =
        ops::all::<ReformItem>(tx.reg(), coll::ITEM).into_iter().filter(|(_, i)| matches!(i.status, Approved | InProgress)).collect();
    let this = Month::of(today);
    for (n, (id, item)) in running.iter().enumerate() {
        for (m, pct) in [(this.prev(), 50.0), (this, 65.0)] {
            // Every third item has not reported this month yet: there is always something to chase.
            if m == this && n % 3 == 0 {
                continue;
            }
            let rep = Report {
                percent: Some(pct),
                done: format!("按“{}”路径推进，完成阶段任务", item.work_path.split('—').next().unwrap_or("工作")),
                problems: if n % 4 == 1 { "资金到位较慢".into() } else { String::new() },
                next_steps: "加快推进，确保按期完成".into(),
                reported_by: item.lead_unit.clone(),
                ..Default::default()
            };
            file_report(tx, id, m, &rep)?;
        }
    }
    for h in &d.highlights {
        if let Some((id, _)) = ops::all::<ReformItem>(tx.reg(), coll::ITEM).into_iter().find(|(_, i)| i.title == h.title) {
            for sheet in &h.sheets {
                review::save_highlight_score(
                    tx,
                    &HighlightScore { item: id.clone(), reviewer: sheet.reviewer.clone(), scores: sheet.scores.clone(), ..Default::default() },
                )?;
            }
        }
    }
    for l in &d.leads {
        let lead = PilotLead {
            title: l.title.clone(),
            level: Some(l.level),
            quarter: format!("{}年第{}季度", today.year(), (today.month0() / 3) + 1),
            unit: l.unit.clone(),
            won: l.won,
            item: String::new(),
        };
        review::save_lead(tx, None, &lead)?;
    }
    Ok(())
}

/// The demo registry as of `today`, with the changes that made it (for tests).
#[cfg(test)]
pub fn demo_registry(today: NaiveDate) -> (crate::sync::Registry, Vec<crate::sync::Change>) {
    let mut reg = crate::sync::Registry::new("demo");
    let changes = crate::domain::tx::run(&mut reg, &crate::domain::tx::Stamp::new(1_000, today, "示例数据"), build_demo).unwrap().changes;
    (reg, changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_is_populated_and_valid() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (reg, changes) = demo_registry(today);
        assert!(changes.len() > demo().items.len());
        let rows = ops::item_rows(&reg, today);
        // Won pilot leads became items of their own.
        assert_eq!(rows.len(), demo().items.len() + demo().leads.iter().filter(|l| l.won).count());
        assert!(rows.iter().any(|r| r.overdue), "some demo items are overdue");
        assert!(rows.iter().any(|r| r.item.status == Accepted));
        assert!(rows.iter().any(|r| r.item.status == AwaitingDeployment));
        let kinds: std::collections::BTreeSet<_> = rows.iter().map(|r| r.item.kind).collect();
        assert_eq!(kinds.len(), ItemKind::ALL.len(), "every kind appears");
        let wl = rows.iter().find(|r| r.item.title.contains("网络理政")).unwrap();
        assert_eq!(wl.item.indicators[0].actual, Some(118.0));
        // A working office: reports filed, some missing this month, highlights and leads present.
        let m = crate::domain::monthly::Month::of(today);
        let rows = crate::domain::monthly::dispatch_rows(&reg, m, today, 15);
        assert!(rows.iter().any(|r| r.report.is_some()) && rows.iter().any(|r| r.status == crate::domain::monthly::MonthStatus::NoReport));
        assert_eq!(crate::domain::review::highlight_ranking(&reg).len(), 2);
    }

    #[test]
    fn month_end_handles_year_and_leap() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 15).unwrap();
        assert_eq!(month_end(d, 1), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(month_end(d, -1), NaiveDate::from_ymd_opt(2023, 12, 31).unwrap());
        assert_eq!(month_end(d, 11), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
    }
}
