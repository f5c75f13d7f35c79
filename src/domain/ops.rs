//! What a user action does to the registry: validate, then turn the edit into one change.
//! Components call these; they hold no rules of their own.

use super::lifecycle::check_transition;
use super::model::{coll, from_record, to_writes, Group, ItemKind, Office, Official, ReformItem, Status, Unit};
use super::validate::{validate_group, validate_item, validate_office, validate_official, validate_unit, DomainError};
use crate::i18n::K;
use crate::sync::{Change, RecordId, Registry, DELETED};
use chrono::NaiveDate;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

fn save<T: Serialize + DeserializeOwned + Default>(
    reg: &mut Registry,
    now_ms: i64,
    collection: &str,
    id: Option<&str>,
    value: &T,
    by: &str,
) -> Result<(RecordId, Option<Change>), DomainError> {
    let (id, old) = match id {
        Some(id) => {
            let r = reg.get_live(id).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(id))?;
            if r.coll != collection {
                return Err(DomainError::new(K::ErrNoSuchRecord).arg(id));
            }
            (id.to_string(), Some(from_record::<T>(r)))
        }
        None => (reg.new_record_id(), None),
    };
    let writes = to_writes(old.as_ref(), value);
    if writes.is_empty() {
        return Ok((id, None)); // nothing changed: no change recorded
    }
    let c = reg.make_change(now_ms, collection, &id, writes, by);
    Ok((id, Some(c)))
}

/// First run: records this office itself (its record id is the office id).
pub fn setup_office(reg: &mut Registry, now_ms: i64, office: &Office, by: &str) -> Result<Change, DomainError> {
    validate_office(office)?;
    let me = reg.me.clone();
    let writes = to_writes(None, office);
    Ok(reg.make_change(now_ms, coll::OFFICE, &me, writes, by))
}

pub fn update_office(reg: &mut Registry, now_ms: i64, office: &Office, by: &str) -> Result<Option<Change>, DomainError> {
    validate_office(office)?;
    let me = reg.me.clone();
    Ok(save(reg, now_ms, coll::OFFICE, Some(&me), office, by)?.1)
}

pub fn my_office(reg: &Registry) -> Option<Office> {
    reg.get_live(&reg.me).map(from_record)
}

/// Creates (id = None) or edits an item. Status is not changed here: use `transition`.
pub fn save_item(reg: &mut Registry, now_ms: i64, id: Option<&str>, item: &ReformItem, by: &str) -> Result<(RecordId, Option<Change>), DomainError> {
    let mut item = item.clone();
    match id.and_then(|i| reg.get_live(i)) {
        Some(r) => {
            let cur: ReformItem = from_record(r);
            item.status = cur.status;
            item.status_note = cur.status_note;
        }
        None if id.is_some() => return Err(DomainError::new(K::ErrNoSuchRecord).arg(id.unwrap_or_default())),
        None => {
            item.status = Status::Proposed;
            item.status_note.clear();
        }
    }
    normalise_item(&mut item);
    validate_item(&item)?;
    save(reg, now_ms, coll::ITEM, id, &item, by)
}

/// Trims text and drops empty list entries so that stored data is tidy and diffs are real.
fn normalise_item(i: &mut ReformItem) {
    i.title = i.title.trim().to_string();
    i.lead_unit = i.lead_unit.trim().to_string();
    i.batch = i.batch.trim().to_string();
    i.category = i.category.trim().to_string();
    for list in [&mut i.coop_units, &mut i.tags, &mut i.documents] {
        for s in list.iter_mut() {
            *s = s.trim().to_string();
        }
        list.retain(|s| !s.is_empty());
        let mut seen = std::collections::BTreeSet::new();
        list.retain(|s| seen.insert(s.clone()));
    }
    if i.kind != ItemKind::Mandated {
        i.source_level = None;
    }
    if i.kind != ItemKind::Pilot {
        i.pilot_level = None;
    }
}

/// Moves an item through its life cycle; the change records who and when.
pub fn transition(reg: &mut Registry, now_ms: i64, id: &str, to: Status, reason: &str, by: &str) -> Result<Change, DomainError> {
    let r = reg.get_live(id).filter(|r| r.coll == coll::ITEM).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(id))?;
    let mut item: ReformItem = from_record(r);
    check_transition(item.status, to, reason)?;
    // Reviews gate the way forward: risk review before approval, a passed acceptance before "accepted".
    super::review::check_gate(reg, id, to)?;
    item.status = to;
    item.status_note = reason.trim().to_string();
    validate_item(&item)?;
    let writes = vec![("status".to_string(), serde_json::to_value(to).expect("status")), ("status_note".to_string(), Value::String(item.status_note))];
    Ok(reg.make_change(now_ms, coll::ITEM, id, writes, by))
}

