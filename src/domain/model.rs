//! The reform office's records as typed values. They are stored field by field in the merged
//! registry (see `sync::state`); `from_record` / `to_writes` convert between the two.

use crate::i18n::K;
use crate::sync::Record;
use chrono::NaiveDate;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::Value;

/// Collection names used in records and bundles.
pub mod coll {
    pub const OFFICE: &str = "office";
    pub const UNIT: &str = "unit";
    pub const GROUP: &str = "group";
    pub const OFFICIAL: &str = "official";
    pub const ITEM: &str = "item";
    /// 考核方案
    pub const PLAN: &str = "plan";
    /// One subject's raw figures for one month of a plan (id: plan/YYYY-MM/subject).
    pub const SCORE_INPUT: &str = "score_input";
    /// 月度调度: one item's progress report for one month (id: item/YYYY-MM).
    pub const REPORT: &str = "report";
    /// 督办通知 (提示单 / 交办单 / 催办单 / 责令书).
    pub const NOTICE: &str = "notice";
    /// 督察走访记录.
    pub const VISIT: &str = "visit";
    /// Risk reviews, acceptance reviews and highlight score sheets (ids: item/risk, item/acceptance, item/highlight/reviewer).
    pub const REVIEW: &str = "review";
    /// 回头看
    pub const LOOKBACK: &str = "lookback";
    /// 经验推广批次
    pub const PROMOTION: &str = "promotion";
    /// 试点线索
    pub const PILOT_LEAD: &str = "pilot_lead";
    /// A published month: its bulletin figures and ranking, frozen (id: office/published/YYYY-MM).
    pub const PUBLICATION: &str = "publication";

    /// Every collection this version understands (files holding any other are refused rather
    /// than silently kept). The exchange format's schema lists the same.
    pub const ALL: &[&str] =
        &[OFFICE, UNIT, GROUP, OFFICIAL, ITEM, PLAN, SCORE_INPUT, REPORT, NOTICE, VISIT, REVIEW, LOOKBACK, PROMOTION, PILOT_LEAD, PUBLICATION];
}

macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident => $key:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $var),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),*];
            pub fn label(self) -> K { match self { $($name::$var => K::$key),* } }
            /// The stable name used in files and URLs.
            pub fn code(self) -> String {
                serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
            }
            pub fn from_code(s: &str) -> Option<Self> {
                serde_json::from_value(Value::String(s.to_string())).ok()
            }
        }
    };
}

labelled_enum!(
    /// 机构层级
    #[derive(Default)]
    OfficeLevel { City => LevelCity, #[default] County => LevelCounty, Township => LevelTownship, Department => LevelDepartment, Institution => LevelInstitution }
);

labelled_enum!(
    /// The kinds of reform item (改革事项) in DOMAIN.md.
    #[derive(Default)]
    ItemKind {
        Mandated => KindMandated,
        #[default]
        Featured => KindFeatured,
        MicroReform => KindMicro,
        SmallIncision => KindSmallIncision,
        Pilot => KindPilot,
        Innovation => KindInnovation,
        Livelihood => KindLivelihood,
    }
);

labelled_enum!(
    /// Where a mandated task (规定动作) comes from.
    SourceLevel { Central => SourceCentral, Province => SourceProvince, City => SourceCity }
);

labelled_enum!(
    /// 试点层级
    PilotLevel { National => PilotNational, Province => PilotProvince, City => PilotCity }
);

labelled_enum!(
    /// The life cycle (see `lifecycle`).
    #[derive(Default)]
    Status {
        #[default]
        Proposed => StProposed,
        RiskReviewed => StRiskReviewed,
        Approved => StApproved,
        InProgress => StInProgress,
        Completed => StCompleted,
        Accepted => StAccepted,
        AwaitingDeployment => StAwaiting,
        Suspended => StSuspended,
        Terminated => StTerminated,
    }
);

/// 机构: the party that owns a browser profile and signs its files.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Office {
    pub name: String,
    pub level: OfficeLevel,
    /// The parent office's name as typed (it may not be in this registry).
    pub parent_name: String,
}

/// 责任单位 (a department, township or institution that carries tasks).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Unit {
    pub name: String,
    pub level: OfficeLevel,
    /// 联络员 and their phone.
    pub liaison: String,
    pub phone: String,
    /// The special group (record id) the unit belongs to, if any.
    pub group: String,
    /// 停用: kept for the records that name it, no longer offered for new ones.
    pub retired: bool,
    /// Earlier names (after a rename or a merge): still read as this unit (see `org`).
    pub aliases: Vec<String>,
    /// Set on a unit merged into another (record id); the merged unit is retired.
    pub merged_into: String,
}

/// 改革专项小组, with its weight in the assessment score (percent).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Group {
    pub name: String,
    pub weight: f64,
    pub leader: String,
    pub liaison: String,
    pub retired: bool,
}

