//! The figures the office reports, exactly as `domain.md` defines them ("Figures, exactly").
//! Every rate is an exact [`Ratio`] of integers; rounding happens only when a rate is written
//! out, and a figure with nothing behind it is `None` (never 0%, never NaN).

use crate::money::Yuan;
use serde::{Deserialize, Serialize};

/// An exact non-negative-denominator fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    pub num: i64,
    pub den: i64,
}

impl Ratio {
    /// `num / den`, or `None` when there is nothing to divide by.
    pub fn new(num: i64, den: i64) -> Option<Ratio> {
        (den > 0).then_some(Ratio { num, den })
    }

    /// The rate in tenths of a percent, rounded half away from zero (152.04% → 1520).
    pub fn permille(self) -> i64 {
        let scaled = i128::from(self.num) * 1000;
        let den = i128::from(self.den);
        let q = (scaled.abs() * 2 + den) / (2 * den);
        (if scaled < 0 { -q } else { q }) as i64
    }

    /// "152.0%" — one decimal, as the office writes percentages.
    pub fn percent_text(self) -> String {
        tenths_text(self.permille()) + "%"
    }

    /// For drawing only.
    pub fn as_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

/// Tenths as "x.y" ("-3.4", "152.0").
pub fn tenths_text(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    format!("{sign}{}.{}", tenths.abs() / 10, tenths.abs() % 10)
}

/// 年度投资完成率 = Σ invested this year ÷ Σ planned for this year.
pub fn completion_rate(completed: Yuan, planned: Yuan) -> Option<Ratio> {
    Ratio::new(completed.0, planned.0)
}

/// 时序进度 = months elapsed ÷ 12.
pub fn time_progress(months_elapsed: u32) -> Ratio {
    Ratio {
        num: i64::from(months_elapsed.min(12)),
        den: 12,
    }
}

/// A project's (or a scope's) traffic light against 时序进度.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    /// 超前: completion rate > 1.05 × 时序进度.
    Ahead,
    /// 正常.
    Normal,
    /// 滞后: completion rate < 0.95 × 时序进度.
    Behind,
}

impl Light {
    pub fn label(self) -> &'static str {
        match self {
            Light::Ahead => "超前",
            Light::Normal => "正常",
            Light::Behind => "滞后",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Light::Ahead => "ahead",
            Light::Normal => "normal",
            Light::Behind => "behind",
        }
    }

    pub fn parse(s: &str) -> Option<Light> {
        [Light::Ahead, Light::Normal, Light::Behind]
            .into_iter()
            .find(|l| l.code() == s || l.label() == s)
    }

    /// The light for `completed / planned` after `months` of the year. Compared exactly:
    /// completed/planned > 1.05 × months/12 ⇔ completed × 12 × 100 > 105 × months × planned.
    pub fn of(completed: Yuan, planned: Yuan, months: u32) -> Option<Light> {
        if planned.0 <= 0 || months == 0 {
            return None;
        }
        let lhs = i128::from(completed.0) * 12 * 100;
        let t = i128::from(months.min(12)) * i128::from(planned.0);
        Some(if lhs > 105 * t {
            Light::Ahead
        } else if lhs < 95 * t {
            Light::Behind
        } else {
            Light::Normal
        })
    }
}

/// 开工率, 竣工率, 落地率: `done` of `total`.
pub fn share(done: i64, total: i64) -> Option<Ratio> {
    Ratio::new(done, total)
}

/// 同比增长 = (this − last) ÷ last; `None` when last year has no data.
pub fn year_on_year(this: i64, last: i64) -> Option<Ratio> {
    Ratio::new(this - last, last)
}

/// How a rate compares with the province's reference (both in tenths of a percent):
/// "快于全省43.1个百分点", "慢于全省2.0个百分点", "与全省持平".
pub fn versus_province(rate_permille: i64, province_permille: i64) -> String {
    let diff = rate_permille - province_permille;
    match diff {
        0 => "与全省持平".to_string(),
        d if d > 0 => format!("快于全省{}个百分点", tenths_text(d)),
        d => format!("慢于全省{}个百分点", tenths_text(-d)),
    }
}

/// Parses a percentage typed with at most one decimal ("108.9", "108.9%") into tenths.
pub fn parse_percent(text: &str) -> Option<i64> {
    let t = text.trim().trim_end_matches(['%', '％']).trim();
    let negative = t.starts_with('-');
    let v = crate::money::decimal_to_scaled(t.trim_start_matches('-'), 10).ok()?;
    Some(if negative { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::YI;

    #[test]
    fn the_bulletin_example_reads_as_the_office_wrote_it() {
        // 27 projects completed 241亿 against a plan of 158.55亿: 152.0%, 43.1 points above 108.9%.
        let rate = completion_rate(Yuan(241 * YI), Yuan(15_855_000_000)).unwrap();
        assert_eq!(rate.percent_text(), "152.0%");
        assert_eq!(
            versus_province(rate.permille(), 1089),
            "快于全省43.1个百分点"
        );
        assert_eq!(versus_province(900, 950), "慢于全省5.0个百分点");
        assert_eq!(versus_province(950, 950), "与全省持平");
    }

    #[test]
    fn nothing_planned_is_no_figure_not_zero() {
        assert_eq!(completion_rate(Yuan(5), Yuan(0)), None);
        assert_eq!(share(0, 0), None);
        assert_eq!(year_on_year(10, 0), None);
        assert_eq!(Light::of(Yuan(1), Yuan(0), 6), None);
    }

    #[test]
    fn lights_switch_exactly_at_five_percent_either_side() {
        // Six months: time progress 50%; the bands are 47.5% and 52.5%.
        let planned = Yuan(1000);
        assert_eq!(Light::of(Yuan(525), planned, 6), Some(Light::Normal));
        assert_eq!(Light::of(Yuan(526), planned, 6), Some(Light::Ahead));
        assert_eq!(Light::of(Yuan(475), planned, 6), Some(Light::Normal));
        assert_eq!(Light::of(Yuan(474), planned, 6), Some(Light::Behind));
        assert_eq!(Light::of(Yuan(0), planned, 12), Some(Light::Behind));
    }

    #[test]
    fn time_progress_is_months_over_twelve() {
        assert_eq!(time_progress(11).percent_text(), "91.7%");
        assert_eq!(time_progress(12).percent_text(), "100.0%");
        assert_eq!(time_progress(0).percent_text(), "0.0%");
    }

    #[test]
    fn year_on_year_can_fall() {
        assert_eq!(year_on_year(90, 100).unwrap().percent_text(), "-10.0%");
        assert_eq!(year_on_year(125, 100).unwrap().percent_text(), "25.0%");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(Ratio::new(1, 8).unwrap().permille(), 125);
        assert_eq!(Ratio::new(1, 2000).unwrap().permille(), 1);
        assert_eq!(Ratio::new(-1, 2000).unwrap().permille(), -1);
        assert_eq!(Ratio::new(2, 3).unwrap().percent_text(), "66.7%");
    }

    #[test]
    fn province_references_are_typed_as_percentages() {
        assert_eq!(parse_percent("108.9"), Some(1089));
        assert_eq!(parse_percent("108.9%"), Some(1089));
        assert_eq!(parse_percent("-3"), Some(-30));
        assert_eq!(parse_percent("1.25"), None);
        assert_eq!(parse_percent("abc"), None);
    }
}
