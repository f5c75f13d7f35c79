//! One reform item: view it, change its status, see its history; create or edit it.

use crate::domain::form::{IndicatorDraft, ItemDraft, MilestoneDraft};
use crate::domain::labels::field_label;
use crate::domain::model::{coll, from_record};
use crate::domain::org::{self, OrgKind};
use crate::domain::{figures, ops, DomainError, Group, ItemKind, PilotLevel, ReformItem, SourceLevel, Status};
use crate::i18n::{t, tf, Lang, K};
use crate::sync::Change;
use crate::ui::ConfirmDialog;
use crate::ui::{ctx, format_time, status_class, today, Route};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// One line of history for a change.
fn describe(lang: Lang, c: &Change, first: bool) -> String {
    if first {
        return t(lang, K::Created).to_string();
    }
    if let Some(s) = c.set.get("status").and_then(|w| serde_json::from_value::<Status>(w.v.clone()).ok()) {
        let note = c.set.get("status_note").and_then(|w| w.v.as_str().map(str::to_string)).unwrap_or_default();
        let mut s = tf(lang, K::StatusTo, &[t(lang, s.label()).to_string()]);
        if !note.is_empty() {
            s.push_str(&format!("{}{note}", crate::i18n::colon(lang)));
        }
        return s;
    }
    let names: Vec<String> = c.set.keys().map(|f| field_label(lang, f)).collect();
    tf(lang, K::ChangedFields, &[names.join(crate::i18n::list_sep(lang))])
}

