//! The JSON API under /api/v1: its OpenAPI document, list filters, create, versioned update,
//! stage transitions, validation errors, and the audit trail behind a write.

use crate::helpers::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn names(body: &Value) -> Vec<String> {
    let mut v: Vec<String> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| p["name"].as_str().expect("a name").to_string())
        .collect();
    v.sort_unstable();
    v
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort_unstable();
    v
}

#[tokio::test]
async fn the_openapi_document_describes_the_project_paths_and_bearer_security() {
    let app = TestApp::spawn().await;
    let resp = app.client().get("/api/v1/openapi.json").await;
    resp.assert_status(StatusCode::OK);
    assert!(
        resp.header("content-type")
            .is_some_and(|c| c.starts_with("application/json"))
    );
    let doc = resp.json();
    assert!(
        doc["openapi"].as_str().is_some_and(|v| v.starts_with('3')),
        "{doc}"
    );
    for path in [
        "/api/v1/projects",
        "/api/v1/projects/{id}",
        "/api/v1/projects/{id}/transition",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    assert!(
        doc["paths"]["/api/v1/projects"].get("get").is_some()
            && doc["paths"]["/api/v1/projects"].get("post").is_some()
    );
    assert!(doc["paths"]["/api/v1/projects/{id}"].get("put").is_some());
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(
        (scheme["type"].as_str(), scheme["scheme"].as_str()),
        (Some("http"), Some("bearer")),
        "{scheme}"
    );
    assert!(
        doc["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()))
    );
}

#[tokio::test]
async fn the_project_list_filters_by_stage_district_tier_and_keyword() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let all = app.api_get(&token, "/api/v1/projects").await;
    all.assert_status(StatusCode::OK);
    let body = all.json();
    assert_eq!(body["total"], json!(7));
    assert_eq!(body["items"].as_array().map(Vec::len), Some(7));
    assert_eq!(body["total_investment_cny"], json!(2_160_000_000_i64));

    let cases: [(&str, &[&str]); 6] = [
        ("stage=signed", &[WX_EV, CX_BATTERY]),
        ("district=330503", &[NX_LOGISTICS, NX_MATERIALS]),
        ("tier=5", &[WX_EV, CX_BATTERY]),
        ("tier=10", &[CX_BATTERY]),
        ("q=物流", &[NX_LOGISTICS]),
        ("stage=lead&district=330502", &[WX_ROBOT]),
    ];
    for (query, expected) in cases {
        let resp = app
            .api_get(
                &token,
                &format!(
                    "/api/v1/projects?{}",
                    query.replace("物流", "%E7%89%A9%E6%B5%81")
                ),
            )
            .await;
        resp.assert_status(StatusCode::OK);
        let body = resp.json();
        assert_eq!(body["total"], json!(expected.len()), "{query}");
        assert_eq!(names(&body), sorted(expected), "{query}");
    }

    let page = app
        .api_get(
            &token,
            "/api/v1/projects?per_page=2&page=2&sort=investment&dir=desc",
        )
        .await
        .json();
    assert_eq!(
        (
            page["total"].clone(),
            page["page"].clone(),
            page["per_page"].clone()
        ),
        (json!(7), json!(2), json!(2))
    );
    assert_eq!(
        names(&page),
        sorted(&[NX_LOGISTICS, WX_ROBOT]),
        "3rd and 4th largest"
    );

    let bad = app.api_get(&token, "/api/v1/projects?tier=five").await;
    bad.assert_status(StatusCode::BAD_REQUEST);
    assert!(bad.json()["error"].is_string());
}

#[tokio::test]
async fn creating_a_project_answers_201_with_the_row_and_is_audited() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let mut input = project_json("接口新建项目", NANXUN);
    input["investment_wan"] = json!("12345.67");
    input["flags"] = json!(["chain_leader"]);
    input["lists"] = json!([format!("{}:2024", app.fx.list.id)]);
    let resp = app.api_post_json(&token, "/api/v1/projects", &input).await;
    resp.assert_status(StatusCode::CREATED);
    let row = resp.json();
    let id = row["id"].as_i64().expect("an id");
    assert_eq!(row["version"], json!(1));
    assert_eq!(
        row["investment_cny"],
        json!(123_456_700),
        "money is exact yuan"
    );
    assert_eq!(row["district_name"], json!("南浔区"));
    assert_eq!(row["flags"], json!("chain_leader"));

    let detail = app
        .api_get(&token, &format!("/api/v1/projects/{id}"))
        .await
        .json();
    assert_eq!(detail["name"], json!("接口新建项目"));
    assert_eq!(detail["lists"][0]["list_name"], json!("省重大产业项目"));
    assert_eq!(detail["stage_history"].as_array().map(Vec::len), Some(1));

    let audit = app
        .store
        .audit_for("project", id)
        .await
        .expect("audit rows");
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(
        (audit[0].action.as_str(), audit[0].username.as_str()),
        ("create", "office")
    );
    let office_id = app.store.user_by_name("office").await.unwrap().id;
    assert_eq!(audit[0].user_id, Some(office_id));
    assert!(
        audit[0]
            .after_json
            .as_deref()
            .is_some_and(|j| j.contains("接口新建项目"))
    );
}

