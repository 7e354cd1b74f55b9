//! Hostile text stays text: a corpus of script, markup and formula payloads typed as project
//! names is rendered inert in the list, the project page, the edit form and the JSON API, and
//! goes into exported workbooks as plain text (formula starters neutralised).

use crate::helpers::*;
use axum::http::StatusCode;
use hezuo_office::book::read_book;

const CORPUS: [&str; 10] = [
    "<script>alert(1)</script>项目",
    "\"><img src=x onerror=alert(1)>项目",
    "'><svg/onload=alert(1)>项目",
    "</textarea><script>alert(2)</script>项目",
    "javascript:alert(1)项目",
    "{{7*7}}${7*7}项目",
    "=HYPERLINK(\"http://evil\",\"点我\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|'/C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
];

/// Markup that would run or load something if the text were not escaped.
const LIVE: [&str; 6] = [
    "<script>alert",
    "<img src=x",
    "<svg/onload",
    "</textarea><script>",
    "onerror=alert(1)>",
    "href=\"javascript:",
];

fn assert_inert(page: &str, where_: &str) {
    for live in LIVE {
        assert!(!page.contains(live), "{where_}: live markup {live:?}");
    }
}

#[tokio::test]
async fn a_corpus_of_hostile_names_stays_inert_in_pages_api_and_workbooks() {
    let app = TestApp::spawn().await;
    let token = app.api_token_for("office").await;
    let mut ids = Vec::new();
    for name in CORPUS {
        let resp = app
            .api_post_json(&token, "/api/v1/projects", &project_json(name, WUXING))
            .await;
        resp.assert_status(StatusCode::CREATED);
        ids.push(resp.json()["id"].as_i64().unwrap());
    }
    let mut office = app.login_as("office").await;
    let list = office.get("/projects?per_page=100").await;
    assert_inert(&list.text, "list");
    let page = office.get(&format!("/projects/{}", ids[0])).await;
    assert!(
        page.text
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;项目"),
        "the name is shown, escaped"
    );
    for id in &ids {
        for path in [format!("/projects/{id}"), format!("/projects/{id}/edit")] {
            let page = office.get(&path).await;
            page.assert_status(StatusCode::OK);
            assert_inert(&page.text, &path);
        }
    }
    // The API returns the text as it was typed, as JSON strings.
    let body = app
        .api_get(&token, &format!("/api/v1/projects/{}", ids[0]))
        .await
        .json();
    assert_eq!(body["name"], CORPUS[0]);

    // Workbooks: every name comes back as text, none as a formula.
    let resp = office.get("/projects/export.xlsx").await;
    resp.assert_status(StatusCode::OK);
    let book = read_book(&resp.bytes).unwrap();
    let cells: Vec<&String> = book.sheets[0].rows.iter().flatten().collect();
    for name in CORPUS {
        let found = cells
            .iter()
            .any(|c| c.contains(name.trim_start_matches(['=', '+', '-', '@'])));
        assert!(found, "{name:?} is in the workbook as text");
    }
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&resp.bytes[..])).unwrap();
    let mut zip = zip;
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(!sheet.contains("<f>"), "a cell of the export is a formula");
}

#[tokio::test]
async fn hostile_names_imported_from_a_workbook_stay_text_in_the_word_bulletin() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    office.get("/import").await.assert_status(StatusCode::OK);
    let csrf = office.csrf.clone();
    let mut csv = String::from("项目名称,协议投资（亿元）,来源地,区县,签约日期,阶段\n");
    for name in &CORPUS[..6] {
        csv.push_str(&format!(
            "\"{}\",1.5,上海,吴兴,2024.3.5,签约\n",
            name.replace('"', "\"\"")
        ));
    }
    let checked = office
        .post_file("/import", Some(&csrf), "新签约.csv", csv.as_bytes())
        .await;
    assert!(checked.text.contains("检查通过"), "{}", checked.text);
    assert_inert(&checked.text, "the import's check page");
    let field = |key: &str| {
        checked
            .text
            .split(key)
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string()
    };
    let (action, sha) = (
        field("action=\"/import/"),
        field("name=\"sha256\" value=\""),
    );
    office
        .post_form(&format!("/import/{action}"), &[("sha256", &sha)])
        .await;

    // Each imported project has a 2024 plan and no investment yet: all lag, and the bulletin
    // names them.
    let viewer = app.viewer_of("office").await;
    let actor = hezuo_store::Actor::system("test");
    for name in &CORPUS[..6] {
        let found = app
            .store
            .list_projects(
                &viewer,
                &hezuo_store::project::ProjectFilter {
                    q: Some((*name).to_string()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let p = found
            .items
            .iter()
            .find(|p| p.name == *name)
            .unwrap_or_else(|| panic!("{name:?} was imported as typed"));
        let plan = hezuo_domain::Plan {
            year: 2024,
            planned: hezuo_domain::Yuan::from_wan(10_000),
            planned_start: None,
            planned_completion: None,
        };
        app.store
            .save_plan(&viewer, &actor, p.id, &plan, None)
            .await
            .unwrap();
    }
    let resp = office.get("/reports/bulletin.docx?period=2024-03").await;
    resp.assert_status(StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&resp.bytes[..])).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    for live in ["<script", "<img", "<svg", "</textarea"] {
        assert!(
            !xml.contains(live),
            "live markup {live:?} in the document's XML"
        );
    }
    let text = crate::bulletin::docx_text(&resp.bytes);
    for name in &CORPUS[..6] {
        assert!(
            text.contains(name),
            "{name:?} is in the bulletin as text: {text}"
        );
    }
}
