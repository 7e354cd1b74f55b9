//! Annual plans and monthly reports from workbooks, all or nothing, like the project import
//! (`import.rs`): every row must name a project the importer may edit, no row may repeat
//! another, and one problem anywhere stores nothing; a dry run does it all and rolls back.
//!
//! Imported reports are 已报送 (submitted) and go to the office's review like reports filed on
//! the form. A report the office has accepted is final: re-importing it unchanged is a no-op,
//! changing it is a problem.

use crate::audit::Actor;
use crate::db::{Store, StoreError, now_text};
use crate::import::{ImportFile, ImportOutcome, RowProblem, name_key, record_import};
use crate::progress::open_blockers_in_tx;
use hezuo_domain::cells::Sourced;
use hezuo_domain::progress::{PlanRecord, ProgressRecord, ProjectRef};
use hezuo_domain::{Viewer, Yuan};
use std::collections::{BTreeMap, HashMap};

/// The projects of the city as rows name them.
struct Projects {
    /// (id, district, platform)
    rows: Vec<(i64, String, Option<i64>)>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<(String, String), usize>,
    /// Name alone → every project so named (a sheet without a district column).
    by_bare_name: HashMap<String, Vec<usize>>,
}

impl Projects {
    async fn load(tx: &mut sqlx::Transaction<'static, sqlx::Any>) -> Result<Projects, StoreError> {
        /// (id, name, district, platform, code)
        type Row = (i64, String, String, Option<i64>, Option<String>);
        let all: Vec<Row> = sqlx::query_as(
            "SELECT id, name, district_code, platform_id, project_code FROM projects",
        )
        .fetch_all(&mut **tx)
        .await?;
        let mut out = Projects {
            rows: Vec::with_capacity(all.len()),
            by_code: HashMap::new(),
            by_name: HashMap::new(),
            by_bare_name: HashMap::new(),
        };
        for (i, (id, name, district, platform, code)) in all.into_iter().enumerate() {
            if let Some(c) = code {
                out.by_code.insert(c, i);
            }
            let key = name_key(&name, &district);
            out.by_bare_name.entry(key.0.clone()).or_default().push(i);
            out.by_name.insert(key, i);
            out.rows.push((id, district, platform));
        }
        Ok(out)
    }

    /// The id of the project a row names, if the viewer may edit it; else (field, value,
    /// problem).
    fn resolve(
        &self,
        viewer: &Viewer,
        p: &ProjectRef,
    ) -> Result<i64, (&'static str, String, String)> {
        let found = if let Some(code) = &p.code {
            *self.by_code.get(code).ok_or_else(|| {
                (
                    "project_code",
                    code.clone(),
                    "系统中没有这个项目代码的项目".to_string(),
                )
            })?
        } else if let Some(district) = &p.district_code {
            *self
                .by_name
                .get(&name_key(&p.name, district))
                .ok_or_else(|| {
                    (
                        "name",
                        p.name.clone(),
                        "该区县没有这个名称的项目，请先在项目库中登记或导入项目".to_string(),
                    )
                })?
        } else {
            match self
                .by_bare_name
                .get(&name_key(&p.name, "").0)
                .map(Vec::as_slice)
            {
                Some([only]) => *only,
                Some(_) => {
                    return Err((
                        "name",
                        p.name.clone(),
                        "多个区县有同名项目，请加“所属区县”列或填写项目代码".to_string(),
                    ));
                }
                None => {
                    return Err((
                        "name",
                        p.name.clone(),
                        "系统中没有这个名称的项目，请先在项目库中登记或导入项目".to_string(),
                    ));
                }
            }
        };
        let (id, district, platform) = &self.rows[found];
        if !viewer.may_place_in(district, *platform) {
            return Err((
                "name",
                p.to_string(),
                "该项目不在您的管理范围内".to_string(),
            ));
        }
        Ok(*id)
    }
}

/// Problems as rows are checked, against the row they came from.
#[derive(Default)]
pub(crate) struct Problems(pub(crate) Vec<RowProblem>);

impl Problems {
    pub(crate) fn add<T>(&mut self, r: &Sourced<T>, field: &str, value: String, message: String) {
        self.0.push(RowProblem {
            sheet: r.sheet.clone(),
            row: r.row,
            field: field.into(),
            value,
            message,
        });
    }

