//! 重点事项 through the web edge: a lead unit lands on its items with its reminders, files
//! progress with an evidence file (a bad file is refused by content and the text is kept), the
//! office sees the status change and reviews; the API lists are scoped; the exports open.

use crate::helpers::*;
use axum::http::StatusCode;
use hezuo_domain::agreement::AgreementInput;
use hezuo_domain::key_item::{ItemInput, MilestoneInput, WorkPlanInput};
use hezuo_store::Actor;

/// A 2024 plan with one item led by the fixture's unit, milestones due in June 2024 and in 2030,
/// carrying the first clause of an agreement. Returns the item's id.
async fn seed_item(app: &TestApp) -> i64 {
    let admin = app.viewer_of("admin").await;
    let actor = Actor::system("test");
    let plan = WorkPlanInput {
        year: "2024".into(),
        kind: "cooperation_list".into(),
        name: "2024年重点合作事项清单".into(),
        categories: String::new(),
    }
    .validate()
    .unwrap();
    let plan = app
        .store
        .create_work_plan(&admin, &actor, &plan)
        .await
        .unwrap();
    let agreement = AgreementInput {
        title: "湖州市—松江区合作框架协议".into(),
        partner: "上海市松江区".into(),
        partner_kind: "district".into(),
        partner_province: "上海市".into(),
        signed_on: "2019-05-16".into(),
        level: "市级".into(),
        fields: "产业协同".into(),
        clauses: "共建产业合作园\n开展干部互派".into(),
    }
    .validate()
    .unwrap();
    let aid = app
        .store
        .create_agreement(&admin, &actor, &agreement)
        .await
        .unwrap();
    let clause = app
        .store
        .agreement(&admin, aid, today())
        .await
        .unwrap()
        .clauses[0]
        .id;
    let item = ItemInput {
        plan_id: plan.id.to_string(),
        category: "产业协同".into(),
        title: "共建G60产业合作园".into(),
        lead_unit_id: app.fx.unit.id.to_string(),
        partner_regions: "上海市松江区".into(),
        target: "完成园区规划并引进项目5个".into(),
        milestones: vec![
            MilestoneInput {
                title: "完成园区规划".into(),
                due_on: "2024-06-30".into(),
            },
            MilestoneInput {
                title: "引进项目5个".into(),
                due_on: "2030-12-31".into(),
            },
        ],
        clause_id: clause.to_string(),
        ..Default::default()
    }
    .validate(&plan.categories)
    .unwrap();
    app.store
        .create_key_item(&admin, &actor, &item)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_unit_files_progress_with_evidence_and_the_office_sees_the_status_change() {
    let app = TestApp::spawn().await;
    let id = seed_item(&app).await;
    let (landing, mut unit) = app.login("unit", PASSWORD).await;
    assert_eq!(
        landing.location(),
        "/key-items",
        "a lead unit starts at its key items"
    );
    let list = unit.get("/key-items").await;
    list.assert_status(StatusCode::OK);
    assert!(list.text.contains("共建G60产业合作园"));
    assert!(
        list.text.contains("待办提醒"),
        "the overdue milestone is a reminder"
    );

    let detail = unit.get(&format!("/key-items/{id}")).await;
    assert!(detail.text.contains("滞后"));
    let milestone = app
        .store
        .key_item(&app.viewer_of("admin").await, id, today())
        .await
        .unwrap()
        .milestones[0]
        .id
        .to_string();
    let path = format!("/key-items/{id}/progress");
    let csrf = detail
        .csrf_token()
        .expect("the page carries the session's token");
    let fields = [
        ("month", "2024-07"),
        ("content", "园区规划已通过评审"),
        ("done_milestones", milestone.as_str()),
    ];

    // A script renamed .pdf is refused by its content; what was typed stays.
    let bad = unit
        .post_multipart(
            &path,
            Some(&csrf),
            &fields,
            &[("evidence", "评审意见.pdf", b"<script>alert(1)</script>")],
        )
        .await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("不能作为佐证材料"));
    assert!(bad.text.contains("园区规划已通过评审"));
    assert!(!bad.text.contains("<script>alert(1)"));

    let ok = unit
        .post_multipart(
            &path,
            Some(&csrf),
            &fields,
            &[("evidence", "../评审意见.pdf", b"%PDF-1.4 test")],
        )
        .await;
    ok.assert_status(StatusCode::SEE_OTHER);

    // The office sees the item under way, with the file, and accepts the report.
    let mut office = app.login_as("office").await;
    let page = office.get(&format!("/key-items/{id}")).await;
    assert!(page.text.contains("推进中"));
    assert!(page.text.contains("评审意见.pdf"));
    let json = app
        .api_get(
            &app.api_token_for("office").await,
            &format!("/api/v1/key-items/{id}"),
        )
        .await
        .json();
    assert_eq!(json["status_label"], "推进中");
    let report = &json["progress"][0];
    let evidence = report["evidence"][0]["id"].as_i64().unwrap();
    let file = office.get(&format!("/evidence/{evidence}")).await;
    file.assert_status(StatusCode::OK);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert!(
        file.header("content-disposition")
            .unwrap()
            .starts_with("attachment;")
    );
    assert!(!file.header("content-disposition").unwrap().contains(".."));
    let reviewed = office
        .post_form(
            &format!("/key-items/progress/{}/review", report["id"]),
            &[
                ("item_id", &id.to_string()),
                ("version", &report["version"].to_string()),
                ("decision", "accept"),
            ],
        )
        .await;
    reviewed.assert_status(StatusCode::SEE_OTHER);
    let json = app
        .api_get(
            &app.api_token_for("office").await,
            &format!("/api/v1/key-items/{id}"),
        )
        .await
        .json();
    assert_eq!(json["progress"][0]["status"], "accepted");

    // Nobody else sees the item or its file.
    let mut area = app.login_as("area").await;
    area.get(&format!("/key-items/{id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    area.get(&format!("/evidence/{evidence}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_key_item_agreement_and_assessment_apis_are_scoped() {
    let app = TestApp::spawn().await;
    let id = seed_item(&app).await;
    for (user, items, agreements, units) in [
        ("office", 1, 1, 1),
        ("leader", 1, 1, 1),
        ("unit", 1, 1, 1),
        ("area", 0, 0, 0),
    ] {
        let token = app.api_token_for(user).await;
        let list = app.api_get(&token, "/api/v1/key-items?year=2024").await;
        list.assert_status(StatusCode::OK);
        assert_eq!(list.json()["total"], items, "{user} key items");
        assert_eq!(
            list.json()["items"].as_array().unwrap().len(),
            items as usize
        );
        let a = app.api_get(&token, "/api/v1/agreements").await.json();
        assert_eq!(a["total"], agreements, "{user} agreements");
        let s = app
            .api_get(&token, "/api/v1/assessment?year=2024")
            .await
            .json();
        assert_eq!(
            s["units"].as_array().unwrap().len(),
            units,
            "{user} assessment"
        );
        let one = app
            .api_get(&token, &format!("/api/v1/key-items/{id}"))
            .await;
        assert_eq!(one.status == StatusCode::OK, items == 1, "{user} item");
    }
    let token = app.api_token_for("office").await;
    let a = app.api_get(&token, "/api/v1/agreements").await.json();
    assert_eq!(a["items"][0]["fulfilment"]["broken_down"], 1);
    assert_eq!(a["items"][0]["fulfilment_rate"], "0.0%");
    app.api_get(&token, "/api/v1/key-items?status=搁置")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let doc = app.api_get(&token, "/api/v1/openapi.json").await.json();
    for path in [
        "/api/v1/key-items",
        "/api/v1/agreements",
        "/api/v1/assessment",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
}

#[tokio::test]
async fn key_items_and_the_assessment_export_as_workbooks() {
    let app = TestApp::spawn().await;
    seed_item(&app).await;
    let mut office = app.login_as("office").await;
    for path in [
        "/key-items/export.xlsx?year=2024",
        "/assessment/export.xlsx?year=2024",
    ] {
        let resp = office.get(path).await;
        resp.assert_status(StatusCode::OK);
        let book = hezuo_office::book::read_book(&resp.bytes).expect("a workbook that reads back");
        let text = format!("{book:?}");
        assert!(
            text.contains("市经信局") || text.contains("共建G60产业合作园"),
            "{path}"
        );
    }
    for path in [
        "/agreements",
        "/assessment?year=2024",
        "/key-items?status=lagging",
    ] {
        office.get(path).await.assert_status(StatusCode::OK);
    }
}

#[tokio::test]
async fn the_office_creates_a_plan_an_agreement_and_an_item_and_a_stale_edit_loses_nothing() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let plan = office
        .post_form(
            "/key-items/plans",
            &[
                ("year", "2025"),
                ("kind", "flagship"),
                ("name", "2025年“10+20+5”清单"),
                ("categories", ""),
            ],
        )
        .await;
    plan.assert_status(StatusCode::SEE_OTHER);
    let plan_id = plan.location().rsplit('=').next().unwrap().to_string();
    let bad_plan = office
        .post_form(
            "/key-items/plans",
            &[("year", "明年"), ("kind", "flagship"), ("name", "")],
        )
        .await;
    bad_plan.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_plan.text.contains("请填写年度") && bad_plan.text.contains("请填写计划名称"));

    let agreement = office
        .post_form(
            "/agreements",
            &[
                ("title", "湖州市—嘉兴市一体化合作协议"),
                ("partner", "嘉兴市"),
                ("partner_kind", "city"),
                ("partner_province", "浙江省"),
                ("signed_on", "2019-11-05"),
                ("level", "市级"),
                ("fields", "产业协同"),
                ("clauses", "共建嘉湖一体化合作先行区\n推进申嘉湖高速西延"),
            ],
        )
        .await;
    agreement.assert_status(StatusCode::SEE_OTHER);
    let aid: i64 = agreement
        .location()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let clause = app
        .store
        .agreement(&app.viewer_of("office").await, aid, today())
        .await
        .unwrap()
        .clauses[1]
        .id
        .to_string();

    // Every problem at once, everything typed kept.
    let unit = app.fx.unit.id.to_string();
    let mut fields = vec![
        ("plan_id", plan_id.as_str()),
        ("category", "重大事项"),
        ("title", "申嘉湖高速西延"),
        ("lead_unit_id", unit.as_str()),
        ("partner_regions", "嘉兴市"),
        ("target", "年内完成工可批复"),
        ("clause_id", clause.as_str()),
        ("milestone_title", "完成工可批复"),
        ("milestone_due", "2025-13-01"),
        ("projects", "不存在的项目"),
    ];
    let bad = office.post_form("/key-items", &fields).await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("2025-13-01") && bad.text.contains("不存在的项目"));
    assert!(
        bad.text.contains("年内完成工可批复"),
        "the target typed is kept"
    );
    fields[8] = ("milestone_due", "2025-06-30");
    fields[9] = ("projects", WX_EV);
    let created = office.post_form("/key-items", &fields).await;
    created.assert_status(StatusCode::SEE_OTHER);
    let id: i64 = created
        .location()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let detail = app
        .store
        .key_item(&app.viewer_of("office").await, id, today())
        .await
        .unwrap();
    assert_eq!(detail.projects[0].name, WX_EV);
    assert_eq!(detail.clause.unwrap().seq, 2);
    assert_eq!(detail.milestones[0].due_on, "2025-06-30");

    // Two edits from version 1: the second is refused and keeps its text.
    let edit = format!("/key-items/{id}/edit");
    let mut first = fields.clone();
    first[2] = ("title", "申嘉湖高速西延工程");
    first.push(("version", "1"));
    office
        .post_form(&edit, &first)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let mut second = fields.clone();
    second[2] = ("title", "申嘉湖高速（湖州段）西延");
    second.push(("version", "1"));
    let stale = office.post_form(&edit, &second).await;
    stale.assert_status(StatusCode::CONFLICT);
    assert!(stale.text.contains("已被他人修改") && stale.text.contains("申嘉湖高速（湖州段）西延"));
    let after = app
        .store
        .key_item(&app.viewer_of("office").await, id, today())
        .await
        .unwrap();
    assert_eq!(after.item.title, "申嘉湖高速西延工程");

    // Units and liaisons cannot use these forms.
    let mut unit_client = app.login_as("unit").await;
    unit_client
        .get("/key-items/new")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    unit_client
        .post_form("/key-items", &fields)
        .await
        .assert_status(StatusCode::FORBIDDEN);
    unit_client
        .get("/agreements/new")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

/// The bulletin's 重点事项推进 section, composed for the city as of a period's end.
async fn key_item_section(app: &TestApp, user: &str, month: u32) -> String {
    let viewer = app.viewer_of(user).await;
    let request = hezuo_web::bulletin::Request {
        store: &app.store,
        viewer: &viewer,
        filter: Default::default(),
        period: hezuo_store::stats::Period::new(2024, Some(month)).unwrap(),
        tiers: &hezuo_domain::TierConfig::default(),
        city: "湖州市",
        today: chrono::NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        kind: hezuo_web::bulletin::Kind::Bulletin,
    };
    let doc = hezuo_web::bulletin::compose(&request).await.unwrap();
    let mut text = String::new();
    let mut inside = false;
    for b in &doc.blocks {
        match b {
            hezuo_office::docx::Block::Heading(h) => inside = h.ends_with("重点事项推进"),
            hezuo_office::docx::Block::Paragraph(p) if inside => text.push_str(p),
            hezuo_office::docx::Block::Table(t) if inside => {
                text.push_str(&t.total.clone().unwrap_or_default().join("/"))
            }
            _ => {}
        }
    }
    text
}

#[tokio::test]
async fn the_bulletin_states_key_items_as_they_stood_at_the_periods_end() {
    let app = TestApp::spawn().await;
    let id = seed_item(&app).await;
    let unit = app.viewer_of("unit").await;
    let first = app
        .store
        .key_item(&unit, id, today())
        .await
        .unwrap()
        .milestones[0]
        .id;
    let progress = hezuo_domain::key_item::ItemProgressInput {
        month: "2024-07".into(),
        content: "园区规划已通过评审".into(),
        next_steps: String::new(),
        done_milestones: vec![first.to_string()],
    }
    .validate(hezuo_domain::Month::new(2024, 12).unwrap())
    .unwrap();
    app.store
        .file_item_progress(
            &unit,
            &Actor::system("test"),
            id,
            &progress,
            &[],
            chrono::NaiveDate::from_ymd_opt(2024, 7, 20).unwrap(),
        )
        .await
        .unwrap();

    // End of June: the milestone was due that day and nothing was reported yet.
    let june = key_item_section(&app, "office", 6).await;
    assert!(
        june.starts_with("2024年重点合作事项清单重点事项1项，未启动1项，完成率0.0%。"),
        "{june}"
    );
    assert!(
        june.contains("已签订合作协议1份、条款2条，已分解落实1条。"),
        "{june}"
    );
    // End of July: reported, the first milestone done (late): under way.
    let july = key_item_section(&app, "office", 7).await;
    assert!(
        july.starts_with("2024年重点合作事项清单重点事项1项，推进中1项"),
        "{july}"
    );
    assert!(july.contains("合计/1/0/1/0/0"), "{july}");
    // A district's liaison has no key items: no section.
    assert_eq!(key_item_section(&app, "area", 7).await, "");
}

#[tokio::test]
async fn agreements_filter_and_export_and_exports_are_scoped() {
    let app = TestApp::spawn().await;
    seed_item(&app).await;
    let mut office = app.login_as("office").await;
    let shanghai = office.get("/agreements?province=上海市").await;
    assert!(
        shanghai.text.contains("湖州市—松江区合作框架协议") && shanghai.text.contains("合计 1 份")
    );
    let anhui = office.get("/agreements?province=安徽省").await;
    assert!(anhui.text.contains("没有可查看的合作协议"));
    let token = app.api_token_for("office").await;
    assert_eq!(
        app.api_get(&token, "/api/v1/agreements?partner_kind=城市")
            .await
            .json()["total"],
        0
    );
    assert_eq!(
        app.api_get(&token, "/api/v1/agreements?q=松江")
            .await
            .json()["total"],
        1
    );

    let book = office.get("/agreements/export.xlsx").await;
    book.assert_status(StatusCode::OK);
    let text = format!("{:?}", hezuo_office::book::read_book(&book.bytes).unwrap());
    assert!(
        text.contains("共建产业合作园") && text.contains("共建G60产业合作园（市经信局"),
        "{text}"
    );

    // A unit's export holds its own items only; a liaison's holds none.
    let admin = app.viewer_of("admin").await;
    let plan = app.store.work_plans(&admin, None).await.unwrap()[0].clone();
    let other_unit = app
        .store
        .dict_create(
            &Actor::system("test"),
            hezuo_store::dict::DictKind::Unit,
            "市商务局",
            &["SWJ".to_string()],
        )
        .await
        .unwrap();
    let other = ItemInput {
        plan_id: plan.id.to_string(),
        category: "产业协同".into(),
        title: "商务局牵头的事项".into(),
        lead_unit_id: other_unit.id.to_string(),
        ..Default::default()
    }
    .validate(&plan.categories)
    .unwrap();
    app.store
        .create_key_item(&admin, &Actor::system("test"), &other)
        .await
        .unwrap();
    for (user, mine, theirs) in [
        ("unit", true, false),
        ("office", true, true),
        ("area", false, false),
    ] {
        let mut c = app.login_as(user).await;
        let resp = c.get("/key-items/export.xlsx?year=2024").await;
        resp.assert_status(StatusCode::OK);
        let text = format!("{:?}", hezuo_office::book::read_book(&resp.bytes).unwrap());
        assert_eq!(text.contains("共建G60产业合作园"), mine, "{user}");
        assert_eq!(text.contains("商务局牵头的事项"), theirs, "{user}");
    }
}

#[tokio::test]
async fn the_office_sets_the_years_rules_and_nobody_else_can() {
    let app = TestApp::spawn().await;
    seed_item(&app).await;
    let mut office = app.login_as("office").await;
    let rules = [
        ("year", "2024"),
        ("on_time_points", "50"),
        ("completion_points", "50"),
        ("per_returned_report", "2"),
        ("per_missing_report", "1"),
        ("max_deduction", "10"),
    ];
    office
        .post_form("/assessment/rules", &rules)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let token = app.api_token_for("office").await;
    let report = app
        .api_get(&token, "/api/v1/assessment?year=2024")
        .await
        .json();
    assert_eq!(report["rules"]["on_time_points"], 50.0);
    let mut bad = rules;
    bad[1] = ("on_time_points", "-5");
    let refused = office.post_form("/assessment/rules", &bad).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("按期完成分值应为不小于0的数"));
    bad[1] = ("on_time_points", "六十");
    assert!(
        office
            .post_form("/assessment/rules", &bad)
            .await
            .text
            .contains("不是数字")
    );
    let mut unit = app.login_as("unit").await;
    unit.post_form("/assessment/rules", &rules)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let page = unit.get("/assessment?year=2024").await;
    assert!(
        !page.text.contains("id=\"rules\""),
        "a unit is not offered the rules"
    );
}