/// Deletes any record (a tombstone change). Deleting a deleted record is refused.
pub fn delete(reg: &mut Registry, now_ms: i64, id: &str, by: &str) -> Result<Change, DomainError> {
    let r = reg.get_live(id).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(id))?;
    let c = r.coll.clone();
    Ok(reg.make_change(now_ms, &c, id, vec![(DELETED.to_string(), Value::Bool(true))], by))
}

/// Resolves a conflict on one field by writing the chosen (or a new) value. The write names
/// every value it replaces, so it closes the conflict in every office that receives it.
/// For a delete that raced an edit: `true` confirms the delete, `false` restores the record.
pub fn resolve(reg: &mut Registry, now_ms: i64, id: &str, field: &str, value: Value, by: &str) -> Result<Change, DomainError> {
    let r = reg.records.get(id).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(id))?;
    if !r.conflicts().iter().any(|f| f == field) {
        return Err(DomainError::new(K::ErrNoConflict));
    }
    let c = r.coll.clone();
    Ok(reg.make_change(now_ms, &c, id, vec![(field.to_string(), value)], by))
}

pub fn save_unit(reg: &mut Registry, now_ms: i64, id: Option<&str>, u: &Unit, by: &str) -> Result<(RecordId, Option<Change>), DomainError> {
    validate_unit(u)?;
    if reg.live(coll::UNIT).any(|r| Some(r.id.as_str()) != id && from_record::<Unit>(r).name.trim() == u.name.trim()) {
        return Err(DomainError::new(K::ErrDuplicateName).arg(&u.name).at("name"));
    }
    save(reg, now_ms, coll::UNIT, id, u, by)
}

pub fn save_group(reg: &mut Registry, now_ms: i64, id: Option<&str>, g: &Group, by: &str) -> Result<(RecordId, Option<Change>), DomainError> {
    validate_group(g)?;
    if reg.live(coll::GROUP).any(|r| Some(r.id.as_str()) != id && from_record::<Group>(r).name.trim() == g.name.trim()) {
        return Err(DomainError::new(K::ErrDuplicateName).arg(&g.name).at("name"));
    }
    save(reg, now_ms, coll::GROUP, id, g, by)
}

pub fn save_official(reg: &mut Registry, now_ms: i64, id: Option<&str>, o: &Official, by: &str) -> Result<(RecordId, Option<Change>), DomainError> {
    validate_official(o)?;
    save(reg, now_ms, coll::OFFICIAL, id, o, by)
}

pub fn all<T: DeserializeOwned + Default + Serialize>(reg: &Registry, collection: &str) -> Vec<(RecordId, T)> {
    reg.live(collection).map(|r| (r.id.clone(), from_record(r))).collect()
}

/// Filters and sort order of the registry list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemQuery {
    pub text: String,
    pub kind: Option<ItemKind>,
    pub status: Option<Status>,
    pub unit: String,
    pub group: String,
    pub batch: String,
    pub year: Option<i32>,
    pub overdue_only: bool,
    pub sort: SortBy,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    #[default]
    Deadline,
    Title,
    Status,
    Updated,
}

/// One row of the list, with what the list shows precomputed.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemRow {
    pub id: RecordId,
    pub item: ReformItem,
    pub overdue: bool,
    pub updated: i64,
    pub conflicted: bool,
}

/// All live items as rows (done once per registry change; filtering then works on rows).
pub fn item_rows(reg: &Registry, today: NaiveDate) -> Vec<ItemRow> {
    reg.live(coll::ITEM)
        .map(|r| {
            let item: ReformItem = from_record(r);
            let updated = r.fields.values().filter_map(|f| f.winner()).map(|e| e.hlc.wall).max().unwrap_or(0);
            ItemRow { id: r.id.clone(), overdue: item.is_overdue(today), item, updated, conflicted: !r.conflicts().is_empty() }
        })
        .collect()
}

