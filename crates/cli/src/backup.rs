//! `hezuo backup` and `hezuo restore`.
//!
//! A backup is one file plus `PATH.manifest.json`: when it was made, the engine, the schema
//! version (the migrations applied), every table's row count and the file's SHA-256. SQLite is
//! copied online with `VACUUM INTO` while the server keeps writing; PostgreSQL is dumped with
//! `pg_dump --format=custom` from an exported snapshot. Either way the backup is opened and
//! checked before it is kept: SQLite's integrity check on the copy, `pg_restore --list` on a
//! dump, and the row counts of every table against the source as of the copy (see
//! `hezuo_store::backup` for how "as of the copy" is made exact). Both files are written under
//! temporary names in the target folder and only linked into place once everything checked, so
//! a failure leaves nothing half-written behind, and an existing file is never overwritten.
//!
//! A restore checks the backup against its manifest first (SHA-256, integrity, row counts),
//! refuses a backup from a newer schema than this binary knows, refuses a target that holds
//! data unless `--force`, and checks the restored database's row counts and schema version
//! against the manifest afterwards.

use anyhow::{Context, bail};
use hezuo_store::backup::{self as inspect, Contents, RowCounts};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

const MANIFEST_FORMAT: u32 = 1;
/// SQLite copies tried before settling for the copy's own counts (see `hezuo_store::backup`).
const SQLITE_ATTEMPTS: u32 = 3;
/// A folder holding `pg_dump` and `pg_restore`, when they are not the ones on `PATH`.
const PG_BIN_ENV: &str = "HEZUO_PG_BIN";

/// `PATH.manifest.json`, beside the backup.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// `sqlite` or `postgres`.
    pub engine: String,
    /// The database backed up (without its password).
    pub source: String,
    /// The backup's file name (the manifest sits beside it).
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    /// The newest migration applied, and all of them.
    pub schema_version: i64,
    pub migrations: Vec<i64>,
    pub tables: RowCounts,
    pub total_rows: i64,
    /// True when the counts were compared with the source's as of the copy; false when an
    /// SQLite server kept writing through every attempt and the counts are the copy's own.
    pub counts_match_source: bool,
    pub hezuo_version: String,
}

impl Manifest {
    fn contents(&self) -> Contents {
        Contents {
            tables: self.tables.clone(),
            migrations: self.migrations.clone(),
        }
    }
}

pub fn manifest_path(backup: &Path) -> PathBuf {
    let mut p = backup.as_os_str().to_owned();
    p.push(".manifest.json");
    PathBuf::from(p)
}

enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Target {
    fn parse(url: &str) -> anyhow::Result<Target> {
        if let Some(rest) = url.strip_prefix("sqlite://") {
            let path = rest.split('?').next().unwrap_or(rest);
            if path.is_empty() || path == ":memory:" {
                bail!("“{url}”不是数据库文件，无法备份或恢复");
            }
            Ok(Target::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Target::Postgres(url.to_string()))
        } else {
            bail!("不支持的数据库地址“{url}”：应以 sqlite:// 或 postgres:// 开头")
        }
    }

    fn engine(&self) -> &'static str {
        match self {
            Target::Sqlite(_) => "sqlite",
            Target::Postgres(_) => "postgres",
        }
    }
}

fn engine_label(engine: &str) -> &str {
    match engine {
        "sqlite" => "SQLite",
        "postgres" => "PostgreSQL",
        other => other,
    }
}

// ---- files ----------------------------------------------------------------------------------

/// Temporary files removed when dropped, whether the command succeeded or not.
struct Scratch(Vec<PathBuf>);

impl Drop for Scratch {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// `.NAME.SUFFIX-PID` in the same folder as `path`, so a rename into place stays on one disk.
fn temp_beside(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "hezuo".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{suffix}-{}", std::process::id()))
}

/// A backup holds password hashes and every record: readable by its owner only.
fn restrict(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()
}

/// Makes a rename or link in `dir` durable (a no-op where folders cannot be opened).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Puts the finished `tmp` at `dest` without ever replacing a file that appeared meanwhile: a
/// hard link fails if `dest` exists; where links are not supported, a checked rename.
fn publish(tmp: &Path, dest: &Path) -> anyhow::Result<()> {
    match std::fs::hard_link(tmp, dest) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!("{} 已存在，不会覆盖", dest.display())
        }
        Err(_) if !dest.exists() => {
            std::fs::rename(tmp, dest).with_context(|| format!("无法写入 {}", dest.display()))
        }
        Err(e) => Err(e).with_context(|| format!("无法写入 {}", dest.display())),
    }
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} 字节");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

