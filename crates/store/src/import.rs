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
        let mut import = self
            .begin_project_import(viewer, actor, file, today, rows.len())
            .await?;
        import.add(rows.to_vec()).await?;
        import.finish(dry_run).await
    }

    /// Begins an import of projects whose rows come in parts (as a workbook is parsed): each
    /// part is checked and written as it comes, all in one transaction, which
    /// [`ProjectImport::finish`] commits only if no row of the whole file had a problem.
    /// `expected_rows` is how many rows the file says it holds (0 when it does not say): from
    /// it SQLite decides whether to build the indexes once after the rows ([`BULK_FROM`]).
    pub async fn begin_project_import<'a>(
        &'a self,
        viewer: &'a Viewer,
        actor: &'a Actor,
        file: &'a ImportFile,
        today: NaiveDate,
        expected_rows: usize,
    ) -> Result<ProjectImport<'a>, StoreError> {
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
        Ok(ProjectImport {
            sqlite: self.engine() == Engine::Sqlite,
            viewer,
            actor,
            file,
            today,
            expected_rows,
            tx,
            by_code,
            by_name,
            existing,
            platforms,
            seen_code: HashMap::new(),
            seen_name: HashMap::new(),
            inserts: Vec::new(),
            rebuild: None,
            rows: 0,
            out: ImportOutcome::default(),
        })
    }
}

/// An import of projects under way ([`Store::begin_project_import`]). Dropped unfinished (the
/// file turned out unreadable), it stores nothing.
pub struct ProjectImport<'a> {
    sqlite: bool,
    viewer: &'a Viewer,
    actor: &'a Actor,
    file: &'a ImportFile,
    today: NaiveDate,
    expected_rows: usize,
    tx: sqlx::Transaction<'static, sqlx::Any>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<(String, String), usize>,
    existing: Vec<Existing>,
    platforms: HashMap<i64, String>,
    /// Rows seen so far in this file, by code and by (name, district).
    seen_code: HashMap<String, usize>,
    seen_name: HashMap<(String, String), usize>,
    /// New projects waiting to be inserted together, many rows a statement.
    inserts: Vec<ProjectDraft>,
    /// The statements building the indexes dropped for the new rows, once decided.
    rebuild: Option<Vec<String>>,
    rows: usize,
    out: ImportOutcome,
}

