//! 组织架构: the office's special groups (with weights), responsible units and leading officials,
//! kept as records — added, edited, retired, deleted while unused, and duplicates merged. Every
//! decision is `domain::org`'s; this page shows the records and calls it.

use crate::domain::model::coll;
use crate::domain::org::{self, OrgKind};
use crate::domain::tx::Tx;
use crate::domain::validate::parse_number;
use crate::domain::{ops, ownership, DomainError, Group, OfficeLevel, Official, Unit};
use crate::i18n::{t, tf, K};
use crate::order::LeanSort;
use crate::ui::ctx;
use leptos::prelude::*;

type Action = Box<dyn FnOnce(&mut Tx) -> Result<(), DomainError>>;

/// This office's records of one collection, by name (other offices' directories are theirs).
fn mine<T: serde::de::DeserializeOwned + Default + serde::Serialize + Clone + PartialEq + Send + Sync + 'static>(
    c: &'static str,
    name: Option<fn(&T) -> String>,
) -> Memo<Vec<(String, T)>> {
    let ctx = ctx();
    Memo::new(move |_| {
        ctx.reg.with(|r| {
            let Some(r) = r.as_ref() else { return vec![] };
            let mut v: Vec<(String, T)> = ops::all::<T>(r, c).into_iter().filter(|(id, _)| ownership::owner(id) == r.office()).collect();
            // Officials keep the order they were entered (an office lists its leaders by rank).
            match name {
                Some(name) => v.lean_sort_by_key(|(_, x)| name(x)),
                None => v.lean_sort_by_key(|(id, _)| id.rsplit(':').next().and_then(|s| s.parse::<u64>().ok()).unwrap_or(u64::MAX)),
            }
            v
        })
    })
}

/// 编辑 / 停用 or 恢复 / 删除 for one record; errors go to `err`.
fn row_actions(
    kind: OrgKind,
    id: String,
    retired: bool,
    merged: bool,
    on_edit: impl Fn() + Send + Sync + 'static,
    err: RwSignal<Option<String>>,
) -> impl IntoView {
    let ctx = ctx();
    let run = move |a: Action| match ctx.act(a) {
        Ok(()) => err.set(None),
        Err(e) => err.set(Some(ctx.err(&e))),
    };
    let (i2, i3) = (id.clone(), id);
    view! {
        <td class="row-actions">
            {(!merged).then(|| view! {
                <button type="button" class="link" data-test="org-edit" on:click=move |_| on_edit()>{ctx.t(K::Edit)}</button>
                <button type="button" class="link" data-test=if retired { "org-restore" } else { "org-retire" }
                    on:click=move |_| { let id = i2.clone(); run(Box::new(move |tx| org::set_retired(tx, kind, &id, !retired).map(|_| ()))) }>
                    {ctx.t(if retired { K::OrgRestore } else { K::OrgRetire })}</button>
            })}
            <button type="button" class="link danger" data-test="org-delete" on:click=move |_| { let id = i3.clone(); run(Box::new(move |tx| org::delete(tx, kind, &id))) }>{ctx.t(K::Delete)}</button>
        </td>
    }
}

fn text_input(s: RwSignal<String>, label: K, test: &'static str) -> impl IntoView {
    let ctx = ctx();
    view! { <input type="text" data-test=test placeholder=ctx.t(label) aria-label=ctx.t(label) prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev)) /> }
}

#[component]
pub fn OrgPage() -> impl IntoView {
    view! {
        <section class="org-page">
            <h1 class="page-title">{ctx().t(K::NavOrg)}</h1>
            <UnfiledCard/>
            <GroupsCard/>
            <UnitsCard/>
            <OfficialsCard/>
            <MergeCard/>
        </section>
    }
}