// ---- PostgreSQL client tools ------------------------------------------------------------------

/// A libpq connection URL with its password taken out (to pass as `PGPASSWORD`, so it never
/// shows in the process list), and the same URL for people to read.
struct PgUrl {
    dsn: String,
    password: Option<String>,
}

impl PgUrl {
    fn parse(url: &str) -> PgUrl {
        let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
            return PgUrl {
                dsn: url.to_string(),
                password: None,
            };
        };
        let rest = &url[scheme_end..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        if let Some(at) = authority.rfind('@') {
            let userinfo = &authority[..at];
            if let Some((user, password)) = userinfo.split_once(':') {
                return PgUrl {
                    dsn: format!(
                        "{}{user}@{}{}",
                        &url[..scheme_end],
                        &authority[at + 1..],
                        &rest[authority_end..]
                    ),
                    password: Some(percent_decode(password)),
                };
            }
        }
        PgUrl {
            dsn: url.to_string(),
            password: None,
        }
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(hex) = std::str::from_utf8(hex)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL with any password hidden, for messages and the manifest.
fn redact(url: &str) -> String {
    match PgUrl::parse(url) {
        PgUrl {
            dsn,
            password: Some(_),
        } => dsn,
        _ => url.to_string(),
    }
}

fn pg_tool(name: &str, url: Option<&PgUrl>) -> tokio::process::Command {
    let program = match std::env::var_os(PG_BIN_ENV) {
        Some(dir) if !dir.is_empty() => Path::new(&dir).join(name),
        _ => PathBuf::from(name),
    };
    let mut cmd = tokio::process::Command::new(program);
    cmd.stdin(Stdio::null()).kill_on_drop(true);
    if let Some(PgUrl {
        password: Some(p), ..
    }) = url
    {
        cmd.env("PGPASSWORD", p);
    }
    cmd
}

fn tool_missing(name: &str, e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        anyhow::anyhow!(
            "找不到 PostgreSQL 客户端程序 {name}：请安装与数据库服务器同一主版本或更新的 \
             postgresql-client（Debian：apt-get install postgresql-client），\
             或用环境变量 {PG_BIN_ENV} 指定它所在的目录"
        )
    } else {
        anyhow::anyhow!("无法运行 {name}：{e}")
    }
}

/// Runs a client tool to its end; a non-zero exit is an error carrying what it printed.
async fn run_tool(name: &str, mut cmd: tokio::process::Command) -> anyhow::Result<Vec<u8>> {
    let out = cmd.output().await.map_err(|e| tool_missing(name, e))?;
    if !out.status.success() {
        bail!(
            "{name} 失败（{}）：{}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

/// The tables, rows and migrations inside a custom-format dump, read from the data section
/// `pg_restore --data-only` writes as a script: each table's `COPY … FROM stdin;` block holds
/// one line per row (COPY's text format escapes newlines inside values) up to `\.`.
async fn dump_contents(file: &Path) -> anyhow::Result<Contents> {
    let mut cmd = pg_tool("pg_restore", None);
    cmd.arg("--data-only")
        .arg("--file=-")
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|e| tool_missing("pg_restore", e))?;
    let mut stderr = child.stderr.take().context("pg_restore 没有错误输出管道")?;
    let errors = tokio::spawn(async move {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text).await;
        text
    });
    let mut reader = BufReader::new(child.stdout.take().context("pg_restore 没有输出管道")?);
    let mut parser = DumpData::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            break;
        }
        parser.line(&line)?;
    }
    let status = child.wait().await?;
    let errors = errors.await.unwrap_or_default();
    if !status.success() {
        bail!(
            "pg_restore 无法读出备份的数据（{status}）：{}",
            errors.trim()
        );
    }
    parser.finish()
}

/// Counts the rows of the `COPY` blocks in a data-only restore script.
#[derive(Default)]
struct DumpData {
    tables: RowCounts,
    migrations: Vec<i64>,
    /// The table being read, and whether it is `schema_migrations`.
    current: Option<(String, bool)>,
}

