//! The audit log: who changed what, when, from where, with the record before and after.
//! Every write path calls [`write`] inside its own transaction, so a change without its
//! audit row can never be committed.

use crate::db::{StoreError, now_text};
use serde::Serialize;
use sqlx::{Any, Transaction};

/// The person (or API client) making a change.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    pub ip: String,
}

impl Actor {
    /// Changes made by the command line (demo loading, `user add`).
    pub fn system(what: &str) -> Actor {
        Actor {
            user_id: None,
            username: format!("system:{what}"),
            ip: String::new(),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub user_id: Option<i64>,
    pub username: String,
    pub ip: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    /// 1 when the event succeeded (0: a refused login …).
    pub success: i64,
}

/// Events that record a refusal rather than a change.
pub(crate) const FAILURES: [&str; 2] = ["login_failed", "login_locked"];

pub(crate) async fn write<B: Serialize, A: Serialize>(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, username, ip, action, entity, entity_id, before_json, after_json, success) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(now_text())
    .bind(actor.user_id)
    .bind(actor.username.clone())
    .bind(actor.ip.clone())
    .bind(action.to_string())
    .bind(entity.to_string())
    .bind(entity_id)
    .bind(before.map(json))
    .bind(after.map(json))
    .bind(i64::from(!FAILURES.contains(&action)))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl crate::Store {
    /// The latest audit rows for an entity, newest first.
    pub async fn audit_for(
        &self,
        entity: &str,
        entity_id: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        Ok(sqlx::query_as::<_, AuditEntry>(
            "SELECT id, at, user_id, username, ip, action, entity, entity_id, before_json, after_json, success \
             FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC",
        )
        .bind(entity.to_string())
        .bind(entity_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Who last changed a record and when (its newest successful audit row), for the page that
    /// shows a stale save both versions. The caller has already read the record in the viewer's
    /// scope; this adds only the name of whoever saved it.
    pub async fn last_change(
        &self,
        entity: &str,
        entity_id: i64,
    ) -> Result<Option<LastChange>, StoreError> {
        Ok(sqlx::query_as::<_, LastChange>(
            "SELECT a.at, a.username, COALESCE(u.display_name, '') AS display_name FROM audit_log a \
             LEFT JOIN users u ON u.id = a.user_id \
             WHERE a.entity = $1 AND a.entity_id = $2 AND a.success = 1 ORDER BY a.id DESC LIMIT 1",
        )
        .bind(entity.to_string())
        .bind(entity_id)
        .fetch_optional(&self.pool)
        .await?)
    }
}

/// The newest change to a record: when, and by whom.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct LastChange {
    pub at: String,
    pub username: String,
    pub display_name: String,
}