/// Names items use that no record answers to (registries kept before names were records).
#[component]
fn UnfiledCard() -> impl IntoView {
    let ctx = ctx();
    let unfiled = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(org::unfiled_names).unwrap_or_default()));
    let err = RwSignal::new(None::<String>);
    let file = move |_| match ctx.act(|tx| org::file_all(tx).map(|_| ())) {
        Ok(()) => err.set(None),
        Err(e) => err.set(Some(ctx.err(&e))),
    };
    move || {
        (!unfiled.with(|u| u.is_empty())).then(|| {
            let lang = ctx.lang.get();
            view! {
                <div class="card warn-card" data-test="unfiled">
                    <h2>{ctx.t(K::OrgUnfiled)}</h2>
                    <p class="small">{ctx.t(K::OrgUnfiledHint)}</p>
                    <ul class="small">{unfiled.get().into_iter().map(|(k, n, c)| view! { <li>{n}{crate::i18n::paren(lang, &format!("{}{}{}", t(lang, k.label()), crate::i18n::comma(lang), tf(lang, K::OrgUsedBy, &[c.to_string()])))}</li> }).collect_view()}</ul>
                    <button type="button" class="primary" data-test="file-all" on:click=file>{ctx.t(K::OrgFileAll)}</button>
                    {move || err.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                </div>
            }
        })
    }
}

#[component]
fn GroupsCard() -> impl IntoView {
    let ctx = ctx();
    let groups = mine::<Group>(coll::GROUP, Some(|g| g.name.clone()));
    let officials = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| org::active_names(r, OrgKind::Official)).unwrap_or_default()));
    let err = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<String>);
    let (name, weight, leader) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (e_name, e_weight, e_leader) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let save = move |id: Option<String>, n: RwSignal<String>, w: RwSignal<String>, l: RwSignal<String>| {
        let res = parse_number(&w.get_untracked(), K::FGroupWeight, "weight").and_then(|wt| {
            ctx.act(|tx| {
                let mut g = id.as_deref().and_then(|i| tx.reg().get_live(i).map(crate::domain::model::from_record::<Group>)).unwrap_or_default();
                g.name = n.get_untracked();
                g.weight = wt.unwrap_or(0.0);
                g.leader = l.get_untracked().trim().into();
                org::save_group(tx, id.as_deref(), &g).map(|_| ())
            })
        });
        match res {
            Ok(()) => {
                if id.is_none() {
                    n.set(String::new());
                    w.set(String::new());
                    l.set(String::new());
                }
                editing.set(None);
                err.set(None);
            }
            Err(e) => err.set(Some(ctx.err(&e))),
        }
    };
    let total = move || ctx.reg.with(|r| r.as_ref().map(ops::group_weight_total).unwrap_or(0.0));
    let start_edit = move |id: String, g: &Group| {
        e_name.set(g.name.clone());
        e_weight.set(crate::domain::scoring::figure_text(g.weight));
        e_leader.set(g.leader.clone());
        editing.set(Some(id));
    };
    view! {
        <div class="card">
            <h2>{ctx.t(K::OrgGroups)}<span class="muted small" data-test="group-total">" Σ "{move || format!("{}%", crate::domain::scoring::figure_text(total()))}</span></h2>
            // The groups share the assessment's weight: a plan that takes their weights needs 100 %.
            {move || (!groups.with(|g| g.iter().all(|(_, g)| g.retired)) && crate::domain::scoring::round2(total()) != 10_000).then(|| view! { <p class="small warn" data-test="group-total-warn">{ctx.t(K::OrgWeightsNot100)}</p> })}
            <datalist id="org-officials">{move || officials.get().into_iter().map(|o| view! { <option value=o></option> }).collect_view()}</datalist>
            <table class="table compact" data-test="groups"><thead><tr><th>{ctx.t(K::FGroupName)}</th><th class="num">{ctx.t(K::FGroupWeight)}</th><th>{ctx.t(K::FLeader)}</th><th>{ctx.t(K::OrgMembers)}</th><th><span class="sr-only">{ctx.t(K::Actions)}</span></th></tr></thead>
            <tbody>{move || {
                let lang = ctx.lang.get();
                groups.get().into_iter().map(|(id, g)| {
                    if editing.get().as_deref() == Some(id.as_str()) {
                        let id2 = id.clone();
                        return view! { <tr class="editing">
                            <td>{text_input(e_name, K::FGroupName, "edit-name")}</td>
                            <td><input type="text" inputmode="decimal" aria-label=t(lang, K::FGroupWeight) prop:value=move || e_weight.get() on:input=move |ev| e_weight.set(event_target_value(&ev)) /></td>
                            <td><input type="text" list="org-officials" aria-label=t(lang, K::FLeader) prop:value=move || e_leader.get() on:input=move |ev| e_leader.set(event_target_value(&ev)) /></td>
                            <td></td>
                            <td class="row-actions"><button type="button" class="secondary" data-test="org-save" on:click=move |_| save(Some(id2.clone()), e_name, e_weight, e_leader)>{t(lang, K::Save)}</button>
                                <button type="button" class="link" on:click=move |_| editing.set(None)>{t(lang, K::Cancel)}</button></td>
                        </tr> }.into_any();
                    }
                    let members = ctx.reg.with(|r| r.as_ref().map(|r| org::group_members(r, &id)).unwrap_or_default());
                    let (g2, id2) = (g.clone(), id.clone());
                    view! { <tr class:retired=g.retired>
                        <td>{g.name.clone()}{g.retired.then(|| view! { " " <span class="tag">{t(lang, K::OrgRetired)}</span> })}</td>
                        <td class="num">{crate::domain::scoring::figure_text(g.weight)}</td><td>{g.leader.clone()}</td>
                        <td class="small">{members.join(crate::i18n::list_sep(lang))}</td>
                        {row_actions(OrgKind::Group, id.clone(), g.retired, false, move || start_edit(id2.clone(), &g2), err)}
                    </tr> }.into_any()
                }).collect_view()
            }}</tbody></table>
            <form class="inline-form" on:submit=move |ev| { ev.prevent_default(); save(None, name, weight, leader) }>
                {text_input(name, K::FGroupName, "group-name")}{text_input(weight, K::FGroupWeight, "group-weight")}
                <input type="text" list="org-officials" data-test="group-leader" placeholder=ctx.t(K::FLeader) aria-label=ctx.t(K::FLeader) prop:value=move || leader.get() on:input=move |ev| leader.set(event_target_value(&ev)) />
                <button type="submit" class="secondary" data-test="group-add">{ctx.t(K::Add)}</button>
            </form>
            {move || err.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </div>
    }
}

