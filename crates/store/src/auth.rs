//! Accounts and credentials: users with argon2 password hashes, browser sessions kept in the
//! database (only a hash of the cookie value is stored), bearer tokens for API clients, and
//! login throttling counted in the database so it holds across restarts and processes.

use crate::audit::{self, Actor};
use crate::db::{Store, StoreError, now_text, unique_as_conflict};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use hezuo_domain::{Area, Role, Viewer};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Failed logins allowed per user name (or address); the next attempts are refused until
/// [`THROTTLE_WINDOW_MINUTES`] have passed since the last one (等保: lock for 10 minutes).
pub const MAX_FAILURES: i64 = 5;
pub const THROTTLE_WINDOW_MINUTES: i64 = 10;

/// How long sessions live: ended after `idle_minutes` without a request, and in any case
/// `max_hours` after login. Set from the configuration (`[security]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_minutes: i64,
    pub max_hours: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle_minutes: 30,
            max_hours: 12,
        }
    }
}

impl SessionPolicy {
    /// Checked values; the reason in Chinese when they cannot be used.
    pub fn new(idle_minutes: i64, max_hours: i64) -> Result<SessionPolicy, String> {
        if !(5..=480).contains(&idle_minutes) {
            return Err(format!(
                "会话空闲超时应在5到480分钟之间（现为{idle_minutes}）"
            ));
        }
        if !(1..=72).contains(&max_hours) || max_hours * 60 < idle_minutes {
            return Err(format!(
                "会话最长有效期应在1到72小时之间且不短于空闲超时（现为{max_hours}小时）"
            ));
        }
        Ok(SessionPolicy {
            idle_minutes,
            max_hours,
        })
    }
}

/// How new passwords are judged, and whether they age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProfile {
    /// 等保 (the default): at least 8 characters mixing letters and digits, changed every
    /// `max_age_days` — after that the account must set a new one before anything else.
    Dengbao { max_age_days: i64 },
    /// OWASP ASVS: at least 12 characters, not a common password nor the user name; no forced
    /// periodic change.
    Asvs,
}

impl Default for PasswordProfile {
    fn default() -> Self {
        PasswordProfile::Dengbao { max_age_days: 90 }
    }
}

/// Passwords everyone tries first (and the demo's), refused under ASVS.
const COMMON_PASSWORDS: [&str; 16] = [
    "password",
    "password1",
    "password123",
    "12345678",
    "123456789",
    "1234567890",
    "123456789012",
    "qwertyuiop",
    "1qaz2wsx3edc",
    "qwe123456789",
    "abc123456789",
    "woaini1314520",
    "iloveyou1234",
    "admin1234567",
    "administrator",
    "hezuo2024",
];

/// Words that with digits or symbols tacked on make most guessed passwords.
const COMMON_WORDS: [&str; 12] = [
    "password",
    "passw0rd",
    "qwerty",
    "qwertyuiop",
    "admin",
    "administrator",
    "iloveyou",
    "woaini",
    "hezuo",
    "letmein",
    "welcome",
    "abc",
];

/// A common password, a common word with digits or symbols around it, or one repeated character.
fn is_common(lower: &str) -> bool {
    let core = lower.trim_matches(|c: char| c.is_ascii_digit() || !c.is_alphanumeric());
    COMMON_PASSWORDS.contains(&lower)
        || core.is_empty()
        || COMMON_WORDS.contains(&core)
        || lower.chars().all(|c| lower.starts_with(c))
}

impl PasswordProfile {
    /// From the configuration: "dengbao" (with the days a password lasts) or "asvs".
    pub fn parse(name: &str, max_age_days: i64) -> Result<PasswordProfile, String> {
        match name {
            "dengbao" if (30..=365).contains(&max_age_days) => {
                Ok(PasswordProfile::Dengbao { max_age_days })
            }
            "dengbao" => Err(format!(
                "密码更换周期应在30到365天之间（现为{max_age_days}天）"
            )),
            "asvs" => Ok(PasswordProfile::Asvs),
            other => Err(format!(
                "密码策略“{other}”无效：应为 dengbao（等保）或 asvs"
            )),
        }
    }

