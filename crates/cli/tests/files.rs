//! `hezuo import` and `hezuo export` end to end, through the real binary on a real SQLite
//! file: an office's messy workbook with one bad row stores nothing and says where; fixed, a
//! dry run stores nothing; stored, a second import updates and never duplicates. The export
//! is read back by an independent reader (openpyxl).

use rust_xlsxwriter::{Format, Workbook};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Env {
    dir: PathBuf,
    db: String,
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn env(name: &str) -> Env {
    let dir = std::env::temp_dir().join(format!("hezuo-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("t.db").display());
    let out = hezuo(&db, &["demo", "--no-serve"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Env { dir, db }
}

fn hezuo(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hezuo"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("hezuo runs")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn count(env: &Env) -> usize {
    let path = env.dir.join("count.xlsx");
    let out = hezuo(&env.db, &["export", "projects", path.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no count in {text}"))
}

/// A title, a unit note, a two-row header, a subtotal and a total, and `bad` in one cell.
fn workbook(path: &Path, bad_date: &str) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("2024年新签约").unwrap();
    let f = Format::new();
    ws.merge_range(0, 0, 0, 6, "2024年新签约项目表", &f)
        .unwrap();
    ws.write(1, 5, "单位：万元").unwrap();
    for (c, h) in [
        (0, "序号"),
        (1, "项目名称"),
        (4, "来源地"),
        (5, "区县"),
        (6, "签约日期"),
    ] {
        ws.merge_range(2, c, 3, c, h, &f).unwrap();
    }
    ws.merge_range(2, 2, 2, 3, "投资情况", &f).unwrap();
    ws.write(3, 2, "总投资（亿元）").unwrap();
    ws.write(3, 3, "已到位资金").unwrap();
    let rows = [
        ("导入测试甲项目", "2.5", "300", "上海市", "吴兴", "2024.5.8"),
        ("导入测试乙项目", "8000万元", "", "江苏", "南浔区", bad_date),
        (
            "导入测试丙项目",
            "１.２",
            "0",
            "沪",
            "德清县",
            "2024年6月1日",
        ),
    ];
    for (i, (name, inv, arr, origin, district, date)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write(r, 0, (i + 1) as f64).unwrap();
        for (c, v) in [name, inv, arr, origin, district, date].iter().enumerate() {
            ws.write(r, c as u16 + 1, **v).unwrap();
        }
    }
    ws.write(7, 1, "小计").unwrap();
    ws.write(8, 0, "合计").unwrap();
    ws.write(8, 2, 4.5).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_messy_workbook_imports_all_or_nothing_and_reimports_without_duplicates() {
    let env = env("import");
    let before = count(&env);
    let path = env.dir.join("new.xlsx");
    let p = path.to_str().unwrap();

    workbook(&path, "2024.13.1");
    let out = hezuo(&env.db, &["import", "projects", p, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{v}");
    assert_eq!(errors[0]["sheet"], "2024年新签约");
    assert_eq!(errors[0]["row"], 6);
    assert_eq!(errors[0]["column"], "G（签约日期）");
    assert_eq!(errors[0]["value"], "2024.13.1");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("不是有效的日期")
    );
    assert_eq!(count(&env), before, "nothing stored");

    workbook(&path, "45366");
    let out = hezuo(&env.db, &["import", "projects", p, "--dry-run", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json(&out)["inserted"], 3);
    assert_eq!(count(&env), before, "a dry run stores nothing");

    let out = hezuo(&env.db, &["import", "projects", p, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        (
            json(&out)["inserted"].clone(),
            json(&out)["updated"].clone()
        ),
        (3.into(), 0.into())
    );
    assert_eq!(count(&env), before + 3);
    let out = hezuo(&env.db, &["import", "projects", p, "--json"]);
    assert_eq!(
        (
            json(&out)["inserted"].clone(),
            json(&out)["updated"].clone()
        ),
        (0.into(), 3.into())
    );
    assert_eq!(count(&env), before + 3, "re-importing never duplicates");

    // A renamed non-workbook is refused with a reason, exit 1.
    let fake = env.dir.join("fake.xlsx");
    std::fs::write(&fake, b"PK\x03\x04 not really a zip").unwrap();
    let out = hezuo(&env.db, &["import", "projects", fake.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不是有效的 Excel"));
}

/// A workbook breaking off after its first 3 000 rows: those were checked and written while the
/// rest was being parsed (1 024 rows a piece; enough rows for SQLite's indexes to be dropped
/// and rebuilt), and the import still stores nothing and says why. Whole, it imports them all.
#[test]
fn a_workbook_breaking_after_its_first_rows_stores_nothing() {
    let env = env("tail");
    let before = count(&env);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        "项目名称",
        "总投资（万元）",
        "来源地",
        "区县",
        "签约日期",
        "阶段",
    ]
    .iter()
    .enumerate()
    {
        ws.write(0, c as u16, *h).unwrap();
    }
    for r in 1..=3000u32 {
        let name = format!("断尾项目{r}");
        for (c, v) in [name.as_str(), "100", "上海", "吴兴区", "2024-03-05", "签约"]
            .iter()
            .enumerate()
        {
            ws.write(r, c as u16, *v).unwrap();
        }
    }
    let whole = wb.save_to_buffer().unwrap();
    // The same file, its sheet cut off in its last cell.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&whole)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let end = String::from_utf8_lossy(&data).rfind("</c>").unwrap();
            data.truncate(end);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &data).unwrap();
    }
    let broken = out.finish().unwrap().into_inner();

    let path = env.dir.join("tail.xlsx");
    std::fs::write(&path, &broken).unwrap();
    let out = hezuo(
        &env.db,
        &["import", "projects", path.to_str().unwrap(), "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("无法读取"),
        "{v}"
    );
    assert_eq!(count(&env), before, "nothing stored");

    std::fs::write(&path, &whole).unwrap();
    let out = hezuo(
        &env.db,
        &["import", "projects", path.to_str().unwrap(), "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", json(&out));
    assert_eq!(json(&out)["inserted"], 3000);
    assert_eq!(count(&env), before + 3000);
}

#[test]
fn plans_and_progress_import_from_the_command_line() {
    let env = env("records");
    let path = env.dir.join("new.xlsx");
    workbook(&path, "45366");
    let out = hezuo(&env.db, &["import", "projects", path.to_str().unwrap()]);
    assert!(out.status.success());

    let plans = env.dir.join("计划.csv");
    std::fs::write(
        &plans,
        "2024年度投资计划\n项目名称,区县,年度计划投资（万元）,计划竣工\n\
         导入测试甲项目,吴兴,12000,2025.6\n导入测试乙项目,南浔,不详,\n",
    )
    .unwrap();
    let p = plans.to_str().unwrap();
    let out = hezuo(&env.db, &["import", "plans", p, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["errors"][0]["row"], 4, "{v}");
    assert_eq!(v["errors"][0]["column"], "C（年度计划投资（万元））");
    std::fs::write(
        &plans,
        "2024年度投资计划\n项目名称,区县,年度计划投资（万元）,计划竣工\n\
         导入测试甲项目,吴兴,12000,2025.6\n导入测试乙项目,南浔,8000,\n",
    )
    .unwrap();
    let out = hezuo(&env.db, &["import", "plans", p]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("新增 2 个年度计划"));

    let progress = env.dir.join("进展.csv");
    std::fs::write(
        &progress,
        "项目名称,填报月份,本月完成投资（万元）,形象进度,需协调事项\n\
         导入测试甲项目,2024.5,1500,厂房基础施工,无\n",
    )
    .unwrap();
    let p = progress.to_str().unwrap();
    let out = hezuo(&env.db, &["import", "progress", p, "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json(&out)["inserted"], 1);
    let out = hezuo(&env.db, &["import", "progress", p, "--json"]);
    assert_eq!(
        (
            json(&out)["inserted"].clone(),
            json(&out)["updated"].clone()
        ),
        (0.into(), 1.into())
    );

    // The bulletin of the demo city with what was just imported, for one district, read back
    // by python-docx (its figures against the API's are tested in the web crate).
    let docx = env.dir.join("简报.docx");
    let d = docx.to_str().unwrap();
    let out = hezuo(
        &env.db,
        &[
            "report",
            "bulletin",
            "--period",
            "2024-05",
            "--district",
            "吴兴区",
            "--out",
            d,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = std::process::Command::new("python3")
        .args(["-c", "import docx,sys\nprint('\\n'.join(p.text for p in docx.Document(sys.argv[1]).paragraphs))", d])
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&read.stdout);
    assert!(
        text.contains("1—5月，吴兴区") && text.contains("个重大项目完成年度投资"),
        "{text}{}",
        String::from_utf8_lossy(&read.stderr)
    );
    assert!(
        !text.contains("导入测试乙项目"),
        "南浔's project is not in 吴兴区's bulletin"
    );
    for (args, says) in [
        (["--period", "2024-13", "--out", d], "1—12 月"),
        (["--period", "2024/05", "--out", d], "YYYY-MM"),
    ] {
        let out = hezuo(&env.db, &[&["report", "bulletin"][..], &args[..]].concat());
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains(says));
    }
    let out = hezuo(
        &env.db,
        &[
            "report",
            "bulletin",
            "--period",
            "2024-05",
            "--district",
            "火星区",
            "--out",
            d,
        ],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("找不到区县“火星区”"));
}

#[test]
fn the_export_reads_back_in_openpyxl_with_equal_figures() {
    let env = env("export");
    let path = env.dir.join("out.xlsx");
    let out = hezuo(
        &env.db,
        &[
            "export",
            "projects",
            path.to_str().unwrap(),
            "--district",
            "330502",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
rows = list(ws.iter_rows(values_only=True))
header = list(rows[2])
data = [r for r in rows[3:] if r[0] != "合计"]
total = [r for r in rows[3:] if r[0] == "合计"][0]
inv = header.index("协议投资（万元）")
print(json.dumps({
  "title": rows[0][0], "scope": rows[1][0], "freeze": ws.freeze_panes,
  "rows": len(data), "districts": sorted({r[header.index("所属区县")] for r in data}),
  "sum": round(sum(r[inv] or 0 for r in data), 2), "total": round(total[inv], 2),
  "count_cell": total[1],
}))
"#;
    let py = Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    if !py.status.success() {
        let err = String::from_utf8_lossy(&py.stderr);
        if err.contains("No module named 'openpyxl'") && std::env::var("CI").is_err() {
            eprintln!("openpyxl is not installed (scripts/setup installs it); skipped");
            return;
        }
        panic!("{err}");
    }
    let v: serde_json::Value = serde_json::from_slice(&py.stdout).unwrap();
    assert_eq!(v["title"], "招商引资项目清单");
    assert!(v["scope"].as_str().unwrap().contains("区县=330502"), "{v}");
    assert_eq!(v["freeze"], "A4");
    assert_eq!(v["districts"], serde_json::json!(["吴兴区"]));
    assert_eq!(v["sum"], v["total"]);
    let n = v["rows"].as_u64().unwrap();
    assert!(n > 50, "{v}");
    assert_eq!(v["count_cell"], format!("共 {n} 项"));
}

#[test]
fn enterprise_data_imports_from_the_command_line_and_is_scored() {
    let env = env("enterprises");
    let path = env.dir.join("统计局.csv");
    let p = path.to_str().unwrap();
    let sheet = |code: &str| {
        format!(
            "2024年度规上工业企业亩均效益评价数据\n\
             统一社会信用代码,企业名称,所在区县,自有用地（亩）,实缴税收（万元）,工业增加值（万元）\n\
             {code},导入测试甲机械有限公司,吴兴,40,320,2600\n\
             91330503MA2B00002B,导入测试乙材料有限公司,南浔区,12,,900\n"
        )
    };
    std::fs::write(&path, sheet("91330502MA2B00001X")).unwrap();
    let out = hezuo(&env.db, &["import", "enterprises", p, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["errors"][0]["row"], 3, "{v}");
    assert_eq!(v["errors"][0]["column"], "A（统一社会信用代码）");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("校验位不符")
    );

    std::fs::write(&path, sheet("91330502MA2B00001R")).unwrap();
    let out = hezuo(
        &env.db,
        &["import", "enterprises", p, "--dry-run", "--json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(json(&out)["inserted"], 2);
    let out = hezuo(&env.db, &["import", "enterprises", p]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("新增 2 条企业数据"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = hezuo(&env.db, &["import", "enterprises", p, "--json"]);
    assert_eq!(
        (
            json(&out)["inserted"].clone(),
            json(&out)["updated"].clone()
        ),
        (0.into(), 2.into())
    );

    // Scored with the demo city's 2024 scheme, among its 1,200 enterprises.
    let out = hezuo(&env.db, &["mujun", "score", "--year", "2024", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results = json(&out)["results"].as_array().unwrap().clone();
    let ours = results
        .iter()
        .find(|r| r["credit_code"] == "91330502MA2B00001R")
        .expect("the imported enterprise is scored");
    assert_eq!(ours["name"], "导入测试甲机械有限公司");
    assert!(ours["score"].is_number(), "{ours}");
}
