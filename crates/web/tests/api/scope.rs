//! The scope matrix: what each role sees on the list page and through the API, and that a
//! project outside a viewer's scope does not exist for it (404 everywhere, nothing changed).

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Checks the list page and the API list show exactly `expected`; returns the API items.
async fn sees_exactly(app: &TestApp, user: &str, expected: &[&str]) -> Vec<Value> {
    let mut client = app.login_as(user).await;
    let page = client.get("/projects").await;
    page.assert_status(StatusCode::OK);
    assert_eq!(
        page.page_total(),
        expected.len() as i64,
        "{user}: the list page's total"
    );
    for name in ALL_PROJECTS {
        assert_eq!(
            page.text.contains(name),
            expected.contains(&name),
            "{user}: {name} on the list page"
        );
    }

    // The export: the same rows, read back from the workbook (names in column B under the
    // title, scope and header rows; the 合计 row last).
    let export = client.get("/projects/export.xlsx").await;
    export.assert_status(StatusCode::OK);
    assert!(
        export
            .header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment;") && d.contains("filename*=UTF-8''")),
        "{user}: a download with a safe name"
    );
    let book = hezuo_office::book::read_book(&export.bytes).expect("a workbook");
    let rows = &book.sheets[0].rows;
    let mut exported: Vec<&str> = rows[3..]
        .iter()
        .filter(|r| r.first().map(String::as_str) != Some("合计"))
        .map(|r| r[1].as_str())
        .collect();
    exported.sort_unstable();
    let mut want = expected.to_vec();
    want.sort_unstable();
    assert_eq!(exported, want, "{user}: the export's rows");

    let token = app.api_token_for(user).await;
    let resp = app.api_get(&token, "/api/v1/projects?per_page=200").await;
    resp.assert_status(StatusCode::OK);
    let body = resp.json();
    assert_eq!(
        body["total"],
        json!(expected.len()),
        "{user}: the API's total"
    );
    let items = body["items"].as_array().expect("items").clone();
    let mut names: Vec<&str> = items
        .iter()
        .map(|p| p["name"].as_str().expect("a name"))
        .collect();
    names.sort_unstable();
    let mut want = expected.to_vec();
    want.sort_unstable();
    assert_eq!(names, want, "{user}: the API's items");
    items
}

/// Checks that `user` can neither read nor change the project `name`, and that it is untouched.
async fn hidden_from(app: &TestApp, user: &str, name: &str) {
    let project = app.fx.project(name).clone();
    let id = project.id;
    // Out of scope is absent for everyone, whether or not the role may edit.
    let write_refusal = StatusCode::NOT_FOUND;
    let mut client = app.login_as(user).await;

    let page = client.get(&format!("/projects/{id}")).await;
    page.assert_status(StatusCode::NOT_FOUND);
    assert!(
        !page.text.contains(name),
        "{user}: the 404 page says nothing about {name}"
    );
    client
        .get(&format!("/projects/{id}/edit"))
        .await
        .assert_status(write_refusal);
    let form = project_form("越权修改", &project.district_code);
    let form: Vec<(String, String)> = form
        .into_iter()
        .chain([("version".to_string(), "1".to_string())])
        .collect();
    client
        .post_pairs(&format!("/projects/{id}"), &form)
        .await
        .assert_status(write_refusal);
    let next = if project.stage == "lead" {
        "negotiating"
    } else {
        "terminated"
    };
    client
        .post_form(
            &format!("/projects/{id}/stage"),
            &[
                ("to", next),
                ("date", "2024-06-01"),
                ("reason", "越权"),
                ("version", "1"),
            ],
        )
        .await
        .assert_status(write_refusal);

    let token = app.api_token_for(user).await;
    let path = format!("/api/v1/projects/{id}");
    let resp = app.api_get(&token, &path).await;
    resp.assert_status(StatusCode::NOT_FOUND);
    assert!(resp.json()["error"].is_string());
    assert!(!resp.text.contains(name));
    let mut update = project_json("越权修改", &project.district_code);
    update["version"] = json!(1);
    app.api_put_json(&token, &path, &update)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let transition = json!({"to": next, "date": "2024-06-01", "reason": "越权", "version": 1});
    app.api_post_json(&token, &format!("{path}/transition"), &transition)
        .await
        .assert_status(StatusCode::NOT_FOUND);

    assert_eq!(
        app.project_now(id).await,
        project,
        "{user}: {name} is unchanged"
    );
    assert_eq!(
        app.store.audit_for("project", id).await.unwrap().len(),
        1,
        "{user}: only {name}'s creation is audited"
    );
}

