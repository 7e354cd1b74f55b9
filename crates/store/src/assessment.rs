//! The year-end assessment (考核) of lead units: the store counts what each unit did with the
//! items it leads in the year's plans, the domain scores it ([`hezuo_domain::assessment`]), and
//! the office's adjustments are kept with their reasons. A unit sees only its own row.

use crate::audit::{self, Actor};
use crate::db::{Store, StoreError, now_text, office_only};
use crate::progress::REPORT_DUE_DAY;
use chrono::NaiveDate;
use hezuo_domain::assessment::{AssessmentRules, Score, UnitRecord, ranks, score};
use hezuo_domain::{ItemScope, Viewer};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
pub struct AdjustmentRow {
    pub id: i64,
    pub unit_id: i64,
    #[sqlx(skip)]
    pub points: f64,
    #[serde(skip)]
    pub points_x100: i64,
    pub reason: String,
    pub made_by: String,
    pub made_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnitAssessment {
    pub unit_id: i64,
    pub unit_name: String,
    /// Items the unit leads in the year's plans.
    pub items: i64,
    pub record: UnitRecord,
    pub score: Score,
    /// 1 is best; equal totals share a rank.
    pub rank: u32,
    pub adjustments: Vec<AdjustmentRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AssessmentReport {
    pub year: i64,
    /// Milestones and reports are counted up to this day (the year's end once it is over).
    pub as_of: String,
    pub rules: AssessmentRules,
    /// Best first.
    pub units: Vec<UnitAssessment>,
}

/// The last month of `year` whose report was due (day [`REPORT_DUE_DAY`] of the next month) by `day`.
fn last_due_month(year: i32, day: NaiveDate) -> u32 {
    (1..=12)
        .rev()
        .find(|&m| {
            let (y, next) = if m == 12 {
                (year + 1, 1)
            } else {
                (year, m + 1)
            };
            NaiveDate::from_ymd_opt(y, next, REPORT_DUE_DAY).is_some_and(|due| due <= day)
        })
        .unwrap_or(0)
}

impl Store {
    /// The rules for a year: those saved for it, else the defaults.
    pub async fn assessment_rules(&self, year: i64) -> Result<AssessmentRules, StoreError> {
        let json: Option<String> =
            sqlx::query_scalar("SELECT rules_json FROM assessment_rules WHERE year = $1")
                .bind(year)
                .fetch_optional(&self.pool)
                .await?;
        Ok(json
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }

    pub async fn set_assessment_rules(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        year: i64,
        rules: &AssessmentRules,
    ) -> Result<(), StoreError> {
        office_only(viewer, "设置考核规则")?;
        let problems = rules.problems();
        if !problems.is_empty() {
            return Err(StoreError::invalid("rules", problems.join("；")));
        }
        let before = self.assessment_rules(year).await?;
        let json = serde_json::to_string(rules).unwrap_or_default();
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE assessment_rules SET rules_json = $1, updated_at = $2, version = version + 1 WHERE year = $3",
        )
        .bind(json.clone())
        .bind(now_text())
        .bind(year)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query("INSERT INTO assessment_rules (year, rules_json, updated_at, version) VALUES ($1, $2, $3, 1)")
                .bind(year)
                .bind(json)
                .bind(now_text())
                .execute(&mut *tx)
                .await?;
        }
        audit::write(
            &mut tx,
            actor,
            "update",
            "assessment_rules",
            Some(year),
            Some(&before),
            Some(rules),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds (or, with negative points, takes) points for a unit, with the reason on record.
    pub async fn adjust_assessment(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        year: i64,
        unit_id: i64,
        points: f64,
        reason: &str,
    ) -> Result<(), StoreError> {
        office_only(viewer, "调整考核得分")?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::invalid("reason", "调整得分须写明理由"));
        }
        if !points.is_finite() || points == 0.0 || points.abs() > 100.0 {
            return Err(StoreError::invalid(
                "points",
                "调整分值应为 -100 至 100 之间的非零数",
            ));
        }
        let points_x100 = (points * 100.0).round() as i64;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assessment_adjustments (year, unit_id, points_x100, reason, made_by, made_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(year)
        .bind(unit_id)
        .bind(points_x100)
        .bind(reason.to_string())
        .bind(actor.user_id)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| crate::db::unique_as_conflict(e, ""))?;
        let after = serde_json::json!({"year": year, "unit_id": unit_id, "points": points, "reason": reason});
        audit::write(
            &mut tx,
            actor,
            "create",
            "assessment_adjustment",
            Some(id),
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Scores every unit leading items in `year`'s plans, as of `today` (or the year's end).
    pub async fn assessment(
        &self,
        viewer: &Viewer,
        year: i64,
        today: NaiveDate,
    ) -> Result<AssessmentReport, StoreError> {
        let y = i32::try_from(year).map_err(|_| StoreError::invalid("year", "年度无效"))?;
        let year_end = NaiveDate::from_ymd_opt(y, 12, 31)
            .ok_or_else(|| StoreError::invalid("year", "年度无效"))?;
        let as_of = today.min(year_end);
        let as_of_text = as_of.format("%Y-%m-%d").to_string();
        let rules = self.assessment_rules(year).await?;

        let items: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT u.id, u.name, COUNT(*) FROM key_items i JOIN work_plans wp ON wp.id = i.plan_id \
             JOIN units u ON u.id = i.lead_unit_id WHERE wp.year = $1 GROUP BY u.id, u.name",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?;
        let milestones: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT i.lead_unit_id, COUNT(*), \
             SUM(CASE WHEN m.done_on IS NOT NULL AND m.done_on <= m.due_on AND m.done_on <= $2 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN m.done_on IS NOT NULL AND m.done_on <= $2 THEN 1 ELSE 0 END) \
             FROM key_item_milestones m JOIN key_items i ON i.id = m.item_id JOIN work_plans wp ON wp.id = i.plan_id \
             WHERE wp.year = $1 AND m.due_on <= $2 GROUP BY i.lead_unit_id",
        )
        .bind(year)
        .bind(as_of_text.clone())
        .fetch_all(&self.pool)
        .await?;
        let due_months = i64::from(last_due_month(y, today));
        let reports: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT i.lead_unit_id, \
             SUM(CASE WHEN r.month <= $2 THEN 1 ELSE 0 END), CAST(SUM(r.returned_count) AS BIGINT) \
             FROM key_item_progress r JOIN key_items i ON i.id = r.item_id JOIN work_plans wp ON wp.id = i.plan_id \
             WHERE wp.year = $1 AND r.year = $1 GROUP BY i.lead_unit_id",
        )
        .bind(year)
        .bind(due_months)
        .fetch_all(&self.pool)
        .await?;
        let adjustments: Vec<AdjustmentRow> = sqlx::query_as(
            "SELECT a.id, a.unit_id, a.points_x100, a.reason, COALESCE(us.display_name, us.username, '') AS made_by, a.made_at \
             FROM assessment_adjustments a LEFT JOIN users us ON us.id = a.made_by WHERE a.year = $1 ORDER BY a.id",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?;

        let mut units: BTreeMap<i64, UnitAssessment> = BTreeMap::new();
        for (unit_id, unit_name, count) in items {
            let (due, on_time, done) = milestones
                .iter()
                .find(|m| m.0 == unit_id)
                .map_or((0, 0, 0), |m| (m.1, m.2, m.3));
            let (filed, returned) = reports
                .iter()
                .find(|r| r.0 == unit_id)
                .map_or((0, 0), |r| (r.1, r.2));
            let record = UnitRecord {
                milestones_due: due as u32,
                done_on_time: on_time as u32,
                done: done as u32,
                returned_reports: returned as u32,
                missing_reports: (count * due_months - filed).max(0) as u32,
            };
            let mine: Vec<AdjustmentRow> = adjustments
                .iter()
                .filter(|a| a.unit_id == unit_id)
                .map(|a| AdjustmentRow {
                    points: a.points_x100 as f64 / 100.0,
                    ..a.clone()
                })
                .collect();
            let points: Vec<f64> = mine.iter().map(|a| a.points).collect();
            units.insert(
                unit_id,
                UnitAssessment {
                    unit_id,
                    unit_name,
                    items: count,
                    score: score(&rules, &record, &points),
                    record,
                    rank: 0,
                    adjustments: mine,
                },
            );
        }
        let mut units: Vec<UnitAssessment> = units.into_values().collect();
        let totals: Vec<f64> = units.iter().map(|u| u.score.total).collect();
        for (u, r) in units.iter_mut().zip(ranks(&totals)) {
            u.rank = r;
        }
        units.sort_by(|a, b| a.rank.cmp(&b.rank).then(a.unit_id.cmp(&b.unit_id)));
        match viewer.item_scope() {
            ItemScope::All => {}
            ItemScope::Unit(id) => units.retain(|u| u.unit_id == id),
            ItemScope::Nothing => units.clear(),
        }
        Ok(AssessmentReport {
            year,
            as_of: as_of_text,
            rules,
            units,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_month_counts_once_its_report_was_due() {
        assert_eq!(last_due_month(2024, d("2024-03-09")), 1);
        assert_eq!(last_due_month(2024, d("2024-03-10")), 2);
        assert_eq!(last_due_month(2024, d("2024-01-05")), 0);
        assert_eq!(last_due_month(2024, d("2025-01-10")), 12);
        assert_eq!(last_due_month(2024, d("2026-06-01")), 12);
    }
}
