//! The monthly cycle on screen: dispatch (调度), supervision (督察督办) with printable notices,
//! the monthly bulletin (通报), and the start-page dashboard.

use super::ledger::ExportButtons;
use crate::domain::model::{coll, from_record};
use crate::domain::monthly::{self as mc, DispatchQuery, Month, MonthStatus, Notice, NoticeKind, NoticeState, Report, Rules, Visit};
use crate::domain::validate::parse_number;
use crate::domain::{assessment, document, ops, publish, scoring, Group, ReformItem};
use crate::i18n::{t, tf, Lang, K};
use crate::order::LeanSort;
use crate::sheet::tables as sheet_tables;
use crate::ui::{ctx, parse_day, today, Bar, BarList, Route};
use chrono::Duration;
use leptos::prelude::*;
use std::collections::BTreeMap;

pub fn ms_class(s: MonthStatus) -> &'static str {
    match s {
        MonthStatus::Overdue => "ms-overdue",
        MonthStatus::NoReport => "ms-noreport",
        MonthStatus::AtRisk => "ms-risk",
        MonthStatus::OnSchedule => "ms-ok",
        MonthStatus::Done => "ms-done",
        _ => "ms-gray",
    }
}

/// The last twelve months, newest first.
fn recent_months() -> Vec<Month> {
    let mut m = Month::of(today());
    let mut v = vec![];
    for _ in 0..12 {
        v.push(m);
        m = m.prev();
    }
    v
}

fn month_select(month: RwSignal<Month>) -> impl IntoView {
    view! {
        <select name="month" aria-label=ctx().t(K::DpMonth) on:change=move |ev| if let Some(m) = Month::parse(&event_target_value(&ev)) { month.set(m) }>
            {recent_months().into_iter().map(|m| view! { <option value=m.code() selected=move || month.get() == m>{m.code()}</option> }).collect_view()}
        </select>
    }
}

// ---------------------------------------------------------------- dispatch

#[derive(Clone, Default)]
struct Entry {
    percent: String,
    milestone: String,
    done: String,
    problems: String,
    next: String,
}

