//! The one catalogue of every user-visible string: Simplified Chinese first, English second.
//! Placeholders are `{0}`, `{1}`, … filled by `tf`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

macro_rules! catalogue {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        /// A catalogue key.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum K { $($key),* }
        impl K {
            pub const ALL: &'static [K] = &[$(K::$key),*];
        }
        // Two tables indexed by the key, not a match: the match compiled to 25 KB of wasm.
        const ZH: &[&str] = &[$($zh),*];
        const EN: &[&str] = &[$($en),*];
        pub fn t(lang: Lang, k: K) -> &'static str {
            match lang { Lang::Zh => ZH[k as usize], Lang::En => EN[k as usize] }
        }
    };
}

/// Punctuation the screens and papers put around values: full-width in Chinese, half-width with
/// a space in English ("Reply: …", "a, b", "Recycle bin (3)").
pub fn colon(lang: Lang) -> &'static str {
    by_lang(lang, "：", ": ")
}
pub fn list_sep(lang: Lang) -> &'static str {
    by_lang(lang, "、", ", ")
}
pub fn comma(lang: Lang) -> &'static str {
    by_lang(lang, "，", ", ")
}
pub fn semicolon(lang: Lang) -> &'static str {
    by_lang(lang, "；", "; ")
}
fn by_lang(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::Zh {
        zh
    } else {
        en
    }
}
pub fn paren(lang: Lang, inner: &str) -> String {
    if lang == Lang::Zh {
        format!("（{inner}）")
    } else {
        format!(" ({inner})")
    }
}

/// Fills `{0}`, `{1}`, … with `args`. In English a count of one takes the singular of the noun
/// after it ("Imported: 1 change.", not "1 changes").
pub fn tf(lang: Lang, k: K, args: &[String]) -> String {
    let mut s = t(lang, k).to_string();
    for (n, a) in args.iter().enumerate() {
        let slot = format!("{{{n}}}");
        if lang == Lang::En && a == "1" {
            s = singular_after(&s, &slot);
        }
        s = s.replace(&slot, a);
    }
    s
}

/// Plural nouns the English texts put after a count, and their singulars.
const PLURALS: &[(&str, &str)] = &[
    ("outcome figures", "outcome figure"),
    ("reform items", "reform item"),
    ("changes", "change"),
    ("days", "day"),
    ("entries", "entry"),
    ("errors", "error"),
    ("figures", "figure"),
    ("files", "file"),
    ("items", "item"),
    ("keys", "key"),
    ("milestones", "milestone"),
    ("months", "month"),
    ("notices", "notice"),
    ("offices", "office"),
    ("reports", "report"),
    ("respondents", "respondent"),
    ("rows", "row"),
    ("units", "unit"),
];

/// `text` with each "`slot` nouns" made "`slot` noun", and a verb right after it agreeing.
fn singular_after(text: &str, slot: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(slot) {
        let after = &rest[at + slot.len()..];
        out.push_str(&rest[..at + slot.len()]);
        rest = after;
        let Some(word_on) = after.strip_prefix(' ') else { continue };
        // A listed noun (one word, or two as "outcome figures") ending where a word ends.
        let ends = |many: &str| word_on.strip_prefix(many).is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_alphabetic()));
        let Some((many, one)) = PLURALS.iter().find(|(many, _)| ends(many)) else { continue };
        out.push(' ');
        out.push_str(one);
        rest = &word_on[many.len()..];
        for (many, one) in [(" are ", " is "), (" were ", " was ")] {
            if let Some(r) = rest.strip_prefix(many) {
                out.push_str(one);
                rest = r;
            }
        }
    }
    out.push_str(rest);
    out
}

