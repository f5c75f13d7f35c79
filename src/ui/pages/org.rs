//! Organisation: responsible units, special groups (with weights), leading officials.

use crate::domain::model::coll;
use crate::domain::validate::parse_number;
use crate::domain::{ops, Group, OfficeLevel, Official, Unit};
use crate::i18n::{t, K};
use crate::ui::ctx;
use leptos::prelude::*;

#[component]
pub fn OrgPage() -> impl IntoView {
    let ctx = ctx();
    let units = Memo::new(move |_| {
        ctx.reg.with(|r| {
            let mut v = r.as_ref().map(|r| ops::all::<Unit>(r, coll::UNIT)).unwrap_or_default();
            v.sort_by(|a, b| a.1.name.cmp(&b.1.name));
            v
        })
    });
    let groups = Memo::new(move |_| {
        ctx.reg.with(|r| {
            let mut v = r.as_ref().map(|r| ops::all::<Group>(r, coll::GROUP)).unwrap_or_default();
            v.sort_by(|a, b| a.1.name.cmp(&b.1.name));
            v
        })
    });
    let officials = Memo::new(move |_| ctx.reg.with(|r| r.as_ref().map(|r| ops::all::<Official>(r, coll::OFFICIAL)).unwrap_or_default()));

    let (u_name, u_level, u_liaison, u_phone, u_err) = (
        RwSignal::new(String::new()),
        RwSignal::new(OfficeLevel::Department),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(None::<String>),
    );
    let add_unit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let u = Unit {
            name: u_name.get_untracked().trim().into(),
            level: u_level.get_untracked(),
            liaison: u_liaison.get_untracked(),
            phone: u_phone.get_untracked(),
        };
        match ctx.act(|tx| ops::save_unit(tx, None, &u).map(|_| ())) {
            Ok(()) => {
                u_name.set(String::new());
                u_liaison.set(String::new());
                u_phone.set(String::new());
                u_err.set(None);
            }
            Err(e) => u_err.set(Some(ctx.err(&e))),
        }
    };
    let (g_name, g_weight, g_leader, g_err) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(None::<String>));
    let add_group = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let res = parse_number(&g_weight.get_untracked(), K::FGroupWeight, "weight").and_then(|w| {
            let g = Group { name: g_name.get_untracked().trim().into(), weight: w.unwrap_or(0.0), leader: g_leader.get_untracked(), liaison: String::new() };
            ctx.act(|tx| ops::save_group(tx, None, &g).map(|_| ()))
        });
        match res {
            Ok(()) => {
                g_name.set(String::new());
                g_weight.set(String::new());
                g_leader.set(String::new());
                g_err.set(None);
            }
            Err(e) => g_err.set(Some(ctx.err(&e))),
        }
    };
    let (o_name, o_post, o_err) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(None::<String>));
    let add_official = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let o = Official { name: o_name.get_untracked().trim().into(), post: o_post.get_untracked() };
        match ctx.act(|tx| ops::save_official(tx, None, &o).map(|_| ())) {
            Ok(()) => {
                o_name.set(String::new());
                o_post.set(String::new());
                o_err.set(None);
            }
            Err(e) => o_err.set(Some(ctx.err(&e))),
        }
    };
    let input = move |s: RwSignal<String>, ph: K| view! { <input type="text" placeholder=ctx.t(ph) aria-label=ctx.t(ph) prop:value=move || s.get() on:input=move |ev| s.set(event_target_value(&ev)) /> };
    let total_weight = move || ctx.reg.with(|r| r.as_ref().map(ops::group_weight_total).unwrap_or(0.0));

    view! {
        <section class="org-page">
            <div class="card">
                <h2>{ctx.t(K::OrgGroups)}<span class="muted small" data-test="group-total">" Σ "{move || format!("{}%", crate::domain::scoring::fmt_points(crate::domain::scoring::round2(total_weight())).trim_end_matches(".00"))}</span></h2>
                // The groups share the assessment's weight: a plan that takes their weights needs 100 %.
                {move || (!groups.with(|g| g.is_empty()) && crate::domain::scoring::round2(total_weight()) != 10_000).then(|| view! { <p class="small warn" data-test="group-total-warn">{ctx.t(K::OrgWeightsNot100)}</p> })}
                <table class="table compact"><thead><tr><th>{ctx.t(K::FGroupName)}</th><th class="num">{ctx.t(K::FGroupWeight)}</th><th>{ctx.t(K::FLeader)}</th></tr></thead>
                <tbody>{move || groups.get().into_iter().map(|(_, g)| view! { <tr><td>{g.name}</td><td class="num">{g.weight}</td><td>{g.leader}</td></tr> }).collect_view()}</tbody></table>
                <form class="inline-form" on:submit=add_group>
                    {input(g_name, K::FGroupName)}{input(g_weight, K::FGroupWeight)}{input(g_leader, K::FLeader)}
                    <button type="submit" class="secondary">{ctx.t(K::Add)}</button>
                </form>
                {move || g_err.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
            <div class="card">
                <h2>{ctx.t(K::OrgUnits)}</h2>
                <table class="table compact"><thead><tr><th>{ctx.t(K::FUnitName)}</th><th>{ctx.t(K::FOfficeLevel)}</th><th>{ctx.t(K::FLiaison)}</th><th>{ctx.t(K::FPhone)}</th></tr></thead>
                <tbody>{move || { let lang = ctx.lang.get(); units.get().into_iter().map(|(_, u)| view! { <tr><td>{u.name}</td><td>{t(lang, u.level.label())}</td><td>{u.liaison}</td><td>{u.phone}</td></tr> }).collect_view() }}</tbody></table>
                <form class="inline-form" on:submit=add_unit>
                    {input(u_name, K::FUnitName)}
                    <select on:change=move |ev| if let Some(l) = OfficeLevel::from_code(&event_target_value(&ev)) { u_level.set(l) }>
                        {OfficeLevel::ALL.iter().map(|l| { let l = *l; view! { <option value=l.code() selected=move || u_level.get() == l>{ctx.t(l.label())}</option> } }).collect_view()}
                    </select>
                    {input(u_liaison, K::FLiaison)}{input(u_phone, K::FPhone)}
                    <button type="submit" class="secondary">{ctx.t(K::Add)}</button>
                </form>
                {move || u_err.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
            <div class="card">
                <h2>{ctx.t(K::OrgOfficials)}</h2>
                <table class="table compact"><thead><tr><th>{ctx.t(K::FOfficialName)}</th><th>{ctx.t(K::FOfficialPost)}</th></tr></thead>
                <tbody>{move || officials.get().into_iter().map(|(_, o)| view! { <tr><td>{o.name}</td><td>{o.post}</td></tr> }).collect_view()}</tbody></table>
                <form class="inline-form" on:submit=add_official>
                    {input(o_name, K::FOfficialName)}{input(o_post, K::FOfficialPost)}
                    <button type="submit" class="secondary">{ctx.t(K::Add)}</button>
                </form>
                {move || o_err.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
        </section>
    }
}
