//! The demo city's key items: the ten cooperation agreements named in the seeds, with their
//! clauses; the 2024 "10+20+5" list carried out through the year (most milestones on time,
//! some late, a few still open); and this year's work points, dated around the real today so a
//! lead unit logging in sees its reminders.

use super::{id_of, ymd};
use crate::audit::Actor;
use crate::db::{Store, StoreError};
use chrono::{Datelike, Days, NaiveDate};
use hezuo_domain::agreement::AgreementInput;
use hezuo_domain::key_item::{ItemInput, ItemProgressInput, MilestoneInput, WorkPlanInput};
use hezuo_domain::{Month, Viewer};
use std::collections::HashMap;

/// (title, partner, kind, province, signed on, fields, clauses).
type AgreementSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    [&'static str; 4],
);

const AGREEMENTS: [AgreementSeed; 10] = [
    (
        "湖州市—松江区推进长三角一体化发展合作框架协议",
        "上海市松江区",
        "district",
        "上海市",
        "2019-05-16",
        "产业协同、科技创新、交通互联",
        [
            "共建G60科创走廊湖州产业合作园",
            "推动沪苏湖铁路同步建设",
            "建立两地科技创新券通用通兑机制",
            "开展干部互派挂职交流",
        ],
    ),
    (
        "湖州市—虹桥商务区战略合作协议",
        "虹桥商务区",
        "body",
        "上海市",
        "2019-06-12",
        "开放合作、会展商贸",
        [
            "在虹桥商务区设立湖州城市展示窗口",
            "联合举办进博会配套招商活动",
            "共建长三角企业总部服务平台",
            "共享国际商务资源",
        ],
    ),
    (
        "湖州市—青浦区一体化发展合作协议",
        "上海市青浦区",
        "district",
        "上海市",
        "2019-07-03",
        "生态共保、文旅合作",
        [
            "共同推进太湖—淀山湖水环境联保",
            "互推文旅线路与客源互送",
            "推进公共服务异地结算",
            "共建毗邻区域产业协作机制",
        ],
    ),
    (
        "湖州市—金山区战略合作框架协议",
        "上海市金山区",
        "district",
        "上海市",
        "2019-07-18",
        "产业协同、交通互联",
        [
            "推动沪湖绿色智造廊道共建",
            "加强化工新材料产业链协作",
            "谋划跨区域公交线路",
            "联合开展招商推介",
        ],
    ),
    (
        "湖州市—苏州市吴江区一体化合作协议",
        "苏州市吴江区",
        "district",
        "江苏省",
        "2019-08-06",
        "交通互联、生态共保",
        [
            "打通省际断头路",
            "共治太湖流域水环境",
            "推进产业园区结对共建",
            "建立联合执法协作机制",
        ],
    ),
    (
        "湖州市—宜兴市区域合作协议",
        "无锡宜兴市",
        "district",
        "江苏省",
        "2019-08-22",
        "生态共保、文旅合作",
        [
            "共建宁杭生态经济带",
            "联合开发环太湖旅游线路",
            "推进陶瓷与茶产业协作",
            "推动毗邻地区交通对接",
        ],
    ),
    (
        "湖州市—黄山市合作框架协议",
        "黄山市",
        "city",
        "安徽省",
        "2019-09-10",
        "文旅合作、生态补偿",
        [
            "共建杭黄湖生态文化旅游廊道",
            "探索跨区域生态补偿机制",
            "推动两地旅游年卡互认",
            "开展产业梯度转移合作",
        ],
    ),
    (
        "湖州市—宣城市广德县合作协议",
        "宣城市广德县",
        "district",
        "安徽省",
        "2019-09-24",
        "产业协同、交通互联",
        [
            "共建苏浙皖产业合作区",
            "推进长兴—广德交通互联",
            "建立园区招商信息共享机制",
            "推动医保异地直接结算",
        ],
    ),
    (
        "湖州市—杭州市同城化发展合作协议",
        "杭州市",
        "city",
        "浙江省",
        "2019-10-15",
        "同城化、公共服务",
        [
            "推进湖杭铁路建设",
            "共建湖杭同城化发展区",
            "推动政务服务一网通办",
            "共享优质教育医疗资源",
        ],
    ),
    (
        "湖州市—嘉兴市一体化合作协议",
        "嘉兴市",
        "city",
        "浙江省",
        "2019-11-05",
        "产业协同、生态共保",
        [
            "共建嘉湖一体化合作先行区",
            "推进申嘉湖高速西延",
            "联合治理跨界河道",
            "共办长三角绿色发展论坛",
        ],
    ),
];

