//! The upload page: a file is checked first and nothing is stored; a file with problems lists
//! each one; a checked file is imported on confirmation, all or nothing; an upload belongs to
//! the one who made it; roles that may not edit may not import.

use crate::helpers::*;
use axum::http::StatusCode;

const GOOD: &str = "2024年新签约项目表\n项目名称,协议投资（亿元）,来源地,区县,签约日期,阶段\n\
导入甲项目,1.5,上海,吴兴,2024.3.5,签约\n导入乙项目,8000万元,江苏,吴兴区,2024年4月1日,签约\n合计,2.3,,,,\n";

const BAD: &str = "项目名称,协议投资（亿元）,来源地,区县,签约日期,阶段\n\
导入甲项目,1.5,上海,吴兴,2024.13.5,签约\n导入乙项目,8000万元,火星,吴兴区,2024年4月1日,签约\n";

#[tokio::test]
async fn a_checked_file_is_imported_on_confirmation_and_a_bad_one_stores_nothing() {
    let app = TestApp::spawn().await;
    let before = app.project_count().await;
    let mut area = app.login_as("area").await;
    let page = area.get("/import").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text.contains("下载项目导入模板"));

    // Every problem listed, with its row, column and value; nothing stored.
    let csrf = area.csrf.clone();
    let bad = area
        .post_file("/import", Some(&csrf), "坏文件.csv", BAD.as_bytes())
        .await;
    bad.assert_status(StatusCode::OK);
    assert!(bad.text.contains("2 处问题"), "{}", bad.text);
    assert!(bad.text.contains("2024.13.5") && bad.text.contains("E（签约日期）"));
    assert!(bad.text.contains("火星"));
    assert!(
        !bad.text.contains("id=\"commit\""),
        "no confirmation for a bad file"
    );
    assert_eq!(app.project_count().await, before);

    // A good file: checked, not stored, then imported on confirmation.
    let good = area
        .post_file("/import", Some(&csrf), "新签约.csv", GOOD.as_bytes())
        .await;
    good.assert_status(StatusCode::OK);
    assert!(good.text.contains("检查通过"), "{}", good.text);
    assert!(good.text.contains("将新增 <strong>2</strong>"));
    assert_eq!(app.project_count().await, before, "a check stores nothing");
    let action = good
        .text
        .split("action=\"/import/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a confirmation form")
        .to_string();
    let path = format!("/import/{action}");
    let sha = good
        .text
        .split("name=\"sha256\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the checked file's hash")
        .to_string();
    let confirm = [("sha256", sha.as_str())];

    // Someone else cannot confirm another's upload.
    let mut office = app.login_as("office").await;
    office
        .post_form(&path, &confirm)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(app.project_count().await, before);

    let done = area.post_form(&path, &confirm).await;
    done.assert_status(StatusCode::OK);
    assert!(
        done.text.contains("新增 <strong>2</strong>"),
        "{}",
        done.text
    );
    assert_eq!(app.project_count().await, before + 2);
    // Confirmed once: the upload is gone.
    area.post_form(&path, &confirm)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // The same file again updates, never duplicates.
    let again = area
        .post_file("/import", Some(&csrf), "新签约.csv", GOOD.as_bytes())
        .await;
    assert!(
        again.text.contains("更新 <strong>2</strong>"),
        "{}",
        again.text
    );
}

#[tokio::test]
async fn an_upload_needs_the_csrf_token_and_an_editing_role() {
    let app = TestApp::spawn().await;
    let mut area = app.login_as("area").await;
    area.post_file("/import", None, "x.csv", GOOD.as_bytes())
        .await
        .assert_status(StatusCode::FORBIDDEN);
    for user in ["unit", "leader"] {
        let mut c = app.login_as(user).await;
        c.get("/import").await.assert_status(StatusCode::FORBIDDEN);
        let csrf = c.csrf.clone();
        c.post_file("/import", Some(&csrf), "x.csv", GOOD.as_bytes())
            .await
            .assert_status(StatusCode::FORBIDDEN);
    }
    // An area account cannot import into another district.
    let other = GOOD.replace("吴兴", "南浔");
    let csrf = area.csrf.clone();
    let page = area
        .post_file("/import", Some(&csrf), "x.csv", other.as_bytes())
        .await;
    assert!(page.text.contains("只能导入本区县"), "{}", page.text);
}

