//! Layered settings: built-in defaults → `hezuo.toml` (or `--config FILE`) → environment
//! variables `HEZUO_SECTION__KEY` (e.g. `HEZUO_SERVER__BIND=0.0.0.0:8080`).

use anyhow::Context;
use hezuo_domain::TierConfig;
use serde::Deserialize;
use std::path::Path;

pub const DEFAULT_DB: &str = "sqlite://hezuo-data/hezuo.db";

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub server: ServerSettings,
    pub office: OfficeSettings,
    pub tiers: TierSettings,
    pub security: SecuritySettings,
}

/// 等保三级 settings: session lifetimes and how long the audit log is kept.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SecuritySettings {
    /// A session ends after this many minutes without a request (5–480).
    pub idle_minutes: i64,
    /// … and in any case this many hours after login (1–72).
    pub max_hours: i64,
    /// Audit rows are kept at least this many days; below 180 is refused.
    pub audit_retention_days: i64,
    /// "dengbao" (8+ characters with letters and digits, changed periodically) or "asvs".
    pub password_profile: String,
    /// Under dengbao: a password must be changed after this many days (30–365).
    pub password_max_age_days: i64,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        let p = hezuo_store::auth::SessionPolicy::default();
        SecuritySettings {
            idle_minutes: p.idle_minutes,
            max_hours: p.max_hours,
            audit_retention_days: hezuo_store::security::MIN_RETENTION_DAYS,
            password_profile: "dengbao".into(),
            password_max_age_days: 90,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct DatabaseSettings {
    pub url: String,
    /// PostgreSQL connections; 0 = the machine's cores + 1.
    pub pool: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ServerSettings {
    pub bind: String,
    pub secure_cookies: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct OfficeSettings {
    pub city_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct TierSettings {
    /// CNY tier thresholds in 亿元, ascending.
    pub cny_yi: Vec<i64>,
    /// USD tier thresholds in 亿美元, ascending.
    pub usd_yi: Vec<i64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database: DatabaseSettings {
                url: DEFAULT_DB.into(),
                pool: 0,
            },
            server: ServerSettings {
                bind: "127.0.0.1:8080".into(),
                secure_cookies: false,
            },
            office: OfficeSettings {
                city_name: "湖州市".into(),
            },
            tiers: TierSettings::default(),
            security: SecuritySettings::default(),
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Settings::default().database
    }
}
impl Default for ServerSettings {
    fn default() -> Self {
        Settings::default().server
    }
}
impl Default for OfficeSettings {
    fn default() -> Self {
        Settings::default().office
    }
}
impl Default for TierSettings {
    fn default() -> Self {
        let t = TierConfig::default();
        TierSettings {
            cny_yi: t.cny_yi,
            usd_yi: t.usd_yi,
        }
    }
}

impl Settings {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut builder = config::Config::builder();
        match file {
            Some(path) => {
                builder = builder.add_source(
                    config::File::from(path)
                        .format(config::FileFormat::Toml)
                        .required(true),
                );
            }
            None => {
                builder = builder.add_source(
                    config::File::new("hezuo", config::FileFormat::Toml).required(false),
                );
            }
        }
        builder = builder.add_source(
            config::Environment::with_prefix("HEZUO")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("tiers.cny_yi")
                .with_list_parse_key("tiers.usd_yi"),
        );
        let settings: Settings = builder
            .build()
            .context("读取配置失败")?
            .try_deserialize()
            .context("配置内容有误")?;
        settings.tier_config()?;
        settings.session_policy()?;
        settings.password_profile()?;
        if settings.security.audit_retention_days < hezuo_store::security::MIN_RETENTION_DAYS {
            anyhow::bail!(
                "配置 [security]：审计日志保存期限不能少于{}天（现为{}天）",
                hezuo_store::security::MIN_RETENTION_DAYS,
                settings.security.audit_retention_days
            );
        }
        Ok(settings)
    }

    pub fn password_profile(&self) -> anyhow::Result<hezuo_store::auth::PasswordProfile> {
        hezuo_store::auth::PasswordProfile::parse(
            &self.security.password_profile,
            self.security.password_max_age_days,
        )
        .map_err(|e| anyhow::anyhow!("配置 [security]：{e}"))
    }

    pub fn session_policy(&self) -> anyhow::Result<hezuo_store::auth::SessionPolicy> {
        hezuo_store::auth::SessionPolicy::new(self.security.idle_minutes, self.security.max_hours)
            .map_err(|e| anyhow::anyhow!("配置 [security]：{e}"))
    }

    pub fn tier_config(&self) -> anyhow::Result<TierConfig> {
        TierConfig::new(self.tiers.cny_yi.clone(), self.tiers.usd_yi.clone())
            .map_err(|e| anyhow::anyhow!("配置 [tiers]：{e}"))
    }
}

/// The commented example printed by `hezuo config default`.
pub const EXAMPLE: &str = r#"# hezuo.toml — every key is optional; environment variables override it,
# e.g. HEZUO_DATABASE__URL=postgres://user@host/db HEZUO_SERVER__BIND=0.0.0.0:8080

[database]
# sqlite://PATH (embedded, the default) or postgres://user:password@host:5432/db
url = "sqlite://hezuo-data/hezuo.db"
# PostgreSQL connections (SQLite ignores it); 0 = the number of cores + 1
pool = 0

[server]
bind = "127.0.0.1:8080"
# Set to true when served over HTTPS (adds the Secure flag to cookies).
secure_cookies = false

[office]
# Shown in page headers and reports.
city_name = "湖州市"

[tiers]
# Investment tiers in 亿元 (counted as ≥, cumulatively), ascending.
cny_yi = [1, 3, 5, 10, 20, 50, 100]
# Tiers for foreign capital in 亿美元.
usd_yi = [1, 10]

[security]
# A session ends after this many minutes without a request (5–480) …
idle_minutes = 30
# … and in any case this many hours after login (1–72).
max_hours = 12
# Audit rows are kept at least this long (days); less than 180 is refused (等保三级).
# `hezuo audit purge` deletes only rows older than this.
audit_retention_days = 180
# Passwords: "dengbao" (等保: 8+ characters with letters and digits, changed every
# password_max_age_days) or "asvs" (12+ characters, no common password, no forced change).
password_profile = "dengbao"
password_max_age_days = 90
"#;