#[component]
pub fn DispatchPage() -> impl IntoView {
    let ctx = ctx();
    let month = RwSignal::new(Month::of(ctx.derived.day.get_untracked()));
    let rules = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(mc::rules).unwrap_or_default()));
    // This month's rows are the app's (made once for the dashboard too); another month's here.
    let rows = Memo::new(move |_| {
        let (m, day) = (month.get(), ctx.derived.day.get());
        if m == Month::of(day) {
            return ctx.derived.month_rows.get();
        }
        let rd = rules.with(|r| r.risk_days);
        std::sync::Arc::new(ctx.reg.with(|r| r.as_ref().map(|r| mc::dispatch_rows(r, m, day, rd)).unwrap_or_default()))
    });
    let (unit, group, official) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let only_missing = RwSignal::new(false);
    let query = Memo::new(move |_| DispatchQuery { unit: unit.get(), group: group.get(), official: official.get(), only_missing: only_missing.get() });
    // Positions in `rows` (not copies: a city's month is 10,000 rows, of which a page is drawn).
    let shown = Memo::new(move |_| query.with(|q| rows.with(|rows| mc::dispatch_query(rows, q))));
    let paging = crate::ui::Paging::new(DISPATCH_PAGE);
    let units = Memo::new(move |_| {
        rows.with(|r| r.iter().map(|x| x.item.lead_unit.clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>())
    });
    let officials = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .map(|x| x.item.leading_official.clone())
                .filter(|x| !x.is_empty())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        })
    });
    let groups = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| ops::all::<Group>(r, coll::GROUP)).unwrap_or_default()));
    let entries = RwSignal::new(BTreeMap::<String, Entry>::new());
    let editing = RwSignal::new(std::collections::BTreeSet::<String>::new());
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let counts = move || {
        let mut c: BTreeMap<MonthStatus, usize> = BTreeMap::new();
        rows.with(|r| r.iter().for_each(|x| *c.entry(x.status).or_default() += 1));
        c
    };

    let submit = move |id: String| {
        let e = entries.with_untracked(|m| m.get(&id).cloned().unwrap_or_default());
        let m = month.get_untracked();
        let correcting = editing.with_untracked(|s| s.contains(&id));
        let res = parse_number(&e.percent, K::FPercent, "percent").and_then(|p| {
            let rep = Report {
                percent: p,
                milestone: e.milestone.clone(),
                done: e.done.trim().into(),
                problems: e.problems.trim().into(),
                next_steps: e.next.trim().into(),
                reported_by: ctx.operator.get_untracked(),
                ..Default::default()
            };
            ctx.act(|tx| if correcting { mc::correct_report(tx, &id, m, &rep).map(|_| ()) } else { mc::file_report(tx, &id, m, &rep) })
        });
        match res {
            Ok(()) => {
                errors.update(|x| {
                    x.remove(&id);
                });
                editing.update(|s| {
                    s.remove(&id);
                });
                entries.update(|x| {
                    x.remove(&id);
                });
                // Fast entry: jump to the next row still waiting for a report.
                if let Some(next) = document().query_selector("[data-test=dispatch-row] input[name=percent]").ok().flatten() {
                    let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(next).focus();
                }
            }
            Err(e) => errors.update(|x| {
                x.insert(id, ctx.err(&e));
            }),
        }
    };

    let field = move |id: String, name: &'static str, ph: K, get: fn(&Entry) -> String, set: fn(&mut Entry, String), cls: &'static str| {
        let id2 = id.clone();
        let id3 = id.clone();
        view! { <input type="text" name=name class=cls placeholder=ctx.t(ph)
        prop:value=move || entries.with(|m| m.get(&id).map(get).unwrap_or_default())
        on:input=move |ev| { let v = event_target_value(&ev); entries.update(|m| set(m.entry(id2.clone()).or_default(), v)); }
        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" { ev.prevent_default(); submit(id3.clone()); } /> }
    };

    view! {
        <section class="dispatch-page">
            <h1 class="sr-only">{ctx.t(K::NavDispatch)}</h1>
            <crate::ui::PrintHead title=Signal::derive(move || format!("{} · {}", document::month_long(ctx.lang.get(), month.get()), crate::i18n::t(ctx.lang.get(), K::NavDispatch)))/>
            <div class="card filters">
                <strong>{ctx.t(K::NavDispatch)}</strong>
                {month_select(month)}
                <select name="unit" aria-label=ctx.t(K::FLeadUnit) on:change=move |ev| unit.set(event_target_value(&ev))>
                    <option value="">{ctx.t(K::FLeadUnit)}": "{ctx.t(K::All)}</option>
                    {move || units.get().into_iter().map(|u| view! { <option value=u.clone()>{u.clone()}</option> }).collect_view()}
                </select>
                <select name="group" aria-label=ctx.t(K::FSpecialGroup) on:change=move |ev| group.set(event_target_value(&ev))>
                    <option value="">{ctx.t(K::FSpecialGroup)}": "{ctx.t(K::All)}</option>
                    {move || groups.get().into_iter().map(|(id, g)| view! { <option value=id>{g.name}</option> }).collect_view()}
                </select>
                <select name="official" aria-label=ctx.t(K::FLeadingOfficial) on:change=move |ev| official.set(event_target_value(&ev))>
                    <option value="">{ctx.t(K::FLeadingOfficial)}": "{ctx.t(K::All)}</option>
                    {move || officials.get().into_iter().map(|u| view! { <option value=u.clone()>{u.clone()}</option> }).collect_view()}
                </select>
                <label class="check"><input type="checkbox" prop:checked=move || only_missing.get() on:change=move |ev| only_missing.set(event_target_checked(&ev)) />{ctx.t(K::DpOnlyMissing)}</label>
                <ExportButtons what=K::XlDispatch book=Callback::new(move |_| {
                    let lang = ctx.lang.get_untracked();
                    let office = ctx.reg.with_untracked(|r| r.as_ref().and_then(ops::my_office).map(|o| o.name).unwrap_or_default());
                    rows.with_untracked(|rows| shown.with_untracked(|idx| sheet_tables::dispatch(lang, &office, month.get_untracked(), &idx.iter().map(|&n| &rows[n]).collect::<Vec<_>>())))
                })/>
            </div>
            <div class="ms-legend">
                {move || { let lang = ctx.lang.get(); counts().into_iter().map(|(s, n)| view! { <span class=format!("ms-chip {}", ms_class(s))>{t(lang, s.label())}" "{n}</span> }).collect_view() }}
            </div>
            <table class="table dispatch">
                <thead><tr><th>{ctx.t(K::DpMonthStatus)}</th><th class="c-title">{ctx.t(K::FTitle)}</th><th>{ctx.t(K::FLeadUnit)}</th><th>{ctx.t(K::FDeadline)}</th><th>{ctx.t(K::DpReport)}</th></tr></thead>
                <tbody>
                    {
                    // A page of rows at a time: a city's month is thousands (the export holds all).
                    // The first rows and the rest are drawn apart (`Paging::first`, `Paging::rest`).
                    let draw = move |range: std::ops::Range<usize>| {
                        let lang = ctx.lang.get();
                        let m_on = month.get().judged_on(today());
                        let page: Vec<mc::DispatchRow> = rows.with(|rows| shown.with(|idx| idx.iter().take(range.end).skip(range.start).map(|&n| rows[n].clone()).collect()));
                        page.into_iter().map(|r| {
                            let id = r.id.clone();
                            let is_editing = editing.with(|s| s.contains(&id));
                            let needs = crate::domain::figures::owes_report(&r.item) || r.report.is_some();
                            let report_cell = match (&r.report, is_editing, needs) {
                                (Some(rep), false, _) => {
                                    let (id2, rep2) = (id.clone(), rep.clone());
                                    view! { <div class="report">
                                        {rep.percent.map(|p| view! { <strong>{format!("{p}%")}</strong> })}
                                        {(!rep.milestone.is_empty()).then(|| view! { <span class="tag">{format!("✓ {}", rep.milestone)}</span> })}" "{rep.done.clone()}
                                        {(!rep.problems.is_empty()).then(|| view! { <div class="muted small">{t(lang, K::FProblems)}{crate::i18n::colon(lang)}{rep.problems.clone()}</div> })}
                                        <button class="link" on:click=move |_| {
                                            entries.update(|m| { m.insert(id2.clone(), Entry { percent: rep2.percent.map(|p| p.to_string()).unwrap_or_default(), milestone: rep2.milestone.clone(), done: rep2.done.clone(), problems: rep2.problems.clone(), next: rep2.next_steps.clone() }); });
                                            editing.update(|s| { s.insert(id2.clone()); });
                                        }>{t(lang, K::DpCorrect)}</button>
                                    </div> }.into_any()
                                }
                                (_, _, true) => {
                                    let id2 = id.clone();
                                    view! { <div class="entry">
                                        {field(id.clone(), "percent", K::FPercent, |e| e.percent.clone(), |e, v| e.percent = v, "w-num")}
                                        {(!r.item.milestones.is_empty()).then(|| { let (id3, id4) = (id.clone(), id.clone()); view! {
                                            <select name="milestone" aria-label=t(lang, K::DpMilestone) on:change=move |ev| { let v = event_target_value(&ev); entries.update(|m| m.entry(id3.clone()).or_default().milestone = v); }>
                                                <option value="">{t(lang, K::DpMilestone)}</option>
                                                {r.item.milestones.iter().map(|ms| { let title = ms.title.clone(); let t2 = title.clone(); let id5 = id4.clone(); view! { <option value=title.clone() selected=move || entries.with(|m| m.get(&id5).is_some_and(|e| e.milestone == t2))>{title.clone()}</option> } }).collect_view()}
                                            </select>
                                        } })}
                                        {field(id.clone(), "done", K::FDone, |e| e.done.clone(), |e, v| e.done = v, "w-wide")}
                                        {field(id.clone(), "problems", K::FProblems, |e| e.problems.clone(), |e, v| e.problems = v, "w-mid")}
                                        {field(id.clone(), "next", K::FNextSteps, |e| e.next.clone(), |e, v| e.next = v, "w-mid")}
                                        <button class="secondary" data-test="file-report" on:click=move |_| submit(id2.clone())>{t(lang, if is_editing { K::Save } else { K::DpFile })}</button>
                                        {move || errors.with(|x| x.get(&id).cloned()).map(|e| view! { <div class="field-error" role="alert">{e}</div> })}
                                    </div> }.into_any()
                                }
                                _ => view! { <span class="muted small">"—"</span> }.into_any(),
                            };
                            view! {
                                <tr data-test="dispatch-row" data-status=format!("{:?}", r.status)>
                                    <td><span class=format!("ms-chip {}", ms_class(r.status)) data-test="month-status">{t(lang, r.status.label())}</span></td>
                                    <td class="c-title"><a href=Route::Item(r.id.clone()).href()>{r.item.title.clone()}</a>
                                        {crate::domain::figures::late_milestones(&r.item, m_on).into_iter().map(|(ms, n)| view! {
                                            <div class="small overdue" data-test="milestone-late">{tf(lang, K::MilestoneLate, &[ms.title.clone(), n.to_string()])}</div>
                                        }).collect_view()}</td>
                                    <td>{r.item.lead_unit.clone()}</td>
                                    <td class="c-date">{r.item.deadline.map(|d| d.to_string()).unwrap_or_default()}</td>
                                    <td class="wrap">{report_cell}</td>
                                </tr>
                            }
                        }).collect_view()
                    };
                    (move || draw(paging.first()), move || draw(paging.rest()))
                    }
                </tbody>
            </table>
            {more_button(move || shown.with(|s| s.len()), paging, DISPATCH_PAGE, "dispatch-more")}
        </section>
    }
}

