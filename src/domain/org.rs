//! 组织架构: responsible units, leading officials and special groups as records the office keeps.
//!
//! Items name their units and officials (names are what offices print, search and exchange);
//! this module is the one place that decides what a name refers to. A name resolves to a record
//! by its current name or an earlier one (a rename or a merge keeps the old name as an alias), so
//! "县教肓局" typed after it was merged into "县教育局" is saved as 县教育局, and a peer's item
//! that still says 县教肓局 is counted under 县教育局. New references must name a record that is
//! in the directory and not retired; unknown names are created only when the user confirms.

use super::model::{coll, from_record, live_in, to_writes, Group, Official, ReformItem, Unit};
use super::tx::Tx;
use super::validate::DomainError;
use crate::i18n::K;
use crate::order::LeanSort;
use crate::sync::{RecordId, Registry};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A name as compared: no spaces, full-width letters and digits as half-width (县 发改局 = 县发改局).
pub fn norm(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\u{3000}' | ' ' | '\t' | '\r' | '\n' | '\u{a0}' => None,
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0),
            _ => Some(c),
        })
        .collect()
}

/// Names joined by 、，,；;/ or line breaks (how offices list several units or leaders).
pub fn split_names(s: &str) -> Vec<String> {
    s.split(['、', '，', ',', '；', ';', '/', '\n', '\r', '\u{3000}'])
        .map(|x| x.trim().trim_matches(|c: char| c == ' ').to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OrgKind {
    Unit,
    Official,
    Group,
}

impl OrgKind {
    pub fn coll(self) -> &'static str {
        match self {
            OrgKind::Unit => coll::UNIT,
            OrgKind::Official => coll::OFFICIAL,
            OrgKind::Group => coll::GROUP,
        }
    }
    pub fn label(self) -> K {
        match self {
            OrgKind::Unit => K::FLeadUnitShort,
            OrgKind::Official => K::FLeadingOfficial,
            OrgKind::Group => K::FSpecialGroup,
        }
    }
    pub fn of_coll(c: &str) -> Option<OrgKind> {
        [OrgKind::Unit, OrgKind::Official, OrgKind::Group].into_iter().find(|k| k.coll() == c)
    }
}

/// What a name resolves to.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: RecordId,
    /// The record's current name.
    pub name: String,
    pub retired: bool,
}

/// Every unit and official name (current and earlier) → its record.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    units: BTreeMap<String, Entry>,
    officials: BTreeMap<String, Entry>,
}

/// (record id, name, retired, earlier names, merged away, kept by another office)
type Named = (RecordId, String, bool, Vec<String>, bool, bool);

fn index(out: &mut BTreeMap<String, Entry>, records: Vec<Named>) {
    // This office's own directory decides first (its names, then its earlier names), then what
    // other offices' files brought; within each, a record not merged away wins its own name.
    // A merged record's name is its target's earlier name, so it answers last.
    for foreign in [false, true] {
        for (id, name, retired, _, _, _) in records.iter().filter(|r| r.5 == foreign && !r.4) {
            out.entry(norm(name)).or_insert(Entry { id: id.clone(), name: name.clone(), retired: *retired });
        }
        for (id, name, retired, aliases, _, _) in records.iter().filter(|r| r.5 == foreign && !r.4) {
            for a in aliases {
                out.entry(norm(a)).or_insert(Entry { id: id.clone(), name: name.clone(), retired: *retired });
            }
        }
        for (id, name, retired, _, _, _) in records.iter().filter(|r| r.5 == foreign && r.4) {
            out.entry(norm(name)).or_insert(Entry { id: id.clone(), name: name.clone(), retired: *retired });
        }
    }
}

