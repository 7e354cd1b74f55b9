//! `hezuo import` and `hezuo export`: workbooks in and out from the command line, through the
//! same code as the web pages. The CLI acts as the system account (the whole city).

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use hezuo_domain::{Role, Viewer};
use hezuo_store::project::ProjectFilter;
use hezuo_store::{Actor, Store};
use hezuo_web::import::{ImportKind, PARSE_MEMORY_BYTES, Parser};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// What an import reads: the file and how to run it.
#[derive(Args)]
pub struct ImportArgs {
    file: PathBuf,
    /// Check everything, store nothing
    #[arg(long)]
    dry_run: bool,
    /// Print {"inserted":N,"updated":N,"errors":[{"sheet","row","column","value","message"}]}
    #[arg(long)]
    json: bool,
}

/// All or nothing: one bad row stores nothing. Exit 0 when stored (or a dry run found no
/// problem), 1 when any problem was found.
#[derive(Subcommand)]
pub enum ImportCommand {
    /// Projects (项目库) from .xlsx, .xls or .csv; re-importing updates, never duplicates.
    Projects(ImportArgs),
    /// Annual plans (年度投资计划) of projects already stored; the year may be in the title.
    Plans(ImportArgs),
    /// Monthly progress (月度进展) of projects already stored; the month may be in the title,
    /// a year-to-date column (1-N月累计) files the month's share.
    Progress(ImportArgs),
    /// Key items (重点事项) of a plan or list; the plan may be in the title and is created
    /// when new; the same title in the same plan updates the item.
    KeyItems(ImportArgs),
    /// 对口工作 indicators (target and actual by programme); year and month may be in the title.
    Assistance(ImportArgs),
    /// 亩均 enterprise data (by 统一社会信用代码) and the year's figures; columns the file lacks
    /// keep what is stored, so the tax and statistics bureaus' files can be imported in turn.
    Enterprises(ImportArgs),
}

#[derive(Subcommand)]
pub enum ExportCommand {
    /// The project list (all pages) as .xlsx, with the list page's filters.
    Projects {
        file: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
    },
}

/// The list page's filters.
#[derive(Args, Default)]
pub struct FilterArgs {
    /// Stage code (signed, started …)
    #[arg(long)]
    stage: Option<String>,
    /// District code (330502 …)
    #[arg(long)]
    district: Option<String>,
    /// Platform id
    #[arg(long)]
    platform: Option<i64>,
    /// Minimum tier in 亿元 (≥)
    #[arg(long)]
    tier: Option<i64>,
    #[arg(long)]
    industry: Option<i64>,
    #[arg(long)]
    chain: Option<i64>,
    /// List id (with --year, that year's list)
    #[arg(long)]
    list: Option<i64>,
    #[arg(long)]
    year: Option<i64>,
    #[arg(long)]
    leader: Option<i64>,
    /// Origin code (shanghai, jiangsu …)
    #[arg(long)]
    origin: Option<String>,
    #[arg(long)]
    flag: Option<String>,
    #[arg(long)]
    kind: Option<String>,
    /// Keyword in the name, investor or project code
    #[arg(long)]
    q: Option<String>,
    /// name, investment, stage, stage_date, signed_on, district, updated
    #[arg(long)]
    sort: Option<String>,
    /// asc or desc
    #[arg(long)]
    dir: Option<String>,
}

impl FilterArgs {
    fn filter(self) -> ProjectFilter {
        ProjectFilter {
            stage: self.stage,
            district: self.district,
            platform: self.platform,
            tier: self.tier,
            industry: self.industry,
            chain: self.chain,
            list: self.list,
            year: self.year,
            leader: self.leader,
            origin: self.origin,
            flag: self.flag,
            kind: self.kind,
            q: self.q,
            sort: self.sort,
            dir: self.dir,
            ..ProjectFilter::default()
        }
    }
}

/// The command line acts for the whole city.
pub fn system_viewer() -> Viewer {
    Viewer {
        user_id: 0,
        role: Role::Admin,
        area: None,
        unit_id: None,
        leader_id: None,
    }
}

