//! Administration: only 管理员 enters; dictionaries and accounts are kept through forms whose
//! errors are shown in Chinese.

use crate::helpers::{PASSWORD, TestApp, USERS};
use axum::http::StatusCode;
use hezuo_store::dict::DictKind;

#[tokio::test]
async fn only_administrators_may_enter_the_administration_pages() {
    let app = TestApp::spawn().await;
    for user in USERS.iter().filter(|u| **u != "admin") {
        let mut client = app.login_as(user).await;
        for path in ["/admin", "/admin/users", "/admin/dict/industries"] {
            let page = client.get(path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{user} on {path}");
            assert!(
                page.text.contains("仅系统管理员可以进行此操作"),
                "{user} on {path}"
            );
        }
        assert!(
            !client
                .get("/projects")
                .await
                .text
                .contains(r#"href="/admin""#),
            "{user} sees no 系统管理 link"
        );
        let resp = client
            .post_form("/admin/dict/industries", &[("name", "越权产业")])
            .await;
        assert_eq!(
            resp.status,
            StatusCode::FORBIDDEN,
            "{user} cannot add to a dictionary"
        );
    }
    assert!(
        app.store
            .dict_find(DictKind::Industry, "越权产业")
            .await
            .unwrap()
            .is_none()
    );

    let mut admin = app.login_as("admin").await;
    let page = admin.get("/admin").await;
    page.assert_status(StatusCode::OK);
    assert!(
        page.text.contains("用户与角色") && page.text.contains("6 个账号"),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn an_administrator_adds_an_industry_and_sees_it_listed() {
    let app = TestApp::spawn().await;
    let mut admin = app.login_as("admin").await;
    let resp = admin
        .post_form("/admin/dict/industries", &[("name", "生物医药")])
        .await;
    resp.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), "/admin/dict/industries");
    let page = admin.get("/admin/dict/industries").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text.contains("<td>生物医药</td>"), "{}", page.text);
    assert!(
        page.text
            .contains(&format!("<td>{}</td>", app.fx.industry.name))
    );
    // The new industry is offered on the project form.
    let form = admin.get("/projects/new").await;
    assert!(form.text.contains(">生物医药</option>"));
}

#[tokio::test]
async fn a_duplicate_industry_name_is_refused_with_a_chinese_message() {
    let app = TestApp::spawn().await;
    let mut admin = app.login_as("admin").await;
    let existing = app.fx.industry.name.clone();
    let page = admin
        .post_form("/admin/dict/industries", &[("name", &existing)])
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text.contains("已有同名或同代码的产业"),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains(&format!(r#"name="name" value="{existing}""#)),
        "what was typed is kept"
    );
    assert_eq!(
        app.store.dict_list(DictKind::Industry).await.unwrap().len(),
        1
    );

    let page = admin
        .post_form(
            "/admin/dict/districts",
            &[("name", "安吉县"), ("code", "3305")],
        )
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text.contains("行政区划代码应为6位数字"),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn an_administrator_creates_a_user_who_can_then_log_in() {
    let app = TestApp::spawn().await;
    let mut admin = app.login_as("admin").await;
    let resp = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "nanxun"),
                ("display_name", "南浔联络员"),
                ("role", "area"),
                ("area", "330503"),
                ("password", "Nanxun2024"),
            ],
        )
        .await;
    resp.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), "/admin/users");
    let page = admin.get("/admin/users").await;
    assert!(
        page.text.contains("<td>nanxun</td>") && page.text.contains("<td>南浔区</td>"),
        "{}",
        page.text
    );

    let (resp, mut nanxun) = app.login("nanxun", "Nanxun2024").await;
    resp.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        nanxun.get("/projects").await.page_total(),
        2,
        "the new liaison sees 南浔区's projects"
    );
}

#[tokio::test]
async fn a_weak_password_is_refused_when_creating_a_user() {
    let app = TestApp::spawn().await;
    let mut admin = app.login_as("admin").await;
    let page = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "weakling"),
                ("role", "office"),
                ("password", "abc123"),
            ],
        )
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("密码至少8位"), "{}", page.text);
    assert!(
        page.text.contains(r#"name="username" value="weakling""#),
        "the username is kept"
    );
    assert!(
        !page.text.contains("abc123"),
        "the password is never echoed"
    );
    assert!(
        app.store.user_by_name("weakling").await.is_err(),
        "no account was made"
    );
    let (resp, _) = app.login("weakling", "abc123").await;
    resp.assert_status(StatusCode::UNAUTHORIZED);

    let page = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "office"),
                ("role", "office"),
                ("password", PASSWORD),
            ],
        )
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("该用户名已被使用"), "{}", page.text);
}
