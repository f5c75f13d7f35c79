//! Reviews on screen: the risk review and acceptance cards of an item, the printable
//! acceptance report, and the reviews page (look-back, highlights, promotion, pilot leads).

use crate::domain::model::{coll, from_record};
use crate::domain::review::{self as rv, Decision, Finding, Finding3, Level, LookBack, PilotLead, PromotionBatch, RiskReview};
use crate::domain::scoring::fmt_points;
use crate::domain::tx::BoxedAction;
use crate::domain::{ops, PilotLevel, ReformItem, Status};
use crate::i18n::{t, tf, K};
use crate::ui::{ctx, parse_day, today, Route};
use leptos::prelude::*;

const FINDINGS: &[(&str, K)] = &[("feasibility", K::RvFeasibility), ("legality", K::RvLegality), ("stability", K::RvStability), ("opinion", K::RvOpinion)];

fn finding_mut<'a>(r: &'a mut RiskReview, key: &str) -> &'a mut Finding {
    match key {
        "feasibility" => &mut r.feasibility,
        "legality" => &mut r.legality,
        "stability" => &mut r.stability,
        _ => &mut r.opinion,
    }
}

fn finding_ref<'a>(r: &'a RiskReview, key: &str) -> &'a Finding {
    match key {
        "feasibility" => &r.feasibility,
        "legality" => &r.legality,
        "stability" => &r.stability,
        _ => &r.opinion,
    }
}