impl Directory {
    /// Reads the live units and officials (each collection through its index, not the registry).
    pub fn of(reg: &Registry) -> Self {
        let foreign = |id: &str| super::ownership::owner(id) != reg.office();
        let units = reg
            .live(coll::UNIT)
            .map(|r| {
                let u: Unit = from_record(r);
                (r.id.clone(), u.name, u.retired, u.aliases, !u.merged_into.is_empty(), foreign(&r.id))
            })
            .collect();
        let officials = reg
            .live(coll::OFFICIAL)
            .map(|r| {
                let o: Official = from_record(r);
                (r.id.clone(), o.name, o.retired, o.aliases, !o.merged_into.is_empty(), foreign(&r.id))
            })
            .collect();
        let mut d = Directory::default();
        index(&mut d.units, units);
        index(&mut d.officials, officials);
        d
    }

    pub fn unit(&self, name: &str) -> Option<&Entry> {
        self.units.get(&norm(name))
    }

    pub fn official(&self, name: &str) -> Option<&Entry> {
        self.officials.get(&norm(name))
    }

    fn get(&self, kind: OrgKind, name: &str) -> Option<&Entry> {
        match kind {
            OrgKind::Official => self.official(name),
            _ => self.unit(name),
        }
    }

    /// The unit's current name, or the name as written when the directory does not know it.
    pub fn unit_name(&self, name: &str) -> String {
        self.unit(name).map(|e| e.name.clone()).unwrap_or_else(|| name.trim().to_string())
    }

    /// Officials listed in one field (张三、李四), each by its current name.
    pub fn officials_text(&self, text: &str) -> String {
        split_names(text).iter().map(|n| self.official(n).map(|e| e.name.clone()).unwrap_or_else(|| n.clone())).collect::<Vec<_>>().join("、")
    }
}

/// Units and officials an item names, as (kind, name) in the order written.
fn named(i: &ReformItem) -> Vec<(OrgKind, String)> {
    let mut v = vec![];
    if !i.lead_unit.trim().is_empty() {
        v.push((OrgKind::Unit, i.lead_unit.trim().to_string()));
    }
    v.extend(i.coop_units.iter().map(|u| (OrgKind::Unit, u.trim().to_string())));
    v.extend(split_names(&i.leading_official).into_iter().map(|o| (OrgKind::Official, o)));
    v
}

/// Writes every name in the item as its record's current name (an alias becomes the name).
pub fn canonicalise(dir: &Directory, i: &mut ReformItem) {
    if !i.lead_unit.trim().is_empty() {
        i.lead_unit = dir.unit_name(&i.lead_unit);
    }
    for u in i.coop_units.iter_mut() {
        *u = dir.unit_name(u);
    }
    let lead = i.lead_unit.clone();
    i.coop_units.retain(|u| *u != lead);
    let mut seen = BTreeSet::new();
    i.coop_units.retain(|u| seen.insert(u.clone()));
    if !i.leading_official.trim().is_empty() {
        i.leading_official = dir.officials_text(&i.leading_official);
    }
}

/// A reference the item adds that the directory cannot take: unknown, or retired.
#[derive(Clone, Debug, PartialEq)]
pub struct BadRef {
    pub kind: OrgKind,
    pub name: String,
    pub retired: bool,
}

/// The names `new` adds (compared with `old`, the item as stored) that are not in the directory
/// or are retired. Names the item already had are left alone, so an item written before the
/// directory existed can still be edited.
pub fn bad_refs(dir: &Directory, old: Option<&ReformItem>, new: &ReformItem) -> Vec<BadRef> {
    let had: BTreeSet<(OrgKind, String)> = old.map(named).unwrap_or_default().into_iter().map(|(k, n)| (k, norm(&n))).collect();
    let mut out: Vec<BadRef> = vec![];
    for (kind, name) in named(new) {
        if had.contains(&(kind, norm(&name))) || out.iter().any(|b| b.kind == kind && norm(&b.name) == norm(&name)) {
            continue;
        }
        match dir.get(kind, &name) {
            None => out.push(BadRef { kind, name, retired: false }),
            Some(e) if e.retired => out.push(BadRef { kind, name: e.name.clone(), retired: true }),
            Some(_) => {}
        }
    }
    out
}

