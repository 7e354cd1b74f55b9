//! `hezuo audit purge` and the `[security]` settings through the real binary: a retention under
//! 180 days is refused (on the command line and in the configuration), the default purge keeps
//! every recent row, and the purge itself is on record.

use std::process::Command;

#[test]
fn the_audit_purge_keeps_180_days_and_a_shorter_retention_is_refused() {
    let dir = std::env::temp_dir().join(format!("hezuo-cli-audit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("t.db").display());
    let run = |config: Option<&std::path::Path>, args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hezuo"));
        if let Some(path) = config {
            c.arg("--config").arg(path);
        }
        c.arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .expect("hezuo runs")
    };
    let out = run(None, &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let short = run(None, &["audit", "purge", "--older-than-days", "90"]);
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("不能少于180天"));

    let ok = run(None, &["audit", "purge"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("已删除180天以前的审计记录 0 条"));

    let config = dir.join("hezuo.toml");
    std::fs::write(&config, "[security]\naudit_retention_days = 30\n").unwrap();
    let refused = run(Some(&config), &["migrate"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("审计日志保存期限不能少于180天"));
    std::fs::write(&config, "[security]\nidle_minutes = 1\n").unwrap();
    let refused = run(Some(&config), &["migrate"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("会话空闲超时"));
}
