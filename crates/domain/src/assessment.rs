//! Year-end assessment of lead units (考核): a score from configurable rules over the unit's
//! key items — milestones done on time, milestones done, and deductions for the quality of its
//! reporting — plus adjustments the office records with a reason.

use serde::{Deserialize, Serialize};

/// The rules of one year's assessment. Points are out of `on_time_points + completion_points`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssessmentRules {
    /// Points for milestones done by their due day (按期完成率 × points).
    pub on_time_points: f64,
    /// Points for milestones done at all by the assessment day (完成率 × points).
    pub completion_points: f64,
    /// Deducted for each progress report the office sent back (退回).
    pub per_returned_report: f64,
    /// Deducted for each month an item had no progress report.
    pub per_missing_report: f64,
    /// Deductions never exceed this.
    pub max_deduction: f64,
}

impl Default for AssessmentRules {
    fn default() -> Self {
        AssessmentRules {
            on_time_points: 60.0,
            completion_points: 40.0,
            per_returned_report: 1.0,
            per_missing_report: 0.5,
            max_deduction: 20.0,
        }
    }
}

impl AssessmentRules {
    pub fn full_marks(&self) -> f64 {
        self.on_time_points + self.completion_points
    }

    /// Chinese reasons for rules that cannot work; empty when they can.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (label, v) in [
            ("按期完成分值", self.on_time_points),
            ("完成率分值", self.completion_points),
            ("每次退回扣分", self.per_returned_report),
            ("每月缺报扣分", self.per_missing_report),
            ("扣分上限", self.max_deduction),
        ] {
            if !v.is_finite() || v < 0.0 {
                out.push(format!("{label}应为不小于0的数"));
            }
        }
        if self.full_marks() <= 0.0 {
            out.push("按期完成分值与完成率分值之和应大于0".into());
        }
        out
    }
}

/// What a unit did in the year, counted by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct UnitRecord {
    /// Milestones of the unit's items due in the year up to the assessment day.
    pub milestones_due: u32,
    /// Of those, done on or before their due day.
    pub done_on_time: u32,
    /// Of those, done at all by the assessment day.
    pub done: u32,
    /// Progress reports the office sent back.
    pub returned_reports: u32,
    /// Item-months without a progress report.
    pub missing_reports: u32,
}

/// One unit's score and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Score {
    /// 按期完成率, 0–1; 1 when nothing was due.
    pub on_time_rate: f64,
    /// 完成率, 0–1; 1 when nothing was due.
    pub completion_rate: f64,
    pub on_time_score: f64,
    pub completion_score: f64,
    pub deduction: f64,
    /// The office's adjustments, summed.
    pub adjustment: f64,
    /// Between 0 and full marks, two decimals.
    pub total: f64,
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Scores a unit: on-time and completion points in proportion to its rates, less the capped
/// deductions, plus the office's adjustments, kept between 0 and full marks. A unit with no
/// milestone due has nothing to be late with, so both rates count as 1.
pub fn score(rules: &AssessmentRules, record: &UnitRecord, adjustments: &[f64]) -> Score {
    let rate = |n: u32| {
        if record.milestones_due == 0 {
            1.0
        } else {
            f64::from(n) / f64::from(record.milestones_due)
        }
    };
    let (on_time_rate, completion_rate) = (rate(record.done_on_time), rate(record.done));
    let on_time_score = rules.on_time_points * on_time_rate;
    let completion_score = rules.completion_points * completion_rate;
    let deduction = (rules.per_returned_report * f64::from(record.returned_reports)
        + rules.per_missing_report * f64::from(record.missing_reports))
    .min(rules.max_deduction);
    // + 0.0: an empty sum is −0.0, which would print as "-0.00".
    let adjustment: f64 = adjustments.iter().sum::<f64>() + 0.0;
    let total =
        (on_time_score + completion_score - deduction + adjustment).clamp(0.0, rules.full_marks());
    Score {
        on_time_rate,
        completion_rate,
        on_time_score: round2(on_time_score),
        completion_score: round2(completion_score),
        deduction: round2(deduction),
        adjustment: round2(adjustment),
        total: round2(total),
    }
}

/// Ranks scores high to low; equal totals share a rank (1, 2, 2, 4).
pub fn ranks(totals: &[f64]) -> Vec<u32> {
    totals
        .iter()
        .map(|t| 1 + totals.iter().filter(|o| *o > t).count() as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_computed_unit() {
        // 8 milestones due: 5 on time, 7 done; 3 reports returned, 6 item-months missing.
        // on time 60 × 5/8 = 37.5; completion 40 × 7/8 = 35; deduction 3×1 + 6×0.5 = 6;
        // the office adds 2 (牵头完成省级试点) and takes 0.5 (材料报送不规范):
        // 37.5 + 35 − 6 + 1.5 = 68.
        let record = UnitRecord {
            milestones_due: 8,
            done_on_time: 5,
            done: 7,
            returned_reports: 3,
            missing_reports: 6,
        };
        let s = score(&AssessmentRules::default(), &record, &[2.0, -0.5]);
        assert_eq!(s.on_time_score, 37.5);
        assert_eq!(s.completion_score, 35.0);
        assert_eq!(s.deduction, 6.0);
        assert_eq!(s.adjustment, 1.5);
        assert_eq!(s.total, 68.0);
    }

    #[test]
    fn deductions_are_capped_and_the_total_stays_within_marks() {
        let rules = AssessmentRules::default();
        let bad = UnitRecord {
            milestones_due: 4,
            returned_reports: 30,
            missing_reports: 30,
            ..UnitRecord::default()
        };
        let s = score(&rules, &bad, &[]);
        assert_eq!(s.deduction, 20.0);
        assert_eq!(s.total, 0.0);
        let s = score(&rules, &UnitRecord::default(), &[5.0]);
        assert_eq!(s.on_time_rate, 1.0);
        assert_eq!(s.total, 100.0);
    }

    #[test]
    fn equal_totals_share_a_rank() {
        assert_eq!(ranks(&[90.0, 95.5, 90.0, 80.0]), [2, 1, 2, 4]);
    }

    #[test]
    fn rules_that_cannot_work_are_named() {
        let rules = AssessmentRules {
            on_time_points: -1.0,
            completion_points: 0.0,
            ..AssessmentRules::default()
        };
        let p = rules.problems();
        assert!(p[0].contains("按期完成分值"));
        assert!(p.iter().any(|m| m.contains("之和")));
    }
}
