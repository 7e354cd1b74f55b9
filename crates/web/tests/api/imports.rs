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
    assert!(page.text.contains("下载导入模板"));

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
