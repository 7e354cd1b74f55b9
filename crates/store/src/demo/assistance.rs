//! The demo city's paired assistance for 2024, on the figures of the seed report: 援疆 in
//! 阿克苏地区柯坪县 (投入援疆资金超1.1亿元，安排援疆项目28个, 97人次柔性援疆专家), 援青
//! (2838万元, 10个项目), 东西部协作 with 四川 (1.74亿元, 42个项目, 345万株茶苗, 帮销2.4亿元),
//! 山海协作 with 丽水 (1540万元, 消费帮扶3710万元, 培训2264人次: 提前超额完成) and 浙吉合作
//! with 白山 (20个项目落地, 边境村建设已拨付350万元). The 援疆 on-site team has an account.

use crate::audit::Actor;
use crate::auth::UserInput;
use crate::db::{Store, StoreError};
use crate::dict::DictKind;
use hezuo_domain::assistance::ProgrammeInput;
use hezuo_domain::{Month, Role, Viewer, Yuan};

/// The 援疆 on-site team's unit and its demo account.
pub(super) const TEAM: (&str, &str, &str) = ("YJZHB", "湖州市援疆指挥部", "yuanjiang");

/// How `hezuo demo` lists the team's account.
pub(super) fn team_label() -> String {
    format!("{}：{}", Role::Unit.label(), TEAM.1)
}

/// (name, unit, target, actual) in whole units, and the month the actual stands at.
type Indicator = (&'static str, &'static str, i64, i64);

/// A payment: (万元, date, note).
type Payment = (i64, &'static str, &'static str);

/// (project, allocated 万元, payments).
type Fund = (&'static str, i64, &'static [Payment]);

struct Seed {
    kind: &'static str,
    region: &'static str,
    team: bool,
    as_of: (i32, u32),
    indicators: &'static [Indicator],
    funds: &'static [Fund],
}

const SEEDS: [Seed; 5] = [
    Seed {
        kind: "aid_xinjiang",
        region: "新疆阿克苏地区柯坪县",
        team: true,
        as_of: (2024, 12),
        indicators: &[
            ("财政援助资金", "万元", 11000, 11080),
            ("援助项目", "个", 28, 28),
            ("选派干部人才", "人次", 90, 97),
            ("交往交流交融活动", "人次", 150, 162),
        ],
        funds: &[
            (
                "喀拉库提村（湖州新村）和美乡村建设",
                1800,
                &[(900, "2024-04-15", "一期"), (900, "2024-09-20", "二期")],
            ),
            (
                "柯坪县湖州产业园标准厂房",
                3200,
                &[(1600, "2024-05-10", "预付"), (1000, "2024-11-05", "进度款")],
            ),
            ("柯坪县人民医院能力提升", 1500, &[(1500, "2024-06-28", "")]),
        ],
    },
    Seed {
        kind: "aid_qinghai",
        region: "青海省海西州",
        team: false,
        as_of: (2024, 12),
        indicators: &[
            ("财政援助资金", "万元", 2800, 2838),
            ("援助项目", "个", 10, 10),
        ],
        funds: &[(
            "浙青一家亲民生项目",
            2838,
            &[(1500, "2024-05-20", ""), (1338, "2024-10-18", "")],
        )],
    },
    Seed {
        kind: "east_west",
        region: "四川省广安市、阿坝州小金县",
        team: false,
        as_of: (2024, 12),
        indicators: &[
            ("财政援助资金", "万元", 17000, 17400),
            ("援助项目", "个", 40, 42),
            ("消费帮扶", "万元", 20000, 24000),
            ("捐赠茶苗", "万株", 300, 345),
        ],
        funds: &[(
            "南浔·广安东西部协作产业园",
            6000,
            &[(3000, "2024-03-30", ""), (2000, "2024-08-30", "")],
        )],
    },
    Seed {
        kind: "mountain_sea",
        region: "丽水市云和县、庆元县、青田县",
        team: false,
        as_of: (2024, 11),
        indicators: &[
            ("财政援助资金", "万元", 1500, 1540),
            ("消费帮扶", "万元", 3500, 3710),
            ("劳动力培训", "人次", 2000, 2264),
        ],
        funds: &[(
            "吴兴—云和共富产业园",
            1540,
            &[(1540, "2024-07-12", "省定财政性援建资金")],
        )],
    },
    Seed {
        kind: "interprovincial",
        region: "吉林省白山市",
        team: false,
        as_of: (2024, 12),
        indicators: &[("引导落地项目", "个", 18, 20), ("考察签约企业", "家", 5, 4)],
        funds: &[("白山市边境村建设（一期）", 500, &[(350, "2024-10-30", "")])],
    },
];

