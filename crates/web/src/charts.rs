//! The charts of the investment figures, built once for the cockpit page (inline SVG) and the
//! bulletin (the same SVG as a picture), so both draw the same thing from the same figures.

use hezuo_domain::TierConfig;
use hezuo_domain::figures::{self, Light};
use hezuo_office::chart::{Bar, BarChart, BarColor, LineChart, Series, TierBars};
use hezuo_store::stats::{InvestmentStats, Period, SigningStats};

pub fn bar_color(light: Option<Light>) -> Option<BarColor> {
    light.map(|l| match l {
        Light::Ahead => BarColor::Ahead,
        Light::Normal => BarColor::Normal,
        Light::Behind => BarColor::Behind,
    })
}

/// Completion by district against 时序进度; `link` gives a bar its drill-down (pages only).
pub fn district_completion(
    period: Period,
    by_district: &[(String, String, InvestmentStats)],
    link: impl Fn(&str) -> Option<String>,
) -> BarChart {
    let months = period.month;
    BarChart {
        title: format!("{}年1—{}月各区县年度投资完成率", period.year, months),
        unit: "%".into(),
        bars: by_district
            .iter()
            .filter(|(_, _, s)| s.planned > 0)
            .map(|(code, name, s)| Bar {
                label: name.clone(),
                value: s.completion_rate().map_or(0.0, |r| r.as_f64() * 100.0),
                color: bar_color(s.light()),
                href: link(code),
            })
            .collect(),
        reference: Some((
            figures::time_progress(months).as_f64() * 100.0,
            format!("时序进度 {}", figures::time_progress(months).percent_text()),
        )),
    }
}

/// Investment completed to each month of the period, yuan (January first), from the monthly
/// amounts (month, yuan) the store gives.
pub fn cumulative(period: Period, monthly: &[(u32, i64)]) -> Vec<i64> {
    let mut total = 0i64;
    (1..=period.month)
        .map(|m| {
            total += monthly
                .iter()
                .find(|(mm, _)| *mm == m)
                .map_or(0, |(_, v)| *v);
            total
        })
        .collect()
}

/// Cumulative investment by month against the pro-rata plan (序时计划), in 亿元.
pub fn cumulative_against_plan(period: Period, planned: i64, monthly: &[(u32, i64)]) -> LineChart {
    let cumulative = cumulative(period, monthly);
    let done: Vec<Option<f64>> = (1..=12)
        .map(|m| cumulative.get(m - 1).map(|v| *v as f64 / 1e8))
        .collect();
    // Nothing planned and nothing reported: say so rather than draw a flat zero line.
    let has_data = planned > 0 || monthly.iter().any(|(_, v)| *v != 0);
    let plan_line: Vec<Option<f64>> = (1..=12)
        .map(|m| has_data.then(|| planned as f64 / 1e8 * f64::from(m) / 12.0))
        .collect();
    let done: Vec<Option<f64>> = if has_data { done } else { vec![None; 12] };
    LineChart {
        title: format!("{}年累计完成投资与序时计划", period.year),
        unit: "亿元".into(),
        x_labels: (1..=12).map(|m| format!("{m}月")).collect(),
        series: vec![
            Series {
                name: "序时计划".into(),
                values: plan_line,
                dashed: true,
            },
            Series {
                name: "累计完成".into(),
                values: done,
                dashed: false,
            },
        ],
    }
}

/// Signed projects by tier, cumulative (≥), count and investment.
pub fn signing_tiers(period: Period, signing: &SigningStats) -> TierBars {
    TierBars {
        title: format!(
            "{}年1—{}月签约项目规模分布（累计）",
            period.year, period.month
        ),
        items: signing
            .tiers
            .iter()
            .filter(|_| signing.count > 0)
            .map(|t| {
                (
                    TierConfig::label(t.min_yi),
                    t.count.max(0) as u64,
                    t.investment as f64 / 1e8,
                )
            })
            .collect(),
    }
}
