use super::*;
use crate::domain::ops::{accept, advance, save_item_adding_names, setup_office, transition};
use crate::domain::review::{self, save_highlight_score, ExpertScore, Grade, HighlightScore, LookBack, PromotionBatch, Survey};
use crate::domain::tx::act;
use crate::domain::{Approval, Indicator, Office, ReformItem, Status};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn office() -> Registry {
    let mut r = Registry::new("A");
    act(&mut r, 1, d(2026, 1, 5), "", |tx| setup_office(tx, &Office { name: "开江县委改革办".into(), ..Default::default() })).unwrap();
    r
}

/// 开江's own weights: experts 50, public 30, outcomes 20, three criteria, pass at 70.
fn kaijiang() -> YearRules {
    let draft = RulesDraft {
        acceptance_criteria: "创新性：30\n改革成效 40\n可复制推广，30".into(),
        weight_experts: "50".into(),
        weight_public: "30".into(),
        weight_outcomes: "20".into(),
        excellent: "90".into(),
        good: "80".into(),
        pass: "70".into(),
        veto: "60".into(),
        min_sample: "30".into(),
        highlight: "创新性 20\n群众参与度 10\n改革成效 20\n重要性 10\n节约成本 10\n可复制推广 10\n示范带动 10\n社会影响 10".into(),
        promote_min: "70".into(),
        promote_max: "10".into(),
        lookback_months: "12".into(),
    };
    draft.to_rules(&YearRules::default()).unwrap()
}

/// An item completed with one indicator met, ready for acceptance.
fn completed(r: &mut Registry, title: &str, at: i64) -> String {
    let item = ReformItem {
        title: title.into(),
        year: 2026,
        lead_unit: "县行政审批局".into(),
        deadline: Some(d(2026, 12, 31)),
        indicators: vec![Indicator { name: "办件量".into(), unit: "件".into(), target: 100.0, actual: Some(100.0) }],
        ..Default::default()
    };
    let id = act(r, at, d(2026, 2, 1), "", |tx| save_item_adding_names(tx, None, &item)).unwrap().value;
    act(r, at + 1, d(2026, 2, 1), "", |tx| {
        review::save_risk_review(tx, &id, &review::low_risk_review("县司法局", d(2026, 2, 1)))?;
        transition(tx, &id, Status::RiskReviewed, "")?;
        advance(tx, &id, Status::Approved, "", Some(&Approval { meeting: "县委深改委第2次会议".into(), date: Some(d(2026, 1, 30)), number: String::new() }))?;
        transition(tx, &id, Status::InProgress, "")?;
        advance(tx, &id, Status::Completed, "", None)
    })
    .unwrap();
    id
}

fn experts(scores: &[[f64; 3]]) -> Vec<ExpertScore> {
    scores.iter().enumerate().map(|(n, s)| ExpertScore { name: format!("专家{n}"), scores: s.to_vec() }).collect()
}

#[test]
fn an_office_accepts_with_its_own_weights_and_a_later_change_leaves_the_result() {
    let mut r = office();
    act(&mut r, 2, d(2026, 1, 6), "", |tx| save(tx, 2026, &kaijiang())).unwrap();
    let id = completed(&mut r, "工程建设项目审批改革", 10);
    let survey = Survey { satisfied: 24, basic: 3, dissatisfied: 3, respondents: 30 };
    // Experts 24+30+21 = 75 each; satisfaction 27/30 = 90; outcomes 100.
    let res = act(&mut r, 20, d(2026, 3, 1), "", |tx| accept(tx, &id, &experts(&[[24.0, 30.0, 21.0]; 3]), &survey, &[])).unwrap().value;
    // 75 × 50 % + 90 × 30 % + 100 × 20 % = 37.5 + 27 + 20 = 84.50 (the default 40/30/30 gives 87.00).
    assert_eq!(res.composite, 8450);
    assert_eq!(res.grade, Grade::Good);
    // The office raises the bar for 2026: the recorded acceptance keeps its result and its rules.
    let mut stricter = kaijiang();
    stricter.acceptance.good = 85.0;
    stricter.acceptance.excellent = 95.0;
    act(&mut r, 30, d(2026, 3, 2), "", |tx| save(tx, 2026, &stricter)).unwrap();
    let a = review::acceptance(&r, &id).unwrap();
    assert_eq!((a.result.composite, a.result.grade), (8450, Grade::Good));
    assert_eq!(a.rules.unwrap().weight_experts, 50.0);
    assert_eq!(for_year(&r, 2026).acceptance.good, 85.0);
    // A year without its own rules takes the latest earlier year's.
    assert_eq!(for_year(&r, 2027).acceptance.good, 85.0);
    assert_eq!(for_year(&r, 2025).acceptance.good, 85.0, "no earlier year: the earliest set");
}

