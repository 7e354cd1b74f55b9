//! `hezuo report …`: documents written from the data (the monthly bulletin).

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use hezuo_domain::TierConfig;
use hezuo_store::Store;
use hezuo_store::dict::DictKind;
use hezuo_store::project::ProjectFilter;
use hezuo_store::stats::Period;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The monthly bulletin (工作简报) as .docx, for the whole city or one district, platform
    /// or list.
    Bulletin {
        /// The month reported to, YYYY-MM (figures run from January of that year)
        #[arg(long)]
        period: String,
        #[command(flatten)]
        scope: ScopeArgs,
    },
    /// The data part of the year-end summary (年度工作总结) as .docx: the bulletin's sections
    /// for the whole year.
    Summary {
        /// The year
        #[arg(long)]
        year: i32,
        #[command(flatten)]
        scope: ScopeArgs,
    },
}

/// What a document covers (default the whole city) and where it goes.
#[derive(Args)]
pub struct ScopeArgs {
    /// A district, by code (330502) or name (吴兴区)
    #[arg(long)]
    district: Option<String>,
    /// A platform, by id or name
    #[arg(long)]
    platform: Option<String>,
    /// A list, by id or name (the period's year of it)
    #[arg(long)]
    list: Option<String>,
    /// The .docx to write
    #[arg(long)]
    out: PathBuf,
}

/// A dictionary entry named by id, code or name.
async fn find(store: &Store, kind: DictKind, text: &str, what: &str) -> anyhow::Result<String> {
    let items = store.dict_list(kind).await?;
    let column = if kind == DictKind::District {
        "code"
    } else {
        ""
    };
    items
        .iter()
        .find(|i| {
            i.id.to_string() == text
                || i.name == text
                || (!column.is_empty() && i.value(kind, column) == text)
        })
        .map(|i| {
            if column.is_empty() {
                i.id.to_string()
            } else {
                i.value(kind, column).to_string()
            }
        })
        .with_context(|| format!("找不到{what}“{text}”"))
}

pub async fn run(
    store: &Store,
    command: ReportCommand,
    tiers: &TierConfig,
    city: &str,
) -> anyhow::Result<()> {
    use hezuo_web::bulletin::Kind;
    let (kind, period, scope) = match command {
        ReportCommand::Bulletin { period, scope } => (
            Kind::Bulletin,
            Period::parse(&period).map_err(|e| anyhow::anyhow!("{e}"))?,
            scope,
        ),
        ReportCommand::Summary { year, scope } => (
            Kind::YearSummary,
            Period::new(year, Some(12)).map_err(|e| anyhow::anyhow!("{e}"))?,
            scope,
        ),
    };
    let ScopeArgs {
        district,
        platform,
        list,
        out,
    } = scope;
    if out.extension().and_then(|e| e.to_str()) != Some("docx") {
        bail!("输出文件名应以 .docx 结尾：{}", out.display());
    }
    let mut filter = ProjectFilter::default();
    if let Some(d) = district {
        filter.district = Some(find(store, DictKind::District, &d, "区县").await?);
    }
    if let Some(p) = platform {
        filter.platform = Some(find(store, DictKind::Platform, &p, "平台").await?.parse()?);
    }
    if let Some(l) = list {
        filter.list = Some(find(store, DictKind::List, &l, "清单").await?.parse()?);
    }
    let viewer = crate::files::system_viewer();
    let today = hezuo_web::export::beijing_today();
    let request = hezuo_web::bulletin::Request {
        store,
        viewer: &viewer,
        filter,
        period,
        tiers,
        city,
        today,
        kind,
    };
    let bytes = hezuo_web::bulletin::write(&request).await?;
    std::fs::write(&out, bytes).with_context(|| format!("无法写入 {}", out.display()))?;
    match kind {
        Kind::Bulletin => println!(
            "已生成工作简报（{}年1—{}月）：{}",
            period.year,
            period.month,
            out.display()
        ),
        Kind::YearSummary => println!(
            "已生成{}年度工作总结（数据部分）：{}",
            period.year,
            out.display()
        ),
    }
    Ok(())
}
