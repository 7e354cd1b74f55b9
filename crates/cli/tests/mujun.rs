//! `hezuo mujun score` through the real binary: the JSON contract on an empty year, and a
//! scheme that cannot work refused in Chinese with a failing exit.

use std::process::Command;

#[test]
fn mujun_score_prints_results_and_refuses_a_broken_scheme() {
    let dir = std::env::temp_dir().join(format!("hezuo-cli-mujun-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("t.db").display());
    let scheme = dir.join("scheme.toml");
    std::fs::write(
        &scheme,
        "year = 2024\n[[indicators]]\nname = \"亩均税收\"\nnumerator = \"tax\"\ndenominator = \"land\"\nweight = 100\n\
         benchmark = { kind = \"average\", times = 2.0 }\n[[classes]]\nclass = \"A\"\nupto_pct = 100\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_hezuo"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .expect("hezuo runs")
    };
    let out = run(&[
        "mujun",
        "score",
        "--year",
        "2024",
        "--scheme",
        scheme.to_str().unwrap(),
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["year"], 2024);
    assert_eq!(json["results"].as_array().map(Vec::len), Some(0));

    std::fs::write(
        &scheme,
        "year = 2024\nindicators = []\n[[classes]]\nclass = \"A\"\nupto_pct = 90\n",
    )
    .unwrap();
    let out = run(&[
        "mujun",
        "score",
        "--year",
        "2024",
        "--scheme",
        scheme.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("至少要有一项指标") && err.contains("累计比例应为100"),
        "{err}"
    );
    let out = run(&["mujun", "score", "--year", "2025"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("尚未设置评价方案"));
    let _ = std::fs::remove_dir_all(&dir);
}
