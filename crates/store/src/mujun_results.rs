//! A year's 亩均效益评价 results and what follows from them. While the scheme is a draft the
//! results are a trial computed on read; going to 公示 freezes them (and freezing again while in
//! 公示 takes in corrected data); objections are filed during 公示 and resolved by the office;
//! publishing is refused while any objection is open and puts the bottom class on the
//! improvement list, whose actions track the land reclaimed and the floor vacated.
//!
//! Scores are always computed over the whole city's population (averages and ranks are the
//! city's); what a viewer is shown is limited in SQL to the enterprises in their scope.

use crate::audit::{self, Actor};
use crate::db::{Sql, Store, StoreError, now_text, office_only};
use crate::enterprise::EnterpriseRow;
use crate::project::push_district_scope;
use hezuo_domain::mujun::{MuResult, Scheme, score};
use hezuo_domain::mujun_report::{ImprovementKind, Movement, Stage, movement};
use hezuo_domain::{Role, Viewer};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// An enterprise's result with what the pages show beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultRow {
    pub enterprise: EnterpriseRow,
    pub district_name: String,
    pub result: MuResult,
}

/// A year's evaluation as a viewer sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MujunYear {
    pub year: i32,
    /// None when no scheme is set for the year.
    pub stage: Option<Stage>,
    pub scheme_toml: String,
    #[serde(skip)]
    pub scheme: Option<Scheme>,
    /// The last day of 公示 (yyyy-mm-dd), empty before it.
    pub publicity_until: String,
    pub version: i64,
    /// The enterprises in the viewer's scope: graded by rank, then the rest by name.
    pub rows: Vec<ResultRow>,
}

impl MujunYear {
    /// The scheme's classes, best first.
    pub fn classes(&self) -> Vec<String> {
        self.scheme
            .as_ref()
            .map(|s| s.classes.iter().map(|c| c.class.clone()).collect())
            .unwrap_or_default()
    }

    /// How this year's enterprises moved between classes since `last` (the year before, read
    /// for the same viewer); an enterprise not graded last year counts as new.
    pub fn movement_since(&self, last: &MujunYear) -> Movement {
        let before: HashMap<i64, Option<&str>> = last
            .rows
            .iter()
            .map(|r| (r.enterprise.id, r.result.class.as_deref()))
            .collect();
        movement(
            &self.classes(),
            self.rows.iter().map(|r| {
                (
                    before.get(&r.enterprise.id).copied().flatten(),
                    r.result.class.as_deref(),
                )
            }),
        )
    }

    /// The class the improvement list takes (the last).
    pub fn bottom_class(&self) -> Option<String> {
        self.classes().pop()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ObjectionRow {
    pub id: i64,
    pub year: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub credit_code: String,
    pub content: String,
    pub filed_by: String,
    pub filed_at: String,
    /// open, upheld, rejected.
    pub status: String,
    pub resolution: String,
    pub resolved_by: String,
    pub version: i64,
}

impl ObjectionRow {
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "upheld" => "已采纳",
            "rejected" => "不予采纳",
            _ => "待处理",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ImprovementRow {
    pub id: i64,
    pub year: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub credit_code: String,
    pub district_name: String,
    pub industry: String,
    /// 亩, hundredths: the land the enterprise uses (owned + leased).
    pub land_x100: i64,
    /// upgrade (整治提升) or vacate (腾笼换鸟).
    pub kind: String,
    pub measures: String,
    pub deadline: String,
    /// open or done.
    pub status: String,
    pub land_reclaimed_x100: i64,
    pub floor_vacated_x100: i64,
    pub version: i64,
}

impl ImprovementRow {
    pub fn kind_label(&self) -> &'static str {
        ImprovementKind::parse(&self.kind).map_or("", ImprovementKind::label)
    }

    pub fn status_label(&self) -> &'static str {
        if self.status == "done" {
            "已完成"
        } else {
            "推进中"
        }
    }
}

/// The improvement list of a year's evaluation with its totals (亩 and m² in hundredths).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Improvements {
    pub year: i32,
    pub items: Vec<ImprovementRow>,
    pub done: usize,
    pub vacate: usize,
    pub land_reclaimed_x100: i64,
    pub floor_vacated_x100: i64,
}

/// An action on the improvement list as the office or the district's liaison sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImprovementInput {
    pub kind: ImprovementKind,
    pub measures: String,
    pub deadline: String,
    pub done: bool,
    pub land_reclaimed_x100: i64,
    pub floor_vacated_x100: i64,
}

