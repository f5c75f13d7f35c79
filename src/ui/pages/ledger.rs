//! Excel/CSV on screen: an office's 台账 brought in (sheet, header and column mapping, a preview
//! row by row, then one confirmed action), and the 导出Excel / 导出CSV buttons of the tables.
//! The reading, mapping, planning and writing are `crate::sheet`'s; this renders and calls.

use crate::i18n::{t, tf, Lang, K};
use crate::sheet::ledger::{self, Column, Layout, Outcome, Plan};
use crate::sheet::worker::{Request, Response};
use crate::sheet::{Book, Sheet};
use crate::ui::sheets::{call, download_bytes};
use crate::ui::{ctx, today};
use chrono::Datelike;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The office's corrections to the suggested mapping, kept in this browser (header → field).
fn remembered_key(office: &str) -> String {
    format!("reform-registry-sheet-mapping-{office}")
}

fn worker_message(lang: Lang, r: &Response) -> String {
    match r {
        Response::OldExcel => t(lang, K::XlOldExcel).into(),
        Response::Unreadable { .. } => t(lang, K::XlUnreadable).into(),
        Response::BadCsvLine { line } => tf(lang, K::XlBadCsvLine, &[line.to_string()]),
        Response::Empty => t(lang, K::XlEmpty).into(),
        Response::TooLarge => {
            tf(lang, K::XlTooLarge, &[crate::sheet::read::MAX_ROWS.to_string(), (crate::sheet::read::MAX_FILE_BYTES / 1024 / 1024).to_string()])
        }
        _ => t(lang, K::XlWorkerFailed).into(),
    }
}

#[derive(Clone, PartialEq)]
enum Loaded {
    Reading,
    Failed(String),
    Sheets(Arc<Vec<Sheet>>),
}

/// Imports a spreadsheet picked in 数据交换: reads it in the worker, then previews and applies.
#[component]
pub fn LedgerImport(name: String, bytes: Arc<Vec<u8>>, on_close: Callback<()>) -> impl IntoView {
    let ctx = ctx();
    let office = ctx.reg.with_untracked(|r| r.as_ref().map(|r| r.office().to_string()).unwrap_or_default());
    let remembered: BTreeMap<String, Option<Column>> = LocalStorage::get(remembered_key(&office)).unwrap_or_default();
    let office = StoredValue::new(office);
    let loaded = RwSignal::new(Loaded::Reading);
    let layout = RwSignal::new(None::<Layout>);
    let without_refused = RwSignal::new(false);
    let done = RwSignal::new(None::<(bool, String)>);
    let file_name = StoredValue::new(name.clone());
    spawn_local(async move {
        let lang = ctx.lang.get_untracked();
        match call(&Request::Read { name }, &bytes).await {
            Ok((Response::Sheets { sheets }, _)) => {
                match ledger::layout(&sheets, &remembered) {
                    Some(l) => layout.set(Some(l)),
                    None => return loaded.set(Loaded::Failed(t(lang, K::XlNoHeader).into())),
                }
                loaded.set(Loaded::Sheets(Arc::new(sheets)));
            }
            Ok((r, _)) => loaded.set(Loaded::Failed(worker_message(lang, &r))),
            Err(_) => loaded.set(Loaded::Failed(t(lang, K::XlWorkerFailed).into())),
        }
    });
    let sheets = move || match loaded.get() {
        Loaded::Sheets(s) => Some(s),
        _ => None,
    };
    let plan = Memo::new(move |_| {
        let (Some(s), Some(l)) = (sheets(), layout.get()) else { return None };
        ctx.reg.with(|r| r.as_ref().map(|r| ledger::plan(r, &s[l.sheet], &l, today().year())))
    });
    let pick_sheet = move |n: usize| {
        if let Some(s) = sheets() {
            // The header of the chosen sheet; a sheet without one keeps the mapping empty.
            let one = vec![s[n].clone()];
            let l = ledger::layout(&one, &BTreeMap::new()).map(|mut l| {
                l.sheet = n;
                l
            });
            layout.set(l.or(Some(Layout { sheet: n, header_row: 0, headers: vec![], mapping: vec![] })));
        }
    };
    let apply = move |_| {
        let Some(p) = plan.get_untracked() else { return };
        let lang = ctx.lang.get_untracked();
        match ctx.act(|tx| ledger::apply(tx, &p, without_refused.get_untracked())) {
            Ok((created, updated)) => {
                // Remember the mapping as corrected, for this office's next sheet.
                if let Some(l) = layout.get_untracked() {
                    let key = remembered_key(&office.get_value());
                    let mut m: BTreeMap<String, Option<Column>> = LocalStorage::get(&key).unwrap_or_default();
                    for (h, c) in l.headers.iter().zip(&l.mapping) {
                        if !h.trim().is_empty() {
                            m.insert(ledger::normalize(h), *c);
                        }
                    }
                    let _ = LocalStorage::set(&key, m);
                }
                done.set(Some((true, tf(lang, K::XlImported, &[created.to_string(), updated.to_string()]))));
            }
            Err(e) => done.set(Some((false, e.message(lang)))),
        }
    };
    move || {
        let lang = ctx.lang.get();
        if let Some((ok, msg)) = done.get() {
            return view! {
                <div class="card" data-test="sheet-done">
                    <p class:ok=ok class:field-error=!ok role="status" data-test="sheet-result">{msg}</p>
                    <button class="secondary" on:click=move |_| on_close.run(())>{t(lang, K::Close)}</button>
                </div>
            }
            .into_any();
        }
        match loaded.get() {
            Loaded::Reading => view! {
                <div class="card"><p class="muted">{t(lang, K::ExReading)}</p>
                    <button class="secondary" on:click=move |_| on_close.run(())>{t(lang, K::Cancel)}</button></div>
            }
            .into_any(),
            Loaded::Failed(m) => view! {
                <div class="banner error card-banner" role="alert" data-test="import-error">{tf(lang, K::ExFileError, &[file_name.get_value(), m])}
                    <div class="form-actions"><button class="secondary" on:click=move |_| on_close.run(())>{t(lang, K::Close)}</button></div></div>
            }
            .into_any(),
            Loaded::Sheets(all) => {
                let Some(l) = layout.get() else { return ().into_any() };
                let p = plan.get().unwrap_or_default();
                view! {
                    <div class="card preview sheet-import" data-test="sheet-preview">
                        <h2>{tf(lang, K::XlPreview, &[file_name.get_value()])}</h2>
                        {(all.len() > 1).then(|| view! {
                            <label class="field"><span class="label">{t(lang, K::XlSheet)}</span>
                                <select name="sheet" on:change=move |ev| if let Ok(n) = event_target_value(&ev).parse() { pick_sheet(n) }>
                                    {all.iter().enumerate().map(|(n, s)| view! { <option value=n.to_string() selected=n == l.sheet>{s.name.clone()}</option> }).collect_view()}
                                </select></label>
                        })}
                        {mapping_table(lang, &l, layout)}
                        {summary(lang, &p)}
                        {errors_table(lang, &p)}
                        {rows_table(lang, &p)}
                        {(!p.errors().is_empty()).then(|| view! {
                            <label class="check"><input type="checkbox" name="without_refused" prop:checked=move || without_refused.get()
                                on:change=move |ev| without_refused.set(event_target_checked(&ev)) />{tf(lang, K::XlWithoutRefused, &[p.count(|o| matches!(o, Outcome::Refused(_))).to_string()])}</label>
                        })}
                        <div class="form-actions">
                            <button class="primary" data-test="apply-sheet" on:click=apply>{t(lang, K::XlApply)}</button>
                            <button class="secondary" on:click=move |_| on_close.run(())>{t(lang, K::Cancel)}</button>
                        </div>
                    </div>
                }
                .into_any()
            }
        }
    }
}