    /// The rule as the password form states it.
    pub fn rule(self) -> String {
        match self {
            PasswordProfile::Dengbao { max_age_days } => {
                format!("密码至少8位，须同时包含字母和数字；每{max_age_days}天须更换一次")
            }
            PasswordProfile::Asvs => "密码至少12位，不能是常见密码，也不能包含用户名".to_string(),
        }
    }

    /// Whether `password` may be set for `username`.
    pub fn check(self, username: &str, password: &str) -> Result<(), StoreError> {
        match self {
            PasswordProfile::Dengbao { .. } => check_password_policy(password),
            PasswordProfile::Asvs => {
                let lower = password.to_lowercase();
                let name = username.trim().to_lowercase();
                let why = if password.chars().count() < 12 || password.len() > 128 {
                    Some("密码至少12位（最多128个字节）")
                } else if is_common(&lower) {
                    Some("这是常见密码，容易被猜中，请换一个")
                } else if name.chars().count() >= 3 && lower.contains(&name) {
                    Some("密码不能包含用户名")
                } else {
                    None
                };
                match why {
                    Some(m) => Err(StoreError::invalid("password", m)),
                    None => Ok(()),
                }
            }
        }
    }

    /// Whether a password set at `changed_at` must be changed now.
    pub fn expired(self, changed_at: &str) -> bool {
        match self {
            PasswordProfile::Asvs => false,
            PasswordProfile::Dengbao { max_age_days } => {
                parse_time(changed_at).is_none_or(|t| Utc::now() - t > Duration::days(max_age_days))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub district_code: Option<String>,
    pub platform_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub leader_id: Option<i64>,
    pub disabled: i64,
    pub version: i64,
    /// When the password was last set (RFC 3339, UTC).
    pub password_changed_at: String,
}

impl User {
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }

    pub fn viewer(&self) -> Viewer {
        let area = match (&self.district_code, self.platform_id) {
            (_, Some(p)) => Some(Area::Platform(p)),
            (Some(d), None) => Some(Area::District(d.clone())),
            (None, None) => None,
        };
        Viewer {
            user_id: self.id,
            // An unknown role reads as the least privileged one.
            role: self.role().unwrap_or(Role::Unit),
            area,
            unit_id: self.unit_id,
            leader_id: self.leader_id,
        }
    }
}

/// What an administrator (or the CLI) fills in for an account.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub role: String,
    /// District code or platform code, for the 区县/平台 role.
    pub area: String,
    pub unit_id: Option<i64>,
    pub leader_id: Option<i64>,
}

const USER_COLUMNS: &str = "id, username, display_name, role, district_code, platform_id, unit_id, leader_id, disabled, version, password_changed_at";

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// 32 random bytes as hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex::encode(bytes)
}

pub fn hash_password(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::invalid("password", format!("无法处理密码：{e}")))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A password must be at least 8 characters and mix letters and digits.
pub fn check_password_policy(password: &str) -> Result<(), StoreError> {
    let long = password.chars().count() >= 8;
    let letters = password.chars().any(|c| c.is_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if long && letters && digits && password.len() <= 128 {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "password",
            "密码至少8位，且须同时包含字母和数字",
        ))
    }
}

