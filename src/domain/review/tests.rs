use super::*;
use crate::domain::model::Indicator;
use crate::domain::ops::{accept, save_item_adding_names, setup_office, transition};
use crate::domain::tx::{self, Done};
use crate::domain::Office;
use crate::i18n::Lang;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 10, 14).unwrap()
}

fn act<T>(r: &mut Registry, ms: i64, f: impl FnOnce(&mut Tx) -> Result<T, DomainError>) -> Result<Done<T>, DomainError> {
    tx::act(r, ms, day(), "", f)
}

fn f(level: Level, pass: bool) -> Finding {
    Finding { level, pass, finding: "已论证".into(), reviewer: "县司法局".into(), date: Some(day()) }
}

fn review(high: bool, legal: bool) -> RiskReview {
    RiskReview {
        feasibility: f(Level::Low, true),
        legality: f(Level::Low, legal),
        stability: f(if high { Level::High } else { Level::Medium }, true),
        opinion: f(Level::Low, true),
        decision: None,
    }
}

fn setup() -> (Registry, String) {
    let mut r = Registry::new("A");
    act(&mut r, 1, |tx| setup_office(tx, &Office { name: "开江县委改革办".into(), ..Default::default() })).unwrap();
    let item = ReformItem {
        title: "心通桥网络理政".into(),
        year: 2022,
        lead_unit: "县委网信办".into(),
        deadline: NaiveDate::from_ymd_opt(2022, 12, 31),
        indicators: vec![
            Indicator { name: "受理诉求".into(), unit: "件".into(), target: 100.0, actual: Some(118.0) },
            Indicator { name: "办结率".into(), unit: "%".into(), target: 100.0, actual: Some(98.0) },
        ],
        ..Default::default()
    };
    let id = act(&mut r, 2, |tx| save_item_adding_names(tx, None, &item)).unwrap().value;
    (r, id)
}

#[test]
fn approval_waits_for_the_risk_review() {
    let (mut r, id) = setup();
    assert_eq!(act(&mut r, 3, |tx| transition(tx, &id, Status::RiskReviewed, "")).unwrap_err().key, K::ErrNoRiskReview);
    // An incomplete review is refused and stores nothing.
    let mut bad = review(false, true);
    bad.opinion.reviewer.clear();
    let before = r.clone();
    assert_eq!(act(&mut r, 4, |tx| save_risk_review(tx, &id, &bad)).unwrap_err().message(Lang::Zh), "“舆情风险”须填写评估意见、评估人和日期");
    assert_eq!(r, before);
    // Legality failed: reviewed, but never approved.
    act(&mut r, 5, |tx| save_risk_review(tx, &id, &review(false, false))).unwrap();
    act(&mut r, 6, |tx| transition(tx, &id, Status::RiskReviewed, "")).unwrap();
    assert_eq!(act(&mut r, 7, |tx| transition(tx, &id, Status::Approved, "")).unwrap_err().key, K::ErrLegalityFailed);
    // High overall risk needs an explicit decision with a reason.
    act(&mut r, 8, |tx| save_risk_review(tx, &id, &review(true, true))).unwrap();
    assert_eq!(risk_review(&r, &id).unwrap().overall(), Level::High);
    assert_eq!(act(&mut r, 9, |tx| transition(tx, &id, Status::Approved, "")).unwrap_err().key, K::ErrHighRiskDecision);
    let mut decided = review(true, true);
    decided.decision = Some(Decision { proceed: true, reason: "已制定维稳预案，风险可控".into(), by: "县委深改委".into(), date: Some(day()) });
    act(&mut r, 10, |tx| save_risk_review(tx, &id, &decided)).unwrap();
    act(&mut r, 11, |tx| transition(tx, &id, Status::Approved, "")).unwrap();
    assert_eq!(risk_review(&r, &id).unwrap().decision.unwrap().reason, "已制定维稳预案，风险可控");
}

fn panel(totals: &[[f64; 4]]) -> Vec<ExpertScore> {
    totals.iter().enumerate().map(|(n, s)| ExpertScore { name: format!("专家{}", n + 1), scores: s.to_vec() }).collect()
}