/// Whether an edit touches the names or the group (an edit of anything else needs no directory).
pub fn refs_changed(old: Option<&ReformItem>, new: &ReformItem) -> bool {
    let key = |i: &ReformItem| (named(i).into_iter().map(|(k, n)| (k, norm(&n))).collect::<Vec<_>>(), i.special_group.clone());
    old.is_none_or(|o| key(o) != key(new))
}

/// The check every item save makes (form, spreadsheet, demo), against the action's directory:
/// names resolve, nothing new points at a retired record, and the special group is a live group.
pub fn check_item_refs(dir: &Directory, reg: &Registry, old: Option<&ReformItem>, new: &ReformItem) -> Result<(), DomainError> {
    let bad = bad_refs(dir, old, new);
    if let Some(b) = bad.iter().find(|b| b.retired) {
        return Err(DomainError::new(K::ErrOrgRetired).arg(&b.name).at(if b.kind == OrgKind::Unit { "lead_unit" } else { "leading_official" }));
    }
    if !bad.is_empty() {
        let names = bad.iter().map(|b| b.name.clone()).collect::<Vec<_>>().join("、");
        let field = if bad.iter().any(|b| b.kind == OrgKind::Unit) { "lead_unit" } else { "leading_official" };
        return Err(DomainError::new(K::ErrOrgUnknown).arg(names).at(field));
    }
    if !new.special_group.is_empty() && old.is_none_or(|o| o.special_group != new.special_group) {
        match reg.get_live(&new.special_group).filter(|r| r.coll == coll::GROUP).map(from_record::<Group>) {
            None => return Err(DomainError::new(K::ErrNoSuchRecord).arg(&new.special_group).at("special_group")),
            Some(g) if g.retired => return Err(DomainError::new(K::ErrOrgRetired).arg(g.name).at("special_group")),
            Some(_) => {}
        }
    }
    Ok(())
}

/// Creates a record for each unknown name the item adds (the user confirmed them). Returns how
/// many were created. Retired names are not revived here: that is a decision on 组织架构.
pub fn adopt_names(tx: &mut Tx, old: Option<&ReformItem>, new: &ReformItem) -> Result<usize, DomainError> {
    let bad = bad_refs(&tx.directory(), old, new);
    let mut n = 0;
    for b in bad.iter().filter(|b| !b.retired) {
        match b.kind {
            OrgKind::Unit => save_unit(tx, None, &Unit { name: b.name.clone(), ..Default::default() })?,
            _ => save_official(tx, None, &Official { name: b.name.clone(), ..Default::default() })?,
        };
        n += 1;
    }
    Ok(n)
}

/// Names live items use that no record answers to: (kind, name, items naming it).
pub fn unfiled_names(reg: &Registry) -> Vec<(OrgKind, String, usize)> {
    let dir = Directory::of(reg);
    let mut count: BTreeMap<(OrgKind, String), usize> = BTreeMap::new();
    for (_, i) in super::ops::all_shared::<ReformItem>(reg, coll::ITEM).iter() {
        for (k, n) in named(i) {
            if dir.get(k, &n).is_none() {
                *count.entry((k, n)).or_default() += 1;
            }
        }
    }
    count.into_iter().map(|((k, n), c)| (k, n, c)).collect()
}

/// 建档: a record for every name items use that the directory does not have (the migration of
/// registries kept before names were records). One action; returns how many were created.
pub fn file_all(tx: &mut Tx) -> Result<usize, DomainError> {
    let names = unfiled_names(tx.reg());
    for (k, n, _) in &names {
        match k {
            OrgKind::Unit => save_unit(tx, None, &Unit { name: n.clone(), ..Default::default() })?,
            _ => save_official(tx, None, &Official { name: n.clone(), ..Default::default() })?,
        };
    }
    Ok(names.len())
}

