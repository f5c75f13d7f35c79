//! Reviews on screen: the risk review and acceptance cards of an item, the printable
//! acceptance report, and the reviews page (look-back, highlights, promotion, pilot leads).

use crate::domain::model::{coll, from_record};
use crate::domain::review::{self as rv, Decision, Finding, Finding3, Level, LookBack, PilotLead, PromotionBatch, RiskReview};
use crate::domain::scoring::fmt_points;
use crate::domain::tx::BoxedAction;
use crate::domain::{ops, PilotLevel, ReformItem, Status};
use crate::i18n::{t, tf, K};
use crate::order::LeanSort;
use crate::ui::{ctx, parse_day, today, Route};
use leptos::prelude::*;

thread_local! {
    /// Acceptance forms typed but not evaluated, by item (kept while the tab is open).
    static ACCEPTANCE_DRAFTS: std::cell::RefCell<std::collections::HashMap<String, rv::AcceptanceDraft>> = Default::default();
}

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
                        {r.decision.clone().map(|d| view! { <p class="small">{t(lang, K::RvDecision)}{crate::i18n::colon(lang)}{d.reason}</p> })}
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
    // The office's rules for the item's year.
    let rules =
        ctx.reg.with_untracked(|r| r.as_ref().and_then(|r| r.get_live(&id.get_value()).map(|x| rv::acceptance_rules(r, &from_record(x))))).unwrap_or_default();
    let ncrit = rules.criteria.len();
    let crit = StoredValue::new(rules.criteria.clone());
    let rules = StoredValue::new(rules);
    // What was typed and not yet evaluated survives leaving the page (until the tab closes).
    let init = ACCEPTANCE_DRAFTS
        .with(|d| d.borrow().get(&id.get_value()).cloned())
        .filter(|d| d.experts.iter().all(|e| e.1.len() == ncrit))
        .or_else(|| stored.get_untracked().map(|a| rv::AcceptanceDraft::from_saved(&a)))
        .unwrap_or_else(|| rv::AcceptanceDraft::blank(ncrit));
    let experts = RwSignal::new(init.experts);
    let survey = RwSignal::new([init.satisfied, init.basic, init.dissatisfied, init.respondents]);
    let required = RwSignal::new(init.required);
    let error = RwSignal::new(None::<String>);
    let draft = move || {
        let [satisfied, basic, dissatisfied, respondents] = survey.get_untracked();
        rv::AcceptanceDraft { experts: experts.get_untracked(), satisfied, basic, dissatisfied, respondents, required: required.get_untracked() }
    };
    Effect::new(move |_| {
        experts.track();
        survey.track();
        required.track();
        let d = draft();
        ACCEPTANCE_DRAFTS.with(|m| m.borrow_mut().insert(id.get_value(), d));
    });
    let evaluate = move |_| {
        let draft = draft();
        let res = rules.with_value(|r| draft.parse(r)).and_then(|(list, s, req)| ctx.act(|tx| ops::accept(tx, &id.get_value(), &list, &s, &req).map(|_| ())));
        match res {
            Ok(()) => {
                ACCEPTANCE_DRAFTS.with(|m| m.borrow_mut().remove(&id.get_value()));
                error.set(None)
            }
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
                        <thead><tr><th>{t(lang, K::AcExpert)}</th>{crit.get_value().into_iter().map(|(c, m)| view! { <th>{crate::domain::labels::criterion_name(lang, &c)}<br/><span class="muted small">{fmt_points(crate::domain::scoring::round2(m))}</span></th> }).collect_view()}</tr></thead>
                        <tbody>{move || (0..experts.with(|e| e.len())).map(|n| view! { <tr data-test="expert-row">
                            <td><input type="text" name="expert_name" class="w-unit" prop:value=move || experts.with(|e| e.get(n).map(|x| x.0.clone()).unwrap_or_default()) on:input=move |ev| { let v = event_target_value(&ev); experts.update(|e| if let Some(x) = e.get_mut(n) { x.0 = v }); } /></td>
                            {(0..ncrit).map(|c| view! { <td><input type="text" name="expert_score" class="w-tiny" prop:value=move || experts.with(|e| e.get(n).and_then(|x| x.1.get(c).cloned()).unwrap_or_default()) on:input=move |ev| { let v = event_target_value(&ev); experts.update(|e| if let Some(x) = e.get_mut(n) { x.1[c] = v }); } /></td> }).collect_view()}
                        </tr> }).collect_view()}</tbody>
                    </table>
                    <button class="link" data-test="add-expert" on:click=move |_| experts.update(|e| e.push((String::new(), vec![String::new(); ncrit])))>"+ "{t(lang, K::AcAddExpert)}</button>
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
            let item = r.get_live(&id.get_value()).map(from_record::<ReformItem>)?;
            let acc = rv::acceptance(r, &id.get_value())?;
            // Printed with the rules it was worked out with.
            let rules = rv::rules_used(r, &item, &acc);
            Some((item, acc, rules, ops::my_office(r).map(|o| o.name).unwrap_or_default()))
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
                    <h2>{crate::domain::document::section_no(lang, 1)}{t(lang, K::AcExpertsScore)}{crate::i18n::colon(lang)}{fmt_points(res.experts)}{(!res.trimmed.is_empty()).then(|| crate::i18n::paren(lang, t(lang, K::AcTrimmed)))}</h2>
                    <table class="table compact"><thead><tr><th>{t(lang, K::AcExpert)}</th>{rules.criteria.iter().map(|(c, _)| view! { <th class="num">{crate::domain::labels::criterion_name(lang, c)}</th> }).collect_view()}<th class="num">{t(lang, K::ScTotal)}</th></tr></thead>
                        <tbody>{acc.experts.iter().map(|e| { let dropped = res.trimmed.contains(&e.name); view! {
                            <tr class:dropped=dropped><td>{e.name.clone()}{dropped.then_some(" ×")}</td>{e.scores.iter().map(|s| view! { <td class="num">{s.to_string()}</td> }).collect_view()}<td class="num">{e.scores.iter().sum::<f64>().to_string()}</td></tr>
                        } }).collect_view()}</tbody></table>
                    <h2>{crate::domain::document::section_no(lang, 2)}{t(lang, K::AcSatisfaction)}{crate::i18n::colon(lang)}{fmt_points(res.satisfaction)}"%"</h2>
                    <p>{t(lang, K::AcSatisfied)}" "{acc.survey.satisfied}{crate::i18n::comma(lang)}{t(lang, K::AcBasic)}" "{acc.survey.basic}{crate::i18n::comma(lang)}{t(lang, K::AcDissatisfied)}" "{acc.survey.dissatisfied}"（"{t(lang, K::AcRespondents)}" "{acc.survey.respondents}"）"</p>
                    <h2>{crate::domain::document::section_no(lang, 3)}{t(lang, K::AcOutcomes)}{crate::i18n::colon(lang)}{fmt_points(res.outcomes)}"%"</h2>
                    <table class="table compact"><tbody>{item.indicators.iter().zip(res.outcome_lines.iter()).map(|(i, (_, pct))| view! {
                        <tr><td>{i.name.clone()}</td><td class="num">{i.target}{i.unit.clone()}</td><td class="num">{i.actual.map(|a| a.to_string()).unwrap_or_default()}{i.unit.clone()}</td><td class="num">{fmt_points(*pct)}"%"</td></tr>
                    }).collect_view()}</tbody></table>
                    <h2>{crate::domain::document::section_no(lang, 4)}{t(lang, K::AcComposite)}{crate::i18n::colon(lang)}<span data-test="report-composite">{fmt_points(res.composite)}</span>" · "{t(lang, K::AcGrade)}{crate::i18n::colon(lang)}<span data-test="report-grade">{t(lang, res.grade.label())}</span></h2>
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
    let error = RwSignal::new(None::<String>);
    view! {
        <section class="reviews-page">
            <h1 class="page-title">{ctx.t(K::NavReviews)}</h1>
            {move || error.get().map(|e| view! { <div class="banner error card-banner" role="alert" data-test="reviews-error">{e}</div> })}
            <LookbackCard error=error/>
            <HighlightCard error=error/>
            <PromotionCard error=error/>
            <PilotCard error=error/>
            <RulesCard/>
        </section>
    }
}

fn runner(error: RwSignal<Option<String>>) -> impl Fn(BoxedAction) -> bool + Copy {
    let ctx = ctx();
    move |f: BoxedAction| {
        let e = ctx.act(f).err().map(|e| ctx.err(&e));
        let ok = e.is_none();
        error.set(e);
        ok
    }
}

fn items_memo() -> Memo<Vec<(String, ReformItem)>> {
    let ctx = ctx();
    Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| ops::all::<ReformItem>(r, coll::ITEM)).unwrap_or_default()))
}

