//! Paired assistance (对口工作): programmes and their indicators against the province's targets,
//! assistance funds and their disbursements. The office and leaders see every programme; an
//! on-site team (a unit) sees the programmes it runs; district liaisons none. A disbursement
//! is one conditional UPDATE, so concurrent payments can never take a fund below zero.

use crate::audit::{self, Actor};
use crate::db::{Sql, Store, StoreError, now_text, office_only, unique_as_conflict};
use chrono::NaiveDate;
use hezuo_domain::assistance::{
    IndicatorStatus, Person, Programme, ProgrammeKind, Sale, amount_text, check_disbursement,
    indicator_status, months_elapsed, programme_status,
};
use hezuo_domain::{ItemScope, Month, Viewer, Yuan};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct IndicatorRow {
    pub id: i64,
    pub name: String,
    pub unit: String,
    /// Hundredths of the unit.
    pub target_x100: i64,
    pub actual_x100: i64,
    /// "1540" — the target as people write it.
    pub target: String,
    pub actual: String,
    /// YYYY-MM the actual stands at.
    pub as_of: Option<String>,
    /// lagging, on_schedule, completed, exceeded, exceeded_early.
    pub status: String,
    pub status_label: String,
    /// actual ÷ target as a percentage with one decimal ("100.5%"), or "—".
    pub rate: String,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProgrammeRow {
    pub id: i64,
    pub year: i64,
    pub kind: String,
    pub kind_label: String,
    pub partner_region: String,
    pub name: String,
    pub team_unit_id: Option<i64>,
    pub team_unit_name: Option<String>,
    pub indicators: Vec<IndicatorRow>,
    /// The worst indicator's status; None without indicators.
    pub status: Option<String>,
    pub status_label: Option<String>,
    /// Σ allocated and Σ disbursed of its funds, yuan.
    pub funds_allocated: i64,
    pub funds_disbursed: i64,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProgrammePage {
    pub total: i64,
    /// The month the statuses are read at.
    pub as_of: String,
    pub items: Vec<ProgrammeRow>,
}

/// Filters of the programme list, matrix and API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams, ToSchema)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ProgrammeFilter {
    /// The programmes' year (default: the latest year with programmes).
    pub year: Option<i64>,
    /// aid_xinjiang, aid_qinghai, east_west, mountain_sea, interprovincial.
    #[param(schema_with = crate::openapi::programme_kind_code)]
    pub kind: Option<String>,
    /// Read statuses at this month, YYYY-MM (default: now, or the year's December once over).
    pub month: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct DisbursementRow {
    pub id: i64,
    pub amount: i64,
    pub paid_on: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct FundRow {
    pub id: i64,
    pub programme_id: i64,
    pub project: String,
    pub allocated: i64,
    pub disbursed: i64,
    pub version: i64,
    #[sqlx(skip)]
    pub disbursements: Vec<DisbursementRow>,
}

impl FundRow {
    pub fn balance(&self) -> i64 {
        self.allocated - self.disbursed
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub batch: String,
    pub place: String,
    pub start_on: String,
    pub end_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct SaleRow {
    pub id: i64,
    pub product: String,
    pub region: String,
    /// Yuan.
    pub amount: i64,
    pub sold_on: String,
}

#[derive(sqlx::FromRow)]
struct ProgrammeRecord {
    id: i64,
    year: i64,
    kind: String,
    partner_region: String,
    name: String,
    team_unit_id: Option<i64>,
    team_unit_name: Option<String>,
    version: i64,
    funds_allocated: i64,
    funds_disbursed: i64,
}

#[derive(sqlx::FromRow)]
struct IndicatorRecord {
    id: i64,
    programme_id: i64,
    name: String,
    unit: String,
    target_x100: i64,
    actual_x100: i64,
    as_of: Option<String>,
    version: i64,
}

/// Appends the viewer's programme scope (`ap` is assistance_programmes): an on-site team sees
/// the programmes it runs.
fn push_programme_scope(sql: &mut Sql, viewer: &Viewer) {
    match viewer.item_scope() {
        ItemScope::All => {}
        ItemScope::Unit(id) => {
            sql.push(" AND ap.team_unit_id = ").bind_int(id);
        }
        ItemScope::Nothing => {
            sql.push(" AND 1 = 0");
        }
    }
}

/// actual ÷ target as "123.7%", or "—" without a target.
fn rate_text(target: i64, actual: i64) -> String {
    hezuo_domain::Ratio::new(actual, target).map_or_else(|| "—".into(), |r| r.percent_text())
}

/// May the viewer change this programme's figures: the office, or the team that runs it.
fn may_change(viewer: &Viewer, team: Option<i64>) -> bool {
    viewer.is_office() || team.is_some_and(|t| viewer.may_report_for(t))
}

impl Store {
    pub async fn create_programme(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        p: &Programme,
    ) -> Result<i64, StoreError> {
        office_only(viewer, "新建对口工作")?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assistance_programmes (year, kind, partner_region, name, team_unit_id, created_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, 1) RETURNING id",
        )
        .bind(i64::from(p.year))
        .bind(p.kind.code())
        .bind(p.partner_region.clone())
        .bind(p.name.clone())
        .bind(p.team_unit_id)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_as_conflict(e, "同一年度已有同名的对口工作"))?;
        let after = serde_json::json!({"year": p.year, "kind": p.kind.code(), "partner_region": p.partner_region, "name": p.name});
        audit::write(
            &mut tx,
            actor,
            "create",
            "assistance_programme",
            Some(id),
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The programme a viewer may see, with its team; `NotFound` otherwise.
    async fn programme_team(&self, viewer: &Viewer, id: i64) -> Result<Option<i64>, StoreError> {
        let mut sql =
            Sql::new("SELECT ap.team_unit_id FROM assistance_programmes ap WHERE ap.id = ");
        sql.bind_int(id);
        push_programme_scope(&mut sql, viewer);
        let row: Option<(Option<i64>,)> = sql.query_as().fetch_optional(&self.pool).await?;
        row.map(|r| r.0).ok_or(StoreError::NotFound)
    }

    /// Sets an indicator's target and its actual as of a month. `version` is the indicator's as
    /// read (`None` for a new one); a stale one is a `Conflict`. The office sets targets; the
    /// team may only report actuals against the target as it stands.
    #[expect(
        clippy::too_many_arguments,
        reason = "an indicator is a name, a unit, two figures and a month"
    )]
    pub async fn set_indicator(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        programme_id: i64,
        (name, unit): (&str, &str),
        target_x100: i64,
        actual_x100: i64,
        as_of: Month,
        version: Option<i64>,
    ) -> Result<(), StoreError> {
        let team = self.programme_team(viewer, programme_id).await?;
        if !may_change(viewer, team) {
            return Err(StoreError::invalid(
                "",
                "只有合作办或该项工作的前方指挥部可以填报",
            ));
        }
        let name = name.trim();
        if name.is_empty() || unit.trim().is_empty() {
            return Err(StoreError::invalid("name", "请填写指标名称和单位"));
        }
        if target_x100 < 0 || actual_x100 < 0 {
            return Err(StoreError::invalid("actual", "指标数值不能为负"));
        }
        let mut tx = self.begin_write().await?;
        let before: Option<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, target_x100, actual_x100, version FROM assistance_indicators WHERE programme_id = $1 AND name = $2",
        )
        .bind(programme_id)
        .bind(name.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        if !viewer.is_office() && before.is_none_or(|b| b.1 != target_x100) {
            return Err(StoreError::invalid("target", "目标任务由合作办设定"));
        }
        let id = match (before, version) {
            (None, _) => {
                let seq: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM assistance_indicators WHERE programme_id = $1",
                )
                .bind(programme_id)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query_scalar(
                    "INSERT INTO assistance_indicators (programme_id, seq, name, unit, target_x100, actual_x100, as_of, updated_at, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) RETURNING id",
                )
                .bind(programme_id)
                .bind(seq)
                .bind(name.to_string())
                .bind(unit.trim().to_string())
                .bind(target_x100)
                .bind(actual_x100)
                .bind(as_of.to_string())
                .bind(now_text())
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| unique_as_conflict(e, "该指标刚被他人添加，请刷新后再填"))?
            }
            (Some(b), Some(v)) if b.3 == v => {
                let done = sqlx::query(
                    "UPDATE assistance_indicators SET unit = $1, target_x100 = $2, actual_x100 = $3, as_of = $4, \
                     updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7",
                )
                .bind(unit.trim().to_string())
                .bind(target_x100)
                .bind(actual_x100)
                .bind(as_of.to_string())
                .bind(now_text())
                .bind(b.0)
                .bind(v)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::Conflict(
                        "该指标已被他人修改，请刷新后再填".into(),
                    ));
                }
                b.0
            }
            (Some(_), _) => {
                return Err(StoreError::Conflict(
                    "该指标已被他人修改，请刷新后再填".into(),
                ));
            }
        };
        let after = serde_json::json!({"name": name, "unit": unit, "target_x100": target_x100, "actual_x100": actual_x100, "as_of": as_of.to_string()});
        audit::write(
            &mut tx,
            actor,
            "set",
            "assistance_indicator",
            Some(id),
            before
                .map(|b| serde_json::json!({"target_x100": b.1, "actual_x100": b.2}))
                .as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Programmes in scope with their indicators' status read at `month` (capped at each
    /// programme's December).
    pub async fn programmes(
        &self,
        viewer: &Viewer,
        filter: &ProgrammeFilter,
        now: Month,
    ) -> Result<ProgrammePage, StoreError> {
        let month = match filter
            .month
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            None => None,
            Some(m) => Some(Month::parse(m).ok_or_else(|| {
                StoreError::invalid("month", format!("“{m}”不是有效月份，请写成 2024-06"))
            })?),
        };
        let mut sql = Sql::new(
            "SELECT ap.id, ap.year, ap.kind, ap.partner_region, ap.name, ap.team_unit_id, u.name AS team_unit_name, ap.version, \
             CAST(COALESCE((SELECT SUM(f.allocated) FROM assistance_funds f WHERE f.programme_id = ap.id), 0) AS BIGINT) AS funds_allocated, \
             CAST(COALESCE((SELECT SUM(f.disbursed) FROM assistance_funds f WHERE f.programme_id = ap.id), 0) AS BIGINT) AS funds_disbursed \
             FROM assistance_programmes ap LEFT JOIN units u ON u.id = ap.team_unit_id WHERE 1 = 1",
        );
        push_programme_scope(&mut sql, viewer);
        if let Some(y) = filter.year {
            sql.push(" AND ap.year = ").bind_int(y);
        }
        if let Some(k) = filter
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            let code = ProgrammeKind::parse(k)
                .ok_or_else(|| StoreError::invalid("kind", format!("未知的对口工作类型“{k}”")))?;
            sql.push(" AND ap.kind = ").bind_text(code.code());
        }
        sql.push(" ORDER BY ap.year DESC, ap.id");
        let records: Vec<ProgrammeRecord> = sql.query_as().fetch_all(&self.pool).await?;
        let indicators: Vec<IndicatorRecord> = sqlx::query_as(
            "SELECT id, programme_id, name, unit, target_x100, actual_x100, as_of, version FROM assistance_indicators ORDER BY programme_id, seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let at = month.unwrap_or(now);
        let items: Vec<ProgrammeRow> = records
            .into_iter()
            .map(|r| {
                let months = months_elapsed(r.year as i32, at);
                let rows: Vec<IndicatorRow> = indicators
                    .iter()
                    .filter(|i| i.programme_id == r.id)
                    .map(|i| {
                        let s = indicator_status(i.target_x100, i.actual_x100, months);
                        IndicatorRow {
                            id: i.id,
                            name: i.name.clone(),
                            unit: i.unit.clone(),
                            target_x100: i.target_x100,
                            actual_x100: i.actual_x100,
                            target: amount_text(i.target_x100),
                            actual: amount_text(i.actual_x100),
                            as_of: i.as_of.clone(),
                            status: s.code().into(),
                            status_label: s.label().into(),
                            rate: rate_text(i.target_x100, i.actual_x100),
                            version: i.version,
                        }
                    })
                    .collect();
                let statuses: Vec<IndicatorStatus> = rows
                    .iter()
                    .filter_map(|i| IndicatorStatus::parse(&i.status))
                    .collect();
                let overall = programme_status(&statuses);
                ProgrammeRow {
                    id: r.id,
                    year: r.year,
                    kind_label: ProgrammeKind::parse(&r.kind)
                        .map_or("", ProgrammeKind::label)
                        .into(),
                    kind: r.kind,
                    partner_region: r.partner_region,
                    name: r.name,
                    team_unit_id: r.team_unit_id,
                    team_unit_name: r.team_unit_name,
                    indicators: rows,
                    status: overall.map(|s| s.code().to_string()),
                    status_label: overall.map(|s| s.label().to_string()),
                    funds_allocated: r.funds_allocated,
                    funds_disbursed: r.funds_disbursed,
                    version: r.version,
                }
            })
            .collect();
        Ok(ProgrammePage {
            total: items.len() as i64,
            as_of: at.to_string(),
            items,
        })
    }

    /// Allocates money to an assistance project of a programme (office, or the programme's team).
    pub async fn add_fund(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        programme_id: i64,
        project: &str,
        allocated: Yuan,
    ) -> Result<i64, StoreError> {
        let team = self.programme_team(viewer, programme_id).await?;
        if !may_change(viewer, team) {
            return Err(StoreError::invalid(
                "",
                "只有合作办或该项工作的前方指挥部可以安排资金",
            ));
        }
        if project.trim().is_empty() {
            return Err(StoreError::invalid("project", "请填写援助项目名称"));
        }
        if allocated.0 <= 0 {
            return Err(StoreError::invalid("allocated", "安排资金应大于0"));
        }
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assistance_funds (programme_id, project, allocated, disbursed, created_at, version) \
             VALUES ($1, $2, $3, 0, $4, 1) RETURNING id",
        )
        .bind(programme_id)
        .bind(project.trim().to_string())
        .bind(allocated.0)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await?;
        let after = serde_json::json!({"programme_id": programme_id, "project": project.trim(), "allocated": allocated.0});
        audit::write(
            &mut tx,
            actor,
            "create",
            "assistance_fund",
            Some(id),
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Pays `amount` out of a fund. The balance check and the payment are one UPDATE, so of
    /// concurrent payments only those the balance covers succeed; each is audited.
    pub async fn disburse(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        fund_id: i64,
        amount: Yuan,
        paid_on: NaiveDate,
        note: &str,
    ) -> Result<FundRow, StoreError> {
        let fund = self.fund(viewer, fund_id).await?;
        let team = self.programme_team(viewer, fund.programme_id).await?;
        if !may_change(viewer, team) {
            return Err(StoreError::invalid(
                "",
                "只有合作办或该项工作的前方指挥部可以拨付资金",
            ));
        }
        check_disbursement(Yuan(fund.allocated), Yuan(fund.disbursed), amount)
            .map_err(|m| StoreError::invalid("amount", m))?;
        let mut tx = self.begin_write().await?;
        let paid = sqlx::query(
            "UPDATE assistance_funds SET disbursed = disbursed + $1, version = version + 1 \
             WHERE id = $2 AND disbursed + $1 <= allocated",
        )
        .bind(amount.0)
        .bind(fund_id)
        .execute(&mut *tx)
        .await?;
        if paid.rows_affected() == 0 {
            // Someone paid in between; say what is left now.
            let (allocated, disbursed): (i64, i64) =
                sqlx::query_as("SELECT allocated, disbursed FROM assistance_funds WHERE id = $1")
                    .bind(fund_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let message = check_disbursement(Yuan(allocated), Yuan(disbursed), amount)
                .err()
                .unwrap_or_else(|| "该资金刚有其他拨付，请刷新后再试".into());
            return Err(StoreError::Conflict(message));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assistance_disbursements (fund_id, amount, paid_on, note, made_by, made_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(fund_id)
        .bind(amount.0)
        .bind(paid_on.format("%Y-%m-%d").to_string())
        .bind(note.trim().to_string())
        .bind(actor.user_id)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await?;
        let after = serde_json::json!({"fund_id": fund_id, "amount": amount.0, "paid_on": paid_on, "note": note.trim()});
        audit::write(
            &mut tx,
            actor,
            "disburse",
            "assistance_disbursement",
            Some(id),
            Some(&fund),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        self.fund(viewer, fund_id).await
    }

    /// A fund with its disbursements, oldest first; `NotFound` outside the viewer's scope.
    pub async fn fund(&self, viewer: &Viewer, id: i64) -> Result<FundRow, StoreError> {
        let mut sql = Sql::new(
            "SELECT f.id, f.programme_id, f.project, f.allocated, f.disbursed, f.version FROM assistance_funds f \
             JOIN assistance_programmes ap ON ap.id = f.programme_id WHERE f.id = ",
        );
        sql.bind_int(id);
        push_programme_scope(&mut sql, viewer);
        let mut fund: FundRow = sql
            .query_as::<FundRow>()
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        fund.disbursements = sqlx::query_as(
            "SELECT id, amount, paid_on, note FROM assistance_disbursements WHERE fund_id = $1 ORDER BY paid_on, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(fund)
    }

    /// A programme's funds.
    pub async fn funds(
        &self,
        viewer: &Viewer,
        programme_id: i64,
    ) -> Result<Vec<FundRow>, StoreError> {
        self.programme_team(viewer, programme_id).await?;
        let ids: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM assistance_funds WHERE programme_id = $1 ORDER BY id")
                .bind(programme_id)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(ids.len());
        for (id,) in ids {
            out.push(self.fund(viewer, id).await?);
        }
        Ok(out)
    }

    /// Records a person dispatched (office, or the programme's team).
    pub async fn add_person(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        programme_id: i64,
        p: &Person,
    ) -> Result<i64, StoreError> {
        let team = self.programme_team(viewer, programme_id).await?;
        if !may_change(viewer, team) {
            return Err(StoreError::invalid(
                "",
                "只有合作办或该项工作的前方指挥部可以登记人员",
            ));
        }
        let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assistance_people (programme_id, name, role, batch, place, start_on, end_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(programme_id)
        .bind(p.name.clone())
        .bind(p.role.clone())
        .bind(p.batch.clone())
        .bind(p.place.clone())
        .bind(day(p.start_on))
        .bind(p.end_on.map(day))
        .fetch_one(&mut *tx)
        .await?;
        let after = serde_json::json!({"programme_id": programme_id, "name": p.name, "role": p.role, "batch": p.batch,
            "place": p.place, "start_on": p.start_on, "end_on": p.end_on});
        audit::write(
            &mut tx,
            actor,
            "create",
            "assistance_person",
            Some(id),
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// People dispatched on a programme, by start.
    pub async fn people(
        &self,
        viewer: &Viewer,
        programme_id: i64,
    ) -> Result<Vec<PersonRow>, StoreError> {
        self.programme_team(viewer, programme_id).await?;
        Ok(sqlx::query_as(
            "SELECT id, name, role, batch, place, start_on, end_on FROM assistance_people WHERE programme_id = $1 ORDER BY start_on, id",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records a consumption-assistance sale (office, or the programme's team).
    pub async fn add_sale(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        programme_id: i64,
        sale: &Sale,
    ) -> Result<i64, StoreError> {
        let team = self.programme_team(viewer, programme_id).await?;
        if !may_change(viewer, team) {
            return Err(StoreError::invalid(
                "",
                "只有合作办或该项工作的前方指挥部可以登记消费帮扶",
            ));
        }
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO assistance_sales (programme_id, product, region, amount, sold_on) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(programme_id)
        .bind(sale.product.clone())
        .bind(sale.region.clone())
        .bind(sale.amount.0)
        .bind(sale.sold_on.format("%Y-%m-%d").to_string())
        .fetch_one(&mut *tx)
        .await?;
        let after = serde_json::json!({"programme_id": programme_id, "product": sale.product, "region": sale.region,
            "amount": sale.amount.0, "sold_on": sale.sold_on});
        audit::write(
            &mut tx,
            actor,
            "create",
            "assistance_sale",
            Some(id),
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sales recorded on a programme, newest first.
    pub async fn sales(
        &self,
        viewer: &Viewer,
        programme_id: i64,
    ) -> Result<Vec<SaleRow>, StoreError> {
        self.programme_team(viewer, programme_id).await?;
        Ok(sqlx::query_as(
            "SELECT id, product, region, amount, sold_on FROM assistance_sales WHERE programme_id = $1 ORDER BY sold_on DESC, id DESC",
        )
        .bind(programme_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