/// Rows of the dispatch table shown at once.
const DISPATCH_PAGE: usize = 200;
/// Proposals shown at once (each row carries its own draft button: half the dispatch page).
const PROPOSALS_PAGE: usize = 100;

/// 再显示: the next `page` rows of a long table (dispatch rows, proposals), while some are hidden.
fn more_button(total: impl Fn() -> usize + Send + Sync + 'static, paging: crate::ui::Paging, page: usize, test: &'static str) -> impl IntoView {
    let ctx = ctx();
    move || {
        let total = total();
        let more = paging.hidden(total).min(page);
        (more > 0).then(|| {
            view! { <button class="secondary" data-test=test on:click=move |_| paging.next()>{tf(ctx.lang.get(), K::DpMore, &[more.to_string(), total.to_string()])}</button> }
        })
    }
}

// ---------------------------------------------------------------- supervision

/// The draft's requirement: what was found (each item with its own figure when a notice covers
/// several), then what the rung asks of the unit.
fn default_requirement(lang: Lang, p: &mc::Proposal, title_of: impl Fn(&str) -> String) -> String {
    let ask = match p.kind {
        NoticeKind::Reminder => K::NtAskReminder,
        NoticeKind::Assignment => K::NtAskAssignment,
        NoticeKind::Urging => K::NtAskUrging,
        NoticeKind::Order => K::NtAskOrder,
    };
    let head = if p.items.len() > 1 {
        let each = p.items.iter().zip(&p.item_args).map(|(i, a)| tf(lang, K::NtOneOfMany, &[title_of(i), tf(lang, p.reason, std::slice::from_ref(a))]));
        tf(lang, K::NtHeadMany, &[p.items.len().to_string(), each.collect::<Vec<_>>().join(crate::i18n::semicolon(lang))])
    } else {
        let titles = p.items.iter().map(|i| title_of(i)).collect::<Vec<_>>().join(crate::i18n::list_sep(lang));
        tf(lang, K::NtHead, &[titles, tf(lang, p.reason, std::slice::from_ref(&p.reason_arg))])
    };
    format!("{head}{}", t(lang, ask))
}

/// The items of a proposal as its row shows them: the first three titles, then how many more.
fn titles_shown(lang: Lang, items: &[String], title_of: impl Fn(&str) -> String) -> String {
    let first = items.iter().take(3).map(|i| title_of(i)).collect::<Vec<_>>().join(crate::i18n::list_sep(lang));
    if items.len() <= 3 {
        first
    } else {
        tf(lang, K::SvItemsMore, &[first, items.len().to_string()])
    }
}

/// A notice being prepared: (kind, unit, items, requirement, reply-by as typed, 上级文件).
type Draft = (NoticeKind, String, Vec<String>, String, String, String);

