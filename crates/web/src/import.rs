//! A workbook's way into the store: read and validate it (`hezuo_office::import`), resolve
//! names with the city's dictionaries, then store all or nothing (`Store::import_projects`).
//! The CLI's `hezuo import` and (later) the upload page both go through [`import_projects`],
//! so they report the same problems in the same words.

use hezuo_domain::Viewer;
use hezuo_office::book::read_book;
use hezuo_office::import::CellError;
use hezuo_office::import::project::{FIELDS, Vocab, read_projects};
use hezuo_store::dict::DictKind;
use hezuo_store::import::ImportFile;
use hezuo_store::{Actor, Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What an import did, in the CLI's `--json` shape.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    pub inserted: usize,
    pub updated: usize,
    pub errors: Vec<CellError>,
    /// Data rows read (valid or not).
    pub rows: usize,
    pub dry_run: bool,
    pub sha256: String,
}

/// The city's dictionaries as the import resolves names against them.
pub async fn vocab(store: &Store) -> Result<Vocab, StoreError> {
    let pairs = |items: Vec<hezuo_store::dict::DictItem>| -> Vec<(i64, String)> {
        items.into_iter().map(|i| (i.id, i.name)).collect()
    };
    let districts = store
        .dict_list(DictKind::District)
        .await?
        .into_iter()
        .map(|d| (d.value(DictKind::District, "code").to_string(), d.name))
        .collect();
    let platforms = store
        .dict_list(DictKind::Platform)
        .await?
        .into_iter()
        .map(|p| {
            let code = p.value(DictKind::Platform, "code").to_string();
            let district = p.value(DictKind::Platform, "district_code").to_string();
            (p.id, p.name, code, district)
        })
        .collect();
    Ok(Vocab {
        districts,
        platforms,
        industries: pairs(store.dict_list(DictKind::Industry).await?),
        chains: pairs(store.dict_list(DictKind::Chain).await?),
        leaders: pairs(store.dict_list(DictKind::Leader).await?),
        units: pairs(store.dict_list(DictKind::Unit).await?),
    })
}

/// Imports a project workbook. Nothing is stored when any problem is found or on a dry run.
pub async fn import_projects(
    store: &Store,
    viewer: &Viewer,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
    today: chrono::NaiveDate,
) -> Result<ImportReport, StoreError> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let mut report = ImportReport {
        dry_run,
        sha256: sha256.clone(),
        ..ImportReport::default()
    };
    let book = match read_book(bytes) {
        Ok(b) => b,
        Err(e) => {
            report.errors.push(CellError {
                sheet: String::new(),
                row: 0,
                column: String::new(),
                value: file_name.to_string(),
                message: e.to_string(),
            });
            return Ok(report);
        }
    };
    let vocab = vocab(store).await?;
    let read = read_projects(&book, &vocab, today);
    report.rows = read.tables.iter().map(|t| t.rows.len()).sum();
    report.errors = read.errors;
    if !report.errors.is_empty() {
        return Ok(report);
    }
    let file = ImportFile {
        name: file_name.to_string(),
        sha256,
    };
    let outcome = store
        .import_projects(viewer, actor, &read.rows, &file, dry_run, today)
        .await?;
    report.inserted = outcome.inserted;
    report.updated = outcome.updated;
    for p in outcome.problems {
        let table = read.tables.iter().find(|t| t.sheet == p.sheet);
        let column = table
            .and_then(|t| t.mapping.get(&p.field).map(|c| t.column_name(*c)))
            .unwrap_or_else(|| {
                FIELDS
                    .iter()
                    .find(|f| f.key == p.field)
                    .map_or(String::new(), |f| f.label.to_string())
            });
        report.errors.push(CellError {
            sheet: p.sheet,
            row: p.row,
            column,
            value: p.value,
            message: p.message,
        });
    }
    Ok(report)
}