fn mapping_table(lang: Lang, l: &Layout, layout: RwSignal<Option<Layout>>) -> impl IntoView {
    view! {
        <h3>{tf(lang, K::XlMapping, &[(l.header_row + 1).to_string()])}</h3>
        <div class="grid-scroll"><table class="table compact mapping" data-test="sheet-mapping">
            <thead><tr>{l.headers.iter().map(|h| view! { <th>{if h.is_empty() { "—".to_string() } else { h.clone() }}</th> }).collect_view()}</tr></thead>
            <tbody><tr>{l.mapping.iter().enumerate().map(|(n, m)| {
                let current = m.map(|c| c.code()).unwrap_or_default();
                view! { <td><select name="map" aria-label=l.headers[n].clone() on:change=move |ev| {
                    let v = Column::from_code(&event_target_value(&ev));
                    layout.update(|l| if let Some(l) = l {
                        // One column per field: choosing a field elsewhere takes it from its old column.
                        if v.is_some() { for m in l.mapping.iter_mut() { if *m == v { *m = None } } }
                        if let Some(x) = l.mapping.get_mut(n) { *x = v }
                    });
                }>
                    <option value="" selected=current.is_empty()>{t(lang, K::XlNotImported)}</option>
                    {Column::ALL.iter().map(|c| view! { <option value=c.code() selected=current == c.code()>{t(lang, c.label())}</option> }).collect_view()}
                </select></td> }
            }).collect_view()}</tr></tbody>
        </table></div>
    }
}