#[component]
pub fn RiskReviewCard(id: String) -> impl IntoView {
    let ctx = ctx();
    let id = StoredValue::new(id);
    let stored = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().and_then(|r| rv::risk_review(r, &id.get_value()))));
    let draft = RwSignal::new(stored.get_untracked().unwrap_or_else(|| {
        let mut r = RiskReview::default();
        for (k, _) in FINDINGS {
            finding_mut(&mut r, k).date = Some(today());
            finding_mut(&mut r, k).pass = true;
        }
        r
    }));
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let save = move |_| {
        let r = draft.get_untracked();
        match ctx.act(|tx| rv::save_risk_review(tx, &id.get_value(), &r)) {
            Ok(()) => {
                open.set(false);
                error.set(None);
            }
            Err(e) => error.set(Some(ctx.err(&e))),
        }
    };
    move || {
        let lang = ctx.lang.get();
        view! {
            <div class="card risk-card" data-test="risk-card">
                <h2>{t(lang, K::RvRisk)}</h2>
                {match stored.get() {
                    None => view! { <p class="muted">{t(lang, K::RvNone)}</p> }.into_any(),
                    Some(r) => view! {
                        <table class="table compact" data-test="risk-summary"><tbody>
                            {FINDINGS.iter().map(|(k, label)| { let f = finding_ref(&r, k).clone(); view! {
                                <tr><td>{t(lang, *label)}</td>
                                    <td>{if *k == "legality" { t(lang, if f.pass { K::RvPass } else { K::RvFailed }) } else { t(lang, f.level.label()) }}</td>
                                    <td class="small muted">{f.reviewer.clone()}</td></tr>
                            } }).collect_view()}
                            <tr><td><strong>{t(lang, K::RvOverall)}</strong></td><td><strong data-test="risk-overall">{t(lang, r.overall().label())}</strong></td><td></td></tr>
                        </tbody></table>
                        {r.decision.clone().map(|d| view! { <p class="small">{t(lang, K::RvDecision)}"："{d.reason}</p> })}
                    }.into_any(),
                }}
                <button class="link" data-test="edit-risk" on:click=move |_| open.update(|o| *o = !*o)>{t(lang, K::Edit)}</button>
                {move || open.get().then(|| view! {
                    <div class="risk-form">
                        {FINDINGS.iter().map(|(k, label)| {
                            let k: &'static str = k;
                            view! {
                                <fieldset class="finding">
                                    <legend>{t(lang, *label)}</legend>
                                    {if k == "legality" { view! {
                                        <select name=format!("rv_{k}_level") on:change=move |ev| { let v = event_target_value(&ev) == "pass"; draft.update(|r| finding_mut(r, k).pass = v); }>
                                            <option value="pass" selected=move || draft.with(|r| r.legality.pass)>{t(lang, K::RvPass)}</option>
                                            <option value="fail" selected=move || draft.with(|r| !r.legality.pass)>{t(lang, K::RvFailed)}</option>
                                        </select>
                                    }.into_any() } else { view! {
                                        <select name=format!("rv_{k}_level") on:change=move |ev| { let v = match event_target_value(&ev).as_str() { "high" => Level::High, "medium" => Level::Medium, _ => Level::Low }; draft.update(|r| finding_mut(r, k).level = v); }>
                                            {Level::ALL.iter().map(|l| { let l = *l; view! { <option value=format!("{l:?}").to_lowercase() selected=move || draft.with(|r| finding_ref(r, k).level == l)>{t(lang, l.label())}</option> } }).collect_view()}
                                        </select>
                                    }.into_any() }}
                                    <input type="text" name=format!("rv_{k}_finding") placeholder=t(lang, K::RvFinding) prop:value=move || draft.with(|r| finding_ref(r, k).finding.clone()) on:input=move |ev| { let v = event_target_value(&ev); draft.update(|r| finding_mut(r, k).finding = v); } />
                                    <input type="text" name=format!("rv_{k}_reviewer") class="w-unit" placeholder=t(lang, K::RvReviewer) prop:value=move || draft.with(|r| finding_ref(r, k).reviewer.clone()) on:input=move |ev| { let v = event_target_value(&ev); draft.update(|r| finding_mut(r, k).reviewer = v); } />
                                    <input type="date" name=format!("rv_{k}_date") prop:value=move || draft.with(|r| finding_ref(r, k).date.map(|d| d.to_string()).unwrap_or_default()) on:input=move |ev| { let v = parse_day(&event_target_value(&ev)); draft.update(|r| finding_mut(r, k).date = v); } />
                                </fieldset>
                            }
                        }).collect_view()}
                        <fieldset class="finding">
                            <legend>{t(lang, K::RvDecision)}</legend>
                            <label class="check"><input type="checkbox" name="rv_proceed" prop:checked=move || draft.with(|r| r.decision.as_ref().is_some_and(|d| d.proceed))
                                on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|r| { if on { r.decision.get_or_insert(Decision { proceed: true, date: Some(today()), ..Default::default() }).proceed = true } else { r.decision = None } }); } />{t(lang, K::RvProceed)}</label>
                            <input type="text" name="rv_reason" placeholder=t(lang, K::FReason) prop:value=move || draft.with(|r| r.decision.as_ref().map(|d| d.reason.clone()).unwrap_or_default())
                                on:input=move |ev| { let v = event_target_value(&ev); draft.update(|r| { let by = ctx.operator.get_untracked(); let d = r.decision.get_or_insert(Decision { proceed: true, date: Some(today()), ..Default::default() }); d.reason = v; d.by = by; }); } />
                        </fieldset>
                        {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-test="risk-error">{e}</p> })}
                        <button class="primary" data-test="save-risk" on:click=save>{t(lang, K::RvSave)}</button>
                    </div>
                })}
            </div>
        }
    }
}

