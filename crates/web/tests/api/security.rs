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
