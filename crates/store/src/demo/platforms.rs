//! The demo city's cooperation platforms and its enclave, with half-year and full-year figures
//! for 2023 and 2024 so that 同比 reads. 南庆产业飞地's 2024 figures are the seed report's
//! (固定资产投资13.4亿元, 规上工业总产值22.2亿元; 卫蓝新能源二期 109亿元).

use crate::audit::Actor;
use crate::coop_platform::PlatformFigures;
use crate::db::{Store, StoreError};
use hezuo_domain::platform::PlatformInput;
use hezuo_domain::{Month, Viewer};

/// (name, kind, district, partner, output %, tax %).
type PlatformSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// Full-year figures in tenths of 亿元 (projects a count): FAI, output, projects, project
/// investment, tax, output arrived, tax arrived — for 2023 and 2024.
type Year = [i64; 7];

const PLATFORMS: [(PlatformSeed, Year, Year); 5] = [
    (
        (
            "南庆产业飞地",
            "enclave",
            "330502",
            "丽水市庆元县",
            "50",
            "70",
        ),
        [102, 156, 4, 450, 8, 78, 5],
        [134, 222, 6, 1090, 11, 111, 7],
    ),
    (
        (
            "嘉湖一体化合作先行区",
            "platform",
            "330503",
            "嘉兴市",
            "",
            "",
        ),
        [780, 2950, 18, 1100, 165, 0, 0],
        [860, 3200, 21, 1280, 180, 0, 0],
    ),
    (
        (
            "长三角（湖州）产业合作区",
            "platform",
            "330522",
            "上海市、江苏省、安徽省",
            "",
            "",
        ),
        [1380, 5800, 30, 3800, 300, 0, 0],
        [1500, 6200, 35, 4200, 320, 0, 0],
    ),
    (
        (
            "上海湖州合作区（上合区）",
            "platform",
            "330503",
            "上海市",
            "",
            "",
        ),
        [960, 3600, 8, 2100, 180, 0, 0],
        [1200, 4100, 11, 3500, 210, 0, 0],
    ),
    (
        ("南太湖新区", "platform", "330502", "上海市、杭州市", "", ""),
        [1900, 6500, 36, 4700, 410, 0, 0],
        [2100, 7000, 40, 5000, 450, 0, 0],
    ),
];

fn figures(y: Year, percent: i64) -> PlatformFigures {
    let tenth_yi = |v: i64| v * 10_000_000 * percent / 100;
    PlatformFigures {
        fixed_asset_investment: tenth_yi(y[0]),
        industrial_output: tenth_yi(y[1]),
        projects: y[2] * percent / 100,
        projects_investment: tenth_yi(y[3]),
        tax: tenth_yi(y[4]),
        output_arrived: tenth_yi(y[5]),
        tax_arrived: tenth_yi(y[6]),
    }
}

pub(super) async fn load(store: &Store, admin: &Viewer, actor: &Actor) -> Result<(), StoreError> {
    for ((name, kind, district, partner, output, tax), y2023, y2024) in PLATFORMS {
        let p = PlatformInput {
            name: name.into(),
            kind: kind.into(),
            district_code: district.into(),
            partner_region: partner.into(),
            output_share_pct: output.into(),
            tax_share_pct: tax.into(),
        }
        .validate()
        .map_err(|e| StoreError::invalid("demo", format!("{name}: {e:?}")))?;
        let id = store.create_coop_platform(admin, actor, &p).await?;
        for (year, figures_of) in [(2023, y2023), (2024, y2024)] {
            // The first half carries a little under half the year, as building seasons go.
            for (month, percent) in [(6, 45), (12, 100)] {
                let m = Month::new(year, month).expect("a month");
                store
                    .set_platform_figures(admin, actor, id, m, &figures(figures_of, percent), None)
                    .await?;
            }
        }
    }
    Ok(())
}
