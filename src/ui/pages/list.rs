//! The registry list: search, filters, sorting, counts. Rows are computed once per registry
//! change; filtering works on them and only the first page is rendered.

use super::ledger::ExportButtons;
use crate::domain::figures;
use crate::domain::model::coll;
use crate::domain::ops::{self, ItemQuery, SortBy};
use crate::domain::{Group, ItemKind, Status, Unit};
use crate::i18n::{tf, K};
use crate::order::LeanSort;
use crate::sheet::{tables as sheet_tables, Book};
use crate::ui::{ctx, status_class, Route};
use leptos::prelude::*;
use std::collections::BTreeSet;

const PAGE: usize = 200;

#[component]
pub fn ListPage() -> impl IntoView {
    crate::trace::mark("rr:list-open");
    let ctx = ctx();
    let day = ctx.derived.day.get_untracked();
    let rows = ctx.derived.item_rows;
    let q = RwSignal::new(ItemQuery::default());
    let paging = crate::ui::Paging::new(PAGE);
    let shown = Memo::new(move |_| rows.with(|rows| q.with(|q| ops::query(rows, q))));

    let groups = Memo::new(move |_| {
        ctx.reg.with(|r| {
            let mut g: Vec<(String, Group)> = r.as_ref().map(|r| ops::all(r, coll::GROUP)).unwrap_or_default();
            g.lean_sort_by(|a, b| a.1.name.cmp(&b.1.name));
            g
        })
    });
    let group_name = move |id: &str| groups.with(|g| g.iter().find(|(gid, _)| gid == id).map(|(_, g)| g.name.clone()).unwrap_or_default());
    // Units: the registered ones plus any named on an item.
    let units = Memo::new(move |_| {
        let mut s: BTreeSet<String> =
            ctx.reg.with(|r| r.as_ref().map(|r| ops::all::<Unit>(r, coll::UNIT).into_iter().map(|(_, u)| u.name).collect()).unwrap_or_default());
        rows.with(|rows| s.extend(rows.iter().map(|r| r.item.lead_unit.clone())));
        s.into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>()
    });
    let batches = Memo::new(move |_| {
        rows.with(|rows| rows.iter().map(|r| r.item.batch.clone()).filter(|b| !b.is_empty()).collect::<BTreeSet<_>>().into_iter().collect::<Vec<_>>())
    });

    let count = move |f: fn(&ops::ItemRow) -> bool| rows.with(|rows| rows.iter().filter(|r| f(r)).count());

    // The rows in `range` of those the filter keeps: the first rows and the rest are drawn
    // apart (`Paging::first`, `Paging::rest`).
    let draw = move |range: std::ops::Range<usize>| {
        let lang = ctx.lang.get();
        rows.with(|rows| shown.with(|idx| {
            if idx.is_empty() {
                return (range.start == 0).then(|| view! { <tr><td colspan="7" class="empty">{ctx.t(K::NoItems)}</td></tr> }).into_any();
            }
            crate::trace::mark("rr:list-query");
            let page = idx.iter().take(range.end).skip(range.start).map(|&n| {
                let r = &rows[n];
                let i = &r.item;
                let href = Route::Item(r.id.clone()).href();
                let due = match (i.deadline, r.overdue) {
                    (Some(d), true) => view! { <span class="overdue">{d.to_string()}<small>{tf(lang, K::OverdueDays, &[figures::days_late(i, day).unwrap_or(0).to_string()])}</small></span> }.into_any(),
                    (Some(d), false) => view! { <span>{d.to_string()}</span> }.into_any(),
                    (None, _) => view! { <span class="muted">"—"</span> }.into_any(),
                };
                view! {
                    <tr class:row-overdue=r.overdue data-test="item-row">
                        <td class="c-title">
                            <a href=href>{i.title.clone()}</a>
                            <span class="kind">{crate::i18n::t(lang, i.kind.label())}</span>
                            {r.conflicted.then(|| view! { <span class="tag conflict">{crate::i18n::t(lang, K::Conflict)}</span> })}
                        </td>
                        <td>{i.lead_unit.clone()}</td>
                        <td>{i.leading_official.clone()}</td>
                        <td class="small">{group_name(&i.special_group)}</td>
                        <td>{i.batch.clone()}</td>
                        <td class="c-date">{due}</td>
                        <td><span class={format!("badge {}", status_class(i.status))}>{crate::i18n::t(lang, i.status.label())}</span></td>
                    </tr>
                }
            }).collect_view().into_any();
            crate::trace::mark("rr:list-page-made");
            page
        }))
    };

    view! {
        <section class="list-page">
            <h1 class="sr-only">{ctx.t(K::NavRegistry)}</h1>
            <crate::ui::PrintHead title=Signal::derive(move || crate::i18n::t(ctx.lang.get(), K::NavRegistry).to_string())/>
            <super::monthly::Dashboard/>
            <div class="summary">
                <div class="stat"><span class="num" data-test="count-total">{move || rows.with(|r| r.len())}</span><span>{ctx.t(K::SummaryTotal)}</span></div>
                <div class="stat run"><span class="num">{move || count(|r| r.item.status == Status::InProgress)}</span><span>{ctx.t(K::SummaryInProgress)}</span></div>
                <div class="stat done"><span class="num">{move || count(|r| r.item.status.is_done())}</span><span>{ctx.t(K::SummaryDone)}</span></div>
                <div class="stat bad"><span class="num" data-test="count-overdue">{move || count(|r| r.overdue)}</span><span>{ctx.t(K::SummaryOverdue)}</span></div>
                <a class="button primary new-item" href=Route::NewItem.href() data-test="new-item">"+ "{ctx.t(K::NavNewItem)}</a>
                {move || {
                    let n = ctx.reg.with(|r| r.as_ref().map(|r| r.records.flagged().filter(|x| x.is_deleted()).count()).unwrap_or(0));
                    (n > 0).then(|| view! { <a class="trash-link small" href=Route::Trash.href() data-test="to-trash">{ctx.t(K::NavTrash)}{move || crate::i18n::paren(ctx.lang.get(), &n.to_string())}</a> })
                }}
            </div>
            <div class="filters card">
                <input class="search" type="search" name="search" placeholder=ctx.t(K::Search)
                    prop:value=move || q.with(|q| q.text.clone())
                    on:input=move |ev| { q.update(|q| q.text = event_target_value(&ev)); paging.reset(); } />
                <select name="kind" aria-label=ctx.t(K::FKind) on:change=move |ev| q.update(|q| q.kind = ItemKind::from_code(&event_target_value(&ev)))>
                    <option value="">{ctx.t(K::FKind)}": "{ctx.t(K::All)}</option>
                    {ItemKind::ALL.iter().map(|k| view! { <option value=k.code()>{ctx.t(k.label())}</option> }).collect_view()}
                </select>
                <select name="status" aria-label=ctx.t(K::FStatus) on:change=move |ev| q.update(|q| q.status = Status::from_code(&event_target_value(&ev)))>
                    <option value="">{ctx.t(K::FStatus)}": "{ctx.t(K::All)}</option>
                    {Status::ALL.iter().map(|s| view! { <option value=s.code()>{ctx.t(s.label())}</option> }).collect_view()}
                </select>
                <select name="unit" aria-label=ctx.t(K::FLeadUnit) on:change=move |ev| q.update(|q| q.unit = event_target_value(&ev))>
                    <option value="">{ctx.t(K::FLeadUnit)}": "{ctx.t(K::All)}</option>
                    {move || units.get().into_iter().map(|u| view! { <option value=u.clone()>{u.clone()}</option> }).collect_view()}
                </select>
                <select name="group" aria-label=ctx.t(K::FSpecialGroup) on:change=move |ev| q.update(|q| q.group = event_target_value(&ev))>
                    <option value="">{ctx.t(K::FSpecialGroup)}": "{ctx.t(K::All)}</option>
                    {move || groups.get().into_iter().map(|(id, g)| view! { <option value=id>{g.name}</option> }).collect_view()}
                </select>
                <select name="batch" aria-label=ctx.t(K::FBatch) on:change=move |ev| q.update(|q| q.batch = event_target_value(&ev))>
                    <option value="">{ctx.t(K::FBatch)}": "{ctx.t(K::All)}</option>
                    {move || batches.get().into_iter().map(|b| view! { <option value=b.clone()>{b.clone()}</option> }).collect_view()}
                </select>
                <label class="check">
                    <input type="checkbox" name="overdue" prop:checked=move || q.with(|q| q.overdue_only)
                        on:change=move |ev| q.update(|q| q.overdue_only = event_target_checked(&ev)) />
                    {ctx.t(K::FilterOverdue)}
                </label>
                <select name="sort" aria-label=ctx.t(K::SortLabel) on:change=move |ev| q.update(|q| q.sort = match event_target_value(&ev).as_str() {
                    "title" => SortBy::Title, "status" => SortBy::Status, "updated" => SortBy::Updated, _ => SortBy::Deadline })>
                    <option value="deadline">{ctx.t(K::SortDeadline)}</option>
                    <option value="title">{ctx.t(K::SortTitle)}</option>
                    <option value="status">{ctx.t(K::SortStatus)}</option>
                    <option value="updated">{ctx.t(K::SortUpdated)}</option>
                </select>
            </div>
            <div class="count-bar">
                <p class="muted count" data-test="count-shown">
                    {move || tf(ctx.lang.get(), K::CountShown, &[rows.with(|r| r.len()).to_string(), shown.with(|s| s.len()).to_string()])}
                </p>
                // The table as filtered, in its order, for leaders.
                <ExportButtons what=K::XlRegistry book=Callback::new(move |_| {
                    let lang = ctx.lang.get_untracked();
                    ctx.reg.with_untracked(|r| {
                        let Some(r) = r.as_ref() else { return Book::default() };
                        let office = ops::my_office(r).map(|o| o.name).unwrap_or_default();
                        rows.with_untracked(|rows| shown.with_untracked(|idx| {
                            let chosen: Vec<&ops::ItemRow> = idx.iter().map(|&n| &rows[n]).collect();
                            sheet_tables::registry(lang, &office, &chosen, &groups.get_untracked(), day)
                        }))
                    })
                })/>
            </div>
            <table class="table items">
                <thead><tr>
                    <th class="c-title">{ctx.t(K::FTitle)}</th>
                    <th>{ctx.t(K::FLeadUnit)}</th>
                    <th>{ctx.t(K::FLeadingOfficial)}</th>
                    <th>{ctx.t(K::FSpecialGroup)}</th>
                    <th>{ctx.t(K::FBatch)}</th>
                    <th class="c-date">{ctx.t(K::FDeadline)}</th>
                    <th>{ctx.t(K::FStatus)}</th>
                </tr></thead>
                <tbody>
                    {move || draw(paging.first())}
                    {move || draw(paging.rest())}
                </tbody>
            </table>
            {move || {
                let more = paging.hidden(shown.with(|s| s.len()));
                (more > 0).then(|| view! {
                    <button class="secondary more" on:click=move |_| paging.next()>
                        {move || tf(ctx.lang.get(), K::ShowMore, &[more.to_string()])}
                    </button>
                })
            }}
        </section>
    }
}