pub fn matches(row: &ItemRow, q: &ItemQuery) -> bool {
    let i = &row.item;
    if q.kind.is_some_and(|k| k != i.kind) || q.status.is_some_and(|s| s != i.status) || q.year.is_some_and(|y| y != i.year) {
        return false;
    }
    if q.overdue_only && !row.overdue {
        return false;
    }
    if !q.unit.is_empty() && i.lead_unit != q.unit && !i.coop_units.iter().any(|u| u == &q.unit) {
        return false;
    }
    if !q.group.is_empty() && i.special_group != q.group {
        return false;
    }
    if !q.batch.is_empty() && i.batch != q.batch {
        return false;
    }
    let text = q.text.trim();
    if !text.is_empty() {
        // Every space-separated word must appear somewhere the user would look.
        return text.split_whitespace().all(|w| {
            let w = w.to_lowercase();
            [&i.title, &i.lead_unit, &i.leading_official, &i.goal, &i.batch, &i.category, &i.source_doc]
                .iter()
                .any(|s| s.to_lowercase().contains(&w))
                || i.tags.iter().chain(i.coop_units.iter()).any(|s| s.to_lowercase().contains(&w))
        });
    }
    true
}

/// Filters and sorts; returns indexes into `rows` so the caller keeps one copy of the data.
pub fn query(rows: &[ItemRow], q: &ItemQuery) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..rows.len()).filter(|&n| matches(&rows[n], q)).collect();
    match q.sort {
        SortBy::Deadline => idx.sort_by(|&a, &b| {
            let (x, y) = (&rows[a].item, &rows[b].item);
            // Items without deadline go last.
            (x.deadline.is_none(), x.deadline, &x.title).cmp(&(y.deadline.is_none(), y.deadline, &y.title))
        }),
        SortBy::Title => idx.sort_by(|&a, &b| rows[a].item.title.cmp(&rows[b].item.title)),
        SortBy::Status => idx.sort_by(|&a, &b| (rows[a].item.status, &rows[a].item.title).cmp(&(rows[b].item.status, &rows[b].item.title))),
        SortBy::Updated => idx.sort_by(|&a, &b| rows[b].updated.cmp(&rows[a].updated)),
    }
    idx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn reg() -> Registry {
        let mut r = Registry::new("A");
        setup_office(&mut r, 1, &Office { name: "开江县委改革办".into(), ..Default::default() }, "").unwrap();
        r
    }

    fn item(title: &str) -> ReformItem {
        ReformItem { title: title.into(), year: 2022, lead_unit: "县住建局".into(), ..Default::default() }
    }

    #[test]
    fn create_edit_writes_only_changed_fields() {
        let mut r = reg();
        let (id, c) = save_item(&mut r, 10, None, &item("物业智囊团"), "张三").unwrap();
        assert!(c.unwrap().set.contains_key("title"));
        let mut edited = item("物业智囊团");
        edited.goal = "化解物业纠纷".into();
        let (_, c2) = save_item(&mut r, 20, Some(&id), &edited, "李四").unwrap();
        let c2 = c2.unwrap();
        assert_eq!(c2.set.keys().collect::<Vec<_>>(), vec!["goal"]);
        assert_eq!(c2.by, "李四");
        // Saving without changes records nothing.
        assert!(save_item(&mut r, 30, Some(&id), &edited, "").unwrap().1.is_none());
    }

    #[test]
    fn edit_cannot_smuggle_a_status_change() {
        let mut r = reg();
        let (id, _) = save_item(&mut r, 10, None, &item("x"), "").unwrap();
        let mut e = item("x");
        e.status = Status::Accepted;
        save_item(&mut r, 20, Some(&id), &e, "").unwrap();
        let cur: ReformItem = from_record(r.get_live(&id).unwrap());
        assert_eq!(cur.status, Status::Proposed);
    }

    #[test]
    fn transitions_are_checked_and_recorded() {
        let mut r = reg();
        let (id, _) = save_item(&mut r, 10, None, &item("x"), "").unwrap();
        let e = transition(&mut r, 11, &id, Status::InProgress, "", "").unwrap_err();
        assert_eq!(e.key, K::ErrTransition);
        assert_eq!(transition(&mut r, 12, &id, Status::RiskReviewed, "", "王").unwrap_err().key, K::ErrNoRiskReview);
        let day = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap();
        crate::domain::review::save_risk_review(&mut r, 12, day, &id, &crate::domain::review::low_risk_review("县司法局", day), "").unwrap();
        transition(&mut r, 12, &id, Status::RiskReviewed, "", "王").unwrap();
        // Approval needs a deadline.
        let e = transition(&mut r, 13, &id, Status::Approved, "", "王").unwrap_err();
        assert_eq!(e.message(Lang::Zh), "审定后的事项须有完成时限");
        let mut with_deadline = item("x");
        with_deadline.deadline = NaiveDate::from_ymd_opt(2022, 12, 31);
        save_item(&mut r, 14, Some(&id), &with_deadline, "").unwrap();
        let c = transition(&mut r, 15, &id, Status::Approved, "", "王").unwrap();
        assert_eq!(c.by, "王");
        let cur: ReformItem = from_record(r.get_live(&id).unwrap());
        assert_eq!(cur.status, Status::Approved);
    }

    #[test]
    fn invalid_item_changes_nothing() {
        let mut r = reg();
        let before = r.clone();
        assert!(save_item(&mut r, 10, None, &item(""), "").is_err());
        assert_eq!(r, before);
    }

    #[test]
    fn resolving_a_conflict_closes_it_everywhere() {
        let mut a = Registry::new("A");
        let c1 = setup_office(&mut a, 1, &Office { name: "平原县委改革办".into(), ..Default::default() }, "").unwrap();
        let (id, c2) = save_item(&mut a, 2, None, &item("原名"), "").unwrap();
        let mut b = Registry::new("B");
        b.apply(&c1).unwrap();
        b.apply(&c2.unwrap()).unwrap();
        assert_eq!(resolve(&mut a, 3, &id, "title", Value::String("x".into()), "").unwrap_err().key, K::ErrNoConflict);
        let ea = save_item(&mut a, 10, Some(&id), &item("A的名称"), "").unwrap().1.unwrap();
        let eb = save_item(&mut b, 11, Some(&id), &item("B的名称"), "").unwrap().1.unwrap();
        a.apply(&eb).unwrap();
        b.apply(&ea).unwrap();
        assert_eq!(a.records[&id].conflicts(), vec!["title".to_string()]);
        let fix = resolve(&mut a, 20, &id, "title", Value::String("A的名称".into()), "王").unwrap();
        b.apply(&fix).unwrap();
        assert!(b.records[&id].conflicts().is_empty());
        assert_eq!(b.records[&id].value("title"), Some(&Value::String("A的名称".into())));
        assert_eq!(a.canonical_state(), b.canonical_state());
    }

    #[test]
    fn unit_names_are_unique() {
        let mut r = reg();
        save_unit(&mut r, 1, None, &Unit { name: "县教育局".into(), ..Default::default() }, "").unwrap();
        let e = save_unit(&mut r, 2, None, &Unit { name: " 县教育局".into(), ..Default::default() }, "").unwrap_err();
        assert_eq!(e.key, K::ErrDuplicateName);
    }

    #[test]
    fn query_filters_and_sorts() {
        let mut r = reg();
        let mut a = item("智慧停车场");
        a.deadline = NaiveDate::from_ymd_opt(2022, 6, 30);
        a.batch = "第一批".into();
        let mut b = item("1分钱公交");
        b.lead_unit = "人行开江支行".into();
        b.deadline = NaiveDate::from_ymd_opt(2022, 3, 31);
        let c = item("物业智囊团");
        for i in [&a, &b, &c] {
            save_item(&mut r, 5, None, i, "").unwrap();
        }
        let today = NaiveDate::from_ymd_opt(2022, 5, 1).unwrap();
        let rows = item_rows(&r, today);
        let titles = |q: &ItemQuery| query(&rows, q).iter().map(|&n| rows[n].item.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&ItemQuery::default()), vec!["1分钱公交", "智慧停车场", "物业智囊团"]);
        assert_eq!(titles(&ItemQuery { overdue_only: true, ..Default::default() }), vec!["1分钱公交"]);
        assert_eq!(titles(&ItemQuery { text: "停车".into(), ..Default::default() }), vec!["智慧停车场"]);
        assert_eq!(titles(&ItemQuery { unit: "人行开江支行".into(), ..Default::default() }), vec!["1分钱公交"]);
        assert_eq!(titles(&ItemQuery { batch: "第一批".into(), ..Default::default() }), vec!["智慧停车场"]);
        assert!(titles(&ItemQuery { text: "停车 公交".into(), ..Default::default() }).is_empty());
    }
}
