//! Key items from workbooks, all or nothing like every import: each row names its plan (found
//! by year and name, or created with the categories the sheet uses), its lead unit and its
//! category; the same title in the same plan updates the item (its milestones matched by
//! title, so done dates are kept) and never duplicates it. Only the office imports key items.

use crate::audit::Actor;
use crate::db::{Store, StoreError, now_text};
use crate::import::{ImportFile, ImportOutcome};
use crate::key_item::{insert_item, rewrite_item};
use crate::records::{Problems, finish};
use hezuo_domain::Viewer;
use hezuo_domain::cells::Sourced;
use hezuo_domain::key_item::{Item, ItemRecord, Milestone, PlanKind};
use std::collections::HashMap;

/// An item already stored, as an import matches and keeps it.
#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    plan_id: i64,
    title: String,
    version: i64,
    clause_id: Option<i64>,
    partner_units: String,
    partner_regions: String,
    target: String,
}

impl Store {
    pub async fn import_key_items(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        rows: &[Sourced<ItemRecord>],
        file: &ImportFile,
        dry_run: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let mut out = ImportOutcome {
            dry_run,
            ..ImportOutcome::default()
        };
        let mut problems = Problems::default();
        let mut tx = self.begin_write().await?;
        if problems.refuse_unless_office(viewer, rows, "title", "重点事项") {
            return finish(tx, actor, "key_item", file, rows.len(), out, problems).await;
        }
        // Plans by (year, name): id and categories.
        let plans: Vec<(i64, i64, String, String)> =
            sqlx::query_as("SELECT id, year, name, categories FROM work_plans")
                .fetch_all(&mut *tx)
                .await?;
        let mut plan_ids: HashMap<(i64, String), (i64, Vec<String>)> = plans
            .into_iter()
            .map(|(id, year, name, cats)| {
                (
                    (year, name),
                    (id, cats.lines().map(str::to_string).collect()),
                )
            })
            .collect();
        // New plans take the categories their rows use, in order of first use.
        let mut new_plans: Vec<((i64, String), Vec<String>)> = Vec::new();
        for r in rows {
            let key = (i64::from(r.value.plan_year), r.value.plan_name.clone());
            if plan_ids.contains_key(&key) {
                continue;
            }
            match new_plans.iter_mut().find(|(k, _)| *k == key) {
                Some((_, cats)) if !cats.contains(&r.value.category) => {
                    cats.push(r.value.category.clone())
                }
                Some(_) => {}
                None => new_plans.push((key, vec![r.value.category.clone()])),
            }
        }
        for ((year, name), categories) in new_plans {
            let kind = PlanKind::guess(&name);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO work_plans (year, kind, name, categories, created_at, version) \
                 VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
            )
            .bind(year)
            .bind(kind.code())
            .bind(name.clone())
            .bind(categories.join("\n"))
            .bind(now_text())
            .fetch_one(&mut *tx)
            .await?;
            plan_ids.insert((year, name), (id, categories));
        }
        let existing: Vec<Stored> = sqlx::query_as(
            "SELECT id, plan_id, title, version, clause_id, partner_units, partner_regions, target FROM key_items",
        )
        .fetch_all(&mut *tx)
        .await?;
        let existing: HashMap<(i64, String), Stored> = existing
            .into_iter()
            .map(|s| ((s.plan_id, s.title.clone()), s))
            .collect();
        let mut seen: HashMap<(i64, String), usize> = HashMap::new();
        for r in rows {
            let v = &r.value;
            let Some((plan_id, categories)) =
                plan_ids.get(&(i64::from(v.plan_year), v.plan_name.clone()))
            else {
                continue;
            };
            if !categories.contains(&v.category) {
                problems.add(
                    r,
                    "category",
                    v.category.clone(),
                    format!(
                        "“{}”不是计划“{}”的任务类别（{}）",
                        v.category,
                        v.plan_name,
                        categories.join("、")
                    ),
                );
                continue;
            }
            let key = (*plan_id, v.title.clone());
            if let Some(first) = seen.insert(key.clone(), r.row) {
                problems.add(
                    r,
                    "title",
                    v.title.clone(),
                    format!("与第{first}行是同一事项（同一计划内事项名称重复）"),
                );
                continue;
            }
            let found = existing.get(&key);
            // A column the sheet leaves out never blanks what is stored; a sheet has no clause
            // column, so an item keeps the clause it carries out.
            let has = |field: &str| r.columns.contains(&field);
            let kept = |field: &str, new: &Vec<String>, stored: Option<&String>| match stored {
                Some(old) if !has(field) => crate::key_item::split_joined(old),
                _ => new.clone(),
            };
            let milestones = match found {
                Some(f) if !has("milestones") && !has("deadline") => {
                    let rows: Vec<(String, String)> = sqlx::query_as(
                        "SELECT title, due_on FROM key_item_milestones WHERE item_id = $1 ORDER BY due_on, id",
                    )
                    .bind(f.id)
                    .fetch_all(&mut *tx)
                    .await?;
                    rows.into_iter()
                        .filter_map(|(title, due)| {
                            let due = chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d").ok()?;
                            Some(Milestone { title, due })
                        })
                        .collect()
                }
                _ => v.milestones.clone(),
            };
            let item = Item {
                plan_id: *plan_id,
                category: v.category.clone(),
                title: v.title.clone(),
                lead_unit_id: v.lead_unit_id,
                partner_units: kept(
                    "partner_units",
                    &v.partner_units,
                    found.map(|f| &f.partner_units),
                ),
                partner_regions: kept(
                    "partner_regions",
                    &v.partner_regions,
                    found.map(|f| &f.partner_regions),
                ),
                target: match found {
                    Some(f) if !has("target") => f.target.clone(),
                    _ => v.target.clone(),
                },
                milestones,
                project_ids: Vec::new(),
                clause_id: found.and_then(|f| f.clause_id),
            };
            match found {
                Some(f) => {
                    rewrite_item(&mut tx, f.id, f.version, &item, false).await?;
                    out.updated += 1;
                }
                None => {
                    insert_item(&mut tx, &item).await?;
                    out.inserted += 1;
                }
            }
        }
        finish(tx, actor, "key_item", file, rows.len(), out, problems).await
    }
}