/// Checks that `user` can create nothing, on the page or through the API.
async fn cannot_create(app: &TestApp, user: &str) {
    let before = app.project_count().await;
    let mut client = app.login_as(user).await;
    client
        .get("/projects/new")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let page = client
        .post_pairs("/projects", &project_form("越权新建", WUXING))
        .await;
    page.assert_status(StatusCode::FORBIDDEN);
    assert!(page.text.contains("不能新建或修改"), "{}", page.text);
    assert!(
        !client
            .get("/projects")
            .await
            .text
            .contains(r#"href="/projects/new""#),
        "{user}: no 新建项目 button"
    );
    let token = app.api_token_for(user).await;
    let resp = app
        .api_post_json(
            &token,
            "/api/v1/projects",
            &project_json("越权新建", WUXING),
        )
        .await;
    resp.assert_status(StatusCode::FORBIDDEN);
    assert!(resp.json()["error"].is_string());
    assert_eq!(
        app.project_count().await,
        before,
        "{user}: nothing was created"
    );
}

#[tokio::test]
async fn an_administrator_sees_every_project_in_the_city() {
    let app = TestApp::spawn().await;
    let items = sees_exactly(&app, "admin", &ALL_PROJECTS).await;
    for district in [&app.fx.wuxing, &app.fx.nanxun, &app.fx.changxing] {
        let count = items
            .iter()
            .filter(|p| p["district_name"] == json!(district.name))
            .count();
        assert!(count >= 2, "{} has its projects", district.name);
    }
}

#[tokio::test]
async fn the_office_sees_every_project_in_the_city_and_may_create_anywhere() {
    let app = TestApp::spawn().await;
    sees_exactly(&app, "office", &ALL_PROJECTS).await;
    let token = app.api_token_for("office").await;
    for district in [WUXING, NANXUN, CHANGXING] {
        let resp = app
            .api_post_json(
                &token,
                "/api/v1/projects",
                &project_json(&format!("{district}新项目"), district),
            )
            .await;
        resp.assert_status(StatusCode::CREATED);
    }
}

#[tokio::test]
async fn a_leader_sees_every_project_but_cannot_create_or_change_one() {
    let app = TestApp::spawn().await;
    sees_exactly(&app, "leader", &ALL_PROJECTS).await;
    cannot_create(&app, "leader").await;

    let project = app.fx.project(WX_ROBOT).clone();
    let mut leader = app.login_as("leader").await;
    let detail = leader.get(&format!("/projects/{}", project.id)).await;
    detail.assert_status(StatusCode::OK);
    assert!(
        !detail.text.contains("stage-dialog"),
        "no stage dialog for a reader"
    );
    assert!(
        !detail.text.contains("/edit\""),
        "no edit button for a reader"
    );
    leader
        .get(&format!("/projects/{}/edit", project.id))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    leader
        .post_form(
            &format!("/projects/{}/stage", project.id),
            &[
                ("to", "negotiating"),
                ("date", "2024-06-01"),
                ("version", "1"),
            ],
        )
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let token = app.api_token_for("leader").await;
    let path = format!("/api/v1/projects/{}", project.id);
    app.api_get(&token, &path)
        .await
        .assert_status(StatusCode::OK);
    let mut update = project_json(WX_ROBOT, WUXING);
    update["version"] = json!(1);
    app.api_put_json(&token, &path, &update)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    let transition = json!({"to": "negotiating", "date": "2024-06-01", "version": 1});
    app.api_post_json(&token, &format!("{path}/transition"), &transition)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    assert_eq!(
        app.project_now(project.id).await,
        project,
        "nothing changed"
    );
}

#[tokio::test]
async fn a_leaders_own_page_shows_only_the_projects_they_follow() {
    let app = TestApp::spawn().await;
    let mut leader = app.login_as("leader").await;
    let page = leader.get("/projects/mine").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text.contains("我联系的项目"));
    let mine = [WX_EV, NX_LOGISTICS, CX_BATTERY];
    assert_eq!(page.page_total(), mine.len() as i64);
    assert_eq!(
        page.text
            .matches(&format!("<td>{}</td>", app.fx.leader.name))
            .count(),
        mine.len()
    );
    for name in ALL_PROJECTS {
        assert_eq!(
            page.text.contains(name),
            mine.contains(&name),
            "{name} on 我联系的项目"
        );
    }
    // Asking for someone else's projects does not widen the page.
    let page = leader.get("/projects/mine?leader=999999").await;
    assert_eq!(page.page_total(), mine.len() as i64);
    // Other roles have no leader behind them and follow nothing.
    let mut office = app.login_as("office").await;
    assert_eq!(office.get("/projects/mine").await.page_total(), 0);
}

