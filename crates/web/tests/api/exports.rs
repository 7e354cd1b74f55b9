//! Every list and cockpit table goes out as a workbook: the rows the page shows for that
//! account (never another area's), read back by calamine here and by openpyxl (an
//! independent reader) with the cockpit's native charts in place.

use crate::helpers::*;
use crate::progress::seed_progress;
use axum::http::StatusCode;
use hezuo_domain::{BlockerKind, Month, Progress, Yuan};
use hezuo_office::book::{Book, read_book};

/// Downloads a workbook and reads it back.
async fn workbook(client: &mut Client<'_>, path: &str) -> (Book, Vec<u8>) {
    let resp = client.get(path).await;
    resp.assert_status(StatusCode::OK);
    assert!(
        resp.header("content-type")
            .is_some_and(|t| t.contains("spreadsheetml")),
        "{path}: an .xlsx"
    );
    let book = read_book(&resp.bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    (book, resp.bytes.clone())
}

/// Every text of a book, to check what it never contains.
fn all_text(book: &Book) -> String {
    book.sheets
        .iter()
        .flat_map(|s| s.rows.iter().flatten())
        .cloned()
        .collect::<Vec<_>>()
        .join("|")
}

/// The data rows of a sheet (under title, scope and header), without the totals row.
fn data<'a>(book: &'a Book, sheet: &str) -> Vec<&'a Vec<String>> {
    let s = book
        .sheets
        .iter()
        .find(|s| s.name == sheet)
        .unwrap_or_else(|| panic!("no sheet {sheet}"));
    s.rows[3..].iter().filter(|r| r[0] != "合计").collect()
}

/// The charts in an .xlsx (its parts named xl/charts/chartN.xml).
fn chart_parts(bytes: &[u8]) -> usize {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    zip.file_names()
        .filter(|n| n.as_ref().is_ok_and(|n| n.starts_with("xl/charts/chart")))
        .count()
}

