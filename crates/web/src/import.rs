//! A workbook's way into the store: read and validate it (`hezuo_office::import`), resolve
//! names with the city's dictionaries, then store all or nothing (`Store::import_projects`,
//! `import_plans`, `import_progress`). The CLI's `hezuo import` and the upload page both go
//! through [`import_workbook`], so they report the same problems in the same words.

use hezuo_domain::Viewer;
use hezuo_office::book::{Book, check_size, read_book};
use hezuo_office::import::project::{FIELDS, Vocab, read_projects};
use hezuo_office::import::records::{PLAN_FIELDS, PROGRESS_FIELDS, read_plans, read_progress};
use hezuo_office::import::{CellError, Field, Mapping, Remembered, SheetResult, column_letter};
use hezuo_store::dict::DictKind;
use hezuo_store::import::{ImportFile, ImportOutcome};
use hezuo_store::{Actor, Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// What a workbook holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Projects,
    Plans,
    Progress,
    /// 重点事项: the office's plans and lists (only the office imports them).
    KeyItems,
    /// 对口工作指标 (only the office imports them).
    Assistance,
    /// 亩均企业数据: enterprises and their year's figures (only the office imports them).
    Enterprises,
}

impl ImportKind {
    /// Whether every importing account may import this kind (key items, assistance
    /// indicators and enterprise data are the office's).
    pub fn for_everyone(self) -> bool {
        !matches!(
            self,
            ImportKind::KeyItems | ImportKind::Assistance | ImportKind::Enterprises
        )
    }

    pub const ALL: [ImportKind; 6] = [
        ImportKind::Projects,
        ImportKind::Plans,
        ImportKind::Progress,
        ImportKind::KeyItems,
        ImportKind::Assistance,
        ImportKind::Enterprises,
    ];

    /// As stored with uploads and mappings, and in URLs.
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Projects => "projects",
            ImportKind::Plans => "plans",
            ImportKind::Progress => "progress",
            ImportKind::KeyItems => "key-items",
            ImportKind::Assistance => "assistance",
            ImportKind::Enterprises => "enterprises",
        }
    }

    pub fn parse(code: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Projects => "项目",
            ImportKind::Plans => "年度计划",
            ImportKind::Progress => "月度进展",
            ImportKind::KeyItems => "重点事项",
            ImportKind::Assistance => "对口工作指标",
            ImportKind::Enterprises => "亩均企业数据",
        }
    }

    /// What one row is counted as: "个项目", "个年度计划", "份月报".
    pub fn counted(self) -> &'static str {
        match self {
            ImportKind::Projects => "个项目",
            ImportKind::Plans => "个年度计划",
            ImportKind::Progress => "份月报",
            ImportKind::KeyItems => "项重点事项",
            ImportKind::Assistance => "项指标",
            ImportKind::Enterprises => "条企业数据",
        }
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            ImportKind::Projects => FIELDS,
            ImportKind::Plans => PLAN_FIELDS,
            ImportKind::Progress => PROGRESS_FIELDS,
            ImportKind::KeyItems => hezuo_office::import::key_items::KEY_ITEM_FIELDS,
            ImportKind::Assistance => hezuo_office::import::assistance::ASSISTANCE_FIELDS,
            ImportKind::Enterprises => hezuo_office::import::enterprises::ENTERPRISE_FIELDS,
        }
    }

    /// The empty workbook to fill in.
    pub fn template(self) -> Result<Vec<u8>, String> {
        match self {
            ImportKind::Projects => hezuo_office::import::project::template(),
            ImportKind::Plans => hezuo_office::import::records::plan_template(),
            ImportKind::Progress => hezuo_office::import::records::progress_template(),
            ImportKind::KeyItems => hezuo_office::import::key_items::key_item_template(),
            ImportKind::Assistance => hezuo_office::import::assistance::assistance_template(),
            ImportKind::Enterprises => hezuo_office::import::enterprises::enterprise_template(),
        }
        .map_err(|e| e.to_string())
    }
}

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
    /// The tables found and how their columns were understood (shown, and corrected, on the
    /// page).
    #[serde(skip)]
    pub tables: Vec<TableView>,
}

/// A table's columns as the mapping editor shows them.
#[derive(Debug, Clone, Default)]
pub struct TableView {
    pub sheet: String,
    pub shape: String,
    /// (column index, "C 总投资（亿元）", field key or "").
    pub columns: Vec<(usize, String, String)>,
}