/// Runs an import; returns whether it succeeded (false: problems found, nothing stored).
pub async fn import(store: &Store, command: ImportCommand) -> anyhow::Result<bool> {
    let (
        kind,
        ImportArgs {
            file,
            dry_run,
            json,
        },
    ) = match command {
        ImportCommand::Projects(a) => (ImportKind::Projects, a),
        ImportCommand::Plans(a) => (ImportKind::Plans, a),
        ImportCommand::Progress(a) => (ImportKind::Progress, a),
        ImportCommand::KeyItems(a) => (ImportKind::KeyItems, a),
        ImportCommand::Assistance(a) => (ImportKind::Assistance, a),
        ImportCommand::Enterprises(a) => (ImportKind::Enterprises, a),
    };
    let bytes = std::fs::read(&file).with_context(|| format!("无法读取 {}", file.display()))?;
    let name = file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let today = hezuo_web::export::beijing_today();
    let exe = std::env::current_exe().context("找不到 hezuo 程序自身的路径")?;
    let report = hezuo_web::import::import_workbook(
        store,
        &system_viewer(),
        &Actor::system("cli import"),
        &Parser::Isolated(exe),
        kind,
        &name,
        &bytes,
        dry_run,
        today,
    )
    .await?;
    if json {
        println!(
            "{}",
            serde_json::json!({
                "inserted": report.inserted,
                "updated": report.updated,
                "errors": report.errors,
                "rows": report.rows,
                "dry_run": report.dry_run,
                "sha256": report.sha256,
            })
        );
    } else if report.errors.is_empty() {
        let verb = if dry_run {
            "试导入通过（未保存）"
        } else {
            "已导入"
        };
        println!(
            "{verb}：{name} 共 {} 行，新增 {} {what}，更新 {} {what}。",
            report.rows,
            report.inserted,
            report.updated,
            what = kind.counted()
        );
    } else {
        eprintln!(
            "发现 {} 个问题，未导入任何数据（{name}）：",
            report.errors.len()
        );
        for e in &report.errors {
            let at = match (e.sheet.is_empty(), e.row) {
                (true, _) => String::new(),
                (false, 0) => format!("工作表“{}”", e.sheet),
                (false, r) => format!("工作表“{}”第 {r} 行", e.sheet),
            };
            let column = match e.column.as_str() {
                "" => String::new(),
                c if c.starts_with('（') => format!(" {c}"),
                c => format!(" {c} 列"),
            };
            let value = if e.value.is_empty() {
                String::new()
            } else {
                format!("“{}”", e.value)
            };
            eprintln!("  {at}{column} {value}：{}", e.message);
        }
    }
    Ok(report.errors.is_empty())
}

pub async fn export(store: &Store, command: ExportCommand) -> anyhow::Result<()> {
    let ExportCommand::Projects { file, filter } = command;
    if file.extension().and_then(|e| e.to_str()) != Some("xlsx") {
        bail!("导出文件名应以 .xlsx 结尾：{}", file.display());
    }
    let filter = filter.filter();
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M");
    let scope = format!("范围：全市{}；导出时间：{now}", describe(&filter));
    let n = hezuo_web::export::export_projects(
        store,
        &system_viewer(),
        &filter,
        "招商引资项目清单",
        &scope,
        Path::new(&file),
    )
    .await?;
    println!("已导出 {n} 个项目：{}", file.display());
    Ok(())
}

/// The filters in words, for the title block.
fn describe(f: &ProjectFilter) -> String {
    let mut parts = Vec::new();
    let mut add = |label: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{label}={v}"));
        }
    };
    add("阶段", f.stage.clone());
    add("区县", f.district.clone());
    add("平台", f.platform.map(|v| v.to_string()));
    add("亿元以上", f.tier.map(|v| v.to_string()));
    add("产业", f.industry.map(|v| v.to_string()));
    add("产业链", f.chain.map(|v| v.to_string()));
    add("清单", f.list.map(|v| v.to_string()));
    add("年度", f.year.map(|v| v.to_string()));
    add("联系领导", f.leader.map(|v| v.to_string()));
    add("来源地", f.origin.clone());
    add("标签", f.flag.clone());
    add("类型", f.kind.clone());
    add("关键词", f.q.clone());
    if parts.is_empty() {
        String::new()
    } else {
        format!("；筛选：{}", parts.join("，"))
    }
}

/// `hezuo parse-workbook`: the child a parse runs in. It caps its own memory and CPU time
/// first, so a hostile file ends this process (the parent reports why) and nothing else.
/// Exit 0 with the book's frames on stdout (`hezuo_office::book::Piece::write_frame`), ending
/// with the book's end; 3 with the reason on stderr.
pub fn parse_workbook() -> std::process::ExitCode {
    use rlimit::Resource;
    let limits = [
        Resource::DATA.set(PARSE_MEMORY_BYTES, PARSE_MEMORY_BYTES),
        Resource::CPU.set(60, 60),
    ];
    // A parser's panic is reported as the file's problem (read_book catches it); its message
    // must not reach the user's screen through stderr.
    std::panic::set_hook(Box::new(|_| {}));
    if limits.iter().any(Result::is_err) {
        eprintln!("无法设置解析进程的资源上限");
        return std::process::ExitCode::from(4);
    }
    let mut bytes = Vec::new();
    let limit = hezuo_office::book::MAX_FILE_BYTES as u64 + 1;
    if let Err(e) = std::io::stdin().take(limit).read_to_end(&mut bytes) {
        eprintln!("无法读取文件：{e}");
        return std::process::ExitCode::from(3);
    }
    // Frames go out as the rows are read, so the server checks and stores the first rows
    // while the rest are still being parsed.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut frames = hezuo_office::book::PieceSink::new(|piece: hezuo_office::book::Piece| {
        piece
            .write_frame(&mut out)
            .map_err(|e| hezuo_office::book::BookError::Corrupt(format!("无法传出解析结果：{e}")))
    });
    let read = hezuo_office::book::read_book_into(&bytes, &mut frames).and_then(|()| frames.done());
    match read.and_then(|()| {
        out.flush()
            .map_err(|e| hezuo_office::book::BookError::Corrupt(e.to_string()))
    }) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            std::process::ExitCode::from(3)
        }
    }
}
