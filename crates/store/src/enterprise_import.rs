//! 亩均 enterprise data from workbooks, all or nothing like every import. Each row names its
//! enterprise by 统一社会信用代码: a registered one takes what the row gives (a name, district,
//! land … the row leaves out stays as stored), an unknown one is registered and then needs its
//! name and district. The year's figures merge field by field — a column the sheet lacks keeps
//! the stored figure, an empty cell stores "not reported" — so the tax bureau's file and the
//! statistics bureau's complete each other. Nothing unchanged is rewritten: importing the same
//! file again changes nothing. Only the office imports.

use crate::audit::Actor;
use crate::db::{Store, StoreError, now_text};
use crate::import::{ImportFile, ImportOutcome};
use crate::records::{Problems, finish};
use hezuo_domain::Viewer;
use hezuo_domain::cells::Sourced;
use hezuo_domain::enterprise::EnterpriseRecord;
use hezuo_domain::mujun::DataField;
use std::collections::{BTreeSet, HashMap};

/// The figures in the order of [`Year::values`] (and of the columns [`write_year`] writes).
const FIGURES: [DataField; 8] = [
    DataField::Tax,
    DataField::ValueAdded,
    DataField::Revenue,
    DataField::Energy,
    DataField::Emission,
    DataField::Electricity,
    DataField::Employees,
    DataField::Rnd,
];

/// An enterprise as registered (`id` negative for one a failing import only pretends to add).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Registered {
    id: i64,
    credit_code: String,
    name: String,
    district_code: String,
    industry: String,
    above_scale: i64,
    land_owned_x100: i64,
    land_leased_x100: i64,
    exempt: String,
}

impl Registered {
    /// This enterprise with what the row gives.
    fn with(&self, r: &EnterpriseRecord) -> Registered {
        let pick = |v: &Option<String>, stored: &String| v.clone().unwrap_or(stored.clone());
        Registered {
            id: self.id,
            credit_code: self.credit_code.clone(),
            name: pick(&r.name, &self.name),
            district_code: pick(&r.district_code, &self.district_code),
            industry: pick(&r.industry, &self.industry),
            above_scale: r.above_scale.map_or(self.above_scale, i64::from),
            land_owned_x100: r.land_owned_x100.unwrap_or(self.land_owned_x100),
            land_leased_x100: r.land_leased_x100.unwrap_or(self.land_leased_x100),
            exempt: pick(&r.exempt, &self.exempt),
        }
    }
}

/// An enterprise's year: the figures in [`FIGURES`] order, and its flags joined with 、.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Year {
    values: [Option<i64>; 8],
    flags: String,
}

impl Year {
    /// This year with what the row gives.
    fn with(&self, r: &EnterpriseRecord) -> Year {
        let mut next = self.clone();
        for (field, v) in &r.figures {
            if let Some(i) = FIGURES.iter().position(|f| f == field) {
                next.values[i] = *v;
            }
        }
        if let Some(flags) = &r.flags {
            next.flags = flags.join("、");
        }
        next
    }
}