/// 回头看: what the rules schedule, what slipped and needs a follow-up, and the record.
#[component]
fn LookbackCard(error: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = ctx();
    let run = runner(error);
    let items = items_memo();
    let lookbacks = Memo::new(move |_| {
        ctx.reg.with(|r| {
            let mut v: Vec<(String, LookBack)> = r.as_ref().map(|r| ops::all(r, coll::LOOKBACK)).unwrap_or_default();
            v.lean_sort_by_key(|x| std::cmp::Reverse(x.1.date));
            v
        })
    });
    let due = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| rv::lookbacks_due(r, today())).unwrap_or_default()));
    let pending = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(rv::followups_pending).unwrap_or_default()));
    let (lb_item, lb_finding, lb_note) = (RwSignal::new(String::new()), RwSignal::new(Finding3::Sustained), RwSignal::new(String::new()));
    let follow_text = RwSignal::new(String::new());
    view! {
        <div class="card">
            <h2>{ctx.t(K::LbTitle)}</h2>
            {move || (!due.with(|d| d.is_empty())).then(|| { let lang = ctx.lang.get(); view! {
                <h3>{t(lang, K::LbDue)}</h3>
                <ul data-test="lookbacks-due">{due.get().into_iter().map(|(id, title, d)| view! {
                    <li class:overdue=d < today()><a href=Route::Item(id).href()>{title}</a>" · "{tf(lang, K::LbDueOn, &[crate::domain::document::date_long(lang, d)])}</li>
                }).collect_view()}</ul>
            } })}
            {move || (!pending.with(|d| d.is_empty())).then(|| { let lang = ctx.lang.get(); view! {
                <h3>{t(lang, K::LbFollowUp)}</h3>
                <p class="small muted">{t(lang, K::LbFollowUpHint)}</p>
                <input type="text" data-test="followup-text" placeholder=t(lang, K::FReason) aria-label=t(lang, K::FReason) prop:value=move || follow_text.get() on:input=move |ev| follow_text.set(event_target_value(&ev)) />
                <ul data-test="followups">{pending.get().into_iter().map(|(lid, lb, title)| { let lid2 = lid.clone(); view! {
                    <li>{title}" · "{lb.date.map(|d| d.to_string()).unwrap_or_default()}" · "{t(lang, lb.finding.label())}" "
                        <button type="button" class="secondary" data-test="followup-notice" on:click=move |_| {
                            let (lid, text) = (lid.clone(), follow_text.get_untracked());
                            run(Box::new(move |tx| rv::follow_up_with_notice(tx, &lid, crate::domain::monthly::NoticeKind::Urging, &text, Some(today() + chrono::Days::new(15))).map(|_| ())));
                        }>{t(lang, K::LbIssueNotice)}</button>" "
                        <button type="button" class="secondary" data-test="followup-reopen" on:click=move |_| {
                            let (lid, text) = (lid2.clone(), follow_text.get_untracked());
                            run(Box::new(move |tx| rv::reopen_after_lookback(tx, &lid, &text)));
                        }>{t(lang, K::LbReopen)}</button></li>
                } }).collect_view()}</ul>
            } })}
            <table class="table compact" data-test="lookbacks"><tbody>{move || { let lang = ctx.lang.get(); lookbacks.get().into_iter().map(|(_, lb)| {
                let it = items.with(|v| v.iter().find(|(i, _)| *i == lb.item).map(|x| x.1.clone()));
                let bad = it.as_ref().is_some_and(|i| rv::slipped(i, &lb));
                view! { <tr class:row-overdue=bad><td class="c-date">{lb.date.map(|d| d.to_string()).unwrap_or_default()}</td><td>{it.map(|i| format!("{}{}", i.title, crate::i18n::paren(lang, &i.year.to_string()))).unwrap_or_default()}</td><td>{t(lang, lb.finding.label())}</td><td>{bad.then(|| view! { <span class="tag overdue-tag">{t(lang, K::LbSlipped)}</span> })}</td><td class="muted">{lb.note.clone()}</td></tr> }
            }).collect_view() }}</tbody></table>
            <div class="inline-form">
                <select aria-label=ctx.t(K::LbAdd) data-test="lb-item" on:change=move |ev| lb_item.set(event_target_value(&ev))>
                    <option value="">{ctx.t(K::LbAdd)}</option>
                    {move || items.get().into_iter().filter(|(_, i)| i.status == Status::Accepted).map(|(id, i)| view! { <option value=id>{format!("{}{}", i.title, crate::i18n::paren(ctx.lang.get(), &i.year.to_string()))}</option> }).collect_view()}
                </select>
                <select aria-label=ctx.t(K::LbFinding) data-test="lb-finding" on:change=move |ev| lb_finding.set(match event_target_value(&ev).as_str() { "weakened" => Finding3::Weakened, "lapsed" => Finding3::Lapsed, _ => Finding3::Sustained })>
                    {Finding3::ALL.iter().map(|f| view! { <option value=format!("{f:?}").to_lowercase()>{ctx.t(f.label())}</option> }).collect_view()}
                </select>
                <input type="text" placeholder=ctx.t(K::FReason) aria-label=ctx.t(K::FReason) prop:value=move || lb_note.get() on:input=move |ev| lb_note.set(event_target_value(&ev)) />
                <button class="secondary" data-test="lb-add" on:click=move |_| {
                    let id = lb_item.get_untracked();
                    let figures = items.with_untracked(|v| v.iter().find(|(i, _)| *i == id).map(|(_, x)| x.indicators.iter().filter_map(|i| i.actual.map(|a| (i.name.clone(), a))).collect()).unwrap_or_default());
                    let lb = LookBack { item: id, date: Some(today()), figures, finding: lb_finding.get_untracked(), note: lb_note.get_untracked(), ..Default::default() };
                    run(Box::new(move |tx| rv::save_lookback(tx, &lb).map(|_| ())));
                }>{ctx.t(K::Add)}</button>
            </div>
        </div>
    }
}