#[tokio::test]
async fn the_template_downloads_and_an_empty_upload_is_explained() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let t = office.get("/import/templates/projects.xlsx").await;
    t.assert_status(StatusCode::OK);
    let book = hezuo_office::book::read_book(&t.bytes).expect("a workbook");
    assert_eq!(book.sheets[0].name, "导入数据");
    let csrf = office.csrf.clone();
    let empty = office.post_file("/import", Some(&csrf), "", b"").await;
    assert!(empty.text.contains("请选择要导入的"), "{}", empty.text);
}

#[tokio::test]
async fn a_corrected_mapping_is_used_now_and_for_the_next_file_of_the_same_shape() {
    let app = TestApp::spawn().await;
    let mut area = app.login_as("area").await;
    let csrf = area.csrf.clone();
    // "负责人" is nobody's word for a field; the user says it is 招商人员.
    let csv = "项目名称,协议投资（万元）,来源地,区县,负责人\n映射项目,100,上海,吴兴,张三\n";
    let page = area
        .post_file("/import", Some(&csrf), "m.csv", csv.as_bytes())
        .await;
    let id = page
        .text
        .split("action=\"/import/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("a kept upload")
        .to_string();
    let shape = page
        .text
        .split("name=\"shape\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the header's shape")
        .replace("&#124;", "|")
        .replace("&#x7c;", "|");
    let path = format!("/import/{id}/mapping");
    let pairs = [
        ("shape", shape.as_str()),
        ("c0", "name"),
        ("c1", "investment_wan"),
        ("c2", "origin"),
        ("c3", "district_code"),
        ("c4", "promoter"),
    ];
    // Two columns for one field is refused and saves nothing.
    let clash = area
        .post_form(
            &path,
            &[("shape", shape.as_str()), ("c0", "name"), ("c4", "name")],
        )
        .await;
    assert!(clash.text.contains("只能对应一列"), "{}", clash.text);
    let again = area.post_form(&path, &pairs).await;
    again.assert_status(StatusCode::OK);
    assert!(again.text.contains("检查通过"), "{}", again.text);
    assert!(
        again.text.contains("<option value=\"promoter\" selected>"),
        "the page shows the corrected mapping"
    );
    // A new upload of the same shape is read with it.
    let next = area
        .post_file("/import", Some(&csrf), "m2.csv", csv.as_bytes())
        .await;
    assert!(
        next.text.contains("<option value=\"promoter\" selected>"),
        "{}",
        next.text
    );
}

#[tokio::test]
async fn a_confirmation_imports_only_the_file_its_page_showed() {
    let app = TestApp::spawn().await;
    let before = app.project_count().await;
    let mut area = app.login_as("area").await;
    let csrf = area.csrf.clone();
    let form_of = |text: &str| {
        let action = text
            .split("action=\"/import/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a confirmation form")
            .to_string();
        let sha = text
            .split("name=\"sha256\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a hash")
            .to_string();
        (format!("/import/{action}"), sha)
    };
    let first = area
        .post_file("/import", Some(&csrf), "a.csv", GOOD.as_bytes())
        .await;
    let other = GOOD.replace("导入甲项目", "导入丙项目");
    let second = area
        .post_file("/import", Some(&csrf), "b.csv", other.as_bytes())
        .await;
    // The first page's confirmation no longer imports anything: the second upload replaced it.
    let (path, sha) = form_of(&first.text);
    area.post_form(&path, &[("sha256", sha.as_str())])
        .await
        .assert_status(StatusCode::CONFLICT);
    assert_eq!(app.project_count().await, before);
    let (path, sha) = form_of(&second.text);
    let done = area.post_form(&path, &[("sha256", sha.as_str())]).await;
    done.assert_status(StatusCode::OK);
    assert_eq!(app.project_count().await, before + 2);
    assert!(done.text.contains("已导入“b.csv”"), "{}", done.text);
}

/// Confirms the checked upload on a page; returns the page after confirming.
async fn confirm(client: &mut Client<'_>, checked: &TestResponse) -> TestResponse {
    let action = checked
        .text
        .split("action=\"/import/")
        .find(|s| s.split('"').next().is_some_and(|a| a.ends_with("/commit")))
        .and_then(|s| s.split('"').next())
        .expect("a confirmation form")
        .to_string();
    let sha = checked
        .text
        .split("name=\"sha256\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the checked file's hash")
        .to_string();
    client
        .post_form(&format!("/import/{action}"), &[("sha256", sha.as_str())])
        .await
}

#[tokio::test]
async fn plans_and_reports_import_for_the_areas_own_projects() {
    let app = TestApp::spawn().await;
    let mut area = app.login_as("area").await;
    let page = area.get("/import?kind=plans").await;
    page.assert_status(StatusCode::OK);
    assert!(
        page.text.contains("导入年度计划") && page.text.contains("/import/templates/plans.xlsx")
    );
    let csrf = area.csrf.clone();
    // The year in the title; a project of another district is refused, nothing stored.
    let plans = format!(
        "2024年度重大项目投资计划表\n项目名称,区县,年度计划投资（亿元）,计划开工,计划竣工\n\
         {WX_EV},吴兴,1.2,2024.3,2025.6\n{NX_LOGISTICS},南浔,0.5,续建,2024.12\n"
    );
    let bad = area
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "plans")],
            "计划.csv",
            plans.as_bytes(),
        )
        .await;
    assert!(bad.text.contains("不在您的管理范围内"), "{}", bad.text);
    let own = plans.lines().take(3).collect::<Vec<_>>().join("\n");
    let good = area
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "plans")],
            "计划.csv",
            own.as_bytes(),
        )
        .await;
    assert!(
        good.text.contains("将新增 <strong>1</strong> 个年度计划"),
        "{}",
        good.text
    );
    let done = confirm(&mut area, &good).await;
    assert!(done.text.contains("已导入"), "{}", done.text);
    let ev = app.fx.id(WX_EV);
    let plan = app
        .store
        .plan(&app.viewer_of("admin").await, ev, 2024)
        .await
        .unwrap();
    assert_eq!(plan.map(|p| p.planned), Some(120_000_000));

    // A quarter's progress sheet with only the year-to-date figure.
    let progress = format!(
        "2024年1-3月重点项目进展情况\n项目名称,1-3月累计完成投资（万元）,形象进度,存在问题\n\
         {WX_EV},3000,主体施工,用地指标未落实\n"
    );
    let checked = area
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "progress")],
            "进展.csv",
            progress.as_bytes(),
        )
        .await;
    assert!(
        checked.text.contains("1</strong> 份月报"),
        "{}",
        checked.text
    );
    confirm(&mut area, &checked)
        .await
        .assert_status(StatusCode::OK);
    let reports = app
        .store
        .progress_reports(&app.viewer_of("admin").await, ev)
        .await
        .unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(
        (reports[0].year, reports[0].month, reports[0].invested),
        (2024, 3, 30_000_000)
    );
    assert_eq!(reports[0].status, "submitted", "to the office's review");
    let queue = app.login_as("office").await.get("/progress").await;
    assert!(
        queue.text.contains(WX_EV),
        "the imported report awaits review"
    );
    let blockers = app
        .store
        .project_blockers(&app.viewer_of("admin").await, ev)
        .await
        .unwrap();
    assert_eq!(blockers[0].kind, "land");

    for kind in ["plans", "progress"] {
        let t = area.get(&format!("/import/templates/{kind}.xlsx")).await;
        t.assert_status(StatusCode::OK);
        let book = hezuo_office::book::read_book(&t.bytes).expect("a workbook");
        assert_eq!(book.sheets.len(), 2);
    }
    area.get("/import?kind=nonsense")
        .await
        .assert_status(StatusCode::BAD_REQUEST);
}

