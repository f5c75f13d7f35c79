//! The demo registry: real examples from the seed articles (开江's micro-reforms with their
//! figures, 黄龙's small-incision reforms, 平原's pilots and highlights, 红安's special groups and
//! led projects, 淄博's mandated tasks), dated relative to today so deadlines look current.
//! Built through the same operations a user triggers, so it has a real change history.

use super::model::*;
use super::ops;
use super::tx::Tx;
use super::validate::DomainError;
use chrono::{Datelike, NaiveDate};

struct Spec {
    title: &'static str,
    kind: ItemKind,
    batch: &'static str,
    category: &'static str,
    lead: &'static str,
    coop: &'static [&'static str],
    official: &'static str,
    group: usize,
    goal: &'static str,
    path: &'static str,
    /// Deadline as a month offset from the current month (negative = already past).
    due_months: i32,
    /// (name, unit, target, actual)
    indicators: &'static [(&'static str, &'static str, f64, Option<f64>)],
    status: Status,
    tags: &'static [&'static str],
}

const GROUPS: &[(&str, f64, &str)] = &[
    ("经济体制和生态文明体制改革专项小组", 15.0, "常务副县长"),
    ("民主法制领域改革专项小组", 10.0, "县委政法委书记"),
    ("文化体制改革专项小组", 8.0, "县委宣传部部长"),
    ("社会体制改革专项小组", 12.0, "分管副县长（社会事业）"),
    ("党的建设制度改革专项小组", 10.0, "县委组织部部长"),
    ("农村改革专项小组", 12.0, "分管副县长（农业农村）"),
];

const OFFICIALS: &[(&str, &str)] = &[
    ("县委书记", "县委深改委主任"),
    ("县长", "县委深改委副主任"),
    ("常务副县长", "县委常委"),
    ("县委组织部部长", "县委常委"),
    ("县委政法委书记", "县委常委"),
    ("分管副县长（社会事业）", "副县长"),
    ("分管副县长（农业农村）", "副县长"),
];

const UNITS: &[(&str, OfficeLevel)] = &[
    ("县委网信办", OfficeLevel::Department),
    ("县科协", OfficeLevel::Department),
    ("县人民医院", OfficeLevel::Institution),
    ("讲治镇", OfficeLevel::Township),
    ("普安镇", OfficeLevel::Township),
    ("甘棠镇", OfficeLevel::Township),
    ("长岭镇", OfficeLevel::Township),
    ("县残联", OfficeLevel::Department),
    ("人行开江支行", OfficeLevel::Department),
    ("县供销社", OfficeLevel::Department),
    ("县住建局", OfficeLevel::Department),
    ("县委组织部", OfficeLevel::Department),
    ("县综合行政执法局", OfficeLevel::Department),
    ("县卫健局", OfficeLevel::Department),
    ("县农业农村局", OfficeLevel::Department),
    ("县公安局", OfficeLevel::Department),
    ("县司法局", OfficeLevel::Department),
    ("县教育局", OfficeLevel::Department),
    ("县人社局", OfficeLevel::Department),
    ("县应急管理局", OfficeLevel::Department),
    ("县城市管理局", OfficeLevel::Department),
    ("县行政审批服务局", OfficeLevel::Department),
    ("县民政局", OfficeLevel::Department),
    ("县文旅局", OfficeLevel::Department),
];

use ItemKind::*;
use Status::*;