/// 领衔领导
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Official {
    pub name: String,
    pub post: String,
    pub retired: bool,
    pub aliases: Vec<String>,
    pub merged_into: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Milestone {
    pub title: String,
    pub due: Option<NaiveDate>,
    pub done: bool,
}

/// 成效指标: e.g. 受理网民诉求 118 件, target and actual in one unit of measure.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Indicator {
    pub name: String,
    pub unit: String,
    pub target: f64,
    pub actual: Option<f64>,
}

/// 改革事项: one record carries what 挂图作战 asks for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReformItem {
    pub title: String,
    /// 编号 as the office numbers its tasks (e.g. 2026-03); optional, matched on spreadsheet import.
    pub code: String,
    pub kind: ItemKind,
    /// For mandated tasks: which level handed it down, and the document it implements.
    pub source_level: Option<SourceLevel>,
    pub source_doc: String,
    /// For pilots.
    pub pilot_level: Option<PilotLevel>,
    pub year: i32,
    /// 批次, e.g. 第一批.
    pub batch: String,
    /// 类别/领域, e.g. 便民 / 城市治理.
    pub category: String,
    pub goal: String,
    pub work_path: String,
    pub deadline: Option<NaiveDate>,
    pub milestones: Vec<Milestone>,
    pub lead_unit: String,
    pub coop_units: Vec<String>,
    pub leading_official: String,
    /// Record id of the special group.
    pub special_group: String,
    pub indicators: Vec<Indicator>,
    pub documents: Vec<String>,
    pub tags: Vec<String>,
    pub status: Status,
    /// The reason given with the last status change.
    pub status_note: String,
    /// 深改委审定: the meeting that approved it.
    pub approval: Option<Approval>,
}

/// The 深改委 meeting that approved an item: 会议名称, 日期, 文号 (e.g. 县委深改委第5次会议).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Approval {
    pub meeting: String,
    pub date: Option<NaiveDate>,
    pub number: String,
}

/// Reads a typed value from a merged record. Fields a newer version added are ignored;
/// fields that fail to parse fall back to their defaults rather than hiding the record.
pub fn from_record<T: DeserializeOwned + Default + Serialize>(r: &Record) -> T {
    let whole = Value::Object(r.to_object());
    match T::deserialize(&whole) {
        Ok(v) => v,
        Err(_) => {
            let Value::Object(obj) = whole else { return T::default() };
            // Salvage field by field.
            let mut base = serde_json::to_value(T::default()).expect("default serialises");
            if let Value::Object(m) = &mut base {
                for (k, v) in obj {
                    if m.contains_key(&k) {
                        let old = m.insert(k.clone(), v);
                        if serde_json::from_value::<T>(Value::Object(m.clone())).is_err() {
                            m.insert(k, old.unwrap_or(Value::Null));
                        }
                    }
                }
            }
            serde_json::from_value(base).unwrap_or_default()
        }
    }
}

/// A typed value straight from a record's compact stored text (`sync::compact`), when each of
/// its fields holds one write, as every record kept as text does: each field's value is read
/// from its JSON text as the typed value asks for it, without first making the record's
/// entries, stamps and values (a city's 10,000 items took 290 ms to type that way at start-up). None for text that
/// holds anything else, or whose values do not read as `T`: `from_record` then reads the record
/// (and salvages what it can), so a value read either way is the same.
pub fn from_compact<T: DeserializeOwned>(text: &str) -> Option<T> {
    use serde::de::IgnoredAny as Skip;
    use serde_json::value::RawValue;
    use std::borrow::Cow;
    #[derive(Deserialize)]
    struct Entry<'a>(#[serde(borrow)] &'a RawValue, Skip, Skip, Skip, Skip, Skip);
    #[derive(Deserialize)]
    struct Field<'a>(#[serde(borrow)] Cow<'a, str>, #[serde(borrow)] Vec<Entry<'a>>, Skip);
    let (_, _, fields): (Skip, Skip, Vec<Field>) = serde_json::from_str(text).ok()?;
    let mut values = Vec::with_capacity(fields.len());
    for Field(name, entries, _) in fields {
        match entries.as_slice() {
            [] => {}
            [Entry(v, ..)] if !name.starts_with('_') => values.push((name, *v)),
            [_] => {}
            _ => return None,
        }
    }
    T::deserialize(serde::de::value::MapAccessDeserializer::new(Winners { values: values.into_iter(), next: None })).ok()
}

/// The winning values of a record's fields, handed to a typed value's `Deserialize` as a map
/// (each value read from its own JSON text).
struct Winners<'a> {
    values: std::vec::IntoIter<(std::borrow::Cow<'a, str>, &'a serde_json::value::RawValue)>,
    next: Option<&'a serde_json::value::RawValue>,
}

impl<'de> serde::de::MapAccess<'de> for Winners<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        use serde::de::IntoDeserializer;
        let Some((name, value)) = self.values.next() else { return Ok(None) };
        self.next = Some(value);
        match name {
            std::borrow::Cow::Borrowed(s) => seed.deserialize(s.into_deserializer()).map(Some),
            std::borrow::Cow::Owned(s) => seed.deserialize(s.into_deserializer()).map(Some),
        }
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        let raw = self.next.take().ok_or_else(|| <serde_json::Error as serde::de::Error>::custom("a value without its name"))?;
        let mut de = serde_json::Deserializer::from_str(raw.get());
        let v = seed.deserialize(&mut de)?;
        de.end()?;
        Ok(v)
    }
}

