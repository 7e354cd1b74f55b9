//! Projects: scoped list with filters, sorting, pagination and totals; get; create; update
//! with optimistic versioning; stage transitions with dated history. Every query here takes a
//! [`Viewer`], and rows outside the viewer's scope do not exist for it (`NotFound`).

use crate::audit::{self, Actor};
use crate::db::{Engine, SQLITE_MMAP_BYTES, Sql, Store, StoreError, now_text, unique_as_conflict};
use chrono::NaiveDate;
use hezuo_domain::money::YI;
use hezuo_domain::project::flags_to_text;
use hezuo_domain::{ProjectDraft, ProjectScope, Stage, Transition, Viewer};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use utoipa::{IntoParams, ToSchema};

/// A project as read back, with the names of what it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    /// 产业项目 … as a code: industrial, infrastructure, culture_tourism, social, research, talent.
    pub kind: String,
    /// lead, negotiating, signed, started, completed, producing, full_production, terminated.
    pub stage: String,
    pub maturity: Option<String>,
    /// Date of the latest stage change (YYYY-MM-DD).
    pub stage_date: String,
    pub signed_on: Option<String>,
    pub investor: String,
    pub summary: String,
    /// CNY or USD.
    pub currency: String,
    /// Agreed amount in its own currency, whole units (元 or US$).
    pub investment_orig: i64,
    /// USD→CNY rate in ten-thousandths (71884 = 7.1884).
    pub usd_rate: Option<i64>,
    pub rate_date: Option<String>,
    /// Agreed investment in yuan; tiers count on this.
    pub investment_cny: i64,
    /// Funds arrived, yuan.
    pub arrived: i64,
    pub origin: String,
    pub origin_detail: String,
    pub industry_id: Option<i64>,
    pub industry_name: Option<String>,
    pub chain_id: Option<i64>,
    pub chain_name: Option<String>,
    /// Comma-separated flag codes (chain_leader, global500 …).
    pub flags: String,
    pub district_code: String,
    pub district_name: String,
    pub platform_id: Option<i64>,
    pub platform_name: Option<String>,
    /// Land in hundredths of a 亩.
    pub land_mu_x100: Option<i64>,
    pub leader_id: Option<i64>,
    pub leader_name: Option<String>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub promoter: String,
    pub commissioner: String,
    pub signing_event_id: Option<i64>,
    pub signing_event_name: Option<String>,
    pub project_code: Option<String>,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The joins that name a project's district, platform, industry, chain, leader and unit.
macro_rules! project_joins {
    () => {
        " FROM projects p JOIN districts d ON d.code = p.district_code \
        LEFT JOIN platforms pl ON pl.id = p.platform_id LEFT JOIN industries i ON i.id = p.industry_id \
        LEFT JOIN chains c ON c.id = p.chain_id LEFT JOIN leaders l ON l.id = p.leader_id \
        LEFT JOIN units u ON u.id = p.unit_id"
    };
}

const SELECT_PROJECT: &str = concat!(
    "SELECT p.id, p.name, p.kind, p.stage, p.maturity, p.stage_date, p.signed_on, \
    p.investor, p.summary, p.currency, p.investment_orig, p.usd_rate, p.rate_date, p.investment_cny, p.arrived, \
    p.origin, p.origin_detail, p.industry_id, i.name AS industry_name, p.chain_id, c.name AS chain_name, p.flags, \
    p.district_code, d.name AS district_name, p.platform_id, pl.name AS platform_name, p.land_mu_x100, \
    p.leader_id, l.name AS leader_name, p.unit_id, u.name AS unit_name, p.promoter, p.commissioner, \
    p.signing_event_id, se.name AS signing_event_name, p.project_code, p.version, p.created_at, p.updated_at",
    project_joins!(),
    " LEFT JOIN signing_events se ON se.id = p.signing_event_id"
);

/// What a project list exports: the columns of the workbook, nothing more (a third of
/// [`ProjectRow`]'s; reading fewer columns is most of an export's database time).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportedProject {
    pub name: String,
    pub project_code: Option<String>,
    pub kind: String,
    pub stage: String,
    pub stage_date: String,
    pub signed_on: Option<String>,
    pub district_name: String,
    pub platform_name: Option<String>,
    pub investor: String,
    pub origin: String,
    pub origin_detail: String,
    pub industry_name: Option<String>,
    pub chain_name: Option<String>,
    pub investment_cny: i64,
    pub arrived: i64,
    pub land_mu_x100: Option<i64>,
    pub leader_name: Option<String>,
    pub unit_name: Option<String>,
}

