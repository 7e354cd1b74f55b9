//! `hezuo`: the one binary. Serves the platform, loads the demo city, migrates, and manages
//! accounts and API tokens. Errors go to stderr in plain words with a non-zero exit.

mod backup;
mod bench_data;
mod config;
mod files;
mod mujun;
mod report;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use config::Settings;
use hezuo_store::auth::UserInput;
use hezuo_store::{Actor, Store};
use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "hezuo",
    version,
    about = "hezuo 合作：区域合作办的项目库与合作管理平台"
)]
struct Cli {
    /// Database URL: sqlite://PATH or postgres://… (default sqlite://hezuo-data/hezuo.db)
    #[arg(long, global = true, env = "HEZUO_DATABASE__URL")]
    db: Option<String>,
    /// Settings file (default ./hezuo.toml when present)
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Delete audit rows older than the retention (at least 180 days; the database refuses
    /// younger rows whatever is asked).
    Purge {
        /// Default: `[security] audit_retention_days`.
        #[arg(long)]
        older_than_days: Option<i64>,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and API.
    Serve {
        #[arg(long)]
        bind: Option<String>,
    },
    /// Load the demo city (once) and serve it.
    Demo {
        #[arg(long)]
        bind: Option<String>,
        /// Load the demo city and exit.
        #[arg(long)]
        no_serve: bool,
    },
    /// Apply database migrations.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Import a workbook (.xlsx, .xls or .csv): checked first, stored all or nothing.
    Import {
        #[command(subcommand)]
        what: files::ImportCommand,
    },
    /// Write a document from the data (the monthly bulletin as .docx).
    Report {
        #[command(subcommand)]
        what: report::ReportCommand,
    },
    /// The audit log (等保三级).
    Audit {
        #[command(subcommand)]
        what: AuditCommand,
    },
    /// 亩均效益评价: score a year's enterprises.
    Mujun {
        #[command(subcommand)]
        what: mujun::MujunCommand,
    },
    /// Export a list as .xlsx.
    Export {
        #[command(subcommand)]
        what: files::ExportCommand,
    },
    /// Back up the database into a new file and check it: SQLite is copied online (VACUUM INTO)
    /// while the server keeps running, PostgreSQL is dumped with pg_dump. Writes
    /// PATH.manifest.json beside it (time, schema version, rows per table, SHA-256).
    Backup {
        /// The backup file to create; an existing file is never overwritten
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup made by `hezuo backup`, after checking it against its manifest.
    /// SQLite: stop the server (hezuo serve) first — the database file is replaced.
    /// PostgreSQL: restores with pg_restore into the existing database named by --db.
    Restore {
        /// The backup file (its PATH.manifest.json must sit beside it)
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that already holds data
        #[arg(long)]
        force: bool,
    },
    /// Print the API's OpenAPI document (JSON).
    Openapi,
    /// Internal: parse a workbook from standard input under memory and CPU limits and write it
    /// to standard output (the server and `hezuo import` run this as a child process).
    #[command(hide = true)]
    ParseWorkbook,
    /// Fill an empty database with a synthetic city at scale, for the benchmark in bench/.
    BenchData {
        /// Projects to generate (100000 for the benchmark)
        #[arg(long)]
        projects: i64,
        /// Months of reports from January 2023 (24 = 2023-01 … 2024-12)
        #[arg(long, default_value_t = 24)]
        months: u32,
        /// Random seed: the same seed gives the same data on either engine
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Print settings.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Add {
        name: String,
        /// admin, office, area, unit or leader (or 管理员/合作办/区县/平台/责任单位/领导)
        #[arg(long)]
        role: String,
        /// District code (330502) or platform code, for the area role
        #[arg(long)]
        area: Option<String>,
        /// Unit code, for the unit role
        #[arg(long)]
        unit: Option<String>,
        /// Leader name, for the leader role
        #[arg(long)]
        leader: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Set a new password (read from standard input); ends the user's sessions.
    Passwd { name: String },
    /// Disable an account; ends its sessions and revokes its tokens.
    Disable { name: String },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user; the token is printed on the last line.
    Create {
        name: String,
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print a commented example hezuo.toml.
    Default,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // An import or export streams 100k rows through one statement, which sqlx would report
    // as slow; on the command line that warning is noise.
    let default_log = match cli.command {
        Command::Import { .. } | Command::Export { .. } | Command::Report { .. } => {
            "warn,hezuo=info,sqlx::query=error"
        }
        // Restore migrates a scratch database to learn the schema version it knows.
        Command::Backup { .. } | Command::Restore { .. } => "warn,hezuo=info,hezuo_store=warn",
        _ => "warn,hezuo=info",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HEZUO_LOG")
                .unwrap_or_else(|_| default_log.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if matches!(cli.command, Command::ParseWorkbook) {
        return files::parse_workbook();
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("无法从标准输入读取密码")?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("标准输入没有提供密码");
    }
    Ok(password)
}

async fn open(url: &str, pool: u32) -> anyhow::Result<Store> {
    Store::connect_with(url, Some(pool))
        .await
        .with_context(|| format!("无法打开数据库 {url}"))
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load(cli.config.as_deref())?;
    let db = cli
        .db
        .clone()
        .unwrap_or_else(|| settings.database.url.clone());
    let pool = settings.database.pool;
    match cli.command {
        Command::Serve { bind } => {
            let store = open(&db, pool).await?;
            serve(
                store,
                &settings,
                bind.as_deref().unwrap_or(&settings.server.bind),
                None,
            )
            .await
        }
        Command::Demo { bind, no_serve } => {
            let store = open(&db, pool).await?;
            let summary = hezuo_store::demo::load_demo(&store)
                .await
                .context("载入演示数据失败")?;
            if summary.created {
                println!("已载入演示城市：{} 个项目。", summary.projects);
            } else {
                println!(
                    "演示数据已存在（{} 个项目），未重复载入。",
                    summary.projects
                );
            }
            let logins: Vec<String> = summary
                .users
                .iter()
                .map(|(u, p, role)| format!("  {role:<8} 用户名 {u:<12} 密码 {p}"))
                .collect();
            if no_serve {
                println!("演示账号：\n{}", logins.join("\n"));
                return Ok(());
            }
            serve(
                store,
                &settings,
                bind.as_deref().unwrap_or(&settings.server.bind),
                Some(logins),
            )
            .await
        }
        Command::Migrate => {
            open(&db, pool).await?;
            println!("数据库已是最新结构：{db}");
            Ok(())
        }
        Command::User { command } => {
            let store = open(&db, pool)
                .await?
                .with_password_profile(settings.password_profile()?);
            user(store, command).await
        }
        Command::Token {
            command: TokenCommand::Create { name, label },
        } => {
            let store = open(&db, pool).await?;
            let token = store
                .create_token(&Actor::system("cli"), &name, &label)
                .await
                .map_err(|e| user_error(&name, e))?;
            println!("已为 {name} 创建接口令牌（只显示这一次，请妥善保存）：");
            println!("{token}");
            Ok(())
        }
        Command::BenchData {
            projects,
            months,
            seed,
        } => {
            let options = bench_data::Options {
                projects,
                months,
                seed,
            };
            bench_data::run(&open(&db, pool).await?, options).await
        }
        Command::Import { what } => {
            if files::import(&open(&db, pool).await?, what).await? {
                Ok(())
            } else {
                // The problems are printed; exit 1 without a further message.
                std::process::exit(1)
            }
        }
        Command::Export { what } => files::export(&open(&db, pool).await?, what).await,
        Command::Mujun { what } => mujun::run(&open(&db, pool).await?, what).await,
        Command::Audit {
            what: AuditCommand::Purge { older_than_days },
        } => {
            let days = older_than_days.unwrap_or(settings.security.audit_retention_days);
            let store = open(&db, pool).await?;
            let gone = store
                .purge_audit(
                    &files::system_viewer(),
                    &hezuo_store::Actor::system("audit purge"),
                    days,
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("已删除{days}天以前的审计记录 {gone} 条（本次清理已记入审计日志）");
            Ok(())
        }
        Command::Report { what } => {
            report::run(
                &open(&db, pool).await?,
                what,
                &settings.tier_config()?,
                &settings.office.city_name,
            )
            .await
        }
        Command::Backup { out } => backup::backup(&db, &out).await,
        Command::Restore { from, force } => backup::restore(&db, &from, force).await,
        Command::ParseWorkbook => unreachable!("handled before the runtime starts"),
        Command::Openapi => {
            use hezuo_web::utoipa::OpenApi;
            println!("{}", hezuo_web::ApiDoc::openapi().to_pretty_json()?);
            Ok(())
        }
        Command::Config {
            command: ConfigCommand::Default,
        } => {
            print!("{}", config::EXAMPLE);
            Ok(())
        }
    }
}

/// A store error about the named account, in plain words.
fn user_error(name: &str, e: hezuo_store::StoreError) -> anyhow::Error {
    match e {
        hezuo_store::StoreError::NotFound => anyhow::anyhow!("用户“{name}”不存在"),
        e => e.into(),
    }
}

async fn user(store: Store, command: UserCommand) -> anyhow::Result<()> {
    let actor = Actor::system("cli");
    match command {
        UserCommand::Add {
            name,
            role,
            area,
            unit,
            leader,
            display_name,
            password_stdin: _,
        } => {
            use hezuo_store::dict::DictKind;
            let unit_id = match unit {
                Some(code) => Some(
                    store
                        .dict_list(DictKind::Unit)
                        .await?
                        .into_iter()
                        .find(|u| u.value(DictKind::Unit, "code") == code || u.name == code)
                        .with_context(|| format!("找不到单位“{code}”"))?
                        .id,
                ),
                None => None,
            };
            let leader_id = match leader {
                Some(name) => Some(
                    store
                        .dict_find(DictKind::Leader, &name)
                        .await?
                        .with_context(|| format!("找不到领导“{name}”"))?
                        .id,
                ),
                None => None,
            };
            let password = read_password()?;
            let input = UserInput {
                username: name.clone(),
                display_name: display_name.unwrap_or_default(),
                role,
                area: area.unwrap_or_default(),
                unit_id,
                leader_id,
            };
            let user = store.create_user(&actor, &input, &password).await?;
            println!(
                "已创建用户 {}（{}）",
                user.username,
                user.role().map_or("", |r| r.label())
            );
        }
        UserCommand::Passwd { name } => {
            let password = read_password()?;
            store
                .set_password(&actor, &name, &password)
                .await
                .map_err(|e| user_error(&name, e))?;
            println!("已修改 {name} 的密码，其登录会话均已失效");
        }
        UserCommand::Disable { name } => {
            store
                .set_disabled(&actor, &name, true)
                .await
                .map_err(|e| user_error(&name, e))?;
            println!("已停用 {name}");
        }
    }
    Ok(())
}

async fn serve(
    store: Store,
    settings: &Settings,
    bind: &str,
    logins: Option<Vec<String>>,
) -> anyhow::Result<()> {
    let store = store
        .with_session_policy(settings.session_policy()?)
        .with_password_profile(settings.password_profile()?);
    let addr: SocketAddr = bind
        .parse()
        .with_context(|| format!("监听地址“{bind}”无效，应形如 127.0.0.1:8080"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("无法监听 {addr}"))?;
    let local = listener.local_addr()?;
    let web = hezuo_web::WebConfig {
        city_name: settings.office.city_name.clone(),
        tiers: settings.tier_config()?,
        secure_cookies: settings.server.secure_cookies,
        // Uploaded workbooks are parsed in a child process of this same binary.
        parser: hezuo_web::import::Parser::Isolated(
            std::env::current_exe().context("找不到 hezuo 程序自身的路径")?,
        ),
    };
    let app = hezuo_web::app(store.clone(), web);
    println!("hezuo 已启动：http://{local}/");
    if let Some(logins) = logins {
        println!("演示账号：\n{}", logins.join("\n"));
    }
    axum_serve(listener, app).await?;
    store.close().await;
    Ok(())
}

async fn axum_serve(
    listener: tokio::net::TcpListener,
    app: axum_router::Router,
) -> anyhow::Result<()> {
    axum_router::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("服务异常退出")
}

use hezuo_web::axum as axum_router;
