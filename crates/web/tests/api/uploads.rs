//! Every upload route judges a file by its content, never by its name (等保三级 web hygiene):
//! the workbook import, the 亩均 scheme file and the evidence of a key item's progress (whose
//! own test is in `key_items.rs`) each refuse a file whose bytes are not what its name claims,
//! in Chinese, and store nothing.

use crate::helpers::*;
use axum::http::StatusCode;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";
/// A Word document's zip, renamed to a workbook's name.
fn docx() -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"<w:document/>").unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

#[tokio::test]
async fn the_import_refuses_a_file_that_is_not_a_workbook_whatever_its_name() {
    let app = TestApp::spawn().await;
    let before = app.project_count().await;
    let mut office = app.login_as("office").await;
    office.get("/import").await.assert_status(StatusCode::OK);
    let csrf = office.csrf.clone();
    for (name, bytes) in [
        ("新签约项目.xlsx", PNG.to_vec()),
        ("新签约项目.xls", EXE.to_vec()),
        ("新签约项目.csv", PNG.to_vec()),
        ("新签约项目.xlsx", docx()),
    ] {
        let page = office.post_file("/import", Some(&csrf), name, &bytes).await;
        assert!(
            page.text.contains("工作簿"),
            "{name} is refused by its content: {}",
            page.text.split("<main").nth(1).unwrap_or(&page.text)
        );
        assert!(!page.text.contains("”检查通过"), "{name}");
    }
    assert_eq!(app.project_count().await, before, "nothing stored");
}

#[tokio::test]
async fn a_scheme_file_must_be_toml_text_whatever_its_name() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    office
        .get("/mujun/scheme?year=2024")
        .await
        .assert_status(StatusCode::OK);
    let csrf = office.csrf.clone();
    for bytes in [PNG.to_vec(), docx()] {
        let page = office
            .post_multipart(
                "/mujun/scheme",
                Some(&csrf),
                &[("year", "2024"), ("version", "0"), ("scheme", "")],
                &[("file", "2024.toml", &bytes)],
            )
            .await;
        page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.text.contains("UTF-8 编码的 TOML 文本") || page.text.contains("评价方案格式有误"),
            "{}",
            page.text
        );
    }
    let y = app
        .store
        .mujun_year(&app.viewer_of("office").await, 2024)
        .await
        .unwrap();
    assert!(y.stage.is_none(), "no scheme was stored");
}
