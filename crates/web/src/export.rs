//! Lists out as workbooks. The rows come from the same store query as the list page (scope
//! and filters included) and are streamed to the file: the database yields a row, a writer
//! thread writes it, and at most [`IN_FLIGHT`] batches of [`BATCH`] rows wait between them.

use hezuo_domain::project::{Kind, Origin, land_text};
use hezuo_domain::{Stage, Viewer};
use hezuo_office::export::{Cell, Column, ColumnKind, ListSheet, write_list};
use hezuo_store::Store;
use hezuo_store::project::{ExportedProject, ProjectFilter};
use std::path::Path;

/// Batches buffered between the database and the writer.
const IN_FLIGHT: usize = 8;
/// Rows handed to the writer at a time: one wake-up of the writer thread per batch, not per
/// row.
const BATCH: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] hezuo_store::StoreError),
    #[error("写入工作簿失败：{0}")]
    Write(String),
    #[error("无法创建文件：{0}")]
    Io(#[from] std::io::Error),
}

fn project_columns() -> Vec<Column> {
    use ColumnKind::*;
    vec![
        Column::new("序号", Integer, 6.0),
        Column::new("项目名称", Text, 36.0),
        Column::new("项目代码", Text, 26.0),
        Column::new("项目类型", Text, 10.0),
        Column::new("阶段", Text, 8.0),
        Column::new("阶段日期", Date, 12.0),
        Column::new("签约日期", Date, 12.0),
        Column::new("所属区县", Text, 12.0),
        Column::new("所在平台", Text, 24.0),
        Column::new("投资方", Text, 30.0),
        Column::new("来源地", Text, 10.0),
        Column::new("来源地详情", Text, 14.0),
        Column::new("产业", Text, 14.0),
        Column::new("产业链", Text, 22.0),
        Column::new("协议投资（万元）", Wan, 16.0),
        Column::new("实际到位（万元）", Wan, 16.0),
        Column::new("用地（亩）", Text, 10.0),
        Column::new("联系领导", Text, 10.0),
        Column::new("责任单位", Text, 22.0),
    ]
}

fn project_cells(n: usize, p: ExportedProject) -> Vec<Cell> {
    // A code shown by its label; an unknown code as it is.
    let label = |code: String, find: fn(&str) -> Option<&'static str>| {
        Cell::Text(find(&code).map_or(code, str::to_string))
    };
    let opt = |s: Option<String>| Cell::Text(s.unwrap_or_default());
    vec![
        Cell::Int(n as i64),
        Cell::Text(p.name),
        opt(p.project_code),
        label(p.kind, |c| Kind::parse(c).map(Kind::label)),
        label(p.stage, |c| Stage::parse(c).map(Stage::label)),
        Cell::Text(p.stage_date),
        opt(p.signed_on),
        Cell::Text(p.district_name),
        opt(p.platform_name),
        Cell::Text(p.investor),
        label(p.origin, |c| Origin::parse(c).map(Origin::label)),
        Cell::Text(p.origin_detail),
        opt(p.industry_name),
        opt(p.chain_name),
        Cell::Yuan(p.investment_cny),
        Cell::Yuan(p.arrived),
        Cell::Text(p.land_mu_x100.map(land_text).unwrap_or_default()),
        opt(p.leader_name),
        opt(p.unit_name),
    ]
}

