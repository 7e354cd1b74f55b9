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