async fn seed_blocker(app: &TestApp) {
    let office = app.viewer_of("office").await;
    let p = Progress {
        month: Month::new(2024, 4).unwrap(),
        invested: Yuan::from_wan(50),
        image_progress: "仓库主体施工".into(),
        coordination: "请协调用地".into(),
        blockers: vec![(BlockerKind::Land, "二期用地指标未落实".into())],
    };
    app.store
        .submit_progress(
            &office,
            &hezuo_store::Actor::system("test"),
            app.fx.id(NX_LOGISTICS),
            &p,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_cockpit_exports_every_table_with_its_charts_within_scope() {
    let app = TestApp::spawn().await;
    seed_progress(&app).await;
    seed_blocker(&app).await;
    let mut office = app.login_as("office").await;
    let page = office.get("/cockpit?year=2024&month=3").await;
    let link = page
        .text
        .split("id=\"export\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an export link");
    assert!(link.starts_with("/cockpit/export.xlsx?year=2024"), "{link}");
    let (book, bytes) = workbook(&mut office, "/cockpit/export.xlsx?year=2024&month=3").await;
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "主要指标",
            "各区县完成情况",
            "月度累计完成",
            "签约规模分布",
            "进度滞后项目",
            "要素制约"
        ]
    );
    assert_eq!(chart_parts(&bytes), 3, "the page's three charts, native");
    let districts = data(&book, "各区县完成情况");
    let wx = districts
        .iter()
        .find(|r| r[0] == "吴兴区")
        .expect("吴兴区 row");
    // Planned 12000万, completed 800+900+1000 = 2700万: 22.5%.
    assert_eq!((wx[2].as_str(), wx[3].as_str()), ("12000", "2700"));
    assert_eq!(wx[4], "0.225");
    let months = data(&book, "月度累计完成");
    assert_eq!(months.len(), 3, "January to the period's month");
    assert_eq!(months[2][2], "3000", "cumulative to March: 2700 + 300");
    assert!(book.sheets[0].rows[1][0].starts_with("范围：全市；2024年1—3月"));
    // Blocking factors as they stood at the period's end: April's is not in March's book.
    assert!(data(&book, "要素制约").is_empty());
    let (april, _) = workbook(&mut office, "/cockpit/export.xlsx?year=2024&month=4").await;
    let open = data(&april, "要素制约");
    assert_eq!((open[0][0].as_str(), open[0][1].as_str()), ("用地", "1"));

    // An area's workbook holds only its own district.
    let mut area = app.login_as("area").await;
    let (book, _) = workbook(&mut area, "/cockpit/export.xlsx?year=2024&month=3").await;
    let text = all_text(&book);
    assert!(text.contains(WX_EV) && text.contains("吴兴区"));
    assert!(
        !text.contains("南浔") && !text.contains(NX_LOGISTICS),
        "{text}"
    );

    // The projects behind a figure.
    let (book, _) = workbook(
        &mut area,
        "/cockpit/projects/export.xlsx?figure=planned&year=2024&month=3",
    )
    .await;
    let rows = data(&book, "项目清单");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], WX_EV);

    // openpyxl, an independent reader, sees the same sheets, figures and charts.
    let path = std::env::temp_dir().join(format!("hezuo-cockpit-{}.xlsx", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import openpyxl,sys\n\
             wb = openpyxl.load_workbook(sys.argv[1])\n\
             ws = wb['各区县完成情况']\n\
             row = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] == '吴兴区'][0]\n\
             print(row[2], row[3], sum(len(s._charts) for s in wb.worksheets))",
        )
        .arg(&path)
        .output()
        .expect("python3 runs");
    let _ = std::fs::remove_file(&path);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "12000.0 2700.0 3",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn the_report_queue_the_blockers_and_my_projects_export_within_scope() {
    let app = TestApp::spawn().await;
    seed_progress(&app).await;
    seed_blocker(&app).await;
    let mut office = app.login_as("office").await;
    let (book, _) = workbook(&mut office, "/blockers/export.xlsx").await;
    let rows = data(&book, "要素制约清单");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0][1].as_str(), rows[0][2].as_str()),
        ("用地", NX_LOGISTICS)
    );
    let (book, _) = workbook(&mut office, "/progress/export.xlsx?month=2024-03").await;
    let pending = data(&book, "待审核月报");
    assert_eq!(pending.len(), 7, "3 months of 2 projects and April's");
    let areas = data(&book, "填报情况");
    assert!(areas.iter().any(|r| r[0] == "南浔区"));

    let mut area = app.login_as("area").await;
    for path in [
        "/blockers/export.xlsx",
        "/progress/export.xlsx?month=2024-03",
    ] {
        let (book, _) = workbook(&mut area, path).await;
        let text = all_text(&book);
        assert!(
            !text.contains(NX_LOGISTICS) && !text.contains("南浔"),
            "{path}: {text}"
        );
        assert!(text.contains("范围：吴兴区"), "{path}");
    }

    // A leader's own list: the projects they follow, nothing else.
    let mut leader = app.login_as("leader").await;
    let page = leader.get("/projects/mine").await;
    assert!(page.text.contains("/projects/mine/export.xlsx"));
    let (book, _) = workbook(&mut leader, "/projects/mine/export.xlsx").await;
    let mut names: Vec<&str> = data(&book, "项目清单")
        .iter()
        .map(|r| r[1].as_str())
        .collect();
    names.sort_unstable();
    let mut want = vec![WX_EV, NX_LOGISTICS, CX_BATTERY];
    want.sort_unstable();
    assert_eq!(names, want);
}

#[tokio::test]
async fn the_user_list_exports_for_the_admin_only() {
    let app = TestApp::spawn().await;
    let mut admin = app.login_as("admin").await;
    let page = admin.get("/admin/users").await;
    assert!(page.text.contains("/admin/users/export.xlsx"));
    let (book, _) = workbook(&mut admin, "/admin/users/export.xlsx").await;
    let rows = data(&book, "用户");
    let area = rows
        .iter()
        .find(|r| r[1] == "area")
        .expect("the area account is listed");
    assert_eq!(
        (area[3].as_str(), area[4].as_str()),
        ("区县/平台", "吴兴区")
    );
    assert!(
        !all_text(&book).contains("$argon2"),
        "no password hash leaves"
    );
    let mut office = app.login_as("office").await;
    let resp = office.get("/admin/users/export.xlsx").await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
}
