//! Cooperation agreements (合作协议) and their clauses, and how far each is carried out through
//! the key items made of its clauses. The office and leaders see every agreement; a lead unit
//! sees the agreements it carries a clause of, and only its own items under them.

use crate::audit::{self, Actor};
use crate::db::{Sql, Store, StoreError, now_text, office_only};
use crate::key_item::{KeyItemRow, push_item_scope, split_joined};
use chrono::NaiveDate;
use hezuo_domain::agreement::{Agreement, ClauseState, Fulfilment, PartnerKind};
use hezuo_domain::{ItemScope, ItemStatus, Viewer};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AgreementRow {
    pub id: i64,
    pub title: String,
    pub partner: String,
    /// city, district or body.
    pub partner_kind: String,
    pub partner_kind_label: String,
    pub partner_province: String,
    pub signed_on: String,
    pub level: String,
    pub fields: Vec<String>,
    pub fulfilment: Fulfilment,
    /// Share of clauses carried out, "50.0%" (or "—" without clauses).
    pub fulfilment_rate: String,
    pub version: i64,
}

/// Filters of the agreement list, page and API.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AgreementFilter {
    /// The partner's province-level region (上海市, 江苏省 …).
    pub province: Option<String>,
    /// city, district or body.
    pub partner_kind: Option<String>,
    /// Words in the title, the partner or the fields.
    pub q: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AgreementPage {
    pub total: i64,
    pub items: Vec<AgreementRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ClauseRow {
    pub id: i64,
    pub seq: i64,
    pub body: String,
    /// 未分解, 落实中 or 已落实.
    pub state: String,
    /// The key items made of the clause that the viewer may see.
    pub items: Vec<KeyItemRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AgreementDetail {
    #[serde(flatten)]
    pub agreement: AgreementRow,
    pub clauses: Vec<ClauseRow>,
}

#[derive(sqlx::FromRow)]
struct AgreementRecord {
    id: i64,
    title: String,
    partner: String,
    partner_kind: String,
    partner_province: String,
    signed_on: String,
    level: String,
    fields: String,
    version: i64,
}

impl Store {
    /// Records an agreement with its clauses, numbered 1, 2, … in the order given.
    pub async fn create_agreement(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        agreement: &Agreement,
    ) -> Result<i64, StoreError> {
        office_only(viewer, "登记合作协议")?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO agreements (title, partner, partner_kind, partner_province, signed_on, level, fields, created_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) RETURNING id",
        )
        .bind(agreement.title.clone())
        .bind(agreement.partner.clone())
        .bind(agreement.partner_kind.code())
        .bind(agreement.partner_province.clone())
        .bind(agreement.signed_on.format("%Y-%m-%d").to_string())
        .bind(agreement.level.clone())
        .bind(agreement.fields.join("、"))
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await?;
        for (i, body) in agreement.clauses.iter().enumerate() {
            sqlx::query(
                "INSERT INTO agreement_clauses (agreement_id, seq, body) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(i as i64 + 1)
            .bind(body.clone())
            .execute(&mut *tx)
            .await?;
        }
        let after = serde_json::json!({
            "title": agreement.title, "partner": agreement.partner, "signed_on": agreement.signed_on,
            "level": agreement.level, "fields": agreement.fields, "clauses": agreement.clauses,
        });
        audit::write(
            &mut tx,
            actor,
            "create",
            "agreement",
            Some(id),
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Agreements the viewer may see matching `filter`, most recently signed first, each with
    /// its fulfilment.
    pub async fn list_agreements(
        &self,
        viewer: &Viewer,
        filter: &AgreementFilter,
        today: NaiveDate,
    ) -> Result<AgreementPage, StoreError> {
        let items = self.agreements_where(viewer, None, filter, today).await?;
        Ok(AgreementPage {
            total: items.len() as i64,
            items: items.into_iter().map(|(row, _)| row).collect(),
        })
    }

    /// One agreement with its clauses and the viewer's items under each.
    pub async fn agreement(
        &self,
        viewer: &Viewer,
        id: i64,
        today: NaiveDate,
    ) -> Result<AgreementDetail, StoreError> {
        let (agreement, clauses) = self
            .agreements_where(viewer, Some(id), &AgreementFilter::default(), today)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        Ok(AgreementDetail { agreement, clauses })
    }

    async fn agreements_where(
        &self,
        viewer: &Viewer,
        id: Option<i64>,
        filter: &AgreementFilter,
        today: NaiveDate,
    ) -> Result<Vec<(AgreementRow, Vec<ClauseRow>)>, StoreError> {
        let mut sql = Sql::new(
            "SELECT a.id, a.title, a.partner, a.partner_kind, a.partner_province, a.signed_on, a.level, a.fields, a.version \
             FROM agreements a WHERE 1 = 1",
        );
        match viewer.item_scope() {
            ItemScope::All => {}
            ItemScope::Unit(unit) => {
                sql.push(
                    " AND a.id IN (SELECT c.agreement_id FROM agreement_clauses c JOIN key_items i ON i.clause_id = c.id \
                     WHERE i.lead_unit_id = ",
                )
                .bind_int(unit)
                .push(")");
            }
            ItemScope::Nothing => {
                sql.push(" AND 1 = 0");
            }
        }
        if let Some(id) = id {
            sql.push(" AND a.id = ").bind_int(id);
        }
        let text = |o: &Option<String>| {
            o.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        if let Some(p) = text(&filter.province) {
            sql.push(" AND a.partner_province = ").bind_text(p);
        }
        if let Some(k) = text(&filter.partner_kind) {
            let code = PartnerKind::parse(&k).map_or(k, |k| k.code().to_string());
            sql.push(" AND a.partner_kind = ").bind_text(code);
        }
        if let Some(q) = text(&filter.q) {
            let like = format!("%{q}%");
            sql.push(" AND (a.title LIKE ")
                .bind_text(like.clone())
                .push(" OR a.partner LIKE ")
                .bind_text(like.clone())
                .push(" OR a.fields LIKE ")
                .bind_text(like)
                .push(")");
        }
        sql.push(" ORDER BY a.signed_on DESC, a.id");
        let records: Vec<AgreementRecord> = sql.query_as().fetch_all(&self.pool).await?;
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(i64, i64, i64, String)> = sqlx::query_as(
            "SELECT c.agreement_id, c.id, c.seq, c.body FROM agreement_clauses c ORDER BY c.agreement_id, c.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        // Every item carrying a clause counts towards fulfilment; only the viewer's are listed.
        let all_items = self
            .item_rows(&Sql::new(" AND i.clause_id IS NOT NULL"), today)
            .await?;
        let mut mine = Sql::new(" AND i.clause_id IS NOT NULL");
        push_item_scope(&mut mine, viewer);
        let visible: Vec<i64> = self
            .item_rows(&mine, today)
            .await?
            .iter()
            .map(|i| i.id)
            .collect();
        let mut by_clause: HashMap<i64, Vec<KeyItemRow>> = HashMap::new();
        for item in all_items {
            if let Some(c) = item.clause_id {
                by_clause.entry(c).or_default().push(item);
            }
        }
        Ok(records
            .into_iter()
            .map(|r| {
                let (rows, statuses): (Vec<ClauseRow>, Vec<Vec<ItemStatus>>) = clauses
                    .iter()
                    .filter(|c| c.0 == r.id)
                    .map(|(_, cid, seq, body)| {
                        let items = by_clause.get(cid).cloned().unwrap_or_default();
                        let statuses: Vec<ItemStatus> = items
                            .iter()
                            .filter_map(|i| ItemStatus::parse(&i.status))
                            .collect();
                        let row = ClauseRow {
                            id: *cid,
                            seq: *seq,
                            body: body.clone(),
                            state: ClauseState::of(&statuses).label().into(),
                            items: items
                                .into_iter()
                                .filter(|i| visible.contains(&i.id))
                                .collect(),
                        };
                        (row, statuses)
                    })
                    .unzip();
                let fulfilment = Fulfilment::of(&statuses);
                let kind = PartnerKind::parse(&r.partner_kind);
                (
                    AgreementRow {
                        id: r.id,
                        title: r.title,
                        partner: r.partner,
                        partner_kind_label: kind.map_or("", PartnerKind::label).into(),
                        partner_kind: r.partner_kind,
                        partner_province: r.partner_province,
                        signed_on: r.signed_on,
                        level: r.level,
                        fields: split_joined(&r.fields),
                        fulfilment_rate: fulfilment.rate_text(),
                        fulfilment,
                        version: r.version,
                    },
                    rows,
                )
            })
            .collect())
    }
}

/// A clause as a form offers it: "协议 第N条：内容".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ClauseOption {
    pub id: i64,
    pub agreement_title: String,
    pub seq: i64,
    pub body: String,
}

impl Store {
    /// Every clause, by agreement (newest first) and number, for the item form (office only).
    pub async fn clause_options(&self, viewer: &Viewer) -> Result<Vec<ClauseOption>, StoreError> {
        if !viewer.is_office() {
            return Ok(Vec::new());
        }
        Ok(sqlx::query_as(
            "SELECT c.id, a.title AS agreement_title, c.seq, c.body FROM agreement_clauses c \
             JOIN agreements a ON a.id = c.agreement_id ORDER BY a.signed_on DESC, a.id, c.seq",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}
