//! What a stored field is called on screen: in an item's history, on the conflicts page and in
//! an import preview. One mapping for all of them; a field without a label shows its raw name.

use super::model::coll;
use crate::i18n::{t, Lang, K};
use crate::sync::{Record, DELETED};

/// What a record is called where a list names it (an item's title, an office's, unit's or
/// group's name): the import preview, refusal messages, the conflicts page.
pub fn record_name(rec: &Record) -> Option<&str> {
    rec.value("title").or(rec.value("name")).and_then(|v| v.as_str())
}

/// A criterion's name as shown: the built-in criteria (平原's 8 出圈 standards, the acceptance
/// criteria an office starts with) in the reader's language; a name the office gave stays as
/// written. The stored name is unchanged either way.
pub fn criterion_name(lang: Lang, name: &str) -> String {
    let k = match name {
        "创新性" => K::CrInnovation,
        "群众参与度" => K::CrParticipation,
        "改革成效" => K::CrResults,
        "重要性" => K::CrImportance,
        "节约成本" => K::CrSavings,
        "可复制推广" => K::CrReplicable,
        "示范带动" => K::CrExample,
        "社会影响" => K::CrImpact,
        "群众受益" => K::CrBenefit,
        _ => return name.to_string(),
    };
    t(lang, k).to_string()
}

/// The label of a field whatever its collection (item fields, the delete marker, and the fields
/// of reports, notices, visits and the organisation records whose name says the same everywhere).
pub fn field_label_key(field: &str) -> Option<K> {
    Some(match field {
        // Reform items.
        "title" => K::FTitle,
        "code" => K::FCode,
        "kind" => K::FKind,
        "source_level" => K::FSourceLevel,
        "source_doc" => K::FSourceDoc,
        "pilot_level" => K::FPilotLevel,
        "year" => K::FYear,
        "batch" => K::FBatch,
        "category" => K::FCategory,
        "goal" => K::FGoal,
        "work_path" => K::FWorkPath,
        "deadline" => K::FDeadline,
        "milestones" => K::FMilestones,
        "lead_unit" => K::FLeadUnit,
        "coop_units" => K::FCoopUnits,
        "leading_official" => K::FLeadingOfficial,
        "special_group" => K::FSpecialGroup,
        "indicators" => K::FIndicators,
        "documents" => K::FDocuments,
        "tags" => K::FTags,
        "status" => K::FStatus,
        "status_note" => K::FReason,
        "approval" => K::FApproval,
        DELETED => K::DeletedMark,
        // Offices, units, groups, officials.
        "name" => K::FName,
        "parent_name" => K::FParentOffice,
        "liaison" => K::FLiaison,
        "phone" => K::FPhone,
        "weight" => K::FGroupWeight,
        "leader" => K::FLeader,
        "post" => K::FOfficialPost,
        "retired" => K::OrgRetired,
        "aliases" => K::OrgAliases,
        "merged_into" => K::OrgMergedInto,
        // Monthly reports.
        "percent" => K::FPercent,
        "milestone" => K::DpMilestone,
        "done" => K::FDone,
        "problems" => K::FProblems,
        "next_steps" => K::FNextSteps,
        // Notices and visits.
        "requirement" => K::FRequirement,
        "reply_by" => K::FReplyBy,
        "reply" => K::FReply,
        "replied_on" => K::FRepliedOn,
        "corrections" => K::FCorrection,
        "items" => K::SvItems,
        "findings" => K::SvFindings,
        "follow_up" => K::SvFollowUp,
        _ => return None,
    })
}

/// The label of a field of a record in `collection`: where the same field name means different
/// things in different collections (a unit's `name`, a notice's `unit`), the collection decides.
pub fn field_label_key_in(collection: &str, field: &str) -> Option<K> {
    let specific = match (collection, field) {
        (coll::OFFICE, "name") => Some(K::FOfficeName),
        (coll::UNIT, "name") => Some(K::FUnitName),
        (coll::GROUP, "name") => Some(K::FGroupName),
        (coll::OFFICIAL, "name") => Some(K::FOfficialName),
        (coll::PLAN, "name") => Some(K::FPlanName),
        (coll::UNIT, "group") => Some(K::FSpecialGroup),
        (coll::PROMOTION, "name") => Some(K::PrBatchName),
        (coll::OFFICE | coll::UNIT, "level") => Some(K::FOfficeLevel),
        (coll::PILOT_LEAD, "level") => Some(K::FPilotLevel),
        (coll::NOTICE, "unit") => Some(K::FAddressee),
        (coll::NOTICE, "kind") => Some(K::SvKind),
        (coll::NOTICE, "number") => Some(K::SvNumber),
        (coll::NOTICE, "issued_on") => Some(K::SvIssued),
        (coll::VISIT | coll::PILOT_LEAD, "unit") => Some(K::FUnitName),
        (coll::VISIT, "date") => Some(K::FVisitDate),
        _ => None,
    };
    specific.or_else(|| field_label_key(field))
}