#[test]
fn trimmed_mean_drops_one_highest_and_one_lowest() {
    // Totals 95, 95, 80, 70, 60 → drop one 95 and the 60 → (95 + 80 + 70) / 3 = 81.67.
    let t: Vec<(String, f64)> = [95.0, 95.0, 80.0, 70.0, 60.0].iter().enumerate().map(|(n, v)| (format!("e{n}"), *v)).collect();
    let (m, dropped) = trimmed_mean(&t);
    assert_eq!(round2(m), 8167);
    assert_eq!(dropped.len(), 2);
    assert!(dropped.contains(&"e4".to_string()));
    // Four experts: plain mean.
    assert_eq!(round2(trimmed_mean(&t[..4]).0), 8500);
}

#[test]
fn acceptance_worked_by_hand() {
    let (r, id) = setup();
    let item: ReformItem = from_record(r.get_live(&id).unwrap());
    let rules = AcceptanceRules::default();
    // Expert totals 90, 88, 85, 80, 70 → trimmed mean (88 + 85 + 80)/3 = 84.333…
    let experts = panel(&[[23.0, 32.0, 18.0, 17.0], [22.0, 31.0, 18.0, 17.0], [21.0, 30.0, 17.0, 17.0], [20.0, 28.0, 16.0, 16.0], [17.0, 25.0, 14.0, 14.0]]);
    // Satisfaction (150 + 40) / 200 = 95 %.
    let survey = Survey { satisfied: 150, basic: 40, dissatisfied: 10, respondents: 200 };
    let res = evaluate(&rules, &item, &experts, &survey, &[]).unwrap();
    assert_eq!(res.experts, 8433);
    assert_eq!(res.satisfaction, 9500);
    // Outcomes: min(1, 118/100) = 100 %, 98/100 = 98 % → 99.
    assert_eq!(res.outcomes, 9900);
    // 84.333… × 0.4 + 95 × 0.3 + 99 × 0.3 = 33.7333 + 28.5 + 29.7 = 91.93 → 优秀
    assert_eq!(res.composite, 9193);
    assert_eq!(res.grade, Grade::Excellent);
    assert!(res.passed);
    assert_eq!(res.trimmed, vec!["专家5".to_string(), "专家1".to_string()]);
}

#[test]
fn grade_boundaries_are_inclusive() {
    let (r, id) = setup();
    let mut item: ReformItem = from_record(r.get_live(&id).unwrap());
    item.indicators = vec![Indicator { name: "x".into(), unit: "".into(), target: 100.0, actual: Some(80.0) }];
    let rules = AcceptanceRules { weight_experts: 100.0, weight_public: 0.0, weight_outcomes: 0.0, ..AcceptanceRules::default() };
    let survey = Survey { satisfied: 30, basic: 0, dissatisfied: 0, respondents: 30 };
    let exactly = |t: f64| panel(&[[0.0, t, 0.0, 0.0], [0.0, t, 0.0, 0.0], [0.0, t, 0.0, 0.0]]);
    let g = |t: f64, rules: &AcceptanceRules| evaluate(rules, &item, &exactly(t), &survey, &[]).unwrap().grade;
    let wide = AcceptanceRules { criteria: vec![("a".into(), 25.0), ("b".into(), 100.0), ("c".into(), 20.0), ("d".into(), 20.0)], ..rules.clone() };
    assert_eq!(g(90.0, &wide), Grade::Excellent);
    assert_eq!(g(89.99, &wide), Grade::Good);
    assert_eq!(g(80.0, &wide), Grade::Good);
    assert_eq!(g(60.0, &wide), Grade::Pass);
    assert_eq!(g(59.99, &wide), Grade::Fail);
}

#[test]
fn vetoes_win_over_the_total() {
    let (r, id) = setup();
    let item: ReformItem = from_record(r.get_live(&id).unwrap());
    let experts = panel(&[[25.0, 35.0, 20.0, 20.0], [25.0, 35.0, 20.0, 20.0], [25.0, 35.0, 20.0, 20.0]]);
    // Satisfaction (20 + 15)/60 = 58.33 % < 60 → vetoed although the total is high.
    let survey = Survey { satisfied: 20, basic: 15, dissatisfied: 25, respondents: 60 };
    let res = evaluate(&AcceptanceRules::default(), &item, &experts, &survey, &["办结率".into()]).unwrap();
    assert!(res.composite >= 8000);
    assert!(!res.passed);
    assert_eq!(res.grade, Grade::Fail);
    assert_eq!(res.vetoes, vec![("satisfaction".to_string(), "58.33".to_string()), ("required".to_string(), "办结率".to_string())]);
}