/// How an item's three milestones of 2024 went: 0 on time, 1 the middle one late,
/// 2 the last one still open (lagging), 3 all open from the middle on.
#[derive(Clone, Copy)]
enum Fate {
    OnTime,
    LateMiddle,
    OpenLast,
    Stalled,
}

/// (category, title, lead unit code, partner regions, clause as (agreement, clause index), fate).
type ItemSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(usize, usize)>,
    Fate,
);

const FLAGSHIP_2024: [ItemSeed; 22] = [
    (
        "标志性工程",
        "南太湖新区建设",
        "NTHGWH",
        "上海市",
        None,
        Fate::OnTime,
    ),
    (
        "标志性工程",
        "现代综合交通枢纽建设",
        "JTJ",
        "上海市、杭州市",
        Some((8, 0)),
        Fate::LateMiddle,
    ),
    (
        "标志性工程",
        "国家创新型城市创建",
        "KJJ",
        "上海市松江区",
        Some((0, 2)),
        Fate::OnTime,
    ),
    (
        "标志性工程",
        "长三角（湖州）产业合作区建设",
        "CHQGWH",
        "宣城市广德县",
        Some((7, 0)),
        Fate::OnTime,
    ),
    (
        "标志性工程",
        "沪湖绿色智造廊道建设",
        "JXJ",
        "上海市金山区",
        Some((3, 0)),
        Fate::OpenLast,
    ),
    (
        "标志性工程",
        "安吉“两山”综合改革创新试验区",
        "AJHZB",
        "",
        None,
        Fate::OnTime,
    ),
    (
        "标志性工程",
        "湖杭同城化发展区建设",
        "FGW",
        "杭州市",
        Some((8, 1)),
        Fate::LateMiddle,
    ),
    (
        "标志性工程",
        "嘉湖一体化合作先行区建设",
        "NXHZB",
        "嘉兴市",
        Some((9, 0)),
        Fate::OnTime,
    ),
    (
        "标志性工程",
        "太湖流域水环境综合治理",
        "STJ",
        "苏州市吴江区、上海市青浦区",
        Some((4, 1)),
        Fate::OpenLast,
    ),
    (
        "标志性工程",
        "杭黄湖生态文化旅游廊道",
        "WGLJ",
        "黄山市",
        Some((6, 0)),
        Fate::OnTime,
    ),
    (
        "重大事项",
        "沪苏湖铁路全线开工建设",
        "JTJ",
        "上海市松江区、苏州市吴江区",
        Some((0, 1)),
        Fate::OnTime,
    ),
    (
        "重大事项",
        "湖州至杭州西高铁建设",
        "JTJ",
        "杭州市",
        Some((8, 0)),
        Fate::OnTime,
    ),
    (
        "重大事项",
        "上海湖州全球招商中心招引项目",
        "TCZX",
        "上海市",
        Some((1, 2)),
        Fate::LateMiddle,
    ),
    (
        "重大事项",
        "虹桥商务区湖州城市展示窗口",
        "TCZX",
        "虹桥商务区",
        Some((1, 0)),
        Fate::OnTime,
    ),
    (
        "重大事项",
        "进博会配套湖州专场招商推介",
        "TCZX",
        "上海市",
        Some((1, 1)),
        Fate::OpenLast,
    ),
    (
        "重大事项",
        "省际断头路建设",
        "JTJ",
        "苏州市吴江区、宜兴市",
        Some((4, 0)),
        Fate::Stalled,
    ),
    (
        "重大事项",
        "长三角异地门诊直接结算全覆盖",
        "WJW",
        "上海市、江苏省、安徽省",
        Some((7, 3)),
        Fate::OnTime,
    ),
    (
        "重大事项",
        "长三角“一网通办”综合窗口全覆盖",
        "FGW",
        "杭州市",
        Some((8, 2)),
        Fate::OnTime,
    ),
    (
        "重大事项",
        "大院名校来湖共建创新载体",
        "KJJ",
        "上海市",
        None,
        Fate::LateMiddle,
    ),
    (
        "重大事项",
        "高层次人才项目引进",
        "RCB",
        "上海市",
        None,
        Fate::OnTime,
    ),
    ("保障措施", "加强统筹协调", "QYHZB", "", None, Fate::OnTime),
    (
        "保障措施",
        "强化考核评估",
        "QYHZB",
        "",
        None,
        Fate::OpenLast,
    ),
];