/// Items that name a unit or official (any of `names`): (own item ids, other offices' item ids).
pub fn references(reg: &Registry, kind: OrgKind, names: &[String]) -> (Vec<RecordId>, Vec<RecordId>) {
    let keys: BTreeSet<String> = names.iter().map(|n| norm(n)).collect();
    let (mut own, mut foreign) = (vec![], vec![]);
    for (id, i) in super::ops::all_shared::<ReformItem>(reg, coll::ITEM).iter() {
        let hit = match kind {
            OrgKind::Group => keys.contains(&norm(&i.special_group)),
            _ => named(i).iter().any(|(k, n)| *k == kind && keys.contains(&norm(n))),
        };
        if hit {
            if super::ownership::owner(id) == reg.office() {
                own.push(id.clone());
            } else {
                foreign.push(id.clone());
            }
        }
    }
    (own, foreign)
}

/// Rewrites this office's items that name any of `from` to name `to` instead, as ordinary
/// changes. Other offices' items are theirs: they keep the old name, which resolves by alias.
/// Returns (items rewritten, other offices' items left).
fn rewrite(tx: &mut Tx, kind: OrgKind, from: &[String], to: &str) -> Result<(usize, usize), DomainError> {
    let keys: BTreeSet<String> = from.iter().map(|n| norm(n)).collect();
    let (own, foreign) = references(tx.reg(), kind, from);
    for id in &own {
        let old: ReformItem = live_in(tx.reg(), coll::ITEM, id)?;
        let mut new = old.clone();
        let swap = |n: &str| if keys.contains(&norm(n)) { to.to_string() } else { n.to_string() };
        match kind {
            OrgKind::Unit => {
                new.lead_unit = swap(&new.lead_unit);
                new.coop_units = new.coop_units.iter().map(|u| swap(u)).collect();
                let lead = new.lead_unit.clone();
                new.coop_units.retain(|u| *u != lead);
                let mut seen = BTreeSet::new();
                new.coop_units.retain(|u| seen.insert(u.clone()));
            }
            _ => {
                let mut seen = BTreeSet::new();
                let list: Vec<String> = split_names(&new.leading_official).iter().map(|n| swap(n)).filter(|n| seen.insert(n.clone())).collect();
                new.leading_official = list.join("、");
            }
        }
        tx.write(coll::ITEM, id, to_writes(Some(&old), &new))?;
    }
    // A group's leader is an official too.
    if kind == OrgKind::Official {
        let groups: Vec<(RecordId, Group)> = super::ops::all(tx.reg(), coll::GROUP);
        for (id, g) in groups {
            if keys.contains(&norm(&g.leader)) && super::ownership::owner(&id) == tx.reg().office() {
                tx.set(coll::GROUP, &id, "leader", Value::String(to.to_string()))?;
            }
        }
    }
    Ok((own.len(), foreign.len()))
}

/// The name must not be another of this office's records' name or earlier name (other
/// offices keep their own directories).
fn check_name_free(tx: &mut Tx, kind: OrgKind, id: Option<&str>, name: &str) -> Result<(), DomainError> {
    let dir = if kind == OrgKind::Group { None } else { Some(tx.directory()) };
    let reg = tx.reg();
    let mine = |rid: &str| super::ownership::owner(rid) == reg.office() && Some(rid) != id;
    let taken = match dir {
        None => reg.live(coll::GROUP).any(|r| mine(&r.id) && r.value("name").and_then(Value::as_str).is_some_and(|n| norm(n) == norm(name))),
        Some(d) => d.get(kind, name).is_some_and(|e| mine(&e.id)),
    };
    if taken {
        return Err(DomainError::new(K::ErrDuplicateName).arg(name.trim()).at("name"));
    }
    Ok(())
}