#[test]
fn bad_acceptance_input_is_refused() {
    let (mut r, id) = setup();
    let item: ReformItem = from_record(r.get_live(&id).unwrap());
    let rules = AcceptanceRules::default();
    let ok = Survey { satisfied: 30, basic: 0, dissatisfied: 0, respondents: 30 };
    let three = panel(&[[20.0, 30.0, 15.0, 15.0]; 3]);
    assert_eq!(evaluate(&rules, &item, &three[..2], &ok, &[]).unwrap_err().key, K::ErrFewExperts);
    let mut dup = three.clone();
    dup[2].name = dup[0].name.clone();
    assert_eq!(evaluate(&rules, &item, &dup, &ok, &[]).unwrap_err().key, K::ErrDuplicateExpert);
    let over = panel(&[[26.0, 30.0, 15.0, 15.0], [20.0, 30.0, 15.0, 15.0], [20.0, 30.0, 15.0, 15.0]]);
    assert_eq!(evaluate(&rules, &item, &over, &ok, &[]).unwrap_err().message(Lang::Zh), "“专家1”的“创新性”评分须在0到25.00之间");
    let off = Survey { satisfied: 30, basic: 5, dissatisfied: 0, respondents: 30 };
    assert_eq!(evaluate(&rules, &item, &three, &off, &[]).unwrap_err().message(Lang::Zh), "满意度调查人数不符：填报30人，分项合计35人");
    let mut no_actual = item.clone();
    no_actual.indicators[0].actual = None;
    assert_eq!(evaluate(&rules, &no_actual, &three, &ok, &[]).unwrap_err().key, K::ErrMissingOutcome);
    // Not completed yet: refused, nothing stored.
    let before = r.clone();
    assert_eq!(act(&mut r, 5, |tx| save_acceptance(tx, &id, &three, &ok, &[])).unwrap_err().key, K::ErrNotCompleted);
    assert_eq!(r, before);
}

#[test]
fn full_path_to_accepted_and_look_back() {
    let (mut r, id) = setup();
    act(&mut r, 3, |tx| save_risk_review(tx, &id, &review(false, true))).unwrap();
    for s in [Status::RiskReviewed, Status::Approved, Status::InProgress, Status::Completed] {
        act(&mut r, 4, |tx| transition(tx, &id, s, "")).unwrap();
    }
    assert_eq!(act(&mut r, 5, |tx| transition(tx, &id, Status::Accepted, "")).unwrap_err().key, K::ErrNoAcceptance);
    let experts = panel(&[[23.0, 32.0, 18.0, 17.0]; 5]);
    let survey = Survey { satisfied: 100, basic: 0, dissatisfied: 0, respondents: 100 };
    let done = act(&mut r, 6, |tx| accept(tx, &id, &experts, &survey, &[])).unwrap();
    assert!(done.value.passed);
    assert_eq!(done.changes.len(), 2, "the review and the move to accepted, together");
    assert_eq!(from_record::<ReformItem>(r.get_live(&id).unwrap()).status, Status::Accepted);
    // 90 × 40 % + 100 × 30 % + 99 × 30 % = 95.70, kept with its breakdown.
    let stored = acceptance(&r, &id).unwrap().result;
    assert_eq!((stored.composite, stored.grade), (9570, Grade::Excellent));
    let lb = LookBack {
        item: id.clone(),
        date: NaiveDate::from_ymd_opt(2023, 10, 1),
        figures: vec![("受理诉求".into(), 90.0)],
        finding: Finding3::Sustained,
        note: "".into(),
        follow_up: String::new(),
    };
    tx::act(&mut r, 8, NaiveDate::from_ymd_opt(2023, 10, 2).unwrap(), "", |tx| save_lookback(tx, &lb)).unwrap();
    let item: ReformItem = from_record(r.get_live(&id).unwrap());
    assert!(slipped(&item, &lb), "90 is below the 118 achieved at acceptance");
    assert!(!slipped(&item, &LookBack { figures: vec![("受理诉求".into(), 130.0)], ..lb.clone() }));
}

