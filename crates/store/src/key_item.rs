//! Key items (重点事项): the year's plans and their items, milestones, monthly progress with
//! evidence files and the office's review, and the reminders a lead unit sees. Reads are scoped
//! by [`Viewer::item_scope`] in the SQL; writes check who may make them before touching a row.
//! An item's status is computed on read from its milestones ([`hezuo_domain::key_item`]).

use crate::audit::{self, Actor};
use crate::db::{Sql, Store, StoreError, now_text, office_only, unique_as_conflict};
use chrono::NaiveDate;
use hezuo_domain::key_item::{Item, ItemProgress, WorkPlan, item_status};
use hezuo_domain::{ItemScope, ItemStatus, MilestoneDates, MilestoneState, PlanKind, Viewer};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

/// Lists of names are kept joined with 、, the separator people write.
const NAME_SEPARATOR: &str = "、";

pub(crate) fn split_joined(text: &str) -> Vec<String> {
    text.split(NAME_SEPARATOR)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct WorkPlanRow {
    pub id: i64,
    pub year: i64,
    /// work_points, cooperation_list or flagship.
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub categories: Vec<String>,
    /// Items of the plan the viewer may see.
    pub items: i64,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct PlanRecord {
    id: i64,
    year: i64,
    kind: String,
    name: String,
    categories: String,
    items: i64,
    version: i64,
}

impl From<PlanRecord> for WorkPlanRow {
    fn from(r: PlanRecord) -> Self {
        let kind_label = PlanKind::parse(&r.kind).map_or("", PlanKind::label);
        WorkPlanRow {
            id: r.id,
            year: r.year,
            kind_label: kind_label.to_string(),
            kind: r.kind,
            name: r.name,
            categories: r.categories.lines().map(str::to_string).collect(),
            items: r.items,
            version: r.version,
        }
    }
}

/// A key item as lists show it, with its status on the day asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct KeyItemRow {
    pub id: i64,
    pub plan_id: i64,
    pub plan_name: String,
    pub year: i64,
    pub category: String,
    pub title: String,
    pub lead_unit_id: i64,
    pub lead_unit_name: String,
    pub partner_units: Vec<String>,
    pub partner_regions: Vec<String>,
    pub target: String,
    pub clause_id: Option<i64>,
    /// not_started, in_progress, done or lagging.
    pub status: String,
    /// 未启动, 推进中, 已完成 or 滞后.
    pub status_label: String,
    /// The number of milestones (named apart from the detail's list of them).
    #[serde(rename = "milestones_total")]
    pub milestones: i64,
    pub milestones_done: i64,
    /// The earliest milestone not yet done, YYYY-MM-DD.
    pub next_due: Option<String>,
    /// The latest month reported (and not sent back), YYYY-MM.
    pub last_report: Option<String>,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct ItemRecord {
    id: i64,
    plan_id: i64,
    plan_name: String,
    year: i64,
    category: String,
    title: String,
    lead_unit_id: i64,
    lead_unit_name: String,
    partner_units: String,
    partner_regions: String,
    target: String,
    clause_id: Option<i64>,
    version: i64,
}

const ITEM_COLUMNS: &str = "i.id, i.plan_id, wp.name AS plan_name, wp.year, i.category, i.title, \
    i.lead_unit_id, u.name AS lead_unit_name, i.partner_units, i.partner_regions, i.target, i.clause_id, i.version";

const ITEM_FROM: &str = " FROM key_items i JOIN work_plans wp ON wp.id = i.plan_id JOIN units u ON u.id = i.lead_unit_id";

/// Filters of the key-item list, page and API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams, ToSchema)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct KeyItemFilter {
    /// Plan year.
    pub year: Option<i64>,
    pub plan: Option<i64>,
    pub category: Option<String>,
    /// Lead unit id.
    pub unit: Option<i64>,
    /// not_started, in_progress, done, lagging (or 未启动/推进中/已完成/滞后).
    #[param(schema_with = crate::openapi::item_status_code)]
    pub status: Option<String>,
    /// Words in the title or target.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Items by status, over the filtered rows before the status filter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatusCounts {
    pub not_started: i64,
    pub in_progress: i64,
    pub done: i64,
    pub lagging: i64,
}

impl StatusCounts {
    fn add(&mut self, s: ItemStatus) {
        match s {
            ItemStatus::NotStarted => self.not_started += 1,
            ItemStatus::InProgress => self.in_progress += 1,
            ItemStatus::Done => self.done += 1,
            ItemStatus::Lagging => self.lagging += 1,
        }
    }

    pub fn get(&self, s: ItemStatus) -> i64 {
        match s {
            ItemStatus::NotStarted => self.not_started,
            ItemStatus::InProgress => self.in_progress,
            ItemStatus::Done => self.done,
            ItemStatus::Lagging => self.lagging,
        }
    }

    pub fn total(&self) -> i64 {
        self.not_started + self.in_progress + self.done + self.lagging
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct KeyItemPage {
    /// Rows matching every filter (all pages).
    pub total: i64,
    pub counts: StatusCounts,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<KeyItemRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MilestoneRow {
    pub id: i64,
    pub title: String,
    pub due_on: String,
    pub done_on: Option<String>,
    /// 按期完成, 逾期完成, 已逾期, 即将到期 or 未到期.
    pub state: String,
    pub done: bool,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EvidenceRow {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct ItemProgressRow {
    pub id: i64,
    pub item_id: i64,
    pub year: i64,
    pub month: i64,
    pub content: String,
    pub next_steps: String,
    /// submitted, accepted or returned.
    pub status: String,
    pub return_reason: Option<String>,
    pub returned_count: i64,
    pub submitted_at: String,
    pub reviewed_at: Option<String>,
    pub version: i64,
    #[sqlx(skip)]
    pub evidence: Vec<EvidenceRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct LinkedProject {
    pub id: i64,
    pub name: String,
    pub stage: String,
}

/// The agreement clause an item carries out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct ClauseRef {
    pub agreement_id: i64,
    pub agreement_title: String,
    pub seq: i64,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct KeyItemDetail {
    #[serde(flatten)]
    pub item: KeyItemRow,
    pub milestones: Vec<MilestoneRow>,
    /// Newest first.
    pub progress: Vec<ItemProgressRow>,
    /// Linked projects the viewer may see.
    pub projects: Vec<LinkedProject>,
    pub clause: Option<ClauseRef>,
}

/// A milestone a unit should act on: overdue, or due within [`hezuo_domain::key_item::REMINDER_DAYS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Reminder {
    pub item_id: i64,
    pub item_title: String,
    pub lead_unit_name: String,
    pub milestone: String,
    pub due_on: String,
    pub overdue: bool,
    /// Days until due (negative when overdue).
    pub days: i64,
}

/// An evidence file as uploaded, already checked by content at the edge.
#[derive(Debug, Clone)]
pub struct EvidenceUpload {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// An evidence file as served.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceFile {
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// Appends the viewer's item scope (`i` is key_items).
pub(crate) fn push_item_scope(sql: &mut Sql, viewer: &Viewer) {
    match viewer.item_scope() {
        ItemScope::All => {}
        ItemScope::Unit(id) => {
            sql.push(" AND i.lead_unit_id = ").bind_int(id);
        }
        ItemScope::Nothing => {
            sql.push(" AND 1 = 0");
        }
    }
}

fn push_item_filters(sql: &mut Sql, f: &KeyItemFilter) {
    if let Some(y) = f.year {
        sql.push(" AND wp.year = ").bind_int(y);
    }
    if let Some(p) = f.plan {
        sql.push(" AND i.plan_id = ").bind_int(p);
    }
    if let Some(c) = f
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        sql.push(" AND i.category = ").bind_text(c);
    }
    if let Some(u) = f.unit {
        sql.push(" AND i.lead_unit_id = ").bind_int(u);
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let like = format!("%{q}%");
        sql.push(" AND (i.title LIKE ")
            .bind_text(like.clone())
            .push(" OR i.target LIKE ")
            .bind_text(like)
            .push(")");
    }
}

/// What a set of items' statuses is computed from.
#[derive(Default)]
struct StatusInputs {
    milestones: HashMap<i64, Vec<(i64, String, MilestoneDates)>>,
    /// The first and the latest month reported (and not sent back), YYYY-MM.
    reports: HashMap<i64, (String, String)>,
}

impl StatusInputs {
    fn status(&self, item_id: i64, today: NaiveDate) -> ItemStatus {
        let dates: Vec<MilestoneDates> = self
            .milestones
            .get(&item_id)
            .map(|ms| ms.iter().map(|m| m.2).collect())
            .unwrap_or_default();
        // Progress counts from the first month reported on or before the day asked.
        let asked = today.format("%Y-%m").to_string();
        let reported = self
            .reports
            .get(&item_id)
            .is_some_and(|(first, _)| *first <= asked);
        item_status(&dates, reported, today)
    }
}

impl Store {
    pub async fn create_work_plan(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        plan: &WorkPlan,
    ) -> Result<WorkPlanRow, StoreError> {
        office_only(viewer, "新建计划")?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO work_plans (year, kind, name, categories, created_at, version) \
             VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
        )
        .bind(i64::from(plan.year))
        .bind(plan.kind.code())
        .bind(plan.name.clone())
        .bind(plan.categories.join("\n"))
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_as_conflict(e, "同一年度已有同名计划"))?;
        let row = WorkPlanRow {
            id,
            year: i64::from(plan.year),
            kind: plan.kind.code().into(),
            kind_label: plan.kind.label().into(),
            name: plan.name.clone(),
            categories: plan.categories.clone(),
            items: 0,
            version: 1,
        };
        audit::write(
            &mut tx,
            actor,
            "create",
            "work_plan",
            Some(id),
            None::<&()>,
            Some(&row),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Plans, newest year first, with the count of items the viewer may see. A unit sees the
    /// plans it has items in.
    pub async fn work_plans(
        &self,
        viewer: &Viewer,
        year: Option<i64>,
    ) -> Result<Vec<WorkPlanRow>, StoreError> {
        let mut scoped = Sql::new("SELECT COUNT(*) FROM key_items i WHERE i.plan_id = wp.id");
        push_item_scope(&mut scoped, viewer);
        let mut sql = Sql::new(&format!(
            "SELECT wp.id, wp.year, wp.kind, wp.name, wp.categories, ({}) AS items, wp.version FROM work_plans wp WHERE 1 = 1",
            scoped.text
        ));
        sql.extend_params(&scoped);
        if let Some(y) = year {
            sql.push(" AND wp.year = ").bind_int(y);
        }
        sql.push(" ORDER BY wp.year DESC, wp.id");
        let rows: Vec<PlanRecord> = sql.query_as().fetch_all(&self.pool).await?;
        let all = viewer.item_scope() == ItemScope::All;
        Ok(rows
            .into_iter()
            .filter(|r| all || r.items > 0)
            .map(WorkPlanRow::from)
            .collect())
    }

    pub async fn work_plan(&self, viewer: &Viewer, id: i64) -> Result<WorkPlanRow, StoreError> {
        let plans = self.work_plans(viewer, None).await?;
        plans
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Creates an item with its milestones and linked projects.
    pub async fn create_key_item(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        item: &Item,
    ) -> Result<i64, StoreError> {
        office_only(viewer, "新建重点事项")?;
        self.check_category(item).await?;
        let mut tx = self.begin_write().await?;
        let id = insert_item(&mut tx, item).await?;
        audit::write(
            &mut tx,
            actor,
            "create",
            "key_item",
            Some(id),
            None::<&()>,
            Some(&item_audit(item)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces an item's fields at a known version. Milestones are matched by title: one kept
    /// keeps its done date, one removed is deleted, one new is added.
    pub async fn update_key_item(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: i64,
        version: i64,
        item: &Item,
    ) -> Result<(), StoreError> {
        office_only(viewer, "修改重点事项")?;
        self.check_category(item).await?;
        let before = self
            .key_item(viewer, id, chrono::Utc::now().date_naive())
            .await?;
        let mut tx = self.begin_write().await?;
        if !rewrite_item(&mut tx, id, version, item, true).await? {
            return Err(StoreError::Conflict(
                "该重点事项已被他人修改，请刷新后再改".into(),
            ));
        }
        audit::write(
            &mut tx,
            actor,
            "update",
            "key_item",
            Some(id),
            Some(&before),
            Some(&item_audit(item)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn check_category(&self, item: &Item) -> Result<(), StoreError> {
        let categories: Option<String> =
            sqlx::query_scalar("SELECT categories FROM work_plans WHERE id = $1")
                .bind(item.plan_id)
                .fetch_optional(&self.pool)
                .await?;
        let categories =
            categories.ok_or_else(|| StoreError::invalid("plan_id", "所选计划不存在"))?;
        if !categories.lines().any(|c| c == item.category) {
            return Err(StoreError::invalid(
                "category",
                format!("“{}”不是该计划的任务类别", item.category),
            ));
        }
        Ok(())
    }

    /// What the statuses of the items selected by `item_where` (a condition on `i`) follow from.
    async fn status_inputs(&self, item_where: &Sql) -> Result<StatusInputs, StoreError> {
        let mut sql = Sql::new(
            "SELECT m.item_id, m.id, m.title, m.due_on, m.done_on FROM key_item_milestones m WHERE m.item_id IN (SELECT i.id",
        );
        sql.push(ITEM_FROM)
            .push(" WHERE 1 = 1")
            .push(&item_where.text)
            .push(") ORDER BY m.item_id, m.due_on, m.id");
        sql.extend_params(item_where);
        let rows: Vec<(i64, i64, String, String, Option<String>)> =
            sql.query_as().fetch_all(&self.pool).await?;
        let mut inputs = StatusInputs::default();
        for (item_id, id, title, due, done) in rows {
            let Some(due) = parse_day(&due) else { continue };
            inputs.milestones.entry(item_id).or_default().push((
                id,
                title,
                MilestoneDates {
                    due,
                    done_on: done.as_deref().and_then(parse_day),
                },
            ));
        }
        let mut sql = Sql::new(
            "SELECT r.item_id, MIN(r.year * 100 + r.month), MAX(r.year * 100 + r.month) FROM key_item_progress r \
             WHERE r.status <> 'returned' AND r.item_id IN (SELECT i.id",
        );
        sql.push(ITEM_FROM)
            .push(" WHERE 1 = 1")
            .push(&item_where.text)
            .push(") GROUP BY r.item_id");
        sql.extend_params(item_where);
        let rows: Vec<(i64, i64, i64)> = sql.query_as().fetch_all(&self.pool).await?;
        let text = |ym: i64| format!("{}-{:02}", ym / 100, ym % 100);
        for (item_id, first, last) in rows {
            inputs.reports.insert(item_id, (text(first), text(last)));
        }
        Ok(inputs)
    }

    /// Items in the viewer's scope matching `filter`, with their status on `today`.
    pub async fn list_key_items(
        &self,
        viewer: &Viewer,
        filter: &KeyItemFilter,
        today: NaiveDate,
    ) -> Result<KeyItemPage, StoreError> {
        let status = match filter
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => Some(
                ItemStatus::parse(s)
                    .ok_or_else(|| StoreError::invalid("status", format!("未知的状态“{s}”")))?,
            ),
        };
        let mut condition = Sql::default();
        push_item_scope(&mut condition, viewer);
        push_item_filters(&mut condition, filter);
        let rows = self.item_rows(&condition, today).await?;
        let mut counts = StatusCounts::default();
        for r in &rows {
            counts.add(ItemStatus::parse(&r.status).unwrap_or(ItemStatus::NotStarted));
        }
        let rows: Vec<KeyItemRow> = rows
            .into_iter()
            .filter(|r| status.is_none_or(|s| s.code() == r.status))
            .collect();
        let per_page = filter.per_page.unwrap_or(50).clamp(1, 1000);
        let page = filter.page.unwrap_or(1).max(1);
        let total = rows.len() as i64;
        let items = rows
            .into_iter()
            .skip(usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX))
            .take(per_page as usize)
            .collect();
        Ok(KeyItemPage {
            total,
            counts,
            page,
            per_page,
            items,
        })
    }

    /// Every item selected by `condition` (scope and filters on `i` and `wp`), in plan order.
    pub(crate) async fn item_rows(
        &self,
        condition: &Sql,
        today: NaiveDate,
    ) -> Result<Vec<KeyItemRow>, StoreError> {
        let mut sql = Sql::new(&format!("SELECT {ITEM_COLUMNS}"));
        sql.push(ITEM_FROM)
            .push(" WHERE 1 = 1")
            .push(&condition.text);
        sql.extend_params(condition);
        sql.push(" ORDER BY wp.year DESC, wp.id, i.id");
        let records: Vec<ItemRecord> = sql.query_as().fetch_all(&self.pool).await?;
        let inputs = self.status_inputs(condition).await?;
        Ok(records
            .into_iter()
            .map(|r| {
                let status = inputs.status(r.id, today);
                let ms = inputs.milestones.get(&r.id);
                let done_by = |m: &&(i64, String, MilestoneDates)| m.2.state(today).is_done();
                let done = ms.map_or(0, |ms| ms.iter().filter(done_by).count());
                let next_due = ms.and_then(|ms| {
                    ms.iter()
                        .filter(|m| !done_by(m))
                        .map(|m| m.2.due)
                        .min()
                        .map(date_text)
                });
                KeyItemRow {
                    id: r.id,
                    plan_id: r.plan_id,
                    plan_name: r.plan_name,
                    year: r.year,
                    category: r.category,
                    title: r.title,
                    lead_unit_id: r.lead_unit_id,
                    lead_unit_name: r.lead_unit_name,
                    partner_units: split_joined(&r.partner_units),
                    partner_regions: split_joined(&r.partner_regions),
                    target: r.target,
                    clause_id: r.clause_id,
                    status: status.code().into(),
                    status_label: status.label().into(),
                    milestones: ms.map_or(0, Vec::len) as i64,
                    milestones_done: done as i64,
                    next_due,
                    last_report: inputs.reports.get(&r.id).map(|(_, last)| last.clone()),
                    version: r.version,
                }
            })
            .collect())
    }

    /// One item with its milestones, progress and links; `NotFound` outside the viewer's scope.
    pub async fn key_item(
        &self,
        viewer: &Viewer,
        id: i64,
        today: NaiveDate,
    ) -> Result<KeyItemDetail, StoreError> {
        let mut condition = Sql::new(" AND i.id = ");
        condition.bind_int(id);
        push_item_scope(&mut condition, viewer);
        let item = self
            .item_rows(&condition, today)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        let inputs = self.status_inputs(&condition).await?;
        let milestones = inputs
            .milestones
            .get(&id)
            .map(|ms| {
                ms.iter()
                    .map(|(mid, title, dates)| {
                        let state = dates.state(today);
                        MilestoneRow {
                            id: *mid,
                            title: title.clone(),
                            due_on: date_text(dates.due),
                            done_on: dates.done_on.map(date_text),
                            state: state.label().into(),
                            done: state.is_done(),
                            overdue: state == MilestoneState::Overdue,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut progress: Vec<ItemProgressRow> = sqlx::query_as(
            "SELECT id, item_id, year, month, content, next_steps, status, return_reason, returned_count, \
             submitted_at, reviewed_at, version FROM key_item_progress WHERE item_id = $1 ORDER BY year DESC, month DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let files: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT f.progress_id, f.id, f.file_name, f.content_type, f.size FROM evidence_files f \
             JOIN key_item_progress r ON r.id = f.progress_id WHERE r.item_id = $1 ORDER BY f.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        for (progress_id, fid, file_name, content_type, size) in files {
            if let Some(r) = progress.iter_mut().find(|r| r.id == progress_id) {
                r.evidence.push(EvidenceRow {
                    id: fid,
                    file_name,
                    content_type,
                    size,
                });
            }
        }
        let mut sql = Sql::new(
            "SELECT p.id, p.name, p.stage FROM key_item_projects kp JOIN projects p ON p.id = kp.project_id WHERE kp.item_id = ",
        );
        sql.bind_int(id);
        crate::project::push_scope(&mut sql, viewer);
        sql.push(" ORDER BY p.id");
        let projects: Vec<LinkedProject> = sql.query_as().fetch_all(&self.pool).await?;
        let clause = match item.clause_id {
            None => None,
            Some(cid) => sqlx::query_as::<_, ClauseRef>(
                "SELECT a.id AS agreement_id, a.title AS agreement_title, c.seq, c.body FROM agreement_clauses c \
                 JOIN agreements a ON a.id = c.agreement_id WHERE c.id = $1",
            )
            .bind(cid)
            .fetch_optional(&self.pool)
            .await?,
        };
        Ok(KeyItemDetail {
            item,
            milestones,
            progress,
            projects,
            clause,
        })
    }

    /// Files (or re-files) a month's progress on an item, marking the milestones it reports done
    /// (on `today`) and keeping its evidence files. An accepted report is final.
    pub async fn file_item_progress(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        item_id: i64,
        progress: &ItemProgress,
        files: &[EvidenceUpload],
        today: NaiveDate,
    ) -> Result<ItemProgressRow, StoreError> {
        let detail = self.key_item(viewer, item_id, today).await?;
        if !viewer.may_report_for(detail.item.lead_unit_id) {
            return Err(StoreError::invalid("", "只有牵头单位可以填报该事项的进展"));
        }
        for m in &progress.done_milestones {
            if !detail.milestones.iter().any(|x| x.id == *m) {
                return Err(StoreError::invalid(
                    "done_milestones",
                    "所选节点不属于该事项",
                ));
            }
        }
        let (year, month) = (
            i64::from(progress.month.year),
            i64::from(progress.month.month),
        );
        let before = detail
            .progress
            .iter()
            .find(|r| r.year == year && r.month == month)
            .cloned();
        if before.as_ref().is_some_and(|b| b.status == "accepted") {
            return Err(StoreError::Conflict(format!(
                "{}的进展已被合作办确认，不能再修改",
                progress.month
            )));
        }
        let now = now_text();
        let mut tx = self.begin_write().await?;
        let id: i64 = match &before {
            Some(b) => {
                let done = sqlx::query(
                    "UPDATE key_item_progress SET content = $1, next_steps = $2, status = 'submitted', return_reason = NULL, \
                     submitted_by = $3, submitted_at = $4, reviewed_by = NULL, reviewed_at = NULL, version = version + 1 \
                     WHERE id = $5 AND version = $6",
                )
                .bind(progress.content.clone())
                .bind(progress.next_steps.clone())
                .bind(actor.user_id)
                .bind(now.clone())
                .bind(b.id)
                .bind(b.version)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict("该月进展刚被他人修改，请刷新后再填".into()));
                }
                b.id
            }
            None => sqlx::query_scalar(
                "INSERT INTO key_item_progress (item_id, year, month, content, next_steps, status, submitted_by, submitted_at, version) \
                 VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7, 1) RETURNING id",
            )
            .bind(item_id)
            .bind(year)
            .bind(month)
            .bind(progress.content.clone())
            .bind(progress.next_steps.clone())
            .bind(actor.user_id)
            .bind(now.clone())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| unique_as_conflict(e, "该月进展刚被他人填报，请刷新后再填"))?,
        };
        for m in &progress.done_milestones {
            sqlx::query(
                "UPDATE key_item_milestones SET done_on = $1, done_progress_id = $2 WHERE id = $3 AND item_id = $4 AND done_on IS NULL",
            )
            .bind(date_text(today))
            .bind(id)
            .bind(*m)
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
        }
        for f in files {
            sqlx::query(
                "INSERT INTO evidence_files (progress_id, file_name, content_type, size, sha256, content, uploaded_by, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(f.file_name.clone())
            .bind(f.content_type.clone())
            .bind(f.content.len() as i64)
            .bind(hex::encode(Sha256::digest(&f.content)))
            .bind(f.content.clone())
            .bind(actor.user_id)
            .bind(now.clone())
            .execute(&mut *tx)
            .await?;
        }
        let after = fetch_item_progress(&mut tx, id).await?;
        let action = if before.is_some() {
            "resubmit"
        } else {
            "submit"
        };
        #[derive(Serialize)]
        struct Filed<'a> {
            report: &'a ItemProgressRow,
            done_milestones: &'a [i64],
            files: Vec<&'a str>,
        }
        let filed = Filed {
            report: &after,
            done_milestones: &progress.done_milestones,
            files: files.iter().map(|f| f.file_name.as_str()).collect(),
        };
        audit::write(
            &mut tx,
            actor,
            action,
            "key_item_progress",
            Some(id),
            before.as_ref(),
            Some(&filed),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The office accepts a report, or sends it back with a reason; a report sent back undoes the
    /// milestones it marked done.
    pub async fn review_item_progress(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        progress_id: i64,
        version: i64,
        accept: bool,
        reason: Option<&str>,
    ) -> Result<ItemProgressRow, StoreError> {
        office_only(viewer, "审核进展")?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if !accept && reason.is_none() {
            return Err(StoreError::invalid("reason", "退回时请写明原因"));
        }
        let mut tx = self.begin_write().await?;
        let before = fetch_item_progress(&mut tx, progress_id).await?;
        if before.status != "submitted" {
            return Err(StoreError::Conflict("该进展已审核过".into()));
        }
        let (status, returned) = if accept {
            ("accepted", 0)
        } else {
            ("returned", 1)
        };
        let done = sqlx::query(
            "UPDATE key_item_progress SET status = $1, return_reason = $2, returned_count = returned_count + $3, \
             reviewed_by = $4, reviewed_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
        )
        .bind(status)
        .bind(reason.map(str::to_string))
        .bind(returned)
        .bind(actor.user_id)
        .bind(now_text())
        .bind(progress_id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "该进展已被修改，请刷新后再审核".into(),
            ));
        }
        if !accept {
            sqlx::query(
                "UPDATE key_item_milestones SET done_on = NULL, done_progress_id = NULL WHERE done_progress_id = $1",
            )
            .bind(progress_id)
            .execute(&mut *tx)
            .await?;
        }
        let after = fetch_item_progress(&mut tx, progress_id).await?;
        audit::write(
            &mut tx,
            actor,
            if accept { "accept" } else { "return" },
            "key_item_progress",
            Some(progress_id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Reports waiting for the office's review, oldest first, each with its item's title.
    pub async fn pending_item_progress(
        &self,
        viewer: &Viewer,
    ) -> Result<Vec<(ItemProgressRow, String)>, StoreError> {
        if !viewer.is_office() {
            return Ok(Vec::new());
        }
        let rows: Vec<ItemProgressRow> = sqlx::query_as(
            "SELECT id, item_id, year, month, content, next_steps, status, return_reason, returned_count, \
             submitted_at, reviewed_at, version FROM key_item_progress WHERE status = 'submitted' ORDER BY submitted_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let titles: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>(
            "SELECT i.id, i.title FROM key_items i WHERE i.id IN (SELECT item_id FROM key_item_progress WHERE status = 'submitted')",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .collect();
        Ok(rows
            .into_iter()
            .map(|r| {
                let title = titles.get(&r.item_id).cloned().unwrap_or_default();
                (r, title)
            })
            .collect())
    }

    /// An evidence file, if the viewer may see its item.
    pub async fn evidence_file(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<EvidenceFile, StoreError> {
        let mut sql = Sql::new(
            "SELECT f.file_name, f.content_type, f.content FROM evidence_files f \
             JOIN key_item_progress r ON r.id = f.progress_id JOIN key_items i ON i.id = r.item_id WHERE f.id = ",
        );
        sql.bind_int(id);
        push_item_scope(&mut sql, viewer);
        sql.query_as::<EvidenceFile>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Milestones of the viewer's items not done and due by `today` + 7 days, overdue first.
    pub async fn reminders(
        &self,
        viewer: &Viewer,
        today: NaiveDate,
    ) -> Result<Vec<Reminder>, StoreError> {
        let horizon = today + chrono::Days::new(hezuo_domain::key_item::REMINDER_DAYS);
        let mut sql = Sql::new(
            "SELECT i.id, i.title, u.name, m.title, m.due_on FROM key_item_milestones m \
             JOIN key_items i ON i.id = m.item_id JOIN units u ON u.id = i.lead_unit_id \
             WHERE m.done_on IS NULL AND m.due_on <= ",
        );
        sql.bind_text(date_text(horizon));
        push_item_scope(&mut sql, viewer);
        sql.push(" ORDER BY m.due_on, i.id, m.id");
        let rows: Vec<(i64, String, String, String, String)> =
            sql.query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(item_id, item_title, lead_unit_name, milestone, due_on)| {
                let due = parse_day(&due_on)?;
                let days = (due - today).num_days();
                Some(Reminder {
                    item_id,
                    item_title,
                    lead_unit_name,
                    milestone,
                    due_on,
                    overdue: days < 0,
                    days,
                })
            })
            .collect())
    }
}

const PROGRESS_SELECT: &str = "SELECT id, item_id, year, month, content, next_steps, status, return_reason, returned_count, \
     submitted_at, reviewed_at, version FROM key_item_progress WHERE id = $1";

async fn fetch_item_progress(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<ItemProgressRow, StoreError> {
    sqlx::query_as(PROGRESS_SELECT)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Writes a new item with its milestones and linked projects; its id.
pub(crate) async fn insert_item(
    tx: &mut Transaction<'static, Any>,
    item: &Item,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO key_items (plan_id, category, title, lead_unit_id, partner_units, partner_regions, \
         target, clause_id, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1) RETURNING id",
    )
    .bind(item.plan_id)
    .bind(item.category.clone())
    .bind(item.title.clone())
    .bind(item.lead_unit_id)
    .bind(item.partner_units.join(NAME_SEPARATOR))
    .bind(item.partner_regions.join(NAME_SEPARATOR))
    .bind(item.target.clone())
    .bind(item.clause_id)
    .bind(now_text())
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| unique_as_conflict(e, "重点事项已存在"))?;
    for m in &item.milestones {
        insert_milestone(tx, id, &m.title, m.due).await?;
    }
    link_projects(tx, id, &item.project_ids).await?;
    Ok(id)
}

/// Rewrites an item at `version` (false when it has moved on). Milestones are matched by
/// title: one kept keeps its done date, one removed is deleted, one new is added. Linked
/// projects are replaced by the item's when `projects` is set, else kept.
pub(crate) async fn rewrite_item(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    version: i64,
    item: &Item,
    projects: bool,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE key_items SET plan_id = $1, category = $2, title = $3, lead_unit_id = $4, partner_units = $5, \
         partner_regions = $6, target = $7, clause_id = $8, updated_at = $9, version = version + 1 \
         WHERE id = $10 AND version = $11",
    )
    .bind(item.plan_id)
    .bind(item.category.clone())
    .bind(item.title.clone())
    .bind(item.lead_unit_id)
    .bind(item.partner_units.join(NAME_SEPARATOR))
    .bind(item.partner_regions.join(NAME_SEPARATOR))
    .bind(item.target.clone())
    .bind(item.clause_id)
    .bind(now_text())
    .bind(id)
    .bind(version)
    .execute(&mut **tx)
    .await
    .map_err(|e| unique_as_conflict(e, "重点事项已存在"))?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let old: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, title FROM key_item_milestones WHERE item_id = $1")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    for (mid, title) in &old {
        match item.milestones.iter().find(|m| &m.title == title) {
            Some(m) => {
                sqlx::query("UPDATE key_item_milestones SET due_on = $1 WHERE id = $2")
                    .bind(date_text(m.due))
                    .bind(*mid)
                    .execute(&mut **tx)
                    .await?;
            }
            None => {
                sqlx::query("DELETE FROM key_item_milestones WHERE id = $1")
                    .bind(*mid)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    for m in &item.milestones {
        if !old.iter().any(|(_, t)| t == &m.title) {
            insert_milestone(tx, id, &m.title, m.due).await?;
        }
    }
    if projects {
        sqlx::query("DELETE FROM key_item_projects WHERE item_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        link_projects(tx, id, &item.project_ids).await?;
    }
    Ok(true)
}

async fn insert_milestone(
    tx: &mut Transaction<'static, Any>,
    item_id: i64,
    title: &str,
    due: NaiveDate,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO key_item_milestones (item_id, title, due_on) VALUES ($1, $2, $3)")
        .bind(item_id)
        .bind(title.to_string())
        .bind(date_text(due))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn link_projects(
    tx: &mut Transaction<'static, Any>,
    item_id: i64,
    project_ids: &[i64],
) -> Result<(), StoreError> {
    for p in project_ids {
        sqlx::query("INSERT INTO key_item_projects (item_id, project_id) VALUES ($1, $2)")
            .bind(item_id)
            .bind(*p)
            .execute(&mut **tx)
            .await
            .map_err(|e| match unique_as_conflict(e, "") {
                StoreError::Invalid { .. } => {
                    StoreError::invalid("project_ids", format!("项目 {p} 不存在"))
                }
                other => other,
            })?;
    }
    Ok(())
}

/// An item as the audit log keeps it.
fn item_audit(item: &Item) -> serde_json::Value {
    serde_json::json!({
        "plan_id": item.plan_id,
        "category": item.category,
        "title": item.title,
        "lead_unit_id": item.lead_unit_id,
        "partner_units": item.partner_units,
        "partner_regions": item.partner_regions,
        "target": item.target,
        "milestones": item.milestones.iter().map(|m| (m.title.clone(), date_text(m.due))).collect::<Vec<_>>(),
        "project_ids": item.project_ids,
        "clause_id": item.clause_id,
    })
}