/// Creates or edits a unit. A rename rewrites this office's items to the new name and keeps the
/// old one as an alias (so other offices' items that still use it are read as this unit).
pub fn save_unit(tx: &mut Tx, id: Option<&str>, u: &Unit) -> Result<RecordId, DomainError> {
    let mut u = u.clone();
    u.name = u.name.trim().to_string();
    super::validate::validate_unit(&u)?;
    check_name_free(tx, OrgKind::Unit, id, &u.name)?;
    if !u.group.is_empty() && tx.reg().get_live(&u.group).is_none_or(|r| r.coll != coll::GROUP) {
        return Err(DomainError::new(K::ErrNoSuchRecord).arg(&u.group).at("group"));
    }
    if let Some(id) = id {
        // What the form does not show is kept (retiring and merging have their own actions).
        let old: Unit = live_in(tx.reg(), coll::UNIT, id)?;
        u.aliases = renamed(tx, OrgKind::Unit, &old.name, old.aliases, &u.name)?;
        (u.merged_into, u.retired) = (old.merged_into, old.retired);
    }
    tx.save(coll::UNIT, id, &u)
}

/// The earlier names after an edit: on a rename, this office's items are rewritten to the new
/// name and the old one joins the earlier names.
fn renamed(tx: &mut Tx, kind: OrgKind, old: &str, mut aliases: Vec<String>, new: &str) -> Result<Vec<String>, DomainError> {
    if norm(old) != norm(new) {
        aliases.push(old.to_string());
        aliases.retain(|a| norm(a) != norm(new));
        rewrite(tx, kind, &[old.to_string()], new)?;
    }
    Ok(aliases)
}

pub fn save_official(tx: &mut Tx, id: Option<&str>, o: &Official) -> Result<RecordId, DomainError> {
    let mut o = o.clone();
    o.name = o.name.trim().to_string();
    super::validate::validate_official(&o)?;
    check_name_free(tx, OrgKind::Official, id, &o.name)?;
    if let Some(id) = id {
        let old: Official = live_in(tx.reg(), coll::OFFICIAL, id)?;
        o.aliases = renamed(tx, OrgKind::Official, &old.name, old.aliases, &o.name)?;
        (o.merged_into, o.retired) = (old.merged_into, old.retired);
    }
    tx.save(coll::OFFICIAL, id, &o)
}

/// Groups are named by id in items, so a rename touches nothing else. Their weights share the
/// assessment: the live (not retired) groups together never exceed 100 %.
pub fn save_group(tx: &mut Tx, id: Option<&str>, g: &Group) -> Result<RecordId, DomainError> {
    let mut g = g.clone();
    g.name = g.name.trim().to_string();
    super::validate::validate_group(&g)?;
    check_name_free(tx, OrgKind::Group, id, &g.name)?;
    if let Some(id) = id {
        g.retired = live_in::<Group>(tx.reg(), coll::GROUP, id)?.retired;
    }
    let others: f64 =
        super::ops::all::<Group>(tx.reg(), coll::GROUP).iter().filter(|(gid, g)| Some(gid.as_str()) != id && !g.retired).map(|(_, g)| g.weight).sum();
    let total = super::scoring::round2(others + if g.retired { 0.0 } else { g.weight });
    if total > 10_000 {
        return Err(DomainError::new(K::ErrGroupWeightOver).arg(super::scoring::fmt_points(total)).at("weight"));
    }
    tx.save(coll::GROUP, id, &g)
}

/// 停用 / 恢复. A retired record stays for the items and documents that name it; it is no longer
/// offered in lists and new references to it are refused. Restoring a group checks the weights.
pub fn set_retired(tx: &mut Tx, kind: OrgKind, id: &str, retired: bool) -> Result<bool, DomainError> {
    let r = tx.reg().get_live(id).filter(|r| r.coll == kind.coll()).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(id))?;
    if !retired && r.value("merged_into").and_then(Value::as_str).is_some_and(|m| !m.is_empty()) {
        return Err(DomainError::new(K::ErrOrgMerged));
    }
    if kind == OrgKind::Group && !retired {
        let mut g: Group = from_record(r);
        g.retired = false;
        let others: f64 = super::ops::all::<Group>(tx.reg(), coll::GROUP).iter().filter(|(gid, g)| gid != id && !g.retired).map(|(_, g)| g.weight).sum();
        let total = super::scoring::round2(others + g.weight);
        if total > 10_000 {
            return Err(DomainError::new(K::ErrGroupWeightOver).arg(super::scoring::fmt_points(total)).at("weight"));
        }
    }
    tx.set(kind.coll(), id, "retired", Value::Bool(retired))
}