const ITEMS: &[Spec] = &[
    // 开江县 “微改革·微创新” 第一批 (23 projects; figures as reported)
    Spec {
        title: "心通桥“网络理政”平台",
        kind: MicroReform,
        batch: "第一批",
        category: "政务服务",
        lead: "县委网信办",
        coop: &[],
        official: "县长",
        group: 1,
        goal: "打造“微平台”聚合“大资源”，畅通网民诉求受理办理渠道。",
        path: "建设平台—受理诉求—限时办结—满意度回访",
        due_months: -1,
        indicators: &[("受理网民诉求", "件", 100.0, Some(118.0)), ("办结率", "%", 95.0, Some(98.0)), ("满意度", "%", 95.0, Some(100.0))],
        status: Completed,
        tags: &["开江", "微改革"],
    },
    Spec {
        title: "成立医院科协组织",
        kind: MicroReform,
        batch: "第一批",
        category: "民生事业",
        lead: "县科协",
        coop: &["县人民医院"],
        official: "分管副县长（社会事业）",
        group: 3,
        goal: "为全县医疗队伍提供学术交流、技术推广和业务指导平台。",
        path: "组建医院科协—吸纳乡镇卫生院医疗工作者入会—开展学术交流",
        due_months: 2,
        indicators: &[("吸纳医疗工作者入会", "名", 150.0, Some(133.0)), ("覆盖乡镇卫生院", "个", 20.0, Some(20.0))],
        status: InProgress,
        tags: &["开江", "微改革"],
    },
    Spec {
        title: "盘活闲置土地建设智慧停车场",
        kind: MicroReform,
        batch: "第一批",
        category: "城市治理",
        lead: "讲治镇",
        coop: &["县住建局"],
        official: "常务副县长",
        group: 0,
        goal: "将场镇3亩闲置土地建设为智慧停车场，解决场镇停车难，增加集体经济收入。",
        path: "选址规划—建设施工—投入运营",
        due_months: 1,
        indicators: &[("规划停车位", "个", 66.0, Some(66.0))],
        status: InProgress,
        tags: &["开江", "微改革", "停车"],
    },
    Spec {
        title: "组建劳务服务公司促进就近就业",
        kind: MicroReform,
        batch: "第一批",
        category: "经济发展",
        lead: "普安镇",
        coop: &["县人社局"],
        official: "常务副县长",
        group: 0,
        goal: "在传统种植、小吃零售等领域探索闲置劳动力就业道路。",
        path: "组建公司—摸排待业群众—对接岗位",
        due_months: 3,
        indicators: &[("引导待业群众就近就业", "名", 150.0, Some(138.0))],
        status: InProgress,
        tags: &["开江", "微改革", "就业"],
    },
    Spec {
        title: "流动帮办代办服务",
        kind: MicroReform,
        batch: "第一批",
        category: "政务服务",
        lead: "甘棠镇",
        coop: &["县行政审批服务局"],
        official: "县长",
        group: 3,
        goal: "组建镇级流动帮办代办队伍和村级常态帮办代办队伍，为困难群众上门办理业务。",
        path: "组建2支镇级、13支村级队伍—走村入户—上门办理",
        due_months: -2,
        indicators: &[("上门办理业务", "次", 40.0, Some(26.0))],
        status: InProgress,
        tags: &["开江", "微改革"],
    },
    Spec {
        title: "残疾人上门鉴定服务",
        kind: MicroReform,
        batch: "第一批",
        category: "民生事业",
        lead: "县残联",
        coop: &["县卫健局"],
        official: "分管副县长（社会事业）",
        group: 3,
        goal: "成立上门鉴定残疾服务工作小组，让行动不便的群众在家门口办证。",
        path: "成立工作小组—上门鉴定—办理残疾人证",
        due_months: 4,
        indicators: &[("上门鉴定服务", "人", 200.0, Some(200.0)), ("办理残疾人证", "个", 100.0, Some(96.0))],
        status: InProgress,
        tags: &["开江", "微改革"],
    },
    Spec {
        title: "“1分钱公交”移动支付惠民",
        kind: MicroReform,
        batch: "第一批",
        category: "民生事业",
        lead: "人行开江支行",
        coop: &[],
        official: "常务副县长",
        group: 0,
        goal: "在农村公交线路开展移动支付1分钱乘车活动，便利群众出行。",
        path: "确定线路—纳入任市、广福、长岭、八庙等乡镇—推广移动支付",
        due_months: -4,
        indicators: &[("受惠群众", "人次", 10000.0, Some(10000.0))],
        status: Accepted,
        tags: &["开江", "微改革"],
    },
    Spec {
        title: "“党建+供销+专家+薄弱村集体”组团帮扶",
        kind: MicroReform,
        batch: "第一批",
        category: "经济发展",
        lead: "县供销社",
        coop: &["县农业农村局"],
        official: "分管副县长（农业农村）",
        group: 5,
        goal: "促进集体经济产业薄弱村增收。",
        path: "在大雄村、高板桥村、竹溪村等试点村开展技术服务、物资帮扶",
        due_months: 5,
        indicators: &[("开展技术服务", "次", 12.0, Some(7.0)), ("赠送肥料", "吨", 10.0, Some(10.0))],
        status: InProgress,
        tags: &["开江", "微改革"],
    },
    Spec {
        title: "组建“物业智囊团”化解物业纠纷",
        kind: MicroReform,
        batch: "第一批",
        category: "城市治理",
        lead: "县住建局",
        coop: &["县司法局"],
        official: "常务副县长",
        group: 1,
        goal: "拓宽小区物业矛盾纠纷化解渠道。",
        path: "组建智囊团—纳入小区—定期坐诊调解",
        due_months: 0,
        indicators: &[("纳入服务范围的小区", "个", 24.0, Some(24.0)), ("惠及群众", "人", 60000.0, Some(67000.0))],
        status: InProgress,
        tags: &["开江", "微改革"],
    },
    Spec {
        title: "橄榄广场“暖心驿站”党群服务中心",
        kind: MicroReform,
        batch: "第一批",
        category: "城市治理",
        lead: "县委组织部",
        coop: &["县住建局"],
        official: "县委组织部部长",
        group: 4,
        goal: "探索“社会资本投入+产权归属社区返租”方式，将部分政务、便民服务下沉到驿站。",
        path: "引入社会资本—建设驿站—服务下沉",
        due_months: 6,
        indicators: &[],
        status: Approved,
        tags: &["开江", "微改革"],
    },
    Spec {
        title: "交通劝导岗亭升级为便民服务岗亭",
        kind: MicroReform,
        batch: "第一批",
        category: "城市治理",
        lead: "县综合行政执法局",
        coop: &[],
        official: "县长",
        group: 1,
        goal: "收集群众投诉建议、宣传政策法规，对周边占道经营、乱停乱放提前介入管理。",
        path: "改造岗亭—设立前哨据点—执法服务并行",
        due_months: 2,
        indicators: &[],
        status: InProgress,
        tags: &["开江", "微改革"],
    },
    Spec {
        title: "农村人居环境从“整治”走向“提质”",
        kind: MicroReform,
        batch: "第一批",
        category: "民生事业",
        lead: "长岭镇",
        coop: &["县农业农村局"],
        official: "分管副县长（农业农村）",
        group: 5,
        goal: "通过组织搭台、乡友助力、村民共建，推动农村人居环境提质。",
        path: "乡友捐赠—村民自筹—专项治理",
        due_months: 3,
        indicators: &[("乡友捐赠物资", "万元", 40.0, Some(40.0)), ("试点村自筹资金", "万元", 7.0, Some(7.0))],
        status: InProgress,
        tags: &["开江", "微改革"],
    },
    // 黄龙县 “小切口”改革 (第一批31项、第二批14项), sorted 便民/富民/乐民/安民
    Spec {
        title: "“行走的医院”互联网+医疗健康",
        kind: SmallIncision,
        batch: "第一批",
        category: "便民",
        lead: "县卫健局",
        coop: &["县人民医院"],
        official: "分管副县长（社会事业）",
        group: 3,
        goal: "打通偏远乡村急救通道，解决群众看病难、看病贵、报销低等问题。",
        path: "向上联结三甲医院远程会诊，向下联结村级卫生室",
        due_months: -6,
        indicators: &[("远程会诊合作三甲医院", "所", 16.0, Some(16.0)), ("联结村级卫生室", "个", 47.0, Some(47.0))],
        status: Accepted,
        tags: &["黄龙", "小切口"],
    },
    Spec {
        title: "“家庭农场”改革试点",
        kind: SmallIncision,
        batch: "第一批",
        category: "富民",
        lead: "县农业农村局",
        coop: &[],
        official: "分管副县长（农业农村）",
        group: 5,
        goal: "探索“种养结合、生态循环、农机一体、农旅融合、集成高效”的发展模式。",
        path: "培育“农创客”—建设“农创园”—发展“庭院经济”",
        due_months: 1,
        indicators: &[("培育家庭农场", "家", 1000.0, Some(936.0)), ("经营土地总面积", "万亩", 25.0, Some(22.85))],
        status: InProgress,
        tags: &["黄龙", "小切口", "批示"],
    },
    Spec {
        title: "农业社会化托管服务改革",
        kind: SmallIncision,
        batch: "第一批",
        category: "富民",
        lead: "县农业农村局",
        coop: &["县供销社"],
        official: "分管副县长（农业农村）",
        group: 5,
        goal: "建立“1+1+N”农业社会化托管服务模式，破解农村谁来种地的难题。",
        path: "政府引导、村集体主导、新型经营主体参与",
        due_months: -3,
        indicators: &[("农户亩均节支增收", "元", 150.0, Some(180.0))],
        status: Completed,
        tags: &["黄龙", "小切口", "批示"],
    },
    Spec {
        title: "“五分钟休闲运动圈”",
        kind: SmallIncision,
        batch: "第一批",
        category: "乐民",
        lead: "县住建局",
        coop: &["县文旅局"],
        official: "常务副县长",
        group: 2,
        goal: "利用街头边角地、废弃地建设口袋公园，五分钟步行有广场、有绿地、有健身设施。",
        path: "摸排边角地—选建口袋公园—配建设施",
        due_months: 2,
        indicators: &[],
        status: InProgress,
        tags: &["黄龙", "小切口"],
    },
    Spec {
        title: "“五级联动”基层治理机制",
        kind: SmallIncision,
        batch: "第一批",
        category: "安民",
        lead: "县委组织部",
        coop: &["县民政局"],
        official: "县委书记",
        group: 4,
        goal: "县委领导、基层落实、支部组织、小组联户、户管人，打通服务群众“最后一米”。",
        path: "建立五级工作机制—在乡村振兴、维稳、护林防火中运行",
        due_months: -1,
        indicators: &[],
        status: InProgress,
        tags: &["黄龙", "小切口"],
    },
    Spec {
        title: "“站所合一”改革",
        kind: SmallIncision,
        batch: "第一批",
        category: "安民",
        lead: "县公安局",
        coop: &["县司法局"],
        official: "县委政法委书记",
        group: 1,
        goal: "派出所、司法所、交警中队、森林警察中队合场所、合警力、合工作，一警多用。",
        path: "合场所—合支部—合警力—合工作—合管理—合保障",
        due_months: -5,
        indicators: &[("整合站所", "个", 4.0, Some(4.0))],
        status: Accepted,
        tags: &["黄龙", "小切口"],
    },
    Spec {
        title: "“教育一体化”改革",
        kind: SmallIncision,
        batch: "第一批",
        category: "便民",
        lead: "县教育局",
        coop: &[],
        official: "分管副县长（社会事业）",
        group: 3,
        goal: "初高中一体化管理、义务教育优质均衡、学前教育普及普惠，解决择校难。",
        path: "一体化管理—教师激励—普惠学前",
        due_months: 7,
        indicators: &[],
        status: InProgress,
        tags: &["黄龙", "小切口"],
    },
    Spec {
        title: "“1+百千万”粮食安全改革",
        kind: SmallIncision,
        batch: "第二批",
        category: "富民",
        lead: "县农业农村局",
        coop: &[],
        official: "分管副县长（农业农村）",
        group: 5,
        goal: "农民种粮增产增收，抓粮履职尽责。",
        path: "试点先行—以点带面",
        due_months: 9,
        indicators: &[],
        status: RiskReviewed,
        tags: &["黄龙", "小切口"],
    },
    Spec {
        title: "中药材保护改革",
        kind: SmallIncision,
        batch: "第二批",
        category: "富民",
        lead: "县农业农村局",
        coop: &["县司法局"],
        official: "分管副县长（农业农村）",
        group: 5,
        goal: "在法律法规框架内保护中药材资源。",
        path: "多方征询、多轮论证，审慎推进",
        due_months: 11,
        indicators: &[],
        status: Proposed,
        tags: &["黄龙", "小切口", "合法性审查"],
    },
    // 平原县: pilots and “出圈” highlights
    Spec {
        title: "扩大农村劳动力就业集成改革试点",
        kind: Pilot,
        batch: "",
        category: "经济发展",
        lead: "县人社局",
        coop: &["县农业农村局"],
        official: "县长",
        group: 0,
        goal: "落实《开展扩大农村劳动力就业集成改革试点实施方案》。",
        path: "制定方案—集成政策—扩大就业",
        due_months: 4,
        indicators: &[],
        status: InProgress,
        tags: &["平原", "省级试点"],
    },
    Spec {
        title: "城市精细化管理",
        kind: Featured,
        batch: "",
        category: "城市治理",
        lead: "县城市管理局",
        coop: &[],
        official: "常务副县长",
        group: 1,
        goal: "打造“出圈”改革亮点。",
        path: "对照8项“出圈”标准重点打造、重点推介",
        due_months: 5,
        indicators: &[],
        status: InProgress,
        tags: &["平原", "出圈"],
    },
    Spec {
        title: "“职工查隐患、老板发红包”",
        kind: Featured,
        batch: "",
        category: "安全生产",
        lead: "县应急管理局",
        coop: &[],
        official: "常务副县长",
        group: 1,
        goal: "激励职工主动排查安全隐患。",
        path: "职工上报隐患—企业兑现奖励—部门跟踪整改",
        due_months: 3,
        indicators: &[],
        status: InProgress,
        tags: &["平原", "出圈"],
    },
    // 红安县: led featured projects
    Spec {
        title: "党建引领·幸福社区建设",
        kind: Featured,
        batch: "",
        category: "社会治理",
        lead: "县委组织部",
        coop: &["县民政局"],
        official: "县委组织部部长",
        group: 4,
        goal: "紧扣“红”字，打造红安改革品牌。",
        path: "示范社区—全域推开",
        due_months: 6,
        indicators: &[],
        status: InProgress,
        tags: &["红安", "领衔项目"],
    },
    Spec {
        title: "大力发展红色研学旅行",
        kind: Featured,
        batch: "",
        category: "文化旅游",
        lead: "县文旅局",
        coop: &["县教育局"],
        official: "县委书记",
        group: 2,
        goal: "打造红色研学旅行品牌。",
        path: "线路开发—基地建设—市场推广",
        due_months: 8,
        indicators: &[],
        status: Approved,
        tags: &["红安", "领衔项目"],
    },
    Spec {
        title: "城乡保洁全域市场化",
        kind: Featured,
        batch: "",
        category: "生态环境",
        lead: "县城市管理局",
        coop: &["县住建局"],
        official: "常务副县长",
        group: 0,
        goal: "聚焦“绿”字，城乡保洁全域市场化运营。",
        path: "招标—运营—考核",
        due_months: -2,
        indicators: &[],
        status: InProgress,
        tags: &["红安", "领衔项目"],
    },
    Spec {
        title: "义务教育教师“县管校聘”改革",
        kind: Mandated,
        batch: "",
        category: "教育",
        lead: "县教育局",
        coop: &["县人社局"],
        official: "分管副县长（社会事业）",
        group: 3,
        goal: "落实上级关于义务教育教师“县管校聘”管理改革的部署。",
        path: "起草方案—征求意见—深改委审定—组织实施",
        due_months: 2,
        indicators: &[],
        status: InProgress,
        tags: &["红安", "规定动作"],
    },
    // 淄博: mandated tasks tracked against upper documents; one waiting for upper deployment
    Spec {
        title: "深化“放管服”改革优化营商环境",
        kind: Mandated,
        batch: "",
        category: "政务服务",
        lead: "县行政审批服务局",
        coop: &[],
        official: "县长",
        group: 0,
        goal: "按上级要求配套出台实施方案，确保按时限落地。",
        path: "第一时间传达—研究贯彻意见—出台配套文件",
        due_months: 1,
        indicators: &[],
        status: InProgress,
        tags: &["规定动作"],
    },
    Spec {
        title: "完善重大疫情防控和公共卫生应急管理体制机制",
        kind: Mandated,
        batch: "",
        category: "社会事业",
        lead: "县卫健局",
        coop: &[],
        official: "分管副县长（社会事业）",
        group: 3,
        goal: "等待上级出台配套部署后组织实施。",
        path: "跟踪上级部署",
        due_months: 10,
        indicators: &[],
        status: AwaitingDeployment,
        tags: &["规定动作"],
    },
    Spec {
        title: "城区背街小巷停车位改造",
        kind: Livelihood,
        batch: "",
        category: "民生事业",
        lead: "县住建局",
        coop: &["县城市管理局"],
        official: "常务副县长",
        group: 0,
        goal: "承诺年内新增停车位，缓解停车难。",
        path: "摸排—设计—施工—公示",
        due_months: 4,
        indicators: &[("新增停车位", "个", 300.0, Some(120.0))],
        status: InProgress,
        tags: &["民生实事"],
    },
    Spec {
        title: "“一件事一次办”集成改革",
        kind: Innovation,
        batch: "",
        category: "政务服务",
        lead: "县行政审批服务局",
        coop: &[],
        official: "县长",
        group: 0,
        goal: "基层申报的创新改革事项：高频事项集成办理。",
        path: "申报—评审—发布",
        due_months: 6,
        indicators: &[],
        status: Proposed,
        tags: &["创新事项"],
    },
];

