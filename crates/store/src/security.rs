//! What the administrator reads and does for 等保三级: the audit log searched and exported (and
//! purged only past its retention, which the database itself refuses below 180 days), events
//! that change nothing but must be on record (exports), and the live sessions, each of which
//! the administrator can end.

use crate::audit::{self, Actor, AuditEntry};
use crate::db::{Sql, Store, StoreError, now_text};
use chrono::{Duration, Utc};
use hezuo_domain::{Role, Viewer};
use serde::{Deserialize, Serialize};

/// The shortest retention of the audit log the system accepts (days).
pub const MIN_RETENTION_DAYS: i64 = 180;

/// The audit search's criteria (all optional).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditFilter {
    /// User name contains.
    pub user: Option<String>,
    /// Event, e.g. login, login_failed, create, update, export.
    pub action: Option<String>,
    /// Record kind, e.g. project, user, session, export.
    pub entity: Option<String>,
    /// From this day (yyyy-mm-dd), inclusive.
    pub from: Option<String>,
    /// Up to this day (yyyy-mm-dd), inclusive.
    pub to: Option<String>,
    /// "0" for refused events only, "1" for successful ones.
    pub success: Option<String>,
    pub page: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditPage {
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub items: Vec<AuditEntry>,
}

/// A live browser session as the administrator sees it (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SessionRow {
    /// The first 16 characters of the token's hash: enough to name it, useless to log in.
    pub id: String,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub ip: String,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
}

fn admin_only(viewer: &Viewer, what: &str) -> Result<(), StoreError> {
    if viewer.role == Role::Admin {
        Ok(())
    } else {
        Err(StoreError::invalid("", format!("只有系统管理员可以{what}")))
    }
}

fn day(text: &Option<String>, field: &str) -> Result<Option<String>, StoreError> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(|d| Some(d.to_string()))
            .map_err(|_| StoreError::invalid(field, format!("日期“{t}”应写作 2024-06-30"))),
    }
}

impl Store {
    /// The audit log, newest first, filtered; the administrator's only.
    pub async fn search_audit(
        &self,
        viewer: &Viewer,
        f: &AuditFilter,
        per_page: i64,
    ) -> Result<AuditPage, StoreError> {
        admin_only(viewer, "查看审计日志")?;
        let mut cond = Sql::new(" WHERE 1 = 1");
        let text = |o: &Option<String>| {
            o.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(u) = text(&f.user) {
            cond.push(" AND username LIKE ")
                .bind_text(format!("%{}%", u.replace(['%', '_'], "")));
        }
        if let Some(a) = text(&f.action) {
            cond.push(" AND action = ").bind_text(a);
        }
        if let Some(e) = text(&f.entity) {
            cond.push(" AND entity = ").bind_text(e);
        }
        if let Some(d) = day(&f.from, "from")? {
            cond.push(" AND at >= ").bind_text(d);
        }
        if let Some(d) = day(&f.to, "to")? {
            // Timestamps are RFC 3339 text: everything on that day sorts before the next day.
            let next = chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                .map(|d| (d + chrono::Days::new(1)).to_string())
                .unwrap_or(d);
            cond.push(" AND at < ").bind_text(next);
        }
        match f.success.as_deref() {
            Some("0") => {
                cond.push(" AND success = 0");
            }
            Some("1") => {
                cond.push(" AND success = 1");
            }
            _ => {}
        }
        let mut count = Sql::new("SELECT COUNT(*) FROM audit_log");
        count.push(&cond.text);
        count.extend_params(&cond);
        let (total,): (i64,) = count.query_as().fetch_one(&self.pool).await?;
        let page = f.page.unwrap_or(1).max(1);
        let mut sql = Sql::new(
            "SELECT id, at, user_id, username, ip, action, entity, entity_id, before_json, after_json, success FROM audit_log",
        );
        sql.push(&cond.text);
        sql.extend_params(&cond);
        sql.push(" ORDER BY id DESC LIMIT ")
            .bind_int(per_page)
            .push(" OFFSET ")
            .bind_int((page - 1).saturating_mul(per_page));
        let items = sql.query_as().fetch_all(&self.pool).await?;
        Ok(AuditPage {
            total,
            page,
            per_page,
            items,
        })
    }

    /// Records an event that changes nothing stored but must be on record (an export, a
    /// download), with what it covered.
    pub async fn record_event(
        &self,
        actor: &Actor,
        action: &str,
        entity: &str,
        detail: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        audit::write(
            &mut tx,
            actor,
            action,
            entity,
            None,
            None::<&()>,
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes audit rows older than `days` (at least [`MIN_RETENTION_DAYS`]; the database
    /// refuses younger rows whatever is asked). The purge is itself audited. How many went.
    pub async fn purge_audit(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        days: i64,
    ) -> Result<u64, StoreError> {
        admin_only(viewer, "清理审计日志")?;
        if days < MIN_RETENTION_DAYS {
            return Err(StoreError::invalid(
                "days",
                format!("审计日志保存期限不能少于{MIN_RETENTION_DAYS}天（等保三级要求）"),
            ));
        }
        let cutoff =
            (Utc::now() - Duration::days(days)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mut tx = self.begin_write().await?;
        let gone = sqlx::query("DELETE FROM audit_log WHERE at < $1")
            .bind(cutoff.clone())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        audit::write(
            &mut tx,
            actor,
            "purge",
            "audit_log",
            None,
            None::<&()>,
            Some(&serde_json::json!({"older_than": cutoff, "rows": gone})),
        )
        .await?;
        tx.commit().await?;
        Ok(gone)
    }

    /// The live sessions, most recently used first.
    pub async fn list_sessions(&self, viewer: &Viewer) -> Result<Vec<SessionRow>, StoreError> {
        admin_only(viewer, "查看在线会话")?;
        let idle_since = (Utc::now() - Duration::minutes(self.session_policy().idle_minutes))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Ok(sqlx::query_as(
            "SELECT substr(s.token_hash, 1, 16) AS id, s.user_id, u.username, u.display_name, s.ip, s.created_at, \
             s.last_seen_at, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.last_seen_at > $1 AND s.expires_at > $2 ORDER BY s.last_seen_at DESC",
        )
        .bind(idle_since)
        .bind(now_text())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Ends one session (by the id [`Self::list_sessions`] shows), or every session of a user.
    pub async fn end_sessions(
        &self,
        viewer: &Viewer,
        actor: &Actor,
        session_id: Option<&str>,
        user_id: Option<i64>,
    ) -> Result<u64, StoreError> {
        admin_only(viewer, "结束会话")?;
        let mut tx = self.begin_write().await?;
        let ended = match (session_id, user_id) {
            (Some(id), _) if id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()) => {
                sqlx::query("DELETE FROM sessions WHERE substr(token_hash, 1, 16) = $1")
                    .bind(id.to_string())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            }
            (None, Some(user)) => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user)
                .execute(&mut *tx)
                .await?
                .rows_affected(),
            _ => return Err(StoreError::invalid("session", "请指定要结束的会话或用户")),
        };
        audit::write(
            &mut tx,
            actor,
            "end_session",
            "session",
            user_id,
            None::<&()>,
            Some(&serde_json::json!({"session": session_id, "ended": ended})),
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }
}