/// 出圈评审: each reviewer scores an item 0–10 on the standards of the item's year.
#[component]
fn HighlightCard(error: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = ctx();
    let run = runner(error);
    let items = items_memo();
    let ranking = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(rv::highlight_ranking).unwrap_or_default()));
    let (hl_item, hl_reviewer, hl_scores) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(Vec::<String>::new()));
    // The standards follow the chosen item's year (or this year's before one is chosen).
    let criteria = Memo::new(move |_| {
        let item = hl_item.get();
        ctx.reg.with(|r| {
            r.as_ref()
                .map(|r| {
                    if item.is_empty() {
                        crate::domain::rules::for_year(r, chrono::Datelike::year(&today())).highlight
                    } else {
                        rv::highlight_criteria(r, &item)
                    }
                })
                .unwrap_or_default()
        })
    });
    Effect::new(move |_| {
        let n = criteria.with(|c| c.len());
        hl_scores.set(vec![String::new(); n]);
    });
    view! {
        <div class="card">
            <h2>{ctx.t(K::HlTitle)}</h2>
            <table class="table compact" data-test="highlight-ranking"><thead><tr><th>{ctx.t(K::ScRank)}</th><th>{ctx.t(K::FTitle)}</th><th class="num">{ctx.t(K::HlAvg)}</th><th class="num">{ctx.t(K::HlReviewers)}</th></tr></thead>
                <tbody>{move || ranking.get().into_iter().enumerate().map(|(n, (_, t, avg, k))| view! { <tr><td>{n + 1}</td><td>{t}</td><td class="num">{fmt_points(avg)}</td><td class="num">{k}</td></tr> }).collect_view()}</tbody></table>
            <div class="inline-form">
                <select aria-label=ctx.t(K::FTitle) data-test="hl-item" on:change=move |ev| hl_item.set(event_target_value(&ev))>
                    <option value="">{ctx.t(K::FTitle)}</option>
                    {move || items.get().into_iter().map(|(id, i)| view! { <option value=id>{i.title}</option> }).collect_view()}
                </select>
                <input type="text" data-test="hl-reviewer" placeholder=ctx.t(K::RvReviewer) aria-label=ctx.t(K::RvReviewer) prop:value=move || hl_reviewer.get() on:input=move |ev| hl_reviewer.set(event_target_value(&ev)) />
            </div>
            <div class="inline-form" data-test="hl-criteria">{move || criteria.get().into_iter().enumerate().map(|(n, c)| view! {
                <label class="field small">{crate::domain::labels::criterion_name(ctx.lang.get(), &c.name)}<span class="muted">" ×"{crate::domain::scoring::figure_text(c.weight)}"%"</span>
                    <input type="text" name="hl_score" class="w-tiny" prop:value=move || hl_scores.with(|s| s.get(n).cloned().unwrap_or_default()) on:input=move |ev| { let v = event_target_value(&ev); hl_scores.update(|s| if let Some(x) = s.get_mut(n) { *x = v }); } /></label>
            }).collect_view()}
                <button class="secondary" data-test="hl-save" on:click=move |_| {
                    let scores: Vec<f64> = hl_scores.get_untracked().iter().map(|s| s.trim().parse().unwrap_or(f64::NAN)).collect();
                    let s = rv::HighlightScore { item: hl_item.get_untracked(), reviewer: hl_reviewer.get_untracked(), scores, ..Default::default() };
                    run(Box::new(move |tx| rv::save_highlight_score(tx, &s)));
                }>{ctx.t(K::Save)}</button>
            </div>
        </div>
    }
}

