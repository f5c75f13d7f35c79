//! Scoring and ranking: the assessment plan, the month's figures, the ranking with its
//! explanation, a bar chart, a unit's trend, and a print layout for the bulletin.

use super::ledger::ExportButtons;
use crate::domain::monthly::Month;
use crate::domain::ops;
use crate::domain::scoring::{fmt_points, parse_input, Band, IndicatorDraft, Method, Plan, PlanDraft, SubjectResult};
use crate::domain::DomainError;
use crate::domain::{assessment, document, publish, scoring};
use crate::i18n::{t, tf, Lang, K};
use crate::ui::{ctx, today, Bar, BarList};
use chrono::Datelike;
use leptos::prelude::*;
use std::collections::BTreeMap;

const METHODS: &[(&str, K)] = &[
    ("ratio", K::ScMethodRatio),
    ("rubric", K::ScMethodRubric),
    ("deduction", K::ScMethodDeduction),
    ("computed", K::ScMethodComputed),
    ("bonus", K::ScMethodBonus),
];

fn band_class(b: Band) -> &'static str {
    match b {
        Band::Red => "band-red",
        Band::Amber => "band-amber",
        Band::Green => "band-green",
    }
}

#[component]
pub fn ScoringPage() -> impl IntoView {
    let ctx = ctx();
    let plans = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(assessment::plans).unwrap_or_default()));
    let selected = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if selected.get().is_none() {
            if let Some((id, _)) = plans.with(|p| p.first().cloned()) {
                selected.set(Some(id));
            }
        }
    });
    let plan = Memo::new(move |_| {
        let id = selected.get()?;
        plans.with(|p| p.iter().find(|(i, _)| *i == id).cloned())
    });
    let month = RwSignal::new(today().month());
    // The figures and ranking of a month use the plan version for that month.
    let month_plan = Memo::new(move |_| {
        let (pid, _) = plan.get()?;
        let m = month.get();
        ctx.reg.with(|r| r.as_ref().and_then(|r| assessment::plan_for_month(r, &pid, m))).map(|p| (pid, p))
    });
    // Plan editor: Some((record id or None for new, draft)), and the month an edit applies from.
    let editing = RwSignal::new(None::<(Option<String>, PlanDraft)>);
    let from = RwSignal::new(1u32);
    let plan_error = RwSignal::new(None::<DomainError>);

    let new_plan = move |_| {
        let units: Vec<String> = ctx.reg.with_untracked(|r| r.as_ref().map(crate::domain::org::plan_subjects).unwrap_or_default());
        editing.set(Some((None, PlanDraft::template(today().year(), &units))));
        plan_error.set(None);
    };
    let save_plan = move |_| {
        let Some((id, d)) = editing.get_untracked() else { return };
        let from = from.get_untracked();
        let org: BTreeMap<String, f64> = ctx.reg.with_untracked(|r| r.as_ref().map(crate::domain::org::group_weights).unwrap_or_default());
        let res = d.to_plan_with(&org).and_then(|p| ctx.act(|tx| assessment::save_plan(tx, id.as_deref(), &p, from)));
        match res {
            Ok(rid) => {
                selected.set(Some(rid));
                editing.set(None);
                plan_error.set(None);
            }
            Err(e) => plan_error.set(Some(e)),
        }
    };

    view! {
        <section class="scoring-page">
            <h1 class="sr-only no-print">{ctx.t(K::NavScoring)}</h1>
            <div class="card no-print plan-bar">
                <h2>{ctx.t(K::ScPlans)}</h2>
                <select name="plan" aria-label=ctx.t(K::ScPlans) on:change=move |ev| selected.set(Some(event_target_value(&ev)))>
                    {move || plans.get().into_iter().map(|(id, p)| { let sel = id.clone(); view! { <option value=id selected=move || selected.get().as_deref() == Some(sel.as_str())>{format!("{}{}", p.name, crate::i18n::paren(ctx.lang.get(), &p.year.to_string()))}</option> } }).collect_view()}
                </select>
                <button class="secondary" data-test="new-plan" on:click=new_plan>"+ "{ctx.t(K::ScNewPlan)}</button>
                {move || plan.get().map(|(id, p)| view! {
                    <button class="link" data-test="edit-plan" on:click=move |_| {
                        from.set(ctx.reg.with_untracked(|r| r.as_ref().map(|r| publish::default_edit_month(r, &id, &p, today())).unwrap_or(1)));
                        editing.set(Some((Some(id.clone()), PlanDraft::from_plan(&p))));
                        plan_error.set(None);
                    }>{ctx.t(K::ScEditPlan)}</button>
                })}
                <label class="month-pick">{ctx.t(K::ScMonth)}
                    <select name="month" on:change=move |ev| if let Ok(m) = event_target_value(&ev).parse() { month.set(m) }>
                        {(1..=12u32).map(|m| view! { <option value=m.to_string() selected=move || month.get() == m>{move || tf(ctx.lang.get(), K::ScMonthN, &[m.to_string()])}</option> }).collect_view()}
                    </select>
                </label>
                {move || plans.with(|p| p.is_empty()).then(|| view! { <p class="muted small">{ctx.t(K::ScNoPlan)}</p> })}
            </div>
            {move || editing.get().map(|_| view! { <PlanEditor editing=editing from=from error=plan_error on_save=save_plan/> })}
            {move || month_plan.get().map(|(pid, p)| view! { <MonthView pid=pid plan=p month=month/> })}
        </section>
    }
}