/// Loads the programmes, their indicators and funds, and the 援疆 team's account; returns
/// the account as (username, password, label) when it was created.
pub(super) async fn load(
    store: &Store,
    admin: &Viewer,
    actor: &Actor,
    password: &str,
) -> Result<Option<(String, String, String)>, StoreError> {
    let team = store
        .dict_create(actor, DictKind::Unit, TEAM.1, &[TEAM.0.to_string()])
        .await?
        .id;
    let login = match store
        .create_user(
            actor,
            &UserInput {
                username: TEAM.2.into(),
                display_name: TEAM.1.into(),
                role: Role::Unit.code().into(),
                area: String::new(),
                unit_id: Some(team),
                leader_id: None,
            },
            password,
        )
        .await
    {
        Ok(_) => Some((TEAM.2.to_string(), password.to_string(), team_label())),
        Err(StoreError::Conflict(_)) => None,
        Err(e) => return Err(e),
    };
    for seed in &SEEDS {
        let programme = ProgrammeInput {
            year: "2024".into(),
            kind: seed.kind.into(),
            partner_region: seed.region.into(),
            name: String::new(),
            team_unit_id: if seed.team {
                team.to_string()
            } else {
                String::new()
            },
        }
        .validate()
        .map_err(|e| StoreError::invalid("demo", format!("{e:?}")))?;
        let id = store.create_programme(admin, actor, &programme).await?;
        let as_of = Month::new(seed.as_of.0, seed.as_of.1).expect("a month");
        for (name, unit, target, actual) in seed.indicators {
            store
                .set_indicator(
                    admin,
                    actor,
                    id,
                    (name, unit),
                    target * 100,
                    actual * 100,
                    as_of,
                    None,
                )
                .await?;
        }
        for (project, allocated, payments) in seed.funds {
            let fund = store
                .add_fund(admin, actor, id, project, Yuan::from_wan(*allocated))
                .await?;
            for (wan, day, note) in *payments {
                let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("a date");
                store
                    .disburse(admin, actor, fund, Yuan::from_wan(*wan), day, note)
                    .await?;
            }
        }
    }
    people_and_sales(store, admin, actor).await?;
    Ok(login)
}

/// A few of the people dispatched to 柯坪县 and of the sales of 四川's produce.
async fn people_and_sales(store: &Store, admin: &Viewer, actor: &Actor) -> Result<(), StoreError> {
    use hezuo_domain::assistance::{PersonInput, SaleInput};
    let page = store
        .programmes(
            admin,
            &Default::default(),
            Month::new(2024, 12).expect("a month"),
        )
        .await?;
    let find = |kind: &str| page.items.iter().find(|p| p.kind == kind).map(|p| p.id);
    if let Some(id) = find("aid_xinjiang") {
        let people = [
            (
                "沈建华",
                "挂职干部",
                "第十一批",
                "柯坪县委副书记",
                "2023-02-20",
            ),
            (
                "陆晓峰",
                "挂职干部",
                "第十一批",
                "柯坪县发改委",
                "2023-02-20",
            ),
            (
                "钱敏",
                "专业技术人才",
                "第十一批",
                "柯坪县人民医院",
                "2024-03-05",
            ),
            (
                "姚俊杰",
                "柔性专家",
                "第3批柔性援疆",
                "柯坪县第一中学",
                "2024-09-01",
            ),
        ];
        for (name, role, batch, place, start) in people {
            let p = PersonInput {
                name: name.into(),
                role: role.into(),
                batch: batch.into(),
                place: place.into(),
                start_on: start.into(),
                end_on: String::new(),
            }
            .validate()
            .map_err(|e| StoreError::invalid("demo", format!("{e:?}")))?;
            store.add_person(admin, actor, id, &p).await?;
        }
    }
    if let Some(id) = find("east_west") {
        let sales = [
            ("广安龙安柚", "四川省广安市", "860", "2024-03-18"),
            ("小金苹果", "四川省阿坝州小金县", "420", "2024-10-12"),
            ("白叶一号茶叶", "四川省广安市", "1280", "2024-05-06"),
        ];
        for (product, region, wan, day) in sales {
            let s = SaleInput {
                product: product.into(),
                region: region.into(),
                amount_wan: wan.into(),
                sold_on: day.into(),
            }
            .validate()
            .map_err(|e| StoreError::invalid("demo", format!("{e:?}")))?;
            store.add_sale(admin, actor, id, &s).await?;
        }
    }
    Ok(())
}