    /// Office-only imports: for anyone else, one problem against the first row naming what
    /// only the office may import; whether the import is refused.
    pub(crate) fn refuse_unless_office<T>(
        &mut self,
        viewer: &hezuo_domain::Viewer,
        rows: &[Sourced<T>],
        field: &str,
        what: &str,
    ) -> bool {
        if viewer.is_office() {
            return false;
        }
        if let Some(first) = rows.first() {
            self.add(
                first,
                field,
                String::new(),
                format!("只有合作办可以导入{what}"),
            );
        }
        true
    }
}

/// Ends an import: with problems or on a dry run nothing stays; else one audit row and commit.
pub(crate) async fn finish(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    entity: &str,
    file: &ImportFile,
    rows: usize,
    mut out: ImportOutcome,
    problems: Problems,
) -> Result<ImportOutcome, StoreError> {
    out.problems = problems.0;
    if !out.problems.is_empty() {
        out.inserted = 0;
        out.updated = 0;
    }
    if !out.problems.is_empty() || out.dry_run {
        tx.rollback().await?;
        return Ok(out);
    }
    record_import(&mut tx, actor, entity, file, rows, &out).await?;
    tx.commit().await?;
    Ok(out)
}

impl Store {
    /// Imports annual plans: a project's plan for a year is created, or replaced by the
    /// sheet's. Matched by project code, else name (and district).
    pub async fn import_plans(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        rows: &[Sourced<PlanRecord>],
        file: &ImportFile,
        dry_run: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let mut out = ImportOutcome {
            dry_run,
            ..ImportOutcome::default()
        };
        let mut problems = Problems::default();
        let mut tx = self.begin_write().await?;
        let projects = Projects::load(&mut tx).await?;
        let existing: std::collections::HashSet<(i64, i64)> =
            sqlx::query_as::<_, (i64, i64)>("SELECT project_id, year FROM annual_plans")
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
        let mut seen: HashMap<(i64, i64), usize> = HashMap::new();
        let now = now_text();
        let month_text = |m: Option<hezuo_domain::Month>| m.map(|m| m.to_string());
        for r in rows {
            let rec = &r.value;
            let id = match projects.resolve(viewer, &rec.project) {
                Ok(id) => id,
                Err((field, value, message)) => {
                    problems.add(r, field, value, message);
                    continue;
                }
            };
            let key = (id, i64::from(rec.plan.year));
            if let Some(first) = seen.insert(key, r.row) {
                problems.add(
                    r,
                    "name",
                    rec.project.to_string(),
                    format!("该项目{}年度计划与第 {first} 行重复", rec.plan.year),
                );
                continue;
            }
            if !problems.0.is_empty() {
                continue;
            }
            let p = &rec.plan;
            if existing.contains(&key) {
                sqlx::query(
                    "UPDATE annual_plans SET planned = $1, planned_start = $2, planned_completion = $3, \
                     version = version + 1, updated_at = $4 WHERE project_id = $5 AND year = $6",
                )
                .bind(p.planned.0)
                .bind(month_text(p.planned_start))
                .bind(month_text(p.planned_completion))
                .bind(now.clone())
                .bind(id)
                .bind(key.1)
                .execute(&mut *tx)
                .await?;
                out.updated += 1;
            } else {
                let written = sqlx::query(crate::progress::INSERT_PLAN)
                    .bind(id)
                    .bind(key.1)
                    .bind(p.planned.0)
                    .bind(month_text(p.planned_start))
                    .bind(month_text(p.planned_completion))
                    .bind(now.clone())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                // The plan copies its project's row: none, and nothing was written.
                if written == 0 {
                    return Err(StoreError::NotFound);
                }
                out.inserted += 1;
            }
        }
        finish(tx, actor, "annual_plan", file, rows.len(), out, problems).await
    }

