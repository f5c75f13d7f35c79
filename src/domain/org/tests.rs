use super::*;
use crate::domain::ops::{save_item, save_item_adding_names, setup_office};
use crate::domain::tx::act;
use crate::domain::Office;
use chrono::NaiveDate;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
}

fn office(id: &str) -> Registry {
    let mut r = Registry::new(id);
    act(&mut r, 1, day(), "", |tx| setup_office(tx, &Office { name: format!("{id}改革办"), ..Default::default() })).unwrap();
    r
}

fn item(title: &str, lead: &str) -> ReformItem {
    ReformItem { title: title.into(), year: 2026, lead_unit: lead.into(), ..Default::default() }
}

fn unit(r: &mut Registry, name: &str) -> RecordId {
    act(r, 2, day(), "", |tx| save_unit(tx, None, &Unit { name: name.into(), ..Default::default() })).unwrap().value
}

fn lead_of(r: &Registry, id: &str) -> String {
    from_record::<ReformItem>(r.get_live(id).unwrap()).lead_unit
}

#[test]
fn a_typo_is_refused_until_confirmed_and_nothing_is_recorded_meanwhile() {
    let mut r = office("A");
    unit(&mut r, "县教育局");
    let before = r.clone();
    let e = act(&mut r, 3, day(), "", |tx| save_item(tx, None, &item("课后服务", "县教肓局"))).unwrap_err();
    assert_eq!(e.key, K::ErrOrgUnknown);
    assert!(e.message(crate::i18n::Lang::Zh).contains("县教肓局"));
    assert_eq!(r, before, "a refused save changes nothing");
    // Picked from the list (even with stray spaces and full-width letters) it is taken as is.
    let id = act(&mut r, 4, day(), "", |tx| save_item(tx, None, &item("课后服务", " 县教育局 "))).unwrap().value;
    assert_eq!(lead_of(&r, &id), "县教育局");
    // Confirmed: the new unit is added in the same action.
    let d = act(&mut r, 5, day(), "", |tx| save_item_adding_names(tx, None, &item("校园餐", "县市场监管局"))).unwrap();
    assert_eq!(d.changes.len(), 2);
    assert!(Directory::of(&r).unit("县市场监管局").is_some());
}

#[test]
fn merging_a_duplicate_rewrites_own_items_and_reads_other_offices_through_the_alias() {
    let mut a = office("A");
    let good = unit(&mut a, "县教育局");
    let typo = unit(&mut a, "县教肓局");
    let i1 = act(&mut a, 3, day(), "", |tx| save_item(tx, None, &item("课后服务", "县教肓局"))).unwrap().value;
    let mut with_coop = item("校园餐", "县教育局");
    with_coop.coop_units = vec!["县教肓局".into()];
    let i2 = act(&mut a, 4, day(), "", |tx| save_item(tx, None, &with_coop)).unwrap().value;
    assert!(similar(&a, OrgKind::Unit).iter().any(|(x, _, y, _)| (x, y) == (&good, &typo) || (x, y) == (&typo, &good)));
    // Another office's item that names the typo, received before the merge.
    let mut b = Registry::new("B");
    let mut sent = act(&mut b, 1, day(), "", |tx| setup_office(tx, &Office { name: "B改革办".into(), ..Default::default() })).unwrap().changes;
    sent.extend(act(&mut b, 2, day(), "", |tx| save_item_adding_names(tx, None, &item("教师轮岗", "县教肓局"))).unwrap().changes);
    for c in &sent {
        a.apply(c).unwrap();
    }
    assert_eq!(merge_preview(&a, OrgKind::Unit, &typo), (2, 1));
    let d = act(&mut a, 10, day(), "", |tx| merge(tx, OrgKind::Unit, &typo, &good)).unwrap();
    assert_eq!(d.value, (2, 1));
    assert_eq!(lead_of(&a, &i1), "县教育局");
    let i2v: ReformItem = from_record(a.get_live(&i2).unwrap());
    assert!(i2v.coop_units.is_empty(), "the lead is not also its own cooperating unit");
    // The peer's item keeps its text (it is theirs) and is read as 县教育局.
    let dir = Directory::of(&a);
    assert_eq!(dir.unit_name("县教肓局"), "县教育局");
    assert_eq!(unfiled_names(&a), vec![], "B's unit record came with its file");
    // Typing the old spelling now saves the right name.
    let i3 = act(&mut a, 11, day(), "", |tx| save_item(tx, None, &item("托育", "县教肓局"))).unwrap().value;
    assert_eq!(lead_of(&a, &i3), "县教育局");
    // Merged records cannot be restored or merged again; merging a record into itself is refused.
    let before = a.clone();
    assert_eq!(act(&mut a, 12, day(), "", |tx| set_retired(tx, OrgKind::Unit, &typo, false)).unwrap_err().key, K::ErrOrgMerged);
    assert_eq!(act(&mut a, 12, day(), "", |tx| merge(tx, OrgKind::Unit, &good, &good)).unwrap_err().key, K::ErrMergeSame);
    assert_eq!(a, before);
}