#[test]
fn highlights_rank_and_batches_are_bounded() {
    let (mut r, id) = setup();
    assert_eq!(highlight_criteria(&r, &id).len(), 8);
    act(&mut r, 3, |tx| save_highlight_score(tx, &HighlightScore { item: id.clone(), reviewer: "甲".into(), scores: vec![8.0; 8], ..Default::default() }))
        .unwrap();
    act(&mut r, 4, |tx| save_highlight_score(tx, &HighlightScore { item: id.clone(), reviewer: "乙".into(), scores: vec![9.0; 8], ..Default::default() }))
        .unwrap();
    assert_eq!(
        act(&mut r, 5, |tx| save_highlight_score(tx, &HighlightScore { item: id.clone(), reviewer: "丙".into(), scores: vec![11.0; 8], ..Default::default() }))
            .unwrap_err()
            .key,
        K::ErrScoreRange
    );
    let rank = highlight_ranking(&r);
    assert_eq!(rank, vec![(id.clone(), "心通桥网络理政".to_string(), 8500, 2)], "(80 + 90) / 2 of 100");
    let too_many = PromotionBatch { name: "2022年上半年".into(), items: vec![id.clone(); 11], date: Some(day()) };
    assert_eq!(act(&mut r, 6, |tx| save_batch(tx, &too_many)).unwrap_err().key, K::ErrBatchSize);
    act(&mut r, 7, |tx| save_batch(tx, &PromotionBatch { items: vec![id.clone()], ..too_many })).unwrap();
    let lid = act(&mut r, 8, |tx| {
        save_lead(
            tx,
            None,
            &PilotLead {
                title: "全国数字乡村试点".into(),
                level: Some(crate::domain::PilotLevel::National),
                quarter: "2022年第三季度".into(),
                unit: "县农业农村局".into(),
                won: false,
                item: String::new(),
            },
        )
    })
    .unwrap()
    .value;
    let won = PilotLead {
        title: "全国数字乡村试点".into(),
        level: Some(crate::domain::PilotLevel::National),
        quarter: "2022年第三季度".into(),
        unit: "县农业农村局".into(),
        won: true,
        item: String::new(),
    };
    // The lead's unit must be on file for the pilot item to name it: refused whole, then accepted.
    let before = r.clone();
    assert_eq!(act(&mut r, 9, |tx| save_lead(tx, Some(&lid), &won)).unwrap_err().key, K::ErrOrgUnknown);
    assert_eq!(r, before);
    act(&mut r, 10, |tx| crate::domain::org::save_unit(tx, None, &crate::domain::Unit { name: "县农业农村局".into(), ..Default::default() })).unwrap();
    act(&mut r, 11, |tx| save_lead(tx, Some(&lid), &won)).unwrap();
    let lead = from_record::<PilotLead>(r.get_live(&lid).unwrap());
    assert!(lead.won);
    let pilot: ReformItem = from_record(r.get_live(&lead.item).unwrap());
    assert_eq!(
        (pilot.kind, pilot.pilot_level, pilot.lead_unit.as_str(), pilot.status),
        (crate::domain::ItemKind::Pilot, Some(crate::domain::PilotLevel::National), "县农业农村局", Status::Proposed)
    );
    // Saving the won lead again creates no second item.
    let n = r.live(coll::ITEM).count();
    act(&mut r, 12, |tx| save_lead(tx, Some(&lid), &won)).unwrap();
    assert_eq!(r.live(coll::ITEM).count(), n);
}

