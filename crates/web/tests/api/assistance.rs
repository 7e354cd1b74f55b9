//! 对口工作 through the web edge: the matrix and the API are scoped (an on-site team sees its
//! own programme), a payment past a fund's balance is refused with the reason and stores
//! nothing, the team reports actuals but not targets.

use crate::helpers::*;
use axum::http::StatusCode;
use hezuo_domain::assistance::ProgrammeInput;
use hezuo_domain::{Month, Yuan};
use hezuo_store::Actor;

/// Two 2024 programmes: 援疆 run by the fixture's unit, 东西部协作 run by nobody.
async fn seed(app: &TestApp) -> (i64, i64, i64) {
    let admin = app.viewer_of("admin").await;
    let actor = Actor::system("test");
    let make = |kind: &str, region: &str, team: Option<i64>| ProgrammeInput {
        year: "2024".into(),
        kind: kind.into(),
        partner_region: region.into(),
        name: String::new(),
        team_unit_id: team.map(|t| t.to_string()).unwrap_or_default(),
    };
    let xj = app
        .store
        .create_programme(
            &admin,
            &actor,
            &make("援疆", "新疆阿克苏地区柯坪县", Some(app.fx.unit.id))
                .validate()
                .unwrap(),
        )
        .await
        .unwrap();
    let ew = app
        .store
        .create_programme(
            &admin,
            &actor,
            &make("东西部协作", "四川省广安市", None).validate().unwrap(),
        )
        .await
        .unwrap();
    let m = Month::new(2024, 12).unwrap();
    app.store
        .set_indicator(
            &admin,
            &actor,
            xj,
            ("财政援助资金", "万元"),
            1_100_000,
            1_108_000,
            m,
            None,
        )
        .await
        .unwrap();
    app.store
        .set_indicator(&admin, &actor, ew, ("援助项目", "个"), 4000, 3000, m, None)
        .await
        .unwrap();
    let fund = app
        .store
        .add_fund(&admin, &actor, xj, "湖州新村建设", Yuan::from_wan(350))
        .await
        .unwrap();
    (xj, ew, fund)
}

#[tokio::test]
async fn the_matrix_and_the_api_show_each_role_its_own_programmes() {
    let app = TestApp::spawn().await;
    let (xj, ew, _) = seed(&app).await;
    for (user, expected) in [
        ("office", vec![xj, ew]),
        ("leader", vec![xj, ew]),
        ("unit", vec![xj]),
        ("area", vec![]),
    ] {
        let token = app.api_token_for(user).await;
        let json = app
            .api_get(&token, "/api/v1/assistance/programmes?year=2024")
            .await
            .json();
        assert_eq!(json["total"], expected.len(), "{user}");
        let mut ids: Vec<i64> = json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        ids.sort();
        assert_eq!(ids, expected, "{user}");
        let one = app
            .api_get(&token, &format!("/api/v1/assistance/programmes/{ew}"))
            .await;
        assert_eq!(
            one.status == StatusCode::OK,
            expected.contains(&ew),
            "{user}"
        );
        let mut c = app.login_as(user).await;
        let page = c.get("/assistance?year=2024&month=2024-12").await;
        page.assert_status(StatusCode::OK);
        assert_eq!(
            page.text.contains("四川省广安市"),
            expected.contains(&ew),
            "{user}"
        );
    }
    let token = app.api_token_for("office").await;
    let json = app
        .api_get(
            &token,
            "/api/v1/assistance/programmes?year=2024&month=2024-12",
        )
        .await
        .json();
    let xj_row = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == xj)
        .unwrap()
        .clone();
    assert_eq!(xj_row["indicators"][0]["status_label"], "超额完成");
    assert_eq!(xj_row["funds_allocated"], 3_500_000);
    let ew_row = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == ew)
        .unwrap()
        .clone();
    assert_eq!(ew_row["status_label"], "滞后");
    app.api_get(&token, "/api/v1/assistance/programmes?kind=援藏")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let doc = app.api_get(&token, "/api/v1/openapi.json").await.json();
    assert!(doc["paths"]["/api/v1/assistance/programmes"].is_object());
}

