//! The project form: every error next to its field with what was typed kept, then a fixed form
//! that saves and leads to the detail page; editing with optimistic versions.

use crate::helpers::{NANXUN, TestApp, TestResponse, WX_ROBOT, project_form};
use axum::http::StatusCode;

/// The HTML of one field's block on the project form (from its `<div class="field` to the next).
#[track_caller]
fn field_block<'a>(page: &'a TestResponse, name: &str) -> &'a str {
    let body = page.text.as_str();
    let input = body
        .find(&format!(r#"id="f-{name}""#))
        .unwrap_or_else(|| panic!("no field {name} on the form"));
    let start = body[..input]
        .rfind(r#"<div class="field"#)
        .expect("a field block");
    let end = body[input..]
        .find(r#"<div class="field"#)
        .map_or(body.len(), |i| input + i);
    let end = body[input..end]
        .find("</fieldset>")
        .map_or(end, |i| input + i);
    &body[start..end]
}

#[track_caller]
fn assert_field_error(page: &TestResponse, name: &str, message: &str) {
    let block = field_block(page, name);
    assert!(block.contains("has-error"), "{name} is marked: {block}");
    let expected = format!(r#"<p class="field-error" id="err-{name}">{message}"#);
    assert!(
        block.contains(&expected),
        "{name} shows “{message}” next to it: {block}"
    );
}

fn with(mut form: Vec<(String, String)>, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    for (k, v) in changes {
        match form.iter_mut().find(|(name, _)| name == k) {
            Some(pair) => pair.1 = v.to_string(),
            None => form.push((k.to_string(), v.to_string())),
        }
    }
    form
}

#[tokio::test]
async fn a_form_with_errors_is_shown_again_with_each_error_next_to_its_field_and_what_was_typed() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let before = app.project_count().await;
    let bad = with(
        project_form("", NANXUN),
        &[
            ("investor", "上海某某集团有限公司"),
            ("investment_wan", "一亿"),
            ("project_code", "2024-1"),
        ],
    );
    let page = office.post_pairs("/projects", &bad).await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("有 3 处需要修改"), "{}", page.text);
    assert_field_error(&page, "name", "请填写项目名称");
    assert_field_error(&page, "investment_wan", "协议投资：“一亿”不是有效的金额");
    assert_field_error(
        &page,
        "project_code",
        "项目代码应为“年份-地区码-行业码-类型码-流水号”",
    );
    assert!(
        !field_block(&page, "investor").contains("field-error"),
        "a good field has no error"
    );
    // What was typed is still there.
    assert!(
        page.text
            .contains(r#"name="investor" value="上海某某集团有限公司""#),
        "{}",
        page.text
    );
    assert!(page.text.contains(r#"name="investment_wan" value="一亿""#));
    assert!(page.text.contains(r#"name="project_code" value="2024-1""#));
    assert!(
        field_block(&page, "district_code")
            .contains(&format!(r#"<option value="{NANXUN}" selected>"#))
    );
    assert!(field_block(&page, "origin").contains(r#"<option value="shanghai" selected>"#));
    // The re-rendered form can be submitted again.
    assert_eq!(page.csrf_token().as_deref(), Some(office.csrf.as_str()));
    assert_eq!(app.project_count().await, before, "nothing was saved");
}

#[tokio::test]
async fn fixing_the_form_saves_the_project_and_leads_to_its_detail_page() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let bad = with(
        project_form("", NANXUN),
        &[
            ("investor", "上海某某集团有限公司"),
            ("investment_wan", "一亿"),
            ("project_code", "2024-1"),
        ],
    );
    office
        .post_pairs("/projects", &bad)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let fixed = with(
        bad,
        &[
            ("name", "南浔高端装备产业园"),
            ("investment_wan", "15000"),
            ("project_code", "2024-330503-34-01-000123"),
        ],
    );
    let resp = office.post_pairs("/projects", &fixed).await;
    resp.assert_status(StatusCode::SEE_OTHER);
    let location = resp.location().to_string();
    let id: i64 = location
        .strip_prefix("/projects/")
        .and_then(|s| s.parse().ok())
        .expect("/projects/{id}");

    let detail = office.get(&location).await;
    detail.assert_status(StatusCode::OK);
    for shown in [
        "南浔高端装备产业园",
        "上海某某集团有限公司",
        "南浔区",
        "2024-330503-34-01-000123",
        "15,000",
    ] {
        assert!(
            detail.text.contains(shown),
            "the detail page shows {shown}: {}",
            detail.text
        );
    }
    let row = app.project_now(id).await;
    assert_eq!(
        (
            row.investment_cny,
            row.district_code.as_str(),
            row.stage.as_str()
        ),
        (150_000_000, NANXUN, "lead")
    );
    let list = office.get("/projects?q=高端装备").await;
    assert_eq!(list.page_total(), 1);
}

#[tokio::test]
async fn a_duplicate_project_code_is_shown_next_to_the_code_field() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let taken = app
        .fx
        .project(crate::helpers::CX_BATTERY)
        .project_code
        .clone()
        .expect("a code");
    let form = with(
        project_form("重复代码项目", NANXUN),
        &[("project_code", &taken)],
    );
    let page = office.post_pairs("/projects", &form).await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_field_error(&page, "project_code", "已有项目使用该项目代码");
}

#[tokio::test]
async fn editing_a_project_saves_at_the_current_version_and_refuses_a_stale_one() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let project = app.fx.project(WX_ROBOT).clone();
    let edit = office.get(&format!("/projects/{}/edit", project.id)).await;
    edit.assert_status(StatusCode::OK);
    assert!(
        edit.text
            .contains(&format!(r#"name="name" value="{WX_ROBOT}""#)),
        "{}",
        edit.text
    );
    assert!(edit.text.contains(r#"name="version" value="1""#));

    let form = with(
        project_form(WX_ROBOT, &project.district_code),
        &[("investor", "杭州机器人有限公司"), ("version", "1")],
    );
    let resp = office
        .post_pairs(&format!("/projects/{}", project.id), &form)
        .await;
    resp.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), format!("/projects/{}", project.id));
    let saved = app.project_now(project.id).await;
    assert_eq!(
        (saved.investor.as_str(), saved.version),
        ("杭州机器人有限公司", 2)
    );
    assert_eq!(
        saved.stage, project.stage,
        "the form never changes the stage"
    );

    // Someone else saved in between: version 1 is stale.
    let stale = with(form, &[("investor", "过期的投资方")]);
    let page = office
        .post_pairs(&format!("/projects/{}", project.id), &stale)
        .await;
    page.assert_status(StatusCode::CONFLICT);
    assert!(page.text.contains("这条记录已被他人修改"), "{}", page.text);
    assert!(
        page.text.contains(
            r#"<td class="mine">过期的投资方</td><td class="theirs">杭州机器人有限公司</td>"#
        ),
        "both versions are shown: {}",
        page.text
    );
    assert!(
        page.text
            .contains(r#"name="investor" value="过期的投资方""#),
        "what was typed is kept"
    );
    assert!(
        page.text.contains(r#"name="version" value="2""#),
        "saving again applies over the latest version"
    );
    assert_eq!(
        app.project_now(project.id).await.investor,
        "杭州机器人有限公司",
        "nothing was overwritten"
    );

    // The detail page's change history names who changed which fields.
    let detail = office.get(&format!("/projects/{}", project.id)).await;
    assert!(detail.text.contains("修改记录"), "{}", detail.text);
    assert!(
        detail.text.contains("office <strong>修改</strong>"),
        "{}",
        detail.text
    );
    assert!(
        detail.text.contains(r#"<div class="muted">投资方</div>"#),
        "{}",
        detail.text
    );
}

/// The edit form of a project on one list with one flag sends `lists` and `flags` once each,
/// as a browser does; a save must read them as lists of one, not refuse the form.
#[tokio::test]
async fn a_project_on_one_list_with_one_flag_saves_from_the_form() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let project = app.fx.project(WX_ROBOT).clone();
    let list = format!("{}:2024", app.fx.list.id);
    let form = with(
        project_form(WX_ROBOT, &project.district_code),
        &[("version", "1"), ("lists", &list), ("flags", "global500")],
    );
    let resp = office
        .post_pairs(&format!("/projects/{}", project.id), &form)
        .await;
    resp.assert_status(StatusCode::SEE_OTHER);
    let viewer = app.viewer_of("office").await;
    let lists = app
        .store
        .project_lists(&viewer, project.id)
        .await
        .expect("the project's lists");
    assert_eq!(
        lists
            .iter()
            .map(|l| (l.list_id, l.year))
            .collect::<Vec<_>>(),
        [(app.fx.list.id, 2024)]
    );
    let saved = app.project_now(project.id).await;
    assert_eq!(saved.flags, "global500", "{saved:?}");

    // And the edit form shows it back with the one list and flag checked; saving it unchanged
    // (every field as the browser sends it) is accepted too.
    let edit = office.get(&format!("/projects/{}/edit", project.id)).await;
    let again = with(form, &[("version", "2")]);
    assert!(
        edit.text.contains(r#"name="version" value="2""#),
        "{}",
        edit.text
    );
    office
        .post_pairs(&format!("/projects/{}", project.id), &again)
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_detail_page_shows_a_project_with_the_names_of_what_it_refers_to() {
    let app = TestApp::spawn().await;
    let mut unit = app.login_as("unit").await;
    let id = app.fx.id(crate::helpers::WX_EV);
    let page = unit.get(&format!("/projects/{id}")).await;
    page.assert_status(StatusCode::OK);
    let fx = &app.fx;
    for shown in [
        crate::helpers::WX_EV,
        "上海电驱动股份有限公司",
        "5亿元",
        "50,000",
        "吴兴区",
        &fx.industry.name,
        &fx.chain.name,
        &fx.leader.name,
        &fx.unit.name,
        "省重大产业项目（2024）",
        "2024-03-05",
    ] {
        assert!(
            page.text.contains(shown),
            "the detail page shows {shown}: {}",
            page.text
        );
    }
    assert!(
        !page.text.contains("stage-dialog"),
        "a unit changes nothing"
    );
}
