//! 等保三级 in the store: the audit log cannot be changed by anyone (the database refuses), rows
//! younger than 180 days cannot be deleted and a shorter retention is refused; refused logins
//! are on record with success = 0 and a lock lasts 10 minutes after the last attempt; the
//! administrator finds events and ends sessions; sessions live as configured.

use crate::support::*;
use hezuo_store::Store;
use hezuo_store::auth::{LoginError, LoginErrorOr, PasswordProfile, SessionPolicy, UserInput};
use hezuo_store::security::AuditFilter;

contract!(
    the_audit_log_refuses_change_and_early_deletion,
    refused_logins_are_audited_and_searchable,
    the_administrator_sees_and_ends_sessions,
    passwords_follow_the_configured_profile,
);

const PASSWORD: &str = "Secret2024";

async fn account(store: &Store, name: &str) {
    let input = UserInput {
        username: name.into(),
        display_name: name.into(),
        role: "office".into(),
        ..Default::default()
    };
    store.create_user(&actor(), &input, PASSWORD).await.unwrap();
}

async fn the_audit_log_refuses_change_and_early_deletion(store: Store) {
    account(&store, "qian").await;
    let pool = store.pool();
    let update = sqlx::query("UPDATE audit_log SET username = 'someone else'")
        .execute(pool)
        .await;
    assert!(update.is_err(), "an audit row was changed");
    let delete = sqlx::query("DELETE FROM audit_log").execute(pool).await;
    assert!(delete.is_err(), "a recent audit row was deleted");
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(pool)
        .await
        .unwrap();
    assert!(kept >= 1);
    // A row past 180 days may go, through the purge (which is itself on record).
    sqlx::query(
        "INSERT INTO audit_log (at, username, ip, action, entity, success) \
         VALUES ('2020-01-01T00:00:00Z', 'old', '', 'login', 'session', 1)",
    )
    .execute(pool)
    .await
    .unwrap();
    expect_invalid(store.purge_audit(&admin(), &actor(), 179).await);
    expect_refused(store.purge_audit(&district_viewer(A), &actor(), 365).await);
    assert_eq!(store.purge_audit(&admin(), &actor(), 180).await.unwrap(), 1);
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(
        after,
        kept + 1,
        "the old row went and the purge was recorded"
    );
}

async fn refused_logins_are_audited_and_searchable(store: Store) {
    account(&store, "zhao").await;
    for _ in 0..5 {
        assert!(matches!(
            store.login("zhao", "Wrong2024", "192.0.2.7").await,
            Err(LoginErrorOr::Login(LoginError::Invalid))
        ));
    }
    // Locked: even the right password, and the same answer for a name that does not exist
    // once it has been tried as often.
    assert!(matches!(
        store.login("zhao", PASSWORD, "192.0.2.7").await,
        Err(LoginErrorOr::Login(LoginError::Throttled))
    ));
    for _ in 0..5 {
        let _ = store.login("nobody", "Wrong2024", "192.0.2.8").await;
    }
    assert!(matches!(
        store.login("nobody", PASSWORD, "192.0.2.8").await,
        Err(LoginErrorOr::Login(LoginError::Throttled))
    ));
    // Ten minutes after the last attempt the name may try again.
    sqlx::query(
        "UPDATE login_failures SET window_start = '2020-01-01T00:00:00Z' WHERE key = 'user:zhao'",
    )
    .execute(store.pool())
    .await
    .unwrap();
    assert!(store.login("zhao", PASSWORD, "192.0.2.9").await.is_ok());

    let refused = AuditFilter {
        user: Some("zhao".into()),
        success: Some("0".into()),
        ..Default::default()
    };
    let page = store.search_audit(&admin(), &refused, 50).await.unwrap();
    let actions: Vec<&str> = page.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "login_failed").count(), 5);
    assert_eq!(actions.iter().filter(|a| **a == "login_locked").count(), 1);
    assert!(
        page.items
            .iter()
            .all(|e| e.success == 0 && e.ip.starts_with("192.0.2."))
    );
    let ok = AuditFilter {
        user: Some("zhao".into()),
        action: Some("login".into()),
        from: Some(chrono::Utc::now().date_naive().to_string()),
        ..Default::default()
    };
    let page = store.search_audit(&admin(), &ok, 50).await.unwrap();
    assert_eq!((page.total, page.items[0].success), (1, 1));
    expect_invalid(
        store
            .search_audit(
                &admin(),
                &AuditFilter {
                    from: Some("昨天".into()),
                    ..Default::default()
                },
                50,
            )
            .await,
    );
    expect_refused(
        store
            .search_audit(&district_viewer(A), &AuditFilter::default(), 50)
            .await,
    );
}