#[derive(sqlx::FromRow)]
struct SchemeRecord {
    scheme_toml: String,
    stage: String,
    publicity_until: String,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct FrozenRecord {
    enterprise_id: i64,
    detail: String,
}

/// Only the office and a district's liaison act on an enterprise, and the liaison only on the
/// enterprises in its district.
async fn may_act_on(
    store: &Store,
    viewer: &Viewer,
    enterprise_id: i64,
    what: &str,
) -> Result<(), StoreError> {
    if !(viewer.is_office() || viewer.role == Role::Area) {
        return Err(StoreError::invalid(
            "",
            format!("只有合作办或企业所在区县可以{what}"),
        ));
    }
    if store
        .scoped_enterprise_ids(viewer)
        .await?
        .contains(&enterprise_id)
    {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

impl Store {
    /// The years with a scheme, latest first.
    pub async fn mujun_years(&self) -> Result<Vec<i32>, StoreError> {
        let years: Vec<(i64,)> =
            sqlx::query_as("SELECT year FROM mujun_schemes ORDER BY year DESC")
                .fetch_all(&self.pool)
                .await?;
        Ok(years.into_iter().map(|(y,)| y as i32).collect())
    }

    async fn scheme_record(&self, year: i32) -> Result<Option<SchemeRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT scheme_toml, stage, publicity_until, version FROM mujun_schemes WHERE year = $1",
        )
        .bind(i64::from(year))
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The ids of the enterprises the viewer may see.
    pub(crate) async fn scoped_enterprise_ids(
        &self,
        viewer: &Viewer,
    ) -> Result<HashSet<i64>, StoreError> {
        let mut sql = Sql::new("SELECT e.id FROM enterprises e WHERE 1 = 1");
        push_district_scope(&mut sql, viewer, "e.district_code");
        let ids: Vec<(i64,)> = sql.query_as().fetch_all(&self.pool).await?;
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// Scores the whole city's population for the year under the scheme.
    async fn score_city(
        &self,
        year: i32,
        scheme: &Scheme,
    ) -> Result<Vec<(EnterpriseRow, MuResult)>, StoreError> {
        let everyone = Viewer {
            user_id: 0,
            role: Role::Admin,
            area: None,
            unit_id: None,
            leader_id: None,
        };
        let population = self.mujun_population(&everyone, year).await?;
        let enterprises: Vec<_> = population.iter().map(|(_, e)| e.clone()).collect();
        let results = score(scheme, &enterprises);
        Ok(population
            .into_iter()
            .map(|(row, _)| row)
            .zip(results)
            .collect())
    }

    /// The year's evaluation for the viewer: frozen results once in 公示, a trial before.
    pub async fn mujun_year(&self, viewer: &Viewer, year: i32) -> Result<MujunYear, StoreError> {
        let Some(record) = self.scheme_record(year).await? else {
            return Ok(MujunYear {
                year,
                stage: None,
                scheme_toml: String::new(),
                scheme: None,
                publicity_until: String::new(),
                version: 0,
                rows: Vec::new(),
            });
        };
        let stage = Stage::parse(&record.stage).unwrap_or(Stage::Draft);
        let scheme = Scheme::from_toml(&record.scheme_toml).ok();
        let in_scope = self.scoped_enterprise_ids(viewer).await?;
        let districts: HashMap<String, String> =
            sqlx::query_as::<_, (String, String)>("SELECT code, name FROM districts")
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .collect();
        let scored: Vec<(EnterpriseRow, MuResult)> = match (stage, &scheme) {
            (Stage::Draft, Some(s)) => self.score_city(year, s).await?,
            (Stage::Draft, None) => Vec::new(),
            _ => {
                let mut sql = Sql::new(
                    "SELECT r.enterprise_id, r.detail FROM mujun_results r \
                     JOIN enterprises e ON e.id = r.enterprise_id WHERE r.year = ",
                );
                sql.bind_int(i64::from(year));
                push_district_scope(&mut sql, viewer, "e.district_code");
                let frozen: Vec<FrozenRecord> = sql.query_as().fetch_all(&self.pool).await?;
                let rows = self.enterprise_rows(viewer).await?;
                let by_id: HashMap<i64, EnterpriseRow> =
                    rows.into_iter().map(|r| (r.id, r)).collect();
                let mut out = Vec::with_capacity(frozen.len());
                for f in frozen {
                    let result: MuResult = serde_json::from_str(&f.detail)
                        .map_err(|e| StoreError::invalid("detail", e.to_string()))?;
                    if let Some(row) = by_id.get(&f.enterprise_id) {
                        out.push((row.clone(), result));
                    }
                }
                out
            }
        };
        let mut rows: Vec<ResultRow> = scored
            .into_iter()
            .filter(|(e, _)| in_scope.contains(&e.id))
            .map(|(enterprise, result)| ResultRow {
                district_name: districts
                    .get(&enterprise.district_code)
                    .cloned()
                    .unwrap_or_default(),
                enterprise,
                result,
            })
            .collect();
        rows.sort_by_key(|r| {
            (
                r.result.rank.is_none(),
                r.enterprise.above_scale == 0,
                r.result.rank,
                r.enterprise.name.clone(),
            )
        });
        Ok(MujunYear {
            year,
            stage: Some(stage),
            scheme_toml: record.scheme_toml,
            scheme,
            publicity_until: record.publicity_until,
            version: record.version,
            rows,
        })
    }

    /// Freezes the year's results and opens (or continues) 公示 until `until` (yyyy-mm-dd).
    /// Freezing again during 公示 takes in data corrected after an objection.
    pub async fn publicize_mujun(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        year: i32,
        until: &str,
        version: i64,
    ) -> Result<usize, StoreError> {
        office_only(viewer, "公示评价结果")?;
        if chrono::NaiveDate::parse_from_str(until, "%Y-%m-%d").is_err() {
            return Err(StoreError::invalid(
                "until",
                "请填写公示截止日期，如 2025-03-31",
            ));
        }
        let record = self
            .scheme_record(year)
            .await?
            .ok_or_else(|| StoreError::invalid("", format!("{year}年度尚未设置评价方案")))?;
        if record.stage == Stage::Final.code() {
            return Err(StoreError::invalid(
                "",
                format!("{year}年度评价结果已发布，不能再次公示"),
            ));
        }
        let scheme =
            Scheme::from_toml(&record.scheme_toml).map_err(|m| StoreError::invalid("scheme", m))?;
        let scored = self.score_city(year, &scheme).await?;
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE mujun_schemes SET stage = 'publicized', publicity_until = $1, updated_at = $2, version = version + 1 \
             WHERE year = $3 AND version = $4 AND stage <> 'final'",
        )
        .bind(until.to_string())
        .bind(now_text())
        .bind(i64::from(year))
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict(
                "评价方案刚被他人修改或已进入下一阶段，请刷新后再操作".into(),
            ));
        }
        sqlx::query("DELETE FROM mujun_results WHERE year = $1")
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
        for chunk in scored.chunks(100) {
            let mut sql = Sql::new(
                "INSERT INTO mujun_results (year, enterprise_id, score_x100, class, rank, managed_as, detail) VALUES ",
            );
            for (n, (e, r)) in chunk.iter().enumerate() {
                if n > 0 {
                    sql.push(", ");
                }
                sql.push("(").bind_int(i64::from(year)).push(", ");
                sql.bind_int(e.id).push(", ");
                match r.score {
                    Some(s) => sql.bind_int((s * 100.0).round() as i64),
                    None => sql.bind(crate::db::Param::Null),
                };
                sql.push(", ")
                    .bind_text(r.class.clone().unwrap_or_default());
                sql.push(", ");
                match r.rank {
                    Some(k) => sql.bind_int(k as i64),
                    None => sql.bind(crate::db::Param::Null),
                };
                sql.push(", ")
                    .bind_text(r.managed_as.clone().unwrap_or_default());
                sql.push(", ")
                    .bind_text(serde_json::to_string(r).unwrap_or_default());
                sql.push(")");
            }
            sql.query().execute(&mut *tx).await?;
        }
        audit::write(
            &mut tx,
            actor,
            "publicize",
            "mujun_scheme",
            Some(i64::from(year)),
            None::<&()>,
            Some(&serde_json::json!({"until": until, "results": scored.len()})),
        )
        .await?;
        tx.commit().await?;
        Ok(scored.len())
    }

