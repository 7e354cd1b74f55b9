//! Cooperation platforms and enclaves (平台 / 飞地) and their year-to-date figures by month,
//! with 同比 against the same months of the year before and, for an enclave, the agreed share
//! of output and tax against what reached the partner. The city's roles see every platform; a
//! district's (or a platform's) liaison those in its district, and reports their figures.

use crate::audit::{self, Actor};
use crate::db::{Sql, Store, StoreError, now_text, office_only, unique_as_conflict};
use crate::project::push_district_scope;
use hezuo_domain::figures::year_on_year;
use hezuo_domain::platform::{Platform, PlatformKind, settlement};
use hezuo_domain::{Month, Role, Viewer, Yuan};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A period's figures, yuan (projects a count), year to date.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::FromRow,
)]
pub struct PlatformFigures {
    pub fixed_asset_investment: i64,
    pub industrial_output: i64,
    pub projects: i64,
    pub projects_investment: i64,
    pub tax: i64,
    pub output_arrived: i64,
    pub tax_arrived: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct FiguresRow {
    pub year: i64,
    pub month: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub figures: PlatformFigures,
    pub version: i64,
}

/// 同比 of each figure, "12.3%" (or null without last year's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct PlatformYoy {
    pub fixed_asset_investment: Option<String>,
    pub industrial_output: Option<String>,
    pub projects: Option<String>,
    pub projects_investment: Option<String>,
    pub tax: Option<String>,
}