fn text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[expect(
    clippy::too_many_arguments,
    reason = "one report: who, which item, which month, what, when"
)]
async fn file(
    store: &Store,
    viewer: &Viewer,
    actor: &Actor,
    item: i64,
    month: Month,
    content: &str,
    done: &[i64],
    on: NaiveDate,
    current: Month,
) -> Result<i64, StoreError> {
    let progress = ItemProgressInput {
        month: month.to_string(),
        content: content.into(),
        next_steps: String::new(),
        done_milestones: done.iter().map(|d| d.to_string()).collect(),
    }
    .validate(current)
    .map_err(|e| StoreError::invalid("demo", format!("{e:?}")))?;
    Ok(store
        .file_item_progress(viewer, actor, item, &progress, &[], on)
        .await?
        .id)
}

/// Loads the agreements, the 2024 list with its year of progress, and this year's work points.
pub(super) async fn load(
    store: &Store,
    admin: &Viewer,
    actor: &Actor,
    units: &HashMap<&'static str, i64>,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let mut clauses: Vec<Vec<i64>> = Vec::new();
    for (title, partner, kind, province, signed_on, fields, items) in AGREEMENTS {
        let agreement = AgreementInput {
            title: title.into(),
            partner: partner.into(),
            partner_kind: kind.into(),
            partner_province: province.into(),
            signed_on: signed_on.into(),
            level: "市级".into(),
            fields: fields.into(),
            clauses: items.join("\n"),
        }
        .validate()
        .map_err(|e| StoreError::invalid("demo", format!("{title}: {e:?}")))?;
        let id = store.create_agreement(admin, actor, &agreement).await?;
        let detail = store.agreement(admin, id, today).await?;
        clauses.push(detail.clauses.iter().map(|c| c.id).collect());
    }

    let plan = WorkPlanInput {
        year: "2024".into(),
        kind: "flagship".into(),
        name: "2024年湖州推进长三角一体化“10+20+5”清单".into(),
        categories: String::new(),
    }
    .validate()
    .map_err(|e| StoreError::invalid("demo", format!("{e:?}")))?;
    let plan = store.create_work_plan(admin, actor, &plan).await?;
    let december = Month::new(2024, 12).expect("a month");
    for (category, title, unit, regions, clause, fate) in FLAGSHIP_2024 {
        let input = ItemInput {
            plan_id: plan.id.to_string(),
            category: category.into(),
            title: title.into(),
            lead_unit_id: id_of(units, unit).to_string(),
            partner_regions: regions.into(),
            target: format!("{title}年度目标任务全面完成"),
            milestones: [
                ("制定年度实施方案", "2024-03-31"),
                ("完成年度目标任务过半", "2024-06-30"),
                ("全面完成年度目标任务", "2024-12-31"),
            ]
            .iter()
            .map(|(t, d)| MilestoneInput {
                title: t.to_string(),
                due_on: d.to_string(),
            })
            .collect(),
            clause_id: clause.map_or(String::new(), |(a, c)| clauses[a][c].to_string()),
            ..Default::default()
        };
        let item = input
            .validate(&plan.categories)
            .map_err(|e| StoreError::invalid("demo", format!("{title}: {e:?}")))?;
        let id = store.create_key_item(admin, actor, &item).await?;
        let ms: Vec<i64> = store
            .key_item(admin, id, today)
            .await?
            .milestones
            .iter()
            .map(|m| m.id)
            .collect();
        // Which milestone each month's report marks done, and on which day.
        let done_in: [(u32, Option<usize>); 3] = match fate {
            Fate::OnTime => [(3, Some(0)), (6, Some(1)), (12, Some(2))],
            Fate::LateMiddle => [(3, Some(0)), (8, Some(1)), (12, Some(2))],
            Fate::OpenLast => [(3, Some(0)), (6, Some(1)), (12, None)],
            Fate::Stalled => [(3, Some(0)), (6, None), (12, None)],
        };
        for month in 1..=12u32 {
            // A stalled item stops reporting after the summer.
            if matches!(fate, Fate::Stalled) && month > 8 {
                break;
            }
            let m = Month::new(2024, month).expect("a month");
            let done: Vec<i64> = done_in
                .iter()
                .filter(|(at, _)| *at == month)
                .filter_map(|(_, i)| i.map(|i| ms[i]))
                .collect();
            let day = ymd(2024, month, if month == 12 { 20 } else { 25 });
            let content = if done.is_empty() {
                format!("{title}按计划推进，本月完成阶段性工作。")
            } else {
                format!("{title}完成节点任务，相关材料已报送。")
            };
            let report = file(store, admin, actor, id, m, &content, &done, day, december).await?;
            let row = store.key_item(admin, id, today).await?;
            if let Some(r) = row.progress.iter().find(|r| r.id == report) {
                // The office sends back one report of the 招商 items once, for want of evidence.
                if unit == "TCZX" && month == 5 {
                    store
                        .review_item_progress(
                            admin,
                            actor,
                            r.id,
                            r.version,
                            false,
                            Some("请补充签约项目清单作为佐证材料"),
                        )
                        .await?;
                    let again = file(
                        store,
                        admin,
                        actor,
                        id,
                        m,
                        &content,
                        &done,
                        ymd(2024, 6, 3),
                        december,
                    )
                    .await?;
                    let r = store.key_item(admin, id, today).await?;
                    if let Some(r) = r.progress.iter().find(|x| x.id == again) {
                        store
                            .review_item_progress(admin, actor, r.id, r.version, true, None)
                            .await?;
                    }
                } else if month < 12 {
                    store
                        .review_item_progress(admin, actor, r.id, r.version, true, None)
                        .await?;
                }
            }
        }
    }

    // This year's work points, dated around the real today: the reminders a unit sees.
    let now = chrono::Utc::now()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
        .date_naive();
    let year = now.year();
    let plan = WorkPlanInput {
        year: year.to_string(),
        kind: "work_points".into(),
        name: format!("{year}年湖州市推进长三角一体化发展工作要点"),
        categories: String::new(),
    }
    .validate()
    .map_err(|e| StoreError::invalid("demo", format!("{e:?}")))?;
    let plan = store.create_work_plan(admin, actor, &plan).await?;
    let around = |days: i64| {
        if days >= 0 {
            now + Days::new(days as u64)
        } else {
            now - Days::new(days.unsigned_abs())
        }
    };
    let current: [(&str, &str, &str, [i64; 3]); 6] = [
        (
            "产业协同",
            "长三角产业链协同招商专项行动",
            "TCZX",
            [-60, -4, 5],
        ),
        (
            "开放合作",
            "赴沪开展“双招双引”系列推介活动",
            "TCZX",
            [-30, 3, 40],
        ),
        (
            "交通互联",
            "沪苏湖铁路湖州段站房建设",
            "JTJ",
            [-90, -20, 30],
        ),
        (
            "创新协同",
            "长三角科技创新券通用通兑扩面",
            "KJJ",
            [-45, 6, 60],
        ),
        ("生态共保", "太湖跨界水体联保共治", "STJ", [-70, -10, 25]),
        (
            "公共服务共享",
            "长三角政务服务“一网通办”事项扩容",
            "FGW",
            [-50, 2, 35],
        ),
    ];
    let this_month = Month::new(year, now.month()).expect("a month");
    for (category, title, unit, offsets) in current {
        let input = ItemInput {
            plan_id: plan.id.to_string(),
            category: category.into(),
            title: title.into(),
            lead_unit_id: id_of(units, unit).to_string(),
            partner_regions: "上海市、江苏省、安徽省".into(),
            target: format!("{year}年底前完成{title}年度任务"),
            milestones: ["形成工作方案", "完成阶段任务", "完成年度任务"]
                .iter()
                .zip(offsets)
                .map(|(t, d)| MilestoneInput {
                    title: t.to_string(),
                    due_on: text(around(d)),
                })
                .collect(),
            ..Default::default()
        };
        let item = input
            .validate(&plan.categories)
            .map_err(|e| StoreError::invalid("demo", format!("{title}: {e:?}")))?;
        let id = store.create_key_item(admin, actor, &item).await?;
        let first = store.key_item(admin, id, now).await?.milestones[0].id;
        let filed_on = around(offsets[0] - 2);
        let month = Month::new(filed_on.year(), filed_on.month()).expect("a month");
        file(
            store,
            admin,
            actor,
            id,
            month,
            &format!("{title}工作方案已印发，各项任务分解到位。"),
            &[first],
            filed_on,
            this_month,
        )
        .await?;
    }
    Ok(())
}