#[test]
fn rules_that_do_not_add_up_are_refused_and_change_nothing() {
    let mut r = office();
    let before = r.clone();
    let bad: Vec<(RulesDraft, K)> = vec![
        (RulesDraft { acceptance_criteria: "创新性 30\n改革成效 40".into(), ..RulesDraft::from_rules(&kaijiang()) }, K::ErrRuleSum100),
        (RulesDraft { weight_outcomes: "30".into(), ..RulesDraft::from_rules(&kaijiang()) }, K::ErrAcceptWeights),
        (RulesDraft { pass: "85".into(), ..RulesDraft::from_rules(&kaijiang()) }, K::ErrRuleBands),
        (RulesDraft { highlight: "创新性 50\n创新性 50".into(), ..RulesDraft::from_rules(&kaijiang()) }, K::ErrDuplicateName),
        (RulesDraft { highlight: "创新性".into(), ..RulesDraft::from_rules(&kaijiang()) }, K::ErrRuleLine),
        (RulesDraft { lookback_months: "61".into(), ..RulesDraft::from_rules(&kaijiang()) }, K::ErrRuleLookback),
        (RulesDraft { min_sample: "2.5".into(), ..RulesDraft::from_rules(&kaijiang()) }, K::ErrRuleSample),
    ];
    for (draft, key) in &bad {
        assert_eq!(draft.to_rules(&YearRules::default()).unwrap_err().key, *key, "{draft:?}");
    }
    let mut unbalanced = kaijiang();
    unbalanced.highlight[0].weight = 30.0;
    assert_eq!(act(&mut r, 2, d(2026, 1, 6), "", |tx| save(tx, 2026, &unbalanced)).unwrap_err().key, K::ErrRuleSum100);
    assert_eq!(r, before);
    // The same rules twice: the second save records nothing.
    act(&mut r, 3, d(2026, 1, 6), "", |tx| save(tx, 2026, &kaijiang())).unwrap();
    assert!(act(&mut r, 4, d(2026, 1, 6), "", |tx| save(tx, 2026, &kaijiang())).unwrap().changes.is_empty());
    // The form shows what was saved, and reads back the same.
    assert_eq!(RulesDraft::from_rules(&kaijiang()).to_rules(&YearRules::default()).unwrap(), kaijiang());
}

#[test]
fn own_highlight_standards_weigh_the_score_and_promotion_needs_the_line() {
    let mut r = office();
    act(&mut r, 2, d(2026, 1, 6), "", |tx| save(tx, 2026, &kaijiang())).unwrap();
    let good = completed(&mut r, "一件事一次办", 10);
    let weak = completed(&mut r, "帮办代办", 20);
    // 10 on 创新性 (weight 20) and 改革成效 (20), 5 elsewhere (60): 20 + 20 + 30 = 70.
    let sheet = |item: &str, s: Vec<f64>| HighlightScore { item: item.into(), reviewer: "评审组".into(), scores: s, ..Default::default() };
    act(&mut r, 30, d(2026, 6, 1), "", |tx| save_highlight_score(tx, &sheet(&good, vec![10.0, 5.0, 10.0, 5.0, 5.0, 5.0, 5.0, 5.0]))).unwrap();
    // Strong where the weights are low: 10 + 10 + 10 + 10 + 4 + 5 + 5 + 5 = 59.
    act(&mut r, 31, d(2026, 6, 1), "", |tx| save_highlight_score(tx, &sheet(&weak, vec![5.0, 10.0, 5.0, 10.0, 4.0, 5.0, 5.0, 5.0]))).unwrap();
    let rank = review::highlight_ranking(&r);
    assert_eq!(rank.iter().map(|x| x.2).collect::<Vec<_>>(), vec![7000, 5900]);
    assert_eq!(review::propose_batch(&r, review::Pick::AtLeast(70.0)), vec![good.clone()]);
    assert_eq!(review::propose_batch(&r, review::Pick::Top(10)).len(), 2);
    // The top 10 would include the 59-point item: the line refuses it, naming it.
    let both = PromotionBatch { name: "2026年上半年".into(), items: vec![good.clone(), weak.clone()], date: Some(d(2026, 6, 30)) };
    let e = act(&mut r, 40, d(2026, 6, 30), "", |tx| review::save_batch(tx, &both)).unwrap_err();
    assert_eq!(e.key, K::ErrPromoteBelow);
    assert!(e.message(crate::i18n::Lang::Zh).contains("帮办代办"));
    act(&mut r, 41, d(2026, 6, 30), "", |tx| review::save_batch(tx, &PromotionBatch { items: vec![good.clone()], ..both.clone() })).unwrap();
    // Re-weighting the standards later leaves the recorded sheet's total as scored.
    let mut other = kaijiang();
    other.highlight = default_highlight();
    act(&mut r, 50, d(2026, 7, 1), "", |tx| save(tx, 2026, &other)).unwrap();
    assert_eq!(review::highlight_ranking(&r)[0].2, 7000);
}

