//! 等保 at the web edge: every download is on record (who, from where, what), the administrator
//! finds it in the audit log and exports the log, and ends a user's sessions, after which that
//! user's next request goes back to the login page. Nobody else sees these pages.

use crate::helpers::*;
use axum::http::StatusCode;
use hezuo_office::book::read_book;

#[tokio::test]
async fn downloads_are_audited_and_the_administrator_reads_the_log_and_ends_sessions() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    office
        .get("/projects/export.xlsx?district=330502")
        .await
        .assert_status(StatusCode::OK);

    let mut admin = app.login_as("admin").await;
    let log = admin.get("/admin/audit?action=export").await;
    log.assert_status(StatusCode::OK);
    assert!(
        log.text.contains("/projects/export.xlsx?district=330502") && log.text.contains("office"),
        "{}",
        log.text
    );
    let failed = admin.get("/admin/audit?success=0").await;
    assert!(failed.text.contains("共 <strong id=\"total\">0</strong>"));
    let bad = app.login("office", "Wrong2024x").await.0;
    assert_ne!(bad.status, StatusCode::SEE_OTHER);
    let failed = admin.get("/admin/audit?success=0&user=office").await;
    assert!(failed.text.contains("登录失败"), "{}", failed.text);

    // The log goes out as a workbook (and that download is on record too).
    let resp = admin.get("/admin/audit/export.xlsx?action=export").await;
    resp.assert_status(StatusCode::OK);
    let book = read_book(&resp.bytes).unwrap();
    let rows = &book.sheets[0].rows;
    assert!(
        rows.iter()
            .any(|r| r.iter().any(|c| c.contains("/projects/export.xlsx")))
    );
    let log = admin.get("/admin/audit?action=export&user=admin").await;
    assert!(log.text.contains("/admin/audit/export.xlsx"));

    // Sessions: the administrator ends every session of the office account.
    let page = admin.get("/admin/sessions").await;
    page.assert_status(StatusCode::OK);
    let office_id = app
        .store
        .user_by_name("office")
        .await
        .unwrap()
        .id
        .to_string();
    assert!(
        page.text
            .contains(&format!("name=\"user_id\" value=\"{office_id}\""))
    );
    admin
        .post_form("/admin/sessions/end", &[("user_id", &office_id)])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let after = office.get("/projects").await;
    after.assert_status(StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/login"));

    // Nobody but the administrator.
    let mut area = app.login_as("area").await;
    for path in [
        "/admin/audit",
        "/admin/sessions",
        "/admin/audit/export.xlsx",
    ] {
        area.get(path).await.assert_status(StatusCode::FORBIDDEN);
    }
    area.post_form("/admin/sessions/end", &[("user_id", &office_id)])
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_aged_password_must_be_changed_before_anything_else_and_the_change_ends_sessions() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    // The password was set 91 days ago (等保 profile: 90).
    let long_ago = (chrono::Utc::now() - chrono::Duration::days(91))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    sqlx::query("UPDATE users SET password_changed_at = $1 WHERE username = 'office'")
        .bind(long_ago)
        .execute(app.store.pool())
        .await
        .unwrap();
    let held = office.get("/projects").await;
    held.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(held.location(), "/account/password?expired=1");
    let form = office.get("/account/password?expired=1").await;
    assert!(form.text.contains("您的密码已超过更换周期") && form.text.contains("每90天须更换一次"));

    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        vec![
            ("current", current),
            ("password", new),
            ("confirm", confirm),
        ]
    };
    let wrong = office
        .post_form(
            "/account/password",
            &change("nope", "Newpass2025", "Newpass2025"),
        )
        .await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text.contains("当前密码不正确"));
    let mismatch = office
        .post_form(
            "/account/password",
            &change(PASSWORD, "Newpass2025", "Newpass2026"),
        )
        .await;
    assert!(mismatch.text.contains("两次输入的新密码不一致"));
    let weak = office
        .post_form("/account/password", &change(PASSWORD, "short", "short"))
        .await;
    assert!(weak.text.contains("密码至少8位"));
    let same = office
        .post_form("/account/password", &change(PASSWORD, PASSWORD, PASSWORD))
        .await;
    assert!(same.text.contains("新密码不能与当前密码相同"));
    let done = office
        .post_form(
            "/account/password",
            &change(PASSWORD, "Newpass2025", "Newpass2025"),
        )
        .await;
    done.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/login?changed=1");
    // Every session of the account ended; the new password works and nothing is held up.
    office
        .get("/projects")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let login = app.client().get("/login?changed=1").await;
    assert!(login.text.contains("密码已修改，请用新密码重新登录"));
    let (resp, mut again) = app.login("office", "Newpass2025").await;
    resp.assert_status(StatusCode::SEE_OTHER);
    again.get("/projects").await.assert_status(StatusCode::OK);
}
