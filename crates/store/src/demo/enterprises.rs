//! The demo city's enterprises for 亩均效益评价: 1,200 made-up firms across the five districts
//! (about a quarter 规下, a few building or newly set up), with 2023 and 2024 data drawn from a
//! fixed seed — per-mu tax spread the way counties see it, a few firms missing a figure — and
//! the 2024 scheme of one published county (six indicators at 30/20/20/10/10/10, A/B/C/D by
//! 20/40/35/5 %, 规下 on 亩均税收 alone).

use crate::audit::Actor;
use crate::db::{Store, StoreError};
use crate::enterprise::{NewEnterprise, YearFigures};
use crate::mujun_results::ImprovementInput;
use hezuo_domain::Viewer;
use hezuo_domain::credit_code::CreditCode;
use hezuo_domain::mujun_report::ImprovementKind;

const COUNT: usize = 1200;

const DISTRICTS: [(&str, &str); 5] = [
    ("330502", "吴兴"),
    ("330503", "南浔"),
    ("330521", "德清"),
    ("330522", "长兴"),
    ("330523", "安吉"),
];

const INDUSTRIES: [&str; 8] = [
    "纺织服装",
    "金属制品",
    "装备制造",
    "新材料",
    "新能源汽车零部件",
    "生物医药",
    "竹木家具",
    "电子信息",
];

const WORDS: [&str; 16] = [
    "恒", "博", "致", "华", "新", "中", "瑞", "科", "德", "盛", "东", "金", "天", "万", "凯", "泰",
];

pub(super) const SCHEME: &str = r#"
year = 2024
missing = "zero"

[[indicators]]
name = "亩均税收"
numerator = "tax"
denominator = "land"
weight = 30
benchmark = { kind = "average", times = 1.0 }
cap = 3.0

[[indicators]]
name = "亩均增加值"
numerator = "value_added"
denominator = "land"
weight = 20
benchmark = { kind = "average", times = 1.0 }
cap = 3.0

[[indicators]]
name = "单位能耗增加值"
numerator = "value_added"
denominator = "energy"
weight = 20
benchmark = { kind = "average", times = 1.0 }
cap = 3.0

[[indicators]]
name = "单位排放增加值"
numerator = "value_added"
denominator = "emission"
weight = 10
benchmark = { kind = "average", times = 1.0 }
cap = 3.0

[[indicators]]
name = "全员劳动生产率"
numerator = "value_added"
denominator = "employees"
weight = 10
benchmark = { kind = "average", times = 1.0 }
cap = 3.0

[[indicators]]
name = "研发经费占营业收入比重"
numerator = "rnd"
denominator = "revenue"
weight = 10
benchmark = { kind = "average", times = 1.0 }
cap = 3.0

[[small]]
name = "亩均税收"
numerator = "tax"
denominator = "land"
weight = 100
benchmark = { kind = "average", times = 1.0 }
cap = 3.0

[[classes]]
class = "A"
upto_pct = 20
[[classes]]
class = "B"
upto_pct = 60
[[classes]]
class = "C"
upto_pct = 95
[[classes]]
class = "D"
upto_pct = 100

[[exempt]]
reason = "在建"
managed_as = "B"
[[exempt]]
reason = "新办"
managed_as = "B"

[[adjustments]]
name = "省级以上研发机构"
points = 3
[[adjustments]]
name = "安全生产事故"
points = -5
"#;

/// A small deterministic generator (the demo is the same on every machine).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A factor around 1 with a long upper tail (0.2 … ~5), as per-mu figures spread.
    fn spread(&mut self) -> f64 {
        let u = (self.below(10_000) as f64 + 0.5) / 10_000.0;
        0.2 + 4.8 * u * u * u
    }
}

pub(super) async fn load(store: &Store, admin: &Viewer, actor: &Actor) -> Result<(), StoreError> {
    let mut rng = Rng(20_240_101);
    for n in 0..COUNT {
        let (district, short) = DISTRICTS[n % DISTRICTS.len()];
        let industry = INDUSTRIES[rng.below(INDUSTRIES.len() as u64) as usize];
        let above = rng.below(4) != 0;
        let exempt = match rng.below(40) {
            0 => "在建",
            1 => "新办",
            _ => "",
        };
        // 企业 (9), 工商 (1), the district's division, then an organisation code.
        let first17 = format!("91{district}MA{:07}", 2_000_000 + n * 37);
        let credit_code = CreditCode::complete(&first17)
            .ok_or_else(|| StoreError::invalid("demo", format!("生成的信用代码无效：{first17}")))?;
        let name = format!(
            "湖州{short}{}{}{}有限公司",
            WORDS[rng.below(16) as usize],
            WORDS[rng.below(16) as usize],
            industry
        );
        let land_x100 = if above {
            (20 + rng.below(180)) as i64 * 100
        } else {
            (3 + rng.below(25)) as i64 * 100
        };
        let id = store
            .upsert_enterprise(
                admin,
                actor,
                &NewEnterprise {
                    credit_code,
                    name,
                    district_code: district.into(),
                    industry: industry.into(),
                    above_scale: above,
                    land_owned_x100: land_x100,
                    land_leased_x100: 0,
                    exempt: exempt.into(),
                },
            )
            .await?;
        let mu = land_x100 as f64 / 100.0;
        let strength = rng.spread();
        for (year, growth) in [
            (2023, 1.0),
            (2024, 1.0 + (rng.below(30) as f64 - 8.0) / 100.0),
        ] {
            let tax_per_mu = 120_000.0 * strength * growth * if above { 1.0 } else { 0.6 };
            let va = tax_per_mu * mu * 6.5;
            let revenue = va * 4.0;
            // One firm in fifty leaves its energy figure out.
            let energy = (rng.below(50) != 0)
                .then(|| ((va / 12_000.0) * rng.spread().sqrt() * 100.0) as i64);
            let flags = match rng.below(30) {
                0 => vec!["省级以上研发机构".to_string()],
                1 => vec!["安全生产事故".to_string()],
                _ => vec![],
            };
            let figures = YearFigures {
                tax: Some((tax_per_mu * mu) as i64),
                value_added: Some(va as i64),
                revenue: Some(revenue as i64),
                energy_x100: energy,
                emission_x100: Some(((va / 50_000.0) * rng.spread().sqrt() * 100.0) as i64),
                electricity: Some((va / 3.0) as i64),
                employees: Some((mu * (2.0 + rng.below(6) as f64)) as i64 + 5),
                rnd: Some((revenue * (0.005 + rng.below(40) as f64 / 1000.0)) as i64),
                flags,
            };
            store
                .set_enterprise_year(admin, actor, id, year, &figures)
                .await?;
        }
    }
    evaluate(store, admin, actor).await
}