#[tokio::test]
async fn a_district_liaison_sees_only_its_district_and_nothing_of_another() {
    let app = TestApp::spawn().await;
    let items = sees_exactly(&app, "area", &[WX_EV, WX_ROBOT, WX_CULTURE]).await;
    assert!(
        items.iter().all(|p| p["district_code"] == json!(WUXING)),
        "every item is in 吴兴区"
    );
    hidden_from(&app, "area", NX_LOGISTICS).await;
    hidden_from(&app, "area", CX_BATTERY).await;

    // Filters cannot reach outside the scope.
    let mut area = app.login_as("area").await;
    assert_eq!(
        area.get(&format!("/projects?district={NANXUN}"))
            .await
            .page_total(),
        0
    );
    assert_eq!(area.get("/projects?q=物流").await.page_total(), 0);
    let token = app.api_token_for("area").await;
    let body = app
        .api_get(&token, &format!("/api/v1/projects?district={NANXUN}"))
        .await
        .json();
    assert_eq!(
        (body["total"].clone(), body["items"].clone()),
        (json!(0), json!([]))
    );
}

#[tokio::test]
async fn a_district_liaison_edits_its_own_projects() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("area").await;
    let id = app.fx.id(WX_ROBOT);
    let transition = json!({"to": "negotiating", "date": "2024-06-01", "version": 1});
    let resp = app
        .api_post_json(
            &token,
            &format!("/api/v1/projects/{id}/transition"),
            &transition,
        )
        .await;
    resp.assert_status(StatusCode::OK);
    let mut area = app.login_as("area").await;
    let created = area
        .post_pairs("/projects", &project_form("吴兴新登记项目", WUXING))
        .await;
    created.assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_platform_liaison_sees_only_its_platform_even_within_its_district() {
    let app = TestApp::spawn().await;
    let items = sees_exactly(&app, "area-platform", &[CX_BATTERY]).await;
    assert!(
        items
            .iter()
            .all(|p| p["platform_id"] == json!(app.fx.platform.id)),
        "every item is in the platform"
    );
    hidden_from(&app, "area-platform", CX_TOWN).await;
    hidden_from(&app, "area-platform", WX_EV).await;
}

#[tokio::test]
async fn a_platform_liaison_creates_projects_only_inside_its_platform() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("area-platform").await;
    let mut inside = project_json("开发区新项目", CHANGXING);
    inside["platform_id"] = json!(app.fx.platform.id.to_string());
    app.api_post_json(&token, "/api/v1/projects", &inside)
        .await
        .assert_status(StatusCode::CREATED);
    let before = app.project_count().await;
    let resp = app
        .api_post_json(
            &token,
            "/api/v1/projects",
            &project_json("开发区外项目", CHANGXING),
        )
        .await;
    resp.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        resp.json()["error"],
        json!("只能在本区县/平台范围内登记项目")
    );
    assert_eq!(app.project_count().await, before);
}

#[tokio::test]
async fn a_unit_sees_only_the_projects_it_is_responsible_for_and_cannot_create() {
    let app = TestApp::spawn().await;
    let items = sees_exactly(&app, "unit", &[WX_EV, WX_CULTURE, CX_BATTERY]).await;
    assert!(
        items.iter().all(|p| p["unit_id"] == json!(app.fx.unit.id)),
        "every item is the unit's"
    );
    hidden_from(&app, "unit", NX_MATERIALS).await;
    hidden_from(&app, "unit", WX_ROBOT).await;
    cannot_create(&app, "unit").await;
}

#[tokio::test]
async fn a_district_liaison_cannot_create_a_project_in_another_district() {
    let app = TestApp::spawn().await;
    let before = app.project_count().await;
    let mut area = app.login_as("area").await;
    let page = area
        .post_pairs("/projects", &project_form("跨区项目", NANXUN))
        .await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text.contains(
            r#"<p class="field-error" id="err-district_code">只能在本区县/平台范围内登记项目</p>"#
        ),
        "{}",
        page.text
    );
    assert!(
        page.text.contains(r#"name="name" value="跨区项目""#),
        "what was typed is kept"
    );

    let token = app.api_token_for("area").await;
    let resp = app
        .api_post_json(
            &token,
            "/api/v1/projects",
            &project_json("跨区项目", NANXUN),
        )
        .await;
    resp.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.json();
    assert_eq!(body["error"], json!("只能在本区县/平台范围内登记项目"));
    assert_eq!(body["field"], json!("district_code"));
    // Moving an own project into another district is refused the same way.
    let id = app.fx.id(WX_ROBOT);
    let mut moved = project_json(WX_ROBOT, NANXUN);
    moved["version"] = json!(1);
    let resp = app
        .api_put_json(&token, &format!("/api/v1/projects/{id}"), &moved)
        .await;
    resp.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.project_now(id).await.district_code, WUXING);
    assert_eq!(app.project_count().await, before);
}