#[test]
fn a_rename_rewrites_own_items_and_keeps_the_old_name_taken() {
    let mut r = office("A");
    let id = unit(&mut r, "县教育局");
    let it = act(&mut r, 3, day(), "", |tx| save_item(tx, None, &item("课后服务", "县教育局"))).unwrap().value;
    let renamed = Unit { name: "县教育和体育局".into(), ..Default::default() };
    act(&mut r, 4, day(), "", |tx| save_unit(tx, Some(&id), &renamed)).unwrap();
    assert_eq!(lead_of(&r, &it), "县教育和体育局");
    let u: Unit = from_record(r.get_live(&id).unwrap());
    assert_eq!(u.aliases, vec!["县教育局".to_string()]);
    // The old name is taken: a second unit cannot be created with it.
    let e = act(&mut r, 5, day(), "", |tx| save_unit(tx, None, &Unit { name: "县教育局".into(), ..Default::default() })).unwrap_err();
    assert_eq!(e.key, K::ErrDuplicateName);
    // Saving the same again records nothing.
    assert!(act(&mut r, 6, day(), "", |tx| save_unit(tx, Some(&id), &renamed)).unwrap().changes.is_empty());
}

#[test]
fn retired_records_stay_for_old_items_but_are_not_chosen_again_and_referenced_ones_cannot_be_deleted() {
    let mut r = office("A");
    let id = unit(&mut r, "县人社局");
    let spare = unit(&mut r, "县档案馆");
    let it = act(&mut r, 3, day(), "", |tx| save_item(tx, None, &item("社保快办", "县人社局"))).unwrap().value;
    let e = act(&mut r, 4, day(), "", |tx| delete(tx, OrgKind::Unit, &id)).unwrap_err();
    assert_eq!(e.key, K::ErrOrgInUse);
    act(&mut r, 5, day(), "", |tx| set_retired(tx, OrgKind::Unit, &id, true)).unwrap();
    assert!(!active_names(&r, OrgKind::Unit).contains(&"县人社局".to_string()));
    // The old item can still be edited.
    let mut edited = item("社保快办（一件事）", "县人社局");
    edited.goal = "一次办结".into();
    act(&mut r, 6, day(), "", |tx| save_item(tx, Some(&it), &edited)).unwrap();
    // A new item cannot name it, even when the user confirms new names.
    for f in [save_item, save_item_adding_names] {
        let e = act(&mut r, 7, day(), "", |tx| f(tx, None, &item("就业驿站", "县人社局"))).unwrap_err();
        assert_eq!(e.key, K::ErrOrgRetired);
    }
    // An unused record is deleted.
    act(&mut r, 8, day(), "", |tx| delete(tx, OrgKind::Unit, &spare)).unwrap();
    assert!(r.get_live(&spare).is_none());
}