#[test]
fn a_look_back_is_scheduled_and_a_slipping_one_is_followed_up_once() {
    let mut r = office();
    act(&mut r, 2, d(2026, 1, 6), "", |tx| save(tx, 2026, &kaijiang())).unwrap();
    let id = completed(&mut r, "工程建设项目审批改革", 10);
    let survey = Survey { satisfied: 27, basic: 0, dissatisfied: 3, respondents: 30 };
    act(&mut r, 20, d(2026, 3, 1), "", |tx| accept(tx, &id, &experts(&[[28.0, 38.0, 28.0]; 3]), &survey, &[])).unwrap();
    assert!(review::lookbacks_due(&r, d(2026, 12, 31)).is_empty(), "not yet");
    assert_eq!(review::lookbacks_due(&r, d(2027, 2, 15)), vec![(id.clone(), "工程建设项目审批改革".to_string(), d(2027, 3, 1))]);
    // Reopening an accepted item needs a slipping look-back.
    assert_eq!(act(&mut r, 21, d(2027, 3, 2), "", |tx| transition(tx, &id, Status::InProgress, "成效反弹")).unwrap_err().key, K::ErrReopenNeedsLookback);
    let lb = LookBack {
        item: id.clone(),
        date: Some(d(2027, 3, 2)),
        figures: vec![("办件量".into(), 60.0)],
        finding: review::Finding3::Lapsed,
        note: "办件量回落".into(),
        ..Default::default()
    };
    let lid = act(&mut r, 22, d(2027, 3, 2), "", |tx| review::save_lookback(tx, &lb)).unwrap().value;
    assert!(review::lookbacks_due(&r, d(2027, 3, 5)).is_empty(), "done");
    assert_eq!(review::followups_pending(&r).len(), 1);
    act(&mut r, 23, d(2027, 3, 3), "", |tx| review::reopen_after_lookback(tx, &lid, "回头看发现成效反弹，重新推进")).unwrap();
    assert_eq!(crate::domain::model::from_record::<ReformItem>(r.get_live(&id).unwrap()).status, Status::InProgress);
    assert!(review::followups_pending(&r).is_empty());
    let before = r.clone();
    assert_eq!(act(&mut r, 24, d(2027, 3, 3), "", |tx| review::reopen_after_lookback(tx, &lid, "再来一次")).unwrap_err().key, K::ErrNoFollowUpNeeded);
    assert_eq!(r, before);
}

#[test]
fn approval_records_the_meeting_and_closing_needs_the_work_done_or_a_reason() {
    let mut r = office();
    let item = ReformItem {
        title: "城乡供水一体化".into(),
        year: 2026,
        lead_unit: "县水务局".into(),
        deadline: Some(d(2026, 12, 31)),
        milestones: vec![crate::domain::Milestone { title: "完成管网".into(), due: Some(d(2026, 6, 30)), done: false }],
        ..Default::default()
    };
    let id = act(&mut r, 2, d(2026, 2, 1), "", |tx| save_item_adding_names(tx, None, &item)).unwrap().value;
    act(&mut r, 3, d(2026, 2, 1), "", |tx| {
        review::save_risk_review(tx, &id, &review::low_risk_review("县司法局", d(2026, 2, 1)))?;
        transition(tx, &id, Status::RiskReviewed, "")
    })
    .unwrap();
    let before = r.clone();
    let no_date = Approval { meeting: "县委深改委第2次会议".into(), date: None, number: String::new() };
    for a in [None, Some(&no_date)] {
        assert_eq!(act(&mut r, 4, d(2026, 2, 2), "", |tx| advance(tx, &id, Status::Approved, "", a)).unwrap_err().key, K::ErrApprovalMeeting);
    }
    assert_eq!(r, before);
    let meeting = Approval { meeting: "县委深改委第2次会议".into(), date: Some(d(2026, 2, 2)), number: "县深改委〔2026〕2号".into() };
    act(&mut r, 5, d(2026, 2, 2), "", |tx| advance(tx, &id, Status::Approved, "", Some(&meeting))).unwrap();
    let saved: ReformItem = crate::domain::model::from_record(r.get_live(&id).unwrap());
    assert_eq!(saved.approval, Some(meeting));
    // Editing the item keeps the meeting.
    act(&mut r, 6, d(2026, 2, 3), "", |tx| crate::domain::ops::save_item(tx, Some(&id), &ReformItem { goal: "全县通水".into(), ..item.clone() })).unwrap();
    assert!(crate::domain::model::from_record::<ReformItem>(r.get_live(&id).unwrap()).approval.is_some());
    act(&mut r, 7, d(2026, 2, 3), "", |tx| transition(tx, &id, Status::InProgress, "")).unwrap();
    let e = act(&mut r, 8, d(2026, 11, 3), "", |tx| advance(tx, &id, Status::Completed, "", None)).unwrap_err();
    assert_eq!(e.key, K::ErrCompleteUnfinished);
    assert!(e.message(crate::i18n::Lang::Zh).starts_with("还有 1 个节点未完成"));
    act(&mut r, 9, d(2026, 11, 3), "", |tx| advance(tx, &id, Status::Completed, "管网并入省级项目，节点取消", None)).unwrap();
}