impl ProjectImport<'_> {
    /// Checks the next rows of the file and, while no row so far has had a problem, writes
    /// them. Rows with problems are kept for [`ProjectImport::finish`] to report.
    pub async fn add(&mut self, rows: Vec<Sourced<ProjectDraft>>) -> Result<(), StoreError> {
        self.rows += rows.len();
        for r in rows {
            let matched = self.check(&r);
            // After a problem nothing more is written: it will all be rolled back.
            let write = self.out.problems.is_empty();
            match matched {
                Matched::Problem => {}
                Matched::New if write => self.inserts.push(r.value),
                Matched::New => {}
                Matched::Known(id, transition) => {
                    if write {
                        let only = stored_columns(&r.columns);
                        update_in_tx(&mut self.tx, id, None, &r.value, Some(&only)).await?;
                        if let Some(t) = transition {
                            transition_in_tx(&mut self.tx, self.actor, id, None, &t).await?;
                        }
                    }
                    self.out.updated += 1;
                }
            }
            if self.inserts.len() >= INSERTS_AT_ONCE {
                self.insert_waiting(false).await?;
            }
        }
        Ok(())
    }

    /// Matches a row to a stored project, or reports its problem.
    fn check(&mut self, r: &Sourced<ProjectDraft>) -> Matched {
        let viewer = self.viewer;
        let problems = &mut self.out.problems;
        let mut problem = |field: &str, value: &str, message: String| {
            problems.push(RowProblem {
                sheet: r.sheet.clone(),
                row: r.row,
                field: field.into(),
                value: value.into(),
                message,
            });
            Matched::Problem
        };
        let d = &r.value;
        let code = d.project_code.as_ref().map(|c| c.to_string());
        let key = name_key(&d.name, &d.district_code);
        if let Some(c) = &code
            && let Some(first) = self.seen_code.insert(c.clone(), r.row)
        {
            return problem("project_code", c, format!("项目代码与第 {first} 行重复"));
        }
        if let Some(first) = self.seen_name.insert(key.clone(), r.row) {
            return problem(
                "name",
                &d.name,
                format!("同一区县的同名项目与第 {first} 行重复"),
            );
        }
        if let Some(pid) = d.platform_id
            && self.platforms.get(&pid) != Some(&d.district_code)
        {
            return problem(
                "platform_id",
                &pid.to_string(),
                "所在平台不在所属区县内".into(),
            );
        }
        if !viewer.may_place_in(&d.district_code, d.platform_id) {
            return problem(
                "district_code",
                &d.district_code,
                "只能导入本区县/平台范围内的项目".into(),
            );
        }
        let matched = code
            .as_ref()
            .and_then(|c| self.by_code.get(c))
            .or_else(|| self.by_name.get(&key))
            .map(|i| &self.existing[*i]);
        let Some(e) = matched else {
            return Matched::New;
        };
        if !viewer.may_place_in(&e.district, e.platform) {
            return problem(
                "project_code",
                code.as_deref().unwrap_or(&d.name),
                "系统中已有该项目，但不在您的管理范围内".into(),
            );
        }
        // A sheet states where a project stands: forward by any number of stages, by the
        // domain's rules for an import.
        let current = Stage::parse(&e.stage).unwrap_or(Stage::Lead);
        if d.stage == current {
            return Matched::Known(e.id, None);
        }
        let last = hezuo_domain::project::parse_date(&e.stage_date);
        let reason = format!("导入 {}", self.file.name);
        match Transition::catch_up(
            current,
            d.stage,
            d.stage_date,
            last,
            self.today,
            Some(&reason),
        ) {
            Ok(t) => Matched::Known(e.id, Some(t)),
            Err(err) => problem("stage", d.stage.label(), err.to_string()),
        }
    }

    /// Inserts the new projects waiting; `last` when no more rows will come.
    async fn insert_waiting(&mut self, last: bool) -> Result<(), StoreError> {
        if self.rebuild.is_none() {
            // A large sheet: SQLite builds the secondary indexes of the tables it at least
            // doubles once, after the new rows, instead of updating each index row by row.
            // Known exactly at the end; before it, the rows the file says it holds and not
            // matched so far.
            let adding = if last {
                self.inserts.len()
            } else {
                self.expected_rows.saturating_sub(self.out.updated)
            };
            self.rebuild = Some(if self.sqlite && adding >= BULK_FROM {
                // The transaction's pages stay in memory instead of spilling to the file half
                // way and being read back for the indexes (`BULK_CACHE_KIB`).
                sqlx::query(AssertSqlSafe(format!(
                    "PRAGMA cache_size = -{BULK_CACHE_KIB}"
                )))
                .execute(&mut *self.tx)
                .await?;
                drop_indexes(&mut self.tx, BULK_TABLES, adding).await?
            } else {
                Vec::new()
            });
        }
        let drafts = std::mem::take(&mut self.inserts);
        self.out.inserted += insert_many_in_tx(&mut self.tx, self.actor, drafts, &now_text())
            .await?
            .len();
        Ok(())
    }

    /// Ends the import: commits it (one audit row naming the file, its SHA-256 and the counts)
    /// when no row had a problem and this is no dry run, rolls it back otherwise.
    pub async fn finish(mut self, dry_run: bool) -> Result<ImportOutcome, StoreError> {
        self.out.dry_run = dry_run;
        let started = std::time::Instant::now();
        if self.out.problems.is_empty() {
            if !self.inserts.is_empty() {
                self.insert_waiting(true).await?;
            }
            create_indexes(&mut self.tx, self.rebuild.as_deref().unwrap_or_default()).await?;
            let ms = started.elapsed().as_millis();
            tracing::debug!(ms, "import: last rows inserted, indexes built");
        }
        if self.rebuild.as_ref().is_some_and(|r| !r.is_empty()) {
            sqlx::query("PRAGMA cache_size = -2000")
                .execute(&mut *self.tx)
                .await?;
        }
        let mut out = self.out;
        if !out.problems.is_empty() || dry_run {
            self.tx.rollback().await?;
            if !out.problems.is_empty() {
                out.updated = 0;
                out.inserted = 0;
            }
            return Ok(out);
        }
        record_import(
            &mut self.tx,
            self.actor,
            "project",
            self.file,
            self.rows,
            &out,
        )
        .await?;
        self.tx.commit().await?;
        let ms = started.elapsed().as_millis();
        tracing::debug!(ms, "import: committed");
        Ok(out)
    }
}