#[component]
fn PlanEditor(
    editing: RwSignal<Option<(Option<String>, PlanDraft)>>,
    from: RwSignal<u32>,
    error: RwSignal<Option<DomainError>>,
    on_save: impl Fn(()) + 'static + Copy,
) -> impl IntoView {
    let ctx = ctx();
    let get = move |f: fn(&PlanDraft) -> String| move || editing.with(|e| e.as_ref().map(|(_, d)| f(d)).unwrap_or_default());
    let set = move |f: fn(&mut PlanDraft, String)| {
        move |ev: leptos::ev::Event| {
            editing.update(|e| {
                if let Some((_, d)) = e {
                    f(d, event_target_value(&ev))
                }
            })
        }
    };
    let n = Memo::new(move |_| editing.with(|e| e.as_ref().map(|(_, d)| d.indicators.len()).unwrap_or(0)));
    let cell = move |i: usize, get_f: fn(&IndicatorDraft) -> String, set_f: fn(&mut IndicatorDraft, String), name: &'static str, cls: &'static str| {
        view! { <input type="text" name=name class=cls
        prop:value=move || editing.with(|e| e.as_ref().and_then(|(_, d)| d.indicators.get(i)).map(get_f).unwrap_or_default())
        on:input=move |ev| editing.update(|e| if let Some((_, d)) = e { if let Some(x) = d.indicators.get_mut(i) { set_f(x, event_target_value(&ev)) } }) /> }
    };
    view! {
        <form class="card form plan-editor no-print" on:submit=move |ev| { ev.prevent_default(); on_save(()); }>
            {move || error.get().map(|e| view! { <div class="banner error" role="alert" data-test="plan-error">{e.message(ctx.lang.get())}</div> })}
            <div class="grid2">
                <label class="field wide"><span class="label req">{ctx.t(K::FPlanName)}</span>
                    <input type="text" name="plan_name" prop:value=get(|d| d.name.clone()) on:input=set(|d, v| d.name = v) /></label>
                <label class="field"><span class="label req">{ctx.t(K::FYear)}</span>
                    <input type="text" name="plan_year" prop:value=get(|d| d.year.clone()) on:input=set(|d, v| d.year = v) /></label>
                <label class="field"><span class="label">{ctx.t(K::FMonthlyShare)}</span>
                    <input type="text" name="monthly_share" prop:value=get(|d| d.monthly_share.clone()) on:input=set(|d, v| d.monthly_share = v) /></label>
                <label class="field"><span class="label">{ctx.t(K::FBands)}</span>
                    <span class="row-inputs">
                        <input type="text" name="red_below" class="w-num" prop:value=get(|d| d.red_below.clone()) on:input=set(|d, v| d.red_below = v) />
                        <input type="text" name="green_from" class="w-num" prop:value=get(|d| d.green_from.clone()) on:input=set(|d, v| d.green_from = v) />
                    </span></label>
                <label class="field wide"><span class="label req">{ctx.t(K::FSubjects)}</span>
                    <textarea name="subjects" rows="4" prop:value=get(|d| d.subjects.clone()) on:input=set(|d, v| d.subjects = v)></textarea>
                    <span class="muted small">{ctx.t(K::ScSubjectsHint)}</span></label>
            </div>
            {move || editing.with(|e| e.as_ref().is_some_and(|(id, _)| id.is_some())).then(|| view! {
                <label class="field"><span class="label">{ctx.t(K::FFromMonth)}</span>
                    <select name="from_month" on:change=move |ev| if let Ok(m) = event_target_value(&ev).parse() { from.set(m) }>
                        {(1..=12u32).map(|m| view! { <option value=m.to_string() selected=move || from.get() == m>{move || tf(ctx.lang.get(), K::ScMonthN, &[m.to_string()])}</option> }).collect_view()}
                    </select>
                    <span class="muted small">{ctx.t(K::ScFromHint)}</span></label>
            })}
            <span class="label">{ctx.t(K::FIndicators)}</span>
            <table class="table compact ind-table">
                <thead><tr><th>{ctx.t(K::FIndicatorName)}</th><th>{ctx.t(K::FIndicatorGroup)}</th><th>{ctx.t(K::FMaxPoints)}</th><th>{ctx.t(K::FMethod)}</th><th>{ctx.t(K::FCap)}" / "{ctx.t(K::FPerEvent)}</th><th>{ctx.t(K::ScBonus)}{ctx.t(K::FCap)}</th><th></th></tr></thead>
                <tbody>
                    {move || (0..n.get()).map(|i| view! {
                        <tr>
                            <td>{cell(i, |x| x.name.clone(), |x, v| x.name = v, "ind_name", "w-wide")}</td>
                            <td>{cell(i, |x| x.group.clone(), |x, v| x.group = v, "ind_group", "w-unit")}</td>
                            <td>{cell(i, |x| x.max.clone(), |x, v| x.max = v, "ind_max", "w-num")}</td>
                            <td><select name="ind_method" on:change=move |ev| editing.update(|e| if let Some((_, d)) = e { if let Some(x) = d.indicators.get_mut(i) { x.method = event_target_value(&ev) } })>
                                {METHODS.iter().map(|(code, k)| { let code = *code; view! { <option value=code selected=move || editing.with(|e| e.as_ref().and_then(|(_, d)| d.indicators.get(i)).is_some_and(|x| x.method == code))>{ctx.t(*k)}</option> } }).collect_view()}
                            </select></td>
                            <td>{cell(i, |x| x.param.clone(), |x, v| x.param = v, "ind_param", "w-wide")}</td>
                            <td>{cell(i, |x| x.cap.clone(), |x, v| x.cap = v, "ind_cap", "w-num")}</td>
                            <td><button type="button" class="link" on:click=move |_| editing.update(|e| if let Some((_, d)) = e { if i < d.indicators.len() { d.indicators.remove(i); } })>{ctx.t(K::Remove)}</button></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="muted small">{ctx.t(K::ScParamHint)}</p>
            <button type="button" class="link" on:click=move |_| editing.update(|e| if let Some((_, d)) = e { d.indicators.push(IndicatorDraft { method: "ratio".into(), param: "1".into(), ..Default::default() }) })>"+ "{ctx.t(K::Add)}</button>
            <div class="form-actions">
                <button type="submit" class="primary" data-test="save-plan">{ctx.t(K::Save)}</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>{ctx.t(K::Cancel)}</button>
            </div>
        </form>
    }
}

/// Cells of the figures grid as typed: (subject, indicator) → (first text, second text).
type Cells = BTreeMap<(String, String), (String, String)>;

fn cells_from(reg: &crate::sync::Registry, pid: &str, plan: &Plan, month: u32) -> Cells {
    let inputs = assessment::month_inputs(reg, pid, plan, month);
    let mut out = Cells::new();
    for (s, m) in inputs {
        for (i, v) in m {
            let texts = match v {
                crate::domain::scoring::Input::Ratio { actual, target } => (actual.to_string(), target.to_string()),
                crate::domain::scoring::Input::Level { level } => (level, String::new()),
                crate::domain::scoring::Input::Count { n } => (n.to_string(), String::new()),
            };
            out.insert((s.clone(), i), texts);
        }
    }
    out
}

#[component]
fn MonthView(pid: String, plan: Plan, month: RwSignal<u32>) -> impl IntoView {
    let ctx = ctx();
    let pid = StoredValue::new(pid);
    let plan = StoredValue::new(plan);
    let cells = RwSignal::new(Cells::new());
    Effect::new(move |_| {
        let m = month.get();
        cells.set(ctx.reg.with_untracked(|r| r.as_ref().map(|r| cells_from(r, &pid.get_value(), &plan.get_value(), m)).unwrap_or_default()));
    });
    let grid_error = RwSignal::new(None::<String>);
    let cell_errors = RwSignal::new(BTreeMap::<(String, String), String>::new());
    Effect::new(move |_| {
        month.track();
        cell_errors.set(BTreeMap::new());
        grid_error.set(None);
    });
    let results = Memo::new(move |_| {
        let m = month.get();
        ctx.reg.with(|r| r.as_ref().map(|r| assessment::month_results(r, &pid.get_value(), &plan.get_value(), m)))
    });
    let trend = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| assessment::year_results(r, &pid.get_value(), &plan.get_value())).unwrap_or_default()));
    let focus = RwSignal::new(None::<String>);

    let save = move |_| {
        let p = plan.get_value();
        let m = month.get_untracked();
        let typed = cells.get_untracked();
        let lang = ctx.lang.get_untracked();
        let mut all: Vec<(String, BTreeMap<String, Option<crate::domain::scoring::Input>>)> = vec![];
        // Every cell is checked with the ranking's own rule; a refused cell says why where it was
        // typed, and nothing is saved while any cell is refused.
        let mut bad = BTreeMap::new();
        for s in &p.subjects {
            let mut figs = BTreeMap::new();
            for d in &p.indicators {
                if matches!(d.method, Method::Computed { .. }) {
                    continue;
                }
                let key = (s.id.clone(), d.id.clone());
                let (a, b) = typed.get(&key).cloned().unwrap_or_default();
                match parse_input(d, s, &a, &b) {
                    Ok(v) => {
                        figs.insert(d.id.clone(), v);
                    }
                    Err(e) => {
                        bad.insert(key, e.message(lang));
                    }
                }
            }
            all.push((s.id.clone(), figs));
        }
        let n_bad = bad.len();
        cell_errors.set(bad);
        if n_bad > 0 {
            grid_error.set(Some(tf(lang, K::ScCellsRefused, &[n_bad.to_string()])));
            return;
        }
        let res = ctx.act(|tx| all.iter().try_for_each(|(s, f)| assessment::save_inputs(tx, &pid.get_value(), &p, m, s, f).map(|_| ())));
        grid_error.set(res.err().map(|e| ctx.err(&e)));
    };

    let cell_input = move |s: String, i: String, second: bool, name: &'static str, cls: &'static str| {
        let key = (s, i);
        let k2 = key.clone();
        let k3 = key.clone();
        view! { <input type="text" name=name class=cls aria-invalid=move || cell_errors.with(|e| e.contains_key(&k3)).then_some("true")
        prop:value=move || cells.with(|c| c.get(&key).map(|x| if second { x.1.clone() } else { x.0.clone() }).unwrap_or_default())
        on:input=move |ev| { let v = event_target_value(&ev); cells.update(|c| { let e = c.entry(k2.clone()).or_default(); if second { e.1 = v } else { e.0 = v } }); } /> }
    };

    view! {
        <div class="card no-print">
            <h2>{move || tf(ctx.lang.get(), K::ScFigures, &[month.get().to_string()])}</h2>
            <div class="grid-scroll">
            <table class="table compact figures" data-test="figures">
                <thead><tr><th>{ctx.t(K::ScUnit)}</th>
                    {plan.get_value().indicators.into_iter().map(|d| view! { <th title=d.group.clone()>{d.name.clone()}<br/><span class="muted small">{fmt_points(crate::domain::scoring::round2(d.max_points))}</span></th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {plan.get_value().subjects.into_iter().map(|s| view! {
                        <tr data-test="figure-row" data-subject=s.id.clone()>
                            <td>{s.name.clone()}</td>
                            {plan.get_value().indicators.into_iter().map(|d| {
                                let sid = s.id.clone();
                                let key = (sid.clone(), d.id.clone());
                                let err_key = key.clone();
                                let cell_error = move || cell_errors.with(|e| e.get(&err_key).cloned()).map(|m| view! { <div class="cell-error" role="alert" data-test="cell-error">{m}</div> });
                                let inner = match &d.method {
                                    Method::Ratio { .. } => view! { <span class="nowrap">{cell_input(sid.clone(), d.id.clone(), false, "actual", "w-tiny")}" / "{cell_input(sid, d.id.clone(), true, "target", "w-tiny")}</span> }.into_any(),
                                    Method::Rubric { levels } => {
                                        let k2 = key.clone();
                                        view! { <select name="level" on:change=move |ev| { let v = event_target_value(&ev); cells.update(|c| c.entry(k2.clone()).or_default().0 = v); }>
                                            <option value="">"—"</option>
                                            {levels.iter().map(|(n, _)| { let (value, label, n2) = (n.clone(), n.clone(), n.clone()); let key = key.clone(); view! { <option value=value selected=move || cells.with(|c| c.get(&key).is_some_and(|x| x.0 == n2))>{label}</option> } }).collect_view()}
                                        </select> }.into_any()
                                    }
                                    Method::Computed { .. } => view! { <span class="muted small">{ctx.t(K::ScAuto)}</span> }.into_any(),
                                    _ => cell_input(sid, d.id.clone(), false, "count", "w-tiny").into_any(),
                                };
                                view! { <td>{inner}{cell_error}</td> }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            {move || grid_error.get().map(|e| view! { <p class="field-error" role="alert" data-test="figures-error">{e}</p> })}
            <div class="form-actions"><button class="primary" data-test="save-figures" on:click=save>{ctx.t(K::ScSaveFigures)}</button></div>
        </div>
        <PublishBar pid=pid.get_value() year=plan.with_value(|p| p.year) month=month/>
        <YearEnd pid=pid.get_value() plan=plan.get_value()/>
        {move || {
            let lang = ctx.lang.get();
            match results.get() {
                None => ().into_any(),
                Some(Err(errs)) => view! {
                    <div class="card no-print" data-test="not-ranked">
                        <p>{t(lang, K::ScNotComputed)}</p>
                        <ul class="small">{errs.iter().take(8).map(|e| view! { <li>{e.message(lang)}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
                Some(Ok(rs)) => ranking_view(lang, &pid.get_value(), &plan.get_value(), month.get(), rs, focus, trend.get()).into_any(),
            }
        }}
    }
}

fn change_text(c: Option<i64>, lang: Lang) -> (String, &'static str) {
    match c {
        None => (t(lang, K::ScNew).to_string(), "chg-none"),
        Some(0) => ("—".into(), "chg-none"),
        Some(n) if n > 0 => (format!("↑{n}"), "chg-up"),
        Some(n) => (format!("↓{}", -n), "chg-down"),
    }
}

fn ranking_view(
    lang: Lang,
    pid: &str,
    plan: &Plan,
    month: u32,
    rs: Vec<SubjectResult>,
    focus: RwSignal<Option<String>>,
    trend: Vec<(u32, Vec<SubjectResult>)>,
) -> impl IntoView {
    let ctx = ctx();
    let office = ctx.reg.with_untracked(|r| r.as_ref().and_then(ops::my_office).map(|o| o.name).unwrap_or_default());
    // Printed with the bulletin's 文号 and date once published; a draft says so.
    let published = ctx.reg.with_untracked(|r| r.as_ref().and_then(|r| publish::publication(r, Month { year: plan.year, month })).filter(|p| p.plan == pid));
    let foot_date = published.as_ref().and_then(|p| p.published_on).map(|d| document::date_long(lang, d)).unwrap_or_else(|| t(lang, K::PbDraft).to_string());
    let number = published.map(|p| p.number).unwrap_or_default();
    // Units and special groups are ranked in separate tables (the chart shows the units).
    let units: Vec<SubjectResult> = scoring::table(&rs, false).into_iter().cloned().collect();
    let groups: Vec<SubjectResult> = scoring::table(&rs, true).into_iter().cloned().collect();
    let max = units.iter().map(|r| r.total).max().unwrap_or(0).max(10_000) as f64;
    let focus_row = focus.get().and_then(|f| rs.iter().find(|r| r.subject == f).cloned());
    let names: BTreeMap<String, String> = plan.indicators.iter().map(|d| (d.id.clone(), d.name.clone())).collect();
    // The month's ranking (units and groups) and the year, as shown, for leaders.
    let export = {
        let (rs, plan, office, pid) = (rs.clone(), plan.clone(), office.clone(), pid.to_string());
        StoredValue::new(move || {
            let year = ctx.reg.with_untracked(|r| r.as_ref().map(|r| assessment::year_summary(r, &pid, &plan)).unwrap_or_default());
            crate::sheet::tables::ranking(ctx.lang.get_untracked(), &office, &plan.name, Month { year: plan.year, month }, &rs, &year)
        })
    };
    view! {
        <div class="card print-area month-print" data-test="ranking">
            <div class="print-head">
                <div class="paper-head">{office.clone()}</div>
                {(!number.is_empty()).then(|| view! { <div class="paper-number" data-test="ranking-number">{number.clone()}</div> })}
                <hr class="paper-rule"/>
            </div>
            <h1 class="print-title">{tf(lang, K::ScPrintTitle, &[plan.year.to_string(), month.to_string()])}</h1>
            <h2 class="no-print">{tf(lang, K::ScRanking, &[month.to_string()])}
                <button class="secondary print-btn" on:click=move |_| print_only("month")>{t(lang, K::ScPrint)}</button>
                <ExportButtons what=K::XlRanking book=Callback::new(move |_| export.get_value()())/></h2>
            <div class="ranking-grid">
                <div>
                    {rank_table(lang, &units, focus, "rank-row")}
                    {(!groups.is_empty()).then(|| view! {
                        <h3 class="group-table-title">{t(lang, K::ScGroupTable)}</h3>
                        {rank_table(lang, &groups, focus, "group-rank-row")}
                    })}
                </div>
                <BarList label=tf(lang, K::ScRanking, &[month.to_string()]) test="ranking-bars" rows=units.iter().map(|r| Bar {
                    label: r.name.clone(),
                    share: r.total.max(0) as f64 / max,
                    value: fmt_points(r.total),
                    class: band_class(r.band),
                }).collect()/>
            </div>
            <div class="print-foot"><div>{office}</div><div data-test="ranking-date">{foot_date}</div></div>
        </div>
        {focus_row.map(|r| {
            let points: Vec<(u32, i64)> = trend.iter().filter_map(|(m, rs)| rs.iter().find(|x| x.subject == r.subject).map(|x| (*m, x.total))).collect();
            let tmax = points.iter().map(|p| p.1).max().unwrap_or(10_000).max(10_000) as f64;
            let path: String = points.iter().map(|(m, v)| format!("{:.1},{:.1}", 30.0 + (*m as f64 - 1.0) * 30.0, 110.0 - *v as f64 / tmax * 100.0)).collect::<Vec<_>>().join(" ");
            let bonus_ids: Vec<String> = plan.indicators.iter().filter(|d| d.is_bonus()).map(|d| d.id.clone()).collect();
            let line_row = |l: &crate::domain::scoring::Line| view! {
                <tr><td>{names.get(&l.indicator).cloned().unwrap_or_default()}
                    {(!l.items.is_empty()).then(|| view! { <div class="muted small">{tf(lang, K::ScItemsCounted, &[l.items.join(crate::i18n::list_sep(lang))])}</div> })}</td>
                    <td>{l.input.clone()}</td><td class="small">{l.method.clone()}</td><td class="num">{fmt_points(l.points)}</td></tr>
            };
            view! {
                <div class="card no-print" data-test="explain">
                    <h2>{tf(lang, K::ScExplain, std::slice::from_ref(&r.name))}</h2>
                    <table class="table compact">
                        <thead><tr><th>{t(lang, K::FIndicatorName)}</th><th>{t(lang, K::ScInput)}</th><th>{t(lang, K::FMethod)}</th><th class="num">{t(lang, K::ScPoints)}</th></tr></thead>
                        <tbody>
                            {r.lines.iter().filter(|l| !bonus_ids.contains(&l.indicator)).map(line_row).collect_view()}
                            <tr class="subtotal"><td colspan="3">{t(lang, K::ScOwnPoints)}</td><td class="num" data-test="explain-own">{fmt_points(r.own)}</td></tr>
                            {r.blend.as_ref().map(|b| view! {
                                <tr class="subtotal" data-test="explain-blend"><td>{tf(lang, K::ScBlend, std::slice::from_ref(&b.group_name))}</td>
                                    <td>{fmt_points(b.group_points)}</td>
                                    <td class="small">{format!("{} × {}% + {} × {}%", fmt_points(r.own), scoring::figure_text(100.0 - b.weight), fmt_points(b.group_points), scoring::figure_text(b.weight))}</td>
                                    <td class="num">{fmt_points(b.blended)}</td></tr>
                            })}
                            {r.lines.iter().filter(|l| bonus_ids.contains(&l.indicator)).map(line_row).collect_view()}
                            <tr class="total"><td colspan="3">{t(lang, K::ScTotal)}</td><td class="num strong" data-test="explain-total">{fmt_points(r.total)}</td></tr>
                        </tbody>
                    </table>
                    <h3>{t(lang, K::ScTrend)}</h3>
                    <svg class="trend" viewBox="0 0 400 130" width="400" height="130">
                        <line x1="30" y1="110" x2="370" y2="110" class="axis" />
                        {(1..=12).map(|m| view! { <text x=30.0 + (m as f64 - 1.0) * 30.0 - 6.0 y="125" class="tick">{m}</text> }).collect_view()}
                        <polyline points=path class="trend-line" />
                        {points.iter().map(|(m, v)| view! { <circle cx=30.0 + (*m as f64 - 1.0) * 30.0 cy=110.0 - *v as f64 / tmax * 100.0 r="3" class="trend-dot" /> }).collect_view()}
                    </svg>
                </div>
            }
        })}
    }
}

/// One table of the ranking (units, or special groups).
fn rank_table(lang: Lang, rs: &[SubjectResult], focus: RwSignal<Option<String>>, row_test: &'static str) -> impl IntoView {
    view! {
        <table class="table ranking">
            <thead><tr><th>{t(lang, K::ScRank)}</th><th>{t(lang, K::ScChange)}</th><th>{t(lang, K::ScUnit)}</th><th class="num">{t(lang, K::ScTotal)}</th><th class="num">{t(lang, K::ScBonus)}</th></tr></thead>
            <tbody>
                {rs.iter().map(|r| {
                    let (chg, cls) = change_text(r.change, lang);
                    let sid = r.subject.clone();
                    view! {
                        <tr data-test=row_test class=band_class(r.band) on:click=move |_| focus.set(Some(sid.clone()))>
                            <td class="rank">{r.rank}</td>
                            <td class=cls data-test="rank-change">{chg}</td>
                            <td>{r.name.clone()}</td>
                            <td class="num strong" data-test="rank-total">{fmt_points(r.total)}</td>
                            <td class="num">{if r.bonus > 0 { fmt_points(r.bonus) } else { String::new() }}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Publishing the month, or — once published — the frozen result beside what it would score now,
/// with the explicit, recorded re-score.
#[component]
fn PublishBar(pid: String, year: i32, month: RwSignal<u32>) -> impl IntoView {
    let ctx = ctx();
    let m = Memo::new(move |_| Month { year, month: month.get() });
    let pid = StoredValue::new(pid);
    let publication = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().and_then(|r| publish::publication(r, m.get()))));
    let comparison = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().and_then(|r| publish::compare(r, m.get()))));
    let reason = RwSignal::new(String::new());
    let msg = RwSignal::new(None::<(bool, String)>);
    // A message belongs to the month it was given for.
    Effect::new(move |_| {
        m.track();
        msg.set(None);
    });
    let do_publish = move |_| match ctx.act(|tx| publish::publish_month(tx, m.get_untracked(), Some(&pid.get_value()))) {
        Ok(n) => msg.set(Some((true, tf(ctx.lang.get_untracked(), K::PbDone, &[n])))),
        Err(e) => msg.set(Some((false, ctx.err(&e)))),
    };
    let do_rescore = move |_| match ctx.act(|tx| publish::rescore(tx, m.get_untracked(), &reason.get_untracked())) {
        Ok(_) => {
            reason.set(String::new());
            msg.set(None);
        }
        Err(e) => msg.set(Some((false, ctx.err(&e)))),
    };
    move || {
        let lang = ctx.lang.get();
        let m = m.get();
        let over = m < Month::of(today());
        let body = match publication.get() {
            Some(p) if p.plan == pid.get_value() => {
                let cmp = comparison.get().filter(publish::differs);
                view! {
                    <p><span class="tag ok" data-test="published">{tf(lang, K::PbPublishedOn, &[p.number.clone(), p.published_on.map(|d| document::date_long(lang, d)).unwrap_or_default()])}</span></p>
                    {cmp.map(|(old, now)| view! {
                        <div class="rescore" data-test="rescore">
                            <p>{t(lang, K::PbRescoreHint)}</p>
                            {match now {
                                Err(errs) => view! { <ul class="small">{errs.iter().take(5).map(|e| view! { <li>{e.message(lang)}</li> }).collect_view()}</ul> }.into_any(),
                                Ok(now) => view! {
                                    <table class="table compact" data-test="rescore-table">
                                        <thead><tr><th>{t(lang, K::ScUnit)}</th><th class="num">{t(lang, K::PbPublishedCol)}</th><th class="num">{t(lang, K::PbNowCol)}</th></tr></thead>
                                        <tbody>{old.iter().map(|o| {
                                            let n = now.iter().find(|x| x.subject == o.subject);
                                            let changed = n.is_none_or(|n| n.total != o.total || n.rank != o.rank);
                                            view! { <tr class:changed=changed>
                                                <td>{o.name.clone()}</td>
                                                <td class="num" data-test="old-total">{format!("{}{}", fmt_points(o.total), crate::i18n::paren(lang, &o.rank.to_string()))}</td>
                                                <td class="num" data-test="new-total">{n.map(|n| format!("{}{}", fmt_points(n.total), crate::i18n::paren(lang, &n.rank.to_string()))).unwrap_or_else(|| "—".into())}</td>
                                            </tr> }
                                        }).collect_view()}</tbody>
                                    </table>
                                    <label class="field"><span class="label req">{t(lang, K::FRescoreReason)}</span>
                                        <input type="text" name="rescore_reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) /></label>
                                    <button class="secondary" data-test="do-rescore" on:click=do_rescore>{t(lang, K::PbRescore)}</button>
                                }.into_any(),
                            }}
                        </div>
                    })}
                    {(!p.rescores.is_empty()).then(|| view! {
                        <h3>{t(lang, K::PbRescores)}</h3>
                        <ul class="small" data-test="rescores">{p.rescores.iter().map(|x| {
                            let what = x.before.iter().map(|b| format!("{} {}", b.name, fmt_points(b.total))).collect::<Vec<_>>().join(crate::i18n::list_sep(lang));
                            view! { <li>{tf(lang, K::PbRescoreLine, &[x.on.map(|d| document::date_long(lang, d)).unwrap_or_default(), x.by.clone(), x.reason.clone()])}
                                <div class="muted">{t(lang, K::PbPublishedCol)}{crate::i18n::colon(lang)}{what}</div></li> }
                        }).collect_view()}</ul>
                    })}
                }.into_any()
            }
            Some(p) => {
                let name = p.plan_version.map(|v| v.name).unwrap_or_default();
                view! { <p class="muted">{tf(lang, K::PbOtherPlan, &[name])}</p> }.into_any()
            }
            None if over => view! {
                <p><span class="tag">{t(lang, K::PbDraft)}</span>" "
                <button class="primary" data-test="publish" on:click=do_publish>{tf(lang, K::PbPublish, &[document::month_long(lang, m)])}</button></p>
            }
            .into_any(),
            None => view! { <p class="muted small">{t(lang, K::PbNotOver)}</p> }.into_any(),
        };
        view! {
            <div class="card no-print publish-bar" data-test="publish-bar">
                {body}
                {move || msg.get().map(|(ok, text)| view! { <p class:ok=ok class:field-error=!ok role="status" data-test="publish-msg">{text}</p> })}
            </div>
        }
    }
}

/// Prints one of the page's documents (the month's ranking or the year's composite ranking).
fn print_only(which: &str) {
    let body = document().body();
    if let Some(b) = &body {
        let _ = b.set_attribute("data-print", which);
    }
    let _ = window().print();
    if let Some(b) = &body {
        let _ = b.remove_attribute("data-print");
    }
}

#[component]
fn YearEnd(pid: String, plan: Plan) -> impl IntoView {
    let ctx = ctx();
    let pid = StoredValue::new(pid);
    let plan = StoredValue::new(plan);
    let rows = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| assessment::year_summary(r, &pid.get_value(), &plan.get_value())).unwrap_or_default()));
    let error = RwSignal::new(None::<String>);
    let share = plan.with_value(|p| p.monthly_share);
    let office = move || ctx.my_office_name();
    let year = plan.with_value(|p| p.year);
    view! {
        <div class="card print-area year-print year-end" data-test="year-end">
            <div class="print-head"><div class="paper-head">{office}</div><hr class="paper-rule"/></div>
            <h1 class="print-title">{move || tf(ctx.lang.get(), K::ScYearPrintTitle, &[year.to_string()])}</h1>
            <h2>{move || tf(ctx.lang.get(), K::ScYear, &[scoring::figure_text(share), scoring::figure_text(100.0 - share)])}
                <button class="secondary print-btn no-print" data-test="print-year" on:click=move |_| print_only("year")>{ctx.t(K::ScPrintYear)}</button></h2>
            <table class="table compact">
                <thead><tr><th>{ctx.t(K::ScRank)}</th><th>{ctx.t(K::ScUnit)}</th><th class="num">{ctx.t(K::ScMonths)}</th><th class="num">{ctx.t(K::ScAvg)}</th><th>{ctx.t(K::ScYearEnd)}</th><th class="num">{ctx.t(K::ScComposite)}</th><th>{ctx.t(K::ScHowComputed)}</th></tr></thead>
                <tbody>
                    {move || {
                        let rows = rows.get();
                        let first_group = rows.iter().position(|l| l.is_group);
                        rows.into_iter().enumerate().map(|(n, l)| {
                            let subject = l.subject.clone();
                            let how = assessment::year_explanation(&l, share);
                            let ye_text = l.year_end.map(|y| y.to_string()).unwrap_or_default();
                            view! {
                                {(first_group == Some(n)).then(|| view! { <tr class="table-sep"><td colspan="7">{ctx.t(K::ScGroupTable)}</td></tr> })}
                                <tr data-test="year-row">
                                    <td class="rank" data-test="year-rank">{l.rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into())}</td>
                                    <td>{l.name.clone()}</td>
                                    <td class="num">{l.months.len()}</td>
                                    <td class="num">{l.average.map(fmt_points).unwrap_or_else(|| "—".into())}</td>
                                    <td><input type="text" name="year_end" class="w-num" aria-label=ctx.t(K::ScYearEnd) prop:value=ye_text.clone()
                                        on:change=move |ev| {
                                            let v = event_target_value(&ev);
                                            let res = crate::domain::validate::parse_number(&v, K::ScYearEnd, "year_end").and_then(|x| match x {
                                                Some(x) => ctx.act(|tx| assessment::save_year_end(tx, &pid.get_value(), &plan.get_value(), &subject, x).map(|_| ())),
                                                None => Ok(()),
                                            });
                                            error.set(res.err().map(|e| ctx.err(&e)));
                                        } /><span class="print-value">{ye_text}</span></td>
                                    <td class="num strong" data-test="composite">{l.composite.map(fmt_points).unwrap_or_else(|| "—".into())}</td>
                                    <td class="small muted" data-test="year-how">{how}</td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            {move || error.get().map(|e| view! { <p class="field-error no-print" role="alert">{e}</p> })}
            <div class="print-foot"><div>{office}</div><div>{move || document::date_long(ctx.lang.get(), today())}</div></div>
        </div>
    }
}
