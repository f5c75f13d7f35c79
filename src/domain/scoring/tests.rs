use super::*;
use crate::domain::model::ReformItem;
use crate::domain::model::Status;
use crate::i18n::Lang;
use proptest::prelude::*;

fn subj(id: &str) -> Subject {
    Subject { id: id.into(), name: id.into(), group: None, group_weight: 0.0 }
}

/// A plan with all five methods: 40 ratio + 30 rubric + 20 deduction + 10 computed = 100, bonus cap 5.
fn plan(subjects: &[&str]) -> Plan {
    Plan {
        name: "2022年度全面深化改革考核".into(),
        year: 2022,
        subjects: subjects.iter().map(|s| subj(s)).collect(),
        indicators: vec![
            IndicatorDef {
                id: "tasks".into(), name: "改革任务完成".into(), group: "改革推进".into(), max_points: 40.0, method: Method::Ratio { cap: 1.2 }
            },
            IndicatorDef {
                id: "quality".into(),
                name: "改革成效".into(),
                group: "改革推进".into(),
                max_points: 30.0,
                method: Method::Rubric { levels: vec![("好".into(), 30.0), ("较好".into(), 24.0), ("一般".into(), 18.0), ("差".into(), 10.0)] },
            },
            IndicatorDef {
                id: "overdue".into(),
                name: "逾期扣分".into(),
                group: "督察落实".into(),
                max_points: 20.0,
                method: Method::Deduction { per_event: 2.5 },
            },
            IndicatorDef {
                id: "schedule".into(),
                name: "按期推进率".into(),
                group: "督察落实".into(),
                max_points: 10.0,
                method: Method::Computed { measure: Measure::OnScheduleRate },
            },
            IndicatorDef {
                id: "bonus".into(),
                name: "加分项".into(),
                group: "加分".into(),
                max_points: 5.0,
                method: Method::Bonus { per_event: 2.0, cap: 5.0 },
            },
        ],
        monthly_share: 50.0,
        red_below: 60.0,
        green_from: 85.0,
    }
}

fn inputs(actual: f64, target: f64, level: &str, overdue: f64, bonus: f64) -> BTreeMap<String, Input> {
    BTreeMap::from([
        ("tasks".into(), Input::Ratio { actual, target }),
        ("quality".into(), Input::Level { level: level.into() }),
        ("overdue".into(), Input::Count { n: overdue }),
        ("bonus".into(), Input::Count { n: bonus }),
    ])
}

fn item(title: &str, unit: &str, deadline: (i32, u32, u32), status: Status) -> (String, ReformItem) {
    (
        title.into(),
        ReformItem {
            title: title.into(),
            lead_unit: unit.into(),
            year: 2022,
            deadline: NaiveDate::from_ymd_opt(deadline.0, deadline.1, deadline.2),
            status,
            ..Default::default()
        },
    )
}

#[test]
fn rounding_is_half_away_from_zero_on_the_decimal_value() {
    assert_eq!(round2(2.675), 268); // binary 2.67499999… but 2.675 on paper
    assert_eq!(round2(1.005), 101);
    assert_eq!(round2(0.125), 13);
    assert_eq!(round2(0.124999), 12);
    assert_eq!(round2(-2.675), -268);
    assert_eq!(round2(0.004), 0);
    assert_eq!(round2(0.005), 1);
    assert_eq!(round2(99.999), 10000);
    assert_eq!(round2(33.333333333), 3333);
    assert_eq!(round2(1234567.891), 123456789);
    assert_eq!(round2(0.0), 0);
    assert_eq!(fmt_points(-5), "-0.05");
}