/// The mappings users set for a kind of import, by header shape (unreadable ones skipped).
async fn remembered(store: &Store, kind: &str) -> Result<Remembered, StoreError> {
    Ok(store
        .import_mappings(kind)
        .await?
        .into_iter()
        .filter_map(|(shape, json)| serde_json::from_str(&json).ok().map(|m| (shape, m)))
        .collect())
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

/// Where a workbook is parsed.
#[derive(Debug, Clone)]
pub enum Parser {
    /// In this process (tests of the rules; files already trusted).
    InProcess,
    /// In a child process, `EXE parse-workbook`, which limits its own memory and CPU time
    /// before reading the file; this process waits at most [`parse_deadline`] for it. A zip
    /// bomb or a sheet built to exhaust memory then ends the child, never the server.
    Isolated(std::path::PathBuf),
}

/// Memory a parsing child may use (its heap and anonymous mappings, `RLIMIT_DATA`).
pub const PARSE_MEMORY_BYTES: u64 = 448 * 1024 * 1024;

/// How long a parse may take: 2 s, and half a second more per MB of file (a 10 MB workbook of
/// 100k rows parses in about 1.5 s on two cores).
pub fn parse_deadline(len: usize) -> std::time::Duration {
    std::time::Duration::from_millis(2_000 + (len as u64 / (1024 * 1024)) * 500)
}

/// Reads a workbook as `parser` says; the error is the reason in Chinese.
pub async fn parse_book(parser: &Parser, bytes: &[u8]) -> Result<Book, String> {
    let exe = match parser {
        Parser::InProcess => return read_book(bytes).map_err(|e| e.to_string()),
        Parser::Isolated(exe) => exe,
    };
    // Refused before a child is started: empty, too large.
    check_size(bytes).map_err(|e| e.to_string())?;
    let mut child = tokio::process::Command::new(exe)
        .arg("parse-workbook")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("无法启动解析进程：{e}"))?;
    let mut stdin = child.stdin.take().ok_or("无法写入解析进程")?;
    let input = bytes.to_vec();
    let writer = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        // A child that dies early closes its end; its exit status says why.
        let _ = stdin.write_all(&input).await;
    });
    let output = tokio::time::timeout(parse_deadline(bytes.len()), child.wait_with_output())
        .await
        .map_err(|_| {
            format!(
                "解析超时（{} 秒内未完成）：文件可能经过恶意构造或过于庞大，请拆分后再导入",
                parse_deadline(bytes.len()).as_secs()
            )
        })?
        .map_err(|e| format!("解析进程异常：{e}"))?;
    let _ = writer.await;
    if output.status.success() {
        return Book::decode(&output.stdout).ok_or_else(|| "解析进程返回的数据无效".to_string());
    }
    let said = String::from_utf8_lossy(&output.stderr).trim().to_string();
    match output.status.code() {
        // The child's own reason (a BookError), in Chinese.
        Some(3) if !said.is_empty() => Err(said),
        _ => Err(format!(
            "工作簿解析超出内存或时间上限（{} MB），文件可能是压缩炸弹或异常庞大的工作表",
            PARSE_MEMORY_BYTES / 1024 / 1024
        )),
    }
}