/// 2023 and 2024 evaluated under the county's scheme, publicized and published: in 2024 two
/// objections (one upheld after the data were corrected, one not), and the D class on the
/// improvement list with a year of actions — some firms improved, some gave their land back.
async fn evaluate(store: &Store, admin: &Viewer, actor: &Actor) -> Result<(), StoreError> {
    for (year, until) in [(2023, "2024-04-15"), (2024, "2025-04-15")] {
        let scheme = SCHEME.replace("year = 2024", &format!("year = {year}"));
        store
            .save_mujun_scheme(admin, actor, year, &scheme, None)
            .await?;
        let draft = store.mujun_year(admin, year).await?;
        store
            .publicize_mujun(admin, actor, year, until, draft.version)
            .await?;
        let mut frozen = store.mujun_year(admin, year).await?;
        if year == 2024 {
            let bottom: Vec<i64> = frozen
                .rows
                .iter()
                .filter(|r| r.result.class.as_deref() == Some("D"))
                .map(|r| r.enterprise.id)
                .take(2)
                .collect();
            for (n, id) in bottom.into_iter().enumerate() {
                let (content, upheld, answer) = if n == 0 {
                    (
                        "企业反映2024年度研发经费未计入母公司统一归集部分，申请更正",
                        true,
                        "经统计局核实，研发经费数据有误，已更正并重新评价",
                    )
                } else {
                    (
                        "企业认为用地面积含代征道路，应予扣除",
                        false,
                        "经自然资源部门核实，用地面积与不动产登记一致，维持原结果",
                    )
                };
                let objection = store
                    .file_mujun_objection(admin, actor, year, id, content)
                    .await?;
                store
                    .resolve_mujun_objection(admin, actor, objection, upheld, answer, 1)
                    .await?;
                if upheld {
                    correct_rnd(store, admin, actor, id, year).await?;
                }
            }
            store
                .publicize_mujun(admin, actor, year, until, frozen.version)
                .await?;
            frozen = store.mujun_year(admin, year).await?;
        }
        store
            .finalize_mujun(admin, actor, year, frozen.version)
            .await?;
        let list = store.mujun_improvements(admin, year, None).await?;
        let mut rng = Rng(year as u64);
        for item in &list.items {
            let (kind, measures, done, land, floor) = match rng.below(10) {
                0..=2 => (
                    ImprovementKind::Vacate,
                    "企业整体退出，土地由园区收储后引进新项目",
                    year == 2023 || rng.below(2) == 0,
                    item.land_x100,
                    item.land_x100 * 400,
                ),
                3..=6 => (
                    ImprovementKind::Upgrade,
                    "实施技术改造，淘汰落后产能，提高单位能耗产出",
                    year == 2023,
                    0,
                    0,
                ),
                _ => (
                    ImprovementKind::Upgrade,
                    "部分厂房分割出租给优质企业，盘活闲置空间",
                    year == 2023,
                    0,
                    item.land_x100 * 120,
                ),
            };
            let input = ImprovementInput {
                kind,
                measures: measures.into(),
                deadline: format!("{}-12-31", year + 1),
                done,
                land_reclaimed_x100: if done { land } else { 0 },
                floor_vacated_x100: if done { floor } else { floor / 2 },
            };
            store
                .update_mujun_improvement(admin, actor, item.id, &input, item.version)
                .await?;
        }
    }
    Ok(())
}

/// The upheld objection's correction: the R&D spending the statistics bureau re-stated (×3).
async fn correct_rnd(
    store: &Store,
    admin: &Viewer,
    actor: &Actor,
    id: i64,
    year: i32,
) -> Result<(), StoreError> {
    use hezuo_domain::mujun::DataField::*;
    let population = store.mujun_population(admin, year).await?;
    let Some((_, e)) = population.iter().find(|(r, _)| r.id == id) else {
        return Ok(());
    };
    let whole = |f| e.data.get(f).map(|v: f64| v.round() as i64);
    let hundredths = |f| e.data.get(f).map(|v: f64| (v * 100.0).round() as i64);
    let figures = YearFigures {
        tax: whole(Tax),
        value_added: whole(ValueAdded),
        revenue: whole(Revenue),
        energy_x100: hundredths(Energy),
        emission_x100: hundredths(Emission),
        electricity: whole(Electricity),
        employees: whole(Employees),
        rnd: whole(Rnd).map(|v| v * 3),
        flags: e.flags.clone(),
    };
    store
        .set_enterprise_year(admin, actor, id, year, &figures)
        .await
}