#[test]
fn each_method_worked_by_hand() {
    let p = plan(&["张店区"]);
    let s = &p.subjects[0];
    let at = NaiveDate::from_ymd_opt(2022, 3, 31).unwrap();
    let items = vec![
        item("甲", "张店区", (2022, 2, 28), Status::InProgress), // overdue on 3-31
        item("乙", "张店区", (2022, 6, 30), Status::InProgress),
        item("丙", "张店区", (2022, 6, 30), Status::Approved),
        item("丁", "张店区", (2022, 1, 31), Status::AwaitingDeployment), // excluded
        item("戊", "淄川区", (2022, 1, 31), Status::InProgress),         // other unit
    ];
    let line = |id: &str, inp: Option<Input>| score_indicator(p.indicators.iter().find(|d| d.id == id).unwrap(), s, inp.as_ref(), &items, at).unwrap();
    // Ratio: 40 × min(1.2, 11/12) = 36.666… → 36.67
    assert_eq!(line("tasks", Some(Input::Ratio { actual: 11.0, target: 12.0 })).points, 3667);
    // Over-achievement up to the cap: 40 × min(1.2, 15/10) = 48.00
    assert_eq!(line("tasks", Some(Input::Ratio { actual: 15.0, target: 10.0 })).points, 4800);
    // Rubric: 较好 = 24
    assert_eq!(line("quality", Some(Input::Level { level: "较好".into() })).points, 2400);
    // Deduction: 20 − 2.5 × 3 = 12.5; floored at zero with 9 events.
    assert_eq!(line("overdue", Some(Input::Count { n: 3.0 })).points, 1250);
    assert_eq!(line("overdue", Some(Input::Count { n: 9.0 })).points, 0);
    // Computed: 2 of 3 counted items on schedule → 10 × 2/3 = 6.67, and it names the items.
    let c = line("schedule", None);
    assert_eq!(c.points, 667);
    assert_eq!(c.items, vec!["甲", "乙", "丙"]);
    // Bonus: min(5, 2 × 3) = 5.
    assert_eq!(line("bonus", Some(Input::Count { n: 3.0 })).points, 500);
}

#[test]
fn a_month_ranks_with_shared_ranks_and_change() {
    let p = plan(&["张店区", "淄川区", "博山区", "周村区"]);
    let items = vec![];
    let mut m1 = MonthInputs::new();
    m1.insert("张店区".into(), inputs(12.0, 12.0, "好", 0.0, 1.0)); // 40+30+20+10+2 = 102
    m1.insert("淄川区".into(), inputs(6.0, 12.0, "一般", 2.0, 0.0)); // 20+18+15+10 = 63
    m1.insert("博山区".into(), inputs(6.0, 12.0, "一般", 2.0, 0.0)); // 63, tie
    m1.insert("周村区".into(), inputs(3.0, 12.0, "差", 4.0, 0.0)); // 10+10+10+10 = 40
    let r1 = compute_month(&p, &m1, &items, 1, None).unwrap();
    let view: Vec<(&str, Cents, usize)> = r1.iter().map(|r| (r.name.as_str(), r.total, r.rank)).collect();
    assert_eq!(view, vec![("张店区", 10200, 1), ("博山区", 6300, 2), ("淄川区", 6300, 2), ("周村区", 4000, 4)]);
    assert_eq!(r1[0].band, Band::Green);
    assert_eq!(r1[1].band, Band::Amber);
    assert_eq!(r1[3].band, Band::Red);
    assert!(r1[0].total > 10_000, "bonus lifts above 100 as far as its cap allows");
    let mut m2 = m1.clone();
    m2.insert("周村区".into(), inputs(12.0, 12.0, "好", 0.0, 0.0)); // 100
    let r2 = compute_month(&p, &m2, &items, 2, Some(&r1)).unwrap();
    let zc = r2.iter().find(|r| r.name == "周村区").unwrap();
    assert_eq!((zc.rank, zc.change), (2, Some(2)));
    let bs = r2.iter().find(|r| r.name == "博山区").unwrap();
    assert_eq!((bs.rank, bs.change), (3, Some(-1)));
}

#[test]
fn group_weight_blends_and_composite_combines() {
    let mut p = plan(&["县教育局", "社会体制改革专项小组"]);
    p.subjects[0].group = Some("社会体制改革专项小组".into());
    p.subjects[0].group_weight = 20.0;
    let mut m = MonthInputs::new();
    m.insert("县教育局".into(), inputs(12.0, 12.0, "好", 0.0, 0.0)); // own 100
    m.insert("社会体制改革专项小组".into(), inputs(6.0, 12.0, "一般", 2.0, 0.0)); // 63
    let r = compute_month(&p, &m, &[], 1, None).unwrap();
    let edu = r.iter().find(|x| x.name == "县教育局").unwrap();
    assert_eq!(edu.own, 10000);
    assert_eq!(edu.total, 9260, "100 × 80% + 63 × 20% = 92.60");
    // The explanation adds up: the lines give the unit's own points, the blend turns them into the total.
    let b = edu.blend.as_ref().unwrap();
    assert_eq!(edu.lines.iter().filter(|l| l.indicator != "bonus").map(|l| l.points).sum::<Cents>(), edu.own);
    assert_eq!((b.group_name.as_str(), b.group_points, b.weight, b.blended + edu.bonus), ("社会体制改革专项小组", 6300, 20.0, edu.total));
    // The group is ranked in its own table, not against the unit.
    let g = r.iter().find(|x| x.is_group).unwrap();
    assert_eq!((g.name.as_str(), g.rank, edu.rank), ("社会体制改革专项小组", 1, 1));
    // Year-end: monthly average (90 + 80 + 85.5)/3 = 85.1666… × 50% + 92 × 50% = 88.58
    assert_eq!(year_end(&[9000, 8000, 8550], 92.0, 50.0), 8858);
    assert_eq!(year_end(&[9000], 80.0, 30.0), 8300);
}