/// 经验推广: ticked by hand, or proposed by the promotion line or the top N; the rules bound it.
#[component]
fn PromotionCard(error: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = ctx();
    let run = runner(error);
    let items = items_memo();
    let ranking = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(rv::highlight_ranking).unwrap_or_default()));
    let batches = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| ops::all::<PromotionBatch>(r, coll::PROMOTION)).unwrap_or_default()));
    let rules =
        Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| crate::domain::rules::for_year(r, chrono::Datelike::year(&today()))).unwrap_or_default()));
    let picked = RwSignal::new(Vec::<String>::new());
    let batch_name = RwSignal::new(String::new());
    let title = move |id: &str| items.with(|v| v.iter().find(|(i, _)| i == id).map(|(_, x)| x.title.clone()).unwrap_or_default());
    let propose = move |p: rv::Pick| picked.set(ctx.reg.with_untracked(|r| r.as_ref().map(|r| rv::propose_batch(r, p)).unwrap_or_default()));
    view! {
        <div class="card">
            <h2>{ctx.t(K::PrTitle)}</h2>
            <ul>{move || batches.get().into_iter().map(|(_, b)| view! { <li><strong>{b.name.clone()}</strong>{crate::i18n::colon(ctx.lang.get())}{b.items.iter().map(|i| title(i)).collect::<Vec<_>>().join(crate::i18n::list_sep(ctx.lang.get()))}</li> }).collect_view()}</ul>
            <p class="small muted">{move || tf(ctx.lang.get(), K::PrRule, &[fmt_points(crate::domain::scoring::round2(rules.get().promote_min)), rules.get().promote_max.to_string()])}</p>
            <ul class="plain" data-test="promote-candidates">{move || ranking.get().into_iter().map(|(id, title, avg, _)| { let (i1, i2) = (id.clone(), id.clone()); view! {
                <li><label class="check"><input type="checkbox" prop:checked=move || picked.with(|p| p.contains(&i1)) on:change=move |ev| { let on = event_target_checked(&ev); let id = i2.clone(); picked.update(|p| { p.retain(|x| *x != id); if on { p.push(id) } }); } />
                    {title}" · "{fmt_points(avg)}</label></li>
            } }).collect_view()}</ul>
            <div class="inline-form">
                <button type="button" class="link" data-test="pick-line" on:click=move |_| propose(rv::Pick::AtLeast(rules.get_untracked().promote_min))>{ctx.t(K::PrPickLine)}</button>
                <button type="button" class="link" data-test="pick-top" on:click=move |_| propose(rv::Pick::Top(rules.get_untracked().promote_max))>{move || tf(ctx.lang.get(), K::PrCreate, &[rules.get().promote_max.to_string()])}</button>
            </div>
            <div class="inline-form">
                <input type="text" data-test="batch-name" placeholder=ctx.t(K::PrBatchName) aria-label=ctx.t(K::PrBatchName) prop:value=move || batch_name.get() on:input=move |ev| batch_name.set(event_target_value(&ev)) />
                <button class="secondary" data-test="batch-save" on:click=move |_| {
                    let b = PromotionBatch { name: batch_name.get_untracked(), items: picked.get_untracked(), date: Some(today()) };
                    if run(Box::new(move |tx| rv::save_batch(tx, &b).map(|_| ()))) {
                        picked.set(vec![]);
                        batch_name.set(String::new());
                    }
                }>{move || tf(ctx.lang.get(), K::PrSave, &[picked.with(|p| p.len()).to_string()])}</button>
            </div>
        </div>
    }
}