#[tokio::test]
async fn updating_with_the_current_version_answers_200_with_the_next_version() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let id = app.fx.id(WX_ROBOT);
    let mut update = project_json(WX_ROBOT, WUXING);
    update["investor"] = json!("湖州智造有限公司");
    update["version"] = json!(1);
    let resp = app
        .api_put_json(&token, &format!("/api/v1/projects/{id}"), &update)
        .await;
    resp.assert_status(StatusCode::OK);
    let row = resp.json();
    assert_eq!(
        (row["version"].clone(), row["investor"].clone()),
        (json!(2), json!("湖州智造有限公司"))
    );
    assert_eq!(
        row["stage"],
        json!("lead"),
        "an update never moves the stage"
    );
    let actions: Vec<String> = app
        .store
        .audit_for("project", id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["update", "create"]);
}

#[tokio::test]
async fn updating_with_a_stale_version_is_a_409_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let id = app.fx.id(WX_ROBOT);
    let path = format!("/api/v1/projects/{id}");
    let mut first = project_json(WX_ROBOT, WUXING);
    first["investor"] = json!("第一次保存");
    first["version"] = json!(1);
    app.api_put_json(&token, &path, &first)
        .await
        .assert_status(StatusCode::OK);

    let mut stale = first.clone();
    stale["investor"] = json!("过期的修改");
    stale["investment_wan"] = json!("99999");
    let resp = app.api_put_json(&token, &path, &stale).await;
    resp.assert_status(StatusCode::CONFLICT);
    assert!(
        resp.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("已被他人修改")),
        "{}",
        resp.text
    );

    let now = app.api_get(&token, &path).await.json();
    assert_eq!(now["investor"], json!("第一次保存"));
    assert_eq!(now["investment_cny"], json!(100_000_000));
    assert_eq!(now["version"], json!(2));
}

#[tokio::test]
async fn a_transition_answers_200_and_appends_to_the_stage_history() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let id = app.fx.id(WX_EV);
    let path = format!("/api/v1/projects/{id}");
    let resp = app
        .api_post_json(
            &token,
            &format!("{path}/transition"),
            &json!({"to": "started", "date": "2024-05-01", "version": 1}),
        )
        .await;
    resp.assert_status(StatusCode::OK);
    let row = resp.json();
    assert_eq!(
        (
            row["stage"].clone(),
            row["stage_date"].clone(),
            row["version"].clone()
        ),
        (json!("started"), json!("2024-05-01"), json!(2))
    );
    assert_eq!(
        row["signed_on"],
        json!("2024-03-05"),
        "the signing date stays"
    );

    let detail = app.api_get(&token, &path).await.json();
    let history = detail["stage_history"].as_array().expect("a history");
    assert_eq!(history.len(), 2);
    let last = &history[1];
    assert_eq!(
        (
            last["from_stage"].clone(),
            last["to_stage"].clone(),
            last["changed_on"].clone(),
            last["username"].clone()
        ),
        (
            json!("signed"),
            json!("started"),
            json!("2024-05-01"),
            json!("office")
        )
    );
}