/// Imports a workbook of `kind`. Nothing is stored when any problem is found or on a dry run.
#[allow(clippy::too_many_arguments)]
pub async fn import_workbook(
    store: &Store,
    viewer: &Viewer,
    actor: &Actor,
    parser: &Parser,
    kind: ImportKind,
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
    let started = std::time::Instant::now();
    let book = match parse_book(parser, bytes).await {
        Ok(b) => b,
        Err(message) => {
            report.errors.push(CellError {
                sheet: String::new(),
                row: 0,
                column: String::new(),
                value: file_name.to_string(),
                message,
            });
            return Ok(report);
        }
    };
    tracing::debug!(
        ms = started.elapsed().as_millis(),
        "import: workbook parsed"
    );
    let vocab = vocab(store).await?;
    let remembered = remembered(store, kind.code()).await?;
    let file = ImportFile {
        name: file_name.to_string(),
        sha256,
    };
    let (outcome, tables) = match kind {
        ImportKind::Projects => {
            let read = read_projects(&book, &vocab, today, &remembered);
            tracing::debug!(
                ms = started.elapsed().as_millis(),
                "import: rows read and checked"
            );
            if !report.take(&read) {
                return Ok(report);
            }
            let out = store
                .import_projects(viewer, actor, &read.rows, &file, dry_run, today)
                .await?;
            tracing::debug!(ms = started.elapsed().as_millis(), "import: stored");
            (out, read.tables)
        }
        ImportKind::Plans => {
            let read = read_plans(&book, &vocab, &remembered);
            if !report.take(&read) {
                return Ok(report);
            }
            let out = store
                .import_plans(viewer, actor, &read.rows, &file, dry_run)
                .await?;
            (out, read.tables)
        }
        ImportKind::Progress => {
            let current = hezuo_domain::cells::DateCell::Day(today).month();
            let read = read_progress(&book, &vocab, &remembered, current);
            if !report.take(&read) {
                return Ok(report);
            }
            let out = store
                .import_progress(viewer, actor, &read.rows, &file, dry_run)
                .await?;
            (out, read.tables)
        }
        ImportKind::KeyItems => {
            let read = hezuo_office::import::key_items::read_key_items(&book, &vocab, &remembered);
            if !report.take(&read) {
                return Ok(report);
            }
            let out = store
                .import_key_items(viewer, actor, &read.rows, &file, dry_run)
                .await?;
            (out, read.tables)
        }
        ImportKind::Assistance => {
            let current = hezuo_domain::cells::DateCell::Day(today).month();
            let read = hezuo_office::import::assistance::read_assistance(
                &book,
                &vocab,
                &remembered,
                current,
            );
            if !report.take(&read) {
                return Ok(report);
            }
            let out = store
                .import_assistance(viewer, actor, &read.rows, &file, dry_run)
                .await?;
            (out, read.tables)
        }
        ImportKind::Enterprises => {
            let read = hezuo_office::import::enterprises::read_enterprises(
                &book,
                &vocab,
                &remembered,
                chrono::Datelike::year(&today),
            );
            if !report.take(&read) {
                return Ok(report);
            }
            let out = store
                .import_enterprise_data(viewer, actor, &read.rows, &file, dry_run)
                .await?;
            (out, read.tables)
        }
    };
    report.inserted = outcome.inserted;
    report.updated = outcome.updated;
    report.add_store_problems(outcome, &tables, kind.fields());
    Ok(report)
}

impl ImportReport {
    /// Takes what reading the workbook found: its tables (as the mapping editor shows them),
    /// the rows counted and the problems. Whether the rows can go on to the store.
    fn take<T>(&mut self, read: &SheetResult<T>) -> bool {
        self.tables = read
            .tables
            .iter()
            .map(|t| TableView {
                sheet: t.sheet.clone(),
                shape: t.shape(),
                columns: t
                    .headers
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| !h.is_empty())
                    .map(|(c, h)| {
                        let field = t
                            .mapping
                            .iter()
                            .find(|(_, col)| **col == c)
                            .map_or(String::new(), |(k, _)| k.clone());
                        (c, format!("{} {h}", column_letter(c)), field)
                    })
                    .collect(),
            })
            .collect();
        self.rows = read.tables.iter().map(|t| t.rows.len()).sum();
        self.errors = read.errors.clone();
        self.errors.is_empty()
    }

    /// The problems the store found, against the column of the field they concern.
    fn add_store_problems(
        &mut self,
        outcome: ImportOutcome,
        tables: &[hezuo_office::import::Table],
        fields: &[Field],
    ) {
        for p in outcome.problems {
            let table = tables.iter().find(|t| t.sheet == p.sheet);
            let column = table
                .and_then(|t| t.mapping.get(&p.field).map(|c| t.column_name(*c)))
                .unwrap_or_else(|| {
                    fields
                        .iter()
                        .find(|f| f.key == p.field)
                        .map_or(String::new(), |f| f.label.to_string())
                });
            self.errors.push(CellError {
                sheet: p.sheet,
                row: p.row,
                column,
                value: p.value,
                message: p.message,
            });
        }
    }
}

// ---- the upload page ----------------------------------------------------------------------

use crate::AppState;
use crate::auth::{Chrome, CurrentUser};
use crate::error::AppError;
use crate::views::html;
use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;