/// Deleting is for a record entered by mistake: one that any item still names is retired instead.
pub fn delete(tx: &mut Tx, kind: OrgKind, id: &str) -> Result<(), DomainError> {
    let r = tx.reg().get_live(id).filter(|r| r.coll == kind.coll()).ok_or_else(|| DomainError::new(K::ErrNoSuchRecord).arg(id))?;
    let names: Vec<String> = match kind {
        OrgKind::Group => vec![id.to_string()],
        _ => {
            let mut v: Vec<String> = r.value("aliases").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
            v.push(r.value("name").and_then(Value::as_str).unwrap_or_default().to_string());
            v
        }
    };
    let (own, foreign) = references(tx.reg(), kind, &names);
    let units_in_group = kind == OrgKind::Group && tx.reg().live(coll::UNIT).any(|u| u.value("group").and_then(Value::as_str) == Some(id));
    if !own.is_empty() || !foreign.is_empty() || units_in_group {
        return Err(DomainError::new(K::ErrOrgInUse).arg(own.len() + foreign.len()));
    }
    super::ops::delete(tx, id)
}

/// What merging `from` into `into` would do: (own items rewritten, other offices' items that keep
/// the old name and are read through the alias).
pub fn merge_preview(reg: &Registry, kind: OrgKind, from: &str) -> (usize, usize) {
    let Some(r) = reg.get_live(from) else { return (0, 0) };
    let mut names: Vec<String> = r.value("aliases").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
    names.push(r.value("name").and_then(Value::as_str).unwrap_or_default().to_string());
    let (own, foreign) = references(reg, kind, &names);
    (own.len(), foreign.len())
}

/// 合并: `from` (a duplicate such as 县教肓局) into `into` (县教育局). This office's items are
/// rewritten as ordinary changes; `from` is retired and marked merged; its names become aliases
/// of `into`, so what other offices send with the old name is read as `into`.
pub fn merge(tx: &mut Tx, kind: OrgKind, from: &str, into: &str) -> Result<(usize, usize), DomainError> {
    if from == into {
        return Err(DomainError::new(K::ErrMergeSame));
    }
    let (from_name, from_aliases, into_aliases) = match kind {
        OrgKind::Unit => {
            let f: Unit = live_in(tx.reg(), coll::UNIT, from)?;
            let i: Unit = live_in(tx.reg(), coll::UNIT, into)?;
            if !f.merged_into.is_empty() || !i.merged_into.is_empty() {
                return Err(DomainError::new(K::ErrOrgMerged));
            }
            (f.name, f.aliases, i.aliases)
        }
        OrgKind::Official => {
            let f: Official = live_in(tx.reg(), coll::OFFICIAL, from)?;
            let i: Official = live_in(tx.reg(), coll::OFFICIAL, into)?;
            if !f.merged_into.is_empty() || !i.merged_into.is_empty() {
                return Err(DomainError::new(K::ErrOrgMerged));
            }
            (f.name, f.aliases, i.aliases)
        }
        OrgKind::Group => return Err(DomainError::new(K::ErrMergeSame)),
    };
    let into_name = tx.reg().get_live(into).and_then(|r| r.value("name")).and_then(Value::as_str).unwrap_or_default().to_string();
    let mut names = from_aliases.clone();
    names.push(from_name.clone());
    let counts = rewrite(tx, kind, &names, &into_name)?;
    let mut aliases = into_aliases;
    for n in names {
        if norm(&n) != norm(&into_name) && !aliases.iter().any(|a| norm(a) == norm(&n)) {
            aliases.push(n);
        }
    }
    let c = kind.coll();
    tx.set(c, into, "aliases", serde_json::to_value(aliases).expect("names"))?;
    tx.write(c, from, vec![("retired".into(), Value::Bool(true)), ("merged_into".into(), Value::String(into.into()))])?;
    // Units in a group: the merged unit's group passes on when the kept one has none.
    if kind == OrgKind::Unit {
        let f: Unit = live_in(tx.reg(), coll::UNIT, from)?;
        let i: Unit = live_in(tx.reg(), coll::UNIT, into)?;
        if i.group.is_empty() && !f.group.is_empty() {
            tx.set(c, into, "group", Value::String(f.group))?;
        }
    }
    Ok(counts)
}