#[component]
fn UnitsCard() -> impl IntoView {
    let ctx = ctx();
    let units = mine::<Unit>(coll::UNIT, Some(|u| u.name.clone()));
    let groups = Memo::new(move |_| {
        ctx.reg.with(|r| {
            r.as_ref()
                .map(|r| ops::all::<Group>(r, coll::GROUP).into_iter().filter(|(id, _)| ownership::owner(id) == r.office()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let err = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<String>);
    // One draft for the add form, one for the row being edited.
    let new = RwSignal::new(Unit { level: OfficeLevel::Department, ..Default::default() });
    let edit = RwSignal::new(Unit::default());
    let save = move |id: Option<String>, d: RwSignal<Unit>| match ctx.act(|tx| org::save_unit(tx, id.as_deref(), &d.get_untracked()).map(|_| ())) {
        Ok(()) => {
            if id.is_none() {
                d.set(Unit { level: d.get_untracked().level, group: d.get_untracked().group, ..Default::default() });
            }
            editing.set(None);
            err.set(None);
        }
        Err(e) => err.set(Some(ctx.err(&e))),
    };
    let group_name = move |gid: &str| groups.with(|g| g.iter().find(|(id, _)| id == gid).map(|(_, g)| g.name.clone()).unwrap_or_default());
    // The fields of a unit draft, for the add form and the row editor alike.
    let fields = move |d: RwSignal<Unit>, row: bool| {
        let lang = ctx.lang.get_untracked();
        let input = move |get: fn(&Unit) -> String, set: fn(&mut Unit, String), k: K, test: &'static str| {
            view! { <input type="text" data-test=test placeholder=t(lang, k) aria-label=t(lang, k) prop:value=move || d.with(get) on:input=move |ev| d.update(|u| set(u, event_target_value(&ev))) /> }
        };
        let cell = move |v: AnyView| if row { view! { <td>{v}</td> }.into_any() } else { v };
        view! {
            {cell(input(|u| u.name.clone(), |u, v| u.name = v, K::FUnitName, if row { "edit-name" } else { "unit-name" }).into_any())}
            {cell(view! { <select aria-label=t(lang, K::FOfficeLevel) on:change=move |ev| if let Some(l) = OfficeLevel::from_code(&event_target_value(&ev)) { d.update(|u| u.level = l) }>
                {OfficeLevel::ALL.iter().map(|l| { let l = *l; view! { <option value=l.code() selected=move || d.with(|u| u.level == l)>{t(lang, l.label())}</option> } }).collect_view()}
            </select> }.into_any())}
            {cell(view! { <select aria-label=t(lang, K::FSpecialGroup) data-test=if row { "edit-group" } else { "unit-group" } on:change=move |ev| d.update(|u| u.group = event_target_value(&ev))>
                <option value="">{t(lang, K::OrgNoGroup)}</option>
                {move || groups.get().into_iter().filter(|(id, g)| !g.retired || d.with(|u| &u.group == id)).map(|(id, g)| { let sel = id.clone(); view! { <option value=id selected=move || d.with(|u| u.group == sel)>{g.name}</option> } }).collect_view()}
            </select> }.into_any())}
            {cell(input(|u| u.liaison.clone(), |u, v| u.liaison = v, K::FLiaison, "unit-liaison").into_any())}
            {cell(input(|u| u.phone.clone(), |u, v| u.phone = v, K::FPhone, "unit-phone").into_any())}
        }
    };
    view! {
        <div class="card">
            <h2>{ctx.t(K::OrgUnits)}</h2>
            <table class="table compact" data-test="units"><thead><tr><th>{ctx.t(K::FUnitName)}</th><th>{ctx.t(K::FOfficeLevel)}</th><th>{ctx.t(K::FSpecialGroup)}</th><th>{ctx.t(K::FLiaison)}</th><th>{ctx.t(K::FPhone)}</th><th><span class="sr-only">{ctx.t(K::Actions)}</span></th></tr></thead>
            <tbody>{move || {
                let lang = ctx.lang.get();
                units.get().into_iter().map(|(id, u)| {
                    if editing.get().as_deref() == Some(id.as_str()) {
                        let id2 = id.clone();
                        return view! { <tr class="editing">{fields(edit, true)}
                            <td class="row-actions"><button type="button" class="secondary" data-test="org-save" on:click=move |_| save(Some(id2.clone()), edit)>{t(lang, K::Save)}</button>
                                <button type="button" class="link" on:click=move |_| editing.set(None)>{t(lang, K::Cancel)}</button></td></tr> }.into_any();
                    }
                    let merged = !u.merged_into.is_empty();
                    let into = ctx.reg.with(|r| r.as_ref().and_then(|r| r.get_live(&u.merged_into)).and_then(|r| r.value("name")).and_then(|v| v.as_str().map(str::to_string))).unwrap_or_default();
                    let (u2, id2) = (u.clone(), id.clone());
                    view! { <tr class:retired=u.retired data-test="unit-row">
                        <td>{u.name.clone()}
                            {u.retired.then(|| view! { " " <span class="tag">{if merged { format!("{} {}", t(lang, K::OrgMergedInto), into) } else { t(lang, K::OrgRetired).to_string() }}</span> })}
                            {(!u.aliases.is_empty()).then(|| view! { <br/><small class="muted">{t(lang, K::OrgAliases)}{crate::i18n::colon(lang)}{u.aliases.join(crate::i18n::list_sep(lang))}</small> })}</td>
                        <td>{t(lang, u.level.label())}</td><td>{group_name(&u.group)}</td><td>{u.liaison.clone()}</td><td>{u.phone.clone()}</td>
                        {row_actions(OrgKind::Unit, id.clone(), u.retired, merged, move || { edit.set(u2.clone()); editing.set(Some(id2.clone())) }, err)}
                    </tr> }.into_any()
                }).collect_view()
            }}</tbody></table>
            <form class="inline-form" on:submit=move |ev| { ev.prevent_default(); save(None, new) }>
                {fields(new, false)}
                <button type="submit" class="secondary" data-test="unit-add">{ctx.t(K::Add)}</button>
            </form>
            {move || err.get().map(|e| view! { <p class="field-error" role="alert" data-test="org-error">{e}</p> })}
        </div>
    }
}

#[component]
fn OfficialsCard() -> impl IntoView {
    let ctx = ctx();
    let officials = mine::<Official>(coll::OFFICIAL, None);
    let err = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<String>);
    let (name, post, e_name, e_post) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let save = move |id: Option<String>, n: RwSignal<String>, p: RwSignal<String>| {
        let res = ctx.act(|tx| {
            let mut o = id.as_deref().and_then(|i| tx.reg().get_live(i).map(crate::domain::model::from_record::<Official>)).unwrap_or_default();
            o.name = n.get_untracked();
            o.post = p.get_untracked().trim().into();
            org::save_official(tx, id.as_deref(), &o).map(|_| ())
        });
        match res {
            Ok(()) => {
                if id.is_none() {
                    n.set(String::new());
                    p.set(String::new());
                }
                editing.set(None);
                err.set(None);
            }
            Err(e) => err.set(Some(ctx.err(&e))),
        }
    };
    view! {
        <div class="card">
            <h2>{ctx.t(K::OrgOfficials)}<span class="muted small" data-test="official-count">" "{move || officials.with(|o| o.iter().filter(|(_, o)| !o.retired).count())}</span></h2>
            <table class="table compact" data-test="officials"><thead><tr><th>{ctx.t(K::FOfficialName)}</th><th>{ctx.t(K::FOfficialPost)}</th><th><span class="sr-only">{ctx.t(K::Actions)}</span></th></tr></thead>
            <tbody>{move || {
                let lang = ctx.lang.get();
                officials.get().into_iter().map(|(id, o)| {
                    if editing.get().as_deref() == Some(id.as_str()) {
                        let id2 = id.clone();
                        return view! { <tr class="editing"><td>{text_input(e_name, K::FOfficialName, "edit-name")}</td><td>{text_input(e_post, K::FOfficialPost, "edit-post")}</td>
                            <td class="row-actions"><button type="button" class="secondary" data-test="org-save" on:click=move |_| save(Some(id2.clone()), e_name, e_post)>{t(lang, K::Save)}</button>
                                <button type="button" class="link" on:click=move |_| editing.set(None)>{t(lang, K::Cancel)}</button></td></tr> }.into_any();
                    }
                    let merged = !o.merged_into.is_empty();
                    let (o2, id2) = (o.clone(), id.clone());
                    view! { <tr class:retired=o.retired data-test="official-row">
                        <td>{o.name.clone()}{o.retired.then(|| view! { " " <span class="tag">{t(lang, if merged { K::OrgMergedInto } else { K::OrgRetired })}</span> })}
                            {(!o.aliases.is_empty()).then(|| view! { <br/><small class="muted">{t(lang, K::OrgAliases)}{crate::i18n::colon(lang)}{o.aliases.join(crate::i18n::list_sep(lang))}</small> })}</td>
                        <td>{o.post.clone()}</td>
                        {row_actions(OrgKind::Official, id.clone(), o.retired, merged, move || { e_name.set(o2.name.clone()); e_post.set(o2.post.clone()); editing.set(Some(id2.clone())) }, err)}
                    </tr> }.into_any()
                }).collect_view()
            }}</tbody></table>
            <form class="inline-form" on:submit=move |ev| { ev.prevent_default(); save(None, name, post) }>
                {text_input(name, K::FOfficialName, "official-name")}{text_input(post, K::FOfficialPost, "official-post")}
                <button type="submit" class="secondary" data-test="official-add">{ctx.t(K::Add)}</button>
            </form>
            {move || err.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </div>
    }
}

/// 合并重复: the duplicate is folded into the record kept; suggestions come from `org::similar`.
#[component]
fn MergeCard() -> impl IntoView {
    let ctx = ctx();
    let kind = RwSignal::new(OrgKind::Unit);
    let (from, into) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let confirming = RwSignal::new(false);
    let msg = RwSignal::new(None::<(bool, String)>);
    let choices = Memo::new(move |_| {
        let k = kind.get();
        ctx.reg.with(|r| {
            let Some(r) = r.as_ref() else { return vec![] };
            let mut v: Vec<(String, String)> = r
                .live(k.coll())
                .filter(|x| ownership::owner(&x.id) == r.office() && x.value("merged_into").and_then(|v| v.as_str()).unwrap_or("").is_empty())
                .map(|x| (x.id.clone(), x.value("name").and_then(|v| v.as_str()).unwrap_or("").to_string()))
                .collect();
            v.lean_sort_by(|a, b| a.1.cmp(&b.1));
            v
        })
    });
    let similar = Memo::new(move |_| {
        let k = kind.get();
        ctx.reg.with(|r| r.as_ref().map(|r| org::similar(r, k)).unwrap_or_default())
    });
    let preview = move || {
        let (f, i) = (from.get(), into.get());
        (!f.is_empty() && !i.is_empty() && f != i).then(|| ctx.reg.with(|r| r.as_ref().map(|r| org::merge_preview(r, kind.get(), &f)).unwrap_or_default()))
    };
    let do_merge = move |_| {
        let (f, i, k) = (from.get_untracked(), into.get_untracked(), kind.get_untracked());
        match ctx.act(|tx| org::merge(tx, k, &f, &i)) {
            Ok((own, foreign)) => {
                msg.set(Some((true, tf(ctx.lang.get_untracked(), K::OrgMerged, &[own.to_string(), foreign.to_string()]))));
                from.set(String::new());
                into.set(String::new());
            }
            Err(e) => msg.set(Some((false, ctx.err(&e)))),
        }
        confirming.set(false);
    };
    let select = move |s: RwSignal<String>, label: K, test: &'static str| {
        view! {
            <label class="field"><span class="label">{ctx.t(label)}</span>
                <select data-test=test on:change=move |ev| { s.set(event_target_value(&ev)); confirming.set(false); }>
                    <option value="" selected=move || s.get().is_empty()>"—"</option>
                    {move || choices.get().into_iter().map(|(id, n)| { let sel = id.clone(); view! { <option value=id selected=move || s.get() == sel>{n}</option> } }).collect_view()}
                </select></label>
        }
    };
    view! {
        <div class="card" data-test="merge-card">
            <h2>{ctx.t(K::OrgMergeTitle)}</h2>
            <p class="small muted">{ctx.t(K::OrgMergeHint)}</p>
            <div class="grid3">
                <label class="field"><span class="label">{ctx.t(K::OrgMergeKind)}</span>
                    <select data-test="merge-kind" on:change=move |ev| { kind.set(if event_target_value(&ev) == "official" { OrgKind::Official } else { OrgKind::Unit }); from.set(String::new()); into.set(String::new()); }>
                        <option value="unit">{ctx.t(K::OrgUnits)}</option><option value="official">{ctx.t(K::OrgOfficials)}</option>
                    </select></label>
                {select(from, K::OrgMergeFrom, "merge-from")}
                {select(into, K::OrgMergeInto, "merge-into")}
            </div>
            {move || (!similar.with(|s| s.is_empty())).then(|| view! {
                <p class="small">{ctx.t(K::OrgSimilar)}</p>
                <ul class="small" data-test="similar">{similar.get().into_iter().map(|(a, an, b, bn)| view! {
                    <li>{format!("{an} / {bn} ")}<button type="button" class="link" on:click=move |_| { from.set(a.clone()); into.set(b.clone()); confirming.set(false); }>{ctx.t(K::OrgPick)}</button></li>
                }).collect_view()}</ul>
            })}
            {move || preview().map(|(own, foreign)| view! {
                <p class="small" data-test="merge-preview">{tf(ctx.lang.get(), K::OrgMergePreview, &[own.to_string(), foreign.to_string()])}</p>
                {move || if confirming.get() { view! {
                    <button type="button" class="danger" data-test="merge-confirm" on:click=do_merge>{ctx.t(K::OrgMergeConfirm)}</button>
                    " "<button type="button" class="link" on:click=move |_| confirming.set(false)>{ctx.t(K::Cancel)}</button>
                }.into_any() } else { view! { <button type="button" class="secondary" data-test="merge" on:click=move |_| confirming.set(true)>{ctx.t(K::OrgMerge)}</button> }.into_any() }}
            })}
            {move || msg.get().map(|(ok, m)| view! { <p class:ok=ok class:field-error=!ok role="status" data-test="merge-msg">{m}</p> })}
        </div>
    }
}