fn month_end(today: NaiveDate, offset: i32) -> NaiveDate {
    let m0 = today.year() * 12 + today.month0() as i32 + offset;
    super::scoring::month_end(m0.div_euclid(12), m0.rem_euclid(12) as u32 + 1).expect("valid date")
}

/// The status path that leads to `s` from 谋划申报.
fn path_to(s: Status) -> &'static [Status] {
    match s {
        Proposed => &[],
        RiskReviewed => &[RiskReviewed],
        Approved => &[RiskReviewed, Approved],
        InProgress => &[RiskReviewed, Approved, InProgress],
        Completed => &[RiskReviewed, Approved, InProgress, Completed],
        Accepted => &[RiskReviewed, Approved, InProgress, Completed, Accepted],
        AwaitingDeployment => &[AwaitingDeployment],
        Suspended => &[RiskReviewed, Approved, InProgress, Suspended],
        Terminated => &[Terminated],
    }
}

/// Fills an empty registry with the demo data, as one action.
pub fn build_demo(tx: &mut Tx) -> Result<(), DomainError> {
    let today = tx.today();
    let office = Office { name: "示例县委改革办".into(), level: OfficeLevel::County, parent_name: "示例市委改革办".into() };
    ops::setup_office(tx, &office)?;
    let mut group_ids = vec![];
    for (name, weight, leader) in GROUPS {
        let g = Group { name: (*name).into(), weight: *weight, leader: (*leader).into(), liaison: String::new() };
        group_ids.push(ops::save_group(tx, None, &g)?);
    }
    for (name, post) in OFFICIALS {
        ops::save_official(tx, None, &Official { name: (*name).into(), post: (*post).into() })?;
    }
    for (name, level) in UNITS {
        ops::save_unit(tx, None, &Unit { name: (*name).into(), level: *level, ..Default::default() })?;
    }
    for s in ITEMS {
        let deadline = month_end(today, s.due_months);
        let item = ReformItem {
            title: s.title.into(),
            kind: s.kind,
            source_level: (s.kind == Mandated).then_some(SourceLevel::Province),
            source_doc: if s.kind == Mandated { "省委改革办年度改革工作要点".into() } else { String::new() },
            pilot_level: (s.kind == Pilot).then_some(PilotLevel::Province),
            year: today.year(),
            batch: s.batch.into(),
            category: s.category.into(),
            goal: s.goal.into(),
            work_path: s.path.into(),
            deadline: Some(deadline),
            milestones: vec![
                Milestone { title: "制定实施方案".into(), due: Some(month_end(today, s.due_months - 3).min(deadline)), done: s.status != Proposed },
                Milestone { title: "全面推开".into(), due: Some(deadline), done: s.status.is_done() },
            ],
            lead_unit: s.lead.into(),
            coop_units: s.coop.iter().map(|x| x.to_string()).collect(),
            leading_official: s.official.into(),
            special_group: group_ids[s.group].clone(),
            indicators: s.indicators.iter().map(|(n, u, t, a)| Indicator { name: (*n).into(), unit: (*u).into(), target: *t, actual: *a }).collect(),
            documents: vec![],
            tags: s.tags.iter().map(|x| x.to_string()).collect(),
            status: Proposed,
            status_note: String::new(),
        };
        let id = ops::save_item(tx, None, &item)?;
        if !matches!(s.status, Proposed | AwaitingDeployment | Terminated) {
            super::review::save_risk_review(tx, &id, &super::review::low_risk_review("县委改革办风控组", today))?;
        }
        for st in path_to(s.status) {
            if *st == Accepted {
                // 开江's form: five experts, a public survey and the outcomes.
                let experts: Vec<super::review::ExpertScore> =
                    [[22.0, 31.0, 18.0, 18.0], [21.0, 30.0, 17.0, 18.0], [23.0, 33.0, 18.0, 19.0], [20.0, 29.0, 16.0, 17.0], [24.0, 34.0, 19.0, 19.0]]
                        .iter()
                        .enumerate()
                        .map(|(n, sc)| super::review::ExpertScore { name: format!("专家{}", n + 1), scores: sc.to_vec() })
                        .collect();
                let survey = super::review::Survey { satisfied: 168, basic: 27, dissatisfied: 5, respondents: 200 };
                ops::accept(tx, &id, &experts, &survey, &[])?;
                continue;
            }
            let reason = if *st == AwaitingDeployment { "上级尚未出台配套部署" } else { "" };
            ops::transition(tx, &id, *st, reason)?;
        }
    }
    seed_cycle(tx)
}