#[component]
pub fn SupervisionPage() -> impl IntoView {
    let ctx = ctx();
    let day = today();
    let rules = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(mc::rules).unwrap_or_default()));
    let props = Memo::new(move |_| {
        ctx.reg.with(|r| {
            r.as_ref()
                .map(|r| {
                    crate::trace::mark("rr:proposals");
                    let streaks = assessment::last_place_streaks(r);
                    crate::trace::mark("rr:proposals-streaks");
                    let p = mc::proposals(r, day, &mc::rules(r), &streaks);
                    crate::trace::mark("rr:proposals-made");
                    p
                })
                .unwrap_or_default()
        })
    });
    let notices = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(mc::all_notices).unwrap_or_default()));
    // A city's proposals run to thousands: they are shown a page at a time.
    let paging = crate::ui::Paging::new(PROPOSALS_PAGE).screen_only();
    let title_of = move |id: &str| ctx.reg.with_untracked(|r| r.as_ref().and_then(|r| ops::item_title(r, id))).unwrap_or_else(|| id.to_string());
    // Draft being prepared for issue: (kind, unit, items, requirement, reply_by, 上级文件).
    let draft = RwSignal::new(None::<Draft>);
    let error = RwSignal::new(None::<String>);
    let issue = move |_| {
        let Some((kind, unit, items, requirement, reply, source_doc)) = draft.get_untracked() else { return };
        let d = mc::NoticeDraft { kind: Some(kind), unit, items, requirement, reply_by: parse_day(&reply), source_doc };
        match ctx.act(|tx| mc::issue(tx, &d)) {
            Ok(id) => {
                draft.set(None);
                ctx.go(Route::Notice(id));
            }
            Err(e) => error.set(Some(ctx.err(&e))),
        }
    };

    view! {
        <section class="supervision-page">
            <h1 class="sr-only">{ctx.t(K::NavSupervision)}</h1>
            <crate::ui::PrintHead title=Signal::derive(move || t(ctx.lang.get(), K::SvNotices).to_string())/>
            <div class="card">
                <h2>{ctx.t(K::SvProposals)}</h2>
                <p class="muted small">{ctx.t(K::SvProposalsHint)}</p>
                {move || props.with(|p| p.is_empty()).then(|| view! { <p class="muted">{ctx.t(K::None_)}</p> })}
                <table class="table compact"><tbody>
                    {
                    let draw = move |range: std::ops::Range<usize>| { let lang = ctx.lang.get(); props.with(|p| p.iter().take(range.end).skip(range.start).cloned().collect::<Vec<_>>()).into_iter().map(|p| {
                        let titles = titles_shown(lang, &p.items, title_of);
                        let reason = tf(lang, p.reason, std::slice::from_ref(&p.reason_arg));
                        let kind = p.kind;
                        let (unit, items, doc) = (p.unit.clone(), p.items.clone(), p.source_doc.clone());
                        let p2 = p.clone();
                        view! { <tr data-test="proposal">
                            <td><span class=format!("nk nk-{:?}", p.kind)>{t(lang, p.kind.label())}</span></td>
                            <td class="nowrap">{p.unit.clone()}</td><td>{titles}</td><td class="small">{reason}</td>
                            <td class="nowrap"><button class="secondary" data-test="draft-notice" on:click=move |_| {
                                let reply = (today() + Duration::days(7)).to_string();
                                draft.set(Some((kind, unit.clone(), items.clone(), default_requirement(ctx.lang.get_untracked(), &p2, title_of), reply, doc.clone())));
                                error.set(None);
                            }>{t(lang, K::SvDraft)}</button></td>
                        </tr> }
                    }).collect_view() };
                    (move || draw(paging.first()), move || draw(paging.rest()))
                    }
                </tbody></table>
                {more_button(move || props.with(|p| p.len()), paging, PROPOSALS_PAGE, "proposals-more")}
            </div>
            <ManualNotice draft=draft error=error/>
            {move || draft.get().map(|(kind, unit, _, _, _, _)| view! {
                <div class="card form notice-draft" data-test="notice-draft">
                    <h2>{move || format!("{} — {}", t(ctx.lang.get(), kind.label()), unit.clone())}</h2>
                    {(kind == NoticeKind::Assignment).then(|| view! { <label class="field"><span class="label req">{ctx.t(K::FSourceDoc)}</span>
                        <input type="text" name="source_doc" prop:value=move || draft.with(|d| d.as_ref().map(|d| d.5.clone()).unwrap_or_default())
                            on:input=move |ev| draft.update(|d| if let Some(d) = d { d.5 = event_target_value(&ev) }) /></label> })}
                    <label class="field"><span class="label req">{ctx.t(K::FRequirement)}</span>
                        <textarea name="requirement" rows="4" prop:value=move || draft.with(|d| d.as_ref().map(|d| d.3.clone()).unwrap_or_default())
                            on:input=move |ev| draft.update(|d| if let Some(d) = d { d.3 = event_target_value(&ev) })></textarea></label>
                    <label class="field"><span class="label">{ctx.t(K::FReplyBy)}</span>
                        <input type="date" name="reply_by" prop:value=move || draft.with(|d| d.as_ref().map(|d| d.4.clone()).unwrap_or_default())
                            on:input=move |ev| draft.update(|d| if let Some(d) = d { d.4 = event_target_value(&ev) }) /></label>
                    {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                    <div class="form-actions">
                        <button class="primary" data-test="issue-notice" on:click=issue>{ctx.t(K::SvIssue)}</button>
                        <button class="secondary" on:click=move |_| draft.set(None)>{ctx.t(K::Cancel)}</button>
                    </div>
                </div>
            })}
            <div class="card notices-card">
                <h2>{ctx.t(K::SvNotices)}
                    <ExportButtons what=K::XlNotices book=Callback::new(move |_| {
                        let lang = ctx.lang.get_untracked();
                        let office = ctx.reg.with_untracked(|r| r.as_ref().and_then(ops::my_office).map(|o| o.name).unwrap_or_default());
                        sheet_tables::notices(lang, &office, &notices.get_untracked(), |id| title_of(id), today())
                    })/></h2>
                <table class="table compact">
                    <thead><tr><th>{ctx.t(K::SvNumber)}</th><th>{ctx.t(K::SvKind)}</th><th>{ctx.t(K::FAddressee)}</th><th>{ctx.t(K::SvIssued)}</th><th>{ctx.t(K::FReplyBy)}</th><th>{ctx.t(K::FStatus)}</th></tr></thead>
                    <tbody>{move || { let lang = ctx.lang.get(); notices.get().into_iter().map(|(id, n)| {
                        let state = n.state(today());
                        view! { <tr data-test="notice-row">
                            <td><a href=Route::Notice(id.clone()).href()>{n.number.clone()}</a></td><td>{t(lang, n.kind.label())}</td><td>{n.unit.clone()}</td>
                            <td>{n.issued_on.map(|d| d.to_string()).unwrap_or_default()}</td><td>{n.reply_by.map(|d| d.to_string()).unwrap_or_default()}</td>
                            <td class:overdue=state == NoticeState::Late>{t(lang, state.label())}</td>
                        </tr> }
                    }).collect_view() }}</tbody>
                </table>
            </div>
            <Visits/>
            <RulesCard rules=rules/>
        </section>
    }
}