#[test]
fn a_handed_down_task_is_proposed_once_and_a_notice_by_hand_names_a_unit_on_file() {
    use crate::domain::monthly::{self, NoticeDraft, NoticeKind};
    let mut r = office();
    let item = ReformItem {
        title: "深化“无证明城市”建设".into(),
        year: 2026,
        kind: crate::domain::ItemKind::Mandated,
        source_level: Some(crate::domain::SourceLevel::Province),
        source_doc: "鲁改委发〔2026〕2号".into(),
        lead_unit: "市大数据局".into(),
        deadline: Some(d(2026, 12, 31)),
        ..Default::default()
    };
    let id = act(&mut r, 2, d(2026, 2, 1), "", |tx| save_item_adding_names(tx, None, &item)).unwrap().value;
    act(&mut r, 3, d(2026, 2, 1), "", |tx| {
        review::save_risk_review(tx, &id, &review::low_risk_review("市司法局", d(2026, 2, 1)))?;
        transition(tx, &id, Status::RiskReviewed, "")?;
        advance(tx, &id, Status::Approved, "", Some(&Approval { meeting: "市委深改委第1次会议".into(), date: Some(d(2026, 2, 1)), number: String::new() }))
    })
    .unwrap();
    let today = d(2026, 2, 3);
    let props = monthly::proposals(&r, today, &monthly::Rules::default(), &Default::default());
    let hand = props.iter().find(|p| p.kind == NoticeKind::Assignment).expect("a 交办单 is proposed");
    assert_eq!((hand.unit.as_str(), hand.source_doc.as_str()), ("市大数据局", "鲁改委发〔2026〕2号"));
    let draft = NoticeDraft {
        kind: Some(NoticeKind::Assignment),
        unit: hand.unit.clone(),
        items: hand.items.clone(),
        requirement: "请按省里部署推进".into(),
        reply_by: Some(d(2026, 2, 20)),
        source_doc: hand.source_doc.clone(),
    };
    // Refused drafts change nothing: no document, no reply date, a unit not on file.
    let before = r.clone();
    for (bad, key) in [
        (NoticeDraft { source_doc: " ".into(), ..draft.clone() }, K::ErrRequired),
        (NoticeDraft { reply_by: None, ..draft.clone() }, K::ErrRequired),
        (NoticeDraft { unit: "市大数局".into(), items: vec![], ..draft.clone() }, K::ErrOrgUnknown),
    ] {
        assert_eq!(act(&mut r, 4, today, "", |tx| monthly::issue(tx, &bad)).unwrap_err().key, key);
    }
    assert_eq!(r, before);
    let nid = act(&mut r, 5, today, "", |tx| monthly::issue(tx, &draft)).unwrap().value;
    assert_eq!(monthly::notices_of(&r, &id).iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(), vec![nid]);
    // Handed down once: no second proposal.
    assert!(monthly::proposals(&r, today, &monthly::Rules::default(), &Default::default()).iter().all(|p| p.kind != NoticeKind::Assignment));
}

/// Runs an action and keeps its changes, as the office's file would carry them.
fn logged<T>(
    log: &mut Vec<crate::sync::Change>,
    r: &mut Registry,
    ms: i64,
    day: NaiveDate,
    f: impl FnOnce(&mut crate::domain::tx::Tx) -> Result<T, DomainError>,
) -> T {
    let done = act(r, ms, day, "", f).unwrap();
    log.extend(done.changes);
    done.value
}