/// Pairs of this office's live records whose names look like one another (one character apart, or one name
/// inside the other: 县教肓局 / 县教育局, 发改局 / 县发改局), for a person to decide on.
pub fn similar(reg: &Registry, kind: OrgKind) -> Vec<(RecordId, String, RecordId, String)> {
    let live: Vec<(RecordId, String)> = reg
        .live(kind.coll())
        .filter(|r| super::ownership::owner(&r.id) == reg.office())
        .filter(|r| !r.value("retired").and_then(Value::as_bool).unwrap_or(false))
        .map(|r| (r.id.clone(), r.value("name").and_then(Value::as_str).unwrap_or_default().to_string()))
        .collect();
    let mut out = vec![];
    for (a, (ia, na)) in live.iter().enumerate() {
        for (ib, nb) in &live[a + 1..] {
            let (x, y): (Vec<char>, Vec<char>) = (norm(na).chars().collect(), norm(nb).chars().collect());
            let one_apart = x.len() == y.len() && x.len() >= 3 && x.iter().zip(&y).filter(|(p, q)| p != q).count() == 1;
            let inside = x.len().min(y.len()) >= 2 && x.len() != y.len() && (norm(na).contains(&norm(nb)) || norm(nb).contains(&norm(na)));
            if one_apart || inside {
                out.push((ia.clone(), na.clone(), ib.clone(), nb.clone()));
            }
        }
    }
    out.truncate(50);
    out
}

/// Live units, officials or groups not retired, by name: what forms offer.
pub fn active_names(reg: &Registry, kind: OrgKind) -> Vec<String> {
    let mut v: Vec<String> = reg
        .live(kind.coll())
        .filter(|r| !r.value("retired").and_then(Value::as_bool).unwrap_or(false))
        .filter_map(|r| r.value("name").and_then(Value::as_str).map(str::to_string))
        .collect();
    v.lean_sort();
    v
}

/// The lines a new assessment plan starts from: this office's live units, each with its special
/// group (`单位 | 小组`) when it has one, so the group's weight from 组织架构 is blended in.
pub fn plan_subjects(reg: &Registry) -> Vec<String> {
    let groups: BTreeMap<RecordId, Group> = super::ops::all::<Group>(reg, coll::GROUP).into_iter().filter(|(_, g)| !g.retired).collect();
    let mut v: Vec<String> = super::ops::all::<Unit>(reg, coll::UNIT)
        .into_iter()
        .filter(|(id, u)| !u.retired && super::ownership::owner(id) == reg.office())
        .map(|(_, u)| match groups.get(&u.group) {
            Some(g) => format!("{} | {}", u.name, g.name),
            None => u.name,
        })
        .collect();
    v.lean_sort();
    v
}

/// The live special groups' weights by name (what a plan line `单位 | 小组` takes).
pub fn group_weights(reg: &Registry) -> BTreeMap<String, f64> {
    super::ops::all::<Group>(reg, coll::GROUP).into_iter().filter(|(_, g)| !g.retired).map(|(_, g)| (g.name, g.weight)).collect()
}

/// The units of a group, by name.
pub fn group_members(reg: &Registry, group: &str) -> Vec<String> {
    let mut v: Vec<String> =
        super::ops::all::<Unit>(reg, coll::UNIT).into_iter().filter(|(_, u)| u.group == group && !u.retired).map(|(_, u)| u.name).collect();
    v.lean_sort();
    v
}

#[cfg(test)]
mod tests;