fn summary(lang: Lang, p: &Plan) -> impl IntoView {
    let n = |f: fn(&Outcome) -> bool| p.count(f).to_string();
    view! {
        <p data-test="sheet-counts"><strong>{tf(lang, K::XlCounts, &[
            n(|o| matches!(o, Outcome::Create(_))),
            n(|o| matches!(o, Outcome::Update { .. })),
            n(|o| matches!(o, Outcome::Unchanged { .. })),
            n(|o| matches!(o, Outcome::Refused(_))),
            p.skipped.to_string(),
        ])}</strong></p>
        {(!p.new_units.is_empty()).then(|| view! { <p class="small" data-test="sheet-new-units">{t(lang, K::XlNewUnits)}{crate::i18n::colon(lang)}{p.new_units.join(crate::i18n::list_sep(lang))}</p> })}
        {(!p.new_officials.is_empty()).then(|| view! { <p class="small">{t(lang, K::XlNewOfficials)}{crate::i18n::colon(lang)}{p.new_officials.join(crate::i18n::list_sep(lang))}</p> })}
        {(!p.new_groups.is_empty()).then(|| view! { <p class="small">{t(lang, K::XlNewGroups)}{crate::i18n::colon(lang)}{p.new_groups.join(crate::i18n::list_sep(lang))}</p> })}
    }
}

fn errors_table(lang: Lang, p: &Plan) -> impl IntoView {
    let errs = p.errors();
    (!errs.is_empty()).then(|| {
        view! {
            <h3 class="overdue">{tf(lang, K::XlErrors, &[errs.len().to_string()])}</h3>
            <table class="table compact" data-test="sheet-errors">
                <thead><tr><th>{t(lang, K::XlRow)}</th><th>{t(lang, K::XlColumn)}</th><th>{t(lang, K::XlValue)}</th><th>{t(lang, K::XlReason)}</th></tr></thead>
                <tbody>{errs.iter().take(SHOWN_ERRORS).map(|e| view! {
                    <tr data-test="sheet-error"><td class="num">{e.row}</td>
                        <td>{if e.column.is_empty() { t(lang, e.field.label()).to_string() } else { e.column.clone() }}</td>
                        <td>{e.value.clone()}</td><td>{e.error.message(lang)}</td></tr>
                }).collect_view()}</tbody>
            </table>
            {(errs.len() > SHOWN_ERRORS).then(|| view! { <p class="small muted">{tf(lang, K::XlMoreErrors, &[(errs.len() - SHOWN_ERRORS).to_string()])}</p> })}
        }
    })
}

/// Errors listed on the page (the rest are counted).
const SHOWN_ERRORS: usize = 200;

fn rows_table(lang: Lang, p: &Plan) -> impl IntoView {
    const SHOWN: usize = 200;
    view! {
        <details open=p.rows.len() <= 30>
            <summary>{tf(lang, K::XlRows, &[p.rows.len().to_string()])}</summary>
            <table class="table compact" data-test="sheet-rows">
                <tbody>{p.rows.iter().take(SHOWN).map(|r| {
                    let (cls, what) = match &r.outcome {
                        Outcome::Create(_) => ("new", t(lang, K::XlCreate).to_string()),
                        Outcome::Update { fields, .. } => ("changed", tf(lang, K::XlUpdate, &[fields.iter().map(|f| crate::domain::labels::field_label_in(lang, crate::domain::model::coll::ITEM, f)).collect::<Vec<_>>().join(crate::i18n::list_sep(lang))])),
                        Outcome::Unchanged { .. } => ("same", t(lang, K::XlUnchanged).to_string()),
                        Outcome::Refused(_) => ("refused", t(lang, K::XlRefused).to_string()),
                    };
                    view! { <tr class=cls data-test="sheet-row"><td class="num">{r.row}</td><td>{r.title.clone()}</td><td>{what}</td></tr> }
                }).collect_view()}</tbody>
            </table>
        </details>
    }
}

/// 导出Excel / 导出CSV for a table the screen shows. `book` builds it when pressed.
#[component]
pub fn ExportButtons(what: K, book: Callback<(), Book>) -> impl IntoView {
    let ctx = ctx();
    let busy = RwSignal::new(false);
    let msg = RwSignal::new(None::<String>);
    let export = move |csv: bool| {
        busy.set(true);
        msg.set(None);
        let b = book.run(());
        spawn_local(async move {
            let lang = ctx.lang.get_untracked();
            let office = ctx.reg.with_untracked(|r| r.as_ref().and_then(crate::domain::ops::my_office).map(|o| o.name).unwrap_or_default());
            match call(&Request::Write { csv, book: b }, &[]).await {
                Ok((Response::Written, bytes)) => {
                    let name = crate::sheet::file_name(&office, t(lang, what), today(), csv);
                    let mime = if csv { "text/csv;charset=utf-8" } else { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" };
                    download_bytes(&name, &bytes, mime);
                }
                Ok((r, _)) => msg.set(Some(worker_message(lang, &r))),
                Err(_) => msg.set(Some(t(lang, K::XlWorkerFailed).into())),
            }
            busy.set(false);
        });
    };
    view! {
        <span class="export-buttons no-print">
            <button class="secondary" data-test="export-xlsx" prop:disabled=move || busy.get() on:click=move |_| export(false)>{ctx.t(K::XlExportXlsx)}</button>
            <button class="secondary" data-test="export-csv" prop:disabled=move || busy.get() on:click=move |_| export(true)>{ctx.t(K::XlExportCsv)}</button>
            {move || msg.get().map(|m| view! { <span class="field-error small" role="alert">{m}</span> })}
        </span>
    }
}