#[tokio::test]
async fn an_illegal_transition_is_a_422_with_the_reason_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let id = app.fx.id(WX_ROBOT);
    let path = format!("/api/v1/projects/{id}/transition");
    let cases = [
        (
            json!({"to": "started", "date": "2024-05-01", "version": 1}),
            "不能从“线索”直接变更为“开工”",
        ),
        (
            json!({"to": "terminated", "date": "2024-05-01", "version": 1}),
            "终止项目必须填写原因",
        ),
        (
            json!({"to": "negotiating", "date": "2023-01-01", "version": 1}),
            "变更日期不能早于上一次变更",
        ),
        (
            json!({"to": "soon", "date": "2024-05-01", "version": 1}),
            "未知的阶段",
        ),
        (
            json!({"to": "negotiating", "date": "May 1", "version": 1}),
            "日期格式应为",
        ),
    ];
    for (body, message) in cases {
        let resp = app.api_post_json(&token, &path, &body).await;
        resp.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let error = resp.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(error.contains(message), "{body}: {error}");
    }
    let stale = app
        .api_post_json(
            &token,
            &path,
            &json!({"to": "negotiating", "date": "2024-05-01", "version": 7}),
        )
        .await;
    stale.assert_status(StatusCode::CONFLICT);
    let now = app.project_now(id).await;
    assert_eq!((now.stage.as_str(), now.version), ("lead", 1));
}

#[tokio::test]
async fn an_invalid_project_body_is_a_422_listing_every_field_error() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let before = app.project_count().await;
    let mut input = project_json("", WUXING);
    input["investment_wan"] = json!("一亿");
    input["project_code"] = json!("2024-1");
    let resp = app.api_post_json(&token, "/api/v1/projects", &input).await;
    resp.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let body = resp.json();
    let errors = body["errors"].as_array().expect("an errors array");
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e["field"].as_str().expect("a field"))
        .collect();
    assert_eq!(fields, ["name", "investment_wan", "project_code"]);
    assert!(
        errors
            .iter()
            .all(|e| e["message"].as_str().is_some_and(|m| !m.is_empty()))
    );
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("请填写项目名称")),
        "{body}"
    );
    assert_eq!(body["field"], json!("name"));
    assert_eq!(app.project_count().await, before);
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let resp = app.api_get(&token, "/api/v1/nothing-here").await;
    resp.assert_status(StatusCode::NOT_FOUND);
    assert!(resp.json()["error"].is_string());
    let resp = app.api_get(&token, "/api/v1/projects/999999").await;
    resp.assert_status(StatusCode::NOT_FOUND);
    assert!(resp.json()["error"].is_string());
}

#[tokio::test]
async fn malformed_requests_get_a_chinese_json_error_not_a_framework_message() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let bad_json = app
        .request(
            axum::http::Request::post("/api/v1/projects")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{not json"))
                .unwrap(),
        )
        .await;
    bad_json.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_json.json()["error"]
            .as_str()
            .unwrap()
            .contains("不是有效的 JSON")
    );

    let wrong_type = app
        .api_post_json(&token, "/api/v1/projects", &json!({"name": 5}))
        .await;
    wrong_type.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong_type.json()["error"]
            .as_str()
            .unwrap()
            .contains("字段类型不符")
    );

    let not_an_id = app.api_get(&token, "/api/v1/projects/abc").await;
    not_an_id.assert_status(StatusCode::NOT_FOUND);
    assert!(not_an_id.json()["error"].is_string());

    let mut client = app.login_as("office").await;
    let page = client.get("/projects/abc").await;
    page.assert_status(StatusCode::NOT_FOUND);
    assert!(page.text.contains("找不到"));
}

#[tokio::test]
async fn every_operation_in_the_openapi_document_has_its_own_id() {
    let app = TestApp::spawn().await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    let mut ids: Vec<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|ops| ops.as_object().into_iter().flat_map(|o| o.values()))
        .filter_map(|op| op["operationId"].as_str().map(str::to_string))
        .collect();
    let all = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        all,
        "duplicate operation ids: a validator refuses the document"
    );
    assert!(all >= 15, "{ids:?}");
}

/// The parameter `name` of the GET operation at `path`, as the document declares it.
fn query_parameter<'a>(doc: &'a Value, path: &str, name: &str) -> &'a Value {
    doc["paths"][path]["get"]["parameters"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("{path} declares {name}"))
}