    /// Publishes the year's results: refused while an objection is open; the bottom class goes
    /// on the improvement list (整治提升 by default). Returns how many were put on it.
    pub async fn finalize_mujun(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        year: i32,
        version: i64,
    ) -> Result<usize, StoreError> {
        office_only(viewer, "发布评价结果")?;
        let record = self
            .scheme_record(year)
            .await?
            .ok_or_else(|| StoreError::invalid("", format!("{year}年度尚未设置评价方案")))?;
        if record.stage != Stage::Publicized.code() {
            return Err(StoreError::invalid(
                "",
                "评价结果须先经公示才能发布".to_string(),
            ));
        }
        let bottom = Scheme::from_toml(&record.scheme_toml)
            .map_err(|m| StoreError::invalid("scheme", m))?
            .classes
            .last()
            .map(|c| c.class.clone())
            .unwrap_or_default();
        let mut tx = self.begin_write().await?;
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM mujun_objections WHERE year = $1 AND status = 'open'",
        )
        .bind(i64::from(year))
        .fetch_one(&mut *tx)
        .await?;
        if open > 0 {
            return Err(StoreError::invalid(
                "",
                format!("尚有{open}件异议未处理，处理完毕后才能发布"),
            ));
        }
        let changed = sqlx::query(
            "UPDATE mujun_schemes SET stage = 'final', updated_at = $1, version = version + 1 \
             WHERE year = $2 AND version = $3 AND stage = 'publicized'",
        )
        .bind(now_text())
        .bind(i64::from(year))
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict(
                "评价方案刚被他人修改或已进入下一阶段，请刷新后再操作".into(),
            ));
        }
        let listed = sqlx::query(
            "INSERT INTO mujun_improvements (year, enterprise_id, updated_at) \
             SELECT year, enterprise_id, $1 FROM mujun_results WHERE year = $2 AND class = $3 \
             AND enterprise_id NOT IN (SELECT enterprise_id FROM mujun_improvements WHERE year = $4)",
        )
        .bind(now_text())
        .bind(i64::from(year))
        .bind(bottom.clone())
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?
        .rows_affected() as usize;
        audit::write(
            &mut tx,
            actor,
            "finalize",
            "mujun_scheme",
            Some(i64::from(year)),
            None::<&()>,
            Some(&serde_json::json!({"improvements": listed, "class": bottom})),
        )
        .await?;
        tx.commit().await?;
        Ok(listed)
    }

    /// Records an objection to an enterprise's result during 公示.
    pub async fn file_mujun_objection(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        year: i32,
        enterprise_id: i64,
        content: &str,
    ) -> Result<i64, StoreError> {
        may_act_on(self, viewer, enterprise_id, "登记异议").await?;
        let content = content.trim();
        if content.is_empty() {
            return Err(StoreError::invalid("content", "请填写异议内容"));
        }
        let stage = self.scheme_record(year).await?.map(|r| r.stage);
        if stage.as_deref() != Some(Stage::Publicized.code()) {
            return Err(StoreError::invalid("content", "只有公示期间可以登记异议"));
        }
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO mujun_objections (year, enterprise_id, content, filed_by, filed_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(i64::from(year))
        .bind(enterprise_id)
        .bind(content.to_string())
        .bind(actor.username.clone())
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await?;
        audit::write(
            &mut tx,
            actor,
            "create",
            "mujun_objection",
            Some(id),
            None::<&()>,
            Some(&serde_json::json!({"year": year, "enterprise_id": enterprise_id, "content": content})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The office's answer to an objection, against the version read.
    pub async fn resolve_mujun_objection(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: i64,
        upheld: bool,
        resolution: &str,
        version: i64,
    ) -> Result<(), StoreError> {
        office_only(viewer, "处理异议")?;
        let resolution = resolution.trim();
        if resolution.is_empty() {
            return Err(StoreError::invalid("resolution", "请填写处理意见"));
        }
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE mujun_objections SET status = $1, resolution = $2, resolved_by = $3, resolved_at = $4, \
             version = version + 1 WHERE id = $5 AND version = $6",
        )
        .bind(if upheld { "upheld" } else { "rejected" })
        .bind(resolution.to_string())
        .bind(actor.username.clone())
        .bind(now_text())
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM mujun_objections WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            return Err(match exists {
                None => StoreError::NotFound,
                Some(_) => StoreError::Conflict("该异议刚被他人处理，请刷新后查看".into()),
            });
        }
        audit::write(
            &mut tx,
            actor,
            "resolve",
            "mujun_objection",
            Some(id),
            None::<&()>,
            Some(&serde_json::json!({"upheld": upheld, "resolution": resolution})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The year's objections about enterprises in the viewer's scope, open ones first.
    pub async fn mujun_objections(
        &self,
        viewer: &Viewer,
        year: i32,
        enterprise_id: Option<i64>,
    ) -> Result<Vec<ObjectionRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT o.id, o.year, o.enterprise_id, e.name AS enterprise_name, e.credit_code, o.content, o.filed_by, \
             o.filed_at, o.status, o.resolution, o.resolved_by, o.version FROM mujun_objections o \
             JOIN enterprises e ON e.id = o.enterprise_id WHERE o.year = ",
        );
        sql.bind_int(i64::from(year));
        if let Some(id) = enterprise_id {
            sql.push(" AND o.enterprise_id = ").bind_int(id);
        }
        push_district_scope(&mut sql, viewer, "e.district_code");
        sql.push(" ORDER BY CASE WHEN o.status = 'open' THEN 0 ELSE 1 END, o.id DESC");
        Ok(sql.query_as().fetch_all(&self.pool).await?)
    }

    /// The improvement list of the year's evaluation, in the viewer's scope.
    pub async fn mujun_improvements(
        &self,
        viewer: &Viewer,
        year: i32,
        enterprise_id: Option<i64>,
    ) -> Result<Improvements, StoreError> {
        let mut sql = Sql::new(
            "SELECT m.id, m.year, m.enterprise_id, e.name AS enterprise_name, e.credit_code, d.name AS district_name, \
             e.industry, e.land_owned_x100 + e.land_leased_x100 AS land_x100, m.kind, m.measures, m.deadline, m.status, \
             m.land_reclaimed_x100, m.floor_vacated_x100, m.version FROM mujun_improvements m \
             JOIN enterprises e ON e.id = m.enterprise_id JOIN districts d ON d.code = e.district_code WHERE m.year = ",
        );
        sql.bind_int(i64::from(year));
        if let Some(id) = enterprise_id {
            sql.push(" AND m.enterprise_id = ").bind_int(id);
        }
        push_district_scope(&mut sql, viewer, "e.district_code");
        sql.push(" ORDER BY d.code, e.name");
        let items: Vec<ImprovementRow> = sql.query_as().fetch_all(&self.pool).await?;
        Ok(Improvements {
            year,
            done: items.iter().filter(|i| i.status == "done").count(),
            vacate: items
                .iter()
                .filter(|i| i.kind == ImprovementKind::Vacate.code())
                .count(),
            land_reclaimed_x100: items.iter().map(|i| i.land_reclaimed_x100).sum(),
            floor_vacated_x100: items.iter().map(|i| i.floor_vacated_x100).sum(),
            items,
        })
    }

    /// Sets an improvement action (the office, or the enterprise's district), against the
    /// version read. Land reclaimed cannot exceed the land the enterprise uses.
    pub async fn update_mujun_improvement(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: i64,
        input: &ImprovementInput,
        version: i64,
    ) -> Result<(), StoreError> {
        let found: Option<(i64, i64)> = sqlx::query_as(
            "SELECT m.enterprise_id, e.land_owned_x100 + e.land_leased_x100 FROM mujun_improvements m \
             JOIN enterprises e ON e.id = m.enterprise_id WHERE m.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let (enterprise_id, land) = found.ok_or(StoreError::NotFound)?;
        may_act_on(self, viewer, enterprise_id, "填报整治提升进展").await?;
        if input.land_reclaimed_x100 > land {
            return Err(StoreError::invalid(
                "land_reclaimed",
                format!(
                    "腾退土地不能超过企业用地{}亩",
                    hezuo_domain::assistance::amount_text(land)
                ),
            ));
        }
        let deadline = input.deadline.trim();
        if !deadline.is_empty() && chrono::NaiveDate::parse_from_str(deadline, "%Y-%m-%d").is_err()
        {
            return Err(StoreError::invalid(
                "deadline",
                "完成时限应为日期，如 2025-06-30",
            ));
        }
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE mujun_improvements SET kind = $1, measures = $2, deadline = $3, status = $4, \
             land_reclaimed_x100 = $5, floor_vacated_x100 = $6, updated_at = $7, version = version + 1 \
             WHERE id = $8 AND version = $9",
        )
        .bind(input.kind.code())
        .bind(input.measures.trim().to_string())
        .bind(input.deadline.trim().to_string())
        .bind(if input.done { "done" } else { "open" })
        .bind(input.land_reclaimed_x100)
        .bind(input.floor_vacated_x100)
        .bind(now_text())
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Conflict(
                "该整治提升事项刚被他人修改，请刷新后再填报".into(),
            ));
        }
        audit::write(
            &mut tx,
            actor,
            "update",
            "mujun_improvement",
            Some(id),
            None::<&()>,
            Some(&serde_json::json!({"kind": input.kind.code(), "measures": input.measures, "deadline": input.deadline,
                "done": input.done, "land_reclaimed_x100": input.land_reclaimed_x100, "floor_vacated_x100": input.floor_vacated_x100})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