/// What a row of an import is.
enum Matched {
    /// A project not stored yet.
    New,
    /// A stored project, and the stage change the row brings it.
    Known(i64, Option<Transition>),
    /// A row with a problem (reported).
    Problem,
}

/// New projects inserted together once this many wait.
const INSERTS_AT_ONCE: usize = 500;

/// New projects from which an import into SQLite drops the secondary indexes of each of
/// [`BULK_TABLES`] holding no more rows than the import adds to it (one each per project), and
/// builds them again after the rows (from the file's row count, before the rows come); a bigger table keeps its indexes, whose rebuild would
/// cost more than the rows save. At 100k new projects the indexes cost 1.1–1.2 s updated row
/// by row and 0.7 s built afterwards (bench/README.md). It all happens inside the import's
/// transaction: readers keep seeing the committed library with its indexes, a rolled-back
/// import (a dry run, a failure) leaves the indexes as they were, and SQLite has one writer
/// anyway. PostgreSQL is left alone: dropping an index there would lock out every reader of
/// the table until the import commits.
const BULK_FROM: usize = 2_000;

/// The page cache (KiB) of the connection a large SQLite import runs on, for its duration: at
/// 100k projects the default 2 MB spilled dirty pages to the file and read them back (0.4 s
/// of pwrite/pread, bench/README.md). Back to SQLite's default 2 MB afterwards.
const BULK_CACHE_KIB: usize = 256 * 1024;

/// The tables an import of projects writes many rows to: the projects and their first stage.
const BULK_TABLES: &[&str] = &["projects", "stage_changes"];

/// SQLite: drops the secondary indexes of those of `tables` holding at most `adding` rows (not
/// the indexes behind a UNIQUE or PRIMARY KEY constraint, which have no SQL of their own), and
/// for the projects their totals' trigger ([`set_totals_aside`]); returns the statements that
/// build them again, in order.
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
        if *table == "projects" {
            creates.extend(set_totals_aside(tx).await?);
        }
    }
    Ok(creates)
}

/// SQLite: drops the trigger adding each new project to `project_totals` (migration 0015; a
/// sub-program run for each row, 0.2–0.3 s of a 100k-row import) and returns the statements
/// that count the totals again from the projects, then create the trigger again.
async fn set_totals_aside(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
) -> Result<Vec<String>, StoreError> {
    let trigger: Option<String> = sqlx::query_scalar(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'projects_totals_insert'",
    )
    .fetch_optional(&mut **tx)
    .await?;
    let Some(trigger) = trigger else {
        return Ok(Vec::new());
    };
    sqlx::query("DROP TRIGGER projects_totals_insert")
        .execute(&mut **tx)
        .await?;
    Ok(vec![
        "DELETE FROM project_totals".into(),
        "INSERT INTO project_totals (district_code, projects, investment_cny) \
         SELECT district_code, COUNT(*), COALESCE(SUM(investment_cny), 0) FROM projects \
         GROUP BY district_code"
            .into(),
        trigger,
    ])
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
