//! A workbook's way into the store: read and validate it (`hezuo_office::import`), resolve
//! names with the city's dictionaries, then store all or nothing (`Store::import_projects`,
//! `import_plans`, `import_progress`). The CLI's `hezuo import` and the upload page both go
//! through [`import_workbook`], so they report the same problems in the same words.

use hezuo_domain::ProjectDraft;
use hezuo_domain::Viewer;
use hezuo_domain::cells::Sourced;
use hezuo_office::book::{Book, BookError, BookSink, Piece, PieceSink, check_size, read_book_into};
use hezuo_office::import::project::{FIELDS, ProjectStream, Vocab};
use hezuo_office::import::records::{PLAN_FIELDS, PROGRESS_FIELDS, read_plans, read_progress};
use hezuo_office::import::{CellError, Field, Mapping, Remembered, SheetResult, column_letter};
use hezuo_store::dict::DictKind;
use hezuo_store::import::{ImportFile, ImportOutcome, ProjectImport};
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

/// A workbook's pieces as they are read, each or why the file cannot be read (in Chinese); the
/// last is [`Piece::Done`] when the whole book was read.
pub type Pieces = tokio::sync::mpsc::UnboundedReceiver<Result<Piece, String>>;

/// Reads a workbook as `parser` says, handing its pieces on while the rest is still being
/// parsed. Nothing here waits on the receiver: a slow reader of the pieces does not hold up
/// the parse or count against its deadline.
pub fn parse_pieces(parser: &Parser, bytes: &[u8]) -> Pieces {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let bytes = bytes.to_vec();
    match parser {
        Parser::InProcess => {
            tokio::task::spawn_blocking(move || {
                let mut sink = PieceSink::new(|piece| {
                    tx.send(Ok(piece))
                        .map_err(|_| BookError::Corrupt("读取已取消".into()))
                });
                let read = read_book_into(&bytes, &mut sink).and_then(|()| sink.done());
                if let Err(e) = read {
                    let _ = tx.send(Err(e.to_string()));
                }
            });
        }
        Parser::Isolated(exe) => {
            let exe = exe.clone();
            tokio::spawn(async move {
                if let Err(message) = parse_in_child(&exe, bytes, &tx).await {
                    let _ = tx.send(Err(message));
                }
            });
        }
    }
    rx
}

/// Frames a parsing child may send at most (a frame holds [`PieceSink`]'s rows at a time).
const MAX_FRAME_BYTES: usize = 256 * 1024 * 1024;

/// Parses in a child process, sending each piece on as its frame arrives; [`Piece::Done`] only
/// once the child has exited well.
async fn parse_in_child(
    exe: &std::path::Path,
    bytes: Vec<u8>,
    tx: &tokio::sync::mpsc::UnboundedSender<Result<Piece, String>>,
) -> Result<(), String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Refused before a child is started: empty, too large.
    check_size(&bytes).map_err(|e| e.to_string())?;
    let deadline = parse_deadline(bytes.len());
    let mut child = tokio::process::Command::new(exe)
        .arg("parse-workbook")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("无法启动解析进程：{e}"))?;
    let mut stdin = child.stdin.take().ok_or("无法写入解析进程")?;
    let mut stdout = tokio::io::BufReader::with_capacity(
        1 << 16,
        child.stdout.take().ok_or("无法读取解析进程")?,
    );
    let mut stderr = child.stderr.take().ok_or("无法读取解析进程")?;
    tokio::spawn(async move {
        // A child that dies early closes its end; its exit status says why.
        let _ = stdin.write_all(&bytes).await;
    });
    let said = tokio::spawn(async move {
        let mut said = String::new();
        let _ = stderr.read_to_string(&mut said).await;
        said
    });
    let read = async {
        let mut done = false;
        let mut len = [0u8; 4];
        // Until the child closes its output; a frame cut short is a child that died.
        while stdout.read_exact(&mut len).await.is_ok() {
            let n = u32::from_le_bytes(len) as usize;
            if n > MAX_FRAME_BYTES {
                return Err(());
            }
            let mut payload = vec![0u8; n];
            stdout.read_exact(&mut payload).await.map_err(drop)?;
            match Piece::decode(&payload).ok_or(())? {
                Piece::Done => done = true,
                // The reader has gone: nothing more to do.
                piece => tx.send(Ok(piece)).map_err(drop)?,
            }
        }
        Ok(done)
    };
    let timeout = || {
        format!(
            "解析超时（{} 秒内未完成）：文件可能经过恶意构造或过于庞大，请拆分后再导入",
            deadline.as_secs()
        )
    };
    let started = tokio::time::Instant::now();
    let read = tokio::time::timeout(deadline, read)
        .await
        .map_err(|_| timeout())?;
    if read.is_err() {
        // Frames that do not read back, or nobody left to take them: the child is not waited
        // for while it blocks on a full pipe.
        let _ = child.start_kill();
    }
    let status = tokio::time::timeout(deadline.saturating_sub(started.elapsed()), child.wait())
        .await
        .map_err(|_| timeout())?
        .map_err(|e| format!("解析进程异常：{e}"))?;
    let said = said.await.unwrap_or_default().trim().to_string();
    match (status.code(), read) {
        (Some(0), Ok(true)) => {
            let _ = tx.send(Ok(Piece::Done));
            Ok(())
        }
        (Some(0), _) => Err("解析进程返回的数据无效".to_string()),
        // The child's own reason (a BookError), in Chinese.
        (Some(3), _) if !said.is_empty() => Err(said),
        _ => Err(format!(
            "工作簿解析超出内存或时间上限（{} MB），文件可能是压缩炸弹或异常庞大的工作表",
            PARSE_MEMORY_BYTES / 1024 / 1024
        )),
    }
}

