//! Security headers on every answer, pages and API alike.

use crate::helpers::TestApp;
use axum::http::StatusCode;

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let login = app.client().get("/login").await;
    let projects = office.get("/projects").await;
    let missing = office.get("/projects/999999").await;
    let api = app.client().get("/api/v1/projects").await;
    for (what, resp) in [
        ("login", &login),
        ("list", &projects),
        ("404", &missing),
        ("api", &api),
    ] {
        let csp = resp
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{what}: no CSP"));
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{what}: {csp}"
        );
        assert_eq!(
            resp.header("x-content-type-options"),
            Some("nosniff"),
            "{what}"
        );
        assert_eq!(resp.header("x-frame-options"), Some("DENY"), "{what}");
        assert!(resp.header("referrer-policy").is_some(), "{what}");
    }
    projects.assert_status(StatusCode::OK);
    assert!(
        projects
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/html"))
    );
}