const SELECT_EXPORTED: &str = concat!(
    "SELECT p.name, p.project_code, p.kind, p.stage, p.stage_date, p.signed_on, \
    d.name AS district_name, pl.name AS platform_name, p.investor, p.origin, p.origin_detail, \
    i.name AS industry_name, c.name AS chain_name, p.investment_cny, p.arrived, p.land_mu_x100, \
    l.name AS leader_name, u.name AS unit_name",
    project_joins!()
);

/// A list entry of a project: on list `list_id` for `year`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
pub struct ListEntry {
    pub list_id: i64,
    pub list_name: String,
    pub year: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, ToSchema)]
pub struct StageChange {
    pub id: i64,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub changed_on: String,
    pub reason: Option<String>,
    pub username: Option<String>,
    pub created_at: String,
}

/// Filters shared by the list page, the API and (later) exports. Empty means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ProjectFilter {
    /// Stage code (signed, started …).
    pub stage: Option<String>,
    /// District code (330502 …).
    pub district: Option<String>,
    /// Platform id.
    pub platform: Option<i64>,
    /// Minimum tier in 亿元: 5 means 5亿元以上 (≥).
    pub tier: Option<i64>,
    pub industry: Option<i64>,
    pub chain: Option<i64>,
    /// List id; with `year`, that year's list.
    pub list: Option<i64>,
    pub year: Option<i64>,
    pub leader: Option<i64>,
    /// Origin code (shanghai, jiangsu …).
    pub origin: Option<String>,
    /// Flag code (chain_leader, global500 …).
    pub flag: Option<String>,
    pub kind: Option<String>,
    /// Keyword in the name, investor or project code.
    pub q: Option<String>,
    /// name, investment, stage, stage_date, signed_on, district, updated (default).
    pub sort: Option<String>,
    /// asc or desc.
    pub dir: Option<String>,
    /// 1-based page.
    pub page: Option<i64>,
    /// Rows per page, 1–200 (default 20).
    pub per_page: Option<i64>,
}