/// 试点线索: a won lead becomes the pilot item, linked.
#[component]
fn PilotCard(error: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = ctx();
    let run = runner(error);
    let leads = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| ops::all::<PilotLead>(r, coll::PILOT_LEAD)).unwrap_or_default()));
    let units =
        Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| crate::domain::org::active_names(r, crate::domain::org::OrgKind::Unit)).unwrap_or_default()));
    let (pl_title, pl_level, pl_quarter, pl_unit) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let text = move |s: RwSignal<String>, k: K, test: &'static str| view! { <input type="text" data-test=test placeholder=ctx.t(k) aria-label=ctx.t(k) prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev)) /> };
    view! {
        <div class="card">
            <h2>{ctx.t(K::PlTitle)}</h2>
            <table class="table compact" data-test="leads"><tbody>{move || { let lang = ctx.lang.get(); leads.get().into_iter().map(|(id, l)| {
                let l2 = l.clone();
                view! { <tr><td>{l.title.clone()}</td><td>{l.level.map(|x| t(lang, x.label())).unwrap_or("")}</td><td>{l.quarter.clone()}</td><td>{l.unit.clone()}</td>
                    <td>{if l.won { view! { <span class="badge st-done">{t(lang, K::PlWon)}</span>
                        {(!l.item.is_empty()).then(|| view! { " " <a href=Route::Item(l.item.clone()).href() data-test="lead-item">{t(lang, K::PlItem)}" →"</a> })} }.into_any() } else { view! {
                        <button class="link" data-test="lead-won" on:click=move |_| { let mut l = l2.clone(); l.won = true; let id = id.clone(); run(Box::new(move |tx| rv::save_lead(tx, Some(&id), &l).map(|_| ()))); }>{t(lang, K::PlPending)}" → "{t(lang, K::PlWon)}</button>
                    }.into_any() }}</td></tr> }
            }).collect_view() }}</tbody></table>
            <datalist id="lead-units">{move || units.get().into_iter().map(|u| view! { <option value=u></option> }).collect_view()}</datalist>
            <div class="inline-form">
                {text(pl_title, K::FTitle, "lead-title")}
                <select aria-label=ctx.t(K::FPilotLevel) data-test="lead-level" on:change=move |ev| pl_level.set(event_target_value(&ev))>
                    <option value="">{ctx.t(K::FPilotLevel)}</option>
                    {PilotLevel::ALL.iter().map(|p| view! { <option value=p.code()>{ctx.t(p.label())}</option> }).collect_view()}
                </select>
                {text(pl_quarter, K::PlQuarter, "lead-quarter")}
                <input type="text" list="lead-units" data-test="lead-unit" placeholder=ctx.t(K::FLeadUnit) aria-label=ctx.t(K::FLeadUnit) prop:value=move || pl_unit.get() on:input=move |ev| pl_unit.set(event_target_value(&ev)) />
                <button class="secondary" data-test="lead-add" on:click=move |_| {
                    let l = PilotLead { title: pl_title.get_untracked(), level: PilotLevel::from_code(&pl_level.get_untracked()), quarter: pl_quarter.get_untracked(), unit: pl_unit.get_untracked(), ..Default::default() };
                    run(Box::new(move |tx| rv::save_lead(tx, None, &l).map(|_| ())));
                }>{ctx.t(K::Add)}</button>
            </div>
        </div>
    }
}

