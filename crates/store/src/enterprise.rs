//! Enterprises for 亩均效益评价: identified by 统一社会信用代码, their annual data (a field not
//! reported stays NULL), and each year's scheme. The office and leaders read every enterprise;
//! a district's liaison those registered in its district; units none.

use crate::audit::{self, Actor};
use crate::db::{Sql, Store, StoreError, now_text, office_only};
use crate::project::push_district_scope;
use hezuo_domain::Viewer;
use hezuo_domain::credit_code::CreditCode;
use hezuo_domain::mujun::{DataField, Enterprise, Scheme, YearData};
use serde::Serialize;

/// An enterprise as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEnterprise {
    pub credit_code: CreditCode,
    pub name: String,
    pub district_code: String,
    pub industry: String,
    pub above_scale: bool,
    /// 亩, hundredths.
    pub land_owned_x100: i64,
    pub land_leased_x100: i64,
    /// 公用事业, 在建, 新办 … or empty.
    pub exempt: String,
}

/// A year's data; `None` where the enterprise reported nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct YearFigures {
    pub tax: Option<i64>,
    pub value_added: Option<i64>,
    pub revenue: Option<i64>,
    pub energy_x100: Option<i64>,
    pub emission_x100: Option<i64>,
    pub electricity: Option<i64>,
    pub employees: Option<i64>,
    pub rnd: Option<i64>,
    /// The scheme's bonus/deduction items that apply.
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EnterpriseRow {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub district_code: String,
    pub industry: String,
    pub above_scale: i64,
    pub land_owned_x100: i64,
    pub land_leased_x100: i64,
    pub exempt: String,
}

#[derive(sqlx::FromRow)]
struct YearRecord {
    enterprise_id: i64,
    tax: Option<i64>,
    value_added: Option<i64>,
    revenue: Option<i64>,
    energy_x100: Option<i64>,
    emission_x100: Option<i64>,
    electricity: Option<i64>,
    employees: Option<i64>,
    rnd: Option<i64>,
    flags: String,
}