impl ProjectFilter {
    pub fn page(&self) -> i64 {
        self.page.unwrap_or(1).max(1)
    }
    pub fn per_page(&self) -> i64 {
        self.per_page.unwrap_or(20).clamp(1, 200)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProjectPage {
    /// Rows matching the filters (all pages).
    pub total: i64,
    /// Σ agreed investment of the matching rows, yuan.
    pub total_investment_cny: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<ProjectRow>,
}

fn stage_order_sql() -> String {
    let mut s = String::from("CASE p.stage");
    for (i, st) in Stage::ALL.iter().enumerate() {
        s.push_str(&format!(" WHEN '{}' THEN {i}", st.code()));
    }
    s.push_str(" END");
    s
}

/// Appends ` AND <scope>` for the viewer.
pub(crate) fn push_scope(sql: &mut Sql, viewer: &Viewer) {
    match viewer.project_scope() {
        ProjectScope::City => {}
        ProjectScope::District(code) => {
            sql.push(" AND p.district_code = ").bind_text(code);
        }
        ProjectScope::Platform(id) => {
            sql.push(" AND p.platform_id = ").bind_int(id);
        }
        ProjectScope::Unit(id) => {
            sql.push(" AND p.unit_id = ").bind_int(id);
        }
        ProjectScope::Nothing => {
            sql.push(" AND 1 = 0");
        }
    }
}

/// Appends the scope of records that belong to a district (`column` holds its code): the city's
/// roles see all, a district's liaison its own, a platform's liaison its platform's district,
/// units none.
pub(crate) fn push_district_scope(sql: &mut Sql, viewer: &Viewer, column: &str) {
    use hezuo_domain::{Area, Role};
    match (viewer.role, &viewer.area) {
        (Role::Admin | Role::Office | Role::Leader, _) => {}
        (Role::Area, Some(Area::District(code))) => {
            sql.push(&format!(" AND {column} = "))
                .bind_text(code.clone());
        }
        (Role::Area, Some(Area::Platform(id))) => {
            sql.push(&format!(
                " AND {column} = (SELECT district_code FROM platforms WHERE id = "
            ))
            .bind_int(*id)
            .push(")");
        }
        _ => {
            sql.push(" AND 1 = 0");
        }
    }
}

pub(crate) fn push_filters(sql: &mut Sql, f: &ProjectFilter) {
    let text = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(s) = text(&f.stage) {
        sql.push(" AND p.stage = ").bind_text(s);
    }
    if let Some(d) = text(&f.district) {
        sql.push(" AND p.district_code = ").bind_text(d);
    }
    if let Some(id) = f.platform {
        sql.push(" AND p.platform_id = ").bind_int(id);
    }
    if let Some(t) = f.tier {
        sql.push(" AND p.investment_cny >= ")
            .bind_int(t.saturating_mul(YI));
    }
    if let Some(id) = f.industry {
        sql.push(" AND p.industry_id = ").bind_int(id);
    }
    if let Some(id) = f.chain {
        sql.push(" AND p.chain_id = ").bind_int(id);
    }
    if f.list.is_some() || f.year.is_some() {
        // `IN`, not a correlated EXISTS: SQLite then builds the list's set once and tests each
        // project against it, instead of joining the entries innermost after everything else
        // (4× slower for a list's figures at 100k projects, bench/README.md).
        sql.push(" AND p.id IN (SELECT e.project_id FROM project_list_entries e WHERE 1 = 1");
        if let Some(id) = f.list {
            sql.push(" AND e.list_id = ").bind_int(id);
        }
        if let Some(y) = f.year {
            sql.push(" AND e.year = ").bind_int(y);
        }
        sql.push(")");
    }
    if let Some(id) = f.leader {
        sql.push(" AND p.leader_id = ").bind_int(id);
    }
    if let Some(o) = text(&f.origin) {
        sql.push(" AND p.origin = ").bind_text(o);
    }
    if let Some(k) = text(&f.kind) {
        sql.push(" AND p.kind = ").bind_text(k);
    }
    if let Some(flag) = text(&f.flag) {
        // Only a known flag can match; anything else (e.g. "%") matches nothing.
        match hezuo_domain::Flag::parse(&flag) {
            Some(known) => {
                sql.push(" AND (',' || p.flags || ',') LIKE ")
                    .bind_text(format!("%,{},%", known.code()));
            }
            None => {
                sql.push(" AND 1 = 0");
            }
        }
    }
    if let Some(q) = text(&f.q) {
        // Text typed exactly as written must always be found, on both engines: `\`, `%` and `_`
        // are escaped explicitly (PostgreSQL's LIKE treats `\` as an escape by default, SQLite's
        // does not), and the database lowers both sides with the same LOWER (SQLite's only knows
        // ASCII, so a keyword lowered in Rust missed names with full-width capitals like ＡＢＣ).
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        sql.push(" AND (LOWER(p.name) LIKE LOWER(")
            .bind_text(pattern.clone())
            .push(") ESCAPE '\\'");
        sql.push(" OR LOWER(p.investor) LIKE LOWER(")
            .bind_text(pattern.clone())
            .push(") ESCAPE '\\'");
        sql.push(" OR p.project_code LIKE ")
            .bind_text(pattern)
            .push(" ESCAPE '\\')");
    }
}

fn order_by(f: &ProjectFilter) -> String {
    let dir = if f.dir.as_deref() == Some("asc") {
        "ASC"
    } else {
        "DESC"
    };
    let column = match f.sort.as_deref() {
        Some("name") => "p.name".to_string(),
        Some("investment") => "p.investment_cny".to_string(),
        Some("stage") => stage_order_sql(),
        Some("stage_date") => "p.stage_date".to_string(),
        Some("signed_on") => "COALESCE(p.signed_on, '')".to_string(),
        Some("district") => "p.district_code".to_string(),
        _ => "p.updated_at".to_string(),
    };
    format!(" ORDER BY {column} {dir}, p.id {dir}")
}

/// Whether the list's totals can be read from `project_totals`: `Some(None)` for the whole
/// city, `Some(Some(code))` for one district, `None` when another filter or scope narrows the
/// rows (they are then counted).
fn kept_totals(viewer: &Viewer, f: &ProjectFilter) -> Option<Option<String>> {
    // Every field but the district, the order and the page narrows the rows — a filter added
    // later included, without being listed here.
    let unnarrowed = ProjectFilter {
        district: f.district.clone(),
        sort: f.sort.clone(),
        dir: f.dir.clone(),
        page: f.page,
        per_page: f.per_page,
        ..ProjectFilter::default()
    };
    if *f != unnarrowed {
        return None;
    }
    let asked = f
        .district
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    match (viewer.project_scope(), asked) {
        (ProjectScope::City, asked) => Some(asked.map(str::to_string)),
        (ProjectScope::District(own), None) => Some(Some(own)),
        (ProjectScope::District(own), Some(code)) if code == own => Some(Some(own)),
        _ => None,
    }
}

/// What a project write needs to refer to, checked against the dictionaries before writing.
struct Placement<'a> {
    district: &'a str,
    platform: Option<i64>,
}

impl Store {
    pub async fn list_projects(
        &self,
        viewer: &Viewer,
        f: &ProjectFilter,
    ) -> Result<ProjectPage, StoreError> {
        let mut wher = Sql::new(" WHERE 1 = 1");
        push_scope(&mut wher, viewer);
        push_filters(&mut wher, f);

        let totals = match kept_totals(viewer, f) {
            // The triggers' per-district totals (migration 0015) answer the unfiltered list of
            // the city or a district without reading its rows.
            Some(district) => {
                let mut sql = Sql::new(
                    "SELECT CAST(COALESCE(SUM(t.projects), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(t.investment_cny), 0) AS BIGINT) FROM project_totals t",
                );
                if let Some(code) = district {
                    sql.push(" WHERE t.district_code = ").bind_text(code);
                }
                sql
            }
            None => {
                let mut sql = Sql::new(
                    "SELECT COUNT(*), CAST(COALESCE(SUM(p.investment_cny), 0) AS BIGINT) FROM projects p",
                );
                sql.append(&wher);
                sql
            }
        };
        let row = totals.query().fetch_one(&self.pool).await?;
        let (total, total_investment_cny): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);