impl Store {
    /// Imports enterprises and their year's data (see the module's notes). Counts: a row that
    /// registers its enterprise or opens its year is inserted, else updated.
    pub async fn import_enterprise_data(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        rows: &[Sourced<EnterpriseRecord>],
        file: &ImportFile,
        dry_run: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let mut out = ImportOutcome {
            dry_run,
            ..ImportOutcome::default()
        };
        let mut problems = Problems::default();
        let mut tx = self.begin_write().await?;
        if problems.refuse_unless_office(viewer, rows, "credit_code", "亩均企业数据") {
            return finish(
                tx,
                actor,
                "enterprise_data",
                file,
                rows.len(),
                out,
                problems,
            )
            .await;
        }
        let registered: Vec<Registered> = sqlx::query_as(
            "SELECT id, credit_code, name, district_code, industry, above_scale, land_owned_x100, \
             land_leased_x100, exempt FROM enterprises",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut known: HashMap<String, Registered> = registered
            .into_iter()
            .map(|e| (e.credit_code.clone(), e))
            .collect();
        let mut years: HashMap<(i64, i32), Year> = HashMap::new();
        let wanted: BTreeSet<i32> = rows.iter().filter_map(|r| r.value.year).collect();
        for year in wanted {
            type Stored = (
                i64,
                Option<i64>,
                Option<i64>,
                Option<i64>,
                Option<i64>,
                Option<i64>,
                Option<i64>,
                Option<i64>,
                Option<i64>,
                String,
            );
            let stored: Vec<Stored> = sqlx::query_as(
                "SELECT enterprise_id, tax, value_added, revenue, energy_x100, emission_x100, electricity, \
                 employees, rnd, flags FROM enterprise_years WHERE year = $1",
            )
            .bind(i64::from(year))
            .fetch_all(&mut *tx)
            .await?;
            for (id, a, b, c, d, e, f, g, h, flags) in stored {
                let values = [a, b, c, d, e, f, g, h];
                years.insert((id, year), Year { values, flags });
            }
        }

        let now = now_text();
        let mut seen: HashMap<(String, Option<i32>), usize> = HashMap::new();
        let mut pretend_id = 0;
        for r in rows {
            let v = &r.value;
            let code = v.credit_code.as_str().to_string();
            if let Some(first) = seen.insert((code.clone(), v.year), r.row) {
                problems.add(
                    r,
                    "credit_code",
                    code,
                    format!("与第{first}行的统一社会信用代码相同（同一企业同一年度只能有一行）"),
                );
                continue;
            }
            let has_year_data = !v.figures.is_empty() || v.flags.is_some();
            let year = match (v.year, has_year_data) {
                (Some(y), true) => Some(y),
                (None, true) => {
                    problems.add(
                        r,
                        "year",
                        String::new(),
                        "没有年度：请加一列“年度”，或在标题中写明".into(),
                    );
                    continue;
                }
                (_, false) => None,
            };
            // A failing import checks every row but writes nothing more.
            let writing = problems.0.is_empty();
            let mut inserted = false;
            let id = match known.get(&code) {
                Some(stored) => {
                    let next = stored.with(v);
                    if next != *stored {
                        if writing {
                            update_enterprise(&mut tx, &next).await?;
                        }
                        known.insert(code.clone(), next);
                    }
                    known[&code].id
                }
                None => {
                    let (Some(name), Some(district)) = (&v.name, &v.district_code) else {
                        let missing = |field: &str, label: &str| {
                            (
                                field.to_string(),
                                format!("系统中还没有这家企业（{code}），新登记须填写{label}"),
                            )
                        };
                        for (field, message) in [
                            v.name.is_none().then(|| missing("name", "企业名称")),
                            v.district_code
                                .is_none()
                                .then(|| missing("district_code", "所在区县")),
                        ]
                        .into_iter()
                        .flatten()
                        {
                            problems.add(r, &field, String::new(), message);
                        }
                        continue;
                    };
                    let mut e = Registered {
                        id: 0,
                        credit_code: code.clone(),
                        name: name.clone(),
                        district_code: district.clone(),
                        industry: v.industry.clone().unwrap_or_default(),
                        above_scale: i64::from(v.above_scale.unwrap_or(true)),
                        land_owned_x100: v.land_owned_x100.unwrap_or(0),
                        land_leased_x100: v.land_leased_x100.unwrap_or(0),
                        exempt: v.exempt.clone().unwrap_or_default(),
                    };
                    e.id = if writing {
                        insert_enterprise(&mut tx, &e, &now).await?
                    } else {
                        pretend_id -= 1;
                        pretend_id
                    };
                    inserted = true;
                    known.insert(code.clone(), e.clone());
                    e.id
                }
            };
            if let Some(year) = year {
                let writing = problems.0.is_empty();
                match years.get(&(id, year)) {
                    Some(stored) => {
                        let next = stored.with(v);
                        if next != *stored {
                            if writing {
                                write_year(&mut tx, id, year, &next, &now, false).await?;
                            }
                            years.insert((id, year), next);
                        }
                    }
                    None => {
                        let next = Year::default().with(v);
                        if writing {
                            write_year(&mut tx, id, year, &next, &now, true).await?;
                        }
                        years.insert((id, year), next);
                        inserted = true;
                    }
                }
            }
            if inserted {
                out.inserted += 1;
            } else {
                out.updated += 1;
            }
        }
        finish(
            tx,
            actor,
            "enterprise_data",
            file,
            rows.len(),
            out,
            problems,
        )
        .await
    }
}

async fn insert_enterprise(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    e: &Registered,
    now: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO enterprises (credit_code, name, district_code, industry, above_scale, land_owned_x100, \
         land_leased_x100, exempt, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) RETURNING id",
    )
    .bind(e.credit_code.clone())
    .bind(e.name.clone())
    .bind(e.district_code.clone())
    .bind(e.industry.clone())
    .bind(e.above_scale)
    .bind(e.land_owned_x100)
    .bind(e.land_leased_x100)
    .bind(e.exempt.clone())
    .bind(now.to_string())
    .fetch_one(&mut **tx)
    .await?)
}

async fn update_enterprise(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    e: &Registered,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE enterprises SET name = $1, district_code = $2, industry = $3, above_scale = $4, \
         land_owned_x100 = $5, land_leased_x100 = $6, exempt = $7, version = version + 1 WHERE id = $8",
    )
    .bind(e.name.clone())
    .bind(e.district_code.clone())
    .bind(e.industry.clone())
    .bind(e.above_scale)
    .bind(e.land_owned_x100)
    .bind(e.land_leased_x100)
    .bind(e.exempt.clone())
    .bind(e.id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes an enterprise's year, a new row or over the stored one.
async fn write_year(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    year: i32,
    y: &Year,
    now: &str,
    new: bool,
) -> Result<(), StoreError> {
    // The figures in FIGURES order, then flags, time, enterprise and year.
    let sql = if new {
        "INSERT INTO enterprise_years (tax, value_added, revenue, energy_x100, emission_x100, electricity, \
         employees, rnd, flags, updated_at, enterprise_id, year, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)"
    } else {
        "UPDATE enterprise_years SET tax = $1, value_added = $2, revenue = $3, energy_x100 = $4, \
         emission_x100 = $5, electricity = $6, employees = $7, rnd = $8, flags = $9, updated_at = $10, \
         version = version + 1 WHERE enterprise_id = $11 AND year = $12"
    };
    let mut q = sqlx::query(sql);
    for v in y.values {
        q = q.bind(v);
    }
    q.bind(y.flags.clone())
        .bind(now.to_string())
        .bind(id)
        .bind(i64::from(year))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
