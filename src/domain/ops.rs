//! What a user action does to the registry: validate, then turn the edit into one change.
//! Components call these; they hold no rules of their own.

use super::lifecycle::check_status_write;
use super::model::{coll, from_record, live_in, to_writes, Group, ItemKind, Office, ReformItem, Status};
use super::review::{self, AcceptanceResult, ExpertScore, Survey};
use super::tx::Tx;
use super::validate::{validate_item, validate_office, DomainError};
use crate::i18n::K;
use crate::order::LeanSort;
use crate::sync::{RecordId, Registry, DELETED};
use chrono::NaiveDate;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// First run: records this office itself (its record id is the office id).
pub fn setup_office(tx: &mut Tx, office: &Office) -> Result<(), DomainError> {
    validate_office(office)?;
    if let Some(existing) = my_office(tx.reg()) {
        return Err(DomainError::new(K::ErrAlreadySetUp).arg(existing.name).at("name"));
    }
    let me = tx.reg().office().to_string();
    tx.write(coll::OFFICE, &me, to_writes(None, office))?;
    Ok(())
}

pub fn update_office(tx: &mut Tx, office: &Office) -> Result<(), DomainError> {
    validate_office(office)?;
    let me = tx.reg().office().to_string();
    tx.save(coll::OFFICE, Some(&me), office)?;
    Ok(())
}

pub fn my_office(reg: &Registry) -> Option<Office> {
    reg.get_live(reg.office()).map(from_record)
}

pub use super::ownership::office_name;

/// Creates (id = None) or edits an item. Status is not changed here: use `transition`.
pub fn save_item(tx: &mut Tx, id: Option<&str>, item: &ReformItem) -> Result<RecordId, DomainError> {
    let mut item = item.clone();
    let old: Option<ReformItem> = id.map(|id| live_in(tx.reg(), coll::ITEM, id)).transpose()?;
    match &old {
        Some(cur) => {
            item.status = cur.status;
            item.status_note = cur.status_note.clone();
            item.approval = cur.approval.clone();
        }
        None => {
            item.status = Status::Proposed;
            item.status_note.clear();
            item.approval = None;
        }
    }
    normalise_item(&mut item);
    // Names are written as the directory knows them; new ones must be in it. (An edit that keeps
    // the names reads no directory: a save costs the same in a city's registry.)
    let dir = super::org::refs_changed(old.as_ref(), &item).then(|| tx.directory());
    if let Some(dir) = &dir {
        super::org::canonicalise(dir, &mut item);
    }
    validate_item(&item)?;
    if let Some(dir) = &dir {
        super::org::check_item_refs(dir, tx.reg(), old.as_ref(), &item)?;
    }
    tx.save(coll::ITEM, id, &item)
}

