//! Storing what a workbook holds, all or nothing. Rows arrive validated by the form's rules
//! (see `hezuo_office::import`); here they are matched to the projects already stored (by
//! project code, else by name within the district), checked against the importer's scope and
//! against each other, and written in one transaction with one audit row naming the file, its
//! SHA-256 and the counts. One problem anywhere and nothing is stored; a dry run does all of
//! it and rolls back.

use crate::audit::{self, Actor};
use crate::db::{Engine, Store, StoreError, now_text};
use crate::project::{insert_many_in_tx, transition_in_tx, update_in_tx};
use chrono::NaiveDate;
use hezuo_domain::cells::{Sourced, half_width};
use hezuo_domain::project::ProjectDraft;
use hezuo_domain::{Stage, Transition, Viewer};
use serde::Serialize;
use sqlx::AssertSqlSafe;
use std::collections::HashMap;

/// The file an import came from, as recorded in the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct ImportFile {
    pub name: String,
    pub sha256: String,
}

/// A problem the store found with a row (a duplicate, a project outside the importer's scope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub sheet: String,
    pub row: usize,
    /// The field concerned ("project_code", "name", "district_code", "stage").
    pub field: String,
    pub value: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub inserted: usize,
    pub updated: usize,
    /// Empty when the rows were stored (or, in a dry run, would be).
    pub problems: Vec<RowProblem>,
    pub dry_run: bool,
}

/// (id, name, district, platform, project code, stage, stage date) of a stored project.
type KnownProject = (
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    String,
);

struct Existing {
    id: i64,
    district: String,
    platform: Option<i64>,
    stage: String,
    stage_date: String,
}

/// A name as compared for matching: full-width forms and spaces do not make another project
/// ("ＡＢＣ　精密部件" is "ABC精密部件").
pub(crate) fn name_key(name: &str, district: &str) -> (String, String) {
    let mut n = half_width(name);
    n.retain(|c| !c.is_whitespace());
    (n, district.to_string())
}