        let (page, per_page) = (f.page(), f.per_page());
        let mut list = Sql::new(SELECT_PROJECT);
        list.append(&wher);
        list.push(&order_by(f));
        // Integers written into the text, not bound: with `LIMIT $n` PostgreSQL re-plans the
        // page's joins on every request (a generic plan with an unknown limit looks costly),
        // 5–6 ms of planning for 0.2 ms of work.
        list.push(&format!(
            " LIMIT {per_page} OFFSET {}",
            (page - 1).saturating_mul(per_page)
        ));
        let items = list.query_as::<ProjectRow>().fetch_all(&self.pool).await?;
        Ok(ProjectPage {
            total,
            total_investment_cny,
            page,
            per_page,
            items,
        })
    }

    /// Every project in scope matching the filter (all pages, in the list's order), handed to
    /// `each` one at a time as the database yields them, so an export of 100k rows holds one
    /// row at a time. `each` returns false to stop early. Returns the rows handed over.
    pub async fn each_project(
        &self,
        viewer: &Viewer,
        f: &ProjectFilter,
        mut each: impl FnMut(ExportedProject) -> bool,
    ) -> Result<usize, StoreError> {
        use futures_util::TryStreamExt;
        let mut sql = Sql::new(SELECT_EXPORTED);
        sql.push(" WHERE 1 = 1");
        push_scope(&mut sql, viewer);
        push_filters(&mut sql, f);
        sql.push(&order_by(f));
        let mut conn = self.pool.acquire().await?;
        // A scan of every row through a mapped file would keep the whole table resident in this
        // process; through SQLite's own small page cache an export holds a few MB.
        let sqlite = self.engine() == Engine::Sqlite;
        if sqlite {
            sqlx::raw_sql("PRAGMA mmap_size = 0")
                .execute(&mut *conn)
                .await?;
        }
        let mut n = 0;
        let streamed: Result<(), sqlx::Error> = async {
            let query = sql.query_as::<ExportedProject>();
            let mut rows = query.fetch(&mut *conn);
            while let Some(row) = rows.try_next().await? {
                n += 1;
                if !each(row) {
                    break;
                }
            }
            Ok(())
        }
        .await;
        if sqlite {
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "PRAGMA mmap_size = {SQLITE_MMAP_BYTES}"
            )))
            .execute(&mut *conn)
            .await?;
        }
        streamed?;
        Ok(n)
    }

    pub async fn get_project(&self, viewer: &Viewer, id: i64) -> Result<ProjectRow, StoreError> {
        let mut sql = Sql::new(SELECT_PROJECT);
        sql.push(" WHERE p.id = ").bind_int(id);
        push_scope(&mut sql, viewer);
        sql.query_as::<ProjectRow>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn project_lists(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<Vec<ListEntry>, StoreError> {
        self.get_project(viewer, id).await?;
        Ok(sqlx::query_as::<_, ListEntry>(
            "SELECT e.list_id, l.name AS list_name, e.year FROM project_list_entries e \
             JOIN lists l ON l.id = e.list_id WHERE e.project_id = $1 ORDER BY e.year DESC, l.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn stage_history(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<Vec<StageChange>, StoreError> {
        self.get_project(viewer, id).await?;
        Ok(sqlx::query_as::<_, StageChange>(
            "SELECT s.id, s.from_stage, s.to_stage, s.changed_on, s.reason, u.username, s.created_at \
             FROM stage_changes s LEFT JOIN users u ON u.id = s.user_id WHERE s.project_id = $1 \
             ORDER BY s.changed_on, s.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Refuses a write the viewer may not make, and a platform outside the chosen district.
    /// A project the viewer may change: in scope (else `NotFound`) and in its own area.
    pub(crate) async fn editable_project(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<ProjectRow, StoreError> {
        let row = self.get_project(viewer, id).await?;
        self.check_placement(
            viewer,
            Placement {
                district: &row.district_code,
                platform: row.platform_id,
            },
        )
        .await?;
        Ok(row)
    }

    async fn check_placement(
        &self,
        viewer: &Viewer,
        place: Placement<'_>,
    ) -> Result<(), StoreError> {
        if !viewer.can_edit_projects() {
            return Err(StoreError::NotFound);
        }
        let district: Option<i64> = sqlx::query_scalar("SELECT id FROM districts WHERE code = $1")
            .bind(place.district.to_string())
            .fetch_optional(&self.pool)
            .await?;
        if district.is_none() {
            return Err(StoreError::invalid("district_code", "所属区县不存在"));
        }
        if let Some(pid) = place.platform {
            let pd: Option<String> =
                sqlx::query_scalar("SELECT district_code FROM platforms WHERE id = $1")
                    .bind(pid)
                    .fetch_optional(&self.pool)
                    .await?;
            match pd {
                None => return Err(StoreError::invalid("platform_id", "平台不存在")),
                Some(d) if d != place.district => {
                    return Err(StoreError::invalid("platform_id", "所选平台不在所属区县内"));
                }
                Some(_) => {}
            }
        }
        if !viewer.may_place_in(place.district, place.platform) {
            return Err(StoreError::invalid(
                "district_code",
                "只能在本区县/平台范围内登记项目",
            ));
        }
        Ok(())
    }

    pub async fn create_project(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        draft: &ProjectDraft,
    ) -> Result<ProjectRow, StoreError> {
        self.check_placement(
            viewer,
            Placement {
                district: &draft.district_code,
                platform: draft.platform_id,
            },
        )
        .await?;
        let mut tx = self.begin_write().await?;
        let id = insert_in_tx(&mut tx, actor, draft, &now_text()).await?;
        write_lists(&mut tx, id, &draft.lists).await?;
        let after = fetch_in_tx(&mut tx, id).await?;
        audit::write(
            &mut tx,
            actor,
            "create",
            "project",
            Some(id),
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Saves an edit made against `version`. A stale version changes nothing and is a `Conflict`.
    /// The stage is not changed here (see [`Store::transition_project`]).
    pub async fn update_project(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: i64,
        version: i64,
        draft: &ProjectDraft,
    ) -> Result<ProjectRow, StoreError> {
        let before = self.get_project(viewer, id).await?;
        self.check_placement(
            viewer,
            Placement {
                district: &draft.district_code,
                platform: draft.platform_id,
            },
        )
        .await?;
        let mut tx = self.begin_write().await?;
        let done = update_in_tx(&mut tx, id, Some(version), draft, None).await?;
        if done == 0 {
            return Err(StoreError::Conflict(
                "该项目已被他人修改，您的修改未保存。请刷新查看最新内容后再改。".into(),
            ));
        }
        sqlx::query("DELETE FROM project_list_entries WHERE project_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        write_lists(&mut tx, id, &draft.lists).await?;
        let after = fetch_in_tx(&mut tx, id).await?;
        audit::write(
            &mut tx,
            actor,
            "update",
            "project",
            Some(id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Moves a project to `to` on `date`, checked by the domain's stage rules.
    #[allow(clippy::too_many_arguments)]
    pub async fn transition_project(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: i64,
        version: i64,
        to: Stage,
        date: NaiveDate,
        reason: Option<&str>,
        today: NaiveDate,
    ) -> Result<ProjectRow, StoreError> {
        let before = self.get_project(viewer, id).await?;
        self.check_placement(
            viewer,
            Placement {
                district: &before.district_code,
                platform: before.platform_id,
            },
        )
        .await?;
        let from = Stage::parse(&before.stage)
            .ok_or_else(|| StoreError::invalid("stage", "当前阶段无效"))?;
        let last = hezuo_domain::project::parse_date(&before.stage_date);
        let t = Transition::new(from, to, date, last, today, reason)
            .map_err(|e| StoreError::invalid("to", e.to_string()))?;
        let mut tx = self.begin_write().await?;
        if transition_in_tx(&mut tx, actor, id, Some(version), &t).await? == 0 {
            return Err(StoreError::Conflict(
                "该项目已被他人修改，阶段未变更。请刷新后重试。".into(),
            ));
        }
        let after = fetch_in_tx(&mut tx, id).await?;
        audit::write(
            &mut tx,
            actor,
            "transition",
            "project",
            Some(id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

impl Sql {
    /// Appends another fragment, renumbering its placeholders after ours.
    pub(crate) fn append(&mut self, other: &Sql) -> &mut Self {
        let offset = self.param_count();
        let mut text = String::with_capacity(other.text.len());
        let mut chars = other.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                let mut n = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    n.push(*d);
                    chars.next();
                }
                text.push_str(&format!("${}", n.parse::<usize>().unwrap_or(0) + offset));
            } else {
                text.push(c);
            }
        }
        self.text.push_str(&text);
        self.extend_params(other);
        self
    }
}

fn opt_text(v: Option<String>) -> crate::db::Param {
    v.map_or(crate::db::Param::NullText, crate::db::Param::Text)
}

fn opt_int(v: Option<i64>) -> crate::db::Param {
    v.map_or(crate::db::Param::Null, crate::db::Param::Int)
}

/// The draft's columns in the order of [`INSERT_COLUMNS`], its texts moved into the values;
/// `with_stage` adds stage columns.
fn draft_params(d: ProjectDraft, with_stage: bool) -> Vec<(&'static str, crate::db::Param)> {
    use crate::db::Param::{Int, Text};
    let mut v = vec![("name", Text(d.name)), ("kind", Text(d.kind.code().into()))];
    if with_stage {
        v.push(("stage", Text(d.stage.code().into())));
    }
    v.push((
        "maturity",
        opt_text(d.maturity.map(|m| m.code().to_string())),
    ));
    if with_stage {
        v.push(("stage_date", Text(d.stage_date.to_string())));
    }
    v.extend([
        ("signed_on", opt_text(d.signed_on.map(|x| x.to_string()))),
        ("investor", Text(d.investor)),
        ("summary", Text(d.summary)),
        ("currency", Text(d.currency.code().into())),
        ("investment_orig", Int(d.investment_orig.0)),
        ("usd_rate", opt_int(d.usd_rate.map(|r| r.0))),
        ("rate_date", opt_text(d.rate_date.map(|x| x.to_string()))),
        ("investment_cny", Int(d.investment_cny.0)),
        ("arrived", Int(d.arrived.0)),
        ("origin", Text(d.origin.code().into())),
        ("origin_detail", Text(d.origin_detail)),
        ("industry_id", opt_int(d.industry_id)),
        ("chain_id", opt_int(d.chain_id)),
        ("flags", Text(flags_to_text(&d.flags))),
        ("district_code", Text(d.district_code)),
        ("platform_id", opt_int(d.platform_id)),
        ("land_mu_x100", opt_int(d.land_mu_x100)),
        ("leader_id", opt_int(d.leader_id)),
        ("unit_id", opt_int(d.unit_id)),
        ("promoter", Text(d.promoter)),
        ("commissioner", Text(d.commissioner)),
        ("signing_event_id", opt_int(d.signing_event_id)),
        (
            "project_code",
            opt_text(d.project_code.map(|c| c.to_string())),
        ),
    ]);
    v
}

/// Moves a project to the transition's stage and records the change; with `version`, only if
/// the project is still that version. Returns the rows changed (0: stale or missing).
pub(crate) async fn transition_in_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    id: i64,
    version: Option<i64>,
    t: &Transition,
) -> Result<u64, StoreError> {
    let now = now_text();
    let mut sql = Sql::new("UPDATE projects SET stage = ");
    sql.bind_text(t.to.code().to_string())
        .push(", stage_date = ")
        .bind_text(t.date.to_string())
        // 洽谈成熟度 only means something while 在谈.
        .push(if t.to == Stage::Negotiating {
            ", signed_on = "
        } else {
            ", maturity = NULL, signed_on = "
        });
    if t.to == Stage::Signed {
        sql.bind_text(t.date.to_string());
    } else {
        sql.push("signed_on");
    }
    sql.push(", version = version + 1, updated_at = ")
        .bind_text(now.clone())
        .push(" WHERE id = ")
        .bind_int(id);
    if let Some(v) = version {
        sql.push(" AND version = ").bind_int(v);
    }
    let done = sql.query().execute(&mut **tx).await?.rows_affected();
    if done == 0 {
        return Ok(0);
    }
    sqlx::query(
        "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, reason, user_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(t.from.code())
    .bind(t.to.code())
    .bind(t.date.to_string())
    .bind(t.reason.clone())
    .bind(actor.user_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done)
}

/// Inserts a project and its first stage change; returns its id.
pub(crate) async fn insert_in_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    draft: &ProjectDraft,
    now: &str,
) -> Result<i64, StoreError> {
    let ids = insert_many_in_tx(tx, actor, vec![draft.clone()], now).await?;
    Ok(ids[0])
}

/// Rows a multi-row INSERT carries: 33 parameters each keeps a statement under SQLite's
/// 32766 and PostgreSQL's 65535 parameters.
const ROWS_PER_INSERT: usize = 500;

/// The columns a new project is inserted with, in the order [`new_row`] gives their values.
const INSERT_COLUMNS: &str = "INSERT INTO projects (name, kind, stage, maturity, stage_date, signed_on, \
    investor, summary, currency, investment_orig, usd_rate, rate_date, investment_cny, arrived, origin, \
    origin_detail, industry_id, chain_id, flags, district_code, platform_id, land_mu_x100, leader_id, \
    unit_id, promoter, commissioner, signing_event_id, project_code, started_on, completed_on, version, \
    created_at, updated_at) VALUES ";

/// A new project's values for [`INSERT_COLUMNS`], appended to `out`.
fn new_row(out: &mut Vec<crate::db::Param>, draft: ProjectDraft, now: &str) {
    // The first 开工/竣工 dates its one stage change gives it (the summary the stage changes'
    // trigger keeps, migrations 0004/0007): named here, the trigger finds the row already right
    // and leaves it, instead of rewriting each project it has just inserted (0.3–0.4 s of a
    // 100k-row import).
    let reached = |yes: bool| opt_text(yes.then(|| draft.stage_date.to_string()));
    let dates = [
        reached(draft.stage.has_started()),
        reached(draft.stage.has_completed()),
    ];
    out.extend(draft_params(draft, true).into_iter().map(|(_, p)| p));
    out.extend(dates);
    out.extend([
        crate::db::Param::Int(1),
        crate::db::Param::Text(now.to_string()),
        crate::db::Param::Text(now.to_string()),
    ]);
}

/// `INSERT_COLUMNS` with `rows` rows of `per_row` placeholders: PostgreSQL's `$n`, SQLite's
/// anonymous `?`. SQLite looks a named parameter (`$n` is one to it) up by walking the list of
/// names, once when preparing and again for each value sqlx binds, which made a 500-row INSERT
/// of 33 columns (16 500 `$n`) take 260 ms instead of a few.
fn insert_text(rows: usize, per_row: usize, numbered: bool) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(INSERT_COLUMNS.len() + rows * per_row * 4);
    text.push_str(INSERT_COLUMNS);
    let mut n = 0;
    for r in 0..rows {
        text.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..per_row {
            if c > 0 {
                text.push_str(", ");
            }
            n += 1;
            if numbered {
                let _ = write!(text, "${n}");
            } else {
                text.push('?');
            }
        }
        text.push(')');
    }
    text
}

/// A new project's name, district, stage code and stage date: what PostgreSQL's returned ids
/// are matched by and the first stage change is written from.
type FirstStage = (String, String, &'static str, String);

/// Inserts projects and their first stage changes, many rows a statement (an import of 100k
/// projects is 200 statements, not 200k); returns their ids in the order given.
pub(crate) async fn insert_many_in_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    drafts: Vec<ProjectDraft>,
    now: &str,
) -> Result<Vec<i64>, StoreError> {
    let mut ids = Vec::with_capacity(drafts.len());
    let sqlite = tx.backend_name().eq_ignore_ascii_case("sqlite");
    let mut drafts = drafts.into_iter().peekable();
    while drafts.peek().is_some() {
        let chunk: Vec<ProjectDraft> = drafts.by_ref().take(ROWS_PER_INSERT).collect();
        let rows = chunk.len();
        // PostgreSQL matches the ids it returns to the rows by name and district.
        let firsts: Vec<FirstStage> = if sqlite {
            Vec::new()
        } else {
            chunk
                .iter()
                .map(|d| {
                    let (stage, date) = (d.stage.code(), d.stage_date.to_string());
                    (d.name.clone(), d.district_code.clone(), stage, date)
                })
                .collect()
        };
        let mut params = Vec::new();
        for d in chunk {
            new_row(&mut params, d, now);
        }
        let sql = Sql::with_params(insert_text(rows, params.len() / rows, !sqlite), params);
        let chunk_ids = if sqlite {
            insert_sqlite(tx, actor, sql, rows).await?
        } else {
            insert_postgres(tx, actor, sql, &firsts, now).await?
        };
        ids.extend(chunk_ids);
    }
    Ok(ids)
}

/// SQLite: the rows take the ids after the largest (one writer at a time, and rowids are given
/// in order from the largest up), so nothing needs returning, and the stage changes are written
/// by one `INSERT … SELECT` from the new rows, each value once in SQLite instead of bound.
async fn insert_sqlite(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    sql: Sql,
    rows: usize,
) -> Result<Vec<i64>, StoreError> {
    let last = || sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(id), 0) FROM projects");
    let before = last().fetch_one(&mut **tx).await?;
    sql.into_query()
        .execute(&mut **tx)
        .await
        .map_err(|e| unique_as_conflict(e, "已有项目使用该项目代码"))?;
    sqlx::query(
        "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, reason, user_id, created_at) \
         SELECT id, NULL, stage, stage_date, NULL, $1, created_at FROM projects WHERE id > $2 ORDER BY id",
    )
    .bind(actor.user_id)
    .bind(before)
    .execute(&mut **tx)
    .await?;
    let after = last().fetch_one(&mut **tx).await?;
    if usize::try_from(after - before).ok() == Some(rows) {
        return Ok((before + 1..=after).collect());
    }
    // Rowids past the largest possible are chosen at random: read them back.
    Ok(
        sqlx::query_scalar("SELECT id FROM projects WHERE id > $1 ORDER BY id")
            .bind(before)
            .fetch_all(&mut **tx)
            .await?,
    )
}

/// PostgreSQL: other transactions draw ids from the same sequence meanwhile, so the new rows'
/// ids come back with RETURNING and the stage changes are bound with them.
async fn insert_postgres(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    mut sql: Sql,
    firsts: &[FirstStage],
    now: &str,
) -> Result<Vec<i64>, StoreError> {
    // RETURNING does not promise the order of VALUES, so each id is matched back to its row
    // by what identifies it in the batch (name and district are unique in one).
    sql.push(" RETURNING id, name, district_code");
    let rows: Vec<(i64, String, String)> = sql
        .into_query_as()
        .fetch_all(&mut **tx)
        .await
        .map_err(|e| unique_as_conflict(e, "已有项目使用该项目代码"))?;
    let by_key: std::collections::HashMap<(&str, &str), i64> = rows
        .iter()
        .map(|(id, n, d)| ((n.as_str(), d.as_str()), *id))
        .collect();
    let ids: Vec<i64> = firsts
        .iter()
        .map(|(name, district, _, _)| {
            by_key
                .get(&(name.as_str(), district.as_str()))
                .copied()
                .ok_or_else(|| StoreError::invalid("name", "同一批中有同名项目"))
        })
        .collect::<Result<_, _>>()?;
    let mut changes = Sql::new(
        "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, reason, user_id, created_at) VALUES ",
    );
    for (i, (id, (_, _, stage, date))) in ids.iter().zip(firsts).enumerate() {
        changes
            .push(if i == 0 { "(" } else { ", (" })
            .bind_int(*id)
            .push(", NULL, ")
            .bind_text(*stage)
            .push(", ")
            .bind_text(date.as_str())
            .push(", NULL, ")
            .bind(opt_int(actor.user_id))
            .push(", ")
            .bind_text(now.to_string())
            .push(")");
    }
    changes.into_query().execute(&mut **tx).await?;
    Ok(ids)
}

/// Saves a project's fields (not its stage) — all of them, or with `only` just those columns;
/// with `version`, only if it is still that version. Returns the rows changed (0: stale
/// version or no such project).
pub(crate) async fn update_in_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    version: Option<i64>,
    draft: &ProjectDraft,
    only: Option<&[&str]>,
) -> Result<u64, StoreError> {
    let mut sql = Sql::new("UPDATE projects SET ");
    bind_update(&mut sql, draft, only);
    sql.push(", version = version + 1, updated_at = ")
        .bind_text(now_text());
    sql.push(" WHERE id = ").bind_int(id);
    if let Some(v) = version {
        sql.push(" AND version = ").bind_int(v);
    }
    Ok(sql
        .query()
        .execute(&mut **tx)
        .await
        .map_err(|e| unique_as_conflict(e, "已有项目使用该项目代码"))?
        .rows_affected())
}

fn bind_update(sql: &mut Sql, d: &ProjectDraft, only: Option<&[&str]>) {
    let params = draft_params(d.clone(), false)
        .into_iter()
        .filter(|(col, _)| only.is_none_or(|o| o.contains(col)));
    for (i, (col, p)) in params.enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push(col).push(" = ").bind(p);
    }
}

async fn write_lists(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    lists: &[(i64, i32)],
) -> Result<(), StoreError> {
    for (list_id, year) in lists {
        sqlx::query(
            "INSERT INTO project_list_entries (project_id, list_id, year) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(*list_id)
        .bind(i64::from(*year))
        .execute(&mut **tx)
        .await
        .map_err(|e| match unique_as_conflict(e, "") {
            StoreError::Invalid { .. } => StoreError::invalid("lists", "所选清单不存在"),
            other => other,
        })?;
    }
    Ok(())
}

async fn fetch_in_tx(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
) -> Result<ProjectRow, StoreError> {
    let sql = format!("{SELECT_PROJECT} WHERE p.id = $1");
    Ok(sqlx::query_as::<_, ProjectRow>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?)
}