#[derive(Template)]
#[template(path = "import/index.html")]
struct ImportPage {
    chrome: Chrome,
    kind: ImportKind,
    /// The kinds this account may import (key items: the office only).
    kinds: Vec<ImportKind>,
    /// Every field a column can be mapped to: (key, label).
    fields: Vec<(&'static str, &'static str)>,
    /// A problem with the request itself (no file chosen).
    notice: String,
    file_name: String,
    report: Option<ImportReport>,
    /// The kept upload to confirm, when the check found nothing wrong.
    upload_id: Option<i64>,
    /// After a commit.
    done: bool,
}

impl ImportPage {
    fn selected(&self, field: &str, key: &str) -> bool {
        field == key
    }

    /// Where the imported records are seen (none yet for enterprise data: the 亩均 pages link
    /// here when they land).
    fn done_link(&self) -> (&'static str, &'static str) {
        match self.kind {
            ImportKind::Projects => ("/projects", "到项目库查看"),
            ImportKind::Plans => ("/cockpit", "到驾驶舱查看"),
            ImportKind::Progress => ("/progress", "到月报审核查看"),
            ImportKind::KeyItems => ("/key-items", "到重点事项查看"),
            ImportKind::Assistance => ("/assistance", "到对口工作查看"),
            ImportKind::Enterprises => ("/mujun/results", "到亩均评价结果查看"),
        }
    }
}

fn page_of(state: &AppState, user: &CurrentUser, kind: ImportKind) -> ImportPage {
    ImportPage {
        chrome: Chrome::new(state, user, "import"),
        kind,
        kinds: ImportKind::ALL
            .into_iter()
            .filter(|k| k.for_everyone() || user.viewer.is_office())
            .collect(),
        // Without the template's unit: a column's own unit applies.
        fields: kind
            .fields()
            .iter()
            .map(|f| (f.key, f.label.split('（').next().unwrap_or(f.label)))
            .collect(),
        notice: String::new(),
        file_name: String::new(),
        report: None,
        upload_id: None,
        done: false,
    }
}

fn may_import(user: &CurrentUser) -> Result<(), AppError> {
    if user.viewer.can_edit_projects() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "只有合作办和区县/平台账号可以导入".into(),
        ))
    }
}

fn kind_of(code: Option<&str>) -> Result<ImportKind, AppError> {
    match code {
        None | Some("") => Ok(ImportKind::Projects),
        Some(c) => {
            ImportKind::parse(c).ok_or_else(|| AppError::BadRequest(format!("未知的导入类型：{c}")))
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct KindQuery {
    kind: Option<String>,
}

/// `GET /import[?kind=projects|plans|progress]`: choose a file.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Query(q): axum::extract::Query<KindQuery>,
) -> Result<Response, AppError> {
    may_import(&user)?;
    Ok(html(&page_of(&state, &user, kind_of(q.kind.as_deref())?)))
}

/// Runs the import of a kept or just-uploaded file for the signed-in user.
async fn run(
    state: &AppState,
    user: &CurrentUser,
    kind: ImportKind,
    name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    Ok(import_workbook(
        &state.store,
        &user.viewer,
        &user.actor,
        &state.config.parser,
        kind,
        name,
        bytes,
        dry_run,
        crate::project::today(),
    )
    .await?)
}

/// The upload the signed-in user kept, with the kind it was uploaded as.
async fn kept(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<(hezuo_store::import::Upload, ImportKind), AppError> {
    let upload = state.store.upload(&user.actor, id).await?;
    let kind = kind_of(Some(&upload.kind))?;
    Ok((upload, kind))
}

/// `POST /import` (multipart: `_csrf`, `kind`, `file`): checks the file and stores nothing; a
/// file without problems is kept for [`commit`].
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    mut form: Multipart,
) -> Result<Response, AppError> {
    may_import(&user)?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut kind = ImportKind::Projects;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("上传内容无法读取：{e}")))?
    {
        match field.name() {
            Some("file") => {
                let name = safe_file_name(field.file_name().unwrap_or("upload.xlsx"));
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(format!("上传内容无法读取：{e}")))?;
                file = Some((name, bytes.to_vec()));
            }
            Some("kind") => {
                let text = field
                    .text()
                    .await
                    .map_err(|e| AppError::BadRequest(format!("上传内容无法读取：{e}")))?;
                kind = kind_of(Some(&text))?;
            }
            _ => {}
        }
    }
    let mut view = page_of(&state, &user, kind);
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        view.notice = "请选择要导入的 Excel 或 CSV 文件".into();
        return Ok(html(&view));
    };
    let report = run(&state, &user, kind, &name, &bytes, true).await?;
    // Kept while it can be corrected or confirmed: whenever a table was found.
    if !report.tables.is_empty() {
        let file = ImportFile {
            name: name.clone(),
            sha256: report.sha256.clone(),
        };
        view.upload_id = Some(
            state
                .store
                .save_upload(&user.actor, kind.code(), &file, &bytes)
                .await?,
        );
    }
    view.file_name = name;
    view.report = Some(report);
    Ok(html(&view))
}

