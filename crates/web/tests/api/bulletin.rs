//! 工作简报: the bulletin's numbers are the API's for the same scope and period, its text reads
//! back through python-docx (an independent reader), an area's bulletin holds only its own
//! area, and LibreOffice opens the document.

use crate::helpers::*;
use crate::progress::seed_progress;
use axum::http::StatusCode;

/// The paragraphs and table cells of a .docx, as python-docx reads them, one per line.
pub(crate) fn docx_text(bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!(
        "hezuo-bulletin-{}-{}.docx",
        std::process::id(),
        bytes.len()
    ));
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import docx,sys\n\
             d = docx.Document(sys.argv[1])\n\
             for p in d.paragraphs: print(p.text)\n\
             for t in d.tables:\n\
             \x20   for r in t.rows: print('|'.join(c.text for c in r.cells))",
        )
        .arg(&path)
        .output()
        .expect("python3 runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "python-docx reads the bulletin: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The pictures in a .docx (its parts under word/media/).
fn pictures(bytes: &[u8]) -> usize {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    zip.file_names()
        .filter(|n| {
            n.as_ref()
                .is_ok_and(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        })
        .count()
}

async fn bulletin(client: &mut Client<'_>, query: &str) -> String {
    let resp = client.get(&format!("/reports/bulletin.docx?{query}")).await;
    resp.assert_status(StatusCode::OK);
    assert!(
        resp.header("content-type")
            .is_some_and(|t| t.contains("wordprocessingml")),
        "a .docx"
    );
    assert!(
        resp.header("content-disposition")
            .is_some_and(|d| d.contains("bulletin-202403.docx")),
        "named by its period"
    );
    docx_text(&resp.bytes)
}

#[tokio::test]
async fn the_bulletin_states_the_apis_figures_for_the_same_scope_and_period() {
    let app = TestApp::spawn().await;
    seed_progress(&app).await;
    let token = app.api_token_for("office").await;
    let inv = app
        .api_get(&token, "/api/v1/stats/investment?year=2024&month=3")
        .await
        .json();
    let sig = app
        .api_get(&token, "/api/v1/stats/signing?year=2024&month=3")
        .await
        .json();
    let mut office = app.login_as("office").await;
    let text = bulletin(&mut office, "period=2024-03").await;

    // 投资: 2 projects, 3000万 of 18000万 = 16.7%, 时序 25.0%.
    assert_eq!(inv["projects"], 2);
    let rate = format!("{:.1}%", inv["completion_rate"].as_f64().unwrap());
    assert!(
        text.contains(&format!(
            "1—3月，全市{}个重大项目完成年度投资{}万元，年度计划投资完成率达{rate}，低于时序进度8.3个百分点",
            inv["projects"],
            inv["completed_wan"].as_f64().unwrap()
        )),
        "{text}"
    );
    // 签约: the count the API gives, in the office's words (or no sentence when none).
    let signed = sig["count"].as_i64().unwrap();
    if signed > 0 {
        assert!(
            text.contains(&format!("已签约引资项目{signed}个")),
            "{text}"
        );
    } else {
        assert!(!text.contains("已签约引资项目"), "{text}");
    }
    // The lagging projects are the store's, named with their district.
    let lagging = inv["lights"]["behind"].as_i64().unwrap();
    assert!(text.contains(&format!("进度滞后项目{lagging}个")), "{text}");
    assert!(text.contains(NX_LOGISTICS), "{text}");
    // The charts as pictures: signings by tier (when any), cumulative against plan, and
    // completion by district.
    let resp = office.get("/reports/bulletin.docx?period=2024-03").await;
    assert_eq!(pictures(&resp.bytes), 2 + usize::from(signed > 0));
    let first = if signed > 0 { "图2" } else { "图1" };
    assert!(
        text.contains(&format!("{first}　2024年累计完成投资与序时计划")),
        "{text}"
    );
    // Never a figure without data behind it.
    assert!(
        !text.contains("NaN") && !text.contains("0个重大项目"),
        "{text}"
    );

    // The cockpit shows the same rate for the same scope and period.
    let cockpit = office.get("/cockpit?year=2024&month=3").await;
    assert!(
        cockpit.text.contains(&rate),
        "the cockpit's 年度投资完成率 is {rate}"
    );
    // The preview page reads the same paragraphs.
    let page = office.get("/reports/bulletin?period=2024-03").await;
    page.assert_status(StatusCode::OK);
    assert!(page.text.contains(&format!("年度计划投资完成率达{rate}")));
    assert!(page.text.contains("/reports/bulletin.docx?period=2024-03"));
}

#[tokio::test]
async fn an_areas_bulletin_holds_its_own_area_only() {
    let app = TestApp::spawn().await;
    seed_progress(&app).await;
    let token = app.api_token_for("area").await;
    let inv = app
        .api_get(&token, "/api/v1/stats/investment?year=2024&month=3")
        .await
        .json();
    let mut area = app.login_as("area").await;
    let text = bulletin(&mut area, "period=2024-03").await;
    assert!(text.contains("吴兴区"), "{text}");
    assert!(
        text.contains(&format!(
            "1—3月，吴兴区{}个重大项目完成年度投资{}万元",
            inv["projects"],
            inv["completed_wan"].as_f64().unwrap()
        )),
        "{text}"
    );
    assert!(
        !text.contains(NX_LOGISTICS) && !text.contains("南浔"),
        "{text}"
    );
    // Asking for another district changes nothing: scope is the viewer's.
    let other = bulletin(&mut area, "period=2024-03&district=330503").await;
    assert!(!other.contains(NX_LOGISTICS), "{other}");
}

#[tokio::test]
async fn a_bad_period_is_refused_in_chinese() {
    let app = TestApp::spawn().await;
    let mut office = app.login_as("office").await;
    let resp = office.get("/reports/bulletin.docx?period=2024-13").await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text.contains("1—12 月"), "{}", resp.text);
}

#[tokio::test]
async fn libreoffice_opens_the_bulletin_when_installed() {
    let Ok(soffice) = which("soffice") else {
        eprintln!("LibreOffice not installed: skipped");
        return;
    };
    let app = TestApp::spawn().await;
    seed_progress(&app).await;
    let mut office = app.login_as("office").await;
    let resp = office.get("/reports/bulletin.docx?period=2024-03").await;
    resp.assert_status(StatusCode::OK);
    let dir = std::env::temp_dir().join(format!("hezuo-bulletin-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let docx = dir.join("bulletin.docx");
    std::fs::write(&docx, &resp.bytes).unwrap();
    let out = std::process::Command::new(soffice)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx)
        .output()
        .expect("soffice runs");
    let pdf = std::fs::read(dir.join("bulletin.pdf"));
    let _ = std::fs::remove_dir_all(&dir);
    let pdf = pdf.unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or(())
}

#[tokio::test]
async fn the_year_end_summary_is_the_same_sections_for_the_whole_year() {
    let app = TestApp::spawn().await;
    seed_progress(&app).await;
    let token = app.api_token_for("office").await;
    let inv = app
        .api_get(&token, "/api/v1/stats/investment?year=2024&month=12")
        .await
        .json();
    let mut office = app.login_as("office").await;
    // Whatever month is chosen, a summary covers January–December.
    let resp = office
        .get("/reports/bulletin.docx?kind=summary&period=2024-03")
        .await;
    resp.assert_status(StatusCode::OK);
    assert!(
        resp.header("content-disposition")
            .is_some_and(|d| d.contains("summary-2024.docx"))
    );
    let text = docx_text(&resp.bytes);
    assert!(text.contains("2024年区域合作工作总结"), "{text}");
    let rate = format!("{:.1}%", inv["completion_rate"].as_f64().unwrap());
    assert!(
        text.contains(&format!(
            "全年，全市{}个重大项目完成年度投资{}万元，年度计划投资完成率达{rate}",
            inv["projects"],
            inv["completed_wan"].as_f64().unwrap()
        )),
        "{text}"
    );
}

/// The text of a composed bulletin (headings, paragraphs, captions), one block a line.
fn outline(doc: &hezuo_office::docx::Document) -> String {
    use hezuo_office::docx::Block;
    let mut lines = vec![doc.title.clone()];
    for b in &doc.blocks {
        lines.push(match b {
            Block::Heading(h) => format!("# {h}"),
            Block::Paragraph(p) => p.clone(),
            Block::Table(t) => format!(
                "[{}] {} | {}",
                t.caption,
                t.header.join(" / "),
                t.total.as_ref().map(|r| r.join(" / ")).unwrap_or_default()
            ),
            Block::Image(i) => format!("[{}]", i.caption),
        });
    }
    lines.join("\n")
}

#[tokio::test]
async fn the_bulletins_words_for_a_known_city() {
    let app = TestApp::spawn().await;
    seed_progress(&app).await;
    for (user, name) in [("office", "city"), ("area", "area")] {
        let viewer = app.viewer_of(user).await;
        let request = hezuo_web::bulletin::Request {
            store: &app.store,
            viewer: &viewer,
            filter: Default::default(),
            period: hezuo_store::stats::Period::new(2024, Some(3)).unwrap(),
            tiers: &hezuo_domain::TierConfig::default(),
            city: "湖州市",
            today: chrono::NaiveDate::from_ymd_opt(2024, 4, 15).unwrap(),
            kind: hezuo_web::bulletin::Kind::Bulletin,
        };
        let doc = hezuo_web::bulletin::compose(&request).await.unwrap();
        insta::assert_snapshot!(format!("bulletin_2024_03_{name}"), outline(&doc));
    }
}