/// 本机构规则: the office's own acceptance, 出圈, promotion and look-back rules for a year.
#[component]
fn RulesCard() -> impl IntoView {
    use crate::domain::rules::{self, RulesDraft};
    let ctx = ctx();
    let year = RwSignal::new(chrono::Datelike::year(&today()));
    let load = move |y: i32| RulesDraft::from_rules(&ctx.reg.with_untracked(|r| r.as_ref().map(|r| rules::for_year(r, y)).unwrap_or_default()));
    let draft = RwSignal::new(load(year.get_untracked()));
    let msg = RwSignal::new(None::<(bool, String)>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let y = year.get_untracked();
        let base = ctx.reg.with_untracked(|r| r.as_ref().map(|r| rules::for_year(r, y)).unwrap_or_default());
        match draft.get_untracked().to_rules(&base).and_then(|r| ctx.act(|tx| rules::save(tx, y, &r))) {
            Ok(()) => msg.set(Some((true, crate::i18n::t(ctx.lang.get_untracked(), K::RuSaved).into()))),
            Err(e) => msg.set(Some((false, ctx.err(&e)))),
        }
    };
    macro_rules! field {
        ($f:ident, $k:expr, $name:literal) => {
            view! { <label class="field"><span class="label">{ctx.t($k)}</span>
                <input type="text" name=$name class="w-num" prop:value=move || draft.with(|d| d.$f.clone()) on:input=move |ev| draft.update(|d| d.$f = event_target_value(&ev)) /></label> }
        };
    }
    macro_rules! area {
        ($f:ident, $k:expr, $hint:expr, $name:literal) => {
            view! { <label class="field wide"><span class="label">{ctx.t($k)}</span><span class="muted small">{ctx.t($hint)}</span>
                <textarea name=$name rows="5" prop:value=move || draft.with(|d| d.$f.clone()) on:input=move |ev| draft.update(|d| d.$f = event_target_value(&ev))></textarea></label> }
        };
    }
    let this_year = chrono::Datelike::year(&today());
    let pick_year = move |v: String| {
        if let Ok(y) = v.parse::<i32>() {
            year.set(y);
            draft.set(load(y));
            msg.set(None);
        }
    };
    view! {
        <form class="card form rules-form" data-test="rules-form" on:submit=save>
            <h2>{ctx.t(K::RuTitle)}</h2>
            <label class="field"><span class="label">{ctx.t(K::RuYear)}</span>
                <select name="rules_year" on:change=move |ev| pick_year(event_target_value(&ev))>
                    {(this_year - 1..=this_year + 1).map(|y| view! { <option value=y.to_string() selected=move || year.get() == y>{y}</option> }).collect_view()}
                </select></label>
            <div class="grid2">
                {area!(acceptance_criteria, K::RuAcceptCriteria, K::RuAcceptHint, "acceptance_criteria")}
                {field!(weight_experts, K::RuWeightExperts, "weight_experts")}
                {field!(weight_public, K::RuWeightPublic, "weight_public")}
                {field!(weight_outcomes, K::RuWeightOutcomes, "weight_outcomes")}
                {field!(excellent, K::GrExcellent, "excellent")}
                {field!(good, K::GrGood, "good")}
                {field!(pass, K::GrPass, "pass")}
                {field!(veto, K::RuVeto, "veto")}
                {field!(min_sample, K::RuMinSample, "min_sample")}
                {area!(highlight, K::RuHighlight, K::RuHighlightHint, "highlight")}
                {field!(promote_min, K::RuPromoteMin, "promote_min")}
                {field!(promote_max, K::RuPromoteMax, "promote_max")}
                {field!(lookback_months, K::RuLookback, "lookback_months")}
            </div>
            {move || msg.get().map(|(ok, m)| view! { <p class:ok=ok class:field-error=!ok role="status" data-test="rules-msg">{m}</p> })}
            <div class="form-actions"><button type="submit" class="primary" data-test="save-rules">{ctx.t(K::Save)}</button></div>
        </form>
    }
}