#[test]
fn bad_figures_and_bad_plans_compute_nothing() {
    let p = plan(&["张店区", "淄川区"]);
    let mut m = MonthInputs::new();
    m.insert("张店区".into(), inputs(12.0, 0.0, "好", 0.0, 0.0));
    let errs = compute_month(&p, &m, &[], 1, None).unwrap_err();
    let msgs: Vec<String> = errs.iter().map(|e| e.message(Lang::Zh)).collect();
    assert!(msgs.contains(&"“张店区”的“改革任务完成”目标值须大于0".to_string()), "{msgs:?}");
    assert!(msgs.iter().any(|m| m == "缺少“淄川区”的“改革任务完成”数据"));
    m.insert("张店区".into(), inputs(-1.0, 12.0, "好", 0.0, 0.0));
    assert!(compute_month(&p, &m, &[], 1, None).is_err());
    m.insert("张店区".into(), inputs(1.0, 12.0, "优", 0.0, 0.0));
    assert!(compute_month(&p, &m, &[], 1, None).unwrap_err().iter().any(|e| e.key == K::ErrWrongFigure));

    let mut bad = plan(&["张店区"]);
    bad.indicators[0].max_points = 35.0;
    assert_eq!(validate_plan(&bad).unwrap_err().message(Lang::Zh), "基础指标分值合计须为100分（当前为95.00分）");
    let mut bad = plan(&["张店区"]);
    bad.indicators[0].method = Method::Ratio { cap: 0.9 };
    assert_eq!(validate_plan(&bad).unwrap_err().key, K::ErrCapBelowOne);
    let mut bad = plan(&["张店区"]);
    bad.subjects[0].group_weight = 120.0;
    assert_eq!(validate_plan(&bad).unwrap_err().key, K::ErrWeight);
}

#[test]
fn supervision_hooks() {
    let p = plan(&["A", "B", "C"]);
    let month = |a: f64, b: f64, c: f64| {
        let mut m = MonthInputs::new();
        for (s, x) in [("A", a), ("B", b), ("C", c)] {
            m.insert(s.into(), inputs(x, 12.0, "一般", 0.0, 0.0));
        }
        compute_month(&p, &m, &[], 1, None).unwrap()
    };
    let months = vec![month(12.0, 6.0, 3.0), month(3.0, 12.0, 6.0), month(12.0, 6.0, 3.0), month(12.0, 6.0, 3.0)];
    assert_eq!(last_place_streak(&months, "C"), 2);
    assert_eq!(last_place_streak(&months, "A"), 0);
    assert_eq!(last_place_streak(&months[..2], "A"), 1);
    assert!(below(&months[3], "C", 60.0)); // 10 + 18 + 20 + 10 = 58
    assert!(!below(&months[3], "A", 60.0));
}

#[test]
fn scores_stay_in_bounds_and_ranking_is_consistent() {
    let strategy = prop::collection::vec((0.0..30.0f64, 0.1..20.0f64, 0usize..4, 0.0..12.0f64, 0.0..6.0f64), 1..12);
    crate::check_property("scores_stay_in_bounds_and_ranking_is_consistent", file!(), 256, strategy, |figs| {
        let names: Vec<String> = (0..figs.len()).map(|n| format!("单位{n:02}")).collect();
        let p = plan(&names.iter().map(|s| s.as_str()).collect::<Vec<_>>());
        let levels = ["好", "较好", "一般", "差"];
        let mut m = MonthInputs::new();
        for (n, (a, t, l, o, b)) in figs.iter().enumerate() {
            m.insert(names[n].clone(), inputs(a.round(), *t, levels[*l], o.round(), b.round()));
        }
        let r = compute_month(&p, &m, &[], 6, None).unwrap();
        // max base 40 × 1.2 + 30 + 20 + 10 = 108 with the ratio cap, + bonus cap 5
        for x in &r {
            prop_assert!(x.total >= 0 && x.total <= 10_800 + 500, "{}", x.total);
            prop_assert!(x.bonus <= 500);
            prop_assert_eq!(x.own + x.bonus, x.total);
            prop_assert_eq!(x.lines.iter().map(|l| l.points).sum::<Cents>(), x.total);
        }
        // A permutation of the subjects, ordered by total, ranks consistent with totals.
        let mut ids: Vec<&str> = r.iter().map(|x| x.subject.as_str()).collect();
        ids.sort();
        prop_assert_eq!(ids, names.iter().map(|s| s.as_str()).collect::<Vec<_>>());
        for w in r.windows(2) {
            prop_assert!(w[0].total >= w[1].total);
            prop_assert_eq!(w[0].total == w[1].total, w[0].rank == w[1].rank);
            prop_assert!(w[0].rank <= w[1].rank);
        }
        for (n, x) in r.iter().enumerate() {
            prop_assert_eq!(x.rank, 1 + r.iter().filter(|y| y.total > x.total).count());
            prop_assert!(x.rank <= n + 1);
        }
        Ok(())
    });
}

