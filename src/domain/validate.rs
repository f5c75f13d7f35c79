//! Validation. Every refusal is a `DomainError`: a catalogue key plus arguments, so the message
//! is shown in the user's language and names the field it concerns.

use super::model::*;
use crate::i18n::{t, tf, Lang, K};

#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Text(String),
    Key(K),
}

#[derive(Clone, Debug, PartialEq)]
pub struct DomainError {
    pub key: K,
    pub args: Vec<Arg>,
    /// The form field the error belongs to, so the UI can show it where it was typed.
    pub field: Option<&'static str>,
}

impl DomainError {
    pub fn new(key: K) -> Self {
        DomainError { key, args: vec![], field: None }
    }
    pub fn arg(mut self, a: impl ToString) -> Self {
        self.args.push(Arg::Text(a.to_string()));
        self
    }
    pub fn arg_key(mut self, k: K) -> Self {
        self.args.push(Arg::Key(k));
        self
    }
    pub fn at(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
    pub fn message(&self, lang: Lang) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| match a {
                Arg::Text(s) => s.clone(),
                Arg::Key(k) => t(lang, *k).to_string(),
            })
            .collect();
        tf(lang, self.key, &args)
    }
}

impl std::fmt::Display for DomainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message(Lang::Zh))
    }
}

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 20_000;

fn text_len(s: &str) -> usize {
    s.chars().count()
}

fn required(s: &str, field: &'static str, label: K) -> Result<(), DomainError> {
    if s.trim().is_empty() {
        Err(DomainError::new(K::ErrRequired).arg_key(label).at(field))
    } else {
        Ok(())
    }
}

fn max_len(s: &str, max: usize, field: &'static str, label: K) -> Result<(), DomainError> {
    if text_len(s) > max {
        Err(DomainError::new(K::ErrTooLong).arg_key(label).arg(max).at(field))
    } else {
        Ok(())
    }
}

pub fn validate_office(o: &Office) -> Result<(), DomainError> {
    required(&o.name, "name", K::FOfficeName)?;
    max_len(&o.name, 100, "name", K::FOfficeName)?;
    max_len(&o.parent_name, 100, "parent_name", K::FParentOffice)
}

pub fn validate_unit(u: &Unit) -> Result<(), DomainError> {
    required(&u.name, "name", K::FUnitName)?;
    max_len(&u.name, 100, "name", K::FUnitName)
}

pub fn validate_group(g: &Group) -> Result<(), DomainError> {
    required(&g.name, "name", K::FGroupName)?;
    if !g.weight.is_finite() || g.weight < 0.0 || g.weight > 100.0 {
        return Err(DomainError::new(K::ErrWeight).at("weight"));
    }
    Ok(())
}

pub fn validate_official(o: &Official) -> Result<(), DomainError> {
    required(&o.name, "name", K::FOfficialName)
}

pub fn validate_item(i: &ReformItem) -> Result<(), DomainError> {
    required(&i.title, "title", K::FTitle)?;
    max_len(&i.title, MAX_TITLE, "title", K::FTitle)?;
    max_len(&i.code, 50, "code", K::FCode)?;
    for (s, f, k) in [(&i.goal, "goal", K::FGoal), (&i.work_path, "work_path", K::FWorkPath), (&i.source_doc, "source_doc", K::FSourceDoc)] {
        max_len(s, MAX_TEXT, f, k)?;
    }
    if !(2000..=2100).contains(&i.year) {
        return Err(DomainError::new(K::ErrYear).at("year"));
    }
    required(&i.lead_unit, "lead_unit", K::FLeadUnit)?;
    if i.coop_units.iter().any(|u| u.trim() == i.lead_unit.trim()) {
        return Err(DomainError::new(K::ErrLeadAlsoCoop).at("coop_units"));
    }
    match i.kind {
        ItemKind::Mandated => {
            if i.source_level.is_none() {
                return Err(DomainError::new(K::ErrRequired).arg_key(K::FSourceLevel).at("source_level"));
            }
            required(&i.source_doc, "source_doc", K::FSourceDoc)?;
        }
        ItemKind::Pilot if i.pilot_level.is_none() => {
            return Err(DomainError::new(K::ErrRequired).arg_key(K::FPilotLevel).at("pilot_level"));
        }
        _ => {}
    }
    // Approved items are planned work: they need a deadline (完成时限).
    if !matches!(i.status, Status::Proposed | Status::RiskReviewed | Status::AwaitingDeployment | Status::Terminated) && i.deadline.is_none() {
        return Err(DomainError::new(K::ErrDeadlineNeeded).at("deadline"));
    }
    for (n, m) in i.milestones.iter().enumerate() {
        if m.title.trim().is_empty() {
            return Err(DomainError::new(K::ErrMilestoneTitle).arg(n + 1).at("milestones"));
        }
        if let (Some(due), Some(dl)) = (m.due, i.deadline) {
            if due > dl {
                return Err(DomainError::new(K::ErrMilestoneAfterDeadline).arg(&m.title).at("milestones"));
            }
        }
    }
    for ind in &i.indicators {
        if ind.name.trim().is_empty() {
            return Err(DomainError::new(K::ErrIndicatorName).at("indicators"));
        }
        if !ind.target.is_finite() || ind.target <= 0.0 {
            return Err(DomainError::new(K::ErrIndicatorTarget).arg(&ind.name).at("indicators"));
        }
        if let Some(a) = ind.actual {
            if !a.is_finite() || a < 0.0 {
                return Err(DomainError::new(K::ErrIndicatorActual).arg(&ind.name).at("indicators"));
            }
        }
    }
    if i.tags.len() > 50 || i.documents.len() > 200 || i.coop_units.len() > 100 {
        return Err(DomainError::new(K::ErrTooMany).at("tags"));
    }
    Ok(())
}