/// `POST /import/{id}/mapping` (`shape`, `c0`, `c1`, … = field key or empty): remembers how
/// the columns of this header shape map to fields, then checks the kept file again with it.
pub async fn remap(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    may_import(&user)?;
    let (upload, kind) = kept(&state, &user, id).await?;
    let mut view = page_of(&state, &user, kind);
    let shape = form
        .iter()
        .find(|(k, _)| k == "shape")
        .map(|(_, v)| v.clone())
        .ok_or_else(|| AppError::BadRequest("缺少表头信息".into()))?;
    let mut mapping = Mapping::new();
    for (k, field) in &form {
        let Some(col) = k.strip_prefix('c').and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        if field.is_empty() {
            continue;
        }
        let Some(f) = kind.fields().iter().find(|f| f.key == field) else {
            return Err(AppError::BadRequest(format!("未知的字段：{field}")));
        };
        if mapping.insert(f.key.to_string(), col).is_some() {
            view.notice = format!("“{}”只能对应一列，请重新选择", f.label);
        }
    }
    if let Some(f) = kind
        .fields()
        .iter()
        .find(|f| f.required && !mapping.contains_key(f.key))
    {
        view.notice = format!("请为“{}”选择一列", f.label);
    }
    if view.notice.is_empty() {
        let json =
            serde_json::to_string(&mapping).map_err(|e| AppError::Internal(e.to_string()))?;
        state
            .store
            .save_import_mapping(&user.actor, kind.code(), &shape, &json)
            .await?;
    }
    let report = run(
        &state,
        &user,
        kind,
        &upload.file.name,
        &upload.content,
        true,
    )
    .await?;
    view.upload_id = Some(id);
    view.file_name = upload.file.name;
    view.report = Some(report);
    Ok(html(&view))
}

#[derive(Debug, serde::Deserialize)]
pub struct CommitForm {
    /// The SHA-256 of the file the page showed as checked.
    sha256: String,
}

/// `POST /import/{id}/commit` (`sha256`): imports the file checked before, all or nothing —
/// only if it is still the file the page showed (a newer upload replaces the kept one).
pub async fn commit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CommitForm>,
) -> Result<Response, AppError> {
    may_import(&user)?;
    let (upload, kind) = kept(&state, &user, id).await?;
    if upload.file.sha256 != form.sha256 {
        return Err(AppError::Conflict(
            "这份文件已被您之后上传的文件替换，请确认当前页面上的文件后再导入".into(),
        ));
    }
    let report = run(
        &state,
        &user,
        kind,
        &upload.file.name,
        &upload.content,
        false,
    )
    .await?;
    let done = report.errors.is_empty();
    if done {
        state.store.delete_upload(&user.actor, id).await?;
    }
    let mut view = page_of(&state, &user, kind);
    view.file_name = upload.file.name;
    view.upload_id = (!done).then_some(id);
    view.report = Some(report);
    view.done = done;
    Ok(html(&view))
}

/// `GET /import/templates/{projects,plans,progress}.xlsx`: the empty workbook to fill in.
pub async fn template(Path(file): Path<String>) -> Result<Response, AppError> {
    let kind = file
        .strip_suffix(".xlsx")
        .and_then(ImportKind::parse)
        .ok_or(AppError::NotFound)?;
    let bytes = kind.template().map_err(AppError::Internal)?;
    Ok(crate::export::xlsx_download(
        bytes,
        &format!("{}导入模板.xlsx", kind.label()),
        &format!("{}-template.xlsx", kind.code()),
    ))
}

/// A file name as shown and recorded: its last path component, without control characters,
/// at most 100 characters.
fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if clean.trim().is_empty() {
        "upload.xlsx".into()
    } else {
        clean
    }
}