#[test]
fn rounding_matches_decimal_arithmetic() {
    crate::check_property("rounding_matches_decimal_arithmetic", file!(), 256, (-1_000_000i64..1_000_000, 0u8..10), |(cents, extra)| {
        // x = cents/100 + extra/1000 written in decimal; half away from zero at the 3rd digit.
        let text = format!("{}{}.{:02}{}", if cents < 0 { "-" } else { "" }, cents.abs() / 100, cents.abs() % 100, extra);
        let x: f64 = text.parse().unwrap();
        let expect = cents.abs() + if extra >= 5 { 1 } else { 0 };
        prop_assert_eq!(round2(x), if cents < 0 { -expect } else { expect });
        Ok(())
    });
}

#[test]
fn plan_form_round_trip_and_errors() {
    let units: Vec<String> = ["张店区", "淄川区"].iter().map(|s| s.to_string()).collect();
    let d = PlanDraft::template(2022, &units);
    let p = d.to_plan().unwrap();
    assert_eq!(p.indicators.len(), 5);
    assert_eq!(PlanDraft::from_plan(&p).to_plan().unwrap(), p);
    let mut g = d.clone();
    g.subjects = "县教育局 | 社会体制改革专项小组 | 20\n县卫健局".into();
    let p = g.to_plan().unwrap();
    assert_eq!(p.subjects.len(), 3, "the group becomes a subject of its own");
    assert_eq!(p.subjects[0].group.as_deref(), Some("社会体制改革专项小组"));
    let mut bad = d.clone();
    bad.indicators[0].param = "一点二".into();
    assert_eq!(bad.to_plan().unwrap_err().message(Lang::Zh), "“封顶”须为数字");
    let mut bad = d.clone();
    bad.indicators[0].max = "30".into();
    assert_eq!(bad.to_plan().unwrap_err().key, K::ErrPointsSum);
    let def = &p.indicators[0];
    let s = subj("张店区");
    assert_eq!(parse_input(def, &s, "11", "12").unwrap(), Some(Input::Ratio { actual: 11.0, target: 12.0 }));
    assert_eq!(parse_input(def, &s, "", "").unwrap(), None);
    assert_eq!(parse_input(def, &s, "abc", "12").unwrap_err().message(Lang::Zh), "“完成值”须为数字");
    // The ranking's own rule, at the cell: a target of 0 and half a target are refused, naming both.
    assert_eq!(parse_input(def, &s, "3", "0").unwrap_err().message(Lang::Zh), "“张店区”的“改革任务完成”目标值须大于0");
    assert_eq!(parse_input(def, &s, "3", "").unwrap_err().message(Lang::Zh), "缺少“张店区”的“改革任务完成”数据");
}

#[test]
fn explanations_write_figures_as_people_do() {
    let p = plan(&["张店区"]);
    let l = score_indicator(
        &p.indicators[0],
        &p.subjects[0],
        Some(&Input::Ratio { actual: 13.0, target: 12.0 }),
        &[],
        NaiveDate::from_ymd_opt(2022, 1, 31).unwrap(),
    )
    .unwrap();
    assert_eq!(l.method, "40 × min(1.2, 13/12)");
    assert_eq!(l.input, "13 / 12");
    assert_eq!(l.points, 4333, "40 × 13/12 = 43.333…, under the 1.2 cap");
}