#[tokio::test]
async fn a_payment_past_the_balance_is_refused_and_the_team_reports_actuals_only() {
    let app = TestApp::spawn().await;
    let (xj, ew, fund) = seed(&app).await;
    let mut team = app.login_as("unit").await;
    let pay = |amount: &'static str| {
        vec![
            ("programme_id", xj.to_string()),
            ("amount_wan", amount.to_string()),
            ("paid_on", "2024-10-30".to_string()),
            ("note", "一期".to_string()),
        ]
    };
    let too_much = team
        .post_pairs(
            &format!("/assistance/funds/{fund}/disburse"),
            &own(pay("351")),
        )
        .await;
    too_much.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_much.text.contains("超过该资金的余额350万元"),
        "{}",
        too_much.text
    );
    let ok = team
        .post_pairs(
            &format!("/assistance/funds/{fund}/disburse"),
            &own(pay("350")),
        )
        .await;
    ok.assert_status(StatusCode::SEE_OTHER);
    let f = app
        .store
        .fund(&app.viewer_of("office").await, fund)
        .await
        .unwrap();
    assert_eq!((f.disbursed, f.balance()), (3_500_000, 0));

    // Actuals yes, targets no; another programme not at all.
    let version = app
        .store
        .programmes(
            &app.viewer_of("office").await,
            &Default::default(),
            Month::new(2024, 12).unwrap(),
        )
        .await
        .unwrap()
        .items
        .iter()
        .find(|p| p.id == xj)
        .unwrap()
        .indicators[0]
        .version
        .to_string();
    let form = |target: &str, actual: &str| {
        vec![
            ("name", "财政援助资金".to_string()),
            ("unit", "万元".to_string()),
            ("target", target.to_string()),
            ("actual", actual.to_string()),
            ("month", "2024-12".to_string()),
            ("version", version.clone()),
        ]
    };
    team.post_pairs(
        &format!("/assistance/{xj}/indicators"),
        &own(form("11000", "11200")),
    )
    .await
    .assert_status(StatusCode::SEE_OTHER);
    let raised = team
        .post_pairs(
            &format!("/assistance/{xj}/indicators"),
            &own(form("20000", "11200")),
        )
        .await;
    raised.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(raised.text.contains("目标任务由合作办设定"));
    let bad = team
        .post_pairs(
            &format!("/assistance/{xj}/indicators"),
            &own(form("11000", "一万")),
        )
        .await;
    assert!(bad.text.contains("不是有效数值"));
    team.post_pairs(
        &format!("/assistance/{ew}/indicators"),
        &own(form("40", "41")),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    team.get("/assistance/new")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

fn own(pairs: Vec<(&str, String)>) -> Vec<(String, String)> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

#[tokio::test]
async fn the_bulletin_states_each_programme_in_the_offices_words() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let compose = |user: &'static str, month: u32| {
        let app = &app;
        async move {
            let viewer = app.viewer_of(user).await;
            let request = hezuo_web::bulletin::Request {
                store: &app.store,
                viewer: &viewer,
                filter: Default::default(),
                period: hezuo_store::stats::Period::new(2024, Some(month)).unwrap(),
                tiers: &hezuo_domain::TierConfig::default(),
                city: "湖州市",
                today: chrono::NaiveDate::from_ymd_opt(2025, 1, 20).unwrap(),
                kind: hezuo_web::bulletin::Kind::Bulletin,
            };
            let doc = hezuo_web::bulletin::compose(&request).await.unwrap();
            doc.blocks
                .iter()
                .map(|b| match b {
                    hezuo_office::docx::Block::Heading(h) => format!("# {h}"),
                    hezuo_office::docx::Block::Paragraph(p) => p.clone(),
                    hezuo_office::docx::Block::Table(t) => {
                        t.total.clone().unwrap_or_default().join("/")
                    }
                    hezuo_office::docx::Block::Image(_) => String::new(),
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
    };
    let december = compose("office", 12).await;
    assert!(
        december.contains("# 五、对口工作") || december.contains("、对口工作"),
        "{december}"
    );
    assert!(
        december.contains("援疆：投入援疆资金1.11亿元，各项指标均超额完成省定目标任务。"),
        "{december}"
    );
    assert!(
        december.contains("东西部协作：安排东西部协作项目30个（省定目标40个，进度滞后）。"),
        "{december}"
    );
    assert!(december.contains("合计/2项/350/0/1项完成"), "{december}");
    assert!(
        december.contains("对口工作2项、1项完成省定目标"),
        "the overview names it: {december}"
    );
    // In September 30 of 40 projects is on schedule (≥ 40 × 9 ÷ 12) and the funds already exceed.
    let september = compose("office", 9).await;
    assert!(
        september.contains("东西部协作：安排东西部协作项目30个，各项指标均按序时推进。"),
        "{september}"
    );
    assert!(
        september.contains("各项指标均提前超额完成省定目标任务"),
        "{september}"
    );
    // A district's liaison has no programmes: no section.
    assert!(!compose("area", 12).await.contains("对口工作"));
}

#[tokio::test]
async fn the_matrix_exports_each_roles_own_programmes() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    for (user, xinjiang, sichuan) in [
        ("office", true, true),
        ("unit", true, false),
        ("area", false, false),
    ] {
        let mut c = app.login_as(user).await;
        let resp = c
            .get("/assistance/export.xlsx?year=2024&month=2024-12")
            .await;
        resp.assert_status(StatusCode::OK);
        let text = format!("{:?}", hezuo_office::book::read_book(&resp.bytes).unwrap());
        assert_eq!(text.contains("新疆阿克苏地区柯坪县"), xinjiang, "{user}");
        assert_eq!(text.contains("四川省广安市"), sichuan, "{user}");
        if xinjiang {
            assert!(
                text.contains("超额完成") && text.contains("湖州新村建设"),
                "{user}: {text}"
            );
        }
    }
}

#[tokio::test]
async fn the_team_records_people_and_sales_and_a_bad_line_is_explained() {
    let app = TestApp::spawn().await;
    let (xj, _, _) = seed(&app).await;
    let mut team = app.login_as("unit").await;
    let person = [
        ("name", "王援"),
        ("role", "挂职干部"),
        ("batch", "第十一批"),
        ("place", "柯坪县发改委"),
        ("start_on", "2024-03-01"),
        ("end_on", "2023-01-01"),
    ];
    let bad = team
        .post_form(&format!("/assistance/{xj}/people"), &person)
        .await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("结束日期不能早于开始日期"));
    let mut good = person;
    good[5] = ("end_on", "");
    team.post_form(&format!("/assistance/{xj}/people"), &good)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let sale = [
        ("product", "核桃"),
        ("region", "新疆阿克苏地区柯坪县"),
        ("amount_wan", "36.5"),
        ("sold_on", "2024-11-11"),
    ];
    team.post_form(&format!("/assistance/{xj}/sales"), &sale)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let page = team.get(&format!("/assistance/{xj}")).await;
    assert!(
        page.text.contains("王援")
            && page.text.contains("合计 1 人次")
            && page.text.contains("36.5"),
        "{}",
        page.text
    );
    let token = app.api_token_for("unit").await;
    let json = app
        .api_get(&token, &format!("/api/v1/assistance/programmes/{xj}"))
        .await
        .json();
    assert_eq!(json["people"][0]["name"], "王援");
    assert_eq!(json["sales"][0]["amount"], 365_000);
}