async fn the_administrator_sees_and_ends_sessions(store: Store) {
    account(&store, "wu").await;
    account(&store, "zheng").await;
    let a = store.login("wu", PASSWORD, "192.0.2.1").await.ok().unwrap();
    let b = store.login("wu", PASSWORD, "192.0.2.2").await.ok().unwrap();
    let c = store
        .login("zheng", PASSWORD, "192.0.2.3")
        .await
        .ok()
        .unwrap();
    let live = store.list_sessions(&admin()).await.unwrap();
    assert_eq!(live.len(), 3);
    assert!(
        live.iter()
            .all(|s| s.id.len() == 16 && !s.id.contains(&a.token[..16]))
    );
    expect_refused(store.list_sessions(&district_viewer(A)).await);
    let one = live.iter().find(|s| s.ip == "192.0.2.3").unwrap();
    assert_eq!(
        store
            .end_sessions(&admin(), &actor(), Some(&one.id), None)
            .await
            .unwrap(),
        1
    );
    assert!(store.session(&c.token).await.unwrap().is_none());
    let wu = live.iter().find(|s| s.username == "wu").unwrap().user_id;
    assert_eq!(
        store
            .end_sessions(&admin(), &actor(), None, Some(wu))
            .await
            .unwrap(),
        2
    );
    assert!(store.session(&a.token).await.unwrap().is_none());
    assert!(store.session(&b.token).await.unwrap().is_none());
    expect_invalid(
        store
            .end_sessions(&admin(), &actor(), Some("x"), None)
            .await,
    );

    // A configured idle timeout ends a session that has sat that long.
    assert!(SessionPolicy::new(2, 12).is_err() && SessionPolicy::new(30, 0).is_err());
    let strict = store
        .clone()
        .with_session_policy(SessionPolicy::new(5, 1).unwrap());
    let d = strict
        .login("zheng", PASSWORD, "192.0.2.4")
        .await
        .ok()
        .unwrap();
    assert!(strict.session(&d.token).await.unwrap().is_some());
    let six_minutes_ago = (chrono::Utc::now() - chrono::Duration::minutes(6))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind(six_minutes_ago)
        .execute(strict.pool())
        .await
        .unwrap();
    assert!(strict.session(&d.token).await.unwrap().is_none());
}

async fn passwords_follow_the_configured_profile(store: Store) {
    // 等保 (the default): letters and digits, 8 or more; aged after the configured days.
    let dengbao = store.password_profile();
    assert_eq!(dengbao, PasswordProfile::Dengbao { max_age_days: 90 });
    expect_invalid(dengbao.check("wang", "abcdefgh"));
    assert!(dengbao.check("wang", "abcd1234").is_ok());
    let days_ago = |d: i64| {
        (chrono::Utc::now() - chrono::Duration::days(d))
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    assert!(!dengbao.expired(&days_ago(89)) && dengbao.expired(&days_ago(91)));
    assert!(
        PasswordProfile::parse("dengbao", 10).is_err() && PasswordProfile::parse("x", 90).is_err()
    );

    // ASVS: length, no common password, not the user name; never aged.
    let asvs = store
        .clone()
        .with_password_profile(PasswordProfile::parse("asvs", 90).unwrap());
    let input = UserInput {
        username: "wangwu".into(),
        display_name: "王五".into(),
        role: "office".into(),
        ..Default::default()
    };
    for weak in [
        "Secret2024",
        "password1234",
        "aaaaaaaaaaaaaa",
        "my-wangwu-pass-2024",
    ] {
        expect_invalid(asvs.create_user(&actor(), &input, weak).await);
    }
    let user = asvs
        .create_user(&actor(), &input, "correct horse battery staple")
        .await
        .unwrap();
    assert!(!user.password_changed_at.is_empty());
    assert!(!asvs.password_profile().expired(&days_ago(1000)));

    // A user's own change: the current password must be right; sessions end.
    let session = asvs
        .login("wangwu", "correct horse battery staple", "192.0.2.5")
        .await
        .ok()
        .unwrap();
    expect_invalid(
        asvs.change_own_password(&actor(), user.id, "wrong", "another long passphrase")
            .await,
    );
    asvs.change_own_password(
        &actor(),
        user.id,
        "correct horse battery staple",
        "another long passphrase",
    )
    .await
    .unwrap();
    assert!(asvs.session(&session.token).await.unwrap().is_none());
    assert!(
        asvs.login("wangwu", "another long passphrase", "192.0.2.5")
            .await
            .is_ok()
    );
}