    /// Imports monthly reports. A row giving the year's total to its month (1-N月累计) files
    /// the month's share: the total less the months before it, as stored or as earlier rows of
    /// the file give them.
    pub async fn import_progress(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        rows: &[Sourced<ProgressRecord>],
        file: &ImportFile,
        dry_run: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let mut out = ImportOutcome {
            dry_run,
            ..ImportOutcome::default()
        };
        let mut problems = Problems::default();
        let mut tx = self.begin_write().await?;
        let projects = Projects::load(&mut tx).await?;
        // Resolve every row first, then take them month by month within each project and year
        // so a year-to-date figure subtracts the months before it.
        let mut resolved: Vec<(i64, &Sourced<ProgressRecord>)> = Vec::new();
        for r in rows {
            match projects.resolve(viewer, &r.value.project) {
                Ok(id) => resolved.push((id, r)),
                Err((field, value, message)) => problems.add(r, field, value, message),
            }
        }
        let ids: Vec<i64> = {
            let mut v: Vec<i64> = resolved.iter().map(|(id, _)| *id).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        // The stored reports of those projects: (project, year, month) → (id, invested,
        // status, image progress, coordination).
        type Stored = (i64, i64, String, String, String);
        let mut stored: HashMap<(i64, i64, i64), Stored> = HashMap::new();
        for chunk in ids.chunks(500) {
            let mut sql = crate::db::Sql::new(
                "SELECT project_id, year, month, id, invested, status, image_progress, coordination \
                 FROM monthly_progress WHERE project_id IN (",
            );
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind_int(*id);
            }
            sql.push(")");
            /// (project, year, month, id, invested, status, image progress, coordination)
            type Row = (i64, i64, i64, i64, i64, String, String, String);
            let found: Vec<Row> = sql.query_as().fetch_all(&mut *tx).await?;
            for (pid, y, m, id, invested, status, image, coordination) in found {
                stored.insert((pid, y, m), (id, invested, status, image, coordination));
            }
        }
        resolved.sort_by_key(|(id, r)| (*id, r.value.progress.month, r.row));
        // Each project-year's months as filed so far: stored, then as this file sets them.
        let mut months: HashMap<(i64, i64), BTreeMap<i64, i64>> = HashMap::new();
        for ((pid, y, m), s) in &stored {
            months.entry((*pid, *y)).or_default().insert(*m, s.1);
        }
        let mut seen: HashMap<(i64, i64, i64), usize> = HashMap::new();
        let now = now_text();
        for (pid, r) in resolved {
            let rec = &r.value;
            let p = &rec.progress;
            let (y, m) = (i64::from(p.month.year), i64::from(p.month.month));
            if let Some(first) = seen.insert((pid, y, m), r.row) {
                problems.add(
                    r,
                    "month",
                    p.month.to_string(),
                    format!("该项目{}的月报与第 {first} 行重复", p.month),
                );
                continue;
            }
            let filed = months.entry((pid, y)).or_default();
            let invested = if rec.year_to_date {
                let before: i64 = filed.range(..m).map(|(_, v)| v).sum();
                if p.invested.0 < before {
                    problems.add(
                        r,
                        "ytd_wan",
                        p.invested.wan_text(),
                        format!(
                            "本年累计完成投资小于1-{}月已报之和（{} 万元）",
                            m - 1,
                            Yuan(before).wan_text()
                        ),
                    );
                    continue;
                }
                p.invested.0 - before
            } else {
                p.invested.0
            };
            filed.insert(m, invested);
            let existing = stored.get(&(pid, y, m));
            if let Some((_, was, status, image, coordination)) = existing
                && status == "accepted"
            {
                let same = *was == invested
                    && *image == p.image_progress
                    && *coordination == p.coordination;
                if !same {
                    problems.add(
                        r,
                        "month",
                        p.month.to_string(),
                        format!("{}的月报已被合作办确认，不能再导入修改", p.month),
                    );
                }
                out.updated += 1;
                continue;
            }
            if !problems.0.is_empty() {
                continue;
            }
            let progress_id: i64 = match existing {
                Some((id, ..)) => {
                    sqlx::query(
                        "UPDATE monthly_progress SET invested = $1, image_progress = $2, coordination = $3, \
                         status = 'submitted', return_reason = NULL, submitted_by = $4, submitted_at = $5, \
                         reviewed_by = NULL, reviewed_at = NULL, version = version + 1 WHERE id = $6",
                    )
                    .bind(invested)
                    .bind(p.image_progress.clone())
                    .bind(p.coordination.clone())
                    .bind(actor.user_id)
                    .bind(now.clone())
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
                    out.updated += 1;
                    *id
                }
                None => {
                    out.inserted += 1;
                    sqlx::query_scalar(
                        "INSERT INTO monthly_progress (project_id, year, month, invested, image_progress, \
                         coordination, status, submitted_by, submitted_at, version) \
                         VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8, 1) RETURNING id",
                    )
                    .bind(pid)
                    .bind(y)
                    .bind(m)
                    .bind(invested)
                    .bind(p.image_progress.clone())
                    .bind(p.coordination.clone())
                    .bind(actor.user_id)
                    .bind(now.clone())
                    .fetch_one(&mut *tx)
                    .await?
                }
            };
            open_blockers_in_tx(&mut tx, pid, progress_id, p.month, &p.blockers).await?;
        }
        finish(
            tx,
            actor,
            "monthly_progress",
            file,
            rows.len(),
            out,
            problems,
        )
        .await
    }
}
