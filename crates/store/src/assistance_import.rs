//! 对口工作 indicators from workbooks, all or nothing like every import: each row names its
//! programme by year, type and partner region (created when new, named as the form names it)
//! and sets one indicator's target and actual as of a month; the same indicator again updates
//! it. Only the office imports.

use crate::audit::Actor;
use crate::db::{Store, StoreError, now_text};
use crate::import::{ImportFile, ImportOutcome};
use crate::records::{Problems, finish};
use hezuo_domain::Viewer;
use hezuo_domain::assistance::{IndicatorRecord, default_name};
use hezuo_domain::cells::Sourced;
use std::collections::HashMap;

impl Store {
    pub async fn import_assistance(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        rows: &[Sourced<IndicatorRecord>],
        file: &ImportFile,
        dry_run: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let mut out = ImportOutcome {
            dry_run,
            ..ImportOutcome::default()
        };
        let mut problems = Problems::default();
        let mut tx = self.begin_write().await?;
        if problems.refuse_unless_office(viewer, rows, "kind", "对口工作指标") {
            return finish(
                tx,
                actor,
                "assistance_indicator",
                file,
                rows.len(),
                out,
                problems,
            )
            .await;
        }
        let known: Vec<(i64, i64, String, String)> =
            sqlx::query_as("SELECT id, year, kind, partner_region FROM assistance_programmes")
                .fetch_all(&mut *tx)
                .await?;
        let mut programmes: HashMap<(i64, String, String), i64> = known
            .into_iter()
            .map(|(id, year, kind, region)| ((year, kind, region), id))
            .collect();
        let indicators: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT programme_id, name, id FROM assistance_indicators")
                .fetch_all(&mut *tx)
                .await?;
        let mut indicators: HashMap<(i64, String), i64> = indicators
            .into_iter()
            .map(|(p, name, id)| ((p, name), id))
            .collect();
        let mut seen: HashMap<(i64, String), usize> = HashMap::new();
        for r in rows {
            let v = &r.value;
            let key = (
                i64::from(v.year),
                v.kind.code().to_string(),
                v.partner_region.clone(),
            );
            let programme = match programmes.get(&key) {
                Some(id) => *id,
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO assistance_programmes (year, kind, partner_region, name, created_at, version) \
                         VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
                    )
                    .bind(i64::from(v.year))
                    .bind(v.kind.code())
                    .bind(v.partner_region.clone())
                    .bind(default_name(v.year, v.kind, &v.partner_region))
                    .bind(now_text())
                    .fetch_one(&mut *tx)
                    .await?;
                    programmes.insert(key, id);
                    id
                }
            };
            let ikey = (programme, v.name.clone());
            if let Some(first) = seen.insert(ikey.clone(), r.row) {
                problems.add(
                    r,
                    "name",
                    v.name.clone(),
                    format!("与第{first}行是同一指标（同一项工作内指标重复）"),
                );
                continue;
            }
            match indicators.get(&ikey) {
                Some(id) => {
                    sqlx::query(
                        "UPDATE assistance_indicators SET unit = $1, target_x100 = $2, actual_x100 = $3, as_of = $4, \
                         updated_at = $5, version = version + 1 WHERE id = $6",
                    )
                    .bind(v.unit.clone())
                    .bind(v.target_x100)
                    .bind(v.actual_x100)
                    .bind(v.as_of.to_string())
                    .bind(now_text())
                    .bind(*id)
                    .execute(&mut *tx)
                    .await?;
                    out.updated += 1;
                }
                None => {
                    let seq: i64 = sqlx::query_scalar(
                        "SELECT COALESCE(MAX(seq), 0) + 1 FROM assistance_indicators WHERE programme_id = $1",
                    )
                    .bind(programme)
                    .fetch_one(&mut *tx)
                    .await?;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO assistance_indicators (programme_id, seq, name, unit, target_x100, actual_x100, as_of, updated_at, version) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) RETURNING id",
                    )
                    .bind(programme)
                    .bind(seq)
                    .bind(v.name.clone())
                    .bind(v.unit.clone())
                    .bind(v.target_x100)
                    .bind(v.actual_x100)
                    .bind(v.as_of.to_string())
                    .bind(now_text())
                    .fetch_one(&mut *tx)
                    .await?;
                    indicators.insert(ikey, id);
                    out.inserted += 1;
                }
            }
        }
        finish(
            tx,
            actor,
            "assistance_indicator",
            file,
            rows.len(),
            out,
            problems,
        )
        .await
    }
}