/// A live record as a typed value: from its stored text when it is still kept as text
/// (`from_compact`), else from the record.
pub fn typed_live<T: DeserializeOwned + Default + Serialize>(reg: &crate::sync::Registry, id: &str) -> Option<T> {
    if let Some(v) = reg.records.cold_text(id).and_then(from_compact) {
        return Some(v);
    }
    reg.get_live(id).map(from_record)
}

/// A live record of one collection as a typed value, or the error that names it.
pub fn live_in<T: DeserializeOwned + Default + Serialize>(reg: &crate::sync::Registry, collection: &str, id: &str) -> Result<T, super::validate::DomainError> {
    reg.get_live(id).filter(|r| r.coll == collection).map(from_record).ok_or_else(|| super::validate::DomainError::new(K::ErrNoSuchRecord).arg(id))
}

/// The fields of `new` that differ from `old` (all fields when there is no old value).
pub fn to_writes<T: Serialize>(old: Option<&T>, new: &T) -> Vec<(String, Value)> {
    let new_v = serde_json::to_value(new).expect("serialises");
    let old_v = old.map(|o| serde_json::to_value(o).expect("serialises"));
    let Value::Object(nm) = new_v else { return vec![] };
    nm.into_iter()
        .filter(|(k, v)| match &old_v {
            Some(Value::Object(om)) => om.get(k) != Some(v),
            _ => true,
        })
        .collect()
}

impl ReformItem {
    /// Share of outcome indicators reached, for display.
    pub fn indicators_met(&self) -> (usize, usize) {
        let met = self.indicators.iter().filter(|i| i.actual.is_some_and(|a| a >= i.target)).count();
        (met, self.indicators.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::{compact, Registry};
    use serde_json::json;

    /// Every record kept as text reads the same through `from_compact` as through `from_record`:
    /// as plain JSON, and typed as the item or report it is.
    #[test]
    fn typed_from_stored_text_is_typed_from_the_record() {
        let (mut reg, _) = crate::domain::demo::demo_registry(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        // Odd but possible: a field name to escape, a value that is not the type's, two writes.
        reg.change(
            2_000,
            coll::ITEM,
            "odd-1",
            vec![("title".into(), json!("引号\"与\\斜杠\n换行")), ("na\"me".into(), json!(1)), ("year".into(), json!(2026))],
            "",
        )
        .unwrap();
        reg.change(2_000, coll::ITEM, "odd-2", vec![("title".into(), json!("年份不对")), ("year".into(), json!("二〇二六"))], "").unwrap();
        let mut other = Registry::new("pingyuan");
        let c = other.change(3_000, coll::ITEM, "odd-3", vec![("title".into(), json!("A"))], "").unwrap().unwrap();
        reg.apply(&c).unwrap();
        reg.change(4_000, coll::ITEM, "odd-3", vec![("title".into(), json!("B"))], "").unwrap();
        let cb = other.change(4_000, coll::ITEM, "odd-3", vec![("title".into(), json!("C"))], "").unwrap().unwrap();
        reg.apply(&cb).unwrap();
        let (mut fast, mut items, mut reports) = (0, 0, 0);
        for r in reg.records.values() {
            let text = compact::to_text(r).unwrap();
            if compact::summary(r).1 {
                assert!(from_compact::<Value>(&text).is_none(), "{}: two writes or a deletion are read from the record", r.id);
                continue;
            }
            assert_eq!(from_compact::<Value>(&text), Some(from_record::<Value>(r)), "{}", r.id);
            fast += 1;
            if r.coll == coll::ITEM {
                match from_compact::<ReformItem>(&text) {
                    Some(v) => assert_eq!(v, from_record::<ReformItem>(r), "{}", r.id),
                    None => assert_eq!(r.id, "odd-2", "only a value of the wrong type falls back"),
                }
                items += 1;
            }
            if r.coll == coll::REPORT {
                assert_eq!(from_compact::<crate::domain::monthly::Report>(&text), Some(from_record(r)), "{}", r.id);
                reports += 1;
            }
        }
        assert!(fast > 50 && items > 10 && reports > 5, "{fast} records, {items} items, {reports} reports compared");
        // Whichever way it is read, the salvaged item is the same.
        let mut held = crate::sync::Records::default();
        for r in reg.records.values() {
            held.push_stored(compact::to_text(r).unwrap(), crate::storage::KEPT_AS_TEXT).unwrap();
        }
        let held = crate::storage::assemble(crate::storage::Meta::of(&reg), held);
        assert!(held.records.cold_text("odd-2").is_some() && held.records.cold_text("odd-3").is_none());
        for id in ["odd-1", "odd-2", "odd-3"] {
            assert_eq!(typed_live::<ReformItem>(&held, id), Some(from_record(&reg.records[id])), "{id}");
        }
        assert_eq!(typed_live::<ReformItem>(&held, "odd-2").unwrap().year, 0, "the bad year salvaged to its default");
    }
}