#[test]
fn praise_and_criticism_never_name_the_same_unit() {
    let r = |name: &str, rank: usize| SubjectResult {
        subject: name.into(),
        name: name.into(),
        own: 0,
        bonus: 0,
        is_group: false,
        blend: None,
        total: 0,
        lines: vec![],
        rank,
        change: None,
        band: Band::Green,
    };
    let split = |rs: &[SubjectResult]| {
        let (top, bottom) = praise_and_criticism(rs);
        let names = |v: Vec<&SubjectResult>| v.iter().map(|x| x.name.clone()).collect::<Vec<_>>().join(",");
        (names(top), names(bottom))
    };
    assert_eq!(split(&[r("张店区", 1), r("淄川区", 2)]), ("张店区".into(), "淄川区".into()));
    assert_eq!(split(&[r("a", 1), r("b", 2), r("c", 3), r("d", 3), r("e", 5)]), ("a,b,c,d".into(), "e".into()));
    // All tied: nobody is last, nobody criticised.
    assert_eq!(split(&[r("a", 1), r("b", 1)]), ("a,b".into(), String::new()));
    assert_eq!(split(&[r("a", 1)]), ("a".into(), String::new()));
}

/// 红安: 13 special groups, each with a weight; units blend their group's points. Units and groups
/// are ranked in separate tables, and the streak rule looks at a subject's own table.
#[test]
fn groups_have_their_own_table_and_weights_from_the_organisation() {
    let mut p = plan(&["县教育局", "县卫健局", "县人社局", "社会事业组", "经济体制组"]);
    for (n, g) in [(0, "社会事业组"), (1, "社会事业组"), (2, "经济体制组")] {
        p.subjects[n].group = Some(g.into());
        p.subjects[n].group_weight = 30.0;
    }
    let mut m = MonthInputs::new();
    m.insert("县教育局".into(), inputs(12.0, 12.0, "好", 0.0, 0.0)); // 100
    m.insert("县卫健局".into(), inputs(9.0, 12.0, "较好", 1.0, 0.0)); // 30+24+17.5+10 = 81.5
    m.insert("县人社局".into(), inputs(6.0, 12.0, "一般", 0.0, 0.0)); // 20+18+20+10 = 68
    m.insert("社会事业组".into(), inputs(6.0, 12.0, "差", 4.0, 0.0)); // 20+10+10+10 = 50
    m.insert("经济体制组".into(), inputs(12.0, 12.0, "好", 0.0, 0.0)); // 100
    let r = compute_month(&p, &m, &[], 1, None).unwrap();
    let view: Vec<(bool, &str, Cents, usize)> = r.iter().map(|x| (x.is_group, x.name.as_str(), x.total, x.rank)).collect();
    assert_eq!(
        view,
        vec![
            (false, "县教育局", 8500, 1), // 100 × 70% + 50 × 30%
            (false, "县人社局", 7760, 2), // 68 × 70% + 100 × 30%
            (false, "县卫健局", 7205, 3), // 81.5 × 70% + 50 × 30%
            (true, "经济体制组", 10000, 1),
            (true, "社会事业组", 5000, 2),
        ]
    );
    // Last place is last in its own table: the group in second place of two groups is last.
    assert_eq!(last_place_streak(std::slice::from_ref(&r), "社会事业组"), 1);
    assert_eq!(last_place_streak(std::slice::from_ref(&r), "县卫健局"), 1);
    assert_eq!(last_place_streak(std::slice::from_ref(&r), "县人社局"), 0);
    let (top, bottom) = praise_and_criticism(&r);
    assert!(top.iter().all(|x| !x.is_group) && bottom.iter().all(|x| !x.is_group));

    // The plan form: a line without a weight takes its group's weight from 组织架构, and those must add up to 100 %.
    let mut d = PlanDraft::template(2026, &[]);
    d.subjects = "县教育局 | 社会事业组\n县人社局 | 经济体制组 | 25".into();
    let org = BTreeMap::from([("社会事业组".to_string(), 40.0), ("经济体制组".to_string(), 60.0)]);
    let plan = d.to_plan_with(&org).unwrap();
    assert_eq!(plan.subjects.iter().map(|s| (s.name.as_str(), s.group_weight)).collect::<Vec<_>>()[..2], [("县教育局", 40.0), ("县人社局", 25.0)]);
    let short = BTreeMap::from([("社会事业组".to_string(), 40.0), ("经济体制组".to_string(), 50.0)]);
    assert_eq!(d.to_plan_with(&short).unwrap_err().message(Lang::Zh), "考核方案引用组织架构中的专项小组权重，但各专项小组权重合计为90.00%，须为100%");
    // Typed weights need no organisation.
    d.subjects = "县教育局 | 社会事业组 | 20".into();
    assert!(d.to_plan().is_ok());
}
