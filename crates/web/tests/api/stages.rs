//! The stage dialog on the detail page: illegal changes come back with the Chinese reason and
//! change nothing; a legal change shows in the dated timeline.

use crate::helpers::{TestApp, WX_CULTURE, WX_ROBOT};
use axum::http::StatusCode;

/// The `<ol class="timeline">` of a detail page.
fn timeline(page: &str) -> &str {
    let start = page.find(r#"<ol class="timeline">"#).expect("a timeline");
    let end = page[start..].find("</ol>").expect("the timeline ends") + start;
    &page[start..end]
}

#[tokio::test]
async fn skipping_a_stage_is_refused_with_422_and_the_stage_is_unchanged() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let id = app.fx.id(WX_ROBOT);
    let path = format!("/projects/{id}/stage");
    let page = office
        .post_form(
            &path,
            &[("to", "signed"), ("date", "2024-02-01"), ("version", "1")],
        )
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text.contains("不能从“线索”直接变更为“签约”"),
        "{}",
        page.text
    );
    assert!(
        page.text.contains(r#"data-show="1""#),
        "the dialog opens again with the message"
    );
    let now = app.project_now(id).await;
    assert_eq!((now.stage.as_str(), now.version), ("lead", 1));
    assert_eq!(
        app.store
            .stage_history(&app.viewer_of("admin").await, id)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_legal_stage_change_redirects_and_the_timeline_shows_the_new_stage_with_its_date() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let id = app.fx.id(WX_ROBOT);
    let resp = office
        .post_form(
            &format!("/projects/{id}/stage"),
            &[
                ("to", "negotiating"),
                ("date", "2024-02-01"),
                ("version", "1"),
            ],
        )
        .await;
    resp.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), format!("/projects/{id}"));
    let page = office.get(&format!("/projects/{id}")).await;
    page.assert_status(StatusCode::OK);
    let t = timeline(&page.text);
    let first = t
        .find("<strong>线索</strong>")
        .expect("the first stage is listed");
    let second = t
        .find("<strong>在谈</strong>")
        .expect("the new stage is listed");
    assert!(first < second, "oldest first: {t}");
    assert!(
        t[first..].contains(r#"<span class="when">2024-02-01</span>"#),
        "{t}"
    );
    assert!(t.contains(r#"<span class="when">2024-01-10</span>"#), "{t}");
    assert!(t.contains("登记：office"), "who made the change: {t}");
    let now = app.project_now(id).await;
    assert_eq!(
        (now.stage.as_str(), now.stage_date.as_str(), now.version),
        ("negotiating", "2024-02-01", 2)
    );
}

#[tokio::test]
async fn a_stale_version_in_the_stage_dialog_changes_nothing() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let id = app.fx.id(WX_ROBOT);
    let path = format!("/projects/{id}/stage");
    office
        .post_form(
            &path,
            &[
                ("to", "negotiating"),
                ("date", "2024-02-01"),
                ("version", "1"),
            ],
        )
        .await;
    let page = office
        .post_form(
            &path,
            &[("to", "signed"), ("date", "2024-03-01"), ("version", "1")],
        )
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("该项目已被他人修改"), "{}", page.text);
    assert_eq!(app.project_now(id).await.stage, "negotiating");
}

#[tokio::test]
async fn terminating_without_a_reason_is_refused_and_with_one_it_is_recorded() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let id = app.fx.id(WX_CULTURE);
    let path = format!("/projects/{id}/stage");
    let page = office
        .post_form(
            &path,
            &[
                ("to", "terminated"),
                ("date", "2024-06-01"),
                ("version", "1"),
            ],
        )
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("终止项目必须填写原因"), "{}", page.text);
    assert_eq!(app.project_now(id).await.stage, "negotiating");

    let resp = office
        .post_form(
            &path,
            &[
                ("to", "terminated"),
                ("date", "2024-06-01"),
                ("reason", "投资方撤回"),
                ("version", "1"),
            ],
        )
        .await;
    resp.assert_status(StatusCode::SEE_OTHER);
    let page = office.get(&format!("/projects/{id}")).await;
    let t = timeline(&page.text);
    assert!(
        t.contains(r#"class="ended""#) && t.contains("<strong>终止</strong>"),
        "{t}"
    );
    assert!(t.contains("原因：投资方撤回"), "{t}");
    assert!(
        !page.text.contains("stage-dialog\""),
        "a terminated project offers no further change"
    );
}

#[tokio::test]
async fn a_future_or_malformed_date_is_refused_with_a_chinese_message() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let id = app.fx.id(WX_ROBOT);
    let path = format!("/projects/{id}/stage");
    let tomorrow = (crate::helpers::today() + chrono::Days::new(1)).to_string();
    let page = office
        .post_form(
            &path,
            &[("to", "negotiating"), ("date", &tomorrow), ("version", "1")],
        )
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("变更日期不能晚于今天"), "{}", page.text);
    let page = office
        .post_form(
            &path,
            &[("to", "negotiating"), ("date", "昨天"), ("version", "1")],
        )
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("请填写有效的变更日期"), "{}", page.text);
    assert!(
        page.text.contains(">昨天<") || page.text.contains(r#"value="昨天""#),
        "the typed date is kept"
    );
    assert_eq!(app.project_now(id).await.stage, "lead");
}