/// Any notice by hand (淄博's 交办单 from a 上级文件): kind, unit picked from 组织架构, the item if
/// any; it opens the same draft as a proposal, which `monthly::issue` checks.
#[component]
fn ManualNotice(draft: RwSignal<Option<Draft>>, error: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = ctx();
    let units =
        Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| crate::domain::org::active_names(r, crate::domain::org::OrgKind::Unit)).unwrap_or_default()));
    let kind = RwSignal::new(NoticeKind::Assignment);
    let unit = RwSignal::new(String::new());
    // A title not on file is said in this card (a draft already open keeps its own messages).
    let item_error = RwSignal::new(None::<String>);
    // The item is found by typing part of its title (a city holds 10,000: no list of them all).
    let item_text = RwSignal::new(String::new());
    let matches = Memo::new(move |_| {
        let q = item_text.get();
        let q = q.trim();
        if q.is_empty() {
            return vec![];
        }
        ctx.reg.with(|r| {
            r.as_ref()
                .map(|r| {
                    ops::all_shared::<ReformItem>(r, coll::ITEM)
                        .iter()
                        .filter(|(_, i)| i.title.contains(q))
                        .take(30)
                        .map(|(id, i)| (id.clone(), i.title.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let items_doc = move |ctx: crate::ui::Ctx, id: &str| {
        ctx.reg.with_untracked(|r| r.as_ref().and_then(|r| r.get_live(id)).map(|x| from_record::<ReformItem>(x).source_doc))
    };
    let start = move |_| {
        // The item is the one listed under the title typed (none when nothing is typed).
        let text = item_text.get_untracked().trim().to_string();
        let item = matches.with_untracked(|m| m.iter().find(|(_, t)| *t == text).map(|(id, _)| id.clone()));
        if item.is_none() && !text.is_empty() {
            return item_error.set(Some(tf(ctx.lang.get_untracked(), K::SvNoSuchItem, &[text])));
        }
        item_error.set(None);
        let k = kind.get_untracked();
        let items: Vec<String> = item.into_iter().collect();
        let doc = items.first().and_then(|i| items_doc(ctx, i)).unwrap_or_default();
        draft.set(Some((k, unit.get_untracked().trim().to_string(), items, String::new(), (today() + Duration::days(15)).to_string(), doc)));
        error.set(None);
    };
    view! {
        <div class="card" data-test="manual-notice">
            <h2>{ctx.t(K::SvManual)}</h2>
            <p class="muted small">{ctx.t(K::SvManualHint)}</p>
            <div class="inline-form">
                <select aria-label=ctx.t(K::SvKind) data-test="manual-kind" on:change=move |ev| if let Some(k) = NoticeKind::ALL.iter().find(|k| format!("{k:?}") == event_target_value(&ev)) { kind.set(*k) }>
                    {NoticeKind::ALL.iter().map(|k| { let k = *k; view! { <option value=format!("{k:?}") selected=move || kind.get() == k>{ctx.t(k.label())}</option> } }).collect_view()}
                </select>
                <input type="text" list="manual-units" data-test="manual-unit" placeholder=ctx.t(K::FAddressee) aria-label=ctx.t(K::FAddressee) prop:value=move || unit.get() on:input=move |ev| unit.set(event_target_value(&ev)) />
                <datalist id="manual-units">{move || units.get().into_iter().map(|u| view! { <option value=u></option> }).collect_view()}</datalist>
                <input type="search" list="manual-items" data-test="manual-item" placeholder=ctx.t(K::SvItemOptional) aria-label=ctx.t(K::SvItemOptional)
                    prop:value=move || item_text.get() on:input=move |ev| item_text.set(event_target_value(&ev)) />
                <datalist id="manual-items">{move || matches.get().into_iter().map(|(_, t)| view! { <option value=t></option> }).collect_view()}</datalist>
                <button type="button" class="secondary" data-test="manual-draft" on:click=start>{ctx.t(K::SvDraft)}</button>
            </div>
            {move || item_error.get().map(|e| view! { <p class="field-error" role="alert" data-test="manual-error">{e}</p> })}
        </div>
    }
}

#[component]
fn Visits() -> impl IntoView {
    let ctx = ctx();
    let visits = Memo::new(move |_| {
        ctx.reg.with(|r| {
            let mut v: Vec<(String, Visit)> = r.as_ref().map(|r| ops::all(r, coll::VISIT)).unwrap_or_default();
            v.lean_sort_by_key(|x| std::cmp::Reverse(x.1.date));
            v
        })
    });
    let (date, unit, findings, follow) =
        (RwSignal::new(today().to_string()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let v = Visit {
            date: parse_day(&date.get_untracked()),
            unit: unit.get_untracked(),
            items: vec![],
            findings: findings.get_untracked(),
            follow_up: follow.get_untracked(),
        };
        match ctx.act(|tx| mc::save_visit(tx, &v).map(|_| ())) {
            Ok(()) => {
                unit.set(String::new());
                findings.set(String::new());
                follow.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(ctx.err(&e))),
        }
    };
    let input = move |s: RwSignal<String>, k: K, ty: &'static str| view! { <input type=ty placeholder=ctx.t(k) prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev)) /> };
    view! {
        <div class="card">
            <h2>{ctx.t(K::SvVisits)}</h2>
            <table class="table compact"><tbody>
                {move || visits.get().into_iter().map(|(_, v)| view! { <tr><td class="c-date">{v.date.map(|d| d.to_string()).unwrap_or_default()}</td><td>{v.unit}</td><td>{v.findings}</td><td class="muted">{v.follow_up}</td></tr> }).collect_view()}
            </tbody></table>
            <form class="inline-form" on:submit=add>
                {input(date, K::FVisitDate, "date")}{input(unit, K::FUnitName, "text")}{input(findings, K::SvFindings, "text")}{input(follow, K::SvFollowUp, "text")}
                <button type="submit" class="secondary">{ctx.t(K::Add)}</button>
            </form>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </div>
    }
}

#[component]
fn RulesCard(rules: Memo<Rules>) -> impl IntoView {
    let ctx = ctx();
    let draft = RwSignal::new(rules.get_untracked());
    let msg = RwSignal::new(None::<(bool, String)>);
    let num = move |get: fn(&Rules) -> i64, set: fn(&mut Rules, i64), k: K, name: &'static str| {
        view! {
            <label class="field"><span class="label">{ctx.t(k)}</span>
                <input type="text" name=name class="w-num" prop:value=move || draft.with(|r| get(r).to_string())
                    on:change=move |ev| { let v = event_target_value(&ev); match v.trim().parse::<i64>() { Ok(n) => draft.update(|r| set(r, n)), Err(_) => msg.set(Some((false, tf(ctx.lang.get_untracked(), K::ErrNotANumber, &[t(ctx.lang.get_untracked(), k).into()])))) } } /></label>
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = draft.get_untracked();
        match ctx.act(|tx| mc::save_rules(tx, &r)) {
            Ok(()) => msg.set(Some((true, t(ctx.lang.get_untracked(), K::Saved).into()))),
            Err(e) => msg.set(Some((false, ctx.err(&e)))),
        }
    };
    view! {
        <form class="card form rules" on:submit=save>
            <h2>{ctx.t(K::SvRules)}</h2>
            <div class="grid2">
                {num(|r| r.reminder_days, |r, v| r.reminder_days = v, K::RlReminder, "reminder_days")}
                {num(|r| r.risk_days, |r, v| r.risk_days = v, K::RlRisk, "risk_days")}
                {num(|r| r.order_overdue_days, |r, v| r.order_overdue_days = v, K::RlOrderOverdue, "order_overdue_days")}
                {num(|r| r.urging_unanswered_days, |r, v| r.urging_unanswered_days = v, K::RlUnanswered, "urging_unanswered_days")}
                {num(|r| r.last_place_months, |r, v| r.last_place_months = v, K::RlLastPlace, "last_place_months")}
                <label class="field"><span class="label">{ctx.t(K::RlPattern)}</span>
                    <input type="text" name="serial_pattern" prop:value=move || draft.with(|r| r.serial_pattern.clone()) on:input=move |ev| draft.update(|r| r.serial_pattern = event_target_value(&ev)) /></label>
                <label class="field"><span class="label">{ctx.t(K::RlBulletinPattern)}</span>
                    <input type="text" name="bulletin_pattern" prop:value=move || draft.with(|r| r.bulletin_pattern.clone()) on:input=move |ev| draft.update(|r| r.bulletin_pattern = event_target_value(&ev)) /></label>
            </div>
            {move || msg.get().map(|(ok, m)| view! { <p class:ok=ok class:field-error=!ok role="status" data-test="rules-msg">{m}</p> })}
            <div class="form-actions"><button type="submit" class="secondary" data-test="save-rules">{ctx.t(K::Save)}</button></div>
        </form>
    }
}

// ---------------------------------------------------------------- one notice, printable

#[component]
pub fn NoticePage(id: String) -> impl IntoView {
    let ctx = ctx();
    let id = StoredValue::new(id);
    let notice = Memo::new(move |_| {
        ctx.reg.with(|r| r.as_ref().and_then(|r| r.get_live(&id.get_value())).filter(|x| x.coll == coll::NOTICE).map(from_record::<Notice>))
    });
    let office = move || ctx.reg.with(|r| r.as_ref().and_then(ops::my_office).map(|o| o.name).unwrap_or_default());
    let (reply, replied_on, correction) = (RwSignal::new(String::new()), RwSignal::new(today().to_string()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<String>);
    let save_reply = move |_| {
        let on = parse_day(&replied_on.get_untracked()).unwrap_or(today());
        match ctx.act(|tx| mc::record_reply(tx, &id.get_value(), &reply.get_untracked(), on)) {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(ctx.err(&e))),
        }
    };
    let save_correction = move |_| match ctx.act(|tx| mc::add_correction(tx, &id.get_value(), &correction.get_untracked())) {
        Ok(()) => {
            correction.set(String::new());
            error.set(None);
        }
        Err(e) => error.set(Some(ctx.err(&e))),
    };
    let title_of =
        move |i: &str| ctx.reg.with_untracked(|r| r.as_ref().and_then(|r| r.get_live(i)).map(|x| from_record::<ReformItem>(x).title).unwrap_or_default());
    move || {
        let lang = ctx.lang.get();
        let Some(n) = notice.get() else { return view! { <p class="card">{t(lang, K::ItemNotFound)}</p> }.into_any() };
        let issued = n.issued_on.map(|d| document::date_long(lang, d)).unwrap_or_default();
        view! {
            <section class="notice-page">
                <div class="no-print crumbs"><a href=Route::Supervision.href()>"← "{t(lang, K::NavSupervision)}</a>
                    <button class="secondary print-btn" on:click=move |_| { let _ = window().print(); }>{t(lang, K::Print)}</button></div>
                <article class="paper" data-test="notice-paper">
                    <div class="paper-head">{office()}</div>
                    <h1 class="paper-title">{t(lang, n.kind.label())}</h1>
                    <div class="paper-number" data-test="notice-number">{n.number.clone()}</div>
                    <hr class="paper-rule"/>
                    <p class="paper-to">{n.unit.clone()}{crate::i18n::colon(lang)}</p>
                    {(!n.source_doc.is_empty()).then(|| view! { <p class="paper-body" data-test="notice-source">{t(lang, K::NtSource)}{n.source_doc.clone()}</p> })}
                    <p class="paper-body">{n.requirement.clone()}</p>
                    {(!n.items.is_empty()).then(|| view! { <p class="paper-body">{t(lang, K::SvItems)}{crate::i18n::colon(lang)}{n.items.iter().map(|i| title_of(i)).collect::<Vec<_>>().join(crate::i18n::semicolon(lang))}</p> })}
                    {n.reply_by.map(|d| view! { <p class="paper-body">{t(lang, K::FReplyBy)}{crate::i18n::colon(lang)}{document::date_long(lang, d)}</p> })}
                    <div class="paper-sign"><div>{office()}</div><div>{issued}</div></div>
                    {(!n.corrections.is_empty()).then(|| view! { <div class="paper-corr">{n.corrections.iter().map(|c| view! { <p>{t(lang, K::FCorrection)}{crate::i18n::paren(lang, &c.on.map(|d| document::date_long(lang, d)).unwrap_or_default())}{crate::i18n::colon(lang)}{c.text.clone()}</p> }).collect_view()}</div> })}
                    {n.replied_on.map(|d| view! { <div class="paper-reply"><strong>{t(lang, K::FReply)}{crate::i18n::paren(lang, &document::date_long(lang, d))}{crate::i18n::colon(lang)}</strong>{n.reply.clone()}</div> })}
                </article>
                <div class="card no-print form">
                    {n.replied_on.is_none().then(|| view! {
                        <h2>{t(lang, K::FReply)}</h2>
                        <textarea name="reply" aria-label=t(lang, K::FReply) rows="2" prop:value=move || reply.get() on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
                        <div class="row-inputs"><input type="date" name="replied_on" aria-label=t(lang, K::FRepliedOn) prop:value=move || replied_on.get() on:input=move |ev| replied_on.set(event_target_value(&ev)) />
                            <button class="secondary" data-test="save-reply" on:click=save_reply>{t(lang, K::Save)}</button></div>
                    })}
                    <h2>{t(lang, K::FCorrection)}</h2>
                    <div class="row-inputs"><input type="text" name="correction" aria-label=t(lang, K::FCorrection) prop:value=move || correction.get() on:input=move |ev| correction.set(event_target_value(&ev)) />
                        <button class="secondary" on:click=save_correction>{t(lang, K::Add)}</button></div>
                    {move || error.get().map(|e| view! { <p class="field-error" role="alert" data-test="notice-error">{e}</p> })}
                </div>
            </section>
        }.into_any()
    }
}

// ---------------------------------------------------------------- bulletin

#[component]
pub fn BulletinPage() -> impl IntoView {
    let ctx = ctx();
    // The month just ended is the one usually published.
    let month = RwSignal::new(Month::of(today()).prev());
    let doc = Memo::new(move |_| {
        let m = month.get();
        ctx.reg.with(|r| r.as_ref().map(|r| publish::bulletin(r, m, today())))
    });
    let office = move || ctx.reg.with(|r| r.as_ref().and_then(ops::my_office).map(|o| o.name).unwrap_or_default());
    let msg = RwSignal::new(None::<(bool, String)>);
    let publish = move |_| {
        let m = month.get_untracked();
        let plan = ctx.reg.with_untracked(|r| r.as_ref().and_then(|r| publish::plan_of_year(r, m.year)).map(|(id, _)| id));
        match ctx.act(|tx| publish::publish_month(tx, m, plan.as_deref())) {
            Ok(n) => msg.set(Some((true, tf(ctx.lang.get_untracked(), K::PbDone, &[n])))),
            Err(e) => msg.set(Some((false, ctx.err(&e)))),
        }
    };
    move || {
        let lang = ctx.lang.get();
        let Some(d) = doc.get() else { return ().into_any() };
        let m = month.get();
        let s = &d.summary;
        let total: usize = s.by_status.values().sum();
        let published = d.published_on.is_some();
        // Sections are numbered as they appear, so the numbers run on whatever is left out.
        let mut n = 0;
        let mut head = |k: K| {
            n += 1;
            view! { <h2>{document::section_no(lang, n)}{t(lang, k)}</h2> }
        };
        let overall = head(K::BlOverall);
        let completed = head(K::BlCompleted);
        let overdue = head(K::BlOverdue);
        let missing = head(K::BlMissing);
        let ranking = d.ranking.as_ref().map(|rs| {
            let (top, bottom) = scoring::praise_and_criticism(rs);
            let top: Vec<String> = top.iter().map(|r| format!("{}{}", r.name, crate::i18n::paren(lang, &scoring::fmt_points(r.total)))).collect();
            let bottom: Vec<String> = bottom.iter().map(|r| r.name.clone()).collect();
            let (h1, h2, h3) = (head(K::BlRanking), head(K::BlPraise), head(K::BlCriticism));
            view! {
                {h1}
                <table class="table compact" data-test="bulletin-ranking"><tbody>{scoring::table(rs, false).into_iter().map(|r| view! { <tr><td class="num">{r.rank}</td><td>{r.name.clone()}</td><td class="num">{scoring::fmt_points(r.total)}</td></tr> }).collect_view()}</tbody></table>
                {(!scoring::table(rs, true).is_empty()).then(|| view! {
                    <p class="table-caption">{t(lang, K::ScGroupTable)}</p>
                    <table class="table compact" data-test="bulletin-group-ranking"><tbody>{scoring::table(rs, true).into_iter().map(|r| view! { <tr><td class="num">{r.rank}</td><td>{r.name.clone()}</td><td class="num">{scoring::fmt_points(r.total)}</td></tr> }).collect_view()}</tbody></table>
                })}
                {h2}<p>{top.join(crate::i18n::list_sep(lang))}</p>
                {h3}<p>{if bottom.is_empty() { t(lang, K::None_).to_string() } else { bottom.join(crate::i18n::list_sep(lang)) }}</p>
            }
        });
        let urged = (!s.overdue_by_unit.is_empty()).then(|| {
            let h = head(K::BlUrged);
            view! { {h}<p>{s.overdue_by_unit.iter().map(|(u, i)| format!("{u}{}", crate::i18n::paren(lang, &i.len().to_string()))).collect::<Vec<_>>().join(crate::i18n::list_sep(lang))}</p> }
        });
        let notices = head(K::BlNotices);
        view! {
            <section class="bulletin-page">
                <div class="card no-print filters">
                    {month_select(month)}
                    {if published { view! { <span class="tag ok" data-test="published">{tf(lang, K::PbPublishedOn, &[d.number.clone(), d.published_on.map(|x| document::date_long(lang, x)).unwrap_or_default()])}</span> }.into_any() }
                     else { view! {
                        <span class="tag" data-test="draft">{t(lang, K::PbDraft)}</span>
                        <button class="primary" data-test="publish" on:click=publish>{tf(lang, K::PbPublish, &[document::month_long(lang, m)])}</button>
                     }.into_any() }}
                    <button class="secondary" on:click=move |_| { let _ = window().print(); }>{t(lang, K::Print)}</button>
                    {move || msg.get().map(|(ok, text)| view! { <p class:ok=ok class:field-error=!ok role="status" data-test="publish-msg">{text}</p> })}
                </div>
                <article class="paper bulletin" class:draft=!published data-test="bulletin">
                    <div class="paper-head">{office()}</div>
                    {(!d.number.is_empty()).then(|| view! { <div class="paper-number" data-test="bulletin-number">{d.number.clone()}</div> })}
                    <hr class="paper-rule"/>
                    <h1 class="paper-title">{tf(lang, K::BlTitle, &[m.year.to_string(), m.month.to_string()])}</h1>
                    {overall}
                    <p data-test="bulletin-overall">{tf(lang, K::BlOverallText, &[total.to_string(), s.reporting.filed.to_string(), s.reporting.due.to_string(), s.reporting.missing.to_string()])}</p>
                    <table class="table compact"><tbody><tr>
                        {s.by_status.iter().map(|(st, n)| view! { <td><span class=format!("ms-chip {}", ms_class(*st))>{t(lang, st.label())}</span>" "<strong>{*n}</strong></td> }).collect_view()}
                    </tr></tbody></table>
                    {completed}
                    <p>{if s.newly_completed.is_empty() { t(lang, K::None_).to_string() } else { s.newly_completed.join("；") }}</p>
                    {overdue}
                    {if s.overdue_by_unit.is_empty() { view! { <p>{t(lang, K::None_)}</p> }.into_any() } else { view! {
                        <table class="table compact" data-test="bulletin-overdue"><tbody>{s.overdue_by_unit.iter().map(|(u, items)| view! { <tr><td>{u.clone()}</td><td class="num">{items.len()}</td><td>{items.join("；")}</td></tr> }).collect_view()}</tbody></table>
                    }.into_any() }}
                    {missing}
                    {if s.missing_by_unit.is_empty() { view! { <p>{t(lang, K::None_)}</p> }.into_any() } else { view! {
                        <table class="table compact" data-test="bulletin-missing"><tbody>{s.missing_by_unit.iter().map(|(u, items)| view! { <tr><td>{u.clone()}</td><td class="num">{items.len()}</td><td>{items.join("；")}</td></tr> }).collect_view()}</tbody></table>
                    }.into_any() }}
                    {ranking}
                    {urged}
                    {notices}
                    <p>{if s.notices.is_empty() { t(lang, K::None_).to_string() } else { s.notices.iter().map(|(_, n)| format!("{}{}", n.number, crate::i18n::paren(lang, &format!("{}{}{}", t(lang, n.kind.label()), crate::i18n::comma(lang), n.unit)))).collect::<Vec<_>>().join(crate::i18n::semicolon(lang)) }}</p>
                    <div class="paper-sign"><div>{office()}</div>
                        <div data-test="bulletin-date">{d.published_on.map(|x| document::date_long(lang, x)).unwrap_or_else(|| t(lang, K::PbDraft).to_string())}</div></div>
                </article>
            </section>
        }.into_any()
    }
}

// ---------------------------------------------------------------- start-page dashboard

#[component]
pub fn Dashboard() -> impl IntoView {
    let ctx = ctx();
    let s = ctx.derived.month_summary;
    // Drawn after the list's first rows: working out a city's month (10,000 rows) in the same
    // task as the list froze the page for over 300 ms at start.
    let after_list = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        crate::ui::browser::yield_now().await;
        after_list.try_set(true);
    });
    move || {
        let lang = ctx.lang.get();
        let m = Month::of(ctx.derived.day.get());
        if !after_list.get() {
            return ().into_any();
        }
        // This month's figures read the reports: not before the history is in.
        if !ctx.whole.get() {
            return view! { <p class="muted" role="status" data-test="history-loading">{t(lang, K::HistoryLoading)}</p> }.into_any();
        }
        let Some(s) = s.get() else { return ().into_any() };
        let total: usize = s.by_status.values().sum::<usize>().max(1);
        // Stacked bar of this month's statuses.
        let mut x = 0.0;
        let segs: Vec<_> = s.by_status.iter().map(|(st, n)| {
            let w = *n as f64 / total as f64 * 600.0;
            let seg = view! { <rect x=x y="0" width=w height="18" class=format!("seg {}", ms_class(*st))><title>{format!("{} {}", t(lang, st.label()), n)}</title></rect> };
            x += w;
            seg
        }).collect();
        let top_units: Vec<(String, usize)> = s.overdue_by_unit.iter().take(5).map(|(u, i)| (u.clone(), i.len())).collect();
        let umax = top_units.first().map(|u| u.1).unwrap_or(1).max(1) as f64;
        view! {
            <div class="card dashboard" data-test="dashboard">
                <div class="dash-col">
                    <h2>{tf(lang, K::DbMonth, &[document::month_long(lang, m)])}</h2>
                    <svg viewBox="0 0 600 18" width="100%" height="18" class="stack" preserveAspectRatio="none">{segs}</svg>
                    <div class="ms-legend">{s.by_status.iter().map(|(st, n)| view! { <span class=format!("ms-chip {}", ms_class(*st))>{t(lang, st.label())}" "{*n}</span> }).collect_view()}</div>
                    <p class="small"><a href=Route::Dispatch.href() data-test="missing-reports">{tf(lang, K::DbMissing, &[s.reporting.missing.to_string()])}</a></p>
                </div>
                <div class="dash-col">
                    <h2>{t(lang, K::DbUnits)}</h2>
                    {if top_units.is_empty() { view! { <p class="muted small">{t(lang, K::None_)}</p> }.into_any() } else { view! {
                        <BarList label=t(lang, K::DbUnits) test="overdue-units" rows=top_units.iter().map(|(u, c)| Bar {
                            label: u.clone(),
                            share: *c as f64 / umax,
                            value: c.to_string(),
                            class: "band-red",
                        }).collect()/>
                    }.into_any() }}
                </div>
                <div class="dash-col">
                    <h2>{t(lang, K::DbOverdueItems)}</h2>
                    <ul class="small dash-list">{s.overdue_by_unit.iter().flat_map(|(u, items)| items.iter().map(move |i| (u.clone(), i.clone()))).take(5).map(|(u, i)| view! { <li><span class="overdue">{i}</span>" · "{u}</li> }).collect_view()}</ul>
                </div>
            </div>
        }.into_any()
    }
}