#[test]
fn group_weights_count_live_groups_and_officials_in_a_list_resolve_one_by_one() {
    let mut r = office("A");
    let g1 = act(&mut r, 2, day(), "", |tx| save_group(tx, None, &Group { name: "营商环境组".into(), weight: 60.0, ..Default::default() })).unwrap().value;
    act(&mut r, 3, day(), "", |tx| set_retired(tx, OrgKind::Group, &g1, true)).unwrap();
    act(&mut r, 4, day(), "", |tx| save_group(tx, None, &Group { name: "民生保障组".into(), weight: 50.0, ..Default::default() })).unwrap();
    assert_eq!(crate::domain::ops::group_weight_total(&r), 50.0);
    // Restoring the first would make 110 %.
    assert_eq!(act(&mut r, 5, day(), "", |tx| set_retired(tx, OrgKind::Group, &g1, false)).unwrap_err().key, K::ErrGroupWeightOver);
    // A retired group is not chosen for an item.
    let uid = unit(&mut r, "县发改局");
    let mut i = item("项目审批", "县发改局");
    i.special_group = g1.clone();
    assert_eq!(act(&mut r, 6, day(), "", |tx| save_item(tx, None, &i)).unwrap_err().key, K::ErrOrgRetired);
    // Units are put in a group by id; an unknown group is refused.
    let u = Unit { name: "县发改局".into(), group: "nope".into(), ..Default::default() };
    assert_eq!(act(&mut r, 7, day(), "", |tx| save_unit(tx, Some(&uid), &u)).unwrap_err().key, K::ErrNoSuchRecord);
    // Two leaders in one field: each must be known; a typo in one is named.
    act(&mut r, 8, day(), "", |tx| save_official(tx, None, &Official { name: "张三".into(), ..Default::default() })).unwrap();
    let mut two = item("项目审批", "县发改局");
    two.leading_official = "张三、李四".into();
    let e = act(&mut r, 9, day(), "", |tx| save_item(tx, None, &two)).unwrap_err();
    assert_eq!(e.key, K::ErrOrgUnknown);
    assert!(e.message(crate::i18n::Lang::Zh).starts_with("李四"));
}

#[test]
fn filing_names_from_older_registries_creates_each_once() {
    let mut r = office("A");
    // Items saved before names were records (as an older version or a peer's file left them).
    let mut old = item("课后服务", "县教育局");
    old.coop_units = vec!["县财政局".into()];
    old.leading_official = "王五".into();
    let mut other = item("托育", "县教育局");
    other.leading_official = "王五、赵六".into();
    act(&mut r, 2, day(), "", |tx| {
        for i in [&old, &other] {
            let id = tx.new_id();
            tx.write(coll::ITEM, &id, to_writes(None, i))?;
        }
        Ok(())
    })
    .unwrap();
    let unfiled = unfiled_names(&r);
    assert_eq!(unfiled.len(), 4, "{unfiled:?}");
    assert!(unfiled.contains(&(OrgKind::Unit, "县教育局".into(), 2)));
    assert_eq!(act(&mut r, 3, day(), "", file_all).unwrap().value, 4);
    assert!(unfiled_names(&r).is_empty());
    // Nothing left to file: the action records nothing.
    assert!(act(&mut r, 4, day(), "", file_all).unwrap().changes.is_empty());
}

#[test]
fn a_new_plan_starts_from_live_units_with_their_groups() {
    let mut r = office("A");
    let g = act(&mut r, 2, day(), "", |tx| save_group(tx, None, &Group { name: "教育综合改革组".into(), weight: 100.0, ..Default::default() })).unwrap().value;
    act(&mut r, 3, day(), "", |tx| save_unit(tx, None, &Unit { name: "县教育局".into(), group: g.clone(), ..Default::default() })).unwrap();
    let old = unit(&mut r, "县档案馆");
    act(&mut r, 4, day(), "", |tx| set_retired(tx, OrgKind::Unit, &old, true)).unwrap();
    unit(&mut r, "县发改局");
    let lines = plan_subjects(&r);
    assert_eq!(lines, vec!["县发改局".to_string(), "县教育局 | 教育综合改革组".to_string()]);
    let plan = crate::domain::scoring::PlanDraft::template(2026, &lines).to_plan_with(&group_weights(&r)).unwrap();
    let edu = plan.subjects.iter().find(|s| s.name == "县教育局").unwrap();
    assert_eq!((edu.group.as_deref(), edu.group_weight), (Some("教育综合改革组"), 100.0));
}