const KEY_ITEMS: &str = "2025年湖州市推进长三角一体化发展工作要点\n\
序号,任务类别,重点事项,牵头单位,合作地区,目标任务,节点安排,完成时限\n\
1,产业协同,长三角产业链协同招商,市经信局,上海市,引进项目10个,6月底前形成方案；9月底前举办推介会,年底前\n\
2,交通互联,沪苏湖铁路站房建设,市经信局、市交通局,苏州市吴江区,完成主体结构,3月底前开工,2025-12-31\n";

#[tokio::test]
async fn key_items_import_with_their_plan_and_milestones_and_reimport_updates() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let page = office.get("/import?kind=key-items").await;
    assert!(
        page.text.contains("导入重点事项")
            && page.text.contains("/import/templates/key-items.xlsx")
    );
    let csrf = office.csrf.clone();
    let upload = |body: String| body.into_bytes();

    // An unknown unit and a milestone without its time limit: both listed, nothing stored.
    let bad = KEY_ITEMS
        .replace(
            "1,产业协同,长三角产业链协同招商,市经信局",
            "1,产业协同,长三角产业链协同招商,市不存在局",
        )
        .replace("3月底前开工", "3月底前开工；完成主体结构");
    let checked = office
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "key-items")],
            "要点.csv",
            &upload(bad),
        )
        .await;
    assert!(checked.text.contains("2 处问题"), "{}", checked.text);
    assert!(checked.text.contains("市不存在局") && checked.text.contains("没有写明时限"));
    let admin = app.viewer_of("admin").await;
    assert!(
        app.store.work_plans(&admin, None).await.unwrap().is_empty(),
        "nothing stored"
    );

    let good = office
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "key-items")],
            "要点.csv",
            KEY_ITEMS.as_bytes(),
        )
        .await;
    assert!(
        good.text.contains("将新增 <strong>2</strong> 项重点事项"),
        "{}",
        good.text
    );
    let done = confirm(&mut office, &good).await;
    assert!(done.text.contains("已导入"), "{}", done.text);
    let plans = app.store.work_plans(&admin, None).await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(
        (plans[0].year, plans[0].kind.as_str()),
        (2025, "work_points")
    );
    assert_eq!(plans[0].categories, ["产业协同", "交通互联"]);
    let today = chrono::NaiveDate::from_ymd_opt(2025, 1, 15).unwrap();
    let items = app
        .store
        .list_key_items(&admin, &Default::default(), today)
        .await
        .unwrap()
        .items;
    assert_eq!(items.len(), 2);
    let first = app
        .store
        .key_item(&admin, items[0].id, today)
        .await
        .unwrap();
    let dues: Vec<&str> = first.milestones.iter().map(|m| m.due_on.as_str()).collect();
    assert_eq!(dues, ["2025-06-30", "2025-09-30", "2025-12-31"]);
    let second = items
        .iter()
        .find(|i| i.title == "沪苏湖铁路站房建设")
        .unwrap();
    assert_eq!(
        second.partner_units,
        ["市交通局"],
        "the second unit named is a partner"
    );

    // The same file again: updated, not duplicated.
    let again = office
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "key-items")],
            "要点.csv",
            KEY_ITEMS.as_bytes(),
        )
        .await;
    assert!(
        again.text.contains("更新 <strong>2</strong>"),
        "{}",
        again.text
    );
    confirm(&mut office, &again).await;
    assert_eq!(
        app.store
            .list_key_items(&admin, &Default::default(), today)
            .await
            .unwrap()
            .total,
        2
    );

    // A district's liaison is not offered key items, and is refused if it asks.
    let mut area = app.login_as("area").await;
    assert!(!area.get("/import").await.text.contains("kind=key-items"));
    let csrf = area.csrf.clone();
    let refused = area
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "key-items")],
            "要点.csv",
            KEY_ITEMS.as_bytes(),
        )
        .await;
    assert!(
        refused.text.contains("只有合作办可以导入重点事项"),
        "{}",
        refused.text
    );
}