#[component]
pub fn AcceptanceCard(id: String) -> impl IntoView {
    let ctx = ctx();
    let id = StoredValue::new(id);
    let item = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().and_then(|r| r.get_live(&id.get_value())).map(from_record::<ReformItem>)));
    let stored = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().and_then(|r| rv::acceptance(r, &id.get_value()))));
    let rules = ctx.reg.with_untracked(|r| r.as_ref().map(rv::acceptance_rules).unwrap_or_default());
    let ncrit = rules.criteria.len();
    let crit = StoredValue::new(rules.criteria.clone());
    let rules = StoredValue::new(rules);
    let init = stored.get_untracked().map(|a| rv::AcceptanceDraft::from_saved(&a)).unwrap_or_else(|| rv::AcceptanceDraft::blank(ncrit));
    let experts = RwSignal::new(init.experts);
    let survey = RwSignal::new([init.satisfied, init.basic, init.dissatisfied, init.respondents]);
    let required = RwSignal::new(init.required);
    let error = RwSignal::new(None::<String>);
    let evaluate = move |_| {
        let [satisfied, basic, dissatisfied, respondents] = survey.get_untracked();
        let draft = rv::AcceptanceDraft { experts: experts.get_untracked(), satisfied, basic, dissatisfied, respondents, required: required.get_untracked() };
        let res = rules.with_value(|r| draft.parse(r)).and_then(|(list, s, req)| ctx.act(|tx| ops::accept(tx, &id.get_value(), &list, &s, &req).map(|_| ())));
        match res {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(ctx.err(&e))),
        }
    };
    let survey_input = move |n: usize, k: K, name: &'static str| {
        view! {
            <label class="field"><span class="label">{ctx.t(k)}</span>
                <input type="text" name=name class="w-num" prop:value=move || survey.with(|s| s[n].clone()) on:input=move |ev| { let v = event_target_value(&ev); survey.update(|s| s[n] = v); } /></label>
        }
    };
    move || {
        let lang = ctx.lang.get();
        let Some(it) = item.get() else { return ().into_any() };
        if !matches!(it.status, Status::Completed | Status::Accepted) {
            return ().into_any();
        }
        let editable = it.status == Status::Completed;
        view! {
            <div class="card" data-test="acceptance-card">
                <h2>{t(lang, K::AcTitle)}</h2>
                {stored.get().map(|a| { let r = a.result; view! {
                    <p data-test="acceptance-result"><strong>{t(lang, K::AcComposite)}" "{fmt_points(r.composite)}" · "{t(lang, r.grade.label())}</strong>" · "{t(lang, if r.passed { K::AcPassed } else { K::AcFailed })}</p>
                    <a href=Route::AcceptanceReport(id.get_value()).href() data-test="acceptance-report-link">{t(lang, K::AcReport)}" →"</a>
                } })}
                {editable.then(|| view! {
                    <h3>{t(lang, K::AcExperts)}</h3>
                    <table class="table compact experts">
                        <thead><tr><th>{t(lang, K::AcExpert)}</th>{crit.get_value().into_iter().map(|(c, m)| view! { <th>{c}<br/><span class="muted small">{fmt_points(crate::domain::scoring::round2(m))}</span></th> }).collect_view()}</tr></thead>
                        <tbody>{move || (0..experts.with(|e| e.len())).map(|n| view! { <tr data-test="expert-row">
                            <td><input type="text" name="expert_name" class="w-unit" prop:value=move || experts.with(|e| e.get(n).map(|x| x.0.clone()).unwrap_or_default()) on:input=move |ev| { let v = event_target_value(&ev); experts.update(|e| if let Some(x) = e.get_mut(n) { x.0 = v }); } /></td>
                            {(0..ncrit).map(|c| view! { <td><input type="text" name="expert_score" class="w-tiny" prop:value=move || experts.with(|e| e.get(n).and_then(|x| x.1.get(c).cloned()).unwrap_or_default()) on:input=move |ev| { let v = event_target_value(&ev); experts.update(|e| if let Some(x) = e.get_mut(n) { x.1[c] = v }); } /></td> }).collect_view()}
                        </tr> }).collect_view()}</tbody>
                    </table>
                    <button class="link" data-test="add-expert" on:click=move |_| experts.update(|e| e.push((String::new(), vec![String::new(); ncrit])))>"＋ "{t(lang, K::AcAddExpert)}</button>
                    <h3>{t(lang, K::AcSurvey)}</h3>
                    <div class="row-inputs">{survey_input(0, K::AcSatisfied, "satisfied")}{survey_input(1, K::AcBasic, "basic")}{survey_input(2, K::AcDissatisfied, "dissatisfied")}{survey_input(3, K::AcRespondents, "respondents")}</div>
                    <h3>{t(lang, K::AcRequired)}</h3>
                    <div class="row-inputs">{it.indicators.iter().map(|i| { let n = i.name.clone(); let n2 = n.clone(); view! {
                        <label class="check"><input type="checkbox" prop:checked=move || required.with(|r| r.contains(&n)) on:change=move |ev| { let on = event_target_checked(&ev); let n = n2.clone(); required.update(|r| { r.retain(|x| x != &n); if on { r.push(n) } }); } />{i.name.clone()}</label>
                    } }).collect_view()}</div>
                    {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-test="acceptance-error">{e}</p> })}
                    <button class="primary" data-test="evaluate-acceptance" on:click=evaluate>{t(lang, K::AcEvaluate)}</button>
                })}
            </div>
        }.into_any()
    }
}