#[component]
pub fn ItemPage(id: String) -> impl IntoView {
    let ctx = ctx();
    let id = StoredValue::new(id);
    let item = Memo::new(move |_| {
        ctx.reg.with(|r| r.as_ref().and_then(|r| r.get_live(&id.get_value())).filter(|r| r.coll == coll::ITEM).map(from_record::<ReformItem>))
    });
    let group_name = Memo::new(move |_| {
        let gid = item.with(|i| i.as_ref().map(|i| i.special_group.clone()).unwrap_or_default());
        ctx.reg.with(|r| r.as_ref().and_then(|r| r.get_live(&gid)).map(|g| from_record::<Group>(g).name).unwrap_or_default())
    });
    let history = RwSignal::new(Vec::<Change>::new());
    Effect::new(move |_| {
        ctx.saved_tick.track();
        ctx.reg.track();
        let rid = id.get_value();
        let session = ctx.session();
        spawn_local(async move { history.set(session.history(&rid).await) });
    });

    let next = RwSignal::new(None::<Status>);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // 深改委审定 records its meeting.
    let (meeting, meeting_date, meeting_no) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let do_transition = move |_| {
        let Some(to) = next.get_untracked() else { return };
        let approval = (to == Status::Approved).then(|| crate::domain::Approval {
            meeting: meeting.get_untracked(),
            date: crate::ui::parse_day(&meeting_date.get_untracked()),
            number: meeting_no.get_untracked(),
        });
        match ctx.act(|tx| ops::advance(tx, &id.get_value(), to, &reason.get_untracked(), approval.as_ref())) {
            Ok(()) => {
                next.set(None);
                reason.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(ctx.err(&e))),
        }
    };
    let asking_delete = RwSignal::new(false);
    let do_delete = Callback::new(move |()| match ctx.act(|tx| ops::delete(tx, &id.get_value())) {
        Ok(()) => ctx.go(Route::List),
        Err(e) => error.set(Some(ctx.err(&e))),
    });

    move || {
        let lang = ctx.lang.get();
        let Some(i) = item.get() else {
            return view! { <section class="card"><p>{t(lang, K::ItemNotFound)}</p><a href=Route::List.href()>{t(lang, K::Back)}</a></section> }.into_any();
        };
        let day = today();
        let overdue = figures::is_overdue(&i, day);
        let late_ms: Vec<(String, i64)> = figures::late_milestones(&i, day).into_iter().map(|(m, n)| (m.title.clone(), n)).collect();
        let dl = i.deadline.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
        let left = figures::days_left(&i, day).filter(|_| figures::underway(i.status)).map(|n| {
            if n < 0 {
                tf(lang, K::OverdueDays, &[(-n).to_string()])
            } else {
                tf(lang, K::DaysLeft, &[n.to_string()])
            }
        });
        let kind_extra = match i.kind {
            ItemKind::Mandated => format!("{} · {}", i.source_level.map(|s| t(lang, s.label())).unwrap_or(""), i.source_doc),
            ItemKind::Pilot => i.pilot_level.map(|p| t(lang, p.label()).to_string()).unwrap_or_default(),
            _ => String::new(),
        };
        let status = i.status;
        // Only the office that keeps an item changes it, its reviews and its status (docs/ownership.md).
        let keeper = crate::domain::ownership::owner(&id.get_value()).to_string();
        let mine = ctx.reg.with_untracked(|r| r.as_ref().is_some_and(|r| r.office() == keeper));
        let dd = |k: K, v: String| view! { <div class="dl-row"><dt>{t(lang, k)}</dt><dd>{if v.is_empty() { "—".to_string() } else { v }}</dd></div> };
        view! {
            <section class="item-page">
                <div class="crumbs"><a href=Route::List.href()>"← "{t(lang, K::Back)}</a></div>
                <div class="item-head card">
                    <div>
                        <h1 data-test="item-title">{i.title.clone()}</h1>
                        <div class="meta">
                            <span class={format!("badge {}", status_class(status))} data-test="item-status">{t(lang, status.label())}</span>
                            <span class="kind">{t(lang, i.kind.label())}</span>
                            {(!kind_extra.is_empty()).then(|| view! { <span class="muted">{kind_extra.clone()}</span> })}
                            {overdue.then(|| view! { <span class="tag overdue-tag">{t(lang, K::Overdue)}</span> })}
                        </div>
                    </div>
                    {if mine { view! {
                        <div class="actions">
                            <a class="button secondary" href=Route::EditItem(id.get_value()).href() data-test="edit-item">{t(lang, K::Edit)}</a>
                            <button class="danger" data-test="delete-item" on:click=move |_| asking_delete.set(true)>{t(lang, K::Delete)}</button>
                            <ConfirmDialog open=asking_delete message=K::ConfirmDelete confirm=K::Delete on_confirm=do_delete/>
                        </div>
                    }.into_any() } else { view! {
                        <p class="muted read-only" data-test="read-only">{tf(lang, K::ReadOnlyKept, &[ctx.office_name(&keeper)])}</p>
                    }.into_any() }}
                </div>
                <div class="item-grid">
                    <div class="card">
                        <h2>{t(lang, K::SectionPlan)}</h2>
                        <dl class="dl">
                            {dd(K::FGoal, i.goal.clone())}
                            {dd(K::FWorkPath, i.work_path.clone())}
                            {dd(K::FDeadline, format!("{dl}  {}", left.unwrap_or_default()))}
                            {dd(K::FCode, i.code.clone())}
                            {dd(K::FYear, i.year.to_string())}
                            {dd(K::FBatch, i.batch.clone())}
                            {dd(K::FCategory, i.category.clone())}
                        </dl>
                        <h3>{t(lang, K::FMilestones)}</h3>
                        {if i.milestones.is_empty() { view! { <p class="muted">{t(lang, K::None_)}</p> }.into_any() } else { view! {
                            <table class="table compact"><tbody>
                                {i.milestones.iter().map(|m| {
                                    let late = late_ms.iter().find(|(t, _)| *t == m.title).map(|(_, n)| *n);
                                    view! {
                                        <tr class:row-overdue=late.is_some() data-test="milestone-row">
                                            <td>{if m.done { "☑" } else { "☐" }}</td><td>{m.title.clone()}</td>
                                            <td class="c-date">{m.due.map(|d| d.to_string()).unwrap_or_default()}
                                                {late.map(|n| view! { <small class="overdue" data-test="milestone-late">" "{tf(lang, K::OverdueDays, &[n.to_string()])}</small> })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody></table>
                        }.into_any() }}
                        <h2>{t(lang, K::SectionDuty)}</h2>
                        <dl class="dl">
                            {dd(K::FLeadUnit, i.lead_unit.clone())}
                            {dd(K::FCoopUnits, i.coop_units.join(crate::i18n::list_sep(lang)))}
                            {dd(K::FLeadingOfficial, i.leading_official.clone())}
                            {dd(K::FSpecialGroup, group_name.get())}
                            {dd(K::FApproval, i.approval.as_ref().map(|a| [a.meeting.clone(), a.date.map(|d| crate::domain::document::date_long(lang, d)).unwrap_or_default(), a.number.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")).unwrap_or_default())}
                        </dl>
                        <h2>{t(lang, K::SectionOutcome)}</h2>
                        {if i.indicators.is_empty() { view! { <p class="muted">{t(lang, K::None_)}</p> }.into_any() } else { view! {
                            <table class="table compact">
                                <thead><tr><th>{t(lang, K::FIndicatorName)}</th><th class="num">{t(lang, K::FTarget)}</th><th class="num">{t(lang, K::FActual)}</th><th>{t(lang, K::FMeasure)}</th></tr></thead>
                                <tbody>{i.indicators.iter().map(|x| {
                                    let met = x.actual.is_some_and(|a| a >= x.target);
                                    view! { <tr><td>{x.name.clone()}</td><td class="num">{x.target}</td><td class="num" class:met=met>{x.actual.map(|a| a.to_string()).unwrap_or("—".into())}</td><td>{x.unit.clone()}</td></tr> }
                                }).collect_view()}</tbody>
                            </table>
                        }.into_any() }}
                        <dl class="dl">
                            {dd(K::FDocuments, i.documents.join("；"))}
                            {dd(K::FTags, i.tags.join(crate::i18n::list_sep(lang)))}
                        </dl>
                    </div>
                    <div class="side">
                        {mine.then(|| view! {
                        <super::review::RiskReviewCard id=id.get_value()/>
                        <super::review::AcceptanceCard id=id.get_value()/>
                        })}
                        {mine.then(|| view! { <div class="card">
                            <h2>{t(lang, K::StatusChange)}</h2>
                            {if status.next().is_empty() { view! { <p class="muted">{t(lang, K::NoNextStatus)}</p> }.into_any() } else { view! {
                                <div class="transitions">
                                    {status.next().iter().map(|s| {
                                        let s = *s;
                                        view! { <button class="chip" class:selected=move || next.get() == Some(s) data-test="transition"
                                            on:click=move |_| { next.set(Some(s)); error.set(None); }>{t(lang, s.label())}</button> }
                                    }).collect_view()}
                                </div>
                                {move || next.get().map(|s| view! {
                                    {(s == Status::Approved).then(|| view! { <div class="row-inputs" data-test="approval-fields">
                                        <label class="field"><span class="label req">{t(lang, K::FMeeting)}</span><input type="text" name="meeting" prop:value=move || meeting.get() on:input=move |ev| meeting.set(event_target_value(&ev)) /></label>
                                        <label class="field"><span class="label req">{t(lang, K::FMeetingDate)}</span><input type="date" name="meeting_date" prop:value=move || meeting_date.get() on:input=move |ev| meeting_date.set(event_target_value(&ev)) /></label>
                                        <label class="field"><span class="label">{t(lang, K::FMeetingNo)}</span><input type="text" name="meeting_no" prop:value=move || meeting_no.get() on:input=move |ev| meeting_no.set(event_target_value(&ev)) /></label>
                                    </div> })}
                                    <div class="transition-form">
                                        <textarea name="reason" rows="2" placeholder=t(lang, K::FReason) prop:value=move || reason.get()
                                            on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                                        <button class="primary" data-test="confirm-transition" on:click=do_transition>{tf(lang, K::StatusTo, &[t(lang, s.label()).to_string()])}</button>
                                    </div>
                                })}
                            }.into_any() }}
                            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                        </div> })}
                        <details class="card provenance">
                            <summary>{t(lang, K::Provenance)}</summary>
                            <table class="table compact"><tbody>
                                {move || ctx.reg.with(|r| r.as_ref().and_then(|r| r.records.get(&id.get_value())).map(|rec| {
                                    rec.fields.iter().filter(|(f, _)| !f.starts_with('_')).filter_map(|(f, st)| st.winner().map(|e| (f.clone(), e.clone()))).map(|(f, e)| view! {
                                        <tr><td>{field_label(lang, &f)}</td><td class="small muted">{ctx.office_name(&e.dot.office)}" · "{format_time(e.wall)}</td></tr>
                                    }).collect_view()
                                }))}
                            </tbody></table>
                        </details>
                        <ItemRecord id=id.get_value()/>
                        <div class="card">
                            <h2>{t(lang, K::History)}</h2>
                            <ol class="history" data-test="history">
                                {move || {
                                    let h = history.get();
                                    if h.is_empty() { return view! { <li class="muted">{t(lang, K::HistoryEmpty)}</li> }.into_any(); }
                                    h.iter().enumerate().rev().map(|(n, c)| view! {
                                        <li>
                                            <span class="when">{format_time(c.at)}</span>
                                            <span class="what">{describe(lang, c, n == 0)}</span>
                                            <span class="who">{if c.by.is_empty() { ctx.office_name(&c.dot.office) } else { tf(lang, K::HistoryBy, &[c.by.clone(), ctx.office_name(&c.dot.office)]) }}</span>
                                        </li>
                                    }).collect_view().into_any()
                                }}
                            </ol>
                        </div>
                    </div>
                </div>
            </section>
        }
        .into_any()
    }
}

/// 工作记录: the item's monthly reports and the notices naming it (with their replies), in one place
/// beside its reviews and history.
#[component]
fn ItemRecord(id: String) -> impl IntoView {
    let ctx = ctx();
    let id = StoredValue::new(id);
    let reports = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| crate::domain::monthly::reports_of(r, &id.get_value())).unwrap_or_default()));
    let notices = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| crate::domain::monthly::notices_of(r, &id.get_value())).unwrap_or_default()));
    move || {
        let lang = ctx.lang.get();
        view! {
            <div class="card" data-test="item-record">
                <h2>{t(lang, K::ItemRecord)}</h2>
                <h3>{t(lang, K::ItemReports)}</h3>
                {if reports.with(|r| r.is_empty()) { view! { <p class="muted">{t(lang, K::None_)}</p> }.into_any() } else { view! {
                    // A list, not a table: the side column is narrow.
                    <ul class="record-list" data-test="item-reports">{reports.get().into_iter().map(|r| view! {
                        <li><strong>{r.month.clone()}</strong>{r.percent.map(|p| format!(" · {p}%"))}
                            <div>{r.done.clone()}</div>
                            {(!r.problems.is_empty()).then(|| view! { <div class="muted small">{t(lang, K::FProblems)}": "{r.problems.clone()}</div> })}</li>
                    }).collect_view()}</ul>
                }.into_any() }}
                <h3>{t(lang, K::ItemNotices)}</h3>
                {if notices.with(|n| n.is_empty()) { view! { <p class="muted">{t(lang, K::None_)}</p> }.into_any() } else { view! {
                    <ul class="record-list" data-test="item-notices">{notices.get().into_iter().map(|(nid, n)| { let st = n.state(crate::ui::today()); view! {
                        <li><a href=Route::Notice(nid).href()>{n.number.clone()}</a>" "{t(lang, n.kind.label())}
                            <div class="small">{n.unit.clone()}" · "{n.issued_on.map(|d| d.to_string()).unwrap_or_default()}" · "<span class:overdue=st == crate::domain::monthly::NoticeState::Late>{t(lang, st.label())}</span></div>
                            {(!n.reply.is_empty()).then(|| view! { <div class="small muted">{t(lang, K::FReply)}": "{n.reply.clone()}</div> })}</li>
                    } }).collect_view()}</ul>
                }.into_any() }}
            </div>
        }
    }
}

/// Creates (id = None) or edits an item.
#[component]
pub fn ItemForm(id: Option<String>) -> impl IntoView {
    let ctx = ctx();
    let id = StoredValue::new(id);
    let existing = ctx.reg.with_untracked(|r| r.as_ref().and_then(|r| id.get_value().and_then(|i| r.get_live(&i).map(from_record::<ReformItem>))));
    let draft = RwSignal::new(existing.as_ref().map(ItemDraft::from_item).unwrap_or_else(|| {
        let mut d = ItemDraft::new(chrono::Datelike::year(&today()));
        d.milestones.push(MilestoneDraft::default());
        d
    }));
    let error = RwSignal::new(None::<DomainError>);
    // The lists offer what 组织架构 keeps and has not retired.
    let units = ctx.reg.with_untracked(|r| r.as_ref().map(|r| org::active_names(r, OrgKind::Unit)).unwrap_or_default());
    let officials = ctx.reg.with_untracked(|r| r.as_ref().map(|r| org::active_names(r, OrgKind::Official)).unwrap_or_default());
    let current_group = existing.as_ref().map(|i| i.special_group.clone()).unwrap_or_default();
    let groups: Vec<(String, Group)> = ctx.reg.with_untracked(|r| {
        r.as_ref().map(|r| ops::all::<Group>(r, coll::GROUP).into_iter().filter(|(gid, g)| !g.retired || *gid == current_group).collect()).unwrap_or_default()
    });

    // `adding`: the user confirmed the names the directory did not know.
    let save_with = move |adding: bool| {
        let d = draft.get_untracked();
        let result = d.to_item().and_then(|item| {
            ctx.act(|tx| {
                if adding {
                    ops::save_item_adding_names(tx, id.get_value().as_deref(), &item)
                } else {
                    ops::save_item(tx, id.get_value().as_deref(), &item)
                }
            })
        });
        match result {
            Ok(rid) => ctx.go(Route::Item(rid)),
            Err(e) => error.set(Some(e)),
        }
    };
    let save = move || save_with(false);

    // Text inputs bound to one draft field.
    macro_rules! bind {
        ($f:ident) => {
            (
                move || draft.with(|d| d.$f.clone()),
                move |ev: leptos::ev::Event| {
                    draft.update(|d| d.$f = event_target_value(&ev));
                },
            )
        };
    }
    let err_for = move |f: &'static str| {
        move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|e| e.field == Some(f))
                    .map(|e| view! { <p class="field-error" role="alert" data-test="field-error">{e.message(ctx.lang.get())}</p> })
            })
        }
    };
    let has_err = move |f: &'static str| move || error.with(|e| e.as_ref().is_some_and(|e| e.field == Some(f)));

    let (title_v, title_i) = bind!(title);
    let (code_v, code_i) = bind!(code);
    let (doc_v, doc_i) = bind!(source_doc);
    let (year_v, year_i) = bind!(year);
    let (batch_v, batch_i) = bind!(batch);
    let (cat_v, cat_i) = bind!(category);
    let (goal_v, goal_i) = bind!(goal);
    let (path_v, path_i) = bind!(work_path);
    let (dl_v, dl_i) = bind!(deadline);
    let (lead_v, lead_i) = bind!(lead_unit);
    let (coop_v, coop_i) = bind!(coop_units);
    let (off_v, off_i) = bind!(leading_official);
    let (docs_v, docs_i) = bind!(documents);
    let (tags_v, tags_i) = bind!(tags);
    let kind = move || draft.with(|d| d.kind);
    let n_ms = Memo::new(move |_| draft.with(|d| d.milestones.len()));
    let n_ind = Memo::new(move |_| draft.with(|d| d.indicators.len()));
    let is_new = id.with_value(|i| i.is_none());

    view! {
        <section class="form-page">
            <div class="crumbs"><a href=move || id.get_value().map(|i| Route::Item(i).href()).unwrap_or_else(|| Route::List.href())>"← "{ctx.t(K::Cancel)}</a></div>
            <form class="form card item-form" on:submit=move |ev| { ev.prevent_default(); save(); }>
                <h1>{if is_new { ctx.t(K::ItemNew) } else { ctx.t(K::ItemEdit) }}</h1>
                {move || error.get().map(|e| view! { <div class="banner error" role="alert" data-test="form-error">{e.message(ctx.lang.get())}
                    {(e.key == K::ErrOrgUnknown).then(|| view! { " " <button type="button" class="secondary" data-test="add-names" on:click=move |_| save_with(true)>{ctx.t(K::OrgAddAndSave)}</button> })}
                </div> })}
                <h2>{ctx.t(K::SectionBasics)}</h2>
                <div class="grid2">
                    <label class="field wide" class:invalid=has_err("title")>
                        <span class="label req">{ctx.t(K::FTitle)}</span>
                        <input type="text" name="title" prop:value=title_v on:input=title_i />
                        {err_for("title")}
                    </label>
                    <label class="field" class:invalid=has_err("code")>
                        <span class="label">{ctx.t(K::FCode)}</span>
                        <input type="text" name="code" prop:value=code_v on:input=code_i />
                        {err_for("code")}
                    </label>
                    <label class="field">
                        <span class="label">{ctx.t(K::FKind)}</span>
                        <select name="kind" on:change=move |ev| if let Some(k) = ItemKind::from_code(&event_target_value(&ev)) { draft.update(|d| d.kind = k) }>
                            {ItemKind::ALL.iter().map(|k| { let k = *k; view! { <option value=k.code() selected=move || kind() == k>{ctx.t(k.label())}</option> } }).collect_view()}
                        </select>
                    </label>
                    <label class="field" class:invalid=has_err("year")>
                        <span class="label req">{ctx.t(K::FYear)}</span>
                        <input type="text" inputmode="numeric" name="year" prop:value=year_v on:input=year_i />
                        {err_for("year")}
                    </label>
                    {move || (kind() == ItemKind::Mandated).then(|| view! {
                        <label class="field" class:invalid=has_err("source_level")>
                            <span class="label req">{ctx.t(K::FSourceLevel)}</span>
                            <select name="source_level" on:change=move |ev| draft.update(|d| d.source_level = event_target_value(&ev))>
                                <option value="">"—"</option>
                                {SourceLevel::ALL.iter().map(|s| { let s = *s; view! { <option value=s.code() selected=move || draft.with(|d| d.source_level == s.code())>{ctx.t(s.label())}</option> } }).collect_view()}
                            </select>
                            {err_for("source_level")}
                        </label>
                        <label class="field" class:invalid=has_err("source_doc")>
                            <span class="label req">{ctx.t(K::FSourceDoc)}</span>
                            <input type="text" name="source_doc" prop:value=doc_v on:input=doc_i />
                            {err_for("source_doc")}
                        </label>
                    })}
                    {move || (kind() == ItemKind::Pilot).then(|| view! {
                        <label class="field" class:invalid=has_err("pilot_level")>
                            <span class="label req">{ctx.t(K::FPilotLevel)}</span>
                            <select name="pilot_level" on:change=move |ev| draft.update(|d| d.pilot_level = event_target_value(&ev))>
                                <option value="">"—"</option>
                                {PilotLevel::ALL.iter().map(|p| { let p = *p; view! { <option value=p.code() selected=move || draft.with(|d| d.pilot_level == p.code())>{ctx.t(p.label())}</option> } }).collect_view()}
                            </select>
                            {err_for("pilot_level")}
                        </label>
                    })}
                    <label class="field">
                        <span class="label">{ctx.t(K::FBatch)}</span>
                        <input type="text" name="batch" placeholder=ctx.t(K::PhBatch) prop:value=batch_v on:input=batch_i />
                    </label>
                    <label class="field">
                        <span class="label">{ctx.t(K::FCategory)}</span>
                        <input type="text" name="category" placeholder=ctx.t(K::PhCategory) prop:value=cat_v on:input=cat_i />
                    </label>
                </div>
                <h2>{ctx.t(K::SectionPlan)}</h2>
                <div class="grid2">
                    <label class="field wide">
                        <span class="label">{ctx.t(K::FGoal)}</span>
                        <textarea name="goal" rows="2" prop:value=goal_v on:input=goal_i></textarea>
                    </label>
                    <label class="field wide">
                        <span class="label">{ctx.t(K::FWorkPath)}</span>
                        <textarea name="work_path" rows="2" prop:value=path_v on:input=path_i></textarea>
                    </label>
                    <label class="field" class:invalid=has_err("deadline")>
                        <span class="label">{ctx.t(K::FDeadline)}</span>
                        <input type="date" name="deadline" prop:value=dl_v on:input=dl_i />
                        {err_for("deadline")}
                    </label>
                </div>
                <div class="subtable" class:invalid=has_err("milestones")>
                    <span class="label">{ctx.t(K::FMilestones)}</span>
                    {move || (0..n_ms.get()).map(|n| view! {
                        <div class="row-inputs">
                            <input type="text" name="ms_title" placeholder=ctx.t(K::FMilestones) aria-label=ctx.t(K::FMilestones) prop:value=move || draft.with(|d| d.milestones.get(n).map(|m| m.title.clone()).unwrap_or_default())
                                on:input=move |ev| draft.update(|d| if let Some(m) = d.milestones.get_mut(n) { m.title = event_target_value(&ev) }) />
                            <input type="date" name="ms_due" aria-label=ctx.t(K::FMilestoneDue) prop:value=move || draft.with(|d| d.milestones.get(n).map(|m| m.due.clone()).unwrap_or_default())
                                on:input=move |ev| draft.update(|d| if let Some(m) = d.milestones.get_mut(n) { m.due = event_target_value(&ev) }) />
                            <label class="check"><input type="checkbox" prop:checked=move || draft.with(|d| d.milestones.get(n).is_some_and(|m| m.done))
                                on:change=move |ev| draft.update(|d| if let Some(m) = d.milestones.get_mut(n) { m.done = event_target_checked(&ev) }) />{ctx.t(K::FMilestoneDone)}</label>
                            <button type="button" class="link" on:click=move |_| draft.update(|d| { if n < d.milestones.len() { d.milestones.remove(n); } })>{ctx.t(K::Remove)}</button>
                        </div>
                    }).collect_view()}
                    <button type="button" class="link" on:click=move |_| draft.update(|d| d.milestones.push(MilestoneDraft::default()))>"+ "{ctx.t(K::Add)}</button>
                    {err_for("milestones")}
                </div>
                <h2>{ctx.t(K::SectionDuty)}</h2>
                <div class="grid2">
                    <label class="field" class:invalid=has_err("lead_unit")>
                        <span class="label req">{ctx.t(K::FLeadUnit)}</span>
                        <input type="text" name="lead_unit" list="units-list" prop:value=lead_v on:input=lead_i />
                        {err_for("lead_unit")}
                    </label>
                    <label class="field" class:invalid=has_err("coop_units")>
                        <span class="label">{ctx.t(K::FCoopUnits)}</span>
                        <input type="text" name="coop_units" placeholder=ctx.t(K::HintCommaList) prop:value=coop_v on:input=coop_i />
                        {err_for("coop_units")}
                    </label>
                    <label class="field">
                        <span class="label">{ctx.t(K::FLeadingOfficial)}</span>
                        <input type="text" name="leading_official" list="officials-list" prop:value=off_v on:input=off_i />
                    </label>
                    <label class="field">
                        <span class="label">{ctx.t(K::FSpecialGroup)}</span>
                        <select name="special_group" on:change=move |ev| draft.update(|d| d.special_group = event_target_value(&ev))>
                            <option value="">"—"</option>
                            {groups.into_iter().map(|(gid, g)| { let sel = gid.clone(); view! { <option value=gid selected=move || draft.with(|d| d.special_group == sel)>{g.name}</option> } }).collect_view()}
                        </select>
                    </label>
                </div>
                <datalist id="units-list">{units.into_iter().map(|u| view! { <option value=u></option> }).collect_view()}</datalist>
                <datalist id="officials-list">{officials.into_iter().map(|u| view! { <option value=u></option> }).collect_view()}</datalist>
                <h2>{ctx.t(K::SectionOutcome)}</h2>
                <div class="subtable" class:invalid=has_err("indicators")>
                    <span class="label">{ctx.t(K::FIndicators)}</span>
                    {move || (0..n_ind.get()).map(|n| {
                        macro_rules! ind {
                            ($f:ident, $name:literal, $ph:expr, $cls:literal) => { view! {
                                <input type="text" name=$name class=$cls placeholder=ctx.t($ph)
                                    prop:value=move || draft.with(|d| d.indicators.get(n).map(|x| x.$f.clone()).unwrap_or_default())
                                    on:input=move |ev| draft.update(|d| if let Some(x) = d.indicators.get_mut(n) { x.$f = event_target_value(&ev) }) />
                            } };
                        }
                        view! {
                            <div class="row-inputs">
                                {ind!(name, "ind_name", K::FIndicatorName, "w-wide")}
                                {ind!(target, "ind_target", K::FTarget, "w-num")}
                                {ind!(actual, "ind_actual", K::FActual, "w-num")}
                                {ind!(unit, "ind_unit", K::FMeasure, "w-unit")}
                                <button type="button" class="link" on:click=move |_| draft.update(|d| { if n < d.indicators.len() { d.indicators.remove(n); } })>{ctx.t(K::Remove)}</button>
                            </div>
                        }
                    }).collect_view()}
                    <button type="button" class="link" data-test="add-indicator" on:click=move |_| draft.update(|d| d.indicators.push(IndicatorDraft::default()))>"+ "{ctx.t(K::Add)}</button>
                    {err_for("indicators")}
                </div>
                <div class="grid2">
                    <label class="field">
                        <span class="label">{ctx.t(K::FDocuments)}</span>
                        <textarea name="documents" rows="2" prop:value=docs_v on:input=docs_i></textarea>
                    </label>
                    <label class="field">
                        <span class="label">{ctx.t(K::FTags)}</span>
                        <input type="text" name="tags" placeholder=ctx.t(K::HintCommaList) prop:value=tags_v on:input=tags_i />
                    </label>
                </div>
                <div class="form-actions">
                    <button type="submit" class="primary" data-test="save-item">{ctx.t(K::Save)}</button>
                    <a class="button secondary" href=move || id.get_value().map(|i| Route::Item(i).href()).unwrap_or_else(|| Route::List.href())>{ctx.t(K::Cancel)}</a>
                </div>
            </form>
        </section>
    }
}