/// Why a login was refused. The message never says whether the user exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    Invalid,
    Throttled,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub csrf: String,
    pub user: User,
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl Store {
    pub async fn user_by_name(&self, username: &str) -> Result<User, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
        sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql))
            .bind(username.trim().to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<User, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY id");
        Ok(sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?)
    }

    /// Resolves `--area CODE` to a district code or a platform id.
    async fn resolve_area(
        &self,
        role: Role,
        area: &str,
    ) -> Result<(Option<String>, Option<i64>), StoreError> {
        let area = area.trim();
        if role != Role::Area {
            return Ok((None, None));
        }
        if area.is_empty() {
            return Err(StoreError::invalid(
                "area",
                "区县/平台账号必须指定所属区县或平台",
            ));
        }
        let district: Option<String> =
            sqlx::query_scalar("SELECT code FROM districts WHERE code = $1 OR name = $1")
                .bind(area.to_string())
                .fetch_optional(&self.pool)
                .await?;
        if let Some(code) = district {
            return Ok((Some(code), None));
        }
        let platform: Option<(i64, String)> =
            sqlx::query_as("SELECT id, district_code FROM platforms WHERE code = $1 OR name = $1")
                .bind(area.to_string())
                .fetch_optional(&self.pool)
                .await?;
        match platform {
            Some((id, district)) => Ok((Some(district), Some(id))),
            None => Err(StoreError::invalid(
                "area",
                format!("找不到区县或平台“{area}”"),
            )),
        }
    }

    async fn check_user_input(
        &self,
        input: &UserInput,
    ) -> Result<(Role, Option<String>, Option<i64>), StoreError> {
        let username = input.username.trim();
        if username.is_empty()
            || username.chars().count() > 40
            || !username
                .chars()
                .all(|c| c.is_alphanumeric() || "._-".contains(c))
        {
            return Err(StoreError::invalid(
                "username",
                "用户名为1—40个字母、数字、点、下划线或连字符",
            ));
        }
        let role =
            Role::parse(&input.role).ok_or_else(|| StoreError::invalid("role", "请选择角色"))?;
        if role == Role::Unit && input.unit_id.is_none() {
            return Err(StoreError::invalid("unit_id", "责任单位账号必须指定单位"));
        }
        if role == Role::Leader && input.leader_id.is_none() {
            return Err(StoreError::invalid(
                "leader_id",
                "领导账号必须关联一位联系领导",
            ));
        }
        let (district, platform) = self.resolve_area(role, &input.area).await?;
        Ok((role, district, platform))
    }

    pub async fn create_user(
        &self,
        actor: &Actor,
        input: &UserInput,
        password: &str,
    ) -> Result<User, StoreError> {
        self.password_profile().check(&input.username, password)?;
        let (role, district, platform) = self.check_user_input(input).await?;
        let hash = hash_password(password)?;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, password_hash, role, district_code, platform_id, unit_id, \
             leader_id, disabled, created_at, version, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, 1, $9) RETURNING id",
        )
        .bind(input.username.trim().to_string())
        .bind(input.display_name.trim().to_string())
        .bind(hash)
        .bind(role.code())
        .bind(district)
        .bind(platform)
        .bind(if role == Role::Unit { input.unit_id } else { None })
        .bind(if role == Role::Leader { input.leader_id } else { None })
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_as_conflict(e, "该用户名已被使用"))?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let user = sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        audit::write(
            &mut tx,
            actor,
            "create",
            "user",
            Some(id),
            None::<&()>,
            Some(&user),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Changes role, area and names of an account, if `version` is current.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        input: &UserInput,
    ) -> Result<User, StoreError> {
        let before = self.user_by_id(id).await?;
        let (role, district, platform) = self.check_user_input(input).await?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE users SET username = $1, display_name = $2, role = $3, district_code = $4, platform_id = $5, \
             unit_id = $6, leader_id = $7, version = version + 1 WHERE id = $8 AND version = $9",
        )
        .bind(input.username.trim().to_string())
        .bind(input.display_name.trim().to_string())
        .bind(role.code())
        .bind(district)
        .bind(platform)
        .bind(if role == Role::Unit { input.unit_id } else { None })
        .bind(if role == Role::Leader { input.leader_id } else { None })
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_as_conflict(e, "该用户名已被使用"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(
                "该账号已被他人修改，请刷新后再改".into(),
            ));
        }
        // A change of role or area takes effect at the next login.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let after = sqlx::query_as::<_, User>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        audit::write(
            &mut tx,
            actor,
            "update",
            "user",
            Some(id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a new password and ends every session of the account.
    pub async fn set_password(
        &self,
        actor: &Actor,
        username: &str,
        password: &str,
    ) -> Result<(), StoreError> {
        self.password_profile().check(username, password)?;
        let user = self.user_by_name(username).await?;
        let hash = hash_password(password)?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE users SET password_hash = $1, password_changed_at = $2, version = version + 1 WHERE id = $3",
        )
            .bind(hash)
            .bind(now_text())
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        audit::write(
            &mut tx,
            actor,
            "password",
            "user",
            Some(user.id),
            None::<&()>,
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A user's own change of password: the current one must be right and the new one differ
    /// and pass the profile. Every session of the account ends (the user logs in again).
    pub async fn change_own_password(
        &self,
        actor: &Actor,
        user_id: i64,
        current: &str,
        new: &str,
    ) -> Result<(), StoreError> {
        let user = self.user_by_id(user_id).await?;
        let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&self.pool)
            .await?;
        if !verify_password(&hash, current) {
            return Err(StoreError::invalid("current", "当前密码不正确"));
        }
        if current == new {
            return Err(StoreError::invalid("password", "新密码不能与当前密码相同"));
        }
        self.set_password(actor, &user.username, new).await
    }

    /// Disables (or re-enables) an account; disabling ends its sessions and revokes its tokens.
    pub async fn set_disabled(
        &self,
        actor: &Actor,
        username: &str,
        disabled: bool,
    ) -> Result<(), StoreError> {
        let user = self.user_by_name(username).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET disabled = $1, version = version + 1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE user_id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
        }
        let action = if disabled { "disable" } else { "enable" };
        audit::write(
            &mut tx,
            actor,
            action,
            "user",
            Some(user.id),
            Some(&user),
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A refused login's audit row (success = 0), under the name that was typed.
    async fn audit_refusal(&self, actor: &Actor, action: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        audit::write(
            &mut tx,
            actor,
            action,
            "session",
            None,
            None::<&()>,
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Failures counted against `key` in the current window.
    async fn failures(&self, key: &str) -> Result<i64, StoreError> {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT failures, window_start FROM login_failures WHERE key = $1")
                .bind(key.to_string())
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some((n, start))
                if parse_time(&start).is_some_and(|s| {
                    Utc::now() - s < Duration::minutes(THROTTLE_WINDOW_MINUTES)
                }) =>
            {
                n
            }
            _ => 0,
        })
    }

    /// Counts one attempt against `key`: the count grows while attempts come within
    /// [`THROTTLE_WINDOW_MINUTES`] of the last one (`window_start` holds the last), else starts
    /// again at 1. One upsert, so failures arriving together are all counted: a read followed by a write lost
    /// counts on SQLite and tripped the primary key (an error instead of a refusal) on PostgreSQL.
    /// Returns the count in the current window, this one included.
    async fn record_failure(&self, key: &str) -> Result<i64, StoreError> {
        let now = Utc::now();
        let window_open_since = (now - Duration::minutes(THROTTLE_WINDOW_MINUTES))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        // Timestamps are RFC 3339 UTC text of one width, so they compare as text on both engines.
        let row = sqlx::query(
            "INSERT INTO login_failures (key, failures, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_failures.window_start > $3 THEN login_failures.failures + 1 ELSE 1 END, \
             window_start = excluded.window_start \
             RETURNING failures",
        )
        .bind(key.to_string())
        .bind(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .bind(window_open_since)
        .fetch_one(&self.pool)
        .await?;
        Ok(sqlx::Row::try_get(&row, 0)?)
    }

    /// Checks a user name and password and opens a session. After [`MAX_FAILURES`] attempts for
    /// a name without a success, or 4× that many failures from one address, logins are refused
    /// for the rest of the window. A name's attempt is counted *before* its password is checked,
    /// so a burst of parallel guesses gets no more than [`MAX_FAILURES`] checks.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ip: &str,
    ) -> Result<Session, LoginErrorOr> {
        let name_key = format!("user:{}", username.trim().to_lowercase());
        let ip_key = format!("ip:{ip}");
        let refused = Actor {
            user_id: None,
            username: username.trim().to_string(),
            ip: ip.to_string(),
        };
        if self.failures(&ip_key).await? >= 4 * MAX_FAILURES
            || self.record_failure(&name_key).await? > MAX_FAILURES
        {
            self.audit_refusal(&refused, "login_locked").await?;
            return Err(LoginErrorOr::Login(LoginError::Throttled));
        }
        let hash: Option<(i64, String, i64)> =
            sqlx::query_as("SELECT id, password_hash, disabled FROM users WHERE username = $1")
                .bind(username.trim().to_string())
                .fetch_optional(&self.pool)
                .await
                .map_err(StoreError::from)?;
        // Unknown users cost the same hash as known ones, so timing tells nothing.
        let dummy = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWg";
        let ok = verify_password(hash.as_ref().map_or(dummy, |h| h.1.as_str()), password);
        let user_id = match hash {
            Some((id, _, 0)) if ok => id,
            _ => {
                self.record_failure(&ip_key).await?;
                self.audit_refusal(&refused, "login_failed").await?;
                return Err(LoginErrorOr::Login(LoginError::Invalid));
            }
        };
        let user = self.user_by_id(user_id).await?;
        let token = random_token();
        let csrf = random_token();
        let now = Utc::now();
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(name_key)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, ip, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $5, $6)",
        )
        .bind(hash_token(&token))
        .bind(user_id)
        .bind(csrf.clone())
        .bind(ip.to_string())
        .bind(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .bind((now + Duration::hours(self.session_policy().max_hours)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        let actor = Actor {
            user_id: Some(user_id),
            username: user.username.clone(),
            ip: ip.to_string(),
        };
        audit::write(
            &mut tx,
            &actor,
            "login",
            "session",
            None,
            None::<&()>,
            None::<&()>,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Session { token, csrf, user })
    }

    /// The live session for a cookie value, refreshing its idle clock; `None` when absent,
    /// idle too long, past its lifetime, or the account is disabled.
    pub async fn session(&self, token: &str) -> Result<Option<Session>, StoreError> {
        let hash = hash_token(token);
        let row: Option<(i64, String, String, String)> = sqlx::query_as(
            "SELECT user_id, csrf_token, last_seen_at, expires_at FROM sessions WHERE token_hash = $1",
        )
        .bind(hash.clone())
        .fetch_optional(&self.pool)
        .await?;
        let Some((user_id, csrf, last_seen, expires)) = row else {
            return Ok(None);
        };
        let now = Utc::now();
        let idle = parse_time(&last_seen)
            .is_none_or(|t| now - t > Duration::minutes(self.session_policy().idle_minutes));
        let expired = parse_time(&expires).is_none_or(|t| now > t);
        let user = self.user_by_id(user_id).await?;
        if idle || expired || user.disabled != 0 {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(hash)
                .execute(&self.pool)
                .await?;
            return Ok(None);
        }
        // Only write when a minute has passed, so reads do not turn every page view into a write.
        if parse_time(&last_seen).is_some_and(|t| now - t > Duration::minutes(1)) {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now_text())
                .bind(hash)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(Session {
            token: token.to_string(),
            csrf,
            user,
        }))
    }

    pub async fn logout(&self, token: &str, actor: &Actor) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash_token(token))
            .execute(&mut *tx)
            .await?;
        audit::write(
            &mut tx,
            actor,
            "logout",
            "session",
            None,
            None::<&()>,
            None::<&()>,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an API token for a user and returns it; only its hash is stored.
    pub async fn create_token(
        &self,
        actor: &Actor,
        username: &str,
        name: &str,
    ) -> Result<String, StoreError> {
        let user = self.user_by_name(username).await?;
        let token = format!("hz_{}", random_token());
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at, revoked) VALUES ($1, $2, $3, $4, 0) RETURNING id",
        )
        .bind(user.id)
        .bind(name.to_string())
        .bind(hash_token(&token))
        .bind(now_text())
        .fetch_one(&mut *tx)
        .await?;
        audit::write(
            &mut tx,
            actor,
            "create",
            "api_token",
            Some(id),
            None::<&()>,
            Some(&name),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The user behind a bearer token, if the token is live and the account enabled.
    pub async fn token_user(&self, token: &str) -> Result<Option<User>, StoreError> {
        let user_id: Option<i64> = sqlx::query_scalar(
            "SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked = 0",
        )
        .bind(hash_token(token))
        .fetch_optional(&self.pool)
        .await?;
        match user_id {
            Some(id) => {
                let user = self.user_by_id(id).await?;
                Ok((user.disabled == 0).then_some(user))
            }
            None => Ok(None),
        }
    }
}

/// A login failure, or the store failing underneath it.
#[derive(Debug)]
pub enum LoginErrorOr {
    Login(LoginError),
    Store(StoreError),
}

impl From<StoreError> for LoginErrorOr {
    fn from(e: StoreError) -> Self {
        LoginErrorOr::Store(e)
    }
}

impl From<sqlx::Error> for LoginErrorOr {
    fn from(e: sqlx::Error) -> Self {
        LoginErrorOr::Store(StoreError::Db(e))
    }
}