/// The stored columns an import's fields write: a field is its column unless named here (the
/// stage is moved by a transition instead).
fn stored_columns(fields: &[&'static str]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for f in fields {
        out.extend_from_slice(match *f {
            "investment_wan" => &[
                "currency",
                "investment_orig",
                "usd_rate",
                "rate_date",
                "investment_cny",
            ],
            "arrived_wan" => &["arrived"],
            "land_mu" => &["land_mu_x100"],
            // A platform lies in a district, which the row then also states.
            "platform_id" => &["platform_id", "district_code"],
            "stage" | "stage_date" => &[],
            _ => std::slice::from_ref(f),
        });
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Store {
    /// Imports projects: inserts the new, updates the known (matched by project code, else by
    /// name and district), never duplicates. A later stage in the sheet moves the project on
    /// (dated by the sheet's stage date, [`Transition::catch_up`]); an earlier one is a
    /// problem, as is a row matching a project outside the importer's scope or repeating
    /// another row of the file. `today` bounds the stage dates.
    pub async fn import_projects(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        rows: &[Sourced<ProjectDraft>],
        file: &ImportFile,
        dry_run: bool,
        today: NaiveDate,
    ) -> Result<ImportOutcome, StoreError> {
        let mut out = ImportOutcome {
            dry_run,
            ..ImportOutcome::default()
        };
        let mut problems: Vec<RowProblem> = Vec::new();
        let mut problem = |r: &Sourced<ProjectDraft>, field: &str, value: &str, message: String| {
            problems.push(RowProblem {
                sheet: r.sheet.clone(),
                row: r.row,
                field: field.into(),
                value: value.into(),
                message,
            });
        };
        let mut tx = self.begin_write().await?;
        // Every project of the city is a match candidate: a code already used elsewhere must
        // be reported, not silently duplicated.
        let known: Vec<KnownProject> = sqlx::query_as(
            "SELECT id, name, district_code, platform_id, project_code, stage, stage_date FROM projects",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut by_code: HashMap<String, usize> = HashMap::new();
        let mut by_name: HashMap<(String, String), usize> = HashMap::new();
        let existing: Vec<Existing> = known
            .into_iter()
            .enumerate()
            .map(
                |(i, (id, name, district, platform, code, stage, stage_date))| {
                    if let Some(c) = code {
                        by_code.insert(c, i);
                    }
                    by_name.insert(name_key(&name, &district), i);
                    Existing {
                        id,
                        district,
                        platform,
                        stage,
                        stage_date,
                    }
                },
            )
            .collect();
        let platforms: HashMap<i64, String> =
            sqlx::query_as::<_, (i64, String)>("SELECT id, district_code FROM platforms")
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();

        // Rows seen so far in this file, by code and by (name, district).
        let mut seen_code: HashMap<String, usize> = HashMap::new();
        let mut seen_name: HashMap<(String, String), usize> = HashMap::new();
        // New projects are inserted together after the checks, many rows a statement.
        let mut inserts: Vec<&ProjectDraft> = Vec::new();
        for r in rows {
            let d = &r.value;
            let code = d.project_code.as_ref().map(|c| c.to_string());
            let key = name_key(&d.name, &d.district_code);
            if let Some(c) = &code
                && let Some(first) = seen_code.insert(c.clone(), r.row)
            {
                problem(r, "project_code", c, format!("项目代码与第 {first} 行重复"));
                continue;
            }
            if let Some(first) = seen_name.insert(key.clone(), r.row) {
                problem(
                    r,
                    "name",
                    &d.name,
                    format!("同一区县的同名项目与第 {first} 行重复"),
                );
                continue;
            }
            if let Some(pid) = d.platform_id
                && platforms.get(&pid) != Some(&d.district_code)
            {
                problem(
                    r,
                    "platform_id",
                    &pid.to_string(),
                    "所在平台不在所属区县内".into(),
                );
                continue;
            }
            if !viewer.may_place_in(&d.district_code, d.platform_id) {
                problem(
                    r,
                    "district_code",
                    &d.district_code,
                    "只能导入本区县/平台范围内的项目".into(),
                );
                continue;
            }
            let matched = code
                .as_ref()
                .and_then(|c| by_code.get(c))
                .or_else(|| by_name.get(&key))
                .map(|i| &existing[*i]);
            match matched {
                None => inserts.push(d),
                Some(e) => {
                    if !viewer.may_place_in(&e.district, e.platform) {
                        problem(
                            r,
                            "project_code",
                            code.as_deref().unwrap_or(&d.name),
                            "系统中已有该项目，但不在您的管理范围内".into(),
                        );
                        continue;
                    }
                    // A sheet states where a project stands: forward by any number of
                    // stages, by the domain's rules for an import.
                    let current = Stage::parse(&e.stage).unwrap_or(Stage::Lead);
                    let transition = if d.stage == current {
                        None
                    } else {
                        let last = hezuo_domain::project::parse_date(&e.stage_date);
                        let reason = format!("导入 {}", file.name);
                        match Transition::catch_up(
                            current,
                            d.stage,
                            d.stage_date,
                            last,
                            today,
                            Some(&reason),
                        ) {
                            Ok(t) => Some(t),
                            Err(err) => {
                                problem(r, "stage", d.stage.label(), err.to_string());
                                continue;
                            }
                        }
                    };
                    let only = stored_columns(&r.columns);
                    update_in_tx(&mut tx, e.id, None, d, Some(&only)).await?;
                    if let Some(t) = transition {
                        transition_in_tx(&mut tx, actor, e.id, None, &t).await?;
                    }
                    out.updated += 1;
                }
            }
        }
        out.problems = problems;
        if out.problems.is_empty() {
            // A large sheet: SQLite builds the secondary indexes of the tables it at least
            // doubles once, after the new rows, instead of updating each index row by row.
            let rebuild = if self.engine() == Engine::Sqlite && inserts.len() >= BULK_FROM {
                drop_indexes(&mut tx, BULK_TABLES, inserts.len()).await?
            } else {
                Vec::new()
            };
            out.inserted = insert_many_in_tx(&mut tx, actor, &inserts, &now_text())
                .await?
                .len();
            create_indexes(&mut tx, &rebuild).await?;
        }
        if !out.problems.is_empty() || dry_run {
            tx.rollback().await?;
            if !out.problems.is_empty() {
                out.updated = 0;
            }
            return Ok(out);
        }
        record_import(&mut tx, actor, "project", file, rows.len(), &out).await?;
        tx.commit().await?;
        Ok(out)
    }
}

/// New projects from which an import into SQLite drops the secondary indexes of each of
/// [`BULK_TABLES`] holding no more rows than the import adds to it (one each per project), and
/// builds them again after the rows; a bigger table keeps its indexes, whose rebuild would
/// cost more than the rows save. At 100k new projects the indexes cost 1.1–1.2 s updated row
/// by row and 0.7 s built afterwards (bench/README.md). It all happens inside the import's
/// transaction: readers keep seeing the committed library with its indexes, a rolled-back
/// import (a dry run, a failure) leaves the indexes as they were, and SQLite has one writer
/// anyway. PostgreSQL is left alone: dropping an index there would lock out every reader of
/// the table until the import commits.
const BULK_FROM: usize = 2_000;

/// The tables an import of projects writes many rows to: the projects and their first stage.
const BULK_TABLES: &[&str] = &["projects", "stage_changes"];

/// SQLite: drops the secondary indexes of those of `tables` holding at most `adding` rows (not
/// the indexes behind a UNIQUE or PRIMARY KEY constraint, which have no SQL of their own) and
/// returns the statements that create them.
async fn drop_indexes(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tables: &[&str],
    adding: usize,
) -> Result<Vec<String>, StoreError> {
    let mut creates = Vec::new();
    for table in tables {
        let rows: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut **tx)
            .await?;
        if usize::try_from(rows).map_or(true, |n| n > adding) {
            continue;
        }
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 \
             AND sql IS NOT NULL ORDER BY name",
        )
        .bind(*table)
        .fetch_all(&mut **tx)
        .await?;
        for (name, sql) in indexes {
            sqlx::query(AssertSqlSafe(format!("DROP INDEX \"{name}\"")))
                .execute(&mut **tx)
                .await?;
            creates.push(sql);
        }
    }
    Ok(creates)
}

/// Runs the statements [`drop_indexes`] returned.
async fn create_indexes(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    creates: &[String],
) -> Result<(), StoreError> {
    for sql in creates {
        sqlx::query(AssertSqlSafe(sql.clone()))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The one audit row an import leaves: the file, its SHA-256 and the counts.
pub(crate) async fn record_import(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    entity: &str,
    file: &ImportFile,
    rows: usize,
    out: &ImportOutcome,
) -> Result<(), StoreError> {
    #[derive(Serialize)]
    struct Record<'a> {
        file: &'a ImportFile,
        rows: usize,
        inserted: usize,
        updated: usize,
    }
    audit::write(
        tx,
        actor,
        "import",
        entity,
        None,
        None::<&()>,
        Some(&Record {
            file,
            rows,
            inserted: out.inserted,
            updated: out.updated,
        }),
    )
    .await
}

/// A workbook kept between its dry run and its commit.
#[derive(Debug, Clone)]
pub struct Upload {
    pub id: i64,
    pub kind: String,
    pub file: ImportFile,
    pub content: Vec<u8>,
}

impl Store {
    /// Keeps an uploaded workbook for its owner; returns its id. Only the owner's latest
    /// upload is kept (the one on their screen), so uploads never pile up.
    pub async fn save_upload(
        &self,
        actor: &Actor,
        kind: &str,
        file: &ImportFile,
        content: &[u8],
    ) -> Result<i64, StoreError> {
        let user = actor
            .user_id
            .ok_or_else(|| StoreError::invalid("file", "只有登录用户可以上传"))?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM import_uploads WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO import_uploads (user_id, kind, file_name, sha256, content, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user)
        .bind(kind)
        .bind(&file.name)
        .bind(&file.sha256)
        .bind(content)
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The caller's own upload; anyone else's is not found.
    pub async fn upload(&self, actor: &Actor, id: i64) -> Result<Upload, StoreError> {
        let row: Option<(i64, String, String, String, Vec<u8>)> = sqlx::query_as(
            "SELECT id, kind, file_name, sha256, content FROM import_uploads WHERE id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(actor.user_id.unwrap_or(-1))
        .fetch_optional(&self.pool)
        .await?;
        let (id, kind, name, sha256, content) = row.ok_or(StoreError::NotFound)?;
        Ok(Upload {
            id,
            kind,
            file: ImportFile { name, sha256 },
            content,
        })
    }

    /// Forgets an upload once it is imported.
    pub async fn delete_upload(&self, actor: &Actor, id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM import_uploads WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(actor.user_id.unwrap_or(-1))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

impl Store {
    /// Every remembered column mapping of a kind of import: header shape → mapping (JSON).
    pub async fn import_mappings(
        &self,
        kind: &str,
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT shape, mapping FROM import_mappings WHERE kind = $1")
                .bind(kind)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().collect())
    }

    /// Remembers how the columns of a header shape map to fields (the last word wins).
    pub async fn save_import_mapping(
        &self,
        actor: &Actor,
        kind: &str,
        shape: &str,
        mapping: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO import_mappings (kind, shape, mapping, user_id, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (kind, shape) DO UPDATE SET mapping = excluded.mapping, user_id = excluded.user_id, \
             updated_at = excluded.updated_at",
        )
        .bind(kind)
        .bind(shape)
        .bind(mapping)
        .bind(actor.user_id)
        .bind(now_text())
        .execute(&mut *tx)
        .await?;
        audit::write(
            &mut tx,
            actor,
            "update",
            "import_mapping",
            None,
            None::<&()>,
            Some(&(kind, shape, mapping)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
