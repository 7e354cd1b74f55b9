//! 投资进度 through the web edge: an area files a plan and a monthly report, the office
//! reviews it, the pages are scoped, and the stats API gives the store's figures.

use crate::helpers::*;
use axum::http::StatusCode;
use hezuo_domain::{Month, Plan, Progress, Yuan};
use hezuo_store::project::ProjectFilter;
use hezuo_store::stats::Period;

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn an_area_files_a_plan_and_a_report_and_the_office_accepts_it() {
    let app = TestApp::spawn().await;
    let id = app.fx.id(WX_EV);
    let mut area = app.login_as("area").await;
    let progress_page = format!("/projects/{id}/progress");

    let plan = area
        .post_pairs(
            &format!("/projects/{id}/plans"),
            &pairs(&[
                ("year", "2024"),
                ("planned_wan", "10000"),
                ("planned_start", "2024-03"),
            ]),
        )
        .await;
    plan.assert_status(StatusCode::SEE_OTHER);

    let bad = area
        .post_pairs(
            &progress_page,
            &pairs(&[
                ("month", "2024-06"),
                ("invested_wan", "一千"),
                ("image_progress", "桩基施工"),
            ]),
        )
        .await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text.contains("当月完成投资：“一千”不是有效的金额"),
        "{}",
        bad.text
    );
    assert!(
        bad.text.contains(r#"value="一千""#),
        "what was typed is kept"
    );
    assert!(bad.text.contains("桩基施工"), "what was typed is kept");

    let ok = area
        .post_pairs(
            &progress_page,
            &pairs(&[
                ("month", "2024-06"),
                ("invested_wan", "2500"),
                ("image_progress", "桩基施工"),
                ("blocker_kinds", "land"),
                ("blocker_notes", "二期用地指标尚未落实"),
            ]),
        )
        .await;
    ok.assert_status(StatusCode::SEE_OTHER);
    let page = area.get(&progress_page).await;
    assert!(
        page.text.contains("待审核") && page.text.contains("二期用地指标尚未落实"),
        "{}",
        page.text
    );

    let office_viewer = app.viewer_of("office").await;
    let report = app
        .store
        .progress_reports(&office_viewer, id)
        .await
        .unwrap()
        .remove(0);
    let mut office = app.login_as("office").await;
    let queue = office.get("/progress").await;
    queue.assert_status(StatusCode::OK);
    assert!(
        queue.text.contains(WX_EV),
        "the report waits for review: {}",
        queue.text
    );

    let version = report.version.to_string();
    let no_reason = office
        .post_pairs(
            &format!("/progress/{}/review", report.id),
            &pairs(&[
                ("decision", "return"),
                ("version", &version),
                ("back", "queue"),
            ]),
        )
        .await;
    assert!(
        no_reason.text.contains("退回月报必须说明原因"),
        "{}",
        no_reason.text
    );

    let accept = office
        .post_pairs(
            &format!("/progress/{}/review", report.id),
            &pairs(&[
                ("decision", "accept"),
                ("version", &version),
                ("project_id", &id.to_string()),
            ]),
        )
        .await;
    accept.assert_status(StatusCode::SEE_OTHER);
    assert!(office.get(&progress_page).await.text.contains("已确认"));

    let again = area
        .post_pairs(
            &progress_page,
            &pairs(&[("month", "2024-06"), ("invested_wan", "3000")]),
        )
        .await;
    again.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text.contains("已被合作办确认"), "{}", again.text);
}

