//! Logging in and out: errors that keep what was typed, throttling, the session cookie, and
//! where an anonymous visitor is sent.

use crate::helpers::{PASSWORD, TestApp};
use axum::http::StatusCode;

#[tokio::test]
async fn a_wrong_password_is_refused_with_401_and_the_typed_username_is_kept() {
    let app = TestApp::spawn().await;
    let (resp, client) = app.login("office", "not-the-password1").await;
    resp.assert_status(StatusCode::UNAUTHORIZED);
    assert!(resp.text.contains("用户名或密码错误"), "{}", resp.text);
    assert!(
        resp.text.contains(r#"name="username" value="office""#),
        "the typed username is kept: {}",
        resp.text
    );
    assert!(
        client.cookie("hezuo_session").is_none(),
        "no session after a failed login"
    );
    assert!(
        resp.csrf_token().is_some(),
        "the form can be submitted again"
    );
}

#[tokio::test]
async fn an_unknown_user_gets_the_same_message_as_a_wrong_password() {
    let app = TestApp::spawn().await;
    let (resp, _) = app.login("nobody", PASSWORD).await;
    resp.assert_status(StatusCode::UNAUTHORIZED);
    assert!(resp.text.contains("用户名或密码错误"));
}

#[tokio::test]
async fn five_failures_then_the_right_password_is_refused_as_throttled() {
    let app = TestApp::spawn().await;
    for attempt in 1..=5 {
        let (resp, _) = app.login("office", "wrong-password1").await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let (resp, client) = app.login("office", PASSWORD).await;
    resp.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(resp.text.contains("登录失败次数过多"), "{}", resp.text);
    assert!(client.cookie("hezuo_session").is_none());
    // Another account is not locked by the office's failures.
    let (other, _) = app.login("admin", PASSWORD).await;
    other.assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_successful_login_redirects_with_an_httponly_samesite_lax_session_cookie() {
    let app = TestApp::spawn().await;
    let (resp, client) = app.login("office", PASSWORD).await;
    resp.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), "/projects");
    let cookie = resp
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("hezuo_session="))
        .expect("a session cookie is set");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        client
            .cookie("hezuo_session")
            .is_some_and(|v| v.len() >= 32),
        "an unguessable token"
    );
}

#[tokio::test]
async fn after_login_the_user_returns_to_the_page_they_asked_for_but_never_off_site() {
    let app = TestApp::spawn().await;
    let mut client = app.client();
    let form = client.get("/login?next=/projects/mine").await;
    assert!(
        form.text.contains(r#"name="next" value="/projects/mine""#),
        "{}",
        form.text
    );
    client.csrf = form.csrf_token().expect("a token");
    let resp = client
        .post_form(
            "/login",
            &[
                ("username", "leader"),
                ("password", PASSWORD),
                ("next", "/projects/mine"),
            ],
        )
        .await;
    resp.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), "/projects/mine");

    let mut client = app.client();
    client.csrf = client.get("/login").await.csrf_token().expect("a token");
    let resp = client
        .post_form(
            "/login",
            &[
                ("username", "office"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    resp.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), "/projects", "an off-site next is ignored");
}

#[tokio::test]
async fn logging_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let mut client = app.login_as("office").await;
    let token = client
        .cookie("hezuo_session")
        .expect("logged in")
        .to_string();
    let resp = client.post_form("/logout", &[]).await;
    resp.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), "/login");
    assert!(
        resp.set_cookies()
            .iter()
            .any(|c| c.starts_with("hezuo_session=;") && c.contains("Max-Age=0")),
        "the browser is told to forget the cookie: {:?}",
        resp.set_cookies()
    );
    // Even a browser that kept the old cookie is no longer logged in.
    client.set_cookie("hezuo_session", &token);
    let page = client.get("/projects").await;
    page.assert_status(StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/login"), "{}", page.location());
}

#[tokio::test]
async fn an_anonymous_visitor_is_sent_to_the_login_form_with_the_page_to_return_to() {
    let app = TestApp::spawn().await;
    let mut client = app.client();
    let resp = client.get("/projects").await;
    resp.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), "/login?next=%2Fprojects");
    let resp = client.get("/projects?stage=signed").await;
    assert_eq!(resp.location(), "/login?next=%2Fprojects%3Fstage%3Dsigned");
    let id = app.fx.id(crate::helpers::WX_EV);
    let resp = client.get(&format!("/projects/{id}")).await;
    assert_eq!(resp.location(), format!("/login?next=%2Fprojects%2F{id}"));
    assert!(
        !resp.text.contains(crate::helpers::WX_EV),
        "nothing of the project leaks"
    );
}

#[tokio::test]
async fn the_api_answers_401_json_without_a_valid_token() {
    let app = TestApp::spawn().await;
    let resp = app.client().get("/api/v1/projects").await;
    resp.assert_status(StatusCode::UNAUTHORIZED);
    assert!(
        resp.header("content-type")
            .is_some_and(|c| c.starts_with("application/json"))
    );
    let body = resp.json();
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
    assert!(body.get("items").is_none());

    let resp = app.api_get("hz_not-a-real-token", "/api/v1/projects").await;
    resp.assert_status(StatusCode::UNAUTHORIZED);
    assert!(resp.json()["error"].is_string());
    let id = app.fx.id(crate::helpers::WX_EV);
    let resp = app
        .api_get("hz_not-a-real-token", &format!("/api/v1/projects/{id}"))
        .await;
    resp.assert_status(StatusCode::UNAUTHORIZED);
}