#[test]
fn acceptance_form_is_parsed_with_the_same_range_rules() {
    let rules = AcceptanceRules::default();
    let row = |name: &str, s: [&str; 4]| (name.to_string(), s.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    let good = AcceptanceDraft {
        experts: vec![row(" 专家1 ", ["22", "31", "18", "18"]), row("专家2", ["21", "30", "17", "18"]), row("专家3", ["23", "33", "18", "19"])],
        satisfied: "168".into(),
        basic: " 27 ".into(),
        dissatisfied: "5".into(),
        respondents: "200".into(),
        required: vec!["办结率".into()],
    };
    let (experts, survey, required) = good.parse(&rules).unwrap();
    assert_eq!(experts[0], ExpertScore { name: "专家1".into(), scores: vec![22.0, 31.0, 18.0, 18.0] });
    assert_eq!(survey, Survey { satisfied: 168, basic: 27, dissatisfied: 5, respondents: 200 });
    assert_eq!(required, vec!["办结率".to_string()]);
    // A score that is not a number (or left empty) names the expert and the criterion.
    let mut d = good.clone();
    d.experts[1].1[2] = "十八".into();
    let e = d.parse(&rules).unwrap_err();
    assert_eq!((e.key, e.field), (K::ErrScoreRange, Some("experts")));
    assert_eq!(e.message(Lang::Zh), "“专家2”的“可复制推广”评分须在0到20.00之间");
    d.experts[1].1[2] = " ".into();
    assert_eq!(d.parse(&rules).unwrap_err().key, K::ErrScoreRange);
    // Above the criterion's maximum: the same refusal `evaluate` gives, word for word.
    let mut d = good.clone();
    d.experts[0].1[0] = "26".into();
    let e = d.parse(&rules).unwrap_err();
    assert_eq!(e.message(Lang::Zh), "“专家1”的“创新性”评分须在0到25.00之间");
    let over = panel(&[[26.0, 30.0, 15.0, 15.0], [20.0, 30.0, 15.0, 15.0], [20.0, 30.0, 15.0, 15.0]]);
    let (r, id) = setup();
    let item: ReformItem = from_record(r.get_live(&id).unwrap());
    let ok = Survey { satisfied: 30, basic: 0, dissatisfied: 0, respondents: 30 };
    assert_eq!(evaluate(&rules, &item, &over, &ok, &[]).unwrap_err(), e);
    d.experts[0].1[0] = "25".into();
    assert!(d.parse(&rules).is_ok());
    d.experts[0].1[0] = "-0.5".into();
    assert_eq!(d.parse(&rules).unwrap_err().key, K::ErrScoreRange);
    // A negative or fractional count names its box; a count that is not a number names the survey.
    let mut d = good.clone();
    d.basic = "-3".into();
    let e = d.parse(&rules).unwrap_err();
    assert_eq!((e.key, e.field), (K::ErrNegative, Some("basic")));
    assert_eq!(e.message(Lang::Zh), "“群众满意度调查”的“基本满意”不能为负数或小数");
    d.basic = "2.5".into();
    assert_eq!(d.parse(&rules).unwrap_err().field, Some("basic"));
    let mut d = good.clone();
    d.respondents = "两百".into();
    let e = d.parse(&rules).unwrap_err();
    assert_eq!((e.key, e.field), (K::ErrNotANumber, Some("respondents")));
    assert_eq!(e.message(Lang::Zh), "“群众满意度调查”须为数字");
    d.respondents = String::new();
    assert_eq!(d.parse(&rules).unwrap_err().field, Some("respondents"));
    // The form round-trips a saved acceptance.
    let saved = Acceptance { experts: experts.clone(), survey: survey.clone(), required: required.clone(), ..Default::default() };
    assert_eq!(AcceptanceDraft::from_saved(&saved).parse(&rules).unwrap(), (experts, survey, required));
    assert_eq!(AcceptanceDraft::blank(4).experts, vec![(String::new(), vec![String::new(); 4]); 3]);
}

use proptest::prelude::*;

/// Whatever the panel, survey and outcomes: every component and the composite stay within
/// 0–100 (outcomes capped), the grade follows the composite, and a veto always fails.
#[test]
fn acceptance_stays_in_bounds() {
    let strategy =
        (prop::collection::vec(prop::collection::vec(0.0..=1.0f64, 4), 3..9), (0u32..300, 0u32..300, 0u32..300), prop::collection::vec(0.0..300.0f64, 1..4));
    crate::check_property("acceptance_stays_in_bounds", file!(), 256, strategy, |(panel, counts, actuals)| {
        let rules = AcceptanceRules::default();
        let experts: Vec<ExpertScore> = panel
            .iter()
            .enumerate()
            .map(|(n, f)| ExpertScore {
                name: format!("e{n}"),
                scores: f.iter().zip(&rules.criteria).map(|(x, (_, m))| (x * m * 100.0).round() / 100.0).collect(),
            })
            .collect();
        let (a, b, c) = counts;
        let survey = Survey { satisfied: a, basic: b, dissatisfied: c, respondents: a + b + c };
        let item = ReformItem {
            indicators: actuals
                .iter()
                .enumerate()
                .map(|(n, v)| Indicator { name: format!("i{n}"), unit: String::new(), target: 100.0, actual: Some(*v) })
                .collect(),
            ..Default::default()
        };
        match evaluate(&rules, &item, &experts, &survey, &[]) {
            Err(e) => prop_assert_eq!(e.key, K::ErrSampleSmall),
            Ok(r) => {
                for x in [r.experts, r.satisfaction, r.outcomes, r.composite] {
                    prop_assert!((0..=10_000).contains(&x), "{}", x);
                }
                prop_assert_eq!(r.passed, r.vetoes.is_empty() && r.composite >= 6000);
                if !r.vetoes.is_empty() {
                    prop_assert_eq!(r.grade, Grade::Fail);
                }
                prop_assert_eq!(r.trimmed.len(), if experts.len() >= 5 { 2 } else { 0 });
            }
        }
        Ok(())
    });
}
