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
