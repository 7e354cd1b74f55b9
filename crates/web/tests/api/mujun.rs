//! 亩均效益评价 through the web edge: the office sets the year's scheme (a bad one is explained
//! and the text kept), the results are a trial while a draft, 公示 freezes them, a district
//! files an objection about its own enterprise only, publishing waits for the answer, and the
//! D class's improvement action is filed with its land; pages, exports and the API show each
//! account only its district's enterprises.

use crate::helpers::*;
use axum::http::StatusCode;
use hezuo_domain::credit_code::CreditCode;
use hezuo_office::book::read_book;
use hezuo_store::Actor;
use hezuo_store::enterprise::{NewEnterprise, YearFigures};

const SCHEME: &str = r#"
year = 2024
[[indicators]]
name = "亩均税收"
numerator = "tax"
denominator = "land"
weight = 100
benchmark = { kind = "fixed", value = 100000 }
[[classes]]
class = "A"
upto_pct = 50
[[classes]]
class = "D"
upto_pct = 100
"#;

/// 甲/丙 in 吴兴, 乙/丁 in 南浔, taxed 4, 3, 2, 1 million on 20 亩: 甲 乙 A, 丙 丁 D.
async fn seed(app: &TestApp) -> Vec<i64> {
    let admin = app.viewer_of("admin").await;
    let actor = Actor::system("test");
    let mut ids = Vec::new();
    for (n, (code, name, district)) in [
        ("91350100M000100Y43", "吴兴甲公司", WUXING),
        ("91110000600037341L", "南浔乙公司", NANXUN),
        ("91440300708461136T", "吴兴丙公司", WUXING),
        ("91310000MA1FL4B24G", "南浔丁公司", NANXUN),
    ]
    .into_iter()
    .enumerate()
    {
        let e = NewEnterprise {
            credit_code: CreditCode::parse(code).unwrap(),
            name: name.into(),
            district_code: district.into(),
            industry: "装备制造".into(),
            above_scale: true,
            land_owned_x100: 2000,
            land_leased_x100: 0,
            exempt: String::new(),
        };
        let id = app
            .store
            .upsert_enterprise(&admin, &actor, &e)
            .await
            .unwrap();
        let tax = Some(4_000_000 - 1_000_000 * n as i64);
        app.store
            .set_enterprise_year(
                &admin,
                &actor,
                id,
                2024,
                &YearFigures {
                    tax,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        ids.push(id);
    }
    ids
}

async fn version(app: &TestApp) -> String {
    let admin = app.viewer_of("admin").await;
    app.store
        .mujun_year(&admin, 2024)
        .await
        .unwrap()
        .version
        .to_string()
}

#[tokio::test]
async fn an_evaluation_runs_from_scheme_to_improvement_list_scoped_to_the_district() {
    let app = TestApp::spawn().await;
    let ids = seed(&app).await;
    let mut office = app.login_as("office").await;
    let csrf = office
        .get("/mujun/scheme?year=2024")
        .await
        .csrf_token()
        .unwrap();

    // A scheme that cannot work is explained and what was typed is kept.
    let bad = SCHEME.replace("upto_pct = 100", "upto_pct = 90");
    let refused = office
        .post_multipart(
            "/mujun/scheme",
            Some(&csrf),
            &[("year", "2024"), ("version", "0"), ("scheme", &bad)],
            &[],
        )
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("累计比例应为100") && refused.text.contains("upto_pct = 90"));
    // A file chosen wins over the text box.
    office
        .post_multipart(
            "/mujun/scheme",
            Some(&csrf),
            &[("year", "2024"), ("version", "0"), ("scheme", &bad)],
            &[("file", "2024.toml", SCHEME.as_bytes())],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let draft = office.get("/mujun?year=2024").await;
    assert!(draft.text.contains("草稿（试算）") && draft.text.contains("锁定结果并公示"));

    // The district sees its own two, ranked among the city's; a unit none.
    let mut area = app.login_as("area").await;
    let results = area.get("/mujun/results?year=2024").await;
    assert!(results.text.contains("吴兴甲公司") && results.text.contains("吴兴丙公司"));
    assert!(
        !results.text.contains("南浔"),
        "another district's enterprise leaked"
    );
    for (user, names) in [("office", 4), ("area", 2), ("unit", 0), ("leader", 4)] {
        let token = app.api_token_for(user).await;
        let body = app
            .api_get(&token, "/api/v1/mujun/results?year=2024")
            .await
            .json();
        assert_eq!(body["results"].as_array().unwrap().len(), names, "{user}");
    }
    let token = app.api_token_for("area").await;
    let body = app
        .api_get(&token, "/api/v1/mujun/results?year=2024&class=D")
        .await
        .json();
    assert_eq!(body["results"][0]["name"], "吴兴丙公司");
    assert_eq!(body["results"][0]["rank"], 3);
    assert_eq!(body["results"][0]["indicators"][0]["points"], 100.0);

    // 公示; the district objects about its enterprise, not about another's.
    office
        .post_form(
            "/mujun/publicize",
            &[
                ("year", "2024"),
                ("version", &version(&app).await),
                ("until", "2025-03-31"),
            ],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let objection = [
        ("year", "2024"),
        ("enterprise_id", &ids[2].to_string()),
        ("content", "用地含代征道路"),
    ];
    let page = area
        .get(&format!("/mujun/enterprises/{}?year=2024", ids[2]))
        .await;
    assert!(page.text.contains("登记异议") && page.text.contains("亩均税收"));
    area.post_form("/mujun/objections", &objection)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let other = [
        ("year", "2024"),
        ("enterprise_id", &ids[3].to_string()),
        ("content", "x"),
    ];
    area.post_form("/mujun/objections", &other)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    area.get(&format!("/mujun/enterprises/{}?year=2024", ids[3]))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // Publishing waits for the answer.
    let waiting = office
        .post_form(
            "/mujun/finalize",
            &[("year", "2024"), ("version", &version(&app).await)],
        )
        .await;
    waiting.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(waiting.text.contains("尚有1件异议未处理"));
    let admin = app.viewer_of("admin").await;
    let open = app
        .store
        .mujun_objections(&admin, 2024, None)
        .await
        .unwrap();
    office
        .post_form(
            &format!("/mujun/objections/{}/resolve", open[0].id),
            &[
                ("year", "2024"),
                ("version", "1"),
                ("decision", "rejected"),
                ("resolution", "用地与不动产登记一致"),
            ],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    office
        .post_form(
            "/mujun/finalize",
            &[("year", "2024"), ("version", &version(&app).await)],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);

    // The D class is on the improvement list; the district files its action.
    let list = area.get("/mujun/improvements?year=2024").await;
    assert!(list.text.contains("吴兴丙公司") && !list.text.contains("南浔丁公司"));
    let item = &app
        .store
        .mujun_improvements(&admin, 2024, Some(ids[2]))
        .await
        .unwrap()
        .items[0];
    let path = format!("/mujun/improvements/{}", item.id);
    let (id, v) = (ids[2].to_string(), item.version.to_string());
    let mut action = vec![
        ("year", "2024"),
        ("enterprise_id", id.as_str()),
        ("version", v.as_str()),
        ("kind", "vacate"),
        ("measures", "整体收回"),
        ("deadline", "2025-06-30"),
        ("done", "1"),
        ("land_reclaimed", "25"),
        ("floor_vacated", "8000"),
    ];
    let too_much = area.post_form(&path, &action).await;
    too_much.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_much.text.contains("腾退土地不能超过企业用地20亩"));
    assert!(
        too_much
            .text
            .contains(r#"name="land_reclaimed" value="25""#)
            && too_much
                .text
                .contains(r#"name="floor_vacated" value="8000""#)
            && too_much.text.contains("整体收回"),
        "what was typed is kept"
    );
    action[7] = ("land_reclaimed", "20");
    area.post_form(&path, &action)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    area.post_form(&path, &action)
        .await
        .assert_status(StatusCode::CONFLICT);
    let token = app.api_token_for("office").await;
    let body = app
        .api_get(&token, "/api/v1/mujun/improvements?year=2024")
        .await
        .json();
    assert_eq!(
        (
            body["land_reclaimed_x100"].as_i64(),
            body["vacate"].as_i64()
        ),
        (Some(2000), Some(1))
    );
    let overview = office.get("/mujun?year=2024").await;
    assert!(
        overview.text.contains("已发布")
            && overview.text.contains("腾退土地 <strong>20</strong> 亩")
    );

    // Exports: the district's rows only, each indicator's points in a column.
    let resp = area.get("/mujun/results/export.xlsx?year=2024").await;
    resp.assert_status(StatusCode::OK);
    let book = read_book(&resp.bytes).unwrap();
    let rows = &book.sheets[0].rows;
    assert!(
        rows[2].iter().any(|h| h == "亩均税收（得分）"),
        "{:?}",
        rows[2]
    );
    let names: Vec<&str> = rows[3..]
        .iter()
        .filter(|r| r[0] != "合计")
        .map(|r| r[1].as_str())
        .collect();
    assert_eq!(names, ["吴兴甲公司", "吴兴丙公司"]);
    let resp = office
        .get("/mujun/improvements/export.xlsx?year=2024")
        .await;
    let book = read_book(&resp.bytes).unwrap();
    assert!(
        book.sheets[0]
            .rows
            .iter()
            .any(|r| r.iter().any(|c| c == "腾笼换鸟"))
    );

    // The scheme can no longer be changed.
    let locked = office
        .post_multipart(
            "/mujun/scheme",
            Some(&csrf),
            &[("year", "2024"), ("version", "0"), ("scheme", SCHEME)],
            &[],
        )
        .await;
    locked.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(locked.text.contains("方案不能再修改"));
}