/// Writes the viewer's projects matching `filter` (all pages) to an .xlsx at `path`, under a
/// title and a line stating the scope and the time. Returns the rows written.
pub async fn export_projects(
    store: &Store,
    viewer: &Viewer,
    filter: &ProjectFilter,
    title: &str,
    scope: &str,
    path: &Path,
) -> Result<usize, ExportError> {
    let file = std::fs::File::create(path)?;
    let (title, scope) = (title.to_string(), scope.to_string());
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Vec<Cell>>>(IN_FLIGHT);
    let writer = std::thread::spawn(move || {
        let columns = project_columns();
        let sheet = ListSheet {
            sheet_name: "项目清单",
            title: &title,
            scope: &scope,
            columns: &columns,
        };
        write_list(&sheet, rx.into_iter().flatten(), file)
            .map_err(|e| ExportError::Write(e.to_string()))
    });
    let (store, viewer, filter) = (store.clone(), viewer.clone(), filter.clone());
    let handle = tokio::runtime::Handle::current();
    // The rows are read on a blocking thread, so a full channel waits there, not on the
    // server's workers.
    let read = tokio::task::spawn_blocking(move || {
        let mut n = 0;
        let mut batch = Vec::with_capacity(BATCH);
        let read = handle.block_on(store.each_project(&viewer, &filter, |row| {
            n += 1;
            batch.push(project_cells(n, row));
            batch.len() < BATCH || tx.send(std::mem::take(&mut batch)).is_ok()
        }));
        // The last, partial batch (a writer gone already has its error to report).
        let _ = tx.send(batch);
        read
    })
    .await
    .map_err(|e| ExportError::Write(e.to_string()))?;
    let written = writer
        .join()
        .map_err(|_| ExportError::Write("写入线程异常退出".into()))??;
    read?;
    Ok(written)
}

/// The projects as an .xlsx download named "项目清单-YYYYMMDD.xlsx" (RFC 6266/5987 names, with
/// an ASCII fallback for old clients).
pub async fn download_projects(
    store: &Store,
    viewer: &Viewer,
    filter: &ProjectFilter,
    title: &str,
    scope: &str,
) -> Result<axum::response::Response, crate::AppError> {
    // A folder of its own per download (process id and a counter).
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("hezuo-export-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| crate::AppError::Internal(e.to_string()))?;
    let path = dir.join("export.xlsx");
    let written = export_projects(store, viewer, filter, title, scope, &path).await;
    let bytes = std::fs::read(&path);
    let _ = std::fs::remove_dir_all(&dir);
    written.map_err(|e| match e {
        ExportError::Store(s) => crate::AppError::from(s),
        other => crate::AppError::Internal(other.to_string()),
    })?;
    let bytes = bytes.map_err(|e| crate::AppError::Internal(e.to_string()))?;
    let date = stamp_date();
    Ok(xlsx_download(
        bytes,
        &format!("项目清单-{date}.xlsx"),
        &format!("projects-{date}.xlsx"),
    ))
}

/// A workbook as a download: the Chinese name per RFC 5987, an ASCII one for old clients.
pub fn xlsx_download(bytes: Vec<u8>, name: &str, ascii_name: &str) -> axum::response::Response {
    file_download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        name,
        ascii_name,
    )
}

/// A file download under a Chinese name with an ASCII fallback (RFC 6266/5987).
pub fn file_download(
    bytes: Vec<u8>,
    content_type: &str,
    name: &str,
    ascii_name: &str,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The line under an export's title: what it covers, who exported it and when (Beijing time).
pub fn scope_line(scope: &str, who: &str) -> String {
    let now =
        chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"));
    format!(
        "范围：{scope}；导出：{who} {}",
        now.format("%Y-%m-%d %H:%M")
    )
}

/// Today in Beijing.
pub fn beijing_today() -> chrono::NaiveDate {
    crate::project::today()
}

/// Today in Beijing, "20240630", for file names.
fn stamp_date() -> String {
    beijing_today().format("%Y%m%d").to_string()
}

/// A workbook of several small sheets (with their charts) as a download "{name}-YYYYMMDD.xlsx".
pub fn book_download(
    sheets: &[hezuo_office::export::BookSheet<'_>],
    name: &str,
    ascii_name: &str,
) -> Result<axum::response::Response, crate::AppError> {
    let mut out = std::io::Cursor::new(Vec::new());
    hezuo_office::export::write_book(sheets, &mut out)
        .map_err(|e| crate::AppError::Internal(e.to_string()))?;
    let date = stamp_date();
    Ok(xlsx_download(
        out.into_inner(),
        &format!("{name}-{date}.xlsx"),
        &format!("{ascii_name}-{date}.xlsx"),
    ))
}