/// `save_item` after the user confirmed the unknown names it named: they are added to
/// 组织架构 in the same action.
pub fn save_item_adding_names(tx: &mut Tx, id: Option<&str>, item: &ReformItem) -> Result<RecordId, DomainError> {
    let old: Option<ReformItem> = id.map(|id| live_in(tx.reg(), coll::ITEM, id)).transpose()?;
    let mut probe = item.clone();
    normalise_item(&mut probe);
    if super::org::refs_changed(old.as_ref(), &probe) {
        super::org::canonicalise(&tx.directory(), &mut probe);
        super::org::adopt_names(tx, old.as_ref(), &probe)?;
    }
    save_item(tx, id, item)
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

/// Moves an item through its life cycle; the change records who and when. The life cycle's
/// gate (reviews before approval and acceptance) is checked against the registry as it stands.
pub fn transition(tx: &mut Tx, id: &str, to: Status, reason: &str) -> Result<(), DomainError> {
    transition_with(tx, id, to, reason, vec![])
}

/// A move that writes other fields of the item in the same change (the approving meeting).
fn transition_with(tx: &mut Tx, id: &str, to: Status, reason: &str, also: Vec<(String, Value)>) -> Result<(), DomainError> {
    let mut item: ReformItem = live_in(tx.reg(), coll::ITEM, id)?;
    check_status_write(tx.reg(), id, &[item.status], to, reason)?;
    item.status = to;
    item.status_note = reason.trim().to_string();
    validate_item(&item)?;
    let mut writes = vec![("status".to_string(), serde_json::to_value(to).expect("status")), ("status_note".to_string(), Value::String(item.status_note))];
    writes.extend(also);
    tx.write(coll::ITEM, id, writes)?;
    Ok(())
}

/// A move made on the item page: the life cycle's rule, plus what the move must record
/// (`lifecycle::check_move_record`): the approving meeting is written with the status.
pub fn advance(tx: &mut Tx, id: &str, to: Status, reason: &str, approval: Option<&super::model::Approval>) -> Result<(), DomainError> {
    let item: ReformItem = live_in(tx.reg(), coll::ITEM, id)?;
    super::lifecycle::check_move_record(&item, to, reason, approval, tx.today())?;
    let mut also = vec![];
    if to == Status::Approved {
        let a = approval.map(|a| super::model::Approval { meeting: a.meeting.trim().into(), date: a.date, number: a.number.trim().into() });
        also.push(("approval".to_string(), serde_json::to_value(a).expect("approval")));
    }
    transition_with(tx, id, to, reason, also)
}

/// Records the acceptance review and, when it passes, moves the item to 已验收 — both in the
/// caller's transaction, so a refused move leaves no acceptance behind either.
pub fn accept(tx: &mut Tx, item_id: &str, experts: &[ExpertScore], survey: &Survey, required: &[String]) -> Result<AcceptanceResult, DomainError> {
    let result = review::save_acceptance(tx, item_id, experts, survey, required)?;
    if result.passed {
        transition(tx, item_id, Status::Accepted, "")?;
    }
    Ok(result)
}

/// Deletes any record (a tombstone change). Deleting a deleted record is refused.
pub fn delete(tx: &mut Tx, id: &str) -> Result<(), DomainError> {
    let r = tx.reg().get_live(id).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(id))?;
    let c = r.coll.clone();
    tx.set(&c, id, DELETED, Value::Bool(true))?;
    Ok(())
}

/// A deleted record as the 回收站 lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct Deleted {
    pub id: RecordId,
    pub coll: String,
    pub name: String,
    /// Who deleted it (the operator's name as recorded) and which office.
    pub by: String,
    pub office: String,
    pub at_ms: i64,
    /// Whether this office may restore it (it keeps the record).
    pub mine: bool,
}

/// Every deleted record, newest deletion first. Attached records (an item's reviews, reports)
/// are listed with their parent's name.
pub fn deleted(reg: &Registry) -> Vec<Deleted> {
    let mut v: Vec<Deleted> = reg
        .records
        .flagged()
        .filter(|r| r.is_deleted())
        .filter_map(|r| {
            let e = r.fields.get(DELETED)?.winner()?;
            let parent = r.id.split('/').next().unwrap_or(&r.id);
            let name = super::labels::record_name(r).or_else(|| reg.records.get(parent).and_then(super::labels::record_name)).unwrap_or(&r.id).to_string();
            Some(Deleted {
                id: r.id.clone(),
                coll: r.coll.clone(),
                name,
                by: e.by.clone(),
                office: office_name(reg, &e.dot.office),
                at_ms: e.wall,
                mine: super::ownership::owner(&r.id) == reg.office(),
            })
        })
        .collect();
    v.lean_sort_by(|a, b| b.at_ms.cmp(&a.at_ms).then(a.id.cmp(&b.id)));
    v
}

/// Restores a deleted record: an ordinary change, exchanged like any other, by its office only.
pub fn undelete(tx: &mut Tx, id: &str) -> Result<(), DomainError> {
    let r = tx.reg().records.get(id).filter(|r| r.is_deleted()).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(id))?;
    let c = r.coll.clone();
    tx.set(&c, id, DELETED, Value::Bool(false))?;
    Ok(())
}

/// Resolves a conflict on one field by writing the chosen (or a new) value. The write names
/// every value it replaces, so it closes the conflict in every office that receives it.
/// For a delete that raced an edit: `true` confirms the delete, `false` restores the record.
pub fn resolve(tx: &mut Tx, id: &str, field: &str, value: Value) -> Result<(), DomainError> {
    let r = tx.reg().records.get(id).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(id))?;
    if !r.conflicts().iter().any(|f| f == field) {
        return Err(DomainError::new(K::ErrNoConflict));
    }
    // An item's status is chosen among the rivals, or moved by the life cycle's rule.
    if r.coll == coll::ITEM && field == "status" {
        let from: Vec<Status> = r.fields["status"].entries.iter().filter_map(|e| serde_json::from_value(e.v.clone()).ok()).collect();
        let to: Status = serde_json::from_value(value.clone()).map_err(|_| DomainError::new(K::ErrNoSuchRecord).arg(id))?;
        check_status_write(tx.reg(), id, &from, to, "")?;
    }
    let c = r.coll.clone();
    tx.set(&c, id, field, value)?;
    Ok(())
}

