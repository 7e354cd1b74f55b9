//! 平台 · 飞地 through the web edge: the office registers an enclave (a missing partner is named
//! and the form kept), figures are filed by month in 万元 and read back with 同比 and the
//! enclave's settlement; the list and the API are scoped to the district.

use crate::helpers::*;
use axum::http::StatusCode;

#[tokio::test]
async fn an_enclave_is_registered_and_its_figures_read_with_yoy_and_settlement() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let mut form = vec![
        ("name", "南庆产业飞地"),
        ("kind", "enclave"),
        ("district_code", WUXING),
        ("partner_region", ""),
        ("output_share_pct", "50"),
        ("tax_share_pct", "70"),
    ];
    let bad = office.post_form("/platforms", &form).await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("飞地须写明合作地区") && bad.text.contains("南庆产业飞地"));
    form[3] = ("partner_region", "丽水市庆元县");
    let created = office.post_form("/platforms", &form).await;
    created.assert_status(StatusCode::SEE_OTHER);
    let id = created.location().rsplit('/').next().unwrap().to_string();
    let file = |month: &'static str, fai: &'static str, tax_arrived: &'static str| {
        vec![
            ("month", month),
            ("fixed_asset_investment", fai),
            ("industrial_output", "222000"),
            ("projects", "6"),
            ("projects_investment", "1090000"),
            ("tax", "11000"),
            ("output_arrived", "111000"),
            ("tax_arrived", tax_arrived),
        ]
    };
    let figures = format!("/platforms/{id}/figures");
    office
        .post_form(&figures, &file("2023-11", "100000", "0"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    office
        .post_form(&figures, &file("2024-11", "134000", "7000"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let wrong = office
        .post_form(&figures, &file("2024-10", "十三亿", "0"))
        .await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text.contains("固定资产投资"));
    let stale = office.post_form(&figures, &file("2024-11", "1", "0")).await;
    stale.assert_status(StatusCode::CONFLICT);
    // Only the figures that differ as stored are compared: a blank is 0, "222000.00" is 222000.
    let mut retyped = file("2024-11", "1", "");
    retyped[2] = ("industrial_output", "222000.00");
    let stale = office.post_form(&figures, &retyped).await;
    stale.assert_status(StatusCode::CONFLICT);
    assert!(
        stale
            .text
            .contains(r#"<td class="mine">1</td><td class="theirs">134000</td>"#)
            && stale
                .text
                .contains(r#"<td class="mine">0</td><td class="theirs">7000</td>"#),
        "{}",
        stale.text
    );
    assert!(
        !stale.text.contains("规上工业总产值（万元）</th>") && !stale.text.contains("（空）"),
        "equal figures are not listed as differences: {}",
        stale.text
    );

    let token = app.api_token_for("office").await;
    let page = app
        .api_get(&token, "/api/v1/platforms?year=2024&month=12")
        .await
        .json();
    let p = &page["items"][0];
    assert_eq!(p["current"]["fixed_asset_investment"], 1_340_000_000i64);
    assert_eq!(p["yoy"]["fixed_asset_investment"], "34.0%");
    assert_eq!(p["tax_settlement"]["agreed"], 77_000_000);
    assert_eq!(p["tax_settlement"]["shortfall"], 7_000_000);
    let list = office.get("/platforms?year=2024&month=12").await;
    assert!(
        list.text.contains("13.4")
            && list.text.contains("（34.0%）")
            && list.text.contains("差 0.07"),
        "{}",
        list.text
    );

    for (user, sees) in [("area", true), ("unit", false), ("leader", true)] {
        let token = app.api_token_for(user).await;
        let page = app
            .api_get(&token, "/api/v1/platforms?year=2024")
            .await
            .json();
        assert_eq!(page["total"], i64::from(sees), "{user}");
    }
    let mut unit = app.login_as("unit").await;
    unit.get(&format!("/platforms/{id}"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    unit.post_form("/platforms", &form)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_platform_list_exports_what_the_page_shows() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let form = [
        ("name", "嘉湖一体化合作先行区"),
        ("kind", "platform"),
        ("district_code", WUXING),
        ("partner_region", "嘉兴市"),
    ];
    let created = office.post_form("/platforms", &form).await;
    let id = created.location().rsplit('/').next().unwrap().to_string();
    let figures = [
        ("month", "2024-12"),
        ("fixed_asset_investment", "860000"),
        ("industrial_output", "3200000"),
        ("projects", "21"),
        ("projects_investment", "1280000"),
        ("tax", "180000"),
    ];
    office
        .post_form(&format!("/platforms/{id}/figures"), &figures)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let resp = office
        .get("/platforms/export.xlsx?year=2024&month=12")
        .await;
    resp.assert_status(StatusCode::OK);
    let text = format!("{:?}", hezuo_office::book::read_book(&resp.bytes).unwrap());
    assert!(
        text.contains("嘉湖一体化合作先行区") && text.contains("860000"),
        "{text}"
    );
    let mut unit = app.login_as("unit").await;
    let theirs = unit.get("/platforms/export.xlsx?year=2024&month=12").await;
    assert!(
        !format!(
            "{:?}",
            hezuo_office::book::read_book(&theirs.bytes).unwrap()
        )
        .contains("嘉湖")
    );

    // The bulletin states it for the city.
    let viewer = app.viewer_of("office").await;
    let request = hezuo_web::bulletin::Request {
        store: &app.store,
        viewer: &viewer,
        filter: Default::default(),
        period: hezuo_store::stats::Period::new(2024, Some(12)).unwrap(),
        tiers: &hezuo_domain::TierConfig::default(),
        city: "湖州市",
        today: chrono::NaiveDate::from_ymd_opt(2025, 1, 20).unwrap(),
        kind: hezuo_web::bulletin::Kind::Bulletin,
    };
    let doc = hezuo_web::bulletin::compose(&request).await.unwrap();
    let text: Vec<String> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            hezuo_office::docx::Block::Paragraph(p) => Some(p.clone()),
            hezuo_office::docx::Block::Heading(h) => Some(h.clone()),
            _ => None,
        })
        .collect();
    assert!(
        text.iter().any(|h| h.ends_with("合作平台与飞地")),
        "{text:?}"
    );
    assert!(
        text.contains(&"嘉湖一体化合作先行区完成固定资产投资86亿元，规上工业总产值320亿元，引进项目21个、总投资128亿元。".to_string()),
        "{text:?}"
    );
}