impl DumpData {
    fn line(&mut self, raw: &[u8]) -> anyhow::Result<()> {
        let line = raw.strip_suffix(b"\n").unwrap_or(raw);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match &self.current {
            Some((name, migrations)) => {
                if line == b"\\." {
                    self.current = None;
                    return Ok(());
                }
                *self
                    .tables
                    .get_mut(name)
                    .expect("counted from its COPY line") += 1;
                if *migrations {
                    let first = line.split(|&b| b == b'\t').next().unwrap_or_default();
                    let version = std::str::from_utf8(first)
                        .ok()
                        .and_then(|v| v.parse().ok())
                        .with_context(|| {
                            format!(
                                "备份中的迁移记录无法识别：{}",
                                String::from_utf8_lossy(line)
                            )
                        })?;
                    self.migrations.push(version);
                }
            }
            None => {
                if let Some(rest) = line.strip_prefix(b"COPY ")
                    && line.ends_with(b" FROM stdin;")
                {
                    let (schema, table) = copy_target(&String::from_utf8_lossy(rest))
                        .with_context(|| {
                            format!("备份中的数据段无法识别：{}", String::from_utf8_lossy(line))
                        })?;
                    let key = inspect::table_key(&schema, &table);
                    self.tables.insert(key.clone(), 0);
                    self.current = Some((key, table == "schema_migrations"));
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> anyhow::Result<Contents> {
        if let Some((name, _)) = self.current {
            bail!("备份中表 {name} 的数据不完整");
        }
        self.migrations.sort_unstable();
        Ok(Contents {
            tables: self.tables,
            migrations: self.migrations,
        })
    }
}

/// `public."Odd name" (a, b) FROM stdin;` → ("public", "Odd name").
fn copy_target(text: &str) -> Option<(String, String)> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                parts.last_mut()?.push('"');
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(String::new()),
            ' ' if !quoted => break,
            c => parts.last_mut()?.push(c),
        }
    }
    match parts.as_slice() {
        [table] => Some(("public".into(), table.clone())),
        [schema, table] => Some((schema.clone(), table.clone())),
        _ => None,
    }
}

// ---- backup -----------------------------------------------------------------------------------

/// What a finished copy holds and how it was checked.
struct Copied {
    contents: Contents,
    counts_match_source: bool,
    /// How the file itself was checked, for the summary.
    check: &'static str,
}

pub async fn backup(url: &str, out: &Path) -> anyhow::Result<()> {
    let target = Target::parse(url)?;
    let out =
        std::path::absolute(out).with_context(|| format!("备份路径无效：{}", out.display()))?;
    let manifest_file = manifest_path(&out);
    if exists(&out) {
        bail!(
            "备份文件已存在：{}。备份不会覆盖已有文件，请换一个文件名（例如带上日期）",
            out.display()
        );
    }
    if exists(&manifest_file) {
        bail!(
            "备份清单已存在：{}。备份不会覆盖已有文件，请换一个文件名",
            manifest_file.display()
        );
    }
    let dir = out.parent().context("备份路径没有所在目录")?.to_path_buf();
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let tmp = temp_beside(&out, "tmp");
    let tmp_manifest = temp_beside(&manifest_file, "tmp");
    let _scratch = Scratch(vec![tmp.clone(), tmp_manifest.clone()]);

    let copied = match &target {
        Target::Sqlite(path) => {
            let copy = inspect::sqlite_copy(path, &tmp, SQLITE_ATTEMPTS)
                .await
                .with_context(|| format!("备份 {} 失败", path.display()))?;
            Copied {
                contents: copy.contents,
                counts_match_source: copy.matched_source,
                check: "完整性检查（PRAGMA integrity_check）通过",
            }
        }
        Target::Postgres(url) => pg_backup(url, &tmp).await?,
    };
    if copied.contents.migrations.is_empty() {
        bail!("源库没有迁移记录（schema_migrations）：它不是 hezuo 的数据库，未生成备份");
    }

    restrict(&tmp).with_context(|| format!("无法设置 {} 的权限", tmp.display()))?;
    sync_file(&tmp).with_context(|| format!("无法写入 {}", tmp.display()))?;
    let bytes = std::fs::metadata(&tmp)?.len();
    let sha256 = inspect::sha256_file(&tmp).context("无法计算备份的 SHA-256")?;
    let manifest = Manifest {
        format: MANIFEST_FORMAT,
        created_at: hezuo_store::now_text(),
        engine: target.engine().into(),
        source: match &target {
            Target::Sqlite(p) => format!("sqlite://{}", p.display()),
            Target::Postgres(u) => redact(u),
        },
        file: out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes,
        sha256,
        schema_version: copied.contents.schema_version(),
        migrations: copied.contents.migrations.clone(),
        total_rows: copied.contents.total_rows(),
        tables: copied.contents.tables.clone(),
        counts_match_source: copied.counts_match_source,
        hezuo_version: env!("CARGO_PKG_VERSION").into(),
    };
    std::fs::write(&tmp_manifest, serde_json::to_vec_pretty(&manifest)?)
        .with_context(|| format!("无法写入 {}", tmp_manifest.display()))?;
    restrict(&tmp_manifest)?;
    sync_file(&tmp_manifest)?;

    publish(&tmp, &out)?;
    if let Err(e) = publish(&tmp_manifest, &manifest_file) {
        let _ = std::fs::remove_file(&out);
        return Err(e);
    }
    sync_dir(&dir);

    println!("备份完成：{}", out.display());
    println!(
        "  数据库：{} {}",
        engine_label(&manifest.engine),
        manifest.source
    );
    println!(
        "  结构版本：{}（已执行迁移 {} 个）",
        manifest.schema_version,
        manifest.migrations.len()
    );
    println!("  校验：{}", copied.check);
    if manifest.counts_match_source {
        println!(
            "  行数核对：{} 张表共 {} 行，与源库在备份时刻的行数一致",
            manifest.tables.len(),
            manifest.total_rows
        );
    } else {
        println!(
            "  行数核对：{} 张表共 {} 行。备份期间源库一直有写入（试了 {SQLITE_ATTEMPTS} 次），\
             行数取自备份本身；备份是源库某一时刻的完整副本",
            manifest.tables.len(),
            manifest.total_rows
        );
    }
    println!(
        "  大小：{}，SHA-256：{}",
        human_size(manifest.bytes),
        manifest.sha256
    );
    println!("  清单：{}", manifest_file.display());
    Ok(())
}

async fn pg_backup(url: &str, tmp: &Path) -> anyhow::Result<Copied> {
    let shown = redact(url);
    let pg = PgUrl::parse(url);
    let snapshot = inspect::PgSnapshot::take(url)
        .await
        .with_context(|| format!("无法连接数据库 {shown}"))?;
    let mut dump = pg_tool("pg_dump", Some(&pg));
    dump.arg("--format=custom")
        .arg("--no-password")
        .arg(format!("--snapshot={}", snapshot.id))
        .arg("--file")
        .arg(tmp)
        .arg(format!("--dbname={}", pg.dsn));
    let dumped = run_tool("pg_dump", dump).await;
    let source = snapshot.contents.clone();
    snapshot.release().await;
    dumped?;

    let mut list = pg_tool("pg_restore", None);
    list.arg("--list").arg(tmp);
    run_tool("pg_restore", list)
        .await
        .context("备份文件无法读取（pg_restore --list）")?;
    let contents = dump_contents(tmp).await?;
    let diff = source.differences("源库", &contents, "备份");
    if !diff.is_empty() {
        bail!("备份与源库快照的内容不符：{}", diff.join("；"));
    }
    Ok(Copied {
        contents,
        counts_match_source: true,
        check: "备份可读取（pg_restore --list），各表数据完整",
    })
}

// ---- restore ----------------------------------------------------------------------------------

fn read_manifest(from: &Path) -> anyhow::Result<Manifest> {
    let path = manifest_path(from);
    let text = std::fs::read(&path).with_context(|| {
        format!(
            "找不到备份清单 {}：只能恢复由 hezuo backup 生成、带清单的备份",
            path.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_slice(&text)
        .with_context(|| format!("备份清单 {} 无法读取", path.display()))?;
    if manifest.format != MANIFEST_FORMAT {
        bail!(
            "备份清单格式 {} 不是本程序认识的 {MANIFEST_FORMAT}：请用生成它的 hezuo 版本恢复",
            manifest.format
        );
    }
    Ok(manifest)
}

/// The tables holding rows and their rows, leaving out the migrations' own record: a database
/// hezuo has only migrated (a server started once on it) holds no data.
fn data_in(current: &Contents) -> (usize, i64) {
    let data = current
        .tables
        .iter()
        .filter(|(t, n)| **n > 0 && t.as_str() != "schema_migrations");
    data.fold((0, 0), |(tables, rows), (_, n)| (tables + 1, rows + n))
}

/// Refuses to overwrite `current` when it holds data, unless forced.
fn refuse_data(shown: &str, current: &Contents, force: bool) -> anyhow::Result<()> {
    let (tables, rows) = data_in(current);
    if rows > 0 && !force {
        bail!(
            "目标数据库 {shown} 已有数据（{tables} 张表共 {rows} 行）：恢复会覆盖它们。\
             确认要覆盖，请先另行备份它，再加 --force"
        );
    }
    Ok(())
}

pub async fn restore(url: &str, from: &Path, force: bool) -> anyhow::Result<()> {
    let target = Target::parse(url)?;
    if !from.is_file() {
        bail!("找不到备份文件 {}", from.display());
    }
    let manifest = read_manifest(from)?;
    if manifest.engine != target.engine() {
        bail!(
            "这是 {} 的备份，不能恢复到 {} 数据库",
            engine_label(&manifest.engine),
            engine_label(target.engine())
        );
    }
    let sha256 = inspect::sha256_file(from).context("无法读取备份文件")?;
    if sha256 != manifest.sha256 {
        bail!(
            "备份文件已损坏或被改动：其 SHA-256 与清单不符（清单 {}，文件 {}），拒绝恢复",
            manifest.sha256,
            sha256
        );
    }
    let known = inspect::known_schema_version()
        .await
        .context("无法确定本程序的数据库结构版本")?;
    if manifest.schema_version > known {
        bail!(
            "备份的数据库结构版本为 {}，比本程序支持的 {known} 新：请用生成备份的（或更新的）hezuo 版本恢复",
            manifest.schema_version
        );
    }
    let expected = manifest.contents();
    let shown = match &target {
        Target::Sqlite(path) => {
            restore_sqlite(path, from, &manifest, &expected, force).await?;
            format!("sqlite://{}", path.display())
        }
        Target::Postgres(url) => {
            restore_pg(url, from, &expected, force).await?;
            redact(url)
        }
    };

    println!("恢复完成：{shown}");
    println!(
        "  备份：{}（{}，{}）",
        from.display(),
        manifest.created_at,
        engine_label(&manifest.engine)
    );
    println!("  校验：SHA-256 与清单一致，备份通过检查");
    println!("  结构版本：{}", manifest.schema_version);
    println!(
        "  行数核对：{} 张表共 {} 行，与备份清单一致",
        manifest.tables.len(),
        manifest.total_rows
    );
    if manifest.schema_version < known {
        println!(
            "  提示：备份的结构版本 {} 低于本程序的 {known}，下次启动 hezuo 时会自动迁移",
            manifest.schema_version
        );
    }
    Ok(())
}

async fn restore_sqlite(
    path: &Path,
    from: &Path,
    manifest: &Manifest,
    expected: &Contents,
    force: bool,
) -> anyhow::Result<()> {
    let shown = format!("sqlite://{}", path.display());
    let backup = inspect::sqlite_check_file(from)
        .await
        .context("备份文件未通过检查，拒绝恢复")?;
    let diff = expected.differences("清单", &backup, "备份文件");
    if !diff.is_empty() {
        bail!("备份文件与清单不符，拒绝恢复：{}", diff.join("；"));
    }

    // The target: refuse data unless forced, and a server that has it open always.
    let readable = match inspect::sqlite_contents_of(path).await {
        Ok(None) => false,
        Ok(Some(current)) => {
            refuse_data(&shown, &current, force)?;
            true
        }
        Err(e) => {
            if !force {
                bail!(
                    "目标文件 {} 已存在，但无法作为数据库读取（{e}）：确认要覆盖，请加 --force",
                    path.display()
                );
            }
            false
        }
    };

    let dir = std::path::absolute(path)?
        .parent()
        .context("数据库路径没有所在目录")?
        .to_path_buf();
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建目录 {}", dir.display()))?;
    let tmp = temp_beside(path, "restore");
    let _scratch = Scratch(vec![tmp.clone()]);
    std::fs::copy(from, &tmp).with_context(|| format!("无法写入 {}", tmp.display()))?;
    sync_file(&tmp)?;
    if inspect::sha256_file(&tmp)? != manifest.sha256 {
        bail!(
            "复制到 {} 的备份与清单的 SHA-256 不符，未恢复",
            tmp.display()
        );
    }

    if readable {
        inspect::sqlite_claim(path).await?;
    }
    // A WAL left beside the old file would be replayed into the new one.
    for suffix in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        if exists(&p) {
            std::fs::remove_file(&p).with_context(|| format!("无法删除 {}", p.display()))?;
        }
    }
    std::fs::rename(&tmp, path).with_context(|| format!("无法写入 {}", path.display()))?;
    sync_dir(&dir);

    let restored = inspect::sqlite_check_file(path)
        .await
        .context("恢复后的数据库未通过检查")?;
    let diff = expected.differences("清单", &restored, "恢复后");
    if !diff.is_empty() {
        bail!("恢复后的数据库与备份清单不符：{}", diff.join("；"));
    }
    Ok(())
}

async fn restore_pg(
    url: &str,
    from: &Path,
    expected: &Contents,
    force: bool,
) -> anyhow::Result<()> {
    let shown = redact(url);
    let pg = PgUrl::parse(url);
    let mut list = pg_tool("pg_restore", None);
    list.arg("--list").arg(from);
    run_tool("pg_restore", list)
        .await
        .context("备份文件无法读取（pg_restore --list），拒绝恢复")?;
    let dumped = dump_contents(from)
        .await
        .context("备份文件的数据无法读出，拒绝恢复")?;
    let diff = expected.differences("清单", &dumped, "备份文件");
    if !diff.is_empty() {
        bail!("备份文件与清单不符，拒绝恢复：{}", diff.join("；"));
    }

    let current = inspect::pg_contents_of(url).await.with_context(|| {
        format!("无法连接目标数据库 {shown}（恢复前请先建好数据库，例如 createdb）")
    })?;
    refuse_data(&shown, &current, force)?;
    let extra: Vec<&String> = current
        .tables
        .keys()
        .filter(|t| !expected.tables.contains_key(*t))
        .collect();
    if !extra.is_empty() {
        let names: Vec<&str> = extra.iter().map(|s| s.as_str()).collect();
        bail!(
            "目标数据库 {shown} 有备份中没有的表（{}），恢复后会残留在库中：请恢复到一个新建的空库",
            names.join("、")
        );
    }

    // One transaction: a restore that fails part-way leaves the database as it was.
    let mut restore = pg_tool("pg_restore", Some(&pg));
    restore
        .arg("--clean")
        .arg("--if-exists")
        .arg("--no-owner")
        .arg("--single-transaction")
        .arg("--no-password")
        .arg(format!("--dbname={}", pg.dsn))
        .arg(from);
    run_tool("pg_restore", restore)
        .await
        .with_context(|| format!("恢复到 {shown} 失败，数据库未改动"))?;

    let restored = inspect::pg_contents_of(url)
        .await
        .with_context(|| format!("恢复后无法读取 {shown}"))?;
    let diff = expected.differences("清单", &restored, "恢复后");
    if !diff.is_empty() {
        bail!("恢复后的数据库与备份清单不符：{}", diff.join("；"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_leaves_the_url_for_pgpassword() {
        let u = PgUrl::parse("postgres://hezuo:p%40ss:w@db.example:5432/hezuo?sslmode=require");
        assert_eq!(
            u.dsn,
            "postgres://hezuo@db.example:5432/hezuo?sslmode=require"
        );
        assert_eq!(u.password.as_deref(), Some("p@ss:w"));
        let u = PgUrl::parse("postgres://postgres@127.0.0.1/test");
        assert_eq!(u.dsn, "postgres://postgres@127.0.0.1/test");
        assert_eq!(u.password, None);
    }

    #[test]
    fn copy_blocks_are_counted_per_table_with_the_migrations() {
        let script = "SET x = 1;\n\
            COPY public.schema_migrations (version, name, applied_at) FROM stdin;\n\
            2\tb\tt\n1\ta\tt\n\\.\n\n\
            COPY public.projects (id, name) FROM stdin;\n1\t甲\\n乙\n\\.\n\
            COPY other.\"Odd \"\"name\" (id) FROM stdin;\n\\.\n";
        let mut d = DumpData::default();
        for line in script.split_inclusive('\n') {
            d.line(line.as_bytes()).unwrap();
        }
        let c = d.finish().unwrap();
        assert_eq!(c.migrations, vec![1, 2]);
        assert_eq!(c.tables["schema_migrations"], 2);
        assert_eq!(c.tables["projects"], 1);
        assert_eq!(c.tables["other.Odd \"name"], 0);
    }
}