/// A field's label in `lang`, or its raw name when it has none.
/// What records of a collection are called (a preview's group heading).
pub fn collection_label_key(collection: &str) -> Option<K> {
    Some(match collection {
        "office" => K::CollOffice,
        "unit" => K::CollUnit,
        "group" => K::CollGroup,
        "official" => K::CollOfficial,
        "item" => K::CollItem,
        "plan" => K::CollPlan,
        "score_input" => K::CollScoreInput,
        "report" => K::CollReport,
        "notice" => K::CollNotice,
        "visit" => K::CollVisit,
        "review" => K::CollReview,
        "lookback" => K::CollLookback,
        "promotion" => K::CollPromotion,
        "pilot_lead" => K::CollPilotLead,
        "publication" => K::CollPublication,
        _ => return None,
    })
}

pub fn field_label(lang: Lang, field: &str) -> String {
    field_label_key(field).map(|k| t(lang, k).to_string()).unwrap_or_else(|| field.to_string())
}

/// A field's label for a record of `collection`, or its raw name when it has none.
pub fn field_label_in(lang: Lang, collection: &str, field: &str) -> String {
    field_label_key_in(collection, field).map(|k| t(lang, k).to_string()).unwrap_or_else(|| field.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Group, Office, Official, ReformItem, Unit};
    use serde::Serialize;
    use serde_json::Value;

    fn keys<T: Serialize + Default>() -> Vec<String> {
        let Value::Object(m) = serde_json::to_value(T::default()).unwrap() else { panic!("not an object") };
        m.keys().cloned().collect()
    }

    #[test]
    fn every_collection_has_a_name() {
        for c in crate::domain::model::coll::ALL {
            assert!(collection_label_key(c).is_some(), "{c}");
        }
    }

    #[test]
    fn every_item_field_has_a_label() {
        let fields = keys::<ReformItem>();
        assert!(fields.len() >= 20);
        for f in &fields {
            assert!(field_label_key(f).is_some(), "item field {f} has no label");
            assert_eq!(field_label_key_in(coll::ITEM, f), field_label_key(f));
        }
        assert_eq!(field_label_key(DELETED), Some(K::DeletedMark));
    }

    #[test]
    fn every_organisation_field_has_a_label() {
        for (c, fields) in
            [(coll::OFFICE, keys::<Office>()), (coll::UNIT, keys::<Unit>()), (coll::GROUP, keys::<Group>()), (coll::OFFICIAL, keys::<Official>())]
        {
            for f in &fields {
                assert!(field_label_key_in(c, f).is_some(), "{c} field {f} has no label");
            }
        }
        // `name` is named after its collection.
        assert_eq!(field_label_key_in(coll::UNIT, "name"), Some(K::FUnitName));
        assert_eq!(field_label_key_in(coll::OFFICE, "name"), Some(K::FOfficeName));
        assert_eq!(field_label_key_in(coll::NOTICE, "unit"), Some(K::FAddressee));
        assert_eq!(field_label_key_in(coll::NOTICE, "reply"), Some(K::FReply));
        assert_eq!(field_label_key_in(coll::REPORT, "problems"), Some(K::FProblems));
    }

    #[test]
    fn unknown_fields_show_their_raw_name() {
        assert_eq!(field_label_key("zzz"), None);
        assert_eq!(field_label(Lang::Zh, "zzz"), "zzz");
        assert_eq!(field_label_in(Lang::En, coll::UNIT, "zzz"), "zzz");
        assert_eq!(field_label(Lang::Zh, "title"), "改革事项名称");
        assert_eq!(field_label_in(Lang::Zh, coll::UNIT, "name"), "单位名称");
        assert_eq!(field_label(Lang::En, "lead_unit"), "Lead unit");
    }

    #[test]
    fn built_in_criteria_read_in_the_readers_language_and_an_offices_own_stay_as_written() {
        // Every criterion an office starts with has both languages, and reads back as stored in Chinese.
        let rules = crate::domain::rules::YearRules::default();
        let names = rules.highlight.iter().map(|c| c.name.clone()).chain(rules.acceptance.criteria.iter().map(|(n, _)| n.clone()));
        for n in names {
            assert_eq!(criterion_name(Lang::Zh, &n), n);
            assert!(criterion_name(Lang::En, &n).is_ascii(), "{n} has no English name");
        }
        assert_eq!(criterion_name(Lang::En, "改革成效"), "Results");
        assert_eq!(criterion_name(Lang::En, "带动就业"), "带动就业");
    }
}