/// Reports for last month and (for most items) this month, highlight score sheets and pilot
/// leads, so the dispatch screen, dashboard and reviews page look like a working office's.
fn seed_cycle(tx: &mut Tx) -> Result<(), DomainError> {
    use super::monthly::{file_report, Month, Report};
    let today = tx.today();
    let running: Vec<(String, ReformItem)> =
        ops::all::<ReformItem>(tx.reg(), super::model::coll::ITEM).into_iter().filter(|(_, i)| matches!(i.status, Approved | InProgress)).collect();
    let this = Month::of(today);
    for (n, (id, item)) in running.iter().enumerate() {
        for (m, pct) in [(this.prev(), 50.0), (this, 65.0)] {
            // Every third item has not reported this month yet: there is always something to chase.
            if m == this && n % 3 == 0 {
                continue;
            }
            let rep = Report {
                percent: Some(pct),
                done: format!("按“{}”路径推进，完成阶段任务", item.work_path.split('—').next().unwrap_or("工作")),
                problems: if n % 4 == 1 { "资金到位较慢".into() } else { String::new() },
                next_steps: "加快推进，确保按期完成".into(),
                reported_by: item.lead_unit.clone(),
                ..Default::default()
            };
            file_report(tx, id, m, &rep)?;
        }
    }
    let criteria = super::review::default_highlight_criteria();
    for (title, sheets) in [
        ("城市精细化管理", [[9.0, 8.0, 9.0, 8.0, 7.0, 9.0, 8.0, 9.0], [8.0, 8.0, 9.0, 9.0, 7.0, 8.0, 8.0, 8.0]]),
        ("“职工查隐患、老板发红包”", [[9.0, 9.0, 8.0, 7.0, 9.0, 9.0, 8.0, 8.0], [9.0, 8.0, 8.0, 7.0, 8.0, 9.0, 9.0, 8.0]]),
    ] {
        if let Some((id, _)) = ops::all::<ReformItem>(tx.reg(), super::model::coll::ITEM).into_iter().find(|(_, i)| i.title == title) {
            for (k, sc) in sheets.iter().enumerate() {
                let s = super::review::HighlightScore { item: id.clone(), reviewer: ["评审组甲", "评审组乙"][k].into(), scores: sc.to_vec() };
                super::review::save_highlight_score(tx, &criteria, &s)?;
            }
        }
    }
    for (title, level, won) in [("扩大农村劳动力就业集成改革试点", PilotLevel::Province, true), ("全国县域数字乡村试点", PilotLevel::National, false)]
    {
        let l = super::review::PilotLead {
            title: title.into(),
            level: Some(level),
            quarter: format!("{}年第{}季度", today.year(), (today.month0() / 3) + 1),
            unit: "县人社局".into(),
            won,
        };
        super::review::save_lead(tx, None, &l)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::Registry;

    #[test]
    fn demo_is_populated_and_valid() {
        let mut reg = Registry::new("demo");
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let changes = crate::domain::tx::run(&mut reg, &crate::domain::tx::Stamp::new(1_000, today, "示例数据"), build_demo).unwrap().changes;
        assert!(changes.len() > ITEMS.len());
        let rows = ops::item_rows(&reg, today);
        assert_eq!(rows.len(), ITEMS.len());
        assert!(rows.iter().any(|r| r.overdue), "some demo items are overdue");
        assert!(rows.iter().any(|r| r.item.status == Accepted));
        assert!(rows.iter().any(|r| r.item.status == AwaitingDeployment));
        let kinds: std::collections::BTreeSet<_> = rows.iter().map(|r| r.item.kind).collect();
        assert_eq!(kinds.len(), ItemKind::ALL.len(), "every kind appears");
        let wl = rows.iter().find(|r| r.item.title.contains("网络理政")).unwrap();
        assert_eq!(wl.item.indicators[0].actual, Some(118.0));
        // A working office: reports filed, some missing this month, highlights and leads present.
        let m = crate::domain::monthly::Month::of(today);
        let rows = crate::domain::monthly::dispatch_rows(&reg, m, today, 15);
        assert!(rows.iter().any(|r| r.report.is_some()) && rows.iter().any(|r| r.status == crate::domain::monthly::MonthStatus::NoReport));
        assert_eq!(crate::domain::review::highlight_ranking(&reg).len(), 2);
    }

    #[test]
    fn month_end_handles_year_and_leap() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 15).unwrap();
        assert_eq!(month_end(d, 1), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(month_end(d, -1), NaiveDate::from_ymd_opt(2023, 12, 31).unwrap());
        assert_eq!(month_end(d, 11), NaiveDate::from_ymd_opt(2024, 12, 31).unwrap());
    }
}
