//! No lost updates in the browser (等保三级): for each editable record, a save against a version
//! that is no longer the latest is refused with 409, the page shows the user's values beside
//! the latest version's and who saved it, nothing the user typed is lost, and saving again
//! (with the version the page now carries) applies the user's values.

use crate::helpers::*;
use axum::http::StatusCode;
use hezuo_domain::Month;
use hezuo_store::Actor;
use hezuo_store::dict::DictKind;

fn owned(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The comparison table's row for `label`: (mine, theirs).
#[track_caller]
fn compared(page: &str, label: &str) -> (String, String) {
    let start = format!(r#"<th scope="row">{label}</th>"#);
    let at = page
        .find(&start)
        .unwrap_or_else(|| panic!("no conflict row {label}: {page}"));
    let rest = &page[at + start.len()..];
    let cell = |class: &str, from: &str| -> String {
        let open = format!(r#"<td class="{class}">"#);
        let i = from.find(&open).unwrap() + open.len();
        let j = from[i..].find("</td>").unwrap();
        from[i..i + j].to_string()
    };
    (cell("mine", rest), cell("theirs", rest))
}

/// The value of the hidden input `name` on the page.
#[track_caller]
fn hidden(page: &str, name: &str) -> String {
    let key = format!(r#"name="{name}" value=""#);
    let at = page
        .find(&key)
        .unwrap_or_else(|| panic!("no input {name}: {page}"));
    let rest = &page[at + key.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

#[tokio::test]
async fn a_stale_project_edit_shows_both_versions_and_saving_again_applies_the_users() {
    let app = TestApp::spawn().await;
    let project = app.fx.project(WX_ROBOT).clone();
    let mut office = app.login_as("office").await;
    let mut area = app.login_as("area").await;
    let path = format!("/projects/{}", project.id);
    let form = |investor: &str, land: &str| {
        let mut f = project_form(WX_ROBOT, &project.district_code);
        f.retain(|(k, _)| k != "investor" && k != "land_mu");
        f.extend(owned(&[
            ("investor", investor),
            ("land_mu", land),
            ("version", "1"),
        ]));
        f
    };
    office
        .post_pairs(&path, &form("杭州机器人有限公司", "120"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stale = area
        .post_pairs(&path, &form("吴兴机器人产业基金", "120"))
        .await;
    stale.assert_status(StatusCode::CONFLICT);
    assert!(stale.text.contains("保存冲突"), "{}", stale.text);
    assert!(
        stale.text.contains("测试office（office）"),
        "who saved: {}",
        stale.text
    );
    assert_eq!(
        compared(&stale.text, "投资方"),
        ("吴兴机器人产业基金".into(), "杭州机器人有限公司".into())
    );
    assert!(
        !stale.text.contains(r#"<th scope="row">用地（亩）</th>"#),
        "fields that agree are not listed"
    );
    assert!(
        stale
            .text
            .contains(r#"name="investor" value="吴兴机器人产业基金""#)
    );
    assert_eq!(hidden(&stale.text, "version"), "2");
    assert_eq!(
        app.project_now(project.id).await.investor,
        "杭州机器人有限公司"
    );

    let mut again = form("吴兴机器人产业基金", "120");
    again.retain(|(k, _)| k != "version");
    again.push(("version".into(), hidden(&stale.text, "version")));
    area.post_pairs(&path, &again)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        app.project_now(project.id).await.investor,
        "吴兴机器人产业基金"
    );
}

#[tokio::test]
async fn a_stale_plan_or_monthly_report_shows_both_and_the_form_read_none_counts() {
    let app = TestApp::spawn().await;
    let id = app.fx.id(WX_EV);
    let mut area = app.login_as("area").await;
    let mut office = app.login_as("office").await;
    let plans = format!("/projects/{id}/plans");
    let plan = |wan: &str, version: Option<&str>| {
        let mut p = owned(&[
            ("year", "2024"),
            ("planned_wan", wan),
            ("planned_start", "2024-03"),
        ]);
        if let Some(v) = version {
            p.push(("version_2024".into(), v.into()));
        }
        p
    };
    area.post_pairs(&plans, &plan("10000", None))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    office
        .post_pairs(&plans, &plan("12000", Some("1")))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stale = area.post_pairs(&plans, &plan("11000", Some("1"))).await;
    stale.assert_status(StatusCode::CONFLICT);
    assert_eq!(
        compared(&stale.text, "计划投资（万元）"),
        ("11000".into(), "12000".into())
    );
    assert!(stale.text.contains(r#"name="planned_wan" value="11000""#));
    assert_eq!(hidden(&stale.text, "version_2024"), "2");
    area.post_pairs(&plans, &plan("11000", Some("2")))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let viewer = app.viewer_of("office").await;
    let saved = app.store.plan(&viewer, id, 2024).await.unwrap().unwrap();
    assert_eq!(saved.planned, 110_000_000);

    // A month's report filed by someone else after the page was read (it listed none).
    let reports = format!("/projects/{id}/progress");
    let report = |wan: &str, note: &str, version: Option<&str>| {
        let mut p = owned(&[
            ("month", "2024-06"),
            ("invested_wan", wan),
            ("image_progress", note),
        ]);
        if let Some(v) = version {
            p.push(("version_2024-06".into(), v.into()));
        }
        p
    };
    office
        .post_pairs(&reports, &report("2500", "桩基施工", None))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stale = area
        .post_pairs(&reports, &report("2600", "主体结构施工", None))
        .await;
    stale.assert_status(StatusCode::CONFLICT);
    assert_eq!(
        compared(&stale.text, "形象进度"),
        ("主体结构施工".into(), "桩基施工".into())
    );
    assert_eq!(
        compared(&stale.text, "当月完成投资（万元）"),
        ("2600".into(), "2500".into())
    );
    assert!(
        stale.text.contains("主体结构施工</textarea>"),
        "typed is kept"
    );
    assert_eq!(hidden(&stale.text, "version_2024-06"), "1");
    area.post_pairs(&reports, &report("2600", "主体结构施工", Some("1")))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let latest = app
        .store
        .progress_reports(&viewer, id)
        .await
        .unwrap()
        .remove(0);
    assert_eq!((latest.invested, latest.version), (26_000_000, 2));

    // Two reviewers: the second sees the first's decision and its own, and cannot review again.
    let review = format!("/progress/{}/review", latest.id);
    let decide = |decision: &str, reason: &str| {
        owned(&[
            ("decision", decision),
            ("reason", reason),
            ("version", "2"),
            ("project_id", &id.to_string()),
        ])
    };
    office
        .post_pairs(&review, &decide("accept", ""))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let mut second = app.login_as("admin").await;
    let late = second
        .post_pairs(&review, &decide("return", "投资额与统计局口径不一致"))
        .await;
    late.assert_status(StatusCode::CONFLICT);
    assert_eq!(
        compared(&late.text, "审核结果"),
        ("退回".into(), "已确认".into())
    );
    assert!(
        late.text.contains("投资额与统计局口径不一致"),
        "typed is kept"
    );
    assert!(late.text.contains("已经审核过"), "{}", late.text);
}

#[tokio::test]
async fn a_stale_indicator_keeps_the_users_figures_and_one_button_saves_them() {
    let app = TestApp::spawn().await;
    let admin = app.viewer_of("admin").await;
    let actor = Actor::system("test");
    let id = app
        .store
        .create_programme(
            &admin,
            &actor,
            &hezuo_domain::assistance::ProgrammeInput {
                year: "2024".into(),
                kind: "援疆".into(),
                partner_region: "新疆阿克苏地区柯坪县".into(),
                name: String::new(),
                team_unit_id: String::new(),
            }
            .validate()
            .unwrap(),
        )
        .await
        .unwrap();
    let m = Month::new(2024, 12).unwrap();
    app.store
        .set_indicator(
            &admin,
            &actor,
            id,
            ("财政援助资金", "万元"),
            1_100_000,
            900_000,
            m,
            None,
        )
        .await
        .unwrap();
    let mut office = app.login_as("office").await;
    let path = format!("/assistance/{id}/indicators");
    let form = |actual: &str, version: &str| {
        owned(&[
            ("name", "财政援助资金"),
            ("unit", "万元"),
            ("target", "11000"),
            ("actual", actual),
            ("month", "2024-12"),
            ("version", version),
        ])
    };
    office
        .post_pairs(&path, &form("10500", "1"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stale = office.post_pairs(&path, &form("11080", "1")).await;
    stale.assert_status(StatusCode::CONFLICT);
    assert_eq!(
        compared(&stale.text, "财政援助资金·完成"),
        ("11080".into(), "10500".into())
    );
    assert!(stale.text.contains("以我填写的内容保存"), "{}", stale.text);
    // The button's form carries the user's figures and the latest version.
    let button = &stale.text[stale.text.find(r#"id="conflict""#).unwrap()..];
    assert_eq!(hidden(button, "actual"), "11080");
    assert_eq!(hidden(button, "version"), "2");
    office
        .post_pairs(&path, &form("11080", "2"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn stale_dictionary_and_account_edits_show_both_versions() {
    let app = TestApp::spawn().await;
    let mut admin = app.login_as("admin").await;
    let industry = app.fx.industry.clone();
    let path = format!("/admin/dict/industries/{}", industry.id);
    admin
        .post_form(&path, &[("name", "高端装备制造"), ("version", "1")])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stale = admin
        .post_form(&path, &[("name", "智能装备"), ("version", "1")])
        .await;
    stale.assert_status(StatusCode::CONFLICT);
    assert_eq!(
        compared(&stale.text, "名称"),
        ("智能装备".into(), "高端装备制造".into())
    );
    assert!(stale.text.contains(r#"value="智能装备""#), "typed is kept");
    assert_eq!(hidden(&stale.text, "version"), "2");
    admin
        .post_form(&path, &[("name", "智能装备"), ("version", "2")])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        app.store
            .dict_get(DictKind::Industry, industry.id)
            .await
            .unwrap()
            .name,
        "智能装备"
    );

    let area = app.store.user_by_name("area").await.unwrap();
    let path = format!("/admin/users/{}", area.id);
    let account = |name: &str, version: i64| {
        owned(&[
            ("username", "area"),
            ("display_name", name),
            ("role", "area"),
            ("area", app.fx.wuxing.value(DictKind::District, "code")),
            ("version", &version.to_string()),
        ])
    };
    admin
        .post_pairs(&path, &account("吴兴区联络员（张）", area.version))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stale = admin
        .post_pairs(&path, &account("吴兴区联络员（李）", area.version))
        .await;
    stale.assert_status(StatusCode::CONFLICT);
    assert_eq!(
        compared(&stale.text, "姓名"),
        ("吴兴区联络员（李）".into(), "吴兴区联络员（张）".into())
    );
    assert!(
        stale.text.contains(r#"value="吴兴区联络员（李）""#),
        "typed is kept"
    );
}
