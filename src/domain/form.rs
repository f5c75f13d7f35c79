//! The item form as the user types it (all text), and its conversion to a `ReformItem`.
//! Kept in the core so that parsing and its error messages are tested natively.

use super::model::*;
use super::validate::{parse_number, DomainError};
use crate::i18n::K;
use chrono::NaiveDate;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MilestoneDraft {
    pub title: String,
    pub due: String,
    pub done: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct IndicatorDraft {
    pub name: String,
    pub unit: String,
    pub target: String,
    pub actual: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemDraft {
    pub title: String,
    pub code: String,
    pub kind: ItemKind,
    pub source_level: String,
    pub source_doc: String,
    pub pilot_level: String,
    pub year: String,
    pub batch: String,
    pub category: String,
    pub goal: String,
    pub work_path: String,
    pub deadline: String,
    pub milestones: Vec<MilestoneDraft>,
    pub lead_unit: String,
    pub coop_units: String,
    pub leading_official: String,
    pub special_group: String,
    pub indicators: Vec<IndicatorDraft>,
    pub documents: String,
    pub tags: String,
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Splits a list typed with Chinese or Latin separators.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', '，', '、', ';', '；', '\n']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
}

fn parse_date(s: &str, label: K, field: &'static str) -> Result<Option<NaiveDate>, DomainError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .map(Some)
        .map_err(|_| DomainError::new(K::ErrBadDate).arg_key(label).at(field))
}

impl ItemDraft {
    pub fn new(year: i32) -> Self {
        ItemDraft { year: year.to_string(), ..Default::default() }
    }

    pub fn from_item(i: &ReformItem) -> Self {
        ItemDraft {
            title: i.title.clone(),
            code: i.code.clone(),
            kind: i.kind,
            source_level: i.source_level.map(|x| x.code()).unwrap_or_default(),
            source_doc: i.source_doc.clone(),
            pilot_level: i.pilot_level.map(|x| x.code()).unwrap_or_default(),
            year: i.year.to_string(),
            batch: i.batch.clone(),
            category: i.category.clone(),
            goal: i.goal.clone(),
            work_path: i.work_path.clone(),
            deadline: i.deadline.map(|d| d.to_string()).unwrap_or_default(),
            milestones: i
                .milestones
                .iter()
                .map(|m| MilestoneDraft { title: m.title.clone(), due: m.due.map(|d| d.to_string()).unwrap_or_default(), done: m.done })
                .collect(),
            lead_unit: i.lead_unit.clone(),
            coop_units: i.coop_units.join("、"),
            leading_official: i.leading_official.clone(),
            special_group: i.special_group.clone(),
            indicators: i
                .indicators
                .iter()
                .map(|x| IndicatorDraft {
                    name: x.name.clone(),
                    unit: x.unit.clone(),
                    target: fmt_num(x.target),
                    actual: x.actual.map(fmt_num).unwrap_or_default(),
                })
                .collect(),
            documents: i.documents.join("\n"),
            tags: i.tags.join("、"),
        }
    }

    /// Converts what was typed; the first problem is returned with the field it concerns.
    /// Status fields are left at their defaults: the form never changes status.
    pub fn to_item(&self) -> Result<ReformItem, DomainError> {
        let year = self.year.trim().parse::<i32>().map_err(|_| DomainError::new(K::ErrNotANumber).arg_key(K::FYear).at("year"))?;
        let mut milestones = vec![];
        for m in &self.milestones {
            if m.title.trim().is_empty() && m.due.trim().is_empty() {
                continue; // an untouched empty row
            }
            milestones.push(Milestone { title: m.title.trim().to_string(), due: parse_date(&m.due, K::FMilestoneDue, "milestones")?, done: m.done });
        }
        let mut indicators = vec![];
        for x in &self.indicators {
            if [&x.name, &x.unit, &x.target, &x.actual].iter().all(|s| s.trim().is_empty()) {
                continue;
            }
            let target =
                parse_number(&x.target, K::FTarget, "indicators")?.ok_or_else(|| DomainError::new(K::ErrIndicatorTarget).arg(&x.name).at("indicators"))?;
            indicators.push(Indicator {
                name: x.name.trim().to_string(),
                unit: x.unit.trim().to_string(),
                target,
                actual: parse_number(&x.actual, K::FActual, "indicators")?,
            });
        }
        Ok(ReformItem {
            title: self.title.clone(),
            code: self.code.trim().to_string(),
            kind: self.kind,
            source_level: SourceLevel::from_code(&self.source_level),
            source_doc: self.source_doc.trim().to_string(),
            pilot_level: PilotLevel::from_code(&self.pilot_level),
            year,
            batch: self.batch.clone(),
            category: self.category.clone(),
            goal: self.goal.trim().to_string(),
            work_path: self.work_path.trim().to_string(),
            deadline: parse_date(&self.deadline, K::FDeadline, "deadline")?,
            milestones,
            lead_unit: self.lead_unit.clone(),
            coop_units: split_list(&self.coop_units),
            leading_official: self.leading_official.trim().to_string(),
            special_group: self.special_group.clone(),
            indicators,
            documents: self.documents.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect(),
            tags: split_list(&self.tags),
            status: Status::Proposed,
            status_note: String::new(),
            approval: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn round_trip() {
        let item = ReformItem {
            title: "网络理政".into(),
            year: 2022,
            lead_unit: "县委网信办".into(),
            coop_units: vec!["县科协".into(), "县人民医院".into()],
            deadline: NaiveDate::from_ymd_opt(2022, 12, 31),
            indicators: vec![Indicator { name: "办结率".into(), unit: "%".into(), target: 95.0, actual: Some(98.5) }],
            milestones: vec![Milestone { title: "上线".into(), due: NaiveDate::from_ymd_opt(2022, 6, 30), done: true }],
            tags: vec!["开江".into()],
            ..Default::default()
        };
        assert_eq!(ItemDraft::from_item(&item).to_item().unwrap(), item);
    }

    #[test]
    fn bad_input_names_the_field() {
        let mut d = ItemDraft::new(2022);
        d.deadline = "2022-13-40".into();
        let e = d.to_item().unwrap_err();
        assert_eq!((e.field, e.message(Lang::Zh)), (Some("deadline"), "“完成时限”不是有效日期".to_string()));
        d.deadline.clear();
        d.indicators.push(IndicatorDraft { name: "就业".into(), target: "一百".into(), ..Default::default() });
        assert_eq!(d.to_item().unwrap_err().message(Lang::En), "\"Target\" must be a number");
        d.year = "二〇二二".into();
        assert_eq!(d.to_item().unwrap_err().field, Some("year"));
    }

    #[test]
    fn lists_split_on_chinese_separators() {
        assert_eq!(split_list("县科协、县人民医院，县残联; "), vec!["县科协", "县人民医院", "县残联"]);
    }
}