/// Where the document narrows a parameter (a code list, a range, required), the handler refuses
/// what lies outside it with 422 and answers what lies inside: a client generating requests from
/// the document (schemathesis in scripts/reliability) reaches the handlers instead of guessing.
#[tokio::test]
async fn the_document_narrows_parameters_exactly_as_the_handlers_do() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    let codes = |path: &str, name: &str| -> Vec<String> {
        query_parameter(&doc, path, name)["schema"]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{path} {name} lists its codes"))
            .iter()
            .map(|c| c.as_str().expect("a code").to_string())
            .collect()
    };
    for (path, name, rest) in [
        ("/api/v1/platforms", "kind", ""),
        ("/api/v1/assistance/programmes", "kind", ""),
        ("/api/v1/key-items", "status", ""),
    ] {
        let listed = codes(path, name);
        assert!(listed.len() >= 2, "{path} {name}: {listed:?}");
        for code in &listed {
            app.api_get(&token, &format!("{path}?{name}={code}{rest}"))
                .await
                .assert_status(StatusCode::OK);
        }
        app.api_get(&token, &format!("{path}?{name}=unknown{rest}"))
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let stages = doc["components"]["schemas"]["TransitionRequest"]["properties"]["to"]["enum"]
        .as_array()
        .expect("the stage codes")
        .len();
    assert_eq!(stages, hezuo_domain::Stage::ALL.len());

    for path in ["/api/v1/stats/signing", "/api/v1/stats/investment"] {
        let year = query_parameter(&doc, path, "year");
        assert_eq!(year["required"], json!(true), "{year}");
        assert_eq!(
            (&year["schema"]["minimum"], &year["schema"]["maximum"]),
            (&json!(2000), &json!(2100))
        );
        let month = query_parameter(&doc, path, "month");
        assert_eq!(
            (&month["schema"]["minimum"], &month["schema"]["maximum"]),
            (&json!(1), &json!(12))
        );
        for (query, status) in [
            ("", StatusCode::UNPROCESSABLE_ENTITY),
            ("?year=1999", StatusCode::UNPROCESSABLE_ENTITY),
            ("?year=2101", StatusCode::UNPROCESSABLE_ENTITY),
            ("?year=2024&month=13", StatusCode::UNPROCESSABLE_ENTITY),
            ("?year=2024&month=0", StatusCode::UNPROCESSABLE_ENTITY),
            ("?year=2000&month=1", StatusCode::OK),
            ("?year=2100&month=12", StatusCode::OK),
        ] {
            let resp = app.api_get(&token, &format!("{path}{query}")).await;
            assert_eq!(resp.status, status, "{path}{query}: {}", resp.text);
        }
    }
    let month = query_parameter(&doc, "/api/v1/platforms", "month");
    assert_eq!(
        (&month["schema"]["minimum"], &month["schema"]["maximum"]),
        (&json!(1), &json!(12))
    );
    for (query, status) in [
        ("?month=13", StatusCode::UNPROCESSABLE_ENTITY),
        ("?month=0", StatusCode::UNPROCESSABLE_ENTITY),
        ("?month=12", StatusCode::OK),
    ] {
        let resp = app
            .api_get(&token, &format!("/api/v1/platforms{query}"))
            .await;
        assert_eq!(resp.status, status, "{query}: {}", resp.text);
    }
}

/// The create and edit bodies carry an example, and the example is a project the API accepts.
#[tokio::test]
async fn the_documented_project_example_is_accepted() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    let example = doc["paths"]["/api/v1/projects"]["post"]["requestBody"]["content"]
        ["application/json"]["example"]
        .clone();
    assert!(example["name"].is_string(), "{example}");
    // The document's example names the demo city's 吴兴区; the test city's district stands in.
    let mut body = example;
    body["district_code"] = json!(WUXING);
    let resp = app.api_post_json(&token, "/api/v1/projects", &body).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text);
    let created = resp.json();
    let edit =
        doc["paths"]["/api/v1/projects/{id}"]["put"]["requestBody"]["content"]["application/json"]
            ["example"]
            .clone();
    let mut edit = edit;
    edit["district_code"] = json!(WUXING);
    edit["version"] = created["version"].clone();
    let resp = app
        .api_put_json(
            &token,
            &format!("/api/v1/projects/{}", created["id"]),
            &edit,
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.text);
}
