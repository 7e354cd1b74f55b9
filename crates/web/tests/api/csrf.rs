//! CSRF: a logged-in browser's state-changing requests carry the session's token; the login form
//! uses the pre-login cookie; bearer-token API clients carry no cookie authority and need none.

use crate::helpers::{NANXUN, PASSWORD, TestApp, WUXING, project_form, project_json};
use axum::http::StatusCode;

#[tokio::test]
async fn a_logged_in_post_without_a_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let before = app.project_count().await;
    let pairs = project_form("无令牌项目", WUXING);
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let resp = office.post_form_raw("/projects", &borrowed).await;
    resp.assert_status(StatusCode::FORBIDDEN);
    assert!(resp.text.contains("请刷新页面后重试"), "{}", resp.text);
    assert_eq!(app.project_count().await, before, "nothing was created");
}

#[tokio::test]
async fn a_logged_in_post_with_a_wrong_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let before = app.project_count().await;
    office.csrf = "0".repeat(64);
    let resp = office
        .post_pairs("/projects", &project_form("错令牌项目", WUXING))
        .await;
    resp.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(app.project_count().await, before, "nothing was created");

    // Another session's token is just as wrong.
    let other = app.login_as("admin").await;
    office.csrf = other.csrf.clone();
    let resp = office
        .post_pairs("/projects", &project_form("他人令牌项目", WUXING))
        .await;
    resp.assert_status(StatusCode::FORBIDDEN);
    assert_eq!(app.project_count().await, before);
}

#[tokio::test]
async fn the_right_token_in_the_form_or_the_header_is_accepted() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let resp = office
        .post_pairs("/projects", &project_form("有令牌项目", WUXING))
        .await;
    resp.assert_status(StatusCode::SEE_OTHER);

    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(project_form("请求头令牌项目", NANXUN))
        .finish();
    let req = axum::http::Request::post("/projects")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-csrf-token", office.csrf.clone())
        .body(axum::body::Body::from(body))
        .expect("a request");
    office.send(req).await.assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn logout_without_a_csrf_token_is_refused_and_the_session_survives() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let resp = office.post_form_raw("/logout", &[]).await;
    resp.assert_status(StatusCode::FORBIDDEN);
    assert!(office.cookie("hezuo_session").is_some());
    office.get("/projects").await.assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_login_post_without_the_pre_login_cookie_token_is_refused() {
    let app = TestApp::spawn().await;
    // No GET /login first: no pre-login cookie to match the form's token.
    let mut client = app.client();
    let resp = client
        .post_form_raw(
            "/login",
            &[
                ("username", "office"),
                ("password", PASSWORD),
                ("_csrf", "forged"),
            ],
        )
        .await;
    resp.assert_status(StatusCode::FORBIDDEN);
    assert!(client.cookie("hezuo_session").is_none());

    // With the cookie but a token that does not match it.
    let mut client = app.client();
    client.get("/login").await;
    assert!(
        client.cookie("hezuo_csrf").is_some(),
        "the login form sets the pre-login cookie"
    );
    let resp = client
        .post_form_raw(
            "/login",
            &[
                ("username", "office"),
                ("password", PASSWORD),
                ("_csrf", "forged"),
            ],
        )
        .await;
    resp.assert_status(StatusCode::FORBIDDEN);
    // And without any token.
    let resp = client
        .post_form_raw("/login", &[("username", "office"), ("password", PASSWORD)])
        .await;
    resp.assert_status(StatusCode::FORBIDDEN);
    assert!(client.cookie("hezuo_session").is_none());
}

#[tokio::test]
async fn bearer_token_api_writes_need_no_csrf_token() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let resp = app
        .api_post_json(
            &token,
            "/api/v1/projects",
            &project_json("接口新建项目", WUXING),
        )
        .await;
    resp.assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn a_cookie_authenticated_api_write_without_a_csrf_token_is_refused_as_json() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let before = app.project_count().await;
    let req = axum::http::Request::post("/api/v1/projects")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            project_json("借会话项目", WUXING).to_string(),
        ))
        .expect("a request");
    let resp = office.send(req).await;
    resp.assert_status(StatusCode::FORBIDDEN);
    assert!(resp.json()["error"].is_string());
    assert_eq!(app.project_count().await, before);
}