// Units, officials and groups are kept by `org` (names, renames, merges, retiring).
pub use super::org::{save_group, save_official, save_unit};

/// Items with different ids but the same natural identity (title, lead unit, year). Shown to a
/// person; never merged automatically.
pub fn possible_duplicates(reg: &Registry, candidates: &[RecordId]) -> Vec<(RecordId, RecordId)> {
    let key = |i: &ReformItem| (i.title.trim().to_string(), i.lead_unit.trim().to_string(), i.year as i64);
    let items = all_shared::<ReformItem>(reg, coll::ITEM);
    let mut by_key: std::collections::BTreeMap<(String, String, i64), Vec<RecordId>> = Default::default();
    for (id, i) in items.iter() {
        by_key.entry(key(i)).or_default().push(id.clone());
    }
    let mut out = vec![];
    for id in candidates {
        let Some(item) = shared_get(&items, id) else { continue };
        if let Some(ids) = by_key.get(&key(item)) {
            for other in ids {
                if other != id {
                    out.push((id.clone(), other.clone()));
                }
            }
        }
    }
    out
}

pub fn all<T: DeserializeOwned + Default + Serialize + Clone + Send + Sync + 'static>(reg: &Registry, collection: &str) -> Vec<(RecordId, T)> {
    all_shared(reg, collection).as_ref().clone()
}

/// The live records of a collection as typed values, shared: read from their fields once and
/// kept until the collection is next written (see `sync::Records::typed`).
pub fn all_shared<T: DeserializeOwned + Default + Serialize + Send + Sync + 'static>(reg: &Registry, collection: &str) -> std::sync::Arc<Vec<(RecordId, T)>> {
    reg.records.typed(collection, || typed_part(reg, &reg.records.ids_of(collection)))
}

/// The live records among `ids` as typed values: a part of `all_shared`'s list, for making it in
/// steps (`put_all_shared`). Records kept as text are parsed for this call only.
pub fn typed_part<T: DeserializeOwned + Default + Serialize>(reg: &Registry, ids: &[RecordId]) -> Vec<(RecordId, T)> {
    let mut v = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(t) = reg.records.cold_text(id).and_then(super::model::from_compact) {
            v.push((id.clone(), t));
            continue;
        }
        reg.records.visit(id, |r| {
            if !r.is_deleted() {
                v.push((r.id.clone(), from_record(r)));
            }
        });
    }
    v
}

/// Sets `all_shared`'s list for `collection`, made from `typed_part` over all its ids in order.
pub fn put_all_shared<T: DeserializeOwned + Default + Serialize + Send + Sync + 'static>(reg: &Registry, collection: &str, made: Vec<(RecordId, T)>) {
    reg.records.put_typed(collection, made)
}

/// A live item's title, read from the shared typed items (ordered by id): screens that name
/// hundreds of items no longer read each one's fields anew.
pub fn item_title(reg: &Registry, id: &str) -> Option<String> {
    shared_get(&all_shared::<ReformItem>(reg, coll::ITEM), id).map(|i| i.title.clone())
}

/// One value of an `all_shared` list (which is in id order), by id.
pub fn shared_get<'a, T>(list: &'a [(RecordId, T)], id: &str) -> Option<&'a T> {
    list.binary_search_by(|(k, _)| k.as_str().cmp(id)).ok().map(|n| &list[n].1)
}

/// The special groups' weights added up (percent): what the assessment shares out among them.
pub fn group_weight_total(reg: &Registry) -> f64 {
    all::<Group>(reg, coll::GROUP).iter().filter(|(_, g)| !g.retired).map(|(_, g)| g.weight).sum()
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
    let items = all_shared::<ReformItem>(reg, coll::ITEM);
    items
        .iter()
        .filter_map(|(id, item)| reg.records.last_wall(id).map(|updated| (id, item.clone(), updated)))
        .map(|(id, item, updated)| {
            // Only a flagged record can be in conflict (the others may be kept unparsed).
            let conflicted = reg.records.is_flagged(id) && reg.records.get(id).is_some_and(|r| !r.conflicts().is_empty());
            ItemRow { id: id.clone(), overdue: super::figures::is_overdue(&item, today), item, updated, conflicted }
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
            [&i.title, &i.code, &i.lead_unit, &i.leading_official, &i.goal, &i.batch, &i.category, &i.source_doc].iter().any(|s| s.to_lowercase().contains(&w))
                || i.tags.iter().chain(i.coop_units.iter()).any(|s| s.to_lowercase().contains(&w))
        });
    }
    true
}