#[component]
pub fn AcceptanceReport(id: String) -> impl IntoView {
    let ctx = ctx();
    let id = StoredValue::new(id);
    move || {
        let lang = ctx.lang.get();
        let found = ctx.reg.with(|r| {
            let r = r.as_ref()?;
            Some((
                r.get_live(&id.get_value()).map(from_record::<ReformItem>)?,
                rv::acceptance(r, &id.get_value())?,
                rv::acceptance_rules(r),
                ops::my_office(r).map(|o| o.name).unwrap_or_default(),
            ))
        });
        let Some((item, acc, rules, office)) = found else { return view! { <p class="card">{t(lang, K::NoAcceptanceYet)}</p> }.into_any() };
        let res = acc.result.clone();
        view! {
            <section>
                <div class="no-print crumbs"><a href=Route::Item(id.get_value()).href()>"← "{item.title.clone()}</a>
                    <button class="secondary print-btn" on:click=move |_| { let _ = window().print(); }>{t(lang, K::Print)}</button></div>
                <article class="paper report" data-test="acceptance-report">
                    <div class="paper-head">{office.clone()}</div>
                    <h1 class="paper-title">{t(lang, K::AcReportTitle)}</h1>
                    <hr class="paper-rule"/>
                    <table class="table compact"><tbody>
                        <tr><td>{t(lang, K::FTitle)}</td><td colspan="3"><strong>{item.title.clone()}</strong></td></tr>
                        <tr><td>{t(lang, K::FLeadUnit)}</td><td>{item.lead_unit.clone()}</td><td>{t(lang, K::FKind)}</td><td>{t(lang, item.kind.label())}</td></tr>
                        <tr><td>{t(lang, K::FGoal)}</td><td colspan="3">{item.goal.clone()}</td></tr>
                    </tbody></table>
                    <h3>{crate::domain::document::section_no(lang, 1)}{t(lang, K::AcExpertsScore)}"："{fmt_points(res.experts)}{(!res.trimmed.is_empty()).then(|| format!("（{}）", t(lang, K::AcTrimmed)))}</h3>
                    <table class="table compact"><thead><tr><th>{t(lang, K::AcExpert)}</th>{rules.criteria.iter().map(|(c, _)| view! { <th class="num">{c.clone()}</th> }).collect_view()}<th class="num">{t(lang, K::ScTotal)}</th></tr></thead>
                        <tbody>{acc.experts.iter().map(|e| { let dropped = res.trimmed.contains(&e.name); view! {
                            <tr class:dropped=dropped><td>{e.name.clone()}{dropped.then_some(" ×")}</td>{e.scores.iter().map(|s| view! { <td class="num">{s.to_string()}</td> }).collect_view()}<td class="num">{e.scores.iter().sum::<f64>().to_string()}</td></tr>
                        } }).collect_view()}</tbody></table>
                    <h3>{crate::domain::document::section_no(lang, 2)}{t(lang, K::AcSatisfaction)}"："{fmt_points(res.satisfaction)}"%"</h3>
                    <p>{t(lang, K::AcSatisfied)}" "{acc.survey.satisfied}"，"{t(lang, K::AcBasic)}" "{acc.survey.basic}"，"{t(lang, K::AcDissatisfied)}" "{acc.survey.dissatisfied}"（"{t(lang, K::AcRespondents)}" "{acc.survey.respondents}"）"</p>
                    <h3>{crate::domain::document::section_no(lang, 3)}{t(lang, K::AcOutcomes)}"："{fmt_points(res.outcomes)}"%"</h3>
                    <table class="table compact"><tbody>{item.indicators.iter().zip(res.outcome_lines.iter()).map(|(i, (_, pct))| view! {
                        <tr><td>{i.name.clone()}</td><td class="num">{i.target}{i.unit.clone()}</td><td class="num">{i.actual.map(|a| a.to_string()).unwrap_or_default()}{i.unit.clone()}</td><td class="num">{fmt_points(*pct)}"%"</td></tr>
                    }).collect_view()}</tbody></table>
                    <h3>{crate::domain::document::section_no(lang, 4)}{t(lang, K::AcComposite)}"："<span data-test="report-composite">{fmt_points(res.composite)}</span>" · "{t(lang, K::AcGrade)}"："<span data-test="report-grade">{t(lang, res.grade.label())}</span></h3>
                    <p class="small">{tf(lang, K::AcWeights, &[rules.weight_experts.to_string(), rules.weight_public.to_string(), rules.weight_outcomes.to_string()])}</p>
                    {res.vetoes.iter().map(|(k, a)| view! { <p class="overdue">{tf(lang, if k == "satisfaction" { K::VetoSatisfaction } else { K::VetoRequired }, std::slice::from_ref(a))}</p> }).collect_view()}
                    <p><strong>{t(lang, if res.passed { K::AcPassed } else { K::AcFailed })}</strong></p>
                    <div class="paper-sign"><div>{office}</div><div>{acc.date.map(|d| crate::domain::document::date_long(lang, d)).unwrap_or_default()}</div></div>
                </article>
            </section>
        }.into_any()
    }
}

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let ctx = ctx();
    let items = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| ops::all::<ReformItem>(r, coll::ITEM)).unwrap_or_default()));
    let lookbacks = Memo::new(move |_| {
        ctx.reg.with(|r| {
            let mut v: Vec<(String, LookBack)> = r.as_ref().map(|r| ops::all(r, coll::LOOKBACK)).unwrap_or_default();
            v.sort_by_key(|x| std::cmp::Reverse(x.1.date));
            v
        })
    });
    let ranking = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(rv::highlight_ranking).unwrap_or_default()));
    let batches = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| ops::all::<PromotionBatch>(r, coll::PROMOTION)).unwrap_or_default()));
    let leads = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| ops::all::<PilotLead>(r, coll::PILOT_LEAD)).unwrap_or_default()));
    let title = move |id: &str| items.with(|v| v.iter().find(|(i, _)| i == id).map(|(_, x)| x.title.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let run = move |f: BoxedAction| {
        error.set(ctx.act(f).err().map(|e| ctx.err(&e)));
    };
    // Look-back form.
    let (lb_item, lb_finding, lb_note) = (RwSignal::new(String::new()), RwSignal::new(Finding3::Sustained), RwSignal::new(String::new()));
    // Highlight form.
    let criteria = rv::default_highlight_criteria();
    let nc = criteria.len();
    let (hl_item, hl_reviewer, hl_scores) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(vec![String::new(); nc]));
    let batch_name = RwSignal::new(String::new());
    let (pl_title, pl_level, pl_quarter, pl_unit) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let text = move |s: RwSignal<String>, k: K| view! { <input type="text" placeholder=ctx.t(k) prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev)) /> };

    view! {
        <section class="reviews-page">
            {move || error.get().map(|e| view! { <div class="banner error card-banner" role="alert">{e}</div> })}
            <div class="card">
                <h2>{ctx.t(K::LbTitle)}</h2>
                <table class="table compact"><tbody>{move || { let lang = ctx.lang.get(); lookbacks.get().into_iter().map(|(_, lb)| {
                    let it = items.with(|v| v.iter().find(|(i, _)| *i == lb.item).map(|x| x.1.clone()));
                    let bad = it.as_ref().is_some_and(|i| rv::slipped(i, &lb));
                    view! { <tr class:row-overdue=bad><td class="c-date">{lb.date.map(|d| d.to_string()).unwrap_or_default()}</td><td>{it.map(|i| format!("{}（{}）", i.title, i.year)).unwrap_or_default()}</td><td>{t(lang, lb.finding.label())}</td><td>{bad.then(|| view! { <span class="tag overdue-tag">{t(lang, K::LbSlipped)}</span> })}</td><td class="muted">{lb.note.clone()}</td></tr> }
                }).collect_view() }}</tbody></table>
                <div class="inline-form">
                    <select on:change=move |ev| lb_item.set(event_target_value(&ev))>
                        <option value="">{ctx.t(K::LbAdd)}</option>
                        {move || items.get().into_iter().filter(|(_, i)| i.status == Status::Accepted).map(|(id, i)| view! { <option value=id>{format!("{}（{}）", i.title, i.year)}</option> }).collect_view()}
                    </select>
                    <select on:change=move |ev| lb_finding.set(match event_target_value(&ev).as_str() { "weakened" => Finding3::Weakened, "lapsed" => Finding3::Lapsed, _ => Finding3::Sustained })>
                        {Finding3::ALL.iter().map(|f| view! { <option value=format!("{f:?}").to_lowercase()>{ctx.t(f.label())}</option> }).collect_view()}
                    </select>
                    {text(lb_note, K::FReason)}
                    <button class="secondary" on:click=move |_| {
                        let id = lb_item.get_untracked();
                        let figures = items.with_untracked(|v| v.iter().find(|(i, _)| *i == id).map(|(_, x)| x.indicators.iter().filter_map(|i| i.actual.map(|a| (i.name.clone(), a))).collect()).unwrap_or_default());
                        let lb = LookBack { item: id, date: Some(today()), figures, finding: lb_finding.get_untracked(), note: lb_note.get_untracked() };
                        run(Box::new(move |tx| rv::save_lookback(tx, &lb).map(|_| ())));
                    }>{ctx.t(K::Add)}</button>
                </div>
            </div>
            <div class="card">
                <h2>{ctx.t(K::HlTitle)}</h2>
                <table class="table compact"><thead><tr><th>{ctx.t(K::ScRank)}</th><th>{ctx.t(K::FTitle)}</th><th class="num">{ctx.t(K::HlAvg)}</th><th class="num">{ctx.t(K::HlReviewers)}</th></tr></thead>
                    <tbody>{move || ranking.get().into_iter().enumerate().map(|(n, (_, t, avg, k))| view! { <tr><td>{n + 1}</td><td>{t}</td><td class="num">{fmt_points(avg)}</td><td class="num">{k}</td></tr> }).collect_view()}</tbody></table>
                <div class="inline-form">
                    <select on:change=move |ev| hl_item.set(event_target_value(&ev))>
                        <option value="">{ctx.t(K::FTitle)}</option>
                        {move || items.get().into_iter().map(|(id, i)| view! { <option value=id>{i.title}</option> }).collect_view()}
                    </select>
                    {text(hl_reviewer, K::RvReviewer)}
                </div>
                <div class="inline-form">{criteria.iter().enumerate().map(|(n, c)| view! {
                    <label class="field small">{c.clone()}<input type="text" class="w-tiny" prop:value=move || hl_scores.with(|s| s[n].clone()) on:input=move |ev| { let v = event_target_value(&ev); hl_scores.update(|s| s[n] = v); } /></label>
                }).collect_view()}
                    <button class="secondary" on:click=move |_| {
                        let scores: Vec<f64> = hl_scores.get_untracked().iter().map(|s| s.trim().parse().unwrap_or(f64::NAN)).collect();
                        let s = rv::HighlightScore { item: hl_item.get_untracked(), reviewer: hl_reviewer.get_untracked(), scores };
                        let c = rv::default_highlight_criteria();
                        run(Box::new(move |tx| rv::save_highlight_score(tx, &c, &s)));
                    }>{ctx.t(K::Save)}</button>
                </div>
            </div>
            <div class="card">
                <h2>{ctx.t(K::PrTitle)}</h2>
                <ul>{move || batches.get().into_iter().map(|(_, b)| view! { <li><strong>{b.name.clone()}</strong>"："{b.items.iter().map(|i| title(i)).collect::<Vec<_>>().join("、")}</li> }).collect_view()}</ul>
                <div class="inline-form">
                    {text(batch_name, K::PrBatchName)}
                    <button class="secondary" on:click=move |_| {
                        let b = PromotionBatch { name: batch_name.get_untracked(), items: ranking.get_untracked().into_iter().take(rv::MAX_PROMOTED).map(|x| x.0).collect(), date: Some(today()) };
                        run(Box::new(move |tx| rv::save_batch(tx, &b).map(|_| ())));
                    }>{move || tf(ctx.lang.get(), K::PrCreate, &[rv::MAX_PROMOTED.to_string()])}</button>
                </div>
            </div>
            <div class="card">
                <h2>{ctx.t(K::PlTitle)}</h2>
                <table class="table compact"><tbody>{move || { let lang = ctx.lang.get(); leads.get().into_iter().map(|(id, l)| {
                    let l2 = l.clone();
                    view! { <tr><td>{l.title.clone()}</td><td>{l.level.map(|x| t(lang, x.label())).unwrap_or("")}</td><td>{l.quarter.clone()}</td><td>{l.unit.clone()}</td>
                        <td>{if l.won { view! { <span class="badge st-done">{t(lang, K::PlWon)}</span> }.into_any() } else { view! {
                            <button class="link" on:click=move |_| { let mut l = l2.clone(); l.won = true; let id = id.clone(); run(Box::new(move |tx| rv::save_lead(tx, Some(&id), &l).map(|_| ()))); }>{t(lang, K::PlPending)}" → "{t(lang, K::PlWon)}</button>
                        }.into_any() }}</td></tr> }
                }).collect_view() }}</tbody></table>
                <div class="inline-form">
                    {text(pl_title, K::FTitle)}
                    <select on:change=move |ev| pl_level.set(event_target_value(&ev))>
                        <option value="">{ctx.t(K::FPilotLevel)}</option>
                        {PilotLevel::ALL.iter().map(|p| view! { <option value=p.code()>{ctx.t(p.label())}</option> }).collect_view()}
                    </select>
                    {text(pl_quarter, K::PlQuarter)}{text(pl_unit, K::FLeadUnit)}
                    <button class="secondary" on:click=move |_| {
                        let l = PilotLead { title: pl_title.get_untracked(), level: PilotLevel::from_code(&pl_level.get_untracked()), quarter: pl_quarter.get_untracked(), unit: pl_unit.get_untracked(), won: false };
                        run(Box::new(move |tx| rv::save_lead(tx, None, &l).map(|_| ())));
                    }>{ctx.t(K::Add)}</button>
                </div>
            </div>
        </section>
    }
}