#[tokio::test]
async fn the_key_item_template_reads_back_as_an_import() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let template = office.get("/import/templates/key-items.xlsx").await;
    template.assert_status(StatusCode::OK);
    let csrf = office.csrf.clone();
    let checked = office
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "key-items")],
            "模板.xlsx",
            &template.bytes,
        )
        .await;
    assert!(
        checked
            .text
            .contains("将新增 <strong>1</strong> 项重点事项"),
        "{}",
        checked.text
    );
}

const AID: &str = "2024年1—11月对口工作主要指标完成情况\n\
工作类型,结对地区,指标,单位,省定目标,完成\n\
援疆,新疆阿克苏地区柯坪县,财政援助资金,万元,11000,10850\n\
山海协作,丽水市云和县,消费帮扶,万元,3500,3710\n";

#[tokio::test]
async fn assistance_indicators_import_with_their_programmes_and_reimport_updates() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let csrf = office.csrf.clone();
    let bad = AID.replace("援疆,", "援藏,").replace("3500", "三千五");
    let checked = office
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "assistance")],
            "指标.csv",
            bad.as_bytes(),
        )
        .await;
    assert!(
        checked.text.contains("2 处问题")
            && checked.text.contains("援藏")
            && checked.text.contains("三千五"),
        "{}",
        checked.text
    );
    let good = office
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "assistance")],
            "指标.csv",
            AID.as_bytes(),
        )
        .await;
    assert!(
        good.text.contains("将新增 <strong>2</strong> 项指标"),
        "{}",
        good.text
    );
    confirm(&mut office, &good).await;
    let admin = app.viewer_of("admin").await;
    let page = app
        .store
        .programmes(
            &admin,
            &Default::default(),
            hezuo_domain::Month::new(2024, 11).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    let xj = page
        .items
        .iter()
        .find(|p| p.kind == "aid_xinjiang")
        .unwrap();
    assert_eq!(xj.name, "2024年援疆（新疆阿克苏地区柯坪县）");
    assert_eq!(xj.indicators[0].as_of.as_deref(), Some("2024-11"));
    assert_eq!(xj.indicators[0].status_label, "按序时推进");
    let again = office
        .post_file_with(
            "/import",
            Some(&csrf),
            &[("kind", "assistance")],
            "指标.csv",
            AID.as_bytes(),
        )
        .await;
    assert!(
        again.text.contains("更新 <strong>2</strong>"),
        "{}",
        again.text
    );
    let mut area = app.login_as("area").await;
    assert!(!area.get("/import").await.text.contains("kind=assistance"));
}