/// Filters and sorts; returns indexes into `rows` so the caller keeps one copy of the data.
pub fn query(rows: &[ItemRow], q: &ItemQuery) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..rows.len()).filter(|&n| matches(&rows[n], q)).collect();
    match q.sort {
        SortBy::Deadline => idx.lean_sort_by(|&a, &b| {
            let (x, y) = (&rows[a].item, &rows[b].item);
            // Items without deadline go last.
            (x.deadline.is_none(), x.deadline, &x.title).cmp(&(y.deadline.is_none(), y.deadline, &y.title))
        }),
        SortBy::Title => idx.lean_sort_by(|&a, &b| rows[a].item.title.cmp(&rows[b].item.title)),
        SortBy::Status => idx.lean_sort_by(|&a, &b| (rows[a].item.status, &rows[a].item.title).cmp(&(rows[b].item.status, &rows[b].item.title))),
        SortBy::Updated => idx.lean_sort_by(|&a, &b| rows[b].updated.cmp(&rows[a].updated)),
    }
    idx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tx::{self, Done};
    use crate::domain::Unit;
    use crate::i18n::Lang;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 3, 1).unwrap()
    }

    fn act<T>(r: &mut Registry, ms: i64, by: &str, f: impl FnOnce(&mut Tx) -> Result<T, DomainError>) -> Result<Done<T>, DomainError> {
        tx::act(r, ms, day(), by, f)
    }

    fn reg() -> Registry {
        let mut r = Registry::new("A");
        act(&mut r, 1, "", |tx| setup_office(tx, &Office { name: "开江县委改革办".into(), ..Default::default() })).unwrap();
        r
    }

    fn item(title: &str) -> ReformItem {
        ReformItem { title: title.into(), year: 2022, lead_unit: "县住建局".into(), ..Default::default() }
    }

    /// The typed items made in parts (start-up, with pauses between) are the list `all_shared`
    /// makes at once, read from records kept as text, and are then served without being made.
    #[test]
    fn typed_items_made_in_parts_are_those_made_at_once() {
        let mut r = reg();
        let mut ids = vec![];
        for n in 0..7 {
            ids.push(act(&mut r, 10 + n, "", |tx| save_item_adding_names(tx, None, &item(&format!("事项{n}")))).unwrap().value);
        }
        act(&mut r, 30, "", |tx| delete(tx, &ids[3])).unwrap();
        let at_once = all_shared::<ReformItem>(&r, coll::ITEM);
        // As start-up holds them: items kept as text.
        let mut stored = crate::sync::Records::default();
        for x in r.records.values() {
            stored.push_stored(crate::sync::compact::to_text(x).unwrap(), crate::storage::KEPT_AS_TEXT).unwrap();
        }
        let held = crate::storage::assemble(crate::storage::Meta::of(&r), stored);
        let all = held.records.ids_of(coll::ITEM);
        assert_eq!(all.len(), 7);
        let made: Vec<(RecordId, ReformItem)> = all.chunks(3).flat_map(|part| typed_part::<ReformItem>(&held, part)).collect();
        assert_eq!(made, *at_once, "six live items, the deleted one left out, in id order");
        put_all_shared(&held, coll::ITEM, made);
        let served = all_shared::<ReformItem>(&held, coll::ITEM);
        assert_eq!(*served, *at_once);
        assert!(held.records.unparsed() >= 6, "made from the text, not kept parsed");
        assert_eq!(item_rows(&held, day()).len(), 6);
        assert_eq!(item_title(&held, &ids[5]).as_deref(), Some("事项5"));
    }

    #[test]
    fn create_edit_writes_only_changed_fields() {
        let mut r = reg();
        act(&mut r, 5, "张三", |tx| save_unit(tx, None, &Unit { name: "县住建局".into(), ..Default::default() })).unwrap();
        let d = act(&mut r, 10, "张三", |tx| save_item(tx, None, &item("物业智囊团"))).unwrap();
        let id = d.value;
        assert_eq!(d.changes.len(), 1);
        assert!(d.changes[0].set.contains_key("title"));
        let mut edited = item("物业智囊团");
        edited.goal = "化解物业纠纷".into();
        let c2 = act(&mut r, 20, "李四", |tx| save_item_adding_names(tx, Some(&id), &edited)).unwrap().changes;
        assert_eq!(c2.len(), 1);
        assert_eq!(c2[0].set.keys().collect::<Vec<_>>(), vec!["goal"]);
        assert_eq!(c2[0].by, "李四");
        // Saving without changes records nothing.
        let before = r.clone();
        assert!(act(&mut r, 30, "", |tx| save_item_adding_names(tx, Some(&id), &edited)).unwrap().changes.is_empty());
        assert_eq!(r, before);
    }

    #[test]
    fn edit_cannot_smuggle_a_status_change() {
        let mut r = reg();
        let id = act(&mut r, 10, "", |tx| save_item_adding_names(tx, None, &item("x"))).unwrap().value;
        let mut e = item("x");
        e.status = Status::Accepted;
        act(&mut r, 20, "", |tx| save_item_adding_names(tx, Some(&id), &e)).unwrap();
        let cur: ReformItem = from_record(r.get_live(&id).unwrap());
        assert_eq!(cur.status, Status::Proposed);
    }

    #[test]
    fn transitions_are_checked_and_recorded() {
        let mut r = reg();
        let id = act(&mut r, 10, "", |tx| save_item_adding_names(tx, None, &item("x"))).unwrap().value;
        let e = act(&mut r, 11, "", |tx| transition(tx, &id, Status::InProgress, "")).unwrap_err();
        assert_eq!(e.key, K::ErrTransition);
        assert_eq!(act(&mut r, 12, "王", |tx| transition(tx, &id, Status::RiskReviewed, "")).unwrap_err().key, K::ErrNoRiskReview);
        act(&mut r, 12, "", |tx| review::save_risk_review(tx, &id, &review::low_risk_review("县司法局", day()))).unwrap();
        act(&mut r, 12, "王", |tx| transition(tx, &id, Status::RiskReviewed, "")).unwrap();
        // Approval needs a deadline.
        let e = act(&mut r, 13, "王", |tx| transition(tx, &id, Status::Approved, "")).unwrap_err();
        assert_eq!(e.message(Lang::Zh), "审定后的事项须有完成时限");
        let mut with_deadline = item("x");
        with_deadline.deadline = NaiveDate::from_ymd_opt(2022, 12, 31);
        act(&mut r, 14, "", |tx| save_item_adding_names(tx, Some(&id), &with_deadline)).unwrap();
        let c = act(&mut r, 15, "王", |tx| transition(tx, &id, Status::Approved, "")).unwrap().changes;
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].by, "王");
        let cur: ReformItem = from_record(r.get_live(&id).unwrap());
        assert_eq!(cur.status, Status::Approved);
    }

    #[test]
    fn invalid_item_changes_nothing() {
        let mut r = reg();
        let before = r.clone();
        assert!(act(&mut r, 10, "", |tx| save_item_adding_names(tx, None, &item(""))).is_err());
        assert_eq!(r, before);
    }

    #[test]
    fn resolving_a_conflict_closes_it_everywhere() {
        let mut a = Registry::new("A");
        let c1 = act(&mut a, 1, "", |tx| setup_office(tx, &Office { name: "平原县委改革办".into(), ..Default::default() })).unwrap().changes;
        let d2 = act(&mut a, 2, "", |tx| save_item_adding_names(tx, None, &item("原名"))).unwrap();
        let id = d2.value;
        let mut b = Registry::new("B");
        for c in c1.iter().chain(&d2.changes) {
            b.apply(c).unwrap();
        }
        assert_eq!(act(&mut a, 3, "", |tx| resolve(tx, &id, "title", Value::String("x".into()))).unwrap_err().key, K::ErrNoConflict);
        let ea = act(&mut a, 10, "", |tx| save_item_adding_names(tx, Some(&id), &item("A的名称"))).unwrap().changes;
        // B may not edit A's item; a rival value can still arrive from an older version's file.
        assert_eq!(act(&mut b, 11, "", |tx| save_item_adding_names(tx, Some(&id), &item("B的名称"))).unwrap_err().key, K::ErrNotOwner);
        let eb = vec![b.make_change(11, "item", &id, vec![("title".into(), Value::String("B的名称".into()))], "")];
        assert!(!ea.is_empty());
        for c in &eb {
            a.apply(c).unwrap();
        }
        for c in &ea {
            b.apply(c).unwrap();
        }
        assert_eq!(a.records[&id].conflicts(), vec!["title".to_string()]);
        let fix = act(&mut a, 20, "王", |tx| resolve(tx, &id, "title", Value::String("A的名称".into()))).unwrap().changes;
        assert!(!fix.is_empty());
        for c in &fix {
            b.apply(c).unwrap();
        }
        assert!(b.records[&id].conflicts().is_empty());
        assert_eq!(b.records[&id].value("title"), Some(&Value::String("A的名称".into())));
        assert_eq!(a.canonical_state(), b.canonical_state());
    }

    #[test]
    fn an_office_is_set_up_once() {
        let mut r = reg();
        let before = r.clone();
        let e = act(&mut r, 5, "", |tx| setup_office(tx, &Office { name: "另一个改革办".into(), ..Default::default() })).unwrap_err();
        assert_eq!(e.message(crate::i18n::Lang::Zh), "本机已设置为“开江县委改革办”，不能再设置一个机构。");
        assert_eq!(r, before);
    }

    #[test]
    fn unit_names_are_unique() {
        let mut r = reg();
        act(&mut r, 1, "", |tx| save_unit(tx, None, &Unit { name: "县教育局".into(), ..Default::default() })).unwrap();
        let e = act(&mut r, 2, "", |tx| save_unit(tx, None, &Unit { name: " 县教育局".into(), ..Default::default() })).unwrap_err();
        assert_eq!(e.key, K::ErrDuplicateName);
    }

    fn ops_last_group(r: &Registry, name: &str) -> String {
        all::<Group>(r, coll::GROUP).into_iter().find(|(_, g)| g.name == name).map(|(id, _)| id).unwrap()
    }

    #[test]
    fn group_weights_add_up_over_live_groups() {
        let mut r = reg();
        assert_eq!(group_weight_total(&r), 0.0);
        let g = |name: &str, weight: f64| Group { name: name.into(), weight, ..Default::default() };
        act(&mut r, 2, "", |tx| save_group(tx, None, &g("营商环境组", 30.0))).unwrap();
        let id = act(&mut r, 3, "", |tx| save_group(tx, None, &g("民生保障组", 25.5))).unwrap().value;
        act(&mut r, 4, "", |tx| save_group(tx, None, &g("基层治理组", 0.0))).unwrap();
        assert_eq!(group_weight_total(&r), 55.5);
        // Together the groups never carry more than 100 %: refused, nothing changes.
        let before = r.clone();
        let e = act(&mut r, 5, "", |tx| save_group(tx, None, &g("生态文明组", 45.0))).unwrap_err();
        assert_eq!(e.message(crate::i18n::Lang::Zh), "专项小组权重合计将为100.50%，不能超过100%");
        assert_eq!(r, before);
        act(&mut r, 5, "", |tx| save_group(tx, None, &g("生态文明组", 44.5))).unwrap();
        assert_eq!(group_weight_total(&r), 100.0);
        // Editing a group counts its new weight instead of its old one.
        act(&mut r, 5, "", |tx| save_group(tx, Some(&id), &g("民生保障组", 25.5))).unwrap();
        let last = ops_last_group(&r, "生态文明组");
        act(&mut r, 5, "", |tx| delete(tx, &last)).unwrap();
        // A deleted group no longer counts.
        act(&mut r, 5, "", |tx| delete(tx, &id)).unwrap();
        assert_eq!(group_weight_total(&r), 30.0);
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
        let mut ids = vec![];
        for i in [&a, &b, &c] {
            ids.push(act(&mut r, 5, "", |tx| save_item_adding_names(tx, None, i)).unwrap().value);
        }
        // Only items underway can be overdue (figures::is_overdue): a proposal past its date is not.
        act(&mut r, 6, "", |tx| tx.set(coll::ITEM, &ids[1], "status", Value::String(Status::InProgress.code()))).unwrap();
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