#[test]
fn a_reopened_item_travels_with_its_look_back_and_cannot_travel_without_it() {
    let (mut a, mut log) = (Registry::new("A"), vec![]);
    logged(&mut log, &mut a, 1, d(2026, 1, 5), |tx| {
        setup_office(tx, &Office { name: "开江县委改革办".into(), ..Default::default() })?;
        save(tx, 2026, &kaijiang())
    });
    let item = ReformItem {
        title: "工程建设项目审批改革".into(),
        year: 2026,
        lead_unit: "县行政审批局".into(),
        deadline: Some(d(2026, 12, 31)),
        indicators: vec![Indicator { name: "办件量".into(), unit: "件".into(), target: 100.0, actual: Some(100.0) }],
        ..Default::default()
    };
    let id = logged(&mut log, &mut a, 2, d(2026, 2, 1), |tx| save_item_adding_names(tx, None, &item));
    logged(&mut log, &mut a, 3, d(2026, 2, 1), |tx| {
        review::save_risk_review(tx, &id, &review::low_risk_review("县司法局", d(2026, 2, 1)))?;
        transition(tx, &id, Status::RiskReviewed, "")?;
        advance(tx, &id, Status::Approved, "", Some(&Approval { meeting: "县委深改委第2次会议".into(), date: Some(d(2026, 1, 30)), number: String::new() }))?;
        transition(tx, &id, Status::InProgress, "")?;
        transition(tx, &id, Status::Completed, "")?;
        let survey = Survey { satisfied: 30, basic: 0, dissatisfied: 0, respondents: 30 };
        accept(tx, &id, &experts(&[[28.0, 38.0, 28.0]; 3]), &survey, &[]).map(|_| ())
    });
    let lb = LookBack {
        item: id.clone(),
        date: Some(d(2027, 3, 2)),
        figures: vec![("办件量".into(), 50.0)],
        finding: review::Finding3::Lapsed,
        ..Default::default()
    };
    let before_lb = log.len();
    let lid = logged(&mut log, &mut a, 4, d(2027, 3, 2), |tx| review::save_lookback(tx, &lb));
    let lb_dots: Vec<_> = log[before_lb..].iter().map(|c| c.dot.clone()).collect();
    logged(&mut log, &mut a, 5, d(2027, 3, 3), |tx| review::reopen_after_lookback(tx, &lid, "成效反弹，重新推进"));
    // A peer replays the file: the move back to 推进中 reads the look-back that came with it.
    let peer = Registry::new("B");
    assert!(crate::domain::lifecycle::check_incoming_moves(&peer, &log, &|_| None).is_ok());
    // The same file without the look-back: the reopening is refused, naming the rule.
    let forged: Vec<_> = log.iter().filter(|c| !lb_dots.contains(&c.dot)).cloned().collect();
    let (_, e) = crate::domain::lifecycle::check_incoming_moves(&peer, &forged, &|_| None).unwrap_err();
    assert_eq!(e.key, K::ErrReopenNeedsLookback);
}

#[test]
fn an_items_reports_are_its_own_newest_first() {
    let mut r = office();
    let mk = |t: &str| ReformItem { title: t.into(), year: 2026, lead_unit: "县水务局".into(), ..Default::default() };
    let a = act(&mut r, 2, d(2026, 3, 1), "", |tx| save_item_adding_names(tx, None, &mk("甲"))).unwrap().value;
    let b = act(&mut r, 3, d(2026, 3, 1), "", |tx| save_item_adding_names(tx, None, &mk("乙"))).unwrap().value;
    use crate::domain::monthly::{self, Month, Report};
    for (n, (id, m)) in [(&a, 1), (&b, 1), (&a, 2)].into_iter().enumerate() {
        let rep = Report { done: format!("进展{n}"), ..Default::default() };
        act(&mut r, 10 + n as i64, d(2026, 3, 1), "", |tx| monthly::file_report(tx, id, Month { year: 2026, month: m }, &rep)).unwrap();
    }
    // The item's other records share the id prefix and are not reports.
    act(&mut r, 20, d(2026, 3, 1), "", |tx| review::save_risk_review(tx, &a, &review::low_risk_review("县司法局", d(2026, 3, 1)))).unwrap();
    let got: Vec<String> = monthly::reports_of(&r, &a).into_iter().map(|x| x.month).collect();
    assert_eq!(got, vec!["2026-02".to_string(), "2026-01".to_string()]);
    assert_eq!(monthly::reports_of(&r, &b).len(), 1);
}