impl Store {
    /// Registers an enterprise, or updates the one with the same credit code; its id.
    pub async fn upsert_enterprise(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        e: &NewEnterprise,
    ) -> Result<i64, StoreError> {
        office_only(viewer, "登记企业")?;
        let mut tx = self.begin_write().await?;
        let found: Option<i64> =
            sqlx::query_scalar("SELECT id FROM enterprises WHERE credit_code = $1")
                .bind(e.credit_code.as_str().to_string())
                .fetch_optional(&mut *tx)
                .await?;
        let above = i64::from(e.above_scale);
        let id = match found {
            Some(id) => {
                sqlx::query(
                    "UPDATE enterprises SET name = $1, district_code = $2, industry = $3, above_scale = $4, \
                     land_owned_x100 = $5, land_leased_x100 = $6, exempt = $7, version = version + 1 WHERE id = $8",
                )
                .bind(e.name.clone())
                .bind(e.district_code.clone())
                .bind(e.industry.clone())
                .bind(above)
                .bind(e.land_owned_x100)
                .bind(e.land_leased_x100)
                .bind(e.exempt.clone())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|err| crate::db::unique_as_conflict(err, ""))?;
                id
            }
            None => sqlx::query_scalar(
                "INSERT INTO enterprises (credit_code, name, district_code, industry, above_scale, land_owned_x100, \
                 land_leased_x100, exempt, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) RETURNING id",
            )
            .bind(e.credit_code.as_str().to_string())
            .bind(e.name.clone())
            .bind(e.district_code.clone())
            .bind(e.industry.clone())
            .bind(above)
            .bind(e.land_owned_x100)
            .bind(e.land_leased_x100)
            .bind(e.exempt.clone())
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await
            .map_err(|err| crate::db::unique_as_conflict(err, "该统一社会信用代码已登记"))?,
        };
        let after = serde_json::json!({"credit_code": e.credit_code.as_str(), "name": e.name, "district_code": e.district_code,
            "above_scale": e.above_scale, "land_owned_x100": e.land_owned_x100, "land_leased_x100": e.land_leased_x100, "exempt": e.exempt});
        audit::write(
            &mut tx,
            actor,
            if found.is_some() { "update" } else { "create" },
            "enterprise",
            Some(id),
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets an enterprise's data for a year (replacing what was there).
    pub async fn set_enterprise_year(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        enterprise_id: i64,
        year: i32,
        f: &YearFigures,
    ) -> Result<(), StoreError> {
        office_only(viewer, "填报企业数据")?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM enterprise_years WHERE enterprise_id = $1 AND year = $2")
            .bind(enterprise_id)
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO enterprise_years (enterprise_id, year, tax, value_added, revenue, energy_x100, emission_x100, \
             electricity, employees, rnd, flags, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)",
        )
        .bind(enterprise_id)
        .bind(i64::from(year))
        .bind(f.tax)
        .bind(f.value_added)
        .bind(f.revenue)
        .bind(f.energy_x100)
        .bind(f.emission_x100)
        .bind(f.electricity)
        .bind(f.employees)
        .bind(f.rnd)
        .bind(f.flags.join("、"))
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .map_err(|err| crate::db::unique_as_conflict(err, "该企业该年度数据刚被他人填报"))?;
        audit::write(
            &mut tx,
            actor,
            "set",
            "enterprise_year",
            Some(enterprise_id),
            None::<&()>,
            Some(f),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Saves a year's draft scheme after checking it; the reason in Chinese when it cannot
    /// work. `version` is the one the editor read (None: replace whatever is there); a scheme
    /// in 公示 or published is not changed.
    pub async fn save_mujun_scheme(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        year: i32,
        toml_text: &str,
        version: Option<i64>,
    ) -> Result<(), StoreError> {
        office_only(viewer, "设置评价方案")?;
        let scheme = Scheme::from_toml(toml_text).map_err(|m| StoreError::invalid("scheme", m))?;
        if scheme.year != year {
            return Err(StoreError::invalid(
                "scheme",
                format!("方案中的年度为{}，与所选年度{year}不符", scheme.year),
            ));
        }
        let mut tx = self.begin_write().await?;
        let current: Option<(String, i64)> =
            sqlx::query_as("SELECT stage, version FROM mujun_schemes WHERE year = $1")
                .bind(i64::from(year))
                .fetch_optional(&mut *tx)
                .await?;
        if let Some((stage, current)) = &current {
            if stage != "draft" {
                return Err(StoreError::invalid(
                    "scheme",
                    format!("{year}年度评价已进入公示或已发布，方案不能再修改"),
                ));
            }
            if version.is_some_and(|v| v != *current) {
                return Err(StoreError::Conflict(
                    "该年度评价方案刚被他人修改，请对照最新方案后再保存".into(),
                ));
            }
        }
        let next = current.map_or(1, |(_, v)| v + 1);
        sqlx::query("DELETE FROM mujun_schemes WHERE year = $1")
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO mujun_schemes (year, scheme_toml, stage, updated_at, version) VALUES ($1, $2, 'draft', $3, $4)")
            .bind(i64::from(year))
            .bind(toml_text.to_string())
            .bind(now_text())
            .bind(next)
            .execute(&mut *tx)
            .await?;
        audit::write(
            &mut tx,
            actor,
            "set",
            "mujun_scheme",
            Some(i64::from(year)),
            None::<&()>,
            Some(&toml_text),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The year's scheme as saved.
    pub async fn mujun_scheme(&self, year: i32) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT scheme_toml FROM mujun_schemes WHERE year = $1")
                .bind(i64::from(year))
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Every enterprise the viewer may see, as registered.
    pub async fn enterprise_rows(&self, viewer: &Viewer) -> Result<Vec<EnterpriseRow>, StoreError> {
        let mut sql = Sql::new(
            "SELECT e.id, e.credit_code, e.name, e.district_code, e.industry, e.above_scale, e.land_owned_x100, \
             e.land_leased_x100, e.exempt FROM enterprises e WHERE 1 = 1",
        );
        push_district_scope(&mut sql, viewer, "e.district_code");
        sql.push(" ORDER BY e.id");
        Ok(sql.query_as().fetch_all(&self.pool).await?)
    }

    /// The enterprises in scope with their data for `year`, as the scoring function takes them.
    pub async fn mujun_population(
        &self,
        viewer: &Viewer,
        year: i32,
    ) -> Result<Vec<(EnterpriseRow, Enterprise)>, StoreError> {
        let rows = self.enterprise_rows(viewer).await?;
        let years: Vec<YearRecord> = sqlx::query_as(
            "SELECT enterprise_id, tax, value_added, revenue, energy_x100, emission_x100, electricity, employees, rnd, flags \
             FROM enterprise_years WHERE year = $1",
        )
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        let by_id: std::collections::HashMap<i64, YearRecord> =
            years.into_iter().map(|y| (y.enterprise_id, y)).collect();
        Ok(rows
            .into_iter()
            .map(|r| {
                let y = by_id.get(&r.id);
                let mut data = YearData::default();
                let land = r.land_owned_x100 + r.land_leased_x100;
                data.set(DataField::Land, (land > 0).then(|| land as f64 / 100.0));
                if let Some(y) = y {
                    let f = |v: Option<i64>| v.map(|v| v as f64);
                    let hundredths = |v: Option<i64>| v.map(|v| v as f64 / 100.0);
                    data.set(DataField::Tax, f(y.tax));
                    data.set(DataField::ValueAdded, f(y.value_added));
                    data.set(DataField::Revenue, f(y.revenue));
                    data.set(DataField::Energy, hundredths(y.energy_x100));
                    data.set(DataField::Emission, hundredths(y.emission_x100));
                    data.set(DataField::Electricity, f(y.electricity));
                    data.set(DataField::Employees, f(y.employees));
                    data.set(DataField::Rnd, f(y.rnd));
                }
                let enterprise = Enterprise {
                    above_scale: r.above_scale != 0,
                    exempt: (!r.exempt.is_empty()).then(|| r.exempt.clone()),
                    flags: y
                        .map(|y| crate::key_item::split_joined(&y.flags))
                        .unwrap_or_default(),
                    data,
                };
                (r, enterprise)
            })
            .collect())
    }
}