catalogue! {
    AppTitle => "改革台账", "Reform Registry";
    AppSubtitle => "全面深化改革任务管理", "Reform task management";
    // Levels, kinds, statuses
    LevelCity => "市", "City";
    LevelCounty => "县区", "County / district";
    LevelTownship => "乡镇街道", "Township / subdistrict";
    LevelDepartment => "部门", "Department";
    LevelInstitution => "事业单位", "Public institution";
    KindMandated => "规定动作", "Mandated task";
    KindFeatured => "特色项目", "Featured project";
    KindMicro => "微改革·微创新", "Micro-reform";
    KindSmallIncision => "小切口改革", "Small-incision reform";
    KindPilot => "改革试点", "Reform pilot";
    KindInnovation => "创新改革事项", "Innovation item";
    KindLivelihood => "民生实事", "Livelihood commitment";
    SourceCentral => "中央", "Central";
    SourceProvince => "省级", "Provincial";
    SourceCity => "市级", "City";
    PilotNational => "国家级", "National";
    PilotProvince => "省级", "Provincial";
    PilotCity => "市级", "City";
    StProposed => "谋划申报", "Proposed";
    StRiskReviewed => "已风险评估", "Risk-reviewed";
    StApproved => "深改委审定", "Approved";
    StInProgress => "推进中", "In progress";
    StCompleted => "完成销号", "Completed";
    StAccepted => "已验收", "Accepted";
    StAwaiting => "待上级部署", "Awaiting upper deployment";
    StSuspended => "暂缓", "Suspended";
    StTerminated => "终止", "Terminated";
    // Field labels
    FName => "名称", "Name";
    FOfficeName => "机构名称", "Office name";
    FOfficeLevel => "机构层级", "Level";
    FParentOffice => "上级机构", "Parent office";
    FUnitName => "单位名称", "Unit name";
    FGroupName => "专项小组名称", "Special group";
    FGroupWeight => "考核权重（%）", "Weight in assessment (%)";
    FOfficialName => "领导姓名", "Official's name";
    FOfficialPost => "职务", "Post";
    FLiaison => "联络员", "Liaison officer";
    FPhone => "联系电话", "Phone";
    FLeader => "组长", "Group leader";
    FTitle => "改革事项名称", "Title";
    FKind => "事项类型", "Kind";
    FSourceLevel => "部署层级", "Handed down by";
    FSourceDoc => "上级文件", "Source document";
    FCode => "编号", "No. (office's own)";
    FPilotLevel => "试点层级", "Pilot level";
    FYear => "年度", "Year";
    FBatch => "批次", "Batch";
    FCategory => "类别/领域", "Category / field";
    FGoal => "任务目标", "Goal";
    FWorkPath => "工作路径", "Work path";
    FDeadline => "完成时限", "Deadline";
    FMilestones => "节点目标", "Milestones";
    FMilestoneDue => "节点时间", "Due";
    FMilestoneDone => "已完成", "Done";
    FLeadUnit => "牵头单位", "Lead unit";
    FCoopUnits => "配合单位", "Cooperating units";
    FLeadingOfficial => "领衔领导", "Leading official";
    FSpecialGroup => "专项小组", "Special group";
    FIndicators => "成效指标", "Outcome indicators";
    FIndicatorName => "指标", "Indicator";
    FMeasure => "单位", "Unit of measure";
    FTarget => "目标值", "Target";
    FActual => "完成值", "Actual";
    FDocuments => "出台文件", "Documents issued";
    FTags => "标签", "Tags";
    FStatus => "状态", "Status";
    FReason => "说明/理由", "Reason";
    FOperator => "经办人", "Your name";
    HintCommaList => "多个用顿号或逗号分隔", "Separate several with commas";
    // Errors
    ErrRequired => "请填写“{0}”", "Please fill in \"{0}\"";
    ErrTooLong => "“{0}”不能超过{1}个字", "\"{0}\" must not exceed {1} characters";
    ErrTransition => "不能从“{0}”直接变为“{1}”", "Cannot move from \"{0}\" to \"{1}\"";
    ErrTransitionReason => "变为“{0}”须写明理由", "Moving to \"{0}\" needs a written reason";
    ErrWeight => "权重须在0到100之间", "The weight must be between 0 and 100";
    ErrYear => "年度须在2000至2100之间", "The year must be between 2000 and 2100";
    ErrLeadAlsoCoop => "牵头单位不能同时是配合单位", "The lead unit cannot also be a cooperating unit";
    ErrDeadlineNeeded => "审定后的事项须有完成时限", "Approved items need a deadline";
    ErrMilestoneTitle => "第{0}个节点目标未填写内容", "Milestone {0} has no description";
    ErrMilestoneAfterDeadline => "节点“{0}”晚于完成时限", "Milestone \"{0}\" is after the deadline";
    ErrIndicatorName => "成效指标须有名称", "Every outcome indicator needs a name";
    ErrIndicatorTarget => "指标“{0}”的目标值须大于0", "The target of \"{0}\" must be greater than 0";
    ErrIndicatorActual => "指标“{0}”的完成值不能为负数", "The actual value of \"{0}\" cannot be negative";
    ErrTooMany => "条目过多", "Too many entries";
    ErrNotANumber => "“{0}”须为数字", "\"{0}\" must be a number";
    ErrBadDate => "“{0}”不是有效日期", "\"{0}\" is not a valid date";
    ErrNoSuchRecord => "找不到记录 {0}（可能已被删除）", "Record {0} not found (it may have been deleted)";
    ErrDuplicateName => "“{0}”已存在", "\"{0}\" already exists";
    ErrOrgUnknown => "{0} 不在组织架构名录中：请从列表中选择，或确认新建", "{0}: not in the organisation directory. Pick from the list, or confirm adding it";
    ErrOrgRetired => "“{0}”已停用，不能再选用", "\"{0}\" is retired and cannot be chosen";
    ErrOrgInUse => "仍有 {0} 项改革事项使用该名称（或有单位属于该小组），不能删除；可改为停用", "It is still named by {0} reform items (or units belong to the group): it cannot be deleted. Retire it instead";
    ErrOrgMerged => "该记录已合并到另一条记录，不能再恢复或合并", "This record was merged into another and cannot be restored or merged again";
    ErrMergeSame => "请选择两条不同的记录合并", "Choose two different records to merge";
    FLeadUnitShort => "责任单位", "Unit";
    OrgRetired => "已停用", "Retired";
    FApproval => "审定会议", "Approving meeting";
    FMeeting => "会议名称", "Meeting";
    FMeetingDate => "会议日期", "Meeting date";
    FMeetingNo => "会议文号", "Meeting reference";
    ErrApprovalMeeting => "深改委审定须记录会议名称和日期", "Approval must record the meeting's name and date";
    ErrCompleteUnfinished => "还有 {0} 个节点未完成、{1} 项成效指标未填完成值：请先补齐，或写明销号理由", "{0} milestones are not done and {1} outcome figures are empty: complete them, or write the reason for closing";
    ErrReopenNeedsLookback => "已验收事项只有在回头看发现成效减弱或反弹后才能重新打开", "An accepted item can be reopened only after a look-back found its results slipping";
    ErrNoFollowUpNeeded => "这次回头看无需跟进或已经跟进", "This look-back needs no follow-up, or was already followed up";
    ErrPromoteUnscored => "“{0}”还没有出圈评分，不能推广", "\"{0}\" has no highlight scores and cannot be promoted";
    ErrPromoteBelow => "“{0}”平均得分 {1}，低于推广分数线 {2}", "\"{0}\" averages {1}, below the promotion line of {2}";
    ErrRuleCriterionName => "每条标准都要有名称", "Every criterion needs a name";
    ErrRuleCriteriaCount => "标准须为1至20条", "Between 1 and 20 criteria";
    ErrRulePoints => "每条标准的分值或权重须大于0", "Each criterion's points or weight must be above 0";
    ErrRuleSum100 => "{0}合计须为100（当前为{1}）", "{0} must add up to 100 (now {1})";
    ErrRuleBands => "等次分数线须为 0 < 合格 < 良好 < 优秀 ≤ 100", "Grade lines must be 0 < pass < good < excellent ≤ 100";
    ErrRuleVeto => "满意度否决线须在0至100之间", "The satisfaction veto line must be between 0 and 100";
    ErrRuleSample => "最少样本数须为正整数", "The minimum sample must be a whole number above 0";
    ErrRulePromote => "推广分数线须在0至100之间，每批最多1至100项", "The promotion line must be 0–100 and a batch 1–100 items";
    ErrRuleLookback => "回头看时间须为0至60个月", "The look-back must be 0–60 months after acceptance";
    ErrRuleLine => "无法识别“{0}”：每行写一条标准和分值，如“创新性 25”", "Cannot read \"{0}\": one criterion and its points per line, e.g. \"Innovation 25\"";
    ErrBadYear => "年度不正确", "Not a valid year";
    RuTitle => "本机构规则", "This office's rules";
    RsHandDown => "上级部署的规定动作待交办（{0}）", "A mandated task to hand down ({0})";
    NtSource => "依据：", "Under: ";
    DpMore => "再显示{0}项（共{1}项）", "Show {0} more ({1} in all)";
    SvManual => "手动下发通知", "Issue a notice by hand";
    SvManualHint => "交办单用于把上级文件部署的任务交给责任单位，须写明上级文件和回复期限；其他通知也可在此直接下发。", "An assignment notice hands a task from a higher-level document to a unit (name the document and a reply date); any other notice can be issued here too.";
    SvItemOptional => "涉及事项（可不填，输入名称查找）", "Item concerned (optional; type to find it)";
    ItemRecord => "工作记录", "Record of work";
    ItemReports => "月度进展", "Monthly reports";
    ItemNotices => "督办通知及回复", "Notices and replies";
    DpMonth => "月份", "Month";
    LbDue => "应开展回头看", "Look-backs due";
    LbDueOn => "应于{0}前开展", "due by {0}";
    LbFollowUp => "成效减弱或反弹，待跟进", "Results slipping: follow-up needed";
    LbFollowUpHint => "写明要求或理由，然后下发督办通知（催办单，15日内回复）或重新打开事项。", "Write the requirement or reason, then issue a notice (urging, reply within 15 days) or reopen the item.";
    LbIssueNotice => "下发督办通知", "Issue a notice";
    LbReopen => "重新打开事项", "Reopen the item";
    LbFinding => "回头看结论", "Finding";
    PrRule => "本年推广分数线 {0} 分，每批最多 {1} 项。可勾选，也可按分数线或排名选取。", "This year: promotion line {0}, at most {1} per batch. Tick items, or pick by the line or by rank.";
    PrPickLine => "选取达到分数线的", "Pick those at or above the line";
    PrSave => "建立推广批次（已选{0}项）", "Create the batch ({0} picked)";
    PlItem => "试点事项", "Pilot item";
    RuYear => "适用年度", "Year";
    RuAcceptCriteria => "验收专家评分标准", "Acceptance criteria";
    RuAcceptHint => "每行一条：标准名称 分值（合计100）", "One per line: criterion and points (adding up to 100)";
    RuWeightExperts => "专家评分权重%", "Experts' weight %";
    RuWeightPublic => "群众满意度权重%", "Public satisfaction weight %";
    RuWeightOutcomes => "成效指标权重%", "Outcomes weight %";
    RuVeto => "满意度否决线", "Satisfaction veto line";
    RuMinSample => "最少样本数", "Minimum sample";
    RuHighlight => "出圈评审标准", "Highlight criteria";
    RuHighlightHint => "每行一条：标准名称 权重（合计100；评审每条打0–10分）", "One per line: criterion and weight (adding up to 100; reviewers score each 0–10)";
    RuPromoteMin => "推广分数线（满分100）", "Promotion line (of 100)";
    RuPromoteMax => "每批最多推广", "At most per batch";
    RuLookback => "验收后几个月回头看（0为不安排）", "Look-back months after acceptance (0: none)";
    RuSaved => "已保存。已记录的验收和评分结果不受影响。", "Saved. Results already recorded are not affected.";
    RuGrades => "等次分数线（优秀/良好/合格）", "Grade lines (excellent / good / pass)";

    OrgRestore => "恢复", "Restore";
    OrgRetire => "停用", "Retire";
    OrgMembers => "成员单位", "Member units";
    OrgNoGroup => "（不属于专项小组）", "(no special group)";
    OrgUnfiled => "事项中有尚未建档的名称", "Names used by items but not yet on file";
    OrgUnfiledHint => "这些单位或领导只以文字出现在事项里。建档后可在列表中选用、改名、停用和合并；若是错别字，建档后用下方“合并重复”归并。", "These units or officials appear only as text in items. File them to pick, rename, retire and merge them; for a typo, file it and merge it below.";
    OrgUsedBy => "{0}项事项", "{0} items";
    OrgFileAll => "全部建档", "File them all";
    OrgMergeTitle => "合并重复", "Merge duplicates";
    OrgMergeHint => "把重复或写错的记录（如“县教肓局”）合并到保留的记录（“县教育局”）：本机构的事项改用保留的名称，原名作为曾用名保留，其他机构文件中的原名也按保留的记录统计。", "Fold a duplicate or misspelt record into the one kept: this office's items take the kept name, the old one is kept as a former name, and other offices' files that use it are counted under the kept record.";
    OrgMergeKind => "类别", "Kind";
    OrgMergeFrom => "合并（重复的）", "Merge (the duplicate)";
    OrgMergeInto => "到（保留的）", "Into (the one kept)";
    OrgMergePreview => "将改写本机构 {0} 项事项；其他机构的 {1} 项事项保留原文字，按保留的记录统计。", "{0} of this office's items will be rewritten; other offices' items ({1}) keep their text and are counted under the kept record.";
    OrgMerge => "合并…", "Merge…";
    OrgMergeConfirm => "确认合并", "Confirm merge";
    OrgMerged => "已合并：改写 {0} 项事项，其他机构 {1} 项按曾用名归并。", "Merged: {0} items rewritten; {1} items of other offices counted through the former name.";
    OrgSimilar => "名称相近，可能重复：", "Similar names, possibly duplicates:";
    OrgPick => "选中合并", "Pick";
    OrgAddAndSave => "确认新建以上名称并保存", "Add these names and save";
    OrgAliases => "曾用名", "Former names";
    OrgMergedInto => "已合并到", "Merged into";
    ErrStorage => "保存到浏览器存储失败：{0}。您输入的内容仍保留在本页，请导出备份或释放存储空间后重试。", "Saving to browser storage failed: {0}. What you entered is still on this page; export a backup or free storage space, then try again.";
    ErrStorageOpen => "无法打开浏览器数据库：{0}。本次修改只保存在当前页面中。", "Cannot open the browser database: {0}. Changes are kept on this page only.";
    ErrQuota => "浏览器存储空间已满", "browser storage is full";
    // Navigation and screens
    NavRegistry => "改革事项台账", "Registry";
    NavOrg => "组织架构", "Organisation";
    NavSettings => "设置", "Settings";
    NavNewItem => "新增事项", "New item";
    LangSwitch => "English", "中文";
    SetupTitle => "欢迎使用改革台账", "Welcome to the Reform Registry";
    SetupIntro => "本工具在浏览器中保存本单位的改革任务台账，无需服务器，可离线使用，通过文件与上下级改革办交换数据。首先设置本机构，或载入示例台账先行了解。", "This tool keeps your office's reform registry in the browser — no server, works offline, exchanges data with other offices as files. Set up your office first, or load the demo registry to look around.";
    SetupOffice => "设置本机构", "Set up this office";
    SetupCreate => "创建台账", "Create registry";
    SetupDemo => "载入示例台账", "Load the demo registry";
    SetupDemoHint => "示例取自平原、红安、开江、黄龙、淄博的公开报道", "Examples from public reports on Pingyuan, Hong'an, Kaijiang, Huanglong and Zibo";
    Loading => "正在载入…", "Loading…";
    ExStepChecking => "核验文件（格式、摘要、签名）", "Checking the file (format, digest, signatures)";
    ExStepComparing => "比对本机台账", "Comparing with this registry";
    ExStepRules => "核对归属与状态规则", "Checking ownership and status rules";
    SvNoSuchItem => "没有名为“{0}”的事项：请从输入时列出的事项中选择", "No item is called \"{0}\": pick one of the items listed as you type";
    ExApplying => "正在写入本机台账…", "Writing into this registry…";
    ExWorkerFailed => "导入程序未能启动或中途停止，台账未作任何改动。请刷新页面后重试。", "The import could not start or stopped part-way; nothing was changed. Reload the page and try again.";
    ExWorkerStopped => "写入时导入程序中途停止。台账已按本机存储重新读取：该文件要么已全部导入，要么完全未导入。", "The import stopped while writing. The registry has been read again from storage: the file was imported either completely or not at all.";
    ExReloadFailed => "导入后未能重新读取台账：{0}。为免覆盖已保存的内容，本页暂不接受修改，请刷新页面。", "The registry could not be read back after the import: {0}. So as not to overwrite what is stored, this page takes no changes now: reload the page.";
    ExUnsavedFirst => "还有修改尚未保存，请待保存完成后再导入。", "Some changes are not saved yet: wait until they are saved, then import.";
    ExCancel => "取消导入", "Cancel import";
    ExCancelled => "已取消导入，台账未作任何改动。", "Import cancelled; nothing was changed.";
    ExReadingFile => "正在读取第 {0}/{1} 个文件：{2}", "Reading file {0} of {1}: {2}";
    LoadingShare => "已读取 {0}%", "{0}% read";
    Search => "搜索事项名称、单位、领导、标签…", "Search title, unit, official, tag…";
    All => "全部", "All";
    FilterOverdue => "仅看逾期", "Overdue only";
    SortLabel => "排序", "Sort";
    SortDeadline => "按完成时限", "By deadline";
    SortTitle => "按名称", "By title";
    SortStatus => "按状态", "By status";
    SortUpdated => "按最近修改", "Recently changed";
    CountShown => "共 {0} 项，显示 {1} 项", "{1} of {0} items";
    Overdue => "逾期", "Overdue";
    OverdueDays => "逾期{0}天", "{0} days overdue";
    DaysLeft => "剩{0}天", "{0} days left";
    MilestoneLate => "节点“{0}”逾期{1}天", "Milestone “{0}” {1} days overdue";
    NoItems => "没有符合条件的事项", "No items match";
    ShowMore => "显示更多（还有{0}项）", "Show more ({0} more)";
    Save => "保存", "Save";
    Cancel => "取消", "Cancel";
    Close => "关闭", "Close";
    Edit => "编辑", "Edit";
    Actions => "操作", "Actions";
    SkipToContent => "跳到正文", "Skip to content";
    CrInnovation => "创新性", "Innovation";
    CrParticipation => "群众参与度", "Public participation";
    CrResults => "改革成效", "Results";
    CrImportance => "重要性", "Importance";
    CrSavings => "节约成本", "Cost savings";
    CrReplicable => "可复制推广", "Replicability";
    CrExample => "示范带动", "Demonstration effect";
    CrImpact => "社会影响", "Social impact";
    CrBenefit => "群众受益", "Public benefit";
    PhOfficeName => "例：平原县委改革办", "e.g. Pingyuan County Reform Office";
    PhParentOffice => "例：德州市委改革办", "e.g. Dezhou City Reform Office";
    Delete => "删除", "Delete";
    ConfirmDelete => "确定删除该事项？删除也会同步给其他机构。", "Delete this item? The deletion is also sent to other offices.";
    Back => "返回台账", "Back to registry";
    Add => "添加", "Add";
    Remove => "移除", "Remove";
    Saved => "已保存", "Saved";
    NotSaved => "未保存", "Not saved";
    ItemNew => "新增改革事项", "New reform item";
    ItemEdit => "编辑改革事项", "Edit reform item";
    SectionBasics => "基本信息", "Basics";
    SectionPlan => "挂图作战", "Plan";
    SectionDuty => "责任分工", "Responsibility";
    SectionOutcome => "成效与文件", "Outcomes and documents";
    StatusChange => "变更状态", "Change status";
    StatusTo => "变为“{0}”", "Move to \"{0}\"";
    NoNextStatus => "该状态为终态", "This is a final state";
    History => "变更记录", "History";
    HistoryEmpty => "暂无记录", "No history yet";
    HistoryBy => "{0}（{1}）", "{0} ({1})";
    ChangedFields => "修改了：{0}", "Changed: {0}";
    Created => "创建", "Created";
    DeletedMark => "已删除", "Deleted";
    Conflict => "有冲突", "Conflict";
    ItemNotFound => "找不到该事项", "Item not found";
    OrgUnits => "责任单位", "Responsible units";
    OrgGroups => "改革专项小组", "Special groups";
    OrgOfficials => "领衔领导", "Leading officials";
    OfficeInfo => "本机构", "This office";
    OfficeId => "机构编号", "Office id";
    PersistGranted => "浏览器已同意持久保存本台账", "The browser keeps this registry persistently";
    PersistDenied => "浏览器未承诺持久保存：请定期导出备份", "The browser has not promised to keep the data: export backups regularly";
    StorageUnavailable => "浏览器存储不可用（可能是隐私模式）：修改只保存在当前页面，关闭前请导出备份。", "Browser storage is unavailable (private mode?): changes live on this page only; export a backup before closing.";
    SummaryTotal => "事项总数", "Items";
    SummaryInProgress => "推进中", "In progress";
    SummaryDone => "已完成", "Done";
    SummaryOverdue => "逾期", "Overdue";
    Footer => "数据仅保存在本机浏览器中", "Data is stored in this browser only";
    None_ => "（无）", "(none)";
    NtHead => "经核查，你单位牵头的改革事项“{0}”{1}。", "Our review found that the reform item(s) \"{0}\" led by your unit: {1}. ";
    NtHeadMany => "经核查，你单位牵头的{0}项改革事项：{1}。", "Our review found, of {0} reform items led by your unit: {1}. ";
    NtOneOfMany => "“{0}”{1}", "\"{0}\": {1}";
    SvItemsMore => "{0}等{1}项", "{0} and others ({1} items)";
    NtAskReminder => "请对照任务目标和完成时限抓紧推进，确保按期完成。", "Please push ahead so the item finishes on time.";
    NtAskAssignment => "现交由你单位办理，请按要求落实并及时报送进展。", "It is assigned to your unit; report progress as required.";
    NtAskUrging => "请于回复期限前报送推进情况和整改措施。", "Report progress and corrective measures before the reply deadline.";
    NtAskOrder => "现责令你单位限期整改，并于回复期限前书面报告整改结果。", "Your unit is ordered to rectify and report the result in writing before the reply deadline.";
    PhBatch => "第一批", "e.g. Batch 1";
    PhCategory => "便民 / 城市治理", "e.g. public services / urban governance";
    NoAcceptanceYet => "尚无验收结果", "No acceptance result yet";
    NavReviews => "评估验收", "Reviews";
    RvSave => "保存风险评估", "Save risk review";
    RvNone => "尚未评估", "Not reviewed yet";
    AcTitle => "验收评审（专家+群众+成效）", "Acceptance (experts + public + outcomes)";
    AcExperts => "专家评分", "Expert scores";
    AcExpert => "专家姓名", "Expert";
    AcAddExpert => "添加专家", "Add expert";
    AcSurvey => "群众满意度调查", "Public satisfaction survey";
    AcSatisfied => "满意", "Satisfied";
    AcBasic => "基本满意", "Fairly satisfied";
    AcDissatisfied => "不满意", "Dissatisfied";
    AcRespondents => "调查人数", "Respondents";
    AcRequired => "必达指标（未完成即不通过）", "Required outcomes (unmet = fail)";
    AcEvaluate => "计算并保存验收结果", "Compute and save";
    AcReport => "验收报告", "Acceptance report";
    AcReportTitle => "改革事项验收报告", "Reform item acceptance report";
    AcExpertsScore => "专家评审得分", "Expert score";
    AcTrimmed => "去掉最高分和最低分", "highest and lowest dropped";
    AcSatisfaction => "群众满意度", "Public satisfaction";
    AcOutcomes => "成效达成度", "Outcome achievement";
    AcComposite => "综合得分", "Composite score";
    AcGrade => "验收等次", "Grade";
    AcPassed => "验收通过", "Passed";
    AcFailed => "验收未通过", "Not passed";
    AcWeights => "权重：专家{0}%、群众{1}%、成效{2}%", "Weights: experts {0} %, public {1} %, outcomes {2} %";
    LbTitle => "回头看", "Look-back";
    LbAdd => "登记回头看", "Record a look-back";
    LbSlipped => "成效下滑", "Results slipped";
    LbCurrent => "当前数值", "Current figure";
    HlTitle => "“出圈”亮点评选", "Highlight selection";
    HlScore => "评分（每项0–10分）", "Score (0–10 each)";
    HlAvg => "平均总分", "Average total";
    HlReviewers => "评分人数", "Reviewers";
    PrTitle => "经验推广批次", "Promotion batches";
    PrCreate => "按排名选取前{0}项建立批次", "Create a batch from the top {0}";
    PlTitle => "试点线索", "Pilot leads";
    PlQuarter => "下达季度", "Quarter";
    PlWon => "已获批", "Won";
    PlPending => "争取中", "Pending";
    LvLow => "低", "Low";
    LvMedium => "中", "Medium";
    LvHigh => "高", "High";
    RvRisk => "风险评估", "Risk review";
    RvFeasibility => "可行性评估", "Feasibility";
    RvLegality => "合法性审查", "Legality review";
    RvStability => "社会稳定风险", "Social-stability risk";
    RvOpinion => "舆情风险", "Public-opinion risk";
    RvReviewer => "评估人", "Reviewer";
    RvFinding => "评估意见", "Finding";
    RvPass => "通过", "Passed";
    RvFailed => "未通过", "Failed";
    RvOverall => "综合风险等级", "Overall risk";
    RvDecision => "高风险决策", "Decision on high risk";
    RvProceed => "同意实施", "Proceed";
    GrExcellent => "优秀", "Excellent";
    GrGood => "良好", "Good";
    GrPass => "合格", "Pass";
    GrFail => "不合格", "Fail";
    LbSustained => "成效巩固", "Sustained";
    LbWeakened => "成效减弱", "Weakened";
    LbLapsed => "成效反弹", "Lapsed";
    PrBatchName => "推广批次名称", "Batch name";
    ErrReviewIncomplete => "“{0}”须填写评估意见、评估人和日期", "\"{0}\" needs a finding, a reviewer and a date";
    ErrDecisionReason => "高风险决策须写明理由", "A decision on high risk needs a written reason";
    ErrNoRiskReview => "尚未完成风险评估（可行性、合法性、社会稳定风险、舆情风险）", "The risk review (feasibility, legality, stability, public opinion) is missing";
    ErrLegalityFailed => "合法性审查未通过，不能提交深改委审定", "The legality review failed: the item cannot be approved";
    ErrHighRiskDecision => "综合风险等级为高，须先作出同意实施的决策并写明理由", "Overall risk is high: record a decision to proceed, with its reason, first";
    ErrNoAcceptance => "尚未完成验收评审", "No acceptance review yet";
    ErrAcceptanceFailed => "验收未通过，不能变为“已验收”", "Acceptance was not passed";
    ErrAcceptWeights => "专家、群众、成效权重合计须为100（当前为{0}）", "Expert, public and outcome weights must add up to 100 (now {0})";
    ErrFewExperts => "专家评审至少需要3名专家", "An expert panel needs at least 3 experts";
    ErrDuplicateExpert => "专家“{0}”重复或未填写姓名", "Expert \"{0}\" is duplicated or unnamed";
    ErrScoreRange => "“{0}”的“{1}”评分须在0到{2}之间", "The score of \"{0}\" for \"{1}\" must be between 0 and {2}";
    ErrSurveySum => "满意度调查人数不符：填报{0}人，分项合计{1}人", "Survey counts do not add up: {0} respondents reported, {1} counted";
    ErrSampleSmall => "满意度调查样本不足{0}人", "The survey sample is below {0}";
    ErrNoOutcomes => "该事项没有成效指标，无法评价成效", "The item has no outcome indicators to evaluate";
    ErrMissingOutcome => "成效指标“{0}”缺少完成值", "Outcome indicator \"{0}\" has no actual value";
    ErrNotCompleted => "只有“完成销号”的事项才能验收", "Only completed items can be accepted";
    ErrNotAccepted => "只有已验收的事项才能“回头看”", "Only accepted items get a look-back";
    ErrBatchSize => "每批推广经验须为1至{0}项", "A promotion batch holds 1 to {0} items";
    VetoSatisfaction => "群众满意度{0}%低于否决线", "Public satisfaction {0}% is below the veto line";
    VetoRequired => "必达指标“{0}”未完成", "Required outcome \"{0}\" was not met";
    NavDispatch => "月度调度", "Dispatch";
    NavSupervision => "督察督办", "Supervision";
    NavBulletin => "月度通报", "Bulletin";
    Print => "打印", "Print";
    FPercent => "进度%", "Percent";
    FDone => "本月工作进展", "Progress this month";
    FProblems => "存在问题", "Problems";
    FNextSteps => "下步打算", "Next steps";
    DpOnlyMissing => "只看未报", "Missing reports only";
    DpMonthStatus => "本月状态", "This month";
    DpReport => "进展报送", "Progress report";
    DpCorrect => "更正", "Correct";
    DpFile => "报送", "File";
    DpMilestone => "到达节点", "Milestone reached";
    SvProposals => "拟督办事项（待审核）", "Proposed notices (for review)";
    SvProposalsHint => "按督办规则自动提出，经审核拟稿后签发；系统不会自动签发任何通知。", "Proposed by the escalation rules; review, draft and issue them yourself. Nothing is issued automatically.";
    SvDraft => "拟稿", "Draft";
    SvIssue => "签发", "Issue";
    SvNotices => "已签发通知", "Issued notices";
    SvNumber => "文号", "Number";
    SvKind => "类型", "Type";
    SvIssued => "签发日期", "Issued";
    SvReplied => "已回复", "Replied";
    SvLate => "逾期未回复", "Reply overdue";
    SvWaiting => "待回复", "Awaiting reply";
    SvVisits => "督察走访记录", "Supervision visits";
    SvFindings => "发现问题", "Findings";
    SvFollowUp => "整改要求", "Follow-up required";
    SvRules => "督办规则", "Escalation rules";
    SvItems => "涉及事项", "Items concerned";
    RlReminder => "距时限几天内发提示单", "Reminder: days before the deadline";
    RlRisk => "临近时限预警天数", "At-risk window (days)";
    RlOrderOverdue => "逾期超过几天发责令书", "Order: days overdue";
    RlUnanswered => "催办单几天未回复升级", "Order: urging notice unanswered (days)";
    RlLastPlace => "连续几个月末位发责令书", "Order: months last in ranking";
    RlPattern => "文号格式（{year}年份，{n}序号）", "Serial pattern ({year}, {n})";
    RlBulletinPattern => "通报文号格式（{year}年份，{n}序号）", "Bulletin number pattern ({year} year, {n} serial)";
    BlTitle => "{0}年{1}月份全面深化改革工作通报", "Reform work bulletin, {1}/{0}";
    BlOverall => "总体情况", "Overview";
    BlOverallText => "纳入调度的改革事项共{0}项；本月应报{2}项，已报{1}项，未报{3}项。", "{0} items tracked. Reports due this month: {2}; filed: {1}; missing: {3}.";
    BlCompleted => "本月新完成", "Completed this month";
    BlOverdue => "逾期事项（按牵头单位）", "Overdue items by lead unit";
    BlMissing => "未报送进展的事项（按牵头单位）", "Items without this month's report, by lead unit";
    BlRanking => "考核排名", "Ranking";
    BlPraise => "表扬", "Praise";
    BlCriticism => "批评", "Criticism";
    BlUrged => "需加快推进的单位", "Units to speed up";
    BlNotices => "本月督办通知", "Notices issued this month";
    PbPublish => "发布{0}通报与排名", "Publish {0}";
    PbDone => "已发布，文号：{0}", "Published as {0}";
    PbDraft => "草稿（未发布）", "Draft (not published)";
    PbPublishedOn => "已发布：{0}，{1}", "Published: {0}, {1}";
    DbMonth => "{0}推进状态", "Status, {0}";
    DbMissing => "本月未报送进展 {0} 项（含逾期未报）→", "{0} reports missing this month (overdue items included) →";
    DbUnits => "逾期事项最多的单位", "Units with most overdue items";
    DbOverdueItems => "逾期事项", "Overdue items";
    ErrFutureMonth => "不能登记未来的时间（{0}）", "Cannot record a future date ({0})";
    ErrPercent => "完成进度须在0到100之间", "Percent complete must be between 0 and 100";
    ErrEmptyReport => "请填写完成进度、到达的节点或本月工作进展", "Fill in the percent, the milestone reached or the month's progress";
    ErrReportExists => "该事项{0}月份已填报；如需修改请使用“更正”", "This item already has a report for {0}; use \"Correct\" to change it";
    ErrNegativeDays => "天数须为0到3650之间的整数", "Days must be a whole number between 0 and 3650";
    ErrSerialPattern => "文号格式须包含{n}（序号）", "The serial pattern must contain {n}";
    ErrReplyByPast => "回复期限不能早于今天", "The reply deadline cannot be in the past";
    ErrReplyBeforeIssue => "回复日期不能早于通知签发日期", "The reply cannot be dated before the notice was issued";
    MsOverdue => "逾期", "Overdue";
    MsNoReport => "未报（未逾期）", "No report (not overdue)";
    MsAtRisk => "临近时限", "At risk";
    MsOnSchedule => "按期推进", "On schedule";
    MsDone => "已完成", "Done";
    MsNotStarted => "未启动", "Not started";
    MsWaiting => "待上级部署", "Awaiting deployment";
    MsStopped => "暂缓/终止", "Suspended / terminated";
    NkReminder => "提示单", "Reminder";
    NkAssignment => "交办单", "Assignment";
    NkUrging => "催办单", "Urging notice";
    NkOrder => "责令书", "Order to rectify";
    FAddressee => "主送单位", "Addressed to";
    FRequirement => "督办要求", "Requirement";
    FReplyBy => "回复期限", "Reply by";
    FReply => "回复内容", "Reply";
    FRepliedOn => "回复日期", "Replied on";
    FCorrection => "更正说明", "Correction";
    FVisitDate => "督察日期", "Visit date";
    RsOverdueLong => "逾期{0}天，超过责令整改时限", "{0} days overdue, past the limit for an order";
    RsUnanswered => "催办单{0}天未回复", "Urging notice unanswered for {0} days";
    RsOverdue => "已逾期{0}天", "{0} days overdue";
    RsNoReport => "{0}月份未报送进展", "No progress report for {0}";
    RsDeadlineNear => "距完成时限还有{0}天", "{0} days to the deadline";
    RsLastPlace => "连续{0}个月排名末位", "Last in the ranking {0} months running";
    ScYear => "年度综合得分（月度平均 × {0}% + 年终考核 × {1}%）", "Year-end result (monthly average × {0} % + year-end assessment × {1} %)";
    ScMonths => "已排名月数", "Months ranked";
    ScAvg => "月度平均分", "Monthly average";
    ScYearEnd => "年终考核得分", "Year-end assessment";
    ScComposite => "年度综合得分", "Year-end result";
    NavScoring => "考核排名", "Scoring";
    ScPlans => "考核方案", "Assessment plans";
    ScNewPlan => "新建考核方案", "New plan";
    ScEditPlan => "编辑方案", "Edit plan";
    ScNoPlan => "尚无考核方案。新建方案时会按本台账的责任单位预填考核对象和五类评分方法的指标，可再修改。", "No plan yet. A new plan is prefilled with this registry's units and indicators using all five scoring methods; edit as needed.";
    ScSubjectsHint => "每行一个考核对象；与专项小组得分按权重合成时写作：单位 | 专项小组 | 权重%（不写权重则取组织架构中该专项小组的权重）", "One unit per line; to blend with a special group's score write: unit | group | weight %";
    ScMethodRatio => "完成比例（可超额封顶）", "Ratio to target (capped)";
    ScMethodRubric => "等次评价", "Rubric levels";
    ScMethodDeduction => "扣分制", "Deduction";
    ScMethodComputed => "台账自动计算", "Computed from registry";
    ScMethodBonus => "加分项（单独封顶）", "Bonus (own cap)";
    ScParamHint => "比例：封顶系数；等次：好=30、较好=24…；扣分/加分：每次分值；自动：on_schedule（按期推进率）或 completion（完成率）", "Ratio: cap; rubric: good=30, fair=24…; deduction/bonus: points per event; computed: on_schedule or completion";
    ScMonth => "月份", "Month";
    ScMonthN => "{0}月", "Month {0}";
    ScFigures => "{0}月份考核数据录入", "Figures for month {0}";
    ScAuto => "自动", "auto";
    ScSaveFigures => "保存本月数据", "Save figures";
    ScRanking => "{0}月份考核排名", "Ranking, month {0}";
    ScRank => "名次", "Rank";
    ScChange => "较上月", "vs last month";
    ScUnit => "考核对象", "Unit";
    ScTotal => "得分", "Score";
    ScBonus => "加分", "Bonus";
    ScNotComputed => "本月数据不完整，暂不排名：", "This month's figures are incomplete; no ranking yet:";
    ScExplain => "得分说明：{0}", "How {0} scored";
    ScInput => "数据", "Figure";
    ScPoints => "得分", "Points";
    ScItemsCounted => "计入事项：{0}", "Items counted: {0}";
    ScTrend => "月度得分走势", "Monthly trend";
    ScPrint => "打印排名表", "Print ranking";
    ScPrintTitle => "{0}年{1}月份全面深化改革工作排名通报", "Reform work ranking, {0}-{1}";
    ScNew => "新", "new";
    FPlanName => "考核方案名称", "Plan name";
    FMaxPoints => "分值", "Points";
    FCap => "封顶", "Cap";
    FPerEvent => "每次分值", "Points per event";
    FCount => "次数", "Count";
    FMethod => "评分方法", "Scoring method";
    FMonthlyShare => "月度得分占年度比例（%）", "Monthly share of the year-end result (%)";
    FBands => "红/绿分界", "Red / green thresholds";
    FSubjects => "考核对象", "Units ranked";
    FIndicatorGroup => "指标组", "Group";
    ErrPlanNoSubjects => "考核方案须至少有一个考核对象", "The plan needs at least one unit to rank";
    ErrPlanNoIndicators => "考核方案须至少有一项指标", "The plan needs at least one indicator";
    ErrMaxPoints => "指标“{0}”的分值须大于0", "The points of \"{0}\" must be greater than 0";
    ErrCapBelowOne => "指标“{0}”的封顶系数不能小于1", "The cap of \"{0}\" cannot be below 1";
    ErrRubric => "指标“{0}”的评价等次须有名称，分值在0与满分之间", "The levels of \"{0}\" need names and points between 0 and the maximum";
    ErrPerEvent => "指标“{0}”的每次分值和封顶分须大于0", "The points per event and the cap of \"{0}\" must be greater than 0";
    ErrPointsSum => "基础指标分值合计须为100分（当前为{0}分）", "The base indicators must add up to 100 points (now {0})";
    ErrShare => "月度得分占比须在0%到100%之间", "The monthly share must be between 0 % and 100 %";
    ErrBands => "红色分界不能高于绿色分界", "The red threshold cannot be above the green one";
    ErrMissingFigure => "缺少“{0}”的“{1}”数据", "Missing figure: \"{1}\" for \"{0}\"";
    ErrWrongFigure => "“{0}”的“{1}”数据与评分方法不符", "The figure for \"{1}\" of \"{0}\" does not fit its scoring method";
    ErrTargetZero => "“{0}”的“{1}”目标值须大于0", "The target of \"{1}\" for \"{0}\" must be greater than 0";
    ErrNegative => "“{0}”的“{1}”不能为负数或小数", "\"{1}\" for \"{0}\" cannot be negative or fractional";
    ErrNoConflict => "该字段没有待处理的冲突", "This field has no open conflict";
    NavExchange => "数据交换", "Exchange";
    NavKnown => "已知机构", "Known offices";
    KnownTitle => "已知机构与签名密钥", "Known offices and their signing keys";
    KnownIntro => "每个机构有自己的签名密钥，导出的文件都带签名。第一次收到某机构的文件时登记其密钥；以后密钥不符的文件会被拒绝。请通过电话与对方核对指纹（一串数字）。", "Each office has its own signing key and signs every file it exports. The first file from an office registers its key; later files with another key are refused. Check fingerprints (a string of digits) with each office by phone.";
    KnownMine => "本机构指纹", "This office's fingerprint";
    KnownMineHint => "对方来电核对时，请读出这串数字。", "Read these digits out when another office phones to check.";
    KnownNoKey => "本机构尚无签名密钥（请刷新页面）。", "This office has no signing key yet (reload the page).";
    KnownColOffice => "机构", "Office";
    KnownColFingerprint => "指纹", "Fingerprint";
    KnownColFirst => "首次收到", "First seen";
    KnownColLast => "最近来件", "Last file";
    KnownColState => "状态", "State";
    KnownStUnsigned => "未签名（仅收到未签名内容）", "Unsigned (only unsigned content received)";
    KnownStFirstUse => "首次使用时登记", "Registered on first file";
    KnownStRoster => "经{0}名册确认", "Confirmed by {0}'s roster";
    KnownStAccepted => "新密钥已人工确认", "New key accepted by a person";
    KnownStRotated => "已换用新密钥（旧密钥签名确认）", "Key rotated (signed by the old key)";
    KnownHistory => "密钥记录", "Key history";
    KnownEvent => "{0}：{1}（{2}）", "{0}: {1} ({2})";
    KnownHowFirstUse => "首次登记", "first registered";
    KnownHowAccepted => "人工接受新密钥", "new key accepted";
    KnownHowRotation => "旧密钥签名换用", "rotated by the old key";
    KnownHowRoster => "名册登记", "registered from a roster";
    KnownNone => "尚未收到其他机构的文件。", "No files from other offices yet.";
    KnownNever => "仅经其他机构转来", "Only relayed by others";
    ErrRosterIssuer => "名册由“{0}”签发，但本机尚未登记该机构的密钥，名册不能为自己作证。请先导入该机构的交换文件并电话核对指纹，再导入名册。未导入任何内容。", "The roster was issued by \"{0}\", whose key is not registered here, and a roster cannot vouch for itself. Import a file from that office first and check its fingerprint by phone, then import the roster. Nothing was imported.";
    BkShortPass => "口令至少{0}个字符。请记住它：没有口令，备份无法恢复。", "The passphrase needs at least {0} characters. Remember it: without it the backup cannot be restored.";
    BkExchangeFile => "这是交换文件，不是备份文件。交换文件请在“数据交换”页导入；恢复本机构请选择“备份”文件（.backup.json）。未做任何更改。", "This is an exchange file, not a backup. Import exchange files on the Exchange page; to restore this office choose a backup file (.backup.json). Nothing was changed.";
    BkNotBackup => "这不是改革台账的备份文件，未做任何更改。", "This is not a Reform Registry backup file; nothing was changed.";
    BkDamaged => "备份文件已损坏或被改动，无法恢复，未做任何更改。请换用另一份备份。", "The backup file is damaged or was altered and cannot be restored; nothing was changed. Use another backup.";
    BkWrongPass => "口令不正确，未做任何更改。", "Wrong passphrase; nothing was changed.";
    BkTitle => "备份与恢复", "Backup and restore";
    BkHint => "备份文件含本机构全部台账、已知机构与签名密钥（密钥用您设定的口令加密）。换电脑或重装浏览器后，可在首页“从备份恢复”，恢复为同一机构，文号连续。请把备份保存在本机以外的地方。", "A backup holds this office's whole registry, its known offices and its signing key (sealed with a passphrase you choose). On a new computer or after reinstalling the browser, choose \"Restore from backup\" on the first screen to come back as the same office, with document numbering continuing. Keep backups somewhere other than this computer.";
    BkPass => "备份口令", "Backup passphrase";
    BkPass2 => "再次输入口令", "Passphrase again";
    BkPassMismatch => "两次输入的口令不一致。", "The two passphrases differ.";
    BkDownload => "下载备份", "Download backup";
    BkMade => "已下载备份 {0}（{1}项变更）。", "Downloaded the backup {0} ({1} changes).";
    BkLast => "上次备份：{0}", "Last backup: {0}";
    BkNever => "尚未备份", "Never backed up";
    BkDue => "距上次备份已超过7天，或已有50项以上新变更。", "Your last backup is over 7 days old, or 50 or more changes were made since.";
    BkDueAction => "立即备份", "Back up now";
    BkRestoreTitle => "从备份恢复", "Restore from backup";
    BkRestoreHint => "换了电脑或重装了浏览器：选择本机构的备份文件并输入备份口令，恢复为同一机构。", "New computer or reinstalled browser: choose this office's backup file and enter its passphrase to come back as the same office.";
    BkRestore => "恢复", "Restore";
    BkRestoreFile => "备份文件", "Backup file";
    BkRestored => "已恢复“{0}”（备份于{1}，{2}项变更）。请导入其他机构最近发来的文件，以取回备份之后的数据。", "Restored \"{0}\" (backed up {1}, {2} changes). Import the latest files from other offices to get back what was done after the backup.";
    BkWorking => "正在处理……", "Working…";
    StorageTitle => "本机存储", "Storage in this browser";
    StorageUse => "已用 {0} MB，可用上限约 {1} MB。", "{0} MB used of about {1} MB available.";
    PersistExplain => "浏览器在磁盘空间不足时可能清除未获持久保存许可的网站数据。请允许持久保存，并定期备份。", "When disk space runs low the browser may delete data of sites it has not promised to keep. Allow persistent storage, and back up regularly.";
    ResetTitle => "清除本机数据", "Clear this browser's data";
    ResetHint => "删除本浏览器中的全部台账（例如离开示例台账、交还电脑）。删除前请先下载备份。输入本机构名称“{0}”以确认。", "Deletes the whole registry in this browser (e.g. to leave the demo, or before handing the computer on). Download a backup first. Type this office's name \"{0}\" to confirm.";
    ResetConfirm => "确认名称", "Confirm the name";
    ResetDo => "清除全部数据", "Clear all data";
    ResetDone => "本机数据已清除。", "This browser's data was cleared.";
    NavTrash => "回收站", "Recycle bin";
    TrashTitle => "回收站：已删除的记录", "Recycle bin: deleted records";
    TrashHint => "删除不会真正抹去记录。本机构的记录可在此恢复，恢复会像其他修改一样发给各机构；其他机构的记录只能由其自己恢复。", "Deleting never erases a record. This office's records can be restored here, and the restore reaches other offices like any change; other offices' records only they can restore.";
    TrashNone => "没有已删除的记录。", "No deleted records.";
    TrashColName => "记录", "Record";
    TrashColBy => "删除人", "Deleted by";
    TrashColWhen => "删除时间", "Deleted at";
    TrashRestore => "恢复", "Restore";
    TrashRestored => "已恢复“{0}”。", "Restored \"{0}\".";
    TrashOthers => "由该机构恢复", "Its office restores it";
    ExDeletedList => "将删除：{0}", "Will be deleted: {0}";
    ErrStillLoading => "正在读取历史月报，请稍候再操作。", "The monthly report history is still being read; try again in a moment.";
    HistoryLoading => "正在读取历史月报…", "Reading the monthly report history…";
    ErrImportBusy => "正在导入文件：导入完成或取消之前，台账暂不能修改。", "A file is being imported: the registry takes no change until the import is finished or cancelled.";
    ErrReadOnlyTab => "本台账已在另一个标签页中打开，此页只能查看。请到那个标签页操作，或关闭它后此页即可编辑。", "This registry is open in another tab; this one can only show it. Work in that tab, or close it and this one becomes editable.";
    CollOffice => "机构", "Offices";
    CollUnit => "单位", "Units";
    CollGroup => "专项小组", "Special groups";
    CollOfficial => "领导", "Officials";
    CollItem => "改革事项", "Reform items";
    CollPlan => "考核方案", "Assessment plans";
    CollScoreInput => "考核数据", "Assessment figures";
    CollReport => "月度进展", "Monthly reports";
    CollNotice => "督办通知", "Supervision notices";
    CollVisit => "督察走访", "Supervision visits";
    CollReview => "评审记录", "Reviews";
    CollLookback => "回头看", "Look-backs";
    CollPromotion => "经验推广", "Promotions";
    CollPilotLead => "试点线索", "Pilot leads";
    CollPublication => "月度发布", "Published months";
    ExFileError => "文件“{0}”：{1}", "File \"{0}\": {1}";
    ExFiles => "已选 {0} 个文件，合并预览，一次导入。", "{0} files chosen: previewed together, imported in one step.";
    DiffNew => "新增", "New";
    DiffChanged => "修改", "Changed";
    DiffDeleted => "删除", "Deleted";
    DiffShowMore => "再显示 {0} 条（尚余 {1} 条）", "Show {0} more ({1} not shown)";
    DiffEmpty => "（空）", "(empty)";
    KnownRosterTitle => "密钥名册", "Key roster";
    KnownRosterHint => "上级改革办可导出本机已登记的全部密钥（带签名），下级机构导入后即可识别各机构，无需等待首个文件。", "A superior office can export every key it has registered, signed; offices that import it recognise each office without waiting for a first file.";
    KnownExportRoster => "导出密钥名册", "Export key roster";
    KnownImportRoster => "导入密钥名册", "Import key roster";
    KnownRosterDone => "已登记或确认{0}个机构的密钥。", "Registered or confirmed the keys of {0} offices.";
    KnownRosterExported => "已导出名册 {0}（{1}个机构）。", "Exported the roster {0} ({1} offices).";
    KnownRotateTitle => "更换本机构密钥", "Replace this office's key";
    KnownRotateHint => "怀疑密钥泄露时使用。新密钥由旧密钥签名确认，其他机构收到下一个文件时自动换用，无需核对。", "Use this if the key may have leaked. The old key signs the new one; other offices switch with the next file, without a phone check.";
    KnownRotate => "生成新密钥", "Make a new key";
    KnownRotateConfirm => "确定更换本机构的签名密钥吗？", "Replace this office's signing key?";
    KnownRotated => "已换用新密钥，新指纹：{0}", "New key in use; new fingerprint: {0}";
    ExAcceptKey => "已电话核对，接受新密钥并导入", "Checked by phone: accept the new key and import";
    SigFirstUse => "签名有效。首次收到该机构的文件，将登记其密钥，指纹 {0}。请电话与对方核对。", "Signature valid. The first file from this office: its key will be registered, fingerprint {0}. Check it with them by phone.";
    SigKnown => "签名有效，与已登记的密钥一致（指纹 {0}）。", "Signature valid, by the registered key (fingerprint {0}).";
    SigRotated => "签名有效。该机构已换用新密钥（由旧密钥签名确认），新指纹 {0}。", "Signature valid. This office has rotated its key (signed by the old one); new fingerprint {0}.";
    SigUnsigned => "未签名：由旧版本导出。该机构的密钥尚未登记，可以导入，但无法证明文件来源。", "Unsigned: exported by an older version. This office's key is not registered, so the file can be imported, but its origin cannot be proven.";
    SigAuthorsNew => "本文件还将登记以下机构的密钥（其内容经发送机构转来，请电话核对指纹）：{0}", "This file also registers the keys of these offices (their content was passed on by the sender; check the fingerprints by phone): {0}";
    SigAuthorsUnsigned => "以下机构的内容未签名（经转来而无其签名）：{0}", "Content of these offices is unsigned (relayed without their signature): {0}";
    NavConflicts => "冲突处理", "Conflicts";
    ExExport => "导出交换文件", "Export an exchange file";
    ExExportHint => "把本机的台账发给其他机构（U盘、邮件、即时通讯均可）。增量文件只含对方尚未收到的内容。", "Send this registry to another office (USB stick, e-mail, chat). A delta file holds only what the receiver has not seen.";
    ExReceiver => "接收机构", "Receiving office";
    ExAnyOffice => "其他机构 / 备份", "Another office / backup";
    ExFull => "全量", "Full";
    ExDelta => "增量", "Delta";
    ExDeltaUnavailable => "尚未收到过该机构的文件，只能导出全量", "No file received from this office yet: full export only";
    ExDownload => "导出文件", "Export file";
    ExExported => "已导出：{0}（{1}项变更）", "Exported: {0} ({1} changes)";
    ExExporting => "正在生成导出文件…", "Making the export file…";
    ExExportFailed => "导出程序未能启动或中途停止，未生成文件，台账未作任何改动。请刷新页面后重试。", "The export could not start or stopped part-way; no file was made and nothing was changed. Reload the page and try again.";
    ExImport => "导入文件（交换文件或Excel台账）", "Import (exchange file or Excel ledger)";
    ExImportHint => "选择或拖入其他机构发来的 .reform.json 文件，或本机构原有的Excel台账（.xlsx、.csv）。导入前先预览，确认后才会写入。", "Choose or drop a .reform.json file from another office, or your office's Excel ledger (.xlsx, .csv). You see a preview before anything changes.";
    ExChoose => "选择文件", "Choose file";
    ExDrop => "或将文件拖到此处", "or drop the file here";
    ExReading => "正在读取和校验文件…", "Reading and checking the file…";
    ExPreview => "导入预览", "Import preview";
    ExFrom => "来自：{0}（{1}）", "From: {0} ({1})";
    ExKindFull => "全量文件", "Full file";
    ExKindDelta => "增量文件", "Delta file";
    ExCounts => "新增 {0} 条、修改 {1} 条、删除 {2} 条记录（文件共 {3} 项变更，其中 {4} 项为本机没有的）", "Records: {0} new, {1} changed, {2} deleted ({3} changes in the file, {4} new to this office)";
    ExConflicts => "将产生冲突的字段", "Fields that will be in conflict";
    ExDuplicates => "可能重复的事项（名称、牵头单位、年度相同，不会自动合并）", "Possible duplicates (same title, lead unit and year; never merged automatically)";
    ExRestored => "文件中含有本机构自己更新的变更（至第{0}号）：本机似乎是从旧备份恢复的。导入后将接续编号。", "The file holds this office's own later changes (up to {0}): this browser seems restored from an old backup. Numbering continues after them.";
    ExApply => "确认导入", "Apply";
    ExNothingNew => "该文件的内容本机已全部拥有，未做任何更改。", "This office already holds everything in the file; nothing changed.";
    ExApplied => "已导入：{0} 项变更。", "Imported: {0} changes.";
    ReadOnlyKept => "本事项由{0}维护，本机构只能查看。", "This item is kept by {0}; this office can view it only.";
    ErrAlreadySetUp => "本机已设置为“{0}”，不能再设置一个机构。", "This browser is already set up as \"{0}\"; it cannot set up a second office.";
    ErrMonthNotOver => "{0}尚未结束，月末后才能发布", "{0} is not over yet; it can be published after the month ends";
    ErrAlreadyPublished => "{0}已于先前发布（{1}），已发布的结果不再改动；如需更正请“重新评分”", "{0} was already published ({1}); a published result does not change; to correct it, re-score";
    ErrPlanNotForMonth => "考核方案“{0}”不是本机构{1}所用的方案", "The plan \"{0}\" is not this office's plan for {1}";
    ErrNotPublished => "{0}尚未发布", "{0} has not been published";
    ErrPlanYearChange => "方案的年度不能修改；请为新年度新建方案", "A plan's year cannot change; create a new plan for the new year";
    FRescoreReason => "重新评分的理由", "Reason for re-scoring";
    ErrSheetKind => "无法识别的改革类型（可写作规定动作、特色项目、微改革、小切口、试点、创新、民生实事）", "Unknown kind of item (write 规定动作, 特色项目, 微改革, 小切口, 试点, 创新 or 民生实事)";
    ErrSheetDate => "无法识别的日期（可写作2026年6月底、2026.6、2026-06-30或长期坚持）", "Unrecognised date (write 2026年6月底, 2026.6, 2026-06-30 or 长期坚持)";
    ErrSheetDuplicateRow => "与第{0}行重复（同一事项名称和牵头单位）", "Repeats row {0} (same item name and lead unit)";
    ErrSheetHasErrors => "表格中有{0}处错误，未导入任何数据；可修改表格后重新导入，或选择只导入无误的行", "The sheet has {0} errors, so nothing was imported; correct the sheet and import it again, or choose to import only the rows without errors";
    XlNo => "序号", "No.";
    XlRegistry => "改革事项台账", "Reform items";
    XlRegistryTitle => "{0}改革事项台账", "{0}: reform items";
    XlDispatch => "月度调度", "Dispatch";
    XlDispatchTitle => "{0}{1}改革事项调度表", "{0}: dispatch, {1}";
    XlMissing => "未报清单", "Missing reports";
    XlMissingTitle => "{0}{1}未报送进展事项清单", "{0}: reports missing, {1}";
    XlReportedOn => "报送日期", "Reported on";
    XlRanking => "考核排名", "Ranking";
    XlRankingTitle => "{0}{1}{2}考核排名", "{0}: {1} ranking, {2}";
    XlBlended => "合成得分", "Blended";
    XlYear => "年度综合", "Year";
    XlYearTitle => "{0}{1}年度综合得分", "{0}: {1}, year composite";
    XlNotices => "督办通知登记", "Notices";
    XlNoticesTitle => "{0}督办通知登记表", "{0}: register of notices";
    XlRepliedOn => "回复日期", "Replied on";
    XlOldExcel => "这是旧版Excel文件（.xls）。请在Excel或WPS中“另存为”.xlsx后再导入。", "This is an old Excel file (.xls). Save it as .xlsx in Excel or WPS, then import it.";
    XlUnreadable => "无法读取这个表格文件（可能已损坏、加密，或不是Excel文件）。", "This spreadsheet cannot be read (it may be damaged, encrypted, or not an Excel file).";
    XlBadCsvLine => "CSV文件第{0}行无法读取。", "Line {0} of the CSV file cannot be read.";
    XlEmpty => "表格是空的。", "The spreadsheet is empty.";
    XlWorkerFailed => "表格处理程序未能载入（首次使用需联网一次）。", "The spreadsheet reader could not be loaded (it needs the network once, the first time).";
    XlNoHeader => "在表格前15行中找不到表头：表头须包含“事项名称”（或“改革事项”“改革任务”）及至少一个其他栏目，如“牵头单位”“完成时限”。", "No header row in the first 15 rows: it needs 事项名称 (or 改革事项 / 改革任务) and at least one other column such as 牵头单位 or 完成时限.";
    XlPreview => "导入表格“{0}”：预览", "Import “{0}”: preview";
    XlSheet => "工作表", "Sheet";
    XlMapping => "栏目对应（表头在第{0}行；可逐列调整，下次导入时记住）", "Columns (header on row {0}; adjust any column, remembered next time)";
    XlNotImported => "— 不导入 —", "— not imported —";
    XlCounts => "新建{0}项，更新{1}项，无变化{2}项，有错误{3}行（跳过空行、合计行、分类标题行{4}行）", "{0} to create, {1} to update, {2} unchanged, {3} rows with errors ({4} blank, total or heading rows skipped)";
    XlNewUnits => "将新建责任单位", "Units to add";
    XlNewOfficials => "将新建领衔领导", "Leading officials to add";
    XlNewGroups => "将新建专项小组", "Special groups to add";
    XlErrors => "有{0}处错误", "{0} errors";
    XlRow => "行", "Row";
    XlColumn => "栏目", "Column";
    XlValue => "内容", "Value";
    XlReason => "原因", "Reason";
    XlRows => "逐行处理（{0}行）", "Row by row ({0} rows)";
    XlCreate => "新建", "Create";
    XlUpdate => "更新：{0}", "Update: {0}";
    XlUnchanged => "无变化", "Unchanged";
    XlRefused => "有错误，不导入", "Error, not imported";
    XlWithoutRefused => "只导入无误的行（跳过有错误的{0}行）", "Import only the rows without errors (leave out {0} rows)";
    XlApply => "确认导入", "Import";
    XlImported => "已导入：新建{0}项，更新{1}项。新建的事项处于“谋划申报”，需经风险评估和深改委审定后推进。", "Imported: {0} created, {1} updated. New items start as proposals and go through review and approval.";
    XlExportXlsx => "导出Excel", "Export Excel";
    XlExportCsv => "导出CSV", "Export CSV";
    XlTooLarge => "表格过大：一个台账最多{0}行、{1}MB。请拆分后分批导入。", "The spreadsheet is too large: a ledger may have at most {0} rows and {1} MB. Split it and import the parts.";
    XlMoreErrors => "另有{0}处错误未列出。", "Errors not listed: {0}.";
    XlOneSheet => "表格文件请一次导入一个。", "Import spreadsheets one at a time.";
    XlIsBackup => "这是备份文件，请在“设置 → 从备份恢复”中使用。", "This is a backup file: use it in Settings → Restore from a backup.";
    XlIsRoster => "这是密钥名册，请在“已知机构”页面导入。", "This is a key roster: import it on the Known offices page.";
    XlUnknownFile => "无法识别的文件。可导入：其他机构的交换文件（.json）、Excel表格（.xlsx）或CSV文件。", "Unrecognised file. You can import an exchange file (.json), an Excel sheet (.xlsx) or a CSV file.";
    ScYearPrintTitle => "{0}年度全面深化改革工作综合考核排名", "Reform work: composite ranking for {0}";
    ScPrintYear => "打印年度排名", "Print the year's ranking";
    ScHowComputed => "计算过程", "How it was computed";
    OrgWeightsNot100 => "各专项小组权重合计应为100%；考核方案取用这些权重前须先补齐。", "The special groups' weights should add up to 100 %; a plan can take them only then.";
    ScGroupTable => "专项小组排名", "Special groups";
    ScOwnPoints => "本单位得分（不含加分）", "Own points (before bonus)";
    ScBlend => "与专项小组“{0}”得分合成", "Blended with the special group \"{0}\"";
    ErrGroupWeightOver => "专项小组权重合计将为{0}%，不能超过100%", "The special groups' weights would add up to {0} %; they cannot exceed 100 %";
    ErrGroupWeightsSum => "考核方案引用组织架构中的专项小组权重，但各专项小组权重合计为{0}%，须为100%", "The plan takes the special groups' weights from Organisation, but they add up to {0} %; they must add up to 100 %";
    ScCellsRefused => "有{0}项数据不符合要求，已在表中标出，本月数据未保存。", "{0} figures are not valid (marked in the table); nothing was saved.";
    FFromMonth => "修改自几月起生效", "This edit applies from";
    ScFromHint => "之前的月份仍按原方案计分；已发布的月份结果不变，如需按新方案重算，请在该月“重新评分”。", "Earlier months keep the version they were scored with; published months keep their result unless re-scored.";
    PbRescore => "重新评分", "Re-score";
    PbRescoreHint => "该月已发布。按该月适用的方案和现有数据计算，结果与已发布的不同：", "This month is published. Scored now with the month's plan version and today's figures, the result differs:";
    PbPublishedCol => "已发布", "Published";
    PbNowCol => "按现有数据", "Now";
    PbRescores => "重新评分记录", "Re-scores";
    PbRescoreLine => "{0}，{1}重新评分：{2}", "{0}, re-scored by {1}: {2}";
    PbNotOver => "月末后可发布本月排名与通报。", "This month can be published once it is over.";
    PbOtherPlan => "本月已按方案“{0}”发布。", "This month was published with the plan \"{0}\".";
    ErrYearEndRange => "“{0}”的年终考核得分须在0到200之间", "The year-end score of \"{0}\" must be between 0 and 200";
    ErrNotOwner => "此记录由{0}维护，本机构只能查看，不能修改。", "This record is kept by {0}; this office can view it but not change it.";
    ExOwnerRule => "文件中{0}修改了由{1}维护的记录“{2}”：只有维护该记录的机构才能修改它。文件可能被改动，未导入任何内容。", "In the file, {0} has changed the record \"{2}\" kept by {1}: only the office that keeps a record may change it. The file may have been altered; nothing was imported.";
    ExMoveRule => "文件中事项“{0}”的状态变更不符合规定：{1}。文件可能被改动，未导入任何内容。", "In the file, the status change of item \"{0}\" breaks the rules: {1}. The file may have been altered; nothing was imported.";
    ExStale => "预览之后本机台账已有变动，未导入任何内容。请重新选择该文件。", "The registry changed after the preview; nothing was imported. Choose the file again.";
    ExPeers => "往来机构", "Offices exchanged with";
    ExLastImport => "最近导入", "Last import";
    CfTitle => "待处理冲突", "Open conflicts";
    CfNone => "没有待处理的冲突", "No open conflicts";
    CfIntro => "不同机构同时修改了同一字段。系统暂时显示时间较晚的值，请选择保留哪一个，或填写新值。", "Offices changed the same field at the same time. The later value is shown for now; choose which to keep, or write a new one.";
    CfKeep => "采用此值", "Keep this";
    CfNewValue => "填写新值", "Write a new value";
    CfShown => "当前显示", "Shown now";
    CfDeleteRace => "该记录被删除，但其他机构同时做了修改", "This record was deleted while another office edited it";
    CfConfirmDelete => "确认删除", "Confirm delete";
    CfRestore => "恢复记录", "Restore record";
    Provenance => "字段来源", "Where fields came from";
    BErrTooLarge => "文件过大（{0} MB），超出可导入的上限，未导入任何内容。", "The file is too large ({0} MB); nothing was imported.";
    BErrNotJson => "文件无法读取（第{0}行第{1}列处中断）：可能已损坏、不完整或不是交换文件。未导入任何内容，请让发送方重新导出。", "The file cannot be read (it breaks off at line {0}, column {1}): it may be damaged, incomplete or not an exchange file. Nothing was imported; ask the sender to export it again.";
    BErrWrongFormat => "这不是改革台账的交换文件，未导入任何内容。", "This is not a Reform Registry exchange file; nothing was imported.";
    BErrNewer => "该文件由更新版本的改革台账导出（格式版本{0}），本机无法读取。请刷新页面更新到最新版本后再导入。", "This file was exported by a newer version (format {0}). Reload the page to update, then import it again.";
    BErrMalformed => "文件结构不正确（第{0}行第{1}列{2}），未导入任何内容。请让发送方用正式版本重新导出。", "The file's structure is wrong (line {0}, column {1} {2}); nothing was imported. Ask the sender to export it again with a released version.";
    BErrDuplicateKey => "文件第{0}行同一项目“{1}”出现了两次（不同软件会读出不同内容），未导入任何内容。", "Line {0} of the file gives \"{1}\" twice (different programs would read different values); nothing was imported.";
    BErrTruncated => "文件声称包含机构{0}至第{2}号的变更，实际只到第{1}号：文件不完整，未导入任何内容。", "The file claims office {0}'s changes up to {2} but holds them only up to {1}: it is incomplete; nothing was imported.";
    BErrBadStamp => "变更{0}的时间戳不可能由正常时钟产生，文件可能被改动，未导入任何内容。", "Change {0} carries a time stamp no clock produces; the file may have been altered. Nothing was imported.";
    BErrUnseenOver => "变更{0}声称替换了变更{1}，但其作者不可能见过后者（未来的或不存在的变更），文件可能被伪造，未导入任何内容。", "Change {0} claims to replace change {1}, which its author cannot have seen (a future or unknown change); the file may be forged. Nothing was imported.";
    BErrDigest => "文件校验失败：内容被改动或传输不完整。未导入任何内容，请让发送方重新导出。", "The file's checksum does not match: it was altered or truncated. Nothing was imported; ask the sender to export it again.";
    BErrFromSelf => "这是本机构自己导出的文件，无需导入。", "This file was exported by this office; there is nothing to import.";
    BErrMissingBase => "缺少机构{0}的更早数据（本机已有至第{1}号变更，此增量文件需要已有第{2}号）。请先导入该机构更早的文件，或请对方发送全量文件。", "Earlier data from office {0} is missing (this office holds up to change {1}; this delta needs {2}). Import that office's earlier file first, or ask for a full export.";
    BErrGap => "文件中机构{0}的变更不连续（应为第{1}号，实为第{2}号）：文件不完整，未导入任何内容。", "Changes of office {0} in the file are not continuous (expected {1}, found {2}): the file is incomplete; nothing was imported.";
    BErrFuture => "机构{0}的变更时间远在未来（{1}），可能是对方电脑时钟有误。未导入任何内容，请对方校正时钟后重新导出。", "A change from office {0} is dated far in the future ({1}); its computer clock is probably wrong. Nothing was imported; ask them to fix the clock and export again.";
    BErrCollision => "变更{0}在本机与文件中内容不同：可能有机构从旧备份恢复后继续录入。未导入任何内容，请与该机构核对。", "Change {0} differs between this office and the file: an office may have continued work after restoring an old backup. Nothing was imported; check with that office.";
    BErrOversized => "文件中有超长或超大的内容（{0}），未导入任何内容。", "The file holds an oversized entry ({0}); nothing was imported.";
    BErrBadSignature => "文件中{0}的签名无法验证：文件在签名后被改动，或并非该机构签发。未导入任何内容，请让对方重新导出。", "The signature of {0} in this file does not verify: the file was altered after signing, or was not signed by that office. Nothing was imported; ask for a new export.";
    BErrChainBroken => "文件中{0}的变更与其签名不符（签名后被改动）。未导入任何内容，请直接向{0}索取文件。", "The changes of {0} in this file do not match what it signed (altered after signing). Nothing was imported; ask {0} for its own file.";
    BErrKeyChanged => "{0}的签名密钥与本机登记的不同（登记的指纹 {1}，文件的指纹 {2}）。可能对方换了电脑或重装了浏览器，也可能文件是伪造的。请打电话给{0}，请对方在“已知机构”页读出本机构指纹；与文件的指纹一致时，点击“接受新密钥”后再导入。未导入任何内容。", "The signing key of {0} differs from the one registered here (registered fingerprint {1}, this file's {2}). That office may have a new computer or browser, or the file is forged. Phone {0} and ask them to read out their own fingerprint from the Known offices page; if it matches this file's, press \"Accept new key\" and import again. Nothing was imported.";
    BErrUnsigned => "文件中{0}的内容没有签名，而本机已登记{0}的密钥：可能是伪造的，或由旧版本导出。未导入任何内容，请让{0}用最新版本重新导出。", "The content of {0} in this file is unsigned, but this office has {0}'s key registered: it may be forged, or exported by an old version. Nothing was imported; ask {0} to export again with the current version.";
    BErrForkProven => "{0}对截至第{1}号的变更签署了两个不同版本，本机已有其中一版。未导入任何内容。请保留两份文件，交上级改革办核查。", "{0} signed two different versions of its changes up to number {1}; this office holds one of them. Nothing was imported. Keep both files and refer them to the superior reform office.";
    BErrFork => "本机已有的{0}截至第{1}号的变更与文件中的不同，其中一份可能是伪造的（本机那份未经{0}签名，或经其他机构转来）。未导入任何内容，请与{0}核对。", "The changes of {0} up to number {1} held here differ from those in the file; one of them may be forged (the copy here was not signed by {0}, or came through another office). Nothing was imported; check with {0}.";
    BErrUnknownColl => "文件包含本版本不认识的数据类型“{0}”。请刷新页面更新到最新版本后再导入。", "The file holds data of a kind this version does not know (\"{0}\"). Reload the page to update, then import again.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages_and_matching_placeholders() {
        for k in K::ALL {
            let (zh, en) = (t(Lang::Zh, *k), t(Lang::En, *k));
            assert!(!zh.is_empty() && !en.is_empty(), "{k:?}");
            for n in 0..4 {
                let p = format!("{{{n}}}");
                assert_eq!(zh.contains(&p), en.contains(&p), "{k:?} placeholder {p}");
            }
        }
    }

    #[test]
    fn placeholders_filled() {
        assert_eq!(tf(Lang::Zh, K::OverdueDays, &["3".into()]), "逾期3天");
    }

    #[test]
    fn english_counts_of_one_take_the_singular() {
        assert_eq!(tf(Lang::En, K::ExApplied, &["1".into()]), "Imported: 1 change.");
        assert_eq!(tf(Lang::En, K::ExApplied, &["2".into()]), "Imported: 2 changes.");
        assert_eq!(tf(Lang::En, K::ExApplied, &["11".into()]), "Imported: 11 changes.");
        assert_eq!(
            tf(Lang::En, K::ErrCompleteUnfinished, &["1".into(), "3".into()]),
            "1 milestone is not done and 3 outcome figures are empty: complete them, or write the reason for closing"
        );
        // Chinese has no plural; a word after the count that is not a listed noun stays.
        assert_eq!(tf(Lang::Zh, K::ExApplied, &["1".into()]), t(Lang::Zh, K::ExApplied).replace("{0}", "1"));
        assert_eq!(singular_after("{0} carries {0} items", "{0}"), "{0} carries {0} item");
        assert_eq!(
            tf(Lang::En, K::ErrCompleteUnfinished, &["2".into(), "1".into()]),
            "2 milestones are not done and 1 outcome figure is empty: complete them, or write the reason for closing"
        );
        assert_eq!(
            tf(Lang::En, K::ErrOrgInUse, &["1".into()]),
            "It is still named by 1 reform item (or units belong to the group): it cannot be deleted. Retire it instead"
        );
        assert_eq!(singular_after("{0} itemsets", "{0}"), "{0} itemsets", "only whole words");
        assert_eq!(
            tf(Lang::En, K::ExCounts, &["1", "1", "1", "1", "1"].map(String::from)),
            "Records: 1 new, 1 changed, 1 deleted (1 change in the file, 1 new to this office)"
        );
    }
}