/// The statistics bureau's sheet: the year in the title, 万元 by default, an empty energy cell.
const STATISTICS: &str = "2024年度规上工业企业亩均效益评价数据\n\
统一社会信用代码,企业名称,所在区县,规上/规下,自有用地（亩）,工业增加值,综合能耗（吨标煤）,从业人员（人）,研发经费（万元）\n\
91330502MA2B00001R,湖州甲精密机械有限公司,吴兴,规上,45.5,5200,1350.57,186,730\n\
91330503MA2B00002B,湖州乙新材料有限公司,南浔区,规下,12.5,3500,,40,\n";

/// The tax bureau's sheet: code, name and tax in 元, the year in the header.
const TAX: &str = "纳税人识别号,纳税人名称,2024年实缴税金（元）\n\
91330502MA2B00001R,湖州甲精密机械有限公司,\"1,234,567.89\"\n\
91330503MA2B00002B,湖州乙新材料有限公司,560000\n";

/// Checks an enterprise data file as `client` (stores nothing).
async fn check(client: &mut Client<'_>, csrf: &str, name: &str, text: &str) -> TestResponse {
    client
        .post_file_with(
            "/import",
            Some(csrf),
            &[("kind", "enterprises")],
            name,
            text.as_bytes(),
        )
        .await
}

