//! Annual plans, monthly progress reports with the office's review, blocking factors and the
//! province's reference figures. Every read and write is scoped through the project it
//! belongs to: a report on a project the viewer cannot see does not exist for them.

use crate::audit::{self, Actor};
use crate::db::{Sql, Store, StoreError, now_text};
use crate::project::{ProjectFilter, push_filters, push_scope};
use chrono::NaiveDate;
use hezuo_domain::{Month, Plan, Progress, Viewer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A report for month M is due by this day of month M+1.
pub const REPORT_DUE_DAY: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
pub struct PlanRow {
    pub project_id: i64,
    pub year: i64,
    /// Planned investment for the year, yuan.
    pub planned: i64,
    pub planned_start: Option<String>,
    pub planned_completion: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
pub struct ProgressRow {
    pub id: i64,
    pub project_id: i64,
    pub year: i64,
    pub month: i64,
    /// Investment completed in the month, yuan.
    pub invested: i64,
    pub image_progress: String,
    pub coordination: String,
    /// submitted, accepted or returned.
    pub status: String,
    pub return_reason: Option<String>,
    pub submitted_at: String,
    pub reviewed_at: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
pub struct BlockerRow {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub district_name: String,
    /// land, funding, approval, energy, environment, demolition, other.
    pub kind: String,
    pub description: String,
    pub opened_on: String,
    pub resolved_on: Option<String>,
}

/// Reporting for one month in one area: which planned projects have not reported, and which
/// reported after the due day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AreaReporting {
    pub district_code: String,
    pub district_name: String,
    /// Projects with a plan for the year (expected to report).
    pub expected: i64,
    pub submitted: i64,
    pub missing: Vec<(i64, String)>,
    pub late: Vec<(i64, String)>,
}

const PROGRESS_COLUMNS: &str = "mp.id, mp.project_id, mp.year, mp.month, mp.invested, mp.image_progress, \
    mp.coordination, mp.status, mp.return_reason, mp.submitted_at, mp.reviewed_at, mp.version";

/// The office keeps Beijing time (UTC+8) whatever the server's zone; due days are on its calendar.
fn office_offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// A new annual plan ($1 project, $2 year, $3 planned, $4 planned start, $5 planned
/// completion, $6 now), written with the copy it keeps of its project — district and first
/// 开工/竣工 dates (migrations 0016, 0017) — so the triggers keeping that copy find it right.
/// No row is written when the project is not there.
pub(crate) const INSERT_PLAN: &str = "INSERT INTO annual_plans (project_id, year, district_code, started_on, \
     completed_on, planned, planned_start, planned_completion, version, updated_at) \
     SELECT $1, $2, district_code, started_on, completed_on, $3, $4, $5, 1, $6 FROM projects WHERE id = $1";

impl Store {
    /// Creates or replaces a project's plan for a year. `version` is the plan's version as read
    /// (`None` when there was none); a stale one is a `Conflict`.
    pub async fn save_plan(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        project_id: i64,
        plan: &Plan,
        version: Option<i64>,
    ) -> Result<PlanRow, StoreError> {
        self.editable_project(viewer, project_id).await?;
        let before = self.plan(viewer, project_id, plan.year).await?;
        let now = now_text();
        let mut tx = self.begin_write().await?;
        let month_text = |m: Option<Month>| m.map(|m| m.to_string());
        let written = match (&before, version) {
            (None, _) => sqlx::query(
                INSERT_PLAN,
            )
            .bind(project_id)
            .bind(i64::from(plan.year))
            .bind(plan.planned.0)
            .bind(month_text(plan.planned_start))
            .bind(month_text(plan.planned_completion))
            .bind(now)
            .execute(&mut *tx)
            .await
            .map(|r| r.rows_affected())
            .or_else(|e| match &e {
                sqlx::Error::Database(d) if d.is_unique_violation() => Ok(0),
                _ => Err(e),
            })?,
            (Some(_), Some(v)) => sqlx::query(
                "UPDATE annual_plans SET planned = $1, planned_start = $2, planned_completion = $3, \
                 version = version + 1, updated_at = $4 WHERE project_id = $5 AND year = $6 AND version = $7",
            )
            .bind(plan.planned.0)
            .bind(month_text(plan.planned_start))
            .bind(month_text(plan.planned_completion))
            .bind(now)
            .bind(project_id)
            .bind(i64::from(plan.year))
            .bind(v)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            (Some(_), None) => 0,
        };
        if written == 0 {
            return Err(StoreError::Conflict(
                "该年度计划已被他人修改，请刷新后再改".into(),
            ));
        }
        let after = sqlx::query_as::<_, PlanRow>(
            "SELECT project_id, year, planned, planned_start, planned_completion, version, updated_at \
             FROM annual_plans WHERE project_id = $1 AND year = $2",
        )
        .bind(project_id)
        .bind(i64::from(plan.year))
        .fetch_one(&mut *tx)
        .await?;
        let action = if before.is_some() { "update" } else { "create" };
        audit::write(
            &mut tx,
            actor,
            action,
            "annual_plan",
            Some(project_id),
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn plan(
        &self,
        viewer: &Viewer,
        project_id: i64,
        year: i32,
    ) -> Result<Option<PlanRow>, StoreError> {
        self.get_project(viewer, project_id).await?;
        Ok(sqlx::query_as::<_, PlanRow>(
            "SELECT project_id, year, planned, planned_start, planned_completion, version, updated_at \
             FROM annual_plans WHERE project_id = $1 AND year = $2",
        )
        .bind(project_id)
        .bind(i64::from(year))
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn plans(
        &self,
        viewer: &Viewer,
        project_id: i64,
    ) -> Result<Vec<PlanRow>, StoreError> {
        self.get_project(viewer, project_id).await?;
        Ok(sqlx::query_as::<_, PlanRow>(
            "SELECT project_id, year, planned, planned_start, planned_completion, version, updated_at \
             FROM annual_plans WHERE project_id = $1 ORDER BY year DESC",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Files (or re-files) a month's report. An accepted report is final; a submitted or
    /// returned one is replaced and goes back to the office as submitted.
    pub async fn submit_progress(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        project_id: i64,
        progress: &Progress,
    ) -> Result<ProgressRow, StoreError> {
        self.submit_progress_seen(viewer, actor, project_id, progress, None)
            .await
    }

    /// [`Store::submit_progress`] from a form that read the month's report at version `seen`
    /// (0: there was none): if it has been filed or changed since, the save is a `Conflict`
    /// rather than a silent replacement of someone else's report.
    pub async fn submit_progress_seen(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        project_id: i64,
        progress: &Progress,
        seen: Option<i64>,
    ) -> Result<ProgressRow, StoreError> {
        self.editable_project(viewer, project_id).await?;
        let (year, month) = (
            i64::from(progress.month.year),
            i64::from(progress.month.month),
        );
        let before = self.progress_of(project_id, year, month).await?;
        if before.as_ref().is_some_and(|b| b.status == "accepted") {
            return Err(StoreError::Conflict(format!(
                "{}的月报已被合作办确认，不能再修改",
                progress.month
            )));
        }
        if seen.is_some_and(|v| v != before.as_ref().map_or(0, |b| b.version)) {
            return Err(StoreError::Conflict(format!(
                "{}的月报已被他人填报或修改",
                progress.month
            )));
        }
        let now = now_text();
        let mut tx = self.begin_write().await?;
        let id: i64 = match &before {
            Some(b) => {
                let done = sqlx::query(
                    "UPDATE monthly_progress SET invested = $1, image_progress = $2, coordination = $3, \
                     status = 'submitted', return_reason = NULL, submitted_by = $4, submitted_at = $5, \
                     reviewed_by = NULL, reviewed_at = NULL, version = version + 1 WHERE id = $6 AND version = $7",
                )
                .bind(progress.invested.0)
                .bind(progress.image_progress.clone())
                .bind(progress.coordination.clone())
                .bind(actor.user_id)
                .bind(now.clone())
                .bind(b.id)
                .bind(b.version)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict("该月报刚被他人修改，请刷新后再填".into()));
                }
                b.id
            }
            None => sqlx::query_scalar(
                "INSERT INTO monthly_progress (project_id, year, month, invested, image_progress, coordination, \
                 status, submitted_by, submitted_at, version) VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8, 1) \
                 RETURNING id",
            )
            .bind(project_id)
            .bind(year)
            .bind(month)
            .bind(progress.invested.0)
            .bind(progress.image_progress.clone())
            .bind(progress.coordination.clone())
            .bind(actor.user_id)
            .bind(now.clone())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| crate::db::unique_as_conflict(e, "该月报刚被他人填报，请刷新后再填"))?,
        };
        open_blockers_in_tx(&mut tx, project_id, id, progress.month, &progress.blockers).await?;
        let after = fetch_progress(&mut tx, id).await?;
        let action = if before.is_some() {
            "resubmit"
        } else {
            "submit"
        };
        audit::write(
            &mut tx,
            actor,
            action,
            "monthly_progress",
            Some(id),
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn progress_of(
        &self,
        project_id: i64,
        year: i64,
        month: i64,
    ) -> Result<Option<ProgressRow>, StoreError> {
        let sql = format!(
            "SELECT {PROGRESS_COLUMNS} FROM monthly_progress mp WHERE mp.project_id = $1 AND mp.year = $2 AND mp.month = $3"
        );
        Ok(sqlx::query_as::<_, ProgressRow>(sqlx::AssertSqlSafe(sql))
            .bind(project_id)
            .bind(year)
            .bind(month)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A project's reports, newest first.
    pub async fn progress_reports(
        &self,
        viewer: &Viewer,
        project_id: i64,
    ) -> Result<Vec<ProgressRow>, StoreError> {
        self.get_project(viewer, project_id).await?;
        let sql = format!(
            "SELECT {PROGRESS_COLUMNS} FROM monthly_progress mp WHERE mp.project_id = $1 ORDER BY mp.year DESC, mp.month DESC"
        );
        Ok(sqlx::query_as::<_, ProgressRow>(sqlx::AssertSqlSafe(sql))
            .bind(project_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// The office accepts a report, or returns it with a reason.
    pub async fn review_progress(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        progress_id: i64,
        version: i64,
        accept: bool,
        reason: Option<&str>,
    ) -> Result<ProgressRow, StoreError> {
        let sql = format!("SELECT {PROGRESS_COLUMNS} FROM monthly_progress mp WHERE mp.id = $1");
        let before = sqlx::query_as::<_, ProgressRow>(sqlx::AssertSqlSafe(sql))
            .bind(progress_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.get_project(viewer, before.project_id).await?;
        if !viewer.is_office() {
            return Err(StoreError::invalid("status", "只有合作办可以审核月报"));
        }
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if !accept && reason.is_none() {
            return Err(StoreError::invalid("return_reason", "退回月报必须说明原因"));
        }
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE monthly_progress SET status = $1, return_reason = $2, reviewed_by = $3, reviewed_at = $4, \
             version = version + 1 WHERE id = $5 AND version = $6 AND status = 'submitted'",
        )
        .bind(if accept { "accepted" } else { "returned" })
        .bind(if accept { None } else { reason.map(str::to_string) })
        .bind(actor.user_id)
        .bind(now_text())
        .bind(progress_id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "该月报已被处理或已重新填报，请刷新后再审核".into(),
            ));
        }
        let after = fetch_progress(&mut tx, progress_id).await?;
        let action = if accept { "accept" } else { "return" };
        audit::write(
            &mut tx,
            actor,
            action,
            "monthly_progress",
            Some(progress_id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Reports waiting for the office, in the viewer's scope.
    pub async fn pending_reports(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<(ProgressRow, String)>, StoreError> {
        let mut sql = Sql::new(&format!(
            "SELECT {PROGRESS_COLUMNS}, p.name AS project_name FROM monthly_progress mp \
             JOIN projects p ON p.id = mp.project_id WHERE mp.status = 'submitted'"
        ));
        push_scope(&mut sql, viewer);
        sql.push(" ORDER BY mp.submitted_at, mp.id LIMIT 500");
        let rows = sql.query().fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            use sqlx::{FromRow, Row};
            out.push((
                ProgressRow::from_row(r)?,
                r.try_get::<String, _>("project_name")?,
            ));
        }
        Ok(out)
    }

    /// Open blocking factors in scope, oldest first (要素制约 board).
    pub async fn open_blockers(
        &self,
        viewer: &Viewer,
        filter: &ProjectFilter,
    ) -> Result<Vec<BlockerRow>, StoreError> {
        self.blockers_where(viewer, filter, None).await
    }

    /// The blocking factors in scope that were open at the end of `date`: raised by then and
    /// not yet resolved (a bulletin for a past month counts them as they stood), oldest first.
    pub async fn blockers_open_on(
        &self,
        viewer: &Viewer,
        filter: &ProjectFilter,
        date: chrono::NaiveDate,
    ) -> Result<Vec<BlockerRow>, StoreError> {
        self.blockers_where(viewer, filter, Some(date)).await
    }

    async fn blockers_where(
        &self,
        viewer: &Viewer,
        filter: &ProjectFilter,
        open_on: Option<chrono::NaiveDate>,
    ) -> Result<Vec<BlockerRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT b.id, b.project_id, p.name AS project_name, d.name AS district_name, b.kind, b.description, \
             b.opened_on, b.resolved_on FROM blockers b JOIN projects p ON p.id = b.project_id \
             JOIN districts d ON d.code = p.district_code WHERE ",
        );
        match open_on {
            None => {
                sql.push("b.resolved_on IS NULL");
            }
            Some(day) => {
                let day = day.to_string();
                sql.push("b.opened_on <= ")
                    .bind_text(day.clone())
                    .push(" AND (b.resolved_on IS NULL OR b.resolved_on > ")
                    .bind_text(day)
                    .push(")");
            }
        }
        push_scope(&mut sql, viewer);
        push_filters(&mut sql, filter);
        sql.push(" ORDER BY b.opened_on, b.id");
        Ok(sql.query_as::<BlockerRow>().fetch_all(&self.pool).await?)
    }

    pub async fn project_blockers(
        &self,
        viewer: &Viewer,
        project_id: i64,
    ) -> Result<Vec<BlockerRow>, StoreError> {
        self.get_project(viewer, project_id).await?;
        Ok(sqlx::query_as::<_, BlockerRow>(
            "SELECT b.id, b.project_id, p.name AS project_name, d.name AS district_name, b.kind, b.description, \
             b.opened_on, b.resolved_on FROM blockers b JOIN projects p ON p.id = b.project_id \
             JOIN districts d ON d.code = p.district_code WHERE b.project_id = $1 ORDER BY b.resolved_on IS NOT NULL, b.opened_on",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Marks a blocking factor resolved on `date`.
    pub async fn resolve_blocker(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        blocker_id: i64,
        date: NaiveDate,
    ) -> Result<(), StoreError> {
        let project_id: i64 = sqlx::query_scalar("SELECT project_id FROM blockers WHERE id = $1")
            .bind(blocker_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.editable_project(viewer, project_id).await?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE blockers SET resolved_on = $1 WHERE id = $2 AND resolved_on IS NULL AND opened_on <= $1",
        )
        .bind(date.to_string())
        .bind(blocker_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "该要素制约已解决，或解决日期早于提出日期".into(),
            ));
        }
        audit::write(
            &mut tx,
            actor,
            "resolve",
            "blocker",
            Some(blocker_id),
            None::<&()>,
            Some(&date.to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Who has and has not reported for `month`, per district, in scope. A returned report is
    /// still owed, so it counts as missing until it is filed again. A report is late when
    /// it was submitted after the due day of the following month (Beijing time).
    pub async fn reporting(
        &self,
        viewer: &Viewer,
        month: Month,
    ) -> Result<Vec<AreaReporting>, StoreError> {
        let next = Month::new(
            if month.month == 12 {
                month.year + 1
            } else {
                month.year
            },
            if month.month == 12 {
                1
            } else {
                month.month + 1
            },
        )
        .ok_or_else(|| StoreError::invalid("month", "月份无效"))?;
        // Due by the end of the due day on the office's calendar (Beijing, UTC+8): late is
        // filed at or after 00:00 of the next day there, whatever instant that is in UTC.
        let due = chrono::NaiveDate::from_ymd_opt(next.year, next.month, REPORT_DUE_DAY + 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| t.and_local_timezone(office_offset()).single())
            .ok_or_else(|| StoreError::invalid("month", "月份无效"))?
            .with_timezone(&chrono::Utc);
        let due_text = due.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut sql = Sql::new(
            "SELECT p.district_code, d.name, p.id, p.name, mp.submitted_at FROM annual_plans ap \
             JOIN projects p ON p.id = ap.project_id JOIN districts d ON d.code = p.district_code \
             LEFT JOIN monthly_progress mp ON mp.project_id = p.id AND mp.year = ap.year \
             AND mp.status <> 'returned' AND mp.month = ",
        );
        sql.bind_int(i64::from(month.month))
            .push(" WHERE ap.year = ")
            .bind_int(i64::from(month.year));
        push_scope(&mut sql, viewer);
        sql.push(" ORDER BY p.district_code, p.id");
        let rows: Vec<(String, String, i64, String, Option<String>)> =
            sql.query_as().fetch_all(&self.pool).await?;
        let mut out: Vec<AreaReporting> = Vec::new();
        for (code, name, id, project, submitted) in rows {
            if out.last().is_none_or(|a| a.district_code != code) {
                out.push(AreaReporting {
                    district_code: code.clone(),
                    district_name: name,
                    expected: 0,
                    submitted: 0,
                    missing: Vec::new(),
                    late: Vec::new(),
                });
            }
            let area = out.last_mut().expect("pushed above");
            area.expected += 1;
            match submitted {
                Some(at) => {
                    area.submitted += 1;
                    let late = match chrono::DateTime::parse_from_rfc3339(&at) {
                        Ok(t) => t >= due,
                        Err(_) => at.as_str() >= due_text.as_str(),
                    };
                    if late {
                        area.late.push((id, project));
                    }
                }
                None => area.missing.push((id, project)),
            }
        }
        Ok(out)
    }

    /// The latest month any report was filed for, in the viewer's scope: the cockpit's default period.
    pub async fn latest_report_month(&self, viewer: &Viewer) -> Result<Option<Month>, StoreError> {
        let mut sql = Sql::new(
            "SELECT mp.year, mp.month FROM monthly_progress mp JOIN projects p ON p.id = mp.project_id WHERE 1 = 1",
        );
        push_scope(&mut sql, viewer);
        sql.push(" ORDER BY mp.year DESC, mp.month DESC LIMIT 1");
        let row: Option<(i64, i64)> = sql.query_as().fetch_optional(&self.pool).await?;
        Ok(row.and_then(|(y, m)| Month::new(y as i32, m as u32)))
    }

    /// Records the province's figure for a metric and month (tenths of a percent).
    pub async fn set_province_reference(
        &self,
        actor: &Actor,
        month: Month,
        metric: &str,
        permille: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO province_references (year, month, metric, value_permille, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (year, month, metric) DO UPDATE SET value_permille = excluded.value_permille, updated_at = excluded.updated_at",
        )
        .bind(i64::from(month.year))
        .bind(i64::from(month.month))
        .bind(metric.to_string())
        .bind(permille)
        .bind(now_text())
        .execute(&mut *tx)
        .await?;
        audit::write(
            &mut tx,
            actor,
            "set",
            "province_reference",
            None,
            None::<&()>,
            Some(&(month.to_string(), metric, permille)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn province_reference(
        &self,
        month: Month,
        metric: &str,
    ) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT value_permille FROM province_references WHERE year = $1 AND month = $2 AND metric = $3",
        )
        .bind(i64::from(month.year))
        .bind(i64::from(month.month))
        .bind(metric.to_string())
        .fetch_optional(&self.pool)
        .await?)
    }
}

async fn fetch_progress(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
) -> Result<ProgressRow, StoreError> {
    let sql = format!("SELECT {PROGRESS_COLUMNS} FROM monthly_progress mp WHERE mp.id = $1");
    Ok(sqlx::query_as::<_, ProgressRow>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?)
}

/// Opens the blocking factors a report names, dated the report month's last day. Filing again
/// (after a return, say) must not open the same blocker twice: one already open for the
/// project with the same kind and description is kept as it is.
pub(crate) async fn open_blockers_in_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    project_id: i64,
    progress_id: i64,
    month: Month,
    blockers: &[(hezuo_domain::BlockerKind, String)],
) -> Result<(), StoreError> {
    for (kind, description) in blockers {
        sqlx::query(
            "INSERT INTO blockers (project_id, kind, description, opened_on, resolved_on, progress_id) \
             SELECT $1, $2, $3, $4, NULL, $5 WHERE NOT EXISTS (SELECT 1 FROM blockers \
             WHERE project_id = $1 AND kind = $2 AND description = $3 AND resolved_on IS NULL)",
        )
        .bind(project_id)
        .bind(kind.code())
        .bind(description.clone())
        .bind(month.last_day().to_string())
        .bind(progress_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