/// Parses a number typed in a form, with a message naming the field when it is not one.
pub fn parse_number(s: &str, label: K, field: &'static str) -> Result<Option<f64>, DomainError> {
    let s = s.trim().replace([',', '，'], "");
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(DomainError::new(K::ErrNotANumber).arg_key(label).at(field)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn item() -> ReformItem {
        ReformItem { title: "1分钱公交".into(), year: 2022, lead_unit: "人行开江支行".into(), kind: ItemKind::MicroReform, ..Default::default() }
    }

    #[test]
    fn minimal_item_is_valid() {
        assert_eq!(validate_item(&item()), Ok(()));
    }

    #[test]
    fn empty_title_refused_in_both_languages() {
        let mut i = item();
        i.title = "   ".into();
        let e = validate_item(&i).unwrap_err();
        assert_eq!(e.field, Some("title"));
        assert_eq!(e.message(Lang::Zh), "请填写“改革事项名称”");
        assert_eq!(e.message(Lang::En), "Please fill in \"Title\"");
    }

    #[test]
    fn mandated_needs_source() {
        let mut i = item();
        i.kind = ItemKind::Mandated;
        assert_eq!(validate_item(&i).unwrap_err().field, Some("source_level"));
        i.source_level = Some(SourceLevel::Province);
        assert_eq!(validate_item(&i).unwrap_err().field, Some("source_doc"));
        i.source_doc = "省委改革办2022年工作要点".into();
        assert!(validate_item(&i).is_ok());
    }

    #[test]
    fn pilot_needs_level() {
        let mut i = item();
        i.kind = ItemKind::Pilot;
        assert_eq!(validate_item(&i).unwrap_err().field, Some("pilot_level"));
    }

    #[test]
    fn indicators_checked() {
        let mut i = item();
        i.indicators.push(Indicator { name: "停车位".into(), unit: "个".into(), target: 0.0, actual: None });
        assert!(validate_item(&i).unwrap_err().message(Lang::Zh).contains("停车位"));
        i.indicators[0].target = 66.0;
        i.indicators[0].actual = Some(-1.0);
        assert!(validate_item(&i).is_err());
        i.indicators[0].actual = Some(66.0);
        assert!(validate_item(&i).is_ok());
    }

    #[test]
    fn approved_items_need_a_deadline_and_milestones_inside_it() {
        let mut i = item();
        i.status = Status::InProgress;
        assert_eq!(validate_item(&i).unwrap_err().field, Some("deadline"));
        i.deadline = NaiveDate::from_ymd_opt(2022, 12, 31);
        i.milestones.push(Milestone { title: "完成方案".into(), due: NaiveDate::from_ymd_opt(2023, 1, 5), done: false });
        assert_eq!(validate_item(&i).unwrap_err().field, Some("milestones"));
    }

    #[test]
    fn too_long_title() {
        let mut i = item();
        i.title = "改".repeat(MAX_TITLE + 1);
        assert_eq!(validate_item(&i).unwrap_err().key, K::ErrTooLong);
    }

    #[test]
    fn numbers_in_forms() {
        assert_eq!(parse_number(" 1,378 ", K::FTarget, "t"), Ok(Some(1378.0)));
        assert_eq!(parse_number("", K::FTarget, "t"), Ok(None));
        let e = parse_number("九十八", K::FTarget, "t").unwrap_err();
        assert_eq!(e.message(Lang::Zh), "“目标值”须为数字");
    }
}