#[tokio::test]
async fn enterprise_data_from_both_bureaus_merges_and_a_reimport_changes_nothing() {
    use hezuo_domain::mujun::DataField;
    let app = TestApp::spawn().await;
    let admin = app.viewer_of("admin").await;
    // (credit code, name, 规上, land, value added, energy, tax, employees) of every enterprise.
    let stored = || async {
        app.store
            .mujun_population(&admin, 2024)
            .await
            .unwrap()
            .into_iter()
            .map(|(row, e)| {
                let d = e.data;
                (
                    row.credit_code,
                    row.name,
                    e.above_scale,
                    d.get(DataField::Land),
                    d.get(DataField::ValueAdded),
                    d.get(DataField::Energy),
                    d.get(DataField::Tax),
                    d.get(DataField::Employees),
                )
            })
            .collect::<Vec<_>>()
    };
    let mut office = app.login_as("office").await;
    let csrf = office.csrf.clone();
    let tab = office.get("/import?kind=enterprises").await;
    assert!(
        tab.text.contains("导入亩均企业数据")
            && tab.text.contains("/import/templates/enterprises.xlsx"),
        "{}",
        tab.text
    );

    // A wrong check character, and an enterprise hezuo does not know yet without its district:
    // each said where it is, nothing stored.
    let bad = check(
        &mut office,
        &csrf,
        "统计局.csv",
        &STATISTICS.replace("91330502MA2B00001R", "91330502MA2B00001X"),
    )
    .await;
    assert!(
        bad.text.contains("1 处问题")
            && bad.text.contains("A（统一社会信用代码）")
            && bad.text.contains("校验位不符（应为R）"),
        "{}",
        bad.text
    );
    let bad = check(
        &mut office,
        &csrf,
        "统计局.csv",
        &STATISTICS.replace(",南浔区,", ",,"),
    )
    .await;
    assert!(
        bad.text.contains("C（所在区县）") && bad.text.contains("新登记须填写所在区县"),
        "{}",
        bad.text
    );
    assert!(stored().await.is_empty());

    // Checked (nothing stored), then confirmed.
    let good = check(&mut office, &csrf, "统计局.csv", STATISTICS).await;
    assert!(
        good.text.contains("将新增 <strong>2</strong> 条企业数据"),
        "{}",
        good.text
    );
    assert!(stored().await.is_empty(), "a check stores nothing");
    let done = confirm(&mut office, &good).await;
    assert!(done.text.contains("已导入“统计局.csv”"), "{}", done.text);
    let first = stored().await;
    assert_eq!(
        first[0],
        (
            "91330502MA2B00001R".to_string(),
            "湖州甲精密机械有限公司".to_string(),
            true,
            Some(45.5),
            Some(52_000_000.0),
            Some(1350.57),
            None,
            Some(186.0)
        )
    );
    assert_eq!(
        (first[1].2, first[1].5),
        (false, None),
        "规下; energy not reported"
    );

    // The same file again updates the two rows and changes nothing.
    let again = check(&mut office, &csrf, "统计局.csv", STATISTICS).await;
    assert!(
        again.text.contains("更新 <strong>2</strong>"),
        "{}",
        again.text
    );
    confirm(&mut office, &again).await;
    assert_eq!(stored().await, first);

    // The tax bureau's file adds the tax and keeps the statistics bureau's figures.
    let tax = check(&mut office, &csrf, "税务局.csv", TAX).await;
    confirm(&mut office, &tax).await;
    let merged = stored().await;
    assert_eq!(merged[0].6, Some(1_234_568.0), "to the yuan");
    assert_eq!(merged[1].6, Some(560_000.0));
    assert_eq!(
        (merged[0].4, merged[0].5, merged[0].7),
        (first[0].4, first[0].5, first[0].7)
    );

    // The template downloads and reads as this kind.
    let t = office.get("/import/templates/enterprises.xlsx").await;
    t.assert_status(StatusCode::OK);
    assert!(hezuo_office::book::read_book(&t.bytes).is_ok());

    // Only the office: no tab for an area, and its upload is refused; units and leaders
    // import nothing.
    let mut area = app.login_as("area").await;
    assert!(!area.get("/import").await.text.contains("kind=enterprises"));
    let area_csrf = area.csrf.clone();
    let refused = check(&mut area, &area_csrf, "税务局.csv", TAX).await;
    assert!(
        refused.text.contains("只有合作办可以导入亩均企业数据"),
        "{}",
        refused.text
    );
    for user in ["unit", "leader"] {
        let mut c = app.login_as(user).await;
        c.get("/import?kind=enterprises")
            .await
            .assert_status(StatusCode::FORBIDDEN);
    }
    assert_eq!(stored().await, merged);
}