#[tokio::test]
async fn progress_pages_and_writes_are_scoped_to_the_area() {
    let app = TestApp::spawn().await;
    let other = app.fx.id(NX_LOGISTICS);
    let mut area = app.login_as("area").await;
    area.get(&format!("/projects/{other}/progress"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    area.post_pairs(
        &format!("/projects/{other}/plans"),
        &pairs(&[("year", "2024"), ("planned_wan", "100")]),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    area.post_pairs(
        &format!("/projects/{other}/progress"),
        &pairs(&[("month", "2024-06"), ("invested_wan", "100")]),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    let mut leader = app.login_as("leader").await;
    let own = app.fx.id(WX_EV);
    let page = leader.get(&format!("/projects/{own}/progress")).await;
    page.assert_status(StatusCode::OK);
    assert!(
        !page.text.contains("提交月报"),
        "a leader reads but files nothing"
    );
}

/// Seeds plans and reports straight through the store for the figure tests.
pub(crate) async fn seed_progress(app: &TestApp) {
    let office = app.viewer_of("office").await;
    let actor = hezuo_store::Actor::system("test");
    for (name, planned_wan, months) in [
        (WX_EV, 12_000, [800, 900, 1000]),
        (NX_LOGISTICS, 6000, [100, 100, 100]),
    ] {
        let id = app.fx.id(name);
        let plan = Plan {
            year: 2024,
            planned: Yuan::from_wan(planned_wan),
            planned_start: None,
            planned_completion: None,
        };
        app.store
            .save_plan(&office, &actor, id, &plan, None)
            .await
            .unwrap();
        for (m, wan) in months.iter().enumerate() {
            let p = Progress {
                month: Month::new(2024, m as u32 + 1).unwrap(),
                invested: Yuan::from_wan(*wan),
                image_progress: String::new(),
                coordination: String::new(),
                blockers: Vec::new(),
            };
            app.store
                .submit_progress(&office, &actor, id, &p)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn the_stats_api_gives_the_store_figures_within_the_callers_scope() {
    let app = TestApp::spawn().await;
    seed_progress(&app).await;
    let office_token = app.api_token_for("office").await;
    let city = app
        .api_get(&office_token, "/api/v1/stats/investment?year=2024&month=3")
        .await;
    city.assert_status(StatusCode::OK);
    let city = city.json();
    // Planned 12000 + 6000 = 18000万; done 2700 + 300 = 3000万; 3000 / 18000 = 16.7%; 时序 25.0%.
    assert_eq!(city["planned_wan"], 18000.0);
    assert_eq!(city["completed_wan"], 3000.0);
    assert_eq!(city["completion_rate"], 16.7);
    assert_eq!(city["time_progress"], 25.0);
    assert_eq!(city["projects"], 2);

    let office = app.viewer_of("office").await;
    let store = app
        .store
        .investment_stats(
            &office,
            &ProjectFilter::default(),
            Period::new(2024, Some(3)).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(city["completed_yuan"], store.completed);

    // The area's own figure is the city's figure for its district, and nothing more.
    let area_token = app.api_token_for("area").await;
    let own = app
        .api_get(&area_token, "/api/v1/stats/investment?year=2024&month=3")
        .await
        .json();
    let filtered = app
        .api_get(
            &office_token,
            &format!("/api/v1/stats/investment?year=2024&month=3&district={WUXING}"),
        )
        .await
        .json();
    assert_eq!(own, filtered);
    assert_eq!(own["planned_wan"], 12000.0);
    // 2700 / 12000 = 22.5%, below 0.95 × 25%: 滞后.
    assert_eq!(own["light"], "behind");

    let signing = app
        .api_get(&office_token, "/api/v1/stats/signing?year=2024")
        .await;
    signing.assert_status(StatusCode::OK);
    let signing = signing.json();
    let tiers = signing["tiers"].as_array().unwrap();
    assert_eq!(tiers[0]["min_yi"], 1);
    let store_signing = app
        .store
        .signing_stats(
            &office,
            &ProjectFilter::default(),
            Period::new(2024, None).unwrap(),
            &Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(signing["count"], store_signing.count);
    assert_eq!(signing["total_investment_yuan"], store_signing.investment);

    let missing = app.api_get(&office_token, "/api/v1/stats/investment").await;
    missing.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.json()["error"].as_str().unwrap().contains("year"));
}

#[tokio::test]
async fn the_cockpit_shows_the_same_figures_as_the_api_and_drills_down_to_them() {
    let app = TestApp::spawn().await;
    seed_progress(&app).await;
    let token = app.api_token_for("office").await;
    let api = app
        .api_get(&token, "/api/v1/stats/investment?year=2024&month=3")
        .await
        .json();
    let mut office = app.login_as("office").await;
    let page = office.get("/cockpit?year=2024&month=3").await;
    page.assert_status(StatusCode::OK);
    // The completion rate card reads the API's number: 16.7%.
    assert_eq!(api["completion_rate"], 16.7);
    assert!(page.text.contains(">16.7%</strong>"), "{}", page.text);
    assert!(page.text.contains(">25.0%</strong>"), "time progress");
    assert!(
        page.text.contains("全市 · 2024年") && page.text.contains(">全市</option>"),
        "the office's cockpit is the city's"
    );
    assert!(page.text.contains("<svg"), "charts are drawn on the server");
    assert!(page.text.contains("吴兴区") && page.text.contains("南浔区"));

    // The 滞后 card drills down to exactly the projects it counts.
    let behind = api["lights"]["behind"].as_i64().unwrap();
    let drill = office
        .get("/cockpit/projects?figure=behind&year=2024&month=3")
        .await;
    drill.assert_status(StatusCode::OK);
    assert!(
        drill.text.contains(&format!("（{behind}个）")),
        "{}",
        drill.text
    );
    office
        .get("/cockpit/projects?figure=nonsense&year=2024")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_areas_cockpit_contains_only_its_own_district() {
    let app = TestApp::spawn().await;
    seed_progress(&app).await;
    let mut area = app.login_as("area").await;
    let page = area.get("/cockpit?year=2024&month=3").await;
    page.assert_status(StatusCode::OK);
    assert!(
        page.text.contains("吴兴区 · 2024年") && !page.text.contains("全市 · 2024年"),
        "the title names its district, not the city"
    );
    assert!(
        !page.text.contains(">全市</option>"),
        "its district choice offers no whole city"
    );
    // Filtered by a chain, the title still says whose figures they are.
    let chained = area
        .get(&format!(
            "/cockpit?year=2024&month=3&chain={}",
            app.fx.chain.id
        ))
        .await;
    assert!(
        chained
            .text
            .contains(&format!("吴兴区 · {} · 2024年", app.fx.chain.name)),
        "the district and the chain in the title"
    );
    assert!(
        page.text.contains(WX_EV),
        "its own lagging project is listed"
    );
    assert!(
        !page.text.contains(NX_LOGISTICS),
        "another district's project never appears"
    );
    assert!(
        page.text.contains(">22.5%</strong>"),
        "its own completion rate: {}",
        page.text
    );
    let drill = area
        .get("/cockpit/projects?figure=planned&year=2024&month=3")
        .await;
    assert!(drill.text.contains(WX_EV) && !drill.text.contains(NX_LOGISTICS));
}