/// An enclave's agreed share against what arrived, yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Settlement {
    pub agreed: i64,
    pub arrived: i64,
    pub shortfall: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PlatformRow {
    pub id: i64,
    pub name: String,
    /// platform or enclave.
    pub kind: String,
    pub kind_label: String,
    pub district_code: String,
    pub district_name: String,
    pub partner_region: String,
    /// Per mille.
    pub output_share: Option<i64>,
    pub tax_share: Option<i64>,
    /// The latest figures of the year up to the month asked.
    pub current: Option<FiguresRow>,
    /// The same months of the year before.
    pub last_year: Option<FiguresRow>,
    pub yoy: PlatformYoy,
    /// For an enclave with agreed shares: output and tax due to the partner against arrived.
    pub output_settlement: Option<Settlement>,
    pub tax_settlement: Option<Settlement>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PlatformPage {
    pub total: i64,
    pub year: i64,
    pub month: i64,
    pub items: Vec<PlatformRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams, ToSchema)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PlatformFilter {
    /// Default: the year now.
    pub year: Option<i64>,
    /// Year to date up to this month (default 12, or the month now in the current year).
    #[param(minimum = 1, maximum = 12)]
    pub month: Option<i64>,
    /// platform or enclave.
    #[param(schema_with = crate::openapi::platform_kind_code)]
    pub kind: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PlatformRecord {
    id: i64,
    name: String,
    kind: String,
    district_code: String,
    district_name: String,
    partner_region: String,
    output_share: Option<i64>,
    tax_share: Option<i64>,
    version: i64,
}

fn yoy_text(this: i64, last: Option<i64>) -> Option<String> {
    year_on_year(this, last?).map(|r| r.percent_text())
}

impl Store {
    pub async fn create_coop_platform(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        p: &Platform,
    ) -> Result<i64, StoreError> {
        office_only(viewer, "登记平台和飞地")?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO coop_platforms (name, kind, district_code, partner_region, output_share, tax_share, created_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1) RETURNING id",
        )
        .bind(p.name.clone())
        .bind(p.kind.code())
        .bind(p.district_code.clone())
        .bind(p.partner_region.clone())
        .bind(p.output_share)
        .bind(p.tax_share)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_as_conflict(e, "已有同名的平台或飞地"))?;
        let after = serde_json::json!({"name": p.name, "kind": p.kind.code(), "district_code": p.district_code,
            "partner_region": p.partner_region, "output_share": p.output_share, "tax_share": p.tax_share});
        audit::write(
            &mut tx,
            actor,
            "create",
            "coop_platform",
            Some(id),
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Platforms in scope with their figures for `year` up to `month`, 同比 and settlements.
    pub async fn coop_platforms(
        &self,
        viewer: &Viewer,
        filter: &PlatformFilter,
        now: Month,
    ) -> Result<PlatformPage, StoreError> {
        let year = filter.year.unwrap_or(i64::from(now.year));
        let default_month = if year == i64::from(now.year) {
            i64::from(now.month)
        } else {
            12
        };
        let month = filter.month.unwrap_or(default_month);
        if !(1..=12).contains(&month) {
            return Err(StoreError::invalid("month", "月份应为1至12"));
        }
        let mut sql = Sql::new(
            "SELECT cp.id, cp.name, cp.kind, cp.district_code, d.name AS district_name, cp.partner_region, \
             cp.output_share, cp.tax_share, cp.version FROM coop_platforms cp JOIN districts d ON d.code = cp.district_code WHERE 1 = 1",
        );
        push_district_scope(&mut sql, viewer, "cp.district_code");
        if let Some(k) = filter
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            let kind = PlatformKind::parse(k)
                .ok_or_else(|| StoreError::invalid("kind", format!("未知的类型“{k}”")))?;
            sql.push(" AND cp.kind = ").bind_text(kind.code());
        }
        sql.push(" ORDER BY cp.id");
        let records: Vec<PlatformRecord> = sql.query_as().fetch_all(&self.pool).await?;
        let mut items = Vec::with_capacity(records.len());
        for r in records {
            let current = self.figures_up_to(r.id, year, month).await?;
            let last_year = match &current {
                Some(c) => self.figures_at(r.id, year - 1, c.month).await?,
                None => None,
            };
            let f = current.as_ref().map(|c| c.figures).unwrap_or_default();
            let l = last_year.as_ref().map(|c| c.figures);
            let yoy = PlatformYoy {
                fixed_asset_investment: yoy_text(
                    f.fixed_asset_investment,
                    l.map(|l| l.fixed_asset_investment),
                ),
                industrial_output: yoy_text(f.industrial_output, l.map(|l| l.industrial_output)),
                projects: yoy_text(f.projects, l.map(|l| l.projects)),
                projects_investment: yoy_text(
                    f.projects_investment,
                    l.map(|l| l.projects_investment),
                ),
                tax: yoy_text(f.tax, l.map(|l| l.tax)),
            };
            let settle = |share: Option<i64>, total: i64, arrived: i64| {
                let share = share
                    .filter(|_| r.kind == PlatformKind::Enclave.code() && current.is_some())?;
                let (agreed, arrived, shortfall) = settlement(Yuan(total), share, Yuan(arrived));
                Some(Settlement {
                    agreed: agreed.0,
                    arrived: arrived.0,
                    shortfall: shortfall.0,
                })
            };
            items.push(PlatformRow {
                output_settlement: settle(r.output_share, f.industrial_output, f.output_arrived),
                tax_settlement: settle(r.tax_share, f.tax, f.tax_arrived),
                id: r.id,
                name: r.name,
                kind_label: PlatformKind::parse(&r.kind)
                    .map_or("", PlatformKind::label)
                    .into(),
                kind: r.kind,
                district_code: r.district_code,
                district_name: r.district_name,
                partner_region: r.partner_region,
                output_share: r.output_share,
                tax_share: r.tax_share,
                current,
                last_year,
                yoy,
                version: r.version,
            });
        }
        Ok(PlatformPage {
            total: items.len() as i64,
            year,
            month,
            items,
        })
    }

    async fn figures_up_to(
        &self,
        id: i64,
        year: i64,
        month: i64,
    ) -> Result<Option<FiguresRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT year, month, fixed_asset_investment, industrial_output, projects, projects_investment, tax, \
             output_arrived, tax_arrived, version FROM coop_platform_figures \
             WHERE platform_id = $1 AND year = $2 AND month <= $3 ORDER BY month DESC LIMIT 1",
        )
        .bind(id)
        .bind(year)
        .bind(month)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn figures_at(
        &self,
        id: i64,
        year: i64,
        month: i64,
    ) -> Result<Option<FiguresRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT year, month, fixed_asset_investment, industrial_output, projects, projects_investment, tax, \
             output_arrived, tax_arrived, version FROM coop_platform_figures \
             WHERE platform_id = $1 AND year = $2 AND month = $3",
        )
        .bind(id)
        .bind(year)
        .bind(month)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A platform's figures, newest first; `NotFound` outside the viewer's scope.
    pub async fn platform_history(
        &self,
        viewer: &Viewer,
        id: i64,
    ) -> Result<Vec<FiguresRow>, StoreError> {
        self.platform_in_scope(viewer, id).await?;
        Ok(sqlx::query_as(
            "SELECT year, month, fixed_asset_investment, industrial_output, projects, projects_investment, tax, \
             output_arrived, tax_arrived, version FROM coop_platform_figures WHERE platform_id = $1 ORDER BY year DESC, month DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn platform_in_scope(&self, viewer: &Viewer, id: i64) -> Result<(), StoreError> {
        let mut sql = Sql::new("SELECT cp.id FROM coop_platforms cp WHERE cp.id = ");
        sql.bind_int(id);
        push_district_scope(&mut sql, viewer, "cp.district_code");
        let found: Option<(i64,)> = sql.query_as().fetch_optional(&self.pool).await?;
        found.map(|_| ()).ok_or(StoreError::NotFound)
    }

    /// Files a platform's year-to-date figures as of a month (the office, or the liaison of its
    /// district); `version` as read, `None` for a new period; a stale one is a `Conflict`.
    pub async fn set_platform_figures(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        id: i64,
        period: Month,
        figures: &PlatformFigures,
        version: Option<i64>,
    ) -> Result<(), StoreError> {
        self.platform_in_scope(viewer, id).await?;
        if !(viewer.is_office() || viewer.role == Role::Area) {
            return Err(StoreError::invalid(
                "",
                "只有合作办或所在区县可以填报平台数据",
            ));
        }
        let (year, month) = (i64::from(period.year), i64::from(period.month));
        let before = self.figures_at(id, year, month).await?;
        let f = figures;
        let mut tx = self.begin_write().await?;
        let written = match (&before, version) {
            (None, _) => sqlx::query(
                "INSERT INTO coop_platform_figures (platform_id, year, month, fixed_asset_investment, industrial_output, \
                 projects, projects_investment, tax, output_arrived, tax_arrived, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)",
            )
            .bind(id)
            .bind(year)
            .bind(month)
            .bind(f.fixed_asset_investment)
            .bind(f.industrial_output)
            .bind(f.projects)
            .bind(f.projects_investment)
            .bind(f.tax)
            .bind(f.output_arrived)
            .bind(f.tax_arrived)
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .map_err(|e| unique_as_conflict(e, "该月数据刚被他人填报，请刷新后再填"))?
            .rows_affected(),
            (Some(_), Some(v)) => sqlx::query(
                "UPDATE coop_platform_figures SET fixed_asset_investment = $1, industrial_output = $2, projects = $3, \
                 projects_investment = $4, tax = $5, output_arrived = $6, tax_arrived = $7, updated_at = $8, version = version + 1 \
                 WHERE platform_id = $9 AND year = $10 AND month = $11 AND version = $12",
            )
            .bind(f.fixed_asset_investment)
            .bind(f.industrial_output)
            .bind(f.projects)
            .bind(f.projects_investment)
            .bind(f.tax)
            .bind(f.output_arrived)
            .bind(f.tax_arrived)
            .bind(now_text())
            .bind(id)
            .bind(year)
            .bind(month)
            .bind(v)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            (Some(_), None) => 0,
        };
        if written == 0 {
            return Err(StoreError::Conflict(
                "该月数据已被他人修改，请刷新后再填".into(),
            ));
        }
        audit::write(
            &mut tx,
            actor,
            "set",
            "coop_platform_figures",
            Some(id),
            before.as_ref(),
            Some(figures),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