/// Reads a whole workbook as `parser` says; the error is the reason in Chinese.
pub async fn parse_book(parser: &Parser, bytes: &[u8]) -> Result<Book, String> {
    let mut pieces = parse_pieces(parser, bytes);
    let mut book = BookSink::default();
    while let Some(piece) = pieces.recv().await {
        match piece? {
            Piece::Done => return Ok(book.book),
            piece => book.piece(piece).map_err(|e| e.to_string())?,
        }
    }
    Err("解析进程异常结束".to_string())
}

/// Rows read from a project workbook on their way to the store, and the rows the sheet they
/// come from says it holds.
type ReadRows = (usize, Vec<Sourced<ProjectDraft>>);

/// Reads a project workbook's pieces as they come, on a thread of its own, and hands the rows
/// on while no problem has been found (one problem and nothing is stored: the rest is only read
/// for its problems). Gives every table and problem once the book has been read, or why it
/// could not be read (in Chinese).
fn read_project_pieces(
    mut pieces: Pieces,
    vocab: Vocab,
    remembered: Remembered,
    today: chrono::NaiveDate,
    rows: tokio::sync::mpsc::Sender<ReadRows>,
) -> tokio::task::JoinHandle<Result<SheetResult<ProjectDraft>, String>> {
    let started = std::time::Instant::now();
    tokio::task::spawn_blocking(move || {
        let mut stream = ProjectStream::new(&vocab, today, &remembered);
        let mut declared = 0;
        while let Some(piece) = pieces.blocking_recv() {
            match piece? {
                Piece::Done => {
                    let ms = started.elapsed().as_millis();
                    tracing::debug!(ms, "import: workbook parsed, rows read and checked");
                    return Ok(stream.finish());
                }
                piece => {
                    if let Piece::Sheet { declared_rows, .. } = &piece {
                        declared = *declared_rows;
                    }
                    let read = stream.piece(piece);
                    // A closed channel: the store gave up; the reading goes on for the problems.
                    if !read.is_empty() && stream.errors().is_empty() {
                        let _ = rows.blocking_send((declared, read));
                    }
                }
            }
        }
        Err("解析进程异常结束".to_string())
    })
}

/// Stores the rows of a project workbook as they are read, in one import
/// ([`Store::begin_project_import`], begun with the first rows), to be finished once the whole
/// book is read without a problem.
async fn store_projects<'a>(
    store: &'a Store,
    viewer: &'a Viewer,
    actor: &'a Actor,
    file: &'a ImportFile,
    today: chrono::NaiveDate,
    mut rows: tokio::sync::mpsc::Receiver<ReadRows>,
) -> Result<Option<ProjectImport<'a>>, StoreError> {
    let mut import: Option<ProjectImport<'a>> = None;
    while let Some((declared, read)) = rows.recv().await {
        let import = match &mut import {
            Some(import) => import,
            None => import.insert(
                store
                    .begin_project_import(viewer, actor, file, today, declared)
                    .await?,
            ),
        };
        import.add(read).await?;
    }
    Ok(import)
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
    let file_problem = |message: String| CellError {
        sheet: String::new(),
        row: 0,
        column: String::new(),
        value: file_name.to_string(),
        message,
    };
    let vocab = vocab(store).await?;
    let remembered = remembered(store, kind.code()).await?;
    let file = ImportFile {
        name: file_name.to_string(),
        sha256,
    };
    // Projects are read and stored as the file is parsed; the other kinds once it is read.
    let book = if kind == ImportKind::Projects {
        Book::default()
    } else {
        match parse_book(parser, bytes).await {
            Ok(b) => b,
            Err(message) => {
                report.errors.push(file_problem(message));
                return Ok(report);
            }
        }
    };
    let (outcome, tables) = match kind {
        ImportKind::Projects => {
            // Three at once: the child parses, a thread reads and checks the rows, this task
            // stores them.
            let (to_store, rows) = tokio::sync::mpsc::channel(4);
            let reading = read_project_pieces(
                parse_pieces(parser, bytes),
                vocab.clone(),
                remembered.clone(),
                today,
                to_store,
            );
            let started = std::time::Instant::now();
            let import = store_projects(store, viewer, actor, &file, today, rows).await?;
            tracing::debug!(ms = started.elapsed().as_millis(), "import: rows written");
            let read = match reading.await {
                Ok(Ok(read)) => read,
                Ok(Err(message)) => {
                    report.errors.push(file_problem(message));
                    return Ok(report);
                }
                Err(e) => {
                    report
                        .errors
                        .push(file_problem(format!("读取工作簿时出错：{e}")));
                    return Ok(report);
                }
            };
            if !report.take(&read) {
                // The import is dropped unfinished: nothing is stored.
                return Ok(report);
            }
            let import = match import {
                Some(import) => import,
                // A table without rows: recorded as an import all the same.
                None => {
                    store
                        .begin_project_import(viewer, actor, &file, today, 0)
                        .await?
                }
            };
            let out = import.finish(dry_run).await?;
            tracing::debug!(ms = started.elapsed().as_millis(), "import: finished");
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
