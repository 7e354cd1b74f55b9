//! The demo city's enterprises for 亩均效益评价: 1,200 made-up firms across the five districts
//! (about a quarter 规下, a few building or newly set up), with 2023 and 2024 data drawn from a
//! fixed seed — per-mu tax spread the way counties see it, a few firms missing a figure — and
//! the 2024 scheme of one published county (six indicators at 30/20/20/10/10/10, A/B/C/D by
//! 20/40/35/5 %, 规下 on 亩均税收 alone).

use crate::audit::Actor;
use crate::db::{Store, StoreError};
use crate::enterprise::{NewEnterprise, YearFigures};
use hezuo_domain::Viewer;
use hezuo_domain::credit_code::CreditCode;

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
    store
        .save_mujun_scheme(admin, actor, 2024, SCHEME, None)
        .await
}
